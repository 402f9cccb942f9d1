//! What a learner has done, kept between sessions: lessons visited, steps seen, challenges met
//! (with the fewest steps), and predictions answered. One JSON file in the user's data
//! directory: `$LOCKSTEP_DATA_DIR`, else `$XDG_DATA_HOME/lockstep`, else
//! `~/.local/share/lockstep`. A file that cannot be read is moved aside and reported, never
//! fatal; `--no-save` leaves the file alone.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The environment variable that overrides where progress is kept (tests use it).
pub const DATA_DIR_VAR: &str = "LOCKSTEP_DATA_DIR";
pub const FILE_NAME: &str = "progress.json";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    #[serde(default)]
    pub lessons: BTreeMap<String, LessonProgress>,
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
}

/// Where progress is read from and written to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Store {
    /// The progress file; `None` when no data directory could be found.
    pub file: Option<PathBuf>,
    /// `--no-save`: read, never write.
    pub read_only: bool,
}

/// The data directory: `$LOCKSTEP_DATA_DIR`, `$XDG_DATA_HOME/lockstep`, `~/.local/share/lockstep`.
pub fn data_dir() -> Option<PathBuf> {
    let var = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(d) = var(DATA_DIR_VAR) {
        return Some(d);
    }
    if let Some(x) = var("XDG_DATA_HOME").filter(|p| p.is_absolute()) {
        return Some(x.join("lockstep"));
    }
    var("HOME").map(|h| h.join(".local/share/lockstep"))
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

    /// Read progress. A missing file is a fresh start; a file that cannot be understood is
    /// moved aside (not with `--no-save`) and the second value says so, in one line.
    pub fn load(&self) -> (Progress, Option<String>) {
        let Some(file) = &self.file else {
            return (Progress::default(), None);
        };
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return (Progress::default(), None);
            }
            Err(e) => {
                return (
                    Progress::default(),
                    Some(format!("progress not read ({}): {e}", file.display())),
                );
            }
        };
        match serde_json::from_str::<Progress>(&text) {
            Ok(p) => (p, None),
            Err(e) => {
                if self.read_only {
                    return (
                        Progress::default(),
                        Some(format!("progress file unreadable ({e}); left as it is")),
                    );
                }
                let aside = aside_name(file);
                let note = match std::fs::rename(file, &aside) {
                    Ok(()) => format!(
                        "progress file unreadable; moved aside to {}, starting afresh",
                        aside.display()
                    ),
                    Err(r) => format!("progress file unreadable ({e}) and not moved: {r}"),
                };
                (Progress::default(), Some(note))
            }
        }
    }

    /// Write progress (atomically: a temporary file renamed over the old one).
    pub fn save(&self, p: &Progress) -> Result<(), String> {
        if self.read_only {
            return Ok(());
        }
        let Some(file) = &self.file else {
            return Ok(());
        };
        let fail = |e: std::io::Error| format!("progress not saved ({}): {e}", file.display());
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir).map_err(fail)?;
        }
        let text = serde_json::to_string_pretty(p).expect("plain data");
        let tmp = file.with_extension("json.tmp");
        std::fs::write(&tmp, text + "\n").map_err(fail)?;
        std::fs::rename(&tmp, file).map_err(fail)
    }
}

/// `progress.json.corrupt`, or `progress.json.corrupt-2`, ... if that is taken.
fn aside_name(file: &Path) -> PathBuf {
    let base = file.with_extension("json.corrupt");
    if !base.exists() {
        return base;
    }
    (2..)
        .map(|i| file.with_extension(format!("json.corrupt-{i}")))
        .find(|p| !p.exists())
        .expect("some name is free")
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
        let store = Store::in_dir(&d);
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
        let store = Store::in_dir(&d);
        std::fs::write(d.join(FILE_NAME), "{ not json").unwrap();
        let (p, note) = store.load();
        assert_eq!(p, Progress::default());
        let note = note.expect("reported");
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
        let store = Store {
            read_only: true,
            ..Store::in_dir(&d)
        };
        store.save(&Progress::default()).unwrap();
        assert!(!d.join(FILE_NAME).exists());
        std::fs::write(d.join(FILE_NAME), "garbage").unwrap();
        let (_, note) = store.load();
        assert!(note.unwrap().contains("left as it is"));
        assert!(d.join(FILE_NAME).exists());
    }
}
