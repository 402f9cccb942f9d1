//! The producer-consumer lesson (being written).

mod demo;

use super::{Check, Lesson};
use crate::engine::{Outcome, RunReport};
use crate::params::Params;

pub struct ProducerConsumer;

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

    fn ideal_ms(&self, _variant: &str, _p: &Params) -> Option<f64> {
        None
    }

    fn checks(&self, _variant: &str, _p: &Params, _report: &RunReport) -> Vec<Check> {
        Vec::new()
    }
}
