//! A barrier: threads wait at it until `parties` of them are there, then all go on together
//! (Python: `threading.Barrier(parties, timeout=None)`). It can be used again at once.
//!
//! As in Python: `wait` gives each thread its index in the order they arrived (0 first); a
//! wait that gives up (its timeout) breaks the barrier, and every thread waiting at it gets
//! the error too; so does `abort`; a broken barrier refuses every wait until `reset`.

use crate::engine::event::{Op, ResourceKind, Rid, Site, Tid, What};
use crate::engine::sched::{self, Core, ResState, World};
use std::fmt;
use std::panic::Location;
use std::sync::Arc;
use std::time::Duration;

pub struct Barrier {
    core: Arc<Core>,
    rid: Rid,
    parties: usize,
    /// Every wait's time limit unless it gives its own (lesson time).
    timeout: Option<Duration>,
}

/// The barrier broke (a wait gave up, or it was aborted or reset) before every party arrived
/// (Python: `threading.BrokenBarrierError`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BrokenBarrier;

impl fmt::Display for BrokenBarrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("broken barrier")
    }
}

impl std::error::Error for BrokenBarrier {}

impl Barrier {
    /// A barrier for `parties` threads (Python: `threading.Barrier(parties)`).
    pub fn new(name: &str, parties: usize) -> Barrier {
        Barrier::create(name, parties, None)
    }

    /// A barrier whose waits give up after `timeout` (lesson time), breaking it (Python:
    /// `threading.Barrier(parties, timeout=timeout)`).
    pub fn with_timeout(name: &str, parties: usize, timeout: Duration) -> Barrier {
        Barrier::create(name, parties, Some(timeout))
    }

    fn create(name: &str, parties: usize, timeout: Option<Duration>) -> Barrier {
        assert!(parties > 0, "parties must be > 0"); // Python: ValueError
        let (core, me) = sched::current();
        let state = ResState::Barrier {
            waiting: Vec::new(),
            broken: false,
            released: Vec::new(),
        };
        let kind = ResourceKind::Barrier {
            parties: parties as u32,
        };
        let rid = core.create(me, name, kind, state, None);
        Barrier {
            core,
            rid,
            parties,
            timeout,
        }
    }

    /// Wait until every party is here; the index this thread arrived at, 0 for the first
    /// (Python: `barrier.wait()`). `BrokenBarrier` if it broke first, or was broken already.
    #[track_caller]
    pub fn wait(&self) -> Result<usize, BrokenBarrier> {
        let limit = self.timeout;
        self.wait_within(limit, Location::caller())
    }

    /// Like `wait`, giving up after `limit` (lesson time), which breaks the barrier for every
    /// thread waiting at it (Python: `barrier.wait(timeout)`).
    #[track_caller]
    pub fn wait_timeout(&self, limit: Duration) -> Result<usize, BrokenBarrier> {
        self.wait_within(Some(limit), Location::caller())
    }

    /// Break the barrier: every thread waiting at it, and every later wait, gets
    /// `BrokenBarrier` (Python: `barrier.abort()`).
    #[track_caller]
    pub fn abort(&self) {
        let site = Some(Site::here(Location::caller()));
        let (core, me, rid) = (&self.core, sched::current_tid(), self.rid);
        let mut w = core.op_point(core.world.lock(), me, Op::Abort(rid), site);
        core.emit(&mut w, me, What::Abort { rid }, site);
        self.let_go(&mut w, false);
        *self.state(&mut w).1 = true;
    }

    /// Back to empty and unbroken; threads waiting at it get `BrokenBarrier` (Python:
    /// `barrier.reset()`).
    #[track_caller]
    pub fn reset(&self) {
        let site = Some(Site::here(Location::caller()));
        let (core, me, rid) = (&self.core, sched::current_tid(), self.rid);
        let mut w = core.op_point(core.world.lock(), me, Op::Reset(rid), site);
        core.emit(&mut w, me, What::Reset { rid }, site);
        self.let_go(&mut w, false);
        *self.state(&mut w).1 = false;
    }

    /// Whether the barrier is broken (Python: `barrier.broken`).
    #[track_caller]
    pub fn is_broken(&self) -> bool {
        let site = Some(Site::here(Location::caller()));
        let (core, me, rid) = (&self.core, sched::current_tid(), self.rid);
        let mut w = core.op_point(core.world.lock(), me, Op::Peek(rid), site);
        let broken = *self.state(&mut w).1;
        let value = if broken { "broken" } else { "intact" };
        let what = What::Peek {
            rid,
            value: value.into(),
        };
        core.emit(&mut w, me, what, site);
        broken
    }

    /// How many threads wait at it now, 0 when it is broken (Python: `barrier.n_waiting`).
    /// A look without an event, as `Queue::len`.
    pub fn n_waiting(&self) -> usize {
        let mut w = self.core.world.lock();
        let (waiting, broken) = self.state(&mut w);
        if *broken { 0 } else { waiting.len() }
    }

    /// The number of threads it waits for (Python: `barrier.parties`).
    pub fn parties(&self) -> usize {
        self.parties
    }

    pub fn rid(&self) -> Rid {
        self.rid
    }

    fn wait_within(
        &self,
        limit: Option<Duration>,
        loc: &'static Location<'static>,
    ) -> Result<usize, BrokenBarrier> {
        let site = Some(Site::here(loc));
        let (core, me, rid) = (&self.core, sched::current_tid(), self.rid);
        let limit_ns = limit.map(|d| core.scaled_ns(d));
        let mut w = core.op_point(core.world.lock(), me, Op::Barrier(rid), site);
        let (waiting, broken) = self.state(&mut w);
        if *broken {
            core.emit(&mut w, me, What::BrokenBarrier { rid }, site);
            return Err(BrokenBarrier);
        }
        let index = waiting.len();
        waiting.push(me);
        let parties = self.parties;
        let what = What::Arrive {
            rid,
            index,
            parties,
        };
        core.emit(&mut w, me, what, site);
        if index + 1 == parties {
            // The last one: everyone goes on, and the barrier is empty for the next round.
            self.state(&mut w).0.retain(|&t| t != me);
            self.let_go(&mut w, true);
            core.emit(&mut w, me, What::Pass { rid }, site);
            return Ok(index);
        }
        let (mut w, timed_out) = core.wait_on(w, me, rid, limit_ns, site);
        if let Some(passed) = self.released(&mut w, me) {
            // Let go by the last arrival, or by a break (maybe just as our time ran out).
            return if passed {
                Ok(index)
            } else {
                Err(BrokenBarrier)
            };
        }
        debug_assert!(timed_out, "woken only when let go");
        // Gave up: the barrier breaks for everyone waiting at it.
        self.state(&mut w).0.retain(|&t| t != me);
        core.emit(&mut w, me, What::TimedOut { on: rid }, site);
        core.emit(&mut w, me, What::Breaks { rid }, site);
        self.let_go(&mut w, false);
        *self.state(&mut w).1 = true;
        Err(BrokenBarrier)
    }

    /// Let every thread waiting at it go: through (`passed`) or with the error.
    fn let_go(&self, w: &mut World, passed: bool) {
        let rid = self.rid;
        let woken = std::mem::take(self.state(w).0);
        for &t in &woken {
            if let ResState::Barrier { released, .. } = &mut w.resources[rid.0 as usize].state {
                released.push((t, passed));
            }
            if Core::waits_on(w, t, rid) {
                self.core.wake(w, t);
            }
            let what = if passed {
                What::Pass { rid }
            } else {
                What::BrokenBarrier { rid }
            };
            self.core.emit(w, t, what, None);
        }
    }

    /// Whether `me` was let go while it waited, and how; taken off the list.
    fn released(&self, w: &mut World, me: Tid) -> Option<bool> {
        let ResState::Barrier { released, .. } = &mut w.resources[self.rid.0 as usize].state else {
            unreachable!("a Barrier's resource is one")
        };
        let at = released.iter().position(|&(t, _)| t == me)?;
        Some(released.remove(at).1)
    }

    /// The threads waiting at it, and whether it is broken.
    fn state<'w>(&self, w: &'w mut World) -> (&'w mut Vec<Tid>, &'w mut bool) {
        match &mut w.resources[self.rid.0 as usize].state {
            ResState::Barrier {
                waiting, broken, ..
            } => (waiting, broken),
            _ => unreachable!("a Barrier's resource is one"),
        }
    }
}
