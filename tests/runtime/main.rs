//! The instrumented runtime on its own: runs, scheduling, deadlocks, cancelling, primitives,
//! and its words in either language.

#[path = "../support/mod.rs"]
mod support;

mod aio;
mod datafile;
mod engine;
mod ipc;
mod pages;
mod primitives;
mod processes;
mod python;
mod threading;
mod words;
