//! The tickets lesson: a JSON file holds the tickets left; buyers read it, wait for the network,
//! and write back one fewer. Without a lock more buyers succeed than there were tickets; with a
//! lock around read-check-write exactly that many. As threads, and as processes with a real
//! file lock.

mod demo;
mod panel;
mod words;

use super::{Check, Fact, Lesson, Variant};
use crate::engine::process::costs;
use crate::engine::{Mode, RunReport};
use crate::params::Params;
use crate::variant;
use crate::words::Lang;
use serde::{Deserialize, Serialize};
use words::Words;

pub struct Tickets;

/// The file's name, as the demo makes it.
pub(crate) const FILE: &str = "tickets.json";

/// What the sale came to.
#[derive(Serialize, Deserialize)]
pub struct Sale {
    /// Tickets in the file at the start, and buyers.
    tickets: u64,
    buyers: u64,
    /// Buyers who printed "bought", and "sold out".
    bought: u64,
    sold_out: u64,
    /// More sold than there were: bought − tickets, or 0.
    oversold: u64,
    /// What the file says at the end.
    left: i64,
    /// Writes of the file computed from a stale read: their sale left no trace in it.
    lost: u64,
}

impl Lesson for Tickets {
    /// The tickets put on sale, and what the file says at the end.
    type Returns = (u64, i64);
    type Outcome = Sale;
    const WORDS: &'static [crate::words::Entry] = Words::ENTRIES;
    const PROCESSES: &'static [crate::engine::process::ProcessFn] = &[
        crate::process_fn!(demo::buyer),
        crate::process_fn!(demo::locked_buyer),
    ];

    const VARIANTS: &'static [Variant<Self>] = &[
        variant!("threads-no-lock", demo::threads_no_lock)
            .ideal(no_lock_time)
            .checks(|p, o, r| oversold("threads-no-lock", p, o, r)),
        variant!("threads-lock", demo::threads_lock)
            .ideal(lock_time)
            .checks(exactly),
        // A process takes real time to start, whatever the scale: the formula leaves it out.
        variant!("processes-no-lock", demo::processes_no_lock)
            .about(no_lock_time)
            .checks(|p, o, r| oversold("processes-no-lock", p, o, r)),
        variant!("processes-lock", demo::processes_lock)
            .about(lock_time)
            .checks(exactly),
    ];

    fn outcome(&self, returned: Option<(u64, i64)>, run: &RunReport) -> Option<Sale> {
        let (tickets, left) = returned?;
        let said = |line: &str| run.printed.iter().filter(|p| p.text == line).count() as u64;
        let (bought, sold_out) = (said("bought"), said("sold out"));
        Some(Sale {
            tickets,
            buyers: bought + sold_out,
            bought,
            sold_out,
            oversold: bought.saturating_sub(tickets),
            left,
            lost: run.lost(FILE),
        })
    }

    fn facts(&self, s: &Sale, lang: Lang) -> Vec<Fact> {
        let w = Words(lang);
        let mut facts = vec![Fact::plain(w.bought_of(s.bought, s.tickets))];
        if s.oversold > 0 {
            facts.push(Fact::alarm(w.oversold(s.oversold), true));
        }
        facts.push(Fact::plain(w.file_says(s.left)));
        facts
    }

    fn checks(&self, p: &Params, out: Option<&Sale>, _run: &RunReport) -> Vec<Check> {
        let Some(s) = out else {
            return Vec::new();
        };
        let buyers = p.int("buyers");
        vec![Check::new(s.bought + s.sold_out == buyers, |w: Words| {
            (w.every_buyer(), w.ends_of(s.bought, s.sold_out, buyers))
        })]
    }

    fn panel(&self) -> Option<&'static dyn crate::tui::panel::Panel> {
        Some(&panel::History)
    }
}

/// No lock: every buyer at once, the slowest one who buys reads, waits and writes.
fn no_lock_time(p: &Params) -> f64 {
    let buys = p.int("tickets") > 0 && p.int("buyers") > 0;
    p.get("network") + if buys { p.get("write") } else { 0.0 }
}

/// A lock: one buyer at a time reads and waits; those who get a ticket wait for the write too.
fn lock_time(p: &Params) -> f64 {
    let (tickets, buyers) = (p.int("tickets"), p.int("buyers"));
    buyers as f64 * p.get("network") + tickets.min(buyers) as f64 * p.get("write")
}

/// How many buyers read the file before anyone writes it, for sure: all of them when they are
/// threads; as processes, those started before the first buyer's write, as the cost of
/// starting a process on this machine says (live, with room for the OS's delays).
pub(crate) fn early_readers(variant: &str, p: &Params, mode: Mode, scale: f64) -> u64 {
    let buyers = p.int("buyers");
    // Lesson seconds from a buyer's first read to its write.
    let window = p.get("network") + p.get("write");
    let lesson = |ns: f64| ns / 1e9 / scale;
    let live = mode == Mode::Live;
    let (apart, slack) = if variant.starts_with("processes") {
        let launch = costs().launch_ns as f64;
        if live {
            // A real start varies with the build and the machine's load, by tens of
            // milliseconds on a busy machine: count one every 50 ms, and 50 ms either way.
            (lesson((4.0 * launch).max(50e6)), lesson(50e6))
        } else {
            (lesson(launch), 1e-9)
        }
    } else if live {
        (lesson(1e6), lesson(10e6))
    } else {
        (0.0, 1e-9)
    };
    if window <= slack {
        return 0;
    }
    if apart <= 0.0 {
        return buyers;
    }
    // Buyer i (from 1) starts (i - 1) · apart after the first.
    let n = ((window - slack) / apart).ceil().max(0.0) as u64;
    n.min(buyers)
}

/// No lock: every buyer who reads before the first write sees the full count and buys, so when
/// there are more of them than tickets, more buyers succeed than there were tickets.
fn oversold(variant: &str, p: &Params, out: Option<&Sale>, run: &RunReport) -> Vec<Check> {
    let Some(s) = out else {
        return Vec::new();
    };
    let tickets = p.int("tickets");
    let early = early_readers(variant, p, run.mode, run.scale);
    if tickets == 0 || early <= tickets {
        return Vec::new();
    }
    vec![Check::new(s.bought >= early && s.bought > tickets, |w: Words| {
        (
            w.oversells(early, tickets),
            w.bought_of(s.bought, tickets),
        )
    })]
}

/// A lock: exactly as many buyers succeed as there were tickets, and the file agrees.
fn exactly(p: &Params, out: Option<&Sale>, _run: &RunReport) -> Vec<Check> {
    let Some(s) = out else {
        return Vec::new();
    };
    let (tickets, buyers) = (p.int("tickets"), p.int("buyers"));
    let sold = tickets.min(buyers);
    let left = tickets as i64 - sold as i64;
    vec![
        Check::new(s.bought == sold, |w: Words| {
            (w.sells_exactly(sold), w.bought_of(s.bought, tickets))
        }),
        Check::new(s.left == left && s.lost == 0, |w: Words| {
            (w.file_right(left), w.file_lost(s.left, s.lost))
        }),
    ]
}
