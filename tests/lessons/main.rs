//! Every lesson: the checks every variant of every lesson must pass (in `generic`), then what is
//! particular to each lesson, one module per lesson.

#[path = "../support/mod.rs"]
mod support;

mod challenges;
mod daemon;
mod deadlock;
mod generic;
mod kettle;
mod lock_vs_join;
mod pools;
mod producer_consumer;
mod queues;
mod semaphore;
