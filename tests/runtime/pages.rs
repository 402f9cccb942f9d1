//! The local page server: real HTTP over loopback live, a model of the same server on the
//! virtual clock; the same pages, latency and refusals either way; never left listening.

use lockstep::engine::pages::page_html;
use lockstep::engine::trace::Trace;
use lockstep::engine::{
    Config, Event, FetchError, Mode, PageServer, Run, fetch, secs, sleep, spawn,
};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicU16, Ordering};

fn virt(seed: u64) -> Config {
    Config {
        mode: Mode::Virtual,
        scale: 1.0,
        seed,
    }
}

fn live(scale: f64) -> Config {
    Config {
        mode: Mode::Live,
        scale,
        seed: 1,
    }
}

fn log(events: &[Event]) -> Vec<String> {
    lockstep::schedule::log_lines(events, lockstep::words::Lang::En)
}

/// `threads` threads each fetch one page of a server taking `limit` at once: how many got
/// their page, and how many were refused.
fn burst(threads: usize, limit: usize) -> (usize, usize) {
    let server = PageServer::start("pages", threads, secs(1.0), limit);
    let handles: Vec<_> = (0..threads)
        .map(|i| {
            let url = server.url(i);
            spawn(format!("T{i}"), move || fetch(&url))
        })
        .collect();
    let got: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let ok = got.iter().filter(|r| r.is_ok()).count();
    let refused = got
        .iter()
        .filter(|r| **r == Err(FetchError::Refused))
        .count();
    (ok, refused)
}

/// Past its limit the server refuses at once; the ones it takes are answered a latency later,
/// together: one second for all, with five refused, whatever the seed.
#[test]
fn past_its_limit_the_server_refuses() {
    for seed in 0..20 {
        let (r, events) = Run::run_to_end(virt(seed), || burst(8, 3));
        assert_eq!(r.outcome, Some((3, 5)), "{:#?}", log(&events));
        assert_eq!(r.elapsed_ns, 1_000_000_000);
        let lines = log(&events);
        let refusals = lines
            .iter()
            .filter(|l| l.contains("pages refuses") && l.ends_with(": too busy"))
            .count();
        assert_eq!(refusals, 5, "{lines:#?}");
        let mut t = Trace::default();
        for e in &events {
            t.apply(e);
        }
        let server = t.resources.iter().find(|r| r.name == "pages").unwrap();
        assert_eq!((server.takes, server.refusals, server.peak), (3, 5, 3));
    }
}

/// The page a fetch gives is the site's page, with its links as URLs of the same server.
#[test]
fn a_fetch_gives_the_page_and_its_links() {
    let (r, _) = Run::run_to_end(virt(1), || {
        let server = PageServer::start("pages", 20, secs(0.5), 4);
        let page = fetch(&server.url(3)).unwrap();
        let missing = fetch(&server.url(99));
        (page, server.url(4), missing)
    });
    let (page, url4, missing) = r.outcome.clone().unwrap();
    assert_eq!(page.body, page_html(3, 20));
    assert_eq!(page.path, "/page/3");
    assert_eq!(page.links[0], url4);
    assert_eq!(page.links.len(), 3);
    assert_eq!(missing, Err(FetchError::NotFound));
    assert_eq!(
        r.elapsed_ns, 1_000_000_000,
        "a missing page takes a latency too"
    );
}

/// A request the server refused and tried again later gets in once the server has room:
/// threads that back off and retry all get their page, later.
#[test]
fn retrying_after_a_refusal_gets_the_page_later() {
    let (r, events) = Run::run_to_end(virt(3), || {
        let server = PageServer::start("pages", 6, secs(1.0), 2);
        let handles: Vec<_> = (0..6)
            .map(|i| {
                let url = server.url(i);
                spawn(format!("T{i}"), move || {
                    let mut tries = 1;
                    while fetch(&url).is_err() {
                        sleep(secs(1.0));
                        tries += 1;
                    }
                    tries
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum::<u32>()
    });
    assert_eq!(
        r.outcome,
        Some(1 + 1 + 2 + 2 + 3 + 3),
        "{:#?}",
        log(&events)
    );
    assert_eq!(r.elapsed_ns, 3_000_000_000);
}

/// A URL of no server of the run is an error, not a hang.
#[test]
fn a_url_of_no_server_is_an_error() {
    let (r, _) = Run::run_to_end(virt(1), || {
        let _server = PageServer::start("pages", 5, secs(0.1), 2);
        (fetch("http://127.0.0.1:1/page/0"), fetch("ftp://x"))
    });
    let (a, b) = r.outcome.unwrap();
    assert!(matches!(a, Err(FetchError::Unreachable(_))), "{a:?}");
    assert!(matches!(b, Err(FetchError::Unreachable(_))), "{b:?}");
}

/// Live, the pages come over a real socket from a real server, the same pages as the model's;
/// once the run is over nothing listens on its port.
#[test]
fn live_pages_come_over_loopback_and_the_port_closes() {
    let port = Arc::new(AtomicU16::new(0));
    let p = port.clone();
    let (r, events) = Run::run_to_end(live(0.01), move || {
        let server = PageServer::start("pages", 10, secs(1.0), 4);
        p.store(server.port(), Ordering::SeqCst);
        let a = TcpStream::connect(("127.0.0.1", server.port())).is_ok();
        let page = fetch(&server.url(7)).unwrap();
        (a, page)
    });
    let (listening, page) = r.outcome.unwrap();
    assert!(listening, "the server listened during the run");
    assert_eq!(page.body, page_html(7, 10));
    let port = port.load(Ordering::SeqCst);
    assert_ne!(port, 0);
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "nothing listens on {port} after the run"
    );
    let lines = log(&events);
    assert!(
        lines
            .iter()
            .any(|l| l.ends_with("T0 gets /page/7 (") || l.contains("gets /page/7 (")),
        "{lines:#?}"
    );
}

/// Live, the real server refuses what comes past its limit (HTTP 503): five requests at once
/// to a server taking two.
#[test]
fn live_the_real_server_refuses_past_its_limit() {
    let (r, events) = Run::run_to_end(live(0.5), || burst(5, 2));
    assert_eq!(r.outcome, Some((2, 3)), "{:#?}", log(&events));
}

/// Cancelling a live run whose threads wait for slow pages ends it at once, and closes the
/// server's port.
#[test]
fn cancelling_a_live_run_stops_the_server() {
    let port = Arc::new(AtomicU16::new(0));
    let p = port.clone();
    let run = Run::start(live(1.0), move || {
        let server = PageServer::start("pages", 4, secs(60.0), 4);
        p.store(server.port(), Ordering::SeqCst);
        let handles: Vec<_> = (0..3)
            .map(|i| {
                let url = server.url(i);
                spawn(format!("T{i}"), move || fetch(&url).is_ok())
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
    });
    while port.load(Ordering::SeqCst) == 0 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    std::thread::sleep(std::time::Duration::from_millis(100));
    let start = std::time::Instant::now();
    run.cancel();
    let report = run
        .wait_timeout(std::time::Duration::from_secs(5))
        .expect("the run ends");
    assert!(report.cancelled);
    assert!(start.elapsed() < std::time::Duration::from_secs(2));
    let port = port.load(Ordering::SeqCst);
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "nothing listens on {port} after the cancel"
    );
}
