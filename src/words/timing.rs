//! The timing views' words: the comparison, the sweep, the history, their footers and keys.

use super::screen::{Keys, LANGUAGES, Words};

crate::catalog! {
    /// The comparison's and the sweep's words.
    pub struct CompareWords;

    // ---- the header and the status line ----
    compare: "Compare" | "对比";
    sweep: "Sweep" | "扫描";
    cores(n: usize): "{n} cores" | "{n} 核";
    recording: "recording" | "录制中";
    sweeping: "sweeping" | "扫描中";
    /// A recording's run, after its label.
    job_seed(seed: u64): " (seed {seed})" | "（种子 {seed}）";
    left(s: f64): ", ~{s:.0} s left" | "，还剩约 {s:.0} s";
    esc_cancels: "Esc cancels" | "Esc 取消";
    still_screen: "the screen holds still while runs are timed" | "计时期间屏幕保持静止";
    cancelled: "cancelled: the runs stopped" | "已取消：运行已停止";
    saved(file: &str): "saved {file}" | "已保存 {file}";
    nothing_to_save: "nothing to save yet" | "还没有可保存的内容";
    busy: "already running: Esc cancels it" | "正在运行：按 Esc 取消";
    repeats(n: usize): "{n} runs per variant" | "每个版本运行 {n} 次";
    record_next(n: usize, scale: &str): "Enter records every variant {n} times, live, at scale {scale}; the lesson's run stops first." | "Enter：以实时模式、时间比例 {scale}，把每个版本各录 {n} 次；课程里正在进行的运行会先停止。";
    clock_note: "Timed by a monotonic clock around each run, app start-up excluded." | "用单调时钟测量每次运行，不含程序启动。";

    // ---- the comparison ----
    measured_vs_ideal: "Measured vs ideal" | "实测与理想";
    from_recording: "recorded just now" | "刚刚录制";
    from_history: "this session's runs" | "本次会话的运行";
    elsewhere(n: usize): "{n} runs at other settings are in the history only" | "另有 {n} 次运行的设置不同，只在历史里";
    nothing_yet(n: usize): "Nothing to compare yet. Enter in the lesson runs one variant; Enter here records every variant {n} times in live mode." | "还没有可对比的数据。在课程里按 Enter 运行一个版本；在这里按 Enter 以实时模式把每个版本各录 {n} 次。";
    not_run: "not run at this setting" | "此设置下未运行";
    ideal: "ideal" | "理想";
    tutorial: "tutorial" | "教程";
    ratio: "ratio" | "比值";
    runs(n: usize) [s = if n == 1 { "" } else { "s" }]: "{n} run{s}" | "{n} 次";
    runs_each(n: usize) [s = if n == 1 { "" } else { "s" }]: "{n} run{s} each" | "每个 {n} 次";
    legend: "█ median  ▓ fastest run  ─┤ slowest run  ░ ideal: infinite cores, no overhead  ▒ tutorial × scale" | "█ 中位数  ▓ 最快  ─┤ 最慢  ░ 理想：无限核、零开销  ▒ 教程 × 时间比例";
    legend_short: "█ median  ▓ fastest  ─┤ slowest  ░ ideal  ▒ tutorial × scale" | "█ 中位数  ▓ 最快  ─┤ 最慢  ░ 理想  ▒ 教程 × 时间比例";
    legend_dense: "█ median  ▓ fastest  ─┤ slowest  │ ideal" | "█ 中位数  ▓ 最快  ─┤ 最慢  │ 理想";
    scale_note(scale: &str, lasts: &str): "scale {scale}: a lesson second lasts {lasts}; the tutorial's times are scaled alike" | "时间比例 {scale}：课程里的一秒实际为 {lasts}；教程的用时也同样换算";
    tutorial_elsewhere(params: &str): "The tutorial timed {params}: its figures are left out here." | "教程测的是 {params}：这里不列出它的数字。";
    cores_warning(variant: &str, needed: usize, cores: usize): "{variant}: its ideal keeps {needed} threads busy on the CPU at once and this machine has {cores} cores, so live runs cannot reach it" | "{variant}：理想情况同时有 {needed} 个线程占用 CPU，而本机只有 {cores} 个核，实时运行达不到";
    history: "History" | "历史";
    no_history: "No runs yet in this session." | "本次会话还没有运行。";
    col_by: "by" | "来源";
    col_seed: "seed" | "种子";
    col_scale: "scale" | "比例";
    col_ok: "ok" | "通过";
    by_lesson: "lesson" | "课程";
    by_record: "record" | "录制";

    // ---- the sweep ----
    no_params: "this lesson has no parameters to sweep" | "这一课没有可扫描的参数";
    parameter: "Parameter" | "参数";
    values: "Values" | "取值";
    edit_hint: "(e edits)" | "（e 编辑）";
    editing_hint: "Enter applies · Esc cancels" | "Enter 确认 · Esc 取消";
    sweep_nothing(key: &str, mode: &str): "Enter runs every variant at each value of {key}, in {mode} mode." | "按 Enter：每个版本在 {key} 的每个取值下各运行一次（{mode}模式）。";
    time_against(key: &str): "Time against {key}" | "用时随 {key} 的变化";
    time: "time" | "用时";
    time_log: "time (log)" | "用时（对数）";
    virtual_is_ideal: "(virtual: each time is the ideal)" | "（虚拟模式：每个用时就是理想用时）";
    log_scale: "log" | "对数";
    linear_scale: "linear" | "线性";

    // ---- keys ----
    keys_title: "Timing keys" | "计时按键";
    help_record: "record every variant afresh, live, a few runs each" | "重新录制每个版本：实时模式，各运行几次";
    help_repeat: "runs per variant for the next recording" | "下次录制每个版本的运行次数";
    help_history: "scroll the history" | "滚动历史";
    help_sweep: "run the sweep: every variant at every value" | "运行扫描：每个版本在每个取值下";
    help_param: "the parameter to sweep" | "要扫描的参数";
    help_values: "edit its values (comma-separated)" | "编辑取值（逗号分隔）";
    help_mode: "virtual (instant) or live" | "虚拟（瞬间完成）或实时";
    help_log: "time on a linear or log scale" | "用时用线性或对数刻度";
    help_save: "save what is shown into the current directory" | "把显示的内容保存到当前目录";
    help_format: "file format: Markdown → CSV → JSON" | "文件格式：Markdown → CSV → JSON";
    help_scale: "halve / double the time scale" | "时间比例减半 / 加倍";
    help_tab: "compare ↔ sweep" | "对比 ↔ 扫描";
    help_esc: "cancel the runs going; again: back to the lesson" | "取消正在进行的运行；再按：回到课程";
    help_views: "compare / sweep (again: back to the lesson)" | "对比 / 扫描（再按：回到课程）";
    key_record: "record" | "录制";
    key_runs: "runs" | "次数";
    key_format: "format" | "格式";
    key_sweep: "sweep" | "扫描";
    key_history: "history" | "历史";
    key_scale: "scale" | "比例";
    key_lesson: "lesson" | "课程";
    key_param: "parameter" | "参数";
    key_values: "values" | "取值";
    key_cancel_runs: "cancel the runs" | "取消运行";
    key_apply: "apply" | "确认";
    key_cancel: "cancel" | "取消";
    key_delete: "delete" | "删除";
    key_clear: "clear" | "清空";
}

impl CompareWords {
    fn screen(self) -> Words {
        Words(self.0)
    }

    /// The comparison's keys, in the help.
    pub fn keys_compare(self) -> Keys {
        vec![
            ("Enter r", self.help_record()),
            ("1-9", self.help_repeat()),
            ("↑/↓ PgUp/PgDn", self.help_history()),
        ]
    }

    /// The sweep's keys, in the help.
    pub fn keys_sweep(self) -> Keys {
        vec![
            ("Enter r", self.help_sweep()),
            ("←/→ p", self.help_param()),
            ("e", self.help_values()),
            ("m", self.help_mode()),
            ("g", self.help_log()),
        ]
    }

    /// The keys both views share, in the help, then the language and quitting.
    pub fn keys_both(self) -> Keys {
        vec![
            ("s", self.help_save()),
            ("f", self.help_format()),
            ("+ -", self.help_scale()),
            ("Tab", self.help_tab()),
            ("Esc", self.help_esc()),
            ("c w", self.help_views()),
            ("L", LANGUAGES),
            ("q Ctrl-C", self.screen().help_quit()),
        ]
    }

    /// The comparison's footer (its first key is the recording's, its "s" the file's).
    pub fn footer_compare(self) -> Keys {
        let w = self.screen();
        vec![
            ("Enter", self.key_record()),
            ("1-9", self.key_runs()),
            ("s", w.key_save()),
            ("f", self.key_format()),
            ("Tab", self.key_sweep()),
            ("↑/↓", self.key_history()),
            ("+/-", self.key_scale()),
            ("Esc", self.key_lesson()),
            ("?", w.key_help()),
            ("q", w.key_quit()),
        ]
    }

    /// The sweep's footer.
    pub fn footer_sweep(self) -> Keys {
        let w = self.screen();
        vec![
            ("Enter", w.key_run()),
            ("←/→", self.key_param()),
            ("e", self.key_values()),
            ("m", w.key_mode()),
            ("g", self.log_scale()),
            ("s", w.key_save()),
            ("f", self.key_format()),
            ("Tab", w.key_compare()),
            ("Esc", self.key_lesson()),
            ("?", w.key_help()),
            ("q", w.key_quit()),
        ]
    }

    /// The footer while a job runs.
    pub fn footer_busy(self) -> Keys {
        let w = self.screen();
        vec![
            ("Esc", self.key_cancel_runs()),
            ("?", w.key_help()),
            ("q", w.key_quit()),
        ]
    }

    /// The footer while the sweep's values are typed.
    pub fn footer_editing(self) -> Keys {
        vec![
            ("Enter", self.key_apply()),
            ("Esc", self.key_cancel()),
            ("⌫", self.key_delete()),
            ("Ctrl-U", self.key_clear()),
        ]
    }
}
