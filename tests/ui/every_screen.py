#!/usr/bin/env python3
"""Issue 13's matrix: every screen (tests/ui/every/*.txt) at every size, text size and theme, through the real
client headless, each running check-layout and check-words (the page's script check-all-pages, which adds
check-ink).

    every_screen.py CLIENT WORKDIR                      the whole matrix, the cases that fail today included;
                                                        one line per case, exit 1 when any fails
    every_screen.py CLIENT WORKDIR SCREEN SIZE PCT THEME one case (what CTest runs: ui.every.*)

Options: -j N (cases at once, default 2), --only SCREEN[,SCREEN...], --survey (every defect of each case, not only
the first: the script tolerates ellipses, cuts, splits and broken words and lists each one it walked past). Each
case runs in WORKDIR/<case>/ with a fresh data directory; its screenshots stay there. The enrolment screen is
started with a server that does not answer, as tests/golden/run.py does."""
import argparse
import concurrent.futures
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCREENS = ("home", "module", "page", "help", "aids", "messages", "write", "exercise", "quest", "scores", "enrol")
SIZES = ("360x640", "800x1280", "1280x800")
TEXT = (100, 400)
THEMES = ("cream", "dark")
# Nothing listens there: the enrolment screen is shown and the sync thread only ever fails to connect.
NO_SERVER = "http://127.0.0.1:9"


def case_name(screen, size, pct, theme):
    return "every.%s.%s.%d.%s" % (screen, size, pct, theme)


def run_case(client, work, screen, size, pct, theme, survey=False):
    """None when the case passes, else the client's one-line reason (with --survey, every defect met, one a line)."""
    name = case_name(screen, size, pct, theme)
    d = os.path.join(work, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    with open(os.path.join(HERE, "every", screen + ".txt"), encoding="utf-8") as f:
        body = f.read()
    script = os.path.join(d, "script.txt")
    with open(script, "w", encoding="utf-8") as f:
        f.write("set text_pct %d\nset theme %s\n%s%s" % (pct, theme, "tolerate ellipsis\ntolerate cut\ntolerate words\ntolerate split\n"
                                                          if survey else "", body))
    extra = ["--server", NO_SERVER] if screen == "enrol" else []
    env = dict(os.environ, SDL_AUDIODRIVER="dummy", ASAN_OPTIONS="detect_leaks=0")
    try:
        r = subprocess.run([client, "--headless", size, "--data-dir", os.path.join(d, "data"), "--script", script]
                           + extra, cwd=d, env=env, capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        return "timed out"
    seen = []
    for l in r.stderr.splitlines():
        if "tolerated" in l:
            l = l.split("): ", 1)[-1]
            if l not in seen:
                seen.append(l)
    if r.returncode == 0:
        return "\n    ".join(seen) if seen else None
    lines = [l for l in r.stderr.splitlines() if "script.txt:" in l] or r.stderr.strip().splitlines()[-1:]
    last = (lines[-1].split("script.txt:", 1)[-1] if lines else "exit %d" % r.returncode).strip()
    return "\n    ".join(seen + [last])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("client")
    ap.add_argument("work")
    ap.add_argument("case", nargs="*", help="SCREEN SIZE PCT THEME: one case")
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--only", default="")
    ap.add_argument("--survey", action="store_true")
    a = ap.parse_args()
    client = os.path.abspath(a.client)
    os.makedirs(a.work, exist_ok=True)
    if a.case:
        screen, size, pct, theme = a.case
        why = run_case(client, a.work, screen, size, int(pct), theme)
        if why:
            print("%s: %s" % (case_name(screen, size, int(pct), theme), why))
            return 1
        return 0
    screens = a.only.split(",") if a.only else SCREENS
    cases = [(s, z, p, t) for s in screens for z in SIZES for p in TEXT for t in THEMES]
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.j) as pool:
        results = pool.map(lambda c: (c, run_case(client, a.work, *c, survey=a.survey)), cases)
        for c, why in results:
            print("%-38s %s" % (case_name(*c), "FAIL " + why if why else "ok"), flush=True)
            failed += why is not None
    print("%d of %d cases fail" % (failed, len(cases)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
