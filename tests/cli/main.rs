//! The command line, the lesson files and the timing records.

#[path = "../support/mod.rs"]
mod support;

mod cli;
mod content;
mod explore;
mod lang;
mod record;
mod words;
