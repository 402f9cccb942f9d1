//! The queues lesson: FIFO, LIFO and priority order, and a bounded queue that makes puts and
//! gets wait. Every run must give exactly the orders of the tutorial.

mod demo;

use super::{Check, Lesson};
use crate::engine::{Mode, Outcome, RunReport};
use crate::params::Params;
use serde_json::Value;

pub struct Queues;

impl Lesson for Queues {
    fn id(&self) -> &'static str {
        "queues"
    }

    fn variants(&self) -> &'static [&'static str] {
        &["fifo", "lifo", "priority", "bounded"]
    }

    fn source(&self) -> (&'static str, &'static str) {
        ("src/lessons/queues/demo.rs", include_str!("demo.rs"))
    }

    fn run(&self, variant: &str, p: &Params) -> Outcome {
        match variant {
            "fifo" => demo::fifo(p),
            "lifo" => demo::lifo(p),
            "priority" => demo::priority(p),
            "bounded" => demo::bounded(p),
            other => unreachable!("unknown variant {other}: checked before the run"),
        }
    }

    /// One pause after every put and every get (and after starting each waiting thread).
    fn ideal_ms(&self, variant: &str, p: &Params) -> Option<f64> {
        let pauses = match variant {
            "fifo" | "lifo" | "priority" => 6.0,
            // maxsize puts; 2 putters; maxsize + 2 gets; 2 getters; 2 puts.
            "bounded" => 2.0 * p.get("maxsize") + 8.0,
            _ => return None,
        };
        Some(pauses * p.get("pause") * 1000.0)
    }

    fn checks(&self, variant: &str, p: &Params, report: &RunReport) -> Vec<Check> {
        let mut checks = Vec::new();
        let Some(out) = &report.outcome else {
            return checks;
        };
        let order: Vec<String> = out
            .get("order")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let want = expected_order(variant, p);
        let rule = match variant {
            "fifo" => "FIFO: first in, first out",
            "lifo" => "LIFO: last in, first out",
            "priority" => "priority: smallest first",
            _ => "bounded: items leave in the order they went in",
        };
        checks.push(Check::new(
            rule,
            order == want,
            format!("came out {}, expected {}", order.join(" "), want.join(" ")),
        ));
        if variant == "bounded" {
            bounded_checks(p, out, &order, &mut checks);
        }
        if report.mode != Mode::Live
            && let Some(ideal) = self.ideal_ms(variant, p)
        {
            let want = ideal * report.scale;
            let got = report.elapsed_ms();
            checks.push(Check::new(
                "virtual time is one pause per step",
                (got - want).abs() <= 1.0,
                format!("{got:.1} ms, formula {want:.1} ms"),
            ));
        }
        checks
    }
}

/// What each variant must give, in the order it comes out.
fn expected_order(variant: &str, p: &Params) -> Vec<String> {
    let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect();
    match variant {
        "fifo" => words(&["first", "second", "third"]),
        "lifo" => words(&["third", "second", "first"]),
        "priority" => words(&["(10, b)", "(20, a)", "(30, c)"]),
        _ => (1..=p.int("maxsize") + 4).map(|n| n.to_string()).collect(),
    }
}

fn bounded_checks(p: &Params, out: &Outcome, order: &[String], checks: &mut Vec<Check>) {
    let maxsize = p.int("maxsize");
    let int = |k: &str| out.get(k).and_then(Value::as_u64).unwrap_or(u64::MAX);
    let text = |k: &str| {
        out.get(k)
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string()
    };
    checks.push(Check::new(
        "maxsize puts make it full",
        int("full_after") == maxsize,
        format!("full after {} puts, maxsize {maxsize}", int("full_after")),
    ));
    checks.push(Check::new(
        "put_nowait on a full queue fails with Full",
        text("put_nowait_error") == "full",
        format!("put_nowait: {}", text("put_nowait_error")),
    ));
    checks.push(Check::new(
        "get_nowait on an empty queue fails with Empty",
        text("get_nowait_error") == "empty",
        format!("get_nowait: {}", text("get_nowait_error")),
    ));
    checks.push(Check::new(
        "a put on a full queue waits",
        int("blocked_puts") == 2,
        format!("{} of 2 puts found the queue full", int("blocked_puts")),
    ));
    checks.push(Check::new(
        "a get on an empty queue waits",
        int("blocked_gets") == 2,
        format!("{} of 2 gets found the queue empty", int("blocked_gets")),
    ));
    // The waiting puts carried maxsize+1 and maxsize+2, in that order; the waiting gets must
    // receive maxsize+3 and maxsize+4 in the order they started waiting.
    let m = maxsize as usize;
    let waited = |from: usize| order.get(from..from + 2).map(|s| s.join(" "));
    let (puts_want, gets_want) = (
        format!("{} {}", m + 1, m + 2),
        format!("{} {}", m + 3, m + 4),
    );
    checks.push(Check::new(
        "waiting puts go in in the order they came",
        waited(m).as_deref() == Some(puts_want.as_str()),
        format!("after the first {m}: {}", waited(m).unwrap_or_default()),
    ));
    checks.push(Check::new(
        "waiting gets are served in the order they came",
        waited(m + 2).as_deref() == Some(gets_want.as_str()),
        format!(
            "getter-1, getter-2 got {}",
            waited(m + 2).unwrap_or_default()
        ),
    ));
}
