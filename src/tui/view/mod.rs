//! Drawing: every function here reads the app and paints; none changes it.

pub(crate) mod challenges;
mod columns;
pub(crate) mod compare;
mod explorer;
mod footer;
mod header;
mod help;
pub(crate) mod lesson;
mod log;
mod menu;
pub(crate) mod params;
mod question;
pub(crate) mod resources;
pub(crate) mod source;
mod sweep;
pub(crate) mod threads;
pub(crate) mod timeline;
mod timing_parts;
mod timings;

use super::app::{App, Screen};
use super::layout::{MIN_SIZE, compact};
use super::theme;
use super::timing::Pane;
use super::wrap;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        too_small(app, frame, area);
        return;
    }
    match (app.screen, app.pane()) {
        (Screen::Lesson, Some(Pane::Compare)) => compare::render(app, frame, area),
        (Screen::Lesson, Some(Pane::Sweep)) => sweep::render(app, frame, area),
        (Screen::Menu, _) => menu::render(app, frame, area),
        (Screen::Lesson, None) => lesson::render(app, frame, area),
    }
    if app.asking() {
        question::render(app, frame, area);
    }
    if app.screen == Screen::Lesson {
        explorer::render(app, frame, area);
    }
    if app.help {
        match app.pane() {
            Some(_) => timing_parts::help(app, frame, area),
            None => help::render(app, frame, area),
        }
    }
    mend_cut_wide(frame.buffer_mut());
    theme::paint(frame.buffer_mut(), app.look);
}

/// Blank every wide character (a Chinese one, two cells) whose second cell something drawn
/// after it took: the border of a box over Chinese text. A terminal shows a wide character
/// over both cells, and the box's border would be lost under it.
fn mend_cut_wide(buf: &mut Buffer) {
    let area = buf.area;
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right().saturating_sub(1) {
            // Drawing a wide character leaves its second cell blank; anything else there
            // came later.
            if wrap::width(buf[(x, y)].symbol()) > 1 && buf[(x + 1, y)].symbol() != " " {
                buf[(x, y)].set_symbol(" ");
            }
        }
    }
}

fn too_small(app: &App, frame: &mut Frame, area: Rect) {
    let w = app.words();
    let text = format!(
        "{}\n{}",
        w.too_small(),
        w.too_small_sizes(MIN_SIZE.0, MIN_SIZE.1, area.width, area.height)
    );
    let lines: Vec<Line> = wrap::wrap(&text, area.width.max(1) as usize)
        .into_iter()
        .map(Line::from)
        .collect();
    let h = (lines.len() as u16).min(area.height);
    let y = area.y + (area.height - h) / 2;
    let p = Paragraph::new(lines).alignment(Alignment::Center);
    frame.render_widget(p, Rect::new(area.x, y, area.width, h));
}

/// A panel's frame: full borders when there is room, a title rule when compact.
pub(crate) fn panel<'a>(title: impl Into<Line<'a>>, compact: bool) -> Block<'a> {
    let title = title.into().style(theme::title());
    let block = if compact {
        Block::new().borders(Borders::TOP)
    } else {
        Block::bordered()
    };
    block.border_style(theme::border()).title(title)
}

/// " key word · key word " lines fitting `width`, in priority order.
pub(crate) fn key_hints<'a>(keys: &[(&'a str, &'a str)], width: usize) -> Line<'a> {
    let mut spans: Vec<Span> = Vec::new();
    let mut used = 0;
    for (k, what) in keys {
        let piece = wrap::width(k) + 1 + wrap::width(what) + 2;
        if used + piece > width {
            break;
        }
        spans.push(Span::styled(*k, theme::key()));
        spans.push(Span::raw(format!(" {what}  ")));
        used += piece;
    }
    Line::from(spans)
}

/// `s` cut to fit `max` cells, as a span.
pub(crate) fn fit(s: &str, max: usize) -> String {
    wrap::truncate(s, max)
}

#[cfg(test)]
mod tests {
    use super::mend_cut_wide;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    #[test]
    fn a_wide_character_cut_by_a_border_drawn_over_it_gives_way() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 2));
        buf.set_string(0, 0, "中文", Style::new());
        buf.set_string(0, 1, "中文", Style::new());
        buf.set_string(1, 1, "│", Style::new()); // a box's border on 中's second cell
        mend_cut_wide(&mut buf);
        let row = |y| (0..6).map(|x| buf[(x, y)].symbol()).collect::<String>();
        assert_eq!(row(0), "中 文   ", "whole wide characters stay");
        assert_eq!(
            row(1),
            " │文   ",
            "the cut one is blanked, the border shows"
        );
    }
}
