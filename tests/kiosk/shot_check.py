#!/usr/bin/env python3
"""shot_check.py SHOT THEME_H — is this screenshot the kiosk's attract screen? (python3's standard library only)

SHOT is a binary PPM (grim -t ppm) or a PNG (the harness's `shot`, for the controls). It is the client's screen when it is not blank (more than one colour), the default theme's
background (INK_BG of THEME_CREAM in src/ui/include/ui/theme.h) covers at least a fifth of it, and at least 500
pixels have exactly the colour of its body text or headings (INK_TEXT, INK_HEADING): the cores of drawn letters.
It is the attract screen («Velkommen til Meistring», where the kiosk starts and returns after a reset) when
  - its top bar (INK_BAR_BG) is bare but for «Hjelp nå» on the right: no «‹ Tilbake», no title, as on every
    other screen (home has the title; module, page, messages have both);
  - below the bar, a band of rows each at least three quarters filled with INK_BUTTON_BG, at least 40 rows from
    top to bottom, starts in the upper 60 % of the screen and holds its label's letters (INK_BUTTON_TEXT): the
    full-width primary button «Se hvordan programmet ser ut». Home has no such button (its buttons are cards,
    white with a border); module («Start modulen») and messages («Skriv en melding») have one but not the bare
    bar; the reader's bottom bar is below 60 %.
Made for a portrait output (cage -r), where the button spans the column.
Prints what it counted; exits 0 when it is the attract screen, 1 when not, 2 when the file is neither."""
import re
import struct
import sys
import zlib


def inks(theme_h):
    text = open(theme_h, encoding="utf-8").read()
    block = text[text.index("THEME_CREAM"):]
    block = block[:block.index("};")]
    return {k: bytes.fromhex(v[:6]) for k, v in re.findall(r"\[(INK_\w+)\]\s*=\s*0x([0-9A-Fa-f]{8})", block)}


def read_ppm(data):
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


def read_png(data):
    """An 8-bit RGB or RGBA PNG, not interlaced (the harness's `shot`, libpng's simplified writer, image_write_png): (w, h, RGB bytes).
    For the controls: the same check on the headless client's shots of the attract screen and of home."""
    pos, idat, head = 8, [], None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            head = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
    if not head or head[2] != 8 or head[3] not in (2, 6) or head[6] != 0:
        raise ValueError("not an 8-bit RGB or RGBA PNG without interlacing")
    w, h, bpp = head[0], head[1], 3 if head[3] == 2 else 4
    raw, stride = zlib.decompress(b"".join(idat)), w * bpp
    if len(raw) != h * (stride + 1):
        raise ValueError("short PNG")
    out, prev = bytearray(), bytearray(stride)
    low, high = int.from_bytes(b"\x7f" * stride, "big"), int.from_bytes(b"\x80" * stride, "big")
    for y in range(h):
        f, cur = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 2:  # Up, bytewise without carries, on whole rows at once
            a, b = int.from_bytes(cur, "big"), int.from_bytes(prev, "big")
            cur = bytearray((((a & low) + (b & low)) ^ ((a ^ b) & high)).to_bytes(stride, "big"))
        elif f == 1:
            for i in range(bpp, stride):
                cur[i] = (cur[i] + cur[i - bpp]) & 255
        elif f == 3:
            for i in range(stride):
                cur[i] = (cur[i] + ((cur[i - bpp] if i >= bpp else 0) + prev[i]) // 2) & 255
        elif f == 4:
            for i in range(stride):
                a, b, c = (cur[i - bpp], prev[i], prev[i - bpp]) if i >= bpp else (0, prev[i], 0)
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                cur[i] = (cur[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        elif f != 0:
            raise ValueError("PNG filter %d" % f)
        out += cur
        prev = cur
    if bpp == 4:
        rgb = bytearray(w * h * 3)
        for c in range(3):
            rgb[c::3] = out[c::4]
        out = rgb
    return w, h, bytes(out)


def read_image(path):
    data = open(path, "rb").read()
    return read_png(data) if data.startswith(b"\x89PNG\r\n\x1a\n") else read_ppm(data)


def mask(px, colour):
    """One byte a pixel: 1 where the pixel is exactly COLOUR, else 0 (done by bytes' own methods: fast enough
    to check every frame while waiting for one)."""
    planes = []
    for c in range(3):
        table = bytearray(256)
        table[colour[c]] = 1
        planes.append(int.from_bytes(px[c::3].translate(bytes(table)), "big"))
    n = len(px) // 3
    return (planes[0] & planes[1] & planes[2]).to_bytes(n, "big")


def attract_signs(w, h, px, ink):
    """The attract screen's two signs: a bare top bar (nothing on its left half: no «Tilbake», no title; only
    «Hjelp nå» on the right), and below it the first band of rows three quarters or more filled with
    INK_BUTTON_BG (gaps of up to 30 rows, the label's own rows, bridged). Returns (bar rows, bar bare,
    band) with band (top, bottom, filled rows, INK_BUTTON_TEXT pixels inside) or None."""
    fill = mask(px, ink["INK_BUTTON_BG"])
    rows = [fill[y * w:(y + 1) * w].count(1) for y in range(h)]
    bar = 0
    while bar < h and rows[bar] * 4 >= w:  # the top bar, of the same colour as the primary buttons
        bar += 1
    bar_ink = mask(px[:bar * w * 3], ink["INK_BAR_BG"])
    bare = bar >= 20 and all(bar_ink[y * w:y * w + w // 2].count(1) == w // 2 for y in range(bar))
    band = None
    for r in range(bar, h):
        if rows[r] * 4 < w * 3:
            continue
        if band and r - band[1] <= 30:
            band = [band[0], r, band[2] + 1]
        elif band:
            break
        else:
            band = [r, r, 1]
    if band:
        label = mask(px[band[0] * w * 3:(band[1] + 1) * w * 3], ink["INK_BUTTON_TEXT"]).count(1)
        band = (band[0], band[1], band[2], label)
    return bar, bare, band


def main():
    try:
        w, h, px = read_image(sys.argv[1])
    except (OSError, ValueError, IndexError, struct.error, zlib.error) as e:
        print("shot: cannot read %s: %s" % (sys.argv[1] if len(sys.argv) > 1 else "?", e))
        return 2
    ink = inks(sys.argv[2])
    n = w * h
    blank = px == px[:3] * n
    bg = mask(px, ink["INK_BG"]).count(1)
    letters = mask(px, ink["INK_TEXT"]).count(1) + mask(px, ink["INK_HEADING"]).count(1)
    client = not blank and bg * 5 >= n and letters >= 500
    bar, bare, band = attract_signs(w, h, px, ink)
    attract = (client and bare and bool(band) and band[1] - band[0] + 1 >= 40 and band[2] >= 24 and
               band[0] * 10 < h * 6 and band[3] >= 200)
    found = ("no top bar; " if bar < 20 else
             "top bar %d rows, %s; " % (bar, "bare" if bare else "with a title or a back button"))
    if band:
        found += "a primary button band at rows %d-%d (%d filled rows, %d label pixels)" % band
    else:
        found += "no full-width primary button below it"
    verdict = ("the attract screen" if attract else
               "the client's screen but NOT the attract screen" if client else "NOT the client's screen")
    print("shot: %dx%d%s, background %.0f %%, %d letter-core pixels, %s: %s" %
          (w, h, ", blank" if blank else "", 100.0 * bg / n, letters, found, verdict))
    return 0 if attract else 1


if __name__ == "__main__":  # xwd_check.py imports inks() from here
    sys.exit(main())
