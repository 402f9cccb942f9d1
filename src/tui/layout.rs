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
    /// The result box (a deadlock, a prediction revealed, a challenge met), under the lanes:
    /// it takes the log's rows, then the panel's, then timeline rows no lane needs.
    pub results: Option<Rect>,
    pub compact: bool,
}

pub(crate) fn lesson(app: &App, area: Rect) -> LessonAreas {
    if app.present {
        return present(app, area);
    }
    let compact = compact(area);
    let border = if compact { 1 } else { 2 };
    let header = Rect::new(area.x, area.y, area.width, 1);
    let footer = Rect::new(area.x, area.bottom().saturating_sub(1), area.width, 1);
    let rows = app.entry().results.len().max(1) as u16;
    let stepping = view::threads::shown(app);
    // Stepping at a small size, the lanes and the threads panel need the rows more than the
    // timings (they come back when the run is over).
    let timings_h = if compact && stepping {
        0
    } else {
        border + 1 + rows.min(if compact { 3 } else { 6 })
    };
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
    let results_want = results_height(app, right_w);
    let (text, resources, timeline, log, results) = if compact {
        let mut res_h = (1 + res_lines).min(max_compact);
        let mut log_h = if stepping {
            view::threads::lower_height(app, body_h.saturating_sub(res_h), 3, true)
        } else {
            4
        };
        // Stepping, every lane before the log, as far as it can give way (the panel keeps its rows).
        let lanes_want = lanes_height(app, right_w, true);
        let mut tl_h = body_h.saturating_sub(res_h + log_h);
        if stepping && lanes_want > tl_h {
            let give_log = log_h.saturating_sub(5).min(lanes_want - tl_h);
            log_h -= give_log;
            tl_h += give_log;
        }
        // Stepping, rows no lane needs go to the threads panel and the log.
        if stepping && tl_h > lanes_want.max(4) {
            log_h += tl_h - lanes_want.max(4);
            tl_h = lanes_want.max(4);
        }
        // The result box under the lanes: the log's rows, then lanes it can spare.
        let mut results_h = 0;
        if results_want > 0 {
            let keep = lanes_kept(app, right_w, true).min(lanes_want);
            let keep = scrolled_anyway(keep, lanes_want, tl_h);
            let spare_tl = tl_h.saturating_sub(keep.min(tl_h).max(4));
            // The lesson's panel keeps its rows: it often shows what the result says.
            let from_log = log_h.min(results_want);
            let from_tl = spare_tl.min(results_want - from_log);
            let from_res = 0;
            log_h -= from_log;
            res_h -= from_res;
            tl_h -= from_tl;
            results_h = from_log + from_res + from_tl;
        }
        let y_res = body_top + tl_h;
        (
            Rect::new(area.x, body_top, left_w, body_h),
            Rect::new(right_x, y_res + results_h, right_w, res_h),
            Rect::new(right_x, body_top, right_w, tl_h),
            Rect::new(right_x, y_res + results_h + res_h, right_w, log_h),
            (results_h > 0).then(|| Rect::new(right_x, y_res, right_w, results_h)),
        )
    } else {
        let res_h = (2 + res_lines).min(max_wide);
        let text_h = body_h.saturating_sub(res_h);
        let log_h = if stepping {
            view::threads::lower_height(app, body_h, (body_h / 3).max(6), false)
        } else {
            (body_h / 3).max(6)
        };
        let mut log_h = log_h;
        let mut tl_h = body_h.saturating_sub(log_h);
        let mut results_h = 0;
        if results_want > 0 {
            // Rows no lane uses, then the log's, then lanes a deadlock's cycle can spare.
            let all = lanes_height(app, right_w, false);
            let unused = tl_h.saturating_sub(all.max(6)).min(results_want);
            tl_h -= unused;
            let keep = lanes_kept(app, right_w, false);
            let keep = scrolled_anyway(keep, all, tl_h);
            let from_log = log_h.min(results_want - unused);
            let spare_tl = tl_h.saturating_sub(keep.min(tl_h).max(6));
            let from_tl = spare_tl.min(results_want - unused - from_log);
            log_h -= from_log;
            tl_h -= from_tl;
            results_h = unused + from_log + from_tl;
        }
        (
            Rect::new(area.x, body_top, left_w, text_h),
            Rect::new(area.x, body_top + text_h, left_w, res_h),
            Rect::new(right_x, body_top, right_w, tl_h),
            Rect::new(right_x, body_top + tl_h + results_h, right_w, log_h),
            (results_h > 0).then(|| Rect::new(right_x, body_top + tl_h, right_w, results_h)),
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
        results,
        compact,
    }
}

/// Presenter mode: the step text on the left, the timeline over the lesson's panel on the
/// right (the threads panel between them while stepping), the result box under the lanes;
/// no header, log or timings. Borders are title rules, to give the text every row.
fn present(app: &App, area: Rect) -> LessonAreas {
    let footer = Rect::new(area.x, area.bottom().saturating_sub(1), area.width, 1);
    let body_h = area.height.saturating_sub(1);
    let left_w = (area.width * 9 / 20).clamp(34, 70);
    let right_x = area.x + left_w + 1;
    let right_w = area.width.saturating_sub(left_w + 1);
    let own = crate::tui::panel::height(app, right_w as usize, true);
    let res_lines =
        own.unwrap_or_else(|| view::resources::height(app, right_w as usize, true)) as u16;
    let mut res_h = (1 + res_lines).min(body_h / 3);
    let mut lower_h = if view::threads::shown(app) {
        view::threads::lower_height(app, body_h.saturating_sub(res_h), 0, true)
    } else {
        0
    };
    let lanes_want = lanes_height(app, right_w, true);
    let mut tl_h = body_h.saturating_sub(res_h + lower_h);
    let results_want = results_height(app, right_w);
    let mut results_h = 0;
    if results_want > 0 {
        let unused = tl_h.saturating_sub(lanes_want.max(4)).min(results_want);
        tl_h -= unused;
        let from_res = res_h.min(results_want - unused);
        res_h -= from_res;
        let from_lower = lower_h.min(results_want - unused - from_res);
        lower_h -= from_lower;
        let keep = scrolled_anyway(lanes_kept(app, right_w, true), lanes_want, tl_h);
        let spare_tl = tl_h.saturating_sub(keep.min(tl_h).max(4));
        let from_tl = spare_tl.min(results_want - unused - from_res - from_lower);
        tl_h -= from_tl;
        results_h = unused + from_res + from_lower + from_tl;
    }
    let y = area.y;
    LessonAreas {
        header: Rect::new(area.x, y, area.width, 0),
        text: Rect::new(area.x, y, left_w, body_h),
        timeline: Rect::new(right_x, y, right_w, tl_h),
        results: (results_h > 0).then(|| Rect::new(right_x, y + tl_h, right_w, results_h)),
        log: Rect::new(right_x, y + tl_h + results_h, right_w, lower_h),
        resources: Rect::new(right_x, y + tl_h + results_h + lower_h, right_w, res_h),
        timings: Rect::new(area.x, footer.y, area.width, 0),
        footer,
        compact: true,
    }
}

/// Rows the result box wants at `width` (borders included), 0 when there is none.
fn results_height(app: &App, width: u16) -> u16 {
    let n = view::lesson::result_lines(app, width.saturating_sub(2) as usize).len();
    if n == 0 { 0 } else { n as u16 + 2 }
}

/// Lanes that do not all fit scroll anyway: then the result box may take up to half of the
/// timeline (the first lanes stay in sight).
fn scrolled_anyway(keep: u16, all: u16, tl_h: u16) -> u16 {
    if all > tl_h {
        keep.min((tl_h / 2).max(6))
    } else {
        keep
    }
}

/// Rows the timeline keeps beside a result box: every lane, but in a deadlock only the
/// threads of its cycle (they come first; the others scroll).
fn lanes_kept(app: &App, width: u16, compact: bool) -> u16 {
    let all = lanes_height(app, width, compact);
    let Some(r) = &app.run else {
        return all;
    };
    let Some(d) = &r.trace.deadlock else {
        return all;
    };
    let links = if d.cycle.is_empty() {
        &d.stuck
    } else {
        &d.cycle
    };
    let hidden = r.trace.threads.len().saturating_sub(links.len().max(2)) as u16;
    // One more line under the lanes says which are shown.
    all.saturating_sub(hidden) + u16::from(hidden > 0)
}

/// Rows the timeline wants to show every lane (its frame included).
fn lanes_height(app: &App, width: u16, compact: bool) -> u16 {
    let border = if compact { 1 } else { 2 };
    match &app.run {
        Some(r) => {
            view::timeline::rows_wanted(app, r, width.saturating_sub(border), compact) as u16
                + border
        }
        None => 4,
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
