//! A timer: a thread that waits an interval, then calls a function, unless it was cancelled
//! first (Python: `threading.Timer(interval, f)`, a `Thread`: started, cancelled, joined).
//!
//! As in Python: a cancel wakes the waiting thread at once, which then ends without calling
//! the function (so a join right after a cancel returns at once); a cancel before it started
//! stops it before it waits; a cancel after it fired changes nothing.

use crate::engine::event::{BlockedOn, Op, ResourceKind, Rid, Site, ThreadState, Tid, What};
use crate::engine::sched::{self, Core, ResState, World};
use crate::engine::thread::{JoinHandle, Raised, spawn};
use std::panic::Location;
use std::sync::Arc;
use std::time::Duration;

type Body = Box<dyn FnOnce() + Send + 'static>;

pub struct Timer {
    core: Arc<Core>,
    rid: Rid,
    name: String,
    /// The interval on the run's clock.
    ns: u64,
    body: Option<Body>,
    handle: Option<JoinHandle<()>>,
}

impl Timer {
    /// A timer named `name` (its thread's name too) that calls `f` once `interval` (lesson
    /// time) has passed after `start` (Python: `threading.Timer(interval, f)`).
    pub fn new<F>(name: &str, interval: Duration, f: F) -> Timer
    where
        F: FnOnce() + Send + 'static,
    {
        let (core, me) = sched::current();
        let ns = core.scaled_ns(interval);
        let state = ResState::Timer {
            cancelled: false,
            fired: false,
            waiter: None,
        };
        let rid = core.create(me, name, ResourceKind::Timer { ns }, state, None);
        Timer {
            core,
            rid,
            name: name.to_string(),
            ns,
            body: Some(Box::new(f)),
            handle: None,
        }
    }

    /// Start its thread, which counts down and then fires (Python: `timer.start()`).
    #[track_caller]
    pub fn start(&mut self) {
        let site = Some(Site::here(Location::caller()));
        let Some(body) = self.body.take() else {
            panic!("threads can only be started once"); // Python: RuntimeError
        };
        let (core, rid, ns) = (self.core.clone(), self.rid, self.ns);
        self.handle = Some(spawn(self.name.clone(), move || {
            count_down(&core, rid, ns, site, body);
        }));
    }

    /// Stop it from firing, if it has not yet (Python: `timer.cancel()`).
    #[track_caller]
    pub fn cancel(&self) {
        let site = Some(Site::here(Location::caller()));
        let (core, me, rid) = (&self.core, sched::current_tid(), self.rid);
        let mut w = core.op_point(core.world.lock(), me, Op::Cancel(rid), site);
        let (cancelled, fired, waiter) = state(&mut w, rid);
        let in_time = !*fired;
        if in_time {
            *cancelled = true;
        }
        let waiter = waiter.take().filter(|_| in_time);
        core.emit(&mut w, me, What::CancelTimer { rid, in_time }, site);
        if let Some(t) = waiter
            && Core::waits_on(&w, t, rid)
        {
            core.wake(&mut w, t);
        }
    }

    /// Wait for its thread to end (Python: `timer.join()`): at once after a cancel, after the
    /// function otherwise. What the function raised comes back as an error.
    #[track_caller]
    pub fn join(self) -> Result<(), Raised> {
        match self.handle {
            Some(h) => h.join(),
            None => panic!("cannot join thread before it is started"), // Python: RuntimeError
        }
    }

    pub fn rid(&self) -> Rid {
        self.rid
    }
}

/// The timer's thread: wait the interval (a cancel wakes it), then fire unless cancelled.
fn count_down(core: &Arc<Core>, rid: Rid, ns: u64, site: Option<Site>, body: Body) {
    let me = sched::current_tid();
    let mut w = core.op_point(core.world.lock(), me, Op::Countdown(rid), site);
    if !*state(&mut w, rid).0 {
        *state(&mut w, rid).2 = Some(me);
        Core::set_state(&mut w, me, ThreadState::Blocked(BlockedOn::Resource(rid)));
        core.emit(&mut w, me, What::Countdown { rid, ns }, site);
        w = core.block_timeout(w, me, Some(ns)).0;
        *state(&mut w, rid).2 = None;
    }
    // Cancelled before it started, while it waited, or just as its time ran out.
    if *state(&mut w, rid).0 {
        core.emit(&mut w, me, What::TimerCancelled { rid }, site);
        return;
    }
    *state(&mut w, rid).1 = true;
    core.emit(&mut w, me, What::Fires { rid }, site);
    drop(w);
    body();
}

/// Cancelled, fired, and the thread counting down.
fn state(w: &mut World, rid: Rid) -> (&mut bool, &mut bool, &mut Option<Tid>) {
    match &mut w.resources[rid.0 as usize].state {
        ResState::Timer {
            cancelled,
            fired,
            waiter,
        } => (cancelled, fired, waiter),
        _ => unreachable!("a Timer's resource is one"),
    }
}
