//! The queue's slots: items in the order they wait, the end they leave from (front for FIFO,
//! top for LIFO, smallest for priority), the latest put and take in colour, what has come out
//! so far, the threads waiting for room or for an item, and the non-blocking calls refused.

use super::words::Words;
use crate::engine::ThreadState;
use crate::engine::event::{QueueOrder, ResourceKind};
use crate::engine::trace::{ChangeKind, Move, ResourceTrack, Trace};
use crate::tui::panel::{Panel, PanelCtx, block, clip, fit, theme, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The latest non-blocking call the queue refused: who, and "full" or "empty".
fn refused(t: &Trace, queue: &str) -> Option<(String, String)> {
    let r = t.resources.iter().find(|r| r.name == queue)?;
    r.history.iter().rev().find_map(|c| match &c.kind {
        ChangeKind::Refused(reason) => Some((t.thread_name(c.tid).to_string(), reason.clone())),
        _ => None,
    })
}

fn height(ctx: &PanelCtx, width: usize) -> usize {
    lines(ctx, width).len()
}

fn render(ctx: &PanelCtx, frame: &mut Frame, area: Rect) {
    let title = format!(" {} ", Words(ctx.lang()).title());
    let block = block(title, ctx.compact());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let all = lines(ctx, inner.width as usize);
    let shown: Vec<Line> = all.into_iter().take(inner.height as usize).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}

fn lines(ctx: &PanelCtx, width: usize) -> Vec<Line<'static>> {
    let w = Words(ctx.lang());
    let queue = ctx.trace().and_then(|t| {
        t.resources
            .iter()
            .find(|r| matches!(r.kind, ResourceKind::Queue { .. }))
            .map(|r| (t, r))
    });
    match queue {
        Some((t, r)) => queue_lines(w, t, r, width),
        None => legend(w, width),
    }
}

/// Before a run: the four behaviours this lesson shows.
fn legend(w: Words, width: usize) -> Vec<Line<'static>> {
    let rows = [
        ("FIFO", w.fifo_means()),
        ("LIFO", w.lifo_means()),
        (w.priority(), w.priority_means()),
        (w.bounded(), w.bounded_means()),
    ];
    let mut out: Vec<Line> = rows
        .iter()
        .map(|(k, v)| {
            // Padded to 9 cells (a Chinese name is narrower in characters than in cells).
            let key = format!("{k}{}", " ".repeat(9usize.saturating_sub(wrap::width(k))));
            Line::from(vec![
                Span::styled(key, theme::title()),
                Span::raw(fit(v, width.saturating_sub(9))),
            ])
        })
        .collect();
    out.push(Line::styled(fit(w.enter_runs(), width), theme::dim()));
    out
}

fn queue_lines(w: Words, t: &Trace, r: &ResourceTrack, width: usize) -> Vec<Line<'static>> {
    let ResourceKind::Queue {
        order, capacity, ..
    } = r.kind
    else {
        return Vec::new();
    };
    let capacity = capacity as usize;
    let moves = t.moves(&r.name);
    let last_put = moves.iter().rev().find(|m| m.put);
    let last_take = moves.iter().rev().find(|m| !m.put);
    let mut out = vec![header(w, r, order, capacity, width)];
    out.push(slots(w, r, order, capacity, last_put, width));

    // What came out so far, the latest one highlighted.
    let taken: Vec<&Move> = moves.iter().filter(|m| !m.put).collect();
    let mut came = vec![Span::styled(w.came_out_so_far(), theme::dim())];
    if taken.is_empty() {
        came.push(Span::styled("—", theme::dim()));
    }
    for (i, m) in taken.iter().enumerate() {
        if i > 0 {
            came.push(Span::styled(" → ", theme::dim()));
        }
        let style = if Some(*m) == last_take {
            took_style()
        } else {
            Style::new()
        };
        came.push(Span::styled(m.item.clone(), style));
    }
    out.push(clip(Line::from(came), width));

    if let Some(line) = waiting(w, t, r, capacity, width) {
        out.push(line);
    }
    // The latest put and take, and who did them.
    let mut last = Vec::new();
    if let Some(m) = last_put {
        last.push(Span::styled(
            format!("{} ", w.last_in(&m.item)),
            put_style(),
        ));
        last.push(Span::styled(
            format!("({})  ", t.thread_name(m.tid)),
            theme::dim(),
        ));
    }
    if let Some(m) = last_take {
        last.push(Span::styled(
            format!("{} ", w.last_out(&m.item)),
            took_style(),
        ));
        last.push(Span::styled(
            format!("({})", t.thread_name(m.tid)),
            theme::dim(),
        ));
    }
    if !last.is_empty() {
        out.push(clip(Line::from(last), width));
    }
    if let Some((who, reason)) = refused(t, &r.name) {
        let (call, error) = if reason == "full" {
            ("put_nowait", "Full")
        } else {
            ("get_nowait", "Empty")
        };
        let text = w.refused(&who, call, error);
        out.push(Line::styled(fit(&text, width), theme::alarm()));
    }
    out.push(Line::styled(
        fit(rule(w, order, capacity), width),
        theme::dim(),
    ));
    out
}

/// `q  FIFO queue · 3/3 FULL`
fn header(
    w: Words,
    r: &ResourceTrack,
    order: QueueOrder,
    capacity: usize,
    width: usize,
) -> Line<'static> {
    let kind = match order {
        QueueOrder::Fifo => w.fifo_queue(),
        QueueOrder::Lifo => w.lifo_queue(),
        QueueOrder::Priority => w.priority_queue(),
    };
    let n = r.items.len();
    let size = if capacity == 0 {
        w.unbounded_size(n)
    } else {
        w.bounded_size(n, capacity)
    };
    let mut spans = vec![
        Span::styled(r.name.clone(), theme::title()),
        Span::raw(format!("  {kind} · {size}")),
    ];
    if capacity > 0 && n >= capacity {
        spans.push(Span::styled(format!("  {}", w.is_full()), theme::alarm()));
    } else if n == 0 && r.puts > 0 {
        spans.push(Span::styled(
            format!("  {}", w.is_empty()),
            theme::state_blocked(),
        ));
    }
    clip(Line::from(spans), width)
}

/// The slots between the two ends: `out ◀ [first][second][ ] ◀ in`.
fn slots(
    w: Words,
    r: &ResourceTrack,
    order: QueueOrder,
    capacity: usize,
    last_put: Option<&Move>,
    width: usize,
) -> Line<'static> {
    let items: Vec<String> = r.items.iter().map(|i| Trace::plain(i)).collect();
    let next_out = match order {
        QueueOrder::Lifo => items.len().checked_sub(1),
        _ => (!items.is_empty()).then_some(0),
    };
    // The latest put is highlighted while it is still in the queue.
    let fresh = last_put.and_then(|m| items.iter().rposition(|i| *i == m.item));
    let empty = capacity.saturating_sub(items.len());
    let (left, right) = match order {
        QueueOrder::Lifo => (w.bottom_end(), w.top_end()),
        _ => (w.out_end(), w.in_end()),
    };
    let cells = items.len() + empty;
    let cell_w: usize = items.iter().map(|i| wrap::width(i) + 2).sum::<usize>() + 3 * empty;
    let room = width.saturating_sub(wrap::width(left) + wrap::width(right));
    // Too many to show: the end items leave from, and a count of the rest.
    let (shown, hidden) = if cell_w <= room || cells == 0 {
        (items.len(), 0)
    } else {
        let mut used = 4; // "[+N]"
        let mut n = 0;
        let order_iter: Vec<usize> = match order {
            QueueOrder::Lifo => (0..items.len()).rev().collect(),
            _ => (0..items.len()).collect(),
        };
        for i in order_iter {
            let cell = wrap::width(&items[i]) + 2;
            if used + cell > room {
                break;
            }
            used += cell;
            n += 1;
        }
        (n, items.len() - n)
    };
    let mut spans = vec![Span::styled(left.to_string(), theme::dim())];
    let item_span = |i: usize| {
        let mut style = Style::new();
        if Some(i) == next_out {
            style = style.add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
        }
        if Some(i) == fresh {
            style = style.patch(put_style());
        }
        Span::styled(format!("[{}]", items[i]), style)
    };
    let rest = Span::styled(format!("[+{hidden}]"), theme::dim());
    match order {
        // Bottom first; a stack shows its top end, where the action is.
        QueueOrder::Lifo => {
            if hidden > 0 {
                spans.push(rest);
            }
            spans.extend((items.len() - shown..items.len()).map(item_span));
        }
        _ => {
            spans.extend((0..shown).map(item_span));
            if hidden > 0 {
                spans.push(rest);
            }
        }
    }
    if hidden == 0 {
        for _ in 0..empty {
            spans.push(Span::styled("[ ]", theme::dim()));
        }
    }
    if cells == 0 {
        spans.push(Span::styled(w.no_items(), theme::dim()));
    }
    spans.push(Span::styled(right.to_string(), theme::dim()));
    clip(Line::from(spans), width)
}

/// Threads blocked on the queue: on a full queue they wait for room, on an empty one for items.
fn waiting(
    w: Words,
    t: &Trace,
    r: &ResourceTrack,
    capacity: usize,
    width: usize,
) -> Option<Line<'static>> {
    let names: Vec<&str> = r
        .waiters
        .iter()
        .filter(|&&tid| {
            t.threads
                .get(tid.0 as usize)
                .is_some_and(|th| matches!(th.state, ThreadState::Blocked(_)))
        })
        .map(|&tid| t.thread_name(tid))
        .collect();
    if names.is_empty() {
        return None;
    }
    let full = capacity > 0 && r.items.len() >= capacity;
    let why = if full {
        w.put_waiting()
    } else {
        w.get_waiting()
    };
    let text = format!("{}: {why}", names.join(" "));
    Some(Line::styled(fit(&text, width), theme::state_blocked()))
}

fn rule(w: Words, order: QueueOrder, capacity: usize) -> &'static str {
    match (order, capacity) {
        (QueueOrder::Fifo, 0) => w.fifo_rule_now(),
        (QueueOrder::Fifo, _) => w.bounded_rule_now(),
        (QueueOrder::Lifo, _) => w.lifo_rule_now(),
        (QueueOrder::Priority, _) => w.priority_rule_now(),
    }
}

fn put_style() -> Style {
    theme::good().add_modifier(Modifier::BOLD)
}

fn took_style() -> Style {
    theme::key()
}

/// The queues lesson's panel: the queue's slots and what moved in and out.
pub struct Slots;

impl Panel for Slots {
    fn height(&self, ctx: &PanelCtx, width: usize) -> usize {
        height(ctx, width)
    }

    fn render(&self, ctx: &PanelCtx, frame: &mut Frame, area: Rect) {
        render(ctx, frame, area);
    }
}
