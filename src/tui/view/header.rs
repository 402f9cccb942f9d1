//! The top line: which lesson, how the next or current run is set up, and how it is going.

use crate::engine::Mode;
use crate::engine::trace::fmt_ns;
use crate::tui::app::{App, Current};
use crate::tui::theme;
use crate::tui::wrap;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn menu(app: &App, frame: &mut Frame, area: Rect) {
    let line = Line::from(vec![
        Span::styled(" lockstep ", theme::title().fg(Color::Cyan)),
        Span::styled(app.words().app_tagline(), theme::dim()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

/// The run's state in a word, with its colour.
pub fn status(app: &App) -> (String, Style) {
    let w = app.words();
    let Some(r) = &app.run else {
        return (w.idle().into(), theme::dim());
    };
    let bold = Style::new().add_modifier(Modifier::BOLD);
    if let Some(d) = &r.trace.deadlock {
        let word = if d.cycle.is_empty() {
            w.stuck()
        } else {
            w.deadlock()
        };
        return (word.into(), theme::banner());
    }
    if r.over() && r.raised() {
        return (w.raised().into(), theme::banner());
    }
    if r.over() {
        if !r.judged && r.trace.finished {
            return (w.judging().into(), bold.fg(Color::Green));
        }
        if !r.trace.finished {
            return (w.cancelled().into(), bold.fg(Color::Magenta));
        }
        return (w.finished().into(), bold.fg(Color::Green));
    }
    match r.mode {
        Mode::Live if r.status.paused => (w.paused().into(), bold.fg(Color::Yellow)),
        Mode::Step if r.status.awaiting_pick => (w.waiting_for_n().into(), bold.fg(Color::Cyan)),
        Mode::Step => (w.moving().into(), bold.fg(Color::Cyan)),
        _ => (w.running().into(), bold.fg(Color::Yellow)),
    }
}

pub fn lesson(app: &App, frame: &mut Frame, area: Rect) {
    let w = app.words();
    let e = app.entry();
    // What the header describes: the run on screen, or the settings for the next one.
    let (mode, scale, seed) = match &app.run {
        Some(r) => (r.mode, r.scale, r.seed.or(app.seed)),
        None => (app.mode, app.scale, app.seed),
    };
    let seed = seed.map_or(w.seed_fresh().to_string(), |s| s.to_string());
    let (word, style) = status(app);
    let elapsed = app
        .run
        .as_ref()
        .map_or(String::new(), |r: &Current| fmt_ns(r.now_ns()));
    let sep = || Span::styled(" │ ", theme::border());
    let mut right = vec![
        sep(),
        Span::styled(format!("{} ", w.mode_label()), theme::dim()),
        Span::raw(w.mode(mode)),
        sep(),
        Span::styled(format!("{} ", w.scale()), theme::dim()),
        Span::raw(format_scale(scale)),
        sep(),
        Span::styled(format!("{} ", w.seed()), theme::dim()),
        Span::raw(seed),
        sep(),
        Span::styled(format!(" {word} "), style),
    ];
    if !elapsed.is_empty() {
        right.push(Span::raw(format!(" {elapsed}")));
    }
    // Parameters away from the lesson's defaults, so a changed run never passes unnoticed.
    if let Some(p) = super::challenges::changed_params_short(app) {
        right.insert(
            0,
            Span::styled(format!("{} ", app.sw().params_short()), theme::dim()),
        );
        right.insert(1, Span::styled(p, theme::key()));
        right.insert(0, sep());
    }
    if app
        .run
        .as_ref()
        .is_some_and(|r| r.mode != mode || r.scale != app.scale)
    {
        // The next run will differ from the one on screen: say so.
        right.push(sep());
        right.push(Span::styled(
            w.next_run(w.mode(app.mode), &format_scale(app.scale)),
            theme::dim(),
        ));
    }
    // Too little room for the lesson's name: the labels go first, then the seed (the
    // timings keep it). The parameters stay: a changed run must never pass unnoticed.
    let full_title = wrap::width(e.text.title.get(app.lang)) + 1;
    let width_of = |r: &[Span]| r.iter().map(|s| s.width()).sum::<usize>();
    let labels = [
        format!("{} ", app.sw().params_short()),
        format!("{} ", w.mode_label()),
        format!("{} ", w.scale()),
    ];
    for label in &labels {
        if (area.width as usize).saturating_sub(width_of(&right)) > full_title {
            break;
        }
        right.retain(|s| s.content != label.as_str());
    }
    if (area.width as usize).saturating_sub(width_of(&right)) <= full_title
        && let Some(at) = right
            .iter()
            .position(|s| s.content == format!("{} ", w.seed()))
    {
        right.drain(at.saturating_sub(1)..at + 2);
    }
    let right_w: usize = right.iter().map(|s| s.width()).sum();
    let title_room = (area.width as usize).saturating_sub(right_w + 1);
    let title = wrap::truncate(&format!(" {}", e.text.title.get(app.lang)), title_room);
    let mut spans = vec![Span::styled(title, theme::title().fg(Color::Cyan))];
    spans.extend(right);
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// 0.01 → "0.01", 0.0025 → "0.0025", 2 → "2".
pub fn format_scale(s: f64) -> String {
    let text = format!("{s:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.to_string()
}
