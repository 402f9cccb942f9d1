//! One lane per thread, coloured by state over time; a count of threads per state (which is
//! also the legend), the lanes shown out of how many, and a time axis.

use super::panel;
use crate::engine::trace::{ThreadTrack, Trace, fmt_ns};
use crate::engine::{Mode, ThreadState};
use crate::tui::app::{App, Current};
use crate::tui::theme;
use crate::tui::wrap;
use crate::words::Lang;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// How many lanes of run `r` fit in the timeline's inside `inner`, above the lines under them.
pub(crate) fn lanes_that_fit(app: &App, r: &Current, inner: Rect, compact: bool) -> usize {
    below_lanes(app, r, inner, compact, app.lane_scroll).0
}

/// Rows inside the timeline that show every lane of run `r` and the lines under them.
pub(crate) fn rows_wanted(app: &App, r: &Current, width: u16, compact: bool) -> usize {
    let tall = Rect::new(0, 0, width, u16::MAX / 2);
    let (_, below) = below_lanes(app, r, tall, compact, 0);
    r.trace.threads.len() + below.len()
}

/// The lanes in the order shown: the threads of a deadlock first, then those the step's text
/// names ("T1", "getters" for getter-1), then the rest, each group in the order they started.
/// With every lane in sight the order is the run's.
pub(crate) fn lane_order(app: &App, r: &Current, visible: usize) -> Vec<usize> {
    let t = &r.trace;
    let all: Vec<usize> = (0..t.threads.len()).collect();
    if t.threads.len() <= visible {
        return all;
    }
    let cycle: Vec<&str> = t.deadlock.as_ref().map_or(Vec::new(), |d| {
        let links = if d.cycle.is_empty() {
            &d.stuck
        } else {
            &d.cycle
        };
        links.iter().map(|l| l.thread.as_str()).collect()
    });
    let e = app.entry();
    let text = e
        .text
        .steps
        .get(e.step)
        .map_or("", |s| s.text.get(Lang::En));
    let rank = |i: &usize| {
        let name = t.threads[*i].name.as_str();
        if cycle.contains(&name) {
            0
        } else if names(text, name) {
            1
        } else {
            2
        }
    };
    let mut order = all;
    order.sort_by_key(rank);
    order
}

/// `text` speaks of thread `name`: the name as a word, or its stem for numbered threads
/// ("getter" or "getters" for getter-1).
fn names(text: &str, name: &str) -> bool {
    let word_at = |word: &str, plural: bool| {
        text.match_indices(word).any(|(i, _)| {
            let before = text[..i].chars().next_back();
            let after_text = &text[i + word.len()..];
            let after_text = if plural {
                after_text.strip_prefix('s').unwrap_or(after_text)
            } else {
                after_text
            };
            let after = after_text.chars().next();
            let edge = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != '_');
            edge(before) && edge(after)
        })
    };
    if name.is_empty() {
        return false;
    }
    if word_at(name, false) {
        return true;
    }
    match name.rsplit_once('-') {
        Some((stem, n)) if !stem.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => {
            word_at(stem, true)
        }
        _ => false,
    }
}

/// A thread's state now. In step mode a thread waiting for its turn is ready, though its
/// last event said it was running: the run's candidates know better.
pub(crate) fn state_now(r: &Current, track: &ThreadTrack) -> ThreadState {
    if r.over() {
        return track.state;
    }
    r.status
        .candidates
        .iter()
        .find(|c| c.tid == track.tid)
        .map_or(track.state, |c| c.state)
}

/// The clock span the lanes cover: the expected length while a run grows into it, the whole
/// run once it is over.
fn axis_ns(r: &Current) -> u64 {
    let now = r.now_ns();
    let end = if r.over() {
        now
    } else {
        now.max(r.expected_ns.unwrap_or(0))
    };
    end.max(1)
}

pub fn render(app: &App, frame: &mut Frame, area: Rect, compact: bool) {
    let w = app.words();
    let title = match &app.run {
        Some(r) => format!(" {} ", w.timeline_of(&r.variant, w.mode(r.mode))),
        None => format!(" {} ", w.timeline()),
    };
    let block = panel(title, compact);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(r) = &app.run else {
        let lines: Vec<Line> = wrap::wrap(w.no_run_yet(), inner.width as usize)
            .into_iter()
            .map(|l| Line::styled(l, theme::dim()))
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
        return;
    };
    let t = &r.trace;
    let width = inner.width as usize;
    let name_w = t
        .threads
        .iter()
        .map(|t| wrap::width(&t.name))
        .max()
        .unwrap_or(4)
        .clamp(4, 10)
        + 1;
    let cells = width.saturating_sub(name_w);
    let (visible, _) = below_lanes(app, r, inner, compact, app.lane_scroll);
    let scroll = app.lane_scroll.min(t.threads.len().saturating_sub(visible));
    let (visible, below) = below_lanes(app, r, inner, compact, scroll);

    let axis = axis_ns(r);
    let now = r.now_ns();
    let mut lines: Vec<Line> = Vec::new();
    let order = lane_order(app, r, visible);
    for track in order
        .iter()
        .skip(scroll)
        .take(visible)
        .map(|&i| &t.threads[i])
    {
        let chosen = app.chosen == Some(track.tid);
        let can_move = r.status.candidates.iter().any(|c| c.tid == track.tid);
        let state = state_now(r, track);
        let mut name_style = theme::state(state);
        if chosen {
            name_style = name_style.patch(theme::selected());
        } else if !can_move && track.state.is_finished() {
            name_style = theme::dim();
        }
        let name = wrap::truncate(&track.name, name_w - 1);
        let pad = name_w - wrap::width(&name);
        let mut spans = vec![Span::styled(name, name_style), Span::raw(" ".repeat(pad))];
        spans.extend(lane(track, state, r.mode == Mode::Live, axis, now, cells));
        lines.push(Line::from(spans));
    }
    while lines.len() < visible {
        lines.push(Line::default());
    }
    lines.extend(below);
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The cells of one lane: in each, the state that filled most of its time.
fn lane(
    track: &ThreadTrack,
    state_now: ThreadState,
    live: bool,
    axis: u64,
    now: u64,
    cells: usize,
) -> Vec<Span<'static>> {
    if cells == 0 {
        return Vec::new();
    }
    let at = |i: usize| (i as u128 * axis as u128 / cells as u128) as u64;
    let cell_of = |ns: u64| ((ns as u128 * cells as u128 / axis as u128) as usize).min(cells - 1);
    let mut states: Vec<Option<ThreadState>> = vec![None; cells];
    let mut best = vec![0u64; cells];
    for s in &track.spans {
        let from = s.from_ns;
        let to = s.to_ns.unwrap_or(now).max(from);
        // On a virtual clock running takes no time: a thread that "runs" while time passes
        // is waiting for its turn (the engine marks that without an event).
        let state = if !live && s.state == ThreadState::Running && to > from {
            ThreadState::Ready
        } else {
            s.state
        };
        if from > axis {
            continue;
        }
        let (first, last) = (cell_of(from), cell_of(to.min(axis)));
        for i in first..=last {
            let overlap = to.min(at(i + 1)).saturating_sub(from.max(at(i)));
            // A span too short to cover any time still shows, if nothing else is there.
            let weight = overlap * 2 + 1;
            if weight > best[i] {
                best[i] = weight;
                states[i] = Some(state);
            }
        }
    }
    if track.state.is_finished() {
        if let Some(end) = track.spans.last().and_then(|s| s.to_ns) {
            states[cell_of(end)] = Some(track.state);
        }
    } else if now <= axis {
        // Where the run stands now, each lane shows its state now (step mode changes states
        // without moving the clock).
        states[cell_of(now)] = Some(state_now);
    }
    let mut out: Vec<Span> = Vec::new();
    let mut run: Option<(Option<ThreadState>, String)> = None;
    for s in states {
        let key = s.map(theme::glyph);
        match &mut run {
            Some((prev, text)) if prev.map(theme::glyph) == key => {
                text.push_str(key.unwrap_or(" "))
            }
            _ => {
                if let Some((prev, text)) = run.take() {
                    out.push(cell_span(prev, text));
                }
                run = Some((s, key.unwrap_or(" ").to_string()));
            }
        }
    }
    if let Some((prev, text)) = run {
        out.push(cell_span(prev, text));
    }
    out
}

fn cell_span(state: Option<ThreadState>, text: String) -> Span<'static> {
    match state {
        Some(s) => Span::styled(text, theme::state(s)),
        None => Span::raw(text),
    }
}

/// The lines under the lanes: thread counts by state (with their glyphs: the legend), the
/// lanes shown when not all fit, and the time axis. Also how many lanes fit above them.
fn below_lanes(
    app: &App,
    r: &Current,
    inner: Rect,
    compact: bool,
    scroll: usize,
) -> (usize, Vec<Line<'static>>) {
    let w = app.words();
    let t = &r.trace;
    let width = inner.width as usize;
    let height = inner.height as usize;
    let mut pieces: Vec<Vec<Span<'static>>> = Vec::new();
    let count = match t.threads.len() {
        1 => w.one_thread().to_string(),
        n => w.thread_count(n),
    };
    pieces.push(vec![Span::styled(count, theme::title())]);
    for state in theme::LEGEND {
        let n = t
            .threads
            .iter()
            .filter(|k| state_now(r, k).same_kind(state))
            .count();
        if n > 0 {
            pieces.push(vec![
                Span::styled(theme::glyph(state), theme::state(state)),
                Span::raw(format!(" {} {n}", state.word(app.lang))),
            ]);
        }
    }
    let assemble = |pieces: Vec<Vec<Span<'static>>>| {
        let mut lines = Vec::new();
        if !compact {
            lines.extend(flow(legend(app.lang), width));
        }
        lines.extend(flow(pieces, width));
        lines.push(axis_line(t, axis_ns(r), width));
        lines
    };
    let lines = assemble(pieces.clone());
    let visible = height.saturating_sub(lines.len());
    if t.threads.len() <= visible {
        return (visible, lines);
    }
    // Not every lane fits: say which are shown and how to see the others.
    let range = |visible: usize| {
        let last = scroll.saturating_add(visible).min(t.threads.len());
        vec![Span::styled(
            format!(
                "│ {} PgUp/PgDn",
                w.lanes(scroll.saturating_add(1).min(last), last, t.threads.len())
            ),
            theme::dim(),
        )]
    };
    let mut with_range = pieces;
    with_range.push(range(visible));
    let visible = height.saturating_sub(assemble(with_range.clone()).len());
    with_range.pop();
    with_range.push(range(visible));
    (visible, assemble(with_range))
}

/// Every state's glyph and word, for the roomy layout.
fn legend(lang: Lang) -> Vec<Vec<Span<'static>>> {
    theme::LEGEND
        .into_iter()
        .map(|s| {
            vec![
                Span::styled(theme::glyph(s), theme::state(s)),
                Span::styled(format!(" {}", s.word(lang)), theme::dim()),
            ]
        })
        .collect()
}

/// Lay pieces out in lines of `width`, two spaces apart.
fn flow(pieces: Vec<Vec<Span<'static>>>, width: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut cur: Vec<Span> = Vec::new();
    let mut used = 0;
    for p in pieces {
        let pw: usize = p.iter().map(|s| s.width()).sum();
        if used > 0 && used + 2 + pw > width {
            lines.push(Line::from(std::mem::take(&mut cur)));
            used = 0;
        }
        if used > 0 {
            cur.push(Span::raw("  "));
            used += 2;
        }
        cur.extend(p);
        used += pw;
    }
    if !cur.is_empty() {
        lines.push(Line::from(cur));
    }
    lines
}

/// "0 ───── 250 ms ───── 500 ms" under the lanes.
fn axis_line(t: &Trace, axis: u64, width: usize) -> Line<'static> {
    let name_w = t
        .threads
        .iter()
        .map(|t| wrap::width(&t.name))
        .max()
        .unwrap_or(4)
        .clamp(4, 10)
        + 1;
    let cells = width.saturating_sub(name_w);
    let (left, mid, right) = ("0".to_string(), fmt_ns(axis / 2), fmt_ns(axis));
    let mut ruler: Vec<char> = vec!['─'; cells];
    let mut put = |at: usize, s: &str| {
        for (k, c) in s.chars().enumerate() {
            if let Some(slot) = ruler.get_mut(at + k) {
                *slot = c;
            }
        }
    };
    let (mw, rw) = (mid.chars().count(), right.chars().count());
    if cells > mw + rw + 6 {
        put((cells / 2).saturating_sub(mw / 2), &format!(" {mid} "));
    }
    put(0, &format!("{left} "));
    put(cells.saturating_sub(rw + 1), &format!(" {right}"));
    let ruler: String = ruler.into_iter().collect();
    Line::from(vec![
        Span::raw(" ".repeat(name_w)),
        Span::styled(ruler, Style::new().patch(theme::dim())),
    ])
}
