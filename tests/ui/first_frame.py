#!/usr/bin/env python3
"""first_frame.py FIRST.json AFTER.json — a page opened at a saved place shows its first frame before the whole
page is laid out (issue 14), and that frame is the saved screen.

FIRST is `first-frame` (the frame as it was presented), AFTER a `describe` once the rest is laid out, in the same
run. Every element must be the same, text and bounds, but the status, which in the first frame has only the page
(«Side 3 av 4»: the screens and the minutes need the whole page) and after it the rest. And the words laid out
before the first frame must be a small part of the page's: the part holding the saved screen, not the page."""
import json
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def fail(msg):
    print(f"first_frame: {msg}", file=sys.stderr)
    sys.exit(1)


first, after = load(sys.argv[1]), load(sys.argv[2])
if first["screen"] != "page" or after["screen"] != "page":
    fail(f"screens {first['screen']} and {after['screen']}, not the page")
ea, eb = first["elements"], after["elements"]
if len(ea) != len(eb):
    fail(f"{len(ea)} elements in the first frame, {len(eb)} after it")
status = None
for a, b in zip(ea, eb):
    if a["role"] == "status" and b["role"] == "status" and a["text"] != b["text"]:
        if not b["text"].startswith(a["text"] + " · "):
            fail(f"status «{a['text']}» in the first frame, «{b['text']}» after it")
        status = (a["text"], b["text"])
        continue
    if a != b:
        fail(f"an element differs:\n  {a}\n  {b}")
if not status:
    fail("the status is the same in both: was the first frame drawn from the whole page?")
before = first["start"]["words_before_first_frame"]
page = after["start"]["words_laid_out"] - before  # the whole page, laid out after the first frame
if not 0 < before < page // 3:
    fail(f"{before} words laid out before the first frame, of the page's {page}")
print(f"first_frame: the saved screen first, from {before} of the page's {page} words; "
      f"status «{status[0]}», then «{status[1]}»")
