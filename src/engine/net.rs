//! Queues served over a loopback socket (Python: `multiprocessing.managers.BaseManager`): a
//! server holds named queues; a client that knows its address and its authkey connects and
//! uses them as if they were its own.
//!
//! **Live** the server is real: a TCP listener on 127.0.0.1 only, on a port the system picks
//! (port 0), and a thread per connection. A client first gets a random challenge and answers
//! it with HMAC-SHA256(authkey, challenge), as Python's `answer_challenge` does: the authkey
//! never crosses the socket, and a wrong one is refused and the connection closed. Each queue
//! operation then travels as one JSON line; the server's connection thread performs it in the
//! client thread's name (the client process's lane shows it waiting on the queue), as a child's
//! proxy does (see `ipc`). The authkey `Authkey::generate` makes live is 16 bytes from the
//! system's random source (`/dev/urandom`), not from the run's seed: the seed is shown on the
//! screen, and a key that followed from it could be guessed by anyone who saw it.
//!
//! **Step and virtual** modes run the same code on the run's clock: the server is a resource
//! of the run (its address a made-up port), its queues are queues of the run, and connecting
//! and the authkey's check are events; the key comes from the run's seeded generator, so a run
//! replays exactly.
//!
//! Either way the server stops listening when the run ends or is cancelled (or at
//! `shutdown`): a run never leaves a port open behind it.

use super::event::{Op, ResourceKind, Rid, Site, Tid, What};
use super::ipc::{Call, HOSTED, HostedQueue, Item, Reply, Wait};
use super::sched::{self, Cancelled, Core, ResState, World};
use super::sync::Queue;
use parking_lot::Mutex;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt::{self, Debug};
use std::io::{BufRead, BufReader, Read, Write};
use std::marker::PhantomData;
use std::net::{Shutdown, TcpListener, TcpStream};
use std::panic::Location;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// A server's secret: whoever connects must prove they know it (Python: `authkey=`).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authkey(String);

impl Authkey {
    /// A fresh random key: 16 bytes from the system's random source (live), from the run's
    /// seeded generator (step and virtual modes, so the run replays).
    pub fn generate() -> Authkey {
        let (core, _) = sched::current();
        let mut bytes = [0u8; 16];
        if core.virtual_clock() {
            for b in &mut bytes {
                *b = super::random_range(0..=255u8);
            }
        } else {
            bytes = os_random();
        }
        Authkey(hex(&bytes))
    }

    /// A key someone chose, or guessed (Python: `authkey=b"abc"`).
    pub fn from_text(text: &str) -> Authkey {
        Authkey(hex(text.as_bytes()))
    }

    fn bytes(&self) -> Vec<u8> {
        unhex(&self.0)
    }
}

/// Shows only its start, as a learner would quote a secret: `b'3f9a…'`.
impl Debug for Authkey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "b'{}…'", &self.0[..self.0.len().min(4)])
    }
}

/// Where a server listens: 127.0.0.1 and its port.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub host: String,
    pub port: u16,
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.host, self.port)
    }
}

impl Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "('{}', {})", self.host, self.port)
    }
}

/// Why a client could not use a server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConnectError {
    /// Nobody listens there (any more): Python's `ConnectionRefusedError`.
    Refused,
    /// The authkey was wrong: Python's `AuthenticationError`.
    Authentication,
}

/// What Python's exception says to the client (`str(e)`).
impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnectError::Refused => f.write_str("[Errno 111] Connection refused"),
            ConnectError::Authentication => f.write_str("digest sent was rejected"),
        }
    }
}

/// A server of the run, as the runtime keeps it.
pub(crate) struct Server {
    rid: Rid,
    /// The thread that started it: events of clients it cannot place are shown in its name.
    owner: Tid,
    address: Address,
    key: Vec<u8>,
    queues: HashMap<String, Arc<HostedQueue>>,
    closed: AtomicBool,
    /// Live: the listening socket, and every connection's (to end them at the close).
    listener: Mutex<Option<TcpListener>>,
    conns: Mutex<Vec<TcpStream>>,
}

impl Server {
    /// Stop listening (once): the port is closed, every connection ends.
    pub(crate) fn close(&self, core: &Core, w: &mut World) {
        if self.closed.swap(true, Ordering::AcqRel) {
            return;
        }
        if let Some(l) = self.listener.lock().take() {
            use std::os::fd::AsRawFd;
            // SAFETY: shutdown on a socket we own; it wakes the thread blocked in accept,
            // which then drops its copy, and the port is free.
            unsafe {
                libc::shutdown(l.as_raw_fd(), libc::SHUT_RDWR);
            }
        }
        for c in self.conns.lock().drain(..) {
            let _ = c.shutdown(Shutdown::Both);
        }
        core.emit(w, self.owner, What::Closed { rid: self.rid }, None);
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }
}

/// The server side (Python: `BaseManager(address=('127.0.0.1', 0), authkey=…)` started, with
/// a queue registered for each name).
pub struct QueueServer {
    server: Arc<Server>,
}

impl QueueServer {
    /// Serve a queue for each of `queues` to whoever connects with `authkey`, on 127.0.0.1
    /// and a free port.
    #[track_caller]
    pub fn serve(name: &str, authkey: &Authkey, queues: &[&str]) -> QueueServer {
        let site = Some(Site::here(Location::caller()));
        let (core, me) = sched::current();
        let rid = core.create(me, name, ResourceKind::Listener, ResState::Remote, None);
        let hosted: HashMap<String, Arc<HostedQueue>> = queues
            .iter()
            .map(|q| {
                let h = Arc::new(HostedQueue {
                    q: Queue::fifo(q, 0),
                });
                core.hosted.lock().insert(h.q.rid().0, h.clone());
                (q.to_string(), h)
            })
            .collect();
        let (listener, address) = if core.virtual_clock() {
            let port = super::random_range(49152..=65535u16);
            let address = Address {
                host: "127.0.0.1".into(),
                port,
            };
            (None, address)
        } else {
            let l = match TcpListener::bind(("127.0.0.1", 0)) {
                Ok(l) => l,
                // Python's bind raises when the system refuses the socket.
                Err(e) => panic!("cannot listen on 127.0.0.1: {e}"),
            };
            let port = l.local_addr().map(|a| a.port()).unwrap_or(0);
            let address = Address {
                host: "127.0.0.1".into(),
                port,
            };
            (Some(l), address)
        };
        let server = Arc::new(Server {
            rid,
            owner: me,
            address: address.clone(),
            key: authkey.bytes(),
            queues: hosted,
            closed: AtomicBool::new(false),
            listener: Mutex::new(None),
            conns: Mutex::new(Vec::new()),
        });
        if let Some(l) = listener {
            let accepting = match l.try_clone() {
                Ok(a) => a,
                Err(e) => panic!("cannot listen on 127.0.0.1: {e}"),
            };
            *server.listener.lock() = Some(l);
            let (c, s) = (Arc::downgrade(&core), server.clone());
            let started = std::thread::Builder::new()
                .name("lockstep server".into())
                .spawn(move || accept(c, s, accepting));
            if let Err(e) = started {
                panic!("cannot serve: {e}");
            }
        }
        core.served.lock().push(server.clone());
        let mut w = core.op_point(core.world.lock(), me, Op::Say, site);
        let what = What::Listen {
            rid,
            address: address.to_string(),
        };
        core.emit(&mut w, me, what, site);
        if core.cancelled() || w.finished {
            server.close(&core, &mut w);
        }
        QueueServer { server }
    }

    /// Where it listens (hand it to the clients with the authkey).
    pub fn address(&self) -> Address {
        self.server.address.clone()
    }

    /// The server's own handle on its queue `name` (Python: `manager.get_task_queue()`).
    pub fn queue<T>(&self, name: &str) -> NetQueue<T> {
        let h = self
            .server
            .queues
            .get(name)
            .unwrap_or_else(|| panic!("the server serves no queue {name}"))
            .clone();
        NetQueue {
            name: name.to_string(),
            via: Via::Here(h),
            _items: PhantomData,
        }
    }

    /// Stop listening now (Python: `manager.shutdown()`); the run's end would anyway.
    #[track_caller]
    pub fn shutdown(&self) {
        let site = Some(Site::here(Location::caller()));
        let (core, me) = sched::current();
        let mut w = core.op_point(core.world.lock(), me, Op::Say, site);
        self.server.close(&core, &mut w);
    }
}

/// The listener's thread: a connection thread for each client, until the server closes.
fn accept(core: std::sync::Weak<Core>, server: Arc<Server>, listener: TcpListener) {
    for stream in listener.incoming() {
        if server.is_closed() {
            return;
        }
        let Ok(stream) = stream else {
            // A client that gave up before it was accepted: the next one.
            std::thread::sleep(Duration::from_millis(1));
            continue;
        };
        let Some(core) = core.upgrade() else {
            return;
        };
        let _ = stream.set_nodelay(true);
        if let Ok(c) = stream.try_clone() {
            server.conns.lock().push(c);
        }
        let s = server.clone();
        let _ = std::thread::Builder::new()
            .name("lockstep connection".into())
            .spawn(move || serve_client(&core, &s, stream));
    }
}

/// A client's lines (live).
#[derive(Serialize, Deserialize)]
enum Up {
    /// The answer to the challenge, and who asks: the client's process in the run (its
    /// number there) when it is a child of the run.
    Answer {
        digest: String,
        process: Option<u32>,
    },
    Call {
        queue: String,
        call: Call,
        site: Option<(String, u32)>,
    },
}

/// The server's lines (live).
#[derive(Serialize, Deserialize)]
enum Down {
    Challenge {
        nonce: String,
        /// The server's resource number and its queues', for the client's events.
        rid: u32,
        queues: HashMap<String, u32>,
    },
    Welcome,
    Refused,
    Reply(Reply),
}

fn write_line<T: Serialize>(s: &mut TcpStream, msg: &T) -> std::io::Result<()> {
    let mut line = serde_json::to_string(msg).expect("plain data");
    line.push('\n');
    // One write, without Nagle's wait: a call is a small round trip.
    s.write_all(line.as_bytes())
}

/// One client (live): the challenge, then its calls, performed in its thread's name.
fn serve_client(core: &Arc<Core>, server: &Arc<Server>, stream: TcpStream) {
    let Ok(mut out) = stream.try_clone() else {
        return;
    };
    let nonce = hex(&os_random());
    let queues = server
        .queues
        .iter()
        .map(|(n, h)| (n.clone(), h.q.rid().0))
        .collect();
    let challenge = Down::Challenge {
        nonce: nonce.clone(),
        rid: server.rid.0,
        queues,
    };
    if write_line(&mut out, &challenge).is_err() {
        return;
    }
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut lines = BufReader::new(stream).lines();
    let Some(Ok(first)) = lines.next() else {
        return;
    };
    let Ok(Up::Answer { digest, process }) = serde_json::from_str(&first) else {
        return;
    };
    // One socket: its clone waits without a limit from now on.
    let _ = out.set_read_timeout(None);
    // Its lane: the main thread of its process, when it is one of the run's.
    // A child may connect before its parent has listed its thread: wait for the listing.
    let lane = {
        let deadline = std::time::Instant::now() + Duration::from_secs(2);
        loop {
            let found = {
                let w = core.world.lock();
                process
                    .filter(|&p| p != 0)
                    .and_then(|p| w.threads.iter().position(|s| s.pid.0 == p))
            };
            match found {
                Some(i) => break Tid(i as u32),
                None if process.is_none() || std::time::Instant::now() >= deadline => {
                    break server.owner;
                }
                None => std::thread::sleep(Duration::from_millis(1)),
            }
        }
    };
    let right = hmac(&server.key, nonce.as_bytes());
    let ok = same(&unhex(&digest), &right);
    {
        let mut w = core.world.lock();
        if core.cancelled() || server.is_closed() {
            return;
        }
        let rid = server.rid;
        core.emit(&mut w, lane, What::Connect { rid }, None);
        let what = if ok {
            What::Connected { rid }
        } else {
            What::AuthFailed { rid }
        };
        core.emit(&mut w, lane, what, None);
    }
    if !ok {
        let _ = write_line(&mut out, &Down::Refused);
        let _ = out.shutdown(Shutdown::Both);
        return;
    }
    if write_line(&mut out, &Down::Welcome).is_err() {
        return;
    }
    for line in lines {
        let Ok(line) = line else {
            break;
        };
        let Ok(Up::Call { queue, call, site }) = serde_json::from_str(&line) else {
            break;
        };
        let reply = match server.queues.get(&queue) {
            Some(q) => act_for(core, lane, q, call, site),
            None => Reply::Raised(format!("the server serves no queue {queue}")),
        };
        if write_line(&mut out, &Down::Reply(reply)).is_err() {
            break;
        }
    }
    // The client left, or its process died: it is no longer connected.
    let mut w = core.world.lock();
    if !core.cancelled() && !w.finished && !server.is_closed() {
        core.emit(&mut w, lane, What::Disconnected { rid: server.rid }, None);
    }
}

/// Perform a client's call on this thread, in the name of the client's lane.
fn act_for(
    core: &Arc<Core>,
    lane: Tid,
    q: &Arc<HostedQueue>,
    call: Call,
    site: Option<(String, u32)>,
) -> Reply {
    use super::ipc::Hosted;
    let site = site.map(|(file, line)| Site {
        file: intern(file),
        line,
    });
    // The call's events and the client's own come by different ways (this socket, the
    // child's): while the call lasts, its state is the lane's.
    let serving = |on: bool| {
        if let Some(s) = core.world.lock().threads.get_mut(lane.0 as usize) {
            s.served = on;
        }
    };
    serving(true);
    sched::set_current(core.clone(), lane);
    Site::act_for(site);
    let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| q.call(call)));
    Site::act_for(None);
    sched::clear_current();
    serving(false);
    match done {
        Ok(r) => r,
        Err(e) if e.is::<Cancelled>() => Reply::Cancelled,
        Err(e) => Reply::Raised(super::thread::panic_message(&*e)),
    }
}

/// The client side (Python: `BaseManager(address, authkey).connect()`).
pub struct QueueManager {
    via: ClientVia,
    rid: Rid,
}

enum ClientVia {
    /// The server is in this program: its queues are used directly.
    Here(Arc<Server>),
    /// A live child process's connection to its parent's server.
    Socket(Arc<Client>),
}

/// A live client's connection.
struct Client {
    stream: Mutex<(TcpStream, BufReader<TcpStream>)>,
    queues: HashMap<String, u32>,
}

impl QueueManager {
    /// Connect to the server at `address` and prove the authkey (Python: `m.connect()`).
    #[track_caller]
    pub fn connect(address: &Address, authkey: &Authkey) -> Result<QueueManager, ConnectError> {
        let site = Some(Site::here(Location::caller()));
        let (core, me) = sched::current();
        let here = core
            .served
            .lock()
            .iter()
            .find(|s| s.address == *address)
            .cloned();
        let Some(server) = here else {
            if core.virtual_clock() || !super::child::in_child() {
                drop(core.op_point(core.world.lock(), me, Op::Say, site));
                return Err(ConnectError::Refused);
            }
            return connect_live(&core, me, address, authkey, site);
        };
        let rid = server.rid;
        let mut w = core.op_point(core.world.lock(), me, Op::Connect(rid), site);
        if server.is_closed() {
            return Err(ConnectError::Refused);
        }
        core.emit(&mut w, me, What::Connect { rid }, site);
        // The check a live server makes: the answer to a challenge, from the key given.
        let nonce = b"challenge";
        if !same(&hmac(&authkey.bytes(), nonce), &hmac(&server.key, nonce)) {
            core.emit(&mut w, me, What::AuthFailed { rid }, site);
            return Err(ConnectError::Authentication);
        }
        core.emit(&mut w, me, What::Connected { rid }, site);
        Ok(QueueManager {
            via: ClientVia::Here(server),
            rid,
        })
    }

    /// The server's queue `name` (Python: `m.get_task_queue()`).
    pub fn queue<T>(&self, name: &str) -> NetQueue<T> {
        let via = match &self.via {
            ClientVia::Here(s) => Via::Here(
                s.queues
                    .get(name)
                    .unwrap_or_else(|| panic!("the server serves no queue {name}"))
                    .clone(),
            ),
            ClientVia::Socket(c) => {
                let rid = *c
                    .queues
                    .get(name)
                    .unwrap_or_else(|| panic!("the server serves no queue {name}"));
                Via::Socket(c.clone(), Rid(rid))
            }
        };
        NetQueue {
            name: name.to_string(),
            via,
            _items: PhantomData,
        }
    }
}

impl Drop for QueueManager {
    /// A client of a server in this program leaves it (a live server sees the socket close).
    fn drop(&mut self) {
        let ClientVia::Here(server) = &self.via else {
            return;
        };
        // A thread unwinding (cancelled, or its process terminated) is no client any more
        // as its end is recorded (see `trace`); here, at a moment no scheduler chose.
        if !sched::in_demo_thread() || std::thread::panicking() {
            return;
        }
        let (core, me) = sched::current();
        let mut w = core.world.lock();
        if !core.cancelled() && !w.finished && !server.is_closed() {
            core.emit(&mut w, me, What::Disconnected { rid: self.rid }, None);
        }
    }
}

/// A live child's connection: the challenge answered with the key, and the server's word.
fn connect_live(
    core: &Arc<Core>,
    me: Tid,
    address: &Address,
    authkey: &Authkey,
    site: Option<Site>,
) -> Result<QueueManager, ConnectError> {
    drop(core.op_point(core.world.lock(), me, Op::Say, site));
    let stream = TcpStream::connect((address.host.as_str(), address.port))
        .map_err(|_| ConnectError::Refused)?;
    let _ = stream.set_nodelay(true);
    let mut out = stream.try_clone().map_err(|_| ConnectError::Refused)?;
    let mut reader = BufReader::new(stream);
    let Some(Down::Challenge { nonce, rid, queues }) = read_reply(core, me, &mut reader) else {
        return Err(ConnectError::Refused);
    };
    let answer = Up::Answer {
        digest: hex(&hmac(&authkey.bytes(), nonce.as_bytes())),
        process: super::child::child_index(),
    };
    write_line(&mut out, &answer).map_err(|_| ConnectError::Refused)?;
    match read_reply(core, me, &mut reader) {
        Some(Down::Welcome) => {}
        Some(Down::Refused) => return Err(ConnectError::Authentication),
        _ => return Err(ConnectError::Refused),
    }
    Ok(QueueManager {
        via: ClientVia::Socket(Arc::new(Client {
            stream: Mutex::new((out, reader)),
            queues,
        })),
        rid: Rid(rid),
    })
}

/// The server's next line, waiting for it; `None` when the connection ended, or the run
/// (or this thread's process) is being cancelled.
fn read_reply(core: &Core, me: Tid, reader: &mut BufReader<TcpStream>) -> Option<Down> {
    let _ = reader
        .get_ref()
        .set_read_timeout(Some(Duration::from_millis(20)));
    let mut line = Vec::new();
    loop {
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => return None,
            Ok(_) if line.ends_with(b"\n") => return serde_json::from_slice(&line).ok(),
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                let killed = core
                    .world
                    .lock()
                    .threads
                    .get(me.0 as usize)
                    .is_some_and(|s| s.killed);
                if core.cancelled() || killed {
                    return None;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
}

/// A queue a server serves, from the server's side or a client's (Python: the proxy
/// `get_task_queue()` gives). What goes in is copied, as it crosses the socket.
pub struct NetQueue<T> {
    name: String,
    via: Via,
    _items: PhantomData<fn(T) -> T>,
}

enum Via {
    Here(Arc<HostedQueue>),
    Socket(Arc<Client>, Rid),
}

impl<T: Serialize + DeserializeOwned + Debug> NetQueue<T> {
    /// Put an item (Python: `q.put(item)`); the queue is unbounded.
    #[track_caller]
    pub fn put(&self, item: T) {
        let item = Item::of(&item);
        match &self.via {
            Via::Here(h) => h.q.put(item),
            Via::Socket(c, rid) => {
                let site = Some(Site::here(Location::caller()));
                let call = Call::Put {
                    item,
                    wait: Wait::Forever,
                };
                self.remote(c, Op::Put(*rid), call, site);
            }
        }
    }

    /// Take the next item, waiting for one (Python: `q.get()`).
    #[track_caller]
    pub fn get(&self) -> T {
        let site = Some(Site::here(Location::caller()));
        self.get_with(Wait::Forever, site)
            .expect("a get without a limit waits for an item")
    }

    /// Take the next item, or `None` after `limit` (Python: `q.get(timeout=…)` raising
    /// `queue.Empty`).
    #[track_caller]
    pub fn get_timeout(&self, limit: Duration) -> Option<T> {
        let site = Some(Site::here(Location::caller()));
        self.get_with(Wait::limit(limit), site)
    }

    fn get_with(&self, wait: Wait, site: Option<Site>) -> Option<T> {
        match &self.via {
            Via::Here(h) => {
                let item = match wait {
                    Wait::Forever => Some(h.q.get()),
                    Wait::No => h.q.get_nowait().ok(),
                    Wait::For(s) => h.q.get_timeout(Duration::from_secs_f64(s)),
                };
                item.map(Item::take)
            }
            Via::Socket(c, rid) => match self.remote(c, Op::Take(*rid), Call::Get { wait }, site) {
                Reply::Item(item) => Some(item.take()),
                _ => None,
            },
        }
    }

    /// Ask the server to perform `call`, after this thread's scheduling point; a cancel (or
    /// this process's end) while waiting unwinds, as any wait does; a server gone raises.
    fn remote(&self, c: &Client, op: Op, call: Call, site: Option<Site>) -> Reply {
        let (core, me) = sched::current();
        drop(core.op_point(
            core.world.lock(),
            me,
            op.with_rid(Rid(op_rid(op) | HOSTED)),
            site,
        ));
        let msg = Up::Call {
            queue: self.name.clone(),
            call,
            site: site.map(|s| (s.file.to_string(), s.line)),
        };
        let mut guard = c.stream.lock();
        let (out, reader) = &mut *guard;
        let sent = write_line(out, &msg).is_ok();
        let reply = if sent {
            read_reply(&core, me, reader)
        } else {
            None
        };
        drop(guard);
        let gone = core.cancelled()
            || core
                .world
                .lock()
                .threads
                .get(me.0 as usize)
                .is_some_and(|s| s.killed);
        match reply {
            Some(Down::Reply(Reply::Cancelled)) | None if gone => {
                std::panic::resume_unwind(Box::new(Cancelled))
            }
            Some(Down::Reply(Reply::Raised(why))) => panic!("{why}"),
            Some(Down::Reply(r)) => r,
            // Python's proxy raises EOFError when the server has gone.
            _ => panic!("EOFError: the server closed the connection"),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

fn op_rid(op: Op) -> u32 {
    match op {
        Op::Put(r) | Op::Take(r) => r.0,
        _ => 0,
    }
}

impl<T> Debug for NetQueue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<AutoProxy[Queue] {}>", self.name)
    }
}

// ---- the handshake's arithmetic ----

/// HMAC-SHA256 (RFC 2104), as Python's `hmac.new(key, msg, 'sha256')`.
fn hmac(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let pad = |x: u8| k.iter().map(|b| b ^ x).collect::<Vec<u8>>();
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(msg)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

/// Compare in time that does not depend on where they differ (Python: `hmac.compare_digest`).
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

/// 16 bytes from the system's random source.
fn os_random() -> [u8; 16] {
    let mut b = [0u8; 16];
    let read = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut b));
    if read.is_err() {
        // No /dev/urandom: the clock's nanoseconds and the process id, hashed; weaker, but
        // still different on every run.
        let t = std::time::UNIX_EPOCH.elapsed().map_or(0, |d| d.as_nanos());
        let seed = format!("{t}-{}", std::process::id());
        b.copy_from_slice(&Sha256::digest(seed.as_bytes())[..16]);
    }
    b
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .filter_map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}

/// Source file names from a client, as `&'static str` (a handful a run).
fn intern(s: String) -> &'static str {
    static SEEN: std::sync::OnceLock<Mutex<std::collections::HashSet<&'static str>>> =
        std::sync::OnceLock::new();
    let mut seen = SEEN.get_or_init(Default::default).lock();
    if let Some(&known) = seen.get(s.as_str()) {
        return known;
    }
    let leaked: &'static str = Box::leak(s.into_boxed_str());
    seen.insert(leaked);
    leaked
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4231, test case 2.
    #[test]
    fn hmac_sha256_as_the_rfc_gives_it() {
        let mac = hmac(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex(&mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
