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
started with a server that does not answer, as tests/golden/run.py does. The loaned tablet's own screens are started
from a data dir enrolled on the reference server (meistring-server beside the client, on loopback, with a staff
code so that the lock has «For klinikken»): `pin` right after the enrolment (the PIN still to choose), `lock` after
a PIN was chosen and the client restarted (and `pad`, the lock's pad seen whole); they then run against the server that does not answer. The kiosk's
(`attract`, and `staff` behind its corner) are started with a kiosk configuration and no data dir.

A script's lines between `# hear: begin` and `# hear: end` (read aloud, which the dummy audio plays in real time:
about 20 s a case on the lock and the PIN screen) run only in the cases of HEAR: what is said does not change with
the size or the theme, and the lit frame is checked at the tightest size and at the widest. The matrix's CI time
was 425 s for the PIN screen alone before (16 cases)."""
import argparse
import concurrent.futures
import os
import re
import shutil
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SCREENS = ("home", "module", "page", "help", "aids", "messages", "write", "exercise", "quest", "scores", "enrol", "lock",
           "pin", "pad", "attract", "staff")
SIZES = ("360x640", "800x1280", "1280x800")
TEXT = (100, 400)
THEMES = ("cream", "dark")
# the cases that run a script's `# hear:` block (see above)
HEAR = (("360x640", 400, "cream"), ("1280x800", 100, "dark"))
# Nothing listens there: the enrolment screen is shown and the sync thread only ever fails to connect.
NO_SERVER = "http://127.0.0.1:9"
# The patient's PIN on the lock's data dir, the clinic's staff code (the tablet's «For klinikken»), the kiosk's staff
# PIN: the scripts in every/ type them.
PIN = "246813"
STAFF_CODE = "97531"
KIOSK_PIN = "2468"
DEMO = os.path.join(HERE, "..", "..", "assets", "demo")


def enrolled_data(client, d, env, choose_pin):
    """d/data enrolled on a reference server started for it (then stopped), with the clinic's staff code; with
    choose_pin the PIN chosen too, so that the next start shows the lock. None, or why it could not be made."""
    server = os.path.join(os.path.dirname(client), "meistring-server")
    if not os.access(server, os.X_OK):
        return "no %s (cmake --build build --target meistring-server)" % server
    db = os.path.join(d, "s.db")
    r = subprocess.run([server, "admin", "--db", db, "create-patient", "Siri"], capture_output=True, text=True)
    m = re.search(r"code (\d+) (\d+)", r.stdout)
    if r.returncode or not m:
        return "create-patient: " + (r.stderr.strip() or r.stdout.strip())
    code = m.group(1) + m.group(2)
    r = subprocess.run([server, "admin", "--db", db, "staff-code"], input="%s\n%s\n" % (STAFF_CODE, STAFF_CODE),
                       capture_output=True, text=True)
    if r.returncode:
        return "staff-code: " + r.stderr.strip()
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    srv = subprocess.Popen([server, "serve", "--db", db, "--content", DEMO, "--port", str(port)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        # enrolled as the patient does it, on the enrolment pad; the client stops on the PIN screen
        steps = "expect screen enrol\n" + "".join("key %s\n" % c for c in code) + "key Return\n" + \
                "wait-for 20000 field PIN-kode\nexpect screen pin\n"
        if choose_pin:
            steps += "pin-auto %s\nwait 100\nexpect screen home\n" % PIN
        script = os.path.join(d, "enrol.txt")
        with open(script, "w", encoding="utf-8") as f:
            f.write(steps + "quit\n")
        r = subprocess.run([client, "--headless", "800x1280", "--data-dir", os.path.join(d, "data"), "--server",
                            "http://127.0.0.1:%d" % port, "--script", script], cwd=d, env=env, capture_output=True,
                           text=True, timeout=300)
        if r.returncode:
            return "enrolment: " + " ".join(r.stderr.strip().splitlines()[-2:])
    finally:
        srv.terminate()
        srv.wait()
    return None


def kiosk_config(client, d, env):
    """d/kiosk.conf: the kiosk's configuration with the staff PIN; its path, or raises."""
    r = subprocess.run([client, "--kiosk-hash-pin"], input="%s\n%s\n" % (KIOSK_PIN, KIOSK_PIN), capture_output=True,
                       text=True, env=env, check=True)
    conf = os.path.join(d, "kiosk.conf")
    with open(conf, "w", encoding="utf-8") as f:
        # the longest idle time: no warning covers the screen while it is checked
        f.write("idle_timeout = 3600\nwarning = 15\nclinic_name = Venterommet\n" + r.stdout)
    return conf


def case_name(screen, size, pct, theme):
    return "every.%s.%s.%d.%s" % (screen, size, pct, theme)


def run_case(client, work, screen, size, pct, theme, survey=False):
    """None when the case passes, else the client's one-line reason (with --survey, every defect met, one a line)."""
    name = case_name(screen, size, pct, theme)
    d = os.path.abspath(os.path.join(work, name))
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    with open(os.path.join(HERE, "every", screen + ".txt"), encoding="utf-8") as f:
        body = f.read()
    if (size, pct, theme) not in HEAR:
        body = re.sub(r"^# hear: begin.*?^# hear: end\n", "", body, flags=re.S | re.M)
    script = os.path.join(d, "script.txt")
    with open(script, "w", encoding="utf-8") as f:
        f.write("set text_pct %d\nset theme %s\n%s%s" % (pct, theme, "tolerate ellipsis\ntolerate cut\ntolerate words\ntolerate split\n"
                                                          if survey else "", body))
    env = dict(os.environ, SDL_AUDIODRIVER="dummy", ASAN_OPTIONS="detect_leaks=0")
    where = ["--data-dir", os.path.join(d, "data")]
    if screen in ("enrol", "lock", "pin", "pad"):
        where += ["--server", NO_SERVER]
    if screen in ("lock", "pin", "pad"):
        why = enrolled_data(client, d, env, screen != "pin")
        if why:
            return why
    elif screen in ("attract", "staff"):
        where = ["--kiosk-config", kiosk_config(client, d, env)]
    try:
        r = subprocess.run([client, "--headless", size, "--script", script] + where, cwd=d, env=env,
                           capture_output=True, text=True, timeout=600)
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
