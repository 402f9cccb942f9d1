//! Instrumented synchronisation primitives. Each looks like its std or Python counterpart and
//! records every operation as an event.

mod barrier;
mod condition;
mod flag;
mod gil;
mod local;
mod mutex;
mod queue;
mod rlock;
mod semaphore;
mod shared;
mod timer;

pub use barrier::{Barrier, BrokenBarrier};
pub use condition::Condition;
pub use flag::Flag;
pub use gil::{Gil, GilGuard};
pub use local::{Local, ThreadLocal};
pub use mutex::{Mutex, MutexGuard};
pub use queue::{Empty, Full, Queue};
pub use rlock::{ReentrantMutex, ReentrantMutexGuard};
pub use semaphore::{Semaphore, SemaphorePermit};
pub use shared::Shared;
pub(crate) use shared::{read_variable, write_variable, write_variable_told};

/// How long an acquire may wait.
#[derive(Clone, Copy)]
pub(crate) enum Patience {
    /// Until it gets what it asked for (Python: `acquire()`).
    Forever,
    /// Not at all (Python: `acquire(blocking=False)`).
    None,
    /// At most this long, in lesson time (Python: `acquire(timeout=…)`).
    For(std::time::Duration),
}
pub use timer::Timer;
