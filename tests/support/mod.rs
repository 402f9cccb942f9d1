//! What the test crates share: driving the app headless, running a lesson's variants, small
//! demos for the runtime, and reading asciicast files.

#![allow(dead_code)] // each crate uses some of it

pub mod asciicast;
pub mod demos;
pub mod lesson;
pub mod screen;

/// This process's children, still alive or not yet reaped, from /proc: what a run must leave
/// none of.
pub fn children() -> Vec<u32> {
    let me = std::process::id();
    let mut out = Vec::new();
    for task in std::fs::read_dir(format!("/proc/{me}/task"))
        .unwrap()
        .flatten()
    {
        let list = std::fs::read_to_string(task.path().join("children")).unwrap_or_default();
        out.extend(
            list.split_whitespace()
                .filter_map(|p| p.parse::<u32>().ok()),
        );
    }
    out
}
