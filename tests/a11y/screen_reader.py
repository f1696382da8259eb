"""screen_reader.py CLIENT WORKDIR LAUNCHER — run by screen_reader.sh inside a private session bus: the client as a
screen reader (Orca, over AT-SPI) finds it and works it.

Asserted from the screen reader's side, through pyatspi as Orca uses it:
  1. the client is on the AT-SPI registry, its window (a frame) named by the screen, in the interface's language;
  2. the home screen's children: heading «Mestring av panikk», button «Hjelp nå», each with its role, a name and
     extents on the screen that are not empty; a paragraph's words readable as text; the module cards a list of
     three items, each with its «click»;
  3. «click» (doAction 0) on module 1's item opens the module: the tree then shows its heading, and its pages
     as a list of four items;
  4. a Tab pressed in the app (the script's `key Tab`, once the module is shown) is seen as the focused state
     moving to the module's first control («Start modulen»), and heard as the key «Tab» by a keystroke listener
     (Orca's key echo and commands listen so);
  5. grabFocus on «Hjelp nå» moves the keyboard's focus there (the focused state follows);
  6. a status message (read-aloud, with no sound on this machine, says it cannot read) comes as a notification the
     screen reader is told about, with its text;
  7. the editor's field (reached by «click»s: back, «Meldinger», «Skriv en melding») is an editable entry named by
     its heading, and focused; what the script then types is its text, the caret after it, said as a text change;
     the screen reader's own edits (EditableText: insertText, deleteText; setCaretOffset) are typed into it, the
     caret where the edit left it (not its end), said as the caret moving;
  8. with no --a11y, in a window (under Xvfb): the client is not on the registry while the accessibility bus says
     no screen reader runs, and is once it says Orca does (ScreenReaderEnabled, as Orca sets it); with --no-a11y
     it is not, whatever the bus says;
  9. a second client in a tall window, at page 3's «Hjertebank» (the script seeks it): each heading has its level
     from the content (h2, h3), not «1 for the first, 2 for the rest», and in «Lesehjelp»'s preview two levels under
     its own; on «Lesehjelp», the choices are radio
     buttons, checkable, the chosen one checked and named without «– valgt», each a member of its group of four;
     «click» on another moves the checked state, said as a state change;
 10. a third client, a tall phone (its top bar says the screen's title), at module 2's page 4: the page's bulleted
     and numbered lists, and the exercise card's questions, are lists of their items (list items, their words
     readable), not paragraphs; «click» on «Fyll ut øvelsen»: the exercise's title is level 1 (in the bar and under
     it), its thought record a table (named by its question, 3 rows of 6 columns: the row's header, a heading «Rad 1»
     at level 2, then a cell per column with its question and its button), not buttons and labels; its question,
     above it and outside it, a label (it was an editable entry), nothing on the form an entry;
 12. a phone's exercise scrolled to row 1's last question (row 1 from its middle, row 2 under it), then to row 2's
     (the table's rows, cells and their objects rearranged as it scrolls): a row whose heading has scrolled away
     has its cells in their own columns (a cell's question is its column's), no header;
 11. a fourth client, the same phone, through module 1's questionnaire to its summary: its title («Ukens skjema:
     GAD-7», under the bar's «GAD-7») is level 1, not «another» (2).
Exits 1 with what went wrong."""
import os
import random
import shutil
import signal
import subprocess
import sys
import time

import dbus
import pyatspi
from gi.repository import GLib

client, work, launcher = sys.argv[1], sys.argv[2], sys.argv[3]
failures = []
events = []


def fail(msg):
    print("FAIL: " + msg)
    failures.append(msg)


def pump(seconds):
    """Lets the screen reader's side handle what arrived, for about seconds."""
    ctx = GLib.MainContext.default()
    end = time.time() + seconds
    while time.time() < end:
        while ctx.iteration(False):
            pass
        time.sleep(0.02)


def wait_until(what, seconds, probe):
    end = time.time() + seconds
    while time.time() < end:
        got = probe()
        if got:
            return got
        pump(0.1)
    return None


# the accessibility bus (at-spi2-core), as a desktop session starts it
bus_launcher = subprocess.Popen([launcher, "--launch-immediately"])
session = dbus.SessionBus()
if not wait_until("org.a11y.Bus", 20, lambda: session.name_has_owner("org.a11y.Bus")):
    print("FAIL: the accessibility bus did not start")
    sys.exit(1)


def on_event(e):
    try:
        role = e.source.getRoleName() if e.source else ""
        name = e.source.name if e.source else ""
    except Exception:  # the object may have gone by the time we ask
        role, name = "", ""
    data = e.any_data if isinstance(e.any_data, str) else ""
    events.append((e.type, e.detail1, role, name, data))


keys = []


def on_key(e):
    keys.append((e.type, e.event_string, e.id))
    return False  # not consumed: the app keeps its keys


# the screen reader listens before the app starts, as Orca does
pyatspi.Registry.registerKeystrokeListener(on_key, mask=list(pyatspi.allModifiers()), synchronous=False,
                                           preemptive=False)
pyatspi.Registry.registerEventListener(on_event, "object:state-changed:focused", "object:state-changed:showing",
                                       "object:text-changed:insert", "object:children-changed",
                                       "object:announcement", "window:activate", "object:text-caret-moved",
                                       "object:state-changed:checked")

script = os.path.join(work, "script.txt")
with open(script, "w") as f:
    f.write("wait-for 60000 heading Modul 1: Hva er panikk?\n"
            "wait 1000\n"
            "key Tab\n"
            "wait-for 90000 button Send\n"
            "wait 1000\n"
            "type Hei på deg\n"
            "wait 90000\n")
env = dict(os.environ, SDL_AUDIODRIVER="none")  # no sound: read-aloud says so in the message line
log = open(os.path.join(work, "client.log"), "w")
app_proc = subprocess.Popen([client, "--a11y", "--headless", "360x640", "--script", script, "--data-dir",
                             os.path.join(work, "data-dir")], env=env, stdout=log, stderr=subprocess.STDOUT)


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        rc = proc.wait(20)
        print("client quit on SIGTERM: exit status %d" % rc)
    except subprocess.TimeoutExpired:
        proc.kill()
        fail("the client did not quit on SIGTERM")


def by_itself():
    """8: the bridge loaded because the desktop's screen reader runs, not because of a flag."""
    xvfb = "/usr/bin/Xvfb"
    if not os.path.exists(xvfb) or not shutil.which("xdpyinfo"):
        if os.environ.get("MEISTRING_REQUIRE_PACKAGES") == "1":
            fail("no Xvfb or xdpyinfo (xvfb, x11-utils) for the windowed part")
        else:
            print("SKIP part 8: no Xvfb or xdpyinfo")
        return
    def x_answers(display):  # Xvfb said its number; it is used once a client gets through to it
        return subprocess.run(["xdpyinfo", "-display", display], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode == 0

    # a number of our own, far from the ones other tests' X servers take (-displayfd gave :0 here while another
    # user's server held its abstract socket, so our clients reached that one): another when it is taken
    for attempt in range(10):
        n = random.randint(200, 899)
        if os.path.exists("/tmp/.X%d-lock" % n):
            continue
        display = ":%d" % n
        xproc = subprocess.Popen([xvfb, display, "-screen", "0", "800x900x24", "-nolisten", "tcp"],
                                 stderr=subprocess.DEVNULL)
        if wait_until("X", 10, lambda: xproc.poll() is not None or x_answers(display)) and xproc.poll() is None:
            break
        xproc.terminate()
        xproc.wait()
    else:
        fail("Xvfb does not answer")
        return
    status = dbus.Interface(session.get_object("org.a11y.Bus", "/org/a11y/bus"), "org.freedesktop.DBus.Properties")

    def run(label, options, expect):
        wenv = dict(os.environ, DISPLAY=display, SDL_AUDIODRIVER="dummy")
        wenv.pop("GNOME_ACCESSIBILITY", None)
        wenv.pop("QT_LINUX_ACCESSIBILITY_ALWAYS_ON", None)
        p = subprocess.Popen([client, "--window", "360x640", "--data-dir", os.path.join(work, "data-" + label)]
                             + options, env=wenv, stdout=log, stderr=subprocess.STDOUT)
        seen = wait_until(label, 8 if expect else 4, find_app)
        stop(p)
        wait_until("gone", 5, lambda: not find_app())
        if bool(seen) != expect:
            fail("%s: the client is %son the registry" % (label, "not " if expect else ""))
        else:
            print("%s: %son the registry" % (label, "" if expect else "not "))

    status.Set("org.a11y.Status", "ScreenReaderEnabled", dbus.Boolean(False))
    status.Set("org.a11y.Status", "IsEnabled", dbus.Boolean(False))
    run("no screen reader", [], False)
    status.Set("org.a11y.Status", "ScreenReaderEnabled", dbus.Boolean(True))
    run("Orca running", [], True)
    run("Orca running, --no-a11y", ["--no-a11y"], False)
    xproc.terminate()
    xproc.wait()


def levels_and_choices():
    """9: a second client, in a window tall enough for every choice on «Lesehjelp», at page 3's «Hjertebank»."""
    global frame
    script2 = os.path.join(work, "script2.txt")
    with open(script2, "w") as f:
        f.write("tap-on button Modul 1\n"
                "tap-on button 3. Kroppens alarmsystem\n"
                "seek heading Hjertebank\n"
                "wait 120000\n")
    p = subprocess.Popen([client, "--a11y", "--headless", "800x3000", "--script", script2, "--data-dir",
                          os.path.join(work, "data-dir-2")], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        app2 = wait_until("the second app", 30, find_app)
        if not app2:
            fail("part 9: the second client is not on the registry")
            return
        frame = app2[0]
        if not wait_until("Hjertebank", 30, lambda: find(pyatspi.ROLE_HEADING, "Hjertebank")):
            fail("part 9: no heading «Hjertebank»: %r" % [c.name for c in children()])
            return

        def level(name):
            h = find(pyatspi.ROLE_HEADING, name)
            attrs = dict(a.split(":", 1) for a in h.getAttributes()) if h else {}
            return attrs.get("level")

        for name, want in (("Hva du kan kjenne under et panikkanfall", "2"), ("Hjertebank", "3"),
                           ("Tung pust og følelsen av å ikke få nok luft", "3")):
            got = level(name)
            if got != want:
                fail("the heading «%s» is said at level %r, not the content's %s" % (name, got, want))
            else:
                print("heading «%s»: level %s" % (name, got))

        lesehjelp = find(pyatspi.ROLE_PUSH_BUTTON, "Lesehjelp")
        if not lesehjelp:
            fail("part 9: no «Lesehjelp» on the page")
            return
        lesehjelp.queryAction().doAction(0)
        if not wait_until("aids", 20, lambda: find(pyatspi.ROLE_HEADING, "Farger")):
            fail("«click» on «Lesehjelp» did not show «Farger»")
            return
        # the page in the preview, under «Slik ser teksten ut» (2): its h3 two levels further down
        for name, want in (("Slik ser teksten ut", "2"), ("Hjertebank", "5")):
            if level(name) != want:
                fail("on «Lesehjelp», «%s» is said at level %r, not %s" % (name, level(name), want))

        def choice(name):
            for c in children():
                try:
                    if c.name == name:
                        return c
                except GLib.GError:
                    pass
            return None

        def says(c):
            st = c.getState()
            return "%s %r%s%s" % (c.getRoleName(), c.name, " checkable" if st.contains(pyatspi.STATE_CHECKABLE) else "",
                                  " checked" if st.contains(pyatspi.STATE_CHECKED) else "")

        for name, checked in (("Krem", True), ("Hvit", False), ("Av", True), ("1 linje", False)):
            c = choice(name)
            if not c:
                fail("no choice named «%s» (a chosen one is named without «– valgt»): %r" %
                     (name, [x.name for x in children() if "valgt" in x.name or x.name in ("Hvit", "Krem")]))
                continue
            st = c.getState()
            if (c.getRole() != pyatspi.ROLE_RADIO_BUTTON or not st.contains(pyatspi.STATE_CHECKABLE) or
                    st.contains(pyatspi.STATE_CHECKED) != checked):
                fail("«%s» is a %s, not a radio button, checkable%s" % (name, says(c), ", checked" if checked else ""))
            else:
                print("choice: %s" % says(c))
            group = [r.getNTargets() for r in c.getRelationSet()
                     if r.getRelationType() == pyatspi.RELATION_MEMBER_OF]
            if group != [4]:  # four colours, four ruler settings: a screen reader says «2 of 4»
                fail("«%s» is not one of a group of 4 (member-of): %r" % (name, group))
        hvit = choice("Hvit")
        if not hvit:
            return
        del events[:]
        hvit.queryAction().doAction(0)

        def moved():
            h, k = choice("Hvit"), choice("Krem")
            return (h and k and h.getState().contains(pyatspi.STATE_CHECKED) and
                    not k.getState().contains(pyatspi.STATE_CHECKED) and
                    [e for e in events if e[0] == "object:state-changed:checked" and e[1] == 1 and e[3] == "Hvit"])

        if not wait_until("checked", 20, moved):
            fail("«click» on «Hvit»: the checked state did not move there, said as a state change: %r, %r" %
                 ([says(c) for c in children() if c.name in ("Hvit", "Krem", "Hvit – valgt")], events[-10:]))
        else:
            print("«click» on «Hvit»: checked, said as object:state-changed:checked")
    finally:
        stop(p)
        wait_until("gone", 5, lambda: not find_app())


def heading_level(h):
    attrs = dict(a.split(":", 1) for a in h.getAttributes()) if h else {}
    return attrs.get("level")


def other_client(label, script_text, size="360x3000", options=()):
    """A client of its own at a script's place, its frame made the one asked (children(), find())."""
    global frame
    path = os.path.join(work, label + ".txt")
    with open(path, "w") as f:
        f.write(script_text + "wait 120000\n")
    p = subprocess.Popen([client, "--a11y", "--headless", size, "--script", path, "--data-dir",
                          os.path.join(work, "data-" + label)] + list(options), env=env, stdout=log,
                         stderr=subprocess.STDOUT)
    found = wait_until(label, 30, find_app)
    if not found:
        fail("%s: the client is not on the registry" % label)
        return p
    frame = found[0]
    return p


def headings():
    return [(h.name, heading_level(h)) for h in children() if h.getRole() == pyatspi.ROLE_HEADING]


def item_texts(l):
    return [i.queryText().getText(0, -1) for i in l if i is not None]


def lists_and_table():
    """10: the page's lists, the exercise's table and title."""
    p = other_client("lists", "tap-on button Modul 2\ntap-on button 4.\n")
    try:
        if not wait_until("page 4", 30, lambda: find(pyatspi.ROLE_HEADING, "Registrer panikkanfallene dine")):
            fail("part 10: page 4 is not shown: %r" % [c.name for c in children()])
            return
        lists = [c for c in children() if c.getRole() == pyatspi.ROLE_LIST]
        for first, n in (("Du ser hvilke situasjoner", 4), ("Situasjon: Hvor var du", 5),
                         ("Mine panikkanfall denne uken", 3)):
            got = [l for l in lists if l.childCount and item_texts(l)[0].startswith(first)]
            if not got:
                fail("the page's list that starts «%s» is not a list: %r" %
                     (first, [(c.getRoleName(), c.name or c.queryText().getText(0, 30)) for c in children()
                              if c.getRole() in (pyatspi.ROLE_PARAGRAPH, pyatspi.ROLE_LIST)]))
                continue
            items = [i for i in got[0] if i is not None]
            roles = set(i.getRole() for i in items)
            if len(items) != n or roles != {pyatspi.ROLE_LIST_ITEM}:
                fail("the list «%s…» has %d items (%r), not %d list items" %
                     (first, len(items), [i.getRoleName() for i in items], n))
            else:
                print("page list of %d items: %r" % (n, [t[:24] for t in item_texts(got[0])]))
        fill = find(pyatspi.ROLE_PUSH_BUTTON, "Fyll ut øvelsen")
        if not fill:
            fail("part 10: no «Fyll ut øvelsen»")
            return
        fill.queryAction().doAction(0)
        if not wait_until("exercise", 20, lambda: [c for c in children() if c.getRole() == pyatspi.ROLE_TABLE] or
                          find(pyatspi.ROLE_LABEL, "Situasjon") or find(pyatspi.ROLE_ENTRY, "Situasjon") or
                          find(pyatspi.ROLE_PUSH_BUTTON, "Situasjon, rad 1")):
            fail("«click» on «Fyll ut øvelsen» did not show the form: %r" % [c.name for c in children()])
            return
        titles = [c for c in children() if c.getRole() == pyatspi.ROLE_HEADING and
                  c.name == "Registrering av panikkanfall"]
        got = [heading_level(h) for h in titles]
        if not titles or got != ["1"] * len(titles):
            fail("the exercise's title is said at levels %r, not 1" % got)
        else:
            print("exercise's title: level 1 (%d)" % len(titles))
        # the table's question, above it and outside it, is words to read (a label named by them), not an entry:
        # nothing on the form is written in but through the editor its buttons open (it was an editable entry)
        writable = [(c.getRoleName(), c.name) for c in children()
                    if c.getRole() == pyatspi.ROLE_ENTRY or c.getState().contains(pyatspi.STATE_EDITABLE)]
        if writable or not find(pyatspi.ROLE_LABEL, "Mine panikkanfall denne uken"):
            fail("the exercise's question outside its table is not a label, or something on the form is an entry: "
                 "%r" % (writable or [(c.getRoleName(), c.name) for c in children()][:12]))
        else:
            print("the table's question: a label, no entry on the form")
        tables = [c for c in children() if c.getRole() == pyatspi.ROLE_TABLE]
        if not tables:
            fail("the exercise's thought record is no table: %r" % [(c.getRoleName(), c.name) for c in children()][:20])
            return
        t = tables[0]
        tab = t.queryTable()
        print("table %r: %d rows, %d columns" % (t.name, tab.nRows, tab.nColumns))
        if t.name != "Mine panikkanfall denne uken" or tab.nRows != 3 or tab.nColumns != 6:
            fail("the table is %r with %d rows and %d columns, not «Mine panikkanfall denne uken», 3 by 6" %
                 (t.name, tab.nRows, tab.nColumns))
        if t.childCount != 3 or any(r.getRole() != pyatspi.ROLE_TABLE_ROW for r in t):
            fail("the table's children are not its 3 rows: %r" % [r.getRoleName() for r in t])
        if tab.getRowDescription(1) != "Rad 2" or tab.getColumnDescription(1) != "Situasjon":
            fail("row 2 is described %r, column 1 %r" % (tab.getRowDescription(1), tab.getColumnDescription(1)))
        head = tab.getAccessibleAt(0, 0)
        rad = head[0] if head and head.childCount else None
        if (not head or head.getRole() != pyatspi.ROLE_ROW_HEADER or not rad or rad.name != "Rad 1" or
                rad.getRole() != pyatspi.ROLE_HEADING or heading_level(rad) != "2"):
            fail("cell (0, 0) is not the row's header with the heading «Rad 1» at level 2: %r, %r" %
                 (head and head.getRoleName(), rad and (rad.getRoleName(), rad.name, heading_level(rad))))
        else:
            print("row header: heading %r, level 2" % rad.name)
        cell = tab.getAccessibleAt(1, 1)
        inside = [(c.getRoleName(), c.name) for c in cell] if cell else []
        if (not cell or cell.getRole() != pyatspi.ROLE_TABLE_CELL or
                inside != [("label", "Situasjon"), ("push button", "Situasjon, rad 2")]):
            fail("cell (1, 1) is not a cell with «Situasjon» and its button: %r, %r" %
                 (cell and cell.getRoleName(), inside))
        else:
            print("cell (1, 1): %r" % inside)
        steps = tab.getAccessibleAt(2, 4)
        if not steps or steps.childCount != 12 or steps[11].name != "Styrke (0–100), rad 3: 100":
            fail("cell (2, 4) has not the question and its 11 steps: %r" %
                 ([c.name for c in steps] if steps else None))
        # a step chosen: the same screen's next frame keeps the table, its cell and its button (checked now)
        del events[:]
        steps[6].queryAction().doAction(0)

        def chosen():
            c = tab.getAccessibleAt(2, 4)
            return (c and c.childCount == 12 and c[6].getState().contains(pyatspi.STATE_CHECKED) and
                    [e for e in events if e[0] == "object:state-changed:checked" and e[1] == 1])

        if not wait_until("chosen", 20, chosen):
            fail("«click» on a step in the table: not checked in its cell: %r" %
                 [(c.getRoleName(), c.name) for c in (tab.getAccessibleAt(2, 4) or [])])
        elif t.getState().contains(pyatspi.STATE_DEFUNCT) or t.childCount != 3:
            fail("the table did not stay the same table as a step in it was chosen")
        else:
            print("step chosen in cell (2, 4): checked, in the same table")
    finally:
        stop(p)
        wait_until("gone", 5, lambda: not find_app())


COLUMNS = ["Situasjon", "Tanke", "Følelse", "Styrke (0–100)", "Alternativ tanke"]


def scrolled_table():
    """12: the table of a phone's exercise, scrolled so a row shows from its middle."""
    p = other_client("scrolled", "tap-on button Modul 2\nseek button 4.\ntap-on button 4.\nseek button Fyll ut\n"
                     "tap-on button Fyll ut\nseek button Alternativ tanke, rad 1\nwait 1500\n"
                     "seek button Alternativ tanke, rad 2\n", "360x640")
    try:
        def row2(tab):  # the row whose last cell is row 2's «Alternativ tanke» (row 3 may begin under it)
            for r in range(tab.nRows):
                cell = tab.getAccessibleAt(r, 5)
                if cell and cell.childCount == 2 and cell[1].name == "Alternativ tanke, rad 2":
                    return r
            return None

        def shown():  # the last frame: row 2 from a question in its middle, its heading scrolled away
            for t in [c for c in children() if c.getRole() == pyatspi.ROLE_TABLE]:
                tab = t.queryTable()
                if row2(tab) == 0 and not tab.getAccessibleAt(0, 0):
                    return t
            return None

        t = wait_until("scrolled", 30, shown)
        if not t:
            fail("part 12: no table whose row 2 shows without its heading: %r" %
                 [(c.getRoleName(), c.name) for c in children()])
            return
        tab = t.queryTable()
        seen = []
        for r in range(tab.nRows):
            for c in range(1, tab.nColumns):
                cell = tab.getAccessibleAt(r, c)
                if not cell or not cell.childCount or cell[0].getRole() != pyatspi.ROLE_LABEL:
                    continue
                seen.append((r, c, cell[0].name))
                if cell[0].name != COLUMNS[c - 1]:
                    fail("cell (%d, %d) has the question «%s», not its column's «%s»" % (r, c, cell[0].name,
                                                                                       COLUMNS[c - 1]))
        r2 = row2(tab)
        cols = [c for r, c, n in seen if r == r2]  # where the scroll stopped: its last questions, each in its column
        if tab.nColumns != 6 or len(cols) < 2 or cols != list(range(cols[0], 6)):
            fail("the scrolled table: %d columns, cells %r" % (tab.nColumns, seen))
        else:
            print("scrolled table: cells %r" % seen)
    finally:
        stop(p)
        wait_until("gone", 5, lambda: not find_app())


def questionnaire_title():
    """11: the questionnaire's summary under the bar's title."""
    answers = ["Flere dager", "Flere dager", "Ikke i det hele tatt", "Ikke i det hele tatt", "Flere dager",
               "Ikke i det hele tatt", "Nesten hver dag"]
    steps = "tap-on button Modul 1\ntap-on button 4.\nseek button Svar på skjemaet\ntap-on button Svar på skjemaet\n"
    for a in answers:
        steps += "key Home\nseek button %s\ntap-on button %s\n" % (a, a)
    p = other_client("questionnaire", steps)
    try:
        # the summary, with its «Send inn» (the page's card has a heading of the same words, a box's title: 3)
        h = wait_until("summary", 60, lambda: find(pyatspi.ROLE_PUSH_BUTTON, "Send inn") and
                       find(pyatspi.ROLE_HEADING, "Ukens skjema: GAD-7"))
        if not h:
            fail("part 11: no summary «Ukens skjema: GAD-7»: %r" % [c.name for c in children()])
            return
        if heading_level(h) != "1":
            fail("the questionnaire's title is said at level %r, not 1: %r" % (heading_level(h), headings()))
        else:
            print("questionnaire's title: level 1")
    finally:
        stop(p)
        wait_until("gone", 5, lambda: not find_app())


def keypad_entry():
    """13: the enrolment code's field, an entry (its keypad types it): what a braille display or dictation writes
    into it (EditableText) is typed on the pad, its digits the pad's and a deletion its «Slett»."""
    p = other_client("enrol", "", "360x640", ["--server", "http://127.0.0.1:9"])
    try:
        def says(text):
            def probe():
                try:
                    e = entry()
                    return e if e and e.queryText().getText(0, -1) == text else None
                except GLib.GError:
                    return None
            return probe

        field = wait_until("enrolment", 30, says("Kode: -"))
        if not field:
            fail("part 13: no entry «Kode: -» on the enrolment: %r" % [(c.getRoleName(), c.name) for c in children()])
            return
        field.queryEditableText().insertText(0, "12a34", 5)  # a letter is no key of the pad
        field = wait_until("insertText", 10, says("Kode: 1234"))
        if not field:
            e = entry()
            fail("part 13: insertText(0, '12a34') in the enrolment's code: it says %r, not «Kode: 1234»" %
                 (e.queryText().getText(0, -1) if e else None))
            return
        field.queryEditableText().deleteText(9, 10)
        if not wait_until("deleteText", 10, says("Kode: 123")):
            e = entry()
            fail("part 13: deleteText(9, 10) in the enrolment's code: it says %r, not «Kode: 123»" %
                 (e.queryText().getText(0, -1) if e else None))
            return
        print("enrolment's code: insertText and deleteText typed on its pad")
    finally:
        stop(p)
        wait_until("gone", 5, lambda: not find_app())


def finish():
    stop(app_proc)
    wait_until("gone", 5, lambda: not find_app())
    levels_and_choices()
    lists_and_table()
    scrolled_table()
    questionnaire_title()
    keypad_entry()
    by_itself()
    bus_launcher.terminate()
    log.close()
    with open(os.path.join(work, "client.log")) as f:
        out = f.read()
    if "CRITICAL" in out or "WARNING" in out:
        fail("GLib complained in the client:\n" + out)
    if failures:
        print("client's log:\n" + out)
        print("events seen: %r" % events[-40:])
        print("screen_reader: %d failure(s)" % len(failures))
        sys.exit(1)
    print("screen_reader: ok")
    sys.exit(0)


def find_app():
    desktop = pyatspi.Registry.getDesktop(0)
    for a in desktop:
        if a is not None and a.name == "Meistring":
            return a
    return None


def kill_client(*_):
    if app_proc.poll() is None:
        app_proc.kill()
    bus_launcher.terminate()


sys.excepthook = lambda t, v, tb: (kill_client(), sys.__excepthook__(t, v, tb))
app = wait_until("the app", 30, find_app)
if not app:
    fail("Meistring is not on the AT-SPI registry (no screen reader can see it)")
    finish()
print("registry: %s (toolkit %s)" % (app.name, app.get_toolkit_name()))
if app.childCount != 1 or app[0].getRole() != pyatspi.ROLE_FRAME:
    fail("the app has no frame: %d children" % app.childCount)
    finish()
frame = app[0]


def children():
    frame.clear_cache()
    return [c for c in frame if c is not None]


def find(role, name, among=None):
    for c in among if among is not None else children():
        try:
            if c.getRole() == role and c.name == name:
                return c
        except GLib.GError:  # gone with the frame it was in (the screen changed as we asked): not this one
            pass
    return None


if not wait_until("home", 20, lambda: find(pyatspi.ROLE_HEADING, "Mestring av panikk")):
    fail("no heading «Mestring av panikk» on the home screen: %r" % [(c.getRoleName(), c.name) for c in children()])
    finish()
print("frame: %r, locale %s, %d children" % (frame.name, frame.get_object_locale(), frame.childCount))
if frame.name != "Mestring av panikk":
    fail("the frame is named %r, not by the screen's heading" % frame.name)
if not frame.get_object_locale().startswith("nb"):
    fail("the interface's language is %r, not nb" % frame.get_object_locale())

help_button = find(pyatspi.ROLE_PUSH_BUTTON, "Hjelp nå")
if not help_button:
    fail("no push button «Hjelp nå»")
else:
    ext = help_button.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    print("«Hjelp nå»: %s at (%d, %d) %dx%d, actions %s" % (help_button.getRoleName(), ext.x, ext.y, ext.width,
                                                         ext.height, help_button.queryAction().getName(0)))
    if ext.width <= 0 or ext.height <= 0:
        fail("«Hjelp nå» has empty extents")
paragraphs = [c for c in children() if c.getRole() == pyatspi.ROLE_PARAGRAPH]
if not paragraphs or "demonstrasjon" not in paragraphs[0].queryText().getText(0, -1):
    fail("the home screen's paragraph is not readable as text")
for c in children():
    print("  %-12s %s" % (c.getRoleName(), c.name or (c.queryText().getText(0, 60) if c.getRole() != pyatspi.ROLE_LIST
                                                      else "%d items" % c.childCount)))


def list_items(prefixes):
    """The screen's list whose items' names start with prefixes, in order (with their «click»), or a failure."""
    lists = [c for c in children() if c.getRole() == pyatspi.ROLE_LIST]
    for l in lists:
        items = [i for i in l if i is not None]
        if len(items) == len(prefixes) and all(i.name.startswith(p) for i, p in zip(items, prefixes)):
            for k, i in enumerate(items):
                if (i.getRole() != pyatspi.ROLE_LIST_ITEM or i.getIndexInParent() != k or i.parent != l or
                        i.queryAction().getName(0) != "click"):
                    fail("«%s»: a %s, %d in its list, not an item to click" % (i.name, i.getRoleName(),
                                                                           i.getIndexInParent()))
            print("list of %d: %r" % (len(items), [i.name for i in items]))
            return items
    fail("no list of %r: lists %r, children %r" % (prefixes, [[i.name for i in l] for l in lists],
                                                   [(c.getRoleName(), c.name) for c in children()]))
    return None


list_items(["Modul 1: Hva er panikk?", "Modul 2: Den onde sirkelen", "Modul 3: Å møte det du frykter"])

# 3. «click» on module 1
module = [c for l in children() if l.getRole() == pyatspi.ROLE_LIST for c in l if c.name.startswith("Modul 1")]
if not module:  # failed above; the rest is still asked of the button
    module = [c for c in children() if c.getRole() == pyatspi.ROLE_PUSH_BUTTON and c.name.startswith("Modul 1")]
if not module:
    fail("no item for module 1")
    finish()
module_name = module[0].name
module[0].queryAction().doAction(0)
if not wait_until("module", 20, lambda: find(pyatspi.ROLE_HEADING, "Modul 1: Hva er panikk?")):
    fail("doAction(0) on «%s» did not open the module: %r" % (module_name, [c.name for c in children()]))
    finish()
print("doAction(0) on %r: the module's heading is shown" % module_name)
wait_until("pages", 10, lambda: [c for c in children() if c.getRole() == pyatspi.ROLE_LIST])
# the pages on screen at 360x640 (the fourth is under the screen's foot since the phone's title line; only what
list_items(["1. Velkommen", "2. Hva er angst og panikk?", "3. Kroppens alarmsystem"])  # is on screen is in the tree)

# 4. the script's Tab, once the module is shown
def focused_event(name):
    return [e for e in events if e[0] == "object:state-changed:focused" and e[1] == 1 and e[3] == name]


if not wait_until("Tab", 20, lambda: focused_event("Start modulen")):
    fail("Tab in the app: no focused state on «Start modulen»")
else:
    start = find(pyatspi.ROLE_PUSH_BUTTON, "Start modulen")
    if not start or not start.getState().contains(pyatspi.STATE_FOCUSED):
        fail("«Start modulen» is not in the focused state after Tab")
    else:
        print("Tab: focused state on «Start modulen»")
tab = wait_until("Tab heard", 10, lambda: [k for k in keys if k[1] == "Tab" and k[2] == 0xff09])
if not tab:
    fail("the key Tab was not heard by the keystroke listener: %r" % keys)
else:
    print("Tab: heard as a key %r" % (tab,))

# 5. the screen reader moves the focus
help_button = find(pyatspi.ROLE_PUSH_BUTTON, "Hjelp nå")
if help_button and help_button.queryComponent().grabFocus():
    if not wait_until("grabFocus", 20, lambda: focused_event("Hjelp nå")):
        fail("grabFocus on «Hjelp nå»: no focused state")
    else:
        print("grabFocus: focused state on «Hjelp nå»")
else:
    fail("grabFocus on «Hjelp nå» refused")

# 6. a status message: read-aloud started with no sound
speak = find(pyatspi.ROLE_PUSH_BUTTON, "Les høyt")
if not speak:
    fail("no «Les høyt»")
else:
    speak.queryAction().doAction(0)

    def notified():
        for e in events:
            if "ingen lyd" in e[3] + e[4] and e[2] == "notification" and (
                    e[0] in ("object:state-changed:showing", "object:announcement") or
                    e[0] == "object:text-changed:insert"):
                return e
        return None

    got = wait_until("message", 20, notified)
    if not got:
        fail("no notification of the message line («… (ingen lyd).»)")
    else:
        print("status message: %s on a %s: %r" % (got[0], got[2], got[3] or got[4]))

# 7. the editor's field
def click(role, name, then_role, then_name):
    c = find(role, name)
    if not c:
        fail("no %s «%s» to click: %r" % (role, name, [x.name for x in children()]))
        return False
    c.queryAction().doAction(0)
    if not wait_until(then_name, 20, lambda: find(then_role, then_name)):
        fail("«click» on «%s» did not show «%s»" % (name, then_name))
        return False
    return True


def entry():
    for c in children():
        try:
            if c.getRole() == pyatspi.ROLE_ENTRY:
                return c
        except GLib.GError:
            pass
    return None


def edit_field(field):
    """7, the screen reader's edits: typed into the field where it says, the caret left after them."""
    def state(text, caret):
        def probe():
            try:
                t = field.queryText()
                return t.getText(0, -1) == text and t.caretOffset == caret
            except GLib.GError:
                return False
        return probe

    def caret_moved(to):
        return lambda: [e for e in events if e[0] == "object:text-caret-moved" and e[1] == to and e[2] == "entry"]

    def step(label, do, text, caret):
        del events[:]
        do()
        if not wait_until(label, 20, state(text, caret)):
            t = field.queryText()
            fail("%s: the field says %r, caret at %d; wanted %r, caret at %d" % (label, t.getText(0, -1),
                                                                             t.caretOffset, text, caret))
            return False
        if not wait_until(label + " said", 5, caret_moved(caret)):
            fail("%s: the caret's move to %d was not said (text-caret-moved): %r" % (label, caret, events[-10:]))
            return False
        print("%s: %r, caret at %d, said as text-caret-moved" % (label, text, caret))
        return True

    # the caret where it is, not the text's end: moved as the arrow keys move it
    step("setCaretOffset(3)", lambda: field.queryText().setCaretOffset(3), "Hei på deg", 3)
    try:
        editable = field.queryEditableText()
    except NotImplementedError:
        fail("the editor's field has no EditableText: a braille display or dictation cannot write in it")
        return
    field.queryText().setCaretOffset(10)  # the edits go where they say, wherever the caret is
    if step("insertText(3, ' du')", lambda: editable.insertText(3, " du", 3), "Hei du på deg", 6):
        step("deleteText(0, 4)", lambda: editable.deleteText(0, 4), "du på deg", 0)
    # far moves (from the text's start or end, a word at a time, then a character): where they say all the same
    long = "Jeg skriver en lang setning for å prøve. "
    if step("insertText(0, …)", lambda: editable.insertText(0, long, len(long.encode())), long + "du på deg",
            len(long)):
        step("setCaretOffset(3)", lambda: field.queryText().setCaretOffset(3), long + "du på deg", 3)
        step("setCaretOffset(33)", lambda: field.queryText().setCaretOffset(33), long + "du på deg", 33)


if (click(pyatspi.ROLE_PUSH_BUTTON, "\u2039\u00a0Tilbake", pyatspi.ROLE_HEADING, "Mestring av panikk") and
        click(pyatspi.ROLE_PUSH_BUTTON, "Meldinger", pyatspi.ROLE_HEADING, "Meldinger med behandleren") and
        click(pyatspi.ROLE_PUSH_BUTTON, "Skriv en melding", pyatspi.ROLE_PUSH_BUTTON, "Send")):
    field = wait_until("entry", 10, entry)
    if not field:
        fail("the editor has no entry")
    else:
        print("editor: %s named %r, editable %s" % (field.getRoleName(), field.name,
                                                   field.getState().contains(pyatspi.STATE_EDITABLE)))
        if field.name != "Melding til behandleren" or not field.getState().contains(pyatspi.STATE_EDITABLE):
            fail("the field is not an editable entry named by its heading")

        def typed():
            try:
                t = field.queryText()
                return t.getText(0, -1) == "Hei på deg" and t.caretOffset == 10
            except GLib.GError:
                return False

        # the text can be read back before the event that said it is dispatched here: the event is waited for
        if not wait_until("typed", 20, typed):
            fail("the field's text is not what was typed: %r" % field.queryText().getText(0, -1))
        elif not wait_until("said", 5, lambda: [e for e in events
                                               if e[0] == "object:text-changed:insert" and e[2] == "entry"]):
            fail("typing into the field was not said as a text change: %r" %
                 [e for e in events if e[0].startswith("object:text-changed") or e[2] == "entry"])
        else:
            print("typed: %r, caret at %d, said as text-changed:insert" %
                  (field.queryText().getText(0, -1), field.queryText().caretOffset))
        if not field.getState().contains(pyatspi.STATE_FOCUSED):
            fail("the editor's field is not focused (a screen reader follows a caret only there)")
        edit_field(field)
finish()
