//! Lesson texts: titles, step texts (English and Chinese), parameters with their ranges and the
//! figures the tutorials published. They live in `lessons/<id>.toml`, are embedded in the binary,
//! and a directory given with `--lessons-dir` can override any of them without a rebuild.
//!
//! Every file is checked when it is read; a mistake is reported as one line,
//! `file:line: what is wrong`, so an author can jump straight to it.

use std::fmt;
use std::fs;
use std::ops::Range;
use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::Spanned;

pub use crate::words::{Lang, Text};

/// The texts of one lesson, as read from `lessons/<id>.toml`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Lesson {
    /// The file stem and CLI name, e.g. `lock-vs-join`.
    pub id: String,
    pub title: Text,
    /// One line for the menu.
    pub summary: Text,
    /// The Python idea this lesson explains, e.g. `threading.Lock vs Thread.join`.
    pub python: String,
    /// The default scale of a live run: every lesson second lasts `scale` real seconds.
    pub scale: f64,
    /// The runnable versions of the demo, in menu order.
    pub variants: Vec<VariantText>,
    pub params: Vec<ParamSpec>,
    /// Figures a tutorial published, shown beside ours; at most one per variant.
    pub published: Vec<Published>,
    pub steps: Vec<Step>,
    /// Goals the learner reaches by running the lesson, checked live (see `challenges`).
    pub challenges: Vec<Challenge>,
    /// Where the text came from, e.g. `lessons/lock-vs-join.toml` or an override's path.
    pub file: String,
}

impl Lesson {
    pub fn variant(&self, id: &str) -> Option<&VariantText> {
        self.variants.iter().find(|v| v.id == id)
    }

    pub fn param(&self, key: &str) -> Option<&ParamSpec> {
        self.params.iter().find(|p| p.key == key)
    }

    pub fn published_for(&self, variant: &str) -> Option<&Published> {
        self.published.iter().find(|p| p.variant == variant)
    }
}

/// One runnable version of a lesson's demo.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VariantText {
    pub id: String,
    pub title: Text,
    /// One or two sentences.
    pub about: Text,
}

/// A run parameter: its key (`--param key=value`), label, unit and range.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParamSpec {
    pub key: String,
    pub label: Text,
    /// Shown after the value, e.g. `s`, `threads`, `x`; may be empty.
    pub unit: String,
    pub default: f64,
    pub min: f64,
    pub max: f64,
    /// Whole numbers only (then `min`, `default` and `max` are whole too).
    pub integer: bool,
}

/// A figure a tutorial published for one variant.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Published {
    pub variant: String,
    pub seconds: f64,
    /// What the tutorial's run ended with, e.g. `n = 99`.
    pub outcome: String,
}

/// One step of a lesson's story.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Step {
    pub text: Text,
    /// The variant that running this step starts, if any.
    pub variant: Option<String>,
    /// A prediction asked before the step's run, revealed when it ends.
    pub question: Option<Question>,
}

/// "What will n be?": asked before a step's run; the run shows the truth, `why` explains it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Question {
    pub text: Text,
    /// Two to nine choices, answered with the keys 1–9.
    pub choices: Vec<Text>,
    /// The right choice, 1-based.
    pub answer: usize,
    /// One line: why the right choice is right.
    pub why: Text,
}

/// A goal reached by running the lesson, e.g. "make the final n wrong with only 2 threads".
/// Met by a run of `variant` in `mode` with `params` (each when given) whose condition holds
/// within `max_steps` scheduling choices. Taking a challenge on sets those up.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Challenge {
    /// `[a-z][a-z0-9-]*`, unique in the lesson: progress is kept under it.
    pub id: String,
    pub text: Text,
    pub hint: Option<Text>,
    pub variant: Option<String>,
    pub mode: Option<crate::engine::Mode>,
    /// Parameters the run must have, in the order written.
    pub params: Vec<(String, f64)>,
    pub max_steps: Option<u32>,
    pub when: crate::challenges::Condition,
}

/// A lesson file that cannot be used. Displays as one line: `file:line: message`
/// (or `file: message` when no single line is to blame).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentError {
    file: String,
    line: Option<usize>,
    message: String,
}

impl ContentError {
    fn new(file: impl Into<String>, line: Option<usize>, message: impl Into<String>) -> Self {
        let message: String = message.into();
        // Whatever produced the message, the error stays on one line.
        let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
        ContentError {
            file: file.into(),
            line,
            message,
        }
    }

    /// The file as named in the message, e.g. `lessons/lock-vs-join.toml`.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The 1-based line the problem is on, when one line is to blame.
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// What is wrong, without the file and line.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for ContentError {}

/// The ids of the embedded lessons, in menu order, without parsing them.
pub fn embedded_ids() -> Vec<&'static str> {
    crate::lessons::all().iter().map(|l| l.id()).collect()
}

/// Every embedded lesson (the text of every registered lesson), in menu order.
pub fn embedded() -> Result<Vec<Lesson>, ContentError> {
    let mut lessons: Vec<Lesson> = Vec::with_capacity(crate::lessons::all().len());
    for code in crate::lessons::all() {
        let (file, text) = code.text();
        let lesson = parse(&file, text)?;
        // The text names the variants the Rust runs, in the same order.
        let written: Vec<&str> = lesson.variants.iter().map(|v| v.id.as_str()).collect();
        if written != code.variants() {
            return Err(ContentError::new(
                file,
                None,
                format!(
                    "its variants ({}) are not the demo's ({})",
                    written.join(", "),
                    code.variants().join(", ")
                ),
            ));
        }
        if lessons.iter().any(|l| l.id == lesson.id) {
            return Err(ContentError::new(
                file,
                None,
                format!("lesson id `{}` is embedded twice", lesson.id),
            ));
        }
        lessons.push(lesson);
    }
    Ok(lessons)
}

/// The embedded lessons, with every `*.toml` in `dir` replacing the embedded lesson of the same id.
///
/// An override may change any text, the parameters' defaults, ranges and units, the published
/// figures and the steps, but must keep the variant ids and parameter keys the demo code uses.
pub fn load(dir: Option<&Path>) -> Result<Vec<Lesson>, ContentError> {
    let mut lessons = embedded()?;
    let Some(dir) = dir else {
        return Ok(lessons);
    };
    let dir_name = dir.display().to_string();
    let entries = fs::read_dir(dir).map_err(|e| {
        ContentError::new(
            &dir_name,
            None,
            format!("cannot read lessons directory: {e}"),
        )
    })?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| {
            ContentError::new(
                &dir_name,
                None,
                format!("cannot read lessons directory: {e}"),
            )
        })?;
        let path = entry.path();
        if path.extension().is_some_and(|ext| ext == "toml") && path.is_file() {
            paths.push(path);
        }
    }
    if paths.is_empty() {
        return Err(ContentError::new(
            &dir_name,
            None,
            "no lesson files (*.toml) in this folder: put edited copies of lessons/*.toml there",
        ));
    }
    paths.sort();
    for path in paths {
        let file = path.display().to_string();
        let text = crate::files::read_text(&path, crate::files::MAX_LESSON_BYTES)
            .map_err(|e| ContentError::new(&file, None, format!("cannot read: {e}")))?;
        let lesson = parse_checked(&file, &text, Some(&lessons))?;
        if let Some(slot) = lessons.iter_mut().find(|l| l.id == lesson.id) {
            *slot = lesson;
        }
    }
    Ok(lessons)
}

/// Parses and checks one lesson file. `file_name` is used in error messages, and its stem must
/// equal the lesson's `id`.
pub fn parse(file_name: &str, text: &str) -> Result<Lesson, ContentError> {
    parse_checked(file_name, text, None)
}

/// The scale of a lesson that names none.
pub const DEFAULT_SCALE: f64 = 0.1;

/// The largest scale a lesson or the command line may ask for.
pub const MAX_SCALE: f64 = 10.0;

/// The smallest: a lesson second lasts at least 100 µs (what `-` reaches in the app).
pub const MIN_SCALE: f64 = 0.0001;

// ---- the file as written: every field the checks point at keeps its place in the text ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLesson {
    id: Spanned<String>,
    title: RawText,
    summary: RawText,
    python: Spanned<String>,
    scale: Option<Spanned<f64>>,
    #[serde(default)]
    variants: Vec<Spanned<RawVariant>>,
    #[serde(default)]
    params: Vec<Spanned<RawParam>>,
    #[serde(default)]
    published: Vec<Spanned<RawPublished>>,
    #[serde(default)]
    steps: Vec<Spanned<RawStep>>,
    #[serde(default)]
    challenges: Vec<Spanned<RawChallenge>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawText {
    en: Spanned<String>,
    zh: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVariant {
    id: Spanned<String>,
    title: RawText,
    about: RawText,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParam {
    key: Spanned<String>,
    label: RawText,
    #[serde(default)]
    unit: String,
    default: Spanned<f64>,
    min: Spanned<f64>,
    max: Spanned<f64>,
    #[serde(default)]
    integer: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPublished {
    variant: Spanned<String>,
    seconds: Spanned<f64>,
    outcome: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    text: RawText,
    #[serde(default)]
    variant: Option<Spanned<String>>,
    #[serde(default)]
    question: Option<Spanned<RawQuestion>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    text: RawText,
    choices: Spanned<Vec<RawText>>,
    answer: Spanned<i64>,
    why: RawText,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChallenge {
    id: Spanned<String>,
    text: RawText,
    #[serde(default)]
    hint: Option<RawText>,
    #[serde(default)]
    variant: Option<Spanned<String>>,
    #[serde(default)]
    mode: Option<Spanned<String>>,
    #[serde(default)]
    params: Option<Spanned<toml::Table>>,
    #[serde(default)]
    max_steps: Option<Spanned<i64>>,
    when: Spanned<String>,
}

/// Builds errors that point into one file.
struct Source<'a> {
    file: &'a str,
    text: &'a str,
}

impl Source<'_> {
    fn line(&self, span: &Range<usize>) -> usize {
        let end = span.start.min(self.text.len());
        1 + self.text.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
    }

    fn at(&self, span: &Range<usize>, message: impl Into<String>) -> ContentError {
        ContentError::new(self.file, Some(self.line(span)), message)
    }

    fn whole(&self, message: impl Into<String>) -> ContentError {
        ContentError::new(self.file, None, message)
    }

    fn toml_error(&self, error: &toml::de::Error) -> ContentError {
        let mut message = error.message().replace("expected f64", "expected a number");
        let Some(span) = error.span() else {
            return self.whole(message);
        };
        // toml says only "duplicate key"; name it.
        if message == "duplicate key"
            && let Some(key) = self.text.get(span.clone())
        {
            message = format!("duplicate key `{}`", key.trim());
        }
        self.at(&span, message)
    }
}

fn parse_checked(file: &str, text: &str, known: Option<&[Lesson]>) -> Result<Lesson, ContentError> {
    let src = Source { file, text };
    let raw: RawLesson = toml::from_str(text).map_err(|e| src.toml_error(&e))?;
    let lesson = check(&src, raw)?;
    if let Some(known) = known {
        check_override(&src, text, &lesson, known)?;
    }
    Ok(Lesson {
        file: file.to_string(),
        ..lesson
    })
}

/// `[a-z][a-z0-9-]*`: usable as a CLI name and a file stem.
fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn check_name(src: &Source, what: &str, name: &Spanned<String>) -> Result<(), ContentError> {
    if is_name(name.get_ref()) {
        Ok(())
    } else {
        Err(src.at(
            &name.span(),
            format!(
                "{what} `{}` must be lowercase letters, digits and dashes, starting with a letter",
                name.get_ref()
            ),
        ))
    }
}

fn text(src: &Source, what: &str, raw: RawText) -> Result<Text, ContentError> {
    Ok(Text {
        en: non_empty(src, &format!("{what}.en"), raw.en)?,
        zh: non_empty(src, &format!("{what}.zh"), raw.zh)?,
    })
}

fn non_empty(src: &Source, what: &str, s: Spanned<String>) -> Result<String, ContentError> {
    let span = s.span();
    let value = s.into_inner().replace("\r\n", "\n").trim().to_string();
    if value.is_empty() {
        Err(src.at(&span, format!("{what} is empty")))
    } else {
        Ok(value)
    }
}

fn finite(src: &Source, what: &str, n: &Spanned<f64>) -> Result<f64, ContentError> {
    let v = *n.get_ref();
    if v.is_finite() {
        Ok(v)
    } else {
        Err(src.at(
            &n.span(),
            format!("{what} must be a finite number, not {v}"),
        ))
    }
}

fn check(src: &Source, raw: RawLesson) -> Result<Lesson, ContentError> {
    check_name(src, "id", &raw.id)?;
    let id = raw.id.get_ref().clone();
    let stem = Path::new(src.file)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if id != stem {
        return Err(src.at(
            &raw.id.span(),
            format!(
                "id `{id}` does not match the file name: the file must be named `{id}.toml` \
                 (or set id = \"{stem}\")"
            ),
        ));
    }
    let title = text(src, "title", raw.title)?;
    let summary = text(src, "summary", raw.summary)?;
    let python = non_empty(src, "python", raw.python)?;
    let scale = match &raw.scale {
        None => DEFAULT_SCALE,
        Some(given) => {
            let scale = finite(src, "scale", given)?;
            if !(MIN_SCALE..=MAX_SCALE).contains(&scale) {
                return Err(src.at(
                    &given.span(),
                    format!(
                        "scale {scale} must be above 0 (at least {MIN_SCALE}) and at most \
                         {MAX_SCALE}"
                    ),
                ));
            }
            scale
        }
    };

    if raw.variants.is_empty() {
        return Err(src.whole("a lesson needs at least one [[variants]] table"));
    }
    let mut variants: Vec<VariantText> = Vec::with_capacity(raw.variants.len());
    for (i, v) in raw.variants.into_iter().enumerate() {
        let v = v.into_inner();
        let here = format!("variants[{i}]");
        check_name(src, &format!("{here}: id"), &v.id)?;
        if let Some(first) = variants.iter().position(|o| &o.id == v.id.get_ref()) {
            return Err(src.at(
                &v.id.span(),
                format!(
                    "{here}: duplicate variant id `{}` (already used by variants[{first}])",
                    v.id.get_ref()
                ),
            ));
        }
        let here = format!("{here} `{}`", v.id.get_ref());
        variants.push(VariantText {
            title: text(src, &format!("{here}: title"), v.title)?,
            about: text(src, &format!("{here}: about"), v.about)?,
            id: v.id.into_inner(),
        });
    }
    let declared = || {
        variants
            .iter()
            .map(|v| v.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let check_variant = |here: &str, name: &Spanned<String>| {
        if variants.iter().any(|v| &v.id == name.get_ref()) {
            Ok(())
        } else {
            Err(src.at(
                &name.span(),
                format!(
                    "{here}: unknown variant `{}` (declared: {})",
                    name.get_ref(),
                    declared()
                ),
            ))
        }
    };

    let mut params: Vec<ParamSpec> = Vec::with_capacity(raw.params.len());
    for (i, p) in raw.params.into_iter().enumerate() {
        let p = p.into_inner();
        let here = format!("params[{i}]");
        check_name(src, &format!("{here}: key"), &p.key)?;
        let key = p.key.get_ref();
        if let Some(first) = params.iter().position(|o| &o.key == key) {
            return Err(src.at(
                &p.key.span(),
                format!("{here}: duplicate key `{key}` (already used by params[{first}])"),
            ));
        }
        let here = format!("{here} `{key}`");
        let min = finite(src, &format!("{here}: min"), &p.min)?;
        let max = finite(src, &format!("{here}: max"), &p.max)?;
        let default = finite(src, &format!("{here}: default"), &p.default)?;
        if p.integer {
            for (name, n) in [("min", &p.min), ("default", &p.default), ("max", &p.max)] {
                let v = *n.get_ref();
                if v.fract() != 0.0 {
                    return Err(src.at(
                        &n.span(),
                        format!("{here}: {name} {v} is not a whole number (integer = true)"),
                    ));
                }
            }
        }
        if min > max {
            return Err(src.at(
                &p.min.span(),
                format!("{here}: min {min} is above max {max}"),
            ));
        }
        if default > max {
            return Err(src.at(
                &p.default.span(),
                format!("{here}: default {default} is above max {max}"),
            ));
        }
        if default < min {
            return Err(src.at(
                &p.default.span(),
                format!("{here}: default {default} is below min {min}"),
            ));
        }
        params.push(ParamSpec {
            label: text(src, &format!("{here}: label"), p.label)?,
            key: p.key.into_inner(),
            unit: p.unit.trim().to_string(),
            default,
            min,
            max,
            integer: p.integer,
        });
    }

    let mut published: Vec<Published> = Vec::with_capacity(raw.published.len());
    for (i, p) in raw.published.into_iter().enumerate() {
        let p = p.into_inner();
        let here = format!("published[{i}]");
        check_variant(&here, &p.variant)?;
        if let Some(first) = published
            .iter()
            .position(|o| &o.variant == p.variant.get_ref())
        {
            return Err(src.at(
                &p.variant.span(),
                format!(
                    "{here}: variant `{}` already has a published figure (published[{first}])",
                    p.variant.get_ref()
                ),
            ));
        }
        let seconds = finite(src, &format!("{here}: seconds"), &p.seconds)?;
        if seconds < 0.0 {
            return Err(src.at(
                &p.seconds.span(),
                format!("{here}: seconds {seconds} is negative"),
            ));
        }
        published.push(Published {
            outcome: non_empty(src, &format!("{here}: outcome"), p.outcome)?,
            variant: p.variant.into_inner(),
            seconds,
        });
    }

    if raw.steps.is_empty() {
        return Err(src.whole("a lesson needs at least one [[steps]] table"));
    }
    let mut steps = Vec::with_capacity(raw.steps.len());
    for (i, s) in raw.steps.into_iter().enumerate() {
        let s = s.into_inner();
        let here = format!("steps[{i}]");
        if let Some(v) = &s.variant {
            check_variant(&here, v)?;
        }
        let question = match s.question {
            Some(q) => Some(question(src, &here, q)?),
            None => None,
        };
        steps.push(Step {
            text: text(src, &format!("{here}: text"), s.text)?,
            variant: s.variant.map(Spanned::into_inner),
            question,
        });
    }

    let mut challenges: Vec<Challenge> = Vec::with_capacity(raw.challenges.len());
    for (i, c) in raw.challenges.into_iter().enumerate() {
        let c = c.into_inner();
        let here = format!("challenges[{i}]");
        check_name(src, &format!("{here}: id"), &c.id)?;
        if let Some(first) = challenges.iter().position(|o| &o.id == c.id.get_ref()) {
            return Err(src.at(
                &c.id.span(),
                format!(
                    "{here}: duplicate challenge id `{}` (already used by challenges[{first}])",
                    c.id.get_ref()
                ),
            ));
        }
        let here = format!("{here} `{}`", c.id.get_ref());
        if let Some(v) = &c.variant {
            check_variant(&here, v)?;
        }
        challenges.push(challenge(src, &here, c, &params)?);
    }

    Ok(Lesson {
        id,
        title,
        summary,
        python,
        scale,
        variants,
        params,
        published,
        steps,
        challenges,
        file: String::new(),
    })
}

fn question(src: &Source, here: &str, q: Spanned<RawQuestion>) -> Result<Question, ContentError> {
    let q = q.into_inner();
    let here = format!("{here}: question");
    let choices_span = q.choices.span();
    let raw_choices = q.choices.into_inner();
    if !(2..=9).contains(&raw_choices.len()) {
        return Err(src.at(
            &choices_span,
            format!(
                "{here}: has {} choices; give 2 to 9 (they are answered with the keys 1-9)",
                raw_choices.len()
            ),
        ));
    }
    let mut choices = Vec::with_capacity(raw_choices.len());
    for (k, c) in raw_choices.into_iter().enumerate() {
        choices.push(text(src, &format!("{here}: choices[{k}]"), c)?);
    }
    let answer = *q.answer.get_ref();
    if answer < 1 || answer as usize > choices.len() {
        return Err(src.at(
            &q.answer.span(),
            format!(
                "{here}: answer {answer} is not one of the choices (1 to {})",
                choices.len()
            ),
        ));
    }
    Ok(Question {
        text: text(src, &format!("{here}: text"), q.text)?,
        choices,
        answer: answer as usize,
        why: text(src, &format!("{here}: why"), q.why)?,
    })
}

fn challenge(
    src: &Source,
    here: &str,
    c: RawChallenge,
    declared: &[ParamSpec],
) -> Result<Challenge, ContentError> {
    let mode = match &c.mode {
        None => None,
        Some(m) => Some(crate::engine::Mode::parse(m.get_ref()).ok_or_else(|| {
            src.at(
                &m.span(),
                format!(
                    "{here}: mode `{}` is not one of live, step, virtual",
                    m.get_ref()
                ),
            )
        })?),
    };
    let mut params = Vec::new();
    if let Some(table) = &c.params {
        for (key, value) in table.get_ref() {
            let Some(spec) = declared.iter().find(|p| &p.key == key) else {
                let known: Vec<&str> = declared.iter().map(|p| p.key.as_str()).collect();
                return Err(src.at(
                    &table.span(),
                    format!(
                        "{here}: unknown parameter `{key}` (declared: {})",
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    ),
                ));
            };
            let v = match value {
                toml::Value::Integer(i) => *i as f64,
                toml::Value::Float(f) if f.is_finite() => *f,
                other => {
                    return Err(src.at(
                        &table.span(),
                        format!("{here}: parameter `{key}` must be a number, not {other}"),
                    ));
                }
            };
            if v < spec.min || v > spec.max || (spec.integer && v.fract() != 0.0) {
                return Err(src.at(
                    &table.span(),
                    format!(
                        "{here}: parameter {key} = {v} is outside its range {}..{}{}",
                        spec.min,
                        spec.max,
                        if spec.integer { " (whole numbers)" } else { "" }
                    ),
                ));
            }
            params.push((key.clone(), v));
        }
    }
    let max_steps = match &c.max_steps {
        None => None,
        Some(m) => {
            let v = *m.get_ref();
            if !(1..=1_000_000).contains(&v) {
                return Err(src.at(
                    &m.span(),
                    format!("{here}: max_steps {v} must be at least 1"),
                ));
            }
            if mode == Some(crate::engine::Mode::Live) {
                return Err(src.at(
                    &m.span(),
                    format!("{here}: max_steps counts scheduling choices, which live runs do not make: use mode = \"step\""),
                ));
            }
            Some(v as u32)
        }
    };
    let keys: Vec<&str> = declared.iter().map(|p| p.key.as_str()).collect();
    let when = crate::challenges::Condition::parse(c.when.get_ref(), &keys).map_err(|e| {
        // The condition is a TOML string: point at its line, and say where in it.
        src.at(&c.when.span(), format!("{here}: when: {e}"))
    })?;
    Ok(Challenge {
        text: text(src, &format!("{here}: text"), c.text)?,
        hint: match c.hint {
            Some(h) => Some(text(src, &format!("{here}: hint"), h)?),
            None => None,
        },
        id: c.id.into_inner(),
        variant: c.variant.map(Spanned::into_inner),
        mode,
        params,
        max_steps,
        when,
    })
}

/// An override replaces an embedded lesson's text, but the demo code still defines the variants
/// and reads the parameters: their ids and keys must stay the same.
fn check_override(
    src: &Source,
    text: &str,
    lesson: &Lesson,
    known: &[Lesson],
) -> Result<(), ContentError> {
    let id_line = |key: &str, value: &str| find_line(text, key, value);
    let Some(original) = known.iter().find(|l| l.id == lesson.id) else {
        let names = known.iter().map(|l| l.id.as_str()).collect::<Vec<_>>();
        return Err(ContentError::new(
            src.file,
            id_line("id", &lesson.id),
            format!(
                "unknown lesson id `{}` (known: {})",
                lesson.id,
                names.join(", ")
            ),
        ));
    };
    let list = |ids: Vec<&str>| ids.join(", ");
    let want_variants = list(original.variants.iter().map(|v| v.id.as_str()).collect());
    for v in &lesson.variants {
        if original.variant(&v.id).is_none() {
            return Err(ContentError::new(
                src.file,
                id_line("id", &v.id),
                format!(
                    "variant `{}` has no demo code in {} (its variants: {want_variants})",
                    v.id, lesson.id
                ),
            ));
        }
    }
    for v in &original.variants {
        if lesson.variant(&v.id).is_none() {
            return Err(ContentError::new(
                src.file,
                None,
                format!(
                    "variant `{}` is missing; {} must declare all of {want_variants}",
                    v.id, lesson.id
                ),
            ));
        }
    }
    let want_params = list(original.params.iter().map(|p| p.key.as_str()).collect());
    for p in &lesson.params {
        if original.param(&p.key).is_none() {
            return Err(ContentError::new(
                src.file,
                id_line("key", &p.key),
                format!(
                    "parameter `{}` is not read by the demo code of {} (its parameters: {want_params})",
                    p.key, lesson.id
                ),
            ));
        }
    }
    for p in &original.params {
        if lesson.param(&p.key).is_none() {
            return Err(ContentError::new(
                src.file,
                None,
                format!(
                    "parameter `{}` is missing; {} must declare all of {want_params}",
                    p.key, lesson.id
                ),
            ));
        }
    }
    Ok(())
}

/// The 1-based line of `key = "value"`, for checks made after the spans are gone.
fn find_line(text: &str, key: &str, value: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            let Some((k, v)) = line.split_once('=') else {
                return false;
            };
            let v = v.trim();
            let v = v.split_once('#').map_or(v, |(before, _)| before).trim();
            k.trim() == key && v.trim_matches(|c| c == '"' || c == '\'') == value
        })
        .map(|i| i + 1)
}
