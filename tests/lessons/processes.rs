//! processes: what each variant prints, exactly, over many seeds (the lines python3 prints for
//! src/lessons/processes/demo.py); a process start costs its measured time on the virtual
//! clock and a thread start nothing; commands run for real, the same way for a seed; live
//! runs leave no child behind, a cancelled command included; the panel puts the twins side
//! by side.

use crate::support::lesson;
use crate::support::screen::{open, press, screen};
use lockstep::engine::process::costs;
use lockstep::engine::trace::Trace;
use lockstep::engine::{Config, Event, Mode, Run, What, run_command};
use lockstep::lessons;
use lockstep::params::Params;
use lockstep::runner::{self, Replayed, VariantResult};
use ratatui::crossterm::event::KeyCode;
use std::time::{Duration, Instant};

const SETTLE: Duration = Duration::from_secs(60);

fn params(overrides: &[(&str, &str)]) -> Params {
    lesson::params("processes", overrides)
}

fn run(variant: &str, p: &Params, mode: Mode, seed: u64) -> Replayed {
    let cfg = Config {
        mode,
        scale: 1.0,
        seed,
    };
    let code = lessons::find("processes").unwrap();
    runner::replay_variant(code, variant, p, cfg, Vec::new())
}

fn lines(r: &VariantResult) -> Vec<String> {
    r.report.printed.iter().map(|p| p.text.clone()).collect()
}

/// The child processes of a run: (name, exit code), in the order they started.
fn exits(events: &[Event]) -> Vec<(String, Option<i32>)> {
    Trace::from_events(events)
        .processes
        .iter()
        .map(|p| (p.name.clone(), p.exit))
        .collect()
}

fn ms(ns: u64) -> f64 {
    ns as f64 / 1e6
}

/// python3 demo.py global-thread / global-process: the child prints its own n = 0; main
/// prints 0 after a thread, 100 after a process. Over 200 seeds, and live.
#[test]
fn a_thread_writes_mains_n_a_process_writes_its_own() {
    let p = params(&[]);
    for seed in 0..200 {
        let r = run("global-thread", &p, Mode::Virtual, seed).result;
        assert!(r.ok, "{:?}", r.checks);
        assert_eq!(lines(&r), ["child: n = 0", "main: n = 0"]);
        assert_eq!(r.outcome["n"], 0);
        let r = run("global-process", &p, Mode::Virtual, seed);
        assert!(r.result.ok, "{:?}", r.result.checks);
        assert_eq!(lines(&r.result), ["child: n = 0", "main: n = 100"]);
        assert_eq!(r.result.outcome["n"], 100);
        assert_eq!(r.result.outcome["child_n"], 0);
        assert_eq!(exits(&r.events), [("child".to_string(), Some(0))]);
    }
    lesson::use_the_lockstep_binary();
    let r = run("global-process", &p, Mode::Live, 1);
    assert!(r.result.ok, "{:?}", r.result.checks);
    assert_eq!(lines(&r.result), ["child: n = 0", "main: n = 100"]);
    let t = Trace::from_events(&r.events);
    let child = t.processes[0].os_pid.expect("a real process");
    assert_ne!(child, std::process::id());
    assert_none_left(&r.events);
}

/// On the virtual clock a thread starts for nothing, and a process costs the parent its
/// launch and itself its start-up: 7 processes started, then joined, take 7 launches and one
/// start-up.
#[test]
fn a_process_start_costs_its_measured_time_on_the_virtual_clock() {
    let c = costs();
    for count in [1, 7, 100] {
        let p = params(&[("count", &count.to_string())]);
        let r = run("start-threads", &p, Mode::Virtual, 3).result;
        assert!(r.ok, "{:?}", r.checks);
        assert_eq!(r.elapsed_ms, 0.0);
        assert_eq!(r.outcome["started"], count);
        let r = run("start-processes", &p, Mode::Virtual, 3);
        assert!(r.result.ok, "{:?}", r.result.checks);
        let want = count as f64 * ms(c.launch_ns) + ms(c.boot_ns);
        assert!(
            (r.result.elapsed_ms - want).abs() < 1e-9,
            "{count}: {}",
            r.result.elapsed_ms
        );
        assert_eq!(r.result.outcome["started"], count);
        let e = exits(&r.events);
        assert_eq!(e.len(), count);
        assert!(e.iter().all(|(_, code)| *code == Some(0)), "{e:?}");
    }
}

/// Live, both start for real, and a process takes longer than a thread to start and join.
#[test]
fn live_a_process_start_costs_more_than_a_thread_start() {
    lesson::use_the_lockstep_binary();
    let p = params(&[("count", "20")]);
    let t = run("start-threads", &p, Mode::Live, 1).result;
    let r = run("start-processes", &p, Mode::Live, 1);
    assert!(t.ok && r.result.ok, "{:?} {:?}", t.checks, r.result.checks);
    let per = |r: &VariantResult| r.outcome["per_start_us"].as_f64().unwrap();
    assert!(
        per(&r.result) > per(&t),
        "{} vs {}",
        per(&r.result),
        per(&t)
    );
    let pids: Vec<u32> = Trace::from_events(&r.events)
        .processes
        .iter()
        .map(|p| p.os_pid.unwrap())
        .collect();
    assert_eq!(pids.len(), 20);
    assert_none_left(&r.events);
}

/// python3 demo.py command: sort sorts the four words it is fed, wc -l counts them, sh exits
/// with 3. Each is a process of the run with its exit code; the same seed gives the same log;
/// on the virtual clock each costs a process start.
#[test]
fn commands_run_for_real_and_the_same_way_for_a_seed() {
    let p = params(&[]);
    let c = costs();
    let want = [
        "sort: apple banana fig pear",
        "wc -l: 4",
        "sh exited with 3",
    ];
    let mut logs = Vec::new();
    for seed in [5, 5, 6] {
        let r = run("command", &p, Mode::Virtual, seed);
        assert!(r.result.ok, "{:?}", r.result.checks);
        assert_eq!(lines(&r.result), want);
        assert_eq!(
            exits(&r.events),
            [
                ("sort".to_string(), Some(0)),
                ("wc".to_string(), Some(0)),
                ("sh".to_string(), Some(3))
            ]
        );
        let each = ms(c.launch_ns) + ms(c.boot_ns);
        assert!((r.result.elapsed_ms - 3.0 * each).abs() < 1e-9);
        let log: Vec<String> = r.events.iter().map(|e| format!("{e:?}")).collect();
        logs.push(log);
    }
    assert_eq!(logs[0], logs[1], "the same seed, the same log");
    lesson::use_the_lockstep_binary();
    let r = run("command", &p, Mode::Live, 1);
    assert!(r.result.ok, "{:?}", r.result.checks);
    assert_eq!(lines(&r.result), want);
    let t = Trace::from_events(&r.events);
    assert!(t.processes.iter().all(|p| p.os_pid.is_some()));
    assert_eq!(t.processes[2].exit, Some(3));
}

/// A command still running when its run is cancelled is killed and reaped: nothing is left.
#[test]
fn a_cancelled_command_is_killed() {
    let cfg = Config {
        mode: Mode::Live,
        scale: 1.0,
        seed: 1,
    };
    let run = Run::start(cfg, || {
        run_command(std::process::Command::new("sleep").arg("30"), None);
    });
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut os_pid = None;
    while os_pid.is_none() && Instant::now() < deadline {
        if let Ok(e) = run.events().recv_timeout(Duration::from_millis(100))
            && let What::ProcessNew {
                os_pid: Some(p), ..
            } = e.what
        {
            os_pid = Some(p);
        }
    }
    let os_pid = os_pid.expect("sleep started");
    assert!(std::path::Path::new(&format!("/proc/{os_pid}")).exists());
    let t0 = Instant::now();
    run.cancel();
    let report = run.wait();
    assert!(report.cancelled);
    assert!(t0.elapsed() < Duration::from_secs(5));
    assert!(
        !std::path::Path::new(&format!("/proc/{os_pid}")).exists(),
        "sleep ({os_pid}) is still there"
    );
}

/// A command that does not exist raises in the caller, in one line, as Python's
/// FileNotFoundError does.
#[test]
fn a_missing_command_raises() {
    for mode in [Mode::Virtual, Mode::Live] {
        let cfg = Config {
            mode,
            scale: 1.0,
            seed: 1,
        };
        let run = Run::start(cfg, || {
            run_command(
                &mut std::process::Command::new("no-such-command-here"),
                None,
            );
        });
        let report = run.wait();
        assert_eq!(report.raised.len(), 1, "{mode:?}: {:?}", report.raised);
        assert!(
            report.raised[0].contains("cannot run no-such-command-here"),
            "{:?}",
            report.raised
        );
    }
}

/// The workers' counts add up to the primes below the limit, whatever the split, in threads
/// and in processes. On the virtual clock the threads take the longest slice's time: more
/// workers, less time.
#[test]
fn the_cpu_job_counts_every_prime_and_splits_its_time() {
    for numbers in [1000u64, 7919, 20_000] {
        let alone = run(
            "cpu-threads",
            &params(&[("numbers", &numbers.to_string()), ("workers", "1")]),
            Mode::Virtual,
            1,
        )
        .result;
        assert!(alone.ok, "{:?}", alone.checks);
        for workers in 1..=5u64 {
            let p = params(&[
                ("numbers", &numbers.to_string()),
                ("workers", &workers.to_string()),
            ]);
            for v in ["cpu-threads", "cpu-processes"] {
                let r = run(v, &p, Mode::Virtual, workers).result;
                assert!(r.ok, "{v} {numbers}/{workers}: {:?}", r.checks);
                assert_eq!(r.outcome["primes"], alone.outcome["primes"]);
            }
            let r = run("cpu-threads", &p, Mode::Virtual, 2).result;
            let longest = (0..workers)
                .map(|i| numbers * (i + 1) / workers - numbers * i / workers)
                .max()
                .unwrap();
            let want = alone.elapsed_ms * longest as f64 / numbers as f64;
            assert!(
                (r.elapsed_ms - want).abs() < 1e-6,
                "{} vs {want}",
                r.elapsed_ms
            );
        }
    }
    assert_eq!(
        run(
            "cpu-threads",
            &params(&[("numbers", "1000")]),
            Mode::Virtual,
            1
        )
        .result
        .outcome["primes"],
        168
    );
}

/// Live, the processes really compute: each worker is a process of its own, and the counts
/// come back through the queue.
#[test]
fn live_cpu_processes_count_in_child_processes() {
    lesson::use_the_lockstep_binary();
    let p = params(&[("numbers", "50000"), ("workers", "3")]);
    let r = run("cpu-processes", &p, Mode::Live, 1);
    assert!(r.result.ok, "{:?}", r.result.checks);
    assert_eq!(r.result.outcome["primes"], 5133);
    let e = exits(&r.events);
    let names: Vec<&str> = e.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["W1", "W2", "W3"]);
    assert_none_left(&r.events);
}

fn assert_none_left(events: &[Event]) {
    let left = crate::support::children();
    for p in &Trace::from_events(events).processes {
        let os_pid = p.os_pid.expect("a real process");
        assert!(
            !left.contains(&os_pid),
            "{} ({os_pid}) is still there",
            p.name
        );
    }
}

// ---- the screen ----

/// The lesson with variant number `v` chosen (0: global-thread), in virtual mode.
fn at_variant(v: usize) -> lockstep::tui::Session {
    let mut s = open("processes", 1);
    press(&mut s, KeyCode::Char('m'));
    press(&mut s, KeyCode::Char('m'));
    for _ in 0..v {
        press(&mut s, KeyCode::Char('v'));
    }
    s
}

fn run_it(s: &mut lockstep::tui::Session) {
    press(s, KeyCode::Char('r'));
    assert!(s.settle(SETTLE));
}

/// The panel of the screen at `w`x`h`.
fn panel(s: &mut lockstep::tui::Session, w: u16, h: u16) -> String {
    let full = screen(&mut s.app, w, h);
    let area = s.app.panel_area();
    full.lines()
        .skip(area.y as usize)
        .take(area.height as usize)
        .map(|l| {
            let cells: String = l
                .chars()
                .skip(area.x as usize)
                .take(area.width as usize)
                .collect();
            format!("{}\n", cells.trim_matches(|c| c == '│' || c == ' '))
        })
        .collect()
}

/// Both starts side by side, each with its time per start, and how many times longer the
/// processes take; in Chinese too.
#[test]
fn the_panel_puts_thread_and_process_starts_side_by_side() {
    let mut s = at_variant(2);
    let before = panel(&mut s, 120, 40);
    assert_eq!(before.matches("not run yet").count(), 2, "{before}");
    run_it(&mut s);
    press(&mut s, KeyCode::Char('v'));
    run_it(&mut s);
    for (w, h) in [(120, 40), (80, 24)] {
        let shown = panel(&mut s, w, h);
        assert!(shown.contains("threads"), "{shown}");
        assert!(shown.contains("processes"), "{shown}");
        assert_eq!(shown.matches(" each").count(), 2, "{shown}");
        // A thread start costs nothing on the virtual clock: no ratio, and the panel says why.
        assert!(!shown.contains("processes take"), "{shown}");
        if h == 40 {
            assert!(shown.contains("virtual runs"), "{shown}");
        }
    }
    press(&mut s, KeyCode::Char('L'));
    let shown = panel(&mut s, 120, 40);
    assert!(shown.contains("虚拟运行"), "{shown}");
    assert_eq!(shown.matches("每个").count(), 2, "{shown}");
}

/// Live, the panel says how many times as long the processes took.
#[test]
fn live_the_panel_says_how_much_longer_processes_take() {
    lesson::use_the_lockstep_binary();
    let mut s = open("processes", 1);
    for _ in 0..2 {
        press(&mut s, KeyCode::Char('v'));
    }
    run_it(&mut s);
    press(&mut s, KeyCode::Char('v'));
    run_it(&mut s);
    let shown = panel(&mut s, 120, 40);
    assert!(shown.contains("processes take"), "{shown}");
    assert!(shown.contains("live runs"), "{shown}");
}

/// After a thread and a process set n: main's n is 0 beside the thread, 100 beside the process.
#[test]
fn the_panel_shows_mains_n_after_a_thread_and_after_a_process() {
    let mut s = at_variant(0);
    run_it(&mut s);
    press(&mut s, KeyCode::Char('v'));
    run_it(&mut s);
    let shown = panel(&mut s, 120, 40);
    let rows: Vec<&str> = shown.lines().filter(|l| l.contains("main n =")).collect();
    assert_eq!(rows.len(), 2, "{shown}");
    assert!(
        rows[0].starts_with("thread") && rows[0].ends_with("main n = 0"),
        "{shown}"
    );
    assert!(
        rows[1].starts_with("process") && rows[1].ends_with("main n = 100"),
        "{shown}"
    );
}

/// The commands' panel lists each command with its exit code and what was printed.
#[test]
fn the_panel_lists_the_commands_and_their_exit_codes() {
    let mut s = at_variant(4);
    run_it(&mut s);
    for (w, h) in [(120, 40), (80, 24)] {
        let shown = panel(&mut s, w, h);
        for l in ["sort exited with 0", "wc exited with 0", "sh exited with 3"] {
            assert!(shown.contains(l), "{w}x{h}: {shown}");
        }
        if h == 40 {
            assert!(shown.contains("sort: apple banana fig pear"), "{shown}");
        }
    }
}
