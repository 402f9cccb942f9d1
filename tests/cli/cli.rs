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

// ---- nothing lost, nothing hangs ----

/// A scratch folder of this test process, removed when dropped.
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let d = std::env::temp_dir().join(format!("lockstep-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        Scratch(d)
    }

    fn path(&self, name: &str) -> std::path::PathBuf {
        self.0.join(name)
    }

    fn fifo(&self, name: &str) -> std::path::PathBuf {
        let p = self.path(name);
        let ok = Command::new("mkfifo").arg(&p).status().unwrap().success();
        assert!(ok, "mkfifo {}", p.display());
        p
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Run the binary, failing the test (not hanging it) if it has not ended after a minute.
fn lockstep_bounded(args: &[&str]) -> Output {
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_lockstep"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("lockstep {args:?} hung");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn assert_bounded_one_line_error(args: &[&str], needle: &str) {
    let o = lockstep_bounded(args);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    assert!(err.contains(needle), "{args:?}: {err}");
}

/// Status 0, or 141 (128 + SIGPIPE) as other Unix tools end on a closed pipe; nothing on stderr.
fn assert_quiet_end(o: &std::process::ExitStatus, err: &str) {
    use std::os::unix::process::ExitStatusExt;
    let code = o.code().or(o.signal().map(|s| 128 + s));
    assert!(matches!(code, Some(0 | 141)), "status {o:?}: {err}");
    assert!(err.is_empty(), "{err}");
}

#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::{BufRead, BufReader, Read};
    use std::process::Stdio;
    // Much more than a pipe holds: the program is still writing when the reader goes.
    let mut child = Command::new(env!("CARGO_BIN_EXE_lockstep"))
        .args([
            "run",
            "lock-vs-join",
            "--mode",
            "virtual",
            "--seed",
            "1",
            "--log",
            "--format",
            "json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert_eq!(first.trim(), "{");
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert_quiet_end(&status, &err);

    // `lockstep list | head -0`: the reader is gone before the first byte.
    for args in [&["list"][..], &["list", "--format", "json"]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lockstep"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = child.wait().unwrap();
        assert_quiet_end(&status, &err);
    }
}

#[test]
fn a_full_disk_is_one_line_and_a_failure() {
    if !std::path::Path::new("/dev/full").exists() {
        eprintln!("SKIPPED: this system has no /dev/full");
        return;
    }
    for args in [
        &["list"][..],
        &[
            "run",
            "lock-vs-join",
            "--mode",
            "virtual",
            "--format",
            "json",
        ],
        &["run", "lock-vs-join", "--mode", "virtual"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let o = Command::new(env!("CARGO_BIN_EXE_lockstep"))
            .args(args)
            .stdout(full)
            .output()
            .unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains("No space left on device"), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn a_schedule_that_is_not_a_regular_file_is_refused_at_once() {
    let s = Scratch::new("schedules");
    let fifo = s.fifo("s.json");
    let dir = s.path("adir");
    std::fs::create_dir(&dir).unwrap();
    for (file, needle) in [
        ("/dev/zero", "not a regular file (a character device)"),
        (fifo.to_str().unwrap(), "not a regular file (a FIFO)"),
        (dir.to_str().unwrap(), "not a regular file (a directory)"),
    ] {
        assert_bounded_one_line_error(&["run", "--schedule", file], needle);
    }
    // A regular file past the size cap is refused without reading it all.
    let big = s.path("big.json");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(lockstep::files::MAX_SCHEDULE_BYTES + 1).unwrap();
    assert_bounded_one_line_error(&["run", "--schedule", big.to_str().unwrap()], "too large");
}

/// `record --out FILE` killed during its runs: FILE still holds what it held.
#[test]
fn an_interrupted_recording_leaves_the_old_results() {
    use std::process::Stdio;
    let s = Scratch::new("out");
    let out = s.path("results.md");
    std::fs::write(&out, "the user's old results\n").unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_lockstep"))
        .args([
            "record",
            "lock-vs-join",
            "--mode",
            "live",
            "--scale",
            "0.01",
            "--repeat",
            "5",
            "--out",
        ])
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Fifteen runs of several seconds each: well under way after a second and a half (no
    // progress line says so on a pipe).
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(child.try_wait().unwrap().is_none(), "still recording");
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "the user's old results\n"
    );
    let left: Vec<_> = std::fs::read_dir(&s.0)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 1, "nothing else is left beside it: {left:?}");

    // A finished recording replaces it, and leaves nothing else either.
    let o = lockstep(&[
        "record",
        "lock-vs-join",
        "--mode",
        "virtual",
        "--repeat",
        "1",
        "--seed",
        "3",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&out).unwrap().contains("no-lock"));
    assert_eq!(std::fs::read_dir(&s.0).unwrap().count(), 1);
}

#[test]
fn out_never_waits_on_a_fifo() {
    let s = Scratch::new("out-fifo");
    let fifo = s.fifo("r.md");
    for cmd in ["record", "sweep"] {
        let mut args = vec![cmd, "lock-vs-join", "--mode", "virtual", "--repeat", "1"];
        if cmd == "sweep" {
            args.extend(["--param", "threads=1,2"]);
        }
        args.extend(["--out", fifo.to_str().unwrap()]);
        assert_bounded_one_line_error(&args, "not a regular file");
    }
}

#[test]
fn control_characters_from_lesson_files_never_reach_the_terminal() {
    let s = Scratch::new("controls");
    let text = include_str!("../../lessons/lock-vs-join.toml")
        .replacen(
            "en = \"Race condition: lock vs join\"",
            "en = \"Race \\u001b]0;owned\\u0007condition\\u009b31m\"",
            1,
        )
        .replacen("summary = { en = \"", "summary = { en = \"\\u001b[2J\\r", 1);
    std::fs::write(s.path("lock-vs-join.toml"), text).unwrap();
    let dir = s.0.to_str().unwrap();
    for args in [
        &["--lessons-dir", dir, "list"][..],
        &[
            "--lessons-dir",
            dir,
            "run",
            "lock-vs-join",
            "--mode",
            "virtual",
            "--variant",
            "lock",
        ],
    ] {
        let o = lockstep(args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        let out = String::from_utf8(o.stdout).unwrap();
        assert!(out.contains("Race "), "{out}");
        let raw: Vec<char> = out
            .chars()
            .filter(|c| c.is_control() && *c != '\n')
            .collect();
        assert!(raw.is_empty(), "{args:?}: {raw:?} in {out}");
        assert!(
            out.contains("\\u{1b}]0;owned\\u{7}"),
            "escaped as the app does: {out}"
        );
    }
}

#[test]
fn errors_that_echo_input_escape_it_and_cut_it_short() {
    let long = "x".repeat(10_000);
    for args in [
        vec!["run", long.as_str()],
        vec!["run", "lock-vs-join", "--scale", long.as_str()],
        vec!["run", "lock-vs-join", "--param", &format!("threads={long}")],
        vec!["run", "\u{1b}[31mred\u{7}"],
    ] {
        let o = lockstep(&args);
        assert_eq!(o.status.code(), Some(2));
        let err = stderr(&o);
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.chars().count() < 400, "cut at a readable length: {err}");
        assert!(
            !err.trim_end().chars().any(|c| c.is_control()),
            "escaped: {err:?}"
        );
    }
}

#[test]
fn smaller_mistakes_are_one_line_too() {
    let twice = ["--param", "threads=10", "--param", "threads=20"];
    for cmd in [
        &["run", "lock-vs-join"][..],
        &["record", "lock-vs-join"],
        &["tui", "lock-vs-join"],
    ] {
        let args: Vec<&str> = cmd.iter().chain(twice.iter()).copied().collect();
        assert_one_line_error(&args, "--param threads is given twice");
    }
    // A parameter pair the lesson declares (make-min, make-max) must stay in order.
    assert_one_line_error(
        &[
            "run",
            "producer-consumer",
            "--param",
            "make-min=5",
            "--param",
            "make-max=3",
        ],
        "make-min = 5 is above make-max = 3",
    );
    assert_one_line_error(
        &["run", "producer-consumer", "--param", "eat-min=4"],
        "eat-min = 4 is above eat-max = 3",
    );
    assert_one_line_error(
        &[
            "sweep",
            "producer-consumer",
            "--param",
            "make-min=1,5",
            "--mode",
            "virtual",
        ],
        "make-min = 5 is above make-max = 3",
    );
    // A sweep's empty value is named, not dropped.
    for list in ["threads=1,,2", "threads=1,2,", "threads=,1"] {
        assert_one_line_error(
            &[
                "sweep",
                "lock-vs-join",
                "--param",
                list,
                "--mode",
                "virtual",
            ],
            "an empty value",
        );
    }
    // A scale too small to mean anything (and to print).
    assert_one_line_error(&["run", "lock-vs-join", "--scale", "1e-320"], "--scale");
    // A lessons folder with no lesson in it.
    let s = Scratch::new("empty-lessons");
    std::fs::write(s.path("notes.txt"), "no lessons here").unwrap();
    assert_one_line_error(
        &["--lessons-dir", s.0.to_str().unwrap(), "list"],
        "no lesson files (*.toml)",
    );
}

/// When the system refuses a thread (a `ulimit -u`, a container's pids limit; here the limit
/// `LOCKSTEP_MAX_OS_THREADS` stands in for it), the run ends at once with one line naming the
/// thread, status 2, and nothing left hanging.
#[test]
fn a_refused_thread_ends_the_run_in_one_line() {
    use std::process::Stdio;
    for args in [
        [
            "run",
            "lock-vs-join",
            "--variant",
            "lock",
            "--mode",
            "virtual",
        ],
        [
            "record",
            "lock-vs-join",
            "--variant",
            "lock",
            "--mode",
            "virtual",
        ],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lockstep"))
            .args(args)
            .env("LOCKSTEP_MAX_OS_THREADS", "40")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while child.try_wait().unwrap().is_none() {
            if std::time::Instant::now() > deadline {
                child.kill().unwrap();
                panic!("{args:?} hangs after the refusal");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let o = child.wait_with_output().unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.contains("the system refused thread T") && err.contains("of the run"),
            "{args:?}: {err}"
        );
    }
}
