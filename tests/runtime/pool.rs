//! Pools and futures, each behaviour as Python's `multiprocessing.pool` and
//! `concurrent.futures` show it (checked with python3 3.11): map keeps the input order,
//! apply_async's get with a timeout raises and the task goes on, callbacks run on the pool's
//! result thread, terminate drops what is queued, join before close raises, and so on.

use lockstep::engine::pool::selftest;
use lockstep::engine::trace::Trace;
use lockstep::engine::{
    Config, Event, Flag, Mode, Pool, Run, ThreadPool, ThreadPoolExecutor, TimeoutError,
    as_completed, current_name, now, say, secs, sleep,
};
use std::sync::Arc;

fn virt(seed: u64) -> Config {
    Config {
        mode: Mode::Virtual,
        scale: 1.0,
        seed,
    }
}

fn live() -> Config {
    unsafe { std::env::set_var("LOCKSTEP_EXE", env!("CARGO_BIN_EXE_lockstep")) };
    Config {
        mode: Mode::Live,
        scale: 0.02,
        seed: 1,
    }
}

/// A task of `d` lesson seconds giving `x * x`, as the lessons' "sleep then square".
fn slow_square(x: u64) -> u64 {
    sleep(secs(1.0));
    x * x
}

fn printed(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match &e.what {
            lockstep::engine::What::Say { text } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

fn secs_of(r: &lockstep::engine::RunReport) -> f64 {
    r.elapsed_ns as f64 / 1e9
}

/// 3 workers, 10 tasks of 1 s: apply one after another takes 10 s, apply_async then get
/// takes ceil(10 / 3) = 4 s; map gives the squares in input order either way.
#[test]
fn apply_waits_for_each_apply_async_overlaps_and_map_keeps_order() {
    for seed in 0..20 {
        let (r, _) = Run::run_to_end(virt(seed), || {
            let pool = ThreadPool::new(3);
            let got: Vec<u64> = (0..10).map(|x| pool.apply(slow_square, x)).collect();
            pool.close();
            pool.join();
            got
        });
        assert_eq!(r.outcome, Some((0..10).map(|x| x * x).collect()));
        assert_eq!(secs_of(&r.report), 10.0, "seed {seed}");

        let (r, _) = Run::run_to_end(virt(seed), || {
            let pool = ThreadPool::new(3);
            let handles: Vec<_> = (0..10).map(|x| pool.apply_async(slow_square, x)).collect();
            let got: Vec<u64> = handles.iter().map(|h| h.get()).collect();
            pool.close();
            pool.join();
            got
        });
        assert_eq!(r.outcome, Some((0..10).map(|x| x * x).collect()));
        assert_eq!(secs_of(&r.report), 4.0, "seed {seed}");
    }
}

/// Python: `pool.map(f, range(5))` with f sleeping longer for smaller x still returns
/// [f(0), …, f(4)]; the tasks finished in the opposite order.
#[test]
fn map_returns_results_in_input_order_whatever_finishes_first() {
    fn backwards(x: u64) -> u64 {
        sleep(secs(0.1 * (5 - x) as f64));
        say(format!("done {x}"));
        x * x
    }
    for seed in 0..20 {
        let (r, events) = Run::run_to_end(virt(seed), || {
            let pool = ThreadPool::new(5);
            let got = pool.map(backwards, 0..5);
            pool.close();
            pool.join();
            got
        });
        assert_eq!(r.outcome, Some(vec![0, 1, 4, 9, 16]));
        assert_eq!(
            printed(&events),
            ["done 4", "done 3", "done 2", "done 1", "done 0"]
        );
    }
}

/// Python: `r.get(timeout=0.05)` on a task of 0.1 s raises TimeoutError, `r.ready()` is
/// False, and the task goes on: a later `get()` gives its value and `successful()` is True.
#[test]
fn get_with_a_timeout_raises_and_the_task_goes_on() {
    let (r, _) = Run::run_to_end(virt(1), || {
        let pool = ThreadPool::new(1);
        let h = pool.apply_async(slow_square, 3);
        let early = h.get_timeout(secs(0.5));
        let ready = h.ready();
        let later = h.get();
        (early, ready, later, h.successful(), now().as_secs_f64())
    });
    assert_eq!(r.outcome, Some((Err(TimeoutError), false, 9, true, 1.0)));
}

/// Python: a task that raises makes its result ready but not successful, and `get` raises
/// the same error in the caller; `successful()` before it is ready raises ValueError.
#[test]
fn a_raising_task_is_ready_not_successful_and_get_raises_it() {
    fn boom(x: u64) -> u64 {
        panic!("bad {x}")
    }
    let (r, _) = Run::run_to_end(virt(1), || {
        let pool = ThreadPool::new(2);
        let h = pool.apply_async(boom, 1);
        h.wait();
        say(format!("ready {} successful {}", h.ready(), h.successful()));
        let slow = pool.apply_async(slow_square, 2);
        lockstep::engine::spawn("asker", move || slow.successful())
            .join()
            .expect_err("successful() on a result not ready raises");
        h.get()
    });
    assert!(r.outcome.is_none(), "get raised in main");
    assert!(
        r.report
            .raised
            .iter()
            .any(|m| m == "MainThread: bad 1" || m.ends_with(": bad 1")),
        "{:?}",
        r.report.raised
    );
    assert!(
        r.report.raised.iter().any(|m| m.contains("not ready")),
        "{:?}",
        r.report.raised
    );
}

/// Python: the callback gets each value on the pool's result thread (Thread-N
/// (_handle_results)), not on the worker and not on main, as each task completes.
#[test]
fn callbacks_run_on_the_result_thread_as_each_task_completes() {
    fn nap(x: u64) -> u64 {
        sleep(secs(x as f64));
        x
    }
    for seed in 0..20 {
        let (r, events) = Run::run_to_end(virt(seed), || {
            let pool = ThreadPool::new(3);
            for x in [3, 1, 2] {
                pool.apply_async_with(nap, x, |v| say(format!("{v} on {}", current_name())));
            }
            pool.close();
            pool.join();
        });
        assert!(r.report.returned);
        assert_eq!(
            printed(&events),
            ["1 on results", "2 on results", "3 on results"]
        );
    }
}

/// Python: map_async's callback gets the whole list, once, in input order.
#[test]
fn map_async_hands_one_list_to_its_callback() {
    let (r, events) = Run::run_to_end(virt(3), || {
        let pool = ThreadPool::new(2);
        let h = pool.map_async_with(slow_square, [3, 1, 2], |v| say(format!("{v:?}")));
        let ready_at_once = h.ready();
        let got = h.get();
        pool.close();
        pool.join();
        (ready_at_once, got)
    });
    assert_eq!(r.outcome, Some((false, vec![9, 1, 4])));
    assert_eq!(printed(&events), ["[9, 1, 4]"]);
}

/// Python: `ThreadPool.terminate()` drops the tasks still queued; their results never become
/// ready (a get with a timeout raises); a task already running is not killed. Submitting
/// afterwards raises "Pool not running"; join before close raises "Pool is still running".
#[test]
fn terminate_drops_queued_tasks_and_closed_pools_refuse_work() {
    for seed in 0..20 {
        let (r, events) = Run::run_to_end(virt(seed), || {
            let pool = ThreadPool::new(2);
            let hs: Vec<_> = (0..4).map(|x| pool.apply_async(slow_square, x)).collect();
            sleep(secs(0.5));
            pool.terminate();
            sleep(secs(2.0));
            let ready: Vec<bool> = hs.iter().map(|h| h.ready()).collect();
            let late = hs[0].get_timeout(secs(0.1));
            pool.join();
            (ready, late)
        });
        assert_eq!(
            r.outcome,
            Some((vec![false; 4], Err(TimeoutError))),
            "seed {seed}"
        );
        let t = Trace::from_events(&events);
        let tasks = t.resources.iter().find(|q| q.name == "tasks").unwrap();
        assert_eq!(tasks.takes, 6, "2 ran, 2 were drained, 2 stops were taken");
    }
    let (r, _) = Run::run_to_end(virt(1), || {
        let pool = ThreadPool::new(1);
        let closed = ThreadPool::new(1);
        closed.close();
        let t = lockstep::engine::spawn("late", move || {
            closed.apply(slow_square, 1);
        });
        let refused = t.join().unwrap_err().message;
        let p2 = Arc::new(pool);
        let p3 = p2.clone();
        let early = lockstep::engine::spawn("early", move || p3.join())
            .join()
            .unwrap_err()
            .message;
        (refused, early)
    });
    assert_eq!(
        r.outcome,
        Some((
            "ValueError: Pool not running".to_string(),
            "ValueError: Pool is still running".to_string()
        ))
    );
}

/// Waiting on a result nobody will give is found, not waited out: main waits on a task that
/// terminate dropped while the workers wait on an empty queue.
#[test]
fn a_get_no_task_will_answer_is_reported_stuck() {
    let (r, _) = Run::run_to_end(virt(1), || {
        let pool = ThreadPool::new(1);
        let _running = pool.apply_async(slow_square, 1);
        let dropped = pool.apply_async(slow_square, 2);
        pool.terminate();
        dropped.get()
    });
    assert!(r.outcome.is_none());
    let d = r.report.deadlock.expect("stuck, found");
    assert!(d.is_stuck());
}

/// Worker lanes are named like Python's: one per worker, plus the result thread; each task
/// a worker took is on the `tasks` queue's history, under the worker that took it.
#[test]
fn workers_have_lanes_named_like_python_and_take_tasks_from_the_queue() {
    let (_, events) = Run::run_to_end(virt(2), || {
        let pool = ThreadPool::new(3);
        pool.map(slow_square, 0..6);
        pool.close();
        pool.join();
    });
    let t = Trace::from_events(&events);
    let names: Vec<&str> = t.threads.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        ["main", "Worker-1", "Worker-2", "Worker-3", "results"]
    );
    let took: Vec<(String, String)> = t
        .moves("tasks")
        .iter()
        .filter(|m| !m.put)
        .map(|m| (t.thread_name(m.tid).to_string(), m.item.clone()))
        .collect();
    assert_eq!(took.len(), 9, "6 tasks and 3 stops: {took:?}");
    assert!(took[..6].iter().all(|(w, _)| w.starts_with("Worker-")));
    let items: Vec<&str> = took.iter().map(|(_, i)| i.as_str()).collect();
    assert_eq!(
        &items[..6],
        [
            "slow_square(0)",
            "slow_square(1)",
            "slow_square(2)",
            "slow_square(3)",
            "slow_square(4)",
            "slow_square(5)"
        ]
    );
}

/// concurrent.futures: result() waits; a done callback runs on the worker that finished the
/// future, or at once on the caller when it is already done; as_completed yields in finishing
/// order; names are ThreadPoolExecutor-0_0, -0_1.
#[test]
fn futures_result_done_callbacks_and_as_completed() {
    fn nap(x: u64) -> u64 {
        sleep(secs(x as f64));
        x
    }
    for seed in 0..20 {
        let (r, events) = Run::run_to_end(virt(seed), || {
            let ex = ThreadPoolExecutor::new(4);
            let f = ex.submit(nap, 1);
            f.add_done_callback(|f| say(format!("done {} on {}", f.result(), current_name())));
            let v = f.result();
            f.add_done_callback(|_| say(format!("late on {}", current_name())));
            let fs: Vec<_> = [3, 1, 2, 0]
                .into_iter()
                .map(|x| ex.submit(nap, x))
                .collect();
            let order: Vec<u64> = as_completed(&fs).map(|f| f.result()).collect();
            let mapped = ex.map(nap, [2, 0, 1]);
            ex.shutdown(true);
            (v, order, mapped)
        });
        assert_eq!(
            r.outcome,
            Some((1, vec![0, 1, 2, 3], vec![2, 0, 1])),
            "seed {seed}"
        );
        // Python runs them so too (the late one at once, on main); their order is a race.
        let mut said = printed(&events);
        said.sort();
        assert_eq!(said.len(), 2, "{said:?}");
        assert!(
            said[0].starts_with("done 1 on ThreadPoolExecutor-0_"),
            "{said:?}"
        );
        assert_eq!(said[1], "late on main");
    }
}

/// Stopping early: each task checks a shared flag before every try; once one finds the
/// answer, the rest give up at once and the pool is done long before trying everything.
#[test]
fn a_shared_flag_stops_the_other_tasks_early() {
    let (r, _) = Run::run_to_end(virt(4), || {
        let found = Arc::new(Flag::new("found"));
        let pool = ThreadPool::new(3);
        let f2 = found.clone();
        let hits = pool.map(
            move |start: u64| {
                for guess in start..start + 10 {
                    if f2.is_set() {
                        return None;
                    }
                    sleep(secs(0.1));
                    if guess == 13 {
                        f2.set();
                        return Some(guess);
                    }
                }
                None
            },
            [0, 10, 20, 30, 40, 50],
        );
        pool.close();
        pool.join();
        (
            hits.into_iter().flatten().collect::<Vec<_>>(),
            now().as_secs_f64(),
        )
    });
    let (hits, t) = r.outcome.unwrap_or_else(|| panic!("{:?}", r.report));
    assert_eq!(hits, vec![13]);
    assert!(
        t <= 0.5,
        "stopped at {t}, not after the 6 s of trying everything"
    );
}

/// A process pool in virtual mode: its workers are processes, the values come back in order.
#[test]
fn a_process_pool_maps_in_worker_processes() {
    for seed in 0..10 {
        let (r, events) = Run::run_to_end(virt(seed), || {
            let pool = Pool::new(2);
            let squares = pool.map(selftest::square, 0..5);
            let one = pool.apply(selftest::square, 7);
            pool.close();
            pool.join();
            (squares, one)
        });
        assert_eq!(r.outcome, Some((vec![0, 1, 4, 9, 16], 49)), "seed {seed}");
        let t = Trace::from_events(&events);
        let names: Vec<&str> = t.processes.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["PoolProc-1", "PoolProc-2"]);
    }
}

/// Python: terminate() kills worker processes; the task each was running never finishes.
#[test]
fn terminating_a_process_pool_kills_the_running_tasks() {
    let (r, events) = Run::run_to_end(virt(1), || {
        let pool = Pool::new(2);
        let hs: Vec<_> = (0..2)
            .map(|x| pool.apply_async(selftest::nap_then, (x, 1.0)))
            .collect();
        sleep(secs(0.5));
        pool.terminate();
        pool.join();
        hs.iter().map(|h| h.ready()).collect::<Vec<_>>()
    });
    assert_eq!(r.outcome, Some(vec![false, false]));
    let t = Trace::from_events(&events);
    let exits: Vec<Option<i32>> = t.processes.iter().map(|p| p.exit).collect();
    assert_eq!(exits, [Some(-15), Some(-15)]);
}

/// Live: real worker processes run the tasks; a raising task's error comes back to get.
#[test]
fn live_a_process_pool_runs_tasks_in_real_processes() {
    let (r, events) = Run::run_to_end(live(), || {
        let pool = Pool::new(2);
        let squares = pool.map(selftest::square, 0..6);
        let bad = pool.apply_async(selftest::fail, 3);
        bad.wait();
        let ok = bad.successful();
        pool.close();
        pool.join();
        (squares, ok)
    });
    assert_eq!(r.outcome, Some((vec![0, 1, 4, 9, 16, 25], false)));
    let t = Trace::from_events(&events);
    assert_eq!(t.processes.len(), 2);
    assert!(t.processes.iter().all(|p| p.os_pid.is_some()));
}

/// Live threads: apply_async overlaps the tasks (about 4 s of lesson time, not 10).
#[test]
fn live_thread_pool_runs_the_same_demo() {
    let (r, _) = Run::run_to_end(live(), || {
        let pool = ThreadPool::new(3);
        let hs: Vec<_> = (0..10).map(|x| pool.apply_async(slow_square, x)).collect();
        let got: Vec<u64> = hs.iter().map(|h| h.get()).collect();
        pool.close();
        pool.join();
        got
    });
    assert_eq!(r.outcome, Some((0..10).map(|x| x * x).collect()));
}
