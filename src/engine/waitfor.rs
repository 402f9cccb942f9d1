//! The wait-for graph: thread → what it waits for → who holds that. A cycle is a deadlock.

use super::event::{Awaited, BlockedOn, ThreadState, Tid, WaitLink};
use super::sched::World;

/// Who `tid` waits for, if it is blocked on something a single thread can give.
fn waits_on(w: &World, tid: Tid) -> Option<Tid> {
    let slot = &w.threads[tid.0 as usize];
    if slot.timed {
        return None; // it gives up when its time runs out
    }
    match slot.state {
        ThreadState::Blocked(BlockedOn::Resource(r)) => w.resources[r.0 as usize].owner(),
        ThreadState::Blocked(BlockedOn::Thread(t)) => Some(t),
        _ => None,
    }
}

/// The cycle through `start`, if following "waits for the holder of" from it comes back to it.
pub(crate) fn cycle_from(w: &World, start: Tid) -> Option<Vec<WaitLink>> {
    let mut path = vec![start];
    let mut at = start;
    for _ in 0..w.threads.len() {
        let next = waits_on(w, at)?;
        if next == start {
            return Some(path.iter().map(|&t| link(w, t)).collect());
        }
        if path.contains(&next) {
            return None; // a cycle that does not pass through `start`
        }
        path.push(next);
        at = next;
    }
    None
}

/// What `tid` holds and waits for, in names.
pub(crate) fn link(w: &World, tid: Tid) -> WaitLink {
    let holds = w
        .resources
        .iter()
        .filter(|r| r.owner() == Some(tid))
        .map(|r| r.name.clone())
        .collect();
    let awaited = match w.threads[tid.0 as usize].state {
        ThreadState::Blocked(BlockedOn::Resource(r)) => {
            Awaited::Resource(w.resources[r.0 as usize].name.clone())
        }
        ThreadState::Blocked(BlockedOn::Thread(t)) => {
            Awaited::Thread(w.threads[t.0 as usize].name.clone())
        }
        other => Awaited::State(other),
    };
    WaitLink::new(w.threads[tid.0 as usize].name.clone(), holds, awaited)
}

/// Every blocked thread, as links.
pub(crate) fn blocked_links(w: &World) -> Vec<WaitLink> {
    (0..w.threads.len())
        .map(|i| Tid(i as u32))
        .filter(|&t| matches!(w.threads[t.0 as usize].state, ThreadState::Blocked(_)))
        .map(|t| link(w, t))
        .collect()
}
