#!/usr/bin/env python3
"""shot_check.py SHOT.ppm THEME_H — is this screenshot the client's screen? (python3's standard library only)

A binary PPM (grim -t ppm) passes when it is not blank (more than one colour), the default theme's background
(INK_BG of THEME_CREAM in src/ui/include/ui/theme.h) covers at least a fifth of it, and at least 500 pixels
have exactly the colour of its body text or headings (INK_TEXT, INK_HEADING): the cores of drawn letters.
Prints what it counted; exits 0 when it passes, 1 when not, 2 when the file is not a PPM.
TODO(issue 11, part 2): once the attract screen lands, also look for it (its own colours or layout)."""
import re
import sys
from collections import Counter


def inks(theme_h):
    text = open(theme_h, encoding="utf-8").read()
    block = text[text.index("THEME_CREAM"):]
    block = block[:block.index("};")]
    return {k: bytes.fromhex(v[:6]) for k, v in re.findall(r"\[(INK_\w+)\]\s*=\s*0x([0-9A-Fa-f]{8})", block)}


def read_ppm(path):
    data = open(path, "rb").read()
    fields, pos = [], 0
    while len(fields) < 4:  # magic, width, height, maxval, with comments and any whitespace between them
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P6" or fields[3] != b"255":
        raise ValueError("not an 8-bit binary PPM")
    w, h = int(fields[1]), int(fields[2])
    px = data[pos + 1:pos + 1 + w * h * 3]
    if len(px) != w * h * 3:
        raise ValueError("short PPM")
    return w, h, px


def main():
    try:
        w, h, px = read_ppm(sys.argv[1])
    except (OSError, ValueError, IndexError) as e:
        print("shot: cannot read %s: %s" % (sys.argv[1] if len(sys.argv) > 1 else "?", e))
        return 2
    ink = inks(sys.argv[2])
    colours = Counter(px[i:i + 3] for i in range(0, len(px), 3))
    n = w * h
    bg = colours[ink["INK_BG"]]
    letters = colours[ink["INK_TEXT"]] + colours[ink["INK_HEADING"]]
    ok = len(colours) > 1 and bg * 5 >= n and letters >= 500
    print("shot: %dx%d, %d colours, background %.0f %%, %d letter-core pixels: %s" %
          (w, h, len(colours), 100.0 * bg / n, letters, "the client's screen" if ok else "NOT the client's screen"))
    return 0 if ok else 1


sys.exit(main())
