//! Coroutines on one thread: tasks that await timers overlap, a task that blocks the thread
//! stalls them all, the loop resumes ready tasks first in, first out (as asyncio's ready
//! queue does), and in step mode the learner picks which ready task it resumes.

use lockstep::engine::aio;
use lockstep::engine::trace::Trace;
use lockstep::engine::{Config, Event, Mode, Run, ThreadState, secs, sleep};

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

/// Three tasks each await a one-second timer: together they take one second, not three
/// (Python: `asyncio.gather` of three `asyncio.sleep(1)`).
fn three_sleepers() -> Vec<u32> {
    aio::run("main", async {
        let tasks = (1..=3)
            .map(|i| {
                aio::spawn_task(&format!("T{i}"), async move {
                    aio::sleep(secs(1.0)).await;
                    i
                })
            })
            .collect();
        aio::gather(tasks).await
    })
}

#[test]
fn tasks_that_await_timers_overlap() {
    for seed in 0..20 {
        let (r, events) = Run::run_to_end(virt(seed), three_sleepers);
        assert_eq!(r.outcome, Some(vec![1, 2, 3]), "{:#?}", log(&events));
        assert_eq!(r.elapsed_ns, 1_000_000_000, "one second, not three");
        let lines = log(&events);
        assert!(
            lines
                .iter()
                .any(|l| l.ends_with("T2 awaits sleep 1.00 s: the others may run")),
            "{lines:#?}"
        );
    }
}

/// The loop resumes ready tasks in the order they became ready, whatever the seed: the log
/// is the same for every seed.
#[test]
fn ready_tasks_are_resumed_first_in_first_out() {
    let (_, events) = Run::run_to_end(virt(0), three_sleepers);
    let first = log(&events);
    let resumes: Vec<&String> = first.iter().filter(|l| l.contains("resumes")).collect();
    assert!(resumes[0].contains("resumes main"), "{first:#?}");
    let order: Vec<&str> = resumes
        .iter()
        .filter_map(|l| {
            ["T1", "T2", "T3"]
                .into_iter()
                .find(|t| l.contains(&format!("resumes {t} ")))
        })
        .collect();
    assert_eq!(order, ["T1", "T2", "T3", "T1", "T2", "T3"], "{first:#?}");
    for seed in 1..10 {
        assert_eq!(log(&Run::run_to_end(virt(seed), three_sleepers).1), first);
    }
}

/// A task that blocks the thread (a plain sleep, not an awaited one) holds every task up:
/// three such tasks take three seconds (Python: `time.sleep` inside a coroutine).
#[test]
fn a_blocking_call_stalls_every_task() {
    let (r, events) = Run::run_to_end(virt(1), || {
        aio::run("main", async {
            let tasks = (1..=3)
                .map(|i| {
                    aio::spawn_task(&format!("T{i}"), async move {
                        sleep(secs(1.0)); // blocks the loop's thread
                        i
                    })
                })
                .collect();
            aio::gather(tasks).await
        })
    });
    assert_eq!(r.outcome, Some(vec![1, 2, 3]));
    assert_eq!(r.elapsed_ns, 3_000_000_000, "{:#?}", log(&events));
}

/// Awaiting tasks one after another is sequential again: two seconds for two.
#[test]
fn awaiting_one_by_one_takes_the_sum() {
    let (r, _) = Run::run_to_end(virt(2), || {
        aio::run("main", async {
            let a = aio::spawn_task("A", async { aio::sleep(secs(1.0)).await });
            a.await;
            let b = aio::spawn_task("B", async { aio::sleep(secs(1.0)).await });
            b.await;
        })
    });
    assert!(r.returned);
    assert_eq!(r.elapsed_ns, 2_000_000_000);
}

/// Step mode: with two tasks ready, both are offered and the pick is the one resumed; the
/// loop's queue shows the other.
#[test]
fn in_step_mode_the_learner_picks_which_ready_task_resumes() {
    let cfg = Config {
        mode: Mode::Step,
        scale: 1.0,
        seed: 1,
    };
    let run = Run::start(cfg, || {
        aio::run("main", async {
            let a = aio::spawn_task("A", async { lockstep::engine::say("A runs") });
            let b = aio::spawn_task("B", async { lockstep::engine::say("B runs") });
            a.await;
            b.await;
        })
    });
    let mut events: Vec<Event> = Vec::new();
    let mut picked_b = false;
    for _ in 0..200 {
        let cands = run.candidates();
        if cands.is_empty() {
            if run.is_over() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
            continue;
        }
        let names: Vec<&str> = cands.iter().map(|c| c.name.as_str()).collect();
        let pick = if names.contains(&"A") && names.contains(&"B") {
            picked_b = true;
            cands.iter().find(|c| c.name == "B").unwrap().tid
        } else {
            cands[0].tid
        };
        if !run.step_and_wait(Some(pick)) {
            break;
        }
    }
    assert!(picked_b, "A and B were offered together");
    events.extend(run.events().try_iter());
    let lines = log(&events);
    let b = lines
        .iter()
        .position(|l| l.ends_with("B: B runs"))
        .expect("B ran");
    let a = lines
        .iter()
        .position(|l| l.ends_with("A: A runs"))
        .expect("A ran");
    assert!(b < a, "the pick ran first: {lines:#?}");
    let trace = Trace::from_events(&events);
    assert!(
        trace.threads.iter().all(|t| t.state.is_finished()),
        "{lines:#?}"
    );
}

/// Live: the same tasks on a real clock, and a cancel in the middle ends the loop at once.
#[test]
fn live_tasks_run_and_a_cancel_ends_the_loop() {
    let live = Config {
        mode: Mode::Live,
        scale: 0.01,
        seed: 1,
    };
    let (r, events) = Run::run_to_end(live, three_sleepers);
    assert_eq!(r.outcome, Some(vec![1, 2, 3]), "{:#?}", log(&events));
    let run = Run::start(live, || {
        aio::run("main", async {
            let t = aio::spawn_task("forever", async {
                loop {
                    aio::sleep(secs(1.0)).await;
                }
            });
            t.await;
        })
    });
    std::thread::sleep(std::time::Duration::from_millis(30));
    run.cancel();
    let report = run
        .wait_timeout(std::time::Duration::from_secs(10))
        .expect("ended");
    assert!(report.cancelled);
    let events: Vec<Event> = run.events().try_iter().collect();
    let trace = Trace::from_events(&events);
    let forever = trace.threads.iter().find(|t| t.name == "forever").unwrap();
    assert_eq!(forever.state, ThreadState::Cancelled);
}

/// Ten tasks each fetch a page: the requests are out together, so the pages come one latency
/// later, not ten; past the server's limit the answer is a refusal at once.
fn ten_fetches(limit: usize) -> (usize, usize) {
    use lockstep::engine::{FetchError, PageServer};
    let server = PageServer::start("pages", 10, secs(1.0), limit);
    let urls: Vec<String> = (0..10).map(|i| server.url(i)).collect();
    aio::run("main", async move {
        let tasks = urls
            .into_iter()
            .enumerate()
            .map(|(i, url)| {
                aio::spawn_task(&format!("T{i}"), async move { aio::fetch(&url).await })
            })
            .collect();
        let got = aio::gather(tasks).await;
        let ok = got.iter().filter(|g| g.is_ok()).count();
        let refused = got
            .iter()
            .filter(|g| **g == Err(FetchError::Refused))
            .count();
        (ok, refused)
    })
}

#[test]
fn tasks_that_await_pages_overlap() {
    for seed in 0..10 {
        let (r, events) = Run::run_to_end(virt(seed), || ten_fetches(10));
        assert_eq!(r.outcome, Some((10, 0)), "{:#?}", log(&events));
        assert_eq!(r.elapsed_ns, 1_000_000_000, "one latency, not ten");
    }
    let (r, events) = Run::run_to_end(virt(1), || ten_fetches(4));
    assert_eq!(r.outcome, Some((4, 6)), "{:#?}", log(&events));
}

/// Live, the loop sends real requests on nonblocking sockets and waits on them with poll(2):
/// every page arrives, and the loop's lane says what it waited on.
#[test]
fn live_the_loop_waits_on_its_sockets() {
    let cfg = Config {
        mode: Mode::Live,
        scale: 0.05,
        seed: 1,
    };
    let (r, events) = Run::run_to_end(cfg, || ten_fetches(10));
    assert_eq!(r.outcome, Some((10, 0)), "{:#?}", log(&events));
    let lines = log(&events);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("has nothing ready: waits on 10 sockets")),
        "{lines:#?}"
    );
    assert_eq!(
        lines.iter().filter(|l| l.contains(" gets /page/")).count(),
        10
    );
}
