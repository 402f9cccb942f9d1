//! The command line: `lockstep` (the app), `tui`, `list`, `run`, `record`, `sweep` and
//! `completions`. Errors are one line and exit with status 2; a run whose checks fail exits
//! with 1.

use crate::content::{self, Lang, Lesson, MAX_SCALE, MIN_SCALE};
use crate::engine::trace::fmt_ns;
use crate::engine::{Config, Mode};
use crate::lessons;
use crate::params::{Params, parse_override};
use crate::record;
use crate::runner::{self, VariantResult};
use crate::shown::{escape_controls, escape_controls_but_newlines, shown};
use crate::tui;
use crate::words::cli::Words;
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use serde::Serialize;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Why a command stopped early.
#[derive(Debug)]
enum Fail {
    /// One line on stderr, exit status 2.
    Msg(String),
    /// Standard output's reader went away (`lockstep list | head -1`): end quietly, as other
    /// Unix tools do, with 128 + SIGPIPE.
    ClosedPipe,
}

impl From<String> for Fail {
    fn from(msg: String) -> Fail {
        Fail::Msg(msg)
    }
}

impl From<&str> for Fail {
    fn from(msg: &str) -> Fail {
        Fail::Msg(msg.to_string())
    }
}

/// The status a closed pipe ends with: 128 + SIGPIPE (13), as a shell reports a tool it killed.
const CLOSED_PIPE_STATUS: u8 = 141;

/// Write `text` to standard output. A closed pipe ends the program quietly; any other error
/// (a full disk) is one line.
fn emit(text: &str) -> Result<(), Fail> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::BrokenPipe => Fail::ClosedPipe,
            _ => Fail::Msg(format!("cannot write the output: {e}")),
        })
}

/// One line on stderr; never a panic, even when stderr itself is gone.
fn say(line: &str) {
    let line = crate::shown::error_line(line);
    let _ = writeln!(std::io::stderr().lock(), "lockstep: {line}");
}

#[derive(Parser, Debug)]
#[command(
    name = "lockstep",
    version,
    about = "Learn concurrency by running it: lessons on real threads, in your terminal",
    after_help = "With no command, opens the app."
)]
pub struct Cli {
    /// Load lesson texts from DIR (edited copies of lessons/*.toml) instead of the built-in ones
    #[arg(long, global = true, value_name = "DIR")]
    pub lessons_dir: Option<PathBuf>,
    /// Language of the app and of the commands' text and Markdown (JSON and CSV stay the same)
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,
    /// Record the app's screen into FILE (asciicast v2, for any asciicast player), with a
    /// marker at every lesson step and run
    #[arg(long, global = true, value_name = "FILE")]
    pub cast: Option<PathBuf>,
    /// Do not save progress (lessons visited, steps seen, challenges met, answers)
    #[arg(long, global = true)]
    pub no_save: bool,
    /// Let --cast and --trace replace a file that exists
    #[arg(long, global = true)]
    pub force: bool,
    /// The app's colours: dark (the default), light (for a light terminal), contrast (for a
    /// projector) or mono (no colour; also what NO_COLOR asks for). C changes it in the app
    #[arg(long, global = true, value_name = "LOOK", value_parser = ["dark", "light", "contrast", "mono"])]
    pub theme: Option<String>,
    /// Presenter mode: the step text, the panel and the timeline, large, without the rest
    /// (z in the app)
    #[arg(long, global = true)]
    pub present: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Open the app, or one lesson directly
    Tui {
        /// The lesson to open (see `lockstep list`)
        lesson: Option<String>,
        /// Seed for the step and virtual modes' scheduling choices
        #[arg(long)]
        seed: Option<u64>,
        /// Every lesson second lasts SCALE real seconds in live runs (default: the lesson's)
        #[arg(long, value_parser = parse_scale, allow_negative_numbers = true)]
        scale: Option<f64>,
        /// Set a parameter of the lesson opened, e.g. --param threads=5 (repeatable)
        #[arg(long = "param", value_name = "K=V", value_parser = parse_override)]
        params: Vec<(String, String)>,
    },
    /// List the lessons
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Run a lesson's variants without a terminal and print what they showed
    Run(RunArgs),
    /// Time a lesson's variants over several runs: a table of measured, ideal and the tutorial's
    Record(RecordArgs),
    /// Time variants over a range of one parameter, e.g. --param threads=1,10,50,100
    Sweep(SweepArgs),
    /// Run a variant under every schedule and count how each way of ending comes about
    Explore(ExploreArgs),
    /// Print a shell completion script to standard output
    ///
    /// For instance, for bash:
    /// `lockstep completions bash > ~/.local/share/bash-completion/completions/lockstep`;
    /// for zsh: `lockstep completions zsh > ~/.zfunc/_lockstep` (with ~/.zfunc in fpath);
    /// for fish: `lockstep completions fish > ~/.config/fish/completions/lockstep.fish`.
    Completions {
        /// The shell the script is for
        shell: clap_complete::Shell,
    },
}

#[derive(clap::Args, Debug)]
pub struct RecordArgs {
    /// The lesson (see `lockstep list`)
    pub lesson: String,
    /// Record only this variant (repeatable); all of them by default
    #[arg(long = "variant", value_name = "ID")]
    pub variants: Vec<String>,
    /// live, virtual, or both (a row for each)
    #[arg(long, value_enum, default_value = "live")]
    pub mode: RecordMode,
    /// Runs per variant and mode; rows give min, median and max
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub repeat: u32,
    /// Every lesson second lasts SCALE seconds (default: the lesson's)
    #[arg(long, value_parser = parse_scale, allow_negative_numbers = true)]
    pub scale: Option<f64>,
    /// The first run's seed; repeat i uses seed + i (default: a fresh one, in the header)
    #[arg(long)]
    pub seed: Option<u64>,
    /// Set a lesson parameter, e.g. --param threads=10 (repeatable)
    #[arg(long = "param", value_name = "K=V", value_parser = parse_override)]
    pub params: Vec<(String, String)>,
    #[arg(long, value_enum, default_value = "md")]
    pub format: RecordFormat,
    /// Write the results to FILE instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// No progress bar on stderr
    #[arg(long)]
    pub quiet: bool,
}

#[derive(clap::Args, Debug)]
pub struct SweepArgs {
    /// The lesson (see `lockstep list`)
    pub lesson: String,
    /// The parameter to sweep with its values, K=V1,V2,... (other --param K=V stay fixed)
    #[arg(long = "param", value_name = "K=V[,V...]", value_parser = parse_override, required = true)]
    pub params: Vec<(String, String)>,
    /// Sweep only this variant (repeatable); all of them by default
    #[arg(long = "variant", value_name = "ID")]
    pub variants: Vec<String>,
    #[arg(long, value_enum, default_value = "live")]
    pub mode: RunMode,
    /// Runs per value; rows give min, median and max
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub repeat: u32,
    #[arg(long, value_parser = parse_scale, allow_negative_numbers = true)]
    pub scale: Option<f64>,
    #[arg(long)]
    pub seed: Option<u64>,
    #[arg(long, value_enum, default_value = "md")]
    pub format: RecordFormat,
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[arg(long)]
    pub quiet: bool,
}

#[derive(clap::Args, Debug)]
pub struct ExploreArgs {
    /// The lesson (see `lockstep list`)
    pub lesson: String,
    /// The variant to explore
    #[arg(long, value_name = "ID")]
    pub variant: String,
    /// Set a lesson parameter, e.g. --param threads=2 (repeatable)
    #[arg(long = "param", value_name = "K=V", value_parser = parse_override)]
    pub params: Vec<(String, String)>,
    /// Every lesson second lasts SCALE seconds on the virtual clock (default: the lesson's)
    #[arg(long, value_parser = parse_scale, allow_negative_numbers = true)]
    pub scale: Option<f64>,
    /// Seed of the sample (and of the demo's own random numbers)
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Runs the exhaustive search may make before it counts a random sample instead
    #[arg(long, default_value_t = crate::explore::MAX_RUNS,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=10_000_000))]
    pub max_runs: usize,
    /// Schedules in the random sample, when the search is too big
    #[arg(long, default_value_t = crate::explore::SAMPLES,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=10_000_000))]
    pub samples: usize,
    /// Stop after this many seconds, counting what was run by then
    #[arg(long, value_name = "SECONDS", default_value_t = crate::explore::TIME_LIMIT.as_secs_f64(),
          value_parser = parse_seconds)]
    pub time_limit: f64,
    /// Count every order of independent steps as a schedule of its own (no reduction)
    #[arg(long)]
    pub every_order: bool,
    /// Save each ending's shortest schedule as FILE-1.json, FILE-2.json, ... (in the order
    /// printed), for `lockstep run --schedule` or the app's step mode; new files only
    #[arg(long, value_name = "STEM")]
    pub save: Option<PathBuf>,
    /// No progress on stderr
    #[arg(long)]
    pub quiet: bool,
    #[arg(long, value_enum, default_value = "text")]
    pub format: ExploreFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExploreFormat {
    Text,
    Json,
    Md,
}

fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 86_400.0 => Ok(v),
        _ => Err(format!(
            "must be a number of seconds above 0 and at most 86400, got `{}`",
            shown(s)
        )),
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordMode {
    Live,
    Virtual,
    Both,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordFormat {
    Csv,
    Json,
    Md,
    /// All three from the same runs: --out STEM writes STEM.md, STEM.csv and STEM.json
    All,
}

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// The lesson (see `lockstep list`); a schedule names its own
    #[arg(required_unless_present = "schedule")]
    pub lesson: Option<String>,
    /// Run only this variant (repeatable); all of them by default
    #[arg(long = "variant", value_name = "ID")]
    pub variants: Vec<String>,
    /// live (default): real threads on the real clock; virtual: one thread at a time on a
    /// virtual clock
    #[arg(long, value_enum)]
    pub mode: Option<RunMode>,
    /// Every lesson second lasts SCALE seconds on the run's clock (default: the lesson's)
    #[arg(long, value_parser = parse_scale, allow_negative_numbers = true)]
    pub scale: Option<f64>,
    /// Seed for the virtual mode's scheduling choices (default: a fresh one, printed)
    #[arg(long)]
    pub seed: Option<u64>,
    /// Set a lesson parameter, e.g. --param threads=10 (repeatable)
    #[arg(long = "param", value_name = "K=V", value_parser = parse_override)]
    pub params: Vec<(String, String)>,
    /// Replay a saved schedule (the app's `w`) on the virtual clock: its variant, parameters,
    /// scale, seed and every scheduling choice
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with_all = ["variants", "scale", "seed", "params"]
    )]
    pub schedule: Option<PathBuf>,
    /// Also print every event of each run, one line each, as the app's log shows them
    #[arg(long)]
    pub log: bool,
    /// Write the runs to FILE in the Chrome trace event format (open it in Perfetto or
    /// chrome://tracing): a new file only, unless --force
    #[arg(long, value_name = "FILE")]
    pub trace: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunMode {
    Live,
    Virtual,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LangArg {
    En,
    Zh,
}

fn parse_scale(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (MIN_SCALE..=MAX_SCALE).contains(&v) => Ok(v),
        _ => Err(format!(
            "must be a number above 0 (at least {MIN_SCALE}) and at most {MAX_SCALE} (e.g. \
             0.1), got `{}`",
            shown(s)
        )),
    }
}

/// Parse the arguments and do what they say.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                return match emit(&e.render().to_string()) {
                    Err(Fail::Msg(msg)) => {
                        say(&msg);
                        ExitCode::from(2)
                    }
                    Err(Fail::ClosedPipe) => ExitCode::from(CLOSED_PIPE_STATUS),
                    Ok(()) => ExitCode::SUCCESS,
                };
            }
            // One line: clap's first, without the usage block.
            let text = e.to_string();
            let first = text.lines().next().unwrap_or("bad arguments");
            let first = first.trim_start_matches("error: ");
            say(&format!("{first} (see lockstep --help)"));
            return ExitCode::from(2);
        }
    };
    match dispatch(cli) {
        Ok(code) => code,
        Err(Fail::ClosedPipe) => ExitCode::from(CLOSED_PIPE_STATUS),
        Err(Fail::Msg(msg)) => {
            say(&msg);
            ExitCode::from(2)
        }
    }
}

fn dispatch(cli: Cli) -> Result<ExitCode, Fail> {
    let lessons = content::load(cli.lessons_dir.as_deref()).map_err(|e| e.to_string())?;
    let lang = match cli.lang {
        Some(LangArg::Zh) => Lang::Zh,
        _ => Lang::En,
    };
    let cast = cli.cast.as_deref();
    if cast.is_some() && !matches!(cli.command, None | Some(Command::Tui { .. })) {
        return Err(Fail::from(
            "--cast records the app's screen: use it with `lockstep` or `lockstep tui`",
        ));
    }
    if let Some(path) = cast
        && !cli.force
        && std::fs::symlink_metadata(path).is_ok()
    {
        return Err(Fail::Msg(format!(
            "the cast {} exists: give --force to replace it, or another name",
            path.display()
        )));
    }
    let store = crate::progress::Store::user(cli.no_save);
    let look = (
        cli.theme.as_deref().and_then(tui::theme::Look::parse),
        cli.present,
    );
    match cli.command {
        None => {
            let opts = tui::Options {
                lessons,
                open: None,
                lang,
                seed: None,
                scale: None,
                params: Vec::new(),
            };
            open_tui(opts, store, cast, cli.force, look)
        }
        Some(Command::Tui {
            lesson,
            seed,
            scale,
            params,
        }) => {
            once_each(&params)?;
            match &lesson {
                Some(id) => {
                    let text = find_lesson(&lessons, id)?;
                    Params::resolve(&text.id, &text.params, &params)?;
                }
                None if !params.is_empty() => {
                    return Err("--param needs a lesson: lockstep tui LESSON --param K=V".into());
                }
                None => {}
            }
            let opts = tui::Options {
                lessons,
                open: lesson,
                lang,
                seed,
                scale,
                params,
            };
            open_tui(opts, store, cast, cli.force, look)
        }
        Some(Command::List { format }) => {
            emit(&list(&lessons, lang, format))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Run(args)) => run(&lessons, lang, &args, cli.force),
        Some(Command::Record(args)) => record(&lessons, lang, &args),
        Some(Command::Sweep(args)) => sweep(&lessons, lang, &args),
        Some(Command::Explore(args)) => explore(&lessons, lang, &args),
        Some(Command::Completions { shell }) => {
            print!("{}", completions(shell));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The completion script for `shell`: every command, option and value clap knows.
pub fn completions(shell: clap_complete::Shell) -> String {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "lockstep", &mut out);
    String::from_utf8(out).expect("clap writes UTF-8")
}

fn open_tui(
    opts: tui::Options,
    store: crate::progress::Store,
    cast: Option<&std::path::Path>,
    force: bool,
    (look, present): (Option<tui::theme::Look>, bool),
) -> Result<ExitCode, Fail> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(Fail::from(
            "the app needs a terminal; without one, try `lockstep list` or `lockstep run LESSON`",
        ));
    }
    // The cast's file first: a path that cannot be written is an error before the screen opens.
    let cast = match cast {
        Some(path) => {
            let title = match &opts.open {
                Some(id) => format!("lockstep {id}"),
                None => "lockstep".to_string(),
            };
            let size = ratatui::crossterm::terminal::size().unwrap_or((80, 24));
            let c = tui::cast::Cast::create(path, &title, size, force)
                .map_err(|e| format!("cannot write the cast {}: {e}", path.display()))?;
            Some(c)
        }
        None => None,
    };
    let signal = tui::run_shown(opts, store, cast.clone(), look, present)
        .map_err(|e| format!("terminal error: {e}"))?;
    let mut cut = false;
    if let Some(c) = cast {
        match c.error() {
            Some(e) => {
                cut = true;
                say(&format!(
                    "the cast {} stopped early: {e} (it ends at the last whole event)",
                    c.path().display()
                ));
            }
            None => say(&format!(
                "the session is recorded in {}",
                c.path().display()
            )),
        }
    }
    // Ended by SIGINT, SIGTERM or SIGHUP: 128 + n, as shells expect.
    Ok(match signal {
        Some(n) => ExitCode::from(128 + n as u8),
        None if cut => ExitCode::from(2),
        None => ExitCode::SUCCESS,
    })
}

fn find_lesson<'a>(lessons: &'a [Lesson], id: &str) -> Result<&'a Lesson, String> {
    lessons.iter().find(|l| l.id == id).ok_or_else(|| {
        let known: Vec<&str> = lessons.iter().map(|l| l.id.as_str()).collect();
        format!(
            "unknown lesson `{}` (known: {})",
            shown(id),
            known.join(", ")
        )
    })
}

#[derive(Serialize)]
struct ListEntry<'a> {
    id: &'a str,
    title: &'a str,
    summary: &'a str,
    python: &'a str,
    variants: Vec<&'a str>,
    params: Vec<&'a str>,
}

/// The lessons, one a line (text) or as `{"lessons": [...]}` (json).
pub fn list(lessons: &[Lesson], lang: Lang, format: Format) -> String {
    match format {
        Format::Json => {
            let entries: Vec<ListEntry> = lessons
                .iter()
                .map(|l| ListEntry {
                    id: &l.id,
                    title: l.title.get(lang),
                    summary: l.summary.get(lang),
                    python: &l.python,
                    variants: l.variants.iter().map(|v| v.id.as_str()).collect(),
                    params: l.params.iter().map(|p| p.key.as_str()).collect(),
                })
                .collect();
            let doc = serde_json::json!({ "lessons": entries });
            format!(
                "{}\n",
                serde_json::to_string_pretty(&doc).expect("plain data")
            )
        }
        Format::Text => {
            let width = lessons.iter().map(|l| l.id.len()).max().unwrap_or(0);
            let mut out = String::new();
            for (i, l) in lessons.iter().enumerate() {
                out.push_str(&format!(
                    "{:>2}. {:<width$}  {}: {}\n",
                    i + 1,
                    l.id,
                    escape_controls(l.title.get(lang)),
                    escape_controls(l.summary.get(lang))
                ));
                let variants: Vec<&str> = l.variants.iter().map(|v| v.id.as_str()).collect();
                out.push_str(&format!(
                    "    {:<width$}  {}\n",
                    "",
                    Words(lang).variants(&variants.join(", "))
                ));
            }
            escape_controls_but_newlines(&out)
        }
    }
}

#[derive(Serialize)]
struct RunOutput<'a> {
    lesson: &'a str,
    mode: &'static str,
    scale: f64,
    seed: u64,
    params: &'a Params,
    #[serde(skip)]
    results: &'a [VariantResult],
    /// The results as JSON writes them: in English whatever --lang says (data for scripts).
    variants: Vec<VariantOut<'a>>,
    /// With --log: each variant's events as log lines, by variant id.
    #[serde(skip_serializing_if = "Option::is_none")]
    log: Option<std::collections::BTreeMap<String, Vec<String>>>,
    /// With --schedule: the file replayed.
    #[serde(skip_serializing_if = "Option::is_none")]
    schedule: Option<String>,
}

/// A run the system refused a thread ended without a verdict: one line, status 2.
fn refused(results: &[VariantResult]) -> Result<(), Fail> {
    match results.iter().find_map(|r| r.report.refused.clone()) {
        Some(why) => Err(Fail::Msg(why)),
        None => Ok(()),
    }
}

/// One variant's result as `run --format json` writes it.
#[derive(Serialize)]
struct VariantOut<'a> {
    id: &'a str,
    elapsed_ms: f64,
    ideal_ms: f64,
    fidelity: f64,
    outcome: &'a crate::engine::Outcome,
    ok: bool,
    checks: Vec<CheckOut<'a>>,
    deadlock: &'a Option<crate::engine::Deadlock>,
}

#[derive(Serialize)]
struct CheckOut<'a> {
    name: &'a str,
    ok: bool,
    detail: &'a str,
}

impl<'a> VariantOut<'a> {
    fn all(results: &'a [VariantResult]) -> Vec<VariantOut<'a>> {
        let lang = Lang::En;
        results
            .iter()
            .map(|r| VariantOut {
                id: &r.id,
                elapsed_ms: r.elapsed_ms,
                ideal_ms: r.ideal_ms,
                fidelity: r.fidelity,
                outcome: &r.outcome,
                ok: r.ok,
                checks: r
                    .checks
                    .iter()
                    .map(|c| CheckOut {
                        name: c.name.get(lang),
                        ok: c.ok,
                        detail: c.detail.get(lang),
                    })
                    .collect(),
                deadlock: &r.deadlock,
            })
            .collect()
    }
}

/// The lesson's code and the chosen variants (all, by default), in the lesson's order.
fn lesson_and_variants(
    text: &Lesson,
    asked: &[String],
) -> Result<(&'static dyn lessons::AnyLesson, Vec<&'static str>), String> {
    let lesson = lessons::find(&text.id)
        .ok_or_else(|| format!("lesson `{}` has no demo code yet", text.id))?;
    let known = lesson.variants();
    for v in asked {
        if !known.contains(&v.as_str()) {
            return Err(format!(
                "unknown variant `{}` for {} (known: {})",
                shown(v),
                text.id,
                known.join(", ")
            ));
        }
    }
    let chosen = known
        .iter()
        .copied()
        .filter(|k| asked.is_empty() || asked.iter().any(|v| v == k))
        .collect();
    Ok((lesson, chosen))
}

/// Each `--param` key at most once: a second one is a mistake, not an override.
fn once_each(params: &[(String, String)]) -> Result<(), String> {
    for (i, (k, v)) in params.iter().enumerate() {
        if let Some((_, w)) = params[..i].iter().find(|(j, _)| j == k) {
            return Err(format!(
                "--param {} is given twice ({} and {}): give it once",
                shown(k),
                shown(w),
                shown(v)
            ));
        }
    }
    Ok(())
}

fn record(lessons: &[Lesson], lang: Lang, args: &RecordArgs) -> Result<ExitCode, Fail> {
    once_each(&args.params)?;
    let text = find_lesson(lessons, &args.lesson)?;
    let (lesson, variants) = lesson_and_variants(text, &args.variants)?;
    let params = Params::resolve(&text.id, &text.params, &args.params)?;
    let modes = match args.mode {
        RecordMode::Live => vec![Mode::Live],
        RecordMode::Virtual => vec![Mode::Virtual],
        RecordMode::Both => vec![Mode::Live, Mode::Virtual],
    };
    let spec = record::Spec {
        lesson,
        text,
        variants,
        modes,
        repeat: args.repeat as usize,
        scale: args.scale.unwrap_or(text.scale),
        seed: args.seed.unwrap_or_else(runner::fresh_seed),
        params,
        sweep: None,
    };
    write_recording(&spec, lang, args.format, args.out.as_deref(), args.quiet)
}

fn sweep(lessons: &[Lesson], lang: Lang, args: &SweepArgs) -> Result<ExitCode, Fail> {
    once_each(&args.params)?;
    let text = find_lesson(lessons, &args.lesson)?;
    let (lesson, variants) = lesson_and_variants(text, &args.variants)?;
    let fixed: Vec<(String, String)> = args
        .params
        .iter()
        .filter(|(_, v)| !v.contains(','))
        .cloned()
        .collect();
    let mut swept: Option<(String, Vec<f64>)> = None;
    for (k, v) in args.params.iter().filter(|(_, v)| v.contains(',')) {
        if swept.is_some() {
            return Err("sweep one parameter at a time (two --param have lists)".into());
        }
        // Each value with the fixed parameters: in range, and in order with its pair.
        let mut probe = Params::resolve(&text.id, &text.params, &fixed)?;
        let mut values = Vec::new();
        for item in v.split(',').map(str::trim) {
            if item.is_empty() {
                return Err(Fail::Msg(format!(
                    "--param {}={} has an empty value between its commas",
                    shown(k),
                    shown(v)
                )));
            }
            probe.set_str(k, item)?;
            probe.check_pairs()?;
            values.push(probe.get(k));
        }
        swept = Some((k.clone(), values));
    }
    let Some(sweep) = swept else {
        return Err(Fail::from(
            "give the parameter to sweep with its values, e.g. --param threads=1,10,50",
        ));
    };
    let params = Params::resolve(&text.id, &text.params, &fixed)?;
    let spec = record::Spec {
        lesson,
        text,
        variants,
        modes: vec![match args.mode {
            RunMode::Live => Mode::Live,
            RunMode::Virtual => Mode::Virtual,
        }],
        repeat: args.repeat as usize,
        scale: args.scale.unwrap_or(text.scale),
        seed: args.seed.unwrap_or_else(runner::fresh_seed),
        params,
        sweep: Some(sweep),
    };
    write_recording(&spec, lang, args.format, args.out.as_deref(), args.quiet)
}

fn explore(lessons: &[Lesson], lang: Lang, args: &ExploreArgs) -> Result<ExitCode, Fail> {
    once_each(&args.params)?;
    let text = find_lesson(lessons, &args.lesson)?;
    let (lesson, _) = lesson_and_variants(text, std::slice::from_ref(&args.variant))?;
    let params = Params::resolve(&text.id, &text.params, &args.params)?;
    let spec = crate::explore::Spec {
        lesson,
        variant: args.variant.clone(),
        params,
        scale: args.scale.unwrap_or(text.scale),
        seed: args.seed,
        max_runs: args.max_runs,
        samples: args.samples,
        time_limit: std::time::Duration::from_secs_f64(args.time_limit),
        reduce: !args.every_order,
    };
    use std::io::IsTerminal;
    let spinner = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    });
    let words = crate::words::explore::Words(lang);
    let mut progress = |runs: usize, counted: usize| {
        if let Some(bar) = &spinner {
            bar.set_message(words.exploring(runs, counted));
        }
    };
    let x = crate::explore::explore(&spec, &mut progress, &|| false);
    if let Some(bar) = spinner {
        bar.finish_and_clear();
    }
    if let Some(stem) = &args.save {
        let stem = stem.display().to_string();
        let stem = stem.strip_suffix(".json").unwrap_or(&stem);
        for i in 0..x.endings.len() {
            let schedule = x.schedule(i).expect("an ending");
            let path = PathBuf::from(format!("{stem}-{}.json", i + 1));
            crate::files::create_new(&path, schedule.to_json().as_bytes()).map_err(|e| {
                format!(
                    "cannot write {}: {e} (a schedule never replaces a file)",
                    path.display()
                )
            })?;
        }
    }
    let out = match args.format {
        ExploreFormat::Text => {
            escape_controls_but_newlines(&crate::explore::output::text(&x, lang))
        }
        ExploreFormat::Md => crate::explore::output::markdown(&x, lang),
        ExploreFormat::Json => crate::explore::output::json(&x),
    };
    emit(&out)?;
    Ok(ExitCode::SUCCESS)
}

fn write_recording(
    spec: &record::Spec,
    lang: Lang,
    format: RecordFormat,
    out: Option<&std::path::Path>,
    quiet: bool,
) -> Result<ExitCode, Fail> {
    let outputs: Vec<(RecordFormat, Option<PathBuf>)> = match (format, out) {
        (RecordFormat::All, Some(stem)) => [
            (RecordFormat::Md, "md"),
            (RecordFormat::Csv, "csv"),
            (RecordFormat::Json, "json"),
        ]
        .into_iter()
        .map(|(f, ext)| (f, Some(stem.with_extension(ext))))
        .collect(),
        (RecordFormat::All, None) => {
            return Err("--format all writes three files: give their name with --out STEM".into());
        }
        (f, path) => vec![(f, path.map(PathBuf::from))],
    };
    for path in outputs.iter().filter_map(|(_, p)| p.as_ref()) {
        // Fail before the runs, not after them; and touch nothing until they are done.
        crate::files::check_replaceable(path)?;
    }
    let mut progress = record::Progress::new(quiet, lang);
    let recording = record::record(spec, &mut |d, t, label| progress.update(d, t, label));
    progress.finish();
    let recording = recording?;
    let words = Words(lang);
    if !quiet {
        for w in recording.warnings_in(lang) {
            say(&words.warning(&w));
        }
    }
    // CSV and JSON are data, the same in every language; the table is for readers.
    let table = record::Recording {
        title: spec.text.title.get(lang).to_string(),
        ..recording.clone()
    };
    for (format, path) in outputs {
        let text = match format {
            RecordFormat::Csv => recording.to_csv(),
            RecordFormat::Json => recording.to_json(),
            RecordFormat::Md | RecordFormat::All => table.to_markdown_in(lang),
        };
        match path {
            // A temporary file beside it, renamed over it: the old file stays whole until then.
            Some(path) => crate::files::replace(&path, text.as_bytes())
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
            None => emit(&text)?,
        }
    }
    Ok(if recording.rows.iter().all(|r| r.ok) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn run(lessons: &[Lesson], lang: Lang, args: &RunArgs, force: bool) -> Result<ExitCode, Fail> {
    if let Some(path) = &args.trace {
        // Refused before the runs, not after them.
        if !force && std::fs::symlink_metadata(path).is_ok() {
            return Err(Fail::Msg(format!(
                "the trace {} exists: give --force to replace it, or another name",
                path.display()
            )));
        }
        crate::files::check_replaceable(path)?;
    }
    if let Some(file) = &args.schedule {
        return run_schedule(lessons, lang, args, file, force);
    }
    once_each(&args.params)?;
    let text = find_lesson(lessons, args.lesson.as_deref().unwrap_or_default())?;
    let (lesson, chosen) = lesson_and_variants(text, &args.variants)?;
    let params = Params::resolve(&text.id, &text.params, &args.params)?;
    let mode = match args.mode {
        Some(RunMode::Virtual) => Mode::Virtual,
        Some(RunMode::Live) | None => Mode::Live,
    };
    let scale = args.scale.unwrap_or(text.scale);
    let seed = args.seed.unwrap_or_else(runner::fresh_seed);
    let cfg = Config { mode, scale, seed };
    let mut logs = std::collections::BTreeMap::new();
    let mut traced = Vec::new();
    let results: Vec<VariantResult> = chosen
        .iter()
        .map(|v| {
            if !args.log && args.trace.is_none() {
                return runner::run_variant(lesson, v, &params, cfg);
            }
            let r = runner::replay_variant(lesson, v, &params, cfg, Vec::new());
            if args.log {
                logs.insert(v.to_string(), log_lines(&r.events, lang, args.format));
            }
            traced.push((v.to_string(), r.events));
            r.result
        })
        .collect();
    refused(&results)?;
    if let Some(path) = &args.trace {
        write_trace(path, &traced, force, lang)?;
    }
    let out = RunOutput {
        lesson: &text.id,
        mode: mode.name(),
        scale,
        seed,
        params: &params,
        results: &results,
        variants: VariantOut::all(&results),
        log: args.log.then_some(logs),
        schedule: None,
    };
    emit(&run_output(text, lang, args.format, &out))?;
    Ok(if results.iter().all(|r| r.ok) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `run --schedule FILE`: replay a saved schedule on the virtual clock.
fn run_schedule(
    lessons: &[Lesson],
    lang: Lang,
    args: &RunArgs,
    file: &std::path::Path,
    force: bool,
) -> Result<ExitCode, Fail> {
    if args.mode == Some(RunMode::Live) {
        return Err(Fail::from(
            "a schedule replays on the virtual clock: use --mode virtual (or leave --mode out)",
        ));
    }
    let schedule = crate::schedule::Schedule::load(file)?;
    let text = find_lesson(lessons, args.lesson.as_deref().unwrap_or(&schedule.lesson))?;
    if schedule.lesson != text.id {
        return Err(Fail::Msg(format!(
            "{} is a schedule of lesson `{}`, not `{}`",
            file.display(),
            schedule.lesson,
            text.id
        )));
    }
    let replayed = schedule
        .replay(lessons)
        .map_err(|e| format!("{}: {e}", file.display()))?;
    let (_, params) = schedule.resolve(lessons)?;
    let given = schedule.choices.len();
    if replayed.choices_made > given {
        say(&format!(
            "note: the schedule's {given} choices ran out: the seed made the other {}",
            replayed.choices_made - given
        ));
    }
    if let Some(path) = &args.trace {
        let runs = [(schedule.variant.clone(), replayed.events.clone())];
        write_trace(path, &runs, force, lang)?;
    }
    let results = vec![replayed.result];
    let mut logs = std::collections::BTreeMap::new();
    if args.log {
        logs.insert(
            schedule.variant.clone(),
            log_lines(&replayed.events, lang, args.format),
        );
    }
    let out = RunOutput {
        lesson: &text.id,
        mode: Mode::Virtual.name(),
        scale: schedule.scale,
        seed: schedule.seed,
        params: &params,
        results: &results,
        variants: VariantOut::all(&results),
        log: args.log.then_some(logs),
        schedule: Some(file.display().to_string()),
    };
    emit(&run_output(text, lang, args.format, &out))?;
    Ok(if results.iter().all(|r| r.ok) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `--trace FILE`: the runs as a Chrome trace; a note on stderr when it was cut off.
fn write_trace(
    path: &std::path::Path,
    runs: &[(String, Vec<crate::engine::Event>)],
    force: bool,
    lang: Lang,
) -> Result<(), Fail> {
    use crate::chrome_trace::{self, TracedRun};
    let runs: Vec<TracedRun> = runs
        .iter()
        .map(|(label, events)| TracedRun { label, events })
        .collect();
    let w = chrome_trace::write(&runs, chrome_trace::MAX_EVENTS);
    chrome_trace::save(path, &w.json, force)?;
    if w.left_out > 0 {
        say(&Words(lang).trace_cut(&path.display().to_string(), w.events, w.left_out));
    }
    Ok(())
}

/// What `run` prints: its JSON, or its table and logs.
fn run_output(text: &Lesson, lang: Lang, format: Format, out: &RunOutput) -> String {
    match format {
        Format::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(out).expect("plain data")
        ),
        Format::Text => {
            let mut s = run_text(text, lang, out);
            if let Some(logs) = &out.log {
                for (variant, lines) in logs {
                    s.push_str(&format!("\n{}\n", Words(lang).log_of(variant)));
                    for l in lines {
                        s.push_str(l);
                        s.push('\n');
                    }
                }
            }
            // Nothing from a lesson file reaches the terminal raw.
            escape_controls_but_newlines(&s)
        }
    }
}

fn outcome_text(text: &Lesson, r: &VariantResult, lang: Lang) -> String {
    if let Some(d) = &r.deadlock {
        return d.text(lang);
    }
    match lessons::find(&text.id) {
        Some(code) => lessons::outcome_line(code, &r.outcome, lang).0,
        None => String::new(),
    }
}

fn ms(v: f64) -> String {
    fmt_ns((v * 1e6).round().max(0.0) as u64)
}

fn run_text(text: &Lesson, lang: Lang, out: &RunOutput) -> String {
    let w = Words(lang);
    let mode = Mode::parse(out.mode).map_or(out.mode, |m| w.mode(m));
    let mut s = format!(
        "{} - {}\n{}\n",
        text.id,
        escape_controls(text.title.get(lang)),
        w.run_header(mode, out.scale, out.seed, &out.params.to_string())
    );
    if let Some(file) = &out.schedule {
        s.push_str(&format!("{}\n", w.replaying(file)));
    }
    s.push('\n');
    s.push_str(&format!(
        "{} {} {} {}  {} {}\n",
        left(w.col_variant(), 18),
        right(w.col_measured(), 10),
        right(w.col_ideal(), 10),
        right(w.col_fidelity(), 8),
        left(w.col_checks(), 6),
        w.col_outcome()
    ));
    for r in out.results {
        s.push_str(&format!(
            "{} {} {} {:>8.2}  {} {}\n",
            left(&r.id, 18),
            right(&ms(r.elapsed_ms), 10),
            right(&ms(r.ideal_ms), 10),
            r.fidelity,
            left(if r.ok { w.ok() } else { w.failed() }, 6),
            outcome_text(text, r, lang)
        ));
    }
    // The tutorial's figures only beside runs with the tutorial's parameters.
    let (figures, tutorial_params) = record::tutorial_figures(text, out.params);
    let published: Vec<String> = out
        .results
        .iter()
        .filter_map(|r| figures.iter().find(|(v, _, _)| *v == r.id))
        .map(|(v, seconds, outcome)| {
            w.tutorial_figure(
                v,
                &ms(seconds * 1000.0 * out.scale),
                &escape_controls(outcome),
                *seconds,
            )
        })
        .collect();
    if !published.is_empty() {
        s.push_str(&format!(
            "\n{}\n",
            w.tutorial_at_scale(&published.join(" · "))
        ));
    }
    if let Some(p) = tutorial_params {
        s.push_str(&format!("\n{}\n", w.tutorial_other_params(&p)));
    }
    for r in out.results {
        for c in r.checks.iter().filter(|c| !c.ok) {
            s.push_str(&format!(
                "{}\n",
                w.failed_check(&r.id, c.name.get(lang), c.detail.get(lang))
            ));
        }
    }
    s
}

/// `s` and spaces after it, `cells` wide on a terminal (Chinese characters take two).
fn left(s: &str, cells: usize) -> String {
    let pad = cells.saturating_sub(tui::wrap::width(s));
    format!("{s}{}", " ".repeat(pad))
}

/// Spaces and `s`, `cells` wide on a terminal.
fn right(s: &str, cells: usize) -> String {
    let pad = cells.saturating_sub(tui::wrap::width(s));
    format!("{}{s}", " ".repeat(pad))
}

/// `--log`'s lines: in the language asked for as text, in English as JSON (data for scripts).
fn log_lines(events: &[crate::engine::Event], lang: Lang, format: Format) -> Vec<String> {
    let lang = match format {
        Format::Text => lang,
        Format::Json => Lang::En,
    };
    crate::schedule::log_lines(events, lang)
}
