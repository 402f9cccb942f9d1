//! `concurrent.futures` for threads: a `ThreadPoolExecutor` whose `submit` gives a `Future`;
//! `result` waits for it, `add_done_callback` runs a function once it is done (on the worker
//! that finished it, or at once if it already is), and `as_completed` yields futures in the
//! order they finish.

use super::{TimeoutError, guarded, label_of, next_number};
use crate::engine::sync::{Flag, Queue};
use crate::engine::thread::{JoinHandle, spawn_daemon};
use parking_lot::Mutex as DataLock;
use std::fmt::{self, Debug};
use std::sync::Arc;
use std::time::Duration;

/// A function called with the future once it is done (Python: `fn(future)`).
type DoneCallback<R> = Box<dyn FnOnce(&Future<R>) + Send>;

struct Inner<R> {
    value: Option<Result<R, String>>,
    callbacks: Vec<DoneCallback<R>>,
    /// `as_completed` calls waiting for it: their queue, and its place in their list.
    waiters: Vec<(Arc<Queue<usize>>, usize)>,
}

/// A task's value to come (Python: `concurrent.futures.Future`). Cheap to clone.
pub struct Future<R> {
    label: Arc<str>,
    flag: Arc<Flag>,
    inner: Arc<DataLock<Inner<R>>>,
}

impl<R> Clone for Future<R> {
    fn clone(&self) -> Self {
        Future {
            label: self.label.clone(),
            flag: self.flag.clone(),
            inner: self.inner.clone(),
        }
    }
}

impl<R: Clone + Send + 'static> Future<R> {
    fn new(label: &str) -> Future<R> {
        Future {
            label: label.into(),
            flag: Arc::new(Flag::new(label)),
            inner: Arc::new(DataLock::new(Inner {
                value: None,
                callbacks: Vec::new(),
                waiters: Vec::new(),
            })),
        }
    }

    /// Python's `set_result` / `set_exception`: the value in, the waiters woken, then the
    /// callbacks called on this thread.
    fn set(&self, value: Result<R, String>) {
        let (callbacks, waiters) = {
            let mut i = self.inner.lock();
            i.value = Some(value);
            (
                std::mem::take(&mut i.callbacks),
                std::mem::take(&mut i.waiters),
            )
        };
        self.flag.set();
        for (q, index) in waiters {
            q.put(index);
        }
        for cb in callbacks {
            cb(self);
        }
    }

    /// Finished, one way or the other (Python: `f.done()`).
    #[track_caller]
    pub fn done(&self) -> bool {
        self.flag.is_set()
    }

    /// Wait for the value (Python: `f.result()`); what the task raised is raised here.
    #[track_caller]
    pub fn result(&self) -> R {
        self.flag.wait();
        self.value()
    }

    /// Wait at most `limit` (lesson time) (Python: `f.result(timeout)`, raising
    /// `TimeoutError`).
    #[track_caller]
    pub fn result_timeout(&self, limit: Duration) -> Result<R, TimeoutError> {
        if !self.flag.wait_timeout(limit) {
            return Err(TimeoutError);
        }
        Ok(self.value())
    }

    /// What the task raised, if it has finished and raised (Python: `f.exception()`, without
    /// waiting).
    pub fn exception(&self) -> Option<String> {
        match &self.inner.lock().value {
            Some(Err(m)) => Some(m.clone()),
            _ => None,
        }
    }

    /// Call `cb` with this future once it is done: on the worker thread that finishes it, or
    /// right now on this thread if it is done already (Python: `f.add_done_callback(cb)`).
    pub fn add_done_callback(&self, cb: impl FnOnce(&Future<R>) + Send + 'static) {
        let mut i = self.inner.lock();
        if i.value.is_none() {
            i.callbacks.push(Box::new(cb));
            return;
        }
        drop(i);
        cb(self);
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    fn value(&self) -> R {
        let value = self.inner.lock().value.clone();
        match value {
            Some(Ok(v)) => v,
            Some(Err(message)) => panic!("{message}"),
            None => unreachable!("the flag is set after the value is in"),
        }
    }
}

/// The futures in the order they finish, each as soon as it has (Python:
/// `concurrent.futures.as_completed(fs)`): a queue `completed` collects them.
#[track_caller]
pub fn as_completed<R: Clone + Send + 'static>(futures: &[Future<R>]) -> AsCompleted<R> {
    let q = Arc::new(Queue::fifo("completed", 0));
    for (index, f) in futures.iter().enumerate() {
        let mut i = f.inner.lock();
        if i.value.is_none() {
            i.waiters.push((q.clone(), index));
        } else {
            drop(i);
            q.put(index);
        }
    }
    AsCompleted {
        q,
        futures: futures.to_vec(),
        left: futures.len(),
    }
}

/// The iterator `as_completed` gives.
pub struct AsCompleted<R> {
    q: Arc<Queue<usize>>,
    futures: Vec<Future<R>>,
    left: usize,
}

impl<R: Clone + Send + 'static> Iterator for AsCompleted<R> {
    type Item = Future<R>;

    #[track_caller]
    fn next(&mut self) -> Option<Future<R>> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let index = self.q.get();
        Some(self.futures[index].clone())
    }
}

/// A task for a worker, or the sign to leave.
enum Work {
    Run {
        label: String,
        run: Box<dyn FnOnce() + Send>,
    },
    Stop,
}

impl Debug for Work {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Work::Run { label, .. } => f.write_str(label),
            Work::Stop => f.write_str("stop"),
        }
    }
}

/// Worker threads taking submitted tasks from a queue (Python:
/// `concurrent.futures.ThreadPoolExecutor(max_workers)`).
pub struct ThreadPoolExecutor {
    tasks: Arc<Queue<Work>>,
    workers: DataLock<Vec<JoinHandle<()>>>,
    shut: DataLock<bool>,
}

impl ThreadPoolExecutor {
    /// `n` workers named as Python names them: `ThreadPoolExecutor-0_0`, `-0_1`, …
    #[track_caller]
    pub fn new(n: usize) -> ThreadPoolExecutor {
        let k = next_number("ThreadPoolExecutor-") - 1;
        ThreadPoolExecutor::start(n, &format!("ThreadPoolExecutor-{k}"))
    }

    /// `n` workers named `PREFIX_0`, `PREFIX_1`, … (Python: `thread_name_prefix=`).
    #[track_caller]
    pub fn with_prefix(n: usize, prefix: &str) -> ThreadPoolExecutor {
        ThreadPoolExecutor::start(n, prefix)
    }

    fn start(n: usize, prefix: &str) -> ThreadPoolExecutor {
        let tasks = Arc::new(Queue::fifo("tasks", 0));
        let workers = (0..n.max(1))
            .map(|i| {
                let tasks = tasks.clone();
                spawn_daemon(format!("{prefix}_{i}"), move || {
                    while let Work::Run { run, .. } = tasks.get() {
                        run();
                    }
                })
            })
            .collect();
        ThreadPoolExecutor {
            tasks,
            workers: DataLock::new(workers),
            shut: DataLock::new(false),
        }
    }

    /// Schedule `f(arg)`; its future at once (Python: `executor.submit(f, arg)`).
    #[track_caller]
    pub fn submit<F, A, R>(&self, f: F, arg: A) -> Future<R>
    where
        F: FnOnce(A) -> R + Send + 'static,
        A: Debug + Send + 'static,
        R: Clone + Send + 'static,
    {
        if *self.shut.lock() {
            panic!("RuntimeError: cannot schedule new futures after shutdown");
        }
        let label = label_of::<F, A>(&arg);
        let future = Future::new(&label);
        let done = future.clone();
        let run = Box::new(move || done.set(guarded(|| f(arg))));
        self.tasks.put(Work::Run { label, run });
        future
    }

    /// `f` on every item; the values in the items' order (Python: `executor.map(f, items)`).
    #[track_caller]
    pub fn map<F, A, R>(&self, f: F, items: impl IntoIterator<Item = A>) -> Vec<R>
    where
        F: Fn(A) -> R + Send + Sync + 'static,
        A: Debug + Send + 'static,
        R: Clone + Send + 'static,
    {
        let f = Arc::new(f);
        let futures: Vec<Future<R>> = items
            .into_iter()
            .map(|a| {
                let f = f.clone();
                let label = label_of::<F, A>(&a);
                let future = Future::new(&label);
                let done = future.clone();
                let run = Box::new(move || done.set(guarded(|| f(a))));
                self.tasks.put(Work::Run { label, run });
                future
            })
            .collect();
        futures.iter().map(Future::result).collect()
    }

    /// No more tasks; the workers leave once the queued ones are done, and with `wait` this
    /// waits for them (Python: `executor.shutdown(wait=True)`).
    #[track_caller]
    pub fn shutdown(&self, wait: bool) {
        let mut shut = self.shut.lock();
        if !*shut {
            *shut = true;
            drop(shut);
            let n = self.workers.lock().len();
            for _ in 0..n {
                self.tasks.put(Work::Stop);
            }
        } else {
            drop(shut);
        }
        if wait {
            let workers = std::mem::take(&mut *self.workers.lock());
            for w in workers {
                let _ = w.join();
            }
        }
    }
}
