//! The lesson screen's words: the menu, the header, the step text, the timeline, resources,
//! log and timings panels, the deadlock banner, the footer and the help. The key tables keep
//! their key labels in code (a key is the same in both languages) beside the catalog.

use crate::engine::Mode;

/// A key table: (key, what it does), in the order shown.
pub type Keys = Vec<(&'static str, &'static str)>;

crate::catalog! {
    /// The lesson screen's words.
    pub struct Words;

    // ---- the menu and the header ----
    app_tagline: "concurrency on real threads" | "在真实线程上学并发";
    lessons: "Lessons" | "课程";
    variants: "Variants" | "版本";
    /// A published figure under a variant on the menu.
    tutorial_figure(secs: f64, outcome: &str): "tutorial: {secs} s, {outcome}" | "教程：{secs} s，{outcome}";
    parameters(list: &str): "Parameters: {list}" | "参数：{list}";
    step_count(n: usize) [s = if n == 1 { "" } else { "s" }]: "{n} step{s}" | "{n} 步";
    /// `lockstep tui LESSON` named no lesson there is.
    no_lesson(id: &str): "no lesson `{id}`" | "没有课程 `{id}`";
    mode_label: "mode" | "模式";
    mode_live: "live" | "实时";
    mode_step: "step" | "单步";
    mode_virtual: "virtual" | "虚拟";
    scale: "scale" | "时间比例";
    seed: "seed" | "种子";
    /// The seed shown when every run draws its own.
    seed_fresh: "new each run" | "每次随机";
    next_run(mode: &str, scale: &str): "next run: {mode} scale {scale}" | "下次运行：{mode} 时间比例 {scale}";

    // ---- the run's state in a word ----
    idle: "idle" | "空闲";
    running: "running" | "运行中";
    paused: "paused" | "已暂停";
    waiting_for_n: "your move: n" | "轮到你：按 n";
    moving: "moving" | "执行中";
    finished: "finished" | "已结束";
    judging: "finished, judging" | "已结束，评判中";
    deadlock: "DEADLOCK" | "死锁";
    stuck: "STUCK" | "卡住";
    cancelled: "cancelled" | "已取消";
    /// A thread of the run raised, and the run is over.
    raised: "RAISED" | "抛出异常";

    // ---- the step text ----
    step_of(n: usize, of: usize): "step {n}/{of}" | "第 {n}/{of} 步";
    more_below: "(↑/↓ scroll)" | "（↑/↓ 滚动）";
    /// What Enter runs, under the step text.
    run_line(variant: &str): "▶ Enter runs: {variant} (v changes it)" | "▶ Enter 运行：{variant}（v 切换）";

    // ---- the panels ----
    timeline: "Timeline" | "时间线";
    timeline_of(variant: &str, mode: &str): "Timeline: {variant} ({mode})" | "时间线：{variant}（{mode}）";
    no_run_yet: "Nothing has run yet. Enter runs the variant; n runs it step by step." | "还没有运行。Enter 运行这个版本；n 单步运行。";
    /// Heads the count of threads by state under the lanes (the state words follow it). It
    /// starts with the number: a banner's border may stand on its first cell, which must not
    /// be half of a wide character.
    thread_count(n: usize): "{n} threads:" | "{n} 个线程";
    one_thread: "1 thread:" | "1 个线程";
    lanes(first: usize, last: usize, of: usize): "lanes {first}–{last}/{of}" | "第 {first}–{last}/{of} 行";
    resources: "Resources" | "资源";
    no_resources: "No locks or shared variables yet." | "还没有锁或共享变量。";
    held_by: "held by" | "持有者";
    free: "free" | "空闲";
    waiting: "waiting" | "等待";
    acquired: "taken" | "获取";
    reads: "reads" | "读";
    writes: "writes" | "写";
    lost_updates: "lost updates" | "丢失更新";
    log: "Log" | "事件日志";
    timings: "Timings" | "用时对比";
    /// The timings' title when every row is of one mode (and its column is left out).
    timings_in(mode: &str): "Timings ({mode})" | "用时对比（{mode}）";
    timings_note: "ratio = measured ÷ ideal · at 1× = measured ÷ scale (compare with the tutorial)" | "比值 = 实测 ÷ 理想 · 按 1× = 实测 ÷ 时间比例（与教程对照）";
    no_results: "No variant has run yet in this lesson." | "本课还没有运行过任何版本。";
    col_variant: "variant" | "版本";
    col_mode: "mode" | "模式";
    col_measured: "measured" | "实测";
    col_ideal: "ideal" | "理想";
    col_ratio: "ratio" | "比值";
    col_at_1x: "at 1×" | "按 1×";
    col_outcome: "outcome" | "结果";
    col_checks: "checks" | "检查";
    col_published: "tutorial" | "教程";
    /// A live run paused on the way: its time says nothing.
    paused_not_timed: "paused, not timed" | "暂停过，不计时";
    /// A ratio with nothing to divide by.
    not_applicable: "n/a" | "不适用";
    /// Under the timings when an ideal is marked ≈: what it is.
    ideal_about: "≈ ideal: a virtual run with the same seed; its random draws can differ from the live run's, so it is no lower bound" | "≈ 理想：同一种子的虚拟运行；它抽到的随机数可能与实时运行不同，所以不是下限";
    /// The checks of a run made for a challenge: judged against the challenge.
    for_challenge_met: "challenge met" | "挑战完成";
    for_challenge_not_met: "challenge not met" | "挑战未完成";
    /// A run's outcome when it ended in a deadlock, stuck, or with a thread that raised.
    outcome_deadlock: "DEADLOCK" | "死锁";
    outcome_stuck: "STUCK" | "卡死";
    outcome_raised: "raised" | "抛出异常";

    // ---- the result box ----
    results_hide: "d hides this" | "按 d 收起";
    // ---- the deadlock banner ----
    deadlock_title: "DEADLOCK: each thread waits for a lock the next one holds" | "死锁：每个线程都在等下一个线程持有的锁";
    stuck_title: "STUCK: these threads wait for something nobody will give" | "卡住：这些线程在等一件没人会做的事";
    holds: "holds" | "持有";
    waits_for: "waits for" | "等待";
    press_r_to_reset: "The run was stopped. R resets it; Enter runs again." | "运行已停止。R 重置；Enter 重新运行。";

    // ---- notes ----
    too_small: "make the window larger" | "请把窗口放大";
    too_small_sizes(need_w: u16, need_h: u16, w: u16, h: u16): "(need {need_w}x{need_h}, have {w}x{h})" | "（至少 {need_w}x{need_h}，现在 {w}x{h}）";
    pause_only_live: "space pauses live runs; in step mode nothing moves until you press n" | "空格只暂停实时运行；单步模式下不按 n 就什么都不动";
    applies_next_run: "applies to the next run" | "下次运行生效";
    step_needs_step_mode: "n steps a step-mode run: R resets this one, then n starts one" | "n 用于单步运行：先按 R 重置这次运行，再按 n";
    reset_done: "reset" | "已重置";

    // ---- the help ----
    help: "Keys" | "按键";
    help_close: "? or Esc closes" | "? 或 Esc 关闭";
    keys_menu: "Menu" | "菜单";
    keys_lesson: "Lesson" | "课程";
    keys_step: "Step mode" | "单步模式";
    keys_view: "Screen" | "屏幕";
    /// The space bar's label (a key, but it has a name).
    key_space: "space" | "空格";
    help_select_lesson: "select a lesson" | "选择课程";
    help_open: "open it" | "打开";
    help_forget: "forget all progress" | "清除全部进度";
    help_step: "previous / next step of the text" | "上一步 / 下一步讲解";
    help_scroll_text: "scroll the step text" | "滚动讲解文字";
    help_run: "run the variant (the step's, or the one v chose)" | "运行版本（本步指定的，或用 v 选的）";
    help_variant: "next / previous variant" | "下一个 / 上一个版本";
    help_mode: "mode for the next run: live → step → virtual" | "下次运行的模式：实时 → 单步 → 虚拟";
    help_speed: "faster / slower: halve / double the time scale" | "加快 / 放慢：时间比例减半 / 加倍";
    help_pause: "pause / resume a live run" | "暂停 / 继续实时运行";
    help_reset: "reset: cancel the run and clear its timeline" | "重置：取消运行并清空时间线";
    help_compare: "compare variants' times" | "对比各版本用时";
    help_sweep: "sweep a parameter" | "扫描一个参数";
    help_source: "step text ↔ source code" | "讲解 ↔ 源代码";
    help_challenges: "challenges" | "挑战";
    help_look: "colours: dark → light → high contrast → none (kept)" | "配色：深色 → 浅色 → 高对比 → 无色（会记住）";
    help_present: "presenter mode: large text, panel and timeline only" | "演示模式：大字，只留课文、面板和时间线";
    help_new_class: "a new class: every prediction asked again" | "新的一班：所有预测重新提问";
    key_present_off: "leave presenter" | "退出演示";
    help_params: "the lesson's parameters: ←/→ change them, P puts them back" | "本课参数：←/→ 调整，P 恢复默认";
    help_dismiss: "put away the result box" | "收起结果框";
    help_answer: "answer a prediction" | "回答预测";
    help_back: "back to the menu (cancels the run)" | "回到菜单（取消运行）";
    help_next_op: "next operation (the scheduler picks who moves)" | "下一个操作（由调度器选线程）";
    help_choose: "choose a thread" | "选择要动的线程";
    help_move: "move the chosen thread: you are the scheduler" | "让选中的线程动一步：你就是调度器";
    help_hold: "move it until it blocks" | "一直动到阻塞";
    help_undo: "undo / redo a decision" | "撤销 / 重做";
    help_save: "save the schedule" | "保存调度";
    help_lanes: "scroll the lanes" | "滚动时间线";
    help_first_last: "first / last lanes" | "第一行 / 最后一行";
    help_this: "this help" | "本帮助";
    help_quit: "quit" | "退出";

    // ---- the footer ----
    key_select: "select" | "选择";
    key_open: "open" | "打开";
    /// The language `L` switches to.
    key_other_lang: "中文" | "English";
    key_help: "help" | "帮助";
    key_quit: "quit" | "退出";
    key_run: "run" | "运行";
    key_step: "step" | "翻步";
    key_variant: "variant" | "版本";
    key_mode: "mode" | "模式";
    key_next_op: "next op" | "单步";
    key_compare: "compare" | "对比";
    key_code: "code" | "代码";
    key_challenges: "challenges" | "挑战";
    key_params: "params" | "参数";
    key_dismiss: "hide result" | "收起结果";
    key_speed: "speed" | "快慢";
    key_pause: "pause" | "暂停";
    key_reset: "reset" | "重置";
    key_menu: "menu" | "菜单";
    key_choose_thread: "choose" | "选线程";
    key_move: "move" | "动一步";
    key_until_blocked: "until blocked" | "动到阻塞";
    key_undo: "undo" | "撤销";
    key_save: "save" | "保存";
    key_rerun: "rerun" | "重跑";
    key_close: "close" | "关闭";
}

/// `L`'s description in every help: the two languages by their own names.
pub const LANGUAGES: &str = "English / 中文";

impl Words {
    /// A run mode's word: "live" / "实时".
    pub fn mode(self, mode: Mode) -> &'static str {
        match mode {
            Mode::Live => self.mode_live(),
            Mode::Step => self.mode_step(),
            Mode::Virtual => self.mode_virtual(),
        }
    }

    /// The help's menu keys.
    pub fn help_menu(self) -> Keys {
        vec![
            ("↑/↓ j/k", self.help_select_lesson()),
            ("Enter", self.help_open()),
            ("N N", self.help_new_class()),
            ("X X", self.help_forget()),
        ]
    }

    /// The help's lesson keys.
    pub fn help_lesson(self) -> Keys {
        vec![
            ("←/→ h/l", self.help_step()),
            ("↑/↓ j/k", self.help_scroll_text()),
            ("Enter r", self.help_run()),
            ("v V", self.help_variant()),
            ("m", self.help_mode()),
            ("+ -", self.help_speed()),
            (self.key_space(), self.help_pause()),
            ("R", self.help_reset()),
            ("c", self.help_compare()),
            ("w", self.help_sweep()),
            ("o", self.help_source()),
            (
                "x e",
                super::explore::Words(self.0).help_challenges_or_endings(),
            ),
            ("p P", self.help_params()),
            ("d", self.help_dismiss()),
            ("1–9", self.help_answer()),
            ("Esc", self.help_back()),
        ]
    }

    /// The help's step-mode keys.
    pub fn help_step_mode(self) -> Keys {
        vec![
            ("n", self.help_next_op()),
            ("Tab ⇧Tab", self.help_choose()),
            ("s", self.help_move()),
            ("S", self.help_hold()),
            ("u U", self.help_undo()),
            ("W T", super::explore::Words(self.0).help_save_or_trace()),
        ]
    }

    /// The help's keys for the screen itself.
    pub fn help_view(self) -> Keys {
        vec![
            ("PgUp/PgDn", self.help_lanes()),
            ("Home/End", self.help_first_last()),
            ("L", LANGUAGES),
            ("C", self.help_look()),
            ("z", self.help_present()),
            ("?", self.help_this()),
            ("q Ctrl-C", self.help_quit()),
        ]
    }

    /// The footer on the menu.
    pub fn footer_menu(self) -> Keys {
        vec![
            ("↑/↓", self.key_select()),
            ("Enter", self.key_open()),
            ("L", self.key_other_lang()),
            ("?", self.key_help()),
            ("q", self.key_quit()),
        ]
    }

    /// The footer in a lesson.
    pub fn footer_lesson(self) -> Keys {
        vec![
            ("Enter", self.key_run()),
            ("←/→", self.key_step()),
            ("v", self.key_variant()),
            ("m", self.key_mode()),
            ("n", self.key_next_op()),
            ("c", self.key_compare()),
            ("p", self.key_params()),
            ("o", self.key_code()),
            ("x", self.key_challenges()),
            ("+/-", self.key_speed()),
            (self.key_space(), self.key_pause()),
            ("R", self.key_reset()),
            ("Esc", self.key_menu()),
            ("?", self.key_help()),
            ("q", self.key_quit()),
        ]
    }

    /// The footer in presenter mode.
    pub fn footer_present(self) -> Keys {
        vec![
            ("Enter", self.key_run()),
            ("←/→", self.key_step()),
            ("n", self.key_next_op()),
            ("z", self.key_present_off()),
            ("?", self.key_help()),
            ("q", self.key_quit()),
        ]
    }

    /// The footer while a step-mode run waits for the learner.
    pub fn footer_step(self) -> Keys {
        vec![
            ("n", self.key_next_op()),
            ("Tab", self.key_choose_thread()),
            ("s", self.key_move()),
            ("S", self.key_until_blocked()),
            ("u", self.key_undo()),
            ("o", self.key_code()),
            ("W", self.key_save()),
            ("x", self.key_challenges()),
            ("Enter", self.key_rerun()),
            ("R", self.key_reset()),
            ("Esc", self.key_menu()),
            ("?", self.key_help()),
            ("q", self.key_quit()),
        ]
    }

    /// The footer while the help is open.
    pub fn footer_help(self) -> Keys {
        vec![("?/Esc", self.key_close()), ("q", self.key_quit())]
    }
}
