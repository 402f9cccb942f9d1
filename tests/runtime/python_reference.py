"""What Python's threading does, for the tests of lockstep's Condition, Barrier, Timer and
local. Run: python3 tests/runtime/python_reference.py (each line: what, then what Python gave)."""
import threading, time

T = 0.05  # a tick

def condition():
    lock = threading.Lock()
    cond = threading.Condition(lock)
    # 1. Waiters are woken in the order they waited: notify() one at a time.
    order = []
    def waiter(i):
        with cond:
            cond.wait()
            order.append(i)
    ts = [threading.Thread(target=waiter, args=(i,)) for i in range(4)]
    for t in ts:
        t.start(); time.sleep(T)
    for _ in ts:
        with cond:
            cond.notify()
        time.sleep(T)
    for t in ts: t.join()
    print("condition: notify() one at a time wakes in waiting order:", order)
    # 2. wait releases the lock: another thread can take it while the waiter waits.
    took = []
    def w2():
        with cond:
            cond.wait(timeout=4 * T)
    t = threading.Thread(target=w2); t.start(); time.sleep(T)
    took.append(lock.acquire(blocking=False))
    if took[0]: lock.release()
    t.join()
    print("condition: the lock is free while a thread waits:", took[0])
    # 3. A woken waiter re-acquires the lock before wait returns: it waits for the notifier.
    stamps = {}
    def w3():
        with cond:
            cond.wait()
            stamps['waiter returns'] = time.monotonic()
    t = threading.Thread(target=w3); t.start(); time.sleep(T)
    with cond:
        cond.notify()
        time.sleep(4 * T)
        stamps['notifier releases'] = time.monotonic()
    t.join()
    print("condition: wait returns only after the notifier releases the lock:",
          stamps['waiter returns'] >= stamps['notifier releases'])
    # 4. A notify with nobody waiting is lost.
    with cond:
        cond.notify()
    def w4(out):
        with cond:
            out.append(cond.wait(timeout=2 * T))
    out = []
    t = threading.Thread(target=w4, args=(out,)); t.start(); t.join()
    print("condition: a notify before anyone waits is lost; the later wait(timeout) returns:", out[0])
    # 5. wait(timeout) returns False when the time runs out, True when notified.
    with cond:
        t0 = time.monotonic(); r = cond.wait(timeout=2 * T); dt = time.monotonic() - t0
    print("condition: wait(timeout) with no notify returns", r, "after about the timeout:", round(dt / T, 1), "ticks")
    # 6. notify(n) wakes exactly n; notify_all the rest.
    woken = []
    def w6(i):
        with cond:
            if cond.wait(timeout=6 * T): woken.append(i)
    ts = [threading.Thread(target=w6, args=(i,)) for i in range(4)]
    for t in ts: t.start(); time.sleep(T / 5)
    time.sleep(T)
    with cond: cond.notify(2)
    time.sleep(T)
    print("condition: notify(2) wakes exactly", len(woken), "of 4:", sorted(woken))
    with cond: cond.notify_all()
    for t in ts: t.join()
    print("condition: notify_all wakes the rest:", sorted(woken))
    # 7. wait_for(predicate, timeout) returns the predicate's value.
    items = []
    def w7(out):
        with cond:
            out.append(cond.wait_for(lambda: len(items) >= 2, timeout=8 * T))
    out = []
    t = threading.Thread(target=w7, args=(out,)); t.start(); time.sleep(T)
    with cond: items.append(1); cond.notify()
    time.sleep(T)
    still = t.is_alive()
    with cond: items.append(2); cond.notify()
    t.join()
    print("condition: wait_for waits on after a notify whose predicate is false:", still, "; returns", out[0])
    out = []
    items.clear()
    t0 = time.monotonic()
    t = threading.Thread(target=w7, args=(out,)); t.start(); t.join()
    print("condition: wait_for times out with", out[0], "after", round((time.monotonic() - t0) / T, 1), "ticks")
    # 8. wait without the lock is an error.
    try:
        cond.wait(0.01)
    except RuntimeError as e:
        print("condition: wait without the lock:", type(e).__name__, e)

def barrier():
    b = threading.Barrier(3)
    res = {}
    stamps = {}
    def party(i):
        time.sleep(i * T)
        stamps[i] = time.monotonic()
        res[i] = b.wait()
        stamps[('out', i)] = time.monotonic()
    ts = [threading.Thread(target=party, args=(i,)) for i in range(3)]
    [t.start() for t in ts]; [t.join() for t in ts]
    print("barrier: indices by arrival (0 first):", [res[i] for i in range(3)])
    print("barrier: nobody leaves before the last arrives:",
          all(stamps[('out', i)] >= stamps[2] for i in range(3)))
    print("barrier: parties", b.parties, "n_waiting after", b.n_waiting, "broken", b.broken)
    # reusable
    res.clear()
    ts = [threading.Thread(target=party, args=(i,)) for i in range(3)]
    [t.start() for t in ts]; [t.join() for t in ts]
    print("barrier: a second round gives", sorted(res.values()))
    # timeout breaks it for everyone waiting
    b = threading.Barrier(3, timeout=3 * T)
    out = {}
    def p2(i):
        time.sleep(i * T)
        try:
            out[i] = b.wait()
        except threading.BrokenBarrierError:
            out[i] = ('broken', round((time.monotonic() - t0) / T))
    t0 = time.monotonic()
    ts = [threading.Thread(target=p2, args=(i,)) for i in range(2)]
    [t.start() for t in ts]
    time.sleep(T / 2)
    print("barrier: n_waiting while 1 of 3 is there:", b.n_waiting)
    time.sleep(T)
    print("barrier: n_waiting while 2 of 3 are there:", b.n_waiting)
    [t.join() for t in ts]
    print("barrier: 2 of 3 with timeout 3 ticks:", out, "broken:", b.broken, "n_waiting", b.n_waiting)
    try:
        b.wait()
    except threading.BrokenBarrierError:
        print("barrier: a wait on a broken barrier raises at once: BrokenBarrierError")
    b.reset()
    print("barrier: after reset broken =", b.broken)
    # abort
    b = threading.Barrier(3)
    out = {}
    ts = [threading.Thread(target=p2, args=(i,)) for i in range(2)]
    t0 = time.monotonic()
    [t.start() for t in ts]; time.sleep(3 * T); b.abort(); [t.join() for t in ts]
    print("barrier: abort with 2 waiting:", out, "broken:", b.broken)
    # reset with waiters
    b = threading.Barrier(3)
    out = {}
    ts = [threading.Thread(target=p2, args=(i,)) for i in range(2)]
    t0 = time.monotonic()
    [t.start() for t in ts]; time.sleep(3 * T); b.reset(); [t.join() for t in ts]
    print("barrier: reset with 2 waiting:", out, "broken after:", b.broken)

def timer():
    out = []
    t0 = time.monotonic()
    tm = threading.Timer(2 * T, lambda: out.append(round((time.monotonic() - t0) / T)))
    tm.start(); tm.join()
    print("timer: fires after its interval (ticks):", out)
    out.clear()
    tm = threading.Timer(4 * T, lambda: out.append("fired"))
    t0 = time.monotonic()
    tm.start(); time.sleep(T); tm.cancel(); tm.join()
    print("timer: cancelled before its time: fired", out, "; join returned after",
          round((time.monotonic() - t0) / T), "ticks")
    time.sleep(5 * T)
    print("timer: still not fired later:", out)
    out.clear()
    tm = threading.Timer(T, lambda: out.append("fired"))
    tm.start(); time.sleep(3 * T); tm.cancel(); tm.join()
    print("timer: cancel after it fired changes nothing:", out)
    out.clear()
    tm = threading.Timer(T, lambda: out.append("fired"))
    tm.cancel(); tm.start(); tm.join()
    print("timer: cancelled before start never fires:", out)
    print("timer: is a thread:", isinstance(tm, threading.Thread))

def local():
    loc = threading.local()
    seen = {}
    def f(name, v):
        if v is not None:
            loc.url = v
        time.sleep(T)
        seen[name] = getattr(loc, 'url', None)
    loc.url = "main's"
    ts = [threading.Thread(target=f, args=(n, v), name=n) for n, v in [("T1", "a.com"), ("T2", "b.com"), ("T3", None)]]
    [t.start() for t in ts]; [t.join() for t in ts]
    print("local: each thread sees its own:", seen, "main still:", loc.url)

condition(); barrier(); timer(); local()

# Python 3.11.7 printed:
#   condition: notify() one at a time wakes in waiting order: [0, 1, 2, 3]
#   condition: the lock is free while a thread waits: True
#   condition: wait returns only after the notifier releases the lock: True
#   condition: a notify before anyone waits is lost; the later wait(timeout) returns: False
#   condition: wait(timeout) with no notify returns False after about the timeout: 2.0 ticks
#   condition: notify(2) wakes exactly 2 of 4: [0, 1]
#   condition: notify_all wakes the rest: [0, 1, 2, 3]
#   condition: wait_for waits on after a notify whose predicate is false: True ; returns True
#   condition: wait_for times out with False after 8.0 ticks
#   condition: wait without the lock: RuntimeError cannot wait on un-acquired lock
#   barrier: indices by arrival (0 first): [0, 1, 2]
#   barrier: nobody leaves before the last arrives: True
#   barrier: parties 3 n_waiting after 0 broken False
#   barrier: a second round gives [0, 1, 2]
#   barrier: n_waiting while 1 of 3 is there: 1
#   barrier: n_waiting while 2 of 3 are there: 2
#   barrier: 2 of 3 with timeout 3 ticks: {0: ('broken', 3), 1: ('broken', 3)} broken: True n_waiting 0
#   barrier: a wait on a broken barrier raises at once: BrokenBarrierError
#   barrier: after reset broken = False
#   barrier: abort with 2 waiting: {0: ('broken', 3), 1: ('broken', 3)} broken: True
#   barrier: reset with 2 waiting: {1: ('broken', 3), 0: ('broken', 3)} broken after: False
#   timer: fires after its interval (ticks): [2]
#   timer: cancelled before its time: fired [] ; join returned after 1 ticks
#   timer: still not fired later: []
#   timer: cancel after it fired changes nothing: ['fired']
#   timer: cancelled before start never fires: []
#   timer: is a thread: True
#   local: each thread sees its own: {'T1': 'a.com', 'T3': None, 'T2': 'b.com'} main still: main's
