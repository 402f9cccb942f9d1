//! The deadlock lesson's words: its outcome and its checks (its panel's are in `panel.rs`).

crate::catalog! {
    pub struct Words;

    finished(n: usize): "{n} finished" | "{n} 个完成";
    deadlocked: "deadlocked" | "死锁";
    crossed: "two threads each hold one lock and wait for the other" | "两个线程各持一把锁，又在等对方那把";
    itself: "T1 holds A and waits for A" | "T1 持有 A，又在等 A";
    every_finishes: "every thread finishes" | "每个线程都完成";
    finished_of(done: usize, of: u64): "{done} of {of} finished" | "{of} 个中完成了 {done} 个";
}
