//! The run's threads, with what the virtual scheduler asks of them at every step kept at hand:
//! who is ready (in thread order, so the n-th ready thread is found without a scan) and who
//! waits for the clock (by wake-up time). Without them every scheduling decision looked at every
//! thread, and a run of 8000 threads took 90 times as long as one of 1000.
//!
//! Every change to a slot goes through `&mut` access here (`threads[i]`, `get_mut`, `push`),
//! which marks the slot; the marks are looked at before the next question, so the answers are
//! always those a scan over every slot would give, in the same order.

use super::sched::Slot;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::ops::{Deref, Index, IndexMut};

#[derive(Default)]
pub(crate) struct Threads {
    slots: Vec<Slot>,
    /// Slots touched since the last question, each once.
    dirty: Vec<u32>,
    is_dirty: Vec<bool>,
    /// Whether each slot was ready when last looked at, and a Fenwick tree of the same.
    in_ready: Vec<bool>,
    tree: Vec<u32>,
    /// (wake-up time, slot) of threads that waited for the clock when last looked at; an
    /// entry whose slot has moved on since is dropped when it comes up.
    sleepers: BinaryHeap<Reverse<(u64, u32)>>,
}

impl Threads {
    pub fn push(&mut self, slot: Slot) {
        let i = self.slots.len();
        self.slots.push(slot);
        self.is_dirty.push(false);
        self.in_ready.push(false);
        if self.tree.len() < self.slots.len() + 1 {
            self.grow();
        }
        self.mark(i);
    }

    pub fn get_mut(&mut self, i: usize) -> Option<&mut Slot> {
        if i < self.slots.len() {
            self.mark(i);
        }
        self.slots.get_mut(i)
    }

    fn mark(&mut self, i: usize) {
        if !self.is_dirty[i] {
            self.is_dirty[i] = true;
            self.dirty.push(i as u32);
        }
    }

    /// Bring the ready set and the sleepers up to date with the slots.
    fn flush(&mut self) {
        while let Some(i) = self.dirty.pop() {
            let i = i as usize;
            self.is_dirty[i] = false;
            let s = &self.slots[i];
            let (ready, sleeps, at) = (s.can_be_picked(), s.waits_for_clock(), s.wake_at);
            if ready != self.in_ready[i] {
                self.in_ready[i] = ready;
                self.add(i, ready);
            }
            if sleeps {
                self.sleepers.push(Reverse((at, i as u32)));
            }
        }
    }

    /// How many threads are ready.
    pub fn ready_len(&mut self) -> usize {
        self.flush();
        self.prefix(self.slots.len()) as usize
    }

    /// The `k`-th ready thread (from 0), in thread order.
    pub fn ready_nth(&mut self, k: usize) -> Option<usize> {
        self.flush();
        let mut k = k as u32 + 1;
        if k > self.prefix(self.slots.len()) {
            return None;
        }
        // The smallest position whose prefix sum reaches k.
        let mut pos = 0;
        let mut step = (self.tree.len() - 1).next_power_of_two();
        while step > 0 {
            let next = pos + step;
            if next < self.tree.len() && self.tree[next] < k {
                pos = next;
                k -= self.tree[next];
            }
            step /= 2;
        }
        Some(pos) // 1-based position pos + 1 is slot pos
    }

    pub fn is_ready(&mut self, i: usize) -> bool {
        self.flush();
        self.in_ready.get(i).copied().unwrap_or(false)
    }

    /// The earliest time a thread waiting for the clock wakes up.
    pub fn next_wake(&mut self) -> Option<u64> {
        self.flush();
        while let Some(&Reverse((at, i))) = self.sleepers.peek() {
            if self.still_sleeps(at, i) {
                return Some(at);
            }
            self.sleepers.pop();
        }
        None
    }

    /// Every thread waiting for the clock that wakes by `at`, in thread order.
    pub fn due(&mut self, at: u64) -> Vec<usize> {
        self.flush();
        let mut due = Vec::new();
        while let Some(&Reverse((when, i))) = self.sleepers.peek() {
            if when > at {
                break;
            }
            self.sleepers.pop();
            if self.still_sleeps(when, i) {
                due.push(i as usize);
            }
        }
        due.sort_unstable();
        due.dedup();
        due
    }

    fn still_sleeps(&self, at: u64, i: u32) -> bool {
        let s = &self.slots[i as usize];
        s.waits_for_clock() && s.wake_at == at
    }

    fn grow(&mut self) {
        let n = (self.slots.len() + 1).next_power_of_two().max(64);
        self.tree = vec![0; n + 1];
        for i in 0..self.slots.len() {
            if self.in_ready[i] {
                self.add(i, true);
            }
        }
    }

    fn add(&mut self, i: usize, plus: bool) {
        let mut p = i + 1;
        while p < self.tree.len() {
            if plus {
                self.tree[p] += 1;
            } else {
                self.tree[p] -= 1;
            }
            p += p & p.wrapping_neg();
        }
    }

    /// Ready threads among the first `n` slots.
    fn prefix(&self, n: usize) -> u32 {
        let mut p = n.min(self.tree.len().saturating_sub(1));
        let mut sum = 0;
        while p > 0 {
            sum += self.tree[p];
            p -= p & p.wrapping_neg();
        }
        sum
    }
}

impl<'a> IntoIterator for &'a Threads {
    type Item = &'a Slot;
    type IntoIter = std::slice::Iter<'a, Slot>;
    fn into_iter(self) -> Self::IntoIter {
        self.slots.iter()
    }
}

impl Deref for Threads {
    type Target = [Slot];
    fn deref(&self) -> &[Slot] {
        &self.slots
    }
}

impl Index<usize> for Threads {
    type Output = Slot;
    fn index(&self, i: usize) -> &Slot {
        &self.slots[i]
    }
}

impl IndexMut<usize> for Threads {
    fn index_mut(&mut self, i: usize) -> &mut Slot {
        self.mark(i);
        &mut self.slots[i]
    }
}
