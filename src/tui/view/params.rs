//! The lesson's parameters (p): each with its value, its range and its default; ←/→ change the
//! one selected, P puts them all back.

use super::panel;
use crate::tui::app::App;
use crate::tui::study::param_step;
use crate::tui::theme;
use crate::tui::wrap;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// 0.1 → "0.1", 2 → "2", 0.05 → "0.05".
pub(crate) fn number(v: f64) -> String {
    let t = format!("{v:.4}");
    t.trim_end_matches('0').trim_end_matches('.').to_string()
}

pub fn render(app: &App, frame: &mut Frame, area: Rect, compact: bool) {
    let sw = app.sw();
    let e = app.entry();
    let block = panel(format!(" {} ", sw.params_title()), compact);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    for (i, spec) in e.text.params.iter().enumerate() {
        let now = e.params.get(&spec.key);
        let chosen = i == app.study.param_sel;
        let unit = if spec.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", spec.unit)
        };
        let mark = if chosen { "▶ " } else { "  " };
        let changed = now != spec.default;
        let mut spans = vec![
            Span::styled(mark, theme::key()),
            Span::styled(format!("{} ", spec.key), theme::title()),
            Span::styled(
                format!("◀ {}{unit} ▶", number(now)),
                if chosen {
                    theme::selected()
                } else {
                    theme::code()
                },
            ),
        ];
        if changed {
            spans.push(Span::styled(
                format!("  * {}", sw.param_changed()),
                theme::key(),
            ));
        }
        lines.push(Line::from(spans));
        let label = spec.label.get(app.lang);
        for l in wrap::wrap(label, width.saturating_sub(4)) {
            lines.push(Line::styled(format!("    {l}"), theme::dim()));
        }
        let range = sw.param_range(&number(spec.min), &number(spec.max), &number(spec.default));
        let step = format!("{range} · ±{}", number(param_step(spec)));
        for l in wrap::wrap(&step, width.saturating_sub(4)) {
            lines.push(Line::styled(format!("    {l}"), theme::dim()));
        }
    }
    lines.push(Line::default());
    for l in wrap::wrap(sw.params_help(), width) {
        lines.push(Line::styled(l, theme::dim()));
    }
    // Keep the selected parameter in sight: each takes its lines, so scroll by whole ones.
    let per: Vec<usize> = e
        .text
        .params
        .iter()
        .map(|s| {
            1 + wrap::wrap(s.label.get(app.lang), width.saturating_sub(4)).len()
                + wrap::wrap(
                    &format!(
                        "{} · ±{}",
                        sw.param_range(&number(s.min), &number(s.max), &number(s.default)),
                        number(param_step(s))
                    ),
                    width.saturating_sub(4),
                )
                .len()
        })
        .collect();
    let sel_end: usize = per.iter().take(app.study.param_sel + 1).sum();
    let skip = sel_end.saturating_sub(inner.height as usize);
    let shown: Vec<Line> = lines.into_iter().skip(skip).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}
