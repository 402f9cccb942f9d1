//! Processes: a group of demo threads with memory of its own (Python: `multiprocessing.Process`).
//!
//! A process runs a function with an argument that is copied into it (serialised and read
//! back, as Python pickles it), has its own copy of every `Global` it touches (a child that
//! sets a global leaves its parent's alone), ends when its non-daemon threads have, with an
//! exit code, and can be joined (with a time limit too), asked whether it is alive, or
//! terminated. A daemon process is terminated as soon as the code of the process that started
//! it has ended (Python's exit handler terminates daemonic children, then joins the others),
//! and cannot start children of its own.
//!
//! In step and virtual modes a process is a group of threads of the run, scheduled like any
//! others; starting one costs the time a real child process takes to start on this machine
//! (see `costs`). Live, it is a real child process: see `child`.

use super::event::{BlockedOn, Op, Pid, Site, ThreadState, Tid, What};
use super::sched::{self, Core, ResState, World};
use super::thread;
use parking_lot::MutexGuard;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt::Debug;
use std::panic::Location;
use std::sync::OnceLock;
use std::time::Duration;

/// A process of the run, as the runtime keeps it.
pub(crate) struct ProcSlot {
    pub name: String,
    pub daemon: bool,
    /// The real process id (live mode).
    pub os_pid: Option<u32>,
    /// Its exit code, once it has ended.
    pub exit: Option<i32>,
    /// It was terminated (its threads unwind; its exit code is -15).
    pub terminated: bool,
    /// A daemon terminated because its parent's code ended: its threads were cut off.
    pub cut_off: bool,
    /// The process that started it (the run's own for itself).
    pub parent: Pid,
    /// The exit code it ends with when its code ends (a command's own, see `command`).
    pub exit_as: Option<i32>,
}

impl ProcSlot {
    /// The run's own process.
    pub fn main() -> ProcSlot {
        ProcSlot {
            os_pid: Some(std::process::id()),
            ..ProcSlot::child("main".into(), false, Pid(0))
        }
    }

    /// A child process of `parent`, not started yet.
    pub fn child(name: String, daemon: bool, parent: Pid) -> ProcSlot {
        ProcSlot {
            name,
            daemon,
            os_pid: None,
            exit: None,
            terminated: false,
            cut_off: false,
            parent,
            exit_as: None,
        }
    }
}

/// What starting a child process costs on this machine: the parent's time to launch it, and
/// the child's time until it runs the function, in real nanoseconds. Virtual runs charge them
/// on the virtual clock (they do not shrink with the lesson's scale: a process takes as long
/// to start whatever the lesson). `LOCKSTEP_SPAWN_COST=LAUNCH_US,BOOT_US` fixes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Costs {
    pub launch_ns: u64,
    pub boot_ns: u64,
}

/// What starting a process costs on the virtual clock: this machine's figures from `cargo
/// bench --bench processes` (medians over six runs on 2 cores: spawn+join of a process that
/// does nothing 2.8 ms, of which the parent's `spawn_process` 0.3 ms; a thread's 22 µs), fixed
/// here so that a seed gives the same run on every machine and every day.
pub const MEASURED: Costs = Costs {
    launch_ns: 300_000,
    boot_ns: 2_500_000,
};

/// The costs the virtual clock charges: [`MEASURED`], or as `LOCKSTEP_SPAWN_COST` says.
pub fn costs() -> Costs {
    static COSTS: OnceLock<Costs> = OnceLock::new();
    *COSTS.get_or_init(|| {
        let fixed = std::env::var("LOCKSTEP_SPAWN_COST").ok().and_then(|v| {
            let (a, b) = v.split_once(',')?;
            Some(Costs {
                launch_ns: a.trim().parse::<u64>().ok()? * 1000,
                boot_ns: b.trim().parse::<u64>().ok()? * 1000,
            })
        });
        fixed.unwrap_or(MEASURED)
    })
}

/// A process function a live child can run, found by its Rust path: live, a child process
/// is the lockstep binary started again, and it looks the function up by name in the lessons'
/// tables (Python's spawn method likewise finds the target by name, so a lambda cannot be one).
/// Made with [`process_fn!`].
#[derive(Clone, Copy)]
pub struct ProcessFn {
    /// The function's path, as `std::any::type_name` gives it.
    pub name: fn() -> &'static str,
    /// Run it with its argument, read from JSON.
    pub run: fn(serde_json::Value),
}

/// `process_fn!(demo::child)`: the table entry for a process function.
#[macro_export]
macro_rules! process_fn {
    ($($f:ident)::+) => {
        $crate::engine::process::ProcessFn {
            name: || std::any::type_name_of_val(&$($f)::+),
            run: |arg| $($f)::+(serde_json::from_value(arg).expect("the parent sent this function's argument")),
        }
    };
}

/// Small process functions the runtime's own tests start as real children.
pub mod selftest {
    use super::super::{secs, sleep};

    /// Sleeps for ever (until terminated or its run is cancelled).
    pub fn sleep_forever(_: ()) {
        loop {
            sleep(secs(1.0));
        }
    }

    /// Sleeps `s` lesson seconds, then returns.
    pub fn nap(s: f64) {
        sleep(secs(s));
    }

    /// Raises at once.
    pub fn raise(_: ()) {
        panic!("bad input");
    }

    /// Starts a child of its own and waits for it (a daemon process may not).
    pub fn start_child(_: ()) {
        super::spawn_process("grandchild", nap, 0.0).join();
    }

    pub static N: super::Global<i64> = super::Global::new("n", 100);

    /// Sets its copy of `N` to `v`.
    pub fn set_n(v: i64) {
        N.set(v);
    }

    use crate::engine::ipc::{Connection, FileLock, ProcessQueue, SharedValue};

    /// Takes numbers until a `None`, puts back their squares.
    pub fn squares((tasks, results): (ProcessQueue<Option<u64>>, ProcessQueue<u64>)) {
        while let Some(n) = tasks.get() {
            results.put(n * n);
        }
    }

    /// Adds one to the shared value `times` times, in two steps (a read, then a write), under
    /// its lock when `locked`.
    pub fn count_up((v, times, locked): (SharedValue, u32, bool)) {
        for _ in 0..times {
            let _held = locked.then(|| v.get_lock().lock());
            let n = v.get(0);
            super::super::sleep(super::super::secs(0.001));
            v.set(0, n + 1);
        }
    }

    /// Holding the file lock, appends "start NAME" and, a moment later, "end NAME" to the file,
    /// `times` times.
    pub fn log_under_lock((lock, name, times): (FileLock, String, u32)) {
        use std::io::Write;
        for _ in 0..times {
            let _held = lock.lock();
            let path = lock.path().with_extension("log");
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .expect("the log file opens");
            writeln!(f, "start {name}").expect("written");
            super::super::sleep(super::super::secs(0.002));
            writeln!(f, "end {name}").expect("written");
        }
    }

    /// Answers each message with it twice, until "bye".
    pub fn echo(conn: Connection<String>) {
        loop {
            let m = conn.recv();
            if m == "bye" {
                return;
            }
            conn.send(format!("{m}{m}"));
        }
    }

    /// Appends `piece` to the data file: reads it whole, writes it back longer.
    pub fn append((file, piece): (crate::engine::DataFile, String)) {
        let text = file.read();
        file.write(&format!("{text}{piece}"));
    }

    /// Waits on the queue for ever (nobody puts).
    pub fn wait_on(q: ProcessQueue<u64>) {
        q.get();
    }
}

/// The table of `selftest`.
pub const SELFTEST: &[ProcessFn] = &[
    crate::process_fn!(selftest::sleep_forever),
    crate::process_fn!(selftest::nap),
    crate::process_fn!(selftest::raise),
    crate::process_fn!(selftest::set_n),
    crate::process_fn!(selftest::squares),
    crate::process_fn!(selftest::count_up),
    crate::process_fn!(selftest::log_under_lock),
    crate::process_fn!(selftest::echo),
    crate::process_fn!(selftest::wait_on),
    crate::process_fn!(selftest::append),
    crate::process_fn!(selftest::start_child),
];

/// A handle to a child process (Python: the `Process` object after `start()`).
pub struct Process {
    pid: Pid,
    main: Tid,
}

/// Start `f(arg)` in a new process named `name` (Python: `Process(target=f, args=(arg,),
/// name=name).start()`). `arg` is copied into it.
#[track_caller]
pub fn spawn_process<F, A>(name: impl Into<String>, f: F, arg: A) -> Process
where
    F: FnOnce(A) + Send + 'static,
    A: Serialize + DeserializeOwned + Send + 'static,
{
    start(name.into(), false, f, arg, Location::caller())
}

/// Start a daemon process: it is terminated as soon as the code of the process that started it
/// has ended, whoever else is still running (Python: `daemon=True`).
#[track_caller]
pub fn spawn_daemon_process<F, A>(name: impl Into<String>, f: F, arg: A) -> Process
where
    F: FnOnce(A) + Send + 'static,
    A: Serialize + DeserializeOwned + Send + 'static,
{
    start(name.into(), true, f, arg, Location::caller())
}

fn start<F, A>(name: String, daemon: bool, f: F, arg: A, loc: &'static Location<'static>) -> Process
where
    F: FnOnce(A) + Send + 'static,
    A: Serialize + DeserializeOwned + Send + 'static,
{
    let site = Some(Site::here(loc));
    let (core, me) = sched::current();
    // A copy, as Python pickles the arguments: nothing the parent holds is shared.
    let copied: A = serde_json::to_value(&arg)
        .and_then(serde_json::from_value)
        .expect("a process's argument is plain data");
    let w = core.world.lock();
    let mut w = core.op_point(w, me, Op::Spawn, site);
    let mine = w.threads[me.0 as usize].pid;
    if w.processes[mine.0 as usize].daemon || super::child::daemon_child() {
        drop(w);
        // Python's start() asserts the same: a daemon is terminated without a word, so its
        // children would be left behind.
        panic!("daemonic processes are not allowed to have children");
    }
    if !core.virtual_clock() {
        // Live: a real child process, the lockstep binary running this function by name.
        drop(w);
        let function = std::any::type_name::<F>();
        let arg = serde_json::to_value(&copied).expect("a process's argument is plain data");
        return match super::child::spawn_live(&core, me, name, daemon, function, arg, site) {
            Ok((pid, main)) => Process { pid, main },
            // Python's start() raises when the system refuses a process.
            Err(why) => panic!("{why}"),
        };
    }
    let pid = Pid(w.processes.len() as u32);
    let parent = w.threads[me.0 as usize].pid;
    w.processes
        .push(ProcSlot::child(name.clone(), daemon, parent));
    let what = What::ProcessNew {
        pid,
        name: name.clone(),
        daemon,
        os_pid: None,
    };
    core.emit(&mut w, me, what, site);
    let costs = costs();
    let launch = if core.virtual_clock() {
        costs.launch_ns
    } else {
        0
    };
    // The parent is busy launching it.
    if launch > 0 {
        Core::set_state(&mut w, me, ThreadState::Working);
        core.emit(&mut w, me, What::Work { ns: launch }, site);
        w = core.pass_time(w, me, launch, ThreadState::Working);
    }
    drop(w);
    let boot = if core.virtual_clock() {
        costs.boot_ns
    } else {
        0
    };
    // Its main thread is no daemon thread: the process lives as long as it runs (being a
    // daemon process is the process's, see `sched::program_over`).
    let handle = thread::start_in(&core, name, Some(me), site, false, pid, boot, move || {
        f(copied)
    });
    Process {
        pid,
        main: handle.tid(),
    }
}

impl Process {
    /// The handle of process `pid`, whose main thread is `main`.
    pub(crate) fn of(pid: Pid, main: Tid) -> Process {
        Process { pid, main }
    }

    /// Wait for it to end (Python: `p.join()`), and give its exit code.
    #[track_caller]
    pub fn join(&self) -> i32 {
        let site = Some(Site::here(Location::caller()));
        let (core, me) = sched::current();
        let w = core.op_point(core.world.lock(), me, Op::Join(self.main), site);
        let (mut w, _) = self.wait_end(&core, w, me, None, site);
        core.emit(&mut w, me, What::Joined { target: self.main }, site);
        w.processes[self.pid.0 as usize].exit.unwrap_or(0)
    }

    /// Wait at most `limit` (lesson time) for it to end; true if it has (Python:
    /// `p.join(timeout)`, then `not p.is_alive()`).
    #[track_caller]
    pub fn join_timeout(&self, limit: Duration) -> bool {
        let site = Some(Site::here(Location::caller()));
        let (core, me) = sched::current();
        let w = core.op_point(core.world.lock(), me, Op::Join(self.main), site);
        let (mut w, ended) = self.wait_end(&core, w, me, Some(core.scaled_ns(limit)), site);
        let target = self.main;
        if ended {
            core.emit(&mut w, me, What::Joined { target }, site);
        } else {
            core.emit(&mut w, me, What::JoinTimedOut { target }, site);
        }
        ended
    }

    /// Block `me` until the process has ended (it has an exit code), at most `limit_ns` on
    /// the run's clock; true when it has. It ends when its last non-daemon thread has (a real
    /// child: when it has been reaped), so wait for each in turn.
    fn wait_end<'a>(
        &self,
        core: &'a Core,
        mut w: MutexGuard<'a, World>,
        me: Tid,
        limit_ns: Option<u64>,
        site: Option<Site>,
    ) -> (MutexGuard<'a, World>, bool) {
        core.emit(&mut w, me, What::Join { target: self.main }, site);
        let deadline = limit_ns.map(|ns| core.now_ns(&w) + ns);
        while w.processes[self.pid.0 as usize].exit.is_none() {
            let left = deadline.map(|d| d.saturating_sub(core.now_ns(&w)));
            if left == Some(0) {
                return (w, false);
            }
            let on = BlockedOn::Thread(still_going(&w, self.pid).unwrap_or(self.main));
            Core::set_state(&mut w, me, ThreadState::Blocked(on));
            core.emit(&mut w, me, What::Blocked { on }, site);
            let (back, timed_out) = core.block_timeout(w, me, left);
            w = back;
            if timed_out {
                return (w, false);
            }
        }
        (w, true)
    }

    /// Its exit code, once it has ended (Python: `p.exitcode`).
    pub fn exit_code(&self) -> Option<i32> {
        let (core, _) = sched::current();
        core.world.lock().processes[self.pid.0 as usize].exit
    }

    /// Whether it is still going (Python: `p.is_alive()`).
    #[track_caller]
    pub fn is_alive(&self) -> bool {
        let site = Some(Site::here(Location::caller()));
        let (core, me) = sched::current();
        let mut w = core.op_point(core.world.lock(), me, Op::IsAlive(self.main), site);
        let alive = w.processes[self.pid.0 as usize].exit.is_none();
        let what = What::IsAlive {
            target: self.main,
            alive,
        };
        core.emit(&mut w, me, what, site);
        alive
    }

    /// End it now, wherever its threads are (Python: `p.terminate()`: SIGTERM; its exit code
    /// is -15). What it held is not given back to anyone: as in Python, a lock a terminated
    /// process held stays taken.
    #[track_caller]
    pub fn terminate(&self) {
        let site = Some(Site::here(Location::caller()));
        let (core, me) = sched::current();
        let mut w = core.op_point(core.world.lock(), me, Op::IsAlive(self.main), site);
        if w.processes[self.pid.0 as usize].exit.is_some() {
            return;
        }
        core.emit(&mut w, me, What::Terminate { pid: self.pid }, site);
        w.processes[self.pid.0 as usize].terminated = true;
        if !core.virtual_clock() {
            // A real process: SIGTERM; its end is reported when it is reaped (code -15).
            drop(w);
            if let Some(h) = core.host.lock().clone() {
                h.terminate(self.pid);
            }
            return;
        }
        // Its threads end now, in thread order, as a cancel ends them (see Core::cancel_all).
        for i in 0..w.threads.len() {
            let s = &w.threads[i];
            if s.pid != self.pid || s.state.is_finished() {
                continue;
            }
            let tid = Tid(i as u32);
            w.threads[i].killed = true;
            Core::set_state(&mut w, tid, ThreadState::Cancelled);
            core.emit(&mut w, tid, What::Cancelled, None);
            w.threads[i].cv.notify_all();
        }
        process_over(&core, &mut w, self.pid);
        core.wake_joiners_of_process(&mut w, self.pid);
    }

    /// Its name (Python: `p.name`).
    pub fn name(&self) -> String {
        let (core, _) = sched::current();
        core.world.lock().processes[self.pid.0 as usize]
            .name
            .clone()
    }

    /// Its real process id, when it is a real process (live mode; Python: `p.pid`).
    pub fn os_pid(&self) -> Option<u32> {
        let (core, _) = sched::current();
        core.world.lock().processes[self.pid.0 as usize].os_pid
    }

    pub fn pid(&self) -> Pid {
        self.pid
    }
}

/// A thread of process `pid` that keeps it alive: not finished, not a daemon thread.
fn still_going(w: &World, pid: Pid) -> Option<Tid> {
    w.threads
        .iter()
        .position(|s| s.pid == pid && !s.daemon && !s.state.is_finished())
        .map(|i| Tid(i as u32))
}

/// After a thread of `pid` finished: if no non-daemon thread of it is left, the process ends,
/// with its exit code, and its daemon threads are cut off.
pub(crate) fn process_over(core: &Core, w: &mut MutexGuard<'_, World>, pid: Pid) {
    if pid == Pid(0) || w.processes[pid.0 as usize].exit.is_some() || still_going(w, pid).is_some()
    {
        return;
    }
    let slot = &w.processes[pid.0 as usize];
    let code = if slot.terminated {
        -15
    } else if let Some(code) = slot.exit_as {
        code
    } else {
        // Its main thread is its first; one that raised exits with 1, as Python's does.
        let main = w.threads.iter().find(|s| s.pid == pid);
        match main.map(|s| s.state) {
            Some(ThreadState::Raised) => 1,
            _ => 0,
        }
    };
    end_process(core, w, pid, code);
}

/// Process `pid` ends with `code`: its threads still going are cut off, and its joiners wake.
fn end_process(core: &Core, w: &mut World, pid: Pid, code: i32) {
    for i in 0..w.threads.len() {
        if w.threads[i].pid == pid && !w.threads[i].state.is_finished() {
            w.threads[i].killed = true;
            Core::set_state(w, Tid(i as u32), ThreadState::CutOff);
            core.emit(w, Tid(i as u32), What::CutOff, None);
            w.threads[i].cv.notify_all();
        }
    }
    w.processes[pid.0 as usize].exit = Some(code);
    let main = w
        .threads
        .iter()
        .position(|s| s.pid == pid)
        .map_or(Tid(0), |i| Tid(i as u32));
    core.emit(w, main, What::ProcessExit { pid, code }, None);
    core.wake_joiners_of_process(w, pid);
}

/// After a thread of `pid` finished: once no non-daemon thread of it is left, its code has
/// ended, and its daemon children still going are terminated (Python's exit handler calls
/// `terminate()` for each daemonic child, then joins the others): exit code -15, their threads
/// cut off. A real child's threads are cut off at once; it is sent SIGTERM, and its process
/// ends (is no longer alive) when it is reaped.
pub(crate) fn code_ended(core: &Core, w: &mut World, pid: Pid) {
    if still_going(w, pid).is_some() {
        return;
    }
    for q in 0..w.processes.len() {
        let p = &w.processes[q];
        if p.parent != pid || !p.daemon || p.exit.is_some() || p.cut_off || q == pid.0 as usize {
            continue;
        }
        w.processes[q].cut_off = true;
        w.processes[q].terminated = true;
        if core.virtual_clock() {
            end_process(core, w, Pid(q as u32), -15);
            continue;
        }
        // A real child: cut off now, as far as the run is concerned; it ends when reaped.
        for i in 0..w.threads.len() {
            if w.threads[i].pid == Pid(q as u32) && !w.threads[i].state.is_finished() {
                Core::set_state(w, Tid(i as u32), ThreadState::CutOff);
                core.emit(w, Tid(i as u32), What::CutOff, None);
            }
        }
        if let Some(h) = core.host.lock().as_ref() {
            h.terminate(Pid(q as u32));
        }
    }
}

/// A global variable, with a copy of its own in every process (Python: a module-level name;
/// a child process starts with the value the program starts with, and what it writes stays
/// in the child). Threads of one process share it; reads and writes are instrumented like a
/// `Shared`'s, so lost updates show.
pub struct Global<T> {
    name: &'static str,
    init: T,
}

impl<T: Clone + Debug + Send + Sync + 'static> Global<T> {
    pub const fn new(name: &'static str, init: T) -> Global<T> {
        Global { name, init }
    }

    /// Read this process's copy.
    #[track_caller]
    pub fn get(&self) -> T {
        let site = Some(Site::here(Location::caller()));
        let (core, me) = sched::current();
        let w = core.world.lock();
        let rid = self.resource(&core, w, me);
        let mut w = core.op_point(core.world.lock(), me, Op::Get(rid), site);
        let pid = w.threads[me.0 as usize].pid;
        let value = w
            .globals
            .get(&(pid, self.name))
            .and_then(|(_, v)| v.downcast_ref::<T>())
            .cloned()
            .expect("a global's copy has its type");
        super::sync::read_variable(&core, &mut w, me, rid, format!("{value:?}"), site);
        value
    }

    /// Write this process's copy.
    #[track_caller]
    pub fn set(&self, value: T) {
        let site = Some(Site::here(Location::caller()));
        let (core, me) = sched::current();
        let shown = format!("{value:?}");
        let w = core.world.lock();
        let rid = self.resource(&core, w, me);
        let mut w = core.op_point(core.world.lock(), me, Op::Set(rid), site);
        let pid = w.threads[me.0 as usize].pid;
        if let Some((_, v)) = w.globals.get_mut(&(pid, self.name)) {
            *v = Box::new(value);
        }
        super::sync::write_variable(&core, &mut w, me, rid, shown, site);
    }

    /// This process's copy's resource, made from the starting value on first use.
    fn resource(&self, core: &Core, w: MutexGuard<'_, World>, me: Tid) -> super::event::Rid {
        let pid = w.threads[me.0 as usize].pid;
        if let Some((rid, _)) = w.globals.get(&(pid, self.name)) {
            return *rid;
        }
        drop(w);
        let state = ResState::Variable {
            version: 0,
            read_version: Vec::new(),
            depth: vec![0],
        };
        let rid = core.create(
            me,
            self.name,
            super::event::ResourceKind::Variable,
            state,
            Some(format!("{:?}", self.init)),
        );
        let mut w = core.world.lock();
        w.globals
            .insert((pid, self.name), (rid, Box::new(self.init.clone())));
        rid
    }
}
