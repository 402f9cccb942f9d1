//! The OS threads demo threads run on. Each demo thread gets an OS thread of its own, as
//! `std::thread::spawn` would give; a thread whose demo thread has finished waits a while for
//! the next one instead of exiting. A run is scaled down in time but creating an OS thread is
//! not: reusing them keeps a hundred spawns from weighing on a run of a few milliseconds.

use crossbeam_channel::{Receiver, Sender, bounded};
use parking_lot::Mutex;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
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

/// OS threads of ours alive now, busy or waiting.
static STARTED: AtomicUsize = AtomicUsize::new(0);

/// The most OS threads lockstep starts, from `LOCKSTEP_MAX_OS_THREADS`: a stand-in for the
/// limit a `ulimit -u` or a container sets, so what happens when the system refuses a thread
/// can be tried anywhere.
fn limit() -> Option<usize> {
    static LIMIT: OnceLock<Option<usize>> = OnceLock::new();
    *LIMIT.get_or_init(|| {
        std::env::var("LOCKSTEP_MAX_OS_THREADS")
            .ok()
            .and_then(|v| v.parse().ok())
    })
}

/// Run `job` on an OS thread of its own: a waiting one, or a new one. When the system refuses
/// a new one, the job is handed back with why.
pub(crate) fn run(job: Job) -> Result<(), (Job, std::io::Error)> {
    let idle = IDLE.lock().waiting.pop();
    let job = match idle {
        Some((_, tx)) => match tx.send(job) {
            Ok(()) => return Ok(()),
            Err(e) => e.into_inner(), // that thread has gone: start another
        },
        None => job,
    };
    if limit().is_some_and(|max| STARTED.load(Ordering::Acquire) >= max) {
        let e = std::io::Error::new(
            std::io::ErrorKind::WouldBlock,
            "Resource temporarily unavailable (LOCKSTEP_MAX_OS_THREADS)",
        );
        return Err((job, e));
    }
    STARTED.fetch_add(1, Ordering::AcqRel);
    // The job goes in a slot the new thread takes it from, so it comes back if the thread
    // cannot be started.
    let slot = std::sync::Arc::new(Mutex::new(Some(job)));
    let theirs = slot.clone();
    let started = std::thread::Builder::new()
        .name("lockstep demo".into())
        .stack_size(STACK)
        .spawn(move || {
            if let Some(job) = theirs.lock().take() {
                serve(job);
            }
            STARTED.fetch_sub(1, Ordering::AcqRel);
        });
    match started {
        Ok(_) => Ok(()),
        Err(e) => {
            STARTED.fetch_sub(1, Ordering::AcqRel);
            let job = slot.lock().take().expect("the thread never ran");
            Err((job, e))
        }
    }
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
