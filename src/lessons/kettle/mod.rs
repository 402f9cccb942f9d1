//! The kettle lesson: Old Zhang's four ways to wait for the water, and what each one costs him.

mod demo;

use super::{Check, Lesson};
use crate::engine::{Mode, Outcome, RunReport};
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

    /// When the tea is poured: at the boil, but a staring Zhang looks once a glance and a
    /// polling one once every P.
    fn ideal_ms(&self, variant: &str, p: &Params) -> Option<f64> {
        let boil = p.get("boil");
        let every = match variant {
            "sync-blocking" => demo::GLANCE,
            "sync-nonblocking" => poll(p),
            "async-blocking" | "async-nonblocking" => return Some(boil * 1000.0),
            _ => return None,
        };
        // Less a hair, so that a float just above a whole number of looks is not one more.
        Some((boil / every - 1e-9).ceil() * every * 1000.0)
    }

    fn checks(&self, variant: &str, p: &Params, report: &RunReport) -> Vec<Check> {
        let mut checks = Vec::new();
        let Some(out) = &report.outcome else {
            return checks;
        };
        let get = |k: &str| out.get(k).and_then(|v| v.as_f64()).unwrap_or(f64::NAN);
        let (tv, trips, latency) = (get("tv_ms"), get("trips"), get("latency_ms"));
        let (answered, missed) = (get("calls_answered"), get("calls_missed"));
        let boil = p.get("boil") * 1000.0;
        let slack = slack_ms(report);
        let blocks = matches!(variant, "sync-blocking" | "async-blocking");

        if blocks {
            checks.push(Check::new(
                "no TV while he waits at the stove",
                tv == 0.0,
                format!("TV {tv} ms"),
            ));
        } else {
            checks.push(Check::new(
                "TV all the while the water boils",
                tv >= boil - slack,
                format!("TV {tv} ms, boil {boil} ms"),
            ));
        }
        match variant {
            "sync-nonblocking" => {
                let every = poll(p) * 1000.0;
                checks.push(Check::new(
                    "the water waits at most one poll",
                    latency <= every + slack,
                    format!("latency {latency} ms, P {every} ms"),
                ));
                let expected = boil / every;
                checks.push(Check::new(
                    "about one trip per poll while it boils",
                    (trips - expected).abs() <= 1.0,
                    format!("{trips} trips, B/P = {expected:.2}"),
                ));
            }
            _ => {
                let within = if variant == "sync-blocking" {
                    demo::GLANCE * 1000.0
                } else {
                    0.0
                };
                checks.push(Check::new(
                    "the tea is poured as soon as it boils",
                    latency <= within + slack,
                    format!("latency {latency} ms"),
                ));
            }
        }
        if variant == "async-nonblocking" {
            checks.push(Check::new(
                "one trip, when it whistles",
                trips == 1.0,
                format!("{trips} trips"),
            ));
        }
        if p.int("calls") == 0 {
            checks.push(Check::new(
                "no calls when the wife is quiet",
                answered == 0.0 && missed == 0.0,
                format!("{answered} answered, {missed} missed"),
            ));
        } else if !blocks {
            checks.push(Check::new(
                "every call is answered",
                missed == 0.0,
                format!("{answered} answered, {missed} missed"),
            ));
        } else if boil >= (demo::CALL_EVERY + demo::PATIENCE) * 1000.0 + slack {
            // She has given up on at least one call before the water boils.
            checks.push(Check::new(
                "a Zhang at the stove misses calls",
                missed > 0.0,
                format!("{answered} answered, {missed} missed"),
            ));
        }
        checks
    }
}

/// P as Zhang watches it: in whole ticks of TV.
fn poll(p: &Params) -> f64 {
    f64::from(demo::ticks_per_poll(p)) * demo::TICK
}

/// How far a measured time may stray, in lesson milliseconds: a millisecond of rounding on
/// the virtual clock; on the real one, a tick plus 20 ms of real time for wake-ups.
fn slack_ms(report: &RunReport) -> f64 {
    match report.mode {
        Mode::Live => demo::TICK * 1000.0 + 20.0 / report.scale,
        _ => 1.0,
    }
}
