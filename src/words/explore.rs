//! The words of the outcome explorer (`lockstep explore`, and `e` in a lesson) and of trace
//! files (`T`).

crate::catalog! {
    /// The explorer's words.
    pub struct Words;

    heading(lesson: &str, variant: &str, params: &str): "Every way {lesson} {variant} can end ({params})" | "{lesson} {variant} 的所有结局（{params}）";
    exhaustive_reduced(n: usize, runs: usize): "exhaustive: {n} schedules, orders of independent steps counted once ({runs} runs)" | "穷举：{n} 种调度，独立步骤的不同次序只算一次（共运行 {runs} 次）";
    exhaustive_all(n: usize): "exhaustive: all {n} schedules" | "穷举：全部 {n} 种调度";
    sampled(n: usize, seed: u64): "sampled, not exhaustive: {n} random schedules (seed {seed}); there are too many to run them all" | "抽样，并非穷举：{n} 种随机调度（种子 {seed}）；调度太多，无法全部运行";
    timed_out(n: usize, secs: f64): "sampled, not exhaustive: stopped after {secs:.1} s with {n} schedules counted" | "抽样，并非穷举：{secs:.1} 秒后停止，已统计 {n} 种调度";
    shortest(n: usize, names: &str): "shortest: {n} choices: {names}" | "最短：{n} 步选择：{names}";
    steps(n: usize, names: &str): "{n}: {names}" | "{n}：{names}";
    took(runs: usize, secs: f64): "{runs} runs in {secs:.2} s" | "{runs} 次运行，用时 {secs:.2} 秒";
    raised(ending: &str, what: &str): "{ending} (raised: {what})" | "{ending}（抛出异常：{what}）";
    col_schedules: "schedules" | "调度数";
    col_ending: "ending" | "结局";
    col_shortest: "shortest schedule (choices: threads)" | "最短调度（选择数：线程）";

    // ---- in the app ----
    title(variant: &str): "Every ending of {variant}" | "{variant} 的所有结局";
    exploring(runs: usize, counted: usize): "exploring… {runs} runs, {counted} schedules counted · Esc stops" | "探索中…… 已运行 {runs} 次，统计 {counted} 种调度 · Esc 停止";
    pick_hint: "↑/↓ choose an ending · Enter steps through its shortest schedule (U: its next choice, u: back one) · W saves it · e/Esc close" | "↑/↓ 选择结局 · Enter 单步查看其最短调度（U：下一步选择，u：退一步）· W 保存 · e/Esc 关闭";
    opened(n: usize): "stepping through the shortest schedule: U makes its next choice ({n} in all), u undoes one" | "单步查看最短调度：U 做下一步选择（共 {n} 步），u 撤销一步";
    schedule_saved(file: &str): "schedule saved to {file} · replay it: lockstep run --schedule {file}" | "调度已保存到 {file} · 重放：lockstep run --schedule {file}";
    key_explore: "endings" | "结局";
    /// The help's line for x and e, short enough for one line at 80x24.
    help_challenges_or_endings: "challenges · all endings" | "挑战 · 所有结局";

    // ---- trace files ----
    /// The help's line for W and T.
    help_save_or_trace: "save schedule / trace" | "保存调度 / 跟踪文件";
    trace_saved(file: &str): "trace saved to {file} · open it in ui.perfetto.dev or chrome://tracing" | "跟踪已保存到 {file} · 用 ui.perfetto.dev 或 chrome://tracing 打开";
    trace_saved_cut(file: &str, kept: usize): "trace saved to {file} (the first {kept} events: it is kept small)" | "跟踪已保存到 {file}（只含前 {kept} 个事件，以保持文件小巧）";
    trace_not_saved(why: &str): "trace not saved: {why}" | "跟踪未保存：{why}";
    no_run_to_trace: "nothing to trace yet: run the variant first" | "还没有可导出的运行：先运行一次";
}
