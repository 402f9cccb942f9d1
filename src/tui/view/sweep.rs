//! The sweep view (w): one parameter taken through a few values, every variant run at each,
//! and their times drawn against it (the ideal too, for live runs), with a table of the
//! numbers and how much each step of the parameter adds.

use super::columns::{Column, table};
use super::timing_parts::{self, color, footer, header, ms, words};
use super::{compact, fit, header::format_scale, panel};
use crate::engine::Mode;
use crate::record::Recording;
use crate::record::{number, values_text};
use crate::tui::app::App;
use crate::tui::timing::{Pane, SweepSetup};
use crate::tui::{theme, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let compact = compact(area);
    let border = if compact { 1 } else { 2 };
    header(
        app,
        frame,
        Rect::new(area.x, area.y, area.width, 1),
        Pane::Sweep,
    );
    let bottom = area.bottom();
    footer(
        app,
        frame,
        Rect::new(area.x, bottom - 1, area.width, 1),
        Pane::Sweep,
    );
    timing_parts::status(
        app,
        frame,
        Rect::new(area.x, bottom - 2, area.width, 1),
        Pane::Sweep,
    );
    let body = Rect::new(
        area.x,
        area.y + 1,
        area.width,
        area.height.saturating_sub(3),
    );
    let Some(setup) = app.sweep_setup() else {
        return;
    };

    let setup_lines = setup_lines(app, setup, body.width as usize);
    let setup_h = (setup_lines.len() as u16).min(body.height);
    frame.render_widget(
        Paragraph::new(setup_lines),
        Rect::new(body.x, body.y, body.width, setup_h),
    );
    let rest = Rect::new(
        body.x,
        body.y + setup_h,
        body.width,
        body.height.saturating_sub(setup_h),
    );
    let variants = app.entry().text.variants.len() as u16;
    let table_h = match &setup.result {
        Some(_) => (border + 1 + variants).min(rest.height / 2),
        None => 0,
    };
    let chart_area = Rect::new(rest.x, rest.y, rest.width, rest.height - table_h);
    let table_area = Rect::new(rest.x, rest.y + chart_area.height, rest.width, table_h);
    chart(app, setup, frame, chart_area, compact);
    numbers(app, setup, frame, table_area, compact);
}

/// "Parameter ◂ threads ▸ Threads T, 1–1000 · mode virtual · linear" and the values line.
fn setup_lines(app: &App, setup: &SweepSetup, width: usize) -> Vec<Line<'static>> {
    let w = words(app);
    let words = app.words();
    let e = app.entry();
    let Some(spec) = e.text.params.get(setup.param) else {
        return vec![Line::styled(fit(w.no_params(), width), theme::dim())];
    };
    let label_w = wrap::width(w.parameter()).max(wrap::width(w.values())) + 2;
    let pad = |s: &str| format!("{s}{}", " ".repeat(label_w.saturating_sub(wrap::width(s))));
    let mut first = vec![
        Span::styled(pad(w.parameter()), theme::dim()),
        Span::styled("◂ ", theme::key()),
        Span::styled(spec.key.clone(), theme::title()),
        Span::styled(" ▸", theme::key()),
        Span::styled(
            format!(
                "  {}, {}–{} {}",
                spec.label.get(app.lang),
                number(spec.min),
                number(spec.max),
                spec.unit
            ),
            theme::dim(),
        ),
        Span::styled(" │ ", theme::border()),
        Span::styled(format!("{} ", words.mode_label()), theme::dim()),
        Span::raw(words.mode(setup.mode).to_string()),
        Span::styled(" │ ", theme::border()),
        Span::raw(
            if setup.log {
                w.log_scale()
            } else {
                w.linear_scale()
            }
            .to_string(),
        ),
    ];
    let used: usize = first.iter().map(|s| s.width()).sum();
    if used > width {
        // The label goes first when space is short.
        first.remove(4);
    }
    let mut lines = vec![Line::from(first)];
    let mut second = vec![Span::styled(pad(w.values()), theme::dim())];
    match &setup.input {
        Some(text) => {
            let room = width.saturating_sub(label_w + 2 + wrap::width(w.editing_hint()) + 3);
            // The end of a long line stays in view while typing.
            let shown: String = {
                let mut chars: Vec<char> = text.chars().collect();
                while wrap::width(&chars.iter().collect::<String>()) > room && !chars.is_empty() {
                    chars.remove(0);
                }
                chars.into_iter().collect()
            };
            second.push(Span::styled(shown, theme::selected()));
            second.push(Span::styled("▏", theme::key()));
            second.push(Span::styled(
                format!("   {}", w.editing_hint()),
                theme::dim(),
            ));
        }
        None => {
            second.push(Span::raw(values_text(setup.current_values())));
            second.push(Span::styled(format!("   {}", w.edit_hint()), theme::dim()));
        }
    }
    lines.push(Line::from(second));
    if let Some(err) = &setup.error {
        lines.push(Line::styled(fit(err, width), theme::alarm()));
    }
    lines
}

/// A variant's times across the sweep: (value, median, ideal) at each value.
struct Series {
    variant: String,
    points: Vec<(f64, f64, f64)>,
}

/// Chart points, (value, time), as ratatui's datasets take them.
type Xy = Vec<(f64, f64)>;

/// The last sweep's medians by variant, in the lesson's order.
fn series(app: &App, rec: &Recording) -> Vec<Series> {
    app.entry()
        .text
        .variants
        .iter()
        .map(|v| Series {
            variant: v.id.clone(),
            points: rec
                .rows
                .iter()
                .filter(|r| r.variant == v.id)
                .filter_map(|r| r.param.as_ref().map(|(_, x)| (*x, r.median_ms, r.ideal_ms)))
                .collect(),
        })
        .filter(|s| !s.points.is_empty())
        .collect()
}

fn chart(app: &App, setup: &SweepSetup, frame: &mut Frame, area: Rect, compact: bool) {
    let w = words(app);
    let words = app.words();
    let key = app
        .entry()
        .text
        .params
        .get(setup.param)
        .map_or("", |p| p.key.as_str());
    let Some(rec) = &setup.result else {
        let block = panel(format!(" {} ", w.time_against(key)), compact);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let text = w.sweep_nothing(key, words.mode(setup.mode));
        let lines: Vec<Line> = wrap::wrap(&text, inner.width.max(1) as usize)
            .into_iter()
            .map(|l| Line::styled(l, theme::dim()))
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
        return;
    };
    let mode = Mode::parse(rec.rows.first().map_or("virtual", |r| r.mode)).unwrap_or(Mode::Virtual);
    let title = format!(
        " {} · {} · {} {} ",
        w.time_against(key),
        words.mode(mode),
        words.scale(),
        format_scale(rec.scale)
    );
    let block = panel(fit(&title, area.width as usize), compact);
    let series = series(app, rec);
    let ys = series
        .iter()
        .flat_map(|s| s.points.iter().flat_map(|(_, m, i)| [*m, *i]));
    let top = ys.clone().fold(0.0, f64::max);
    let low = ys.filter(|y| *y > 0.0).fold(f64::INFINITY, f64::min);
    let (xmin, xmax) = series
        .iter()
        .flat_map(|s| s.points.iter().map(|(x, _, _)| *x))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
            (a.min(x), b.max(x))
        });
    if !xmin.is_finite() {
        frame.render_widget(block, area);
        return;
    }
    // From 0 when the values start near it, so a straight line through 0 reads as one.
    let x0 = if xmin >= 0.0 && xmin <= xmax / 4.0 {
        0.0
    } else {
        xmin
    };
    let (x0, x1) = if xmax > x0 {
        (x0, xmax)
    } else {
        (x0 - 1.0, xmax + 1.0)
    };
    let x_labels: Vec<Span> = [x0, (x0 + x1) / 2.0, x1]
        .iter()
        .map(|x| Span::raw(number(*x)))
        .collect();

    let y = |v: f64| if setup.log { v.log10() } else { v };
    let (y0, y1, y_labels): (f64, f64, Vec<Span>) = if setup.log && low.is_finite() {
        let lo = low.log10().floor();
        let mut hi = top.log10().ceil();
        if hi <= lo {
            hi = lo + 1.0;
        }
        let steps = (hi - lo) as usize;
        let every = steps.div_ceil(4).max(1);
        let labels = (0..=steps)
            .filter(|k| k % every == 0 || *k == steps)
            .map(|k| Span::raw(ms(10f64.powf(lo + k as f64))))
            .collect();
        (lo, hi, labels)
    } else {
        let top = if top > 0.0 { top } else { 1.0 };
        let labels = [0.0, top / 2.0, top]
            .iter()
            .map(|v| Span::raw(if *v == 0.0 { "0".to_string() } else { ms(*v) }))
            .collect();
        (0.0, top, labels)
    };

    let points: Vec<(Xy, Xy)> = series
        .iter()
        .map(|Series { points: p, .. }| {
            let keep = |v: f64| !setup.log || v > 0.0;
            let measured = p
                .iter()
                .filter(|(_, m, _)| keep(*m))
                .map(|(x, m, _)| (*x, y(*m)))
                .collect();
            let ideal = p
                .iter()
                .filter(|(_, _, i)| keep(*i))
                .map(|(x, _, i)| (*x, y(*i)))
                .collect();
            (measured, ideal)
        })
        .collect();
    // The legend is a line under the chart, where no line can cross it.
    let mut legend = Vec::new();
    for (i, Series { variant: name, .. }) in series.iter().enumerate() {
        legend.push(Span::styled("━ ", Style::new().fg(color(i))));
        legend.push(Span::raw(format!("{name}  ")));
    }
    if mode == Mode::Live {
        legend.push(Span::styled("• ", Style::new().fg(Color::Gray)));
        legend.push(Span::raw(w.ideal()));
    } else {
        legend.push(Span::styled(w.virtual_is_ideal(), theme::dim()));
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 2 {
        return;
    }
    let legend_area = Rect::new(inner.x, inner.bottom() - 1, inner.width, 1);
    frame.render_widget(Paragraph::new(Line::from(legend)), legend_area);
    let graph = Rect::new(inner.x, inner.y, inner.width, inner.height - 1);

    let mut datasets = Vec::new();
    if mode == Mode::Live {
        // The ideal first, so the measured lines draw over it.
        for (_, ideal) in &points {
            datasets.push(
                Dataset::default()
                    .marker(Marker::Dot)
                    .graph_type(GraphType::Scatter)
                    .style(Style::new().fg(Color::Gray))
                    .data(ideal),
            );
        }
    }
    for (i, (measured, _)) in points.iter().enumerate() {
        datasets.push(
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(Style::new().fg(color(i)))
                .data(measured),
        );
    }
    let axis_style = theme::dim();
    let chart = Chart::new(datasets)
        .x_axis(
            Axis::default()
                .title(Span::styled(key.to_string(), axis_style))
                .bounds([x0, x1])
                .labels(x_labels)
                .style(axis_style),
        )
        .y_axis(
            Axis::default()
                .title(Span::styled(
                    if setup.log { w.time_log() } else { w.time() },
                    axis_style,
                ))
                .bounds([y0, y1])
                .labels(y_labels)
                .style(axis_style),
        )
        .legend_position(None);
    frame.render_widget(chart, graph);
}

/// The numbers behind the chart: each variant's time at each value, and what one step of the
/// parameter adds (from the first value to the last).
fn numbers(app: &App, setup: &SweepSetup, frame: &mut Frame, area: Rect, compact: bool) {
    let Some(rec) = &setup.result else {
        return;
    };
    let key = rec
        .rows
        .iter()
        .find_map(|r| r.param.as_ref().map(|(k, _)| k.clone()))
        .unwrap_or_default();
    let block = panel("", compact);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let series = series(app, rec);
    let values: Vec<f64> = {
        let mut v: Vec<f64> = rec
            .rows
            .iter()
            .filter_map(|r| r.param.as_ref().map(|(_, x)| *x))
            .collect();
        v.sort_by(f64::total_cmp);
        v.dedup();
        v
    };
    let mut cols = vec![Column::new(key.clone(), 20)];
    for (i, x) in values.iter().enumerate() {
        // The ends of the range matter most when columns must go.
        let keep = if i == 0 || i + 1 == values.len() {
            15
        } else {
            10 - (i % 10) as u8
        };
        cols.push(Column::new(number(*x), keep).right());
    }
    cols.push(Column::new(format!("+1 {key}"), 18).right());
    for (
        i,
        Series {
            variant: name,
            points,
        },
    ) in series.iter().enumerate()
    {
        cols[0].cell(name.clone(), Style::new().fg(color(i)));
        for (j, x) in values.iter().enumerate() {
            let cell = points
                .iter()
                .find(|(px, _, _)| px == x)
                .map_or("—".to_string(), |(_, m, _)| ms(*m));
            cols[j + 1].cell(cell, Style::new());
        }
        let slope = match (points.first(), points.last()) {
            (Some(a), Some(b)) if b.0 > a.0 => {
                let per = (b.1 - a.1) / (b.0 - a.0);
                // Below a microsecond a step adds nothing a run could show.
                if per.abs() < 1e-3 {
                    "±0".to_string()
                } else {
                    let sign = if per < 0.0 { "−" } else { "+" };
                    format!("{sign}{}", ms(per.abs()))
                }
            }
            _ => "—".into(),
        };
        let last = cols.len() - 1;
        cols[last].cell(slope, theme::key());
    }
    let (head, rows) = table(cols, inner.width as usize, 0..series.len());
    let mut lines = vec![head];
    lines.extend(rows);
    frame.render_widget(Paragraph::new(lines), inner);
}
