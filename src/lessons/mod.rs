//! Lessons: each one's demo code (what the learner reads) and the checks every run must pass.

mod deadlock;
mod kettle;
mod lock_vs_join;
mod producer_consumer;
mod queues;
mod semaphore;

use crate::engine::{Outcome, RunReport};
use crate::params::Params;
use serde::Serialize;

/// One expectation of a variant, checked after every run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Check {
    pub name: String,
    pub ok: bool,
    pub detail: String,
}

impl Check {
    pub fn new(name: &str, ok: bool, detail: String) -> Check {
        Check {
            name: name.to_string(),
            ok,
            detail,
        }
    }
}

pub trait Lesson: Sync {
    /// The lesson's id: its file stem in `lessons/` and its CLI name.
    fn id(&self) -> &'static str;
    /// The variant ids, in menu order.
    fn variants(&self) -> &'static [&'static str];
    /// The demo's source file: its path in the crate and its text, for the source panel.
    fn source(&self) -> (&'static str, &'static str);
    /// Run one variant's demo. Called on the run's main demo thread.
    fn run(&self, variant: &str, p: &Params) -> Outcome;
    /// The variant's time by the lesson's formula, in lesson milliseconds (scale 1), if it has one.
    fn ideal_ms(&self, variant: &str, p: &Params) -> Option<f64>;
    /// Whether `variant` is meant to end in a detected deadlock.
    fn expects_deadlock(&self, _variant: &str) -> bool {
        false
    }
    /// The outcome of a run that ended in a detected deadlock, when main could not return one
    /// (read from the report: how many threads finished, who was stuck).
    fn deadlock_outcome(&self, _variant: &str, _report: &RunReport) -> Outcome {
        Outcome::new()
    }
    /// What must hold after a run of `variant`.
    fn checks(&self, variant: &str, p: &Params, report: &RunReport) -> Vec<Check>;
}

static LESSONS: &[&dyn Lesson] = &[
    &kettle::Kettle,
    &lock_vs_join::LockVsJoin,
    &deadlock::Deadlock,
    &semaphore::SemaphoreLesson,
    &queues::Queues,
    &producer_consumer::ProducerConsumer,
];

/// Every lesson with demo code, in menu order.
pub fn all() -> &'static [&'static dyn Lesson] {
    LESSONS
}

pub fn find(id: &str) -> Option<&'static dyn Lesson> {
    LESSONS.iter().copied().find(|l| l.id() == id)
}
