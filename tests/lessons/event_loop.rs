//! event-loop: each way of fetching the pages takes the time its waits add up to, exactly, in
//! virtual mode over many seeds; a blocking call in one task holds every other task ready and
//! idle for a latency; past the server's limit more workers are slower; in step mode the
//! learner picks which ready task the loop resumes; live, the pages come over loopback.

use crate::support::lesson;
use lockstep::engine::trace::Trace;
use lockstep::engine::{Config, Mode, Run, ThreadState};
use lockstep::lessons;
use lockstep::params::Params;
use lockstep::runner::{self, VariantResult};

fn params(overrides: &[(&str, &str)]) -> Params {
    lesson::params("event-loop", overrides)
}

fn virt(variant: &str, p: &Params, seed: u64) -> VariantResult {
    lesson::run("event-loop", variant, p, Mode::Virtual, 1.0, seed)
}

fn num(r: &VariantResult, key: &str) -> u64 {
    r.outcome[key]
        .as_u64()
        .unwrap_or_else(|| panic!("{key}: {:?}", r.outcome))
}

/// Lesson seconds of a virtual run at scale 1.
fn secs(r: &VariantResult) -> f64 {
    r.report.elapsed_ns as f64 / 1e9
}

/// At the lesson's numbers (50 pages, 0.5 s each, 0.01 s to parse, a server taking 50 at
/// once, a pool of 10): one by one adds every wait; threads overlap them; the pool does five
/// rounds; the loop overlaps the waits but not the parses; a blocking call costs a latency.
#[test]
fn each_way_takes_what_its_waits_add_up_to() {
    let p = params(&[]);
    let want = [
        ("one-by-one", 25.5),
        ("thread-per-page", 0.51),
        ("pool", 2.55),
        ("event-loop", 1.0),
        ("blocking-call", 1.5),
    ];
    for (variant, time) in want {
        for seed in 0..20 {
            let r = virt(variant, &p, seed);
            assert!(r.ok, "{variant}: {:?}", r.checks);
            assert!((secs(&r) - time).abs() < 1e-6, "{variant}: {} s", secs(&r));
            assert_eq!(num(&r, "pages"), 50, "{variant}");
            assert_eq!(num(&r, "refused"), 0, "{variant}");
        }
    }
}

/// The blocking call: for the first latency T0 is blocked on the server and every other task
/// sits in the loop's ready queue, none of them running; with the event loop proper all the
/// requests are out at once.
#[test]
fn a_blocking_call_holds_every_task_ready_and_idle() {
    let p = params(&[("pages", "5")]);
    let events = lesson::events("event-loop", "blocking-call", &p, 1);
    let mut t = Trace::default();
    for e in &events {
        t.apply(e);
    }
    let half = 500_000_000;
    let t0 = t.threads.iter().find(|l| l.name == "T0").unwrap();
    assert!(
        t0.spans
            .iter()
            .any(|s| matches!(s.state, ThreadState::Blocked(_)) && s.to_ns == Some(half)),
        "T0 waits on the server for the first half second: {:?}",
        t0.spans
    );
    for name in ["T1", "T2", "T3", "T4"] {
        let lane = t.threads.iter().find(|l| l.name == name).unwrap();
        let ready_until = lane
            .spans
            .iter()
            .find(|s| s.state == ThreadState::Ready)
            .and_then(|s| s.to_ns);
        assert!(
            ready_until.is_some_and(|to| to >= half),
            "{name} is ready, not running, until T0's call returns: {:?}",
            lane.spans
        );
    }
    let server = t.resources.iter().find(|r| r.name == "pages").unwrap();
    assert_eq!(
        (server.takes, server.peak),
        (5, 4),
        "T0 alone, then the other four at once"
    );
}

/// More is not always faster: 200 pages on a server that takes 50 at once. 50 workers keep it
/// busy in four rounds; 200 workers are mostly refused and wait to ask again, and finish later.
#[test]
fn past_the_servers_limit_more_workers_are_slower() {
    let time = |workers: &str| {
        let p = params(&[("pages", "200"), ("workers", workers)]);
        let r = virt("pool", &p, 3);
        assert_eq!(num(&r, "pages"), 200);
        (secs(&r), num(&r, "refused"))
    };
    let (t10, r10) = time("10");
    let (t50, r50) = time("50");
    let (t200, r200) = time("200");
    assert!(t10 > t50, "too few wait: {t10} vs {t50}");
    assert_eq!((r10, r50), (0, 0));
    assert!((t50 - 2.04).abs() < 1e-6, "{t50}");
    assert!(t200 > 1.5 * t50, "too many are refused: {t200} vs {t50}");
    assert!(r200 >= 150, "{r200}");
}

/// Step mode: with several tasks ready, each is offered, and the one picked is the one the
/// loop resumes next.
#[test]
fn in_step_mode_the_learner_picks_the_task_the_loop_resumes() {
    let p = params(&[("pages", "5")]);
    let cfg = Config {
        mode: Mode::Step,
        scale: 1.0,
        seed: 1,
    };
    let code = lessons::find("event-loop").unwrap();
    let run: Run = runner::start(code, "event-loop", &p, cfg);
    let mut offered_many = false;
    let mut picked = Vec::new();
    for _ in 0..2000 {
        let cands = run.candidates();
        if cands.is_empty() {
            if run.is_over() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
            continue;
        }
        let tasks: Vec<_> = cands.iter().filter(|c| c.name.starts_with('T')).collect();
        let pick = if tasks.len() >= 3 {
            offered_many = true;
            let last = tasks.last().unwrap();
            picked.push(last.name.clone());
            last.tid
        } else {
            cands[0].tid
        };
        if !run.step_and_wait(Some(pick)) {
            break;
        }
    }
    assert!(run.is_over());
    assert!(offered_many, "several ready tasks were offered");
    let events: Vec<_> = run.events().try_iter().collect();
    let log = lockstep::schedule::log_lines(&events, lockstep::words::Lang::En);
    let first = &picked[0];
    let resumed: Vec<&String> = log
        .iter()
        .filter(|l| l.starts_with("main resumes T") || l.contains(" main resumes T"))
        .collect();
    assert!(
        resumed
            .iter()
            .any(|l| l.contains(&format!("resumes {first} "))),
        "{log:#?}"
    );
}

/// Live, the pages come from a real server over loopback, every variant gets them all, and the
/// event loop waits on its sockets.
#[test]
fn live_every_way_gets_every_page() {
    let p = params(&[("pages", "10")]);
    for variant in [
        "one-by-one",
        "thread-per-page",
        "pool",
        "event-loop",
        "blocking-call",
    ] {
        let r = lesson::run("event-loop", variant, &p, Mode::Live, 0.02, 1);
        assert!(r.ok, "{variant}: {:?}", r.checks);
        assert_eq!(num(&r, "pages"), 10, "{variant}");
    }
}
