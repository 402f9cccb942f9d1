//! The kettle lesson: Old Zhang's four ways to wait for the water, and what each one costs him.

mod demo;
mod panel;
mod words;

use super::{Check, Fact, Lesson, Variant};
use crate::engine::{Mode, RunReport};
use crate::params::Params;
use crate::variant;
use crate::words::Lang;
use demo::Afternoon;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use words::Words;

pub struct Kettle;

/// What Zhang's afternoon came to: TV watched, trips to the kitchen, how long the boiled water
/// waited for him, and his wife's calls.
#[derive(Serialize, Deserialize)]
pub struct Tea {
    tv_ms: u64,
    trips: u32,
    latency_ms: u64,
    calls_answered: u32,
    calls_missed: u32,
}

impl Lesson for Kettle {
    type Returns = Afternoon;
    type Outcome = Tea;
    const WORDS: &'static [crate::words::Entry] = Words::ENTRIES;

    /// When the tea is poured: at the boil, but a staring Zhang looks once a glance and a
    /// polling one once every P. The run goes on a little after pouring, so only "about".
    const VARIANTS: &'static [Variant<Self>] = &[
        variant!("sync-blocking", demo::sync_blocking)
            .about(|p| looks(p.get("boil"), demo::GLANCE))
            .checks(|p, out, run| stays_at_the_stove(p, out, run, demo::GLANCE)),
        variant!("sync-nonblocking", demo::sync_nonblocking)
            .about(|p| looks(p.get("boil"), poll(p)))
            .checks(polls),
        variant!("async-blocking", demo::async_blocking)
            .about(|p| p.get("boil"))
            .checks(|p, out, run| stays_at_the_stove(p, out, run, 0.0)),
        variant!("async-nonblocking", demo::async_nonblocking)
            .about(|p| p.get("boil"))
            .checks(hears_the_whistle),
    ];

    fn outcome(&self, returned: Option<Afternoon>, _run: &RunReport) -> Option<Tea> {
        let a = returned?;
        let ms = |d: Duration| (d.as_secs_f64() * 1000.0).round() as u64;
        Some(Tea {
            tv_ms: ms(a.zhang.tv),
            trips: a.zhang.trips,
            latency_ms: ms(a.zhang.poured_at.saturating_sub(a.boiled_at)),
            calls_answered: a.answered,
            calls_missed: a.missed,
        })
    }

    fn facts(&self, t: &Tea, lang: Lang) -> Vec<Fact> {
        let w = Words(lang);
        let mut facts = vec![
            Fact::plain(w.tv(t.tv_ms as f64 / 1000.0)),
            Fact::plain(w.late(t.latency_ms as f64 / 1000.0)),
            Fact::plain(w.trips(t.trips)),
        ];
        let calls = t.calls_answered + t.calls_missed;
        if calls > 0 {
            facts.push(Fact::alarm(
                w.calls(t.calls_answered, calls),
                t.calls_missed > 0,
            ));
        }
        facts
    }

    /// The wife: quiet when calls are off.
    fn checks(&self, p: &Params, out: Option<&Tea>, _run: &RunReport) -> Vec<Check> {
        match out {
            Some(t) if p.int("calls") == 0 => vec![Check::new(
                t.calls_answered == 0 && t.calls_missed == 0,
                |w: Words| {
                    (
                        w.no_calls(),
                        w.calls_detail(t.calls_answered, t.calls_missed),
                    )
                },
            )],
            _ => Vec::new(),
        }
    }

    fn panel(&self) -> Option<&'static dyn crate::tui::panel::Panel> {
        Some(&panel::Quadrant)
    }
}

/// Looks every `every` until the water has boiled: the first look at or after the boil.
fn looks(boil: f64, every: f64) -> f64 {
    // Less a hair, so that a float just above a whole number of looks is not one more.
    (boil / every - 1e-9).ceil() * every
}

/// Zhang at the stove (staring at a plain kettle or waiting for the whistle): no TV, the tea
/// poured as soon as it boils (within a glance when he stares), and his wife's calls missed.
fn stays_at_the_stove(p: &Params, out: Option<&Tea>, run: &RunReport, within_s: f64) -> Vec<Check> {
    let Some(t) = out else {
        return Vec::new();
    };
    let slack = slack_ms(run);
    let mut checks = vec![
        Check::new(t.tv_ms == 0, |w: Words| (w.no_tv(), w.tv_ms(t.tv_ms))),
        poured_at_once(t, within_s * 1000.0 + slack),
    ];
    let boil = p.get("boil") * 1000.0;
    if p.int("calls") == 1 && boil >= (demo::CALL_EVERY + demo::PATIENCE) * 1000.0 + slack {
        // She has given up on at least one call before the water boils.
        checks.push(Check::new(t.calls_missed > 0, |w: Words| {
            (
                w.misses_calls(),
                w.calls_detail(t.calls_answered, t.calls_missed),
            )
        }));
    }
    checks
}

/// Zhang polling from the TV: TV all along, the water waits at most one poll, about one trip
/// per poll, every call answered.
fn polls(p: &Params, out: Option<&Tea>, run: &RunReport) -> Vec<Check> {
    let Some(t) = out else {
        return Vec::new();
    };
    let slack = slack_ms(run);
    let every = poll(p) * 1000.0;
    let expected = p.get("boil") * 1000.0 / every;
    vec![
        watched_tv(p, t, slack),
        Some(Check::new(
            t.latency_ms as f64 <= every + slack,
            |w: Words| (w.one_poll(), w.latency_and_poll(t.latency_ms, every)),
        )),
        Some(Check::new(
            (f64::from(t.trips) - expected).abs() <= 1.0,
            |w: Words| (w.trip_per_poll(), w.trips_and_ratio(t.trips, expected)),
        )),
        answered_every_call(p, t),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Zhang at the TV with an ear on the whistle: TV all along, one trip, the tea poured at the
/// boil, every call answered.
fn hears_the_whistle(p: &Params, out: Option<&Tea>, run: &RunReport) -> Vec<Check> {
    let Some(t) = out else {
        return Vec::new();
    };
    let slack = slack_ms(run);
    vec![
        watched_tv(p, t, slack),
        Some(poured_at_once(t, slack)),
        Some(Check::new(t.trips == 1, |w: Words| {
            (w.one_trip(), w.trips_only(t.trips))
        })),
        answered_every_call(p, t),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn watched_tv(p: &Params, t: &Tea, slack: f64) -> Option<Check> {
    let boil = p.get("boil") * 1000.0;
    Some(Check::new(t.tv_ms as f64 >= boil - slack, |w: Words| {
        (w.all_tv(), w.tv_and_boil(t.tv_ms, boil))
    }))
}

fn poured_at_once(t: &Tea, within_ms: f64) -> Check {
    Check::new(t.latency_ms as f64 <= within_ms, |w: Words| {
        (w.poured_at_once(), w.latency(t.latency_ms))
    })
}

fn answered_every_call(p: &Params, t: &Tea) -> Option<Check> {
    (p.int("calls") == 1).then(|| {
        Check::new(t.calls_missed == 0, |w: Words| {
            (
                w.every_call(),
                w.calls_detail(t.calls_answered, t.calls_missed),
            )
        })
    })
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
