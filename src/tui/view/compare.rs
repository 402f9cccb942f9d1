//! The comparison view (c): for each variant, its measured median beside its ideal and the
//! tutorial's figure as bars, the spread of its runs, its outcome; then the notes a reader
//! of timings needs (the scale, the cores) and this session's runs of the lesson.

use super::columns::{Column, table};
use super::timing_parts::{self, color, footer, header, ms, ok_mark, outcome_text, range, words};
use super::{compact, fit, header::format_scale, panel};
use crate::engine::Mode;
use crate::params::Params;
use crate::record::{Recording, Row};
use crate::tui::app::App;
use crate::tui::timing::{Pane, Source};
use crate::tui::{theme, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The partial cells of a bar, in eighths.
const EIGHTHS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/// Where everything goes, and the lines of the chart and the notes.
struct Layout {
    compact: bool,
    shown: Option<(Recording, Source)>,
    chart: Rect,
    chart_lines: Vec<Line<'static>>,
    notes: Rect,
    notes_lines: Vec<Line<'static>>,
    history: Rect,
}

fn layout(app: &App, area: Rect) -> Layout {
    let compact = compact(area);
    let border = if compact { 1 } else { 2 };
    let body = Rect::new(
        area.x,
        area.y + 1,
        area.width,
        area.height.saturating_sub(3),
    );
    let inner_w = body.width.saturating_sub(if compact { 0 } else { 2 }) as usize;
    let shown = app.comparison();
    let notes_lines = notes(app, shown.as_ref().map(|(r, _)| r), inner_w, compact);
    let notes_h = if notes_lines.is_empty() {
        0
    } else {
        notes_lines.len() as u16 + border
    };
    // The history keeps at least its title, its header and two runs.
    let history_min = border + 3;
    let room = body.height.saturating_sub(notes_h + history_min);
    let chart_lines = match &shown {
        Some((rec, source)) => chart_lines(
            app,
            rec,
            source,
            inner_w,
            room.saturating_sub(border),
            compact,
        ),
        None => wrap::wrap(&words(app).nothing_yet(app.timing.repeat), inner_w)
            .into_iter()
            .map(|l| Line::styled(l, theme::dim()))
            .collect(),
    };
    let chart_h = (chart_lines.len() as u16 + border).min(room);
    let notes_h = notes_h.min(body.height.saturating_sub(chart_h));
    let history_y = body.y + chart_h + notes_h;
    Layout {
        compact,
        shown,
        chart: Rect::new(body.x, body.y, body.width, chart_h),
        chart_lines,
        notes: Rect::new(body.x, body.y + chart_h, body.width, notes_h),
        notes_lines,
        history: Rect::new(
            body.x,
            history_y,
            body.width,
            body.bottom().saturating_sub(history_y),
        ),
    }
}

/// How many runs the history shows on a screen of `area` (for scrolling).
pub(crate) fn history_rows(app: &App, area: Rect) -> usize {
    let l = layout(app, area);
    let inner = panel("", l.compact).inner(l.history);
    (inner.height as usize).saturating_sub(1)
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    header(
        app,
        frame,
        Rect::new(area.x, area.y, area.width, 1),
        Pane::Compare,
    );
    let bottom = area.bottom();
    footer(
        app,
        frame,
        Rect::new(area.x, bottom - 1, area.width, 1),
        Pane::Compare,
    );
    timing_parts::status(
        app,
        frame,
        Rect::new(area.x, bottom - 2, area.width, 1),
        Pane::Compare,
    );
    let l = layout(app, area);
    let w = words(app);
    let title = match &l.shown {
        Some((_, Source::Recorded { .. })) => {
            format!(" {} · {} ", w.measured_vs_ideal(), w.from_recording())
        }
        Some((_, Source::History { .. })) => {
            format!(" {} · {} ", w.measured_vs_ideal(), w.from_history())
        }
        None => format!(" {} ", w.measured_vs_ideal()),
    };
    let block = panel(fit(&title, l.chart.width as usize), l.compact);
    let inner = block.inner(l.chart);
    frame.render_widget(block, l.chart);
    frame.render_widget(Paragraph::new(l.chart_lines), inner);
    if l.notes.height > 0 {
        let block = panel("", l.compact);
        let inner = block.inner(l.notes);
        frame.render_widget(block, l.notes);
        frame.render_widget(Paragraph::new(l.notes_lines), inner);
    }
    history(app, frame, l.history, l.compact);
}

/// The notes under the chart: the scale, how times are taken, and the cores warnings.
fn notes(app: &App, rec: Option<&Recording>, width: usize, compact: bool) -> Vec<Line<'static>> {
    let w = words(app);
    let scale = rec.map_or(app.scale, |r| r.scale);
    let mut lines: Vec<Line> = Vec::new();
    let text = w.scale_note(&format_scale(scale), &ms(1000.0 * scale));
    for l in wrap::wrap(&text, width) {
        lines.push(Line::styled(l, theme::dim()));
    }
    if !compact {
        for l in wrap::wrap(w.clock_note(), width) {
            lines.push(Line::styled(l, theme::dim()));
        }
    }
    if let Some(rec) = rec {
        let e = app.entry();
        let defaults = Params::defaults(&e.text.id, &e.text.params);
        if !e.text.published.is_empty() && rec.params != defaults {
            for l in wrap::wrap(&w.tutorial_elsewhere(&defaults.to_string()), width) {
                lines.push(Line::styled(l, theme::dim()));
            }
        }
        let cores = rec.machine.cores;
        let mut seen = Vec::new();
        for r in rec.rows.iter().filter(|r| r.cores_needed > cores) {
            if seen.contains(&r.variant) {
                continue;
            }
            seen.push(r.variant.clone());
            let text = format!("! {}", w.cores_warning(&r.variant, r.cores_needed, cores));
            for l in wrap::wrap(&text, width) {
                lines.push(Line::styled(l, theme::alarm()));
            }
        }
    }
    lines
}

/// The bars' lines: a line on the setting, each variant's group, the legend. Falls back to a
/// line per variant when the groups do not fit `height`.
fn chart_lines(
    app: &App,
    rec: &Recording,
    source: &Source,
    width: usize,
    height: u16,
    compact: bool,
) -> Vec<Line<'static>> {
    let w = words(app);
    let e = app.entry();
    let mode = Mode::parse(rec.rows.first().map_or("live", |r| r.mode)).unwrap_or(Mode::Live);
    let mode_word = app.words().mode(mode);

    let mut setting = format!("{mode_word} · {}", rec.params);
    match source {
        Source::Recorded { repeat } => {
            setting.push_str(&format!(" · {}", w.runs_each(*repeat)));
            setting.push_str(&format!(" · {} {}", app.words().seed(), rec.seed));
        }
        Source::History { elsewhere } if *elsewhere > 0 => {
            setting.push_str(&format!(" · {}", w.elsewhere(*elsewhere)));
        }
        Source::History { .. } => {}
    }
    let mut lines: Vec<Line> = wrap::wrap(&setting, width)
        .into_iter()
        .map(|l| Line::styled(l, theme::dim()))
        .collect();

    // The tutorial timed the lesson's defaults: its figures only stand beside runs of those.
    let as_tutorial = rec.params == Params::defaults(&e.text.id, &e.text.params);
    let tutorial = |variant: &str| {
        if !as_tutorial {
            return None;
        }
        rec.published
            .iter()
            .find(|(v, _, _)| v == variant)
            .map(|(_, secs, what)| (secs * 1000.0 * rec.scale, what.clone()))
    };
    let variants: Vec<&str> = e.text.variants.iter().map(|v| v.id.as_str()).collect();
    let row_of = |v: &str| rec.rows.iter().find(|r| r.variant == v);
    let top = rec
        .rows
        .iter()
        .flat_map(|r| {
            [
                r.max_ms,
                r.ideal_ms,
                tutorial(&r.variant).map_or(0.0, |t| t.0),
            ]
        })
        .fold(0.0, f64::max);

    // Full groups: measured, ideal and (where published) tutorial rows, a gap between groups.
    let full_rows: usize = variants
        .iter()
        .map(|v| match row_of(v) {
            Some(_) => 2 + usize::from(tutorial(v).is_some()),
            None => 1,
        })
        .sum::<usize>()
        + if compact {
            0
        } else {
            variants.len().saturating_sub(1)
        };
    let fixed = lines.len() + 1; // the setting and the legend
    let dense = fixed + full_rows > height as usize;

    let label_w = variants
        .iter()
        .map(|v| wrap::width(v))
        .max()
        .unwrap_or(0)
        .min(14);
    let kinds = [mode_word, w.ideal(), w.tutorial()];
    let kind_w = kinds.iter().map(|k| wrap::width(k)).max().unwrap_or(0);
    let values: Vec<String> = rec
        .rows
        .iter()
        .flat_map(|r| {
            [ms(r.median_ms), ms(r.ideal_ms)]
                .into_iter()
                .chain(tutorial(&r.variant).map(|t| ms(t.0)))
        })
        .collect();
    let value_w = values.iter().map(|v| wrap::width(v)).max().unwrap_or(8);

    // What follows each bar, in aligned columns: the runs' spread ("530.0–541.0 ms, 3 runs"),
    // the outcome and the checks. The spread's numbers go first when space is short.
    let spread = |r: &Row, numbers: bool| -> String {
        let runs = w.runs(r.repeat);
        if numbers && r.repeat > 1 {
            format!("{} ×{}", range(r.min_ms, r.max_ms), r.repeat)
        } else {
            runs
        }
    };
    let spread_w = |numbers: bool| {
        rec.rows
            .iter()
            .map(|r| wrap::width(&spread(r, numbers)))
            .max()
            .unwrap_or(0)
    };
    let outcome_w = rec
        .rows
        .iter()
        .map(|r| wrap::width(&outcome_text(app, &r.outcome).0))
        .max()
        .unwrap_or(0);
    let extra_w = |numbers: bool| spread_w(numbers) + 2 + outcome_w + 2;
    let lead = if dense {
        label_w + 1
    } else {
        label_w + 1 + kind_w + 1
    };
    let bar_room = |extra: usize| width.saturating_sub(lead + 1 + value_w + 2 + extra);
    let numbers = bar_room(extra_w(true)) >= 12;
    let sw = spread_w(numbers);
    let bar_w = bar_room(extra_w(numbers)).max(1);
    let extra = |r: &Row| -> Vec<Span<'static>> {
        let text = spread(r, numbers);
        let gap = " ".repeat(sw.saturating_sub(wrap::width(&text)) + 2);
        let (outcome, outcome_style) = outcome_text(app, &r.outcome);
        let gap2 = " ".repeat(outcome_w.saturating_sub(wrap::width(&outcome)) + 1);
        let (mark, style) = ok_mark(r.ok);
        vec![
            Span::styled(format!("{text}{gap}"), theme::dim()),
            Span::styled(outcome, outcome_style),
            Span::raw(gap2),
            Span::styled(mark, style),
        ]
    };

    let label = |v: &str| {
        let t = wrap::truncate(v, label_w);
        format!(
            "{t}{} ",
            " ".repeat(label_w.saturating_sub(wrap::width(&t)))
        )
    };
    let kind = |k: &str| format!("{k}{} ", " ".repeat(kind_w.saturating_sub(wrap::width(k))));
    let value = |v: f64| format!(" {:>value_w$}  ", ms(v));

    for (i, v) in variants.iter().enumerate() {
        let vc = Style::new().fg(color(i));
        let Some(r) = row_of(v) else {
            lines.push(Line::from(vec![
                Span::styled(label(v), vc),
                Span::styled(format!("— {}", w.not_run()), theme::dim()),
            ]));
            continue;
        };
        if dense {
            let mut spans = vec![Span::styled(label(v), vc)];
            spans.extend(measured_bar(r, top, bar_w, Some(r.ideal_ms), vc));
            spans.push(Span::raw(value(r.median_ms)));
            spans.extend(extra(r));
            lines.push(Line::from(spans));
            continue;
        }
        if i > 0 && !compact {
            lines.push(Line::default());
        }
        let mut spans = vec![Span::styled(label(v), vc), Span::raw(kind(mode_word))];
        spans.extend(measured_bar(r, top, bar_w, None, vc));
        spans.push(Span::raw(value(r.median_ms)));
        spans.extend(extra(r));
        lines.push(Line::from(spans));

        let mut spans = vec![
            Span::raw(label("")),
            Span::styled(kind(w.ideal()), theme::dim()),
        ];
        spans.push(block_bar(
            r.ideal_ms,
            top,
            bar_w,
            '░',
            Style::new().fg(Color::Green),
        ));
        spans.push(Span::raw(value(r.ideal_ms)));
        spans.push(Span::styled(
            format!("{} {}", w.ratio(), super::timings::ratio(r.fidelity)),
            theme::dim(),
        ));
        lines.push(Line::from(spans));

        if let Some((t, what)) = tutorial(v) {
            let mut spans = vec![
                Span::raw(label("")),
                Span::styled(kind(w.tutorial()), theme::dim()),
            ];
            spans.push(block_bar(
                t,
                top,
                bar_w,
                '▒',
                Style::new().fg(Color::Magenta),
            ));
            spans.push(Span::raw(value(t)));
            spans.push(Span::styled(what, theme::dim()));
            lines.push(Line::from(spans));
        }
    }
    let legend = match (dense, compact) {
        (true, _) => w.legend_dense(),
        (false, true) => w.legend_short(),
        (false, false) => w.legend(),
    };
    // The tutorial's entry comes last: without its bars, it goes.
    let any_tutorial = variants.iter().any(|v| tutorial(v).is_some());
    let legend = if any_tutorial {
        legend
    } else {
        legend.split("  ▒").next().unwrap_or(legend)
    };
    lines.push(Line::styled(fit(legend, width), theme::dim()));
    lines
}

/// The measured median as a bar in eighths of a cell; the runs' spread drawn on it
/// (`▓` from the fastest run, `─┤` out to the slowest), and the ideal as `│` if asked.
fn measured_bar(
    r: &Row,
    top: f64,
    width: usize,
    ideal: Option<f64>,
    style: Style,
) -> Vec<Span<'static>> {
    let mut cells: Vec<(char, Style)> = vec![(' ', Style::new()); width];
    let at = |v: f64| {
        if top > 0.0 {
            v / top * width as f64
        } else {
            0.0
        }
    };
    let exact = at(r.median_ms).min(width as f64);
    let mut full = exact.floor() as usize;
    let mut eighths = ((exact - full as f64) * 8.0).round() as usize;
    if eighths == 8 {
        (full, eighths) = (full + 1, 0);
    }
    if r.median_ms > 0.0 && full == 0 && eighths == 0 {
        eighths = 1; // never invisible
    }
    let full = full.min(width);
    for c in cells.iter_mut().take(full) {
        *c = ('█', style);
    }
    if eighths > 0 && full < width {
        cells[full] = (EIGHTHS[eighths], style);
    }
    let end = full + usize::from(eighths > 0);
    let spread = theme::dim();
    let from = at(r.min_ms).round() as usize;
    for c in cells.iter_mut().take(full).skip(from) {
        *c = ('▓', style);
    }
    // The slowest run's tail, when it reaches a cell past the bar.
    let tail = (at(r.max_ms).round() as usize).min(width);
    if tail > end {
        for c in cells.iter_mut().take(tail - 1).skip(end) {
            *c = ('─', spread);
        }
        cells[tail - 1] = ('┤', spread);
    }
    if let Some(ideal) = ideal.filter(|_| width > 0) {
        let i = (at(ideal).round() as usize).min(width - 1);
        cells[i] = ('│', Style::new().fg(Color::Green));
    }
    spans_of(&cells)
}

/// A plain bar of whole cells (at least one for anything above zero), padded to `width`.
fn block_bar(v: f64, top: f64, width: usize, glyph: char, style: Style) -> Span<'static> {
    let mut n = if top > 0.0 {
        (v / top * width as f64).round() as usize
    } else {
        0
    };
    if v > 0.0 {
        n = n.max(1);
    }
    let n = n.min(width);
    Span::styled(
        format!("{}{}", glyph.to_string().repeat(n), " ".repeat(width - n)),
        style,
    )
}

/// Cells into spans, one per run of the same style.
fn spans_of(cells: &[(char, Style)]) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut text = String::new();
    let mut current: Option<Style> = None;
    for (c, s) in cells {
        if current != Some(*s) && !text.is_empty() {
            spans.push(Span::styled(
                std::mem::take(&mut text),
                current.unwrap_or_default(),
            ));
        }
        current = Some(*s);
        text.push(*c);
    }
    if !text.is_empty() {
        spans.push(Span::styled(text, current.unwrap_or_default()));
    }
    spans
}

/// This session's runs of the lesson, newest at the bottom, scrolled with ↑/↓.
fn history(app: &App, frame: &mut Frame, area: Rect, compact: bool) {
    let w = words(app);
    let words = app.words();
    let id = &app.entry().text.id;
    let runs: Vec<_> = app.timing.runs_of(id).collect();
    let title = format!(" {} · {} ", w.history(), runs.len());
    let block = panel(title, compact);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if runs.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(
                fit(w.no_history(), inner.width as usize),
                theme::dim(),
            )),
            inner,
        );
        return;
    }
    let mut cols = vec![
        Column::new("#", 4).right(),
        Column::new(words.col_variant(), 10),
        Column::new(words.col_mode(), 8),
        Column::new(w.col_scale(), 3).right(),
        Column::new(w.col_seed(), 2).right(),
        Column::new(words.col_measured(), 9).right(),
        Column::new(words.col_ideal(), 7).right(),
        Column::new(words.col_outcome(), 6),
        Column::new(w.col_ok(), 8),
        Column::new(w.col_by(), 1),
    ];
    for r in &runs {
        let plain = Style::new();
        let (mark, mark_style) = ok_mark(r.ok);
        let outcome = if r.stuck {
            (words.outcome_stuck().to_string(), theme::alarm())
        } else if r.deadlock {
            (words.outcome_deadlock().to_string(), theme::alarm())
        } else if r.raised {
            (words.outcome_raised().to_string(), theme::alarm())
        } else {
            outcome_text(app, &r.outcome)
        };
        let cells = [
            (r.seq.to_string(), theme::dim()),
            (r.variant.clone(), plain),
            (words.mode(r.mode).to_string(), plain),
            (format_scale(r.scale), plain),
            (r.seed.to_string(), plain),
            if r.paused {
                (words.paused_not_timed().to_string(), theme::dim())
            } else {
                (ms(r.measured_ms), plain)
            },
            (ms(r.ideal_ms), plain),
            outcome,
            (mark.to_string(), mark_style),
            (
                if r.recorded {
                    w.by_record()
                } else {
                    w.by_lesson()
                }
                .to_string(),
                theme::dim(),
            ),
        ];
        for (c, (text, style)) in cols.iter_mut().zip(cells) {
            c.cell(text, style);
        }
    }
    let visible = (inner.height as usize).saturating_sub(1);
    let scroll = app.timing.scroll.min(runs.len().saturating_sub(visible));
    let end = runs.len() - scroll;
    let start = end.saturating_sub(visible);
    let (head, rows) = table(cols, inner.width as usize, start..end);
    let mut lines = vec![head];
    lines.extend(rows);
    frame.render_widget(Paragraph::new(lines), inner);
}
