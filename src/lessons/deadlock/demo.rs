//! deadlock: every thread runs f1 then f2. f1 takes lock A then B; f2 takes B, naps, then A.
//! Two threads that take the same two locks in opposite orders can wait for each other forever.

use crate::engine::{JoinHandle, Mutex, ReentrantMutex, say, sleep, spawn};
use crate::params::Params;
use std::sync::Arc;
use std::time::Duration;

/// The nap in f2, while it holds B.
pub const NAP: Duration = Duration::from_secs(2);

/// Main starts a thread every tenth of a second, so T1 is already napping in f2 when T2 starts.
const START_GAP: Duration = Duration::from_millis(100);

/// f1: A, then B.
fn f1(a: &Mutex<()>, b: &Mutex<()>) {
    let got_a = a.lock();
    say("got A");
    let got_b = b.lock();
    say("got B");
    drop(got_b);
    drop(got_a);
}

/// f2: B, a nap, then A: the opposite order.
fn f2(a: &Mutex<()>, b: &Mutex<()>) {
    let got_b = b.lock();
    say("got B");
    sleep(NAP); // meanwhile the next thread takes A in its f1, and waits for our B
    let got_a = a.lock(); // ...and we wait for its A
    say("got A");
    drop(got_a);
    drop(got_b);
}

/// Two locks taken in opposite orders: T1 holds B and waits for A, T2 holds A and waits for B.
pub fn two_locks(p: &Params) {
    let a = Arc::new(Mutex::new("A", ()));
    let b = Arc::new(Mutex::new("B", ()));
    let mut threads = Vec::new();
    for i in 1..=p.int("threads") {
        let (a, b) = (a.clone(), b.clone());
        threads.push(spawn(format!("T{i}"), move || {
            f1(&a, &b);
            f2(&a, &b);
        }));
        sleep(START_GAP);
    }
    join_all(threads)
}

/// One thread takes a plain lock twice: the second `lock` waits for A to be free, and only
/// the thread that waits could free it.
pub fn self_deadlock(_p: &Params) {
    let a = Arc::new(Mutex::new("A", ()));
    let t1 = spawn("T1", move || {
        let first = a.lock();
        say("got A");
        let again = a.lock(); // a plain lock does not care who holds it: we wait for ourselves
        say("got A again"); // never printed
        drop(again);
        drop(first);
    });
    join_all(vec![t1])
}

/// f1 with one reentrant lock standing for both A and B.
fn f1_reentrant(lock: &ReentrantMutex<()>) {
    let got_a = lock.lock(); // count 1
    say("got A");
    let got_b = lock.lock(); // count 2: its owner may take it again
    say("got B");
    drop(got_b); // count 1
    drop(got_a); // count 0: free for the others
}

/// f2 with the same reentrant lock.
fn f2_reentrant(lock: &ReentrantMutex<()>) {
    let got_b = lock.lock();
    say("got B");
    sleep(NAP); // the others wait: the lock is ours until the count is back to 0
    let got_a = lock.lock();
    say("got A");
    drop(got_a);
    drop(got_b);
}

/// The tutorial's fix: A and B are one reentrant lock (Python: `mutexA = mutexB = RLock()`).
pub fn rlock(p: &Params) {
    let lock = Arc::new(ReentrantMutex::new("A=B", ()));
    let mut threads = Vec::new();
    for i in 1..=p.int("threads") {
        let lock = lock.clone();
        threads.push(spawn(format!("T{i}"), move || {
            f1_reentrant(&lock);
            f2_reentrant(&lock);
        }));
        sleep(START_GAP);
    }
    join_all(threads)
}

/// f2 taking A before B, like f1.
fn f2_ordered(a: &Mutex<()>, b: &Mutex<()>) {
    let got_a = a.lock();
    say("got A");
    let got_b = b.lock();
    say("got B");
    sleep(NAP); // still holding A: nobody else gets past f1's first line meanwhile
    drop(got_b);
    drop(got_a);
}

/// The general fix: every thread takes A before B, so no one can hold B and wait for A.
pub fn ordering(p: &Params) {
    let a = Arc::new(Mutex::new("A", ()));
    let b = Arc::new(Mutex::new("B", ()));
    let mut threads = Vec::new();
    for i in 1..=p.int("threads") {
        let (a, b) = (a.clone(), b.clone());
        threads.push(spawn(format!("T{i}"), move || {
            f1(&a, &b);
            f2_ordered(&a, &b);
        }));
        sleep(START_GAP);
    }
    join_all(threads)
}

/// Wait for every thread. Reached only when none of them is stuck.
fn join_all(threads: Vec<JoinHandle<()>>) {
    for t in threads {
        t.join().unwrap();
    }
}
