#!/usr/bin/env python3
"""make_sync_seeds.py — turns a content directory (assets/demo) into seed inputs for fuzz_sync (the chunk
format is described at the top of tests/fuzz/fuzz_sync.c): the files of the programme as F chunks, a manifest as
the reference server would send it with "@N"/"#N" in place of each file's hash and size, changes pages, statuses.

    tests/fuzz/make_sync_seeds.py assets/demo tests/fuzz/seeds/sync          # the small checked-in seeds
    tests/fuzz/make_sync_seeds.py --full assets/demo /tmp/seeds              # also the whole demo (~120 KB)

The checked-in seeds are trimmed so they stay small (a few KB each, under libFuzzer's -max_len): every module
keeps its first page and any page with an image or a block named by opens_after, and each kept page keeps the
first block of each type. Every seed is a programme that validates, so a fuzzer starts from the deep end (built,
validated, committed) and mutates its way out."""
import json
import re
import os
import sys

SEP = b"\n%%\n"


def trimmed_module(doc, keep_blocks):
    pages = []
    for i, page in enumerate(doc["pages"]):
        types = {b.get("type") for b in page["blocks"]}
        wanted = i == 0 or "image" in types or any(b["id"] in keep_blocks for b in page["blocks"])
        if not wanted:
            continue
        seen, blocks = set(), []
        for b in page["blocks"]:
            if b.get("type") not in seen or b["id"] in keep_blocks:
                seen.add(b.get("type"))
                blocks.append(b)
        pages.append(dict(page, blocks=blocks))
    return dict(doc, pages=pages)


def compact(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()


class Seed:
    """Files (F chunks, numbered in order) and the manifest that names them."""

    def __init__(self, src, full, only=None):
        self.files = []
        self.index = {}
        prog = json.load(open(os.path.join(src, "programme.json"), encoding="utf-8"))
        keep_blocks = {m["opens_after"] for m in prog["modules"] if m.get("opens_after")}
        if only is not None:
            prog["modules"] = [m for m in prog["modules"] if m["id"] in only]
            for m in prog["modules"]:
                m.pop("opens_after", None)
        self.prog = prog
        self.add("programme.json", compact(prog))
        self.modules = []
        for m in prog["modules"]:
            doc = json.load(open(os.path.join(src, m["file"]), encoding="utf-8"))
            if not full:
                doc = trimmed_module(doc, keep_blocks)
            assets = []
            for page in doc["pages"]:
                for b in page["blocks"]:
                    if b.get("type") == "image" and b["src"] not in assets:
                        assets.append(b["src"])
                        self.add(b["src"], open(os.path.join(src, b["src"]), "rb").read())
            self.add(m["file"], compact(doc))
            self.modules.append((m, assets))

    def add(self, path, data):
        if path not in self.index:
            self.index[path] = len(self.files)
            self.files.append(data)

    def ref(self, path):
        n = self.index[path]
        return {"sha256": "@%d" % n, "size": "#%d" % n}

    def manifest(self, unlocked):
        """The server's manifest (src/server/server.c do_manifest): a locked module has no content."""
        mods = []
        for m, assets in self.modules:
            o = {"id": m["id"], "number": m["number"], "title": m["title"], "unlocked": m["id"] in unlocked}
            if o["unlocked"]:
                o["content"] = self.ref(m["file"])
                o["assets"] = [dict(self.ref(a), path=a) for a in assets]
            mods.append(o)
        man = {"format": 1, "programme": {"id": self.prog["id"], "title": self.prog["title"],
                                          "content": self.ref("programme.json")}, "modules": mods}
        # sizes are numbers: "#N" is replaced by the harness, so unquote it
        text = compact(man)
        for n in range(len(self.files)):
            text = text.replace(b'"#%d"' % n, b"#%d" % n)
        return text

    def chunks(self):
        return [b"F" + f for f in self.files]


def write(out, name, chunks):
    with open(os.path.join(out, name), "wb") as f:
        f.write(SEP.join(chunks))


def main():
    args = sys.argv[1:]
    full = "--full" in args
    args = [a for a in args if a != "--full"]
    if len(args) != 2:
        sys.exit(__doc__)
    src, out = args
    os.makedirs(out, exist_ok=True)
    s = Seed(src, False)
    opened = {m["id"] for m in s.prog["modules"] if m.get("unlocked")}
    locked = [m["id"] for m in s.prog["modules"] if not m.get("unlocked")]
    every = opened | set(locked)
    man = s.manifest(opened)
    msg = compact({"items": [{"type": "message", "id": 1, "body": "Hei! Jeg har lest det du skrev.",
                              "written_at": "2026-11-22T19:17:00Z"},
                             {"type": "read", "client_id": "0123456789abcdef0123456789abcdef"}], "next": 2})
    unlock = compact({"items": [{"type": "unlock", "module": locked[0] if locked else "m1"}], "next": 3})

    # enrol, then a first sync as the reference server answers it: everything verified, built, validated
    write(out, "enrol_first_sync", [b"Oenrol code=12345678", b"M" + man] + s.chunks())
    # a token already stored; a therapist's message and read receipt, then a module opens: a second manifest
    write(out, "changes_unlock",
          [b"O", b"M" + man, b"M" + s.manifest(every), b"C" + msg, b"C" + unlock] + s.chunks())
    # the rest on the smallest valid programme: one module, its programme.json naming only it
    first = sorted(opened)[0]
    one = Seed(src, False, only={first})
    small = one.manifest({first})
    # the second pass finds the manifest unchanged (304) and nothing new
    write(out, "twice_304", [b"Otwice etag=\"abc\"", b"M" + small, b"Sm200 m304"] + one.chunks())
    # the outbox first: a message taken (201), an answer refused for good (422)
    write(out, "outbox", [b"Omsg answer", b"Sp201 p422", b"M" + small] + one.chunks())
    # the outbox: the server is busy (409): the pass ends, words kept
    write(out, "outbox_busy", [b"Omsg", b"Sp409", b"M" + small] + one.chunks())
    # a resumed download (206), and a blob one byte longer than the manifest says (its hash cannot match)
    write(out, "blob_206", [b"O", b"Sb206", b"M" + small] + one.chunks())
    write(out, "blob_badsize", [b"O", b"M" + re.sub(rb'"size":#1\b', b'"size":%d' % (len(one.files[1]) - 1), small)]
          + one.chunks())
    # no content directory: the manifest is committed unchecked
    write(out, "nodir", [b"Onodir", b"M" + small] + one.chunks())
    # a path the engine must refuse
    bad = small.replace(b'"path":"images/', b'"path":"../', 1)
    write(out, "path_dotdot", [b"O", b"M" + bad] + one.chunks())
    # enrolment the server refuses, and one whose answer lacks the patient
    write(out, "enrol_403", [b"Oenrol code=00000000", b"Se403", b'E{"error":"unknown code"}'])
    write(out, "enrol_no_patient", [b"Oenrol", b'E{"device_token":"abc","clinic":{"name":"K"}}'])
    # changes: a message with a wrong-typed id, and a cursor past 2^53
    write(out, "changes_bad", [b"O", b"M" + small,
                               b'C{"items":[{"type":"message","id":"1","body":"x","written_at":"t"}],"next":1}',
                               b'C{"items":[{"type":"unlock"}],"next":9007199254740993}'] + one.chunks())
    write(out, "one_module", [b"O", b"M" + small] + one.chunks())
    if full:
        f = Seed(src, True)
        write(out, "full_demo", [b"Oenrol", b"M" + f.manifest(opened)] + f.chunks())


if __name__ == "__main__":
    main()
