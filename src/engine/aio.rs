//! Coroutines on one thread (Python: `asyncio`): an event loop that runs tasks, each switching
//! only where it awaits — a timer, another task, a page. Demo code is real Rust `async`:
//!
//! ```ignore
//! aio::run("main", async {
//!     let a = aio::spawn_task("A", async { aio::sleep(secs(1.0)).await; 1 });
//!     let b = aio::spawn_task("B", async { aio::sleep(secs(1.0)).await; 2 });
//!     aio::gather(vec![a, b]).await // about one second, not two
//! })
//! ```
//!
//! **Why a loop of our own** rather than tokio's: the lesson is the loop. Each task is a lane
//! on the timeline, the loop has its own, and its ready queue is a resource in the panels; each
//! `.await` is an event with its source line; in step mode the learner is the loop and picks
//! which ready task it resumes; on the virtual clock the same code runs deterministically, ready
//! tasks resumed first in, first out, as asyncio's ready queue does. A runtime whose scheduler
//! we cannot see or steer would hide exactly what the lesson shows. Live, the loop waits for
//! timers and sockets itself, on the thread that called `run`: nothing else runs the tasks.
//!
//! Only lockstep's awaitables (`sleep`, a task, `gather`, a page fetch) can be awaited: each
//! tells the loop what it waits for, as asyncio's futures do; a task that blocks the thread
//! instead (a plain `sleep`, a lock) stalls every task, which is the lesson's other half.

use super::event::{BlockedOn, Op, ResourceKind, Rid, Site, ThreadState, Tid, What};
use super::pages::{self, FetchError, Page, Target};
use super::sched::{self, Core, ResState};
use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

type Body = Pin<Box<dyn Future<Output = ()>>>;

/// One task of the loop.
struct TaskSlot {
    tid: Tid,
    /// Taken out while it is being polled.
    body: Option<Body>,
    done: bool,
    /// Tasks waiting for this one to finish.
    joiners: Vec<usize>,
    /// Where it last awaited: shown as its next step in step mode.
    site: Option<Site>,
}

/// The loop's state, on the thread that runs it.
struct Loop {
    core: Arc<Core>,
    /// The loop's own lane (the thread that called `run`).
    me: Tid,
    /// The loop as a resource: its ready queue.
    rid: Rid,
    tasks: Vec<TaskSlot>,
    ready: VecDeque<usize>,
    /// Timers by (deadline on the run's clock, order made): the task to make ready.
    timers: BTreeMap<(u64, u64), usize>,
    made: u64,
    /// Live: the sockets tasks wait on, each with its task (asyncio's selector).
    #[cfg(target_os = "linux")]
    io: Vec<(std::os::fd::RawFd, usize)>,
    /// The task being polled.
    current: Option<usize>,
}

thread_local! {
    static LOOP: RefCell<Option<Rc<RefCell<Loop>>>> = const { RefCell::new(None) };
}

fn with_loop<R>(f: impl FnOnce(&mut Loop) -> R) -> R {
    let l = LOOP
        .with(|l| l.borrow().clone())
        .expect("awaitables of lockstep are used inside aio::run");
    let mut l = l.borrow_mut();
    f(&mut l)
}

/// Run `main` as the loop's first task until it finishes, and give what it returned (Python:
/// `asyncio.run(main())`). Tasks still pending then are cancelled.
#[track_caller]
pub fn run<F: Future + 'static>(name: &str, main: F) -> F::Output
where
    F::Output: 'static,
{
    let site = Some(Site::here(Location::caller()));
    let (core, me) = sched::current();
    let rid = core.create(
        me,
        "event loop",
        ResourceKind::EventLoop,
        ResState::EventLoop,
        None,
    );
    let l = Rc::new(RefCell::new(Loop {
        core: core.clone(),
        me,
        rid,
        tasks: Vec::new(),
        ready: VecDeque::new(),
        timers: BTreeMap::new(),
        made: 0,
        #[cfg(target_os = "linux")]
        io: Vec::new(),
        current: None,
    }));
    let outer = LOOP.with(|s| s.borrow_mut().replace(l.clone()));
    let out: Rc<RefCell<Option<F::Output>>> = Rc::new(RefCell::new(None));
    let slot = out.clone();
    let first = add_task(
        &l,
        name,
        Box::pin(async move {
            let v = main.await;
            *slot.borrow_mut() = Some(v);
        }),
        site,
    );
    // Whatever happens (a cancel unwinds through here), the loop is gone afterwards.
    struct Leave(Option<Rc<RefCell<Loop>>>);
    impl Drop for Leave {
        fn drop(&mut self) {
            let outer = self.0.take();
            LOOP.with(|s| *s.borrow_mut() = outer);
        }
    }
    let _leave = Leave(outer);
    drive(&l, first);
    let v = out.borrow_mut().take();
    v.expect("the main task finished")
}

/// Register a task: a lane of its own, ready to run.
fn add_task(l: &Rc<RefCell<Loop>>, name: &str, body: Body, site: Option<Site>) -> usize {
    let mut lp = l.borrow_mut();
    let core = lp.core.clone();
    let mut w = core.world.lock();
    let pid = w.threads[lp.me.0 as usize].pid;
    let tid = core.add_thread(&mut w, name.to_string(), ThreadState::Ready, false, pid);
    // The loop is the one that runs it: waking the task wakes the loop's thread.
    let cv = w.threads[lp.me.0 as usize].cv.clone();
    let slot = &mut w.threads[tid.0 as usize];
    slot.cv = cv;
    slot.loop_task = true;
    let what = What::ThreadNew {
        name: name.to_string(),
        parent: Some(lp.me),
        daemon: false,
        process: pid,
    };
    core.emit(&mut w, tid, what, site);
    let n = lp.tasks.len();
    lp.tasks.push(TaskSlot {
        tid,
        body: Some(body),
        done: false,
        joiners: Vec::new(),
        site,
    });
    make_ready(&mut lp, &core, &mut w, n);
    n
}

/// Task `n` can run: it joins the back of the ready queue.
fn make_ready(l: &mut Loop, core: &Core, w: &mut sched::World, n: usize) {
    if l.ready.contains(&n) || l.tasks[n].done {
        return;
    }
    l.ready.push_back(n);
    let tid = l.tasks[n].tid;
    // Ready, in the loop's queue: the loop, not the scheduler, resumes it (`can_be_picked`).
    Core::set_state(w, tid, ThreadState::Ready);
    w.threads[tid.0 as usize].next = None;
    let queue = l.ready.len();
    let what = What::TaskReady { rid: l.rid, queue };
    core.emit(w, tid, what, None);
}

/// The loop: resume ready tasks until `first` is done, waiting for the earliest timer when
/// none is ready.
fn drive(l: &Rc<RefCell<Loop>>, first: usize) {
    let core = l.borrow().core.clone();
    let me = l.borrow().me;
    loop {
        if l.borrow().tasks[first].done {
            break;
        }
        let next = choose(l, &core, me);
        let Some(n) = next else {
            wait_for_timers(l, &core, me);
            continue;
        };
        resume(l, &core, me, n);
    }
    // What is left pending is cancelled with the loop (asyncio cancels them too).
    let lp = l.borrow();
    let mut w = core.world.lock();
    for t in &lp.tasks {
        if !t.done && !core.cancelled() {
            Core::set_state(&mut w, t.tid, ThreadState::Cancelled);
            core.emit(&mut w, t.tid, What::Cancelled, None);
        }
    }
    Core::set_state(&mut w, me, ThreadState::Running);
}

/// The next task to resume, if one is ready: the front of the queue — or, in step mode, the
/// learner's pick among the ready ones.
fn choose(l: &Rc<RefCell<Loop>>, core: &Arc<Core>, me: Tid) -> Option<usize> {
    let mut lp = l.borrow_mut();
    if lp.ready.is_empty() {
        return None;
    }
    let mut w = core.world.lock();
    if core.cfg.mode != super::run::Mode::Step || lp.ready.len() == 1 {
        // The loop's own step: others (threads beside the loop) may move first.
        w = core.op_point(w, me, Op::Resume(lp.tasks[lp.ready[0]].tid), None);
        drop(w);
        return lp.ready.pop_front();
    }
    // Step mode: the ready tasks are the candidates; the loop waits for the pick.
    let ready: Vec<usize> = lp.ready.iter().copied().collect();
    for &n in &ready {
        let (tid, site) = (lp.tasks[n].tid, lp.tasks[n].site);
        let slot = &mut w.threads[tid.0 as usize];
        slot.state = ThreadState::Ready;
        slot.next = Some((Op::Resume(tid), site));
    }
    Core::set_state(
        &mut w,
        me,
        ThreadState::Blocked(BlockedOn::Resource(lp.rid)),
    );
    core.decide(&mut w);
    let tids: Vec<Tid> = ready.iter().map(|&n| lp.tasks[n].tid).collect();
    let cv = w.threads[me.0 as usize].cv.clone();
    while !w.running.is_some_and(|r| tids.contains(&r)) {
        w = core.check_cancel(w, me);
        cv.wait(&mut w);
    }
    let picked = w.running.expect("a pick");
    // The others wait in the queue again; the loop has the baton back to resume the pick.
    for &t in &tids {
        // The others stay ready in the queue, the loop's again.
        w.threads[t.0 as usize].next = None;
    }
    w.running = Some(me);
    Core::set_state(&mut w, me, ThreadState::Running);
    let at = ready.iter().position(|&n| lp.tasks[n].tid == picked)?;
    let n = ready[at];
    lp.ready.retain(|&r| r != n);
    Some(n)
}

/// Resume task `n` until it awaits again or finishes.
fn resume(l: &Rc<RefCell<Loop>>, core: &Arc<Core>, me: Tid, n: usize) {
    let (tid, mut body, rid) = {
        let mut lp = l.borrow_mut();
        lp.current = Some(n);
        let t = &mut lp.tasks[n];
        (t.tid, t.body.take(), lp.rid)
    };
    {
        let mut w = core.world.lock();
        let queue = l.borrow().ready.len();
        core.emit(
            &mut w,
            me,
            What::Resume {
                rid,
                task: tid,
                queue,
            },
            None,
        );
        Core::set_state(&mut w, me, ThreadState::Blocked(BlockedOn::Thread(tid)));
        Core::set_state(&mut w, tid, ThreadState::Running);
        // While it runs it is the thread: what it does to the thread (a plain sleep, a lock)
        // the scheduler sees as any thread's, and every other task waits.
        w.threads[tid.0 as usize].loop_task = false;
        if core.virtual_clock() {
            w.running = Some(tid);
        }
    }
    // The task's operations are its own: its lane, its name.
    sched::set_current(core.clone(), tid);
    struct Back(Arc<Core>, Tid);
    impl Drop for Back {
        fn drop(&mut self) {
            sched::set_current(self.0.clone(), self.1);
        }
    }
    let back = Back(core.clone(), me);
    let finished = match body.as_mut() {
        Some(b) => {
            let mut cx = Context::from_waker(Waker::noop());
            b.as_mut().poll(&mut cx).is_ready()
        }
        None => true,
    };
    drop(back);
    let mut lp = l.borrow_mut();
    lp.current = None;
    let mut w = core.world.lock();
    w.threads[tid.0 as usize].loop_task = true;
    if core.virtual_clock() {
        w.running = Some(me);
    }
    Core::set_state(&mut w, me, ThreadState::Running);
    if finished {
        lp.tasks[n].done = true;
        Core::set_state(&mut w, tid, ThreadState::Done);
        core.emit(&mut w, tid, What::Done, None);
        let joiners = std::mem::take(&mut lp.tasks[n].joiners);
        for j in joiners {
            make_ready(&mut lp, core, &mut w, j);
        }
    } else {
        lp.tasks[n].body = body;
    }
}

/// Nothing is ready: wait until the earliest timer is due or, live, a socket a task waits on
/// is ready (the loop's `select`), then make their tasks ready. With neither, nothing can ever
/// wake a task: the loop is stuck.
fn wait_for_timers(l: &Rc<RefCell<Loop>>, core: &Arc<Core>, me: Tid) {
    #[cfg(target_os = "linux")]
    if !l.borrow().io.is_empty() {
        wait_for_sockets(l, core, me);
        return;
    }
    let first = l.borrow().timers.keys().next().copied();
    let mut w = core.world.lock();
    let Some((at, _)) = first else {
        let rid = l.borrow().rid;
        let on = BlockedOn::Resource(rid);
        Core::set_state(&mut w, me, ThreadState::Blocked(on));
        core.emit(&mut w, me, What::Blocked { on }, None);
        drop(core.block(w, me)); // only a cancel ends this
        return;
    };
    let now = core.now_ns(&w);
    if at > now {
        let ns = at - now;
        core.emit(&mut w, me, What::LoopWaits { ns }, None);
        w = core.pass_time(w, me, ns, ThreadState::Sleeping);
    }
    let now = core.now_ns(&w);
    let mut lp = l.borrow_mut();
    let due: Vec<(u64, u64)> = lp
        .timers
        .range(..=(now, u64::MAX))
        .map(|(k, _)| *k)
        .collect();
    for k in due {
        if let Some(n) = lp.timers.remove(&k) {
            make_ready(&mut lp, core, &mut w, n);
        }
    }
}

/// Live: wait with poll(2) for the sockets tasks wait on, until one is ready or the earliest
/// timer is due; a few times a second it looks whether the run was cancelled.
#[cfg(target_os = "linux")]
fn wait_for_sockets(l: &Rc<RefCell<Loop>>, core: &Arc<Core>, me: Tid) {
    use super::pages::libc_poll::{PollFd, READ, poll};
    let mut w = core.world.lock();
    let sockets = l.borrow().io.len();
    let first = l.borrow().timers.keys().next().map(|k| k.0);
    let now = core.now_ns(&w);
    let ns = first.map(|at| at.saturating_sub(now));
    core.emit(&mut w, me, What::LoopSelects { sockets, ns }, None);
    Core::set_state(&mut w, me, ThreadState::Sleeping);
    drop(w);
    let deadline = ns.map(|ns| std::time::Instant::now() + Duration::from_nanos(ns));
    let mut fds: Vec<PollFd> = l
        .borrow()
        .io
        .iter()
        .map(|&(fd, _)| PollFd::new(fd, READ))
        .collect();
    loop {
        let left = deadline.map(|d| d.saturating_duration_since(std::time::Instant::now()));
        if left.is_some_and(|d| d.is_zero()) {
            break;
        }
        let limit = left.map_or(CANCEL_POLL, |d| d.min(CANCEL_POLL));
        if poll(&mut fds, Some(limit)) > 0 {
            break;
        }
        drop(core.check_cancel(core.world.lock(), me));
    }
    let mut w = core.check_cancel(core.world.lock(), me);
    Core::set_state(&mut w, me, ThreadState::Running);
    let now = core.now_ns(&w);
    let mut lp = l.borrow_mut();
    let io = std::mem::take(&mut lp.io);
    for (fd, (raw, n)) in fds.iter().zip(io) {
        if fd.ready() {
            make_ready(&mut lp, core, &mut w, n);
        } else {
            lp.io.push((raw, n));
        }
    }
    let due: Vec<(u64, u64)> = lp
        .timers
        .range(..=(now, u64::MAX))
        .map(|(k, _)| *k)
        .collect();
    for k in due {
        if let Some(n) = lp.timers.remove(&k) {
            make_ready(&mut lp, core, &mut w, n);
        }
    }
}

/// How often a loop waiting on sockets looks whether the run was cancelled.
#[cfg(target_os = "linux")]
const CANCEL_POLL: Duration = Duration::from_millis(20);

/// Start `body` as a task of the running loop; awaiting the handle gives what it returned
/// (Python: `asyncio.create_task(coro())`).
#[track_caller]
pub fn spawn_task<F: Future + 'static>(name: &str, body: F) -> Task<F::Output>
where
    F::Output: 'static,
{
    let site = Some(Site::here(Location::caller()));
    let l = LOOP
        .with(|l| l.borrow().clone())
        .expect("spawn_task is called inside aio::run");
    let out: Rc<RefCell<Option<F::Output>>> = Rc::new(RefCell::new(None));
    let slot = out.clone();
    let n = add_task(
        &l,
        name,
        Box::pin(async move {
            let v = body.await;
            *slot.borrow_mut() = Some(v);
        }),
        site,
    );
    Task { n, out, site: None }
}

/// A task's handle: await it for its result (Python: `await task`).
pub struct Task<T> {
    n: usize,
    out: Rc<RefCell<Option<T>>>,
    site: Option<Site>,
}

impl<T> Task<T> {
    /// Whether it has finished (Python: `task.done()`).
    pub fn done(&self) -> bool {
        with_loop(|l| l.tasks[self.n].done)
    }
}

impl<T> Future for Task<T> {
    type Output = T;
    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<T> {
        if let Some(v) = self.out.borrow_mut().take() {
            return Poll::Ready(v);
        }
        let n = self.n;
        let site = self.site.take();
        with_loop(|l| {
            let me = l.current.expect("awaited by a task");
            if !l.tasks[n].joiners.contains(&me) {
                l.tasks[n].joiners.push(me);
            }
            let core = l.core.clone();
            let mut w = core.world.lock();
            let (me_tid, target) = (l.tasks[me].tid, l.tasks[n].tid);
            l.tasks[me].site = site.or(l.tasks[me].site);
            core.emit(&mut w, me_tid, What::AwaitTask { target }, site);
            Core::set_state(
                &mut w,
                me_tid,
                ThreadState::Blocked(BlockedOn::Thread(target)),
            );
        });
        Poll::Pending
    }
}

/// Wait for every task, and give their results in order (Python: `asyncio.gather(*tasks)`).
pub async fn gather<T>(tasks: Vec<Task<T>>) -> Vec<T> {
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        out.push(t.await);
    }
    out
}

/// Let `d` of lesson time pass without holding up the other tasks (Python:
/// `await asyncio.sleep(d)`).
#[track_caller]
pub fn sleep(d: Duration) -> Sleep {
    Sleep {
        d,
        site: Some(Site::here(Location::caller())),
        armed: false,
    }
}

/// The future of `sleep`.
pub struct Sleep {
    d: Duration,
    site: Option<Site>,
    armed: bool,
}

impl Future for Sleep {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        if self.armed {
            return Poll::Ready(());
        }
        self.armed = true;
        let (d, site) = (self.d, self.site);
        with_loop(|l| {
            let me = l.current.expect("awaited by a task");
            let core = l.core.clone();
            let mut w = core.world.lock();
            let ns = core.scaled_ns(d);
            let at = core.now_ns(&w) + ns;
            let tid = l.tasks[me].tid;
            l.tasks[me].site = site;
            core.emit(&mut w, tid, What::AwaitSleep { ns }, site);
            Core::set_state(&mut w, tid, ThreadState::Sleeping);
            l.made += 1;
            let made = l.made;
            l.timers.insert((at, made), me);
        });
        Poll::Pending
    }
}

/// Whether the calling code runs inside an event loop's task.
pub fn in_task() -> bool {
    LOOP.with(|l| {
        l.borrow()
            .as_ref()
            .is_some_and(|l| l.borrow().current.is_some())
    })
}

/// Get a page without holding up the other tasks (Python: `await session.get(url)` with
/// aiohttp): the task sends its request and awaits the answer; meanwhile the loop runs the
/// others. Live, a real request on a nonblocking socket the loop waits on with poll(2); on the
/// virtual clock, the page server's model, answering a latency later. Past the server's limit
/// the answer is a refusal, at once.
#[track_caller]
pub fn fetch(url: &str) -> Fetch {
    Fetch {
        url: url.to_string(),
        site: Some(Site::here(Location::caller())),
        state: FetchState::Start,
    }
}

/// The future of `fetch`.
pub struct Fetch {
    url: String,
    site: Option<Site>,
    state: FetchState,
}

enum FetchState {
    Start,
    /// Virtual clock: the answer comes with the timer.
    Waiting {
        t: Target,
        path: String,
    },
    /// Live: the answer comes over the socket.
    #[cfg(target_os = "linux")]
    Reading {
        t: Target,
        path: String,
        conn: std::net::TcpStream,
        buf: Vec<u8>,
    },
    Done,
}

impl Future for Fetch {
    type Output = Result<Page, FetchError>;
    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        match std::mem::replace(&mut this.state, FetchState::Done) {
            FetchState::Start => this.send(),
            FetchState::Waiting { t, path } => with_loop(|l| {
                let me = l.current.expect("awaited by a task");
                let core = l.core.clone();
                let mut w = core.world.lock();
                let got = pages::answer(&t, &path);
                core.emit(
                    &mut w,
                    l.tasks[me].tid,
                    pages::fetched(t.rid, &path, &got),
                    None,
                );
                Poll::Ready(got)
            }),
            #[cfg(target_os = "linux")]
            FetchState::Reading { t, path, conn, buf } => this.read(t, path, conn, buf),
            FetchState::Done => Poll::Ready(Err(FetchError::Unreachable("polled again".into()))),
        }
    }
}

impl Fetch {
    /// The first poll: send the request (live) or ask the model (virtual clock).
    fn send(&mut self) -> Poll<Result<Page, FetchError>> {
        let (port, path) = match pages::parse_url(&self.url) {
            Ok(v) => v,
            Err(e) => return Poll::Ready(Err(e)),
        };
        let site = self.site;
        with_loop(|l| {
            let me = l.current.expect("awaited by a task");
            let core = l.core.clone();
            let mut w = core.world.lock();
            let Some(t) = pages::find(&w, port) else {
                let why = format!("no page server at {}", self.url);
                return Poll::Ready(Err(FetchError::Unreachable(why)));
            };
            let tid = l.tasks[me].tid;
            l.tasks[me].site = site;
            let what = What::Fetch {
                rid: t.rid,
                path: path.clone(),
            };
            // Awaiting the answer: its lane shows it waiting on the server.
            let on = ThreadState::Blocked(BlockedOn::Resource(t.rid));
            Core::set_state(&mut w, tid, on);
            core.emit(&mut w, tid, what, site);
            if core.virtual_clock() {
                let now = w.now;
                let Some(at) = pages::admit(&mut w, t.rid, now) else {
                    Core::set_state(&mut w, tid, ThreadState::Running);
                    core.emit(&mut w, tid, pages::refused(t.rid, &path), site);
                    return Poll::Ready(Err(FetchError::Refused));
                };
                l.made += 1;
                let made = l.made;
                l.timers.insert((at, made), me);
                self.state = FetchState::Waiting { t, path };
                return Poll::Pending;
            }
            #[cfg(target_os = "linux")]
            {
                use std::io::Write;
                use std::os::fd::AsRawFd;
                let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
                // Loopback: the kernel completes the handshake at once; the wait is the answer.
                let conn = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(5))
                    .and_then(|mut c| {
                        c.write_all(pages::request(&path).as_bytes())?;
                        c.set_nonblocking(true)?;
                        Ok(c)
                    });
                match conn {
                    Ok(conn) => {
                        l.io.push((conn.as_raw_fd(), me));
                        self.state = FetchState::Reading {
                            t,
                            path,
                            conn,
                            buf: Vec::new(),
                        };
                        Poll::Pending
                    }
                    Err(e) => {
                        Core::set_state(&mut w, tid, ThreadState::Running);
                        let got = Err(FetchError::Unreachable(e.to_string()));
                        core.emit(&mut w, tid, pages::fetched(t.rid, &path, &got), None);
                        Poll::Ready(got)
                    }
                }
            }
            #[cfg(not(target_os = "linux"))]
            {
                Poll::Ready(Err(FetchError::Unreachable("no sockets here".into())))
            }
        })
    }

    /// Live: read what has come; the whole answer ends the wait, else wait on the socket again.
    #[cfg(target_os = "linux")]
    fn read(
        &mut self,
        t: Target,
        path: String,
        mut conn: std::net::TcpStream,
        mut buf: Vec<u8>,
    ) -> Poll<Result<Page, FetchError>> {
        use std::io::Read;
        use std::os::fd::AsRawFd;
        let mut chunk = [0u8; 4096];
        let end = loop {
            match conn.read(&mut chunk) {
                Ok(0) => break Ok(()),
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    return with_loop(|l| {
                        let me = l.current.expect("awaited by a task");
                        l.io.push((conn.as_raw_fd(), me));
                        self.state = FetchState::Reading { t, path, conn, buf };
                        Poll::Pending
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => break Err(e),
            }
        };
        let got = match end.and_then(|()| pages::parse_response(&buf)) {
            Ok((503, _)) => Err(FetchError::Refused),
            Ok((200, _)) => pages::answer(&t, &path),
            Ok((404, _)) => Err(FetchError::NotFound),
            Ok((code, _)) => Err(FetchError::Unreachable(format!("HTTP {code}"))),
            Err(e) => Err(FetchError::Unreachable(e.to_string())),
        };
        with_loop(|l| {
            let me = l.current.expect("awaited by a task");
            let core = l.core.clone();
            let mut w = core.world.lock();
            let tid = l.tasks[me].tid;
            let what = match &got {
                Err(FetchError::Refused) => pages::refused(t.rid, &path),
                got => pages::fetched(t.rid, &path, got),
            };
            core.emit(&mut w, tid, what, None);
        });
        Poll::Ready(got)
    }
}
