//! Run one lesson variant to the end and judge it: its time next to its ideal, its outcome,
//! and the checks it must pass. Shared by `lockstep run` and the screen.

use crate::engine::{Config, Deadlock, Mode, Outcome, Run, RunReport};
use crate::lessons::{Check, Lesson};
use crate::params::Params;
use serde::Serialize;

/// Start a variant's demo; the caller watches its events and waits for it.
pub fn start(lesson: &'static dyn Lesson, variant: &str, params: &Params, cfg: Config) -> Run {
    let (variant, params) = (variant.to_string(), params.clone());
    Run::start(cfg, move || lesson.run(&variant, &params))
}

/// What a finished variant showed, as `lockstep run --format json` prints it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VariantResult {
    pub id: String,
    /// On the run's own clock: real for live, virtual otherwise.
    pub elapsed_ms: f64,
    /// The same variant's virtual time at the same scale: infinite cores, no overhead.
    pub ideal_ms: f64,
    /// elapsed / ideal: 1.0 is a perfect live run.
    pub fidelity: f64,
    pub outcome: Outcome,
    pub ok: bool,
    pub checks: Vec<Check>,
    pub deadlock: Option<Deadlock>,
    #[serde(skip)]
    pub report: RunReport,
}

/// Judge a finished run. A live run's ideal comes from a virtual run of the same variant
/// (pass it in `ideal_ms` if you have it; it is computed otherwise).
pub fn judge(
    lesson: &'static dyn Lesson,
    variant: &str,
    params: &Params,
    report: RunReport,
    ideal_ms: Option<f64>,
) -> VariantResult {
    let ideal_ms = match report.mode {
        Mode::Live => ideal_ms
            .unwrap_or_else(|| self::ideal_ms(lesson, variant, params, report.scale, report.seed)),
        _ => report.elapsed_ms(),
    };
    let mut checks = Vec::new();
    if let Some(msg) = &report.panic {
        checks.push(Check::new(
            "the demo runs without a panic",
            false,
            msg.clone(),
        ));
    }
    if report.cancelled {
        checks.push(Check::new(
            "the run was not cancelled",
            false,
            "cancelled before it finished".into(),
        ));
    }
    let expects = lesson.expects_deadlock(variant);
    if report.deadlock.is_some() != expects {
        let detail = match &report.deadlock {
            Some(d) => d.to_string(),
            None => "finished without a deadlock".into(),
        };
        let name = if expects {
            "ends in a detected deadlock"
        } else {
            "finishes without a deadlock"
        };
        checks.push(Check::new(name, false, detail));
    }
    checks.extend(lesson.checks(variant, params, &report));
    let elapsed_ms = report.elapsed_ms();
    let outcome = match (&report.outcome, &report.deadlock) {
        (Some(o), _) => o.clone(),
        (None, Some(_)) => lesson.deadlock_outcome(variant, &report),
        (None, None) => Outcome::new(),
    };
    let fidelity = if ideal_ms > 0.0 {
        elapsed_ms / ideal_ms
    } else {
        1.0
    };
    VariantResult {
        id: variant.to_string(),
        elapsed_ms,
        ideal_ms,
        fidelity,
        outcome,
        ok: checks.iter().all(|c| c.ok),
        checks,
        deadlock: report.deadlock.clone(),
        report,
    }
}

/// The variant's time in virtual mode at `scale`, in milliseconds.
pub fn ideal_ms(
    lesson: &'static dyn Lesson,
    variant: &str,
    params: &Params,
    scale: f64,
    seed: u64,
) -> f64 {
    let cfg = Config {
        mode: Mode::Virtual,
        scale,
        seed,
    };
    start(lesson, variant, params, cfg).wait().elapsed_ms()
}

/// Run a variant to the end (live or virtual) and judge it.
pub fn run_variant(
    lesson: &'static dyn Lesson,
    variant: &str,
    params: &Params,
    cfg: Config,
) -> VariantResult {
    // The virtual run first: its threads, once finished, wait to carry the live run's.
    let ideal =
        (cfg.mode == Mode::Live).then(|| ideal_ms(lesson, variant, params, cfg.scale, cfg.seed));
    let report = start(lesson, variant, params, cfg).wait();
    judge(lesson, variant, params, report, ideal)
}

/// A seed from the clock, for runs where the user gave none (it is shown, so it can be given back).
pub fn fresh_seed() -> u64 {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    t % 1_000_000
}

/// A run made from a recorded schedule: its verdict, every event, and whether the schedule fit.
pub struct Replayed {
    pub result: VariantResult,
    pub events: Vec<crate::engine::Event>,
    /// A recorded choice could not be made: the schedule was made for another run.
    pub broken: bool,
    /// Scheduling choices the run made in all (the schedule's, then the seed's).
    pub choices_made: usize,
}

/// Start a variant's demo making `schedule`'s choices first (step and virtual modes).
pub fn start_replay(
    lesson: &'static dyn Lesson,
    variant: &str,
    params: &Params,
    cfg: Config,
    schedule: Vec<crate::engine::Tid>,
) -> Run {
    let (variant, params) = (variant.to_string(), params.clone());
    Run::replay(cfg, schedule, move || lesson.run(&variant, &params))
}

/// Run a variant to the end making `schedule`'s choices first (virtual mode), then the seed's
/// (or the OS's, live); keep its events. The same schedule gives the same events.
pub fn replay_variant(
    lesson: &'static dyn Lesson,
    variant: &str,
    params: &Params,
    cfg: Config,
    schedule: Vec<crate::engine::Tid>,
) -> Replayed {
    let ideal =
        (cfg.mode == Mode::Live).then(|| ideal_ms(lesson, variant, params, cfg.scale, cfg.seed));
    let run = start_replay(lesson, variant, params, cfg, schedule);
    let report = run.wait();
    let broken = run.schedule_broken();
    let choices_made = run.choices().len();
    let events = run.events().try_iter().collect();
    Replayed {
        result: judge(lesson, variant, params, report, ideal),
        events,
        broken,
        choices_made,
    }
}
