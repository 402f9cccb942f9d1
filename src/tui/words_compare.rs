//! The timing views' words (comparison, sweep, history) in each language.

use crate::content::Lang;

pub struct CompareWords {
    pub compare: &'static str,
    pub sweep: &'static str,
    pub measured_vs_ideal: &'static str,
    pub from_recording: &'static str,
    pub from_history: &'static str,
    /// "{n} runs at other settings are only in the history".
    pub elsewhere: &'static str,
    pub nothing_yet: &'static str,
    pub not_run: &'static str,
    pub ideal: &'static str,
    pub tutorial: &'static str,
    pub ratio: &'static str,
    pub run: &'static str,
    pub runs: &'static str,
    /// "{n} runs each", and for one run.
    pub runs_each: &'static str,
    pub run_each: &'static str,
    pub legend: &'static str,
    pub legend_short: &'static str,
    pub legend_dense: &'static str,
    /// "scale {s}: a lesson second lasts {t}; the tutorial's times are scaled alike".
    pub scale_note: &'static str,
    pub clock_note: &'static str,
    /// "the tutorial timed {p}: its figures are left out here".
    pub tutorial_elsewhere: &'static str,
    /// "Enter records every variant {n} times, live, at scale {s}".
    pub record_next: &'static str,
    /// "{v}: its ideal keeps {n} threads busy at once; this machine has {c} cores, so live
    /// runs cannot reach it".
    pub cores_warning: &'static str,
    pub cores: &'static str,
    pub history: &'static str,
    pub no_history: &'static str,
    pub col_n: &'static str,
    pub col_by: &'static str,
    pub col_seed: &'static str,
    pub col_scale: &'static str,
    pub col_ok: &'static str,
    pub by_lesson: &'static str,
    pub by_record: &'static str,
    pub recording: &'static str,
    pub sweeping: &'static str,
    pub left: &'static str,
    pub esc_cancels: &'static str,
    pub cancelled: &'static str,
    pub saved: &'static str,
    pub nothing_to_save: &'static str,
    pub busy: &'static str,
    /// "{n} runs per variant".
    pub repeats: &'static str,
    pub no_params: &'static str,
    pub parameter: &'static str,
    pub values: &'static str,
    pub edit_hint: &'static str,
    pub editing_hint: &'static str,
    pub sweep_nothing: &'static str,
    pub time_against: &'static str,
    pub time: &'static str,
    pub virtual_is_ideal: &'static str,
    pub log_scale: &'static str,
    pub linear_scale: &'static str,
    pub plus_one: &'static str,
    pub still_screen: &'static str,
    pub keys_title: &'static str,
    pub keys_compare: &'static [(&'static str, &'static str)],
    pub keys_sweep: &'static [(&'static str, &'static str)],
    pub keys_both: &'static [(&'static str, &'static str)],
    pub footer_compare: &'static [(&'static str, &'static str)],
    pub footer_sweep: &'static [(&'static str, &'static str)],
    pub footer_busy: &'static [(&'static str, &'static str)],
    pub footer_editing: &'static [(&'static str, &'static str)],
}

impl CompareWords {
    pub fn of(lang: Lang) -> &'static CompareWords {
        match lang {
            Lang::En => &EN,
            Lang::Zh => &ZH,
        }
    }

    pub fn repeats(&self, n: usize) -> String {
        self.repeats.replace("{n}", &n.to_string())
    }

    pub fn runs_each(&self, n: usize) -> String {
        match n {
            1 => self.run_each.to_string(),
            _ => self.runs_each.replace("{n}", &n.to_string()),
        }
    }

    pub fn elsewhere(&self, n: usize) -> String {
        self.elsewhere.replace("{n}", &n.to_string())
    }

    pub fn scale_note(&self, scale: &str, lasts: &str) -> String {
        self.scale_note.replace("{s}", scale).replace("{t}", lasts)
    }

    pub fn cores_warning(&self, variant: &str, needed: usize, cores: usize) -> String {
        self.cores_warning
            .replace("{v}", variant)
            .replace("{n}", &needed.to_string())
            .replace("{c}", &cores.to_string())
    }

    pub fn tutorial_elsewhere(&self, params: &str) -> String {
        self.tutorial_elsewhere.replace("{p}", params)
    }

    pub fn record_next(&self, n: usize, scale: &str) -> String {
        self.record_next
            .replace("{n}", &n.to_string())
            .replace("{s}", scale)
    }

    pub fn nothing_yet(&self, repeat: usize) -> String {
        self.nothing_yet.replace("{n}", &repeat.to_string())
    }

    pub fn sweep_nothing(&self, key: &str, mode: &str) -> String {
        self.sweep_nothing.replace("{k}", key).replace("{m}", mode)
    }
}

static EN: CompareWords = CompareWords {
    compare: "Compare",
    sweep: "Sweep",
    measured_vs_ideal: "Measured vs ideal",
    from_recording: "recorded just now",
    from_history: "this session's runs",
    elsewhere: "{n} runs at other settings are in the history only",
    nothing_yet: "Nothing to compare yet. Enter in the lesson runs one variant; Enter here records every variant {n} times in live mode.",
    not_run: "not run at this setting",
    ideal: "ideal",
    tutorial: "tutorial",
    ratio: "ratio",
    run: "run",
    runs: "runs",
    runs_each: "{n} runs each",
    run_each: "1 run each",
    legend: "█ median  ▓ fastest run  ─┤ slowest run  ░ ideal: infinite cores, no overhead  ▒ tutorial × scale",
    legend_short: "█ median  ▓ fastest  ─┤ slowest  ░ ideal  ▒ tutorial × scale",
    legend_dense: "█ median  ▓ fastest  ─┤ slowest  │ ideal",
    scale_note: "scale {s}: a lesson second lasts {t}; the tutorial's times are scaled alike",
    clock_note: "Timed by a monotonic clock around each run, app start-up excluded.",
    tutorial_elsewhere: "The tutorial timed {p}: its figures are left out here.",
    record_next: "Enter records every variant {n} times, live, at scale {s}; the lesson's run stops first.",
    cores_warning: "{v}: its ideal keeps {n} threads busy on the CPU at once and this machine has {c} cores, so live runs cannot reach it",
    cores: "cores",
    history: "History",
    no_history: "No runs yet in this session.",
    col_n: "#",
    col_by: "by",
    col_seed: "seed",
    col_scale: "scale",
    col_ok: "ok",
    by_lesson: "lesson",
    by_record: "record",
    recording: "recording",
    sweeping: "sweeping",
    left: "left",
    esc_cancels: "Esc cancels",
    cancelled: "cancelled: the runs stopped",
    saved: "saved",
    nothing_to_save: "nothing to save yet",
    busy: "already running: Esc cancels it",
    repeats: "{n} runs per variant",
    no_params: "this lesson has no parameters to sweep",
    parameter: "Parameter",
    values: "Values",
    edit_hint: "e edits",
    editing_hint: "Enter applies · Esc cancels",
    sweep_nothing: "Enter runs every variant at each value of {k}, in {m} mode.",
    time_against: "Time against",
    time: "time",
    virtual_is_ideal: "(virtual: each time is the ideal)",
    log_scale: "log",
    linear_scale: "linear",
    plus_one: "+1",
    still_screen: "the screen holds still while runs are timed",
    keys_title: "Timing keys",
    keys_compare: &[
        (
            "Enter r",
            "record every variant afresh, live, a few runs each",
        ),
        ("1-9", "runs per variant for the next recording"),
        ("↑/↓ PgUp/PgDn", "scroll the history"),
    ],
    keys_sweep: &[
        ("Enter r", "run the sweep: every variant at every value"),
        ("←/→ p", "the parameter to sweep"),
        ("e", "edit its values (comma-separated)"),
        ("m", "virtual (instant) or live"),
        ("g", "time on a linear or log scale"),
    ],
    keys_both: &[
        ("s", "save what is shown into the current directory"),
        ("f", "file format: Markdown → CSV → JSON"),
        ("+ -", "halve / double the time scale"),
        ("Tab", "compare ↔ sweep"),
        ("Esc", "cancel the runs going; again: back to the lesson"),
        ("c w", "compare / sweep (again: back to the lesson)"),
    ],
    footer_compare: &[
        ("Enter", "record"),
        ("1-9", "runs"),
        ("s", "save"),
        ("f", "format"),
        ("Tab", "sweep"),
        ("↑/↓", "history"),
        ("+/-", "scale"),
        ("Esc", "lesson"),
        ("?", "help"),
        ("q", "quit"),
    ],
    footer_sweep: &[
        ("Enter", "run"),
        ("←/→", "parameter"),
        ("e", "values"),
        ("m", "mode"),
        ("g", "log"),
        ("s", "save"),
        ("f", "format"),
        ("Tab", "compare"),
        ("Esc", "lesson"),
        ("?", "help"),
        ("q", "quit"),
    ],
    footer_busy: &[("Esc", "cancel the runs"), ("?", "help"), ("q", "quit")],
    footer_editing: &[
        ("Enter", "apply"),
        ("Esc", "cancel"),
        ("⌫", "delete"),
        ("Ctrl-U", "clear"),
    ],
};

static ZH: CompareWords = CompareWords {
    compare: "对比",
    sweep: "扫描",
    measured_vs_ideal: "实测与理想",
    from_recording: "刚刚录制",
    from_history: "本次会话的运行",
    elsewhere: "另有 {n} 次运行的设置不同，只在历史里",
    nothing_yet: "还没有可对比的数据。在课程里按 Enter 运行一个版本；在这里按 Enter 以实时模式把每个版本各录 {n} 次。",
    not_run: "此设置下未运行",
    ideal: "理想",
    tutorial: "教程",
    ratio: "比值",
    run: "次",
    runs: "次",
    runs_each: "每个 {n} 次",
    run_each: "每个 1 次",
    legend: "█ 中位数  ▓ 最快  ─┤ 最慢  ░ 理想：无限核、零开销  ▒ 教程 × 时间比例",
    legend_short: "█ 中位数  ▓ 最快  ─┤ 最慢  ░ 理想  ▒ 教程 × 时间比例",
    legend_dense: "█ 中位数  ▓ 最快  ─┤ 最慢  │ 理想",
    scale_note: "时间比例 {s}：课程里的一秒实际为 {t}；教程的用时也同样换算",
    clock_note: "用单调时钟测量每次运行，不含程序启动。",
    tutorial_elsewhere: "教程测的是 {p}：这里不列出它的数字。",
    record_next: "Enter：以实时模式、时间比例 {s}，把每个版本各录 {n} 次；课程里正在进行的运行会先停止。",
    cores_warning: "{v}：理想情况同时有 {n} 个线程占用 CPU，而本机只有 {c} 个核，实时运行达不到",
    cores: "核",
    history: "历史",
    no_history: "本次会话还没有运行。",
    col_n: "#",
    col_by: "来源",
    col_seed: "种子",
    col_scale: "比例",
    col_ok: "通过",
    by_lesson: "课程",
    by_record: "录制",
    recording: "录制中",
    sweeping: "扫描中",
    left: "剩余",
    esc_cancels: "Esc 取消",
    cancelled: "已取消：运行已停止",
    saved: "已保存",
    nothing_to_save: "还没有可保存的内容",
    busy: "正在运行：按 Esc 取消",
    repeats: "每个版本运行 {n} 次",
    no_params: "这一课没有可扫描的参数",
    parameter: "参数",
    values: "取值",
    edit_hint: "e 编辑",
    editing_hint: "Enter 确认 · Esc 取消",
    sweep_nothing: "按 Enter：每个版本在 {k} 的每个取值下各运行一次（{m}模式）。",
    time_against: "用时随参数变化：",
    time: "用时",
    virtual_is_ideal: "（虚拟模式：每个用时就是理想用时）",
    log_scale: "对数",
    linear_scale: "线性",
    plus_one: "+1",
    still_screen: "计时期间屏幕保持静止",
    keys_title: "计时按键",
    keys_compare: &[
        ("Enter r", "重新录制每个版本：实时模式，各运行几次"),
        ("1-9", "下次录制每个版本的运行次数"),
        ("↑/↓ PgUp/PgDn", "滚动历史"),
    ],
    keys_sweep: &[
        ("Enter r", "运行扫描：每个版本在每个取值下"),
        ("←/→ p", "要扫描的参数"),
        ("e", "编辑取值（逗号分隔）"),
        ("m", "虚拟（瞬间完成）或实时"),
        ("g", "用时用线性或对数刻度"),
    ],
    keys_both: &[
        ("s", "把显示的内容保存到当前目录"),
        ("f", "文件格式：Markdown → CSV → JSON"),
        ("+ -", "时间比例减半 / 加倍"),
        ("Tab", "对比 ↔ 扫描"),
        ("Esc", "取消正在进行的运行；再按：回到课程"),
        ("c w", "对比 / 扫描（再按：回到课程）"),
    ],
    footer_compare: &[
        ("Enter", "录制"),
        ("1-9", "次数"),
        ("s", "保存"),
        ("f", "格式"),
        ("Tab", "扫描"),
        ("↑/↓", "历史"),
        ("+/-", "比例"),
        ("Esc", "课程"),
        ("?", "帮助"),
        ("q", "退出"),
    ],
    footer_sweep: &[
        ("Enter", "运行"),
        ("←/→", "参数"),
        ("e", "取值"),
        ("m", "模式"),
        ("g", "对数"),
        ("s", "保存"),
        ("f", "格式"),
        ("Tab", "对比"),
        ("Esc", "课程"),
        ("?", "帮助"),
        ("q", "退出"),
    ],
    footer_busy: &[("Esc", "取消运行"), ("?", "帮助"), ("q", "退出")],
    footer_editing: &[
        ("Enter", "确认"),
        ("Esc", "取消"),
        ("⌫", "删除"),
        ("Ctrl-U", "清空"),
    ],
};
