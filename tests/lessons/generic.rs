//! What every lesson must do, for every lesson in the registry: a new lesson is tested here the
//! moment it is registered. Its own file in this folder keeps only what is particular to it.

use crate::support::screen::{open, press, screen};
use lockstep::challenges::Facts;
use lockstep::content::{self, Lang};
use lockstep::engine::trace::Trace;
use lockstep::engine::{Config, Mode};
use lockstep::lessons::{self, AnyLesson};
use lockstep::params::Params;
use lockstep::runner;
use ratatui::crossterm::event::KeyCode;
use std::time::Duration;

/// Seeds each variant runs with in virtual mode.
const SEEDS: u64 = 200;

fn text_of(code: &dyn AnyLesson) -> content::Lesson {
    content::embedded()
        .unwrap()
        .into_iter()
        .find(|t| t.id == code.id())
        .expect("a text per registered lesson")
}

/// `f` for every lesson, each on a thread of its own (the lessons are independent).
fn each_lesson(f: fn(&'static dyn AnyLesson)) {
    std::thread::scope(|s| {
        let handles: Vec<_> = lessons::all()
            .iter()
            .map(|&code| (code.id(), s.spawn(move || f(code))))
            .collect();
        for (id, h) in handles {
            if h.join().is_err() {
                panic!("lesson {id} failed: see its message above");
            }
        }
    });
}

#[test]
fn the_registry_embeds_every_lesson_once_with_its_text() {
    let texts = content::embedded().unwrap();
    let ids: Vec<&str> = lessons::all().iter().map(|l| l.id()).collect();
    let text_ids: Vec<&str> = texts.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, text_ids, "the menu order is the registry's");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    for code in lessons::all() {
        let text = text_of(*code);
        let variants: Vec<&str> = text.variants.iter().map(|v| v.id.as_str()).collect();
        assert_eq!(variants, code.variants(), "{}", code.id());
        let (path, source) = code.source();
        assert!(path.ends_with("/demo.rs") && !source.is_empty(), "{path}");
        for v in code.variants() {
            let f = code.function(v).unwrap();
            let name = f.rsplit("::").next().unwrap().trim();
            assert!(
                source.contains(&format!("pub fn {name}(")),
                "{}: {v}'s demo `{f}` is in {path}",
                code.id()
            );
        }
    }
}

#[test]
fn every_variant_passes_its_checks_over_200_seeds_in_virtual_mode() {
    each_lesson(|code| {
        let text = text_of(code);
        let p = Params::defaults(&text.id, &text.params);
        for v in code.variants() {
            for seed in 0..SEEDS {
                let cfg = Config {
                    mode: Mode::Virtual,
                    scale: 1.0,
                    seed,
                };
                let r = runner::run_variant(code, v, &p, cfg);
                assert!(r.ok, "{} {v} seed {seed}: {:?}", code.id(), r.checks);
                assert!(!r.checks.is_empty(), "{} {v}: no check at all", code.id());
                assert_eq!(
                    r.deadlock.is_some(),
                    code.deadlocks(v),
                    "{} {v} seed {seed}",
                    code.id()
                );
            }
        }
    });
}

/// `f` for every lesson, one after another: live runs are timed on the real clock, and the
/// CPU-bound lessons (gil, processes, pools) keep every core busy while they compute, which
/// would make a lesson running beside them late.
fn each_lesson_in_turn(f: fn(&'static dyn AnyLesson)) {
    for &code in lessons::all() {
        f(code);
    }
}

#[test]
fn a_short_live_run_of_every_variant_passes_its_checks() {
    crate::support::lesson::use_the_lockstep_binary();
    each_lesson_in_turn(|code| {
        let text = text_of(code);
        let p = Params::defaults(&text.id, &text.params);
        for v in code.variants() {
            // About a second of real time at most: the lesson's scale, or smaller for a
            // variant whose ideal is long.
            let ideal_s = runner::ideal_ms(code, v, &p, 1.0, 1) / 1000.0;
            let scale = text.scale.min(1.0 / ideal_s.max(1e-3));
            let cfg = Config {
                mode: Mode::Live,
                scale,
                seed: 11,
            };
            let r = runner::run_variant(code, v, &p, cfg);
            assert!(r.ok, "{} {v} live at {scale}: {:?}", code.id(), r.checks);
        }
    });
}

#[test]
fn every_step_names_a_variant_the_lesson_has_and_tells_a_story() {
    for code in lessons::all() {
        let text = text_of(*code);
        assert!(
            (5..=9).contains(&text.steps.len()),
            "{}: {} steps",
            text.id,
            text.steps.len()
        );
        for (i, step) in text.steps.iter().enumerate() {
            if let Some(v) = &step.variant {
                assert!(
                    code.variants().contains(&v.as_str()),
                    "{} step {i}",
                    text.id
                );
            }
            let words = step.text.en.split_whitespace().count();
            assert!(words <= 90, "{} steps[{i}]: {words} English words", text.id);
            let chars = step.text.zh.chars().filter(|c| !c.is_whitespace()).count();
            assert!(
                chars <= 220,
                "{} steps[{i}]: {chars} Chinese characters",
                text.id
            );
            assert!(!step.text.en.ends_with('\n') && !step.text.zh.starts_with('\n'));
        }
        // Every variant is run by some step: the story shows them all.
        for v in code.variants() {
            assert!(
                text.steps.iter().any(|s| s.variant.as_deref() == Some(v)),
                "{}: no step runs {v}",
                text.id
            );
        }
    }
}

/// At 120x40 every step's text fits its panel; at 80x24 the panel scrolls to its last line.
#[test]
fn every_step_fits_its_panel_at_120x40_and_scrolls_at_80x24() {
    let mut cut = Vec::new();
    for code in lessons::all() {
        let text = text_of(*code);
        for lang in Lang::ALL {
            let mut s = open(code.id(), 1);
            if lang != Lang::En {
                press(&mut s, KeyCode::Char('L'));
            }
            for (i, step) in text.steps.iter().enumerate() {
                screen(&mut s.app, 120, 40);
                if s.app.text_overflow() > 0 {
                    let rows = s.app.text_overflow();
                    cut.push(format!("{} step {} ({lang}) by {rows}", code.id(), i + 1));
                }
                screen(&mut s.app, 80, 24);
                // The text's last word, letters only (inline code loses its backticks on
                // screen; wrapping may split Chinese anywhere, so one character there).
                let last: String = step
                    .text
                    .get(lang)
                    .split_whitespace()
                    .last()
                    .unwrap()
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .collect();
                let keep = if lang == Lang::Zh {
                    1
                } else {
                    last.chars().count()
                };
                let last_word: String = last.chars().skip(last.chars().count() - keep).collect();
                for _ in 0..s.app.text_overflow() {
                    press(&mut s, KeyCode::Down);
                }
                let shown = screen(&mut s.app, 80, 24);
                let shown_letters: String = shown.chars().filter(|c| c.is_alphanumeric()).collect();
                assert!(
                    shown_letters.contains(&last_word),
                    "{} step {} ({lang}): `{last_word}` cannot be scrolled to at 80x24\n{shown}",
                    code.id(),
                    i + 1
                );
                for _ in 0..40 {
                    press(&mut s, KeyCode::Up);
                }
                press(&mut s, KeyCode::Right);
            }
        }
    }
    assert!(cut.is_empty(), "cut at 120x40: {cut:#?}");
}

/// Every challenge names things its runs really have: outcome keys, resources, variants (a
/// typo in `waits.lokc` would make a challenge that can never be met), and every lesson has
/// at least one.
#[test]
fn every_challenge_names_what_its_runs_have() {
    for code in lessons::all() {
        let text = text_of(*code);
        assert!(!text.challenges.is_empty(), "{} has no challenge", text.id);
        for c in &text.challenges {
            let variants: Vec<&str> = match &c.variant {
                Some(v) => vec![v.as_str()],
                None => code.variants(),
            };
            let mut params = Params::defaults(&text.id, &text.params);
            for (k, v) in &c.params {
                params.set(k, *v).unwrap();
            }
            let mut outcome_keys = Vec::new();
            let mut resources = Vec::new();
            let mut any_finished = false;
            for v in &variants {
                let cfg = Config {
                    mode: Mode::Virtual,
                    scale: text.scale,
                    seed: 1,
                };
                let r = runner::replay_variant(*code, v, &params, cfg, Vec::new());
                let trace = Trace::from_events(&r.events);
                resources.extend(trace.resources.iter().map(|r| r.name.clone()));
                if r.result.report.returned {
                    any_finished = true;
                    outcome_keys.extend(r.result.outcome.keys().cloned());
                }
                // The facts a challenge reads can be made from the run.
                let mut f = Facts::new(v, Mode::Virtual, text.scale, params.clone());
                for e in &r.events {
                    f.apply(e, &trace);
                }
            }
            for n in c.when.names() {
                let here = format!("{} challenge `{}`: `{n}`", text.id, c.id);
                match n.prefix {
                    "outcome" if any_finished => {
                        assert!(
                            outcome_keys.contains(&n.key),
                            "{here}: outcomes have {outcome_keys:?}"
                        )
                    }
                    "value" | "lost" | "waits" | "put_waits" | "get_waits" | "peak" | "taken" => {
                        assert!(
                            resources.contains(&n.key),
                            "{here}: resources are {resources:?}"
                        )
                    }
                    _ => {}
                }
            }
        }
    }
}

/// Every lesson's outcome reads in its own words in both languages, and says something.
#[test]
fn every_outcome_reads_in_both_languages() {
    for code in lessons::all() {
        let text = text_of(*code);
        let p = Params::defaults(&text.id, &text.params);
        for v in code.variants() {
            let cfg = Config {
                mode: Mode::Virtual,
                scale: 1.0,
                seed: 2,
            };
            let r = runner::run_variant(*code, v, &p, cfg);
            let (en, _) = lessons::outcome_line(*code, &r.outcome, Lang::En);
            let (zh, _) = lessons::outcome_line(*code, &r.outcome, Lang::Zh);
            assert!(en != "—" && zh != "—", "{} {v}: {en} / {zh}", code.id());
            assert!(
                !en.contains('_'),
                "{} {v}: no snake_case in `{en}`",
                code.id()
            );
            for c in &r.checks {
                assert!(!c.name.en.is_empty() && !c.name.zh.is_empty(), "{c:?}");
                assert_ne!(c.name.en, c.name.zh, "{} {v}: {c:?}", code.id());
            }
        }
    }
}

/// Each lesson's panel after a virtual run of every variant, at both sizes.
#[test]
fn every_lessons_panel_after_its_runs() {
    for code in lessons::all() {
        let mut s = open(code.id(), 1);
        press(&mut s, KeyCode::Char('m'));
        press(&mut s, KeyCode::Char('m')); // virtual
        for _ in code.variants() {
            press(&mut s, KeyCode::Char('r'));
            for _ in 0..9 {
                // A step's question, if one is asked first: any answer.
                if s.app.asking() {
                    press(&mut s, KeyCode::Char('1'));
                }
            }
            assert!(s.settle(Duration::from_secs(30)), "{}", code.id());
            press(&mut s, KeyCode::Char('v'));
        }
        for (w, h) in [(120, 40), (80, 24)] {
            let full = screen(&mut s.app, w, h);
            let area = s.app.panel_area();
            let panel: Vec<&str> = full
                .lines()
                .skip(area.y as usize)
                .take(area.height as usize)
                .collect();
            let panel: String = panel
                .iter()
                .map(|l| {
                    let cells: String = l.chars().skip(area.x as usize).collect();
                    let kept: String = cells.chars().take(area.width as usize).collect();
                    format!("{}\n", kept.trim_end())
                })
                .collect();
            insta::assert_snapshot!(format!("panel_{}_{w}x{h}", code.id()), panel);
        }
    }
}
