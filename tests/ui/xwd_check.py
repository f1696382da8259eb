#!/usr/bin/env python3
"""xwd_check.py DUMP THEME_H — is this X screen dump (xwd -root) the messages screen drawn whole? (standard library)

Issue 13 saw the messages screen in a real X window go blank but for the confirmation after «Send», until the
pointer moved; headless runs never show that, so this reads what the X server itself holds. The screen is whole
when, in the default theme's colours (THEME_CREAM in src/ui/include/ui/theme.h):
  - at least 500 pixels have exactly the headings' colour (INK_HEADING): «Meldinger med behandleren»;
  - a band of at least 40 rows, each at least half INK_BUTTON_BG (the label takes some), lies below the top bar's rows: the
    full-width «Skriv en melding» button (the bar has the same colour, so the band must start below it).
Prints what it counted; exits 0 when whole, 1 when not, 2 when the file is not a 24/32-bit ZPixmap dump."""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "kiosk"))
from shot_check import inks  # noqa: E402  (one reader of the theme's colours)


def read_xwd(data):
    """(w, h, rows of RGB bytes) of an XWD version 7 ZPixmap dump with 32 bits per pixel (Xvfb at depth 24)."""
    (hsize, version, fmt, depth, w, h, _xoff, byte_order, _unit, _bitorder, _pad, bpp, bpl, _vclass, rmask, gmask,
     bmask, _bprgb, _cmap, ncolors, _wcols, _ww, _wh, _wx, _wy, _bw) = struct.unpack(">25I", data[:100])[:25] + (0,)
    if version != 7 or fmt != 2 or bpp != 32:
        raise ValueError(f"not a 32-bit ZPixmap XWD (version {version}, format {fmt}, {bpp} bits)")
    pos = hsize + ncolors * 12
    order = "<" if byte_order == 0 else ">"
    shift = {m: (m & -m).bit_length() - 1 for m in (rmask, gmask, bmask)}
    rows = []
    for y in range(h):
        line = data[pos + y * bpl:pos + y * bpl + w * 4]
        if len(line) < w * 4:
            raise ValueError("short XWD")
        vals = struct.unpack(f"{order}{w}I", line)
        rows.append(bytes(b for v in vals for b in ((v & rmask) >> shift[rmask], (v & gmask) >> shift[gmask],
                                                       (v & bmask) >> shift[bmask])))
    return w, h, rows


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    try:
        w, h, rows = read_xwd(open(sys.argv[1], "rb").read())
    except (ValueError, struct.error, OSError) as e:
        print(f"{sys.argv[1]}: {e}")
        return 2
    ink = inks(sys.argv[2])
    heading, button, bar = ink["INK_HEADING"], ink["INK_BUTTON_BG"], ink["INK_BAR_BG"]
    heading_px = sum(r[i:i + 3] == heading for r in rows for i in range(0, len(r), 3))
    full = [sum(r[i:i + 3] == button for i in range(0, len(r), 3)) * 2 >= w for r in rows]
    # the top bar: the first rows, where the bar's colour is at the left edge
    y = 0
    while y < h and rows[y][:3] == bar:
        y += 1
    best = run = 0
    for yy in range(y + 1, h):
        run = run + 1 if full[yy] else 0
        best = max(best, run)
    print(f"{sys.argv[1]}: {w}x{h}, heading pixels {heading_px}, bar rows {y}, longest button band {best} rows")
    return 0 if heading_px >= 500 and best >= 40 else 1


if __name__ == "__main__":
    sys.exit(main())
