//! The lesson screen: its layout, the step text, and the deadlock banner.

use super::{challenges, question, source, threads};
use super::{compact, footer, header, log, panel, resources, timeline, timings};
use crate::tui::Left;
use crate::tui::app::App;
use crate::tui::theme;
use crate::tui::wrap;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

/// Where each panel goes (outer rectangles, borders included).
pub(crate) struct Areas {
    pub header: Rect,
    pub text: Rect,
    pub resources: Rect,
    pub timeline: Rect,
    pub log: Rect,
    pub timings: Rect,
    pub footer: Rect,
    pub compact: bool,
}

pub(crate) fn areas(app: &App, area: Rect) -> Areas {
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
    let stepping = threads::shown(app);
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
        own.unwrap_or_else(|| resources::height(app, res_width as usize, compact)) as u16;
    let (max_compact, max_wide) = if own.is_some() { (8, 16) } else { (4, 9) };
    let (text, resources, timeline, log) = if compact {
        let res_h = (1 + res_lines).min(max_compact);
        let log_h = if stepping {
            threads::lower_height(app, body_h.saturating_sub(res_h), 4, true)
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
            threads::lower_height(app, body_h, (body_h / 3).max(6), false)
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
    Areas {
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

/// The app's idea of the screen, for scrolling limits.
pub(crate) fn app_areas(app: &App) -> Areas {
    areas(app, Rect::new(0, 0, app.size.0, app.size.1))
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let a = areas(app, area);
    header::lesson(app, frame, a.header);
    match app.left_panel() {
        Left::Text => text_panel(app, frame, &a),
        Left::Source => source::render(app, frame, a.text, a.compact),
        Left::Challenges => challenges::render(app, frame, a.text, a.compact),
    }
    if !crate::tui::panel::render(app, frame, a.resources, a.compact) {
        resources::render(app, frame, a.resources, a.compact);
    }
    timeline::render(app, frame, a.timeline, a.compact);
    if threads::shown(app) {
        let (t, l) = threads::split(app, a.log, a.compact);
        threads::render(app, frame, t, a.compact);
        log::render(app, frame, l, a.compact);
    } else {
        log::render(app, frame, a.log, a.compact);
    }
    timings::render(app, frame, a.timings, a.compact);
    footer::render(app, frame, a.footer);
    let used = deadlock_banner(app, frame, a.timeline);
    let below = Rect {
        y: a.timeline.y + used,
        height: a.timeline.height.saturating_sub(used),
        ..a.timeline
    };
    question::banners(app, frame, below);
}

/// The step text, wrapped, with inline `code` in colour; then what Enter runs.
pub(crate) fn text_lines(app: &App, width: usize, compact: bool) -> Vec<Line<'static>> {
    let e = app.entry();
    let mut lines: Vec<Line> = challenges::strip(app, width);
    if let Some(step) = e.text.steps.get(e.step) {
        let mut in_code = false;
        for l in wrap::wrap(step.text.get(app.lang), width) {
            lines.push(code_spans(&l, &mut in_code));
        }
    }
    lines.extend(question::text_lines(app, width));
    lines.push(Line::default());
    let w = app.words();
    let variant = e.text.variants.get(e.variant);
    let title = variant.map_or(String::new(), |v| v.title.get(app.lang).to_string());
    let run_line = format!("▶ {}: {title} ({})", w.runs, w.change_with_v);
    for l in wrap::wrap(&run_line, width) {
        lines.push(Line::styled(l, theme::key()));
    }
    if let Some(p) = challenges::changed_params(app) {
        for l in wrap::wrap(&format!("{} {p}", app.sw().with_params), width) {
            lines.push(Line::styled(l, theme::key()));
        }
    }
    // The variant's description too when there is room (the menu shows it as well).
    if let Some(v) = variant.filter(|_| !compact) {
        for l in wrap::wrap(v.about.get(app.lang), width) {
            lines.push(Line::styled(l, theme::dim()));
        }
    }
    lines
}

/// Colour the text between backticks (a flag carries an open span over to the next line).
fn code_spans(line: &str, in_code: &mut bool) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, part) in line.split('`').enumerate() {
        if i > 0 {
            *in_code = !*in_code;
        }
        if part.is_empty() {
            continue;
        }
        let style = if *in_code {
            theme::code()
        } else {
            Style::new()
        };
        spans.push(Span::styled(part.to_string(), style));
    }
    Line::from(spans)
}

fn text_inner(a: &Areas) -> Rect {
    panel("", a.compact).inner(a.text)
}

pub(crate) fn max_text_scroll(app: &App) -> usize {
    let a = app_areas(app);
    let inner = text_inner(&a);
    let n = text_lines(app, inner.width.saturating_sub(1) as usize, a.compact).len();
    n.saturating_sub(inner.height as usize)
}

fn text_panel(app: &App, frame: &mut Frame, a: &Areas) {
    let w = app.words();
    let (step, of) = app.step();
    let mut title = vec![Span::raw(format!(" {} ", w.step_of(step + 1, of)))];
    let lines = text_lines(
        app,
        text_inner(a).width.saturating_sub(1) as usize,
        a.compact,
    );
    let inner = text_inner(a);
    let scroll = app
        .text_scroll
        .min(lines.len().saturating_sub(inner.height as usize));
    if lines.len() > inner.height as usize {
        title.push(Span::styled(format!("({}) ", w.more_below), theme::dim()));
    }
    let block = panel(Line::from(title), a.compact);
    let shown: Vec<Line> = lines.into_iter().skip(scroll).collect();
    frame.render_widget(Paragraph::new(shown).block(block), a.text);
}

/// A red box over the top of the timeline naming who holds what and waits for what; the
/// rows it takes from the top of `area`.
fn deadlock_banner(app: &App, frame: &mut Frame, area: Rect) -> u16 {
    let Some(d) = app.run.as_ref().and_then(|r| r.trace.deadlock.as_ref()) else {
        return 0;
    };
    let w = app.words();
    let width = area.width.saturating_sub(4) as usize;
    let (title, links) = if d.cycle.is_empty() {
        (w.stuck_title, &d.stuck)
    } else {
        (w.deadlock_title, &d.cycle)
    };
    let mut lines: Vec<Line> = wrap::wrap(title, width)
        .into_iter()
        .map(|l| Line::styled(l, theme::banner()))
        .collect();
    for l in links {
        let waits_for = l.awaited.text(app.lang);
        let text = if l.holds.is_empty() {
            format!("{} {} {waits_for}", l.thread, w.waits_for)
        } else {
            format!(
                "{} {} {}, {} {waits_for}",
                l.thread,
                w.holds,
                l.holds.join(" + "),
                w.waits_for,
            )
        };
        for t in wrap::wrap(&format!("• {text}"), width) {
            lines.push(Line::styled(t, theme::banner()));
        }
    }
    for t in wrap::wrap(w.press_r_to_reset, width) {
        lines.push(Line::styled(t, theme::banner()));
    }
    let h = (lines.len() as u16 + 2).min(area.height.saturating_sub(1));
    let rect = Rect::new(area.x + 1, area.y + 1, area.width.saturating_sub(2), h);
    frame.render_widget(Clear, rect);
    let block = ratatui::widgets::Block::bordered()
        .border_style(theme::banner())
        .style(theme::banner());
    frame.render_widget(Paragraph::new(lines).block(block), rect);
    h + 1
}
