//! The processes lesson's panel: the variant on screen next to its twin, side by side. For the
//! global: what main reads after a thread, and after a process, set n to 0. For starting and
//! for the CPU-bound job: the time each took, as bars, the latest run of each (live runs are
//! this machine's real times). For the commands: each command, what it printed, its exit code.

use super::words::Words;
use super::{Seen, per_start};
use crate::lessons::typed;
use crate::runner::VariantResult;
use crate::tui::panel::{Panel, PanelCtx, block, fit_spans, theme, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The twins the panel puts side by side: the thread's and the process's.
fn twins(variant: &str) -> Option<(&'static str, &'static str)> {
    match variant {
        "global-thread" | "global-process" => Some(("global-thread", "global-process")),
        "start-threads" | "start-processes" => Some(("start-threads", "start-processes")),
        "cpu-threads" | "cpu-processes" => Some(("cpu-threads", "cpu-processes")),
        _ => None,
    }
}

/// A twin's latest outcome and result; else whether a run of it is on screen, not yet judged.
type Latest<'a> = Result<(Seen, &'a VariantResult), bool>;

/// A twin's latest outcome, unless a run of it is on screen and not yet judged.
fn seen<'a>(ctx: &PanelCtx<'a>, id: &str) -> Latest<'a> {
    if ctx.running(id) {
        return Err(true);
    }
    let r = ctx.result(id).ok_or(false)?;
    typed::<Seen>(&r.outcome).map(|s| (s, r)).ok_or(false)
}

fn label(w: Words, thread: bool, plural: bool) -> &'static str {
    match (thread, plural) {
        (true, false) => w.thread(),
        (false, false) => w.process(),
        (true, true) => w.threads(),
        (false, true) => w.processes(),
    }
}

fn lines(ctx: &PanelCtx, w: Words, width: usize) -> Vec<Line<'static>> {
    let variant = ctx.variant_on_screen();
    match twins(variant) {
        Some(("global-thread", b)) => global(ctx, w, width, ("global-thread", b)),
        Some(pair) => timed(ctx, w, width, pair, variant.starts_with("cpu")),
        None => commands(ctx, w, width),
    }
}

fn global(ctx: &PanelCtx, w: Words, width: usize, (a, b): (&str, &str)) -> Vec<Line<'static>> {
    let tag_w = wrap::width(w.thread()).max(wrap::width(w.process())) + 1;
    let mut out = Vec::new();
    for (id, thread) in [(a, true), (b, false)] {
        let tag = label(w, thread, false);
        let pad = " ".repeat(tag_w - wrap::width(tag));
        let mut spans = vec![Span::styled(format!("{tag}{pad}"), theme::title())];
        match seen(ctx, id) {
            Ok((s, _)) => {
                let child = s.child_n.map_or_else(|| "?".into(), |n| n.to_string());
                let main = s.n.map_or_else(|| "?".into(), |n| n.to_string());
                let style = if s.n == Some(100) {
                    theme::good()
                } else {
                    theme::alarm()
                };
                spans.push(Span::styled(w.global_row(&child, &main), style));
            }
            Err(true) => spans.push(Span::styled(w.running().to_string(), theme::dim())),
            Err(false) => spans.push(Span::styled(w.not_run().to_string(), theme::dim())),
        }
        out.push(fit_spans(spans, width));
    }
    for l in wrap::wrap(w.global_note(), width.max(1)) {
        out.push(Line::styled(l, theme::dim()));
    }
    out
}

fn timed(
    ctx: &PanelCtx,
    w: Words,
    width: usize,
    (a, b): (&str, &str),
    cpu: bool,
) -> Vec<Line<'static>> {
    let rows: Vec<(bool, Latest)> = vec![(true, seen(ctx, a)), (false, seen(ctx, b))];
    // A start's time is the time per start; a job's, the whole run's.
    let time = |s: &Seen| -> f64 {
        if cpu {
            s.elapsed_ms * 1e3
        } else {
            s.per_start_us.unwrap_or(0.0)
        }
    };
    let longest = rows
        .iter()
        .filter_map(|(_, r)| r.as_ref().ok().map(|(s, _)| time(s)))
        .fold(0.0_f64, f64::max);
    let tag_w = wrap::width(w.threads()).max(wrap::width(w.processes())) + 1;
    let value_w = 22;
    let bar_w = width.saturating_sub(tag_w + value_w + 1);
    let mut out = Vec::new();
    for (thread, r) in &rows {
        let tag = label(w, *thread, true);
        let pad = " ".repeat(tag_w - wrap::width(tag));
        let mut spans = vec![Span::styled(format!("{tag}{pad}"), theme::title())];
        match r {
            Ok((s, _)) => {
                let t = time(s);
                let cells = if longest > 0.0 {
                    ((t / longest) * bar_w as f64).round().max(1.0) as usize
                } else {
                    1
                };
                let style = if *thread {
                    theme::good()
                } else {
                    theme::alarm()
                };
                if bar_w >= 4 {
                    spans.push(Span::styled("█".repeat(cells.min(bar_w)), style));
                    spans.push(Span::raw(" ".repeat(bar_w - cells.min(bar_w) + 1)));
                }
                let text = if cpu {
                    per_start(t)
                } else {
                    w.each(&per_start(t))
                };
                spans.push(Span::raw(text));
            }
            Err(true) => spans.push(Span::styled(w.running().to_string(), theme::dim())),
            Err(false) => spans.push(Span::styled(w.not_run().to_string(), theme::dim())),
        }
        out.push(fit_spans(spans, width));
    }
    if let (Ok((sa, _)), Ok((sb, rb))) = (&rows[0].1, &rows[1].1) {
        let (ta, tb) = (time(sa), time(sb));
        if ta > 0.0 {
            let r = tb / ta;
            let r = if r >= 10.0 {
                format!("{r:.0}")
            } else {
                format!("{r:.1}")
            };
            for l in wrap::wrap(&w.ratio(&r), width.max(1)) {
                out.push(Line::styled(l, theme::title()));
            }
        }
        let note = if rb.report.mode == crate::engine::Mode::Live {
            w.live_times()
        } else {
            w.virtual_times()
        };
        for l in wrap::wrap(note, width.max(1)) {
            out.push(Line::styled(l, theme::dim()));
        }
    }
    // The machine's cores matter to its own (live) times only.
    let live = rows
        .iter()
        .any(|(_, r)| matches!(r, Ok((_, v)) if v.report.mode == crate::engine::Mode::Live));
    if cpu && live {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        out.push(Line::styled(
            wrap::truncate(&w.cores(cores), width),
            theme::dim(),
        ));
    }
    out
}

fn commands(ctx: &PanelCtx, w: Words, width: usize) -> Vec<Line<'static>> {
    let mut out = vec![Line::styled(
        wrap::truncate(w.commands_head(), width),
        theme::dim(),
    )];
    let Some(trace) = ctx.trace().filter(|_| ctx.variant_on_screen() == "command") else {
        out.push(Line::styled(
            wrap::truncate(w.nothing_yet(), width),
            theme::dim(),
        ));
        return out;
    };
    for p in &trace.processes {
        let (text, style) = match p.exit {
            Some(0) => (w.exited(&p.name, 0), theme::good()),
            Some(code) => (w.exited(&p.name, code), theme::alarm()),
            None => (w.still_running(&p.name), theme::dim()),
        };
        out.push(Line::styled(wrap::truncate(&text, width), style));
    }
    for l in &trace.log {
        if let crate::engine::What::Say { text } = &l.what {
            for piece in wrap::wrap(&format!("  {text}"), width.max(1)) {
                out.push(Line::styled(piece, Style::new()));
            }
        }
    }
    out
}

/// The processes lesson's panel.
pub struct SideBySide;

impl Panel for SideBySide {
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
