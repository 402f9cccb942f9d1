//! The pools lesson's words: its panel, its outcome and its checks.

crate::catalog! {
    pub struct Words;

    // ---- the panel ----
    title: "The pool: workers, tasks, values" | "池：工人、任务、结果";
    before_run: "Run a variant: each worker's row shows the task it runs, the queue what still waits." | "运行一个版本：每个工人一行，显示它正在做的任务；队列显示还在等的任务。";
    /// A worker's row: what it does now.
    runs(task: &str): "▶ {task}" | "▶ {task}";
    idle: "idle: waits for a task" | "空闲：等任务";
    gone: "gone" | "已退出";
    finished(n: usize): "{n} done" | "完成 {n} 个";
    more_workers(n: usize): "… and {n} more workers" | "……还有 {n} 个工人";
    queue_head(n: usize): "tasks waiting ({n}):" | "排队的任务（{n}）：";
    values_head(n: usize): "values in ({n}), newest first:" | "交回的结果（{n}），新的在前：";
    callbacks_head(n: usize): "callbacks ({n}):" | "回调（{n}）：";
    found_set: "found: set, the others stop at their next check" | "found：已设置，其他工人下次检查时就停";
    found_clear: "found: not yet" | "found：还没有";

    // ---- the outcome ----
    done_of(done: u64, tasks: u64): "{done} of {tasks} done" | "完成 {done}/{tasks}";
    in_order: "values in input order" | "结果按输入顺序";
    out_of_order: "values out of order" | "结果顺序错乱";
    parsed(n: u64, on_results: u64): "{n} parsed, {on_results} on the result thread" | "解析了 {n} 页，{on_results} 次在结果线程上";
    found_after(password: i64, tried: u64, space: u64): "found {password} after {tried} of {space} guesses" | "猜了 {tried}/{space} 次找到 {password}";
    not_found(tried: u64): "not found in {tried} guesses" | "猜了 {tried} 次没找到";
    pages(n: u64): "{n} pages" | "{n} 页";
    refused(n: u64): "refused {n}×" | "被拒 {n} 次";
    threads_took(s: &str): "threads {s}" | "线程 {s}";
    processes_took(s: &str): "processes {s}" | "进程 {s}";

    // ---- the checks ----
    every_task_done: "every task ran" | "每个任务都跑完了";
    values_in_order: "the values come in the order the tasks were given, whoever finished first" | "结果按提交任务的顺序返回，不管谁先完成";
    not_ready_at_once: "map_async's handle is not ready the moment it comes back" | "map_async 返回的句柄一开始还没就绪";
    ready_was(ready: &str): "ready() at once: {ready}" | "一开始 ready()：{ready}";
    every_page_parsed: "every page is parsed, each on the pool's result thread" | "每一页都被解析，而且都在池的结果线程上";
    finds_the_secret: "the cracker finds the password, if it is in the chunks" | "只要密码在这些块里，破解器就能找到";
    stops_early: "it stops early: not every guess is tried" | "提前停下：不是每个猜测都试过";
    tried_of(tried: u64, space: u64): "{tried} of {space} guesses tried" | "试了 {tried}/{space} 个";
    every_page_fetched: "the crawler gets every page of the site, refused or not" | "不管被拒几次，爬虫拿到了站点的每一页";
    same_primes: "both pools count the same primes" | "两个池数出的素数一样多";
    primes(threads: u64, processes: u64): "threads {threads}, processes {processes}" | "线程 {threads}，进程 {processes}";
}
