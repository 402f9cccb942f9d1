//! The queue's slots: items in the order they wait, the end they leave from (front for FIFO,
//! top for LIFO, smallest for priority), the latest put and take in colour, what has come out
//! so far, the threads waiting for room or for an item, and the non-blocking calls refused.

use crate::engine::ThreadState;
use crate::engine::event::{QueueOrder, ResourceKind};
use crate::engine::trace::{ChangeKind, Move, ResourceTrack, Trace};
use crate::tui::panel::{Panel, PanelCtx, block, clip, fit, theme, wrap};
use crate::words::Lang;
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

fn tr(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

fn height(ctx: &PanelCtx, width: usize) -> usize {
    lines(ctx, width).len()
}

fn render(ctx: &PanelCtx, frame: &mut Frame, area: Rect) {
    let title = format!(" {} ", tr(ctx.lang(), "Queue", "队列"));
    let block = block(title, ctx.compact());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let all = lines(ctx, inner.width as usize);
    let shown: Vec<Line> = all.into_iter().take(inner.height as usize).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}

fn lines(ctx: &PanelCtx, width: usize) -> Vec<Line<'static>> {
    let lang = ctx.lang();
    let queue = ctx.trace().and_then(|t| {
        t.resources
            .iter()
            .find(|r| matches!(r.kind, ResourceKind::Queue { .. }))
            .map(|r| (t, r))
    });
    match queue {
        Some((t, r)) => queue_lines(lang, t, r, width),
        None => legend(lang, width),
    }
}

/// Before a run: the four behaviours this lesson shows.
fn legend(lang: Lang, width: usize) -> Vec<Line<'static>> {
    let rows = [
        ("FIFO", tr(lang, "first in, first out", "先进先出")),
        (
            "LIFO",
            tr(lang, "last in, first out (a stack)", "后进先出（栈）"),
        ),
        (
            tr(lang, "priority", "优先级"),
            tr(lang, "smallest first", "最小的先出"),
        ),
        (
            tr(lang, "bounded", "有界"),
            tr(
                lang,
                "put waits when full, get when empty",
                "满了 put 等，空了 get 等",
            ),
        ),
    ];
    let mut out: Vec<Line> = rows
        .iter()
        .map(|(k, v)| {
            let key = format!("{k:<9}");
            Line::from(vec![
                Span::styled(key, theme::title()),
                Span::raw(fit(v, width.saturating_sub(9))),
            ])
        })
        .collect();
    out.push(Line::styled(
        fit(
            tr(
                lang,
                "Enter runs the step's queue.",
                "按 Enter 运行这一步的队列。",
            ),
            width,
        ),
        theme::dim(),
    ));
    out
}

fn queue_lines(lang: Lang, t: &Trace, r: &ResourceTrack, width: usize) -> Vec<Line<'static>> {
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
    let mut out = vec![header(lang, r, order, capacity, width)];
    out.push(slots(lang, r, order, capacity, last_put, width));

    // What came out so far, the latest one highlighted.
    let taken: Vec<&Move> = moves.iter().filter(|m| !m.put).collect();
    let mut came = vec![Span::styled(
        tr(lang, "came out: ", "取出顺序：").to_string(),
        theme::dim(),
    )];
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

    if let Some(w) = waiting(lang, t, r, capacity, width) {
        out.push(w);
    }
    // The latest put and take, and who did them.
    let mut last = Vec::new();
    if let Some(m) = last_put {
        last.push(Span::styled(
            format!("{}{} ", tr(lang, "in: ", "放入："), m.item),
            put_style(),
        ));
        last.push(Span::styled(
            format!("({})  ", t.thread_name(m.tid)),
            theme::dim(),
        ));
    }
    if let Some(m) = last_take {
        last.push(Span::styled(
            format!("{}{} ", tr(lang, "out: ", "取出："), m.item),
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
        let text = format!(
            "{who}: {call} → {error}, {}",
            tr(lang, "at once", "立即返回")
        );
        out.push(Line::styled(fit(&text, width), theme::alarm()));
    }
    out.push(Line::styled(
        fit(rule(lang, order, capacity), width),
        theme::dim(),
    ));
    out
}

/// `q  FIFO queue · 3/3 FULL`
fn header(
    lang: Lang,
    r: &ResourceTrack,
    order: QueueOrder,
    capacity: usize,
    width: usize,
) -> Line<'static> {
    let kind = match order {
        QueueOrder::Fifo => "FIFO",
        QueueOrder::Lifo => "LIFO",
        QueueOrder::Priority => tr(lang, "priority", "优先级"),
    };
    let n = r.items.len();
    let size = if capacity == 0 {
        format!("{n} {}", tr(lang, "items, no limit", "件，不限大小"))
    } else {
        format!("{n}/{capacity} (maxsize {capacity})")
    };
    let mut spans = vec![
        Span::styled(r.name.clone(), theme::title()),
        Span::raw(format!("  {kind} {} · {size}", tr(lang, "queue", "队列"))),
    ];
    if capacity > 0 && n >= capacity {
        spans.push(Span::styled(
            format!("  {}", tr(lang, "FULL", "已满")),
            theme::alarm(),
        ));
    } else if n == 0 && r.puts > 0 {
        spans.push(Span::styled(
            format!("  {}", tr(lang, "EMPTY", "已空")),
            theme::state_blocked(),
        ));
    }
    clip(Line::from(spans), width)
}

/// The slots between the two ends: `out ◀ [first][second][ ] ◀ in`.
fn slots(
    lang: Lang,
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
        QueueOrder::Lifo => (
            tr(lang, "bottom ", "底 "),
            tr(lang, " ◀▶ top: in+out", " ◀▶ 顶：进出"),
        ),
        _ => (tr(lang, "out ◀ ", "出 ◀ "), tr(lang, " ◀ in", " ◀ 进")),
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
            let w = wrap::width(&items[i]) + 2;
            if used + w > room {
                break;
            }
            used += w;
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
        spans.push(Span::styled(tr(lang, "(empty)", "（空）"), theme::dim()));
    }
    spans.push(Span::styled(right.to_string(), theme::dim()));
    clip(Line::from(spans), width)
}

/// Threads blocked on the queue: on a full queue they wait for room, on an empty one for items.
fn waiting(
    lang: Lang,
    t: &Trace,
    r: &ResourceTrack,
    capacity: usize,
    width: usize,
) -> Option<Line<'static>> {
    let names: Vec<&str> = r
        .waiters
        .iter()
        .filter(|&&w| {
            t.threads
                .get(w.0 as usize)
                .is_some_and(|th| matches!(th.state, ThreadState::Blocked(_)))
        })
        .map(|&w| t.thread_name(w))
        .collect();
    if names.is_empty() {
        return None;
    }
    let full = capacity > 0 && r.items.len() >= capacity;
    let why = if full {
        tr(lang, "put waits (full)", "put 在等（已满）")
    } else {
        tr(lang, "get waits (empty)", "get 在等（空）")
    };
    let text = format!("{}: {why}", names.join(" "));
    Some(Line::styled(fit(&text, width), theme::state_blocked()))
}

fn rule(lang: Lang, order: QueueOrder, capacity: usize) -> &'static str {
    match (order, capacity) {
        (QueueOrder::Fifo, 0) => tr(
            lang,
            "FIFO: the oldest leaves first",
            "先进先出：最早的先出",
        ),
        (QueueOrder::Fifo, _) => tr(
            lang,
            "put waits if full, get waits if empty",
            "满了 put 等，空了 get 等",
        ),
        (QueueOrder::Lifo, _) => tr(
            lang,
            "LIFO: the newest leaves first",
            "后进先出：最新的先出",
        ),
        (QueueOrder::Priority, _) => tr(
            lang,
            "priority: sorted, smallest out first",
            "优先级：保持有序，最小的先出",
        ),
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
