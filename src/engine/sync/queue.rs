//! A blocking queue in FIFO, LIFO or priority order, bounded or not, optionally joinable
//! (Python: `queue.Queue`, `LifoQueue`, `PriorityQueue`, with `task_done` and `join`).
//! Waiters are served in the order they came: a put hands its item straight to the longest
//! waiting get, and a get that frees a slot moves the longest waiting put's item in.

use crate::engine::event::{Op, QueueOrder, ResourceKind, Rid, Site, Tid, What};
use crate::engine::sched::{self, Core, ResState, World};
use parking_lot::MutexGuard;
use std::cmp::Ordering;
use std::collections::VecDeque;
use std::fmt::{self, Debug};
use std::panic::Location;
use std::sync::Arc;
use std::time::Duration;

pub struct Queue<T> {
    core: Arc<Core>,
    rid: Rid,
    order: QueueOrder,
    capacity: usize,
    data: parking_lot::Mutex<Items<T>>,
}

struct Items<T> {
    items: Vec<T>,
    /// Items handed straight to a waiting get, by thread.
    handed: Vec<(Tid, T)>,
    /// Items of puts waiting for room, by thread.
    parked: Vec<(Tid, T)>,
    cmp: Option<fn(&T, &T) -> Ordering>,
}

/// A non-blocking put found no room (Python: `queue.Full`); the item comes back.
#[derive(Debug, PartialEq, Eq)]
pub struct Full<T>(pub T);

/// A non-blocking get found nothing (Python: `queue.Empty`).
#[derive(Debug, PartialEq, Eq)]
pub struct Empty;

impl<T> fmt::Display for Full<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("full")
    }
}

impl fmt::Display for Empty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("empty")
    }
}

impl<T: Debug> Queue<T> {
    /// First in, first out. `capacity` 0 is unbounded.
    pub fn fifo(name: &str, capacity: usize) -> Queue<T> {
        Queue::create(name, QueueOrder::Fifo, capacity, false, None)
    }

    /// Last in, first out: a stack.
    pub fn lifo(name: &str, capacity: usize) -> Queue<T> {
        Queue::create(name, QueueOrder::Lifo, capacity, false, None)
    }

    /// FIFO that counts unfinished items: consumers call `task_done`, `join` waits for zero.
    pub fn joinable(name: &str, capacity: usize) -> Queue<T> {
        Queue::create(name, QueueOrder::Fifo, capacity, true, None)
    }

    fn create(
        name: &str,
        order: QueueOrder,
        capacity: usize,
        joinable: bool,
        cmp: Option<fn(&T, &T) -> Ordering>,
    ) -> Queue<T> {
        let (core, me) = sched::current();
        let state = ResState::Queue {
            getters: VecDeque::new(),
            putters: VecDeque::new(),
            unfinished: 0,
            joiners: Vec::new(),
        };
        let kind = ResourceKind::Queue {
            order,
            capacity: capacity as u32,
            joinable,
        };
        let rid = core.create(me, name, kind, state, None);
        Queue {
            core,
            rid,
            order,
            capacity,
            data: parking_lot::Mutex::new(Items {
                items: Vec::new(),
                handed: Vec::new(),
                parked: Vec::new(),
                cmp,
            }),
        }
    }

    /// Put an item, waiting for room if the queue is full (Python: `q.put(item)`).
    #[track_caller]
    pub fn put(&self, item: T) {
        let put = self.put_within(item, None, Location::caller());
        debug_assert!(put.is_ok(), "a put waited for without a limit goes in");
    }

    /// Put an item, waiting at most `limit` (lesson time) for room; `Full` with the item back
    /// when the time runs out (Python: `q.put(item, timeout=…)` raising `queue.Full`).
    #[track_caller]
    pub fn put_timeout(&self, item: T, limit: Duration) -> Result<(), Full<T>> {
        self.put_within(item, Some(limit), Location::caller())
    }

    fn put_within(
        &self,
        item: T,
        limit: Option<Duration>,
        loc: &'static Location<'static>,
    ) -> Result<(), Full<T>> {
        let site = Some(Site::here(loc));
        let me = sched::current_tid();
        let rid = self.rid;
        let limit_ns = limit.map(|d| self.core.scaled_ns(d));
        let w = self
            .core
            .op_point(self.core.world.lock(), me, Op::Put(rid), site);
        let Err((mut w, item)) = self.try_put(w, me, item, site) else {
            return Ok(());
        };
        self.data.lock().parked.push((me, item));
        self.state(&mut w).1.push_back(me);
        // A get moves our item in and wakes us.
        let (mut w, timed_out) = self.core.wait_on(w, me, rid, limit_ns, site);
        if !timed_out {
            return Ok(());
        }
        self.state(&mut w).1.retain(|&t| t != me);
        let mut data = self.data.lock();
        let at = data
            .parked
            .iter()
            .position(|(t, _)| *t == me)
            .expect("a put that timed out still has its item");
        let item = data.parked.remove(at).1;
        drop(data);
        self.core.emit(&mut w, me, What::TimedOut { on: rid }, site);
        Err(Full(item))
    }

    /// Put without waiting: `Full` when there is no room (Python: `q.put_nowait(item)`).
    #[track_caller]
    pub fn put_nowait(&self, item: T) -> Result<(), Full<T>> {
        let site = Some(Site::here(Location::caller()));
        let me = sched::current_tid();
        let w = self
            .core
            .op_point(self.core.world.lock(), me, Op::Put(self.rid), site);
        match self.try_put(w, me, item, site) {
            Ok(()) => Ok(()),
            Err((mut w, item)) => {
                let what = What::Refused {
                    rid: self.rid,
                    reason: "full".into(),
                };
                self.core.emit(&mut w, me, what, site);
                Err(Full(item))
            }
        }
    }

    /// Hand the item to a waiting get, or put it in if there is room; else give it back.
    #[allow(clippy::type_complexity)]
    fn try_put<'a>(
        &'a self,
        mut w: MutexGuard<'a, World>,
        me: Tid,
        item: T,
        site: Option<Site>,
    ) -> Result<(), (MutexGuard<'a, World>, T)> {
        let rid = self.rid;
        let getter = {
            let world = &mut *w;
            let ResState::Queue { getters, .. } = &mut world.resources[rid.0 as usize].state else {
                unreachable!("a Queue's resource is one")
            };
            Core::next_waiter(&world.threads, getters, rid)
        };
        let mut data = self.data.lock();
        if getter.is_none() && self.capacity > 0 && data.items.len() >= self.capacity {
            return Err((w, item));
        }
        let shown = format!("{item:?}");
        let index = self.insert(&mut data, item);
        let len = data.items.len();
        self.core
            .emit(&mut w, me, put_event(rid, &shown, index, len), site);
        self.count_unfinished(&mut w, 1);
        if let Some(g) = getter {
            // Straight into the hands of the longest waiter.
            let item = data.items.remove(index);
            data.handed.push((g, item));
            self.core.wake(&mut w, g);
            let len = data.items.len();
            let what = What::Took {
                rid,
                item: shown,
                index,
                len,
            };
            self.core.emit(&mut w, g, what, None);
        }
        Ok(())
    }

    /// Take the next item, waiting for one if the queue is empty (Python: `q.get()`).
    #[track_caller]
    pub fn get(&self) -> T {
        let loc = Location::caller();
        self.get_within(None, loc)
            .expect("a get without a time limit waits until it has an item")
    }

    /// Take the next item, or give up after `limit` (lesson time) and return `None`
    /// (Python: `q.get(timeout=...)`).
    #[track_caller]
    pub fn get_timeout(&self, limit: Duration) -> Option<T> {
        self.get_within(Some(limit), Location::caller())
    }

    /// Take without waiting: `Empty` when there is nothing (Python: `q.get_nowait()`).
    #[track_caller]
    pub fn get_nowait(&self) -> Result<T, Empty> {
        let site = Some(Site::here(Location::caller()));
        let me = sched::current_tid();
        let w = self
            .core
            .op_point(self.core.world.lock(), me, Op::Take(self.rid), site);
        match self.try_take(w, me, site) {
            Ok(item) => Ok(item),
            Err(mut w) => {
                let what = What::Refused {
                    rid: self.rid,
                    reason: "empty".into(),
                };
                self.core.emit(&mut w, me, what, site);
                Err(Empty)
            }
        }
    }

    fn get_within(&self, limit: Option<Duration>, loc: &'static Location<'static>) -> Option<T> {
        let site = Some(Site::here(loc));
        let me = sched::current_tid();
        let rid = self.rid;
        let limit_ns = limit.map(|d| self.core.scaled_ns(d));
        let w = self
            .core
            .op_point(self.core.world.lock(), me, Op::Take(rid), site);
        let mut w = match self.try_take(w, me, site) {
            Ok(item) => return Some(item),
            Err(w) => w,
        };
        self.state(&mut w).0.push_back(me);
        let (mut w, timed_out) = self.core.wait_on(w, me, rid, limit_ns, site);
        if timed_out {
            self.state(&mut w).0.retain(|&t| t != me);
            self.core.emit(&mut w, me, What::TimedOut { on: rid }, site);
            return None;
        }
        // A put handed us its item.
        let mut data = self.data.lock();
        let at = data.handed.iter().position(|(t, _)| *t == me)?;
        Some(data.handed.remove(at).1)
    }

    /// Take the next item if there is one; a freed slot goes to the longest waiting put.
    fn try_take<'a>(
        &'a self,
        mut w: MutexGuard<'a, World>,
        me: Tid,
        site: Option<Site>,
    ) -> Result<T, MutexGuard<'a, World>> {
        let rid = self.rid;
        let mut data = self.data.lock();
        if data.items.is_empty() {
            drop(data);
            return Err(w);
        }
        let index = match self.order {
            QueueOrder::Lifo => data.items.len() - 1,
            QueueOrder::Fifo | QueueOrder::Priority => 0,
        };
        let item = data.items.remove(index);
        let what = What::Took {
            rid,
            item: format!("{item:?}"),
            index,
            len: data.items.len(),
        };
        self.core.emit(&mut w, me, what, site);
        let putter = {
            let world = &mut *w;
            let ResState::Queue { putters, .. } = &mut world.resources[rid.0 as usize].state else {
                unreachable!("a Queue's resource is one")
            };
            Core::next_waiter(&world.threads, putters, rid)
        };
        if let Some(p) = putter
            && let Some(at) = data.parked.iter().position(|(t, _)| *t == p)
        {
            let parked = data.parked.remove(at).1;
            let shown = format!("{parked:?}");
            let index = self.insert(&mut data, parked);
            let len = data.items.len();
            self.core.wake(&mut w, p);
            self.core
                .emit(&mut w, p, put_event(rid, &shown, index, len), None);
            self.count_unfinished(&mut w, 1);
        }
        Ok(item)
    }

    /// Mark one item taken from a joinable queue as processed (Python: `q.task_done()`).
    #[track_caller]
    pub fn task_done(&self) {
        let site = Some(Site::here(Location::caller()));
        let me = sched::current_tid();
        let rid = self.rid;
        let mut w = self
            .core
            .op_point(self.core.world.lock(), me, Op::TaskDone(rid), site);
        let ResState::Queue { unfinished, .. } = &mut w.resources[rid.0 as usize].state else {
            unreachable!("a Queue's resource is one")
        };
        let Some(left) = unfinished.checked_sub(1) else {
            drop(w);
            panic!("task_done() called more times than there were items");
        };
        *unfinished = left;
        self.core.emit(
            &mut w,
            me,
            What::TaskDone {
                rid,
                unfinished: left,
            },
            site,
        );
        if left == 0 {
            self.wake_joiners(&mut w);
        }
    }

    /// Wait until every item put has been marked done (Python: `q.join()`).
    #[track_caller]
    pub fn join(&self) {
        let site = Some(Site::here(Location::caller()));
        let me = sched::current_tid();
        let rid = self.rid;
        let mut w = self
            .core
            .op_point(self.core.world.lock(), me, Op::WaitAll(rid), site);
        self.core.emit(&mut w, me, What::WaitAll { rid }, site);
        loop {
            let ResState::Queue {
                unfinished,
                joiners,
                ..
            } = &mut w.resources[rid.0 as usize].state
            else {
                unreachable!("a Queue's resource is one")
            };
            if *unfinished == 0 {
                break;
            }
            joiners.push(me);
            w = self.core.wait_on(w, me, rid, None, site).0;
        }
        self.core.emit(&mut w, me, What::AllDone { rid }, site);
    }

    /// Items in the queue now (Python: `q.qsize()`).
    pub fn len(&self) -> usize {
        self.data.lock().items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The most items it holds, 0 for no limit (Python: `q.maxsize`).
    pub fn maxsize(&self) -> usize {
        self.capacity
    }

    pub fn is_full(&self) -> bool {
        self.capacity > 0 && self.len() >= self.capacity
    }

    pub fn rid(&self) -> Rid {
        self.rid
    }

    /// Insert by the queue's order; returns the index.
    fn insert(&self, data: &mut Items<T>, item: T) -> usize {
        let index = match data.cmp {
            // After any equal keys: equal priorities come out in the order they went in.
            Some(cmp) => data
                .items
                .partition_point(|x| cmp(x, &item) != Ordering::Greater),
            None => data.items.len(),
        };
        data.items.insert(index, item);
        index
    }

    fn count_unfinished(&self, w: &mut World, by: usize) {
        if let ResState::Queue { unfinished, .. } = &mut w.resources[self.rid.0 as usize].state {
            *unfinished += by;
        }
    }

    fn wake_joiners(&self, w: &mut World) {
        let rid = self.rid;
        let ResState::Queue { joiners, .. } = &mut w.resources[rid.0 as usize].state else {
            return;
        };
        let woken = std::mem::take(joiners);
        for t in woken {
            if Core::waits_on(w, t, rid) {
                self.core.wake(w, t);
            }
        }
    }

    /// The waiting gets and puts.
    fn state<'w>(&self, w: &'w mut World) -> (&'w mut VecDeque<Tid>, &'w mut VecDeque<Tid>) {
        match &mut w.resources[self.rid.0 as usize].state {
            ResState::Queue {
                getters, putters, ..
            } => (getters, putters),
            _ => unreachable!("a Queue's resource is one"),
        }
    }
}

impl<T: Ord + Debug> Queue<T> {
    /// Smallest first, e.g. `(10, "b")` before `(20, "a")`. `capacity` 0 is unbounded.
    pub fn priority(name: &str, capacity: usize) -> Queue<T> {
        Queue::create(name, QueueOrder::Priority, capacity, false, Some(T::cmp))
    }
}

fn put_event(rid: Rid, shown: &str, index: usize, len: usize) -> What {
    What::Put {
        rid,
        item: shown.to_string(),
        index,
        len,
    }
}
