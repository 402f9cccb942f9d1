//! The gil lesson's panel: the road analogy drawn from the run. Each worker is a car on its
//! lane, as far along as the job it has done; under the GIL only the holder's car moves (the
//! one driver hops between cars), without it every car has a driver and as many move as there
//! are cores, and processes each drive their own road. Under the lanes: the GIL's holder and
//! waiters, then every variant's measured speed-up beside its ideal on this machine.

use super::words::Words;
use super::{Speedup, times};
use crate::engine::event::BlockedOn;
use crate::engine::trace::Trace;
use crate::engine::{ResourceKind, ThreadState, What};
use crate::lessons::typed;
use crate::tui::panel::{Panel, PanelCtx, block, fit_spans, names_fit, theme, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const VARIANTS: [&str; 4] = ["threads-gil", "threads-no-gil", "processes", "io-threads-gil"];

/// One car: a worker (or main, doing the job alone).
struct Car {
    name: String,
    /// Its share of the job done, 0 to 1.
    done: f64,
    state: Option<ThreadState>,
    /// Waiting for the GIL right now.
    parked: bool,
}

fn cars(ctx: &PanelCtx, t: Option<&Trace>, variant: &str) -> Vec<Car> {
    let workers = ctx.param("workers").max(1.0) as usize;
    let prefix = if variant == "processes" { "P" } else { "T" };
    let mut cars: Vec<Car> = std::iter::once("main".to_string())
        .chain((1..=workers).map(|i| format!("{prefix}{i}")))
        .map(|name| Car {
            name,
            done: 0.0,
            state: None,
            parked: false,
        })
        .collect();
    let Some(t) = t else {
        return cars;
    };
    // Work done by each thread, in the run's ns; main's is the whole job, a worker's its share.
    let mut worked = vec![0u64; t.threads.len()];
    for l in &t.log {
        if let What::Work { ns } = l.what
            && let Some(w) = worked.get_mut(l.tid.0 as usize)
        {
            *w += ns;
        }
    }
    let gils: Vec<_> = t
        .resources
        .iter()
        .filter(|r| r.kind == ResourceKind::Gil)
        .map(|r| r.rid)
        .collect();
    let main_work = t.threads.first().map_or(0, |m| worked[m.tid.0 as usize]);
    for car in cars.iter_mut() {
        let Some(th) = t.threads.iter().find(|th| th.name == car.name) else {
            continue;
        };
        let state = ctx.state_now(th);
        let mine = worked[th.tid.0 as usize] as f64;
        // main's own job sets the measure: a worker's share is 1/workers of it.
        let whole = if car.name == "main" {
            main_work.max(1) as f64
        } else {
            (main_work.max(1) as f64 / workers as f64).max(1.0)
        };
        car.done = if state.is_finished() {
            1.0
        } else {
            (mine / whole).min(1.0)
        };
        car.parked = matches!(state, ThreadState::Blocked(BlockedOn::Resource(r)) if gils.contains(&r));
        car.state = Some(state);
    }
    cars
}

fn lane(car: &Car, w: Words, cells: usize) -> Vec<Span<'static>> {
    let at = ((car.done * cells.saturating_sub(1) as f64).round() as usize).min(cells.saturating_sub(1));
    let (glyph, style, word) = match car.state {
        None => ('▷', theme::dim(), w.not_started()),
        Some(s) if s.is_finished() => ('✓', theme::good(), w.arrived()),
        Some(ThreadState::Working) => ('▶', theme::state(ThreadState::Working), w.driving()),
        Some(ThreadState::Sleeping) => ('▷', theme::state(ThreadState::Sleeping), w.at_light()),
        Some(_) if car.parked => ('▷', theme::alarm(), w.parked()),
        Some(s) => ('▷', theme::state(s), ""),
    };
    let road: String = (0..cells)
        .map(|i| if i < at { '━' } else if i == at { glyph } else { '─' })
        .collect();
    let (before, after) = road.split_at(road.char_indices().nth(at).map_or(road.len(), |(i, _)| i));
    let (car_glyph, after) = after.split_at(after.chars().next().map_or(0, char::len_utf8));
    vec![
        Span::styled(format!("{:<5}", car.name), theme::title()),
        Span::styled(before.to_string(), theme::dim()),
        Span::styled(car_glyph.to_string(), style),
        Span::styled(after.to_string(), theme::dim()),
        Span::styled(format!(" {word}"), style),
    ]
}

fn lines(ctx: &PanelCtx, w: Words, width: usize, compact: bool) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let variant = ctx.variant_on_screen();
    let road = match variant {
        "threads-gil" => w.road_gil(),
        "threads-no-gil" => w.road_no_gil(),
        "processes" => w.road_processes(),
        _ => w.road_io(),
    };
    for l in wrap::wrap(road, width.max(1)) {
        out.push(Line::styled(l, theme::code()));
    }
    let t = ctx.trace();
    let lanes_at = out.len();
    let cars = cars(ctx, t, variant);
    let word_w = [w.driving(), w.parked(), w.at_light(), w.arrived(), w.not_started()]
        .iter()
        .map(|s| wrap::width(s))
        .max()
        .unwrap_or(0);
    let cells = width.saturating_sub(5 + 1 + word_w).max(4);
    let shown = if compact { 3 } else { 5 };
    for car in cars.iter().take(shown) {
        out.push(fit_spans(lane(car, w, cells), width));
    }
    if cars.len() > shown {
        out.push(Line::styled(format!("… +{}", cars.len() - shown), theme::dim()));
    }
    let lanes: Vec<Line<'static>> = out.drain(lanes_at..).collect();
    // The GIL: its holder, how often it changed hands, who waits.
    let gil = t.and_then(|t| t.resources.iter().find(|r| r.kind == ResourceKind::Gil).map(|r| (t, r)));
    match (variant, gil) {
        ("threads-no-gil", _) => out.push(Line::styled(wrap::truncate(w.gil_none(), width), theme::dim())),
        ("processes", _) => out.push(Line::styled(wrap::truncate(w.gil_per_process(), width), theme::dim())),
        (_, Some((t, r))) => {
            let switches = r.acquisitions;
            let head = match r.owner {
                Some(o) => w.gil_held(t.thread_name(o), switches),
                None => w.gil_free(switches),
            };
            out.push(Line::styled(wrap::truncate(&head, width), theme::title()));
            if !r.waiters.is_empty() {
                let names: Vec<String> = r.waiters.iter().map(|&x| t.thread_name(x).to_string()).collect();
                let room = width.saturating_sub(wrap::width(&w.gil_waiting("")));
                out.push(Line::styled(w.gil_waiting(&names_fit(&names, room)), theme::alarm()));
            }
        }
        _ => {}
    }
    // Every variant's speed-up, measured and ideal.
    let cores = match ctx.result(variant).and_then(|r| typed::<Speedup>(&r.outcome)) {
        Some(s) if s.cores == 0 => w.cores_virtual().to_string(),
        _ => w.cores_here(super::machine_cores()),
    };
    out.push(Line::styled(wrap::truncate(&w.speedups(&cores), width), theme::dim()));
    let name_w = VARIANTS.iter().map(|v| wrap::width(ctx.variant_title(v))).max().unwrap_or(0);
    let name_w = name_w.min(width / 2);
    for v in VARIANTS {
        let title = wrap::truncate(ctx.variant_title(v), name_w);
        let pad = " ".repeat(name_w - wrap::width(&title) + 1);
        let mut spans = vec![Span::styled(
            format!("{title}{pad}"),
            if v == variant { theme::title() } else { theme::dim() },
        )];
        match ctx.result(v).and_then(|r| typed::<Speedup>(&r.outcome)) {
            Some(s) => {
                let bar = "█".repeat(((s.speedup * 2.0).round() as usize).clamp(1, 16));
                spans.push(Span::styled(format!("{:>6} ", times(s.speedup)), theme::good()));
                spans.push(Span::styled(format!("{} ", w.ideal(&times(s.ideal))), theme::dim()));
                spans.push(Span::styled(bar, theme::state(ThreadState::Working)));
            }
            None => spans.push(Span::styled(w.not_run().to_string(), theme::dim())),
        }
        out.push(fit_spans(spans, width));
    }
    // Small screens: the speed-ups first, then as many lanes as fit.
    if compact {
        out.extend(lanes);
    } else {
        let rest = out.split_off(lanes_at);
        out.extend(lanes);
        out.extend(rest);
    }
    out
}

/// The gil lesson's panel: roads, drivers, the GIL and the speed-ups.
pub struct Roads;

impl Panel for Roads {
    fn height(&self, ctx: &PanelCtx, width: usize) -> usize {
        lines(ctx, Words(ctx.lang()), width, ctx.compact()).len()
    }

    fn render(&self, ctx: &PanelCtx, frame: &mut Frame, area: Rect) {
        let w = Words(ctx.lang());
        let block = block(Line::from(format!(" {} ", w.title())), ctx.compact());
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let lines = lines(ctx, w, inner.width as usize, ctx.compact());
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
