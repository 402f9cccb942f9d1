//! Challenges and predictions as a lesson author meets them: the TOML they write, the
//! one-line errors (file:line) a mistake gives, and checks that every lesson's challenges
//! name things its runs really have.

use crate::support::demos;
use lockstep::challenges::{self, Facts};
use lockstep::content::{self, Lesson};
use lockstep::engine::trace::Trace;
use lockstep::engine::{Config, Mode};
use lockstep::lessons;
use lockstep::params::Params;
use lockstep::runner;

/// A small lesson with one challenge and one question, line numbers easy to read off.
const SMALL: &str = r#"id = "small"
title = { en = "Small", zh = "小" }
summary = { en = "A small lesson", zh = "一个小课" }
python = "threading.Thread"

[[variants]]
id = "one"
title = { en = "One", zh = "一" }
about = { en = "The first.", zh = "第一个。" }

[[params]]
key = "threads"
label = { en = "Threads", zh = "线程" }
default = 3
min = 1
max = 5
integer = true

[[steps]]
text = { en = "Run one.", zh = "运行一。" }
variant = "one"

[steps.question]
text = { en = "How many?", zh = "多少？" }
choices = [{ en = "1", zh = "1" }, { en = "2", zh = "2" }]
answer = 2
why = { en = "Because.", zh = "因为。" }

[[challenges]]
id = "first"
text = { en = "Do it.", zh = "做吧。" }
variant = "one"
mode = "step"
params = { threads = 2 }
max_steps = 12
when = "outcome.n > 0 and not deadlock"
"#;

fn parse(text: &str) -> Result<Lesson, content::ContentError> {
    content::parse("lessons/small.toml", text)
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

/// Replace `from` with `to` in SMALL, and expect an error on the line of `at` (in the edited
/// text) that mentions `needle`.
fn broken(from: &str, to: &str, at: &str, needle: &str) {
    assert!(SMALL.contains(from), "{from}");
    let text = SMALL.replacen(from, to, 1);
    let err = parse(&text).expect_err(to);
    let msg = err.to_string();
    assert_eq!(err.line(), Some(line_of(&text, at)), "{msg}");
    assert!(msg.starts_with("lessons/small.toml:"), "{msg}");
    assert!(msg.contains(needle), "{needle}: {msg}");
    assert_eq!(msg.lines().count(), 1, "{msg}");
}

#[test]
fn a_challenge_and_a_question_read_as_written() {
    let l = parse(SMALL).unwrap();
    let c = &l.challenges[0];
    assert_eq!(c.id, "first");
    assert_eq!(c.variant.as_deref(), Some("one"));
    assert_eq!(c.mode, Some(Mode::Step));
    assert_eq!(c.params, vec![("threads".to_string(), 2.0)]);
    assert_eq!(c.max_steps, Some(12));
    assert_eq!(c.when.source(), "outcome.n > 0 and not deadlock");
    let q = l.steps[0].question.as_ref().unwrap();
    assert_eq!((q.choices.len(), q.answer), (2, 2));
    assert_eq!(q.why.en, "Because.");
}

#[test]
fn mistakes_name_their_line() {
    broken(
        "when = \"outcome.n > 0 and not deadlock\"",
        "when = \"n > 0\"",
        "when =",
        "challenges[0] `first`: when: unknown name `n`",
    );
    broken(
        "when = \"outcome.n > 0 and not deadlock\"",
        "when = \"outcome.n = 0\"",
        "when =",
        "write `==` (at column 11)",
    );
    broken(
        "when = \"outcome.n > 0 and not deadlock\"",
        "when = \"params.thread == 2\"",
        "when =",
        "unknown parameter `thread` (declared: threads)",
    );
    broken(
        "params = { threads = 2 }",
        "params = { thread = 2 }",
        "params =",
        "unknown parameter `thread`",
    );
    broken(
        "params = { threads = 2 }",
        "params = { threads = 9 }",
        "params =",
        "outside its range 1..5",
    );
    broken(
        "params = { threads = 2 }",
        "params = { threads = 2.5 }",
        "params =",
        "whole numbers",
    );
    broken(
        "mode = \"step\"",
        "mode = \"fast\"",
        "mode =",
        "not one of live, step, virtual",
    );
    broken(
        "variant = \"one\"\nmode",
        "variant = \"two\"\nmode",
        "variant = \"two\"",
        "unknown variant `two`",
    );
    broken("max_steps = 12", "max_steps = 0", "max_steps", "at least 1");
    broken(
        "mode = \"step\"",
        "mode = \"live\"",
        "max_steps",
        "live runs do not make",
    );
    broken(
        "id = \"first\"",
        "id = \"First\"",
        "id = \"First\"",
        "lowercase",
    );
    broken(
        "answer = 2",
        "answer = 3",
        "answer =",
        "answer 3 is not one of the choices (1 to 2)",
    );
    broken(
        "choices = [{ en = \"1\", zh = \"1\" }, { en = \"2\", zh = \"2\" }]",
        "choices = [{ en = \"1\", zh = \"1\" }]",
        "choices =",
        "has 1 choices; give 2 to 9",
    );
    broken(
        "why = { en = \"Because.\", zh = \"因为。\" }",
        "why = { en = \"Because.\", zh = \"\" }",
        "why =",
        "why.zh is empty",
    );
    broken(
        "max_steps = 12",
        "max_step = 12",
        "max_step",
        "unknown field `max_step`",
    );
    // A second challenge with the same id.
    let twice = format!(
        "{SMALL}\n[[challenges]]\nid = \"first\"\ntext = {{ en = \"a\", zh = \"b\" }}\nwhen = \"deadlock\"\n"
    );
    let err = parse(&twice).unwrap_err();
    assert_eq!(err.line(), Some(twice.lines().count() - 2), "{err}");
    assert!(
        err.to_string().contains("duplicate challenge id `first`"),
        "{err}"
    );
    // `when` is required.
    let err = parse(&SMALL.replace("when = \"outcome.n > 0 and not deadlock\"\n", "")).unwrap_err();
    assert!(err.to_string().contains("missing field `when`"), "{err}");
}

/// A run that meets a challenge's condition meets it only with the right set-up.
#[test]
fn a_challenge_needs_its_variant_mode_and_parameters() {
    let text = content::embedded()
        .unwrap()
        .into_iter()
        .find(|l| l.id == "lock-vs-join")
        .unwrap();
    let code = lessons::find("lock-vs-join").unwrap();
    let c = text
        .challenges
        .iter()
        .find(|c| c.id == "lose-with-two")
        .unwrap();
    let run = |variant: &str, threads: f64, mode: Mode| {
        let mut p = Params::defaults(&text.id, &text.params);
        p.set("threads", threads).unwrap();
        // Virtual mode decides like step mode would have, then the facts say which mode.
        let cfg = Config {
            mode: Mode::Virtual,
            scale: 1.0,
            seed: 3,
        };
        let r = runner::replay_variant(code, variant, &p, cfg, Vec::new());
        let trace = Trace::from_events(&r.events);
        let mut f = Facts::new(variant, mode, 1.0, p);
        for e in &r.events {
            f.apply(e, &trace);
        }
        f.outcome = Some(r.result.outcome.clone()).filter(|_| r.result.report.returned);
        challenges::met(c, &f, &trace)
    };
    // No lock, 2 threads, virtual seed 3 loses an update (n = 1):
    assert!(run("no-lock", 2.0, Mode::Step));
    assert!(!run("no-lock", 2.0, Mode::Virtual), "the wrong mode");
    assert!(!run("no-lock", 3.0, Mode::Step), "the wrong thread count");
    assert!(
        !run("lock", 2.0, Mode::Step),
        "the wrong variant (and nothing lost)"
    );
}

/// Causing a deadlock by hand, in step mode, meets "cause the deadlock in as few steps as
/// possible" (`when = "deadlock"`), with the steps it took; undoing the last pick and making
/// another one avoids it.
#[test]
fn a_deadlock_caused_by_hand_meets_a_deadlock_challenge() {
    use lockstep::content::{Challenge, Text};
    use lockstep::engine::{Run, Tid};
    use std::time::{Duration, Instant};
    let challenge = Challenge {
        id: "deadlock-fast".into(),
        text: Text {
            en: "Cause the deadlock in as few steps as possible.".into(),
            zh: "用尽可能少的步数造成死锁。".into(),
        },
        hint: None,
        variant: None,
        mode: Some(Mode::Step),
        params: Vec::new(),
        max_steps: Some(14),
        when: lockstep::challenges::Condition::parse("deadlock and waits.A >= 1", &[]).unwrap(),
    };
    let cfg = Config {
        mode: Mode::Step,
        scale: 1.0,
        seed: 5,
    };
    let (main, t1, t2) = (Tid(0), Tid(1), Tid(2));
    // main starts T1 and T2 and waits to join T1; each thread takes its first lock and
    // sleeps; both wake (nobody else can move); each asks for the other's lock.
    let picks = [
        main, main, main, main, t1, t1, t2, t2, t1, t2, t1, t1, t2, t2,
    ];
    let play = |picks: &[Tid]| {
        let run = Run::start(cfg, demos::crossed_locks);
        for &p in picks {
            let deadline = Instant::now() + Duration::from_secs(10);
            while !run.awaiting_pick() && !run.is_over() {
                assert!(Instant::now() < deadline, "the run stalled");
                std::thread::sleep(Duration::from_millis(1));
            }
            if run.is_over() {
                break;
            }
            assert!(run.step_and_wait(Some(p)), "{p:?} can move");
        }
        let report = run.wait_timeout(Duration::from_secs(10)).expect("over");
        let events: Vec<_> = run.events().try_iter().collect();
        (report, events, run.choices().len())
    };
    let (report, events, steps) = play(&picks);
    let d = report.deadlock.expect("a deadlock");
    assert_eq!(d.cycle.len(), 2, "{d}");
    let trace = Trace::from_events(&events);
    let mut f = Facts::new("two-locks", Mode::Step, 1.0, Params::defaults("x", &[]));
    for e in &events {
        f.apply(e, &trace);
    }
    f.steps = steps;
    assert_eq!(steps, 14);
    assert!(challenges::met(&challenge, &f, &trace));
    f.steps = 15;
    assert!(!challenges::met(&challenge, &f, &trace), "too many steps");

    // Undo the last pick (the same run, replaying all but it): no deadlock yet; redo it:
    // the deadlock again.
    let undone = Run::replay(cfg, picks[..13].to_vec(), demos::crossed_locks);
    let deadline = Instant::now() + Duration::from_secs(10);
    while undone.replaying() || !undone.awaiting_pick() {
        assert!(Instant::now() < deadline, "the replay stalled");
        std::thread::sleep(Duration::from_millis(1));
    }
    assert!(undone.report().deadlock.is_none());
    assert!(undone.step_and_wait(Some(t2)));
    let report = undone.wait_timeout(Duration::from_secs(10)).expect("over");
    assert_eq!(report.deadlock.map(|d| d.cycle.len()), Some(2));
}

/// Conditions nested 10 000 deep (parentheses or `not`s) used to overflow the stack and abort
/// the program: now a one-line error with the file, the line and the column. Through the real
/// binary, so an overflow fails this test instead of aborting the test run.
#[test]
fn deeply_nested_conditions_are_one_line_of_error() {
    let lesson = include_str!("../../lessons/lock-vs-join.toml");
    let line = line_of(lesson, "when = \"outcome.n > 0\"");
    for (what, when) in [
        (
            "parentheses",
            format!("{}outcome.n > 0{}", "(".repeat(10_000), ")".repeat(10_000)),
        ),
        ("nots", format!("{}deadlock", "not ".repeat(10_000))),
    ] {
        let dir = std::env::temp_dir().join(format!(
            "lockstep-challenges-deep-{what}-{}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("lock-vs-join.toml");
        let text = lesson.replacen("when = \"outcome.n > 0\"", &format!("when = \"{when}\""), 1);
        std::fs::write(&file, text).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_lockstep"))
            .arg("--lessons-dir")
            .arg(&dir)
            .arg("list")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{what}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{what}: {err}");
        let at = format!("{}:{line}:", file.display());
        assert!(err.contains(&at), "{what}: {err}");
        assert!(err.contains("nests too deeply"), "{what}: {err}");
        assert!(err.contains("(at column "), "{what}: {err}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
