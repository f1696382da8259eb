#!/usr/bin/env python3
"""bad_bytes.py SERVER CONTENT WORKDIR — bytes that are not UTF-8, through the real server, on either backend.

A PUT whose body holds text that is not UTF-8 (a message's body or written_at, an answer's block, a field's value
or name) is a 400 and nothing is stored: SQLite would keep the bytes for the therapist to read, PostgreSQL would
refuse them with an error, a 500 on every retry of the tablet's, with the patient's text in the log. A Bearer that
is not 64 lowercase hex digits is a 401 before the database is asked (a byte PostgreSQL cannot read made it an
error there too). The same message in UTF-8 is then stored once, and the server's log holds none of the text.
Runs on SQLite, and on PostgreSQL under tests/lib/on_postgresql.sh."""
import http.client
import os
import sys

import srvlib

server_bin, content, work = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(work, exist_ok=True)
failures = []
log = os.path.join(work, "server.log")
if os.path.exists(log):
    os.unlink(log)


def raw(port, method, path, body, auth):
    """(status, body) for a request with these exact bytes: body and the Authorization value."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=srvlib.TIMEOUT_S)
    try:
        c.putrequest(method, path)
        c.putheader("Content-Type", "application/json")
        c.putheader("Content-Length", str(len(body)))
        if auth is not None:
            c.putheader("Authorization", auth)
        c.endheaders(body)
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


db = srvlib.database(work, "bad_bytes")
code = srvlib.new_patient(server_bin, db, "Anna")
srv = srvlib.Server(server_bin, content, db, log=log).start()
try:
    token = srvlib.enrol(srv.port, code)
    bearer = b"Bearer " + token.encode()
    secret = "Hemmeleg"  # in every body below: it must not reach the log
    bodies = [
        ("messages", b'{"body": "%s bl\xe5b\xe6r", "written_at": "2026-12-06T10:00:00Z"}' % secret.encode()),
        ("messages", b'{"body": "%s", "written_at": "2026-12-06\xff"}' % secret.encode()),
        ("messages", b'{"body": "%s \xed\xa0\x80", "written_at": "x"}' % secret.encode()),  # a surrogate
        ("answers", b'{"block": "q1\xc0\xaf", "fields": {"f": "%s"}}' % secret.encode()),  # overlong
        ("answers", b'{"block": "q1", "fields": {"f": "%s \x80"}}' % secret.encode()),
        ("answers", b'{"block": "q1", "fields": {"\xf5\x80\x80\x80": "%s"}}' % secret.encode()),
    ]
    for k, (kind, body) in enumerate(bodies):
        for attempt in range(2):  # the tablet's retry gets the same answer
            st, _ = raw(srv.port, "PUT", "/v1/%s/bad-bytes-%02d" % (kind, k), body, bearer)
            if st != 400:
                failures.append("PUT %s with bytes that are not UTF-8 (%d, try %d): %d, not 400"
                                % (kind, k, attempt + 1, st))
    # tokens that are not the shape enrolment makes: 401, never 503 or 500
    ok_body = b'{"body": "x", "written_at": "2026-12-06T10:00:00Z"}'
    for bad in [b"Bearer " + token.encode()[:-1] + b"\xff", b"Bearer " + token.upper().encode(),
                b"Bearer " + token.encode() + b"0", b"Bearer " + token.encode()[:-1], b"Bearer \xe6\xf8\xe5",
                b"Bearer " + b"a" * 4000]:
        st, _ = raw(srv.port, "PUT", "/v1/messages/bad-token-0001", ok_body, bad)
        if st != 401:
            failures.append("Bearer %r...: %d, not 401" % (bad[:16], st))
        st, _ = raw(srv.port, "GET", "/v1/changes", b"", bad)
        if st != 401:
            failures.append("GET /v1/changes with Bearer %r...: %d, not 401" % (bad[:16], st))
    # the same message in UTF-8 is stored, once
    good = ('{"body": "%s bl\u00e5b\u00e6r \U0001F642", "written_at": "2026-12-06T10:00:00Z"}' % secret).encode()
    st, _ = raw(srv.port, "PUT", "/v1/messages/good-bytes-01", good, bearer)
    st2, _ = raw(srv.port, "PUT", "/v1/messages/good-bytes-01", good, bearer)
    if (st, st2) != (201, 200):
        failures.append("the same message in UTF-8: %d then %d, not 201 then 200" % (st, st2))
    stored = srvlib.messages_from_patient(server_bin, db, "Anna")
    if stored != ["%s bl\u00e5b\u00e6r \U0001F642" % secret]:
        failures.append("stored: %r" % stored)
finally:
    srv.stop()

with open(log, "rb") as f:
    text = f.read()
if secret.encode() in text:
    failures.append("the server's log holds the patient's text")

if failures:
    print("FAIL: " + "; ".join(failures))
    sys.exit(1)
print("bad_bytes: ok — %d bodies that are not UTF-8 refused with 400, tokens of the wrong shape 401" % len(bodies))
