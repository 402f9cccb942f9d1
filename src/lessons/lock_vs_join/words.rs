//! The lock-vs-join lesson's words: its outcome and its checks.

crate::catalog! {
    pub struct Words;

    n(n: i64): "n = {n}" | "n = {n}";
    lost(lost: u64): "lost {lost}" | "丢失 {lost}";
    one_too_many: "every lost update leaves one too many" | "每丢失一次更新，n 就多出 1";
    n_and_lost(n: i64, lost: u64): "final n = {n}, lost updates = {lost}" | "最后 n = {n}，丢失的更新 = {lost}";
    lost_without_lock: "updates are lost without a lock" | "不加锁，更新会丢失";
    n_would_be_zero(n: i64): "final n = {n} (0 would mean none was lost)" | "最后 n = {n}（为 0 才说明一次也没丢）";
    none_lost: "no update is lost" | "没有丢失任何更新";
    final_n(n: i64): "final n = {n}" | "最后 n = {n}";
}
