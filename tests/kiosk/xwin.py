#!/usr/bin/env python3
"""tests/kiosk/xwin.py — what escape.sh needs from the X server that xdotool and xwininfo do not give, through
libX11 itself (ctypes; no python-xlib), on $DISPLAY:

  xwin.py close WIN   sends WIN the window manager's close request: a WM_PROTOCOLS client message with
                      WM_DELETE_WINDOW, as a window manager does for Alt+F4 or the title bar's ×
                      (`xdotool windowclose` destroys the window instead, which no visitor can do)
  xwin.py hash WIN    prints the SHA-256 of what WIN shows now (XGetImage of the whole window)
  xwin.py grab        tries to grab the keyboard as another program would, prints GrabSuccess, AlreadyGrabbed,
                      GrabInvalidTime, GrabNotViewable or GrabFrozen (and lets go again at once)
  xwin.py state WIN   all escape.sh checks after each key, in one process: the hash, the grab's answer, WIN's
                      map state (IsUnmapped, IsUnviewable, IsViewable), the window with the input focus (decimal,
                      as xdotool prints it) and the root's children (hex, as xwininfo prints them, sorted, joined
                      with commas), separated by spaces

Exit 0 when the request was made, 1 when it could not be (no display, no such window)."""
import ctypes
import hashlib
import sys


class XClientMessageEvent(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
                ("display", ctypes.c_void_p), ("window", ctypes.c_ulong), ("message_type", ctypes.c_ulong),
                ("format", ctypes.c_int), ("l", ctypes.c_long * 5)]


class XEvent(ctypes.Union):
    _fields_ = [("xclient", XClientMessageEvent), ("pad", ctypes.c_long * 24)]


class XImage(ctypes.Structure):  # the leading fields of Xlib's XImage, as far as they are read here
    _fields_ = [("width", ctypes.c_int), ("height", ctypes.c_int), ("xoffset", ctypes.c_int),
                ("format", ctypes.c_int), ("data", ctypes.c_void_p), ("byte_order", ctypes.c_int),
                ("bitmap_unit", ctypes.c_int), ("bitmap_bit_order", ctypes.c_int), ("bitmap_pad", ctypes.c_int),
                ("depth", ctypes.c_int), ("bytes_per_line", ctypes.c_int), ("bits_per_pixel", ctypes.c_int)]


class XWindowAttributes(ctypes.Structure):
    _fields_ = [("x", ctypes.c_int), ("y", ctypes.c_int), ("width", ctypes.c_int), ("height", ctypes.c_int),
                ("border_width", ctypes.c_int), ("depth", ctypes.c_int), ("visual", ctypes.c_void_p),
                ("root", ctypes.c_ulong), ("cls", ctypes.c_int), ("bit_gravity", ctypes.c_int),
                ("win_gravity", ctypes.c_int), ("backing_store", ctypes.c_int),
                ("backing_planes", ctypes.c_ulong), ("backing_pixel", ctypes.c_ulong),
                ("save_under", ctypes.c_int), ("colormap", ctypes.c_ulong), ("map_installed", ctypes.c_int),
                ("map_state", ctypes.c_int), ("all_event_masks", ctypes.c_long),
                ("your_event_mask", ctypes.c_long), ("do_not_propagate_mask", ctypes.c_long),
                ("override_redirect", ctypes.c_int), ("screen", ctypes.c_void_p)]


CLIENT_MESSAGE = 33
Z_PIXMAP = 2
ALL_PLANES = ctypes.c_ulong(~0 & 0xFFFFFFFFFFFFFFFF)
GRAB_MODE_ASYNC = 1
GRAB_STATUS = ["GrabSuccess", "AlreadyGrabbed", "GrabInvalidTime", "GrabNotViewable", "GrabFrozen"]

try:
    x11 = ctypes.CDLL("libX11.so.6")
except OSError:  # find_library runs ldconfig or a compiler: only when the usual name is not there
    import ctypes.util
    x11 = ctypes.CDLL(ctypes.util.find_library("X11"))
x11.XOpenDisplay.restype = ctypes.c_void_p
x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
x11.XInternAtom.restype = ctypes.c_ulong
x11.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
x11.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long, ctypes.POINTER(XEvent)]
x11.XGetWindowAttributes.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(XWindowAttributes)]
x11.XGetImage.restype = ctypes.POINTER(XImage)
x11.XGetImage.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int, ctypes.c_uint,
                          ctypes.c_uint, ctypes.c_ulong, ctypes.c_int]
x11.XDefaultRootWindow.restype = ctypes.c_ulong
x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
x11.XGrabKeyboard.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                              ctypes.c_ulong]
x11.XUngrabKeyboard.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
x11.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
x11.XGetInputFocus.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_int)]
x11.XQueryTree.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong),
                           ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.POINTER(ctypes.c_ulong)),
                           ctypes.POINTER(ctypes.c_uint)]
MAP_STATE = ["IsUnmapped", "IsUnviewable", "IsViewable"]

# a BadWindow (the window is gone) is an answer here, not a reason for Xlib to exit the process
ERROR_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
x_errors = []
_keep = ERROR_HANDLER(lambda d, e: x_errors.append(1) or 0)
x11.XSetErrorHandler(_keep)


def grab(dpy):
    status = x11.XGrabKeyboard(dpy, x11.XDefaultRootWindow(dpy), 0, GRAB_MODE_ASYNC, GRAB_MODE_ASYNC, 0)
    if status == 0:
        x11.XUngrabKeyboard(dpy, 0)
    x11.XSync(dpy, 0)
    return GRAB_STATUS[status] if 0 <= status < len(GRAB_STATUS) else "status %d" % status


def focus(dpy):
    win, revert = ctypes.c_ulong(), ctypes.c_int()
    x11.XGetInputFocus(dpy, ctypes.byref(win), ctypes.byref(revert))
    return str(win.value)


def toplevels(dpy):
    root, parent, children, n = ctypes.c_ulong(), ctypes.c_ulong(), ctypes.POINTER(ctypes.c_ulong)(), ctypes.c_uint()
    if not x11.XQueryTree(dpy, x11.XDefaultRootWindow(dpy), ctypes.byref(root), ctypes.byref(parent),
                          ctypes.byref(children), ctypes.byref(n)):
        return "?"
    return ",".join(sorted("0x%x" % children[i] for i in range(n.value))) or "-"


def main(argv):
    if len(argv) < 2 or argv[1] not in ("close", "hash", "grab", "state") or (argv[1] != "grab" and len(argv) != 3):
        print(__doc__.strip().split("\n\n")[0], file=sys.stderr)
        return 2
    dpy = x11.XOpenDisplay(None)
    if not dpy:
        print("xwin.py: cannot open the display", file=sys.stderr)
        return 1
    cmd = argv[1]
    if cmd == "grab":
        print(grab(dpy))
        return 0
    win = int(argv[2], 0)
    attrs = XWindowAttributes()
    if not x11.XGetWindowAttributes(dpy, win, ctypes.byref(attrs)):
        print("xwin.py: no window %s" % argv[2], file=sys.stderr)
        return 1
    if cmd == "close":
        ev = XEvent()
        ev.xclient.type = CLIENT_MESSAGE
        ev.xclient.window = win
        ev.xclient.message_type = x11.XInternAtom(dpy, b"WM_PROTOCOLS", 0)
        ev.xclient.format = 32
        ev.xclient.l[0] = x11.XInternAtom(dpy, b"WM_DELETE_WINDOW", 0)
        ev.xclient.l[1] = 0  # CurrentTime
        x11.XSendEvent(dpy, win, 0, 0, ctypes.byref(ev))
        x11.XSync(dpy, 0)
        if x_errors:
            print("xwin.py: the close request was refused (the window went?)", file=sys.stderr)
            return 1
        return 0
    img = x11.XGetImage(dpy, win, 0, 0, attrs.width, attrs.height, ALL_PLANES, Z_PIXMAP)
    x11.XSync(dpy, 0)
    if not img or x_errors:
        print("xwin.py: cannot read the window's pixels", file=sys.stderr)
        return 1
    im = img.contents
    data = ctypes.string_at(im.data, im.bytes_per_line * im.height)
    digest = hashlib.sha256(data).hexdigest()
    if cmd == "state":
        print(" ".join([digest, grab(dpy), MAP_STATE[attrs.map_state], focus(dpy), toplevels(dpy)]))
    else:
        print(digest)
    x11.XCloseDisplay(dpy)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
