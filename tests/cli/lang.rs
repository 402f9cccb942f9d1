//! `--lang zh`: the command line's text in Chinese (tables, lines, the log, deadlocks,
//! Markdown), while JSON and CSV stay the same in every language: they are data.

use std::process::{Command, Output};

fn lockstep(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lockstep"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// The JSON of a run, its log lines sorted (threads cancelled by a deadlock unwind in any
/// order).
fn run_json(args: &[&str]) -> serde_json::Value {
    let o = lockstep(args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    if let Some(logs) = doc["log"].as_object_mut() {
        for lines in logs.values_mut() {
            lines.as_array_mut().unwrap().sort_by_key(|l| l.to_string());
        }
    }
    doc
}

#[test]
fn run_in_chinese_prints_a_chinese_table_and_deadlock_line() {
    let o = lockstep(&[
        "run",
        "deadlock",
        "--mode",
        "virtual",
        "--seed",
        "1",
        "--variant",
        "two-locks",
        "--lang",
        "zh",
    ]);
    assert!(o.status.success());
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[1].starts_with("模式 虚拟 · 时间比例 0.1 · 种子 1 · "),
        "{out}"
    );
    assert_eq!(
        lines[3],
        "版本                     实测       理想   保真度  检查   结果"
    );
    let row = lines[4];
    assert!(row.starts_with("two-locks "), "{row}");
    assert!(row.contains(" 通过   死锁："), "{row}");
    assert!(row.contains("T1 持有 B，等待 A"), "{row}");
    assert!(row.contains("T2 持有 A，等待 B"), "{row}");
    for english in [
        "variant",
        "measured",
        "holds",
        "waits for",
        "deadlock:",
        " ok ",
    ] {
        assert!(!out.contains(english), "{english:?} in\n{out}");
    }
}

#[test]
fn the_log_and_failed_checks_are_chinese_too() {
    // A schedule that runs T1 to the end before T2 starts: nothing is lost, so the check
    // "updates are lost without a lock" fails.
    let dir = std::env::temp_dir().join(format!("lockstep-lang-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("safe.json");
    let names = ["main", "T1", "T2"];
    let choices: Vec<String> = [0; 4]
        .into_iter()
        .chain([1; 5])
        .chain([2; 5])
        .map(|t| format!("{{\"thread\": {t}, \"name\": \"{}\"}}", names[t]))
        .collect();
    let schedule = format!(
        "{{\"lockstep\": \"schedule\", \"version\": 1, \"lesson\": \"lock-vs-join\", \
         \"variant\": \"no-lock\", \"seed\": 7, \"scale\": 0.01, \
         \"params\": {{\"threads\": 2, \"work\": 3, \"critical\": 0.5}}, \"choices\": [{}]}}",
        choices.join(", ")
    );
    std::fs::write(&file, schedule).unwrap();
    let path = file.to_str().unwrap();
    let o = lockstep(&["run", "--schedule", path, "--log", "--lang", "zh"]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(o.status.code(), Some(1), "a check failed");
    let out = stdout(&o);
    assert!(out.contains(&format!("重放 {path} 中的调度")), "{out}");
    assert!(out.contains(" 未通过 n = 0"), "{out}");
    assert!(out.contains("✗ no-lock：不加锁，更新会丢失"), "{out}");
    assert!(out.contains("\nno-lock 的事件日志：\n"), "{out}");
    assert!(out.contains(" T1 读到 n = 2\n"), "{out}");
    assert!(out.contains(" main 对 T1 调用 join\n"), "{out}");
    assert!(out.contains("教程的数字是 threads=100 "), "{out}");
    assert!(
        !out.contains(" reads n") && !out.contains("FAILED"),
        "{out}"
    );
}

#[test]
fn json_is_the_same_in_every_language() {
    for lesson in ["deadlock", "producer-consumer"] {
        let mut args = vec![
            "run", lesson, "--mode", "virtual", "--seed", "4", "--log", "--format", "json",
        ];
        let en = run_json(&args);
        args.extend(["--lang", "zh"]);
        assert_eq!(run_json(&args), en, "{lesson}");
    }
    // The documented shape of a deadlock, in English.
    let doc = run_json(&[
        "run",
        "deadlock",
        "--mode",
        "virtual",
        "--seed",
        "1",
        "--variant",
        "two-locks",
        "--format",
        "json",
        "--lang",
        "zh",
    ]);
    let d = &doc["variants"][0]["deadlock"];
    for link in d["cycle"].as_array().unwrap() {
        let keys: Vec<&String> = link.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["holds", "thread", "waits_for"], "{d}");
    }
    assert!(d["stuck"].is_array(), "{d}");
    let check = &doc["variants"][0]["checks"][0]["name"];
    assert!(check.as_str().unwrap().is_ascii(), "{check}");
}

#[test]
fn list_and_the_timing_tables_speak_chinese_and_csv_does_not() {
    let list = stdout(&lockstep(&["list", "--lang", "zh"]));
    assert!(list.contains("版本：no-lock, lock, join"), "{list}");
    assert!(!list.contains("variants:"), "{list}");

    let record = |format: &str, lang: &str| {
        stdout(&lockstep(&[
            "record",
            "lock-vs-join",
            "--mode",
            "virtual",
            "--repeat",
            "1",
            "--seed",
            "3",
            "--format",
            format,
            "--lang",
            lang,
        ]))
    };
    let md = record("md", "zh");
    assert!(
        md.starts_with("### 竞态条件：锁与 join (lock-vs-join)\n"),
        "{md}"
    );
    assert!(
        md.contains("时间比例 0.01（课程中的一秒持续 0.01 s）· 种子 3 · "),
        "{md}"
    );
    assert!(
        md.contains("| 版本 | 模式 | 中位数 | 最小 – 最大 | 理想 | 保真度 | 结果 | 通过 |"),
        "{md}"
    );
    assert!(md.contains("| no-lock | 虚拟 | 5.00 ms |"), "{md}");
    assert!(md.contains("n = 99, 丢失 99"), "{md}");
    assert!(
        md.contains("比值（虚拟）：lock ÷ no-lock：我们 106.00，教程 102.48"),
        "{md}"
    );
    assert_eq!(record("csv", "zh"), record("csv", "en"));
    assert_eq!(record("json", "zh"), record("json", "en"));

    let sweep = stdout(&lockstep(&[
        "sweep",
        "lock-vs-join",
        "--mode",
        "virtual",
        "--param",
        "threads=2,5",
        "--lang",
        "zh",
    ]));
    assert!(
        sweep.contains("| 版本 | 模式 | threads | 中位数 |"),
        "{sweep}"
    );
}
