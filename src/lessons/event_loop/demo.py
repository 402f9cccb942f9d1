"""event-loop: fetch every page of a local site five ways, and time each.

A small site runs on 127.0.0.1 (a free port): each page comes LATENCY seconds after its
request, and past LIMIT requests at once the server answers 503 (too busy). Parsing a page
is CPU work. Run it: python3 demo.py [pages] [workers]
"""

import asyncio
import queue
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGES = int(sys.argv[1]) if len(sys.argv) > 1 else 50
WORKERS = int(sys.argv[2]) if len(sys.argv) > 2 else 10
LATENCY = 0.5  # seconds before each answer
PARSE = 0.01  # CPU seconds to parse a page
LIMIT = 50  # requests the server takes at once
RETRY = 1.0  # seconds to wait after a refusal


# ---- the site ---------------------------------------------------------------------------

in_flight = 0
in_flight_lock = threading.Lock()


class Site(BaseHTTPRequestHandler):
    def do_GET(self):
        global in_flight
        with in_flight_lock:
            busy = in_flight >= LIMIT
            if not busy:
                in_flight += 1
        if busy:
            self.send_response(503)
            self.end_headers()
            return
        try:
            time.sleep(LATENCY)
            i = int(self.path.rsplit("/", 1)[-1] or 0)
            links = "".join(f'<a href="/page/{(i + s) % PAGES}">' for s in (1, 7, 13))
            body = f"<html><h1>Page {i}</h1>{links}</html>".encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        finally:
            with in_flight_lock:
                in_flight -= 1

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    request_queue_size = 1024
    daemon_threads = True


# ---- the crawlers -----------------------------------------------------------------------


def parse(body):
    end = time.perf_counter() + PARSE  # CPU work, not a sleep
    while time.perf_counter() < end:
        pass
    return len(body)


def get(url):
    """Fetch a page, and when the server is too busy, wait and ask again."""
    while True:
        try:
            with urllib.request.urlopen(url) as r:
                return r.read()
        except urllib.error.HTTPError as e:
            if e.code != 503:
                raise
            time.sleep(RETRY)


def one_by_one(urls):
    return [parse(get(u)) for u in urls]


def thread_per_page(urls):
    out = [None] * len(urls)

    def one(i, u):
        out[i] = parse(get(u))

    threads = [threading.Thread(target=one, args=(i, u)) for i, u in enumerate(urls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def pool(urls, workers=WORKERS):
    todo = queue.Queue()
    for u in urls:
        todo.put(u)
    out = []

    def worker():
        while True:
            try:
                u = todo.get_nowait()
            except queue.Empty:
                return
            out.append(parse(get(u)))

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


async def get_async(url):
    """The same request, awaited: the standard library has no async HTTP client, so this
    speaks HTTP/1.0 on asyncio's own streams (aiohttp would do it for you)."""
    host, port = url.split("//")[1].split("/")[0].split(":")
    path = "/" + url.split("/", 3)[3]
    while True:
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(f"GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n".encode())
        answer = await reader.read()  # the loop runs other tasks meanwhile
        writer.close()
        head, _, body = answer.partition(b"\r\n\r\n")
        if b" 503 " not in head.split(b"\r\n")[0]:
            return body
        await asyncio.sleep(RETRY)


async def crawl(urls, blocking=False):
    async def one(i, u):
        if blocking and i == 0:
            body = get(u)  # a blocking call: the whole loop waits here
        else:
            body = await get_async(u)
        return parse(body)

    return await asyncio.gather(*(one(i, u) for i, u in enumerate(urls)))


def event_loop(urls):
    return asyncio.run(crawl(urls))


def blocking_call(urls):
    return asyncio.run(crawl(urls, blocking=True))


if __name__ == "__main__":
    server = Server(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    urls = [f"http://127.0.0.1:{port}/page/{i}" for i in range(PAGES)]
    for name, crawler in [
        ("one-by-one", one_by_one),
        ("thread-per-page", thread_per_page),
        ("pool", pool),
        ("event-loop", event_loop),
        ("blocking-call", blocking_call),
    ]:
        start = time.perf_counter()
        pages = crawler(urls)
        print(f"{name:16} {time.perf_counter() - start:6.2f} s  {len(pages)} pages")
    server.shutdown()
    server.server_close()
