//! Thousands of random key sequences thrown at a real session (real runs on real threads, in
//! every mode, across the menu and every lesson): none panics, none hangs, and every screen
//! draws. Parameters are made small and live runs fast, so the whole test takes seconds.

use lockstep::content::{self, Lang};
use lockstep::tui::{App, Options, Session};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long one sequence may take before it counts as hung.
const BOUND: Duration = Duration::from_secs(20);

/// Every key the app knows, the scheduling ones several times over so that step-mode runs
/// get far. Not q or Ctrl-C: they end a sequence (their own tests cover them).
const KEYS: &[KeyCode] = &[
    KeyCode::Up,
    KeyCode::Down,
    KeyCode::Left,
    KeyCode::Right,
    KeyCode::Enter,
    KeyCode::Enter,
    KeyCode::Esc,
    KeyCode::Tab,
    KeyCode::Tab,
    KeyCode::BackTab,
    KeyCode::PageUp,
    KeyCode::PageDown,
    KeyCode::Home,
    KeyCode::End,
    KeyCode::F(1),
    KeyCode::Char('?'),
    KeyCode::Char('L'),
    KeyCode::Char('j'),
    KeyCode::Char('k'),
    KeyCode::Char('h'),
    KeyCode::Char('l'),
    KeyCode::Char('l'),
    KeyCode::Char('r'),
    KeyCode::Char('v'),
    KeyCode::Char('V'),
    KeyCode::Char(' '),
    KeyCode::Char('n'),
    KeyCode::Char('n'),
    KeyCode::Char('n'),
    KeyCode::Char('s'),
    KeyCode::Char('s'),
    KeyCode::Char('S'),
    KeyCode::Char('m'),
    KeyCode::Char('m'),
    KeyCode::Char('+'),
    KeyCode::Char('-'),
    KeyCode::Char('R'),
    KeyCode::Char('c'),
    KeyCode::Char('o'),
    KeyCode::Char('x'),
    KeyCode::Char('u'),
    KeyCode::Char('u'),
    KeyCode::Char('U'),
    KeyCode::Char('w'),
    KeyCode::Char('W'),
    KeyCode::Char('X'),
    KeyCode::Char('1'),
    KeyCode::Char('2'),
    KeyCode::Char('4'),
    KeyCode::Char('9'),
    KeyCode::Char('z'),
];

/// Every lesson, with small parameters: counts of at most 3, and a live scale of 1/1000.
/// `open`: start inside that lesson rather than on the menu.
fn session(open: Option<String>) -> Session {
    let mut lessons = content::embedded().expect("embedded lessons load");
    for l in &mut lessons {
        for p in &mut l.params {
            if p.integer {
                p.default = 3f64.clamp(p.min, p.max);
            }
        }
    }
    Session::new(App::new(Options {
        lessons,
        open,
        lang: Lang::En,
        seed: Some(1),
        scale: Some(0.001),
        params: Vec::new(),
    }))
}

fn draw(app: &mut App, w: u16, h: u16) {
    app.resize(w, h);
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| app.render(f)).unwrap();
}

const SIZES: [(u16, u16); 4] = [(80, 24), (120, 40), (100, 30), (200, 60)];

/// Press `keys` one by one, letting the runs move a little after each; draw now and then.
fn play(mut s: Session, keys: Vec<usize>, size: usize) {
    for (i, k) in keys.into_iter().enumerate() {
        s.key(KeyEvent::new(KEYS[k], KeyModifiers::NONE));
        // Runs move on their own threads; give them a moment, never waiting for long.
        s.settle(Duration::from_millis(2));
        if i % 6 == 5 {
            let (w, h) = SIZES[(size + i) % SIZES.len()];
            draw(&mut s.app, w, h);
        }
    }
    let (w, h) = SIZES[size];
    draw(&mut s.app, w, h);
}

/// Play `keys` on a session made by `make` on its own thread: fail if it panics, or if it
/// takes longer than `BOUND` (a hang).
fn bounded(make: fn() -> Session, keys: Vec<usize>, size: usize) {
    let (tx, rx) = mpsc::channel();
    let started = Instant::now();
    let player = std::thread::spawn(move || {
        play(make(), keys, size);
        let _ = tx.send(());
    });
    match rx.recv_timeout(BOUND) {
        Ok(()) => {}
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("a key sequence hung for {:?}", started.elapsed())
        }
        // The player panicked: join it to pass its panic on.
        Err(mpsc::RecvTimeoutError::Disconnected) => {}
    }
    if let Err(p) = player.join() {
        std::panic::resume_unwind(p);
    }
}

fn from_menu() -> Session {
    session(None)
}

/// Inside lock-vs-join, on its no-lock step, a step-mode run started.
fn stepping() -> Session {
    let mut s = session(Some("lock-vs-join".into()));
    for c in "lln4".chars() {
        s.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    s
}

/// How many sequences each test plays: `LOCKSTEP_FUZZ_CASES`, else a thousand.
fn cases() -> u32 {
    std::env::var("LOCKSTEP_FUZZ_CASES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1000)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// From the menu, whatever the keys: no panic, no hang, every screen draws.
    #[test]
    fn random_keys_from_the_menu(
        keys in proptest::collection::vec(0..KEYS.len(), 1..32),
        size in 0..SIZES.len(),
    ) {
        bounded(from_menu, keys, size);
    }

    /// The same, starting in a step-mode run (picks, undo, redo, S, challenges, saving).
    #[test]
    fn random_keys_while_stepping(
        keys in proptest::collection::vec(0..KEYS.len(), 1..32),
        size in 0..SIZES.len(),
    ) {
        bounded(stepping, keys, size);
    }
}
