//! The outcome explorer: run a variant under every schedule the virtual scheduler could make
//! and count how each way of ending comes about. Depth-first over the scheduling choices,
//! each schedule a fresh run of the same demo code (nothing is simulated); with sleep sets,
//! two schedules that differ only in the order of independent steps (two reads, a sleep and a
//! write to another variable) are run once. Past a bound of runs or time it says so, and
//! counts a seeded random sample of schedules instead: "sampled, not exhaustive".

use crate::engine::{
    Config, Deadlock, Mode, Move, Op, Outcome, Rid, Tid, trace::Trace, with_chooser,
};
use crate::lessons::{self, AnyLesson};
use crate::params::Params;
use crate::schedule::Schedule;
use crate::words::Lang;
use crate::words::explore::Words;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What to explore, and how far.
#[derive(Clone)]
pub struct Spec {
    pub lesson: &'static dyn AnyLesson,
    pub variant: String,
    pub params: Params,
    pub scale: f64,
    /// The sample's seed (and every run's, for the demo's own random numbers).
    pub seed: u64,
    /// Runs the exhaustive search may make before it gives up for a sample.
    pub max_runs: usize,
    /// Schedules in the sample, when the search is not exhaustive.
    pub samples: usize,
    /// The whole exploration stops after this long.
    pub time_limit: Duration,
    /// Sleep sets: an order of independent steps is run once (off: every order counts).
    pub reduce: bool,
}

/// The defaults: enough for the lessons' 2–3 thread variants to finish in seconds.
pub const MAX_RUNS: usize = 20_000;
pub const SAMPLES: usize = 500;
pub const TIME_LIMIT: Duration = Duration::from_secs(20);

/// One way the variant ended, how many schedules ended so, and the shortest of them.
#[derive(Clone, Debug, PartialEq)]
pub struct Ending {
    pub outcome: Outcome,
    pub deadlock: Option<Deadlock>,
    /// Threads that raised, as the report says them.
    pub raised: Vec<String>,
    pub count: usize,
    /// The fewest scheduling choices that end this way: replay it, or step through it.
    pub shortest: Vec<Tid>,
    /// Each choice's thread name, for readers.
    pub names: Vec<String>,
}

/// How the exploration went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coverage {
    /// Every schedule (up to the order of independent steps) was run.
    Exhaustive,
    /// The search met its bound of runs: a random sample was counted instead.
    Sampled,
    /// The time ran out: what was counted by then (a sample, or a search cut short).
    TimedOut,
}

#[derive(Clone, Debug)]
pub struct Exploration {
    pub lesson: String,
    pub variant: String,
    pub params: Params,
    pub scale: f64,
    pub seed: u64,
    pub coverage: Coverage,
    pub reduce: bool,
    /// Runs made in all (the search's, then the sample's).
    pub runs: usize,
    /// Schedules counted in the histogram.
    pub counted: usize,
    /// Runs the sleep sets found to repeat a schedule already counted (not counted).
    pub repeats: usize,
    pub endings: Vec<Ending>,
    pub elapsed: Duration,
}

impl Exploration {
    /// The shortest schedule that ends as `endings[i]` does, as a schedule file.
    pub fn schedule(&self, i: usize) -> Option<Schedule> {
        let e = self.endings.get(i)?;
        Some(Schedule {
            lesson: self.lesson.clone(),
            variant: self.variant.clone(),
            seed: self.seed,
            scale: self.scale,
            params: self
                .params
                .iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            choices: e
                .shortest
                .iter()
                .zip(&e.names)
                .map(|(t, name)| crate::schedule::Choice {
                    thread: t.0,
                    name: name.clone(),
                })
                .collect(),
        })
    }

    /// How the ending reads: the lesson's outcome ("n = 1, lost 1"), or the deadlock.
    pub fn ending_text(&self, e: &Ending, lang: Lang) -> String {
        let mut text = match &e.deadlock {
            Some(d) => d.text(lang),
            None => match lessons::find(&self.lesson) {
                Some(code) => lessons::outcome_line(code, &e.outcome, lang).0,
                None => String::new(),
            },
        };
        if !e.raised.is_empty() {
            text = Words(lang).raised(&text, &e.raised.join("; "));
        }
        text
    }
}

/// What one run showed.
struct Leaf {
    outcome: Outcome,
    deadlock: Option<Deadlock>,
    raised: Vec<String>,
    choices: Vec<Tid>,
    names: Vec<String>,
    /// The order in which threads touched each shared thing: two schedules with the same
    /// one differ only in the order of independent steps, and count once.
    order: String,
    /// Something waited with a time limit, or a timer ran: when time passes matters.
    timed: bool,
}

/// Each resource's accesses in order, reads in a row taken as a set (they commute), e.g.
/// `n: main= | T1? T2? | T1= | T2= | main?`.
fn access_order(events: &[crate::engine::Event], trace: &Trace) -> String {
    use crate::engine::What;
    let mut per: std::collections::BTreeMap<u32, Vec<Vec<String>>> = Default::default();
    for e in events {
        let (rid, read) = match &e.what {
            What::Get { rid, .. } | What::Peek { rid, .. } | What::LocalGet { rid, .. } => {
                (*rid, true)
            }
            What::ResourceNew { rid, .. }
            | What::Lock { rid }
            | What::Acquired { rid }
            | What::Released { rid }
            | What::ReleasedFor { rid, .. }
            | What::Added { rid, .. }
            | What::Forgot { rid, .. }
            | What::Set { rid, .. }
            | What::Put { rid, .. }
            | What::Took { rid, .. }
            | What::Refused { rid, .. }
            | What::TaskDone { rid, .. }
            | What::WaitAll { rid }
            | What::FlagSet { rid }
            | What::FlagCleared { rid }
            | What::WaitFlag { rid }
            | What::CondWait { rid, .. }
            | What::Notify { rid, .. }
            | What::Arrive { rid, .. }
            | What::Abort { rid }
            | What::Reset { rid }
            | What::Countdown { rid, .. }
            | What::Fires { rid }
            | What::CancelTimer { rid, .. }
            | What::LocalSet { rid, .. } => (*rid, false),
            What::Blocked {
                on: crate::engine::event::BlockedOn::Resource(rid),
            } => (*rid, false),
            _ => continue,
        };
        let who = format!(
            "{}{}",
            trace.thread_name(e.tid),
            if read { "?" } else { "=" }
        );
        let blocks = per.entry(rid.0).or_default();
        match blocks.last_mut() {
            Some(last) if read && last.iter().all(|a| a.ends_with('?')) => last.push(who),
            _ => blocks.push(vec![who]),
        }
    }
    per.into_iter()
        .map(|(rid, blocks)| {
            let blocks: Vec<String> = blocks
                .into_iter()
                .map(|mut b| {
                    b.sort();
                    b.join(" ")
                })
                .collect();
            format!("{}: {}", trace.resource_name(Rid(rid)), blocks.join(" | "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn run_with(spec: &Spec, chooser: crate::engine::Chooser) -> Leaf {
    let cfg = Config {
        mode: Mode::Virtual,
        scale: spec.scale,
        seed: spec.seed,
    };
    let run = with_chooser(chooser, || {
        spec.lesson
            .start(&spec.variant, &spec.params, cfg, Vec::new())
    });
    let report = run.wait();
    let outcome = spec.lesson.outcome(&run, &report);
    let choices = run.choices();
    let events: Vec<_> = run.events().try_iter().collect();
    let trace = Trace::from_events(&events);
    let names = choices
        .iter()
        .map(|t| trace.thread_name(*t).to_string())
        .collect();
    let order = access_order(&events, &trace);
    let timed = events.iter().any(|e| {
        use crate::engine::What;
        matches!(
            e.what,
            What::TimedOut { .. }
                | What::JoinTimedOut { .. }
                | What::Countdown { .. }
                | What::CondWait {
                    timeout_ns: Some(_),
                    ..
                }
        )
    });
    Leaf {
        order,
        timed,
        outcome,
        deadlock: report.deadlock.clone(),
        raised: report.raised.clone(),
        choices,
        names,
    }
}

/// A scheduling point of the search: what could move, what need not (its sleep set), and
/// which moves were tried.
struct Node {
    moves: Vec<Move>,
    sleep: Vec<Move>,
    done: Vec<usize>,
}

/// The chooser's state during one run of the search.
#[derive(Default)]
struct Path {
    /// Choices to make first (by thread), from the root.
    prefix: Vec<Tid>,
    depth: usize,
    /// The sleep set where the prefix ends.
    sleep: Vec<Move>,
    reduce: bool,
    /// Letting time pass can change what happens (see [`independent`]).
    clock: bool,
    /// Nodes past the prefix, made by this run.
    nodes: Vec<Node>,
    /// Every move the run could make here is asleep: it repeats a schedule already run.
    repeat: bool,
    /// A prefix choice could not be made (the demo did not behave the same twice).
    broken: bool,
}

impl Path {
    fn choose(&mut self, moves: &[Move]) -> usize {
        if self.depth < self.prefix.len() {
            let t = self.prefix[self.depth];
            self.depth += 1;
            return moves.iter().position(|m| m.tid == t).unwrap_or_else(|| {
                self.broken = true;
                0
            });
        }
        self.depth += 1;
        if self.repeat {
            return 0;
        }
        let sleep: Vec<Move> = std::mem::take(&mut self.sleep)
            .into_iter()
            .filter(|s| moves.contains(s))
            .collect();
        let Some(i) = (0..moves.len()).find(|&i| !sleep.iter().any(|s| s.tid == moves[i].tid))
        else {
            self.repeat = true;
            return 0;
        };
        if self.reduce {
            self.sleep = sleep
                .iter()
                .filter(|s| independent(s, &moves[i], self.clock))
                .copied()
                .collect();
        }
        self.nodes.push(Node {
            moves: moves.to_vec(),
            sleep,
            done: vec![i],
        });
        i
    }
}

/// What a move touches, for telling which moves commute.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Nothing another thread can see (a sleep, a start, going on after a sleep).
    Nothing,
    Read(Rid),
    Write(Rid),
    /// The order of printed lines.
    Print,
    /// Thread numbers are given in the order threads are spawned.
    Spawn,
    /// Anything: not known to commute with any other move.
    Anything,
}

fn access(m: &Move, clock: bool) -> Access {
    if m.waits && !clock {
        // Time passing is only the order things happen in: a sleeper may be woken at any
        // moment, as a learner in step mode may.
        return Access::Nothing;
    }
    if m.waits {
        // Letting a sleeper's time pass touches only the clock; a timed wait that gives up
        // takes itself off its resource's waiters.
        return if m.clock {
            Access::Nothing
        } else {
            Access::Anything
        };
    }
    let Some(op) = m.op else {
        // Going on after a sleep is the thread's own business; after a wake-up by another
        // thread it may finish what it waited for (take the item, pass the barrier).
        return if m.clock {
            Access::Nothing
        } else {
            Access::Anything
        };
    };
    match op {
        Op::Start | Op::Sleep(_) | Op::Work(_) | Op::Join(_) | Op::IsAlive(_) => Access::Nothing,
        Op::Get(r) | Op::Peek(r) => Access::Read(r),
        Op::Set(r)
        | Op::Lock(r)
        | Op::Unlock(r)
        | Op::Put(r)
        | Op::Take(r)
        | Op::TaskDone(r)
        | Op::WaitAll(r)
        | Op::SetFlag(r)
        | Op::ClearFlag(r)
        | Op::WaitFlag(r)
        | Op::Notify(r)
        | Op::Barrier(r)
        | Op::Abort(r)
        | Op::Reset(r)
        | Op::Countdown(r)
        | Op::Cancel(r)
        | Op::Fetch(r)
        | Op::Connect(r) => Access::Write(r),
        Op::Say => Access::Print,
        Op::Spawn => Access::Spawn,
        // A condition's wait lets go of its lock too; the loop resumes a task.
        Op::WaitCond(_) | Op::Resume(_) => Access::Anything,
    }
}

/// Whether a move neither reads nor moves the virtual clock: it gives the same state whether
/// a sleeper's time passed before it or after.
fn clock_free(m: &Move) -> bool {
    if m.waits {
        return false;
    }
    match m.op {
        // Going on after a sleep runs the thread's own code up to its next operation.
        None => m.clock,
        Some(op) => matches!(
            op,
            Op::Start
                | Op::Spawn
                | Op::Get(_)
                | Op::Set(_)
                | Op::Peek(_)
                | Op::Say
                | Op::Unlock(_)
                | Op::IsAlive(_)
        ),
    }
}

/// Whether moves `a` and `b` of two threads give the same state in either order. Every move
/// runs its thread on to its next operation, maybe to its end: a join of that thread, or a
/// question whether it is alive, depends on all of its moves. Letting a sleeper's time pass
/// moves the clock, which a sleep, a work or a wait with a time limit reads: with `clock`
/// (the variant waits with time limits, or runs timers) that counts; without, time passing
/// is only a matter of order, since any sleeper may be picked at any moment.
fn independent(a: &Move, b: &Move, clock: bool) -> bool {
    if a.tid == b.tid {
        return false;
    }
    for (x, y) in [(a, b), (b, a)] {
        if let Some(Op::Join(t) | Op::IsAlive(t)) = x.op
            && t == y.tid
        {
            return false;
        }
    }
    if clock && ((a.waits && !clock_free(b)) || (b.waits && !clock_free(a))) {
        return false;
    }
    use Access::*;
    match (access(a, clock), access(b, clock)) {
        (Nothing, _) | (_, Nothing) => true,
        (Anything, _) | (_, Anything) => false,
        (Read(_), Read(_)) => true,
        (Read(r) | Write(r), Read(s) | Write(s)) => r != s,
        (Print, Print) | (Spawn, Spawn) => false,
        _ => true,
    }
}

/// Counts endings as runs come in.
#[derive(Default)]
struct Tally {
    endings: Vec<Ending>,
    counted: usize,
    /// Orders of access seen (the exhaustive search counts each once).
    seen: std::collections::HashSet<String>,
}

/// A deadlock's cycle in a fixed order: the same cycle found from another thread is the
/// same (threads stuck without a cycle: the same threads stuck).
fn same_deadlock(a: &Option<Deadlock>, b: &Option<Deadlock>) -> bool {
    let key = |d: &Option<Deadlock>| {
        d.as_ref().map(|d| {
            let links = if d.cycle.is_empty() {
                &d.stuck
            } else {
                &d.cycle
            };
            let mut links: Vec<String> = links.iter().map(|l| l.text(Lang::En)).collect();
            links.sort();
            links
        })
    };
    key(a) == key(b)
}

impl Tally {
    /// Count `leaf`; with `once`, not when its order of access was counted already.
    fn add(&mut self, leaf: Leaf, once: bool) -> bool {
        if once && !self.seen.insert(leaf.order.clone()) {
            return false;
        }
        self.counted += 1;
        let same = |e: &Ending| {
            e.outcome == leaf.outcome
                && same_deadlock(&e.deadlock, &leaf.deadlock)
                && e.raised == leaf.raised
        };
        match self.endings.iter_mut().find(|e| same(e)) {
            Some(e) => {
                e.count += 1;
                if leaf.choices.len() < e.shortest.len() {
                    e.shortest = leaf.choices;
                    e.names = leaf.names;
                }
            }
            None => self.endings.push(Ending {
                outcome: leaf.outcome,
                deadlock: leaf.deadlock,
                raised: leaf.raised,
                count: 1,
                shortest: leaf.choices,
                names: leaf.names,
            }),
        }
        true
    }
}

/// Explore `spec`; `progress(runs, counted)` is called after every run, and the search stops
/// when `stop()` says so (counted as a time out).
pub fn explore(
    spec: &Spec,
    progress: &mut dyn FnMut(usize, usize),
    stop: &dyn Fn() -> bool,
) -> Exploration {
    let start = Instant::now();
    match explore_from(spec, false, start, progress, stop) {
        Some(x) => x,
        // Time limits matter: again, with every move that moves the clock ordered.
        None => explore_from(spec, true, start, progress, stop).expect("with the clock"),
    }
}

/// The search (then, if too big, the sample); `None` when a run shows that time passing
/// matters and `clock` was not set.
fn explore_from(
    spec: &Spec,
    clock: bool,
    start: Instant,
    progress: &mut dyn FnMut(usize, usize),
    stop: &dyn Fn() -> bool,
) -> Option<Exploration> {
    let over_time = || start.elapsed() >= spec.time_limit || stop();
    // The search has half the time: the rest is for a sample if it cannot finish.
    let search_over = || start.elapsed() >= spec.time_limit / 2 || stop();
    let mut tally = Tally::default();
    let mut runs = 0;
    let mut repeats = 0;
    let mut stack: Vec<Node> = Vec::new();
    let mut next: Option<(Vec<Tid>, Vec<Move>)> = Some((Vec::new(), Vec::new()));
    let mut coverage = Coverage::Exhaustive;
    while let Some((prefix, sleep)) = next.take() {
        if runs >= spec.max_runs || search_over() {
            coverage = Coverage::Sampled;
            break;
        }
        let path = Arc::new(parking_lot::Mutex::new(Path {
            prefix,
            sleep,
            reduce: spec.reduce,
            clock,
            ..Path::default()
        }));
        let p = path.clone();
        let leaf = run_with(spec, Box::new(move |moves| p.lock().choose(moves)));
        runs += 1;
        if leaf.timed && !clock && spec.reduce {
            return None;
        }
        let mut path = std::mem::take(&mut *path.lock());
        if path.repeat || path.broken || !tally.add(leaf, spec.reduce) {
            repeats += 1;
        }
        stack.append(&mut path.nodes);
        progress(runs, tally.counted);
        // Back up to the deepest point with a move not yet tried and not asleep.
        while let Some(node) = stack.last_mut() {
            let tried = |i: usize| node.done.contains(&i);
            let asleep = |m: &Move| node.sleep.iter().any(|s| s.tid == m.tid);
            let Some(j) = (0..node.moves.len()).find(|&j| !tried(j) && !asleep(&node.moves[j]))
            else {
                stack.pop();
                continue;
            };
            let mut sleep = Vec::new();
            if spec.reduce {
                let mut before: Vec<Move> = node.sleep.clone();
                before.extend(node.done.iter().map(|&d| node.moves[d]));
                sleep = before
                    .into_iter()
                    .filter(|s| independent(s, &node.moves[j], clock))
                    .collect();
            }
            node.done.push(j);
            let prefix = stack
                .iter()
                .map(|n| n.moves[*n.done.last().expect("tried one")].tid)
                .collect();
            next = Some((prefix, sleep));
            break;
        }
    }
    if coverage == Coverage::Sampled {
        // The search is too big: count a seeded random sample of schedules instead.
        tally = Tally::default();
        repeats = 0;
        for i in 0..spec.samples {
            if over_time() {
                coverage = Coverage::TimedOut;
                break;
            }
            let mut rng = StdRng::seed_from_u64(spec.seed.wrapping_add(i as u64));
            let leaf = run_with(
                spec,
                Box::new(move |moves| rng.random_range(0..moves.len())),
            );
            runs += 1;
            tally.add(leaf, false);
            progress(runs, tally.counted);
        }
    }
    tally.endings.sort_by_key(|e| std::cmp::Reverse(e.count));
    Some(Exploration {
        lesson: spec.lesson.id().to_string(),
        variant: spec.variant.clone(),
        params: spec.params.clone(),
        scale: spec.scale,
        seed: spec.seed,
        coverage,
        reduce: spec.reduce,
        runs,
        counted: tally.counted,
        repeats,
        endings: tally.endings,
        elapsed: start.elapsed(),
    })
}

/// The explorer's result as text (a histogram), Markdown or JSON.
pub mod output {
    use super::*;

    /// One line saying how complete the counts are.
    pub fn coverage_line(x: &Exploration, lang: Lang) -> String {
        let w = Words(lang);
        match (x.coverage, x.reduce) {
            (Coverage::Exhaustive, true) => w.exhaustive_reduced(x.counted, x.runs),
            (Coverage::Exhaustive, false) => w.exhaustive_all(x.counted),
            (Coverage::Sampled, _) => w.sampled(x.counted, x.seed),
            (Coverage::TimedOut, _) => w.timed_out(x.counted, x.elapsed.as_secs_f64()),
        }
    }

    /// A bar of `count` out of `total`, `width` cells at most.
    pub fn bar(count: usize, total: usize, width: usize) -> String {
        if total == 0 {
            return String::new();
        }
        let cells = (count * width).div_ceil(total).max(usize::from(count > 0));
        "█".repeat(cells)
    }

    pub fn text(x: &Exploration, lang: Lang) -> String {
        let w = Words(lang);
        let mut s = format!(
            "{}\n{}\n\n",
            w.heading(&x.lesson, &x.variant, &x.params.to_string()),
            coverage_line(x, lang)
        );
        let total = x.counted;
        for (i, e) in x.endings.iter().enumerate() {
            let pct = 100.0 * e.count as f64 / total.max(1) as f64;
            s.push_str(&format!(
                "{:>2}. {:>7} {:>5.1}%  {}\n    {}\n    {}\n",
                i + 1,
                e.count,
                pct,
                bar(e.count, total, 30),
                x.ending_text(e, lang),
                w.shortest(e.shortest.len(), &e.names.join(" "))
            ));
        }
        s.push_str(&format!("\n{}\n", w.took(x.runs, x.elapsed.as_secs_f64())));
        s
    }

    pub fn markdown(x: &Exploration, lang: Lang) -> String {
        let w = Words(lang);
        let mut s = format!(
            "# {}\n\n{}\n\n| # | {} | % | {} | {} |\n|---|---:|---:|---|---|\n",
            w.heading(&x.lesson, &x.variant, &x.params.to_string()),
            coverage_line(x, lang),
            w.col_schedules(),
            w.col_ending(),
            w.col_shortest()
        );
        let total = x.counted.max(1);
        for (i, e) in x.endings.iter().enumerate() {
            s.push_str(&format!(
                "| {} | {} | {:.1} | {} | {} |\n",
                i + 1,
                e.count,
                100.0 * e.count as f64 / total as f64,
                x.ending_text(e, lang).replace('|', "\\|"),
                w.steps(e.shortest.len(), &e.names.join(" "))
            ));
        }
        s.push_str(&format!("\n{}\n", w.took(x.runs, x.elapsed.as_secs_f64())));
        s
    }

    /// Data, the same in every language (endings in English).
    pub fn json(x: &Exploration) -> String {
        let endings: Vec<serde_json::Value> = x
            .endings
            .iter()
            .map(|e| {
                serde_json::json!({
                    "count": e.count,
                    "ending": x.ending_text(e, Lang::En),
                    "outcome": e.outcome,
                    "deadlock": e.deadlock,
                    "raised": e.raised,
                    "shortest": e.shortest.iter().zip(&e.names)
                        .map(|(t, n)| serde_json::json!({"thread": t.0, "name": n}))
                        .collect::<Vec<_>>(),
                })
            })
            .collect();
        let params: serde_json::Map<String, serde_json::Value> = x
            .params
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::json!(v)))
            .collect();
        let doc = serde_json::json!({
            "lesson": x.lesson,
            "variant": x.variant,
            "params": params,
            "scale": x.scale,
            "seed": x.seed,
            "coverage": match x.coverage {
                Coverage::Exhaustive => "exhaustive",
                Coverage::Sampled => "sampled",
                Coverage::TimedOut => "timed-out",
            },
            "exhaustive": x.coverage == Coverage::Exhaustive,
            "reduced": x.reduce,
            "runs": x.runs,
            "schedules": x.counted,
            "repeats": x.repeats,
            "elapsed_ms": x.elapsed.as_secs_f64() * 1000.0,
            "endings": endings,
        });
        format!(
            "{}\n",
            serde_json::to_string_pretty(&doc).expect("plain data")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mv(tid: u32, op: Option<Op>, clock: bool) -> Move {
        Move {
            tid: Tid(tid),
            op,
            clock,
            waits: false,
        }
    }

    fn independent_c(a: &Move, b: &Move) -> bool {
        independent(a, b, true)
    }

    #[test]
    fn reads_commute_and_a_write_does_not_commute_with_a_read_of_the_same_variable() {
        let (n, m) = (Rid(0), Rid(1));
        assert!(independent_c(
            &mv(1, Some(Op::Get(n)), false),
            &mv(2, Some(Op::Get(n)), false)
        ));
        assert!(!independent_c(
            &mv(1, Some(Op::Get(n)), false),
            &mv(2, Some(Op::Set(n)), false)
        ));
        assert!(independent_c(
            &mv(1, Some(Op::Set(m)), false),
            &mv(2, Some(Op::Set(n)), false)
        ));
        assert!(!independent_c(
            &mv(1, Some(Op::Lock(n)), false),
            &mv(2, Some(Op::Lock(n)), false)
        ));
        // A sleep touches nothing; going on after a sleep neither; after a wake-up, anything.
        assert!(independent_c(
            &mv(1, Some(Op::Sleep(5)), false),
            &mv(2, Some(Op::Set(n)), false)
        ));
        assert!(independent_c(
            &mv(1, None, true),
            &mv(2, Some(Op::Set(n)), false)
        ));
        assert!(!independent_c(
            &mv(1, None, false),
            &mv(2, Some(Op::Set(n)), false)
        ));
        // Joining T2 depends on whatever T2 does: it may be its last move.
        assert!(!independent_c(
            &mv(0, Some(Op::Join(Tid(2))), false),
            &mv(2, None, true)
        ));
        assert!(independent_c(
            &mv(0, Some(Op::Join(Tid(1))), false),
            &mv(2, None, true)
        ));
        // The same thread's moves never commute.
        assert!(!independent_c(
            &mv(1, Some(Op::Sleep(1)), false),
            &mv(1, Some(Op::Sleep(1)), false)
        ));
    }
}
