//! producer-consumer: every item eaten exactly once, the buffer within its capacity, the end
//! markers where they belong, one eater stuck when a marker is missing, daemon eaters cut
//! off after a joinable queue's join; over many seeds, live, and in the panel.

use crate::support::lesson;
use crate::support::screen as support;
use lockstep::engine::trace::Trace;
use lockstep::engine::{Event, Mode, ThreadState, What};
use lockstep::lessons;
use lockstep::params::Params;
use lockstep::runner::VariantResult;
use lockstep::tui::Session;
use ratatui::crossterm::event::KeyCode;
use std::collections::BTreeMap;
use std::time::Duration;
use support::{open, press, screen};

const VARIANTS: [&str; 5] = [
    "sentinel",
    "main-sentinel",
    "many",
    "too-few-sentinels",
    "joinable",
];

fn params(overrides: &[(&str, &str)]) -> Params {
    lesson::params("producer-consumer", overrides)
}

fn run(variant: &str, p: &Params, mode: Mode, scale: f64, seed: u64) -> VariantResult {
    lesson::run("producer-consumer", variant, p, mode, scale, seed)
}

fn events(variant: &str, p: &Params, seed: u64) -> (Vec<Event>, Trace) {
    let events = lesson::events("producer-consumer", variant, p, seed);
    let trace = Trace::from_events(&events);
    (events, trace)
}

/// How many times each item went onto the buffer and came off it.
fn puts_and_takes(events: &[Event]) -> (BTreeMap<String, usize>, BTreeMap<String, usize>) {
    let (mut puts, mut takes) = (BTreeMap::new(), BTreeMap::new());
    for e in events {
        match &e.what {
            What::Put { item, .. } => *puts.entry(item.clone()).or_default() += 1,
            What::Took { item, .. } => *takes.entry(item.clone()).or_default() += 1,
            _ => {}
        }
    }
    (puts, takes)
}

#[test]
fn at_the_defaults_every_item_is_eaten_once_within_capacity() {
    let p = params(&[]);
    for v in VARIANTS {
        let r = run(v, &p, Mode::Virtual, 1.0, 1);
        assert!(r.ok, "{v}: {:?}", r.checks);
        if v == "too-few-sentinels" {
            continue;
        }
        let made = if v.ends_with("sentinel") { 10 } else { 30 };
        assert_eq!(r.outcome["produced"], made, "{v}");
        assert_eq!(r.outcome["consumed"], made, "{v}");
        assert_eq!(r.outcome["duplicates"], 0, "{v}");
        assert_eq!(r.outcome["stuck_consumers"], 0, "{v}");
        let fill = r.outcome["max_fill"].as_u64().unwrap();
        assert!((1..=5).contains(&fill), "{v}: {fill}");
    }
}

#[test]
fn three_cooks_outpace_two_eaters_and_fill_the_buffer() {
    let (events, trace) = events("many", &params(&[]), 1);
    let buffer = trace.resources.iter().find(|r| r.name == "buffer").unwrap();
    assert_eq!(buffer.peak, 5, "the buffer fills to its capacity");
    // Cooks had to wait for room on the full buffer.
    let cooks_waited = events.iter().any(|e| {
        matches!(e.what, What::Blocked { .. }) && trace.thread_name(e.tid).starts_with("cook")
    });
    assert!(cooks_waited);
    // Each bun, bone and slop went on once and came off once; so did the two markers.
    let (puts, takes) = puts_and_takes(&events);
    assert_eq!(puts, takes);
    assert_eq!(puts.len(), 31, "{puts:?}"); // 30 foods and None
    assert_eq!(puts["None"], 2);
    assert!(puts.iter().all(|(k, &n)| n == 1 || k == "None"), "{puts:?}");
    assert!(puts.contains_key("Some(slop-10)"), "{puts:?}");
}

#[test]
fn the_cook_puts_the_marker_last_or_main_does() {
    for (v, by) in [("sentinel", "cook"), ("main-sentinel", "main")] {
        let (events, trace) = events(v, &params(&[]), 4);
        let puts: Vec<(String, String)> = events
            .iter()
            .filter_map(|e| match &e.what {
                What::Put { item, .. } => {
                    Some((trace.thread_name(e.tid).to_string(), item.clone()))
                }
                _ => None,
            })
            .collect();
        assert_eq!(puts.len(), 11, "{v}");
        assert_eq!(puts[10], (by.to_string(), "None".to_string()), "{v}");
        assert!(puts[..10].iter().all(|(who, _)| who == "cook"), "{v}");
        // The eater's last take is the marker; then it finishes.
        let last_take = events
            .iter()
            .rev()
            .find_map(|e| match &e.what {
                What::Took { item, .. } => Some(item.clone()),
                _ => None,
            })
            .unwrap();
        assert_eq!(last_take, "None", "{v}");
    }
}

#[test]
fn one_marker_short_leaves_one_eater_waiting_for_good() {
    for eaters in [1, 2, 4] {
        let p = params(&[("eaters", &eaters.to_string()), ("items", "3")]);
        let r = run("too-few-sentinels", &p, Mode::Virtual, 1.0, 9);
        assert!(r.ok, "{eaters} eaters: {:?}", r.checks);
        let d = r.deadlock.as_ref().expect("a stuck eater is reported");
        assert!(d.cycle.is_empty(), "no cycle: {d}");
        let stuck: Vec<&str> = d
            .stuck
            .iter()
            .filter(|l| l.waits_for == "buffer")
            .map(|l| l.thread.as_str())
            .collect();
        assert_eq!(stuck.len(), 1, "{d}");
        assert!(stuck[0].starts_with("eater-"), "{d}");
        assert!(
            d.stuck
                .iter()
                .any(|l| l.thread == "main" && l.waits_for == format!("{} to finish", stuck[0])),
            "{d}"
        );
    }
}

#[test]
fn daemon_eaters_are_cut_off_after_the_cooks_join() {
    let (events, trace) = events("joinable", &params(&[]), 3);
    assert!(trace.finished && trace.deadlock.is_none());
    let done = events
        .iter()
        .filter(|e| matches!(e.what, What::TaskDone { .. }))
        .count();
    assert_eq!(done, 30, "one task_done per item");
    let joins = events
        .iter()
        .filter(|e| matches!(e.what, What::AllDone { .. }))
        .count();
    assert_eq!(joins, 3, "each cook came back from join");
    for t in &trace.threads {
        let want = if t.name.starts_with("eater") {
            ThreadState::CutOff // a daemon still waiting for food when the program ends
        } else {
            ThreadState::Done
        };
        assert_eq!(t.state, want, "{}", t.name);
    }
}

#[test]
fn every_variant_passes_its_checks_over_many_seeds() {
    for capacity in ["0", "1", "3"] {
        let p = params(&[
            ("cooks", "2"),
            ("eaters", "2"),
            ("items", "3"),
            ("capacity", capacity),
        ]);
        for seed in 0..200 {
            for v in VARIANTS {
                let r = run(v, &p, Mode::Virtual, 1.0, seed);
                assert!(r.ok, "{v} seed {seed} capacity {capacity}: {:?}", r.checks);
            }
        }
    }
}

#[test]
fn a_buffer_never_holds_more_than_its_capacity() {
    for (capacity, seed) in [(1, 1), (2, 2), (4, 3)] {
        let p = params(&[
            ("capacity", &capacity.to_string()),
            ("make-min", "0.1"),
            ("make-max", "0.5"),
        ]);
        let (_, trace) = events("many", &p, seed);
        let buffer = trace.resources.iter().find(|r| r.name == "buffer").unwrap();
        assert_eq!(buffer.peak, capacity, "fast cooks fill it, and no further");
    }
    // No limit: fast cooks pile food up.
    let p = params(&[("capacity", "0"), ("make-max", "0.5"), ("make-min", "0.1")]);
    let r = run("many", &p, Mode::Virtual, 1.0, 5);
    assert!(r.ok, "{:?}", r.checks);
    assert!(
        r.outcome["max_fill"].as_u64().unwrap() > 10,
        "{:?}",
        r.outcome
    );
}

#[test]
fn the_checks_can_fail() {
    let lesson = lessons::find("producer-consumer").unwrap();
    // A run of `many` judged with other parameters: the counts no longer add up.
    let r = run("many", &params(&[]), Mode::Virtual, 1.0, 1);
    let other = params(&[("items", "11"), ("capacity", "2")]);
    let judged = lockstep::runner::rejudge(lesson, "many", &other, &r);
    let failed: Vec<&str> = judged
        .checks
        .iter()
        .filter(|c| !c.ok)
        .map(|c| c.name.en.as_str())
        .collect();
    assert!(
        failed.contains(&"every cook made all its items"),
        "{failed:?}"
    );
    assert!(
        failed.contains(&"the buffer never holds more than its capacity"),
        "{failed:?}"
    );
    // The full set of markers judged as the short one: no stuck eater, and that is wrong.
    let r = run("many", &params(&[]), Mode::Virtual, 1.0, 1);
    let judged = lockstep::runner::rejudge(lesson, "too-few-sentinels", &params(&[]), &r);
    assert!(!judged.ok);
}

#[test]
fn the_lesson_text_runs_each_variant_in_order_and_fits_a_panel() {
    // That every step fits a panel is checked for all lessons in tests/content.rs.
    let text = lesson::text("producer-consumer");
    assert_eq!(lesson::step_variants(&text), VARIANTS);
}

// ---- The panel ----

fn session() -> Session {
    open("producer-consumer", 7)
}

/// Open the step that runs `variant`.
fn to_step(s: &mut Session, variant: &str) {
    let at = VARIANTS.iter().position(|v| *v == variant).unwrap();
    for _ in 0..=at {
        press(s, KeyCode::Right);
    }
}

/// Step mode on `many`, moved until two thirds of the food is made and a cook waits for room
/// on the full buffer.
fn many_mid_run() -> Session {
    let mut s = session();
    to_step(&mut s, "many");
    press(&mut s, KeyCode::Char('n'));
    assert!(s.settle(Duration::from_secs(30)));
    for _ in 0..5000 {
        let full = s.app.trace().is_some_and(|t| {
            t.resources
                .first()
                .is_some_and(|b| b.puts >= 20 && !b.waiters.is_empty() && b.items.len() == 5)
        });
        if full {
            return s;
        }
        press(&mut s, KeyCode::Char('n'));
        assert!(s.settle(Duration::from_secs(30)));
    }
    panic!("the buffer never filled");
}

#[test]
fn the_panel_shows_the_fill_the_counts_and_who_waits() {
    let mut s = many_mid_run();
    let wide = screen(&mut s.app, 120, 40);
    assert!(
        wide.contains("buffer  5/5 now · peak 5 · capacity 5"),
        "{wide}"
    );
    assert!(wide.contains("/s (lesson time)"), "{wide}");
    assert!(wide.contains("█ busy: making/eating"), "{wide}");
    for name in ["cook-bun", "cook-bone", "cook-slop", "eater-1", "eater-2"] {
        assert!(wide.contains(name), "{wide}");
    }
    // A cook waiting for room is marked with the timeline's blocked glyph.
    assert!(wide.contains("▒ cook-"), "{wide}");
    insta::assert_snapshot!("producer_consumer_many_mid_run_120x40", wide);
    let small = screen(&mut s.app, 80, 24);
    assert!(small.contains("buffer 5/5 "), "{small}");
    assert!(small.contains("▒ cook-"), "{small}");
    insta::assert_snapshot!("producer_consumer_many_mid_run_80x24", small);
}

#[test]
fn the_stuck_eater_is_reported_and_r_resets() {
    let mut s = session();
    to_step(&mut s, "too-few-sentinels");
    press(&mut s, KeyCode::Char('m'));
    press(&mut s, KeyCode::Char('m')); // virtual
    press(&mut s, KeyCode::Enter);
    assert!(s.settle(Duration::from_secs(30)));
    let text = screen(&mut s.app, 80, 24);
    assert!(text.contains("STUCK"), "{text}");
    assert!(text.contains("waits for buffer"), "{text}");
    assert!(text.contains("None ×1"), "{text}");
    press(&mut s, KeyCode::Char('R'));
    assert!(s.app.trace().is_none());
    let text = screen(&mut s.app, 80, 24);
    assert!(!text.contains("STUCK:"), "{text}");
    // And it runs again.
    press(&mut s, KeyCode::Enter);
    assert!(s.settle(Duration::from_secs(30)));
    assert!(screen(&mut s.app, 80, 24).contains("STUCK"));
}
