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
/// at their next check, and chunks 6-9, if a worker takes them before terminate drops them,
/// stop before their first guess.
#[test]
fn the_cracker_stops_early_and_terminate_drops_the_rest() {
    for seed in 0..50 {
        let r = run("early-stop", &params(&[]), seed);
        assert_eq!(r.outcome["password"], 42);
        let tried = r.outcome["tried"].as_u64().unwrap();
        assert!((36..=42).contains(&tried), "seed {seed}: {tried}");
        assert!(r.elapsed_ms <= 1_400.0 + 1e-6, "{}", r.elapsed_ms);
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

/// The crawler over the local page server, swept over the pool's size as the tutorial did:
/// faster up to the server's 15 requests at once, never refused there; past it, refusals and
/// their back-offs make the crawl slower, and 200 workers slowest of all but one.
#[test]
fn the_crawler_is_fastest_at_the_servers_limit_and_slower_past_it() {
    let crawl = |workers: &str| {
        let r = run("crawler", &params(&[("workers", workers)]), 5);
        assert_eq!(r.outcome["pages"], 100);
        (r.elapsed_ms, r.outcome["refused"].as_u64().unwrap())
    };
    let (t1, r1) = crawl("1");
    let (t5, _) = crawl("5");
    let (t10, _) = crawl("10");
    let (t15, r15) = crawl("15");
    let (t20, r20) = crawl("20");
    let (t200, r200) = crawl("200");
    assert_eq!((t1, t5, t10, t15), (20_000.0, 4_000.0, 2_000.0, 1_400.0));
    assert_eq!((r1, r15), (0, 0));
    assert!(t20 > t15 && r20 > 0, "20 workers: {t20} ms, refused {r20}");
    assert!(
        t200 > t20 && t200 > t5 && r200 > r20,
        "200 workers: {t200} ms, refused {r200}"
    );
}
