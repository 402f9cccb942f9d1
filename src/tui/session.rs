//! Carries out the app's effects: starts, steps, pauses and cancels runs, folds their events
//! into the app, and judges each finished run on a background thread. No terminal here, so
//! tests drive a whole session with keys and read the screen from a `TestBackend`.

use super::action::{Effect, RunRequest};
use super::app::{App, RunStatus, Screen};
use super::cast::Cast;
use super::jobs::Jobs;
use super::keys::Action;
use super::timing::{JobNews, Ran};
use crate::engine::{Config, Event, Mode, Run, Tid};
use crate::lessons;
use crate::params::Params;
use crate::progress::{Saver, Store};
use crate::record;
use crate::runner::{self, VariantResult};
use crate::schedule::Schedule;
use crossbeam_channel::{Receiver, Sender, never, unbounded};
use ratatui::crossterm::event::KeyEvent;
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A finished run's verdict, from the judge thread.
pub struct Verdict {
    generation: u64,
    lesson: String,
    /// None for a run that was cancelled (reset, leave, quit): nothing to judge.
    result: Option<VariantResult>,
    /// For the history: the run's parameters and the cores its ideal keeps busy.
    params: Params,
    cores_needed: usize,
}

struct Going {
    generation: u64,
    mode: Mode,
    run: Arc<Run>,
    /// Events received by `select!` before they were folded.
    early: Vec<Event>,
}

/// Step presses that arrive while the previous step is still moving wait here.
const MAX_PENDING_STEPS: usize = 16;

/// `W` tries NAME.json, NAME-2.json, ... up to this many names.
const MAX_SCHEDULE_NAMES: usize = 10_000;

/// "Run this thread until it blocks" gives up after this many operations (a thread that
/// never blocks, such as one polling in a loop, would otherwise go on for ever).
const MAX_HOLD_STEPS: u32 = 10_000;

pub struct Session {
    pub app: App,
    going: Option<Going>,
    verdict_tx: Sender<Verdict>,
    verdict_rx: Receiver<Verdict>,
    pending: VecDeque<Option<Tid>>,
    /// Recordings and sweeps of the timing views, on their own threads.
    jobs: Jobs,
    explorer: super::explorer::ExploreJob,
    /// The classroom recording (`--cast`), if one is being made.
    cast: Option<Arc<Cast>>,
    /// A thread to keep moving until it blocks, and how many more moves it may make.
    hold: Option<(Tid, u32)>,
    /// The thread progress is saved on; none: only in memory (tests, unless they give a store).
    saver: Option<Saver>,
    /// A failure to save progress was reported already.
    save_failed: bool,
    /// Where `w` writes schedules; none: nowhere (tests, unless they give one).
    schedule_dir: Option<PathBuf>,
}

impl Session {
    pub fn new(app: App) -> Session {
        let (verdict_tx, verdict_rx) = unbounded();
        Session {
            app,
            going: None,
            verdict_tx,
            verdict_rx,
            pending: VecDeque::new(),
            hold: None,
            saver: None,
            save_failed: false,
            schedule_dir: None,
            jobs: Jobs::new(),
            explorer: Default::default(),
            cast: None,
        }
    }

    /// Write markers into this classroom recording from now on, starting with where the
    /// learner is.
    pub fn set_cast(&mut self, cast: Option<Arc<Cast>>) {
        self.cast = cast;
        if self.app.screen == Screen::Lesson {
            let mark = self.app.step_mark();
            self.perform(vec![mark]);
        }
    }

    /// Where saved comparisons go (without one, nowhere: saving says it is off).
    pub fn set_save_dir(&mut self, dir: impl Into<std::path::PathBuf>) {
        self.jobs.save_dir = Some(dir.into());
    }

    fn mark(&self, label: &str) {
        if let Some(c) = &self.cast {
            c.marker(label);
        }
    }

    /// Keep progress in `store`: read it now, write it (on its own thread) whenever it changes.
    pub fn set_store(&mut self, mut store: Store) {
        let (progress, note) = store.load();
        self.app.set_progress(progress, note);
        self.saver = Some(Saver::start(store));
    }

    /// Tests: hand the progress over if it changed, wait until every save is written, and
    /// take the results.
    pub fn flush_progress(&mut self) {
        self.save_progress();
        if let Some(saver) = &self.saver {
            saver.flush(Duration::from_secs(60));
        }
        self.take_save_results();
    }

    /// The saver's results, for `select!` (never, without a store).
    pub fn save_results(&self) -> Receiver<Result<(), String>> {
        match &self.saver {
            Some(s) => s.results().clone(),
            None => never(),
        }
    }

    /// A save's result: a failure is reported once, until a save succeeds again.
    pub fn take_save_result(&mut self, result: Result<(), String>) {
        match result {
            Ok(()) => self.save_failed = false,
            Err(why) if !self.save_failed => {
                self.save_failed = true;
                self.app.on_progress_not_saved(&why);
            }
            Err(_) => {}
        }
    }

    fn take_save_results(&mut self) {
        let results: Vec<_> = match &self.saver {
            Some(s) => s.results().try_iter().collect(),
            None => return,
        };
        for r in results {
            self.take_save_result(r);
        }
    }

    /// Write schedules (`w`) into `dir`.
    pub fn set_schedule_dir(&mut self, dir: PathBuf) {
        self.schedule_dir = Some(dir);
    }

    /// Hand the progress to the saver if it changed; its result comes back later.
    fn save_progress(&mut self) {
        let Some(saver) = &self.saver else {
            return;
        };
        if let Some((p, merge)) = self.app.take_progress_to_save() {
            saver.save(p, merge);
        }
    }

    /// Write a schedule into the schedule folder under a name not taken yet. The file is
    /// created exclusively (O_EXCL): a name taken by anything, a dangling symlink included, is
    /// passed over, never written through.
    fn save_schedule(&mut self, s: &Schedule) {
        let result = self.save_new(&s.file_name(), &s.to_json());
        self.app.on_schedule_saved(result);
    }

    /// Write `text` as a new file named `name` (or `stem-2.ext`, `stem-3.ext`, ...) in the
    /// schedule folder; the name it took, as shown to the learner.
    fn save_new(&self, name: &str, text: &str) -> Result<String, String> {
        let Some(dir) = &self.schedule_dir else {
            return Err("no folder to save schedules in".into());
        };
        let (stem, ext) = name.split_once('.').unwrap_or((name, "json"));
        for i in 1..=MAX_SCHEDULE_NAMES {
            let path = match i {
                1 => dir.join(name),
                i => dir.join(format!("{stem}-{i}.{ext}")),
            };
            match crate::files::create_new(&path, text.as_bytes()) {
                Ok(()) => {
                    let shown = path.strip_prefix(".").unwrap_or(&path);
                    return Ok(shown.display().to_string());
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(format!("{}: {e}", path.display())),
            }
        }
        Err("no free name".to_string())
    }

    pub fn key(&mut self, key: KeyEvent) {
        let effects = self.app.key(key);
        self.perform(effects);
    }

    pub fn act(&mut self, action: Action) {
        let effects = self.app.act(action);
        self.perform(effects);
    }

    pub fn perform(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Start(req) => self.start(req),
                Effect::Cancel | Effect::Quit => self.cancel(),
                Effect::Step(pick) => self.step(pick),
                Effect::Pause(p) => {
                    if let Some(g) = &self.going {
                        g.run.set_paused(p);
                    }
                }
                Effect::Job(req) => {
                    let text = self
                        .app
                        .entries
                        .iter()
                        .find(|e| e.text.id == req.lesson)
                        .map(|e| e.text.clone());
                    if let Some(text) = text {
                        self.jobs.start(req, text, self.cast.clone());
                    }
                }
                Effect::StopJob => self.jobs.stop(),
                Effect::Save(req) => {
                    let saved = self.jobs.save(&req);
                    self.app.on_saved(saved);
                }
                Effect::Mark(label) => self.mark(&label),
                Effect::Hold(t) => self.hold = Some((t, MAX_HOLD_STEPS)),
                Effect::SaveSchedule(s) => self.save_schedule(&s),
                Effect::Explore(req) => self.explorer.start(req),
                Effect::StopExplore => self.explorer.stop(),
                Effect::SaveTrace { name, text } => {
                    let result = self.save_new(&name, &text);
                    self.app.on_trace_saved(result);
                }
            }
        }
        self.pump();
    }

    /// Cancel the run on screen, if any. Its threads unwind; nobody waits for them here.
    pub fn cancel(&mut self) {
        if let Some(g) = self.going.take() {
            g.run.cancel();
        }
        self.pending.clear();
        self.hold = None;
    }

    pub fn quit(&mut self) {
        self.cancel();
        self.jobs.stop();
        self.explorer.stop();
        // The last change goes to the saver, which writes it before the app goes.
        self.save_progress();
    }

    fn start(&mut self, req: RunRequest) {
        self.cancel();
        let Some(code) = lessons::find(&req.lesson) else {
            return;
        };
        let seed = req.seed.unwrap_or_else(runner::fresh_seed);
        let cfg = Config {
            mode: req.mode,
            scale: req.scale,
            seed,
        };
        // A live run's ideal first: the virtual run takes a few milliseconds, and its finished
        // threads then carry the live run, so thread start-up does not weigh on its timing.
        let ideal = (req.mode == Mode::Live)
            .then(|| runner::ideal_ms(code, &req.variant, &req.params, req.scale, seed));
        self.mark(&format!(
            "run {} {} scale {}",
            req.variant,
            req.mode.name(),
            req.scale
        ));
        let schedule = if req.mode == Mode::Live {
            Vec::new()
        } else {
            req.schedule.clone()
        };
        let run = Arc::new(runner::start_replay(
            code,
            &req.variant,
            &req.params,
            cfg,
            schedule,
        ));
        self.app.on_started(req.generation, seed);
        let (watched, tx) = (run.clone(), self.verdict_tx.clone());
        let spawned = std::thread::Builder::new()
            .name("lockstep judge".into())
            .spawn(move || {
                let report = watched.wait();
                let judged = report.deadlock.is_some() || !report.raised.is_empty();
                let (mode, scale, seed) = (report.mode, report.scale, report.seed);
                let result = (judged || !report.cancelled).then(|| {
                    runner::judge(code, &req.variant, &req.params, &watched, report, ideal)
                });
                drop(watched);
                // For the comparison's warning: the cores the variant's ideal keeps busy.
                let cores_needed = match (&result, mode) {
                    (Some(_), Mode::Live | Mode::Virtual) => {
                        let stop = record::Stop::new();
                        record::ideal_and_cores(code, &req.variant, &req.params, scale, seed, &stop)
                            .map_or(0, |(_, cores)| cores)
                    }
                    _ => 0,
                };
                let _ = tx.send(Verdict {
                    generation: req.generation,
                    lesson: req.lesson,
                    result,
                    params: req.params,
                    cores_needed,
                });
            });
        if spawned.is_err() {
            run.cancel();
            return;
        }
        self.going = Some(Going {
            generation: req.generation,
            mode: req.mode,
            run,
            early: Vec::new(),
        });
    }

    fn step(&mut self, pick: Option<Tid>) {
        let Some(g) = &self.going else {
            return;
        };
        if g.run.awaiting_pick() && self.pending.is_empty() {
            g.run.step(pick);
        } else if !g.run.is_over() && self.pending.len() < MAX_PENDING_STEPS {
            self.pending.push_back(pick);
        }
    }

    /// The running run's events, for `select!` (never, when nothing runs).
    pub fn events(&self) -> Receiver<Event> {
        match &self.going {
            Some(g) => g.run.events().clone(),
            None => never(),
        }
    }

    /// Verdicts of finished runs, for `select!`.
    pub fn judged(&self) -> Receiver<Verdict> {
        self.verdict_rx.clone()
    }

    /// An event `select!` took off the channel.
    pub fn take_event(&mut self, e: Event) {
        if let Some(g) = &mut self.going {
            g.early.push(e);
        }
    }

    pub fn take_judged(&mut self, v: Verdict) {
        self.pump();
        let paused = self.app.was_paused(v.generation);
        let ran = v.result.as_ref().map(|r| {
            let mut ran = Ran::new(&v.lesson, r, &v.params, v.cores_needed, false);
            ran.paused |= paused;
            ran
        });
        self.app.on_judged(v.generation, &v.lesson, v.result);
        if let Some(ran) = ran {
            self.app.on_ran(ran);
        }
        self.save_progress();
    }

    /// News of the outcome explorer, for `select!`.
    pub fn explore_news(&self) -> Receiver<super::explorer::ExploreNews> {
        self.explorer.news()
    }

    /// Tests: wait for the explorer to finish and give its result to the app. False on
    /// timeout.
    pub fn settle_explorer(&mut self, timeout: Duration) -> bool {
        let news = self.explorer.news();
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match news.recv_timeout(left) {
                Ok(n) => {
                    let done = matches!(n, super::explorer::ExploreNews::Done { .. });
                    self.app.on_explore(n);
                    if done {
                        return true;
                    }
                }
                Err(_) => return false,
            }
        }
    }

    /// News of the timing views' job, for `select!`.
    pub fn job_news(&self) -> Receiver<JobNews> {
        self.jobs.news()
    }

    pub fn take_job_news(&mut self, news: JobNews) {
        if let JobNews::Done { id, .. } = &news {
            self.jobs.ended(*id);
        }
        self.app.on_job(news);
    }

    /// Tests: take the job's news until it has ended. False on timeout.
    pub fn settle_job(&mut self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let news = self.jobs.news();
        while self.jobs.going().is_some() {
            let left = deadline.saturating_duration_since(Instant::now());
            match news.recv_timeout(left) {
                Ok(n) => self.take_job_news(n),
                Err(_) => return false,
            }
        }
        while let Ok(n) = news.try_recv() {
            self.take_job_news(n);
        }
        true
    }

    /// Fold every waiting event into the app and refresh the run's status; let a waiting step
    /// go. Never blocks on a demo thread.
    pub fn pump(&mut self) {
        self.pump_run();
        self.save_progress();
        self.take_save_results();
    }

    fn pump_run(&mut self) {
        let Some(g) = &mut self.going else {
            return;
        };
        // The status first: once a run is over, every one of its events is already queued.
        let status = RunStatus {
            now_ns: g.run.now_ns(),
            awaiting_pick: g.run.awaiting_pick(),
            candidates: if g.mode == Mode::Step {
                g.run.candidates()
            } else {
                Vec::new()
            },
            paused: g.run.is_paused(),
            over: g.run.is_over(),
            choices: if g.mode == Mode::Live {
                Vec::new()
            } else {
                g.run.choices()
            },
            replaying: g.run.replaying(),
        };
        let mut events = std::mem::take(&mut g.early);
        events.extend(g.run.events().try_iter());
        self.app.on_events(g.generation, &events);
        let awaiting = status.awaiting_pick && !status.over;
        let held = self
            .hold
            .filter(|(t, left)| *left > 0 && status.candidates.iter().any(|c| c.tid == *t));
        self.app.on_status(g.generation, status);
        if !awaiting {
            return;
        }
        if let Some(pick) = self.pending.pop_front() {
            g.run.step(pick);
        } else if let Some((t, left)) = held {
            self.hold = Some((t, left - 1));
            g.run.step(Some(t));
        } else {
            // The held thread blocked, finished, or used up its moves.
            self.hold = None;
        }
    }

    /// A ticker is wanted while a live run is going (its clock moves with no event), and
    /// while a step is moving (the run awaits the next pick without an event to say so).
    pub fn wants_ticker(&self) -> bool {
        let Some(g) = &self.going else {
            return false;
        };
        let Some(r) = &self.app.run else {
            return false;
        };
        if r.generation != g.generation || r.over() {
            return false;
        }
        match g.mode {
            Mode::Live => !r.status.paused,
            Mode::Step => {
                !r.status.awaiting_pick || !self.pending.is_empty() || self.hold.is_some()
            }
            Mode::Virtual => false,
        }
    }

    /// Tests: pump until the run waits for the user (step mode) or is over and judged.
    /// False on timeout.
    pub fn settle(&mut self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            while let Ok(v) = self.verdict_rx.try_recv() {
                self.take_judged(v);
            }
            self.pump();
            let done = match (&self.going, &self.app.run) {
                (None, _) | (_, None) => true,
                (Some(g), Some(r)) => {
                    (r.over() && r.judged)
                        || (g.mode == Mode::Step
                            && r.status.awaiting_pick
                            && self.pending.is_empty()
                            && self.hold.is_none()
                            && !r.over())
                }
            };
            if done {
                return true;
            }
            if Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.quit();
    }
}
