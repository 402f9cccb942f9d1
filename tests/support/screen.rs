//! Driving the app headless and reading its screen as text: shared by the screen tests.

use lockstep::content::{self, Lang};
use lockstep::tui::{App, Options, Session};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::text::Span;

/// The app opened on `lesson`, every run with `seed`, the lesson's own scale.
#[allow(dead_code)] // not every test file opens a lesson this way
pub fn open(lesson: &str, seed: u64) -> Session {
    Session::new(App::new(Options {
        lessons: content::embedded().unwrap(),
        open: Some(lesson.into()),
        lang: Lang::En,
        seed: Some(seed),
        scale: None,
        params: Vec::new(),
    }))
}

/// One key press, as the terminal would deliver it.
#[allow(dead_code)]
pub fn press(s: &mut Session, code: KeyCode) {
    s.key(KeyEvent::new(code, KeyModifiers::NONE));
}

/// The screen at `w`x`h`, as text (wide characters once, trailing blanks cut).
#[allow(dead_code)]
pub fn screen(app: &mut App, w: u16, h: u16) -> String {
    app.resize(w, h);
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| app.render(f)).unwrap();
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..w {
            let sym = buf[(x, y)].symbol();
            if skip > 0 {
                skip -= 1;
                continue;
            }
            line.push_str(sym);
            skip = Span::raw(sym).width().saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
