//! The screen's state and what each key does to it. Pure: no terminal, no threads, no clock.
//! Keys come in, effects (start a run, step it, cancel it) go out as data; the run's events,
//! status and verdict come back in through `on_*`.

use super::Options;
use super::action::{Effect, RunRequest};
use super::keys::{self, Action, Focus, TimingKey, TypingKey};
use super::layout;
use super::study::Study;
use super::timing::{Over, Pane, Ran, Reply, Source, SweepSetup, Timing};
use super::view;
use crate::content::{self, Lang};
use crate::engine::trace::Trace;
use crate::engine::{Candidate, Event, Mode, ThreadState, Tid};
use crate::lessons::{self, AnyLesson};
use crate::params::Params;
use crate::runner::VariantResult;
use crate::words::screen::Words;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;

/// The slowest and fastest time scales `+`/`-` reach.
pub const SCALE_MIN: f64 = 0.0001;
pub const SCALE_MAX: f64 = 10.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Menu,
    Lesson,
}

/// What the run looks like from outside right now (the session asks the run).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunStatus {
    /// The run's clock.
    pub now_ns: u64,
    /// Step mode: the run waits for the user's pick.
    pub awaiting_pick: bool,
    /// Step mode: who can move, and what each will do.
    pub candidates: Vec<Candidate>,
    pub paused: bool,
    /// Every demo thread has left.
    pub over: bool,
    /// Every scheduling choice so far (step and virtual modes): with the seed, the schedule.
    pub choices: Vec<Tid>,
    /// The run is still making the choices it was started with (an undo's replay).
    pub replaying: bool,
}

/// One lesson: its texts, its demo code and what the learner did in it so far.
pub(crate) struct Entry {
    pub text: content::Lesson,
    pub code: &'static dyn AnyLesson,
    pub params: Params,
    pub step: usize,
    pub variant: usize,
    /// The latest result of each variant in each mode, in variant order.
    pub results: Vec<VariantResult>,
}

/// The run on screen.
pub(crate) struct Current {
    pub generation: u64,
    pub variant: String,
    pub mode: Mode,
    pub scale: f64,
    /// Known once the session has started it.
    pub seed: Option<u64>,
    pub trace: Trace,
    /// Every event so far, as sent: for a trace file (`T`).
    pub events: Vec<Event>,
    pub status: RunStatus,
    /// The parameters it runs with.
    pub params: Params,
    /// The choices it was started with (an undo replays all but the last of a run).
    pub schedule: Vec<Tid>,
    /// Its verdict has arrived (or it was judged not worth one).
    pub judged: bool,
    /// How long the lesson's formula says it takes, on the run's clock: the timeline's
    /// initial width, so live lanes grow from left to right.
    pub expected_ns: Option<u64>,
    /// It was paused at some time: its clock kept going, so its time says nothing.
    pub was_paused: bool,
    /// The challenge (index) it was started for, judged against that challenge.
    pub challenge: Option<usize>,
}

impl Current {
    /// Every demo thread has left or the run reported its end.
    pub fn over(&self) -> bool {
        self.status.over || self.trace.finished || self.trace.deadlock.is_some()
    }

    /// The run's clock: frozen at the last event once it is over.
    pub fn now_ns(&self) -> u64 {
        if self.over() {
            self.trace.now_ns
        } else {
            self.status.now_ns.max(self.trace.now_ns)
        }
    }

    /// A thread of the run raised.
    pub fn raised(&self) -> bool {
        self.trace
            .threads
            .iter()
            .any(|t| t.state == ThreadState::Raised)
    }
}

pub struct App {
    pub(crate) entries: Vec<Entry>,
    pub lang: Lang,
    pub screen: Screen,
    /// The lesson selected in the menu, and the one open.
    pub(crate) selected: usize,
    /// Mode and scale for the next run.
    pub(crate) mode: Mode,
    pub(crate) scale: f64,
    scale_override: Option<f64>,
    pub(crate) seed: Option<u64>,
    pub(crate) run: Option<Current>,
    generation: u64,
    /// Step mode: the thread `s` moves.
    pub(crate) chosen: Option<Tid>,
    pub(crate) text_scroll: usize,
    pub(crate) lane_scroll: usize,
    pub help: bool,
    /// d put the result box away (until the next run).
    pub(crate) results_hidden: bool,
    /// How the screen is painted (T changes it; kept with the progress).
    pub look: super::theme::Look,
    /// Presenter mode (z): the step text, the panel and the timeline, no chrome.
    pub present: bool,
    pub quit: bool,
    /// A one-line message for the footer, until the next key.
    pub(crate) note: Option<String>,
    pub(crate) size: (u16, u16),
    /// The timing views (comparison, sweep) and this session's runs: see `timing`.
    pub(crate) timing: Timing,
    /// The source and threads panels, undo, challenges, predictions and progress.
    pub(crate) study: Study,
    /// The outcome explorer (`e`) and trace files (`T`).
    pub(crate) exploring: super::explorer::Exploring,
}

impl App {
    pub fn new(opts: Options) -> App {
        // Every text comes from a registered lesson (overrides replace them, never add).
        let entries: Vec<Entry> = opts
            .lessons
            .into_iter()
            .filter_map(|text| Some((lessons::find(&text.id)?, text)))
            .map(|(code, text)| Entry {
                code,
                params: if opts.open.as_deref() == Some(text.id.as_str()) {
                    Params::resolve(&text.id, &text.params, &opts.params)
                        .unwrap_or_else(|_| Params::defaults(&text.id, &text.params))
                } else {
                    Params::defaults(&text.id, &text.params)
                },
                step: 0,
                variant: 0,
                results: Vec::new(),
                text,
            })
            .collect();
        let mut app = App {
            entries,
            lang: opts.lang,
            screen: Screen::Menu,
            selected: 0,
            mode: Mode::Live,
            scale: 1.0,
            scale_override: opts.scale.map(clamp_scale),
            seed: opts.seed,
            run: None,
            generation: 0,
            chosen: None,
            text_scroll: 0,
            lane_scroll: 0,
            help: false,
            results_hidden: false,
            look: super::theme::Look::default(),
            present: false,
            quit: false,
            note: None,
            size: (120, 40),
            timing: Timing::new(),
            study: Study::default(),
            exploring: Default::default(),
        };
        if let Some(id) = opts.open {
            match app.entries.iter().position(|e| e.text.id == id) {
                Some(i) => {
                    app.selected = i;
                    app.open_lesson();
                }
                None => app.note = Some(Words(app.lang).no_lesson(&id)),
            }
        }
        app
    }

    /// The screen's look and presenter mode at the start: `--theme` if given, else no colour
    /// under `NO_COLOR`, else the look kept with the progress; `--present`.
    pub fn start_look(&mut self, given: Option<super::theme::Look>, present: bool) {
        use super::theme::Look;
        let kept = self.study.progress.look.as_deref().and_then(Look::parse);
        self.look = given.or_else(Look::from_env).or(kept).unwrap_or_default();
        self.present = present;
    }

    /// Draw the screen. Reads `self` only.
    pub fn render(&self, frame: &mut Frame) {
        view::render(self, frame);
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
        self.clamp_scrolls();
    }

    /// Where the lesson's own panel (or the resources panel) is, at the screen's size.
    pub fn panel_area(&self) -> ratatui::layout::Rect {
        layout::lesson_now(self).resources
    }

    /// Rows of the step's text that do not fit its panel (0 when it all fits).
    pub fn text_overflow(&self) -> usize {
        layout::text_overflow(self)
    }

    /// The timing view open over the lesson, if any.
    pub fn pane(&self) -> Option<Pane> {
        self.timing.open.filter(|_| self.screen == Screen::Lesson)
    }

    /// The machine timings are judged against (its cores): the one we run on, unless a test
    /// says otherwise.
    pub fn set_machine(&mut self, machine: crate::record::Machine) {
        self.timing.machine = machine;
    }

    /// This session's runs, oldest first.
    pub fn history(&self) -> &[Ran] {
        &self.timing.history
    }

    /// A run ended: into the history it goes.
    pub fn on_ran(&mut self, ran: Ran) {
        self.timing.on_ran(ran);
    }

    /// News of the recording or sweep going.
    pub fn on_job(&mut self, news: super::timing::JobNews) {
        self.timing.on_job(news);
    }

    /// The session wrote a file (its name), or could not (why).
    pub fn on_saved(&mut self, result: Result<String, String>) {
        self.timing.on_saved(result, self.lang);
    }

    /// The comparison of the open lesson's variants.
    pub(crate) fn comparison(&self) -> Option<(crate::record::Recording, Source)> {
        super::timing::comparison(&self.timing, &self.entry().text)
    }

    /// The open lesson's sweep set-up, once its view was opened.
    pub(crate) fn sweep_setup(&self) -> Option<&SweepSetup> {
        self.timing.sweep_of(&self.entry().text.id)
    }

    pub(crate) fn words(&self) -> Words {
        Words(self.lang)
    }

    pub(crate) fn entry(&self) -> &Entry {
        &self.entries[self.selected]
    }

    pub(crate) fn entry_mut(&mut self) -> &mut Entry {
        &mut self.entries[self.selected]
    }

    /// The variant Enter runs.
    pub(crate) fn variant_id(&self) -> &str {
        let e = self.entry();
        e.text.variants.get(e.variant).map_or("", |v| v.id.as_str())
    }

    /// The step on screen (0-based) and how many there are.
    pub fn step(&self) -> (usize, usize) {
        let e = self.entry();
        (e.step, e.text.steps.len())
    }

    /// The open lesson's parameters for the next run, in its declared order.
    pub fn entry_params(&self) -> Vec<(String, f64)> {
        self.entry()
            .params
            .iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect()
    }

    /// The run on screen: its events folded so far.
    pub fn trace(&self) -> Option<&Trace> {
        self.run.as_ref().map(|r| &r.trace)
    }

    /// Step mode: the thread `s` would move.
    pub fn chosen_thread(&self) -> Option<Tid> {
        self.chosen
    }

    /// Who has the keys now: the help over anything, then the sweep's values being typed, a
    /// question waiting for its answer, a timing view, and under them the menu or the lesson.
    pub fn focus(&self) -> Focus {
        if self.help {
            return Focus::Help;
        }
        if self.screen == Screen::Lesson && self.exploring.view.is_some() {
            return Focus::Explorer;
        }
        if let Some(pane) = self.pane() {
            if self.timing.typing(&self.entry().text.id) {
                return Focus::Typing;
            }
            return Focus::Timing(pane);
        }
        if self.study.asking.is_some() {
            return Focus::Question;
        }
        match self.screen {
            Screen::Menu => Focus::Menu,
            Screen::Lesson => Focus::Lesson,
        }
    }

    /// A key from the terminal, decoded by whoever has the keys (see `keys`).
    pub fn key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let focus = self.focus();
        if focus == Focus::Typing {
            if keys::is_interrupt(key) {
                return self.act(Action::Quit);
            }
            return match keys::typing(key) {
                Some(k) => self.timing_typing(k),
                None => Vec::new(),
            };
        }
        if let Some(a) = keys::global(key) {
            return self.act(a);
        }
        let action = match focus {
            Focus::Timing(pane) => {
                return match keys::timing(pane, key) {
                    Some(k) => self.timing_key(k),
                    None => Vec::new(),
                };
            }
            Focus::Typing => None,
            Focus::Help => keys::help(key),
            Focus::Question => keys::question(key),
            Focus::Explorer => keys::explorer(key),
            Focus::Menu => keys::menu(key),
            Focus::Lesson => keys::lesson(key),
        };
        match action {
            Some(a) => self.act(a),
            None => Vec::new(),
        }
    }

    /// An action, handled by whoever has the keys: the same as the key that means it.
    pub fn act(&mut self, action: Action) -> Vec<Effect> {
        let focus = self.focus();
        let effects = match (action, focus) {
            (Action::Quit, _) => {
                self.quit = true;
                vec![Effect::Cancel, Effect::Quit]
            }
            (Action::ToggleLang, _) => {
                self.lang = self.lang.next();
                self.clamp_scrolls();
                Vec::new()
            }
            (Action::Help, _) => {
                self.help = !self.help;
                Vec::new()
            }
            (Action::CycleLook, _) => {
                self.look = self.look.next();
                self.study.progress.look = Some(self.look.name().to_string());
                self.study.mark_dirty();
                self.note = Some(self.sw().look_now(self.look.name()));
                Vec::new()
            }
            (Action::Present, _) => {
                self.present = !self.present;
                self.clamp_scrolls();
                Vec::new()
            }
            (Action::Back, Focus::Help) => {
                self.help = false;
                Vec::new()
            }
            (_, Focus::Help) => Vec::new(),
            (_, Focus::Typing) => match action {
                Action::Back => self.timing_typing(TypingKey::Cancel),
                Action::Open | Action::Run => self.timing_typing(TypingKey::Done),
                _ => Vec::new(),
            },
            (_, Focus::Timing(_)) => match TimingKey::from_action(action) {
                Some(k) => self.timing_key(k),
                None => Vec::new(),
            },
            (_, Focus::Explorer) => {
                self.note = None;
                self.explorer_act(action)
            }
            (_, Focus::Question) => {
                self.note = None;
                self.answer(action)
            }
            (_, Focus::Menu) => {
                self.note = None;
                self.act_menu(action)
            }
            (_, Focus::Lesson) => {
                self.note = None;
                if action != Action::StepNext {
                    self.study.restart_armed = false;
                }
                self.study_before_key();
                self.act_lesson(action)
            }
        };
        self.study_after_key();
        effects
    }

    /// A key for the open timing view; `+`/`-` change the lesson's scale, the rest is the
    /// view's own business.
    fn timing_key(&mut self, key: TimingKey) -> Vec<Effect> {
        self.note = None;
        match key {
            TimingKey::Faster | TimingKey::Slower => {
                let s = match key {
                    TimingKey::Faster => self.scale / 2.0,
                    _ => self.scale * 2.0,
                };
                self.scale = clamp_scale(s);
                return Vec::new();
            }
            _ => {}
        }
        let history_rows = layout::history_rows(self);
        let e = &self.entries[self.selected];
        let over = Over::of(
            &e.text,
            &e.params,
            self.scale,
            self.seed,
            self.lang,
            history_rows,
        );
        let reply = self.timing.key(key, &over);
        self.take_reply(reply)
    }

    fn timing_typing(&mut self, key: TypingKey) -> Vec<Effect> {
        let e = &self.entries[self.selected];
        let over = Over::of(&e.text, &e.params, self.scale, self.seed, self.lang, 0);
        let reply = self.timing.typing_key(key, &over);
        self.take_reply(reply)
    }

    fn take_reply(&mut self, reply: Reply) -> Vec<Effect> {
        if reply.note.is_some() {
            self.note = reply.note;
        }
        // A job takes the cores: the run on screen stops (its effects cancel it).
        if reply.effects.iter().any(|e| matches!(e, Effect::Job(_))) {
            self.run = None;
        }
        reply.effects
    }

    fn act_menu(&mut self, action: Action) -> Vec<Effect> {
        let n = self.entries.len();
        let armed = std::mem::take(&mut self.study.forget_armed);
        let class_armed = std::mem::take(&mut self.study.class_armed);
        match action {
            Action::ForgetProgress => self.forget_progress(armed),
            Action::NewClass => self.new_class(class_armed),
            Action::Up if self.selected > 0 => self.selected -= 1,
            Action::Down if self.selected + 1 < n => self.selected += 1,
            Action::Open | Action::Run if n > 0 => {
                self.open_lesson();
                return vec![self.step_mark()];
            }
            _ => {}
        }
        Vec::new()
    }

    /// "lock-vs-join step 3": where the learner is, for the classroom recording.
    pub(crate) fn step_mark(&self) -> Effect {
        let e = self.entry();
        Effect::Mark(format!("{} step {}", e.text.id, e.step + 1))
    }

    fn open_lesson(&mut self) {
        self.screen = Screen::Lesson;
        self.scale = self.scale_override.unwrap_or(self.entry().text.scale);
        self.run = None;
        self.chosen = None;
        self.text_scroll = 0;
        self.lane_scroll = 0;
        self.pick_step_variant();
        self.study_opened();
    }

    /// Arriving at a step that names a variant selects it.
    fn pick_step_variant(&mut self) {
        let e = self.entry_mut();
        let named = e.text.steps.get(e.step).and_then(|s| s.variant.clone());
        if let Some(v) = named.and_then(|id| e.text.variants.iter().position(|v| v.id == id)) {
            e.variant = v;
        }
    }

    fn act_lesson(&mut self, action: Action) -> Vec<Effect> {
        // The left panel's own keys first: the source scrolls, the challenge list chooses.
        if let Some(effects) = self.left_panel_key(action) {
            return effects;
        }
        let going = self.run.as_ref().is_some_and(|r| !r.over());
        match action {
            Action::Back => {
                self.study_leaving();
                self.screen = Screen::Menu;
                self.run = None;
                return vec![Effect::Cancel];
            }
            Action::PrevStep | Action::NextStep => {
                let e = self.entry_mut();
                let (was, last) = (e.step, e.text.steps.len().saturating_sub(1));
                e.step = match action {
                    Action::PrevStep => e.step.saturating_sub(1),
                    _ => (e.step + 1).min(last),
                };
                let moved = e.step != was;
                self.text_scroll = 0;
                self.pick_step_variant();
                if moved {
                    self.study_step_moved();
                }
                if moved {
                    return vec![self.step_mark()];
                }
            }
            Action::Up => self.text_scroll = self.text_scroll.saturating_sub(1),
            Action::Down => {
                self.text_scroll += 1;
                self.clamp_scrolls();
            }
            Action::Open | Action::Run => {
                self.study.redo.clear();
                // A step with a question not answered yet asks it first.
                return match self.ask_first(self.mode) {
                    Some(effects) => effects,
                    None => self.start(),
                };
            }
            Action::NextVariant | Action::PrevVariant => {
                let e = self.entry_mut();
                let n = e.text.variants.len().max(1);
                e.variant = match action {
                    Action::NextVariant => (e.variant + 1) % n,
                    _ => (e.variant + n - 1) % n,
                };
            }
            Action::Pause => match &mut self.run {
                Some(r) if r.mode == Mode::Live && !r.over() => {
                    r.status.paused = !r.status.paused;
                    r.was_paused |= r.status.paused;
                    return vec![Effect::Pause(r.status.paused)];
                }
                _ => self.note = Some(self.words().pause_only_live().into()),
            },
            Action::StepNext => {
                self.study.redo.clear();
                self.study.source_scroll = None;
                match &self.run {
                    Some(r) if r.mode == Mode::Step && !r.over() => {
                        return vec![Effect::Step(None)];
                    }
                    Some(r) if !r.over() => {
                        self.note = Some(self.words().step_needs_step_mode().into());
                    }
                    Some(r) if r.mode == Mode::Step && !self.study.restart_armed => {
                        // The run is over: its result stays until a second n asks for more.
                        self.study.restart_armed = true;
                        self.note = Some(self.sw().step_run_over().into());
                    }
                    _ => {
                        if let Some(effects) = self.ask_first(Mode::Step) {
                            return effects;
                        }
                        self.mode = Mode::Step;
                        return self.start();
                    }
                }
            }
            Action::ChooseThread | Action::ChooseThreadBack => {
                self.study.source_scroll = None;
                let Some(r) = &self.run else {
                    return Vec::new();
                };
                let c = &r.status.candidates;
                if c.is_empty() {
                    return Vec::new();
                }
                let at = self.chosen.and_then(|t| c.iter().position(|c| c.tid == t));
                let i = match (at, action) {
                    (None, Action::ChooseThread) => 0,
                    (None, _) => c.len() - 1,
                    (Some(i), Action::ChooseThread) => (i + 1) % c.len(),
                    (Some(i), _) => (i + c.len() - 1) % c.len(),
                };
                self.chosen = Some(c[i].tid);
            }
            Action::StepChosen => match &self.run {
                Some(r) if r.mode == Mode::Step && !r.over() => {
                    self.study.redo.clear();
                    self.study.source_scroll = None;
                    let c = &r.status.candidates;
                    let pick = self
                        .chosen
                        .filter(|t| c.iter().any(|c| c.tid == *t))
                        .or_else(|| c.first().map(|c| c.tid));
                    self.chosen = pick;
                    return vec![Effect::Step(pick)];
                }
                _ => self.note = Some(self.words().step_needs_step_mode().into()),
            },
            Action::CycleMode => {
                self.mode = match self.mode {
                    Mode::Live => Mode::Step,
                    Mode::Step => Mode::Virtual,
                    Mode::Virtual => Mode::Live,
                };
                if going {
                    self.note = Some(self.words().applies_next_run().into());
                }
            }
            Action::Faster | Action::Slower => {
                let s = if action == Action::Faster {
                    self.scale / 2.0
                } else {
                    self.scale * 2.0
                };
                self.scale = clamp_scale(s);
                if going {
                    self.note = Some(self.words().applies_next_run().into());
                }
            }
            Action::Reset => {
                self.run = None;
                self.chosen = None;
                self.lane_scroll = 0;
                self.note = Some(self.words().reset_done().into());
                return vec![Effect::Cancel];
            }
            Action::LanesUp | Action::LanesDown => {
                let page = layout::visible_lanes(self).max(1);
                self.lane_scroll = if action == Action::LanesUp {
                    self.lane_scroll.saturating_sub(page)
                } else {
                    self.lane_scroll + page
                };
                self.clamp_scrolls();
            }
            Action::LanesFirst => self.lane_scroll = 0,
            Action::LanesLast => {
                self.lane_scroll = usize::MAX;
                self.clamp_scrolls();
            }
            Action::Compare => self
                .timing
                .open(Pane::Compare, &self.entries[self.selected].text),
            Action::Sweep => self
                .timing
                .open(Pane::Sweep, &self.entries[self.selected].text),
            Action::ToggleSource => self.toggle_source(),
            Action::Challenges => self.toggle_challenges(),
            Action::Params => self.toggle_params(),
            Action::ResetParams => self.reset_params(),
            Action::Dismiss => {
                if view::lesson::has_results(self) {
                    self.results_hidden = true;
                    self.study.celebrate.clear();
                    self.study.reveal = None;
                    self.clamp_scrolls();
                }
            }
            Action::Undo => return self.undo(),
            Action::Redo => return self.redo(),
            Action::RunChosen => return self.run_chosen(),
            Action::SaveSchedule => return self.save_schedule(),
            Action::SaveTrace => return self.save_trace(),
            Action::Explore => return self.toggle_explorer(),
            // Handled before the lesson sees them, or meaningless here.
            Action::Quit
            | Action::Help
            | Action::ToggleLang
            | Action::Answer(_)
            | Action::CycleLook
            | Action::Present
            | Action::NewClass
            | Action::ForgetProgress => {}
        }
        Vec::new()
    }

    /// Start the selected variant in the selected mode.
    pub(crate) fn start(&mut self) -> Vec<Effect> {
        let variant = self.variant_id().to_string();
        let params = self.entry().params.clone();
        self.start_with(
            variant,
            params,
            self.mode,
            self.scale,
            self.seed,
            Vec::new(),
        )
    }

    /// Start `variant` with these settings, replaying `schedule` first.
    pub(crate) fn start_with(
        &mut self,
        variant: String,
        params: Params,
        mode: Mode,
        scale: f64,
        seed: Option<u64>,
        schedule: Vec<Tid>,
    ) -> Vec<Effect> {
        self.generation += 1;
        let expected_ns = crate::runner::formula_ms(self.entry().code, &variant, &params)
            .map(|ms| (ms * scale * 1e6).round() as u64);
        self.run = Some(Current {
            generation: self.generation,
            variant: variant.clone(),
            mode,
            scale,
            seed,
            trace: Trace::new(),
            events: Vec::new(),
            status: RunStatus::default(),
            params: params.clone(),
            schedule: schedule.clone(),
            judged: false,
            expected_ns,
            was_paused: false,
            challenge: self.study.active,
        });
        self.chosen = None;
        self.lane_scroll = 0;
        self.results_hidden = false;
        self.study_started();
        vec![
            Effect::Cancel,
            Effect::Start(RunRequest {
                generation: self.generation,
                lesson: self.entry().text.id.clone(),
                variant,
                params,
                mode,
                scale,
                seed,
                schedule,
            }),
        ]
    }

    fn current(&mut self, generation: u64) -> Option<&mut Current> {
        self.run.as_mut().filter(|r| r.generation == generation)
    }

    /// The session started run `generation` with this seed.
    pub fn on_started(&mut self, generation: u64, seed: u64) {
        if let Some(r) = self.current(generation) {
            r.seed = Some(seed);
        }
    }

    /// Run `generation` (the one on screen) was paused at some time: its time is not a timing.
    pub fn was_paused(&self, generation: u64) -> bool {
        self.run
            .as_ref()
            .is_some_and(|r| r.generation == generation && r.was_paused)
    }

    /// Events of run `generation`, in order.
    pub fn on_events<'a>(&mut self, generation: u64, events: impl IntoIterator<Item = &'a Event>) {
        if let Some(r) = self.run.as_mut().filter(|r| r.generation == generation) {
            let mut facts = self.study.facts_for(generation);
            let had_deadlock = r.trace.deadlock.is_some();
            for e in events {
                r.trace.apply(e);
                r.events.push(e.clone());
                if let Some(f) = facts.as_mut() {
                    f.apply(e, &r.trace);
                }
            }
            // The threads of a deadlock come first in the lanes (see the timeline): show them.
            if !had_deadlock && r.trace.deadlock.is_some() {
                self.lane_scroll = 0;
            }
        }
    }

    pub fn on_status(&mut self, generation: u64, status: RunStatus) {
        let chosen = self.chosen;
        if let Some(r) = self.current(generation) {
            // While threads move (or a replay runs) the candidates come and go: only a settled
            // run says the chosen thread cannot move any more.
            let settled = (status.awaiting_pick || status.over) && !status.replaying;
            let gone =
                settled && chosen.is_some_and(|t| !status.candidates.iter().any(|c| c.tid == t));
            r.status = status;
            if gone {
                self.chosen = None;
            }
        }
        self.study_check(generation);
    }

    /// Run `generation` of `lesson` has ended; `result` is its verdict (none for a cancelled
    /// run). A verdict that arrives after the learner left still goes into its lesson's table.
    pub fn on_judged(&mut self, generation: u64, lesson: &str, result: Option<VariantResult>) {
        let mut result = result;
        if let Some(r) = self.current(generation) {
            r.judged = true;
            r.status.over = true;
            let (paused, challenge) = (r.was_paused, r.challenge);
            if let Some(res) = result.as_mut() {
                res.paused |= paused;
                res.challenge = challenge.map(|i| (i, false));
            }
        }
        self.study_judged(generation, result.as_ref());
        if let Some((i, met)) = result.as_mut().and_then(|r| r.challenge.as_mut()) {
            *met = self.study.met_now.contains(i);
        }
        let Some(result) = result else {
            return;
        };
        if let Some(why) = &result.report.refused {
            self.note = Some(why.clone());
        }
        let Some(e) = self.entries.iter_mut().find(|e| e.text.id == lesson) else {
            return;
        };
        let mode = result.report.mode;
        e.results
            .retain(|r| !(r.id == result.id && r.report.mode == mode));
        e.results.push(result);
        let variants: Vec<String> = e.text.variants.iter().map(|v| v.id.clone()).collect();
        e.results.sort_by_key(|r| {
            let v = variants.iter().position(|id| *id == r.id);
            let m = [Mode::Live, Mode::Step, Mode::Virtual]
                .iter()
                .position(|m| *m == r.report.mode);
            (v, m)
        });
    }

    /// Keep the step text and the lanes within what there is to see.
    fn clamp_scrolls(&mut self) {
        if self.screen != Screen::Lesson {
            return;
        }
        let max_text = layout::text_overflow(self);
        self.text_scroll = self.text_scroll.min(max_text);
        let lanes = self.trace().map_or(0, |t| t.threads.len());
        let visible = layout::visible_lanes(self);
        self.lane_scroll = self.lane_scroll.min(lanes.saturating_sub(visible));
    }
}

pub(crate) fn clamp_scale(s: f64) -> f64 {
    if s.is_finite() {
        s.clamp(SCALE_MIN, SCALE_MAX)
    } else {
        1.0
    }
}
