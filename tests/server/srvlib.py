"""srvlib.py — what the server-level tests share: the reference server started and stopped on 127.0.0.1, its
database (a SQLite file, or under tests/lib/on_postgresql.sh a fresh PostgreSQL database in that cluster),
patients made with `admin`, tablets enrolled over HTTP, and the API's PUTs and changes polls. Standard library
only; every request has a timeout."""
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import time

TIMEOUT_S = 10


def database(workdir, name):
    """A fresh database for one test: a file in workdir, or (MEISTRING_TEST_PG_HOST) one in the cluster."""
    pg = os.environ.get("MEISTRING_TEST_PG_HOST")
    if not pg:
        path = os.path.join(workdir, name + ".db")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.unlink(path + suffix)
        return path
    db = "%s_%d" % (name, os.getpid())
    subprocess.run(["psql", "-q", "-h", pg, "-U", "postgres", "-d", "postgres", "-c",
                    'DROP DATABASE IF EXISTS "%s"' % db], check=True, capture_output=True)
    subprocess.run(["psql", "-q", "-h", pg, "-U", "postgres", "-d", "postgres", "-c",
                    'CREATE DATABASE "%s"' % db], check=True, capture_output=True)
    return "postgresql:///%s?host=%s&user=postgres" % (db, pg)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    """One `meistring-server serve` process on 127.0.0.1."""

    def __init__(self, binary, content, db, port=None, log=None, options=()):
        self.binary, self.content, self.db, self.options = binary, content, db, list(options)
        self.port = port or free_port()
        self.log = log
        self.proc = None

    def start(self):
        err = open(self.log, "ab") if self.log else subprocess.DEVNULL
        self.proc = subprocess.Popen([self.binary, "serve", "--db", self.db, "--content", self.content,
                                      "--port", str(self.port)] + self.options, stdout=subprocess.DEVNULL, stderr=err)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("the server exited at start (%d)" % self.proc.returncode)
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("the server did not start on port %d" % self.port)

    def kill9(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=TIMEOUT_S)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.kill9()


def admin(binary, db, *args):
    r = subprocess.run([binary, "admin", "--db", db] + list(args), capture_output=True, text=True,
                       timeout=60)
    if r.returncode != 0:
        raise RuntimeError("admin %s failed: %s" % (args[0], r.stderr.strip()))
    return r.stdout


def new_patient(binary, db, name):
    """Makes a patient; returns their 8-digit enrolment code."""
    m = re.search(r"code (\d{4}) (\d{4})", admin(binary, db, "create-patient", name))
    return m.group(1) + m.group(2)


def request(port, method, path, body=None, token=None, timeout=TIMEOUT_S, source=None, headers=None):
    """(status, parsed JSON or None); raises OSError/http.client errors when the connection fails. source: the
    loopback address to connect from (127.0.0.0/8 is all this machine's)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout,
                                   source_address=(source, 0) if source else None)
    try:
        headers = dict(headers or {}, **{"Content-Type": "application/json"})
        if token:
            headers["Authorization"] = "Bearer " + token
        data = json.dumps(body).encode() if body is not None else None
        c.request(method, path, body=data, headers=headers)
        r = c.getresponse()
        raw = r.read()
        try:
            return r.status, json.loads(raw) if raw else None
        except ValueError:
            return r.status, None
    finally:
        c.close()


def enrol(port, code):
    status, j = request(port, "POST", "/v1/enrol", {"code": code})
    if status != 200:
        raise RuntimeError("enrolment failed: %d" % status)
    return j["device_token"]


def put_message(port, token, client_id, body, written_at="2026-12-06T10:00:00Z", timeout=TIMEOUT_S):
    return request(port, "PUT", "/v1/messages/" + client_id, {"body": body, "written_at": written_at},
                   token, timeout)[0]


def changes(port, token, since):
    status, j = request(port, "GET", "/v1/changes?since=%d" % since, token=token)
    if status != 200:
        raise RuntimeError("changes: %d" % status)
    return j["items"], j["next"]


def messages_from_patient(binary, db, patient):
    """The patient's message bodies as the therapist lists them, oldest first (the lines start with a time)."""
    out = []
    for line in admin(binary, db, "messages", patient).splitlines():
        parts = line.split(" ", 2)
        if len(parts) == 3 and parts[1] == "patient:":
            out.append(parts[2])
    return out


rng = random.Random(int(os.environ.get("MEISTRING_TEST_SEED", "15")))
