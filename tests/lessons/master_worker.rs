//! master-worker: every task squared once per seed, the impostor refused and never served, a
//! terminated worker's task put back; live, the server listens on 127.0.0.1 only, refuses a
//! wrong answer to its challenge on the real socket, and stops listening when the run ends or
//! is cancelled; its authkey is the seed's in virtual mode and never the same twice live.

use crate::support::lesson;
use lockstep::engine::trace::Trace;
use lockstep::engine::{Authkey, Config, Event, Mode, Run, Tid, What};
use lockstep::lessons;
use lockstep::params::Params;
use lockstep::runner::{self, Replayed};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn params() -> Params {
    lesson::params("master-worker", &[])
}

fn replay(variant: &str, mode: Mode, scale: f64, seed: u64) -> Replayed {
    let cfg = Config { mode, scale, seed };
    let code = lessons::find("master-worker").unwrap();
    runner::replay_variant(code, variant, &params(), cfg, Vec::new())
}

fn tid_of(t: &Trace, name: &str) -> Tid {
    t.threads.iter().find(|th| th.name == name).unwrap().tid
}

/// Who took what from the queue named `queue`, in order.
fn takes(events: &[Event], t: &Trace, queue: &str) -> Vec<(Tid, String)> {
    let rid = t.resources.iter().find(|r| r.name == queue).unwrap().rid;
    events
        .iter()
        .filter_map(|e| match &e.what {
            What::Took { rid: r, item, .. } if *r == rid => Some((e.tid, item.clone())),
            _ => None,
        })
        .collect()
}

/// Every variant over 200 seeds: ten right squares; each task taken once, except the one
/// worker-1 held when it was terminated, which is taken again; the impostor is refused by the
/// server and takes nothing; the server is closed before the run's end.
#[test]
fn every_task_is_squared_and_nothing_is_lost_over_200_seeds() {
    for seed in 0..200 {
        for variant in ["squares", "wrong-token", "worker-killed"] {
            let r = replay(variant, Mode::Virtual, 1.0, seed);
            assert!(r.result.ok, "{variant} seed {seed}: {:?}", r.result.checks);
            let o = &r.result.outcome;
            assert_eq!(o["squares"], 10, "{variant} seed {seed}");
            assert_eq!(o["wrong"], 0);
            let t = Trace::from_events(&r.events);
            let tasks: Vec<String> = takes(&r.events, &t, "tasks")
                .into_iter()
                .map(|(_, item)| item)
                .filter(|i| i != "None")
                .collect();
            let mut distinct = tasks.clone();
            distinct.sort();
            distinct.dedup();
            assert_eq!(distinct.len(), 10, "{variant} seed {seed}: {tasks:?}");
            let refused: Vec<Tid> = r
                .events
                .iter()
                .filter(|e| matches!(e.what, What::AuthFailed { .. }))
                .map(|e| e.tid)
                .collect();
            let exits: Vec<(String, Option<i32>)> = t
                .processes
                .iter()
                .map(|p| (p.name.clone(), p.exit))
                .collect();
            match variant {
                "worker-killed" => {
                    assert_eq!(tasks.len(), 11, "seed {seed}: one task twice: {tasks:?}");
                    assert_eq!(o["requeued"], 1);
                    assert_eq!(o["killed"], true);
                    let w1 = tid_of(&t, "worker-1");
                    let last = takes(&r.events, &t, "tasks")
                        .into_iter()
                        .rfind(|(who, _)| *who == w1)
                        .unwrap()
                        .1;
                    assert_eq!(
                        tasks.iter().filter(|i| **i == last).count(),
                        2,
                        "seed {seed}: worker-1's last task is done again"
                    );
                    assert_eq!(exits[0], ("worker-1".into(), Some(-15)));
                    assert_eq!(exits[1], ("worker-2".into(), Some(0)));
                }
                "wrong-token" => {
                    assert_eq!(tasks.len(), 10);
                    let impostor = tid_of(&t, "impostor");
                    assert_eq!(refused, [impostor]);
                    assert!(
                        takes(&r.events, &t, "tasks")
                            .iter()
                            .all(|(who, _)| *who != impostor)
                    );
                    assert_eq!(o["refused"], 1);
                    assert_eq!(exits.len(), 3);
                }
                _ => {
                    assert_eq!(tasks.len(), 10);
                    assert!(refused.is_empty());
                    assert_eq!(o["requeued"], 0);
                }
            }
            let closed = r
                .events
                .iter()
                .position(|e| matches!(e.what, What::Closed { .. }));
            let finished = r
                .events
                .iter()
                .position(|e| matches!(e.what, What::Finished));
            assert!(
                closed.is_some() && closed < finished,
                "{variant} seed {seed}"
            );
        }
    }
}

/// The same seed gives the same run, byte for byte: numbers, port, authkey's check, order.
#[test]
fn the_same_seed_gives_the_same_log() {
    for variant in ["squares", "wrong-token", "worker-killed"] {
        let a = lesson::events("master-worker", variant, &params(), 42);
        let b = lesson::events("master-worker", variant, &params(), 42);
        assert_eq!(a, b, "{variant}");
        let c = lesson::events("master-worker", variant, &params(), 43);
        assert_ne!(a, c, "{variant}: another seed, other numbers");
    }
}

/// A virtual authkey is the seed's, so a run replays; a live one is the system's random bytes,
/// different every run, whatever the seed.
#[test]
fn a_live_authkey_is_never_the_same_twice() {
    let key = |mode: Mode| {
        let cfg = Config {
            mode,
            scale: 1.0,
            seed: 7,
        };
        let run = Run::start(cfg, Authkey::generate);
        run.wait();
        run.take_returned::<Authkey>().unwrap()
    };
    assert_eq!(key(Mode::Virtual), key(Mode::Virtual));
    assert_ne!(key(Mode::Live), key(Mode::Live));
    assert_ne!(key(Mode::Live), key(Mode::Virtual));
}

/// A live run's address, once its server listens.
fn address_of(run: &Run, seen: &mut Vec<Event>) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(e) = run.events().recv_timeout(Duration::from_millis(50)) {
            let found = match &e.what {
                What::Listen { address, .. } => Some(address.clone()),
                _ => None,
            };
            seen.push(e);
            if let Some(a) = found {
                return a;
            }
        }
    }
    panic!("the server never listened");
}

fn refused(address: &str) -> bool {
    match TcpStream::connect(address) {
        Err(e) => e.kind() == std::io::ErrorKind::ConnectionRefused,
        Ok(_) => false,
    }
}

/// Live: the server is a real socket on 127.0.0.1. A client of our own answers its challenge
/// wrongly: it is told so and cut off, and the run shows the refusal. When the run is over,
/// nobody listens on that port any more.
#[test]
fn live_a_wrong_answer_is_refused_and_the_port_closes_with_the_run() {
    lesson::use_the_lockstep_binary();
    let code = lessons::find("master-worker").unwrap();
    let cfg = Config {
        mode: Mode::Live,
        scale: 0.5,
        seed: 3,
    };
    let run = runner::start(code, "squares", &params(), cfg);
    let mut seen = Vec::new();
    let address = address_of(&run, &mut seen);
    assert!(address.starts_with("127.0.0.1:"), "{address}");

    let stream = TcpStream::connect(&address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut lines = BufReader::new(stream.try_clone().unwrap()).lines();
    let challenge = lines.next().unwrap().unwrap();
    assert!(challenge.contains("Challenge"), "{challenge}");
    let mut out = stream;
    out.write_all(b"{\"Answer\":{\"digest\":\"00112233\",\"process\":null}}\n")
        .unwrap();
    assert_eq!(lines.next().unwrap().unwrap(), "\"Refused\"");
    assert!(lines.next().is_none(), "the server hangs up");

    let report = run.wait();
    assert!(report.returned, "{report:?}");
    seen.extend(run.events().try_iter());
    let failed = seen
        .iter()
        .filter(|e| matches!(e.what, What::AuthFailed { .. }))
        .count();
    assert_eq!(failed, 1, "the run shows the refusal");
    assert!(refused(&address), "{address} still listens after the run");
}

/// Live: cancelling a run (reset, leaving the lesson) closes its port at once, workers and all.
#[test]
fn live_a_cancelled_run_leaves_no_listener() {
    lesson::use_the_lockstep_binary();
    let code = lessons::find("master-worker").unwrap();
    let cfg = Config {
        mode: Mode::Live,
        scale: 1.0,
        seed: 4,
    };
    for variant in ["squares", "worker-killed"] {
        let run = runner::start(code, variant, &params(), cfg);
        let mut seen = Vec::new();
        let address = address_of(&run, &mut seen);
        assert!(!refused(&address), "{address} listens while the run goes");
        run.cancel();
        assert!(refused(&address), "{address} still listens after a cancel");
        assert!(
            run.wait_timeout(Duration::from_secs(5)).is_some(),
            "the run ends"
        );
    }
}

/// Live, a worker that asks for a task before the master has put any waits on the queue in
/// its own name, while its process's earlier events are still on their way by another socket:
/// those must not make it lose its place. A hundred short runs (the race is rare), each ends.
#[test]
fn live_a_worker_waiting_early_is_never_forgotten() {
    lesson::use_the_lockstep_binary();
    let code = lessons::find("master-worker").unwrap();
    for seed in 0..100 {
        let cfg = Config {
            mode: Mode::Live,
            scale: 0.02,
            seed,
        };
        let run = runner::start(code, "wrong-token", &params(), cfg);
        let report = run.wait_timeout(Duration::from_secs(10));
        if report.is_none() {
            run.cancel();
        }
        let report = report.unwrap_or_else(|| panic!("seed {seed}: the run never ended"));
        assert!(report.returned, "seed {seed}: {report:?}");
    }
}
