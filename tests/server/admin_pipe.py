#!/usr/bin/env python3
"""admin_pipe.py SERVER CONTENT WORKDIR — `admin messages` must not hold the database while it prints.

Listing a thread marks it read (a "read" event per unread message), a write. The listing is printed to a pipe:
`meistring-admin messages Anna | less` on a long thread blocks in printf for as long as the clinician reads. If
the write transaction were still open then, every write of serve would fail after the busy timeout. Here a patient
writes 300 messages of 1 KB (far more than a pipe holds), `admin messages` prints them into a pipe nobody reads
until it is full, and meanwhile a PUT through serve must answer 201 within 2 s. Then the pipe is read: every
message is listed once, and the read events were committed (a second listing marks nothing new, and the changes
feed holds one "read" per message). Runs on SQLite, and on PostgreSQL under tests/lib/on_postgresql.sh."""
import fcntl
import os
import select
import subprocess
import sys
import termios
import time
import array

import srvlib

server_bin, content, work = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(work, exist_ok=True)
MESSAGES = 300
failures = []

db = srvlib.database(work, "admin_pipe")
code = srvlib.new_patient(server_bin, db, "Anna")
srv = srvlib.Server(server_bin, content, db, log=os.path.join(work, "server.log")).start()
lister = None
try:
    token = srvlib.enrol(srv.port, code)
    for k in range(MESSAGES):
        st = srvlib.put_message(srv.port, token, "message-%04d" % k, ("%04d " % k) + "x" * 1019)
        if st != 201:
            raise RuntimeError("message %d: %d" % (k, st))

    lister = subprocess.Popen([server_bin, "admin", "--db", db, "messages", "Anna"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    fd = lister.stdout.fileno()
    pipe_size = fcntl.fcntl(fd, 1032)  # F_GETPIPE_SZ
    # until the pipe is full (the lister blocks in write) or it has finished; bounded in time
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and lister.poll() is None:
        buf = array.array("i", [0])
        fcntl.ioctl(fd, termios.FIONREAD, buf)
        if buf[0] >= pipe_size - 4096:
            break
        time.sleep(0.05)
    if lister.poll() is not None:
        failures.append("admin messages finished without filling the pipe (%d bytes)" % pipe_size)
    time.sleep(0.3)  # it is now blocked in write, whatever it holds

    t0 = time.monotonic()
    try:
        st = srvlib.put_message(srv.port, token, "during-listing", "written while the thread is listed", timeout=2)
    except OSError as e:  # socket.timeout is an OSError
        st = "no answer (%s)" % e
    took = time.monotonic() - t0
    if st != 201 or took > 2:
        failures.append("a PUT while admin messages printed into a full pipe: %s after %.1f s" % (st, took))

    out, err = lister.communicate(timeout=60)
    lines = out.decode().splitlines()
    listed = [l for l in lines if " patient: " in l]
    if lister.returncode != 0:
        failures.append("admin messages exited %d: %s" % (lister.returncode, err.decode().strip()))
    if len(listed) < MESSAGES or any(("%04d " % k) not in listed[k] for k in range(MESSAGES)):
        failures.append("admin messages listed %d of %d messages, or out of order" % (len(listed), MESSAGES))

    # the read events were committed: one per message, and the message written meanwhile got one at the next listing
    srvlib.admin(server_bin, db, "messages", "Anna")
    reads, since = 0, 0
    for _ in range(100):
        items, nxt = srvlib.changes(srv.port, token, since)
        reads += sum(1 for it in items if it.get("type") == "read")
        if nxt == since:
            break
        since = nxt
    if reads != MESSAGES + 1:
        failures.append("%d read events for %d messages" % (reads, MESSAGES + 1))
finally:
    if lister and lister.poll() is None:
        lister.kill()
        lister.wait(timeout=10)
    srv.stop()

if failures:
    print("FAIL: " + "; ".join(failures))
    sys.exit(1)
print("admin_pipe: ok — a PUT answered 201 in %.2f s while admin messages sat on a full pipe" % took)
