//! processes: threads share their process's memory, a child process has its own; starting a
//! process costs far more than starting a thread; a command runs as a child process; and a
//! CPU-bound job split over the machine's cores, in threads and in processes.

use crate::engine::{
    Global, ProcessQueue, Process, compute, now, run_command, say, spawn, spawn_process,
};
use crate::params::Params;
use std::process::Command;
use std::time::Duration;

/// A module-level name: every process has a copy of its own.
static N: Global<i64> = Global::new("n", 100);

/// Sets this process's n to 0.
pub fn set_to_zero(_: ()) {
    N.set(0);
    say(format!("child: n = {}", N.get()));
}

/// A thread sets n to 0: threads share their process's memory, main sees 0.
pub fn global_thread(_: &Params) -> i64 {
    let t = spawn("child", || set_to_zero(()));
    t.join().ok();
    say(format!("main: n = {}", N.get()));
    N.get()
}

/// A child process sets n to 0: it set its own copy, main's is still 100.
pub fn global_process(_: &Params) -> i64 {
    let p = spawn_process("child", set_to_zero, ());
    p.join();
    say(format!("main: n = {}", N.get()));
    N.get()
}

/// Does nothing: what is measured is starting it and waiting for it.
pub fn nothing(_: ()) {}

/// Start `count` threads, then join them all.
pub fn start_threads(p: &Params) -> Started {
    let count = p.get("count") as usize;
    let t0 = now();
    let threads: Vec<_> = (0..count)
        .map(|i| spawn(format!("T{}", i + 1), || nothing(())))
        .collect();
    for t in threads {
        t.join().ok();
    }
    Started::new(count, now() - t0)
}

/// Start `count` processes, then join them all.
pub fn start_processes(p: &Params) -> Started {
    let count = p.get("count") as usize;
    let t0 = now();
    let processes: Vec<Process> = (0..count)
        .map(|i| spawn_process(format!("P{}", i + 1), nothing, ()))
        .collect();
    for p in &processes {
        p.join();
    }
    Started::new(count, now() - t0)
}

/// How many started, and the time it took to start them all and wait for them.
pub struct Started {
    pub count: usize,
    pub took: Duration,
}

impl Started {
    fn new(count: usize, took: Duration) -> Started {
        Started { count, took }
    }
}

/// Three commands as child processes: feed one its input and capture what it prints, pipe
/// that into another, and read a third's exit code.
pub fn command(_: &Params) -> Commands {
    let fruit = "pear\napple\nfig\nbanana\n";
    // subprocess.run(["sort"], input=fruit, capture_output=True, text=True)
    let sorted = run_command(Command::new("sort").env("LC_ALL", "C"), Some(fruit));
    say(format!("sort: {}", sorted.stdout.trim_end().replace('\n', " ")));
    // subprocess.run(["wc", "-l"], input=sorted.stdout, ...)
    let counted = run_command(Command::new("wc").arg("-l"), Some(&sorted.stdout));
    say(format!("wc -l: {}", counted.stdout.trim()));
    // subprocess.run(["sh", "-c", "exit 3"]).returncode
    let failed = run_command(Command::new("sh").args(["-c", "exit 3"]), None);
    say(format!("sh exited with {}", failed.code));
    Commands {
        sorted: sorted.stdout.split_whitespace().collect::<Vec<_>>().join(" "),
        lines: counted.stdout.trim().parse().unwrap_or(0),
        sort_code: sorted.code,
        exit_code: failed.code,
    }
}

/// What the commands gave back.
pub struct Commands {
    pub sorted: String,
    pub lines: u32,
    pub sort_code: i32,
    pub exit_code: i32,
}

/// Whether `n` is prime, by trial division: pure computation.
pub fn is_prime(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    if n.is_multiple_of(2) {
        return n == 2;
    }
    let mut d = 3;
    while d * d <= n {
        if n.is_multiple_of(d) {
            return false;
        }
        d += 2;
    }
    true
}

/// How many primes lie in `lo..hi`: a CPU-bound job (its cost on the virtual clock is what
/// testing that many numbers takes on this machine, see `PRIME_TEST_NS`).
pub fn count_primes(lo: u64, hi: u64) -> u64 {
    let cost = Duration::from_nanos(hi.saturating_sub(lo) * super::PRIME_TEST_NS);
    compute(cost, || (lo..hi).filter(|&n| is_prime(n)).count() as u64)
}

/// `0..numbers` cut into `workers` slices, one for each worker.
pub fn slices(numbers: u64, workers: u64) -> Vec<(u64, u64)> {
    (0..workers)
        .map(|i| (numbers * i / workers, numbers * (i + 1) / workers))
        .collect()
}

/// The primes below `numbers`, counted by `workers` threads, a slice each.
pub fn cpu_threads(p: &Params) -> u64 {
    let (numbers, workers) = (p.get("numbers") as u64, p.get("workers") as u64);
    let threads: Vec<_> = slices(numbers, workers)
        .into_iter()
        .enumerate()
        .map(|(i, (lo, hi))| spawn(format!("W{}", i + 1), move || count_primes(lo, hi)))
        .collect();
    threads.into_iter().map(|t| t.join().unwrap_or(0)).sum()
}

/// A worker process: counts the primes of its slice and puts the count on the queue.
pub fn count_in((lo, hi, results): (u64, u64, ProcessQueue<u64>)) {
    results.put(count_primes(lo, hi));
}

/// The same job in `workers` processes; each puts its count on a queue.
pub fn cpu_processes(p: &Params) -> u64 {
    let (numbers, workers) = (p.get("numbers") as u64, p.get("workers") as u64);
    let results = ProcessQueue::new("results", 0);
    let processes: Vec<Process> = slices(numbers, workers)
        .into_iter()
        .enumerate()
        .map(|(i, (lo, hi))| spawn_process(format!("W{}", i + 1), count_in, (lo, hi, results.clone())))
        .collect();
    let total = (0..workers).map(|_| results.get()).sum();
    for p in &processes {
        p.join();
    }
    total
}
