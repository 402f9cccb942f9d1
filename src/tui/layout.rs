//! Where everything goes at the screen's size: the regions of the lesson screen, and what fits
//! in them (the step text's rows, the timeline's lanes, the history's rows, the source's
//! lines). The model asks here to keep its scrolls within what can be seen; the view draws in
//! the same regions. A region sized by its content (a lesson's panel, the step text) is
//! measured with the builder the view draws it with.

use super::app::App;
use super::study::Left;
use super::view;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders};

/// The smallest screen the layout works in: (width, height).
pub const MIN_SIZE: (u16, u16) = (80, 24);

/// At this size and above, panels get full borders and more room.
const WIDE: (u16, u16) = (110, 32);

/// Whether the screen is too small for the roomy layout.
pub(crate) fn compact(area: Rect) -> bool {
    area.width < WIDE.0 || area.height < WIDE.1
}

/// The whole screen at the app's size.
pub(crate) fn screen(app: &App) -> Rect {
    Rect::new(0, 0, app.size.0, app.size.1)
}

/// A panel's inside: full borders when there is room, a title rule when compact.
pub(crate) fn inner(area: Rect, compact: bool) -> Rect {
    let block = if compact {
        Block::new().borders(Borders::TOP)
    } else {
        Block::bordered()
    };
    block.inner(area)
}

/// Where each panel goes (outer rectangles, borders included).
pub(crate) struct LessonAreas {
    pub header: Rect,
    pub text: Rect,
    pub resources: Rect,
    pub timeline: Rect,
    pub log: Rect,
    pub timings: Rect,
    pub footer: Rect,
    pub compact: bool,
}

pub(crate) fn lesson(app: &App, area: Rect) -> LessonAreas {
    let compact = compact(area);
    let border = if compact { 1 } else { 2 };
    let header = Rect::new(area.x, area.y, area.width, 1);
    let footer = Rect::new(area.x, area.bottom().saturating_sub(1), area.width, 1);
    let rows = app.entry().results.len().max(1) as u16;
    let timings_h = border + 1 + rows.min(if compact { 3 } else { 6 });
    let body_top = area.y + 1;
    let body_h = area.height.saturating_sub(2 + timings_h);
    let timings = Rect::new(area.x, body_top + body_h, area.width, timings_h);

    // The source wants more width than the step text.
    let source = app.left_panel() == Left::Source;
    let left_w = match (compact, source) {
        (true, false) => (area.width / 2).clamp(34, 50),
        (true, true) => (area.width * 11 / 20).clamp(34, 60),
        (false, false) => (area.width * 2 / 5).clamp(40, 64),
        (false, true) => (area.width * 11 / 20).clamp(40, 90),
    };
    let stepping = view::threads::shown(app);
    let gap = u16::from(compact);
    let right_x = area.x + left_w + gap;
    let right_w = area.width.saturating_sub(left_w + gap);

    let res_width = if compact {
        right_w
    } else {
        left_w.saturating_sub(2)
    };
    // A lesson's own panel takes the resources panel's place, with more room.
    let own = crate::tui::panel::height(app, res_width as usize, compact);
    let res_lines =
        own.unwrap_or_else(|| view::resources::height(app, res_width as usize, compact)) as u16;
    let (max_compact, max_wide) = if own.is_some() { (8, 16) } else { (4, 9) };
    let (text, resources, timeline, log) = if compact {
        let res_h = (1 + res_lines).min(max_compact);
        let log_h = if stepping {
            view::threads::lower_height(app, body_h.saturating_sub(res_h), 4, true)
        } else {
            4
        };
        let tl_h = body_h.saturating_sub(res_h + log_h);
        (
            Rect::new(area.x, body_top, left_w, body_h),
            Rect::new(right_x, body_top + tl_h, right_w, res_h),
            Rect::new(right_x, body_top, right_w, tl_h),
            Rect::new(right_x, body_top + tl_h + res_h, right_w, log_h),
        )
    } else {
        let res_h = (2 + res_lines).min(max_wide);
        let text_h = body_h.saturating_sub(res_h);
        let log_h = if stepping {
            view::threads::lower_height(app, body_h, (body_h / 3).max(6), false)
        } else {
            (body_h / 3).max(6)
        };
        let tl_h = body_h.saturating_sub(log_h);
        (
            Rect::new(area.x, body_top, left_w, text_h),
            Rect::new(area.x, body_top + text_h, left_w, res_h),
            Rect::new(right_x, body_top, right_w, tl_h),
            Rect::new(right_x, body_top + tl_h, right_w, log_h),
        )
    };
    LessonAreas {
        header,
        text,
        resources,
        timeline,
        log,
        timings,
        footer,
        compact,
    }
}

/// The lesson screen at the app's size.
pub(crate) fn lesson_now(app: &App) -> LessonAreas {
    lesson(app, screen(app))
}

pub(crate) fn text_inner(a: &LessonAreas) -> Rect {
    inner(a.text, a.compact)
}

/// Rows of the left panel's text below the panel (0 when it all fits): how far it scrolls.
pub(crate) fn text_overflow(app: &App) -> usize {
    let a = lesson_now(app);
    let inner = text_inner(&a);
    let n = view::lesson::text_lines(app, inner.width.saturating_sub(1) as usize, a.compact).len();
    n.saturating_sub(inner.height as usize)
}

/// How many lanes fit in the timeline now (a page for PgUp/PgDn).
pub(crate) fn visible_lanes(app: &App) -> usize {
    let a = lesson_now(app);
    let area = inner(a.timeline, a.compact);
    match &app.run {
        Some(r) => view::timeline::lanes_that_fit(app, r, area, a.compact),
        None => area.height as usize,
    }
}

/// How many runs the comparison's history shows now.
pub(crate) fn history_rows(app: &App) -> usize {
    view::compare::history_rows(app, screen(app))
}

/// The source panel: the first line shown when following the threads, and the last first
/// line there is.
pub(crate) fn source_tops(app: &App) -> (usize, usize) {
    let a = lesson_now(app);
    view::source::tops(app, a.text, a.compact)
}
