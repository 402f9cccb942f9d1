//! The master-worker lesson's words: its panel, its outcome and its checks.

crate::catalog! {
    pub struct Words;

    // ---- the panel ----
    title: "Master, queues and workers" | "主进程、队列与工作进程";
    /// Before a run.
    before: "Run it: the master, its two served queues and each worker appear here." | "运行它：主进程、它开放的两个队列和每个工作进程会显示在这里。";
    /// The master's line: its address, and whether it still listens.
    listening: "listening" | "监听中";
    closed: "closed" | "已关闭";
    /// A queue's line: how many items, then the numbers in it.
    queue_len(n: usize): "{n} in it" | "{n} 个";
    /// A worker's line.
    connected: "connected" | "已连接";
    not_yet: "not connected yet" | "尚未连接";
    refused: "refused: wrong authkey" | "被拒绝：authkey 不对";
    holds(n: &str): "holds {n}" | "手上 {n}";
    waits: "waits for a task" | "等任务";
    gone(code: i32): "ended, exit code {code}" | "已结束，退出码 {code}";
    terminated(n: &str): "terminated holding {n}" | "带着 {n} 被终止";
    squared(n: usize): "{n} squared" | "算了 {n} 个";
    /// The bottom line.
    collected(got: usize, of: u64): "collected {got}/{of}" | "收到 {got}/{of}";
    put_back(n: usize): "put back {n}" | "放回 {n} 个";

    // ---- the outcome ----
    all_squares(n: usize): "{n} squares" | "{n} 个平方";
    impostor_refused: "impostor refused" | "冒名者被拒";
    requeued(n: usize): "{n} put back" | "放回 {n} 个";

    // ---- the checks ----
    every_square(n: u64): "the master collects a square for each of the {n} tasks" | "主进程为 {n} 个任务各收到一个平方";
    got(n: usize): "{n} collected" | "收到 {n} 个";
    right_squares: "every square is right: n * n" | "每个平方都对：n * n";
    wrong(n: usize): "{n} wrong" | "错了 {n} 个";
    none_wrong: "none wrong" | "全对";
    loopback: "the server listens on 127.0.0.1 only" | "服务器只监听 127.0.0.1";
    address_was(a: &str): "at {a}" | "地址 {a}";
    impostor_is_refused: "the impostor's guessed authkey is refused, and it takes no task" | "冒名者猜的 authkey 被拒，它拿不到任务";
    impostor_said(said: &str): "it printed: {said}" | "它打印了：{said}";
    task_not_lost: "worker-1 is terminated mid-task, and its task is put back, not lost" | "worker-1 在任务中途被终止，它的任务被放回，没有丢";
    killed_detail(put_back: usize, worker: &str): "put back {put_back}; worker-1: {worker}" | "放回 {put_back} 个；worker-1：{worker}";
    nothing: "nothing" | "什么也没有";
    was_terminated: "terminated" | "被终止";
}
