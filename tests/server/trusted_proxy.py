#!/usr/bin/env python3
"""trusted_proxy.py SERVER CONTENT WORKDIR — enrolment limits behind a reverse proxy (serve --trusted-proxy):
  - from the trusted proxy (127.0.0.1 here), the limits count the tablet that X-Forwarded-For names last: ten wrong
    codes lock that tablet out (429), and another tablet behind the same proxy still enrols with its right code;
  - only the last entry counts: a tablet that writes its own X-Forwarded-For cannot pick another address, whether
    the proxy appends to the tablet's header or adds a header line of its own after it;
  - from any other peer (127.0.0.2) the header is never read: it is limited by its own address;
  - serve refuses (exit 2) a misspelt option, an option without its value, and an IPv6 --trusted-proxy (the
    server listens on IPv4): each would otherwise bring back one shared limit without a word;
  - without --trusted-proxy the header means nothing: everyone behind the proxy shares one limit (the old way,
    and the failure this option exists for)."""
import http.client
import os
import subprocess
import sys

import srvlib

server_bin, content, work = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(work, exist_ok=True)
failures = []


def enrol(port, code, xff=None, source=None):
    return srvlib.request(port, "POST", "/v1/enrol", {"code": code}, source=source,
                          headers={"X-Forwarded-For": xff} if xff else None)[0]


def enrol_two_lines(port, code, first, last):
    """An enrolment with two X-Forwarded-For header lines: the client's own (forged) first, then the one a proxy
    that adds a line of its own wrote."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=srvlib.TIMEOUT_S)
    try:
        body = ('{"code": "%s"}' % code).encode()
        c.putrequest("POST", "/v1/enrol")
        c.putheader("Content-Type", "application/json")
        c.putheader("Content-Length", str(len(body)))
        c.putheader("X-Forwarded-For", first)
        c.putheader("X-Forwarded-For", last)
        c.endheaders(body)
        r = c.getresponse()
        r.read()
        return r.status
    finally:
        c.close()


def ten_wrong(port, xff, source=None):
    """Ten wrong codes, as a tablet that mistypes; returns the statuses."""
    return [enrol(port, "%08d" % (10000000 + k), xff, source) for k in range(10)]


def case(trusted):
    db = srvlib.database(work, "proxy_%s" % ("on" if trusted else "off"))
    codes = [srvlib.new_patient(server_bin, db, n) for n in ("Ada", "Bo", "Cy", "Di")]
    srv = srvlib.Server(server_bin, content, db, log=os.path.join(work, "server.log"),
                        options=["--trusted-proxy", "127.0.0.1"] if trusted else []).start()
    try:
        wrong = ten_wrong(srv.port, "198.51.100.1")
        if wrong != [403] * 10:
            failures.append("the ten wrong codes answered %s" % wrong)
        locked = enrol(srv.port, codes[0], "198.51.100.1")
        other = enrol(srv.port, codes[1], "198.51.100.2")
        spoof = enrol(srv.port, codes[2], "198.51.100.2, 198.51.100.1")  # claims .2, the proxy saw .1
        # a line of its own claiming .2, then the proxy's own line saying .1
        lines = enrol_two_lines(srv.port, codes[3], "198.51.100.2", "198.51.100.1")
        return locked, other, spoof, lines
    finally:
        srv.stop()


locked, other, spoof, lines = case(trusted=True)
if locked != 429:
    failures.append("trusted: the tablet with ten wrong codes was not locked out (%d)" % locked)
if other != 200:
    failures.append("trusted: another tablet behind the proxy could not enrol (%d)" % other)
if spoof != 429:
    failures.append("trusted: a tablet naming itself in X-Forwarded-For escaped its lockout (%d)" % spoof)
if lines != 429:
    failures.append("trusted: a tablet sending its own X-Forwarded-For line before the proxy's escaped its lockout (%d)"
                    % lines)

# a peer that is not the proxy: its header is not read
db = srvlib.database(work, "proxy_peer")
code = srvlib.new_patient(server_bin, db, "Dag")
srv = srvlib.Server(server_bin, content, db, options=["--trusted-proxy", "127.0.0.1"]).start()
try:
    ten_wrong(srv.port, "198.51.100.%d" % 7, source="127.0.0.2")
    st = enrol(srv.port, code, "198.51.100.8", source="127.0.0.2")
    if st != 429:
        failures.append("an untrusted peer changed its address with X-Forwarded-For (%d)" % st)
finally:
    srv.stop()

locked, other, _, _ = case(trusted=False)
if (locked, other) != (429, 429):
    failures.append("without --trusted-proxy the header was read (%d, %d)" % (locked, other))

# serve refuses what would silently bring back one shared lockout: a misspelt option (say in MEISTRING_OPTIONS),
# an option without its value, and an IPv6 proxy while the server listens on IPv4 (it could never be the peer)
db = srvlib.database(work, "proxy_options")
for opts, says in [(["--trusted_proxy", "127.0.0.1"], "unknown option --trusted_proxy"),
                   (["--trusted-proxy"], "--trusted-proxy needs a value"),
                   (["--trusted-proxy", "::1"], "IPv6"),
                   (["--trusted-proxy", "::ffff:127.0.0.1"], "IPv6"),
                   (["--port", "80x"], "--port"),
                   (["127.0.0.1"], "unknown option 127.0.0.1")]:
    try:
        r = subprocess.run([server_bin, "serve", "--db", db, "--content", content, "--port", str(srvlib.free_port())]
                           + opts, capture_output=True, text=True, timeout=5)
        if r.returncode != 2 or says not in r.stderr:
            failures.append("serve %s: exit %d, %r" % (" ".join(opts), r.returncode, r.stderr.strip()))
    except subprocess.TimeoutExpired:
        failures.append("serve %s started and served" % " ".join(opts))

if failures:
    print("FAIL: " + "; ".join(failures))
    sys.exit(1)
print("trusted_proxy: ok — limits per tablet behind the proxy, the last entry only, no header from other peers")
