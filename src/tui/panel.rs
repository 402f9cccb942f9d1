//! What a lesson's own panel may read and use: the narrow interface between the screen and the
//! panels that live in the lessons' folders (`src/lessons/ID/panel.rs`). A panel takes the
//! resources panel's place and draws the run on screen from its trace; it sees the language,
//! the space it has, the run on screen and the variants' latest results, never the app.

pub use super::theme;
pub use super::wrap;

use super::app::App;
use super::view::timeline;
use crate::engine::ThreadState;
use crate::engine::trace::{ThreadTrack, Trace};
use crate::runner::VariantResult;
use crate::words::Lang;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// A lesson's own panel.
pub trait Panel: Sync {
    /// Rows it wants at `width` (borders excluded).
    fn height(&self, ctx: &PanelCtx, width: usize) -> usize;
    /// Draw it in `area` (its borders included).
    fn render(&self, ctx: &PanelCtx, frame: &mut Frame, area: Rect);
}

/// What a panel draws from.
pub struct PanelCtx<'a> {
    app: &'a App,
    compact: bool,
}

impl<'a> PanelCtx<'a> {
    pub(crate) fn new(app: &'a App, compact: bool) -> PanelCtx<'a> {
        PanelCtx { app, compact }
    }

    pub fn lang(&self) -> Lang {
        self.app.lang
    }

    /// The small layout (80x24 and the like): title rules instead of borders, less art.
    pub fn compact(&self) -> bool {
        self.compact
    }

    /// The screen's height, in rows.
    pub fn screen_rows(&self) -> u16 {
        self.app.size.1
    }

    /// The run on screen, folded; none before the first run.
    pub fn trace(&self) -> Option<&'a Trace> {
        self.app.trace()
    }

    /// A thread's state now (in step mode a thread waiting for its turn is ready).
    pub fn state_now(&self, track: &ThreadTrack) -> ThreadState {
        match &self.app.run {
            Some(r) => timeline::state_now(r, track),
            None => track.state,
        }
    }

    /// The run's clock now and its scale, or the trace's end at scale 1 with no run.
    pub fn clock(&self) -> (u64, f64) {
        match &self.app.run {
            Some(r) => (r.now_ns(), r.scale),
            None => (self.trace().map_or(0, |t| t.now_ns), 1.0),
        }
    }

    /// The variant of the run on screen, or the one Enter would run.
    pub fn variant_on_screen(&self) -> &'a str {
        match &self.app.run {
            Some(r) => r.variant.as_str(),
            None => self.app.variant_id(),
        }
    }

    /// A run of `variant` is on screen and not yet judged.
    pub fn running(&self, variant: &str) -> bool {
        self.app
            .run
            .as_ref()
            .is_some_and(|r| r.variant == variant && !r.judged)
    }

    /// The latest result of `variant` in this lesson, in the mode on screen if there is one.
    pub fn result(&self, variant: &str) -> Option<&'a VariantResult> {
        let mode = self.app.run.as_ref().map_or(self.app.mode, |r| r.mode);
        self.app
            .entry()
            .results
            .iter()
            .filter(|r| r.id == variant)
            .min_by_key(|r| r.report.mode != mode)
    }

    /// A variant's title from the lesson's text.
    pub fn variant_title(&self, variant: &'a str) -> &'a str {
        self.app
            .entry()
            .text
            .variant(variant)
            .map_or(variant, |v| v.title.get(self.app.lang))
    }

    /// A parameter of the run on screen, or of the next run.
    pub fn param(&self, key: &str) -> f64 {
        match &self.app.run {
            Some(r) => r.params.get(key),
            None => self.app.entry().params.get(key),
        }
    }
}

/// A panel's frame: full borders when there is room, a title rule when compact.
pub fn block<'a>(title: impl Into<Line<'a>>, compact: bool) -> ratatui::widgets::Block<'a> {
    super::view::panel(title, compact)
}

/// `s` cut to fit `max` cells.
pub fn fit(s: &str, max: usize) -> String {
    wrap::truncate(s, max)
}

/// A line cut to `width` cells, styles kept.
pub fn clip(line: Line<'static>, width: usize) -> Line<'static> {
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
pub fn fit_spans(spans: Vec<Span<'static>>, width: usize) -> Line<'static> {
    clip(Line::from(spans), width)
}

/// Names separated by spaces, as many as fit in `max` cells, then "+k" for the rest.
pub fn names_fit(names: &[String], max: usize) -> String {
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

/// Rows the lesson's own panel wants at `width` (borders excluded), if it has one.
pub(crate) fn height(app: &App, width: usize, compact: bool) -> Option<usize> {
    let panel = app.entry().code.panel()?;
    Some(panel.height(&PanelCtx::new(app, compact), width))
}

/// Draw the lesson's own panel in `area`; false if it has none.
pub(crate) fn render(app: &App, frame: &mut Frame, area: Rect, compact: bool) -> bool {
    match app.entry().code.panel() {
        Some(panel) => {
            panel.render(&PanelCtx::new(app, compact), frame, area);
            true
        }
        None => false,
    }
}
