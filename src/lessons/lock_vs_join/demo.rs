//! lock-vs-join: threads each take one off a shared counter `n`.
//! Each reads n, pauses for the critical section C, then writes back what it read minus one.
//! As in the Python it retells, `n` and the lock are two things: the same read-modify-write
//! runs with and without the lock around it.

use crate::engine::{Mutex, Shared, sleep, spawn};
use crate::params::Params;
use std::sync::Arc;

/// No lock: every thread reads n before anyone writes, so the writes erase each other.
pub fn no_lock(p: &Params) -> i64 {
    let n = Arc::new(Shared::new("n", p.int("threads") as i64));
    let critical = p.secs("critical");

    let mut threads = Vec::new();
    for i in 1..=p.int("threads") {
        let n = n.clone();
        threads.push(spawn(format!("T{i}"), move || {
            let tmp = n.get(); // read
            sleep(critical); // the others read the same value meanwhile
            n.set(tmp - 1); // write: erases every write made since our read
        }));
    }
    for t in threads {
        t.join().unwrap();
    }
    n.get() // Python: print(n)
}

/// A lock around the read-pause-write: the independent work still runs in parallel.
pub fn lock(p: &Params) -> i64 {
    let n = Arc::new(Shared::new("n", p.int("threads") as i64));
    let lock = Arc::new(Mutex::new("lock", ()));
    let (work, critical) = (p.secs("work"), p.secs("critical"));

    let mut threads = Vec::new();
    for i in 1..=p.int("threads") {
        let (n, lock) = (n.clone(), lock.clone());
        threads.push(spawn(format!("T{i}"), move || {
            sleep(work); // independent work: all threads at once
            let guard = lock.lock(); // one thread at a time from here...
            let tmp = n.get();
            sleep(critical);
            n.set(tmp - 1);
            drop(guard); // ...to here
        }));
    }
    for t in threads {
        t.join().unwrap();
    }
    n.get() // Python: print(n)
}

/// No lock, but each thread is joined before the next starts: correct, and fully serial.
pub fn join(p: &Params) -> i64 {
    let n = Arc::new(Shared::new("n", p.int("threads") as i64));
    let (work, critical) = (p.secs("work"), p.secs("critical"));

    for i in 1..=p.int("threads") {
        let n = n.clone();
        let t = spawn(format!("T{i}"), move || {
            sleep(work);
            let tmp = n.get();
            sleep(critical);
            n.set(tmp - 1);
        });
        t.join().unwrap(); // wait for this one before starting the next
    }
    n.get() // Python: print(n)
}
