//! The real binary in a real terminal (tmux): it opens, runs a variant, and leaves the
//! terminal as it found it on q, on Ctrl-C and on SIGTERM; `record` draws its progress bar
//! there. Skipped, saying so, without tmux.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
    dir: PathBuf,
}

impl Tmux {
    /// A detached 80x24 session running `lockstep ARGS`, then `stty -a` into a file.
    fn start(name: &str, args: &str) -> Option<Tmux> {
        Tmux::start_with(name, "", args)
    }

    /// [`Tmux::start`], with `before` run first in the program's own subshell (limits, ...)
    /// and `env` (`K=V ...`) in place of the test's data directory.
    fn start_with(name: &str, before: &str, args: &str) -> Option<Tmux> {
        Tmux::start_env(name, before, None, args)
    }

    fn start_env(name: &str, before: &str, env: Option<&str>, args: &str) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            // CI installs tmux: there, a missing one is a failure, not a skip.
            assert!(
                std::env::var_os("CI").is_none(),
                "tmux is not installed, and CI must run the real-terminal tests"
            );
            eprintln!("SKIPPED: tmux is not installed, so the real-terminal tests did not run");
            return None;
        }
        let socket = format!("lockstep-test-{name}-{}", std::process::id());
        let dir = std::env::temp_dir().join(&socket);
        std::fs::create_dir_all(&dir).unwrap();
        let bin = env!("CARGO_BIN_EXE_lockstep");
        // Progress goes to the test's own folder, never the user's home.
        let env = env.map_or_else(
            || format!("LOCKSTEP_DATA_DIR={}/data", dir.display()),
            |e| e.replace("{d}", &dir.display().to_string()),
        );
        let script = format!(
            "({before} TERM=xterm-256color {env} exec {bin} {args}); echo $? > {d}/status; \
             stty -a > {d}/stty; sleep 30",
            d = dir.display()
        );
        let ok = Command::new("tmux")
            .args(["-L", &socket, "new-session", "-d", "-x", "80", "-y", "24"])
            .arg(script)
            .status()
            .unwrap()
            .success();
        assert!(ok, "tmux could not start a session");
        Some(Tmux { socket, dir })
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            Command::new("tmux")
                .args(["-L", &self.socket, "send-keys", k])
                .status()
                .unwrap();
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn wait_for(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self.screen().contains(needle) {
            assert!(
                Instant::now() < deadline,
                "never saw {needle:?}:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The program's exit status and the terminal settings it left behind.
    fn finished(&self) -> (String, String) {
        let status = self.dir.join("status");
        let deadline = Instant::now() + Duration::from_secs(20);
        while !status.exists() || !self.dir.join("stty").exists() {
            assert!(
                Instant::now() < deadline,
                "the program did not exit:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(Duration::from_millis(100));
        (read(&status), read(&self.dir.join("stty")))
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p)
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// Send SIGTERM to the lockstep started with `args` (not to the shell running it).
fn terminate(args: &str) {
    signal(args, "TERM");
}

/// Send signal `name` (TERM, HUP, INT) to the lockstep started with `args`.
fn signal(args: &str, name: &str) {
    let pids = Command::new("pgrep").args(["-f", args]).output().unwrap();
    let pids = String::from_utf8_lossy(&pids.stdout).to_string();
    let mut killed = false;
    for pid in pids.split_whitespace() {
        if read(Path::new(&format!("/proc/{pid}/comm"))) == "lockstep" {
            killed |= Command::new("kill")
                .args([&format!("-{name}"), pid])
                .status()
                .unwrap()
                .success();
        }
    }
    assert!(killed, "found the program to signal: {pids}");
}

/// Raw mode undone: line editing and echo are back on.
fn assert_restored(stty: &str) {
    let words: Vec<&str> = stty.split_whitespace().collect();
    assert!(words.contains(&"icanon"), "{stty}");
    assert!(words.contains(&"echo"), "{stty}");
}

#[test]
fn open_run_and_quit_leaves_the_terminal_clean() {
    let Some(t) = Tmux::start("quit", "tui lock-vs-join --scale 0.001") else {
        return;
    };
    t.wait_for("step 1/");
    t.keys(&["Enter"]);
    t.wait_for("n = 99");
    t.keys(&["q"]);
    let (status, stty) = t.finished();
    assert_eq!(status, "0");
    assert_restored(&stty);
    assert!(
        !t.screen().contains("Timeline"),
        "the alternate screen is gone"
    );
}

#[test]
fn ctrl_c_quits_cleanly() {
    let Some(t) = Tmux::start("ctrlc", "") else {
        return;
    };
    t.wait_for("Lessons");
    t.keys(&["C-c"]);
    let (status, stty) = t.finished();
    assert_eq!(status, "0");
    assert_restored(&stty);
}

#[test]
fn sigterm_restores_the_terminal() {
    let Some(t) = Tmux::start("term", "tui lock-vs-join --seed 4242") else {
        return;
    };
    t.wait_for("step 1/");
    terminate("tui lock-vs-join --seed 4242");
    let (status, stty) = t.finished();
    assert_restored(&stty);
    assert_eq!(status, "143", "128 + SIGTERM, as shells expect");
}

#[test]
fn sighup_and_sigint_end_with_128_plus_the_signal() {
    for (name, seed, status) in [("HUP", 4244, "129"), ("INT", 4245, "130")] {
        let args = format!("tui lock-vs-join --seed {seed}");
        let Some(t) = Tmux::start(&format!("sig{name}"), &args) else {
            return;
        };
        t.wait_for("step 1/");
        signal(&args, name);
        let (got, stty) = t.finished();
        assert_restored(&stty);
        assert_eq!(got, status, "SIG{name}");
    }
}

// ---- classroom recordings (--cast) ----

use crate::support::asciicast;

/// A cast file of this test process, removed when dropped.
struct CastFile(PathBuf);

impl CastFile {
    fn new(name: &str) -> CastFile {
        let p = std::env::temp_dir().join(format!("lockstep-{name}-{}.cast", std::process::id()));
        let _ = std::fs::remove_file(&p);
        CastFile(p)
    }

    fn markers(&self) -> Vec<String> {
        let parsed = asciicast::parse_cast(&read(&self.0));
        assert_eq!(parsed.header["width"], 80, "the pane's size");
        assert_eq!(parsed.header["height"], 24);
        parsed
            .events
            .into_iter()
            .filter(|(_, code, _)| code == "m")
            .map(|(_, _, label)| label)
            .collect()
    }
}

impl Drop for CastFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn cast_before_the_command_records_steps_and_runs() {
    let cast = CastFile::new("cast-before");
    let args = format!("--cast {} tui lock-vs-join --scale 0.001", cast.0.display());
    let Some(t) = Tmux::start("cast1", &args) else {
        return;
    };
    t.wait_for("step 1/");
    t.keys(&["l", "l"]);
    t.wait_for("step 3/");
    t.keys(&["Enter"]); // the step asks for a prediction first
    t.wait_for("Predict, then run");
    t.keys(&["4"]);
    t.wait_for("n = 99");
    t.keys(&["q"]);
    let (status, stty) = t.finished();
    assert_eq!(status, "0");
    assert_restored(&stty);
    assert_eq!(
        cast.markers(),
        [
            "lock-vs-join step 1",
            "lock-vs-join step 2",
            "lock-vs-join step 3",
            "run no-lock live scale 0.001",
        ]
    );
    assert!(
        t.screen().contains("lockstep: the session is recorded in"),
        "{}",
        t.screen()
    );
}

#[test]
fn cast_after_the_command_is_complete_after_sigterm() {
    let cast = CastFile::new("cast-after");
    let args = format!("tui lock-vs-join --seed 4343 --cast {}", cast.0.display());
    let Some(t) = Tmux::start("cast2", &args) else {
        return;
    };
    t.wait_for("step 1/");
    t.keys(&["l"]);
    t.wait_for("step 2/");
    terminate("tui lock-vs-join --seed 4343");
    let (_, stty) = t.finished();
    assert_restored(&stty);
    assert_eq!(
        cast.markers(),
        ["lock-vs-join step 1", "lock-vs-join step 2"]
    );
}

#[test]
fn an_unwritable_cast_is_one_line_before_the_screen_opens() {
    let Some(t) = Tmux::start("cast3", "--cast /nonexistent/dir/x.cast tui lock-vs-join") else {
        return;
    };
    let (status, stty) = t.finished();
    assert_eq!(status, "2");
    assert_restored(&stty);
    // One line on stderr (the pane wraps it at 80 columns), and the screen never opened.
    let screen = t.screen();
    assert_eq!(screen.matches("lockstep:").count(), 1, "{screen}");
    let joined: String = screen.lines().map(|l| l.trim_end()).collect();
    assert!(
        joined.contains(
            "lockstep: cannot write the cast /nonexistent/dir/x.cast: No such file or directory"
        ),
        "{screen}"
    );
    assert!(!screen.contains("step 1/"), "{screen}");
}

#[test]
fn progress_is_saved_in_the_data_directory_unless_told_not_to() {
    let Some(t) = Tmux::start("progress", "tui lock-vs-join") else {
        return;
    };
    t.wait_for("step 1/");
    t.keys(&["Right"]);
    t.wait_for("step 2/");
    t.keys(&["q"]);
    let (status, _) = t.finished();
    assert_eq!(status, "0");
    let saved = std::fs::read_to_string(t.dir.join("data/progress.json")).expect("saved");
    let p: lockstep::progress::Progress = serde_json::from_str(&saved).unwrap();
    let l = p.lesson("lock-vs-join").expect("the lesson visited");
    assert!(
        l.steps_seen.contains(&0) && l.steps_seen.contains(&1),
        "{saved}"
    );

    let Some(t) = Tmux::start("nosave", "--no-save tui lock-vs-join") else {
        return;
    };
    t.wait_for("step 1/");
    t.keys(&["Right"]);
    t.wait_for("step 2/");
    t.keys(&["q"]);
    let (status, _) = t.finished();
    assert_eq!(status, "0");
    assert!(!t.dir.join("data/progress.json").exists());
}

/// Writes beyond a size limit fail as on a full disk (`ulimit -f`; SIGXFSZ ignored so the
/// write returns the error).
const FULL_DISK: &str = "trap '' XFSZ; ulimit -f 0;";

fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn a_full_disk_says_progress_not_saved_and_leaves_no_empty_file() {
    let Some(t) = Tmux::start_with("fulldisk", FULL_DISK, "tui lock-vs-join") else {
        return;
    };
    // Opening the lesson is the first save.
    t.wait_for("step 1/");
    t.wait_for("progress not saved:");
    t.keys(&["Right"]);
    t.wait_for("step 2/");
    t.keys(&["q"]);
    let (status, _) = t.finished();
    assert_eq!(status, "0");
    assert_eq!(names_in(&t.dir.join("data")), Vec::<String>::new());
}

#[test]
fn progress_follows_xdg_data_home() {
    let env = "HOME={d}/home XDG_DATA_HOME={d}/xdg";
    let Some(t) = Tmux::start_env("xdg", "", Some(env), "tui lock-vs-join") else {
        return;
    };
    t.wait_for("step 1/");
    t.keys(&["q"]);
    assert_eq!(t.finished().0, "0");
    assert!(t.dir.join("xdg/lockstep/progress.json").is_file());
    // A relative XDG_DATA_HOME is ignored, as the XDG spec says: ~/.local/share then.
    let env = "HOME={d}/home XDG_DATA_HOME=relative";
    let Some(t) = Tmux::start_env("xdg2", "", Some(env), "tui lock-vs-join") else {
        return;
    };
    t.wait_for("step 1/");
    t.keys(&["q"]);
    assert_eq!(t.finished().0, "0");
    assert!(
        t.dir
            .join("home/.local/share/lockstep/progress.json")
            .is_file()
    );
}

#[test]
fn a_cast_cut_by_a_full_disk_says_so_and_ends_on_a_whole_line() {
    let cast = CastFile::new("cast-full");
    // A few KiB: the header and the first frames fit, the rest does not.
    let before = "trap '' XFSZ; ulimit -f 8;";
    let args = format!("--no-save --cast {} tui lock-vs-join", cast.0.display());
    let Some(t) = Tmux::start_with("castfull", before, &args) else {
        return;
    };
    t.wait_for("step 1/");
    for _ in 0..3 {
        t.keys(&["Right", "Left"]);
    }
    t.keys(&["q"]);
    let (status, stty) = t.finished();
    assert_restored(&stty);
    assert_eq!(status, "2", "{}", t.screen());
    let joined: String = t.screen().lines().map(|l| l.trim_end()).collect();
    assert!(joined.contains("stopped early"), "{joined}");
    let text = read_raw(&cast.0);
    assert!(text.len() > 100, "the cast began: {text:?}");
    assert!(text.ends_with('\n'), "ends on a complete line: {text:?}");
    for line in text.lines() {
        serde_json::from_str::<serde_json::Value>(line).expect("every line is whole JSON");
    }
}

fn read_raw(p: &Path) -> String {
    String::from_utf8(std::fs::read(p).unwrap()).expect("UTF-8")
}

/// `lockstep record` of six live runs of half a second each, its CSV into `out`.
fn slow_record(out: &Path) -> String {
    format!(
        "record lock-vs-join --variant lock --param work=0 --repeat 6 --format csv --out {}",
        out.display()
    )
}

#[test]
fn record_draws_a_progress_bar_with_an_eta_on_a_terminal() {
    let out = std::env::temp_dir().join(format!("lockstep-bar-{}.csv", std::process::id()));
    let Some(t) = Tmux::start("bar", &slow_record(&out)) else {
        return;
    };
    t.wait_for(", ETA ");
    let screen = t.screen();
    let bar = screen.lines().find(|l| l.contains("ETA")).unwrap();
    assert!(bar.starts_with("[#"), "{screen}");
    assert!(bar.contains("/6 lock live"), "{screen}");
    let (status, _) = t.finished();
    assert_eq!(status, "0");
    // The bar is cleared once the work is done; the results went to the file.
    assert!(!t.screen().contains("ETA"), "{}", t.screen());
    let csv = std::fs::read_to_string(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    assert_eq!(csv.lines().count(), 2, "{csv}");
}

#[test]
fn quiet_record_draws_no_bar() {
    let out = std::env::temp_dir().join(format!("lockstep-quiet-{}.csv", std::process::id()));
    let Some(t) = Tmux::start("quiet", &format!("{} --quiet", slow_record(&out))) else {
        return;
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while !t.dir.join("status").exists() {
        assert!(!t.screen().contains("ETA"), "{}", t.screen());
        assert!(Instant::now() < deadline, "record did not end");
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = std::fs::remove_file(&out);
    assert_eq!(t.finished().0, "0");
}

/// The system refuses a thread mid-run (`LOCKSTEP_MAX_OS_THREADS` stands in for a `ulimit -u`):
/// the footer says so in one line, the app still answers, and q quits cleanly.
#[test]
fn a_refused_thread_is_a_message_and_the_app_still_answers() {
    let env = "LOCKSTEP_DATA_DIR={d}/data LOCKSTEP_MAX_OS_THREADS=40";
    let Some(t) = Tmux::start_env("refused", "", Some(env), "tui lock-vs-join") else {
        return;
    };
    t.wait_for("step 1/");
    // Virtual mode, then the lock step's variant: 101 threads, all alive at once.
    t.keys(&["m", "m", "v", "Enter"]);
    t.wait_for("the system refused");
    t.keys(&["Right"]);
    t.wait_for("step 2/");
    t.keys(&["q"]);
    let (status, stty) = t.finished();
    assert_restored(&stty);
    assert_eq!(status, "0");
}
