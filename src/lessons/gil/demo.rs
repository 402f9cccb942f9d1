//! gil: the same CPU-bound job (the sum of i*i below n) done by one thread, then split among
//! N workers: threads under a global interpreter lock, threads without one, and processes,
//! each with a GIL of its own. Then an I/O-bound job, where threads help even under the GIL.
//!
//! Each variant times the job done alone, then by the workers: the ratio is the speed-up.

use crate::engine::cpu::{loops_for, sum_squares};
use crate::engine::{Gil, ProcessQueue, now, secs, sleep, spawn, spawn_process};
use crate::params::Params;
use std::ops::Range;
use std::sync::Arc;

/// What a variant measured: the job alone, the job by the workers, and both answers.
#[derive(Clone, Debug)]
pub struct Timed {
    pub job: Job,
    pub workers: u64,
    /// Lesson seconds.
    pub alone: f64,
    pub together: f64,
    pub answer_alone: u64,
    pub answer_together: u64,
}

/// What kind of job it was, which says what speed-up to hope for.
#[derive(Clone, Copy, Debug)]
pub enum Job {
    /// CPU-bound, one GIL for all the threads.
    CpuOneGil,
    /// CPU-bound, and nothing stops the workers computing at once.
    CpuParallel,
    /// I/O-bound: `requests` requests, each waiting `io` seconds, then parsing for `parse`.
    Io { requests: u64, io: f64, parse: f64 },
}

/// Python code under the GIL: run it one switch interval at a time, then let the GIL go so
/// that a waiting thread can take it.
pub fn sum_under_gil(gil: &Gil, range: Range<u64>) -> u64 {
    let mut total: u64 = 0;
    let mut at = range.start;
    while at < range.end {
        let held = gil.acquire(); // wait for the GIL
        let end = range.end.min(at + gil.loops_per_switch());
        total = total.wrapping_add(sum_squares(at..end)); // one switch interval of Python code
        at = end;
        drop(held); // let it go: the longest waiter takes it
    }
    total
}

/// A process of its own: its own interpreter, its own GIL, nobody to share it with.
pub fn sum_in_process((start, end, switch_ms, results): (u64, u64, f64, ProcessQueue<u64>)) {
    let gil = Gil::new(secs(switch_ms / 1000.0));
    results.put(sum_under_gil(&gil, start..end));
}

/// Worker i's share of 0..n: n/workers each, the remainder spread over the first ones.
fn share(n: u64, workers: u64, i: u64) -> Range<u64> {
    let (each, extra) = (n / workers, n % workers);
    let start = i * each + i.min(extra);
    start..start + each + u64::from(i < extra)
}

/// Sum what the workers' threads return.
fn add_up(handles: Vec<crate::engine::JoinHandle<u64>>) -> u64 {
    handles
        .into_iter()
        .filter_map(|h| h.join().ok())
        .fold(0, u64::wrapping_add)
}

/// Threads under the GIL: only its holder computes, so N threads take as long as one.
pub fn threads_gil(p: &Params) -> Timed {
    let (n, workers) = (loops_for(secs(p.get("job"))), p.int("workers"));
    let gil = Arc::new(Gil::new(secs(p.get("switch") / 1000.0)));
    let start = now();
    let answer_alone = sum_under_gil(&gil, 0..n); // main does it all
    let alone = (now() - start).as_secs_f64();
    let start = now();
    let handles = (0..workers)
        .map(|i| {
            let gil = gil.clone();
            spawn(format!("T{}", i + 1), move || {
                sum_under_gil(&gil, share(n, workers, i))
            })
        })
        .collect();
    let answer_together = add_up(handles);
    let together = (now() - start).as_secs_f64();
    Timed { job: Job::CpuOneGil, workers, alone, together, answer_alone, answer_together }
}

/// Threads with no GIL (Rust's, or a free-threaded Python): they compute at once, as many as
/// there are cores.
pub fn threads_no_gil(p: &Params) -> Timed {
    let (n, workers) = (loops_for(secs(p.get("job"))), p.int("workers"));
    let start = now();
    let answer_alone = sum_squares(0..n);
    let alone = (now() - start).as_secs_f64();
    let start = now();
    let handles = (0..workers)
        .map(|i| spawn(format!("T{}", i + 1), move || sum_squares(share(n, workers, i))))
        .collect();
    let answer_together = add_up(handles);
    let together = (now() - start).as_secs_f64();
    Timed { job: Job::CpuParallel, workers, alone, together, answer_alone, answer_together }
}

/// Processes: each has its own GIL, so they compute at once, as many as there are cores.
pub fn processes(p: &Params) -> Timed {
    let (n, workers, switch_ms) = (loops_for(secs(p.get("job"))), p.int("workers"), p.get("switch"));
    let gil = Gil::new(secs(switch_ms / 1000.0));
    let start = now();
    let answer_alone = sum_under_gil(&gil, 0..n);
    let alone = (now() - start).as_secs_f64();
    let start = now();
    let results = ProcessQueue::new("results", 0);
    let procs: Vec<_> = (0..workers)
        .map(|i| {
            let r = share(n, workers, i);
            let arg = (r.start, r.end, switch_ms, results.clone());
            spawn_process(format!("P{}", i + 1), sum_in_process, arg)
        })
        .collect();
    let answer_together = (0..workers).map(|_| results.get()).fold(0, u64::wrapping_add);
    for p in &procs {
        p.join();
    }
    let together = (now() - start).as_secs_f64();
    Timed { job: Job::CpuParallel, workers, alone, together, answer_alone, answer_together }
}

/// One request: wait for the network (the GIL is let go while waiting), then parse the page,
/// Python code under the GIL.
fn fetch(gil: &Gil, io: f64, parse: u64) -> u64 {
    sleep(secs(io)); // time.sleep / a socket read: no GIL needed
    sum_under_gil(gil, 0..parse)
}

/// An I/O-bound job under the GIL: while one thread parses, the others wait for the network.
pub fn io_threads_gil(p: &Params) -> Timed {
    let workers = p.int("workers");
    let requests = p.int("requests");
    let (io, parse) = (p.get("io"), loops_for(secs(p.get("parse"))));
    let gil = Arc::new(Gil::new(secs(p.get("switch") / 1000.0)));
    let start = now();
    let answer_alone = (0..requests)
        .map(|_| fetch(&gil, io, parse))
        .fold(0, u64::wrapping_add);
    let alone = (now() - start).as_secs_f64();
    let start = now();
    let handles = (0..workers)
        .map(|i| {
            let gil = gil.clone();
            let mine = share(requests, workers, i).count();
            spawn(format!("T{}", i + 1), move || {
                (0..mine)
                    .map(|_| fetch(&gil, io, parse))
                    .fold(0, u64::wrapping_add)
            })
        })
        .collect();
    let answer_together = add_up(handles);
    let together = (now() - start).as_secs_f64();
    Timed { job: Job::Io { requests, io, parse: p.get("parse") }, workers, alone, together, answer_alone, answer_together }
}
