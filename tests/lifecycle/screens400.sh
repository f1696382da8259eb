#!/usr/bin/env bash
# tests/lifecycle/screens400.sh CLIENT SERVER DEMO WORKDIR — the loaned tablet's own screens (issue 12) for a
# patient who reads at 400 % in the dark theme, headless, on a phone (360×640), a phone turned (640×360) and the
# tablet (800×1280), enrolled on the reference server on loopback (tests/lib/clinic.sh), one patient per size:
#   pin     the PIN screen right after enrolment (nothing but the PIN behind it)
#   lock    the lock screen after a restart
#   wrong   the lock screen after a wrong PIN («Feil PIN-kode. Prøv igjen.» on screen)
#   wrong-seen  the same wrong PIN tapped on the pad at 400 % (scrolled to «Åpne»): the answer must be in sight
#   code    the lock screen turned into the clinic's reset-code pad («Glemt PIN-koden?»)
# and, before the enrolment, enrol-scroll: PageDown reaches «Koble til» and «0» on the enrolment pad at each size.
# Each state is its own client run from its own copy of the data dir (so one failure does not hide the others):
# `set text_pct 400`, `set theme dark`, then shot, `check-layout` and `check-ink` at the top, and again after
# `key End` (the bottom of the screen). The PNGs are left in WORKDIR as SIZE-STATE-top.png / -end.png for a person
# to look at. It also reports (not a failure) which reading settings the lock screen starts with after a restart,
# before any `set`: a patient who needs 400 % must be able to read the lock.
set -uo pipefail
[ $# -eq 4 ] || { echo "usage: $0 CLIENT SERVER DEMO WORKDIR"; exit 2; }
client=$(realpath "$1") server=$(realpath "$2") demo=$(realpath "$3") work=$(realpath -m "$4")
port_base=18600 patient=Siri
source "$(dirname "$0")/../lib/clinic.sh" # cd "$work", code, start/stop, fail
py=$(python3 -c 'import sys; print(sys.executable)')
start
nfail=0
bad() { echo "FAIL: $*"; nfail=$((nfail + 1)); }
PIN=246813
# the clinic's staff code, so the tablets get «For klinikken» and the return screens can be looked at too
printf '97531\n97531\n' | "$server" admin --db "$db" staff-code > /dev/null || fail "admin staff-code"

settings() { # settings FILE.json: text_pct and theme from a description
    "$py" -c 'import json,sys; s=json.load(open(sys.argv[1]))["settings"]; print(s["text_pct"], s["theme"])' "$1"
}
client_run() { # client_run SIZE DATA SCRIPT: prints nothing, returns the client's status; its log in SCRIPT.log
    SDL_AUDIODRIVER=dummy timeout 120 "$client" --headless "$1" --data-dir "$2" --server "$url" --script "$3" \
        > "$3.log" 2>&1
}
looks() { # looks TAG: the 400 %/dark settings, then the top and the bottom of the screen, shot and checked
    cat <<EOF
set text_pct 400
set theme dark
expect-setting text_pct 400
expect-setting theme dark
key Home
shot $1-top.png
describe $1-top.json
check-layout
check-ink
key End
shot $1-end.png
describe $1-end.json
check-layout
check-ink
EOF
}
state() { # state SIZE STATE FROM SCRIPT-BEFORE-LOOKS: a copy of FROM, the steps, then looks
    local size=$1 st=$2 from=$3 tag=$1-$2
    rm -rf "d-$tag"
    cp -a "$from" "d-$tag"
    { printf '%s\n' "$4"; looks "$tag"; echo quit; } > "$tag.txt"
    if client_run "$size" "d-$tag" "$tag.txt"; then
        echo "ok: $tag: 400 % dark, layout and ink at the top and the bottom"
    else
        bad "$tag: $(grep -v '^meistring: \(lock\|sync\|some messages\)' "$tag.txt.log" | tail -3 | tr '\n' ' ')"
    fi
}

n=0
for size in 360x640 640x360 800x1280; do
    n=$((n + 1))
    # a patient of its own for each size: the code is used once
    if [ $n -gt 1 ]; then
        "$server" admin --db "$db" create-patient "$patient$n" > code$n.txt
        code=$(sed -n 's/.*code \([0-9]*\) \([0-9]*\)/\1\2/p' code$n.txt)
    fi
    # enrol-scroll: the enrolment pad scrolls from the keyboard as the lock's and the PIN's do (PageDown reaches
    # «Koble til» and the digits below the fold); a patient with a keyboard or a switch has no other way
    printf 'expect screen enrol\nseek button Koble til\nseek button 0\nquit\n' > "$size-enrol-scroll.txt"
    rm -rf "d-$size-scroll"
    if client_run "$size" "d-$size-scroll" "$size-enrol-scroll.txt"; then
        echo "ok: $size-enrol-scroll: PageDown reaches «Koble til» on the enrolment pad"
    else
        bad "$size-enrol-scroll: CLIENT BUG: the enrolment screen does not scroll from the keyboard: $(tail -1 "$size-enrol-scroll.txt.log")"
    fi
    # enrolled, stopped on the PIN screen (a restart comes back to it: no way past without a PIN)
    {
        echo "expect screen enrol"
        for d in $(echo "$code" | grep -o .); do echo "key $d"; done
        echo "key Return" # «Koble til» from the keyboard: on 640×360 the button is below the fold (see enrol-scroll)
        echo "wait-for 20000 field PIN-kode"
        echo "expect screen pin"
        echo "quit"
    } > "$size-enrol.txt"
    rm -rf "d-$size-new"
    client_run "$size" "d-$size-new" "$size-enrol.txt" ||
        { bad "$size: the enrolment did not reach the PIN screen: $(tail -3 "$size-enrol.txt.log")"; continue; }
    state "$size" pin "d-$size-new" "expect screen pin
key Home
expect heading Velg en PIN-kode"
    # the PIN chosen (pin-auto), then the lock after a restart
    rm -rf "d-$size-pin"
    cp -a "d-$size-new" "d-$size-pin"
    printf 'expect screen pin\npin-auto %s\nwait 100\nexpect screen home\nquit\n' "$PIN" > "$size-choose.txt"
    client_run "$size" "d-$size-pin" "$size-choose.txt" ||
        { bad "$size: the PIN was not chosen: $(tail -3 "$size-choose.txt.log")"; continue; }
    # the settings the lock starts with, as the patient left them: 400 % and dark chosen while open
    rm -rf "d-$size-keep"
    cp -a "d-$size-pin" "d-$size-keep"
    printf 'expect screen lock\npin-auto %s\nset text_pct 400\nset theme dark\nexpect screen home\nquit\n' "$PIN" \
        > "$size-keep1.txt"
    printf 'expect screen lock\ndescribe %s-keep.json\nquit\n' "$size" > "$size-keep2.txt"
    if client_run "$size" "d-$size-keep" "$size-keep1.txt" && client_run "$size" "d-$size-keep" "$size-keep2.txt"; then
        echo "note: $size: after 400 % and dark were chosen and the tablet restarted, the lock shows: $(settings "$size-keep.json") (text_pct theme)"
    else
        bad "$size: the settings run failed: $(tail -2 "$size-keep1.txt.log" "$size-keep2.txt.log")"
    fi
    state "$size" lock "d-$size-pin" "expect screen lock
key Home
expect heading Skriv PIN-koden din"
    state "$size" wrong "d-$size-pin" "expect screen lock
key 1
key 1
key 1
key 2
key 5
key 7
key Return
wait-for 10000 status Feil PIN-kode
expect status Feil PIN-kode. Prøv igjen.
expect screen lock"
    # wrong-seen: the wrong PIN typed by taps on the pad at 400 %, as the patient does (scrolled down to «Åpne»):
    # the answer must be on the screen the finger is on, not above it out of sight
    rm -rf "d-$size-seen"
    cp -a "d-$size-pin" "d-$size-seen"
    {
        printf 'expect screen lock\nset text_pct 400\nset theme dark\n'
        for d in 1 1 1 2 5 7; do printf 'seek button %s\ntap-on button %s\n' $d $d; done
        printf 'seek button Åpne\ntap-on button Åpne\nwait 1500\nshot %s-wrong-seen.png\n' "$size"
        printf 'describe %s-wrong-seen.json\nexpect status Feil PIN-kode\nquit\n' "$size"
    } > "$size-wrong-seen.txt"
    if client_run "$size" "d-$size-seen" "$size-wrong-seen.txt"; then
        echo "ok: $size-wrong-seen: «Feil PIN-kode» on screen after a tap on «Åpne»"
    else
        bad "$size-wrong-seen: CLIENT BUG: after a wrong PIN tapped at 400 % the answer is out of sight ($size-wrong-seen.png): $(tail -1 "$size-wrong-seen.txt.log")"
    fi
    state "$size" code "d-$size-pin" "expect screen lock
seek button Glemt PIN-koden?
tap-on button Glemt PIN-koden?
expect heading Kode fra klinikken
seek button Tilbake til PIN-koden"
    # staff's return: the staff pad, the menu behind the code, and the second step
    staff="expect screen lock
seek button For klinikken
tap-on button For klinikken
expect screen staff"
    state "$size" staff-pad "d-$size-pin" "$staff
expect heading Skriv personalkoden"
    staff="$staff
key 9
key 7
key 5
key 3
key 1
key Return
wait-for 10000 heading Lever tilbake nettbrettet"
    state "$size" staff-menu "d-$size-pin" "$staff"
    state "$size" staff-confirm "d-$size-pin" "$staff
seek button Lever tilbake og slett alt
tap-on button Lever tilbake og slett alt
expect heading Er du sikker?"
done
echo "lifecycle.screens400: $( [ "$nfail" = 0 ] && echo passed || echo "FAILED ($nfail)" ); screenshots in $work"
[ "$nfail" = 0 ]
