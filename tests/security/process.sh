#!/usr/bin/env bash
# process.sh CLIENT DEMO WORK — the client keeps its secrets in its own memory (issue 9, item 4):
#   1. a crash with `ulimit -c unlimited` writes no core file (the patient's messages are in clear in memory);
#   2. SSLKEYLOGFILE in the environment does not make libcurl's OpenSSL write the TLS secrets of a real sync;
#   3. the running client reports RLIMIT_CORE 0, not dumpable, and no SSLKEYLOGFILE (expect-hardened).
set -u
client=$(realpath "$1")
demo=$(realpath "$2")
work=$3
here=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$work"
mkdir -p "$work/crash"
cd "$work"
export SDL_AUDIODRIVER=dummy
fail() {
    echo "FAIL: $*"
    exit 1
}

# 3. from the inside
printf 'expect-hardened\nexpect screen home\n' > hardened.txt
SSLKEYLOGFILE=$work/keys0.log "$client" --headless 800x1280 --data-dir data0 --script hardened.txt ||
    fail "the running client is not hardened"

# 1. a crash: the kernel would write ./core (core_pattern «core») for a dumpable process
printf 'wait 20000\n' > wait.txt
(
    cd crash
    ulimit -c unlimited
    ASAN_OPTIONS=handle_segv=0:detect_leaks=0 UBSAN_OPTIONS=handle_segv=0 \
        "$client" --headless 800x1280 --data-dir data --script ../wait.txt > client.log 2>&1 &
    pid=$!
    for _ in $(seq 100); do
        grep -q "^Max core file size *0 *0" /proc/$pid/limits 2>/dev/null && break
        sleep 0.05
    done
    grep "Max core file size" /proc/$pid/limits > limits.txt
    sleep 1
    kill -SEGV $pid
    wait $pid
    echo "rc=$?" >> client.log
)
grep -q "^Max core file size *0 *0" crash/limits.txt || fail "RLIMIT_CORE is not 0: $(cat crash/limits.txt)"
grep -q "rc=139" crash/client.log || fail "the client did not die of SIGSEGV: $(tail -2 crash/client.log)"
ls crash | grep -q "^core" && fail "a core file was written: $(ls -la crash)"

# 2. a real TLS sync with SSLKEYLOGFILE set
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -keyout k.pem -out c.pem 2> /dev/null ||
    fail "openssl"
port=$((19900 + RANDOM % 90))
python3 "$here/hostile/hostile.py" --port $port --content "$demo" --mode good --cert c.pem --key k.pem 2> server.log &
spid=$!
trap 'kill $spid 2>/dev/null' EXIT
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2> /dev/null && break; sleep 0.05; done
SSLKEYLOGFILE=$work/keys.log "$client" --server https://127.0.0.1:$port --data-dir data --enrol 12345678 \
    --sync-once > sync.log 2>&1 || fail "the TLS sync failed: $(cat sync.log)"
[ -s keys.log ] && fail "TLS secrets were written to SSLKEYLOGFILE ($(wc -l < keys.log) lines)"
echo "no core, not dumpable, no TLS key log"
