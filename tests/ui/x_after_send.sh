#!/usr/bin/env bash
# x_after_send.sh CLIENT SOURCE_ROOT — issue 13: in a real X window (Xvfb, no window manager) the messages screen
# went blank but for the confirmation for ~6 s after «Send», until the pointer moved; headless runs cannot see
# that, since the harness reads the renderer, not the window. Here the patient's taps and typing come from
# xdotool, and what the X server holds is dumped (xwd -root) right after «Send», 0.3 s and 3 s later with the
# pointer still, and read by xwd_check.py: the heading and the «Skriv en melding» button must be there.
# Where to tap comes from the headless client's own description at the same size. Exit 77 (CTest's skip)
# without Xvfb, xdotool or xwd (./quickstart installs xvfb, xdotool and x11-apps).
set -uo pipefail
[ $# -eq 2 ] || { echo "usage: $0 CLIENT SOURCE_ROOT"; exit 2; }
client=$(realpath "$1")
src=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
for p in Xvfb xdotool xwd; do
    command -v "$p" >/dev/null 2>&1 ||
        { echo "SKIP: $p is not installed (apt-get install xvfb xdotool x11-apps; ./quickstart does)"; exit 77; }
done
work=
xvfb=
cpid=
source "$here/../lib/stop_pid.sh"
source "$here/../lib/xvfb.sh"
cleanup() {
    stop_pid "$cpid"
    stop_pid "$xvfb"
    [ -n "$work" ] && rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
die() { echo "FAIL: $*"; exit 1; }
work=$(mktemp -d /tmp/meistring-xsend.XXXXXX) || exit 1
cd "$work" || exit 1
size=800x1280
export SDL_AUDIODRIVER=dummy XDG_DATA_HOME="$work/xdg" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

# Where the patient taps: the centres of home's «Meldinger», the messages' «Skriv en melding», the editor's «Send».
cat > where.txt <<'S'
describe home.json
tap-on button Meldinger
describe messages.json
tap-on button Skriv en melding
type Hei
describe editor.json
quit
S
"$client" --headless $size --script where.txt --data-dir "$work/probe" || die "the headless probe did not run"
centre() { # centre FILE TEXT → "x y"
    python3 - "$1" "$2" <<'PY'
import json, sys
for e in json.load(open(sys.argv[1]))["elements"]:
    if e.get("role") == "button" and e.get("text") == sys.argv[2] and e.get("bounds"):
        x, y, w, h = e["bounds"]
        print(x + w // 2, y + h // 2)
        break
PY
}
read -r mx my <<<"$(centre home.json Meldinger)"
read -r wx wy <<<"$(centre messages.json 'Skriv en melding')"
read -r sx sy <<<"$(centre editor.json Send)"
[ -n "${mx:-}" ] && [ -n "${wx:-}" ] && [ -n "${sx:-}" ] || die "a button was not in the headless description"

start_xvfb "$size" || die "Xvfb did not start within 10 s"
# the control: the bare X screen, before the client, must fail the check (a check that passes a blank screen
# would pass the defect too)
xwd -root -silent > blank.xwd || die "xwd could not dump the screen"
python3 "$here/xwd_check.py" blank.xwd "$src/src/ui/include/ui/theme.h" > blank.txt
[ $? = 1 ] || { cat blank.txt; die "xwd_check.py does not fail a blank X screen"; }

"$client" --data-dir "$work/data" > client.log 2>&1 &
cpid=$!
for _ in $(seq 100); do # the window mapped and drawn: its top bar is on the root
    xdotool search --sync --onlyvisible --class meistring >/dev/null 2>&1 && break
    sleep 0.1
done
sleep 1
tap() { xdotool mousemove "$1" "$2" click 1; sleep 0.8; }
tap "$mx" "$my"
tap "$wx" "$wy"
xdotool type --delay 60 Hei
sleep 0.5
xdotool mousemove "$sx" "$sy" click 1
failed=0
for t in 0.3 3; do
    sleep "$t"
    xwd -root -silent > "after-$t.xwd" || die "xwd could not dump the screen"
    python3 "$here/xwd_check.py" "after-$t.xwd" "$src/src/ui/include/ui/theme.h" ||
        { echo "FAIL: $t s after «Send» the X window does not show the messages screen whole"; failed=1; }
done
kill -0 "$cpid" 2>/dev/null || { cat client.log; die "the client is gone"; }
[ $failed = 0 ] && echo "PASS: the messages screen is whole in the X window after «Send», the pointer still"
exit $failed
