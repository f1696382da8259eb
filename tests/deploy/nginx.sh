#!/usr/bin/env bash
# nginx.sh CLIENT SERVER DEMO WORKDIR CONF — the region's layout of docs/deploy.md on one machine, through the real
# programs: `meistring-server publish` writes the programme's blobs as files; Debian's nginx runs CONF
# (dist/nginx/meistring.conf, with only its addresses, paths and certificate swapped) in the foreground with TLS,
# serving the blobs from disk and sending everything else to TWO meistring-server instances on one database;
# the real client enrols, syncs and opens a module page through nginx.
#   - publish: 9 written, then 9 kept; a damaged file rewritten, an older blob left in place;
#   - no blob request reaches an instance: both run with --fault 500@/v1/blobs, so one would fail the sync,
#     and nginx's access log shows every /v1/blobs/ line answered 200 or 206 from disk (no upstream);
#   - the API reached both instances (the upstream address on nginx's log lines);
#   - a resumed download (Range) gets 206 with the right Content-Range and bytes, and the immutable header;
#   - a blob not on disk falls through to an instance; a body over SRV_MAX_BODY is refused by nginx (413).
# The database: MEISTRING_TEST_DB=pg runs it on a throwaway PostgreSQL cluster (tests/lib/pg.sh) once the
# server has that backend; the default is one SQLite file that both instances share (WAL, one machine).
set -euo pipefail
client=$(realpath "$1") server=$(realpath "$2") demo=$(realpath "$3") work=$4 conf=$(realpath "$5")
lib=$(cd "$(dirname "$0")/../lib" && pwd)
source "$lib/stop_pid.sh"
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "SKIP: nginx is not installed (apt-get install nginx)"; exit 77; }
nginx=$(command -v nginx || echo /usr/sbin/nginx)
command -v openssl >/dev/null || { echo "SKIP: openssl is not installed"; exit 77; }

rm -rf "$work"
mkdir -p "$work"
work=$(realpath "$work")
cd "$work"
fail() {
    echo "FAIL: $*"
    for f in a.log b.log nginx-error.log; do [ -s "$f" ] && { echo "--- $f"; tail -n 20 "$f"; }; done
    exit 1
}
pids=()
cleanup() { for p in "${pids[@]}"; do stop_pid "$p"; done; }
trap cleanup EXIT
# waits (bounded) until something listens on 127.0.0.1:$1
wait_port() {
    for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done
    return 1
}

# ---- the database: one spec for both instances and the admin commands ----------------------------------------
if [ "${MEISTRING_TEST_DB:-sqlite}" = pg ]; then
    source "$lib/pg.sh"
    pg_start
    db=$pg_url
else
    db=$work/s.db
fi
# the tables first, as docs/deploy.md says, so two instances starting at once never both make them
if "$server" --help | grep -q ' migrate'; then "$server" migrate --db "$db" > migrate.log 2>&1 || { cat migrate.log; fail "migrate"; }; fi
"$server" admin --db "$db" create-patient Kari > code.txt
code=$(sed -n 's/.*code \([0-9]*\) \([0-9]*\)/\1\2/p' code.txt)
[ ${#code} = 8 ] || fail "no enrolment code from create-patient"

# ---- publish: the blobs as files; again, nothing to write; a damaged one rewritten; nothing deleted -----------
# The web server's user (www-data) reads these: everything on the way must be open to it.
umask 022
chmod 755 "$work"
out=$("$server" publish --content "$demo" --out public)
echo "$out"
[[ $out == *": 9 written, 0 kept, 0 older left in place" ]] || fail "first publish: $out"
out=$("$server" publish --content "$demo" --out public)
[[ $out == *": 0 written, 9 kept, 0 older left in place" ]] || fail "second publish: $out"
blobs=(public/v1/blobs/*)
[ ${#blobs[@]} = 9 ] || fail "publish left ${#blobs[@]} files, not 9"
for f in "${blobs[@]}"; do
    [ "$(sha256sum < "$f" | cut -c1-64)" = "$(basename "$f")" ] || fail "$f does not hold the bytes its name says"
    [ "$(stat -c %a "$f")" = 644 ] || fail "$f is not readable by the web server: $(stat -c %a "$f")"
done
victim=${blobs[0]}
printf 'not these bytes' > "$victim"
old=public/v1/blobs/$(printf 'an earlier programme' | sha256sum | cut -c1-64)
printf 'an earlier programme' > "$old"
out=$("$server" publish --content "$demo" --out public)
[[ $out == *": 1 written, 8 kept, 1 older left in place" ]] || fail "publish over a damaged file: $out"
[ "$(sha256sum < "$victim" | cut -c1-64)" = "$(basename "$victim")" ] || fail "the damaged blob was not rewritten"
[ -f "$old" ] || fail "publish deleted an older blob"
ls -a public/v1/blobs | grep -q '\.tmp$' && fail "publish left a temporary file"
# what cannot be done is said, with a non-zero exit: a programme that does not load, a directory not writable
"$server" publish --content "$work" --out public > /dev/null 2> bad.err && fail "publish of a directory with no programme succeeded"
[ -s bad.err ] || fail "publish of a directory with no programme said nothing"
touch afile
"$server" publish --content "$demo" --out afile > /dev/null 2> bad.err && fail "publish into a file succeeded"
grep -q 'afile' bad.err || fail "publish into a file: $(cat bad.err)"

# ---- TLS: a certificate for 127.0.0.1 that the client trusts with --ca ---------------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout key.pem -out cert.pem 2> openssl.log || fail "openssl: $(cat openssl.log)"

# ---- two API instances on one database; a blob request reaching either fails ------------------------------------
base=$((20100 + RANDOM % 800))
port=$base pa=$((base + 1)) pb=$((base + 2))
for i in a b; do
    p=$pa
    [ $i = b ] && p=$pb
    "$server" serve --db "$db" --content "$demo" --port $p --fault '500@/v1/blobs' --trusted-proxy 127.0.0.1 2> $i.log &
    pids+=($!)
    wait_port $p || fail "instance $i did not start on port $p"
    sleep 0.2
    kill -0 $! 2>/dev/null || fail "instance $i ended (port $p taken by another program?)"
done

# ---- nginx: CONF as it is, with this test's addresses, paths and certificate ---------------------------------
sed -e "s|listen 443 ssl http2;|listen 127.0.0.1:$port ssl http2;|" \
    -e '/listen \[::\]:443/d' \
    -e "s|server 127.0.0.1:8081 |server 127.0.0.1:$pa |" \
    -e "s|server 127.0.0.1:8082 |server 127.0.0.1:$pb |" \
    -e "s|root /var/www/meistring;|root $work/public;|" \
    -e "s|/etc/meistring/tls/fullchain.pem|$work/cert.pem|" \
    -e "s|/etc/meistring/tls/privkey.pem|$work/key.pem|" \
    -e "s|/var/log/nginx/meistring.access.log|$work/access.log|" \
    "$conf" > meistring.conf
# every site-specific line was swapped: nothing of the machine's own nginx or TLS is used
if sed 's/#.*//' meistring.conf | grep -nE '/etc/|/var/|:443|:808[12]'; then fail "the lines above of $conf were not swapped"; fi
mkdir -p tmp
cat > nginx.conf <<EOF
# the machine's nginx.conf, reduced to what this test needs: all state in $work, loopback only
daemon off;
master_process on;
worker_processes 2;
user www-data;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path $work/tmp/body;
    proxy_temp_path $work/tmp/proxy;
    fastcgi_temp_path $work/tmp/fastcgi;
    uwsgi_temp_path $work/tmp/uwsgi;
    scgi_temp_path $work/tmp/scgi;
    include $work/meistring.conf;
}
EOF
# -e: not even nginx's first line goes to the machine's /var/log/nginx
"$nginx" -t -e "$work/nginx-error.log" -p "$work" -c "$work/nginx.conf" > nginx-t.log 2>&1 || { cat nginx-t.log; fail "nginx -t"; }
"$nginx" -e "$work/nginx-error.log" -p "$work" -c "$work/nginx.conf" 2>> nginx-error.log &
pids+=($!)
wait_port $port || fail "nginx did not start on port $port"
sleep 0.2
kill -0 $! 2>/dev/null || fail "nginx ended (port $port taken by another program?)"
url=https://127.0.0.1:$port

# ---- the tablet: enrol and sync through nginx, then the app opens a module page (its own sync through nginx) --
timeout 30 "$client" --data-dir data --server "$url" --ca cert.pem --enrol "$code" --sync-once > sync.out 2>&1 ||
    { cat sync.out; fail "enrol and sync through nginx"; }
cat sync.out
grep -q '^enrol: ok' sync.out || fail "enrolment through nginx"
grep -q '^sync: ok, 8 files' sync.out || fail "the first sync did not fetch the programme's 8 files"
cat > page.txt <<'S'
pin-auto 246813
wait-sync 1 15000
expect screen home
expect status Oppdatert kl.
tap-on button Modul 1
tap-on button Start modulen
expect screen page
expect heading Velkommen til kurset
quit
S
SDL_AUDIODRIVER=dummy timeout 40 "$client" --headless 800x1280 --data-dir data --server "$url" --ca cert.pem \
    --script page.txt > page.out 2>&1 || { cat page.out; fail "the module page after a sync through nginx"; }

# ---- a resumed download: Range from byte 100 of the largest blob ---------------------------------------------
big=$(ls -S public/v1/blobs | head -1)
size=$(stat -c %s "public/v1/blobs/$big")
code206=$(curl -sS --max-time 10 --cacert cert.pem -r 100- -D range.hdr -o range.body -w '%{http_code}' \
    "$url/v1/blobs/$big")
[ "$code206" = 206 ] || fail "Range on a blob: HTTP $code206"
grep -qi "^content-range: bytes 100-$((size - 1))/$size" range.hdr || fail "Content-Range: $(grep -i content-range range.hdr)"
grep -qi '^cache-control: public, max-age=31536000, immutable' range.hdr || fail "no immutable Cache-Control"
tail -c +101 "public/v1/blobs/$big" | cmp -s - range.body || fail "the bytes from 100 on are not the blob's"
# a blob not published (publish forgotten after an update) falls through to an instance: here its injected 500
gone=$(basename "$victim")
mv "$victim" gone.blob
fallback=$(curl -sS --max-time 10 --cacert cert.pem -o /dev/null -w '%{http_code}' "$url/v1/blobs/$gone")
mv gone.blob "$victim"
[ "$fallback" = 500 ] || fail "an unpublished blob: HTTP $fallback, not the instance's injected 500"
# a body over SRV_MAX_BODY (64 KiB) is refused by nginx before an instance reads it
head -c 70000 /dev/zero | tr '\0' x > big.body
code413=$(curl -sS --max-time 10 --cacert cert.pem -X PUT --data-binary @big.body -o /dev/null -w '%{http_code}' \
    "$url/v1/messages/x")
[ "$code413" = 413 ] || fail "a 70000-byte body: HTTP $code413, not 413"

# ---- what nginx saw: blobs from disk, the API on both instances ----------------------------------------------
stop_pid "${pids[2]}" # nginx: its log is complete once it has gone
cat access.log | awk '{print $2, $3, $4, $6}' | sort | uniq -c
blob_lines=$(grep -c ' /v1/blobs/' access.log || true)
[ "$blob_lines" -ge 10 ] || fail "nginx logged $blob_lines blob requests, not the client's 8 and the test's 2"
grep -qE " /v1/blobs/$gone 500 [0-9]+ up=127\.0\.0\.1:($pa|$pb) " access.log ||
    fail "the unpublished blob did not go to an instance"
bad=$(grep ' /v1/blobs/' access.log | grep -v " /v1/blobs/$gone 500 " | grep -vE ' /v1/blobs/[0-9a-f]{64} (200|206) [0-9]+ up=- ' || true)
[ -z "$bad" ] || fail "blob requests not answered from disk: $bad"
api=$(grep -v ' /v1/blobs/' access.log)
echo "$api" | grep -q "up=127.0.0.1:$pa " || fail "no API request reached instance a"
echo "$api" | grep -q "up=127.0.0.1:$pb " || fail "no API request reached instance b"
na=$(echo "$api" | grep -c "up=127.0.0.1:$pa " || true)
nb=$(echo "$api" | grep -c "up=127.0.0.1:$pb " || true)
echo "deploy.nginx: publish 9/9 kept/1 rewritten, $((blob_lines - 1)) blobs from disk, API $na + $nb requests on two instances, Range 206, unpublished blob from an instance, 413 over 64 KiB: ok"
