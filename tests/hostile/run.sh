#!/usr/bin/env bash
# run.sh CLIENT DEMO WORK [MODE...] — the real client against hostile.py, one bad answer at a time (issue 9).
# For each mode: a tablet is enrolled and synced against a good server; the server comes back in the bad mode on
# the same port; then
#   1. `--sync-once` fails (or copes, for the harmless modes) without a crash or a sanitizer report, and says why;
#   2. the programme on the tablet is byte for byte what it was, and nothing was written outside it;
#   3. the real client on screen (headless) says something true about the last sync, never «Oppdatert kl.»;
#   4. after a restart with no server at all, the cached programme still opens at a page.
# Then TLS: a clinic name that only looks like loopback, a user-info trick, self-signed, expired and wrong-host
# certificates, a TLS 1.1-only server, a pin mismatch and a backup pin.
set -u
client=$(realpath "$1")
demo=$(realpath "$2")
work=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work"
cd "$work"
export SDL_AUDIODRIVER=dummy
failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}
spid=
port=$((19000 + RANDOM % 900))
url=http://127.0.0.1:$port
start() { # start MODE [hostile.py options]
    local mode=$1
    shift
    python3 "$here/hostile.py" --port "$port" --content "$demo" --mode "$mode" "$@" 2>>server.log &
    spid=$!
    for _ in $(seq 100); do
        (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && return 0
        kill -0 $spid 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}
stop() {
    [ -n "$spid" ] && kill $spid 2>/dev/null
    [ -n "$spid" ] && wait $spid 2>/dev/null
    spid=
}
trap stop EXIT

# A sanitizer report or a crash is never an acceptable answer to bad input.
sane() { # sane LOG RC WHAT
    if grep -q "runtime error\|AddressSanitizer\|LeakSanitizer" "$1"; then
        fail "$3: sanitizer report"
        sed -n '1,20p' "$1"
    fi
    [ "$2" -ge 128 ] && fail "$3: killed by signal $(($2 - 128))"
}

tree_sum() { (cd "$1" 2>/dev/null && find . -type f -print0 | sort -z | xargs -0 sha256sum) }

# What the home screen must say after a pass in each bad mode (a piece of the bokmål line).
truth() {
    case $1 in
    empty-modules | truncated-module | deep-module | wrong-types | bad-utf8-module | path-unwritable)
        echo "oppdatering som ikke kunne brukes" ;;
    revoked) echo "ikke lenger koblet til klinikken" ;;
    update-required) echo "må oppdateres" ;;
    redirect) echo "kunne ikke bekrefte" ;;
    drop) echo "Uten nett" ;;
    *) echo "svarer ikke som den skal" ;;
    esac
}

cat > home.txt <<'EOF'
pin-auto 246813
wait-sync 1 60000
expect screen home
describe home.json
shot home.png
EOF
# the therapist's message on screen: a 60,000-character word or bytes that are not UTF-8 must show, and «Hjelp
# nå» must answer at once (the word once froze the screen for 44 s)
cat > thread.txt <<'EOF'
pin-auto 246813
wait-sync 1 60000
tap-on button Meldinger
expect screen messages
shot thread.png
tap-on button Hjelp nå
expect screen help
EOF
cat > reopen.txt <<'EOF'
pin-auto 246813
expect screen home
tap-on button Modul 1
expect screen module
tap-on button Start modulen
expect screen page
describe page.json
EOF

modes=("$@")
if [ ${#modes[@]} -eq 0 ]; then
    mapfile -t modes < <(python3 "$here/hostile.py" --list | awk '$1 != "good" {print $1}')
fi
for mode in "${modes[@]}"; do
    want=$(python3 "$here/hostile.py" --list | awk -v m="$mode" '$1 == m {print $2}')
    d=$work/$mode
    mkdir -p "$d"
    start good || { fail "$mode: the good server did not start"; continue; }
    "$client" --server "$url" --data-dir "$d/data" --enrol 12345678 --sync-once > "$d/enrol.log" 2>&1
    rc=$?
    stop
    [ $rc -eq 0 ] || { fail "$mode: enrolling against the good server failed: $(cat "$d/enrol.log")"; continue; }
    tree_sum "$d/data/content" > "$d/before.sum"
    start "$mode" || { fail "$mode: the hostile server did not start"; continue; }
    # 1. one pass
    "$client" --server "$url" --data-dir "$d/data" --sync-once > "$d/sync.log" 2>&1
    rc=$?
    sane "$d/sync.log" $rc "$mode: --sync-once"
    if [ "$want" = refuse ]; then
        [ $rc -eq 1 ] || fail "$mode: the pass should fail (rc $rc): $(cat "$d/sync.log")"
        grep -q "sync: failed.*: ." "$d/sync.log" || fail "$mode: no reason given: $(cat "$d/sync.log")"
    else
        [ $rc -eq 0 ] || fail "$mode: the pass should cope (rc $rc): $(cat "$d/sync.log")"
    fi
    # 2. the programme untouched, nothing outside it
    tree_sum "$d/data/content" > "$d/after.sum"
    if [ "$want" = refuse ] && ! cmp -s "$d/before.sum" "$d/after.sum"; then
        fail "$mode: the cached programme changed"
        diff "$d/before.sum" "$d/after.sum" | head -5
    fi
    [ -e "$d/outside.svg" ] || [ -e "$d/data/outside.svg" ] || [ -e /tmp/meistring-owned.svg ] &&
        fail "$mode: a file was written outside the programme"
    ls -d "$d"/data/content.* > /dev/null 2>&1 && fail "$mode: a half-built programme was left behind"
    # 3. the screen tells the truth (not for the slow drip: each pass takes the full timeout)
    if [ "$mode" != slow-drip ]; then
        "$client" --headless 800x1280 --server "$url" --data-dir "$d/data" --script "$work/home.txt" \
            > "$d/home.log" 2>&1
        rc=$?
        mv -f home.json "$d/home.json" 2>/dev/null
        mv -f home.png "$d/home.png" 2>/dev/null
        sane "$d/home.log" $rc "$mode: on screen"
        [ $rc -eq 0 ] || fail "$mode: the client on screen failed: $(tail -3 "$d/home.log")"
        if [ "$want" = refuse ]; then
            grep -q "$(truth "$mode")" "$d/home.json" ||
                fail "$mode: home does not say «$(truth "$mode")»: $(grep -o '"status", "text": "[^"]*' "$d/home.json" | head -3)"
            grep -q "Oppdatert kl" "$d/home.json" && fail "$mode: home says «Oppdatert kl.» after a failed pass"
        fi
    fi
    if [ "$mode" = changes-long-word ] || [ "$mode" = changes-bad-utf8 ]; then
        "$client" --headless 800x1280 --server "$url" --data-dir "$d/data" --script "$work/thread.txt" \
            > "$d/thread.log" 2>&1
        rc=$?
        mv -f thread.png "$d/thread.png" 2>/dev/null
        sane "$d/thread.log" $rc "$mode: the thread"
        [ $rc -eq 0 ] || fail "$mode: the thread on screen failed: $(tail -3 "$d/thread.log")"
    fi
    stop
    # 4. a restart with no server: the cached programme opens
    "$client" --headless 800x1280 --data-dir "$d/data" --script "$work/reopen.txt" > "$d/reopen.log" 2>&1
    rc=$?
    sane "$d/reopen.log" $rc "$mode: restart"
    [ $rc -eq 0 ] || fail "$mode: the cached programme does not open after a restart: $(tail -3 "$d/reopen.log")"
    echo "ok: $mode ($want)"
done

# ---- TLS ----------------------------------------------------------------------------------------------------
# Names under .localhost reach 127.0.0.1 through curl's own resolver (RFC 6761) and are not loopback to the
# client, so certificates are checked for them as for any clinic.
if [ ${#@} -eq 0 ] || [ "${TLS:-}" = 1 ]; then
    t=$work/tls
    mkdir -p "$t"
    (
        cd "$t"
        openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=Meistring-test-CA -keyout ca.key -out ca.pem
        cert() { # cert NAME CN [openssl x509 dates]
            openssl req -newkey rsa:2048 -nodes -subj "/CN=$2" -keyout "$1.key" -out "$1.csr"
            printf 'subjectAltName=DNS:%s\n' "$2" > "$1.ext"
            openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -extfile "$1.ext" -out "$1.pem" \
                "${@:3}"
        }
        cert good clinic.localhost -days 2
        cert other other.example -days 2
        # expired: signed with dates in the past (openssl x509 has no -startdate; a CA config does)
        openssl req -newkey rsa:2048 -nodes -subj /CN=clinic.localhost -keyout old.key -out old.csr
        mkdir -p db && : > db/index && echo 01 > db/serial
        cat > ca.cnf <<'EOF'
[ca]
default_ca = c
[c]
database = db/index
serial = db/serial
new_certs_dir = db
policy = p
default_md = sha256
copy_extensions = none
x509_extensions = x
[p]
commonName = supplied
[x]
subjectAltName = DNS:clinic.localhost
EOF
        openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in old.csr -out old.pem \
            -startdate 20200101000000Z -enddate 20200201000000Z
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=clinic.localhost \
            -addext subjectAltName=DNS:clinic.localhost -keyout self.key -out self.pem
    ) > "$t/openssl.log" 2>&1 || fail "tls: could not make the certificates: $(tail -3 "$t/openssl.log")"
    pin_of() { openssl x509 -in "$1" -pubkey -noout | openssl pkey -pubin -outform der |
        openssl dgst -sha256 -binary | openssl base64; }
    goodpin=sha256//$(pin_of "$t/good.pem")
    badpin=sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
    tls_case() { # tls_case NAME ok|refuse CERT URL [client options]
        local name=$1 want=$2 cert=$3 u=$4
        shift 4
        local extra=()
        [ "$name" = tls11 ] && extra=(--tls-max 1.1)
        local tls=(--cert "$t/$cert.pem" --key "$t/$cert.key")
        [ "$cert" = none ] && tls=() # a plain HTTP server
        start good "${tls[@]}" "${extra[@]}" ||
            { fail "tls $name: the server did not start: $(tail -2 server.log)"; return; }
        rm -rf "$t/$name"
        "$client" --server "$u" --data-dir "$t/$name" --enrol 12345678 --sync-once "$@" > "$t/$name.log" 2>&1
        local rc=$?
        stop
        sane "$t/$name.log" $rc "tls $name"
        if [ "$want" = ok ]; then
            [ $rc -eq 0 ] || fail "tls $name: should sync: $(cat "$t/$name.log")"
        else
            [ $rc -eq 1 ] || fail "tls $name: should be refused (rc $rc): $(cat "$t/$name.log")"
            grep -q "failed.*: ." "$t/$name.log" || fail "tls $name: no reason given: $(cat "$t/$name.log")"
        fi
        echo "ok: tls $name ($want)"
    }
    clinic=https://clinic.localhost:$port
    tls_case ca-signed ok good "$clinic" --ca "$t/ca.pem"
    tls_case system-ca refuse good "$clinic"
    tls_case self-signed refuse self "$clinic" --ca "$t/ca.pem"
    tls_case expired refuse old "$clinic" --ca "$t/ca.pem"
    tls_case wrong-host refuse other "$clinic" --ca "$t/ca.pem"
    tls_case tls11 refuse good "$clinic" --ca "$t/ca.pem"
    tls_case pin-mismatch refuse good "$clinic" --ca "$t/ca.pem" --pin "$badpin"
    tls_case backup-pin ok good "$clinic" --ca "$t/ca.pem" --pin "$badpin;$goodpin"
    # names that only start like loopback are remote hosts: their certificate is checked (and fails here)
    tls_case lookalike-localhost refuse self "https://localhost.evil.localhost:$port"
    tls_case lookalike-127 refuse self "https://127.0.0.1.evil.localhost:$port"
    tls_case userinfo refuse self "https://127.0.0.1@clinic.localhost:$port"
    tls_case plain-http-lookalike refuse none "http://localhost.evil.localhost:$port"
    tls_case plain-http-loopback ok none "http://127.0.0.1:$port"
    # real loopback keeps its exemption for development and tests
    tls_case loopback-self-signed ok self "https://127.0.0.1:$port"
fi

if [ $failures -gt 0 ]; then
    echo "$failures failures"
    exit 1
fi
echo "all hostile answers handled"
