//! The timing views' state: this session's runs (the history), the comparison of a lesson's
//! variants built from them or from a fresh recording, the sweep's set-up and result, and the
//! background job (a recording or a sweep) going. Pure like `app`: keys in, effects out.

use super::action::{Action, Effect};
use super::app::{App, Entry, Screen};
use crate::content::ParamSpec;
use crate::engine::{Mode, Outcome};
use crate::params::Params;
use crate::record::{self, Machine, Recording, Row};
use crate::runner::VariantResult;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;

/// Which timing view is open over the lesson.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    Compare,
    Sweep,
}

/// One run of this session, as the history lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct Ran {
    /// Its place in the session, from 1.
    pub seq: u64,
    pub lesson: String,
    pub variant: String,
    pub mode: Mode,
    pub scale: f64,
    pub seed: u64,
    pub params: Params,
    pub measured_ms: f64,
    pub ideal_ms: f64,
    pub outcome: Outcome,
    pub deadlock: bool,
    pub panicked: bool,
    pub ok: bool,
    /// Cores the variant's ideal keeps busy at once.
    pub cores_needed: usize,
    /// Made by the comparison's record key, not by Enter in the lesson.
    pub recorded: bool,
}

impl Ran {
    pub fn new(
        lesson: &str,
        r: &VariantResult,
        params: &Params,
        cores_needed: usize,
        recorded: bool,
    ) -> Ran {
        Ran {
            seq: 0,
            lesson: lesson.to_string(),
            variant: r.id.clone(),
            mode: r.report.mode,
            scale: r.report.scale,
            seed: r.report.seed,
            params: params.clone(),
            measured_ms: r.elapsed_ms,
            ideal_ms: r.ideal_ms,
            outcome: r.outcome.clone(),
            deadlock: r.deadlock.is_some(),
            panicked: r.report.panic.is_some(),
            ok: r.ok,
            cores_needed,
            recorded,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobKind {
    /// Every variant, a few times each, in live mode.
    Record,
    /// Every variant at every value of one parameter.
    Sweep,
}

/// A recording or a sweep the app wants made on a background thread.
#[derive(Clone, Debug, PartialEq)]
pub struct JobRequest {
    pub id: u64,
    pub kind: JobKind,
    pub lesson: String,
    pub mode: Mode,
    pub repeat: usize,
    pub scale: f64,
    /// None: a fresh seed.
    pub seed: Option<u64>,
    pub params: Params,
    pub sweep: Option<(String, Vec<f64>)>,
}

/// What a job thread reports.
#[derive(Clone, Debug)]
pub enum JobNews {
    /// A run is starting: `done` of `total` have finished.
    Progress {
        id: u64,
        done: usize,
        total: usize,
        label: String,
        seed: u64,
        /// Real seconds since the job started, and a guess at those left (live runs only).
        elapsed_s: f64,
        left_s: Option<f64>,
    },
    /// A recorded run ended (sweeps do not add to the history).
    Ran(Box<Ran>),
    /// The job ended; no recording when it was stopped.
    Done {
        id: u64,
        recording: Option<Box<Recording>>,
    },
}

/// A file the app wants written into the save directory.
#[derive(Clone, Debug, PartialEq)]
pub struct SaveRequest {
    pub lesson: String,
    /// What sort of file, in its name: "" for a comparison, "sweep-threads-" for a sweep.
    pub what: String,
    pub format: SaveFormat,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveFormat {
    Markdown,
    Csv,
    Json,
}

impl SaveFormat {
    pub fn ext(self) -> &'static str {
        match self {
            SaveFormat::Markdown => "md",
            SaveFormat::Csv => "csv",
            SaveFormat::Json => "json",
        }
    }

    fn next(self) -> SaveFormat {
        match self {
            SaveFormat::Markdown => SaveFormat::Csv,
            SaveFormat::Csv => SaveFormat::Json,
            SaveFormat::Json => SaveFormat::Markdown,
        }
    }

    fn write(self, r: &Recording) -> String {
        match self {
            SaveFormat::Markdown => r.to_markdown(),
            SaveFormat::Csv => r.to_csv(),
            SaveFormat::Json => r.to_json(),
        }
    }
}

/// The job going, as the screen shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub id: u64,
    pub kind: JobKind,
    pub lesson: String,
    pub mode: Mode,
    pub done: usize,
    pub total: usize,
    pub label: String,
    pub seed: Option<u64>,
    pub elapsed_s: f64,
    pub left_s: Option<f64>,
}

/// A lesson's sweep: which parameter, its values, and the last result.
#[derive(Clone, Debug)]
pub struct SweepSetup {
    /// Index into the lesson's parameters.
    pub param: usize,
    /// The values of each parameter, edited or the defaults.
    pub values: Vec<Vec<f64>>,
    /// The values line being edited, if it is.
    pub input: Option<String>,
    pub error: Option<String>,
    pub mode: Mode,
    /// Time on a log scale.
    pub log: bool,
    pub result: Option<Recording>,
}

impl SweepSetup {
    fn new(specs: &[ParamSpec]) -> SweepSetup {
        // The lesson's headline parameter is usually a count: start there.
        let param = specs.iter().position(|s| s.integer).unwrap_or(0);
        SweepSetup {
            param,
            values: specs.iter().map(default_values).collect(),
            input: None,
            error: None,
            mode: Mode::Virtual,
            log: false,
            result: None,
        }
    }

    pub fn current_values(&self) -> &[f64] {
        self.values.get(self.param).map_or(&[], |v| v.as_slice())
    }
}

/// A sweep's first values: the least, a tenth, half and all of the default (threads: 1, 10,
/// 50, 100), within the range, rounded for whole-number parameters.
pub fn default_values(spec: &ParamSpec) -> Vec<f64> {
    let d = spec.default;
    let mut v: Vec<f64> = [spec.min, d / 10.0, d / 2.0, d]
        .into_iter()
        .map(|x| {
            let x = if spec.integer { x.round() } else { x };
            x.clamp(spec.min, spec.max)
        })
        .collect();
    v.sort_by(f64::total_cmp);
    v.dedup();
    if v.len() < 2 {
        v = vec![spec.min, spec.max];
        v.dedup();
    }
    v
}

/// The most values one sweep takes.
pub const MAX_VALUES: usize = 12;

/// Values typed as "1, 10, 50" (commas or spaces), each checked against the parameter's range.
pub fn parse_values(text: &str, params: &Params, key: &str) -> Result<Vec<f64>, String> {
    let mut probe = params.clone();
    let mut values = Vec::new();
    for item in text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
    {
        probe.set_str(key, item)?;
        probe.check_pairs()?;
        values.push(probe.get(key));
    }
    values.sort_by(f64::total_cmp);
    values.dedup();
    match values.len() {
        0 => Err(format!("give {key} at least one value, e.g. 1, 10, 50")),
        n if n > MAX_VALUES => Err(format!("at most {MAX_VALUES} values, got {n}")),
        _ => Ok(values),
    }
}

/// "1, 10, 50, 100"; "0, 0.3, 1.5".
pub fn values_text(values: &[f64]) -> String {
    values
        .iter()
        .map(|v| number(*v))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let t = format!("{v:.4}");
        t.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Where the comparison's numbers come from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// The record key, just now: `repeat` runs of every variant.
    Recorded { repeat: usize },
    /// This session's runs at one setting; `elsewhere` more runs were made at other settings.
    History { elsewhere: usize },
}

/// Runs per variant the record key makes, at first.
pub const DEFAULT_REPEAT: usize = 3;

/// Everything the timing views keep.
pub struct Compare {
    pub open: Option<Pane>,
    pub history: Vec<Ran>,
    /// A fresh recording per lesson, with the history's length when it was made.
    recorded: BTreeMap<String, (u64, Recording)>,
    sweeps: BTreeMap<String, SweepSetup>,
    pub job: Option<Job>,
    next_job: u64,
    pub repeat: usize,
    pub format: SaveFormat,
    /// History rows scrolled up from the newest.
    pub scroll: usize,
    pub machine: Machine,
    /// The last save, or why it failed: (text, failed).
    pub saved: Option<(String, bool)>,
}

impl Compare {
    pub fn new() -> Compare {
        Compare {
            open: None,
            history: Vec::new(),
            recorded: BTreeMap::new(),
            sweeps: BTreeMap::new(),
            job: None,
            next_job: 0,
            repeat: DEFAULT_REPEAT,
            format: SaveFormat::Markdown,
            scroll: 0,
            machine: Machine::here(),
            saved: None,
        }
    }

    /// The history's runs of `lesson`.
    pub fn runs_of<'a>(&'a self, lesson: &'a str) -> impl Iterator<Item = &'a Ran> + 'a {
        self.history.iter().filter(move |r| r.lesson == lesson)
    }
}

impl Default for Compare {
    fn default() -> Self {
        Compare::new()
    }
}

/// The comparison of one lesson's variants: a recording (made just now, or built from this
/// session's runs) and where it came from.
pub fn comparison(c: &Compare, e: &Entry) -> Option<(Recording, Source)> {
    let id = e.text.id.as_str();
    let last_lesson_run = c
        .runs_of(id)
        .filter(|r| !r.recorded)
        .map(|r| r.seq)
        .max()
        .unwrap_or(0);
    if let Some((after, rec)) = c.recorded.get(id)
        && *after > last_lesson_run
    {
        let repeat = rec.rows.first().map_or(0, |r| r.repeat);
        return Some((rec.clone(), Source::Recorded { repeat }));
    }
    // Step-mode times are the learner's choices, not the program's: not timings.
    let runs: Vec<&Ran> = c.runs_of(id).filter(|r| r.mode != Mode::Step).collect();
    let last = runs.last()?;
    let same = |r: &&Ran| r.mode == last.mode && r.scale == last.scale && r.params == last.params;
    let mut rows = Vec::new();
    let mut seed = None;
    for v in &e.text.variants {
        let rs: Vec<&Ran> = runs
            .iter()
            .filter(|r| same(r) && r.variant == v.id)
            .copied()
            .collect();
        let Some(newest) = rs.last() else {
            continue;
        };
        seed = seed.or(Some(rs[0].seed));
        let mut times: Vec<f64> = rs.iter().map(|r| r.measured_ms).collect();
        times.sort_by(f64::total_cmp);
        let median_ms = record::median(&times);
        rows.push(Row {
            lesson: id.to_string(),
            variant: v.id.clone(),
            mode: last.mode.name(),
            scale: last.scale,
            repeat: rs.len(),
            param: None,
            min_ms: times[0],
            median_ms,
            max_ms: times[times.len() - 1],
            ideal_ms: newest.ideal_ms,
            fidelity: if newest.ideal_ms > 0.0 {
                median_ms / newest.ideal_ms
            } else {
                1.0
            },
            ok: rs.iter().all(|r| r.ok),
            outcome: newest.outcome.clone(),
            cores_needed: rs.iter().map(|r| r.cores_needed).max().unwrap_or(0),
        });
    }
    let elsewhere = runs.iter().filter(|r| !same(r)).count();
    let (published, tutorial_params) = record::tutorial_figures(&e.text, &last.params);
    let rec = Recording {
        lesson: id.to_string(),
        title: e.text.title.en.clone(),
        scale: last.scale,
        seed: seed.unwrap_or(last.seed),
        params: last.params.clone(),
        machine: c.machine.clone(),
        rows,
        published,
        tutorial_params,
    };
    Some((rec, Source::History { elsewhere }))
}

impl App {
    /// The timing view open over the lesson, if any.
    pub fn pane(&self) -> Option<Pane> {
        self.compare.open.filter(|_| self.screen == Screen::Lesson)
    }

    /// The machine timings are judged against (its cores): the one we run on, unless a test
    /// says otherwise.
    pub fn set_machine(&mut self, machine: Machine) {
        self.compare.machine = machine;
    }

    /// This session's runs, oldest first.
    pub fn history(&self) -> &[Ran] {
        &self.compare.history
    }

    /// A run ended: into the history it goes.
    pub fn on_ran(&mut self, mut ran: Ran) {
        ran.seq = self.compare.history.len() as u64 + 1;
        self.compare.history.push(ran);
        // Keep the rows in view where they were when scrolled up.
        if self.compare.scroll > 0 {
            self.compare.scroll += 1;
        }
    }

    pub fn on_job(&mut self, news: JobNews) {
        let c = &mut self.compare;
        match news {
            JobNews::Progress {
                id,
                done,
                total,
                label,
                seed,
                elapsed_s,
                left_s,
            } => {
                if let Some(j) = c.job.as_mut().filter(|j| j.id == id) {
                    (j.done, j.total, j.label, j.seed) = (done, total, label, Some(seed));
                    (j.elapsed_s, j.left_s) = (elapsed_s, left_s);
                }
            }
            JobNews::Ran(ran) => self.on_ran(*ran),
            JobNews::Done { id, recording } => {
                let Some(job) = c.job.take_if(|j| j.id == id) else {
                    return;
                };
                let Some(rec) = recording else {
                    return;
                };
                match job.kind {
                    JobKind::Record => {
                        let after = c.history.len() as u64 + 1;
                        c.recorded.insert(job.lesson, (after, *rec));
                    }
                    JobKind::Sweep => {
                        if let Some(s) = c.sweeps.get_mut(&job.lesson) {
                            s.result = Some(*rec);
                        }
                    }
                }
            }
        }
    }

    /// The session wrote a file (its name), or could not (why).
    pub fn on_saved(&mut self, result: Result<String, String>) {
        let w = super::words_compare::CompareWords::of(self.lang);
        self.compare.saved = Some(match result {
            Ok(name) => (format!("{} {name}", w.saved), false),
            Err(e) => (e, true),
        });
    }

    /// The comparison of the open lesson's variants.
    pub(crate) fn comparison(&self) -> Option<(Recording, Source)> {
        comparison(&self.compare, self.entry())
    }

    /// The open lesson's sweep set-up (made on first use).
    pub(crate) fn sweep_setup(&self) -> Option<&SweepSetup> {
        self.compare.sweeps.get(&self.entry().text.id)
    }

    fn sweep_mut(&mut self) -> &mut SweepSetup {
        let e = &self.entries[self.selected];
        self.compare
            .sweeps
            .entry(e.text.id.clone())
            .or_insert_with(|| SweepSetup::new(&e.text.params))
    }

    pub(crate) fn open_pane(&mut self, pane: Pane) -> Vec<Effect> {
        self.compare.open = Some(pane);
        self.compare.scroll = 0;
        if pane == Pane::Sweep {
            self.sweep_mut();
        }
        Vec::new()
    }

    /// Leave the timing views for the lesson; a job going is stopped.
    fn close_pane(&mut self) -> Vec<Effect> {
        self.compare.open = None;
        let mut fx = Vec::new();
        if self.compare.job.take().is_some() {
            fx.push(Effect::StopJob);
        }
        fx
    }

    /// Keys only the timing views know (typing values, digits, save format, log scale).
    /// None: not a view key, let the common action decide.
    pub(crate) fn compare_key(&mut self, key: KeyEvent) -> Option<Vec<Effect>> {
        let pane = self.pane()?;
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if pane == Pane::Sweep && self.sweep_setup().is_some_and(|s| s.input.is_some()) {
            if ctrl && key.code == KeyCode::Char('c') {
                return None; // quits, as everywhere
            }
            return Some(self.edit_key(key));
        }
        if ctrl {
            return None;
        }
        let w = super::words_compare::CompareWords::of(self.lang);
        self.note = None;
        let fx = match (pane, key.code) {
            (_, KeyCode::Char('f')) => {
                self.compare.format = self.compare.format.next();
                Vec::new()
            }
            (Pane::Compare, KeyCode::Char(d @ '1'..='9')) => {
                self.compare.repeat = d as usize - '0' as usize;
                self.note = Some(w.repeats(self.compare.repeat));
                Vec::new()
            }
            (Pane::Sweep, KeyCode::Char('e')) => {
                let s = self.sweep_mut();
                s.input = Some(values_text(s.current_values()));
                s.error = None;
                Vec::new()
            }
            (Pane::Sweep, KeyCode::Char('g')) => {
                let s = self.sweep_mut();
                s.log = !s.log;
                Vec::new()
            }
            (Pane::Sweep, KeyCode::Char('p')) => self.compare_act(Action::NextStep),
            _ => return None,
        };
        Some(fx)
    }

    /// A key while the sweep's values are being typed.
    fn edit_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let e = &self.entries[self.selected];
        let key_name = e
            .text
            .params
            .get(self.sweep_setup().map_or(0, |s| s.param))
            .map(|p| p.key.clone());
        let params = e.params.clone();
        let s = self.sweep_mut();
        let Some(input) = s.input.as_mut() else {
            return Vec::new();
        };
        match key.code {
            KeyCode::Char('u') if ctrl => input.clear(),
            KeyCode::Char(ch) if !ctrl && input.chars().count() < 80 => input.push(ch),
            KeyCode::Backspace => {
                input.pop();
            }
            KeyCode::Esc => {
                s.input = None;
                s.error = None;
            }
            KeyCode::Enter => {
                let Some(k) = key_name else {
                    s.input = None;
                    return Vec::new();
                };
                match parse_values(input, &params, &k) {
                    Ok(values) => {
                        let i = s.param;
                        s.values[i] = values;
                        s.input = None;
                        s.error = None;
                        s.result = None;
                    }
                    Err(e) => s.error = Some(e),
                }
            }
            _ => {}
        }
        Vec::new()
    }

    /// A common action while a timing view is open.
    pub(crate) fn compare_act(&mut self, action: Action) -> Vec<Effect> {
        let Some(pane) = self.pane() else {
            return Vec::new();
        };
        let w = super::words_compare::CompareWords::of(self.lang);
        if pane == Pane::Sweep && self.sweep_setup().is_some_and(|s| s.input.is_some()) {
            // Typing: only Enter and Esc mean something as actions.
            let code = match action {
                Action::Back => KeyCode::Esc,
                Action::Open | Action::Run => KeyCode::Enter,
                _ => return Vec::new(),
            };
            return self.edit_key(KeyEvent::new(code, KeyModifiers::NONE));
        }
        match action {
            Action::Back => {
                if self.compare.job.take().is_some() {
                    self.note = Some(w.cancelled.into());
                    return vec![Effect::StopJob];
                }
                return self.close_pane();
            }
            Action::Compare if pane == Pane::Compare => return self.close_pane(),
            Action::Compare => return self.open_pane(Pane::Compare),
            Action::Sweep if pane == Pane::Sweep => return self.close_pane(),
            Action::Sweep => return self.open_pane(Pane::Sweep),
            Action::ChooseThread | Action::ChooseThreadBack => {
                let other = match pane {
                    Pane::Compare => Pane::Sweep,
                    Pane::Sweep => Pane::Compare,
                };
                return self.open_pane(other);
            }
            Action::Open | Action::Run => return self.start_job(pane),
            Action::StepChosen => return self.save(pane),
            Action::Faster | Action::Slower => {
                let s = if action == Action::Faster {
                    self.scale / 2.0
                } else {
                    self.scale * 2.0
                };
                self.scale = super::app::clamp_scale(s);
            }
            Action::Up if pane == Pane::Compare => self.compare.scroll += 1,
            Action::Down if pane == Pane::Compare => {
                self.compare.scroll = self.compare.scroll.saturating_sub(1)
            }
            Action::LanesUp if pane == Pane::Compare => self.compare.scroll += 5,
            Action::LanesDown if pane == Pane::Compare => {
                self.compare.scroll = self.compare.scroll.saturating_sub(5)
            }
            Action::LanesFirst if pane == Pane::Compare => self.compare.scroll = usize::MAX,
            Action::LanesLast if pane == Pane::Compare => self.compare.scroll = 0,
            Action::PrevStep | Action::NextStep if pane == Pane::Sweep => {
                let n = self.entry().text.params.len();
                if n > 0 {
                    let s = self.sweep_mut();
                    s.param = if action == Action::NextStep {
                        (s.param + 1) % n
                    } else {
                        (s.param + n - 1) % n
                    };
                    s.error = None;
                    s.result = None;
                }
            }
            Action::CycleMode if pane == Pane::Sweep => {
                let s = self.sweep_mut();
                s.mode = match s.mode {
                    Mode::Virtual => Mode::Live,
                    _ => Mode::Virtual,
                };
                s.result = None;
            }
            _ => {}
        }
        // Keep the history's scroll within its rows: the oldest run at the top at most.
        let n = self
            .compare
            .runs_of(&self.entries[self.selected].text.id)
            .count();
        let rows = super::view::compare::history_rows(self);
        self.compare.scroll = self.compare.scroll.min(n.saturating_sub(rows));
        Vec::new()
    }

    /// r or Enter: record every variant afresh (compare), or run the sweep.
    fn start_job(&mut self, pane: Pane) -> Vec<Effect> {
        let w = super::words_compare::CompareWords::of(self.lang);
        if self.compare.job.is_some() {
            self.note = Some(w.busy.into());
            return Vec::new();
        }
        if self.entry().code.is_none() {
            self.note = Some(self.words().no_demo_code.into());
            return Vec::new();
        }
        let (kind, mode, repeat, sweep) = match pane {
            Pane::Compare => (JobKind::Record, Mode::Live, self.compare.repeat, None),
            Pane::Sweep => {
                let s = self.sweep_mut();
                let (mode, i) = (s.mode, s.param);
                let values = s.current_values().to_vec();
                let Some(spec) = self.entry().text.params.get(i) else {
                    self.note = Some(w.no_params.into());
                    return Vec::new();
                };
                (JobKind::Sweep, mode, 1, Some((spec.key.clone(), values)))
            }
        };
        self.compare.next_job += 1;
        let id = self.compare.next_job;
        let lesson = self.entry().text.id.clone();
        self.compare.job = Some(Job {
            id,
            kind,
            lesson: lesson.clone(),
            mode,
            done: 0,
            total: 0,
            label: String::new(),
            seed: self.seed,
            elapsed_s: 0.0,
            left_s: None,
        });
        self.compare.saved = None;
        // The run on screen would compete with the recording for the cores: it stops.
        self.run = None;
        vec![
            Effect::Cancel,
            Effect::Job(JobRequest {
                id,
                kind,
                lesson,
                mode,
                repeat,
                scale: self.scale,
                seed: self.seed,
                params: self.entry().params.clone(),
                sweep,
            }),
        ]
    }

    /// s: write what the view shows to a file.
    fn save(&mut self, pane: Pane) -> Vec<Effect> {
        let w = super::words_compare::CompareWords::of(self.lang);
        let rec = match pane {
            Pane::Compare => self.comparison().map(|(r, _)| r),
            Pane::Sweep => self.sweep_setup().and_then(|s| s.result.clone()),
        };
        let Some(rec) = rec.filter(|r| !r.rows.is_empty()) else {
            self.note = Some(w.nothing_to_save.into());
            return Vec::new();
        };
        let format = self.compare.format;
        let what = match rec.rows.iter().find_map(|r| r.param.as_ref()) {
            Some((key, _)) => format!("sweep-{key}-"),
            None => String::new(),
        };
        vec![Effect::Save(SaveRequest {
            lesson: rec.lesson.clone(),
            what,
            format,
            text: format.write(&rec),
        })]
    }
}
