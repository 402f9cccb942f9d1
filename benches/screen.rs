//! Screen benchmarks: what drawing costs, on the real `App` and the views the user sees, drawn
//! on ratatui's `TestBackend` (no terminal, so no terminal's own time in the figures).
//!
//! Run with `cargo bench --bench screen`. Two parts:
//! 1. a frame with 100 and with 1000 threads on screen: a recorded virtual run of lock-vs-join
//!    (the lock variant, `threads` = 100 or 1000) is handed to the app in 60 batches, as a live
//!    run's events arrive between frames; each frame folds its batch into the trace and draws
//!    the lesson screen at 120x40. The median frame is the figure (fold + draw);
//! 2. start to first frame: the embedded lessons read, the app made, the menu drawn, as
//!    `lockstep` does before its first frame (the process's own start is not in it).
//!
//! It ends with one `figure NAME VALUE UNIT` line per figure, so runs can be compared.

use lockstep::content::{self, Lang};
use lockstep::engine::{Config, Event, Mode};
use lockstep::lessons;
use lockstep::params::Params;
use lockstep::runner;
use lockstep::tui::{Action, App, Effect, Options};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use std::time::Instant;

/// Batches a recorded run is handed over in: one per frame.
const FRAMES: usize = 60;
/// Times each whole replay is repeated (the first thrown away).
const REPS: usize = 6;
const SIZE: (u16, u16) = (120, 40);

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn options(open: Option<&str>, params: Vec<(String, String)>) -> Options {
    Options {
        lessons: content::embedded().expect("the embedded lessons load"),
        open: open.map(Into::into),
        lang: Lang::En,
        seed: Some(7),
        scale: None,
        params,
    }
}

/// A virtual run of lock-vs-join's lock variant with `threads` threads: its events.
fn recorded(threads: usize) -> Vec<Event> {
    let lesson = lessons::find("lock-vs-join").expect("lock-vs-join is registered");
    let text = content::embedded()
        .unwrap()
        .into_iter()
        .find(|l| l.id == "lock-vs-join")
        .unwrap();
    let mut params = Params::defaults("lock-vs-join", &text.params);
    params
        .set("threads", threads as f64)
        .expect("threads is in range");
    let cfg = Config {
        mode: Mode::Virtual,
        scale: 1.0,
        seed: 7,
    };
    let run = runner::start(lesson, "lock", &params, cfg);
    run.wait();
    run.events().try_iter().collect()
}

/// One replay of `events` into a fresh app: the milliseconds of each frame (fold its batch, draw).
fn replay(threads: usize, events: &[Event]) -> Vec<f64> {
    let mut app = App::new(options(
        Some("lock-vs-join"),
        vec![("threads".into(), threads.to_string())],
    ));
    app.resize(SIZE.0, SIZE.1);
    let generation = app
        .act(Action::Run)
        .iter()
        .find_map(|e| match e {
            Effect::Start(r) => Some(r.generation),
            _ => None,
        })
        .expect("Enter asks for a run");
    app.on_started(generation, 7);
    let mut term = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap();
    let per = events.len().div_ceil(FRAMES).max(1);
    let mut frames = Vec::with_capacity(FRAMES);
    for batch in events.chunks(per) {
        let t0 = Instant::now();
        app.on_events(generation, batch);
        term.draw(|f| app.render(f)).unwrap();
        frames.push(t0.elapsed().as_secs_f64() * 1e3);
    }
    black_box(term.backend().buffer().area);
    frames
}

/// The median frame, the worst frame and which frame it was, and the run's event count.
fn frame_ms(threads: usize) -> (f64, (f64, usize), usize) {
    let events = recorded(threads);
    let mut all = Vec::new();
    let mut worst = (0.0, 0);
    for rep in 0..REPS {
        let frames = replay(threads, &events);
        if rep > 0 {
            for (i, &ms) in frames.iter().enumerate() {
                if ms > worst.0 {
                    worst = (ms, i + 1);
                }
            }
            all.extend(frames);
        }
    }
    (median(all), worst, events.len())
}

fn first_frame_ms() -> f64 {
    let samples = (0..REPS)
        .map(|_| {
            let t0 = Instant::now();
            let mut app = App::new(options(None, Vec::new()));
            app.resize(SIZE.0, SIZE.1);
            let mut term = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap();
            term.draw(|f| app.render(f)).unwrap();
            black_box(term.backend().buffer().area);
            t0.elapsed().as_secs_f64() * 1e3
        })
        .skip(1)
        .collect();
    median(samples)
}

fn main() {
    println!("== 1. A frame (fold its events + draw the lesson screen at 120x40) ==");
    println!(
        "lock-vs-join, lock variant, a virtual run's events handed over in {FRAMES} batches; \
         median and worst frame over {} replays",
        REPS - 1
    );
    let mut figures = Vec::new();
    for threads in [100, 1000] {
        let (med, (worst, at), n) = frame_ms(threads);
        println!(
            "  {threads:>5} threads  {n:>7} events  median {med:>7.3} ms  worst {worst:>7.3} ms \
             (frame {at} of {FRAMES})"
        );
        figures.push((format!("frame_ms_{threads}"), med, "ms"));
    }
    println!();
    println!("== 2. Start to first frame (lessons read, app made, menu drawn) ==");
    let first = first_frame_ms();
    println!("  median {first:.3} ms");
    figures.push(("first_frame_ms".into(), first, "ms"));
    println!();
    for (name, value, unit) in figures {
        println!("figure {name} {value:.3} {unit}");
    }
}
