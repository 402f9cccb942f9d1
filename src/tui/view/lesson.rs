//! The lesson screen: its layout, the step text, and the result box (a deadlock, a prediction
//! revealed, a challenge met).

use super::{challenges, params, question, source, threads};
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
use ratatui::widgets::{Block, Clear, Paragraph};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let a = layout::lesson(app, area);
    if a.header.height > 0 {
        header::lesson(app, frame, a.header);
    }
    match app.left_panel() {
        Left::Text => text_panel(app, frame, &a),
        Left::Source => source::render(app, frame, a.text, a.compact),
        Left::Challenges => challenges::render(app, frame, a.text, a.compact),
        Left::Params => params::render(app, frame, a.text, a.compact),
    }
    if !crate::tui::panel::render(app, frame, a.resources, a.compact) {
        resources::render(app, frame, a.resources, a.compact);
    }
    timeline::render(app, frame, a.timeline, a.compact);
    if app.present {
        // The threads panel alone in the log's place: no log in presenter mode.
        if threads::shown(app) && a.log.height > 0 {
            threads::render(app, frame, a.log, a.compact);
        }
    } else if threads::shown(app) {
        let (t, l) = threads::split(app, a.log, a.compact);
        threads::render(app, frame, t, a.compact);
        log::render(app, frame, l, a.compact);
    } else {
        log::render(app, frame, a.log, a.compact);
    }
    if a.timings.height > 0 {
        timings::render(app, frame, a.timings, a.compact);
    }
    footer::render(app, frame, a.footer);
    if let Some(r) = a.results {
        results(app, frame, r);
    }
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
    if app.present {
        // No header in presenter mode: the lesson's name goes here.
        title.push(Span::styled(
            format!("· {} ", app.entry().text.title.get(app.lang)),
            theme::key(),
        ));
    }
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
    let mut shown: Vec<Line> = lines.into_iter().skip(scroll).collect();
    if app.present {
        // Read from the back of the room: every word bold.
        shown = shown
            .into_iter()
            .map(|l| l.patch_style(theme::title()))
            .collect();
    }
    frame.render_widget(Paragraph::new(shown).block(block), a.text);
}

/// A result waits to be read: a deadlock, a prediction revealed, a challenge met (until `d`).
pub(crate) fn has_results(app: &App) -> bool {
    !app.results_hidden
        && (app.run.as_ref().is_some_and(|r| r.trace.deadlock.is_some())
            || app.study.reveal.is_some()
            || !app.study.celebrate.is_empty())
}

/// The result box's lines at `width`: who holds what and waits for what in a deadlock, the
/// prediction revealed, the challenges met.
pub(crate) fn result_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    if !has_results(app) {
        return Vec::new();
    }
    let mut lines = deadlock_lines(app, width);
    let more = question::banner_lines(app, width);
    if !lines.is_empty() && !more.is_empty() {
        lines.push(Line::default());
    }
    lines.extend(more);
    lines
}

/// The result box: a place of its own under the lanes (see `layout`), never over them.
fn results(app: &App, frame: &mut Frame, area: Rect) {
    let lines = result_lines(app, area.width.saturating_sub(2) as usize);
    if lines.is_empty() || area.height < 3 {
        return;
    }
    let deadlock = app.run.as_ref().is_some_and(|r| r.trace.deadlock.is_some());
    let border = if deadlock {
        theme::alarm()
    } else {
        question::border_style(app)
    };
    let hide = app.words().results_hide();
    let block = Block::bordered()
        .border_style(border)
        .title_bottom(Line::styled(
            format!(
                " {} ",
                wrap::truncate(hide, area.width.saturating_sub(4) as usize)
            ),
            theme::dim(),
        ));
    // Short of rows (a small screen): no frame, every row for the words.
    let framed = lines.len() + 2 <= area.height as usize;
    let inner = if framed { block.inner(area) } else { area };
    let room = inner.height as usize;
    let mut shown: Vec<Line> = lines.into_iter().collect();
    if shown.len() > room {
        // Cut at a whole line, and say so.
        shown.truncate(room.saturating_sub(1));
        shown.push(Line::styled("…", theme::dim()));
    }
    frame.render_widget(Clear, area);
    if framed {
        frame.render_widget(Paragraph::new(shown).block(block), area);
    } else {
        frame.render_widget(Paragraph::new(shown), area);
    }
}

/// Who holds what and waits for what, when the run is stuck.
fn deadlock_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let Some(d) = app.run.as_ref().and_then(|r| r.trace.deadlock.as_ref()) else {
        return Vec::new();
    };
    let w = app.words();
    // Narrow, the word alone: the links say the rest.
    let narrow = width < 50;
    let (title, links) = match (d.cycle.is_empty(), narrow) {
        (true, false) => (w.stuck_title(), &d.stuck),
        (true, true) => (w.stuck(), &d.stuck),
        (false, false) => (w.deadlock_title(), &d.cycle),
        (false, true) => (w.deadlock(), &d.cycle),
    };
    let mut lines: Vec<Line> = wrap::wrap(&format!("⊗ {title}"), width)
        .into_iter()
        .map(|l| Line::styled(l, theme::alarm()))
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
            lines.push(Line::raw(t));
        }
    }
    for t in wrap::wrap(w.press_r_to_reset(), width) {
        lines.push(Line::styled(t, theme::dim()));
    }
    lines
}
