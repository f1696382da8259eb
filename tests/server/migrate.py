#!/usr/bin/env python3
"""migrate.py SERVER CONTENT_DIR WORKDIR — the SQLite schema's versioned migrations, through the real server.

A database made by a server from before schema versions (no PRAGMA user_version; patient without code_expires
and code_base), with a patient, her unused code and a message, is brought to the current version by
`meistring-server migrate`; a second run changes nothing; four processes migrating one old file at once all
succeed and the columns are added once, and eight on a new file all succeed; a database from a newer server is refused and left alone; and then
serve enrols the old patient with her old code and `admin messages` shows her old message. A --db that cannot
be opened fails at start, with no password of a URI in the log.
"""
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request

server, content, work = sys.argv[1:4]
VERSION = 1  # srv_store_sqlite.c's SQ_SCHEMA_VERSION
proc = None


def fail(msg):
    print("FAIL: " + msg)
    if proc and proc.poll() is None:
        proc.kill()
    sys.exit(1)


def run(*args, timeout=30):
    return subprocess.run([server, *args], capture_output=True, text=True, timeout=timeout)


# The tables as db.c made them before versions and before codes expired (the CREATE statements of that server,
# without patient.code_expires and patient.code_base).
OLD_SCHEMA = """
CREATE TABLE patient(id INTEGER PRIMARY KEY, name TEXT NOT NULL, code TEXT UNIQUE,
  code_used INTEGER NOT NULL DEFAULT 0, token TEXT UNIQUE, revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE unlock(patient INTEGER NOT NULL, module TEXT NOT NULL, PRIMARY KEY(patient, module));
CREATE TABLE message(id INTEGER PRIMARY KEY, patient INTEGER NOT NULL, client_id TEXT,
  from_patient INTEGER NOT NULL, body TEXT NOT NULL, written_at TEXT NOT NULL, read_at INTEGER,
  UNIQUE(patient, client_id));
CREATE TABLE answer(id INTEGER PRIMARY KEY, patient INTEGER NOT NULL, client_id TEXT NOT NULL,
  body TEXT NOT NULL, UNIQUE(patient, client_id));
CREATE TABLE event(seq INTEGER PRIMARY KEY AUTOINCREMENT, patient INTEGER NOT NULL,
  type TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE clinic(id INTEGER PRIMARY KEY CHECK(id=1), lock_after_s INTEGER NOT NULL,
  pin_digits INTEGER NOT NULL, max_failures INTEGER NOT NULL, staff_code_hash TEXT);
CREATE TABLE device(patient INTEGER PRIMARY KEY, enrolled_at INTEGER, returned_at INTEGER,
  wiped_at INTEGER, recovery_wrap TEXT);
CREATE TABLE reset_code(patient INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,
  expires INTEGER NOT NULL, base INTEGER NOT NULL);
CREATE TABLE wipe_receipt(id INTEGER PRIMARY KEY, received_at INTEGER NOT NULL,
  for_patient INTEGER, enrolled_patient INTEGER, body TEXT NOT NULL);
CREATE TABLE counter(name TEXT PRIMARY KEY, n INTEGER NOT NULL);
INSERT INTO counter(name, n) VALUES('enrol_failures', 3);
INSERT INTO clinic(id, lock_after_s, pin_digits, max_failures) VALUES(1, 120, 4, 8);
INSERT INTO patient(name, code) VALUES('Oda', '27182818');
INSERT INTO message(patient, client_id, from_patient, body, written_at)
  VALUES(1, 'old-message-0001', 1, 'written before the upgrade', '2025-01-02T03:04:05Z');
"""


def make_old(path):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.unlink(path + suffix)
    d = sqlite3.connect(path)
    d.executescript(OLD_SCHEMA)
    d.commit()
    d.close()


def q(path, sql):
    d = sqlite3.connect(path)
    try:
        return d.execute(sql).fetchall()
    finally:
        d.close()


def dump(path):
    d = sqlite3.connect(path)
    try:
        return list(d.iterdump()), d.execute("PRAGMA user_version").fetchone()[0]
    finally:
        d.close()


shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
old = os.path.join(work, "old.db")
make_old(old)
if q(old, "PRAGMA user_version") != [(0,)]:
    fail("the old database already has a version")

# 1. migrate brings it to the current version, and says so
r = run("migrate", "--db", old)
if r.returncode != 0 or r.stdout != "schema version %d (sqlite)\n" % VERSION:
    fail("migrate: exit %d, %r %r" % (r.returncode, r.stdout, r.stderr))
if q(old, "PRAGMA user_version") != [(VERSION,)]:
    fail("user_version after migrate: %r" % q(old, "PRAGMA user_version"))
row = q(old, "SELECT code_base, code_expires - CAST(strftime('%s','now') AS INTEGER) FROM patient WHERE name='Oda'")
if not row or row[0][0] != 3 or not (6 * 86400 < row[0][1] <= 7 * 86400):
    fail("the old code's base and lifetime after migrate: %r" % row)
print("# " + r.stdout.strip() + "; the old code got code_base 3 and 7 days")

# 2. a second run is a no-op: the same answer, not a byte of the data changed
before = dump(old)
r = run("migrate", "--db", old)
if r.returncode != 0 or r.stdout != "schema version %d (sqlite)\n" % VERSION:
    fail("migrate again: exit %d, %r %r" % (r.returncode, r.stdout, r.stderr))
if dump(old) != before:
    fail("a second migrate changed the database")
print("# a second migrate: the same version, the same data")

# 3. four processes migrating one old file at once: each waits for the first's transaction, then finds nothing to do
racing = os.path.join(work, "racing.db")
make_old(racing)
procs = [subprocess.Popen([server, "migrate", "--db", racing], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True) for _ in range(4)]
outs = [p.communicate(timeout=30) + (p.returncode,) for p in procs]
if any(rc != 0 or out != "schema version %d (sqlite)\n" % VERSION for out, _, rc in outs):
    fail("four migrates at once: %r" % outs)
cols = [c[1] for c in q(racing, "PRAGMA table_info(patient)")]
if (cols.count("code_expires"), cols.count("code_base"), q(racing, "SELECT count(*) FROM patient")) != (1, 1, [(1,)]):
    fail("four migrates at once left %r" % cols)
print("# four migrates at once on one old file: all at version %d, the columns added once" % VERSION)
# and on a file that does not exist yet (each turns it to WAL: SQLite says "locked" at once then, not after waiting)
fresh = os.path.join(work, "fresh.db")
procs = [subprocess.Popen([server, "migrate", "--db", fresh], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True) for _ in range(8)]
outs = [p.communicate(timeout=30) + (p.returncode,) for p in procs]
if any(rc != 0 or out != "schema version %d (sqlite)\n" % VERSION for out, _, rc in outs):
    fail("eight migrates at once on a new file: %r" % outs)
if q(fresh, "PRAGMA journal_mode") != [("wal",)] or q(fresh, "SELECT count(*) FROM clinic") != [(1,)]:
    fail("eight migrates at once on a new file left it wrong")
print("# eight migrates at once on a new file: all at version %d, in WAL" % VERSION)

# 4. a database from a newer server is refused, and left as it was
newer = os.path.join(work, "newer.db")
shutil.copy(old, newer)
d = sqlite3.connect(newer)
d.execute("PRAGMA user_version=%d" % (VERSION + 98))
d.commit()
d.close()
r = run("migrate", "--db", newer)
if r.returncode != 1 or "newer" not in r.stderr or q(newer, "PRAGMA user_version") != [(VERSION + 98,)]:
    fail("a newer database: exit %d, %r" % (r.returncode, r.stderr))
print("# a database of schema version %d is refused: %s" % (VERSION + 98, r.stderr.strip().splitlines()[0]))

# 5. a --db that cannot be opened fails at start, with a message; a URI's password never reaches the log
r = run("serve", "--db", os.path.join(work, "no-such-dir", "x.db"), "--content", content, "--port", "1")
if r.returncode != 1 or "database" not in r.stderr:
    fail("serve on an impossible file: exit %d, %r" % (r.returncode, r.stderr))
r = run("migrate", "--db", "postgresql://meistring:secret-pw-1@127.0.0.1:1/none?connect_timeout=2")
if r.returncode != 1 or "secret-pw-1" in r.stderr + r.stdout:
    fail("migrate on an unreachable PostgreSQL: exit %d, %r" % (r.returncode, r.stderr))
print("# an impossible --db: exit 1 at start (%s)" % r.stderr.strip().splitlines()[-1])
# ... nor when libpq cannot read the URI (its own message quotes the part it could not, here the password), nor
# when the scheme is in capitals, nor for libpq's key=value form: neither may be taken for a SQLite file name,
# echoed in its error or made into a stray file beside the server. migrate and serve open --db the same way.
stray = os.path.join(work, "stray")
os.makedirs(stray, exist_ok=True)
for db in ("postgresql://meistring:secret-pw-2%zz@127.0.0.1:1/none",
           "postgres://meistring:secret-pw-3@127.0.0.1:1/none?no_such_option=1",
           "PostgreSQL://meistring:secret-pw-4@127.0.0.1:1/none?connect_timeout=2",
           "host=127.0.0.1 port=1 password=secret-pw-5 dbname=none"):
    for args in (("migrate", "--db", db), ("serve", "--db", db, "--content", content, "--port", "1")):
        r = subprocess.run([server, *args], capture_output=True, text=True, timeout=30, cwd=stray)
        if r.returncode == 0 or "secret-pw" in r.stderr + r.stdout or not r.stderr.strip():
            fail("%s on a --db with a password: exit %d, %r" % (args[0], r.returncode, r.stderr))
    print("# --db %s...: exit %d (%s)" % (db[:12], r.returncode, r.stderr.strip().splitlines()[-1]))
if os.listdir(stray):
    fail("a --db made files: %r" % os.listdir(stray))

# 6. the old patient's data through the server: her old code enrols her, her old message is there
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
proc = subprocess.Popen([server, "serve", "--db", old, "--content", content, "--port", str(port)],
                        stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "server.log"), "w"))
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        break
    except OSError:
        time.sleep(0.05)
else:
    fail("the server did not start")
try:
    rq = urllib.request.Request("http://127.0.0.1:%d/v1/enrol" % port, data=b'{"code": "2718 2818"}',
                                headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(rq, timeout=15) as resp:
        got = json.loads(resp.read())
    if got["patient"]["name"] != "Oda" or got["lock"]["after_s"] != 120 or got["lock"]["pin_digits"] != 4:
        fail("enrolment on the migrated database: %r" % got)
except urllib.error.HTTPError as e:
    fail("enrolment on the migrated database: %d" % e.code)
finally:
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=10)
r = run("admin", "--db", old, "messages", "Oda")
if r.returncode != 0 or not re.search(r"^2025-01-02T03:04:05Z patient: written before the upgrade$", r.stdout, re.M):
    fail("admin messages on the migrated database: %r %r" % (r.stdout, r.stderr))
print("# serve on the migrated database: Oda enrolled with her old code, her old message listed")
