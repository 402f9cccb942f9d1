//! The master-worker lesson's panel: the master and where it serves (still listening, or
//! closed), its two served queues with the numbers in them, and each worker process: whether
//! the server let it in, the task it holds, how many it squared, and how it ended.

use super::words::Words;
use crate::engine::event::ResourceKind;
use crate::engine::trace::{ChangeKind, ResourceTrack, Trace};
use crate::engine::{ThreadState, Tid};
use crate::tui::panel::{Panel, PanelCtx, block, fit_spans, theme, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// A task or a result as the panel shows it: the number to square, or the square.
fn shown(item: &str) -> String {
    if item == "None" {
        return item.to_string();
    }
    let digits: Vec<&str> = item
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect();
    digits.last().map_or_else(|| item.to_string(), |d| d.to_string())
}

/// How many changes of `kind` `tid` made to `r`, and the item of its last one.
fn by(r: Option<&ResourceTrack>, tid: Tid, took: bool) -> (usize, Option<String>) {
    let Some(r) = r else {
        return (0, None);
    };
    let mut n = 0;
    let mut last = None;
    for c in r.history.iter().filter(|c| c.tid == tid) {
        let hit = match c.kind {
            ChangeKind::Took => took,
            ChangeKind::Put => !took,
            _ => false,
        };
        if hit && c.item.as_deref() != Some("None") {
            n += 1;
            last = c.item.clone();
        }
    }
    (n, last)
}

fn lines(ctx: &PanelCtx, t: &Trace, w: Words, width: usize) -> Vec<Line<'static>> {
    let find = |name: &str| t.resources.iter().find(|r| r.name == name);
    let server = t.resources.iter().find(|r| r.kind == ResourceKind::Listener);
    let (tasks, results) = (find("tasks"), find("results"));
    // Each row: a name, then its parts, which wrap as wholes.
    let mut rows: Vec<(String, Vec<Span<'static>>)> = Vec::new();

    if let Some(s) = server {
        let value = s.value.clone().unwrap_or_default();
        let mut spans = vec![Span::raw(value)];
        if s.closed {
            spans.push(Span::styled(w.closed().to_string(), theme::dim()));
        } else {
            spans.push(Span::styled(w.listening().to_string(), theme::good()));
        }
        // What the master has: squares it took from the results, tasks it put more than once.
        let collected = by(results, Tid(0), true).0;
        let sent = by(tasks, Tid(0), false).0;
        let planned = ctx.param("tasks").round() as u64;
        let style = if collected as u64 >= planned {
            theme::good()
        } else {
            Style::new()
        };
        spans.push(Span::styled(w.collected(collected, planned), style));
        let back = sent.saturating_sub(planned as usize);
        if back > 0 {
            spans.push(Span::styled(w.put_back(back), theme::alarm()));
        }
        rows.push(("master".into(), spans));
    }
    for (name, q) in [("tasks", tasks), ("results", results)] {
        let Some(q) = q else { continue };
        let items: Vec<String> = q.items.iter().map(|i| shown(i)).collect();
        let mut spans = vec![Span::styled(w.queue_len(items.len()), theme::dim())];
        if !items.is_empty() {
            spans.push(Span::styled(items.join(" "), theme::code()));
        }
        rows.push((name.into(), spans));
    }
    for p in &t.processes {
        let Some(track) = t.threads.iter().find(|th| th.process == p.pid) else {
            continue;
        };
        let tid = track.tid;
        let refused = server.is_some_and(|s| {
            s.history
                .iter()
                .any(|c| c.tid == tid && matches!(c.kind, ChangeKind::Refused(_)))
        });
        let connected = server.is_some_and(|s| s.holders.contains(&tid));
        let (took, holding) = by(tasks, tid, true);
        let (put, _) = by(results, tid, false);
        let state = ctx.state_now(track);
        let mut parts: Vec<Span<'static>> = Vec::new();
        if refused {
            parts.push(Span::styled(w.refused().to_string(), theme::alarm()));
        } else if connected {
            parts.push(Span::styled(w.connected().to_string(), theme::good()));
        } else if p.exit.is_none() && !track.state.is_finished() {
            parts.push(Span::styled(w.not_yet().to_string(), theme::dim()));
        }
        let holds = took > put;
        match (p.exit, holds, holding) {
            (Some(-15), true, Some(item)) => {
                parts.push(Span::styled(w.terminated(&shown(&item)), theme::alarm()));
            }
            (None, true, Some(item)) => {
                let style = theme::state(state);
                parts.push(Span::styled(w.holds(&shown(&item)), style));
            }
            (None, false, _) if connected && matches!(state, ThreadState::Blocked(_)) => {
                parts.push(Span::styled(w.waits().to_string(), theme::state(state)));
            }
            _ => {}
        }
        if put > 0 {
            parts.push(Span::raw(w.squared(put)));
        }
        if let Some(code) = p.exit
            && !(code == -15 && holds)
        {
            parts.push(Span::styled(w.gone(code), theme::dim()));
        }
        rows.push((p.name.clone(), parts));
    }
    let name_w = rows.iter().map(|(n, _)| wrap::width(n)).max().unwrap_or(0) + 1;
    let mut out: Vec<Line<'static>> = Vec::new();
    for (name, parts) in rows {
        let pad = name_w - wrap::width(&name);
        let mut line = vec![Span::styled(format!("{name}{}", " ".repeat(pad)), theme::title())];
        let mut used = name_w;
        let mut first = true;
        for part in parts {
            let w_part = wrap::width(&part.content);
            let sep = if first { 0 } else { 3 };
            if !first && used + sep + w_part > width {
                out.push(fit_spans(std::mem::take(&mut line), width));
                line.push(Span::raw(" ".repeat(name_w)));
                used = name_w;
                first = true;
            }
            if !first {
                line.push(Span::styled(" · ", theme::dim()));
                used += 3;
            }
            used += w_part;
            line.push(part);
            first = false;
        }
        out.push(fit_spans(line, width));
    }
    out
}

fn all_lines(ctx: &PanelCtx, width: usize) -> Vec<Line<'static>> {
    let w = Words(ctx.lang());
    match ctx.trace() {
        Some(t) if !t.resources.is_empty() => lines(ctx, t, w, width),
        _ => wrap::wrap(w.before(), width.max(1))
            .into_iter()
            .map(|l| Line::styled(l, theme::dim()))
            .collect(),
    }
}

/// The master-worker lesson's panel.
pub struct Board;

impl Panel for Board {
    fn height(&self, ctx: &PanelCtx, width: usize) -> usize {
        all_lines(ctx, width).len()
    }

    fn render(&self, ctx: &PanelCtx, frame: &mut Frame, area: Rect) {
        let w = Words(ctx.lang());
        let block = block(Line::from(format!(" {} ", w.title())), ctx.compact());
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let lines = all_lines(ctx, inner.width as usize);
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
