//! The deadlock lesson: two locks in opposite orders deadlock, a plain lock taken twice
//! deadlocks on itself, and a reentrant lock or one lock order for everyone finishes.

mod demo;
mod panel;
mod words;

use super::{Check, Fact, Lesson, Variant};
use crate::engine::{Deadlock as Found, RunReport, WaitLink};
use crate::params::Params;
use crate::variant;
use crate::words::Lang;
use serde::{Deserialize, Serialize};
use words::Words;

pub struct Deadlock;

/// How many threads finished, and whether the run ended in a deadlock.
#[derive(Serialize, Deserialize)]
pub struct Ending {
    finished: usize,
    deadlocked: bool,
}

impl Lesson for Deadlock {
    type Returns = ();
    type Outcome = Ending;
    const WORDS: &'static [crate::words::Entry] = Words::ENTRIES;

    /// two-locks: found when T1 wakes from its nap and asks for A. rlock and ordering: every
    /// thread naps while it holds the lock everyone needs first, one after another.
    const VARIANTS: &'static [Variant<Self>] = &[
        variant!("two-locks", demo::two_locks)
            .ideal(|_| demo::NAP.as_secs_f64())
            .deadlocks()
            .checks(|_, _, run| cycle_check(run, crossed_cycle)),
        variant!("self-deadlock", demo::self_deadlock)
            .deadlocks()
            .checks(|_, _, run| cycle_check(run, self_cycle)),
        variant!("rlock", demo::rlock)
            .ideal(|p| p.get("threads") * demo::NAP.as_secs_f64())
            .checks(every_thread_finishes),
        variant!("ordering", demo::ordering)
            .ideal(|p| p.get("threads") * demo::NAP.as_secs_f64())
            .checks(every_thread_finishes),
    ];

    fn outcome(&self, _returned: Option<()>, run: &RunReport) -> Option<Ending> {
        Some(Ending {
            finished: run.done_threads,
            deadlocked: run.deadlock.is_some(),
        })
    }

    fn facts(&self, e: &Ending, lang: Lang) -> Vec<Fact> {
        let w = Words(lang);
        let mut facts = vec![Fact::plain(w.finished(e.finished))];
        if e.deadlocked {
            facts.push(Fact::alarm(w.deadlocked(), true));
        }
        facts
    }

    fn panel(&self) -> Option<&'static dyn crate::tui::panel::Panel> {
        Some(&panel::WaitFor)
    }
}

fn cycle_check(run: &RunReport, check: fn(&Found) -> Check) -> Vec<Check> {
    run.deadlock.as_ref().map(check).into_iter().collect()
}

fn every_thread_finishes(p: &Params, out: Option<&Ending>, _run: &RunReport) -> Vec<Check> {
    let threads = p.int("threads");
    out.map(|e| {
        Check::new(e.finished as u64 == threads, |w: Words| {
            (w.every_finishes(), w.finished_of(e.finished, threads))
        })
    })
    .into_iter()
    .collect()
}

/// Two threads, each holding one of A and B and waiting for the other.
fn crossed_cycle(d: &Found) -> Check {
    let c = &d.cycle;
    let holds_one = |l: &WaitLink, lock: &str| l.holds == [lock];
    let ok = c.len() == 2
        && c[0].thread != c[1].thread
        && c.iter().all(|l| l.thread.starts_with('T'))
        && ((holds_one(&c[0], "A") && c[0].waits_for == "B")
            || (holds_one(&c[0], "B") && c[0].waits_for == "A"))
        && c[1].holds == [c[0].waits_for.clone()]
        && c[1].waits_for == c[0].holds[0];
    Check::new(ok, |w: Words| (w.crossed(), d.text(w.0)))
}

/// One thread holding A and waiting for A.
fn self_cycle(d: &Found) -> Check {
    let c = &d.cycle;
    let ok = c.len() == 1 && c[0].thread == "T1" && c[0].holds == ["A"] && c[0].waits_for == "A";
    Check::new(ok, |w: Words| (w.itself(), d.text(w.0)))
}
