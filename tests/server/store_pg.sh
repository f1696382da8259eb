# store_pg.sh TEST_PROGRAM — runs the storage contract test (test_server_store.c) on a throwaway PostgreSQL
# cluster (tests/lib/pg.sh), removed when this script exits; then checks that what the backend said on stderr
# quotes none of the test's codes, tokens, names or bodies (the log holds no health data).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/pg.sh"
pg_start store_contract || exit 1
log=$pg_dir/test-stderr
"$1" "$pg_url" 2>"$log"
rc=$?
cat "$log" >&2
[ "$rc" = 0 ] || exit "$rc"
if grep -nE '1111|3333|4444|7777|9797|9898|tok-|Alice|Bob|hello|reply|wrap-' "$log" >&2; then
    echo "store_pg.sh: the lines above quote a value the test stored" >&2
    exit 1
fi
