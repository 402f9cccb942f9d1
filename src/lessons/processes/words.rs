//! The processes lesson's words: its panel, its outcome and its checks.

crate::catalog! {
    pub struct Words;

    // ---- the panel ----
    title: "Threads and processes, side by side" | "线程与进程，并排比较";
    thread: "thread" | "线程";
    process: "process" | "进程";
    threads: "threads" | "线程";
    processes: "processes" | "进程";
    /// A row of the global pair: what the child did and what main read afterwards.
    global_row(child: &str, main: &str): "child n = {child} → main n = {main}" | "子 n = {child} → main n = {main}";
    not_run: "not run yet" | "还没运行";
    running: "running…" | "运行中…";
    /// Under the global pair.
    global_note: "a thread writes main's n; a process writes its own copy" | "线程改的是 main 的 n；进程改的是自己的副本";
    /// A row of a timed pair: "4.20 ms each".
    each(t: &str): "{t} each" | "每个 {t}";
    /// How much slower the second is: "× 180".
    ratio(r: &str): "processes take {r}× as long" | "进程要花 {r} 倍的时间";
    /// Where the times come from.
    live_times: "live runs: this machine's real times" | "实时运行：本机的真实时间";
    virtual_times: "virtual runs: a process start costs its measured time, a thread start nothing" | "虚拟运行：启动进程按实测时间计，启动线程不计";
    cores(n: usize): "this machine has {n} cores" | "本机有 {n} 个核";
    /// The command variant's list.
    commands_head: "commands run as child processes" | "作为子进程运行的命令";
    exited(name: &str, code: i32): "{name} exited with {code}" | "{name} 退出码 {code}";
    still_running(name: &str): "{name} running…" | "{name} 运行中…";
    nothing_yet: "press Enter to run them" | "按 Enter 运行";

    // ---- the outcome ----
    main_n(n: i64): "main n = {n}" | "main 的 n = {n}";
    started(count: u32, each: &str): "{count} started, {each} each" | "启动 {count} 个，每个 {each}";
    exit_code(code: i32): "exit code {code}" | "退出码 {code}";
    primes(n: u64): "{n} primes" | "{n} 个素数";

    // ---- the checks ----
    child_sets: "the child sets its n to 0" | "子线程/子进程把它的 n 设为 0";
    main_sees: "a thread shares main's memory: main reads n = 0" | "线程共享 main 的内存：main 读到 n = 0";
    main_keeps: "a process has its own memory: main still reads n = 100" | "进程有自己的内存：main 读到的仍是 n = 100";
    n_detail(main: i64, child: &str): "main n = {main}, the child's n = {child}" | "main 的 n = {main}，子的 n = {child}";
    all_joined(count: u32): "all {count} started and joined" | "{count} 个全部启动并 join";
    joined_detail(started: u32, raised: usize): "{started} joined, {raised} raised" | "join 了 {started} 个，{raised} 个出错";
    sort_sorts: "sort prints its input in order, exit code 0" | "sort 按顺序打印输入，退出码 0";
    printed(text: &str): "printed: {text}" | "打印：{text}";
    wc_counts: "wc -l counts the 4 lines it is fed" | "wc -l 数出喂给它的 4 行";
    counted(n: u32): "counted {n}" | "数出 {n}";
    exit_comes_back: "sh -c 'exit 3' exits with 3" | "sh -c 'exit 3' 的退出码是 3";
    primes_add_up: "the workers' counts add up to the primes below the limit" | "各个工作者的计数之和等于上限以下的素数个数";
    primes_detail(got: u64, expected: u64): "counted {got}, there are {expected}" | "数出 {got}，实际有 {expected}";
}
