/* srv_store_sqlite.c — the SQLite backend of srv_store.h: the schema and its migrations, and every query the server
 * makes of a database file. The embedded default, for pilots and tests.
 * Concurrency: each connection is one thread's (srv_store.h); WAL lets readers run beside a writer, every write of
 * more than one statement is a BEGIN IMMEDIATE transaction (it takes the write lock at once, so two writers queue
 * on busy_timeout rather than one failing to upgrade a read), and the rules that must hold when requests race are
 * the database's own: UNIQUE(patient, client_id) decides which PUT is first, `code_used=0` in the UPDATE which
 * enrolment gets a code.
 */
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meistring/config.h"

#include "srv_store_internal.h"

typedef struct {
    srv_store base; /* first: srv_store.c reaches the ops through it */
    sqlite3 *db;
} sq;

static sq *sq_of(srv_store *s) { return (sq *)s; }

#define NOW "CAST(strftime('%s','now') AS INTEGER)" /* unix seconds, as every time in the schema */

/* ---- statements ------------------------------------------------------------------------------------------- */

/* A prepared statement with its parameters bound in order, one letter each in `types`: 'i' an int64_t, 't' a
 * string (NULL binds NULL). NULL when it does not prepare, said on stderr (the SQL, never the values). */
static sqlite3_stmt *vstmt(sq *q, const char *sql, const char *types, va_list ap) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "meistring-server: %s: %s\n", sql, sqlite3_errmsg(q->db));
        sqlite3_finalize(st);
        return NULL;
    }
    for (int i = 0; types[i]; i++) {
        if (types[i] == 'i') {
            sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
        } else {
            const char *t = va_arg(ap, const char *);
            if (t)
                sqlite3_bind_text(st, i + 1, t, -1, SQLITE_TRANSIENT);
            else
                sqlite3_bind_null(st, i + 1);
        }
    }
    return st;
}

static sqlite3_stmt *stmt(sq *q, const char *sql, const char *types, ...) {
    va_list ap;
    va_start(ap, types);
    sqlite3_stmt *st = vstmt(q, sql, types, ap);
    va_end(ap);
    return st;
}

/* Runs one statement that returns no rows: the rows it changed, or -1 (said on stderr). */
static int run(sq *q, const char *sql, const char *types, ...) {
    va_list ap;
    va_start(ap, types);
    sqlite3_stmt *st = vstmt(q, sql, types, ap);
    va_end(ap);
    if (!st) return -1;
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        fprintf(stderr, "meistring-server: %s: %s\n", sql, sqlite3_errmsg(q->db));
        return -1;
    }
    return sqlite3_changes(q->db);
}

/* The first row's step: SQLITE_ROW, SQLITE_DONE (no row), or an error said on stderr. */
static int first_row(sq *q, sqlite3_stmt *st) {
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        fprintf(stderr, "meistring-server: %s: %s\n", sqlite3_sql(st), sqlite3_errmsg(q->db));
    return rc;
}

static const char *text(sqlite3_stmt *st, int col) {
    const char *t = (const char *)sqlite3_column_text(st, col);
    return t ? t : "";
}

static bool exec(sq *q, const char *sql) {
    char *err = NULL;
    if (sqlite3_exec(q->db, sql, NULL, NULL, &err) == SQLITE_OK) return true;
    fprintf(stderr, "meistring-server: %s: %s\n", sql, err ? err : sqlite3_errmsg(q->db));
    sqlite3_free(err);
    return false;
}

/* A write transaction: the write lock is taken at BEGIN, waiting up to SRV_DB_BUSY_TIMEOUT_MS for another writer,
 * so no statement inside it can fail for a lock. end commits when ok, rolls back when not; it returns whether
 * the work is stored. */
static bool begin(sq *q) { return exec(q, "BEGIN IMMEDIATE"); }

static bool end(sq *q, bool ok) {
    if (ok && exec(q, "COMMIT")) return true;
    if (!sqlite3_get_autocommit(q->db)) sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
    return false;
}

/* ---- the schema and its migrations ----------------------------------------------------------------------- */

/* The version is PRAGMA user_version, not a table: it lives in the database header, reads without a query plan
 * on any file (an empty new one says 0), and is written inside the migration's own transaction, so it commits or
 * rolls back with the tables it describes. A table would have to exist before the version could be read, which is
 * the very question the version answers. Version 0 is every database made before versions: a new file, or an
 * older server's (possibly without patient.code_expires and code_base). */
#define SQ_SCHEMA_VERSION 1

/* Version 1: the schema as it was when versions began. Every statement is IF NOT EXISTS / OR IGNORE, so it makes a
 * new database and completes an older one alike. */
static const char *SCHEMA_V1 =
    /* code_expires: unix seconds; code_base: the enrol_failures counter when the code was made (its exposure is
     * the counter minus that). A used code is set to NULL: it is one-time, and its digits go back to the pool. */
    "CREATE TABLE IF NOT EXISTS patient(id INTEGER PRIMARY KEY, name TEXT NOT NULL, code TEXT UNIQUE,"
    "  code_used INTEGER NOT NULL DEFAULT 0, token TEXT UNIQUE, revoked INTEGER NOT NULL DEFAULT 0,"
    "  code_expires INTEGER, code_base INTEGER);"
    "CREATE TABLE IF NOT EXISTS unlock(patient INTEGER NOT NULL, module TEXT NOT NULL, PRIMARY KEY(patient, module));"
    /* messages both ways; a patient's carry the id their tablet made, unique for ever: the constraint that decides
     * which of two racing PUTs is the first */
    "CREATE TABLE IF NOT EXISTS message(id INTEGER PRIMARY KEY, patient INTEGER NOT NULL, client_id TEXT,"
    "  from_patient INTEGER NOT NULL, body TEXT NOT NULL, written_at TEXT NOT NULL, read_at INTEGER,"
    "  UNIQUE(patient, client_id));"
    "CREATE TABLE IF NOT EXISTS answer(id INTEGER PRIMARY KEY, patient INTEGER NOT NULL, client_id TEXT NOT NULL,"
    "  body TEXT NOT NULL, UNIQUE(patient, client_id));"
    /* the changes feed: what a device has not seen yet, in order */
    "CREATE TABLE IF NOT EXISTS event(seq INTEGER PRIMARY KEY AUTOINCREMENT, patient INTEGER NOT NULL,"
    "  type TEXT NOT NULL, data TEXT NOT NULL);"
    /* the clinic's lock settings, one row, sent to every tablet at enrolment (admin lock-settings, staff-code);
     * the migration puts in the defaults */
    "CREATE TABLE IF NOT EXISTS clinic(id INTEGER PRIMARY KEY CHECK(id=1), lock_after_s INTEGER NOT NULL,"
    "  pin_digits INTEGER NOT NULL, max_failures INTEGER NOT NULL, staff_code_hash TEXT);"
    /* the patient's current device, one row per enrolment (a new enrolment replaces it): when the clinic took
     * it back, when the tablet gave up its token, and the recovery wrap it left (opaque: the server cannot open
     * it). Times are unix seconds. */
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

static bool migrate_v1(sq *q) {
    if (!exec(q, SCHEMA_V1)) return false;
    /* a database made before codes expired gets the two columns; its unused codes get a fresh lifetime */
    sqlite3_stmt *st = stmt(q, "SELECT 1 FROM pragma_table_info('patient') WHERE name='code_expires'", "");
    if (!st) return false;
    int rc = first_row(q, st);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE) {
        if (!exec(q, "ALTER TABLE patient ADD COLUMN code_expires INTEGER;"
                     "ALTER TABLE patient ADD COLUMN code_base INTEGER"))
            return false;
        if (run(q,
                "UPDATE patient SET code_expires=" NOW
                "+?, code_base=(SELECT n FROM counter WHERE name='enrol_failures')",
                "i", (int64_t)SRV_CODE_DAYS * 86400) < 0)
            return false;
    } else if (rc != SQLITE_ROW) {
        return false;
    }
    return run(q, "INSERT OR IGNORE INTO clinic(id, lock_after_s, pin_digits, max_failures) VALUES(1, ?, ?, ?)", "iii",
               (int64_t)SRV_LOCK_AFTER_S_DEFAULT, (int64_t)SRV_PIN_DIGITS_DEFAULT,
               (int64_t)SRV_MAX_FAILURES_DEFAULT) >= 0;
}

/* migrations[k] brings a database from version k to k + 1. A new version is a new function at the end and a
 * higher SQ_SCHEMA_VERSION; a step never changes once released. */
static bool (*const migrations[SQ_SCHEMA_VERSION])(sq *q) = {migrate_v1};

static int user_version(sq *q) {
    sqlite3_stmt *st = stmt(q, "PRAGMA user_version", "");
    int v = st && first_row(q, st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

/* All steps in one BEGIN IMMEDIATE transaction: a second process opening the same file at the same moment waits
 * for the first, then finds the version already current and does nothing. A failed step leaves the database as
 * it was. */
static bool migrate(sq *q) {
    if (!begin(q)) return false;
    int v = user_version(q);
    bool ok = v >= 0;
    if (ok && v > SQ_SCHEMA_VERSION) {
        fprintf(stderr,
                "meistring-server: the database is at schema version %d, newer than this server's %d: run a "
                "newer server\n",
                v, SQ_SCHEMA_VERSION);
        ok = false;
    }
    for (int k = v; ok && k < SQ_SCHEMA_VERSION; k++) {
        char sql[48];
        snprintf(sql, sizeof sql, "PRAGMA user_version=%d", k + 1);
        ok = migrations[k](q) && exec(q, sql);
    }
    if (!end(q, ok)) {
        fprintf(stderr, "meistring-server: the database was not migrated; it is as it was\n");
        return false;
    }
    return true;
}

/* ---- opening ---------------------------------------------------------------------------------------------- */

static void sq_close(srv_store *s) {
    sq *q = sq_of(s);
    if (!q) return;
    sqlite3_close(q->db);
    free(q);
}

/* WAL: a reader never waits for a writer. Switching a file to WAL needs it alone for a moment, and SQLite answers
 * "locked" at once, without waiting on busy_timeout, when another process is opening the same new file: so it is
 * tried again every SQ_WAL_RETRY_MS, for as long as busy_timeout would have waited. */
#define SQ_WAL_RETRY_MS 10

static bool wal(sq *q) {
    for (int waited = 0;; waited += SQ_WAL_RETRY_MS) {
        int rc = sqlite3_exec(q->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
        if (rc == SQLITE_OK) return true;
        if (rc != SQLITE_BUSY || waited >= SRV_DB_BUSY_TIMEOUT_MS) {
            fprintf(stderr, "meistring-server: PRAGMA journal_mode=WAL: %s\n", sqlite3_errmsg(q->db));
            return false;
        }
        sqlite3_sleep(SQ_WAL_RETRY_MS);
    }
}

static srv_store *sq_open(const char *where) {
    sq *q = calloc(1, sizeof *q);
    if (!q) {
        fprintf(stderr, "meistring-server: out of memory\n");
        return NULL;
    }
    q->base.ops = &srv_store_sqlite_ops;
    if (sqlite3_open(where, &q->db) != SQLITE_OK) {
        fprintf(stderr, "meistring-server: cannot open %s: %s\n", where, q->db ? sqlite3_errmsg(q->db) : "no memory");
        sq_close(&q->base);
        return NULL;
    }
    sqlite3_busy_timeout(q->db, SRV_DB_BUSY_TIMEOUT_MS);
    /* FULL: a stored message survives a power cut. Per connection, as WAL is (which also stays with the file). */
    if (!wal(q) || !exec(q, "PRAGMA synchronous=FULL") || !migrate(q)) {
        fprintf(stderr, "meistring-server: cannot use %s as the server's database\n", where);
        sq_close(&q->base);
        return NULL;
    }
    return &q->base;
}

static int sq_schema_version(srv_store *s) { return user_version(sq_of(s)); }

static bool sq_idle(srv_store *s) { return sqlite3_get_autocommit(sq_of(s)->db) != 0; }

static void sq_settle(srv_store *s) {
    sq *q = sq_of(s);
    fprintf(stderr, "meistring-server: a database connection came back inside a transaction; it is rolled back\n");
    /* statements still running would keep the transaction (and a read lock) alive past the ROLLBACK */
    for (sqlite3_stmt *st = sqlite3_next_stmt(q->db, NULL); st; st = sqlite3_next_stmt(q->db, st))
        sqlite3_reset(st);
    if (!sqlite3_get_autocommit(q->db)) exec(q, "ROLLBACK");
}

/* ---- shared by several operations ------------------------------------------------------------------------- */

/* One event in the patient's changes feed. Inside a write transaction, so seq order is commit order. */
static bool add_event(sq *q, srv_store_id patient, const char *type, const char *data) {
    if (!data) {
        fprintf(stderr, "meistring-server: out of memory for an event\n");
        return false;
    }
    return run(q, "INSERT INTO event(patient, type, data) VALUES(?,?,?)", "itt", patient, type, data) == 1;
}

/* Opens a module and tells the tablet through the feed, once: 1 opened now, 0 already open, -1. */
static int unlock_in(sq *q, srv_store_id patient, const char *module) {
    int n = run(q, "INSERT OR IGNORE INTO unlock(patient, module) VALUES(?,?)", "it", patient, module);
    if (n != 1) return n;
    char *data = srv_store_event_unlock(module);
    bool ok = add_event(q, patient, "unlock", data);
    free(data);
    return ok ? 1 : -1;
}

/* Every live code, enrolment and reset alike, has now been exposed to one more guess. */
static bool count_failed_code(sq *q) {
    if (run(q, "UPDATE counter SET n=n+1 WHERE name='enrol_failures'", "") >= 0) return true;
    fprintf(stderr, "meistring-server: a failed code was not counted\n");
    return false;
}

static bool load_lock(sq *q, lock_settings *out) {
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st =
        stmt(q, "SELECT lock_after_s, pin_digits, max_failures, staff_code_hash FROM clinic WHERE id=1", "");
    if (!st) return false;
    bool ok = first_row(q, st) == SQLITE_ROW;
    if (ok) {
        out->after_s = sqlite3_column_int(st, 0);
        out->pin_digits = sqlite3_column_int(st, 1);
        out->max_failures = sqlite3_column_int(st, 2);
        snprintf(out->staff_code_hash, sizeof out->staff_code_hash, "%s", text(st, 3));
    }
    sqlite3_finalize(st);
    return ok;
}

/* ---- a tablet's requests ---------------------------------------------------------------------------------- */

static srv_store_id sq_auth(srv_store *s, const char *token) {
    sq *q = sq_of(s);
    sqlite3_stmt *st = stmt(q, "SELECT id FROM patient WHERE token=? AND revoked=0", "t", token);
    if (!st) return -1;
    int rc = first_row(q, st);
    srv_store_id id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : rc == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(st);
    return id;
}

static int sq_is_unlocked(srv_store *s, srv_store_id patient, const char *module) {
    sq *q = sq_of(s);
    sqlite3_stmt *st = stmt(q, "SELECT 1 FROM unlock WHERE patient=? AND module=?", "it", patient, module);
    if (!st) return -1;
    int rc = first_row(q, st);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Live: unused, not revoked, not expired, and exposed to fewer than SRV_CODE_MAX_EXPOSURE failed codes since it
 * was made. Every reason for "not live" is the same 0. The UPDATE that uses the code says code_used=0 again, so
 * of two enrolments with one code only one changes the row, whatever the isolation. */
static srv_store_id sq_enrol(srv_store *s, const char *code, const char *token, const srv_store_receipt *receipt,
                             char *name, size_t name_cap, lock_settings *ls) {
    sq *q = sq_of(s);
    if (!begin(q)) return -1;
    sqlite3_stmt *st =
        stmt(q,
             "SELECT id, name FROM patient WHERE code=? AND code_used=0 AND revoked=0"
             " AND code_expires > " NOW " AND (SELECT n FROM counter WHERE name='enrol_failures') - code_base < ?",
             "ti", code, (int64_t)SRV_CODE_MAX_EXPOSURE);
    int rc = st ? first_row(q, st) : SQLITE_ERROR;
    srv_store_id id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : rc == SQLITE_DONE ? 0 : -1;
    if (id > 0) snprintf(name, name_cap, "%s", text(st, 1));
    sqlite3_finalize(st);
    if (id > 0) {
        int n = run(q, "UPDATE patient SET code_used=1, code=NULL, token=? WHERE id=? AND code=? AND code_used=0",
                    "tit", token, id, code);
        id = n == 1 ? id : n == 0 ? 0 : -1; /* 0: another enrolment took it first */
    }
    if (id == 0) {
        count_failed_code(q);
        return end(q, true) ? 0 : -1;
    }
    /* the device row starts afresh: the return, the wrap and the reset code belonged to the tablet before */
    bool ok = id > 0 &&
              run(q, "INSERT OR REPLACE INTO device(patient, enrolled_at) VALUES(?, " NOW ")", "i", id) == 1 &&
              run(q, "DELETE FROM reset_code WHERE patient=?", "i", id) >= 0 && load_lock(q, ls);
    if (ok && receipt && receipt->body &&
        run(q,
            "INSERT INTO wipe_receipt(received_at, for_patient, enrolled_patient, body)"
            " VALUES(" NOW ", NULLIF(?, 0), ?, ?)",
            "iit", receipt->for_patient, id, receipt->body) != 1)
        fprintf(stderr, "meistring-server: the wipe receipt sent with patient %lld's enrolment was not stored\n",
                (long long)id);
    return end(q, ok) ? id : -1;
}

static int sq_take_reset_code(srv_store *s, const char *code, char *wrap, size_t wrap_cap) {
    sq *q = sq_of(s);
    if (!begin(q)) return -1;
    sqlite3_stmt *st =
        stmt(q,
             "SELECT r.patient, d.recovery_wrap FROM reset_code r JOIN patient p ON p.id=r.patient"
             " JOIN device d ON d.patient=r.patient"
             " WHERE r.code=? AND p.revoked=0 AND p.token IS NOT NULL AND d.recovery_wrap IS NOT NULL"
             " AND r.expires > " NOW " AND (SELECT n FROM counter WHERE name='enrol_failures') - r.base < ?",
             "ti", code, (int64_t)SRV_CODE_MAX_EXPOSURE);
    int rc = st ? first_row(q, st) : SQLITE_ERROR;
    int found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
    srv_store_id patient = 0;
    if (found == 1) {
        patient = sqlite3_column_int64(st, 0);
        snprintf(wrap, wrap_cap, "%s", text(st, 1));
    }
    sqlite3_finalize(st);
    if (found == 1 && run(q, "DELETE FROM reset_code WHERE patient=? AND code=?", "it", patient, code) != 1)
        found = -1; /* one-time */
    if (found == 0) count_failed_code(q);
    return end(q, found >= 0) ? found : -1;
}

/* Whether token is still patient's live token, inside the caller's write transaction: BEGIN IMMEDIATE holds the
 * database's write lock, so no enrolment or wipe can change it before the transaction ends. 1, 0, or -1. */
static int token_current(sq *q, srv_store_id patient, const char *token) {
    sqlite3_stmt *st = stmt(q, "SELECT 1 FROM patient WHERE id=? AND token=? AND revoked=0", "it", patient, token);
    int rc = st ? first_row(q, st) : SQLITE_ERROR;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* The first wrap is set only where none is (recovery_wrap IS NULL), so of two racing PUTs one sets it. */
static srv_store_put_result sq_put_recovery(srv_store *s, srv_store_id patient, const char *token, const char *wrap) {
    sq *q = sq_of(s);
    if (!begin(q)) return SRV_STORE_FAILED;
    int live = token_current(q, patient, token);
    if (live <= 0) return end(q, false), live == 0 ? SRV_STORE_GONE : SRV_STORE_FAILED;
    srv_store_put_result r = SRV_STORE_FAILED;
    /* a device enrolled before the device table has no row yet */
    int n =
        run(q, "INSERT OR IGNORE INTO device(patient) VALUES(?)", "i", patient) >= 0
            ? run(q, "UPDATE device SET recovery_wrap=? WHERE patient=? AND recovery_wrap IS NULL", "ti", wrap, patient)
            : -1;
    if (n == 1) {
        r = SRV_STORE_CREATED;
    } else if (n == 0) {
        sqlite3_stmt *st = stmt(q, "SELECT recovery_wrap FROM device WHERE patient=?", "i", patient);
        if (st && first_row(q, st) == SQLITE_ROW)
            r = strcmp(text(st, 0), wrap) == 0 ? SRV_STORE_REPLAY : SRV_STORE_CONFLICT;
        sqlite3_finalize(st);
    }
    return end(q, r != SRV_STORE_FAILED) ? r : SRV_STORE_FAILED;
}

/* The token is revoked only while it is still the live one: the UPDATE that revokes it is the check. */
static int sq_device_wiped(srv_store *s, srv_store_id patient, const char *token) {
    sq *q = sq_of(s);
    if (!begin(q)) return -1;
    int live =
        run(q, "UPDATE patient SET token=NULL, revoked=1 WHERE id=? AND token=? AND revoked=0", "it", patient, token);
    if (live <= 0) return end(q, false), live == 0 ? 0 : -1;
    bool ok = run(q, "INSERT OR IGNORE INTO device(patient) VALUES(?)", "i", patient) >= 0 &&
              run(q, "UPDATE device SET wiped_at=" NOW ", recovery_wrap=NULL WHERE patient=?", "i", patient) >= 0 &&
              run(q, "DELETE FROM reset_code WHERE patient=?", "i", patient) >= 0;
    return end(q, ok) ? 1 : -1;
}

static int sq_changes(srv_store *s, srv_store_id patient, int64_t since, int limit, srv_store_event_fn fn, void *ctx) {
    sq *q = sq_of(s);
    sqlite3_stmt *st =
        stmt(q, "SELECT seq, type, data FROM event WHERE patient=? AND seq>? AND seq<=? ORDER BY seq LIMIT ?", "iiii",
             patient, since, (int64_t)MS_JSON_MAX_ID, (int64_t)limit);
    if (!st) return -1;
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        fn(ctx, sqlite3_column_int64(st, 0), text(st, 1), text(st, 2));
        n++;
    }
    if (rc != SQLITE_DONE) {
        fprintf(stderr, "meistring-server: reading the changes feed: %s\n", sqlite3_errmsg(q->db));
        n = -1;
    }
    sqlite3_finalize(st);
    return n;
}

/* INSERT … ON CONFLICT DO NOTHING, then the stored row: the UNIQUE(patient, client_id) constraint decides which
 * of two racing PUTs is the first (it changed a row), and every other compares against what that one stored. */
static srv_store_put_result put_written(sq *q, bool message, srv_store_id patient, const char *client_id,
                                        const char *body, const char *written_at, const char *const *unlocks,
                                        size_t n_unlocks) {
    if (!begin(q)) return SRV_STORE_FAILED;
    int n = message ? run(q,
                          "INSERT INTO message(patient, client_id, from_patient, body, written_at) VALUES(?,?,1,?,?)"
                          " ON CONFLICT(patient, client_id) DO NOTHING",
                          "ittt", patient, client_id, body, written_at)
                    : run(q,
                          "INSERT INTO answer(patient, client_id, body) VALUES(?,?,?)"
                          " ON CONFLICT(patient, client_id) DO NOTHING",
                          "itt", patient, client_id, body);
    srv_store_put_result r = SRV_STORE_FAILED;
    if (n == 1) {
        r = SRV_STORE_CREATED;
        /* a module that opens after this questionnaire opens now, with the answer */
        for (size_t i = 0; i < n_unlocks && r == SRV_STORE_CREATED; i++)
            if (unlock_in(q, patient, unlocks[i]) < 0) r = SRV_STORE_FAILED;
    } else if (n == 0) {
        sqlite3_stmt *st =
            message ? stmt(q, "SELECT body, written_at FROM message WHERE patient=? AND client_id=?", "it", patient,
                           client_id)
                    : stmt(q, "SELECT body, '' FROM answer WHERE patient=? AND client_id=?", "it", patient, client_id);
        if (st && first_row(q, st) == SQLITE_ROW) {
            bool same = strcmp(text(st, 0), body) == 0 && (!message || strcmp(text(st, 1), written_at) == 0);
            r = same ? SRV_STORE_REPLAY : SRV_STORE_CONFLICT;
        }
        sqlite3_finalize(st);
    }
    return end(q, r != SRV_STORE_FAILED) ? r : SRV_STORE_FAILED;
}

static srv_store_put_result sq_put_message(srv_store *s, srv_store_id patient, const char *client_id, const char *body,
                                           const char *written_at) {
    return put_written(sq_of(s), true, patient, client_id, body, written_at, NULL, 0);
}

static srv_store_put_result sq_put_answer(srv_store *s, srv_store_id patient, const char *client_id, const char *canon,
                                          const char *const *unlocks, size_t n_unlocks) {
    return put_written(sq_of(s), false, patient, client_id, canon, NULL, unlocks, n_unlocks);
}

/* ---- a clinician's commands ------------------------------------------------------------------------------- */

static srv_store_id sq_find_patient(srv_store *s, const char *id_or_name) {
    sq *q = sq_of(s);
    sqlite3_stmt *st = stmt(q, "SELECT id FROM patient WHERE id=? OR name=? ORDER BY id LIMIT 1", "it",
                            (int64_t)atoll(id_or_name), id_or_name);
    if (!st) return -1;
    int rc = first_row(q, st);
    srv_store_id id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : rc == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(st);
    return id;
}

/* True when code is some live enrolment or reset code already (-1: could not tell). The two tables are apart, so
 * a clash would do no harm, but one set of digits then names one thing only. */
static int code_taken(sq *q, const char *code) {
    sqlite3_stmt *st =
        stmt(q, "SELECT 1 FROM patient WHERE code=?1 UNION ALL SELECT 1 FROM reset_code WHERE code=?1", "t", code);
    if (!st) return -1;
    int rc = first_row(q, st);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* A write transaction begun for a new code: 1 (go on, the code is no live code yet), 0 (it is one: nothing begun,
 * draw another), -1 (error, nothing begun). */
static int begin_with_free_code(sq *q, const char *code) {
    if (!begin(q)) return -1;
    int taken = code_taken(q, code);
    if (taken == 0) return 1;
    end(q, false);
    return taken > 0 ? 0 : -1;
}

static int sq_set_enrol_code(srv_store *s, srv_store_id patient, const char *name, const char *code, int64_t valid_s,
                             srv_store_id *id) {
    sq *q = sq_of(s);
    int free_code = begin_with_free_code(q, code);
    if (free_code != 1) return free_code;
    int n = patient ? run(q,
                          "UPDATE patient SET code=?, code_used=0, revoked=0, code_expires=" NOW "+?,"
                          " code_base=(SELECT n FROM counter WHERE name='enrol_failures') WHERE id=?",
                          "tii", code, valid_s, patient)
                    : run(q,
                          "INSERT INTO patient(code, code_expires, code_base, name) VALUES(?, " NOW "+?,"
                          " (SELECT n FROM counter WHERE name='enrol_failures'), ?)",
                          "tit", code, valid_s, name);
    *id = patient ? patient : sqlite3_last_insert_rowid(q->db);
    return end(q, n == 1) ? 1 : -1;
}

static int sq_set_reset_code(srv_store *s, srv_store_id patient, const char *code, int64_t valid_s) {
    sq *q = sq_of(s);
    int free_code = begin_with_free_code(q, code);
    if (free_code != 1) return free_code;
    bool ok = run(q, "DELETE FROM reset_code WHERE patient=?", "i", patient) >= 0 &&
              run(q,
                  "INSERT INTO reset_code(patient, code, expires, base) VALUES(?, ?, " NOW "+?,"
                  " (SELECT n FROM counter WHERE name='enrol_failures'))",
                  "iti", patient, code, valid_s) == 1;
    return end(q, ok) ? 1 : -1;
}

static bool sq_lock_settings_load(srv_store *s, lock_settings *out) { return load_lock(sq_of(s), out); }

static bool sq_lock_settings_save(srv_store *s, const lock_settings *ls) {
    return run(sq_of(s), "UPDATE clinic SET lock_after_s=?, pin_digits=?, max_failures=? WHERE id=1", "iii",
               (int64_t)ls->after_s, (int64_t)ls->pin_digits, (int64_t)ls->max_failures) == 1;
}

static bool sq_staff_code_set(srv_store *s, const char *hash) {
    return run(sq_of(s), "UPDATE clinic SET staff_code_hash=? WHERE id=1", "t", hash) == 1;
}

#define DEVICE_COLUMNS                                                                                                 \
    "p.id, p.name, p.token IS NOT NULL AND p.revoked=0, p.revoked, d.returned_at IS NOT NULL,"                         \
    " d.wiped_at IS NOT NULL, d.recovery_wrap IS NOT NULL FROM patient p LEFT JOIN device d ON d.patient=p.id"

static void device_row(sqlite3_stmt *st, srv_store_device *d) {
    memset(d, 0, sizeof *d);
    snprintf(d->name, sizeof d->name, "%s", text(st, 1));
    d->enrolled = sqlite3_column_int(st, 2);
    d->revoked = sqlite3_column_int(st, 3);
    d->returned = sqlite3_column_int(st, 4);
    d->wiped = sqlite3_column_int(st, 5);
    d->wrap = sqlite3_column_int(st, 6);
}

static bool sq_device_of(srv_store *s, srv_store_id patient, srv_store_device *d) {
    sq *q = sq_of(s);
    sqlite3_stmt *st = stmt(q, "SELECT " DEVICE_COLUMNS " WHERE p.id=?", "i", patient);
    bool ok = st && first_row(q, st) == SQLITE_ROW;
    if (ok) device_row(st, d);
    sqlite3_finalize(st);
    return ok;
}

static int sq_devices(srv_store *s, srv_store_device_fn fn, void *ctx) {
    sq *q = sq_of(s);
    sqlite3_stmt *st = stmt(q, "SELECT " DEVICE_COLUMNS " ORDER BY p.id", "");
    if (!st) return -1;
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        srv_store_device d;
        device_row(st, &d);
        fn(ctx, sqlite3_column_int64(st, 0), &d);
        n++;
    }
    if (rc != SQLITE_DONE) n = -1;
    sqlite3_finalize(st);
    return n;
}

/* Marked where it is not yet (returned_at IS NULL), so a second return adds no second event. */
static int sq_mark_returned(srv_store *s, srv_store_id patient) {
    sq *q = sq_of(s);
    if (!begin(q)) return -1;
    int n = run(q, "INSERT OR IGNORE INTO device(patient) VALUES(?)", "i", patient) >= 0
                ? run(q, "UPDATE device SET returned_at=" NOW " WHERE patient=? AND returned_at IS NULL", "i", patient)
                : -1;
    if (n == 1 && !add_event(q, patient, "returned", SRV_STORE_EVENT_RETURNED)) n = -1;
    return end(q, n >= 0) ? n : -1;
}

static int sq_unlock(srv_store *s, srv_store_id patient, const char *module) {
    sq *q = sq_of(s);
    if (!begin(q)) return -1;
    int n = unlock_in(q, patient, module);
    return end(q, n >= 0) ? n : -1;
}

static bool sq_post_reply(srv_store *s, srv_store_id patient, const char *text_, const char *written_at) {
    sq *q = sq_of(s);
    if (!begin(q)) return false;
    bool ok = run(q, "INSERT INTO message(patient, from_patient, body, written_at) VALUES(?,0,?,?)", "itt", patient,
                  text_, written_at) == 1;
    if (ok) {
        char *data = srv_store_event_message(sqlite3_last_insert_rowid(q->db), text_, written_at);
        ok = add_event(q, patient, "message", data);
        free(data);
    }
    return end(q, ok);
}

/* One row of a thread, copied out of the statement so the transaction can end before anyone sees it. */
typedef struct {
    char *client_id, *written_at, *body; /* client_id NULL for the therapist's */
    bool from_patient;
} sq_row;

static void free_rows(sq_row *rows, int n) {
    for (int i = 0; i < n; i++) {
        free(rows[i].client_id);
        free(rows[i].written_at);
        free(rows[i].body);
    }
    free(rows);
}

/* Listing is reading: each unread message of the patient's gets its "read" event and its read time in one
 * transaction, and the thread is given to fn only after that commits (as pg_read_messages does). fn may block for
 * as long as it likes — admin messages prints into a pipe, `| less` waits on the clinician — and while it did so
 * inside BEGIN IMMEDIATE, every write of serve failed after the busy timeout. */
static int sq_read_messages(srv_store *s, srv_store_id patient, srv_store_message_fn fn, void *ctx) {
    sq *q = sq_of(s);
    if (!begin(q)) return -1;
    sqlite3_stmt *st = stmt(q,
                            "SELECT client_id, from_patient, written_at, body, read_at IS NULL FROM message"
                            " WHERE patient=? ORDER BY id",
                            "i", patient);
    sq_row *rows = NULL;
    int n = st ? 0 : -1, cap = 0, rc = SQLITE_ERROR;
    while (st && n >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            int more = cap ? 2 * cap : 64;
            sq_row *grown = realloc(rows, (size_t)more * sizeof *rows);
            if (!grown) {
                n = -1;
                break;
            }
            rows = grown;
            cap = more;
        }
        bool mine = sqlite3_column_int(st, 1) != 0;
        sq_row *r = &rows[n];
        *r = (sq_row){.client_id = mine ? strdup(text(st, 0)) : NULL,
                      .from_patient = mine,
                      .written_at = strdup(text(st, 2)),
                      .body = strdup(text(st, 3))};
        n++;
        if ((mine && !r->client_id) || !r->written_at || !r->body) {
            free_rows(rows, n);
            rows = NULL;
            n = -1;
            break;
        }
        if (mine && sqlite3_column_int(st, 4)) {
            char *data = srv_store_event_read(r->client_id);
            if (!data || !add_event(q, patient, "read", data)) {
                free_rows(rows, n);
                rows = NULL;
                n = -1;
            }
            free(data);
        }
    }
    if (st && n >= 0 && rc != SQLITE_DONE) n = -1;
    sqlite3_finalize(st);
    if (n >= 0 && run(q, "UPDATE message SET read_at=" NOW " WHERE patient=? AND from_patient=1 AND read_at IS NULL",
                      "i", patient) < 0)
        n = -1;
    if (!end(q, n >= 0)) {
        free_rows(rows, n > 0 ? n : 0);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        srv_store_message m = {.client_id = rows[i].client_id,
                               .from_patient = rows[i].from_patient,
                               .written_at = rows[i].written_at,
                               .body = rows[i].body};
        fn(ctx, &m);
    }
    free_rows(rows, n);
    return n;
}

static int sq_answers(srv_store *s, srv_store_id patient, srv_store_answer_fn fn, void *ctx) {
    sq *q = sq_of(s);
    sqlite3_stmt *st = stmt(q, "SELECT client_id, body FROM answer WHERE patient=? ORDER BY id", "i", patient);
    if (!st) return -1;
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        fn(ctx, text(st, 0), text(st, 1));
        n++;
    }
    if (rc != SQLITE_DONE) n = -1;
    sqlite3_finalize(st);
    return n;
}

static bool sq_revoke(srv_store *s, srv_store_id patient) {
    return run(sq_of(s), "UPDATE patient SET revoked=1, token=NULL WHERE id=?", "i", patient) >= 0;
}

static int sq_receipts(srv_store *s, srv_store_receipt_fn fn, void *ctx) {
    sq *q = sq_of(s);
    sqlite3_stmt *st = stmt(q, "SELECT received_at, for_patient, body FROM wipe_receipt ORDER BY id", "");
    if (!st) return -1;
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        fn(ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), text(st, 2)); /* NULL reads as 0 */
        n++;
    }
    if (rc != SQLITE_DONE) n = -1;
    sqlite3_finalize(st);
    return n;
}

const srv_store_ops srv_store_sqlite_ops = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .schema_version = sq_schema_version,
    .idle = sq_idle,
    .settle = sq_settle,
    .auth = sq_auth,
    .is_unlocked = sq_is_unlocked,
    .enrol = sq_enrol,
    .take_reset_code = sq_take_reset_code,
    .put_recovery = sq_put_recovery,
    .device_wiped = sq_device_wiped,
    .changes = sq_changes,
    .put_message = sq_put_message,
    .put_answer = sq_put_answer,
    .find_patient = sq_find_patient,
    .set_enrol_code = sq_set_enrol_code,
    .set_reset_code = sq_set_reset_code,
    .lock_settings_load = sq_lock_settings_load,
    .lock_settings_save = sq_lock_settings_save,
    .staff_code_set = sq_staff_code_set,
    .device_of = sq_device_of,
    .devices = sq_devices,
    .mark_returned = sq_mark_returned,
    .unlock = sq_unlock,
    .post_reply = sq_post_reply,
    .read_messages = sq_read_messages,
    .answers = sq_answers,
    .revoke = sq_revoke,
    .receipts = sq_receipts,
};
