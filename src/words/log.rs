//! The runtime's words: every line of a run's log, the thread states, the resource kinds and
//! queue orders, what a blocked thread waits for, and deadlocks.
//!
//! The English is what `lockstep run --log`, its JSON and the tests compare byte for byte, and
//! what a replayed schedule is checked against: change it only on purpose.

use crate::engine::{QueueOrder, ResourceKind, ThreadState};

crate::catalog! {
    /// The runtime's words.
    pub struct Words;

    // ---- thread states, in the legend's order ----
    ready: "ready" | "就绪";
    running: "running" | "运行";
    sleeping: "sleeping" | "睡眠";
    working: "working" | "工作";
    blocked: "blocked" | "阻塞";
    done: "done" | "完成";
    cancelled: "cancelled" | "取消";
    cut_off: "cut off" | "随程序结束";
    raised: "raised" | "抛出异常";

    // ---- resources ----
    mutex: "mutex" | "互斥锁";
    reentrant_mutex: "reentrant mutex" | "可重入锁";
    file_lock: "file lock" | "文件锁";
    file: "file" | "文件";
    gil: "global interpreter lock" | "全局解释器锁";
    listener: "server" | "服务器";
    /// A server that stopped listening.
    listener_closed: "closed" | "已关闭";
    /// A server in the resources panel: how many clients are connected, and refused.
    clients(n: usize): "{n} connected" | "{n} 个已连接";
    turned_away(n: u64): "{n} refused" | "拒绝 {n} 个";
    event_loop: "event loop" | "事件循环";
    semaphore: "semaphore" | "信号量";
    queue: "queue" | "队列";
    flag: "flag" | "事件标志";
    variable: "variable" | "变量";
    condition: "condition" | "条件变量";
    barrier: "barrier" | "屏障";
    timer: "timer" | "定时器";
    thread_local: "thread-local" | "线程局部变量";
    page_server: "page server" | "网页服务器";
    /// A page server in the resources panel: its latency; what it serves now, of its limit.
    server_is(latency: &str): "page server, {latency} a page" | "网页服务器，每页 {latency}";
    serving(n: usize, limit: u32): "serving {n}/{limit}" | "正在服务 {n}/{limit}";
    served(n: u64): "answered {n}" | "已回答 {n}";
    refusals(n: u64): "refused {n}" | "拒绝 {n}";
    fifo: "FIFO" | "先进先出";
    lifo: "LIFO" | "后进先出";
    priority: "priority" | "优先级";
    /// A semaphore in the resources panel: holders now of permits.
    semaphore_held(held: usize, permits: u32): "semaphore {held}/{permits}" | "信号量 {held}/{permits}";
    /// A queue in the resources panel: "FIFO queue, 2/5".
    queue_size(order: &str, size: &str): "{order} queue, {size}" | "{order}队列，{size}";
    /// A joinable queue's items not yet marked done.
    unfinished(n: usize): "unfinished {n}" | "未完成 {n}";
    /// A flag's value, which the runtime records as "set" or "clear".
    flag_set: "set" | "已设置";
    flag_clear: "clear" | "未设置";
    /// Why a non-blocking call was refused, which the runtime records as "full" or "empty".
    full: "full" | "已满";
    empty: "empty" | "为空";
    /// A lock another thread holds (a non-blocking acquire was refused), as the runtime
    /// records it; and a lock's state when looked at.
    held: "held" | "被占用";
    locked: "locked" | "已锁";
    unlocked: "unlocked" | "未锁";
    /// A semaphore with no permit left (a non-blocking acquire was refused).
    no_permit: "without a free permit" | "没有空闲许可";
    /// A condition in the resources panel: the lock its waiters release.
    condition_on(lock: &str): "condition on {lock}" | "条件变量，配 {lock}";
    /// How many times a condition was notified, and how many of those found nobody waiting.
    notified_times(n: u64): "notified {n}×" | "已通知 {n} 次";
    notifies_lost(n: u64): "{n} lost" | "丢失 {n} 次";
    /// A barrier in the resources panel: threads waiting at it of its parties.
    barrier_at(waiting: usize, parties: u32): "barrier {waiting}/{parties}" | "屏障 {waiting}/{parties}";
    /// How many times a barrier let its parties through.
    barrier_rounds(n: u64): "opened {n}×" | "放行 {n} 次";
    /// A timer in the resources panel, with its interval.
    timer_of(time: &str): "timer {time}" | "定时器 {time}";
    /// A barrier's state, which the runtime records as "broken" or "intact".
    broken: "broken" | "已破损";
    intact: "intact" | "完好";
    /// A timer's state, which the runtime records as "counting down", "fired" or "cancelled".
    counting_down: "counting down" | "倒计时中";
    fired: "fired" | "已触发";
    timer_cancelled: "cancelled" | "已取消";

    // ---- the log: one line per event ----
    starts_daemon(parent: &str, name: &str): "{parent} starts daemon thread {name}" | "{parent} 启动守护线程 {name}";
    starts_thread(parent: &str, name: &str): "{parent} starts thread {name}" | "{parent} 启动线程 {name}";
    starts(name: &str): "{name} starts" | "{name} 启动";
    /// A child process (Python: `Process(...).start()`) and its main thread.
    starts_process(who: &str, name: &str): "{who} starts process {name}" | "{who} 启动进程 {name}";
    starts_daemon_process(who: &str, name: &str): "{who} starts daemon process {name}" | "{who} 启动守护进程 {name}";
    process_main(name: &str): "process {name}: its main thread" | "进程 {name}：它的主线程";
    process_exits(name: &str, code: i32): "process {name} ends, exit code {code}" | "进程 {name} 结束，退出码 {code}";
    terminates(who: &str, name: &str): "{who} terminates process {name}" | "{who} 终止进程 {name}";
    listens(who: &str, res: &str, address: &str): "{who} serves {res} at {address}" | "{who} 在 {address} 上开启 {res}";
    connects(who: &str, res: &str): "{who} connects to {res} and answers its challenge" | "{who} 连接 {res}，回答它的挑战";
    connected(who: &str, res: &str): "{res} accepts {who}: the authkey is right" | "{res} 接受 {who}：authkey 正确";
    auth_failed(who: &str, res: &str): "{res} refuses {who}: digest received was wrong" | "{res} 拒绝 {who}：收到的摘要不对";
    disconnected(who: &str, res: &str): "{who} is no longer connected to {res}" | "{who} 与 {res} 断开连接";
    closed(res: &str): "{res} stops listening: its port is closed" | "{res} 停止监听：端口已关闭";
    creates_with(who: &str, name: &str, value: &str): "{who} creates {name} = {value}" | "{who} 创建 {name} = {value}";
    creates(who: &str, name: &str): "{who} creates {name}" | "{who} 创建 {name}";
    runs(who: &str): "{who} runs" | "{who} 开始运行";
    sleeps(who: &str, time: &str): "{who} sleeps {time}" | "{who} 睡眠 {time}";
    works(who: &str, time: &str): "{who} works {time}" | "{who} 工作 {time}";
    wakes(who: &str): "{who} wakes" | "{who} 醒来";
    asks_for(who: &str, res: &str): "{who} asks for {res}" | "{who} 请求 {res}";
    waits_for(who: &str, what: &str): "{who} waits for {what}" | "{who} 等待 {what}";
    holds(who: &str, res: &str): "{who} holds {res}" | "{who} 拿到 {res}";
    releases(who: &str, res: &str): "{who} releases {res}" | "{who} 释放 {res}";
    /// A semaphore permit another thread took, given back.
    releases_for(who: &str, res: &str, holder: &str): "{who} releases {res} for {holder}" | "{who} 替 {holder} 释放 {res}";
    /// Python's `sem.release(n)` with no acquire before it.
    adds_permits(who: &str, res: &str, n: u32) [s = if n == 1 { "" } else { "s" }]:
        "{who} releases {res}: +{n} permit{s}" | "{who} 释放 {res}：多出 {n} 个许可";
    /// A permit kept for good (`forget`).
    keeps_permit(who: &str, res: &str, holder: &str): "{who} keeps {holder}'s permit of {res} for good" | "{who} 永久留下 {holder} 的 {res} 许可";
    reads(who: &str, res: &str, value: &str): "{who} reads {res} = {value}" | "{who} 读到 {res} = {value}";
    writes(who: &str, res: &str, value: &str): "{who} writes {res} = {value}" | "{who} 写入 {res} = {value}";
    /// A write computed from a stale read: it erases someone else's update.
    writes_stale(who: &str, res: &str, value: &str):
        "{who} writes {res} = {value} (lost update: overwrites a newer value)"
        | "{who} 写入 {res} = {value}（丢失更新：覆盖了一个更新的值）";
    puts(who: &str, item: &str, res: &str, len: usize): "{who} puts {item} into {res} ({len} in it)" | "{who} 把 {item} 放进 {res}（里面有 {len} 个）";
    takes(who: &str, item: &str, res: &str, len: usize): "{who} takes {item} from {res} ({len} left)" | "{who} 从 {res} 取出 {item}（剩 {len} 个）";
    refused(who: &str, res: &str, reason: &str): "{who} finds {res} {reason}: would have to wait" | "{who} 发现 {res} {reason}：只能等待";
    gives_up(who: &str, res: &str): "{who} gives up waiting for {res}" | "{who} 不再等待 {res}";
    task_done(who: &str, res: &str, unfinished: usize):
        "{who} marks an item of {res} done ({unfinished} unfinished)"
        | "{who} 把 {res} 的一项标为完成（还有 {unfinished} 项未完成）";
    waits_all(who: &str, res: &str): "{who} waits until every item of {res} is done" | "{who} 等待 {res} 的每一项都完成";
    all_done(who: &str, res: &str): "{who}: every item of {res} is done" | "{who}：{res} 的每一项都已完成";
    sets(who: &str, res: &str): "{who} sets {res}" | "{who} 设置 {res}";
    clears(who: &str, res: &str): "{who} clears {res}" | "{who} 清除 {res}";
    asks_whether(who: &str, res: &str): "{who} asks whether {res} is set" | "{who} 查看 {res} 是否已设置";
    looks_at(who: &str, res: &str, value: &str): "{who} looks at {res}: {value}" | "{who} 查看 {res}：{value}";
    cond_waits(who: &str, res: &str, lock: &str): "{who} waits on {res}, releasing {lock}" | "{who} 在 {res} 上等待，先释放 {lock}";
    cond_waits_at_most(who: &str, res: &str, time: &str, lock: &str):
        "{who} waits on {res} for at most {time}, releasing {lock}"
        | "{who} 在 {res} 上最多等待 {time}，先释放 {lock}";
    /// `woken`: the names of the threads woken, in the order they waited.
    notifies(who: &str, res: &str, woken: &str): "{who} notifies {res}: wakes {woken}" | "{who} 通知 {res}：唤醒 {woken}";
    notifies_up_to(who: &str, res: &str, n: usize, woken: &str):
        "{who} notifies {res} (up to {n}): wakes {woken}"
        | "{who} 通知 {res}（最多 {n} 个）：唤醒 {woken}";
    notifies_all(who: &str, res: &str, woken: &str): "{who} notifies all on {res}: wakes {woken}" | "{who} 通知 {res} 上的所有线程：唤醒 {woken}";
    /// A notify with nobody waiting.
    notify_lost(who: &str, res: &str): "{who} notifies {res}: nobody waits, the notify is lost" | "{who} 通知 {res}：没有线程在等，这次通知丢失了";
    notified(who: &str, res: &str): "{who} is woken by a notify on {res}" | "{who} 被 {res} 上的通知唤醒";
    /// `n` of `parties` are there now.
    arrives(who: &str, res: &str, n: usize, parties: usize): "{who} arrives at {res} ({n}/{parties})" | "{who} 到达 {res}（{n}/{parties}）";
    passes(who: &str, res: &str): "{who} passes {res}" | "{who} 通过 {res}";
    breaks(who: &str, res: &str):
        "{who} breaks {res}: everyone waiting at it gets BrokenBarrierError"
        | "{who} 打破了 {res}：在它那里等待的线程都得到 BrokenBarrierError";
    aborts(who: &str, res: &str): "{who} aborts {res}: it is broken" | "{who} 中止 {res}：它破损了";
    resets(who: &str, res: &str): "{who} resets {res}" | "{who} 重置 {res}";
    finds_broken(who: &str, res: &str): "{who} finds {res} broken (BrokenBarrierError)" | "{who} 发现 {res} 已破损（BrokenBarrierError）";
    /// A timer's thread (named as the timer) begins to wait its interval.
    counts_down(res: &str, time: &str): "{res} counts down {time}, then fires" | "{res} 倒计时 {time}，然后触发";
    fires(res: &str): "{res} fires: it calls its function" | "{res} 触发：调用它的函数";
    cancels(who: &str, res: &str): "{who} cancels {res}" | "{who} 取消 {res}";
    cancels_late(who: &str, res: &str): "{who} cancels {res}, too late: it has fired" | "{who} 取消 {res}，但太晚了：它已经触发";
    was_cancelled(res: &str): "{res} was cancelled: it does not fire" | "{res} 已被取消：不会触发";
    sets_own(who: &str, res: &str, value: &str): "{who} sets its own {res} = {value}" | "{who} 设置自己的 {res} = {value}";
    reads_own(who: &str, res: &str, value: &str): "{who} reads its own {res} = {value}" | "{who} 读自己的 {res} = {value}";
    /// Python raises AttributeError here.
    reads_own_unset(who: &str, res: &str): "{who} reads its own {res}: not set" | "{who} 读自己的 {res}：还没有设置";
    joins(who: &str, target: &str): "{who} joins {target}" | "{who} 对 {target} 调用 join";
    joined(who: &str, target: &str): "{who} joined {target} (it has finished)" | "{who} 的 join 返回了：{target} 已结束";
    says(who: &str, text: &str): "{who}: {text}" | "{who}：{text}";
    /// A request to a page server, its answer, a missing page, and a refusal (HTTP 503).
    fetches(who: &str, path: &str, server: &str): "{who} requests {path} from {server}" | "{who} 向 {server} 请求 {path}";
    fetched(who: &str, path: &str, bytes: usize): "{who} gets {path} ({bytes} bytes)" | "{who} 收到 {path}（{bytes} 字节）";
    not_found(who: &str, path: &str, server: &str): "{who} gets no {path}: {server} has no such page" | "{who} 没拿到 {path}：{server} 没有这一页";
    fetch_refused(server: &str, who: &str, path: &str): "{server} refuses {who}'s request for {path}: too busy" | "{server} 拒绝了 {who} 对 {path} 的请求：太忙了";
    /// An event loop's task joins the ready queue; the loop resumes one; a task awaits.
    task_ready(who: &str, queue: usize): "{who} is ready ({queue} in the loop's queue)" | "{who} 就绪（循环队列里有 {queue} 个）";
    resumes(who: &str, task: &str, queue: usize): "{who} resumes {task} ({queue} still ready)" | "{who} 恢复运行 {task}（还有 {queue} 个就绪）";
    awaits_sleep(who: &str, time: &str): "{who} awaits sleep {time}: the others may run" | "{who} await 睡眠 {time}：其他任务可以运行";
    awaits_task(who: &str, target: &str): "{who} awaits {target}" | "{who} await {target}";
    loop_waits(who: &str, time: &str): "{who} has nothing ready: waits {time} for the next timer" | "{who} 没有就绪的任务：等 {time} 到下一个定时器";
    loop_selects(who: &str, n: usize): "{who} has nothing ready: waits on {n} sockets" | "{who} 没有就绪的任务：等 {n} 个套接字";
    loop_selects_or_timer(who: &str, n: usize, time: &str): "{who} has nothing ready: waits on {n} sockets, or {time} for the next timer" | "{who} 没有就绪的任务：等 {n} 个套接字，或 {time} 到下一个定时器";
    /// An event loop in the resources panel: its ready queue and the task it runs.
    loop_ready(names: &str): "ready: {names}" | "就绪：{names}";
    loop_runs(task: &str): "runs {task}" | "正在运行 {task}";
    is_done(who: &str): "{who} is done" | "{who} 完成了";
    is_cancelled(who: &str): "{who} cancelled" | "{who} 被取消";
    /// A daemon thread stopped because every non-daemon thread has finished.
    is_cut_off(who: &str): "{who} is cut off: the program is over" | "{who} 随程序结束而停止";
    /// A thread of a daemon process, terminated as the code that started the process ended.
    is_cut_off_with_parent(who: &str): "{who} is cut off: the code that started it is over" | "{who} 随启动它的代码结束而停止";
    /// A join with a time limit gave up (Python: `t.join(timeout)`).
    join_gives_up(who: &str, target: &str): "{who} stops waiting for {target}: it is still going" | "{who} 不再等 {target}：它还在运行";
    asks_alive(who: &str, target: &str, answer: &str): "{who} asks whether {target} is alive: {answer}" | "{who} 查看 {target} 是否还活着：{answer}";
    yes: "yes" | "是";
    no: "no" | "否";
    /// The system refused the thread an OS thread: the run ends.
    not_started(who: &str, reason: &str): "the system refused to start {who}: {reason}" | "系统拒绝启动 {who}：{reason}";
    raised_with(who: &str, message: &str): "{who} raised: {message}" | "{who} 抛出异常：{message}";
    deadlock_found(what: &str): "DEADLOCK found. {what}" | "发现死锁。{what}";
    /// Threads nothing alive will wake, without a cycle.
    stuck_found(what: &str): "STUCK: nothing left can wake them. {what}" | "卡死：再也没有线程能唤醒它们。{what}";
    all_finished: "every thread has finished" | "所有线程都已结束";

    // ---- what a blocked thread waits for ----
    held_by(res: &str, holder: &str): "{res} (held by {holder})" | "{res}（{holder} 持有）";
    to_finish(thread: &str): "{thread} to finish" | "{thread} 结束";

    // ---- deadlocks: "deadlock: T1 holds B and waits for A; T2 holds A and waits for B" ----
    link_waits(thread: &str, what: &str): "{thread} waits for {what}" | "{thread} 等待 {what}";
    link_holds(thread: &str, holds: &str, what: &str): "{thread} holds {holds} and waits for {what}" | "{thread} 持有 {holds}，等待 {what}";
    /// Between the links of a deadlock.
    link_sep: "; " | "；";
    /// A cycle: each thread waits for what the next one holds.
    deadlock(links: &str): "deadlock: {links}" | "死锁：{links}";
    /// Blocked threads that nothing alive will wake, without a cycle.
    stuck(links: &str): "stuck: {links}" | "卡住：{links}";
}

impl Words {
    pub fn yes_no(self, yes: bool) -> &'static str {
        if yes { self.yes() } else { self.no() }
    }

    /// A thread state's word: "blocked" / "阻塞".
    pub fn state(self, s: ThreadState) -> &'static str {
        match s {
            ThreadState::Ready => self.ready(),
            ThreadState::Running => self.running(),
            ThreadState::Sleeping => self.sleeping(),
            ThreadState::Working => self.working(),
            ThreadState::Blocked(_) => self.blocked(),
            ThreadState::Done => self.done(),
            ThreadState::Cancelled => self.cancelled(),
            ThreadState::CutOff => self.cut_off(),
            ThreadState::Raised => self.raised(),
        }
    }

    /// What a learner calls a kind of resource: "mutex" / "互斥锁".
    pub fn kind(self, k: ResourceKind) -> &'static str {
        match k {
            ResourceKind::Mutex => self.mutex(),
            ResourceKind::ReentrantMutex => self.reentrant_mutex(),
            ResourceKind::Semaphore { .. } => self.semaphore(),
            ResourceKind::Queue { .. } => self.queue(),
            ResourceKind::Flag => self.flag(),
            ResourceKind::Variable => self.variable(),
            ResourceKind::FileLock => self.file_lock(),
            ResourceKind::File => self.file(),
            ResourceKind::Gil => self.gil(),
            ResourceKind::Listener => self.listener(),
            ResourceKind::EventLoop => self.event_loop(),
            ResourceKind::Condition { .. } => self.condition(),
            ResourceKind::Barrier { .. } => self.barrier(),
            ResourceKind::Timer { .. } => self.timer(),
            ResourceKind::ThreadLocal => self.thread_local(),
            ResourceKind::PageServer { .. } => self.page_server(),
        }
    }

    /// A queue's order: "FIFO" / "先进先出".
    pub fn order(self, o: QueueOrder) -> &'static str {
        match o {
            QueueOrder::Fifo => self.fifo(),
            QueueOrder::Lifo => self.lifo(),
            QueueOrder::Priority => self.priority(),
        }
    }

    /// A flag's value ("set", "clear"), a refused call's reason ("full", "empty"), a
    /// barrier's state ("broken", "intact") or a timer's ("counting down", "fired",
    /// "cancelled") as the runtime records it, in words; anything else as it is.
    pub fn recorded(self, v: &str) -> &str {
        match v {
            "set" => self.flag_set(),
            "clear" => self.flag_clear(),
            "full" => self.full(),
            "empty" => self.empty(),
            "held" => self.held(),
            "locked" => self.locked(),
            "unlocked" => self.unlocked(),
            "no permit" => self.no_permit(),
            "broken" => self.broken(),
            "intact" => self.intact(),
            "counting down" => self.counting_down(),
            "fired" => self.fired(),
            "cancelled" => self.timer_cancelled(),
            other => other,
        }
    }
}
