//! The semaphore lesson's words: its outcome and its checks (its panel's are in `panel.rs`).

crate::catalog! {
    pub struct Words;

    most_inside(n: usize): "at most {n} inside" | "最多 {n} 人在里面";
    served(n: usize): "{n} served" | "{n} 人用过";
    once_each: "every person gets in exactly once" | "每个人都恰好进去一次";
    served_of(served: usize, people: u64): "{served} of {people} served" | "{people} 人中 {served} 人用过";
    never_more: "never more inside than stalls" | "里面的人从不多于隔间数";
    most_of_stalls(most: usize, stalls: u64): "at most {most} inside, {stalls} stalls" | "最多 {most} 人在里面，{stalls} 个隔间";
    every_stall: "every stall is taken at some point" | "每个隔间都被用到过";
    more_than_n: "without a semaphore more than N get in" | "没有信号量，进去的人会多于 N";
    all_at_once: "everyone is inside at once" | "所有人同时在里面";
    most_of_people(most: usize, people: u64): "at most {most} inside, {people} people" | "最多 {most} 人在里面，共 {people} 人";
}
