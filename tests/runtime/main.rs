//! The instrumented runtime on its own: runs, scheduling, deadlocks, cancelling, primitives.

#[path = "../support/mod.rs"]
mod support;

mod engine;
mod primitives;
