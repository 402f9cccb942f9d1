//! A run written in the Chrome trace event format, the JSON that Perfetto (ui.perfetto.dev)
//! and chrome://tracing open: a process per process of the run, a track per thread, slices for
//! sleeping, working and blocked on a resource, the time each lock is held (its own track
//! beside the thread's), an instant for every read and write, and an arrow from each release
//! to the acquire it lets happen. Names are in English: the file is data, like `run`'s JSON.
//!
//! Small by design: past [`MAX_EVENTS`] trace events the file stops and says so, in
//! `otherData.note` and in an instant at the cut.

use crate::engine::event::BlockedOn;
use crate::engine::trace::Trace;
use crate::engine::{Event, Pid, ResourceKind, Rid, ThreadState, Tid, What};
use serde_json::{Value, json};
use std::collections::HashMap;

/// The most trace events a file holds; a run with more is cut off there, with a note.
pub const MAX_EVENTS: usize = 50_000;

/// One run to write: its label (the variant) and every event it sent.
pub struct TracedRun<'a> {
    pub label: &'a str,
    pub events: &'a [Event],
}

/// What was written: the JSON, and how many of the run's trace events were left out.
pub struct Written {
    pub json: String,
    pub events: usize,
    pub left_out: usize,
}

/// Chrome's process and thread numbers: each run's processes after the previous run's.
fn pid_of(run: usize, pid: Pid) -> u64 {
    run as u64 * 1000 + pid.0 as u64 + 1
}

fn us(ns: u64) -> f64 {
    ns as f64 / 1000.0
}

/// The runs as one Chrome trace, at most `cap` trace events.
pub fn write(runs: &[TracedRun], cap: usize) -> Written {
    let mut out = Out {
        events: Vec::new(),
        cap,
        left_out: 0,
    };
    let mut flow_id = 0u64;
    let mut hold_id = 0u64;
    for (ri, run) in runs.iter().enumerate() {
        let t = Trace::from_events(run.events);
        let process_of = |tid: Tid| {
            t.threads
                .get(tid.0 as usize)
                .map_or(Pid(0), |th| th.process)
        };
        // Names first: a track per process and per thread, in the run's order.
        let mut pids = vec![Pid(0)];
        pids.extend(t.processes.iter().map(|p| p.pid));
        for pid in pids {
            let name = match pid {
                Pid(0) => format!("{}: main process", run.label),
                p => format!("{}: process {}", run.label, t.process_name(p)),
            };
            out.meta(pid_of(ri, pid), None, "process_name", &name);
        }
        for th in &t.threads {
            let pid = pid_of(ri, th.process);
            out.meta(pid, Some(th.tid), "thread_name", &th.name);
            out.push(json!({"ph": "M", "name": "thread_sort_index", "pid": pid,
                "tid": th.tid.0, "args": {"sort_index": th.tid.0}}));
        }
        // The states worth a slice: sleeping, working, blocked on something.
        for th in &t.threads {
            for s in &th.spans {
                let name = match s.state {
                    ThreadState::Sleeping => "sleeping".to_string(),
                    ThreadState::Working => "working".to_string(),
                    ThreadState::Blocked(BlockedOn::Resource(r)) => {
                        format!("blocked on {}", t.resource_name(r))
                    }
                    ThreadState::Blocked(BlockedOn::Thread(o)) => {
                        format!("waits for {} to finish", t.thread_name(o))
                    }
                    _ => continue,
                };
                let to = s.to_ns.unwrap_or(t.now_ns).max(s.from_ns);
                out.push(json!({"ph": "X", "name": name, "cat": "state",
                    "pid": pid_of(ri, th.process), "tid": th.tid.0,
                    "ts": us(s.from_ns), "dur": us(to - s.from_ns)}));
            }
        }
        // Holding, reads and writes, and release → acquire arrows, in the run's order.
        let kinds: HashMap<Rid, ResourceKind> =
            t.resources.iter().map(|r| (r.rid, r.kind)).collect();
        let lockish = |rid: &Rid| {
            matches!(
                kinds.get(rid),
                Some(
                    ResourceKind::Mutex
                        | ResourceKind::ReentrantMutex
                        | ResourceKind::Semaphore { .. }
                        | ResourceKind::FileLock
                )
            )
        };
        // (thread, resource) → (times held, hold id)
        let mut held: HashMap<(Tid, Rid), (u32, u64)> = HashMap::new();
        // A release waiting for the acquire it enables: resource → flow id.
        let mut released: HashMap<Rid, u64> = HashMap::new();
        for e in run.events {
            let pid = pid_of(ri, process_of(e.tid));
            let tid = e.tid.0;
            let ts = us(e.at_ns);
            match &e.what {
                What::Acquired { rid } if lockish(rid) => {
                    let name = t.resource_name(*rid).to_string();
                    out.push(json!({"ph": "X", "name": format!("acquires {name}"),
                        "cat": "lock", "pid": pid, "tid": tid, "ts": ts, "dur": 0}));
                    if let Some(id) = released.remove(rid) {
                        out.push(
                            json!({"ph": "f", "bp": "e", "name": name, "cat": "handover",
                            "id": id, "pid": pid, "tid": tid, "ts": ts}),
                        );
                    }
                    let entry = held.entry((e.tid, *rid)).or_insert((0, 0));
                    if entry.0 == 0 {
                        hold_id += 1;
                        entry.1 = hold_id;
                        out.push(json!({"ph": "b", "name": format!("holding {name}"),
                            "cat": "holding", "id": hold_id, "pid": pid, "tid": tid,
                            "ts": ts}));
                    }
                    entry.0 += 1;
                }
                What::Released { rid } | What::ReleasedFor { rid, .. } if lockish(rid) => {
                    let holder = match &e.what {
                        What::ReleasedFor { holder, .. } => *holder,
                        _ => e.tid,
                    };
                    let name = t.resource_name(*rid).to_string();
                    out.push(json!({"ph": "X", "name": format!("releases {name}"),
                        "cat": "lock", "pid": pid, "tid": tid, "ts": ts, "dur": 0}));
                    flow_id += 1;
                    released.insert(*rid, flow_id);
                    out.push(json!({"ph": "s", "name": name, "cat": "handover",
                        "id": flow_id, "pid": pid, "tid": tid, "ts": ts}));
                    if let Some(entry) = held.get_mut(&(holder, *rid)) {
                        entry.0 = entry.0.saturating_sub(1);
                        if entry.0 == 0 {
                            let hpid = pid_of(ri, process_of(holder));
                            out.push(json!({"ph": "e", "name": format!("holding {name}"),
                                "cat": "holding", "id": entry.1, "pid": hpid,
                                "tid": holder.0, "ts": ts}));
                        }
                    }
                }
                What::Get { rid, value } => {
                    let name = t.resource_name(*rid);
                    out.push(json!({"ph": "i", "s": "t", "cat": "read",
                        "name": format!("reads {name} = {value}"), "pid": pid, "tid": tid,
                        "ts": ts, "args": {"variable": name, "value": value}}));
                }
                What::Set {
                    rid,
                    value,
                    stale,
                    lost,
                } => {
                    let name = t.resource_name(*rid);
                    let text = match stale {
                        true => format!("writes {name} = {value} (lost update)"),
                        false => format!("writes {name} = {value}"),
                    };
                    out.push(json!({"ph": "i", "s": "t", "cat": "write", "name": text,
                        "pid": pid, "tid": tid, "ts": ts,
                        "args": {"variable": name, "value": value, "stale": stale,
                                 "lost_updates": lost}}));
                }
                What::DeadlockFound { deadlock } => {
                    out.push(json!({"ph": "i", "s": "g", "cat": "deadlock",
                        "name": deadlock.to_string(), "pid": pid, "tid": tid, "ts": ts}));
                }
                _ => {}
            }
        }
        // Holds still open at the end (a deadlock, a cancel) end with the run.
        let mut open: Vec<_> = held.into_iter().filter(|(_, (n, _))| *n > 0).collect();
        open.sort_by_key(|(_, (_, id))| *id);
        for ((holder, rid), (_, id)) in open {
            out.push(
                json!({"ph": "e", "name": format!("holding {}", t.resource_name(rid)),
                "cat": "holding", "id": id, "pid": pid_of(ri, process_of(holder)),
                "tid": holder.0, "ts": us(t.now_ns)}),
            );
        }
    }
    let total = out.events.len() + out.left_out;
    let mut other =
        json!({"made_by": "lockstep", "runs": runs.iter().map(|r| r.label).collect::<Vec<_>>()});
    if out.left_out > 0 {
        let note = format!(
            "cut off: the first {} of {total} trace events (a file is kept small; run fewer \
             threads to see it all)",
            out.events.len()
        );
        let last_ts = out
            .events
            .iter()
            .filter_map(|e| e.get("ts").and_then(Value::as_f64))
            .fold(0.0, f64::max);
        out.events.push(
            json!({"ph": "i", "s": "g", "name": note, "pid": 1, "tid": 0,
            "ts": last_ts}),
        );
        other["note"] = Value::String(note);
    }
    let doc = json!({
        "traceEvents": out.events,
        "displayTimeUnit": "ns",
        "otherData": other,
    });
    Written {
        events: total - out.left_out,
        left_out: out.left_out,
        json: format!("{}\n", serde_json::to_string(&doc).expect("plain data")),
    }
}

struct Out {
    events: Vec<Value>,
    cap: usize,
    left_out: usize,
}

impl Out {
    fn push(&mut self, v: Value) {
        if self.events.len() < self.cap {
            self.events.push(v);
        } else {
            self.left_out += 1;
        }
    }

    fn meta(&mut self, pid: u64, tid: Option<Tid>, what: &str, name: &str) {
        // Names are never cut off: a file without them is unreadable.
        let mut v = json!({"ph": "M", "name": what, "pid": pid, "args": {"name": name}});
        if let Some(t) = tid {
            v["tid"] = json!(t.0);
        }
        self.events.push(v);
    }
}

/// Write `text` to `path`: a new file, or (with `force`) over the one there, never half.
pub fn save(path: &std::path::Path, text: &str, force: bool) -> Result<(), String> {
    let shown = path.display();
    let written = if force {
        crate::files::replace(path, text.as_bytes())
    } else {
        crate::files::create_new(path, text.as_bytes())
    };
    written.map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => {
            format!("the trace {shown} exists: give --force to replace it, or another name")
        }
        _ => format!("cannot write {shown}: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Config, Mode};
    use crate::lessons;
    use crate::params::Params;

    fn events(lesson: &str, variant: &str, threads: u32) -> Vec<Event> {
        let code = lessons::find(lesson).unwrap();
        let text = crate::content::load(None)
            .unwrap()
            .into_iter()
            .find(|l| l.id == lesson)
            .unwrap();
        let mut p = Params::defaults(&text.id, &text.params);
        p.set("threads", threads as f64).unwrap();
        let cfg = Config {
            mode: Mode::Virtual,
            scale: 1.0,
            seed: 3,
        };
        crate::runner::replay_variant(code, variant, &p, cfg, Vec::new()).events
    }

    fn parse(w: &Written) -> Vec<Value> {
        let doc: Value = serde_json::from_str(&w.json).unwrap();
        assert_eq!(doc["displayTimeUnit"], "ns");
        doc["traceEvents"].as_array().unwrap().clone()
    }

    fn named<'a>(evs: &'a [Value], ph: &str, name: &str) -> Vec<&'a Value> {
        evs.iter()
            .filter(|e| e["ph"] == ph && e["name"].as_str().unwrap_or("").starts_with(name))
            .collect()
    }

    #[test]
    fn a_lock_run_has_tracks_slices_reads_writes_and_arrows() {
        let evs = events("lock-vs-join", "lock", 3);
        let w = write(
            &[TracedRun {
                label: "lock",
                events: &evs,
            }],
            MAX_EVENTS,
        );
        assert_eq!(w.left_out, 0);
        let all = parse(&w);
        // Every event has the fields its phase needs.
        for e in &all {
            let ph = e["ph"].as_str().unwrap();
            assert!(e["pid"].is_u64(), "{e}");
            assert!(e["name"].is_string(), "{e}");
            match ph {
                "M" => assert!(e["args"]["name"].is_string() || e["args"]["sort_index"].is_u64()),
                "X" => assert!(e["ts"].is_f64() || e["ts"].is_u64(), "{e}"),
                "i" | "b" | "e" | "s" | "f" => assert!(e["ts"].as_f64().is_some(), "{e}"),
                other => panic!("unexpected phase {other}"),
            }
            if ph != "M" || e["name"] == "thread_name" {
                assert!(e["tid"].is_u64(), "{e}");
            }
        }
        let threads: Vec<&str> = named(&all, "M", "thread_name")
            .iter()
            .map(|e| e["args"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(threads, ["main", "T1", "T2", "T3"]);
        assert_eq!(named(&all, "M", "process_name").len(), 1);
        // 3 threads: 3 reads (and main's at the end), 3 writes, 3 holds, each opened and
        // closed.
        assert_eq!(named(&all, "i", "reads n").len(), 4);
        assert_eq!(named(&all, "i", "writes n").len(), 3);
        assert_eq!(named(&all, "b", "holding lock").len(), 3);
        assert_eq!(named(&all, "e", "holding lock").len(), 3);
        // Two threads waited for the lock, each handed it by a release: arrows from a
        // release to the acquire it let happen, with matching ids.
        assert_eq!(named(&all, "X", "blocked on lock").len(), 2);
        let starts = named(&all, "s", "lock");
        let ends = named(&all, "f", "lock");
        assert_eq!(starts.len(), 3);
        assert_eq!(ends.len(), 2);
        for f in ends {
            let s = starts.iter().find(|s| s["id"] == f["id"]).unwrap();
            assert!(s["ts"].as_f64() <= f["ts"].as_f64());
            assert_ne!(s["tid"], f["tid"]);
        }
        // Every thread sleeps twice (work, then the critical section).
        assert_eq!(named(&all, "X", "sleeping").len(), 6);
    }

    #[test]
    fn a_deadlock_leaves_its_holds_open_to_the_end_and_is_marked() {
        let evs = events("deadlock", "two-locks", 2);
        let w = write(
            &[TracedRun {
                label: "two-locks",
                events: &evs,
            }],
            MAX_EVENTS,
        );
        let all = parse(&w);
        assert_eq!(named(&all, "i", "deadlock:").len(), 1);
        let b = named(&all, "b", "holding").len();
        assert_eq!(b, named(&all, "e", "holding").len());
    }

    #[test]
    fn past_the_cap_the_file_stops_and_says_so() {
        let evs = events("lock-vs-join", "lock", 20);
        let w = write(
            &[TracedRun {
                label: "lock",
                events: &evs,
            }],
            40,
        );
        assert!(w.left_out > 0);
        let doc: Value = serde_json::from_str(&w.json).unwrap();
        let note = doc["otherData"]["note"].as_str().unwrap();
        assert!(note.starts_with("cut off: the first"), "{note}");
        let all = doc["traceEvents"].as_array().unwrap();
        // The names (21 threads, a process) are always there, plus the cap and the note.
        assert!(all.len() <= 40 + 2 * 21 + 1 + 1, "{}", all.len());
        assert_eq!(all.last().unwrap()["name"].as_str().unwrap(), note);
    }

    #[test]
    fn two_runs_get_processes_of_their_own() {
        let a = events("lock-vs-join", "no-lock", 2);
        let b = events("lock-vs-join", "lock", 2);
        let w = write(
            &[
                TracedRun {
                    label: "no-lock",
                    events: &a,
                },
                TracedRun {
                    label: "lock",
                    events: &b,
                },
            ],
            MAX_EVENTS,
        );
        let all = parse(&w);
        let procs: Vec<(u64, &str)> = named(&all, "M", "process_name")
            .iter()
            .map(|e| {
                (
                    e["pid"].as_u64().unwrap(),
                    e["args"]["name"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            procs,
            [(1, "no-lock: main process"), (1001, "lock: main process")]
        );
    }

    #[test]
    fn saving_never_replaces_a_file_unless_asked() {
        let dir = std::env::temp_dir().join(format!("lockstep-trace-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("t.json");
        save(&f, "one", false).unwrap();
        let e = save(&f, "two", false).unwrap_err();
        assert!(e.contains("exists: give --force"), "{e}");
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "one");
        save(&f, "two", true).unwrap();
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "two");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
