//! The thread-local lesson's panel: one row per thread with the url it was given, what its own
//! slot holds (`local`) and what the helper read for it, ✓ when that was its own url. With the
//! shared global there is one box for everybody: the panel shows what it holds and who wrote
//! it last, and the rows show each thread reading whatever was there.

use super::words::Words;
use crate::engine::What;
use crate::engine::trace::Trace;
use crate::tui::panel::{Panel, PanelCtx, block, fit_spans, theme, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// One thread's row.
struct Row {
    name: String,
    given: String,
    /// Its slot of the thread-local (`local` only).
    slot: Option<String>,
    /// What the helper read for it, once it has.
    read: Option<String>,
}

struct Model {
    global: bool,
    rows: Vec<Row>,
    /// The global's value, its last writer and how many writes (`shared-global`).
    value: Option<(String, Option<String>, u64)>,
}

fn model(ctx: &PanelCtx) -> Model {
    let global = ctx.variant_on_screen() == "shared-global";
    let planned = ctx.param("threads").max(0.0) as usize;
    let mut rows: Vec<Row> = (1..=planned)
        .map(|i| Row {
            name: format!("T{i}"),
            given: format!("/page{i}"),
            slot: None,
            read: None,
        })
        .collect();
    let mut value = None;
    if let Some(t) = ctx.trace() {
        fill(t, global, &mut rows, &mut value);
    }
    Model {
        global,
        rows,
        value,
    }
}

/// What the run has shown so far: each thread's slot and reads, the global's value.
fn fill(t: &Trace, global: bool, rows: &mut [Row], value: &mut Option<(String, Option<String>, u64)>) {
    let wanted = if global { "url" } else { "local" };
    let Some(res) = t.resources.iter().find(|r| r.name == wanted) else {
        return;
    };
    let row_of = |rows: &mut [Row], tid| {
        let name = t.thread_name(tid).to_string();
        rows.iter().position(|r| r.name == name)
    };
    let mut last_writer = None;
    for l in &t.log {
        match &l.what {
            What::LocalGet { rid, value: v } if *rid == res.rid => {
                if let Some(i) = row_of(rows, l.tid) {
                    rows[i].read = Some(v.as_deref().map_or(String::new(), Trace::plain));
                }
            }
            What::Get { rid, value: v } if *rid == res.rid => {
                if let Some(i) = row_of(rows, l.tid) {
                    rows[i].read = Some(Trace::plain(v));
                }
            }
            What::Set { rid, .. } if *rid == res.rid => {
                last_writer = Some(t.thread_name(l.tid).to_string());
            }
            _ => {}
        }
    }
    if global {
        let shown = res.value.as_deref().map_or(String::new(), Trace::plain);
        *value = Some((shown, last_writer, res.writes));
    } else {
        for (tid, v) in &res.slots {
            if let Some(i) = row_of(rows, *tid) {
                rows[i].slot = Some(Trace::plain(v));
            }
        }
    }
}

fn lines(m: &Model, w: Words, width: usize, compact: bool) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    if !compact {
        let head = if m.global { w.head_global() } else { w.head_local() };
        for l in wrap::wrap(head, width.max(1)) {
            out.push(Line::styled(l, theme::dim()));
        }
    }
    if let Some((v, by, writes)) = &m.value {
        let v = if v.is_empty() { "\"\"" } else { v.as_str() };
        let text = w.global(v, by.as_deref().unwrap_or(w.nobody_yet()), *writes);
        for l in wrap::wrap(&text, width.max(1)) {
            out.push(Line::styled(l, theme::title()));
        }
    }
    // Columns: thread, given, [slot], read, verdict.
    let col = |head: &str, cells: &mut dyn Iterator<Item = usize>| {
        cells.fold(wrap::width(head), usize::max) + 1
    };
    let c_thread = col(w.thread(), &mut m.rows.iter().map(|r| wrap::width(&r.name)));
    let c_given = col(w.given(), &mut m.rows.iter().map(|r| wrap::width(&r.given)));
    let c_slot = col(w.slot(), &mut m.rows.iter().map(|r| wrap::width(&r.given)));
    let c_read = col(w.read(), &mut m.rows.iter().map(|r| wrap::width(&r.given)));
    let pad = |s: &str, n: usize| format!("{s}{}", " ".repeat(n.saturating_sub(wrap::width(s))));
    let mut head = vec![
        Span::styled(pad(w.thread(), c_thread), theme::dim()),
        Span::styled(pad(w.given(), c_given), theme::dim()),
    ];
    if !m.global {
        head.push(Span::styled(pad(w.slot(), c_slot), theme::dim()));
    }
    head.push(Span::styled(pad(w.read(), c_read), theme::dim()));
    out.push(fit_spans(head, width));
    let (mut right, mut wrong) = (0, 0);
    for r in &m.rows {
        let mut spans = vec![
            Span::styled(pad(&r.name, c_thread), theme::title()),
            Span::styled(pad(&r.given, c_given), theme::code()),
        ];
        if !m.global {
            let slot = r.slot.as_deref().unwrap_or(w.empty());
            spans.push(Span::styled(pad(slot, c_slot), theme::code()));
        }
        match &r.read {
            Some(read) => {
                let own = *read == r.given;
                spans.push(Span::styled(pad(read, c_read), theme::code()));
                if own {
                    right += 1;
                    spans.push(Span::styled(w.right().to_string(), theme::good()));
                } else {
                    wrong += 1;
                    spans.push(Span::styled(w.wrong().to_string(), theme::alarm()));
                }
            }
            None => spans.push(Span::styled(pad(w.empty(), c_read), theme::dim())),
        }
        out.push(fit_spans(spans, width));
    }
    let done = right + wrong;
    let text = if done == 0 {
        w.not_run().to_string()
    } else {
        w.summary(right, wrong)
    };
    let style = if wrong > 0 {
        theme::alarm()
    } else if done > 0 {
        theme::good()
    } else {
        theme::dim()
    };
    for l in wrap::wrap(&text, width.max(1)) {
        out.push(Line::styled(l, style));
    }
    out
}

/// The thread-local lesson's panel: each thread's slot, or the one global.
pub struct Slots;

impl Panel for Slots {
    fn height(&self, ctx: &PanelCtx, width: usize) -> usize {
        lines(&model(ctx), Words(ctx.lang()), width, ctx.compact()).len()
    }

    fn render(&self, ctx: &PanelCtx, frame: &mut Frame, area: Rect) {
        let w = Words(ctx.lang());
        let m = model(ctx);
        let title = if m.global { w.title_global() } else { w.title_local() };
        let block = block(Line::from(format!(" {title} ")), ctx.compact());
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let lines = lines(&m, w, inner.width as usize, ctx.compact());
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
