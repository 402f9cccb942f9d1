//! Lessons. A lesson is its text file, `lessons/ID.toml` (titles, steps, parameters,
//! challenges: what a teacher edits), and its folder, `src/lessons/MODULE/`, with everything
//! else: `demo.rs` (the demo code the learner reads, one function per variant), `mod.rs` (the
//! table of variants, the typed outcome and the checks), `words.rs` (its words in English and
//! Chinese) and, if it has one, `panel.rs` (its own panel). One line in [`lessons!`] below
//! registers it: the menu order, the embedded text and the demo's source come from there.

use crate::engine::{Config, Outcome, Run, RunReport, Tid};
use crate::params::Params;
use crate::tui::panel::Panel;
use crate::words::{Entry, Lang, Text};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Every lesson with its id (the text file's stem and the CLI name), in menu order: its
/// folder becomes a module, its text and demo source are embedded.
macro_rules! lessons {
    ($($id:literal => $module:ident :: $lesson:ident),* $(,)?) => {
        $(mod $module;)*

        static LESSONS: &[&dyn AnyLesson] = &[$(
            &Registered {
                id: $id,
                text: include_str!(concat!("../../lessons/", $id, ".toml")),
                source: (
                    concat!("src/lessons/", stringify!($module), "/demo.rs"),
                    include_str!(concat!(stringify!($module), "/demo.rs")),
                ),
                lesson: $module::$lesson,
            }
        ),*];
    };
}

lessons! {
    "kettle" => kettle::Kettle,
    "lock-vs-join" => lock_vs_join::LockVsJoin,
    "deadlock" => deadlock::Deadlock,
    "semaphore" => semaphore::SemaphoreLesson,
    "queues" => queues::Queues,
    "producer-consumer" => producer_consumer::ProducerConsumer,
    "tickets" => tickets::Tickets,
    "daemon" => daemon::Daemon,
    "processes" => processes::Processes,
    "gil" => gil::GilLesson,
    "event-loop" => event_loop::EventLoop,
    "thread-local" => thread_local::ThreadLocalLesson,
    "master-worker" => master_worker::MasterWorker,
}

/// Every lesson, in menu order.
pub fn all() -> &'static [&'static dyn AnyLesson] {
    LESSONS
}

pub fn find(id: &str) -> Option<&'static dyn AnyLesson> {
    LESSONS.iter().copied().find(|l| l.id() == id)
}

/// The process function with this path, in any lesson's table or the runtime's own tests'.
pub fn process_fn(name: &str) -> Option<crate::engine::process::ProcessFn> {
    LESSONS
        .iter()
        .flat_map(|l| l.processes())
        .chain(crate::engine::process::SELFTEST)
        .find(|p| (p.name)() == name)
        .copied()
}

/// What a lesson's Rust says about it: implemented once per lesson, in its `mod.rs`.
pub trait Lesson: Sync + Sized + 'static {
    /// What the variants' demo functions return (each converts into it with `From`).
    type Returns: Send + 'static;
    /// What a run showed: the numbers the timings, records and challenges read
    /// (`outcome.KEY`), made from what the demo returned and the run's report.
    type Outcome: Serialize + DeserializeOwned;
    /// The lesson's words (`Words::ENTRIES` of its catalog).
    const WORDS: &'static [Entry];
    /// Its process functions, which live child processes run by name (`process_fn!`).
    const PROCESSES: &'static [crate::engine::process::ProcessFn] = &[];
    /// The variants, in menu order: each id written once, with its demo function, its ideal
    /// time and its own checks.
    const VARIANTS: &'static [Variant<Self>];
    /// The outcome of a run whose main function returned `returned` (`None` when it did not:
    /// a deadlock, a stuck run). `None` when there is nothing to tell.
    fn outcome(&self, returned: Option<Self::Returns>, run: &RunReport) -> Option<Self::Outcome>;
    /// The outcome in a few words for tables, values first: "n = 99", "lost 99" (an alarm).
    fn facts(&self, out: &Self::Outcome, lang: Lang) -> Vec<Fact>;
    /// What must hold after every run of every variant (a variant adds its own).
    fn checks(&self, _p: &Params, _out: Option<&Self::Outcome>, _run: &RunReport) -> Vec<Check> {
        Vec::new()
    }
    /// The lesson's own panel, in the resources panel's place.
    fn panel(&self) -> Option<&'static dyn Panel> {
        None
    }
}

/// How long a variant takes by the lesson's formula, in lesson seconds (scale 1).
#[derive(Clone, Copy)]
pub enum Ideal {
    /// No formula (random stays, random cooking times): the virtual run tells.
    Unknown,
    /// The virtual run takes exactly this long: checked after every step and virtual run.
    Exact(fn(&Params) -> f64),
    /// About this long: the timeline's first width, a recording's guess at the time left.
    About(fn(&Params) -> f64),
}

/// The checks a variant adds, from the parameters, the outcome (if any) and the run.
pub type VariantChecks<L> = fn(&Params, Option<&<L as Lesson>::Outcome>, &RunReport) -> Vec<Check>;

/// One runnable version of a lesson's demo. Made with [`variant!`] and the builders below.
pub struct Variant<L: Lesson> {
    pub id: &'static str,
    /// The demo function, as written (`demo::no_lock`): the source panel starts there.
    pub function: &'static str,
    demo: fn(&Params) -> L::Returns,
    ideal: Ideal,
    deadlocks: bool,
    checks: VariantChecks<L>,
}

impl<L: Lesson> Variant<L> {
    pub const fn new(
        id: &'static str,
        function: &'static str,
        demo: fn(&Params) -> L::Returns,
    ) -> Self {
        Variant {
            id,
            function,
            demo,
            ideal: Ideal::Unknown,
            deadlocks: false,
            checks: |_, _, _| Vec::new(),
        }
    }

    /// Its time by formula, exactly (virtual runs are checked against it).
    pub const fn ideal(mut self, seconds: fn(&Params) -> f64) -> Self {
        self.ideal = Ideal::Exact(seconds);
        self
    }

    /// Its time by formula, roughly.
    pub const fn about(mut self, seconds: fn(&Params) -> f64) -> Self {
        self.ideal = Ideal::About(seconds);
        self
    }

    /// Meant to end in a detected deadlock (or a stuck run).
    pub const fn deadlocks(mut self) -> Self {
        self.deadlocks = true;
        self
    }

    /// What every run of this variant must show, beyond the lesson's own checks.
    pub const fn checks(mut self, checks: VariantChecks<L>) -> Self {
        self.checks = checks;
        self
    }
}

/// `variant!("no-lock", demo::no_lock)`: a variant whose demo is that function (its result
/// converted into the lesson's `Returns`).
#[macro_export]
macro_rules! variant {
    ($id:literal, $($demo:ident)::+) => {
        $crate::lessons::Variant::<Self>::new(
            $id,
            stringify!($($demo)::+),
            |p| $($demo)::+(p).into(),
        )
    };
}

/// One expectation of a variant, checked after every run, in both languages.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    pub name: Text,
    pub ok: bool,
    pub detail: Text,
}

impl Check {
    /// A check whose name and detail come from the words `W` (a lesson's or the program's
    /// catalog) in each language.
    pub fn new<W: From<Lang>, N: Into<String>, D: Into<String>>(
        ok: bool,
        words: impl Fn(W) -> (N, D),
    ) -> Check {
        let (en, zh) = (words(W::from(Lang::En)), words(W::from(Lang::Zh)));
        Check {
            name: Text {
                en: en.0.into(),
                zh: zh.0.into(),
            },
            ok,
            detail: Text {
                en: en.1.into(),
                zh: zh.1.into(),
            },
        }
    }
}

/// One piece of an outcome as a table shows it: "n = 99", "lost 99".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fact {
    pub text: String,
    /// Worth a colour: a lost update, a missed call.
    pub alarm: bool,
}

impl Fact {
    pub fn plain(text: impl Into<String>) -> Fact {
        Fact {
            text: text.into(),
            alarm: false,
        }
    }

    pub fn alarm(text: impl Into<String>, alarm: bool) -> Fact {
        Fact {
            text: text.into(),
            alarm,
        }
    }
}

/// A lesson as the rest of the program sees it: its id, texts and source, and its variants
/// by id. Every registered lesson is one, through its [`Lesson`] impl.
pub trait AnyLesson: Sync {
    /// The lesson's id: its file stem in `lessons/` and its CLI name.
    fn id(&self) -> &'static str;
    /// The embedded text file: its name as shown in messages, and its text.
    fn text(&self) -> (String, &'static str);
    /// The demo's source file: its path in the crate and its text, for the source panel.
    fn source(&self) -> (&'static str, &'static str);
    /// The variant ids, in menu order.
    fn variants(&self) -> Vec<&'static str>;
    /// The demo function of a variant, as written (`demo::no_lock`).
    fn function(&self, variant: &str) -> Option<&'static str>;
    /// Start a variant's demo on a new run, replaying `schedule` first (step and virtual).
    fn start(&self, variant: &str, p: &Params, cfg: Config, schedule: Vec<Tid>) -> Run;
    /// The variant's formula, if it has one.
    fn ideal(&self, variant: &str) -> Ideal;
    /// Whether the variant is meant to end in a detected deadlock or a stuck run.
    fn deadlocks(&self, variant: &str) -> bool;
    /// What a finished run showed, from what its main function returned (taken from `run`).
    fn outcome(&self, run: &Run, report: &RunReport) -> Outcome;
    /// The lesson's and the variant's checks of an outcome (empty when it has none).
    fn checks(&self, variant: &str, p: &Params, out: &Outcome, report: &RunReport) -> Vec<Check>;
    /// The outcome in a few words (an outcome that does not fit the lesson reads as its keys).
    fn facts(&self, out: &Outcome, lang: Lang) -> Vec<Fact>;
    fn panel(&self) -> Option<&'static dyn Panel>;
    /// The lesson's words, for the test that reads every catalog.
    fn words(&self) -> &'static [Entry];
    /// Its process functions, for live child processes.
    fn processes(&self) -> &'static [crate::engine::process::ProcessFn];
}

/// An outcome as one line of a table, values first ("n = 99, lost 99"; "—" for none), and
/// whether any of it is worth a colour.
pub fn outcome_line(lesson: &dyn AnyLesson, out: &Outcome, lang: Lang) -> (String, bool) {
    let facts = lesson.facts(out, lang);
    if facts.is_empty() {
        return ("—".into(), false);
    }
    let alarm = facts.iter().any(|f| f.alarm);
    let text: Vec<String> = facts.into_iter().map(|f| f.text).collect();
    (text.join(", "), alarm)
}

/// A lesson in the registry: its id, embedded text and source, and its Rust.
pub struct Registered<L: Lesson> {
    id: &'static str,
    text: &'static str,
    source: (&'static str, &'static str),
    lesson: L,
}

impl<L: Lesson> Registered<L> {
    fn variant(&self, id: &str) -> Option<&'static Variant<L>> {
        L::VARIANTS.iter().find(|v| v.id == id)
    }

    fn typed(out: &Outcome) -> Option<L::Outcome> {
        typed(out)
    }
}

/// A lesson's typed outcome read back from its map (none when it is empty or does not fit).
pub fn typed<T: DeserializeOwned>(out: &Outcome) -> Option<T> {
    if out.is_empty() {
        return None;
    }
    let map = out.clone().into_iter().collect();
    serde_json::from_value(serde_json::Value::Object(map)).ok()
}

impl<L: Lesson> AnyLesson for Registered<L> {
    fn id(&self) -> &'static str {
        self.id
    }

    fn text(&self) -> (String, &'static str) {
        (format!("lessons/{}.toml", self.id), self.text)
    }

    fn source(&self) -> (&'static str, &'static str) {
        self.source
    }

    fn variants(&self) -> Vec<&'static str> {
        L::VARIANTS.iter().map(|v| v.id).collect()
    }

    fn function(&self, variant: &str) -> Option<&'static str> {
        self.variant(variant).map(|v| v.function)
    }

    fn start(&self, variant: &str, p: &Params, cfg: Config, schedule: Vec<Tid>) -> Run {
        let v = self
            .variant(variant)
            .unwrap_or_else(|| panic!("no variant `{variant}` in {}: checked before", self.id));
        let (demo, p) = (v.demo, p.clone());
        Run::replay(cfg, schedule, move || demo(&p))
    }

    fn ideal(&self, variant: &str) -> Ideal {
        self.variant(variant).map_or(Ideal::Unknown, |v| v.ideal)
    }

    fn deadlocks(&self, variant: &str) -> bool {
        self.variant(variant).is_some_and(|v| v.deadlocks)
    }

    fn outcome(&self, run: &Run, report: &RunReport) -> Outcome {
        let returned = run.take_returned::<L::Returns>();
        let typed = self.lesson.outcome(returned, report);
        match typed.map(serde_json::to_value) {
            Some(Ok(serde_json::Value::Object(map))) => map.into_iter().collect(),
            _ => Outcome::new(),
        }
    }

    fn checks(&self, variant: &str, p: &Params, out: &Outcome, report: &RunReport) -> Vec<Check> {
        let typed = Self::typed(out);
        let mut checks = self.lesson.checks(p, typed.as_ref(), report);
        if let Some(v) = self.variant(variant) {
            checks.extend((v.checks)(p, typed.as_ref(), report));
        }
        checks
    }

    fn facts(&self, out: &Outcome, lang: Lang) -> Vec<Fact> {
        match Self::typed(out) {
            Some(o) => self.lesson.facts(&o, lang),
            None => out
                .iter()
                .map(|(k, v)| Fact::plain(format!("{k} = {v}")))
                .collect(),
        }
    }

    fn panel(&self) -> Option<&'static dyn Panel> {
        self.lesson.panel()
    }

    fn words(&self) -> &'static [Entry] {
        L::WORDS
    }

    fn processes(&self) -> &'static [crate::engine::process::ProcessFn] {
        L::PROCESSES
    }
}
