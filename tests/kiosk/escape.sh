#!/usr/bin/env bash
# tests/kiosk/escape.sh CLIENT SOURCE_ROOT — no way out of the kiosk for a visitor (issue 11; src/app/kiosk.c),
# through the real program under a real X server: Xvfb (800×1280, a free display from -displayfd), no window
# manager, the client as `meistring --kiosk-config FILE` in the environment a service gives it (env -i), the whole
# session under strace.
#   1. no start unguarded: a missing configuration, one with a bad line and one without a staff PIN each end the
#      client with a non-zero status and a message naming the file and the problem, and it never even connects
#      to the X server (no window);
#   2. the kiosk starts fullscreen on X11 with the software renderer, its window mapped, focused and the keyboard
#      grabbed (another program's XGrabKeyboard gets AlreadyGrabbed);
#   3. the keys: Alt+F4, Ctrl+Q, Ctrl+W, Escape, Alt+Tab, Super, Super+D, Ctrl+Alt+Backspace, Ctrl+Alt+Delete,
#      Ctrl+Alt+F1, Alt+F1, Alt+F2, Alt+Space, Menu, Ctrl+C, Ctrl+V, each sent twice as real X key events (`xdotool key --window W`, a sent event to the
#      window, and plain `xdotool key`, XTEST, as a keyboard types), on the attract screen and again over the
#      help screen (there Escape is Back, as it should be, and is left out): after each the client runs, its
#      window is viewable, has the input focus and the keyboard grab, shows exactly the same pixels, and no
#      other window appeared. The control, before, between and after: F1 does open help and Escape does go back
#      from it, by both ways of sending, so the keys demonstrably reach the client;
#   4. the window manager's close request (WM_PROTOCOLS/WM_DELETE_WINDOW, what Alt+F4 or a title bar's × becomes
#      under a window manager; tests/kiosk/xwin.py sends it, as `xdotool windowclose` destroys the window instead)
#      is logged as ignored and changes nothing;
#   5. the mouse: a right and a middle click, and a right and a left press held for a second, open nothing and
#      change nothing; the control: a left click on the same button does go in (home);
#   6. signals: SIGINT, SIGHUP, SIGQUIT and SIGTSTP leave it running (not stopped) and answering keys; SIGTERM
#      ends it with status 0 within 3 s (it starts with every signal at its default, checked: bash would start it
#      with SIGINT and SIGQUIT ignored already);
#   7. the network: in the whole session no socket but AF_UNIX (and AF_NETLINK, which the unit allows) is
#      created — no AF_INET or AF_INET6 — and connect() reaches only the X server's socket (a D-Bus, PulseAudio
#      or nscd socket would be allowed and listed). What the client tried to run (execve) is listed too.
# What this does not cover: a window manager's or compositor's own bindings and the X server's (Ctrl+Alt+Fn VT
# switching, Ctrl+Alt+Backspace zap) act before any client sees the key; cage and the logind drop-in answer for
# those (dist/kiosk, tests/kiosk/cage.sh). `xdotool windowkill`/`windowclose` (the X server cutting the client
# off, another X client destroying its window) end it with status 1; no visitor can do either, and the unit
# restarts it.
# Exit 77 (CTest's skip) when Xvfb, xdotool or xwininfo is absent (./quickstart installs xvfb, xdotool and
# x11-utils). Every wait is bounded; everything started is ended and the temp dir removed on exit.
set -uo pipefail
[ $# -eq 2 ] || { echo "usage: $0 CLIENT SOURCE_ROOT"; exit 2; }
client=$(realpath "$1")
src=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)

for p in Xvfb xdotool xwininfo; do
    command -v "$p" >/dev/null 2>&1 ||
        { echo "SKIP: $p is not installed (apt-get install xvfb xdotool x11-utils; ./quickstart does)"; exit 77; }
done
for p in strace python3; do
    command -v "$p" >/dev/null 2>&1 || { echo "FAIL: $p is needed (./quickstart installs it)"; exit 1; }
done
strace_bin=$(command -v strace)
# the interpreter itself, not a version manager's shim in front of it (pyenv's costs 0.3 s a start; xwin.py runs
# about a hundred times)
py=$(python3 -c 'import sys; print(sys.executable)') || { echo "FAIL: python3 does not run"; exit 1; }

work=
xvfb=
tracer=
cpid=
source "$here/../lib/stop_pid.sh"
source "$here/../lib/xvfb.sh"
cleanup() {
    stop_pid "$cpid"
    stop_pid "$tracer"
    stop_pid "$xvfb"
    [ -n "$work" ] && rm -rf "$work"
    work=
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

work=$(mktemp -d /tmp/meistring-escape.XXXXXX) || exit 1
mkdir -p "$work/home"
cd "$work" || exit 1
failed=0
fail() {
    echo "FAIL: $*"
    failed=1
}
die() {
    echo "FAIL: $*"
    exit 1
}
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
t_start=$(date +%s%N)
size=800x1280

# The environment a service gives the client: nothing of the caller's but the sanitizers' options, and every
# signal at its default (bash starts a background command with SIGINT and SIGQUIT ignored: the kiosk must be
# seen to ignore them itself).
# LeakSanitizer cannot run under strace (ptrace): off, as CTest has it.
cenv=(env -i --default-signal PATH=/usr/bin:/bin HOME="$work/home" SDL_AUDIODRIVER=dummy
      ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" ${UBSAN_OPTIONS:+UBSAN_OPTIONS=$UBSAN_OPTIONS})

sigign=$("${cenv[@]}" "$strace_bin" -o /dev/null grep '^SigIgn:' /proc/self/status < /dev/null &
          wait $!)
[ "$sigign" = "$(printf 'SigIgn:\t0000000000000000')" ] ||
    die "a program started the way the kiosk is has signals ignored already ($sigign): the signal checks could not fail"

# The configuration, with the staff PIN's hash made by the client itself.
{ printf 'idle_timeout = 600\nwarning = 15\n'; printf '2468\n2468\n' | "$client" --kiosk-hash-pin; } > kiosk.conf ||
    die "cannot make the kiosk's configuration with $client --kiosk-hash-pin"
grep -q '^pin_hash = \$argon2id\$' kiosk.conf || die "--kiosk-hash-pin printed no pin_hash line: $(cat kiosk.conf)"

# Where the attract screen's way in is, from the client's own description of it at the same size (headless).
printf 'expect screen attract\ndescribe attract.json\n' > layout.txt
"${cenv[@]}" "$client" --headless "$size" --kiosk-config kiosk.conf --assets "$src" --script layout.txt \
    > layout.log 2>&1 || { cat layout.log; die "the headless kiosk could not describe its attract screen"; }
read -r bx by < <("$py" - attract.json <<'EOF'
import json, sys
for e in json.load(open(sys.argv[1]))["elements"]:
    if e["role"] == "button" and e["text"].startswith("Se hvordan"):
        x, y, w, h = e["bounds"]
        print(x + w // 2, y + h // 2)
        break
EOF
)
[ -n "${by:-}" ] || die "no «Se hvordan» button in the attract screen's description (attract.json)"

# The X server: a free display number, written to fd 3 when it is ready.
start_xvfb "$size" || die "Xvfb did not start within 10 s"
cenv+=(DISPLAY="$DISPLAY")
xsock="/tmp/.X11-unix/X${DISPLAY#:}"
# the root's children as xwin.py's state prints them: sorted, joined with commas, "-" for none
toplevels() {
    local w
    w=$(xwininfo -root -children | sed -n 's/^ *\(0x[0-9a-f]*\) .*/\1/p' | LC_ALL=C sort | paste -sd,)
    echo "${w:--}"
}
echo "Xvfb on $DISPLAY ($size); top-level windows: $(toplevels)"

# 1. No start unguarded.
printf 'idle_timeout = 600\nwarning = 15\nthis line has no equals sign\n' > bad-line.conf
printf 'idle_timeout = 600\nwarning = 15\n' > no-pin.conf
refuse() { # refuse FILE WHAT PATTERN...: the kiosk does not start with FILE; its message names FILE and each PATTERN
    local conf=$1 what=$2
    shift 2
    local t rc msg p
    t=$(date +%s%N)
    "${cenv[@]}" timeout 20 "$strace_bin" -f -qq -e trace=connect -o refuse.trace \
        "$client" --kiosk-config "$conf" > refuse.out 2> refuse.err
    rc=$?
    msg=$(cat refuse.out refuse.err)
    if [ "$rc" = 0 ] || [ "$rc" = 124 ]; then
        fail "$what: the kiosk started (exit $rc after $(ms "$t") ms): $msg"
        return
    fi
    for p in "$conf" "$@"; do
        grep -qF -- "$p" <<< "$msg" || fail "$what: the message does not name «$p»: $msg"
    done
    if grep -q 'X11-unix' refuse.trace; then
        fail "$what: the client connected to the X server before refusing: $(grep 'X11-unix' refuse.trace)"
    fi
    [ "$(toplevels)" = - ] || fail "$what: a window is left on the screen: $(toplevels)"
    echo "ok: $what: exit $rc in $(ms "$t") ms, no X connection: $msg"
}
refuse "$work/missing.conf" "a missing configuration" "the kiosk will not start" "No such file"
refuse bad-line.conf "a configuration with a bad line" "the kiosk will not start" "line 3" "no '='"
refuse no-pin.conf "a configuration without a staff PIN" "the kiosk will not start" "pin_hash: missing"
[ "$failed" = 0 ] || exit 1

# 2. The kiosk, under strace for the whole session.
t=$(date +%s%N)
"${cenv[@]}" "$strace_bin" -f --seccomp-bpf -e trace=socket,connect,execve -o trace \
    "$client" --kiosk-config kiosk.conf --assets "$src" > client.log 2>&1 &
tracer=$!
W=$(timeout 30 xdotool search --sync --onlyvisible --name '^Meistring$' 2>/dev/null | head -1)
[ -n "$W" ] || { cat client.log; die "no Meistring window mapped within 30 s"; }
cpid=$(pgrep -P "$tracer" | head -1)
[ -n "$cpid" ] || die "the client under strace is gone: $(cat client.log)"
wpid=$(xdotool getwindowpid "$W" 2>/dev/null)
[ "$wpid" = "$cpid" ] || die "the window $W belongs to pid ${wpid:-?}, not to the client $cpid"
echo "window $W of client $cpid mapped $(ms "$t") ms after the start"
display_line=$(grep -a 'meistring: display:' client.log | tail -1)
case "$display_line" in
*"display: x11, software renderer"*) echo "ok: $display_line" ;;
*) fail "the client did not choose X11 with the software renderer: ${display_line:-no display line in its log}" ;;
esac
geom=$(xwininfo -id "$W" | sed -n 's/^ *-geometry \([0-9x]*\)+.*/\1/p')
[ "$geom" = "$size" ] || fail "the kiosk's window is $geom, not the screen's $size (fullscreen)"

shot() { "$py" "$here/xwin.py" hash "$W"; }
# settled: the same pixels twice, 0.3 s apart (at most 10 s); prints them
settled() {
    local a b
    a=$(shot)
    for _ in $(seq 30); do
        sleep 0.3
        b=$(shot)
        [ -n "$b" ] && [ "$a" = "$b" ] && { echo "$b"; return 0; }
        a=$b
    done
    return 1
}
# wait_shot WANT|!NOT [SECONDS]: until the window shows WANT (or anything but NOT); prints what it shows
wait_shot() {
    local want=$1 deadline=$(( $(date +%s%N) + ${2:-5} * 1000000000 )) h
    while :; do
        h=$(shot)
        case "$want" in
        !*) [ -n "$h" ] && [ "$h" != "${want#!}" ] && { settled; return; } ;;
        *) [ "$h" = "$want" ] && { echo "$h"; return 0; } ;;
        esac
        [ "$(date +%s%N)" -lt "$deadline" ] || { echo "$h"; return 1; }
        sleep 0.1
    done
}
send() { # send MODE KEY: window = an event sent to the kiosk's window; typed = XTEST, as a keyboard types
    if [ "$1" = window ]; then xdotool key --window "$W" "$2"; else xdotool key "$2"; fi
}

h_attract=$(settled) || die "the kiosk's screen did not settle within 10 s"
wins0=$(toplevels)
echo "top-level windows with the kiosk: $wins0 (the second is SDL's own 1×1 helper window, off the screen)"

# the state a visitor must not change: running, viewable, focused, holding the keyboard, the same pixels, no new
# window. No window manager, so no _NET_ACTIVE_WINDOW (`xdotool getactivewindow` fails): the input focus
# (XGetInputFocus, `xdotool getwindowfocus`) and the keyboard grab say who gets the keys. After each key xwin.py
# reads all of it at once (one process instead of five: about a hundred checks); at the start and at the end the
# same is read with xwininfo and xdotool too, and must agree.
check() { # check WHAT SHOT
    local what=$1 want=$2 h g st f w
    if ! kill -0 "$cpid" 2>/dev/null; then
        cat client.log
        die "$what: the client is gone"
    fi
    read -r h g st f w < <("$py" "$here/xwin.py" state "$W")
    [ "$st" = IsViewable ] || fail "$what: the window is ${st:-gone}, not IsViewable"
    [ "$f" = "$W" ] || fail "$what: the input focus is on ${f:-nothing}, not the kiosk's window $W"
    [ "$g" = AlreadyGrabbed ] || fail "$what: another program could grab the keyboard (${g:-no answer}): the kiosk lost its grab"
    [ "$h" = "$want" ] || fail "$what: the screen changed"
    [ "$w" = "$wins0" ] || fail "$what: the top-level windows are now $w, were $wins0"
}
crosscheck() { # crosscheck WHAT: xwininfo and xdotool see what xwin.py sees
    local h g st f w st2 f2
    read -r h g st f w < <("$py" "$here/xwin.py" state "$W")
    st2=$(xwininfo -id "$W" 2>/dev/null | sed -n 's/^ *Map State: //p')
    f2=$(xdotool getwindowfocus 2>/dev/null)
    [ "$st2" = "$st" ] && [ "$f2" = "$f" ] && [ "$(toplevels)" = "$w" ] ||
        fail "$1: xwin.py (map $st, focus $f, windows $w) and xwininfo/xdotool (map $st2, focus $f2, windows $(toplevels)) disagree"
}
check "at the start" "$h_attract"
crosscheck "at the start"
[ "$failed" = 0 ] && echo "ok: the kiosk's window is viewable (xwininfo), has the input focus (xdotool getwindowfocus), and holds the keyboard (another XGrabKeyboard: AlreadyGrabbed)"
[ "$failed" = 0 ] || exit 1

# The control: F1 opens help and Escape goes back from it (help is a level down), by both ways of sending.
h_help=
control() { # control WHEN
    local m h
    for m in window typed; do
        send "$m" F1
        h=$(wait_shot "!$h_attract") || die "$1: F1 ($m) did not open help: the keys do not reach the client, and the test could not tell anything"
        [ -z "$h_help" ] && h_help=$h
        [ "$h" = "$h_help" ] || die "$1: F1 ($m) showed another screen than help did before"
        send "$m" Escape
        wait_shot "$h_attract" > /dev/null || die "$1: Escape ($m) did not go back from help to the attract screen"
    done
    echo "ok: $1: F1 opens help and Escape goes back, sent to the window and typed"
}
control "the control before"

# the visitor's tries; Alt+F1, Alt+Space and Ctrl+Alt+Backspace would act in the client without the guard (help,
# a scroll, Back), the rest are other programs' ways out and the client's own quit and clipboard keys
keys=(alt+F4 ctrl+q ctrl+w Escape alt+Tab super super+d ctrl+alt+BackSpace ctrl+alt+Delete ctrl+alt+F1 alt+F1
      alt+F2 alt+space Menu ctrl+c ctrl+v)
settle=0.2
round() { # round SCREEN SHOT KEY...
    local screen=$1 want=$2 k m n=0 t
    shift 2
    t=$(date +%s%N)
    for k in "$@"; do
        for m in window typed; do
            send "$m" "$k"
            sleep "$settle"
            check "$k ($m) on $screen" "$want"
            n=$((n + 1))
        done
    done
    sleep 1 # a late effect of the last key
    check "a second after the last key on $screen" "$want"
    echo "ok: $n key events on $screen in $(ms "$t") ms: nothing changed"
}
round "the attract screen" "$h_attract" "${keys[@]}"
control "the control after the keys on the attract screen"
send window F1
wait_shot "$h_help" > /dev/null || die "F1 did not open help again"
help_keys=()
for k in "${keys[@]}"; do [ "$k" = Escape ] || help_keys+=("$k"); done
round "the help screen" "$h_help" "${help_keys[@]}"
send typed Escape
wait_shot "$h_attract" > /dev/null || die "Escape did not go back from help after the keys: the client stopped answering"
echo "ok: Escape still goes back from help after the keys"

# 4. The window manager's close request.
"$py" "$here/xwin.py" close "$W" || fail "xwin.py could not send the close request"
for _ in $(seq 50); do grep -q 'kiosk: a window close ignored' client.log && break; sleep 0.1; done
if grep -q 'kiosk: a window close ignored' client.log; then
    sleep "$settle"
    check "the close request (WM_DELETE_WINDOW)" "$h_attract"
    echo "ok: the close request (WM_DELETE_WINDOW) reached the client and was ignored (\"kiosk: a window close ignored\")"
else
    fail "the client did not log the close request (WM_DELETE_WINDOW) as ignored within 5 s"
fi

# 5. The mouse. Where no button is (right of the column, between its texts), then on the way in.
xdotool mousemove 784 760
h=$(settled) || die "the screen did not settle after the pointer moved"
xdotool mousedown 1; sleep 1; xdotool mouseup 1; sleep "$settle"
check "a left press held 1 s where there is no button" "$h"
xdotool mousedown 3; sleep 1; xdotool mouseup 3; sleep "$settle"
check "a right press held 1 s" "$h"
xdotool mousemove "$bx" "$by"
h=$(settled) || die "the screen did not settle after the pointer moved"
xdotool click 3; sleep "$settle"
check "a right click on «Se hvordan»" "$h"
xdotool click 2; sleep "$settle"
check "a middle click on «Se hvordan»" "$h"
xdotool mousedown 3; sleep 1; xdotool mouseup 3; sleep "$settle"
check "a right press held 1 s on «Se hvordan»" "$h"
[ "$failed" = 0 ] && echo "ok: right and middle clicks, and right and left presses held 1 s, open nothing and change nothing"
xdotool click 1
h_home=$(wait_shot "!$h") || die "the control: a left click on «Se hvordan» ($bx, $by) did not go in: the pointer does not reach the client"
check "the left click on «Se hvordan»" "$h_home"
echo "ok: the control: a left click on the same button goes in"

# 6. Signals.
for s in INT HUP QUIT TSTP; do
    kill -s "$s" "$cpid"
    sleep 1
    pstate=$(awk '{print $3}' "/proc/$cpid/stat" 2>/dev/null)
    case "$pstate" in
    T | t) fail "SIG$s stopped the client (state $pstate)" ;;
    esac
    check "a second after SIG$s" "$h_home"
done
send typed F1
wait_shot "!$h_home" > /dev/null || fail "after the signals the client does not answer a key (F1)"
crosscheck "after the signals"
[ "$failed" = 0 ] && echo "ok: SIGINT, SIGHUP, SIGQUIT and SIGTSTP leave the client running, in front, and answering keys"
t=$(date +%s%N)
kill -TERM "$cpid"
for _ in $(seq 30); do kill -0 "$tracer" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$tracer" 2>/dev/null; then
    fail "SIGTERM did not end the client within 3 s"
    stop_pid "$cpid"
fi
wait "$tracer"
rc=$?
took=$(ms "$t")
tracer=
cpid_done=$cpid
cpid=
[ "$rc" = 0 ] || fail "after SIGTERM the client exited with status $rc, not 0 (log: $(tail -3 client.log))"
grep -q 'kiosk: stopped by SIGTERM' client.log || fail "the client did not log \"kiosk: stopped by SIGTERM\""
[ "$failed" = 0 ] && echo "ok: SIGTERM ends the client with status 0 after $took ms"
[ "$(toplevels)" = - ] || fail "windows are left after the client ended: $(toplevels)"
kill -0 "$xvfb" 2>/dev/null || fail "the X server is gone (did Ctrl+Alt+Backspace reach it?)"

# 7. The network, from the whole session's trace.
grep -Eq "^$cpid_done +\+\+\+ exited with 0 \+\+\+" trace || fail "the trace does not end with the client's exit 0"
families=$(sed -n 's/^[0-9]* *socket(\([A-Z0-9_]*\),.*/\1/p' trace | sort | uniq -c | awk '{printf "%s×%s ", $1, $2}')
echo "socket() in the session: ${families:-none}"
if grep -Eq '^[0-9]+ +socket\(AF_INET6?,' trace; then
    fail "the kiosk created an AF_INET/AF_INET6 socket:"
    grep -E -B3 '^[0-9]+ +socket\(AF_INET6?,' trace | head -20
fi
others=$(grep -E '^[0-9]+ +socket\(' trace | grep -Ev 'socket\((AF_UNIX|AF_INET|AF_INET6|AF_NETLINK),')
[ -z "$others" ] || fail "the kiosk created sockets of another family: $others"
connects=$(grep -E '^[0-9]+ +connect\(' trace)
echo "connect() in the session:"
sed 's/^/    /' <<< "${connects:-    none}"
while IFS= read -r line; do
    [ -n "$line" ] || continue
    case "$line" in
    *"sa_family=AF_UNIX, sun_path=\"$xsock\""* | *"sa_family=AF_UNIX, sun_path=@\"$xsock\""*) ;;
    *"sa_family=AF_UNIX, sun_path=\"/nonexistent/meistring-kiosk-has-no-session-bus\""*)
        echo "note: the kiosk's address for no session bus (kiosk.c), refused as meant: $line" ;;
    *"sa_family=AF_UNIX, sun_path="*dbus* | *"sa_family=AF_UNIX, sun_path="*/bus\"* | \
        *"sa_family=AF_UNIX, sun_path="*pulse* | *"sa_family=AF_UNIX, sun_path="*nscd*)
        echo "note: allowed, a local service: $line" ;;
    *) fail "connect() to something but the X server's socket: $line" ;;
    esac
done <<< "$connects"
[ "$failed" = 0 ] && echo "ok: no AF_INET or AF_INET6 socket in the whole session, and connect() only to the X server ($xsock)"
execs=$(grep -E '^[0-9]+ +execve\(' trace | grep -Ev "^$cpid_done +execve\(\"$client\"")
if [ -n "$execs" ]; then
    # the kiosk starts no other program (libdbus's session autolaunch did, before kiosk_prepare named no bus)
    sed -E 's/^([0-9]+) +execve\("([^"]*)".*\) = (.*)$/    \2: \3/' <<< "$execs" | sort | uniq -c
    fail "the kiosk tried to start other programs (above)"
fi

echo "kiosk.escape: $( [ "$failed" = 0 ] && echo passed || echo FAILED ) in $(ms "$t_start") ms"
exit "$failed"
