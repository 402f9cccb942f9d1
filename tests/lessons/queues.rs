//! queues: the tutorial's orders, a bounded queue that refuses and makes threads wait (seen
//! in the run's own events), every variant's checks over many seeds and live, the lesson text,
//! and the panel mid-run.

use crate::support::lesson;
use crate::support::screen as support;
use lockstep::engine::event::BlockedOn;
use lockstep::engine::trace::Trace;
use lockstep::engine::{Event, Mode, What};
use lockstep::lessons;
use lockstep::params::Params;
use lockstep::runner::VariantResult;
use lockstep::tui::Session;
use ratatui::crossterm::event::KeyCode;
use std::time::Duration;
use support::{open, press, screen};

fn params(overrides: &[(&str, &str)]) -> Params {
    lesson::params("queues", overrides)
}

fn run(variant: &str, p: &Params, mode: Mode, scale: f64, seed: u64) -> VariantResult {
    lesson::run("queues", variant, p, mode, scale, seed)
}

fn order(r: &VariantResult) -> Vec<String> {
    r.outcome["order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// A virtual run's events, and the trace they fold into.
fn events(variant: &str, p: &Params, seed: u64) -> (Vec<Event>, Trace) {
    let events = lesson::events("queues", variant, p, seed);
    let trace = Trace::from_events(&events);
    (events, trace)
}

#[test]
fn each_kind_of_queue_gives_the_tutorials_order() {
    let p = params(&[]);
    let want = [
        ("fifo", ["first", "second", "third"]),
        ("lifo", ["third", "second", "first"]),
        ("priority", ["(10, b)", "(20, a)", "(30, c)"]),
    ];
    for (v, want) in want {
        let r = run(v, &p, Mode::Virtual, 1.0, 1);
        assert!(r.ok, "{v}: {:?}", r.checks);
        assert_eq!(order(&r), want, "{v}");
        // One pause after each of the three puts and three gets.
        assert!((r.elapsed_ms - 3000.0).abs() < 1.0, "{v}: {}", r.elapsed_ms);
    }
}

#[test]
fn a_bounded_queue_fills_refuses_and_makes_puts_and_gets_wait() {
    let r = run("bounded", &params(&[]), Mode::Virtual, 1.0, 1);
    assert!(r.ok, "{:?}", r.checks);
    assert_eq!(order(&r), ["1", "2", "3", "4", "5", "6", "7"]);
    assert_eq!(r.outcome["full_after"], 3);
    assert_eq!(r.outcome["put_nowait_error"], "full");
    assert_eq!(r.outcome["get_nowait_error"], "empty");
    assert_eq!(r.outcome["blocked_puts"], 2);
    assert_eq!(r.outcome["blocked_gets"], 2);
}

#[test]
fn maxsize_decides_when_it_is_full() {
    for m in [1, 2, 5, 8] {
        let p = params(&[("maxsize", &m.to_string())]);
        let r = run("bounded", &p, Mode::Virtual, 1.0, 3);
        assert!(r.ok, "maxsize {m}: {:?}", r.checks);
        assert_eq!(r.outcome["full_after"], m);
        let want: Vec<String> = (1..=m + 4).map(|n| n.to_string()).collect();
        assert_eq!(order(&r), want);
    }
}

#[test]
fn every_variant_passes_its_checks_over_many_seeds() {
    let p = params(&[("pause", "0.1"), ("maxsize", "2")]);
    for seed in 0..200 {
        for v in ["fifo", "lifo", "priority", "bounded"] {
            let r = run(v, &p, Mode::Virtual, 1.0, seed);
            assert!(r.ok, "{v} seed {seed}: {:?}", r.checks);
        }
    }
}

#[test]
fn the_checks_can_fail() {
    // A bounded run judged against another maxsize: its order and fill no longer match.
    let lesson = lessons::find("queues").unwrap();
    let r = run("bounded", &params(&[]), Mode::Virtual, 1.0, 1);
    let other = params(&[("maxsize", "4")]);
    let judged = lockstep::runner::rejudge(lesson, "bounded", &other, &r);
    assert!(!judged.ok);
    let failed: Vec<&str> = judged
        .checks
        .iter()
        .filter(|c| !c.ok)
        .map(|c| c.name.en.as_str())
        .collect();
    assert!(failed.contains(&"maxsize puts make it full"), "{failed:?}");
    // A FIFO outcome judged as LIFO.
    let r = run("fifo", &params(&[]), Mode::Virtual, 1.0, 1);
    let judged = lockstep::runner::rejudge(lesson, "lifo", &params(&[]), &r);
    assert!(!judged.ok, "{:?}", judged.checks);
}

#[test]
fn waiting_threads_block_on_the_queue_in_the_order_they_came() {
    let (events, trace) = events("bounded", &params(&[]), 11);
    let name = |e: &Event| trace.thread_name(e.tid).to_string();
    let blocked: Vec<String> = events
        .iter()
        .filter(|e| {
            matches!(
                e.what,
                What::Blocked {
                    on: BlockedOn::Resource(_)
                }
            )
        })
        .map(name)
        .collect();
    assert_eq!(blocked, ["putter-1", "putter-2", "getter-1", "getter-2"]);
    // The waiting puts go in (moved in by main's gets) in the order they came.
    let late_puts: Vec<(String, String)> = events
        .iter()
        .filter_map(|e| match &e.what {
            What::Put { item, .. } if name(e).starts_with("putter") => {
                Some((name(e), item.clone()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        late_puts,
        [
            ("putter-1".into(), "4".into()),
            ("putter-2".into(), "5".into())
        ]
    );
    // Each non-blocking call was refused, once each, for the right reason.
    let refused: Vec<&str> = events
        .iter()
        .filter_map(|e| match &e.what {
            What::Refused { reason, .. } => Some(reason.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(refused, ["full", "empty"]);
    // The queue never held more than maxsize.
    let q = &trace.resources[0];
    assert_eq!(q.name, "q");
    assert_eq!(q.peak, 3);
    assert_eq!((q.puts, q.takes), (7, 7));
}

#[test]
fn a_priority_put_slides_into_its_sorted_place() {
    let (events, _) = events("priority", &params(&[]), 2);
    let puts: Vec<(String, usize)> = events
        .iter()
        .filter_map(|e| match &e.what {
            What::Put { item, index, .. } => Some((item.clone(), *index)),
            _ => None,
        })
        .collect();
    assert_eq!(
        puts,
        [
            ("(20, \"a\")".into(), 0),
            ("(10, \"b\")".into(), 0),
            ("(30, \"c\")".into(), 2)
        ]
    );
}

#[test]
fn the_lesson_text_runs_each_variant_in_order_and_fits_a_panel() {
    // That every step fits a panel is checked for all lessons in tests/content.rs.
    let text = lesson::text("queues");
    assert_eq!(
        lesson::step_variants(&text),
        ["fifo", "lifo", "priority", "bounded"]
    );
}

// ---- The panel ----

fn session() -> Session {
    open("queues", 7)
}

/// The panel's rows: the lines between " Queue " and the next panel, left column.
fn panel(text: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for l in text.lines() {
        if l.contains(" Queue ") {
            inside = true;
            continue;
        }
        if inside {
            if l.starts_with('└') || l.contains(" Log ") || l.contains(" Timings ") {
                break;
            }
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}

/// Step mode on the bounded step, moved until both putters wait on the full queue.
fn bounded_mid_run() -> Session {
    let mut s = session();
    for _ in 0..5 {
        press(&mut s, KeyCode::Right);
    }
    press(&mut s, KeyCode::Char('n'));
    assert!(s.settle(Duration::from_secs(30)));
    for _ in 0..200 {
        let waiting = s.app.trace().is_some_and(|t| {
            t.resources
                .first()
                .is_some_and(|q| q.waiters.len() == 2 && q.takes == 0)
        });
        if waiting {
            return s;
        }
        press(&mut s, KeyCode::Char('n'));
        assert!(s.settle(Duration::from_secs(30)));
    }
    panic!("the putters never both waited");
}

#[test]
fn the_panel_shows_the_full_queue_and_who_waits() {
    let mut s = bounded_mid_run();
    let wide = screen(&mut s.app, 120, 40);
    let p = panel(&wide);
    assert!(p.contains("3/3 (maxsize 3)  FULL"), "{p}");
    assert!(p.contains("out ◀ [1][2][3] ◀ in"), "{p}");
    assert!(p.contains("putter-1 putter-2: put waits (full)"), "{p}");
    assert!(p.contains("main: put_nowait → Full"), "{p}");
    insta::assert_snapshot!("queues_bounded_mid_run_120x40", wide);
    let small = screen(&mut s.app, 80, 24);
    assert!(
        small.contains("putter-1 putter-2: put waits (full)"),
        "{small}"
    );
    insta::assert_snapshot!("queues_bounded_mid_run_80x24", small);
}

#[test]
fn the_panel_shows_lifo_leaving_from_the_top() {
    let mut s = session();
    for _ in 0..2 {
        press(&mut s, KeyCode::Right);
    }
    // Virtual mode: the whole run at once.
    press(&mut s, KeyCode::Char('m'));
    press(&mut s, KeyCode::Char('m'));
    press(&mut s, KeyCode::Enter);
    assert!(s.settle(Duration::from_secs(30)));
    let p = panel(&screen(&mut s.app, 120, 40));
    assert!(p.contains("LIFO queue"), "{p}");
    assert!(p.contains("bottom (empty) ◀▶ top"), "{p}");
    assert!(p.contains("came out: third → second → first"), "{p}");
}

#[test]
fn before_a_run_the_panel_explains_the_four_queues() {
    let mut s = session();
    let p = panel(&screen(&mut s.app, 80, 24));
    for want in ["FIFO", "LIFO", "priority", "bounded"] {
        assert!(p.contains(want), "{p}");
    }
}
