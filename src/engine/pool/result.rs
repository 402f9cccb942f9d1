//! What a task submitted to a pool gives back at once (Python: `AsyncResult`): a handle that
//! is ready once a worker has run the task, successful if it returned, and whose `get` waits
//! for the value (or raises what the task raised).

use crate::engine::sync::Flag;
use parking_lot::Mutex as DataLock;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// The wait for a result ran out first (Python: `multiprocessing.TimeoutError`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeoutError;

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TimeoutError")
    }
}

impl std::error::Error for TimeoutError {}

/// A task's result, to come (Python: `pool.apply_async(...)`'s `AsyncResult`). Cheap to clone.
pub struct AsyncResult<R> {
    label: Arc<str>,
    /// Set once the value is in (Python's `ApplyResult._event`).
    flag: Arc<Flag>,
    /// What the task returned, or the message of what it raised.
    slot: Arc<DataLock<Option<Result<R, String>>>>,
}

impl<R> Clone for AsyncResult<R> {
    fn clone(&self) -> Self {
        AsyncResult {
            label: self.label.clone(),
            flag: self.flag.clone(),
            slot: self.slot.clone(),
        }
    }
}

impl<R: Clone + Send + 'static> AsyncResult<R> {
    /// A result nobody has given yet; its flag is named after the task (`fetch(3)`).
    pub(crate) fn new(label: &str) -> AsyncResult<R> {
        AsyncResult {
            label: label.into(),
            flag: Arc::new(Flag::new(label)),
            slot: Arc::new(DataLock::new(None)),
        }
    }

    /// Store the value, call the callback with it (on the calling thread: the pool's result
    /// thread), then wake whoever waits, as Python's `ApplyResult._set` does, in that order.
    pub(crate) fn finish(&self, value: Result<R, String>, callback: Option<Callback<R>>) {
        let ok = value.as_ref().ok().cloned();
        *self.slot.lock() = Some(value);
        if let (Some(cb), Some(v)) = (callback, ok) {
            cb(v);
        }
        self.flag.set();
    }

    /// The task has finished, one way or the other (Python: `r.ready()`).
    #[track_caller]
    pub fn ready(&self) -> bool {
        self.flag.is_set()
    }

    /// It finished without raising. Asked too early it raises, as Python's does
    /// (`ValueError: ... not ready`).
    #[track_caller]
    pub fn successful(&self) -> bool {
        if !self.flag.is_set() {
            panic!("ValueError: {} not ready", self.label);
        }
        matches!(*self.slot.lock(), Some(Ok(_)))
    }

    /// Wait until it is ready (Python: `r.wait()`).
    #[track_caller]
    pub fn wait(&self) {
        self.flag.wait();
    }

    /// Wait at most `limit` (lesson time); true if it is ready (Python: `r.wait(timeout)`,
    /// then `r.ready()`).
    #[track_caller]
    pub fn wait_timeout(&self, limit: Duration) -> bool {
        self.flag.wait_timeout(limit)
    }

    /// Wait for the value and take a copy (Python: `r.get()`). If the task raised, `get`
    /// raises the same message in the caller, as Python re-raises the task's exception.
    #[track_caller]
    pub fn get(&self) -> R {
        self.flag.wait();
        self.value()
    }

    /// Wait at most `limit` (lesson time) for the value (Python: `r.get(timeout)`, which
    /// raises `TimeoutError` when it runs out; the task goes on).
    #[track_caller]
    pub fn get_timeout(&self, limit: Duration) -> Result<R, TimeoutError> {
        if !self.flag.wait_timeout(limit) {
            return Err(TimeoutError);
        }
        Ok(self.value())
    }

    /// The task, as the panels name it: `fetch(3)`.
    pub fn label(&self) -> &str {
        &self.label
    }

    fn value(&self) -> R {
        let value = self.slot.lock().clone();
        match value {
            Some(Ok(v)) => v,
            Some(Err(message)) => panic!("{message}"),
            None => unreachable!("the flag is set after the value is in"),
        }
    }
}

/// A function called with a task's value once it is in (Python: `callback=`).
pub type Callback<R> = Box<dyn FnOnce(R) + Send>;
