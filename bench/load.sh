#!/usr/bin/env bash
# bench/load.sh — issue 15's load figure: N enrolled tablets syncing against one and then two meistring-server
# instances sharing one database, on SQLite (a file) and on PostgreSQL (tests/lib/pg.sh's throwaway cluster), all
# on 127.0.0.1. Prints figures, never a pass/fail on timing. Run from anywhere after a build:
#   bench/load.sh [--tablets N] [--seconds S] [--backends "sqlite postgresql"] [--build DIR]
#   bench/load.sh --smoke [--build DIR]   5 tablets, 2 s, SQLite, one instance; fails unless the run saw no error
#                                          and every PUT was created exactly once (ctest bench.smoke.load)
# The generator is build/bench_load (bench/load.c): a sync is what a tablet's pass with nothing new sends, a
# manifest with its ETag (304) and the changes from its cursor, and every 10th sync of each tablet first PUTs a
# message under a fresh id. Per backend, each run S seconds (default 10, at most 20):
#   1. one instance, closed loop (16 syncs always in flight): the most syncs a second it answers;
#   2. one instance, open loop at 70 % of that, spread evenly over the tablets: the latency a tablet sees at a
#      load the instance sustains, and from it the capacity line (tablets at one sync per 5 minutes each);
#   3. the same with connections kept from one sync to the next (what the connection costs);
#   4. 1 and 2 again over https (the server's own --cert, a P-256 key): a TLS handshake per sync;
#   5. two instances on the same database, closed loop (32 in flight), each sync to one of them at random.
# Each sync opens a connection of its own, as a tablet does (it syncs every 5 minutes; the server closes a
# connection idle for 30 s), each tablet from a loopback address of its own (127.1.x.y; bench_load --one-address
# sends them all from 127.0.0.1, a clinic behind one NAT), and the servers' CPU time is printed beside each run.
# Then the database is asked how many messages it holds: every 201 must be one row. About 70 s per backend with
# 200 tablets (enrolling them takes 5-10 s); the machine's load average is printed first, since other work
# on it lowers every figure, and the generator itself runs on the same cores as the servers.
set -uo pipefail
cd "$(dirname "$0")/.."
build=build tablets=200 seconds=10 backends="sqlite postgresql" smoke=
usage() { sed -n '5,7p' "$0" | sed 's/^# *//'; exit 2; }
while [ $# -gt 0 ]; do
    case $1 in
    --tablets) tablets=${2:-}; shift 2 || usage ;;
    --seconds) seconds=${2:-}; shift 2 || usage ;;
    --backends) backends=${2:-}; shift 2 || usage ;;
    --build) build=${2:-}; shift 2 || usage ;;
    --smoke) smoke=1; shift ;;
    *) usage ;;
    esac
done
[ -n "$smoke" ] && tablets=5 seconds=2 backends=sqlite
[[ "$tablets" =~ ^[0-9]+$ ]] && [ "$tablets" -ge 1 ] && [ "$tablets" -le 5000 ] || { echo "load: --tablets 1-5000"; exit 2; }
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -ge 1 ] && [ "$seconds" -le 20 ] || { echo "load: --seconds 1-20"; exit 2; }
srv=$build/meistring-server
gen=$build/bench_load
for p in "$srv" "$gen"; do [ -x "$p" ] || { echo "load: build first (./quickstart build): no $p"; exit 1; }; done
command -v curl >/dev/null || { echo "load: needs curl (apt-get install curl) to enrol the tablets"; exit 1; }

# on the build's disk, not /tmp (which may be RAM, where an fsync costs nothing)
tmp=$(mktemp -d "$(cd "$build" && pwd)/load.XXXXXX")
pids=() last_pid=
stop_servers() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    pids=()
}
trap 'stop_servers; rm -rf "$tmp"' EXIT

stop_last() { # the server start_server started last
    kill "$last_pid" 2>/dev/null
    wait "$last_pid" 2>/dev/null
    local p keep=()
    for p in "${pids[@]}"; do [ "$p" = "$last_pid" ] || keep+=("$p"); done
    pids=("${keep[@]}")
}
alive() { local st; st=$(cat "/proc/$1/status" 2>/dev/null) && ! grep -q '^State:[[:space:]]*Z' <<< "$st"; }
free_port() { # a port on 127.0.0.1 nothing answers on (bounded: 50 tries)
    local port
    for _ in $(seq 50); do
        port=$((18600 + RANDOM % 1000))
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return 0; }
    done
    return 1
}
start_server() { # DB PORT [OPTION…]: a server on 127.0.0.1:PORT, up when its log says so (5 s at most); false if not
    local log="$tmp/serve-$2.log" pid
    "$srv" serve --db "$1" --content assets/demo --port "$2" "${@:3}" 2>"$log" &
    pid=$!
    for _ in $(seq 50); do
        alive $pid || break
        if grep -q '^meistring-server: serving' "$log"; then pids+=("$pid"); last_pid=$pid; return 0; fi
        sleep 0.1
    done
    kill $pid 2>/dev/null
    wait $pid 2>/dev/null
    return 1
}
enrol() { # DB URL: $tablets patients made (admin) and enrolled (POST /v1/enrol); their tokens in $tmp/tokens
    local i code tok
    : > "$tmp/tokens"
    for i in $(seq 1 "$tablets"); do
        code=$("$srv" admin --db "$1" create-patient "Load $i" 2>/dev/null | sed -n 's/.*code \([0-9]*\) \([0-9]*\)/\1\2/p')
        [ -n "$code" ] || { echo "load: admin create-patient failed"; return 1; }
        tok=$(curl -s --noproxy '*' --max-time 10 -X POST -H 'Content-Type: application/json' \
                   -d "{\"code\": \"$code\"}" "$2/v1/enrol" | sed -n 's/.*"device_token":"\([0-9a-f]*\)".*/\1/p')
        [ -n "$tok" ] || { echo "load: enrolment $i failed"; return 1; }
        echo "$tok" >> "$tmp/tokens"
    done
}
field() { awk -v k="$1" -v l="$2" '$1 == k && $2 == l {print $3; exit}' "$tmp/all.out"; } # NAME LABEL: its figure
latency() { sed -n "s/^load-latency-ms $1 $2 .* p99=\([0-9.]*\) .*/\1/p" "$tmp/all.out"; } # LABEL KIND: its p99
cpu_ticks() { # the CPU time of the servers running now, in clock ticks (user + system)
    local p t=0
    for p in "${pids[@]}"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done
    echo $t
}
load() { # LABEL ARGS…: one run of the generator, its lines printed and kept, and the servers' CPU beside it
    local c0 c1
    c0=$(cpu_ticks)
    "$gen" --tokens "$tmp/tokens" --seconds "$seconds" --label "$1" "${@:2}" | tee -a "$tmp/all.out"
    c1=$(cpu_ticks)
    n=$(sed -n "s/^load-syncs-per-s $1 [0-9.]* (\([0-9]*\) complete.*/\1/p" "$tmp/all.out")
    awk -v l="$1" -v t=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" -v n=${#pids[@]} -v s="$seconds" -v c="$(nproc)" \
        -v k="${n:-0}" 'BEGIN {printf "load-cpu-s %s servers=%.2f per-sync-ms=%.3f (%d running; the run offers %d" \
                                      " cores × %d s, shared with the generator and whatever else runs)\n",
                                      l, t / hz, (k > 0 ? t / hz * 1000 / k : 0), n, c, s}' | tee -a "$tmp/all.out"
}
capacity() { # LABEL URL WHAT: the closed-loop maximum, then an open loop at 70 % of it, and the capacity line
    local max rate got p99 p99r cpu
    load "$1-closed" --url "$2" --concurrency 16
    max=$(field load-syncs-per-s "$1-closed")
    cpu=$(sed -n "s/^load-cpu-s $1-closed servers=[0-9.]* per-sync-ms=\([0-9.]*\) .*/\1/p" "$tmp/all.out")
    awk -v m="${max:-0}" 'BEGIN {exit !(m > 0)}' || return 0
    rate=$(awk -v m="$max" -v n="$tablets" 'BEGIN {printf "%.4f", 0.7 * m / n}')
    load "$1-open" --url "$2" --rate "$rate"
    got=$(field load-syncs-per-s "$1-open")
    p99=$(latency "$1-open" sync-from-due)
    p99r=$(latency "$1-open" all)
    awk -v m="$max" -v g="$got" -v p="$p99" -v r="$p99r" -v l="$1" -v w="$3" -v c="${cpu:-0}" 'BEGIN {
        printf "load-capacity %s: one instance carries ≈ %d tablets at one sync per 5 minutes each (%s; %.0f syncs/s" \
               " sustained × 300 s, 70 %% of the closed-loop maximum of %.0f; at that load a sync takes p99 %s ms" \
               " from when it was due, a request p99 %s ms). Assumes syncs spread evenly over the 5 minutes, each" \
               " with nothing new (304 + empty changes) and 1 in 10 with a message, the demo programme, and" \
               " nothing else asking the server\n", l, int(g * 300 / 1000 + 0.5) * 1000, w, g, m, p, r
        # what the share of a busy machine hides: the CPU the server spent per sync, and what one core answers
        if (c > 0) printf "load-capacity-per-core %s: the server spent %.3f ms of CPU a sync, so one core of its own" \
                          " answers at most ≈ %d syncs/s, ≈ %d tablets at one sync per 5 minutes (CPU alone: no" \
                          " wait for the database lock or the disk counted)\n", l, c, 1000 / c, int(300 / c + 0.5) * 1000 }'
}
created_sum() { sed -n "s/^load-puts $1-[^ ]* sent=[0-9]* created=\([0-9]*\) .*/\1/p" "$tmp/all.out" | awk '{s += $1} END {print s + 0}'; }

if [ -z "$smoke" ]; then
    command -v openssl >/dev/null || { echo "load: needs openssl for the TLS runs"; exit 1; }
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=127.0.0.1 \
        -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null || { echo "load: openssl could not make a certificate"; exit 1; }
fi
echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start (other work on the" \
     "machine lowers every figure); $tablets tablets, $seconds s a run"
: > "$tmp/all.out"
for backend in $backends; do
    case $backend in
    sqlite) db="$tmp/load.db" ;;
    postgresql)
        # shellcheck source=../tests/lib/pg.sh
        . tests/lib/pg.sh
        pg_start meistring_load >/dev/null || { echo "postgresql: the throwaway cluster did not start"; continue; }
        db=$pg_url ;;
    *) echo "load: unknown backend $backend"; continue ;;
    esac
    p1=$(free_port) && p2=$(free_port) && p3=$(free_port) && [ "$p1" != "$p2" ] && [ "$p3" != "$p1" ] &&
        [ "$p3" != "$p2" ] || { echo "load: no free port"; exit 1; }
    if ! start_server "$db" "$p1"; then
        if [ "$backend" = postgresql ]; then
            echo "postgresql: not available in this build ($(head -1 "$tmp/serve-$p1.log"))"
            pg_stop
            continue
        fi
        echo "load: the server did not start on $backend: $(head -3 "$tmp/serve-$p1.log")"
        exit 1
    fi
    u1=http://127.0.0.1:$p1 u2=http://127.0.0.1:$p2 u3=https://127.0.0.1:$p3
    s=$(date +%s%N)
    enrol "$db" "$u1" || exit 1
    echo "load-enrol $backend tablets=$tablets ms=$(( ($(date +%s%N) - s) / 1000000 )) (admin create-patient +" \
         "POST /v1/enrol each, one at a time)"

    if [ -n "$smoke" ]; then
        load "$backend-1-closed" --url "$u1" --concurrency 16
    else
        capacity "$backend-1" "$u1" "http, a connection per sync"
        load "$backend-1-keepalive" --url "$u1" --concurrency 16 --keep-alive
        # the same instance behind TLS (its own --cert, a P-256 key made here): a handshake per sync
        if start_server "$db" "$p3" --cert "$tmp/cert.pem" --key "$tmp/key.pem"; then
            capacity "$backend-1-tls" "$u3" "https, a TLS handshake per sync"
            stop_last
        else
            echo "load: the TLS instance did not start: $(head -3 "$tmp/serve-$p3.log")"
        fi
        if start_server "$db" "$p2"; then
            load "$backend-2-closed" --url "$u1" --url "$u2" --concurrency 32
            two=$(field load-syncs-per-s "$backend-2-closed")
            max=$(field load-syncs-per-s "$backend-1-closed")
            awk -v a="${max:-0}" -v b="${two:-0}" -v k="$backend" 'BEGIN {
                if (a > 0) printf "load-two-instances %s: %.0f syncs/s against %.0f with one (×%.2f), the same" \
                                  " database, on the same %d cores\n", k, b, a, b / a, '"$(nproc)"' }'
        else
            echo "load: a second instance did not start on $backend: $(head -3 "$tmp/serve-$p2.log")"
        fi
    fi
    stop_servers
    # every 201 is one row: none lost, none stored twice
    created=$(created_sum "$backend")
    if [ "$backend" = sqlite ] && command -v sqlite3 >/dev/null; then
        stored=$(sqlite3 "$db" "SELECT count(*) FROM message WHERE from_patient=1" 2>/dev/null)
    elif [ "$backend" = postgresql ] && command -v psql >/dev/null; then
        stored=$(psql "$db" -tAc "SELECT count(*) FROM message WHERE from_patient" 2>/dev/null)
    fi
    echo "load-stored $backend messages=${stored:-?} created=$created (each 201 one row in the database)"
    [ "$backend" = postgresql ] && pg_stop
done

if [ -n "$smoke" ]; then
    # the generator's own bounds: loopback only, at most 60 s (it must refuse before it sends anything)
    for u in http://localhost:1 http://10.0.0.1:1 http://127.0.0.1.example:1 http://x@127.0.0.1:1 \
             http://127.0.0.2:1 http://127.0.0.1:1/v1 ftp://127.0.0.1:1 http://2130706433:1; do
        "$gen" --url "$u" --tokens "$tmp/tokens" --seconds 1 >/dev/null 2>&1
        [ $? = 2 ] || { echo "FAIL: bench_load took --url $u"; exit 1; }
    done
    "$gen" --url http://127.0.0.1:1 --tokens "$tmp/tokens" --seconds 61 >/dev/null 2>&1
    [ $? = 2 ] || { echo "FAIL: bench_load took --seconds 61"; exit 1; }
    grep -q '^load-errors sqlite-1-closed total=0 ' "$tmp/all.out" || { echo "FAIL: the run saw errors"; exit 1; }
    grep -Eq '^load-puts sqlite-1-closed sent=([1-9][0-9]*) created=\1 replayed=0 failed=0 ' "$tmp/all.out" ||
        { echo "FAIL: a PUT was not created exactly once (or none was sent)"; exit 1; }
    [ "${stored:-?}" = "$created" ] || { echo "FAIL: $created PUTs created, ${stored:-?} messages stored"; exit 1; }
    echo "bench.smoke.load: ok (no error, every PUT created once and stored once)"
fi
