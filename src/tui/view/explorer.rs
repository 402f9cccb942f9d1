//! The outcome explorer's box (`e`): while it runs, its progress; then a histogram of the
//! endings, the chosen one's shortest schedule, and how complete the counts are.

use crate::explore::output::{bar, coverage_line};
use crate::tui::app::App;
use crate::tui::theme;
use crate::tui::wrap;
use crate::words::explore::Words;
use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let Some(x) = &app.exploring.view else {
        return;
    };
    let w = Words(app.lang);
    let box_w = area.width.saturating_sub(4).min(100);
    let inner_w = box_w.saturating_sub(4) as usize;
    let box_h = area.height.saturating_sub(4).max(8);
    let mut lines: Vec<Line> = Vec::new();
    match &x.result {
        None => lines.push(Line::raw(w.exploring(x.runs, x.counted))),
        Some(r) => {
            for l in wrap::wrap(&coverage_line(r, app.lang), inner_w) {
                lines.push(Line::styled(l, theme::dim()));
            }
            lines.push(Line::default());
            let count_w = r.endings.iter().map(|e| e.count.to_string().len()).max();
            let count_w = count_w.unwrap_or(1);
            // count, percent, then a bar in what is left of a third of the width.
            let bar_w = (inner_w / 3).saturating_sub(count_w + 8).max(4);
            for (i, e) in r.endings.iter().enumerate() {
                let chosen = i == x.selected;
                let mark = if chosen { "▶ " } else { "  " };
                let pct = 100.0 * e.count as f64 / r.counted.max(1) as f64;
                let head = format!("{mark}{:>count_w$} {pct:>5.1}% ", e.count);
                let text = r.ending_text(e, app.lang);
                let style = if chosen {
                    theme::selected()
                } else {
                    ratatui::style::Style::default()
                };
                let bar_text = format!("{:<bar_w$} ", bar(e.count, r.counted, bar_w));
                let used = wrap::width(&head) + wrap::width(&bar_text);
                lines.push(Line::from(vec![
                    Span::styled(head, style),
                    Span::styled(bar_text, theme::key()),
                    Span::styled(wrap::truncate(&text, inner_w.saturating_sub(used)), style),
                ]));
                if chosen {
                    let shortest = w.shortest(e.shortest.len(), &e.names.join(" "));
                    for l in wrap::wrap(&shortest, inner_w.saturating_sub(4)) {
                        lines.push(Line::styled(format!("    {l}"), theme::dim()));
                    }
                }
            }
            lines.push(Line::styled(
                w.took(r.runs, r.elapsed.as_secs_f64()),
                theme::dim(),
            ));
            lines.push(Line::default());
            for l in wrap::wrap(w.pick_hint(), inner_w) {
                lines.push(Line::styled(l, theme::key()));
            }
        }
    }
    let h = (lines.len() as u16 + 2).min(box_h);
    let rect = Rect::new(
        area.x + area.width.saturating_sub(box_w) / 2,
        area.y + area.height.saturating_sub(h) / 2,
        box_w,
        h,
    );
    frame.render_widget(Clear, rect);
    let title = Line::styled(format!(" {} ", w.title(&x.variant)), theme::title());
    let block = Block::bordered().border_style(theme::key()).title(title);
    let inner = block.inner(rect).inner(Margin::new(1, 0));
    frame.render_widget(block, rect);
    frame.render_widget(Paragraph::new(lines), inner);
}
