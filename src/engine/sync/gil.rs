//! A simulated global interpreter lock (CPython's GIL): a "Python thread" must hold it to run
//! Python code. The holder lets it go every switch interval (CPython's `sys.getswitchinterval()`,
//! 5 ms) and whenever it waits for I/O; a thread that wants it waits in line. It is a fair
//! mutex underneath, so at each let-go the longest waiter takes it: every hand-over is an
//! event, and the panels show its holder and its waiters.

use super::mutex::{Mutex, MutexGuard};
use crate::engine::cpu;
use crate::engine::event::{ResourceKind, Rid};
use std::time::Duration;

pub struct Gil {
    lock: Mutex<()>,
    switch_interval: Duration,
}

/// Held: this thread may run Python code until it drops the guard.
pub type GilGuard<'a> = MutexGuard<'a, ()>;

impl Gil {
    /// The interpreter's lock, named "GIL", let go every `switch_interval` of lesson time.
    pub fn new(switch_interval: Duration) -> Gil {
        Gil {
            lock: Mutex::new_kind("GIL", (), ResourceKind::Gil),
            switch_interval,
        }
    }

    /// Wait for the GIL and take it.
    #[track_caller]
    pub fn acquire(&self) -> GilGuard<'_> {
        self.lock.lock()
    }

    /// How many loops of Python code fit in one switch interval: the most a thread runs
    /// before it lets the GIL go.
    pub fn loops_per_switch(&self) -> u64 {
        cpu::loops_for(self.switch_interval).max(1)
    }

    pub fn rid(&self) -> Rid {
        self.lock.rid()
    }
}
