//! tickets: a JSON file holds the tickets left, `{"count": 1}`. Every buyer reads it and shows
//! the count; then buys: reads it again, waits for the network, and if a ticket is left takes
//! one, waits for the write to go through, and writes the file back.
//!
//! Without a lock, every buyer who reads before the first write sees the last ticket, and
//! buys it. With a lock around read-check-write, one buyer at a time: exactly as many succeed
//! as there were tickets. The same buyers run as threads and as processes; processes share
//! no lock of Python's `threading`, so they lock a file, as `fcntl.flock` does.

use crate::engine::{
    DataFile, FileLock, Mutex, Process, say, secs, sleep, spawn, spawn_process,
};
use crate::params::Params;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// What the file holds.
#[derive(Serialize, Deserialize)]
pub struct Tickets {
    count: i64,
}

/// How long the network takes to answer a read, and to take a write.
#[derive(Clone, Copy, Serialize, Deserialize)]
pub struct Network {
    read: f64,
    write: f64,
}

/// Look at the tickets left (Python: `search()`).
pub fn search(db: &DataFile) {
    let t: Tickets = db.load(); // json.load(open("tickets.json"))
    say(format!("sees {} left", t.count));
}

/// Read, wait, and if a ticket is left, take it and write the file back (Python: `get()`).
pub fn buy(db: &DataFile, net: Network) {
    let mut t: Tickets = db.load();
    sleep(secs(net.read)); // the network
    if t.count > 0 {
        t.count -= 1;
        sleep(secs(net.write)); // the write goes through the network too
        db.dump(&t); // json.dump(t, open("tickets.json", "w"))
        say("bought");
    } else {
        say("sold out");
    }
}

/// A buyer with no lock: look, then buy.
pub fn buyer((db, net): (DataFile, Network)) {
    search(&db);
    buy(&db, net);
}

/// A buyer that holds the file lock around read-check-write.
pub fn locked_buyer((db, lock, net): (DataFile, FileLock, Network)) {
    search(&db);
    let _held = lock.lock(); // fcntl.flock(f, fcntl.LOCK_EX)
    buy(&db, net);
} // the lock is let go here

/// The file with the tickets, and the network's delays, as the parameters say.
fn setup(p: &Params) -> (DataFile, Network) {
    let db = DataFile::create("tickets.json", &format!("{{\"count\": {}}}", p.int("tickets")));
    let net = Network {
        read: p.get("network"),
        write: p.get("write"),
    };
    (db, net)
}

/// The tickets put on sale, and what the file says once every buyer is done.
fn left(p: &Params, db: &DataFile) -> (u64, i64) {
    let t: Tickets = db.load();
    say(format!("{} left", t.count));
    (p.int("tickets"), t.count)
}

/// Every buyer a thread, none waiting for another.
pub fn threads_no_lock(p: &Params) -> (u64, i64) {
    let (db, net) = setup(p);
    let buyers: Vec<_> = (1..=p.int("buyers"))
        .map(|i| {
            let db = db.clone();
            spawn(format!("T{i}"), move || buyer((db, net)))
        })
        .collect();
    for b in buyers {
        let _ = b.join();
    }
    left(p, &db)
}

/// Threads with a lock around read-check-write (Python: `with lock: get()`).
pub fn threads_lock(p: &Params) -> (u64, i64) {
    let (db, net) = setup(p);
    let lock = Arc::new(Mutex::new("lock", ()));
    let buyers: Vec<_> = (1..=p.int("buyers"))
        .map(|i| {
            let (db, lock) = (db.clone(), lock.clone());
            spawn(format!("T{i}"), move || {
                search(&db);
                let _held = lock.lock();
                buy(&db, net);
            })
        })
        .collect();
    for b in buyers {
        let _ = b.join();
    }
    left(p, &db)
}

/// Every buyer a process of its own, reading and writing the same file.
pub fn processes_no_lock(p: &Params) -> (u64, i64) {
    let (db, net) = setup(p);
    let buyers: Vec<Process> = (1..=p.int("buyers"))
        .map(|i| spawn_process(format!("P{i}"), buyer, (db.clone(), net)))
        .collect();
    for b in &buyers {
        b.join();
    }
    left(p, &db)
}

/// Processes that lock a file beside the tickets around read-check-write.
pub fn processes_lock(p: &Params) -> (u64, i64) {
    let (db, net) = setup(p);
    let lock = FileLock::new("tickets.lock", &db.path().with_extension("lock"));
    let buyers: Vec<Process> = (1..=p.int("buyers"))
        .map(|i| spawn_process(format!("P{i}"), locked_buyer, (db.clone(), lock.clone(), net)))
        .collect();
    for b in &buyers {
        b.join();
    }
    left(p, &db)
}
