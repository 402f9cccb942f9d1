//! tickets: without a lock every buyer who reads before the first write buys the last ticket
//! (all of them as threads; as processes, those started in time), with a lock exactly as many
//! as there were tickets, exactly, in virtual mode over many seeds; every read and write of the
//! file is an event with its text; the challenge without a lock can be met by hand; live, the
//! processes oversell, lock a real file and leave no child behind; the panel tells the story.

use crate::support::lesson;
use crate::support::screen::{open, press, screen};
use lockstep::engine::trace::Trace;
use lockstep::engine::{Config, Event, Mode, Tid, What};
use lockstep::lessons;
use lockstep::params::Params;
use lockstep::runner::{self, Replayed, VariantResult};
use ratatui::crossterm::event::KeyCode;
use std::time::Duration;

fn params(overrides: &[(&str, &str)]) -> Params {
    lesson::params("tickets", overrides)
}

fn run(variant: &str, p: &Params, mode: Mode, scale: f64, seed: u64) -> Replayed {
    let cfg = Config { mode, scale, seed };
    let code = lessons::find("tickets").unwrap();
    runner::replay_variant(code, variant, p, cfg, Vec::new())
}

fn n(r: &VariantResult, key: &str) -> i64 {
    r.outcome[key]
        .as_i64()
        .unwrap_or_else(|| panic!("{key} in {:?}", r.outcome))
}

/// What each buyer had read last when it printed "bought" or "sold out", in print order.
fn decided_on(events: &[Event]) -> Vec<String> {
    let t = Trace::from_events(events);
    let file = t
        .resources
        .iter()
        .find(|r| r.name == "tickets.json")
        .unwrap();
    let mut last = std::collections::HashMap::new();
    let mut out = Vec::new();
    for e in events {
        match &e.what {
            What::Get { rid, value } if *rid == file.rid => {
                last.insert(e.tid, value.clone());
            }
            What::Say { text } if text == "bought" || text == "sold out" => {
                out.push(last[&e.tid].clone());
            }
            _ => {}
        }
    }
    out
}

/// python3 demo.py threads-no-lock: 100 bought, "0 left". Every buyer reads {"count": 1}
/// before the first write at 0.3 s, and every write but one is lost.
#[test]
fn threads_without_a_lock_every_buyer_buys_the_last_ticket() {
    let p = params(&[]);
    for seed in 0..200 {
        let r = run("threads-no-lock", &p, Mode::Virtual, 1.0, seed);
        let res = &r.result;
        assert!(res.ok, "seed {seed}: {:?}", res.checks);
        assert_eq!(
            (n(res, "bought"), n(res, "oversold"), n(res, "left")),
            (100, 99, 0)
        );
        assert_eq!(n(res, "lost"), 99);
        assert_eq!(res.elapsed_ms, 300.0);
        assert!(
            decided_on(&r.events).iter().all(|v| v == r#"{"count": 1}"#),
            "seed {seed}"
        );
    }
}

/// python3 demo.py threads-lock: 1 bought, 99 sold out, 10.2 s; with 3 tickets and 10 buyers,
/// 3 bought, and the file ends at 0.
#[test]
fn threads_with_a_lock_sell_exactly_the_tickets() {
    for (tickets, buyers, ms) in [("1", "100", 10_200.0), ("3", "10", 1_600.0)] {
        let p = params(&[("tickets", tickets), ("buyers", buyers)]);
        for seed in 0..100 {
            let r = run("threads-lock", &p, Mode::Virtual, 1.0, seed).result;
            assert!(r.ok, "seed {seed}: {:?}", r.checks);
            assert_eq!(n(&r, "bought"), tickets.parse::<i64>().unwrap());
            assert_eq!((n(&r, "oversold"), n(&r, "left"), n(&r, "lost")), (0, 0, 0));
            assert_eq!(r.elapsed_ms, ms);
        }
    }
}

/// Processes start one after another (a measured launch each on the virtual clock): at scale 1
/// all 100 read before the first write; at 0.05, only those started within the first buyer's
/// 15 ms between its read and its write (one more when a start lands on the write), and the
/// later ones see 0 and find it sold out.
#[test]
fn processes_without_a_lock_those_started_before_the_first_write_buy() {
    let p = params(&[]);
    for seed in 0..50 {
        let r = run("processes-no-lock", &p, Mode::Virtual, 1.0, seed);
        assert!(r.result.ok, "{:?}", r.result.checks);
        assert_eq!(n(&r.result, "bought"), 100);
        let r = run("processes-no-lock", &p, Mode::Virtual, 0.05, seed);
        assert!(r.result.ok, "{:?}", r.result.checks);
        let bought = n(&r.result, "bought");
        let launch = lockstep::engine::process::costs().launch_ns as f64;
        let within = (15e6 / launch).ceil() as i64;
        assert!(
            (within..=within + 1).contains(&bought),
            "seed {seed}: {bought}, {within}"
        );
        assert!(bought < 100);
        let seen = decided_on(&r.events);
        let on_one = seen.iter().filter(|v| *v == r#"{"count": 1}"#).count();
        assert_eq!(on_one as i64, bought, "whoever read 1 bought");
        assert_eq!(n(&r.result, "left"), 0);
    }
}

#[test]
fn processes_with_a_file_lock_sell_exactly_the_tickets() {
    for (tickets, buyers) in [("1", "100"), ("3", "10")] {
        let p = params(&[("tickets", tickets), ("buyers", buyers)]);
        for seed in 0..50 {
            let r = run("processes-lock", &p, Mode::Virtual, 1.0, seed);
            assert!(r.result.ok, "seed {seed}: {:?}", r.result.checks);
            assert_eq!(n(&r.result, "bought"), tickets.parse::<i64>().unwrap());
            assert_eq!(n(&r.result, "left"), 0);
            let t = Trace::from_events(&r.events);
            let lock = t
                .resources
                .iter()
                .find(|r| r.name == "tickets.lock")
                .unwrap();
            assert_eq!(lock.acquisitions, buyers.parse::<u64>().unwrap());
        }
    }
}

/// Every read and every write of the file is an event with the text read or written, in the
/// log; a write built on a stale read is marked.
#[test]
fn every_read_and_write_of_the_file_is_in_the_log_with_its_text() {
    let p = params(&[("buyers", "2")]);
    let r = run("threads-no-lock", &p, Mode::Virtual, 1.0, 3);
    let log = lockstep::schedule::log_lines(&r.events, lockstep::words::Lang::En);
    let file: Vec<String> = log
        .iter()
        .filter(|l| l.contains("tickets.json"))
        .map(|l| l.split_whitespace().skip(2).collect::<Vec<_>>().join(" "))
        .collect();
    let count = |who: &str, verb: &str, v: u32| {
        file.iter()
            .filter(|l| **l == format!(r#"{who} {verb} tickets.json = {{"count": {v}}}"#))
            .count()
    };
    assert_eq!(file[0], r#"main creates tickets.json = {"count": 1}"#);
    for who in ["T1", "T2"] {
        assert_eq!(count(who, "reads", 1), 2, "{file:#?}");
    }
    assert_eq!(count("main", "reads", 0), 1, "{file:#?}");
    let writes: Vec<&String> = file.iter().filter(|l| l.contains("writes")).collect();
    assert_eq!(writes.len(), 2, "{file:#?}");
    assert!(writes[1].contains("lost update"), "{file:#?}");
    assert_eq!(r.result.report.lost("tickets.json"), 1);
}

/// The challenge "sell-right-by-luck": without a lock, moving T1 through its whole purchase
/// before T2 reads the file sells the ticket once; T2 finds it sold out.
#[test]
fn by_hand_a_run_without_a_lock_can_sell_right() {
    let code = lessons::find("tickets").unwrap();
    let p = params(&[("buyers", "2")]);
    let cfg = Config {
        mode: Mode::Virtual,
        scale: 1.0,
        seed: 1,
    };
    // main starts T1 and T2; then T1, again and again, until it has written.
    let mut schedule = vec![Tid(0); 2];
    schedule.extend([Tid(1); 8]);
    let r = runner::replay_variant(code, "threads-no-lock", &p, cfg, schedule);
    assert!(!r.broken);
    assert_eq!(n(&r.result, "bought"), 1);
    assert_eq!(n(&r.result, "oversold"), 0);
    let printed: Vec<String> = r
        .result
        .report
        .printed
        .iter()
        .map(|l| format!("{}: {}", l.thread, l.text))
        .collect();
    assert!(printed.contains(&"T2: sold out".to_string()), "{printed:?}");
    // With the seed's choices alone, both read before either writes.
    let r = run("threads-no-lock", &p, Mode::Virtual, 1.0, 1).result;
    assert_eq!(n(&r, "bought"), 2);
}

/// Every check holds across the parameters' ranges, and the checks that say the sale oversold
/// are there exactly when the parameters make it certain.
#[test]
fn the_checks_hold_over_the_parameters_ranges() {
    let code = lessons::find("tickets").unwrap();
    for tickets in ["0", "1", "3", "10"] {
        for buyers in ["1", "2", "11"] {
            for (network, write) in [("0", "0"), ("0.1", "0.2"), ("1", "0")] {
                let p = params(&[
                    ("tickets", tickets),
                    ("buyers", buyers),
                    ("network", network),
                    ("write", write),
                ]);
                for v in code.variants() {
                    for seed in 0..3 {
                        let r = run(v, &p, Mode::Virtual, 1.0, seed).result;
                        assert!(
                            r.ok,
                            "{v} {tickets}/{buyers}/{network}/{write} seed {seed}: {:?}",
                            r.checks
                        );
                        let (t, b) = (p.int("tickets"), p.int("buyers"));
                        let oversells = r.checks.iter().any(|c| c.name.en.contains("more than"));
                        let certain = !v.ends_with("-lock") || v.ends_with("no-lock");
                        let certain =
                            certain && t > 0 && b > t && p.get("network") + p.get("write") > 0.0;
                        assert_eq!(
                            oversells, certain,
                            "{v} {tickets}/{buyers}/{network}/{write}"
                        );
                    }
                }
            }
        }
    }
}

// ---- live ----

/// Live, the buyers are real processes reading and writing a real file: without a lock more
/// than one buys the one ticket (at scale 1 the first write comes 300 ms after the first read,
/// time enough for several processes to start even on a busy machine); with the file lock
/// exactly 3 of 10 buy 3; none is left behind.
#[test]
fn live_processes_oversell_without_the_lock_and_not_with_it() {
    lesson::use_the_lockstep_binary();
    let p = params(&[("buyers", "20")]);
    let r = run("processes-no-lock", &p, Mode::Live, 1.0, 1);
    assert!(r.result.ok, "{:?}", r.result.checks);
    assert!(n(&r.result, "oversold") > 0, "{:?}", r.result.outcome);
    let t = Trace::from_events(&r.events);
    assert_eq!(t.processes.len(), 20);
    let left = crate::support::children();
    for pr in &t.processes {
        assert!(!left.contains(&pr.os_pid.unwrap()), "{} is left", pr.name);
    }

    let p = params(&[("tickets", "3"), ("buyers", "10")]);
    let r = run("processes-lock", &p, Mode::Live, 0.2, 1);
    assert!(r.result.ok, "{:?}", r.result.checks);
    assert_eq!((n(&r.result, "bought"), n(&r.result, "left")), (3, 0));
    let t = Trace::from_events(&r.events);
    let lock = t
        .resources
        .iter()
        .find(|r| r.name == "tickets.lock")
        .unwrap();
    assert_eq!(lock.acquisitions, 10);
}

// ---- the panel ----

/// After a run without a lock the panel shows the file going from 1 to 0, written 100 times,
/// every buyer having decided on 1, and the sale oversold; with the lock, one write and one buyer.
#[test]
fn the_panel_shows_the_file_over_time_and_who_bought() {
    let mut s = open("tickets", 1);
    press(&mut s, KeyCode::Char('m'));
    press(&mut s, KeyCode::Char('m')); // virtual
    press(&mut s, KeyCode::Char('r'));
    assert!(s.settle(Duration::from_secs(30)));
    let text = screen(&mut s.app, 120, 40);
    assert!(text.contains(r#"{"count": 1}  made"#), "{text}");
    assert!(
        text.contains(r#"{"count": 0}  written 100× by T"#),
        "{text}"
    );
    assert!(text.contains("decided on count 1: 100"), "{text}");
    assert!(text.contains("sold 100 of 1: oversold!"), "{text}");
    press(&mut s, KeyCode::Char('v')); // threads-lock
    press(&mut s, KeyCode::Char('r'));
    assert!(s.settle(Duration::from_secs(30)));
    let text = screen(&mut s.app, 120, 40);
    assert!(text.contains("written 1× by T"), "{text}");
    assert!(text.contains("decided on count 1: 1 · 0: 99"), "{text}");
    assert!(text.contains("sold 1 of 1"), "{text}");
    assert!(text.contains("sold out 99:"), "{text}");
}
