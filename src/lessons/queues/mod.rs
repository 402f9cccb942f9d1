//! The queues lesson (being written).

mod demo;

use super::{Check, Lesson};
use crate::engine::{Outcome, RunReport};
use crate::params::Params;

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

    fn ideal_ms(&self, _variant: &str, _p: &Params) -> Option<f64> {
        None
    }

    fn checks(&self, _variant: &str, _p: &Params, _report: &RunReport) -> Vec<Check> {
        Vec::new()
    }
}
