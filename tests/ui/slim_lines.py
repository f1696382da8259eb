#!/usr/bin/env python3
"""slim_lines.py CLIENT WORKDIR — a phone on its side (640x360, issue 13): the slim lines between the reader's
arrows (the demonstration's line and where you are with the time left) follow the patient's text size as far as the
window allows while the page keeps two whole lines of its text. They were drawn on 24 px lines (17 px type) at
every size, so a patient who chose 300–400 % could not read them.

At each size the reader's first page is described: the two lines are one target (the demonstration's button), so
each line is half its height where the two are taller than the arrows. Checked: at 100 % the lines stay the 100 %
size (the patient chose it); above it each line is taller than at 100 %; and the page keeps room for two lines of
its text (line spacing 150 %: two lines of 1.5 × 20 dp × the size)."""
import json
import os
import subprocess
import sys
import tempfile

client, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)


def describe(pct):
    d = tempfile.mkdtemp(dir=work)
    script, out = os.path.join(d, "s.txt"), os.path.join(d, "page.json")
    with open(script, "w", encoding="utf-8") as f:
        f.write(f"set text_pct {pct}\nseek button Modul 1\ntap-on button Modul 1\nseek button Start modulen\n"
                f"tap-on button Start modulen\ndescribe {out}\ncheck-layout\nquit\n")
    env = dict(os.environ, SDL_AUDIODRIVER="dummy", XDG_DATA_HOME=d)
    r = subprocess.run([client, "--headless", "640x360", "--data-dir", os.path.join(d, "data"), "--script", script],
                       env=env, capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        sys.exit(f"slim_lines: {pct} %: the client failed: {r.stderr.strip()}")
    with open(out, encoding="utf-8") as f:
        return json.load(f)


def slim_line(doc, pct):
    """The height of one slim line, and the room between the bars."""
    els = doc["elements"]
    demo = [e for e in els if e["role"] == "button" and e["text"].startswith("Demonstrasjon")]
    status = [e for e in els if e["role"] == "status" and e["text"].startswith("Side ")]
    if demo:
        line = demo[0]["bounds"][3] / 2
        bar_top = demo[0]["bounds"][1]
    elif status:
        line = status[0]["bounds"][3]
        bar_top = status[0]["bounds"][1]
    else:
        sys.exit(f"slim_lines: {pct} %: neither the demonstration's line nor the status is described")
    top = max(e["bounds"][1] + e["bounds"][3] for e in els
              if e["role"] == "button" and e["bounds"][1] < 60)  # the top bar's buttons
    return line, bar_top - top


base, _ = slim_line(describe(100), 100)
bad = []
for pct in (200, 300, 400):
    line, room = slim_line(describe(pct), pct)
    two = 2 * int(20 * pct / 100 * 150 / 100)
    print(f"{pct} %: slim lines of {line:g} px (100 %: {base:g}), {room} px between the bars for two lines of {two}")
    if line <= base:
        bad.append(f"{pct} %: the slim lines are {line:g} px, no larger than at 100 % ({base:g} px)")
    if room < two:
        bad.append(f"{pct} %: {room} px between the bars, less than two lines of the page ({two} px)")
if bad:
    sys.exit("slim_lines: " + "; ".join(bad))
