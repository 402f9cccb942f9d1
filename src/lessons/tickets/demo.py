"""tickets: a JSON file holds the tickets left, {"count": 1}. Every buyer looks (reads the file
and prints the count), then buys: reads it again, waits for the network, and if a ticket is
left takes one, waits for the write to go through, and writes the file back.

    python3 demo.py                    every variant, one after the other
    python3 demo.py processes-no-lock  one of them (threads-no-lock, threads-lock,
                                       processes-no-lock, processes-lock)
    python3 demo.py threads-lock 3 10  with 3 tickets and 10 buyers (default: 1 and 100)

Without a lock every buyer who reads before the first write sees the last ticket and buys it.
With a lock around read-check-write exactly as many buy as there were tickets. Processes share
no threading.Lock: they lock a file beside the tickets with fcntl.flock.

The file lives in a fresh temporary directory, removed at the end.
"""

import fcntl
import json
import multiprocessing
import os
import sys
import tempfile
import threading
import time

NETWORK, WRITE = 0.1, 0.2


def search(name, path):
    with open(path) as f:
        count = json.load(f)["count"]
    print(f"{name} sees {count} left", flush=True)


def save(path, tickets):
    """Write the whole file at once: beside it, then renamed over it."""
    fd, beside = tempfile.mkstemp(dir=os.path.dirname(path))
    with os.fdopen(fd, "w") as f:
        json.dump(tickets, f)
    os.replace(beside, path)


def buy(name, path):
    with open(path) as f:
        tickets = json.load(f)
    time.sleep(NETWORK)  # the network
    if tickets["count"] > 0:
        tickets["count"] -= 1
        time.sleep(WRITE)  # the write goes through the network too
        save(path, tickets)
        print(f"{name} bought", flush=True)
    else:
        print(f"{name} sold out", flush=True)


def buyer(name, path):
    search(name, path)
    buy(name, path)


def thread_buyer(name, path, lock):
    search(name, path)
    with lock:
        buy(name, path)


def process_buyer(name, path):
    search(name, path)
    with open(path + ".lock", "w") as lockfile:
        fcntl.flock(lockfile, fcntl.LOCK_EX)
        buy(name, path)
    # closing the file lets the lock go


def run(kind, target, args, buyers):
    made = [kind(target=target, args=(f"{'T' if kind is threading.Thread else 'P'}{i}",) + args)
            for i in range(1, buyers + 1)]
    for b in made:
        b.start()
    for b in made:
        b.join()


def sale(variant, tickets, buyers):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "tickets.json")
        with open(path, "w") as f:
            json.dump({"count": tickets}, f)
        start = time.perf_counter()
        if variant == "threads-no-lock":
            run(threading.Thread, buyer, (path,), buyers)
        elif variant == "threads-lock":
            run(threading.Thread, thread_buyer, (path, threading.Lock()), buyers)
        elif variant == "processes-no-lock":
            run(multiprocessing.Process, buyer, (path,), buyers)
        elif variant == "processes-lock":
            run(multiprocessing.Process, process_buyer, (path,), buyers)
        else:
            sys.exit(f"no variant {variant}")
        took = time.perf_counter() - start
        with open(path) as f:
            left = json.load(f)["count"]
        print(f"{left} left", flush=True)
        return took


VARIANTS = ["threads-no-lock", "threads-lock", "processes-no-lock", "processes-lock"]

if __name__ == "__main__":
    chosen = sys.argv[1:2] or VARIANTS
    tickets = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    buyers = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    for v in chosen:
        print(f"--- {v}", flush=True)
        took = sale(v, tickets, buyers)
        print(f"--- {v}: {took:.2f} s", flush=True)
