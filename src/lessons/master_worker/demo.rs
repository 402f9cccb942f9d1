//! master-worker: a master serves a task queue and a result queue on a loopback socket;
//! worker processes connect with the authkey, take numbers and put back their squares.
//!
//! Python: `multiprocessing.managers.BaseManager(address=('127.0.0.1', 0), authkey=…)` with
//! a queue registered for each name; a worker connects to the same address with the same key.

use crate::engine::{
    Address, Authkey, QueueManager, QueueServer, random_range, say, secs, sleep, spawn_process,
};
use crate::params::Params;
use std::collections::BTreeMap;

/// A task: its number in the list, and the number to square.
type Task = (usize, u64);

/// A worker: connect, then take tasks until a `None`, putting back each square.
pub fn worker((address, authkey, work): (Address, Authkey, f64)) {
    let m = match QueueManager::connect(&address, &authkey) {
        Ok(m) => m, // it answered the server's challenge with the authkey
        Err(e) => {
            say(format!("refused: {e}"));
            return;
        }
    };
    let (tasks, results) = (m.queue::<Option<Task>>("tasks"), m.queue("results"));
    while let Some((i, n)) = tasks.get() {
        sleep(secs(work)); // the work
        results.put((i, n, n * n));
    }
}

/// The tutorial: two workers square ten numbers.
pub fn squares(p: &Params) -> BTreeMap<usize, u64> {
    master(p, Twist::None)
}

/// An impostor with a guessed authkey is refused; the real workers do the job.
pub fn wrong_token(p: &Params) -> BTreeMap<usize, u64> {
    master(p, Twist::Impostor)
}

/// worker-1 is terminated holding a task: the master notices no answer comes and puts it back.
pub fn worker_killed(p: &Params) -> BTreeMap<usize, u64> {
    master(p, Twist::KillOne)
}

#[derive(PartialEq)]
pub enum Twist {
    None,
    Impostor,
    KillOne,
}

pub fn master(p: &Params, twist: Twist) -> BTreeMap<usize, u64> {
    let (count, workers, work) = (p.int("tasks") as usize, p.int("workers"), p.get("work"));
    let authkey = Authkey::generate(); // nobody can guess it
    let manager = QueueServer::serve("manager", &authkey, &["tasks", "results"]); // 127.0.0.1, a free port
    let (tasks, results) = (manager.queue("tasks"), manager.queue::<(usize, u64, u64)>("results"));
    let address = manager.address();
    say(format!("serving on {address:?}"));

    let mut started = Vec::new();
    for i in 1..=workers {
        let to = (address.clone(), authkey.clone(), work);
        started.push(spawn_process(format!("worker-{i}"), worker, to));
    }
    if twist == Twist::Impostor {
        let guessed = (address.clone(), Authkey::from_text("abc"), work);
        started.push(spawn_process("impostor", worker, guessed));
    }

    let numbers: Vec<u64> = (0..count).map(|_| random_range(0..=10_000)).collect();
    for (i, &n) in numbers.iter().enumerate() {
        tasks.put(Some((i, n)));
    }

    let mut kill_one = twist == Twist::KillOne;
    let mut squares = BTreeMap::new();
    while squares.len() < count {
        match results.get_timeout(secs(3.0 * work)) {
            Some((i, n, square)) => {
                squares.insert(i, square);
                say(format!("{n} * {n} = {square}"));
            }
            // No answer for a while: put back every task without one.
            None => {
                for (i, &n) in numbers.iter().enumerate() {
                    if !squares.contains_key(&i) {
                        say(format!("no square of {n} yet: put it back"));
                        tasks.put(Some((i, n)));
                    }
                }
            }
        }
        if kill_one {
            // After the first square, every worker is busy with a task.
            kill_one = false;
            sleep(secs(work / 2.0));
            started[0].terminate();
            say("worker-1 terminated mid-task");
        }
    }
    for _ in &started {
        tasks.put(None);
    }
    for p in &started {
        p.join();
    }
    manager.shutdown();
    say(format!("collected {} squares", squares.len()));
    squares
}
