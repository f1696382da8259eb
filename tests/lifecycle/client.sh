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
pin_auto= # this test types every PIN itself
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
"$server" admin --db "$db" reply Siri "Hei Siri, her er svaret: $C_REPLY." > /dev/null
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
"$server" admin --db "$db" messages Siri | grep -q "$C_SENT" || fail "the sent message did not reach the server"
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

# 5. the clinic's reset code: a draft in the editor, «Lås nettbrettet»; «Glemt PIN-koden?» with a wrong code
#    («Koden virket ikke»), then the admin's code: the PIN screen, a new PIN, open, and the draft still there; the
#    same code once more (locked again) does not work; the new PIN does, the old one not.
"$server" admin --db "$db" reset-code Siri > reset.txt
rcode=$(sed -n 's/.*reset code \([0-9]*\) \([0-9]*\).*/\1\2/p' reset.txt)
[ ${#rcode} = 8 ] || fail "no reset code: $(cat reset.txt)"
wrong=$(printf '%08d' $(( (10#$rcode + 1) % 100000000 )))
code_digits() { for d in $(echo "$1" | grep -o .); do echo "tap-on button $d"; done; echo "tap-on button Send"; }
{
    echo "expect screen lock"
    pin $PIN; echo "wait 3000"
    echo "expect screen write"
    echo "expect field $C_DRAFT"
    echo "tap-on button Tilbake"
    echo "expect screen messages"
    echo "tap-on button Tilbake"
    echo "expect screen home"
    echo "tap-on button Lås nettbrettet"
    echo "expect screen lock"
    echo "tap-on button Glemt PIN-koden?"
    echo "expect heading Kode fra klinikken"
    code_digits $wrong
    echo "wait-for 15000 status Koden virket ikke"
    echo "expect screen lock"
    code_digits $rcode
    echo "wait-for 15000 heading Velg en PIN-kode"
    echo "expect screen pin"
    echo "describe reset-pin.json"
    pin $PIN2 OK
    echo "expect heading Skriv den samme PIN-koden en gang til"
    pin $PIN2 OK
    echo "wait-for 15000 button Lås nettbrettet"
    echo "expect screen home"
    echo "tap-on button Meldinger"
    echo "expect button Skriv videre"
    echo "tap-on button Skriv videre"
    echo "expect screen write"
    echo "expect field $C_DRAFT"
    echo "tap-on button Tilbake"
    echo "tap-on button Tilbake"
    echo "tap-on button Lås nettbrettet"
    echo "expect screen lock"
    echo "describe relock.json"
    echo "quit"
} > 7.txt
runs 7
grep -q '"text":[[:space:]]*"Glemt PIN-koden?"' relock.json && grep -q '"text":[[:space:]]*"Skriv PIN-koden din"' relock.json ||
    bug "locked with «Lås nettbrettet» after a reset-code recovery, the lock shows the clinic-code pad, not the PIN pad (headings/buttons: $(python3 -c 'import json,sys; print([e["text"] for e in json.load(open(sys.argv[1]))["elements"] if e["role"] in ("heading","status") or len(e["text"])>2])' relock.json))"
# the same code again, in a new process (the lock's screen state fresh)
{
    echo "expect screen lock"
    echo "expect heading Skriv PIN-koden din"
    echo "tap-on button Glemt PIN-koden?"
    code_digits $rcode
    echo "wait-for 15000 status Koden virket ikke"
    echo "expect screen lock"
    echo "tap-on button Tilbake til PIN-koden"
    echo "expect heading Skriv PIN-koden din"
    pin $PIN; echo "wait 3000"
    echo "expect screen lock"
    echo "expect status Feil PIN-kode"
    pin $PIN2; echo "wait 3000"
    echo "expect screen home"
    echo "quit"
} > 7b.txt
runs 7b
if grep -E -q "$canaries|Siri" reset-pin.json; then fail "the PIN screen after the reset code shows the patient's words"; fi
! grep -q "$rcode" 7.err 7b.err || fail "the client logged the reset code"
echo "lifecycle 5: a wrong reset code refused, the right one once, a new PIN, the draft kept: ok"

# 6. the remote return with two messages queued offline. The server is away: the clinic's code says the tablet is
#    not on the net; the patient opens with the PIN and sends two messages, which wait. The clinic marks the tablet
#    returned and the server comes back: at the next sync the tablet delivers both (each once), then wipes itself:
#    the enrolment screen, nothing left in its data dir, a receipt beside it without the patient's words, and the
#    server's device wiped (its token revoked by the tablet).
stop
{
    echo "expect screen lock"
    echo "tap-on button Glemt PIN-koden?"
    code_digits 12345678
    echo "wait-for 20000 status Nettbrettet er ikke på nett"
    echo "tap-on button Tilbake til PIN-koden"
    pin $PIN2; echo "wait 3000"
    echo "expect screen home"
    echo "tap-on button Meldinger"
    echo "tap-on button Skriv"
    echo "expect screen write"
    echo "tap-keys returalfa"
    echo "tap-on button Send"
    echo "expect screen messages"
    echo "tap-on button Skriv"
    echo "tap-keys returbeta"
    echo "tap-on button Send"
    echo "expect screen messages"
    echo "wait 1500"
    echo "expect status lagret på nettbrettet"
    echo "describe queued.json"
    echo "quit"
} > 8.txt
runs 8
[ "$(grep -o 'lagret på nettbrettet' queued.json | wc -l)" -ge 2 ] || bug "the two messages do not both show as waiting on the tablet"
old_key=$(sha256sum data/device.key | cut -d' ' -f1)
"$server" admin --db "$db" return Siri > return.txt
start
{
    echo "expect screen lock"
    pin $PIN2
    echo "wait-for 30000 heading Koble nettbrettet til klinikken"
    echo "expect screen enrol"
    echo "describe wiped.json"
    echo "shot wiped.png"
    echo "expect status (meldt tilbake fra klinikken)"
    echo "expect status Usendt da: 0"
    echo "quit"
} > 9.txt
runs 9
msgs=$("$server" admin --db "$db" messages Siri)
for m in returalfa returbeta; do
    n=$(grep -c "$m" <<< "$msgs" || true)
    [ "$n" = 1 ] || bug "the therapist has the queued message «$m» $n times, not once"
done
if grep -E -q "$canaries|Siri|returalfa|returbeta" wiped.json; then bug "the enrolment screen after the wipe shows the patient's words"; fi
left=$(find data -type f 2>/dev/null || true)
# the issue: after the wipe the data dir holds no file. The client (lock_wipe) opens a fresh store at once for the
# next patient, so this fails while that stands; what is in the fresh files is checked below.
[ -z "$left" ] || bug "the data dir holds files after the wipe (a fresh store made by lock_wipe?): $(echo $left)"
if [ -f data/device.key ] && [ "$(sha256sum data/device.key | cut -d' ' -f1)" = "$old_key" ]; then
    bug "the device key survived the wipe"
fi
if [ -n "$left" ] && grep -a -l -E "$canaries|returalfa|returbeta" $left; then bug "a file in the data dir after the wipe holds the patient's words"; fi
if [ -f data/meistring.db ]; then
    rows=$(sqlite3 "file:data/meistring.db?mode=ro" "SELECT (SELECT count(*) FROM message)+(SELECT count(*) FROM draft)+(SELECT count(*) FROM outbox)+(SELECT count(*) FROM answer)+(SELECT count(*) FROM score)+(SELECT count(*) FROM position)" 2>&1 || true)
    [ "$rows" = 0 ] || bug "the store after the wipe is not empty: $rows rows of messages, drafts, outbox, answers, scores, places"
fi
[ -f data.wipe-receipt.json ] || bug "no wipe receipt beside the data dir"
if [ -f data.wipe-receipt.json ] && grep -E -q "$canaries|Siri|returalfa|returbeta|$PIN|$PIN2" data.wipe-receipt.json; then
    bug "the wipe receipt holds the patient's words: $(cat data.wipe-receipt.json)"
fi
grep -q "wiping the tablet (remote; 0 unsent)" 9.err || bug "the client did not log a remote wipe with nothing unsent: $(grep 'lock:' 9.err | tr '\n' ' ')"
"$server" admin --db "$db" devices > devices.txt
grep -q "Siri: wiped (token revoked by the tablet)" devices.txt || bug "the server's device is not wiped: $(cat devices.txt)"
# the wiped tablet starts on the enrolment screen again, with its own (empty) data
{ echo "expect screen enrol"; echo "describe wiped-restart.json"; echo "quit"; } > 10.txt
runs 10
if grep -E -q "$canaries|Siri|returalfa|returbeta" wiped-restart.json; then bug "after the wipe a restart shows the patient's words"; fi
echo "lifecycle 6: the remote return with two messages queued offline: done"

# 7. the next patient: the same tablet enrols again with a new code (a new store, a new device key), chooses a PIN,
#    and the last wipe's receipt goes to the clinic with the enrolment, then leaves the tablet. The clinic has set
#    a staff code meanwhile: this tablet gets its hash with the enrolment (for 8.)
printf '97531\n97531\n' | "$server" admin --db "$db" staff-code > /dev/null
"$server" admin --db "$db" create-patient Ola > ola.txt
ocode=$(sed -n 's/.*code \([0-9]*\) \([0-9]*\)/\1\2/p' ola.txt)
{
    echo "expect screen enrol"
    for d in $(echo "$ocode" | grep -o .); do echo "tap-on button $d"; done
    echo "tap-on button Koble til"
    echo "wait-for 20000 heading Velg en PIN-kode"
    pin 975310 OK
    pin 975310 OK
    echo "wait-for 15000 button Lås nettbrettet"
    echo "expect screen home"
    echo "quit"
} > 11.txt
runs 11
"$server" admin --db "$db" receipts > receipts.txt
grep -q "remote" receipts.txt || bug "the clinic did not get the wipe receipt with the next enrolment: $(cat receipts.txt)"
[ ! -f data.wipe-receipt.json ] || bug "the receipt is still on the tablet after it was handed over"
[ "$(sha256sum data/device.key | cut -d' ' -f1)" != "$old_key" ] || bug "the next patient got the old device key"
echo "lifecycle 7: the next patient enrols on the wiped tablet; the receipt reached the clinic: done"

# 8. staff return on the tablet: «For klinikken» on the lock screen, wrong staff codes slowed down across a kill
#    (the count is kept before each check), the right code, the unsent message counted, the second explicit step,
#    then the tablet wiped (reason staff) and the server told to forget it
stop
{
    echo "expect screen lock"
    pin 975310; echo "wait 3000"
    echo "expect screen home"
    # the patient changes the PIN: the old one first (a wrong one is refused and counted), the new one twice
    echo "seek button Bytt PIN-kode"
    echo "tap-on button Bytt PIN-kode"
    echo "expect heading Skriv PIN-koden du har nå"
    pin 111222 OK
    echo "wait-for 5000 status Feil PIN-kode"
    pin 975310 OK
    echo "wait-for 5000 heading Velg en PIN-kode"
    pin 864209 OK
    pin 864209 OK
    echo "wait-for 5000 status PIN-koden er byttet"
    echo "expect screen home"
    echo "key Home"
    echo "seek button Lås nettbrettet"
    echo "tap-on button Lås nettbrettet"
    pin 975310; echo "wait 1500"
    echo "expect screen lock"                          # the old PIN no longer opens it
    pin 864209; echo "wait 1500"
    echo "expect screen home"
    echo "key Home"
    echo "tap-on button Meldinger"
    echo "tap-on button Skriv en melding"
    echo "tap-keys kanariusendt"
    echo "tap-on button Send"
    echo "wait 500"
    echo "tap-on button Tilbake"
    echo "tap-on button Lås nettbrettet"
    echo "expect screen lock"
    echo "tap-on button For klinikken"
    echo "expect screen staff"
    for w in 11111 22222; do pin $w OK; echo "wait-for 5000 status Feil PIN-kode"; done
    pin 33333 OK
    echo "wait-for 5000 status Prøv igjen om 30 sekunder"
    echo "die"
} > 12.txt
runs 12
{
    echo "expect screen lock"
    echo "tap-on button For klinikken"
    # a restart did not end the wait: still in force (its seconds count down in real time while the client starts
    # again, so «30» failed once on a loaded machine with «29»)
    echo "expect status Prøv igjen om"
    pin 97531 OK
    echo "wait 1500"
    echo "expect screen staff"
    echo "expect-not heading Lever tilbake nettbrettet" # refused during the wait
    echo "advance 31000"
    pin 97531 OK
    echo "wait-for 5000 heading Lever tilbake nettbrettet"   # (the pad closes after 60 s left alone)
    echo "expect status Ikke sendt til klinikken ennå (meldinger, svar eller utkast): 1."
    echo "tap-on button Lever tilbake og slett alt"
    echo "expect heading Er du sikker?"
    echo "expect status blir borte for godt"
    echo "tap-on button Ja, slett alt, også det som ikke er sendt"
    echo "wait 500"
    echo "expect screen enrol"
    echo "expect status av klinikken på nettbrettet"
    echo "expect status Usendt da: 1"
    echo "quit"
} > 13.txt
runs 13
left=$(find data -type f 2>/dev/null || true)
[ -z "$left" ] || bug "files left in the data dir after the staff wipe: $(echo $left)"
grep -q '"reason":"staff"' data.wipe-receipt.json || bug "no staff receipt: $(cat data.wipe-receipt.json 2>/dev/null)"
if grep -q kanariusendt data.wipe-receipt.json; then bug "the receipt holds the unsent words"; fi
echo "lifecycle 8: staff return on the tablet, wrong staff codes slowed down across a kill, the unsent counted: done"

finish
