//! The instrumented runtime. Demo code calls these like std: `spawn`, `sleep`, `Mutex::lock`,
//! `Shared::get`; every call records an event and, in step and virtual modes, lets the
//! scheduler choose who moves next. Knows nothing of the terminal.

pub mod aio;
pub mod child;
pub mod command;
pub mod cpu;
pub mod datafile;
pub mod event;
pub mod ipc;
pub mod net;
mod os_threads;
pub mod pages;
pub mod process;
mod run;
mod sched;
mod slots;
pub mod sync;
mod thread;
pub mod trace;
mod waitfor;

pub use command::{Completed, run_command};
pub use datafile::DataFile;
pub use event::{
    Awaited, Deadlock, Event, Op, Pid, QueueOrder, ResourceKind, Rid, Site, ThreadState, Tid,
    WaitLink, What,
};
pub use ipc::{
    Connection, FileLock, FileLockGuard, ProcessLock, ProcessLockGuard, ProcessQueue, SharedArray,
    SharedValue, pipe,
};
pub use net::{Address, Authkey, ConnectError, NetQueue, QueueManager, QueueServer};
pub use pages::{FetchError, Page, PageServer, fetch};
pub use process::{Global, Process, spawn_daemon_process, spawn_process};
pub use run::{Candidate, Config, Ended, Mode, Outcome, Printed, Run, RunReport};
pub use sched::{Chooser, Move, in_demo_thread, with_chooser};
pub use sync::{
    Barrier, BrokenBarrier, Condition, Empty, Flag, Full, Gil, GilGuard, Local, Mutex, MutexGuard,
    Queue, ReentrantMutex, ReentrantMutexGuard, Semaphore, SemaphorePermit, Shared, ThreadLocal,
    Timer,
};
pub use thread::{
    JoinHandle, Raised, compute, current_name, now, random_range, random_secs, say, sleep, spawn,
    spawn_daemon, stop_on_raise, work,
};

/// Lesson seconds as a `Duration` (demo code reads like `sleep(secs(0.5))`).
pub fn secs(s: f64) -> std::time::Duration {
    std::time::Duration::from_secs_f64(s.max(0.0))
}
