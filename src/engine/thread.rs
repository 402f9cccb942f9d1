//! Demo threads: spawn, join, sleep, work and say, each an instrumented operation.

use super::event::{BlockedOn, Op, Pid, Site, ThreadState, Tid, What};
use super::os_threads;
use super::process;
use super::sched::{self, Cancelled, Core};
use crossbeam_channel::{Receiver, Sender, bounded};
use rand::RngExt;
use rand::distr::uniform::{SampleRange, SampleUniform};
use std::panic::{AssertUnwindSafe, Location, catch_unwind, resume_unwind};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// A handle to a demo thread; `join` waits for it and returns what it returned.
pub struct JoinHandle<T> {
    tid: Tid,
    /// The thread's return value (or what it raised), sent before it counts as finished.
    result: Receiver<Result<T, Raised>>,
}

/// A thread raised (panicked) instead of returning: its name and message. `join` gives it back,
/// as std's `join` gives back a panic (Python's `join` returns anyway; the traceback was
/// printed when the thread raised).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Raised {
    pub thread: String,
    pub message: String,
}

impl std::fmt::Display for Raised {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} raised: {}", self.thread, self.message)
    }
}

impl std::error::Error for Raised {}

/// Start a named demo thread (Python: `threading.Thread(target=f, name=...).start()`).
#[track_caller]
pub fn spawn<F, T>(name: impl Into<String>, f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let site = Site::here(Location::caller());
    let (core, me) = sched::current();
    let w = core.world.lock();
    drop(core.op_point(w, me, Op::Spawn, Some(site)));
    start_thread(&core, name.into(), Some(me), Some(site), false, f)
}

/// Start a daemon thread: it is cut off when every non-daemon thread has finished
/// (Python: `threading.Thread(target=f, daemon=True).start()`).
#[track_caller]
pub fn spawn_daemon<F, T>(name: impl Into<String>, f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let site = Site::here(Location::caller());
    let (core, me) = sched::current();
    let w = core.world.lock();
    drop(core.op_point(w, me, Op::Spawn, Some(site)));
    start_thread(&core, name.into(), Some(me), Some(site), true, f)
}

/// Register a thread in its parent's process and start its OS thread. The new thread waits
/// for the baton in step and virtual modes.
pub(crate) fn start_thread<F, T>(
    core: &Arc<Core>,
    name: String,
    parent: Option<Tid>,
    site: Option<Site>,
    daemon: bool,
    f: F,
) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let pid = {
        let w = core.world.lock();
        parent.map_or(Pid(0), |p| w.threads[p.0 as usize].pid)
    };
    start_in(core, name, parent, site, daemon, pid, 0, f)
}

/// Register a thread of process `pid` and start its OS thread; on the virtual clock it begins
/// `delay_ns` from now (a process's main thread, while the process starts).
#[allow(clippy::too_many_arguments)]
pub(crate) fn start_in<F, T>(
    core: &Arc<Core>,
    name: String,
    parent: Option<Tid>,
    site: Option<Site>,
    daemon: bool,
    pid: Pid,
    delay_ns: u64,
    f: F,
) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let mut w = core.world.lock();
    let state = match (core.virtual_clock(), delay_ns) {
        (true, 0) => ThreadState::Ready,
        (true, _) => ThreadState::Sleeping,
        (false, _) => ThreadState::Running,
    };
    let tid = core.add_thread(&mut w, name.clone(), state, daemon, pid);
    w.threads[tid.0 as usize].next = Some((Op::Start, site));
    if state == ThreadState::Sleeping {
        let now = w.now;
        w.threads[tid.0 as usize].wake_at = now + delay_ns;
    }
    core.emit(
        &mut w,
        tid,
        What::ThreadNew {
            name: name.clone(),
            parent,
            daemon,
            process: pid,
        },
        site,
    );
    core.alive.fetch_add(1, Ordering::AcqRel);
    drop(w);
    let c = core.clone();
    let (tx, result) = bounded(1);
    if let Err((job, e)) = os_threads::run(Box::new(move || root(c, tid, f, tx))) {
        drop(job); // it never runs
        refused(core, tid, &e);
    }
    JoinHandle { tid, result }
}

/// The system refused an OS thread for demo thread `tid`: the run ends, saying so in one line
/// ("the system refused thread T297 (thread 298 of the run): …"), with nothing left running.
fn refused(core: &Arc<Core>, tid: Tid, e: &std::io::Error) {
    let mut w = core.world.lock();
    let name = w.threads[tid.0 as usize].name.clone();
    let message = format!(
        "the system refused thread {name} (thread {} of the run): {e}",
        tid.0 + 1
    );
    let what = What::NotStarted {
        reason: e.to_string(),
    };
    core.emit(&mut w, tid, what, None);
    w.refused.get_or_insert(message);
    Core::set_state(&mut w, tid, ThreadState::Cancelled);
    core.cancel_all(&mut w);
    core.alive.fetch_sub(1, Ordering::AcqRel);
    core.controller.notify_all();
    drop(w);
    // The thread that asked for it leaves too (unless it is the controller starting main).
    if sched::in_demo_thread() {
        resume_unwind(Box::new(Cancelled));
    }
}

/// A demo thread's root: waits for its turn, runs the body, catches a cancel or a panic,
/// wakes its joiners and passes the baton on.
fn root<F, T>(core: Arc<Core>, tid: Tid, f: F, result: Sender<Result<T, Raised>>)
where
    F: FnOnce() -> T,
{
    sched::set_current(core.clone(), tid);
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let w = core.world.lock();
        let mut w = if core.virtual_clock() {
            core.await_baton(w, tid)
        } else {
            core.check_cancel(w, tid)
        };
        core.emit(&mut w, tid, What::Start, None);
        drop(w);
        f()
    }));
    let mut w = core.world.lock();
    // A cancel marks every thread still going (see `Core::cancel_all`): such a thread only
    // leaves now, quietly, whatever its body did meanwhile.
    let marked = w.threads[tid.0 as usize].state.is_finished();
    let ended = match outcome {
        Ok(v) => {
            let _ = result.send(Ok(v)); // room for one: never blocks; nobody joining is fine
            (!marked).then_some((ThreadState::Done, What::Done))
        }
        Err(p) if p.is::<Cancelled>() => {
            (!marked).then_some((ThreadState::Cancelled, What::Cancelled))
        }
        Err(p) => {
            let message = panic_message(p.as_ref());
            let name = w.threads[tid.0 as usize].name.clone();
            let _ = result.send(Err(Raised {
                thread: name.clone(),
                message: message.clone(),
            }));
            w.raised.push(format!("{name}: {message}"));
            (!marked).then_some((ThreadState::Raised, What::Raised { message }))
        }
    };
    let raised = matches!(ended, Some((ThreadState::Raised, _)));
    if let Some((state, what)) = ended {
        Core::set_state(&mut w, tid, state);
        core.emit(&mut w, tid, what, None);
    }
    for i in 0..w.threads.len() {
        if w.threads[i].state == ThreadState::Blocked(BlockedOn::Thread(tid)) {
            core.wake(&mut w, Tid(i as u32));
        }
    }
    if !marked {
        let pid = w.threads[tid.0 as usize].pid;
        process::process_over(&core, &mut w, pid);
        process::code_ended(&core, &mut w, pid);
    }
    if marked {
        // Ended by a cancel or by its process's end: whoever did that moves the run on.
    } else if raised && w.stop_on_raise {
        core.cancel_all(&mut w); // the demo asked: a raise ends everything
    } else if !core.cancelled() {
        if core.virtual_clock() {
            core.decide(&mut w);
        } else if sched::program_over(&w) {
            core.finish(&mut w);
        } else {
            core.check_all_blocked(&mut w);
        }
    }
    sched::clear_current();
    core.alive.fetch_sub(1, Ordering::AcqRel);
    core.controller.notify_all();
}

pub(crate) fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "a demo thread panicked".to_string()
    }
}

impl<T> JoinHandle<T> {
    /// Wait for the thread to finish (Python: `t.join()`), and take what it returned, or what
    /// it raised.
    #[track_caller]
    pub fn join(self) -> Result<T, Raised> {
        let site = Some(Site::here(Location::caller()));
        let (core, me) = sched::current();
        let target = self.tid;
        let mut w = core.op_point(core.world.lock(), me, Op::Join(target), site);
        core.emit(&mut w, me, What::Join { target }, site);
        while !w.threads[target.0 as usize].state.is_finished() {
            let on = BlockedOn::Thread(target);
            Core::set_state(&mut w, me, ThreadState::Blocked(on));
            core.emit(&mut w, me, What::Blocked { on }, site);
            w = core.block(w, me);
        }
        core.emit(&mut w, me, What::Joined { target }, site);
        drop(w);
        match self.result.try_recv() {
            Ok(r) => r,
            // It finished without a word: cancelled, and so is this run.
            Err(_) => resume_unwind(Box::new(Cancelled)),
        }
    }

    /// Wait at most `limit` (lesson time) for the thread to finish; true if it has (Python:
    /// `t.join(timeout)`, then `not t.is_alive()`). `join` takes its result afterwards.
    #[track_caller]
    pub fn join_timeout(&self, limit: Duration) -> bool {
        let site = Some(Site::here(Location::caller()));
        let (core, me) = sched::current();
        let target = self.tid;
        let mut w = core.op_point(core.world.lock(), me, Op::Join(target), site);
        core.emit(&mut w, me, What::Join { target }, site);
        if !w.threads[target.0 as usize].state.is_finished() {
            let on = BlockedOn::Thread(target);
            Core::set_state(&mut w, me, ThreadState::Blocked(on));
            core.emit(&mut w, me, What::Blocked { on }, site);
            let (back, timed_out) = core.block_timeout(w, me, Some(core.scaled_ns(limit)));
            w = back;
            if timed_out {
                core.emit(&mut w, me, What::JoinTimedOut { target }, site);
                return false;
            }
        }
        core.emit(&mut w, me, What::Joined { target }, site);
        true
    }

    /// Whether the thread is still going (Python: `t.is_alive()`).
    #[track_caller]
    pub fn is_alive(&self) -> bool {
        let site = Some(Site::here(Location::caller()));
        let (core, me) = sched::current();
        let target = self.tid;
        let mut w = core.op_point(core.world.lock(), me, Op::IsAlive(target), site);
        let alive = !w.threads[target.0 as usize].state.is_finished();
        core.emit(&mut w, me, What::IsAlive { target, alive }, site);
        alive
    }

    /// Whether it is a daemon thread (Python: `t.daemon`).
    pub fn is_daemon(&self) -> bool {
        let (core, _) = sched::current();
        core.world.lock().threads[self.tid.0 as usize].daemon
    }

    /// Its name (Python: `t.name`).
    pub fn name(&self) -> String {
        let (core, _) = sched::current();
        core.world.lock().threads[self.tid.0 as usize].name.clone()
    }

    pub fn tid(&self) -> Tid {
        self.tid
    }

    /// What it returned or raised, once it has finished and nobody took it yet.
    pub(crate) fn take(&self) -> Option<Result<T, Raised>> {
        self.result.try_recv().ok()
    }
}

/// Wait without using the CPU (Python: `time.sleep`). `d` is in lesson time; the run scales it.
#[track_caller]
pub fn sleep(d: Duration) {
    pass_time(d, ThreadState::Sleeping, Location::caller());
}

/// Keep the CPU busy for `d` of lesson time (a CPU-bound job).
#[track_caller]
pub fn work(d: Duration) {
    pass_time(d, ThreadState::Working, Location::caller());
}

/// A CPU-bound job done for real: `f` computes (Python: a function that only calculates).
/// Live, it runs on this thread for as long as it takes, whatever the lesson's scale. On the
/// virtual clock it runs too, so its answer is real, and the job takes `cost` of the run's
/// time, not scaled: a machine computes as fast whatever the lesson's scale.
#[track_caller]
pub fn compute<T>(cost: Duration, f: impl FnOnce() -> T) -> T {
    let site = Some(Site::here(Location::caller()));
    let (core, me) = sched::current();
    let ns = cost.as_nanos().min(u128::from(u64::MAX)) as u64;
    let mut w = core.op_point(core.world.lock(), me, Op::Work(ns), site);
    Core::set_state(&mut w, me, ThreadState::Working);
    core.emit(&mut w, me, What::Work { ns }, site);
    drop(w);
    // Only this thread moves on the virtual clock: computing outside the lock is safe.
    let value = f();
    let w = core.world.lock();
    let mut w = if core.virtual_clock() {
        core.pass_time(w, me, ns, ThreadState::Working)
    } else {
        let mut w = core.check_cancel(w, me);
        Core::set_state(&mut w, me, ThreadState::Running);
        core.emit(&mut w, me, What::Wake, None);
        w
    };
    w = core.check_cancel(w, me);
    drop(w);
    value
}

fn pass_time(d: Duration, state: ThreadState, loc: &'static Location<'static>) {
    let site = Some(Site::here(loc));
    let (core, me) = sched::current();
    let ns = core.scaled_ns(d);
    let op = if state == ThreadState::Sleeping {
        Op::Sleep(ns)
    } else {
        Op::Work(ns)
    };
    let mut w = core.op_point(core.world.lock(), me, op, site);
    if ns == 0 {
        return; // Python's sleep(0): only a chance for others to move, which op_point gave
    }
    Core::set_state(&mut w, me, state);
    let what = if state == ThreadState::Sleeping {
        What::Sleep { ns }
    } else {
        What::Work { ns }
    };
    core.emit(&mut w, me, what, site);
    drop(core.pass_time(w, me, ns, state));
}

/// From now on a thread that raises ends the whole run, as a bug would, instead of only itself
/// (Python: a `threading.excepthook` that stops the program).
pub fn stop_on_raise() {
    let (core, _) = sched::current();
    core.world.lock().stop_on_raise = true;
}

/// Print a line to the run's log (Python: `print`).
#[track_caller]
pub fn say(text: impl Into<String>) {
    let site = Some(Site::here(Location::caller()));
    let (core, me) = sched::current();
    let mut w = core.op_point(core.world.lock(), me, Op::Say, site);
    core.emit(&mut w, me, What::Say { text: text.into() }, site);
}

/// The calling demo thread's name (Python: `threading.current_thread().name`).
pub fn current_name() -> String {
    let (core, me) = sched::current();
    core.world.lock().threads[me.0 as usize].name.clone()
}

/// Lesson time since the run started (the run's clock divided by its scale).
pub fn now() -> Duration {
    let (core, _) = sched::current();
    let w = core.world.lock();
    Duration::from_secs_f64(core.now_ns(&w) as f64 / 1e9 / core.cfg.scale)
}

/// A random number from the run's generator: the same seed gives the same numbers
/// (Python: `random.randint` / `random.uniform`).
pub fn random_range<T, R>(range: R) -> T
where
    T: SampleUniform,
    R: SampleRange<T>,
{
    let (core, _) = sched::current();
    let mut w = core.world.lock();
    w.demo_rng.random_range(range)
}

/// A random duration between `lo` and `hi` lesson seconds.
pub fn random_secs(lo: f64, hi: f64) -> Duration {
    if hi <= lo {
        return Duration::from_secs_f64(lo.max(0.0));
    }
    Duration::from_secs_f64(random_range(lo..hi).max(0.0))
}
