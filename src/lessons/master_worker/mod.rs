//! The master-worker lesson: a master serves a task queue and a result queue on a loopback
//! socket (Python's `BaseManager`); worker processes connect with the authkey, take numbers
//! and put back their squares. A guessed authkey is refused; a worker terminated mid-task
//! costs the master a wait, not a square.

mod demo;
mod panel;
mod words;

use super::{Check, Fact, Lesson, Variant};
use crate::engine::RunReport;
use crate::params::Params;
use crate::variant;
use crate::words::Lang;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use words::Words;

pub struct MasterWorker;

/// What the master collected, and what happened on the way.
#[derive(Serialize, Deserialize)]
pub struct Collected {
    /// Tasks the master has a square for.
    squares: usize,
    /// Squares it printed that are not n * n.
    wrong: usize,
    /// Tasks it put back after no answer came.
    requeued: usize,
    /// Clients refused for a wrong authkey (what they printed).
    refused: usize,
    /// worker-1 was terminated mid-task.
    killed: bool,
    /// Where the master served.
    host: String,
    port: u16,
}

impl Lesson for MasterWorker {
    type Returns = BTreeMap<usize, u64>;
    type Outcome = Collected;
    const WORDS: &'static [crate::words::Entry] = Words::ENTRIES;
    const PROCESSES: &'static [crate::engine::process::ProcessFn] =
        &[crate::process_fn!(demo::worker)];

    /// Workers start in milliseconds of real time whatever the scale: the times are rough.
    const VARIANTS: &'static [Variant<Self>] = &[
        variant!("squares", demo::squares)
            .about(rounds)
            .checks(|_, _, _| Vec::new()),
        variant!("wrong-token", demo::wrong_token)
            .about(rounds)
            .checks(impostor),
        variant!("worker-killed", demo::worker_killed)
            .about(|p| rounds_of(p.int("tasks"), p.int("workers") - 1, p.get("work")) + 4.0 * p.get("work"))
            .checks(not_lost),
    ];

    fn outcome(&self, returned: Option<Self::Returns>, run: &RunReport) -> Option<Collected> {
        let squares = returned?;
        Some(collected(squares.len(), run))
    }

    fn facts(&self, c: &Collected, lang: Lang) -> Vec<Fact> {
        let w = Words(lang);
        let mut facts = vec![Fact::plain(w.all_squares(c.squares))];
        if c.refused > 0 {
            facts.push(Fact::plain(w.impostor_refused()));
        }
        if c.requeued > 0 {
            facts.push(Fact::alarm(w.requeued(c.requeued), true));
        }
        facts
    }

    fn checks(&self, p: &Params, out: Option<&Collected>, _run: &RunReport) -> Vec<Check> {
        let Some(c) = out else {
            return Vec::new();
        };
        let tasks = p.int("tasks");
        let address = format!("{}:{}", c.host, c.port);
        vec![
            Check::new(c.squares as u64 == tasks, |w: Words| {
                (w.every_square(tasks), w.got(c.squares))
            }),
            Check::new(c.wrong == 0, |w: Words| {
                let d = if c.wrong == 0 {
                    w.none_wrong().to_string()
                } else {
                    w.wrong(c.wrong)
                };
                (w.right_squares().to_string(), d)
            }),
            Check::new(c.host == "127.0.0.1" && c.port != 0, |w: Words| {
                (w.loopback().to_string(), w.address_was(&address))
            }),
        ]
    }

    fn panel(&self) -> Option<&'static dyn crate::tui::panel::Panel> {
        Some(&panel::Board)
    }
}

/// Rounds of work the workers need for every task: each takes one at a time.
fn rounds(p: &Params) -> f64 {
    rounds_of(p.int("tasks"), p.int("workers"), p.get("work"))
}

fn rounds_of(tasks: u64, workers: u64, work: f64) -> f64 {
    tasks.div_ceil(workers.max(1)) as f64 * work
}

/// The outcome, from what the program printed.
fn collected(squares: usize, run: &RunReport) -> Collected {
    let said = |p: &crate::engine::Printed| p.text.clone();
    let lines: Vec<String> = run.printed.iter().map(said).collect();
    let wrong = lines
        .iter()
        .filter_map(|l| square_line(l))
        .filter(|&(n, sq)| n.checked_mul(n) != Some(sq))
        .count();
    let (host, port) = lines
        .iter()
        .find_map(|l| served_at(l))
        .unwrap_or_default();
    Collected {
        squares,
        wrong,
        requeued: lines.iter().filter(|l| l.ends_with("put it back")).count(),
        refused: lines.iter().filter(|l| l.starts_with("refused:")).count(),
        killed: lines.iter().any(|l| l == "worker-1 terminated mid-task"),
        host,
        port,
    }
}

/// "12 * 12 = 144": 12 and 144.
pub(crate) fn square_line(l: &str) -> Option<(u64, u64)> {
    let (lhs, sq) = l.split_once(" = ")?;
    let (a, b) = lhs.split_once(" * ")?;
    let (a, b, sq) = (a.parse().ok()?, b.parse::<u64>().ok()?, sq.parse().ok()?);
    (a == b).then_some((a, sq))
}

/// "serving on ('127.0.0.1', 41234)": the host and the port.
pub(crate) fn served_at(l: &str) -> Option<(String, u16)> {
    let rest = l.strip_prefix("serving on ('")?;
    let (host, rest) = rest.split_once("', ")?;
    let port = rest.strip_suffix(')')?.parse().ok()?;
    Some((host.to_string(), port))
}

/// The impostor was refused, and printed nothing else.
fn impostor(_p: &Params, out: Option<&Collected>, run: &RunReport) -> Vec<Check> {
    let Some(c) = out else {
        return Vec::new();
    };
    let by: Vec<&str> = run
        .printed
        .iter()
        .filter(|p| p.thread == "impostor")
        .map(|p| p.text.as_str())
        .collect();
    let ok = c.refused == 1 && by == ["refused: digest sent was rejected"];
    let said = by.join(" · ");
    vec![Check::new(ok, |w: Words| {
        let d = if said.is_empty() {
            w.nothing().to_string()
        } else {
            w.impostor_said(&said)
        };
        (w.impostor_is_refused().to_string(), d)
    })]
}

/// worker-1 was terminated and its task put back; every square still arrived (the lesson's
/// own check).
fn not_lost(_p: &Params, out: Option<&Collected>, _run: &RunReport) -> Vec<Check> {
    let Some(c) = out else {
        return Vec::new();
    };
    vec![Check::new(c.killed && c.requeued >= 1, |w: Words| {
        let worker = if c.killed {
            w.was_terminated()
        } else {
            w.nothing()
        };
        (
            w.task_not_lost().to_string(),
            w.killed_detail(c.requeued, worker),
        )
    })]
}
