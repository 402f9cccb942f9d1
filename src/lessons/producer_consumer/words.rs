//! The producer-consumer lesson's words: its panel, its outcome and its checks.

crate::catalog! {
    pub struct Words;

    // ---- the panel ----
    title: "Buffer" | "缓冲区";
    /// Before a run: what the panel will show.
    shows_fill: "▁▃▅█ the buffer's fill over time" | "▁▃▅█ 缓冲区存量随时间变化";
    shows_counts: "made, taken, and taken per second" | "做了多少、取走多少、每秒取走几个";
    shows_shares: "each thread: busy █ or waiting ▒" | "每个线程：忙 █ 还是等 ▒";
    enter_runs: "Enter runs the step's variant." | "按 Enter 运行这一步的版本。";
    /// The fill: "buffer  3/5 now · peak 5 · capacity 5" (compact: "buffer 3/5 ▁▂▄█ peak 5").
    now(size: &str): "{size} now" | "当前 {size}";
    peak(n: usize): "peak {n}" | "峰值 {n}";
    capacity(n: usize): "capacity {n}" | "容量 {n}";
    no_limit: "no limit" | "不限容量";
    /// The counts: "made 17 · taken 12 · 0.80/s (lesson time)"; the rate counts items taken
    /// off the buffer per second of the lesson's clock (a live run's real time ÷ its scale).
    made_taken(made: usize, taken: usize): "made {made} · taken {taken}" | "做了 {made} · 取走 {taken}";
    rate(rate: f64): "{rate:.2}/s (lesson time)" | "{rate:.2} 个/秒（课程时间）";
    rate_short(rate: f64): "{rate:.2}/s" | "{rate:.2}/秒";
    /// The legend over the cooks' and eaters' bars.
    busy: "busy: making/eating" | "忙：做或吃";
    waiting: "waiting on the buffer" | "在缓冲区上等";
    more(n: usize): "+{n} more" | "另有 {n} 个未显示";

    // ---- the outcome ----
    eaten_of(eaten: usize, made: u64): "{eaten}/{made} eaten" | "吃掉 {eaten}/{made}";
    twice(n: usize): "{n} eaten twice" | "{n} 个被吃了两次";
    fullest(n: usize): "buffer ≤ {n}" | "缓冲区 ≤ {n}";
    stuck(n: usize) [s = if n == 1 { "" } else { "s" }]: "{n} eater{s} stuck" | "{n} 个食客卡住";

    // ---- the checks ----
    all_made: "every cook made all its items" | "每个厨师都做完了自己的份";
    made_by(made: u64, cooks: u64, each: u64) [s = if cooks == 1 { "" } else { "s" }]: "{made} made by {cooks} cook{s} of {each}" | "{cooks} 个厨师各做 {each} 个，共做了 {made} 个";
    once_each: "every item is eaten exactly once" | "每样食物都恰好被吃一次";
    eaten_detail(eaten: usize, made: u64, twice: usize): "{eaten} eaten of {made} made, {twice} eaten twice" | "做了 {made} 个，吃了 {eaten} 个，{twice} 个被吃了两次";
    within_capacity: "the buffer never holds more than its capacity" | "缓冲区里的东西从不超过容量";
    seen_unbounded(n: usize): "at most {n} seen (no limit)" | "最多见到 {n} 个（不限容量）";
    seen_of(n: usize, capacity: u64): "at most {n} seen, capacity {capacity}" | "最多见到 {n} 个，容量 {capacity}";
    nobody_waits: "no eater is left waiting" | "没有食客被晾在那里干等";
    left_waiting(n: usize) [s = if n == 1 { "" } else { "s" }]: "{n} eater{s} left waiting" | "{n} 个食客被晾着干等";
    one_stuck: "exactly one eater waits forever on the buffer" | "恰好一个食客永远等在缓冲区上";
    stuck_detail(n: usize, names: String, markers: u64, eaters: u64) [s = if markers == 1 { "" } else { "s" }]: "{n} stuck ({names}), {markers} marker{s} for {eaters} eaters" | "{n} 个卡住（{names}），{eaters} 个食客只有 {markers} 个结束标记";
    not_a_cycle: "it is stuck, not a cycle: nobody holds what it waits for" | "这是卡住，不是环：它等的东西没人拿着";
    main_waits: "main waits for the stuck eater to finish" | "main 在等那个卡住的食客结束";
    main_waits_for(what: String): "main waits for {what}" | "main 在等 {what}";
}
