//! daemon: the lines each variant prints, in order, and who is cut off, exactly, in virtual mode
//! over many seeds (the same lines python3 prints for src/lessons/daemon/demo.py); the plan's
//! parameters move the outcome; live processes leave no child behind; the panel draws the lanes.

use crate::support::lesson;
use crate::support::screen::{open, press, screen};
use lockstep::engine::trace::Trace;
use lockstep::engine::{Config, Event, Mode, Tid};
use lockstep::lessons;
use lockstep::params::Params;
use lockstep::runner::{self, Replayed, VariantResult};
use ratatui::crossterm::event::KeyCode;
use ratatui::text::Span;
use std::collections::BTreeSet;
use std::time::Duration;

const SETTLE: Duration = Duration::from_secs(30);

fn params(overrides: &[(&str, &str)]) -> Params {
    lesson::params("daemon", overrides)
}

fn run(variant: &str, p: &Params, mode: Mode, scale: f64, seed: u64) -> Replayed {
    let cfg = Config { mode, scale, seed };
    runner::replay_variant(
        lessons::find("daemon").unwrap(),
        variant,
        p,
        cfg,
        Vec::new(),
    )
}

/// What the run printed, in order.
fn lines(r: &VariantResult) -> Vec<String> {
    r.report.printed.iter().map(|p| p.text.clone()).collect()
}

/// "who: line" for every line printed.
fn said(r: &VariantResult) -> Vec<String> {
    let p = &r.report.printed;
    p.iter()
        .map(|p| format!("{}: {}", p.thread, p.text))
        .collect()
}

/// Every variant at the lesson's parameters over 200 seeds: `check` sees each run, and the
/// orders of the lines over all seeds come back.
fn over_seeds(variant: &str, p: &Params, check: impl Fn(&VariantResult)) -> BTreeSet<Vec<String>> {
    let mut orders = BTreeSet::new();
    for seed in 0..200 {
        let r = run(variant, p, Mode::Virtual, 1.0, seed).result;
        assert!(r.ok, "{variant} seed {seed}: {:?}", r.checks);
        check(&r);
        orders.insert(lines(&r));
    }
    orders
}

fn sorted(v: &[String]) -> Vec<String> {
    let mut v = v.to_vec();
    v.sort();
    v
}

/// python3 demo.py threads: "123", "456" and "main" in whatever order the threads get going,
/// then end123 at 1 s and end456 at 3 s. The program lasts 3 s: bar's.
#[test]
fn threads_the_daemon_finishes_before_the_last_non_daemon() {
    let orders = over_seeds("threads", &params(&[]), |r| {
        let l = lines(r);
        assert_eq!(sorted(&l[..3]), ["123", "456", "main"], "{l:?}");
        assert_eq!(l[3..], ["end123", "end456"]);
        assert!(r.report.cut_off.is_empty(), "{:?}", r.report.cut_off);
        assert_eq!(r.elapsed_ms, 3000.0);
        assert_eq!(r.outcome["end123"], true);
        assert_eq!(r.outcome["foo_cut_off"], false);
    });
    // Starting a thread does not run it: the three first lines come in every order.
    assert_eq!(orders.len(), 6, "{orders:#?}");
    let tutorial: Vec<String> = ["123", "456", "main", "end123", "end456"]
        .map(String::from)
        .to_vec();
    assert!(orders.contains(&tutorial));
}

/// python3 demo.py threads-cut-off: bar ends at 1 s and with it the program; foo, a daemon
/// 3 s into nothing, is cut off: end123 never appears.
#[test]
fn threads_the_daemon_is_cut_off_when_the_last_non_daemon_ends() {
    over_seeds("threads-cut-off", &params(&[]), |r| {
        let l = lines(r);
        assert_eq!(sorted(&l[..3]), ["123", "456", "main"], "{l:?}");
        assert_eq!(l[3..], ["end456"]);
        assert_eq!(r.report.cut_off, ["foo"]);
        assert_eq!(r.elapsed_ms, 1000.0, "the program did not wait for foo");
        assert_eq!(r.outcome["end123"], false);
        assert_eq!(r.outcome["foo_cut_off"], true);
    });
}

/// python3 demo.py join-timeout: main waits 2 s for foo (3 s), gives up, finds it alive; bar
/// ended at 1 s, so main is the last non-daemon and the program ends at 2 s, cutting foo off.
#[test]
fn join_with_a_timeout_gives_up_and_is_alive_says_so() {
    over_seeds("join-timeout", &params(&[]), |r| {
        let l = lines(r);
        assert_eq!(sorted(&l[..2]), ["123", "456"], "{l:?}");
        assert_eq!(l[2..], ["end456", "foo is alive"]);
        assert_eq!(said(r).last().unwrap(), "main: foo is alive");
        assert_eq!(r.report.cut_off, ["foo"]);
        assert_eq!(r.elapsed_ms, 2000.0);
        assert_eq!(r.outcome["foo_alive"], true);
    });
    // A timeout longer than foo's nap: the join returns when foo ends, at 3 s, not 4.
    over_seeds("join-timeout", &params(&[("timeout", "4")]), |r| {
        let l = lines(r);
        assert_eq!(l[2..], ["end456", "end123", "foo is done"], "{l:?}");
        assert!(r.report.cut_off.is_empty());
        assert_eq!(r.elapsed_ms, 3000.0);
        assert_eq!(r.outcome["foo_alive"], false);
    });
}

/// python3 demo.py processes: "main", "456", "end456". foo, a daemon process, is terminated
/// (exit code -15) as main's code ends, before it has even started, though bar runs on for 3 s.
#[test]
fn processes_the_daemon_ends_with_mains_code() {
    let costs = lockstep::engine::process::costs();
    let launch = costs.launch_ns as f64 / 1e6;
    let boot = costs.boot_ns as f64 / 1e6;
    let orders = over_seeds("processes", &params(&[]), |r| {
        assert_eq!(said(r), ["main: main", "bar: 456", "bar: end456"]);
        assert_eq!(r.report.cut_off, ["foo"]);
        assert_eq!(r.outcome["foo_cut_off"], true);
        // The program still waited for bar: two launches, bar's start, its 3 s.
        assert_eq!(r.elapsed_ms, 2.0 * launch + boot + 3000.0);
    });
    assert_eq!(orders.len(), 1);
    let r = run("processes", &params(&[]), Mode::Virtual, 1.0, 1);
    let t = Trace::from_events(&r.events);
    let exits: Vec<(&str, Option<i32>)> = t
        .processes
        .iter()
        .map(|p| (p.name.as_str(), p.exit))
        .collect();
    assert_eq!(exits, [("foo", Some(-15)), ("bar", Some(0))]);
}

/// python3 demo.py processes-join: main waits for the daemon foo, which ends in 1 s: 123, 456,
/// end123, "foo is done", end456. (Python's first two lines race: each process's start time.)
/// With too short a wait, foo is still alive when main's code ends, and is terminated.
#[test]
fn processes_a_joined_daemon_gets_to_finish() {
    over_seeds("processes-join", &params(&[]), |r| {
        assert_eq!(
            said(r),
            [
                "foo: 123",
                "bar: 456",
                "foo: end123",
                "main: foo is done",
                "bar: end456"
            ]
        );
        assert!(r.report.cut_off.is_empty());
    });
    over_seeds("processes-join", &params(&[("timeout", "0.5")]), |r| {
        assert_eq!(
            said(r),
            ["foo: 123", "bar: 456", "main: foo is alive", "bar: end456"]
        );
        assert_eq!(r.report.cut_off, ["foo"]);
    });
}

/// The challenge "main-first" can be met: in step mode, picking main until it has printed
/// puts "main" on top.
#[test]
fn picking_main_first_prints_main_first() {
    let code = lessons::find("daemon").unwrap();
    let cfg = Config {
        mode: Mode::Virtual,
        scale: 1.0,
        seed: 1,
    };
    let r = runner::replay_variant(code, "threads", &params(&[]), cfg, vec![Tid(0); 4]);
    assert!(!r.broken);
    assert_eq!(lines(&r.result)[0], "main", "{:?}", lines(&r.result));
    assert_eq!(r.result.outcome["first"], "main");
    assert!(r.result.ok, "{:?}", r.result.checks);
}

/// Every check says what it expects, and holds, across the parameters' ranges (the naps and
/// the timeout at their ends and at the defaults).
#[test]
fn the_checks_hold_over_the_parameters_ranges() {
    for short in ["0.5", "2"] {
        for long in ["2.5", "6"] {
            for timeout in ["0", "1.2", "5", "8"] {
                let p = params(&[("short", short), ("long", long), ("timeout", timeout)]);
                for v in lessons::find("daemon").unwrap().variants() {
                    for seed in 0..5 {
                        let r = run(v, &p, Mode::Virtual, 1.0, seed).result;
                        assert!(
                            r.ok,
                            "{v} {short}/{long}/{timeout} seed {seed}: {:?}",
                            r.checks
                        );
                    }
                }
            }
        }
    }
}

// ---- live ----

fn assert_none_left(events: &[Event]) {
    let left = crate::support::children();
    let t = Trace::from_events(events);
    assert_eq!(t.processes.len(), 2, "foo and bar were real processes");
    for p in &t.processes {
        let os_pid = p.os_pid.expect("a real process");
        assert!(
            !left.contains(&os_pid),
            "{} ({os_pid}) is still there",
            p.name
        );
    }
}

/// Live, foo and bar are real processes: the daemon is terminated as main's code ends (it may
/// have printed "123" first, as in Python, never "end123"), the joined one finishes, and no
/// child is left behind by either.
#[test]
fn live_processes_print_what_python_prints_and_leave_no_child() {
    lesson::use_the_lockstep_binary();
    let p = params(&[]);
    let r = run("processes", &p, Mode::Live, 0.1, 1);
    assert!(r.result.ok, "{:?}", r.result.checks);
    // foo may get as far as "123" before its SIGTERM (one run in twenty here), as in Python.
    let l: Vec<String> = lines(&r.result)
        .into_iter()
        .filter(|l| l != "123")
        .collect();
    assert_eq!(sorted(&l), ["456", "end456", "main"], "{l:?}");
    assert_eq!(l.last().unwrap(), "end456");
    assert_eq!(r.result.report.cut_off, ["foo"]);
    let exits: Vec<Option<i32>> = Trace::from_events(&r.events)
        .processes
        .iter()
        .map(|p| p.exit)
        .collect();
    assert_eq!(exits, [Some(-15), Some(0)]);
    assert_none_left(&r.events);

    let r = run("processes-join", &p, Mode::Live, 0.1, 1);
    assert!(r.result.ok, "{:?}", r.result.checks);
    let l = lines(&r.result);
    assert_eq!(sorted(&l[..2]), ["123", "456"], "{l:?}");
    assert_eq!(l[2..], ["end123", "foo is done", "end456"]);
    assert_none_left(&r.events);
}

/// The command line's own children: every variant of the lesson, live, and afterwards no
/// `lockstep __child` process of that run is anywhere (their spec names their parent).
#[test]
fn the_command_line_leaves_no_child_behind() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lockstep"))
        .args(["run", "daemon", "--scale", "0.1", "--seed", "2"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // The parent's id is in the child's command line: `"parent":PID`.
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("processes-join"), "{text}");
    let mut left = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let cmd = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
        if cmd.contains("__child") && cmd.contains("daemon::demo") {
            left.push(cmd);
        }
    }
    assert!(left.is_empty(), "{left:#?}");
}

// ---- the screen ----

/// The lesson on its threads-cut-off step.
fn at_step(step: usize) -> lockstep::tui::Session {
    let mut s = open("daemon", 1);
    for _ in 1..step {
        press(&mut s, KeyCode::Right);
    }
    s
}

fn fits(text: &str, w: usize) {
    for line in text.lines() {
        assert!(Span::raw(line).width() <= w, "{line}");
    }
}

/// Before the run the panel draws the plan: foo is the daemon, the program's end is bar's,
/// 1 s, sooner than foo's nap. After a virtual run foo's lane ends in ⊘ at that moment.
#[test]
fn the_panel_shows_the_plan_then_foo_cut_off() {
    let mut s = at_step(3);
    let plan = screen(&mut s.app, 120, 40);
    assert!(plan.contains("foo  daemon ┄┄┄"), "{plan}");
    assert!(plan.contains("bar  waited ┄"), "{plan}");
    assert!(
        plan.contains("┃ 1 s: the last non-daemon ends (planned)"),
        "{plan}"
    );
    assert!(plan.contains("printed: nothing yet"), "{plan}");
    press(&mut s, KeyCode::Char('m'));
    press(&mut s, KeyCode::Char('m')); // virtual
    press(&mut s, KeyCode::Enter);
    if s.app.asking() {
        press(&mut s, KeyCode::Char('2'));
    }
    assert!(s.settle(SETTLE));
    for (w, h) in [(120, 40), (80, 24)] {
        let text = screen(&mut s.app, w, h);
        fits(&text, w as usize);
        assert!(text.contains("┃ 1 s: the last non-daemon ends"), "{text}");
        assert!(!text.contains("(planned)"), "{text}");
        let foo = text
            .lines()
            .find(|l| l.contains("foo  daemon"))
            .unwrap_or_else(|| panic!("{text}"));
        assert!(foo.contains('⊘') && !foo.contains('✓'), "{foo}");
        let bar = text.lines().find(|l| l.contains("bar  waited")).unwrap();
        assert!(bar.contains('✓'), "{bar}");
        // foo's cut and bar's end meet at the marker, which main's lane shows too.
        let main = text.lines().find(|l| l.contains("main waited")).unwrap();
        // The panel is on the right: the last mark of each line is the panel's.
        let column = |line: &str, c: char| {
            line.chars()
                .collect::<Vec<_>>()
                .iter()
                .rposition(|x| *x == c)
        };
        assert_eq!(column(foo, '⊘'), column(bar, '✓'), "{text}");
        assert_eq!(column(main, '┃'), column(bar, '✓'), "{text}");
        assert!(
            text.contains("end456") && text.contains("foo cut off"),
            "{text}"
        );
    }
    press(&mut s, KeyCode::Char('L'));
    for (w, h) in [(120, 40), (80, 24)] {
        let text = screen(&mut s.app, w, h);
        fits(&text, w as usize);
        assert!(text.contains("┃ 1 s：最后一个非守护线程结束"), "{text}");
        assert!(text.contains("foo  守护"), "{text}");
    }
}

/// The processes step: the marker is main's code's end, at the start, and foo is cut off
/// there; the program still ran on for bar.
#[test]
fn the_panel_marks_mains_code_for_processes() {
    let mut s = at_step(6);
    press(&mut s, KeyCode::Char('m'));
    press(&mut s, KeyCode::Char('m')); // virtual
    press(&mut s, KeyCode::Enter);
    if s.app.asking() {
        press(&mut s, KeyCode::Char('2'));
    }
    assert!(s.settle(SETTLE));
    for (w, h) in [(120, 40), (80, 24)] {
        let text = screen(&mut s.app, w, h);
        fits(&text, w as usize);
        assert!(text.contains("main's code ends"), "{text}");
        let foo = text.lines().find(|l| l.contains("foo  daemon")).unwrap();
        assert!(foo.contains("daemon ⊘"), "cut off at once: {foo}");
        assert!(text.contains("printed: main · 456 · end456"), "{text}");
    }
}

/// No size breaks the panel, before and after a run.
#[test]
fn no_size_breaks_the_panel() {
    let mut s = at_step(5);
    for round in 0..2 {
        for w in [0, 1, 10, 79, 80, 81, 100, 120, 200] {
            for h in [0, 5, 23, 24, 25, 40, 60] {
                let text = screen(&mut s.app, w, h);
                for line in text.lines() {
                    assert!(
                        Span::raw(line).width() <= w as usize,
                        "{round} {w}x{h}: {line}"
                    );
                }
            }
        }
        press(&mut s, KeyCode::Char('m'));
        press(&mut s, KeyCode::Char('m'));
        press(&mut s, KeyCode::Enter);
        if s.app.asking() {
            press(&mut s, KeyCode::Char('1'));
        }
        assert!(s.settle(SETTLE));
    }
}
