//! The terminal screen: a menu of lessons and a lesson view that runs a variant and shows its
//! threads as they go. Knows nothing of any lesson's internals; it reads the engine's events.
//!
//! Layers, from pure to not: `app` (state, keys → effects, no I/O), `view` (draws `&App`),
//! `session` (carries out effects: starts, steps and cancels runs, judges them on a background
//! thread), `terminal` (raw mode, the alternate screen, the panic hook, signals, the input thread)
//! and [`run`], the one loop that waits on all of them.

mod action;
mod app;
pub mod cast;
mod explorer;
mod jobs;
mod keys;
mod layout;
pub mod panel;
mod session;
mod study;
mod terminal;
#[cfg(test)]
mod tests;
pub mod theme;
mod timing;
mod view;
pub mod wrap;

pub use crate::record::SaveFormat;
pub use action::{Effect, RunRequest};
pub use app::{App, RunStatus, Screen};
pub use keys::{Action, Focus};
pub use layout::MIN_SIZE;
pub use session::Session;
pub use study::Left;
pub use timing::{JobKind, JobNews, JobRequest, Pane, Ran, SaveRequest};

use crate::content::{self, Lang};
use crossbeam_channel::{Receiver, never, select, tick};
use ratatui::crossterm::event::{Event as TermEvent, KeyEventKind};
use std::sync::Arc;
use std::time::Duration;

/// What the command line hands the screen.
pub struct Options {
    pub lessons: Vec<content::Lesson>,
    /// A lesson id to open directly, skipping the menu.
    pub open: Option<String>,
    pub lang: Lang,
    /// A fixed seed for every run; without one each run gets a fresh seed, shown in the header.
    pub seed: Option<u64>,
    /// Overrides each lesson's default live scale.
    pub scale: Option<f64>,
    /// `--param K=V` for the lesson opened directly, already checked by the command line.
    pub params: Vec<(String, String)>,
}

/// About 30 frames a second while a live run is going.
const FRAME: Duration = Duration::from_millis(33);

/// Run the screen until the user quits (q, Ctrl-C) or a signal (SIGINT, SIGTERM, SIGHUP) arrives:
/// then the signal's number. The terminal is restored on every way out, a panic included.
/// Progress is kept in `store`; schedules saved with `W` go into the current directory.
pub fn run(opts: Options, store: crate::progress::Store) -> std::io::Result<Option<i32>> {
    run_recorded(opts, store, None)
}

/// [`run`], writing everything the screen shows into `cast` (an asciicast), with a marker at
/// every lesson step and every run start.
pub fn run_recorded(
    opts: Options,
    store: crate::progress::Store,
    cast: Option<Arc<cast::Cast>>,
) -> std::io::Result<Option<i32>> {
    run_shown(opts, store, cast, None, false)
}

/// [`run_recorded`] with the screen's look (`--theme`; else `NO_COLOR`, else the one kept
/// with the progress) and presenter mode (`--present`).
pub fn run_shown(
    opts: Options,
    store: crate::progress::Store,
    cast: Option<Arc<cast::Cast>>,
    look: Option<theme::Look>,
    present: bool,
) -> std::io::Result<Option<i32>> {
    let mut session = Session::new(App::new(opts));
    session.set_store(store);
    session.app.start_look(look, present);
    session.set_schedule_dir(std::path::PathBuf::from("."));
    session.set_save_dir(".");
    let mut screen = terminal::Screen::enter(cast.clone())?;
    session.set_cast(cast.clone());
    let size = screen.size()?;
    session.app.resize(size.width, size.height);
    let input = terminal::input_thread();
    let signals = terminal::Signals::listen()?;

    // `dirty`: the state changed since the last frame. While a live run is going, frames come
    // from the ticker (and keys), not from every batch of events.
    let mut dirty = true;
    let mut draw_now = true;
    let mut ticker: Option<Receiver<std::time::Instant>> = None;
    let mut signal = None;
    loop {
        let ticking = session.wants_ticker();
        match (ticking, ticker.is_some()) {
            (true, false) => ticker = Some(tick(FRAME)),
            (false, true) => ticker = None,
            _ => {}
        }
        if dirty && (draw_now || !ticking) {
            screen.draw(|frame| session.app.render(frame))?;
            dirty = false;
            draw_now = false;
        }
        if session.app.quit {
            break;
        }
        let ticks = ticker.clone().unwrap_or_else(never);
        let events = session.events();
        let judged = session.judged();
        let jobs = session.job_news();
        let saves = session.save_results();
        let explored = session.explore_news();
        select! {
            recv(input) -> ev => match ev {
                Ok(TermEvent::Key(key)) if key.kind != KeyEventKind::Release => {
                    session.key(key);
                    (dirty, draw_now) = (true, true);
                }
                Ok(TermEvent::Resize(w, h)) => {
                    if let Some(c) = &cast {
                        c.resize(w, h);
                    }
                    session.app.resize(w, h);
                    (dirty, draw_now) = (true, true);
                }
                Ok(_) => {}
                Err(_) => return Err(std::io::Error::other("the terminal's input closed")),
            },
            recv(events) -> ev => {
                if let Ok(ev) = ev {
                    session.take_event(ev);
                }
                session.pump();
                dirty = true;
            },
            recv(judged) -> r => {
                if let Ok(r) = r {
                    session.take_judged(r);
                }
                (dirty, draw_now) = (true, true);
            },
            recv(jobs) -> news => {
                if let Ok(news) = news {
                    session.take_job_news(news);
                }
                (dirty, draw_now) = (true, true);
            },
            recv(explored) -> news => {
                if let Ok(news) = news {
                    session.app.on_explore(news);
                }
                (dirty, draw_now) = (true, true);
            },
            recv(saves) -> r => {
                if let Ok(r) = r {
                    session.take_save_result(r);
                }
                (dirty, draw_now) = (true, true);
            },
            recv(ticks) -> _ => {
                session.pump();
                (dirty, draw_now) = (true, true);
            },
            recv(signals.receiver()) -> s => {
                signal = s.ok();
                break;
            },
            recv(screen.crashes()) -> _ => {
                // A thread of ours panicked: the hook has restored the terminal and said why.
                return Err(std::io::Error::other("a lockstep thread panicked"));
            },
        }
    }
    session.quit();
    drop(screen);
    signals.close();
    Ok(signal)
}
