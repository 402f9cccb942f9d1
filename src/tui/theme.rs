//! Colours and glyphs. Every state has a glyph as well as a colour, so the timeline reads
//! without colour too (and in snapshot tests).

use crate::engine::ThreadState;
use ratatui::style::{Color, Modifier, Style};

/// The states in legend order, with a representative value for each.
pub const LEGEND: [ThreadState; 9] = [
    ThreadState::Ready,
    ThreadState::Running,
    ThreadState::Sleeping,
    ThreadState::Working,
    ThreadState::Blocked(crate::engine::event::BlockedOn::Thread(crate::engine::Tid(
        0,
    ))),
    ThreadState::Done,
    ThreadState::Cancelled,
    ThreadState::CutOff,
    ThreadState::Raised,
];

pub fn glyph(state: ThreadState) -> &'static str {
    match state {
        ThreadState::Ready => "·",
        ThreadState::Running => "█",
        ThreadState::Sleeping => "─",
        ThreadState::Working => "▓",
        ThreadState::Blocked(_) => "▒",
        ThreadState::Done => "✓",
        ThreadState::Cancelled => "×",
        ThreadState::CutOff => "⊘",
        ThreadState::Raised => "!",
    }
}

pub fn color(state: ThreadState) -> Color {
    match state {
        ThreadState::Ready => Color::Gray,
        ThreadState::Running => Color::Green,
        ThreadState::Sleeping => Color::Blue,
        ThreadState::Working => Color::Yellow,
        ThreadState::Blocked(_) => Color::Red,
        ThreadState::Done => Color::Green,
        ThreadState::Cancelled => Color::Magenta,
        ThreadState::CutOff => Color::DarkGray,
        ThreadState::Raised => Color::LightRed,
    }
}

pub fn state(state: ThreadState) -> Style {
    Style::new().fg(color(state))
}

pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub fn key() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

pub fn code() -> Style {
    Style::new().fg(Color::Cyan)
}

pub fn alarm() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}

pub fn good() -> Style {
    Style::new().fg(Color::Green)
}

pub fn selected() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

pub fn border() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub fn banner() -> Style {
    Style::new()
        .fg(Color::White)
        .bg(Color::Red)
        .add_modifier(Modifier::BOLD)
}

pub fn state_blocked() -> Style {
    state(ThreadState::Blocked(
        crate::engine::event::BlockedOn::Thread(crate::engine::Tid(0)),
    ))
}
