//! What a run reports: one `Event` per instrumented operation or state change.

use crate::words::Lang;
use crate::words::log::Words;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::panic::Location;

/// A demo thread, numbered in spawn order; the demo's own main thread is `Tid(0)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Tid(pub u32);

/// A process of the run, numbered in start order: the run's own is `Pid(0)`.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub struct Pid(pub u32);

/// A resource (lock, shared variable, ...), numbered in creation order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Rid(pub u32);

/// Where in the demo's source an operation was called.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Site {
    pub file: &'static str,
    pub line: u32,
}

thread_local! {
    /// The site a parent's thread acting for a live child's reports instead of its own.
    static ACTING_FOR: std::cell::Cell<Option<Site>> = const { std::cell::Cell::new(None) };
}

impl Site {
    pub fn here(loc: &'static Location<'static>) -> Site {
        if let Some(site) = ACTING_FOR.with(std::cell::Cell::get) {
            return site;
        }
        Site {
            file: loc.file(),
            line: loc.line(),
        }
    }

    /// While a parent's thread performs a child's operation, the operation's site is the
    /// child's line.
    pub(crate) fn act_for(site: Option<Site>) {
        ACTING_FOR.with(|c| c.set(site));
    }
}

/// What a thread waits for while it is blocked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BlockedOn {
    /// A resource: a lock held by someone else, for instance.
    Resource(Rid),
    /// Another thread, to finish (join).
    Thread(Tid),
}

/// What a demo thread is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThreadState {
    /// Can run, waiting for the scheduler (step and virtual modes) to pick it.
    Ready,
    /// Running its own code.
    Running,
    /// In `sleep`: waiting on the clock, using no CPU.
    Sleeping,
    /// In `work`: busy on the CPU.
    Working,
    /// Waiting for something only another thread can give.
    Blocked(BlockedOn),
    /// Returned from its body.
    Done,
    /// Ended by a cancel (reset, leave, quit or a detected deadlock).
    Cancelled,
    /// A daemon thread stopped because the program ended (Python: every non-daemon thread
    /// finished), as Python stops it: not an error.
    CutOff,
    /// Its body raised (panicked): it ends, the others go on (Python: an exception in a thread
    /// prints its traceback and ends only that thread).
    Raised,
}

impl ThreadState {
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            ThreadState::Done | ThreadState::Cancelled | ThreadState::CutOff | ThreadState::Raised
        )
    }

    /// A short word for legends and logs: "blocked" / "阻塞".
    pub fn word(self, lang: Lang) -> &'static str {
        Words(lang).state(self)
    }

    /// The same state, whatever a blocked thread waits for.
    pub fn same_kind(self, other: ThreadState) -> bool {
        std::mem::discriminant(&self) == std::mem::discriminant(&other)
    }
}

/// The order a queue hands out its items in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QueueOrder {
    /// First in, first out (Python: `queue.Queue`).
    Fifo,
    /// Last in, first out: a stack (Python: `queue.LifoQueue`).
    Lifo,
    /// Smallest first (Python: `queue.PriorityQueue`).
    Priority,
}

impl QueueOrder {
    /// "FIFO" / "先进先出".
    pub fn word(self, lang: Lang) -> &'static str {
        Words(lang).order(self)
    }
}

/// The kind of a resource, for the resources panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResourceKind {
    Mutex,
    /// A lock its owner may take again (Python: `threading.RLock`).
    ReentrantMutex,
    /// Up to `permits` holders at once (Python: `threading.Semaphore`).
    Semaphore {
        permits: u32,
    },
    /// `capacity` 0 is unbounded; `joinable` counts unfinished items (task_done / join).
    Queue {
        order: QueueOrder,
        capacity: u32,
        joinable: bool,
    },
    /// A flag threads wait on until someone sets it (Python: `threading.Event`).
    Flag,
    Variable,
    /// A lock on a real file, which other processes respect too (Python: `fcntl.flock`).
    FileLock,
    /// A file read and written whole, its text the value (Python: `open(path).read()`).
    File,
    /// A global interpreter lock: the one lock a "Python thread" must hold to run Python code,
    /// let go every switch interval and around I/O (see `sync::Gil`).
    Gil,
    /// An event loop (Python: `asyncio`'s): its queue of ready tasks, and the one it runs.
    EventLoop,
    /// Threads wait on it, releasing `lock`, until notified (Python: `threading.Condition`).
    Condition {
        lock: Rid,
    },
    /// Threads wait at it until `parties` of them are there (Python: `threading.Barrier`).
    Barrier {
        parties: u32,
    },
    /// Calls a function on its own thread after `ns` unless cancelled first (Python:
    /// `threading.Timer`).
    Timer {
        ns: u64,
    },
    /// One value per thread, none seeing another's (Python: `threading.local()`).
    ThreadLocal,
    /// A local web server: each answer `latency_ns` after its request, refusing requests past
    /// `limit` at once (see `pages`).
    PageServer {
        limit: u32,
        latency_ns: u64,
    },
    /// A server on a loopback socket that serves queues to whoever connects with its
    /// authkey (Python: `multiprocessing.managers.BaseManager`); its holders are the
    /// connected clients.
    Listener,
}

impl ResourceKind {
    /// What a learner calls it: "mutex" / "互斥锁".
    pub fn word(self, lang: Lang) -> &'static str {
        Words(lang).kind(self)
    }
}

/// An operation a thread is about to perform (step mode shows it before it happens).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    Start,
    Spawn,
    Lock(Rid),
    Unlock(Rid),
    Put(Rid),
    Take(Rid),
    TaskDone(Rid),
    WaitAll(Rid),
    SetFlag(Rid),
    ClearFlag(Rid),
    WaitFlag(Rid),
    Peek(Rid),
    /// Waits on a condition (it first releases the condition's lock).
    WaitCond(Rid),
    Notify(Rid),
    /// Waits at a barrier.
    Barrier(Rid),
    /// Aborts a barrier (it breaks).
    Abort(Rid),
    /// Resets a barrier.
    Reset(Rid),
    /// A timer's thread starts its countdown.
    Countdown(Rid),
    /// Cancels a timer.
    Cancel(Rid),
    Get(Rid),
    Set(Rid),
    Sleep(u64),
    Work(u64),
    Join(Tid),
    IsAlive(Tid),
    Say,
    /// The event loop resumes this task.
    Resume(Tid),
    /// Requests a page from a page server.
    Fetch(Rid),
    /// Connects to a server and presents its authkey.
    Connect(Rid),
}

impl Op {
    /// The same operation on another resource number (a child's name for its parent's).
    pub(crate) fn with_rid(self, rid: Rid) -> Op {
        match self {
            Op::Lock(_) => Op::Lock(rid),
            Op::Unlock(_) => Op::Unlock(rid),
            Op::Put(_) => Op::Put(rid),
            Op::Take(_) => Op::Take(rid),
            Op::TaskDone(_) => Op::TaskDone(rid),
            Op::WaitAll(_) => Op::WaitAll(rid),
            Op::SetFlag(_) => Op::SetFlag(rid),
            Op::ClearFlag(_) => Op::ClearFlag(rid),
            Op::WaitFlag(_) => Op::WaitFlag(rid),
            Op::Peek(_) => Op::Peek(rid),
            Op::Get(_) => Op::Get(rid),
            Op::Set(_) => Op::Set(rid),
            Op::Connect(_) => Op::Connect(rid),
            other => other,
        }
    }
}

/// One link of a deadlock: `thread` holds `holds` and waits for `waits_for`.
///
/// Serialized as `{"thread", "holds", "waits_for"}`, the English words (what `run --format
/// json` documents and scripts read); `awaited` says the same as data, to be written in any
/// language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitLink {
    pub thread: String,
    pub holds: Vec<String>,
    /// In English: a resource's name, "T2 to finish", or the thread's state.
    pub waits_for: String,
    #[serde(skip)]
    pub awaited: Awaited,
}

/// What a thread of a deadlock waits for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Awaited {
    /// A resource, by name (a name reads the same in every language).
    Resource(String),
    /// Another thread to finish (join), by name.
    Thread(String),
    /// Nothing: the thread is not blocked, and this is its state.
    State(ThreadState),
}

impl Default for Awaited {
    /// What a link read back from elsewhere (a child process) says: its English `waits_for`.
    fn default() -> Awaited {
        Awaited::Resource(String::new())
    }
}

impl Awaited {
    /// In words: "A", "T2 to finish" / "T2 结束", "sleeping" / "睡眠".
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Awaited::Resource(name) => name.clone(),
            Awaited::Thread(name) => Words(lang).to_finish(name),
            Awaited::State(s) => s.word(lang).to_string(),
        }
    }
}

impl WaitLink {
    pub fn new(thread: String, holds: Vec<String>, awaited: Awaited) -> WaitLink {
        WaitLink {
            thread,
            holds,
            waits_for: awaited.text(Lang::En),
            awaited,
        }
    }

    /// "T1 holds B and waits for A" / "T1 持有 B，等待 A".
    pub fn text(&self, lang: Lang) -> String {
        let w = Words(lang);
        let what = self.awaited.text(lang);
        if self.holds.is_empty() {
            w.link_waits(&self.thread, &what)
        } else {
            w.link_holds(&self.thread, &self.holds.join("+"), &what)
        }
    }
}

/// A detected deadlock: a cycle in the wait-for graph, or threads that nothing alive can wake.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadlock {
    /// The cycle, in order: each thread waits for what the next one holds. Empty when the
    /// threads are stuck without a cycle (waiting on something no running thread will give).
    pub cycle: Vec<WaitLink>,
    /// Every thread that was blocked when it was found.
    pub stuck: Vec<WaitLink>,
}

impl Deadlock {
    /// Threads stuck without a cycle: nothing alive will wake them, but none waits for what
    /// another holds.
    pub fn is_stuck(&self) -> bool {
        self.cycle.is_empty()
    }

    /// "deadlock: T1 holds B and waits for A; T2 holds A and waits for B", or "stuck: …" for
    /// threads stuck without a cycle; in Chinese "死锁：T1 持有 B，等待 A；…".
    pub fn text(&self, lang: Lang) -> String {
        let w = Words(lang);
        let links = if self.cycle.is_empty() {
            &self.stuck
        } else {
            &self.cycle
        };
        let parts: Vec<String> = links.iter().map(|l| l.text(lang)).collect();
        let parts = parts.join(w.link_sep());
        if self.cycle.is_empty() {
            w.stuck(&parts)
        } else {
            w.deadlock(&parts)
        }
    }
}

/// The English text, as logs and `run` print it.
impl fmt::Display for Deadlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// What happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum What {
    /// A thread was created by `parent` (none for the demo's main thread).
    /// A daemon thread is cut off when the last non-daemon thread ends.
    ThreadNew {
        name: String,
        parent: Option<Tid>,
        daemon: bool,
        /// The process it runs in.
        process: Pid,
    },
    /// A child process was started by the thread of the event (Python: `Process.start()`):
    /// its main thread is the next `ThreadNew`. `os_pid` is the real process id (live mode).
    ProcessNew {
        pid: Pid,
        name: String,
        daemon: bool,
        os_pid: Option<u32>,
    },
    /// Terminated process `pid` (Python: `p.terminate()`).
    Terminate {
        pid: Pid,
    },
    /// A process ended with this exit code (Python's `exitcode`: 0, 1 after an exception,
    /// -15 when terminated).
    ProcessExit {
        pid: Pid,
        code: i32,
    },
    /// A resource was created.
    ResourceNew {
        rid: Rid,
        name: String,
        kind: ResourceKind,
        value: Option<String>,
    },
    /// The thread began running its body.
    Start,
    Sleep {
        ns: u64,
    },
    Work {
        ns: u64,
    },
    /// Back from `sleep` or `work`.
    Wake,
    /// Asked for a lock.
    Lock {
        rid: Rid,
    },
    /// Had to wait.
    Blocked {
        on: BlockedOn,
    },
    /// Got the lock (from a free lock, or handed over by the previous owner).
    Acquired {
        rid: Rid,
    },
    Released {
        rid: Rid,
    },
    /// Gave back a semaphore permit `holder` took (anyone may release a semaphore).
    ReleasedFor {
        rid: Rid,
        holder: Tid,
    },
    /// Gave a semaphore `n` permits with no acquire before them (Python: `sem.release(n)`).
    Added {
        rid: Rid,
        n: u32,
    },
    /// Kept the semaphore permit `holder` took, for good: it is never given back.
    Forgot {
        rid: Rid,
        holder: Tid,
    },
    /// Read a shared variable.
    Get {
        rid: Rid,
        value: String,
    },
    /// Wrote a shared variable. `stale` when the write was computed from a read older than
    /// the current value, and so erases someone else's update; `lost` counts the updates
    /// lost so far on this variable.
    Set {
        rid: Rid,
        value: String,
        stale: bool,
        lost: u64,
    },
    /// Put an item in a queue, at `index` of its items (front = 0); `len` after.
    Put {
        rid: Rid,
        item: String,
        index: usize,
        len: usize,
    },
    /// Took the item at `index` from a queue; `len` after.
    Took {
        rid: Rid,
        item: String,
        index: usize,
        len: usize,
    },
    /// A non-blocking put found the queue full, or a non-blocking get found it empty.
    Refused {
        rid: Rid,
        reason: String,
    },
    /// A timed wait gave up.
    TimedOut {
        on: Rid,
    },
    /// A joinable queue's count of unfinished items went down to `unfinished`.
    TaskDone {
        rid: Rid,
        unfinished: usize,
    },
    /// Waits for a joinable queue's unfinished items to reach zero.
    WaitAll {
        rid: Rid,
    },
    AllDone {
        rid: Rid,
    },
    FlagSet {
        rid: Rid,
    },
    FlagCleared {
        rid: Rid,
    },
    /// Waits for a flag.
    WaitFlag {
        rid: Rid,
    },
    /// Looked at a resource without waiting: a flag's value, for one.
    Peek {
        rid: Rid,
        value: String,
    },
    /// Waits on a condition: puts itself on its waiters, then releases `lock` (Python:
    /// `cond.wait(timeout)`).
    CondWait {
        rid: Rid,
        lock: Rid,
        timeout_ns: Option<u64>,
    },
    /// Notified a condition, asking to wake `asked` waiters (`None`: all); `woken` are the
    /// ones it woke, in the order they waited. None woken: the notify is lost.
    Notify {
        rid: Rid,
        asked: Option<usize>,
        woken: Vec<Tid>,
    },
    /// A waiter on the condition was woken by a notify; it takes the lock again before its
    /// wait returns.
    Notified {
        rid: Rid,
    },
    /// Arrived at a barrier, `index`-th (0 first) of its `parties`.
    Arrive {
        rid: Rid,
        index: usize,
        parties: usize,
    },
    /// Went through a barrier: every party had arrived.
    Pass {
        rid: Rid,
    },
    /// Broke a barrier by giving up waiting at it (Python: its wait timed out).
    Breaks {
        rid: Rid,
    },
    /// Aborted a barrier: it is broken (Python: `barrier.abort()`).
    Abort {
        rid: Rid,
    },
    /// Reset a barrier to empty and unbroken (Python: `barrier.reset()`).
    Reset {
        rid: Rid,
    },
    /// Got a broken barrier error instead of going through (Python: `BrokenBarrierError`).
    BrokenBarrier {
        rid: Rid,
    },
    /// A timer's thread waits `ns` before it fires.
    Countdown {
        rid: Rid,
        ns: u64,
    },
    /// A timer's time ran out: it calls its function.
    Fires {
        rid: Rid,
    },
    /// Cancelled a timer; `in_time` when it had not fired yet.
    CancelTimer {
        rid: Rid,
        in_time: bool,
    },
    /// A timer's thread found it cancelled: it ends without calling its function.
    TimerCancelled {
        rid: Rid,
    },
    /// Set the calling thread's own value of a thread-local.
    LocalSet {
        rid: Rid,
        value: String,
    },
    /// Read the calling thread's own value of a thread-local (`None`: it set none).
    LocalGet {
        rid: Rid,
        value: Option<String>,
    },
    Join {
        target: Tid,
    },
    Joined {
        target: Tid,
    },
    /// A join with a time limit gave up: the thread is still going.
    JoinTimedOut {
        target: Tid,
    },
    /// Asked whether a thread is still going (Python: `t.is_alive()`).
    IsAlive {
        target: Tid,
        alive: bool,
    },
    /// A line the demo prints (Python's `print`).
    /// A task of an event loop can run again: it joins the back of the loop's ready queue,
    /// `queue` long now.
    TaskReady {
        rid: Rid,
        queue: usize,
    },
    /// The loop resumes `task` (the event's thread is the loop); `queue` tasks still wait.
    Resume {
        rid: Rid,
        task: Tid,
        queue: usize,
    },
    /// A task awaits a timer (Python: `await asyncio.sleep(…)`): the others may run meanwhile.
    AwaitSleep {
        ns: u64,
    },
    /// A task awaits another task's end (Python: `await task`).
    AwaitTask {
        target: Tid,
    },
    /// The loop has nothing ready: it waits for its next timer (asyncio's `select`).
    LoopWaits {
        ns: u64,
    },
    /// Live: the loop has nothing ready and waits on `sockets` sockets (and its next timer,
    /// `ns` away, if it has one), with select/poll.
    LoopSelects {
        sockets: usize,
        ns: Option<u64>,
    },
    /// Sent a request for `path` to page server `rid`; a thread waits for the answer, a task
    /// of an event loop awaits it (the others may run).
    Fetch {
        rid: Rid,
        path: String,
    },
    /// Got the answer to its request: `bytes` of page (0: no such page).
    Fetched {
        rid: Rid,
        path: String,
        bytes: usize,
    },
    /// The server refused the request: it already had its limit of requests (HTTP 503).
    FetchRefused {
        rid: Rid,
        path: String,
    },
    Say {
        text: String,
    },
    /// A server listens at `address` (real in live mode: 127.0.0.1 and a port the system
    /// chose).
    Listen {
        rid: Rid,
        address: String,
    },
    /// Connects to a server and answers its challenge with the authkey.
    Connect {
        rid: Rid,
    },
    /// The server checked the answer: the thread is a client of it now.
    Connected {
        rid: Rid,
    },
    /// The server found the answer wrong and closed the connection (Python:
    /// `AuthenticationError: digest received was wrong`).
    AuthFailed {
        rid: Rid,
    },
    /// The connection ended (the client left, or its process died).
    Disconnected {
        rid: Rid,
    },
    /// The server stopped listening: its port is closed.
    Closed {
        rid: Rid,
    },
    Done,
    Cancelled,
    /// A daemon thread stopped at the program's end.
    CutOff,
    /// The system refused the thread an OS thread (a `ulimit -u`, a container's pids limit):
    /// the run ends.
    NotStarted {
        reason: String,
    },
    /// The thread's body raised (panicked) with this message.
    Raised {
        message: String,
    },
    DeadlockFound {
        deadlock: Deadlock,
    },
    /// Every thread has finished.
    Finished,
}

/// One entry of a run's log. `state` is the thread's state right after the event.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    pub seq: u64,
    /// Nanoseconds since the run started, on the run's clock (real in live mode, virtual otherwise).
    pub at_ns: u64,
    pub tid: Tid,
    pub what: What,
    pub state: ThreadState,
    pub site: Option<Site>,
}
