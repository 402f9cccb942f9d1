//! The last line: a note if there is one, then the main keys of the screen.

use crate::engine::Mode;
use crate::tui::Left;
use crate::tui::app::{App, Screen};
use crate::tui::{theme, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let w = app.words();
    let sw = app.sw();
    let keys = if app.help {
        w.footer_help()
    } else {
        match app.screen {
            Screen::Menu => w.footer_menu(),
            Screen::Lesson if app.asking() => sw.footer_asking(),
            Screen::Lesson if app.present => w.footer_present(),
            Screen::Lesson if app.left_panel() == Left::Challenges => sw.footer_challenges(),
            Screen::Lesson if app.left_panel() == Left::Params => sw.footer_params(),
            Screen::Lesson if stepping(app) => w.footer_step(),
            Screen::Lesson if stepped(app) => sw.footer_step_over(),
            Screen::Lesson => w.footer_lesson(),
        }
    };
    let width = area.width as usize;
    let mut spans: Vec<Span> = Vec::new();
    let mut used = 0;
    if let Some(note) = &app.note {
        let note = super::fit(note, width.saturating_sub(2));
        used += wrap::width(&note) + 2;
        spans.push(Span::styled(note, theme::alarm()));
        spans.push(Span::raw("  "));
    }
    // "? help" and "q quit" (the last two) always show, at the right end.
    let (main, last) = keys.split_at(keys.len().saturating_sub(2));
    let right = super::key_hints(last, width.saturating_sub(used));
    let right_w = right.width();
    let left = super::key_hints(main, width.saturating_sub(used + right_w));
    let gap = width.saturating_sub(used + left.width() + right_w);
    spans.extend(left.spans);
    spans.push(Span::raw(" ".repeat(gap)));
    spans.extend(right.spans);
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A step-mode run is waiting for the learner.
fn stepping(app: &App) -> bool {
    app.run
        .as_ref()
        .is_some_and(|r| r.mode == Mode::Step && !r.over())
}

/// A step-mode run is on screen and over: undo and save still apply.
fn stepped(app: &App) -> bool {
    app.run
        .as_ref()
        .is_some_and(|r| r.mode == Mode::Step && r.over())
}
