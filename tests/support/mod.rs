//! What the test crates share: driving the app headless, running a lesson's variants, small
//! demos for the runtime, and reading asciicast files.

#![allow(dead_code)] // each crate uses some of it

pub mod asciicast;
pub mod demos;
pub mod lesson;
pub mod screen;
