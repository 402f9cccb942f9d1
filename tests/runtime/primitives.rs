//! The instrumented primitives behave like their Python counterparts, in every mode.

use lockstep::engine::trace::Trace;
use lockstep::engine::{
    Config, Empty, Flag, Full, Mode, Mutex, Outcome, Queue, ReentrantMutex, Run, Semaphore, secs,
    sleep, spawn,
};
use std::sync::Arc;

fn modes() -> [Config; 2] {
    [
        Config {
            mode: Mode::Virtual,
            scale: 1.0,
            seed: 9,
        },
        Config {
            mode: Mode::Live,
            scale: 0.002,
            seed: 9,
        },
    ]
}

fn out(pairs: &[(&str, serde_json::Value)]) -> Outcome {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn drain(q: &Queue<String>) -> Vec<String> {
    let mut got = Vec::new();
    while let Ok(x) = q.get_nowait() {
        got.push(x);
    }
    got
}

#[test]
fn fifo_lifo_and_priority_orders() {
    for cfg in modes() {
        let (report, _) = Run::run_to_end(cfg, || {
            let fifo = Queue::fifo("fifo", 0);
            let lifo = Queue::lifo("lifo", 0);
            for w in ["first", "second", "third"] {
                fifo.put(w.to_string());
                lifo.put(w.to_string());
            }
            let pq = Queue::priority("pq", 0);
            for item in [(20, "a"), (10, "b"), (30, "c")] {
                pq.put(item);
            }
            let mut prio = Vec::new();
            while let Ok((k, v)) = pq.get_nowait() {
                prio.push(format!("({k}, {v})"));
            }
            out(&[
                ("fifo", drain(&fifo).into()),
                ("lifo", drain(&lifo).into()),
                ("priority", prio.into()),
            ])
        });
        let o = report.outcome.clone().expect("finished");
        assert_eq!(o["fifo"], serde_json::json!(["first", "second", "third"]));
        assert_eq!(o["lifo"], serde_json::json!(["third", "second", "first"]));
        assert_eq!(
            o["priority"],
            serde_json::json!(["(10, b)", "(20, a)", "(30, c)"])
        );
    }
}

#[test]
fn a_bounded_queue_blocks_puts_and_wakes_them_in_order() {
    for cfg in modes() {
        let (report, events) = Run::run_to_end(cfg, || {
            let q = Arc::new(Queue::fifo("q", 3));
            for i in 1..=3 {
                q.put(i);
            }
            let full = q.is_full();
            let refused = matches!(q.put_nowait(99), Err(Full(99)));
            // Two producers block on the full queue, in this order.
            let producers: Vec<_> = [4, 5]
                .into_iter()
                .map(|i| {
                    let q = q.clone();
                    let h = spawn(format!("P{i}"), move || q.put(i));
                    sleep(secs(1.0)); // P4 blocks before P5 starts
                    h
                })
                .collect();
            let mut got = Vec::new();
            for _ in 0..5 {
                got.push(q.get());
            }
            for p in producers {
                p.join().unwrap();
            }
            let empty = matches!(q.get_nowait(), Err(Empty));
            out(&[
                ("full", full.into()),
                ("refused", refused.into()),
                ("got", got.into()),
                ("empty", empty.into()),
            ])
        });
        let o = report.outcome.clone().expect("finished");
        assert_eq!(o["full"], true);
        assert_eq!(o["refused"], true);
        let mut got: Vec<i64> = o["got"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_i64().unwrap())
            .collect();
        if cfg.mode == Mode::Live {
            // Which producer blocks first is the OS's call in a live run: only the count holds.
            got.sort();
        }
        assert_eq!(got, [1, 2, 3, 4, 5], "{:?}", cfg.mode);
        assert_eq!(o["empty"], true);
        let trace = Trace::from_events(&events);
        assert_eq!(trace.resources[0].peak, 3, "never more than the capacity");
    }
}

#[test]
fn a_get_on_an_empty_queue_waits_for_a_put() {
    for cfg in modes() {
        let (report, _) = Run::run_to_end(cfg, || {
            let q = Arc::new(Queue::fifo("q", 0));
            let q2 = q.clone();
            let eater = spawn("eater", move || q2.get());
            sleep(secs(1.0));
            q.put("bun");
            out(&[("got", eater.join().unwrap().into())])
        });
        assert_eq!(report.outcome.clone().unwrap()["got"], "bun");
    }
}

#[test]
fn get_timeout_gives_up() {
    for cfg in modes() {
        let (report, _) = Run::run_to_end(cfg, || {
            let q: Queue<i32> = Queue::fifo("q", 0);
            out(&[("got", q.get_timeout(secs(0.5)).is_some().into())])
        });
        let r = report;
        assert_eq!(r.outcome.clone().unwrap()["got"], false);
        if cfg.mode == Mode::Virtual {
            assert_eq!(r.elapsed_ns, 500_000_000);
        }
    }
}

#[test]
fn a_joinable_queue_join_waits_for_task_done() {
    for cfg in modes() {
        let (report, _) = Run::run_to_end(cfg, || {
            let q = Arc::new(Queue::joinable("q", 0));
            let done = Arc::new(Mutex::new("done", 0));
            let (q2, d2) = (q.clone(), done.clone());
            let _eater = spawn("eater", move || {
                loop {
                    let _: u32 = q2.get();
                    sleep(secs(0.5));
                    *d2.lock() += 1;
                    q2.task_done();
                }
            });
            for i in 0..4 {
                q.put(i);
            }
            q.join();
            let n = *done.lock();
            out(&[("done_at_join", n.into())])
        });
        // The eater never ends, so the run ends stuck: but join returned after all 4.
        let o = report.outcome.clone().expect("main returned");
        assert_eq!(o["done_at_join"], 4);
        let d = report.deadlock.clone().expect("the eater waits forever");
        assert!(d.cycle.is_empty());
        assert_eq!(d.stuck[0].thread, "eater");
        assert_eq!(d.stuck[0].waits_for, "q");
    }
}

#[test]
fn a_reentrant_mutex_lets_its_owner_in_again() {
    for cfg in modes() {
        let (report, events) = Run::run_to_end(cfg, || {
            let l = Arc::new(ReentrantMutex::new("R", ()));
            let ts: Vec<_> = (1..=3)
                .map(|i| {
                    let l = l.clone();
                    spawn(format!("T{i}"), move || {
                        let _a = l.lock();
                        sleep(secs(0.1));
                        let _b = l.lock();
                    })
                })
                .collect();
            for t in ts {
                t.join().unwrap();
            }
            Outcome::new()
        });
        assert!(report.deadlock.is_none() && report.outcome.is_some());
        let trace = Trace::from_events(&events);
        assert_eq!(trace.resources[0].acquisitions, 6);
        assert_eq!(trace.resources[0].owner, None);
    }
}

#[test]
fn a_semaphore_admits_at_most_its_permits() {
    for cfg in modes() {
        let (report, events) = Run::run_to_end(cfg, || {
            let stalls = Arc::new(Semaphore::new("stalls", 3));
            let ts: Vec<_> = (1..=8)
                .map(|i| {
                    let s = stalls.clone();
                    spawn(format!("P{i}"), move || {
                        let _stall = s.acquire();
                        sleep(secs(0.2));
                    })
                })
                .collect();
            for t in ts {
                t.join().unwrap();
            }
            Outcome::new()
        });
        assert!(report.outcome.is_some());
        let trace = Trace::from_events(&events);
        let sem = &trace.resources[0];
        assert_eq!(sem.peak, 3);
        assert_eq!(sem.acquisitions, 8);
        assert!(sem.holders.is_empty());
        if cfg.mode == Mode::Virtual {
            assert_eq!(
                report.elapsed_ns, 600_000_000,
                "8 people, 3 stalls: 3 rounds"
            );
        }
    }
}

#[test]
fn a_flag_wakes_its_waiters_and_a_timed_wait_gives_up() {
    for cfg in modes() {
        let (report, _) = Run::run_to_end(cfg, || {
            let whistle = Arc::new(Flag::new("whistle"));
            let w2 = whistle.clone();
            let kettle = spawn("kettle", move || {
                sleep(secs(1.0));
                w2.set();
            });
            let early = whistle.wait_timeout(secs(0.5));
            whistle.wait();
            let set = whistle.is_set();
            kettle.join().unwrap();
            out(&[("early", early.into()), ("set", set.into())])
        });
        let o = report.outcome.clone().unwrap();
        assert_eq!(o["set"], true);
        // Live, a loaded machine may keep main off the CPU past its half second; on the
        // virtual clock the timed wait gives up exactly then.
        if cfg.mode == Mode::Virtual {
            assert_eq!(o["early"], false);
            assert_eq!(report.elapsed_ns, 1_000_000_000);
        }
    }
}

#[test]
fn a_daemon_is_cut_off_when_the_last_other_thread_ends() {
    for cfg in modes() {
        let (report, events) = Run::run_to_end(cfg, || {
            let foo = lockstep::engine::spawn_daemon("foo", || {
                lockstep::engine::say("123");
                sleep(secs(3.0));
                lockstep::engine::say("end123");
            });
            let bar = spawn("bar", || {
                lockstep::engine::say("456");
                sleep(secs(1.0));
                lockstep::engine::say("end456");
            });
            drop(foo); // not joined: a daemon
            bar.join().unwrap();
            Outcome::new()
        });
        assert!(!report.cancelled, "the run finished: {report:?}");
        assert!(report.outcome.is_some());
        let said: Vec<String> = events
            .iter()
            .filter_map(|e| match &e.what {
                lockstep::engine::What::Say { text } => Some(text.clone()),
                _ => None,
            })
            .collect();
        assert!(said.contains(&"end456".to_string()));
        assert!(
            !said.contains(&"end123".to_string()),
            "{:?}: {said:?}",
            cfg.mode
        );
        let trace = Trace::from_events(&events);
        let foo = trace.threads.iter().find(|t| t.name == "foo").unwrap();
        assert_eq!(foo.state, lockstep::engine::ThreadState::CutOff);
        if cfg.mode == Mode::Virtual {
            assert_eq!(report.elapsed_ns, 1_000_000_000);
        }
    }
}

#[test]
fn the_demos_random_numbers_come_from_the_seed() {
    let draw = |seed| {
        let cfg = Config {
            mode: Mode::Virtual,
            scale: 1.0,
            seed,
        };
        let (report, _) = Run::run_to_end(cfg, || {
            let xs: Vec<u64> = (0..5)
                .map(|_| lockstep::engine::random_range(0..1000u64))
                .collect();
            out(&[("xs", xs.into())])
        });
        report.outcome.clone().unwrap()["xs"].clone()
    };
    assert_eq!(draw(1), draw(1));
    assert_ne!(draw(1), draw(2));
}

#[test]
fn the_trace_keeps_each_resources_history() {
    let cfg = modes()[0];
    let (_, events) = Run::run_to_end(cfg, || {
        let q = Queue::fifo("q", 1);
        q.put("a");
        let _ = q.put_nowait("b");
        let _ = q.get();
        let s = Semaphore::new("s", 2);
        let p1 = s.acquire();
        let p2 = s.acquire();
        drop(p1);
        drop(p2);
        Outcome::new()
    });
    use lockstep::engine::trace::ChangeKind::*;
    let trace = Trace::from_events(&events);
    let q: Vec<_> = trace.resources[0]
        .history
        .iter()
        .map(|c| (c.kind.clone(), c.item.clone(), c.size))
        .collect();
    assert_eq!(
        q,
        [
            (Put, Some("\"a\"".to_string()), 1),
            (Refused("full".into()), None, 1),
            (Took, Some("\"a\"".to_string()), 0),
        ]
    );
    let s: Vec<usize> = trace.resources[1].history.iter().map(|c| c.size).collect();
    assert_eq!(s, [1, 2, 1, 0], "holders after each change");
}
