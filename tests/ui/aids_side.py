#!/usr/bin/env python3
"""aids_side.py CLIENT WORKDIR — «Lesehjelp» on a phone on its side (640x360, issue 13): the text size's «A−» and
«A+» and the preview of the page are in sight together, whole, however far the list of settings is scrolled, so the
patient sees the words change as they press. Under the list (as on a tablet) the preview was below the screen at
400 %, and «A−»/«A+» were cut at the window's foot.

At 100 % and 400 %, cream and dark: the screen described at the list's top, after two PageDowns, and after «A−»;
each time «A−» and «A+» must lie wholly inside the window below the bars, not cut, and some text of the page
(«Velkommen») must be described in the window. check-layout and check-ink run on each."""
import json
import os
import subprocess
import sys
import tempfile

client, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
W, H = 640, 360
bad = []


def run(pct, theme):
    d = tempfile.mkdtemp(dir=work)
    script = os.path.join(d, "s.txt")
    outs = [os.path.join(d, f"{i}.json") for i in range(3)]
    with open(script, "w", encoding="utf-8") as f:
        f.write(f"set text_pct {pct}\nset theme {theme}\ntap-on button {{aids.button}}\nexpect screen aids\n"
                f"describe {outs[0]}\ncheck-layout\ncheck-ink\nshot {d}/top.png\n"
                f"key PageDown\nkey PageDown\ndescribe {outs[1]}\ncheck-layout\nshot {d}/down.png\n"
                f"tap-on button {{aids.smaller}}\ndescribe {outs[2]}\ncheck-layout\ncheck-ink\nquit\n")
    env = dict(os.environ, SDL_AUDIODRIVER="dummy", XDG_DATA_HOME=d)
    r = subprocess.run([client, "--headless", f"{W}x{H}", "--data-dir", os.path.join(d, "data"), "--script", script],
                       env=env, capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        bad.append(f"{pct} % {theme}: the client failed: {r.stderr.strip()}")
        return
    for name, out in zip(("at the top", "after two PageDowns", "after «A−»"), outs):
        with open(out, encoding="utf-8") as f:
            doc = json.load(f)
        els = doc["elements"]
        bar = max(e["bounds"][1] + e["bounds"][3] for e in els if e["role"] == "button" and e["bounds"][1] < 40)
        for label in ("Mindre tekst", "Større tekst"):
            b = [e for e in els if e["role"] == "button" and e["text"] == label]
            if not b:
                bad.append(f"{pct} % {theme} {name}: no «{label}» button in sight")
                continue
            x, y, w, h = b[0]["bounds"]
            if b[0].get("clipped") or y < bar or y + h > H or x < 0 or x + w > W:
                bad.append(f"{pct} % {theme} {name}: «{label}» not whole in the window: {b[0]['bounds']}")
        if not any("Velkommen" in e["text"] and e["bounds"][1] + e["bounds"][3] <= H for e in els
                   if e["role"] in ("heading", "text")):
            bad.append(f"{pct} % {theme} {name}: no word of the preview in sight")
    print(f"{pct} % {theme}: checked in {d}")


for pct in (100, 400):
    for theme in ("cream", "dark"):
        run(pct, theme)
if bad:
    sys.exit("aids_side: " + "\n  ".join(bad))
print("aids_side: the size's buttons and the preview in sight together at every step")
