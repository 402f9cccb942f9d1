//! Every interleaving in the app: `e` counts every schedule of the variant and opens an
//! ending's shortest schedule in step mode (U follows it); `T` saves the run as a Chrome trace.

use crate::support::screen as support;
use lockstep::content::{self, Lang};
use lockstep::tui::{App, Options, Session};
use ratatui::crossterm::event::KeyCode;
use std::time::Duration;
use support::{press, screen};

const SETTLE: Duration = Duration::from_secs(60);

fn two_threads() -> Session {
    let mut lessons = content::embedded().expect("embedded lessons load");
    let l = lessons.iter_mut().find(|l| l.id == "lock-vs-join").unwrap();
    let p = l.params.iter_mut().find(|p| p.key == "threads").unwrap();
    p.default = 2.0;
    Session::new(App::new(Options {
        lessons,
        open: Some("lock-vs-join".into()),
        lang: Lang::En,
        seed: Some(7),
        scale: None,
        params: Vec::new(),
    }))
}

/// The screen with the explorer's time (which varies) blanked: "124 runs in #.## s".
fn steady(text: &str) -> String {
    text.lines()
        .map(|l| {
            let at = l.find(" runs in ").or_else(|| l.find(" 次运行，用时 "));
            let Some(at) = at else {
                return l.to_string();
            };
            let (head, tail) = l.split_at(at);
            let mut past_in = false;
            let tail: String = tail
                .chars()
                .map(|c| {
                    if c == 'n' || c == '时' {
                        past_in = true;
                    }
                    if past_in && c.is_ascii_digit() {
                        '#'
                    } else {
                        c
                    }
                })
                .collect();
            format!("{head}{tail}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn n_now(s: &Session) -> Option<String> {
    let t = s.app.trace()?;
    t.resources.iter().find(|r| r.name == "n")?.value.clone()
}

#[test]
fn e_shows_how_many_schedules_end_each_way_and_enter_steps_through_one() {
    let mut s = two_threads();
    press(&mut s, KeyCode::Char('e'));
    let waiting = screen(&mut s.app, 120, 40);
    assert!(waiting.contains("Every ending of no-lock"), "{waiting}");
    assert!(s.settle_explorer(SETTLE));
    let big = screen(&mut s.app, 120, 40);
    assert!(big.contains("exhaustive: 4 schedules"), "{big}");
    assert!(big.contains("n = 0, lost 0"), "{big}");
    assert!(big.contains("n = 1, lost 1"), "{big}");
    insta::assert_snapshot!("explorer_120x40", steady(&big));
    insta::assert_snapshot!("explorer_80x24", steady(&screen(&mut s.app, 80, 24)));
    press(&mut s, KeyCode::Char('L'));
    let zh = screen(&mut s.app, 120, 40);
    assert!(zh.contains("穷举：4 种调度"), "{zh}");
    insta::assert_snapshot!("explorer_zh_80x24", steady(&screen(&mut s.app, 80, 24)));
    press(&mut s, KeyCode::Char('L'));
    // The second ending: its shortest schedule, one U at a time, ends that way.
    let second = s.app.explored().unwrap().endings[1].clone();
    let want = second.outcome["n"].to_string();
    press(&mut s, KeyCode::Down);
    press(&mut s, KeyCode::Enter);
    assert!(s.settle(SETTLE));
    let opened = screen(&mut s.app, 120, 40);
    assert!(
        opened.contains("stepping through the shortest schedule"),
        "{opened}"
    );
    assert!(s.app.explored().is_none(), "the box is closed");
    for _ in 0..second.shortest.len() {
        press(&mut s, KeyCode::Char('U'));
        assert!(s.settle(SETTLE));
    }
    assert_eq!(n_now(&s), Some(want));
}

#[test]
fn e_again_or_esc_closes_the_explorer_and_the_lesson_keys_come_back() {
    let mut s = two_threads();
    press(&mut s, KeyCode::Char('e'));
    press(&mut s, KeyCode::Esc);
    assert!(s.app.explored().is_none());
    assert!(!screen(&mut s.app, 120, 40).contains("Every ending"));
    press(&mut s, KeyCode::Char('e'));
    assert!(s.settle_explorer(SETTLE));
    press(&mut s, KeyCode::Char('e'));
    assert!(!screen(&mut s.app, 120, 40).contains("Every ending"));
    press(&mut s, KeyCode::Char('v'));
    press(&mut s, KeyCode::Char('e'));
    assert!(screen(&mut s.app, 120, 40).contains("Every ending of lock"));
}

#[test]
fn t_saves_the_run_as_a_chrome_trace_under_a_new_name() {
    let dir = std::env::temp_dir().join(format!("lockstep-app-trace-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut s = two_threads();
    s.set_schedule_dir(dir.clone());
    press(&mut s, KeyCode::Char('T'));
    assert!(screen(&mut s.app, 120, 40).contains("nothing to trace yet"));
    // A virtual run, then T twice: two files, the second with -2.
    press(&mut s, KeyCode::Char('m'));
    press(&mut s, KeyCode::Char('m'));
    press(&mut s, KeyCode::Enter);
    if s.app.asking() {
        press(&mut s, KeyCode::Char('1'));
    }
    assert!(s.settle(SETTLE));
    press(&mut s, KeyCode::Char('T'));
    press(&mut s, KeyCode::Char('T'));
    let shown = screen(&mut s.app, 120, 40);
    assert!(shown.contains("trace saved to"), "{shown}");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "lock-vs-join-no-lock-virtual-seed7-2.trace.json",
            "lock-vs-join-no-lock-virtual-seed7.trace.json"
        ]
    );
    let text = std::fs::read_to_string(dir.join(&names[1])).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let threads = v["traceEvents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["name"] == "thread_name")
        .count();
    assert_eq!(threads, 3);
    let _ = std::fs::remove_dir_all(&dir);
}
