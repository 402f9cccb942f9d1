//! The screen in a classroom: results in a place of their own beside the lanes, parameters
//! changed in the app, a finished step run kept until asked twice, and timings that say when
//! they mean nothing.

use crate::support::screen::{open, press, screen};
use lockstep::tui::Session;
use ratatui::crossterm::event::KeyCode;
use std::time::Duration;

const SETTLE: Duration = Duration::from_secs(30);

fn chars(s: &mut Session, keys: &str) {
    for c in keys.chars() {
        press(s, KeyCode::Char(c));
    }
}

/// Enter, answering a prediction if one is asked first, and wait for the verdict.
fn run(s: &mut Session) {
    press(s, KeyCode::Enter);
    if s.app.asking() {
        chars(s, "1");
    }
    assert!(s.settle(SETTLE), "the run ends and is judged");
}

/// The row of the screen whose lane is `name` (its name at the timeline's left edge).
fn lane_row(text: &str, name: &str) -> Option<usize> {
    text.lines().position(|l| {
        l.replace('│', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .windows(2)
            .any(|w| w[0] == name && w[1].chars().all(|c| "·█─▓▒✓×⊘! ".contains(c)))
    })
}

#[test]
fn a_deadlock_box_sits_under_the_lanes_of_its_cycle_and_d_puts_it_away() {
    let mut s = open("deadlock", 7);
    chars(&mut s, "lll"); // the step with two locks, opposite orders
    chars(&mut s, "mm"); // virtual
    run(&mut s);
    for (w, h) in [(80, 24), (120, 40)] {
        let text = screen(&mut s.app, w, h);
        insta::assert_snapshot!(format!("deadlock_box_{w}x{h}"), text);
        let t1 = lane_row(&text, "T1").unwrap_or_else(|| panic!("T1's lane:\n{text}"));
        let t2 = lane_row(&text, "T2").unwrap_or_else(|| panic!("T2's lane:\n{text}"));
        let head = text
            .lines()
            .position(|l| l.contains("DEADLOCK: each thread"))
            .unwrap_or_else(|| panic!("the box names the deadlock:\n{text}"));
        assert!(
            t1 < head && t2 < head,
            "the cycle's lanes above the box:\n{text}"
        );
        assert!(text.contains("T1 holds B, waits for A"), "{text}");
        assert!(text.contains("R resets it"), "the box is not cut:\n{text}");
    }
    chars(&mut s, "d");
    let text = screen(&mut s.app, 80, 24);
    assert!(!text.contains("DEADLOCK: each thread"), "put away:\n{text}");
    assert!(text.contains(" Log "), "the log is back:\n{text}");
    assert!(
        text.contains("DEADLOCK"),
        "the header still says it:\n{text}"
    );
}

#[test]
fn parameters_change_in_the_app_show_in_the_header_and_p_puts_them_back() {
    let mut s = open("kettle", 7);
    chars(&mut s, "p");
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("params_{w}x{h}"), screen(&mut s.app, w, h));
    }
    let first = s.app.entry_params()[0].clone();
    press(&mut s, KeyCode::Right);
    let changed = s.app.entry_params()[0].clone();
    assert_eq!(changed.0, first.0);
    assert!(
        changed.1 > first.1,
        "→ raises {}: {first:?} → {changed:?}",
        first.0
    );
    let head = screen(&mut s.app, 120, 40)
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(head.contains(&format!("{}=", first.0)), "{head}");
    chars(&mut s, "P");
    assert_eq!(
        s.app.entry_params()[0],
        first,
        "P: the lesson's default again"
    );
    let head = screen(&mut s.app, 120, 40)
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(!head.contains("params"), "{head}");
    // Never past the range's end.
    for _ in 0..1000 {
        press(&mut s, KeyCode::Left);
    }
    let low = s.app.entry_params()[0].1;
    assert!(low >= 0.0, "{low}");
}

#[test]
fn n_on_a_finished_step_run_asks_before_starting_another() {
    let mut s = open("lock-vs-join", 7);
    chars(&mut s, "m"); // step
    run(&mut s);
    for _ in 0..2000 {
        if s.app.trace().is_some_and(|t| t.finished) {
            break;
        }
        chars(&mut s, "S");
        assert!(s.settle(SETTLE));
    }
    assert!(s.app.trace().is_some_and(|t| t.finished), "the run ends");
    let before = s.app.history().len();
    chars(&mut s, "n");
    assert!(
        s.app.trace().is_some_and(|t| t.finished),
        "the result stays"
    );
    let text = screen(&mut s.app, 120, 40);
    assert!(
        text.contains("this run is over: n again starts a new one"),
        "{text}"
    );
    chars(&mut s, "n");
    assert!(
        s.app.trace().is_some_and(|t| !t.finished),
        "a second n starts a new run"
    );
    assert_eq!(s.app.history().len(), before);
}
