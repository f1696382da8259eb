#!/usr/bin/env bash
# client_conf.sh CLIENT SERVER DEMO WORKDIR — the tablet's /etc/meistring/client.conf (client_config.h), through
# the real client and the real server on loopback, with --config pointing at a file of the test's own:
#   1. a tablet IT prepared (the file names the server, the launcher no option) opens on the enrolment screen;
#   2. it enrols and syncs from the command line with the server taken from the file;
#   3. a file with a mistake stops the client with the file, the line and the key named, the UI and --sync-once
#      alike; a --config file that does not exist stops it; --config beside --server is refused;
#   4. the command line comes first: --server given, the file is not read (a broken one stops nothing).
set -euo pipefail
client=$1 server=$2 demo=$3 work=$4 port_base=0 patient=Ola
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/clinic.sh"
start

printf '# Region Nord, prepared by IT\nserver = %s\n' "$url" > client.conf

# ---- 1. the UI, not enrolled: the clinic's code is asked for ------------------------------------------------
printf 'expect screen enrol\nquit\n' > enrol.txt
SDL_AUDIODRIVER=dummy "$client" --headless 800x1280 --data-dir fresh --config client.conf --script enrol.txt \
    > ui.out 2>&1 || fail "the prepared tablet did not open on the enrolment screen: $(tail -3 ui.out)"

# ---- 2. enrol and sync with the server from the file --------------------------------------------------------
"$client" --config client.conf --data-dir data --enrol "$code" --sync-once > first.txt 2>&1 ||
    fail "enrolment with the file's server: $(cat first.txt)"
grep -q '^sync: ok' first.txt || fail "the first sync: $(cat first.txt)"
"$client" --config client.conf --data-dir data --sync-once > again.txt 2>&1 || fail "a second sync: $(cat again.txt)"
grep -q '^sync: ok, 0 files' again.txt || fail "the sync with nothing new: $(cat again.txt)"

# ---- 3. mistakes stop it, named ------------------------------------------------------------------------------
printf 'server = %s\nca = region.pem\n' "$url" > broken.conf
set +e
"$client" --config broken.conf --data-dir data --sync-once > broken.txt 2>&1
rc=$?
SDL_AUDIODRIVER=dummy "$client" --headless 800x1280 --data-dir fresh --config broken.conf --script enrol.txt \
    > broken-ui.txt 2>&1
rc_ui=$?
"$client" --config nowhere.conf --data-dir data --sync-once > nowhere.txt 2>&1
rc_nowhere=$?
"$client" --config client.conf --server "$url" --data-dir data --sync-once > both.txt 2>&1
rc_both=$?
set -e
[ $rc -eq 1 ] && grep -q "broken.conf: line 2: ca: give the CA bundle as an absolute path" broken.txt ||
    fail "a broken file (exit $rc): $(cat broken.txt)"
[ $rc_ui -eq 1 ] && grep -q "broken.conf: line 2: ca:" broken-ui.txt || fail "the UI with a broken file (exit $rc_ui): $(cat broken-ui.txt)"
[ $rc_nowhere -eq 1 ] && grep -q "does not exist" nowhere.txt || fail "a missing --config (exit $rc_nowhere): $(cat nowhere.txt)"
[ $rc_both -eq 2 ] || fail "--config with --server (exit $rc_both): $(cat both.txt)"

# ---- 4. the command line first ------------------------------------------------------------------------------
"$client" --server "$url" --data-dir data --sync-once > cli.txt 2>&1 || fail "--server alone: $(cat cli.txt)"
grep -q '^sync: ok' cli.txt || fail "--server alone: $(cat cli.txt)"
stop
echo "client_conf: a prepared tablet enrols and syncs from its file; mistakes are named and stop it"
