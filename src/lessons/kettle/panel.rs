//! Old Zhang's four ways to wait, as a 2×2 quadrant: rows are the kettle (plain: it tells
//! nobody; whistling: it tells), columns are Zhang (he blocks; he is free). Each cell shows its
//! scene, then what its Zhang is doing in the run on screen, how its last run went, or (not
//! run yet) the variant's title. At 80x24 the scenes give way and the words stay.

use super::words::Words;
use super::{Kettle, Tea};
use crate::engine::trace::Trace;
use crate::lessons::{Lesson, typed};
use crate::runner::VariantResult;
use crate::tui::panel::{Panel, PanelCtx, block, theme, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const ART: &str = include_str!("../../../assets/kettle.txt");

/// A cell's lines: its label, its scene (when there is room), and two lines of words.
const ART_LINES: usize = 3;
const TEXT_LINES: usize = 2;

fn cell_height(art: bool) -> usize {
    1 + if art { ART_LINES } else { 0 } + TEXT_LINES
}

/// The scenes take six rows from the step text above the panel: only on a tall screen.
const ART_MIN_ROWS: u16 = 40;

/// The kettle lesson's panel.
pub struct Quadrant;

impl Panel for Quadrant {
    fn height(&self, ctx: &PanelCtx, width: usize) -> usize {
        if ctx.compact() {
            return 2 * cell_height(false);
        }
        let (left, right) = split(width);
        let art = art_fits(left, right) && ctx.screen_rows() >= ART_MIN_ROWS;
        2 * cell_height(art) + 1
    }

    fn render(&self, ctx: &PanelCtx, frame: &mut Frame, area: Rect) {
        render(ctx, frame, area);
    }
}

fn render(ctx: &PanelCtx, frame: &mut Frame, area: Rect) {
    let words = Words(ctx.lang());
    let inner = block("", ctx.compact()).inner(area);
    let (left, right) = split(inner.width as usize);
    frame.render_widget(block(title(words, left), ctx.compact()), area);

    let rows = inner.height as usize;
    let art = art_fits(left, right) && rows > 2 * cell_height(true);
    let rule = rows > 2 * cell_height(art);
    // The variants in quadrant order: the plain kettle's row, then the whistling kettle's; in
    // each, the Zhang who blocks, then the one who does not.
    let cells: Vec<Vec<CellLine>> = Kettle::VARIANTS
        .iter()
        .take(4)
        .enumerate()
        .map(|(i, v)| {
            let width = if i % 2 == 0 { left } else { right };
            cell(ctx, words, i, v.id, width, art)
        })
        .collect();
    let mut lines = Vec::new();
    for row in 0..2 {
        if row == 1 && rule {
            let line = format!("{}┼{}", "─".repeat(left), "─".repeat(right));
            lines.push(Line::styled(line, theme::border()));
        }
        let (a, b) = (&cells[2 * row], &cells[2 * row + 1]);
        for (l, r) in a.iter().zip(b) {
            let mut spans = l.spans(left);
            spans.push(Span::styled("│", theme::border()));
            spans.extend(r.spans(right));
            lines.push(Line::from(spans));
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The two columns' widths, with a one-cell rule between them.
fn split(width: usize) -> (usize, usize) {
    let left = width.saturating_sub(1) / 2;
    (left, width.saturating_sub(left + 1))
}

fn art_fits(left: usize, right: usize) -> bool {
    let widest = |col| (0..2).map(|row| scene_width(row, col)).max().unwrap_or(0);
    widest(0) <= left && widest(1) <= right
}

/// The columns' headings on the panel's top border, the rule's joint under the gap.
fn title(words: Words, left: usize) -> Line<'static> {
    let head = format!(" {} ", words.blocks());
    let fill = left.saturating_sub(wrap::width(&head));
    Line::from(vec![
        Span::raw(head),
        Span::styled(format!("{}┬", "─".repeat(fill)), theme::border()),
        Span::raw(format!(" {} ", words.free())),
    ])
}

/// One line of a cell: its pieces, each with a style, and whether the rest of the line is
/// filled in the same style (the highlighted label).
struct CellLine {
    spans: Vec<(String, Style)>,
    fill: Option<Style>,
}

impl CellLine {
    fn new(text: impl Into<String>, style: Style) -> CellLine {
        CellLine {
            spans: vec![(text.into(), style)],
            fill: None,
        }
    }

    fn blank() -> CellLine {
        CellLine::new("", Style::new())
    }

    /// Exactly `width` cells wide: cut when too long, padded when short.
    fn spans(&self, width: usize) -> Vec<Span<'static>> {
        let mut out = Vec::new();
        let mut used = 0;
        for (text, style) in &self.spans {
            let text = wrap::truncate(text, width - used);
            used += wrap::width(&text);
            out.push(Span::styled(text, *style));
        }
        let pad = " ".repeat(width - used);
        out.push(Span::styled(pad, self.fill.unwrap_or_default()));
        out
    }
}

/// CellLine `i` (variant `id`): label, scene, and words.
fn cell(
    ctx: &PanelCtx,
    words: Words,
    i: usize,
    id: &'static str,
    width: usize,
    art: bool,
) -> Vec<CellLine> {
    let on_screen = ctx.variant_on_screen() == id;
    let result = ctx.result(id);

    let mut lines = vec![label(i, id, on_screen, result, width)];
    if art {
        let dim = if on_screen {
            Style::new()
        } else {
            theme::dim()
        };
        lines.extend(
            scene(i / 2, i % 2)
                .into_iter()
                .map(|l| CellLine::new(l, dim)),
        );
    }
    let text = match result {
        _ if ctx.running(id) => ctx
            .trace()
            .map_or_else(Vec::new, |t| doing(words, t, width)),
        Some(r) => metrics(ctx, words, r, width),
        None => indented(ctx.variant_title(id), width, theme::dim()),
    };
    lines.extend(text.into_iter().take(TEXT_LINES));
    lines.resize_with(cell_height(art), CellLine::blank);
    lines
}

/// "1 sync-blocking ✓": reversed across the cell for the variant on screen.
fn label(
    i: usize,
    id: &str,
    on_screen: bool,
    result: Option<&VariantResult>,
    width: usize,
) -> CellLine {
    let text = format!("{} {id}", i + 1);
    let (style, fill) = if on_screen {
        (theme::selected(), Some(theme::selected()))
    } else {
        (theme::title(), None)
    };
    let mut spans = vec![(text.clone(), style)];
    if let Some(r) = result
        && wrap::width(&text) + 2 <= width
    {
        let mark = if r.ok {
            ("✓", theme::good())
        } else {
            ("✗", theme::alarm())
        };
        spans.push((" ".into(), style));
        spans.push((mark.0.into(), mark.1));
    }
    CellLine { spans, fill }
}

/// What the Zhang of the run on screen says he is doing, and his wife when she calls.
fn doing(words: Words, t: &Trace, width: usize) -> Vec<CellLine> {
    let says = t.last_said("Zhang").unwrap_or("…");
    let calling = t
        .resources
        .iter()
        .any(|r| r.name == "call" && r.value.as_deref() == Some("set"));
    if !calling {
        return indented(says, width, Style::new());
    }
    vec![
        CellLine::new(
            format!(" {}", wrap::truncate(says, width.saturating_sub(1))),
            Style::new(),
        ),
        CellLine::new(format!(" {}", words.calling()), theme::alarm()),
    ]
}

/// `text` wrapped one cell in from the cell's edge.
fn indented(text: &str, width: usize, style: Style) -> Vec<CellLine> {
    wrap::wrap(text, width.saturating_sub(1))
        .into_iter()
        .map(|l| CellLine::new(format!(" {l}"), style))
        .collect()
}

/// A finished run's TV, latency, trips and calls, flowed over the cell's lines.
fn metrics(ctx: &PanelCtx, words: Words, r: &VariantResult, width: usize) -> Vec<CellLine> {
    let Some(tea) = typed::<Tea>(&r.outcome) else {
        return vec![CellLine::new(
            format!(" {}", words.no_outcome()),
            theme::alarm(),
        )];
    };
    let items: Vec<(String, Style)> = Kettle
        .facts(&tea, ctx.lang())
        .into_iter()
        .map(|f| {
            let style = match f.alarm {
                true => theme::alarm(),
                false => Style::new(),
            };
            (f.text, style)
        })
        .collect();
    // Two cells apart if that fits the cell's lines, else one.
    let two = flow(&items, width, 2);
    if two.len() <= TEXT_LINES {
        two
    } else {
        flow(&items, width, 1)
    }
}

/// Items side by side, `gap` cells apart, as many to a line as fit.
fn flow(items: &[(String, Style)], width: usize, gap: usize) -> Vec<CellLine> {
    let mut lines: Vec<CellLine> = Vec::new();
    let mut used = 0;
    for (text, style) in items {
        let w = wrap::width(text);
        match lines.last_mut() {
            Some(line) if used + gap + w <= width => {
                line.spans.push((" ".repeat(gap), Style::new()));
                line.spans.push((text.clone(), *style));
                used += gap + w;
            }
            _ => {
                lines.push(CellLine::new(format!(" {text}"), *style));
                used = 1 + w;
            }
        }
    }
    lines
}

/// The cell's picture: its kettle, and Zhang at the stove or in front of the TV.
fn scene(row: usize, col: usize) -> Vec<String> {
    let (kettle, zhang) = scene_pieces(row, col);
    let kw = piece_width(&kettle);
    let gap = if col == 0 { " " } else { "   " };
    (0..ART_LINES)
        .map(|i| {
            let k = kettle.get(i).copied().unwrap_or("");
            let z = zhang.get(i).copied().unwrap_or("");
            let pad = " ".repeat(kw - wrap::width(k));
            format!(" {k}{pad}{gap}{z}")
        })
        .collect()
}

fn scene_width(row: usize, col: usize) -> usize {
    scene(row, col)
        .iter()
        .map(|l| wrap::width(l))
        .max()
        .unwrap_or(0)
}

fn scene_pieces(row: usize, col: usize) -> (Vec<&'static str>, Vec<&'static str>) {
    let kettle = if row == 0 {
        "plain kettle"
    } else {
        "whistling kettle"
    };
    let zhang = if col == 0 {
        "Zhang at the stove"
    } else {
        "Zhang at the TV"
    };
    (piece(kettle), piece(zhang))
}

/// The lines of the art piece under `== name` in the asset file.
fn piece(name: &str) -> Vec<&'static str> {
    ART.lines()
        .skip_while(|l| l.strip_prefix("== ") != Some(name))
        .skip(1)
        .take_while(|l| !l.starts_with("== "))
        .collect()
}

fn piece_width(lines: &[&str]) -> usize {
    lines.iter().map(|l| wrap::width(l)).max().unwrap_or(0)
}
