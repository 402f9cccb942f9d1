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

/// A thread-local declared once for the whole module, as Python's `local = threading.local()`
/// at a module's top: `static LOCAL: Local<String> = Local::new("local");`. Any function can
/// read it, with no argument passed, and each thread sees only its own value. Each process of
/// the run has its own, made on first use.
pub struct Local<T> {
    name: &'static str,
    _value: std::marker::PhantomData<fn() -> T>,
}

/// Each thread's value of a [`Local`] in one process.
type Slots<T> = BTreeMap<Tid, T>;

impl<T: Clone + Debug + Send + 'static> Local<T> {
    pub const fn new(name: &'static str) -> Local<T> {
        Local {
            name,
            _value: std::marker::PhantomData,
        }
    }

    /// Set the calling thread's own value (Python: `local.url = url`).
    #[track_caller]
    pub fn set(&self, value: T) {
        let site = Some(Site::here(Location::caller()));
        let (core, me) = sched::current();
        let rid = self.resource(&core, me);
        let mut w = core.op_point(core.world.lock(), me, Op::Set(rid), site);
        let shown = format!("{value:?}");
        if let Some(slots) = self.slots(&mut w, me) {
            slots.insert(me, value);
        }
        core.emit(&mut w, me, What::LocalSet { rid, value: shown }, site);
    }

    /// The calling thread's own value, `None` if it set none (Python: `local.url`, which
    /// raises `AttributeError` in a thread that did not set it).
    #[track_caller]
    pub fn get(&self) -> Option<T> {
        let site = Some(Site::here(Location::caller()));
        let (core, me) = sched::current();
        let rid = self.resource(&core, me);
        let mut w = core.op_point(core.world.lock(), me, Op::Get(rid), site);
        let value = self.slots(&mut w, me).and_then(|s| s.get(&me).cloned());
        let shown = value.as_ref().map(|v| format!("{v:?}"));
        core.emit(&mut w, me, What::LocalGet { rid, value: shown }, site);
        value
    }

    /// The slots of the calling thread's process.
    fn slots<'w>(&self, w: &'w mut sched::World, me: Tid) -> Option<&'w mut Slots<T>> {
        let pid = w.threads[me.0 as usize].pid;
        w.globals
            .get_mut(&(pid, self.name))
            .and_then(|(_, v)| v.downcast_mut::<Slots<T>>())
    }

    /// This process's resource, made on first use.
    fn resource(&self, core: &Core, me: Tid) -> Rid {
        let mut w = core.world.lock();
        let pid = w.threads[me.0 as usize].pid;
        if let Some((rid, _)) = w.globals.get(&(pid, self.name)) {
            return *rid;
        }
        let rid = core.create_in(
            &mut w,
            me,
            self.name,
            ResourceKind::ThreadLocal,
            ResState::ThreadLocal,
            None,
        );
        w.globals
            .insert((pid, self.name), (rid, Box::new(Slots::<T>::new())));
        rid
    }
}
