//! A run's schedule as a file: the lesson, variant, parameters, scale and seed, and every
//! scheduling choice in order (a thread id, with its name for readers). Replaying it on the
//! virtual clock gives the same run, event for event:
//! `lockstep run LESSON --mode virtual --schedule FILE`.

use crate::content;
use crate::engine::trace::{Trace, fmt_ns};
use crate::engine::{Config, Event, Mode, Tid};
use crate::files;
use crate::lessons::{self, AnyLesson};
use crate::params::Params;
use crate::runner::{self, Replayed};
use crate::words::Lang;
use serde::Deserialize;
use std::path::Path;

/// What the file's first key says, so a stray JSON file is told apart.
const KIND: &str = "schedule";
const VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq)]
pub struct Schedule {
    pub lesson: String,
    pub variant: String,
    pub seed: u64,
    pub scale: f64,
    /// Every parameter of the run, in the lesson's order.
    pub params: Vec<(String, f64)>,
    pub choices: Vec<Choice>,
}

/// One scheduling choice: the thread that moved.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub thread: u32,
    /// The thread's name, for readers; checked against the run when given.
    #[serde(default)]
    pub name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    lockstep: String,
    version: u32,
    lesson: String,
    variant: String,
    seed: u64,
    scale: f64,
    #[serde(default)]
    params: serde_json::Map<String, serde_json::Value>,
    choices: Vec<Choice>,
}

impl Schedule {
    /// The schedule of a run: `choices` in order, named from its trace.
    pub fn of_run(
        lesson: &str,
        variant: &str,
        seed: u64,
        scale: f64,
        params: &Params,
        choices: &[Tid],
        trace: &Trace,
    ) -> Schedule {
        Schedule {
            lesson: lesson.to_string(),
            variant: variant.to_string(),
            seed,
            scale,
            params: params.iter().map(|(k, v)| (k.to_string(), v)).collect(),
            choices: choices
                .iter()
                .map(|t| Choice {
                    thread: t.0,
                    name: trace.thread_name(*t).to_string(),
                })
                .collect(),
        }
    }

    pub fn tids(&self) -> Vec<Tid> {
        self.choices.iter().map(|c| Tid(c.thread)).collect()
    }

    /// A file name that says what it holds: `lock-vs-join-no-lock-seed7.json`.
    pub fn file_name(&self) -> String {
        format!("{}-{}-seed{}.json", self.lesson, self.variant, self.seed)
    }

    /// The file's text: JSON, one choice a line.
    pub fn to_json(&self) -> String {
        let s = |v: &str| serde_json::to_string(v).expect("a string");
        let num = |v: f64| serde_json::to_string(&v).expect("a finite number");
        let params: Vec<String> = self
            .params
            .iter()
            .map(|(k, v)| {
                let v = if v.fract() == 0.0 && v.abs() < 9e15 {
                    format!("{}", *v as i64)
                } else {
                    num(*v)
                };
                format!("{}: {v}", s(k))
            })
            .collect();
        let mut out = format!(
            "{{\n  \"lockstep\": \"{KIND}\",\n  \"version\": {VERSION},\n  \"lesson\": {},\n  \
             \"variant\": {},\n  \"seed\": {},\n  \"scale\": {},\n  \"params\": {{{}}},\n  \
             \"choices\": [",
            s(&self.lesson),
            s(&self.variant),
            self.seed,
            num(self.scale),
            params.join(", ")
        );
        for (i, c) in self.choices.iter().enumerate() {
            out.push_str(if i == 0 { "\n" } else { ",\n" });
            out.push_str(&format!(
                "    {{\"thread\": {}, \"name\": {}}}",
                c.thread,
                s(&c.name)
            ));
        }
        if !self.choices.is_empty() {
            out.push_str("\n  ");
        }
        out.push_str("]\n}\n");
        out
    }

    /// Read a schedule from its text; `file` names it in errors (one line each).
    pub fn parse(file: &str, text: &str) -> Result<Schedule, String> {
        let raw: Raw = serde_json::from_str(text).map_err(|e| {
            let what = e.to_string();
            let what = what.split(" at line ").next().unwrap_or(&what).to_string();
            format!("{file}:{}: not a schedule: {what}", e.line())
        })?;
        if raw.lockstep != KIND {
            return Err(format!(
                "{file}: not a schedule: \"lockstep\" is \"{}\", not \"{KIND}\"",
                raw.lockstep
            ));
        }
        if raw.version != VERSION {
            return Err(format!(
                "{file}: schedule version {} is not one this lockstep reads ({VERSION})",
                raw.version
            ));
        }
        if !(content::MIN_SCALE..=content::MAX_SCALE).contains(&raw.scale) {
            return Err(format!(
                "{file}: scale {} must be from {} to {}",
                raw.scale,
                content::MIN_SCALE,
                content::MAX_SCALE
            ));
        }
        let mut params = Vec::new();
        for (k, v) in raw.params {
            let Some(v) = v.as_f64() else {
                return Err(format!("{file}: parameter `{k}` is {v}, not a number"));
            };
            params.push((k, v));
        }
        Ok(Schedule {
            lesson: raw.lesson,
            variant: raw.variant,
            seed: raw.seed,
            scale: raw.scale,
            params,
            choices: raw.choices,
        })
    }

    /// Read a schedule file: a regular file of at most [`files::MAX_SCHEDULE_BYTES`]; a FIFO,
    /// a device or a directory is refused at once.
    pub fn load(path: &Path) -> Result<Schedule, String> {
        let file = path.display().to_string();
        let text = files::read_text(path, files::MAX_SCHEDULE_BYTES)
            .map_err(|e| format!("cannot read {file}: {e}"))?;
        Schedule::parse(&file, &text)
    }

    /// The lesson's demo code and the run's parameters, checked against the lesson's texts.
    pub fn resolve(
        &self,
        texts: &[content::Lesson],
    ) -> Result<(&'static dyn AnyLesson, Params), String> {
        let Some(text) = texts.iter().find(|l| l.id == self.lesson) else {
            let known: Vec<&str> = texts.iter().map(|l| l.id.as_str()).collect();
            return Err(format!(
                "the schedule is for lesson `{}`, which this lockstep does not have (known: {})",
                self.lesson,
                known.join(", ")
            ));
        };
        let code = lessons::find(&text.id)
            .ok_or_else(|| format!("lesson `{}` has no demo code yet", text.id))?;
        if !code.variants().contains(&self.variant.as_str()) {
            return Err(format!(
                "the schedule is for variant `{}`, which {} does not have (known: {})",
                self.variant,
                text.id,
                code.variants().join(", ")
            ));
        }
        let mut params = Params::defaults(&text.id, &text.params);
        for (k, v) in &self.params {
            params
                .set(k, *v)
                .map_err(|e| format!("the schedule's {e}"))?;
        }
        params
            .check_pairs()
            .map_err(|e| format!("the schedule's {e}"))?;
        Ok((code, params))
    }

    /// Replay the schedule on the virtual clock. An error when it does not fit: a choice that
    /// cannot be made, or a thread whose name differs from the file's.
    pub fn replay(&self, texts: &[content::Lesson]) -> Result<Replayed, String> {
        let (code, params) = self.resolve(texts)?;
        let cfg = Config {
            mode: Mode::Virtual,
            scale: self.scale,
            seed: self.seed,
        };
        let replayed = runner::replay_variant(code, &self.variant, &params, cfg, self.tids());
        if replayed.broken {
            return Err(format!(
                "the schedule does not fit this run of {} {}: a recorded choice could not be \
                 made (was the file edited, or made by another version?)",
                self.lesson, self.variant
            ));
        }
        if replayed.choices_made < self.choices.len() {
            return Err(format!(
                "the run ended after {} of the schedule's {} choices: the rest fit no run of \
                 {} {} (was the file edited?)",
                replayed.choices_made,
                self.choices.len(),
                self.lesson,
                self.variant
            ));
        }
        let names = Trace::from_events(&replayed.events);
        for (i, c) in self.choices.iter().enumerate() {
            let actual = names.thread_name(Tid(c.thread));
            if !c.name.is_empty() && actual != c.name {
                return Err(format!(
                    "choice {} picks thread {} as `{}`, but in this run thread {} is `{actual}`",
                    i + 1,
                    c.thread,
                    c.name,
                    c.thread
                ));
            }
        }
        Ok(replayed)
    }
}

/// A run's events as log lines, as the screen's log shows them: `   5.00 ms T1 reads n = 2`
/// (`T1 读到 n = 2` in Chinese).
pub fn log_lines(events: &[Event], lang: Lang) -> Vec<String> {
    let t = Trace::from_events(events);
    t.log
        .iter()
        .map(|l| format!("{:>9} {}", fmt_ns(l.at_ns), t.text(l, lang)))
        .collect()
}
