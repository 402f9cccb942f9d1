//! Engine benchmarks, with a small harness of our own (no criterion): `std::time::Instant`,
//! warm-up repetitions that are thrown away, then several timed repetitions, of which the
//! median and the minimum are reported (and the maximum, to show the spread).
//!
//! Run with `cargo bench --bench engine`. Three parts:
//! 1. what instrumentation costs per operation in live mode, next to bare mutexes;
//! 2. how fast virtual mode schedules the lock-vs-join variants;
//! 3. how faithful live runs of lock-vs-join are to their ideal (virtual) time.

use crossbeam_channel::{Receiver, RecvTimeoutError};
use lockstep::engine::event::BlockedOn;
use lockstep::engine::{self, Config, Event, Mode, Outcome, Run, What};
use lockstep::params::Params;
use lockstep::{content, lessons, runner};
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Timed operations per repetition, single-threaded.
const OPS: u64 = 200_000;
/// Untimed operations at the start of every repetition (caches, allocator, branch predictors).
const OPS_WARM: u64 = 20_000;
/// Repetitions of each single-threaded measurement, after `WARM_REPS` thrown away.
const REPS: usize = 7;
const WARM_REPS: usize = 1;
/// Contended: threads, and lock+unlock pairs per thread for bare mutexes and for the engine's.
const CONTENDERS: usize = 4;
const PER_THREAD_BARE: u64 = 200_000;
const PER_THREAD_ENGINE: u64 = 20_000;
const CONTENDED_REPS: usize = 7;
/// Virtual runs of each lock-vs-join variant.
const VIRTUAL_REPS: usize = 10;
const VIRTUAL_WARM: usize = 2;

// ---------------------------------------------------------------------------------------------
// Harness

/// The figures printed at the end, one `figure NAME VALUE UNIT` line each, so that runs can be
/// compared from run to run.
static FIGURES: std::sync::Mutex<Vec<(String, f64, &'static str)>> =
    std::sync::Mutex::new(Vec::new());

fn figure(name: impl Into<String>, value: f64, unit: &'static str) {
    FIGURES.lock().unwrap().push((name.into(), value, unit));
}

struct Stats {
    samples: Vec<f64>,
}

impl Stats {
    fn sorted(&self) -> Vec<f64> {
        let mut s = self.samples.clone();
        s.sort_by(f64::total_cmp);
        s
    }
    fn median(&self) -> f64 {
        let s = self.sorted();
        let n = s.len();
        if n % 2 == 1 {
            s[n / 2]
        } else {
            (s[n / 2 - 1] + s[n / 2]) / 2.0
        }
    }
    fn min(&self) -> f64 {
        self.sorted()[0]
    }
    fn max(&self) -> f64 {
        *self.sorted().last().unwrap()
    }
    fn n(&self) -> usize {
        self.samples.len()
    }
}

/// Call `f` `warm` times and throw the results away, then `reps` times and keep them.
fn measure(warm: usize, reps: usize, mut f: impl FnMut() -> f64) -> Stats {
    for _ in 0..warm {
        black_box(f());
    }
    Stats {
        samples: (0..reps).map(|_| f()).collect(),
    }
}

fn ns_per(d: Duration, ops: u64) -> f64 {
    d.as_nanos() as f64 / ops as f64
}

// ---------------------------------------------------------------------------------------------
// Who reads a live run's events

/// Every event goes to an unbounded channel. Headless, nobody reads it; the screen will.
#[derive(Clone, Copy, PartialEq)]
enum Reader {
    /// Nobody reads during the run: the events pile up in memory (as in `lockstep run`).
    Kept,
    /// Another thread takes everything queued every 16 ms, like a screen's frame loop.
    Polled,
    /// Another thread waits on the channel for each event (`recv`), like a logger thread.
    Blocking,
}

impl Reader {
    fn label(self) -> &'static str {
        match self {
            Reader::Kept => "none (kept)",
            Reader::Polled => "poll 16 ms",
            Reader::Blocking => "blocking recv",
        }
    }
}

/// What a reader saw: every event, and how many said a thread had to wait for a lock.
#[derive(Clone, Copy, Default)]
struct Counts {
    events: u64,
    lock_waits: u64,
}

impl Counts {
    fn tally(&mut self, e: Event) {
        self.events += 1;
        let on_lock = matches!(
            e.what,
            What::Blocked {
                on: BlockedOn::Resource(_)
            }
        );
        self.lock_waits += on_lock as u64;
    }
}

struct Drain {
    stop: Arc<AtomicBool>,
    handle: JoinHandle<Counts>,
}

fn start_reader(reader: Reader, rx: Receiver<Event>) -> Option<Drain> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let handle = match reader {
        Reader::Kept => return None,
        Reader::Polled => std::thread::spawn(move || {
            let mut n = Counts::default();
            loop {
                let done = flag.load(Ordering::Acquire);
                rx.try_iter().for_each(|e| n.tally(e));
                if done {
                    return n;
                }
                std::thread::sleep(Duration::from_millis(16));
            }
        }),
        Reader::Blocking => std::thread::spawn(move || {
            let mut n = Counts::default();
            loop {
                match rx.recv_timeout(Duration::from_millis(5)) {
                    Ok(e) => n.tally(e),
                    Err(RecvTimeoutError::Timeout) if flag.load(Ordering::Acquire) => {
                        rx.try_iter().for_each(|e| n.tally(e));
                        return n;
                    }
                    Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => return n,
                }
            }
        }),
    };
    Some(Drain { stop, handle })
}

/// Run `body` as a live run's main demo thread with `reader` on its events; its outcome and
/// what the run sent.
fn live_run(reader: Reader, body: impl FnOnce() -> Outcome + Send + 'static) -> (Outcome, Counts) {
    let cfg = Config {
        mode: Mode::Live,
        scale: 1.0,
        seed: 0,
    };
    let run = Run::start(cfg, body);
    let drain = start_reader(reader, run.events().clone());
    let report = run.wait();
    assert!(
        report.deadlock.is_none() && report.raised.is_empty() && !report.cancelled,
        "bench run failed: {report:?}"
    );
    let counts = match drain {
        Some(d) => {
            d.stop.store(true, Ordering::Release);
            d.handle.join().expect("reader thread")
        }
        None => {
            // Counted after the run, so the counting is not timed.
            let mut n = Counts::default();
            run.events().try_iter().for_each(|e| n.tally(e));
            n
        }
    };
    (run.take_returned().expect("the demo returned"), counts)
}

fn outcome_f64(out: &Outcome, key: &str) -> f64 {
    out[key].as_f64().expect("a number")
}

// ---------------------------------------------------------------------------------------------
// Part 1: per-operation overhead

#[derive(Clone, Copy)]
enum EngineOp {
    Lock,
    Get,
    Set,
    Say,
}

impl EngineOp {
    fn label(self) -> &'static str {
        match self {
            EngineOp::Lock => "engine::Mutex lock+unlock",
            EngineOp::Get => "Shared<i64>::get",
            EngineOp::Set => "Shared<i64>::set",
            EngineOp::Say => "say(\"tick\")",
        }
    }
}

/// One live run whose main demo thread does `OPS_WARM` untimed then `OPS` timed operations.
/// Returns (ns per operation, events per operation).
fn engine_op_once(op: EngineOp, reader: Reader) -> (f64, f64) {
    let (out, events) = live_run(reader, move || {
        let m = engine::Mutex::new("m", ());
        let s = engine::Shared::new("s", 0i64);
        let go = |n: u64| match op {
            EngineOp::Lock => (0..n).for_each(|_| drop(black_box(m.lock()))),
            EngineOp::Get => (0..n).for_each(|_| {
                black_box(s.get());
            }),
            EngineOp::Set => (0..n).for_each(|i| s.set(black_box(i as i64))),
            EngineOp::Say => (0..n).for_each(|_| engine::say(black_box("tick"))),
        };
        go(OPS_WARM);
        let t0 = Instant::now();
        go(OPS);
        let ns = ns_per(t0.elapsed(), OPS);
        Outcome::from([("ns".to_string(), ns.into())])
    });
    // A handful of events (thread and resource creation, start, done, finished) are not the
    // loop's: negligible next to 220 000 operations.
    (
        outcome_f64(&out, "ns"),
        events.events as f64 / (OPS + OPS_WARM) as f64,
    )
}

fn on_plain_thread(f: impl FnOnce() -> f64 + Send + 'static) -> f64 {
    std::thread::spawn(f).join().expect("plain thread")
}

fn bare_parking_lot() -> f64 {
    on_plain_thread(|| {
        let m = parking_lot::Mutex::new(());
        (0..OPS_WARM).for_each(|_| drop(black_box(m.lock())));
        let t0 = Instant::now();
        (0..OPS).for_each(|_| drop(black_box(m.lock())));
        ns_per(t0.elapsed(), OPS)
    })
}

fn bare_std() -> f64 {
    on_plain_thread(|| {
        let m = std::sync::Mutex::new(());
        (0..OPS_WARM).for_each(|_| drop(black_box(m.lock().unwrap())));
        let t0 = Instant::now();
        (0..OPS).for_each(|_| drop(black_box(m.lock().unwrap())));
        ns_per(t0.elapsed(), OPS)
    })
}

/// `CONTENDERS` demo threads lock and unlock one engine mutex, released together by a barrier;
/// wall time per pair, from the first thread's start to the last one's end.
/// Returns (ns per pair, the fraction of `lock` calls that had to wait).
fn engine_contended(reader: Reader) -> (f64, f64) {
    let (out, counts) = live_run(reader, || {
        let m = Arc::new(engine::Mutex::new("m", ()));
        let gate = Arc::new(Barrier::new(CONTENDERS));
        let threads: Vec<_> = (0..CONTENDERS)
            .map(|i| {
                let (m, gate) = (m.clone(), gate.clone());
                engine::spawn(format!("T{i}"), move || {
                    gate.wait();
                    let t0 = Instant::now();
                    (0..PER_THREAD_ENGINE).for_each(|_| drop(black_box(m.lock())));
                    (t0, Instant::now())
                })
            })
            .collect();
        let spans: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        let ns = ns_per(wall(&spans), PER_THREAD_ENGINE * CONTENDERS as u64);
        Outcome::from([("ns".to_string(), ns.into())])
    });
    let waited = counts.lock_waits as f64 / (PER_THREAD_ENGINE * CONTENDERS as u64) as f64;
    (outcome_f64(&out, "ns"), waited)
}

/// The same on plain threads, with a bare mutex.
fn bare_contended<M: Send + Sync + 'static>(m: M, lock_unlock: fn(&M)) -> f64 {
    let m = Arc::new(m);
    let gate = Arc::new(Barrier::new(CONTENDERS));
    let threads: Vec<_> = (0..CONTENDERS)
        .map(|_| {
            let (m, gate) = (m.clone(), gate.clone());
            std::thread::spawn(move || {
                gate.wait();
                let t0 = Instant::now();
                (0..PER_THREAD_BARE).for_each(|_| lock_unlock(&m));
                (t0, Instant::now())
            })
        })
        .collect();
    let spans: Vec<_> = threads
        .into_iter()
        .map(|t| t.join().expect("plain thread"))
        .collect();
    ns_per(wall(&spans), PER_THREAD_BARE * CONTENDERS as u64)
}

/// From the first thread's start to the last one's end. Each thread reads the clock itself
/// after the barrier: a watcher thread could be scheduled only after the work is done.
fn wall(spans: &[(Instant, Instant)]) -> Duration {
    let start = spans.iter().map(|s| s.0).min().expect("threads");
    let end = spans.iter().map(|s| s.1).max().expect("threads");
    end - start
}

fn part1() {
    println!("== 1. Instrumentation overhead per operation, live mode ==");
    println!(
        "Single thread, uncontended. Engine rows: measured with Instant inside the main demo \
         thread of a live run\n(scale 1), {OPS} timed operations after {OPS_WARM} untimed ones \
         per run; one run per repetition. Bare rows: the\nsame loop on a plain std thread. \
         {WARM_REPS} warm-up + {REPS} timed repetitions; ns per operation.\n\"reader\" is who \
         reads the run's unbounded event channel: nobody (events pile up in memory, as headless\n\
         `lockstep run` does), a thread taking everything every 16 ms (like a screen), or a \
         thread blocked in recv.\n\"x pl\" = median / median of bare parking_lot lock+unlock."
    );
    let pl = measure(WARM_REPS, REPS, bare_parking_lot);
    let sm = measure(WARM_REPS, REPS, bare_std);
    let base = pl.median();
    println!();
    println!(
        "{:<28} {:<14} {:>9} {:>11} {:>9} {:>9} {:>8}",
        "operation", "reader", "events/op", "median ns", "min ns", "max ns", "x pl"
    );
    println!("{}", "-".repeat(94));
    let row = |name: &str, reader: &str, ev: &str, s: &Stats| {
        println!(
            "{:<28} {:<14} {:>9} {:>11.1} {:>9.1} {:>9.1} {:>8.1}",
            name,
            reader,
            ev,
            s.median(),
            s.min(),
            s.max(),
            s.median() / base
        );
    };
    row("parking_lot::Mutex<()>", "-", "-", &pl);
    row("std::sync::Mutex<()>", "-", "-", &sm);
    for op in [EngineOp::Lock, EngineOp::Get, EngineOp::Set, EngineOp::Say] {
        for reader in [Reader::Kept, Reader::Polled, Reader::Blocking] {
            let mut events = 0.0;
            let s = measure(WARM_REPS, REPS, || {
                let (ns, ev) = engine_op_once(op, reader);
                events = ev;
                ns
            });
            row(op.label(), reader.label(), &format!("{events:.2}"), &s);
            // The headline figures: the reader a screen is (it takes the events every frame).
            if matches!(reader, Reader::Polled) {
                match op {
                    EngineOp::Lock => figure("lock_unlock_ns", s.median(), "ns"),
                    EngineOp::Get => figure("shared_get_ns", s.median(), "ns"),
                    _ => {}
                }
            }
        }
    }

    println!();
    println!(
        "Contended: {CONTENDERS} threads each lock+unlock one mutex in a loop ({PER_THREAD_BARE} pairs \
         per thread for bare mutexes,\n{PER_THREAD_ENGINE} for the engine's), released together by \
         a barrier. Wall time from the first thread's start to the last one's\nend (each thread \
         reads the clock itself), divided by all pairs: total ns per pair. Engine: demo threads of \
         a live\nrun. 1 warm-up + {CONTENDED_REPS} timed repetitions."
    );
    println!();
    println!(
        "{:<28} {:<14} {:>11} {:>9} {:>9} {:>8}",
        "mutex, 4 threads", "reader", "median ns", "min ns", "max ns", "x pl"
    );
    println!("{}", "-".repeat(84));
    let cpl = measure(1, CONTENDED_REPS, || {
        bare_contended(parking_lot::Mutex::new(()), |m| drop(black_box(m.lock())))
    });
    let cbase = cpl.median();
    let crow = |name: &str, reader: &str, s: &Stats| {
        println!(
            "{:<28} {:<14} {:>11.1} {:>9.1} {:>9.1} {:>8.1}",
            name,
            reader,
            s.median(),
            s.min(),
            s.max(),
            s.median() / cbase
        );
    };
    crow("parking_lot::Mutex<()>", "-", &cpl);
    let csm = measure(1, CONTENDED_REPS, || {
        bare_contended(std::sync::Mutex::new(()), |m| {
            drop(black_box(m.lock().unwrap()))
        })
    });
    crow("std::sync::Mutex<()>", "-", &csm);
    let mut runs = Vec::new();
    for reader in [Reader::Kept, Reader::Polled, Reader::Blocking] {
        let mut each = Vec::new();
        let s = measure(1, CONTENDED_REPS, || {
            let (ns, waited) = engine_contended(reader);
            each.push(format!("{ns:.0} ({:.0}%)", waited * 1e2));
            ns
        });
        crow("engine::Mutex<()>", reader.label(), &s);
        runs.push((reader, each.split_off(1)));
    }
    println!();
    println!(
        "Each timed engine run, ns per pair (share of lock calls that had to wait, from the \
         Blocked events):"
    );
    for (reader, each) in runs {
        println!("  {:<14} {}", reader.label(), each.join(", "));
    }
    println!();
}

// ---------------------------------------------------------------------------------------------
// Parts 2 and 3: lock-vs-join

const VARIANTS: [&str; 3] = ["no-lock", "lock", "join"];

fn lock_vs_join() -> (content::Lesson, Params) {
    let lesson = content::embedded()
        .expect("embedded lessons parse")
        .into_iter()
        .find(|l| l.id == "lock-vs-join")
        .expect("lock-vs-join is embedded");
    let params = Params::resolve("lock-vs-join", &lesson.params, &[]).expect("defaults resolve");
    (lesson, params)
}

fn part2(params: &Params) {
    let lesson = lessons::find("lock-vs-join").expect("lock-vs-join has demo code");
    println!("== 2. Virtual mode speed: lock-vs-join at default parameters ({params}) ==");
    println!(
        "One run = runner::start(.., Config {{ mode: Virtual, scale: 1, seed }}).wait(), timed \
         from start to report;\nevents = what the run sent (about one scheduling decision each). \
         {VIRTUAL_WARM} warm-up + {VIRTUAL_REPS} timed runs per\nvariant, seeds 0, 1, 2, ...; \
         every timed run is judged and must pass the lesson's checks."
    );
    println!();
    println!(
        "{:<9} {:>12} {:>10} {:>14} {:>11} {:>11} {:>15} {:>7}",
        "variant",
        "virtual ms",
        "events/run",
        "median real ms",
        "min ms",
        "max ms",
        "median events/s",
        "checks"
    );
    println!("{}", "-".repeat(97));
    for v in VARIANTS {
        let mut seed = 0;
        let (mut virt, mut events, mut rates, mut ok) = (0.0, 0usize, Vec::new(), 0);
        let s = measure(VIRTUAL_WARM, VIRTUAL_REPS, || {
            let cfg = Config {
                mode: Mode::Virtual,
                scale: 1.0,
                seed,
            };
            let timed = seed >= VIRTUAL_WARM as u64;
            seed += 1;
            let t0 = Instant::now();
            let run = runner::start(lesson, v, params, cfg);
            let report = run.wait();
            let real = t0.elapsed();
            events = run.events().len();
            virt = report.elapsed_ms();
            rates.push(events as f64 / real.as_secs_f64());
            ok += (runner::judge(lesson, v, params, &run, report, None).ok && timed) as usize;
            real.as_secs_f64() * 1e3
        });
        let rates = Stats {
            samples: rates.split_off(VIRTUAL_WARM),
        };
        println!(
            "{:<9} {:>12.1} {:>10} {:>14.2} {:>11.2} {:>11.2} {:>15.0} {:>7}",
            v,
            virt,
            events,
            s.median(),
            s.min(),
            s.max(),
            rates.median(),
            format!("{ok}/{}", s.n())
        );
    }
    println!();
}

struct Fidelity {
    elapsed: Stats,
    fidelity: Stats,
    ideal_ms: f64,
    ok: usize,
}

fn live_variant(v: &str, params: &Params, scale: f64, warm: usize, reps: usize) -> Fidelity {
    let lesson = lessons::find("lock-vs-join").expect("lock-vs-join has demo code");
    let (mut fid, mut ideal_ms, mut ok, mut seed) = (Vec::new(), 0.0, 0, 0);
    let elapsed = measure(warm, reps, || {
        let cfg = Config {
            mode: Mode::Live,
            scale,
            seed,
        };
        let timed = seed >= warm as u64;
        seed += 1;
        let r = runner::run_variant(lesson, v, params, cfg);
        fid.push(r.fidelity);
        ideal_ms = r.ideal_ms;
        ok += (r.ok && timed) as usize;
        r.elapsed_ms
    });
    Fidelity {
        elapsed,
        fidelity: Stats {
            samples: fid.split_off(warm),
        },
        ideal_ms,
        ok,
    }
}

/// Microseconds of each sample in an outcome's array.
fn outcome_stats(out: &Outcome, key: &str, warm: usize) -> Stats {
    let all: Vec<f64> = out[key]
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v.as_f64().expect("a number"))
        .collect();
    Stats {
        samples: all[warm..].to_vec(),
    }
}

const SLEEPS_MS: [f64; 4] = [0.5, 3.0, 5.0, 30.0];
const BASE_REPS: usize = 10;
const SPAWN_REPS: usize = 50;

fn us_since(t0: Instant) -> f64 {
    t0.elapsed().as_secs_f64() * 1e6
}

/// What a live run's threads pay the OS: spawning and joining a thread, and oversleeping.
fn part3_baselines() {
    println!(
        "== 3a. What live runs pay the OS: thread spawn and sleep overshoot, in microseconds =="
    );
    println!(
        "Plain: a std thread. Engine: the main demo thread of a live run at scale 1 (engine::spawn \
         + join, engine::sleep).\nspawn+join: {SPAWN_REPS} timed after 5 warm-up, empty thread \
         body. Sleep overshoot = measured - requested, {BASE_REPS} timed\nafter 1 warm-up per \
         duration. The sleeps are lock-vs-join's critical and work sections at 1/1000 and 1/100. \
         Timer\nslack of the bench's own (plain) threads: {} us; demo threads set their own.",
        std::fs::read_to_string("/proc/self/timerslack_ns")
            .ok()
            .and_then(|s| s.trim().parse::<f64>().ok())
            .map_or("unknown".to_string(), |ns| format!("{:.0}", ns / 1e3))
    );
    println!();
    println!(
        "{:<40} {:>11} {:>9} {:>9}",
        "what", "median us", "min us", "max us"
    );
    println!("{}", "-".repeat(72));
    let row = |name: &str, s: &Stats| {
        println!(
            "{:<40} {:>11.1} {:>9.1} {:>9.1}",
            name,
            s.median(),
            s.min(),
            s.max()
        );
    };
    let plain = measure(5, SPAWN_REPS, || {
        let t0 = Instant::now();
        std::thread::spawn(|| {}).join().expect("plain thread");
        us_since(t0)
    });
    row("plain: std::thread::spawn + join", &plain);
    let (out, _) = live_run(Reader::Kept, || {
        let samples: Vec<f64> = (0..5 + SPAWN_REPS)
            .map(|_| {
                let t0 = Instant::now();
                engine::spawn("T", || {}).join().unwrap();
                us_since(t0)
            })
            .collect();
        Outcome::from([("us".to_string(), samples.into())])
    });
    row("engine: spawn + join", &outcome_stats(&out, "us", 5));
    for ms in SLEEPS_MS {
        let d = Duration::from_secs_f64(ms / 1e3);
        let req = ms * 1e3;
        let s = measure(1, BASE_REPS, || {
            let t0 = Instant::now();
            std::thread::sleep(d);
            us_since(t0) - req
        });
        row(&format!("plain: std::thread::sleep({ms} ms) overshoot"), &s);
        let s = measure(1, BASE_REPS, || {
            let (m, cv) = (parking_lot::Mutex::new(()), parking_lot::Condvar::new());
            let mut g = m.lock();
            let t0 = Instant::now();
            let deadline = t0 + d;
            while Instant::now() < deadline {
                cv.wait_until(&mut g, deadline);
            }
            us_since(t0) - req
        });
        row(&format!("plain: Condvar::wait_until({ms} ms) over."), &s);
        let (out, _) = live_run(Reader::Kept, move || {
            let samples: Vec<f64> = (0..1 + BASE_REPS)
                .map(|_| {
                    let t0 = Instant::now();
                    engine::sleep(d);
                    us_since(t0) - req
                })
                .collect();
            Outcome::from([("us".to_string(), samples.into())])
        });
        row(
            &format!("engine: sleep({ms} ms) overshoot"),
            &outcome_stats(&out, "us", 1),
        );
    }
    println!();
}

fn part3(lesson: &content::Lesson, params: &Params) {
    part3_baselines();
    println!("== 3b. Fidelity of live runs: lock-vs-join at default parameters ==");
    println!(
        "One run = runner::run_variant(.., Config {{ mode: Live, scale, seed }}): real elapsed \
         time; fidelity = elapsed /\nideal, ideal being the same variant's virtual time at that \
         scale (1.00 is perfect). Events are kept, unread, as\nin `lockstep run`. At 1/1000: 1 \
         warm-up + 5 timed runs per variant. At 1/100: no warm-up, 5 timed runs for\nno-lock, 3 \
         for lock and join (join lasts ~3.5 s a run). \"checks\" = runs passing the lesson's \
         checks."
    );
    println!();
    println!(
        "{:<7} {:<9} {:>5} {:>10} {:>11} {:>10} {:>10} {:>10} {:>10} {:>7}",
        "scale",
        "variant",
        "runs",
        "ideal ms",
        "median ms",
        "min ms",
        "fidelity",
        "min fid.",
        "max fid.",
        "checks"
    );
    println!("{}", "-".repeat(99));
    for (scale, name) in [(0.001, "1/1000"), (0.01, "1/100")] {
        let mut medians = std::collections::BTreeMap::new();
        for v in VARIANTS {
            let (warm, reps) = match (name, v) {
                ("1/1000", _) => (1, 5),
                (_, "no-lock") => (0, 5),
                _ => (0, 3),
            };
            let f = live_variant(v, params, scale, warm, reps);
            println!(
                "{:<7} {:<9} {:>5} {:>10.2} {:>11.2} {:>10.2} {:>10.3} {:>10.3} {:>10.3} {:>7}",
                name,
                v,
                f.elapsed.n(),
                f.ideal_ms,
                f.elapsed.median(),
                f.elapsed.min(),
                f.fidelity.median(),
                f.fidelity.min(),
                f.fidelity.max(),
                format!("{}/{}", f.ok, f.elapsed.n())
            );
            medians.insert(v, (f.elapsed.median(), f.ideal_ms));
            if v != "no-lock" {
                figure(format!("fidelity_{v}_{scale}"), f.fidelity.median(), "x");
            }
        }
        let ratio = |a: &str, b: &str| (medians[a].0 / medians[b].0, medians[a].1 / medians[b].1);
        let (jl, jl_ideal) = ratio("join", "lock");
        let (ln, ln_ideal) = ratio("lock", "no-lock");
        println!(
            "{:<7} ratios of median elapsed: join/lock = {:.2} (ideal {:.2}), lock/no-lock = \
             {:.1} (ideal {:.1})",
            name, jl, jl_ideal, ln, ln_ideal
        );
    }
    let published = |v: &str| lesson.published_for(v).map(|p| p.seconds);
    if let (Some(n), Some(l), Some(j)) =
        (published("no-lock"), published("lock"), published("join"))
    {
        println!(
            "The tutorial's published times ({n} s, {l} s, {j} s) give join/lock = {:.2}, \
             lock/no-lock = {:.1}.",
            j / l,
            l / n
        );
    }
    println!();
}

// ---------------------------------------------------------------------------------------------
// Part 4: many threads

/// Virtual runs of the lock variant with `threads` threads (the lesson's maximum raised for the
/// bench): the median wall time of `reps` runs, in milliseconds.
fn virtual_many(lesson: &content::Lesson, threads: usize, reps: usize) -> f64 {
    let demo = lessons::find("lock-vs-join").expect("lock-vs-join has demo code");
    let mut specs = lesson.params.clone();
    for p in specs.iter_mut().filter(|p| p.key == "threads") {
        p.max = p.max.max(threads as f64);
    }
    let params = Params::resolve(
        "lock-vs-join",
        &specs,
        &[("threads".into(), threads.to_string())],
    )
    .expect("threads resolves once its maximum is raised");
    let mut seed = 0;
    measure(1, reps, || {
        let cfg = Config {
            mode: Mode::Virtual,
            scale: 1.0,
            seed,
        };
        seed += 1;
        let t0 = Instant::now();
        let report = runner::start(demo, "lock", &params, cfg).wait();
        assert!(!report.cancelled && report.deadlock.is_none());
        t0.elapsed().as_secs_f64() * 1e3
    })
    .median()
}

/// Milliseconds from `cancel()` until every one of 1000 threads blocked on a lock (and main,
/// asleep holding it) has left: one live run.
fn cancel_blocked(n: usize) -> f64 {
    let run = Run::start(
        Config {
            mode: Mode::Live,
            scale: 1.0,
            seed: 0,
        },
        move || {
            let m = Arc::new(engine::Mutex::new("gate", ()));
            let _held = m.lock();
            let ts: Vec<_> = (0..n)
                .map(|i| {
                    let m = m.clone();
                    engine::spawn(format!("T{i}"), move || drop(m.lock()))
                })
                .collect();
            engine::sleep(Duration::from_secs(3600));
            for t in ts {
                let _ = t.join();
            }
            Outcome::new()
        },
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut blocked = 0;
    while blocked < n {
        for e in run.events().try_iter() {
            if matches!(e.what, What::Blocked { .. }) {
                blocked += 1;
            }
        }
        assert!(Instant::now() < deadline, "only {blocked} of {n} blocked");
        std::thread::sleep(Duration::from_millis(2));
    }
    let t0 = Instant::now();
    run.cancel();
    let report = run
        .wait_timeout(Duration::from_secs(10))
        .expect("every thread leaves after a cancel");
    let ms = t0.elapsed().as_secs_f64() * 1e3;
    assert!(report.cancelled);
    ms
}

/// The bound `cancel_1000_ms` is held to: the bench fails above it.
const CANCEL_1000_BOUND_MS: f64 = 20.0;

fn part4(lesson: &content::Lesson) {
    println!("== 4. Many threads: virtual mode's cost per thread, and cancelling 1000 blocked ==");
    println!(
        "Virtual: the lock variant at 1000 and at 8000 threads (the lesson's maximum raised), \
         1 warm-up + 3 timed runs each;\nlinear cost would give a ratio of 8. Cancel: a live run \
         whose main holds a lock while 1000 threads wait for it;\nfrom cancel() to the report, \
         1 warm-up + 5 timed runs; the bench fails above {CANCEL_1000_BOUND_MS} ms."
    );
    let a = virtual_many(lesson, 1000, 3);
    let b = virtual_many(lesson, 8000, 3);
    println!(
        "  virtual, 1000 threads: {a:.1} ms; 8000 threads: {b:.1} ms; ratio {:.2}",
        b / a
    );
    figure("virtual_threads_8000_over_1000", b / a, "x");
    let c = measure(1, 5, || cancel_blocked(1000));
    println!(
        "  cancel with 1000 blocked: median {:.2} ms (min {:.2}, max {:.2})",
        c.median(),
        c.min(),
        c.max()
    );
    figure("cancel_1000_ms", c.median(), "ms");
    println!();
}

/// The 1-, 5- and 15-minute load averages (Linux), to judge how busy the machine was.
fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_string())
}

fn main() {
    let t0 = Instant::now();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "lockstep engine bench: {cores} CPU(s) available, load average {}; one Event is {} bytes \
         in the channel\n(plus heap for strings). Other work on the machine shows up as spread \
         (max) and in the medians.",
        loadavg(),
        std::mem::size_of::<Event>()
    );
    println!();
    let (lesson, params) = lock_vs_join();
    // LOCKSTEP_BENCH_PARTS=24 runs parts 2 and 4 only; all four by default.
    let parts = std::env::var("LOCKSTEP_BENCH_PARTS").unwrap_or_else(|_| "1234".into());
    if parts.contains('1') {
        part1();
    }
    if parts.contains('2') {
        part2(&params);
    }
    if parts.contains('3') {
        part3(&lesson, &params);
    }
    if parts.contains('4') {
        part4(&lesson);
    }
    let figures = FIGURES.lock().unwrap().clone();
    for (name, value, unit) in &figures {
        println!("figure {name} {value:.3} {unit}");
    }
    // The one figure held to a bound: the bench fails above it.
    if let Some((_, ms, _)) = figures.iter().find(|f| f.0 == "cancel_1000_ms") {
        assert!(
            *ms <= CANCEL_1000_BOUND_MS,
            "cancel with 1000 blocked threads took {ms:.2} ms (median), over the bound of \
             {CANCEL_1000_BOUND_MS} ms"
        );
    }
    println!(
        "total bench time: {:.1} s; load average now {}",
        t0.elapsed().as_secs_f64(),
        loadavg()
    );
}
