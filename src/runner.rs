//! Run one lesson variant to the end and judge it: its time next to its ideal, its outcome,
//! and the checks it must pass. Shared by `lockstep run`, `record` and the screen.

use crate::engine::{Config, Deadlock, Mode, Outcome, Run, RunReport, Tid};
use crate::lessons::{AnyLesson, Check, Ideal};
use crate::params::Params;
use crate::words::app::Words;

/// Start a variant's demo; the caller watches its events and waits for it.
pub fn start(lesson: &'static dyn AnyLesson, variant: &str, params: &Params, cfg: Config) -> Run {
    lesson.start(variant, params, cfg, Vec::new())
}

/// Start a variant's demo making `schedule`'s choices first (step and virtual modes).
pub fn start_replay(
    lesson: &'static dyn AnyLesson,
    variant: &str,
    params: &Params,
    cfg: Config,
    schedule: Vec<Tid>,
) -> Run {
    lesson.start(variant, params, cfg, schedule)
}

/// What a finished variant showed, as `lockstep run --format json` prints it.
#[derive(Clone, Debug, PartialEq)]
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
    pub report: RunReport,
    /// The run was paused on the way: its clock kept going, so its time is not a timing.
    pub paused: bool,
    /// The screen's challenge the run was made for (its index in the lesson) and whether the
    /// run met it: judged against the challenge, not the variant's usual expectations.
    pub challenge: Option<(usize, bool)>,
}

/// Judge run `run`, over with `report`. A live run's ideal comes from a virtual run of the same
/// variant (pass it in `ideal_ms` if you have it; it is computed otherwise).
pub fn judge(
    lesson: &'static dyn AnyLesson,
    variant: &str,
    params: &Params,
    run: &Run,
    report: RunReport,
    ideal_ms: Option<f64>,
) -> VariantResult {
    let outcome = lesson.outcome(run, &report);
    judged(lesson, variant, params, report, outcome, ideal_ms)
}

/// Judge `r`'s outcome again, as a run of `variant` with `params` (a run judged against the
/// wrong expectations must fail them).
pub fn rejudge(
    lesson: &'static dyn AnyLesson,
    variant: &str,
    params: &Params,
    r: &VariantResult,
) -> VariantResult {
    let ideal = (r.report.mode == Mode::Live).then_some(r.ideal_ms);
    judged(
        lesson,
        variant,
        params,
        r.report.clone(),
        r.outcome.clone(),
        ideal,
    )
}

fn judged(
    lesson: &'static dyn AnyLesson,
    variant: &str,
    params: &Params,
    report: RunReport,
    outcome: Outcome,
    ideal_ms: Option<f64>,
) -> VariantResult {
    let ideal_ms = match report.mode {
        Mode::Live => ideal_ms
            .unwrap_or_else(|| self::ideal_ms(lesson, variant, params, report.scale, report.seed)),
        _ => report.elapsed_ms(),
    };
    let mut checks = Vec::new();
    if !report.raised.is_empty() {
        let raised = report.raised.join("; ");
        checks.push(Check::new(false, |w: Words| (w.no_raise(), raised.clone())));
    }
    if let Some(why) = &report.refused {
        checks.push(Check::new(false, |w: Words| {
            (w.every_thread_started(), why.clone())
        }));
    }
    if report.cancelled {
        checks.push(Check::new(false, |w: Words| {
            (w.not_cancelled(), w.cancelled_early())
        }));
    }
    let expects = lesson.deadlocks(variant);
    if report.deadlock.is_some() != expects {
        checks.push(Check::new(false, |w: Words| {
            let detail = match &report.deadlock {
                Some(d) => d.text(w.0),
                None => w.finished_without().to_string(),
            };
            let name = match expects {
                true => w.ends_in_deadlock(),
                false => w.no_deadlock(),
            };
            (name, detail)
        }));
    }
    checks.extend(lesson.checks(variant, params, &outcome, &report));
    if let Ideal::Exact(seconds) = lesson.ideal(variant)
        && report.mode != Mode::Live
        && report.raised.is_empty()
    {
        let want = seconds(params) * 1000.0 * report.scale;
        let got = report.elapsed_ms();
        checks.push(Check::new((got - want).abs() <= 1.0, |w: Words| {
            (w.virtual_time(), w.time_and_formula(got, want))
        }));
    }
    let elapsed_ms = report.elapsed_ms();
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
        paused: false,
        challenge: None,
    }
}

/// The variant's time by its formula, in lesson milliseconds (scale 1), if it has one.
pub fn formula_ms(lesson: &'static dyn AnyLesson, variant: &str, params: &Params) -> Option<f64> {
    match lesson.ideal(variant) {
        Ideal::Exact(f) | Ideal::About(f) => Some(f(params) * 1000.0),
        Ideal::Unknown => None,
    }
}

/// The variant's time in virtual mode at `scale`, in milliseconds.
pub fn ideal_ms(
    lesson: &'static dyn AnyLesson,
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
    lesson: &'static dyn AnyLesson,
    variant: &str,
    params: &Params,
    cfg: Config,
) -> VariantResult {
    replay_variant(lesson, variant, params, cfg, Vec::new()).result
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

/// Run a variant to the end making `schedule`'s choices first (virtual mode), then the seed's
/// (or the OS's, live); keep its events. The same schedule gives the same events.
pub fn replay_variant(
    lesson: &'static dyn AnyLesson,
    variant: &str,
    params: &Params,
    cfg: Config,
    schedule: Vec<Tid>,
) -> Replayed {
    // The virtual run first: its threads, once finished, wait to carry the live run's.
    let ideal =
        (cfg.mode == Mode::Live).then(|| ideal_ms(lesson, variant, params, cfg.scale, cfg.seed));
    let run = start_replay(lesson, variant, params, cfg, schedule);
    let report = run.wait();
    let broken = run.schedule_broken();
    let choices_made = run.choices().len();
    let events = run.events().try_iter().collect();
    Replayed {
        result: judge(lesson, variant, params, &run, report, ideal),
        events,
        broken,
        choices_made,
    }
}
