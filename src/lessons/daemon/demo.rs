//! daemon: foo prints "123", sleeps, prints "end123"; bar prints "456", sleeps, prints
//! "end456". foo is a daemon: the program does not wait for it.
//!
//! The same foo and bar run as threads and as processes. A daemon thread is cut off when the
//! last non-daemon thread ends; a daemon process is terminated as soon as main's code ends.

use crate::engine::{say, secs, sleep, spawn, spawn_daemon, spawn_daemon_process, spawn_process};
use crate::params::Params;

/// foo: two lines, a nap between them.
pub fn foo(seconds: f64) {
    say("123");
    sleep(secs(seconds));
    say("end123");
}

/// bar: the same, with its own lines.
pub fn bar(seconds: f64) {
    say("456");
    sleep(secs(seconds));
    say("end456");
}

/// The tutorial: foo is a daemon and finishes first. main prints at once and is done; the
/// program still waits for bar, and foo gets its "end123" in meanwhile.
pub fn threads(p: &Params) {
    let (short, long) = (p.get("short"), p.get("long"));
    spawn_daemon("foo", move || foo(short)); // t1.daemon = True; t1.start()
    spawn("bar", move || bar(long)); // t2.start()
    say("main");
} // main is done; the program waits for bar, and no one waits for foo

/// The times swapped: bar ends first, and with it the program. foo is cut off mid-nap.
pub fn threads_cut_off(p: &Params) {
    let (short, long) = (p.get("short"), p.get("long"));
    spawn_daemon("foo", move || foo(long));
    spawn("bar", move || bar(short));
    say("main");
}

/// main waits for foo, but at most `timeout` seconds, then asks whether foo is still alive.
pub fn join_timeout(p: &Params) {
    let (short, long, timeout) = (p.get("short"), p.get("long"), p.get("timeout"));
    let t1 = spawn_daemon("foo", move || foo(long));
    spawn("bar", move || bar(short));
    t1.join_timeout(secs(timeout)); // t1.join(timeout=2): gives up, or foo ended
    if t1.is_alive() {
        say("foo is alive");
    } else {
        say("foo is done");
    }
} // if foo is alive now, it dies with the program

/// The tutorial with processes: as main's code ends, the daemon foo is terminated, though bar
/// runs on for seconds and foo needed only one.
pub fn processes(p: &Params) {
    let (short, long) = (p.get("short"), p.get("long"));
    spawn_daemon_process("foo", foo, short); // p1.daemon = True; p1.start()
    spawn_process("bar", bar, long); // p2.start()
    say("main");
} // main's code ends here: foo is terminated; the program still waits for bar

/// main waits for the daemon foo, at most `timeout` seconds: foo gets to finish.
pub fn processes_join(p: &Params) {
    let (short, long, timeout) = (p.get("short"), p.get("long"), p.get("timeout"));
    let p1 = spawn_daemon_process("foo", foo, short);
    spawn_process("bar", bar, long);
    p1.join_timeout(secs(timeout)); // p1.join(timeout=2)
    if p1.is_alive() {
        say("foo is alive");
    } else {
        say("foo is done");
    }
}
