//! producer-consumer: cooks make food and put it on a buffer; eaters take it off and eat it.
//! Neither side talks to the other: the blocking queue between them balances their speeds.

use crate::engine::{JoinHandle, Mutex, Queue, random_secs, sleep, spawn, spawn_daemon};
use crate::params::Params;
use std::fmt;
use std::sync::Arc;

/// Something a cook made, e.g. `bun-3`. Each one is unique, so eating one twice would show.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Food {
    kind: &'static str,
    n: u64,
}

impl fmt::Debug for Food {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.kind, self.n)
    }
}

/// One kind of food per cook (the tutorial's three cooks made buns, bones and slop).
const KINDS: [&str; 6] = ["bun", "bone", "slop", "rice", "soup", "cake"];

/// The buffer carries food, and `None` as the end marker (Python: `q.put(None)`).
type Buffer = Queue<Option<Food>>;

/// Make one: it takes a random while (Python: `time.sleep(random.randint(1, 3))`).
fn make(kind: &'static str, n: u64, p: &Params) -> Food {
    sleep(random_secs(p.get("make-min"), p.get("make-max")));
    Food { kind, n }
}

/// Eat one: it takes a random while too.
fn eat(p: &Params) {
    sleep(random_secs(p.get("eat-min"), p.get("eat-max")));
}

/// A cook: make `count` of its kind and put each on the buffer (waiting while it is full).
/// Returns the most items it saw on the buffer right after its puts.
fn cook(kind: &'static str, count: u64, buffer: &Buffer, p: &Params) -> usize {
    let mut fullest = 0;
    for n in 1..=count {
        buffer.put(Some(make(kind, n, p)));
        fullest = fullest.max(buffer.len());
    }
    fullest
}

/// An eater: take food and eat it until the end marker comes. Returns what it ate.
fn eater(buffer: &Buffer, p: &Params) -> Vec<Food> {
    let mut ate = Vec::new();
    // `get` waits while the buffer is empty; `None` means "no more food".
    while let Some(food) = buffer.get() {
        eat(p);
        ate.push(food);
    }
    ate
}

fn start_cook(
    name: String,
    kind: &'static str,
    buffer: &Arc<Buffer>,
    p: &Params,
) -> JoinHandle<usize> {
    let (buffer, p) = (buffer.clone(), p.clone());
    spawn(name, move || cook(kind, p.int("items"), &buffer, &p))
}

fn start_eater(name: String, buffer: &Arc<Buffer>, p: &Params) -> JoinHandle<Vec<Food>> {
    let (buffer, p) = (buffer.clone(), p.clone());
    spawn(name, move || eater(&buffer, &p))
}

fn new_buffer(p: &Params) -> Arc<Buffer> {
    Arc::new(Queue::fifo("buffer", p.int("capacity") as usize)) // 0: no limit
}

/// One cook, one eater: the cook puts the end marker itself after its last bun.
pub fn sentinel(p: &Params) -> Kitchen {
    let buffer = new_buffer(p);
    let cook_thread = {
        let (buffer, p) = (buffer.clone(), p.clone());
        spawn("cook", move || {
            let fullest = cook("bun", p.int("items"), &buffer, &p);
            buffer.put(None); // that was the last one
            fullest
        })
    };
    let eater_thread = start_eater("eater".into(), &buffer, p);
    let fullest = cook_thread.join().unwrap();
    let ate = eater_thread.join().unwrap();
    Kitchen::new(p.int("items"), fullest, vec![ate])
}

/// One cook, one eater: main waits for the cook to finish, then puts the end marker.
pub fn main_sentinel(p: &Params) -> Kitchen {
    let buffer = new_buffer(p);
    let cook_thread = start_cook("cook".into(), "bun", &buffer, p);
    let eater_thread = start_eater("eater".into(), &buffer, p);
    let fullest = cook_thread.join().unwrap(); // every bun is on the buffer now
    buffer.put(None);
    let ate = eater_thread.join().unwrap();
    Kitchen::new(p.int("items"), fullest, vec![ate])
}

/// Several cooks and eaters: main joins every cook, then puts one end marker per eater.
pub fn many(p: &Params) -> Kitchen {
    cooks_and_eaters(p, p.int("eaters"))
}

/// The same with one marker too few: one eater never gets one and waits forever.
pub fn too_few_sentinels(p: &Params) -> Kitchen {
    cooks_and_eaters(p, p.int("eaters") - 1)
}

fn cooks_and_eaters(p: &Params, markers: u64) -> Kitchen {
    let buffer = new_buffer(p);
    let cooks: Vec<_> = KINDS[..p.int("cooks") as usize]
        .iter()
        .map(|&kind| start_cook(format!("cook-{kind}"), kind, &buffer, p))
        .collect();
    let eaters: Vec<_> = (1..=p.int("eaters"))
        .map(|i| start_eater(format!("eater-{i}"), &buffer, p))
        .collect();
    let fullest = cooks.into_iter().map(|c| c.join().unwrap()).max().unwrap_or(0);
    // Every cook is done: one marker per eater tells each of them to stop.
    for _ in 0..markers {
        buffer.put(None);
    }
    // An eater without a marker never returns, so main would wait here forever.
    let ate: Vec<Vec<Food>> = eaters.into_iter().map(|e| e.join().unwrap()).collect();
    Kitchen::new(p.int("cooks") * p.int("items"), fullest, ate)
}

/// A joinable queue counts unfinished items, so no marker is needed: eaters call `task_done`
/// after each item, each cook waits in `join` until all of them are done, and the eaters are
/// daemons that end with the program.
pub fn joinable(p: &Params) -> Kitchen {
    let buffer = Arc::new(Queue::joinable("buffer", p.int("capacity") as usize));
    let eaten = Arc::new(Mutex::new("eaten", Vec::new()));
    for i in 1..=p.int("eaters") {
        let (buffer, eaten, p) = (buffer.clone(), eaten.clone(), p.clone());
        spawn_daemon(format!("eater-{i}"), move || {
            loop {
                let food = buffer.get();
                eat(&p);
                eaten.lock().push(food);
                buffer.task_done(); // one fewer unfinished item
            }
        });
    }
    let cooks: Vec<_> = KINDS[..p.int("cooks") as usize]
        .iter()
        .map(|&kind| {
            let (buffer, p) = (buffer.clone(), p.clone());
            spawn(format!("cook-{kind}"), move || {
                let mut fullest = 0;
                for n in 1..=p.int("items") {
                    buffer.put(make(kind, n, &p));
                    fullest = fullest.max(buffer.len());
                }
                buffer.join(); // wait until every item put has been marked done
                fullest
            })
        })
        .collect();
    let fullest = cooks.into_iter().map(|c| c.join().unwrap()).max().unwrap_or(0);
    // Every cook returned from join, so everything was eaten; the eaters end with main.
    let ate = eaten.lock().clone();
    Kitchen::new(p.int("cooks") * p.int("items"), fullest, vec![ate])
}

/// What the kitchen did: how many items the cooks made, the fullest they saw the buffer, and
/// everything the eaters ate.
pub struct Kitchen {
    pub made: u64,
    pub fullest: usize,
    pub eaten: Vec<Food>,
}

impl Kitchen {
    fn new(made: u64, fullest: usize, eaters: Vec<Vec<Food>>) -> Kitchen {
        Kitchen {
            made,
            fullest,
            eaten: eaters.concat(),
        }
    }
}
