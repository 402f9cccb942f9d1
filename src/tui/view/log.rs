//! The run's latest events in words (lost updates and deadlocks in red) and, in step mode,
//! who can move next and what each would do.

use super::{fit, panel};
use crate::content::Lang;
use crate::engine::trace::{Trace, fmt_ns};
use crate::engine::{Candidate, Mode, Op, ThreadState};
use crate::tui::app::App;
use crate::tui::theme;
use crate::tui::wrap;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(app: &App, frame: &mut Frame, area: Rect, compact: bool) {
    let w = app.words();
    let block = panel(format!(" {} ", w.log), compact);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(r) = &app.run else {
        return;
    };
    let width = inner.width as usize;
    let mut top: Vec<Line> = Vec::new();
    if r.mode == Mode::Step && !r.over() {
        top = candidates(app, &r.status.candidates, &r.trace, width);
        if compact {
            top.truncate(1); // the footer shows n, Tab and s already
        }
    }
    let room = (inner.height as usize).saturating_sub(top.len());
    let t = &r.trace;
    let start = t.log.len().saturating_sub(room);
    let mut lines = top;
    for l in &t.log[start..] {
        let at = format!("{:>9} ", fmt_ns(l.at_ns));
        let style = if l.alarm {
            theme::alarm()
        } else {
            Style::new()
        };
        let text = fit(&l.text, width.saturating_sub(wrap::width(&at)));
        lines.push(Line::from(vec![
            Span::styled(at, theme::dim()),
            Span::styled(text, style),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// "can move: [T2 reads n] T3 starts …" and how to pick, fitted to `width`.
fn candidates(app: &App, c: &[Candidate], t: &Trace, width: usize) -> Vec<Line<'static>> {
    let w = app.words();
    if c.is_empty() {
        return vec![Line::styled(
            format!("▶ {}", w.nobody_can_move),
            theme::key(),
        )];
    }
    let head = format!("▶ {}: ", w.next);
    let room = width.saturating_sub(wrap::width(&head));
    let full: Vec<String> = c
        .iter()
        .map(|cand| format!("{} {}", cand.name, op_words(app.lang, cand, t)))
        .collect();
    // Every thread with what it would do; if that is too long, what the chosen (or first)
    // would do and the others' names; then as many as fit.
    let fits = |texts: &[String]| texts.iter().map(|x| wrap::width(x) + 2).sum::<usize>() <= room;
    let texts: Vec<String> = if fits(&full) {
        full
    } else {
        let keep = c
            .iter()
            .position(|cand| app.chosen == Some(cand.tid))
            .unwrap_or(0);
        c.iter()
            .zip(full)
            .enumerate()
            .map(|(i, (cand, f))| if i == keep { f } else { cand.name.clone() })
            .collect()
    };
    let mut spans = vec![Span::styled(head, theme::key())];
    let mut used = 0;
    for (i, (cand, text)) in c.iter().zip(&texts).enumerate() {
        let piece = wrap::width(text) + 2;
        let more = c.len() - i;
        if used + piece + if more > 1 { 4 } else { 0 } > room && i > 0 {
            spans.push(Span::styled(format!("+{more}"), theme::dim()));
            break;
        }
        let style = if app.chosen == Some(cand.tid) {
            theme::selected()
        } else {
            theme::state(cand.state)
        };
        spans.push(Span::styled(text.clone(), style));
        spans.push(Span::raw("  "));
        used += piece;
    }
    vec![
        Line::from(spans),
        Line::styled(fit(w.next_hint, width), theme::dim()),
    ]
}

/// What a candidate will do when picked, in a few words.
fn op_words(lang: Lang, c: &Candidate, t: &Trace) -> String {
    let zh = lang == Lang::Zh;
    if matches!(c.state, ThreadState::Sleeping | ThreadState::Working) {
        return if zh { "醒来" } else { "wakes up" }.into();
    }
    let res = |r| t.resource_name(r).to_string();
    let Some((op, _)) = c.next else {
        return String::new();
    };
    match (op, zh) {
        (Op::Start, false) => "starts".into(),
        (Op::Start, true) => "开始".into(),
        (Op::Spawn, false) => "starts a thread".into(),
        (Op::Spawn, true) => "启动线程".into(),
        (Op::Lock(r), false) => format!("locks {}", res(r)),
        (Op::Lock(r), true) => format!("加锁 {}", res(r)),
        (Op::Unlock(r), false) => format!("unlocks {}", res(r)),
        (Op::Unlock(r), true) => format!("解锁 {}", res(r)),
        (Op::Get(r), false) => format!("reads {}", res(r)),
        (Op::Get(r), true) => format!("读 {}", res(r)),
        (Op::Set(r), false) => format!("writes {}", res(r)),
        (Op::Set(r), true) => format!("写 {}", res(r)),
        (Op::Sleep(ns), false) => format!("sleeps {}", fmt_ns(ns)),
        (Op::Sleep(ns), true) => format!("睡 {}", fmt_ns(ns)),
        (Op::Work(ns), false) => format!("works {}", fmt_ns(ns)),
        (Op::Work(ns), true) => format!("干活 {}", fmt_ns(ns)),
        (Op::Join(tid), false) => format!("joins {}", t.thread_name(tid)),
        (Op::Join(tid), true) => format!("join {}", t.thread_name(tid)),
        (Op::Say, false) => "prints".into(),
        (Op::Say, true) => "打印".into(),
        (Op::Put(r), false) => format!("puts into {}", res(r)),
        (Op::Put(r), true) => format!("放入 {}", res(r)),
        (Op::Take(r), false) => format!("takes from {}", res(r)),
        (Op::Take(r), true) => format!("取出 {}", res(r)),
        (Op::TaskDone(r), false) => format!("marks an item of {} done", res(r)),
        (Op::TaskDone(r), true) => format!("task_done {}", res(r)),
        (Op::WaitAll(r), false) => format!("waits for {} to be done", res(r)),
        (Op::WaitAll(r), true) => format!("等待 {} 全部完成", res(r)),
        (Op::SetFlag(r), false) => format!("sets {}", res(r)),
        (Op::SetFlag(r), true) => format!("设置 {}", res(r)),
        (Op::ClearFlag(r), false) => format!("clears {}", res(r)),
        (Op::ClearFlag(r), true) => format!("清除 {}", res(r)),
        (Op::WaitFlag(r), false) => format!("waits for {}", res(r)),
        (Op::WaitFlag(r), true) => format!("等待 {}", res(r)),
        (Op::Peek(r), false) => format!("looks at {}", res(r)),
        (Op::Peek(r), true) => format!("查看 {}", res(r)),
    }
}
