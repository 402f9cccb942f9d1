"""gil: the same CPU-bound job (the sum of i*i below n) done by one thread, then split among
N workers: threads (under CPython's real GIL), and processes, each with a GIL of its own.
Then an I/O-bound job, where threads help even under the GIL.

    python3 demo.py                   every variant, one after the other
    python3 demo.py processes         one of them (threads-gil, processes, io-threads-gil)

CPython has no "threads without a GIL" (except the free-threaded 3.13t build): lockstep's
threads-no-gil variant is what Rust threads do. Each variant prints the job alone, the job
split, and the speed-up beside the ideal on this machine's cores.
"""

import multiprocessing
import os
import sys
import threading
import time

WORKERS = 4
N = 20_000_000  # about 2 s of pure Python loops on one core
REQUESTS, IO, PARSE = 8, 0.5, 0.05
MASK = 2**64 - 1


def sum_squares(start, end):
    total = 0
    for i in range(start, end):
        total += i * i
    return total & MASK


def share(n, workers, i):
    each, extra = divmod(n, workers)
    start = i * each + min(i, extra)
    return start, start + each + (1 if i < extra else 0)


def timed(f):
    start = time.perf_counter()
    answer = f()
    return answer, time.perf_counter() - start


def with_threads():
    results = [0] * WORKERS

    def worker(i):
        results[i] = sum_squares(*share(N, WORKERS, i))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(results) & MASK


def in_process(i, results):
    results.put(sum_squares(*share(N, WORKERS, i)))


def with_processes():
    results = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=in_process, args=(i, results)) for i in range(WORKERS)]
    for p in procs:
        p.start()
    total = sum(results.get() for _ in procs)
    for p in procs:
        p.join()
    return total & MASK


def fetch():
    time.sleep(IO)  # waiting for the network: the GIL is let go
    return sum_squares(0, int(N / 2.0 * PARSE))  # parsing: Python code, under the GIL


def io_threads():
    def worker(count):
        for _ in range(count):
            fetch()

    threads = [
        threading.Thread(target=worker, args=(len(range(*share(REQUESTS, WORKERS, i))),))
        for i in range(WORKERS)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def report(name, alone, together, ideal):
    print(
        f"{name:15} alone {alone:.2f} s, {WORKERS} workers {together:.2f} s: "
        f"speed-up {alone / together:.2f}x (ideal {ideal:.2f}x)",
        flush=True,
    )


def main(names):
    cores = os.cpu_count() or 1
    for name in names:
        if name == "io-threads-gil":
            _, alone = timed(lambda: [fetch() for _ in range(REQUESTS)])
            _, together = timed(io_threads)
            rounds = -(-REQUESTS // WORKERS)
            ideal = REQUESTS * (IO + PARSE) / max(rounds * (IO + PARSE), rounds * IO + REQUESTS * PARSE)
            report(name, alone, together, ideal)
            continue
        answer, alone = timed(lambda: sum_squares(0, N))
        run = with_threads if name == "threads-gil" else with_processes
        split, together = timed(run)
        assert split == answer, "the workers' sum is the lone worker's"
        report(name, alone, together, 1.0 if name == "threads-gil" else min(WORKERS, cores))


if __name__ == "__main__":
    main(sys.argv[1:] or ["threads-gil", "processes", "io-threads-gil"])
