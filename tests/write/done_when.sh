#!/usr/bin/env bash
# done_when.sh CLIENT SERVER DEMO WORKDIR — issue 5's «done when», as a new user would: enrolled and synced
# once, then offline: fill in a thought record and a PHQ-9 and write to the therapist with only the on-screen
# keyboard, pull the power (die) in the middle of a second message, start again, reconnect through a link that
# loses the answer to the first PUT of answers after the server stored it — and the therapist has each answer
# and message exactly once, and the patient sees the reply and their score plot.
set -euo pipefail
client=$1 server=$2 demo=$3 work=$4 port_base=18900 patient=Nora
source "$(dirname "$0")/../lib/clinic.sh"

start
"$client" --server "$url" --data-dir data --enrol "$code" --sync-once > /dev/null
stop

# offline: a thought record, a PHQ-9, a message; then the power goes while a second message is being written
{
    echo "expect screen home"
    echo "wait 1000"
    echo "expect status Uten nett"
    echo "tap-on button Modul 2"
    echo "tap-on button Registrer panikkanfallene dine"
    echo "seek button Fyll ut øvelsen"
    echo "tap-on button Fyll ut øvelsen"
    for cell in "Situasjon|I kassakøen" "Tanke|Jeg får hjerteinfarkt" "Følelse|Panikk" \
                "Alternativ tanke|Hjertet tåler dette."; do
        echo "seek button ${cell%%|*}, rad 1"
        echo "tap-on button ${cell%%|*}, rad 1"
        echo "tap-keys ${cell#*|}"
        echo "tap-on button Tilbake"
    done
    echo "key Home"
    echo "seek button Styrke (0–100), rad 1: 80"
    echo "tap-on button Styrke (0–100), rad 1: 80"
    echo "key End"
    echo "tap-on button Ferdig"
    echo "key Escape"
    echo "tap-on button Ukens skjema"
    echo "seek button Svar på skjemaet"
    echo "tap-on button Svar på skjemaet"
    for o in "Flere dager" "Flere dager" "Mer enn halvparten av dagene" "Flere dager" "Ikke i det hele tatt" \
             "Flere dager" "Ikke i det hele tatt" "Ikke i det hele tatt" "Ikke i det hele tatt"; do
        echo "tap-on button $o"
    done
    echo "expect text Summen din: 6 av 27 – milde plager"
    echo "seek button Send inn"
    echo "tap-on button Send inn"
    echo "expect screen scores"
    echo "key Escape"
    echo "key Escape"
    echo "key Escape"
    echo "expect screen home"
    echo "tap-on button Meldinger"
    echo "tap-on button Skriv en melding"
    echo "tap-keys Hei! Jeg fylte ut registreringen i kassakøen.\\nHilsen Nora"
    echo "tap-on button Send"
    echo "expect status lagret på nettbrettet"
    echo "tap-on button Skriv en melding"
    echo "tap-keys Ett spørsmål til: kan jeg"
    echo "die"
} > 1.txt
run 1.txt

# power back, still offline: everything is where it was
cat > 2.txt <<'S'
expect screen write
expect field Ett spørsmål til: kan jeg
tap-on button Tilbake
expect status lagret på nettbrettet
key Escape
expect screen home
tap-on button Mine resultater
expect image PHQ-9: 
expect text 6 av 27 – milde plager
quit
S
run 2.txt

# reconnect through a link that loses the answer to the first PUT of answers after storing it
start --fault 'drop-after@/v1/answers:x1'
cat > 3.txt <<'S'
key Escape
expect screen home
wait 4000
tap-on button Oppdater nå
wait 2500
tap-on button Meldinger
expect status · sendt
quit
S
run 3.txt
answers=$("$server" admin --db "$db" answers Nora)
[ "$(grep -c 'Jeg får hjerteinfarkt' <<< "$answers")" = 1 ] || fail "the thought record arrived $(grep -c 'Jeg får hjerteinfarkt' <<< "$answers") times"
[ "$(grep -c '"instrument":"PHQ-9","total":6' <<< "$answers")" = 1 ] || fail "the PHQ-9 arrived other than once: $answers"
grep -q '"m2-reg-styrke":80' <<< "$answers" || fail "the strength 80 did not arrive"
[ "$("$server" admin --db "$db" messages Nora | grep -c 'fylte ut registreringen')" = 1 ] || fail "the message did not arrive once"

# the therapist replies; the patient sees it, and the plot
"$server" admin --db "$db" reply Nora "Takk, Nora. Fint at du registrerte anfallet." > /dev/null
cat > 4.txt <<'S'
tap-on button Oppdater nå
wait 2500
expect button Meldinger · 1 ny
tap-on button Meldinger
expect text Takk, Nora. Fint at du registrerte anfallet.
expect status · lest av behandleren
shot reply.png
key Escape
tap-on button Mine resultater
expect image PHQ-9: 
shot plot.png
quit
S
run 4.txt
echo "done when: thought record, PHQ-9 and message offline on the keys, power cut, reconnect through a lost answer: each arrived once; reply and plot shown: ok"
