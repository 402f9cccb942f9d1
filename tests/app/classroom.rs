//! The screen in a classroom: results in a place of their own beside the lanes, parameters
//! changed in the app, a finished step run kept until asked twice, and timings that say when
//! they mean nothing.

use crate::support::screen::{open, press, screen};
use lockstep::tui::Session;
use lockstep::tui::theme::Look;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Color;
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
            .position(|l| l.contains("⊗ DEADLOCK"))
            .unwrap_or_else(|| panic!("the box names the deadlock:\n{text}"));
        assert!(
            t1 < head && t2 < head,
            "the cycle's lanes above the box:\n{text}"
        );
        assert!(text.contains("T1 holds B, waits for A"), "{text}");
        if h >= 40 {
            assert!(text.contains("R resets it"), "the box is not cut:\n{text}");
        }
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

/// Every cell's colours at `w`x`h`: (foreground, background).
fn colours(s: &mut Session, w: u16, h: u16) -> Vec<(Color, Color)> {
    s.app.resize(w, h);
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| s.app.render(f)).unwrap();
    t.backend()
        .buffer()
        .content()
        .iter()
        .map(|c| (c.fg, c.bg))
        .collect()
}

#[test]
fn mono_has_no_colour_at_all_and_t_changes_the_look_and_keeps_it() {
    let mut s = open("deadlock", 7);
    chars(&mut s, "lll");
    chars(&mut s, "mm");
    run(&mut s);
    let dark = colours(&mut s, 80, 24);
    assert!(
        dark.iter().any(|(fg, _)| *fg != Color::Reset),
        "the dark look has colours"
    );
    s.app.start_look(Some(Look::Mono), false);
    let mono = colours(&mut s, 80, 24);
    assert!(
        mono.iter().all(|c| *c == (Color::Reset, Color::Reset)),
        "no colour in mono"
    );
    // The glyphs carry the states without colour.
    let text = screen(&mut s.app, 80, 24);
    assert!(text.contains("× cancelled") && text.contains('▒'), "{text}");
    assert!(text.contains("⊗ DEADLOCK"), "{text}");
    chars(&mut s, "C");
    assert_eq!(s.app.look, Look::Dark, "C goes round: mono, then dark");
    chars(&mut s, "C");
    assert_eq!(s.app.look, Look::Light);
    assert_eq!(s.app.progress().look.as_deref(), Some("light"), "kept");
    let light = colours(&mut s, 80, 24);
    assert!(
        !light
            .iter()
            .any(|(fg, bg)| *fg == Color::White && *bg == Color::Reset),
        "no white text on a light terminal"
    );
}

#[test]
fn presenter_mode_keeps_the_text_the_timeline_and_the_panel() {
    let mut s = open("lock-vs-join", 7);
    chars(&mut s, "ll");
    chars(&mut s, "z");
    assert!(s.app.present);
    chars(&mut s, "mm");
    run(&mut s);
    for (w, h) in [(80, 24), (120, 40)] {
        let text = screen(&mut s.app, w, h);
        insta::assert_snapshot!(format!("present_{w}x{h}"), text);
        assert!(
            text.contains("Race condition"),
            "the lesson's name:\n{text}"
        );
        assert!(text.contains("Timeline"), "{text}");
        assert!(!text.contains(" Log "), "no log:\n{text}");
        assert!(!text.contains("Timings"), "no timings:\n{text}");
        assert!(!text.contains("│ mode"), "no header:\n{text}");
    }
    chars(&mut s, "z");
    assert!(screen(&mut s.app, 120, 40).contains("Timings"));
}

#[test]
fn a_new_class_is_asked_every_prediction_again_and_keeps_the_rest() {
    let mut s = open("lock-vs-join", 7);
    chars(&mut s, "ll");
    chars(&mut s, "mm");
    run(&mut s); // answers the step's prediction
    let answered = |s: &Session| {
        s.app
            .progress()
            .lesson("lock-vs-join")
            .map_or(0, |l| l.answers.len())
    };
    assert_eq!(answered(&s), 1);
    press(&mut s, KeyCode::Esc); // the menu
    chars(&mut s, "N");
    assert_eq!(answered(&s), 1, "the first N only asks");
    chars(&mut s, "N");
    assert_eq!(answered(&s), 0, "every prediction forgotten");
    let l = s.app.progress().lesson("lock-vs-join").unwrap();
    assert!(l.visited && l.steps_seen.contains(&2), "the rest stays");
    press(&mut s, KeyCode::Enter);
    press(&mut s, KeyCode::Enter);
    assert!(s.app.asking(), "the question is asked again");
}
