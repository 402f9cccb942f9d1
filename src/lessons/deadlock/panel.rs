//! The deadlock lesson's panel: each lock with its holder (and count, for a reentrant one) and
//! its waiters, then the wait-for graph: every waiting thread points through the lock it wants
//! to the thread that holds it. Once a deadlock is found, its cycle is drawn first, in red.
//!
//! After a deadlock the run is cancelled and its threads unwind, releasing their locks, so the
//! panel then draws the snapshot the deadlock report took when it was found.

use crate::engine::event::{BlockedOn, ResourceKind};
use crate::engine::trace::Trace;
use crate::engine::{Deadlock, ThreadState, Tid};
use crate::tui::panel::{Panel, PanelCtx, block, fit_spans, names_fit, theme, wrap};
use crate::words::Lang;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

struct Words {
    title: &'static str,
    deadlock: &'static str,
    locks: &'static str,
    graph: &'static str,
    graph_short: &'static str,
    cycle: &'static str,
    held_by: &'static str,
    free: &'static str,
    waiting: &'static str,
    reentrant: &'static str,
    join: &'static str,
    itself: &'static str,
    stuck_behind: &'static str,
    none_waits: &'static str,
    all_finished: &'static str,
    taken: &'static str,
    nothing_yet: &'static str,
}

const EN: Words = Words {
    title: "Locks and who waits for whom",
    deadlock: "DEADLOCK",
    locks: "locks",
    graph: "wait-for graph (thread ─lock─▶ its holder)",
    graph_short: "wait-for graph",
    cycle: "CYCLE: nobody in it can ever move",
    held_by: "held by",
    free: "free",
    waiting: "waiting",
    reentrant: "reentrant",
    join: "join",
    itself: "itself",
    stuck_behind: "stuck behind it",
    none_waits: "nobody waits",
    all_finished: "all threads finished: no cycle formed",
    taken: "taken",
    nothing_yet: "Run a variant: its locks, their holders and waiters, and who waits for whom appear here.",
};

const ZH: Words = Words {
    title: "锁与等待关系",
    deadlock: "死锁",
    locks: "锁",
    graph: "等待图（线程 ─锁─▶ 持有者）",
    graph_short: "等待图",
    cycle: "成环：环上谁也动不了",
    held_by: "持有者",
    free: "空闲",
    waiting: "等待",
    reentrant: "可重入",
    join: "join",
    itself: "自己",
    stuck_behind: "堵在后面",
    none_waits: "没有人在等",
    all_finished: "所有线程都完成了：从没形成环",
    taken: "被拿过",
    nothing_yet: "运行一个版本：这里会显示每把锁、它的持有者和等待者，以及谁在等谁。",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

/// A lock as the panel shows it.
struct Lock {
    name: String,
    reentrant: bool,
    holder: Option<String>,
    /// The holder's state, when the run is still going ("sleeping", "blocked").
    holder_state: Option<ThreadState>,
    count: u32,
    waiters: Vec<String>,
    /// How many times it was taken so far (0: not known).
    taken: u64,
}

/// Threads waiting for one lock (or one thread, for a join), and who they wait for.
struct Edge {
    from: Vec<String>,
    via: String,
    to: String,
    to_state: Option<ThreadState>,
}

struct Model {
    locks: Vec<Lock>,
    edges: Vec<Edge>,
    /// The deadlock's cycle: (thread, the lock it waits for), in order.
    cycle: Option<Vec<(String, String)>>,
    /// Every thread has finished.
    finished: bool,
}

/// The locks and the graph as the run stands now.
fn live(ctx: &PanelCtx, t: &Trace) -> Model {
    let state = |tid: Tid| -> ThreadState {
        let track = &t.threads[tid.0 as usize];
        ctx.state_now(track)
    };
    let mut locks = Vec::new();
    let mut edges = Vec::new();
    for r in &t.resources {
        if !matches!(r.kind, ResourceKind::Mutex | ResourceKind::ReentrantMutex) {
            continue;
        }
        let waiters: Vec<String> = r
            .waiters
            .iter()
            .map(|&w| t.thread_name(w).to_string())
            .collect();
        let holder = r.owner.map(|o| t.thread_name(o).to_string());
        if let Some(o) = r.owner
            && !waiters.is_empty()
        {
            edges.push(Edge {
                from: waiters.clone(),
                via: r.name.clone(),
                to: t.thread_name(o).to_string(),
                to_state: Some(state(o)),
            });
        }
        locks.push(Lock {
            name: r.name.clone(),
            reentrant: r.kind == ResourceKind::ReentrantMutex,
            holder,
            holder_state: r.owner.map(state),
            count: r.count,
            waiters,
            taken: r.acquisitions,
        });
    }
    for th in &t.threads {
        if let ThreadState::Blocked(BlockedOn::Thread(target)) = state(th.tid) {
            edges.push(Edge {
                from: vec![th.name.clone()],
                via: String::new(),
                to: t.thread_name(target).to_string(),
                to_state: Some(state(target)),
            });
        }
    }
    Model {
        locks,
        edges,
        cycle: None,
        finished: t.finished,
    }
}

/// The locks and the graph when the deadlock was found, from its report. Waiters are listed
/// in the order they began to wait.
fn frozen(t: &Trace, d: &Deadlock) -> Model {
    let waited_since = |name: &str| -> u64 {
        t.threads
            .iter()
            .find(|th| th.name == name)
            .and_then(|th| {
                th.spans
                    .iter()
                    .rev()
                    .find(|s| matches!(s.state, ThreadState::Blocked(_)))
            })
            .map_or(u64::MAX, |s| s.from_ns)
    };
    let in_cycle = |name: &str| d.cycle.iter().any(|l| l.thread == name);
    let mut locks = Vec::new();
    let mut edges = Vec::new();
    for r in &t.resources {
        if !matches!(r.kind, ResourceKind::Mutex | ResourceKind::ReentrantMutex) {
            continue;
        }
        let holder = d
            .stuck
            .iter()
            .find(|l| l.holds.contains(&r.name))
            .map(|l| l.thread.clone());
        let mut waiters: Vec<String> = d
            .stuck
            .iter()
            .filter(|l| l.waits_for == r.name)
            .map(|l| l.thread.clone())
            .collect();
        waiters.sort_by_key(|w| waited_since(w));
        let behind: Vec<String> = waiters.iter().filter(|w| !in_cycle(w)).cloned().collect();
        if let Some(h) = &holder
            && !behind.is_empty()
        {
            edges.push(Edge {
                from: behind,
                via: r.name.clone(),
                to: h.clone(),
                to_state: None,
            });
        }
        locks.push(Lock {
            name: r.name.clone(),
            reentrant: r.kind == ResourceKind::ReentrantMutex,
            holder,
            holder_state: None,
            count: 1,
            waiters,
            taken: 0,
        });
    }
    for l in &d.stuck {
        if let Some(target) = l.waits_for.strip_suffix(" to finish") {
            edges.push(Edge {
                from: vec![l.thread.clone()],
                via: String::new(),
                to: target.to_string(),
                to_state: None,
            });
        }
    }
    let cycle = (!d.cycle.is_empty()).then(|| {
        d.cycle
            .iter()
            .map(|l| (l.thread.clone(), l.waits_for.clone()))
            .collect()
    });
    Model {
        locks,
        edges,
        cycle,
        finished: false,
    }
}

fn model(ctx: &PanelCtx) -> Option<Model> {
    let t = ctx.trace()?;
    Some(match &t.deadlock {
        Some(d) => frozen(t, d),
        None => live(ctx, t),
    })
}

fn state_word(s: Option<ThreadState>) -> String {
    match s {
        Some(s @ (ThreadState::Sleeping | ThreadState::Blocked(_) | ThreadState::Working)) => {
            format!(" ({})", s.word(Lang::En))
        }
        _ => String::new(),
    }
}

fn lines(m: &Model, w: &Words, width: usize, compact: bool) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let name_w = m
        .locks
        .iter()
        .map(|l| wrap::width(&l.name))
        .max()
        .unwrap_or(1);
    if !compact {
        out.push(Line::styled(w.locks.to_string(), theme::dim()));
    }
    for l in &m.locks {
        out.push(lock_line(l, w, name_w, width, compact));
    }
    match &m.cycle {
        Some(c) => {
            out.push(Line::styled(wrap::truncate(w.cycle, width), theme::alarm()));
            out.push(Line::styled(
                wrap::truncate(&cycle_text(c, w), width),
                theme::alarm(),
            ));
        }
        None => {
            let head = if compact { w.graph_short } else { w.graph };
            out.push(Line::styled(wrap::truncate(head, width), theme::dim()));
            if m.finished {
                out.push(Line::styled(
                    wrap::truncate(w.all_finished, width),
                    theme::good(),
                ));
            } else if m.edges.is_empty() {
                out.push(Line::styled(w.none_waits.to_string(), theme::dim()));
            }
        }
    }
    let locks: Vec<&Edge> = m.edges.iter().filter(|e| !e.via.is_empty()).collect();
    for chain in chains(&locks) {
        let last = chain[chain.len() - 1];
        let mut tail = String::new();
        for e in &chain {
            tail.push_str(&format!(" ─{}─▶ {}", e.via, e.to));
        }
        tail.push_str(&state_word(last.to_state));
        let behind = if m.cycle.is_some() {
            format!("  {}", w.stuck_behind)
        } else {
            String::new()
        };
        let room = width.saturating_sub(wrap::width(&tail) + wrap::width(&behind));
        out.push(fit_spans(
            vec![
                Span::styled(
                    names_fit(&chain[0].from, room.max(4)),
                    theme::state_blocked(),
                ),
                Span::styled(tail, theme::state_blocked()),
                Span::styled(behind, theme::dim()),
            ],
            width,
        ));
    }
    for e in m.edges.iter().filter(|e| e.via.is_empty()) {
        let text = format!(
            "{} ─{}─▶ {}{}",
            e.from.join(" "),
            w.join,
            e.to,
            state_word(e.to_state)
        );
        out.push(Line::styled(wrap::truncate(&text, width), theme::dim()));
    }
    out
}

/// "A  held by T1 ×2 (sleeping) · waiting 3: T2 T3 T4"
fn lock_line(l: &Lock, w: &Words, name_w: usize, width: usize, compact: bool) -> Line<'static> {
    let mut spans = vec![Span::styled(
        format!("{:<name_w$} ", l.name),
        theme::title(),
    )];
    if l.reentrant && !compact {
        spans.push(Span::styled(format!("{} ", w.reentrant), theme::dim()));
    }
    match &l.holder {
        Some(h) => {
            let count = if l.reentrant && l.count > 1 {
                format!(" ×{}", l.count)
            } else {
                String::new()
            };
            let state = if compact {
                String::new()
            } else {
                state_word(l.holder_state)
            };
            spans.push(Span::styled(
                format!("{} {h}{count}{state}", w.held_by),
                theme::state(ThreadState::Running),
            ));
        }
        None => spans.push(Span::styled(w.free.to_string(), theme::dim())),
    }
    if l.taken > 0 && l.holder.is_none() {
        spans.push(Span::styled(
            format!(" · {} {}×", w.taken, l.taken),
            theme::dim(),
        ));
    }
    if !l.waiters.is_empty() {
        let head = if compact {
            format!(" · {} ", w.waiting)
        } else {
            format!(" · {} {}: ", w.waiting, l.waiters.len())
        };
        let used: usize = spans.iter().map(|s| wrap::width(&s.content)).sum();
        let room = width.saturating_sub(used + wrap::width(&head));
        spans.push(Span::styled(head, theme::dim()));
        spans.push(Span::styled(
            names_fit(&l.waiters, room),
            theme::state_blocked(),
        ));
    }
    fit_spans(spans, width)
}

/// "T1 ─A─▶ T2 ─B─▶ T1", or "T1 ─A─▶ T1 (itself)".
fn cycle_text(c: &[(String, String)], w: &Words) -> String {
    let mut text = String::new();
    for (thread, lock) in c {
        text.push_str(&format!("{thread} ─{lock}─▶ "));
    }
    text.push_str(&c[0].0);
    if c.len() == 1 {
        text.push_str(&format!(" ({})", w.itself));
    }
    text
}

/// The lock edges as paths: a group of waiters, the lock, its holder, and on through the lock
/// that holder waits for, as far as it goes: "T3 T4 ─A─▶ T2 ─B─▶ T1".
fn chains<'a>(edges: &[&'a Edge]) -> Vec<Vec<&'a Edge>> {
    let waits = |t: &str| edges.iter().position(|e| e.from.iter().any(|f| f == t));
    let is_holder = |t: &str| edges.iter().any(|e| e.to == t);
    let mut shown = vec![false; edges.len()];
    let mut out = Vec::new();
    let start = |i: usize, shown: &mut Vec<bool>| {
        let mut chain = vec![edges[i]];
        shown[i] = true;
        let mut at = i;
        while let Some(next) = waits(&edges[at].to) {
            if shown[next] || chain.len() > edges.len() {
                break;
            }
            shown[next] = true;
            chain.push(edges[next]);
            at = next;
        }
        chain
    };
    for (i, e) in edges.iter().enumerate() {
        if e.from.iter().any(|f| !is_holder(f)) {
            out.push(start(i, &mut shown));
        }
    }
    for i in 0..edges.len() {
        if !shown[i] {
            out.push(start(i, &mut shown));
        }
    }
    out
}

fn height(ctx: &PanelCtx, width: usize) -> usize {
    match model(ctx) {
        Some(m) => lines(&m, words(ctx.lang()), width, ctx.compact()).len(),
        None => wrap::wrap(words(ctx.lang()).nothing_yet, width.max(1)).len(),
    }
}

fn render(ctx: &PanelCtx, frame: &mut Frame, area: Rect) {
    let w = words(ctx.lang());
    let title = match &ctx.trace().and_then(|t| t.deadlock.as_ref()) {
        Some(_) => Line::from(vec![
            Span::raw(format!(" {} ", w.title)),
            Span::styled(format!("{} ", w.deadlock), theme::alarm()),
        ]),
        None => Line::from(format!(" {} ", w.title)),
    };
    let block = block(title, ctx.compact());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let lines = match model(ctx) {
        Some(m) => lines(&m, w, width, ctx.compact()),
        None => wrap::wrap(w.nothing_yet, width.max(1))
            .into_iter()
            .map(|l| Line::styled(l, theme::dim()))
            .collect(),
    };
    frame.render_widget(Paragraph::new(lines).style(Style::new()), inner);
}

/// The deadlock lesson's panel: the locks and the wait-for graph.
pub struct WaitFor;

impl Panel for WaitFor {
    fn height(&self, ctx: &PanelCtx, width: usize) -> usize {
        height(ctx, width)
    }

    fn render(&self, ctx: &PanelCtx, frame: &mut Frame, area: Rect) {
        render(ctx, frame, area);
    }
}
