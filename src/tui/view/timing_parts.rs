//! What the comparison and the sweep views share: the header with their two tabs, the line
//! that shows a job's progress (or the last save), the footer, the keys overlay, and the way
//! times and outcomes are written.

use super::{fit, header::format_scale, key_hints};
use crate::engine::Outcome;
use crate::engine::trace::fmt_ns;
use crate::tui::app::App;
use crate::tui::timing::{JobKind, Pane};
use crate::tui::{theme, wrap};
use crate::words::timing::CompareWords;
use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

pub(crate) fn words(app: &App) -> CompareWords {
    CompareWords(app.lang)
}

/// Milliseconds as the rest of the screen writes times: "5.00 ms", "530.0 ms", "3.50 s".
pub(crate) fn ms(v: f64) -> String {
    fmt_ns((v * 1e6).round().max(0.0) as u64)
}

/// "530.0–541.0 ms", or "980.0 ms–1.02 s" when the units differ.
pub(crate) fn range(min: f64, max: f64) -> String {
    let (a, b) = (ms(min), ms(max));
    match (a.rsplit_once(' '), b.rsplit_once(' ')) {
        (Some((x, ua)), Some((y, ub))) if ua == ub => format!("{x}–{y} {ub}"),
        _ => format!("{a}–{b}"),
    }
}

/// "n = 99, lost 99": an outcome of the open lesson in its own words, styled.
pub(crate) fn outcome_text(app: &App, o: &Outcome) -> (String, Style) {
    let (text, alarm) = crate::lessons::outcome_line(app.entry().code, o, app.lang);
    let style = if alarm { theme::alarm() } else { Style::new() };
    (text, style)
}

pub(crate) fn ok_mark(ok: bool) -> (&'static str, Style) {
    if ok {
        ("✓", theme::good())
    } else {
        ("✗", theme::alarm())
    }
}

/// One colour per variant, in the lesson's order.
pub(crate) fn color(i: usize) -> Color {
    const PALETTE: [Color; 6] = [
        Color::Yellow,
        Color::Cyan,
        Color::Magenta,
        Color::Green,
        Color::LightRed,
        Color::LightBlue,
    ];
    PALETTE[i % PALETTE.len()]
}

/// " Race condition: lock vs join   Compare  Sweep  │ scale 0.01 │ seed 7 │ 2 cores".
pub(crate) fn header(app: &App, frame: &mut Frame, area: Rect, pane: Pane) {
    let w = words(app);
    let words = app.words();
    let sep = || Span::styled(" │ ", theme::border());
    let tab = |name: &str, on: bool| {
        if on {
            Span::styled(format!("[{name}]"), theme::key())
        } else {
            Span::styled(format!(" {name} "), theme::dim())
        }
    };
    let seed = app
        .seed
        .map_or(words.seed_fresh().to_string(), |s| s.to_string());
    let right = vec![
        tab(w.compare(), pane == Pane::Compare),
        tab(w.sweep(), pane == Pane::Sweep),
        sep(),
        Span::styled(format!("{} ", words.scale()), theme::dim()),
        Span::raw(format_scale(app.scale)),
        sep(),
        Span::styled(format!("{} ", words.seed()), theme::dim()),
        Span::raw(seed),
        sep(),
        Span::raw(w.cores(app.timing.machine.cores)),
    ];
    let right_w: usize = right.iter().map(|s| s.width()).sum();
    let room = (area.width as usize).saturating_sub(right_w + 2);
    let title = wrap::truncate(&format!(" {}", app.entry().text.title.get(app.lang)), room);
    let gap = (area.width as usize).saturating_sub(wrap::width(&title) + right_w);
    let mut spans = vec![
        Span::styled(title, theme::title().fg(Color::Cyan)),
        Span::raw(" ".repeat(gap.min(2))),
    ];
    spans.extend(right);
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The job going ("recording ██████░░░░ 4/9 lock live · 12 s, 20 s left · Esc cancels"), or
/// else the last save, or else a quiet note on timing.
pub(crate) fn status(app: &App, frame: &mut Frame, area: Rect, pane: Pane) {
    let w = words(app);
    let width = area.width as usize;
    let line = if let Some(j) = &app.timing.job {
        let word = match j.kind {
            JobKind::Record => w.recording(),
            JobKind::Sweep => w.sweeping(),
        };
        let gauge_w = 20.min(width / 5);
        let filled = (j.done * gauge_w).checked_div(j.total).unwrap_or(0);
        let mut text = format!(" {}/{} {}", j.done, j.total, j.label);
        if let Some(seed) = j.seed {
            text.push_str(&w.job_seed(seed));
        }
        text.push_str(&format!(" · {:.0} s", j.elapsed_s));
        if let Some(left) = j.left_s {
            text.push_str(&w.left(left));
        }
        text.push_str(&format!(" · {} · {}", w.esc_cancels(), w.still_screen()));
        Line::from(vec![
            Span::styled(format!("{word} "), theme::key()),
            Span::styled("█".repeat(filled), theme::good()),
            Span::styled("░".repeat(gauge_w - filled), theme::dim()),
            Span::raw(fit(
                &text,
                width.saturating_sub(wrap::width(word) + 1 + gauge_w),
            )),
        ])
    } else if let Some((text, failed)) = &app.timing.saved {
        let style = if *failed {
            theme::alarm()
        } else {
            theme::good()
        };
        Line::styled(fit(text, width), style)
    } else if pane == Pane::Compare {
        let text = w.record_next(app.timing.repeat, &format_scale(app.scale));
        Line::styled(fit(&text, width), theme::dim())
    } else {
        Line::styled(fit(w.clock_note(), width), theme::dim())
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The last line: a note if there is one, then the view's keys.
pub(crate) fn footer(app: &App, frame: &mut Frame, area: Rect, pane: Pane) {
    let w = words(app);
    let editing = app.sweep_setup().is_some_and(|s| s.input.is_some());
    let busy = app.timing.job.is_some();
    let recording_first = pane == Pane::Compare && !busy;
    let keys = if pane == Pane::Sweep && editing {
        w.footer_editing()
    } else if busy {
        w.footer_busy()
    } else if pane == Pane::Compare {
        w.footer_compare()
    } else {
        w.footer_sweep()
    };
    // "record ×3" and "save .md": the recording's runs per variant and the file's format.
    let record = format!("{} ×{}", keys[0].1, app.timing.repeat);
    let save = keys
        .iter()
        .find(|(k, _)| *k == "s")
        .map(|(_, what)| format!("{what} .{}", app.timing.format.ext()))
        .unwrap_or_default();
    let keys: Vec<(&str, &str)> = keys
        .iter()
        .enumerate()
        .map(|(i, (k, what))| match (i, *k) {
            (0, _) if recording_first => (*k, record.as_str()),
            (_, "s") => (*k, save.as_str()),
            _ => (*k, *what),
        })
        .collect();
    let width = area.width as usize;
    let mut spans: Vec<Span> = Vec::new();
    let mut used = 0;
    if let Some(note) = &app.note {
        let note = fit(note, width.saturating_sub(2));
        used += wrap::width(&note) + 2;
        spans.push(Span::styled(note, theme::alarm()));
        spans.push(Span::raw("  "));
    }
    // Everything but the editing keys ends with "? help" and "q quit": keep those at the right.
    let split = if editing { keys.len() } else { keys.len() - 2 };
    let (main, last) = keys.split_at(split);
    let right = key_hints(last, width.saturating_sub(used));
    let right_w = right.width();
    let left = key_hints(main, width.saturating_sub(used + right_w));
    let gap = width.saturating_sub(used + left.width() + right_w);
    spans.extend(left.spans);
    spans.push(Span::raw(" ".repeat(gap)));
    spans.extend(right.spans);
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The keys of the timing views, over them.
pub(crate) fn help(app: &App, frame: &mut Frame, area: Rect) {
    let w = words(app);
    let box_w = area.width.saturating_sub(4).min(76);
    let inner_w = box_w.saturating_sub(4) as usize;
    let key_w = 15;
    let mut lines: Vec<Line> = Vec::new();
    let section = |title: &str, keys: &[(&str, &str)], lines: &mut Vec<Line>| {
        lines.push(Line::styled(title.to_string(), theme::title()));
        for (k, what) in keys {
            for (i, d) in wrap::wrap(what, inner_w.saturating_sub(key_w).max(8))
                .into_iter()
                .enumerate()
            {
                let key = if i == 0 { *k } else { "" };
                lines.push(Line::from(vec![
                    Span::styled(key.to_string(), theme::key()),
                    Span::raw(" ".repeat(key_w.saturating_sub(wrap::width(key)))),
                    Span::raw(d),
                ]));
            }
        }
    };
    section(w.compare(), &w.keys_compare(), &mut lines);
    lines.push(Line::default());
    section(w.sweep(), &w.keys_sweep(), &mut lines);
    lines.push(Line::default());
    section(w.keys_title(), &w.keys_both(), &mut lines);
    let words = app.words();
    let h = (lines.len() as u16 + 2).min(area.height);
    let rect = Rect::new(
        area.x + (area.width - box_w) / 2,
        area.y + (area.height - h) / 2,
        box_w,
        h,
    );
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_style(theme::key())
        .title(Line::styled(format!(" {} ", words.help()), theme::title()))
        .title_bottom(Line::styled(
            fit(&format!(" {} ", words.help_close()), inner_w),
            theme::dim(),
        ));
    let inner = block.inner(rect).inner(Margin::new(1, 0));
    frame.render_widget(block, rect);
    frame.render_widget(Paragraph::new(lines), inner);
}
