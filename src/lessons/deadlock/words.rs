//! The deadlock lesson's words: its panel, its outcome and its checks.

crate::catalog! {
    pub struct Words;

    // ---- the panel ----
    /// The panel's title, and the mark beside it once a deadlock is found.
    title: "Locks and who waits for whom" | "锁与等待关系";
    deadlock_mark: "DEADLOCK" | "死锁";
    nothing_yet: "Run a variant: its locks, their holders and waiters, and who waits for whom appear here." | "运行一个版本：这里会显示每把锁、它的持有者和等待者，以及谁在等谁。";
    /// The locks: "A  held by T1 ×2 (sleeping) · waiting 3: T2 T3 T4".
    locks: "locks" | "锁";
    reentrant: "reentrant" | "可重入";
    held_by(holder: &str): "held by {holder}" | "持有者 {holder}";
    free: "free" | "空闲";
    taken(n: u64): "taken {n}×" | "被拿过 {n} 次";
    waiting: "waiting " | "在等：";
    waiting_n(n: usize): "waiting {n}: " | "{n} 个在等：";
    /// What a holder is doing: "T2 ─B─▶ T1 (sleeping)".
    sleeping: " (sleeping)" | "（睡眠）";
    working: " (working)" | "（工作）";
    blocked: " (blocked)" | "（阻塞）";
    /// The wait-for graph.
    graph: "wait-for graph (thread ─lock─▶ its holder)" | "等待图（线程 ─锁─▶ 持有者）";
    graph_short: "wait-for graph" | "等待图";
    none_waits: "nobody waits" | "没有人在等";
    all_finished: "all threads finished: no cycle formed" | "所有线程都完成了：从没形成环";
    cycle: "CYCLE: nobody in it can ever move" | "成环：环上谁也动不了";
    /// After a cycle of one: "T1 ─A─▶ T1 (itself)".
    to_itself: " (itself)" | "（自己等自己）";
    stuck_behind: "stuck behind it" | "堵在后面";
    /// A thread waiting for another to finish: "main ─join─▶ T1".
    join: "join" | "join";

    // ---- the outcome ----
    finished(n: usize): "{n} finished" | "{n} 个完成";
    deadlocked: "deadlocked" | "死锁";

    // ---- the checks ----
    crossed: "two threads each hold one lock and wait for the other" | "两个线程各持一把锁，又在等对方那把";
    itself: "T1 holds A and waits for A" | "T1 持有 A，又在等 A";
    every_finishes: "every thread finishes" | "每个线程都完成";
    finished_of(done: usize, of: u64): "{done} of {of} finished" | "{of} 个中完成了 {done} 个";
}
