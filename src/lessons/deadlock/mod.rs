//! The deadlock lesson (being written).

mod demo;

use super::{Check, Lesson};
use crate::engine::{Outcome, RunReport};
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

    fn ideal_ms(&self, _variant: &str, _p: &Params) -> Option<f64> {
        None
    }

    fn checks(&self, _variant: &str, _p: &Params, _report: &RunReport) -> Vec<Check> {
        Vec::new()
    }
}
