# stop_pid.sh — sourced by the tests that start long-lived helpers (Xvfb, a traced client, xmessage):
# stop_pid PID ends one: TERM, up to 2 s for it to go, then KILL, and reaps it. An empty or dead PID is fine, and
# it returns 0 either way, so a caller under set -e (or its EXIT trap, stopping several) goes on to the next.
stop_pid() {
    local p=$1
    [ -n "$p" ] && kill -0 "$p" 2>/dev/null || return 0
    kill -TERM "$p" 2>/dev/null
    for _ in $(seq 20); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
}
