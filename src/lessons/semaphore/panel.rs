//! The semaphore lesson's panel: the restroom. Its stalls with who is in each, the queue at
//! the door in order, the semaphore's counter (free stalls), and how many were inside over time.
//!
//! A person is in a stall while they stay (their sleep). Each one keeps the stall they walked
//! into: stalls are handed out lowest first, replaying the stays in time order.

use super::words::Words;
use crate::engine::ThreadState;
use crate::engine::event::ResourceKind;
use crate::engine::trace::{ResourceTrack, Trace};
use crate::tui::panel::{Panel, PanelCtx, block, fit_spans, names_fit, theme, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The restroom as the panel shows it.
struct Room {
    /// The semaphore's permits, or the lesson's stall count when there is no semaphore.
    stalls: usize,
    guarded: bool,
    /// Who is in each stall.
    occupants: Vec<Option<String>>,
    /// Inside without a stall (only without a semaphore).
    crowd: Vec<String>,
    /// The queue at the door, first in line first.
    queue: Vec<String>,
    served: usize,
    people: usize,
    /// (from, to) of every stay so far; `to` is None while it lasts.
    stays: Vec<(u64, Option<u64>)>,
    now_ns: u64,
}

fn semaphore(t: &Trace) -> Option<(&ResourceTrack, usize)> {
    t.resources.iter().find_map(|r| match r.kind {
        ResourceKind::Semaphore { permits } => Some((r, permits as usize)),
        _ => None,
    })
}

fn room(ctx: &PanelCtx, t: &Trace) -> Room {
    let sem = semaphore(t);
    let stalls = sem.map_or_else(|| ctx.param("stalls") as usize, |s| s.1);
    let people: Vec<_> = t.threads.iter().filter(|th| th.parent.is_some()).collect();
    // Inside now: the semaphore's holders, or (with no semaphore) everyone who has started.
    let inside: Vec<String> = match sem {
        Some((r, _)) => r
            .holders
            .iter()
            .map(|&h| t.thread_name(h).to_string())
            .collect(),
        None => people
            .iter()
            .filter(|p| {
                !p.state.is_finished() && (p.state != ThreadState::Ready || p.spans.len() > 1)
            })
            .map(|p| p.name.clone())
            .collect(),
    };
    let queue = sem.map_or_else(Vec::new, |(r, _)| {
        r.waiters
            .iter()
            .map(|&w| t.thread_name(w).to_string())
            .collect()
    });

    // Replay the stays in time order; each takes the lowest stall free at that moment.
    let mut stays: Vec<(u64, Option<u64>, &str)> = Vec::new();
    for p in &people {
        for s in p.spans.iter().filter(|s| s.state == ThreadState::Sleeping) {
            stays.push((s.from_ns, s.to_ns, p.name.as_str()));
        }
    }
    stays.sort_by_key(|s| s.0);
    let mut busy_until: Vec<Option<u64>> = vec![Some(0); stalls]; // None: taken, still there
    let mut last_stall: Vec<(&str, Option<usize>)> = Vec::new();
    for &(from, to, name) in &stays {
        let stall = busy_until
            .iter()
            .position(|b| b.is_some_and(|until| until <= from));
        if let Some(i) = stall {
            busy_until[i] = to;
        }
        match last_stall.iter_mut().find(|(n, _)| *n == name) {
            Some(entry) => entry.1 = stall,
            None => last_stall.push((name, stall)),
        }
    }

    // Everyone inside keeps the stall they last had; newcomers take the lowest free one.
    let mut occupants: Vec<Option<String>> = vec![None; stalls];
    let mut crowd = Vec::new();
    let mut unplaced = Vec::new();
    for name in &inside {
        let had = last_stall
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, s)| *s);
        match had {
            Some(i) if occupants[i].is_none() => occupants[i] = Some(name.clone()),
            _ => unplaced.push(name.clone()),
        }
    }
    for name in unplaced {
        match occupants.iter().position(Option::is_none) {
            Some(i) => occupants[i] = Some(name),
            None => crowd.push(name),
        }
    }
    let finished = people
        .iter()
        .filter(|p| p.state == ThreadState::Done)
        .count();
    Room {
        stalls,
        guarded: sem.is_some(),
        occupants,
        crowd,
        queue,
        served: finished + inside.len(),
        people: (ctx.param("people") as usize).max(people.len()),
        stays: stays.iter().map(|&(f, to, _)| (f, to)).collect(),
        now_ns: ctx.clock().0.max(t.now_ns),
    }
}

/// The most people inside during each of `cells` equal slices of [0, end].
fn occupancy(stays: &[(u64, Option<u64>)], end: u64, cells: usize) -> Vec<usize> {
    let mut out = vec![0; cells];
    if cells == 0 {
        return out;
    }
    let end = end.max(1);
    // +1 at each arrival, -1 at each departure; departures first at the same instant.
    let mut changes: Vec<(u64, i64)> = Vec::new();
    for &(from, to) in stays {
        changes.push((from, 1));
        if let Some(to) = to {
            changes.push((to, -1));
        }
    }
    changes.sort();
    let cell_of = |ns: u64| ((ns as u128 * cells as u128 / end as u128) as usize).min(cells - 1);
    let mut level: i64 = 0;
    let mut at = 0;
    for (i, cell) in out.iter_mut().enumerate() {
        // The level entering this cell, then every change inside it.
        *cell = level.max(0) as usize;
        while at < changes.len() && cell_of(changes[at].0) <= i {
            level += changes[at].1;
            *cell = (*cell).max(level.max(0) as usize);
            at += 1;
        }
        // A cell that ends lower than its peak keeps the peak; the next starts from the level.
    }
    out
}

fn spark(levels: &[usize], top: usize) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let top = top.max(1);
    levels
        .iter()
        .map(|&v| {
            if v == 0 {
                ' '
            } else {
                BARS[((v * 8).div_ceil(top)).clamp(1, 8) - 1]
            }
        })
        .collect()
}

/// Stalls as boxes, as many per row as fit:
/// ┌────┬────┐
/// │ P1 │    │
/// └────┴────┘
fn boxes(occupants: &[Option<String>], cell: usize, per_row: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for row in occupants.chunks(per_row.max(1)) {
        let bar = "─".repeat(cell);
        let join = |l: &str, m: &str, r: &str| {
            let mid = vec![bar.clone(); row.len()].join(m);
            format!("{l}{mid}{r}")
        };
        out.push(Line::styled(join("┌", "┬", "┐"), theme::border()));
        let mut spans = vec![Span::styled("│", theme::border())];
        for o in row {
            let name = o.clone().unwrap_or_default();
            let pad = cell.saturating_sub(wrap::width(&name));
            let text = format!("{}{name}{}", " ".repeat(pad / 2), " ".repeat(pad - pad / 2));
            spans.push(Span::styled(text, theme::state(ThreadState::Sleeping)));
            spans.push(Span::styled("│", theme::border()));
        }
        out.push(Line::from(spans));
        out.push(Line::styled(join("└", "┴", "┘"), theme::border()));
    }
    out
}

/// Stalls as brackets, one line per row: [P1 ][   ][P3 ]
fn brackets(occupants: &[Option<String>], cell: usize, per_row: usize) -> Vec<Line<'static>> {
    occupants
        .chunks(per_row.max(1))
        .map(|row| {
            let mut spans = Vec::new();
            for o in row {
                let name = o.clone().unwrap_or_default();
                let pad = cell.saturating_sub(wrap::width(&name));
                spans.push(Span::styled("[", theme::border()));
                spans.push(Span::styled(
                    format!("{name}{}", " ".repeat(pad)),
                    theme::state(ThreadState::Sleeping),
                ));
                spans.push(Span::styled("]", theme::border()));
            }
            Line::from(spans)
        })
        .collect()
}

fn lines(room: &Room, w: Words, width: usize, compact: bool) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let free = room.occupants.iter().filter(|o| o.is_none()).count();
    // The counter: "5 stalls · 2 free (the semaphore's counter)"
    let mut head = vec![Span::styled(w.stalls(room.stalls), theme::title())];
    if room.guarded {
        head.push(Span::raw(" · "));
        head.push(Span::styled(w.free(free), theme::key()));
        if !compact {
            head.push(Span::styled(w.counter(), theme::dim()));
        }
    }
    if compact {
        let served = format!(" · {}", w.so_far(room.served, room.people));
        head.push(Span::styled(served, theme::dim()));
    }
    out.push(fit_spans(head, width));
    if !room.guarded {
        out.push(Line::styled(
            wrap::truncate(w.no_semaphore(), width),
            theme::alarm(),
        ));
    }

    let cell = room
        .occupants
        .iter()
        .flatten()
        .chain(room.queue.iter())
        .map(|n| wrap::width(n))
        .max()
        .unwrap_or(2)
        .max(wrap::width(&format!("P{}", room.people)))
        + 2;
    let per_row = (width.saturating_sub(1) / (cell + 1)).max(1);
    let rows = room.stalls.div_ceil(per_row);
    if !compact && rows <= 2 {
        out.extend(boxes(&room.occupants, cell, per_row));
    } else {
        let cell = cell - 1;
        out.extend(brackets(&room.occupants, cell, (width / (cell + 2)).max(1)));
    }
    if !room.crowd.is_empty() {
        let head = w.no_stall().to_string();
        let room_w = width.saturating_sub(wrap::width(&head));
        out.push(fit_spans(
            vec![
                Span::styled(head, theme::alarm()),
                Span::styled(names_fit(&room.crowd, room_w), theme::alarm()),
            ],
            width,
        ));
    }
    if room.guarded {
        let head = if room.queue.is_empty() {
            format!("{} ▸ ", w.door())
        } else {
            format!("{} ▸ ", w.door_queue(room.queue.len()))
        };
        let rest = width.saturating_sub(wrap::width(&head));
        let names = if room.queue.is_empty() {
            Span::styled(w.nobody_waits(), theme::dim())
        } else {
            Span::styled(names_fit(&room.queue, rest), theme::state_blocked())
        };
        out.push(fit_spans(
            vec![Span::styled(head, theme::title()), names],
            width,
        ));
    }

    let levels_w = if compact {
        width.saturating_sub(14).max(8)
    } else {
        width
    };
    let levels = occupancy(&room.stays, room.now_ns, levels_w);
    let peak = levels.iter().copied().max().unwrap_or(0);
    let over = peak > room.stalls;
    let label_style = if over { theme::alarm() } else { theme::dim() };
    let top = peak.max(room.stalls);
    let bars_style = if over {
        theme::alarm()
    } else {
        theme::state(ThreadState::Sleeping)
    };
    let peak_text = if over {
        w.peak_over(peak, room.stalls)
    } else {
        w.peak(peak, room.stalls)
    };
    if compact {
        out.push(fit_spans(
            vec![
                Span::styled(spark(&levels, top), bars_style),
                Span::styled(format!(" {peak_text}"), label_style),
            ],
            width,
        ));
    } else {
        let label = format!(
            "{} · {} · {peak_text}",
            w.so_far(room.served, room.people),
            w.over_time()
        );
        out.push(Line::styled(wrap::truncate(&label, width), label_style));
        out.push(Line::styled(spark(&levels, top), bars_style));
    }
    out
}

fn height(ctx: &PanelCtx, width: usize) -> usize {
    let w = Words(ctx.lang());
    match ctx.trace() {
        Some(t) => lines(&room(ctx, t), w, width, ctx.compact()).len(),
        None => wrap::wrap(w.nothing_yet(), width.max(1)).len(),
    }
}

fn render(ctx: &PanelCtx, frame: &mut Frame, area: Rect) {
    let w = Words(ctx.lang());
    let block = block(format!(" {} ", w.title()), ctx.compact());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let lines = match ctx.trace() {
        Some(t) => lines(&room(ctx, t), w, width, ctx.compact()),
        None => wrap::wrap(w.nothing_yet(), width.max(1))
            .into_iter()
            .map(|l| Line::styled(l, theme::dim()))
            .collect(),
    };
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The semaphore lesson's panel: the stalls, the door and the headcount.
pub struct Restroom;

impl Panel for Restroom {
    fn height(&self, ctx: &PanelCtx, width: usize) -> usize {
        height(ctx, width)
    }

    fn render(&self, ctx: &PanelCtx, frame: &mut Frame, area: Rect) {
        render(ctx, frame, area);
    }
}
