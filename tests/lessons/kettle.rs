//! kettle: every variant's expectations, in virtual mode over many seeds and live, checks that
//! catch a broken story, and the quadrant panel as a learner sees it.

use crate::support::lesson;
use crate::support::screen as support;
use lockstep::engine::{Config, Mode};
use lockstep::lessons;
use lockstep::params::Params;
use lockstep::runner::VariantResult;
use lockstep::tui::Session;
use ratatui::crossterm::event::KeyCode;
use ratatui::text::Span;
use std::collections::BTreeSet;
use std::time::Duration;
use support::{open, press, screen};

const VARIANTS: [&str; 4] = [
    "sync-blocking",
    "sync-nonblocking",
    "async-blocking",
    "async-nonblocking",
];

fn params(overrides: &[(&str, &str)]) -> Params {
    lesson::params("kettle", overrides)
}

fn run(variant: &str, p: &Params, mode: Mode, scale: f64, seed: u64) -> VariantResult {
    lesson::run("kettle", variant, p, mode, scale, seed)
}

fn virt(variant: &str, p: &Params, seed: u64) -> VariantResult {
    run(variant, p, Mode::Virtual, 1.0, seed)
}

/// (tv_ms, trips, latency_ms, calls_answered, calls_missed)
fn metrics(r: &VariantResult) -> (i64, i64, i64, i64, i64) {
    let o = |k: &str| {
        r.outcome[k]
            .as_i64()
            .unwrap_or_else(|| panic!("{k} in {:?}", r.outcome))
    };
    (
        o("tv_ms"),
        o("trips"),
        o("latency_ms"),
        o("calls_answered"),
        o("calls_missed"),
    )
}

#[test]
fn virtual_defaults_tell_the_four_stories() {
    // B = 3 s, P = 0.7 s; the wife calls at 0.85 s and 2.05 s and waits 0.35 s each time.
    let p = params(&[]);
    for seed in [1, 2, 3] {
        let staring = virt("sync-blocking", &p, seed);
        let (tv, trips, latency, answered, missed) = metrics(&staring);
        assert_eq!(
            (tv, trips, answered, missed),
            (0, 0, 0, 2),
            "no TV, calls missed"
        );
        assert!(latency <= 50, "seen within a glance: {latency} ms");

        let polling = virt("sync-nonblocking", &p, seed);
        // Trips at 0.7, 1.4, 2.1, 2.8 find it cold; the one at 3.5 s is 0.5 s late.
        assert_eq!(metrics(&polling), (3500, 5, 500, 3, 0));
        // He pours at 3.5 s; the wife's third call (3.25 s) ends at 3.6 s.
        assert!(
            (polling.elapsed_ms - 3600.0).abs() <= 1.0,
            "{}",
            polling.elapsed_ms
        );

        let waiting = virt("async-blocking", &p, seed);
        assert_eq!(metrics(&waiting), (0, 0, 0, 0, 2));
        assert!(
            (waiting.elapsed_ms - 3000.0).abs() <= 1.0,
            "{}",
            waiting.elapsed_ms
        );

        let listening = virt("async-nonblocking", &p, seed);
        assert_eq!(metrics(&listening), (3000, 1, 0, 2, 0));

        for r in [&staring, &polling, &waiting, &listening] {
            assert!(r.ok, "{} seed {seed}: {:?}", r.id, r.checks);
            assert!(r.deadlock.is_none());
        }
    }
}

#[test]
fn every_variant_passes_its_checks_over_200_seeds() {
    // A short boil with one call before it, and a poll that lands on the boil itself (1.5 s):
    // the seed decides whether that trip sees the water boiled or has to come back.
    let p = params(&[("boil", "1.5"), ("poll", "0.5")]);
    let quiet = params(&[("boil", "1.5"), ("poll", "0.5"), ("calls", "0")]);
    let mut polling_trips = BTreeSet::new();
    for seed in 0..200 {
        for v in VARIANTS {
            let r = virt(v, &p, seed);
            assert!(r.ok, "{v} seed {seed}: {:?}", r.checks);
            let (_, trips, _, answered, missed) = metrics(&r);
            assert_eq!(answered + missed, 1, "{v} seed {seed}: one call");
            if v == "sync-nonblocking" {
                polling_trips.insert(trips);
            }
            let r = virt(v, &quiet, seed);
            assert!(r.ok, "{v} seed {seed} without calls: {:?}", r.checks);
            let (_, _, _, answered, missed) = metrics(&r);
            assert_eq!((answered, missed), (0, 0), "{v}: nobody calls");
        }
    }
    assert_eq!(
        polling_trips,
        [3, 4].into(),
        "both orders of the tie happen"
    );
}

#[test]
fn a_shorter_poll_trades_latency_for_trips() {
    // 2.95 s of boil: no trip lands on the boil itself.
    let mut seen = Vec::new();
    for poll in ["0.1", "0.7", "2"] {
        let p = params(&[("boil", "2.95"), ("poll", poll)]);
        let r = virt("sync-nonblocking", &p, 7);
        assert!(r.ok, "poll {poll}: {:?}", r.checks);
        let (_, trips, latency, _, missed) = metrics(&r);
        assert_eq!(missed, 0);
        seen.push((trips, latency));
    }
    assert_eq!(seen, [(30, 50), (5, 550), (2, 1050)]);
}

#[test]
fn without_calls_there_is_no_wife() {
    let p = params(&[("calls", "0")]);
    let lesson = lessons::find("kettle").unwrap();
    for v in VARIANTS {
        let cfg = Config {
            mode: Mode::Virtual,
            scale: 1.0,
            seed: 3,
        };
        let r = lockstep::runner::replay_variant(lesson, v, &p, cfg, Vec::new());
        let trace = lockstep::engine::trace::Trace::from_events(&r.events);
        let names: Vec<&str> = trace.threads.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["main", "Zhang", "kettle"], "{v}");
        let out = r.result.outcome;
        assert_eq!(
            (out["calls_answered"].as_i64(), out["calls_missed"].as_i64()),
            (Some(0), Some(0))
        );
    }
}

#[test]
fn the_checks_catch_a_zhang_who_breaks_the_story() {
    let p = params(&[]);
    let lesson = lessons::find("kettle").unwrap();
    let failing = |variant: &str, key: &str, value: i64| -> Vec<String> {
        let r = virt(variant, &p, 1);
        let mut outcome = r.outcome.clone();
        outcome.insert(key.into(), value.into());
        lesson
            .checks(variant, &p, &outcome, &r.report)
            .into_iter()
            .filter(|c| !c.ok)
            .map(|c| c.name.en)
            .collect()
    };
    // Each wrong number breaks exactly the expectation it contradicts.
    for (variant, key, value, broken) in [
        (
            "sync-blocking",
            "tv_ms",
            100,
            "no TV while he waits at the stove",
        ),
        (
            "async-blocking",
            "calls_missed",
            0,
            "a Zhang at the stove misses calls",
        ),
        (
            "async-blocking",
            "latency_ms",
            200,
            "the tea is poured as soon as it boils",
        ),
        (
            "sync-nonblocking",
            "latency_ms",
            800,
            "the water waits at most one poll",
        ),
        (
            "sync-nonblocking",
            "trips",
            7,
            "about one trip per poll while it boils",
        ),
        (
            "async-nonblocking",
            "trips",
            2,
            "one trip, when it whistles",
        ),
        (
            "async-nonblocking",
            "calls_missed",
            1,
            "every call is answered",
        ),
        (
            "async-nonblocking",
            "tv_ms",
            1000,
            "TV all the while the water boils",
        ),
    ] {
        assert_eq!(
            failing(variant, key, value),
            [broken],
            "{variant}: {key} = {value}"
        );
    }
}

// ---- the panel ----

const SETTLE: Duration = Duration::from_secs(30);

fn session() -> Session {
    open("kettle", 7)
}

/// `m` until the header says `mode`.
fn set_mode(s: &mut Session, mode: &str) {
    for _ in 0..3 {
        if screen(&mut s.app, 120, 40).contains(&format!("mode {mode} ")) {
            return;
        }
        press(s, KeyCode::Char('m'));
    }
    panic!("mode {mode} never came up");
}

/// All four variants run in virtual mode, in quadrant order.
fn all_four_virtual() -> Session {
    let mut s = session();
    set_mode(&mut s, "virtual");
    for _ in VARIANTS {
        press(&mut s, KeyCode::Enter);
        assert!(s.settle(SETTLE));
        press(&mut s, KeyCode::Char('v'));
    }
    s
}

#[test]
fn the_quadrant_names_its_axes_and_shows_each_zhangs_results() {
    let mut s = session();
    let before = screen(&mut s.app, 120, 40);
    assert!(
        before.contains("Zhang blocks") && before.contains("Zhang is free"),
        "{before}"
    );
    assert!(
        before.contains("Stare at the plain"),
        "not run yet: the title: {before}"
    );
    assert!(
        before.contains("=[___]="),
        "the kettles are drawn: {before}"
    );

    let mut s = all_four_virtual();
    let wide = screen(&mut s.app, 120, 40);
    for cell in [
        "TV 0.0s  late 0.00s", // sync-blocking (seed 7 looks the moment it boils)
        "0 trips  calls 0/2",
        "TV 3.5s  late 0.50s", // polling: half a second late
        "5 trips  calls 3/3",
        "TV 3.0s  late 0.00s", // the whistle, from the sofa
        "1 trip  calls 2/2",
    ] {
        assert!(wide.contains(cell), "{cell}:\n{wide}");
    }
    assert!(wide.contains("1 sync-blocking ✓"), "{wide}");
    // At 80x24 the pictures go and the words stay.
    let small = screen(&mut s.app, 80, 24);
    assert!(!small.contains("=[___]="), "{small}");
    for cell in [
        "4 async-nonblocking",
        "TV 3.5s late 0.50s",
        "1 trip calls 2/2",
    ] {
        assert!(small.contains(cell), "{cell}:\n{small}");
    }
    for line in small.lines() {
        assert!(Span::raw(line).width() <= 80, "{line}");
    }
}

/// After the four virtual runs, async-blocking in step mode until the wife calls: Zhang
/// stands at the stove waiting for the whistle and does not hear her.
fn wife_calls_mid_run() -> Session {
    let mut s = all_four_virtual();
    // The fourth `v` came back round to sync-blocking; two more reach async-blocking.
    press(&mut s, KeyCode::Char('v'));
    press(&mut s, KeyCode::Char('v'));
    press(&mut s, KeyCode::Char('n'));
    assert!(s.settle(SETTLE));
    for _ in 0..200 {
        if screen(&mut s.app, 120, 40).contains("wife calling!") {
            return s;
        }
        press(&mut s, KeyCode::Char('n'));
        assert!(s.settle(SETTLE));
    }
    panic!("the wife never called:\n{}", screen(&mut s.app, 120, 40));
}

#[test]
fn mid_run_the_cell_tells_what_zhang_is_doing() {
    let mut s = wife_calls_mid_run();
    let wide = screen(&mut s.app, 120, 40);
    assert!(wide.contains("Timeline: async-blocking (step)"), "{wide}");
    assert!(wide.contains("waiting at the stove"), "{wide}");
    insta::assert_snapshot!("kettle_mid_run_120x40", wide);
    let small = screen(&mut s.app, 80, 24);
    assert!(small.contains("wife calling!"), "{small}");
    insta::assert_snapshot!("kettle_mid_run_80x24", small);
}

#[test]
fn chinese_labels_fit_the_cells() {
    let mut s = all_four_virtual();
    press(&mut s, KeyCode::Char('L'));
    for (w, h) in [(120, 40), (80, 24)] {
        let text = screen(&mut s.app, w, h);
        assert!(
            text.contains("老张阻塞") && text.contains("老张不阻塞"),
            "{text}"
        );
        assert!(text.contains("跑5趟") && text.contains("应答3/3"), "{text}");
        for line in text.lines() {
            assert!(Span::raw(line).width() <= w as usize, "{line}");
        }
    }
}

#[test]
fn the_panel_fits_every_size_without_a_panic() {
    let mut s = wife_calls_mid_run();
    for (w, h) in [
        (80, 24),
        (81, 30),
        (100, 40),
        (109, 31),
        (110, 32),
        (120, 40),
        (200, 60),
    ] {
        let text = screen(&mut s.app, w, h);
        assert!(text.contains("wife calling!"), "{w}x{h}:\n{text}");
        for line in text.lines() {
            assert!(Span::raw(line).width() <= w as usize, "{w}x{h}: {line}");
        }
    }
}
