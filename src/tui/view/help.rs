//! The help overlay: every key, grouped, and the timeline's legend.

use super::fit;
use crate::tui::app::App;
use crate::tui::theme;
use crate::tui::wrap;
use crate::words::Lang;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

const KEY_W: usize = 11;

fn section(title: &str, keys: &[(&str, &str)], width: usize, out: &mut Vec<Line<'static>>) {
    out.push(Line::styled(title.to_string(), theme::title()));
    for (k, what) in keys {
        let desc = wrap::wrap(what, width.saturating_sub(KEY_W).max(8));
        for (i, d) in desc.into_iter().enumerate() {
            let key = if i == 0 { *k } else { "" };
            let pad = KEY_W.saturating_sub(wrap::width(key));
            out.push(Line::from(vec![
                Span::styled(key.to_string(), theme::key()),
                Span::raw(" ".repeat(pad)),
                Span::raw(d),
            ]));
        }
    }
}

fn legend(lang: Lang, width: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut spans = Vec::new();
    let mut used = 0;
    for s in theme::LEGEND {
        let piece = 2 + wrap::width(s.word(lang)) + 2;
        if used + piece > width && used > 0 {
            lines.push(Line::from(std::mem::take(&mut spans)));
            used = 0;
        }
        spans.push(Span::styled(theme::glyph(s), theme::state(s)));
        spans.push(Span::raw(format!(" {}  ", s.word(lang))));
        used += piece;
    }
    lines.push(Line::from(spans));
    lines
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let w = app.words();
    // One column of at most 76 cells if it fits in height, else two across the screen.
    let mut box_w = area.width.saturating_sub(4).min(76);
    let mut inner_w = box_w.saturating_sub(4) as usize;
    let max_h = area.height.saturating_sub(2) as usize; // inside the border

    // One column if it fits, else two.
    let mut one = Vec::new();
    section(w.keys_lesson(), &w.help_lesson(), inner_w, &mut one);
    one.push(Line::default());
    section(w.keys_step(), &w.help_step_mode(), inner_w, &mut one);
    one.push(Line::default());
    section(w.keys_menu(), &w.help_menu(), inner_w, &mut one);
    one.push(Line::default());
    section(w.keys_view(), &w.help_view(), inner_w, &mut one);
    one.push(Line::default());
    one.extend(legend(app.lang, inner_w));

    let (left, right) = if one.len() <= max_h {
        (one, Vec::new())
    } else {
        box_w = area.width.saturating_sub(4).min(110);
        inner_w = box_w.saturating_sub(4) as usize;
        let col = (inner_w - 2) / 2;
        let mut l = Vec::new();
        section(w.keys_lesson(), &w.help_lesson(), col, &mut l);
        let mut r = Vec::new();
        section(w.keys_step(), &w.help_step_mode(), col, &mut r);
        r.push(Line::default());
        section(w.keys_menu(), &w.help_menu(), col, &mut r);
        r.push(Line::default());
        section(w.keys_view(), &w.help_view(), col, &mut r);
        if r.len() + 3 <= max_h {
            r.push(Line::default());
            r.extend(legend(app.lang, col));
        }
        (l, r)
    };
    let h = (left.len().max(right.len()) as u16 + 2).min(area.height);
    let rect = Rect::new(
        area.x + (area.width - box_w) / 2,
        area.y + (area.height - h) / 2,
        box_w,
        h,
    );
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_style(theme::key())
        .title(Line::styled(format!(" {} ", w.help()), theme::title()))
        .title_bottom(Line::styled(
            fit(&format!(" {} ", w.help_close()), inner_w),
            theme::dim(),
        ));
    let inner = block.inner(rect).inner(ratatui::layout::Margin::new(1, 0));
    frame.render_widget(block, rect);
    if right.is_empty() {
        frame.render_widget(Paragraph::new(left), inner);
    } else {
        let col = (inner.width - 2) / 2;
        frame.render_widget(
            Paragraph::new(left),
            Rect::new(inner.x, inner.y, col, inner.height),
        );
        frame.render_widget(
            Paragraph::new(right),
            Rect::new(
                inner.x + col + 2,
                inner.y,
                inner.width - col - 2,
                inner.height,
            ),
        );
    }
}
