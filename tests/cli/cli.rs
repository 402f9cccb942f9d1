//! The command line as a user meets it: outputs, exit codes, one-line errors.

use std::process::{Command, Output};

fn lockstep(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lockstep"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).expect("stdout is JSON")
}

/// A bad value gets one line on stderr that names the problem, and exit status 2.
fn assert_one_line_error(args: &[&str], needle: &str) {
    let o = lockstep(args);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    assert!(err.contains(needle), "{args:?}: {err}");
    assert!(o.stdout.is_empty(), "{args:?}");
}

#[test]
fn virtual_run_prints_the_tutorials_numbers_as_json() {
    let o = lockstep(&[
        "run",
        "lock-vs-join",
        "--mode",
        "virtual",
        "--scale",
        "1",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc = json(&o);
    assert_eq!(doc["lesson"], "lock-vs-join");
    assert_eq!(doc["mode"], "virtual");
    assert_eq!(doc["scale"], 1.0);
    assert!(doc["seed"].is_u64());
    let v = doc["variants"].as_array().unwrap();
    let ids: Vec<&str> = v.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["no-lock", "lock", "join"]);
    let want = [(99, 500.0), (0, 53_000.0), (0, 350_000.0)];
    for (r, (n, ideal)) in v.iter().zip(want) {
        assert_eq!(r["outcome"]["n"], n, "{r}");
        assert!(
            (r["ideal_ms"].as_f64().unwrap() - ideal).abs() <= 1.0,
            "{r}"
        );
        assert!(
            (r["elapsed_ms"].as_f64().unwrap() - ideal).abs() <= 1.0,
            "{r}"
        );
        assert_eq!(r["fidelity"], 1.0);
        assert_eq!(r["ok"], true, "{r}");
        assert!(r["deadlock"].is_null());
        assert!(!r["checks"].as_array().unwrap().is_empty());
        for c in r["checks"].as_array().unwrap() {
            assert!(c["name"].is_string() && c["detail"].is_string() && c["ok"] == true);
        }
    }
    assert_eq!(v[0]["outcome"]["lost_updates"], 99);
}

#[test]
fn same_seed_same_output() {
    let args = [
        "run",
        "lock-vs-join",
        "--mode",
        "virtual",
        "--seed",
        "42",
        "--param",
        "critical=0",
        "--variant",
        "no-lock",
        "--format",
        "json",
    ];
    let a = lockstep(&args);
    let b = lockstep(&args);
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(json(&a)["seed"], 42);
}

#[test]
fn text_run_shows_a_table_and_the_published_figures() {
    let o = lockstep(&[
        "run",
        "lock-vs-join",
        "--mode",
        "virtual",
        "--variant",
        "lock",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.contains("variant"), "{out}");
    assert!(out.contains("lock ") && out.contains("n = 0"), "{out}");
    assert!(!out.contains("no-lock"), "{out}");
    assert!(out.contains("the tutorial"), "{out}");
}

#[test]
fn the_tutorials_figures_stand_only_beside_runs_with_its_parameters() {
    let run = |threads: &str| {
        let o = lockstep(&[
            "run",
            "lock-vs-join",
            "--mode",
            "virtual",
            "--variant",
            "lock",
            "--param",
            threads,
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        String::from_utf8(o.stdout).unwrap()
    };
    let tutorial = run("threads=100");
    assert!(
        tutorial
            .contains("\nthe tutorial, at this scale: lock 532.9 ms (n = 0, 53.29 s unscaled)\n"),
        "{tutorial}"
    );
    let ten = run("threads=10");
    assert!(!ten.contains("the tutorial, at this scale"), "{ten}");
    assert!(
        ten.contains(
            "\nThe tutorial's figures are for threads=100 work=3 critical=0.5: not comparable \
             with these runs.\n"
        ),
        "{ten}"
    );
}

#[test]
fn live_smoke_run() {
    let o = lockstep(&[
        "run",
        "lock-vs-join",
        "--mode",
        "live",
        "--scale",
        "0.01",
        "--param",
        "threads=20",
        "--param",
        "work=1",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc = json(&o);
    let v = doc["variants"].as_array().unwrap();
    let n = v[0]["outcome"]["n"].as_i64().unwrap();
    assert!(n > 0, "no-lock loses updates: n = {n}");
    assert_eq!(v[1]["outcome"]["n"], 0);
    assert_eq!(v[2]["outcome"]["n"], 0);
    assert!(v.iter().all(|r| r["ok"] == true), "{doc}");
}

#[test]
fn list_names_the_lessons() {
    let o = lockstep(&["list"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("lock-vs-join"));
    let doc = json(&lockstep(&["list", "--format", "json"]));
    let ids: Vec<&str> = doc["lessons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    let registered: Vec<&str> = lockstep::lessons::all().iter().map(|l| l.id()).collect();
    assert_eq!(ids, registered, "every lesson, in menu order");
    assert_eq!(doc["lessons"][1]["variants"][2], "join");
    let zh = json(&lockstep(&["list", "--format", "json", "--lang", "zh"]));
    assert_ne!(zh["lessons"][1]["title"], doc["lessons"][1]["title"]);
}

#[test]
fn bad_values_get_one_line_and_status_2() {
    assert_one_line_error(&["run", "nope"], "unknown lesson `nope`");
    assert_one_line_error(
        &["run", "lock-vs-join", "--variant", "fast"],
        "unknown variant `fast` for lock-vs-join (known: no-lock, lock, join)",
    );
    assert_one_line_error(&["run", "lock-vs-join", "--scale", "0"], "--scale");
    assert_one_line_error(&["run", "lock-vs-join", "--scale", "-1"], "above 0");
    assert_one_line_error(&["run", "lock-vs-join", "--scale", "abc"], "--scale");
    assert_one_line_error(&["run", "lock-vs-join", "--param", "threads=0"], "threads");
    assert_one_line_error(
        &["run", "lock-vs-join", "--param", "speed=3"],
        "unknown parameter `speed`",
    );
    assert_one_line_error(&["run", "lock-vs-join", "--param", "threads"], "KEY=VALUE");
    assert_one_line_error(&["run", "lock-vs-join", "--mode", "fast"], "--mode");
    assert_one_line_error(&["tui", "nope"], "unknown lesson `nope`");
    assert_one_line_error(&["frobnicate"], "frobnicate");
}

#[test]
fn completions_print_a_script_for_each_shell_naming_every_command() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = lockstep(&["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", stderr(&o));
        assert!(o.stderr.is_empty(), "{shell}: {}", stderr(&o));
        let script = String::from_utf8(o.stdout).unwrap();
        for word in [
            "lockstep",
            "tui",
            "list",
            "run",
            "record",
            "sweep",
            "completions",
            "lang",
            "schedule",
        ] {
            assert!(script.contains(word), "{shell} script without {word}");
        }
    }
    assert_one_line_error(&["completions", "tcsh"], "tcsh");
}

#[test]
fn bash_completes_a_command_and_a_value_from_the_script() {
    let o = lockstep(&["completions", "bash"]);
    let script = std::env::temp_dir().join(format!("lockstep-complete-{}", std::process::id()));
    std::fs::write(&script, &o.stdout).unwrap();
    // What bash offers after `lockstep re<Tab>` and `lockstep run --mode <Tab>`.
    let complete = |words: &str| {
        let test = format!(
            "source {}; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); \
             _lockstep lockstep \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; \
             echo \"${{COMPREPLY[@]}}\"",
            script.display()
        );
        Command::new("bash").args(["-c", &test]).output()
    };
    let Ok(re) = complete("lockstep re") else {
        eprintln!("SKIPPED: no bash to try the completion script in");
        let _ = std::fs::remove_file(&script);
        return;
    };
    let modes = complete("lockstep run --mode ''").unwrap();
    let _ = std::fs::remove_file(&script);
    assert_eq!(String::from_utf8_lossy(&re.stdout).trim(), "record");
    assert_eq!(
        String::from_utf8_lossy(&modes.stdout).trim(),
        "live virtual"
    );
}

#[test]
fn without_a_terminal_the_app_says_what_to_do() {
    assert_one_line_error(&[], "needs a terminal");
}

#[test]
fn a_broken_lesson_file_is_one_line_naming_file_and_line() {
    let dir = std::env::temp_dir().join(format!("lockstep-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = include_str!("../../lessons/lock-vs-join.toml").replacen(
        "max = 1000",
        "max = 1000\nmax = 5",
        1,
    );
    std::fs::write(dir.join("lock-vs-join.toml"), text).unwrap();
    let d = dir.to_str().unwrap();
    let o = lockstep(&["--lessons-dir", d, "list"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("lock-vs-join.toml:"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn tui_params_are_checked_before_the_screen_opens() {
    assert_one_line_error(&["tui", "lock-vs-join", "--param", "threads=0"], "threads");
    assert_one_line_error(&["tui", "--param", "threads=5"], "needs a lesson");
}
