//! Classroom recordings: the session as an asciicast v2 file (one JSON header line, then one
//! `[seconds, code, data]` line per event), which any asciicast player replays.
//!
//! `Tee` sits between ratatui's backend and the terminal and hands every frame's bytes to the
//! `Cast` as one output event ("o"); the session adds markers ("m") at every lesson step and
//! every run start, and the loop a resize event ("r") when the window changes. Every event is
//! written through to the file at once, so a crash or a signal loses nothing already shown.
//! A write that fails (a full disk) stops the recording and cuts the file back to its last
//! complete line, so it still plays; the command line then says so and exits non-zero.

use parking_lot::Mutex;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// An asciicast being written.
pub struct Cast {
    path: PathBuf,
    inner: Mutex<Inner>,
}

struct Inner {
    out: Box<dyn Write + Send>,
    /// The file, when writing to one: cut back to `written` after a failed write.
    file: Option<File>,
    /// Bytes of complete lines written.
    written: u64,
    start: Instant,
    /// The tail of the last output that ended inside a UTF-8 character.
    partial: Vec<u8>,
    /// The first write error; nothing more is written after one.
    error: Option<String>,
}

impl Cast {
    /// Create `path` and write the header: the terminal's size, the title, the time, and
    /// TERM/SHELL. The file must be new (a symlink there is not followed) unless `replace`,
    /// which truncates a regular file; a FIFO or a device is never opened.
    pub fn create(
        path: &Path,
        title: &str,
        size: (u16, u16),
        replace: bool,
    ) -> io::Result<Arc<Cast>> {
        let mut opts = OpenOptions::new();
        opts.write(true);
        if replace {
            if let Ok(m) = std::fs::metadata(path)
                && !m.is_file()
            {
                return Err(io::Error::other("it is not a regular file"));
            }
            opts.create(true).truncate(true);
        } else {
            opts.create_new(true);
        }
        let file = opts.open(path)?;
        let out = Box::new(file.try_clone()?);
        Cast::start(path, out, Some(file), title, size)
    }

    /// A cast written to any writer (tests use a shared buffer); `path` names it in messages.
    pub fn to_writer(
        path: &Path,
        out: Box<dyn Write + Send>,
        title: &str,
        size: (u16, u16),
    ) -> io::Result<Arc<Cast>> {
        Cast::start(path, out, None, title, size)
    }

    fn start(
        path: &Path,
        out: Box<dyn Write + Send>,
        file: Option<File>,
        title: &str,
        (width, height): (u16, u16),
    ) -> io::Result<Arc<Cast>> {
        let mut env = serde_json::Map::new();
        for key in ["TERM", "SHELL"] {
            if let Ok(v) = std::env::var(key) {
                env.insert(key.into(), v.into());
            }
        }
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        // Written by hand to keep the fields in the order the format's own examples use.
        let header = format!(
            "{{\"version\": 2, \"width\": {width}, \"height\": {height}, \"timestamp\": {timestamp}, \
             \"title\": {}, \"env\": {}}}",
            serde_json::Value::from(title),
            serde_json::Value::Object(env),
        );
        let mut inner = Inner {
            out,
            file,
            written: 0,
            start: Instant::now(),
            partial: Vec::new(),
            error: None,
        };
        inner.line(&header)?;
        Ok(Arc::new(Cast {
            path: path.to_path_buf(),
            inner: Mutex::new(inner),
        }))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The writer, unless another thread has held it for a second: a panic while it was held
    /// must not hang the way out (the event is dropped instead).
    fn inner(&self) -> Option<parking_lot::MutexGuard<'_, Inner>> {
        self.inner.try_lock_for(Duration::from_secs(1))
    }

    /// Bytes written to the terminal. A character cut at the end waits for the next output.
    pub fn output(&self, bytes: &[u8]) {
        let Some(mut inner) = self.inner() else {
            return;
        };
        let mut data = std::mem::take(&mut inner.partial);
        data.extend_from_slice(bytes);
        let text = match std::str::from_utf8(&data) {
            Ok(t) => t.to_string(),
            Err(e) if e.error_len().is_none() => {
                // Incomplete at the end: keep the tail for next time.
                let (whole, tail) = data.split_at(e.valid_up_to());
                inner.partial = tail.to_vec();
                String::from_utf8_lossy(whole).into_owned()
            }
            Err(_) => String::from_utf8_lossy(&data).into_owned(),
        };
        if !text.is_empty() {
            inner.event("o", &text);
        }
    }

    /// A marker a player lists as a chapter: "lock-vs-join step 3", "run lock live scale 0.01".
    pub fn marker(&self, label: &str) {
        if let Some(mut inner) = self.inner() {
            inner.event("m", label);
        }
    }

    /// The terminal's new size.
    pub fn resize(&self, width: u16, height: u16) {
        if let Some(mut inner) = self.inner() {
            inner.event("r", &format!("{width}x{height}"));
        }
    }

    /// Why the cast stopped being written, if it did.
    pub fn error(&self) -> Option<String> {
        self.inner().and_then(|i| i.error.clone())
    }
}

impl Inner {
    fn event(&mut self, code: &str, data: &str) {
        if self.error.is_some() {
            return;
        }
        // Taken under the lock, so times never go backwards between threads.
        let t = self.start.elapsed().as_secs_f64();
        let line = serde_json::json!([(t * 1e6).round() / 1e6, code, data]).to_string();
        if let Err(e) = self.line(&line) {
            self.error = Some(e.to_string());
        }
    }

    /// One line, written whole or not at all: a failed write is cut off the file again.
    fn line(&mut self, line: &str) -> io::Result<()> {
        let bytes = [line.as_bytes(), b"\n"].concat();
        let written = self.out.write_all(&bytes).and_then(|()| self.out.flush());
        match written {
            Ok(()) => {
                self.written += bytes.len() as u64;
                Ok(())
            }
            Err(e) => {
                if let Some(f) = &self.file {
                    let _ = f.set_len(self.written);
                }
                Err(e)
            }
        }
    }
}

/// A writer that passes everything through to `inner` and, when a cast is on, gives each
/// flushed frame to it as one output event.
pub struct Tee<W: Write> {
    inner: W,
    cast: Option<Arc<Cast>>,
    frame: Vec<u8>,
}

impl<W: Write> Tee<W> {
    pub fn new(inner: W, cast: Option<Arc<Cast>>) -> Tee<W> {
        Tee {
            inner,
            cast,
            frame: Vec::new(),
        }
    }
}

impl<W: Write> Write for Tee<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        if self.cast.is_some() {
            self.frame.extend_from_slice(&buf[..n]);
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        let flushed = self.inner.flush();
        if let Some(cast) = &self.cast
            && !self.frame.is_empty()
        {
            cast.output(&self.frame);
            self.frame.clear();
        }
        flushed
    }
}

impl<W: Write> Drop for Tee<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}
