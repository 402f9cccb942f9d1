//! Live child processes: Python's "spawn" start method. The child is the lockstep binary
//! started again (`lockstep __child SPEC`), which runs the named process function of the
//! lesson with the argument copied in, on a run of its own (live, same scale and seed). Its
//! events come back to the parent over a Unix socket, one JSON line each, and join the
//! parent's run: its threads get lanes of their own (in the process's group), its resources a
//! place in the panels, its exit code the parent's `Process`.
//!
//! Nothing is left running: a child dies with its parent (PR_SET_PDEATHSIG), a cancelled run
//! kills its children and waits for them, a terminated one gets SIGTERM (exit code -15, as in
//! Python), and a child that crashes or is killed is reported with the signal's code.

use super::event::{Event, Pid, Site, ThreadState, Tid, What};
use super::ipc::{Call, HOSTED, Reply};
use super::process::ProcSlot;
use super::run::{Config, Mode, Run};
use super::sched::{Core, ResState, World};
use parking_lot::{Condvar, Mutex};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// The first argument that starts the binary as a child process.
pub const CHILD_ARG: &str = "__child";

/// What a child is told to do: everything it needs, on its command line.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Spec {
    /// The parent's socket, and the child's number there (its `Pid`).
    pub socket: PathBuf,
    pub index: u32,
    pub name: String,
    /// The process function, by its Rust path (`lockstep::lessons::processes::demo::child`).
    pub function: String,
    pub arg: Value,
    pub scale: f64,
    pub seed: u64,
    /// The parent's process id: a child whose parent is gone stops at once.
    pub parent: u32,
    /// A daemon process, which may not start children.
    #[serde(default)]
    pub daemon: bool,
}

/// This program is a live daemon child process (set once, when it starts serving).
static DAEMON_CHILD: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// This program's number in its parent's run, when it is a live child process.
static INDEX: OnceLock<u32> = OnceLock::new();

/// This program's process number in its parent's run (its `Pid` there), when it is a live
/// child process.
pub(crate) fn child_index() -> Option<u32> {
    INDEX.get().copied()
}

/// Whether this program is a live daemon child process.
pub(crate) fn daemon_child() -> bool {
    DAEMON_CHILD.load(Ordering::Relaxed)
}

/// A child's line to its parent.
#[derive(Serialize, Deserialize)]
enum Up {
    Hello {
        index: u32,
    },
    Event {
        tid: u32,
        /// `What`, as JSON: ids are the child's, the parent maps them to its own.
        what: Value,
        state: ThreadState,
        site: Option<(String, u32)>,
    },
    Exit {
        code: i32,
    },
    /// Perform `call` on the parent's object `rid` for the child's thread `tid`; answer `id`.
    Call {
        id: u64,
        tid: u32,
        rid: u32,
        call: Call,
        site: Option<(String, u32)>,
    },
}

/// A parent's line to a child.
#[derive(Serialize, Deserialize)]
enum Down {
    Cancel,
    Reply { id: u64, reply: Reply },
}

/// A live child's way to its parent, for the calls of its proxies (see `ipc`).
struct Link {
    /// Lines for the writer, which sends the events before them first.
    lines: crossbeam_channel::Sender<String>,
    /// Calls waiting for their answer.
    pending: Mutex<HashMap<u64, crossbeam_channel::Sender<Reply>>>,
    next: std::sync::atomic::AtomicU64,
}

static LINK: OnceLock<Link> = OnceLock::new();

/// Whether this program is a live child process.
pub(crate) fn in_child() -> bool {
    LINK.get().is_some()
}

/// Ask the parent to perform `call` on its object `rid` for thread `me`, and wait for the
/// answer; a cancel while waiting ends the wait (the caller unwinds).
pub(crate) fn call_parent(core: &Core, me: Tid, rid: u32, call: Call, site: Option<Site>) -> Reply {
    let Some(link) = LINK.get() else {
        return Reply::Raised("a proxy outside a child process".into());
    };
    let id = link.next.fetch_add(1, Ordering::Relaxed);
    let (tx, rx) = crossbeam_channel::bounded(1);
    link.pending.lock().insert(id, tx);
    let line = Up::Call {
        id,
        tid: me.0,
        rid,
        call,
        site: site.map(|s| (s.file.to_string(), s.line)),
    };
    let line = serde_json::to_string(&line).expect("plain data");
    if link.lines.send(line).is_err() {
        return Reply::Cancelled;
    }
    loop {
        match rx.recv_timeout(Duration::from_millis(20)) {
            Ok(reply) => return reply,
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => return Reply::Cancelled,
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                let killed = core
                    .world
                    .lock()
                    .threads
                    .get(me.0 as usize)
                    .is_some_and(|s| s.killed);
                if core.cancelled() || killed {
                    link.pending.lock().remove(&id);
                    return Reply::Cancelled;
                }
            }
        }
    }
}

/// A call that records nothing and cannot wait (a queue's length).
pub(crate) fn call_parent_quiet(rid: u32, call: Call) -> Reply {
    let (core, me) = super::sched::current();
    call_parent(&core, me, rid, call, None)
}

/// A directory of the run's own for files its processes share (made on first use, removed
/// with the run).
pub(crate) fn scratch_dir(core: &Arc<Core>) -> PathBuf {
    match host(core) {
        Ok(h) => h.dir.clone(),
        Err(e) => panic!("{e}"),
    }
}

/// The lockstep binary, to start children with: `LOCKSTEP_EXE`, else this program when it
/// is lockstep (a test harness is not).
pub fn exe() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("LOCKSTEP_EXE") {
        return Some(PathBuf::from(p));
    }
    let me = std::env::current_exe().ok()?;
    let name = me.file_name()?.to_string_lossy().into_owned();
    (name == "lockstep" || name.starts_with("lockstep.")).then_some(me)
}

/// One child process of a run, as its parent keeps it.
struct ChildRec {
    pid: Pid,
    os_pid: u32,
    main: Tid,
    /// Where to write to it (once it said hello).
    down: Option<UnixStream>,
    /// The exit code it announced before leaving, if it did.
    said_exit: Option<i32>,
    /// Whether its reader has passed on every line it wrote (its end of the socket closed).
    read_all: bool,
}

/// A run's children: its socket, and every child it started.
pub(crate) struct Host {
    dir: PathBuf,
    socket: PathBuf,
    children: Mutex<Vec<ChildRec>>,
    /// Children not yet reaped.
    running: Mutex<usize>,
    reaped: Condvar,
    /// Signalled (with `children` held) when a child is listed, says hello, or its reader has
    /// read its last line.
    changed: Condvar,
    /// The run is over: its directory is gone and nobody new may connect.
    closed: std::sync::atomic::AtomicBool,
}

impl Drop for Host {
    fn drop(&mut self) {
        self.close();
    }
}

impl Host {
    fn start(core: &Arc<Core>) -> std::io::Result<Arc<Host>> {
        static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        // A directory of its own: one left by a program killed before it could tidy up (and
        // whose process id we now have) is passed over.
        let dir = loop {
            let n = N.fetch_add(1, Ordering::Relaxed);
            let dir = run_dirs().join(format!("lockstep-{}-{n}", std::process::id()));
            match std::fs::create_dir(&dir) {
                Ok(()) => break dir,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        };
        let socket = dir.join("run.sock");
        let listener = UnixListener::bind(&socket)?;
        let host = Arc::new(Host {
            dir,
            socket,
            children: Mutex::new(Vec::new()),
            running: Mutex::new(0),
            reaped: Condvar::new(),
            changed: Condvar::new(),
            closed: std::sync::atomic::AtomicBool::new(false),
        });
        let (h, c) = (Arc::downgrade(&host), Arc::downgrade(core));
        std::thread::Builder::new()
            .name("lockstep children".into())
            .spawn(move || {
                for stream in listener.incoming() {
                    let (Some(host), Some(core)) = (h.upgrade(), c.upgrade()) else {
                        return;
                    };
                    if host.closed.load(Ordering::Acquire) {
                        return;
                    }
                    if let Ok(s) = stream {
                        let _ = std::thread::Builder::new()
                            .name("lockstep child reader".into())
                            .spawn(move || read_child(&core, &host, s));
                    }
                }
            })?;
        Ok(host)
    }

    /// The run is over: remove its directory (the files its processes shared) now, and let
    /// the thread that waits for children to connect go.
    pub(crate) fn close(&self) {
        if self.closed.swap(true, Ordering::AcqRel) {
            return;
        }
        // The listener wakes for this connection, sees `closed`, and ends.
        let _ = UnixStream::connect(&self.socket);
        let _ = std::fs::remove_dir_all(&self.dir);
    }

    /// Kill every child still going (SIGKILL): a cancelled run leaves none behind.
    pub(crate) fn kill_all(&self) {
        for c in self.children.lock().iter() {
            signal(c.os_pid, libc::SIGKILL);
        }
    }

    /// Whether a child is still going or not yet reaped.
    pub(crate) fn running(&self) -> bool {
        *self.running.lock() > 0
    }

    /// Wait until every child has been reaped, at most `limit`.
    pub(crate) fn wait_reaped(&self, limit: Duration) {
        let deadline = Instant::now() + limit;
        let mut n = self.running.lock();
        while *n > 0 {
            if self.reaped.wait_until(&mut n, deadline).timed_out() {
                return;
            }
        }
    }

    /// Ask a child to stop: SIGTERM (Python's `terminate`).
    pub(crate) fn terminate(&self, pid: Pid) {
        if let Some(c) = self.children.lock().iter().find(|c| c.pid == pid) {
            signal(c.os_pid, libc::SIGTERM);
        }
    }
}

/// Where runs make their directories: `$TMPDIR` when it is set, else memory (`/dev/shm`, where
/// Python's multiprocessing keeps its shared memory too) when there is one, else `/tmp`. On a
/// disk a file replaced by a rename can cost milliseconds (ext4 writes it out first), more than
/// a lesson's scaled waits.
pub fn run_dirs() -> PathBuf {
    if std::env::var_os("TMPDIR").is_some_and(|d| !d.is_empty()) {
        return std::env::temp_dir();
    }
    let shm = std::path::Path::new("/dev/shm");
    // SAFETY: access takes a NUL-terminated path and only answers.
    let writable = unsafe { libc::access(c"/dev/shm".as_ptr(), libc::W_OK | libc::X_OK) == 0 };
    if shm.is_dir() && writable {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}

fn signal(os_pid: u32, sig: libc::c_int) {
    // SAFETY: kill takes a process id and a signal number; the worst a stale id can do is
    // fail (the child was reaped: a reaped id is not reused while we hold its Child... it is
    // only reaped by our own reaper, after which the record is never signalled again).
    unsafe {
        libc::kill(os_pid as libc::pid_t, sig);
    }
}

/// The run's host, started on first use.
fn host(core: &Arc<Core>) -> Result<Arc<Host>, String> {
    let mut slot = core.host.lock();
    if let Some(h) = slot.as_ref() {
        return Ok(h.clone());
    }
    let h = Host::start(core).map_err(|e| format!("cannot start child processes: {e}"))?;
    *slot = Some(h.clone());
    Ok(h)
}

/// Start a real child process running `function(arg)`: its `Pid` and its main thread's lane
/// in this run. The caller has passed its scheduling point.
#[allow(clippy::too_many_arguments)]
pub(crate) fn spawn_live(
    core: &Arc<Core>,
    me: Tid,
    name: String,
    daemon: bool,
    function: &str,
    arg: Value,
    site: Option<Site>,
) -> Result<(Pid, Tid), String> {
    let exe = exe().ok_or("no lockstep binary to start a child process with (set LOCKSTEP_EXE)")?;
    let host = host(core)?;
    let pid = {
        let mut w = core.world.lock();
        let pid = Pid(w.processes.len() as u32);
        let parent = w.threads[me.0 as usize].pid;
        w.processes
            .push(ProcSlot::child(name.clone(), daemon, parent));
        pid
    };
    let spec = Spec {
        socket: host.socket.clone(),
        index: pid.0,
        name: name.clone(),
        function: function.to_string(),
        arg,
        scale: core.cfg.scale,
        seed: core.cfg.seed,
        parent: std::process::id(),
        daemon,
    };
    let spec = serde_json::to_string(&spec).expect("a spec is plain data");
    let mut command = std::process::Command::new(exe);
    if let Some(rate) = super::cpu::known_rate() {
        // The child's loops run at the speed the parent measured: no second measurement.
        command.env(super::cpu::RATE_VAR, rate.to_string());
    }
    let child = command
        .arg(CHILD_ARG)
        .arg(spec)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("the system refused process {name}: {e}"))?;
    let os_pid = child.id();
    let main = {
        let mut w = core.world.lock();
        w.processes[pid.0 as usize].os_pid = Some(os_pid);
        let what = What::ProcessNew {
            pid,
            name: name.clone(),
            daemon,
            os_pid: Some(os_pid),
        };
        core.emit(&mut w, me, what, site);
        // Its main thread is no daemon thread (being a daemon is the process's).
        let main = core.add_thread(&mut w, name.clone(), ThreadState::Ready, false, pid);
        w.threads[main.0 as usize].remote = true;
        let what = What::ThreadNew {
            name,
            parent: Some(me),
            daemon: false,
            process: pid,
        };
        core.emit(&mut w, main, what, site);
        main
    };
    host.children.lock().push(ChildRec {
        pid,
        os_pid,
        main,
        down: None,
        said_exit: None,
        read_all: false,
    });
    host.changed.notify_all();
    *host.running.lock() += 1;
    let (c, h) = (core.clone(), host.clone());
    std::thread::Builder::new()
        .name("lockstep reaper".into())
        .spawn(move || reap(&c, &h, pid, child))
        .map_err(|e| format!("cannot watch process: {e}"))?;
    Ok((pid, main))
}

/// Wait for a child to end, then end its process in the run: its exit code (the one it said,
/// else -signal when a signal ended it), its threads still going ended.
fn reap(core: &Arc<Core>, host: &Arc<Host>, pid: Pid, mut child: std::process::Child) {
    let status = child.wait();
    // Its last lines may still be on their way: the process ends in the run after them. A
    // child that died before it said hello may never connect, hence the shorter limit.
    let said = {
        let start = Instant::now();
        let mut children = host.children.lock();
        loop {
            let Some(c) = children.iter().find(|c| c.pid == pid) else {
                break None;
            };
            if c.read_all || core.cancelled() {
                break c.said_exit;
            }
            let limit = if c.down.is_some() {
                Duration::from_secs(2)
            } else {
                Duration::from_millis(200)
            };
            if start.elapsed() >= limit {
                break c.said_exit;
            }
            host.changed.wait_until(&mut children, start + limit);
        }
    };
    let code = match status {
        Ok(s) => {
            use std::os::unix::process::ExitStatusExt;
            match (s.signal(), said) {
                (Some(sig), _) => -sig,
                (None, Some(c)) => c,
                (None, None) => s.code().unwrap_or(1),
            }
        }
        Err(_) => 1,
    };
    // All under the world lock: `Run::wait` checks and waits with it held.
    let mut w = core.world.lock();
    ended(core, &mut w, pid, code);
    let mut n = host.running.lock();
    *n = n.saturating_sub(1);
    host.reaped.notify_all();
    core.controller.notify_all();
    drop(n);
    drop(w);
}

/// Process `pid` ended with `code`: its threads still going end, its joiners wake, and the run
/// moves on (it may be over now).
fn ended(core: &Core, w: &mut World, pid: Pid, code: i32) {
    if w.processes[pid.0 as usize].exit.is_some() {
        return;
    }
    let cancelled = core.cancelled();
    // A daemon terminated because its parent's code ended: its threads were cut off.
    let cut_off = w.processes[pid.0 as usize].cut_off;
    for i in 0..w.threads.len() {
        let s = &w.threads[i];
        if s.pid != pid || s.state.is_finished() {
            continue;
        }
        // A thread of ours waiting in its name (a proxy) stops waiting.
        w.threads[i].killed = true;
        w.threads[i].cv.notify_all();
        let (state, what) = match code {
            0 => (ThreadState::Done, What::Done),
            _ if cut_off => (ThreadState::CutOff, What::CutOff),
            _ => (ThreadState::Cancelled, What::Cancelled),
        };
        Core::set_state(w, Tid(i as u32), state);
        if !cancelled {
            core.emit(w, Tid(i as u32), what, None);
        }
    }
    w.processes[pid.0 as usize].exit = Some(code);
    if cancelled {
        return;
    }
    let main = w
        .threads
        .iter()
        .position(|s| s.pid == pid)
        .map_or(Tid(0), |i| Tid(i as u32));
    core.emit(w, main, What::ProcessExit { pid, code }, None);
    core.wake_joiners_of_process(w, pid);
    if super::sched::program_over(w) {
        core.finish(w);
    }
}

/// A child's lines, read by its parent: its events join the run, with the child's thread and
/// resource numbers turned into the run's.
fn read_child(core: &Arc<Core>, host: &Arc<Host>, stream: UnixStream) {
    let Ok(down) = stream.try_clone() else {
        return;
    };
    let mut lines = BufReader::new(stream).lines();
    let Some(Ok(first)) = lines.next() else {
        return;
    };
    let Ok(Up::Hello { index }) = serde_json::from_str(&first) else {
        return;
    };
    let pid = Pid(index);
    // The child may say hello before its parent has listed it: wait for the listing.
    let main = {
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut children = host.children.lock();
        loop {
            if let Some(c) = children.iter_mut().find(|c| c.pid == pid) {
                c.down = Some(down);
                break c.main;
            }
            if host.changed.wait_until(&mut children, deadline).timed_out() {
                return;
            }
        }
    };
    host.changed.notify_all();
    if core.cancelled() {
        send(host, pid, &Down::Cancel);
    }
    let mut ids = Ids::new(main);
    for line in lines {
        let Ok(line) = line else {
            break;
        };
        match serde_json::from_str::<Up>(&line) {
            Ok(Up::Event {
                tid,
                what,
                state,
                site,
            }) => {
                let mut w = core.world.lock();
                if core.cancelled() {
                    continue;
                }
                forward(core, &mut w, &mut ids, pid, Tid(tid), what, state, site);
            }
            Ok(Up::Exit { code }) => {
                if let Some(c) = host.children.lock().iter_mut().find(|c| c.pid == pid) {
                    c.said_exit = Some(code);
                }
            }
            Ok(Up::Call {
                id,
                tid,
                rid,
                call,
                site,
            }) => {
                let me = ids.tids.get(&tid).copied();
                act_for_child(core, host, pid, id, me, rid, call, site);
            }
            _ => {}
        }
    }
    let mut children = host.children.lock();
    if let Some(c) = children.iter_mut().find(|c| c.pid == pid) {
        c.read_all = true;
    }
    host.changed.notify_all();
}

fn send(host: &Host, pid: Pid, msg: &Down) {
    let mut children = host.children.lock();
    if let Some(s) = children
        .iter_mut()
        .find(|c| c.pid == pid)
        .and_then(|c| c.down.as_mut())
    {
        let line = serde_json::to_string(msg).expect("plain data");
        let _ = writeln!(s, "{line}");
    }
}

/// Perform a child's call on a thread of the parent acting in the child thread's name (its
/// lane in this run), and send the answer back. The object's waits are this run's waits: the
/// child's lane shows it blocked on the queue, and a cancel ends the wait.
#[allow(clippy::too_many_arguments)]
fn act_for_child(
    core: &Arc<Core>,
    host: &Arc<Host>,
    pid: Pid,
    id: u64,
    me: Option<Tid>,
    rid: u32,
    call: Call,
    site: Option<(String, u32)>,
) {
    let object = core.hosted.lock().get(&rid).cloned();
    let (Some(me), Some(object)) = (me, object) else {
        let why = format!("no object {rid} in the parent");
        send(
            host,
            pid,
            &Down::Reply {
                id,
                reply: Reply::Raised(why),
            },
        );
        return;
    };
    let site = site.map(|(file, line)| Site {
        file: intern(file),
        line,
    });
    let (c, h) = (core.clone(), host.clone());
    let spawned = std::thread::Builder::new()
        .name("lockstep proxy".into())
        .spawn(move || {
            super::sched::set_current(c.clone(), me);
            Site::act_for(site);
            let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| object.call(call)));
            Site::act_for(None);
            super::sched::clear_current();
            let reply = match done {
                Ok(r) => r,
                Err(e) if e.is::<super::sched::Cancelled>() => Reply::Cancelled,
                Err(e) => Reply::Raised(super::thread::panic_message(&*e)),
            };
            send(&h, pid, &Down::Reply { id, reply });
        });
    if spawned.is_err() {
        let reply = Reply::Raised("the system refused a thread".into());
        send(host, pid, &Down::Reply { id, reply });
    }
}

/// A child's numbers for its threads and resources, and the run's for them.
struct Ids {
    tids: HashMap<u32, Tid>,
    rids: HashMap<u32, u32>,
}

impl Ids {
    fn new(main: Tid) -> Ids {
        Ids {
            tids: HashMap::from([(0, main)]),
            rids: HashMap::new(),
        }
    }
}

/// One event of a child, into the run: a new thread or resource gets the run's number, every
/// id in it is turned into the run's, and the thread's state follows the child's.
#[allow(clippy::too_many_arguments)]
fn forward(
    core: &Core,
    w: &mut World,
    ids: &mut Ids,
    pid: Pid,
    tid: Tid,
    what: Value,
    state: ThreadState,
    site: Option<(String, u32)>,
) {
    let site = site.map(|(file, line)| Site {
        file: intern(file),
        line,
    });
    let proc_name = w.processes[pid.0 as usize].name.clone();
    // A new thread of the child (its main thread's is known already).
    if let Some(new) = what.get("ThreadNew")
        && tid.0 != 0
    {
        let daemon = new["daemon"].as_bool().unwrap_or(false);
        let name = new["name"].as_str().unwrap_or("?");
        let name = format!("{proc_name}.{name}");
        let t = core.add_thread(w, name.clone(), map_state(state, ids), daemon, pid);
        w.threads[t.0 as usize].remote = true;
        ids.tids.insert(tid.0, t);
        let parent = new["parent"]
            .as_u64()
            .and_then(|p| ids.tids.get(&(p as u32)).copied());
        let what = What::ThreadNew {
            name,
            parent,
            daemon,
            process: pid,
        };
        core.emit(w, t, what, site);
        return;
    }
    if what.get("ThreadNew").is_some() {
        return; // the main thread's lane is there since the process started
    }
    if let Some(new) = what.get("ResourceNew") {
        let name = format!("{}@{proc_name}", new["name"].as_str().unwrap_or("?"));
        let kind = serde_json::from_value(new["kind"].clone());
        let value = new["value"].as_str().map(str::to_string);
        let Some(&me) = ids.tids.get(&tid.0) else {
            return;
        };
        let (Ok(kind), Some(child_rid)) = (kind, new["rid"].as_u64()) else {
            return;
        };
        let rid = core.create_in(w, me, &name, kind, ResState::Remote, value);
        ids.rids.insert(child_rid as u32, rid.0);
        return;
    }
    let Some(&me) = ids.tids.get(&tid.0) else {
        return;
    };
    let hosted_rids = hosted_rids(&what);
    let mapped = map_ids(what, ids);
    let Ok(what) = serde_json::from_value::<What>(mapped) else {
        return;
    };
    // A thread cut off here already (its process terminated as its parent's code ended) keeps
    // that end: lines it wrote before the signal still arrive, its own end does not.
    let ended_here = w.threads[me.0 as usize].state.is_finished();
    if !ended_here && !w.threads[me.0 as usize].served {
        Core::set_state(w, me, map_state(state, ids));
    }
    match what {
        // A read or write of memory the parent shares: counted with everyone else's, so a
        // lost update between processes shows as one between threads does.
        What::Get { rid, value } if hosted_variable(w, rid, hosted_rids) => {
            super::sync::read_variable(core, w, me, rid, value, site);
            return;
        }
        What::Set {
            rid, value, stale, ..
        } if hosted_variable(w, rid, hosted_rids) => {
            if super::datafile::is_file(core, rid) {
                super::sync::write_variable_told(core, w, me, rid, value, site, stale);
            } else {
                super::sync::write_variable(core, w, me, rid, value, site);
            }
            return;
        }
        _ => {}
    }
    match &what {
        // The child's run reports its own end; the parent reports the process's.
        What::Finished => {}
        What::Done | What::Cancelled | What::CutOff | What::Raised { .. } if ended_here => {}
        // A deadlock inside the child hangs it in Python: here the whole run ends with it.
        What::DeadlockFound { deadlock } => {
            let d = deadlock.clone();
            core.emit(w, me, what, site);
            w.deadlock = Some(d);
            core.cancel_all(w);
        }
        _ => core.emit(w, me, what, site),
    }
}

/// A child thread's state in the run's numbers: what it waits for is named as the run names it
/// (a child's resource it cannot place reads as waiting on nothing it knows: running).
fn map_state(state: ThreadState, ids: &Ids) -> ThreadState {
    use super::event::{BlockedOn, Rid};
    match state {
        ThreadState::Blocked(BlockedOn::Resource(Rid(r))) => {
            let mapped = if r & HOSTED != 0 {
                Some(r & !HOSTED)
            } else {
                ids.rids.get(&r).copied()
            };
            mapped.map_or(ThreadState::Running, |r| {
                ThreadState::Blocked(BlockedOn::Resource(Rid(r)))
            })
        }
        ThreadState::Blocked(BlockedOn::Thread(t)) => {
            ids.tids.get(&t.0).map_or(ThreadState::Running, |&t| {
                ThreadState::Blocked(BlockedOn::Thread(t))
            })
        }
        other => other,
    }
}

/// Whether the event names a resource of the parent's (a child's number with `HOSTED` set).
fn hosted_rids(what: &Value) -> bool {
    what.as_object()
        .and_then(|o| o.values().next())
        .and_then(|inner| inner.get("rid"))
        .and_then(Value::as_u64)
        .is_some_and(|n| n as u32 & HOSTED != 0)
}

/// Whether `rid`, named by a child as its parent's, is a shared variable of this run.
fn hosted_variable(w: &World, rid: super::event::Rid, hosted: bool) -> bool {
    hosted
        && w.resources
            .get(rid.0 as usize)
            .is_some_and(|r| matches!(r.state, ResState::Variable { .. }))
}

/// Turn the child's thread and resource numbers in `v` into the run's, by the fields' names.
fn map_ids(v: Value, ids: &Ids) -> Value {
    let tid = |n: &Value| -> Value {
        n.as_u64()
            .and_then(|n| ids.tids.get(&(n as u32)))
            .map_or(Value::Null, |t| Value::from(t.0))
    };
    let rid = |n: &Value| -> Value {
        match n.as_u64().map(|n| n as u32) {
            // The parent's own resource, by its number.
            Some(n) if n & HOSTED != 0 => Value::from(n & !HOSTED),
            Some(n) => ids.rids.get(&n).map_or(Value::Null, |r| Value::from(*r)),
            None => Value::Null,
        }
    };
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let v = match (k.as_str(), &v) {
                        ("rid" | "on", Value::Number(_)) => rid(&v),
                        ("target" | "holder" | "parent", Value::Number(_)) => tid(&v),
                        ("Resource", Value::Number(_)) => rid(&v),
                        ("Thread", Value::Number(_)) => tid(&v),
                        _ => map_ids(v, ids),
                    };
                    (k, v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(|v| map_ids(v, ids)).collect()),
        other => other,
    }
}

/// Source file names from a child, as `&'static str` like the run's own (a handful a run).
fn intern(s: String) -> &'static str {
    static SEEN: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut seen = SEEN.get_or_init(|| Mutex::new(HashSet::new())).lock();
    if let Some(&known) = seen.get(s.as_str()) {
        return known;
    }
    let leaked: &'static str = Box::leak(s.into_boxed_str());
    seen.insert(leaked);
    leaked
}

/// The child's side: run `f(arg)` as the spec says, sending every event to the parent, and
/// give the exit code (0, or 1 when the function raised).
pub fn serve(spec: Spec, f: fn(Value)) -> i32 {
    // Die with the parent, even one killed outright; and not start at all for one gone.
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_PDEATHSIG takes a signal number and affects only this process.
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong);
    }
    // SAFETY: getppid has no preconditions.
    if unsafe { libc::getppid() } as u32 != spec.parent {
        return 1;
    }
    DAEMON_CHILD.store(spec.daemon, Ordering::Relaxed);
    let _ = INDEX.set(spec.index);
    let Ok(stream) = UnixStream::connect(&spec.socket) else {
        return 1;
    };
    let Ok(reader) = stream.try_clone() else {
        return 1;
    };
    let mut up = std::io::BufWriter::new(stream);
    let hello = serde_json::to_string(&Up::Hello { index: spec.index }).expect("plain data");
    if writeln!(up, "{hello}").and_then(|()| up.flush()).is_err() {
        return 1;
    }
    let cfg = Config {
        mode: Mode::Live,
        scale: spec.scale,
        seed: spec.seed,
    };
    let arg = spec.arg.clone();
    let (lines_tx, lines) = crossbeam_channel::unbounded();
    let _ = LINK.set(Link {
        lines: lines_tx,
        pending: Mutex::new(HashMap::new()),
        next: std::sync::atomic::AtomicU64::new(0),
    });
    let run = Arc::new(Run::start(cfg, move || f(arg)));
    // The parent answers calls, and may tell it to stop; a parent gone is the same.
    let r = run.clone();
    let _ = std::thread::Builder::new()
        .name("lockstep parent".into())
        .spawn(move || {
            for line in BufReader::new(reader).lines() {
                match line
                    .ok()
                    .and_then(|l| serde_json::from_str::<Down>(&l).ok())
                {
                    Some(Down::Cancel) => break,
                    Some(Down::Reply { id, reply }) => {
                        let waiting = LINK.get().and_then(|l| l.pending.lock().remove(&id));
                        if let Some(tx) = waiting {
                            let _ = tx.send(reply);
                        }
                    }
                    None => {}
                }
            }
            r.cancel();
            // Nobody will answer now: every waiting call ends.
            if let Some(l) = LINK.get() {
                l.pending.lock().clear();
            }
        });
    let events = run.events().clone();

    let mut write_line = |line: String| {
        let _ = writeln!(up, "{line}").and_then(|()| up.flush());
    };
    while !run.is_over() {
        crossbeam_channel::select! {
            recv(events) -> e => if let Ok(e) = e {
                write_line(event_line(e));
            },
            recv(lines) -> l => if let Ok(l) = l {
                // What the calling thread did before the call goes first.
                for e in events.try_iter() {
                    write_line(event_line(e));
                }
                write_line(l);
            },
            default(Duration::from_millis(20)) => {}
        }
    }
    let report = run.wait();
    for e in events.try_iter() {
        write_line(event_line(e));
    }
    let code = i32::from(!report.raised.is_empty() && !report.returned);
    write_line(serde_json::to_string(&Up::Exit { code }).expect("plain data"));
    code
}

/// An event of the child, as its line to the parent.
fn event_line(e: Event) -> String {
    let what = serde_json::to_value(&e.what).expect("plain data");
    let line = Up::Event {
        tid: e.tid.0,
        what,
        state: e.state,
        site: e.site.map(|s| (s.file.to_string(), s.line)),
    };
    serde_json::to_string(&line).expect("plain data")
}
