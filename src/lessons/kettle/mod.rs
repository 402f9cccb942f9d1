//! The kettle lesson (being written).

mod demo;

use super::{Check, Lesson};
use crate::engine::{Outcome, RunReport};
use crate::params::Params;

pub struct Kettle;

impl Lesson for Kettle {
    fn id(&self) -> &'static str {
        "kettle"
    }

    fn variants(&self) -> &'static [&'static str] {
        &[
            "sync-blocking",
            "sync-nonblocking",
            "async-blocking",
            "async-nonblocking",
        ]
    }

    fn source(&self) -> (&'static str, &'static str) {
        ("src/lessons/kettle/demo.rs", include_str!("demo.rs"))
    }

    fn run(&self, variant: &str, p: &Params) -> Outcome {
        match variant {
            "sync-blocking" => demo::sync_blocking(p),
            "sync-nonblocking" => demo::sync_nonblocking(p),
            "async-blocking" => demo::async_blocking(p),
            "async-nonblocking" => demo::async_nonblocking(p),
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
