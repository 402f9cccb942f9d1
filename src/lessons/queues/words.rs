//! The queues lesson's words: its panel, its outcome and its checks.

crate::catalog! {
    pub struct Words;

    // ---- the panel ----
    title: "Queue" | "队列";
    /// Before a run: the four behaviours, each beside its name.
    fifo_means: "first in, first out" | "先进先出";
    lifo_means: "last in, first out (a stack)" | "后进先出（栈）";
    priority: "priority" | "优先级";
    priority_means: "smallest first" | "最小的先出";
    bounded: "bounded" | "有界";
    bounded_means: "put waits when full, get when empty" | "满了 put 等，空了 get 等";
    enter_runs: "Enter runs the step's queue." | "按 Enter 运行这一步的队列。";
    /// The header: "q  FIFO queue · 3/3 (maxsize 3)  FULL".
    fifo_queue: "FIFO queue" | "FIFO 队列";
    lifo_queue: "LIFO queue" | "LIFO 队列";
    priority_queue: "priority queue" | "优先级队列";
    unbounded_size(n: usize) [s = if n == 1 { "" } else { "s" }]: "{n} item{s}, no limit" | "{n} 件，不限大小";
    bounded_size(n: usize, capacity: usize): "{n}/{capacity} (maxsize {capacity})" | "{n}/{capacity}（maxsize {capacity}）";
    is_full: "FULL" | "已满";
    is_empty: "EMPTY" | "已空";
    /// The slots between the ends items leave and enter by: "out ◀ [a][b][ ] ◀ in".
    out_end: "out ◀ " | "出 ◀ ";
    in_end: " ◀ in" | " ◀ 进";
    bottom_end: "bottom " | "底 ";
    top_end: " ◀▶ top: in+out" | " ◀▶ 顶：进出";
    no_items: "(empty)" | "（空）";
    /// What came out so far, and the latest put and take with who did them.
    came_out_so_far: "came out: " | "取出顺序：";
    last_in(item: &str): "in: {item}" | "放入：{item}";
    last_out(item: &str): "out: {item}" | "取出：{item}";
    /// Threads blocked on the queue, after their names.
    put_waiting: "put waits (full)" | "put 在等（已满）";
    get_waiting: "get waits (empty)" | "get 在等（空）";
    /// A non-blocking call the queue refused: "main: put_nowait → Full, at once".
    refused(who: &str, call: &str, error: &str): "{who}: {call} → {error}, at once" | "{who}: {call} → {error}，立即返回";
    /// The queue's rule, at the bottom.
    fifo_rule_now: "FIFO: the oldest leaves first" | "先进先出：最早的先出";
    bounded_rule_now: "put waits if full, get waits if empty" | "满了 put 等，空了 get 等";
    lifo_rule_now: "LIFO: the newest leaves first" | "后进先出：最新的先出";
    priority_rule_now: "priority: sorted, smallest out first" | "优先级：保持有序，最小的先出";

    // ---- the outcome ----
    came_out(order: String): "came out {order}" | "取出顺序 {order}";
    full_after(n: u64): "full after {n}" | "放 {n} 个后满";

    // ---- the checks ----
    fifo_rule: "FIFO: first in, first out" | "FIFO：先进先出";
    lifo_rule: "LIFO: last in, first out" | "LIFO：后进先出";
    priority_rule: "priority: smallest first" | "优先级：最小的先出";
    bounded_rule: "bounded: items leave in the order they went in" | "有界：先放进去的先出来";
    order_detail(got: String, want: String): "came out {got}, expected {want}" | "取出 {got}，应为 {want}";
    full: "maxsize puts make it full" | "放满 maxsize 个就满了";
    full_detail(n: u64, maxsize: u64): "full after {n} puts, maxsize {maxsize}" | "放了 {n} 个后满，maxsize 为 {maxsize}";
    put_nowait: "put_nowait on a full queue fails with Full" | "队列满时 put_nowait 以 Full 失败";
    put_nowait_detail(got: String): "put_nowait: {got}" | "put_nowait：{got}";
    get_nowait: "get_nowait on an empty queue fails with Empty" | "队列空时 get_nowait 以 Empty 失败";
    get_nowait_detail(got: String): "get_nowait: {got}" | "get_nowait：{got}";
    put_waits: "a put on a full queue waits" | "队列满时 put 会等待";
    put_waits_detail(n: usize): "{n} of 2 puts found the queue full" | "2 次 put 中有 {n} 次遇到队列已满";
    get_waits: "a get on an empty queue waits" | "队列空时 get 会等待";
    get_waits_detail(n: usize): "{n} of 2 gets found the queue empty" | "2 次 get 中有 {n} 次遇到队列为空";
    puts_in_order: "waiting puts go in in the order they came" | "等待的 put 按到来的顺序放进去";
    after_first(m: usize, got: String): "after the first {m}: {got}" | "前 {m} 个之后：{got}";
    gets_in_order: "waiting gets are served in the order they came" | "等待的 get 按到来的顺序拿到";
    getters_got(got: String): "getter-1, getter-2 got {got}" | "getter-1、getter-2 拿到 {got}";
}
