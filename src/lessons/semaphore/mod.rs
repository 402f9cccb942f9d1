//! The semaphore lesson: a restroom with N stalls lets up to N people in at once; with one
//! stall it is a mutex; with no semaphore at all everyone crowds in.

mod demo;

use super::{Check, Lesson};
use crate::engine::{Mode, Outcome, RunReport};
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

    /// Stays are random: no formula.
    fn ideal_ms(&self, _variant: &str, _p: &Params) -> Option<f64> {
        None
    }

    fn checks(&self, variant: &str, p: &Params, report: &RunReport) -> Vec<Check> {
        let mut checks = Vec::new();
        let Some(out) = &report.outcome else {
            return checks;
        };
        let get = |k: &str| out.get(k).and_then(|v| v.as_u64());
        let (most, served) = (get("max_occupancy"), get("served"));
        let people = p.int("people");
        checks.push(Check::new(
            "every person gets in exactly once",
            served == Some(people),
            format!("{} of {people} served", show(served)),
        ));
        // With stays of 0 people may leave before the next one arrives.
        let stays = p.get("stay-max") > 0.0;
        match variant {
            "stalls" | "mutex" => {
                let n = if variant == "mutex" {
                    1
                } else {
                    p.int("stalls")
                };
                checks.push(Check::new(
                    "never more inside than stalls",
                    most.is_some_and(|m| m <= n),
                    format!("at most {} inside, {n} stalls", show(most)),
                ));
                if people >= n && stays {
                    checks.push(Check::new(
                        "every stall is taken at some point",
                        most == Some(n),
                        format!("at most {} inside, {n} stalls", show(most)),
                    ));
                }
            }
            _ => {
                let n = p.int("stalls");
                if people > n && stays {
                    checks.push(Check::new(
                        "without a semaphore more than N get in",
                        most.is_some_and(|m| m > n),
                        format!("at most {} inside, {n} stalls", show(most)),
                    ));
                }
                if report.mode != Mode::Live && stays {
                    checks.push(Check::new(
                        "everyone is inside at once",
                        most == Some(people),
                        format!("at most {} inside, {people} people", show(most)),
                    ));
                }
            }
        }
        checks
    }
}

fn show(v: Option<u64>) -> String {
    v.map_or("?".into(), |v| v.to_string())
}
