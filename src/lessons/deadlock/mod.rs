//! The deadlock lesson: two locks in opposite orders deadlock, a plain lock taken twice
//! deadlocks on itself, and a reentrant lock or one lock order for everyone finishes.

mod demo;

use super::{Check, Lesson};
use crate::engine::{Deadlock as Found, Mode, Outcome, RunReport, WaitLink};
use crate::params::Params;

pub struct Deadlock;

impl Lesson for Deadlock {
    fn id(&self) -> &'static str {
        "deadlock"
    }

    fn variants(&self) -> &'static [&'static str] {
        &["two-locks", "self-deadlock", "rlock", "ordering"]
    }

    fn source(&self) -> (&'static str, &'static str) {
        ("src/lessons/deadlock/demo.rs", include_str!("demo.rs"))
    }

    fn run(&self, variant: &str, p: &Params) -> Outcome {
        match variant {
            "two-locks" => demo::two_locks(p),
            "self-deadlock" => demo::self_deadlock(p),
            "rlock" => demo::rlock(p),
            "ordering" => demo::ordering(p),
            other => unreachable!("unknown variant {other}: checked before the run"),
        }
    }

    /// two-locks: found when T1 wakes from its nap and asks for A. rlock and ordering: every
    /// thread naps while it holds the lock everyone needs first, one after another.
    fn ideal_ms(&self, variant: &str, p: &Params) -> Option<f64> {
        let nap = demo::NAP.as_secs_f64();
        let s = match variant {
            "two-locks" => nap,
            "rlock" | "ordering" => p.get("threads") * nap,
            _ => return None,
        };
        Some(s * 1000.0)
    }

    fn expects_deadlock(&self, variant: &str) -> bool {
        matches!(variant, "two-locks" | "self-deadlock")
    }

    fn deadlock_outcome(&self, _variant: &str, report: &RunReport) -> Outcome {
        let mut out = Outcome::new();
        out.insert("finished".into(), report.done_threads.into());
        out.insert("deadlocked".into(), true.into());
        out
    }

    fn checks(&self, variant: &str, p: &Params, report: &RunReport) -> Vec<Check> {
        let mut checks = Vec::new();
        match variant {
            "two-locks" => {
                if let Some(d) = &report.deadlock {
                    checks.push(crossed_cycle(d));
                }
            }
            "self-deadlock" => {
                if let Some(d) = &report.deadlock {
                    checks.push(self_cycle(d));
                }
            }
            _ => {
                if let Some(out) = &report.outcome {
                    let finished = out.get("finished").and_then(|v| v.as_u64());
                    let threads = p.int("threads");
                    checks.push(Check::new(
                        "every thread finishes",
                        finished == Some(threads),
                        format!("{} of {threads} finished", show(finished)),
                    ));
                }
            }
        }
        if report.mode != Mode::Live
            && report.panic.is_none()
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

fn show(v: Option<u64>) -> String {
    v.map_or("?".into(), |v| v.to_string())
}

/// Two threads, each holding one of A and B and waiting for the other.
fn crossed_cycle(d: &Found) -> Check {
    let c = &d.cycle;
    let holds_one = |l: &WaitLink, lock: &str| l.holds == [lock];
    let ok = c.len() == 2
        && c[0].thread != c[1].thread
        && c.iter().all(|l| l.thread.starts_with('T'))
        && ((holds_one(&c[0], "A") && c[0].waits_for == "B")
            || (holds_one(&c[0], "B") && c[0].waits_for == "A"))
        && c[1].holds == [c[0].waits_for.clone()]
        && c[1].waits_for == c[0].holds[0];
    Check::new(
        "two threads each hold one lock and wait for the other",
        ok,
        d.to_string(),
    )
}

/// One thread holding A and waiting for A.
fn self_cycle(d: &Found) -> Check {
    let c = &d.cycle;
    let ok = c.len() == 1 && c[0].thread == "T1" && c[0].holds == ["A"] && c[0].waits_for == "A";
    Check::new("T1 holds A and waits for A", ok, d.to_string())
}
