//! The daemon lesson's words: its panel, its outcome and its checks.

crate::catalog! {
    pub struct Words;

    // ---- the panel ----
    title: "Who the program waits for" | "程序在等谁";
    /// A lane's role: foo is a daemon, main and bar are waited for.
    daemon: "daemon" | "守护";
    waited: "waited" | "要等";
    /// The line over the lanes.
    head_threads: "threads: the program waits for main and bar" | "线程：程序等 main 和 bar，不等 foo";
    head_processes: "processes: foo lives as long as main's code" | "进程：foo 只活到 main 的代码结束";
    /// The marker's line: "┃ 3 s: the last non-daemon ends".
    ends_threads(at: &str): "┃ {at}: the last non-daemon ends" | "┃ {at}：最后一个非守护线程结束";
    ends_processes(at: &str): "┃ {at}: main's code ends" | "┃ {at}：main 的代码结束";
    /// Before the marker's moment is known for sure (a run still going, or none yet).
    planned: " (planned)" | "（按计划）";
    legend: "━ going  ✓ done  ⊘ cut off  ┄ not run" | "━ 运行中  ✓ 完成  ⊘ 被切断  ┄ 没跑到";
    printed(lines: &str): "printed: {lines}" | "输出：{lines}";
    nothing_yet: "nothing yet" | "还没有";

    // ---- the outcome ----
    end123_shown: "end123 printed" | "打印了 end123";
    foo_cut_off: "foo cut off" | "foo 被切断";
    /// What is_alive told main, as Python prints it.
    alive(answer: &str): "foo alive: {answer}" | "foo 还活着：{answer}";

    // ---- the checks ----
    waits_for_bar: "the program waits for bar: end456 appears" | "程序会等 bar：end456 一定出现";
    end456_missing: "no end456" | "没有 end456";
    cut_off_or_end: "end123 appears exactly when foo is not cut off" | "end123 出现，当且仅当 foo 没被切断";
    printed_and_cut(printed: &str, cut: &str): "printed {printed}; cut off: {cut}" | "输出 {printed}；被切断：{cut}";
    nobody: "nobody" | "无";
    foo_finishes(ends: &str, deadline: &str): "foo needs until {ends}, the daemon's end comes at {deadline}: end123 appears" | "foo 要到 {ends} 才完，守护者的终点在 {deadline}：end123 会出现";
    foo_joined(ends: &str, wait: &str): "main waits up to {wait} for foo, which ends at {ends}: end123 appears" | "main 最多等 foo 到 {wait}，foo 在 {ends} 结束：end123 会出现";
    foo_is_cut(ends: &str, deadline: &str): "foo needs until {ends}, the daemon's end comes at {deadline}: foo is cut off" | "foo 要到 {ends} 才完，守护者的终点在 {deadline}：foo 会被切断";
    answer_true: "is_alive tells what foo did: True exactly when end123 had not appeared" | "is_alive 如实回答：end123 还没出现时才是 True";
    answer_was(answer: &str, before: &str): "is_alive was {answer}; end123 before it: {before}" | "is_alive 是 {answer}；在它之前出现过 end123：{before}";
    yes: "yes" | "是";
    no: "no" | "否";
    no_answer: "main never asked" | "main 没有问";
}
