//! Fold a run's events into what the panels show: each thread's state over time, each
//! resource's owner, waiters and value, and a readable log. Pure data: no terminal here.

use super::event::{BlockedOn, Deadlock, Event, ResourceKind, Rid, Site, ThreadState, Tid, What};

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
    /// What its latest operation was, in words.
    pub doing: String,
    /// The latest line it printed (`say`).
    pub said: Option<String>,
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
    /// A variable's value, or a flag's ("set" / "clear").
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
            history: Vec::new(),
        }
    }

    /// Holders now: a semaphore's count, or 1 for a held lock.
    fn held(&self) -> usize {
        match self.kind {
            ResourceKind::Semaphore { .. } => self.holders.len(),
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
            ResourceKind::Semaphore { .. } => {
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
            ResourceKind::Semaphore { .. } => {
                if let Some(at) = self.holders.iter().position(|&h| h == t) {
                    self.holders.remove(at);
                }
            }
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

/// One line of the log, in words.
#[derive(Clone, Debug, PartialEq)]
pub struct LogLine {
    pub at_ns: u64,
    pub tid: Tid,
    pub text: String,
    /// Worth a colour: a lost update, a deadlock, a panic.
    pub alarm: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trace {
    pub threads: Vec<ThreadTrack>,
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

    /// What a blocked thread waits for, in words.
    pub fn blocked_on(&self, on: BlockedOn) -> String {
        match on {
            BlockedOn::Resource(r) => {
                let name = self.resource_name(r);
                match self.resources.get(r.0 as usize).and_then(|r| r.owner) {
                    Some(o) => format!("{name} (held by {})", self.thread_name(o)),
                    None => name.to_string(),
                }
            }
            BlockedOn::Thread(t) => format!("{} to finish", self.thread_name(t)),
        }
    }

    pub fn apply(&mut self, e: &Event) {
        self.events += 1;
        self.now_ns = self.now_ns.max(e.at_ns);
        if let What::ThreadNew { name, parent, .. } = &e.what {
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
                doing: "created".into(),
                said: None,
            });
        }
        self.fold_resources(e);
        let text = self.describe(e);
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
                t.doing = text.clone();
            }
        }
        let alarm = matches!(
            e.what,
            What::Set { stale: true, .. } | What::DeadlockFound { .. } | What::Panicked { .. }
        );
        match &e.what {
            What::DeadlockFound { deadlock } => self.deadlock = Some(deadlock.clone()),
            What::Finished => self.finished = true,
            _ => {}
        }
        self.log.push(LogLine {
            at_ns: e.at_ns,
            tid: e.tid,
            text,
            alarm,
        });
    }

    fn fold_resources(&mut self, e: &Event) {
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
            What::Cancelled | What::Panicked { .. } => {
                for r in &mut self.resources {
                    r.waiters.retain(|&t| t != e.tid);
                }
            }
            _ => {}
        }
    }

    /// An event in the learner's words, e.g. "T3 writes n = 99 (lost update)".
    pub fn describe(&self, e: &Event) -> String {
        let who = self.thread_name(e.tid);
        let res = |r: &Rid| self.resource_name(*r);
        match &e.what {
            What::ThreadNew {
                name,
                parent,
                daemon,
            } => match parent {
                Some(p) if *daemon => {
                    format!("{} starts daemon thread {name}", self.thread_name(*p))
                }
                Some(p) => format!("{} starts thread {name}", self.thread_name(*p)),
                None => format!("{name} starts"),
            },
            What::ResourceNew { name, value, .. } => match value {
                Some(v) => format!("{who} creates {name} = {v}"),
                None => format!("{who} creates {name}"),
            },
            What::Start => format!("{who} runs"),
            What::Sleep { ns } => format!("{who} sleeps {}", fmt_ns(*ns)),
            What::Work { ns } => format!("{who} works {}", fmt_ns(*ns)),
            What::Wake => format!("{who} wakes"),
            What::Lock { rid } => format!("{who} asks for {}", res(rid)),
            What::Blocked { on } => format!("{who} waits for {}", self.blocked_on(*on)),
            What::Acquired { rid } => format!("{who} holds {}", res(rid)),
            What::Released { rid } => format!("{who} releases {}", res(rid)),
            What::Get { rid, value } => format!("{who} reads {} = {value}", res(rid)),
            What::Set {
                rid, value, stale, ..
            } => {
                let mut s = format!("{who} writes {} = {value}", res(rid));
                if *stale {
                    s.push_str(" (lost update: overwrites a newer value)");
                }
                s
            }
            What::Put { rid, item, len, .. } => {
                format!("{who} puts {item} into {} ({len} in it)", res(rid))
            }
            What::Took { rid, item, len, .. } => {
                format!("{who} takes {item} from {} ({len} left)", res(rid))
            }
            What::Refused { rid, reason } => {
                format!("{who} finds {} {reason}: would have to wait", res(rid))
            }
            What::TimedOut { on } => format!("{who} gives up waiting for {}", res(on)),
            What::TaskDone { rid, unfinished } => {
                format!(
                    "{who} marks an item of {} done ({unfinished} unfinished)",
                    res(rid)
                )
            }
            What::WaitAll { rid } => {
                format!("{who} waits until every item of {} is done", res(rid))
            }
            What::AllDone { rid } => format!("{who}: every item of {} is done", res(rid)),
            What::FlagSet { rid } => format!("{who} sets {}", res(rid)),
            What::FlagCleared { rid } => format!("{who} clears {}", res(rid)),
            What::WaitFlag { rid } => format!("{who} asks whether {} is set", res(rid)),
            What::Peek { rid, value } => format!("{who} looks at {}: {value}", res(rid)),
            What::Join { target } => format!("{who} joins {}", self.thread_name(*target)),
            What::Joined { target } => {
                format!(
                    "{who} joined {} (it has finished)",
                    self.thread_name(*target)
                )
            }
            What::Say { text } => format!("{who}: {text}"),
            What::Done => format!("{who} is done"),
            What::Cancelled => format!("{who} cancelled"),
            What::Panicked { message } => format!("{who} panicked: {message}"),
            What::DeadlockFound { deadlock } => format!("DEADLOCK found. {deadlock}"),
            What::Finished => "every thread has finished".to_string(),
        }
    }

    /// How many threads are in each state now, in legend order.
    pub fn state_counts(&self) -> Vec<(&'static str, usize)> {
        let words = [
            "ready",
            "running",
            "sleeping",
            "working",
            "blocked",
            "done",
            "cancelled",
            "panicked",
        ];
        words
            .iter()
            .map(|w| {
                let n = self.threads.iter().filter(|t| t.state.word() == *w).count();
                (*w, n)
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
