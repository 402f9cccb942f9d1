//! Commands as child processes (Python: `subprocess.run(args, input=..., capture_output=True)`).
//!
//! `run_command` starts a real OS command (`sort`, `wc -l`, `sh -c 'exit 3'`) with
//! `std::process::Command`, feeds it its input, captures what it prints and waits for its exit
//! code. On the run's timeline the command is a process of its own, with one lane: the lane is
//! a thread of the run that stands for the command while it runs (it feeds it, reads it and
//! waits for it), and the process ends with the command's exit code.
//!
//! Live, the command starts at once and its lane lasts as long as it really runs. On the
//! virtual clock (step and virtual modes) the command still runs for real, inside its lane's
//! turn, so its output and exit code are real; its time is modelled as a process start's
//! (`process::costs`: the parent busy launching it, then the child's start-up), which is what
//! a small command costs: its own work is short next to starting a process. So the same seed
//! gives the same log, whatever the machine is doing.

use super::event::{Op, Pid, Site, ThreadState, What};
use super::process::{ProcSlot, Process, costs};
use super::sched::{self, Cancelled, Core};
use super::thread;
use std::io::{Read, Write};
use std::panic::{Location, resume_unwind};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

/// What a finished command left (Python: `CompletedProcess`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completed {
    /// Its exit code (Python: `returncode`): 0 for success; minus the signal's number when a
    /// signal ended it.
    pub code: i32,
    /// What it printed, on its standard output and its standard error.
    pub stdout: String,
    pub stderr: String,
}

/// Run `cmd` as a child process, give it `input` on its standard input (nothing: it reads an
/// empty one), capture what it prints and wait for it to end (Python: `subprocess.run(args,
/// input=input, capture_output=True, text=True)`). A command that cannot be started raises in
/// the caller, as Python's `FileNotFoundError` does.
#[track_caller]
pub fn run_command(cmd: &mut Command, input: Option<&str>) -> Completed {
    let site = Some(Site::here(Location::caller()));
    let (core, me) = sched::current();
    let name = Path::name_of(cmd);
    let w = core.world.lock();
    let mut w = core.op_point(w, me, Op::Spawn, site);
    let parent = w.threads[me.0 as usize].pid;
    let pid = Pid(w.processes.len() as u32);
    w.processes
        .push(ProcSlot::child(name.clone(), false, parent));
    let live = !core.virtual_clock();
    // Live: the command starts now, and its lane begins with it.
    let started = if live {
        drop(w);
        let child = match spawn(cmd) {
            Ok(c) => Running(Some(c)),
            Err(e) => {
                let mut w = core.world.lock();
                w.processes[pid.0 as usize].exit = Some(127);
                drop(w);
                panic!("cannot run {name}: {e}");
            }
        };
        w = core.world.lock();
        w.processes[pid.0 as usize].os_pid = child.0.as_ref().map(Child::id);
        Some(child)
    } else {
        None
    };
    let os_pid = w.processes[pid.0 as usize].os_pid;
    let what = What::ProcessNew {
        pid,
        name: name.clone(),
        daemon: false,
        os_pid,
    };
    core.emit(&mut w, me, what, site);
    let c = costs();
    if !live && c.launch_ns > 0 {
        // The parent is busy launching it.
        Core::set_state(&mut w, me, ThreadState::Working);
        core.emit(&mut w, me, What::Work { ns: c.launch_ns }, site);
        w = core.pass_time(w, me, c.launch_ns, ThreadState::Working);
    }
    drop(w);
    let boot = if live { 0 } else { c.boot_ns };
    let input = input.map(str::to_string);
    let cmd = Job::of(cmd);
    let c2 = core.clone();
    let lane = thread::start_in(&core, name, Some(me), site, false, pid, boot, move || {
        let child = match started {
            Some(child) => child,
            None => match spawn(&mut cmd.command()) {
                Ok(c) => Running(Some(c)),
                Err(e) => {
                    // As a shell says of a command it cannot find.
                    c2.world.lock().processes[pid.0 as usize].exit_as = Some(127);
                    return Err(e.to_string());
                }
            },
        };
        let done = finish(&c2, child, input);
        // The process's exit code is the command's.
        c2.world.lock().processes[pid.0 as usize].exit_as = Some(done.code);
        Ok::<Completed, String>(done)
    });
    let tid = lane.tid();
    Process::of(pid, tid).join();
    match lane.take() {
        Some(Ok(Ok(done))) => done,
        Some(Ok(Err(why))) => panic!("cannot run {}: {why}", Job::label(&core, pid)),
        Some(Err(raised)) => panic!("{}", raised.message),
        None => resume_unwind(Box::new(Cancelled)),
    }
}

/// The command's name on the timeline: its program's file name.
struct Path;

impl Path {
    fn name_of(cmd: &Command) -> String {
        let program = std::path::Path::new(cmd.get_program());
        program
            .file_name()
            .unwrap_or(cmd.get_program())
            .to_string_lossy()
            .into_owned()
    }
}

/// A command's recipe, to start it again on the lane's thread (a `Command` is not `Clone`).
struct Job {
    program: std::ffi::OsString,
    args: Vec<std::ffi::OsString>,
    dir: Option<std::path::PathBuf>,
    envs: Vec<(std::ffi::OsString, Option<std::ffi::OsString>)>,
}

impl Job {
    fn of(cmd: &Command) -> Job {
        Job {
            program: cmd.get_program().to_owned(),
            args: cmd.get_args().map(|a| a.to_owned()).collect(),
            dir: cmd.get_current_dir().map(|d| d.to_owned()),
            envs: cmd
                .get_envs()
                .map(|(k, v)| (k.to_owned(), v.map(|v| v.to_owned())))
                .collect(),
        }
    }

    fn command(&self) -> Command {
        let mut c = Command::new(&self.program);
        c.args(&self.args);
        if let Some(d) = &self.dir {
            c.current_dir(d);
        }
        for (k, v) in &self.envs {
            match v {
                Some(v) => c.env(k, v),
                None => c.env_remove(k),
            };
        }
        c
    }

    fn label(core: &Core, pid: Pid) -> String {
        core.world.lock().processes[pid.0 as usize].name.clone()
    }
}

/// Start the command with its three streams piped; it dies with this program.
fn spawn(cmd: &mut Command) -> std::io::Result<Child> {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: prctl is async-signal-safe and touches only the child being started.
        unsafe {
            cmd.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong);
                Ok(())
            });
        }
    }
    cmd.spawn()
}

/// A started command: killed and reaped if its lane never gets to wait for it (a run
/// cancelled before the lane's first turn leaves no command behind).
struct Running(Option<Child>);

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(mut c) = self.0.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// Feed the child its input, read what it prints, wait for its end. A cancelled run (or a
/// terminated lane) kills it and unwinds the lane.
fn finish(core: &Arc<Core>, mut running: Running, input: Option<String>) -> Completed {
    let Some(mut child) = running.0.take() else {
        return Completed {
            code: 1,
            stdout: String::new(),
            stderr: String::new(),
        };
    };
    // Each stream on a thread of its own, so a command that prints much while it still reads
    // never waits on us.
    let stdin = child.stdin.take();
    let feeder = std::thread::spawn(move || {
        if let (Some(mut s), Some(text)) = (stdin, input) {
            let _ = s.write_all(text.as_bytes());
        } // dropped: the command sees the end of its input
    });
    let reader = |s: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut s) = s {
                let _ = s.read_to_end(&mut bytes);
            }
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let out = reader(
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let err = reader(
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let (tx, rx) = crossbeam_channel::bounded(1);
    let os_pid = child.id();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait());
    });
    let me = sched::current_tid();
    let status = loop {
        match rx.recv_timeout(Duration::from_millis(20)) {
            Ok(s) => break s,
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => break Err(lost()),
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                let killed = core.world.lock().threads[me.0 as usize].killed;
                if core.cancelled() || killed {
                    // SAFETY: kill takes a process id and a signal; the child is not reaped
                    // until its waiter sees it die.
                    unsafe {
                        libc::kill(os_pid as libc::pid_t, libc::SIGKILL);
                    }
                    let _ = rx.recv();
                    drop(core.check_cancel(core.world.lock(), me));
                    resume_unwind(Box::new(Cancelled));
                }
            }
        }
    };
    let _ = feeder.join();
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    let code = match status {
        Ok(s) => {
            use std::os::unix::process::ExitStatusExt;
            s.code().or(s.signal().map(|sig| -sig)).unwrap_or(1)
        }
        Err(_) => 1,
    };
    Completed {
        code,
        stdout,
        stderr,
    }
}

fn lost() -> std::io::Error {
    std::io::Error::other("the command's waiter is gone")
}
