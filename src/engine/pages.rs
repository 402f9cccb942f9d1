//! A local page server to crawl: a small site of linked pages on 127.0.0.1, each answer
//! arriving `latency` after the request, and past `limit` requests at once a refusal (HTTP
//! 503, the "you are crawling too fast" of a real site). Demo code reads like `requests`:
//!
//! ```ignore
//! let server = PageServer::start("pages", 50, secs(0.2), 10);
//! let page = fetch(&server.url(7))?; // blocks about 0.2 s
//! ```
//!
//! Live, the server is real: a listening socket on a free port, a thread per connection, and
//! `fetch` is a real HTTP request over loopback. On the virtual clock (step and virtual
//! modes) `fetch` meets a model of the same server: the same latency, the same limit, the same
//! pages, the same refusals. The run owns the server: dropping the handle (the demo's end, a
//! cancel unwinding through it) closes the socket and ends its threads.
//!
//! **Why std sockets**: the server answers one `GET` with one page and closes, which takes a
//! few dozen lines; an HTTP crate (hyper, tiny_http) would bring its own threads or runtime
//! that the run could not see, cancel or count, and the lesson is about what the waiting costs.

use super::event::{BlockedOn, Op, ResourceKind, Rid, Site, ThreadState, What};
use super::sched::{self, Core, ResState, World};
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::panic::Location;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The first port a server's URL names on the virtual clock (no socket there: any number).
const VIRTUAL_PORT: u16 = 8000;

/// How often a live wait (an accept, a read) looks at whether it should stop.
const POLL: Duration = Duration::from_millis(20);

/// A page of the site: its path, its HTML, and the links on it, as full URLs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    pub path: String,
    pub body: String,
    pub links: Vec<String>,
}

/// Why a fetch gave no page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchError {
    /// The server had `limit` requests already (HTTP 503): try again later.
    Refused,
    /// No such page (HTTP 404).
    NotFound,
    /// Not a URL of a page server of this run, or the connection failed: what went wrong.
    Unreachable(String),
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::Refused => f.write_str("refused: the server is too busy"),
            FetchError::NotFound => f.write_str("no such page"),
            FetchError::Unreachable(why) => write!(f, "unreachable: {why}"),
        }
    }
}

impl std::error::Error for FetchError {}

/// The site's page `i` of `count`: a title, a paragraph and three links to other pages.
pub fn page_html(i: usize, count: usize) -> String {
    let links: String = page_links(i, count)
        .iter()
        .map(|j| format!("<li><a href=\"/page/{j}\">page {j}</a></li>"))
        .collect();
    format!(
        "<html><head><title>Page {i}</title></head><body><h1>Page {i}</h1>\
         <p>One of {count} pages of a small site to crawl.</p><ul>{links}</ul></body></html>"
    )
}

/// The pages page `i` links to: the next one, and two further on.
fn page_links(i: usize, count: usize) -> Vec<usize> {
    if count < 2 {
        return Vec::new();
    }
    let mut out = Vec::new();
    for step in [1, 7, 13] {
        let j = (i + step) % count;
        if j != i && !out.contains(&j) {
            out.push(j);
        }
    }
    out
}

/// The body of `path` on a site of `count` pages: `/` is page 0.
fn body_of(path: &str, count: usize) -> Option<String> {
    let i = match path {
        "/" => 0,
        p => p.strip_prefix("/page/")?.parse::<usize>().ok()?,
    };
    (i < count).then(|| page_html(i, count))
}

/// The hrefs of a page's links.
fn hrefs(body: &str) -> Vec<&str> {
    body.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect()
}

/// A running page server of the run. Dropping it stops it.
pub struct PageServer {
    rid: Rid,
    port: u16,
    pages: usize,
    live: Option<Listening>,
}

/// The live server's threads.
struct Listening {
    stop: Arc<AtomicBool>,
    acceptor: Option<std::thread::JoinHandle<()>>,
}

impl PageServer {
    /// Start serving `pages` pages named `name`, each answer `latency` (lesson time) after its
    /// request, refusing whatever comes past `limit` requests at once. Live, it listens on a
    /// free port of 127.0.0.1 from now until it is dropped.
    #[track_caller]
    pub fn start(name: &str, pages: usize, latency: Duration, limit: usize) -> PageServer {
        let site = Some(Site::here(Location::caller()));
        let (core, me) = sched::current();
        drop(core.op_point(core.world.lock(), me, Op::Spawn, site));
        let latency_ns = core.scaled_ns(latency);
        let limit = limit.max(1);
        let (port, live) = if core.virtual_clock() {
            let w = core.world.lock();
            let before = w
                .resources
                .iter()
                .filter(|r| matches!(r.state, ResState::PageServer { .. }))
                .count();
            (VIRTUAL_PORT + before as u16, None)
        } else {
            match listen(pages, latency_ns, limit) {
                Ok((port, live)) => (port, Some(live)),
                // No socket to be had: the run goes on, and every fetch says why it failed.
                Err(_) => (0, None),
            }
        };
        let kind = ResourceKind::PageServer {
            limit: limit as u32,
            latency_ns,
        };
        let state = ResState::PageServer {
            port,
            pages,
            latency_ns,
            limit,
            serving: Vec::new(),
        };
        let rid = core.create(me, name, kind, state, None);
        PageServer {
            rid,
            port,
            pages,
            live,
        }
    }

    /// The URL of page `i` (`http://127.0.0.1:PORT/page/i`).
    pub fn url(&self, i: usize) -> String {
        format!("http://127.0.0.1:{}/page/{i}", self.port)
    }

    /// The URL of the site's front page, page 0.
    pub fn home(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// How many pages the site has.
    pub fn pages(&self) -> usize {
        self.pages
    }

    /// The port it listens on (live), or names in its URLs (virtual clock).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server as a resource of the run.
    pub fn rid(&self) -> Rid {
        self.rid
    }
}

impl Drop for PageServer {
    fn drop(&mut self) {
        if let Some(mut l) = self.live.take() {
            l.stop.store(true, Ordering::Release);
            if let Some(h) = l.acceptor.take() {
                let _ = h.join();
            }
        }
    }
}

/// Bind a free port and start the acceptor thread.
fn listen(pages: usize, latency_ns: u64, limit: usize) -> io::Result<(u16, Listening)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let port = listener.local_addr()?.port();
    let stop = Arc::new(AtomicBool::new(false));
    let stop2 = stop.clone();
    let acceptor = std::thread::Builder::new()
        .name("lockstep pages".into())
        .spawn(move || accept_loop(listener, pages, latency_ns, limit, stop2))?;
    Ok((
        port,
        Listening {
            stop,
            acceptor: Some(acceptor),
        },
    ))
}

/// Accept connections until told to stop, a thread for each; then wait for them all. The
/// listener closes when this returns: nothing is left listening.
fn accept_loop(
    listener: TcpListener,
    pages: usize,
    latency_ns: u64,
    limit: usize,
    stop: Arc<AtomicBool>,
) {
    let in_flight = Arc::new(AtomicUsize::new(0));
    let mut handlers: Vec<std::thread::JoinHandle<()>> = Vec::new();
    let latency = Duration::from_nanos(latency_ns);
    while !stop.load(Ordering::Acquire) {
        match listener.accept() {
            Ok((conn, _)) => {
                let (stop, in_flight) = (stop.clone(), in_flight.clone());
                let h = std::thread::Builder::new()
                    .name("lockstep page".into())
                    .spawn(move || {
                        let _ = serve(conn, pages, latency, limit, &in_flight, &stop);
                    });
                if let Ok(h) = h {
                    handlers.push(h);
                }
                handlers.retain(|h| !h.is_finished());
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => wait_readable(&listener, POLL),
            Err(_) => std::thread::sleep(POLL),
        }
    }
    drop(listener);
    for h in handlers {
        let _ = h.join();
    }
}

/// Wait until `listener` has a connection or `limit` passes, without spinning.
#[cfg(target_os = "linux")]
fn wait_readable(listener: &TcpListener, limit: Duration) {
    use std::os::fd::AsRawFd;
    let mut fd = libc_poll::PollFd::new(listener.as_raw_fd(), libc_poll::READ);
    libc_poll::poll(std::slice::from_mut(&mut fd), Some(limit));
}

#[cfg(not(target_os = "linux"))]
fn wait_readable(_: &TcpListener, limit: Duration) {
    std::thread::sleep(limit);
}

/// Answer one request: 503 at once past the limit, else the page (or 404) after the latency.
fn serve(
    mut conn: TcpStream,
    pages: usize,
    latency: Duration,
    limit: usize,
    in_flight: &AtomicUsize,
    stop: &AtomicBool,
) -> io::Result<()> {
    conn.set_nonblocking(false)?;
    conn.set_read_timeout(Some(POLL))?;
    let path = read_request(&mut conn, stop)?;
    if in_flight.fetch_add(1, Ordering::AcqRel) >= limit {
        in_flight.fetch_sub(1, Ordering::AcqRel);
        return respond(&mut conn, 503, "Service Unavailable", "too many requests");
    }
    struct Out<'a>(&'a AtomicUsize);
    impl Drop for Out<'_> {
        fn drop(&mut self) {
            self.0.fetch_sub(1, Ordering::AcqRel);
        }
    }
    let _out = Out(in_flight);
    let until = Instant::now() + latency;
    while Instant::now() < until {
        if stop.load(Ordering::Acquire) {
            return Ok(());
        }
        std::thread::sleep((until - Instant::now()).min(POLL));
    }
    match body_of(&path, pages) {
        Some(body) => respond(&mut conn, 200, "OK", &body),
        None => respond(&mut conn, 404, "Not Found", "no such page"),
    }
}

/// The path of a `GET PATH HTTP/1.x` request.
fn read_request(conn: &mut TcpStream, stop: &AtomicBool) -> io::Result<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        if stop.load(Ordering::Acquire) || buf.len() > 8192 {
            return Err(io::ErrorKind::Interrupted.into());
        }
        match conn.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if is_timeout(&e) => {}
            Err(e) => return Err(e),
        }
    }
    let text = String::from_utf8_lossy(&buf);
    let mut words = text.split_whitespace();
    match (words.next(), words.next()) {
        (Some("GET"), Some(path)) => Ok(path.to_string()),
        _ => Err(io::ErrorKind::InvalidData.into()),
    }
}

fn respond(conn: &mut TcpStream, code: u16, reason: &str, body: &str) -> io::Result<()> {
    let head = format!(
        "HTTP/1.0 {code} {reason}\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        body.len()
    );
    conn.write_all(head.as_bytes())?;
    conn.write_all(body.as_bytes())?;
    conn.flush()?;
    let _ = conn.shutdown(Shutdown::Write);
    Ok(())
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// `http://127.0.0.1:PORT/PATH` → (port, path).
pub(crate) fn parse_url(url: &str) -> Result<(u16, String), FetchError> {
    let bad = || FetchError::Unreachable(format!("not a local page URL: {url}"));
    let rest = url.strip_prefix("http://127.0.0.1:").ok_or_else(bad)?;
    let (port, path) = match rest.find('/') {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest, "/"),
    };
    let port = port.parse::<u16>().map_err(|_| bad())?;
    Ok((port, path.to_string()))
}

/// What a server of the run is, for a request to it.
#[derive(Clone, Copy)]
pub(crate) struct Target {
    pub rid: Rid,
    pub port: u16,
    pub pages: usize,
    pub latency_ns: u64,
}

/// The server of this run listening on `port`.
pub(crate) fn find(w: &World, port: u16) -> Option<Target> {
    w.resources
        .iter()
        .enumerate()
        .find_map(|(i, r)| match r.state {
            ResState::PageServer {
                port: p,
                pages,
                latency_ns,
                ..
            } if p == port => Some(Target {
                rid: Rid(i as u32),
                port,
                pages,
                latency_ns,
            }),
            _ => None,
        })
}

/// The model's answer to a request arriving now: `Some(done_at)` when it is taken (its
/// answer comes at `done_at`), `None` when the server already has `limit` requests.
pub(crate) fn admit(w: &mut World, rid: Rid, now: u64) -> Option<u64> {
    let ResState::PageServer {
        latency_ns,
        limit,
        serving,
        ..
    } = &mut w.resources[rid.0 as usize].state
    else {
        return None;
    };
    serving.retain(|&end| end > now);
    if serving.len() >= *limit {
        return None;
    }
    let done = now + *latency_ns;
    serving.push(done);
    Some(done)
}

/// The page a finished request gives, as the server would send it.
pub(crate) fn answer(t: &Target, path: &str) -> Result<Page, FetchError> {
    let body = body_of(path, t.pages).ok_or(FetchError::NotFound)?;
    Ok(page_from(t.port, path, body))
}

fn page_from(port: u16, path: &str, body: String) -> Page {
    let links = hrefs(&body)
        .into_iter()
        .map(|h| format!("http://127.0.0.1:{port}{h}"))
        .collect();
    Page {
        path: path.to_string(),
        body,
        links,
    }
}

/// Get a page (Python: `requests.get(url)`): the calling thread waits for the answer, the
/// server's latency; past the server's limit it is refused at once.
#[track_caller]
pub fn fetch(url: &str) -> Result<Page, FetchError> {
    let site = Some(Site::here(Location::caller()));
    let (core, me) = sched::current();
    let (port, path) = parse_url(url)?;
    let w = core.world.lock();
    let Some(t) = find(&w, port) else {
        drop(w);
        return Err(FetchError::Unreachable(format!("no page server at {url}")));
    };
    let mut w = core.op_point(w, me, Op::Fetch(t.rid), site);
    let on = BlockedOn::Resource(t.rid);
    let what = What::Fetch {
        rid: t.rid,
        path: path.clone(),
    };
    if core.virtual_clock() {
        Core::set_state(&mut w, me, ThreadState::Blocked(on));
        core.emit(&mut w, me, what, site);
        let now = w.now;
        if admit(&mut w, t.rid, now).is_none() {
            Core::set_state(&mut w, me, ThreadState::Running);
            core.emit(&mut w, me, refused(t.rid, &path), site);
            return Err(FetchError::Refused);
        }
        let (mut w, _) = core.block_timeout(w, me, Some(t.latency_ns));
        let got = answer(&t, &path);
        core.emit(&mut w, me, fetched(t.rid, &path, &got), None);
        return got;
    }
    // Live: a real request. Waiting on the server, the thread counts as timed (its wait ends
    // by itself), so a run whose threads all wait on pages is not stuck.
    Core::set_state(&mut w, me, ThreadState::Blocked(on));
    w.threads[me.0 as usize].timed = true;
    core.emit(&mut w, me, what, site);
    drop(w);
    let got = http_get(port, &path, &|| core.cancelled());
    let mut w = core.world.lock();
    w.threads[me.0 as usize].timed = false;
    let mut w = core.check_cancel(w, me);
    Core::set_state(&mut w, me, ThreadState::Running);
    let got = match got {
        Ok((503, _)) => {
            core.emit(&mut w, me, refused(t.rid, &path), None);
            return Err(FetchError::Refused);
        }
        Ok((200, body)) => Ok(page_from(port, &path, body)),
        Ok((404, _)) => Err(FetchError::NotFound),
        Ok((code, _)) => Err(FetchError::Unreachable(format!("HTTP {code}"))),
        Err(e) => Err(FetchError::Unreachable(e.to_string())),
    };
    core.emit(&mut w, me, fetched(t.rid, &path, &got), None);
    got
}

pub(crate) fn refused(rid: Rid, path: &str) -> What {
    What::FetchRefused {
        rid,
        path: path.to_string(),
    }
}

/// The event of an answer: the page's size, or 0 bytes for an error.
pub(crate) fn fetched(rid: Rid, path: &str, got: &Result<Page, FetchError>) -> What {
    What::Fetched {
        rid,
        path: path.to_string(),
        bytes: got.as_ref().map_or(0, |p| p.body.len()),
    }
}

/// A blocking HTTP/1.0 GET on 127.0.0.1: (status, body). Gives up when `stop` says so.
pub(crate) fn http_get(
    port: u16,
    path: &str,
    stop: &dyn Fn() -> bool,
) -> io::Result<(u16, String)> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut conn = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    conn.set_read_timeout(Some(POLL))?;
    conn.write_all(request(path).as_bytes())?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if stop() {
            return Err(io::ErrorKind::Interrupted.into());
        }
        match conn.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if is_timeout(&e) => {}
            Err(e) => return Err(e),
        }
    }
    parse_response(&buf)
}

/// The request `fetch` sends.
pub(crate) fn request(path: &str) -> String {
    format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
}

/// (status, body) of a whole HTTP/1.0 response.
pub(crate) fn parse_response(buf: &[u8]) -> io::Result<(u16, String)> {
    let text = String::from_utf8_lossy(buf);
    let bad = || io::Error::new(io::ErrorKind::InvalidData, "not an HTTP response");
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(bad)?;
    let code = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse::<u16>().ok())
        .ok_or_else(bad)?;
    Ok((code, body.to_string()))
}

/// poll(2), for waiting on sockets without spinning (the server's accept, the event loop).
#[cfg(target_os = "linux")]
pub(crate) mod libc_poll {
    use std::os::fd::RawFd;
    use std::time::Duration;

    pub const READ: i16 = libc::POLLIN;

    #[repr(transparent)]
    pub struct PollFd(libc::pollfd);

    impl PollFd {
        pub fn new(fd: RawFd, events: i16) -> PollFd {
            PollFd(libc::pollfd {
                fd,
                events,
                revents: 0,
            })
        }

        /// Whether it is ready for what was asked (or has an error or hang-up to report).
        pub fn ready(&self) -> bool {
            self.0.revents != 0
        }
    }

    /// Wait until one of `fds` is ready or `limit` passes (`None`: no limit). How many are.
    pub fn poll(fds: &mut [PollFd], limit: Option<Duration>) -> usize {
        let ms = limit.map_or(-1, |d| d.as_millis().min(i32::MAX as u128) as i32);
        // A limit under a millisecond still waits a little rather than spinning.
        let ms = if ms == 0 && limit.is_some_and(|d| !d.is_zero()) {
            1
        } else {
            ms
        };
        // SAFETY: `PollFd` is a transparent `pollfd`; the slice is valid for its length.
        let n = unsafe {
            libc::poll(
                fds.as_mut_ptr().cast::<libc::pollfd>(),
                fds.len() as libc::nfds_t,
                ms,
            )
        };
        n.max(0) as usize
    }
}
