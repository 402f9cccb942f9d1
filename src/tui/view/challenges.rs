//! The lesson's challenges: the list (x), the one taken on (a strip on top of the left panel),
//! and the lines that celebrate one met.

use super::panel;
use crate::content::{Challenge, Lesson};
use crate::params::Params;
use crate::tui::app::App;
use crate::tui::theme;
use crate::tui::wrap;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

fn met_steps(app: &App, c: &Challenge) -> Option<Option<usize>> {
    app.progress()
        .lesson(&app.entry().text.id)
        .and_then(|l| l.challenges.get(&c.id))
        .map(|m| m.best_steps)
}

/// What taking a challenge on sets up: "no-lock · step · threads = 2 · at most 12 steps".
fn setup(app: &App, c: &Challenge) -> String {
    let sw = app.sw();
    let w = app.words();
    let mut parts = vec![c.variant.clone().unwrap_or_else(|| sw.any_variant().into())];
    if let Some(m) = c.mode {
        parts.push(format!("{} {}", w.mode_label(), w.mode(m)));
    }
    for (k, v) in &c.params {
        parts.push(format!("{k} = {v}"));
    }
    if let Some(m) = c.max_steps {
        parts.push(format!("≤ {m} {}", sw.steps_seen()));
    }
    parts.join(" · ")
}

/// The parameters that differ from the lesson's defaults: "threads = 2", or none.
pub(crate) fn changed_params(app: &App) -> Option<String> {
    let e = app.entry();
    let defaults = Params::defaults(&e.text.id, &e.text.params);
    let changed: Vec<String> = e
        .params
        .iter()
        .zip(defaults.iter())
        .filter(|((_, v), (_, d))| v != d)
        .map(|((k, v), _)| format!("{k} = {v}"))
        .collect();
    (!changed.is_empty()).then(|| changed.join(", "))
}

/// The same, short, for the header: "threads=2 poll=0.1".
pub(crate) fn changed_params_short(app: &App) -> Option<String> {
    let e = app.entry();
    let defaults = Params::defaults(&e.text.id, &e.text.params);
    let changed: Vec<String> = e
        .params
        .iter()
        .zip(defaults.iter())
        .filter(|((_, v), (_, d))| v != d)
        .map(|((k, v), _)| format!("{k}={}", super::params::number(v)))
        .collect();
    (!changed.is_empty()).then(|| changed.join(" "))
}

/// The challenge taken on, in one line on top of the left panel (✓ once met).
pub(crate) fn strip(app: &App, width: usize) -> Vec<Line<'static>> {
    let Some(c) = app
        .study
        .active
        .and_then(|i| app.entry().text.challenges.get(i))
    else {
        return Vec::new();
    };
    let sw = app.sw();
    let met = met_steps(app, c).is_some();
    let (mark, style) = if met {
        ("✓", theme::good().add_modifier(Modifier::BOLD))
    } else {
        ("◎", theme::key())
    };
    let text = format!("{mark} {}", sw.challenge_line(c.text.get(app.lang)));
    vec![Line::styled(wrap::truncate(&text, width), style)]
}

/// The list: each challenge met or not, the selected one with its hint and set-up.
pub fn render(app: &App, frame: &mut Frame, area: Rect, compact: bool) {
    let sw = app.sw();
    let e = app.entry();
    let all = &e.text.challenges;
    let met = all.iter().filter(|c| met_steps(app, c).is_some()).count();
    let title = format!(" {} {met}/{} ", sw.challenges(), all.len());
    let block = panel(title, compact);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let (lines, sel_top) = list_lines(app, &e.text, width);
    // Keep the selected challenge in sight.
    let height = inner.height as usize;
    let skip = if sel_top + 6 > height {
        (sel_top + 6 - height).min(lines.len().saturating_sub(height))
    } else {
        0
    };
    let shown: Vec<Line> = lines.into_iter().skip(skip).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}

fn list_lines(app: &App, lesson: &Lesson, width: usize) -> (Vec<Line<'static>>, usize) {
    let sw = app.sw();
    let mut out: Vec<Line> = Vec::new();
    let mut sel_top = 0;
    let text_w = width.saturating_sub(4).max(8);
    for (i, c) in lesson.challenges.iter().enumerate() {
        let selected = i == app.study.challenge_sel;
        if selected {
            sel_top = out.len();
        }
        let best = met_steps(app, c);
        let (mark, mark_style) = match best {
            Some(_) => ("✓", theme::good()),
            None => ("○", theme::dim()),
        };
        let text_style = if selected {
            theme::title().patch(theme::selected())
        } else {
            Style::new()
        };
        for (k, l) in wrap::wrap(c.text.get(app.lang), text_w)
            .into_iter()
            .enumerate()
        {
            let lead = match (k, selected) {
                (0, true) => Span::styled("▶ ", theme::key()),
                _ => Span::raw("  "),
            };
            let m = if k == 0 {
                Span::styled(format!("{mark} "), mark_style)
            } else {
                Span::raw("  ")
            };
            out.push(Line::from(vec![lead, m, Span::styled(l, text_style)]));
        }
        let status = match best {
            Some(Some(n)) => format!("{} · {}", sw.met(), sw.best_steps(n)),
            Some(None) => sw.met().to_string(),
            None => sw.not_yet().to_string(),
        };
        if selected {
            let indent = "    ";
            if let Some(h) = &c.hint {
                for l in wrap::wrap(&sw.hint_line(h.get(app.lang)), text_w) {
                    out.push(Line::styled(format!("{indent}{l}"), theme::dim()));
                }
            }
            let run = format!("{} {}", sw.sets_up(), setup(app, c));
            for l in wrap::wrap(&run, text_w) {
                out.push(Line::styled(format!("{indent}{l}"), theme::key()));
            }
            out.push(Line::styled(
                wrap::truncate(&format!("{indent}{status}"), width),
                theme::dim(),
            ));
        } else {
            out.push(Line::styled(
                wrap::truncate(&format!("    {status}"), width),
                theme::dim(),
            ));
        }
        out.push(Line::default());
    }
    for l in wrap::wrap(sw.challenges_help(), width) {
        out.push(Line::styled(l, theme::dim()));
    }
    (out, sel_top)
}

/// "★ Challenge met! ..." for each challenge the run just met.
pub(crate) fn celebration_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let sw = app.sw();
    let e = app.entry();
    let mut out = Vec::new();
    for c in &app.study.celebrate {
        let Some(ch) = e.text.challenges.get(c.challenge) else {
            continue;
        };
        let style = theme::good().add_modifier(Modifier::BOLD);
        let head = format!("★ {}", sw.challenge_met_line(ch.text.get(app.lang)));
        for l in wrap::wrap(&head, width) {
            out.push(Line::styled(l, style));
        }
        let mut more = Vec::new();
        if let Some(n) = c.steps {
            more.push(sw.in_steps(n));
        }
        match (c.first, c.previous_best, c.steps) {
            (true, _, _) => {}
            (false, Some(b), Some(n)) if n < b => more.push(sw.new_best(b)),
            (false, Some(b), _) => {
                more.push(format!("{} · {}", sw.met_again(), sw.best_steps(b)));
            }
            (false, None, _) => more.push(sw.met_again().to_string()),
        }
        if !more.is_empty() {
            for l in wrap::wrap(&more.join(" · "), width) {
                out.push(Line::styled(l, theme::good()));
            }
        }
    }
    out
}
