#!/usr/bin/env bash
# light.sh CLIENT SERVER DEMO WORKDIR — issue 14, «sync writes nothing when nothing changed, rewrites only what
# changed, and a message never reloads the programme», through the real client and the real server on loopback,
# with a 32-module programme (make_programme.py) and the store on the disk the build is on:
#   1. a sync with nothing new (`--sync-once`, under strace): no fsync, no byte written to any file of the data
#      directory, no file made, renamed or removed. SQLite's wal-index (meistring.db-shm, shared memory between
#      connections) is rebuilt by every new process and is left out; the app's sync thread keeps its connection;
#   2. one module changed on the server: that one file is written (and fsync'd), every other file of the programme
#      keeps its inode (linked into the new directory, not rewritten);
#   3. in the app, a message arriving while the patient reads (read-aloud playing) loads nothing: read-aloud goes
#      on, and --stats counts one programme load (the start's);
#   4. the clinic opens a module while the patient reads: only that module is loaded, read-aloud goes on, and the
#      module opens from home.
set -euo pipefail
client=$1 server=$2 demo=$3 work=$4 port_base=18300 patient=Lea
here=$(cd "$(dirname "$0")" && pwd)
command -v strace > /dev/null || { echo "light: strace is not installed: skipped"; exit 77; }
source "$here/../lib/clinic.sh"
python3 "$here/make_programme.py" "$demo" prog 32
demo=$PWD/prog
start

"$client" --server "$url" --data-dir data --enrol "$code" --sync-once > first.txt
grep -q '^sync: ok, 36 files' first.txt || fail "the first sync: $(cat first.txt)"

# strace -y names each descriptor's file, so a write says where it went
trace() {
    strace -f -y -qq -o "$1" -e trace=write,pwrite64,writev,pwritev,pwritev2,fsync,fdatasync,sync_file_range,rename,renameat,renameat2,link,linkat,unlink,unlinkat,mkdir,mkdirat,ftruncate,openat \
        "$client" --server "$url" --data-dir data --sync-once
}
syscalls() { grep -cE "^[0-9]+ +($2)\(" "$1" || true; }

# ---- 1. nothing new ----------------------------------------------------------------------------------------
trace nothing.strace > nothing.txt
grep -q '^sync: ok, 0 files, 0 items' nothing.txt || fail "the sync with nothing new: $(cat nothing.txt)"
fsyncs=$(syscalls nothing.strace 'fsync|fdatasync|sync_file_range')
writes=$(grep -E '^[0-9]+ +(write|pwrite64|writev|pwritev2?)\([0-9]+</' nothing.strace | grep '/data/' | grep -vc -- '-shm>' || true)
shm=$(grep -E '^[0-9]+ +(write|pwrite64)\([0-9]+</[^>]*-shm>' nothing.strace | sed -n 's/.*= \([0-9]*\)$/\1/p' | awk '{s += $1} END {print s + 0}')
names=$(grep -E '^[0-9]+ +(rename|renameat|renameat2|link|linkat|unlink|unlinkat|mkdir|mkdirat|ftruncate)\(' nothing.strace |
    grep -vc -- '-shm>' || true)
made=$(grep -E '^[0-9]+ +openat\(' nothing.strace | grep 'O_CREAT' | grep -vcE 'meistring\.db(-wal|-shm)?"' || true)
echo "light: a sync with nothing new, 32 modules: fsyncs=$fsyncs writes=$writes files-made=$made renames-links-unlinks=$names (wal-index: $shm bytes)"
[ "$fsyncs" = 0 ] || fail "a sync with nothing new called fsync $fsyncs times: $(grep -E 'fsync|fdatasync' nothing.strace | head -5)"
[ "$writes" = 0 ] || fail "a sync with nothing new wrote $writes times: $(grep -E '(write|pwrite64)\(' nothing.strace | grep '/data/' | grep -v -- '-shm>' | head -5)"
[ "$names" = 0 ] || fail "a sync with nothing new made, renamed or removed $names names"
[ "$made" = 0 ] || fail "a sync with nothing new created $made files"

# ---- 2. one module changed on the server -------------------------------------------------------------------
sed -i '0,/"text": "/s//"text": "Endret av klinikken. /' prog/modules/m7.json
"$client" --validate prog > /dev/null || fail "the changed programme does not validate"
stop
start
(cd data/content && find . -type f -printf '%i %p\n' | sort -k2) > inodes-before.txt
trace one.strace > one.txt
grep -q '^sync: ok, 1 files' one.txt || fail "the sync after one module changed: $(cat one.txt)"
(cd data/content && find . -type f -printf '%i %p\n' | sort -k2) > inodes-after.txt
diff inodes-before.txt inodes-after.txt > inodes.diff || true
new_inodes=$(grep -c '^>' inodes.diff || true)
files=$(wc -l < inodes-after.txt)
grep -q '^> [0-9]* ./modules/m7.json$' inodes.diff || fail "modules/m7.json was not rewritten"
written=$(grep -E '^[0-9]+ +openat\(' one.strace | grep 'content\.new' | grep -c 'O_WRONLY' || true)
file_fsyncs=$(grep -E '^[0-9]+ +fsync\([0-9]+</[^>]*content\.new/' one.strace | grep -vc '/content\.new/[^>/]*>' || true)
all_fsyncs=$(syscalls one.strace 'fsync|fdatasync|sync_file_range')
echo "light: one module of 32 changed: files-written=$written new-inodes=$new_inodes of $files file-fsyncs=$file_fsyncs fsyncs-in-all=$all_fsyncs"
[ "$new_inodes" = 1 ] || fail "$new_inodes of $files files of the programme were rewritten: $(grep '^>' inodes.diff | head -5)"
[ "$written" = 1 ] || fail "$written files were written for one changed module"

# The steps of a sync pass arriving while the page is read aloud: read-aloud still plays after it, the reader still
# on the page; then back to home.
through_a_pass() {
    cat <<'S'
tap-on button Les høyt
expect-speech playing
wait-sync 1 15000
wait 500
expect-speech playing
expect screen page
key Escape
key Escape
key Escape
S
}

# ---- 3. a message arrives while the patient reads ----------------------------------------------------------
app() { # SCRIPT: the client headless on data, --stats on stderr (STATS file)
    { echo "pin-auto $pin_auto"; cat "$1"; } > "$1.auto"
    SDL_AUDIODRIVER=dummy "$client" --headless 800x1280 --data-dir data --server "$url" --script "$1.auto" --stats \
        2> "$1.stats" || { cat "$1.stats"; fail "$1"; }
}
cat > read.txt <<'S'
wait-sync 1 10000
tap-on button Modul 1
tap-on button Start modulen
key Right
expect screen page
quit
S
app read.txt
"$server" admin --db "$db" reply "$patient" "Hei Lea, fint at du leser." > /dev/null
stop
start --fault 'stall@/v1/changes:x1' # the pass ends 3 s into the reading, while read-aloud plays
{ echo "expect screen page"; through_a_pass; printf 'expect button Meldinger · 1 ny\nquit\n'; } > message.txt
app message.txt
loads=$(sed -n 's/.*programme-loads=\([0-9]*\).*/\1/p' message.txt.stats)
echo "light: a message arrived while reading: programme-loads=$loads"
[ "$loads" = 1 ] || fail "a message loaded the programme again ($loads loads)"

# ---- 4. the clinic opens a module while the patient reads --------------------------------------------------
"$server" admin --db "$db" unlock "$patient" m4 > /dev/null
stop
start --fault 'stall@/v1/changes:x1'
{ printf 'tap-on button Modul 1\ntap-on button Fortsett der du slapp\n'; through_a_pass; cat <<'S'; } > unlock.txt
expect button Modul 4: Veien videre – Åpen
tap-on button Modul 4
tap-on button Start modulen
expect heading Det du har lært
quit
S
app unlock.txt
loads=$(sed -n 's/.*programme-loads=\([0-9]*\).*/\1/p' unlock.txt.stats)
opened=$(sed -n 's/.*modules-opened-in-place=\([0-9]*\).*/\1/p' unlock.txt.stats)
echo "light: a module opened while reading: programme-loads=$loads modules-opened-in-place=$opened"
[ "$loads" = 1 ] && [ "$opened" = 1 ] || fail "an unlock loaded $loads programmes and $opened modules in place"
echo "light: ok"
