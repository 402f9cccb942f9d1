//! lockstep: a terminal app that teaches concurrency by running it on real OS threads.
//!
//! Layers: `engine` (the instrumented runtime, knows nothing of the terminal), `lessons`
//! (one folder per lesson: demo code, checks, panel), `content` (lesson texts from
//! `lessons/*.toml`), `words` (every word the program shows, in English and Chinese), `tui`
//! (the screen).

pub mod challenges;
pub mod child;
pub mod chrome_trace;
pub mod cli;
pub mod content;
pub mod engine;
pub mod explore;
pub mod files;
pub mod lessons;
pub mod params;
pub mod progress;
pub mod record;
pub mod runner;
pub mod schedule;
pub mod shown;
pub mod tui;
pub mod words;
