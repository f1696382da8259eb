#!/usr/bin/env python3
"""kill_put.py SERVER CONTENT WORKDIR [KILLS] — a server instance killed with SIGKILL in the middle of PUTs, KILLS
times (100 by default): four tablet threads PUT fresh messages without pause while the instance is killed at a
random moment and started again. Afterwards:
  - every PUT that got a 2xx is stored, exactly once;
  - the tablets' retries of all the others (same id, same body, as the client's outbox does) land once: 201 when
    the killed attempt never committed, 200 when it did and only its answer was lost — never 422, never a double.
The same test runs on SQLite and, under tests/lib/on_postgresql.sh, on PostgreSQL."""
import os
import sys
import threading
import time

import srvlib

server_bin, content, work = sys.argv[1], sys.argv[2], sys.argv[3]
kills = int(sys.argv[4]) if len(sys.argv) > 4 else 100
os.makedirs(work, exist_ok=True)
db = srvlib.database(work, "kill_put")
code = srvlib.new_patient(server_bin, db, "Kari")
srv = srvlib.Server(server_bin, content, db, log=os.path.join(work, "server.log")).start()
token = srvlib.enrol(srv.port, code)

lock = threading.Lock()
sent = {}  # client id -> body
acked = set()  # ids that got a 2xx
answers = {200: 0, 201: 0}
stop = threading.Event()


def tablet(n):
    """PUTs fresh messages one after the other; one that got no answer is sent again, same id and body, until it
    does (the client's outbox)."""
    k = 0
    while not stop.is_set():
        cid = "t%d-%06d" % (n, k)
        body = "kanari %s" % cid
        with lock:
            sent[cid] = body
        while not stop.is_set():
            try:
                status = srvlib.put_message(srv.port, token, cid, body, timeout=3)
            except Exception:  # refused while the instance is down, or a reply cut by the kill
                time.sleep(0.002)
                continue
            if status in (200, 201):
                with lock:
                    acked.add(cid)
                    answers[status] += 1
                break
            if status != 503:
                print("FAIL: PUT %s answered %d" % (cid, status))
                os._exit(1)
        k += 1


threads = [threading.Thread(target=tablet, args=(n,), daemon=True) for n in range(4)]
for t in threads:
    t.start()
t0 = time.monotonic()
for i in range(kills):
    time.sleep(srvlib.rng.uniform(0.005, 0.06))
    srv.kill9()
    srv.start()
stop.set()
for t in threads:
    t.join(timeout=10)
print("kill_put: %d kills in %.1f s, %d messages sent, %d acknowledged: %d created, %d replays (stored before"
      " a kill that cut the answer)" % (kills, time.monotonic() - t0, len(sent), len(acked), answers[201],
                                        answers[200]))

# the tablets retry everything that was not acknowledged, as the outbox does
replays = created = 0
for cid, body in sorted(sent.items()):
    if cid in acked:
        continue
    status = srvlib.put_message(srv.port, token, cid, body)
    if status == 201:
        created += 1
    elif status == 200:
        replays += 1
    else:
        print("FAIL: the retry of %s answered %d" % (cid, status))
        sys.exit(1)
print("kill_put: retried %d (%d had landed before the kill, %d landed now)" % (created + replays, replays, created))

stored = srvlib.messages_from_patient(server_bin, db, "Kari")
srv.stop()
counts = {}
for b in stored:
    counts[b] = counts.get(b, 0) + 1
doubles = [b for b, n in counts.items() if n > 1]
missing = [c for c, b in sent.items() if b not in counts]
strays = [b for b in counts if b not in set(sent.values())]
if doubles or missing or strays:
    print("FAIL: %d stored twice, %d missing, %d never sent (e.g. %s)" % (len(doubles), len(missing), len(strays),
                                                                       (doubles + missing + strays)[:3]))
    sys.exit(1)
print("kill_put: ok — %d messages, each stored exactly once" % len(sent))
