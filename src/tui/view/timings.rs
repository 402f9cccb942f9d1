//! The variants run so far in this lesson, side by side: measured and ideal time, their ratio,
//! the time at scale 1 (to hold against the tutorial's figure), the outcome and the checks.

use super::panel;
use crate::engine::trace::fmt_ns;
use crate::runner::VariantResult;
use crate::tui::app::App;
use crate::tui::theme;
use crate::tui::wrap;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// A column: its header, its cells, and how much it matters when space is short.
struct Column {
    header: String,
    cells: Vec<(String, Style)>,
    keep: u8,
    /// Cut to fit, down to this width, before any column is dropped.
    shrinks_to: Option<usize>,
}

/// A ratio as the tables show it: "3.62", or n/a when there was nothing to divide by.
pub(crate) fn ratio(r: f64) -> String {
    if r.is_finite() && r > 0.0 {
        format!("{r:.2}")
    } else {
        "n/a".into()
    }
}

/// The ratio of one row: none for a paused run, none against an ideal of nothing.
fn row_ratio(app: &App, r: &VariantResult) -> String {
    if r.paused || r.ideal_ms <= 0.0 || r.elapsed_ms <= 0.0 {
        return app.words().not_applicable().into();
    }
    let about = if ideal_is_about(app, r) { "≈" } else { "" };
    format!("{about}{}", ratio(r.fidelity))
}

/// A live run's ideal is a virtual run with its seed: a lower bound only when the lesson's
/// time is exact (no random draws that a live run makes in another order).
fn ideal_is_about(app: &App, r: &VariantResult) -> bool {
    r.report.mode == crate::engine::Mode::Live
        && !matches!(
            app.entry().code.ideal(&r.id),
            crate::lessons::Ideal::Exact(_)
        )
}

/// The checks cell: ✓ or ✗ and the first broken expectation; a run made for a challenge is
/// judged against the challenge (met or not), not the variant's usual expectations.
fn checks_cell(app: &App, r: &VariantResult) -> (String, Style) {
    let w = app.words();
    if let Some((_, met)) = r.challenge {
        return if met {
            (format!("★ {}", w.for_challenge_met()), theme::good())
        } else {
            (format!("☆ {}", w.for_challenge_not_met()), theme::dim())
        };
    }
    let passed = r.checks.iter().filter(|c| c.ok).count();
    let (mark, style) = if r.ok {
        ("✓", theme::good())
    } else {
        ("✗", theme::alarm())
    };
    let mut text = format!("{mark} {passed}/{}", r.checks.len());
    // Name the first broken expectation: that is what to look at.
    if let Some(failed) = r.checks.iter().find(|c| !c.ok) {
        text.push_str(&format!(
            " {}",
            wrap::truncate(failed.name.get(app.lang), 24)
        ));
    }
    (text, style)
}

/// "n = 99, lost 99", or what stopped the run, and its style.
pub(crate) fn outcome(app: &App, r: &VariantResult) -> (String, Style) {
    match &r.deadlock {
        Some(d) if d.is_stuck() => return (app.words().outcome_stuck().into(), theme::alarm()),
        Some(_) => return (app.words().outcome_deadlock().into(), theme::alarm()),
        None => {}
    }
    if !r.report.raised.is_empty() {
        return (app.words().outcome_raised().into(), theme::alarm());
    }
    super::timing_parts::outcome_text(app, &r.outcome)
}

pub fn render(app: &App, frame: &mut Frame, area: Rect, compact: bool) {
    let w = app.words();
    let e = app.entry();
    let title = |mode: Option<&str>| {
        let head = match mode {
            Some(m) => format!(" {} ", w.timings_in(m)),
            None => format!(" {} ", w.timings()),
        };
        let room = (area.width as usize).saturating_sub(wrap::width(&head) + 4);
        Line::from(vec![
            Span::raw(head),
            Span::styled(
                format!("{} ", wrap::truncate(w.timings_note(), room)),
                theme::dim(),
            ),
        ])
    };
    let inner = panel("", compact).inner(area);
    let about = e.results.iter().any(|r| ideal_is_about(app, r));
    let title = |mode: Option<&str>| {
        let mut t = title(mode);
        if about {
            // The ≈ in the ideal column needs saying more than the formula.
            let room = (area.width as usize).saturating_sub(t.width() + 4);
            t = Line::from(vec![
                Span::raw(t.spans[0].content.to_string()),
                Span::styled(
                    format!(
                        "{} ",
                        wrap::truncate(w.ideal_about(), room + t.spans[1].width())
                    ),
                    theme::dim(),
                ),
            ]);
        }
        t
    };
    if e.results.is_empty() {
        frame.render_widget(panel(title(None), compact), area);
        frame.render_widget(
            Paragraph::new(Line::styled(w.no_results(), theme::dim())),
            inner,
        );
        return;
    }
    let rows = &e.results;
    let one_mode = rows
        .first()
        .map(|r| r.report.mode)
        .filter(|m| rows.iter().all(|r| r.report.mode == *m));
    let plain = |f: &dyn Fn(&VariantResult) -> String| -> Vec<(String, Style)> {
        rows.iter().map(|r| (f(r), Style::new())).collect()
    };
    let mut cols = vec![
        Column {
            header: w.col_variant().into(),
            cells: plain(&|r| r.id.clone()),
            keep: 10,
            shrinks_to: None,
        },
        Column {
            header: w.col_mode().into(),
            cells: plain(&|r| w.mode(r.report.mode).to_string()),
            // Rows of different modes need it more than the ratio.
            keep: if one_mode.is_some() { 4 } else { 6 },
            shrinks_to: None,
        },
        Column {
            header: w.col_measured().into(),
            cells: rows
                .iter()
                .map(|r| match r.paused {
                    true => (w.paused_not_timed().to_string(), theme::dim()),
                    false => (fmt_ns(r.report.elapsed_ns), Style::new()),
                })
                .collect(),
            keep: 8,
            shrinks_to: None,
        },
        Column {
            header: w.col_ideal().into(),
            cells: plain(&|r| {
                let about = if ideal_is_about(app, r) { "≈" } else { "" };
                format!("{about}{}", fmt_ns((r.ideal_ms * 1e6).round() as u64))
            }),
            keep: 3,
            shrinks_to: None,
        },
        Column {
            header: w.col_ratio().into(),
            cells: plain(&|r| row_ratio(app, r)),
            keep: 5,
            shrinks_to: None,
        },
        Column {
            header: w.col_at_1x().into(),
            cells: plain(&|r| match r.paused {
                true => w.not_applicable().to_string(),
                false => secs(r.report.elapsed_ns as f64 / 1e9 / r.report.scale),
            }),
            keep: 7,
            shrinks_to: None,
        },
        Column {
            header: w.col_outcome().into(),
            cells: rows.iter().map(|r| outcome(app, r)).collect(),
            keep: 9,
            // A long outcome is cut, not allowed to push the other columns out.
            shrinks_to: Some(32),
        },
        Column {
            header: w.col_checks().into(),
            cells: rows.iter().map(|r| checks_cell(app, r)).collect(),
            keep: 6,
            shrinks_to: None,
        },
        Column {
            header: w.col_published().into(),
            cells: plain(&|r| match e.text.published_for(&r.id) {
                Some(p) => format!("{} s, {}", trim_secs(p.seconds), p.outcome),
                None => "—".into(),
            }),
            keep: 7,
            shrinks_to: None,
        },
    ];
    // No figure to compare with in this lesson: no column for them.
    if rows.iter().all(|r| e.text.published_for(&r.id).is_none()) {
        cols.retain(|c| c.header != w.col_published());
    }
    let width = inner.width as usize;
    let col_w = |c: &Column| {
        c.cells
            .iter()
            .map(|(s, _)| wrap::width(s))
            .chain([wrap::width(&c.header)])
            .max()
            .unwrap_or(0)
    };
    let least = |c: &Column| c.shrinks_to.map_or(col_w(c), |s| col_w(c).min(s));
    // Drop the least needed columns until the rest fit, two cells apart.
    loop {
        let total: usize = cols.iter().map(|c| least(c) + 2).sum();
        if total <= width + 2 || cols.len() <= 1 {
            break;
        }
        let (drop, _) = cols
            .iter()
            .enumerate()
            .min_by_key(|(_, c)| c.keep)
            .expect("not empty");
        cols.remove(drop);
    }
    // A column that shrinks gets the room the others leave, and its cells are cut to it.
    let others: usize = cols
        .iter()
        .filter(|c| c.shrinks_to.is_none())
        .map(|c| col_w(c) + 2)
        .sum();
    for c in cols.iter_mut().filter(|c| c.shrinks_to.is_some()) {
        let room = (width + 2)
            .saturating_sub(others + 2)
            .max(c.shrinks_to.unwrap_or(0));
        for (text, _) in &mut c.cells {
            *text = wrap::truncate(text, room);
        }
    }
    // Without its column, the mode goes in the title (it is the same on every row then).
    let mode_shown = cols.iter().any(|c| c.header == w.col_mode());
    let mode_word = one_mode.filter(|_| !mode_shown).map(|m| w.mode(m));
    frame.render_widget(panel(title(mode_word), compact), area);
    let widths: Vec<usize> = cols.iter().map(col_w).collect();
    let mut lines = Vec::new();
    let mut head = Vec::new();
    for (c, &cw) in cols.iter().zip(&widths) {
        head.push(Span::styled(pad(&c.header, cw + 2), theme::dim()));
    }
    lines.push(Line::from(head));
    let shown = (inner.height as usize).saturating_sub(1);
    // The newest rows matter most when they do not all fit; results are kept in variant order,
    // so show the last ones.
    let skip = rows.len().saturating_sub(shown);
    for i in skip..rows.len() {
        let mut spans = Vec::new();
        for (c, &cw) in cols.iter().zip(&widths) {
            let (text, style) = &c.cells[i];
            spans.push(Span::styled(pad(text, cw + 2), *style));
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Seconds as the tutorials print them: "0.52 s", "350.7 s".
fn secs(s: f64) -> String {
    if s >= 100.0 {
        format!("{s:.1} s")
    } else {
        format!("{s:.2} s")
    }
}

fn pad(s: &str, width: usize) -> String {
    let w = wrap::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// 53.29 → "53.29", 350.0 → "350".
fn trim_secs(s: f64) -> String {
    let t = format!("{s:.2}");
    t.trim_end_matches('0').trim_end_matches('.').to_string()
}
