#!/usr/bin/env bash
# orca.sh CLIENT WORKDIR — the client with Orca itself, as a blind patient has it (WCAG 4.1.2, 4.1.3, 2.1.1): a
# private session bus with at-spi2-core's accessibility bus, Orca (Debian's, unchanged, in an Xvfb display of its
# own, since it is a GTK program), and the headless client with --a11y walked by tests/a11y/orca_walk.txt. Orca's
# speech goes to orca/meistring_speech_log.py, a speech server that writes each utterance to a file instead of
# sounding it (Orca's own settings choose it: orca/user-settings.conf), so what is asserted is what Orca would have
# said to a person, in order: the focus moving on home and into a module, a locked module's message, the editor's
# field, «Lesehjelp»'s choices — and F1, «Hjelp nå», which aborted the client under Orca (a function key was given
# to the screen reader as two bytes of no UTF-8, and D-Bus aborts on those). On a page and on «Hjelp nå» (no
# control in its content) KP_Add once, Orca's say all, reads the screen in order from its heading (it read only the
# element with the focus, and on «Hjelp nå» the window's name); then Orca's other commands on «Hjelp nå»: KP_Add
# twice, its say all by flat review, reads the screen («113», «116 117»); KP_8
# says a line of it again and KP_2 its character — and the client did not act on those keys (KP_Add is its larger
# text: the walk's expect-setting text_pct 100). Orca matches its commands by X keycode, so this needs the key's
# real one, and the key told before the client acts on it (a11y.c).
# Skips (77) where Orca, Xvfb, at-spi2-core, dbus or the module are missing, unless MEISTRING_REQUIRE_PACKAGES=1 (CI),
# where that fails. The walk's waits give Orca time to follow (it takes 1–3 s to find a new application).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ "${1:-}" = --inner ]; then
    shift
    client=$1
    work=$2
    source "$here/../lib/stop_pid.sh"
    source "$here/../lib/xvfb.sh"
    xvfb= bus= orca=
    trap 'stop_pid "$orca"; stop_pid "$bus"; stop_pid "$xvfb"' EXIT
    cd "$work"
    start_xvfb 1024x768
    /usr/libexec/at-spi-bus-launcher --launch-immediately >bus.log 2>&1 &
    bus=$!
    # Orca's own settings (its speech server is the log), a copy it may write to; English, so its words are known
    mkdir -p prefs
    cp "$here/orca/user-settings.conf" prefs/
    : >said.txt
    LANG=C.UTF-8 LANGUAGE= PYTHONPATH="$here/orca" MEISTRING_ORCA_SPEECH="$work/said.txt" \
        orca -u "$work/prefs" --replace -d braille -d braille-monitor -d main-window -d splash-window \
        >orca.log 2>&1 &
    orca=$!
    for _ in $(seq 300); do
        grep -q 'Screen reader on' said.txt && break
        kill -0 "$orca" 2>/dev/null || break
        sleep 0.1
    done
    grep -q 'Screen reader on' said.txt || { echo "FAIL: Orca did not start"; tail -20 orca.log; exit 1; }
    rc=0
    SDL_AUDIODRIVER=dummy "$client" --a11y --headless 800x1280 --script "$here/orca_walk.txt" \
        --data-dir "$work/data" >client.log 2>&1 || rc=$?
    sleep 1
    failed=0
    if [ "$rc" != 0 ]; then
        echo "FAIL: the client ended with $rc under Orca:"
        tail -5 client.log
        failed=1
    fi
    # what Orca said, in this order (each after the one before)
    "${PYTHON:-python3}" - "$work/said.txt" <<'EOF' || failed=1
import sys
# a no-break space (the client keeps «116 117» on one line) compared as a space
said = open(sys.argv[1], encoding="utf-8").read().replace("\u00a0", " ").splitlines()
want = [
    ("Tab on home: the first control", "Meldinger push button"),
    ("Tab again: module 1's card, with its state", "Modul 1: Hva er panikk? – Åpen"),
    ("Return on it: the module, its first control", "Start modulen push button"),
    ("a page: KP_Add once, Orca's say all, reads it from its heading", "say all: Velkommen til kurset"),
    ("... then its callout", "say all: Dette kurset er laget"),
    ("... its picture's alt text", "say all: En rolig tegning"),
    ("... and its last paragraph", "say all: Godt at du er her"),
    ("a locked module: its message line, as a notification", "notification Denne modulen åpnes når du har sendt inn"),
    ("F1: the key said by its name", "F1"),
    ("F1: «Hjelp nå» opens (the window is named by it)", "Hjelp nå"),
    ("KP_Add once: say all reads «Hjelp nå» from its title: its first number", "say all: 113"),
    ("... its second", "say all: 116 117"),
    ("... and on to the clinic's", "say all: Klinikken din"),
    ("KP_Add twice: Orca's flat review say all reads «Hjelp nå»: its first number", "113"),
    ("... and its second", "116 117"),
    ("the editor: its field, named by its question", "Melding til behandleren entry"),
    ("«Lesehjelp»: a colour is a radio button", "radio button"),
]
at = 0

def says(line, text):  # what say all read is written «say all: …»: words wanted from it only there, others elsewhere
    return text in line and line.startswith("say all: ") == text.startswith("say all: ")


for why, text in want:
    hit = next((i for i in range(at, len(said)) if says(said[i], text)), None)
    if hit is None:
        print("FAIL: Orca did not say «%s» (%s) after line %d; it said:" % (text, why, at))
        print("\n".join("  " + s for s in said))
        sys.exit(1)
    at = hit + 1
    if text == "116 117":
        # KP_8 (flat review: this line) says a line of the screen again, KP_2 (this character) its first letter
        again = next((i for i in range(hit + 1, len(said) - 1)
                      if said[i] in said[hit:i] and len(said[i]) > 1 and said[i + 1] == said[i][0]), None)
        if again is None:
            print("FAIL: Orca's flat review (KP_8, KP_2) said no line of «Hjelp nå» again; it said:")
            print("\n".join("  " + s for s in said))
            sys.exit(1)
        at = again + 2
print("orca said, in order: " + " | ".join(said[1:]))
EOF
    exit $failed
fi

client=$1
work=$2
skip() {
    if [ "${MEISTRING_REQUIRE_PACKAGES:-}" = 1 ]; then echo "FAIL: $* (MEISTRING_REQUIRE_PACKAGES=1)"; exit 1; fi
    echo "SKIP: $*"
    exit 77
}
command -v orca >/dev/null || skip "no orca"
command -v Xvfb >/dev/null || skip "no Xvfb (xvfb)"
[ -x /usr/libexec/at-spi-bus-launcher ] || skip "no at-spi-bus-launcher (at-spi2-core)"
command -v dbus-run-session >/dev/null || skip "no dbus-run-session (dbus)"
[ -e "$(dirname "$client")/meistring-a11y.so" ] || skip "no meistring-a11y.so beside the client"
rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)
# the session's own settings and runtime dir: nothing of the machine's desktop is read or written
export XDG_RUNTIME_DIR="$work/run" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/xdg-data" HOME="$work"
export GSETTINGS_BACKEND=memory
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
unset AT_SPI_BUS_ADDRESS DBUS_SESSION_BUS_ADDRESS NO_AT_BRIDGE DISPLAY WAYLAND_DISPLAY
# Debian's python3 for the check, as Orca's own
export PYTHON=/usr/bin/python3
exec dbus-run-session -- bash "$0" --inner "$(cd "$(dirname "$client")" && pwd)/$(basename "$client")" "$work"
