//! What Python's `threading` and `queue` do, checked against the runtime: each test says what
//! Python does (run with python3 3.11), then checks the same thing in virtual mode over many
//! seeds and once in live mode.

use lockstep::engine::trace::Trace;
use lockstep::engine::{
    Config, Ended, Event, Flag, Full, Mode, Mutex, Queue, ReentrantMutex, Run, Semaphore,
    ThreadState, Tid, What, secs, sleep, spawn,
};
use std::sync::Arc;
use std::time::Duration;

/// Seeds each scenario runs with in virtual mode.
const SEEDS: u64 = 60;

/// `body` in virtual mode over many seeds (at scale 1), then live at a small scale; `check`
/// sees each run.
fn each_run<T, F, C>(body: F, check: C)
where
    F: Fn() -> T + Send + Sync + Clone + 'static,
    T: Send + 'static,
    C: Fn(&Ended<T>, &[Event], Mode),
{
    let live = Config {
        mode: Mode::Live,
        scale: 0.01,
        seed: 1,
    };
    let configs = (0..SEEDS)
        .map(|seed| Config {
            mode: Mode::Virtual,
            scale: 1.0,
            seed,
        })
        .chain([live]);
    for cfg in configs {
        let b = body.clone();
        let (ended, events) = Run::run_to_end(cfg, b);
        assert!(ended.deadlock.is_none(), "{:?} seed {}", cfg.mode, cfg.seed);
        check(&ended, &events, cfg.mode);
    }
}

fn lesson_ms(e: &Ended<impl Sized>, mode: Mode) -> Option<f64> {
    (mode == Mode::Virtual).then(|| e.elapsed_ns as f64 / 1e6)
}

/// Python: `lock.acquire(False)` on a held lock returns False at once; `acquire(timeout=0.2)`
/// returns False after 0.2 s; `locked()` is True; a free lock is taken by both.
#[test]
fn a_lock_can_be_tried_and_waited_for_with_a_limit() {
    each_run(
        || {
            let lock = Arc::new(Mutex::new("lock", ()));
            let guard = lock.lock();
            let l = lock.clone();
            let other = spawn("T1", move || {
                let tried = l.try_lock().is_some();
                let timed = l.lock_timeout(secs(0.2)).is_some();
                (tried, timed, l.is_locked())
            });
            let seen = other.join().unwrap();
            drop(guard);
            let free = lock.try_lock().is_some();
            (seen, free)
        },
        |e, _, mode| {
            let ((tried, timed, locked), free) = e.outcome.unwrap();
            assert_eq!((tried, timed, locked, free), (false, false, true, true));
            if let Some(ms) = lesson_ms(e, mode) {
                assert_eq!(ms, 200.0, "the timed acquire waits exactly its limit");
            }
        },
    );
}

/// Python: the owner of an RLock may acquire it again (count 2); another thread's
/// `acquire(False)` returns False until the count is back to 0, then True.
#[test]
fn a_reentrant_lock_is_its_owners_alone_until_released_as_often_as_taken() {
    each_run(
        || {
            let lock = Arc::new(ReentrantMutex::new("r", ()));
            let first = lock.lock();
            let again = lock.try_lock().is_some();
            let l = lock.clone();
            let other = spawn("T1", move || l.try_lock().is_some());
            let while_held = other.join().unwrap();
            drop(first);
            let l = lock.clone();
            let after = spawn("T2", move || l.lock_timeout(secs(1.0)).is_some());
            (again, while_held, after.join().unwrap())
        },
        |e, _, _| assert_eq!(e.outcome.unwrap(), (true, false, true)),
    );
}

/// Python: anyone may release a Semaphore. `Semaphore(0)` is a signal: acquire waits until
/// another thread releases; `release(2)` lets the two longest waiters through;
/// `acquire(False)` with no permit returns False.
#[test]
fn a_semaphore_is_released_by_anyone_and_zero_permits_make_a_signal() {
    each_run(
        || {
            let ready = Arc::new(Semaphore::new("ready", 0));
            let order = Arc::new(Mutex::new("order", Vec::new()));
            let waiters: Vec<_> = (1..=3)
                .map(|i| {
                    let (r, o) = (ready.clone(), order.clone());
                    let t = spawn(format!("W{i}"), move || {
                        r.acquire().forget(); // the signal is used up
                        o.lock().push(i);
                    });
                    sleep(secs(0.01)); // they queue in order
                    t
                })
                .collect();
            let tried = ready.try_acquire().is_some();
            ready.release_many(2);
            sleep(secs(0.1));
            let after_two = order.lock().clone();
            ready.release();
            for w in waiters {
                w.join().unwrap();
            }
            let all = order.lock().clone();
            (tried, after_two, all)
        },
        |e, _, mode| {
            let (tried, mut two, mut all) = e.outcome.clone().unwrap();
            assert!(!tried);
            // Which of the two woken runs first is the scheduler's business (in Python too).
            two.sort();
            all.sort();
            // Live, the waiters queue in whatever order the OS starts them, and are woken
            // when it gets round to it: only the end is certain.
            if mode != Mode::Live {
                assert_eq!(two, [1, 2], "release(2) lets the first two waiters through");
            }
            assert_eq!(all, [1, 2, 3]);
        },
    );
}

/// A permit taken by one thread and given back by another frees a stall for the next: the
/// log says who gave it back for whom, and no run hangs (the old runtime released it under the
/// taker's name on the wrong OS thread, and most seeds never ended).
#[test]
fn a_permit_dropped_by_another_thread_frees_the_stall() {
    each_run(
        || {
            let sem: &'static Semaphore = Box::leak(Box::new(Semaphore::new("stall", 1)));
            let hand = Arc::new(Queue::fifo("hand", 0));
            let h = hand.clone();
            let taker = spawn("taker", move || h.put(sem.acquire()));
            let h = hand.clone();
            let giver = spawn("giver", move || drop(h.get()));
            let next = spawn("next", move || sem.acquire_timeout(secs(5.0)).is_some());
            taker.join().unwrap();
            giver.join().unwrap();
            next.join().unwrap()
        },
        |e, events, _| {
            assert_eq!(e.outcome, Some(true), "the next one got the stall");
            let trace = Trace::from_events(events);
            let lines: Vec<String> = trace
                .log
                .iter()
                .map(|l| trace.text(l, lockstep::words::Lang::En))
                .collect();
            assert!(
                lines
                    .iter()
                    .any(|l| l.ends_with("giver releases stall for taker")),
                "{lines:#?}"
            );
        },
    );
}

/// Python: `BoundedSemaphore(1)` released while full raises `ValueError: Semaphore released
/// too many times` in the thread that released; the others carry on.
#[test]
fn a_bounded_semaphore_released_too_often_raises_in_that_thread() {
    each_run(
        || {
            let sem = Arc::new(Semaphore::bounded("s", 1));
            let s = sem.clone();
            let extra = spawn("extra", move || s.release());
            let raised = extra.join().unwrap_err();
            let got = sem.try_acquire().is_some();
            (raised.message, got)
        },
        |e, _, _| {
            let (message, got) = e.outcome.clone().unwrap();
            assert_eq!(message, "Semaphore released too many times");
            assert!(got, "its one permit is still there");
            assert_eq!(e.raised, ["extra: Semaphore released too many times"]);
        },
    );
}

/// Python: `q.put(x, timeout=0.05)` on a full queue raises `queue.Full` after 0.05 s, and the
/// item is not in the queue; `q.maxsize` is what it was made with; `event.wait()` returns True
/// once set, `event.wait(0.05)` False when nobody sets it.
#[test]
fn a_put_with_a_limit_and_an_events_answer() {
    each_run(
        || {
            let q = Queue::fifo("q", 1);
            q.put(1);
            let timed = matches!(q.put_timeout(2, secs(0.05)), Err(Full(2)));
            let flag = Arc::new(Flag::new("ready"));
            let not_yet = flag.wait_timeout(secs(0.05));
            let f = flag.clone();
            let setter = spawn("setter", move || f.set());
            let set = flag.wait();
            setter.join().unwrap();
            (timed, q.len(), q.maxsize(), not_yet, set)
        },
        |e, _, mode| {
            assert_eq!(e.outcome.unwrap(), (true, 1, 1, false, true));
            if let Some(ms) = lesson_ms(e, mode) {
                assert_eq!(ms, 100.0, "two waits of 0.05 s each");
            }
        },
    );
}

/// Python: `t.join(timeout=0.05)` on a thread that sleeps 0.3 s returns after 0.05 s with
/// `t.is_alive()` True; after `t.join()` it is False; `t.daemon` is False for a plain thread.
#[test]
fn a_join_with_a_limit_gives_up_and_is_alive_says_so() {
    each_run(
        || {
            let t = spawn("slow", || sleep(secs(0.3)));
            let finished = t.join_timeout(secs(0.05));
            let alive = t.is_alive();
            let (daemon, name) = (t.is_daemon(), t.name());
            (finished, alive, daemon, name)
        },
        |e, _, _| {
            let (finished, alive, daemon, name) = e.outcome.clone().unwrap();
            assert_eq!((finished, alive, daemon), (false, true, false));
            assert_eq!(name, "slow");
        },
    );
}

/// Waiters on a lock get it in the order they asked (the longest waiter first), whatever the
/// seed: a lock handed to the newest waiter instead fails here.
#[test]
fn a_lock_goes_to_its_waiters_in_the_order_they_came() {
    each_run(
        || {
            let lock = Arc::new(Mutex::new("lock", Vec::new()));
            let first = lock.lock();
            let threads: Vec<_> = (1..=4)
                .map(|i| {
                    let l = lock.clone();
                    let t = spawn(format!("T{i}"), move || l.lock().push(i));
                    sleep(secs(0.01));
                    t
                })
                .collect();
            drop(first);
            for t in threads {
                t.join().unwrap();
            }
            lock.lock().clone()
        },
        |e, events, _| {
            // The order they came in is the order they asked (live, the OS may start them
            // out of order; virtual, it is 1, 2, 3, 4).
            let trace = Trace::from_events(events);
            let came: Vec<i32> = events
                .iter()
                .filter(|ev| matches!(ev.what, What::Lock { .. }))
                .filter_map(|ev| trace.threads[ev.tid.0 as usize].name.strip_prefix('T'))
                .filter_map(|n| n.parse().ok())
                .collect();
            assert_eq!(came.len(), 4, "all four asked");
            assert_eq!(e.outcome.clone().unwrap(), came);
        },
    );
}

/// While a live run is paused, nothing moves: no event arrives until it is resumed.
#[test]
fn a_paused_live_run_does_nothing_until_resumed() {
    let cfg = Config {
        mode: Mode::Live,
        scale: 0.001,
        seed: 1,
    };
    let run = Run::start(cfg, || {
        for _ in 0..200 {
            sleep(secs(1.0)); // a millisecond each
        }
    });
    std::thread::sleep(Duration::from_millis(30));
    run.set_paused(true);
    // Whatever was under way reaches its next operation and stops there.
    std::thread::sleep(Duration::from_millis(20));
    let at_pause = run.events().len();
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(run.events().len(), at_pause, "nothing moved while paused");
    assert!(!run.is_over());
    run.set_paused(false);
    let report = run.wait();
    assert!(report.returned);
}

/// Only the thread that took a reentrant lock can release it: its guard stays on that thread
/// (Python raises `RuntimeError: cannot release un-acquired lock` when another thread tries).
/// The compiler refuses to send the guard elsewhere, so nothing is left to check at run time
/// but that the owner keeps it while others wait.
#[test]
fn a_reentrant_lock_stays_with_its_owner() {
    each_run(
        || {
            let lock = Arc::new(ReentrantMutex::new("r", ()));
            let held = lock.lock();
            let l = lock.clone();
            let other = spawn("T1", move || l.lock_timeout(secs(0.1)).is_some());
            let got = other.join().unwrap();
            drop(held);
            got
        },
        |e, events, _| {
            assert_eq!(e.outcome, Some(false));
            let trace = Trace::from_events(events);
            let t1 = trace.threads.iter().find(|t| t.name == "T1").unwrap();
            assert_eq!(t1.state, ThreadState::Done);
            assert!(
                events
                    .iter()
                    .any(|ev| matches!(ev.what, What::TimedOut { .. }) && ev.tid == Tid(t1.tid.0))
            );
        },
    );
}
