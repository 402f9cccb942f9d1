//! The menu: every lesson with its title, one-line summary and the Python idea it explains;
//! the selected one's variants beside (or under) the list.

use super::{compact, footer, header, panel};
use crate::tui::app::App;
use crate::tui::theme;
use crate::tui::wrap;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let compact = compact(area);
    header::menu(app, frame, Rect::new(area.x, area.y, area.width, 1));
    footer::render(
        app,
        frame,
        Rect::new(area.x, area.bottom() - 1, area.width, 1),
    );
    let body = Rect::new(area.x, area.y + 1, area.width, area.height - 2);
    let (list, detail) = if compact {
        // Room for every lesson (four lines each) up to half the screen; the rest for details.
        let need = app.entries.len() as u16 * 4 + 1;
        let list_h = need.min(body.height / 2);
        (
            Rect::new(body.x, body.y, body.width, list_h),
            Rect::new(body.x, body.y + list_h, body.width, body.height - list_h),
        )
    } else {
        let list_w = body.width / 2;
        (
            Rect::new(body.x, body.y, list_w, body.height),
            Rect::new(body.x + list_w, body.y, body.width - list_w, body.height),
        )
    };
    lessons(app, frame, list, compact);
    details(app, frame, detail, compact);
}

fn lessons(app: &App, frame: &mut Frame, area: Rect, compact: bool) {
    let w = app.words();
    let block = panel(format!(" {} ", w.lessons()), compact);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let mut items: Vec<Vec<Line>> = Vec::new();
    for (i, e) in app.entries.iter().enumerate() {
        let selected = i == app.selected;
        let mark = if selected { "▶ " } else { "  " };
        let title_style = if selected {
            theme::title().patch(theme::selected())
        } else {
            theme::title()
        };
        // How far the learner got, at the right of the title when there is room.
        let done = progress_words(app, &e.text);
        let done_w = wrap::width(&done);
        let title = format!("{}. {}", i + 1, e.text.title.get(app.lang));
        let room = width.saturating_sub(2);
        let (title, done) = if wrap::width(&title) + 2 + done_w <= room {
            (title, done)
        } else {
            (wrap::truncate(&title, room), String::new())
        };
        let gap = room.saturating_sub(wrap::width(&title) + wrap::width(&done));
        let mut lines = vec![Line::from(vec![
            Span::styled(mark, theme::key()),
            Span::styled(title, title_style),
            Span::raw(" ".repeat(gap)),
            Span::styled(done, theme::dim()),
        ])];
        for l in wrap::wrap(e.text.summary.get(app.lang), width.saturating_sub(4)) {
            lines.push(Line::raw(format!("    {l}")));
        }
        let python = format!("    Python: {}", e.text.python);
        lines.push(Line::styled(wrap::truncate(&python, width), theme::dim()));
        lines.push(Line::default());
        items.push(lines);
    }
    // Scroll so the selected lesson is on screen.
    let height = inner.height as usize;
    let mut first = 0;
    let top_of = |k: usize, items: &Vec<Vec<Line>>| items[..k].iter().map(Vec::len).sum::<usize>();
    if let Some(sel) = items.get(app.selected) {
        let bottom = top_of(app.selected, &items) + sel.len();
        while bottom - top_of(first, &items) > height && first < app.selected {
            first += 1;
        }
    }
    let lines: Vec<Line> = items.into_iter().skip(first).flatten().collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn details(app: &App, frame: &mut Frame, area: Rect, compact: bool) {
    let w = app.words();
    let Some(e) = app.entries.get(app.selected) else {
        return;
    };
    let block = panel(format!(" {} ", w.variants()), compact);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    for v in &e.text.variants {
        lines.push(Line::from(vec![
            Span::styled(format!("{} ", v.id), theme::code()),
            Span::styled(v.title.get(app.lang).to_string(), theme::title()),
        ]));
        let about = if compact {
            vec![wrap::truncate(
                v.about.get(app.lang),
                width.saturating_sub(2),
            )]
        } else {
            wrap::wrap(v.about.get(app.lang), width.saturating_sub(2))
        };
        for l in about {
            lines.push(Line::styled(format!("  {l}"), Style::new()));
        }
        if let Some(p) = e.text.published_for(&v.id) {
            lines.push(Line::styled(
                format!("  {}", w.tutorial_figure(p.seconds, &p.outcome)),
                theme::dim(),
            ));
        }
    }
    lines.push(Line::default());
    let params: Vec<String> = e
        .text
        .params
        .iter()
        .map(|p| {
            let v = e
                .params
                .iter()
                .find(|(k, _)| *k == p.key)
                .map_or(p.default, |(_, v)| v);
            let unit = if p.unit.is_empty() || p.unit == "threads" {
                ""
            } else {
                &p.unit
            };
            format!(
                "{} = {v}{}{unit}",
                p.key,
                if unit.is_empty() { "" } else { " " }
            )
        })
        .collect();
    if !params.is_empty() {
        let text = w.parameters(&params.join(", "));
        for l in wrap::wrap(&text, width) {
            lines.push(Line::styled(l, theme::dim()));
        }
    }
    lines.push(Line::styled(w.step_count(e.text.steps.len()), theme::dim()));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// "3/8 steps · ★ 1/4": how far the learner got in a lesson, when they have been there.
fn progress_words(app: &App, lesson: &crate::content::Lesson) -> String {
    let Some(p) = app.progress().lesson(&lesson.id).filter(|p| p.visited) else {
        return String::new();
    };
    let seen = p
        .steps_seen
        .iter()
        .filter(|s| **s < lesson.steps.len())
        .count();
    let mut out = format!("{seen}/{} {}", lesson.steps.len(), app.sw().steps_seen());
    if !lesson.challenges.is_empty() {
        let met = lesson
            .challenges
            .iter()
            .filter(|c| p.challenges.contains_key(&c.id))
            .count();
        out.push_str(&format!(" · ★ {met}/{}", lesson.challenges.len()));
    }
    out
}
