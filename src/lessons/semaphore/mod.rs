//! The semaphore lesson (being written).

mod demo;

use super::{Check, Lesson};
use crate::engine::{Outcome, RunReport};
use crate::params::Params;

pub struct SemaphoreLesson;

impl Lesson for SemaphoreLesson {
    fn id(&self) -> &'static str {
        "semaphore"
    }

    fn variants(&self) -> &'static [&'static str] {
        &["stalls", "mutex", "unbounded"]
    }

    fn source(&self) -> (&'static str, &'static str) {
        ("src/lessons/semaphore/demo.rs", include_str!("demo.rs"))
    }

    fn run(&self, variant: &str, p: &Params) -> Outcome {
        match variant {
            "stalls" => demo::stalls(p),
            "mutex" => demo::mutex(p),
            "unbounded" => demo::unbounded(p),
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
