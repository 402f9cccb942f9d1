//! The OS threads demo threads run on. Each demo thread gets an OS thread of its own, as
//! `std::thread::spawn` would give; a thread whose demo thread has finished waits a while for
//! the next one instead of exiting. A run is scaled down in time but creating an OS thread is
//! not: reusing them keeps a hundred spawns from weighing on a run of a few milliseconds.

use crossbeam_channel::{Receiver, Sender, bounded};
use parking_lot::Mutex;
use std::time::Duration;

type Job = Box<dyn FnOnce() + Send + 'static>;

/// How long a finished thread waits for another demo thread before it exits.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// Demo threads run small closures: a small stack keeps creating them quick.
const STACK: usize = 128 * 1024;

struct Idle {
    next_id: u64,
    /// Waiting threads, each with the sender that hands it its next job.
    waiting: Vec<(u64, Sender<Job>)>,
}

static IDLE: Mutex<Idle> = Mutex::new(Idle {
    next_id: 0,
    waiting: Vec::new(),
});

/// Run `job` on an OS thread of its own: a waiting one, or a new one.
pub(crate) fn run(job: Job) {
    let idle = IDLE.lock().waiting.pop();
    let job = match idle {
        Some((_, tx)) => match tx.send(job) {
            Ok(()) => return,
            Err(e) => e.into_inner(), // that thread has gone: start another
        },
        None => job,
    };
    std::thread::Builder::new()
        .name("lockstep demo".into())
        .stack_size(STACK)
        .spawn(move || serve(job))
        .expect("the OS could not start another thread");
}

fn serve(first: Job) {
    precise_timers();
    let (tx, rx): (Sender<Job>, Receiver<Job>) = bounded(1);
    let mut job = first;
    loop {
        job();
        let id = {
            let mut idle = IDLE.lock();
            let id = idle.next_id;
            idle.next_id += 1;
            idle.waiting.push((id, tx.clone()));
            id
        };
        job = match rx.recv_timeout(IDLE_TIMEOUT) {
            Ok(j) => j,
            Err(_) => {
                let mut idle = IDLE.lock();
                match idle.waiting.iter().position(|(i, _)| *i == id) {
                    Some(at) => {
                        idle.waiting.swap_remove(at);
                        return;
                    }
                    // Someone took us just as we timed out: their job is on its way.
                    None => {
                        drop(idle);
                        match rx.recv() {
                            Ok(j) => j,
                            Err(_) => return,
                        }
                    }
                }
            }
        };
    }
}

/// Ask Linux to wake this thread's timed waits on time: by default it may add up to 50 µs,
/// which a hundred back-to-back critical sections of a scaled-down run would add up.
fn precise_timers() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_TIMERSLACK takes a plain integer and only affects the calling thread.
    unsafe {
        libc::prctl(libc::PR_SET_TIMERSLACK, 1 as libc::c_ulong);
    }
}
