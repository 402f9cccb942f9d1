//! The producer-consumer lesson: cooks and eaters decoupled by a buffer, stopped by end
//! markers or by a joinable queue. Every item must be eaten exactly once, the buffer must stay
//! within its capacity, and no eater may be left waiting, except in the variant that is one
//! marker short, where exactly one eater waits forever and the run says so.

mod demo;

use super::{Check, Lesson};
use crate::engine::{Outcome, RunReport, WaitLink};
use crate::params::Params;

pub struct ProducerConsumer;

/// The variant that is one end marker short on purpose.
const SHORT: &str = "too-few-sentinels";

impl Lesson for ProducerConsumer {
    fn id(&self) -> &'static str {
        "producer-consumer"
    }

    fn variants(&self) -> &'static [&'static str] {
        &[
            "sentinel",
            "main-sentinel",
            "many",
            "too-few-sentinels",
            "joinable",
        ]
    }

    fn source(&self) -> (&'static str, &'static str) {
        (
            "src/lessons/producer_consumer/demo.rs",
            include_str!("demo.rs"),
        )
    }

    fn run(&self, variant: &str, p: &Params) -> Outcome {
        match variant {
            "sentinel" => demo::sentinel(p),
            "main-sentinel" => demo::main_sentinel(p),
            "many" => demo::many(p),
            "too-few-sentinels" => demo::too_few_sentinels(p),
            "joinable" => demo::joinable(p),
            other => unreachable!("unknown variant {other}: checked before the run"),
        }
    }

    /// Random making and eating times: no formula gives the time.
    fn ideal_ms(&self, _variant: &str, _p: &Params) -> Option<f64> {
        None
    }

    fn expects_deadlock(&self, variant: &str) -> bool {
        variant == SHORT
    }

    fn deadlock_outcome(&self, _variant: &str, report: &RunReport) -> Outcome {
        // Main never returned: what a learner can still count is who was left waiting.
        let stuck = report.deadlock.as_ref().map_or(0, |d| {
            d.stuck
                .iter()
                .filter(|l| l.thread.starts_with("eater"))
                .count()
        });
        let mut out = Outcome::new();
        out.insert("stuck_consumers".into(), stuck.into());
        out
    }

    fn checks(&self, variant: &str, p: &Params, report: &RunReport) -> Vec<Check> {
        if variant == SHORT {
            return stuck_checks(p, report);
        }
        let mut checks = Vec::new();
        let Some(out) = &report.outcome else {
            return checks;
        };
        let get = |k: &str| out.get(k).and_then(|v| v.as_u64()).unwrap_or(u64::MAX);
        let (produced, consumed, duplicates) =
            (get("produced"), get("consumed"), get("duplicates"));
        let per_cook = p.int("items");
        let cooks = match variant {
            "sentinel" | "main-sentinel" => 1,
            _ => p.int("cooks"),
        };
        checks.push(Check::new(
            "every cook made all its items",
            produced == cooks * per_cook,
            format!("{produced} made by {cooks} cook(s) of {per_cook}"),
        ));
        checks.push(Check::new(
            "every item is eaten exactly once",
            consumed == produced && duplicates == 0,
            format!("{consumed} eaten of {produced} made, {duplicates} eaten twice"),
        ));
        let capacity = p.int("capacity");
        let max_fill = get("max_fill");
        checks.push(Check::new(
            "the buffer never holds more than its capacity",
            capacity == 0 || max_fill <= capacity,
            match capacity {
                0 => format!("at most {max_fill} seen (no limit)"),
                c => format!("at most {max_fill} seen, capacity {c}"),
            },
        ));
        checks.push(Check::new(
            "no eater is left waiting",
            get("stuck_consumers") == 0,
            format!("{} eater(s) left waiting", get("stuck_consumers")),
        ));
        checks
    }
}

/// One marker short: exactly one eater waits on the empty buffer for good, nobody holds
/// anything it needs (no cycle), and main waits for that eater, as Python would at exit.
fn stuck_checks(p: &Params, report: &RunReport) -> Vec<Check> {
    let Some(d) = &report.deadlock else {
        return Vec::new(); // the runner already says a stuck eater was expected
    };
    let eaters: Vec<&WaitLink> = d
        .stuck
        .iter()
        .filter(|l| l.thread.starts_with("eater"))
        .collect();
    let on_buffer = eaters.iter().filter(|l| l.waits_for == "buffer").count();
    let names: Vec<&str> = eaters.iter().map(|l| l.thread.as_str()).collect();
    let main_waits = d
        .stuck
        .iter()
        .find(|l| l.thread == "main")
        .map(|l| l.waits_for.clone());
    let markers = p.int("eaters") - 1;
    vec![
        Check::new(
            "exactly one eater waits forever on the buffer",
            eaters.len() == 1 && on_buffer == 1,
            format!(
                "{} stuck ({}), {markers} marker(s) for {} eaters",
                names.len(),
                names.join(", "),
                p.int("eaters")
            ),
        ),
        Check::new(
            "it is stuck, not a cycle: nobody holds what it waits for",
            d.cycle.is_empty(),
            d.to_string(),
        ),
        Check::new(
            "main waits for the stuck eater to finish",
            main_waits == names.first().map(|n| format!("{n} to finish")),
            format!("main waits for {}", main_waits.unwrap_or("nothing".into())),
        ),
    ]
}
