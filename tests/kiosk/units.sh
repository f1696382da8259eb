#!/usr/bin/env bash
# tests/kiosk/units.sh SOURCE_ROOT — `systemd-analyze verify` on the kiosk's systemd units (dist/kiosk/*.service)
# must pass without a word: no error and no warning. Exit 77 (CTest's skip) when systemd-analyze is absent.
set -uo pipefail
[ $# -eq 1 ] || { echo "usage: $0 SOURCE_ROOT"; exit 2; }
command -v systemd-analyze >/dev/null || { echo "SKIP: systemd-analyze is not installed (package systemd)"; exit 77; }
shopt -s nullglob
units=("$1"/dist/kiosk/*.service)
((${#units[@]})) || { echo "FAIL: no units in $1/dist/kiosk"; exit 1; }
out=$(systemd-analyze verify "${units[@]}" 2>&1)
rc=$?
[ -n "$out" ] && printf '%s\n' "$out"
if [ $rc -ne 0 ] || [ -n "$out" ]; then
    echo "FAIL: systemd-analyze verify (exit $rc) on ${units[*]##*/}"
    exit 1
fi
echo "kiosk.units: systemd-analyze verify passes on ${units[*]##*/}"
