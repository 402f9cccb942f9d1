//! Condition, Barrier, Timer and ThreadLocal behave as Python's `threading.Condition`,
//! `Barrier`, `Timer` and `local` do. Each test's comment says what Python 3.11 does, as
//! `python3 tests/runtime/python_reference.py` prints it, and checks the same in virtual
//! mode over 50 seeds (times exact on the virtual clock) and once live.

use crate::support::screen::screen;
use lockstep::content;
use lockstep::engine::event::BlockedOn;
use lockstep::engine::trace::Trace;
use lockstep::engine::{
    Barrier, BrokenBarrier, Condition, Config, Event, Mode, Mutex, Op, Run, Shared, ThreadLocal,
    Tid, Timer, What, now, secs, sleep, spawn,
};
use lockstep::tui::{App, Effect, Options, RunStatus};
use lockstep::words::Lang;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;

const SEEDS: u64 = 50;

/// Every seed in virtual mode, then one live run (a lesson second lasts 50 ms: sleeps of a
/// second keep threads apart on a busy machine).
fn configs() -> impl Iterator<Item = Config> {
    (0..SEEDS)
        .map(|seed| Config {
            mode: Mode::Virtual,
            scale: 1.0,
            seed,
        })
        .chain([Config {
            mode: Mode::Live,
            scale: 0.05,
            seed: 0,
        }])
}

/// Lesson time now, in milliseconds (exact on the virtual clock).
fn ms() -> u128 {
    now().as_millis()
}

/// The threads of `events` an event picked by `f` names, in order.
fn who(events: &[Event], f: impl Fn(&What) -> bool) -> Vec<Tid> {
    events
        .iter()
        .filter(|e| f(&e.what))
        .map(|e| e.tid)
        .collect()
}

// ---- Condition ----

/// Python: four threads wait on a Condition one after another; `notify()` called four
/// times, one at a time, wakes them in the order they waited: `[0, 1, 2, 3]`.
#[test]
fn a_condition_wakes_its_waiters_in_the_order_they_waited() {
    for cfg in configs() {
        let (ended, _) = Run::run_to_end(cfg, || {
            let lock = Arc::new(Mutex::new("lock", Vec::new()));
            let ready = Arc::new(Condition::new("ready", &lock));
            let waiters: Vec<_> = (0..4)
                .map(|i| {
                    let (lock, ready) = (lock.clone(), ready.clone());
                    let h = spawn(format!("W{i}"), move || {
                        let g = lock.lock();
                        let mut g = ready.wait(g);
                        g.push(i);
                    });
                    sleep(secs(1.0)); // W{i} waits before W{i+1} starts
                    h
                })
                .collect();
            for _ in 0..4 {
                let g = lock.lock();
                ready.notify_one();
                drop(g);
                sleep(secs(1.0));
            }
            for w in waiters {
                w.join().unwrap();
            }
            lock.lock().clone()
        });
        assert_eq!(ended.outcome, Some(vec![0, 1, 2, 3]), "{cfg:?}");
    }
}

/// The same, whatever order the scheduler lets five waiters arrive in: each notify wakes the
/// longest waiter, so they are woken, and go on, in the order they began to wait.
#[test]
fn whoever_waits_first_is_woken_first_in_any_schedule() {
    for cfg in configs() {
        let (ended, events) = Run::run_to_end(cfg, || {
            let lock = Arc::new(Mutex::new("lock", Vec::new()));
            let ready = Arc::new(Condition::new("ready", &lock));
            let waiters: Vec<_> = (0..5)
                .map(|i| {
                    let (lock, ready) = (lock.clone(), ready.clone());
                    spawn(format!("W{i}"), move || {
                        let g = lock.lock();
                        let mut g = ready.wait(g);
                        g.push(lockstep::engine::current_name());
                    })
                })
                .collect();
            sleep(secs(1.0));
            for _ in 0..5 {
                let g = lock.lock();
                ready.notify_one();
                drop(g);
                sleep(secs(1.0));
            }
            for w in waiters {
                w.join().unwrap();
            }
            lock.lock().clone()
        });
        let waited = who(&events, |w| matches!(w, What::CondWait { .. }));
        let woken = who(&events, |w| matches!(w, What::Notified { .. }));
        assert_eq!(woken, waited, "{cfg:?}");
        let trace = Trace::from_events(&events);
        let names: Vec<String> = waited
            .iter()
            .map(|&t| trace.thread_name(t).to_string())
            .collect();
        assert_eq!(ended.outcome, Some(names), "{cfg:?}");
    }
}

/// Python: a thread waiting on a Condition has released its lock (another thread takes it
/// at once: True); a notified waiter takes the lock again before `wait` returns, so it
/// returns only after the notifier has released it (True).
#[test]
fn a_waiter_releases_the_lock_and_takes_it_again_before_wait_returns() {
    for cfg in configs() {
        let (ended, events) = Run::run_to_end(cfg, || {
            let lock = Arc::new(Mutex::new("lock", false));
            let ready = Arc::new(Condition::new("ready", &lock));
            let (l2, r2) = (lock.clone(), ready.clone());
            let waiter = spawn("W", move || {
                let mut g = l2.lock();
                while !*g {
                    g = r2.wait(g);
                }
                ms()
            });
            sleep(secs(1.0));
            let mut g = lock.lock(); // W waits, not holding it: no wait here
            let took_at = ms();
            *g = true;
            ready.notify_one();
            sleep(secs(2.0)); // W is woken, then waits for the lock
            let released_at = ms();
            drop(g);
            (took_at, released_at, waiter.join().unwrap())
        });
        let (took_at, released_at, returned_at) = ended.outcome.expect("finished");
        assert!(returned_at >= released_at, "{cfg:?}");
        let trace = Trace::from_events(&events);
        let lines: Vec<String> = trace.log_texts(Lang::En).collect();
        if cfg.mode == Mode::Virtual {
            assert_eq!((took_at, released_at, returned_at), (1000, 3000, 3000));
            // Woken, W asks for the lock and waits for main, who holds it.
            let mut rest = lines.iter();
            for line in [
                "W is woken by a notify on ready",
                "W asks for lock",
                "W waits for lock (held by main)",
                "main releases lock",
                "W holds lock",
            ] {
                assert!(rest.any(|l| l == line), "{line:?} in order in {lines:#?}");
            }
        }
        assert!(lines.contains(&"W waits on ready, releasing lock".to_string()));
        // main never waited for the lock: W had released it.
        let main_waited = events.iter().any(|e| {
            e.tid == Tid(0)
                && matches!(
                    e.what,
                    What::Blocked {
                        on: BlockedOn::Resource(_)
                    }
                )
        });
        assert!(!main_waited, "{cfg:?}: {lines:#?}");
    }
}

/// Python: a notify with nobody waiting is lost; a thread that waits afterwards with a
/// timeout of 2 ticks is not woken by it, and `wait` returns False when its time runs out.
#[test]
fn a_notify_with_nobody_waiting_is_lost() {
    for cfg in configs() {
        let (ended, events) = Run::run_to_end(cfg, || {
            let lock = Arc::new(Mutex::new("lock", ()));
            let ready = Arc::new(Condition::new("ready", &lock));
            let g = lock.lock();
            ready.notify_one();
            drop(g);
            let (l2, r2) = (lock.clone(), ready.clone());
            let waiter = spawn("W", move || {
                let g = l2.lock();
                let (_g, timed_out) = r2.wait_timeout(g, secs(2.0));
                (timed_out, ms())
            });
            waiter.join().unwrap()
        });
        let (timed_out, at) = ended.outcome.expect("finished");
        assert!(timed_out, "{cfg:?}");
        let trace = Trace::from_events(&events);
        let ready = trace.resources.iter().find(|r| r.name == "ready").unwrap();
        assert_eq!((ready.notifies, ready.lost_notifies), (1, 1));
        let lines: Vec<String> = trace.log_texts(Lang::En).collect();
        assert!(lines.contains(&"main notifies ready: nobody waits, the notify is lost".into()));
        assert!(lines.contains(&"W gives up waiting for ready".into()));
        if cfg.mode == Mode::Virtual {
            assert_eq!(at, 2000, "the timeout, exactly");
            assert_eq!(ended.elapsed_ns, 2_000_000_000);
        } else {
            assert!(at >= 2000, "{at}");
        }
    }
}

/// Python: four threads wait one after another (with a timeout none reaches); `notify(2)`
/// wakes exactly the two that waited first, `[0, 1]`; `notify_all()` then wakes the rest,
/// `[0, 1, 2, 3]`.
#[test]
fn notify_n_wakes_exactly_n_and_notify_all_the_rest() {
    for cfg in configs() {
        let (ended, events) = Run::run_to_end(cfg, || {
            let lock = Arc::new(Mutex::new("lock", Vec::new()));
            let ready = Arc::new(Condition::new("ready", &lock));
            let waiters: Vec<_> = (0..4)
                .map(|i| {
                    let (lock, ready) = (lock.clone(), ready.clone());
                    let h = spawn(format!("W{i}"), move || {
                        let g = lock.lock();
                        let (mut g, timed_out) = ready.wait_timeout(g, secs(8.0));
                        if !timed_out {
                            g.push(i);
                        }
                    });
                    sleep(secs(1.0));
                    h
                })
                .collect();
            sleep(secs(1.0));
            let g = lock.lock();
            ready.notify(2);
            drop(g);
            sleep(secs(1.0));
            // Both woken, they race for the lock (as in Python): sorted.
            let mut after_two = lock.lock().clone();
            after_two.sort();
            let g = lock.lock();
            ready.notify_all();
            drop(g);
            for w in waiters {
                w.join().unwrap();
            }
            let mut all = lock.lock().clone();
            all.sort();
            (after_two, all)
        });
        let (after_two, all) = ended.outcome.expect("finished");
        assert_eq!(after_two, [0, 1], "{cfg:?}");
        assert_eq!(all, [0, 1, 2, 3], "{cfg:?}");
        let trace = Trace::from_events(&events);
        let lines: Vec<String> = trace.log_texts(Lang::En).collect();
        assert!(lines.contains(&"main notifies ready (up to 2): wakes W0 W1".into()));
        assert!(lines.contains(&"main notifies all on ready: wakes W2 W3".into()));
    }
}

/// Python: after notify_all, the woken waiters take the lock one at a time: each does a
/// read, a pause and a write of a counter under the lock, and no update is lost (4).
#[test]
fn woken_waiters_hold_the_lock_one_at_a_time() {
    for cfg in configs() {
        let (ended, _) = Run::run_to_end(cfg, || {
            let lock = Arc::new(Mutex::new("lock", false));
            let ready = Arc::new(Condition::new("ready", &lock));
            let n = Arc::new(Shared::new("n", 0));
            let waiters: Vec<_> = (0..4)
                .map(|i| {
                    let (lock, ready, n) = (lock.clone(), ready.clone(), n.clone());
                    spawn(format!("W{i}"), move || {
                        let g = lock.lock();
                        let _g = ready.wait_while(g, |go| !*go);
                        let seen = n.get();
                        sleep(secs(0.5));
                        n.set(seen + 1);
                    })
                })
                .collect();
            sleep(secs(1.0));
            *lock.lock() = true;
            ready.notify_all();
            for w in waiters {
                w.join().unwrap();
            }
            (n.peek(), n.lost_updates(), ms())
        });
        let (n, lost, at) = ended.outcome.expect("finished");
        assert_eq!((n, lost), (4, 0), "{cfg:?}");
        if cfg.mode == Mode::Virtual {
            assert_eq!(at, 3000, "one after another: 1 s, then 4 × 0.5 s");
        }
    }
}

/// Python: `wait_for(pred, timeout=8 ticks)` goes on waiting after a notify whose predicate
/// is still false (the thread is alive: True), returns True once it holds; with nothing
/// coming it returns False after the whole timeout (8 ticks), counted from the call.
#[test]
fn wait_while_waits_until_its_condition_ends_or_its_time_runs_out() {
    for cfg in configs() {
        let (ended, _) = Run::run_to_end(cfg, || {
            let lock = Arc::new(Mutex::new("items", 0));
            let ready = Arc::new(Condition::new("ready", &lock));
            let (l2, r2) = (lock.clone(), ready.clone());
            let waiter = spawn("W", move || {
                let g = l2.lock();
                let (g, timed_out) = r2.wait_timeout_while(g, secs(8.0), |n| *n < 2);
                (*g, timed_out, ms())
            });
            for _ in 0..2 {
                sleep(secs(1.0));
                *lock.lock() += 1;
                ready.notify_one();
            }
            let first = waiter.join().unwrap();
            *lock.lock() = 0;
            let (l3, r3) = (lock.clone(), ready.clone());
            let again = spawn("W2", move || {
                let g = l3.lock();
                let start = ms();
                let (g, timed_out) = r3.wait_timeout_while(g, secs(8.0), |n| *n < 2);
                (*g, timed_out, ms() - start)
            });
            sleep(secs(3.0));
            *lock.lock() += 1;
            ready.notify_one(); // wakes W2, whose condition still holds: it waits on
            (first, again.join().unwrap())
        });
        let (first, again) = ended.outcome.expect("finished");
        assert_eq!((first.0, first.1), (2, false), "{cfg:?}");
        assert_eq!((again.0, again.1), (1, true), "{cfg:?}");
        if cfg.mode == Mode::Virtual {
            assert_eq!(first.2, 2000);
            assert_eq!(again.2, 8000, "the whole timeout, across the wake-up");
        } else {
            assert!(again.2 >= 8000, "{}", again.2);
        }
    }
}

/// Python: a thread that waits on a Condition nobody notifies waits forever, and so does a
/// join of it: the program hangs. lockstep finds the run stuck (no cycle: nobody holds what
/// it waits for) and says who waits for what.
#[test]
fn a_wait_nobody_will_notify_is_reported_stuck() {
    for cfg in configs() {
        let (ended, _) = Run::run_to_end(cfg, || {
            let lock = Arc::new(Mutex::new("lock", ()));
            let ready = Arc::new(Condition::new("ready", &lock));
            let waiter = spawn("W", move || {
                let g = lock.lock();
                drop(ready.wait(g));
            });
            waiter.join().unwrap();
        });
        let d = ended.deadlock.clone().expect("stuck");
        assert!(d.is_stuck(), "{cfg:?}: {d}");
        let w = d.stuck.iter().find(|l| l.thread == "W").unwrap();
        assert_eq!(w.waits_for, "ready");
        assert!(w.holds.is_empty(), "it released the lock to wait");
        assert_eq!(
            d.stuck
                .iter()
                .find(|l| l.thread == "main")
                .unwrap()
                .waits_for,
            "W to finish"
        );
    }
}

/// A notify at the very moment a waiter's time runs out: the scheduler decides which comes
/// first; the waiter is either notified or times out and the notify is lost, never both and
/// never neither.
#[test]
fn a_notify_as_a_wait_times_out_either_wakes_it_or_is_lost() {
    let mut seen = std::collections::BTreeSet::new();
    for cfg in configs().filter(|c| c.mode == Mode::Virtual) {
        let (ended, events) = Run::run_to_end(cfg, || {
            let lock = Arc::new(Mutex::new("lock", ()));
            let ready = Arc::new(Condition::new("ready", &lock));
            let (l2, r2) = (lock.clone(), ready.clone());
            let waiter = spawn("W", move || {
                let g = l2.lock();
                r2.wait_timeout(g, secs(2.0)).1
            });
            sleep(secs(2.0));
            ready.notify_one();
            waiter.join().unwrap()
        });
        let timed_out = ended.outcome.expect("finished");
        let lost = events
            .iter()
            .find_map(|e| match &e.what {
                What::Notify { woken, .. } => Some(woken.is_empty()),
                _ => None,
            })
            .unwrap();
        assert_eq!(timed_out, lost, "seed {}", cfg.seed);
        seen.insert(timed_out);
    }
    assert_eq!(seen.len(), 2, "both orders happen over the seeds");
}

// ---- Barrier ----

/// Python: three threads arrive at a Barrier(3) one tick apart; `wait()` returns their
/// indices in the order they arrived, `[0, 1, 2]`, and nobody leaves before the last arrives
/// (True). A second round gives `[0, 1, 2]` again; afterwards `n_waiting` is 0 and it is not
/// broken.
#[test]
fn a_barrier_holds_everyone_until_the_last_and_gives_arrival_indices() {
    for cfg in configs() {
        let (ended, events) = Run::run_to_end(cfg, || {
            let b = Arc::new(Barrier::new("b", 3));
            let mut rounds = Vec::new();
            for _ in 0..2 {
                let parties: Vec<_> = (0..3u64)
                    .map(|i| {
                        let b = b.clone();
                        spawn(format!("P{i}"), move || {
                            sleep(secs(i as f64));
                            let arrived = ms();
                            let index = b.wait().unwrap();
                            (index, arrived, ms())
                        })
                    })
                    .collect();
                let got: Vec<_> = parties.into_iter().map(|p| p.join().unwrap()).collect();
                rounds.push(got);
            }
            (rounds, b.n_waiting(), b.is_broken(), b.parties())
        });
        let (rounds, n_waiting, broken, parties) = ended.outcome.expect("finished");
        for got in &rounds {
            let indices: Vec<usize> = got.iter().map(|g| g.0).collect();
            assert_eq!(indices, [0, 1, 2], "{cfg:?}");
            let last = got.iter().map(|g| g.1).max().unwrap();
            assert!(got.iter().all(|g| g.2 >= last), "{cfg:?}: {got:?}");
        }
        if cfg.mode == Mode::Virtual {
            let out: Vec<u128> = rounds[0].iter().map(|g| g.2).collect();
            assert_eq!(out, [2000, 2000, 2000]);
        }
        assert_eq!((n_waiting, broken, parties), (0, false, 3));
        let trace = Trace::from_events(&events);
        assert_eq!(trace.resources[0].rounds, 2);
        assert!(trace.resources[0].waiters.is_empty());
    }
}

/// The same when the scheduler decides who arrives first: the indices are the order of
/// arrival, whatever it is, and every party passes.
#[test]
fn barrier_indices_follow_arrival_in_any_schedule() {
    for cfg in configs() {
        let (ended, events) = Run::run_to_end(cfg, || {
            let b = Arc::new(Barrier::new("b", 4));
            let parties: Vec<_> = (0..4)
                .map(|i| {
                    let b = b.clone();
                    spawn(format!("P{i}"), move || b.wait().unwrap())
                })
                .collect();
            let got: Vec<usize> = parties.into_iter().map(|p| p.join().unwrap()).collect();
            got
        });
        let arrived = who(&events, |w| matches!(w, What::Arrive { .. }));
        let got = ended.outcome.expect("finished");
        for (index, tid) in arrived.iter().enumerate() {
            assert_eq!(got[tid.0 as usize - 1], index, "{cfg:?}");
        }
        assert_eq!(who(&events, |w| matches!(w, What::Pass { .. })).len(), 4);
    }
}

/// Python: a Barrier(3, timeout=3 ticks) where only two arrive (at 0 and 1 tick): the first
/// wait's time runs out at 3 ticks and breaks it; both get BrokenBarrierError at 3 ticks;
/// it is broken, `n_waiting` 0; a later wait raises at once; `reset()` makes it unbroken.
#[test]
fn a_timeout_breaks_the_barrier_for_everyone_waiting() {
    for cfg in configs() {
        let (ended, events) = Run::run_to_end(cfg, || {
            let b = Arc::new(Barrier::with_timeout("b", 3, secs(3.0)));
            let parties: Vec<_> = (0..2u64)
                .map(|i| {
                    let b = b.clone();
                    spawn(format!("P{i}"), move || {
                        sleep(secs(i as f64));
                        (b.wait(), ms())
                    })
                })
                .collect();
            sleep(secs(2.0));
            let waiting = b.n_waiting();
            let got: Vec<_> = parties.into_iter().map(|p| p.join().unwrap()).collect();
            let broken = b.is_broken();
            let n_waiting = b.n_waiting();
            let again = b.wait();
            b.reset();
            (waiting, got, broken, n_waiting, again, b.is_broken())
        });
        let (waiting, got, broken, n_waiting, again, after_reset) =
            ended.outcome.expect("finished");
        assert_eq!(waiting, 2, "{cfg:?}");
        for (result, at) in &got {
            assert_eq!(*result, Err(BrokenBarrier), "{cfg:?}");
            if cfg.mode == Mode::Virtual {
                assert_eq!(*at, 3000, "{cfg:?}");
            } else {
                assert!(*at >= 3000);
            }
        }
        assert_eq!((broken, n_waiting), (true, 0));
        assert_eq!(again, Err(BrokenBarrier));
        assert!(!after_reset);
        let trace = Trace::from_events(&events);
        let lines: Vec<String> = trace.log_texts(Lang::En).collect();
        assert!(
            lines.contains(&"P0 gives up waiting for b".into()),
            "{lines:#?}"
        );
        assert!(
            lines.contains(&"P0 breaks b: everyone waiting at it gets BrokenBarrierError".into())
        );
        assert!(lines.contains(&"P1 finds b broken (BrokenBarrierError)".into()));
        assert!(lines.contains(&"main finds b broken (BrokenBarrierError)".into()));
        assert!(lines.contains(&"main resets b".into()));
    }
}

/// Python: `abort()` with two of three waiting gives both BrokenBarrierError at once (3
/// ticks, when it was called) and leaves it broken; `reset()` with two waiting gives them the
/// error too, and leaves it unbroken.
#[test]
fn abort_and_reset_let_every_waiter_go_with_the_error() {
    for cfg in configs() {
        for abort in [true, false] {
            let (ended, _) = Run::run_to_end(cfg, move || {
                let b = Arc::new(Barrier::new("b", 3));
                let parties: Vec<_> = (0..2)
                    .map(|i| {
                        let b = b.clone();
                        spawn(format!("P{i}"), move || (b.wait(), ms()))
                    })
                    .collect();
                sleep(secs(3.0));
                if abort {
                    b.abort()
                } else {
                    b.reset()
                }
                let got: Vec<_> = parties.into_iter().map(|p| p.join().unwrap()).collect();
                (got, b.is_broken())
            });
            let (got, broken) = ended.outcome.expect("finished");
            for (result, at) in got {
                assert_eq!(result, Err(BrokenBarrier), "{cfg:?}");
                if cfg.mode == Mode::Virtual {
                    assert_eq!(at, 3000);
                }
            }
            assert_eq!(broken, abort, "{cfg:?}");
        }
    }
}

/// Python: two threads at a Barrier(3) with no timeout wait forever. lockstep finds the run
/// stuck and says where: both wait for `b`.
#[test]
fn a_barrier_that_will_never_fill_is_reported_stuck() {
    for cfg in configs() {
        let (ended, _) = Run::run_to_end(cfg, || {
            let b = Arc::new(Barrier::new("b", 3));
            let parties: Vec<_> = (0..2)
                .map(|i| {
                    let b = b.clone();
                    spawn(format!("P{i}"), move || b.wait())
                })
                .collect();
            for p in parties {
                let _ = p.join();
            }
        });
        let d = ended.deadlock.clone().expect("stuck");
        assert!(d.is_stuck(), "{cfg:?}");
        let at_b: Vec<&str> = d
            .stuck
            .iter()
            .filter(|l| l.waits_for == "b")
            .map(|l| l.thread.as_str())
            .collect();
        assert_eq!(at_b, ["P0", "P1"], "{cfg:?}");
    }
}

// ---- Timer ----

/// Python: `Timer(2 ticks, f)` started and joined calls f after its interval: 2 ticks.
#[test]
fn a_timer_fires_after_its_interval() {
    for cfg in configs() {
        let (ended, events) = Run::run_to_end(cfg, || {
            let fired = Arc::new(Shared::new("fired at", 0u128));
            let f2 = fired.clone();
            let mut t = Timer::new("alarm", secs(2.0), move || f2.set(ms()));
            t.start();
            t.join().unwrap();
            fired.peek()
        });
        let at = ended.outcome.expect("finished");
        if cfg.mode == Mode::Virtual {
            assert_eq!(at, 2000, "{cfg:?}");
        } else {
            assert!(at >= 2000, "{at}");
        }
        let trace = Trace::from_events(&events);
        let lines: Vec<String> = trace.log_texts(Lang::En).collect();
        let countdown = if cfg.mode == Mode::Virtual {
            "alarm counts down 2.00 s, then fires"
        } else {
            "alarm counts down 100.0 ms, then fires"
        };
        assert!(lines.contains(&countdown.into()), "{lines:#?}");
        assert!(lines.contains(&"alarm fires: it calls its function".into()));
        let alarm = trace.resources.iter().find(|r| r.name == "alarm").unwrap();
        assert_eq!(alarm.value.as_deref(), Some("fired"));
    }
}

/// Python: a Timer(4 ticks) cancelled after 1 tick never calls its function, not even 5
/// ticks later, and a join right after the cancel returns at once (after 1 tick, not 4).
/// Cancelled before `start()`, it never fires either; a cancel after it fired changes
/// nothing.
#[test]
fn a_cancelled_timer_never_fires() {
    for cfg in configs() {
        let (ended, events) = Run::run_to_end(cfg, || {
            let fired = Arc::new(Shared::new("fired", 0));
            let f2 = fired.clone();
            let mut t = Timer::new("alarm", secs(4.0), move || f2.set(f2.get() + 1));
            t.start();
            sleep(secs(1.0));
            t.cancel();
            t.join().unwrap();
            let joined_at = ms();
            sleep(secs(5.0));
            let f3 = fired.clone();
            let mut early = Timer::new("early", secs(1.0), move || f3.set(f3.get() + 1));
            early.cancel();
            early.start();
            early.join().unwrap();
            let f4 = fired.clone();
            let mut late = Timer::new("late", secs(1.0), move || f4.set(f4.get() + 10));
            late.start();
            sleep(secs(3.0));
            late.cancel();
            late.join().unwrap();
            (joined_at, fired.peek())
        });
        let (joined_at, fired) = ended.outcome.expect("finished");
        assert_eq!(fired, 10, "only the late one fired: {cfg:?}");
        if cfg.mode == Mode::Virtual {
            assert_eq!(joined_at, 1000, "{cfg:?}");
        } else {
            assert!(joined_at < 4000, "the cancel woke it: {joined_at}");
        }
        let fires: Vec<Tid> = who(&events, |w| matches!(w, What::Fires { .. }));
        assert_eq!(fires.len(), 1);
        let trace = Trace::from_events(&events);
        assert_eq!(trace.thread_name(fires[0]), "late");
        let lines: Vec<String> = trace.log_texts(Lang::En).collect();
        assert!(lines.contains(&"main cancels alarm".into()));
        assert!(lines.contains(&"alarm was cancelled: it does not fire".into()));
        assert!(lines.contains(&"early was cancelled: it does not fire".into()));
        assert!(lines.contains(&"main cancels late, too late: it has fired".into()));
    }
}

/// A cancel at the very moment the timer's time runs out: the scheduler decides which comes
/// first, and the timer either fires (the cancel is too late) or does not, never both.
#[test]
fn a_cancel_as_the_time_runs_out_either_stops_the_timer_or_comes_too_late() {
    let mut seen = std::collections::BTreeSet::new();
    for cfg in configs().filter(|c| c.mode == Mode::Virtual) {
        let (ended, events) = Run::run_to_end(cfg, || {
            let fired = Arc::new(Shared::new("fired", false));
            let f2 = fired.clone();
            let mut t = Timer::new("alarm", secs(2.0), move || f2.set(true));
            t.start();
            sleep(secs(2.0));
            t.cancel();
            t.join().unwrap();
            fired.peek()
        });
        let fired = ended.outcome.expect("finished");
        let in_time = events
            .iter()
            .find_map(|e| match e.what {
                What::CancelTimer { in_time, .. } => Some(in_time),
                _ => None,
            })
            .unwrap();
        assert_ne!(fired, in_time, "seed {}", cfg.seed);
        seen.insert(fired);
    }
    assert_eq!(seen.len(), 2, "both orders happen over the seeds");
}

// ---- ThreadLocal ----

/// Python: `local = threading.local()`; main sets `url`, T1 and T2 set their own, T3 none;
/// after a pause each reads its own: `{'T1': 'a.com', 'T2': 'b.com', 'T3': None}`, and main
/// still reads its own `main's`.
#[test]
fn thread_locals_never_leak_between_threads() {
    for cfg in configs() {
        let (ended, events) = Run::run_to_end(cfg, || {
            let url = Arc::new(ThreadLocal::new("url"));
            url.set("main's".to_string());
            let threads: Vec<_> = [("T1", Some("a.com")), ("T2", Some("b.com")), ("T3", None)]
                .into_iter()
                .map(|(name, value)| {
                    let url = url.clone();
                    spawn(name, move || {
                        let before = url.get();
                        if let Some(v) = value {
                            url.set(v.to_string());
                        }
                        sleep(secs(0.5));
                        (before, url.get())
                    })
                })
                .collect();
            let seen: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
            (seen, url.get())
        });
        let (seen, main) = ended.outcome.expect("finished");
        let s = |v: &str| Some(v.to_string());
        assert_eq!(
            seen,
            [(None, s("a.com")), (None, s("b.com")), (None, None)],
            "{cfg:?}"
        );
        assert_eq!(main, s("main's"));
        let trace = Trace::from_events(&events);
        let slots: Vec<(String, String)> = trace.resources[0]
            .slots
            .iter()
            .map(|(t, v)| (trace.thread_name(*t).to_string(), Trace::plain(v)))
            .collect();
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(
            slots,
            [
                pair("main", "main's"),
                pair("T1", "a.com"),
                pair("T2", "b.com")
            ]
        );
        let lines: Vec<String> = trace.log_texts(Lang::En).collect();
        assert!(lines.contains(&"T3 reads its own url: not set".into()));
        assert!(lines.contains(&"T1 sets its own url = \"a.com\"".into()));
    }
}

/// Many threads writing and reading their own value in every interleaving the seeds give:
/// each reads back exactly what it wrote last.
#[test]
fn thread_locals_hold_each_threads_last_value_in_any_schedule() {
    for cfg in configs() {
        let (ended, _) = Run::run_to_end(cfg, || {
            let slot = Arc::new(ThreadLocal::new("slot"));
            let threads: Vec<_> = (0..8u32)
                .map(|i| {
                    let slot = slot.clone();
                    spawn(format!("T{i}"), move || {
                        let mut ok = true;
                        for round in 0..3 {
                            slot.set(i * 10 + round);
                            sleep(secs(0.0)); // a scheduling point: others move
                            ok &= slot.get() == Some(i * 10 + round);
                        }
                        ok
                    })
                })
                .collect();
            threads.into_iter().all(|t| t.join().unwrap()) && slot.get().is_none()
        });
        assert_eq!(ended.outcome, Some(true), "{cfg:?}");
    }
}

// ---- every primitive: one log for a seed, and a cancel ends every wait ----

/// A thread waiting on each new primitive, with a time limit or without.
fn everything_waits() {
    let lock = Arc::new(Mutex::new("lock", 0));
    let ready = Arc::new(Condition::new("ready", &lock));
    let b = Arc::new(Barrier::new("b", 3));
    let tb = Arc::new(Barrier::with_timeout("tb", 2, secs(1.0)));
    let local = Arc::new(ThreadLocal::new("local"));
    let mut handles = Vec::new();
    for i in 0..3 {
        let (lock, ready, local) = (lock.clone(), ready.clone(), local.clone());
        handles.push(spawn(format!("C{i}"), move || {
            local.set(i);
            let g = lock.lock();
            let (g, _) = ready.wait_timeout(g, secs(0.5 + i as f64));
            drop(ready.wait_while(g, |n| *n < 10));
        }));
    }
    for i in 0..2 {
        let (b, tb) = (b.clone(), tb.clone());
        handles.push(spawn(format!("B{i}"), move || {
            let _ = tb.wait();
            let _ = b.wait();
        }));
    }
    let mut alarm = Timer::new("alarm", secs(100.0), || {});
    alarm.start();
    let mut soon = Timer::new("soon", secs(0.7), {
        let ready = ready.clone();
        move || ready.notify(2)
    });
    soon.start();
    for h in handles {
        let _ = h.join();
    }
}

/// The same seed gives the same log, byte for byte, up to and after the run is found stuck.
#[test]
fn the_same_seed_gives_the_same_log_with_every_new_primitive() {
    for seed in 0..20 {
        let cfg = Config {
            mode: Mode::Virtual,
            scale: 1.0,
            seed,
        };
        let (a, ea) = Run::run_to_end(cfg, everything_waits);
        let (_, eb) = Run::run_to_end(cfg, everything_waits);
        assert!(
            a.deadlock.as_ref().is_some_and(|d| d.is_stuck()),
            "seed {seed}"
        );
        let text =
            |e: &[Event]| -> Vec<String> { Trace::from_events(e).log_texts(Lang::En).collect() };
        assert_eq!(text(&ea), text(&eb), "seed {seed}");
        assert_eq!(format!("{ea:?}"), format!("{eb:?}"), "seed {seed}");
    }
}

/// A cancel (reset, leaving, quitting) wakes every thread waiting on a condition, at a
/// barrier or in a timer's countdown, live and in step mode: every thread has left at once.
#[test]
fn a_cancel_ends_every_wait_at_once() {
    for mode in [Mode::Live, Mode::Step] {
        let cfg = Config {
            mode,
            scale: 1.0,
            seed: 4,
        };
        let run = Run::start(cfg, everything_waits);
        let mut trace = Trace::new();
        let blocked = |trace: &mut Trace| {
            for e in run.events().try_iter() {
                trace.apply(&e);
            }
            let blocked = |t: &&lockstep::engine::trace::ThreadTrack| {
                matches!(t.state, lockstep::engine::ThreadState::Blocked(_))
            };
            trace.threads.iter().filter(blocked).count()
        };
        if mode == Mode::Step {
            while blocked(&mut trace) < 5 {
                assert!(run.step_and_wait(None));
            }
        } else {
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        assert!(blocked(&mut trace) >= 5, "{mode:?}");
        let start = std::time::Instant::now();
        run.cancel();
        let report = run
            .wait_timeout(std::time::Duration::from_secs(5))
            .expect("every thread left");
        assert!(report.cancelled, "{mode:?}");
        assert!(
            start.elapsed() < std::time::Duration::from_secs(1),
            "{mode:?}"
        );
    }
}

// ---- step mode: why a thread cannot move ----

/// In step mode the threads panel says why a thread waiting on each new primitive cannot
/// move: a condition with its notifies so far, a barrier with how many are there; a timer
/// counting down can be picked, and fires. The resources panel shows each of them, and each
/// thread's own value of a thread-local.
#[test]
fn step_mode_says_why_a_thread_waiting_on_a_condition_or_barrier_cannot_move() {
    // The app's run is started by `n`; the session would run the lesson's demo, this test
    // runs its own in step mode and hands the app its events and status.
    let mut app = App::new(Options {
        lessons: content::embedded().unwrap(),
        open: Some("lock-vs-join".into()),
        lang: Lang::En,
        seed: Some(1),
        scale: None,
        params: Vec::new(),
    });
    let fx = app.key(KeyEvent::new(KeyCode::Char('n'), KeyModifiers::NONE));
    let generation = fx
        .iter()
        .find_map(|e| match e {
            Effect::Start(r) if r.mode == Mode::Step => Some(r.generation),
            _ => None,
        })
        .expect("n starts a step-mode run");
    let cfg = Config {
        mode: Mode::Step,
        scale: 1.0,
        seed: 1,
    };
    let run = Run::start(cfg, || {
        let lock = Arc::new(Mutex::new("lock", false));
        let ready = Arc::new(Condition::new("ready", &lock));
        let b = Arc::new(Barrier::new("b", 3));
        let url = Arc::new(ThreadLocal::new("url"));
        url.set("main's");
        let (l2, r2, u2) = (lock.clone(), ready.clone(), url.clone());
        let c = spawn("C", move || {
            u2.set("c.com");
            let g = l2.lock();
            drop(r2.wait_while(g, |go| !*go));
        });
        let mut alarm = Timer::new("alarm", secs(100.0), || {});
        alarm.start();
        let parties: Vec<_> = (1..=2)
            .map(|i| {
                let b = b.clone();
                spawn(format!("B{i}"), move || b.wait())
            })
            .collect();
        sleep(secs(10.0));
        let mut g = lock.lock();
        *g = true;
        ready.notify_one();
        drop(g);
        c.join().unwrap();
        b.wait().unwrap();
        for p in parties {
            p.join().unwrap().unwrap();
        }
        alarm.cancel();
    });
    // Let the scheduler move until main, back from its sleep, is the only one who can: about
    // to take the lock and notify.
    let mut steps = 0;
    loop {
        let c = run.candidates();
        let main_locks = c[0].next.is_some_and(|(op, _)| matches!(op, Op::Lock(_)));
        // Besides main, only the timer counting down can be picked (it would fire).
        if main_locks && c.len() == 2 && c[1].name == "alarm" {
            break;
        }
        assert!(run.step_and_wait(None), "{c:?}");
        steps += 1;
        assert!(steps < 200);
    }
    let show = |app: &mut App, run: &Run| {
        let events: Vec<Event> = run.events().try_iter().collect();
        app.on_events(generation, &events);
        app.on_status(
            generation,
            RunStatus {
                now_ns: run.now_ns(),
                awaiting_pick: run.awaiting_pick(),
                candidates: run.candidates(),
                choices: run.choices(),
                ..RunStatus::default()
            },
        );
        screen(app, 160, 50)
            .split(' ')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let text = show(&mut app, &run);
    assert!(
        text.contains("C blocked can't move: waits on condition `ready` (notified 0×)"),
        "{text}"
    );
    assert!(
        text.contains("B1 blocked can't move: waits at barrier `b` 2/3"),
        "{text}"
    );
    assert!(
        text.contains("B2 blocked can't move: waits at barrier `b` 2/3"),
        "{text}"
    );
    assert!(
        text.contains("ready (condition on lock) notified 0×"),
        "{text}"
    );
    assert!(text.contains("b (barrier 2/3) opened 0×"), "{text}");
    assert!(text.contains("alarm blocked → fires"), "{text}");
    assert!(
        text.contains("alarm (timer 100.00 s) counting down"),
        "{text}"
    );
    assert!(
        text.contains("url (thread-local) main → main's C → c.com"),
        "{text}"
    );
    // main takes the lock and notifies: C is woken (it will wait for the lock main holds).
    for _ in 0..2 {
        assert!(run.step_and_wait(Some(Tid(0))));
    }
    let text = show(&mut app, &run);
    assert!(text.contains("main notifies ready: wakes C"), "{text}");
    assert!(
        text.contains("ready (condition on lock) notified 1×"),
        "{text}"
    );
    // In Chinese too.
    app.key(KeyEvent::new(KeyCode::Char('L'), KeyModifiers::NONE));
    let text = show(&mut app, &run);
    assert!(text.contains("不能动：在屏障 `b` 处等待 2/3"), "{text}");
    run.cancel();
}
