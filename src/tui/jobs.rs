//! The timing views' work, off the UI thread: a recording or a sweep runs on its own thread
//! and reports on a channel the loop waits on; a stop cancels the run going at once. Saving a
//! comparison writes a file named after the lesson and the local time.

use super::cast::Cast;
use super::timing::{JobKind, JobNews, JobRequest, Ran, SaveRequest};
use crate::content;
use crate::engine::Mode;
use crate::lessons;
use crate::record::{self, Note, Stop};
use crate::runner;
use crossbeam_channel::{Receiver, Sender, unbounded};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

pub struct Jobs {
    tx: Sender<JobNews>,
    rx: Receiver<JobNews>,
    going: Option<(u64, Stop)>,
    /// Where saved comparisons go; none: nowhere (tests, unless they give one). The app
    /// sets the current directory.
    pub save_dir: Option<PathBuf>,
}

impl Jobs {
    pub fn new() -> Jobs {
        let (tx, rx) = unbounded();
        Jobs {
            tx,
            rx,
            going: None,
            save_dir: None,
        }
    }

    pub fn news(&self) -> Receiver<JobNews> {
        self.rx.clone()
    }

    /// The job going, if any.
    pub fn going(&self) -> Option<u64> {
        self.going.as_ref().map(|(id, _)| *id)
    }

    /// The job ended (its last news arrived).
    pub fn ended(&mut self, id: u64) {
        if self.going() == Some(id) {
            self.going = None;
        }
    }

    /// Stop the job going: no further run starts and the one going is cancelled now.
    pub fn stop(&mut self) {
        if let Some((_, stop)) = self.going.take() {
            stop.stop();
        }
    }

    /// Start `req` on its own thread (stopping any job going). `text` is the lesson's.
    pub fn start(&mut self, req: JobRequest, text: content::Lesson, cast: Option<Arc<Cast>>) {
        self.stop();
        let tx = self.tx.clone();
        let id = req.id;
        let Some(code) = lessons::find(&req.lesson) else {
            let _ = tx.send(JobNews::Done {
                id,
                recording: None,
                why: None,
            });
            return;
        };
        let stop = Stop::new();
        let stopper = stop.clone();
        let name = match req.kind {
            JobKind::Record => "lockstep record",
            JobKind::Sweep => "lockstep sweep",
        };
        let spawned = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                let recording = work(code, &req, &text, &stop, cast.as_deref(), &tx);
                let _ = tx.send(JobNews::Done {
                    id: req.id,
                    recording: recording.map(Box::new),
                    why: stop.why(),
                });
            });
        match spawned {
            Ok(_) => self.going = Some((id, stopper)),
            Err(_) => {
                let _ = self.tx.send(JobNews::Done {
                    id,
                    recording: None,
                    why: None,
                });
            }
        }
    }

    /// Write a comparison into the save directory; the file's name, or why it failed.
    pub fn save(&self, req: &SaveRequest) -> Result<String, String> {
        let Some(dir) = &self.save_dir else {
            return Err("saving is off in this session".into());
        };
        let stem = format!("lockstep-{}-{}{}", req.lesson, req.what, local_stamp());
        let ext = req.format.ext();
        // Never overwrite: a second save in the same minute gets "-2", and so on.
        for n in 1..1000 {
            let name = match n {
                1 => format!("{stem}.{ext}"),
                _ => format!("{stem}-{n}.{ext}"),
            };
            let path = dir.join(&name);
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    return f
                        .write_all(req.text.as_bytes())
                        .map(|_| shown(dir, &name))
                        .map_err(|e| cannot(dir, e));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(cannot(dir, e)),
            }
        }
        Err(format!(
            "cannot save in {}: too many files named {stem}",
            dir.display()
        ))
    }
}

/// "cannot save in /some/dir: Permission denied", short enough for one line.
fn cannot(dir: &std::path::Path, e: std::io::Error) -> String {
    let why = e.to_string();
    let why = match why.find(" (os error") {
        Some(i) => why[..i].to_string(),
        None => why,
    };
    format!("cannot save in {}: {why}", dir.display())
}

impl Default for Jobs {
    fn default() -> Self {
        Jobs::new()
    }
}

/// A saved file as the learner finds it: its bare name in the current directory.
fn shown(dir: &std::path::Path, name: &str) -> String {
    if dir == std::path::Path::new(".") {
        name.to_string()
    } else {
        dir.join(name).display().to_string()
    }
}

/// The job itself, on its thread: `record::record_watched` with news at every run.
fn work(
    code: &'static dyn lessons::AnyLesson,
    req: &JobRequest,
    text: &content::Lesson,
    stop: &Stop,
    cast: Option<&Cast>,
    tx: &Sender<JobNews>,
) -> Option<record::Recording> {
    let variants: Vec<&'static str> = code.variants();
    let seed = req.seed.unwrap_or_else(runner::fresh_seed);
    let spec = record::Spec {
        lesson: code,
        text,
        variants: variants.clone(),
        modes: vec![req.mode],
        repeat: req.repeat.max(1),
        scale: req.scale,
        seed,
        params: req.params.clone(),
        sweep: req.sweep.clone(),
    };
    // How long each run should take by the lesson's formula, to say how long is left.
    let expected: Vec<f64> = {
        let mut v = Vec::new();
        let values: Vec<Option<f64>> = match &req.sweep {
            Some((_, vs)) => vs.iter().copied().map(Some).collect(),
            None => vec![None],
        };
        for value in values {
            let mut p = req.params.clone();
            if let (Some((k, _)), Some(x)) = (&req.sweep, value) {
                let _ = p.set(k, x);
            }
            for variant in &variants {
                let ms = runner::formula_ms(code, variant, &p).unwrap_or(0.0) * req.scale / 1000.0;
                v.extend(std::iter::repeat_n(ms, spec.repeat));
            }
        }
        v
    };
    let start = Instant::now();
    let what = match req.kind {
        JobKind::Record => "record",
        JobKind::Sweep => "sweep",
    };
    let mut watch = |note: Note| match note {
        Note::Starting {
            done, total, label, ..
        } => {
            if let Some(c) = cast {
                c.marker(&format!("{what} {label} scale {}", req.scale));
            }
            let left_s = (req.mode == Mode::Live)
                .then(|| expected.iter().skip(done).sum::<f64>())
                .filter(|s| *s > 0.0);
            let _ = tx.send(JobNews::Progress {
                id: req.id,
                done,
                total,
                label: label.to_string(),
                seed,
                elapsed_s: start.elapsed().as_secs_f64(),
                left_s,
            });
        }
        Note::Ran {
            result,
            params,
            cores_needed,
            ..
        } => {
            if req.kind == JobKind::Record {
                let ran = Ran::new(&req.lesson, result, params, cores_needed, true);
                let _ = tx.send(JobNews::Ran(Box::new(ran)));
            }
        }
    };
    record::record_watched(&spec, stop, &mut watch)
}

/// The local time as "20261122-0530", for file names.
fn local_stamp() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let (y, mo, d, h, mi) = local_time(secs);
    format!("{y:04}{mo:02}{d:02}-{h:02}{mi:02}")
}

#[cfg(target_os = "linux")]
fn local_time(secs: i64) -> (i64, i64, i64, i64, i64) {
    // SAFETY: localtime_r writes only into `tm`, which lives on this stack frame.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let t: libc::time_t = secs as libc::time_t;
    let ok = unsafe { !libc::localtime_r(&t, &mut tm).is_null() };
    if !ok {
        return utc_time(secs);
    }
    (
        tm.tm_year as i64 + 1900,
        tm.tm_mon as i64 + 1,
        tm.tm_mday as i64,
        tm.tm_hour as i64,
        tm.tm_min as i64,
    )
}

#[cfg(not(target_os = "linux"))]
fn local_time(secs: i64) -> (i64, i64, i64, i64, i64) {
    utc_time(secs)
}

/// Civil date and time from Unix seconds (UTC), after Howard Hinnant's `civil_from_days`.
fn utc_time(secs: i64) -> (i64, i64, i64, i64, i64) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, rem / 3600, rem % 3600 / 60)
}

#[cfg(test)]
mod tests {
    use super::utc_time;

    #[test]
    fn utc_dates() {
        assert_eq!(utc_time(0), (1970, 1, 1, 0, 0));
        // 2026-11-22 05:30 UTC
        assert_eq!(utc_time(1_795_325_400), (2026, 11, 22, 5, 30));
        assert_eq!(utc_time(951_782_400), (2000, 2, 29, 0, 0));
    }
}
