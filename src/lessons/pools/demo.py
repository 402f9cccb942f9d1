"""pools: the lesson's demo in Python. Run one variant: python3 demo.py apply-async"""

import sys
import threading
import time
from multiprocessing import Pool
from multiprocessing.pool import ThreadPool

WORKERS, TASKS, SECRET = 3, 10, 42


def slow_square(x):
    time.sleep(1)  # a download, say
    print(f"square({x}) done")
    return x * x


def apply():
    pool = ThreadPool(WORKERS)
    results = [pool.apply(slow_square, (x,)) for x in range(TASKS)]  # waits every time
    pool.close()
    pool.join()
    return results


def apply_async():
    pool = ThreadPool(WORKERS)
    handles = [pool.apply_async(slow_square, (x,)) for x in range(TASKS)]  # at once
    results = [h.get() for h in handles]
    pool.close()
    pool.join()
    return results


def map_():
    with ThreadPool(WORKERS) as pool:
        return pool.map(slow_square, range(TASKS))  # in the items' order


def map_async():
    with ThreadPool(WORKERS) as pool:
        handle = pool.map_async(slow_square, range(TASKS))
        print("ready:", handle.ready())  # False: the tasks have just begun
        results = handle.get()
        print("successful:", handle.successful())
        return results


def fetch(page):
    time.sleep(1)
    return f"<html>page {page}</html>"


def parse(html):
    title = html.removeprefix("<html>").removesuffix("</html>")
    print(f"parsed {title} on {threading.current_thread().name}")


def callbacks():
    pool = ThreadPool(WORKERS)
    for page in range(TASKS):
        pool.apply_async(fetch, (page,), callback=parse)
    pool.close()
    pool.join()


found = threading.Event()
tried = 0
tried_lock = threading.Lock()
password = None


def crack(chunk):
    global tried, password
    for guess in range(chunk * 10, chunk * 10 + 10):
        if found.is_set():
            return  # another worker has it: stop early
        time.sleep(0.1)  # hash the guess
        with tried_lock:
            tried += 1
        if guess == SECRET:
            password = guess
            found.set()  # tell the others
            return


def early_stop():
    pool = ThreadPool(WORKERS)
    pool.map_async(crack, range(TASKS), callback=lambda _: found.set())
    found.wait()
    pool.terminate()  # drop the chunks nobody has started
    pool.join()
    print(f"password {password}, {tried} guesses")


def count_primes(span):
    lo, hi = span
    return sum(1 for n in range(lo, hi) if n >= 2 and all(n % d for d in range(2, int(n**0.5) + 1)))


def process_pool():
    ranges = [(i * 10_000, (i + 1) * 10_000) for i in range(TASKS)]
    start = time.time()
    with ThreadPool(WORKERS) as threads:
        by_threads = sum(threads.map(count_primes, ranges))
    threads_s = time.time() - start
    start = time.time()
    with Pool(WORKERS) as processes:
        by_processes = sum(processes.map(count_primes, ranges))
    processes_s = time.time() - start
    print(f"threads: {by_threads} primes in {threads_s:.2f} s")
    print(f"processes: {by_processes} primes in {processes_s:.2f} s")


if __name__ == "__main__":
    variants = {
        "apply": apply,
        "apply-async": apply_async,
        "map": map_,
        "map-async": map_async,
        "callbacks": callbacks,
        "early-stop": early_stop,
        "process-pool": process_pool,
    }
    start = time.time()
    out = variants[sys.argv[1] if len(sys.argv) > 1 else "apply-async"]()
    if out is not None:
        print(out)
    print(f"{time.time() - start:.1f} s")
