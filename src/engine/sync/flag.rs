//! A flag threads wait on until someone sets it (Python: `threading.Event`): a whistle, a
//! "the water has boiled" sign, a "stop now" signal.

use crate::engine::event::{Op, ResourceKind, Rid, Site, What};
use crate::engine::sched::{self, Core, ResState};
use std::panic::Location;
use std::sync::Arc;
use std::time::Duration;

pub struct Flag {
    core: Arc<Core>,
    rid: Rid,
}

impl Flag {
    pub fn new(name: &str) -> Flag {
        let (core, me) = sched::current();
        let state = ResState::Flag {
            set: false,
            waiters: Vec::new(),
        };
        let rid = core.create(me, name, ResourceKind::Flag, state, Some("clear".into()));
        Flag { core, rid }
    }

    /// Set the flag and wake everyone waiting for it.
    #[track_caller]
    pub fn set(&self) {
        let site = Some(Site::here(Location::caller()));
        let (core, me, rid) = (&self.core, sched::current_tid(), self.rid);
        let mut w = core.op_point(core.world.lock(), me, Op::SetFlag(rid), site);
        core.emit(&mut w, me, What::FlagSet { rid }, site);
        let ResState::Flag { set, waiters } = &mut w.resources[rid.0 as usize].state else {
            unreachable!("a Flag's resource is one")
        };
        *set = true;
        for t in std::mem::take(waiters) {
            if Core::waits_on(&w, t, rid) {
                core.wake(&mut w, t);
            }
        }
    }

    #[track_caller]
    pub fn clear(&self) {
        let site = Some(Site::here(Location::caller()));
        let (core, me, rid) = (&self.core, sched::current_tid(), self.rid);
        let mut w = core.op_point(core.world.lock(), me, Op::ClearFlag(rid), site);
        if let ResState::Flag { set, .. } = &mut w.resources[rid.0 as usize].state {
            *set = false;
        }
        core.emit(&mut w, me, What::FlagCleared { rid }, site);
    }

    /// Look without waiting (Python: `event.is_set()`).
    #[track_caller]
    pub fn is_set(&self) -> bool {
        let site = Some(Site::here(Location::caller()));
        let (core, me, rid) = (&self.core, sched::current_tid(), self.rid);
        let mut w = core.op_point(core.world.lock(), me, Op::Peek(rid), site);
        let value = matches!(
            w.resources[rid.0 as usize].state,
            ResState::Flag { set: true, .. }
        );
        let shown = if value { "set" } else { "clear" };
        core.emit(
            &mut w,
            me,
            What::Peek {
                rid,
                value: shown.into(),
            },
            site,
        );
        value
    }

    /// Wait until the flag is set (Python: `event.wait()`, which then returns True).
    #[track_caller]
    pub fn wait(&self) -> bool {
        self.wait_for(None, Location::caller())
    }

    /// Wait until the flag is set or `limit` (lesson time) passes; true if it was set
    /// (Python: `event.wait(timeout)`).
    #[track_caller]
    pub fn wait_timeout(&self, limit: Duration) -> bool {
        self.wait_for(Some(limit), Location::caller())
    }

    fn wait_for(&self, limit: Option<Duration>, loc: &'static Location<'static>) -> bool {
        let site = Some(Site::here(loc));
        let (core, me, rid) = (&self.core, sched::current_tid(), self.rid);
        let limit_ns = limit.map(|d| core.scaled_ns(d));
        let mut w = core.op_point(core.world.lock(), me, Op::WaitFlag(rid), site);
        core.emit(&mut w, me, What::WaitFlag { rid }, site);
        let is_set = |w: &sched::World| {
            matches!(
                w.resources[rid.0 as usize].state,
                ResState::Flag { set: true, .. }
            )
        };
        if is_set(&w) {
            return true;
        }
        if let ResState::Flag { waiters, .. } = &mut w.resources[rid.0 as usize].state {
            waiters.push(me);
        }
        let (mut w, timed_out) = core.wait_on(w, me, rid, limit_ns, site);
        if timed_out {
            if let ResState::Flag { waiters, .. } = &mut w.resources[rid.0 as usize].state {
                waiters.retain(|&t| t != me);
            }
            core.emit(&mut w, me, What::TimedOut { on: rid }, site);
            return false;
        }
        true
    }
}
