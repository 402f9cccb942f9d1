"""daemon: foo prints "123", sleeps, prints "end123"; bar prints "456", sleeps, prints "end456".
foo is a daemon: the program does not wait for it.

    python3 demo.py                  every variant, one after the other
    python3 demo.py threads-cut-off  one of them (threads, threads-cut-off, join-timeout,
                                     processes, processes-join)

Threads: the program ends when its last non-daemon thread ends, and a daemon thread still
going then is cut off. Processes: a daemon process is terminated as soon as the main
process's own code ends (multiprocessing's exit handler), whoever else is still running.
"""

import multiprocessing
import sys
import threading
import time

SHORT, LONG, TIMEOUT = 1.0, 3.0, 2.0


def foo(seconds):
    print("123", flush=True)
    time.sleep(seconds)
    print("end123", flush=True)


def bar(seconds):
    print("456", flush=True)
    time.sleep(seconds)
    print("end456", flush=True)


def threads():
    """The tutorial: foo is a daemon and finishes first; main prints at once and is done."""
    t1 = threading.Thread(target=foo, args=(SHORT,), name="foo", daemon=True)
    t2 = threading.Thread(target=bar, args=(LONG,), name="bar")
    t1.start()
    t2.start()
    print("main", flush=True)


def threads_cut_off():
    """The times swapped: bar ends first, and with it the program; foo is cut off."""
    t1 = threading.Thread(target=foo, args=(LONG,), name="foo", daemon=True)
    t2 = threading.Thread(target=bar, args=(SHORT,), name="bar")
    t1.start()
    t2.start()
    print("main", flush=True)


def join_timeout():
    """main waits for foo, but at most TIMEOUT seconds, then asks whether it is alive."""
    t1 = threading.Thread(target=foo, args=(LONG,), name="foo", daemon=True)
    t2 = threading.Thread(target=bar, args=(SHORT,), name="bar")
    t1.start()
    t2.start()
    t1.join(timeout=TIMEOUT)
    print("foo is alive" if t1.is_alive() else "foo is done", flush=True)


def processes():
    """The tutorial with processes: foo is terminated as main's code ends."""
    p1 = multiprocessing.Process(target=foo, args=(SHORT,), name="foo", daemon=True)
    p2 = multiprocessing.Process(target=bar, args=(LONG,), name="bar")
    p1.start()
    p2.start()
    print("main", flush=True)


def processes_join():
    """main waits for the daemon foo, at most TIMEOUT seconds: foo gets to finish."""
    p1 = multiprocessing.Process(target=foo, args=(SHORT,), name="foo", daemon=True)
    p2 = multiprocessing.Process(target=bar, args=(LONG,), name="bar")
    p1.start()
    p2.start()
    p1.join(timeout=TIMEOUT)
    print("foo is alive" if p1.is_alive() else "foo is done", flush=True)


VARIANTS = {
    "threads": threads,
    "threads-cut-off": threads_cut_off,
    "join-timeout": join_timeout,
    "processes": processes,
    "processes-join": processes_join,
}


if __name__ == "__main__":
    # lockstep starts a child process as Python's "spawn" start method does.
    multiprocessing.set_start_method("spawn")
    if len(sys.argv) > 1:
        VARIANTS[sys.argv[1]]()
    else:
        # Each variant in a fresh interpreter: the program's end is what the lesson is about.
        import subprocess

        for name in VARIANTS:
            print(f"--- {name}", flush=True)
            subprocess.run([sys.executable, __file__, name], check=True)
