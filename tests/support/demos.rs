//! Small demos the runtime tests share.

use lockstep::engine::{Mutex, Outcome, secs, sleep, spawn};
use std::sync::Arc;

/// Two threads take two locks in opposite orders, each napping between: a deadlock.
pub fn crossed_locks() -> Outcome {
    let a = Arc::new(Mutex::new("A", ()));
    let b = Arc::new(Mutex::new("B", ()));
    let (a2, b2) = (a.clone(), b.clone());
    let t1 = spawn("T1", move || {
        let _ga = a2.lock();
        sleep(secs(1.0));
        let _gb = b2.lock();
    });
    let t2 = spawn("T2", move || {
        let _gb = b.lock();
        sleep(secs(1.0));
        let _ga = a.lock();
    });
    t1.join().unwrap();
    t2.join().unwrap();
    Outcome::new()
}

/// main holds L and joins T1, which waits for L: a cycle through a join.
pub fn join_while_holding() -> Outcome {
    let l = Arc::new(Mutex::new("L", ()));
    let _g = l.lock();
    let l1 = l.clone();
    let t1 = spawn("T1", move || {
        let _g = l1.lock();
    });
    sleep(secs(0.1));
    t1.join().unwrap();
    Outcome::new()
}
