# store_pg.sh TEST_PROGRAM — runs the storage contract test (test_server_store.c) on a throwaway PostgreSQL
# cluster (tests/lib/pg.sh), removed when this script exits.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/pg.sh"
pg_start store_contract
"$1" "$pg_url"
