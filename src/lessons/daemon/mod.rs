//! The daemon lesson: foo is a daemon, bar is not. A daemon thread is cut off when the last
//! non-daemon thread ends; a daemon process is terminated as soon as main's code ends; `join`
//! with a timeout and `is_alive` tell main where foo stands.

mod demo;
mod panel;
mod words;

use super::{Check, Fact, Lesson, Variant};
use crate::engine::RunReport;
use crate::engine::process::costs;
use crate::params::Params;
use crate::variant;
use crate::words::Lang;
use serde::{Deserialize, Serialize};
use words::Words;

pub struct Daemon;

/// What the program printed, and what became of foo.
#[derive(Serialize, Deserialize)]
pub struct Ending {
    /// Every line, in order: "123, 456, main, end123, end456".
    printed: String,
    lines: usize,
    /// The first line and the last.
    first: String,
    last: String,
    /// foo's last line appeared.
    end123: bool,
    /// bar's last line appeared.
    end456: bool,
    /// foo was cut off: the program ended (for a daemon process: main's code) while it went on.
    foo_cut_off: bool,
    /// What `is_alive` told main (the join variants), if it asked.
    foo_alive: Option<bool>,
    /// "end123" had appeared before main asked.
    end123_before_answer: bool,
}

impl Lesson for Daemon {
    type Returns = ();
    type Outcome = Ending;
    const WORDS: &'static [crate::words::Entry] = Words::ENTRIES;
    const PROCESSES: &'static [crate::engine::process::ProcessFn] =
        &[crate::process_fn!(demo::foo), crate::process_fn!(demo::bar)];

    /// Threads start at once; the program ends with its last non-daemon thread.
    const VARIANTS: &'static [Variant<Self>] = &[
        variant!("threads", demo::threads)
            .ideal(|p| Plan::new("threads", p, 1.0).program_end())
            .checks(|p, o, r| foo_as_planned("threads", p, o, r)),
        variant!("threads-cut-off", demo::threads_cut_off)
            .ideal(|p| Plan::new("threads-cut-off", p, 1.0).program_end())
            .checks(|p, o, r| foo_as_planned("threads-cut-off", p, o, r)),
        variant!("join-timeout", demo::join_timeout)
            .ideal(|p| Plan::new("join-timeout", p, 1.0).program_end())
            .checks(|p, o, r| joined("join-timeout", p, o, r)),
        // A process takes real time to start, whatever the scale: the formula leaves it out.
        variant!("processes", demo::processes)
            .about(|p| p.get("long"))
            .checks(|p, o, r| foo_as_planned("processes", p, o, r)),
        variant!("processes-join", demo::processes_join)
            .about(|p| p.get("long"))
            .checks(|p, o, r| joined("processes-join", p, o, r)),
    ];

    fn outcome(&self, _returned: Option<()>, run: &RunReport) -> Option<Ending> {
        run.returned.then(|| ending(run))
    }

    fn facts(&self, e: &Ending, lang: Lang) -> Vec<Fact> {
        let w = Words(lang);
        let mut facts = vec![if e.end123 {
            Fact::plain(w.end123_shown())
        } else {
            Fact::alarm(w.foo_cut_off(), true)
        }];
        if let Some(alive) = e.foo_alive {
            facts.push(Fact::plain(w.alive(python_bool(alive))));
        }
        facts
    }

    fn checks(&self, _p: &Params, out: Option<&Ending>, run: &RunReport) -> Vec<Check> {
        let Some(e) = out else {
            return Vec::new();
        };
        let cut = if run.cut_off.is_empty() {
            None
        } else {
            Some(run.cut_off.join(" "))
        };
        let detail = |w: Words| w.printed_and_cut(&e.printed, cut.as_deref().unwrap_or(w.nobody()));
        vec![
            Check::new(e.end456 && !run.cut_off.iter().any(|t| t == "bar"), |w: Words| {
                let d = if e.end456 {
                    detail(w)
                } else {
                    w.end456_missing().to_string()
                };
                (w.waits_for_bar(), d)
            }),
            Check::new(e.end123 != e.foo_cut_off, |w: Words| {
                (w.cut_off_or_end(), detail(w))
            }),
        ]
    }

    fn panel(&self) -> Option<&'static dyn crate::tui::panel::Panel> {
        Some(&panel::Lanes)
    }
}

fn ending(run: &RunReport) -> Ending {
    let lines: Vec<&str> = run.printed.iter().map(|p| p.text.as_str()).collect();
    let at = |line: &str| lines.iter().position(|l| *l == line);
    let answer = lines
        .iter()
        .position(|l| *l == "foo is alive" || *l == "foo is done");
    Ending {
        printed: lines.join(", "),
        lines: lines.len(),
        first: lines.first().unwrap_or(&"").to_string(),
        last: lines.last().unwrap_or(&"").to_string(),
        end123: at("end123").is_some(),
        end456: at("end456").is_some(),
        foo_cut_off: run.cut_off.iter().any(|t| t == "foo"),
        foo_alive: answer.map(|i| lines[i] == "foo is alive"),
        end123_before_answer: match (at("end123"), answer) {
            (Some(e), Some(a)) => e < a,
            _ => false,
        },
    }
}

/// Python writes a bool so.
fn python_bool(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

/// "3 s", "2.5 s", "0.005 s": a moment in lesson seconds.
pub(crate) fn fmt_secs(s: f64) -> String {
    if s > 0.0 && s < 0.1 {
        return format!("{s:.3} s");
    }
    let text = format!("{s:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} s")
}

/// When everything should happen in a run of a variant, in lesson seconds from its start, as
/// the parameters and the cost of starting a process say.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Plan {
    pub processes: bool,
    /// foo's nap and bar's.
    pub foo: f64,
    pub bar: f64,
    /// How long main waits for foo (the join variants).
    pub timeout: Option<f64>,
    /// Launching a process (main's time) and its start (the child's), in lesson seconds.
    launch: f64,
    boot: f64,
    /// Closer than this, the order of two moments is not for the plan to say: the OS's
    /// timers (live), a process's real start-up time.
    pub slack: f64,
}

impl Plan {
    pub fn new(variant: &str, p: &Params, scale: f64) -> Plan {
        let (short, long, timeout) = (p.get("short"), p.get("long"), p.get("timeout"));
        Plan::from_values(variant, short, long, timeout, scale)
    }

    pub fn from_values(variant: &str, short: f64, long: f64, timeout: f64, scale: f64) -> Plan {
        let processes = variant.starts_with("processes");
        let (foo_nap, bar_nap) = match variant {
            "threads-cut-off" | "join-timeout" => (long, short),
            _ => (short, long),
        };
        let timeout = variant.contains("join").then_some(timeout);
        let c = costs();
        let lesson = |ns: u64| ns as f64 / 1e9 / scale;
        let (launch, boot, slack) = if processes {
            (lesson(c.launch_ns), lesson(c.boot_ns), 0.05 + lesson(50_000_000))
        } else {
            (0.0, 0.0, 0.05 + lesson(5_000_000))
        };
        Plan {
            processes,
            foo: foo_nap,
            bar: bar_nap,
            timeout,
            launch,
            boot,
            slack,
        }
    }

    /// When foo and bar end, if nothing cuts them off (each process waits for its launch).
    pub fn foo_end(&self) -> f64 {
        self.launch + self.boot + self.foo
    }

    pub fn bar_end(&self) -> f64 {
        2.0 * self.launch + self.boot + self.bar
    }

    /// When main's code ends: after starting both, and the wait for foo if it waits.
    pub fn main_end(&self) -> f64 {
        let started = 2.0 * self.launch;
        match self.timeout {
            Some(t) => (started + t).min(self.foo_end().max(started)),
            None => started,
        }
    }

    /// When a daemon still going is cut off: a thread when the last non-daemon thread ends,
    /// a process when main's code ends.
    pub fn daemon_end(&self) -> f64 {
        if self.processes {
            self.main_end()
        } else {
            self.main_end().max(self.bar_end())
        }
    }

    pub fn program_end(&self) -> f64 {
        self.main_end().max(self.bar_end())
    }

    /// main's wait for foo outlasts foo.
    fn joins_foo(&self) -> bool {
        self.timeout
            .is_some_and(|t| 2.0 * self.launch + t > self.foo_end() + self.slack)
    }

    /// Whether "end123" appears, when the plan can say.
    pub fn end123(&self) -> Option<bool> {
        let (ends, deadline) = (self.foo_end(), self.daemon_end());
        if ends < deadline - self.slack || self.joins_foo() {
            Some(true)
        } else if ends > deadline + self.slack {
            Some(false)
        } else {
            None
        }
    }
}

/// foo's end as the plan says: "end123" appears iff foo ends before the daemon's end.
fn foo_as_planned(variant: &str, p: &Params, out: Option<&Ending>, run: &RunReport) -> Vec<Check> {
    let Some(e) = out else {
        return Vec::new();
    };
    let plan = Plan::new(variant, p, run.scale);
    let Some(expected) = plan.end123() else {
        return Vec::new();
    };
    let (ends, deadline) = (fmt_secs(plan.foo_end()), fmt_secs(plan.daemon_end()));
    let wait = plan
        .timeout
        .map(|t| fmt_secs(2.0 * plan.launch + t))
        .unwrap_or_default();
    let joined = plan.joins_foo();
    vec![Check::new(e.end123 == expected, |w: Words| {
        let name = match (expected, joined) {
            (true, true) => w.foo_joined(&ends, &wait),
            (true, false) => w.foo_finishes(&ends, &deadline),
            (false, _) => w.foo_is_cut(&ends, &deadline),
        };
        (name, e.printed.clone())
    })]
}

/// The join variants: foo as planned, and `is_alive` says what foo had done.
fn joined(variant: &str, p: &Params, out: Option<&Ending>, run: &RunReport) -> Vec<Check> {
    let mut checks = foo_as_planned(variant, p, out, run);
    if let Some(e) = out {
        let ok = e.foo_alive == Some(!e.end123_before_answer);
        checks.push(Check::new(ok, |w: Words| {
            let detail = match e.foo_alive {
                Some(a) => {
                    let before = if e.end123_before_answer {
                        w.yes()
                    } else {
                        w.no()
                    };
                    w.answer_was(python_bool(a), before)
                }
                None => w.no_answer().to_string(),
            };
            (w.answer_true().to_string(), detail)
        }));
    }
    checks
}
