//! The pools lesson's panel: the pool as a learner pictures it. One row per worker with the
//! task it runs now (or idle, or gone); the task queue with what still waits; the values the
//! workers handed back, newest last; the callbacks the result thread ran; and, when the demo
//! has one, the shared `found` flag.

use super::words::Words;
use crate::engine::ThreadState;
use crate::engine::trace::{ChangeKind, ResourceTrack, Trace};
use crate::tui::panel::{Panel, PanelCtx, block, fit_spans, theme, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// What a worker is doing now.
enum Doing {
    Task(String),
    Idle,
    Gone,
}

struct Row {
    name: String,
    doing: Doing,
    /// Tasks it has finished.
    finished: usize,
}

struct Model {
    workers: Vec<Row>,
    waiting: Vec<String>,
    /// Values handed back, oldest first: "square(3) → 9".
    values: Vec<String>,
    callbacks: Vec<String>,
    found: Option<bool>,
}

/// The newest resource named `name` (a demo with two pools has two task queues).
fn newest<'a>(t: &'a Trace, name: &str) -> Option<&'a ResourceTrack> {
    t.resources.iter().rev().find(|r| r.name == name)
}

fn is_worker(name: &str) -> bool {
    name.starts_with("Worker-") || name.starts_with("PoolProc-") || name.contains("Executor")
}

fn model(ctx: &PanelCtx, t: &Trace) -> Model {
    let tasks = newest(t, "tasks");
    let results = newest(t, "results");
    let real = |item: &Option<String>| item.as_deref().is_some_and(|i| i != "stop");
    // A worker's moves on every queue of that name: a demo may have two pools.
    let moves = |queue: &str, tid, kind: ChangeKind| -> Vec<String> {
        t.resources
            .iter()
            .filter(|r| r.name == queue)
            .flat_map(|r| r.history.iter())
            .filter(|c| c.tid == tid && c.kind == kind && real(&c.item))
            .map(|c| Trace::plain(c.item.as_deref().unwrap_or("")))
            .collect()
    };
    let took = |tid| moves("tasks", tid, ChangeKind::Took);
    let gave = |tid| moves("results", tid, ChangeKind::Put).len();
    let workers = t
        .threads
        .iter()
        .filter(|th| is_worker(&th.name))
        .map(|th| {
            let (taken, given) = (took(th.tid), gave(th.tid));
            let state = ctx.state_now(th);
            let doing = if state.is_finished() {
                Doing::Gone
            } else if taken.len() > given {
                Doing::Task(taken.last().cloned().unwrap_or_default())
            } else {
                Doing::Idle
            };
            Row {
                name: th.name.clone(),
                doing,
                finished: given,
            }
        })
        .collect();
    let values = results.map_or(Vec::new(), |q| {
        q.history
            .iter()
            .filter(|c| c.kind == ChangeKind::Put && real(&c.item))
            .map(|c| {
                let item = Trace::plain(c.item.as_deref().unwrap_or(""));
                match item.split_once(" → ") {
                    Some((_, value)) => value.to_string(),
                    None => item,
                }
            })
            .collect()
    });
    let callbacks = t
        .log
        .iter()
        .filter_map(|l| match &l.what {
            crate::engine::What::Say { text } if text.starts_with("parsed ") => {
                Some(text.clone())
            }
            _ => None,
        })
        .collect();
    let found = t
        .resources
        .iter()
        .find(|r| r.name == "found")
        .map(|r| r.value.as_deref() == Some("set"));
    Model {
        workers,
        waiting: tasks.map_or(Vec::new(), |q| {
            q.items
                .iter()
                .filter(|i| i.as_str() != "stop")
                .map(|i| Trace::plain(i))
                .collect()
        }),
        values,
        callbacks,
        found,
    }
}

/// Items as many as fit in `room` cells, then "+k".
fn list(items: &[String], room: usize) -> String {
    crate::tui::panel::names_fit(items, room)
}

fn lines(ctx: &PanelCtx, w: Words, width: usize) -> Vec<Line<'static>> {
    let Some(t) = ctx.trace() else {
        return wrap::wrap(w.before_run(), width.max(1))
            .into_iter()
            .map(|l| Line::styled(l, theme::dim()))
            .collect();
    };
    let m = model(ctx, t);
    let mut out = Vec::new();
    let name_w = m
        .workers
        .iter()
        .map(|r| wrap::width(&r.name))
        .max()
        .unwrap_or(0)
        .min(12)
        + 1;
    // Every worker while they fit; a screen of 200 shows the first ones and how many more.
    let room = if ctx.compact() { 4 } else { 8 };
    for r in m.workers.iter().take(room) {
        let (text, style) = match &r.doing {
            Doing::Task(task) => (w.runs(task), theme::state(ThreadState::Running)),
            Doing::Idle => (w.idle().to_string(), theme::dim()),
            Doing::Gone => (w.gone().to_string(), theme::dim()),
        };
        let name = wrap::truncate(&r.name, name_w - 1);
        let pad = name_w - wrap::width(&name);
        out.push(fit_spans(
            vec![
                Span::styled(format!("{name}{}", " ".repeat(pad)), theme::title()),
                Span::styled(text, style),
                Span::styled(format!("  {}", w.finished(r.finished)), theme::dim()),
            ],
            width,
        ));
    }
    if m.workers.len() > room {
        out.push(Line::styled(
            w.more_workers(m.workers.len() - room),
            theme::dim(),
        ));
    }
    let head = w.queue_head(m.waiting.len());
    let rest = width.saturating_sub(wrap::width(&head) + 1);
    out.push(fit_spans(
        vec![
            Span::styled(head, theme::title()),
            Span::raw(" "),
            Span::styled(list(&m.waiting, rest), theme::code()),
        ],
        width,
    ));
    let head = w.values_head(m.values.len());
    let rest = width.saturating_sub(wrap::width(&head) + 1);
    let newest: Vec<String> = m.values.iter().rev().cloned().collect();
    out.push(fit_spans(
        vec![
            Span::styled(head, theme::title()),
            Span::raw(" "),
            Span::styled(list(&newest, rest), theme::good()),
        ],
        width,
    ));
    if !m.callbacks.is_empty() {
        let head = w.callbacks_head(m.callbacks.len());
        let rest = width.saturating_sub(wrap::width(&head) + 1);
        let newest: Vec<String> = m
            .callbacks
            .iter()
            .rev()
            .take(4)
            .map(|c| c.trim_start_matches("parsed ").to_string())
            .collect();
        out.push(fit_spans(
            vec![
                Span::styled(head, theme::title()),
                Span::raw(" "),
                Span::raw(list(&newest, rest)),
            ],
            width,
        ));
    }
    if let Some(set) = m.found {
        let (text, style) = if set {
            (w.found_set(), theme::alarm())
        } else {
            (w.found_clear(), theme::dim())
        };
        out.push(Line::styled(wrap::truncate(text, width), style));
    }
    out
}

/// The pools lesson's panel: workers, task queue, values, callbacks.
pub struct Workers;

impl Panel for Workers {
    fn height(&self, ctx: &PanelCtx, width: usize) -> usize {
        lines(ctx, Words(ctx.lang()), width).len()
    }

    fn render(&self, ctx: &PanelCtx, frame: &mut Frame, area: Rect) {
        let w = Words(ctx.lang());
        let block = block(Line::from(format!(" {} ", w.title())), ctx.compact());
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let lines = lines(ctx, w, inner.width as usize);
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
