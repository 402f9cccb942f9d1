//! The heart of the runtime: the shared state of one run (`World`), and the scheduling
//! decisions that let the same demo code run on the OS's schedule (live) or one thread at a
//! time on a virtual clock (step and virtual).
//!
//! Every instrumented operation takes the world lock, records its event, and either carries on
//! (live) or hands a baton to the thread the policy picks (step, virtual). Blocking waits sleep
//! on the thread's own condition variable and wake on the run's cancel flag too.

use super::event::{
    BlockedOn, Deadlock, Event, Op, Pid, ResourceKind, Rid, Site, ThreadState, Tid, What,
};
use super::run::{Config, Mode};
use super::waitfor;
use crossbeam_channel::Sender;
use parking_lot::{Condvar, Mutex, MutexGuard};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The marker a cancelled demo thread unwinds with; caught at the thread's root.
pub(crate) struct Cancelled;

pub(crate) struct Slot {
    pub name: String,
    pub state: ThreadState,
    /// Virtual time at which a sleeping or working thread wakes, or a timed wait gives up.
    pub wake_at: u64,
    /// Blocked with a time limit (`wake_at`): not stuck, the clock will free it.
    pub timed: bool,
    /// The time limit of its latest timed wait ran out.
    pub timed_out: bool,
    /// Cut off when every non-daemon thread has finished (Python: `daemon=True`). The
    /// thread's own flag: a daemon process's threads are cut off with it whatever theirs.
    pub daemon: bool,
    /// The process it belongs to (the run's main process is `Pid(0)`).
    pub pid: Pid,
    /// Its process was terminated: it unwinds from its current or next operation.
    pub killed: bool,
    /// A thread of a live child process: its state comes from the child's events.
    pub remote: bool,
    /// A server's connection thread performs a call in its name (see `net`): the state is
    /// that call's, and a late event of the child, sent before the call, does not change it.
    pub served: bool,
    /// A task of an event loop: the loop, not the clock, wakes it (see `aio`).
    pub loop_task: bool,
    /// The operation the thread will perform when it is next picked (step and virtual modes).
    pub next: Option<(Op, Option<Site>)>,
    /// Made ready by the clock (its sleep or work is over), or handed what it waited for:
    /// picking it only lets it go on with its own code.
    pub clock_woke: bool,
    pub cv: Arc<Condvar>,
}

pub(crate) enum ResState {
    Mutex {
        owner: Option<Tid>,
        waiters: VecDeque<Tid>,
    },
    ReentrantMutex {
        owner: Option<Tid>,
        count: u32,
        waiters: VecDeque<Tid>,
    },
    Semaphore {
        /// Free permits now (Python's counter): taken by acquire, given back by release.
        value: u32,
        /// What it started with: a bounded semaphore never goes above it.
        initial: u32,
        bounded: bool,
        /// Who holds a permit (for the panels; Python keeps no owners).
        holders: Vec<Tid>,
        waiters: VecDeque<Tid>,
    },
    Queue {
        getters: VecDeque<Tid>,
        putters: VecDeque<Tid>,
        /// Joinable queues: items put and not yet marked done.
        unfinished: usize,
        joiners: Vec<Tid>,
    },
    Flag {
        set: bool,
        waiters: Vec<Tid>,
    },
    /// A resource of a live child process, shown here as the child reports it.
    Remote,
    /// An event loop: its tasks and queue are the loop's own (see `aio`).
    EventLoop,
    Condition {
        /// In the order they began to wait: a notify wakes the first.
        waiters: VecDeque<Tid>,
    },
    Barrier {
        /// Arrived and waiting for the rest, in the order they came.
        waiting: Vec<Tid>,
        broken: bool,
        /// Waiters let go, each with whether it went through (false: the barrier broke).
        released: Vec<(Tid, bool)>,
    },
    Timer {
        cancelled: bool,
        fired: bool,
        /// The timer's thread while it counts down.
        waiter: Option<Tid>,
    },
    ThreadLocal,
    /// A page server's model on the virtual clock (live: its port, to find it by URL).
    PageServer {
        port: u16,
        pages: usize,
        latency_ns: u64,
        limit: usize,
        /// When each request it is serving now will be answered.
        serving: Vec<u64>,
    },
    Variable {
        version: u64,
        /// The version each thread last read, to tell a stale write.
        read_version: Vec<(Tid, u64)>,
        /// For each version, how many writes its value descends from (version 0: none).
        depth: Vec<u64>,
    },
}

pub(crate) struct Resource {
    pub name: String,
    pub state: ResState,
}

impl Slot {
    /// Ready, and the scheduler's to pick: a task of an event loop only when its loop offers
    /// it (step mode); otherwise the loop resumes its ready tasks itself.
    pub fn can_be_picked(&self) -> bool {
        self.state == ThreadState::Ready && (!self.loop_task || self.next.is_some())
    }

    /// Sleeping, working, or in a timed wait: the clock alone will move it.
    pub fn waits_for_clock(&self) -> bool {
        if self.loop_task {
            return false;
        }
        match self.state {
            ThreadState::Sleeping | ThreadState::Working => true,
            ThreadState::Blocked(_) => self.timed,
            _ => false,
        }
    }
}

impl Resource {
    /// A shared variable's lost updates so far; none for other resources.
    pub fn lost_updates(&self) -> Option<u64> {
        match &self.state {
            ResState::Variable { depth, .. } => Some(lost_of(depth)),
            _ => None,
        }
    }

    /// The thread that holds it, for the wait-for graph.
    pub fn owner(&self) -> Option<Tid> {
        match &self.state {
            ResState::Mutex { owner, .. } | ResState::ReentrantMutex { owner, .. } => *owner,
            _ => None,
        }
    }
}

/// Each process's copy of each global, by (process, name): its variable's resource and value.
pub(crate) type Globals =
    std::collections::HashMap<(Pid, &'static str), (Rid, Box<dyn std::any::Any + Send>)>;

pub(crate) struct World {
    pub threads: super::slots::Threads,
    pub resources: Vec<Resource>,
    /// Virtual clock, in nanoseconds (step and virtual modes).
    pub now: u64,
    seq: u64,
    rng: StdRng,
    /// The demo's own random numbers (stays in a stall, time to make a bun), from the same seed.
    pub demo_rng: StdRng,
    /// Who holds the baton (step and virtual modes).
    pub running: Option<Tid>,
    /// Step mode: the run waits for the user to pick the next thread.
    pub awaiting_pick: bool,
    /// Every scheduling choice so far, in order: with the seed, the run's schedule.
    pub choices: Vec<Tid>,
    /// Choices to replay before the policy (or the user) decides.
    pub forced: VecDeque<Tid>,
    /// A replayed choice could not be made: the schedule does not fit this run.
    pub schedule_broken: bool,
    pub paused: bool,
    pub finished: bool,
    pub end_ns: u64,
    pub deadlock: Option<Deadlock>,
    /// Threads that raised, in order: "T3: message".
    pub raised: Vec<String>,
    /// The system refused a thread: the run ended, and this says so in one line.
    pub refused: Option<String>,
    /// The run's processes: its own (`Pid(0)`) and every child, in the order they started.
    pub processes: Vec<super::process::ProcSlot>,
    /// Each process's copy of the globals it touched, by (process, name): its variable in the
    /// panels and its value.
    pub globals: Globals,
    /// A thread that raises ends the whole run (the demo asked: `stop_on_raise`), instead of
    /// only itself.
    pub stop_on_raise: bool,
    /// Every line the demo printed (`say`), in order, with who printed it.
    pub printed: Vec<(Tid, String)>,
    /// Virtual mode: who picks instead of the seeded policy (the outcome explorer).
    pub chooser: Option<Chooser>,
}

/// What a thread picked now would do: the operation it is about to perform, or `None` when it
/// goes on after a wait (`clock` when its sleep or work ran out, or it was handed the lock it
/// waited for: it only goes on with its own code; otherwise it still has its call to finish).
/// `waits`: it still sleeps (or waits with a time limit); picking it lets that time pass while
/// the others wait, as a learner can in step mode (`clock` then says it sleeps or works,
/// rather than waits with a time limit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Move {
    pub tid: Tid,
    pub op: Option<Op>,
    pub clock: bool,
    pub waits: bool,
}

/// Picks one of the moves offered at a scheduling point (virtual mode), by its index.
pub type Chooser = Box<dyn FnMut(&[Move]) -> usize + Send>;

thread_local! {
    /// The chooser the next run started on this thread takes (see [`with_chooser`]).
    static NEXT_CHOOSER: RefCell<Option<Chooser>> = const { RefCell::new(None) };
}

/// Run `start` (which starts a run on this thread) with `chooser` making that run's choices.
pub fn with_chooser<R>(chooser: Chooser, start: impl FnOnce() -> R) -> R {
    NEXT_CHOOSER.with(|c| *c.borrow_mut() = Some(chooser));
    let r = start();
    NEXT_CHOOSER.with(|c| c.borrow_mut().take());
    r
}

pub(crate) struct Core {
    pub cfg: Config,
    pub world: Mutex<World>,
    pub cancel: AtomicBool,
    /// OS threads of this run that have not yet left their root.
    pub alive: AtomicUsize,
    pub start: Instant,
    tx: Sender<Event>,
    /// Signalled when the run finishes, a step is awaited, or a thread exits.
    pub controller: Condvar,
    /// Signalled when a live run is resumed.
    pub resumed: Condvar,
    /// Its live child processes, once it has started one.
    pub host: Mutex<Option<Arc<super::child::Host>>>,
    /// What its processes share, by resource number (see `ipc`).
    pub hosted: super::ipc::Registry,
    /// The servers it started (see `net`): closed when it ends or is cancelled.
    pub served: Mutex<Vec<Arc<super::net::Server>>>,
}

thread_local! {
    static CURRENT: RefCell<Option<(Arc<Core>, Tid)>> = const { RefCell::new(None) };
}

/// The run and thread the calling demo thread belongs to.
pub(crate) fn current() -> (Arc<Core>, Tid) {
    CURRENT
        .with(|c| c.borrow().clone())
        .expect("lockstep primitives are used from inside a run: start one with engine::Run::start")
}

/// The calling demo thread's id, without touching the run's reference count.
pub(crate) fn current_tid() -> Tid {
    CURRENT
        .with(|c| c.borrow().as_ref().map(|(_, t)| *t))
        .expect("lockstep primitives are used from inside a run: start one with engine::Run::start")
}

pub(crate) fn set_current(core: Arc<Core>, tid: Tid) {
    CURRENT.with(|c| *c.borrow_mut() = Some((core, tid)));
}

pub(crate) fn clear_current() {
    CURRENT.with(|c| *c.borrow_mut() = None);
}

/// Whether the calling thread is a demo thread (the panic hook stays quiet for them).
pub fn in_demo_thread() -> bool {
    CURRENT.with(|c| c.borrow().is_some())
}

impl Core {
    pub fn new(cfg: Config, tx: Sender<Event>) -> Core {
        Core {
            world: Mutex::new(World {
                threads: Default::default(),
                resources: Vec::new(),
                now: 0,
                seq: 0,
                rng: StdRng::seed_from_u64(cfg.seed),
                demo_rng: StdRng::seed_from_u64(cfg.seed ^ 0x5eed_0fde_70c0),
                running: None,
                awaiting_pick: false,
                choices: Vec::new(),
                forced: VecDeque::new(),
                schedule_broken: false,
                paused: false,
                finished: false,
                end_ns: 0,
                deadlock: None,
                raised: Vec::new(),
                refused: None,
                processes: vec![super::process::ProcSlot::main()],
                globals: std::collections::HashMap::new(),
                stop_on_raise: false,
                printed: Vec::new(),
                chooser: NEXT_CHOOSER.with(|c| c.borrow_mut().take()),
            }),
            cfg,
            cancel: AtomicBool::new(false),
            alive: AtomicUsize::new(0),
            start: Instant::now(),
            tx,
            controller: Condvar::new(),
            resumed: Condvar::new(),
            host: Mutex::new(None),
            hosted: Default::default(),
            served: Mutex::new(Vec::new()),
        }
    }

    pub fn virtual_clock(&self) -> bool {
        self.cfg.mode != Mode::Live
    }

    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Acquire)
    }

    /// The run's clock: real nanoseconds since start (live) or the virtual clock.
    pub fn now_ns(&self, w: &World) -> u64 {
        if self.virtual_clock() {
            w.now
        } else {
            self.start.elapsed().as_nanos() as u64
        }
    }

    /// A lesson duration on the run's clock: lesson seconds times the scale.
    pub fn scaled_ns(&self, d: Duration) -> u64 {
        (d.as_secs_f64() * self.cfg.scale * 1e9).round() as u64
    }

    pub fn emit(&self, w: &mut World, tid: Tid, what: What, site: Option<Site>) {
        let at_ns = self.now_ns(w);
        let state = w
            .threads
            .get(tid.0 as usize)
            .map_or(ThreadState::Running, |s| s.state);
        let seq = w.seq;
        w.seq += 1;
        if let What::Say { text } = &what {
            w.printed.push((tid, text.clone()));
        }
        // Unbounded: a demo thread never waits for the screen. Nobody listening is fine.
        let _ = self.tx.send(Event {
            seq,
            at_ns,
            tid,
            what,
            state,
            site,
        });
    }

    pub fn set_state(w: &mut World, tid: Tid, state: ThreadState) {
        w.threads[tid.0 as usize].state = state;
    }

    pub fn add_thread(
        &self,
        w: &mut World,
        name: String,
        state: ThreadState,
        daemon: bool,
        pid: Pid,
    ) -> Tid {
        let tid = Tid(w.threads.len() as u32);
        w.threads.push(Slot {
            name,
            state,
            daemon,
            pid,
            killed: false,
            remote: false,
            served: false,
            loop_task: false,
            wake_at: 0,
            timed: false,
            timed_out: false,
            next: None,
            clock_woke: false,
            cv: Arc::new(Condvar::new()),
        });
        tid
    }

    /// Register a resource created by `me` and announce it, the world already locked.
    pub fn create_in(
        &self,
        w: &mut World,
        me: Tid,
        name: &str,
        kind: ResourceKind,
        state: ResState,
        value: Option<String>,
    ) -> Rid {
        let rid = Rid(w.resources.len() as u32);
        w.resources.push(Resource {
            name: name.to_string(),
            state,
        });
        let what = What::ResourceNew {
            rid,
            name: name.to_string(),
            kind,
            value,
        };
        self.emit(w, me, what, None);
        rid
    }

    /// A demo thread has not left yet, or a child process has not been reaped.
    pub fn busy(&self) -> bool {
        self.alive.load(Ordering::Acquire) > 0 || self.children_running()
    }

    /// Live child processes still going or not yet reaped.
    pub fn children_running(&self) -> bool {
        self.host.lock().as_ref().is_some_and(|h| h.running())
    }

    /// Register a resource created by `me` and announce it.
    pub fn create(
        &self,
        me: Tid,
        name: &str,
        kind: ResourceKind,
        state: ResState,
        value: Option<String>,
    ) -> Rid {
        let mut w = self.world.lock();
        // A child process's own resource says whose it is: "n@child".
        let pid = w.threads.get(me.0 as usize).map_or(Pid(0), |s| s.pid);
        let name = match pid {
            Pid(0) => name.to_string(),
            p => format!("{name}@{}", w.processes[p.0 as usize].name),
        };
        self.create_in(&mut w, me, &name, kind, state, value)
    }

    /// Whether `tid` still waits on `rid` (a timed wait may have given up meanwhile).
    pub fn waits_on(w: &World, tid: Tid, rid: Rid) -> bool {
        w.threads[tid.0 as usize].state == ThreadState::Blocked(BlockedOn::Resource(rid))
    }

    /// Take the longest waiter that still waits on `rid` off `queue`.
    pub fn next_waiter(threads: &[Slot], queue: &mut VecDeque<Tid>, rid: Rid) -> Option<Tid> {
        while let Some(t) = queue.pop_front() {
            if threads[t.0 as usize].state == ThreadState::Blocked(BlockedOn::Resource(rid)) {
                return Some(t);
            }
        }
        None
    }

    /// Unwind the calling demo thread if the run was cancelled. Its guards drop on the way out.
    pub fn check_cancel<'a>(&self, w: MutexGuard<'a, World>, me: Tid) -> MutexGuard<'a, World> {
        let killed = w.threads.get(me.0 as usize).is_some_and(|s| s.killed);
        if (self.cancelled() || killed) && !std::thread::panicking() {
            drop(w);
            std::panic::resume_unwind(Box::new(Cancelled));
        }
        w
    }

    /// Called before every operation: in live mode, honour pause; in step and virtual modes,
    /// give the scheduler the choice of who moves next (maybe the caller again).
    pub fn op_point<'a>(
        &'a self,
        mut w: MutexGuard<'a, World>,
        me: Tid,
        op: Op,
        site: Option<Site>,
    ) -> MutexGuard<'a, World> {
        w = self.check_cancel(w, me);
        if std::thread::panicking() {
            return w; // unwinding after a cancel: bookkeeping only
        }
        if !self.virtual_clock() {
            while w.paused && !self.cancelled() {
                self.resumed.wait(&mut w);
            }
            return self.check_cancel(w, me);
        }
        let slot = &mut w.threads[me.0 as usize];
        slot.state = ThreadState::Ready;
        slot.next = Some((op, site));
        self.decide(&mut w);
        self.await_baton(w, me)
    }

    /// Wait, holding nothing, until the baton comes back to `me` (step and virtual modes).
    pub(crate) fn await_baton<'a>(
        &'a self,
        mut w: MutexGuard<'a, World>,
        me: Tid,
    ) -> MutexGuard<'a, World> {
        let cv = w.threads[me.0 as usize].cv.clone();
        while w.running != Some(me) {
            w = self.check_cancel(w, me);
            cv.wait(&mut w);
        }
        w = self.check_cancel(w, me);
        let slot = &mut w.threads[me.0 as usize];
        slot.state = ThreadState::Running;
        slot.next = None;
        slot.clock_woke = false;
        w
    }

    /// The start of every lock, reentrant lock and semaphore acquire: a scheduling point,
    /// then "asks for" in the log.
    pub fn ask_for(&self, me: Tid, rid: Rid, site: Option<Site>) -> MutexGuard<'_, World> {
        let mut w = self.op_point(self.world.lock(), me, Op::Lock(rid), site);
        self.emit(&mut w, me, What::Lock { rid }, site);
        w
    }

    /// The start of every release (a guard's drop): a scheduling point unless the run is
    /// being cancelled (a thread unwinding must not wait for its turn), then "releases".
    pub fn let_go(&self, me: Tid, rid: Rid) -> MutexGuard<'_, World> {
        let mut w = self.world.lock();
        // A cancelled run's threads drop their guards while they unwind, in whatever order the
        // OS runs them: the log says nothing of it, so the same seed gives the same log.
        if !self.cancelled() {
            w = self.op_point(w, me, Op::Unlock(rid), None);
            self.emit(&mut w, me, What::Released { rid }, None);
        }
        w
    }

    /// Wait on resource `rid`: say so in the log, then block until `wake` is called for `me`
    /// or, with a limit, until it passes (true when the time ran out first).
    pub fn wait_on<'a>(
        &'a self,
        mut w: MutexGuard<'a, World>,
        me: Tid,
        rid: Rid,
        limit_ns: Option<u64>,
        site: Option<Site>,
    ) -> (MutexGuard<'a, World>, bool) {
        let on = BlockedOn::Resource(rid);
        Core::set_state(&mut w, me, ThreadState::Blocked(on));
        self.emit(&mut w, me, What::Blocked { on }, site);
        self.block_timeout(w, me, limit_ns)
    }

    /// Block `me` (its state already says on what) until `wake` is called for it.
    pub fn block<'a>(&'a self, w: MutexGuard<'a, World>, me: Tid) -> MutexGuard<'a, World> {
        self.block_timeout(w, me, None).0
    }

    /// Block `me` until `wake` is called for it or `limit_ns` (on the run's clock) passes.
    /// True when the time ran out first; the caller then takes itself off the waiters.
    pub fn block_timeout<'a>(
        &'a self,
        mut w: MutexGuard<'a, World>,
        me: Tid,
        limit_ns: Option<u64>,
    ) -> (MutexGuard<'a, World>, bool) {
        {
            let now = w.now;
            let slot = &mut w.threads[me.0 as usize];
            slot.timed = limit_ns.is_some();
            slot.timed_out = false;
            slot.wake_at = now + limit_ns.unwrap_or(0);
        }
        self.check_stuck(&mut w, me);
        w = self.check_cancel(w, me);
        if self.virtual_clock() {
            self.decide(&mut w);
            w = self.await_baton(w, me);
        } else {
            let cv = w.threads[me.0 as usize].cv.clone();
            let deadline = limit_ns.map(|ns| Instant::now() + Duration::from_nanos(ns));
            while matches!(w.threads[me.0 as usize].state, ThreadState::Blocked(_)) {
                w = self.check_cancel(w, me);
                match deadline {
                    Some(d) if Instant::now() >= d => {
                        let slot = &mut w.threads[me.0 as usize];
                        slot.state = ThreadState::Running;
                        slot.timed_out = true;
                    }
                    Some(d) => {
                        cv.wait_until(&mut w, d);
                    }
                    None => cv.wait(&mut w),
                }
            }
            w = self.check_cancel(w, me);
        }
        let slot = &mut w.threads[me.0 as usize];
        slot.timed = false;
        let timed_out = std::mem::take(&mut slot.timed_out);
        (w, timed_out)
    }

    /// Wake every thread waiting for a thread of process `pid` to finish (it was terminated).
    pub fn wake_joiners_of_process(&self, w: &mut World, pid: Pid) {
        for i in 0..w.threads.len() {
            if let ThreadState::Blocked(BlockedOn::Thread(t)) = w.threads[i].state
                && w.threads[t.0 as usize].pid == pid
                && w.threads[t.0 as usize].state.is_finished()
            {
                self.wake(w, Tid(i as u32));
            }
        }
    }

    /// Make a blocked thread able to go on. Live: it runs at once; step/virtual: it is ready.
    pub fn wake(&self, w: &mut World, tid: Tid) {
        // Handed a lock or a permit, or its joined thread finished: all it does next is its
        // own code (a queue's or a condition's waiter still has to finish its call).
        let handed = match w.threads[tid.0 as usize].state {
            ThreadState::Blocked(BlockedOn::Thread(_)) => true,
            ThreadState::Blocked(BlockedOn::Resource(r)) => matches!(
                w.resources[r.0 as usize].state,
                ResState::Mutex { .. }
                    | ResState::ReentrantMutex { .. }
                    | ResState::Semaphore { .. }
            ),
            _ => false,
        };
        let slot = &mut w.threads[tid.0 as usize];
        slot.timed = false;
        if self.virtual_clock() {
            slot.clock_woke = handed;
            slot.state = ThreadState::Ready;
        } else {
            slot.state = ThreadState::Running;
            slot.cv.notify_one();
        }
    }

    /// Sleep (`Sleeping`) or work (`Working`) for `ns` on the run's clock. In live mode
    /// `Working` spins the CPU; the caller's work function does that outside the lock.
    pub fn pass_time<'a>(
        &'a self,
        mut w: MutexGuard<'a, World>,
        me: Tid,
        ns: u64,
        state: ThreadState,
    ) -> MutexGuard<'a, World> {
        Core::set_state(&mut w, me, state);
        if self.virtual_clock() {
            let wake_at = w.now + ns;
            w.threads[me.0 as usize].wake_at = wake_at;
            self.decide(&mut w);
            return self.await_baton(w, me);
        }
        let deadline = Instant::now() + Duration::from_nanos(ns);
        if state == ThreadState::Working {
            drop(w);
            spin_until(deadline, &self.cancel);
            w = self.world.lock();
        } else {
            let cv = w.threads[me.0 as usize].cv.clone();
            while Instant::now() < deadline {
                w = self.check_cancel(w, me);
                cv.wait_until(&mut w, deadline);
            }
        }
        w = self.check_cancel(w, me);
        Core::set_state(&mut w, me, ThreadState::Running);
        self.emit(&mut w, me, What::Wake, None);
        w
    }

    /// Step and virtual modes: pick who moves next, moving the virtual clock when nobody can.
    pub fn decide(&self, w: &mut World) {
        if self.cancelled() {
            return;
        }
        w.running = None;
        loop {
            if program_over(w) {
                self.finish(w);
                return;
            }
            if w.threads.ready_len() > 0 {
                w.awaiting_pick = true;
                if let Some(t) = w.forced.pop_front() {
                    if self.pick(w, Some(t)) {
                        return;
                    }
                    w.forced.clear();
                    w.schedule_broken = true;
                }
                match self.cfg.mode {
                    Mode::Step => {
                        self.controller.notify_all();
                    }
                    _ => {
                        self.pick(w, None);
                    }
                }
                return;
            }
            let next_wake = w.threads.next_wake();
            if let Some(at) = next_wake {
                self.wake_sleepers(w, at);
                continue;
            }
            self.report_stuck(w);
            return;
        }
    }

    /// Step mode: the user's pick (or the policy's, for `None`). False if nobody can move.
    pub fn pick(&self, w: &mut World, choice: Option<Tid>) -> bool {
        if !w.awaiting_pick || self.cancelled() {
            return false;
        }
        let ready = w.threads.ready_len();
        // The explorer chooses as a learner in step mode can: a sleeper too.
        let choice = match choice {
            None if w.chooser.is_some() => Some(self.ask_chooser(w)),
            c => c,
        };
        let pick = match choice {
            Some(t) if w.threads.is_ready(t.0 as usize) => t,
            // You are the scheduler: let a sleeper's time pass while the ready ones wait.
            Some(t)
                if w.threads
                    .get(t.0 as usize)
                    .is_some_and(Slot::waits_for_clock) =>
            {
                let at = w.threads[t.0 as usize].wake_at;
                self.wake_sleepers(w, at);
                t
            }
            Some(_) => return false,
            None if ready == 0 => return false,
            None => {
                let k = w.rng.random_range(0..ready);
                Tid(w.threads.ready_nth(k).expect("k is below the ready count") as u32)
            }
        };
        w.awaiting_pick = false;
        w.choices.push(pick);
        self.hand_baton(w, pick);
        true
    }

    /// The explorer's pick among every thread a learner could pick in step mode.
    fn ask_chooser(&self, w: &mut World) -> Tid {
        let moves: Vec<Move> = w
            .threads
            .iter()
            .enumerate()
            .filter(|(_, s)| s.can_be_picked() || s.waits_for_clock())
            .map(|(i, s)| Move {
                tid: Tid(i as u32),
                op: if s.can_be_picked() {
                    s.next.map(|(op, _)| op)
                } else {
                    None
                },
                // Waiting: true for a sleep or work, which only the clock ends.
                clock: if s.can_be_picked() {
                    s.clock_woke
                } else {
                    !matches!(s.state, ThreadState::Blocked(_))
                },
                waits: !s.can_be_picked(),
            })
            .collect();
        let chooser = w.chooser.as_mut().expect("asked only with a chooser");
        let i = chooser(&moves).min(moves.len() - 1);
        moves[i].tid
    }

    /// Move the virtual clock to `at` and make every thread whose sleep ends by then ready.
    fn wake_sleepers(&self, w: &mut World, at: u64) {
        w.now = w.now.max(at);
        for i in w.threads.due(at) {
            let s = &mut w.threads[i];
            if s.timed {
                // A timed wait gives up; the thread says so when it runs.
                s.timed = false;
                s.timed_out = true;
                s.state = ThreadState::Ready;
            } else {
                s.state = ThreadState::Ready;
                s.clock_woke = true;
                self.emit(w, Tid(i as u32), What::Wake, None);
            }
        }
    }

    fn hand_baton(&self, w: &mut World, tid: Tid) {
        w.running = Some(tid);
        w.threads[tid.0 as usize].cv.notify_one();
    }

    /// Its servers stop listening: a run never leaves a port open behind it.
    fn close_servers(&self, w: &mut World) {
        let served = self.served.lock().clone();
        for s in served {
            s.close(self, w);
        }
    }

    /// Every non-daemon thread has finished: the run is over, and daemons still going are
    /// cut off (cancelled).
    pub fn finish(&self, w: &mut World) {
        if w.finished {
            return;
        }
        w.finished = true;
        w.end_ns = self.now_ns(w);
        self.close_servers(w);
        self.emit(w, Tid(0), What::Finished, None);
        if w.threads.iter().any(|s| !s.state.is_finished()) {
            self.cancel_all(w);
        }
        self.controller.notify_all();
    }

    /// Called when `me` is about to block: a wait-for cycle through `me`, or every live thread
    /// blocked, is a deadlock; it is reported and the run is cancelled.
    fn check_stuck(&self, w: &mut World, me: Tid) {
        if w.deadlock.is_some() || self.cancelled() {
            return;
        }
        if let Some(cycle) = waitfor::cycle_from(w, me) {
            let stuck = waitfor::blocked_links(w);
            self.declare_deadlock(w, me, Deadlock { cycle, stuck });
            return;
        }
        self.check_all_blocked(w);
    }

    /// Live mode: when every thread left is blocked with no time limit, nothing can ever wake
    /// them. (A thread between operations is Running, so this is exact. In step and virtual
    /// modes `decide` sees the same.)
    pub fn check_all_blocked(&self, w: &mut World) {
        // A child process's threads may wait on what only it can see (a timed wait, its own
        // locks): it finds its own deadlocks; here, a child still going is not stuck.
        if w.threads.iter().any(|s| s.remote && !s.state.is_finished()) || self.children_running() {
            return;
        }
        let live = w.threads.iter().filter(|s| !s.state.is_finished());
        let mut any = false;
        for s in live {
            if !matches!(s.state, ThreadState::Blocked(_)) || s.timed {
                return;
            }
            any = true;
        }
        if any && !self.virtual_clock() {
            self.report_stuck(w);
        }
    }

    fn report_stuck(&self, w: &mut World) {
        if w.deadlock.is_some() {
            return;
        }
        let cycle = (0..w.threads.len())
            .find_map(|i| waitfor::cycle_from(w, Tid(i as u32)))
            .unwrap_or_default();
        let stuck = waitfor::blocked_links(w);
        let by = w
            .threads
            .iter()
            .position(|s| matches!(s.state, ThreadState::Blocked(_)))
            .map_or(Tid(0), |i| Tid(i as u32));
        self.declare_deadlock(w, by, Deadlock { cycle, stuck });
    }

    fn declare_deadlock(&self, w: &mut World, by: Tid, deadlock: Deadlock) {
        w.deadlock = Some(deadlock.clone());
        self.emit(w, by, What::DeadlockFound { deadlock }, None);
        self.cancel_all(w);
    }

    /// Cancel the run: every blocking wait wakes and unwinds its thread. Every thread still
    /// going is marked cancelled (a daemon at the program's end: cut off) here, in thread
    /// order, so the log's last lines do not depend on the order the OS unwinds them in.
    pub fn cancel_all(&self, w: &mut World) {
        if !self.cancelled() {
            let program_over = w.finished;
            for i in 0..w.threads.len() {
                let s = &w.threads[i];
                if s.state.is_finished() {
                    continue;
                }
                let (state, what) = if program_over && lets_program_end(w, s) {
                    (ThreadState::CutOff, What::CutOff)
                } else {
                    (ThreadState::Cancelled, What::Cancelled)
                };
                Core::set_state(w, Tid(i as u32), state);
                self.emit(w, Tid(i as u32), what, None);
            }
        }
        self.cancel.store(true, Ordering::Release);
        self.close_servers(w);
        if let Some(h) = self.host.lock().as_ref() {
            h.kill_all();
        }
        for s in &w.threads {
            s.cv.notify_all();
        }
        self.resumed.notify_all();
        self.controller.notify_all();
    }
}

/// A variable's writes made, less the writes its current value descends from.
pub(crate) fn lost_of(depth: &[u64]) -> u64 {
    (depth.len() as u64 - 1) - depth[depth.len() - 1]
}

/// Every non-daemon thread has finished: the program is over (Python waits for exactly these).
pub(crate) fn program_over(w: &World) -> bool {
    w.threads
        .iter()
        .all(|s| lets_program_end(w, s) || s.state.is_finished())
}

/// A daemon thread, or a thread of a daemon process: the program does not wait for it.
fn lets_program_end(w: &World, s: &Slot) -> bool {
    s.daemon || w.processes[s.pid.0 as usize].daemon
}

/// Busy-wait for CPU work in live mode, checking the cancel flag now and then.
fn spin_until(deadline: Instant, cancel: &AtomicBool) {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    while Instant::now() < deadline && !cancel.load(Ordering::Relaxed) {
        for _ in 0..1000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }
        std::hint::black_box(x);
    }
}
