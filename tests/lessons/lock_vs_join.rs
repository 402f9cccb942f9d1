//! lock-vs-join: every variant's expectations, in virtual mode over many seeds, and live.

use crate::support::lesson;
use lockstep::engine::{Config, Mode};
use lockstep::lessons;
use lockstep::params::Params;
use lockstep::runner::VariantResult;

fn params(overrides: &[(&str, &str)]) -> Params {
    lesson::params("lock-vs-join", overrides)
}

fn run(variant: &str, p: &Params, mode: Mode, scale: f64, seed: u64) -> VariantResult {
    lesson::run("lock-vs-join", variant, p, mode, scale, seed)
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

#[test]
fn every_variant_passes_its_checks_over_many_seeds() {
    // Small runs with no pause between read and write: each seed interleaves differently.
    for critical in ["0", "0.5"] {
        let p = params(&[("threads", "6"), ("work", "1"), ("critical", critical)]);
        let mut finals = std::collections::BTreeSet::new();
        for seed in 0..200 {
            for v in ["no-lock", "lock", "join"] {
                let r = run(v, &p, Mode::Virtual, 1.0, seed);
                assert!(r.ok, "{v} seed {seed} critical {critical}: {:?}", r.checks);
                if v == "no-lock" {
                    finals.insert(n(&r));
                } else {
                    assert_eq!(n(&r), 0);
                }
            }
        }
        if critical == "0" {
            // Seeds pick different interleavings: some lose updates, some do not.
            assert!(finals.len() > 1, "{finals:?}");
            assert!(finals.contains(&0), "{finals:?}");
        } else {
            assert_eq!(finals, [5].into(), "everyone reads before anyone writes");
        }
    }
}

#[test]
fn a_seed_replays_the_same_event_log() {
    let p = params(&[("threads", "8"), ("critical", "0")]);
    let lesson = lessons::find("lock-vs-join").unwrap();
    let log = |seed| {
        let cfg = Config {
            mode: Mode::Virtual,
            scale: 1.0,
            seed,
        };
        let run = lockstep::runner::start(lesson, "no-lock", &p, cfg);
        run.wait();
        let events: Vec<String> = run.events().try_iter().map(|e| format!("{e:?}")).collect();
        events.join("\n")
    };
    assert_eq!(log(5), log(5));
    assert_ne!(log(5), log(6), "different seeds pick different orders");
}
