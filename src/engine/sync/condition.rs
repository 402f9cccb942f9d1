//! A condition variable bound to its mutex (Python: `threading.Condition(lock)`; Rust:
//! `std::sync::Condvar` with a `Mutex`). Demo code reads like std:
//!
//! ```ignore
//! let mut g = lock.lock();
//! while !ready(&g) {
//!     g = cond.wait(g);
//! }
//! ```
//!
//! As in Python: a wait puts the thread on the condition's waiters, then releases the lock; a
//! notify wakes the longest waiters first; a woken waiter takes the lock again before its wait
//! returns (and may have to wait for it: the notifier usually still holds it); a notify with
//! nobody waiting is lost. Unlike Python, and like std, a notify does not need the lock.

use crate::engine::event::{Op, ResourceKind, Rid, Site, Tid, What};
use crate::engine::sched::{self, Core, ResState, World};
use crate::engine::sync::{Mutex, MutexGuard};
use std::collections::VecDeque;
use std::panic::Location;
use std::sync::Arc;
use std::time::Duration;

pub struct Condition<T> {
    core: Arc<Core>,
    rid: Rid,
    lock: Arc<Mutex<T>>,
}

impl<T> Condition<T> {
    /// A condition named `name` whose waiters release and take again `lock` (Python:
    /// `threading.Condition(lock)`).
    pub fn new(name: &str, lock: &Arc<Mutex<T>>) -> Condition<T> {
        let (core, me) = sched::current();
        let state = ResState::Condition {
            waiters: VecDeque::new(),
        };
        let kind = ResourceKind::Condition { lock: lock.rid() };
        let rid = core.create(me, name, kind, state, None);
        Condition {
            core,
            rid,
            lock: lock.clone(),
        }
    }

    /// Release the lock, wait for a notify, take the lock again (Python: `cond.wait()`).
    /// `g` must be the guard of this condition's lock.
    #[track_caller]
    pub fn wait<'a>(&'a self, g: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
        self.wait_within(g, None).0
    }

    /// Like `wait`, giving up after `limit` (lesson time); true when the time ran out first.
    /// The lock is taken again either way (Python: `cond.wait(timeout)`, which returns the
    /// opposite: whether it was notified).
    #[track_caller]
    pub fn wait_timeout<'a>(
        &'a self,
        g: MutexGuard<'a, T>,
        limit: Duration,
    ) -> (MutexGuard<'a, T>, bool) {
        let ns = self.core.scaled_ns(limit);
        self.wait_within(g, Some(ns))
    }

    /// Wait as long as `condition` holds for the guarded value (Python:
    /// `cond.wait_for(lambda: not condition)`; std: `Condvar::wait_while`).
    #[track_caller]
    pub fn wait_while<'a, F>(
        &'a self,
        mut g: MutexGuard<'a, T>,
        mut condition: F,
    ) -> MutexGuard<'a, T>
    where
        F: FnMut(&mut T) -> bool,
    {
        while condition(&mut *g) {
            g = self.wait(g);
        }
        g
    }

    /// Like `wait_while`, giving up once `limit` (lesson time) has passed since the call; true
    /// when it gave up with `condition` still holding (Python: `cond.wait_for(pred, timeout)`
    /// returning false).
    #[track_caller]
    pub fn wait_timeout_while<'a, F>(
        &'a self,
        mut g: MutexGuard<'a, T>,
        limit: Duration,
        mut condition: F,
    ) -> (MutexGuard<'a, T>, bool)
    where
        F: FnMut(&mut T) -> bool,
    {
        let core = &self.core;
        let end = {
            let w = core.world.lock();
            core.now_ns(&w) + core.scaled_ns(limit)
        };
        while condition(&mut *g) {
            let left = {
                let w = core.world.lock();
                end.saturating_sub(core.now_ns(&w))
            };
            if left == 0 {
                return (g, true);
            }
            g = self.wait_within(g, Some(left)).0;
        }
        (g, false)
    }

    /// Wake the longest waiter, if any (Python: `cond.notify()`).
    #[track_caller]
    pub fn notify_one(&self) {
        self.notify_some(Some(1), Location::caller());
    }

    /// Wake the `n` longest waiters, or as many as there are (Python: `cond.notify(n)`).
    #[track_caller]
    pub fn notify(&self, n: usize) {
        self.notify_some(Some(n), Location::caller());
    }

    /// Wake every waiter (Python: `cond.notify_all()`).
    #[track_caller]
    pub fn notify_all(&self) {
        self.notify_some(None, Location::caller());
    }

    pub fn rid(&self) -> Rid {
        self.rid
    }

    /// Wait on the condition with the lock released; the lock is taken again before it
    /// returns. True when `limit_ns` (run clock) passed first.
    #[track_caller]
    fn wait_within<'a>(
        &'a self,
        g: MutexGuard<'a, T>,
        limit_ns: Option<u64>,
    ) -> (MutexGuard<'a, T>, bool) {
        let site = Some(Site::here(Location::caller()));
        let (core, me, rid) = (&self.core, sched::current_tid(), self.rid);
        let lock = self.lock.rid();
        let mut w = core.op_point(core.world.lock(), me, Op::WaitCond(rid), site);
        if w.resources[lock.0 as usize].owner() != Some(me) {
            let name = w.resources[rid.0 as usize].name.clone();
            drop(w);
            // Python: RuntimeError. Here `g` guards another mutex than the condition's.
            panic!("cannot wait on un-acquired lock: {name} waits with another lock's guard");
        }
        self.waiters(&mut w).push_back(me);
        let what = What::CondWait {
            rid,
            lock,
            timeout_ns: limit_ns,
        };
        core.emit(&mut w, me, what, site);
        drop(w);
        // Released as a guard's drop releases it: the lock goes to its longest waiter. A
        // notify may come meanwhile: it takes us off the waiters, and we do not block.
        drop(g);
        let mut w = core.check_cancel(core.world.lock(), me);
        let mut timed_out = false;
        if self.waiters(&mut w).contains(&me) {
            let (w2, out) = core.wait_on(w, me, rid, limit_ns, site);
            w = w2;
            if out {
                self.waiters(&mut w).retain(|&t| t != me);
                core.emit(&mut w, me, What::TimedOut { on: rid }, site);
                timed_out = true;
            }
        }
        drop(w);
        (self.lock.lock(), timed_out)
    }

    fn notify_some(&self, asked: Option<usize>, loc: &'static Location<'static>) {
        let site = Some(Site::here(loc));
        let (core, me, rid) = (&self.core, sched::current_tid(), self.rid);
        let mut w = core.op_point(core.world.lock(), me, Op::Notify(rid), site);
        let woken = {
            let world = &mut *w;
            let ResState::Condition { waiters, .. } = &mut world.resources[rid.0 as usize].state
            else {
                unreachable!("a Condition's resource is one")
            };
            let n = asked.unwrap_or(usize::MAX).min(waiters.len());
            let woken: Vec<Tid> = waiters.drain(..n).collect();
            for &t in &woken {
                // Virtual clock: a waiter whose time ran out at this very moment, and that has
                // not moved since, is notified instead: whichever the scheduler let go first
                // wins, and the waiter never both times out and takes a notify.
                world.threads[t.0 as usize].timed_out = false;
            }
            woken
        };
        let what = What::Notify {
            rid,
            asked,
            woken: woken.clone(),
        };
        core.emit(&mut w, me, what, site);
        for t in woken {
            // One still on its way to block (releasing the lock) finds itself off the waiters.
            if Core::waits_on(&w, t, rid) {
                core.wake(&mut w, t);
            }
            core.emit(&mut w, t, What::Notified { rid }, None);
        }
    }

    fn waiters<'w>(&self, w: &'w mut World) -> &'w mut VecDeque<Tid> {
        match &mut w.resources[self.rid.0 as usize].state {
            ResState::Condition { waiters, .. } => waiters,
            _ => unreachable!("a Condition's resource is one"),
        }
    }
}
