//! The pools lesson: a pool of workers and a list of one-second tasks. `apply` waits for each
//! task in turn, `apply_async` and `map` keep every worker busy, `map_async` gives a handle at
//! once, callbacks get each value as it is in, a shared flag stops the rest early, and a
//! process pool takes on a CPU-bound job beside a thread pool.

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

pub struct Pools;

/// What a demo gave back.
pub enum Got {
    /// The values, in the order main got them.
    Values(Vec<u64>),
    /// map_async: whether the handle was ready at once, and the list.
    Handled(demo::Handled),
    /// callbacks: how many pages were submitted.
    Pages(usize),
    /// early-stop: the password, if found, and the guesses tried.
    Cracked(demo::Cracked),
    /// process-pool: each pool's prime count and time.
    Raced(demo::Raced),
    /// crawler: pages, bytes, refusals, seconds.
    Crawled(demo::Crawled),
}

impl From<demo::Crawled> for Got {
    fn from(c: demo::Crawled) -> Got {
        Got::Crawled(c)
    }
}

impl From<Vec<u64>> for Got {
    fn from(v: Vec<u64>) -> Got {
        Got::Values(v)
    }
}

impl From<demo::Handled> for Got {
    fn from(h: demo::Handled) -> Got {
        Got::Handled(h)
    }
}

impl From<usize> for Got {
    fn from(n: usize) -> Got {
        Got::Pages(n)
    }
}

impl From<demo::Cracked> for Got {
    fn from(c: demo::Cracked) -> Got {
        Got::Cracked(c)
    }
}

impl From<demo::Raced> for Got {
    fn from(r: demo::Raced) -> Got {
        Got::Raced(r)
    }
}

/// What a run of the pool showed.
#[derive(Serialize, Deserialize, Default)]
pub struct Pooled {
    /// Tasks submitted, and tasks that finished (printed "square(x) done", or a parse).
    tasks: u64,
    done: u64,
    /// The values main got, in its order: "0, 1, 4, 9".
    results: String,
    /// Every value is its own task's, in the order the tasks were submitted.
    in_order: bool,
    /// The order the tasks finished in, as they printed it: "1, 0, 2, …".
    finished: String,
    /// The tasks did not finish in input order (map still gave input order).
    finished_shuffled: bool,
    /// map_async: the handle was ready as soon as it came back.
    ready_at_once: bool,
    /// callbacks: how many ran, and how many of them on the pool's result thread.
    callbacks: u64,
    on_result_thread: u64,
    /// early-stop: the password found (-1: none), and the guesses of all workers together,
    /// of `space` possible.
    password: i64,
    tried: u64,
    space: u64,
    /// process-pool: each pool's count of primes and its time (lesson seconds).
    primes_threads: u64,
    primes_processes: u64,
    threads_s: f64,
    processes_s: f64,
    /// crawler: the pages of the site it got, and the refusals on the way.
    pages: u64,
    bytes: u64,
    refused: u64,
}

impl Lesson for Pools {
    type Returns = Got;
    type Outcome = Pooled;
    const WORDS: &'static [crate::words::Entry] = Words::ENTRIES;
    const PROCESSES: &'static [crate::engine::process::ProcessFn] =
        &[crate::pool_fn!(demo::count_primes)];

    const VARIANTS: &'static [Variant<Self>] = &[
        variant!("apply", demo::apply)
            .ideal(|p| p.get("tasks"))
            .checks(all_in_order),
        variant!("apply-async", demo::apply_async)
            .ideal(rounds)
            .checks(all_in_order),
        variant!("map", demo::map).ideal(rounds).checks(all_in_order),
        variant!("map-async", demo::map_async)
            .ideal(rounds)
            .checks(handle_checks),
        variant!("callbacks", demo::callbacks)
            .ideal(rounds)
            .checks(callback_checks),
        variant!("early-stop", demo::early_stop)
            .about(found_at)
            .checks(cracked_checks),
        variant!("crawler", demo::crawler)
            .about(crawl_time)
            .checks(crawled_checks),
        // Processes take real time to start, whatever the scale: the formula leaves it out.
        variant!("process-pool", demo::process_pool)
            .about(|p| 2.0 * rounds(p))
            .checks(raced_checks),
    ];

    fn outcome(&self, returned: Option<Got>, run: &RunReport) -> Option<Pooled> {
        let got = returned?;
        let p = Pooled::from_printed(run);
        Some(match got {
            Got::Values(v) => p.with_values(&v),
            Got::Handled(h) => Pooled {
                ready_at_once: h.ready_at_once,
                ..p.with_values(&h.results)
            },
            Got::Pages(n) => Pooled {
                tasks: n as u64,
                in_order: true,
                ..p
            },
            Got::Cracked(c) => Pooled {
                password: c.password.map_or(-1, |pw| pw as i64),
                tried: c.tried,
                space: c.space,
                in_order: true,
                ..p
            },
            Got::Crawled(c) => Pooled {
                tasks: demo::PAGES as u64,
                pages: c.pages as u64,
                done: c.pages as u64,
                bytes: c.bytes as u64,
                refused: c.refused,
                in_order: true,
                ..p
            },
            Got::Raced(r) => Pooled {
                primes_threads: r.by_threads,
                primes_processes: r.by_processes,
                threads_s: r.threads_s,
                processes_s: r.processes_s,
                in_order: true,
                ..p
            },
        })
    }

    fn facts(&self, o: &Pooled, lang: Lang) -> Vec<Fact> {
        let w = Words(lang);
        if o.primes_threads > 0 || o.primes_processes > 0 {
            return vec![
                Fact::plain(w.threads_took(&secs(o.threads_s))),
                Fact::plain(w.processes_took(&secs(o.processes_s))),
            ];
        }
        if o.pages > 0 {
            return vec![
                Fact::plain(w.pages(o.pages)),
                Fact::alarm(w.refused(o.refused), o.refused > 0),
            ];
        }
        if o.space > 0 {
            return vec![if o.password >= 0 {
                Fact::plain(w.found_after(o.password, o.tried, o.space))
            } else {
                Fact::alarm(w.not_found(o.tried), true)
            }];
        }
        if o.callbacks > 0 {
            return vec![Fact::plain(w.parsed(o.callbacks, o.on_result_thread))];
        }
        let mut facts = vec![Fact::alarm(w.done_of(o.done, o.tasks), o.done < o.tasks)];
        facts.push(if o.in_order {
            Fact::plain(w.in_order())
        } else {
            Fact::alarm(w.out_of_order(), true)
        });
        facts
    }

    fn panel(&self) -> Option<&'static dyn crate::tui::panel::Panel> {
        Some(&panel::Workers)
    }
}

impl Pooled {
    /// What the tasks and callbacks printed, and the password space.
    fn from_printed(run: &RunReport) -> Pooled {
        let mut finished = Vec::new();
        let (mut callbacks, mut on_result_thread) = (0, 0);
        for line in &run.printed {
            if let Some(x) = line
                .text
                .strip_prefix("square(")
                .and_then(|t| t.strip_suffix(") done"))
            {
                finished.push(x.to_string());
            }
            if line.text.starts_with("parsed ") {
                callbacks += 1;
                if line.thread == "results" {
                    on_result_thread += 1;
                }
            }
        }
        let shuffled = finished
            .iter()
            .enumerate()
            .any(|(i, x)| x.parse::<usize>().ok() != Some(i));
        Pooled {
            done: (finished.len() as u64).max(callbacks),
            finished: finished.join(", "),
            finished_shuffled: shuffled,
            callbacks,
            on_result_thread,
            password: -1,
            ..Pooled::default()
        }
    }

    fn with_values(self, v: &[u64]) -> Pooled {
        let shown: Vec<String> = v.iter().map(u64::to_string).collect();
        Pooled {
            tasks: v.len() as u64,
            results: shown.join(", "),
            in_order: v.iter().enumerate().all(|(i, &x)| x == (i * i) as u64),
            ..self
        }
    }
}

/// Rounds of one-second tasks: `ceil(tasks / workers)`.
fn rounds(p: &Params) -> f64 {
    (p.get("tasks") / p.get("workers")).ceil()
}

/// When the cracker should stop: the round that starts the secret's chunk, the guesses up to
/// it, and one more check by the others.
fn found_at(p: &Params) -> f64 {
    let (secret, tasks, workers) = (p.int("secret"), p.int("tasks"), p.int("workers"));
    let chunk = secret / 10;
    if chunk >= tasks {
        return rounds(p);
    }
    (chunk / workers) as f64 + (secret % 10 + 2) as f64 * 0.1
}

/// The crawl as long as its rounds take when nobody is refused: the server serves at most
/// its limit at once.
fn crawl_time(p: &Params) -> f64 {
    let at_once = p.get("workers").min(demo::LIMIT as f64);
    (demo::PAGES as f64 / at_once).ceil() * demo::LATENCY
}

fn crawled_checks(_p: &Params, out: Option<&Pooled>, _run: &RunReport) -> Vec<Check> {
    let Some(o) = out else {
        return Vec::new();
    };
    vec![Check::new(o.pages == demo::PAGES as u64, |w: Words| {
        (w.every_page_fetched(), w.pages(o.pages))
    })]
}

fn secs(s: f64) -> String {
    format!("{s:.2} s")
}

fn all_in_order(_p: &Params, out: Option<&Pooled>, _run: &RunReport) -> Vec<Check> {
    let Some(o) = out else {
        return Vec::new();
    };
    vec![
        Check::new(o.done == o.tasks, |w: Words| {
            (w.every_task_done(), w.done_of(o.done, o.tasks))
        }),
        Check::new(o.in_order, |w: Words| {
            (w.values_in_order(), o.results.clone())
        }),
    ]
}

fn handle_checks(p: &Params, out: Option<&Pooled>, run: &RunReport) -> Vec<Check> {
    let mut checks = all_in_order(p, out, run);
    if let Some(o) = out {
        checks.push(Check::new(!o.ready_at_once, |w: Words| {
            (w.not_ready_at_once(), w.ready_was(if o.ready_at_once { "True" } else { "False" }))
        }));
    }
    checks
}

fn callback_checks(_p: &Params, out: Option<&Pooled>, _run: &RunReport) -> Vec<Check> {
    let Some(o) = out else {
        return Vec::new();
    };
    vec![Check::new(
        o.callbacks == o.tasks && o.on_result_thread == o.callbacks,
        |w: Words| (w.every_page_parsed(), w.parsed(o.callbacks, o.on_result_thread)),
    )]
}

fn cracked_checks(p: &Params, out: Option<&Pooled>, _run: &RunReport) -> Vec<Check> {
    let Some(o) = out else {
        return Vec::new();
    };
    let secret = p.int("secret");
    let findable = secret < o.space;
    let right = if findable {
        o.password == secret as i64
    } else {
        o.password < 0
    };
    let mut checks = vec![Check::new(right, |w: Words| {
        let got = if o.password >= 0 {
            w.found_after(o.password, o.tried, o.space)
        } else {
            w.not_found(o.tried)
        };
        (w.finds_the_secret(), got)
    })];
    if findable {
        checks.push(Check::new(o.tried < o.space, |w: Words| {
            (w.stops_early(), w.tried_of(o.tried, o.space))
        }));
    }
    checks
}

fn raced_checks(_p: &Params, out: Option<&Pooled>, _run: &RunReport) -> Vec<Check> {
    let Some(o) = out else {
        return Vec::new();
    };
    vec![Check::new(o.primes_threads == o.primes_processes, |w: Words| {
        (
            w.same_primes(),
            w.primes(o.primes_threads, o.primes_processes),
        )
    })]
}
