//! What a learner has done, kept between sessions: lessons visited, steps seen, challenges met
//! (with the fewest steps), and predictions answered. One JSON file in the user's data
//! directory: `$LOCKSTEP_DATA_DIR`, else `$XDG_DATA_HOME/lockstep`, else
//! `~/.local/share/lockstep`. A file whose text cannot be understood is moved aside and
//! reported, never fatal; a file that cannot be read at all (not a regular file, no
//! permission) is left as it is and nothing is saved over it; `--no-save` leaves the file alone.
//!
//! Saving happens on a [`Saver`] thread, never the screen's: the latest progress handed to it
//! wins. Each save takes the data directory's lock, reads what is on disk, merges it with the
//! progress being saved (so two apps open at once keep each other's progress) and replaces the
//! file through a temporary file, which a failed write removes.

use crate::files::{self, MAX_PROGRESS_BYTES, ReadError};
use crossbeam_channel::{Receiver, Sender, unbounded};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The environment variable that overrides where progress is kept (tests use it).
pub const DATA_DIR_VAR: &str = "LOCKSTEP_DATA_DIR";
pub const FILE_NAME: &str = "progress.json";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    #[serde(default)]
    pub lessons: BTreeMap<String, LessonProgress>,
    /// The screen's look chosen in the app (`dark`, `light`, `contrast`, `mono`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub look: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LessonProgress {
    #[serde(default)]
    pub visited: bool,
    /// Step indexes (0-based) the learner has had on screen.
    #[serde(default)]
    pub steps_seen: BTreeSet<usize>,
    /// Challenge ids met.
    #[serde(default)]
    pub challenges: BTreeMap<String, Met>,
    /// Predictions, by step index (0-based).
    #[serde(default)]
    pub answers: BTreeMap<usize, Answer>,
}

/// A challenge met, with the fewest scheduling choices it took (step and virtual runs).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Met {
    #[serde(default)]
    pub best_steps: Option<usize>,
}

/// A prediction: the choice made (1-based), whether it was right, and whether a run has
/// shown the truth yet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub choice: usize,
    pub correct: bool,
    #[serde(default)]
    pub revealed: bool,
}

impl Progress {
    pub fn lesson(&self, id: &str) -> Option<&LessonProgress> {
        self.lessons.get(id)
    }

    pub fn lesson_mut(&mut self, id: &str) -> &mut LessonProgress {
        self.lessons.entry(id.to_string()).or_default()
    }

    /// A new class: every prediction is asked again; lessons, steps and challenges stay.
    pub fn forget_answers(&mut self) {
        for l in self.lessons.values_mut() {
            l.answers.clear();
        }
    }

    /// Fold `other` (another app's progress) into this one: lessons visited and steps seen
    /// by either, challenges met by either with the fewest steps either took, and every
    /// answer (this one's, where both answered the same question).
    pub fn merge(&mut self, other: &Progress) {
        if self.look.is_none() {
            self.look.clone_from(&other.look);
        }
        for (id, theirs) in &other.lessons {
            let ours = self.lesson_mut(id);
            ours.visited |= theirs.visited;
            ours.steps_seen.extend(theirs.steps_seen.iter().copied());
            for (c, met) in &theirs.challenges {
                let mine = ours.challenges.entry(c.clone()).or_default();
                mine.best_steps = match (mine.best_steps, met.best_steps) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
            for (step, answer) in &theirs.answers {
                ours.answers.entry(*step).or_insert_with(|| answer.clone());
            }
        }
    }
}

/// Where progress is read from and written to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Store {
    /// The progress file; `None` when no data directory could be found.
    pub file: Option<PathBuf>,
    /// `--no-save`, or a file that must be left as it is: read, never write.
    pub read_only: bool,
}

/// What reading the progress file found worth telling the learner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadNote {
    /// The file's text could not be understood; it was renamed to `to`.
    SetAside { to: PathBuf },
    /// The file could not be read, or could not be understood and not moved: it is left as
    /// it is, and nothing is saved this session.
    LeftAlone { why: String },
}

/// The words of a [`LoadNote`], in English (the screen has them in every language).
impl std::fmt::Display for LoadNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadNote::SetAside { to } => write!(
                f,
                "progress file unreadable; moved aside to {}, starting afresh",
                to.display()
            ),
            LoadNote::LeftAlone { why } => write!(
                f,
                "progress file not read ({why}); left as it is, and progress is not saved"
            ),
        }
    }
}

/// The data directory: `$LOCKSTEP_DATA_DIR`, else the platform's data directory (the XDG one:
/// `$XDG_DATA_HOME/lockstep` when that is an absolute path, else `~/.local/share/lockstep`).
pub fn data_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os(DATA_DIR_VAR).filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(d));
    }
    use etcetera::BaseStrategy;
    etcetera::choose_base_strategy()
        .ok()
        .map(|s| s.data_dir().join("lockstep"))
}

impl Store {
    /// The user's store, from the environment.
    pub fn user(no_save: bool) -> Store {
        Store {
            file: data_dir().map(|d| d.join(FILE_NAME)),
            read_only: no_save,
        }
    }

    /// A store in `dir` (tests, and anyone who wants one elsewhere).
    pub fn in_dir(dir: &Path) -> Store {
        Store {
            file: Some(dir.join(FILE_NAME)),
            read_only: false,
        }
    }

    /// Read progress. A missing file is a fresh start; a file whose text cannot be understood
    /// is moved aside (not with `--no-save`); a file that cannot be read at all is left as it
    /// is and this store becomes read-only, so no save replaces it. The note says which.
    pub fn load(&mut self) -> (Progress, Option<LoadNote>) {
        let Some(file) = self.file.clone() else {
            return (Progress::default(), None);
        };
        let bad_text = match read(&file) {
            Ok(None) => return (Progress::default(), None),
            Ok(Some(p)) => return (p, None),
            Err(Unusable::Unreadable(why)) => {
                self.read_only = true;
                return (Progress::default(), Some(LoadNote::LeftAlone { why }));
            }
            Err(Unusable::BadText(why)) => why,
        };
        if self.read_only {
            return (
                Progress::default(),
                Some(LoadNote::LeftAlone { why: bad_text }),
            );
        }
        match set_aside(&file) {
            Ok(to) => (Progress::default(), Some(LoadNote::SetAside { to })),
            Err(e) => {
                self.read_only = true;
                let why = format!("{bad_text}; not moved aside: {e}");
                (Progress::default(), Some(LoadNote::LeftAlone { why }))
            }
        }
    }

    /// Write progress, merged with what another app saved meanwhile.
    pub fn save(&self, p: &Progress) -> Result<(), String> {
        self.write(p, true)
    }

    /// Write progress as it is, dropping what the file held (forgetting all progress).
    pub fn replace(&self, p: &Progress) -> Result<(), String> {
        self.write(p, false)
    }

    /// Under the data directory's lock: read the file, merge (if asked), and replace it
    /// through a temporary file. The error is the reason, in one line.
    fn write(&self, p: &Progress, merge: bool) -> Result<(), String> {
        if self.read_only {
            return Ok(());
        }
        let Some(file) = &self.file else {
            return Err(format!("no data directory (set ${DATA_DIR_VAR} or $HOME)"));
        };
        let dir = file.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        // Two apps saving at once take turns; the lock goes with the handle.
        let lock = std::fs::File::open(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        match lock.lock() {
            Ok(()) => {}
            // A file system without locks: save all the same.
            Err(e) if e.kind() == std::io::ErrorKind::Unsupported => {}
            Err(e) => return Err(format!("{}: {e}", dir.display())),
        }
        let mut merged = p.clone();
        if merge {
            match read(file) {
                Ok(Some(theirs)) => merged.merge(&theirs),
                Ok(None) => {}
                Err(Unusable::BadText(_)) => {
                    set_aside(file).map_err(|e| format!("{}: {e}", file.display()))?;
                }
                Err(Unusable::Unreadable(why)) => {
                    return Err(format!("{}: {why}", file.display()));
                }
            }
        }
        let text = serde_json::to_string_pretty(&merged).expect("plain data") + "\n";
        files::replace(file, text.as_bytes()).map_err(|e| format!("{}: {e}", file.display()))
    }
}

/// Why the progress file on disk cannot be used.
enum Unusable {
    /// Cannot be read at all (not a regular file, no permission, ...): leave it alone.
    Unreadable(String),
    /// Read, but not progress (not UTF-8, not JSON, too large): it may be set aside.
    BadText(String),
}

/// The progress on disk; `None` when there is no file.
fn read(file: &Path) -> Result<Option<Progress>, Unusable> {
    let text = match files::read_text(file, MAX_PROGRESS_BYTES) {
        Ok(t) => t,
        Err(ReadError::Missing) => return Ok(None),
        Err(e) if e.is_bad_content() => return Err(Unusable::BadText(e.to_string())),
        Err(e) => return Err(Unusable::Unreadable(e.to_string())),
    };
    serde_json::from_str::<Progress>(&text)
        .map(Some)
        .map_err(|e| Unusable::BadText(e.to_string()))
}

/// Rename the file to the first free `progress.json.corrupt[-N]`.
fn set_aside(file: &Path) -> std::io::Result<PathBuf> {
    let aside = aside_name(file);
    std::fs::rename(file, &aside)?;
    Ok(aside)
}

/// `progress.json.corrupt`, or `progress.json.corrupt-2`, ... if that is taken.
fn aside_name(file: &Path) -> PathBuf {
    let taken = |p: &Path| std::fs::symlink_metadata(p).is_ok();
    let base = file.with_extension("json.corrupt");
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|i| file.with_extension(format!("json.corrupt-{i}")))
        .find(|p| !taken(p))
        .expect("some name is free")
}

/// How long dropping a [`Saver`] waits for its last save (a stuck disk must not hang the
/// way out).
const LAST_SAVE_WAIT: Duration = Duration::from_secs(10);

enum Job {
    /// Save this progress; `merge: false` replaces what the file holds.
    Save { progress: Progress, merge: bool },
    /// Answer once every save handed over before it is written.
    Flush(Sender<()>),
}

/// The thread that writes progress, so the screen never waits for a disk. The latest
/// progress handed to it wins; each save's result comes back on [`Saver::results`].
pub struct Saver {
    jobs: Option<Sender<Job>>,
    results: Receiver<Result<(), String>>,
}

impl Saver {
    pub fn start(store: Store) -> Saver {
        let (jobs, rx) = unbounded::<Job>();
        let (results_tx, results) = unbounded();
        let spawned = std::thread::Builder::new()
            .name("lockstep saver".into())
            .spawn(move || {
                while let Ok(first) = rx.recv() {
                    let mut latest: Option<(Progress, bool)> = None;
                    let mut acks = Vec::new();
                    for job in std::iter::once(first).chain(rx.try_iter()) {
                        match job {
                            Job::Save { progress, merge } => {
                                // Forgetting stays a replace even if a save follows it.
                                let merge = merge && latest.as_ref().is_none_or(|(_, m)| *m);
                                latest = Some((progress, merge));
                            }
                            Job::Flush(ack) => acks.push(ack),
                        }
                    }
                    if let Some((p, merge)) = latest {
                        let r = if merge {
                            store.save(&p)
                        } else {
                            store.replace(&p)
                        };
                        let _ = results_tx.send(r);
                    }
                    for ack in acks {
                        let _ = ack.send(());
                    }
                }
            });
        Saver {
            jobs: spawned.ok().map(|_| jobs),
            results,
        }
    }

    /// Hand `progress` over to be saved (`merge: false`: replacing what the file holds).
    pub fn save(&self, progress: Progress, merge: bool) {
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send(Job::Save { progress, merge });
        }
    }

    /// The result of every save, in order.
    pub fn results(&self) -> &Receiver<Result<(), String>> {
        &self.results
    }

    /// Wait (at most `timeout`) until every save handed over so far is written. False on
    /// timeout.
    pub fn flush(&self, timeout: Duration) -> bool {
        let Some(jobs) = &self.jobs else {
            return true;
        };
        let (tx, rx) = unbounded();
        if jobs.send(Job::Flush(tx)).is_err() {
            return true;
        }
        rx.recv_timeout(timeout).is_ok()
    }
}

impl Drop for Saver {
    /// The last save is written before the app goes.
    fn drop(&mut self) {
        self.flush(LAST_SAVE_WAIT);
        self.jobs = None; // the thread ends when the channel closes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("lockstep-progress-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn progress_round_trips() {
        let d = temp("round");
        let mut store = Store::in_dir(&d);
        assert_eq!(store.load(), (Progress::default(), None));
        let mut p = Progress::default();
        let l = p.lesson_mut("lock-vs-join");
        l.visited = true;
        l.steps_seen.insert(2);
        l.challenges.insert(
            "x".into(),
            Met {
                best_steps: Some(12),
            },
        );
        l.answers.insert(
            2,
            Answer {
                choice: 4,
                correct: true,
                revealed: false,
            },
        );
        store.save(&p).unwrap();
        assert_eq!(store.load(), (p, None));
    }

    #[test]
    fn a_corrupt_file_is_moved_aside_and_reported() {
        let d = temp("corrupt");
        let mut store = Store::in_dir(&d);
        std::fs::write(d.join(FILE_NAME), "{ not json").unwrap();
        let (p, note) = store.load();
        assert_eq!(p, Progress::default());
        let note = note.expect("reported").to_string();
        assert!(note.contains("moved aside"), "{note}");
        assert!(d.join("progress.json.corrupt").exists());
        assert!(!d.join(FILE_NAME).exists());
        // A second corrupt file does not overwrite the first one set aside.
        std::fs::write(d.join(FILE_NAME), "42").unwrap();
        store.load();
        assert!(d.join("progress.json.corrupt-2").exists());
    }

    #[test]
    fn no_save_neither_writes_nor_moves() {
        let d = temp("nosave");
        let mut store = Store {
            read_only: true,
            ..Store::in_dir(&d)
        };
        store.save(&Progress::default()).unwrap();
        assert!(!d.join(FILE_NAME).exists());
        std::fs::write(d.join(FILE_NAME), "garbage").unwrap();
        let (_, note) = store.load();
        assert!(note.unwrap().to_string().contains("left as it is"));
        assert!(d.join(FILE_NAME).exists());
    }

    #[test]
    fn merging_keeps_both_and_the_fewest_steps() {
        let mut a = Progress::default();
        let la = a.lesson_mut("kettle");
        la.steps_seen.insert(1);
        la.challenges.insert(
            "c".into(),
            Met {
                best_steps: Some(9),
            },
        );
        la.answers.insert(
            2,
            Answer {
                choice: 1,
                correct: false,
                revealed: true,
            },
        );
        let mut b = Progress::default();
        let lb = b.lesson_mut("kettle");
        lb.visited = true;
        lb.steps_seen.insert(3);
        lb.challenges.insert(
            "c".into(),
            Met {
                best_steps: Some(4),
            },
        );
        lb.challenges.insert("d".into(), Met { best_steps: None });
        lb.answers.insert(
            2,
            Answer {
                choice: 2,
                correct: true,
                revealed: false,
            },
        );
        b.lesson_mut("queues").visited = true;
        a.merge(&b);
        let k = a.lesson("kettle").unwrap();
        assert!(k.visited);
        assert_eq!(k.steps_seen.iter().copied().collect::<Vec<_>>(), [1, 3]);
        assert_eq!(k.challenges["c"].best_steps, Some(4));
        assert!(k.challenges.contains_key("d"));
        assert_eq!(k.answers[&2].choice, 1, "this app's own answer stays");
        assert!(a.lesson("queues").unwrap().visited);
    }

    #[test]
    fn replace_drops_what_the_file_held() {
        let d = temp("replace");
        let store = Store::in_dir(&d);
        let mut p = Progress::default();
        p.lesson_mut("kettle").visited = true;
        store.save(&p).unwrap();
        store.save(&Progress::default()).unwrap();
        assert_eq!(store.clone().load().0, p, "a save merges");
        store.replace(&Progress::default()).unwrap();
        assert_eq!(store.clone().load().0, Progress::default());
    }
}
