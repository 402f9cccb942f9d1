//! A data file: read and written whole by threads and processes, each read and write an event
//! with the text; live a real file in the run's own directory, gone with the run; in virtual
//! mode the same demo, deterministic.

use lockstep::engine::process::selftest;
use lockstep::engine::trace::Trace;
use lockstep::engine::{Config, DataFile, Event, Mode, Run, secs, sleep, spawn, spawn_process};
use std::path::PathBuf;

fn log(events: &[Event]) -> Vec<String> {
    lockstep::schedule::log_lines(events, lockstep::words::Lang::En)
}

/// A child process appends "b;", then a thread "c;", to a file made with "a;". What the file
/// holds on disk at the end (live), its path, and what a read gives.
fn append_demo() -> (PathBuf, Option<String>, String) {
    let f = DataFile::create("notes.txt", "a;");
    spawn_process("p", selftest::append, (f.clone(), "b;".to_string())).join();
    let g = f.clone();
    let _ = spawn("t", move || {
        let text = g.read();
        g.write(&format!("{text}c;"));
    })
    .join();
    let on_disk = std::fs::read_to_string(f.path()).ok();
    (f.path().to_path_buf(), on_disk, f.read())
}

fn reads_and_writes(events: &[Event]) -> Vec<String> {
    log(events)
        .into_iter()
        .filter(|l| l.contains("notes.txt"))
        // "   5.00 ms p reads …": the time goes.
        .map(|l| l.split_whitespace().skip(2).collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn live_the_file_is_real_shared_by_a_child_and_gone_with_the_run() {
    // SAFETY: every test that reads it sets the same value.
    unsafe { std::env::set_var("LOCKSTEP_EXE", env!("CARGO_BIN_EXE_lockstep")) };
    let cfg = Config {
        mode: Mode::Live,
        scale: 0.01,
        seed: 1,
    };
    let (r, events) = Run::run_to_end(cfg, append_demo);
    let (path, on_disk, read) = r.outcome.expect("the demo returns");
    assert_eq!(on_disk.as_deref(), Some("a;b;c;"), "{:#?}", log(&events));
    assert_eq!(read, "a;b;c;");
    // In a fresh directory of the run's own, where runs make them.
    let dir = path.parent().unwrap();
    assert!(
        dir.starts_with(lockstep::engine::child::run_dirs()),
        "{}",
        path.display()
    );
    assert!(
        dir.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("lockstep-"),
        "{}",
        path.display()
    );
    // The run is over and dropped: its directory is gone, the file with it.
    assert!(!path.exists(), "{} is left", path.display());
    assert!(!dir.exists(), "{} is left", dir.display());
    // Every read and write an event with its text, the child's among them.
    let rw = reads_and_writes(&events);
    assert!(
        rw.contains(&"p reads notes.txt = a;".to_string()),
        "{rw:#?}"
    );
    assert!(
        rw.contains(&"p writes notes.txt = a;b;".to_string()),
        "{rw:#?}"
    );
    assert!(
        rw.contains(&"t writes notes.txt = a;b;c;".to_string()),
        "{rw:#?}"
    );
    let t = Trace::from_events(&events);
    let file = t.resources.iter().find(|r| r.name == "notes.txt").unwrap();
    assert_eq!(file.value.as_deref(), Some("a;b;c;"));
    assert_eq!((file.reads, file.writes, file.lost_updates), (3, 2, 0));
}

#[test]
fn virtually_the_same_demo_is_deterministic_and_touches_no_disk() {
    let cfg = |seed| Config {
        mode: Mode::Virtual,
        scale: 1.0,
        seed,
    };
    for seed in 0..20 {
        let (r, events) = Run::run_to_end(cfg(seed), append_demo);
        let (path, on_disk, read) = r.outcome.unwrap();
        assert_eq!(read, "a;b;c;");
        assert_eq!(path, PathBuf::from("notes.txt"));
        assert_eq!(on_disk, None, "nothing on disk");
        let (_, again) = Run::run_to_end(cfg(seed), append_demo);
        assert_eq!(log(&events), log(&again), "seed {seed}");
        assert_eq!(
            reads_and_writes(&events),
            [
                "main creates notes.txt = a;",
                "p reads notes.txt = a;",
                "p writes notes.txt = a;b;",
                "t reads notes.txt = a;b;",
                "t writes notes.txt = a;b;c;",
                "main reads notes.txt = a;b;c;",
            ]
        );
    }
}

/// Two threads read, wait, and write back what they read plus one: without a lock the second
/// write is built on a stale read, and the file counts it as a lost update.
#[test]
fn a_write_from_a_stale_read_is_a_lost_update() {
    let demo = || {
        let f = DataFile::create("n.json", "0");
        let ts: Vec<_> = ["x", "y"]
            .into_iter()
            .map(|name| {
                let f = f.clone();
                spawn(name, move || {
                    let n: i64 = f.load();
                    sleep(secs(0.1));
                    f.dump(&(n + 1));
                })
            })
            .collect();
        for t in ts {
            let _ = t.join();
        }
        f.read()
    };
    for seed in 0..20 {
        let cfg = Config {
            mode: Mode::Virtual,
            scale: 1.0,
            seed,
        };
        let (r, events) = Run::run_to_end(cfg, demo);
        assert_eq!(r.outcome.as_deref(), Some("1"));
        assert_eq!(r.report.lost("n.json"), 1, "{:#?}", log(&events));
    }
}
