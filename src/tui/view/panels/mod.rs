//! Panels of a lesson's own, for lessons whose story the generic panels do not tell: the
//! kettle's four Zhangs, the wait-for graph, the restroom's stalls, the queue's slots, the
//! bun counter. A lesson's panel takes the resources panel's place.

mod deadlock;
mod kettle;
mod producer_consumer;
mod queues;
mod semaphore;

use crate::engine::trace::Trace;
use crate::tui::app::App;
use crate::tui::wrap;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// What a lesson's panel draws from: the run on screen (if any) and the app.
pub(crate) struct PanelCtx<'a> {
    pub app: &'a App,
    /// The run on screen, folded; None before the first run.
    pub trace: Option<&'a Trace>,
    pub compact: bool,
}

type Height = fn(&PanelCtx, usize) -> usize;
type Render = fn(&PanelCtx, &mut Frame, Rect);

fn find(lesson: &str) -> Option<(Height, Render)> {
    let found: (Height, Render) = match lesson {
        "kettle" => (kettle::height, kettle::render),
        "deadlock" => (deadlock::height, deadlock::render),
        "semaphore" => (semaphore::height, semaphore::render),
        "queues" => (queues::height, queues::render),
        "producer-consumer" => (producer_consumer::height, producer_consumer::render),
        _ => return None,
    };
    Some(found)
}

fn ctx(app: &App, compact: bool) -> PanelCtx<'_> {
    PanelCtx {
        app,
        trace: app.trace(),
        compact,
    }
}

/// Rows the lesson's own panel wants at `width` (borders excluded), if it has one.
pub(crate) fn height(app: &App, width: usize, compact: bool) -> Option<usize> {
    let (height, _) = find(&app.entry().text.id)?;
    Some(height(&ctx(app, compact), width))
}

/// Draw the lesson's own panel in `area`; false if it has none.
pub(crate) fn render(app: &App, frame: &mut Frame, area: Rect, compact: bool) -> bool {
    match find(&app.entry().text.id) {
        Some((_, render)) => {
            render(&ctx(app, compact), frame, area);
            true
        }
        None => false,
    }
}

/// A line cut to `width` cells, styles kept.
pub(super) fn clip(line: Line<'static>, width: usize) -> Line<'static> {
    if line.width() <= width {
        return line;
    }
    let mut used = 0;
    let mut spans = Vec::new();
    for s in line.spans {
        let w = wrap::width(&s.content);
        if used + w <= width {
            used += w;
            spans.push(s);
        } else {
            let room = width.saturating_sub(used);
            if room > 0 {
                spans.push(Span::styled(wrap::truncate(&s.content, room), s.style));
            }
            break;
        }
    }
    Line::from(spans)
}

/// Spans as one line cut to `width` cells.
pub(super) fn fit_spans(spans: Vec<Span<'static>>, width: usize) -> Line<'static> {
    clip(Line::from(spans), width)
}

/// Names separated by spaces, as many as fit in `max` cells, then "+k" for the rest.
pub(super) fn names_fit(names: &[String], max: usize) -> String {
    let all = names.join(" ");
    if wrap::width(&all) <= max {
        return all;
    }
    let mut out = String::new();
    for (i, n) in names.iter().enumerate() {
        let rest = format!(" +{}", names.len() - i);
        let piece = if out.is_empty() {
            n.clone()
        } else {
            format!(" {n}")
        };
        if wrap::width(&out) + wrap::width(&piece) + wrap::width(&rest) > max {
            return format!("{out}{rest}").trim_start().to_string();
        }
        out.push_str(&piece);
    }
    out
}
