//! The words of studying a lesson: the source and threads panels (what a thread will do when
//! picked), undo, saved schedules, challenges, predictions and progress.

use super::screen::{Keys, Words};

crate::catalog! {
    /// The study words.
    pub struct StudyWords;

    // ---- the source ----
    source: "Source" | "源代码";
    source_file(path: &str): "Source: {path}" | "源代码：{path}";
    no_source: "This lesson has no demo code yet." | "这一课还没有演示代码。";

    // ---- the threads panel (step mode) ----
    threads: "Threads: you are the scheduler" | "线程：你就是调度器";
    threads_hint: "Tab choose · s move · S until it blocks · n scheduler · u undo" | "Tab 选 · s 动一步 · S 动到阻塞 · n 调度器选 · u 撤销";
    moving: "moving…" | "执行中…";
    replaying: "replaying your earlier choices…" | "正在重放你之前的选择…";
    nobody_can_move: "nobody can move" | "没有线程能动";
    cannot_move(on: &str): "can't move: waits for {on}" | "不能动：等待 {on}";
    /// Blocked on a condition that was notified `n` times so far.
    cannot_move_cond(res: &str, n: u64): "can't move: waits on condition `{res}` (notified {n}×)" | "不能动：在条件变量 `{res}` 上等待（已通知 {n} 次）";
    /// Blocked at a barrier where `waiting` of `parties` are.
    cannot_move_barrier(res: &str, waiting: usize, parties: u32): "can't move: waits at barrier `{res}` {waiting}/{parties}" | "不能动：在屏障 `{res}` 处等待 {waiting}/{parties}";
    at_line(n: u32): "line {n}" | "第 {n} 行";
    /// Threads that did not fit, after an ellipsis.
    more_threads(n: usize): "{n} more (Tab)" | "还有 {n} 个（Tab）";
    threads_done(names: &str): "done: {names}" | "已完成：{names}";

    // ---- what a thread will do when picked ----
    op_wakes: "wakes up" | "醒来";
    /// A wait with a time limit: picking it lets the time run out.
    op_gives_up: "gives up waiting" | "不再等待";
    /// Back from a sleep, or handed what it waited for.
    op_goes_on: "goes on" | "继续";
    op_start: "starts" | "开始";
    op_spawn: "starts a thread" | "启动线程";
    op_lock(r: &str): "locks {r}" | "加锁 {r}";
    op_unlock(r: &str): "unlocks {r}" | "解锁 {r}";
    /// A semaphore is acquired and released, not locked: it lets several in.
    op_acquire(r: &str): "acquires {r}" | "获取 {r}";
    op_release(r: &str): "releases {r}" | "释放 {r}";
    op_get(r: &str): "reads {r}" | "读 {r}";
    op_set(r: &str): "writes {r}" | "写 {r}";
    op_sleep(t: &str): "sleeps {t}" | "睡 {t}";
    op_work(t: &str): "works {t}" | "干活 {t}";
    op_join(thread: &str): "joins {thread}" | "join {thread}";
    op_resume(task: &str): "resume {task}" | "恢复运行 {task}";
    op_fetch(server: &str): "requests a page from {server}" | "向 {server} 请求一页";
    op_is_alive(thread: &str): "asks whether {thread} is alive" | "查看 {thread} 是否还活着";
    op_say: "prints" | "打印";
    op_connect(res: &str): "connects to {res}" | "连接 {res}";
    op_put(r: &str): "puts into {r}" | "放入 {r}";
    op_take(r: &str): "takes from {r}" | "取出 {r}";
    op_task_done(r: &str): "marks an item of {r} done" | "task_done {r}";
    op_wait_all(r: &str): "waits for {r} to be done" | "等待 {r} 全部完成";
    op_set_flag(r: &str): "sets {r}" | "设置 {r}";
    op_clear_flag(r: &str): "clears {r}" | "清除 {r}";
    op_wait_flag(r: &str): "waits for {r}" | "等待 {r}";
    op_peek(r: &str): "looks at {r}" | "查看 {r}";
    op_wait_cond(r: &str): "waits on {r}" | "在 {r} 上等待";
    op_notify(r: &str): "notifies {r}" | "通知 {r}";
    op_barrier(r: &str): "waits at {r}" | "在 {r} 处等待";
    op_abort(r: &str): "aborts {r}" | "中止 {r}";
    op_reset(r: &str): "resets {r}" | "重置 {r}";
    op_countdown(r: &str): "counts down to fire {r}" | "开始 {r} 的倒计时";
    op_cancel(r: &str): "cancels {r}" | "取消 {r}";
    /// A timer's thread whose time may run out: picking it makes it fire.
    op_fires: "fires" | "触发";

    // ---- challenges ----
    challenges: "Challenges" | "挑战";
    /// The challenge taken on, on top of the left panel.
    challenge_line(text: &str): "Challenge: {text}" | "挑战：{text}";
    met: "met" | "已完成";
    not_yet: "not yet" | "未完成";
    best_steps(n: usize): "best: {n} steps" | "最佳：{n} 步";
    in_steps(n: usize): "in {n} steps" | "用了 {n} 步";
    hint_line(text: &str): "Hint: {text}" | "提示：{text}";
    sets_up: "Enter takes it on: runs" | "Enter 接受挑战：运行";
    any_variant: "the step's variant" | "本步的版本";
    challenges_help: "↑/↓ choose · Enter take it on · x or Esc close" | "↑/↓ 选择 · Enter 接受 · x 或 Esc 关闭";
    challenge_met: "Challenge met!" | "挑战完成！";
    challenge_met_line(text: &str): "Challenge met! {text}" | "挑战完成！{text}";
    /// Met in fewer steps than before (the best before).
    new_best(before: usize): "a new best (best: {before} steps)" | "新纪录（之前最佳 {before} 步）";
    met_again: "met again" | "再次完成";
    /// Parameters set by a challenge, under the step text.
    with_params(params: &str): "with {params}" | "参数：{params}";
    no_challenges: "this lesson has no challenges yet" | "这一课还没有挑战";

    // ---- parameters ----
    params_title: "Parameters" | "参数";
    params_help: "↑/↓ choose · ←/→ change · P defaults · Enter run · p or Esc close" | "↑/↓ 选择 · ←/→ 调整 · P 恢复默认 · Enter 运行 · p 或 Esc 关闭";
    /// A parameter's range and default, under its value.
    param_range(min: &str, max: &str, default: &str): "{min} to {max}, default {default}" | "{min} 到 {max}，默认 {default}";
    param_changed: "changed" | "已改";
    no_params: "this lesson has no parameters" | "这一课没有参数";
    key_change: "change" | "调整";
    /// T changed the look: its name.
    look_now(name: &str): "look: {name} (C changes it)" | "配色：{name}（C 切换）";
    new_class_confirm: "a new class: press N again to ask every prediction afresh (the rest stays)" | "新的一班：再按一次 N，所有预测问题重新提问（其余进度保留）";
    new_class_done: "every prediction will be asked again" | "所有预测问题都会重新提问";
    /// n on a step-mode run that is over.
    step_run_over: "this run is over: n again starts a new one" | "这次运行已结束：再按 n 开始新的一次";
    key_defaults: "defaults" | "默认";
    param_at_limit(key: &str): "{key} is at the end of its range" | "{key} 已到范围的尽头";
    params_reset: "parameters back to the lesson's defaults" | "参数已恢复为本课默认值";
    /// The header's list of parameters that differ from the lesson's defaults.
    params_short: "params" | "参数";

    // ---- predictions ----
    predict: "Predict, then run" | "先预测，再运行";
    predict_keys(n: usize): "1–{n} answer and run · Esc not now" | "1–{n} 作答并运行 · Esc 先不答";
    question_line(text: &str): "Question: {text}" | "问题：{text}";
    enter_asks: "Enter asks it before the run." | "按 Enter 时会先问你。";
    your_prediction(choice: &str): "Your prediction: {choice}" | "你的预测：{choice}";
    right: "right" | "对了";
    wrong_answer_is: "the answer is" | "正确答案是";
    run_to_see: "run it to see" | "运行后揭晓";
    why_line(text: &str): "Why: {text}" | "原因：{text}";
    not_now: "question put aside: Enter asks it again" | "问题先放一放：再按 Enter 会再问";

    // ---- undo, schedules ----
    nothing_to_undo: "nothing to undo: no thread has moved yet" | "没有可撤销的：还没有线程动过";
    undo_step_only: "undo steps back in step-mode runs: m chooses step mode, n starts one" | "撤销只用于单步运行：m 选单步模式，n 开始";
    nothing_to_redo: "nothing to redo" | "没有可重做的";
    undone(name: &str): "undone: {name}'s move · U redoes it" | "已撤销：{name} 的一步 · U 重做";
    hold_step_only: "S moves a thread of a step-mode run: n starts one" | "S 用于单步运行中的线程：n 开始单步运行";
    no_schedule_live: "a live run has no schedule (the OS chose who ran): use step or virtual mode" | "实时运行没有调度记录（由操作系统决定谁运行）：请用单步或虚拟模式";
    no_run_to_save: "nothing to save yet: run the variant first" | "还没有可保存的：先运行一次";
    wait_for_start: "one moment: the run is starting" | "稍等：运行正在启动";
    saved(file: &str): "schedule saved to {file} · replay it: lockstep run --schedule {file}" | "调度已保存到 {file} · 重放：lockstep run --schedule {file}";
    not_saved(why: &str): "schedule not saved: {why}" | "调度未保存：{why}";

    // ---- progress ----
    steps_seen: "steps" | "步";
    forget_confirm: "press X again to forget all progress (lessons, steps, challenges, answers)" | "再按一次 X 清除全部进度（课程、步骤、挑战、答案）";
    forgotten: "progress forgotten" | "进度已清除";
    progress_not_saved(why: &str): "progress not saved: {why}" | "进度未保存：{why}";
    progress_set_aside(file: &str): "progress file unreadable; moved aside to {file}, starting afresh" | "进度文件无法读取；已移到 {file}，重新开始";
    progress_left_alone(why: &str): "progress file not read ({why}); left as it is, and progress is not saved" | "进度文件未读取（{why}）；原样保留，本次不保存进度";

    // ---- footers ----
    key_answer: "answer" | "作答";
    key_not_now: "not now" | "先不答";
    key_choose: "choose" | "选择";
    key_take_on: "take it on" | "接受挑战";
}

impl StudyWords {
    fn screen(self) -> Words {
        Words(self.0)
    }

    /// The footer once a step-mode run is over: undo and save still apply.
    pub fn footer_step_over(self) -> Keys {
        let w = self.screen();
        vec![
            ("u", w.key_undo()),
            ("W", w.key_save()),
            ("Enter", w.key_rerun()),
            ("o", w.key_code()),
            ("x", w.key_challenges()),
            ("←/→", w.key_step()),
            ("R", w.key_reset()),
            ("Esc", w.key_menu()),
            ("?", w.key_help()),
            ("q", w.key_quit()),
        ]
    }

    /// The footer while a question waits for its answer.
    pub fn footer_asking(self) -> Keys {
        let w = self.screen();
        vec![
            ("1–9", self.key_answer()),
            ("Esc", self.key_not_now()),
            ("?", w.key_help()),
            ("q", w.key_quit()),
        ]
    }

    /// The footer of the parameters panel.
    pub fn footer_params(self) -> Keys {
        let w = self.screen();
        vec![
            ("↑/↓", self.key_choose()),
            ("←/→", self.key_change()),
            ("P", self.key_defaults()),
            ("Enter", w.key_run()),
            ("p/Esc", w.key_close()),
            ("?", w.key_help()),
            ("q", w.key_quit()),
        ]
    }

    /// The footer of the challenge list.
    pub fn footer_challenges(self) -> Keys {
        let w = self.screen();
        vec![
            ("↑/↓", self.key_choose()),
            ("Enter", self.key_take_on()),
            ("x/Esc", w.key_close()),
            ("?", w.key_help()),
            ("q", w.key_quit()),
        ]
    }
}
