#!/usr/bin/env bash
# tests/kiosk/measure.sh CLIENT SOURCE_ROOT [RUNS] — the figures behind the kiosk's renderer choice (issue 11,
# part 6; docs/kiosk.md), never pass/fail: for each display path, the median over RUNS starts (default 5) of
# the client's peak PSS, RSS and USS (its private pages) over its first 3 s (/proc/PID/smaps_rollup), its first-frame time (--stats:
# from the top of main() to the first frame presented), and the PSS of the display server beside it.
#   cage, X11 through Xwayland, software renderer   (what the client chooses under cage on Debian 12)
#   cage, Wayland, OpenGL ES 2 / OpenGL on llvmpipe (SDL_VIDEODRIVER=wayland: the fallback)
#   Xvfb, X11, software renderer / OpenGL ES 2      (a bare X server)
# cage runs headless with pixman as in cage.sh; Xvfb and cage's output are both 720×1280; the client runs --kiosk
# with the configuration common.sh makes (the kiosk does not start without one), on its attract screen. Run as root: the
# client makes itself non-dumpable, so only root reads its smaps_rollup. PSS shares each library's pages among
# the processes mapping it: the client's figure falls when another program maps the same libraries, and rises
# when it is alone; compare figures taken on a quiet machine, in one run.
set -uo pipefail
[ $# -ge 2 ] || { echo "usage: $0 CLIENT SOURCE_ROOT [RUNS]"; exit 2; }
client=$(realpath "$1")
src=$(realpath "$2")
runs=${3:-5}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common.sh
. "$here/common.sh"
[ "$(id -u)" = 0 ] || { echo "measure: run as root (the client's smaps_rollup is readable by root only)"; exit 1; }
kiosk_need cage Xwayland Xvfb
trap kiosk_cleanup EXIT
trap 'exit 1' INT TERM HUP
kiosk_prepare "$client" "$src"

pss() { awk '/^Pss:/ {print $2}' "/proc/$1/smaps_rollup" 2>/dev/null; }
rss() { awk '/^Rss:/ {print $2}' "/proc/$1/smaps_rollup" 2>/dev/null; }
uss() { awk '/^Private_(Clean|Dirty):/ {n += $2} END {print n}' "/proc/$1/smaps_rollup" 2>/dev/null; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# sample PID LOG — peak PSS, RSS and USS (private pages) over 3 s, then SIGTERM and the first-frame time from
# LOG; sets p r u f, server_pss (of $server) and cage_pss (of $cage)
sample() {
    local pid=$1 log=$2 i x y z
    p=0 r=0 u=0
    for i in $(seq 30); do
        x=$(pss "$pid") y=$(rss "$pid") z=$(uss "$pid")
        [ -n "$x" ] && [ "$x" -gt "$p" ] && p=$x
        [ -n "$y" ] && [ "$y" -gt "$r" ] && r=$y
        [ -n "$z" ] && [ "$z" -gt "$u" ] && u=$z
        sleep 0.1
    done
    [ "${server:-}" = xwayland ] && server=$(pgrep -g "$supervisor" -x Xwayland | head -1)
    server_pss=$(pss "${server:-0}")
    cage_pss=$(pss "${cage:-0}")
    kill -TERM "$pid"
    for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    f=$(sed -n 's/.*first-frame-ms=\([0-9.]*\).*/\1/p' "$log" | tail -1)
}

report() { # report LABEL SERVER-NAME
    echo "$1: client pss-kb=$(median "${ps[@]}") rss-kb=$(median "${rs[@]}") uss-kb=$(median "${us[@]}") first-frame-ms=$(median "${fs[@]}") $2-pss-kb=$(median "${ss[@]}") ($runs runs; $(grep -a 'display:' "$work/last.log" | tail -1 | sed 's/^meistring: //'))"
}

cage_path() { # cage_path LABEL [ENV=VALUE]
    local label=$1 i c k
    ps=() rs=() us=() fs=() ss=() cs=()
    for i in $(seq "$runs"); do
        : > "$work/cage.log"
        KIOSK_ENV=${2:-} kiosk_start_supervisor 1 --kiosk --kiosk-config "$kiosk_conf" --stats --assets "$work/share"
        k=
        for _ in $(seq 100); do
            c=$(kiosk_cage_pid)
            [ -n "$c" ] && k=$(kiosk_client_of "$c")
            [ -n "$k" ] && break
            sleep 0.05
        done
        [ -n "$k" ] || { echo "$label: the client did not start"; cat "$work/cage.log"; kiosk_stop_supervisor; return; }
        touch "$work/stop" # no restart after the SIGTERM below
        cage=$c
        server=xwayland # Xwayland starts when the client connects; wlroots forks it twice: found in the group
        sample "$k" "$work/cage.log"
        kiosk_stop_supervisor
        cp "$work/cage.log" "$work/last.log"
        ps+=("$p") rs+=("$r") us+=("$u") fs+=("${f:-0}") ss+=("${server_pss:-0}") cs+=("${cage_pss:-0}")
    done
    report "$label" xwayland
    echo "    cage-pss-kb=$(median "${cs[@]}")"
}

xvfb_path() { # xvfb_path LABEL [ENV=VALUE]
    local label=$1 i k xp num
    ps=() rs=() us=() fs=() ss=()
    for i in $(seq "$runs"); do
        rm -f "$work/xvfb.num"
        Xvfb -displayfd 3 -screen 0 720x1280x24 -nolisten tcp 3> "$work/xvfb.num" 2>/dev/null &
        xp=$!
        for _ in $(seq 50); do [ -s "$work/xvfb.num" ] && break; sleep 0.1; done
        num=$(cat "$work/xvfb.num")
        env ${2:-} DISPLAY=":$num" SDL_AUDIODRIVER=dummy "$work/meistring" --kiosk --kiosk-config "$kiosk_conf" --stats --assets "$work/share" \
            > "$work/last.log" 2>&1 &
        k=$!
        server=$xp cage=
        sample "$k" "$work/last.log"
        wait "$k" 2>/dev/null
        kill "$xp"
        wait "$xp" 2>/dev/null
        ps+=("$p") rs+=("$r") us+=("$u") fs+=("${f:-0}") ss+=("${server_pss:-0}")
    done
    report "$label" xvfb
}

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); $(cage -v 2>&1 | head -1); SDL $(dpkg-query -W -f='${Version}' libsdl2-2.0-0 2>/dev/null); Mesa $(dpkg-query -W -f='${Version}' libgl1-mesa-dri 2>/dev/null)"
cage_path "cage  x11 (Xwayland) software"
cage_path "cage  wayland opengles2        " SDL_VIDEODRIVER=wayland
cage_path "cage  wayland opengl           " "SDL_VIDEODRIVER=wayland SDL_RENDER_DRIVER=opengl"
xvfb_path "Xvfb  x11 software             "
xvfb_path "Xvfb  x11 opengles2            " SDL_RENDER_DRIVER=opengles2
