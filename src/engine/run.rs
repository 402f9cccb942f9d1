//! A run: one variant's demo code on its own threads, in one mode, with one seed.

use super::event::{Deadlock, Event, Op, Site, ThreadState, Tid};
use super::sched::Core;
use super::thread;
use crossbeam_channel::{Receiver, unbounded};
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};
use std::any::Any;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How a run's threads are scheduled and timed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Real clock, the OS schedules, durations times `scale`.
    Live,
    /// Virtual clock; the user picks who moves, one operation at a time.
    Step,
    /// Virtual clock; a seeded policy picks who moves, as fast as the machine allows.
    Virtual,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Live => "live",
            Mode::Step => "step",
            Mode::Virtual => "virtual",
        }
    }

    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "live" => Some(Mode::Live),
            "step" => Some(Mode::Step),
            "virtual" => Some(Mode::Virtual),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Config {
    pub mode: Mode,
    /// Every lesson duration is multiplied by this on the run's clock.
    pub scale: f64,
    /// Seeds the policy that picks the next thread (step and virtual modes).
    pub seed: u64,
}

/// What a run showed, by name (`n`, `lost_updates`): a lesson's typed outcome as the timings,
/// records and challenges read it.
pub type Outcome = BTreeMap<String, serde_json::Value>;

/// What the demo's main function returned, whatever its type (taken once the run is over).
type Returned = Arc<Mutex<Option<Box<dyn Any + Send>>>>;

/// How a run ended.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunReport {
    pub mode: Mode,
    pub scale: f64,
    pub seed: u64,
    /// From start to the last thread's end, on the run's clock (real or virtual).
    pub elapsed_ns: u64,
    /// The demo's main function returned (a deadlock or a cancel stops it first).
    pub returned: bool,
    /// Updates lost on each shared variable, by name.
    pub lost_updates: BTreeMap<String, u64>,
    pub deadlock: Option<Deadlock>,
    /// Cancelled from outside (reset, leave, quit) rather than by a deadlock.
    pub cancelled: bool,
    /// Threads that raised (panicked), in order: "T3: message".
    pub raised: Vec<String>,
    /// The system refused a thread, and the run ended: why, in one line.
    pub refused: Option<String>,
    pub threads: usize,
    /// Threads other than main whose body returned.
    pub done_threads: usize,
    /// Every line the demo printed (`say`), in order (Python: what `print` wrote).
    pub printed: Vec<Printed>,
    /// Daemon threads cut off when the program (or, for a daemon process, its parent's code)
    /// ended, by name, in thread order.
    pub cut_off: Vec<String>,
}

/// A line the demo printed, and the thread that printed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Printed {
    pub thread: String,
    pub text: String,
}

impl RunReport {
    pub fn elapsed_ms(&self) -> f64 {
        self.elapsed_ns as f64 / 1e6
    }

    /// Updates lost on the shared variable `name` (0 for one that does not exist).
    pub fn lost(&self, name: &str) -> u64 {
        self.lost_updates.get(name).copied().unwrap_or(0)
    }
}

/// A run over, with what its main function returned (`None` after a deadlock or a cancel).
/// Reads as its report.
#[derive(Debug)]
pub struct Ended<T> {
    pub report: RunReport,
    pub outcome: Option<T>,
}

impl<T> std::ops::Deref for Ended<T> {
    type Target = RunReport;
    fn deref(&self) -> &RunReport {
        &self.report
    }
}

/// The controller's handle on a run. Dropping it cancels the run.
pub struct Run {
    core: Arc<Core>,
    events: Receiver<Event>,
    returned: Returned,
}

/// A thread the user may pick in step mode, with the operation it will perform.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub tid: Tid,
    pub name: String,
    /// Ready, or sleeping/working (picking it lets its time pass while the others wait).
    pub state: ThreadState,
    pub next: Option<(Op, Option<Site>)>,
}

impl Run {
    /// Start `body` as the demo's main thread.
    pub fn start<F, T>(cfg: Config, body: F) -> Run
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        Run::replay(cfg, Vec::new(), body)
    }

    /// Start `body`, making `schedule`'s choices first (step and virtual modes); then the
    /// policy (virtual) or the user (step) goes on. The same seed and choices give the same run.
    pub fn replay<F, T>(cfg: Config, schedule: Vec<Tid>, body: F) -> Run
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        assert!(
            cfg.scale.is_finite() && cfg.scale > 0.0,
            "scale must be positive"
        );
        let (tx, events) = unbounded();
        let core = Arc::new(Core::new(cfg, tx));
        let returned: Returned = Arc::new(Mutex::new(None));
        let slot = returned.clone();
        thread::start_thread(&core, "main".to_string(), None, None, false, move || {
            let result = body();
            *slot.lock() = Some(Box::new(result) as Box<dyn Any + Send>);
        });
        if core.virtual_clock() {
            let mut w = core.world.lock();
            w.forced = schedule.into();
            core.decide(&mut w);
        }
        Run {
            core,
            events,
            returned,
        }
    }

    /// What the demo's main function returned, once (none if it did not return, or was
    /// taken already, or is not a `T`).
    pub fn take_returned<T: 'static>(&self) -> Option<T> {
        let any = self.returned.lock().take()?;
        any.downcast::<T>().ok().map(|b| *b)
    }

    pub fn config(&self) -> Config {
        self.core.cfg
    }

    /// The run's events, in order. Unbounded: the demo never waits for the reader.
    pub fn events(&self) -> &Receiver<Event> {
        &self.events
    }

    /// The run's clock now (real or virtual), in nanoseconds.
    pub fn now_ns(&self) -> u64 {
        let w = self.core.world.lock();
        if w.finished {
            w.end_ns
        } else {
            self.core.now_ns(&w)
        }
    }

    /// Cancel: every demo thread unwinds from its current or next operation.
    pub fn cancel(&self) {
        let mut w = self.core.world.lock();
        self.core.cancel_all(&mut w);
        drop(w);
        // Its child processes were killed: wait for them, so that none is left behind.
        let host = self.core.host.lock().clone();
        if let Some(h) = host {
            h.wait_reaped(Duration::from_secs(2));
        }
    }

    /// Every demo thread has left (finished, cancelled, or ended by a deadlock).
    pub fn is_over(&self) -> bool {
        !self.core.busy()
    }

    /// Live mode: hold every thread at its next operation, or let them go.
    pub fn set_paused(&self, paused: bool) {
        let mut w = self.core.world.lock();
        w.paused = paused;
        if !paused {
            self.core.resumed.notify_all();
        }
    }

    pub fn is_paused(&self) -> bool {
        self.core.world.lock().paused
    }

    /// Every scheduling choice made so far: with the seed, this replays the run.
    pub fn choices(&self) -> Vec<Tid> {
        self.core.world.lock().choices.clone()
    }

    /// Whether the run is still replaying choices it was started with.
    pub fn replaying(&self) -> bool {
        !self.core.world.lock().forced.is_empty()
    }

    /// A replayed choice could not be made: the schedule was made for another run.
    pub fn schedule_broken(&self) -> bool {
        self.core.world.lock().schedule_broken
    }

    /// Step mode: the run is waiting for the user to pick a thread.
    pub fn awaiting_pick(&self) -> bool {
        let w = self.core.world.lock();
        w.awaiting_pick && !self.core.cancelled()
    }

    /// Step mode: the threads that can be picked now, with what each will do. Blocked ones
    /// cannot: only another thread can free them.
    pub fn candidates(&self) -> Vec<Candidate> {
        let w = self.core.world.lock();
        w.threads
            .iter()
            .enumerate()
            .filter(|(_, s)| s.can_be_picked() || s.waits_for_clock())
            .map(|(i, s)| Candidate {
                tid: Tid(i as u32),
                name: s.name.clone(),
                state: s.state,
                next: s.next,
            })
            .collect()
    }

    /// Step mode: let `pick` (or the policy's choice, for `None`) perform one operation.
    /// Returns at once; false when nobody can move now.
    pub fn step(&self, pick: Option<Tid>) -> bool {
        let mut w = self.core.world.lock();
        self.core.pick(&mut w, pick)
    }

    /// Step mode: like `step`, then wait until the run awaits the next pick or is over.
    pub fn step_and_wait(&self, pick: Option<Tid>) -> bool {
        if !self.step(pick) {
            return false;
        }
        let mut w = self.core.world.lock();
        while !w.awaiting_pick && !w.finished && !self.core.cancelled() {
            self.core.controller.wait(&mut w);
        }
        true
    }

    /// Wait until every demo thread has left, and report. Blocks: not for the UI thread.
    pub fn wait(&self) -> RunReport {
        let mut w = self.core.world.lock();
        while self.core.busy() {
            self.core.controller.wait(&mut w);
        }
        drop(w);
        self.tidy();
        self.report()
    }

    /// The run is over: the directory of files its processes shared goes now, not whenever
    /// the last thread lets go of the run.
    fn tidy(&self) {
        let host = self.core.host.lock().clone();
        if let Some(h) = host {
            h.close();
        }
    }

    /// Like `wait`, but gives up after `timeout` and returns `None`.
    pub fn wait_timeout(&self, timeout: Duration) -> Option<RunReport> {
        let deadline = Instant::now() + timeout;
        let mut w = self.core.world.lock();
        while self.core.busy() {
            if self
                .core
                .controller
                .wait_until(&mut w, deadline)
                .timed_out()
            {
                return None;
            }
        }
        drop(w);
        self.tidy();
        Some(self.report())
    }

    /// The report as things stand (final once `is_over`).
    pub fn report(&self) -> RunReport {
        let w = self.core.world.lock();
        let elapsed_ns = if w.finished {
            w.end_ns
        } else {
            self.core.now_ns(&w)
        };
        RunReport {
            mode: self.core.cfg.mode,
            scale: self.core.cfg.scale,
            seed: self.core.cfg.seed,
            elapsed_ns,
            returned: self.returned.lock().is_some(),
            lost_updates: w
                .resources
                .iter()
                .filter_map(|r| r.lost_updates().map(|n| (r.name.clone(), n)))
                .collect(),
            deadlock: w.deadlock.clone(),
            cancelled: self.core.cancelled()
                && !w.finished
                && w.deadlock.is_none()
                && w.refused.is_none()
                && (!w.stop_on_raise || w.raised.is_empty()),
            raised: w.raised.clone(),
            refused: w.refused.clone(),
            threads: w.threads.len(),
            done_threads: w
                .threads
                .iter()
                .skip(1)
                .filter(|s| s.state == super::event::ThreadState::Done)
                .count(),
            printed: w
                .printed
                .iter()
                .map(|(t, text)| Printed {
                    thread: w.threads[t.0 as usize].name.clone(),
                    text: text.clone(),
                })
                .collect(),
            cut_off: w
                .threads
                .iter()
                .filter(|s| s.state == ThreadState::CutOff)
                .map(|s| s.name.clone())
                .collect(),
        }
    }

    /// Run to the end and collect every event (virtual and live modes).
    pub fn run_to_end<F, T>(cfg: Config, body: F) -> (Ended<T>, Vec<Event>)
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        assert!(cfg.mode != Mode::Step, "step mode needs someone to pick");
        let run = Run::start(cfg, body);
        let report = run.wait();
        let events = run.events.try_iter().collect();
        let outcome = run.take_returned::<T>();
        (Ended { report, outcome }, events)
    }
}

impl Drop for Run {
    fn drop(&mut self) {
        self.cancel();
        self.tidy();
        // What its processes shared refers back to the run: let go of it, so the run (and
        // its directory of shared files) goes.
        self.core.hosted.lock().clear();
    }
}
