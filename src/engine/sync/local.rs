//! Thread-local data: one value per thread, none seeing another's (Python:
//! `threading.local()`, whose attributes each thread sets and reads for itself).

use crate::engine::event::{Op, ResourceKind, Rid, Site, Tid, What};
use crate::engine::sched::{self, Core, ResState};
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::panic::Location;
use std::sync::Arc;

pub struct ThreadLocal<T> {
    core: Arc<Core>,
    rid: Rid,
    slots: parking_lot::Mutex<BTreeMap<Tid, T>>,
}

impl<T: Clone + Debug> ThreadLocal<T> {
    /// Empty for every thread (Python: `local = threading.local()`).
    pub fn new(name: &str) -> ThreadLocal<T> {
        let (core, me) = sched::current();
        let rid = core.create(
            me,
            name,
            ResourceKind::ThreadLocal,
            ResState::ThreadLocal,
            None,
        );
        ThreadLocal {
            core,
            rid,
            slots: parking_lot::Mutex::new(BTreeMap::new()),
        }
    }

    /// Set the calling thread's own value (Python: `local.x = value`).
    #[track_caller]
    pub fn set(&self, value: T) {
        let site = Some(Site::here(Location::caller()));
        let (core, me, rid) = (&self.core, sched::current_tid(), self.rid);
        let mut w = core.op_point(core.world.lock(), me, Op::Set(rid), site);
        let shown = format!("{value:?}");
        self.slots.lock().insert(me, value);
        core.emit(&mut w, me, What::LocalSet { rid, value: shown }, site);
    }

    /// The calling thread's own value, `None` if it set none (Python: `local.x`, which raises
    /// `AttributeError` in a thread that did not set it).
    #[track_caller]
    pub fn get(&self) -> Option<T> {
        let site = Some(Site::here(Location::caller()));
        let (core, me, rid) = (&self.core, sched::current_tid(), self.rid);
        let mut w = core.op_point(core.world.lock(), me, Op::Get(rid), site);
        let value = self.slots.lock().get(&me).cloned();
        let shown = value.as_ref().map(|v| format!("{v:?}"));
        core.emit(&mut w, me, What::LocalGet { rid, value: shown }, site);
        value
    }

    pub fn rid(&self) -> Rid {
        self.rid
    }
}
