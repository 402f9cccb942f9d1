//! pools: the times a learner reads (apply 10 s, apply_async 4 s with 3 workers and 10 tasks of
//! 1 s), map's order, map_async's handle, callbacks on the result thread, the cracker stopping
//! early, and the two pools counting the same primes; exact in virtual mode over many seeds,
//! as python3 src/lessons/pools/demo.py prints them.

use crate::support::lesson;
use lockstep::engine::Mode;
use lockstep::params::Params;
use lockstep::runner::VariantResult;
use std::collections::BTreeSet;

fn params(overrides: &[(&str, &str)]) -> Params {
    lesson::params("pools", overrides)
}

fn run(variant: &str, p: &Params, seed: u64) -> VariantResult {
    let r = lesson::run("pools", variant, p, Mode::Virtual, 1.0, seed);
    assert!(r.ok, "{variant} seed {seed}: {:?}", r.checks);
    r
}

fn lines(r: &VariantResult) -> Vec<String> {
    r.report.printed.iter().map(|p| p.text.clone()).collect()
}

fn squares(n: u64) -> String {
    (0..n)
        .map(|x| (x * x).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// python3 demo.py apply: 10.0 s; apply-async: 4.0 s. The same squares either way.
#[test]
fn apply_takes_ten_seconds_and_apply_async_four() {
    for seed in 0..50 {
        let a = run("apply", &params(&[]), seed);
        assert_eq!(a.elapsed_ms, 10_000.0);
        assert_eq!(a.outcome["results"], squares(10));
        // One task at a time: they finish in the order they were given.
        assert_eq!(a.outcome["finished"], "0, 1, 2, 3, 4, 5, 6, 7, 8, 9");
        let b = run("apply-async", &params(&[]), seed);
        assert_eq!(b.elapsed_ms, 4_000.0);
        assert_eq!(b.outcome["results"], squares(10));
    }
}

/// The pool's size sets the rounds: ceil(tasks / workers) seconds.
#[test]
fn more_workers_fewer_rounds() {
    for (workers, ms) in [
        ("1", 10_000.0),
        ("2", 5_000.0),
        ("5", 2_000.0),
        ("10", 1_000.0),
        ("50", 1_000.0),
    ] {
        let r = run("apply-async", &params(&[("workers", workers)]), 1);
        assert_eq!(r.elapsed_ms, ms, "{workers} workers");
    }
}

/// map: the tasks of a round finish in any order, the list is always in input order.
#[test]
fn map_finishes_in_any_order_and_returns_input_order() {
    let mut orders = BTreeSet::new();
    for seed in 0..100 {
        let r = run("map", &params(&[]), seed);
        assert_eq!(r.outcome["results"], squares(10));
        assert_eq!(r.outcome["in_order"], true);
        orders.insert(r.outcome["finished"].as_str().unwrap().to_string());
    }
    assert!(orders.len() > 10, "{orders:#?}");
}

/// map_async: the handle is not ready at once; get gives the list; successful afterwards.
#[test]
fn map_async_gives_a_handle_not_yet_ready() {
    let r = run("map-async", &params(&[]), 7);
    let l = lines(&r);
    assert_eq!(l.first().map(String::as_str), Some("ready: false"));
    assert_eq!(l.last().map(String::as_str), Some("successful: true"));
    assert_eq!(r.outcome["ready_at_once"], false);
    assert_eq!(r.elapsed_ms, 4_000.0);
}

/// python3 demo.py callbacks: every "parsed page N" comes from the result thread.
#[test]
fn callbacks_parse_each_page_on_the_result_thread() {
    for seed in 0..50 {
        let r = run("callbacks", &params(&[]), seed);
        let parsed: Vec<_> = r
            .report
            .printed
            .iter()
            .filter(|p| p.text.starts_with("parsed page"))
            .collect();
        assert_eq!(parsed.len(), 10);
        assert!(parsed.iter().all(|p| p.thread == "results"), "{parsed:?}");
        assert!(parsed.iter().all(|p| p.text.ends_with("on results")));
    }
}

/// python3 demo.py early-stop: "password 42, 40 guesses", 1.5 s. Chunks 0-2 run a full
/// second, chunks 3-5 start at 1 s and chunk 4 finds 42 with its third guess; the others stop
/// at their next check, and chunks 6-9 never start.
#[test]
fn the_cracker_stops_early_and_terminate_drops_the_rest() {
    for seed in 0..50 {
        let r = run("early-stop", &params(&[]), seed);
        assert_eq!(r.outcome["password"], 42);
        let tried = r.outcome["tried"].as_u64().unwrap();
        assert!((36..=42).contains(&tried), "seed {seed}: {tried}");
        assert!(r.elapsed_ms <= 1_400.0 + 1e-6, "{}", r.elapsed_ms);
        let events = lesson::events("pools", "early-stop", &params(&[]), seed);
        let t = lockstep::engine::trace::Trace::from_events(&events);
        let started: Vec<String> = t
            .moves("tasks")
            .iter()
            .filter(|m| !m.put && m.item != "stop")
            .map(|m| m.item.clone())
            .collect();
        // Chunks 0-5; the finder may take chunk 6 in the instant before terminate drops it.
        assert!((6..=7).contains(&started.len()), "seed {seed}: {started:?}");
    }
    // A password in no chunk: every guess is tried, then the map's callback ends the wait.
    let r = run("early-stop", &params(&[("secret", "250")]), 1);
    assert_eq!(r.outcome["password"], -1);
    assert_eq!(r.outcome["tried"], 100);
    // With a worker for chunk 4 from the start, it is found within the first half second.
    let r = run("early-stop", &params(&[("workers", "5")]), 1);
    assert!(r.elapsed_ms < 500.0, "{}", r.elapsed_ms);
}

/// Both pools count the 9592 primes below 100 000; the process pool also pays for starting
/// its processes.
#[test]
fn thread_and_process_pools_count_the_same_primes() {
    let r = run("process-pool", &params(&[]), 3);
    assert_eq!(r.outcome["primes_threads"], 9592);
    assert_eq!(r.outcome["primes_processes"], 9592);
    let (t, p) = (
        r.outcome["threads_s"].as_f64().unwrap(),
        r.outcome["processes_s"].as_f64().unwrap(),
    );
    assert_eq!(t, 4.0);
    assert!(p > t, "processes {p} s, threads {t} s");
}
