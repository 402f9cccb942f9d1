//! The timing views, a state machine of their own beside the lesson's: this session's runs
//! (the history), the comparison of a lesson's variants built from them or from a fresh
//! recording, the sweep's set-up and result, and the background job (a recording or a sweep)
//! going. Pure like `app`: keys in, effects out. The app hands it the lesson it is open over.

use super::action::Effect;
use super::keys::{TimingKey, TypingKey};
use crate::content::{self, ParamSpec};
use crate::engine::{Mode, Outcome};
use crate::params::Params;
use crate::record::{self, Machine, Recording, Row, SaveFormat};
use crate::runner::VariantResult;
use crate::words::Lang;
use crate::words::timing::CompareWords;
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
    /// The deadlock is threads stuck without a cycle.
    pub stuck: bool,
    /// A thread raised.
    pub raised: bool,
    pub ok: bool,
    /// Cores the variant's ideal keeps busy at once.
    pub cores_needed: usize,
    /// Made by the comparison's record key, not by Enter in the lesson.
    pub recorded: bool,
    /// Paused on the way: its time is not a timing.
    pub paused: bool,
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
            stuck: r.deadlock.as_ref().is_some_and(|d| d.is_stuck()),
            raised: !r.report.raised.is_empty(),
            ok: r.ok,
            cores_needed,
            recorded,
            paused: r.paused,
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
    /// The job ended; no recording when it was stopped, and then maybe why (the system
    /// refused a thread).
    Done {
        id: u64,
        recording: Option<Box<Recording>>,
        why: Option<String>,
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
            values: specs.iter().map(record::default_values).collect(),
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
pub struct Timing {
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

impl Timing {
    pub fn new() -> Timing {
        Timing {
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

impl Default for Timing {
    fn default() -> Self {
        Timing::new()
    }
}

/// The comparison of one lesson's variants: a recording (made just now, or built from this
/// session's runs) and where it came from.
pub fn comparison(c: &Timing, text: &content::Lesson) -> Option<(Recording, Source)> {
    let id = text.id.as_str();
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
    // Step-mode times are the learner's choices, not the program's, and a paused run's time
    // has the pause in it: not timings.
    let runs: Vec<&Ran> = c
        .runs_of(id)
        .filter(|r| r.mode != Mode::Step && !r.paused)
        .collect();
    let last = runs.last()?;
    let same = |r: &&Ran| r.mode == last.mode && r.scale == last.scale && r.params == last.params;
    let mut rows = Vec::new();
    let mut seed = None;
    for v in &text.variants {
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
            // No ideal to divide by: no ratio (the views show n/a).
            fidelity: if newest.ideal_ms > 0.0 {
                median_ms / newest.ideal_ms
            } else {
                f64::NAN
            },
            ok: rs.iter().all(|r| r.ok),
            outcome: newest.outcome.clone(),
            cores_needed: rs.iter().map(|r| r.cores_needed).max().unwrap_or(0),
        });
    }
    let elsewhere = runs.iter().filter(|r| !same(r)).count();
    let (published, tutorial_params) = record::tutorial_figures(text, &last.params);
    let rec = Recording {
        lesson: id.to_string(),
        title: text.title.en.clone(),
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

/// The lesson the timing views are open over, and the settings runs would take.
pub struct Over<'a> {
    pub text: &'a content::Lesson,
    pub params: &'a Params,
    pub scale: f64,
    pub seed: Option<u64>,
    pub lang: Lang,
    /// History rows the view shows at the screen's size (for scrolling).
    pub history_rows: usize,
}

impl<'a> Over<'a> {
    pub fn of(
        text: &'a content::Lesson,
        params: &'a Params,
        scale: f64,
        seed: Option<u64>,
        lang: Lang,
        history_rows: usize,
    ) -> Over<'a> {
        Over {
            text,
            params,
            scale,
            seed,
            lang,
            history_rows,
        }
    }
}

/// What a key did: the effects for the loop, and a line for the footer.
#[derive(Default)]
pub struct Reply {
    pub effects: Vec<Effect>,
    pub note: Option<String>,
}

impl Reply {
    fn effects(effects: Vec<Effect>) -> Reply {
        Reply {
            effects,
            ..Reply::default()
        }
    }

    fn note(note: impl Into<String>) -> Reply {
        Reply {
            note: Some(note.into()),
            ..Reply::default()
        }
    }
}

impl Timing {
    /// A run ended: into the history it goes.
    pub fn on_ran(&mut self, mut ran: Ran) {
        ran.seq = self.history.len() as u64 + 1;
        self.history.push(ran);
        // Keep the rows in view where they were when scrolled up.
        if self.scroll > 0 {
            self.scroll += 1;
        }
    }

    pub fn on_job(&mut self, news: JobNews) {
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
                if let Some(j) = self.job.as_mut().filter(|j| j.id == id) {
                    (j.done, j.total, j.label, j.seed) = (done, total, label, Some(seed));
                    (j.elapsed_s, j.left_s) = (elapsed_s, left_s);
                }
            }
            JobNews::Ran(ran) => self.on_ran(*ran),
            JobNews::Done { id, recording, why } => {
                let Some(job) = self.job.take_if(|j| j.id == id) else {
                    return;
                };
                if let Some(why) = why {
                    self.saved = Some((why, true));
                }
                let Some(rec) = recording else {
                    return;
                };
                match job.kind {
                    JobKind::Record => {
                        let after = self.history.len() as u64 + 1;
                        self.recorded.insert(job.lesson, (after, *rec));
                    }
                    JobKind::Sweep => {
                        if let Some(s) = self.sweeps.get_mut(&job.lesson) {
                            s.result = Some(*rec);
                        }
                    }
                }
            }
        }
    }

    /// The session wrote a file (its name), or could not (why).
    pub fn on_saved(&mut self, result: Result<String, String>, lang: Lang) {
        let w = CompareWords(lang);
        self.saved = Some(match result {
            Ok(name) => (w.saved(&name), false),
            Err(e) => (e, true),
        });
    }

    /// A lesson's sweep set-up, if it was opened.
    pub fn sweep_of(&self, lesson: &str) -> Option<&SweepSetup> {
        self.sweeps.get(lesson)
    }

    /// The sweep's values are being typed.
    pub fn typing(&self, lesson: &str) -> bool {
        self.sweep_of(lesson).is_some_and(|s| s.input.is_some())
    }

    fn sweep_mut(&mut self, text: &content::Lesson) -> &mut SweepSetup {
        self.sweeps
            .entry(text.id.clone())
            .or_insert_with(|| SweepSetup::new(&text.params))
    }

    /// Open `pane` over the lesson.
    pub fn open(&mut self, pane: Pane, text: &content::Lesson) {
        self.open = Some(pane);
        self.scroll = 0;
        if pane == Pane::Sweep {
            self.sweep_mut(text);
        }
    }

    /// Back to the lesson; a job going is stopped.
    fn close(&mut self) -> Reply {
        self.open = None;
        let mut r = Reply::default();
        if self.job.take().is_some() {
            r.effects.push(Effect::StopJob);
        }
        r
    }

    /// A key while a view is open (see `keys::timing`).
    pub fn key(&mut self, key: TimingKey, over: &Over) -> Reply {
        let Some(pane) = self.open else {
            return Reply::default();
        };
        let w = CompareWords(over.lang);
        let reply = match key {
            TimingKey::Back if self.job.take().is_some() => Reply {
                effects: vec![Effect::StopJob],
                note: Some(w.cancelled().into()),
            },
            TimingKey::Back => self.close(),
            TimingKey::Show(p) if p == pane => self.close(),
            TimingKey::Show(p) => {
                self.open(p, over.text);
                Reply::default()
            }
            TimingKey::Switch => {
                let other = match pane {
                    Pane::Compare => Pane::Sweep,
                    Pane::Sweep => Pane::Compare,
                };
                self.open(other, over.text);
                Reply::default()
            }
            TimingKey::Run => self.start_job(pane, over),
            TimingKey::Save => self.save(pane, over),
            TimingKey::Format => {
                self.format = self.format.next();
                Reply::default()
            }
            TimingKey::Repeat(n) if pane == Pane::Compare => {
                self.repeat = n as usize;
                Reply::note(w.repeats(self.repeat))
            }
            TimingKey::Edit if pane == Pane::Sweep => {
                let s = self.sweep_mut(over.text);
                s.input = Some(record::values_text(s.current_values()));
                s.error = None;
                Reply::default()
            }
            TimingKey::LogScale if pane == Pane::Sweep => {
                let s = self.sweep_mut(over.text);
                s.log = !s.log;
                Reply::default()
            }
            TimingKey::Param(forward) if pane == Pane::Sweep => {
                let n = over.text.params.len();
                if n > 0 {
                    let s = self.sweep_mut(over.text);
                    s.param = if forward {
                        (s.param + 1) % n
                    } else {
                        (s.param + n - 1) % n
                    };
                    s.error = None;
                    s.result = None;
                }
                Reply::default()
            }
            TimingKey::Mode if pane == Pane::Sweep => {
                let s = self.sweep_mut(over.text);
                s.mode = match s.mode {
                    Mode::Virtual => Mode::Live,
                    _ => Mode::Virtual,
                };
                s.result = None;
                Reply::default()
            }
            TimingKey::Older(n) if pane == Pane::Compare => {
                self.scroll = self.scroll.saturating_add(n);
                Reply::default()
            }
            TimingKey::Newer(n) if pane == Pane::Compare => {
                self.scroll = self.scroll.saturating_sub(n);
                Reply::default()
            }
            _ => Reply::default(),
        };
        // Keep the history's scroll within its rows: the oldest run at the top at most.
        let n = self.runs_of(&over.text.id).count();
        self.scroll = self.scroll.min(n.saturating_sub(over.history_rows));
        reply
    }

    /// A key while the sweep's values are being typed.
    pub fn typing_key(&mut self, key: TypingKey, over: &Over) -> Reply {
        let key_name = over
            .text
            .params
            .get(self.sweep_of(&over.text.id).map_or(0, |s| s.param))
            .map(|p| p.key.clone());
        let s = self.sweep_mut(over.text);
        let Some(input) = s.input.as_mut() else {
            return Reply::default();
        };
        match key {
            TypingKey::Clear => input.clear(),
            TypingKey::Char(ch) if input.chars().count() < 80 => input.push(ch),
            TypingKey::Char(_) => {}
            TypingKey::Backspace => {
                input.pop();
            }
            TypingKey::Cancel => {
                s.input = None;
                s.error = None;
            }
            TypingKey::Done => {
                let Some(k) = key_name else {
                    s.input = None;
                    return Reply::default();
                };
                match record::parse_values(input, over.params, &k) {
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
        }
        Reply::default()
    }

    /// r or Enter: record every variant afresh (compare), or run the sweep. The run on screen
    /// would compete with the job for the cores: the effects cancel it.
    fn start_job(&mut self, pane: Pane, over: &Over) -> Reply {
        let w = CompareWords(over.lang);
        if self.job.is_some() {
            return Reply::note(w.busy());
        }
        let (kind, mode, repeat, sweep) = match pane {
            Pane::Compare => (JobKind::Record, Mode::Live, self.repeat, None),
            Pane::Sweep => {
                let s = self.sweep_mut(over.text);
                let (mode, i) = (s.mode, s.param);
                let values = s.current_values().to_vec();
                let Some(spec) = over.text.params.get(i) else {
                    return Reply::note(w.no_params());
                };
                (JobKind::Sweep, mode, 1, Some((spec.key.clone(), values)))
            }
        };
        self.next_job += 1;
        let id = self.next_job;
        let lesson = over.text.id.clone();
        self.job = Some(Job {
            id,
            kind,
            lesson: lesson.clone(),
            mode,
            done: 0,
            total: 0,
            label: String::new(),
            seed: over.seed,
            elapsed_s: 0.0,
            left_s: None,
        });
        self.saved = None;
        Reply::effects(vec![
            Effect::Cancel,
            Effect::Job(JobRequest {
                id,
                kind,
                lesson,
                mode,
                repeat,
                scale: over.scale,
                seed: over.seed,
                params: over.params.clone(),
                sweep,
            }),
        ])
    }

    /// s: write what the view shows to a file.
    fn save(&mut self, pane: Pane, over: &Over) -> Reply {
        let w = CompareWords(over.lang);
        let rec = match pane {
            Pane::Compare => comparison(self, over.text).map(|(r, _)| r),
            Pane::Sweep => self.sweep_of(&over.text.id).and_then(|s| s.result.clone()),
        };
        let Some(rec) = rec.filter(|r| !r.rows.is_empty()) else {
            return Reply::note(w.nothing_to_save());
        };
        let format = self.format;
        let what = match rec.rows.iter().find_map(|r| r.param.as_ref()) {
            Some((key, _)) => format!("sweep-{key}-"),
            None => String::new(),
        };
        Reply::effects(vec![Effect::Save(SaveRequest {
            lesson: rec.lesson.clone(),
            what,
            format,
            text: format.write(&rec, over.lang),
        })])
    }
}
