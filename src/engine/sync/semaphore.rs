//! A semaphore: a counter of free permits; acquire takes one (waiting at the door while there
//! is none), release gives one back (Python: `threading.Semaphore`). With one permit it is a
//! mutex; with none it is a signal one thread gives another. As in Python anyone may release:
//! a permit may be dropped on another thread than the one that took it, and `release` adds a
//! permit with no acquire before it. A bounded semaphore (Python: `BoundedSemaphore`) refuses
//! to go above what it started with: the release raises.

use super::Patience;
use crate::engine::event::{Op, ResourceKind, Rid, Site, Tid, What};
use crate::engine::sched::{self, Core, ResState, World};
use parking_lot::MutexGuard;
use std::collections::VecDeque;
use std::panic::Location;
use std::sync::Arc;
use std::time::Duration;

pub struct Semaphore {
    core: Arc<Core>,
    rid: Rid,
}

/// One permit, given back when dropped (Python: leaving `with sem:`), on whichever thread
/// drops it.
pub struct SemaphorePermit<'a> {
    sem: &'a Semaphore,
    /// The thread that took it.
    holder: Tid,
    /// `forget` consumed it: dropping gives nothing back.
    kept: bool,
}

impl Semaphore {
    /// A semaphore with `permits` free permits (Python: `Semaphore(permits)`).
    pub fn new(name: &str, permits: u32) -> Semaphore {
        Semaphore::create(name, permits, false)
    }

    /// A semaphore that never holds more than `permits` (Python: `BoundedSemaphore(permits)`).
    pub fn bounded(name: &str, permits: u32) -> Semaphore {
        Semaphore::create(name, permits, true)
    }

    fn create(name: &str, permits: u32, bounded: bool) -> Semaphore {
        let (core, me) = sched::current();
        let state = ResState::Semaphore {
            value: permits,
            initial: permits,
            bounded,
            holders: Vec::new(),
            waiters: VecDeque::new(),
        };
        let kind = ResourceKind::Semaphore { permits };
        let rid = core.create(me, name, kind, state, None);
        Semaphore { core, rid }
    }

    /// Wait for a free permit and take it (Python: `sem.acquire()`).
    #[track_caller]
    pub fn acquire(&self) -> SemaphorePermit<'_> {
        self.take(Patience::Forever, Location::caller())
            .expect("a permit waited for without a limit is taken")
    }

    /// Take a free permit, or `None` at once (Python: `sem.acquire(False)`).
    #[track_caller]
    pub fn try_acquire(&self) -> Option<SemaphorePermit<'_>> {
        self.take(Patience::None, Location::caller())
    }

    /// Wait at most `limit` (lesson time) for a permit (Python: `sem.acquire(timeout=…)`).
    #[track_caller]
    pub fn acquire_timeout(&self, limit: Duration) -> Option<SemaphorePermit<'_>> {
        self.take(Patience::For(limit), Location::caller())
    }

    /// Give one permit, from any thread, with no acquire before it (Python: `sem.release()`):
    /// the longest waiter takes it, or it waits for the next acquire.
    #[track_caller]
    pub fn release(&self) {
        self.release_many(1);
    }

    /// Give `n` permits at once (Python: `sem.release(n)`).
    #[track_caller]
    pub fn release_many(&self, n: u32) {
        let site = Some(Site::here(Location::caller()));
        let (core, me, rid) = (&self.core, sched::current_tid(), self.rid);
        let mut w = core.op_point(core.world.lock(), me, Op::Unlock(rid), site);
        self.check_bound(&mut w, n);
        core.emit(&mut w, me, What::Added { rid, n }, site);
        for _ in 0..n {
            self.give_back(&mut w);
        }
    }

    fn take(
        &self,
        patience: Patience,
        loc: &'static Location<'static>,
    ) -> Option<SemaphorePermit<'_>> {
        let site = Some(Site::here(loc));
        let (core, me, rid) = (&self.core, sched::current_tid(), self.rid);
        let mut w = core.ask_for(me, rid, site);
        let mut queued = false;
        loop {
            let (value, holders, waiters) = state(&mut w, rid);
            if queued && holders.contains(&me) {
                break; // handed a permit while we waited
            }
            if !queued && *value > 0 {
                *value -= 1;
                holders.push(me);
                core.emit(&mut w, me, What::Acquired { rid }, site);
                break;
            }
            let limit = match patience {
                Patience::None => {
                    let what = What::Refused {
                        rid,
                        reason: "no permit".into(),
                    };
                    core.emit(&mut w, me, what, site);
                    return None;
                }
                Patience::Forever => None,
                Patience::For(d) => Some(core.scaled_ns(d)),
            };
            if !queued {
                waiters.push_back(me);
                queued = true;
            }
            let (back, timed_out) = core.wait_on(w, me, rid, limit, site);
            w = back;
            if timed_out {
                state(&mut w, rid).2.retain(|&t| t != me);
                core.emit(&mut w, me, What::TimedOut { on: rid }, site);
                return None;
            }
        }
        Some(SemaphorePermit {
            sem: self,
            holder: me,
            kept: false,
        })
    }

    /// A bounded semaphore given more than it started with raises in the giving thread
    /// (Python: `ValueError: Semaphore released too many times`).
    fn check_bound(&self, w: &mut MutexGuard<'_, World>, n: u32) {
        let ResState::Semaphore {
            value,
            initial,
            bounded,
            ..
        } = &w.resources[self.rid.0 as usize].state
        else {
            unreachable!("a Semaphore's resource is one")
        };
        if *bounded && value + n > *initial {
            panic!("Semaphore released too many times");
        }
    }

    /// One permit back: straight to the longest waiter, else onto the counter.
    fn give_back(&self, w: &mut MutexGuard<'_, World>) {
        let (core, rid) = (&self.core, self.rid);
        if core.cancelled() {
            return; // everyone is leaving: nobody is handed a permit on the way out
        }
        let world = &mut **w;
        let ResState::Semaphore {
            value,
            holders,
            waiters,
            ..
        } = &mut world.resources[rid.0 as usize].state
        else {
            unreachable!("a Semaphore's resource is one")
        };
        match Core::next_waiter(&world.threads, waiters, rid) {
            Some(next) => {
                holders.push(next);
                core.wake(world, next);
                core.emit(world, next, What::Acquired { rid }, None);
            }
            None => *value += 1,
        }
    }
}

fn state(w: &mut World, rid: Rid) -> (&mut u32, &mut Vec<Tid>, &mut VecDeque<Tid>) {
    let ResState::Semaphore {
        value,
        holders,
        waiters,
        ..
    } = &mut w.resources[rid.0 as usize].state
    else {
        unreachable!("a Semaphore's resource is one")
    };
    (value, holders, waiters)
}

impl SemaphorePermit<'_> {
    /// Keep the permit for good: dropping it gives nothing back (a signal used up).
    #[track_caller]
    pub fn forget(mut self) {
        let site = Some(Site::here(Location::caller()));
        let (core, rid) = (&self.sem.core, self.sem.rid);
        let me = sched::current_tid();
        let mut w = core.op_point(core.world.lock(), me, Op::Unlock(rid), site);
        let holder = self.holder;
        let holders = state(&mut w, rid).1;
        if let Some(at) = holders.iter().position(|&t| t == holder) {
            holders.remove(at);
        }
        core.emit(&mut w, me, What::Forgot { rid, holder }, site);
        self.kept = true;
    }
}

impl Drop for SemaphorePermit<'_> {
    fn drop(&mut self) {
        if self.kept {
            return;
        }
        let (sem, holder) = (self.sem, self.holder);
        let (core, rid) = (&sem.core, sem.rid);
        // Whoever drops it gives it back: the thread that took it, or another one.
        let me = sched::current_tid();
        let mut w = core.world.lock();
        if !core.cancelled() {
            w = core.op_point(w, me, Op::Unlock(rid), None);
            if !std::thread::panicking() {
                sem.check_bound(&mut w, 1);
            }
            let what = if me == holder {
                What::Released { rid }
            } else {
                What::ReleasedFor { rid, holder }
            };
            core.emit(&mut w, me, what, None);
        }
        let holders = state(&mut w, rid).1;
        if let Some(at) = holders.iter().position(|&t| t == holder) {
            holders.remove(at);
        }
        sem.give_back(&mut w);
    }
}

impl std::fmt::Debug for SemaphorePermit<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a permit")
    }
}
