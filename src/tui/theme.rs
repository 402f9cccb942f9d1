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

/// How the screen is painted: the colours as drawn, or mapped for a light terminal, a
/// projector, or no colour at all (`NO_COLOR`). Every state keeps its glyph in each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Look {
    #[default]
    Dark,
    /// For a terminal with a light background: no white or pale text.
    Light,
    /// For a projector: bright colours, bold text on black.
    Contrast,
    /// No colour at all: bold, reverse and glyphs carry what colour did.
    Mono,
}

impl Look {
    pub const ALL: [Look; 4] = [Look::Dark, Look::Light, Look::Contrast, Look::Mono];

    /// Its name on the command line and in the progress file.
    pub fn name(self) -> &'static str {
        match self {
            Look::Dark => "dark",
            Look::Light => "light",
            Look::Contrast => "contrast",
            Look::Mono => "mono",
        }
    }

    pub fn parse(s: &str) -> Option<Look> {
        Look::ALL.into_iter().find(|l| l.name() == s)
    }

    pub fn next(self) -> Look {
        let i = Look::ALL.iter().position(|l| *l == self).unwrap_or(0);
        Look::ALL[(i + 1) % Look::ALL.len()]
    }

    /// `NO_COLOR` set to anything but nothing asks for no colour (no-color.org).
    pub fn from_env() -> Option<Look> {
        std::env::var_os("NO_COLOR")
            .filter(|v| !v.is_empty())
            .map(|_| Look::Mono)
    }
}

/// Repaint a drawn screen for `look`: each cell's colours mapped, its glyph untouched.
pub fn paint(buf: &mut ratatui::buffer::Buffer, look: Look) {
    if look == Look::Dark {
        return;
    }
    let area = buf.area;
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let cell = &mut buf[(x, y)];
            let (fg, bg) = (cell.fg, cell.bg);
            match look {
                Look::Dark => {}
                Look::Light => {
                    // Text on a coloured box (a banner) keeps its colours.
                    if bg == Color::Reset {
                        cell.fg = light(fg);
                    }
                }
                Look::Contrast => {
                    if bg == Color::Reset {
                        cell.fg = bright(fg);
                        cell.bg = Color::Black;
                    }
                    if cell.symbol() != " " {
                        cell.modifier.insert(Modifier::BOLD);
                    }
                }
                Look::Mono => {
                    if bg != Color::Reset {
                        cell.modifier.insert(Modifier::REVERSED);
                    }
                    if matches!(fg, Color::Red | Color::LightRed) {
                        cell.modifier.insert(Modifier::BOLD);
                    }
                    cell.fg = Color::Reset;
                    cell.bg = Color::Reset;
                }
            }
        }
    }
}

/// A colour that reads on a light background.
fn light(c: Color) -> Color {
    match c {
        Color::White | Color::Gray => Color::Black,
        Color::Yellow | Color::LightYellow => Color::Indexed(94),
        Color::Cyan | Color::LightCyan => Color::Blue,
        Color::Green | Color::LightGreen => Color::Indexed(28),
        Color::LightRed => Color::Red,
        Color::LightMagenta => Color::Magenta,
        Color::LightBlue => Color::Blue,
        other => other,
    }
}

/// A colour that reads from the back of a room, on black.
fn bright(c: Color) -> Color {
    match c {
        Color::Reset | Color::Gray | Color::DarkGray => Color::White,
        Color::Red => Color::LightRed,
        Color::Green => Color::LightGreen,
        Color::Yellow => Color::LightYellow,
        Color::Blue => Color::LightCyan,
        Color::Magenta => Color::LightMagenta,
        Color::Cyan => Color::LightCyan,
        other => other,
    }
}
