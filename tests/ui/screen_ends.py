#!/usr/bin/env python3
"""Paged reading ends every screen well (issue 13): walks a module screen by screen through the real client and
fails when a heading or a button short enough to fit on one screen is split over two («Fyll ut» | «øvelsen»
was seen), or a heading is the last thing on a screen while the page goes on after it.

    screen_ends.py CLIENT SIZE TEXT_PCT MODULE SCREENS WORKDIR
"""
import json
import os
import subprocess
import sys

BAR_BUTTONS = {"‹ Forrige", "Neste ›", "Ferdig"}


def page_elements(d):
    """The page's own elements: after the demonstration banner (the first status), before the bottom bar."""
    els, out, started = d["elements"], [], False
    for e in els:
        if not started:
            started = e["role"] == "status"
            continue
        if e["role"] == "button" and e["text"].replace("\u00a0", " ") in BAR_BUTTONS:
            break
        out.append(e)
    return out


def position(d):
    for e in reversed(d["elements"]):
        if e["role"] == "status" and e["text"].startswith("Side "):
            return e["text"].split(" · ")[0]
    return None


def main():
    client, size, pct, module, screens, work = sys.argv[1:7]
    os.makedirs(work, exist_ok=True)
    script = os.path.join(work, "walk.txt")
    with open(script, "w") as f:
        f.write(f"set text_pct {pct}\nseek button Modul {module}\ntap-on button Modul {module}\ntap-on button Start modulen\n")
        for k in range(int(screens)):
            f.write(f"describe s{k:04d}.json\nkey Right\nexpect screen page\n")
    r = subprocess.run([client, "--headless", size, "--script", script, "--data-dir", os.path.join(work, "data")],
                       cwd=work, env=dict(os.environ, SDL_AUDIODRIVER="dummy"), capture_output=True, text=True)
    descs = []
    for k in range(int(screens)):
        p = os.path.join(work, f"s{k:04d}.json")
        if os.path.exists(p):
            with open(p) as f:
                descs.append(json.load(f))
    if not descs:
        print(r.stderr, file=sys.stderr)
        return 1
    h = descs[0]["size"][1]
    bad = []
    for k in range(len(descs) - 1):
        a, b = descs[k], descs[k + 1]
        if position(a) != position(b):
            continue  # the next page: a screen may end anywhere
        pa, pb = page_elements(a), page_elements(b)
        if not pa:
            continue
        for e in pa[-1:]:  # cut by the screen's end: the last element
            if e["role"] not in ("heading", "button"):
                continue
            for f in pb[:1]:  # and the rest at the top of the next
                if f["role"] == e["role"] and f["text"] == e["text"]:
                    if e["bounds"][3] + f["bounds"][3] <= h // 2:
                        bad.append(f"screen {k + 1}: {e['role']} «{e['text'][:40]}» split over two screens "
                                   f"({e['bounds'][3]} + {f['bounds'][3]} px)")
        last = pa[-1]
        if last["role"] == "heading" and len(pa) > 1 and not any(f["text"] == last["text"] for f in pb):
            bad.append(f"screen {k + 1}: heading «{last['text'][:40]}» ends the screen")
    for line in bad:
        print(f"{size} {pct} % module {module}: {line}", file=sys.stderr)
    print(f"{size} {pct} % module {module}: {len(descs)} screens, {len(bad)} bad ends")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
