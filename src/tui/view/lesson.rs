//! The lesson screen: its layout, the step text, and the deadlock banner.

use super::{challenges, question, source, threads};
use super::{footer, header, log, panel, resources, timeline, timings};
use crate::tui::Left;
use crate::tui::app::App;
use crate::tui::layout::{self, LessonAreas};
use crate::tui::theme;
use crate::tui::wrap;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let a = layout::lesson(app, area);
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
    for l in wrap::wrap(&w.run_line(&title), width) {
        lines.push(Line::styled(l, theme::key()));
    }
    if let Some(p) = challenges::changed_params(app) {
        for l in wrap::wrap(&app.sw().with_params(&p), width) {
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

fn text_panel(app: &App, frame: &mut Frame, a: &LessonAreas) {
    let w = app.words();
    let (step, of) = app.step();
    let mut title = vec![Span::raw(format!(" {} ", w.step_of(step + 1, of)))];
    let lines = text_lines(
        app,
        layout::text_inner(a).width.saturating_sub(1) as usize,
        a.compact,
    );
    let inner = layout::text_inner(a);
    let scroll = app
        .text_scroll
        .min(lines.len().saturating_sub(inner.height as usize));
    if lines.len() > inner.height as usize {
        title.push(Span::styled(format!("{} ", w.more_below()), theme::dim()));
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
        (w.stuck_title(), &d.stuck)
    } else {
        (w.deadlock_title(), &d.cycle)
    };
    let mut lines: Vec<Line> = wrap::wrap(title, width)
        .into_iter()
        .map(|l| Line::styled(l, theme::banner()))
        .collect();
    for l in links {
        let waits_for = l.awaited.text(app.lang);
        let text = if l.holds.is_empty() {
            format!("{} {} {waits_for}", l.thread, w.waits_for())
        } else {
            format!(
                "{} {} {}, {} {waits_for}",
                l.thread,
                w.holds(),
                l.holds.join(" + "),
                w.waits_for(),
            )
        };
        for t in wrap::wrap(&format!("• {text}"), width) {
            lines.push(Line::styled(t, theme::banner()));
        }
    }
    for t in wrap::wrap(w.press_r_to_reset(), width) {
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
