//! The gil lesson: a CPU-bound job done alone and by N workers, as threads under a simulated
//! global interpreter lock (no speed-up), threads without it and processes (a speed-up up to
//! the core count), and an I/O-bound job where threads help even under the GIL. Every run
//! measures its own speed-up; the ideal beside it counts this machine's cores.

mod demo;
mod panel;
mod words;

use super::{Check, Fact, Lesson, Variant};
use crate::engine::{Mode, RunReport};
use crate::params::Params;
use crate::variant;
use crate::words::Lang;
use serde::{Deserialize, Serialize};
use words::Words;

pub struct GilLesson;

/// What a run measured.
#[derive(Serialize, Deserialize)]
pub struct Speedup {
    /// "cpu-one-gil", "cpu-parallel" or "io".
    pub job: String,
    pub workers: u64,
    /// Cores the workers could use at once: this machine's live, unlimited (0) on the
    /// virtual clock.
    pub cores: u64,
    /// The job done alone, and by the workers, in lesson seconds.
    pub alone_s: f64,
    pub together_s: f64,
    /// alone ÷ together.
    pub speedup: f64,
    /// What it would be with no overhead, on this many cores.
    pub ideal: f64,
    /// The workers' answer is the lone worker's (the job was really done, split or not).
    pub same_answer: bool,
    pub answer_alone: u64,
    pub answer_together: u64,
}

impl From<demo::Timed> for Timed {
    fn from(t: demo::Timed) -> Timed {
        Timed(t)
    }
}

/// What the demo functions return.
pub struct Timed(demo::Timed);

/// The cores a live run has: this machine's.
pub fn machine_cores() -> u64 {
    std::thread::available_parallelism().map_or(1, |n| n.get() as u64)
}

/// The speed-up a job would show with no overhead, `workers` workers on `cores` cores (0:
/// unlimited).
pub fn ideal_speedup(job: demo::Job, workers: u64, cores: u64) -> f64 {
    let workers = workers.max(1);
    let cores = if cores == 0 { workers } else { cores.min(workers) };
    match job {
        demo::Job::CpuOneGil => 1.0,
        demo::Job::CpuParallel => cores as f64,
        demo::Job::Io { requests, io, parse } => {
            // The workers wait for the network side by side, round after round; every parse
            // needs the GIL, so the parses of all the requests add up.
            let requests = requests.max(1);
            let rounds = requests.div_ceil(workers) as f64;
            let alone = requests as f64 * (io + parse);
            let together = (rounds * (io + parse)).max(rounds * io + requests as f64 * parse);
            alone / together.max(1e-12)
        }
    }
}

/// The job's kind, as the outcome names it.
fn job_name(job: demo::Job) -> &'static str {
    match job {
        demo::Job::CpuOneGil => "cpu-one-gil",
        demo::Job::CpuParallel => "cpu-parallel",
        demo::Job::Io { .. } => "io",
    }
}

impl Lesson for GilLesson {
    type Returns = Timed;
    type Outcome = Speedup;
    const WORDS: &'static [crate::words::Entry] = Words::ENTRIES;
    const PROCESSES: &'static [crate::engine::process::ProcessFn] =
        &[crate::process_fn!(demo::sum_in_process)];

    /// Each variant does its job twice: alone, then split among the workers.
    const VARIANTS: &'static [Variant<Self>] = &[
        variant!("threads-gil", demo::threads_gil)
            .about(|p| 2.0 * p.get("job"))
            .checks(|p, o, r| speeds_up("threads-gil", p, o, r)),
        variant!("threads-no-gil", demo::threads_no_gil)
            .about(|p| p.get("job") * (1.0 + 1.0 / p.get("workers").max(1.0)))
            .checks(|p, o, r| speeds_up("threads-no-gil", p, o, r)),
        variant!("processes", demo::processes)
            .about(|p| p.get("job") * (1.0 + 1.0 / p.get("workers").max(1.0)))
            .checks(|p, o, r| speeds_up("processes", p, o, r)),
        variant!("io-threads-gil", demo::io_threads_gil)
            .about(|p| {
                let per = p.get("io") + p.get("parse");
                p.get("requests") * per * (1.0 + 1.0 / p.get("workers").max(1.0))
            })
            .checks(|p, o, r| speeds_up("io-threads-gil", p, o, r)),
    ];

    fn outcome(&self, returned: Option<Timed>, run: &RunReport) -> Option<Speedup> {
        let t = returned?.0;
        let cores = if run.mode == Mode::Live {
            machine_cores()
        } else {
            0
        };
        Some(Speedup {
            job: job_name(t.job).into(),
            workers: t.workers,
            cores,
            alone_s: t.alone,
            together_s: t.together,
            speedup: t.alone / t.together.max(1e-12),
            ideal: ideal_speedup(t.job, t.workers, cores),
            same_answer: t.answer_alone == t.answer_together,
            answer_alone: t.answer_alone,
            answer_together: t.answer_together,
        })
    }

    fn facts(&self, s: &Speedup, lang: Lang) -> Vec<Fact> {
        let w = Words(lang);
        vec![
            Fact::plain(w.speedup(&times(s.speedup), &times(s.ideal))),
            Fact::plain(w.timing(&secs(s.alone_s), s.workers, &secs(s.together_s))),
        ]
    }

    fn checks(&self, _p: &Params, out: Option<&Speedup>, _run: &RunReport) -> Vec<Check> {
        let Some(s) = out else {
            return Vec::new();
        };
        vec![Check::new(s.same_answer, |w: Words| {
            (w.same_answer(), w.answers(s.answer_alone, s.answer_together))
        })]
    }

    fn panel(&self) -> Option<&'static dyn crate::tui::panel::Panel> {
        Some(&panel::Roads)
    }
}

/// "1.98×".
pub fn times(x: f64) -> String {
    if (x - x.round()).abs() < 0.005 {
        format!("{}×", x.round())
    } else {
        format!("{x:.2}×")
    }
}

fn secs(s: f64) -> String {
    format!("{s:.2} s")
}

/// On the virtual clock (no other load, no overhead) the speed-up is what the variant
/// promises; live, it is measured and shown, and the machine decides.
fn speeds_up(variant: &str, _p: &Params, out: Option<&Speedup>, run: &RunReport) -> Vec<Check> {
    let Some(s) = out else {
        return Vec::new();
    };
    if run.mode != Mode::Virtual {
        return Vec::new();
    }
    let ideal = s.ideal;
    let (ok, name): (bool, fn(Words) -> &'static str) = match variant {
        "threads-gil" => ((s.speedup - 1.0).abs() < 0.02, |w| w.no_speedup()),
        "processes" => (s.speedup >= 0.8 * ideal, |w| w.processes_speed_up()),
        "threads-no-gil" => (s.speedup >= 0.95 * ideal, |w| w.threads_speed_up()),
        _ => (s.speedup >= 0.9 * ideal, |w| w.io_speeds_up()),
    };
    vec![Check::new(ok, |w: Words| {
        (name(w), w.measured(&times(s.speedup), &times(ideal)))
    })]
}
