//! A small file the run's threads and processes read and write whole (Python: `open(path)`,
//! `json.load(f)`, `json.dump(obj, open(path, "w"))`), each read and write an event with the
//! text read or written. The resources panel shows its content as it changes, with the writes
//! that were computed from a stale read (lost updates), as for a shared variable.
//!
//! **Where it is.** Live, it is a real file in the run's own directory, made fresh for the run
//! and removed with it: every thread reads it from disk, every process (a live child too)
//! opens it by its path. A write goes to a new file beside it, renamed over it, so a reader
//! sees the old text or the new one, never half of it. In step and virtual modes, where every
//! process is a group of threads of one program, its text is kept in memory: a read or a write
//! is one step of the scheduler, and the run stays deterministic.

use super::event::Tid;
use super::event::{Op, ResourceKind, Rid, Site, What};
use super::ipc::{Call, Reply};
use super::ipc::{HOSTED, Handle, Hosted, Side, host, hosted, side_of};
use super::sched::{self, ResState};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::any::Any;
use std::fmt::{self, Debug};
use std::panic::Location;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// The object behind a data file: its path, and its text when it lives in memory.
pub(crate) struct HostedFile {
    path: PathBuf,
    /// Step and virtual modes: the file's text.
    text: Option<parking_lot::Mutex<String>>,
}

impl Hosted for HostedFile {
    fn call(&self, _: Call) -> Reply {
        Reply::Raised("a file is read and written where it is used".into())
    }

    fn any(self: Arc<Self>) -> Arc<dyn Any + Send + Sync> {
        self
    }
}

/// Whether resource `rid` of the run is a data file.
pub(crate) fn is_file(core: &super::sched::Core, rid: Rid) -> bool {
    hosted::<HostedFile>(core, rid.0).is_some()
}

/// A file of the run, read and written whole. Cheap to clone; hand it to a thread, or to a
/// process in its argument.
#[derive(Clone)]
pub struct DataFile {
    rid: Rid,
    name: String,
    path: PathBuf,
    /// The run's own (memory or disk), or a live child's view of its parent's file on disk.
    side: Side<HostedFile>,
    /// On disk: the version (see `version`) each thread read last, so a writer can tell for
    /// itself whether someone wrote since.
    seen: Arc<parking_lot::Mutex<Vec<(Tid, u64)>>>,
}

impl DataFile {
    /// A new file `name` holding `text`: live, in the run's own directory; in step and virtual
    /// modes, in memory. A run has one file of each name.
    pub fn create(name: &str, text: &str) -> DataFile {
        let (core, me) = sched::current();
        assert!(
            !name.is_empty() && !name.contains(['/', '\\']) && name != "." && name != "..",
            "a data file's name is a plain file name, not {name:?}"
        );
        let state = ResState::Variable {
            version: 0,
            read_version: Vec::new(),
            depth: vec![0],
        };
        let (path, memory) = if core.virtual_clock() {
            (
                PathBuf::from(name),
                Some(parking_lot::Mutex::new(text.to_string())),
            )
        } else {
            let path = super::child::scratch_dir(&core).join(name);
            let made = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
            if let Err(e) = made {
                panic!("cannot make {}: {e}", path.display());
            }
            (path, None)
        };
        let rid = core.create(me, name, ResourceKind::File, state, Some(text.to_string()));
        let h = Arc::new(HostedFile {
            path: path.clone(),
            text: memory,
        });
        host(&core, rid, h.clone());
        DataFile {
            rid,
            name: name.to_string(),
            path,
            side: Side::Here(h),
            seen: Arc::default(),
        }
    }

    /// Its whole text (Python: `open(path).read()`).
    #[track_caller]
    pub fn read(&self) -> String {
        self.read_at(Location::caller())
    }

    /// Replace its whole text (Python: `open(path, "w").write(text)`).
    #[track_caller]
    pub fn write(&self, text: &str) {
        self.write_at(text, Location::caller());
    }

    /// Its text read as JSON (Python: `json.load(open(path))`); text that is not raises.
    #[track_caller]
    pub fn load<T: DeserializeOwned>(&self) -> T {
        let text = self.read_at(Location::caller());
        match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => panic!("{} is not the JSON expected: {e}", self.name),
        }
    }

    /// Write `value` as JSON, as Python's `json.dump(value, open(path, "w"))` writes it:
    /// `{"count": 1}`.
    #[track_caller]
    pub fn dump<T: Serialize>(&self, value: &T) {
        self.write_at(&python_json(value), Location::caller());
    }

    /// Where it is: a real path live, its bare name in step and virtual modes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    fn read_at(&self, loc: &'static Location<'static>) -> String {
        let site = Some(Site::here(loc));
        let (core, me) = sched::current();
        let (rid, remote) = self.shown_rid();
        let mut w = core.op_point(core.world.lock(), me, Op::Get(rid), site);
        let text = match self.memory() {
            Some(text) => text.lock().clone(),
            None => match read_disk(&self.path) {
                Ok((text, version)) => {
                    self.saw(me, version);
                    text
                }
                Err(e) => {
                    drop(w);
                    panic!("cannot read {}: {e}", self.path.display())
                }
            },
        };
        if remote {
            // The parent counts it with everyone else's reads.
            let value = text.clone();
            core.emit(&mut w, me, What::Get { rid, value }, site);
        } else {
            super::sync::read_variable(&core, &mut w, me, rid, text.clone(), site);
        }
        text
    }

    fn write_at(&self, text: &str, loc: &'static Location<'static>) {
        let site = Some(Site::here(loc));
        let (core, me) = sched::current();
        let (rid, remote) = self.shown_rid();
        let mut w = core.op_point(core.world.lock(), me, Op::Set(rid), site);
        let mut stale = false;
        match self.memory() {
            Some(mem) => *mem.lock() = text.to_string(),
            None => {
                let read = self.seen.lock().iter().find(|(t, _)| *t == me).map(|s| s.1);
                let now = version_of(&self.path).ok();
                stale = read.is_some() && now.is_some() && read != now;
                match replace(&self.path, text) {
                    Ok(version) => self.saw(me, version),
                    Err(e) => {
                        drop(w);
                        panic!("cannot write {}: {e}", self.path.display());
                    }
                }
            }
        }
        let value = text.to_string();
        if remote {
            let what = What::Set {
                rid,
                value,
                stale,
                lost: 0,
            };
            core.emit(&mut w, me, what, site);
        } else {
            super::sync::write_variable(&core, &mut w, me, rid, value, site);
        }
    }

    /// Thread `me` has seen `version` of the file on disk.
    fn saw(&self, me: Tid, version: u64) {
        let mut seen = self.seen.lock();
        match seen.iter_mut().find(|(t, _)| *t == me) {
            Some(s) => s.1 = version,
            None => seen.push((me, version)),
        }
    }

    /// Its text, when it lives in memory (step and virtual modes).
    fn memory(&self) -> Option<&parking_lot::Mutex<String>> {
        match &self.side {
            Side::Here(h) => h.text.as_ref(),
            Side::Parent => None,
        }
    }

    /// The number its events carry, and whether it is the parent's (a live child's view).
    fn shown_rid(&self) -> (Rid, bool) {
        match self.side {
            Side::Here(_) => (self.rid, false),
            Side::Parent => (Rid(self.rid.0 | HOSTED), true),
        }
    }
}

/// The file's text and its version (its inode).
fn read_disk(path: &Path) -> std::io::Result<(String, u64)> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let version = version(&f.metadata()?);
    let mut text = String::new();
    f.read_to_string(&mut text)?;
    Ok((text, version))
}

/// The version of the file on disk now.
fn version_of(path: &Path) -> std::io::Result<u64> {
    Ok(version(&std::fs::metadata(path)?))
}

/// A version of the file: its inode, which every write changes (a new file renamed over it),
/// and, as a freed inode may be given to the next new file, when it was written, to the
/// nanosecond.
fn version(m: &std::fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    let written = (m.mtime() as u64).wrapping_mul(1_000_000_000) ^ m.mtime_nsec() as u64;
    m.ino().wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ written
}

/// Write `text` to a new file beside `path` and rename it over `path`: whoever reads `path`
/// meanwhile gets the old text or the new, whole. Gives the new version.
fn replace(path: &Path, text: &str) -> std::io::Result<u64> {
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let beside = path.with_file_name(format!(".{name}.{}-{n}", std::process::id()));
    std::fs::write(&beside, text)?;
    let version = version_of(&beside)?;
    std::fs::rename(&beside, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&beside);
    })?;
    Ok(version)
}

/// JSON as Python's `json.dumps` writes it by default: `", "` between items, `": "` after a
/// key.
pub fn python_json<T: Serialize + ?Sized>(value: &T) -> String {
    struct Python;
    impl serde_json::ser::Formatter for Python {
        fn begin_array_value<W: ?Sized + std::io::Write>(
            &mut self,
            w: &mut W,
            first: bool,
        ) -> std::io::Result<()> {
            if first { Ok(()) } else { w.write_all(b", ") }
        }
        fn begin_object_key<W: ?Sized + std::io::Write>(
            &mut self,
            w: &mut W,
            first: bool,
        ) -> std::io::Result<()> {
            if first { Ok(()) } else { w.write_all(b", ") }
        }
        fn begin_object_value<W: ?Sized + std::io::Write>(
            &mut self,
            w: &mut W,
        ) -> std::io::Result<()> {
            w.write_all(b": ")
        }
    }
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Python);
    value
        .serialize(&mut ser)
        .expect("what a demo writes to a file is plain data");
    String::from_utf8(out).expect("JSON is UTF-8")
}

impl Serialize for DataFile {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Handle {
            rid: self.rid.0,
            name: self.name.clone(),
            kind: "data file".into(),
            path: Some(self.path.clone()),
            len: 0,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for DataFile {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let h = Handle::deserialize(d)?;
        let side = side_of::<HostedFile, D::Error>(&h, "data file")?;
        let path = match &side {
            Side::Here(found) => found.path.clone(),
            Side::Parent => h.path.clone().ok_or_else(|| D::Error::custom("no path"))?,
        };
        Ok(DataFile {
            rid: Rid(h.rid),
            name: h.name,
            path,
            side,
            seen: Arc::default(),
        })
    }
}

impl Debug for DataFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<file {}>", self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::python_json;

    #[test]
    fn json_is_written_as_python_writes_it() {
        let v = serde_json::json!({"count": 1, "seats": [1, 2]});
        assert_eq!(python_json(&v), r#"{"count": 1, "seats": [1, 2]}"#);
    }
}
