//! thread-local: every thread's helper reads its own url from the thread-local, over seeds and
//! thread counts; with the shared global everyone but the last writer reads another's url
//! (as python3 prints for src/lessons/thread_local/demo.py); in step mode the learner can make
//! the race hide; the panel shows each thread's slot and what the helper read.

use crate::support::lesson;
use crate::support::screen::{open, press, screen};
use lockstep::engine::{Config, Mode, Tid, What};
use lockstep::lessons;
use lockstep::params::Params;
use lockstep::runner::{self, Replayed, VariantResult};
use ratatui::crossterm::event::KeyCode;
use std::time::Duration;

fn params(threads: u32) -> Params {
    lesson::params("thread-local", &[("threads", &threads.to_string())])
}

fn run(variant: &str, p: &Params, seed: u64) -> VariantResult {
    lesson::run("thread-local", variant, p, Mode::Virtual, 1.0, seed)
}

fn replay(variant: &str, schedule: Vec<Tid>) -> Replayed {
    let cfg = Config {
        mode: Mode::Virtual,
        scale: 1.0,
        seed: 1,
    };
    let code = lessons::find("thread-local").unwrap();
    runner::replay_variant(code, variant, &params(3), cfg, schedule)
}

fn num(r: &VariantResult, key: &str) -> u64 {
    r.outcome[key].as_u64().unwrap()
}

/// "T1 fetched /page1" for every line the helpers printed, sorted by thread.
fn printed(r: &VariantResult) -> Vec<String> {
    let mut v: Vec<String> = r.report.printed.iter().map(|p| p.text.clone()).collect();
    v.sort();
    v
}

#[test]
fn every_thread_reads_its_own_slot() {
    for threads in [1, 3, 8] {
        let p = params(threads);
        for seed in 0..100 {
            let r = run("local", &p, seed);
            assert!(r.ok, "{threads} threads seed {seed}: {:?}", r.checks);
            assert_eq!(num(&r, "right"), threads as u64);
            assert_eq!(num(&r, "wrong"), 0);
            let want: Vec<String> = (1..=threads)
                .map(|i| format!("T{i} fetched /page{i}"))
                .collect();
            let mut want = want;
            want.sort();
            assert_eq!(printed(&r), want, "seed {seed}");
        }
    }
}

#[test]
fn with_one_global_all_but_the_last_writer_read_another_url() {
    for threads in [2, 3, 8] {
        let p = params(threads);
        for seed in 0..100 {
            let events = lesson::events("thread-local", "shared-global", &p, seed);
            let last_write = events
                .iter()
                .rev()
                .find_map(|e| match &e.what {
                    What::Set { value, .. } => Some(value.replace('"', "")),
                    _ => None,
                })
                .unwrap();
            let r = run("shared-global", &p, seed);
            assert!(r.ok, "{threads} threads seed {seed}: {:?}", r.checks);
            assert_eq!(num(&r, "wrong"), threads as u64 - 1, "seed {seed}");
            assert_eq!(num(&r, "right"), 1);
            // Every helper read the url written last, whoever wrote it.
            for line in printed(&r) {
                assert!(
                    line.ends_with(&format!(" {last_write}")),
                    "{line} vs {last_write}"
                );
            }
        }
    }
    // One thread alone: the global works, and nothing is checked as lost.
    let r = run("shared-global", &params(1), 1);
    assert!(r.ok);
    assert_eq!(num(&r, "wrong"), 0);
}

/// The challenge "hide-the-bug" can be met: run each thread to its end before the next one
/// writes, and the shared global gives everyone the right url: the race is there, unseen.
#[test]
fn one_thread_at_a_time_hides_the_race() {
    let mut schedule = vec![Tid(0); 4]; // main starts the three threads and waits
    for t in 1..=3 {
        schedule.extend(vec![Tid(t); 6]); // T1 to its end, then T2, then T3
    }
    let r = replay("shared-global", schedule);
    assert!(!r.broken);
    assert_eq!(num(&r.result, "wrong"), 0, "{:?}", r.result.outcome);
    let lines: Vec<String> = r
        .result
        .report
        .printed
        .iter()
        .map(|p| p.text.clone())
        .collect();
    assert_eq!(
        lines,
        [
            "T1 fetched /page1",
            "T2 fetched /page2",
            "T3 fetched /page3"
        ]
    );
    // The same schedule on the thread-local: nothing to hide.
    let mut schedule = vec![Tid(0); 4];
    for t in 1..=3 {
        schedule.extend(vec![Tid(t); 6]);
    }
    let r = replay("local", schedule);
    assert_eq!(num(&r.result, "wrong"), 0);
}

/// The panel: a row per thread with its slot and what the helper read; the global's box and
/// the wrong reads after a shared-global run.
#[test]
fn the_panel_shows_each_slot_and_each_read() {
    let mut s = open("thread-local", 1);
    press(&mut s, KeyCode::Char('m'));
    press(&mut s, KeyCode::Char('m')); // virtual
    press(&mut s, KeyCode::Char('r'));
    assert!(s.settle(Duration::from_secs(30)));
    let text = screen(&mut s.app, 120, 40);
    assert!(text.contains("Each thread's slot"), "{text}");
    for i in 1..=3 {
        let row = text
            .lines()
            .find(|l| l.starts_with(&format!("│T{i} ")))
            .unwrap_or_else(|| panic!("T{i}'s row: {text}"));
        assert_eq!(row.matches(&format!("/page{i}")).count(), 3, "{row}");
        assert!(row.contains("✓ own"), "{row}");
    }
    press(&mut s, KeyCode::Char('v'));
    press(&mut s, KeyCode::Char('r'));
    assert!(s.settle(Duration::from_secs(30)));
    let text = screen(&mut s.app, 120, 40);
    assert!(text.contains("One global for everybody"), "{text}");
    assert!(text.contains("last written by T"), "{text}");
    assert_eq!(text.matches("✗ wrong").count(), 2, "{text}");
    assert!(text.contains("1 read their own url, 2 another's"), "{text}");
}
