# tests/kiosk/common.sh — sourced by cage.sh and measure.sh: cage's headless backend with its software renderer,
# run as an unprivileged user (cage refuses root), on a copy of the client that user can read.
#
#   kiosk_prepare CLIENT SOURCE_ROOT   makes $work (a temp dir: the copy, assets, fonts, the runtime dir) and
#                                      $kiosk_conf, the configuration the kiosk needs to start (below)
#   as_kiosk CMD...                    runs CMD as that user with only the environment cage needs
#   kiosk_client_of CAGE_PID           the client cage started (empty while there is none)
#   kiosk_shot CAGE_PID FILE           a grim screenshot (PPM) of that cage's output; false if it failed
#   kiosk_start_supervisor SEC ARGS... cage with the client, restarted SEC s after it exits (Restart=always)
#   kiosk_stop_supervisor              ends what kiosk_start_supervisor started (its process group)
#   kiosk_cleanup                      that, and removes $work
#
# Why `cage -r` (a portrait output): on the headless backend a fullscreen client's buffer is "scanned out" (cage
# hands it to the output as it is), and grim then reads the last frame cage composited itself, not the client's
# latest. Rotating the output makes cage composite every frame, as it must on a real screen whose DRM plane
# cannot show a client's shared-memory buffer, so the screenshot is what a visitor would see.

KIOSK_USER=${KIOSK_USER:-meistring-kiosk-test}
KIOSK_CAGE_FLAGS=${KIOSK_CAGE_FLAGS:--d -r}
work=
supervisor=

kiosk_need() { # the programs without which cage cannot run here; exit 77 (skip) when one is absent
    local p
    for p in "$@"; do
        if ! command -v "$p" >/dev/null 2>&1; then
            echo "SKIP: $p is not installed (apt-get install --no-install-recommends cage grim xwayland; ./quickstart does)"
            exit 77
        fi
    done
}

kiosk_prepare() {
    local client=$1 src=$2
    if [ "$(id -u)" = 0 ]; then
        if ! id -u "$KIOSK_USER" >/dev/null 2>&1; then
            useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$KIOSK_USER" ||
                { echo "FAIL: cannot create the user $KIOSK_USER"; exit 1; }
        fi
        # wlroots starts Xwayland's socket in /tmp/.X11-unix; made here with the usual sticky, shared mode
        [ -d /tmp/.X11-unix ] || install -d -m 1777 /tmp/.X11-unix
    fi
    work=$(mktemp -d /tmp/meistring-kiosk.XXXXXX) || exit 1
    chmod 755 "$work"
    mkdir -p "$work/share" "$work/run" "$work/out"
    cp "$client" "$work/meistring"
    cp -r "$src/assets" "$src/fonts" "$work/share/"
    chmod -R a+rX "$work"
    if [ "$(id -u)" = 0 ]; then chown "$KIOSK_USER" "$work/run" "$work/out"; fi
    chmod 700 "$work/run"
    kiosk_config "$client"
}

# kiosk_config CLIENT — $work/kiosk.conf, readable by the kiosk's user: --kiosk does not start without a valid
# configuration with a staff PIN (docs/kiosk-config.md). The PIN's hash is made by the client itself (2468). The
# idle timeout is the longest allowed (1 h), so that no warning covers the screen while a test looks at it.
kiosk_conf=
kiosk_config() {
    kiosk_conf=$work/kiosk.conf
    { printf 'idle_timeout = 3600\nwarning = 15\n'; printf '2468\n2468\n' | "$1" --kiosk-hash-pin; } > "$kiosk_conf" ||
        { echo "FAIL: cannot make the kiosk's configuration with $1 --kiosk-hash-pin"; exit 1; }
    chmod 644 "$kiosk_conf"
}

kiosk_argv() { # kargv: the words that run a command as that user, with only the environment cage needs
    local envs=(PATH=/usr/bin:/bin HOME=/nonexistent XDG_RUNTIME_DIR="$work/run" WLR_BACKENDS=headless
                WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 SDL_AUDIODRIVER=dummy
                ${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} ${UBSAN_OPTIONS:+UBSAN_OPTIONS=$UBSAN_OPTIONS} ${KIOSK_ENV:-})
    kargv=(env -i "${envs[@]}")
    if [ "$(id -u)" = 0 ]; then
        kargv=(setpriv --reuid="$KIOSK_USER" --regid="$KIOSK_USER" --init-groups "${kargv[@]}")
    fi
}

as_kiosk() {
    local kargv
    kiosk_argv
    "${kargv[@]}" "$@"
}

# kiosk_start_supervisor RESTART_SEC CLIENT_ARGS... — cage with the client, started again RESTART_SEC after it
# exits, as systemd's Restart=always does with the unit (cage ends when its client ends). In its own process
# group, so that kiosk_cleanup ends exactly what it started. $work/cage.pid names the cage running now.
kiosk_start_supervisor() {
    local restart_sec=$1
    shift
    {
        echo '#!/usr/bin/env bash'
        echo "cd '$work'"
        declare -p work KIOSK_USER KIOSK_ENV KIOSK_CAGE_FLAGS 2>/dev/null
        declare -f kiosk_argv
        echo 'kiosk_argv'
        echo 'while [ ! -e "$work/stop" ]; do'
        echo '    # setpriv and env replace themselves: $! is cage'
        printf '    "${kargv[@]}" cage $KIOSK_CAGE_FLAGS -- "$work/meistring"'
        printf ' %q' "$@"
        echo ' >> "$work/cage.log" 2>&1 &'
        echo '    echo $! > "$work/cage.pid.new" && mv "$work/cage.pid.new" "$work/cage.pid"'
        echo '    wait $!'
        echo '    echo "cage exited $?" >> "$work/restarts.log"'
        echo "    sleep $restart_sec"
        echo 'done'
    } > "$work/supervise.sh"
    chmod 755 "$work/supervise.sh"
    setsid "$work/supervise.sh" </dev/null >/dev/null 2>&1 &
    supervisor=$!
}

kiosk_cage_pid() { cat "$work/cage.pid" 2>/dev/null; }

kiosk_client_of() {
    local c
    for c in $(pgrep -P "$1" 2>/dev/null); do
        [ "$(cat "/proc/$c/comm" 2>/dev/null)" = meistring ] && { echo "$c"; return; }
    done
}

kiosk_shot() {
    local cage=$1 file=$2 sock
    # the newest socket in the runtime dir is this cage's (the client's environment is not readable: it makes
    # itself non-dumpable)
    [ -n "$(kiosk_client_of "$cage")" ] || return 1
    sock=$(cd "$work/run" && ls -t 2>/dev/null | grep -E '^wayland-[0-9]+$' | head -1)
    [ -n "$sock" ] || return 1
    rm -f "$work/out/shot.ppm"
    KIOSK_ENV="WAYLAND_DISPLAY=$sock" as_kiosk timeout 5 grim -t ppm "$work/out/shot.ppm" 2>/dev/null || return 1
    cp "$work/out/shot.ppm" "$file"
}

kiosk_stop_supervisor() { # ends the supervisor's process group: the loop, cage, Xwayland and the client
    [ -n "$work" ] && touch "$work/stop" 2>/dev/null
    if [ -n "$supervisor" ] && kill -0 "$supervisor" 2>/dev/null; then
        kill -TERM -- "-$supervisor" 2>/dev/null
        for _ in $(seq 30); do kill -0 -- "-$supervisor" 2>/dev/null || break; sleep 0.1; done
        kill -KILL -- "-$supervisor" 2>/dev/null
    fi
    wait "$supervisor" 2>/dev/null
    supervisor=
    [ -n "$work" ] && rm -f "$work/stop" "$work/cage.pid"
}

kiosk_cleanup() {
    kiosk_stop_supervisor
    [ -n "$work" ] && rm -rf "$work"
    work=
}
