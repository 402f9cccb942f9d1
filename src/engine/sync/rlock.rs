//! A lock its owner may take again (Python: `threading.RLock`). It keeps an owner and a count;
//! others wait until the count is back to zero. Only its owner can release it: the guard stays
//! on the thread that took it (not `Send`), where Python raises `RuntimeError` when another
//! thread tries.

use super::Patience;
use crate::engine::event::{Op, ResourceKind, Rid, Site, Tid, What};
use crate::engine::sched::{self, Core, ResState};
use std::collections::VecDeque;
use std::marker::PhantomData;
use std::ops::Deref;
use std::panic::Location;
use std::sync::Arc;
use std::time::Duration;

pub struct ReentrantMutex<T> {
    core: Arc<Core>,
    rid: Rid,
    data: T,
}

/// One hold of the lock, given back when dropped. The guard only hands out `&T`, as std's
/// `ReentrantLock` does, and is not `Send`: a thread cannot release what another holds.
///
/// ```compile_fail
/// fn on_another_thread<T: Send>(_: T) {}
/// fn try_it(r: &lockstep::engine::ReentrantMutex<()>) {
///     on_another_thread(r.lock()); // refused: the guard stays with its owner
/// }
/// ```
///
/// A semaphore's permit, which anyone may give back, may go:
///
/// ```
/// fn on_another_thread<T: Send>(_: T) {}
/// fn try_it(s: &lockstep::engine::Semaphore) {
///     on_another_thread(s.acquire());
/// }
/// ```
pub struct ReentrantMutexGuard<'a, T> {
    mutex: &'a ReentrantMutex<T>,
    me: Tid,
    _on_this_thread: PhantomData<*const ()>,
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
        self.acquire(Patience::Forever, Location::caller())
            .expect("a lock waited for without a limit is taken")
    }

    /// Take it if it is free or already ours, else `None` at once (Python: `acquire(False)`).
    #[track_caller]
    pub fn try_lock(&self) -> Option<ReentrantMutexGuard<'_, T>> {
        self.acquire(Patience::None, Location::caller())
    }

    /// Wait at most `limit` (lesson time) for it (Python: `acquire(timeout=…)`).
    #[track_caller]
    pub fn lock_timeout(&self, limit: Duration) -> Option<ReentrantMutexGuard<'_, T>> {
        self.acquire(Patience::For(limit), Location::caller())
    }

    /// Whether some thread holds it now.
    #[track_caller]
    pub fn is_locked(&self) -> bool {
        let site = Some(Site::here(Location::caller()));
        let (core, me, rid) = (&self.core, sched::current_tid(), self.rid);
        let mut w = core.op_point(core.world.lock(), me, Op::Peek(rid), site);
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
    ) -> Option<ReentrantMutexGuard<'_, T>> {
        let site = Some(Site::here(loc));
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
                        if let ResState::ReentrantMutex { waiters, .. } =
                            &mut w.resources[rid.0 as usize].state
                        {
                            waiters.retain(|&t| t != me);
                        }
                        core.emit(&mut w, me, What::TimedOut { on: rid }, site);
                        return None;
                    }
                }
            }
        }
        Some(ReentrantMutexGuard {
            mutex: self,
            me,
            _on_this_thread: PhantomData,
        })
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
