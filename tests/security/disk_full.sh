#!/usr/bin/env bash
# disk_full.sh CLIENT CONTENT WORK (CONTENT: a small programme unlike the bundled demo, e.g. tests/data/mini) — a tablet whose disk is full (issue 9, item 7), on a real 3 MiB tmpfs in a mount
# namespace of its own (needs root or CAP_SYS_ADMIN; skipped with status 77 where mounts are not allowed):
#   1. an update from the clinic that does not fit: the pass fails as SYNC_DISK_FULL, the programme on the tablet
#      is as it was, and home says «Nettbrettet er fullt …» (never «Oppdatert kl.»);
#   2. writing while full: whatever the editor claims is true — when it says «Lagret på nettbrettet» the text is
#      there after a flat battery; when a save fails it says so, with the banner;
#   3. room again: the update arrives and the programme opens.
set -u
client=$(realpath "$1")
demo=$(realpath "$2")
work=$3
here=$(cd "$(dirname "$0")/.." && pwd)
if [ "${DISK_FULL_INSIDE:-}" != 1 ]; then
    rm -rf "$work"
    mkdir -p "$work/disk"
    unshare -m true 2> /dev/null || { echo "SKIP: no mount namespaces here"; exit 77; }
    DISK_FULL_INSIDE=1 exec unshare -m bash "$0" "$@"
fi
cd "$work"
# the content as a clinic would serve it: every image present (the validator refuses a programme without one)
rm -rf content && cp -r "$demo" content && mkdir -p content/images
for src in $(grep -ho '"src": *"[^"]*"' content/modules/*.json | sed 's/.*"\([^"]*\)"$/\1/'); do
    [ -f "content/$src" ] || printf '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>' > "content/$src"
done
demo=$work/content
mount -t tmpfs -o size=3m tmpfs disk || { echo "SKIP: cannot mount a tmpfs"; exit 77; }
export SDL_AUDIODRIVER=dummy
fail() {
    echo "FAIL: $*"
    exit 1
}
port=$((19700 + RANDOM % 90))
url=http://127.0.0.1:$port
spid=
start() {
    python3 "$here/hostile/hostile.py" --port $port --content "$demo" --mode "$1" 2>> server.log &
    spid=$!
    for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2> /dev/null && return 0; sleep 0.05; done
    fail "the server did not start"
}
stop() { [ -n "$spid" ] && kill $spid && wait $spid 2> /dev/null; spid=; }
trap stop EXIT
data=disk/data

start good
"$client" --server "$url" --data-dir $data --enrol 12345678 --sync-once > enrol.log 2>&1 || fail "enrol: $(cat enrol.log)"
stop
(cd $data/content && find . -type f -print0 | sort -z | xargs -0 sha256sum) > before.sum
# 0. a disk full to the last block. The store still opens (it keeps its WAL file since issue 12, so it needs no
#    new room to open), but nothing more can be written: not even the PIN a CLI-enrolled tablet must choose, which
#    is then asked again at the next start rather than keep the patient from reading. The patient's programme is
#    still shown (not the demonstration), and the screen says the tablet is full and the PIN was not kept
dd if=/dev/zero of=disk/filler0 bs=4k > /dev/null 2>&1
cat > full0.txt << 'EOF'
pin-auto 246813
expect screen home
expect status Nettbrettet er fullt. Det du skriver nå, blir ikke lagret
expect status PIN-koden kunne ikke lagres
expect heading Et lite testprogram
expect-not status Oppdatert kl
tap-on button Første modul
expect screen module
shot home-full0.png
EOF
"$client" --headless 800x1280 --server "$url" --data-dir $data --script full0.txt > full0.log 2>&1 ||
    fail "a disk full to the last block: $(tail -3 full0.log)"
rm -f disk/filler0
# then nearly full: room for the store to open and a little more, not for the update
free_kb=$(df -k --output=avail disk | tail -1)
dd if=/dev/zero of=disk/filler bs=4k count=$(((free_kb - 160) / 4)) > /dev/null 2>&1
df -k disk | tail -1

# 1. an update that does not fit
start grown
"$client" --server "$url" --data-dir $data --sync-once > sync.log 2>&1
rc=$?
[ $rc -eq 1 ] || fail "the pass should fail on a full disk (rc $rc): $(cat sync.log)"
grep -q "sync: failed" sync.log || fail "no failure said: $(cat sync.log)"
(cd $data/content && find . -type f -print0 | sort -z | xargs -0 sha256sum) > after.sum
cmp -s before.sum after.sum || fail "the programme changed on a full disk"
cat > home.txt << 'EOF'
pin-auto 246813
wait-sync 1 60000
expect screen home
expect status Nettbrettet er fullt
expect-not status Oppdatert kl
shot home-full.png
EOF
"$client" --headless 800x1280 --server "$url" --data-dir $data --script home.txt > home.log 2>&1 ||
    fail "home on a full disk: $(tail -3 home.log)"
stop

# 2. writing while full: the screen's word is the truth
cat > write.txt << 'EOF'
pin-auto 246813
tap-on button Meldinger
tap-on button Skriv en melding
expect screen write
tap-keys Jeg skriver mens nettbrettet er fullt, og det jeg skriver må ikke forsvinne uten at jeg får vite det.
describe write.json
shot write-full.png
die
EOF
"$client" --headless 800x1280 --data-dir $data --script write.txt > write.log 2>&1 || fail "writing: $(tail -3 write.log)"
python3 - << 'EOF' || exit 1
import json, sys
d = json.load(open("write.json"))
w = d.get("writing", {})
texts = [e["text"] for e in d["elements"]]
saved = w.get("saved")
if saved is False:
    if not any("Kunne ikke lagre" in t for t in texts):
        sys.exit("FAIL: a save failed and the editor does not say so: %s" % texts)
    if not any("Nettbrettet er fullt" in t for t in texts):
        sys.exit("FAIL: a save failed and there is no full-disk banner")
elif any("Lagret på nettbrettet" in t for t in texts) and not w.get("text"):
    sys.exit("FAIL: «Lagret» with no text")
open("saved.txt", "w").write("%s\n%s" % (saved, w.get("text", "")))
print("while full: saved=%s, %d characters in the editor" % (saved, len(w.get("text", ""))))
EOF
rm -f disk/filler
cat > after.txt << 'EOF'
pin-auto 246813
describe after.json
quit
EOF
"$client" --headless 800x1280 --data-dir $data --script after.txt > after.log 2>&1 || fail "after: $(tail -3 after.log)"
python3 - << 'EOF' || exit 1
import json, sys
saved, text = open("saved.txt").read().split("\n", 1)
now = json.load(open("after.json")).get("writing", {}).get("text", "")
if saved == "True" and now != text:
    sys.exit("FAIL: the editor said «Lagret» but after a flat battery the draft is %r, not %r" % (now, text))
print("after a flat battery: %d characters kept" % len(now))
EOF

# 3. room again: the update arrives, the programme opens (through the app: the tablet has a PIN now, and the
#    command line's --sync-once cannot open a PIN store)
start grown
printf 'pin-auto 246813\nwait-sync 1 60000\nquit\n' > sync2.txt
"$client" --headless 800x1280 --server "$url" --data-dir $data --script sync2.txt > sync2.log 2>&1 ||
    fail "with room again: $(tail -3 sync2.log)"
[ -f $data/content/images/ny-tegning.svg ] || fail "the update did not arrive"
echo "a full disk told the truth and lost nothing"
