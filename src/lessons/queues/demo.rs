//! queues: the same three puts come out in a different order from each kind of queue;
//! a bounded queue makes a put wait while it is full and a get wait while it is empty.

use crate::engine::{Queue, say, sleep, spawn};
use crate::params::Params;
use std::fmt::Debug;
use std::sync::Arc;
use std::time::Duration;

/// FIFO (Python: `queue.Queue()`): first in, first out, like a line at a counter.
pub fn fifo(p: &Params) -> Vec<String> {
    let q = Queue::fifo("q", 0);
    let order = put_then_take(&q, vec!["first", "second", "third"], p.secs("pause"));
    order.iter().map(|s| s.to_string()).collect()
}

/// LIFO (Python: `queue.LifoQueue()`): last in, first out, like a stack of plates.
pub fn lifo(p: &Params) -> Vec<String> {
    let q = Queue::lifo("q", 0);
    let order = put_then_take(&q, vec!["first", "second", "third"], p.secs("pause"));
    order.iter().map(|s| s.to_string()).collect()
}

/// Priority (Python: `queue.PriorityQueue()`): the smallest comes out first, whatever
/// the order it went in. A tuple compares by its first field, then its second.
pub fn priority(p: &Params) -> Vec<String> {
    let q = Queue::priority("q", 0);
    let items = vec![(20, "a"), (10, "b"), (30, "c")];
    let order = put_then_take(&q, items, p.secs("pause"));
    order.iter().map(|(n, s)| format!("({n}, {s})")).collect()
}

/// Put every item, then take until the queue is empty; returns the items as they came out.
fn put_then_take<T: Debug>(q: &Queue<T>, items: Vec<T>, pause: Duration) -> Vec<T> {
    for item in items {
        q.put(item);
        sleep(pause); // a moment to watch the slots
    }
    let mut order = Vec::new();
    while !q.is_empty() {
        order.push(q.get());
        sleep(pause);
    }
    order
}

/// Bounded (Python: `queue.Queue(maxsize=3)`): `put` waits while the queue is full,
/// `get` waits while it is empty; the `_nowait` versions refuse at once instead.
pub fn bounded(p: &Params) -> Bounded {
    let q = Arc::new(Queue::fifo("q", p.int("maxsize") as usize));
    let pause = p.secs("pause");

    // Fill it up.
    let mut n: u64 = 0;
    while !q.is_full() {
        n += 1;
        q.put(n);
        sleep(pause);
    }
    let full_after = n;

    // Full: put_nowait does not wait, it fails (Python raises `queue.Full`).
    let put_nowait_error = match q.put_nowait(n + 1) {
        Ok(()) => "none".to_string(),
        Err(full) => full.to_string(),
    };

    // Two more puts, each in a thread of its own: both wait for room, in the order they came.
    let mut putters = Vec::new();
    for i in 1..=2 {
        let q = q.clone();
        let item = n + i;
        putters.push(spawn(format!("putter-{i}"), move || {
            let full = q.is_full();
            if full {
                say(format!("q is full: put({item}) waits for room"));
            }
            q.put(item); // blocks until a get makes room
            full
        }));
        sleep(pause); // let it reach the queue before the next one comes
    }

    // Take everything: each get frees a slot and the longest-waiting put moves in.
    let mut order = Vec::new();
    while !q.is_empty() {
        order.push(q.get());
        sleep(pause);
    }
    let blocked_puts = putters.into_iter().map(|t| t.join().unwrap()).filter(|&w| w).count();

    // Empty: get_nowait does not wait, it fails (Python raises `queue.Empty`).
    let get_nowait_error = match q.get_nowait() {
        Ok(item) => format!("got {item}"),
        Err(empty) => empty.to_string(),
    };

    // Two gets in threads of their own: both wait for an item, in the order they came.
    let mut getters = Vec::new();
    for i in 1..=2 {
        let q = q.clone();
        getters.push(spawn(format!("getter-{i}"), move || {
            let empty = q.is_empty();
            if empty {
                say("q is empty: get() waits for an item");
            }
            (q.get(), empty) // blocks until a put brings an item
        }));
        sleep(pause);
    }
    for i in 1..=2 {
        q.put(n + 2 + i); // handed straight to the longest-waiting get
        sleep(pause);
    }
    let mut blocked_gets = 0;
    for g in getters {
        let (item, waited) = g.join().unwrap();
        order.push(item);
        blocked_gets += usize::from(waited);
    }

    Bounded {
        order: order.iter().map(|n| n.to_string()).collect(),
        full_after,
        put_nowait: put_nowait_error,
        get_nowait: get_nowait_error,
        waited_puts: blocked_puts,
        waited_gets: blocked_gets,
    }
}

/// What the bounded queue showed: the order things came out, how many puts filled it, what
/// the non-blocking calls said, and how many puts and gets had to wait.
pub struct Bounded {
    pub order: Vec<String>,
    pub full_after: u64,
    pub put_nowait: String,
    pub get_nowait: String,
    pub waited_puts: usize,
    pub waited_gets: usize,
}
