#!/usr/bin/env bash
# tests/kiosk/cage.sh CLIENT SOURCE_ROOT — the kiosk under cage, the Wayland kiosk compositor (issue 11, parts 6
# and 7), through the real program: cage's headless backend with its software renderer (pixman), run as an
# unprivileged user (meistring-kiosk-test, made with useradd when run as root, as CI does), the client in
# --kiosk mode from a copy that user can read, with a configuration it can read (common.sh: kiosk_config; the
# kiosk does not start without one).
#   0. the control: shot_check.py, which tells the attract screen from the rest by its look (a bare top bar, a
#      full-width primary button), says "attract" for the headless client's shot of the attract screen and "not
#      attract" for its shot of home, at cage's output size: the check below can fail;
#   1. the first frame comes, a grim screenshot shows the attract screen the kiosk starts on (shot_check.py), and
#      the client chose the lighter path: X11 through cage's Xwayland with the software renderer (docs/kiosk.md);
#   2. kill -9 of the client under the restart policy of dist/kiosk/meistring-kiosk.service (Restart=always,
#      RestartSec read from the unit; cage ends with its client and is started again, as systemd would): a new
#      client, its attract screen, within 5 s of the kill;
#   3. on Wayland itself (SDL_VIDEODRIVER=wayland) the software renderer cannot be made and the client falls back
#      to OpenGL ES 2 (llvmpipe): it starts and its attract screen is right there too.
# Exit 77 (CTest's skip) only when cage or grim is absent; ./quickstart installs them. Every wait is bounded;
# everything started is ended and the temp dir removed on exit.
set -uo pipefail
[ $# -eq 2 ] || { echo "usage: $0 CLIENT SOURCE_ROOT"; exit 2; }
client=$(realpath "$1")
src=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common.sh
. "$here/common.sh"

kiosk_need cage grim
command -v python3 >/dev/null || { echo "FAIL: python3 is needed"; exit 1; }
if ! command -v Xwayland >/dev/null; then
    echo "FAIL: cage on Debian 12 does not start without Xwayland (apt-get install xwayland; ./quickstart does)"
    exit 1
fi
if [ "$(id -u)" = 0 ] && ! command -v setpriv >/dev/null; then
    echo "FAIL: setpriv (util-linux) is needed to run cage as $KIOSK_USER"
    exit 1
fi

unit=$src/dist/kiosk/meistring-kiosk.service
grep -qx 'Restart=always' "$unit" || { echo "FAIL: $unit does not say Restart=always"; exit 1; }
restart_sec=$(sed -n 's/^RestartSec=\([0-9][0-9.]*\)$/\1/p' "$unit")
[ -n "$restart_sec" ] || { echo "FAIL: $unit names no RestartSec in seconds"; exit 1; }

trap kiosk_cleanup EXIT
trap 'exit 1' INT TERM HUP
kiosk_prepare "$client" "$src"
theme=$src/src/ui/include/ui/theme.h
failed=0
fail() {
    echo "FAIL: $*"
    failed=1
}
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
# cage's headless output: wlroots makes it 1280×720, and -r (KIOSK_CAGE_FLAGS) turns it to portrait
cage_size=720x1280

# 0. The control: the same check on the headless client's own shots of the attract screen and of home.
cat > "$work/control.txt" <<'EOF'
expect screen attract
shot control-attract.png
tap-on button Se hvordan
expect screen home
shot control-home.png
EOF
if ! (cd "$work" && SDL_AUDIODRIVER=dummy "$client" --headless "$cage_size" --kiosk-config "$kiosk_conf" \
        --assets "$work/share" --script control.txt) > "$work/control.log" 2>&1; then
    cat "$work/control.log"
    echo "FAIL: the headless client could not take the control shots of the attract screen and home"
    exit 1
fi
if python3 "$here/shot_check.py" "$work/control-attract.png" "$theme" > "$work/check.txt"; then
    echo "control, the attract screen headless: $(cat "$work/check.txt")"
else
    cat "$work/check.txt"
    fail "shot_check.py does not see the attract screen in the headless client's shot of it"
fi
if python3 "$here/shot_check.py" "$work/control-home.png" "$theme" > "$work/check.txt"; then
    cat "$work/check.txt"
    fail "shot_check.py takes home for the attract screen: it cannot tell the kiosk's start screen"
else
    echo "control, home headless: $(cat "$work/check.txt")"
fi
[ "$failed" = 0 ] || exit 1

# wait_frame SECONDS [OLD_PID] — until a client other than OLD_PID shows its attract screen; prints its pid
wait_frame() {
    local deadline=$(( $(date +%s%N) + $1 * 1000000000 )) old=${2:-} cage c
    while [ "$(date +%s%N)" -lt "$deadline" ]; do
        cage=$(kiosk_cage_pid)
        c=
        [ -n "$cage" ] && c=$(kiosk_client_of "$cage")
        if [ -n "$c" ] && [ "$c" != "$old" ] && kiosk_shot "$cage" "$work/frame.ppm" &&
            python3 "$here/shot_check.py" "$work/frame.ppm" "$theme" > "$work/check.txt"; then
            echo "$c"
            return 0
        fi
        sleep 0.1
    done
    return 1
}
show_logs() {
    echo "--- cage and client log (last 30 lines):"
    grep -v 'Basic output test failed' "$work/cage.log" 2>/dev/null | tail -30
    [ -f "$work/check.txt" ] && cat "$work/check.txt"
}

# 1. The first frame, and the path the client chose.
t=$(date +%s%N)
kiosk_start_supervisor "$restart_sec" --kiosk --kiosk-config "$kiosk_conf" --assets "$work/share"
if first=$(wait_frame 20); then
    echo "first frame under cage after $(ms "$t") ms (cage, Xwayland and the client started): client pid $first"
    cat "$work/check.txt"
    grep -q "^shot: $cage_size," "$work/check.txt" || fail "cage's output is not $cage_size, the control's size"
    display=$(grep -a 'meistring: display:' "$work/cage.log" | tail -1)
    echo "${display:-no display line in the log}"
    case "$display" in
    *"display: x11, software renderer"*) ;;
    *) fail "the client did not choose X11 with the software renderer under cage (docs/kiosk.md)" ;;
    esac
else
    fail "no frame of the client's attract screen under cage within 20 s"
    show_logs
    exit 1
fi

# 2. kill -9 of the client: cage ends with it, the unit's policy starts both again.
t=$(date +%s%N)
kill -KILL "$first"
if again=$(wait_frame 5 "$first"); then
    echo "after kill -9 of $first: client $again shows its attract screen $(ms "$t") ms after the kill (Restart=always, RestartSec=$restart_sec)"
    cat "$work/check.txt"
    grep -q 'cage exited' "$work/restarts.log" 2>/dev/null || fail "cage was not started again after its client died"
else
    fail "the kiosk was not back within 5 s of kill -9 (Restart=always, RestartSec=$restart_sec)"
    show_logs
fi
kiosk_stop_supervisor

# 3. Wayland itself: the fallback renderer.
: > "$work/cage.log"
t=$(date +%s%N)
KIOSK_ENV=SDL_VIDEODRIVER=wayland kiosk_start_supervisor "$restart_sec" --kiosk --kiosk-config "$kiosk_conf" --assets "$work/share"
if wl=$(wait_frame 20); then
    display=$(grep -a 'meistring: display:' "$work/cage.log" | tail -1)
    echo "on Wayland: first frame after $(ms "$t") ms, client pid $wl; $display"
    cat "$work/check.txt"
    case "$display" in
    *"display: wayland, opengles2 renderer"* | *"display: wayland, opengl renderer"*) ;;
    *) fail "on Wayland the client did not fall back to a GL renderer" ;;
    esac
else
    fail "no frame of the client's attract screen on Wayland (SDL_VIDEODRIVER=wayland) within 20 s"
    show_logs
fi
kiosk_stop_supervisor

[ "$failed" = 0 ] && echo "kiosk.cage: passed"
exit "$failed"
