//! Files the program reads and writes, done so that nothing hangs and nothing is lost: only
//! regular files are read, never past a size cap (a FIFO, `/dev/zero` or a directory is one
//! line of error, at once), and a file is replaced by writing a temporary file beside it and
//! renaming it over the old one, so an interrupted or failed write leaves the old file whole.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// The most a schedule file (`W`, `run --schedule`) may hold.
pub const MAX_SCHEDULE_BYTES: u64 = 8 << 20;

/// The most a progress file may hold (a real one is a few kilobytes).
pub const MAX_PROGRESS_BYTES: u64 = 8 << 20;

/// The most a lesson file (`--lessons-dir`) may hold.
pub const MAX_LESSON_BYTES: u64 = 4 << 20;

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// There is no such file.
    Missing,
    /// A FIFO, a device, a directory, ...: never opened, so never waited on.
    NotRegular(&'static str),
    /// Larger than the cap: (its size, the cap).
    TooLarge(u64, u64),
    /// Not UTF-8 text.
    NotText,
    /// Anything else the system said (permission denied, ...).
    Io(io::Error),
}

impl ReadError {
    /// The file is there and regular, but what it holds cannot be used as text.
    pub fn is_bad_content(&self) -> bool {
        matches!(self, ReadError::TooLarge(..) | ReadError::NotText)
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Missing => f.write_str("no such file"),
            ReadError::NotRegular(what) => write!(f, "not a regular file ({what})"),
            ReadError::TooLarge(size, cap) => write!(
                f,
                "too large ({}; at most {})",
                human_bytes(*size),
                human_bytes(*cap)
            ),
            ReadError::NotText => f.write_str("not UTF-8 text"),
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

fn human_bytes(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{:.1} MiB", n as f64 / (1 << 20) as f64)
    } else if n >= 1 << 10 {
        format!("{:.1} KiB", n as f64 / (1 << 10) as f64)
    } else {
        format!("{n} bytes")
    }
}

/// What kind of thing a path that is not a regular file is.
fn kind(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a file"
    }
}

/// Open `path` for reading, without ever waiting on a FIFO: on Linux the open does not block
/// (a FIFO swapped in after the check is then refused by the check on the open file).
fn open_for_reading(path: &Path) -> io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    opts.open(path)
}

/// Read a regular file of at most `cap` bytes as UTF-8 text (symlinks are followed).
pub fn read_text(path: &Path, cap: u64) -> Result<String, ReadError> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        // A file on the way is no folder: there is no such file either.
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            return Err(ReadError::Missing);
        }
        Err(e) => return Err(ReadError::Io(e)),
    };
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind(&meta)));
    }
    if meta.len() > cap {
        return Err(ReadError::TooLarge(meta.len(), cap));
    }
    let file = match open_for_reading(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(ReadError::Missing),
        Err(e) => return Err(ReadError::Io(e)),
    };
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind(&meta)));
    }
    let mut bytes = Vec::new();
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge(bytes.len() as u64, cap));
    }
    String::from_utf8(bytes).map_err(|_| ReadError::NotText)
}

/// The file an existing path stands for: a symlink's target, so that replacing the file keeps
/// the link.
fn resolved(path: &Path) -> PathBuf {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    }
}

/// `dir/.NAME.tmp-PID`: the temporary file a write to `dir/NAME` goes through.
fn temp_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Whether `path` may be replaced by [`replace`]: a new name or a regular file, in a folder
/// that takes new files. Checked before long work, so it fails before, not after. Creates
/// nothing that stays.
pub fn check_replaceable(path: &Path) -> Result<(), String> {
    let shown = path.display();
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => {
            return Err(format!(
                "cannot write {shown}: it is {}, not a regular file (give a file name, or \
                 leave the option out to write to standard output)",
                kind(&m)
            ));
        }
        _ => {}
    }
    let target = resolved(path);
    let tmp = temp_beside(&target);
    match OpenOptions::new().write(true).create_new(true).open(&tmp) {
        Ok(_) => {
            let _ = std::fs::remove_file(&tmp);
            Ok(())
        }
        Err(e) => Err(format!("cannot write {shown}: {e}")),
    }
}

/// Replace the file at `path` with `bytes`: written to a temporary file beside it, then
/// renamed over it. On any failure the temporary file is removed and the old file (if any) is
/// left as it was. An existing file keeps its permissions; a symlink keeps pointing at it.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let target = resolved(path);
    if let Ok(m) = std::fs::metadata(&target)
        && !m.is_file()
    {
        return Err(io::Error::other(format!(
            "it is {}, not a regular file",
            kind(&m)
        )));
    }
    let tmp = temp_beside(&target);
    let result = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        if let Ok(old) = std::fs::metadata(&target) {
            let _ = f.set_permissions(old.permissions());
        }
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, &target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Write `bytes` into a new file at `path`, never following a symlink or replacing anything
/// there (O_EXCL). A failed write removes the file it made.
pub fn create_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = OpenOptions::new().write(true).create_new(true).open(path)?;
    let written = f.write_all(bytes).and_then(|()| f.sync_all());
    if written.is_err() {
        drop(f);
        let _ = std::fs::remove_file(path);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("lockstep-files-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn reads_regular_files_and_refuses_the_rest_at_once() {
        let d = temp("read");
        let f = d.join("a.json");
        std::fs::write(&f, "hello").unwrap();
        assert_eq!(read_text(&f, 10).unwrap(), "hello");
        assert!(matches!(read_text(&f, 3), Err(ReadError::TooLarge(5, 3))));
        assert!(matches!(
            read_text(&d.join("none"), 3),
            Err(ReadError::Missing)
        ));
        assert!(matches!(read_text(&d, 3), Err(ReadError::NotRegular(_))));
        let zero = read_text(Path::new("/dev/zero"), 3).unwrap_err();
        assert_eq!(zero.to_string(), "not a regular file (a character device)");
        std::fs::write(&f, [0xff, 0xfe]).unwrap();
        assert!(matches!(read_text(&f, 10), Err(ReadError::NotText)));
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn replace_keeps_the_old_file_when_it_cannot_finish() {
        let d = temp("replace");
        let f = d.join("out.md");
        std::fs::write(&f, "old results").unwrap();
        replace(&f, b"new results").unwrap();
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "new results");
        // Nothing else is left beside it.
        let names: Vec<_> = std::fs::read_dir(&d).unwrap().collect();
        assert_eq!(names.len(), 1);
        // A symlink keeps pointing at the file it names.
        let link = d.join("link.md");
        std::os::unix::fs::symlink(&f, &link).unwrap();
        replace(&link, b"through the link").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "through the link");
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn create_new_never_follows_a_dangling_symlink() {
        let d = temp("create");
        let link = d.join("s.json");
        std::os::unix::fs::symlink(d.join("elsewhere.json"), &link).unwrap();
        let e = create_new(&link, b"x").unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        assert!(!d.join("elsewhere.json").exists());
        let _ = std::fs::remove_dir_all(&d);
    }
}
