//! lock-vs-join: every variant's expectations, in virtual mode over many seeds, and live.

use lockstep::content;
use lockstep::engine::{Config, Mode};
use lockstep::lessons;
use lockstep::params::Params;
use lockstep::runner::{VariantResult, run_variant};

fn params(overrides: &[(&str, &str)]) -> Params {
    let lesson = content::embedded()
        .unwrap()
        .into_iter()
        .find(|l| l.id == "lock-vs-join")
        .unwrap();
    let o: Vec<(String, String)> = overrides
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Params::resolve("lock-vs-join", &lesson.params, &o).unwrap()
}

fn run(variant: &str, p: &Params, mode: Mode, scale: f64, seed: u64) -> VariantResult {
    let lesson = lessons::find("lock-vs-join").unwrap();
    run_variant(lesson, variant, p, Config { mode, scale, seed })
}

fn n(r: &VariantResult) -> i64 {
    r.outcome["n"].as_i64().unwrap()
}

#[test]
fn virtual_defaults_match_the_tutorial() {
    let p = params(&[]);
    let no_lock = run("no-lock", &p, Mode::Virtual, 1.0, 1);
    let lock = run("lock", &p, Mode::Virtual, 1.0, 1);
    let join = run("join", &p, Mode::Virtual, 1.0, 1);
    assert_eq!((n(&no_lock), n(&lock), n(&join)), (99, 0, 0));
    assert_eq!(no_lock.outcome["lost_updates"], 99);
    assert!(
        (no_lock.elapsed_ms - 500.0).abs() <= 1.0,
        "{}",
        no_lock.elapsed_ms
    );
    assert!(
        (lock.elapsed_ms - 53_000.0).abs() <= 1.0,
        "{}",
        lock.elapsed_ms
    );
    assert!(
        (join.elapsed_ms - 350_000.0).abs() <= 1.0,
        "{}",
        join.elapsed_ms
    );
    for r in [&no_lock, &lock, &join] {
        assert!(r.ok, "{}: {:?}", r.id, r.checks);
        assert_eq!(r.fidelity, 1.0);
    }
}
