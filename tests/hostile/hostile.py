#!/usr/bin/env python3
"""hostile.py — a sync server that lies, for the client's tests (issue 9).

It answers the client's real requests (docs/sync-protocol.md) the way a broken, buggy or hostile clinic server
might: one MODE per run, chosen on the command line. `good` serves a content directory correctly, so a test can
enrol and sync a tablet first and then restart this server in a bad mode on the same port (the device token is
the same in every mode). Listens on 127.0.0.1 only. Standard library only.

    hostile.py --port N --content DIR --mode MODE [--cert PEM --key PEM [--tls-max 1.1]]
    hostile.py --list      the modes, one per line: MODE what-the-client-must-do
"""
import argparse
import hashlib
import http.server
import json
import os
import socketserver
import ssl
import sys
import time

TOKEN = "hostile-device-token"

# MODE -> what the client must do with it (the test driver reads this through --list):
#   refuse  the pass fails, nothing changes on the tablet, the cached programme still opens
#   ok      the pass succeeds (the client copes: a harmless oddity)
MODES = {
    "good": "ok",
    "grown": "ok",                   # a valid new picture in module 1 (200 KB): a real update to fetch
    "empty-modules": "refuse",       # a programme with no modules at all
    "truncated-module": "refuse",    # a module document cut in half (its hash matches the cut bytes)
    "deep-module": "refuse",         # a module document nested 10,000 deep
    "wrong-types": "refuse",         # a module document whose fields have the wrong types
    "bad-utf8-module": "refuse",     # a module document that is not UTF-8
    "path-escape": "refuse",         # an asset written to ../../outside.svg
    "path-absolute": "refuse",       # an asset written to /tmp/owned.svg
    "path-unwritable": "refuse",     # an asset whose directory is a file the programme needs
    "total-over-budget": "refuse",   # 40 assets of 8 MiB: 320 MiB for one programme
    "blob-over-cap": "refuse",       # one asset that says 9 MiB
    "blob-lies-about-size": "refuse",  # an asset that sends more bytes than its size says
    "bad-hash": "refuse",            # a blob whose bytes do not match their name
    "manifest-deep": "refuse",       # a manifest nested 100,000 deep
    "manifest-huge": "refuse",       # a manifest of 50 MB
    "manifest-not-json": "refuse",
    "manifest-array": "refuse",      # valid JSON, not an object
    "manifest-nul": "refuse",        # a \\u0000 inside a string of the manifest
    "manifest-wrong-types": "refuse",
    "manifest-bad-size": "refuse",   # sizes of 1e300 and -1
    "changes-huge-id": "refuse",     # a message id of 1e30
    "changes-huge-next": "refuse",   # a cursor of 9.2233720368547758e+18 (what a buggy server sent)
    "changes-fraction": "refuse",    # a cursor of 12.5
    "changes-nul": "refuse",         # a therapist's message with a NUL in it
    "changes-bad-utf8": "ok",        # a therapist's message that is not UTF-8: shown, not a crash
    "changes-long-word": "ok",       # a therapist's message of one 60,000-character word
    "status-500": "refuse",
    "status-429": "refuse",
    "redirect": "refuse",            # 302 to another host: never followed
    "revoked": "refuse",             # 401: the clinic revoked this tablet
    "update-required": "refuse",     # 426: the server wants a newer client
    "slow-drip": "refuse",           # the manifest a byte at a time: the client gives up in time
    "drop": "refuse",                # the connection closed mid-body
    "garbage": "refuse",             # random bytes for every answer
}


def sha(data):
    return hashlib.sha256(data).hexdigest()


class Content:
    """The programme in a content directory, as blobs and a manifest, the way the reference server serves it."""

    def __init__(self, root):
        self.blobs = {}
        with open(os.path.join(root, "programme.json"), "rb") as f:
            self.programme = f.read()
        prog = json.loads(self.programme)
        self.prog = prog
        self.modules = []
        for m in prog["modules"]:
            with open(os.path.join(root, m["file"]), "rb") as f:
                doc = f.read()
            assets = []
            for src in sorted(set(images(json.loads(doc)))):
                p = os.path.join(root, src)
                if os.path.exists(p):
                    with open(p, "rb") as f:
                        assets.append((src, f.read()))
            self.modules.append({"meta": m, "doc": doc, "assets": assets})

    def add(self, data):
        h = sha(data)
        self.blobs[h] = data
        return {"sha256": h, "size": len(data)}

    def manifest(self, mutate=None):
        """The manifest as a dict; mutate(module_index, module_entry, content) may change module 0's entry."""
        self.blobs = {}
        man = {"format": 1, "programme": {"id": self.prog["id"], "title": self.prog["title"],
                                          "content": self.add(self.programme)}, "modules": []}
        for i, m in enumerate(self.modules):
            e = {"id": m["meta"]["id"], "number": m["meta"]["number"], "title": m["meta"]["title"],
                 "unlocked": True, "content": self.add(m["doc"]), "assets": []}
            for path, data in m["assets"]:
                a = self.add(data)
                a["path"] = path
                e["assets"].append(a)
            man["modules"].append(e)
        if mutate:
            mutate(man)
        return man


def images(node):
    if isinstance(node, dict):
        if node.get("type") == "image" and isinstance(node.get("src"), str):
            yield node["src"]
        for v in node.values():
            yield from images(v)
    elif isinstance(node, list):
        for v in node:
            yield from images(v)


def nested(depth):
    return b'{"format":1,"id":"m1","title":"x","pages":' + b"[" * depth + b"]" * depth + b"}"


def build(mode, content):
    """The manifest text and the blobs for this mode."""
    c = content

    def first_module(fn):
        def mutate(man):
            fn(man, man["modules"][0])
        return mutate

    mutate = None
    if mode == "empty-modules":
        prog = dict(c.prog, modules=[])
        data = json.dumps(prog).encode()

        def mutate(man):
            man["programme"]["content"] = c.add(data)
    elif mode == "truncated-module":
        mutate = first_module(lambda man, m: m.update(content=c.add(c.modules[0]["doc"][: len(c.modules[0]["doc"]) // 2])))
    elif mode == "deep-module":
        mutate = first_module(lambda man, m: m.update(content=c.add(nested(10000))))
    elif mode == "wrong-types":
        doc = json.loads(c.modules[0]["doc"])
        doc["pages"] = "many"
        mutate = first_module(lambda man, m: m.update(content=c.add(json.dumps(doc).encode())))
    elif mode == "bad-utf8-module":
        mutate = first_module(lambda man, m: m.update(content=c.add(c.modules[0]["doc"].replace(b"panikk", b"pan\xff\xfekk", 1))))
    elif mode in ("path-escape", "path-absolute", "path-unwritable"):
        path = {"path-escape": "../../outside.svg", "path-absolute": "/tmp/meistring-owned.svg",
                "path-unwritable": "programme.json/x.svg"}[mode]

        def add_asset(man, m):
            a = c.add(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
            a["path"] = path
            m["assets"].append(a)
        mutate = first_module(add_asset)
    elif mode == "total-over-budget":
        def big(man, m):
            for i in range(40):
                m["assets"].append({"path": "images/big-%d.png" % i, "sha256": "%064x" % (i + 1), "size": 8 * 1024 * 1024})
        mutate = first_module(big)
    elif mode == "blob-over-cap":
        mutate = first_module(lambda man, m: m["assets"].append({"path": "images/huge.png", "sha256": "%064x" % 7,
                                                                 "size": 9 * 1024 * 1024}))
    elif mode == "blob-lies-about-size":
        def lies(man, m):
            data = b"x" * 4096
            a = c.add(data)
            a["size"] = 100
            a["path"] = "images/lies.svg"
            m["assets"].append(a)
        mutate = first_module(lies)
    elif mode == "grown":
        def grow(man, m):
            pad = "".join("<circle cx='%d' cy='%d' r='3'/>" % (i % 400, i // 400) for i in range(6000))
            a = c.add(("<svg xmlns='http://www.w3.org/2000/svg' width='400' height='20'>%s</svg>" % pad).encode())
            a["path"] = "images/ny-tegning.svg"
            m["assets"].append(a)
        mutate = first_module(grow)
    elif mode == "bad-hash":
        # a new file the tablet must fetch (the bytes served for it are then corrupted)
        def new_asset(man, m):
            a = c.add(b"<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>")
            a["path"] = "images/ny.svg"
            m["assets"].append(a)
        mutate = first_module(new_asset)
    elif mode == "manifest-wrong-types":
        def wrong(man):
            man["modules"][0]["unlocked"] = "yes"
            man["modules"][0]["id"] = 7
        mutate = wrong
    elif mode == "manifest-bad-size":
        def bad(man):
            man["modules"][0]["content"]["size"] = 1e300
            man["modules"][1]["content"]["size"] = -1
        mutate = bad
    man = c.manifest(mutate)
    text = json.dumps(man).encode()
    if mode == "manifest-deep":
        text = b"[" * 100000 + b"]" * 100000
    elif mode == "manifest-not-json":
        text = text[: len(text) // 2]
    elif mode == "manifest-array":
        text = b"[" + text + b"]"
    elif mode == "manifest-nul":
        text = text.replace(b'"title": "', b'"title": "\\u0000', 1)
    return text


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "hostile"
    sys_version = ""

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("hostile: " + fmt % args + "\n")

    def send(self, status, body=b"", ctype="application/json", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(min(n, 1 << 20))

    def hostile_first(self):
        """Modes that answer every request the same way; True when the request was answered."""
        mode = self.server.mode
        if mode == "status-500":
            self.send(500, b'{"error":"boom"}')
        elif mode == "status-429":
            self.send(429, b'{"error":"slow down"}', headers=[("Retry-After", "1")])
        elif mode == "redirect":
            self.send(302, b"", headers=[("Location", "http://127.0.0.2:9/v1/manifest")])
        elif mode == "revoked" and self.path != "/v1/enrol":
            self.send(401, b'{"error":"this device was revoked"}')
        elif mode == "update-required":
            self.send(426, b'{"error":"update required","min_version":"99.0.0"}')
        elif mode == "garbage":
            self.send(200, os.urandom(3000), ctype="application/octet-stream")
        else:
            return False
        return True

    def do_POST(self):
        self.body()
        if self.hostile_first():
            return
        if self.path == "/v1/enrol":
            c = self.server.content.prog
            ans = {"device_token": TOKEN, "patient": {"name": "Test Testesen"},
                   "clinic": c.get("clinic", {}), "programme": {"id": c["id"], "title": c["title"]}}
            self.send(200, json.dumps(ans).encode())
        else:
            self.send(404, b'{"error":"no such thing"}')

    def do_PUT(self):
        self.body()
        if self.hostile_first():
            return
        self.send(201, b"{}")

    def do_GET(self):
        if self.hostile_first():
            return
        if self.headers.get("Authorization") != "Bearer " + TOKEN:
            return self.send(401, b'{"error":"who are you"}')
        mode = self.server.mode
        if self.path == "/v1/manifest":
            text = self.server.manifest
            etag = '"%s"' % sha(text)[:32]
            # these answer whatever the tablet already has
            if mode == "manifest-huge":
                return self.stream(50 * 1024 * 1024)
            if mode == "slow-drip":
                return self.drip(text)
            if mode == "drop":
                return self.drop(text)
            if self.headers.get("If-None-Match") == etag:
                return self.send(304, b"", headers=[("ETag", etag)])
            return self.send(200, text, headers=[("ETag", etag)])
        if self.path.startswith("/v1/blobs/"):
            h = self.path[len("/v1/blobs/"):]
            data = self.server.content.blobs.get(h)
            if data is None:
                return self.send(404, b'{"error":"no such blob"}')
            if mode == "bad-hash":
                data = b"\x00" + data[1:]
            return self.send(200, data, ctype="application/octet-stream")
        if self.path.startswith("/v1/changes"):
            return self.changes(mode)
        self.send(404, b'{"error":"no such thing"}')

    def changes(self, mode):
        since = self.path.split("since=")[-1]
        item = {"type": "message", "id": 1, "seq": 1, "written_at": "2026-12-01T10:00:00Z",
                "body": "Hei! Fint at du er i gang."}
        nxt = 1
        if since not in ("0", "") and not mode.startswith("changes-"):
            return self.send(200, b'{"items":[],"next":%s}' % since.encode())
        if mode == "changes-huge-id":
            raw = b'{"items":[{"type":"message","id":1e30,"seq":1,"written_at":"2026-12-01T10:00:00Z","body":"x"}],"next":1}'
            return self.send(200, raw)
        if mode == "changes-huge-next":
            return self.send(200, b'{"items":[],"next":9.2233720368547758e+18}')
        if mode == "changes-fraction":
            return self.send(200, b'{"items":[],"next":12.5}')
        if mode == "changes-nul":
            raw = json.dumps({"items": [item], "next": nxt}).encode().replace(b"Hei!", b"Hei!\\u0000 skjult", 1)
            return self.send(200, raw)
        if mode == "changes-bad-utf8":
            item["id"] = item["seq"] = nxt = 2
            raw = json.dumps({"items": [item], "next": nxt}).encode().replace(b"Hei!", b"Hei \xff\xfe\xc3!", 1)
            return self.send(200, raw)
        if mode in ("changes-long-word", "changes-bad-utf8"):
            item["id"] = item["seq"] = nxt = 2  # a new message: the good server sent id 1 already
        if mode == "changes-long-word":
            item["body"] = "a" * 60000
        self.send(200, json.dumps({"items": [item], "next": nxt}).encode())

    def stream(self, n):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(n))
        self.end_headers()
        chunk = b" " * 65536
        try:
            sent = 0
            while sent < n:
                self.wfile.write(chunk)
                sent += len(chunk)
        except OSError:
            pass

    def drip(self, text):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        try:
            for i in range(min(len(text), 120)):  # bounded: two minutes at most, the client leaves long before
                self.wfile.write(text[i:i + 1])
                self.wfile.flush()
                time.sleep(1)
        except OSError:
            pass

    def drop(self, text):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text[: len(text) // 3])
        self.wfile.flush()
        self.close_connection = True
        self.connection.shutdown(2)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int)
    ap.add_argument("--content")
    ap.add_argument("--mode", default="good")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--tls-max", choices=["1.1", "1.2", "1.3"])
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    if args.list:
        for m, want in MODES.items():
            print(m, want)
        return 0
    if args.mode not in MODES:
        print("hostile.py: no mode %s (see --list)" % args.mode, file=sys.stderr)
        return 2
    srv = Server(("127.0.0.1", args.port), Handler)
    srv.mode = args.mode
    srv.verbose = args.verbose
    srv.content = Content(args.content)
    srv.manifest = build(args.mode, srv.content)
    if args.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        if args.tls_max == "1.1":
            ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
            ctx.minimum_version = ssl.TLSVersion.TLSv1
            ctx.maximum_version = ssl.TLSVersion.TLSv1_1
        ctx.load_cert_chain(args.cert, args.key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
