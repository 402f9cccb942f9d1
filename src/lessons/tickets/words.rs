//! The tickets lesson's words: its panel, its outcome and its checks.

crate::catalog! {
    pub struct Words;

    // ---- the panel ----
    title: "The ticket file" | "票务文件";
    /// The line over the file's history: "tickets.json over time".
    history(file: &str): "{file} over time" | "{file} 的内容变化";
    /// One version of the file: when, what it held, who wrote it. "made" is the first.
    made: "made" | "创建";
    /// "written 100×", then, room permitting, " by T1 T2 +98".
    written(n: usize): "written {n}×" | "被写 {n} 次";
    by(who: &str): " by {who}" | "：{who}";
    /// More versions than fit: "… 3 more".
    more(n: usize): "… {n} more" | "……还有 {n} 个";
    /// What the buyers saw when they decided: "decided on count 1: 100".
    decided: "decided on" | "做决定时读到";
    /// Who bought, and who found none.
    bought_list(n: u64, who: &str): "bought {n}: {who}" | "买到 {n} 人：{who}";
    sold_out_list(n: u64, who: &str): "sold out {n}: {who}" | "没买到 {n} 人：{who}";
    nobody: "nobody" | "无";
    /// The sale so far against the tickets there were.
    oversold_line(n: u64, tickets: u64): "sold {n} of {tickets}: oversold!" | "卖出 {n} 张，只有 {tickets} 张：超卖了！";
    sold_line(n: u64, tickets: u64): "sold {n} of {tickets}" | "卖出 {n} 张，共 {tickets} 张";
    lock_note: "the lock lets one buyer at a time read, check and write" | "锁让买家一个一个地读、判断、写";
    no_lock_note: "no lock: buyers read, check and write all at once" | "没有锁：买家同时读、判断、写";
    not_yet: "press Enter to open the sale" | "按 Enter 开始售票";

    // ---- the outcome ----
    bought_of(n: u64, tickets: u64): "{n} bought of {tickets}" | "{tickets} 张票 {n} 人买到";
    oversold(n: u64): "oversold {n}" | "超卖 {n} 张";
    file_says(left: i64): "file says {left} left" | "文件说还剩 {left} 张";

    // ---- the checks ----
    every_buyer: "every buyer either bought or found the tickets sold out" | "每个买家要么买到，要么发现票已售完";
    ends_of(bought: u64, sold_out: u64, buyers: u64): "{bought} bought, {sold_out} sold out, of {buyers} buyers" | "{buyers} 个买家：{bought} 人买到，{sold_out} 人没买到";
    oversells(early: u64, tickets: u64): "{early} buyers read the file before anyone writes it, each sees a ticket left: more than {tickets} buy" | "{early} 个买家在有人写之前就读了文件，个个看到还有票：买到的人多于 {tickets}";
    sells_exactly(n: u64): "with the lock exactly {n} buyers succeed" | "有锁时恰好 {n} 人买到";
    file_right(left: i64): "the file ends with {left} left and no write lost" | "文件最后剩 {left} 张，没有丢失的写入";
    file_lost(left: i64, lost: u64): "file says {left} left; writes lost: {lost}" | "文件说剩 {left} 张；丢失的写入：{lost}";
}
