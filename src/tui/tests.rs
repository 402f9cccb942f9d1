//! Keys in, effects out: what each key does, for whoever has the keys, checked on the effects
//! the app returns and the focus it ends in. No terminal, no runs, no threads.

use super::keys::Focus;
use super::{App, Effect, Options, Pane};
use crate::content;
use crate::engine::Mode;
use crate::words::Lang;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn app(open: Option<&str>) -> App {
    let mut a = App::new(Options {
        lessons: content::embedded().unwrap(),
        open: open.map(str::to_string),
        lang: Lang::En,
        seed: Some(1),
        scale: None,
        params: Vec::new(),
    });
    a.resize(120, 40);
    a
}

fn key(a: &mut App, code: KeyCode) -> Vec<Effect> {
    a.key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ch(a: &mut App, c: char) -> Vec<Effect> {
    key(a, KeyCode::Char(c))
}

fn ctrl_c(a: &mut App) -> Vec<Effect> {
    a.key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL))
}

/// The run a list of effects starts, if any: (variant, mode).
fn started(fx: &[Effect]) -> Option<(String, Mode)> {
    fx.iter().find_map(|e| match e {
        Effect::Start(r) => Some((r.variant.clone(), r.mode)),
        _ => None,
    })
}

#[test]
fn the_menu_moves_and_opens_a_lesson_with_a_chapter_mark() {
    let mut a = app(None);
    assert_eq!(a.focus(), Focus::Menu);
    assert!(key(&mut a, KeyCode::Down).is_empty());
    let fx = key(&mut a, KeyCode::Enter);
    assert_eq!(fx, vec![Effect::Mark("lock-vs-join step 1".into())]);
    assert_eq!(a.focus(), Focus::Lesson);
    // Keys the menu has no use for do nothing there.
    let mut m = app(None);
    for c in ['n', 's', 'c', 'w', 'u', 'W'] {
        assert!(ch(&mut m, c).is_empty(), "{c} on the menu");
        assert_eq!(m.focus(), Focus::Menu, "{c} on the menu");
    }
}

#[test]
fn in_a_lesson_enter_runs_the_steps_variant_and_esc_cancels_and_leaves() {
    let mut a = app(Some("deadlock"));
    for _ in 0..3 {
        key(&mut a, KeyCode::Right);
    }
    let fx = key(&mut a, KeyCode::Enter);
    assert_eq!(fx[0], Effect::Cancel, "the run before goes first");
    assert_eq!(started(&fx), Some(("two-locks".into(), Mode::Live)));
    let fx = key(&mut a, KeyCode::Esc);
    assert_eq!(fx, vec![Effect::Cancel]);
    assert_eq!(a.focus(), Focus::Menu);
}

#[test]
fn n_starts_a_step_run_and_then_steps_it() {
    let mut a = app(Some("lock-vs-join"));
    let fx = ch(&mut a, 'n');
    assert_eq!(started(&fx).map(|s| s.1), Some(Mode::Step));
    assert_eq!(ch(&mut a, 'n'), vec![Effect::Step(None)]);
    // `n` left step mode as the next run's; `m` cycles on: step → virtual → live.
    assert!(ch(&mut a, 'm').is_empty());
    let fx = key(&mut a, KeyCode::Enter);
    assert_eq!(started(&fx).map(|s| s.1), Some(Mode::Virtual));
}

#[test]
fn a_question_has_the_keys_until_it_is_answered_or_put_off() {
    let mut a = app(Some("lock-vs-join"));
    // Step 3 asks what n will be before its run.
    key(&mut a, KeyCode::Right);
    key(&mut a, KeyCode::Right);
    assert!(key(&mut a, KeyCode::Enter).is_empty(), "asks first");
    assert_eq!(a.focus(), Focus::Question);
    assert!(ch(&mut a, 'c').is_empty(), "no comparison while asked");
    assert_eq!(a.focus(), Focus::Question);
    let fx = ch(&mut a, '2');
    assert_eq!(started(&fx), Some(("no-lock".into(), Mode::Live)));
    assert_eq!(a.focus(), Focus::Lesson);
    // Asked again on another step: Esc puts it off and runs nothing.
    let mut b = app(Some("lock-vs-join"));
    key(&mut b, KeyCode::Right);
    key(&mut b, KeyCode::Right);
    key(&mut b, KeyCode::Enter);
    assert!(key(&mut b, KeyCode::Esc).is_empty());
    assert_eq!(b.focus(), Focus::Lesson);
}

#[test]
fn the_help_takes_every_key_but_its_own_and_quit() {
    let mut a = app(Some("kettle"));
    ch(&mut a, '?');
    assert_eq!(a.focus(), Focus::Help);
    for c in ['r', 'n', 'c', 'x', 'o'] {
        assert!(ch(&mut a, c).is_empty(), "{c} under the help");
        assert_eq!(a.focus(), Focus::Help);
    }
    assert!(key(&mut a, KeyCode::Esc).is_empty());
    assert_eq!(a.focus(), Focus::Lesson);
    ch(&mut a, '?');
    assert_eq!(ch(&mut a, 'q'), vec![Effect::Cancel, Effect::Quit]);
    assert!(a.quit);
}

#[test]
fn the_comparison_records_in_the_background_and_esc_stops_then_leaves() {
    let mut a = app(Some("lock-vs-join"));
    ch(&mut a, 'c');
    assert_eq!(a.focus(), Focus::Timing(Pane::Compare));
    assert!(ch(&mut a, '5').is_empty(), "5 runs a variant");
    let fx = key(&mut a, KeyCode::Enter);
    assert_eq!(fx[0], Effect::Cancel, "the run on screen stops");
    let Effect::Job(req) = &fx[1] else {
        panic!("a recording: {fx:?}")
    };
    assert_eq!((req.repeat, req.mode), (5, Mode::Live));
    // A second Enter while it goes starts nothing.
    assert!(key(&mut a, KeyCode::Enter).is_empty());
    assert_eq!(key(&mut a, KeyCode::Esc), vec![Effect::StopJob]);
    assert_eq!(a.focus(), Focus::Timing(Pane::Compare), "stopping stays");
    assert!(key(&mut a, KeyCode::Esc).is_empty());
    assert_eq!(a.focus(), Focus::Lesson);
    // Tab goes from one view to the other; c and w again close them.
    ch(&mut a, 'w');
    assert_eq!(a.focus(), Focus::Timing(Pane::Sweep));
    key(&mut a, KeyCode::Tab);
    assert_eq!(a.focus(), Focus::Timing(Pane::Compare));
    ch(&mut a, 'c');
    assert_eq!(a.focus(), Focus::Lesson);
}

#[test]
fn typing_the_sweeps_values_takes_every_letter_but_ctrl_c() {
    let mut a = app(Some("lock-vs-join"));
    ch(&mut a, 'w');
    ch(&mut a, 'e');
    assert_eq!(a.focus(), Focus::Typing);
    for c in ['q', '?', 'L', 'c'] {
        assert!(ch(&mut a, c).is_empty(), "{c} is text");
        assert!(!a.quit);
        assert_eq!(a.focus(), Focus::Typing);
    }
    assert!(key(&mut a, KeyCode::Esc).is_empty());
    assert_eq!(a.focus(), Focus::Timing(Pane::Sweep));
    // Typed values are checked when Enter takes them.
    ch(&mut a, 'e');
    a.key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    for c in "1, 2, 3".chars() {
        ch(&mut a, c);
    }
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.focus(), Focus::Timing(Pane::Sweep));
    assert_eq!(a.sweep_setup().unwrap().current_values(), [1.0, 2.0, 3.0]);
    ch(&mut a, 'e');
    assert_eq!(ctrl_c(&mut a), vec![Effect::Cancel, Effect::Quit]);
}

#[test]
fn the_challenge_list_chooses_and_takes_one_on() {
    let mut a = app(Some("lock-vs-join"));
    ch(&mut a, 'x');
    assert_eq!(a.left_panel(), super::Left::Challenges);
    key(&mut a, KeyCode::Down);
    key(&mut a, KeyCode::Down);
    let fx = key(&mut a, KeyCode::Enter);
    // The third challenge: lose an update by hand with two threads, in step mode.
    let Some(Effect::Start(req)) = fx.iter().find(|e| matches!(e, Effect::Start(_))) else {
        panic!("a run: {fx:?}")
    };
    assert_eq!((req.variant.as_str(), req.mode), ("no-lock", Mode::Step));
    assert_eq!(req.params.get("threads"), 2.0);
    // Esc leaves the lesson, and the lesson's own parameters come back.
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.focus(), Focus::Menu);
    key(&mut a, KeyCode::Enter);
    let fx = key(&mut a, KeyCode::Enter);
    let Some(Effect::Start(req)) = fx.iter().find(|e| matches!(e, Effect::Start(_))) else {
        panic!("a run: {fx:?}")
    };
    assert_eq!(req.params.get("threads"), 100.0);
}

#[test]
fn a_reset_cancels_and_undo_needs_a_step_run() {
    let mut a = app(Some("lock-vs-join"));
    assert_eq!(ch(&mut a, 'R'), vec![Effect::Cancel]);
    assert!(ch(&mut a, 'u').is_empty(), "nothing to undo");
    assert!(a.note().is_some(), "and the footer says so");
    ch(&mut a, 'n');
    assert!(ch(&mut a, 'u').is_empty(), "no choice made yet");
}
