//! The kettle lesson's words: its panel, its outcome and its checks.

crate::catalog! {
    pub struct Words;

    // ---- the panel ----
    /// The quadrant's columns.
    blocks: "Zhang blocks" | "老张阻塞";
    free: "Zhang is free" | "老张不阻塞";
    calling: "wife calling!" | "老伴在喊！";
    no_outcome: "no result" | "没有结果";

    // ---- the outcome ----
    tv(s: f64): "TV {s:.1}s" | "电视{s:.1}s";
    late(s: f64): "late {s:.2}s" | "延迟{s:.2}s";
    trips(n: u32) [s = if n == 1 { "" } else { "s" }]: "{n} trip{s}" | "跑{n}趟";
    calls(answered: u32, of: u32): "calls {answered}/{of}" | "应答{answered}/{of}";

    // ---- the checks ----
    no_tv: "no TV while he waits at the stove" | "在灶台边等时没看电视";
    tv_ms(tv: u64): "TV {tv} ms" | "电视 {tv} ms";
    all_tv: "TV all the while the water boils" | "烧水的整段时间都在看电视";
    tv_and_boil(tv: u64, boil: f64): "TV {tv} ms, boil {boil} ms" | "电视 {tv} ms，烧水 {boil} ms";
    one_poll: "the water waits at most one poll" | "水开后最多等一次查看的间隔";
    latency_and_poll(latency: u64, every: f64): "latency {latency} ms, P {every} ms" | "延迟 {latency} ms，P = {every} ms";
    trip_per_poll: "about one trip per poll while it boils" | "烧水期间大约每个间隔跑一趟";
    trips_and_ratio(trips: u32, ratio: f64): "{trips} trips, B/P = {ratio:.2}" | "跑了 {trips} 趟，B/P = {ratio:.2}";
    poured_at_once: "the tea is poured as soon as it boils" | "水一开就倒茶";
    latency(latency: u64): "latency {latency} ms" | "延迟 {latency} ms";
    one_trip: "one trip, when it whistles" | "只跑一趟：响了才去";
    trips_only(trips: u32): "{trips} trips" | "跑了 {trips} 趟";
    no_calls: "no calls when the wife is quiet" | "老伴不喊，就没有呼叫";
    calls_detail(answered: u32, missed: u32): "{answered} answered, {missed} missed" | "应答 {answered} 次，漏听 {missed} 次";
    every_call: "every call is answered" | "每次呼叫都有应答";
    misses_calls: "a Zhang at the stove misses calls" | "守在灶台边的老张会漏听呼叫";
}
