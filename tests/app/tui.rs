//! The screen, without a terminal: keys go into a real session (real runs on real threads),
//! and what a learner would see is read from a `TestBackend`.

use crate::support::demos;
use crate::support::screen as support;
use lockstep::content::{self, Lang};
use lockstep::engine::{Config, Mode, Run, Tid};
use lockstep::tui::{Action, App, Effect, Options, Screen, Session};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::text::Span;
use std::time::Duration;
use support::{press, screen};

const SETTLE: Duration = Duration::from_secs(30);

/// The embedded lessons, with lock-vs-join's thread count set to `threads`.
fn lessons(threads: Option<u32>) -> Vec<content::Lesson> {
    let mut all = content::embedded().expect("embedded lessons load");
    if let Some(n) = threads {
        let l = all.iter_mut().find(|l| l.id == "lock-vs-join").unwrap();
        l.params
            .iter_mut()
            .find(|p| p.key == "threads")
            .unwrap()
            .default = n as f64;
    }
    all
}

fn session(open: Option<&str>, threads: Option<u32>) -> Session {
    Session::new(App::new(Options {
        lessons: lessons(threads),
        open: open.map(str::to_string),
        lang: Lang::En,
        seed: Some(7),
        scale: None,
        params: Vec::new(),
    }))
}

fn chars(s: &mut Session, keys: &str) {
    for c in keys.chars() {
        press(s, KeyCode::Char(c));
    }
}

/// The timings table's row of `variant` run in `mode`.
fn timings_row<'a>(text: &'a str, variant: &str, mode: &str) -> &'a str {
    text.lines()
        .find(|l| {
            l.trim_start_matches('│')
                .starts_with(&format!("{variant} "))
                && l.contains(&format!(" {mode} "))
        })
        .unwrap_or_else(|| panic!("a timings row for {variant} ({mode}):\n{text}"))
}

/// Set the mode for the next run with `m`.
fn set_mode(s: &mut Session, mode: Mode) {
    for _ in 0..3 {
        if s.app.screen == Screen::Lesson && header_mode(&mut s.app) == mode.name() {
            return;
        }
        press(s, KeyCode::Char('m'));
    }
    assert_eq!(header_mode(&mut s.app), mode.name());
}

fn header_mode(app: &mut App) -> String {
    let text = screen(app, 120, 40);
    let head = text.lines().next().unwrap().to_string();
    let after = head.split("mode ").nth(1).unwrap_or("");
    after.split_whitespace().next().unwrap_or("").to_string()
}

#[test]
fn menu_snapshots() {
    let mut s = session(None, None);
    insta::assert_snapshot!("menu_120x40", screen(&mut s.app, 120, 40));
    insta::assert_snapshot!("menu_80x24", screen(&mut s.app, 80, 24));
}

#[test]
fn enter_on_the_menu_opens_the_lesson() {
    let mut s = session(None, None);
    assert_eq!(s.app.screen, Screen::Menu);
    press(&mut s, KeyCode::Down); // the second lesson
    press(&mut s, KeyCode::Enter);
    assert_eq!(s.app.screen, Screen::Lesson);
    let text = screen(&mut s.app, 120, 40);
    assert!(text.contains("Race condition: lock vs join"), "{text}");
    assert!(text.contains("step 1/8"), "{text}");
}

#[test]
fn right_arrow_moves_a_step_and_left_comes_back() {
    let mut s = session(Some("lock-vs-join"), None);
    press(&mut s, KeyCode::Right);
    let text = screen(&mut s.app, 120, 40);
    assert!(text.contains("step 2/8"), "{text}");
    assert!(text.contains("In Python,"), "{text}");
    press(&mut s, KeyCode::Left);
    assert!(screen(&mut s.app, 120, 40).contains("step 1/8"));
}

#[test]
fn a_step_that_names_a_variant_selects_it() {
    let mut s = session(Some("lock-vs-join"), None);
    chars(&mut s, "ll");
    assert!(screen(&mut s.app, 120, 40).contains("Enter runs: No lock"));
    chars(&mut s, "ll");
    assert!(screen(&mut s.app, 120, 40).contains("Enter runs: With a lock"));
    chars(&mut s, "v");
    assert!(screen(&mut s.app, 120, 40).contains("Enter runs: Start, then join"));
}

#[test]
fn no_lock_in_virtual_mode_puts_n_99_in_the_timings() {
    let mut s = session(Some("lock-vs-join"), None);
    set_mode(&mut s, Mode::Virtual);
    chars(&mut s, "ll"); // the no-lock step
    press(&mut s, KeyCode::Enter);
    chars(&mut s, "4"); // its prediction is asked first: n = 99
    assert!(s.settle(SETTLE), "the run ends and is judged");
    let text = screen(&mut s.app, 120, 40);
    let row = timings_row(&text, "no-lock", "virtual");
    assert!(row.contains("n = 99, lost 99"), "{row}");
    assert!(row.contains("✓"), "every check passes: {row}");
    assert!(
        row.contains("0.52 s, n = 99"),
        "the tutorial's figure beside ours: {row}"
    );
    assert!(
        row.contains(" 0.50 s "),
        "at scale 1 the run takes C: {row}"
    );
    assert!(text.contains("finished"), "{text}");
    // The whole run is on screen: 101 threads, every one done.
    assert!(text.contains("101 threads:  ✓ done 101"), "{text}");
    // And it reads at 80x24 too.
    let small = screen(&mut s.app, 80, 24);
    assert!(small.contains("n = 99, lost 99"), "{small}");
}

#[test]
fn every_variant_lands_in_the_table_in_variant_order() {
    let mut s = session(Some("lock-vs-join"), Some(10));
    set_mode(&mut s, Mode::Virtual);
    for _ in 0..3 {
        press(&mut s, KeyCode::Enter);
        assert!(s.settle(SETTLE));
        press(&mut s, KeyCode::Char('v'));
    }
    let text = screen(&mut s.app, 120, 40);
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.contains(" virtual ") && l.contains("lost"))
        .collect();
    assert_eq!(rows.len(), 3, "{text}");
    assert!(
        rows[0].contains("│no-lock ") && rows[0].contains("n = 9, lost 9"),
        "{text}"
    );
    assert!(
        rows[1].contains("│lock ") && rows[1].contains("n = 0, lost 0"),
        "{text}"
    );
    assert!(
        rows[2].contains("│join ") && rows[2].contains("n = 0, lost 0"),
        "{text}"
    );
    for r in rows {
        assert!(r.contains("✓"), "every check passes: {r}");
    }
    // At 80x24 the mode column gives way; every row is virtual, so the title says it.
    let small = screen(&mut s.app, 80, 24);
    assert!(small.contains(" Timings (virtual) "), "{small}");
    assert!(small.contains("n = 0, lost 0"), "{small}");
}

#[test]
fn a_live_run_finishes_and_is_judged_off_the_ui_thread() {
    let mut s = session(Some("lock-vs-join"), Some(5));
    chars(&mut s, "ll");
    press(&mut s, KeyCode::Enter); // live, the lesson's scale
    chars(&mut s, "4"); // after the prediction
    assert!(s.settle(SETTLE));
    let text = screen(&mut s.app, 120, 40);
    let row = timings_row(&text, "no-lock", "live");
    assert!(row.contains("n = 4, lost 4"), "{row}");
}

/// Five threads, no lock, step mode, seed 7: after 30 steps the run is mid-way, with three
/// threads done and two updates already lost.
fn mid_run() -> Session {
    let mut s = session(Some("lock-vs-join"), Some(5));
    chars(&mut s, "ll");
    press(&mut s, KeyCode::Char('n')); // starts a step-mode run
    chars(&mut s, "4"); // after the prediction
    assert!(s.settle(SETTLE));
    for _ in 0..30 {
        press(&mut s, KeyCode::Char('n'));
        assert!(s.settle(SETTLE));
    }
    s
}

#[test]
fn mid_run_snapshots() {
    let mut s = mid_run();
    let wide = screen(&mut s.app, 120, 40);
    assert!(wide.contains("your move: n"), "{wide}");
    assert!(wide.contains("lost updates 2"), "{wide}");
    assert!(wide.contains("writes n = 4 (lost update"), "{wide}");
    insta::assert_snapshot!("lesson_mid_run_120x40", wide);
    insta::assert_snapshot!("lesson_mid_run_80x24", screen(&mut s.app, 80, 24));
}

#[test]
fn l_rewrites_the_whole_log_in_chinese_and_back() {
    let mut s = mid_run();
    let en = screen(&mut s.app, 120, 40);
    press(&mut s, KeyCode::Char('L'));
    let zh = screen(&mut s.app, 120, 40);
    for line in [
        "5.00 ms T4 醒来",
        "5.00 ms T1 写入 n = 4 ",
        "5.00 ms main 的 join 返回了：T1 已结束",
        "5.00 ms T2 写入 n = 4（丢失更新：覆盖了一个更新的值）",
        "5.00 ms T3 完成了",
        "· 就绪 3  ✓ 完成 3",
        "main 就绪",
    ] {
        assert!(zh.contains(line), "{line:?} in\n{zh}");
    }
    for english in ["lost update", " wakes", " is done", "ready"] {
        assert!(!zh.contains(english), "{english:?} in\n{zh}");
    }
    // Back to English: the very same screen, every log line byte for byte.
    press(&mut s, KeyCode::Char('L'));
    assert_eq!(screen(&mut s.app, 120, 40), en);
}

#[test]
fn step_mode_is_deterministic() {
    let a = screen(&mut mid_run().app, 120, 40);
    let b = screen(&mut mid_run().app, 120, 40);
    assert_eq!(a, b);
}

#[test]
fn you_can_be_the_scheduler() {
    // Two threads, no lock. Move T1 through its whole read-sleep-write before T2 reads
    // (Tab chooses, s moves the chosen one): no update is lost, and the table shows that the
    // lesson's expectation "updates are lost without a lock" failed this time. Luck, not a lock.
    let mut s = session(Some("lock-vs-join"), Some(2));
    chars(&mut s, "ll");
    press(&mut s, KeyCode::Char('n'));
    chars(&mut s, "4"); // after the prediction
    assert!(s.settle(SETTLE));
    for _ in 0..60 {
        let text = screen(&mut s.app, 120, 40);
        // The threads panel: "│▶T1   ready    → reads n · line 14": a row per thread that
        // can move, with what it would do.
        let movable: Vec<&str> = text.lines().filter(|l| l.contains(" → ")).collect();
        if movable.is_empty() {
            break; // over
        }
        let line = movable.join("\n");
        let names: Vec<&str> = movable
            .iter()
            .filter_map(|l| {
                let cell = l.split('│').find(|c| c.contains(" → "))?;
                cell.trim_start()
                    .trim_start_matches('▶')
                    .split_whitespace()
                    .next()
            })
            .collect();
        let tid = [("T1", Tid(1)), ("main", Tid(0)), ("T2", Tid(2))]
            .into_iter()
            .find(|(name, _)| names.contains(name))
            .map(|(_, tid)| tid)
            .unwrap_or_else(|| panic!("someone can move: {line}"));
        for _ in 0..4 {
            if s.app.chosen_thread() == Some(tid) {
                break;
            }
            press(&mut s, KeyCode::Tab);
        }
        assert_eq!(s.app.chosen_thread(), Some(tid), "{line}");
        press(&mut s, KeyCode::Char('s'));
        assert!(s.settle(SETTLE));
    }
    let text = screen(&mut s.app, 120, 40);
    let row = timings_row(&text, "no-lock", "step");
    assert!(row.contains("n = 0, lost 0"), "{row}");
    assert!(
        row.contains("✗") && row.contains("updates are lost"),
        "{row}"
    );
}

#[test]
fn help_opens_with_question_mark_and_closes_with_esc() {
    let mut s = session(Some("lock-vs-join"), None);
    press(&mut s, KeyCode::Char('?'));
    let text = screen(&mut s.app, 120, 40);
    assert!(text.contains("next operation"), "{text}");
    press(&mut s, KeyCode::Esc);
    assert_eq!(
        s.app.screen,
        Screen::Lesson,
        "Esc closes the help, not the lesson"
    );
    assert!(!screen(&mut s.app, 120, 40).contains("next operation"));
}

#[test]
fn help_snapshots() {
    let mut s = session(Some("lock-vs-join"), None);
    press(&mut s, KeyCode::Char('?'));
    insta::assert_snapshot!("help_120x40", screen(&mut s.app, 120, 40));
    insta::assert_snapshot!("help_80x24", screen(&mut s.app, 80, 24));
}

#[test]
fn help_lists_every_key_the_app_knows() {
    let mut s = session(Some("lock-vs-join"), None);
    press(&mut s, KeyCode::Char('?'));
    let text = screen(&mut s.app, 120, 40);
    for key in [
        "←/→",
        "↑/↓",
        "Enter",
        "v V",
        "m",
        "+ -",
        "space",
        "R",
        "Esc",
        "n",
        "Tab",
        "s",
        "PgUp/PgDn",
        "Home/End",
        "L",
        "?",
        "q Ctrl-C",
    ] {
        assert!(text.contains(key), "help lists {key}:\n{text}");
    }
}

#[test]
fn q_quits_and_ctrl_c_too() {
    let mut s = session(None, None);
    press(&mut s, KeyCode::Char('q'));
    assert!(s.app.quit);
    let mut s = session(Some("lock-vs-join"), None);
    s.key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert!(s.app.quit);
}

#[test]
fn esc_goes_back_to_the_menu_and_cancels_the_run() {
    let mut s = session(Some("lock-vs-join"), Some(3));
    press(&mut s, KeyCode::Char('n'));
    assert!(s.settle(SETTLE));
    press(&mut s, KeyCode::Esc);
    assert_eq!(s.app.screen, Screen::Menu);
    assert!(s.app.trace().is_none());
}

#[test]
fn reset_clears_the_timeline() {
    let mut s = mid_run();
    assert!(screen(&mut s.app, 120, 40).contains("6 threads"));
    press(&mut s, KeyCode::Char('R'));
    let text = screen(&mut s.app, 120, 40);
    assert!(text.contains("idle"), "{text}");
    assert!(!text.contains("6 threads"), "{text}");
}

#[test]
fn speed_keys_halve_and_double_the_scale_within_bounds() {
    let mut s = session(Some("lock-vs-join"), None);
    assert!(screen(&mut s.app, 120, 40).contains("scale 0.01 "));
    press(&mut s, KeyCode::Char('+'));
    assert!(screen(&mut s.app, 120, 40).contains("scale 0.005 "));
    for _ in 0..30 {
        press(&mut s, KeyCode::Char('+'));
    }
    assert!(screen(&mut s.app, 120, 40).contains("scale 0.0001 "));
    for _ in 0..40 {
        press(&mut s, KeyCode::Char('-'));
    }
    assert!(screen(&mut s.app, 120, 40).contains("scale 10 "));
}

#[test]
fn chinese_text_wraps_within_the_panel() {
    let mut s = session(Some("lock-vs-join"), None);
    press(&mut s, KeyCode::Char('L'));
    for (w, h) in [(120, 40), (80, 24)] {
        let text = screen(&mut s.app, w, h);
        assert!(text.contains("共享计数器"), "{text}");
        assert!(text.contains("第 1/8 步"), "{text}");
        for line in text.lines() {
            assert!(Span::raw(line).width() <= w as usize, "{line}");
        }
    }
}

#[test]
fn a_small_window_asks_to_be_larger() {
    let mut s = session(None, None);
    let text = screen(&mut s.app, 40, 10);
    insta::assert_snapshot!("too_small_40x10", text);
    assert!(text.contains("make the window larger"), "{text}");
    assert!(text.contains("(need 80x24, have 40x10)"), "{text}");
}

#[test]
fn no_size_panics() {
    let mut s = mid_run();
    press(&mut s, KeyCode::Char('?'));
    for w in [0, 1, 10, 79, 80, 81, 109, 110, 200] {
        for h in [0, 1, 5, 23, 24, 25, 31, 32, 60] {
            screen(&mut s.app, w, h);
        }
    }
    press(&mut s, KeyCode::Esc);
    for w in [80, 95, 110, 150] {
        for h in [24, 30, 32, 50] {
            screen(&mut s.app, w, h);
        }
    }
}

#[test]
fn lanes_scroll_so_every_thread_can_be_seen() {
    let mut s = session(Some("lock-vs-join"), None);
    set_mode(&mut s, Mode::Virtual);
    chars(&mut s, "ll");
    press(&mut s, KeyCode::Enter);
    chars(&mut s, "4"); // after the prediction
    assert!(s.settle(SETTLE));
    let first = screen(&mut s.app, 80, 24);
    assert!(first.contains("lanes 1–"), "{first}");
    press(&mut s, KeyCode::End);
    let last = screen(&mut s.app, 80, 24);
    assert!(last.contains("/101"), "{last}");
    assert!(last.contains(" T100 ─"), "{last}");
    press(&mut s, KeyCode::Home);
    let first = screen(&mut s.app, 80, 24);
    assert!(first.contains(" main ▒"), "{first}");
    assert!(!first.contains(" T100 ─"), "{first}");
}

#[test]
fn a_deadlock_shows_a_banner_naming_the_cycle() {
    // Feed the screen a real deadlocked run's events, the banner alone under test.
    let mut app = App::new(Options {
        lessons: lessons(None),
        open: Some("lock-vs-join".into()),
        lang: Lang::En,
        seed: Some(3),
        scale: None,
        params: Vec::new(),
    });
    let effects = app.act(Action::Run);
    let generation = effects
        .iter()
        .find_map(|e| match e {
            Effect::Start(r) => Some(r.generation),
            _ => None,
        })
        .expect("Enter asks for a run");
    let cfg = Config {
        mode: Mode::Virtual,
        scale: 1.0,
        seed: 3,
    };
    let (report, events) = Run::run_to_end(cfg, demos::crossed_locks);
    assert!(report.deadlock.is_some());
    app.on_started(generation, 3);
    app.on_events(generation, &events);
    for (w, h) in [(120, 40), (80, 24)] {
        let text = screen(&mut app, w, h);
        assert!(text.contains("DEADLOCK"), "{text}");
        assert!(text.contains("T1 holds A, waits for B"), "{text}");
        assert!(text.contains("T2 holds B, waits for A"), "{text}");
        assert!(text.contains("R resets"), "{text}");
    }
    // Still responsive: R clears it.
    app.act(Action::Reset);
    assert!(!screen(&mut app, 120, 40).contains("DEADLOCK"));
}

#[test]
fn the_deadlock_banner_speaks_chinese_too() {
    // main holds L and joins T1, which waits for L: the banner names the join in Chinese.
    let mut app = App::new(Options {
        lessons: lessons(None),
        open: Some("lock-vs-join".into()),
        lang: Lang::Zh,
        seed: Some(3),
        scale: None,
        params: Vec::new(),
    });
    let effects = app.act(Action::Run);
    let generation = effects
        .iter()
        .find_map(|e| match e {
            Effect::Start(r) => Some(r.generation),
            _ => None,
        })
        .expect("Enter asks for a run");
    let cfg = Config {
        mode: Mode::Virtual,
        scale: 1.0,
        seed: 3,
    };
    let (report, events) = Run::run_to_end(cfg, demos::join_while_holding);
    assert!(report.deadlock.is_some());
    app.on_started(generation, 3);
    app.on_events(generation, &events);
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("main 持有 L, 等待 T1 结束"), "{text}");
    assert!(text.contains("T1 等待 L"), "{text}");
    assert!(text.contains("发现死锁。死锁："), "{text}");
    assert!(!text.contains("to finish"), "{text}");
}

// ---- the app alone: keys in, effects out, no threads ----

fn app(open: bool) -> App {
    App::new(Options {
        lessons: lessons(Some(5)),
        open: open.then(|| "lock-vs-join".to_string()),
        lang: Lang::En,
        seed: None,
        scale: Some(0.5),
        params: Vec::new(),
    })
}

fn started(effects: &[Effect]) -> &lockstep::tui::RunRequest {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Start(r) => Some(r),
            _ => None,
        })
        .unwrap_or_else(|| panic!("a run is asked for: {effects:?}"))
}

#[test]
fn enter_asks_for_the_steps_variant_in_the_chosen_mode_and_scale() {
    let mut a = app(true);
    a.act(Action::NextStep);
    a.act(Action::NextStep);
    a.act(Action::NextStep);
    a.act(Action::NextStep); // step 5 names "lock"
    a.act(Action::CycleMode); // live → step
    a.act(Action::CycleMode); // step → virtual
    a.act(Action::Slower);
    let fx = a.act(Action::Run);
    let r = started(&fx);
    assert_eq!(
        (r.variant.as_str(), r.mode, r.scale),
        ("lock", Mode::Virtual, 1.0)
    );
    assert_eq!(r.seed, None, "no seed given: the session picks a fresh one");
    assert_eq!(fx[0], Effect::Cancel, "a new run replaces the old one");
}

#[test]
fn n_starts_a_step_mode_run_then_steps_it() {
    let mut a = app(true);
    let fx = a.act(Action::StepNext);
    let r = started(&fx);
    assert_eq!(r.mode, Mode::Step);
    assert_eq!(a.act(Action::StepNext), vec![Effect::Step(None)]);
}

#[test]
fn space_pauses_only_a_live_run() {
    let mut a = app(true);
    let fx = a.act(Action::Run);
    let generation = started(&fx).generation;
    assert_eq!(a.act(Action::Pause), vec![Effect::Pause(true)]);
    assert_eq!(a.act(Action::Pause), vec![Effect::Pause(false)]);
    // A finished run cannot be paused: the footer says why instead.
    a.on_status(
        generation,
        lockstep::tui::RunStatus {
            over: true,
            ..Default::default()
        },
    );
    assert!(a.act(Action::Pause).is_empty());
    assert!(screen(&mut a, 120, 40).contains("space pauses live runs"));
}

#[test]
fn a_run_of_one_thread_says_1_thread() {
    let mut a = app(true);
    let generation = started(&a.act(Action::Run)).generation;
    let (_, events) = Run::run_to_end(
        Config {
            mode: Mode::Virtual,
            scale: 1.0,
            seed: 1,
        },
        || {
            lockstep::engine::say("alone");
            lockstep::engine::Outcome::new()
        },
    );
    a.on_started(generation, 1);
    a.on_events(generation, &events);
    for (w, h) in [(120, 40), (80, 24)] {
        let text = screen(&mut a, w, h);
        assert!(text.contains("1 thread:"), "{text}");
        assert!(!text.contains("1 threads"), "{text}");
    }
}

#[test]
fn events_of_an_old_run_are_ignored() {
    let mut a = app(true);
    let old = started(&a.act(Action::Run)).generation;
    let new = started(&a.act(Action::Run)).generation;
    assert_ne!(old, new);
    let (_, events) = Run::run_to_end(
        Config {
            mode: Mode::Virtual,
            scale: 1.0,
            seed: 1,
        },
        demos::crossed_locks,
    );
    a.on_events(old, &events);
    assert!(a.trace().is_some_and(|t| t.events == 0));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
    /// Whatever the keys, the app neither panics nor draws outside the screen.
    #[test]
    fn any_keys_any_size(
        keys in proptest::collection::vec(0usize..ALL_ACTIONS.len(), 0..60),
        w in 0u16..160,
        h in 0u16..50,
    ) {
        let mut a = app(false);
        for k in keys {
            a.act(ALL_ACTIONS[k]);
            if a.quit {
                break;
            }
        }
        screen(&mut a, w, h);
    }
}

const ALL_ACTIONS: [Action; 28] = [
    Action::Help,
    Action::Back,
    Action::ToggleLang,
    Action::Up,
    Action::Down,
    Action::Open,
    Action::PrevStep,
    Action::NextStep,
    Action::Run,
    Action::NextVariant,
    Action::PrevVariant,
    Action::Pause,
    Action::StepNext,
    Action::ChooseThread,
    Action::ChooseThreadBack,
    Action::StepChosen,
    Action::CycleMode,
    Action::Faster,
    Action::Slower,
    Action::Reset,
    Action::LanesUp,
    Action::LanesDown,
    Action::LanesFirst,
    Action::LanesLast,
    Action::Open,
    Action::Compare,
    Action::Sweep,
    Action::Quit,
];
