//! The tickets lesson's panel: the file's content over time (each version, when it was written,
//! by whom, how many times), the count each buyer had in hand when it decided, and who bought
//! and who found the tickets sold out. Before a run it shows the file the sale starts with.

use super::FILE;
use super::words::Words;
use crate::engine::trace::Trace;
use crate::engine::{Tid, What};
use crate::tui::panel::{Panel, PanelCtx, block, names_fit, theme, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::collections::BTreeMap;

/// One version of the file: when it first held `text`, and who wrote it (none: made so).
struct Version {
    at_ns: u64,
    text: String,
    writers: Vec<Tid>,
    /// Writes of it computed from a stale read.
    stale: usize,
}

#[derive(Default)]
struct Model {
    versions: Vec<Version>,
    /// The count each buyer had read last when it decided, and how many decided on it.
    decided: BTreeMap<String, usize>,
    bought: Vec<String>,
    sold_out: Vec<String>,
}

fn model(t: &Trace) -> Option<Model> {
    let file = t.resources.iter().find(|r| r.name == FILE)?;
    let mut m = Model::default();
    let mut last_read: BTreeMap<Tid, String> = BTreeMap::new();
    for l in &t.log {
        match &l.what {
            What::ResourceNew { rid, value, .. } if *rid == file.rid => m.versions.push(Version {
                at_ns: l.at_ns,
                text: value.clone().unwrap_or_default(),
                writers: Vec::new(),
                stale: 0,
            }),
            What::Get { rid, value } if *rid == file.rid => {
                last_read.insert(l.tid, value.clone());
            }
            What::Set {
                rid, value, stale, ..
            } if *rid == file.rid => {
                let same = m
                    .versions
                    .last()
                    .is_some_and(|v| v.text == *value && !v.writers.is_empty());
                if !same {
                    m.versions.push(Version {
                        at_ns: l.at_ns,
                        text: value.clone(),
                        writers: Vec::new(),
                        stale: 0,
                    });
                }
                if let Some(v) = m.versions.last_mut() {
                    v.writers.push(l.tid);
                    v.stale += usize::from(*stale);
                }
            }
            What::Say { text } if text == "bought" || text == "sold out" => {
                let seen = last_read.get(&l.tid).map_or("?".into(), |v| count_of(v));
                *m.decided.entry(seen).or_default() += 1;
                let name = t.thread_name(l.tid).to_string();
                if text == "bought" {
                    m.bought.push(name);
                } else {
                    m.sold_out.push(name);
                }
            }
            _ => {}
        }
    }
    Some(m)
}

/// The count in the file's text (`{"count": 1}` → "1"), or the text itself.
fn count_of(text: &str) -> String {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| v.get("count").map(|c| c.to_string()))
        .unwrap_or_else(|| text.to_string())
}

/// "0.3 s", "0.015 s": a moment in lesson seconds.
fn fmt_secs(s: f64) -> String {
    if s > 0.0 && s < 0.1 {
        return format!("{s:.3} s");
    }
    let text = format!("{s:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} s")
}

fn lines(ctx: &PanelCtx, w: Words, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let compact = ctx.compact();
    let locked = ctx.variant_on_screen().ends_with("-lock") && !ctx.variant_on_screen().ends_with("no-lock");
    if !compact {
        let note = if locked { w.lock_note() } else { w.no_lock_note() };
        for l in wrap::wrap(note, width.max(1)) {
            out.push(Line::styled(l, theme::dim()));
        }
    }
    let tickets = ctx.param("tickets").round() as u64;
    let Some(m) = ctx.trace().and_then(model) else {
        out.push(Line::styled(
            wrap::truncate(&format!("{FILE} = {{\"count\": {tickets}}}"), width),
            theme::title(),
        ));
        out.push(Line::styled(wrap::truncate(w.not_yet(), width), theme::dim()));
        return out;
    };
    let (_, scale) = ctx.clock();
    out.push(Line::styled(
        wrap::truncate(&w.history(FILE), width),
        theme::title(),
    ));
    // The first version, the latest ones, and how many in between do not fit.
    let room = if compact { 2 } else { 4 };
    let shown: Vec<usize> = if m.versions.len() <= room {
        (0..m.versions.len()).collect()
    } else {
        std::iter::once(0)
            .chain(m.versions.len() + 1 - room..m.versions.len())
            .collect()
    };
    for (k, &i) in shown.iter().enumerate() {
        if k == 1 && i > 1 {
            out.push(Line::styled(
                wrap::truncate(&format!("  {}", w.more(i - 1)), width),
                theme::dim(),
            ));
        }
        let v = &m.versions[i];
        let at = fmt_secs(v.at_ns as f64 / 1e9 / scale);
        let who = if v.writers.is_empty() {
            w.made().to_string()
        } else {
            let names: Vec<String> = v
                .writers
                .iter()
                .map(|&t| ctx.trace().map_or("?", |tr| tr.thread_name(t)).to_string())
                .collect();
            let head = format!("{at:>7} {}  ", v.text);
            let written = w.written(v.writers.len());
            let used = wrap::width(&head) + wrap::width(&written) + wrap::width(&w.by(""));
            let room = width.saturating_sub(used);
            // Names only when at least one fits.
            let fit = names_fit(&names, room);
            if !fit.is_empty() && !fit.starts_with('+') && wrap::width(&fit) <= room {
                format!("{written}{}", w.by(&fit))
            } else {
                written
            }
        };
        let style = if v.stale > 0 {
            theme::alarm()
        } else {
            Style::new()
        };
        out.push(Line::from(vec![
            Span::styled(format!("{at:>7} "), theme::dim()),
            Span::styled(v.text.clone(), theme::title()),
            Span::styled(format!("  {who}"), style),
        ]));
        if let Some(last) = out.last_mut() {
            *last = crate::tui::panel::clip(last.clone(), width);
        }
    }
    if !m.decided.is_empty() {
        let parts: Vec<String> = m
            .decided
            .iter()
            .rev()
            .map(|(count, n)| format!("{count}: {n}"))
            .collect();
        out.push(Line::styled(
            wrap::truncate(&format!("{} count {}", w.decided(), parts.join(" · ")), width),
            Style::new(),
        ));
    }
    let sold = m.bought.len() as u64;
    let (text, style) = if sold > tickets {
        (w.oversold_line(sold, tickets), theme::alarm())
    } else {
        (w.sold_line(sold, tickets), theme::good())
    };
    out.push(Line::styled(wrap::truncate(&text, width), style));
    let list = |names: &[String], f: &dyn Fn(u64, &str) -> String| -> String {
        let n = names.len() as u64;
        let empty = f(n, "");
        let room = width.saturating_sub(wrap::width(&empty));
        let who = if names.is_empty() {
            w.nobody().to_string()
        } else {
            names_fit(names, room.max(4))
        };
        wrap::truncate(&f(n, &who), width)
    };
    out.push(Line::raw(list(&m.bought, &|n, who| w.bought_list(n, who))));
    if !compact || !m.sold_out.is_empty() {
        out.push(Line::styled(
            list(&m.sold_out, &|n, who| w.sold_out_list(n, who)),
            theme::dim(),
        ));
    }
    out
}

/// The tickets lesson's panel: the file over time, and who bought.
pub struct History;

impl Panel for History {
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
