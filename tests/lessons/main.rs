//! Every lesson: the checks every variant of every lesson must pass (in `generic`), then what is
//! particular to each lesson, one module per lesson.

#[path = "../support/mod.rs"]
mod support;

mod challenges;
mod daemon;
mod deadlock;
mod event_loop;
mod generic;
mod gil;
mod kettle;
mod lock_vs_join;
mod master_worker;
mod processes;
mod producer_consumer;
mod queues;
mod semaphore;
mod thread_local;
mod tickets;
