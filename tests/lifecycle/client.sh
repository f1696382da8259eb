#!/usr/bin/env bash
# client.sh CLIENT SERVER DEMO WORKDIR — the loaned tablet's life (issue 12) through the real client headless and
# the real server on loopback: enrol and choose a PIN (weak and mismatching PINs refused); locked after a restart
# with nothing of the patient on screen (a sent message, a draft, a therapist's reply, the name); the idle lock and
# «Hjelp nå» from it; wrong PINs and their waits, a repeat not counted, `die` buying nothing; the clinic's reset
# code (a wrong one, the right one once, offline); the remote return with two messages queued offline: both
# delivered once, then the tablet wiped to the enrolment screen, its data dir empty, a receipt without the patient's
# words, and the server's device wiped.
set -euo pipefail
client=$1 server=$2 demo=$3 work=$4 port_base=18960 patient=Siri
source "$(dirname "$0")/../lib/clinic.sh"

PIN=246813 PIN2=975312
C_SENT=kanarisendt C_DRAFT=kanariutkast C_REPLY=kanarisvar
canaries="$C_SENT|$C_DRAFT|$C_REPLY"

# bug MESSAGE: a failed check recorded without stopping the walk; finish fails the test if there was one
bugs=()
bug() { echo "FAIL (the walk goes on): $*"; bugs+=("$*"); }
finish() {
    if [ ${#bugs[@]} -gt 0 ]; then
        printf 'FAILED: %s\n' "${bugs[@]}"; exit 1
    fi
    echo "lifecycle.client: ok"
}
# run NAME: NAME.txt through the client, its standard error kept in NAME.err (and shown on a failure)
runs() {
    if ! run "$1.txt" 2> "$1.err"; then
        echo "--- $1.err"; cat "$1.err"; fail "script $1.txt failed (above)"
    fi
}
# pin DIGITS [BUTTON]: the digits on the keypad, then BUTTON (Åpne by default)
pin() { for d in $(echo "$1" | grep -o .); do echo "tap-on button $d"; done; echo "tap-on button ${2:-Åpne}"; }
# nothing of the patient in a description taken while locked
clean() {
    grep -q "\"screen\":[[:space:]]*\"lock\"" "$1" || fail "$1: not the lock screen"
    if grep -E -q "$canaries|Siri" "$1"; then grep -E -o "$canaries|Siri" "$1" | sort -u; fail "$1: the lock screen shows the patient's words"; fi
}

start

# 1. enrol on the keypad; a weak PIN and a mismatching second entry refused; then the PIN
{
    echo "expect screen enrol"
    for d in $(echo "$code" | grep -o .); do echo "tap-on button $d"; done
    echo "tap-on button Koble til"
    echo "wait-for 20000 heading Velg en PIN-kode"
    echo "expect screen pin"
    pin 123456 OK
    echo "wait 500"
    echo "expect status Den koden er lett å gjette"
    echo "expect heading Velg en PIN-kode"
    pin 111111 OK
    echo "wait 500"
    echo "expect status Den koden er lett å gjette"
    pin $PIN OK
    echo "expect heading Skriv den samme PIN-koden en gang til"
    pin $PIN2 OK
    echo "wait 500"
    echo "expect status Kodene var ikke like"
    echo "expect heading Velg en PIN-kode"
    pin $PIN OK
    echo "expect heading Skriv den samme PIN-koden en gang til"
    pin $PIN OK
    echo "wait-for 15000 button Lås nettbrettet"
    echo "expect screen home"
    echo "expect button Bytt PIN-kode"
    echo "quit"
} > 1.txt
runs 1
echo "lifecycle 1: enrolled, weak and mismatching PINs refused, PIN chosen: ok"

# 2. the therapist replies; the patient reads it, sends a message and leaves a draft; after a restart the tablet is
#    locked and neither its description nor the log shows any of it
"$server" admin --db s.db reply Siri "Hei Siri, her er svaret: $C_REPLY." > /dev/null
{
    echo "expect screen lock"
    pin $PIN
    echo "wait-for 15000 button Lås nettbrettet"
    echo "tap-on button Oppdater nå"
    echo "wait-for 15000 button 1 ny"
    echo "tap-on button Meldinger"
    echo "expect text $C_REPLY"
    echo "tap-on button Skriv en melding"
    echo "tap-keys jeg sender $C_SENT"
    echo "tap-on button Send"
    echo "expect screen messages"
    echo "wait 3000"
    echo "tap-on button Skriv en melding"
    echo "tap-keys $C_DRAFT"
    echo "wait 500"
    echo "expect field $C_DRAFT"
    echo "quit"
} > 2.txt
runs 2
"$server" admin --db s.db messages Siri | grep -q "$C_SENT" || fail "the sent message did not reach the server"
{
    echo "expect screen lock"
    echo "expect heading Skriv PIN-koden din"
    echo "expect button Glemt PIN-koden?"
    echo "expect button Hjelp nå"
    echo "describe locked-start.json"
    echo "shot locked-start.png"
    for c in $C_SENT $C_DRAFT $C_REPLY Siri; do
        for r in heading text button field status callout; do echo "expect-not $r $c"; done
    done
    echo "wait 2000"
    echo "describe locked-start-2.json"
    echo "quit"
} > 3.txt
runs 3
clean locked-start.json
clean locked-start-2.json
! grep -E -q "$canaries" ./*.err || fail "the client's log holds the patient's words"
echo "lifecycle 2: locked after a restart; no sent message, draft, reply or name on the lock screen: ok"

# 3. the draft across the restart: the place (the editor) is kept and the draft with it. Checked with `die`, so
#    nothing the empty editor might save afterwards counts. A failure here is recorded and the walk goes on.
{
    echo "expect screen lock"
    pin $PIN
    echo "wait 4000"
    echo "describe unlocked-restart.json"
    echo "die"
} > 4a.txt
runs 4a
grep -q "\"screen\":[[:space:]]*\"write\"" unlocked-restart.json || bug "after the restart and the PIN the place (the editor) was not restored"
grep -q "\"text\":[[:space:]]*\"$C_DRAFT\"" unlocked-restart.json ||
    bug "the draft written before the restart is not in the editor after the PIN (the editor holds: $(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1])).get("writing",{}).get("text")))' unlocked-restart.json))"

# the idle lock: the draft in the editor (typed again when the restart lost it), 301 s untouched; «Hjelp nå»
# from the lock screen and back; the PIN brings back the editor with the draft
{
    echo "expect screen lock"
    pin $PIN
    echo "wait 4000"
    echo "expect screen write"
    if ! grep -q "\"text\":[[:space:]]*\"$C_DRAFT\"" unlocked-restart.json; then echo "tap-keys $C_DRAFT"; fi
    echo "wait 500"
    echo "expect field $C_DRAFT"
    echo "advance 301000"
    echo "wait 300"
    echo "expect screen lock"
    echo "describe locked-idle.json"
    echo "shot locked-idle.png"
    echo "tap-on button Hjelp nå"
    echo "expect screen help"
    echo "expect heading Hjelp nå"
    echo "describe locked-help.json"
    echo "tap-on button Tilbake"
    echo "expect screen lock"
    pin $PIN
    echo "wait 3000"
    echo "expect screen write"
    echo "expect field $C_DRAFT"
    echo "quit"
} > 4.txt
runs 4
clean locked-idle.json
if grep -E -q "$canaries|Siri" locked-help.json; then fail "«Hjelp nå» from the lock screen shows the patient's words"; fi
echo "lifecycle 3: the idle lock after 301 s, «Hjelp nå» from it and back to the lock, the draft kept in-process: ok"

# 4. wrong PINs: four, each told «Feil PIN-kode»; the fourth again is not counted (a fifth count would start the
#    1-minute wait now, and the next new one would be the 6th, a 5-minute wait); a fifth new one starts the wait of
#    1:00; a right PIN during it is not even tried. Then `die`: after the restart the wait is there again, in full,
#    and still refuses the right PIN; `advance 61000` and the right PIN opens.
{
    echo "expect screen lock"
    for w in 100001 100002 100003 100004; do
        pin $w; echo "wait 2500"; echo "expect status Feil PIN-kode"; echo "expect screen lock"
    done
    pin 100004; echo "wait 1500"
    echo "expect status Det var den samme koden som sist. Den teller ikke på nytt."
    echo "expect-not status For mange feil"
    pin 100005; echo "wait 2500"
    echo "expect status For mange feil. Du kan prøve igjen om"
    echo "expect-not status om 5:"
    echo "expect-not status om 4:"
    echo "describe wait-1.json"
    echo "shot wait-1.png"
    pin $PIN; echo "wait 2500"
    echo "expect screen lock"
    echo "expect status For mange feil. Du kan prøve igjen om"
    echo "die"
} > 5.txt
runs 5
clean wait-1.json
grep -q "lock: a wrong PIN (4 so far)" 5.err || fail "no log line for the 4th wrong PIN"
grep -q "lock: a wrong PIN (5 so far)" 5.err || fail "the 5th distinct wrong PIN was not counted as the 5th (the repeat counted?)"
! grep -q "lock: a wrong PIN (6 so far)" 5.err || fail "a 6th wrong PIN was counted: the repeat or the right PIN during the wait counted"
! grep -q "lock: unlocked" 5.err || fail "the right PIN opened the tablet during the wait"
grep -o '"text":[[:space:]]*"For mange feil[^"]*"' wait-1.json | grep -q -E 'om (1:00|0:5[0-9])' ||
    fail "the wait after the 5th wrong PIN is not 1 minute: $(grep -o '"text":[[:space:]]*"For mange feil[^"]*"' wait-1.json)"
{
    echo "expect screen lock"
    echo "# the countdown is drawn from the lock's first tick on (not in the very first frame): up to a second"
    echo "wait-for 3000 status For mange feil. Du kan prøve igjen om"
    echo "describe wait-2.json"
    pin $PIN; echo "wait 2500"
    echo "expect screen lock"
    echo "advance 61000"
    echo "wait 300"
    pin $PIN; echo "wait 3000"
    echo "expect screen write"
    echo "describe after-wait.json"
    echo "quit"
} > 6.txt
if ! run 6.txt 2> 6.err; then
    cat 6.err; bug "after die and a restart the wait of the 5th wrong PIN is not there, or the right PIN after it did not open (6.txt above)"
    { echo "expect screen lock"; echo "advance 61000"; echo "wait 300"; pin $PIN; echo "wait 3000"; echo "expect screen write"; echo "quit"; } > 6b.txt
    runs 6b
else
    grep -o '"text":[[:space:]]*"For mange feil[^"]*"' wait-2.json | grep -q -E 'om (1:00|0:5[0-9])' ||
        bug "after the restart the wait does not start again in full: $(grep -o '"text":[[:space:]]*"For mange feil[^"]*"' wait-2.json)"
    ! grep -q "lock: a wrong PIN" 6.err || bug "the right PIN during the wait after the restart was counted as wrong"
    [ "$(grep -c 'lock: unlocked' 6.err)" = 1 ] || bug "the tablet did not open once, after the wait"
fi
echo "lifecycle 4: wrong PINs, the repeat not counted, the 1-minute wait, die and restart, the right PIN after: done"

finish
