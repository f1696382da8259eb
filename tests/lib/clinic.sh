# clinic.sh — sourced by the walk-through tests: a fresh work dir with the reference server on loopback and the
# real client beside it. Set client, server, demo, work and port_base before sourcing; it defines url, the
# patient's enrolment code (code, for patient $patient), db (the server's database, for `--db "$db"`),
# start [SERVER OPTIONS…] / stop for the server, run SCRIPT for the client (800×1280 headless, data dir "data"),
# and fail MESSAGE.
rm -rf "$work"
mkdir -p "$work"
cd "$work"
# a port the kernel says is free: the same script runs twice at once (on SQLite and on PostgreSQL), and two
# servers on one port_base + RANDOM % 90 met often enough to fail both
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
: "$port_base" # kept by the callers; no longer used for the port
url=http://127.0.0.1:$port
fail() { echo "FAIL: $*"; exit 1; }
# the server's database: a SQLite file, or under tests/lib/on_postgresql.sh a fresh PostgreSQL database
db=s.db
if [ -n "${MEISTRING_TEST_PG_HOST:-}" ]; then
    source "$(dirname "${BASH_SOURCE[0]}")/pg.sh"
    db=$(pg_db "clinic_$$")
fi
"$server" admin --db "$db" create-patient "$patient" > code.txt
code=$(sed -n 's/.*code \([0-9]*\) \([0-9]*\)/\1\2/p' code.txt)
spid=
start() {
    "$server" serve --db "$db" --content "$demo" --port $port "$@" 2>/dev/null &
    spid=$!
    for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && return; sleep 0.1; done
    fail "server did not start"
}
stop() { kill $spid; wait $spid 2>/dev/null || true; }
trap 'kill $spid 2>/dev/null || true' EXIT
# the tablet has a PIN since issue 12: the harness types it whenever the lock or the PIN screen is on top
# (pin-auto, docs/harness.md); the lock's own test (tests/lifecycle/client.sh) sets pin_auto= to type it itself
pin_auto=${pin_auto-246813}
run() {
    { [ -n "$pin_auto" ] && echo "pin-auto $pin_auto"; cat "$1"; } > "$1.auto"
    SDL_AUDIODRIVER=dummy "$client" --headless 800x1280 --data-dir data --server "$url" --script "$1.auto"
}
