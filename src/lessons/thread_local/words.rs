//! The thread-local lesson's words: its panel, its outcome and its checks.

crate::catalog! {
    pub struct Words;

    // ---- the panel ----
    title_local: "Each thread's slot" | "每个线程自己的格子";
    title_global: "One global for everybody" | "所有人共用一个全局变量";
    /// The columns: the thread, the url it was given, what its slot (or the global) holds,
    /// what the helper read.
    thread: "thread" | "线程";
    given: "given" | "拿到的";
    slot: "slot" | "格子";
    read: "read" | "读到";
    /// The global's line: "url = /page3, written by T3 (3 writes)".
    global(value: &str, by: &str, writes: u64): "url = {value}, last written by {by} ({writes} writes)" | "url = {value}，最后由 {by} 写入（共写 {writes} 次）";
    nobody_yet: "nobody yet" | "还没有人";
    empty: "—" | "—";
    right: "✓ own" | "✓ 自己的";
    wrong: "✗ wrong" | "✗ 别人的";
    head_local: "local = threading.local(): one slot per thread; the helper process() reads the caller's" | "local = threading.local()：每个线程一个格子；helper process() 读调用者自己的";
    head_global: "url = \"\": one box; every thread writes it, process() reads whatever is there" | "url = \"\"：只有一个格子；每个线程都写它，process() 读到的是当时里面的东西";
    summary(right: usize, wrong: usize): "{right} read their own url, {wrong} another's" | "{right} 个读到自己的 url，{wrong} 个读到别人的";
    not_run: "not run yet" | "还没运行";

    // ---- the outcome ----
    own(n: usize, of: usize): "{n}/{of} own url" | "{n}/{of} 读到自己的 url";
    others(n: usize): "{n} read another's" | "{n} 个读到别人的";

    // ---- the checks ----
    all_reported: "every thread's helper reports a url" | "每个线程的 helper 都报出一个 url";
    reported(n: usize, of: usize): "{n} of {of} threads reported" | "{of} 个线程中 {n} 个报了";
    nobody_sees: "nobody sees another's value: the helper reads each thread's own url" | "谁也看不到别人的值：helper 读到的是每个线程自己的 url";
    overwritten: "with one global the threads overwrite each other: some thread reports another's url" | "共用一个全局变量，线程互相覆盖：有线程报出别人的 url";
    reads(list: &str): "read: {list}" | "读到：{list}";
}
