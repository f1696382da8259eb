#!/usr/bin/env bash
# ui_write.sh CLIENT WORKDIR — writing a message on the on-screen keyboard, through the real client offscreen:
# every letter is a tap on a drawn key. A flat battery mid-sentence (the script's `die`), a restart that
# opens the editor again with the text and caret as they were, undo and a drag selection, backspace held
# down, hardware keys and text input, sending, and the kiosk that writes nothing to disk.
set -euo pipefail
client=$1 work=$2
rm -rf "$work"
mkdir -p "$work/shots"
cd "$work"
run() { SDL_AUDIODRIVER=dummy "$client" --headless "${size:-800x1280}" "$@"; }
fail() { echo "FAIL: $*"; exit 1; }

# 1. write on the keys, then the battery dies between two keystrokes
cat > w1.txt <<'EOF'
seek button Meldinger
tap-on button Meldinger
expect screen messages
tap-on button Skriv en melding
expect screen write
check-layout
check-ink
tap-keys Jeg var redd på bussen. Det gikk over etter 10 min!
expect field Jeg var redd på bussen. Det gikk over etter 10 min!
key Left
key Left
key Left
key Left
describe w1.json
shot shots/write-keys.png
die
EOF
run --data-dir data --script w1.txt
grep -Eq '"caret":[[:space:]]*48,' w1.json || fail "caret after four Left keys: $(grep -o '"caret":[0-9]*' w1.json)"

# 2. start again: the editor is back, with every letter and the caret where it was
cat > w2.txt <<'EOF'
expect screen write
expect field Jeg var redd på bussen. Det gikk over etter 10 min!
describe w2.json
key End
tap-keys \nHilsen Kari
expect field Hilsen Kari
tap-on button Angre
expect-not field Kari
tap-keys Kari
key ctrl+Backspace
expect-not field Kari
type Kari og Per
key Backspace
key Backspace
key Backspace
key Backspace
expect field Hilsen Kari og
expect-not field og P
tap-on button Tilbake
expect screen messages
expect status Utkast
expect field Hilsen Kari og
shot shots/messages-draft.png
tap-on button Skriv videre
expect screen write
die
EOF
run --data-dir data --script w2.txt
grep -Eq '"caret":[[:space:]]*48,' w2.json || fail "caret after the restart: $(grep -o '"caret":[0-9]*' w2.json)"

# 3. a drag selects, a key replaces the selection, backspace held down repeats; then send
cat > w3.txt <<'EOF'
expect screen write
key ctrl+a
tap-keys Jeg kjente hjertet slå hardt
describe w3a.json
hold-on 1400 button Slett
describe w3b.json
tap-on button Slett
describe w3c.json
drag 40 212 220 212
describe w3d.json
tap-keys Vi
describe w3e.json
key ctrl+a
tap-keys Jeg kjente hjertet slå hardt i dag.
tap-on button Send
expect screen messages
expect text Jeg kjente hjertet slå hardt i dag.
expect status lagret på nettbrettet
expect-not status Utkast
shot shots/messages-sent.png
quit
EOF
run --data-dir data --script w3.txt
len() { grep -Eo '"text":[[:space:]]*"[^"]*"' "$1" | head -1 | sed -E 's/"text":[[:space:]]*"//; s/"$//' | tr -d '\n' | wc -m; }
a=$(len w3a.json) b=$(len w3b.json) c=$(len w3c.json)
# held 1.4 s: 0.5 s before it repeats, then one every 80 ms (words after 12): well over 5 characters, not all
[ $((a - b)) -ge 6 ] && [ "$b" -gt 1 ] || fail "backspace held 1.4 s deleted $((a - b)) of $a characters"
[ $((b - c)) -eq 1 ] || fail "a short tap on backspace deleted $((b - c)) characters"
# the drag from left of the first letter selected from 0 to some way in; typing replaced the selection
grep -Eq '"anchor":[[:space:]]*0,' w3d.json || fail "a drag did not start the selection at the start"
sel=$(grep -Eo '"caret":[[:space:]]*[0-9]+' w3d.json | grep -Eo '[0-9]+$')
[ "$sel" -ge 8 ] || fail "the drag selected only $sel bytes"
e=$(len w3e.json)
[ "$e" -eq $((c - sel + 2)) ] || fail "typing over a selection of $sel in $c characters left $e"

# 4. the message is kept: a fourth start shows it, and no draft
cat > w4.txt <<'EOF'
seek button Meldinger
tap-on button Meldinger
expect text Jeg kjente hjertet slå hardt i dag.
expect-not status Utkast
expect button Skriv en melding
EOF
run --data-dir data --script w4.txt

# 5. large text on a phone: the keyboard's rows split, keys stay at least 48 dp (check-layout), ink at 7:1
cat > w5.txt <<'EOF'
set text_pct 400
set theme contrast
seek button Meldinger
tap-on button Meldinger
tap-on button Skriv en melding
check-layout
check-ink
tap-keys Æ Ø Å æøå
expect field Æ Ø Å æøå
shot shots/write-phone-400.png
EOF
size=360x740 run --data-dir phone --script w5.txt

# 6. an exercise in a page: a checklist and a free-text answer on the keys, kept across a flat battery
cat > e1.txt <<'EOF'
tap-on button Modul 2
key End
tap-on button Trygghetsatferd og unngåelse
key End
tap-on button Fyll ut øvelsen
expect screen exercise
tap-on button Setter meg nær utgangen
tap-on button Sjekker pulsen
tap-on button Sjekker pulsen
tap-on button Puster på en bestemt måte
tap-on button Skriv svaret: Gjør du andre ting
expect screen write
tap-keys Jeg har alltid vann i vesken.
tap-on button Tilbake
expect screen exercise
expect text Jeg har alltid vann i vesken.
check-layout
check-ink
shot shots/exercise.png
die
EOF
run --data-dir data --script e1.txt
cat > e2.txt <<'EOF'
expect screen page
tap-on button Fyll ut øvelsen
expect button Setter meg nær utgangen – valgt
expect button Puster på en bestemt måte – valgt
expect-not button Sjekker pulsen eller kjenner etter i kroppen – valgt
expect text Jeg har alltid vann i vesken.
key End
tap-on button Ferdig
expect screen page
expect status Svarene dine er lagret på nettbrettet
EOF
run --data-dir data --script e2.txt

# 6b. a thought record (a table form) typed on the keys, and an exposure diary's row with «I dag» and 0–10
# steps, kept across a flat battery
{
    echo "key Escape"
    echo "key Escape"
    echo "expect screen home"
    echo "tap-on button Modul 2"
    echo "tap-on button Registrer panikkanfallene dine"
    echo "seek button Fyll ut øvelsen"
    echo "tap-on button Fyll ut øvelsen"
    for cell in "Situasjon|På bussen til jobb" "Tanke|Jeg kommer til å besvime" "Følelse|Redd" \
                "Alternativ tanke|Det er angst, ikke fare."; do
        echo "seek button ${cell%%|*}, rad 1"
        echo "tap-on button ${cell%%|*}, rad 1"
        echo "expect screen write"
        echo "tap-keys ${cell#*|}"
        echo "tap-on button Tilbake"
    done
    echo "key Home"
    echo "seek button Styrke (0–100), rad 1: 70"
    echo "tap-on button Styrke (0–100), rad 1: 70"
    echo "check-layout"
    echo "check-ink"
    echo "shot shots/thought-record.png"
    echo "die"
} > t1.txt
run --data-dir data --script t1.txt
cat > t2.txt <<'EOF'
expect screen page
seek button Fyll ut øvelsen
tap-on button Fyll ut øvelsen
expect button Situasjon, rad 1: På bussen til jobb
expect button Tanke, rad 1: Jeg kommer til å besvime
expect button Følelse, rad 1: Redd
seek button Alternativ tanke, rad 1: Det er angst, ikke fare.
key Home
seek button Styrke (0–100), rad 1: 70 – valgt
key End
tap-on button Legg til en rad
key Home
seek heading Rad 4
key End
tap-on button Ferdig
quit
EOF
run --data-dir data --script t2.txt
cat > t3.txt <<'EOF'
key Escape
key Escape
tap-on button Modul 3
tap-on button Bli i situasjonen
seek button Fyll ut øvelsen
tap-on button Fyll ut øvelsen
tap-on button Dato, rad 1: I dag
expect button Dato, rad 1: TODAY
seek button Angst før (0–10), rad 1: 8
tap-on button Angst før (0–10), rad 1: 8
expect button Angst før (0–10), rad 1: 8 – valgt
check-layout
shot shots/exposure-diary.png
EOF
sed -i "s/TODAY/$(date +%d.%m.%Y)/" t3.txt
run --data-dir data --script t3.txt

# 6c. a weekly questionnaire: one question to a screen, a flat battery after four answers, on from the fifth
# after the restart, the sum as the content scores it, sent, and the patient's own plot; a second week lower
{
    echo "key Escape"
    echo "key Escape"
    echo "expect screen home"
    echo "expect-not button Mine resultater"
    echo "tap-on button Modul 2"
    echo "tap-on button Ukens skjema"
    echo "seek button Svar på skjemaet"
    echo "tap-on button Svar på skjemaet"
    echo "expect screen quest"
    echo "expect status Spørsmål 1 av 9"
    echo "check-layout"
    echo "check-ink"
    echo "shot shots/questionnaire.png"
    for o in "Flere dager" "Mer enn halvparten av dagene" "Flere dager" "Ikke i det hele tatt"; do
        echo "tap-on button $o"
    done
    echo "expect status Spørsmål 5 av 9"
    echo "die"
} > q1.txt
run --data-dir data --script q1.txt
{
    echo "expect screen page"
    echo "seek button Svar på skjemaet"
    echo "tap-on button Svar på skjemaet"
    echo "expect status Spørsmål 5 av 9"
    echo "tap-on button ‹ Forrige"
    echo "expect button Ikke i det hele tatt – valgt"
    echo "tap-on button Neste ›"
    for o in "Nesten hver dag" "Flere dager" "Ikke i det hele tatt" "Flere dager" "Ikke i det hele tatt"; do
        echo "tap-on button $o"
    done
    echo "expect text Summen din: 9 av 27 – milde plager"
    echo "expect-not callout tanker om at du ville vært bedre død"
    echo "seek button Send inn"
    echo "tap-on button Send inn"
    echo "expect screen scores"
    echo "expect text 9 av 27 – milde plager"
    echo "key Escape"
    echo "seek button Svar på skjemaet"
    echo "tap-on button Svar på skjemaet"
    echo "expect status Spørsmål 1 av 9"
    for i in 1 2 3 4 5 6 7 8; do echo "tap-on button Ikke i det hele tatt"; done
    echo "tap-on button Flere dager"
    echo "expect text Summen din: 1 av 27"
    echo "expect callout tanker om at du ville vært bedre død"
    echo "expect button Hjelp nå"
    echo "shot shots/questionnaire-item9.png"
    echo "seek button Send inn"
    echo "tap-on button Send inn"
    echo "expect screen scores"
    echo "expect image PHQ-9: "
    echo "expect image : 9, "
    echo "expect image : 1"
    echo "set text_pct 400"
    echo "set theme dark"
    echo "check-layout"
    echo "check-ink"
    echo "shot shots/scores-400.png"
    echo "quit"
} > q2.txt
run --data-dir data --script q2.txt
cat > q3.txt <<'EOF'
key Escape
key Escape
expect screen home
seek button Mine resultater
tap-on button Mine resultater
expect screen scores
seek text 1 av 27
seek text 9 av 27 – milde plager
key Home
tap-on button Les opp resultatene
expect-speech playing
wait 1500
# the reading scrolls the list on as it goes (under that week, where help is, since the PHQ-9's item 9): back up
key Home
tap-on button Stopp opplesingen
expect-speech off
set text_pct 100
set theme cream
EOF
run --data-dir data --script q3.txt

# 7. the kiosk: write and send, and nothing at all is opened for writing, created or renamed on disk
cat > kiosk.txt <<'EOF'
seek button Meldinger
tap-on button Meldinger
tap-on button Skriv en melding
tap-keys Hemmelig tekst
tap-on button Send
expect text Hemmelig tekst
tap-on button Skriv en melding
tap-keys Et utkast
tap-on button Tilbake
expect status Utkast
EOF
# the kiosk starts on its welcome screen: in first, then the same steps
{ echo "tap-on button Se hvordan"; cat kiosk.txt; } > kiosk_in.txt
{ printf 'idle_timeout = 600\nwarning = 15\n'; printf '2468\n2468\n' | "$client" --kiosk-hash-pin; } > kiosk.conf
mkdir -p home
writes() {
    local script=$1
    shift
    HOME=$PWD/home XDG_DATA_HOME=$PWD/home/data XDG_CONFIG_HOME=$PWD/home/config TMPDIR=$PWD/home \
        strace -f -qq -e trace=open,openat,creat,mkdir,mkdirat,rename,renameat,renameat2,link,unlink,unlinkat,truncate \
        -o trace.txt "$client" --headless 800x1280 "$@" --script "$script" > /dev/null
    grep -Ev 'O_RDONLY|ENOENT' trace.txt | grep -Ev '^[0-9]+ +(\+\+\+|---)' || true
}
# the same steps without --kiosk do write (the check can see writes)
[ -n "$(writes kiosk.txt)" ] || fail "the trace saw no writes from a normal start: the kiosk check could not fail"
rm -rf home && mkdir home
w=$(writes kiosk_in.txt --kiosk-config "$PWD/kiosk.conf")
[ -z "$w" ] || fail "the kiosk wrote to disk: $w"
[ -z "$(ls -A home)" ] || fail "the kiosk left files in HOME: $(ls -A home)"
echo "ok: writing, restart, undo, selection, backspace repeat, send, phone at 400 %, an exercise kept, a thought record and an exposure diary, a questionnaire and its plot, kiosk"
