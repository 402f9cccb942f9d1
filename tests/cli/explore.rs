//! `lockstep explore`: every schedule of a small variant, counted; and `run --trace`.

use lockstep::content;
use lockstep::engine::Tid;
use lockstep::explore::{self, Coverage, Exploration, Spec};
use lockstep::lessons;
use lockstep::params::Params;
use lockstep::schedule::Schedule;
use std::process::Command;
use std::time::Duration;

fn spec(lesson: &str, variant: &str, threads: u32) -> Spec {
    let texts = content::load(None).unwrap();
    let text = texts.iter().find(|l| l.id == lesson).unwrap();
    let mut params = Params::defaults(&text.id, &text.params);
    params.set("threads", threads as f64).unwrap();
    Spec {
        lesson: lessons::find(lesson).unwrap(),
        variant: variant.into(),
        params,
        scale: 1.0,
        seed: 1,
        max_runs: 50_000,
        samples: 40,
        time_limit: Duration::from_secs(600),
        reduce: true,
    }
}

fn counts(x: &Exploration) -> Vec<(String, usize)> {
    let mut c: Vec<(String, usize)> = x
        .endings
        .iter()
        .map(|e| (x.ending_text(e, lockstep::words::Lang::En), e.count))
        .collect();
    c.sort();
    c
}

/// Two threads each read n (2), sleep, and write back what they read minus one. What decides
/// the end is the order of the four accesses to n, R1 W1 R2 W2, each read before its own
/// write: 4!/(2·2) = 6 orders. R1 W1 R2 W2 and R2 W2 R1 W1 end n = 0; in the other four both
/// read 2 and n ends 1. Two reads next to each other commute (R1 R2 W1 W2 is R2 R1 W1 W2),
/// so those four are 2 schedules up to the order of independent steps: 2 end n = 0, 2 end
/// n = 1. The spawns, sleeps and joins around them change nothing.
#[test]
fn no_lock_with_two_threads_ends_n_0_in_2_schedules_and_n_1_in_2() {
    let x = explore::explore(&spec("lock-vs-join", "no-lock", 2), &mut |_, _| {}, &|| {
        false
    });
    assert_eq!(x.coverage, Coverage::Exhaustive);
    assert_eq!(x.counted, 4);
    assert_eq!(
        counts(&x),
        [("n = 0, lost 0".into(), 2), ("n = 1, lost 1".into(), 2)]
    );
}

/// With the lock, who takes it first (T1 or T2), and whether the other asks while it is held
/// (and waits) or after it is given back: 2 × 2 schedules, every one ending n = 0.
#[test]
fn lock_with_two_threads_always_ends_n_0_in_4_schedules() {
    let x = explore::explore(&spec("lock-vs-join", "lock", 2), &mut |_, _| {}, &|| false);
    assert_eq!(x.coverage, Coverage::Exhaustive);
    assert_eq!(counts(&x), [("n = 0, lost 0".into(), 4)]);
}

/// Each ending's shortest schedule, saved as a schedule file and replayed, ends that way.
#[test]
fn each_endings_shortest_schedule_replays_to_that_ending() {
    let texts = content::load(None).unwrap();
    let x = explore::explore(&spec("lock-vs-join", "no-lock", 2), &mut |_, _| {}, &|| {
        false
    });
    for (i, e) in x.endings.iter().enumerate() {
        let s = x.schedule(i).unwrap();
        let again = Schedule::parse("f", &s.to_json()).unwrap();
        assert_eq!(again.choices, s.choices);
        let r = again.replay(&texts).unwrap();
        assert_eq!(r.result.outcome, e.outcome, "ending {i}");
        assert_eq!(r.choices_made, e.shortest.len());
    }
    // The two endings differ in whether T2 reads before T1 writes.
    assert!(x.endings.iter().all(|e| e.shortest.contains(&Tid(2))));
}

/// Without the reduction every order of every step counts, many more schedules, the same
/// endings; past the bound of runs, a seeded sample, labelled as one.
#[test]
fn past_the_bound_a_seeded_sample_is_counted_and_labelled() {
    let mut s = spec("lock-vs-join", "no-lock", 2);
    s.max_runs = 10;
    let a = explore::explore(&s, &mut |_, _| {}, &|| false);
    assert_eq!(a.coverage, Coverage::Sampled);
    assert_eq!(a.counted, 40);
    let line = explore::output::coverage_line(&a, lockstep::words::Lang::En);
    assert!(
        line.starts_with("sampled, not exhaustive: 40 random schedules (seed 1)"),
        "{line}"
    );
    let b = explore::explore(&s, &mut |_, _| {}, &|| false);
    assert_eq!(counts(&a), counts(&b), "the same seed, the same sample");
    let zh = explore::output::coverage_line(&a, lockstep::words::Lang::Zh);
    assert!(zh.starts_with("抽样，并非穷举"), "{zh}");
}

#[test]
fn the_command_prints_json_text_and_markdown() {
    let bin = env!("CARGO_BIN_EXE_lockstep");
    let args = [
        "explore",
        "lock-vs-join",
        "--variant",
        "no-lock",
        "--param",
        "threads=2",
    ];
    let o = Command::new(bin)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["exhaustive"], true);
    assert_eq!(v["schedules"], 4);
    let endings = v["endings"].as_array().unwrap();
    let mut ns: Vec<(i64, i64)> = endings
        .iter()
        .map(|e| {
            (
                e["outcome"]["n"].as_i64().unwrap(),
                e["count"].as_i64().unwrap(),
            )
        })
        .collect();
    ns.sort();
    assert_eq!(ns, [(0, 2), (1, 2)]);
    assert!(endings[0]["shortest"][0]["name"].is_string());
    let o = Command::new(bin)
        .args(args)
        .args(["--format", "md"])
        .output()
        .unwrap();
    let md = String::from_utf8(o.stdout).unwrap();
    assert!(md.contains("| # | schedules | % | ending |"), "{md}");
    assert!(md.contains("| n = 1, lost 1 |"), "{md}");
    let o = Command::new(bin)
        .args(args)
        .args(["--lang", "zh"])
        .output()
        .unwrap();
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("穷举：4 种调度"), "{text}");
}

#[test]
fn saved_schedules_replay_and_are_never_written_over() {
    let dir = std::env::temp_dir().join(format!("lockstep-explore-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let stem = dir.join("ending");
    let bin = env!("CARGO_BIN_EXE_lockstep");
    let args = [
        "explore",
        "lock-vs-join",
        "--variant",
        "no-lock",
        "--param",
        "threads=2",
    ];
    let o = Command::new(bin)
        .args(args)
        .args(["--save", stem.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for i in 1..=2 {
        let f = dir.join(format!("ending-{i}.json"));
        let o = Command::new(bin)
            .args(["run", "--schedule", f.to_str().unwrap(), "--format", "json"])
            .output()
            .unwrap();
        // n = 0 fails the variant's check that updates are lost: status 1, not 2.
        assert!(
            o.status.code().unwrap() < 2,
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert!(v["variants"][0]["outcome"]["n"].is_i64());
    }
    let o = Command::new(bin)
        .args(args)
        .args(["--save", stem.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("never replaces a file"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn run_trace_writes_a_chrome_trace_once_and_refuses_to_write_over_it() {
    let dir = std::env::temp_dir().join(format!("lockstep-trace-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("t.json");
    let bin = env!("CARGO_BIN_EXE_lockstep");
    let args = [
        "run",
        "lock-vs-join",
        "--mode",
        "virtual",
        "--seed",
        "2",
        "--param",
        "threads=3",
        "--trace",
        f.to_str().unwrap(),
    ];
    let o = Command::new(bin).args(args).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
    let procs: Vec<&str> = v["traceEvents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["name"] == "process_name")
        .map(|e| e["args"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        procs,
        [
            "no-lock: main process",
            "lock: main process",
            "join: main process"
        ]
    );
    let before = std::fs::read(&f).unwrap();
    let o = Command::new(bin).args(args).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("exists: give --force"));
    assert_eq!(std::fs::read(&f).unwrap(), before);
    let o = Command::new(bin)
        .args(args)
        .arg("--force")
        .output()
        .unwrap();
    assert!(o.status.success());
    let _ = std::fs::remove_dir_all(&dir);
}
