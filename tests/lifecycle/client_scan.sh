#!/usr/bin/env bash
# client_scan.sh CLIENT SERVER DEMO WORKDIR — issue 12's raw-disk test through the real program: the client's data
# dir lives on a small, fresh ext4 image (ext4_scan.sh: a loop mount, else fuse2fs). A patient enrols on the
# keypad, chooses a PIN, writes a message (sent), an exercise answer, a draft, and gets a therapist's reply, each
# with a canary word; the clinic marks the tablet returned and it wipes itself at its next sync. Then:
#   - no file is left in the data dir (the receipt sits beside it and holds no canary);
#   - the raw image, free blocks and journal included, holds no canary word, no byte of the device key and no
#     byte of the PIN-wrapped data key or its check value (read from the store before the wipe).
# The patient's words were sealed before SQLite saw them, so they were never on the disk in clear (NIST SP 800-88's
# cryptographic erase needs that as well as every copy of the key destroyed); ext4_scan.sh's own control proves
# the scan can see a deleted file's bytes. Skipped (77) only when the image cannot be mounted.
set -uo pipefail
if [ "${1:-}" = --inside ]; then
    # inside the mounted image: $MNT and $CANARY_FILE come from ext4_scan.sh
    shift
    client=$1 server=$2 demo=$3 work=$4
    cd "$work"
    data=$MNT/data
    fail() { echo "FAIL: $*"; exit 1; }
    "$server" admin --db s.db create-patient Siri > code.txt
    code=$(sed -n 's/.*code \([0-9]*\) \([0-9]*\)/\1\2/p' code.txt)
    port=$((18930 + RANDOM % 25))
    url=http://127.0.0.1:$port
    "$server" serve --db s.db --content "$demo" --port $port 2> server.log &
    spid=$!
    trap 'kill $spid 2>/dev/null' EXIT
    for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
    run() { SDL_AUDIODRIVER=dummy "$client" --headless 800x1280 --data-dir "$data" --server "$url" --script "$1" \
                > "$1.log" 2>&1 || fail "script $1: $(tail -3 "$1.log")"; }
    {
        echo "pin-auto 246813"
        for d in $(echo "$code" | grep -o .); do echo "tap-on button $d"; done
        echo "tap-on button Koble til"
        echo "wait-for 15000 heading Velg en PIN-kode"
        echo "wait-for 15000 button Meldinger" # pin-auto chooses the PIN before this step
        echo "tap-on button Meldinger"
        echo "tap-on button Skriv en melding"
        echo "tap-keys kanarimelding"
        echo "tap-on button Send"
        echo "wait 1500"
        echo "tap-on button Skriv en melding"
        echo "tap-keys kanariutkast"
        echo "wait 300"
        echo "key Escape"
        echo "key Escape"
        echo "expect screen home"
        echo "tap-on button Modul 2"
        echo "tap-on button Registrer panikkanfallene dine"
        echo "seek button Fyll ut øvelsen"
        echo "tap-on button Fyll ut øvelsen"
        echo "seek button Situasjon, rad 1"
        echo "tap-on button Situasjon, rad 1"
        echo "tap-keys kanarisvar"
        echo "tap-on button Tilbake"
        echo "key End"
        echo "tap-on button Ferdig"
        echo "key Escape"
        echo "key Escape"
        echo "key Escape"
        echo "quit"
    } > 1.txt
    run 1.txt
    "$server" admin --db s.db reply Siri "Hei Siri, kanaribrev fra behandleren." > /dev/null
    printf 'pin-auto 246813\nexpect screen home\ntap-on button Oppdater nå\nwait 3000\ntap-on button Meldinger\nexpect text kanaribrev\nquit\n' > 2.txt
    run 2.txt
    "$server" admin --db s.db messages Siri | grep -q kanarimelding || fail "the message did not reach the server"
    # the key material, read before the wipe: the device key, and every wrap in the keyring. From a copy outside
    # the image: a reader of its own on the real file would, closing last, make SQLite delete the WAL the client
    # keeps for the wipe to overwrite (its freed blocks would then hold the keyring, the test's doing)
    mkdir -p copy && cp "$data"/meistring.db* copy/
    python3 - "$data" "$CANARY_FILE" << 'PY' || fail "cannot read the key material"
import sqlite3, sys
data, out = sys.argv[1], sys.argv[2]
with open(out, "a") as f:
    f.write("device key\thex:%s\n" % open(data + "/device.key", "rb").read().hex())
    for name, blob in sqlite3.connect("copy/meistring.db").execute("SELECT name, wrapped FROM keyring"):
        f.write("keyring %s\thex:%s\n" % (name, bytes(blob)[-32:].hex()))  # its last 32 bytes: ciphertext and tag
    for word in ("kanarimelding", "kanariutkast", "kanarisvar", "kanaribrev"):
        f.write("%s\t%s\n" % (word, word))
PY
    grep -q "keyring pin" "$CANARY_FILE" || fail "the data key was not wrapped under the PIN"
    # the clinic takes the tablet back; its next sync sends what is queued, then it wipes itself
    "$server" admin --db s.db return Siri > /dev/null
    printf 'pin-auto 246813\nwait-for 15000 heading Koble nettbrettet til klinikken\nexpect screen enrol\nquit\n' > 3.txt
    run 3.txt
    grep -q "lock: wiped in" 3.txt.log || fail "the tablet did not wipe itself"
    left=$(find "$data" -type f 2>/dev/null)
    [ -z "$left" ] || fail "files left in the data dir after the wipe: $left"
    [ -f "$data.wipe-receipt.json" ] || fail "no wipe receipt beside the data dir"
    ! grep -q kanari "$data.wipe-receipt.json" || fail "the receipt holds a canary"
    sed -n 's/.*lock: wiped in \([0-9.]*\) ms.*/client_scan: the wipe took \1 ms/p' 3.txt.log
    exit 0
fi
[ $# -eq 4 ] || { echo "usage: $0 CLIENT SERVER DEMO WORKDIR"; exit 2; }
client=$(realpath "$1") server=$(realpath "$2") demo=$(realpath "$3") work=$4
rm -rf "$work"
mkdir -p "$work"
work=$(realpath "$work")
scan=$(cd "$(dirname "$0")" && pwd)/ext4_scan.sh
bash "$scan" --work "$work/image" -- bash "$(realpath "$0")" --inside "$client" "$server" "$demo" "$work"
status=$?
[ $status -eq 0 ] && echo "client_scan: ok: after the wipe no canary, no device-key byte and no wrapped key in the raw image"
exit $status
