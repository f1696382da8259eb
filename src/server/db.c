/* db.c — the server's SQLite database: the schema, opening (and migrating) it, and the few queries that both
 * halves of the program share: the changes feed's events, exact ids in JSON, opening a module for a patient, and
 * the clinic's lock settings.
 * The seam: serve (api.c) and admin (admin.c) both write through these, and nothing here knows about HTTP.
 * Queries only one handler makes stay beside that handler. Callers that share the connection across threads take
 * db_lock (api.c); admin runs alone.
 */
#include <cjson/cJSON.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meistring/config.h"

#include "server.h"

/* ---- the database ---------------------------------------------------------------------------------------- */

sqlite3 *db;
pthread_mutex_t db_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *SCHEMA =
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
    /* code_expires: unix seconds; code_base: the enrol_failures counter when the code was made (its exposure is
     * the counter minus that). A used code is set to NULL: it is one-time, and its digits go back to the pool. */
    "CREATE TABLE IF NOT EXISTS patient(id INTEGER PRIMARY KEY, name TEXT NOT NULL, code TEXT UNIQUE,"
    "  code_used INTEGER NOT NULL DEFAULT 0, token TEXT UNIQUE, revoked INTEGER NOT NULL DEFAULT 0,"
    "  code_expires INTEGER, code_base INTEGER);"
    "CREATE TABLE IF NOT EXISTS unlock(patient INTEGER NOT NULL, module TEXT NOT NULL, PRIMARY KEY(patient, module));"
    /* messages both ways; a patient's carry the id their tablet made, unique for ever */
    "CREATE TABLE IF NOT EXISTS message(id INTEGER PRIMARY KEY, patient INTEGER NOT NULL, client_id TEXT,"
    "  from_patient INTEGER NOT NULL, body TEXT NOT NULL, written_at TEXT NOT NULL, read_at INTEGER,"
    "  UNIQUE(patient, client_id));"
    "CREATE TABLE IF NOT EXISTS answer(id INTEGER PRIMARY KEY, patient INTEGER NOT NULL, client_id TEXT NOT NULL,"
    "  body TEXT NOT NULL, UNIQUE(patient, client_id));"
    /* the changes feed: what a device has not seen yet, in order */
    "CREATE TABLE IF NOT EXISTS event(seq INTEGER PRIMARY KEY AUTOINCREMENT, patient INTEGER NOT NULL,"
    "  type TEXT NOT NULL, data TEXT NOT NULL);"
    /* the clinic's lock settings, one row, sent to every tablet at enrolment (admin lock-settings, staff-code);
     * db_open puts in the defaults */
    "CREATE TABLE IF NOT EXISTS clinic(id INTEGER PRIMARY KEY CHECK(id=1), lock_after_s INTEGER NOT NULL,"
    "  pin_digits INTEGER NOT NULL, max_failures INTEGER NOT NULL, staff_code_hash TEXT);"
    /* the patient's current device, one row per enrolment (a new enrolment replaces it): when the clinic took
     * it back, when the tablet gave up its token, and the recovery wrap it left (opaque: the server cannot open
     * it). A table of its own, so databases made before it need no migration. Times are unix seconds. */
    "CREATE TABLE IF NOT EXISTS device(patient INTEGER PRIMARY KEY, enrolled_at INTEGER, returned_at INTEGER,"
    "  wiped_at INTEGER, recovery_wrap TEXT);"
    /* one reset code per patient for a forgotten PIN, kept as an enrolment code is (expiry, exposure base); a
     * table apart from patient.code, so a reset code never enrols and an enrolment code never recovers */
    "CREATE TABLE IF NOT EXISTS reset_code(patient INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
    "  expires INTEGER NOT NULL, base INTEGER NOT NULL);"
    /* what wiped tablets said they destroyed: for_patient the enrolment that was wiped (NULL when the receipt
     * does not say), enrolled_patient the enrolment it came with */
    "CREATE TABLE IF NOT EXISTS wipe_receipt(id INTEGER PRIMARY KEY, received_at INTEGER NOT NULL,"
    "  for_patient INTEGER, enrolled_patient INTEGER, body TEXT NOT NULL);"
    /* failed enrolments since the database was made, for ever: what every live code has been exposed to */
    "CREATE TABLE IF NOT EXISTS counter(name TEXT PRIMARY KEY, n INTEGER NOT NULL);"
    "INSERT OR IGNORE INTO counter(name, n) VALUES('enrol_failures', 0);";

/* A database made before codes expired gets the two columns; its unused codes get a fresh lifetime. */
static bool db_migrate(void) {
    sqlite3_stmt *st = NULL;
    bool has = false;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info('patient') WHERE name='code_expires'", -1, &st, NULL) !=
        SQLITE_OK)
        return false;
    has = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    if (has) return true;
    char *err = NULL;
    char sql[512];
    snprintf(sql, sizeof sql,
             "BEGIN; ALTER TABLE patient ADD COLUMN code_expires INTEGER; ALTER TABLE patient ADD COLUMN code_base "
             "INTEGER; UPDATE patient SET code_expires=CAST(strftime('%%s','now') AS INTEGER)+%d,"
             " code_base=(SELECT n FROM counter WHERE name='enrol_failures'); COMMIT;",
             SRV_CODE_DAYS * 86400);
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "meistring-server: migrating the database: %s\n", err);
        sqlite3_free(err);
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return false;
    }
    return true;
}

bool db_open(const char *path) {
    if (sqlite3_open(path, &db) != SQLITE_OK) {
        fprintf(stderr, "meistring-server: cannot open %s: %s\n", path, sqlite3_errmsg(db));
        return false;
    }
    sqlite3_busy_timeout(db, SRV_DB_BUSY_TIMEOUT_MS);
    char *err = NULL;
    if (sqlite3_exec(db, SCHEMA, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "meistring-server: %s\n", err);
        sqlite3_free(err);
        return false;
    }
    char defaults[256];
    snprintf(defaults, sizeof defaults,
             "INSERT OR IGNORE INTO clinic(id, lock_after_s, pin_digits, max_failures) VALUES(1, %d, %d, %d)",
             SRV_LOCK_AFTER_S_DEFAULT, SRV_PIN_DIGITS_DEFAULT, SRV_MAX_FAILURES_DEFAULT);
    if (sqlite3_exec(db, defaults, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "meistring-server: %s\n", err);
        sqlite3_free(err);
        return false;
    }
    return db_migrate();
}

sqlite3_stmt *prep(const char *sql) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fprintf(stderr, "meistring-server: %s: %s\n", sql, sqlite3_errmsg(db));
    return st;
}

bool add_event(sqlite3_int64 patient, const char *type, const char *data) {
    sqlite3_stmt *st = prep("INSERT INTO event(patient, type, data) VALUES(?,?,?)");
    if (!st) return false;
    sqlite3_bind_int64(st, 1, patient);
    sqlite3_bind_text(st, 2, type, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, data, -1, SQLITE_TRANSIENT);
    bool ok = sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    return ok;
}

/* Opens a module for a patient, and tells the tablet through the changes feed (once). */
void unlock_module(sqlite3_int64 patient, const char *module) {
    sqlite3_stmt *st = prep("INSERT OR IGNORE INTO unlock(patient, module) VALUES(?,?)");
    if (!st) return;
    sqlite3_bind_int64(st, 1, patient);
    sqlite3_bind_text(st, 2, module, -1, SQLITE_TRANSIENT);
    sqlite3_step(st);
    bool fresh = sqlite3_changes(db) > 0;
    sqlite3_finalize(st);
    if (fresh) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "module", module);
        char *s = cJSON_PrintUnformatted(d);
        add_event(patient, "unlock", s);
        free(s);
        cJSON_Delete(d);
    }
}

bool lock_settings_load(lock_settings *out) {
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = prep("SELECT lock_after_s, pin_digits, max_failures, staff_code_hash FROM clinic WHERE id=1");
    if (!st) return false;
    bool ok = sqlite3_step(st) == SQLITE_ROW;
    if (ok) {
        out->after_s = sqlite3_column_int(st, 0);
        out->pin_digits = sqlite3_column_int(st, 1);
        out->max_failures = sqlite3_column_int(st, 2);
        const char *h = (const char *)sqlite3_column_text(st, 3);
        if (h) snprintf(out->staff_code_hash, sizeof out->staff_code_hash, "%s", h);
    }
    sqlite3_finalize(st);
    return ok;
}
