//! The lock-vs-join lesson: its variants and what every run of them must show.

mod demo;

use super::{Check, Lesson};
use crate::engine::{Mode, Outcome, RunReport};
use crate::params::Params;

pub struct LockVsJoin;

impl Lesson for LockVsJoin {
    fn id(&self) -> &'static str {
        "lock-vs-join"
    }

    fn variants(&self) -> &'static [&'static str] {
        &["no-lock", "lock", "join"]
    }

    fn source(&self) -> (&'static str, &'static str) {
        ("src/lessons/lock_vs_join/demo.rs", include_str!("demo.rs"))
    }

    fn run(&self, variant: &str, p: &Params) -> Outcome {
        match variant {
            "no-lock" => demo::no_lock(p),
            "lock" => demo::lock(p),
            "join" => demo::join(p),
            other => unreachable!("unknown variant {other}: checked before the run"),
        }
    }

    fn ideal_ms(&self, variant: &str, p: &Params) -> Option<f64> {
        let (t, w, c) = (p.get("threads"), p.get("work"), p.get("critical"));
        let s = match variant {
            "no-lock" => c,
            "lock" => w + t * c,
            "join" => t * (w + c),
            _ => return None,
        };
        Some(s * 1000.0)
    }

    fn checks(&self, variant: &str, p: &Params, report: &RunReport) -> Vec<Check> {
        let mut checks = Vec::new();
        let Some(out) = &report.outcome else {
            return checks;
        };
        let n = out.get("n").and_then(|v| v.as_i64()).unwrap_or(i64::MIN);
        let lost = out
            .get("lost_updates")
            .and_then(|v| v.as_i64())
            .unwrap_or(-1);
        checks.push(Check::new(
            "every lost update leaves one too many",
            n == lost,
            format!("final n = {n}, lost updates = {lost}"),
        ));
        let threads = p.int("threads") as i64;
        match variant {
            "no-lock" if threads > 1 && p.get("critical") > 0.0 => checks.push(Check::new(
                "updates are lost without a lock",
                n > 0,
                format!("final n = {n} (0 would mean none was lost)"),
            )),
            "no-lock" => {}
            _ => checks.push(Check::new(
                "no update is lost",
                n == 0,
                format!("final n = {n}"),
            )),
        }
        if report.mode != Mode::Live
            && let Some(ideal) = self.ideal_ms(variant, p)
        {
            let want = ideal * report.scale;
            let got = report.elapsed_ms();
            checks.push(Check::new(
                "virtual time matches the formula",
                (got - want).abs() <= 1.0,
                format!("{got:.1} ms, formula {want:.1} ms"),
            ));
        }
        checks
    }
}
