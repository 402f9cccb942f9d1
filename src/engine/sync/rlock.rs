//! A lock its owner may take again (Python: `threading.RLock`). It keeps an owner and a count;
//! others wait until the count is back to zero.

use crate::engine::event::{ResourceKind, Rid, Site, Tid, What};
use crate::engine::sched::{self, Core, ResState};
use std::collections::VecDeque;
use std::ops::Deref;
use std::panic::Location;
use std::sync::Arc;

pub struct ReentrantMutex<T> {
    core: Arc<Core>,
    rid: Rid,
    data: T,
}

// SAFETY-free sharing: the guard only hands out `&T`, as std's `ReentrantLock` does.
pub struct ReentrantMutexGuard<'a, T> {
    mutex: &'a ReentrantMutex<T>,
    me: Tid,
}

impl<T> ReentrantMutex<T> {
    pub fn new(name: &str, value: T) -> ReentrantMutex<T> {
        let (core, me) = sched::current();
        let state = ResState::ReentrantMutex {
            owner: None,
            count: 0,
            waiters: VecDeque::new(),
        };
        let rid = core.create(me, name, ResourceKind::ReentrantMutex, state, None);
        ReentrantMutex {
            core,
            rid,
            data: value,
        }
    }

    /// Take the lock, or take it once more if this thread already holds it.
    #[track_caller]
    pub fn lock(&self) -> ReentrantMutexGuard<'_, T> {
        let site = Some(Site::here(Location::caller()));
        let (core, me, rid) = (&self.core, sched::current_tid(), self.rid);
        let mut w = core.ask_for(me, rid, site);
        let mut queued = false;
        loop {
            let ResState::ReentrantMutex {
                owner,
                count,
                waiters,
            } = &mut w.resources[rid.0 as usize].state
            else {
                unreachable!("a ReentrantMutex's resource is one")
            };
            match *owner {
                // Handed over by the previous owner while we waited.
                Some(o) if o == me && queued => break,
                None => {
                    (*owner, *count) = (Some(me), 1);
                    core.emit(&mut w, me, What::Acquired { rid }, site);
                    break;
                }
                Some(o) if o == me => {
                    *count += 1;
                    core.emit(&mut w, me, What::Acquired { rid }, site);
                    break;
                }
                Some(_) => {
                    if !queued {
                        waiters.push_back(me);
                        queued = true;
                    }
                    w = core.wait_on(w, me, rid, None, site).0;
                }
            }
        }
        ReentrantMutexGuard { mutex: self, me }
    }
}

impl<T> Deref for ReentrantMutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.mutex.data
    }
}

impl<T> Drop for ReentrantMutexGuard<'_, T> {
    fn drop(&mut self) {
        let (core, rid, me) = (&self.mutex.core, self.mutex.rid, self.me);
        let mut w = core.let_go(me, rid);
        let world = &mut *w;
        let ResState::ReentrantMutex {
            owner,
            count,
            waiters,
        } = &mut world.resources[rid.0 as usize].state
        else {
            unreachable!("a ReentrantMutex's resource is one")
        };
        *count = count.saturating_sub(1);
        if *count > 0 {
            return;
        }
        *owner = None;
        if core.cancelled() {
            return; // everyone is leaving: nobody is handed the lock on the way out
        }
        if let Some(next) = Core::next_waiter(&world.threads, waiters, rid) {
            (*owner, *count) = (Some(next), 1);
            core.wake(&mut w, next);
            core.emit(&mut w, next, What::Acquired { rid }, None);
        }
    }
}
