//! event-loop: fetch every page of a local site (a real server on 127.0.0.1, each page
//! `latency` away), five ways: one by one, a thread per page, a pool of threads, and tasks on
//! one thread's event loop, with and without one task that blocks it.

use crate::engine::aio;
use crate::engine::{FetchError, Page, PageServer, Queue, fetch, sleep, spawn, work};
use crate::params::Params;
use std::sync::Arc;

/// What a crawl ends with: pages got, their bytes, and how often the server said "too busy".
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Crawl {
    pub pages: usize,
    pub bytes: usize,
    pub refused: usize,
}

impl Crawl {
    fn add(&mut self, got: Got) {
        self.pages += 1;
        self.bytes += got.bytes;
        self.refused += got.refused;
    }
}

/// One page fetched and parsed.
#[derive(Clone, Copy)]
pub struct Got {
    bytes: usize,
    refused: usize,
}

/// The site: `pages` pages, each answered `latency` after its request, at most `limit` at once.
fn start_server(p: &Params) -> PageServer {
    let (pages, limit) = (p.int("pages") as usize, p.int("limit") as usize);
    PageServer::start("pages", pages, p.secs("latency"), limit)
}

/// Parsing a page is CPU work (Python: BeautifulSoup), however the page came.
fn parse(page: &Page, refused: usize, p: &Params) -> Got {
    work(p.secs("parse"));
    Got {
        bytes: page.body.len(),
        refused,
    }
}

/// Get a page, and when the server says it is too busy, wait and ask again
/// (Python: `requests.get(url)` in a retry loop).
fn get(url: &str, p: &Params) -> (Page, usize) {
    let mut refused = 0;
    loop {
        match fetch(url) {
            Ok(page) => return (page, refused),
            Err(FetchError::Refused) => {
                refused += 1;
                sleep(p.secs("retry"));
            }
            Err(e) => panic!("{url}: {e}"),
        }
    }
}

/// One page after the other: each waits for the one before.
pub fn one_by_one(p: &Params) -> Crawl {
    let server = start_server(p);
    let mut crawl = Crawl::default();
    for i in 0..server.pages() {
        let (page, refused) = get(&server.url(i), p);
        crawl.add(parse(&page, refused, p));
    }
    crawl
}

/// A thread for every page: all the waits overlap.
pub fn thread_per_page(p: &Params) -> Crawl {
    let server = start_server(p);
    let p = Arc::new(p.clone());
    let threads: Vec<_> = (0..server.pages())
        .map(|i| {
            let (url, p) = (server.url(i), p.clone());
            spawn(format!("T{i}"), move || {
                let (page, refused) = get(&url, &p);
                parse(&page, refused, &p)
            })
        })
        .collect();
    let mut crawl = Crawl::default();
    for t in threads {
        crawl.add(t.join().expect("a page"));
    }
    crawl
}

/// A pool of `workers` threads taking pages off a queue until it is empty.
pub fn pool(p: &Params) -> Crawl {
    let server = start_server(p);
    let todo = Arc::new(Queue::fifo("todo", 0));
    for i in 0..server.pages() {
        todo.put(i);
    }
    let p = Arc::new(p.clone());
    let workers: Vec<_> = (0..p.int("workers"))
        .map(|w| {
            let (todo, p) = (todo.clone(), p.clone());
            let urls: Vec<String> = (0..server.pages()).map(|i| server.url(i)).collect();
            spawn(format!("W{w}"), move || {
                let mut done = Vec::new();
                while let Ok(i) = todo.get_nowait() {
                    let (page, refused) = get(&urls[i], &p);
                    done.push(parse(&page, refused, &p));
                }
                done
            })
        })
        .collect();
    let mut crawl = Crawl::default();
    for w in workers {
        for got in w.join().expect("its pages") {
            crawl.add(got);
        }
    }
    crawl
}

/// Get a page without holding up the other tasks; when refused, wait (awaiting) and ask again
/// (Python: `await session.get(url)` with aiohttp, in a retry loop).
async fn get_async(url: &str, p: &Params) -> (Page, usize) {
    let mut refused = 0;
    loop {
        match aio::fetch(url).await {
            Ok(page) => return (page, refused),
            Err(FetchError::Refused) => {
                refused += 1;
                aio::sleep(p.secs("retry")).await;
            }
            Err(e) => panic!("{url}: {e}"),
        }
    }
}

/// A task per page on one thread's event loop: each awaits its page, and the loop runs the
/// others meanwhile (Python: `asyncio.gather`).
pub fn event_loop(p: &Params) -> Crawl {
    let server = start_server(p);
    let urls: Vec<String> = (0..server.pages()).map(|i| server.url(i)).collect();
    let p = p.clone();
    aio::run("crawl", async move {
        let tasks = urls
            .into_iter()
            .enumerate()
            .map(|(i, url)| {
                let p = p.clone();
                aio::spawn_task(&format!("T{i}"), async move {
                    let (page, refused) = get_async(&url, &p).await;
                    parse(&page, refused, &p)
                })
            })
            .collect();
        let mut crawl = Crawl::default();
        for got in aio::gather(tasks).await {
            crawl.add(got);
        }
        crawl
    })
}

/// The same tasks, but the first one fetches its page with a blocking call (Python:
/// `requests.get` inside a coroutine): the loop's thread waits in it, and so does every task.
pub fn blocking_call(p: &Params) -> Crawl {
    let server = start_server(p);
    let urls: Vec<String> = (0..server.pages()).map(|i| server.url(i)).collect();
    let p = p.clone();
    aio::run("crawl", async move {
        let tasks = urls
            .into_iter()
            .enumerate()
            .map(|(i, url)| {
                let p = p.clone();
                aio::spawn_task(&format!("T{i}"), async move {
                    let (page, refused) = if i == 0 {
                        get(&url, &p) // blocks the loop's thread
                    } else {
                        get_async(&url, &p).await
                    };
                    parse(&page, refused, &p)
                })
            })
            .collect();
        let mut crawl = Crawl::default();
        for got in aio::gather(tasks).await {
            crawl.add(got);
        }
        crawl
    })
}
