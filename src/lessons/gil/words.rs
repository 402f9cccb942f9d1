//! The gil lesson's words: its panel, its outcome and its checks.

crate::catalog! {
    pub struct Words;

    // ---- the panel ----
    title: "The GIL: roads and drivers" | "GIL：道路与司机";
    /// The road analogy, one line per variant.
    road_gil: "one driver (the GIL) hops from car to car" | "一个司机（GIL）在车之间跳来跳去";
    road_no_gil: "a driver per car; as many move as cores" | "每辆车一个司机；几个核就开几辆";
    road_processes: "many roads, a driver (a GIL) on each" | "好多条路，每条一个司机（一个 GIL）";
    road_io: "one driver; cars at red lights wait" | "一个司机；车在红灯（I/O）前等着";
    /// The GIL's line.
    gil_held(by: &str, switches: u64): "GIL: held by {by} · handed over {switches}×" | "GIL：在 {by} 手里 · 交接了 {switches} 次";
    gil_free(switches: u64): "GIL: free · handed over {switches}×" | "GIL：空闲 · 交接了 {switches} 次";
    gil_waiting(names: &str): "  waiting: {names}" | "  在等：{names}";
    gil_per_process: "GIL: one in each process, nobody to share it with" | "GIL：每个进程各有一个，没人跟它抢";
    gil_none: "no GIL: threads compute at once" | "没有 GIL：线程同时计算";
    /// A lane's state.
    driving: "driving" | "在开";
    parked: "waits for the driver" | "等司机";
    at_light: "at a light (I/O)" | "等红灯（I/O）";
    arrived: "arrived" | "到了";
    not_started: "not started" | "没出发";
    /// The table of speed-ups.
    speedups(cores: &str): "speed-ups, {cores}:" | "加速比，{cores}：";
    cores_here(n: u64): "{n} cores here" | "本机 {n} 个核";
    cores_virtual: "virtual, any cores" | "虚拟，核数不限";
    ideal(x: &str): "ideal {x}" | "理想 {x}";
    not_run: "—  not run yet" | "—  还没运行";

    // ---- the outcome ----
    speedup(x: &str, ideal: &str): "speed-up {x} (ideal {ideal})" | "加速 {x}（理想 {ideal}）";
    timing(alone: &str, workers: u64, together: &str): "alone {alone}, {workers} workers {together}" | "单独 {alone}，{workers} 个一起 {together}";

    // ---- the checks ----
    same_answer: "the workers' answer is the lone worker's: the job was really done" | "多个 worker 算出的结果和单个一样：活是真干了";
    answers(alone: u64, together: u64): "alone {alone}, together {together}" | "单独 {alone}，一起 {together}";
    no_speedup: "under one GIL, N threads take as long as one" | "在同一个 GIL 下，N 个线程和一个线程一样慢";
    threads_speed_up: "without a GIL the threads speed up to the core count" | "没有 GIL，线程的加速能达到核数";
    processes_speed_up: "processes, each with its own GIL, speed up too" | "每个进程有自己的 GIL，也能加速";
    io_speeds_up: "on an I/O-bound job threads speed up even under the GIL" | "I/O 密集的活，即使有 GIL，线程也能加速";
    measured(x: &str, ideal: &str): "speed-up {x}, ideal {ideal}" | "加速 {x}，理想 {ideal}";
}
