//! The program's own words: the checks every run of every lesson must pass. The runtime's
//! words (the log, thread states, deadlocks) are in `log`; a lesson's live in its folder.

crate::catalog! {
    pub struct Words;

    // ---- the checks every run must pass ----
    no_raise: "no thread raises" | "没有线程抛出异常";
    every_thread_started: "the system starts every thread" | "系统启动了每一个线程";
    not_cancelled: "the run was not cancelled" | "运行没有被取消";
    cancelled_early: "cancelled before it finished" | "还没结束就被取消了";
    ends_in_deadlock: "ends in a detected deadlock" | "以检测到的死锁结束";
    no_deadlock: "finishes without a deadlock" | "没有死锁，顺利结束";
    finished_without: "finished without a deadlock" | "结束了，没有死锁";
    virtual_time: "virtual time matches the formula" | "虚拟时间与公式相符";
    time_and_formula(got: f64, want: f64): "{got:.1} ms, formula {want:.1} ms" | "{got:.1} ms，公式 {want:.1} ms";
}
