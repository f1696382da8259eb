#!/usr/bin/env python3
"""check.py SOURCE_ROOT — the layers of the client, checked from the #include lines (issue 10).

The build already keeps each library to its own headers (CMake include directories); this checks what the
compiler cannot see:
  1. no two files in src/app include each other in a circle (a.c includes b.h whose b.c includes a.h …);
  2. a screen (src/app/screens/*.c) includes only what a screen may use: app.h, the shared rooms (chrome.h,
     pages.h, readaloud.h, screens.h, keyboard.h, keynav.h — where the keyboard's focus is, for a screen whose
     content changes under it or that acts on the focused control —, kiosk.h, lock.h), the libraries' public headers
     and the system's; never
     input.h, script.h or another screen's file;
  3. the public headers (include/meistring) and src/text, src/core name no SDL, curl, cJSON or SQLite type
     (core's .c files may use cJSON, SQLite and curl inside), and nothing below src/app includes the app's;
  3b. curl is included by src/core/sync_net.c alone (the network module, loaded only with a server configured);
  3c. GLib, ATK and atk-bridge are included by src/a11y alone (the screen-reader module, loaded only when a screen
      reader is in use), and the module includes nothing of the client but its interface header;
  4. src/ui does not include the app's headers.
Exits 1 and names every violation."""
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "."
INC = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)
bad = []


def includes(path):
    with open(path, encoding="utf-8") as f:
        return INC.findall(f.read())


def files(d, exts):
    for dirpath, _, names in os.walk(os.path.join(root, d)):
        for n in sorted(names):
            if n.endswith(exts):
                yield os.path.join(dirpath, n)


# 1. cycles among src/app's files: an edge x.c → y when x.c includes y.h and y.c exists (the header's unit)
app = os.path.join(root, "src", "app")


def app_header(inc):
    return inc.endswith(".h") and (os.path.exists(os.path.join(app, inc)) or
                                   os.path.exists(os.path.join(app, "screens", inc)))


state, path = {}, []


def visit(u):
    state[u] = 1
    path.append(u)
    for v in sorted(units.get(u, ())):
        if v not in units:
            continue
        if state.get(v) == 1:
            bad.append("src/app include cycle: " + " → ".join(path[path.index(v):] + [v]))
        elif not state.get(v):
            visit(v)
    path.pop()
    state[u] = 2


units = {}
for p in files("src/app", (".c",)):
    name = os.path.splitext(os.path.basename(p))[0]
    units[name] = {os.path.splitext(os.path.basename(i))[0] for i in includes(p) if app_header(i)} - {name}
for u in sorted(units):
    if not state.get(u):
        visit(u)

# 2. what a screen may include
ALLOWED_APP = {"app.h", "chrome.h", "pages.h", "readaloud.h", "screens.h", "keyboard.h", "keynav.h", "kiosk.h", "lock.h"}
for p in files("src/app/screens", (".c",)):
    for inc in includes(p):
        if inc.startswith(("meistring/", "ui/", "SDL2/", "cjson/")) or "/" not in inc and not inc.endswith(".h"):
            continue
        if app_header(inc) and inc not in ALLOWED_APP:
            bad.append("%s includes %s: a screen uses app.h and the shared rooms only" %
                           (os.path.relpath(p, root), inc))

# 3. the libraries below the app
FOREIGN = ("SDL2/", "SDL.h", "curl/", "cjson/", "sqlite3.h", "sodium.h", "microhttpd.h")
for p in files("include/meistring", (".h",)):
    for inc in includes(p):
        if inc.startswith(FOREIGN):
            bad.append("%s includes %s: public headers name no library's types" % (os.path.relpath(p, root), inc))
for d in ("src/text", "src/core"):
    for p in files(d, (".c", ".h")):
        for inc in includes(p):
            if inc.startswith(("SDL2/", "ui/")) or inc in ("app.h", "screens.h"):
                bad.append("%s includes %s: %s knows no SDL, ui or app" % (os.path.relpath(p, root), inc, d))
# 3b. curl in the network module alone (src/core/sync_net.c, meistring-net.so), which the client loads only when
#     a server is configured: anywhere else it would be mapped by the demo and the kiosk too (issue 14)
for d in ("src/text", "src/core", "src/ui", "src/app"):
    for p in files(d, (".c", ".h")):
        for inc in includes(p):
            if inc.startswith("curl/") and os.path.basename(p) != "sync_net.c":
                bad.append("%s includes %s: only sync_net.c speaks curl" % (os.path.relpath(p, root), inc))
# 3c. GLib and ATK in the screen-reader module alone (src/a11y, meistring-a11y.so): anywhere else they would be
#     mapped without a screen reader too (issue 14); and the module sees the client only through a11y_module.h
GLIBISH = ("glib", "gio/", "atk/", "atk-bridge.h", "atspi/")
for d in ("src/text", "src/core", "src/ui", "src/app"):
    for p in files(d, (".c", ".h")):
        for inc in includes(p):
            if inc.startswith(GLIBISH):
                bad.append("%s includes %s: only src/a11y speaks GLib and ATK" % (os.path.relpath(p, root), inc))
for p in files("src/a11y", (".c", ".h")):
    for inc in includes(p):
        if inc.startswith(("SDL2/", "ui/", "meistring/")) or (inc.endswith(".h") and app_header(inc)):
            bad.append("%s includes %s: the screen-reader module knows only a11y_module.h" %
                       (os.path.relpath(p, root), inc))

# 4. ui below the app
for p in files("src/ui", (".c", ".h")):
    for inc in includes(p):
        if app_header(inc):
            bad.append("%s includes %s: ui knows no app" % (os.path.relpath(p, root), inc))

for b in bad:
    print("layering: " + b)
print("layering: %d problem(s)" % len(bad))
sys.exit(1 if bad else 0)
