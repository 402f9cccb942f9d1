//! thread-local: each thread fetches its own page and keeps the page's url where a helper can
//! find it, with no argument passed and no lock taken.
//!
//! `local`: the url lives in a thread-local; every thread has a slot of its own, and the
//! helper reads the calling thread's. `shared-global`: the same helper reads one global that
//! every thread writes: while one thread waits for its page, the next overwrites the url.

use crate::engine::{Global, Local, current_name, say, secs, sleep, spawn};
use crate::params::Params;

/// Each thread's name, the url it was given, and the url the helper reported for it.
pub type Fetches = Vec<(String, String, String)>;

static LOCAL: Local<String> = Local::new("local"); // local = threading.local()
static URL: Global<String> = Global::new("url", String::new()); // url = ""

/// The helper: reads this thread's url from the thread-local.
fn process() -> String {
    let url = LOCAL.get().unwrap_or_default(); // local.url
    say(format!("{} fetched {url}", current_name()));
    url
}

/// The same helper over the shared global.
fn process_global() -> String {
    let url = URL.get();
    say(format!("{} fetched {url}", current_name()));
    url
}

/// Each thread keeps its url in the thread-local, fetches, and lets the helper report.
pub fn local(p: &Params) -> Fetches {
    let fetch = p.get("fetch");
    let handles: Vec<_> = (1..=p.int("threads"))
        .map(|i| {
            let url = format!("/page{i}");
            spawn(format!("T{i}"), move || {
                LOCAL.set(url.clone()); // local.url = url
                sleep(secs(fetch)); // the download
                (url, process())
            })
        })
        .collect();
    collect(handles)
}

/// The same, with one global for everybody's url.
pub fn shared_global(p: &Params) -> Fetches {
    let fetch = p.get("fetch");
    let handles: Vec<_> = (1..=p.int("threads"))
        .map(|i| {
            let url = format!("/page{i}");
            spawn(format!("T{i}"), move || {
                URL.set(url.clone()); // global url; url = ...
                sleep(secs(fetch));
                (url, process_global())
            })
        })
        .collect();
    collect(handles)
}

/// Wait for every thread: who was given which url, and what the helper read for it.
fn collect(handles: Vec<crate::engine::JoinHandle<(String, String)>>) -> Fetches {
    handles
        .into_iter()
        .filter_map(|h| {
            let name = h.name();
            h.join().ok().map(|(given, read)| (name, given, read))
        })
        .collect()
}
