#!/usr/bin/env bash
# screen_reader.sh CLIENT WORKDIR — the client as a screen reader sees it (WCAG 4.1.2, 4.1.3, 1.3.1, 3.1.1): a private
# session bus (dbus-run-session) with the accessibility bus of at-spi2-core on it, the headless client with --a11y,
# and screen_reader.py asking over AT-SPI (pyatspi, as Orca does). Skips (77) where at-spi2-core, dbus,
# python3-pyatspi or the bridge module are missing, unless MEISTRING_REQUIRE_PACKAGES=1 (CI), where that fails.
set -euo pipefail
client=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
skip() {
    if [ "${MEISTRING_REQUIRE_PACKAGES:-}" = 1 ]; then echo "FAIL: $* (MEISTRING_REQUIRE_PACKAGES=1)"; exit 1; fi
    echo "SKIP: $*"
    exit 77
}
launcher=/usr/libexec/at-spi-bus-launcher
[ -x "$launcher" ] || skip "no $launcher (at-spi2-core)"
command -v dbus-run-session >/dev/null || skip "no dbus-run-session (dbus)"
# Debian's pyatspi is for Debian's python3, whatever else is first on PATH
py=/usr/bin/python3
"$py" -c 'import pyatspi' 2>/dev/null || skip "no pyatspi (python3-pyatspi)"
[ -e "$(dirname "$client")/meistring-a11y.so" ] || skip "no meistring-a11y.so beside the client (libatk1.0-dev, libatk-bridge2.0-dev)"
rm -rf "$work"
mkdir -p "$work"
# the session's own settings and runtime dir: nothing of the machine's desktop is read or written
export XDG_RUNTIME_DIR="$work/run" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
unset AT_SPI_BUS_ADDRESS DBUS_SESSION_BUS_ADDRESS NO_AT_BRIDGE
exec dbus-run-session -- "$py" "$here/screen_reader.py" "$client" "$work" "$launcher"
