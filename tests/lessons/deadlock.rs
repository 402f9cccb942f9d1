//! deadlock: the two deadlocking variants end in the right detected cycle, the two fixes finish,
//! in virtual mode over many seeds and live; and the panel draws the wait-for graph.

use crate::support::lesson;
use crate::support::screen as support;
use lockstep::engine::trace::Trace;
use lockstep::engine::{Event, Mode, What};
use lockstep::params::Params;
use lockstep::runner::VariantResult;
use lockstep::tui::Session;
use ratatui::crossterm::event::KeyCode;
use ratatui::text::Span;
use std::process::Command;
use std::time::Duration;
use support::{open, press, screen};

const SETTLE: Duration = Duration::from_secs(30);

fn params(overrides: &[(&str, &str)]) -> Params {
    lesson::params("deadlock", overrides)
}

fn run(variant: &str, p: &Params, mode: Mode, scale: f64, seed: u64) -> VariantResult {
    lesson::run("deadlock", variant, p, mode, scale, seed)
}

/// A virtual run's events.
fn events(variant: &str, p: &Params, seed: u64) -> Vec<Event> {
    lesson::events("deadlock", variant, p, seed)
}

/// What the demo printed, as the log shows it: "T1: got A".
fn said(events: &[Event]) -> Vec<String> {
    let t = Trace::from_events(events);
    events
        .iter()
        .filter_map(|e| match &e.what {
            What::Say { text } => Some(format!("{}: {text}", t.thread_name(e.tid))),
            _ => None,
        })
        .collect()
}

/// The trace at the moment the deadlock was found (before the threads unwind).
fn at_deadlock(events: &[Event]) -> Trace {
    let at = events
        .iter()
        .position(|e| matches!(e.what, What::DeadlockFound { .. }))
        .expect("a deadlock is found");
    Trace::from_events(&events[..=at])
}

#[test]
fn two_locks_deadlocks_as_in_the_tutorial() {
    let p = params(&[]);
    let r = run("two-locks", &p, Mode::Virtual, 1.0, 1);
    assert!(r.ok, "{:?}", r.checks);
    let d = r.deadlock.as_ref().expect("a detected deadlock");
    let cycle: Vec<(&str, Vec<&str>, &str)> = d
        .cycle
        .iter()
        .map(|l| {
            let holds = l.holds.iter().map(String::as_str).collect();
            (l.thread.as_str(), holds, l.waits_for.as_str())
        })
        .collect();
    assert_eq!(cycle, [("T1", vec!["B"], "A"), ("T2", vec!["A"], "B")]);
    // Everyone else queues for A behind the cycle; main waits for T1.
    let behind: Vec<&str> = d
        .stuck
        .iter()
        .filter(|l| l.waits_for == "A" && l.holds.is_empty())
        .map(|l| l.thread.as_str())
        .collect();
    assert_eq!(behind, ["T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10"]);
    assert!(
        d.stuck
            .iter()
            .any(|l| l.thread == "main" && l.waits_for == "T1 to finish")
    );
    // Found when T1 wakes from its 2 s nap.
    assert!((r.elapsed_ms - 2000.0).abs() <= 1.0, "{}", r.elapsed_ms);
    // Main never returns: the outcome comes from the report.
    assert_eq!(r.outcome["deadlocked"], true, "{:?}", r.outcome);
    assert_eq!(r.outcome["finished"], 0, "nobody got through f2");

    // The log prints what the tutorial printed before it hung.
    let ev = events("two-locks", &p, 1);
    assert_eq!(
        said(&ev),
        ["T1: got A", "T1: got B", "T1: got B", "T2: got A"]
    );
    // And the names in the cycle are the trace's: T2 owns A, T1 owns B, both waiting.
    let t = at_deadlock(&ev);
    let owner = |lock: &str| {
        let r = t.resources.iter().find(|r| r.name == lock).unwrap();
        t.thread_name(r.owner.unwrap()).to_string()
    };
    assert_eq!((owner("A"), owner("B")), ("T2".into(), "T1".into()));
    let a = t.resources.iter().find(|r| r.name == "A").unwrap();
    let waiting: Vec<&str> = a.waiters.iter().map(|&w| t.thread_name(w)).collect();
    assert_eq!(waiting.first(), Some(&"T3"));
    assert_eq!(waiting.last(), Some(&"T1"), "T1 asked for A last");
}

#[test]
fn self_deadlock_is_a_cycle_of_one() {
    let p = params(&[]);
    let r = run("self-deadlock", &p, Mode::Virtual, 1.0, 1);
    assert!(r.ok, "{:?}", r.checks);
    let d = r.deadlock.as_ref().unwrap();
    assert_eq!(d.cycle.len(), 1);
    assert_eq!(d.cycle[0].thread, "T1");
    assert_eq!(d.cycle[0].holds, ["A"]);
    assert_eq!(d.cycle[0].waits_for, "A");
    let ev = events("self-deadlock", &p, 1);
    assert_eq!(said(&ev), ["T1: got A"], "\"got A again\" never prints");
}

#[test]
fn both_fixes_finish_and_take_the_same_time() {
    let p = params(&[]);
    let rlock = run("rlock", &p, Mode::Virtual, 1.0, 1);
    let ordering = run("ordering", &p, Mode::Virtual, 1.0, 1);
    for r in [&rlock, &ordering] {
        assert!(r.ok, "{}: {:?}", r.id, r.checks);
        assert!(r.deadlock.is_none());
        assert_eq!(r.outcome["finished"], 10);
        assert_eq!(r.outcome["deadlocked"], false);
        // Every thread naps 2 s holding the lock everyone takes first: 10 × 2 s.
        assert!((r.elapsed_ms - 20_000.0).abs() <= 1.0, "{}", r.elapsed_ms);
    }
    // No more parallelism with ordering than with the reentrant lock, as the lesson says.
    assert_eq!(rlock.elapsed_ms, ordering.elapsed_ms);
    let ev = events("rlock", &p, 1);
    assert_eq!(said(&ev).len(), 40, "each of 10 threads prints 4 lines");
}

#[test]
fn the_reentrant_lock_counts_its_owner_twice() {
    let ev = events("rlock", &params(&[("threads", "2")]), 3);
    let mut t = Trace::new();
    let mut most = 0;
    for e in &ev {
        t.apply(e);
        if let Some(r) = t.resources.iter().find(|r| r.name == "A=B") {
            most = most.max(r.count);
            assert!(r.count <= 2, "f1 and f2 take it at most twice");
        }
    }
    assert_eq!(most, 2, "its owner took it a second time");
    assert!(t.finished);
}

#[test]
fn every_variant_passes_its_checks_over_many_seeds() {
    for threads in ["2", "4"] {
        let p = params(&[("threads", threads)]);
        for seed in 0..200 {
            for v in ["two-locks", "self-deadlock", "rlock", "ordering"] {
                let r = run(v, &p, Mode::Virtual, 1.0, seed);
                assert!(r.ok, "{v} seed {seed} threads {threads}: {:?}", r.checks);
                if v == "two-locks" {
                    let c = &r.deadlock.as_ref().unwrap().cycle;
                    assert_eq!((c[0].thread.as_str(), c[1].thread.as_str()), ("T1", "T2"));
                }
            }
        }
    }
}

#[test]
fn the_cli_reports_the_cycle_as_json() {
    let o = Command::new(env!("CARGO_BIN_EXE_lockstep"))
        .args(["run", "deadlock", "--mode", "virtual", "--seed", "4"])
        .args(["--param", "threads=3", "--format", "json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let v = doc["variants"].as_array().unwrap();
    let ids: Vec<&str> = v.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["two-locks", "self-deadlock", "rlock", "ordering"]);
    for r in v {
        assert_eq!(r["ok"], true, "{r}");
    }
    assert_eq!(v[0]["deadlock"]["cycle"][0]["thread"], "T1");
    assert_eq!(v[0]["deadlock"]["cycle"][0]["waits_for"], "A");
    assert_eq!(v[1]["deadlock"]["cycle"].as_array().unwrap().len(), 1);
    assert_eq!(v[2]["outcome"]["finished"], 3);
    assert_eq!(v[3]["outcome"]["deadlocked"], false);
    assert!(v[3]["deadlock"].is_null());
}

// ---- the screen ----

fn session() -> Session {
    open("deadlock", 1)
}

/// two-locks in step mode, seed 1, moved until T1 naps holding B and T2..T5 wait.
fn mid_run() -> Session {
    let mut s = session();
    press(&mut s, KeyCode::Right); // the two-locks step
    press(&mut s, KeyCode::Char('n'));
    assert!(s.settle(SETTLE));
    for _ in 0..38 {
        press(&mut s, KeyCode::Char('n'));
        assert!(s.settle(SETTLE));
    }
    s
}

#[test]
fn the_panel_grows_the_wait_for_graph() {
    let mut s = mid_run();
    let wide = screen(&mut s.app, 120, 40);
    assert!(wide.contains("B held by T1 (sleeping)"), "{wide}");
    assert!(wide.contains("─A─▶ T2 ─B─▶ T1 (sleeping)"), "{wide}");
    assert!(!wide.contains("CYCLE"), "{wide}");
    insta::assert_snapshot!("deadlock_mid_run_120x40", wide);
    let small = screen(&mut s.app, 80, 24);
    assert!(small.contains("─A─▶ T2 ─B─▶ T1 (sleeping)"), "{small}");
    insta::assert_snapshot!("deadlock_mid_run_80x24", small);
}

#[test]
fn the_cycle_is_drawn_in_the_panel_and_r_resets() {
    let mut s = session();
    press(&mut s, KeyCode::Right);
    press(&mut s, KeyCode::Enter); // live, the lesson's scale
    assert!(s.settle(SETTLE));
    for (w, h) in [(120, 40), (80, 24)] {
        let text = screen(&mut s.app, w, h);
        assert!(text.contains("DEADLOCK"), "{text}");
        assert!(text.contains("CYCLE: nobody in it can ever move"), "{text}");
        assert!(text.contains("T1 ─A─▶ T2 ─B─▶ T1"), "{text}");
        assert!(text.contains("─A─▶ T2  stuck behind it"), "{text}");
        assert!(text.contains("A held by T2"), "{text}");
        assert!(text.contains("B held by T1"), "{text}");
        assert!(text.contains("main ─join─▶ T1"), "{text}");
        for line in text.lines() {
            assert!(Span::raw(line).width() <= w as usize, "{line}");
        }
    }
    press(&mut s, KeyCode::Char('R'));
    let text = screen(&mut s.app, 120, 40);
    // The banner and the cycle go; the timings table keeps the verdict.
    assert!(!text.contains("R resets it"), "{text}");
    assert!(!text.contains("CYCLE"), "{text}");
    assert!(text.contains("Run a variant"), "{text}");
    // And it runs again.
    press(&mut s, KeyCode::Enter);
    assert!(s.settle(SETTLE));
    assert!(screen(&mut s.app, 120, 40).contains("T1 ─A─▶ T2 ─B─▶ T1"));
}

#[test]
fn self_deadlock_points_at_itself_and_chinese_fits() {
    let mut s = session();
    for _ in 0..4 {
        press(&mut s, KeyCode::Right);
    }
    press(&mut s, KeyCode::Enter);
    assert!(s.settle(SETTLE));
    let text = screen(&mut s.app, 120, 40);
    assert!(text.contains("T1 ─A─▶ T1 (itself)"), "{text}");
    press(&mut s, KeyCode::Char('L'));
    for (w, h) in [(120, 40), (80, 24)] {
        let text = screen(&mut s.app, w, h);
        assert!(text.contains("成环"), "{text}");
        for line in text.lines() {
            assert!(Span::raw(line).width() <= w as usize, "{line}");
        }
    }
}

#[test]
fn no_size_breaks_the_panel() {
    let mut s = mid_run();
    for _ in 0..2 {
        for w in [0, 1, 10, 79, 80, 81, 100, 109, 110, 200] {
            for h in [0, 5, 23, 24, 25, 31, 32, 60] {
                let text = screen(&mut s.app, w, h);
                for line in text.lines() {
                    assert!(Span::raw(line).width() <= w as usize, "{w}x{h}: {line}");
                }
            }
        }
        // Then the same once the deadlock is found.
        press(&mut s, KeyCode::Char('m')); // step → virtual
        press(&mut s, KeyCode::Enter);
        assert!(s.settle(SETTLE));
    }
}

#[test]
fn a_fix_that_finishes_leaves_every_lock_free() {
    let mut s = session();
    for _ in 0..6 {
        press(&mut s, KeyCode::Right); // the ordering step
    }
    press(&mut s, KeyCode::Char('m'));
    press(&mut s, KeyCode::Char('m')); // virtual
    press(&mut s, KeyCode::Enter);
    assert!(s.settle(SETTLE));
    for (w, h) in [(120, 40), (80, 24)] {
        let text = screen(&mut s.app, w, h);
        assert!(text.contains("A free · taken 20×"), "{text}");
        assert!(text.contains("B free · taken 20×"), "{text}");
        assert!(
            text.contains("all threads finished: no cycle formed"),
            "{text}"
        );
        assert!(text.contains("10 finished"), "{text}");
    }
}
