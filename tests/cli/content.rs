//! Lesson files and run parameters as an author or a user on the command line meets them:
//! what the embedded lesson says, how an override replaces it, and the one-line errors a broken
//! file or a bad `--param` gives.

use std::fs;
use std::path::PathBuf;
use std::time::Duration;

use lockstep::content::{self, ContentError, Lang, Lesson};
use lockstep::params::{Params, parse_override};

const LOCK_VS_JOIN: &str = include_str!("../../lessons/lock-vs-join.toml");

/// A small valid lesson whose line numbers are easy to read off.
const SMALL: &str = r#"id = "small"
title = { en = "Small", zh = "小" }
summary = { en = "A small lesson", zh = "一个小课" }
python = "threading.Thread"

[[variants]]
id = "one"
title = { en = "One", zh = "一" }
about = { en = "The first.", zh = "第一个。" }

[[variants]]
id = "two"
title = { en = "Two", zh = "二" }
about = { en = "The second.", zh = "第二个。" }

[[params]]
key = "threads"
label = { en = "Threads", zh = "线程" }
unit = "threads"
default = 3
min = 1
max = 5
integer = true

[[steps]]
text = { en = "Run one.", zh = "运行一。" }
variant = "one"

[[steps]]
text.en = "Then two."
text.zh = "然后二。"
variant = "two"
"#;

/// The 1-based line of the first line containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` is not in the text"))
        + 1
}

/// The text with `from` replaced once, checking that it was there.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "`{from}` is not in the text");
    text.replacen(from, to, 1)
}

fn parse_err(file: &str, text: &str) -> ContentError {
    match content::parse(file, text) {
        Ok(_) => panic!("{file} should not parse"),
        Err(e) => e,
    }
}

/// Asserts the error is one line naming the file and the line, and returns its message.
fn assert_points_at(e: &ContentError, file: &str, line: usize) -> String {
    let shown = e.to_string();
    assert!(!shown.contains('\n'), "not one line: {shown}");
    assert!(
        shown.starts_with(&format!("{file}:{line}: ")),
        "expected {file}:{line}: ..., got {shown}"
    );
    assert_eq!(e.line(), Some(line), "{shown}");
    shown
}

/// A fresh, empty directory under the system temp dir.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "lockstep-test-content-{}-{name}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

fn lock_vs_join() -> Lesson {
    let lessons = content::embedded().expect("embedded lessons parse");
    lessons
        .into_iter()
        .find(|l| l.id == "lock-vs-join")
        .expect("lock-vs-join is embedded")
}

// ---- the embedded lesson ----

#[test]
fn embedded_lesson_has_its_three_variants_in_menu_order() {
    let lesson = lock_vs_join();
    let ids: Vec<&str> = lesson.variants.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(ids, ["no-lock", "lock", "join"]);
    assert_eq!(lesson.file, "lessons/lock-vs-join.toml");
    assert_eq!(lesson.python, "threading.Lock vs Thread.join");
    assert!(lesson.title.get(Lang::Zh) != lesson.title.get(Lang::En));
}

#[test]
fn embedded_lesson_shows_the_tutorials_published_figures() {
    let lesson = lock_vs_join();
    let figure = |v: &str| {
        let p = lesson.published_for(v).expect("a published figure");
        (p.seconds, p.outcome.as_str())
    };
    assert_eq!(figure("no-lock"), (0.52, "n = 99"));
    assert_eq!(figure("lock"), (53.29, "n = 0"));
    assert_eq!(figure("join"), (350.69, "n = 0"));
}

#[test]
fn embedded_lesson_params_have_the_lessons_defaults_and_ranges() {
    let lesson = lock_vs_join();
    let keys: Vec<&str> = lesson.params.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys, ["threads", "work", "critical"]);
    let p = |k: &str| lesson.param(k).expect("declared");
    let threads = p("threads");
    assert_eq!(
        (threads.default, threads.min, threads.max, threads.integer),
        (100.0, 1.0, 1000.0, true)
    );
    let work = p("work");
    assert_eq!(
        (work.default, work.min, work.max, work.integer),
        (3.0, 0.0, 60.0, false)
    );
    let critical = p("critical");
    assert_eq!(
        (
            critical.default,
            critical.min,
            critical.max,
            critical.integer
        ),
        (0.5, 0.0, 10.0, false)
    );
    assert_eq!(work.unit, "s");
}

#[test]
fn embedded_steps_run_each_variant_in_order_and_fit_a_panel() {
    let lesson = lock_vs_join();
    assert!(
        (6..=9).contains(&lesson.steps.len()),
        "{} steps",
        lesson.steps.len()
    );
    let runs: Vec<&str> = lesson
        .steps
        .iter()
        .filter_map(|s| s.variant.as_deref())
        .collect();
    assert_eq!(runs, ["no-lock", "lock", "join"]);
}

#[test]
fn load_without_a_dir_is_the_embedded_lessons() {
    assert_eq!(
        content::load(None).expect("load"),
        content::embedded().expect("embedded")
    );
    let registered: Vec<&str> = lockstep::lessons::all().iter().map(|l| l.id()).collect();
    assert_eq!(content::embedded_ids(), registered);
}

#[test]
fn every_prefix_of_the_lesson_parses_or_errors_without_panicking() {
    let lines = LOCK_VS_JOIN.lines().count();
    for (cut, _) in LOCK_VS_JOIN.char_indices().step_by(7) {
        if let Err(e) = content::parse("lock-vs-join.toml", &LOCK_VS_JOIN[..cut]) {
            let shown = e.to_string();
            assert!(!shown.contains('\n'), "not one line: {shown}");
            assert!(e.line().is_none_or(|l| l >= 1 && l <= lines + 1), "{shown}");
        }
    }
}

// ---- overrides with --lessons-dir ----

#[test]
fn lessons_dir_override_replaces_the_text() {
    let dir = temp_dir("override");
    let text = edit(
        LOCK_VS_JOIN,
        "en = \"Race condition: lock vs join\"",
        "en = \"Counting with friends\"",
    );
    fs::write(dir.join("lock-vs-join.toml"), text).expect("write");
    fs::write(dir.join("notes.txt"), "not a lesson").expect("write");

    let lessons = content::load(Some(&dir)).expect("override loads");
    assert_eq!(lessons.len(), content::embedded_ids().len());
    let l = lessons.iter().find(|l| l.id == "lock-vs-join").unwrap();
    assert_eq!(l.title.en, "Counting with friends");
    assert_eq!(l.title.zh, lock_vs_join().title.zh);
    let kettle = lessons.iter().find(|l| l.id == "kettle").unwrap();
    assert_eq!(
        kettle.file, "lessons/kettle.toml",
        "the others stay built in"
    );
    assert_eq!(l.file, dir.join("lock-vs-join.toml").display().to_string());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn lessons_dir_file_with_an_unknown_id_is_an_error_naming_it() {
    let dir = temp_dir("unknown-id");
    let text = edit(SMALL, "id = \"small\"", "id = \"x\"");
    fs::write(dir.join("x.toml"), text).expect("write");

    let e = content::load(Some(&dir)).expect_err("unknown id");
    let file = dir.join("x.toml").display().to_string();
    let shown = assert_points_at(&e, &file, 1);
    // Every registered lesson, in menu order: kettle, lock-vs-join, deadlock, ...
    let known: Vec<&str> = lockstep::lessons::all().iter().map(|l| l.id()).collect();
    assert_eq!(&known[..3], ["kettle", "lock-vs-join", "deadlock"]);
    let want = format!("unknown lesson id `x` (known: {})", known.join(", "));
    assert!(shown.ends_with(&want), "{shown}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn lessons_dir_override_must_keep_the_demos_variants() {
    let dir = temp_dir("renamed-variant");
    let text = LOCK_VS_JOIN
        .replace("id = \"join\"", "id = \"joined\"")
        .replace("variant = \"join\"", "variant = \"joined\"");
    fs::write(dir.join("lock-vs-join.toml"), &text).expect("write");

    let e = content::load(Some(&dir)).expect_err("renamed variant");
    let file = dir.join("lock-vs-join.toml").display().to_string();
    let shown = assert_points_at(&e, &file, line_of(&text, "id = \"joined\""));
    assert!(shown.contains("`joined`"), "{shown}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn missing_lessons_dir_is_a_one_line_error() {
    let dir = std::env::temp_dir().join(format!(
        "lockstep-test-content-{}-does-not-exist",
        std::process::id()
    ));
    let e = content::load(Some(&dir)).expect_err("no such dir");
    let shown = e.to_string();
    assert!(shown.starts_with(&dir.display().to_string()), "{shown}");
    assert!(!shown.contains('\n'), "{shown}");
}

// ---- broken files: one line, the file, the right line ----

#[test]
fn small_lesson_parses() {
    let lesson = content::parse("small.toml", SMALL).expect("valid");
    assert_eq!(lesson.steps[1].text.get(Lang::En), "Then two.");
    assert_eq!(lesson.steps[1].variant.as_deref(), Some("two"));
    assert_eq!(lesson.published, []);
}

#[test]
fn toml_syntax_error_names_its_line() {
    let text = edit(SMALL, "key = \"threads\"", "key = \"threads");
    let e = parse_err("small.toml", &text);
    assert_points_at(&e, "small.toml", 17);

    let text = edit(SMALL, "min = 1", "min == 1");
    let e = parse_err("small.toml", &text);
    assert_points_at(&e, "small.toml", 21);
}

#[test]
fn unknown_field_is_caught_on_its_line() {
    let text = edit(
        SMALL,
        "title = { en = \"Small\"",
        "titel = { en = \"Small\"",
    );
    let e = parse_err("lessons/small.toml", &text);
    let shown = assert_points_at(&e, "lessons/small.toml", 2);
    assert!(shown.contains("unknown field `titel`"), "{shown}");
    assert!(
        shown.contains("`title`"),
        "lists the expected fields: {shown}"
    );
}

#[test]
fn unknown_language_in_a_text_is_caught() {
    let text = edit(
        SMALL,
        "zh = \"第二个。\"",
        "zh = \"第二个。\", fr = \"Le second.\"",
    );
    let e = parse_err("small.toml", &text);
    let shown = assert_points_at(&e, "small.toml", 14);
    assert!(shown.contains("unknown field `fr`"), "{shown}");
}

#[test]
fn default_above_max_points_at_the_default() {
    let text = edit(LOCK_VS_JOIN, "default = 0.5", "default = 12");
    let e = parse_err("lessons/lock-vs-join.toml", &text);
    let shown = assert_points_at(
        &e,
        "lessons/lock-vs-join.toml",
        line_of(&text, "default = 12"),
    );
    assert!(
        shown.ends_with("params[2] `critical`: default 12 is above max 10"),
        "{shown}"
    );
}

#[test]
fn default_below_min_and_min_above_max_are_caught() {
    let text = edit(SMALL, "default = 3", "default = 0");
    let e = parse_err("small.toml", &text);
    let shown = assert_points_at(&e, "small.toml", 20);
    assert!(shown.ends_with("default 0 is below min 1"), "{shown}");

    let text = edit(SMALL, "min = 1", "min = 7");
    let e = parse_err("small.toml", &text);
    let shown = assert_points_at(&e, "small.toml", 21);
    assert!(shown.ends_with("min 7 is above max 5"), "{shown}");
}

#[test]
fn fractional_value_of_an_integer_param_is_caught() {
    let text = edit(SMALL, "default = 3", "default = 2.5");
    let e = parse_err("small.toml", &text);
    let shown = assert_points_at(&e, "small.toml", 20);
    assert!(shown.contains("not a whole number"), "{shown}");
}

#[test]
fn step_naming_an_unknown_variant_points_at_it() {
    let text = edit(
        LOCK_VS_JOIN,
        "variant = \"join\"\ntext",
        "variant = \"jion\"\ntext",
    );
    let e = parse_err("lessons/lock-vs-join.toml", &text);
    let shown = assert_points_at(
        &e,
        "lessons/lock-vs-join.toml",
        line_of(&text, "variant = \"jion\""),
    );
    assert!(
        shown.contains("unknown variant `jion` (declared: no-lock, lock, join)"),
        "{shown}"
    );
}

#[test]
fn published_figure_for_an_unknown_variant_is_caught() {
    let text =
        format!("{SMALL}\n[[published]]\nvariant = \"three\"\nseconds = 1.0\noutcome = \"ok\"\n");
    let e = parse_err("small.toml", &text);
    let shown = assert_points_at(&e, "small.toml", line_of(&text, "variant = \"three\""));
    assert!(
        shown.contains("published[0]: unknown variant `three`"),
        "{shown}"
    );
}

#[test]
fn duplicated_variant_id_points_at_the_second() {
    let text = edit(SMALL, "id = \"two\"", "id = \"one\"");
    let e = parse_err("small.toml", &text);
    let shown = assert_points_at(&e, "small.toml", 12);
    assert!(
        shown.contains("duplicate variant id `one` (already used by variants[0])"),
        "{shown}"
    );
}

#[test]
fn duplicated_param_key_is_caught() {
    let text = format!(
        "{SMALL}\n[[params]]\nkey = \"threads\"\nlabel = {{ en = \"T\", zh = \"T\" }}\ndefault = 1\nmin = 1\nmax = 2\n"
    );
    let e = parse_err("small.toml", &text);
    let shown = assert_points_at(&e, "small.toml", SMALL.lines().count() + 3);
    assert!(shown.contains("duplicate key `threads`"), "{shown}");
}

#[test]
fn file_stem_must_equal_the_id() {
    let e = parse_err("lessons/lock-and-join.toml", LOCK_VS_JOIN);
    let shown = assert_points_at(
        &e,
        "lessons/lock-and-join.toml",
        line_of(LOCK_VS_JOIN, "id = \"lock-vs-join\""),
    );
    assert!(shown.contains("`lock-vs-join.toml`"), "{shown}");
}

#[test]
fn empty_chinese_text_is_caught() {
    let text = edit(SMALL, "zh = \"然后二。\"", "zh = \"  \"");
    let e = parse_err("small.toml", &text);
    let shown = assert_points_at(&e, "small.toml", 31);
    assert!(shown.ends_with("steps[1]: text.zh is empty"), "{shown}");
}

#[test]
fn a_lesson_without_steps_or_variants_is_refused() {
    let no_steps = &SMALL[..SMALL.find("[[steps]]").expect("has steps")];
    let e = parse_err("small.toml", no_steps);
    assert!(e.to_string().contains("at least one [[steps]]"), "{e}");

    let e = parse_err(
        "small.toml",
        "id = \"small\"\ntitle = { en = \"a\", zh = \"b\" }\nsummary = { en = \"a\", zh = \"b\" }\npython = \"p\"\n",
    );
    assert!(e.to_string().contains("at least one [[variants]]"), "{e}");
}

#[test]
fn duplicate_toml_key_is_named() {
    let text = edit(
        SMALL,
        "python = \"threading.Thread\"",
        "python = \"a\"\npython = \"b\"",
    );
    let e = parse_err("small.toml", &text);
    let shown = assert_points_at(&e, "small.toml", 5);
    assert!(shown.contains("`python`"), "{shown}");
}

// ---- run parameters ----

fn specs() -> Vec<lockstep::content::ParamSpec> {
    lock_vs_join().params
}

fn overrides(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn resolve_err(pairs: &[(&str, &str)]) -> String {
    Params::resolve("lock-vs-join", &specs(), &overrides(pairs)).expect_err("should be refused")
}

#[test]
fn defaults_resolve() {
    let p = Params::resolve("lock-vs-join", &specs(), &[]).expect("defaults");
    assert_eq!(p.int("threads"), 100);
    assert_eq!(p.secs("work"), Duration::from_secs(3));
    assert_eq!(p.secs("critical"), Duration::from_millis(500));
    assert_eq!(p.get("critical"), 0.5);
    let all: Vec<(&str, f64)> = p.iter().collect();
    assert_eq!(all, [("threads", 100.0), ("work", 3.0), ("critical", 0.5)]);
    assert_eq!(p.to_string(), "threads=100 work=3 critical=0.5");
    assert_eq!(p, Params::defaults("lock-vs-join", &specs()));
}

#[test]
fn overrides_apply_and_the_last_one_wins() {
    let p = Params::resolve(
        "lock-vs-join",
        &specs(),
        &overrides(&[("threads", "10"), ("critical", "0.25"), ("threads", " 20 ")]),
    )
    .expect("valid overrides");
    assert_eq!(p.int("threads"), 20);
    assert_eq!(p.secs("critical"), Duration::from_millis(250));
    assert_eq!(p.get("work"), 3.0);
}

#[test]
fn params_serialise_as_a_map() {
    let p = Params::resolve("lock-vs-join", &specs(), &overrides(&[("work", "0")])).expect("ok");
    let json = serde_json::to_string(&p).expect("serialise");
    assert_eq!(json, r#"{"threads":100,"work":0.0,"critical":0.5}"#);
}

#[test]
fn unknown_param_lists_the_known_ones() {
    assert_eq!(
        resolve_err(&[("foo", "1")]),
        "unknown parameter `foo` for lock-vs-join (known: threads, work, critical)"
    );
}

#[test]
fn out_of_range_param_names_the_range() {
    assert_eq!(
        resolve_err(&[("threads", "0")]),
        "parameter threads = 0 is out of range 1..1000"
    );
    assert_eq!(
        resolve_err(&[("critical", "10.5")]),
        "parameter critical = 10.5 is out of range 0..10"
    );
}

#[test]
fn non_integer_count_is_refused() {
    assert_eq!(
        resolve_err(&[("threads", "2.5")]),
        "parameter threads must be a whole number"
    );
}

#[test]
fn non_number_is_refused() {
    assert_eq!(
        resolve_err(&[("work", "abc")]),
        r#"parameter work: "abc" is not a number"#
    );
    assert_eq!(
        resolve_err(&[("work", "NaN")]),
        r#"parameter work: "NaN" is not a number"#
    );
}

#[test]
fn set_is_range_checked_and_keeps_the_old_value_on_error() {
    let mut p = Params::defaults("lock-vs-join", &specs());
    assert!(p.set("threads", 1001.0).is_err());
    assert_eq!(p.int("threads"), 100);
    p.set("threads", 1000.0).expect("max is allowed");
    assert_eq!(p.int("threads"), 1000);
}

#[test]
fn malformed_override_is_refused() {
    assert_eq!(
        parse_override("threads=10"),
        Ok(("threads".to_string(), "10".to_string()))
    );
    assert_eq!(
        parse_override(" work = 1.5 "),
        Ok(("work".to_string(), "1.5".to_string()))
    );
    for bad in ["threads", "=10", "threads=", ""] {
        let e = parse_override(bad).expect_err(bad);
        assert!(e.contains(&format!("`{bad}`")), "{e}");
        assert!(!e.contains('\n'));
    }
}

#[test]
#[should_panic(expected = "no parameter `scale` in lock-vs-join")]
fn reading_an_undeclared_param_is_a_programming_error() {
    Params::defaults("lock-vs-join", &specs()).get("scale");
}

#[test]
fn scale_is_optional_and_range_checked() {
    let lesson = content::parse("small.toml", SMALL).expect("parses");
    assert_eq!(lesson.scale, content::DEFAULT_SCALE);
    let text = edit(
        SMALL,
        "python = \"threading.Thread\"",
        "python = \"t\"\nscale = 0",
    );
    let e = parse_err("small.toml", &text);
    assert_points_at(&e, "small.toml", 5);
    assert!(e.to_string().contains("scale 0 must be above 0"), "{e}");
    assert_eq!(lock_vs_join().scale, 0.01);
}
