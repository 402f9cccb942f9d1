//! Predictions: the question asked before a step's run (a box over the screen, keys 1–9),
//! its state under the step text, and the banner that reveals it when the run ends (with the
//! banner for challenges met).

use super::challenges;
use crate::content::Question;
use crate::tui::app::App;
use crate::tui::theme;
use crate::tui::wrap;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

fn question(app: &App, step: usize) -> Option<&Question> {
    app.entry()
        .text
        .steps
        .get(step)
        .and_then(|s| s.question.as_ref())
}

/// The box asking the question, while it waits for an answer.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let Some(asking) = app.study.asking else {
        return;
    };
    let Some(q) = question(app, asking.step) else {
        return;
    };
    let sw = app.sw();
    let box_w = area.width.saturating_sub(4).min(72);
    let inner_w = box_w.saturating_sub(4) as usize;
    let mut lines: Vec<Line> = Vec::new();
    for l in wrap::wrap(q.text.get(app.lang), inner_w) {
        lines.push(Line::styled(l, theme::title()));
    }
    lines.push(Line::default());
    for (i, c) in q.choices.iter().enumerate() {
        let key = format!("{} ", i + 1);
        for (k, l) in wrap::wrap(c.get(app.lang), inner_w.saturating_sub(4))
            .into_iter()
            .enumerate()
        {
            let lead = if k == 0 {
                Span::styled(format!("  {key}"), theme::key())
            } else {
                Span::raw("    ")
            };
            lines.push(Line::from(vec![lead, Span::raw(l)]));
        }
    }
    let h = (lines.len() as u16 + 2).min(area.height);
    let rect = Rect::new(
        area.x + (area.width.saturating_sub(box_w)) / 2,
        area.y + (area.height.saturating_sub(h)) / 2,
        box_w,
        h,
    );
    frame.render_widget(Clear, rect);
    let keys = sw.predict_keys(q.choices.len());
    let block = Block::bordered()
        .border_style(theme::key())
        .title(Line::styled(format!(" {} ", sw.predict()), theme::title()))
        .title_bottom(Line::styled(
            wrap::truncate(&format!(" {keys} "), inner_w),
            theme::dim(),
        ));
    let inner = block.inner(rect).inner(ratatui::layout::Margin::new(1, 0));
    frame.render_widget(block, rect);
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Under the step text: the question, and the prediction once made (and why, once revealed).
pub(crate) fn text_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let e = app.entry();
    let Some(q) = question(app, e.step) else {
        return Vec::new();
    };
    let sw = app.sw();
    let mut out = vec![Line::default()];
    let head = format!("? {}", sw.question_line(q.text.get(app.lang)));
    for l in wrap::wrap(&head, width) {
        out.push(Line::styled(l, theme::title()));
    }
    let answer = app
        .progress()
        .lesson(&e.text.id)
        .and_then(|l| l.answers.get(&e.step));
    let choice = |k: usize| q.choices.get(k - 1).map_or("?", |c| c.get(app.lang));
    let (text, style) = match answer {
        None => (sw.enter_asks().to_string(), theme::dim()),
        Some(a) if !a.revealed => (
            format!(
                "{} · {}",
                sw.your_prediction(choice(a.choice)),
                sw.run_to_see()
            ),
            theme::key(),
        ),
        Some(a) if a.correct => (
            format!("{} ✓ {}", sw.your_prediction(choice(a.choice)), sw.right()),
            theme::good(),
        ),
        Some(a) => (
            format!(
                "{} ✗ {} {}",
                sw.your_prediction(choice(a.choice)),
                sw.wrong_answer_is(),
                choice(q.answer)
            ),
            wrong(),
        ),
    };
    for l in wrap::wrap(&text, width) {
        out.push(Line::styled(l, style));
    }
    if answer.is_some_and(|a| a.revealed) {
        for l in wrap::wrap(&sw.why_line(q.why.get(app.lang)), width) {
            out.push(Line::styled(l, theme::dim()));
        }
    }
    out
}

fn wrong() -> Style {
    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}

/// "You predicted 99 ✓ right. Why: ..." for the prediction the run just revealed.
fn reveal_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let Some(r) = app.study.reveal else {
        return Vec::new();
    };
    let Some(q) = question(app, r.step) else {
        return Vec::new();
    };
    let sw = app.sw();
    let choice = |k: usize| q.choices.get(k - 1).map_or("?", |c| c.get(app.lang));
    let (head, style) = if r.correct {
        (
            format!("{} ✓ {}", sw.your_prediction(choice(r.choice)), sw.right()),
            theme::good().add_modifier(Modifier::BOLD),
        )
    } else {
        (
            format!(
                "{} ✗ {} {}",
                sw.your_prediction(choice(r.choice)),
                sw.wrong_answer_is(),
                choice(q.answer)
            ),
            wrong(),
        )
    };
    let mut out: Vec<Line> = wrap::wrap(&head, width)
        .into_iter()
        .map(|l| Line::styled(l, style))
        .collect();
    for l in wrap::wrap(&sw.why_line(q.why.get(app.lang)), width) {
        out.push(Line::raw(l));
    }
    out
}

/// The result box's lines revealing a prediction and celebrating challenges met.
pub(crate) fn banner_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let mut lines = reveal_lines(app, width);
    let cheers = challenges::celebration_lines(app, width);
    if !lines.is_empty() && !cheers.is_empty() {
        lines.push(Line::default());
    }
    lines.extend(cheers);
    lines
}

/// The result box's border: the colour of a wrong prediction, else of good news.
pub(crate) fn border_style(app: &App) -> Style {
    if app.study.reveal.is_some_and(|r| !r.correct) {
        wrong()
    } else {
        theme::good().add_modifier(Modifier::BOLD)
    }
}
