//! What a learner does in a lesson beyond reading and running: the source panel, undo and
//! redo of scheduling decisions, running a thread until it blocks, saving a schedule,
//! challenges (taken on, checked live, celebrated), predictions asked before a run and
//! revealed after it, and the progress kept between sessions. Pure, like the rest of `App`:
//! keys in, effects out.

use super::action::Effect;
use super::app::{App, Current, Screen};
use super::keys::Action;
use super::layout;
use crate::challenges::{self, Facts};
use crate::engine::{Mode, Tid};
use crate::params::Params;
use crate::progress::{Answer, LoadNote, Met, Progress};
use crate::runner::VariantResult;
use crate::schedule::Schedule;
use crate::words::study::StudyWords;

/// What the lesson's left panel shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Left {
    #[default]
    Text,
    Source,
    Challenges,
    /// The lesson's parameters, each with its range: ←/→ change the one selected.
    Params,
}

/// A question on screen, waiting for 1-9; the run it precedes starts in `mode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Asking {
    pub step: usize,
    pub mode: Mode,
}

/// A prediction the run just revealed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Reveal {
    pub step: usize,
    pub choice: usize,
    pub correct: bool,
}

/// A challenge the run just met.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Celebration {
    pub challenge: usize,
    /// Scheduling choices it took (none for live runs).
    pub steps: Option<usize>,
    pub previous_best: Option<usize>,
    pub first: bool,
}

#[derive(Default)]
pub(crate) struct Study {
    pub left: Left,
    /// Where `x` goes back to.
    back_to: Left,
    /// The source panel's first line when scrolled by hand; `None` follows the threads.
    pub source_scroll: Option<usize>,
    /// The challenge selected in the list, and the one taken on.
    pub challenge_sel: usize,
    /// The parameter selected in the parameters panel.
    pub param_sel: usize,
    pub active: Option<usize>,
    /// A lesson's parameters before a challenge changed them: (entry, parameters).
    param_backup: Option<(usize, Params)>,
    /// Choices undone, the latest last: `U` makes them again.
    pub redo: Vec<Tid>,
    pub asking: Option<Asking>,
    /// The run (generation) that will reveal the prediction of a step.
    reveal_for: Option<(u64, usize)>,
    pub reveal: Option<Reveal>,
    pub celebrate: Vec<Celebration>,
    /// What the run on screen has shown, for the challenges: (generation, facts).
    facts: Option<(u64, Facts)>,
    /// Challenges the run on screen has met already (each is celebrated once a run).
    pub met_now: Vec<usize>,
    pub progress: Progress,
    /// Progress changed since it was last handed out to be saved.
    dirty: bool,
    /// All progress was forgotten since then: the save replaces the file, merging nothing.
    forgot: bool,
    /// X was pressed once on the menu.
    pub forget_armed: bool,
    /// N was pressed once on the menu.
    pub class_armed: bool,
    /// n was pressed once on a finished step-mode run: a second n starts a new one.
    pub restart_armed: bool,
    /// The source panel is on screen because a challenge put it there.
    source_by_challenge: bool,
}

impl Study {
    /// The progress changed: it is saved soon.
    pub(crate) fn mark_dirty(&mut self) {
        self.dirty = true;
    }

    /// The facts of run `generation`, to fold its events into.
    pub(crate) fn facts_for(&mut self, generation: u64) -> Option<&mut Facts> {
        self.facts
            .as_mut()
            .filter(|(g, _)| *g == generation)
            .map(|(_, f)| f)
    }
}

/// How far ←/→ move a parameter: 1 for whole numbers, else a round step near a twentieth of
/// its range (0.05 for 0–1 s).
pub(crate) fn param_step(spec: &crate::content::ParamSpec) -> f64 {
    if spec.integer {
        return 1.0;
    }
    let span = (spec.max - spec.min).abs();
    if span <= 0.0 || !span.is_finite() {
        return 1.0;
    }
    let rough = span / 20.0;
    let ten = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * ten)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * ten);
    // Small ranges on a log-like scale (0.001–10 s) want finer steps near the bottom.
    step.min(span)
}

/// The run's schedule so far: its choices, or the ones it is still replaying.
pub(crate) fn choices_of(r: &Current) -> Vec<Tid> {
    if r.status.choices.len() >= r.schedule.len() {
        r.status.choices.clone()
    } else {
        r.schedule.clone()
    }
}

impl App {
    pub(crate) fn sw(&self) -> StudyWords {
        StudyWords(self.lang)
    }

    /// The progress kept between sessions, and what reading it found (a file set aside).
    pub fn set_progress(&mut self, progress: Progress, note: Option<LoadNote>) {
        self.study.progress = progress;
        if let Some(n) = note {
            let sw = self.sw();
            self.note = Some(match n {
                LoadNote::SetAside { to } => sw.progress_set_aside(&to.display().to_string()),
                LoadNote::LeftAlone { why } => sw.progress_left_alone(&why),
            });
        }
        self.mark_seen();
    }

    /// A save of the progress failed: say why (the session says it once).
    pub fn on_progress_not_saved(&mut self, why: &str) {
        self.note = Some(self.sw().progress_not_saved(why));
    }

    pub fn progress(&self) -> &Progress {
        &self.study.progress
    }

    /// The progress to write, when it changed since the last call, and whether it may be
    /// merged with the file's (false after forgetting all progress: it replaces the file).
    pub fn take_progress_to_save(&mut self) -> Option<(Progress, bool)> {
        let forgot = std::mem::take(&mut self.study.forgot);
        std::mem::take(&mut self.study.dirty).then(|| (self.study.progress.clone(), !forgot))
    }

    /// The session wrote a schedule (`Ok(file)`), or could not.
    pub fn on_schedule_saved(&mut self, result: Result<String, String>) {
        let sw = self.sw();
        self.note = Some(match result {
            Ok(file) => sw.saved(&file),
            Err(e) => sw.not_saved(&e),
        });
    }

    /// A line the footer shows; replaces any other.
    pub fn set_note(&mut self, note: String) {
        self.note = Some(note);
    }

    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// What the left panel shows.
    pub fn left_panel(&self) -> Left {
        self.study.left
    }

    /// A question waits for an answer.
    pub fn asking(&self) -> bool {
        self.study.asking.is_some()
    }

    pub(crate) fn study_before_key(&mut self) {
        self.study.celebrate.clear();
        self.study.reveal = None;
    }

    pub(crate) fn study_after_key(&mut self) {
        self.mark_seen();
    }

    /// The lesson on screen was visited and its step seen.
    fn mark_seen(&mut self) {
        if self.screen != Screen::Lesson || self.entries.is_empty() {
            return;
        }
        let (id, step) = (self.entry().text.id.clone(), self.entry().step);
        let l = self.study.progress.lesson_mut(&id);
        if !l.visited || !l.steps_seen.contains(&step) {
            l.visited = true;
            l.steps_seen.insert(step);
            self.study.dirty = true;
        }
    }

    /// A lesson was opened: its step text on the left, nothing pending.
    pub(crate) fn study_opened(&mut self) {
        let s = &mut self.study;
        s.left = Left::Text;
        s.back_to = Left::Text;
        s.source_scroll = None;
        s.asking = None;
        s.redo.clear();
        s.active = None;
        s.challenge_sel = 0;
        s.facts = None;
    }

    /// The learner leaves the lesson: parameters a challenge set go back.
    pub(crate) fn study_leaving(&mut self) {
        if let Some((i, params)) = self.study.param_backup.take()
            && let Some(e) = self.entries.get_mut(i)
        {
            e.params = params;
        }
        self.study.active = None;
        self.study.left = Left::Text;
    }

    /// N on the menu: the first press asks, the second (`armed`) clears every prediction so
    /// that a new class is asked them again; lessons seen and challenges met stay.
    pub(crate) fn new_class(&mut self, armed: bool) {
        if armed {
            self.study.progress.forget_answers();
            self.study.dirty = true;
            // The save replaces the file: merged, the old answers would come back.
            self.study.forgot = true;
            self.note = Some(self.sw().new_class_done().into());
        } else {
            self.study.class_armed = true;
            self.note = Some(self.sw().new_class_confirm().into());
        }
    }

    /// X on the menu: the first press asks, the second (`armed`) forgets all progress.
    pub(crate) fn forget_progress(&mut self, armed: bool) {
        if armed {
            self.study.progress = Progress::default();
            self.study.dirty = true;
            self.study.forgot = true;
            self.note = Some(self.sw().forgotten().into());
        } else {
            self.study.forget_armed = true;
            self.note = Some(self.sw().forget_confirm().into());
        }
    }

    /// The left panel's own keys: ↑/↓ scroll the source; in the challenge list they choose,
    /// Enter takes one on and Esc goes back. `None` leaves the key to the lesson.
    pub(crate) fn left_panel_key(&mut self, action: Action) -> Option<Vec<Effect>> {
        match (self.study.left, action) {
            (Left::Source, Action::Up | Action::Down) => {
                let (follow, max) = layout::source_tops(self);
                let top = self.study.source_scroll.unwrap_or(follow);
                let top = if action == Action::Up {
                    top.saturating_sub(1)
                } else {
                    top + 1
                };
                self.study.source_scroll = Some(top.min(max));
            }
            (Left::Challenges, Action::Up | Action::Down) => {
                let n = self.entry().text.challenges.len().max(1);
                let sel = &mut self.study.challenge_sel;
                *sel = if action == Action::Up {
                    sel.saturating_sub(1)
                } else {
                    (*sel + 1).min(n - 1)
                };
            }
            (Left::Challenges, Action::Open | Action::Run) => {
                return Some(self.take_on_challenge());
            }
            (Left::Challenges, Action::Back) => self.study.left = self.study.back_to,
            (Left::Params, Action::Up | Action::Down) => {
                let n = self.entry().params.len().max(1);
                let sel = &mut self.study.param_sel;
                *sel = if action == Action::Up {
                    sel.saturating_sub(1)
                } else {
                    (*sel + 1).min(n - 1)
                };
            }
            (Left::Params, Action::PrevStep | Action::NextStep) => {
                self.nudge_param(action == Action::NextStep);
            }
            (Left::Params, Action::Back) => self.study.left = Left::Text,
            _ => return None,
        }
        Some(Vec::new())
    }

    /// Another step: a source panel a challenge opened gives the step's text its place back.
    pub(crate) fn study_step_moved(&mut self) {
        if std::mem::take(&mut self.study.source_by_challenge) && self.study.left == Left::Source {
            self.study.left = Left::Text;
        }
    }

    /// o: the step text or the demo's source.
    pub(crate) fn toggle_source(&mut self) {
        self.study.source_by_challenge = false;
        self.study.left = if self.study.left == Left::Source {
            Left::Text
        } else {
            Left::Source
        };
        self.study.source_scroll = None;
    }

    /// p: the lesson's parameters (again: back to the step text).
    pub(crate) fn toggle_params(&mut self) {
        if self.study.left == Left::Params {
            self.study.left = Left::Text;
            return;
        }
        if self.entry().params.is_empty() {
            self.note = Some(self.sw().no_params().into());
            return;
        }
        self.study.param_sel = self.study.param_sel.min(self.entry().params.len() - 1);
        self.study.left = Left::Params;
    }

    /// ←/→ in the parameters panel: the selected one a step down or up, within its range.
    fn nudge_param(&mut self, up: bool) {
        let sel = self.study.param_sel;
        let e = self.entry();
        let Some(spec) = e.text.params.get(sel).cloned() else {
            return;
        };
        let now = e.params.get(&spec.key);
        let step = param_step(&spec);
        // One step along the step's grid (a value between two points goes to the next one).
        let k = now / step;
        let on_grid = (k - k.round()).abs() < 1e-6;
        let k = match (on_grid, up) {
            (true, true) => k.round() + 1.0,
            (true, false) => k.round() - 1.0,
            (false, true) => k.ceil(),
            (false, false) => k.floor(),
        };
        let next = k * step;
        let next = (next * 1e9).round() / 1e9;
        let next = next.clamp(spec.min, spec.max);
        let next = if spec.integer { next.round() } else { next };
        if next == now {
            self.note = Some(self.sw().param_at_limit(&spec.key).to_string());
            return;
        }
        if let Err(why) = self.entry_mut().params.set(&spec.key, next) {
            self.note = Some(why);
            return;
        }
        if let Err(why) = self.entry().params.check_pairs() {
            let _ = self.entry_mut().params.set(&spec.key, now);
            self.note = Some(why);
            return;
        }
        self.param_changed();
    }

    /// P: every parameter back to the lesson's default (a challenge's too).
    pub(crate) fn reset_params(&mut self) {
        let e = self.entry();
        let defaults = Params::defaults(&e.text.id, &e.text.params);
        self.entry_mut().params = defaults;
        self.study.param_backup = None;
        self.study.active = None;
        self.note = Some(self.sw().params_reset().into());
    }

    /// A parameter changed by hand: it holds from the next run, and a challenge's parameters
    /// are no longer put back when leaving (the learner chose these).
    fn param_changed(&mut self) {
        self.study.param_backup = None;
        if self.run.as_ref().is_some_and(|r| !r.over()) {
            self.note = Some(self.words().applies_next_run().into());
        }
    }

    pub(crate) fn toggle_challenges(&mut self) {
        if self.study.left == Left::Challenges {
            self.study.left = self.study.back_to;
            return;
        }
        let e = self.entry();
        if e.text.challenges.is_empty() {
            self.note = Some(self.sw().no_challenges().into());
            return;
        }
        // Start on the challenge taken on, else the first one not met yet.
        let met = |id: &str| {
            self.study
                .progress
                .lesson(&e.text.id)
                .is_some_and(|l| l.challenges.contains_key(id))
        };
        let sel = self
            .study
            .active
            .or_else(|| e.text.challenges.iter().position(|c| !met(&c.id)))
            .unwrap_or(0);
        self.study.challenge_sel = sel;
        self.study.back_to = self.study.left;
        self.study.left = Left::Challenges;
    }

    /// Enter on a step with a question not answered yet: ask it first.
    pub(crate) fn ask_first(&mut self, mode: Mode) -> Option<Vec<Effect>> {
        let e = self.entry();
        let step = e.step;
        e.text.steps.get(step)?.question.as_ref()?;
        let answered = self
            .study
            .progress
            .lesson(&e.text.id)
            .is_some_and(|l| l.answers.contains_key(&step));
        if answered {
            return None;
        }
        self.study.asking = Some(Asking { step, mode });
        Some(Vec::new())
    }

    /// A key while a question waits: 1-9 answers it (and starts the run), Esc puts it off.
    pub(crate) fn answer(&mut self, action: Action) -> Vec<Effect> {
        let Some(asking) = self.study.asking else {
            return Vec::new();
        };
        match action {
            Action::Answer(k) => {
                let e = self.entry();
                let Some(q) = e
                    .text
                    .steps
                    .get(asking.step)
                    .and_then(|s| s.question.as_ref())
                else {
                    self.study.asking = None;
                    return Vec::new();
                };
                let k = k as usize;
                if k == 0 || k > q.choices.len() {
                    return Vec::new();
                }
                let answer = Answer {
                    choice: k,
                    correct: k == q.answer,
                    revealed: false,
                };
                let id = e.text.id.clone();
                self.study
                    .progress
                    .lesson_mut(&id)
                    .answers
                    .insert(asking.step, answer);
                self.study.dirty = true;
                self.study.asking = None;
                self.mode = asking.mode;
                self.start()
            }
            Action::Back => {
                self.study.asking = None;
                self.note = Some(self.sw().not_now().into());
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Set up the selected challenge's variant, mode and parameters, and run it.
    fn take_on_challenge(&mut self) -> Vec<Effect> {
        let i = self.study.challenge_sel;
        let Some(c) = self.entry().text.challenges.get(i).cloned() else {
            return Vec::new();
        };
        let here = self.selected;
        match &self.study.param_backup {
            Some((j, before)) if *j == here => {
                // Another challenge of this lesson: start from the lesson's own parameters.
                let before = before.clone();
                self.entry_mut().params = before;
            }
            _ => self.study.param_backup = Some((here, self.entry().params.clone())),
        }
        let e = self.entry_mut();
        if let Some(pos) = c
            .variant
            .as_ref()
            .and_then(|v| e.text.variants.iter().position(|x| x.id == *v))
        {
            e.variant = pos;
        }
        for (k, v) in &c.params {
            // Checked against the declared ranges when the lesson was read.
            let _ = e.params.set(k, *v);
        }
        if let Some(m) = c.mode {
            self.mode = m;
        }
        self.study.active = Some(i);
        self.study.redo.clear();
        self.study.left = if self.mode == Mode::Step {
            Left::Source
        } else {
            Left::Text
        };
        self.study.source_by_challenge = self.study.left == Left::Source;
        self.study.source_scroll = None;
        self.start()
    }

    /// Step back one scheduling decision: the same run, replaying all choices but the last.
    pub(crate) fn undo(&mut self) -> Vec<Effect> {
        let sw = self.sw();
        let Some(r) = &self.run else {
            self.note = Some(sw.nothing_to_undo().into());
            return Vec::new();
        };
        if r.mode != Mode::Step {
            self.note = Some(sw.undo_step_only().into());
            return Vec::new();
        }
        let Some(seed) = r.seed else {
            self.note = Some(sw.wait_for_start().into());
            return Vec::new();
        };
        let mut choices = choices_of(r);
        let Some(last) = choices.pop() else {
            self.note = Some(sw.nothing_to_undo().into());
            return Vec::new();
        };
        let name = r.trace.thread_name(last).to_string();
        let (variant, params, scale) = (r.variant.clone(), r.params.clone(), r.scale);
        let effects = self.start_with(variant, params, Mode::Step, scale, Some(seed), choices);
        self.study.redo.push(last);
        self.chosen = Some(last);
        self.study.source_scroll = None;
        self.note = Some(sw.undone(&name));
        effects
    }

    /// Make the latest undone decision again.
    pub(crate) fn redo(&mut self) -> Vec<Effect> {
        let stepping = self
            .run
            .as_ref()
            .is_some_and(|r| r.mode == Mode::Step && !r.over());
        match self.study.redo.pop() {
            Some(t) if stepping => {
                self.chosen = Some(t);
                self.study.source_scroll = None;
                vec![Effect::Step(Some(t))]
            }
            _ => {
                self.study.redo.clear();
                self.note = Some(self.sw().nothing_to_redo().into());
                Vec::new()
            }
        }
    }

    /// Keep moving the chosen thread (or the first that can move) until it blocks.
    pub(crate) fn run_chosen(&mut self) -> Vec<Effect> {
        match &self.run {
            Some(r) if r.mode == Mode::Step && !r.over() => {
                let c = &r.status.candidates;
                let pick = self
                    .chosen
                    .filter(|t| c.iter().any(|c| c.tid == *t))
                    .or_else(|| c.first().map(|c| c.tid));
                let Some(pick) = pick else {
                    return Vec::new();
                };
                self.chosen = Some(pick);
                self.study.redo.clear();
                self.study.source_scroll = None;
                vec![Effect::Hold(pick)]
            }
            _ => {
                self.note = Some(self.sw().hold_step_only().into());
                Vec::new()
            }
        }
    }

    pub(crate) fn save_schedule(&mut self) -> Vec<Effect> {
        let sw = self.sw();
        let Some(r) = &self.run else {
            self.note = Some(sw.no_run_to_save().into());
            return Vec::new();
        };
        if r.mode == Mode::Live {
            self.note = Some(sw.no_schedule_live().into());
            return Vec::new();
        }
        let Some(seed) = r.seed else {
            self.note = Some(sw.wait_for_start().into());
            return Vec::new();
        };
        let s = Schedule::of_run(
            &self.entry().text.id,
            &r.variant,
            seed,
            r.scale,
            &r.params,
            &choices_of(r),
            &r.trace,
        );
        vec![Effect::SaveSchedule(s)]
    }

    /// A run was asked for: fresh facts for the challenges, and the prediction it reveals.
    pub(crate) fn study_started(&mut self) {
        let Some(r) = &self.run else {
            return;
        };
        let facts = Facts::new(&r.variant, r.mode, r.scale, r.params.clone());
        self.study.facts = Some((r.generation, facts));
        self.study.met_now.clear();
        let e = self.entry();
        let step = e.step;
        let has_question = e.text.steps.get(step).is_some_and(|s| s.question.is_some());
        let pending = has_question
            && self
                .study
                .progress
                .lesson(&e.text.id)
                .and_then(|l| l.answers.get(&step))
                .is_some_and(|a| !a.revealed);
        self.study.reveal_for = pending.then_some((r.generation, step));
    }

    /// Check the challenges against run `generation`, when it is settled: waiting for the
    /// learner, over, or live (whose conditions need no count of choices).
    pub(crate) fn study_check(&mut self, generation: u64) {
        let Some(r) = self.run.as_ref().filter(|r| r.generation == generation) else {
            return;
        };
        let Some((g, facts)) = self.study.facts.as_mut() else {
            return;
        };
        if *g != generation || self.entries.is_empty() {
            return;
        }
        facts.steps = choices_of(r).len();
        let settled =
            r.over() || r.mode == Mode::Live || (r.status.awaiting_pick && !r.status.replaying);
        if !settled {
            return;
        }
        let steps = (r.mode != Mode::Live).then_some(facts.steps);
        // An undo's replay meets again what the run met before: no second celebration.
        let replayed = facts.steps <= r.schedule.len() && !r.schedule.is_empty();
        let e = &self.entries[self.selected];
        let newly: Vec<usize> = e
            .text
            .challenges
            .iter()
            .enumerate()
            .filter(|(i, c)| !self.study.met_now.contains(i) && challenges::met(c, facts, &r.trace))
            .map(|(i, _)| i)
            .collect();
        for i in newly {
            self.challenge_met(i, steps, replayed);
        }
    }

    fn challenge_met(&mut self, i: usize, steps: Option<usize>, quiet: bool) {
        let e = &self.entries[self.selected];
        let (lesson, id) = (e.text.id.clone(), e.text.challenges[i].id.clone());
        let l = self.study.progress.lesson_mut(&lesson);
        let before = l.challenges.get(&id).cloned();
        let previous_best = before.as_ref().and_then(|m| m.best_steps);
        let best_steps = match (previous_best, steps) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        l.challenges.insert(id, Met { best_steps });
        self.study.dirty = true;
        self.study.met_now.push(i);
        let better = matches!((previous_best, steps), (Some(b), Some(n)) if n < b);
        // Met before: a line in the footer, no box (unless it took fewer steps than ever).
        if before.is_some() && (quiet || !better) {
            if !quiet {
                self.note = Some(format!("★ {}", self.sw().met_again()));
            }
            return;
        }
        self.study.celebrate.push(Celebration {
            challenge: i,
            steps,
            previous_best,
            first: before.is_none(),
        });
        self.note = Some(format!("★ {}", self.sw().challenge_met()));
    }

    /// Run `generation` ended with `result` (none when cancelled): the outcome is known now,
    /// and a prediction waiting for this run is revealed.
    pub(crate) fn study_judged(&mut self, generation: u64, result: Option<&VariantResult>) {
        if let (Some(f), Some(res)) = (self.study.facts_for(generation), result) {
            f.outcome = Some(res.outcome.clone());
        }
        self.study_check(generation);
        let Some((g, step)) = self.study.reveal_for else {
            return;
        };
        if g != generation {
            return;
        }
        self.study.reveal_for = None;
        if result.is_none() || self.entries.is_empty() {
            return;
        }
        let id = self.entry().text.id.clone();
        let Some(a) = self.study.progress.lesson_mut(&id).answers.get_mut(&step) else {
            return;
        };
        a.revealed = true;
        self.study.reveal = Some(Reveal {
            step,
            choice: a.choice,
            correct: a.correct,
        });
        self.study.dirty = true;
    }
}
