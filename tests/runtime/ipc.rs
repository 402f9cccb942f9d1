//! What crosses processes: a process queue, a pipe, shared memory with its lock, a file lock.
//! Virtual runs check orders and counts exactly; live runs check that real child processes
//! really share them (items come back, the shared memory holds every update, the file lock
//! keeps two processes' writes apart) and that nothing is left behind.

use lockstep::engine::process::selftest;
use lockstep::engine::trace::Trace;
use lockstep::engine::{
    Config, Event, FileLock, Mode, ProcessQueue, Run, SharedValue, ThreadState, pipe, spawn_process,
};

fn virt(seed: u64) -> Config {
    Config {
        mode: Mode::Virtual,
        scale: 1.0,
        seed,
    }
}

fn live() -> Config {
    // Every test that reads it sets the same value.
    unsafe { std::env::set_var("LOCKSTEP_EXE", env!("CARGO_BIN_EXE_lockstep")) };
    Config {
        mode: Mode::Live,
        scale: 0.01,
        seed: 1,
    }
}

fn log(events: &[Event]) -> Vec<String> {
    lockstep::schedule::log_lines(events, lockstep::words::Lang::En)
}

/// Two workers take numbers from one queue and put back squares: every square comes back,
/// once, whoever computed it (Python: `multiprocessing.Queue` between processes).
fn squares_demo() -> Vec<u64> {
    let tasks = ProcessQueue::<Option<u64>>::new("tasks", 0);
    let results = ProcessQueue::<u64>::new("results", 0);
    let workers: Vec<_> = ["w1", "w2"]
        .iter()
        .map(|n| spawn_process(*n, selftest::squares, (tasks.clone(), results.clone())))
        .collect();
    for n in 1..=6 {
        tasks.put(Some(n));
    }
    for _ in &workers {
        tasks.put(None);
    }
    let mut got: Vec<u64> = (0..6).map(|_| results.get()).collect();
    for w in &workers {
        w.join();
    }
    got.sort_unstable();
    got
}

#[test]
fn a_process_queue_carries_items_between_processes() {
    for seed in 0..40 {
        let (r, events) = Run::run_to_end(virt(seed), squares_demo);
        assert_eq!(r.outcome, Some(vec![1, 4, 9, 16, 25, 36]), "seed {seed}");
        let lines = log(&events);
        assert!(
            lines
                .iter()
                .any(|l| l.contains("w1 takes") || l.contains("w2 takes")),
            "{lines:#?}"
        );
    }
}

#[test]
fn live_a_process_queue_carries_items_between_real_processes() {
    let (r, events) = Run::run_to_end(live(), squares_demo);
    assert_eq!(
        r.outcome,
        Some(vec![1, 4, 9, 16, 25, 36]),
        "{:#?}",
        log(&events)
    );
    // The children's takes are on the parent's queue, in the children's lanes.
    let trace = Trace::from_events(&events);
    let tasks = trace.resources.iter().find(|r| r.name == "tasks").unwrap();
    let takers: Vec<String> = tasks
        .history
        .iter()
        .filter(|c| matches!(c.kind, lockstep::engine::trace::ChangeKind::Took))
        .map(|c| trace.threads[c.tid.0 as usize].name.clone())
        .collect();
    assert_eq!(takers.len(), 8, "{takers:?}");
    assert!(takers.iter().all(|n| n == "w1" || n == "w2"), "{takers:?}");
    assert!(trace.processes.iter().all(|p| p.exit == Some(0)));
}

/// A child waiting on a queue nobody fills is shown blocked on the parent's queue, and
/// cancelling the run ends its wait and the child, leaving nothing behind.
#[test]
fn live_a_child_blocked_on_a_parent_queue_is_cancelled_cleanly() {
    let run = Run::start(live(), || {
        let q = ProcessQueue::<u64>::new("never", 0);
        let p = spawn_process("waiter", selftest::wait_on, q);
        p.join();
    });
    // Until the child's wait shows on the parent's queue.
    let mut events = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        events.extend(run.events().try_iter());
        let trace = Trace::from_events(&events);
        let blocked = trace
            .threads
            .iter()
            .any(|t| t.name == "waiter" && matches!(t.state, ThreadState::Blocked(_)));
        if blocked {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{:#?}", log(&events));
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    run.cancel();
    events.extend(run.events().try_iter());
    let trace = Trace::from_events(&events);
    let os_pid = trace.processes[0].os_pid.unwrap();
    assert!(!super_children().contains(&os_pid), "the child is gone");
}

fn super_children() -> Vec<u32> {
    let me = std::process::id();
    let mut out = Vec::new();
    for task in std::fs::read_dir(format!("/proc/{me}/task"))
        .unwrap()
        .flatten()
    {
        let list = std::fs::read_to_string(task.path().join("children")).unwrap_or_default();
        out.extend(
            list.split_whitespace()
                .filter_map(|p| p.parse::<u32>().ok()),
        );
    }
    out
}

/// Three processes add one twenty times each to a shared value, in two steps: without its
/// lock some seeds lose updates (fewer than 60, and the lost ones counted); with it, 60.
fn count_demo(locked: bool) -> i64 {
    let v = SharedValue::value("n", 0);
    let ps: Vec<_> = ["p1", "p2", "p3"]
        .iter()
        .map(|n| spawn_process(*n, selftest::count_up, (v.clone(), 20u32, locked)))
        .collect();
    for p in &ps {
        p.join();
    }
    v.peek()[0]
}

#[test]
fn shared_memory_loses_updates_without_its_lock_and_none_with_it() {
    let mut lost_somewhere = false;
    for seed in 0..30 {
        let (r, events) = Run::run_to_end(virt(seed), || count_demo(false));
        let n = r.outcome.unwrap();
        let trace = Trace::from_events(&events);
        let lost = trace
            .resources
            .iter()
            .find(|r| r.name == "n")
            .unwrap()
            .lost_updates;
        assert_eq!(
            n + lost as i64,
            60,
            "seed {seed}: every lost update is counted"
        );
        lost_somewhere |= n < 60;
        let (r, _) = Run::run_to_end(virt(seed), || count_demo(true));
        assert_eq!(r.outcome, Some(60), "seed {seed}");
    }
    assert!(
        lost_somewhere,
        "without the lock, some seed loses an update"
    );
}

#[test]
fn live_shared_memory_is_shared_by_real_processes() {
    let (r, events) = Run::run_to_end(live(), || count_demo(true));
    assert_eq!(r.outcome, Some(60), "{:#?}", log(&events));
    let trace = Trace::from_events(&events);
    // The children's writes are counted on the parent's variable.
    let n = trace.resources.iter().find(|r| r.name == "n").unwrap();
    assert_eq!(n.lost_updates, 0);
    let lock = trace.resources.iter().find(|r| r.name == "n.lock").unwrap();
    assert_eq!(lock.acquisitions, 60, "every add was under the lock");
}

/// Two processes append "start"/"end" pairs to a file under a file lock: the pairs never
/// interleave.
fn file_demo(dir: &std::path::Path) -> Vec<String> {
    let lock = FileLock::new("log.lock", &dir.join("log.lock"));
    let a = spawn_process(
        "a",
        selftest::log_under_lock,
        (lock.clone(), "a".to_string(), 3u32),
    );
    let b = spawn_process(
        "b",
        selftest::log_under_lock,
        (lock.clone(), "b".to_string(), 3u32),
    );
    a.join();
    b.join();
    let text = std::fs::read_to_string(dir.join("log.log")).unwrap_or_default();
    text.lines().map(str::to_string).collect()
}

fn assert_paired(lines: &[String]) {
    assert_eq!(lines.len(), 12, "{lines:#?}");
    for pair in lines.chunks(2) {
        let who = pair[0].strip_prefix("start ").expect("a start first");
        assert_eq!(pair[1], format!("end {who}"), "{lines:#?}");
    }
}

#[test]
fn a_file_lock_keeps_processes_apart() {
    for seed in 0..10 {
        let dir = tempdir(&format!("virt-{seed}"));
        let d = dir.clone();
        let (r, _) = Run::run_to_end(virt(seed), move || file_demo(&d));
        assert_paired(&r.outcome.unwrap());
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[test]
fn live_a_file_lock_keeps_real_processes_apart() {
    let dir = tempdir("live");
    let d = dir.clone();
    let (r, events) = Run::run_to_end(live(), move || file_demo(&d));
    let lines = r.outcome.clone().unwrap_or_default();
    assert_eq!(
        lines.len(),
        12,
        "{:#?} {:?} {:#?}",
        r.report,
        r.outcome,
        log(&events)
    );
    assert_paired(&lines);
    let trace = Trace::from_events(&events);
    let lock = trace
        .resources
        .iter()
        .find(|r| r.name == "log.lock")
        .unwrap();
    assert_eq!(lock.acquisitions, 6, "{:#?}", log(&events));
    let _ = std::fs::remove_dir_all(dir);
}

fn tempdir(tag: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("lockstep-ipc-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A pipe's two ends: what one sends, the other receives, in order.
fn echo_demo() -> Vec<String> {
    let (here, there) = pipe::<String>("pipe");
    let p = spawn_process("echo", selftest::echo, there);
    let mut got = Vec::new();
    for m in ["a", "b", "c"] {
        here.send(m.to_string());
        got.push(here.recv());
    }
    here.send("bye".to_string());
    p.join();
    got
}

#[test]
fn a_pipe_carries_messages_both_ways() {
    for seed in 0..20 {
        let (r, _) = Run::run_to_end(virt(seed), echo_demo);
        assert_eq!(r.outcome, Some(vec!["aa".into(), "bb".into(), "cc".into()]));
    }
    let (r, events) = Run::run_to_end(live(), echo_demo);
    assert_eq!(
        r.outcome,
        Some(vec!["aa".into(), "bb".into(), "cc".into()]),
        "{:#?} {} {:#?}",
        r.report,
        events.len(),
        log(&events)
    );
}

/// The same seed gives the same log, queues and shared memory and all.
#[test]
fn the_same_seed_gives_the_same_log_across_processes() {
    let first = log(&Run::run_to_end(virt(7), squares_demo).1);
    for _ in 0..3 {
        assert_eq!(log(&Run::run_to_end(virt(7), squares_demo).1), first);
    }
    let first = log(&Run::run_to_end(virt(3), || count_demo(false)).1);
    assert_eq!(
        log(&Run::run_to_end(virt(3), || count_demo(false)).1),
        first
    );
}
