//! Pool benchmarks: what a pool adds to each task, and how faithful the pools lesson's live
//! runs are to their ideal (virtual) time. Run with `cargo bench --bench pools`.
//!
//! Overhead per task: a live run at scale 1 maps an empty task over many items on a thread
//! pool (a put on the task queue, a take, a put on the results queue, the result thread's
//! take and its completer); the run's time per task, median of several repetitions. `apply`'s
//! round trip (submit, run, hand back, wake the caller) is measured the same way.

use lockstep::engine::{Config, Mode, Run, ThreadPool};
use lockstep::{lessons, runner};
use std::time::Instant;

const TASKS: u64 = 5_000;
const ROUND_TRIPS: u64 = 1_000;
const REPS: usize = 7;

fn live() -> Config {
    Config {
        mode: Mode::Live,
        scale: 1.0,
        seed: 1,
    }
}

fn nothing(x: u64) -> u64 {
    x
}

/// Median and minimum of `reps` measurements, after one thrown away.
fn measure(reps: usize, mut f: impl FnMut() -> f64) -> (f64, f64) {
    f();
    let mut v: Vec<f64> = (0..reps).map(|_| f()).collect();
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2], v[0])
}

fn main() {
    // SAFETY: set before any run starts a child process; nothing else writes it.
    unsafe { std::env::set_var("LOCKSTEP_EXE", env!("CARGO_BIN_EXE_lockstep")) };
    println!("== Pool overhead per task, live, thread pool of 3 ==");
    let (map_med, map_min) = measure(REPS, || {
        let (r, _) = Run::run_to_end(live(), || {
            let pool = ThreadPool::new(3);
            let t = Instant::now();
            let out = pool.map(nothing, 0..TASKS);
            let us = t.elapsed().as_secs_f64() * 1e6 / TASKS as f64;
            pool.close();
            pool.join();
            assert_eq!(out.len() as u64, TASKS);
            us
        });
        r.outcome.expect("the map returns")
    });
    println!("map of {TASKS} empty tasks: median {map_med:.2} µs a task (min {map_min:.2})");
    let (apply_med, apply_min) = measure(REPS, || {
        let (r, _) = Run::run_to_end(live(), || {
            let pool = ThreadPool::new(3);
            let t = Instant::now();
            for x in 0..ROUND_TRIPS {
                pool.apply(nothing, x);
            }
            let us = t.elapsed().as_secs_f64() * 1e6 / ROUND_TRIPS as f64;
            pool.close();
            pool.join();
            us
        });
        r.outcome.expect("the loop returns")
    });
    println!("apply round trip: median {apply_med:.2} µs (min {apply_min:.2})");
    println!("figure pool_overhead_us {map_med:.2} us");
    println!("figure pool_apply_round_trip_us {apply_med:.2} us");

    println!();
    println!("== Live fidelity of the pools lesson (live time / ideal), at its scale ==");
    let code = lessons::find("pools").expect("registered");
    let text = lockstep::content::embedded()
        .expect("embedded")
        .into_iter()
        .find(|l| l.id == "pools")
        .expect("its text");
    let p = lockstep::params::Params::resolve("pools", &text.params, &[]).expect("defaults");
    for v in code.variants() {
        let cfg = Config {
            mode: Mode::Live,
            scale: text.scale,
            seed: 1,
        };
        let mut fid: Vec<f64> = (0..3)
            .map(|_| runner::run_variant(code, v, &p, cfg).fidelity)
            .collect();
        fid.sort_by(f64::total_cmp);
        println!(
            "{v:<14} fidelity median {:.3} (min {:.3}, max {:.3})",
            fid[1], fid[0], fid[2]
        );
    }
}
