//! Pools of workers, as Python has them: `ThreadPool` (`multiprocessing.pool.ThreadPool`) and
//! `Pool` (`multiprocessing.Pool`, worker processes), with `apply`, `apply_async`, `map`,
//! `map_async`, callbacks and `close` / `join` / `terminate`; and `ThreadPoolExecutor`
//! (`concurrent.futures`) with futures, `add_done_callback` and `as_completed`.
//!
//! A pool is built from the runtime's own primitives, so it runs live, in step mode and
//! virtually, and a wait on it is seen by deadlock detection: tasks wait in a queue named
//! `tasks`; each worker (a lane of its own: `Worker-1`, `PoolProc-1`) takes the next, runs it
//! and puts what it gave into the queue `results`; the pool's result thread (`results`) takes
//! them out, hands each to its callback and sets the task's flag (named after the task,
//! `fetch(3)`), which `get` waits on. Workers are daemons, as Python's are.

mod executor;
mod result;

pub use executor::{Future, ThreadPoolExecutor, as_completed};
pub use result::{AsyncResult, Callback, TimeoutError};

use crate::engine::ipc::ProcessQueue;
use crate::engine::process::{Process, ProcessFn, spawn_daemon_process};
use crate::engine::sched::{self, Cancelled};
use crate::engine::sync::Queue;
use crate::engine::thread::{JoinHandle, panic_message, spawn_daemon};
use parking_lot::Mutex as DataLock;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::any::Any;
use std::collections::HashMap;
use std::fmt::{self, Debug};
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::Arc;

/// Where a pool is in its life (Python: RUN, CLOSE, TERMINATE).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Running,
    Closed,
    Terminated,
}

/// What a worker gave: a value (a thread's, as it is; a process's, as JSON), and how it
/// reads; or the message of what it raised.
type Given = Result<(Payload, String), String>;

enum Payload {
    Here(Box<dyn Any + Send>),
    Json(serde_json::Value),
}

/// What the result thread does with one task's outcome.
type Completer = Box<dyn FnOnce(Result<Payload, String>) + Send>;

/// What both kinds of pool keep: their state and the tasks whose results are awaited.
struct Book {
    size: usize,
    state: DataLock<State>,
    /// Each submitted task's completer, by task number, until its result is in.
    pending: DataLock<HashMap<u64, Completer>>,
    next: DataLock<u64>,
    /// The result thread, until `join` joins it.
    handler: DataLock<Option<JoinHandle<()>>>,
}

impl Book {
    fn new(size: usize) -> Arc<Book> {
        Arc::new(Book {
            size,
            state: DataLock::new(State::Running),
            pending: DataLock::new(HashMap::new()),
            next: DataLock::new(0),
            handler: DataLock::new(None),
        })
    }

    /// A number for a new task, its completer filed; raises once the pool is closed (Python:
    /// `ValueError: Pool not running`).
    fn file(&self, completer: Completer) -> u64 {
        if *self.state.lock() != State::Running {
            panic!("ValueError: Pool not running");
        }
        let mut next = self.next.lock();
        *next += 1;
        self.pending.lock().insert(*next, completer);
        *next
    }

    /// The result thread's work on one outcome: false once the pool is terminated (what
    /// comes in afterwards is dropped, as Python's result handler stops).
    fn deliver(&self, id: u64, outcome: Result<Payload, String>) -> bool {
        if *self.state.lock() == State::Terminated {
            return false;
        }
        let completer = self.pending.lock().remove(&id);
        if let Some(c) = completer {
            c(outcome);
        }
        true
    }

    fn check_joinable(&self) {
        if *self.state.lock() == State::Running {
            panic!("ValueError: Pool is still running");
        }
    }
}

/// `fetch(3)`: the function's own name and the argument, as the panels show a task.
fn label_of<F, A: Debug>(arg: &A) -> String {
    let path = std::any::type_name::<F>();
    let name = path.rsplit("::").next().unwrap_or(path);
    let name = if name.contains('{') { "task" } else { name };
    format!("{name}({arg:?})")
}

/// One result, one callback: the completer that fills `r`.
fn complete_one<R: Clone + Send + 'static>(
    r: &AsyncResult<R>,
    convert: fn(Payload) -> R,
    callback: Option<Callback<R>>,
) -> Completer {
    let r = r.clone();
    Box::new(move |outcome| r.finish(outcome.map(convert), callback))
}

/// Many results gathered into one list in input order (Python's `MapResult`): the list is
/// ready when the last is in, or at the first that raised.
fn complete_many<R: Clone + Send + 'static>(
    r: &AsyncResult<Vec<R>>,
    n: usize,
    convert: fn(Payload) -> R,
    callback: Option<Callback<Vec<R>>>,
) -> Vec<Completer> {
    struct Gather<R> {
        values: Vec<Option<R>>,
        left: usize,
        over: bool,
        callback: Option<Callback<Vec<R>>>,
    }
    let gather = Arc::new(DataLock::new(Gather {
        values: (0..n).map(|_| None).collect(),
        left: n,
        over: false,
        callback,
    }));
    (0..n)
        .map(|i| {
            let (r, gather) = (r.clone(), gather.clone());
            Box::new(move |outcome: Result<Payload, String>| {
                let mut g = gather.lock();
                if g.over {
                    return;
                }
                let done = match outcome {
                    Ok(p) => {
                        g.values[i] = Some(convert(p));
                        g.left -= 1;
                        (g.left == 0)
                            .then(|| Ok(g.values.iter_mut().filter_map(Option::take).collect()))
                    }
                    Err(message) => Some(Err(message)),
                };
                if let Some(value) = done {
                    g.over = true;
                    let callback = g.callback.take();
                    drop(g);
                    r.finish(value, callback);
                }
            }) as Completer
        })
        .collect()
}

fn here<R: 'static>(p: Payload) -> R {
    match p {
        Payload::Here(b) => *b
            .downcast::<R>()
            .expect("a thread task's value has its type"),
        Payload::Json(_) => unreachable!("a thread pool's values stay in the process"),
    }
}

fn from_json<R: DeserializeOwned>(p: Payload) -> R {
    match p {
        Payload::Json(v) => serde_json::from_value(v).expect("a task's value reads back"),
        Payload::Here(_) => unreachable!("a process pool's values come as JSON"),
    }
}

/// Run `f`; a raise becomes its message, a cancel goes on unwinding.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|p| {
        if p.is::<Cancelled>() {
            resume_unwind(p);
        }
        panic_message(p.as_ref())
    })
}

/// The next free number for names like `Worker-N`: Python numbers its threads and processes
/// across the whole program.
fn next_number(prefix: &str) -> usize {
    let (core, _) = sched::current();
    let w = core.world.lock();
    w.threads
        .iter()
        .filter(|t| {
            t.name
                .strip_prefix(prefix)
                .is_some_and(|n| n.parse::<usize>().is_ok())
        })
        .count()
        + 1
}

// ---- threads ----

/// A task for a thread worker, or the sign to stop (Python puts `None`).
enum Job {
    Task {
        id: u64,
        label: String,
        run: Box<dyn FnOnce() -> Given + Send>,
    },
    Stop,
}

impl Debug for Job {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Job::Task { label, .. } => f.write_str(label),
            Job::Stop => f.write_str("stop"),
        }
    }
}

/// What a worker hands the result thread.
enum Finished {
    Done {
        id: u64,
        label: String,
        given: Given,
    },
    Stop,
}

impl Debug for Finished {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finished::Done {
                label,
                given: Ok((_, shown)),
                ..
            } => write!(f, "{label} → {shown}"),
            Finished::Done { label, .. } => write!(f, "{label} raised"),
            Finished::Stop => f.write_str("stop"),
        }
    }
}

/// A pool of worker threads (Python: `multiprocessing.pool.ThreadPool(n)`).
pub struct ThreadPool {
    book: Arc<Book>,
    tasks: Arc<Queue<Job>>,
    results: Arc<Queue<Finished>>,
    workers: DataLock<Vec<JoinHandle<()>>>,
}

impl ThreadPool {
    /// `n` worker threads, `Worker-1` … `Worker-n`, waiting for tasks, and the result thread.
    #[track_caller]
    pub fn new(n: usize) -> ThreadPool {
        let n = n.max(1);
        let tasks = Arc::new(Queue::fifo("tasks", 0));
        let results = Arc::new(Queue::fifo("results", 0));
        let book = Book::new(n);
        let first = next_number("Worker-");
        let workers = (0..n)
            .map(|i| {
                let (tasks, results) = (tasks.clone(), results.clone());
                spawn_daemon(format!("Worker-{}", first + i), move || {
                    thread_worker(&tasks, &results)
                })
            })
            .collect();
        let handler = {
            let (book, results) = (book.clone(), results.clone());
            spawn_daemon("results", move || {
                while let Finished::Done { id, given, .. } = results.get() {
                    if !book.deliver(id, given.map(|(p, _)| p)) {
                        return;
                    }
                }
            })
        };
        *book.handler.lock() = Some(handler);
        ThreadPool {
            book,
            tasks,
            results,
            workers: DataLock::new(workers),
        }
    }

    /// How many workers it has.
    pub fn size(&self) -> usize {
        self.book.size
    }

    fn submit<F, A, R>(&self, f: Arc<F>, arg: A, label: String, completer: Completer)
    where
        F: Fn(A) -> R + Send + Sync + 'static,
        A: Send + 'static,
        R: Debug + Send + 'static,
    {
        let id = self.book.file(completer);
        let run = Box::new(move || {
            guarded(|| f(arg)).map(|r| {
                let shown = format!("{r:?}");
                (Payload::Here(Box::new(r)), shown)
            })
        });
        self.tasks.put(Job::Task { id, label, run });
    }

    /// Submit `f(arg)` and wait for its value (Python: `pool.apply(f, (arg,))`).
    #[track_caller]
    pub fn apply<F, A, R>(&self, f: F, arg: A) -> R
    where
        F: Fn(A) -> R + Send + Sync + 'static,
        A: Debug + Send + 'static,
        R: Clone + Debug + Send + 'static,
    {
        self.apply_async(f, arg).get()
    }

    /// Submit `f(arg)` and carry on: the handle gives the value later (Python:
    /// `pool.apply_async(f, (arg,))`).
    #[track_caller]
    pub fn apply_async<F, A, R>(&self, f: F, arg: A) -> AsyncResult<R>
    where
        F: Fn(A) -> R + Send + Sync + 'static,
        A: Debug + Send + 'static,
        R: Clone + Debug + Send + 'static,
    {
        self.apply_async_inner(f, arg, None)
    }

    /// The same, and `callback` gets the value on the pool's result thread as soon as it is
    /// in (Python: `apply_async(f, (arg,), callback=cb)`).
    #[track_caller]
    pub fn apply_async_with<F, A, R, C>(&self, f: F, arg: A, callback: C) -> AsyncResult<R>
    where
        F: Fn(A) -> R + Send + Sync + 'static,
        A: Debug + Send + 'static,
        R: Clone + Debug + Send + 'static,
        C: FnOnce(R) + Send + 'static,
    {
        self.apply_async_inner(f, arg, Some(Box::new(callback)))
    }

    #[track_caller]
    fn apply_async_inner<F, A, R>(&self, f: F, arg: A, cb: Option<Callback<R>>) -> AsyncResult<R>
    where
        F: Fn(A) -> R + Send + Sync + 'static,
        A: Debug + Send + 'static,
        R: Clone + Debug + Send + 'static,
    {
        let label = label_of::<F, A>(&arg);
        let r = AsyncResult::new(&label);
        self.submit(Arc::new(f), arg, label, complete_one(&r, here::<R>, cb));
        r
    }

    /// `f` on every item, waiting for them all: the values in the items' order, whoever
    /// finished first (Python: `pool.map(f, items)`).
    #[track_caller]
    pub fn map<F, A, R>(&self, f: F, items: impl IntoIterator<Item = A>) -> Vec<R>
    where
        F: Fn(A) -> R + Send + Sync + 'static,
        A: Debug + Send + 'static,
        R: Clone + Debug + Send + 'static,
    {
        self.map_async_inner(f, items, None).get()
    }

    /// `f` on every item, without waiting: one handle for the whole list (Python:
    /// `pool.map_async(f, items)`).
    #[track_caller]
    pub fn map_async<F, A, R>(
        &self,
        f: F,
        items: impl IntoIterator<Item = A>,
    ) -> AsyncResult<Vec<R>>
    where
        F: Fn(A) -> R + Send + Sync + 'static,
        A: Debug + Send + 'static,
        R: Clone + Debug + Send + 'static,
    {
        self.map_async_inner(f, items, None)
    }

    /// The same; `callback` gets the whole list on the result thread once it is complete.
    #[track_caller]
    pub fn map_async_with<F, A, R, C>(
        &self,
        f: F,
        items: impl IntoIterator<Item = A>,
        callback: C,
    ) -> AsyncResult<Vec<R>>
    where
        F: Fn(A) -> R + Send + Sync + 'static,
        A: Debug + Send + 'static,
        R: Clone + Debug + Send + 'static,
        C: FnOnce(Vec<R>) + Send + 'static,
    {
        self.map_async_inner(f, items, Some(Box::new(callback)))
    }

    #[track_caller]
    fn map_async_inner<F, A, R>(
        &self,
        f: F,
        items: impl IntoIterator<Item = A>,
        cb: Option<Callback<Vec<R>>>,
    ) -> AsyncResult<Vec<R>>
    where
        F: Fn(A) -> R + Send + Sync + 'static,
        A: Debug + Send + 'static,
        R: Clone + Debug + Send + 'static,
    {
        let items: Vec<A> = items.into_iter().collect();
        let name = label_of::<F, ()>(&());
        let r = AsyncResult::new(&format!("map {}", name.trim_end_matches("(())")));
        if items.is_empty() {
            r.finish(Ok(Vec::new()), cb);
            return r;
        }
        let f = Arc::new(f);
        let completers = complete_many(&r, items.len(), here::<R>, cb);
        for (arg, c) in items.into_iter().zip(completers) {
            let label = label_of::<F, A>(&arg);
            self.submit(f.clone(), arg, label, c);
        }
        r
    }

    /// No more tasks: the workers finish the ones queued, then leave (Python: `pool.close()`).
    #[track_caller]
    pub fn close(&self) {
        let mut state = self.book.state.lock();
        if *state != State::Running {
            return;
        }
        *state = State::Closed;
        drop(state);
        for _ in 0..self.book.size {
            self.tasks.put(Job::Stop);
        }
    }

    /// Stop now (Python: `pool.terminate()`): the tasks still queued are dropped, and no
    /// result is handed out any more. A thread cannot be killed: a task already running runs
    /// to its end, its value unseen.
    #[track_caller]
    pub fn terminate(&self) {
        let mut state = self.book.state.lock();
        if *state == State::Terminated {
            return;
        }
        let was = *state;
        *state = State::Terminated;
        drop(state);
        if was == State::Running {
            while self.tasks.get_nowait().is_ok() {}
            for _ in 0..self.book.size {
                self.tasks.put(Job::Stop);
            }
        }
        self.results.put(Finished::Stop);
    }

    /// Wait for every worker and the result thread to leave; only after `close` or
    /// `terminate` (Python: `pool.join()`, else `ValueError: Pool is still running`).
    #[track_caller]
    pub fn join(&self) {
        self.book.check_joinable();
        let workers = std::mem::take(&mut *self.workers.lock());
        for w in workers {
            let _ = w.join();
        }
        if *self.book.state.lock() != State::Terminated {
            // Every result is queued by now; the stop comes after the last.
            self.results.put(Finished::Stop);
        }
        let handler = self.book.handler.lock().take();
        if let Some(h) = handler {
            let _ = h.join();
        }
    }
}

fn thread_worker(tasks: &Queue<Job>, results: &Queue<Finished>) {
    while let Job::Task { id, label, run } = tasks.get() {
        let given = run();
        results.put(Finished::Done { id, label, given });
    }
}

// ---- processes ----

/// A task for a worker process: the function by its path, the argument as JSON.
#[derive(Serialize, Deserialize)]
pub enum Order {
    Task {
        id: u64,
        label: String,
        function: String,
        arg: serde_json::Value,
    },
    Stop,
}

impl Debug for Order {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Order::Task { label, .. } => f.write_str(label),
            Order::Stop => f.write_str("stop"),
        }
    }
}

/// What a worker process sends back.
#[derive(Serialize, Deserialize)]
pub enum Reply {
    Done {
        id: u64,
        label: String,
        /// The value as JSON, or what the task raised.
        value: Result<serde_json::Value, String>,
    },
    Stop,
}

impl Debug for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reply::Done {
                label,
                value: Ok(v),
                ..
            } => write!(f, "{label} → {v}"),
            Reply::Done { label, .. } => write!(f, "{label} raised"),
            Reply::Stop => f.write_str("stop"),
        }
    }
}

/// A worker process: takes tasks until told to stop, runs each function it names (listed
/// with `pool_fn!`), sends back what it gave.
pub fn process_worker((tasks, results): (ProcessQueue<Order>, ProcessQueue<Reply>)) {
    while let Order::Task {
        id,
        label,
        function,
        arg,
    } = tasks.get()
    {
        let value = match crate::lessons::process_fn(&function).and_then(|p| p.call) {
            Some(call) => guarded(|| call(arg)),
            None => Err(format!(
                "{function} is not a pool function (list it with pool_fn!)"
            )),
        };
        results.put(Reply::Done { id, label, value });
    }
}

/// The runtime's own process functions: the worker, and small tasks its tests use.
pub const PROCESSES: &[ProcessFn] = &[
    crate::process_fn!(process_worker),
    crate::pool_fn!(selftest::square),
    crate::pool_fn!(selftest::nap_then),
    crate::pool_fn!(selftest::fail),
];

/// Small pool functions the runtime's tests run in worker processes.
pub mod selftest {
    use crate::engine::{secs, sleep};

    pub fn square(x: u64) -> u64 {
        x * x
    }

    /// Naps `s` lesson seconds, then gives `x`.
    pub fn nap_then((x, s): (u64, f64)) -> u64 {
        sleep(secs(s));
        x
    }

    pub fn fail(x: u64) -> u64 {
        panic!("bad input {x}")
    }
}

/// A pool of worker processes (Python: `multiprocessing.Pool(n)`): each task's function and
/// argument are copied into a worker, its value copied back. A function must be listed with
/// `pool_fn!` (in the lesson's `PROCESSES`): a worker finds it by name, as Python unpickles a
/// function by name (and cannot send a lambda).
pub struct Pool {
    book: Arc<Book>,
    tasks: ProcessQueue<Order>,
    results: ProcessQueue<Reply>,
    workers: Vec<Process>,
}

impl Pool {
    /// `n` worker processes, `PoolProc-1` … `PoolProc-n` (daemons, as Python's are), and the
    /// result thread.
    #[track_caller]
    pub fn new(n: usize) -> Pool {
        let n = n.max(1);
        let tasks = ProcessQueue::new("tasks", 0);
        let results = ProcessQueue::new("results", 0);
        let book = Book::new(n);
        let first = next_number("PoolProc-");
        let workers = (0..n)
            .map(|i| {
                let name = format!("PoolProc-{}", first + i);
                spawn_daemon_process(name, process_worker, (tasks.clone(), results.clone()))
            })
            .collect();
        let handler = {
            let (book, results) = (book.clone(), results.clone());
            spawn_daemon("results", move || {
                while let Reply::Done { id, value, .. } = results.get() {
                    if !book.deliver(id, value.map(Payload::Json)) {
                        return;
                    }
                }
            })
        };
        *book.handler.lock() = Some(handler);
        Pool {
            book,
            tasks,
            results,
            workers,
        }
    }

    pub fn size(&self) -> usize {
        self.book.size
    }

    fn submit<F, A>(&self, arg: &A, label: String, completer: Completer)
    where
        A: Serialize,
    {
        let function = std::any::type_name::<F>();
        let listed = crate::lessons::process_fn(function).is_some_and(|p| p.call.is_some());
        if !listed {
            // Python: "Can't pickle <function <lambda>>".
            panic!("{function} cannot be sent to a worker process: list it with pool_fn!");
        }
        let arg = serde_json::to_value(arg).expect("a task's argument is plain data");
        let id = self.book.file(completer);
        self.tasks.put(Order::Task {
            id,
            label,
            function: function.to_string(),
            arg,
        });
    }

    /// Submit `f(arg)` and wait for its value (Python: `pool.apply(f, (arg,))`).
    #[track_caller]
    pub fn apply<F, A, R>(&self, f: F, arg: A) -> R
    where
        F: Fn(A) -> R,
        A: Serialize + Debug,
        R: Clone + DeserializeOwned + Send + 'static,
    {
        self.apply_async(f, arg).get()
    }

    /// Submit `f(arg)` and carry on (Python: `pool.apply_async(f, (arg,))`).
    #[track_caller]
    pub fn apply_async<F, A, R>(&self, f: F, arg: A) -> AsyncResult<R>
    where
        F: Fn(A) -> R,
        A: Serialize + Debug,
        R: Clone + DeserializeOwned + Send + 'static,
    {
        self.apply_async_inner(f, arg, None)
    }

    /// The same, with a callback run on the pool's result thread (in this process).
    #[track_caller]
    pub fn apply_async_with<F, A, R, C>(&self, f: F, arg: A, callback: C) -> AsyncResult<R>
    where
        F: Fn(A) -> R,
        A: Serialize + Debug,
        R: Clone + DeserializeOwned + Send + 'static,
        C: FnOnce(R) + Send + 'static,
    {
        self.apply_async_inner(f, arg, Some(Box::new(callback)))
    }

    #[track_caller]
    fn apply_async_inner<F, A, R>(&self, _f: F, arg: A, cb: Option<Callback<R>>) -> AsyncResult<R>
    where
        F: Fn(A) -> R,
        A: Serialize + Debug,
        R: Clone + DeserializeOwned + Send + 'static,
    {
        let label = label_of::<F, A>(&arg);
        let r = AsyncResult::new(&label);
        self.submit::<F, A>(&arg, label, complete_one(&r, from_json::<R>, cb));
        r
    }

    /// `f` on every item in the workers, the values in the items' order (Python:
    /// `pool.map(f, items)`).
    #[track_caller]
    pub fn map<F, A, R>(&self, f: F, items: impl IntoIterator<Item = A>) -> Vec<R>
    where
        F: Fn(A) -> R,
        A: Serialize + Debug,
        R: Clone + DeserializeOwned + Send + 'static,
    {
        self.map_async(f, items).get()
    }

    /// `f` on every item, without waiting (Python: `pool.map_async(f, items)`).
    #[track_caller]
    pub fn map_async<F, A, R>(
        &self,
        _f: F,
        items: impl IntoIterator<Item = A>,
    ) -> AsyncResult<Vec<R>>
    where
        F: Fn(A) -> R,
        A: Serialize + Debug,
        R: Clone + DeserializeOwned + Send + 'static,
    {
        let items: Vec<A> = items.into_iter().collect();
        let name = label_of::<F, ()>(&());
        let r = AsyncResult::new(&format!("map {}", name.trim_end_matches("(())")));
        if items.is_empty() {
            r.finish(Ok(Vec::new()), None);
            return r;
        }
        let completers = complete_many(&r, items.len(), from_json::<R>, None);
        for (arg, c) in items.iter().zip(completers) {
            self.submit::<F, A>(arg, label_of::<F, A>(arg), c);
        }
        r
    }

    /// No more tasks: the workers finish the queued ones, then leave (Python: `pool.close()`).
    #[track_caller]
    pub fn close(&self) {
        let mut state = self.book.state.lock();
        if *state != State::Running {
            return;
        }
        *state = State::Closed;
        drop(state);
        for _ in 0..self.book.size {
            self.tasks.put(Order::Stop);
        }
    }

    /// Stop now (Python: `pool.terminate()`): every worker process is terminated, the
    /// tasks it was running with it; no result is handed out any more.
    #[track_caller]
    pub fn terminate(&self) {
        let mut state = self.book.state.lock();
        if *state == State::Terminated {
            return;
        }
        *state = State::Terminated;
        drop(state);
        for w in &self.workers {
            w.terminate();
        }
        self.results.put(Reply::Stop);
    }

    /// Wait for every worker process and the result thread to end; only after `close` or
    /// `terminate` (Python: `pool.join()`).
    #[track_caller]
    pub fn join(&self) {
        self.book.check_joinable();
        for w in &self.workers {
            w.join();
        }
        if *self.book.state.lock() != State::Terminated {
            self.results.put(Reply::Stop);
        }
        let handler = self.book.handler.lock().take();
        if let Some(h) = handler {
            let _ = h.join();
        }
    }
}
