//! A mutex that knows its owner and its queue of waiters (Python: `threading.Lock`).
//! Fair: the lock passes straight to the longest waiter when it is released.

use crate::engine::event::{ResourceKind, Rid, Site, Tid, What};
use crate::engine::sched::{self, Core, ResState};
use std::collections::VecDeque;
use std::ops::{Deref, DerefMut};
use std::panic::Location;
use std::sync::Arc;

pub struct Mutex<T> {
    core: Arc<Core>,
    rid: Rid,
    data: parking_lot::Mutex<T>,
}

/// Proof that the lock is held; dropping it releases the lock (Python: leaving `with lock:`).
pub struct MutexGuard<'a, T> {
    mutex: &'a Mutex<T>,
    me: Tid,
    data: Option<parking_lot::MutexGuard<'a, T>>,
}

impl<T> Mutex<T> {
    /// A new, unlocked mutex named `name` in the run's panels.
    pub fn new(name: &str, value: T) -> Mutex<T> {
        let (core, me) = sched::current();
        let state = ResState::Mutex {
            owner: None,
            waiters: VecDeque::new(),
        };
        let rid = core.create(me, name, ResourceKind::Mutex, state, None);
        Mutex {
            core,
            rid,
            data: parking_lot::Mutex::new(value),
        }
    }

    /// Wait until the lock is free, then take it (Python: `lock.acquire()`).
    #[track_caller]
    pub fn lock(&self) -> MutexGuard<'_, T> {
        let site = Some(Site::here(Location::caller()));
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
                    if !queued {
                        waiters.push_back(me);
                        queued = true;
                    }
                    w = core.wait_on(w, me, rid, None, site).0;
                }
            }
        }
        drop(w);
        MutexGuard {
            mutex: self,
            me,
            data: Some(self.data.lock()),
        }
    }

    pub fn rid(&self) -> Rid {
        self.rid
    }
}

impl<T> MutexGuard<'_, T> {
    /// Release the lock here (the same as dropping the guard, with the line recorded).
    #[track_caller]
    pub fn unlock(self) {
        drop(self);
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
        let core = &self.mutex.core;
        let (rid, me) = (self.mutex.rid, self.me);
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
}
