//! The runtime on its own: modes, determinism, deadlock detection, cancellation.

use crate::support::demos;
use lockstep::engine::{
    Config, Event, Mode, Mutex, Outcome, Run, Shared, ThreadState, What, secs, sleep, spawn,
};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn cfg(mode: Mode, seed: u64) -> Config {
    Config {
        mode,
        scale: 1.0,
        seed,
    }
}

/// Two threads decrement a counter with read, pause, write: the second write erases the first.
fn racy_pair() -> Outcome {
    let n = Arc::new(Shared::new("n", 2i64));
    let threads: Vec<_> = (1..=2)
        .map(|i| {
            let n = n.clone();
            spawn(format!("T{i}"), move || {
                let tmp = n.get();
                sleep(secs(0.5));
                n.set(tmp - 1);
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let mut out = Outcome::new();
    out.insert("n".into(), n.peek().into());
    out.insert("lost".into(), n.lost_updates().into());
    out
}

fn log_text(events: &[Event]) -> String {
    events.iter().map(|e| format!("{e:?}\n")).collect()
}

#[test]
fn virtual_run_loses_an_update_and_takes_the_sleep_time() {
    let (report, events) = Run::run_to_end(cfg(Mode::Virtual, 7), racy_pair);
    let out = report.outcome.as_ref().expect("main returned");
    assert_eq!(out["n"], 1);
    assert_eq!(out["lost"], 1);
    assert_eq!(report.elapsed_ns, 500_000_000);
    assert!(report.deadlock.is_none());
    assert!(matches!(events.last().unwrap().what, What::Finished));
}

#[test]
fn same_seed_same_log_byte_for_byte() {
    for seed in 0..20 {
        let (_, a) = Run::run_to_end(cfg(Mode::Virtual, seed), racy_pair);
        let (_, b) = Run::run_to_end(cfg(Mode::Virtual, seed), racy_pair);
        assert_eq!(log_text(&a), log_text(&b), "seed {seed}");
    }
}

#[test]
fn live_run_counts_the_updates_it_loses() {
    let c = Config {
        mode: Mode::Live,
        scale: 0.01,
        seed: 1,
    };
    // Live, the OS decides whether the two reads overlap (they do unless one thread is kept
    // off the CPU for the whole sleep): n is 2 less the writes that landed, so whichever way
    // it went, n is exactly the updates counted as lost.
    let (report, _) = Run::run_to_end(c, racy_pair);
    let out = report.outcome.unwrap();
    let (n, lost) = (out["n"].as_i64().unwrap(), out["lost"].as_i64().unwrap());
    assert_eq!(n, lost, "{out:?}");
    assert!(n <= 1, "{out:?}");
}

#[test]
fn crossed_locks_deadlock_is_found_in_every_mode() {
    for mode in [Mode::Virtual, Mode::Live] {
        let c = Config {
            mode,
            scale: 0.01,
            seed: 3,
        };
        let (report, events) = Run::run_to_end(c, demos::crossed_locks);
        let d = report.deadlock.clone().expect("deadlock detected");
        let mut names: Vec<_> = d.cycle.iter().map(|l| l.thread.as_str()).collect();
        names.sort();
        assert_eq!(names, ["T1", "T2"], "{mode:?}: {d}");
        for l in &d.cycle {
            let want = if l.thread == "T1" {
                ("A", "B")
            } else {
                ("B", "A")
            };
            assert_eq!((l.holds[0].as_str(), l.waits_for.as_str()), want);
        }
        assert!(report.outcome.is_none());
        // Every thread ended as cancelled: none is left behind.
        let cancelled = events
            .iter()
            .filter(|e| matches!(e.what, What::Cancelled))
            .count();
        assert_eq!(cancelled, 3, "{mode:?}");
    }
}

#[test]
fn locking_twice_is_a_self_deadlock() {
    let (report, _) = Run::run_to_end(cfg(Mode::Virtual, 1), || {
        let m = Mutex::new("L", ());
        let _g1 = m.lock();
        let _g2 = m.lock();
        Outcome::new()
    });
    let d = report.deadlock.clone().expect("deadlock");
    assert_eq!(d.cycle.len(), 1);
    assert_eq!(d.cycle[0].thread, "main");
    assert_eq!(d.cycle[0].waits_for, "L");
}

#[test]
fn step_mode_lets_the_user_choose_the_order() {
    // Pick T1 through its whole read-sleep-write before T2 reads: no update is lost.
    let run = Run::start(cfg(Mode::Step, 0), racy_pair);
    let mut guard = 0;
    while run.awaiting_pick() {
        let c = run.candidates();
        let pick = c
            .iter()
            .find(|c| c.name == "T1")
            .or_else(|| c.iter().find(|c| c.name == "main"))
            .unwrap_or(&c[0])
            .tid;
        assert!(run.step_and_wait(Some(pick)));
        guard += 1;
        assert!(guard < 100);
    }
    run.wait();
    let out: Outcome = run.take_returned().expect("main returned");
    assert_eq!(out["lost"], 0);
}

#[test]
fn cancel_ends_a_thousand_blocked_threads_promptly() {
    // Live: in virtual mode the hour-long sleep would pass at once and end in a deadlock.
    for mode in [Mode::Live] {
        let run = Run::start(
            Config {
                mode,
                scale: 1.0,
                seed: 0,
            },
            || {
                let m = Arc::new(Mutex::new("gate", ()));
                let _held = m.lock();
                let ts: Vec<_> = (0..1000)
                    .map(|i| {
                        let m = m.clone();
                        spawn(format!("T{i}"), move || drop(m.lock()))
                    })
                    .collect();
                sleep(secs(3600.0)); // keeps the lock: everyone else waits
                for t in ts {
                    t.join().unwrap();
                }
                Outcome::new()
            },
        );
        // Wait until all 1000 are blocked.
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut blocked = 0;
        while blocked < 1000 {
            for e in run.events().try_iter() {
                if matches!(e.state, ThreadState::Blocked(_))
                    && matches!(e.what, What::Blocked { .. })
                {
                    blocked += 1;
                }
            }
            assert!(
                Instant::now() < deadline,
                "{mode:?}: only {blocked} blocked"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        let t0 = Instant::now();
        run.cancel();
        let report = run
            .wait_timeout(Duration::from_secs(10))
            .expect("every thread leaves after a cancel");
        let took = t0.elapsed();
        assert!(report.cancelled);
        assert!(run.is_over());
        eprintln!("{mode:?}: cancel of 1001 threads took {took:?}");
    }
}

#[test]
fn cancel_in_step_mode_frees_threads_waiting_for_their_turn() {
    let run = Run::start(cfg(Mode::Step, 0), racy_pair);
    for _ in 0..4 {
        assert!(run.step_and_wait(None));
    }
    assert!(run.awaiting_pick());
    run.cancel();
    let report = run
        .wait_timeout(Duration::from_secs(10))
        .expect("every thread leaves after a cancel");
    assert!(report.cancelled);
    assert!(!report.returned);
    assert!(!run.step(None), "nothing moves after a cancel");
}

#[test]
fn dropping_a_run_cancels_it() {
    let run = Run::start(cfg(Mode::Step, 0), racy_pair);
    assert!(run.step_and_wait(None));
    let events = run.events().clone();
    drop(run);
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut cancelled = 0;
    while cancelled < 1 {
        if let Ok(e) = events.recv_timeout(Duration::from_millis(100))
            && matches!(e.what, What::Cancelled)
        {
            cancelled += 1;
        }
        assert!(
            Instant::now() < deadline,
            "the demo thread was not cancelled"
        );
    }
}

#[test]
fn a_runs_choices_replay_it_exactly() {
    let c = cfg(Mode::Virtual, 11);
    let run = Run::start(c, racy_pair);
    run.wait();
    let choices = run.choices();
    let original = log_text(&run.events().try_iter().collect::<Vec<_>>());
    assert!(!choices.is_empty());

    // The same choices under another seed give the same run: the choices are the schedule.
    let again = Run::replay(cfg(Mode::Virtual, 999), choices.clone(), racy_pair);
    again.wait();
    assert!(!again.schedule_broken());
    assert_eq!(
        log_text(&again.events().try_iter().collect::<Vec<_>>()),
        original
    );

    // In step mode the replay runs by itself, then waits for the user.
    let prefix = choices[..choices.len() - 1].to_vec();
    let step = Run::replay(cfg(Mode::Step, 0), prefix, racy_pair);
    let deadline = Instant::now() + Duration::from_secs(10);
    while step.replaying() || !step.awaiting_pick() {
        assert!(Instant::now() < deadline, "the replay stalled");
        std::thread::sleep(Duration::from_millis(1));
    }
    // Undo, then redo the last choice: the identical event log.
    assert!(step.step_and_wait(Some(*choices.last().unwrap())));
    step.wait();
    assert_eq!(
        log_text(&step.events().try_iter().collect::<Vec<_>>()),
        original
    );
}

#[test]
fn a_schedule_for_another_run_is_reported_broken() {
    let run = Run::replay(
        cfg(Mode::Virtual, 1),
        vec![lockstep::engine::Tid(42)],
        racy_pair,
    );
    let report = run.wait();
    assert!(run.schedule_broken());
    assert!(report.returned, "the policy carries on");
}

#[test]
fn after_a_deadlock_nobody_is_handed_a_lock() {
    for mode in [Mode::Virtual, Mode::Live] {
        let c = Config {
            mode,
            scale: 0.01,
            seed: 3,
        };
        let (_, events) = Run::run_to_end(c, demos::crossed_locks);
        let found = events
            .iter()
            .position(|e| matches!(e.what, What::DeadlockFound { .. }))
            .expect("deadlock");
        let late = events[found..]
            .iter()
            .find(|e| matches!(e.what, What::Acquired { .. }));
        assert!(late.is_none(), "{mode:?}: {late:?}");
    }
}

/// Python: an exception in a thread prints its traceback and ends that thread; the others go
/// on, main's join returns, and the program ends when the rest are done.
#[test]
fn a_thread_that_raises_ends_only_itself() {
    for mode in [Mode::Virtual, Mode::Live] {
        let (report, events) = Run::run_to_end(cfg(mode, 3), || {
            let bad = spawn("bad", || -> u32 { panic!("bad value") });
            let good = spawn("good", || {
                sleep(secs(0.01));
                7u32
            });
            let bad = bad.join().unwrap_err();
            let good = good.join().unwrap();
            (bad.to_string(), good)
        });
        let (bad, good) = report.outcome.clone().expect("main carried on");
        assert_eq!(bad, "bad raised: bad value", "{mode:?}");
        assert_eq!(good, 7);
        assert!(report.deadlock.is_none() && !report.cancelled, "{mode:?}");
        assert_eq!(report.raised, ["bad: bad value"]);
        let trace = lockstep::engine::trace::Trace::from_events(&events);
        let state = |n: &str| trace.threads.iter().find(|t| t.name == n).unwrap().state;
        assert_eq!(state("bad"), ThreadState::Raised);
        assert_eq!(state("good"), ThreadState::Done);
        assert_eq!(state("main"), ThreadState::Done);
        let lines = lockstep::schedule::log_lines(&events, lockstep::words::Lang::En);
        assert!(
            lines.iter().any(|l| l.ends_with("bad raised: bad value")),
            "{lines:#?}"
        );
    }
}

/// A demo may ask for a raise to end everything instead.
#[test]
fn stop_on_raise_ends_the_whole_run() {
    let (report, events) = Run::run_to_end(cfg(Mode::Virtual, 3), || {
        lockstep::engine::stop_on_raise();
        let slow = spawn("slow", || sleep(secs(5.0)));
        let bad = spawn("bad", || panic!("bad value"));
        let _ = bad.join();
        slow.join().unwrap();
    });
    assert!(report.outcome.is_none(), "main was cancelled");
    assert_eq!(report.raised, ["bad: bad value"]);
    let trace = lockstep::engine::trace::Trace::from_events(&events);
    let slow = trace.threads.iter().find(|t| t.name == "slow").unwrap();
    assert_eq!(slow.state, ThreadState::Cancelled);
    assert!(
        report.elapsed_ns < 5_000_000_000,
        "slow never finished its sleep"
    );
}

/// After a detected deadlock every thread still going is cancelled in thread order, and the
/// locks they drop while unwinding say nothing: the same seed gives the same log.
#[test]
fn the_log_after_a_deadlock_is_the_same_for_a_seed() {
    let logs: Vec<String> = (0..6)
        .map(|_| {
            let (_, events) = Run::run_to_end(cfg(Mode::Virtual, 5), demos::crossed_locks);
            lockstep::schedule::log_lines(&events, lockstep::words::Lang::En).join("\n")
        })
        .collect();
    for l in &logs[1..] {
        assert_eq!(l, &logs[0]);
    }
    let tail: Vec<&str> = logs[0].lines().rev().take(3).collect();
    assert!(tail.iter().all(|l| l.ends_with("cancelled")), "{tail:?}");
    assert!(!logs[0].contains("releases"), "{}", logs[0]);
}
