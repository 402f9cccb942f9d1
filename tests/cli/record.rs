//! `lockstep record` and `lockstep sweep`: rows, columns and formats, without timing claims
//! (virtual mode gives exact times; live runs only have to finish and pass their checks).

use std::process::{Command, Output};

fn lockstep(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lockstep"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout.clone()).unwrap()
}

const RECORD: [&str; 9] = [
    "record",
    "lock-vs-join",
    "--mode",
    "virtual",
    "--repeat",
    "2",
    "--scale",
    "1",
    "--seed",
];

fn record(format: &str) -> String {
    let mut args = RECORD.to_vec();
    args.extend(["7", "--format", format]);
    stdout(&lockstep(&args))
}

#[test]
fn json_rows_carry_times_ideals_outcomes_and_the_machine() {
    let doc: serde_json::Value = serde_json::from_str(&record("json")).unwrap();
    assert_eq!(doc["header"]["lesson"], "lock-vs-join");
    assert_eq!(doc["header"]["seed"], 7);
    assert!(doc["header"]["machine"]["cores"].as_u64().unwrap() >= 1);
    let rows = doc["rows"].as_array().unwrap();
    let got: Vec<(&str, f64, i64)> = rows
        .iter()
        .map(|r| {
            (
                r["variant"].as_str().unwrap(),
                r["median_ms"].as_f64().unwrap(),
                r["outcome.n"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("no-lock", 500.0, 99),
            ("lock", 53_000.0, 0),
            ("join", 350_000.0, 0)
        ]
    );
    for r in rows {
        for key in [
            "lesson",
            "variant",
            "mode",
            "scale",
            "repeat",
            "min_ms",
            "median_ms",
            "max_ms",
            "ideal_ms",
            "fidelity",
            "ok",
            "cores",
            "os",
            "version",
        ] {
            assert!(!r[key].is_null(), "{key} missing in {r}");
        }
        assert_eq!(r["mode"], "virtual");
        assert_eq!(r["repeat"], 2);
        assert_eq!(r["fidelity"], 1);
        assert_eq!(r["ok"], true);
        assert_eq!(r["min_ms"], r["max_ms"], "virtual runs do not vary");
    }
}

#[test]
fn csv_has_the_same_columns_and_numbers_as_json() {
    let doc: serde_json::Value = serde_json::from_str(&record("json")).unwrap();
    let csv = record("csv");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows = doc["rows"].as_array().unwrap();
    let json_keys: Vec<&str> = rows[0]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    let mut sorted_header = header.clone();
    sorted_header.sort();
    let mut sorted_json = json_keys.clone();
    sorted_json.sort();
    assert_eq!(sorted_header, sorted_json);
    for (line, row) in lines.zip(rows) {
        let cells: Vec<&str> = line.split(',').collect();
        for (name, cell) in header.iter().zip(cells) {
            let v = &row[*name];
            let want = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            assert_eq!(cell, want, "{name}");
        }
    }
}

#[test]
fn markdown_sets_ours_beside_the_tutorials() {
    let md = record("md");
    assert!(md.contains("| variant | mode |"), "{md}");
    assert!(md.contains("tutorial (scaled)"), "{md}");
    assert!(md.contains("350.69 s") || md.contains("350.7 s"), "{md}");
    assert!(md.contains("join ÷ lock: ours 6.60, tutorial 6.58"), "{md}");
}

#[test]
fn a_sweep_shows_lock_time_growing_with_threads() {
    let out = stdout(&lockstep(&[
        "sweep",
        "lock-vs-join",
        "--param",
        "threads=1,10,50,100",
        "--variant",
        "lock",
        "--mode",
        "virtual",
        "--scale",
        "1",
        "--format",
        "json",
    ]));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let got: Vec<(i64, f64)> = doc["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["threads"].as_i64().unwrap(),
                r["median_ms"].as_f64().unwrap(),
            )
        })
        .collect();
    // W + T·C with W = 3 s and C = 0.5 s.
    assert_eq!(
        got,
        [(1, 3_500.0), (10, 8_000.0), (50, 28_000.0), (100, 53_000.0)]
    );
}

#[test]
fn results_go_to_out_and_progress_never_to_stdout() {
    let dir = std::env::temp_dir().join(format!("lockstep-record-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("r.csv");
    let o = lockstep(&[
        "record",
        "lock-vs-join",
        "--variant",
        "no-lock",
        "--mode",
        "live",
        "--scale",
        "0.01",
        "--repeat",
        "2",
        "--format",
        "csv",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(o.stdout.is_empty());
    let csv = std::fs::read_to_string(&file).unwrap();
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(csv.lines().nth(1).unwrap().contains(",live,"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn no_progress_when_stderr_is_not_a_terminal() {
    // Six live runs of half a second: long enough for a bar, but stderr is a pipe here.
    let o = lockstep(&[
        "record",
        "lock-vs-join",
        "--variant",
        "lock",
        "--param",
        "work=0",
        "--repeat",
        "6",
        "--format",
        "csv",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 2);
}

#[test]
fn bad_sweeps_get_one_line() {
    for (args, needle) in [
        (
            vec!["sweep", "lock-vs-join", "--param", "threads=10"],
            "values",
        ),
        (
            vec![
                "sweep",
                "lock-vs-join",
                "--param",
                "threads=1,2",
                "--param",
                "work=1,2",
            ],
            "one parameter at a time",
        ),
        (
            vec!["sweep", "lock-vs-join", "--param", "threads=1,0"],
            "threads",
        ),
        (vec!["record", "lock-vs-join", "--repeat", "0"], "--repeat"),
        (vec!["record", "lock-vs-join", "--mode", "fast"], "--mode"),
    ] {
        let o = lockstep(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

#[test]
fn format_all_writes_three_files_from_the_same_runs() {
    let dir = std::env::temp_dir().join(format!("lockstep-all-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let stem = dir.join("lesson");
    let o = lockstep(&[
        "record",
        "lock-vs-join",
        "--mode",
        "live",
        "--scale",
        "0.002",
        "--param",
        "threads=10",
        "--repeat",
        "2",
        "--format",
        "all",
        "--out",
        stem.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(stem.with_extension("json")).unwrap())
            .unwrap();
    let csv = std::fs::read_to_string(stem.with_extension("csv")).unwrap();
    let md = std::fs::read_to_string(stem.with_extension("md")).unwrap();
    // Live times vary run to run: the three files agree because they come from one recording.
    for row in json["rows"].as_array().unwrap() {
        let median = row["median_ms"].to_string();
        let line = csv
            .lines()
            .find(|l| l.contains(&format!(",{},", row["variant"].as_str().unwrap())))
            .unwrap();
        assert!(line.split(',').any(|c| c == median), "{median} in {line}");
    }
    assert!(md.contains("| no-lock | live |"), "{md}");
    let o = lockstep(&["record", "lock-vs-join", "--format", "all"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--out STEM"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_tutorials_figures_only_beside_the_tutorials_parameters() {
    let out = stdout(&lockstep(&[
        "record",
        "lock-vs-join",
        "--mode",
        "virtual",
        "--repeat",
        "1",
        "--param",
        "threads=10",
        "--format",
        "md",
    ]));
    assert!(!out.contains("tutorial (scaled)"), "{out}");
    assert!(
        out.contains("The tutorial's figures are for threads=100 work=3 critical=0.5"),
        "{out}"
    );
}
