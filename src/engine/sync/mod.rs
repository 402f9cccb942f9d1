//! Instrumented synchronisation primitives. Each looks like its std counterpart and records
//! every operation as an event.

mod mutex;
mod shared;

pub use mutex::{Mutex, MutexGuard};
pub use shared::Shared;
