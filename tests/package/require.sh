#!/usr/bin/env bash
# require.sh DEBS_SH — package.debs skips (77) where it cannot install packages (not root), except where
# MEISTRING_REQUIRE_PACKAGES=1 says it must run (.ci/run: CI is root, and a skip there would hide that the
# packages were never tried): then the same skip is a failure (1). Run as a user who is not root (nobody, when
# this runs as root), so the root check is the one that stops it, before anything is built or installed.
set -uo pipefail
[ $# -eq 1 ] || { echo "usage: $0 DEBS_SH"; exit 2; }
debs=$(realpath "$1")
as=()
[ "$(id -u)" = 0 ] && as=(runuser -u nobody --)
work=$(mktemp -d)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
cp "$debs" "$work/debs.sh" && chmod 644 "$work/debs.sh"   # where nobody can read it
fail=0
run() { # EXPECTED [VAR=VALUE]: debs.sh's exit status as a user who is not root
    local expected=$1 rc
    shift
    (cd "$work" && env -u MEISTRING_REQUIRE_PACKAGES "$@" "${as[@]}" bash "$work/debs.sh" "$work" "$work/never") \
        > "$work/out" 2>&1
    rc=$?
    if [ "$rc" = "$expected" ]; then echo "ok: ${*:-(nothing set)}: $rc: $(cat "$work/out")"
    else echo "FAIL: ${*:-(nothing set)}: exit $rc, not $expected: $(cat "$work/out")"; fail=1; fi
}
run 77
run 77 MEISTRING_REQUIRE_PACKAGES=0
run 1 MEISTRING_REQUIRE_PACKAGES=1
[ -e "$work/never" ] && { echo "FAIL: debs.sh made its work directory before the root check"; fail=1; }
exit $fail
