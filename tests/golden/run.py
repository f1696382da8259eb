#!/usr/bin/env python3
"""run.py record|check CLIENT WORKDIR [EXPECTED] — the golden walk of issue 10.

Runs walk.txt (every screen) and enrol.txt (the enrolment screen) through the real client, headless, at every
size (portrait tablet, landscape tablet, small phone), at 100 % and 400 % text, in bokmål, nynorsk and English.
Each `describe` it writes is compared with expected/<case>/<name>.json (check), or replaces it (record).
A refactor of how the client is built must leave every one of them unchanged: same screen, same elements,
same texts, same bounds, same settings.

{key} in the scripts is the interface text of that key in assets/i18n/<lang>.txt (up to its first {1}), so one
script serves all three languages. Each case starts from an empty data directory.
"""
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SIZES = {"portrait": "800x1280", "landscape": "1280x800", "phone": "360x640"}
TEXT = (100, 400)
LANGS = ("nb", "nn", "en")
# Nothing listens there: the enrolment screen is shown and the sync thread only ever fails to connect.
NO_SERVER = "http://127.0.0.1:9"


def strings(lang):
    tr = {}
    with open(os.path.join(ROOT, "assets", "i18n", lang + ".txt"), encoding="utf-8") as f:
        for line in f:
            if "=" in line and not line.startswith("#"):
                k, v = line.split("=", 1)
                tr[k.strip()] = v.strip()
    return tr


def script(name, lang, text_pct):
    tr = strings(lang)
    out = [] if text_pct == 100 else ["set text_pct %d\n" % text_pct]
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                line = re.sub(r"\{([a-z0-9_.]+)\}", lambda m: tr[m.group(1)].split("{1}")[0].strip(), line)
            out.append(line)
    return "".join(out)


def run_case(client, work, case, size, lang, text_pct):
    d = os.path.join(work, case)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    env = dict(os.environ, SDL_AUDIODRIVER="dummy", ASAN_OPTIONS="detect_leaks=0")
    for name, extra in (("walk.txt", []), ("enrol.txt", ["--server", NO_SERVER])):
        data = os.path.join(d, "data-" + name[:-4])
        with open(os.path.join(d, name), "w", encoding="utf-8") as f:
            f.write(script(name, lang, text_pct))
        r = subprocess.run([client, "--headless", size, "--lang", lang, "--data-dir", data, "--script", name] + extra,
                           cwd=d, env=env, capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            return "%s %s failed (%d): %s" % (case, name, r.returncode, r.stderr.strip()[-400:])
    return None


DATE = re.compile(r"\b\d{2}\.\d{2}(\.\d{4})?\b")
# a date as it is said (the chart's description: «7. desember», «7 December»)
SAID_DATE = re.compile(r"\b\d{1,2}\.? (januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|"
                       r"desember|January|February|March|April|May|June|July|August|September|October|November|"
                       r"December)\b")


def normalised(d):
    """The scores screen dates each score with the day it was sent: the day the walk ran. Dates are compared as
    placeholders, and the width of an element that holds one is left out (digits differ in width)."""
    for e in d.get("elements", []):
        t = e.get("text", "")
        if DATE.search(t) or SAID_DATE.search(t):
            t = DATE.sub(lambda m: "DD.MM.YYYY" if m.group(1) else "DD.MM", t)
            e["text"] = SAID_DATE.sub("D MONTH", t)
            e["bounds"] = e["bounds"][:2] + e["bounds"][3:]
    return d


def first_difference(a, b, path="$"):
    if type(a) is not type(b):
        return "%s: %r vs %r" % (path, a, b)
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return "%s.%s: only in %s" % (path, k, "expected" if k in a else "now")
            d = first_difference(a[k], b[k], path + "." + k)
            if d:
                return d
    elif isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, "%s[%d]" % (path, i))
            if d:
                return d
        if len(a) != len(b):
            return "%s: %d vs %d items" % (path, len(a), len(b))
    elif a != b:
        return "%s: %r vs %r" % (path, a, b)
    return None


def main():
    if len(sys.argv) not in (4, 5) or sys.argv[1] not in ("record", "check"):
        print(__doc__.strip().splitlines()[0])
        return 2
    mode, client, work = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
    # a fifth argument: record into (or check against) another directory than tests/golden/expected
    expected = os.path.abspath(sys.argv[4]) if len(sys.argv) == 5 else os.path.join(HERE, "expected")
    failures, compared = [], 0
    for orient, size in SIZES.items():
        for text_pct in TEXT:
            for lang in LANGS:
                case = "%s-%d-%s" % (orient, text_pct, lang)
                err = run_case(client, work, case, size, lang, text_pct)
                if err:
                    failures.append(err)
                    continue
                got = sorted(f for f in os.listdir(os.path.join(work, case)) if f.endswith(".json"))
                if mode == "record":
                    dst = os.path.join(expected, case)
                    shutil.rmtree(dst, ignore_errors=True)
                    os.makedirs(dst)
                    for f in got:
                        shutil.copy(os.path.join(work, case, f), dst)
                    continue
                want = sorted(f for f in os.listdir(os.path.join(expected, case)) if f.endswith(".json"))
                if want != got:
                    failures.append("%s: screens described %s, expected %s" % (case, got, want))
                    continue
                for f in want:
                    with open(os.path.join(expected, case, f), encoding="utf-8") as x:
                        a = normalised(json.load(x))
                    with open(os.path.join(work, case, f), encoding="utf-8") as y:
                        b = normalised(json.load(y))
                    compared += 1
                    d = first_difference(a, b)
                    if d:
                        failures.append("%s/%s: %s" % (case, f, d))
    for f in failures:
        print("golden: " + f)
    if mode == "check":
        print("golden: %d descriptions compared, %d differ or failed" % (compared, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
