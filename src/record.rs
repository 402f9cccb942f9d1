//! Timing comparisons: run variants several times, in one or both modes, and write what they
//! took next to their ideal and the tutorial's figures, as CSV, JSON or a Markdown table.

use crate::content;
use crate::engine::trace::Trace;
use crate::engine::{Config, Mode, Outcome, Run, RunReport, ThreadState};
use crate::lessons::AnyLesson;
use crate::params::Params;
use crate::runner::{self, VariantResult};
use crate::words::Lang;
use crate::words::cli::Words;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// What to record.
pub struct Spec<'a> {
    pub lesson: &'static dyn AnyLesson,
    pub text: &'a content::Lesson,
    pub variants: Vec<&'static str>,
    pub modes: Vec<Mode>,
    pub repeat: usize,
    pub scale: f64,
    pub seed: u64,
    pub params: Params,
    /// `sweep`: one parameter and the values it takes, one row each.
    pub sweep: Option<(String, Vec<f64>)>,
}

/// The machine and program a recording was made with.
#[derive(Clone, Debug, Serialize)]
pub struct Machine {
    pub cores: usize,
    pub os: String,
    pub version: String,
}

impl Machine {
    pub fn here() -> Machine {
        Machine {
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            os: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}

/// One variant in one mode (at one value of a swept parameter), over `repeat` runs.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub lesson: String,
    pub variant: String,
    pub mode: &'static str,
    pub scale: f64,
    pub repeat: usize,
    /// The swept parameter and its value in this row.
    pub param: Option<(String, f64)>,
    pub min_ms: f64,
    pub median_ms: f64,
    pub max_ms: f64,
    pub ideal_ms: f64,
    /// median / ideal.
    pub fidelity: f64,
    /// Every run passed every check.
    pub ok: bool,
    /// The first run's outcome.
    pub outcome: Outcome,
    /// Cores the ideal needs: the most threads busy on the CPU at once in the virtual run.
    pub cores_needed: usize,
}

/// A recording: rows plus what they were made with.
#[derive(Clone, Debug)]
pub struct Recording {
    pub lesson: String,
    pub title: String,
    pub scale: f64,
    pub seed: u64,
    pub params: Params,
    pub machine: Machine,
    pub rows: Vec<Row>,
    /// Tutorial figures: (variant, seconds at scale 1, outcome). Empty unless the recording
    /// used the lesson's default parameters, which are the tutorial's.
    pub published: Vec<(String, f64, String)>,
    /// The tutorial's parameters, when this recording used others (so no figures to compare).
    pub tutorial_params: Option<String>,
}

impl Spec<'_> {
    /// How many runs `record` will make (for progress).
    pub fn runs(&self) -> usize {
        let values = self.sweep.as_ref().map_or(1, |(_, v)| v.len());
        values * self.variants.len() * self.modes.len() * self.repeat
    }
}

/// Run everything the spec asks for. `progress(done, total, label)` is called after each run.
/// Fails, in one line, when the system refused a demo thread.
pub fn record(
    spec: &Spec,
    progress: &mut dyn FnMut(usize, usize, &str),
) -> Result<Recording, String> {
    let mut watch = |note: Note| {
        if let Note::Ran {
            done, total, label, ..
        } = note
        {
            progress(done, total, label);
        }
    };
    let stop = Stop::new();
    record_watched(spec, &stop, &mut watch).ok_or_else(|| stop.why().unwrap_or_default())
}

/// Stops a recording from another thread: no further run starts and the run going is
/// cancelled (its threads unwind at once), so stopping takes milliseconds, not a run's length.
#[derive(Clone, Default)]
pub struct Stop(Arc<StopInner>);

#[derive(Default)]
struct StopInner {
    stopped: AtomicBool,
    going: parking_lot::Mutex<Option<Arc<Run>>>,
    /// Why the recording stopped by itself: the system refused a thread.
    why: parking_lot::Mutex<Option<String>>,
}

impl Stop {
    pub fn new() -> Stop {
        Stop::default()
    }

    pub fn stop(&self) {
        self.0.stopped.store(true, Ordering::SeqCst);
        if let Some(run) = self.0.going.lock().take() {
            run.cancel();
        }
    }

    pub fn is_stopped(&self) -> bool {
        self.0.stopped.load(Ordering::SeqCst)
    }

    /// Why the recording ended early by itself (the system refused a thread), if it did.
    pub fn why(&self) -> Option<String> {
        self.0.why.lock().clone()
    }

    /// Wait for `run` to end; None if the recording was stopped meanwhile.
    fn wait(&self, run: &Arc<Run>) -> Option<RunReport> {
        *self.0.going.lock() = Some(run.clone());
        // A stop between the store and here finds the run in the slot or sees the flag.
        if self.is_stopped() {
            run.cancel();
        }
        let report = run.wait();
        self.0.going.lock().take();
        (!self.is_stopped()).then_some(report)
    }
}

/// What a watched recording reports as it goes.
pub enum Note<'a> {
    /// A run is about to start; `done` runs have finished out of `total`.
    Starting {
        done: usize,
        total: usize,
        /// "lock live" or "lock live threads=10".
        label: &'a str,
        variant: &'a str,
        mode: Mode,
        seed: u64,
    },
    /// A run has ended and been judged.
    Ran {
        done: usize,
        total: usize,
        label: &'a str,
        result: &'a VariantResult,
        params: &'a Params,
        /// The variant's ideal and the cores it assumes (the row's, from one virtual run).
        ideal_ms: f64,
        cores_needed: usize,
    },
}

/// `record`, telling `watch` about every run, and giving up (None) once `stop` is pressed.
pub fn record_watched(spec: &Spec, stop: &Stop, watch: &mut dyn FnMut(Note)) -> Option<Recording> {
    let total = spec.runs();
    let mut done = 0;
    let mut rows = Vec::new();
    let values: Vec<Option<f64>> = match &spec.sweep {
        Some((_, vs)) => vs.iter().map(|v| Some(*v)).collect(),
        None => vec![None],
    };
    for value in values {
        let mut params = spec.params.clone();
        if let (Some((key, _)), Some(v)) = (&spec.sweep, value) {
            params
                .set(key, v)
                .expect("sweep values are checked before recording");
        }
        for &variant in &spec.variants {
            let (ideal_ms, cores_needed) = ideal(spec, variant, &params, stop)?;
            for &mode in &spec.modes {
                let mut times = Vec::with_capacity(spec.repeat);
                let mut ok = true;
                let mut outcome = None;
                let label = match &value {
                    Some(v) => format!("{variant} {} {}={v}", mode.name(), sweep_key(spec)),
                    None => format!("{variant} {}", mode.name()),
                };
                for i in 0..spec.repeat {
                    let cfg = Config {
                        mode,
                        scale: spec.scale,
                        seed: spec.seed.wrapping_add(i as u64),
                    };
                    watch(Note::Starting {
                        done,
                        total,
                        label: &label,
                        variant,
                        mode,
                        seed: cfg.seed,
                    });
                    let r = run_variant(spec.lesson, variant, &params, cfg, stop)?;
                    if let Some(why) = &r.report.refused {
                        *stop.0.why.lock() = Some(why.clone());
                        stop.stop();
                        return None;
                    }
                    times.push(r.elapsed_ms);
                    ok &= r.ok;
                    done += 1;
                    watch(Note::Ran {
                        done,
                        total,
                        label: &label,
                        result: &r,
                        params: &params,
                        ideal_ms,
                        cores_needed,
                    });
                    outcome.get_or_insert(r.outcome);
                }
                times.sort_by(f64::total_cmp);
                let median_ms = median(&times);
                rows.push(Row {
                    lesson: spec.text.id.clone(),
                    variant: variant.to_string(),
                    mode: mode.name(),
                    scale: spec.scale,
                    repeat: spec.repeat,
                    param: spec
                        .sweep
                        .as_ref()
                        .zip(value)
                        .map(|((k, _), v)| (k.clone(), v)),
                    min_ms: times[0],
                    median_ms,
                    max_ms: times[times.len() - 1],
                    ideal_ms,
                    fidelity: if ideal_ms > 0.0 {
                        median_ms / ideal_ms
                    } else {
                        1.0
                    },
                    ok,
                    outcome: outcome.unwrap_or_default(),
                    cores_needed,
                });
            }
        }
    }
    let (published, tutorial_params) = tutorial_figures(spec.text, &spec.params);
    Some(Recording {
        lesson: spec.text.id.clone(),
        title: spec.text.title.en.clone(),
        scale: spec.scale,
        seed: spec.seed,
        params: spec.params.clone(),
        machine: Machine::here(),
        rows,
        published,
        tutorial_params,
    })
}

/// The tutorial's figures (variant, seconds at scale 1, outcome) when `params` are the
/// lesson's defaults, which are the tutorial's; otherwise none, and the tutorial's parameters.
#[allow(clippy::type_complexity)]
pub fn tutorial_figures(
    text: &content::Lesson,
    params: &Params,
) -> (Vec<(String, f64, String)>, Option<String>) {
    let defaults = Params::defaults(&text.id, &text.params);
    if *params == defaults {
        let figures = text
            .published
            .iter()
            .map(|p| (p.variant.clone(), p.seconds, p.outcome.clone()))
            .collect();
        (figures, None)
    } else {
        (
            Vec::new(),
            (!text.published.is_empty()).then(|| defaults.to_string()),
        )
    }
}

/// `runner::run_variant`, stoppable: the live run's ideal first (its finished threads then
/// carry the live run), then the run itself.
fn run_variant(
    lesson: &'static dyn AnyLesson,
    variant: &str,
    params: &Params,
    cfg: Config,
    stop: &Stop,
) -> Option<VariantResult> {
    let ideal = match cfg.mode {
        Mode::Live => {
            let virt = Config {
                mode: Mode::Virtual,
                ..cfg
            };
            let run = Arc::new(runner::start(lesson, variant, params, virt));
            Some(stop.wait(&run)?.elapsed_ms())
        }
        _ => None,
    };
    let run = Arc::new(runner::start(lesson, variant, params, cfg));
    let report = stop.wait(&run)?;
    Some(runner::judge(lesson, variant, params, &run, report, ideal))
}

fn sweep_key<'a>(spec: &'a Spec) -> &'a str {
    spec.sweep.as_ref().map_or("", |(k, _)| k.as_str())
}

/// The variant's virtual time at the spec's scale, and the cores that ideal assumes.
fn ideal(spec: &Spec, variant: &str, params: &Params, stop: &Stop) -> Option<(f64, usize)> {
    ideal_and_cores(spec.lesson, variant, params, spec.scale, spec.seed, stop)
}

/// A variant's ideal time (its virtual run at `scale`, in ms) and the cores that ideal
/// assumes: the most threads busy on the CPU at once. None if stopped.
pub fn ideal_and_cores(
    lesson: &'static dyn AnyLesson,
    variant: &str,
    params: &Params,
    scale: f64,
    seed: u64,
    stop: &Stop,
) -> Option<(f64, usize)> {
    let cfg = Config {
        mode: Mode::Virtual,
        scale,
        seed,
    };
    let run = Arc::new(runner::start(lesson, variant, params, cfg));
    let report = stop.wait(&run)?;
    let events: Vec<_> = run.events().try_iter().collect();
    Some((
        report.elapsed_ms(),
        busy_at_once(&Trace::from_events(&events)),
    ))
}

/// The most threads working on the CPU at the same time.
fn busy_at_once(trace: &Trace) -> usize {
    let mut edges: Vec<(u64, i32)> = Vec::new();
    for t in &trace.threads {
        for s in t.spans.iter().filter(|s| s.state == ThreadState::Working) {
            let end = s.to_ns.unwrap_or(trace.now_ns);
            if end > s.from_ns {
                edges.push((s.from_ns, 1));
                edges.push((end, -1));
            }
        }
    }
    // Ends before starts at the same instant: back-to-back work is not overlap.
    edges.sort();
    let (mut now, mut most) = (0i32, 0i32);
    for (_, d) in edges {
        now += d;
        most = most.max(now);
    }
    most.max(0) as usize
}

/// The middle of sorted times (the mean of the two middle ones for an even count).
pub fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// A file a recording is written as.
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

    /// The next format, for a key that cycles through them.
    pub fn next(self) -> SaveFormat {
        match self {
            SaveFormat::Markdown => SaveFormat::Csv,
            SaveFormat::Csv => SaveFormat::Json,
            SaveFormat::Json => SaveFormat::Markdown,
        }
    }

    /// `r` written in this format (Markdown's words in `lang`; CSV and JSON are data).
    pub fn write(self, r: &Recording, lang: Lang) -> String {
        match self {
            SaveFormat::Markdown => r.to_markdown_in(lang),
            SaveFormat::Csv => r.to_csv(),
            SaveFormat::Json => r.to_json(),
        }
    }
}

/// The most values one sweep takes.
pub const MAX_VALUES: usize = 12;

/// A sweep's first values for a parameter: the least, a tenth, half and all of the default
/// (threads: 1, 10, 50, 100), within the range, rounded for whole-number parameters.
pub fn default_values(spec: &content::ParamSpec) -> Vec<f64> {
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

/// A value as a person writes it: whole numbers without a point, others without trailing 0s.
pub fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let t = format!("{v:.4}");
        t.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

impl Recording {
    /// Warnings a reader of the timings should see: ideals that assume more cores than this
    /// machine has. In English, as the JSON header carries them.
    pub fn warnings(&self) -> Vec<String> {
        self.warnings_in(Lang::En)
    }

    /// The warnings in `lang`.
    pub fn warnings_in(&self, lang: Lang) -> Vec<String> {
        let mut seen = BTreeSet::new();
        self.rows
            .iter()
            .filter(|r| r.cores_needed > self.machine.cores && seen.insert(r.variant.clone()))
            .map(|r| Words(lang).too_few_cores(&r.variant, r.cores_needed, self.machine.cores))
            .collect()
    }

    /// Every outcome key, in order, across rows.
    fn outcome_keys(&self) -> Vec<String> {
        let keys: BTreeSet<&String> = self.rows.iter().flat_map(|r| r.outcome.keys()).collect();
        keys.into_iter().cloned().collect()
    }

    fn sweep_key(&self) -> Option<&str> {
        self.rows
            .iter()
            .find_map(|r| r.param.as_ref().map(|(k, _)| k.as_str()))
    }

    /// The columns, in order: fixed ones, the swept parameter, outcomes, the machine.
    pub fn columns(&self) -> Vec<String> {
        let mut cols: Vec<String> = ["lesson", "variant", "mode", "scale", "repeat"]
            .map(String::from)
            .to_vec();
        if let Some(k) = self.sweep_key() {
            cols.push(k.to_string());
        }
        cols.extend(
            [
                "min_ms",
                "median_ms",
                "max_ms",
                "ideal_ms",
                "fidelity",
                "ok",
            ]
            .map(String::from),
        );
        cols.extend(self.outcome_keys().iter().map(|k| format!("outcome.{k}")));
        cols.extend(["cores", "os", "version"].map(String::from));
        cols
    }

    /// One row as column → value, in `columns()` order.
    fn row_values(&self, r: &Row) -> Vec<(String, Value)> {
        let mut v: Vec<(String, Value)> = vec![
            ("lesson".into(), r.lesson.clone().into()),
            ("variant".into(), r.variant.clone().into()),
            ("mode".into(), r.mode.into()),
            ("scale".into(), r.scale.into()),
            ("repeat".into(), r.repeat.into()),
        ];
        if let Some((k, x)) = &r.param {
            v.push((k.clone(), json_number(*x)));
        }
        v.extend([
            ("min_ms".into(), round3(r.min_ms)),
            ("median_ms".into(), round3(r.median_ms)),
            ("max_ms".into(), round3(r.max_ms)),
            ("ideal_ms".into(), round3(r.ideal_ms)),
            ("fidelity".into(), round3(r.fidelity)),
            ("ok".into(), r.ok.into()),
        ]);
        for k in self.outcome_keys() {
            let x = r.outcome.get(&k).cloned().unwrap_or(Value::Null);
            v.push((format!("outcome.{k}"), x));
        }
        v.extend([
            ("cores".into(), self.machine.cores.into()),
            ("os".into(), self.machine.os.clone().into()),
            ("version".into(), self.machine.version.clone().into()),
        ]);
        v
    }

    pub fn to_json(&self) -> String {
        let rows: Vec<Value> = self
            .rows
            .iter()
            .map(|r| Value::Object(self.row_values(r).into_iter().collect()))
            .collect();
        let doc = serde_json::json!({
            "header": {
                "lesson": self.lesson,
                "title": self.title,
                "scale": self.scale,
                "seed": self.seed,
                "params": self.params,
                "machine": self.machine,
                "warnings": self.warnings(),
            },
            "rows": rows,
        });
        format!(
            "{}\n",
            serde_json::to_string_pretty(&doc).expect("plain data")
        )
    }

    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(self.columns()).expect("in memory");
        for r in &self.rows {
            let cells: Vec<String> = self
                .row_values(r)
                .into_iter()
                .map(|(_, v)| match v {
                    Value::String(s) => s,
                    Value::Null => String::new(),
                    other => other.to_string(),
                })
                .collect();
            w.write_record(cells).expect("in memory");
        }
        String::from_utf8(w.into_inner().expect("in memory")).expect("UTF-8 in, UTF-8 out")
    }

    /// A table a teacher can paste, with the tutorial's figures beside ours where it has them;
    /// in English.
    pub fn to_markdown(&self) -> String {
        self.to_markdown_in(Lang::En)
    }

    /// The Markdown table in `lang` (the title is `self.title`, whatever its language).
    pub fn to_markdown_in(&self, lang: Lang) -> String {
        let w = Words(lang);
        let mut s = format!(
            "### {} ({})\n\n{}\n\n",
            self.title,
            self.lesson,
            w.md_header(
                self.scale,
                self.seed,
                &self.params.to_string(),
                self.machine.cores,
                &self.machine.os,
                &self.machine.version
            )
        );
        let sweep = self.sweep_key();
        let has_published = !self.published.is_empty() && sweep.is_none();
        let mut head = vec![w.col_variant(), w.col_mode()];
        if let Some(k) = sweep {
            head.push(k);
        }
        head.extend([
            w.col_median(),
            w.col_range(),
            w.col_ideal(),
            w.col_fidelity(),
            w.col_outcome(),
            w.ok(),
        ]);
        if has_published {
            head.extend([w.col_tutorial(), w.col_ours_vs_tutorial()]);
        }
        s.push_str(&format!("| {} |\n", head.join(" | ")));
        s.push_str(&format!("|{}\n", "---|".repeat(head.len())));
        for r in &self.rows {
            let mut cells = vec![r.variant.clone(), w.mode_named(r.mode).to_string()];
            if let Some((_, v)) = &r.param {
                cells.push(fmt_number(*v));
            }
            cells.extend([
                ms(r.median_ms),
                format!("{} – {}", ms(r.min_ms), ms(r.max_ms)),
                ms(r.ideal_ms),
                format!("{:.2}", r.fidelity),
                outcome_text(&r.lesson, &r.outcome, lang),
                if r.ok { "✓" } else { "✗" }.to_string(),
            ]);
            if has_published {
                match self.published_ms(&r.variant) {
                    Some((tut, what)) => {
                        cells.push(format!("{} ({what})", ms(tut)));
                        cells.push(format!("{:.2}", r.median_ms / tut));
                    }
                    None => cells.extend(["".to_string(), "".to_string()]),
                }
            }
            s.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        if has_published {
            s.push_str(&self.ratio_lines(w));
        }
        if let Some(p) = &self.tutorial_params {
            s.push_str(&format!("\n{}\n", w.tutorial_other_params(p)));
        }
        for text in self.warnings_in(lang) {
            s.push_str(&format!("\n> {}\n", w.warning(&text)));
        }
        s
    }

    /// The tutorial's time for `variant`, at this recording's scale, in ms.
    fn published_ms(&self, variant: &str) -> Option<(f64, &str)> {
        self.published
            .iter()
            .find(|(v, _, _)| v == variant)
            .map(|(_, secs, what)| (secs * 1000.0 * self.scale, what.as_str()))
    }

    /// "join / lock: ours 6.59, tutorial 6.58" for each pair of published variants, per mode.
    fn ratio_lines(&self, w: Words) -> String {
        let mut s = String::new();
        let modes: BTreeSet<&str> = self.rows.iter().map(|r| r.mode).collect();
        for mode in modes {
            let rows: Vec<&Row> = self
                .rows
                .iter()
                .filter(|r| r.mode == mode && self.published_ms(&r.variant).is_some())
                .collect();
            let mut lines = Vec::new();
            for pair in rows.windows(2) {
                let (a, b) = (pair[1], pair[0]);
                let ours = a.median_ms / b.median_ms;
                let tut = self.published_ms(&a.variant).map(|x| x.0).unwrap_or(0.0)
                    / self.published_ms(&b.variant).map(|x| x.0).unwrap_or(1.0);
                lines.push(w.ratio(&a.variant, &b.variant, ours, tut));
            }
            if !lines.is_empty() {
                let ratios = w.ratios(w.mode_named(mode), &lines.join(" · "));
                s.push_str(&format!("\n{ratios}\n"));
            }
        }
        s
    }
}

/// An outcome in the lesson's own words, as the screen writes it.
fn outcome_text(lesson: &str, o: &Outcome, lang: Lang) -> String {
    match crate::lessons::find(lesson) {
        Some(code) => crate::lessons::outcome_line(code, o, lang).0,
        None => String::new(),
    }
}

fn ms(v: f64) -> String {
    crate::engine::trace::fmt_ns((v * 1e6).round().max(0.0) as u64)
}

fn round3(v: f64) -> Value {
    json_number((v * 1000.0).round() / 1000.0)
}

/// Whole numbers as integers, the rest as floats.
fn json_number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        Value::from(v as i64)
    } else {
        Value::from(v)
    }
}

fn fmt_number(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Progress on stderr: a bar with the run going and an ETA, once the work has taken over a
/// second, and only when stderr is a terminal (a pipe or a log file gets nothing).
pub struct Progress {
    start: Instant,
    bar: Option<indicatif::ProgressBar>,
    /// When the work should be done, at the average pace of the runs so far; the bar counts
    /// down to it between runs.
    done_at: Arc<parking_lot::Mutex<Instant>>,
    eta: &'static str,
    tty: bool,
    quiet: bool,
}

impl Progress {
    pub fn new(quiet: bool, lang: Lang) -> Progress {
        use std::io::IsTerminal;
        Progress {
            start: Instant::now(),
            bar: None,
            done_at: Arc::new(parking_lot::Mutex::new(Instant::now())),
            eta: Words(lang).eta(),
            tty: std::io::stderr().is_terminal(),
            quiet,
        }
    }

    /// `done` of `total` runs have finished; `label` names the latest.
    pub fn update(&mut self, done: usize, total: usize, label: &str) {
        let spent = self.start.elapsed();
        if self.quiet || !self.tty || total == 0 || spent.as_secs_f64() < 1.0 {
            return;
        }
        let left = spent.mul_f64(total.saturating_sub(done) as f64 / done.max(1) as f64);
        *self.done_at.lock() = Instant::now() + left;
        let bar = self.bar.get_or_insert_with(|| {
            let done_at = self.done_at.clone();
            let style = indicatif::ProgressStyle::with_template(&format!(
                "[{{bar:24}}] {{pos}}/{{len}} {{msg}}  {{elapsed}}, {} {{eta}}",
                self.eta
            ))
            .expect("a valid template")
            .progress_chars("#> ")
            .with_key(
                "eta",
                move |_: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let left = done_at.lock().saturating_duration_since(Instant::now());
                    let _ = write!(w, "{:#}", indicatif::HumanDuration(left));
                },
            );
            let bar = indicatif::ProgressBar::with_draw_target(
                Some(total as u64),
                indicatif::ProgressDrawTarget::stderr(),
            )
            .with_style(style)
            .with_elapsed(spent);
            bar.enable_steady_tick(std::time::Duration::from_millis(250));
            bar
        });
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        bar.set_message(label.to_string());
    }

    /// The work is done: the bar goes, leaving stderr to what follows.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
