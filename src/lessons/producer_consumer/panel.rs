//! The buffer between cooks and eaters: its fill over time as a sparkline, what has been made
//! and taken and at what rate, and how each cook and eater splits its time between busy
//! (sleeping: making or eating) and waiting (blocked on the buffer).

use super::words::Words;
use crate::engine::event::ResourceKind;
use crate::engine::trace::Move;
use crate::engine::trace::{ResourceTrack, ThreadTrack, Trace};
use crate::engine::{ThreadState, Tid};
use crate::tui::panel::{Panel, PanelCtx, block, clip, fit, theme, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const BLOCKS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

fn height(ctx: &PanelCtx, width: usize) -> usize {
    lines(ctx, width, usize::MAX).len()
}

fn render(ctx: &PanelCtx, frame: &mut Frame, area: Rect) {
    let title = format!(" {} ", Words(ctx.lang()).title());
    let block = block(title, ctx.compact());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let all = lines(ctx, inner.width as usize, inner.height as usize);
    let shown: Vec<Line> = all.into_iter().take(inner.height as usize).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}

/// The run's clock now (it moves between events in a live run) and its scale.
fn clock(ctx: &PanelCtx, t: &Trace) -> (u64, f64) {
    let (now, scale) = ctx.clock();
    (now.max(t.now_ns).max(1), scale)
}

fn lines(ctx: &PanelCtx, width: usize, rows: usize) -> Vec<Line<'static>> {
    let w = Words(ctx.lang());
    let found = ctx.trace().and_then(|t| {
        t.resources
            .iter()
            .find(|r| matches!(r.kind, ResourceKind::Queue { .. }))
            .map(|r| (t, r))
    });
    let Some((t, r)) = found else {
        return legend(w, width);
    };
    let (now, scale) = clock(ctx, t);
    let capacity = match r.kind {
        ResourceKind::Queue { capacity, .. } => capacity as usize,
        _ => 0,
    };
    let moves = t.moves(&r.name);
    let mut out = Vec::new();
    if ctx.compact() {
        out.push(fill_inline(w, r, capacity, &moves, now, width));
    } else {
        out.push(fill_header(w, r, capacity, width));
        out.extend(sparkline(&moves, capacity, r.peak, now, width, 2));
    }
    out.push(counts(w, &moves, now, scale, ctx.compact(), width));
    let workers: Vec<&ThreadTrack> = t.threads.iter().filter(|th| th.tid != Tid(0)).collect();
    if !ctx.compact() {
        out.push(legend_line(w, width));
    }
    let room = rows.saturating_sub(out.len());
    out.extend(shares(w, &workers, now, width, room));
    out
}

/// Before a run: what the panel will show.
fn legend(w: Words, width: usize) -> Vec<Line<'static>> {
    [
        w.shows_fill(),
        w.shows_counts(),
        w.shows_shares(),
        w.enter_runs(),
    ]
    .iter()
    .map(|s| Line::styled(fit(s, width), theme::dim()))
    .collect()
}

fn fill_style(n: usize, capacity: usize) -> Style {
    if capacity > 0 && n >= capacity {
        theme::alarm()
    } else if n == 0 {
        theme::state_blocked()
    } else {
        theme::title()
    }
}

fn size(n: usize, capacity: usize) -> String {
    if capacity == 0 {
        format!("{n}")
    } else {
        format!("{n}/{capacity}")
    }
}

/// Compact: `buffer 3/5 ▁▂▄▅█▅▃▄▅███▇▅ peak 5` on one line.
fn fill_inline(
    w: Words,
    r: &ResourceTrack,
    capacity: usize,
    moves: &[Move],
    now: u64,
    width: usize,
) -> Line<'static> {
    let n = r.items.len();
    let head = format!("{} {} ", r.name, size(n, capacity));
    let tail = format!(" {}", w.peak(r.peak));
    let room = width.saturating_sub(wrap::width(&head) + wrap::width(&tail));
    let spark = sparkline(moves, capacity, r.peak, now, room, 1);
    let mut spans = vec![Span::styled(head, fill_style(n, capacity))];
    if let Some(line) = spark.into_iter().next() {
        spans.extend(line.spans);
    }
    spans.push(Span::styled(tail, theme::dim()));
    clip(Line::from(spans), width)
}

/// Wide: `buffer  3/5 now · peak 5 · capacity 5` above a taller sparkline.
fn fill_header(w: Words, r: &ResourceTrack, capacity: usize, width: usize) -> Line<'static> {
    let n = r.items.len();
    let limit = if capacity == 0 {
        w.no_limit().to_string()
    } else {
        w.capacity(capacity)
    };
    let spans = vec![
        Span::styled(format!("{}  ", r.name), theme::title()),
        Span::styled(w.now(&size(n, capacity)), fill_style(n, capacity)),
        Span::styled(format!(" · {} · {limit}", w.peak(r.peak)), theme::dim()),
    ];
    clip(Line::from(spans), width)
}

/// The buffer's fill from the start to `now`, `width` columns of `rows` rows: each column is
/// the most items the buffer held in its slice of time. Full height is the capacity (or, with
/// no limit, the peak).
fn sparkline(
    moves: &[Move],
    capacity: usize,
    peak: usize,
    now: u64,
    width: usize,
    rows: usize,
) -> Vec<Line<'static>> {
    if width == 0 || rows == 0 {
        return Vec::new();
    }
    let top = if capacity > 0 { capacity } else { peak.max(1) };
    let mut values = vec![0usize; width];
    let (mut fill, mut i) = (0usize, 0usize);
    for (c, v) in values.iter_mut().enumerate() {
        let end = now as u128 * (c as u128 + 1) / width as u128;
        let mut most = fill;
        while i < moves.len() && (moves[i].at_ns as u128) < end.max(1) {
            fill = moves[i].len;
            most = most.max(fill);
            i += 1;
        }
        *v = most;
    }
    let levels = rows * 8;
    (0..rows)
        .map(|row| {
            // Row 0 is the top.
            let below = (rows - 1 - row) * 8;
            let spans: Vec<Span> = values
                .iter()
                .map(|&v| {
                    let level = (v * levels).div_ceil(top).min(levels);
                    let cell = level.saturating_sub(below).min(8);
                    let style = if capacity > 0 && v >= capacity {
                        theme::alarm()
                    } else {
                        theme::code()
                    };
                    Span::styled(BLOCKS[cell].to_string(), style)
                })
                .collect();
            Line::from(spans)
        })
        .collect()
}

/// `made 17 · taken 12 · 0.80/s (lesson time) · None ×2`: the rate is on the lesson's clock,
/// glossed when the line has room for it (compact, or cut short: `0.80/s`).
fn counts(
    w: Words,
    moves: &[Move],
    now: u64,
    scale: f64,
    compact: bool,
    width: usize,
) -> Line<'static> {
    let is_marker = |m: &&Move| m.item == "None";
    let made = moves.iter().filter(|m| m.put && !is_marker(m)).count();
    let taken = moves.iter().filter(|m| !m.put && !is_marker(m)).count();
    let markers = moves.iter().filter(|m| m.put && is_marker(m)).count();
    let lesson_secs = now as f64 / 1e9 / scale;
    let rate = if lesson_secs > 0.0 {
        taken as f64 / lesson_secs
    } else {
        0.0
    };
    // `None` is the end marker, as the demo writes it.
    let marked = if markers > 0 {
        format!(" · None ×{markers}")
    } else {
        String::new()
    };
    let line = |rate: String| format!("{} · {rate}{marked}", w.made_taken(made, taken));
    let mut text = line(w.rate(rate));
    if compact || wrap::width(&text) > width {
        text = line(w.rate_short(rate));
    }
    Line::styled(fit(&text, width), Style::new())
}

fn legend_line(w: Words, width: usize) -> Line<'static> {
    let spans = vec![
        Span::styled("█", busy_style()),
        Span::styled(format!(" {}  ", w.busy()), theme::dim()),
        Span::styled("▒", wait_style()),
        Span::styled(format!(" {}", w.waiting()), theme::dim()),
    ];
    clip(Line::from(spans), width)
}

fn busy_style() -> Style {
    theme::state(ThreadState::Sleeping)
}

fn wait_style() -> Style {
    theme::state_blocked()
}

/// Time spent sleeping (busy) and blocked (waiting), up to `now`.
fn split(th: &ThreadTrack, now: u64) -> (u64, u64) {
    let (mut busy, mut wait) = (0, 0);
    for s in &th.spans {
        let d = s.to_ns.unwrap_or(now).max(s.from_ns) - s.from_ns;
        match s.state {
            ThreadState::Sleeping | ThreadState::Working => busy += d,
            ThreadState::Blocked(_) => wait += d,
            _ => {}
        }
    }
    (busy, wait)
}

/// One bar per cook and eater; two to a row when there are more of them than rows.
fn shares(
    words: Words,
    workers: &[&ThreadTrack],
    now: u64,
    width: usize,
    rows: usize,
) -> Vec<Line<'static>> {
    if workers.is_empty() || rows == 0 {
        return Vec::new();
    }
    let name_w = workers
        .iter()
        .map(|w| wrap::width(&w.name))
        .max()
        .unwrap_or(0)
        .min(10);
    let per_row = if workers.len() > rows && width >= 2 * (name_w + 12) {
        2
    } else {
        1
    };
    let col_w = if per_row == 2 { (width - 1) / 2 } else { width };
    let mut out = Vec::new();
    for (i, chunk) in workers.chunks(per_row).enumerate() {
        if i + 1 == rows && (i + 1) * per_row < workers.len() {
            let left = workers.len() - i * per_row;
            let more = words.more(left);
            out.push(Line::styled(fit(&more, width), theme::dim()));
            break;
        }
        let mut spans = Vec::new();
        for (j, w) in chunk.iter().enumerate() {
            if j > 0 {
                spans.push(Span::raw(" "));
            }
            spans.extend(share(w, now, name_w, col_w));
        }
        out.push(clip(Line::from(spans), width));
    }
    out
}

/// `cook-bun   ████████▒▒▒▒  67%`: busy cells, then waiting cells, then the busy share.
fn share(th: &ThreadTrack, now: u64, name_w: usize, width: usize) -> Vec<Span<'static>> {
    let (busy, wait) = split(th, now);
    let total = busy + wait;
    let pct = (busy * 100).checked_div(total).unwrap_or(0);
    let name_style = match th.state {
        ThreadState::Blocked(_) => wait_style().add_modifier(Modifier::BOLD),
        ThreadState::Sleeping => busy_style().add_modifier(Modifier::BOLD),
        s if s.is_finished() => theme::dim(),
        _ => Style::new(),
    };
    let pct_text = if total == 0 {
        "   ".to_string()
    } else {
        format!("{pct:>3}%")
    };
    // The timeline's glyph for what it does now: ─ busy, ▒ waiting, ✓ done.
    let glyph = theme::glyph(th.state);
    let bar_w = width.saturating_sub(2 + name_w + 1 + 5).max(1);
    let busy_cells = (busy as u128 * bar_w as u128)
        .checked_div(total as u128)
        .unwrap_or(0) as usize;
    let wait_cells = if total == 0 { 0 } else { bar_w - busy_cells };
    let name = wrap::truncate(&th.name, name_w);
    let pad = name_w.saturating_sub(wrap::width(&name));
    vec![
        Span::styled(format!("{glyph} "), name_style),
        Span::styled(format!("{name}{} ", " ".repeat(pad)), name_style),
        Span::styled("█".repeat(busy_cells), busy_style()),
        Span::styled("▒".repeat(wait_cells), wait_style()),
        Span::raw(" ".repeat(bar_w - busy_cells - wait_cells)),
        Span::styled(format!(" {pct_text}"), theme::dim()),
    ]
}

/// The producer-consumer lesson's panel: the bun counter and both sides' time.
pub struct Counter;

impl Panel for Counter {
    fn height(&self, ctx: &PanelCtx, width: usize) -> usize {
        height(ctx, width)
    }

    fn render(&self, ctx: &PanelCtx, frame: &mut Frame, area: Rect) {
        render(ctx, frame, area);
    }
}
