#!/usr/bin/env python3
"""two_instances.py SERVER CONTENT WORKDIR — two server instances on one database, as behind a load balancer, and
every request of two tablets sent to one of them at random:
  - 200 messages (100 from each tablet, each in turn, as its outbox sends them) arrive exactly once and in order
    per tablet, while every fifth PUT is sent twice (a retry whose answer was lost) to the other instance;
  - meanwhile the therapist posts 30 replies to each patient, and each tablet's changes cursor, polled on a
    random instance each time, sees every reply exactly once and in order.
The same test runs on SQLite (two processes on one file) and, under tests/lib/on_postgresql.sh, on PostgreSQL."""
import os
import sys
import threading
import time

import srvlib

server_bin, content, work = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(work, exist_ok=True)
db = srvlib.database(work, "two_instances")
patients = ["Ada", "Bo"]
codes = {p: srvlib.new_patient(server_bin, db, p) for p in patients}
instances = [srvlib.Server(server_bin, content, db, log=os.path.join(work, "server%d.log" % i)).start()
             for i in range(2)]
ports = [s.port for s in instances]
tokens = {p: srvlib.enrol(srvlib.rng.choice(ports), codes[p]) for p in patients}
failures = []
N_MESSAGES, N_REPLIES = 100, 30


def tablet_writes(p, rng):
    for k in range(N_MESSAGES):
        cid = "tablet-%s-%04d" % (p, k)
        port = rng.choice(ports)
        status = srvlib.put_message(port, tokens[p], cid, "melding %d fra %s" % (k, p))
        if status != 201:
            failures.append("%s: PUT %s answered %d" % (p, cid, status))
            return
        if k % 5 == 0:  # the retry of a PUT whose answer was lost, to the other instance
            again = srvlib.put_message(ports[1 - ports.index(port)], tokens[p], cid, "melding %d fra %s" % (k, p))
            if again != 200:
                failures.append("%s: the replay of %s answered %d" % (p, cid, again))
                return


seen = {p: [] for p in patients}


def tablet_reads(p, rng, done):
    cursor = 0
    # bounded in time, not in polls: an empty feed is polled in a millisecond, and on a loaded machine the 60
    # replies (a process each) took longer than 2,000 empty polls, so the reader gave up before they came
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline:
        # read before the poll: an empty answer ends the reading only if every reply was committed before it was
        # asked for (a poll that began before the last commit may well miss it)
        finished = done.is_set()
        items, cursor_next = srvlib.changes(rng.choice(ports), tokens[p], cursor)
        for it in items:
            if it["type"] == "message":
                seen[p].append(it["body"])
        cursor = cursor_next
        if not items:
            if finished:
                return
            time.sleep(0.005)


def therapist():
    for k in range(N_REPLIES):
        for p in patients:
            srvlib.admin(server_bin, db, "reply", p, "svar %d til %s" % (k, p))


done = threading.Event()
writers = [threading.Thread(target=tablet_writes, args=(p, srvlib.random.Random(i))) for i, p in enumerate(patients)]
readers = [threading.Thread(target=tablet_reads, args=(p, srvlib.random.Random(10 + i), done))
           for i, p in enumerate(patients)]
replies = threading.Thread(target=therapist)
for t in writers + readers + [replies]:
    t.start()
for t in writers + [replies]:
    t.join(timeout=120)
done.set()
for t in readers:
    t.join(timeout=60)

for p in patients:
    stored = srvlib.messages_from_patient(server_bin, db, p)
    want = ["melding %d fra %s" % (k, p) for k in range(N_MESSAGES)]
    if stored != want:
        failures.append("%s: stored %d messages, not the %d in order (first difference at %s)" % (
            p, len(stored), len(want), next((i for i, (a, b) in enumerate(zip(stored, want)) if a != b),
                                            min(len(stored), len(want)))))
    want_replies = ["svar %d til %s" % (k, p) for k in range(N_REPLIES)]
    if seen[p] != want_replies:
        failures.append("%s: the changes feed gave %d replies, not the %d once each in order" % (
            p, len(seen[p]), N_REPLIES))
for s in instances:
    s.stop()
if failures:
    print("FAIL: " + "; ".join(failures))
    sys.exit(1)
print("two_instances: ok — %d messages from %d tablets once each and in order; %d replies each seen once through "
      "a cursor alternating between instances" % (N_MESSAGES * len(patients), len(patients), N_REPLIES))
