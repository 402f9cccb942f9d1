//! A semaphore: up to `permits` threads hold it at once, the rest queue at the door
//! (Python: `threading.Semaphore`). With one permit it is a mutex.

use crate::engine::event::{ResourceKind, Rid, Site, Tid, What};
use crate::engine::sched::{self, Core, ResState};
use std::collections::VecDeque;
use std::panic::Location;
use std::sync::Arc;

pub struct Semaphore {
    core: Arc<Core>,
    rid: Rid,
}

/// One permit, given back when dropped (Python: leaving `with sem:`).
pub struct SemaphorePermit<'a> {
    sem: &'a Semaphore,
    me: Tid,
}

impl Semaphore {
    pub fn new(name: &str, permits: u32) -> Semaphore {
        let (core, me) = sched::current();
        let state = ResState::Semaphore {
            permits,
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
        let site = Some(Site::here(Location::caller()));
        let (core, me, rid) = (&self.core, sched::current_tid(), self.rid);
        let mut w = core.ask_for(me, rid, site);
        let mut queued = false;
        loop {
            let ResState::Semaphore {
                permits,
                holders,
                waiters,
            } = &mut w.resources[rid.0 as usize].state
            else {
                unreachable!("a Semaphore's resource is one")
            };
            if queued && holders.contains(&me) {
                break; // handed a permit while we waited
            }
            if !queued && holders.len() < *permits as usize {
                holders.push(me);
                core.emit(&mut w, me, What::Acquired { rid }, site);
                break;
            }
            if !queued {
                waiters.push_back(me);
                queued = true;
            }
            w = core.wait_on(w, me, rid, None, site).0;
        }
        SemaphorePermit { sem: self, me }
    }
}

impl Drop for SemaphorePermit<'_> {
    fn drop(&mut self) {
        let (core, rid, me) = (&self.sem.core, self.sem.rid, self.me);
        let mut w = core.let_go(me, rid);
        let world = &mut *w;
        let ResState::Semaphore {
            holders, waiters, ..
        } = &mut world.resources[rid.0 as usize].state
        else {
            unreachable!("a Semaphore's resource is one")
        };
        if let Some(at) = holders.iter().position(|&t| t == me) {
            holders.remove(at);
        }
        if core.cancelled() {
            return; // everyone is leaving: nobody is handed a permit on the way out
        }
        if let Some(next) = Core::next_waiter(&world.threads, waiters, rid) {
            holders.push(next);
            core.wake(&mut w, next);
            core.emit(&mut w, next, What::Acquired { rid }, None);
        }
    }
}
