//! The semaphore lesson's words: its panel, its outcome and its checks.

crate::catalog! {
    pub struct Words;

    // ---- the panel ----
    title: "Restroom" | "洗手间";
    nothing_yet: "Run a variant: the stalls with who is in them, the queue at the door and how many were inside over time appear here." | "运行一个版本：这里会显示各个隔间和里面的人、门口的队伍，以及里面人数随时间的变化。";
    /// The counter: "5 stalls · 2 free (the semaphore's counter)".
    stalls(n: usize) [s = if n == 1 { "" } else { "s" }]: "{n} stall{s}" | "{n} 个隔间";
    free(n: usize): "{n} free" | "{n} 个空闲";
    counter: " (the semaphore's counter)" | "（信号量的计数器）";
    so_far(served: usize, people: usize): "served {served}/{people}" | "已进入 {served}/{people}";
    no_semaphore: "no semaphore: nobody waits at the door" | "没有信号量：门口没人等";
    /// Inside without a stall (no semaphore): "no stall: P6 P7".
    no_stall: "no stall: " | "没有隔间：";
    /// The queue at the door: "door (2) ▸ P6 P7", "door ▸ nobody waits".
    door: "door" | "门口";
    door_queue(n: usize): "door ({n})" | "门口排队 {n} 人";
    nobody_waits: "nobody waits" | "没有人在等";
    /// Over the sparkline: "served 9/13 · inside over time · peak 5/5".
    over_time: "inside over time" | "里面人数的变化";
    peak(peak: usize, stalls: usize): "peak {peak}/{stalls}" | "峰值 {peak}/{stalls}";
    peak_over(peak: usize, stalls: usize): "peak {peak} > {stalls}" | "峰值 {peak} > {stalls}";

    // ---- the outcome ----
    most_inside(n: usize): "at most {n} inside" | "最多 {n} 人在里面";
    served(n: usize): "{n} served" | "{n} 人用过";

    // ---- the checks ----
    once_each: "every person gets in exactly once" | "每个人都恰好进去一次";
    served_of(served: usize, people: u64): "{served} of {people} served" | "{people} 人中 {served} 人用过";
    never_more: "never more inside than stalls" | "里面的人从不多于隔间数";
    most_of_stalls(most: usize, stalls: u64): "at most {most} inside, {stalls} stalls" | "最多 {most} 人在里面，{stalls} 个隔间";
    every_stall: "every stall is taken at some point" | "每个隔间都被用到过";
    more_than_n: "without a semaphore more than N get in" | "没有信号量，进去的人会多于 N";
    all_at_once: "everyone is inside at once" | "所有人同时在里面";
    most_of_people(most: usize, people: u64): "at most {most} inside, {people} people" | "最多 {most} 人在里面，共 {people} 人";
}
