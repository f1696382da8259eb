#!/usr/bin/env python3
"""make_programme.py DEMO OUT N — a programme of N modules (N >= 4) made from the demonstration in DEMO, written to
OUT, for the sync tests and the bench (issue 14: costs measured at 4 and 32 modules). Modules 5 … N are copies of
modules 1 … 4 in turn, their ids renamed (m7, m7-p1, m7-p1-b1 …) and open, so every one has content to sync; the
images are the demonstration's, shared."""
import json
import shutil
import sys


def main():
    demo, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(demo, out)
    with open(f"{out}/programme.json", encoding="utf-8") as f:
        prog = json.load(f)
    for k in range(5, n + 1):
        src = (k - 1) % 4 + 1
        with open(f"{demo}/modules/m{src}.json", encoding="utf-8") as f:
            text = f.read()
        text = text.replace(f'"m{src}-', f'"m{k}-').replace(f'"m{src}"', f'"m{k}"')
        # the questionnaires' items have ids of their own (gad7-1, phq9-1): unique per programme too
        text = text.replace('"gad7-', f'"m{k}-gad7-').replace('"phq9-', f'"m{k}-phq9-')
        with open(f"{out}/modules/m{k}.json", "w", encoding="utf-8") as f:
            f.write(text)
        prog["modules"].append({"id": f"m{k}", "number": k, "title": f"Modul {k}",
                                "file": f"modules/m{k}.json", "unlocked": True})
    with open(f"{out}/programme.json", "w", encoding="utf-8") as f:
        json.dump(prog, f, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main()
