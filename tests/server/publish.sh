#!/usr/bin/env bash
# publish.sh SERVER DEMO WORKDIR — `meistring-server publish` writes only where it was asked to, never through a
# link, and never into a path cut short (tests/deploy/nginx.sh checks what it writes; this, where):
#   - a v1 or blobs under --out that is a symbolic link is refused (exit non-zero, said), nothing written through it;
#   - a file already at publish's temporary name (a hard link to another file, as anyone who can write into blobs
#     could leave) is replaced, never written through: the other file keeps its bytes;
#   - an --out so long that OUT/v1/blobs/NAME would not fit is refused before anything is made, and nothing is
#     written anywhere under it (it used to be cut short into another path).
set -euo pipefail
server=$(realpath "$1") demo=$(realpath "$2") work=$3
rm -rf "$work"
mkdir -p "$work"
cd "$work"
fail() { echo "FAIL: $*"; exit 1; }

# ---- a symbolic link for v1, then for blobs ---------------------------------------------------------------------
mkdir -p elsewhere out1
ln -s "$PWD/elsewhere" out1/v1
"$server" publish --content "$demo" --out out1 > /dev/null 2> err1 && fail "publish through a v1 that is a link succeeded"
grep -q "symbolic link" err1 || fail "publish through a v1 link said: $(cat err1)"
mkdir -p out2/v1
ln -s "$PWD/elsewhere" out2/v1/blobs
"$server" publish --content "$demo" --out out2 > /dev/null 2> err2 && fail "publish through a blobs that is a link succeeded"
grep -q "symbolic link" err2 || fail "publish through a blobs link said: $(cat err2)"
[ -z "$(ls -A elsewhere)" ] || fail "publish wrote through a link: $(ls -A elsewhere | head -3)"

# ---- a hard link at the temporary name ---------------------------------------------------------------------------
"$server" publish --content "$demo" --out out3 > /dev/null
victim=$(ls out3/v1/blobs | head -1)
printf 'not these bytes' > "out3/v1/blobs/$victim" # so it is written again
printf 'precious' > precious
# exec keeps the pid: the temporary name is .SHA.PID.tmp
bash -c 'ln "$1" "$2/.$3.$$.tmp" && exec "$4" publish --content "$5" --out "$6"' _ precious out3/v1/blobs "$victim" \
    "$server" "$demo" out3 > out3.log 2>&1 || fail "publish over a planted temporary name: $(cat out3.log)"
[ "$(cat precious)" = precious ] || fail "publish wrote a blob through a hard link at its temporary name"
[ "$(sha256sum < "out3/v1/blobs/$victim" | cut -c1-64)" = "$victim" ] || fail "the damaged blob was not rewritten"
ls -a out3/v1/blobs | grep -q '\.tmp$' && fail "publish left a temporary file"

# ---- an --out too long for its paths -----------------------------------------------------------------------------
long=deep/$(printf 'd123456789/%.0s' $(seq 100)) # 1,105 bytes: OUT/v1/blobs/NAME does not fit the buffers
mkdir -p "$long"
"$server" publish --content "$demo" --out "$long" > /dev/null 2> err4 && fail "publish into a too long --out succeeded"
grep -q "too long" err4 || fail "publish into a too long --out said: $(cat err4)"
[ -z "$(find deep -mindepth 1 ! -type d | head -1)" ] || fail "publish wrote under a too long --out: $(find deep ! -type d | head -3)"
[ -z "$(find deep -name v1 -o -name blobs | head -1)" ] || fail "publish made directories under a too long --out"

echo "server.publish: links for v1 and blobs refused, a planted temporary name not written through, a too long --out refused: ok"
