//! The semaphore lesson: a restroom with N stalls lets up to N people in at once; with one
//! stall it is a mutex; with no semaphore at all everyone crowds in.

mod demo;
mod panel;
mod words;

use super::{Check, Fact, Lesson, Variant};
use crate::engine::{Mode, RunReport};
use crate::params::Params;
use crate::variant;
use crate::words::Lang;
use demo::Headcount;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use words::Words;

pub struct SemaphoreLesson;

/// The most people inside at once, and how many got in.
#[derive(Serialize, Deserialize)]
pub struct Visits {
    max_occupancy: usize,
    served: usize,
}

impl Lesson for SemaphoreLesson {
    type Returns = Arc<Headcount>;
    type Outcome = Visits;
    const WORDS: &'static [crate::words::Entry] = Words::ENTRIES;

    /// Stays are random: no formula gives the time.
    const VARIANTS: &'static [Variant<Self>] = &[
        variant!("stalls", demo::stalls).checks(|p, out, _| within(p, out, p.int("stalls"))),
        variant!("mutex", demo::mutex).checks(|p, out, _| within(p, out, 1)),
        variant!("unbounded", demo::unbounded).checks(crowds_in),
    ];

    fn outcome(&self, returned: Option<Arc<Headcount>>, _run: &RunReport) -> Option<Visits> {
        returned.map(|h| Visits {
            max_occupancy: h.most(),
            served: h.served(),
        })
    }

    fn facts(&self, v: &Visits, lang: Lang) -> Vec<Fact> {
        let w = Words(lang);
        vec![
            Fact::plain(w.most_inside(v.max_occupancy)),
            Fact::plain(w.served(v.served)),
        ]
    }

    fn checks(&self, p: &Params, out: Option<&Visits>, _run: &RunReport) -> Vec<Check> {
        let people = p.int("people");
        out.map(|v| {
            Check::new(v.served as u64 == people, |w: Words| {
                (w.once_each(), w.served_of(v.served, people))
            })
        })
        .into_iter()
        .collect()
    }

    fn panel(&self) -> Option<&'static dyn crate::tui::panel::Panel> {
        Some(&panel::Restroom)
    }
}

/// Stays of 0 let people leave before the next one arrives: then nobody need wait.
fn stays(p: &Params) -> bool {
    p.get("stay-max") > 0.0
}

/// A semaphore of `n` permits: never more than `n` inside, and all `n` taken at some point.
fn within(p: &Params, out: Option<&Visits>, n: u64) -> Vec<Check> {
    let Some(v) = out else {
        return Vec::new();
    };
    let most = v.max_occupancy;
    let mut checks = vec![Check::new(most as u64 <= n, |w: Words| {
        (w.never_more(), w.most_of_stalls(most, n))
    })];
    if p.int("people") >= n && stays(p) {
        checks.push(Check::new(most as u64 == n, |w: Words| {
            (w.every_stall(), w.most_of_stalls(most, n))
        }));
    }
    checks
}

/// No semaphore: more than N inside, and (on the virtual clock, where nobody leaves before
/// everyone has come in) all of them at once.
fn crowds_in(p: &Params, out: Option<&Visits>, run: &RunReport) -> Vec<Check> {
    let Some(v) = out else {
        return Vec::new();
    };
    let (n, people, most) = (p.int("stalls"), p.int("people"), v.max_occupancy);
    let mut checks = Vec::new();
    if people > n && stays(p) {
        checks.push(Check::new(most as u64 > n, |w: Words| {
            (w.more_than_n(), w.most_of_stalls(most, n))
        }));
    }
    if run.mode != Mode::Live && stays(p) {
        checks.push(Check::new(most as u64 == people, |w: Words| {
            (w.all_at_once(), w.most_of_people(most, people))
        }));
    }
    checks
}
