//! A plain table that fits its width by dropping the columns that matter least.

use crate::tui::{theme, wrap};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// A column: its header, its cells, and how much it matters when space is short.
pub(crate) struct Column {
    pub header: String,
    pub cells: Vec<(String, Style)>,
    pub keep: u8,
    /// Numbers line up on the right.
    pub right: bool,
}

impl Column {
    pub fn new(header: impl Into<String>, keep: u8) -> Column {
        Column {
            header: header.into(),
            cells: Vec::new(),
            keep,
            right: false,
        }
    }

    pub fn right(mut self) -> Column {
        self.right = true;
        self
    }

    pub fn cell(&mut self, text: impl Into<String>, style: Style) {
        self.cells.push((text.into(), style));
    }

    fn width(&self) -> usize {
        self.cells
            .iter()
            .map(|(s, _)| wrap::width(s))
            .chain([wrap::width(&self.header)])
            .max()
            .unwrap_or(0)
    }
}

/// The header line and the rows `from..to`, with the least needed columns dropped until the
/// rest fit `width`, two cells apart.
pub(crate) fn table(
    mut cols: Vec<Column>,
    width: usize,
    rows: std::ops::Range<usize>,
) -> (Line<'static>, Vec<Line<'static>>) {
    loop {
        let total: usize = cols.iter().map(|c| c.width() + 2).sum();
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
    let widths: Vec<usize> = cols.iter().map(Column::width).collect();
    let head = Line::from(
        cols.iter()
            .zip(&widths)
            .map(|(c, &w)| Span::styled(pad(&c.header, w, c.right), theme::dim()))
            .collect::<Vec<_>>(),
    );
    let mut lines = Vec::new();
    for i in rows {
        let mut spans = Vec::new();
        for (c, &w) in cols.iter().zip(&widths) {
            let (text, style) = c.cells.get(i).cloned().unwrap_or_default();
            spans.push(Span::styled(pad(&text, w, c.right), style));
        }
        lines.push(Line::from(spans));
    }
    (head, lines)
}

/// `s` in `width` cells and two of space after, on the left or the right.
fn pad(s: &str, width: usize, right: bool) -> String {
    let s = wrap::truncate(s, width);
    let gap = " ".repeat(width.saturating_sub(wrap::width(&s)));
    if right {
        format!("{gap}{s}  ")
    } else {
        format!("{s}{gap}  ")
    }
}
