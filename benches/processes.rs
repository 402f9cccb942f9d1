//! What starting a thread and starting a process cost on this machine, and what testing a
//! number for primality costs: the figures behind the virtual clock's process start
//! (`engine::process::costs`) and the processes lesson's CPU-bound job (`PRIME_TEST_NS`).
//!
//! Run with `cargo bench --bench processes`. Every figure is the median of several
//! repetitions after a warm-up, in live mode on the real runtime (a process is the lockstep
//! binary started again, as in the lessons); lines starting with `figure` are the results:
//!
//! ```text
//! figure thread_spawn_join_us X us     spawn a demo thread that does nothing, join it
//! figure process_spawn_join_ms X ms    spawn a demo process that does nothing, join it
//! figure process_launch_ms X ms        of which the parent's spawn_process call
//! figure process_boot_ms X ms          and the rest: the child's start-up, its end, its reaping
//! figure prime_test_ns X ns            one number tested by the lesson's trial division
//! ```

use lockstep::engine::process::selftest;
use lockstep::engine::{self, Config, Mode, Run};
use lockstep::{content, lessons, runner};
use parking_lot::Mutex;
use std::sync::Arc;
use std::time::Instant;

/// Starts timed one at a time, after `WARM` thrown away.
const THREADS: usize = 400;
const PROCESSES: usize = 40;
const WARM: usize = 5;
/// Runs of the prime count.
const PRIME_REPS: usize = 7;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn spread(v: &[f64]) -> (f64, f64) {
    let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = v.iter().copied().fold(0.0, f64::max);
    (lo, hi)
}

fn live() -> Config {
    Config {
        mode: Mode::Live,
        scale: 1.0,
        seed: 1,
    }
}

/// Spawn+join of `n` demo threads that do nothing, one at a time: nanoseconds each.
fn threads(n: usize) -> Vec<f64> {
    let times = Arc::new(Mutex::new(Vec::new()));
    let t = times.clone();
    let run = Run::start(live(), move || {
        for _ in 0..n + WARM {
            let t0 = Instant::now();
            engine::spawn("t", || ()).join().ok();
            t.lock().push(t0.elapsed().as_nanos() as f64);
        }
    });
    run.wait();
    times.lock().split_off(WARM)
}

/// The same with std's threads, for reference.
fn std_threads(n: usize) -> Vec<f64> {
    (0..n + WARM)
        .map(|_| {
            let t0 = Instant::now();
            std::thread::spawn(|| ()).join().ok();
            t0.elapsed().as_nanos() as f64
        })
        .skip(WARM)
        .collect()
}

/// Spawn+join of `n` demo processes that do nothing, one at a time: (launch, total) in ns.
fn processes(n: usize) -> Vec<(f64, f64)> {
    let times = Arc::new(Mutex::new(Vec::new()));
    let t = times.clone();
    let run = Run::start(live(), move || {
        for _ in 0..n + WARM {
            let t0 = Instant::now();
            let p = engine::spawn_process("p", selftest::nap, 0.0);
            let launched = t0.elapsed().as_nanos() as f64;
            p.join();
            t.lock().push((launched, t0.elapsed().as_nanos() as f64));
        }
    });
    let report = run.wait();
    assert!(report.raised.is_empty(), "{:?}", report.raised);
    times.lock().split_off(WARM)
}

/// The processes lesson's CPU-bound job with one worker, live: nanoseconds per number.
fn prime_test_ns() -> Vec<f64> {
    let code = lessons::find("processes").expect("the processes lesson");
    let text = content::embedded()
        .unwrap()
        .into_iter()
        .find(|t| t.id == "processes")
        .unwrap();
    let over = vec![("workers".to_string(), "1".to_string())];
    let p = lockstep::params::Params::resolve("processes", &text.params, &over).unwrap();
    let numbers = p.get("numbers");
    (0..PRIME_REPS + 1)
        .map(|_| {
            let r = runner::run_variant(code, "cpu-threads", &p, live());
            assert!(r.ok, "{:?}", r.checks);
            r.elapsed_ms * 1e6 / numbers
        })
        .skip(1)
        .collect()
}

fn main() {
    // Children are the lockstep binary cargo built beside this bench.
    // SAFETY: set before any thread of ours starts.
    unsafe { std::env::set_var("LOCKSTEP_EXE", env!("CARGO_BIN_EXE_lockstep")) };
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("lockstep processes bench: {cores} CPU(s); medians, with min–max");
    println!();

    let t = threads(THREADS);
    let (lo, hi) = spread(&t);
    let thread_us = median(t) / 1e3;
    println!(
        "demo thread spawn+join   {thread_us:>9.1} us  ({:.1}–{:.1} us, {THREADS} threads)",
        lo / 1e3,
        hi / 1e3
    );
    let s = std_threads(THREADS);
    let (lo, hi) = spread(&s);
    println!(
        "std::thread spawn+join   {:>9.1} us  ({:.1}–{:.1} us, for reference)",
        median(s) / 1e3,
        lo / 1e3,
        hi / 1e3
    );

    let p = processes(PROCESSES);
    let totals: Vec<f64> = p.iter().map(|x| x.1).collect();
    let launches: Vec<f64> = p.iter().map(|x| x.0).collect();
    let boots: Vec<f64> = p.iter().map(|x| x.1 - x.0).collect();
    let (lo, hi) = spread(&totals);
    let process_ms = median(totals) / 1e6;
    let launch_ms = median(launches) / 1e6;
    let boot_ms = median(boots) / 1e6;
    println!(
        "demo process spawn+join  {process_ms:>9.2} ms  ({:.2}–{:.2} ms, {PROCESSES} processes)",
        lo / 1e6,
        hi / 1e6
    );
    println!("  of which spawn_process {launch_ms:>8.2} ms, the rest {boot_ms:.2} ms");
    println!(
        "a process costs {:.0}× a thread",
        process_ms * 1e3 / thread_us
    );
    let c = engine::process::costs();
    println!(
        "the virtual clock charges {:.2} ms + {:.2} ms (engine::process::costs)",
        c.launch_ns as f64 / 1e6,
        c.boot_ns as f64 / 1e6
    );

    let primes = prime_test_ns();
    let (lo, hi) = spread(&primes);
    let prime_ns = median(primes);
    println!("prime test               {prime_ns:>9.1} ns  ({lo:.1}–{hi:.1} ns a number)");
    println!();
    println!("figure thread_spawn_join_us {thread_us:.1} us");
    println!("figure process_spawn_join_ms {process_ms:.2} ms");
    println!("figure process_launch_ms {launch_ms:.2} ms");
    println!("figure process_boot_ms {boot_ms:.2} ms");
    println!("figure prime_test_ns {prime_ns:.1} ns");
}
