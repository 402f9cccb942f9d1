//! The run's latest events in words (lost updates and deadlocks in red).

use super::{fit, panel};
use crate::engine::trace::fmt_ns;
use crate::tui::app::App;
use crate::tui::theme;
use crate::tui::wrap;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(app: &App, frame: &mut Frame, area: Rect, compact: bool) {
    let w = app.words();
    let block = panel(format!(" {} ", w.log()), compact);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(r) = &app.run else {
        return;
    };
    let width = inner.width as usize;
    // In step mode, who can move and what each would do is the threads panel's (above).
    let room = inner.height as usize;
    let t = &r.trace;
    let start = t.log.len().saturating_sub(room);
    let mut lines: Vec<Line> = Vec::new();
    for l in &t.log[start..] {
        let at = format!("{:>9} ", fmt_ns(l.at_ns));
        let style = if l.alarm {
            theme::alarm()
        } else {
            Style::new()
        };
        let text = fit(&t.text(l, app.lang), width.saturating_sub(wrap::width(&at)));
        lines.push(Line::from(vec![
            Span::styled(at, theme::dim()),
            Span::styled(text, style),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
