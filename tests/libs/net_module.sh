#!/usr/bin/env bash
# net_module.sh CLIENT SERVER DEMO WORKDIR — the network module (meistring-net.so: libcurl and its TLS stack) is
# loaded only when a server is configured (issue 14, src/core/sync_net.h):
#   1. the demo with no server never maps libcurl or the module — read from /proc/PID/maps while it shows a page,
#      and from the dynamic loader's own log (LD_DEBUG=libs) for the whole run, so a late dlopen is caught too;
#   2. an enrolled client with the real server on loopback loads it and syncs;
#   3. with the module missing, broken, or not ours, and a server configured: a clear error on screen and in the
#      log, and the programme already on the tablet still opens and reads.
set -uo pipefail
client=$(realpath "$1") server=$(realpath "$2") demo=$(realpath "$3") work=$4 port_base=19500 patient=Ola
source "$(dirname "$0")/../lib/clinic.sh"
export SDL_AUDIODRIVER=dummy
NET='libcurl|meistring-net|libssl|libgnutls|libkrb5|libldap|libssh'

# 1. no server: the demo, a page with an image on it, and not a library of the network mapped
cat > demo.txt <<'S'
tap-on button Modul 1
tap-on button Start modulen
key Right
wait 2500
expect screen page
quit
S
LD_DEBUG=libs LD_DEBUG_OUTPUT="$work/ld" "$client" --headless 800x1280 --data-dir demo-data --script demo.txt \
    > demo.out 2>&1 &
cpid=$!
# the script turns to the page at once and then waits 2.5 s: read the maps in the middle of that wait
sleep 1.5
maps=$(cat /proc/$cpid/maps 2>/dev/null)
wait $cpid || { cat demo.out; fail "the demo script failed"; }
[ -n "$maps" ] || fail "could not read the running demo's /proc/PID/maps"
n=$(printf '%s\n' "$maps" | awk '$6 ~ /\.so/ {print $6}' | sort -u | wc -l)
echo "demo (no server): $n shared objects mapped"
if printf '%s\n' "$maps" | grep -Eq "$NET"; then
    printf '%s\n' "$maps" | grep -E "$NET" | awk '{print $6}' | sort -u
    fail "the demo with no server maps the network libraries above"
fi
if cat "$work"/ld.* 2>/dev/null | grep -Eq "calling init: .*($NET)"; then
    cat "$work"/ld.* | grep -E "calling init: .*($NET)" | sort -u
    fail "the demo with no server loaded the network libraries above at some point"
fi
rm -f "$work"/ld.*

# 2. a server configured: enrolled on the keypad, the module loaded, the programme synced
start
{
    echo "expect screen enrol"
    for d in $(echo "$code" | grep -o .); do echo "tap-on button $d"; done
    echo "tap-on button Koble til"
    echo "wait 1500"
    echo "wait 4000"
    echo "expect screen home"
    echo "wait-for 10000 status Oppdatert kl."
    echo "quit"
} > enrol.txt
run enrol.txt > enrol.out 2>&1 || { cat enrol.out; fail "enrolment with the real server failed"; }

printf 'wait-sync 1 10000\nexpect status Oppdatert kl.\nwait 1500\nquit\n' > synced.txt
{ echo "pin-auto $pin_auto"; cat synced.txt; } > synced.txt.auto
# the dynamic loader's own log says whether the module was loaded, however slowly the machine runs (polling
# /proc/PID/maps for it raced a loaded CI machine: the client could sync and quit between two looks)
LD_DEBUG=libs LD_DEBUG_OUTPUT="$work/ldnet" "$client" --headless 800x1280 --data-dir data --server "$url" \
    --script synced.txt.auto > synced.out 2>&1 || { cat synced.out; fail "the enrolled client did not sync"; }
cat "$work"/ldnet.* 2>/dev/null | grep -q 'calling init: .*meistring-net\.so' \
    || fail "an enrolled client did not load the network module"
cat "$work"/ldnet.* 2>/dev/null | grep -q 'calling init: .*libcurl' \
    || fail "an enrolled client loaded the network module without libcurl"
rm -f "$work"/ldnet.*
echo "enrolled: the network module loaded and the sync went through"

# 3. the module missing, broken, or some other library: the error said, the programme still read
printf 'not an ELF file\n' > broken.so
for mod in "$work/missing/meistring-net.so" "$work/broken.so" "$(realpath /lib/x86_64-linux-gnu/libz.so.1 2>/dev/null || echo /usr/lib/x86_64-linux-gnu/libz.so.1)"; do
    {
        echo "pin-auto $pin_auto"
        echo "wait-sync 1 10000"
        echo "expect screen home"
        echo "expect status Appen mangler delen som henter fra klinikken"
        echo "check-layout"
        echo "tap-on button Modul 1"
        echo "tap-on button Start modulen"
        echo "expect heading Velkommen til kurset"
        echo "quit"
    } > nomod.txt
    rm -rf nomod-data && cp -a data nomod-data # each from home, where the enrolled run left it
    "$client" --headless 800x1280 --data-dir nomod-data --server "$url" --net-module "$mod" --script nomod.txt \
        > nomod.out 2>&1 || { cat nomod.out; fail "with the module $mod unusable the client did not carry on"; }
    grep -Eq 'meistring: net: (the network module could not be loaded|.* is not a Meistring network module)' \
        nomod.out || { cat nomod.out; fail "no clear error in the log for $mod"; }
    echo "module $(basename "$mod") unusable: $(grep -m1 'meistring: net:' nomod.out)"
done
stop
echo "net_module: ok"
