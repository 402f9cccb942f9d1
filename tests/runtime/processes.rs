//! Processes in step and virtual modes: memory of their own, exit codes, join, terminate,
//! daemons, and what starting one costs on the virtual clock. Each test says what Python's
//! `multiprocessing` does (spawn start method, checked with python3).

use lockstep::engine::trace::Trace;
use lockstep::engine::{
    Config, Event, Global, Mode, Run, ThreadState, What, now, secs, sleep, spawn,
    spawn_daemon_process, spawn_process,
};

fn virt(seed: u64) -> Config {
    Config {
        mode: Mode::Virtual,
        scale: 1.0,
        seed,
    }
}

fn log(events: &[Event]) -> Vec<String> {
    lockstep::schedule::log_lines(events, lockstep::words::Lang::En)
}

static N: Global<i64> = Global::new("n", 100);

fn set_zero(_: ()) {
    N.set(0);
}

/// Python: a child process that sets a global to 0 leaves the parent's at 100; a thread that
/// does so changes it, since threads share their process's memory.
#[test]
fn a_child_process_has_its_own_globals_and_a_thread_shares_them() {
    for seed in 0..50 {
        let (r, events) = Run::run_to_end(virt(seed), || {
            let p = spawn_process("child", set_zero, ());
            p.join();
            let after_child = N.get();
            spawn("T1", || N.set(0)).join().unwrap();
            (after_child, N.get())
        });
        assert_eq!(r.outcome, Some((100, 0)), "seed {seed}");
        let lines = log(&events);
        assert!(
            lines
                .iter()
                .any(|l| l.ends_with("child writes n@child = 0")),
            "{lines:#?}"
        );
    }
}

fn fine(_: ()) {}

fn raises(_: ()) {
    panic!("bad input");
}

fn forever(_: ()) {
    loop {
        sleep(secs(1.0));
    }
}

/// Python: `exitcode` is 0 after a normal return, 1 after an uncaught exception, -15 after
/// `terminate()`; `is_alive()` is True until then; `join()` waits for the end.
#[test]
fn exit_codes_join_is_alive_and_terminate() {
    for seed in 0..50 {
        let (r, events) = Run::run_to_end(virt(seed), || {
            let ok = spawn_process("ok", fine, ());
            let bad = spawn_process("bad", raises, ());
            let long = spawn_process("long", forever, ());
            let codes = (ok.join(), bad.join());
            let alive = long.is_alive();
            long.terminate();
            let gone = (long.join(), long.is_alive(), long.exit_code());
            (codes, alive, gone)
        });
        assert_eq!(
            r.outcome,
            Some(((0, 1), true, (-15, false, Some(-15)))),
            "seed {seed}"
        );
        let trace = Trace::from_events(&events);
        let exits: Vec<(String, Option<i32>)> = trace
            .processes
            .iter()
            .map(|p| (p.name.clone(), p.exit))
            .collect();
        assert_eq!(
            exits,
            [
                ("ok".into(), Some(0)),
                ("bad".into(), Some(1)),
                ("long".into(), Some(-15))
            ]
        );
        let long = trace.threads.iter().find(|t| t.name == "long").unwrap();
        assert_eq!(long.state, ThreadState::Cancelled);
        assert!(r.deadlock.is_none());
    }
}

fn naps(secs_: f64) {
    sleep(secs(secs_));
}

/// Python: a daemon process is terminated when the program ends; a non-daemon one is waited
/// for. Here the program ends after the 1 s child; the 3 s daemon is cut off.
#[test]
fn a_daemon_process_is_cut_off_at_the_end() {
    let (r, events) = Run::run_to_end(virt(1), || {
        spawn_daemon_process("daemon", naps, 3.0);
        spawn_process("worker", naps, 1.0);
    });
    assert!(r.returned && r.deadlock.is_none());
    let trace = Trace::from_events(&events);
    let state = |n: &str| trace.threads.iter().find(|t| t.name == n).unwrap().state;
    assert_eq!(state("worker"), ThreadState::Done);
    assert_eq!(state("daemon"), ThreadState::CutOff);
    assert!(
        r.elapsed_ns < 3_000_000_000,
        "the program did not wait for the daemon"
    );
}

/// Starting a process costs time, which a thread does not: on the virtual clock, what
/// starting one takes on this machine (the parent's launch, then the child's start).
#[test]
fn starting_a_process_costs_its_time_on_the_virtual_clock() {
    let costs = lockstep::engine::process::costs();
    let (r, _) = Run::run_to_end(virt(1), || {
        spawn_process("child", fine, ()).join();
    });
    assert_eq!(r.elapsed_ns, costs.launch_ns + costs.boot_ns);
    let (t, _) = Run::run_to_end(virt(1), || spawn("T1", || {}).join().unwrap());
    assert_eq!(
        t.elapsed_ns, 0,
        "a thread starts at once on the virtual clock"
    );
}

/// Terminating a process and cutting off a daemon happen in one place, in thread order: the
/// same seed gives the same log.
#[test]
fn the_same_seed_gives_the_same_log_with_processes() {
    let run = || {
        let (_, events) = Run::run_to_end(virt(7), || {
            spawn_daemon_process("daemon", forever, ());
            let long = spawn_process("long", forever, ());
            let ok = spawn_process("ok", naps, 0.5);
            ok.join();
            long.terminate();
            long.join();
        });
        log(&events).join("\n")
    };
    let first = run();
    for _ in 0..5 {
        assert_eq!(run(), first);
    }
}

// ---- live: real child processes (the lockstep binary started again) ----

use lockstep::engine::process::selftest;

fn live() -> Config {
    // SAFETY-free in practice: every test that reads it sets the same value.
    unsafe { std::env::set_var("LOCKSTEP_EXE", env!("CARGO_BIN_EXE_lockstep")) };
    Config {
        mode: Mode::Live,
        scale: 0.01,
        seed: 1,
    }
}

/// Live, a child really is another process: its write to the global stays in it, it has a
/// process id of its own, and its events come back onto the run's timeline.
#[test]
fn a_live_child_is_a_real_process_with_memory_of_its_own() {
    let (r, events) = Run::run_to_end(live(), || {
        let p = spawn_process("child", selftest::set_n, 0);
        let code = p.join();
        (code, p.os_pid(), selftest::N.get())
    });
    let (code, os_pid, n) = r.outcome.expect("main returned");
    assert_eq!((code, n), (0, 100), "{:#?}", log(&events));
    let os_pid = os_pid.expect("a real process id");
    assert_ne!(os_pid, std::process::id());
    let lines = log(&events);
    assert!(
        lines
            .iter()
            .any(|l| l.ends_with("child writes n@child = 0")),
        "{lines:#?}"
    );
    let trace = Trace::from_events(&events);
    assert_eq!(trace.processes[0].os_pid, Some(os_pid));
    assert_eq!(trace.processes[0].exit, Some(0));
    assert!(!crate::support::children().contains(&os_pid), "reaped");
}

/// Live exit codes as Python gives them: 0, 1 after an exception, -15 after terminate().
#[test]
fn live_exit_codes_and_terminate() {
    let (r, events) = Run::run_to_end(live(), || {
        let ok = spawn_process("ok", selftest::nap, 0.5);
        let bad = spawn_process("bad", selftest::raise, ());
        let long = spawn_process("long", selftest::sleep_forever, ());
        let codes = (ok.join(), bad.join());
        let alive = long.is_alive();
        long.terminate();
        (codes, alive, long.join(), long.is_alive())
    });
    assert_eq!(
        r.outcome.clone(),
        Some(((0, 1), true, -15, false)),
        "{:#?}",
        log(&events)
    );
    let lines = log(&events);
    assert!(
        lines.iter().any(|l| l.contains("bad raised: bad input")),
        "{lines:#?}"
    );
    assert_none_left(&events);
}

/// Live, a daemon child is killed when the program ends; the program does not wait for it.
#[test]
fn a_live_daemon_child_is_killed_at_the_end() {
    let (r, events) = Run::run_to_end(live(), || {
        spawn_daemon_process("daemon", selftest::sleep_forever, ());
        spawn_process("worker", selftest::nap, 1.0).join();
    });
    assert!(r.returned && r.deadlock.is_none(), "{:#?}", log(&events));
    let trace = Trace::from_events(&events);
    let daemon = trace.threads.iter().find(|t| t.name == "daemon").unwrap();
    assert_eq!(daemon.state, ThreadState::CutOff);
    assert_none_left(&events);
}

/// None of the run's child processes is still there (the test process's other children
/// belong to tests running beside this one).
fn assert_none_left(events: &[Event]) {
    let left = crate::support::children();
    let trace = Trace::from_events(events);
    for p in &trace.processes {
        let os_pid = p.os_pid.expect("a real process");
        assert!(
            !left.contains(&os_pid),
            "{} ({os_pid}) is still there",
            p.name
        );
    }
}

/// A cancelled run leaves no child process behind: a hundred runs that each start two children
/// and are cancelled while they sleep, and not one child is left.
#[test]
fn a_hundred_cancelled_runs_leave_no_child_behind() {
    let mut started = 0;
    for _ in 0..100 {
        let run = Run::start(live(), || {
            let a = spawn_process("a", selftest::sleep_forever, ());
            let b = spawn_daemon_process("b", selftest::sleep_forever, ());
            a.join();
            b.join();
        });
        std::thread::sleep(std::time::Duration::from_millis(5));
        run.cancel();
        assert!(
            run.wait_timeout(std::time::Duration::from_secs(5))
                .is_some(),
            "the run ends after a cancel"
        );
        let events: Vec<Event> = run.events().try_iter().collect();
        started += Trace::from_events(&events).processes.len();
        assert_none_left(&events);
    }
    assert!(started >= 100, "the runs did start children: {started}");
}

// ---- daemon processes end with their parent's code; join with a time limit ----

/// Python (the tutorial's foo and bar as processes): a daemon process is terminated as soon as
/// the main process's code ends, even though a non-daemon process runs on and the daemon
/// would have finished first; its exit code is -15. The program still waits for the other.
#[test]
fn a_daemon_process_ends_when_the_main_code_ends_not_with_the_program() {
    for seed in 0..50 {
        let (r, events) = Run::run_to_end(virt(seed), || {
            spawn_daemon_process("foo", naps, 1.0);
            spawn_process("bar", naps, 3.0);
        });
        assert!(r.returned && r.deadlock.is_none(), "seed {seed}");
        assert_eq!(r.cut_off, ["foo"], "seed {seed}");
        let trace = Trace::from_events(&events);
        let exits: Vec<Option<i32>> = trace.processes.iter().map(|p| p.exit).collect();
        assert_eq!(exits, [Some(-15), Some(0)], "seed {seed}");
        let costs = lockstep::engine::process::costs();
        // The program ends with bar: two launches, bar's start, its 3 s.
        assert_eq!(
            r.elapsed_ns,
            2 * costs.launch_ns + costs.boot_ns + 3_000_000_000
        );
        let foo_end = events
            .iter()
            .find(|e| matches!(e.what, What::ProcessExit { code: -15, .. }))
            .unwrap();
        assert_eq!(foo_end.at_ns, 2 * costs.launch_ns, "as main's code ends");
    }
}

/// Python: `join()` on a daemon process waits for it like any other; `join(timeout)` returns
/// after the time limit with the process still alive, or as soon as it ends.
#[test]
fn a_process_is_joined_with_a_time_limit() {
    for seed in 0..50 {
        let (r, _) = Run::run_to_end(virt(seed), || {
            let d = spawn_daemon_process("d", naps, 1.0);
            let code = d.join();
            assert!(
                !d.is_alive() && now() >= secs(1.0),
                "join waited for the daemon"
            );
            let long = spawn_process("long", naps, 3.0);
            let in_time = long.join_timeout(secs(2.0));
            let alive = long.is_alive();
            let short = spawn_process("short", naps, 0.5);
            let ended = short.join_timeout(secs(2.0));
            (code, in_time, alive, ended, short.exit_code(), long.join())
        });
        assert_eq!(
            r.outcome,
            Some((0, false, true, true, Some(0), 0)),
            "seed {seed}"
        );
        assert!(r.cut_off.is_empty(), "{:?}", r.cut_off);
    }
}

/// Python: "daemonic processes are not allowed to have children" (start() raises).
#[test]
fn a_daemon_process_cannot_start_children() {
    let (r, events) = Run::run_to_end(virt(1), || {
        spawn_daemon_process("d", selftest::start_child, ()).join()
    });
    assert_eq!(r.outcome, Some(1), "{:#?}", log(&events));
    assert!(
        r.raised
            .iter()
            .any(|m| m == "d: daemonic processes are not allowed to have children"),
        "{:?}",
        r.raised
    );
    let (ok, _) = Run::run_to_end(virt(1), || {
        spawn_process("p", selftest::start_child, ()).join()
    });
    assert_eq!(ok.outcome, Some(0), "a non-daemon process may");
}

/// Live, the same with real processes: the daemon child is sent SIGTERM as main's code ends,
/// the program waits for the other; `join_timeout` gives up on a real child, or sees it end.
#[test]
fn live_a_daemon_child_ends_with_the_main_code_and_join_has_a_time_limit() {
    let (r, events) = Run::run_to_end(live(), || {
        spawn_daemon_process("daemon", selftest::nap, 10.0);
        let p = spawn_process("p", selftest::nap, 20.0);
        let gave_up = !p.join_timeout(secs(1.0));
        let alive = p.is_alive();
        let q = spawn_process("q", selftest::nap, 0.5);
        let ended = q.join_timeout(secs(30.0));
        (gave_up, alive, ended, q.is_alive(), q.exit_code())
    });
    assert_eq!(
        r.outcome.clone(),
        Some((true, true, true, false, Some(0))),
        "{:#?}",
        log(&events)
    );
    assert!(r.cut_off.contains(&"daemon".to_string()), "{r:?}");
    let trace = Trace::from_events(&events);
    let exits: Vec<(&str, Option<i32>)> = trace
        .processes
        .iter()
        .map(|p| (p.name.as_str(), p.exit))
        .collect();
    assert_eq!(
        exits,
        [("daemon", Some(-15)), ("p", Some(0)), ("q", Some(0))],
        "{:#?}",
        log(&events)
    );
    // The program waited for p's 20 s (0.2 s here), not the daemon's 10 s.
    assert!(r.elapsed_ns >= 200_000_000, "{}", r.elapsed_ns);
    assert_none_left(&events);
}

/// Live: a daemon child that tries to start a child raises, as Python's does.
#[test]
fn live_a_daemon_child_cannot_start_children() {
    let (r, events) = Run::run_to_end(live(), || {
        spawn_daemon_process("d", selftest::start_child, ()).join()
    });
    assert_eq!(r.outcome, Some(1), "{:#?}", log(&events));
    let lines = log(&events);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("daemonic processes are not allowed to have children")),
        "{lines:#?}"
    );
    assert_none_left(&events);
}
