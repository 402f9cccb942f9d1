//! The terminal's side: raw mode and the alternate screen (always restored), the panic hook,
//! signals, and the thread that reads keys.

use super::cast::{Cast, Tee};
use crate::engine::in_demo_thread;
use crossbeam_channel::{Receiver, unbounded};
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, Event};
use ratatui::crossterm::{cursor, execute, terminal};
use ratatui::{Frame, Terminal};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::{Handle, Signals as SignalIter};
use std::io::{self, Stdout, stdout};
use std::panic::{self, PanicHookInfo};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

/// The terminal is in raw mode on the alternate screen.
static ACTIVE: AtomicBool = AtomicBool::new(false);

type PanicHook = Box<dyn Fn(&PanicHookInfo<'_>) + Sync + Send + 'static>;

/// The screen, set up; dropping it restores the terminal and the previous panic hook.
pub struct Screen {
    terminal: Terminal<CrosstermBackend<Tee<Stdout>>>,
    previous_hook: Option<Arc<PanicHook>>,
    crashes: Receiver<()>,
}

impl Screen {
    /// `cast`: also write every frame into this classroom recording.
    pub fn enter(cast: Option<Arc<Cast>>) -> io::Result<Screen> {
        let previous: Arc<PanicHook> = Arc::new(panic::take_hook());
        let chained = previous.clone();
        let (crash_tx, crashes) = unbounded();
        panic::set_hook(Box::new(move |info| {
            // A demo thread's panic is caught at its root and shown in the lesson: keep quiet.
            if in_demo_thread() {
                return;
            }
            restore();
            chained(info);
            let _ = crash_tx.send(()); // wakes the loop, which ends
        }));
        ACTIVE.store(true, Ordering::Release);
        let setup = (|| {
            terminal::enable_raw_mode()?;
            let mut out = Tee::new(stdout(), cast);
            execute!(out, terminal::EnterAlternateScreen, cursor::Hide)?;
            Terminal::new(CrosstermBackend::new(out))
        })();
        let terminal = match setup {
            Ok(t) => t,
            Err(e) => {
                restore();
                put_back_hook(Some(previous));
                return Err(e);
            }
        };
        Ok(Screen {
            terminal,
            previous_hook: Some(previous),
            crashes,
        })
    }

    /// A message for every panic of a thread of ours (not a demo thread's).
    pub fn crashes(&self) -> &Receiver<()> {
        &self.crashes
    }

    pub fn size(&self) -> io::Result<ratatui::layout::Size> {
        self.terminal.size()
    }

    pub fn draw(&mut self, render: impl FnOnce(&mut Frame)) -> io::Result<()> {
        self.terminal.draw(render).map(|_| ())
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        restore();
        put_back_hook(self.previous_hook.take());
    }
}

fn put_back_hook(previous: Option<Arc<PanicHook>>) {
    if std::thread::panicking() {
        return; // the hook cannot be changed while panicking
    }
    let _ = panic::take_hook();
    if let Some(previous) = previous {
        panic::set_hook(Box::new(move |info| previous(info)));
    }
}

/// Leave the alternate screen and raw mode and show the cursor; once, whoever calls first.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::AcqRel) {
        let _ = terminal::disable_raw_mode();
        let _ = execute!(stdout(), terminal::LeaveAlternateScreen, cursor::Show);
    }
}

/// Keys and resizes, read on their own thread so the loop can wait on everything at once.
/// The thread blocks in `read` and ends with the process (or when the loop is gone).
pub fn input_thread() -> Receiver<Event> {
    let (tx, rx) = unbounded();
    let _ = std::thread::Builder::new()
        .name("lockstep input".into())
        .spawn(move || {
            while let Ok(ev) = event::read() {
                if tx.send(ev).is_err() {
                    break;
                }
            }
        });
    rx
}

/// SIGINT, SIGTERM and SIGHUP, delivered as messages (in raw mode Ctrl-C is a key instead).
pub struct Signals {
    rx: Receiver<i32>,
    handle: Handle,
    thread: Option<JoinHandle<()>>,
}

impl Signals {
    pub fn listen() -> io::Result<Signals> {
        let mut signals = SignalIter::new([SIGINT, SIGTERM, SIGHUP])?;
        let handle = signals.handle();
        let (tx, rx) = unbounded();
        let thread = std::thread::Builder::new()
            .name("lockstep signals".into())
            .spawn(move || {
                for s in signals.forever() {
                    if tx.send(s).is_err() {
                        break;
                    }
                }
            })?;
        Ok(Signals {
            rx,
            handle,
            thread: Some(thread),
        })
    }

    pub fn receiver(&self) -> &Receiver<i32> {
        &self.rx
    }

    /// Stop listening: the default actions come back.
    pub fn close(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.handle.close();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Signals {
    fn drop(&mut self) {
        self.stop();
    }
}
