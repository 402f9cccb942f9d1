//! Step mode's threads panel: every thread that has not finished, what it will do when picked
//! or why it cannot move, the chosen one marked; finished ones on one line. It takes the top
//! of the log's place while a step-mode run waits for the learner.

use super::{fit, panel, timeline};
use crate::engine::event::BlockedOn;
use crate::engine::trace::{Trace, fmt_ns};
use crate::engine::{Candidate, Mode, Op, ResourceKind, ThreadState};
use crate::tui::app::{App, Current};
use crate::tui::theme;
use crate::tui::wrap;
use crate::words::study::StudyWords;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// A step-mode run is on screen and not over: the panel shows.
pub(crate) fn shown(app: &App) -> bool {
    app.run
        .as_ref()
        .is_some_and(|r| r.mode == Mode::Step && !r.over())
}

/// The lines the panel wants inside its frame.
fn wanted(app: &App) -> usize {
    let Some(r) = &app.run else {
        return 1;
    };
    let live = r
        .trace
        .threads
        .iter()
        .filter(|t| !timeline::state_now(r, t).is_finished())
        .count();
    let done = usize::from(live < r.trace.threads.len());
    live.max(1) + done
}

/// The log's place while stepping: its usual height, and the threads panel on top of it.
pub(crate) fn lower_height(app: &App, body_h: u16, normal: u16, compact: bool) -> u16 {
    let border = if compact { 1 } else { 2 };
    let hint = u16::from(!compact);
    let want = normal + wanted(app) as u16 + hint + border;
    want.min((body_h * 3 / 5).max(normal))
}

/// The threads panel's part of the log's place, and the log's.
pub(crate) fn split(app: &App, area: Rect, compact: bool) -> (Rect, Rect) {
    let border = if compact { 1 } else { 2 };
    let log_min = if compact { 3 } else { 4 };
    let hint = u16::from(!compact);
    let want = wanted(app) as u16 + hint + border;
    let h = want
        .min(area.height.saturating_sub(log_min))
        .max(border + 1);
    let h = h.min(area.height);
    (
        Rect::new(area.x, area.y, area.width, h),
        Rect::new(area.x, area.y + h, area.width, area.height - h),
    )
}

pub fn render(app: &App, frame: &mut Frame, area: Rect, compact: bool) {
    let sw = app.sw();
    let Some(r) = &app.run else {
        return;
    };
    // While threads move (a frame or so, or an undo's replay) the title says so.
    let status = if !r.status.awaiting_pick {
        Some(if r.status.replaying {
            sw.replaying()
        } else {
            sw.moving()
        })
    } else if r.status.candidates.is_empty() {
        Some(sw.nobody_can_move())
    } else {
        None
    };
    let mut title = vec![Span::raw(format!(" {} ", sw.threads()))];
    if let Some(s) = status {
        title.push(Span::styled(format!("· {s} "), theme::key()));
    }
    let block = panel(Line::from(title), compact);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let height = inner.height as usize;
    let (mut rows, chosen_row) = rows(app, r, width);
    let hint = Line::styled(fit(sw.threads_hint(), width), theme::dim());
    let mut lines: Vec<Line> = Vec::new();
    // The keys, when there is room (the footer lists them too).
    if rows.len() < height && !compact {
        lines.append(&mut rows);
        lines.push(hint);
    } else if rows.len() <= height {
        lines.append(&mut rows);
    } else {
        // Not every thread fits: keep the chosen one in sight, say how many are hidden.
        let room = height.saturating_sub(1).max(1);
        let first = chosen_row
            .unwrap_or(0)
            .saturating_sub(room / 2)
            .min(rows.len().saturating_sub(room));
        let hidden = rows.len() - room;
        lines.extend(rows.drain(first..first + room));
        lines.push(Line::styled(
            fit(&format!("… {}", sw.more_threads(hidden)), width),
            theme::dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// One row per thread not finished, then the finished ones; and the chosen one's row.
fn rows(app: &App, r: &Current, width: usize) -> (Vec<Line<'static>>, Option<usize>) {
    let sw = app.sw();
    let t = &r.trace;
    let mut out = Vec::new();
    let mut chosen_row = None;
    let name_w = t
        .threads
        .iter()
        .map(|k| wrap::width(&k.name))
        .max()
        .unwrap_or(4)
        .min(10);
    let state_w = t
        .threads
        .iter()
        .map(|k| timeline::state_now(r, k))
        .filter(|s| !s.is_finished())
        .map(|s| wrap::width(s.word(app.lang)))
        .max()
        .unwrap_or(5);
    let mut done: Vec<&str> = Vec::new();
    for track in &t.threads {
        let state = timeline::state_now(r, track);
        if state.is_finished() {
            done.push(&track.name);
            continue;
        }
        let chosen = app.chosen == Some(track.tid);
        if chosen {
            chosen_row = Some(out.len());
        }
        let cand = r.status.candidates.iter().find(|c| c.tid == track.tid);
        let name = wrap::truncate(&track.name, name_w);
        let mut name_style = theme::state(state);
        if chosen {
            name_style = name_style.patch(theme::selected());
        }
        let mut spans = vec![
            Span::styled(if chosen { "▶" } else { " " }, theme::key()),
            Span::styled(name.clone(), name_style),
            Span::raw(" ".repeat(name_w + 1 - wrap::width(&name))),
            Span::styled(
                format!("{:<state_w$} ", state.word(app.lang)),
                theme::state(state),
            ),
        ];
        let used: usize = spans.iter().map(|s| s.width()).sum();
        let room = width.saturating_sub(used);
        let (detail, style) = match (cand, state) {
            (Some(c), _) if r.status.awaiting_pick => {
                let mut d = format!("→ {}", op_words(sw, c, t));
                let site = c.next.and_then(|(_, s)| s).or(track.site);
                if let Some(site) = site {
                    let line = format!(" · {}", sw.at_line(site.line));
                    // The line number only when it fits whole.
                    if wrap::width(&d) + wrap::width(&line) <= room {
                        d.push_str(&line);
                    }
                }
                (
                    d,
                    if chosen {
                        theme::key()
                    } else {
                        ratatui::style::Style::new()
                    },
                )
            }
            (_, ThreadState::Blocked(on)) => (cannot_move(sw, t, on, app.lang), theme::dim()),
            _ => (String::new(), theme::dim()),
        };
        spans.push(Span::styled(fit(&detail, room), style));
        out.push(Line::from(spans));
    }
    if !done.is_empty() {
        let text = format!("✓ {}", sw.threads_done(&done.join(" ")));
        out.push(Line::styled(fit(&text, width), theme::dim()));
    }
    (out, chosen_row)
}

/// Why a blocked thread cannot move: "waits for lock (held by T1)", "waits on condition
/// `ready` (notified 0×)", "waits at barrier `b` 2/3".
fn cannot_move(sw: StudyWords, t: &Trace, on: BlockedOn, lang: crate::words::Lang) -> String {
    if let BlockedOn::Resource(r) = on
        && let Some(res) = t.resources.get(r.0 as usize)
    {
        match res.kind {
            ResourceKind::Condition { .. } => return sw.cannot_move_cond(&res.name, res.notifies),
            ResourceKind::Barrier { parties } => {
                return sw.cannot_move_barrier(&res.name, res.waiters.len(), parties);
            }
            _ => {}
        }
    }
    sw.cannot_move(&t.blocked_on(on, lang))
}

fn is_semaphore(t: &Trace, r: crate::engine::Rid) -> bool {
    t.resources
        .get(r.0 as usize)
        .is_some_and(|r| matches!(r.kind, ResourceKind::Semaphore { .. }))
}

/// What a candidate will do when picked, in a few words.
pub(crate) fn op_words(sw: StudyWords, c: &Candidate, t: &Trace) -> String {
    if matches!(c.state, ThreadState::Sleeping | ThreadState::Working) {
        return sw.op_wakes().into();
    }
    if let ThreadState::Blocked(on) = c.state {
        // A wait with a time limit: picking it lets the time run out.
        let timer = match on {
            BlockedOn::Resource(r) => t
                .resources
                .get(r.0 as usize)
                .is_some_and(|r| matches!(r.kind, ResourceKind::Timer { .. })),
            BlockedOn::Thread(_) => false,
        };
        return if timer {
            sw.op_fires()
        } else {
            sw.op_gives_up()
        }
        .into();
    }
    let res = |r| t.resource_name(r);
    let Some((op, _)) = c.next else {
        // Back from a sleep, or handed what it waited for: it carries on from there.
        return sw.op_goes_on().into();
    };
    match op {
        Op::Start => sw.op_start().into(),
        Op::Spawn => sw.op_spawn().into(),
        Op::Lock(r) if is_semaphore(t, r) => sw.op_acquire(res(r)),
        Op::Unlock(r) if is_semaphore(t, r) => sw.op_release(res(r)),
        Op::Lock(r) => sw.op_lock(res(r)),
        Op::Unlock(r) => sw.op_unlock(res(r)),
        Op::Get(r) => sw.op_get(res(r)),
        Op::Set(r) => sw.op_set(res(r)),
        Op::Sleep(ns) => sw.op_sleep(&fmt_ns(ns)),
        Op::Work(ns) => sw.op_work(&fmt_ns(ns)),
        Op::Join(tid) => sw.op_join(t.thread_name(tid)),
        Op::IsAlive(tid) => sw.op_is_alive(t.thread_name(tid)),
        Op::Say => sw.op_say().into(),
        Op::Put(r) => sw.op_put(res(r)),
        Op::Take(r) => sw.op_take(res(r)),
        Op::TaskDone(r) => sw.op_task_done(res(r)),
        Op::WaitAll(r) => sw.op_wait_all(res(r)),
        Op::SetFlag(r) => sw.op_set_flag(res(r)),
        Op::ClearFlag(r) => sw.op_clear_flag(res(r)),
        Op::WaitFlag(r) => sw.op_wait_flag(res(r)),
        Op::Peek(r) => sw.op_peek(res(r)),
        Op::WaitCond(r) => sw.op_wait_cond(res(r)),
        Op::Notify(r) => sw.op_notify(res(r)),
        Op::Barrier(r) => sw.op_barrier(res(r)),
        Op::Abort(r) => sw.op_abort(res(r)),
        Op::Reset(r) => sw.op_reset(res(r)),
        Op::Countdown(r) => sw.op_countdown(res(r)),
        Op::Cancel(r) => sw.op_cancel(res(r)),
        Op::Resume(tid) => sw.op_resume(t.thread_name(tid)),
        Op::Fetch(r) => sw.op_fetch(res(r)),
        Op::Connect(r) => sw.op_connect(res(r)),
    }
}

#[cfg(test)]
mod tests {
    use super::op_words;
    use crate::engine::trace::Trace;
    use crate::engine::{Config, Event, Mode, Mutex, Op, Outcome, Run, Semaphore};
    use crate::words::Lang;
    use crate::words::study::StudyWords;

    /// Step a run with the policy until main's next operation matches `want`, and say it.
    fn next_words(run: &Run, events: &mut Vec<Event>, want: fn(&Op) -> bool, lang: Lang) -> String {
        for _ in 0..50 {
            let c = run.candidates();
            if let Some(c) = c.iter().find(|c| c.next.is_some_and(|(op, _)| want(&op))) {
                events.extend(run.events().try_iter());
                let t = Trace::from_events(events.iter());
                return op_words(StudyWords(lang), c, &t);
            }
            assert!(run.step_and_wait(None), "the run moves");
        }
        panic!("no such operation came up");
    }

    fn step() -> Config {
        Config {
            mode: Mode::Step,
            scale: 1.0,
            seed: 1,
        }
    }

    #[test]
    fn a_semaphore_is_acquired_and_released_a_lock_locked_and_unlocked() {
        let run = Run::start(step(), || {
            let s = Semaphore::new("stalls", 2);
            drop(s.acquire());
            Outcome::new()
        });
        let mut events = Vec::new();
        let acquire = next_words(&run, &mut events, |op| matches!(op, Op::Lock(_)), Lang::En);
        assert_eq!(acquire, "acquires stalls");
        let release = next_words(
            &run,
            &mut events,
            |op| matches!(op, Op::Unlock(_)),
            Lang::Zh,
        );
        assert_eq!(release, "释放 stalls");
        run.cancel();

        let run = Run::start(step(), || {
            let m = Mutex::new("L", ());
            drop(m.lock());
            Outcome::new()
        });
        let lock = next_words(
            &run,
            &mut Vec::new(),
            |op| matches!(op, Op::Lock(_)),
            Lang::En,
        );
        assert_eq!(lock, "locks L");
        run.cancel();
    }
}
