//! gil: on the virtual clock, threads under one GIL never compute at the same moment and gain
//! nothing; without it, or as processes, they compute side by side and speed up by the worker
//! count; I/O-bound threads overlap their waits under the GIL. The answer is really computed
//! (the workers' sum is the sum of squares); the panel draws the GIL and the speed-ups.

use crate::support::lesson;
use crate::support::screen::{open, press, screen};
use lockstep::engine::{Event, Mode, ResourceKind, What};
use lockstep::params::Params;
use lockstep::runner::VariantResult;
use ratatui::crossterm::event::KeyCode;
use std::time::Duration;

fn params(overrides: &[(&str, &str)]) -> Params {
    lesson::params("gil", overrides)
}

fn run(variant: &str, p: &Params, seed: u64) -> VariantResult {
    lesson::run("gil", variant, p, Mode::Virtual, 1.0, seed)
}

fn speedup(r: &VariantResult) -> f64 {
    r.outcome["speedup"].as_f64().unwrap()
}

/// The workers' computing spans, [from, to) on the virtual clock, by thread (main left out).
fn spans(events: &[Event]) -> Vec<(u32, u64, u64)> {
    events
        .iter()
        .filter_map(|e| match e.what {
            What::Work { ns } if e.tid.0 != 0 && ns > 0 => Some((e.tid.0, e.at_ns, e.at_ns + ns)),
            _ => None,
        })
        .collect()
}

/// The most threads computing at one moment.
fn most_at_once(spans: &[(u32, u64, u64)]) -> usize {
    let mut edges: Vec<(u64, i32)> = spans
        .iter()
        .flat_map(|&(_, a, b)| [(a, 1), (b, -1)])
        .collect();
    edges.sort();
    let (mut now, mut most) = (0i32, 0i32);
    for (_, d) in edges {
        now += d;
        most = most.max(now);
    }
    most as usize
}

/// sum(i * i for i in range(n)) mod 2**64, as the job computes it.
fn sum_of_squares(n: u64) -> u64 {
    (0..n).fold(0u64, |s, i| s.wrapping_add(i.wrapping_mul(i)))
}

#[test]
fn under_one_gil_the_threads_take_turns_and_gain_nothing() {
    for workers in ["1", "2", "4", "8"] {
        let p = params(&[("workers", workers)]);
        for seed in 0..20 {
            let r = run("threads-gil", &p, seed);
            assert!(r.ok, "{workers} seed {seed}: {:?}", r.checks);
            assert!((speedup(&r) - 1.0).abs() < 0.01, "{}", speedup(&r));
            let events = lesson::events("gil", "threads-gil", &p, seed);
            assert_eq!(
                most_at_once(&spans(&events)),
                1,
                "{workers} workers computed at once"
            );
            // The GIL changed hands every switch interval: 2 s of job in 5 ms slices, twice.
            let gil = events
                .iter()
                .find_map(|e| match &e.what {
                    What::ResourceNew {
                        rid,
                        kind: ResourceKind::Gil,
                        ..
                    } => Some(*rid),
                    _ => None,
                })
                .expect("a GIL");
            let taken = events
                .iter()
                .filter(|e| matches!(e.what, What::Acquired { rid, .. } if rid == gil))
                .count();
            assert_eq!(taken, 2 * 400, "{workers}");
        }
    }
}

#[test]
fn without_it_and_as_processes_they_compute_side_by_side() {
    for workers in [1u64, 2, 4, 8] {
        let p = params(&[("workers", &workers.to_string())]);
        let r = run("threads-no-gil", &p, 3);
        assert!(r.ok, "{:?}", r.checks);
        assert!(
            (speedup(&r) - workers as f64).abs() < 0.01,
            "{}",
            speedup(&r)
        );
        let events = lesson::events("gil", "threads-no-gil", &p, 3);
        assert_eq!(most_at_once(&spans(&events)), workers as usize);
        let r = run("processes", &p, 3);
        assert!(r.ok, "{:?}", r.checks);
        // Starting processes costs a few milliseconds: close to the worker count, below it.
        let s = speedup(&r);
        assert!(s > 0.8 * workers as f64 && s <= workers as f64, "{s}");
    }
}

#[test]
fn the_job_is_really_computed_and_split_without_loss() {
    // 2 s at the virtual rate of 100 000 loops a second.
    let want = sum_of_squares(200_000);
    for v in ["threads-gil", "threads-no-gil", "processes"] {
        for workers in ["1", "3", "7"] {
            let r = run(v, &params(&[("workers", workers)]), 5);
            assert_eq!(r.outcome["answer_alone"].as_u64(), Some(want), "{v}");
            assert_eq!(
                r.outcome["answer_together"].as_u64(),
                Some(want),
                "{v} {workers}"
            );
        }
    }
}

#[test]
fn io_bound_threads_overlap_their_waits_under_the_gil() {
    let mut last = 0.0;
    for workers in ["1", "2", "4", "8"] {
        let r = run("io-threads-gil", &params(&[("workers", workers)]), 1);
        assert!(r.ok, "{workers}: {:?}", r.checks);
        let s = speedup(&r);
        assert!(s > last, "{workers} workers: {s} after {last}");
        last = s;
    }
    assert!(last > 4.5, "{last}");
    // With parsing longer than the wait, the job is CPU-bound again: the GIL wins.
    let p = params(&[("parse", "0.5"), ("io", "0.1")]);
    assert!(speedup(&run("io-threads-gil", &p, 1)) < 1.5);
}

#[test]
fn the_panel_draws_the_gil_and_the_speedups() {
    let mut s = open("gil", 1);
    press(&mut s, KeyCode::Char('m'));
    press(&mut s, KeyCode::Char('m')); // virtual
    for _ in 0..4 {
        press(&mut s, KeyCode::Char('r'));
        assert!(s.settle(Duration::from_secs(30)));
        press(&mut s, KeyCode::Char('v'));
    }
    let text = screen(&mut s.app, 120, 40);
    // The last run, the I/O-bound one, is on screen: 8 requests' parses of 10 slices each.
    assert!(text.contains("cars at red lights wait"), "{text}");
    assert!(text.contains("GIL: free · handed over 160×"), "{text}");
    assert!(text.contains("Threads, GIL"), "{text}");
    let row = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("│{name} ")))
            .unwrap_or_else(|| panic!("{name}: {text}"))
            .to_string()
    };
    assert!(
        row("Threads, GIL").contains("1× ideal 1×"),
        "{}",
        row("Threads, GIL")
    );
    assert!(
        row("Threads, no GIL").contains("4× ideal 4×"),
        "{}",
        row("Threads, no GIL")
    );
    assert!(row("I/O, threads, GIL").contains("ideal 3.14×"), "{text}");
    for car in ["main", "T1", "T2", "T3", "T4"] {
        assert!(row(car).contains('✓') || car == "main", "{}", row(car));
    }
}
