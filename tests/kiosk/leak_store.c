/* tests/kiosk/leak_store.c — the control of kiosk.reset_memory (tests/CMakeLists.txt): preloaded into the client
 * (LD_PRELOAD), it makes sqlite3_close and sqlite3_close_v2 do nothing, so each idle reset keeps the in-memory
 * store it means to drop, about 170 kB a visit. bench/kiosk_reset.sh must then fail its --max-growth-kb check:
 * the threshold catches a leak of that size, not only one of megabytes. A test tool, never linked into the client. */
typedef struct sqlite3 sqlite3;

int sqlite3_close(sqlite3 *db);
int sqlite3_close_v2(sqlite3 *db);

int sqlite3_close(sqlite3 *db) {
    (void)db;
    return 0; /* SQLITE_OK */
}

int sqlite3_close_v2(sqlite3 *db) {
    (void)db;
    return 0;
}
