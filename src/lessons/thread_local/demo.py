"""thread-local: each thread fetches its own page and keeps the url where a helper finds it,
with no argument passed and no lock taken.

    python3 demo.py                 both variants, one after the other
    python3 demo.py shared-global   one of them (local, shared-global)

local: the url lives in threading.local(); each thread sees only its own.
shared-global: the same helper reads one module-level global that every thread writes, so a
thread waiting for its page finds someone else's url there when it comes back.
"""

import sys
import threading
import time

THREADS, FETCH = 3, 1.0

local = threading.local()
url = ""


def process():
    """The helper: which page is this thread's? No argument, no lock."""
    print(f"{threading.current_thread().name} fetched {local.url}", flush=True)
    return local.url


def process_global():
    print(f"{threading.current_thread().name} fetched {url}", flush=True)
    return url


def run(worker):
    results = {}
    threads = [
        threading.Thread(target=worker, args=(f"/page{i}", results), name=f"T{i}")
        for i in range(1, THREADS + 1)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wrong = [name for name, (given, read) in results.items() if given != read]
    print(f"wrong url in: {', '.join(sorted(wrong)) or 'nobody'}", flush=True)


def with_local(page, results):
    local.url = page
    time.sleep(FETCH)  # the download
    results[threading.current_thread().name] = (page, process())


def with_global(page, results):
    global url
    url = page
    time.sleep(FETCH)
    results[threading.current_thread().name] = (page, process_global())


VARIANTS = {"local": with_local, "shared-global": with_global}

if __name__ == "__main__":
    for name in sys.argv[1:] or list(VARIANTS):
        print(f"--- {name}", flush=True)
        run(VARIANTS[name])
