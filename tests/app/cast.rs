//! Classroom recordings (`--cast`): a session driven by keys, its frames written through the
//! same `Tee` the terminal uses, must read back as asciicast v2 with a marker at every step and
//! every run. The real binary in a real terminal is in `tests/terminal.rs`.

use lockstep::content::{self, Lang};
use lockstep::tui::cast::{Cast, Tee};
use lockstep::tui::{App, Options, Session};
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::asciicast;
use crate::support::screen as support;
use asciicast::parse_cast;
use support::press;

/// A writer the test can read back.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Shared {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).expect("a cast is UTF-8")
    }
}

#[test]
fn a_session_reads_back_as_asciicast_v2_with_its_markers() {
    let out = Shared::default();
    let cast = Cast::to_writer(
        Path::new("test.cast"),
        Box::new(out.clone()),
        "lockstep lock-vs-join",
        (80, 24),
    )
    .unwrap();
    let mut s = Session::new(App::new(Options {
        lessons: content::embedded().unwrap(),
        open: Some("lock-vs-join".into()),
        lang: Lang::En,
        seed: Some(7),
        scale: Some(0.001),
        params: vec![("threads".into(), "3".into())],
    }));
    s.set_cast(Some(cast.clone()));
    let backend = CrosstermBackend::new(Tee::new(std::io::sink(), Some(cast.clone())));
    let mut term = Terminal::with_options(
        backend,
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 80, 24)),
        },
    )
    .unwrap();
    s.app.resize(80, 24);
    let mut draw = |s: &mut Session| term.draw(|f| s.app.render(f)).map(|_| ()).unwrap();
    draw(&mut s);
    for k in ['l', 'l', 'h', 'm', 'm'] {
        press(&mut s, KeyCode::Char(k));
        draw(&mut s);
    }
    press(&mut s, KeyCode::Enter); // a virtual run of the step's variant
    assert!(s.settle(Duration::from_secs(30)));
    draw(&mut s);
    // A recording from the comparison marks each of its runs.
    for k in ['c', '1'] {
        press(&mut s, KeyCode::Char(k));
    }
    press(&mut s, KeyCode::Enter);
    assert!(s.settle_job(Duration::from_secs(60)));
    draw(&mut s);
    drop(term);
    cast.resize(100, 30);

    let parsed = parse_cast(&out.text());
    assert_eq!(parsed.header["width"], 80);
    assert_eq!(parsed.header["height"], 24);
    assert_eq!(parsed.header["title"], "lockstep lock-vs-join");
    let markers: Vec<&str> = parsed
        .events
        .iter()
        .filter(|(_, c, _)| c == "m")
        .map(|(_, _, d)| d.as_str())
        .collect();
    assert_eq!(
        &markers[..5],
        [
            "lock-vs-join step 1",
            "lock-vs-join step 2",
            "lock-vs-join step 3",
            "lock-vs-join step 2",
            "run no-lock virtual scale 0.001",
        ],
        "{markers:?}"
    );
    for v in ["no-lock", "lock", "join"] {
        let m = format!("record {v} live scale 0.001");
        assert!(markers.contains(&m.as_str()), "{m} in {markers:?}");
    }
    let output: String = parsed
        .events
        .iter()
        .filter(|(_, c, _)| c == "o")
        .map(|(_, _, d)| d.as_str())
        .collect();
    assert!(
        output.contains("Race condition: lock vs join"),
        "the frames' text"
    );
    assert!(output.contains("\u{1b}["), "and their escape sequences");
    assert!(output.contains("Measured"), "the comparison was drawn");
    assert_eq!(
        parsed
            .events
            .last()
            .map(|(_, c, d)| (c.as_str(), d.as_str())),
        Some(("r", "100x30"))
    );
    assert_eq!(cast.error(), None);
}

#[test]
fn output_cut_inside_a_character_waits_for_the_rest() {
    let out = Shared::default();
    let cast = Cast::to_writer(Path::new("t.cast"), Box::new(out.clone()), "t", (80, 24)).unwrap();
    let bytes = "n = 99 ✓".as_bytes();
    let (a, b) = bytes.split_at(bytes.len() - 1); // inside the ✓
    cast.output(a);
    cast.output(b);
    let parsed = parse_cast(&out.text());
    let data: Vec<&str> = parsed.events.iter().map(|(_, _, d)| d.as_str()).collect();
    assert_eq!(data, ["n = 99 ", "✓"]);
}

#[test]
fn cast_is_for_the_app_only() {
    let out = Command::new(env!("CARGO_BIN_EXE_lockstep"))
        .args(["--cast", "x.cast", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("--cast records the app's screen"), "{err}");
    assert!(!Path::new("x.cast").exists(), "no file is made");
}

#[test]
fn cast_never_replaces_a_file_without_force() {
    let dir = std::env::temp_dir().join(format!("lockstep-cast-exists-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let old = dir.join("lesson.cast");
    std::fs::write(&old, "last week's recording\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_lockstep"))
        .arg("--cast")
        .arg(&old)
        .args(["tui", "lock-vs-join"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("exists") && err.contains("--force"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&old).unwrap(),
        "last week's recording\n"
    );
    // --force gets past that check (to the next: this test has no terminal).
    let out = Command::new(env!("CARGO_BIN_EXE_lockstep"))
        .args(["--force", "--cast"])
        .arg(&old)
        .args(["tui", "lock-vs-join"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("needs a terminal"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
