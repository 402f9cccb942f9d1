//! What crosses processes, as Python's `multiprocessing` has it: a process `Queue` (and a
//! joinable one), a `Pipe`, a `Lock`, a shared `Value` / `Array` in shared memory, and a lock
//! on a real file.
//!
//! **Who keeps them.** The process that makes one hosts it: its waiters, owner and items live
//! in that process's run, so the panels show them like any other resource. In step and virtual
//! modes every process is a group of threads of one program, and a handle is the object
//! itself. Live, a child process holds a *proxy*: its handle, copied in with the process's
//! argument, names the object, and each operation travels to the parent over the run's Unix
//! socket, where a thread of the parent performs it in the child thread's name (the child's
//! lane shows it blocked on the parent's queue) and sends the answer back. Items cross as JSON,
//! as Python's cross as pickles: a copy, never shared memory.
//!
//! **Shared memory.** A `SharedValue`'s numbers live in a file every process maps (live): a
//! child reads and writes them itself, as Python's `Value` does, and tells the parent, which
//! counts lost updates across processes as it does across threads. Its lock is a process
//! `Lock`.
//!
//! **File locks.** A `FileLock` is `flock(2)` on a real file, live: it excludes threads and
//! processes alike (each acquire opens the file afresh). A thread waiting for one polls, so a
//! cancel can end the wait. In step and virtual modes it is a lock of the run, on the clock.

use super::event::{BlockedOn, Op, ResourceKind, Rid, Site, ThreadState, What};
use super::sched::{self, Cancelled, Core, ResState};
use super::sync::{Full, Mutex, Queue};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::any::Any;
use std::fmt::{self, Debug};
use std::marker::PhantomData;
use std::panic::Location;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

/// Set in a resource number a live child uses for a resource its parent hosts: the parent
/// reads it as its own number.
pub(crate) const HOSTED: u32 = 1 << 31;

/// How long an operation may wait.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub(crate) enum Wait {
    Forever,
    No,
    /// Lesson seconds.
    For(f64),
}

impl Wait {
    pub(crate) fn limit(d: Duration) -> Wait {
        Wait::For(d.as_secs_f64())
    }
}

/// An operation a child asks its parent to perform on a hosted object.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum Call {
    Put { item: Item, wait: Wait },
    Get { wait: Wait },
    TaskDone,
    Join,
    Len,
    Acquire { wait: Wait },
    Release,
}

/// The parent's answer.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum Reply {
    Done,
    Item(Item),
    /// The queue was full: the item comes back.
    Full(Item),
    Empty,
    Len(usize),
    Acquired(bool),
    /// The operation raised (a task_done too many, say): the child raises the same.
    Raised(String),
    /// The run is being cancelled.
    Cancelled,
}

/// An item in a process queue: its JSON, and how the demo shows it (its Debug form).
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct Item {
    value: Value,
    shown: String,
}

impl Debug for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

impl Item {
    pub(crate) fn of<T: Serialize + Debug>(t: &T) -> Item {
        Item {
            value: serde_json::to_value(t).expect("what crosses processes is plain data"),
            shown: format!("{t:?}"),
        }
    }

    pub(crate) fn take<T: DeserializeOwned>(self) -> T {
        serde_json::from_value(self.value).expect("an item comes back as the type it went in")
    }
}

/// An object a process hosts for others.
pub(crate) trait Hosted: Send + Sync + 'static {
    /// Perform `call` in the calling thread's name (the proxy's current thread).
    fn call(&self, call: Call) -> Reply;
    fn any(self: Arc<Self>) -> Arc<dyn Any + Send + Sync>;
}

/// The objects a run hosts, by resource number.
pub(crate) type Registry = parking_lot::Mutex<std::collections::HashMap<u32, Arc<dyn Hosted>>>;

pub(super) fn host<H: Hosted>(core: &Core, rid: Rid, h: Arc<H>) {
    core.hosted.lock().insert(rid.0, h);
}

/// The hosted object `rid` of the calling thread's run, if it hosts it and it is an `H`.
pub(super) fn hosted<H: Hosted>(core: &Core, rid: u32) -> Option<Arc<H>> {
    let h = core.hosted.lock().get(&rid).cloned()?;
    h.any().downcast::<H>().ok()
}

/// A handle as it crosses to another process: which object, its name, and what it is.
#[derive(Serialize, Deserialize)]
pub(super) struct Handle {
    pub rid: u32,
    pub name: String,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<PathBuf>,
    #[serde(default)]
    pub len: usize,
}

/// Where a handle's object is: here (this process hosts it, or every process is a thread of
/// this program), or in the parent (a live child's proxy).
pub(super) enum Side<H> {
    Here(Arc<H>),
    Parent,
}

impl<H> Clone for Side<H> {
    fn clone(&self) -> Side<H> {
        match self {
            Side::Here(h) => Side::Here(h.clone()),
            Side::Parent => Side::Parent,
        }
    }
}

/// Find the object a handle names: here if this run hosts it, else in the parent (a live
/// child); anything else is a handle from another run, an error in the demo.
pub(super) fn side_of<H: Hosted, E: serde::de::Error>(
    h: &Handle,
    kind: &str,
) -> Result<Side<H>, E> {
    if h.kind != kind {
        return Err(E::custom(format!(
            "{} is a {}, not a {kind}",
            h.name, h.kind
        )));
    }
    let (core, _) = sched::current();
    if let Some(found) = hosted::<H>(&core, h.rid) {
        return Ok(Side::Here(found));
    }
    if super::child::in_child() {
        return Ok(Side::Parent);
    }
    Err(E::custom(format!("{} belongs to another run", h.name)))
}

/// Ask the parent to perform `call` on `rid` for the calling thread of a live child, after
/// its scheduling point. A cancel while waiting unwinds, as any wait does.
fn remote(rid: Rid, op: Op, call: Call, site: Option<Site>) -> Reply {
    let (core, me) = sched::current();
    let hosted = Rid(rid.0 | HOSTED);
    let op = op.with_rid(hosted);
    drop(core.op_point(core.world.lock(), me, op, site));
    let reply = super::child::call_parent(&core, me, rid.0, call, site);
    match reply {
        Reply::Cancelled if !std::thread::panicking() => {
            std::panic::resume_unwind(Box::new(Cancelled))
        }
        Reply::Raised(why) if !std::thread::panicking() => panic!("{why}"),
        r => r,
    }
}

// ---- queues ----

/// The object behind a process queue: a queue of the hosting run, of JSON items.
pub(crate) struct HostedQueue {
    pub(crate) q: Queue<Item>,
}

impl Hosted for HostedQueue {
    fn call(&self, call: Call) -> Reply {
        match call {
            Call::Put { item, wait } => match wait {
                Wait::Forever => {
                    self.q.put(item);
                    Reply::Done
                }
                Wait::No => match self.q.put_nowait(item) {
                    Ok(()) => Reply::Done,
                    Err(Full(item)) => Reply::Full(item),
                },
                Wait::For(s) => match self.q.put_timeout(item, Duration::from_secs_f64(s)) {
                    Ok(()) => Reply::Done,
                    Err(Full(item)) => Reply::Full(item),
                },
            },
            Call::Get { wait } => {
                let got = match wait {
                    Wait::Forever => Some(self.q.get()),
                    Wait::No => self.q.get_nowait().ok(),
                    Wait::For(s) => self.q.get_timeout(Duration::from_secs_f64(s)),
                };
                got.map_or(Reply::Empty, Reply::Item)
            }
            Call::TaskDone => {
                self.q.task_done();
                Reply::Done
            }
            Call::Join => {
                self.q.join();
                Reply::Done
            }
            Call::Len => Reply::Len(self.q.len()),
            Call::Acquire { .. } | Call::Release => Reply::Raised("not a lock".into()),
        }
    }

    fn any(self: Arc<Self>) -> Arc<dyn Any + Send + Sync> {
        self
    }
}

/// A queue processes share (Python: `multiprocessing.Queue`, or `JoinableQueue`): what goes in
/// is copied, and comes out in another process. Cheap to clone; hand it to a process in its
/// argument.
pub struct ProcessQueue<T> {
    rid: Rid,
    name: String,
    side: Side<HostedQueue>,
    _items: PhantomData<fn(T) -> T>,
}

impl<T> Clone for ProcessQueue<T> {
    fn clone(&self) -> Self {
        ProcessQueue {
            rid: self.rid,
            name: self.name.clone(),
            side: self.side.clone(),
            _items: PhantomData,
        }
    }
}

impl<T: Serialize + DeserializeOwned + Debug> ProcessQueue<T> {
    /// First in, first out; `maxsize` 0 is unbounded (Python: `Queue(maxsize)`).
    pub fn new(name: &str, maxsize: usize) -> ProcessQueue<T> {
        ProcessQueue::make(Queue::fifo(name, maxsize), name)
    }

    /// One whose consumers call `task_done` and whose `join` waits for them all (Python:
    /// `JoinableQueue`).
    pub fn joinable(name: &str, maxsize: usize) -> ProcessQueue<T> {
        ProcessQueue::make(Queue::joinable(name, maxsize), name)
    }

    fn make(q: Queue<Item>, name: &str) -> ProcessQueue<T> {
        let (core, _) = sched::current();
        let rid = q.rid();
        let h = Arc::new(HostedQueue { q });
        host(&core, rid, h.clone());
        ProcessQueue {
            rid,
            name: name.to_string(),
            side: Side::Here(h),
            _items: PhantomData,
        }
    }

    /// Put an item, waiting for room (Python: `q.put(item)`).
    #[track_caller]
    pub fn put(&self, item: T) {
        let r = self.put_with(&item, Wait::Forever);
        debug_assert!(r.is_ok(), "a put without a limit goes in");
    }

    /// Put, waiting at most `limit` for room; the item back when there was none.
    #[track_caller]
    pub fn put_timeout(&self, item: T, limit: Duration) -> Result<(), Full<T>> {
        match self.put_with(&item, Wait::limit(limit)) {
            Ok(()) => Ok(()),
            Err(()) => Err(Full(item)),
        }
    }

    /// Put without waiting (Python: `q.put_nowait(item)`).
    #[track_caller]
    pub fn put_nowait(&self, item: T) -> Result<(), Full<T>> {
        match self.put_with(&item, Wait::No) {
            Ok(()) => Ok(()),
            Err(()) => Err(Full(item)),
        }
    }

    #[track_caller]
    fn put_with(&self, item: &T, wait: Wait) -> Result<(), ()> {
        let item = Item::of(item);
        let Side::Here(h) = &self.side else {
            let site = Some(Site::here(Location::caller()));
            return match remote(self.rid, Op::Put(self.rid), Call::Put { item, wait }, site) {
                Reply::Done => Ok(()),
                _ => Err(()),
            };
        };
        match wait {
            Wait::Forever => {
                h.q.put(item);
                Ok(())
            }
            Wait::No => match h.q.put_nowait(item) {
                Ok(()) => Ok(()),
                Err(_) => Err(()),
            },
            Wait::For(s) => match h.q.put_timeout(item, Duration::from_secs_f64(s)) {
                Ok(()) => Ok(()),
                Err(_) => Err(()),
            },
        }
    }

    /// Take the next item, waiting for one (Python: `q.get()`).
    #[track_caller]
    pub fn get(&self) -> T {
        self.get_with(Wait::Forever)
            .expect("a get without a limit waits for an item")
    }

    /// Take the next item, or `None` after `limit` (Python: `q.get(timeout=…)`).
    #[track_caller]
    pub fn get_timeout(&self, limit: Duration) -> Option<T> {
        self.get_with(Wait::limit(limit))
    }

    /// Take without waiting (Python: `q.get_nowait()`).
    #[track_caller]
    pub fn get_nowait(&self) -> Option<T> {
        self.get_with(Wait::No)
    }

    #[track_caller]
    fn get_with(&self, wait: Wait) -> Option<T> {
        let Side::Here(h) = &self.side else {
            let site = Some(Site::here(Location::caller()));
            return match remote(self.rid, Op::Take(self.rid), Call::Get { wait }, site) {
                Reply::Item(item) => Some(item.take()),
                _ => None,
            };
        };
        let item = match wait {
            Wait::Forever => Some(h.q.get()),
            Wait::No => h.q.get_nowait().ok(),
            Wait::For(s) => h.q.get_timeout(Duration::from_secs_f64(s)),
        };
        item.map(Item::take)
    }

    /// An item taken from a joinable queue is dealt with (Python: `q.task_done()`).
    #[track_caller]
    pub fn task_done(&self) {
        match &self.side {
            Side::Here(h) => h.q.task_done(),
            Side::Parent => {
                let site = Some(Site::here(Location::caller()));
                remote(self.rid, Op::TaskDone(self.rid), Call::TaskDone, site);
            }
        }
    }

    /// Wait until every item put has been dealt with (Python: `q.join()`).
    #[track_caller]
    pub fn join(&self) {
        match &self.side {
            Side::Here(h) => h.q.join(),
            Side::Parent => {
                let site = Some(Site::here(Location::caller()));
                remote(self.rid, Op::WaitAll(self.rid), Call::Join, site);
            }
        }
    }

    /// How many items are in it now (Python: `q.qsize()`).
    pub fn len(&self) -> usize {
        match &self.side {
            Side::Here(h) => h.q.len(),
            Side::Parent => match super::child::call_parent_quiet(self.rid.0, Call::Len) {
                Reply::Len(n) => n,
                _ => 0,
            },
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

impl<T> Serialize for ProcessQueue<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Handle {
            rid: self.rid.0,
            name: self.name.clone(),
            kind: "queue".into(),
            path: None,
            len: 0,
        }
        .serialize(s)
    }
}

impl<'de, T> Deserialize<'de> for ProcessQueue<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let h = Handle::deserialize(d)?;
        let side = side_of::<HostedQueue, D::Error>(&h, "queue")?;
        Ok(ProcessQueue {
            rid: Rid(h.rid),
            name: h.name,
            side,
            _items: PhantomData,
        })
    }
}

impl<T> Debug for ProcessQueue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<Queue {}>", self.name)
    }
}

/// One end of a pipe: what one end sends the other receives (Python: a `Connection` of
/// `Pipe()`).
pub struct Connection<T> {
    out: ProcessQueue<T>,
    into: ProcessQueue<T>,
}

impl<T> Clone for Connection<T> {
    fn clone(&self) -> Self {
        Connection {
            out: self.out.clone(),
            into: self.into.clone(),
        }
    }
}

/// A two-way pipe between two processes (Python: `a, b = Pipe()`); each direction shows as a
/// queue named `name a→b` / `name b→a`.
pub fn pipe<T: Serialize + DeserializeOwned + Debug>(name: &str) -> (Connection<T>, Connection<T>) {
    let ab = ProcessQueue::new(&format!("{name} a→b"), 0);
    let ba = ProcessQueue::new(&format!("{name} b→a"), 0);
    (
        Connection {
            out: ab.clone(),
            into: ba.clone(),
        },
        Connection { out: ba, into: ab },
    )
}

impl<T: Serialize + DeserializeOwned + Debug> Connection<T> {
    /// Send a copy of `item` to the other end (Python: `conn.send(item)`).
    #[track_caller]
    pub fn send(&self, item: T) {
        let r = self.out.put_with(&item, Wait::Forever);
        debug_assert!(r.is_ok(), "a pipe has room");
    }

    /// Receive the next item, waiting for one (Python: `conn.recv()`).
    #[track_caller]
    pub fn recv(&self) -> T {
        self.into
            .get_with(Wait::Forever)
            .expect("a recv without a limit waits for an item")
    }

    /// Receive, or `None` after `limit` (Python: `if conn.poll(timeout): conn.recv()`).
    #[track_caller]
    pub fn recv_timeout(&self, limit: Duration) -> Option<T> {
        self.into.get_with(Wait::limit(limit))
    }
}

impl<T> Serialize for Connection<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (&self.out, &self.into).serialize(s)
    }
}

impl<'de, T> Deserialize<'de> for Connection<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (out, into) = <(ProcessQueue<T>, ProcessQueue<T>)>::deserialize(d)?;
        Ok(Connection { out, into })
    }
}

impl<T> Debug for Connection<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<Connection {}>", self.out.name)
    }
}

// ---- locks ----

/// The object behind a process lock: a lock of the hosting run.
pub(crate) struct HostedLock {
    m: Mutex<()>,
}

impl Hosted for HostedLock {
    fn call(&self, call: Call) -> Reply {
        let (_, me) = sched::current();
        let loc = Location::caller();
        match call {
            Call::Acquire { wait } => {
                let patience = match wait {
                    Wait::Forever => super::sync::Patience::Forever,
                    Wait::No => super::sync::Patience::None,
                    Wait::For(s) => super::sync::Patience::For(Duration::from_secs_f64(s)),
                };
                Reply::Acquired(self.m.take(patience, loc).is_some())
            }
            Call::Release => {
                self.m.give_back(me);
                Reply::Done
            }
            _ => Reply::Raised("not a queue".into()),
        }
    }

    fn any(self: Arc<Self>) -> Arc<dyn Any + Send + Sync> {
        self
    }
}

/// A lock processes share (Python: `multiprocessing.Lock`): one holder at a time, in any
/// process. Cheap to clone; hand it to a process in its argument.
#[derive(Clone)]
pub struct ProcessLock {
    rid: Rid,
    name: String,
    side: Side<HostedLock>,
}

/// Held until dropped (Python: the body of `with lock:`).
pub struct ProcessLockGuard<'a> {
    lock: &'a ProcessLock,
}

impl ProcessLock {
    pub fn new(name: &str) -> ProcessLock {
        let (core, _) = sched::current();
        let m = Mutex::new(name, ());
        let rid = m.rid();
        let h = Arc::new(HostedLock { m });
        host(&core, rid, h.clone());
        ProcessLock {
            rid,
            name: name.to_string(),
            side: Side::Here(h),
        }
    }

    /// Take it, waiting as long as it takes.
    #[track_caller]
    pub fn lock(&self) -> ProcessLockGuard<'_> {
        let got = self.acquire(Wait::Forever, Location::caller());
        debug_assert!(got, "a lock waited for without a limit is taken");
        ProcessLockGuard { lock: self }
    }

    /// Take it if it is free (Python: `lock.acquire(block=False)`).
    #[track_caller]
    pub fn try_lock(&self) -> Option<ProcessLockGuard<'_>> {
        self.acquire(Wait::No, Location::caller())
            .then_some(ProcessLockGuard { lock: self })
    }

    /// Take it, waiting at most `limit` (Python: `lock.acquire(timeout=…)`).
    #[track_caller]
    pub fn lock_timeout(&self, limit: Duration) -> Option<ProcessLockGuard<'_>> {
        self.acquire(Wait::limit(limit), Location::caller())
            .then_some(ProcessLockGuard { lock: self })
    }

    fn acquire(&self, wait: Wait, loc: &'static Location<'static>) -> bool {
        match &self.side {
            Side::Here(h) => {
                let patience = match wait {
                    Wait::Forever => super::sync::Patience::Forever,
                    Wait::No => super::sync::Patience::None,
                    Wait::For(s) => super::sync::Patience::For(Duration::from_secs_f64(s)),
                };
                h.m.take(patience, loc).is_some()
            }
            Side::Parent => {
                let site = Some(Site::here(loc));
                let call = Call::Acquire { wait };
                matches!(
                    remote(self.rid, Op::Lock(self.rid), call, site),
                    Reply::Acquired(true)
                )
            }
        }
    }

    fn release(&self) {
        match &self.side {
            Side::Here(h) => {
                let (_, me) = sched::current();
                h.m.give_back(me);
            }
            Side::Parent => {
                let (core, _) = sched::current();
                // A cancelled child is going away: what it held stays taken, as in Python.
                if core.cancelled() {
                    return;
                }
                remote(self.rid, Op::Unlock(self.rid), Call::Release, None);
            }
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for ProcessLockGuard<'_> {
    fn drop(&mut self) {
        self.lock.release();
    }
}

impl Serialize for ProcessLock {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Handle {
            rid: self.rid.0,
            name: self.name.clone(),
            kind: "lock".into(),
            path: None,
            len: 0,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for ProcessLock {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let h = Handle::deserialize(d)?;
        let side = side_of::<HostedLock, D::Error>(&h, "lock")?;
        Ok(ProcessLock {
            rid: Rid(h.rid),
            name: h.name,
            side,
        })
    }
}

impl Debug for ProcessLock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<Lock {}>", self.name)
    }
}

// ---- shared memory ----

/// Numbers every process sees: a shared mapping of a file (live), or plain memory (step and
/// virtual modes, where processes are threads of one program).
struct Cells {
    ptr: *const AtomicI64,
    len: usize,
    /// The mapping to undo, live; none for plain memory.
    mapped: bool,
    _plain: Option<Box<[AtomicI64]>>,
}

// SAFETY: the cells are atomics, in memory that lives as long as `Cells` (a mapping undone in
// Drop, or the box it owns); sharing them between threads is what atomics are for.
unsafe impl Send for Cells {}
// SAFETY: as above.
unsafe impl Sync for Cells {}

impl Cells {
    fn plain(init: &[i64]) -> Cells {
        let b: Box<[AtomicI64]> = init.iter().map(|&v| AtomicI64::new(v)).collect();
        Cells {
            ptr: b.as_ptr(),
            len: b.len(),
            mapped: false,
            _plain: Some(b),
        }
    }

    /// Map `path` (made with `init` when `create`) into this process.
    fn map(path: &Path, len: usize, init: Option<&[i64]>) -> std::io::Result<Cells> {
        use std::os::fd::AsRawFd;
        let bytes = len.max(1) * 8;
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(init.is_some())
            .truncate(false)
            .open(path)?;
        if let Some(init) = init {
            let raw: Vec<u8> = init.iter().flat_map(|v| v.to_ne_bytes()).collect();
            std::fs::write(path, &raw)?;
        }
        if file.metadata()?.len() < bytes as u64 {
            return Err(std::io::Error::other("shared memory file too short"));
        }
        // SAFETY: a fresh shared read-write mapping of a file at least `bytes` long, at an
        // address the kernel picks; checked for failure below.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                bytes,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED,
                file.as_raw_fd(),
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(std::io::Error::last_os_error());
        }
        Ok(Cells {
            ptr: p as *const AtomicI64,
            len,
            mapped: true,
            _plain: None,
        })
    }

    fn cell(&self, i: usize) -> &AtomicI64 {
        assert!(
            i < self.len,
            "index {i} out of range for {} numbers",
            self.len
        );
        // SAFETY: `i` is in range, and the memory lives as long as `self`; a page-aligned
        // mapping or a box of atomics is aligned for AtomicI64.
        unsafe { &*self.ptr.add(i) }
    }

    fn all(&self) -> Vec<i64> {
        (0..self.len)
            .map(|i| self.cell(i).load(Ordering::SeqCst))
            .collect()
    }
}

impl Drop for Cells {
    fn drop(&mut self) {
        if self.mapped {
            // SAFETY: undoing the mapping made in `map`, of this length, once.
            unsafe {
                libc::munmap(self.ptr as *mut libc::c_void, self.len.max(1) * 8);
            }
        }
    }
}

pub(crate) struct HostedCells {
    cells: Arc<Cells>,
    path: Option<PathBuf>,
    lock: ProcessLock,
}

impl Hosted for HostedCells {
    fn call(&self, _: Call) -> Reply {
        Reply::Raised("shared memory is read and written in place".into())
    }

    fn any(self: Arc<Self>) -> Arc<dyn Any + Send + Sync> {
        self
    }
}

/// Numbers in memory shared by processes (Python: `Value('i', 0)` is one, `Array('i', n)`
/// several), with a process lock of their own. Reads and writes are separate steps, as
/// `n.value += 1` is in Python: without the lock, processes lose each other's updates.
#[derive(Clone)]
pub struct SharedArray {
    rid: Rid,
    name: String,
    cells: Arc<Cells>,
    path: Option<PathBuf>,
    lock: ProcessLock,
    /// A live child's view: its reads and writes are reported to the parent's resource.
    remote: bool,
}

/// One number in shared memory (Python: `Value('i', n)`).
pub type SharedValue = SharedArray;

impl SharedArray {
    /// `values` in shared memory.
    pub fn new(name: &str, values: &[i64]) -> SharedArray {
        let (core, me) = sched::current();
        let state = ResState::Variable {
            version: 0,
            read_version: Vec::new(),
            depth: vec![0],
        };
        let rid = core.create(me, name, ResourceKind::Variable, state, Some(show(values)));
        let (cells, path) = if core.virtual_clock() {
            (Cells::plain(values), None)
        } else {
            let dir = super::child::scratch_dir(&core);
            let path = dir.join(format!("shared-{}.bin", rid.0));
            match Cells::map(&path, values.len(), Some(values)) {
                Ok(c) => (c, Some(path)),
                Err(e) => panic!("cannot make shared memory for {name}: {e}"),
            }
        };
        let cells = Arc::new(cells);
        let lock = ProcessLock::new(&format!("{name}.lock"));
        let h = Arc::new(HostedCells {
            cells: cells.clone(),
            path: path.clone(),
            lock: lock.clone(),
        });
        host(&core, rid, h);
        SharedArray {
            rid,
            name: name.to_string(),
            cells,
            path,
            lock,
            remote: false,
        }
    }

    /// One number (Python: `Value('i', value)`).
    pub fn value(name: &str, value: i64) -> SharedValue {
        SharedArray::new(name, &[value])
    }

    /// Its lock (Python: `v.get_lock()`).
    pub fn get_lock(&self) -> &ProcessLock {
        &self.lock
    }

    /// Read number `i` (Python: `a[i]`; `v.value` is `get(0)`).
    #[track_caller]
    pub fn get(&self, i: usize) -> i64 {
        let site = Some(Site::here(Location::caller()));
        self.step(
            Op::Get(self.rid),
            site,
            |c| c.cell(i).load(Ordering::SeqCst),
            false,
        )
    }

    /// Write number `i` (Python: `a[i] = v`).
    #[track_caller]
    pub fn set(&self, i: usize, v: i64) {
        let site = Some(Site::here(Location::caller()));
        self.step(
            Op::Set(self.rid),
            site,
            |c| c.cell(i).store(v, Ordering::SeqCst),
            true,
        );
    }

    /// All its numbers, without recording a read (for reporting after the run).
    pub fn peek(&self) -> Vec<i64> {
        self.cells.all()
    }

    pub fn len(&self) -> usize {
        self.cells.len
    }

    pub fn is_empty(&self) -> bool {
        self.cells.len == 0
    }

    /// A read or a write, at its scheduling point, then recorded: the value shown is the whole
    /// array's.
    fn step<R>(&self, op: Op, site: Option<Site>, act: impl FnOnce(&Cells) -> R, write: bool) -> R {
        let (core, me) = sched::current();
        if self.remote {
            let rid = Rid(self.rid.0 | HOSTED);
            let mut w = core.op_point(core.world.lock(), me, op.with_rid(rid), site);
            let r = act(&self.cells);
            let value = show(&self.cells.all());
            let what = if write {
                What::Set {
                    rid,
                    value,
                    stale: false,
                    lost: 0,
                }
            } else {
                What::Get { rid, value }
            };
            core.emit(&mut w, me, what, site);
            return r;
        }
        let mut w = core.op_point(core.world.lock(), me, op, site);
        let r = act(&self.cells);
        let shown = show(&self.cells.all());
        if write {
            super::sync::write_variable(&core, &mut w, me, self.rid, shown, site);
        } else {
            super::sync::read_variable(&core, &mut w, me, self.rid, shown, site);
        }
        r
    }
}

/// How numbers show: one bare, several as a list.
fn show(values: &[i64]) -> String {
    match values {
        [one] => one.to_string(),
        many => format!("{many:?}"),
    }
}

impl Serialize for SharedArray {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (
            Handle {
                rid: self.rid.0,
                name: self.name.clone(),
                kind: "shared memory".into(),
                path: self.path.clone(),
                len: self.cells.len,
            },
            &self.lock,
        )
            .serialize(s)
    }
}

impl<'de> Deserialize<'de> for SharedArray {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let (h, lock) = <(Handle, ProcessLock)>::deserialize(d)?;
        match side_of::<HostedCells, D::Error>(&h, "shared memory")? {
            Side::Here(found) => Ok(SharedArray {
                rid: Rid(h.rid),
                name: h.name,
                cells: found.cells.clone(),
                path: found.path.clone(),
                lock: found.lock.clone(),
                remote: false,
            }),
            Side::Parent => {
                let path = h.path.clone().ok_or_else(|| D::Error::custom("no file"))?;
                let cells = Cells::map(&path, h.len, None).map_err(D::Error::custom)?;
                Ok(SharedArray {
                    rid: Rid(h.rid),
                    name: h.name,
                    cells: Arc::new(cells),
                    path: Some(path),
                    lock,
                    remote: true,
                })
            }
        }
    }
}

impl Debug for SharedArray {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<shared {} = {}>", self.name, show(&self.cells.all()))
    }
}

// ---- file locks ----

/// In step and virtual modes, a file lock is a lock of the run.
pub(crate) struct ModelLock {
    m: Mutex<()>,
}

impl Hosted for ModelLock {
    fn call(&self, _: Call) -> Reply {
        Reply::Raised("a file lock is taken where it is used".into())
    }

    fn any(self: Arc<Self>) -> Arc<dyn Any + Send + Sync> {
        self
    }
}

/// An exclusive lock on a real file (Python: `fcntl.flock(f, LOCK_EX)`), which threads and
/// processes alike respect. Cheap to clone; hand it to a process in its argument.
#[derive(Clone)]
pub struct FileLock {
    rid: Rid,
    name: String,
    path: PathBuf,
    /// Step and virtual modes: the lock of the run standing for it.
    model: Option<Arc<ModelLock>>,
    /// A live child's: its events name the parent's resource.
    remote: bool,
}

/// Held until dropped: the file stays locked.
pub struct FileLockGuard<'a> {
    lock: &'a FileLock,
    file: Option<std::fs::File>,
}

impl FileLock {
    /// A lock on `path` (made if missing; its content is left alone).
    pub fn new(name: &str, path: &Path) -> FileLock {
        let (core, me) = sched::current();
        if core.virtual_clock() {
            let m = Mutex::new_kind(name, (), ResourceKind::FileLock);
            let rid = m.rid();
            let model = Arc::new(ModelLock { m });
            host(&core, rid, model.clone());
            return FileLock {
                rid,
                name: name.to_string(),
                path: path.to_path_buf(),
                model: Some(model),
                remote: false,
            };
        }
        let rid = core.create(me, name, ResourceKind::FileLock, ResState::Remote, None);
        FileLock {
            rid,
            name: name.to_string(),
            path: path.to_path_buf(),
            model: None,
            remote: false,
        }
    }

    /// Lock the file, waiting for whoever has it (thread or process).
    #[track_caller]
    pub fn lock(&self) -> FileLockGuard<'_> {
        let loc = Location::caller();
        if let Some(m) = &self.model {
            let got = m.m.take(super::sync::Patience::Forever, loc);
            debug_assert!(got.is_some(), "a lock waited for without a limit is taken");
            return FileLockGuard {
                lock: self,
                file: None,
            };
        }
        let site = Some(Site::here(loc));
        let (core, me) = sched::current();
        let rid = self.shown_rid();
        let mut w = core.op_point(core.world.lock(), me, Op::Lock(rid), site);
        core.emit(&mut w, me, What::Lock { rid }, site);
        drop(w);
        let file = match std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&self.path)
        {
            Ok(f) => f,
            Err(e) => panic!("cannot open {} to lock it: {e}", self.path.display()),
        };
        let mut waited = false;
        let mut pause = Duration::from_micros(50);
        while !try_flock(&file) {
            let mut w = core.world.lock();
            w = core.check_cancel(w, me);
            if !waited {
                waited = true;
                let on = BlockedOn::Resource(rid);
                Core::set_state(&mut w, me, ThreadState::Blocked(on));
                core.emit(&mut w, me, What::Blocked { on }, site);
            }
            drop(w);
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(2));
        }
        let mut w = core.world.lock();
        Core::set_state(&mut w, me, ThreadState::Running);
        core.emit(&mut w, me, What::Acquired { rid }, site);
        FileLockGuard {
            lock: self,
            file: Some(file),
        }
    }

    fn shown_rid(&self) -> Rid {
        if self.remote {
            Rid(self.rid.0 | HOSTED)
        } else {
            self.rid
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Try to lock `file` exclusively without waiting.
fn try_flock(file: &std::fs::File) -> bool {
    use std::os::fd::AsRawFd;
    // SAFETY: flock on an open descriptor we own; it only reports success or failure.
    unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0 }
}

impl Drop for FileLockGuard<'_> {
    fn drop(&mut self) {
        let (core, me) = sched::current();
        let Some(file) = self.file.take() else {
            if let Some(m) = &self.lock.model {
                m.m.give_back(me);
            }
            return;
        };
        if !core.cancelled() {
            let rid = self.lock.shown_rid();
            let mut w = core.world.lock();
            core.emit(&mut w, me, What::Released { rid }, None);
        }
        // Closing the file lets the lock go.
        drop(file);
    }
}

impl Serialize for FileLock {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Handle {
            rid: self.rid.0,
            name: self.name.clone(),
            kind: "file lock".into(),
            path: Some(self.path.clone()),
            len: 0,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for FileLock {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let h = Handle::deserialize(d)?;
        let path = h.path.clone().ok_or_else(|| D::Error::custom("no file"))?;
        let (core, _) = sched::current();
        if core.virtual_clock() {
            let side = side_of::<ModelLock, D::Error>(&h, "file lock")?;
            let Side::Here(model) = side else {
                return Err(D::Error::custom("a file lock from another run"));
            };
            return Ok(FileLock {
                rid: Rid(h.rid),
                name: h.name,
                path,
                model: Some(model),
                remote: false,
            });
        }
        Ok(FileLock {
            rid: Rid(h.rid),
            name: h.name,
            path,
            model: None,
            remote: super::child::in_child(),
        })
    }
}

impl Debug for FileLock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<FileLock {}>", self.name)
    }
}
