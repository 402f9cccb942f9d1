//! A mutex that knows its owner and its queue of waiters (Python: `threading.Lock`).
//! Fair: the lock passes straight to the longest waiter when it is released.

use super::Patience;
use crate::engine::event::{ResourceKind, Rid, Site, Tid, What};
use crate::engine::sched::{self, Core, ResState};
use std::collections::VecDeque;
use std::ops::{Deref, DerefMut};
use std::panic::Location;
use std::sync::Arc;
use std::time::Duration;

pub struct Mutex<T> {
    core: Arc<Core>,
    rid: Rid,
    data: parking_lot::Mutex<T>,
}

/// Proof that the lock is held; dropping it releases the lock (Python: leaving `with lock:`).
/// It stays on the thread that took it, as std's does (not `Send`).
pub struct MutexGuard<'a, T> {
    mutex: &'a Mutex<T>,
    me: Tid,
    data: Option<parking_lot::MutexGuard<'a, T>>,
}

impl<T> Mutex<T> {
    /// A new, unlocked mutex named `name` in the run's panels.
    pub fn new(name: &str, value: T) -> Mutex<T> {
        Mutex::new_kind(name, value, ResourceKind::Mutex)
    }

    /// A mutex the panels call by another name (a file lock, in step and virtual modes).
    pub(crate) fn new_kind(name: &str, value: T, kind: ResourceKind) -> Mutex<T> {
        let (core, me) = sched::current();
        let state = ResState::Mutex {
            owner: None,
            waiters: VecDeque::new(),
        };
        let rid = core.create(me, name, kind, state, None);
        Mutex {
            core,
            rid,
            data: parking_lot::Mutex::new(value),
        }
    }

    /// Wait until the lock is free, then take it (Python: `lock.acquire()`).
    #[track_caller]
    pub fn lock(&self) -> MutexGuard<'_, T> {
        self.acquire(Patience::Forever, Location::caller())
            .expect("a lock waited for without a limit is taken")
    }

    /// Take the lock if it is free, else `None` at once (Python: `lock.acquire(False)`).
    #[track_caller]
    pub fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
        self.acquire(Patience::None, Location::caller())
    }

    /// Wait at most `limit` (lesson time) for the lock (Python: `lock.acquire(timeout=…)`).
    #[track_caller]
    pub fn lock_timeout(&self, limit: Duration) -> Option<MutexGuard<'_, T>> {
        self.acquire(Patience::For(limit), Location::caller())
    }

    /// Whether some thread holds the lock now (Python: `lock.locked()`).
    #[track_caller]
    pub fn is_locked(&self) -> bool {
        let site = Some(Site::here(Location::caller()));
        let (core, me) = (&self.core, sched::current_tid());
        let rid = self.rid;
        let mut w = core.op_point(core.world.lock(), me, crate::engine::Op::Peek(rid), site);
        let locked = w.resources[rid.0 as usize].owner().is_some();
        let value = if locked { "locked" } else { "unlocked" };
        let what = What::Peek {
            rid,
            value: value.into(),
        };
        core.emit(&mut w, me, what, site);
        locked
    }

    fn acquire(
        &self,
        patience: Patience,
        loc: &'static Location<'static>,
    ) -> Option<MutexGuard<'_, T>> {
        let me = self.take(patience, loc)?;
        Some(MutexGuard {
            mutex: self,
            me,
            data: Some(self.data.lock()),
        })
    }

    /// Take the lock for the calling thread, without a guard: the caller gives it back with
    /// [`Mutex::give_back`] (a lock held across processes is released by a later message).
    pub(crate) fn take(&self, patience: Patience, loc: &'static Location<'static>) -> Option<Tid> {
        let site = Some(Site::here(loc));
        let (core, me) = (&self.core, sched::current_tid());
        let rid = self.rid;
        let mut w = core.ask_for(me, rid, site);
        let mut queued = false;
        loop {
            let ResState::Mutex { owner, waiters } = &mut w.resources[rid.0 as usize].state else {
                unreachable!("a Mutex's resource is a mutex")
            };
            match *owner {
                None => {
                    *owner = Some(me);
                    core.emit(&mut w, me, What::Acquired { rid }, site);
                    break;
                }
                // Handed over by the previous owner while we waited.
                Some(o) if o == me && queued => break,
                // Someone else, or ourselves for a second time: a plain lock is not reentrant.
                Some(_) => {
                    let limit = match patience {
                        Patience::None => {
                            let what = What::Refused {
                                rid,
                                reason: "held".into(),
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
                        let ResState::Mutex { waiters, .. } =
                            &mut w.resources[rid.0 as usize].state
                        else {
                            unreachable!("a Mutex's resource is a mutex")
                        };
                        waiters.retain(|&t| t != me);
                        core.emit(&mut w, me, What::TimedOut { on: rid }, site);
                        return None;
                    }
                }
            }
        }
        drop(w);
        Some(me)
    }

    /// Release the lock `me` holds: the longest waiter gets it.
    pub(crate) fn give_back(&self, me: Tid) {
        let core = &self.core;
        let rid = self.rid;
        let mut w = core.let_go(me, rid);
        let world = &mut *w;
        let ResState::Mutex { owner, waiters } = &mut world.resources[rid.0 as usize].state else {
            unreachable!("a Mutex's resource is a mutex")
        };
        *owner = None;
        if core.cancelled() {
            return; // everyone is leaving: nobody is handed the lock on the way out
        }
        if let Some(next) = Core::next_waiter(&world.threads, waiters, rid) {
            *owner = Some(next);
            core.wake(&mut w, next);
            core.emit(&mut w, next, What::Acquired { rid }, None);
        }
    }

    pub fn rid(&self) -> Rid {
        self.rid
    }
}

impl<T> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.data.as_ref().expect("held until drop")
    }
}

impl<T> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.data.as_mut().expect("held until drop")
    }
}

impl<T> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        self.data.take();
        self.mutex.give_back(self.me);
    }
}
