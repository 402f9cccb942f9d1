//! Fold a run's events into what the panels show: each thread's state over time, each
//! resource's owner, waiters and value, and a readable log. Pure data: no terminal here.
//!
//! The log keeps each event as data and is written in words only when shown, in the language
//! asked for: switching languages mid-run rewrites the whole log, and folding the events of a
//! thousand-thread run formats nothing.

use super::event::{
    BlockedOn, Deadlock, Event, Pid, ResourceKind, Rid, Site, ThreadState, Tid, What,
};
use crate::words::Lang;
use crate::words::log::Words;

/// A stretch of time a thread spent in one state. `to_ns` is `None` while it lasts.
#[derive(Clone, Debug, PartialEq)]
pub struct Span {
    pub from_ns: u64,
    pub to_ns: Option<u64>,
    pub state: ThreadState,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ThreadTrack {
    pub tid: Tid,
    pub name: String,
    pub parent: Option<Tid>,
    pub state: ThreadState,
    pub spans: Vec<Span>,
    /// The line of its latest operation.
    pub site: Option<Site>,
    /// Its latest operation: the index of its log line in `Trace::log` (`Trace::doing` gives
    /// it in words).
    pub doing: usize,
    /// The latest line it printed (`say`).
    pub said: Option<String>,
    /// The process it runs in.
    pub process: Pid,
}

/// A process of the run: its own (`Pid(0)`) and every child it started.
#[derive(Clone, Debug, PartialEq)]
pub struct ProcessTrack {
    pub pid: Pid,
    pub name: String,
    pub daemon: bool,
    /// The real process id (live mode).
    pub os_pid: Option<u32>,
    /// Its exit code, once it has ended.
    pub exit: Option<i32>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ResourceTrack {
    pub rid: Rid,
    pub name: String,
    pub kind: ResourceKind,
    /// A mutex's or reentrant mutex's owner.
    pub owner: Option<Tid>,
    /// How many times a reentrant mutex's owner holds it.
    pub count: u32,
    /// A semaphore's holders, in the order they got in.
    pub holders: Vec<Tid>,
    /// Threads waiting for it, longest waiter first.
    pub waiters: Vec<Tid>,
    /// A variable's value, a flag's ("set" / "clear"), a barrier's ("broken" when it is) or a
    /// timer's ("counting down", "fired", "cancelled").
    pub value: Option<String>,
    /// A queue's items, front first.
    pub items: Vec<String>,
    /// The most items a queue held at once; the most holders a semaphore had at once.
    pub peak: usize,
    /// A joinable queue's items not yet marked done.
    pub unfinished: usize,
    pub acquisitions: u64,
    pub reads: u64,
    pub writes: u64,
    pub lost_updates: u64,
    pub puts: u64,
    pub takes: u64,
    /// A condition's notifies, and how many of them found nobody waiting (lost).
    pub notifies: u64,
    pub lost_notifies: u64,
    /// How many times a barrier let its parties through.
    pub rounds: u64,
    /// A thread-local's value in each thread that set one, in thread order.
    pub slots: Vec<(Tid, String)>,
    /// Requests a page server refused (it had its limit already), or clients a server turned
    /// away (a wrong authkey).
    pub refusals: u64,
    /// A server stopped listening (its value stays its address).
    pub closed: bool,
    /// Every change of its contents or holders, in order, for panels that draw its history.
    pub history: Vec<Change>,
}

/// One change of a resource: an item put or taken, a holder in or out, a refused call.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub at_ns: u64,
    pub tid: Tid,
    pub kind: ChangeKind,
    /// The item put or taken, as the demo's `Debug` shows it.
    pub item: Option<String>,
    /// Items in a queue, or holders of a lock or semaphore, right after.
    pub size: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ChangeKind {
    Put,
    Took,
    Acquired,
    Released,
    /// A non-blocking call found the queue "full" or "empty".
    Refused(String),
}

impl ResourceTrack {
    fn new(rid: Rid, name: String, kind: ResourceKind, value: Option<String>) -> ResourceTrack {
        ResourceTrack {
            rid,
            name,
            kind,
            owner: None,
            count: 0,
            holders: Vec::new(),
            waiters: Vec::new(),
            value,
            items: Vec::new(),
            peak: 0,
            unfinished: 0,
            acquisitions: 0,
            reads: 0,
            writes: 0,
            lost_updates: 0,
            puts: 0,
            takes: 0,
            notifies: 0,
            lost_notifies: 0,
            rounds: 0,
            slots: Vec::new(),
            refusals: 0,
            closed: false,
            history: Vec::new(),
        }
    }

    /// Holders now: a semaphore's count, or 1 for a held lock.
    fn held(&self) -> usize {
        match self.kind {
            ResourceKind::Semaphore { .. } | ResourceKind::Listener => self.holders.len(),
            _ => usize::from(self.owner.is_some()),
        }
    }

    fn record(&mut self, e: &Event, kind: ChangeKind, item: Option<String>, size: usize) {
        self.history.push(Change {
            at_ns: e.at_ns,
            tid: e.tid,
            kind,
            item,
            size,
        });
    }

    fn acquired(&mut self, t: Tid) {
        self.waiters.retain(|&w| w != t);
        self.acquisitions += 1;
        match self.kind {
            ResourceKind::Semaphore { .. } | ResourceKind::Listener => {
                self.holders.push(t);
                self.peak = self.peak.max(self.holders.len());
            }
            ResourceKind::ReentrantMutex if self.owner == Some(t) => self.count += 1,
            _ => {
                self.owner = Some(t);
                self.count = 1;
            }
        }
    }

    fn released(&mut self, t: Tid) {
        match self.kind {
            ResourceKind::Semaphore { .. }
            | ResourceKind::PageServer { .. }
            | ResourceKind::Listener => {
                if let Some(at) = self.holders.iter().position(|&h| h == t) {
                    self.holders.remove(at);
                }
            }
            // A release by another than the owner is a late word from a child process (its
            // file lock was let go before the next owner's news arrived): already passed on.
            _ if self.owner.is_some_and(|o| o != t) => {}
            _ => {
                self.count = self.count.saturating_sub(1);
                if self.count == 0 {
                    self.owner = None;
                }
            }
        }
    }
}

/// An item going into or out of a queue.
#[derive(Clone, Debug, PartialEq)]
pub struct Move {
    pub at_ns: u64,
    pub tid: Tid,
    pub put: bool,
    /// As the demo's `Debug` shows it, quotes dropped: `first`, `(10, b)`, `Some(bun-3)`.
    pub item: String,
    /// Items in the queue right after.
    pub len: usize,
}

/// One line of the log: what happened, kept as data; `Trace::text` writes it in words.
#[derive(Clone, Debug, PartialEq)]
pub struct LogLine {
    pub at_ns: u64,
    pub tid: Tid,
    pub what: What,
    /// For a thread blocked on a lock: who held it at that moment ("waits for A (held by T1)").
    pub holder: Option<Tid>,
    /// Worth a colour: a lost update, a deadlock, a panic.
    pub alarm: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trace {
    pub threads: Vec<ThreadTrack>,
    /// Child processes, in the order they started (the run's own is not listed).
    pub processes: Vec<ProcessTrack>,
    pub resources: Vec<ResourceTrack>,
    pub log: Vec<LogLine>,
    /// The latest event's time.
    pub now_ns: u64,
    pub events: u64,
    pub deadlock: Option<Deadlock>,
    pub finished: bool,
}

impl Trace {
    pub fn new() -> Trace {
        Trace::default()
    }

    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a Event>) -> Trace {
        let mut t = Trace::new();
        for e in events {
            t.apply(e);
        }
        t
    }

    pub fn thread_name(&self, tid: Tid) -> &str {
        self.threads
            .get(tid.0 as usize)
            .map_or("?", |t| t.name.as_str())
    }

    /// A child process's name ("?" for one not seen).
    pub fn process_name(&self, pid: Pid) -> &str {
        self.processes
            .iter()
            .find(|p| p.pid == pid)
            .map_or("?", |p| p.name.as_str())
    }

    /// Whether `tid` is the first thread of process `pid` (its main thread).
    fn is_main_of(&self, tid: Tid, pid: Pid) -> bool {
        self.threads
            .iter()
            .find(|t| t.process == pid)
            .is_none_or(|t| t.tid == tid)
    }

    /// Whether `tid` is a thread of a daemon child process.
    fn in_daemon_process(&self, tid: Tid) -> bool {
        let pid = self.threads.get(tid.0 as usize).map(|t| t.process);
        self.processes
            .iter()
            .any(|p| Some(p.pid) == pid && p.daemon)
    }

    /// The latest line the thread named `name` printed (`say`).
    pub fn last_said(&self, name: &str) -> Option<&str> {
        self.threads
            .iter()
            .find(|t| t.name == name)?
            .said
            .as_deref()
    }

    pub fn resource_name(&self, rid: Rid) -> &str {
        self.resources
            .get(rid.0 as usize)
            .map_or("?", |r| r.name.as_str())
    }

    /// Every put and take on the queue named `queue`, in order, from its history.
    pub fn moves(&self, queue: &str) -> Vec<Move> {
        let Some(r) = self.resources.iter().find(|r| r.name == queue) else {
            return Vec::new();
        };
        r.history
            .iter()
            .filter_map(|c| {
                let put = match c.kind {
                    ChangeKind::Put => true,
                    ChangeKind::Took => false,
                    _ => return None,
                };
                Some(Move {
                    at_ns: c.at_ns,
                    tid: c.tid,
                    put,
                    item: Trace::plain(c.item.as_deref().unwrap_or("")),
                    len: c.size,
                })
            })
            .collect()
    }

    /// An item as a learner writes it: `"first"` → `first`, `(10, "b")` → `(10, b)`.
    pub fn plain(item: &str) -> String {
        item.replace('"', "")
    }

    /// What a blocked thread waits for now, in words: "lock (held by T1)", "T2 to finish".
    pub fn blocked_on(&self, on: BlockedOn, lang: Lang) -> String {
        let holder = match on {
            BlockedOn::Resource(r) => self.resources.get(r.0 as usize).and_then(|r| r.owner),
            BlockedOn::Thread(_) => None,
        };
        self.awaited(on, holder, lang)
    }

    /// What a thread blocked on `on` waits for, with the lock's holder (when it had one).
    fn awaited(&self, on: BlockedOn, holder: Option<Tid>, lang: Lang) -> String {
        let w = Words(lang);
        match on {
            BlockedOn::Resource(r) => {
                let name = self.resource_name(r);
                match holder {
                    Some(o) => w.held_by(name, self.thread_name(o)),
                    None => name.to_string(),
                }
            }
            BlockedOn::Thread(t) => w.to_finish(self.thread_name(t)),
        }
    }

    /// The log, every line in words: `Trace::text` of each.
    pub fn log_texts(&self, lang: Lang) -> impl Iterator<Item = String> + '_ {
        self.log.iter().map(move |l| self.text(l, lang))
    }

    /// What the thread did last, in words (its latest log line but a deadlock report).
    pub fn doing(&self, tid: Tid, lang: Lang) -> Option<String> {
        let t = self.threads.get(tid.0 as usize)?;
        Some(self.text(self.log.get(t.doing)?, lang))
    }

    pub fn apply(&mut self, e: &Event) {
        self.events += 1;
        self.now_ns = self.now_ns.max(e.at_ns);
        // This event's line, pushed last.
        let line = self.log.len();
        match &e.what {
            What::ProcessNew {
                pid,
                name,
                daemon,
                os_pid,
            } => self.processes.push(ProcessTrack {
                pid: *pid,
                name: name.clone(),
                daemon: *daemon,
                os_pid: *os_pid,
                exit: None,
            }),
            What::ProcessExit { pid, code } => {
                if let Some(p) = self.processes.iter_mut().find(|p| p.pid == *pid) {
                    p.exit = Some(*code);
                }
            }
            _ => {}
        }
        if let What::ThreadNew {
            name,
            parent,
            process,
            ..
        } = &e.what
        {
            self.threads.push(ThreadTrack {
                tid: e.tid,
                name: name.clone(),
                parent: *parent,
                state: e.state,
                spans: vec![Span {
                    from_ns: e.at_ns,
                    to_ns: None,
                    state: e.state,
                }],
                site: e.site,
                doing: line,
                said: None,
                process: *process,
            });
        }
        self.fold_resources(e);
        let holder = match e.what {
            What::Blocked {
                on: BlockedOn::Resource(r),
            } => self.resources.get(r.0 as usize).and_then(|r| r.owner),
            _ => None,
        };
        if let Some(t) = self.threads.get_mut(e.tid.0 as usize) {
            if e.state != t.state || matches!(e.what, What::Wake) {
                if let Some(last) = t.spans.last_mut() {
                    last.to_ns = Some(e.at_ns);
                }
                if e.state.is_finished() {
                    // A finished thread's lane ends here.
                } else {
                    t.spans.push(Span {
                        from_ns: e.at_ns,
                        to_ns: None,
                        state: e.state,
                    });
                }
                t.state = e.state;
            }
            if e.site.is_some() {
                t.site = e.site;
            }
            if let What::Say { text } = &e.what {
                t.said = Some(text.clone());
            }
            if !matches!(e.what, What::Finished | What::DeadlockFound { .. }) {
                t.doing = line;
            }
        }
        let alarm = matches!(
            e.what,
            What::Set { stale: true, .. }
                | What::DeadlockFound { .. }
                | What::Raised { .. }
                | What::NotStarted { .. }
        );
        match &e.what {
            What::DeadlockFound { deadlock } => self.deadlock = Some(deadlock.clone()),
            What::Finished => self.finished = true,
            _ => {}
        }
        self.log.push(LogLine {
            at_ns: e.at_ns,
            tid: e.tid,
            what: e.what.clone(),
            holder,
            alarm,
        });
    }

    fn fold_resources(&mut self, e: &Event) {
        // An event loop's ready queue, by task name; the task it runs is its owner.
        let name_of = |t: Tid, threads: &[ThreadTrack]| {
            threads
                .get(t.0 as usize)
                .map_or_else(String::new, |t| t.name.clone())
        };
        match &e.what {
            What::TaskReady { rid, .. } => {
                let name = name_of(e.tid, &self.threads);
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    r.items.push(name);
                    r.puts += 1;
                }
                return;
            }
            What::Resume { rid, task, .. } => {
                let name = name_of(*task, &self.threads);
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    if let Some(at) = r.items.iter().position(|i| *i == name) {
                        r.items.remove(at);
                    }
                    r.owner = Some(*task);
                    r.takes += 1;
                }
                return;
            }
            What::LoopWaits { .. } | What::LoopSelects { .. } => {
                for r in &mut self.resources {
                    if r.kind == ResourceKind::EventLoop {
                        r.owner = None;
                    }
                }
                return;
            }
            _ => {}
        }
        match &e.what {
            What::ResourceNew {
                rid,
                name,
                kind,
                value,
            } => self
                .resources
                .push(ResourceTrack::new(*rid, name.clone(), *kind, value.clone())),
            What::Blocked {
                on: BlockedOn::Resource(r),
            } => {
                if let Some(r) = self.resources.get_mut(r.0 as usize)
                    && !r.waiters.contains(&e.tid)
                {
                    r.waiters.push(e.tid);
                }
            }
            What::Acquired { rid } => {
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    r.acquired(e.tid);
                    let held = r.held();
                    r.record(e, ChangeKind::Acquired, None, held);
                }
            }
            What::ReleasedFor { rid, holder } | What::Forgot { rid, holder } => {
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    r.released(*holder);
                    let held = r.held();
                    r.record(e, ChangeKind::Released, None, held);
                }
            }
            What::Released { rid } => {
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    r.released(e.tid);
                    let held = r.held();
                    r.record(e, ChangeKind::Released, None, held);
                }
            }
            What::Refused { rid, reason } => {
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    let size = r.items.len();
                    r.record(e, ChangeKind::Refused(reason.clone()), None, size);
                }
            }
            // A page server: the requests it serves now are its holders; `takes` counts the
            // answers, `peak` the most it served at once.
            What::Fetch { rid, path } => {
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    r.holders.push(e.tid);
                    let size = r.holders.len();
                    r.record(e, ChangeKind::Acquired, Some(path.clone()), size);
                }
            }
            What::Fetched { rid, path, .. } => {
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    r.peak = r.peak.max(r.holders.len());
                    r.released(e.tid);
                    r.takes += 1;
                    let size = r.holders.len();
                    r.record(e, ChangeKind::Released, Some(path.clone()), size);
                }
            }
            What::FetchRefused { rid, path } => {
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    r.released(e.tid);
                    r.refusals += 1;
                    let size = r.holders.len();
                    let why = ChangeKind::Refused("busy".into());
                    r.record(e, why, Some(path.clone()), size);
                }
            }
            What::Put {
                rid, item, index, ..
            } => {
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    r.waiters.retain(|&w| w != e.tid);
                    let at = (*index).min(r.items.len());
                    r.items.insert(at, item.clone());
                    r.peak = r.peak.max(r.items.len());
                    r.puts += 1;
                    if matches!(r.kind, ResourceKind::Queue { joinable: true, .. }) {
                        r.unfinished += 1;
                    }
                    let size = r.items.len();
                    r.record(e, ChangeKind::Put, Some(item.clone()), size);
                }
            }
            What::Took {
                rid, index, item, ..
            } => {
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    r.waiters.retain(|&w| w != e.tid);
                    if *index < r.items.len() {
                        r.items.remove(*index);
                    }
                    r.takes += 1;
                    let size = r.items.len();
                    r.record(e, ChangeKind::Took, Some(item.clone()), size);
                }
            }
            What::TaskDone { rid, unfinished } => {
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    r.unfinished = *unfinished;
                }
            }
            What::TimedOut { on: rid } | What::AllDone { rid } => {
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    r.waiters.retain(|&w| w != e.tid);
                }
            }
            What::FlagSet { rid } => {
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    r.value = Some("set".into());
                    r.waiters.clear();
                }
            }
            What::FlagCleared { rid } => {
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    r.value = Some("clear".into());
                }
            }
            What::Get { rid, .. } => {
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    r.reads += 1;
                }
            }
            What::Set {
                rid, value, lost, ..
            } => {
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    r.writes += 1;
                    r.lost_updates = *lost;
                    r.value = Some(value.clone());
                }
            }
            What::Notify { rid, woken, .. } => {
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    r.notifies += 1;
                    if woken.is_empty() {
                        r.lost_notifies += 1;
                    }
                    r.waiters.retain(|t| !woken.contains(t));
                }
            }
            What::Notified { rid } | What::Pass { rid } | What::BrokenBarrier { rid } => {
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    r.waiters.retain(|&w| w != e.tid);
                }
            }
            What::Arrive {
                rid,
                index,
                parties,
            } if index + 1 == *parties => {
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    r.rounds += 1;
                }
            }
            What::Breaks { rid } | What::Abort { rid } => {
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    r.waiters.retain(|&w| w != e.tid);
                    r.value = Some("broken".into());
                }
            }
            What::Reset { rid } => {
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    r.value = None;
                }
            }
            What::Countdown { rid, .. } | What::Fires { rid } => {
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    let counting = matches!(e.what, What::Countdown { .. });
                    r.value = Some(if counting { "counting down" } else { "fired" }.into());
                }
            }
            What::CancelTimer { rid, in_time: true } | What::TimerCancelled { rid } => {
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    r.value = Some("cancelled".into());
                }
            }
            What::LocalSet { rid, value } => {
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    r.writes += 1;
                    match r.slots.binary_search_by_key(&e.tid, |(t, _)| *t) {
                        Ok(at) => r.slots[at].1 = value.clone(),
                        Err(at) => r.slots.insert(at, (e.tid, value.clone())),
                    }
                }
            }
            What::LocalGet { rid, .. } => {
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    r.reads += 1;
                }
            }
            What::Listen { rid, address } => {
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    r.value = Some(address.clone());
                }
            }
            What::Connected { rid } => {
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    r.acquired(e.tid);
                    let held = r.held();
                    r.record(e, ChangeKind::Acquired, None, held);
                }
            }
            What::AuthFailed { rid } => {
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    r.refusals += 1;
                    let held = r.held();
                    r.record(e, ChangeKind::Refused("wrong authkey".into()), None, held);
                }
            }
            What::Disconnected { rid } => {
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    r.released(e.tid);
                    let held = r.held();
                    r.record(e, ChangeKind::Released, None, held);
                }
            }
            What::Closed { rid } => {
                if let Some(r) = self.resources.get_mut(rid.0 as usize) {
                    r.closed = true;
                    r.holders.clear();
                }
            }
            What::Cancelled | What::CutOff | What::Raised { .. } => {
                for r in &mut self.resources {
                    r.waiters.retain(|&t| t != e.tid);
                    // A thread that ended is no server's client any more.
                    if r.kind == ResourceKind::Listener {
                        r.holders.retain(|&t| t != e.tid);
                    }
                }
            }
            _ => {}
        }
    }

    /// A log line in the learner's words, in `lang`: "T3 writes n = 99 (lost update: …)" /
    /// "T3 写入 n = 99（丢失更新：…）".
    pub fn text(&self, line: &LogLine, lang: Lang) -> String {
        let w = Words(lang);
        let who = self.thread_name(line.tid);
        let res = |r: &Rid| self.resource_name(*r);
        match &line.what {
            What::ThreadNew {
                name,
                parent,
                daemon,
                process,
            } if *process != Pid(0) && self.is_main_of(line.tid, *process) => {
                let _ = (parent, daemon);
                w.process_main(name)
            }
            What::ThreadNew {
                name,
                parent,
                daemon,
                ..
            } => match parent {
                Some(p) if *daemon => w.starts_daemon(self.thread_name(*p), name),
                Some(p) => w.starts_thread(self.thread_name(*p), name),
                None => w.starts(name),
            },
            What::ResourceNew {
                name, value, kind, ..
            } => match value {
                Some(v) if *kind == ResourceKind::Flag => w.creates_with(who, name, w.recorded(v)),
                Some(v) => w.creates_with(who, name, v),
                None => w.creates(who, name),
            },
            What::Start => w.runs(who),
            What::Sleep { ns } => w.sleeps(who, &fmt_ns(*ns)),
            What::Work { ns } => w.works(who, &fmt_ns(*ns)),
            What::Wake => w.wakes(who),
            What::Lock { rid } => w.asks_for(who, res(rid)),
            What::Blocked { on } => w.waits_for(who, &self.awaited(*on, line.holder, lang)),
            What::Acquired { rid } => w.holds(who, res(rid)),
            What::Released { rid } => w.releases(who, res(rid)),
            What::ReleasedFor { rid, holder } => {
                w.releases_for(who, res(rid), self.thread_name(*holder))
            }
            What::Added { rid, n } => w.adds_permits(who, res(rid), *n),
            What::Forgot { rid, holder } => {
                w.keeps_permit(who, res(rid), self.thread_name(*holder))
            }
            What::Get { rid, value } => w.reads(who, res(rid), value),
            What::Set {
                rid,
                value,
                stale: true,
                ..
            } => w.writes_stale(who, res(rid), value),
            What::Set { rid, value, .. } => w.writes(who, res(rid), value),
            What::Put { rid, item, len, .. } => w.puts(who, item, res(rid), *len),
            What::Took { rid, item, len, .. } => w.takes(who, item, res(rid), *len),
            What::Refused { rid, reason } => w.refused(who, res(rid), w.recorded(reason)),
            What::TimedOut { on } => w.gives_up(who, res(on)),
            What::TaskDone { rid, unfinished } => w.task_done(who, res(rid), *unfinished),
            What::WaitAll { rid } => w.waits_all(who, res(rid)),
            What::AllDone { rid } => w.all_done(who, res(rid)),
            What::FlagSet { rid } => w.sets(who, res(rid)),
            What::FlagCleared { rid } => w.clears(who, res(rid)),
            What::WaitFlag { rid } => w.asks_whether(who, res(rid)),
            What::Peek { rid, value } => w.looks_at(who, res(rid), w.recorded(value)),
            What::CondWait {
                rid,
                lock,
                timeout_ns,
            } => match timeout_ns {
                Some(ns) => w.cond_waits_at_most(who, res(rid), &fmt_ns(*ns), res(lock)),
                None => w.cond_waits(who, res(rid), res(lock)),
            },
            What::Notify { rid, asked, woken } => {
                let names: Vec<&str> = woken.iter().map(|&t| self.thread_name(t)).collect();
                let names = names.join(" ");
                match asked {
                    _ if woken.is_empty() => w.notify_lost(who, res(rid)),
                    None => w.notifies_all(who, res(rid), &names),
                    Some(1) => w.notifies(who, res(rid), &names),
                    Some(n) => w.notifies_up_to(who, res(rid), *n, &names),
                }
            }
            What::Notified { rid } => w.notified(who, res(rid)),
            What::Arrive {
                rid,
                index,
                parties,
            } => w.arrives(who, res(rid), index + 1, *parties),
            What::Pass { rid } => w.passes(who, res(rid)),
            What::Breaks { rid } => w.breaks(who, res(rid)),
            What::Abort { rid } => w.aborts(who, res(rid)),
            What::Reset { rid } => w.resets(who, res(rid)),
            What::BrokenBarrier { rid } => w.finds_broken(who, res(rid)),
            What::Countdown { rid, ns } => w.counts_down(res(rid), &fmt_ns(*ns)),
            What::Fires { rid } => w.fires(res(rid)),
            What::CancelTimer { rid, in_time: true } => w.cancels(who, res(rid)),
            What::CancelTimer { rid, .. } => w.cancels_late(who, res(rid)),
            What::TimerCancelled { rid } => w.was_cancelled(res(rid)),
            What::LocalSet { rid, value } => w.sets_own(who, res(rid), value),
            What::LocalGet {
                rid,
                value: Some(v),
            } => w.reads_own(who, res(rid), v),
            What::LocalGet { rid, .. } => w.reads_own_unset(who, res(rid)),
            What::Join { target } => w.joins(who, self.thread_name(*target)),
            What::Joined { target } => w.joined(who, self.thread_name(*target)),
            What::Say { text } => w.says(who, text),
            What::Fetch { rid, path } => w.fetches(who, path, res(rid)),
            What::Fetched {
                rid,
                path,
                bytes: 0,
            } => w.not_found(who, path, res(rid)),
            What::Fetched { path, bytes, .. } => w.fetched(who, path, *bytes),
            What::FetchRefused { rid, path } => w.fetch_refused(res(rid), who, path),
            What::TaskReady { queue, .. } => w.task_ready(who, *queue),
            What::Resume { task, queue, .. } => w.resumes(who, self.thread_name(*task), *queue),
            What::AwaitSleep { ns } => w.awaits_sleep(who, &fmt_ns(*ns)),
            What::AwaitTask { target } => w.awaits_task(who, self.thread_name(*target)),
            What::LoopWaits { ns } => w.loop_waits(who, &fmt_ns(*ns)),
            What::LoopSelects { sockets, ns: None } => w.loop_selects(who, *sockets),
            What::LoopSelects {
                sockets,
                ns: Some(ns),
            } => w.loop_selects_or_timer(who, *sockets, &fmt_ns(*ns)),
            What::Done => w.is_done(who),
            What::Cancelled => w.is_cancelled(who),
            What::CutOff if self.in_daemon_process(line.tid) => w.is_cut_off_with_parent(who),
            What::CutOff => w.is_cut_off(who),
            What::ProcessNew { name, daemon, .. } if *daemon => w.starts_daemon_process(who, name),
            What::ProcessNew { name, .. } => w.starts_process(who, name),
            What::ProcessExit { pid, code } => w.process_exits(self.process_name(*pid), *code),
            What::Terminate { pid } => w.terminates(who, self.process_name(*pid)),
            What::Listen { rid, address } => w.listens(who, res(rid), address),
            What::Connect { rid } => w.connects(who, res(rid)),
            What::Connected { rid } => w.connected(who, res(rid)),
            What::AuthFailed { rid } => w.auth_failed(who, res(rid)),
            What::Disconnected { rid } => w.disconnected(who, res(rid)),
            What::Closed { rid } => w.closed(res(rid)),
            What::JoinTimedOut { target } => w.join_gives_up(who, self.thread_name(*target)),
            What::IsAlive { target, alive } => {
                w.asks_alive(who, self.thread_name(*target), w.yes_no(*alive))
            }
            What::NotStarted { reason } => w.not_started(who, reason),
            What::Raised { message } => w.raised_with(who, message),
            What::DeadlockFound { deadlock } if deadlock.is_stuck() => {
                w.stuck_found(&deadlock.text(lang))
            }
            What::DeadlockFound { deadlock } => w.deadlock_found(&deadlock.text(lang)),
            What::Finished => w.all_finished().to_string(),
        }
    }

    /// How many threads are in each state now, in legend order: ("blocked", 3).
    pub fn state_counts(&self, lang: Lang) -> Vec<(&'static str, usize)> {
        let legend = [
            ThreadState::Ready,
            ThreadState::Running,
            ThreadState::Sleeping,
            ThreadState::Working,
            ThreadState::Blocked(BlockedOn::Thread(Tid(0))),
            ThreadState::Done,
            ThreadState::Cancelled,
            ThreadState::CutOff,
            ThreadState::Raised,
        ];
        legend
            .iter()
            .map(|s| {
                let n = self
                    .threads
                    .iter()
                    .filter(|t| t.state.same_kind(*s))
                    .count();
                (s.word(lang), n)
            })
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}

/// A duration in the most readable unit: "850 µs", "12.5 ms", "3.20 s".
pub fn fmt_ns(ns: u64) -> String {
    let ns = ns as f64;
    if ns < 1e6 {
        format!("{:.0} µs", ns / 1e3)
    } else if ns < 1e9 {
        let ms = ns / 1e6;
        if ms < 10.0 {
            format!("{ms:.2} ms")
        } else {
            format!("{ms:.1} ms")
        }
    } else {
        format!("{:.2} s", ns / 1e9)
    }
}
