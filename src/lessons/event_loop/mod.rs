//! The event-loop lesson: fetch every page of a local site one by one, with a thread per page,
//! with a pool of threads, and as tasks of one thread's event loop, where one blocking call
//! holds every task up. Past the server's limit, more workers are slower: it refuses them.

mod demo;
mod words;

use super::{Check, Fact, Lesson, Variant};
use crate::engine::RunReport;
use crate::params::Params;
use crate::variant;
use crate::words::Lang;
use serde::{Deserialize, Serialize};
use words::Words;

pub struct EventLoop;

/// What a crawl got.
#[derive(Serialize, Deserialize)]
pub struct Crawled {
    /// Pages fetched and parsed.
    pages: usize,
    bytes: usize,
    /// Requests the server refused (each one retried later).
    refused: usize,
}

/// A page's time: its latency, then its parse.
fn page(p: &Params) -> f64 {
    p.get("latency") + p.get("parse")
}

/// Rounds of `at_once` pages, each a page's time (no refusals: `at_once` within the limit).
fn rounds(p: &Params, at_once: f64) -> f64 {
    let at_once = at_once.min(p.get("limit")).max(1.0);
    (p.get("pages") / at_once).ceil() * page(p)
}

impl Lesson for EventLoop {
    type Returns = demo::Crawl;
    type Outcome = Crawled;
    const WORDS: &'static [crate::words::Entry] = Words::ENTRIES;

    const VARIANTS: &'static [Variant<Self>] = &[
        variant!("one-by-one", demo::one_by_one).ideal(|p| p.get("pages") * page(p)),
        variant!("thread-per-page", demo::thread_per_page).about(|p| rounds(p, p.get("pages"))),
        variant!("pool", demo::pool).about(|p| rounds(p, p.get("workers"))),
        // The answers come together, then the parses run one after another on the one thread.
        variant!("event-loop", demo::event_loop)
            .about(|p| rounds(p, p.get("pages")) + (p.get("pages") - 1.0) * p.get("parse")),
        variant!("blocking-call", demo::blocking_call)
            .about(|p| {
                p.get("latency") + rounds(p, p.get("pages")) + (p.get("pages") - 1.0) * p.get("parse")
            }),
    ];

    fn outcome(&self, returned: Option<demo::Crawl>, _run: &RunReport) -> Option<Crawled> {
        let c = returned?;
        Some(Crawled {
            pages: c.pages,
            bytes: c.bytes,
            refused: c.refused,
        })
    }

    fn facts(&self, c: &Crawled, lang: Lang) -> Vec<Fact> {
        let w = Words(lang);
        let mut facts = vec![Fact::plain(w.pages(c.pages))];
        if c.refused > 0 {
            facts.push(Fact::alarm(w.refused(c.refused), true));
        }
        facts
    }

    fn checks(&self, p: &Params, out: Option<&Crawled>, _run: &RunReport) -> Vec<Check> {
        let want = p.int("pages") as usize;
        let got = out.map_or(0, |c| c.pages);
        vec![Check::new(got == want, |w: Words| {
            (w.every_page(), w.got_of(got, want))
        })]
    }
}

