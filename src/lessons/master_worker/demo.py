# master-worker: a master serves a task queue and a result queue on a loopback socket;
# worker processes connect with the authkey, take numbers and put back their squares.
#
# Run it: python3 demo.py [squares|wrong-token|worker-killed]

import queue
import random
import secrets
import sys
import time
from multiprocessing import Process
from multiprocessing.managers import BaseManager
from multiprocessing.context import AuthenticationError

TASKS, WORKERS, WORK = 10, 2, 0.5

task_queue = queue.Queue()
result_queue = queue.Queue()


class QueueManager(BaseManager):
    pass


QueueManager.register("get_task_queue", callable=lambda: task_queue)
QueueManager.register("get_result_queue", callable=lambda: result_queue)


def worker(address, authkey, work):
    m = QueueManager(address=address, authkey=authkey)
    try:
        m.connect()  # answers the server's challenge with the authkey
    except AuthenticationError as e:
        print(f"refused: {e}")
        return
    tasks, results = m.get_task_queue(), m.get_result_queue()
    while (task := tasks.get()) is not None:
        i, n = task
        time.sleep(work)  # the work
        results.put((i, n, n * n))


def master(variant):
    authkey = secrets.token_bytes(16)  # nobody can guess it
    manager = QueueManager(address=("127.0.0.1", 0), authkey=authkey)  # port 0: a free one
    manager.start()
    print(f"serving on {manager.address}")
    tasks, results = manager.get_task_queue(), manager.get_result_queue()

    workers = [Process(target=worker, args=(manager.address, authkey, WORK), name=f"worker-{i}")
               for i in range(1, WORKERS + 1)]
    if variant == "wrong-token":
        workers.append(Process(target=worker, args=(manager.address, b"abc", WORK), name="impostor"))
    for p in workers:
        p.start()

    numbers = [random.randint(0, 10000) for _ in range(TASKS)]
    for i, n in enumerate(numbers):
        tasks.put((i, n))

    kill_one = variant == "worker-killed"
    squares = {}
    while len(squares) < TASKS:
        try:
            i, n, sq = results.get(timeout=3 * WORK)
            squares[i] = sq
            print(f"{n} * {n} = {sq}")
        except queue.Empty:  # no answer for a while: put back every task without one
            for i, n in enumerate(numbers):
                if i not in squares:
                    print(f"no square of {n} yet: put it back")
                    tasks.put((i, n))
        if kill_one:  # after the first square, every worker is busy with a task
            kill_one = False
            time.sleep(WORK / 2)
            workers[0].terminate()
            print("worker-1 terminated mid-task")
    for _ in workers:
        tasks.put(None)
    for p in workers:
        p.join()
    manager.shutdown()
    print(f"collected {len(squares)} squares")


if __name__ == "__main__":
    master(sys.argv[1] if len(sys.argv) > 1 else "squares")
