#!/bin/bash
# tests/kiosk/reset.sh CLIENT WORKDIR — the kiosk's idle reset, headless through the real client (issue 11):
# a visitor leaves canary words in a message, a draft, an exercise and a questionnaire, makes the text larger
# and the theme dark, reads deep into module 2; the warning comes, and after it everything is as new: no canary
# in any description, the settings at their defaults, nothing visited, nothing to paste. The warning is
# cancelled by a touch; the idle clock stands still while read-aloud speaks; the staff corner opens only a PIN
# pad, which refuses wrong PINs and slows them down, times out, and lets the right PIN leave the kiosk.
# The idle clock is moved on with the harness's `advance` step, so the test waits only where a person would.
set -u
client=$1
work=$2
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
export SDL_AUDIODRIVER=dummy
{ printf 'idle_timeout = 20\nwarning = 5\nclinic_name = Venterommet\n'; printf '2468\n2468\n' | "$client" --kiosk-hash-pin; } > kiosk.conf ||
    fail "cannot make the kiosk's configuration"
run() { # run SCRIPT [more args]: the kiosk headless on a tablet
    local s=$1
    shift
    "$client" --headless 800x1280 --kiosk-config "$PWD/kiosk.conf" --script "$s" "$@" 2> "$s.log" ||
        { cat "$s.log"; fail "$s failed"; }
}

# 1. a visitor's whole visit, then the reset
cat > visit.txt <<'EOF'
expect screen attract
expect heading Velkommen til Meistring
seek button Større tekst
tap-on button Større tekst
expect-setting text_pct 200
key Home
seek button Se hvordan
tap-on button Se hvordan
expect screen home
set theme dark
# a questionnaire answered in module 1
seek button Modul 1
tap-on button Modul 1
seek button 4.
tap-on button 4.
seek button Svar på skjemaet
tap-on button Svar på skjemaet
expect screen quest
key Home
seek button Nesten hver dag
tap-on button Nesten hver dag
key Escape
key Escape
key Escape
expect screen home
# an exercise with a canary, deep in module 2
seek button Modul 2
tap-on button Modul 2
seek button 3.
tap-on button 3.
seek button Fyll ut øvelsen
tap-on button Fyll ut øvelsen
seek button Skriv svaret
tap-on button Skriv svaret
expect screen write
tap-keys Kanarifugl
key Escape
expect screen exercise
key Escape
expect screen page
# a message sent and a draft kept, each with a canary
key Escape
key Escape
expect screen home
tap-on button Meldinger
tap-on button Skriv en melding
tap-keys Spurvehauk
tap-on button Send
expect text Spurvehauk
describe sent.json
tap-on button Skriv en melding
tap-keys Gjerdesmett
key Escape
expect status Utkast
describe before.json
# nobody touches it: the warning, then the reset
advance 15200
expect heading Er du fortsatt her
describe warning.json
shot warning.png
advance 5000
expect screen attract
describe after.json
shot after.png
# every trace looked for again, as the next visitor would
expect-setting text_pct 100
tap-on button Se hvordan
expect screen home
expect-not button Mine resultater
describe home.json
seek button Modul 2
expect button Modul 2
expect-not button 1 av
tap-on button Modul 2
describe module2.json
seek button 3.
tap-on button 3.
seek button Fyll ut øvelsen
tap-on button Fyll ut øvelsen
describe exercise.json
seek button Skriv svaret
tap-on button Skriv svaret
key ctrl+v
describe write.json
key Escape
key Escape
key Escape
key Escape
expect screen home
tap-on button Meldinger
describe messages.json
tap-on button Skriv en melding
describe draft.json
EOF
run visit.txt
for f in home module2 exercise write messages draft after; do
    [ -s "$f.json" ] || fail "no $f.json"
    if grep -Eq 'Kanarifugl|Spurvehauk|Gjerdesmett' "$f.json"; then fail "a canary survived the reset in $f.json"; fi
done
grep -q 'Spurvehauk' sent.json && grep -q 'Gjerdesmett' before.json ||
    fail "the canaries never showed before the reset: the test could not fail"
field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }
[ "$(field after.json "d['settings']['theme'], d['settings']['text_pct']")" = "('cream', 100)" ] ||
    fail "the reading settings were not reset: $(field after.json "d['settings']")"
[ "$(field after.json "d['kiosk']['resets']")" = 1 ] || fail "describe does not count the reset"
[ "$(field warning.json "d['kiosk']['warning']")" = True ] || fail "the warning was not described"
[ "$(field write.json "repr(d['writing']['text'])")" = "''" ] ||
    fail "the exercise field was not empty after the reset (or a paste put text in)"

# 2. a touch cancels the warning; read-aloud stops the idle clock
cat > cancel.txt <<'EOF'
tap-on button Se hvordan
advance 16000
expect heading Er du fortsatt her
# the touch that cancels the warning lands on «Meldinger»: it only cancels
touch 400 373
expect-not heading Er du fortsatt her
expect screen home
advance 16000
expect heading Er du fortsatt her
tap 400 373
expect-not heading Er du fortsatt her
expect screen home
advance 16000
expect heading Er du fortsatt her
key m
expect-not heading Er du fortsatt her
expect screen home
advance 10000
expect screen home
expect-not heading Er du fortsatt her
# read aloud, and walk away while it reads
seek button Modul 1
tap-on button Modul 1
seek button Start modulen
tap-on button Start modulen
expect screen page
tap-on button Les høyt
expect-speech playing
advance 60000
expect screen page
expect-not heading Er du fortsatt her
tap-on button Stopp
expect-speech off
advance 21000
expect screen attract
# something resting on a keyboard: its repeats are not a visitor, and the reset comes (in with Enter: a keyboard
# alone reaches the programme)
key Return
expect screen home
key-held 40 Down
expect screen attract
EOF
run cancel.txt

# 2a. the reader's own state and the kiosk's words: a ruler moved by one visitor is where a fresh start puts it
# for the next; a long press on «‹ Tilbake» is not the staff corner; no screen claims to keep or send anything
ruler_on() { # a visitor goes in, opens module 1's first page and turns on the one-line reading ruler
    printf '%s\n' "tap-on button Se hvordan" "tap-on button Modul 1" "tap-on button Start modulen" \
        "tap-on button Lesehjelp" "seek button 1 linje" "tap-on button 1 linje" "seek button Ferdig" \
        "tap-on button Ferdig"
}
{
    ruler_on
    printf '%s\n' "describe fresh.json" "key Down" "key Down" "key Down" "key Down" "key Down" "describe moved.json" \
        "advance 21000" "expect screen attract"
    ruler_on
    printf '%s\n' "describe next.json" "hold-on 5300 button Tilbake" "expect-not heading Skriv PIN-koden"
} > ruler.txt
run ruler.txt
[ "$(field fresh.json "d['focus']['band']")" != "$(field moved.json "d['focus']['band']")" ] ||
    fail "the ruler did not move: the check could not fail"
[ "$(field next.json "d['focus']['band']")" = "$(field fresh.json "d['focus']['band']")" ] ||
    fail "the next visitor's ruler is where the last one left it: $(field next.json "d['focus']['band']")"
cat > words.txt <<'EOF'
tap-on button Se hvordan
tap-on button Meldinger
expect text går meldingene ikke til noen
expect-not text svarer vanligvis
tap-on button Skriv en melding
tap-keys Hei
key Escape
expect status Utkast – slettes
expect-not status lagret på nettbrettet
key Escape
seek button Modul 1
tap-on button Modul 1
seek button 4.
tap-on button 4.
seek button Svar på skjemaet
tap-on button Svar på skjemaet
EOF
for i in 1 2 3 4 5 6 7; do printf 'key Home
seek button Nesten hver dag
tap-on button Nesten hver dag
' >> words.txt; done
printf 'seek text Ingen ser disse svarene
expect-not text Behandleren din ser svarene
' >> words.txt
run words.txt

# 2b. the warning at its worst: 400 % text on a small phone, dark, whole on the screen
cat > phone.txt <<'EOF'
set text_pct 400
set theme dark
check-layout
seek button Se hvordan
tap-on button Se hvordan
advance 16000
expect heading Er du fortsatt her
check-layout
shot phone-warning.png
EOF
"$client" --headless 360x640 --kiosk-config "$PWD/kiosk.conf" --script phone.txt 2> phone.log ||
    { cat phone.log; fail "the warning does not fit a phone at 400 %"; }

# 3. the staff corner: only a PIN pad; wrong PINs refused and slowed, the pad times out; the right PIN leaves
cat > staff.txt <<'EOF'
expect screen attract
hold 10 10 5300
expect screen staff
expect heading Skriv PIN-koden
key Escape
expect screen attract
hold 10 10 5300
expect screen staff
tap-on button 1
tap-on button 1
tap-on button 1
tap-on button 1
tap-on button OK
wait-for 30000 status Feil PIN-kode
expect screen staff
tap-on button 2
tap-on button 2
tap-on button 2
tap-on button 2
tap-on button OK
wait-for 30000 status Feil PIN-kode
tap-on button 3
tap-on button 3
tap-on button 3
tap-on button 3
tap-on button OK
wait-for 30000 status For mange feil
# during the wait even the right PIN opens nothing
tap-on button 2
tap-on button 4
tap-on button 6
tap-on button 8
tap-on button OK
wait 1500
expect status For mange feil
expect screen staff
expect-not button Avslutt kiosken
# left alone, the pad closes
advance 31000
expect screen attract
# the wait is over; the right PIN opens the staff screen
hold 10 10 5300
tap-on button 2
tap-on button 4
tap-on button 6
tap-on button 8
tap-on button OK
wait-for 30000 button Avslutt kiosken
expect screen staff
expect text Versjon
expect text Innhold
describe staff.json
tap-on button Avslutt kiosken
wait 500
expect screen attract
EOF
mkdir -p rundir
RUNTIME_DIRECTORY=$PWD/rundir "$client" --headless 800x1280 --kiosk-config "$PWD/kiosk.conf" --script staff.txt \
    2> staff.log
status=$?
[ "$status" = 0 ] || { cat staff.log; fail "the staff exit ended with status $status"; }
grep -q 'staff left the kiosk' staff.log || { cat staff.log; fail "the right PIN did not leave the kiosk"; }
[ -e rundir/stay-off ] || fail "leaving did not mark the kiosk to stay off"
grep -q "wrong staff PIN (3 in a row)" staff.log || fail "the wrong PINs were not counted"
if grep -q '2468' staff.log; then fail "the log holds the PIN"; fi

# 3b. «Start kiosken på nytt»: the same command line in a new process image (the script, run again by it, asks
# again: within the time limit the kiosk has started at least twice, and SIGTERM then ends it)
cat > restart.txt <<'EOF'
hold 10 10 5300
tap-on button 2
tap-on button 4
tap-on button 6
tap-on button 8
tap-on button OK
wait-for 30000 button Start kiosken på nytt
tap-on button Start kiosken på nytt
wait 60000
EOF
"$client" --headless 800x1280 --kiosk-config "$PWD/kiosk.conf" --script restart.txt 2> restart.log &
pid=$!
for _ in $(seq 1 600); do # until it has restarted twice (at most 60 s): its third start is under way
    [ "$(grep -c 'staff restarted the kiosk' restart.log)" -ge 2 ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
sleep 1
kill -TERM "$pid" 2>/dev/null
wait "$pid"
status=$?
starts=$(grep -c 'kiosk: idle reset after' restart.log)
[ "$starts" -ge 3 ] || { cat restart.log; fail "the staff restart did not start the kiosk again ($starts start(s))"; }
[ "$status" = 0 ] || { cat restart.log; fail "SIGTERM ended the kiosk with status $status"; }
[ "$(grep -c 'stopped by SIGTERM' restart.log)" = 1 ] || fail "SIGTERM did not end the kiosk at once (it logged $(grep -c 'stopped by SIGTERM' restart.log) times)"

# 4. no valid configuration, no kiosk
printf 'idle_timeout = 5\n' > bad.conf
if "$client" --headless 800x1280 --kiosk-config "$PWD/bad.conf" --script staff.txt 2> bad.log; then
    fail "the kiosk started with a bad configuration"
fi
grep -q 'line 1' bad.log || fail "the error does not name the line: $(cat bad.log)"
if "$client" --headless 800x1280 --kiosk-config "$PWD/missing.conf" --script staff.txt 2> missing.log; then
    fail "the kiosk started without a configuration"
fi
# 5. the demonstration opens module 4 after the PHQ-9 (issue 13), for that visitor only: the next finds it locked
{
    cat <<'EOF'
tap-on button Se hvordan
seek button Modul 2
tap-on button Modul 2
seek button 5.
tap-on button 5.
seek button Svar på skjemaet
tap-on button Svar på skjemaet
EOF
    for _ in $(seq 9); do # the PHQ-9's nine items, each answered «Ikke i det hele tatt»
        printf 'key Home\nseek button Ikke i det hele tatt\ntap-on button Ikke i det hele tatt\n'
    done
    cat <<'EOF'
seek button Send inn
tap-on button Send inn
expect screen scores
key Escape
key Escape
key Escape
expect screen home
seek button Modul 4
expect-not button Modul 4: Veien videre – Låst
advance 20200
expect screen attract
tap-on button Se hvordan
seek button Modul 4
expect button Modul 4: Veien videre – Låst
EOF
} > opens.txt
run opens.txt
echo "ok: idle reset with canaries (message, draft, exercise, questionnaire, settings, place), warning cancelled by a touch, idle clock still while reading aloud, staff corner, PIN back-off, pad timeout, staff leave and restart, SIGTERM, bad configuration refused, module 4 opened by the PHQ-9 of one visitor locked again for the next"
