//! The timing views without a terminal: the comparison (c) and the sweep (w), driven by keys
//! through a real session, with virtual runs and fixed seeds (or recordings made up here) so
//! that nothing on screen depends on the clock or on this machine.

use crate::support::screen as support;
use lockstep::content::{self, Lang};
use lockstep::engine::{Mode, Outcome};
use lockstep::record::{Machine, Recording, Row};
use lockstep::tui::{App, Effect, JobKind, JobNews, Options, Pane, Screen, Session};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::text::Span;
use std::time::{Duration, Instant};
use support::{press, screen};

const SETTLE: Duration = Duration::from_secs(60);

fn lessons() -> Vec<content::Lesson> {
    content::embedded().expect("embedded lessons load")
}

/// The machine the screen judges timings against, the same everywhere the tests run.
fn machine(cores: usize) -> Machine {
    Machine {
        cores,
        os: "linux x86_64".into(),
        version: "0.1.0".into(),
    }
}

/// Lock-vs-join opened with `--param threads=N` if given, seed 7.
fn app(threads: Option<u32>, scale: Option<f64>) -> App {
    let mut app = App::new(Options {
        lessons: lessons(),
        open: Some("lock-vs-join".into()),
        lang: Lang::En,
        seed: Some(7),
        scale,
        params: threads
            .map(|n| vec![("threads".to_string(), n.to_string())])
            .unwrap_or_default(),
    });
    app.set_machine(machine(2));
    app
}

fn session(threads: Option<u32>, scale: Option<f64>) -> Session {
    Session::new(app(threads, scale))
}

fn chars(s: &mut Session, keys: &str) {
    for c in keys.chars() {
        press(s, KeyCode::Char(c));
    }
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// The sweep table's row of `variant` (not the chart's legend).
fn table_row<'a>(text: &'a str, variant: &str) -> &'a str {
    text.lines()
        .find(|l| {
            l.trim_start_matches('│')
                .starts_with(&format!("{variant} "))
                && !l.contains("││")
        })
        .unwrap_or_else(|| panic!("a table row for {variant}:\n{text}"))
}

fn line_with<'a>(text: &'a str, needle: &str) -> &'a str {
    text.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("a line with {needle:?}:\n{text}"))
}

/// Every variant once in virtual mode from the lesson (seed 7), then the comparison.
fn compared(threads: Option<u32>) -> Session {
    let mut s = session(threads, None);
    chars(&mut s, "mm"); // live → step → virtual
    for _ in 0..3 {
        press(&mut s, KeyCode::Enter);
        assert!(s.settle(SETTLE), "the run ends and is judged");
        chars(&mut s, "v");
    }
    chars(&mut s, "c");
    assert_eq!(s.app.pane(), Some(Pane::Compare));
    s
}

#[test]
fn c_compares_this_sessions_runs_measured_beside_ideal_and_the_tutorial() {
    let mut s = compared(None);
    let text = screen(&mut s.app, 120, 40);
    assert!(
        text.contains("Measured vs ideal · this session's runs"),
        "{text}"
    );
    assert!(
        text.contains("virtual · threads=100 work=3 critical=0.5"),
        "{text}"
    );
    // Each variant: its time, 1 run, its outcome and its checks; the ideal and its ratio; the
    // tutorial's figure at the same scale (0.52 s × 0.01) with the tutorial's outcome.
    let no_lock = line_with(&text, "no-lock virtual");
    assert!(
        no_lock.contains("5.00 ms") && no_lock.contains("n = 99, lost 99 ✓"),
        "{no_lock}"
    );
    let lock = line_with(&text, "lock    virtual");
    assert!(
        lock.contains("530.0 ms") && lock.contains("n = 0, lost 0"),
        "{lock}"
    );
    let join = line_with(&text, "join    virtual");
    assert!(join.contains("3.50 s"), "{join}");
    assert!(
        text.contains("5.20 ms  n = 99"),
        "the tutorial's 0.52 s at scale 0.01:\n{text}"
    );
    assert!(text.contains("ratio 1.00"), "{text}");
    // The longest time has the longest bar.
    let bar = |l: &str| l.chars().filter(|c| *c == '█').count();
    assert!(bar(join) > bar(lock) && bar(lock) >= bar(no_lock), "{text}");
    assert!(
        text.contains("scale 0.01: a lesson second lasts 10.0 ms"),
        "{text}"
    );
    // The history lists the three runs, oldest first.
    let h = text
        .split("History · 3")
        .nth(1)
        .expect("the history's title");
    let order: Vec<usize> = ["no-lock", "lock ", "join"]
        .iter()
        .map(|v| {
            h.find(v)
                .unwrap_or_else(|| panic!("{v} in the history:\n{h}"))
        })
        .collect();
    assert!(order[0] < order[1] && order[1] < order[2], "{h}");
}

#[test]
fn the_tutorials_figures_stand_only_beside_runs_of_its_own_setting() {
    let mut s = compared(Some(10));
    let text = screen(&mut s.app, 120, 40);
    assert!(
        !text.contains('▒'),
        "no tutorial bars, nor their legend: {text}"
    );
    assert!(
        text.contains(
            "The tutorial timed threads=100 work=3 critical=0.5: its figures are left out here."
        ),
        "{text}"
    );
}

#[test]
fn comparison_snapshots() {
    let mut s = compared(Some(10));
    insta::assert_snapshot!("compare_120x40", screen(&mut s.app, 120, 40));
    insta::assert_snapshot!("compare_80x24", screen(&mut s.app, 80, 24));
}

/// A recording as the record key would make it: three live runs of each variant, spread out.
fn made_up_recording(cores_needed: usize) -> Recording {
    let row = |variant: &str, min: f64, median: f64, max: f64, ideal: f64, n: i64, lost: i64| {
        let mut outcome = Outcome::new();
        outcome.insert("n".into(), n.into());
        outcome.insert("lost_updates".into(), lost.into());
        Row {
            lesson: "lock-vs-join".into(),
            variant: variant.into(),
            mode: "live",
            scale: 0.01,
            repeat: 3,
            param: None,
            min_ms: min,
            median_ms: median,
            max_ms: max,
            ideal_ms: ideal,
            fidelity: median / ideal,
            ok: true,
            outcome,
            cores_needed: match variant {
                "lock" => cores_needed,
                // More than 100 needs every variant warned about.
                _ if cores_needed > 100 => cores_needed,
                _ => 0,
            },
        }
    };
    let text = lessons()
        .into_iter()
        .find(|l| l.id == "lock-vs-join")
        .unwrap();
    Recording {
        lesson: "lock-vs-join".into(),
        title: text.title.en.clone(),
        scale: 0.01,
        seed: 42,
        params: lockstep::params::Params::defaults("lock-vs-join", &text.params),
        machine: machine(2),
        rows: vec![
            row("no-lock", 6.1, 7.5, 9.8, 5.0, 99, 99),
            row("lock", 380.0, 546.7, 1400.0, 530.0, 0, 0),
            row("join", 3510.0, 3570.0, 3720.0, 3500.0, 0, 0),
        ],
        published: text
            .published
            .iter()
            .map(|p| (p.variant.clone(), p.seconds, p.outcome.clone()))
            .collect(),
        tutorial_params: None,
    }
}

/// The app alone: Enter in the comparison asks for a recording; its news arrive by hand.
fn recorded(cores_needed: usize) -> App {
    let mut a = app(None, None);
    key(&mut a, KeyCode::Char('c'));
    let fx = key(&mut a, KeyCode::Enter);
    assert_eq!(
        fx[0],
        Effect::Cancel,
        "the lesson's run stops first: {fx:?}"
    );
    let Some(Effect::Job(req)) = fx.get(1) else {
        panic!("Enter asks for a recording: {fx:?}");
    };
    assert_eq!(
        (req.kind, req.mode, req.repeat, req.scale, req.seed),
        (JobKind::Record, Mode::Live, 3, 0.01, Some(7))
    );
    a.on_job(JobNews::Progress {
        id: req.id,
        done: 4,
        total: 9,
        label: "lock live".into(),
        seed: 8,
        elapsed_s: 12.4,
        left_s: Some(20.0),
    });
    let text = screen(&mut a, 120, 40);
    let progress = line_with(&text, "recording");
    assert!(
        progress.contains("4/9 lock live (seed 8) · 12 s, ~20 s left"),
        "{progress}"
    );
    assert!(text.contains("Esc cancel the runs"), "{text}");
    a.on_job(JobNews::Done {
        id: req.id,
        recording: Some(Box::new(made_up_recording(cores_needed))),
        why: None,
    });
    a
}

#[test]
fn a_fresh_recording_shows_each_variants_spread_and_the_cores_warning() {
    let mut a = recorded(4);
    let text = screen(&mut a, 120, 40);
    assert!(
        text.contains("Measured vs ideal · recorded just now"),
        "{text}"
    );
    assert!(text.contains("3 runs each · seed 42"), "{text}");
    let lock = line_with(&text, "lock    live");
    assert!(
        lock.contains("380.0 ms–1.40 s ×3"),
        "min–max and the runs: {lock}"
    );
    assert!(
        lock.contains('▓') && lock.contains('┤'),
        "the spread on the bar: {lock}"
    );
    assert!(
        text.contains(
            "lock: its ideal keeps 4 threads busy on the CPU at once and this machine has 2 cores"
        ),
        "{text}"
    );
    insta::assert_snapshot!("compare_recorded_120x40", text);
    insta::assert_snapshot!("compare_recorded_80x24", screen(&mut a, 80, 24));
}

#[test]
fn no_warning_when_the_machine_has_the_cores() {
    let mut a = recorded(2);
    let text = screen(&mut a, 120, 40);
    assert!(!text.contains("cannot reach it"), "{text}");
}

#[test]
fn a_run_in_the_lesson_after_a_recording_brings_back_the_sessions_runs() {
    let mut s = Session::new(recorded(0));
    press(&mut s, KeyCode::Esc); // back to the lesson
    assert_eq!(s.app.pane(), None);
    chars(&mut s, "mm");
    press(&mut s, KeyCode::Enter);
    assert!(s.settle(SETTLE));
    chars(&mut s, "c");
    let text = screen(&mut s.app, 120, 40);
    assert!(text.contains("this session's runs"), "{text}");
    assert!(
        line_with(&text, "no-lock virtual").contains("1 run"),
        "{text}"
    );
    assert!(text.contains("— not run at this setting"), "{text}");
}

#[test]
fn recording_from_the_comparison_times_every_variant_and_fills_the_history() {
    // Three threads at scale 0.001: the whole recording takes a few milliseconds of sleeps.
    let mut s = session(Some(3), Some(0.001));
    chars(&mut s, "c2"); // two runs of each
    press(&mut s, KeyCode::Enter);
    assert!(s.settle_job(SETTLE), "the recording ends");
    let text = screen(&mut s.app, 120, 40);
    assert!(text.contains("recorded just now"), "{text}");
    assert!(
        text.contains("live · threads=3 work=3 critical=0.5 · 2 runs each"),
        "{text}"
    );
    for v in ["no-lock live", "lock    live", "join    live"] {
        let l = line_with(&text, v);
        assert!(l.contains("×2") || l.contains("2 runs"), "{l}");
        assert!(l.contains('✓'), "its checks hold: {l}");
    }
    let runs = s.app.history();
    assert_eq!(runs.len(), 6, "two runs of three variants");
    assert!(
        runs.iter()
            .all(|r| r.recorded && r.mode == Mode::Live && r.ok)
    );
    assert_eq!(
        runs.iter().map(|r| r.seed).collect::<Vec<_>>(),
        [7, 8, 7, 8, 7, 8],
        "repeat i runs with seed + i"
    );
    assert!(text.contains("History · 6"), "{text}");
}

#[test]
fn esc_stops_a_recording_at_once_and_a_second_esc_goes_back_to_the_lesson() {
    // At scale 0.1 this recording would take about 40 s (join alone is 35 s).
    let mut s = session(None, Some(0.1));
    chars(&mut s, "c1");
    press(&mut s, KeyCode::Enter);
    let news = s.job_news();
    // Wait until the first run is under way.
    let deadline = Instant::now() + SETTLE;
    loop {
        let n = news
            .recv_timeout(Duration::from_secs(30))
            .expect("news of the job");
        let going = matches!(n, JobNews::Progress { .. });
        s.take_job_news(n);
        if going || Instant::now() > deadline {
            break;
        }
    }
    assert!(screen(&mut s.app, 120, 40).contains("recording"));
    let t = Instant::now();
    press(&mut s, KeyCode::Esc);
    assert!(s.settle_job(Duration::from_secs(10)));
    assert_eq!(
        s.app.pane(),
        Some(Pane::Compare),
        "the first Esc only stops the runs"
    );
    let text = screen(&mut s.app, 120, 40);
    assert!(text.contains("cancelled: the runs stopped"), "{text}");
    assert!(!text.contains("recording "), "{text}");
    // The job's thread ends too, well before the recording's 40 s.
    let news = s.job_news();
    let done = news.recv_timeout(Duration::from_secs(10));
    assert!(
        matches!(
            done,
            Ok(JobNews::Done {
                recording: None,
                ..
            })
        ),
        "the stopped job ends empty-handed: {done:?}"
    );
    assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
    eprintln!("a recording stopped {:?} after Esc", t.elapsed());
    press(&mut s, KeyCode::Esc);
    assert_eq!(s.app.pane(), None);
    assert_eq!(s.app.screen, Screen::Lesson);
}

#[test]
fn s_saves_the_comparison_into_a_file_named_after_the_lesson_and_the_time() {
    let dir = std::env::temp_dir().join(format!("lockstep-save-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut s = compared(Some(10));
    s.set_save_dir(&dir);
    chars(&mut s, "s");
    let text = screen(&mut s.app, 120, 40);
    let saved = line_with(&text, "saved ");
    let name = saved
        .split_whitespace()
        .find(|w| w.contains("lockstep-lock-vs-join-"))
        .expect("the file's name on screen");
    let path = std::path::Path::new(name);
    let file = path.file_name().unwrap().to_str().unwrap().to_string();
    // lockstep-lock-vs-join-YYYYMMDD-HHMM.md
    let stamp = file
        .strip_prefix("lockstep-lock-vs-join-")
        .and_then(|f| f.strip_suffix(".md"))
        .unwrap_or_else(|| panic!("{file}"));
    assert_eq!(stamp.len(), 13, "{stamp}");
    assert!(stamp.chars().enumerate().all(|(i, c)| if i == 8 {
        c == '-'
    } else {
        c.is_ascii_digit()
    }));
    let md = std::fs::read_to_string(dir.join(&file)).unwrap();
    assert!(md.contains("| lock | virtual | 80.0 ms |"), "{md}");
    // f: the next format; a second file, never an overwrite.
    chars(&mut s, "fs");
    let text = screen(&mut s.app, 120, 40);
    let csv_name = line_with(&text, "saved ").trim();
    assert!(csv_name.ends_with(".csv"), "{csv_name}");
    let csv: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    assert_eq!(csv.len(), 1, "{csv:?}");
    let body = std::fs::read_to_string(dir.join(&csv[0])).unwrap();
    assert!(
        body.starts_with("lesson,variant,mode,scale,repeat,"),
        "{body}"
    );
    chars(&mut s, "ffs"); // back to Markdown: a second .md in the same minute gets -2
    let mds = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_str()
                .unwrap()
                .ends_with(".md")
        })
        .count();
    assert_eq!(mds, 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_save_that_fails_says_why_in_one_line() {
    let mut s = compared(Some(10));
    s.set_save_dir("/nonexistent/lockstep");
    chars(&mut s, "s");
    let text = screen(&mut s.app, 80, 24);
    let line = line_with(&text, "cannot save in /nonexistent/lockstep: ");
    assert!(line.contains("No such file or directory"), "{line}");
    assert_eq!(s.app.pane(), Some(Pane::Compare), "still on the comparison");
}

#[test]
fn nothing_to_compare_says_how_to_get_something() {
    let mut a = app(None, None);
    key(&mut a, KeyCode::Char('c'));
    let text = screen(&mut a, 80, 24);
    assert!(text.contains("Nothing to compare yet."), "{text}");
    assert!(text.contains("No runs yet in this session."), "{text}");
    assert!(
        key(&mut a, KeyCode::Char('s')).is_empty(),
        "nothing to save"
    );
    assert!(screen(&mut a, 80, 24).contains("nothing to save yet"));
}

#[test]
fn step_mode_runs_are_in_the_history_but_not_in_the_bars() {
    let mut s = session(Some(2), None);
    chars(&mut s, "ll"); // the no-lock step
    press(&mut s, KeyCode::Char('n')); // a step-mode run: its question first
    press(&mut s, KeyCode::Char('4')); // answered, the run starts
    assert!(s.settle(SETTLE));
    for _ in 0..200 {
        if s.app.trace().is_some_and(|t| t.finished) {
            break;
        }
        press(&mut s, KeyCode::Char('n'));
        assert!(s.settle(SETTLE));
    }
    assert!(s.settle(SETTLE));
    chars(&mut s, "c");
    let text = screen(&mut s.app, 120, 40);
    assert!(text.contains("History · 1"), "{text}");
    assert!(
        line_with(&text, "no-lock  step").contains("lesson"),
        "{text}"
    );
    assert!(text.contains("Nothing to compare yet."), "{text}");
}

/// Threads 1, 10, 50, 100 in virtual mode: lock grows by C (0.5 s × scale 0.01) per thread.
fn swept() -> Session {
    let mut s = session(None, None);
    chars(&mut s, "w");
    assert_eq!(s.app.pane(), Some(Pane::Sweep));
    let text = screen(&mut s.app, 120, 40);
    assert!(text.contains("◂ threads ▸"), "{text}");
    assert!(text.contains("Values     1, 10, 50, 100"), "{text}");
    press(&mut s, KeyCode::Enter);
    assert!(s.settle_job(SETTLE), "the sweep ends");
    s
}

#[test]
fn a_sweep_of_threads_shows_lock_growing_by_c_per_thread() {
    let mut s = swept();
    let text = screen(&mut s.app, 120, 40);
    assert!(
        text.contains("Time against threads · virtual · scale 0.01"),
        "{text}"
    );
    let head = line_with(&text, "+1 threads");
    assert!(head.contains("1") && head.contains("100"), "{head}");
    // W + T·C: 3.5, 8, 28 and 53 lesson seconds, at scale 0.01.
    let lock = table_row(&text, "lock");
    for t in ["35.0 ms", "80.0 ms", "280.0 ms", "530.0 ms", "+5.00 ms"] {
        assert!(lock.contains(t), "{t} in {lock}");
    }
    let join = table_row(&text, "join");
    for t in ["35.0 ms", "350.0 ms", "1.75 s", "3.50 s", "+35.0 ms"] {
        assert!(join.contains(t), "{t} in {join}");
    }
    let no_lock = table_row(&text, "no-lock");
    assert!(
        no_lock.contains("±0"),
        "no-lock takes C whatever the threads: {no_lock}"
    );
    // The chart's axes: time up to join's 3.50 s, threads from 0 to 100.
    assert!(text.contains("3.50 s│"), "{text}");
    let x = line_with(&text, "      0     ");
    assert!(
        x.contains(" 50 ") && x.trim_end_matches('│').trim_end().ends_with("100"),
        "{x}"
    );
    // Sweeps are not runs of the lesson: the history stays empty.
    assert!(s.app.history().is_empty());
}

#[test]
fn sweep_snapshots() {
    let mut s = swept();
    insta::assert_snapshot!("sweep_120x40", screen(&mut s.app, 120, 40));
    insta::assert_snapshot!("sweep_80x24", screen(&mut s.app, 80, 24));
    chars(&mut s, "g"); // time on a log scale
    insta::assert_snapshot!("sweep_log_80x24", screen(&mut s.app, 80, 24));
}

#[test]
fn the_values_are_typed_checked_and_kept() {
    let mut s = session(None, None);
    chars(&mut s, "we");
    let text = screen(&mut s.app, 80, 24);
    assert!(text.contains("Enter applies · Esc cancels"), "{text}");
    s.key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    chars(&mut s, "5, 2000");
    press(&mut s, KeyCode::Enter);
    let text = screen(&mut s.app, 80, 24);
    assert!(
        text.contains("parameter threads = 2000 is out of range 1..1000"),
        "{text}"
    );
    assert!(text.contains("Enter applies"), "still typing: {text}");
    for _ in 0..4 {
        press(&mut s, KeyCode::Backspace);
    }
    chars(&mut s, "20 1 x");
    press(&mut s, KeyCode::Enter);
    assert!(screen(&mut s.app, 80, 24).contains("\"x\" is not a number"));
    press(&mut s, KeyCode::Backspace);
    press(&mut s, KeyCode::Enter);
    let text = screen(&mut s.app, 80, 24);
    assert!(
        text.contains("Values     1, 5, 20   (e edits)"),
        "sorted: {text}"
    );
    // Esc while typing gives up the edit and stays in the sweep.
    chars(&mut s, "e9");
    press(&mut s, KeyCode::Esc);
    assert_eq!(s.app.pane(), Some(Pane::Sweep));
    assert!(screen(&mut s.app, 80, 24).contains("Values     1, 5, 20"));
    // The next parameter has its own values; coming back finds ours.
    press(&mut s, KeyCode::Right);
    let text = screen(&mut s.app, 80, 24);
    assert!(text.contains("◂ work ▸"), "{text}");
    assert!(text.contains("Values     0, 0.3, 1.5, 3"), "{text}");
    press(&mut s, KeyCode::Left);
    assert!(screen(&mut s.app, 80, 24).contains("Values     1, 5, 20"));
}

#[test]
fn a_live_sweep_draws_the_ideal_beside_what_it_measured() {
    let mut s = session(None, Some(0.001));
    chars(&mut s, "we");
    s.key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    chars(&mut s, "1,3");
    press(&mut s, KeyCode::Enter);
    chars(&mut s, "m");
    press(&mut s, KeyCode::Enter);
    assert!(s.settle_job(SETTLE));
    let text = screen(&mut s.app, 120, 40);
    assert!(
        text.contains("Time against threads · live · scale 0.001"),
        "{text}"
    );
    assert!(text.contains("• ideal"), "the ideal's legend entry: {text}");
    assert!(table_row(&text, "lock").contains(" ms"), "{text}");
}

#[test]
fn tab_switches_views_and_c_or_w_again_goes_back() {
    let mut s = session(None, None);
    chars(&mut s, "c");
    assert_eq!(s.app.pane(), Some(Pane::Compare));
    press(&mut s, KeyCode::Tab);
    assert_eq!(s.app.pane(), Some(Pane::Sweep));
    assert!(screen(&mut s.app, 120, 40).contains(" Compare [Sweep]"));
    press(&mut s, KeyCode::Tab);
    assert_eq!(s.app.pane(), Some(Pane::Compare));
    chars(&mut s, "c");
    assert_eq!(s.app.pane(), None);
    chars(&mut s, "w");
    assert_eq!(s.app.pane(), Some(Pane::Sweep));
    chars(&mut s, "w");
    assert_eq!(s.app.pane(), None);
    assert!(screen(&mut s.app, 120, 40).contains("step 1/8"));
}

#[test]
fn the_timing_views_have_their_keys_in_help_and_in_chinese() {
    let mut s = compared(Some(10));
    chars(&mut s, "?");
    let text = screen(&mut s.app, 80, 24);
    for k in ["Enter r", "1-9", "←/→ p", "g ", "f ", "Tab", "Esc"] {
        assert!(text.contains(k), "help lists {k}:\n{text}");
    }
    press(&mut s, KeyCode::Esc);
    assert_eq!(
        s.app.pane(),
        Some(Pane::Compare),
        "Esc closes the help only"
    );
    chars(&mut s, "L");
    for (w, h) in [(120, 40), (80, 24)] {
        let text = screen(&mut s.app, w, h);
        assert!(text.contains("实测与理想"), "{text}");
        assert!(text.contains("历史"), "{text}");
        for line in text.lines() {
            assert!(Span::raw(line).width() <= w as usize, "{line}");
        }
    }
}

#[test]
fn no_size_panics_in_the_timing_views() {
    let mut s = swept();
    let mut a = recorded(4);
    for app in [&mut s.app, &mut a] {
        for pane in ['c', 'w'] {
            if app.pane().map(|p| p == Pane::Compare) != Some(pane == 'c') {
                key(app, KeyCode::Tab);
            }
            for w in [0, 1, 10, 79, 80, 81, 109, 110, 200] {
                for h in [0, 1, 5, 23, 24, 25, 31, 32, 60] {
                    screen(app, w, h);
                }
            }
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
    /// Whatever the keys, the timing views neither panic nor draw outside the screen, and
    /// nothing they ask for is a run of the lesson or a job while a job is going.
    #[test]
    fn any_keys_any_size_in_the_timing_views(
        keys in proptest::collection::vec(0usize..KEYS.len(), 0..60),
        w in 0u16..160,
        h in 0u16..50,
    ) {
        let mut a = recorded(4);
        let mut jobs = 0;
        for k in keys {
            for fx in key(&mut a, KEYS[k]) {
                if let Effect::Job(req) = fx {
                    jobs += 1;
                    // The job "ends" at once, empty-handed, as a stopped one does.
                    a.on_job(JobNews::Done {
                        id: req.id,
                        recording: None,
                        why: None,
                    });
                }
            }
            if a.quit {
                break;
            }
        }
        proptest::prop_assert!(jobs <= 60);
        screen(&mut a, w, h);
    }
}

const KEYS: [KeyCode; 26] = [
    KeyCode::Char('c'),
    KeyCode::Char('w'),
    KeyCode::Tab,
    KeyCode::BackTab,
    KeyCode::Enter,
    KeyCode::Esc,
    KeyCode::Char('e'),
    KeyCode::Char('f'),
    KeyCode::Char('g'),
    KeyCode::Char('s'),
    KeyCode::Char('m'),
    KeyCode::Char('p'),
    KeyCode::Char('3'),
    KeyCode::Char(','),
    KeyCode::Char('x'),
    KeyCode::Backspace,
    KeyCode::Left,
    KeyCode::Right,
    KeyCode::Up,
    KeyCode::Down,
    KeyCode::PageUp,
    KeyCode::Home,
    KeyCode::Char('+'),
    KeyCode::Char('-'),
    KeyCode::Char('L'),
    KeyCode::Char('?'),
];

#[test]
fn the_history_scrolls_from_the_newest_run_to_the_oldest() {
    let mut a = app(None, None);
    let text = lessons()
        .into_iter()
        .find(|l| l.id == "lock-vs-join")
        .unwrap();
    let params = lockstep::params::Params::defaults("lock-vs-join", &text.params);
    for i in 0..30u64 {
        a.on_ran(lockstep::tui::Ran {
            seq: 0,
            lesson: "lock-vs-join".into(),
            variant: "lock".into(),
            mode: Mode::Virtual,
            scale: 0.01,
            seed: 100 + i,
            params: params.clone(),
            measured_ms: 530.0,
            ideal_ms: 530.0,
            outcome: Outcome::new(),
            deadlock: false,
            stuck: false,
            raised: false,
            ok: true,
            cores_needed: 0,
            recorded: false,
            paused: false,
        });
    }
    key(&mut a, KeyCode::Char('c'));
    let seeds = |a: &mut App| -> Vec<u64> {
        let text = screen(a, 80, 24);
        let h = text.split("History · 30").nth(1).unwrap().to_string();
        h.lines()
            .filter(|l| {
                l.split_whitespace()
                    .next()
                    .is_some_and(|n| n.parse::<u64>().is_ok())
            })
            .filter_map(|l| l.split_whitespace().nth(4)?.parse().ok())
            .collect()
    };
    let newest = seeds(&mut a);
    assert_eq!(
        newest.last(),
        Some(&129),
        "the newest run shows first: {newest:?}"
    );
    key(&mut a, KeyCode::Up);
    assert_eq!(seeds(&mut a).last(), Some(&128));
    key(&mut a, KeyCode::Home);
    let oldest = seeds(&mut a);
    assert_eq!(oldest.first(), Some(&100), "{oldest:?}");
    // One press down from the top moves at once: no dead presses past the oldest.
    key(&mut a, KeyCode::Down);
    assert_eq!(seeds(&mut a).first(), Some(&101));
    key(&mut a, KeyCode::End);
    assert_eq!(seeds(&mut a), newest);
}

#[test]
fn when_the_groups_do_not_fit_each_variant_gets_one_line() {
    // Three long warnings take the room the groups need at 80x24.
    let mut a = recorded(101);
    let text = screen(&mut a, 80, 24);
    assert_eq!(text.matches("cannot reach it").count(), 3, "{text}");
    assert!(text.contains("│ ideal"), "{text}");
    let lock = line_with(&text, "lock    ");
    assert!(lock.contains('│') && lock.contains("546.7 ms"), "{lock}");
    assert!(!text.contains("tutorial "), "{text}");
    insta::assert_snapshot!("compare_dense_80x24", text);
}
