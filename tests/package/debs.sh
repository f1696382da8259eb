#!/usr/bin/env bash
# debs.sh SOURCE_ROOT WORKDIR — issue 15: the Debian packages, as a clinic's IT department meets them.
#  1. Built the Debian way from a clean copy of the tracked sources: dpkg-buildpackage -b -us -uc.
#  2. lintian shows no error (warnings are printed; the one kept is overridden in debian/, with its reason).
#  3. Installed with apt-get install ./….deb on this machine; the copy of the sources is gone first, so the
#     installed client can only find its assets where it was installed. docs/deploy.md is installed beside
#     README.Debian; the two server units agree but for the port; systemd-analyze verify passes them.
#  4. The installed client runs the headless harness from / with no --assets: the demonstration's home screen,
#     read from /usr/share/meistring (strace shows where it read).
#  5. The installed server starts under systemd, or, where this machine has none running (a CI container), with
#     its unit's own ExecStart line and EnvironmentFile as the unit's user, in a mount namespace that hides what
#     the unit's PrivateTmp, ProtectHome and ProtectSystem=strict hide; it answers /v1/manifest, and runs with
#     the MEISTRING_OPTIONS=--trusted-proxy line of the installed docs/deploy.md §3 in server.conf.
#  6. meistring-admin creates a patient; the installed client enrols with its code and syncs (--sync-once);
#     then the same with the server on PostgreSQL (a throwaway cluster, set up as docs/deploy.md says: a role, the
#     URI in server.conf, migrate, restart); meistring-server publish writes the blobs as files (docs/deploy.md).
#  7. Purged again: the packages, /var/lib/meistring and the system users are gone, and the PostgreSQL cluster
#     of 6b is stopped and removed.
# Needs root (it installs packages); exit 77 (CTest's skip) when not root or without apt-get, or 1 when
# MEISTRING_REQUIRE_PACKAGES=1 (.ci/run sets it: CI runs as root, and a skipped package test there is a failure).
set -uo pipefail
[ $# -eq 2 ] || { echo "usage: $0 SOURCE_ROOT WORKDIR"; exit 2; }
src=$(realpath "$1")
work=$2
skip() {
    if [ "${MEISTRING_REQUIRE_PACKAGES:-}" = 1 ]; then echo "FAIL: $* (MEISTRING_REQUIRE_PACKAGES=1)"; exit 1; fi
    echo "SKIP: $*"
    exit 77
}
[ "$(id -u)" = 0 ] || skip "installing packages needs root"
command -v apt-get >/dev/null || skip "no apt-get"
for p in dpkg-buildpackage lintian help2man curl strace git; do
    command -v "$p" >/dev/null || { echo "FAIL: $p is needed (./quickstart installs it)"; exit 1; }
done
die() { echo "FAIL: $*"; exit 1; }
spid=
purge() {
    [ -n "$spid" ] && kill "$spid" 2>/dev/null
    if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then systemctl stop meistring-server 2>/dev/null; fi
    [ -n "$spid" ] && wait "$spid" 2>/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -q meistring meistring-server meistring-kiosk >/dev/null 2>&1
}
# the work directory is removed and made again, as root: only a directory of its own under a build or temporary
# tree, never "" or a system directory (review: `debs.sh SRC /var` would have wiped /var)
case "$work" in
    /tmp/?*|/var/tmp/?*|*/build*/?*|*/package-debs*) ;;
    *) die "the work directory must be a directory of its own under /tmp, /var/tmp or a build tree, not «$work»" ;;
esac
[ "$(realpath -m "$work")" = "$(realpath -m "$work/..")" ] && die "«$work» is a root"
rm -rf "$work"
mkdir -p "$work/src/meistring" || exit 1
dpkg -s meistring meistring-server >/dev/null 2>&1 && die "Meistring packages are installed already: this test would remove them"
trap purge EXIT

# 1. a clean copy of what git tracks (what a fresh clone holds), built as Debian builds
(cd "$src" && git ls-files -z | xargs -0 cp --parents -t "$work/src/meistring/") || die "cannot copy the sources"
t0=$(date +%s)
(cd "$work/src/meistring" && DEB_BUILD_OPTIONS="parallel=$(nproc)" dpkg-buildpackage -b -us -uc) \
    > "$work/build.log" 2>&1 || { tail -40 "$work/build.log"; die "dpkg-buildpackage failed"; }
echo "built in $(( $(date +%s) - t0 )) s: $(cd "$work/src" && ls ./*.deb | tr '\n' ' ')"

# 2. lintian
lintian --fail-on error "$work"/src/meistring_*.changes > "$work/lintian.log" 2>&1
lrc=$?
cat "$work/lintian.log"
[ $lrc = 0 ] || die "lintian found errors"

# 3. installed, with the build's copy of the sources gone
debs=("$work"/src/meistring_*_*.deb "$work"/src/meistring-server_*_*.deb "$work"/src/meistring-kiosk_*_all.deb)
rm -rf "$work/src/meistring"
DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${debs[@]}" > "$work/install.log" 2>&1 ||
    { tail -30 "$work/install.log"; die "apt-get install failed"; }
for f in /usr/bin/meistring /usr/bin/meistring-server /usr/sbin/meistring-admin /etc/meistring/server.conf \
         /usr/share/meistring/assets/i18n/nb.txt /usr/share/meistring/hyph/hyph_nb_NO.dic \
         /usr/share/meistring/hyph/hyph_nb_NO.tab \
         /usr/share/meistring/fonts/NotoSans-Regular.ttf /usr/share/meistring/fonts/OpenDyslexic-Regular.otf \
         /usr/share/applications/meistring.desktop /usr/share/icons/hicolor/scalable/apps/meistring.svg \
         /usr/share/man/man1/meistring.1.gz \
         /usr/share/man/man1/meistring-server.1.gz /usr/share/man/man8/meistring-admin.8.gz \
         /lib/systemd/system/meistring-server.service /lib/systemd/system/meistring-kiosk.service \
         /lib/systemd/system/meistring-server@.service /usr/share/doc/meistring-server/examples/meistring.conf \
         /etc/pam.d/meistring-kiosk; do
    [ -e "$f" ] || die "the packages installed no $f"
done
# the region's guide (debian/meistring-server.docs), where README.Debian says it is
doc=$(grep -o '/usr/share/doc/meistring-server/deploy\.md[.gz]*' /usr/share/doc/meistring-server/README.Debian | head -1)
[ -n "$doc" ] && [ -e "$doc" ] || die "README.Debian points to ${doc:-no deploy.md}, which the packages did not install"
# the single instance and the templated ones are one service but for the port: the same ordering, user, settings
# and sandbox (a line added to one only is a difference a clinic would meet when it moves to several instances)
unit_body() { sed -e '/^#/d' -e '/^Description=/d' -e 's/--port ${MEISTRING_PORT} /--port %i /' "$1"; }
diff <(unit_body /lib/systemd/system/meistring-server.service) <(unit_body /lib/systemd/system/meistring-server@.service) ||
    die "meistring-server.service and meistring-server@.service differ (above: < the single, > the templated one)"
# systemd's own reading of the installed units (it needs no running systemd)
if command -v systemd-analyze >/dev/null; then
    systemd-analyze verify /lib/systemd/system/meistring-server.service \
        /lib/systemd/system/meistring-server@8081.service /lib/systemd/system/meistring-kiosk.service \
        > "$work/verify.log" 2>&1 || { cat "$work/verify.log"; die "systemd-analyze verify found errors in the units"; }
    [ -s "$work/verify.log" ] && { cat "$work/verify.log"; die "systemd-analyze verify warned about the units"; }
    echo "systemd-analyze verify: the three units are clean"
else
    echo "no systemd-analyze here: the units are not verified"
fi
getent passwd meistring >/dev/null || die "no meistring system user"
getent passwd meistring-kiosk >/dev/null || die "no meistring-kiosk system user"
grep -q '^ExecStart=/usr/bin/env XDG_RUNTIME_DIR=/run/meistring-kiosk /usr/bin/cage -d -- *\\$' \
    /lib/systemd/system/meistring-kiosk.service || die "the kiosk's unit does not start cage"
grep -q '^ *\/usr\/bin\/meistring --kiosk' /lib/systemd/system/meistring-kiosk.service ||
    die "the kiosk's unit does not start the installed client"

# 4. the installed client, from /, with nothing but what was installed
cat > "$work/home.txt" <<'S'
expect screen home
expect status Demonstrasjon
check-layout
check-words
tap-on button Modul 1
tap-on button Start modulen
expect screen page
check-all-pages
quit
S
(cd / && SDL_AUDIODRIVER=dummy XDG_DATA_HOME="$work/xdg" strace -f -e trace=openat -o "$work/client.strace" \
    /usr/bin/meistring --headless 360x640 --script "$work/home.txt" --data-dir "$work/tablet-demo") ||
    die "the installed client did not run the demonstration"
grep -q '"/usr/share/meistring/assets/demo/programme.json"\|/usr/bin/../share/meistring/assets/demo/programme.json' \
    "$work/client.strace" || die "the installed client did not read its programme from /usr/share/meistring"
grep -q 'share/meistring/hyph/hyph_nb_NO.dic' "$work/client.strace" || die "no hyphenation patterns read"
echo "installed client: the demonstration from /usr/share/meistring"

# 5. the installed server on a free loopback port, as the clinic would set it (server.conf)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed -i "s/^MEISTRING_PORT=.*/MEISTRING_PORT=$port/" /etc/meistring/server.conf
have_systemd() { command -v systemctl >/dev/null && [ -d /run/systemd/system ]; }
start_server() { # (re)starts the installed server as systemd would, and waits for /v1/manifest's 401
    if have_systemd; then
        systemctl restart meistring-server || die "systemctl restart meistring-server failed"
        how="systemd"
    else
        # no systemd running here: the unit's own lines, read as systemd reads them — the EnvironmentFile is
        # KEY=VALUE lines, never shell (a postgresql:// URI holds '&'), and in ExecStart ${KEY} is one word
        # while $KEY splits on spaces
        [ -n "$spid" ] && { kill "$spid"; wait "$spid" 2>/dev/null; spid=; }
        local unit=/lib/systemd/system/meistring-server.service
        local exec_line user envfile k v w
        exec_line=$(sed -n 's/^ExecStart=//p' "$unit")
        user=$(sed -n 's/^User=//p' "$unit")
        envfile=$(sed -n 's/^EnvironmentFile=//p' "$unit")
        [ -n "$exec_line" ] && [ "$user" = meistring ] && [ -n "$envfile" ] || die "the unit lacks ExecStart, User or EnvironmentFile"
        declare -A env=()
        while IFS= read -r line; do
            [[ $line =~ ^([A-Z_][A-Z0-9_]*)=(.*)$ ]] && env[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
        done < "$envfile"
        local args=() more=()
        read -ra words <<< "$exec_line"
        for w in "${words[@]}"; do
            if [[ $w =~ ^\$\{([A-Z_][A-Z0-9_]*)\}$ ]]; then
                args+=("${env[${BASH_REMATCH[1]}]:-}")
            elif [[ $w =~ ^\$([A-Z_][A-Z0-9_]*)$ ]]; then
                read -ra more <<< "${env[${BASH_REMATCH[1]}]:-}"
                args+=("${more[@]}")
            else
                args+=("$w")
            fi
        done
        # what the unit hides, hidden here too, in a mount namespace of the server's own: PrivateTmp (a /tmp and
        # /var/tmp of its own), ProtectHome=yes (no /home, /root, /run/user) and ProtectSystem=strict (everything
        # read-only but its StateDirectory): a database or a programme where the unit cannot see it fails here
        # as it would under systemd
        local sandbox=() mounts="set -e;" state
        if grep -qx 'PrivateTmp=yes' "$unit"; then
            mounts+=" mount -t tmpfs -o mode=1777 tmpfs /tmp; mount -t tmpfs -o mode=1777 tmpfs /var/tmp;"
        fi
        if grep -qx 'ProtectHome=yes' "$unit"; then
            mounts+=" for d in /home /root /run/user; do if [ -d \$d ]; then mount -t tmpfs -o ro,mode=000 tmpfs \$d; fi; done;"
        fi
        if grep -qx 'ProtectSystem=strict' "$unit"; then
            state=/var/lib/$(sed -n 's/^StateDirectory=//p' "$unit")
            mounts+=" mount --bind $state $state; mount -o remount,bind,ro /;"
        fi
        if unshare -m --propagation private true 2>/dev/null; then
            sandbox=(unshare -m --propagation private sh -c "$mounts"' exec "$@"' sandbox)
            how="its unit's ExecStart as $user, with its PrivateTmp, ProtectHome and ProtectSystem"
        else
            how="its unit's ExecStart as $user (no mount namespace here: its PrivateTmp, ProtectHome and ProtectSystem not applied)"
        fi
        "${sandbox[@]}" runuser -u "$user" -- "${args[@]}" > "$work/server.log" 2>&1 &
        spid=$!
    fi
    code=
    for _ in $(seq 50); do
        code=$(curl -s -o "$work/manifest.json" -w '%{http_code}' "http://127.0.0.1:$port/v1/manifest")
        [ "$code" != 000 ] && break
        sleep 0.2
    done
    [ "$code" = 401 ] || { cat "$work/server.log" 2>/dev/null; die "/v1/manifest without a token answered $code, not 401"; }
}
# behind nginx, as the installed docs/deploy.md §3 says: its MEISTRING_OPTIONS line, as it is, in server.conf; the
# unit passes it on split into words, and the server takes it (it refuses an option it does not know)
opt=$(zcat -f "$doc" | grep -m1 -x 'MEISTRING_OPTIONS=--trusted-proxy [0-9.]*')
[ -n "$opt" ] || die "$doc shows no MEISTRING_OPTIONS=--trusted-proxy … line to put in server.conf"
sed -i "s/^MEISTRING_OPTIONS=.*/$opt/" /etc/meistring/server.conf
start_server
echo "installed server: started by $how, /v1/manifest answers 401 without a token"
spid_serve=$(pgrep -u meistring -f '^/usr/bin/meistring-server serve ' | head -1)
[ -n "$spid_serve" ] && tr '\0' ' ' < "/proc/$spid_serve/cmdline" | grep -q -- " ${opt#MEISTRING_OPTIONS=}\( \|$\)" ||
    die "the server does not run with ${opt#MEISTRING_OPTIONS=}: $(tr '\0' ' ' < "/proc/${spid_serve:-0}/cmdline" 2>&1)"
echo "installed server: with docs/deploy.md's $opt"
[ -O /var/lib/meistring ] && die "/var/lib/meistring is root's"
[ "$(stat -c %U /var/lib/meistring)" = meistring ] || die "/var/lib/meistring is not the meistring user's"

# 6. a patient, a tablet enrolled with the code, a sync
tablet() { # NAME TABLET-DIR: a patient made with meistring-admin, the installed client enrolled and synced
    local out enrol
    out=$(meistring-admin create-patient "$1") || die "meistring-admin create-patient failed"
    enrol=$(printf '%s\n' "$out" | sed -n 's/.*enrolment code \([0-9 ]*\)$/\1/p' | tr -d ' ')
    [ -n "$enrol" ] || die "no enrolment code in: $out"
    XDG_DATA_HOME="$work/xdg" /usr/bin/meistring --server "http://127.0.0.1:$port" --enrol "$enrol" --sync-once \
        --data-dir "$2" > "$work/enrol.log" 2>&1 || { cat "$work/enrol.log"; die "the installed client did not enrol and sync"; }
    grep -rqs '"modules"' "$2" || die "the tablet holds no programme after the sync"
}
tablet "T.P." "$work/tablet"
echo "a patient created with meistring-admin; the installed client enrolled with its code and synced"

# 6b. the same on PostgreSQL, as docs/deploy.md sets it up: a role and a database of the meistring user, the URI
# in server.conf, `meistring-server migrate` as that user, the service restarted; a patient, a tablet, a sync.
# The cluster's socket is under /run, not /tmp: the unit's PrivateTmp gives the service a /tmp of its own (and
# ProtectHome hides /root and /home), as it would hide a socket there from the real service.
source "$src/tests/lib/pg.sh"
MEISTRING_PG_PARENT=/run pg_start meistring > /dev/null || die "no PostgreSQL cluster (apt-get install postgresql)"
pg_left=$pg_dir
pg_pid=$(head -1 "$pg_dir/data/postmaster.pid")
psql -q -h "$pg_dir" -U postgres -d postgres -c "CREATE ROLE meistring LOGIN" -c "ALTER DATABASE meistring OWNER TO meistring" \
    || die "could not make the meistring role"
uri="postgresql:///meistring?host=$pg_dir&user=meistring"
sed -i "s|^MEISTRING_DB=.*|MEISTRING_DB=${uri//&/\\&}|" /etc/meistring/server.conf
grep -qxF "MEISTRING_DB=$uri" /etc/meistring/server.conf || die "server.conf does not name the database"
out=$(runuser -u meistring -- /usr/bin/meistring-server migrate --db "$uri") || die "migrate failed: $out"
[ "$out" = "schema version 1 (postgresql)" ] || die "migrate said: $out"
start_server
tablet "P.G." "$work/tablet-pg"
n=$(psql -tA -h "$pg_dir" -U postgres -d meistring -c "SELECT count(*) FROM patient WHERE token IS NOT NULL")
[ "$n" = 1 ] || die "PostgreSQL holds $n enrolled patients, not 1"
echo "on PostgreSQL: migrate said \"$out\"; the service restarted on it ($how); a tablet enrolled and synced"

# the programme's blobs as files for nginx (docs/deploy.md), from the installed server
out=$(/usr/bin/meistring-server publish --content /usr/share/meistring-server/demo --out "$work/www") ||
    die "the installed server's publish failed"
[[ $out == *" written, 0 kept, 0 older left in place" ]] && [ -n "$(ls "$work/www/v1/blobs")" ] ||
    die "publish: $out"
echo "installed server: $out"

# 7. purged: nothing left behind, PostgreSQL's throwaway cluster included (pg.sh's EXIT trap stops it on the way
# out of a failure; on success it is stopped here, and checked, before the traps are cleared)
[ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
spid=
purge
pg_stop
for f in /usr/bin/meistring /etc/meistring/server.conf /var/lib/meistring "$pg_left"; do
    [ -e "$f" ] && die "$f is left after purge"
done
getent passwd meistring >/dev/null && die "the meistring user is left after purge"
# (a postmaster that exited may linger a moment as a zombie, its parent being init: that one does not run)
st=$(ps -o stat= -p "$pg_pid") && [[ $st != Z* ]] && die "the test's PostgreSQL (pid $pg_pid, in $pg_left) still runs"
pgrep -f -- "$pg_left" >/dev/null && die "processes of the test's cluster still run: $(pgrep -af -- "$pg_left")"
trap - EXIT
echo "PASS: built, lintian-clean of errors, installed, the client and the server run as installed, purged, the cluster gone"
