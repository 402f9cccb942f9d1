//! In Chinese mode the screen speaks Chinese: the menu, a lesson after its runs, the help,
//! step mode, the comparison and the sweep, at 120x40 and 80x24, show no English of their own.
//!
//! Two checks. The screen's chrome (the header, the footer, the timing views' status line,
//! every panel's title, the help boxes) may show, in Latin letters, only keys and names (Enter,
//! PgUp, CSV, ms), the lessons' ids, titles and parameter keys, and the run's thread and lock
//! names. Everywhere else the lessons' own texts (which quote code) and the run's log lines
//! (the runtime's words) may show too.

use crate::support::screen as support;
use lockstep::content::{self, Lang};
use lockstep::tui::{App, Options, Pane, Session};
use ratatui::crossterm::event::KeyCode;
use ratatui::text::Span;
use std::collections::BTreeSet;
use std::time::Duration;
use support::{press, screen};

const SETTLE: Duration = Duration::from_secs(60);

/// Names written the same in both languages: keys, file formats, units, the program.
const NAMES: &[&str] = &[
    "Enter", "Esc", "Tab", "PgUp", "PgDn", "Home", "End", "Ctrl", "English", "Markdown", "CSV",
    "JSON", "md", "CPU", "Python", "lockstep", "ms", "Chrome", "Perfetto", "chrome", "tracing",
];

fn session(threads: u32) -> Session {
    let mut app = App::new(Options {
        lessons: content::embedded().expect("embedded lessons load"),
        open: Some("lock-vs-join".into()),
        lang: Lang::Zh,
        seed: Some(7),
        scale: None,
        params: vec![("threads".into(), threads.to_string())],
    });
    app.set_machine(lockstep::record::Machine {
        cores: 2,
        os: "linux x86_64".into(),
        version: "0.1.0".into(),
    });
    Session::new(app)
}

fn chars(s: &mut Session, keys: &str) {
    for c in keys.chars() {
        press(s, KeyCode::Char(c));
    }
}

/// The words in Latin letters of a text, two letters or more (one letter is a key: v, n, L),
/// each with whether it touches a box's line (a box drawn over the screen may have cut it).
fn words(text: &str) -> Vec<(&str, bool)> {
    let line = |c: Option<char>| c.is_some_and(|c| "│┌└┐┘─".contains(c));
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_ascii_alphabetic(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let cut = line(text[..s].chars().last()) || line(text[i..].chars().next());
                if i - s > 1 {
                    out.push((&text[s..i], cut));
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

fn add(words_of: &str, to: &mut BTreeSet<String>) {
    to.extend(words(words_of).into_iter().map(|(w, _)| w.to_string()));
}

/// What a Chinese screen may show in Latin letters: in its chrome, and anywhere.
struct Allowed {
    chrome: BTreeSet<String>,
    anywhere: BTreeSet<String>,
}

fn allowed(app: &App) -> Allowed {
    let mut chrome: BTreeSet<String> = NAMES.iter().map(|s| s.to_string()).collect();
    let mut anywhere = BTreeSet::new();
    for l in content::embedded().unwrap() {
        add(&l.id, &mut chrome);
        add(&l.title.zh, &mut chrome);
        add(&l.python, &mut anywhere);
        add(&l.summary.zh, &mut anywhere);
        for v in &l.variants {
            add(&v.id, &mut chrome);
            add(&v.title.zh, &mut anywhere);
            add(&v.about.zh, &mut anywhere);
        }
        for p in &l.params {
            add(&p.key, &mut chrome);
            add(&p.label.zh, &mut anywhere);
            add(&p.unit, &mut anywhere);
        }
        for p in &l.published {
            add(&p.outcome, &mut anywhere);
        }
        for s in &l.steps {
            add(&s.text.zh, &mut anywhere);
            if let Some(q) = &s.question {
                add(&q.text.zh, &mut anywhere);
                add(&q.why.zh, &mut anywhere);
                q.choices.iter().for_each(|c| add(&c.zh, &mut anywhere));
            }
        }
        for c in &l.challenges {
            add(&c.text.zh, &mut anywhere);
            c.hint.iter().for_each(|h| add(&h.zh, &mut anywhere));
        }
    }
    if let Some(x) = app.explored() {
        x.endings
            .iter()
            .for_each(|e| e.names.iter().for_each(|n| add(n, &mut chrome)));
    }
    if let Some(t) = app.trace() {
        t.threads.iter().for_each(|k| add(&k.name, &mut chrome));
        t.resources.iter().for_each(|r| add(&r.name, &mut chrome));
    }
    anywhere.extend(chrome.iter().cloned());
    Allowed { chrome, anywhere }
}

/// The cells `from..to` of a line of the screen, as text.
fn cells(line: &str, from: usize, to: usize) -> String {
    let mut at = 0;
    let mut out = String::new();
    for c in line.chars() {
        if at >= from && at < to {
            out.push(c);
        }
        at += Span::raw(c.to_string()).width();
    }
    out
}

/// The cell where `pat` starts in a line.
fn cell_of(line: &str, pat: &str) -> Option<usize> {
    line.find(pat).map(|i| Span::raw(&line[..i]).width())
}

/// The panels' titles in a line: what stands before a rule ("┌ 资源 ───", " 资源 ───" when
/// compact), from the box's corner, another rule, a border or two spaces.
fn titles(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut from = 0;
    for (i, _) in line.match_indices(" ─") {
        let before = &line[..i];
        let start = ["┌", "─", "│", "  "]
            .iter()
            .filter_map(|p| before.rfind(p).map(|k| k + p.len()))
            .max()
            .unwrap_or(0)
            .max(from);
        out.push(line[start..i].trim().to_string());
        from = i;
    }
    out
}

/// The screen's chrome: its first and last lines (and the timing views' status line), the
/// panels' titles, and the help box when it is open.
fn chrome(app: &App, text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = vec![lines[0].to_string(), lines[lines.len() - 1].to_string()];
    if app.pane().is_some() {
        out.push(lines[lines.len() - 2].to_string());
    }
    for l in &lines {
        out.extend(titles(l));
    }
    // The help: from its top line to its bottom one, between its corners.
    let top = lines.iter().position(|l| l.contains("┌ 按键 "));
    let bottom = lines.iter().position(|l| l.contains("└ ? 或 Esc 关闭 "));
    if let (Some(top), Some(bottom)) = (top, bottom) {
        let from = cell_of(lines[top], "┌ 按键 ").unwrap();
        let to = cell_of(lines[top], "┐").unwrap() + 1;
        for l in &lines[top..=bottom] {
            out.push(cells(l, from, to));
        }
    }
    out
}

/// The English of the screen's own on a Chinese screen at `w`x`h`.
fn english(app: &mut App, w: u16, h: u16) -> Vec<String> {
    let allowed = allowed(app);
    let log: Vec<String> = app
        .trace()
        .map(|t| t.log.iter().map(|l| t.text(l, app.lang)).collect())
        .unwrap_or_default();
    let text = screen(app, w, h);
    // A word cut short by a box over it is a piece of an allowed one.
    let fine = |word: &str, cut: bool, ok: &BTreeSet<String>| {
        ok.contains(word) || cut && ok.iter().any(|a| a.contains(word))
    };
    let mut found = Vec::new();
    for part in chrome(app, &text) {
        for (word, cut) in words(&part) {
            if !fine(word, cut, &allowed.chrome) {
                found.push(format!("{word:?} in the chrome: {:?}", part.trim()));
            }
        }
    }
    for line in text.lines() {
        // The log's lines, whole or cut short with "…", are the runtime's words.
        let mut line = line.to_string();
        for l in &log {
            if line.contains(l.as_str()) {
                line = line.replace(l.as_str(), "");
                continue;
            }
            let chars: Vec<char> = l.chars().collect();
            for k in (6..chars.len()).rev() {
                let cut: String = chars[..k].iter().chain(['…'].iter()).collect();
                if line.contains(&cut) {
                    line = line.replace(&cut, "");
                    break;
                }
            }
        }
        for (word, cut) in words(&line) {
            if !fine(word, cut, &allowed.anywhere) {
                found.push(format!("{word:?} in {:?}", line.trim()));
            }
        }
    }
    found
}

/// The screen at both sizes: no English of its own.
fn check(app: &mut App, what: &str, problems: &mut Vec<String>) {
    for (w, h) in [(120, 40), (80, 24)] {
        for p in english(app, w, h) {
            problems.push(format!("{what} at {w}x{h}: {p}"));
        }
    }
}

#[test]
fn a_chinese_screen_shows_no_english_of_its_own() {
    let mut problems = Vec::new();
    let mut s = session(10);
    press(&mut s, KeyCode::Esc); // the menu, lock-vs-join selected
    check(&mut s.app, "the menu", &mut problems);
    chars(&mut s, "?");
    check(&mut s.app, "the menu's help", &mut problems);
    chars(&mut s, "?");

    // Lock-vs-join's step 3 (its question answered), then the next variant: two runs.
    press(&mut s, KeyCode::Enter);
    chars(&mut s, "mmll"); // virtual, step 3
    assert!(screen(&mut s.app, 120, 40).contains("竞态条件：锁与 join"));
    press(&mut s, KeyCode::Enter);
    check(&mut s.app, "the question", &mut problems);
    chars(&mut s, "4");
    assert!(s.settle(SETTLE));
    check(&mut s.app, "a lesson after a run", &mut problems);
    chars(&mut s, "v");
    press(&mut s, KeyCode::Enter);
    assert!(s.settle(SETTLE));
    check(&mut s.app, "a lesson after two runs", &mut problems);
    chars(&mut s, "?");
    check(&mut s.app, "the lesson's help", &mut problems);
    chars(&mut s, "?");
    chars(&mut s, "x");
    check(&mut s.app, "the challenges", &mut problems);
    chars(&mut s, "x");

    chars(&mut s, "c");
    assert_eq!(s.app.pane(), Some(Pane::Compare));
    check(&mut s.app, "the comparison", &mut problems);
    chars(&mut s, "?");
    check(&mut s.app, "the timing views' help", &mut problems);
    chars(&mut s, "?");
    press(&mut s, KeyCode::Tab);
    assert_eq!(s.app.pane(), Some(Pane::Sweep));
    check(&mut s.app, "the sweep before it runs", &mut problems);
    press(&mut s, KeyCode::Enter);
    assert!(s.settle_job(SETTLE), "the sweep ends");
    check(&mut s.app, "the sweep", &mut problems);

    // Step mode: the threads panel says what each thread will do.
    let mut s = session(2);
    chars(&mut s, "ll");
    press(&mut s, KeyCode::Char('n'));
    chars(&mut s, "4");
    assert!(s.settle(SETTLE));
    for _ in 0..3 {
        chars(&mut s, "s");
        assert!(s.settle(SETTLE));
    }
    check(&mut s.app, "step mode", &mut problems);

    // The outcome explorer's box.
    let mut s = session(2);
    chars(&mut s, "e");
    assert!(s.settle_explorer(SETTLE));
    check(&mut s.app, "the explorer", &mut problems);

    assert!(problems.is_empty(), "{problems:#?}");
}
