//! The daemon lesson's panel: one lane each for main, foo and bar on one time axis, marked
//! daemon or waited for, with the moment a daemon still going is cut off (┃): for threads when
//! the last non-daemon thread ends, for processes when main's code ends. Before a run the
//! lanes show the plan (how long each naps), which is all it takes to predict "end123"; during
//! and after one they show what happened, foo's lane ending in ✓ or ⊘, and the lines printed.

use super::words::Words;
use super::{Plan, fmt_secs};
use crate::engine::ThreadState;
use crate::engine::trace::{ThreadTrack, Trace};
use crate::tui::panel::{Panel, PanelCtx, block, fit_spans, theme, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// One of main, foo and bar.
struct Lane {
    name: &'static str,
    daemon: bool,
    /// When it would end if nothing cut it off (lesson seconds).
    plan_end: f64,
    /// What happened, once it started: from, until (now, if still going), how it ended.
    ran: Option<(f64, f64, Option<ThreadState>)>,
}

struct Model {
    processes: bool,
    lanes: Vec<Lane>,
    /// When a daemon still going is cut off, and whether the run has shown it (or it is the
    /// plan's).
    marker: f64,
    marker_known: bool,
    /// The axis runs from 0 to this.
    span: f64,
    printed: Vec<String>,
}

fn model(ctx: &PanelCtx) -> Model {
    let (now_ns, scale) = ctx.clock();
    let plan = Plan::from_values(
        ctx.variant_on_screen(),
        ctx.param("short"),
        ctx.param("long"),
        ctx.param("timeout"),
        scale,
    );
    let trace = ctx.trace();
    let secs = |ns: u64| ns as f64 / 1e9 / scale;
    let now = secs(now_ns);
    let track = |name: &str| trace.and_then(|t| t.threads.iter().find(|th| th.name == name));
    let ran = |name: &str| track(name).map(|th| run_of(ctx, th, now, &secs));
    let lanes = vec![
        Lane {
            name: "main",
            daemon: false,
            plan_end: plan.main_end(),
            ran: ran("main"),
        },
        Lane {
            name: "foo",
            daemon: true,
            plan_end: plan.foo_end(),
            ran: ran("foo"),
        },
        Lane {
            name: "bar",
            daemon: false,
            plan_end: plan.bar_end(),
            ran: ran("bar"),
        },
    ];
    let ended = |name: &str| -> Option<f64> {
        let lane = lanes.iter().find(|l| l.name == name)?;
        match lane.ran {
            Some((_, until, Some(_))) => Some(until),
            _ => None,
        }
    };
    let known = if plan.processes {
        ended("main")
    } else {
        ended("main").zip(ended("bar")).map(|(a, b)| a.max(b))
    };
    let marker = known.unwrap_or_else(|| plan.daemon_end());
    let mut span = plan.program_end().max(plan.foo_end()).max(marker);
    for l in &lanes {
        if let Some((_, until, _)) = l.ran {
            span = span.max(until);
        }
    }
    Model {
        processes: plan.processes,
        lanes,
        marker,
        marker_known: known.is_some(),
        span: span.max(1e-9),
        printed: trace.map(printed).unwrap_or_default(),
    }
}

/// A thread's run: from its first moment to its end (or now), and how it ended.
fn run_of(
    ctx: &PanelCtx,
    th: &ThreadTrack,
    now: f64,
    secs: &dyn Fn(u64) -> f64,
) -> (f64, f64, Option<ThreadState>) {
    let from = th.spans.first().map_or(0.0, |s| secs(s.from_ns));
    let state = ctx.state_now(th);
    if state.is_finished() {
        let until = th
            .spans
            .last()
            .and_then(|s| s.to_ns)
            .map_or(now, &secs);
        (from, until, Some(state))
    } else {
        (from, now.max(from), None)
    }
}

/// Every line printed so far, in order.
fn printed(t: &Trace) -> Vec<String> {
    t.log
        .iter()
        .filter_map(|l| match &l.what {
            crate::engine::What::Say { text } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// The cell of moment `t` on an axis of `cells` cells from 0 to `span`.
fn cell(t: f64, span: f64, cells: usize) -> usize {
    let last = cells.saturating_sub(1);
    ((t / span * last as f64).round().max(0.0) as usize).min(last)
}

/// A lane's cells: its plan still to come (┄), what it ran (━), its end (✓, ⊘), and the
/// marker (┃) where nothing else is.
fn bar(l: &Lane, m: &Model, cells: usize) -> Vec<Span<'static>> {
    let mut out: Vec<(char, Style)> = vec![(' ', Style::new()); cells];
    let at = |t: f64| cell(t, m.span, cells);
    let going = theme::state(ThreadState::Sleeping);
    match l.ran {
        None => {
            for c in out.iter_mut().take(at(l.plan_end) + 1) {
                *c = ('┄', theme::dim());
            }
        }
        Some((from, until, end)) => {
            let (a, b) = (at(from), at(until));
            for c in out.iter_mut().take(b + 1).skip(a) {
                *c = ('━', going);
            }
            match end {
                None => {
                    // Still going: the rest of its plan is still to come.
                    for c in out.iter_mut().take(at(l.plan_end) + 1).skip(b + 1) {
                        *c = ('┄', theme::dim());
                    }
                }
                Some(ThreadState::Done) => out[b] = ('✓', theme::good()),
                Some(ThreadState::CutOff) => {
                    // What it never got to do.
                    for c in out.iter_mut().take(at(l.plan_end) + 1).skip(b + 1) {
                        *c = ('┄', theme::state(ThreadState::Blocked(
                            crate::engine::event::BlockedOn::Thread(crate::engine::Tid(0)),
                        )));
                    }
                    out[b] = ('⊘', theme::alarm());
                }
                Some(s) => out[b] = (theme::glyph(s).chars().next().unwrap_or('?'), theme::state(s)),
            }
        }
    }
    let mark = at(m.marker);
    if matches!(out[mark].0, ' ' | '┄' | '━') {
        out[mark] = ('┃', theme::title());
    }
    out.into_iter()
        .map(|(c, s)| Span::styled(c.to_string(), s))
        .collect()
}

fn lines(m: &Model, w: Words, width: usize, compact: bool) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    if !compact {
        let head = if m.processes {
            w.head_processes()
        } else {
            w.head_threads()
        };
        for l in wrap::wrap(head, width.max(1)) {
            out.push(Line::styled(l, theme::dim()));
        }
    }
    let tag_w = wrap::width(w.daemon()).max(wrap::width(w.waited())) + 1;
    let lead = 5 + tag_w;
    let cells = width.saturating_sub(lead);
    for l in &m.lanes {
        let tag = if l.daemon { w.daemon() } else { w.waited() };
        let tag_style = if l.daemon {
            theme::code()
        } else {
            theme::dim()
        };
        let pad = tag_w - wrap::width(tag);
        let mut spans = vec![
            Span::styled(format!("{:<5}", l.name), theme::title()),
            Span::styled(format!("{tag}{}", " ".repeat(pad)), tag_style),
        ];
        if cells >= 4 {
            spans.extend(bar(l, m, cells));
        }
        out.push(fit_spans(spans, width));
    }
    if !compact && cells >= 4 {
        let end = fmt_secs(m.span);
        let gap = cells.saturating_sub(1 + wrap::width(&end));
        out.push(Line::styled(
            wrap::truncate(&format!("{}0{}{end}", " ".repeat(lead), " ".repeat(gap)), width),
            theme::dim(),
        ));
    }
    let at = fmt_secs(m.marker);
    let mut marker = if m.processes {
        w.ends_processes(&at)
    } else {
        w.ends_threads(&at)
    };
    if !m.marker_known {
        marker.push_str(w.planned());
    }
    for l in wrap::wrap(&marker, width.max(1)) {
        out.push(Line::styled(l, theme::title()));
    }
    if !compact {
        out.push(Line::styled(wrap::truncate(w.legend(), width), theme::dim()));
    }
    let said = if m.printed.is_empty() {
        w.nothing_yet().to_string()
    } else {
        m.printed.join(" · ")
    };
    let text = w.printed(&said);
    for (i, l) in wrap::wrap(&text, width.max(1)).into_iter().enumerate() {
        let style = if i == 0 && m.printed.is_empty() {
            theme::dim()
        } else {
            Style::new()
        };
        out.push(Line::styled(l, style));
    }
    out
}

/// The daemon lesson's panel: main, foo and bar on one axis, and the daemon's end.
pub struct Lanes;

impl Panel for Lanes {
    fn height(&self, ctx: &PanelCtx, width: usize) -> usize {
        lines(&model(ctx), Words(ctx.lang()), width, ctx.compact()).len()
    }

    fn render(&self, ctx: &PanelCtx, frame: &mut Frame, area: Rect) {
        let w = Words(ctx.lang());
        let block = block(Line::from(format!(" {} ", w.title())), ctx.compact());
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let lines = lines(&model(ctx), w, inner.width as usize, ctx.compact());
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
