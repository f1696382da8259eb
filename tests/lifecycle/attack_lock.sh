#!/usr/bin/env bash
# attack_lock.sh CASE CLIENT SERVER DEMO WORKDIR — regression tests for the security review of issue 12 (the
# loaned tablet's lock). Each CASE is a finding that fails until it is fixed:
#   staff_throttle  the staff code pad's wrong-code count and wait live only in memory (src/app/screens/staff.c,
#                   static failures/locked_until): `die` (a power cycle) after 3 wrong codes gives 3 new free tries,
#                   so a visitor can guess the clinic's staff code — and wipe the tablet — without the 30 s…900 s waits
#   return_draft    a remote return (admin return) wipes a tablet whose patient has a draft: the draft is neither
#                   sent nor counted (the receipt says «unsent 0»): the patient's words are destroyed silently
#   disk_full_pin   a full disk: lockout_save fails, so try_pin refuses to check any PIN, the right one included,
#                   and says nothing: the patient cannot open the tablet (needs a mount namespace; else 77)
set -uo pipefail
[ $# -eq 5 ] || { echo "usage: $0 CASE CLIENT SERVER DEMO WORKDIR"; exit 2; }
if [ "$1" = disk_full_pin ] && [ "${ATTACK_INSIDE:-}" != 1 ]; then
    unshare -rm true 2> /dev/null || { echo "SKIP: no mount namespaces here"; exit 77; }
    ATTACK_INSIDE=1 exec unshare -rm bash "$0" "$@"
fi
case_=$1 client=$(realpath "$2") server=$(realpath "$3") demo=$(realpath "$4") work=$(realpath -m "$5")
port_base=19300 patient=Siri
pin_auto= # the PINs are typed here
source "$(dirname "$0")/../lib/clinic.sh"
PIN=246813 STAFF=4321
pin() { for d in $(echo "$1" | grep -o .); do echo "tap-on button $d"; done; echo "tap-on button ${2:-Åpne}"; }
runs() { run "$1.txt" 2> "$1.err" || { cat "$1.err"; fail "$1.txt failed (above)"; }; }

printf '%s\n%s\n' $STAFF $STAFF | "$server" admin --db "$db" staff-code > /dev/null || fail "staff-code"
start
{
    for d in $(echo "$code" | grep -o .); do echo "tap-on button $d"; done
    echo "tap-on button Koble til"
    echo "wait-for 20000 heading Velg en PIN-kode"
    pin $PIN OK; pin $PIN OK
    echo "wait-for 15000 button Lås nettbrettet"
    echo "quit"
} > enrol.txt
runs enrol

case $case_ in
staff_throttle)
    sc() { for d in $(echo "$1" | grep -o .); do echo "tap-on button $d"; done; echo "tap-on button OK"; echo "wait 1500"; }
    { echo "expect screen lock"; echo "tap-on button For klinikken"; echo "expect screen staff"
      sc 1111; sc 2222; sc 3333; echo "expect status For mange feil"; echo "die"; } > s1.txt
    runs s1
    # after a restart the wait (or at least the count) must still be there: a 4th wrong code may not be checked now
    { echo "expect screen lock"; echo "tap-on button For klinikken"; sc 5555; echo "describe s2.json"; echo "quit"; } > s2.txt
    runs s2
    grep -q "staff: a wrong staff PIN" s2.err &&
        fail "after die, a wrong staff code was checked at once ($(grep 'wrong staff' s2.err)): the restart gave free tries"
    echo "attack.staff_throttle: ok"
    ;;
return_draft)
    { echo "expect screen lock"; pin $PIN; echo "wait-for 15000 button Lås nettbrettet"
      echo "tap-on button Meldinger"; echo "tap-on button Skriv en melding"; echo "tap-keys viktig kanariutkast"
      echo "wait 500"; echo "expect field kanariutkast"; echo "tap-on button Tilbake"; echo "tap-on button Tilbake"
      echo "expect screen home"; echo "quit"; } > d1.txt
    runs d1
    "$server" admin --db "$db" return $patient > /dev/null
    { echo "expect screen lock"; pin $PIN; echo "wait 8000"; echo "describe d2.json"; echo "quit"; } > d2.txt
    runs d2
    if grep -q "wiping the tablet" d2.err; then
        delivered=$("$server" admin --db "$db" messages $patient | grep -c kanariutkast || true)
        unsent=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("unsent",0))' data.wipe-receipt.json 2>/dev/null || echo 0)
        [ "$delivered" -ge 1 ] || [ "$unsent" -ge 1 ] ||
            fail "the remote return wiped the draft «viktig kanariutkast»: not delivered, and the receipt says unsent $unsent"
    fi
    echo "attack.return_draft: ok"
    ;;
disk_full_pin)
    stop
    mkdir -p disk && mount -t tmpfs -o size=3m tmpfs disk || { echo "SKIP: cannot mount a tmpfs"; exit 77; }
    cp -a data disk/data
    dd if=/dev/zero of=disk/filler bs=4k > /dev/null 2>&1
    { echo "expect screen lock"; pin $PIN; echo "wait 3000"; echo "describe f.json"; echo "quit"; } > f.txt
    SDL_AUDIODRIVER=dummy "$client" --headless 800x1280 --data-dir disk/data --script f.txt 2> f.err ||
        { cat f.err; fail "f.txt failed"; }
    grep -q "lock: unlocked" f.err ||
        fail "the disk is full and the right PIN does not open the tablet ($(grep 'lock:' f.err | tr '\n' ' '))"
    echo "attack.disk_full_pin: ok"
    ;;
*) fail "unknown case $case_" ;;
esac
