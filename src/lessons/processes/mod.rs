//! The processes lesson: a child process's memory is its own (a global it sets stays set in
//! the child), a process starts far slower than a thread, a command runs as a child process
//! (its output captured, its input fed, its exit code read), and a CPU-bound job is split over
//! the cores in threads and in processes.

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

pub struct Processes;

/// What testing one number for primality costs on the virtual clock, in nanoseconds: `cargo
/// bench --bench processes` ("figure prime_test_ns", the numbers below 200 000 by one worker,
/// live, release build) gave 100–121 ns on the 2-core machine the lesson was written on.
pub const PRIME_TEST_NS: u64 = 120;

/// What a variant's demo returned.
pub enum Returned {
    /// The n main read at the end.
    N(i64),
    Started(demo::Started),
    Commands(demo::Commands),
    Primes(u64),
}

impl From<i64> for Returned {
    fn from(n: i64) -> Self {
        Returned::N(n)
    }
}

impl From<demo::Started> for Returned {
    fn from(s: demo::Started) -> Self {
        Returned::Started(s)
    }
}

impl From<demo::Commands> for Returned {
    fn from(c: demo::Commands) -> Self {
        Returned::Commands(c)
    }
}

impl From<u64> for Returned {
    fn from(n: u64) -> Self {
        Returned::Primes(n)
    }
}

/// What a run showed. Each variant fills its own fields; the rest stay empty.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Seen {
    /// main's n at the end, and what the child printed of its own.
    pub n: Option<i64>,
    pub child_n: Option<i64>,
    /// Threads or processes started and joined, and the time that took, in real ms.
    pub started: Option<u32>,
    pub start_ms: Option<f64>,
    /// The time per start, in real µs.
    pub per_start_us: Option<f64>,
    /// What sort printed (one line, spaces between), what wc -l counted, the exit codes.
    pub sorted: Option<String>,
    pub lines: Option<u32>,
    pub sort_code: Option<i32>,
    pub exit_code: Option<i32>,
    /// The primes counted, and how many there are.
    pub primes: Option<u64>,
    /// The run's time, in real ms.
    pub elapsed_ms: f64,
}

impl Lesson for Processes {
    type Returns = Returned;
    type Outcome = Seen;
    const WORDS: &'static [crate::words::Entry] = Words::ENTRIES;
    const PROCESSES: &'static [crate::engine::process::ProcessFn] = &[
        crate::process_fn!(demo::set_to_zero),
        crate::process_fn!(demo::nothing),
        crate::process_fn!(demo::count_in),
    ];

    const VARIANTS: &'static [Variant<Self>] = &[
        variant!("global-thread", demo::global_thread).checks(|_, o, _| n_is(o, 0, 0)),
        variant!("global-process", demo::global_process).checks(|_, o, _| n_is(o, 100, 0)),
        variant!("start-threads", demo::start_threads).checks(all_started),
        variant!("start-processes", demo::start_processes).checks(all_started),
        variant!("command", demo::command).checks(commands),
        variant!("cpu-threads", demo::cpu_threads).checks(primes),
        variant!("cpu-processes", demo::cpu_processes).checks(primes),
    ];

    fn outcome(&self, returned: Option<Returned>, run: &RunReport) -> Option<Seen> {
        let mut seen = Seen {
            elapsed_ms: run.elapsed_ms(),
            ..Seen::default()
        };
        match returned? {
            Returned::N(n) => {
                seen.n = Some(n);
                seen.child_n = run
                    .printed
                    .iter()
                    .find_map(|p| p.text.strip_prefix("child: n = "))
                    .and_then(|v| v.parse().ok());
            }
            Returned::Started(s) => {
                let ms = s.took.as_secs_f64() * 1e3 * run.scale;
                seen.started = Some(s.count as u32);
                seen.start_ms = Some(ms);
                seen.per_start_us = Some(ms * 1e3 / s.count.max(1) as f64);
            }
            Returned::Commands(c) => {
                seen.sorted = Some(c.sorted);
                seen.lines = Some(c.lines);
                seen.sort_code = Some(c.sort_code);
                seen.exit_code = Some(c.exit_code);
            }
            Returned::Primes(n) => seen.primes = Some(n),
        }
        Some(seen)
    }

    fn facts(&self, s: &Seen, lang: Lang) -> Vec<Fact> {
        let w = Words(lang);
        let mut facts = Vec::new();
        if let Some(n) = s.n {
            facts.push(Fact::alarm(w.main_n(n), n != 100));
        }
        if let (Some(count), Some(us)) = (s.started, s.per_start_us) {
            facts.push(Fact::plain(w.started(count, &per_start(us))));
        }
        if let Some(sorted) = &s.sorted {
            facts.push(Fact::plain(sorted.clone()));
        }
        if let Some(code) = s.exit_code {
            facts.push(Fact::plain(w.exit_code(code)));
        }
        if let Some(p) = s.primes {
            facts.push(Fact::plain(w.primes(p)));
        }
        facts
    }

    fn panel(&self) -> Option<&'static dyn crate::tui::panel::Panel> {
        Some(&panel::SideBySide)
    }
}

/// "15.2 µs", "3.10 ms": a time per start.
pub(crate) fn per_start(us: f64) -> String {
    if us < 1000.0 {
        format!("{us:.1} µs")
    } else {
        format!("{:.2} ms", us / 1000.0)
    }
}

/// main's n is `main` and the child's own copy is `child`.
fn n_is(out: Option<&Seen>, main: i64, child: i64) -> Vec<Check> {
    let Some(s) = out else {
        return Vec::new();
    };
    let shown = |w: Words| {
        let c = s.child_n.map_or_else(|| "?".to_string(), |n| n.to_string());
        w.n_detail(s.n.unwrap_or(-1), &c)
    };
    vec![
        Check::new(s.child_n == Some(child), |w: Words| {
            (w.child_sets(), shown(w))
        }),
        Check::new(s.n == Some(main), |w: Words| {
            let name = if main == 100 {
                w.main_keeps()
            } else {
                w.main_sees()
            };
            (name, shown(w))
        }),
    ]
}

/// Every thread or process started was joined, and no process failed.
fn all_started(p: &Params, out: Option<&Seen>, run: &RunReport) -> Vec<Check> {
    let Some(s) = out else {
        return Vec::new();
    };
    let count = p.get("count") as u32;
    let started = s.started.unwrap_or(0);
    let raised = run.raised.len();
    vec![Check::new(started == count && raised == 0, |w: Words| {
        (w.all_joined(count), w.joined_detail(started, raised))
    })]
}

/// sort sorted what it was fed, wc counted its lines, sh's exit code came back.
fn commands(_: &Params, out: Option<&Seen>, _: &RunReport) -> Vec<Check> {
    let Some(s) = out else {
        return Vec::new();
    };
    let sorted = s.sorted.clone().unwrap_or_default();
    vec![
        Check::new(
            sorted == "apple banana fig pear" && s.sort_code == Some(0),
            |w: Words| (w.sort_sorts(), w.printed(&sorted)),
        ),
        Check::new(s.lines == Some(4), |w: Words| {
            (w.wc_counts(), w.counted(s.lines.unwrap_or(0)))
        }),
        Check::new(s.exit_code == Some(3), |w: Words| {
            (w.exit_comes_back(), w.exit_code(s.exit_code.unwrap_or(-1)))
        }),
    ]
}

/// The workers' counts add up to the primes below `numbers` (counted again by a sieve).
fn primes(p: &Params, out: Option<&Seen>, _: &RunReport) -> Vec<Check> {
    let Some(s) = out else {
        return Vec::new();
    };
    let expected = primes_below(p.get("numbers") as usize);
    let got = s.primes.unwrap_or(0);
    vec![Check::new(got == expected, |w: Words| {
        (w.primes_add_up(), w.primes_detail(got, expected))
    })]
}

/// The primes below `n`, by the sieve of Eratosthenes (another way than the demo's).
pub(crate) fn primes_below(n: usize) -> u64 {
    if n < 3 {
        return 0;
    }
    let mut composite = vec![false; n];
    let mut count = 0;
    for i in 2..n {
        if composite[i] {
            continue;
        }
        count += 1;
        let mut j = i * i;
        while j < n {
            composite[j] = true;
            j += i;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sieve_and_trial_division_agree() {
        for n in [0, 1, 2, 3, 10, 100, 1000, 7919, 7920] {
            let by_division = (0..n as u64).filter(|&k| demo::is_prime(k)).count() as u64;
            assert_eq!(primes_below(n), by_division, "below {n}");
        }
        assert_eq!(primes_below(100), 25);
    }

    #[test]
    fn the_slices_cover_every_number_once() {
        for (numbers, workers) in [(10, 3), (200_000, 4), (5, 8), (1, 1)] {
            let s = demo::slices(numbers, workers);
            assert_eq!(s.len() as u64, workers);
            assert_eq!(s[0].0, 0);
            assert_eq!(s.last().unwrap().1, numbers);
            assert!(s.windows(2).all(|w| w[0].1 == w[1].0));
        }
    }
}
