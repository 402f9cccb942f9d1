//! The command line's words: `run`'s table and lines, `list`, the Markdown of `record` and
//! `sweep`, and their progress on stderr. The column keys of CSV and JSON are data and stay as
//! they are; error messages are English, one line each.

use crate::engine::Mode;

crate::catalog! {
    /// The command line's words.
    pub struct Words;

    mode_live: "live" | "实时";
    mode_step: "step" | "单步";
    mode_virtual: "virtual" | "虚拟";

    // ---- run ----
    /// Under the title: "mode virtual · scale 0.01 · seed 1 · threads=100 work=3".
    run_header(mode: &str, scale: f64, seed: u64, params: &str):
        "mode {mode} · scale {scale} · seed {seed} · {params}"
        | "模式 {mode} · 时间比例 {scale} · 种子 {seed} · {params}";
    replaying(file: &str): "replaying the schedule in {file}" | "重放 {file} 中的调度";
    /// A trace file that reached its size cap.
    trace_cut(file: &str, kept: usize, left: usize): "note: {file} holds the first {kept} trace events; {left} more were left out to keep it small (fewer threads show it all)" | "注意：{file} 只保存了前 {kept} 个跟踪事件，其余 {left} 个为保持文件小巧而略去（线程少一些即可看到全部）";
    col_variant: "variant" | "版本";
    col_measured: "measured" | "实测";
    col_ideal: "ideal" | "理想";
    col_fidelity: "fidelity" | "保真度";
    col_checks: "checks" | "检查";
    col_outcome: "outcome" | "结果";
    /// Every check held.
    ok: "ok" | "通过";
    failed: "FAILED" | "未通过";
    tutorial_at_scale(figures: &str): "the tutorial, at this scale: {figures}" | "教程的数字，按此时间比例：{figures}";
    /// One variant's published figure: its time at this scale, its outcome, its time as published.
    tutorial_figure(variant: &str, time: &str, outcome: &str, secs: f64):
        "{variant} {time} ({outcome}, {secs} s unscaled)"
        | "{variant} {time}（{outcome}，原始 {secs} s）";
    tutorial_other_params(params: &str):
        "The tutorial's figures are for {params}: not comparable with these runs."
        | "教程的数字是 {params} 时的：不能与这些运行比较。";
    failed_check(variant: &str, name: &str, detail: &str): "✗ {variant}: {name} ({detail})" | "✗ {variant}：{name}（{detail}）";
    log_of(variant: &str): "log of {variant}:" | "{variant} 的事件日志：";

    // ---- list ----
    variants(ids: &str): "variants: {ids}" | "版本：{ids}";

    // ---- record and sweep: the Markdown table ----
    md_header(scale: f64, seed: u64, params: &str, cores: usize, os: &str, version: &str):
        "scale {scale} (one lesson second lasts {scale} s) · seed {seed} · {params} · {cores} cores, {os} · lockstep {version}"
        | "时间比例 {scale}（课程中的一秒持续 {scale} s）· 种子 {seed} · {params} · {cores} 核，{os} · lockstep {version}";
    col_mode: "mode" | "模式";
    col_median: "median" | "中位数";
    col_range: "min – max" | "最小 – 最大";
    col_tutorial: "tutorial (scaled)" | "教程（按比例）";
    col_ours_vs_tutorial: "ours ÷ tutorial" | "我们 ÷ 教程";
    /// Two variants' times divided, ours and the tutorial's.
    ratio(a: &str, b: &str, ours: f64, tutorial: f64):
        "{a} ÷ {b}: ours {ours:.2}, tutorial {tutorial:.2}"
        | "{a} ÷ {b}：我们 {ours:.2}，教程 {tutorial:.2}";
    ratios(mode: &str, ratios: &str): "ratios ({mode}): {ratios}" | "比值（{mode}）：{ratios}";
    warning(text: &str): "warning: {text}" | "警告：{text}";
    too_few_cores(variant: &str, needed: usize, cores: usize):
        "{variant}: its ideal keeps {needed} threads busy on the CPU at once, and this machine has {cores} cores, so live runs cannot reach it"
        | "{variant}：它的理想时间要 {needed} 个线程同时占用 CPU，而这台机器只有 {cores} 个核，实时运行达不到";

    // ---- record's progress on stderr ----
    eta: "ETA" | "预计还需";
}

impl Words {
    /// A mode's name: "virtual" / "虚拟".
    pub fn mode(self, m: Mode) -> &'static str {
        match m {
            Mode::Live => self.mode_live(),
            Mode::Step => self.mode_step(),
            Mode::Virtual => self.mode_virtual(),
        }
    }

    /// A mode given by its name (`Mode::name`), in words; an unknown name as it is.
    pub fn mode_named(self, name: &str) -> &str {
        Mode::parse(name).map_or(name, |m| self.mode(m))
    }
}
