#!/usr/bin/env python3
"""quest_stem.py CLIENT WORKDIR — a questionnaire's introduction (the stem its items finish: «De siste to ukene, hvor
ofte har du vært plaget av …») follows the patient's reading size to 400 %, as its questions do (issue 13): it was
held at the interface's 200 % (ui_font), so at 400 % it was as small as at 200 %. On an 800x1280 tablet, where the
question is at 400 % too, the stem's described height at 400 % must be well above its height at 200 % (same column);
and it is never set larger than the question it leads to (check-layout: no heading smaller than the body text)."""
import json
import os
import subprocess
import sys
import tempfile

client, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
bad = []


def stem_height(size, pct):
    d = tempfile.mkdtemp(dir=work)
    script, out = os.path.join(d, "s.txt"), os.path.join(d, "q.json")
    with open(script, "w", encoding="utf-8") as f:
        f.write(f"set text_pct {pct}\nseek button Modul 2\ntap-on button Modul 2\nseek button 5.\ntap-on button 5.\n"
                f"seek button {{q.open}}\ntap-on button {{q.open}}\nexpect screen quest\ncheck-layout\n"
                f"describe {out}\nshot {d}/quest.png\n")
    env = dict(os.environ, SDL_AUDIODRIVER="dummy", XDG_DATA_HOME=d)
    r = subprocess.run([client, "--headless", size, "--data-dir", os.path.join(d, "data"), "--script", script],
                       env=env, capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        bad.append(f"{size} {pct} %: the client failed: {r.stderr.strip()}")
        return None
    with open(out, encoding="utf-8") as f:
        els = json.load(f)["elements"]
    stem = [e for e in els if e["role"] == "text" and e["text"].startswith("De siste to ukene")]
    if not stem:
        bad.append(f"{size} {pct} %: no stem described")
        return None
    return stem[0]["bounds"][3]


for size in ("800x1280",):
    h200, h400 = stem_height(size, 200), stem_height(size, 400)
    print(f"{size}: the stem is {h200} px tall at 200 %, {h400} px at 400 %")
    if h200 and h400 and h400 * 2 < h200 * 3:
        bad.append(f"{size}: the stem is {h400} px tall at 400 %, {h200} px at 200 %: not at the reading size")
if bad:
    sys.exit("quest_stem: " + "\n  ".join(bad))
