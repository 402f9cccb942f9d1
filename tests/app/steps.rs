//! You are the scheduler: picks made with the keys cause (or avoid) a lost update, undo and
//! redo give back the same run, a saved schedule replays identically through the command line,
//! challenges are met, predictions are asked and revealed, and progress is kept.

use crate::support::screen as support;
use lockstep::content::{self, Lang};
use lockstep::engine::Tid;
use lockstep::engine::trace::fmt_ns;
use lockstep::progress::{Progress, Store};
use lockstep::tui::{App, Left, Options, Session};
use ratatui::crossterm::event::KeyCode;
use ratatui::text::Span;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;
use support::{press, screen};

const SETTLE: Duration = Duration::from_secs(30);

fn session_with(threads: u32, open: bool) -> Session {
    let mut lessons = content::embedded().expect("embedded lessons load");
    let l = lessons.iter_mut().find(|l| l.id == "lock-vs-join").unwrap();
    l.params
        .iter_mut()
        .find(|p| p.key == "threads")
        .unwrap()
        .default = threads as f64;
    Session::new(App::new(Options {
        lessons,
        open: open.then(|| "lock-vs-join".to_string()),
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

/// The text with every run of spaces made one, so assertions do not count columns.
fn squash(text: &str) -> String {
    text.split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("lockstep-steps-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Two threads, no lock (step 3), a step-mode run waiting for the first pick. The step's
/// prediction is answered on the way (4: n = 99).
fn two_threads_stepping() -> Session {
    let mut s = session_with(2, true);
    chars(&mut s, "ll");
    press(&mut s, KeyCode::Char('n'));
    assert!(s.app.asking(), "the step's prediction is asked first");
    chars(&mut s, "4");
    assert!(s.settle(SETTLE));
    s
}

fn name_of(s: &Session, tid: Tid) -> String {
    s.app
        .trace()
        .map_or(String::new(), |t| t.thread_name(tid).to_string())
}

/// Choose `name` with Tab (as a learner would) and move it one operation with s.
fn pick(s: &mut Session, name: &str) {
    for _ in 0..8 {
        if s.app.chosen_thread().is_some_and(|t| name_of(s, t) == name) {
            break;
        }
        press(s, KeyCode::Tab);
    }
    let chosen = s.app.chosen_thread().map(|t| name_of(s, t));
    assert_eq!(chosen.as_deref(), Some(name), "Tab reaches {name}");
    press(s, KeyCode::Char('s'));
    assert!(s.settle(SETTLE));
}

/// Let the scheduler finish the run (n), then wait for its verdict.
fn finish(s: &mut Session) {
    for _ in 0..50 {
        if s.app
            .trace()
            .is_some_and(|t| t.finished || t.deadlock.is_some())
        {
            break;
        }
        press(s, KeyCode::Char('n'));
        assert!(s.settle(SETTLE));
    }
    assert!(s.settle(SETTLE));
}

/// Both threads read n = 2 before either writes: the second write erases the first. Each
/// pick lets a thread do its next operation and go on to the one after.
const LOSING: &[&str] = &[
    "main", "main", "main", // main starts, starts T1, starts T2
    "T1", "T1", // T1 starts and reads n = 2
    "T2", "T2", // T2 starts and reads n = 2
    "T1", "T2", // both sleep
    "T1", "T2", // both wake (picking a sleeper lets its time pass)
    "T1", // T1 writes 1
    "T2", // T2 writes 1: a lost update, on the 13th pick
];

/// T1 reads, sleeps and writes before T2 starts: nothing is lost.
const SAFE: &[&str] = &[
    "main", "main", "main", "main", // start both, then wait to join T1
    "T1", "T1", "T1", // T1 starts, reads 2, sleeps
    "T1", "T1", // it wakes (its time passes while T2 waits), writes 1 and is done
    "T2", "T2", "T2", "T2", "T2", // T2 starts, reads 1, sleeps, wakes, writes 0
];

fn log_lines(s: &Session) -> Vec<String> {
    let t = s.app.trace().expect("a run");
    t.log
        .iter()
        .map(|l| format!("{:>9} {}", fmt_ns(l.at_ns), t.text(l, Lang::En)))
        .collect()
}

fn timings_row(text: &str) -> String {
    text.lines()
        .find(|l| l.starts_with("│no-lock ") && l.contains(" step "))
        .unwrap_or_else(|| panic!("a timings row:\n{text}"))
        .to_string()
}

#[test]
fn letting_both_threads_read_first_loses_an_update() {
    let mut s = two_threads_stepping();
    for name in LOSING {
        pick(&mut s, name);
    }
    let text = screen(&mut s.app, 120, 40);
    assert!(text.contains("writes n = 1 (lost update"), "{text}");
    assert!(text.contains("lost updates 1"), "{text}");
    finish(&mut s);
    let text = screen(&mut s.app, 120, 40);
    assert!(timings_row(&text).contains("n = 1, lost 1"), "{text}");
}

#[test]
fn one_thread_through_before_the_other_reads_keeps_every_update() {
    let mut s = two_threads_stepping();
    for name in SAFE {
        pick(&mut s, name);
    }
    finish(&mut s);
    let text = screen(&mut s.app, 120, 40);
    assert!(timings_row(&text).contains("n = 0, lost 0"), "{text}");
    assert!(!text.contains("(lost update"), "{text}");
}

#[test]
fn undo_then_redo_gives_the_identical_event_log() {
    let mut s = two_threads_stepping();
    for name in LOSING {
        pick(&mut s, name);
    }
    let before = log_lines(&s);
    let lost_at = before
        .iter()
        .position(|l| l.contains("lost update"))
        .unwrap();

    // Undo: the same run again, up to just before T2's write.
    press(&mut s, KeyCode::Char('u'));
    assert!(s.settle(SETTLE));
    let undone = log_lines(&s);
    assert!(undone.len() < before.len());
    assert_eq!(
        undone[..],
        before[..undone.len()],
        "undo replays the same run"
    );
    assert!(!undone.iter().any(|l| l.contains("lost update")));
    assert_eq!(
        s.app.chosen_thread().map(|t| name_of(&s, t)).as_deref(),
        Some("T2")
    );
    let text = screen(&mut s.app, 120, 40);
    assert!(text.contains("undone: T2's move"), "{text}");
    assert!(squash(&text).contains("T2 ready → writes n"), "{text}");

    // Undo again, then redo twice: back where we were, event for event.
    press(&mut s, KeyCode::Char('u'));
    assert!(s.settle(SETTLE));
    chars(&mut s, "U");
    assert!(s.settle(SETTLE));
    chars(&mut s, "U");
    assert!(s.settle(SETTLE));
    assert_eq!(log_lines(&s), before);
    assert!(log_lines(&s)[lost_at].contains("lost update"));

    // Nothing left to redo; a new pick clears the redo list anyway.
    chars(&mut s, "U");
    assert!(screen(&mut s.app, 120, 40).contains("nothing to redo"));
}

#[test]
fn undo_also_steps_back_from_the_end_of_a_run() {
    let mut s = two_threads_stepping();
    for name in SAFE {
        pick(&mut s, name);
    }
    finish(&mut s);
    let done = log_lines(&s);
    press(&mut s, KeyCode::Char('u'));
    assert!(s.settle(SETTLE));
    let text = screen(&mut s.app, 120, 40);
    assert!(text.contains("your move"), "the run waits again:\n{text}");
    press(&mut s, KeyCode::Char('U'));
    assert!(s.settle(SETTLE));
    assert_eq!(log_lines(&s), done);
}

#[test]
fn undo_needs_a_step_mode_run() {
    let mut s = session_with(2, true);
    chars(&mut s, "u");
    assert!(screen(&mut s.app, 120, 40).contains("nothing to undo"));
    chars(&mut s, "mm"); // virtual
    press(&mut s, KeyCode::Enter);
    assert!(s.settle(SETTLE));
    chars(&mut s, "u");
    assert!(screen(&mut s.app, 120, 40).contains("undo steps back in step-mode runs"));
}

#[test]
fn shift_s_moves_a_thread_until_it_blocks() {
    let mut s = two_threads_stepping();
    chars(&mut s, "S"); // main, the only thread: it starts T1 and T2, then waits to join T1
    assert!(s.settle(SETTLE));
    let text = squash(&screen(&mut s.app, 120, 40));
    assert!(
        text.contains("main blocked can't move: waits for T1 to finish"),
        "{text}"
    );
    assert!(text.contains("T1 ready → starts"), "{text}");
    assert!(text.contains("T2 ready → starts"), "{text}");
    // T1 alone then runs to its end: reading, sleeping (its time passes), writing.
    press(&mut s, KeyCode::Tab);
    chars(&mut s, "S");
    assert!(s.settle(SETTLE));
    let text = screen(&mut s.app, 120, 40);
    assert!(text.contains("✓ done: T1"), "{text}");
    assert!(text.contains("T1 writes n = 1"), "{text}");
}

#[test]
fn the_source_marks_each_threads_line() {
    let mut s = two_threads_stepping();
    for name in ["main", "main", "main", "main", "T1"] {
        pick(&mut s, name);
    }
    press(&mut s, KeyCode::Char('o'));
    assert_eq!(s.app.left_panel(), Left::Source);
    let text = screen(&mut s.app, 120, 40);
    // T1 is about to read n; T2 waits to start at the spawn; main waits at the join.
    let line = |needle: &str| {
        text.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle}:\n{text}"))
            .to_string()
    };
    assert!(line("let tmp = n.get();").contains("T1"), "{text}");
    assert!(line("threads.push(spawn(").contains("T2"), "{text}");
    assert!(line("t.join().unwrap();").contains("main"), "{text}");
    assert!(line("Source: lock_vs_join/demo.rs").contains("Source"));
    // ↑/↓ scroll it by hand; Tab follows the threads again.
    for _ in 0..30 {
        press(&mut s, KeyCode::Down);
    }
    assert!(!screen(&mut s.app, 120, 40).contains("let tmp = n.get(); // read"));
    press(&mut s, KeyCode::Tab);
    assert!(screen(&mut s.app, 120, 40).contains("let tmp = n.get(); // read"));
    insta::assert_snapshot!("source_120x40", screen(&mut s.app, 120, 40));
    insta::assert_snapshot!("source_80x24", screen(&mut s.app, 80, 24));
}

#[test]
fn a_saved_schedule_replays_identically_through_the_command_line() {
    let dir = temp_dir("schedule");
    let mut s = two_threads_stepping();
    s.set_schedule_dir(dir.clone());
    for name in LOSING {
        pick(&mut s, name);
    }
    finish(&mut s);
    let tui_log = log_lines(&s);
    chars(&mut s, "W");
    let text = screen(&mut s.app, 200, 40);
    assert!(text.contains("schedule saved to"), "{text}");
    let file = dir.join("lock-vs-join-no-lock-seed7.json");
    let saved = std::fs::read_to_string(&file).expect("the schedule file");
    assert!(saved.contains("\"name\": \"T2\""), "{saved}");
    // A second save does not overwrite the first.
    chars(&mut s, "W");
    assert!(dir.join("lock-vs-join-no-lock-seed7-2.json").exists());

    let out = Command::new(env!("CARGO_BIN_EXE_lockstep"))
        .args([
            "run",
            "lock-vs-join",
            "--mode",
            "virtual",
            "--log",
            "--schedule",
        ])
        .arg(&file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("n = 1"), "{stdout}");
    let (_, log) = stdout.split_once("log of no-lock:\n").expect("a log");
    let cli_log: Vec<&str> = log.lines().collect();
    assert_eq!(
        cli_log, tui_log,
        "the same schedule gives the same event log"
    );

    // JSON carries the same log; the schedule names its lesson, so it may be left out.
    let out = Command::new(env!("CARGO_BIN_EXE_lockstep"))
        .args(["run", "--format", "json", "--log", "--schedule"])
        .arg(&file)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["variants"][0]["outcome"]["n"], 1);
    assert_eq!(
        json["log"]["no-lock"].as_array().unwrap().len(),
        tui_log.len()
    );
}

fn one_line_error(args: &[&str], file: &std::path::Path, needle: &str) {
    let out = Command::new(env!("CARGO_BIN_EXE_lockstep"))
        .args(args)
        .arg(file)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains(needle), "{needle}: {err}");
}

#[test]
fn a_schedule_that_does_not_fit_is_one_line_of_error() {
    let dir = temp_dir("bad-schedule");
    let good = lockstep::schedule::Schedule {
        lesson: "lock-vs-join".into(),
        variant: "no-lock".into(),
        seed: 1,
        scale: 0.01,
        params: vec![("threads".into(), 2.0)],
        choices: vec![lockstep::schedule::Choice {
            thread: 0,
            name: "main".into(),
        }],
    };
    let write = |name: &str, text: String| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let run = ["run", "lock-vs-join", "--mode", "virtual", "--schedule"];
    // A choice of a thread that is never there.
    let mut far = good.clone();
    far.choices.push(lockstep::schedule::Choice {
        thread: 42,
        name: String::new(),
    });
    one_line_error(&run, &write("far.json", far.to_json()), "does not fit");
    // A name that is not the run's.
    let mut named = good.clone();
    named.choices[0].name = "T9".into();
    one_line_error(
        &run,
        &write("named.json", named.to_json()),
        "thread 0 is `main`",
    );
    // Another variant, another lesson, no schedule at all.
    let mut other = good.clone();
    other.variant = "spin".into();
    one_line_error(
        &run,
        &write("variant.json", other.to_json()),
        "variant `spin`",
    );
    let mut lesson = good.clone();
    lesson.lesson = "kettle-x".into();
    one_line_error(
        &run,
        &write("lesson.json", lesson.to_json()),
        "not `lock-vs-join`",
    );
    one_line_error(
        &run,
        &write("junk.json", "{\n  \"lockstep\": 3\n}".into()),
        "junk.json:2:",
    );
    one_line_error(&run, &dir.join("missing.json"), "cannot read");
    let live = ["run", "lock-vs-join", "--mode", "live", "--schedule"];
    one_line_error(&live, &write("good.json", good.to_json()), "virtual clock");
    let seeded = ["run", "lock-vs-join", "--seed", "3", "--schedule"];
    one_line_error(&seeded, &dir.join("good.json"), "cannot be used with");
    // The good one replays.
    let out = Command::new(env!("CARGO_BIN_EXE_lockstep"))
        .args(["run", "lock-vs-join", "--schedule"])
        .arg(dir.join("good.json"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("replaying the schedule in"));
}

#[test]
fn a_challenge_taken_on_is_met_and_celebrated() {
    let mut s = session_with(100, true);
    chars(&mut s, "x");
    assert_eq!(s.app.left_panel(), Left::Challenges);
    let text = screen(&mut s.app, 120, 40);
    assert!(text.contains("Challenges 0/4"), "{text}");
    assert!(
        text.contains("▶ ○ Make the final n wrong with only 2"),
        "{text}"
    );
    // The third one: lose an update in at most 13 steps.
    press(&mut s, KeyCode::Down);
    press(&mut s, KeyCode::Down);
    let text = screen(&mut s.app, 120, 40);
    assert!(
        text.contains("Enter takes it on: runs no-lock · mode"),
        "{text}"
    );
    assert!(text.contains("step · threads = 2 · ≤ 13 steps"), "{text}");
    press(&mut s, KeyCode::Enter);
    assert!(s.settle(SETTLE));
    assert_eq!(
        s.app.left_panel(),
        Left::Source,
        "a step-mode challenge shows the code"
    );
    let text = screen(&mut s.app, 120, 40);
    assert!(
        text.contains("◎ Challenge: Lose an update with 2 threads"),
        "{text}"
    );
    assert!(text.contains("mode step"), "{text}");
    for name in &LOSING[..LOSING.len() - 1] {
        pick(&mut s, name);
    }
    assert!(
        s.app
            .progress()
            .lesson("lock-vs-join")
            .unwrap()
            .challenges
            .is_empty()
    );
    pick(&mut s, "T2"); // the 13th step: the lost update
    let text = screen(&mut s.app, 120, 40);
    assert!(text.contains("★ Challenge met! Lose an update"), "{text}");
    assert!(text.contains("in 13 steps"), "{text}");
    assert!(text.contains("✓ Challenge: Lose an update"), "{text}");
    let met = &s.app.progress().lesson("lock-vs-join").unwrap().challenges;
    assert_eq!(met["race-in-thirteen"].best_steps, Some(13));
    // The next key puts the banner away; the list shows it met.
    chars(&mut s, "x");
    let text = screen(&mut s.app, 120, 40);
    assert!(!text.contains("★ Challenge met!"), "{text}");
    assert!(text.contains("Challenges 1/4"), "{text}");
    assert!(text.contains("✓ Lose an update"), "{text}");
    // Finishing the run meets "make the final n wrong" too: the outcome n = 1.
    chars(&mut s, "x");
    finish(&mut s);
    let met = &s.app.progress().lesson("lock-vs-join").unwrap().challenges;
    assert!(met.contains_key("lose-with-two"), "{met:?}");
    // Leaving the lesson gives its parameters back.
    press(&mut s, KeyCode::Esc);
    press(&mut s, KeyCode::Enter);
    assert!(!screen(&mut s.app, 120, 40).contains("with threads = 2"));
}

#[test]
fn too_many_steps_do_not_meet_the_thirteen_step_challenge() {
    let mut s = session_with(2, true);
    chars(&mut s, "x");
    press(&mut s, KeyCode::Down);
    press(&mut s, KeyCode::Down);
    press(&mut s, KeyCode::Enter);
    assert!(s.settle(SETTLE));
    // main waits at its join first: one step more.
    for name in [
        "main", "main", "main", "main", "T1", "T1", "T2", "T2", "T1", "T2", "T1", "T2", "T1", "T2",
    ] {
        pick(&mut s, name);
    }
    let t = s.app.trace().unwrap();
    assert!(t.log_texts(Lang::En).any(|l| l.contains("lost update")));
    let p = s.app.progress().lesson("lock-vs-join").unwrap();
    assert!(!p.challenges.contains_key("race-in-thirteen"), "{p:?}");
}

#[test]
fn a_prediction_is_asked_before_the_run_and_revealed_after_it() {
    let mut s = session_with(5, true);
    chars(&mut s, "mm"); // virtual
    chars(&mut s, "ll"); // step 3, whose question asks what n will be
    let text = screen(&mut s.app, 120, 40);
    assert!(text.contains("Enter asks it before the run."), "{text}");
    press(&mut s, KeyCode::Enter);
    let text = screen(&mut s.app, 120, 40);
    assert!(text.contains("Predict, then run"), "{text}");
    assert!(text.contains("1–4 answer and run"), "{text}");
    assert!(s.app.trace().is_none(), "nothing runs before the answer");
    chars(&mut s, "7"); // not a choice
    assert!(s.app.asking());
    chars(&mut s, "1"); // n = 0: wrong
    assert!(s.settle(SETTLE));
    let text = screen(&mut s.app, 120, 40);
    assert!(
        text.contains("Your prediction: 0 ✗ the answer is 99"),
        "{text}"
    );
    assert!(text.contains("Why: Every thread read n = 100"), "{text}");
    let a = &s.app.progress().lesson("lock-vs-join").unwrap().answers[&2];
    assert_eq!((a.choice, a.correct, a.revealed), (1, false, true));
    // Asked once: Enter now runs straight away.
    press(&mut s, KeyCode::Enter);
    assert!(!s.app.asking());
    assert!(s.settle(SETTLE));
    // Esc puts a question aside without running.
    chars(&mut s, "lll"); // step 6 asks how long join takes
    press(&mut s, KeyCode::Enter);
    assert!(s.app.asking());
    press(&mut s, KeyCode::Esc);
    assert!(!s.app.asking());
    assert!(screen(&mut s.app, 120, 40).contains("question put aside"));
    assert_eq!(
        s.app.screen,
        lockstep::tui::Screen::Lesson,
        "Esc left only the question"
    );
}

#[test]
fn progress_is_kept_between_sessions() {
    let dir = temp_dir("progress");
    {
        let mut s = session_with(2, false);
        s.set_store(Store::in_dir(&dir));
        press(&mut s, KeyCode::Down); // lock-vs-join, the second lesson
        press(&mut s, KeyCode::Enter); // open it
        chars(&mut s, "ll");
        press(&mut s, KeyCode::Esc);
    }
    let saved = std::fs::read_to_string(dir.join("progress.json")).unwrap();
    let p: Progress = serde_json::from_str(&saved).unwrap();
    let l = p.lesson("lock-vs-join").unwrap();
    assert!(l.visited);
    assert_eq!(l.steps_seen.iter().copied().collect::<Vec<_>>(), [0, 1, 2]);
    // A new session shows it on the menu.
    let mut s = session_with(2, false);
    s.set_store(Store::in_dir(&dir));
    let text = screen(&mut s.app, 120, 40);
    assert!(text.contains("3/8 steps · ★ 0/4"), "{text}");
    // X twice forgets it, and the file says so.
    chars(&mut s, "X");
    assert!(screen(&mut s.app, 120, 40).contains("press X again"));
    chars(&mut s, "X");
    assert!(screen(&mut s.app, 120, 40).contains("progress forgotten"));
    s.flush_progress();
    let saved: Progress =
        serde_json::from_str(&std::fs::read_to_string(dir.join("progress.json")).unwrap()).unwrap();
    assert_eq!(saved, Progress::default());
    // X then another key does nothing.
    chars(&mut s, "Xj");
    chars(&mut s, "X");
    assert!(screen(&mut s.app, 120, 40).contains("press X again"));
}

#[test]
fn a_corrupt_progress_file_is_set_aside_and_reported() {
    let dir = temp_dir("corrupt");
    std::fs::write(dir.join("progress.json"), "{ \"lessons\": 12").unwrap();
    let mut s = session_with(2, false);
    s.set_store(Store::in_dir(&dir));
    let text = screen(&mut s.app, 200, 40);
    assert!(
        text.contains("progress file unreadable; moved aside"),
        "{text}"
    );
    assert!(dir.join("progress.json.corrupt").exists());
    // The app goes on, and saves afresh.
    press(&mut s, KeyCode::Down);
    press(&mut s, KeyCode::Enter);
    s.flush_progress();
    let saved: Progress =
        serde_json::from_str(&std::fs::read_to_string(dir.join("progress.json")).unwrap()).unwrap();
    assert!(saved.lesson("lock-vs-join").unwrap().visited);
}

#[test]
fn chinese_screens_fit() {
    let mut s = two_threads_stepping();
    for name in ["main", "main", "main", "main", "T1"] {
        pick(&mut s, name);
    }
    chars(&mut s, "L");
    for keys in ["", "c", "cx", "x"] {
        chars(&mut s, keys);
        for (w, h) in [(120, 40), (80, 24)] {
            let text = screen(&mut s.app, w, h);
            for line in text.lines() {
                assert!(Span::raw(line).width() <= w as usize, "{line}");
            }
        }
    }
    let text = screen(&mut s.app, 120, 40);
    assert!(text.contains("挑战"), "{text}");
}

// ---- progress: nothing lost, nothing hangs ----

/// `f` on its own thread: fail (not hang) if it takes more than a minute.
fn bounded<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(60))
        .expect("it finished (no hang, no panic)")
}

/// A session with its progress in `dir` that visited lock-vs-join and went one step on, and
/// the screen it showed when it had read the progress (the note about it).
fn visit_with_store(dir: &std::path::Path) -> (Session, String) {
    let dir = dir.to_path_buf();
    bounded(move || {
        let mut s = session_with(2, false);
        s.set_store(Store::in_dir(&dir));
        let first = screen(&mut s.app, 200, 40);
        press(&mut s, KeyCode::Down);
        press(&mut s, KeyCode::Enter);
        chars(&mut s, "l");
        s.flush_progress();
        (s, first)
    })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn names_in(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_progress_file_that_is_not_utf8_is_set_aside_not_overwritten() {
    let dir = temp_dir("not-utf8");
    let bytes = b"{\"lessons\": {\"kettle\": \xff\xfe}}".to_vec();
    std::fs::write(dir.join("progress.json"), &bytes).unwrap();
    let (_s, text) = visit_with_store(&dir);
    assert!(
        text.contains("progress file unreadable; moved aside"),
        "{text}"
    );
    assert_eq!(
        std::fs::read(dir.join("progress.json.corrupt")).unwrap(),
        bytes
    );
    let saved: Progress =
        serde_json::from_str(&std::fs::read_to_string(dir.join("progress.json")).unwrap()).unwrap();
    assert!(saved.lesson("lock-vs-join").unwrap().visited);
}

#[test]
fn a_progress_file_that_cannot_be_read_is_left_as_it_is() {
    // Not a regular file: a FIFO (which used to hang the app at a blank screen) and a
    // symlink to /dev/zero (which used to read for ever).
    for kind in ["fifo", "zero"] {
        let dir = temp_dir(&format!("unreadable-{kind}"));
        let file = dir.join("progress.json");
        if kind == "fifo" {
            assert!(
                Command::new("mkfifo")
                    .arg(&file)
                    .status()
                    .unwrap()
                    .success()
            );
        } else {
            std::os::unix::fs::symlink("/dev/zero", &file).unwrap();
        }
        let (s, text) = visit_with_store(&dir);
        assert!(text.contains("not a regular file"), "{kind}: {text}");
        assert!(text.contains("left as it is"), "{kind}: {text}");
        drop(s);
        assert_eq!(names_in(&dir), ["progress.json"], "{kind}");
        let meta = std::fs::symlink_metadata(&file).unwrap();
        assert!(!meta.is_file(), "{kind}: not replaced by a save");
    }
    // A file the user cannot read (mode 000): root reads any file, so only without root.
    if is_root() {
        eprintln!("SKIPPED the mode-000 case: running as root, which reads any file");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("unreadable-000");
    let file = dir.join("progress.json");
    std::fs::write(&file, "{\"lessons\": {}}").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
    let (s, text) = visit_with_store(&dir);
    assert!(text.contains("left as it is"), "{text}");
    drop(s);
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "{\"lessons\": {}}");
    assert_eq!(names_in(&dir), ["progress.json"]);
}

#[test]
fn a_failed_save_says_so_once() {
    // The data directory cannot be made: a file stands where its parent should be.
    let base = temp_dir("save-fails");
    std::fs::write(base.join("file"), "").unwrap();
    let dir = base.join("file").join("lockstep");
    let mut s = session_with(2, false);
    s.set_store(Store::in_dir(&dir));
    press(&mut s, KeyCode::Down);
    press(&mut s, KeyCode::Enter);
    s.flush_progress();
    let text = screen(&mut s.app, 200, 40);
    assert!(
        text.contains("progress not saved: "),
        "{:?} {text}",
        s.app.note()
    );
    assert!(s.app.note().unwrap().starts_with("progress not saved: "));
    // Once: the next failing save says nothing more.
    chars(&mut s, "l");
    s.flush_progress();
    assert_eq!(s.app.note(), None, "said once, not at every save");
    // In Chinese too.
    let mut t = session_with(2, false);
    chars(&mut t, "L");
    t.set_store(Store::in_dir(&dir));
    press(&mut t, KeyCode::Down);
    press(&mut t, KeyCode::Enter);
    t.flush_progress();
    assert!(
        t.app.note().unwrap().starts_with("进度未保存："),
        "{:?}",
        t.app.note()
    );

    // A folder that takes no new files (root writes anywhere, so only without root).
    if is_root() {
        eprintln!("SKIPPED the read-only folder case: running as root, which writes anywhere");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let ro = temp_dir("save-read-only");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    let mut s = session_with(2, false);
    s.set_store(Store::in_dir(&ro));
    press(&mut s, KeyCode::Down);
    press(&mut s, KeyCode::Enter);
    s.flush_progress();
    assert!(s.app.note().unwrap().starts_with("progress not saved: "));
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(names_in(&ro).is_empty());
}

#[test]
fn two_sessions_keep_each_others_progress() {
    let dir = temp_dir("two-sessions");
    // Both open before either saves, as two terminals would.
    let mut a = session_with(2, false);
    a.set_store(Store::in_dir(&dir));
    let mut b = session_with(2, false);
    b.set_store(Store::in_dir(&dir));
    press(&mut a, KeyCode::Down); // lock-vs-join
    press(&mut a, KeyCode::Enter);
    chars(&mut a, "ll");
    a.flush_progress();
    press(&mut b, KeyCode::Enter); // kettle
    chars(&mut b, "l");
    b.flush_progress();
    chars(&mut a, "l");
    drop(a);
    drop(b);
    let saved: Progress =
        serde_json::from_str(&std::fs::read_to_string(dir.join("progress.json")).unwrap()).unwrap();
    let steps = |id: &str| -> Vec<usize> {
        saved
            .lesson(id)
            .map(|l| l.steps_seen.iter().copied().collect())
            .unwrap_or_default()
    };
    assert_eq!(steps("lock-vs-join"), [0, 1, 2, 3]);
    assert_eq!(steps("kettle"), [0, 1]);
    assert_eq!(names_in(&dir), ["progress.json"]);
}

#[test]
fn progress_is_saved_off_the_screens_thread() {
    let dir = temp_dir("saver");
    let mut s = session_with(2, false);
    s.set_store(Store::in_dir(&dir));
    // Another lockstep is saving: it holds the data directory's lock.
    let held = std::fs::File::open(&dir).unwrap();
    held.lock().unwrap();
    let mut s = bounded(move || {
        press(&mut s, KeyCode::Down);
        press(&mut s, KeyCode::Enter);
        chars(&mut s, "l");
        s
    });
    assert!(
        !dir.join("progress.json").exists(),
        "the save waits for the lock"
    );
    held.unlock().unwrap();
    s.flush_progress();
    let saved: Progress =
        serde_json::from_str(&std::fs::read_to_string(dir.join("progress.json")).unwrap()).unwrap();
    let l = saved.lesson("lock-vs-join").unwrap();
    assert_eq!(l.steps_seen.iter().copied().collect::<Vec<_>>(), [0, 1]);
}

#[test]
fn w_never_writes_through_a_symlink_at_its_name() {
    let dir = temp_dir("schedule-symlink");
    // A dangling symlink where the schedule would go, pointing somewhere else.
    let target = dir.join("elsewhere.json");
    let link = dir.join("lock-vs-join-no-lock-seed7.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let mut s = two_threads_stepping();
    s.set_schedule_dir(dir.clone());
    for name in LOSING {
        pick(&mut s, name);
    }
    finish(&mut s);
    chars(&mut s, "W");
    let text = screen(&mut s.app, 200, 40);
    assert!(text.contains("schedule saved to"), "{text}");
    assert!(!target.exists(), "nothing was written through the link");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let saved = std::fs::read_to_string(dir.join("lock-vs-join-no-lock-seed7-2.json")).unwrap();
    assert!(saved.contains("\"choices\""), "{saved}");
}

/// A schedule with choices left over when the run ends is refused; one that runs out before
/// the run ends is replayed, and says that the seed made the rest.
#[test]
fn a_schedule_with_missing_or_extra_choices_says_so() {
    let dir = temp_dir("schedule-length");
    let mut s = two_threads_stepping();
    s.set_schedule_dir(dir.clone());
    for name in LOSING {
        pick(&mut s, name);
    }
    finish(&mut s);
    chars(&mut s, "W");
    let file = dir.join("lock-vs-join-no-lock-seed7.json");
    let whole: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let n = whole["choices"].as_array().unwrap().len();
    let with_choices = |name: &str, k: usize| {
        let mut v = whole.clone();
        let c = v["choices"].as_array_mut().unwrap();
        let last = c[n - 1].clone();
        c.resize(k, last);
        let p = dir.join(name);
        std::fs::write(&p, serde_json::to_string_pretty(&v).unwrap()).unwrap();
        p
    };
    let run = |p: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_lockstep"))
            .args(["run", "--schedule"])
            .arg(p)
            .output()
            .unwrap()
    };
    // The whole schedule: nothing to say.
    let o = run(&file);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // One choice too many.
    let args = ["run", "--schedule"];
    one_line_error(
        &args,
        &with_choices("extra.json", n + 1),
        &format!(
            "the run ended after {n} of the schedule's {} choices",
            n + 1
        ),
    );
    // Three too few: replayed, and said.
    let o = run(&with_choices("short.json", n - 3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!(
            "the schedule's {} choices ran out: the seed made the other ",
            n - 3
        )),
        "{err}"
    );
}
