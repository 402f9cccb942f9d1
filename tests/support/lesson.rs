//! Running one lesson's variants headless: shared by the lesson tests.

use lockstep::content;
use lockstep::engine::{Config, Event, Mode};
use lockstep::lessons;
use lockstep::params::Params;
use lockstep::runner::{self, VariantResult, run_variant};

/// Live child processes are the lockstep binary started again: point the runtime at the one
/// cargo built (a test harness is not lockstep).
#[allow(dead_code)]
pub fn use_the_lockstep_binary() {
    // SAFETY: every caller sets the same value, and nothing else in the tests writes it.
    unsafe { std::env::set_var("LOCKSTEP_EXE", env!("CARGO_BIN_EXE_lockstep")) };
}

/// The lesson's embedded text.
#[allow(dead_code)] // not every test file reads the text
pub fn text(lesson: &str) -> content::Lesson {
    content::embedded()
        .unwrap()
        .into_iter()
        .find(|l| l.id == lesson)
        .unwrap_or_else(|| panic!("{lesson} is embedded"))
}

/// The lesson's parameters: its defaults with `overrides` applied.
pub fn params(lesson: &str, overrides: &[(&str, &str)]) -> Params {
    let o: Vec<(String, String)> = overrides
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Params::resolve(lesson, &text(lesson).params, &o).unwrap()
}

/// One variant run to the end and judged.
pub fn run(
    lesson: &str,
    variant: &str,
    p: &Params,
    mode: Mode,
    scale: f64,
    seed: u64,
) -> VariantResult {
    let code = lessons::find(lesson).unwrap();
    run_variant(code, variant, p, Config { mode, scale, seed })
}

/// A virtual run's events, at scale 1.
#[allow(dead_code)]
pub fn events(lesson: &str, variant: &str, p: &Params, seed: u64) -> Vec<Event> {
    let cfg = Config {
        mode: Mode::Virtual,
        scale: 1.0,
        seed,
    };
    let r = runner::start(lessons::find(lesson).unwrap(), variant, p, cfg);
    r.wait();
    r.events().try_iter().collect()
}

/// The variants the lesson's steps run, in step order.
#[allow(dead_code)]
pub fn step_variants(lesson: &content::Lesson) -> Vec<&str> {
    lesson
        .steps
        .iter()
        .filter_map(|s| s.variant.as_deref())
        .collect()
}
