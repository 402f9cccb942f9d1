//! The producer-consumer lesson: cooks and eaters decoupled by a buffer, stopped by end
//! markers or by a joinable queue. Every item must be eaten exactly once, the buffer must stay
//! within its capacity, and no eater may be left waiting, except in the variant that is one
//! marker short, where exactly one eater waits forever and the run says so.

mod demo;
mod panel;
mod words;

use super::{Check, Fact, Lesson, Variant};
use crate::engine::{RunReport, WaitLink};
use crate::params::Params;
use crate::variant;
use crate::words::Lang;
use demo::Kitchen;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use words::Words;

pub struct ProducerConsumer;

/// Made, eaten, eaten twice, the fullest buffer seen, and eaters left waiting.
#[derive(Serialize, Deserialize)]
pub struct Meal {
    produced: u64,
    consumed: usize,
    duplicates: usize,
    max_fill: usize,
    stuck_consumers: usize,
}

impl Lesson for ProducerConsumer {
    type Returns = Kitchen;
    type Outcome = Meal;
    const WORDS: &'static [crate::words::Entry] = Words::ENTRIES;

    /// Random making and eating times: no formula gives the time.
    const VARIANTS: &'static [Variant<Self>] = &[
        variant!("sentinel", demo::sentinel).checks(|p, out, _| fed(p, out, 1)),
        variant!("main-sentinel", demo::main_sentinel).checks(|p, out, _| fed(p, out, 1)),
        variant!("many", demo::many).checks(|p, out, _| fed(p, out, p.int("cooks"))),
        variant!("too-few-sentinels", demo::too_few_sentinels)
            .deadlocks()
            .checks(one_left_waiting),
        variant!("joinable", demo::joinable).checks(|p, out, _| fed(p, out, p.int("cooks"))),
    ];

    fn outcome(&self, returned: Option<Kitchen>, run: &RunReport) -> Option<Meal> {
        Some(match returned {
            Some(k) => {
                let distinct: HashSet<_> = k.eaten.iter().collect();
                Meal {
                    produced: k.made,
                    consumed: k.eaten.len(),
                    duplicates: k.eaten.len() - distinct.len(),
                    max_fill: k.fullest,
                    // Every eater returned: none is left waiting (a stuck one keeps main waiting).
                    stuck_consumers: 0,
                }
            }
            // Main never returned: what a learner can still count is who was left waiting.
            None => Meal {
                produced: 0,
                consumed: 0,
                duplicates: 0,
                max_fill: 0,
                stuck_consumers: stuck_eaters(run).len(),
            },
        })
    }

    fn facts(&self, m: &Meal, lang: Lang) -> Vec<Fact> {
        let w = Words(lang);
        if m.stuck_consumers > 0 {
            return vec![Fact::alarm(w.stuck(m.stuck_consumers), true)];
        }
        let mut facts = vec![Fact::plain(w.eaten_of(m.consumed, m.produced))];
        if m.duplicates > 0 {
            facts.push(Fact::alarm(w.twice(m.duplicates), true));
        }
        facts.push(Fact::plain(w.fullest(m.max_fill)));
        facts
    }

    fn panel(&self) -> Option<&'static dyn crate::tui::panel::Panel> {
        Some(&panel::Counter)
    }
}

/// The eaters a stuck run left waiting.
fn stuck_eaters(run: &RunReport) -> Vec<&WaitLink> {
    run.deadlock.as_ref().map_or_else(Vec::new, |d| {
        d.stuck
            .iter()
            .filter(|l| l.thread.starts_with("eater"))
            .collect()
    })
}

/// `cooks` cooks made their items, each eaten exactly once, the buffer within its capacity,
/// no eater left waiting.
fn fed(p: &Params, out: Option<&Meal>, cooks: u64) -> Vec<Check> {
    let Some(m) = out else {
        return Vec::new();
    };
    let per_cook = p.int("items");
    let capacity = p.int("capacity");
    vec![
        Check::new(m.produced == cooks * per_cook, |w: Words| {
            (w.all_made(), w.made_by(m.produced, cooks, per_cook))
        }),
        Check::new(
            m.consumed as u64 == m.produced && m.duplicates == 0,
            |w: Words| {
                (
                    w.once_each(),
                    w.eaten_detail(m.consumed, m.produced, m.duplicates),
                )
            },
        ),
        Check::new(
            capacity == 0 || m.max_fill as u64 <= capacity,
            |w: Words| {
                let seen = match capacity {
                    0 => w.seen_unbounded(m.max_fill),
                    c => w.seen_of(m.max_fill, c),
                };
                (w.within_capacity(), seen)
            },
        ),
        Check::new(m.stuck_consumers == 0, |w: Words| {
            (w.nobody_waits(), w.left_waiting(m.stuck_consumers))
        }),
    ]
}

/// One marker short: exactly one eater waits on the empty buffer for good, nobody holds
/// anything it needs (no cycle), and main waits for that eater, as Python would at exit.
fn one_left_waiting(p: &Params, _out: Option<&Meal>, run: &RunReport) -> Vec<Check> {
    let Some(d) = &run.deadlock else {
        return Vec::new(); // the runner already says a stuck eater was expected
    };
    let eaters = stuck_eaters(run);
    let on_buffer = eaters.iter().filter(|l| l.waits_for == "buffer").count();
    let names: Vec<&str> = eaters.iter().map(|l| l.thread.as_str()).collect();
    let main_waits = d
        .stuck
        .iter()
        .find(|l| l.thread == "main")
        .map(|l| l.waits_for.clone());
    let (eaters_n, markers) = (p.int("eaters"), p.int("eaters") - 1);
    let first = names.first().map(|n| format!("{n} to finish"));
    vec![
        Check::new(eaters.len() == 1 && on_buffer == 1, |w: Words| {
            (
                w.one_stuck(),
                w.stuck_detail(names.len(), names.join(", "), markers, eaters_n),
            )
        }),
        Check::new(d.cycle.is_empty(), |w: Words| {
            (w.not_a_cycle(), d.text(w.0))
        }),
        Check::new(main_waits == first, |w: Words| {
            let what = main_waits.clone().unwrap_or_else(|| "nothing".into());
            (w.main_waits(), w.main_waits_for(what))
        }),
    ]
}
