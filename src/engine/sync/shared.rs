//! A shared variable read and written in separate steps, so a lost update can happen and be
//! seen (Python: a global `n` that threads read with `tmp = n` and write with `n = tmp - 1`).

use crate::engine::event::{Op, ResourceKind, Rid, Site, Tid, What};
use crate::engine::sched::{self, Core, ResState, World, lost_of};
use std::fmt::Debug;
use std::panic::Location;
use std::sync::Arc;

pub struct Shared<T> {
    core: Arc<Core>,
    rid: Rid,
    value: parking_lot::Mutex<T>,
}

impl<T: Clone + Debug> Shared<T> {
    pub fn new(name: &str, value: T) -> Shared<T> {
        let (core, me) = sched::current();
        let state = ResState::Variable {
            version: 0,
            read_version: Vec::new(),
            depth: vec![0],
        };
        let shown = Some(format!("{value:?}"));
        let rid = core.create(me, name, ResourceKind::Variable, state, shown);
        Shared {
            core,
            rid,
            value: parking_lot::Mutex::new(value),
        }
    }

    /// Read the value.
    #[track_caller]
    pub fn get(&self) -> T {
        let site = Some(Site::here(Location::caller()));
        let me = sched::current_tid();
        let rid = self.rid;
        let mut w = self
            .core
            .op_point(self.core.world.lock(), me, Op::Get(rid), site);
        let value = self.value.lock().clone();
        read_variable(&self.core, &mut w, me, rid, format!("{value:?}"), site);
        value
    }

    /// Write the value. A write computed from a stale read erases the updates made since.
    #[track_caller]
    pub fn set(&self, value: T) {
        let site = Some(Site::here(Location::caller()));
        let me = sched::current_tid();
        let rid = self.rid;
        let shown = format!("{value:?}"); // before taking the world lock: it allocates
        let mut w = self
            .core
            .op_point(self.core.world.lock(), me, Op::Set(rid), site);
        *self.value.lock() = value;
        write_variable(&self.core, &mut w, me, rid, shown, site);
    }

    /// How many writes left no trace in the current value: they were overwritten by writes
    /// computed from reads older than them.
    pub fn lost_updates(&self) -> u64 {
        let w = self.core.world.lock();
        w.resources[self.rid.0 as usize].lost_updates().unwrap_or(0)
    }

    /// The value, without recording a read (for reporting after the run).
    pub fn peek(&self) -> T {
        self.value.lock().clone()
    }

    pub fn rid(&self) -> Rid {
        self.rid
    }
}

/// `me` read variable `rid` (its value as shown): the version it read is remembered, so its
/// next write can tell whether it was computed from a stale value.
pub(crate) fn read_variable(
    core: &Core,
    w: &mut World,
    me: Tid,
    rid: Rid,
    shown: String,
    site: Option<Site>,
) {
    let ResState::Variable {
        version,
        read_version,
        ..
    } = &mut w.resources[rid.0 as usize].state
    else {
        unreachable!("a variable's resource is one")
    };
    let v = *version;
    set_read(read_version, me, v);
    core.emit(w, me, What::Get { rid, value: shown }, site);
}

/// `me` wrote variable `rid`. A write builds on the version its writer last read (a blind
/// write on the newest); one computed from a stale read erases the updates made since.
pub(crate) fn write_variable(
    core: &Core,
    w: &mut World,
    me: Tid,
    rid: Rid,
    shown: String,
    site: Option<Site>,
) {
    let ResState::Variable {
        version,
        read_version,
        depth,
    } = &mut w.resources[rid.0 as usize].state
    else {
        unreachable!("a variable's resource is one")
    };
    let seen = read_version
        .iter()
        .find(|(t, _)| *t == me)
        .map_or(*version, |&(_, seen)| seen);
    let stale = seen != *version;
    depth.push(depth[seen as usize] + 1);
    *version += 1;
    let v = *version;
    set_read(read_version, me, v);
    let lost = lost_of(depth);
    let what = What::Set {
        rid,
        value: shown,
        stale,
        lost,
    };
    core.emit(w, me, what, site);
}

/// `me`, a live child, wrote variable `rid` and says itself whether it wrote on a stale read
/// (a file's writer sees it on disk): its events cross a socket of their own, so the order
/// they arrive in may not be the order things happened in.
#[allow(clippy::too_many_arguments)]
pub(crate) fn write_variable_told(
    core: &Core,
    w: &mut World,
    me: Tid,
    rid: Rid,
    shown: String,
    site: Option<Site>,
    stale: bool,
) {
    if let ResState::Variable {
        version,
        read_version,
        ..
    } = &mut w.resources[rid.0 as usize].state
    {
        let seen = read_version
            .iter()
            .find(|(t, _)| *t == me)
            .map_or(*version, |&(_, seen)| seen);
        let told = match (stale, seen < *version) {
            (false, _) => *version,
            (true, true) => seen,
            // Its read arrived after writes that came later: it read the first version, as
            // far as anyone here can tell.
            (true, false) => 0,
        };
        set_read(read_version, me, told);
    }
    write_variable(core, w, me, rid, shown, site);
}

fn set_read(reads: &mut Vec<(Tid, u64)>, me: Tid, version: u64) {
    match reads.iter_mut().find(|(t, _)| *t == me) {
        Some(entry) => entry.1 = version,
        None => reads.push((me, version)),
    }
}
