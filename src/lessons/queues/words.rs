//! The queues lesson's words: its outcome and its checks (its panel's are in `panel.rs`).

crate::catalog! {
    pub struct Words;

    came_out(order: String): "came out {order}" | "取出顺序 {order}";
    full_after(n: u64): "full after {n}" | "放 {n} 个后满";
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
