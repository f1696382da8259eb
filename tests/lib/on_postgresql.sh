#!/usr/bin/env bash
# on_postgresql.sh COMMAND [ARG]... — runs a test against the server's PostgreSQL backend: a throwaway cluster
# (pg.sh) lives as long as the command, and MEISTRING_TEST_PG_HOST tells the test where it is. A test that honours
# it (tests/sync/test_sync.c, tests/lib/clinic.sh) gives each server it starts a fresh database in that cluster
# (pg_db) instead of a SQLite file; the rest of the test is the same, byte for byte.
set -uo pipefail
source "$(dirname "$0")/pg.sh"
pg_start postgres_tests >/dev/null || exit 1
export MEISTRING_TEST_PG_HOST=$pg_dir
"$@"
