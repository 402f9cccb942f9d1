//! The lock-vs-join lesson: its variants and what every run of them must show.

mod demo;
mod words;

use super::{Check, Fact, Lesson, Variant};
use crate::engine::RunReport;
use crate::params::Params;
use crate::variant;
use crate::words::Lang;
use serde::{Deserialize, Serialize};
use words::Words;

pub struct LockVsJoin;

/// The counter's final value, and the updates the race erased.
#[derive(Serialize, Deserialize)]
pub struct Count {
    n: i64,
    lost_updates: u64,
}

impl Lesson for LockVsJoin {
    /// The final n, as main reads it at the end.
    type Returns = i64;
    type Outcome = Count;
    const WORDS: &'static [crate::words::Entry] = Words::ENTRIES;

    const VARIANTS: &'static [Variant<Self>] = &[
        variant!("no-lock", demo::no_lock)
            .ideal(|p| p.get("critical"))
            .checks(loses_updates),
        variant!("lock", demo::lock)
            .ideal(|p| p.get("work") + p.get("threads") * p.get("critical"))
            .checks(loses_none),
        variant!("join", demo::join)
            .ideal(|p| p.get("threads") * (p.get("work") + p.get("critical")))
            .checks(loses_none),
    ];

    fn outcome(&self, returned: Option<i64>, run: &RunReport) -> Option<Count> {
        returned.map(|n| Count {
            n,
            lost_updates: run.lost("n"),
        })
    }

    fn facts(&self, c: &Count, lang: Lang) -> Vec<Fact> {
        let w = Words(lang);
        vec![
            Fact::plain(w.n(c.n)),
            Fact::alarm(w.lost(c.lost_updates), c.lost_updates > 0),
        ]
    }

    fn checks(&self, _p: &Params, out: Option<&Count>, _run: &RunReport) -> Vec<Check> {
        out.map(|c| {
            Check::new(c.n == c.lost_updates as i64, |w: Words| {
                (w.one_too_many(), w.n_and_lost(c.n, c.lost_updates))
            })
        })
        .into_iter()
        .collect()
    }
}

/// Without a lock, two or more threads with a pause in the critical section lose updates.
fn loses_updates(p: &Params, out: Option<&Count>, _run: &RunReport) -> Vec<Check> {
    match out {
        Some(c) if p.int("threads") > 1 && p.get("critical") > 0.0 => {
            vec![Check::new(c.n > 0, |w: Words| {
                (w.lost_without_lock(), w.n_would_be_zero(c.n))
            })]
        }
        _ => Vec::new(),
    }
}

fn loses_none(_p: &Params, out: Option<&Count>, _run: &RunReport) -> Vec<Check> {
    out.map(|c| Check::new(c.n == 0, |w: Words| (w.none_lost(), w.final_n(c.n))))
        .into_iter()
        .collect()
}
