//! Real computation for CPU-bound demos: a job sized in lesson seconds becomes a number of
//! loops, and the loops are really run, so two threads on one core take twice as long as one
//! (unlike `work`, which spins for a span of the clock however many threads share a core).
//!
//! Live, the loop's speed is measured once on this machine (and handed to child processes);
//! in step and virtual modes a loop costs a fixed 10 µs of the virtual clock, and the loops,
//! few at that rate, are still computed.

use super::event::{Op, Site, ThreadState, What};
use super::sched::{self, Core};
use std::ops::Range;
use std::panic::Location;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Loops a second in step and virtual modes.
const VIRTUAL_RATE: f64 = 100_000.0;

/// The environment variable that hands this machine's measured rate to child processes.
pub const RATE_VAR: &str = "LOCKSTEP_CPU_RATE";

/// Loops a second of this machine's real time, measured once (or read from `RATE_VAR`).
pub fn live_rate() -> f64 {
    *RATE.get_or_init(|| {
        let given = std::env::var(RATE_VAR)
            .ok()
            .and_then(|v| v.parse::<f64>().ok());
        given.filter(|r| *r >= 1.0).unwrap_or_else(measure)
    })
}

static RATE: OnceLock<f64> = OnceLock::new();

/// The rate, if this process has measured (or been given) it already.
pub fn known_rate() -> Option<f64> {
    RATE.get().copied()
}

/// The best of a few short runs: the fastest is the least disturbed by other work.
fn measure() -> f64 {
    let mut best: f64 = 1.0;
    let mut loops: u64 = 100_000;
    for _ in 0..5 {
        let start = Instant::now();
        std::hint::black_box(squares(0..loops, None));
        let took = start.elapsed().as_secs_f64().max(1e-9);
        best = best.max(loops as f64 / took);
        if took < 0.005 {
            loops *= 4;
        }
    }
    best
}

fn rate(core: &Core) -> f64 {
    if core.virtual_clock() {
        VIRTUAL_RATE
    } else {
        live_rate()
    }
}

/// How many loops take `d` of lesson time on one core of this run (its scale applied).
pub fn loops_for(d: Duration) -> u64 {
    let (core, _) = sched::current();
    (rate(&core) * d.as_secs_f64() * core.cfg.scale).round() as u64
}

/// The sum of `i * i` over `range`, wrapping (Python: `sum(i * i for i in range(a, b))`):
/// a CPU-bound job, really computed. The thread is working meanwhile.
#[track_caller]
pub fn sum_squares(range: Range<u64>) -> u64 {
    let site = Some(Site::here(Location::caller()));
    let (core, me) = sched::current();
    let loops = range.end.saturating_sub(range.start);
    let ns = (loops as f64 * 1e9 / rate(&core)).round() as u64;
    let mut w = core.op_point(core.world.lock(), me, Op::Work(ns), site);
    Core::set_state(&mut w, me, ThreadState::Working);
    core.emit(&mut w, me, What::Work { ns }, site);
    if core.virtual_clock() {
        let sum = squares(range, None);
        drop(core.pass_time(w, me, ns, ThreadState::Working));
        return sum;
    }
    drop(w);
    let sum = squares(range, Some(&core));
    let mut w = core.world.lock();
    w = core.check_cancel(w, me);
    Core::set_state(&mut w, me, ThreadState::Running);
    core.emit(&mut w, me, What::Wake, None);
    sum
}

/// The loop itself; every million loops it looks whether the run was cancelled.
fn squares(range: Range<u64>, core: Option<&Core>) -> u64 {
    let mut sum: u64 = 0;
    let mut at = range.start;
    while at < range.end {
        let end = range.end.min(at.saturating_add(1 << 20));
        for i in at..end {
            let i = std::hint::black_box(i);
            sum = sum.wrapping_add(i.wrapping_mul(i));
        }
        at = end;
        if core.is_some_and(|c| c.cancelled()) {
            break;
        }
    }
    sum
}
