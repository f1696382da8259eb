# pg.sh — sourced by tests and the bench: a throwaway PostgreSQL cluster of Debian's postgresql package, made in a
# fresh directory, listening on a Unix socket in that directory only (no TCP port, so parallel tests never meet),
# and removed with everything in it when the shell exits.
#   pg_start [NAME]   makes and starts the cluster and database NAME (default meistring); sets pg_url to its
#                     postgresql:// URI and pg_dir to its directory
#   pg_db NAME        (with MEISTRING_TEST_PG_HOST, from on_postgresql.sh) makes database NAME in that cluster if it
#                     is not there yet and prints its postgresql:// URI
#   pg_stop           stops it (immediate) and removes it; an EXIT trap calls it too, before the caller's own
# The cluster's directory (and its socket) is made in /tmp, or in MEISTRING_PG_PARENT when set: the packages' test
# puts it under /run, where a unit with PrivateTmp=yes still sees it.
# PostgreSQL refuses to run as root: as root (CI, the packages' test) the cluster runs as the postgres user that
# the package made. Needs initdb from /usr/lib/postgresql/*/bin (pg_config --bindir).
pg_bin=$(pg_config --bindir 2>/dev/null)
[ -x "$pg_bin/initdb" ] || pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
pg_dir= pg_url=
pg_as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_start() {
    local name=${1:-meistring}
    [ -x "$pg_bin/initdb" ] || { echo "pg.sh: PostgreSQL's initdb is not installed (apt-get install postgresql)"; return 1; }
    pg_dir=$(mktemp -d "${MEISTRING_PG_PARENT:-/tmp}/meistring-pg.XXXXXX")
    chmod 755 "$pg_dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$pg_dir"
    pg_as "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1 \
        || { cat "$pg_dir/initdb.log"; echo "pg.sh: initdb failed"; return 1; }
    # fsync stays on: the tests kill servers mid-write and must see what a real cluster keeps
    pg_as "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w -t 30 \
        -o "-c listen_addresses='' -c unix_socket_directories='$pg_dir' -c max_connections=200" start >/dev/null \
        || { cat "$pg_dir/log"; echo "pg.sh: the cluster did not start"; return 1; }
    pg_as "$pg_bin/createdb" -h "$pg_dir" -U postgres "$name" || { echo "pg.sh: createdb failed"; return 1; }
    pg_url="postgresql:///$name?host=$pg_dir&user=postgres"
    # beside any EXIT trap the caller has already set (clinic.sh's stops the server)
    local prev
    prev=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
    trap "pg_stop; $prev" EXIT
}
pg_stop() {
    [ -n "$pg_dir" ] || return 0
    pg_as "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1
    rm -rf "$pg_dir"
    pg_dir=
}
pg_db() {
    psql -q -h "$MEISTRING_TEST_PG_HOST" -U postgres -d postgres -c "CREATE DATABASE \"$1\"" >/dev/null 2>&1 || true
    echo "postgresql:///$1?host=$MEISTRING_TEST_PG_HOST&user=postgres"
}
