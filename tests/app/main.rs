//! The screen, the keys and the terminal: sessions driven by keys and read from a `TestBackend`,
//! the timing views, the classroom recording, random key sequences, and the real terminal in tmux.

#[path = "../support/mod.rs"]
mod support;

mod cast;
mod chinese;
mod classroom;
mod compare;
mod explorer;
mod fuzz;
mod steps;
mod terminal;
mod tui;
