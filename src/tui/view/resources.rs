//! Locks with their owner and queue of waiters; semaphores with their holders; queues with
//! their slots; flags; shared variables with their value, reads, writes and lost updates;
//! conditions with their notifies, barriers with who is there, timers, and thread-locals
//! with each thread's own value.

use super::{fit, panel};
use crate::engine::event::ResourceKind;
use crate::engine::trace::{ResourceTrack, Trace, fmt_ns};
use crate::tui::app::App;
use crate::tui::theme;
use crate::words::Lang;
use crate::words::log::Words as LogWords;
use crate::words::screen::Words;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Lines the panel wants at `width` (at least one, for "nothing yet").
pub(crate) fn height(app: &App, width: usize, compact: bool) -> usize {
    app.trace().map_or(1, |t| {
        lines(&app.words(), app.lang, t, width, compact)
            .len()
            .max(1)
    })
}

fn lines(w: &Words, lang: Lang, t: &Trace, width: usize, compact: bool) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let lw = LogWords(lang);
    for r in &t.resources {
        match r.kind {
            ResourceKind::Mutex
            | ResourceKind::ReentrantMutex
            | ResourceKind::FileLock
            | ResourceKind::Gil => mutex(w, lw, t, r, &mut out),
            ResourceKind::Variable | ResourceKind::File => variable(w, r, width, compact, &mut out),
            ResourceKind::Semaphore { permits } => semaphore(lw, t, r, permits, width, &mut out),
            ResourceKind::Queue {
                order, capacity, ..
            } => queue(lw, r, lw.order(order), capacity, width, &mut out),
            ResourceKind::Flag => flag(lw, r, width, &mut out),
            ResourceKind::Condition { lock } => condition(lw, t, r, lock, width, &mut out),
            ResourceKind::Barrier { parties } => barrier(lw, r, parties, width, &mut out),
            ResourceKind::Timer { ns } => timer(lw, r, ns, width, &mut out),
            ResourceKind::ThreadLocal => thread_local(lw, t, r, width, &mut out),
            ResourceKind::EventLoop => event_loop(lw, t, r, width, &mut out),
            ResourceKind::PageServer { limit, latency_ns } => {
                page_server(lw, t, r, limit, latency_ns, width, &mut out)
            }
            ResourceKind::Listener => listener(lw, t, r, width, &mut out),
        }
        waiters(w, t, r, width, &mut out);
    }
    out
}

fn mutex(w: &Words, lw: LogWords, t: &Trace, r: &ResourceTrack, out: &mut Vec<Line<'static>>) {
    let owner = match r.owner {
        Some(o) => Span::styled(
            format!("{} {}", w.held_by(), t.thread_name(o)),
            theme::state(crate::engine::ThreadState::Running),
        ),
        None => Span::styled(w.free().to_string(), theme::dim()),
    };
    let depth = if r.kind == ResourceKind::ReentrantMutex && r.count > 1 {
        format!(" ×{}", r.count)
    } else {
        String::new()
    };
    out.push(Line::from(vec![
        Span::styled(r.name.clone(), theme::title()),
        Span::styled(format!(" ({})  ", lw.kind(r.kind)), theme::dim()),
        owner,
        Span::styled(depth, theme::title()),
        Span::styled(
            format!("  {} {}×", w.acquired(), r.acquisitions),
            theme::dim(),
        ),
    ]));
}

/// The threads queued for a resource, longest waiter first.
fn waiters(w: &Words, t: &Trace, r: &ResourceTrack, width: usize, out: &mut Vec<Line<'static>>) {
    if !r.waiters.is_empty() {
        let names: Vec<&str> = r.waiters.iter().map(|&t2| t.thread_name(t2)).collect();
        let text = format!("  {} {}: {}", w.waiting(), r.waiters.len(), names.join(" "));
        out.push(Line::styled(fit(&text, width), theme::state_blocked()));
    }
}

fn semaphore(
    lw: LogWords,
    t: &Trace,
    r: &ResourceTrack,
    permits: u32,
    width: usize,
    out: &mut Vec<Line<'static>>,
) {
    let names: Vec<&str> = r.holders.iter().map(|&h| t.thread_name(h)).collect();
    let text = format!(
        "{} ({})  {}",
        r.name,
        lw.semaphore_held(r.holders.len(), permits),
        names.join(" ")
    );
    out.push(Line::styled(fit(&text, width), theme::title()));
}

fn queue(
    lw: LogWords,
    r: &ResourceTrack,
    order: &str,
    capacity: u32,
    width: usize,
    out: &mut Vec<Line<'static>>,
) {
    let size = if capacity == 0 {
        format!("{}", r.items.len())
    } else {
        format!("{}/{capacity}", r.items.len())
    };
    let mut slots: String = r.items.iter().map(|i| format!("[{i}]")).collect();
    if capacity > 0 {
        for _ in r.items.len()..capacity as usize {
            slots.push_str("[ ]");
        }
    }
    let unfinished = if matches!(r.kind, ResourceKind::Queue { joinable: true, .. }) {
        format!("  {}", lw.unfinished(r.unfinished))
    } else {
        String::new()
    };
    let text = format!(
        "{} ({}){unfinished}  {slots}",
        r.name,
        lw.queue_size(order, &size)
    );
    out.push(Line::styled(fit(&text, width), theme::title()));
}

/// "event loop  runs A · ready: [B][C]": the task it resumed last, and its ready queue.
fn event_loop(
    lw: LogWords,
    t: &Trace,
    r: &ResourceTrack,
    width: usize,
    out: &mut Vec<Line<'static>>,
) {
    let mut text = format!("{} ({})", r.name, lw.event_loop());
    if let Some(o) = r.owner {
        text.push_str(&format!("  {}", lw.loop_runs(t.thread_name(o))));
    }
    let queue: String = r.items.iter().map(|i| format!("[{i}]")).collect();
    text.push_str(&format!("  {}", lw.loop_ready(&queue)));
    out.push(Line::styled(fit(&text, width), theme::title()));
}

/// "pages (page server, 0.20 s a page)", then "serving 3/10 T1 T2 T3 · answered 12 ·
/// refused 4": the requests it serves now, of the most it takes at once.
fn page_server(
    lw: LogWords,
    t: &Trace,
    r: &ResourceTrack,
    limit: u32,
    latency_ns: u64,
    width: usize,
    out: &mut Vec<Line<'static>>,
) {
    let text = format!("{} ({})", r.name, lw.server_is(&fmt_ns(latency_ns)));
    out.push(Line::styled(fit(&text, width), theme::title()));
    let names: Vec<&str> = r.holders.iter().map(|&h| t.thread_name(h)).collect();
    let mut text = format!("  {}", lw.serving(r.holders.len(), limit));
    if !names.is_empty() {
        text.push_str(&format!(" {}", names.join(" ")));
    }
    text.push_str(&format!(" · {}", lw.served(r.takes)));
    let style = if r.refusals > 0 {
        text.push_str(&format!(" · {}", lw.refusals(r.refusals)));
        theme::alarm()
    } else {
        theme::dim()
    };
    out.push(Line::styled(fit(&text, width), style));
}

/// "manager (server) 127.0.0.1:41234  2 connected: worker-1 worker-2 · 1 refused".
fn listener(
    lw: LogWords,
    t: &Trace,
    r: &ResourceTrack,
    width: usize,
    out: &mut Vec<Line<'static>>,
) {
    let mut at = r.value.clone().unwrap_or_default();
    if r.closed {
        at = format!("{at} {}", lw.listener_closed());
    }
    let names: Vec<&str> = r.holders.iter().map(|&h| t.thread_name(h)).collect();
    let mut text = format!(
        "{} ({}) {at}  {}",
        r.name,
        lw.listener(),
        lw.clients(names.len())
    );
    if !names.is_empty() {
        text.push_str(&format!(": {}", names.join(" ")));
    }
    if r.refusals > 0 {
        text.push_str(&format!(" · {}", lw.turned_away(r.refusals)));
    }
    out.push(Line::styled(fit(&text, width), theme::title()));
}

fn flag(lw: LogWords, r: &ResourceTrack, width: usize, out: &mut Vec<Line<'static>>) {
    let value = lw.recorded(r.value.as_deref().unwrap_or_default());
    let text = format!("{} ({}) {value}", r.name, lw.flag());
    out.push(Line::styled(fit(&text, width), theme::title()));
}

/// "ready (condition on lock)  notified 3× · 1 lost"; its waiters follow.
fn condition(
    lw: LogWords,
    t: &Trace,
    r: &ResourceTrack,
    lock: crate::engine::Rid,
    width: usize,
    out: &mut Vec<Line<'static>>,
) {
    let mut text = format!(
        "{} ({})  {}",
        r.name,
        lw.condition_on(t.resource_name(lock)),
        lw.notified_times(r.notifies)
    );
    if r.lost_notifies > 0 {
        text.push_str(&format!(" · {}", lw.notifies_lost(r.lost_notifies)));
    }
    out.push(Line::styled(fit(&text, width), theme::title()));
}

/// "b (barrier 2/3)  opened 1×", or broken; its waiters follow.
fn barrier(
    lw: LogWords,
    r: &ResourceTrack,
    parties: u32,
    width: usize,
    out: &mut Vec<Line<'static>>,
) {
    let state = match r.value.as_deref() {
        Some(v) => lw.recorded(v).to_string(),
        None => lw.barrier_rounds(r.rounds),
    };
    let text = format!(
        "{} ({})  {state}",
        r.name,
        lw.barrier_at(r.waiters.len(), parties)
    );
    let style = if r.value.is_some() {
        theme::alarm()
    } else {
        theme::title()
    };
    out.push(Line::styled(fit(&text, width), style));
}

/// "alarm (timer 2.00 s)  counting down".
fn timer(lw: LogWords, r: &ResourceTrack, ns: u64, width: usize, out: &mut Vec<Line<'static>>) {
    let state = lw.recorded(r.value.as_deref().unwrap_or_default());
    let text = format!("{} ({})  {state}", r.name, lw.timer_of(&fmt_ns(ns)));
    out.push(Line::styled(fit(&text, width), theme::title()));
}

/// "url (thread-local)  T1 → a.com  T2 → b.com": each thread's own value.
fn thread_local(
    lw: LogWords,
    t: &Trace,
    r: &ResourceTrack,
    width: usize,
    out: &mut Vec<Line<'static>>,
) {
    let mut text = format!("{} ({})", r.name, lw.thread_local());
    for (tid, value) in &r.slots {
        text.push_str(&format!(
            "  {} → {}",
            t.thread_name(*tid),
            Trace::plain(value)
        ));
    }
    out.push(Line::styled(fit(&text, width), theme::title()));
}

fn variable(
    w: &Words,
    r: &ResourceTrack,
    width: usize,
    compact: bool,
    out: &mut Vec<Line<'static>>,
) {
    let value = r.value.clone().unwrap_or_else(|| "?".into());
    let lost_style = if r.lost_updates > 0 {
        theme::alarm()
    } else {
        theme::dim()
    };
    let mut main = Line::from(vec![
        Span::styled(
            format!("{} = {value}", r.name),
            theme::title().fg(Color::Cyan),
        ),
        Span::raw("  "),
        Span::styled(
            format!("{} {}", w.lost_updates(), r.lost_updates),
            lost_style,
        ),
    ]);
    let counts = format!("({} {}, {} {})", w.reads(), r.reads, w.writes(), r.writes);
    if main.width() + 2 + counts.len() <= width {
        main.push_span(Span::styled(format!("  {counts}"), theme::dim()));
        out.push(main);
    } else {
        // Compact: the value and the lost updates matter most; the counts go.
        out.push(main);
        if !compact {
            out.push(Line::styled(format!("  {counts}"), theme::dim()));
        }
    }
}

pub fn render(app: &App, frame: &mut Frame, area: Rect, compact: bool) {
    let w = app.words();
    let block = panel(format!(" {} ", w.resources()), compact);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines = match app.trace() {
        Some(t) if !t.resources.is_empty() => lines(&w, app.lang, t, inner.width as usize, compact),
        _ => vec![Line::styled(w.no_resources(), theme::dim())],
    };
    frame.render_widget(Paragraph::new(lines), inner);
}
