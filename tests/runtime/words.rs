//! The runtime's words in either language: one run's events give its log, its thread states
//! and its deadlock in English or in Chinese, and the English is what it always was.

use crate::support::demos;
use lockstep::engine::trace::Trace;
use lockstep::engine::{
    Awaited, Config, Deadlock, Mode, Mutex, Outcome, ResourceKind, Run, ThreadState, secs, sleep,
    spawn,
};
use lockstep::words::Lang;
use std::sync::Arc;

fn virtual_run(demo: fn() -> Outcome) -> (Option<Deadlock>, Trace) {
    let cfg = Config {
        mode: Mode::Virtual,
        scale: 1.0,
        seed: 3,
    };
    let (report, events) = Run::run_to_end(cfg, demo);
    (report.deadlock.clone(), Trace::from_events(&events))
}

/// T1 holds the lock for a second; T2 asks for it meanwhile and waits; then T2 gets it.
fn queued_at_a_lock() -> Outcome {
    let lock = Arc::new(Mutex::new("lock", ()));
    let l1 = lock.clone();
    let t1 = spawn("T1", move || {
        let _g = l1.lock();
        sleep(secs(1.0));
    });
    sleep(secs(0.5));
    let t2 = spawn("T2", move || {
        let _g = lock.lock();
    });
    t1.join().unwrap();
    t2.join().unwrap();
    Outcome::new()
}

#[test]
fn the_same_log_reads_in_english_and_in_chinese() {
    let (_, t) = virtual_run(queued_at_a_lock);
    let en: Vec<String> = t.log_texts(Lang::En).collect();
    let zh: Vec<String> = t.log_texts(Lang::Zh).collect();
    assert_eq!(en.len(), zh.len());
    for line in [
        "main starts thread T1",
        "T1 holds lock",
        "T2 waits for lock (held by T1)",
        "T1 releases lock",
        "main joins T1",
        "main joined T2 (it has finished)",
        "every thread has finished",
    ] {
        assert!(en.iter().any(|l| l == line), "{line:?} in {en:#?}");
    }
    for line in [
        "main 启动线程 T1",
        "T1 拿到 lock",
        "T2 等待 lock（T1 持有）",
        "T1 释放 lock",
        "main 对 T1 调用 join",
        "所有线程都已结束",
    ] {
        assert!(zh.iter().any(|l| l == line), "{line:?} in {zh:#?}");
    }
    // Written again after the other language: the same English, byte for byte.
    assert_eq!(t.log_texts(Lang::En).collect::<Vec<_>>(), en);
}

#[test]
fn a_wait_names_the_holder_of_its_moment_not_of_the_end() {
    // By the end T1 has released the lock and T2 has held and released it: the line written
    // afterwards still names T1, who held it when T2 began to wait.
    let (_, t) = virtual_run(queued_at_a_lock);
    let r = t.resources.iter().find(|r| r.name == "lock").unwrap();
    assert_eq!(r.owner, None);
    let line = t
        .log_texts(Lang::En)
        .find(|l| l.starts_with("T2 waits"))
        .unwrap();
    assert_eq!(line, "T2 waits for lock (held by T1)");
}

#[test]
fn a_threads_latest_doing_and_state_read_in_either_language() {
    let (_, t) = virtual_run(queued_at_a_lock);
    let t2 = t.threads.iter().find(|x| x.name == "T2").unwrap().tid;
    assert_eq!(t.doing(t2, Lang::En).as_deref(), Some("T2 is done"));
    assert_eq!(t.doing(t2, Lang::Zh).as_deref(), Some("T2 完成了"));
    // main's last line is the end of the run, which is not something main did.
    let main = t.threads[0].tid;
    assert_eq!(t.doing(main, Lang::En).as_deref(), Some("main is done"));
    assert_eq!(t.state_counts(Lang::En), [("done", 3)]);
    assert_eq!(t.state_counts(Lang::Zh), [("完成", 3)]);
    let blocked = ThreadState::Blocked(lockstep::engine::event::BlockedOn::Thread(t2));
    assert_eq!(blocked.word(Lang::Zh), "阻塞");
    assert_eq!(
        ResourceKind::ReentrantMutex.word(Lang::En),
        "reentrant mutex"
    );
    assert_eq!(ResourceKind::ReentrantMutex.word(Lang::Zh), "可重入锁");
}

#[test]
fn a_deadlock_reads_in_either_language_and_serializes_in_english() {
    let (d, t) = virtual_run(demos::crossed_locks);
    let d = d.expect("a deadlock");
    let en = d.to_string();
    assert!(
        en == "deadlock: T1 holds A and waits for B; T2 holds B and waits for A"
            || en == "deadlock: T2 holds B and waits for A; T1 holds A and waits for B",
        "{en}"
    );
    let zh = d.text(Lang::Zh);
    assert!(zh.starts_with("死锁："), "{zh}");
    assert!(zh.contains("T1 持有 A，等待 B"), "{zh}");
    assert!(zh.contains("T2 持有 B，等待 A"), "{zh}");
    assert!(zh.contains('；'), "{zh}");
    let found = t.log_texts(Lang::Zh).find(|l| l.contains("死锁")).unwrap();
    assert_eq!(found, format!("发现死锁。{zh}"));
    // The documented JSON: thread, holds, waits_for, in English; nothing more.
    let json = serde_json::to_value(&d).unwrap();
    for link in json["cycle"].as_array().unwrap() {
        let keys: Vec<&String> = link.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["holds", "thread", "waits_for"], "{link}");
    }
    assert_eq!(json["cycle"].as_array().unwrap().len(), 2);
    assert!(json["stuck"].is_array());
}

#[test]
fn a_join_in_a_deadlock_reads_in_either_language() {
    let (d, _) = virtual_run(demos::join_while_holding);
    let d = d.expect("a deadlock");
    let main = d.cycle.iter().find(|l| l.thread == "main").unwrap();
    assert_eq!(main.awaited, Awaited::Thread("T1".into()));
    assert_eq!(main.waits_for, "T1 to finish");
    assert_eq!(
        main.text(Lang::En),
        "main holds L and waits for T1 to finish"
    );
    assert_eq!(main.text(Lang::Zh), "main 持有 L，等待 T1 结束");
    let t1 = d.cycle.iter().find(|l| l.thread == "T1").unwrap();
    assert_eq!(t1.text(Lang::Zh), "T1 等待 L");
    let json = serde_json::to_value(main).unwrap();
    assert_eq!(json["waits_for"], "T1 to finish");
}
