//! semaphore: a restroom with N stalls. Each person waits at the door for a free stall, stays
//! a random while (0: stands right back up), and leaves; the first in the queue goes in.

use crate::engine::{Semaphore, random_secs, sleep, spawn};
use crate::params::Params;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::Duration;

/// N stalls: up to N people inside at once.
pub fn stalls(p: &Params) -> Arc<Headcount> {
    restroom(p, p.int("stalls") as usize)
}

/// One stall: a semaphore with one permit lets one person in at a time, like a mutex.
pub fn mutex(p: &Params) -> Arc<Headcount> {
    restroom(p, 1)
}

fn restroom(p: &Params, n: usize) -> Arc<Headcount> {
    let stalls = Arc::new(Semaphore::new("stalls", n as u32)); // Python: Semaphore(n)
    let count = Arc::new(Headcount::default());
    let mut people = Vec::new();
    for (i, stay) in stays(p).into_iter().enumerate() {
        let (stalls, count) = (stalls.clone(), count.clone());
        people.push(spawn(format!("P{}", i + 1), move || {
            let stall = stalls.acquire(); // Python: `with sem:` waits at the door if all N are taken
            count.enter();
            sleep(stay);
            count.leave();
            drop(stall); // the stall is free: the longest waiter goes in
        }));
    }
    for person in people {
        person.join().unwrap();
    }
    count
}

/// No semaphore: nothing keeps anyone at the door.
pub fn unbounded(p: &Params) -> Arc<Headcount> {
    let count = Arc::new(Headcount::default());
    let mut people = Vec::new();
    for (i, stay) in stays(p).into_iter().enumerate() {
        let count = count.clone();
        people.push(spawn(format!("P{}", i + 1), move || {
            count.enter(); // straight in, however many are inside already
            sleep(stay);
            count.leave();
        }));
    }
    for person in people {
        person.join().unwrap();
    }
    count
}

/// How long each person stays, drawn up front: the same seed gives every variant the same people.
fn stays(p: &Params) -> Vec<Duration> {
    let (lo, hi) = (p.get("stay-min"), p.get("stay-max"));
    (0..p.int("people")).map(|_| random_secs(lo, hi)).collect()
}

/// Who is inside now, the most there ever were at once, and how many got in. Atomics: counting
/// must not make anyone wait.
#[derive(Default)]
pub struct Headcount {
    inside: AtomicUsize,
    most: AtomicUsize,
    served: AtomicUsize,
}

impl Headcount {
    fn enter(&self) {
        let now = self.inside.fetch_add(1, SeqCst) + 1;
        self.most.fetch_max(now, SeqCst);
        self.served.fetch_add(1, SeqCst);
    }

    fn leave(&self) {
        self.inside.fetch_sub(1, SeqCst);
    }

    /// The most people inside at once.
    pub fn most(&self) -> usize {
        self.most.load(SeqCst)
    }

    /// How many got in.
    pub fn served(&self) -> usize {
        self.served.load(SeqCst)
    }
}
