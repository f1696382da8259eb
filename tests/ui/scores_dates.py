#!/usr/bin/env python3
"""scores_dates.py CLIENT WORKDIR — the chart on «Mine resultater» says its days as dates are said (issue 13): its
description (the image's words, what read-aloud and a screen reader say) had «GAD-7: 07.12: 6», which espeak-ng reads
as a number; now «GAD-7: 7. desember: 6» in bokmål and nynorsk, «GAD-7: 7 December: 6» in English. GAD-7 is answered
and sent as in quest_band.txt, today; the day is today's as the client's local time has it."""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

client, work = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
os.makedirs(work, exist_ok=True)
MONTHS = {
    "nb": "januar februar mars april mai juni juli august september oktober november desember".split(),
    "en": "January February March April May June July August September October November December".split(),
}
MONTHS["nn"] = MONTHS["nb"]
bad = []
with open(os.path.join(here, "quest_band.txt"), encoding="utf-8") as f:
    steps = "".join(l for l in f if "angst" not in l)  # its band's words are quest_band's to check
for lang in ("nb", "nn", "en"):
    d = tempfile.mkdtemp(dir=work)
    script, out = os.path.join(d, "s.txt"), os.path.join(d, "scores.json")
    with open(script, "w", encoding="utf-8") as f:
        f.write(steps + f"key Home\ndescribe {out}\n")
    env = dict(os.environ, SDL_AUDIODRIVER="dummy", XDG_DATA_HOME=d)
    r = subprocess.run([client, "--headless", "360x640", "--lang", lang, "--data-dir", os.path.join(d, "data"),
                        "--script", script], env=env, capture_output=True, text=True, timeout=300)
    now = time.localtime()
    if r.returncode != 0:
        bad.append(f"{lang}: the client failed: {r.stderr.strip()}")
        continue
    with open(out, encoding="utf-8") as f:
        alts = [e["text"] for e in json.load(f)["elements"] if e["role"] == "image" and e["text"].startswith("GAD-7")]
    month = MONTHS[lang][now.tm_mon - 1]
    want = f"{now.tm_mday}. {month}" if lang != "en" else f"{now.tm_mday} {month}"
    if not alts:
        bad.append(f"{lang}: no chart described")
    elif want not in alts[0] or re.search(r"\d\.\d", alts[0]):
        bad.append(f"{lang}: the chart says «{alts[0]}», not «{want}»")
    else:
        print(f"{lang}: «{alts[0]}»")
if bad:
    sys.exit("scores_dates: " + "\n  ".join(bad))
