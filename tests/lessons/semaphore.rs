//! semaphore: occupancy never exceeds N and reaches it, everyone gets in once, the queue at
//! the door is served in order; over many seeds, live, and on the screen.

use crate::support::lesson;
use crate::support::screen as support;
use lockstep::engine::event::{BlockedOn, ResourceKind};
use lockstep::engine::trace::Trace;
use lockstep::engine::{Event, Mode, What};
use lockstep::params::Params;
use lockstep::runner::VariantResult;
use lockstep::tui::Session;
use ratatui::crossterm::event::KeyCode;
use ratatui::text::Span;
use std::time::Duration;
use support::{open, press, screen};

const SETTLE: Duration = Duration::from_secs(30);

fn params(overrides: &[(&str, &str)]) -> Params {
    lesson::params("semaphore", overrides)
}

fn run(variant: &str, p: &Params, mode: Mode, scale: f64, seed: u64) -> VariantResult {
    lesson::run("semaphore", variant, p, mode, scale, seed)
}

fn events(variant: &str, p: &Params, seed: u64) -> Vec<Event> {
    lesson::events("semaphore", variant, p, seed)
}

fn get(r: &VariantResult, key: &str) -> serde_json::Value {
    r.outcome[key].clone()
}

/// Every stay's length in ns, sorted.
fn stays(events: &[Event]) -> Vec<u64> {
    let mut s: Vec<u64> = events
        .iter()
        .filter(|e| e.tid.0 != 0)
        .filter_map(|e| match e.what {
            What::Sleep { ns } => Some(ns),
            _ => None,
        })
        .collect();
    s.sort();
    s
}

#[test]
fn the_tutorials_restroom() {
    let p = params(&[]);
    let stalls = run("stalls", &p, Mode::Virtual, 1.0, 1);
    let mutex = run("mutex", &p, Mode::Virtual, 1.0, 1);
    let unbounded = run("unbounded", &p, Mode::Virtual, 1.0, 1);
    for r in [&stalls, &mutex, &unbounded] {
        assert!(r.ok, "{}: {:?}", r.id, r.checks);
        assert_eq!(get(r, "served"), 13);
    }
    // The semaphore's permits: 5, 1, and no semaphore at all.
    let permits = |variant: &str| {
        let trace = Trace::from_events(&events(variant, &p, 1));
        trace.resources.iter().find_map(|r| match r.kind {
            ResourceKind::Semaphore { permits } => Some(permits),
            _ => None,
        })
    };
    assert_eq!(
        (permits("stalls"), get(&stalls, "max_occupancy")),
        (Some(5), 5.into())
    );
    assert_eq!(
        (permits("mutex"), get(&mutex, "max_occupancy")),
        (Some(1), 1.into())
    );
    assert_eq!(permits("unbounded"), None);
    assert_eq!(get(&unbounded, "max_occupancy"), 13);

    // One seed, the same people with the same stays in every variant.
    let (s, m, u) = (
        events("stalls", &p, 1),
        events("mutex", &p, 1),
        events("unbounded", &p, 1),
    );
    assert_eq!(stays(&s), stays(&m));
    assert_eq!(stays(&s), stays(&u));
    let all = stays(&s);
    assert_eq!(all.len(), 13);
    assert!(all.iter().all(|&ns| ns < 3_000_000_000), "0 to 3 s");
    // No semaphore: the longest stay. One stall: all of them, one after another.
    let longest = *all.last().unwrap() as f64 / 1e6;
    let sum = all.iter().sum::<u64>() as f64 / 1e6;
    assert!(
        (unbounded.elapsed_ms - longest).abs() < 0.01,
        "{}",
        unbounded.elapsed_ms
    );
    assert!(
        (mutex.elapsed_ms - sum).abs() < 0.01,
        "{}",
        mutex.elapsed_ms
    );
    assert!(stalls.elapsed_ms > longest && stalls.elapsed_ms < sum);
}

#[test]
fn the_queue_at_the_door_is_served_in_order_and_never_overflows() {
    let p = params(&[]);
    for seed in 0..20 {
        let ev = events("stalls", &p, seed);
        let mut t = Trace::new();
        let mut queued = Vec::new();
        let mut admitted = Vec::new();
        for e in &ev {
            t.apply(e);
            if let Some(r) = t.resources.first() {
                assert!(
                    r.holders.len() <= 5,
                    "seed {seed}: {} inside",
                    r.holders.len()
                );
            }
            match e.what {
                What::Blocked {
                    on: BlockedOn::Resource(_),
                } => queued.push(e.tid),
                What::Acquired { .. } if queued.contains(&e.tid) => admitted.push(e.tid),
                _ => {}
            }
        }
        assert_eq!(queued.len(), 8, "seed {seed}: 13 people, 5 stalls");
        assert_eq!(admitted, queued, "seed {seed}: first come, first served");
        let r = &t.resources[0];
        assert_eq!((r.peak, r.acquisitions), (5, 13), "seed {seed}");
    }
}

#[test]
fn fewer_people_than_stalls_never_fill_it() {
    let p = params(&[("people", "3")]);
    let r = run("stalls", &p, Mode::Virtual, 1.0, 2);
    assert!(r.ok, "{:?}", r.checks);
    assert_eq!(get(&r, "max_occupancy"), 3);
}

#[test]
fn every_variant_passes_its_checks_over_many_seeds() {
    for (stalls, people) in [("3", "7"), ("2", "2")] {
        let p = params(&[("stalls", stalls), ("people", people)]);
        for seed in 0..200 {
            for v in ["stalls", "mutex", "unbounded"] {
                let r = run(v, &p, Mode::Virtual, 1.0, seed);
                assert!(r.ok, "{v} seed {seed} {stalls}/{people}: {:?}", r.checks);
                assert!(r.checks.len() >= 2, "{v}: {:?}", r.checks);
            }
        }
    }
}

#[test]
fn stays_of_zero_stand_right_back_up() {
    let p = params(&[("stay-max", "0"), ("people", "6")]);
    for v in ["stalls", "mutex", "unbounded"] {
        let r = run(v, &p, Mode::Virtual, 1.0, 5);
        assert!(r.ok, "{v}: {:?}", r.checks);
        assert_eq!(get(&r, "served"), 6);
        assert_eq!(r.elapsed_ms, 0.0);
    }
}

// ---- the screen ----

fn session() -> Session {
    open("semaphore", 1)
}

/// Step mode from the step named `variant`, moved `steps` times.
fn stepped(rights: usize, steps: usize) -> Session {
    let mut s = session();
    for _ in 0..rights {
        press(&mut s, KeyCode::Right);
    }
    press(&mut s, KeyCode::Char('n'));
    assert!(s.settle(SETTLE));
    for _ in 0..steps {
        press(&mut s, KeyCode::Char('n'));
        assert!(s.settle(SETTLE));
    }
    s
}

#[test]
fn the_panel_shows_stalls_queue_and_occupancy() {
    let mut s = stepped(1, 60);
    let wide = screen(&mut s.app, 120, 40);
    assert!(
        wide.contains("5 stalls · 0 free (the semaphore's counter)"),
        "{wide}"
    );
    assert!(wide.contains("door (4) ▸ P11 P12 P10 P13"), "{wide}");
    assert!(wide.contains("inside over time · peak 5/5"), "{wide}");
    insta::assert_snapshot!("semaphore_mid_run_120x40", wide);
    let small = screen(&mut s.app, 80, 24);
    assert!(small.contains("5 stalls · 0 free · served"), "{small}");
    assert!(small.contains("door (4) ▸ P11 P12 P10 P13"), "{small}");
    insta::assert_snapshot!("semaphore_mid_run_80x24", small);
}

#[test]
fn without_a_semaphore_the_crowd_has_no_stalls() {
    let mut s = stepped(5, 45);
    for (w, h) in [(120, 40), (80, 24)] {
        let text = screen(&mut s.app, w, h);
        assert!(
            text.contains("no semaphore: nobody waits at the door"),
            "{text}"
        );
        assert!(text.contains("no stall: "), "{text}");
        assert!(text.contains("peak 13 > 5"), "{text}");
    }
}

#[test]
fn a_finished_run_reads_in_both_languages() {
    let mut s = session();
    press(&mut s, KeyCode::Right);
    press(&mut s, KeyCode::Enter); // live, the lesson's scale
    assert!(s.settle(SETTLE));
    let text = screen(&mut s.app, 120, 40);
    assert!(text.contains("served 13/13"), "{text}");
    assert!(text.contains("at most 5 inside, 13 served"), "{text}");
    press(&mut s, KeyCode::Char('L'));
    for (w, h) in [(120, 40), (80, 24)] {
        let text = screen(&mut s.app, w, h);
        assert!(text.contains("洗手间"), "{text}");
        for line in text.lines() {
            assert!(Span::raw(line).width() <= w as usize, "{line}");
        }
    }
}

#[test]
fn no_size_breaks_the_panel() {
    let mut s = stepped(1, 60);
    for _ in 0..2 {
        for w in [0, 1, 10, 79, 80, 81, 100, 109, 110, 200] {
            for h in [0, 5, 23, 24, 25, 31, 32, 60] {
                let text = screen(&mut s.app, w, h);
                for line in text.lines() {
                    assert!(Span::raw(line).width() <= w as usize, "{w}x{h}: {line}");
                }
            }
        }
        // Then the same with no semaphore, finished.
        press(&mut s, KeyCode::Char('v'));
        press(&mut s, KeyCode::Char('v'));
        press(&mut s, KeyCode::Char('m')); // step → virtual
        press(&mut s, KeyCode::Enter);
        assert!(s.settle(SETTLE));
    }
}
