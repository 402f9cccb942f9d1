"""processes: threads share their process's memory, a child process has its own; starting a
process costs far more than starting a thread; a command runs as a child process; and a
CPU-bound job split over the machine's cores, in threads and in processes.

    python3 demo.py                  every variant, one after the other
    python3 demo.py global-process   one of them (global-thread, global-process,
                                     start-threads, start-processes, command,
                                     cpu-threads, cpu-processes)

Each variant prints what lockstep's prints; the start and cpu variants also print their time.
"""

import multiprocessing
import subprocess
import sys
import threading
import time

COUNT, WORKERS, NUMBERS = 100, 4, 200_000

n = 100  # a module-level name: every process has a copy of its own


def set_to_zero():
    global n
    n = 0
    print(f"child: n = {n}", flush=True)


def global_thread():
    """A thread sets n to 0: threads share their process's memory, main sees 0."""
    global n
    n = 100  # as the program starts (another variant may have run before)
    t = threading.Thread(target=set_to_zero, name="child")
    t.start()
    t.join()
    print(f"main: n = {n}", flush=True)


def global_process():
    """A child process sets n to 0: it set its own copy, main's is still 100."""
    global n
    n = 100
    p = multiprocessing.Process(target=set_to_zero, name="child")
    p.start()
    p.join()
    print(f"main: n = {n}", flush=True)


def nothing():
    pass


def start_threads():
    t0 = time.perf_counter()
    threads = [threading.Thread(target=nothing, name=f"T{i + 1}") for i in range(COUNT)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - t0
    print(f"{COUNT} threads: {took / COUNT * 1e6:.1f} us each", flush=True)


def start_processes():
    t0 = time.perf_counter()
    processes = [multiprocessing.Process(target=nothing, name=f"P{i + 1}") for i in range(COUNT)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    took = time.perf_counter() - t0
    print(f"{COUNT} processes: {took / COUNT * 1e3:.2f} ms each", flush=True)


def command():
    """Three commands as child processes: input fed, output captured, an exit code read."""
    fruit = "pear\napple\nfig\nbanana\n"
    env = {"LC_ALL": "C", "PATH": "/usr/bin:/bin"}
    sorted_ = subprocess.run(["sort"], input=fruit, capture_output=True, text=True, env=env)
    print("sort: " + " ".join(sorted_.stdout.split()), flush=True)
    counted = subprocess.run(["wc", "-l"], input=sorted_.stdout, capture_output=True, text=True)
    print(f"wc -l: {counted.stdout.strip()}", flush=True)
    failed = subprocess.run(["sh", "-c", "exit 3"])
    print(f"sh exited with {failed.returncode}", flush=True)


def is_prime(k):
    if k < 2:
        return False
    if k % 2 == 0:
        return k == 2
    d = 3
    while d * d <= k:
        if k % d == 0:
            return False
        d += 2
    return True


def count_primes(lo, hi):
    return sum(1 for k in range(lo, hi) if is_prime(k))


def slices(numbers, workers):
    return [(numbers * i // workers, numbers * (i + 1) // workers) for i in range(workers)]


def cpu_threads():
    """Under the GIL the threads take turns: no faster than one (see the gil lesson)."""
    t0 = time.perf_counter()
    counts = [0] * WORKERS

    def work(i, lo, hi):
        counts[i] = count_primes(lo, hi)

    threads = [threading.Thread(target=work, args=(i, lo, hi), name=f"W{i + 1}")
               for i, (lo, hi) in enumerate(slices(NUMBERS, WORKERS))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"{sum(counts)} primes in {time.perf_counter() - t0:.2f} s", flush=True)


def count_in(lo, hi, results):
    results.put(count_primes(lo, hi))


def cpu_processes():
    t0 = time.perf_counter()
    results = multiprocessing.Queue()
    processes = [multiprocessing.Process(target=count_in, args=(lo, hi, results), name=f"W{i + 1}")
                 for i, (lo, hi) in enumerate(slices(NUMBERS, WORKERS))]
    for p in processes:
        p.start()
    total = sum(results.get() for _ in processes)
    for p in processes:
        p.join()
    print(f"{total} primes in {time.perf_counter() - t0:.2f} s", flush=True)


VARIANTS = {
    "global-thread": global_thread,
    "global-process": global_process,
    "start-threads": start_threads,
    "start-processes": start_processes,
    "command": command,
    "cpu-threads": cpu_threads,
    "cpu-processes": cpu_processes,
}

if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")  # as lockstep does: the program started again
    for name in sys.argv[1:] or VARIANTS:
        print(f"-- {name}", flush=True)
        VARIANTS[name]()
