#!/usr/bin/env bash
# tests/lifecycle/xfocus.sh CLIENT SERVER DEMO WORKDIR — the loaned tablet locks when it is left (issue 12;
# src/app/lock.c lock_guard / lock_tick, MS_LOCK_FOCUS_GRACE_S = 30 s, MS_LOCK_AFTER_S = 300 s), through the real
# client in a real X11 window under Xvfb (no window manager), with the focus taken away by real X requests.
#
# Set-up, headless: the reference server on loopback (tests/lib/clinic.sh), a reply from the therapist that names
# the patient («Hei Siri, …»), then enrolment on the on-screen keypad with the clinic's 8-digit code, the PIN
# screen (nothing but the PIN behind it), the PIN 246813 chosen (pin-auto), home. That data dir is copied for each
# case below, so every case starts from the same enrolled, locked tablet.
#
# Each case: `meistring --window 800x1280 --data-dir D --server URL --script S` with SDL_VIDEODRIVER=x11; the script
# types the PIN on the lock pad itself (no pin-auto: the lock must stay on top once it is there), opens the
# messages (the patient's name on screen), describes it, then waits 6 s while this script acts on the X server;
# then `advance 31000` (the client's clock 31 s on, past the 30 s grace but far from the 300 s idle lock),
# `wait 300`, and the case's expectations:
#   focus    xmessage is started and given the input focus (`xdotool windowfocus`, XSetInputFocus: the client's
#            window gets FocusOut, SDL_WINDOWEVENT_FOCUS_LOST) → locked, the log says «locked (away)», the lock
#            shows no patient data («Siri», the message, the modules, «Meldinger»), check-layout and check-ink
#            pass; the focus given back does not open it; «Hjelp nå» opens help over the lock and Back returns to
#            the lock (not to the messages)
#   unmap    the client's window is unmapped (`xdotool windowunmap`: UnmapNotify, SDL_WINDOWEVENT_HIDDEN) → the
#            same; the window mapped again does not open it
#   blip     the focus goes to xmessage and comes back within a second, eight times → still open before and after
#            the advance (each loss starts the grace; none locks at once)
# and in focus and unmap, still open after the 6 s away (within the grace) before the advance.
#   control  nothing is done to the window (and it is checked to hold the focus throughout) → still open, no
#            «locked» line in the log: the lock in the first two cases is the focus loss's, not the clock's
#   idle     nothing done; `advance 295000` → still open; `advance 6000` (idle past 300 s) → locked, «locked (idle)»
# Found with it (not fixed here): src/app/lock.c sets away_since = app_ticks | 1u, one millisecond in the future
# when the clock is even; lock_tick in that same millisecond computes app_ticks - away_since as an unsigned
# 0xFFFFFFFF, past the grace, and locks at once («locked (away)» a moment after FOCUS_LOST/HIDDEN). Intermittent:
# it fails focus, unmap (the «still open within the grace» check) or blip in some runs, not in others.
# XFOCUS_CASES="blip blip" runs only those cases. Exit 77 (CTest's skip) when Xvfb, xdotool, xwininfo or xmessage is missing (./quickstart installs xvfb, xdotool,
# x11-utils; xmessage is in x11-utils). Every wait is bounded; everything started is ended on exit. The
# screenshots (*.png) and descriptions (*.json) are left in WORKDIR.
set -uo pipefail
[ $# -eq 4 ] || { echo "usage: $0 CLIENT SERVER DEMO WORKDIR"; exit 2; }
for p in Xvfb xdotool xwininfo xmessage python3; do
    command -v "$p" >/dev/null 2>&1 ||
        { echo "SKIP: $p is not installed (apt-get install xvfb xdotool x11-utils)"; exit 77; }
done
client=$(realpath "$1") server=$(realpath "$2") demo=$(realpath "$3") work=$(realpath -m "$4")
port_base=18800 patient=Siri
py=$(python3 -c 'import sys; print(sys.executable)')
lib=$(cd "$(dirname "$0")/../lib" && pwd)
source "$lib/clinic.sh" # cd "$work", code, start/stop, fail

xvfb= cpid= xmpid=
source "$lib/stop_pid.sh"
source "$lib/xvfb.sh"
cleanup() {
    stop_pid "$cpid"
    stop_pid "$xmpid"
    stop_pid "$xvfb"
    [ -n "$spid" ] && stop_pid "$spid"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
nfail=0
bad() { echo "FAIL: $*"; nfail=$((nfail + 1)); }

# ---- the enrolled tablet, headless ----------------------------------------------------------------------------
start
"$server" admin --db "$db" reply "$patient" "Hei Siri, fint at du er i gang." > /dev/null || fail "admin reply"
{
    echo "expect screen enrol"
    for d in $(echo "$code" | grep -o .); do echo "tap-on button $d"; done
    echo "tap-on button Koble til"
    echo "wait-for 20000 heading Velg en PIN-kode"
    echo "expect screen pin"
    echo "pin-auto 246813"
    echo "wait 100"
    echo "expect screen home"
    echo "wait-for 20000 button Meldinger · 1 ny"
    echo "quit"
} > enrol.txt
SDL_AUDIODRIVER=dummy "$client" --headless 800x1280 --data-dir enrolled --server "$url" --script enrol.txt \
    > enrol.log 2>&1 || { cat enrol.log; fail "the headless enrolment with a PIN did not go through"; }
grep -q 'lock: a new PIN is in force' enrol.log || fail "no new PIN after the enrolment: $(cat enrol.log)"
echo "ok: enrolled headless with code $code, PIN chosen, the therapist's reply on the tablet"

# ---- the X server ---------------------------------------------------------------------------------------------
start_xvfb 800x1280 || fail "Xvfb did not start within 10 s"
echo "Xvfb on $DISPLAY"

wait_file() { # wait_file FILE SECONDS: until FILE exists and the client still runs
    local end=$(( $(date +%s) + $2 ))
    while [ ! -s "$1" ]; do
        kill -0 "$cpid" 2>/dev/null || return 1
        [ "$(date +%s)" -lt "$end" ] || return 1
        sleep 0.05
    done
    sleep 0.1 # written in full
}
focus_of() { xdotool getwindowfocus 2>/dev/null; }
# the thief: a plain X client's window (no window manager gives it the focus: xdotool does)
thief() {
    xmessage -geometry 300x90+10+10 "focus thief" &
    xmpid=$!
    X=$(timeout 10 xdotool search --sync --onlyvisible --pid "$xmpid" --name '^xmessage$' 2>/dev/null | head -1)
    [ -n "$X" ] || { bad "$1: no xmessage window within 10 s"; return 1; }
    xdotool windowfocus --sync "$X" 2>/dev/null
    [ "$(focus_of)" = "$X" ] || { bad "$1: xmessage ($X) did not get the focus (it is on $(focus_of))"; return 1; }
}

# the patient's things that must not be on the lock (the messages screen and home)
leaks() { # leaks FILE.json: prints what of the patient is in the description
    "$py" - "$1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
words = ["Siri", "fint at du er i gang", "Meldinger", "Modul", "Skriv en melding", "Lås nettbrettet", "Mestring av panikk"]
for e in d["elements"]:
    for w in words:
        if w in e["text"]:
            print("%s «%s»" % (e["role"], e["text"]))
EOF
}

run_case() { # run_case NAME: the client in a window, this script acting on the X server meanwhile
    local name=$1 t0 t1= rc n0=$nfail
    rm -rf "data-$name"
    cp -a enrolled "data-$name"
    {
        echo "# $name: written by xfocus.sh"
        echo "expect screen lock"
        for d in 2 4 6 8 1 3; do echo "tap-on button $d"; done
        echo "tap-on button Åpne"
        echo "wait-for 15000 button Lås nettbrettet"
        echo "expect screen home"
        echo "tap-on button Meldinger"
        echo "expect screen messages"
        echo "expect text Hei Siri, fint at du er i gang."
        echo "shot $name-1-before.png"
        echo "describe $name-1-before.json"
        case $name in
        idle)
            echo "advance 295000"
            echo "wait 300"
            echo "expect screen messages"
            echo "describe $name-2-after.json"
            echo "advance 6000"
            echo "wait 300"
            ;;
        blip)
            echo "wait 12000" # eight times away and back meanwhile
            echo "expect screen messages"
            echo "advance 31000"
            echo "wait 300"
            echo "describe $name-2-after.json"
            ;;
        *)
            echo "wait 6000"
            # a few seconds away is within the grace: still open (the lock must wait the full 30 s)
            echo "expect screen messages"
            echo "shot $name-2-away.png"
            echo "advance 31000"
            echo "wait 300"
            echo "describe $name-2-after.json"
            ;;
        esac
        echo "shot $name-3-after.png"
        case $name in
        blip | control)
            echo "expect screen messages"
            echo "expect text Hei Siri, fint at du er i gang."
            ;;
        *)
            echo "expect screen lock"
            echo "describe $name-3-lock.json"
            echo "expect-not text Siri"
            echo "expect-not button Meldinger"
            echo "expect-not button Modul"
            echo "expect button Hjelp nå"
            echo "expect button Åpne"
            echo "check-layout"
            echo "check-ink"
            echo "wait 3000" # the focus / the window comes back meanwhile
            echo "expect screen lock"
            echo "expect-not text Siri"
            echo "shot $name-4-back.png"
            echo "tap-on button Hjelp nå"
            echo "expect screen help"
            echo "describe $name-5-help.json"
            echo "shot $name-5-help.png"
            echo "key Escape"
            echo "expect screen lock"
            echo "expect-not text Siri"
            ;;
        esac
        echo "quit"
    } > "$name.txt"
    rm -f "$name"-*.json "$name"-*.png
    SDL_VIDEODRIVER=x11 SDL_AUDIODRIVER=dummy "$client" --window 800x1280 --data-dir "data-$name" --server "$url" \
        --script "$name.txt" > "$name.log" 2>&1 &
    cpid=$!
    W=$(timeout 30 xdotool search --sync --onlyvisible --pid "$cpid" --name '^Meistring$' 2>/dev/null | head -1)
    [ -n "$W" ] || { cat "$name.log"; bad "$name: no Meistring window within 30 s"; stop_pid "$cpid"; cpid=; return; }
    xdotool windowfocus --sync "$W" 2>/dev/null
    [ "$(focus_of)" = "$W" ] || bad "$name: the client's window $W did not get the focus (on $(focus_of))"
    if ! wait_file "$name-1-before.json" 40; then
        bad "$name: the client did not reach the messages after the PIN (log: $(tail -2 "$name.log" | tr '\n' ' '))"
    else
        t0=$(date +%s%N)
        case $name in
        focus) thief "$name" ;;
        unmap)
            xdotool windowunmap --sync "$W"
            st=$(xwininfo -id "$W" | sed -n 's/^ *Map State: //p')
            [ "$st" = IsUnMapped ] || bad "$name: the window is $st after windowunmap"
            ;;
        blip)
            # away and back eight times, each for a moment: a notification, a system dialog. Each loss must
            # start the 30 s grace, not lock at once (a loss handled in the same millisecond as the lock's tick
            # is the case that matters: eight tries make a miss unlikely)
            if thief "$name"; then
                for i in 1 2 3 4 5 6 7 8; do
                    [ "$i" = 1 ] || xdotool windowfocus --sync "$X" 2>/dev/null
                    sleep 0.3
                    xdotool windowfocus --sync "$W" 2>/dev/null
                    [ "$(focus_of)" = "$W" ] || bad "$name: the focus did not come back to $W"
                    sleep 0.3
                done
            fi
            stop_pid "$xmpid"; xmpid=
            ;;
        esac
        t1=$(ms "$t0")
        limit=5000
        [ "$name" = blip ] && limit=11000
        [ "$t1" -lt "$limit" ] || bad "$name: the X side took $t1 ms, longer than the client's wait allows"
        # until the client is past the advance: in the cases that leave the window alone, it keeps the focus
        # (read before the description exists: once it does, the client may quit and the focus go to the root)
        lost=
        end=$(( $(date +%s) + 40 ))
        while [ ! -s "$name-2-after.json" ] && kill -0 "$cpid" 2>/dev/null && [ "$(date +%s)" -lt "$end" ]; do
            f=$(focus_of)
            [ -s "$name-2-after.json" ] && break
            case $name in control | idle) [ "$f" = "$W" ] || lost=$f ;; esac
            sleep 0.2
        done
        [ -z "$lost" ] || bad "$name: the client's window lost the focus to $lost by itself"
        if wait_file "$name-2-after.json" 1; then
            # give it back: the lock must stay
            case $name in
            focus)
                xdotool windowfocus --sync "$W" 2>/dev/null
                stop_pid "$xmpid"; xmpid=
                ;;
            unmap) xdotool windowmap --sync "$W" ;;
            esac
        else
            bad "$name: the client did not get past the advance (log: $(tail -2 "$name.log" | tr '\n' ' '))"
        fi
    fi
    for _ in $(seq 600); do kill -0 "$cpid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$cpid" 2>/dev/null; then
        bad "$name: the client still runs 60 s on"
        stop_pid "$cpid"
        rc=killed
    else
        wait "$cpid"
        rc=$?
    fi
    cpid=
    stop_pid "$xmpid"; xmpid=
    if [ "$rc" != 0 ]; then
        bad "$name: the script failed (exit $rc): $(grep "^$name.txt:" "$name.log" | tr '\n' ' ')$(grep 'lock: locked' "$name.log" | tr '\n' ' ')"
    fi
    # why it locked, from the client's own log
    case $name in
    focus | unmap)
        grep -q 'lock: locked (away)' "$name.log" || bad "$name: no «lock: locked (away)» in the log: $(grep 'lock:' "$name.log")"
        ;;
    idle)
        grep -q 'lock: locked (idle)' "$name.log" || bad "$name: no «lock: locked (idle)» in the log: $(grep 'lock:' "$name.log")"
        ;;
    *)
        ! grep -q 'lock: locked' "$name.log" || bad "$name: the client locked: $(grep 'lock: locked' "$name.log")"
        ;;
    esac
    if [ -s "$name-3-lock.json" ]; then
        l=$(leaks "$name-3-lock.json")
        [ -z "$l" ] || bad "$name: the lock shows the patient's: $l"
    fi
    [ "$nfail" = "$n0" ] && echo "ok: $name (X side in ${t1:-?} ms): $(grep 'lock: locked' "$name.log" || echo 'not locked')"
}

for c in ${XFOCUS_CASES:-control focus unmap blip idle}; do
    run_case "$c"
done
echo "lifecycle.xfocus: $( [ "$nfail" = 0 ] && echo passed || echo "FAILED ($nfail)" ); screenshots in $work"
[ "$nfail" = 0 ]
