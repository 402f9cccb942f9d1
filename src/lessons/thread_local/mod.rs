//! The thread-local lesson: each thread keeps its url in a thread-local, and a helper reads it
//! with no argument and no lock; the same helper over one shared global reports the wrong url.

mod demo;
mod panel;
mod words;

use super::{Check, Fact, Lesson, Variant};
use crate::engine::RunReport;
use crate::params::Params;
use crate::variant;
use crate::words::Lang;
use serde::{Deserialize, Serialize};
use words::Words;

pub struct ThreadLocalLesson;

/// What the helper read for each thread.
#[derive(Serialize, Deserialize)]
pub struct Fetched {
    /// Threads that reported.
    pub threads: usize,
    /// The helper read the thread's own url.
    pub right: usize,
    /// It read another thread's.
    pub wrong: usize,
    /// "T1 /page3, T2 /page3, T3 /page3", in thread order.
    pub reads: String,
}

impl From<demo::Fetches> for Fetched {
    fn from(f: demo::Fetches) -> Fetched {
        let right = f.iter().filter(|(_, given, read)| given == read).count();
        let reads: Vec<String> = f.iter().map(|(t, _, read)| format!("{t} {read}")).collect();
        Fetched {
            threads: f.len(),
            right,
            wrong: f.len() - right,
            reads: reads.join(", "),
        }
    }
}

impl Lesson for ThreadLocalLesson {
    type Returns = demo::Fetches;
    type Outcome = Fetched;
    const WORDS: &'static [crate::words::Entry] = Words::ENTRIES;

    /// Every thread sets its url, then waits for its page: the time is one fetch.
    const VARIANTS: &'static [Variant<Self>] = &[
        variant!("local", demo::local)
            .ideal(|p| p.get("fetch"))
            .checks(|_, o, _| own_urls(o)),
        variant!("shared-global", demo::shared_global)
            .ideal(|p| p.get("fetch"))
            .checks(overwritten),
    ];

    fn outcome(&self, returned: Option<demo::Fetches>, _run: &RunReport) -> Option<Fetched> {
        returned.map(Fetched::from)
    }

    fn facts(&self, f: &Fetched, lang: Lang) -> Vec<Fact> {
        let w = Words(lang);
        let mut facts = vec![Fact::plain(w.own(f.right, f.threads))];
        if f.wrong > 0 {
            facts.push(Fact::alarm(w.others(f.wrong), true));
        }
        facts
    }

    fn checks(&self, p: &Params, out: Option<&Fetched>, _run: &RunReport) -> Vec<Check> {
        let Some(f) = out else {
            return Vec::new();
        };
        let of = p.int("threads") as usize;
        vec![Check::new(f.threads == of, |w: Words| {
            (w.all_reported(), w.reported(f.threads, of))
        })]
    }

    fn panel(&self) -> Option<&'static dyn crate::tui::panel::Panel> {
        Some(&panel::Slots)
    }
}

/// `local`: every thread's helper read its own url.
fn own_urls(out: Option<&Fetched>) -> Vec<Check> {
    let Some(f) = out else {
        return Vec::new();
    };
    vec![Check::new(f.wrong == 0, |w: Words| {
        (w.nobody_sees(), w.reads(&f.reads))
    })]
}

/// `shared-global`: with two threads or more, everyone sets the url before anyone's page has
/// come, so all but the last writer read another's url (live and virtual).
fn overwritten(p: &Params, out: Option<&Fetched>, run: &RunReport) -> Vec<Check> {
    let Some(f) = out else {
        return Vec::new();
    };
    // In step mode the learner may run each thread to its end before the next one starts:
    // the race is still there, it just does not show.
    if p.int("threads") < 2 || run.mode == crate::engine::Mode::Step {
        return Vec::new();
    }
    vec![Check::new(f.wrong >= 1, |w: Words| {
        (w.overwritten(), w.reads(&f.reads))
    })]
}
