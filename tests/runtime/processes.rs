//! Processes in step and virtual modes: memory of their own, exit codes, join, terminate,
//! daemons, and what starting one costs on the virtual clock. Each test says what Python's
//! `multiprocessing` does (spawn start method, checked with python3).

use lockstep::engine::trace::Trace;
use lockstep::engine::{
    Config, Event, Global, Mode, Run, ThreadState, secs, sleep, spawn, spawn_daemon_process,
    spawn_process,
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
