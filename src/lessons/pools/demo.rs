//! pools: a pool of `workers` threads and `tasks` tasks of one second each. Submitting with
//! `apply` waits for each task in turn; `apply_async` hands them all out, then collects; `map`
//! does the same for a list and keeps its order; callbacks get each value as it is in; a
//! shared flag stops the rest once one task has the answer; and a process pool takes on a
//! CPU-bound job beside a thread pool.

use crate::engine::pages::{self, FetchError, PageServer};
use crate::engine::{Flag, Mutex, Pool, ThreadPool, current_name, now, say, secs, sleep, work};
use crate::params::Params;
use std::sync::Arc;

/// A task: one second of waiting (a download, say), then x squared.
pub fn slow_square(x: u64) -> u64 {
    sleep(secs(1.0));
    say(format!("square({x}) done"));
    x * x
}

/// `apply` submits one task and waits for its value before the next: one worker at a time.
pub fn apply(p: &Params) -> Vec<u64> {
    let pool = ThreadPool::new(p.int("workers") as usize); // ThreadPool(3)
    let mut results = Vec::new();
    for x in 0..p.int("tasks") {
        results.push(pool.apply(slow_square, x)); // waits here, every time
    }
    pool.close();
    pool.join();
    results
}

/// `apply_async` submits and carries on: every worker gets a task at once; then `get` each.
pub fn apply_async(p: &Params) -> Vec<u64> {
    let pool = ThreadPool::new(p.int("workers") as usize);
    let handles: Vec<_> = (0..p.int("tasks"))
        .map(|x| pool.apply_async(slow_square, x)) // returns at once
        .collect();
    let results = handles.iter().map(|h| h.get()).collect(); // waits for each value
    pool.close();
    pool.join();
    results
}

/// `map`: a task per item, and it waits for them all; the values come in the items' order,
/// whichever task finished first.
pub fn map(p: &Params) -> Vec<u64> {
    let pool = ThreadPool::new(p.int("workers") as usize);
    let results = pool.map(slow_square, 0..p.int("tasks"));
    pool.close();
    pool.join();
    results
}

/// `map_async` gives a handle at once: main can do something else, then ask.
pub fn map_async(p: &Params) -> Handled {
    let pool = ThreadPool::new(p.int("workers") as usize);
    let handle = pool.map_async(slow_square, 0..p.int("tasks"));
    let ready_at_once = handle.ready(); // False: the tasks have just begun
    say(format!("ready: {ready_at_once}"));
    let results = handle.get(); // now wait for the whole list
    say(format!("successful: {}", handle.successful()));
    pool.close();
    pool.join();
    Handled {
        ready_at_once,
        results,
    }
}

/// What map_async's handle said at once, and the list it gave.
pub struct Handled {
    pub ready_at_once: bool,
    pub results: Vec<u64>,
}

/// Fetch a page: a second on the network.
pub fn fetch(page: u64) -> String {
    sleep(secs(1.0));
    format!("<html>page {page}</html>")
}

/// Parse a fetched page: the callback, run on the pool's result thread.
pub fn parse(html: String) {
    let title = html.trim_start_matches("<html>").trim_end_matches("</html>");
    say(format!("parsed {title} on {}", current_name()));
}

/// Callbacks: each page is parsed as soon as it is fetched, while the others are fetched.
pub fn callbacks(p: &Params) -> usize {
    let pool = ThreadPool::new(p.int("workers") as usize);
    let pages = p.int("tasks");
    for page in 0..pages {
        pool.apply_async_with(fetch, page, parse); // apply_async(fetch, (page,), callback=parse)
    }
    pool.close();
    pool.join(); // the workers, then the result thread with the last callback
    pages as usize
}

/// Try the ten passwords of `chunk` until one matches, giving up as soon as someone else has
/// found it.
fn crack(chunk: u64, secret: u64, found: &Flag, tried: &Mutex<u64>, password: &Mutex<Option<u64>>) {
    for guess in chunk * 10..chunk * 10 + 10 {
        if found.is_set() {
            return; // another worker has it: stop early
        }
        work(secs(0.1)); // hash the guess
        *tried.lock() += 1;
        if guess == secret {
            *password.lock() = Some(guess);
            found.set(); // tell the others
            return;
        }
    }
}

/// The password cracker: each task tries a chunk of ten guesses. When one finds it, it sets
/// the shared flag; main, waiting on it, terminates the pool (the chunks still queued are
/// dropped) and the running ones stop at their next check. If nobody finds it, the callback
/// of the whole map sets the flag once the last chunk is done.
pub fn early_stop(p: &Params) -> Cracked {
    let secret = p.int("secret");
    let found = Arc::new(Flag::new("found"));
    let tried = Arc::new(Mutex::new("tried", 0));
    let password = Arc::new(Mutex::new("password", None));
    let pool = ThreadPool::new(p.int("workers") as usize);
    let (f, t, pw) = (found.clone(), tried.clone(), password.clone());
    let all_tried = found.clone();
    pool.map_async_with(
        move |chunk| crack(chunk, secret, &f, &t, &pw),
        0..p.int("tasks"),
        move |_| all_tried.set(), // nobody found it
    );
    found.wait(); // until a task has it
    pool.terminate(); // drop the chunks nobody has started
    pool.join();
    let (password, tried) = (*password.lock(), *tried.lock());
    match password {
        Some(pw) => say(format!("password {pw}, {tried} guesses")),
        None => say(format!("not found in {tried} guesses")),
    }
    Cracked {
        password,
        tried,
        space: p.int("tasks") * 10,
    }
}

/// What the cracker found, and how many guesses it took everyone together.
pub struct Cracked {
    pub password: Option<u64>,
    pub tried: u64,
    /// How many guesses there were to try.
    pub space: u64,
}

/// CPU-bound: count the primes in `from..to` by trial division (a second of computing).
pub fn count_primes((from, to): (u64, u64)) -> u64 {
    work(secs(1.0));
    (from..to)
        .filter(|&n| n >= 2 && (2..).take_while(|d| d * d <= n).all(|d| n % d != 0))
        .count() as u64
}

/// The same CPU-bound job on a thread pool, then on a process pool of as many workers:
/// processes have to start first, and every task and value is copied between them.
pub fn process_pool(p: &Params) -> Raced {
    let ranges: Vec<(u64, u64)> = (0..p.int("tasks"))
        .map(|i| (i * 10_000, (i + 1) * 10_000))
        .collect();

    let start = now();
    let threads = ThreadPool::new(p.int("workers") as usize);
    let by_threads: u64 = threads.map(count_primes, ranges.clone()).iter().sum();
    threads.close();
    threads.join();
    let threads_s = (now() - start).as_secs_f64();

    let start = now();
    let processes = Pool::new(p.int("workers") as usize); // multiprocessing.Pool(3)
    let by_processes: u64 = processes.map(count_primes, ranges).iter().sum();
    processes.close();
    processes.join();
    let processes_s = (now() - start).as_secs_f64();

    say(format!("threads: {by_threads} primes in {threads_s:.2} s"));
    say(format!("processes: {by_processes} primes in {processes_s:.2} s"));
    Raced {
        by_threads,
        by_processes,
        threads_s,
        processes_s,
    }
}

/// The prime counts each pool found, and how long each took (lesson seconds).
pub struct Raced {
    pub by_threads: u64,
    pub by_processes: u64,
    pub threads_s: f64,
    pub processes_s: f64,
}

/// The site the crawler crawls: 100 pages on a local server, each answered 0.2 s after its
/// request; past 15 requests at once the server refuses (HTTP 503: "you are crawling too
/// fast").
pub const PAGES: usize = 100;
pub const LATENCY: f64 = 0.2;
pub const LIMIT: usize = 15;

/// Get a page politely: when the server refuses, wait and try again, twice as long each time
/// (1 s, 2 s, 4 s, then 8 s at most). Gives the page's size and how often it was refused.
pub fn get_page(url: String) -> (usize, u64) {
    let (mut wait, mut refused) = (1.0, 0);
    loop {
        match pages::fetch(&url) {
            Ok(page) => return (page.body.len(), refused),
            Err(FetchError::Refused) => {
                refused += 1;
                sleep(secs(wait)); // back off
                wait = (wait * 2.0f64).min(8.0);
            }
            Err(e) => panic!("{url}: {e}"),
        }
    }
}

/// The crawler: a pool of `workers` threads gets every page of the site. Too few workers and
/// the pages wait their turn; too many and the server refuses, and the refused wait.
pub fn crawler(p: &Params) -> Crawled {
    let workers = p.int("workers") as usize;
    let server = PageServer::start("site", PAGES, secs(LATENCY), LIMIT);
    let urls: Vec<String> = (0..PAGES).map(|i| server.url(i)).collect();
    let start = now();
    let pool = ThreadPool::new(workers);
    let got = pool.map(get_page, urls);
    pool.close();
    pool.join();
    let seconds = (now() - start).as_secs_f64();
    let refused = got.iter().map(|(_, r)| r).sum();
    say(format!("{} pages, {workers} workers: {seconds:.1} s, refused {refused}×", got.len()));
    Crawled {
        pages: got.len(),
        bytes: got.iter().map(|(b, _)| b).sum(),
        refused,
    }
}

/// What the crawler got: pages, their bytes, and the refusals on the way.
pub struct Crawled {
    pub pages: usize,
    pub bytes: usize,
    pub refused: u64,
}
