/* srv_store_pg.c — the PostgreSQL backend of srv_store.h, through libpq: the schema and its migrations, and every
 * operation as SQL with text parameters. Several server processes may share one database, so every rule that must
 * hold when requests race is the database's (constraints, ON CONFLICT, row locks), never a lock in this process.
 * The seam: srv_store.c calls the ops table at the end; nothing here knows about HTTP.
 */
#include <ctype.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meistring/config.h"

#include "srv_store_internal.h"

#define STR_(x) #x
#define STR(x)  STR_(x)

/* A unix time in seconds, as SQLite's CAST(strftime('%s','now') AS INTEGER). now() is the transaction's start,
 * so every row one transaction writes carries the same time. */
#define NOW "extract(epoch from now())::bigint"

/* The advisory locks this backend takes, by key. One place, so no two uses collide: migrations (every instance
 * starting at once), and issuing codes (a code must not be live in two tables, which no constraint can say). */
#define LOCK_MIGRATE 0x4d65697374720001LL
#define LOCK_CODES   0x4d65697374720002LL

typedef struct {
    srv_store base; /* first: srv_store.c reaches the ops through it */
    PGconn *conn;
    bool in_tx;
} pg;

/* ---- talking to the server -------------------------------------------------------------------------------- */

/* Why something failed, never with a parameter: the connection is terse (no DETAIL, which would quote a key's
 * value — a code, a token), and no caller passes a value as `what`. */
static void say(pg *s, const char *what, const PGresult *r) {
    const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(s->conn);
    char line[512];
    size_t n = 0;
    /* one line in the log: libpq's own line breaks and indents become single spaces */
    for (const char *c = msg; *c && n + 1 < sizeof line; c++) {
        bool space = *c == '\n' || *c == '\t' || *c == ' ';
        if (space && (n == 0 || line[n - 1] == ' ')) continue;
        line[n++] = space ? ' ' : *c;
    }
    while (n && line[n - 1] == ' ')
        n--;
    line[n] = '\0';
    fprintf(stderr, "meistring-server: postgresql: %s: %s\n", what, line);
}

/* Runs one statement with n text parameters. The result (caller PQclears it), or NULL when it failed: said on
 * stderr, unless its SQLSTATE is `expected` (then *hit is set and nothing is said). A connection that broke
 * between transactions is made again once before the statement: a database restart costs one failed request,
 * not the server. */
static PGresult *run_ex(pg *s, const char *what, const char *sql, int n, const char *const *p, const char *expected,
                        bool *hit) {
    if (!s->in_tx && PQstatus(s->conn) != CONNECTION_OK) {
        PQreset(s->conn);
        if (PQstatus(s->conn) != CONNECTION_OK) {
            say(s, "reconnecting", NULL);
            return NULL;
        }
        PQsetErrorVerbosity(s->conn, PQERRORS_TERSE);
    }
    PGresult *r = PQexecParams(s->conn, sql, n, NULL, p, NULL, NULL, 0);
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return r;
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    if (expected && state && strcmp(state, expected) == 0) {
        *hit = true;
    } else {
        say(s, what, r);
    }
    PQclear(r);
    return NULL;
}

static PGresult *run(pg *s, const char *what, const char *sql, int n, const char *const *p) {
    return run_ex(s, what, sql, n, p, NULL, NULL);
}

/* A statement whose rows are not wanted: true when it ran. */
static bool exec(pg *s, const char *what, const char *sql, int n, const char *const *p) {
    PGresult *r = run(s, what, sql, n, p);
    PQclear(r);
    return r != NULL;
}

static bool begin(pg *s) {
    if (!exec(s, "begin", "BEGIN", 0, NULL)) return false;
    s->in_tx = true;
    return true;
}

/* Ends the transaction: COMMIT when ok (true when that worked), else ROLLBACK (false). COMMIT of a transaction
 * that an error aborted "succeeds" (PGRES_COMMAND_OK) with the tag ROLLBACK: only the tag says nothing was
 * stored. */
static bool finish(pg *s, bool ok) {
    if (ok) {
        PGresult *r = run(s, "commit", "COMMIT", 0, NULL);
        ok = r && strcmp(PQcmdStatus(r), "COMMIT") == 0;
        if (r && !ok)
            fprintf(stderr, "meistring-server: postgresql: commit: the transaction had failed; rolled back\n");
        PQclear(r);
    }
    if (!ok && PQtransactionStatus(s->conn) != PQTRANS_IDLE) {
        PGresult *r = PQexec(s->conn, "ROLLBACK");
        PQclear(r);
    }
    s->in_tx = false;
    return ok;
}

/* Parameters are text; ids are printed into the caller's buffer. */
static const char *num(char buf[24], int64_t v) {
    snprintf(buf, 24, "%lld", (long long)v);
    return buf;
}

static int64_t col_i64(const PGresult *r, int row, int col) { return strtoll(PQgetvalue(r, row, col), NULL, 10); }
static bool col_bool(const PGresult *r, int row, int col) { return PQgetvalue(r, row, col)[0] == 't'; }

/* ---- the schema ------------------------------------------------------------------------------------------- */

/* Each entry brings the schema from version i to i+1, run once in the migrating transaction (srv_store_open). To add
 * version 2: append its SQL as a new entry (ALTER TABLE …, with defaults for the rows already there) and never
 * edit an entry a database may already have run; schema_version then reads 2 everywhere it ran.
 * Ids are identities bounded by MS_JSON_MAX_ID: a tablet reads them as doubles, exact up to 2^53, and the
 * sequence fails loudly before it passes that rather than sending a tablet an id it would round. */
#define ID_MAX_SQL "9007199254740992" /* MS_JSON_MAX_ID without C's LL */
_Static_assert(MS_JSON_MAX_ID == 9007199254740992LL, "ID_MAX_SQL is MS_JSON_MAX_ID");
/* the clinic's lock settings before any are set: the same as the SQLite backend's, from config.h */
#define CLINIC_DEFAULTS                                                                                                \
    STR(SRV_LOCK_AFTER_S_DEFAULT) ", " STR(SRV_PIN_DIGITS_DEFAULT) ", " STR(SRV_MAX_FAILURES_DEFAULT)
#define ID_TYPE "bigint GENERATED ALWAYS AS IDENTITY (MAXVALUE " ID_MAX_SQL ") PRIMARY KEY"
static const char *const MIGRATIONS[] = {
    /* v1: the SQLite backend's schema (srv_store_sqlite.c), in PostgreSQL's types, with foreign keys to the
     * patient. */
    /* failed codes since the database was made, for ever: what every live code has been exposed to */
    "CREATE TABLE counter(name text PRIMARY KEY, n bigint NOT NULL);"
    "INSERT INTO counter(name, n) VALUES('enrol_failures', 0);"
    /* code_expires: unix seconds; code_base: the counter when the code was made (its exposure is the counter
     * minus that). A used code is set to NULL: it is one-time, and its digits go back to the pool. */
    "CREATE TABLE patient(id " ID_TYPE ", name text NOT NULL, code text UNIQUE,"
    "  code_used boolean NOT NULL DEFAULT false, token text UNIQUE, revoked boolean NOT NULL DEFAULT false,"
    "  code_expires bigint, code_base bigint);"
    "CREATE INDEX patient_name ON patient(name);"
    "CREATE TABLE unlock(patient bigint NOT NULL REFERENCES patient, module text NOT NULL,"
    "  PRIMARY KEY(patient, module));"
    /* messages both ways; a patient's carry the id their tablet made, unique for ever (the therapist's NULL) */
    "CREATE TABLE message(id " ID_TYPE ", patient bigint NOT NULL REFERENCES patient, client_id text,"
    "  from_patient boolean NOT NULL, body text NOT NULL, written_at text NOT NULL, read_at bigint,"
    "  UNIQUE(patient, client_id));"
    "CREATE TABLE answer(id " ID_TYPE ", patient bigint NOT NULL REFERENCES patient, client_id text NOT NULL,"
    "  body text NOT NULL, UNIQUE(patient, client_id));"
    /* the changes feed: what a device has not seen yet, in order (see lock_patient) */
    "CREATE TABLE event(seq " ID_TYPE ", patient bigint NOT NULL REFERENCES patient, type text NOT NULL,"
    "  data text NOT NULL);"
    "CREATE INDEX event_patient_seq ON event(patient, seq);"
    /* the clinic's lock settings, one row, sent to every tablet at enrolment */
    "CREATE TABLE clinic(id integer PRIMARY KEY CHECK(id=1), lock_after_s integer NOT NULL,"
    "  pin_digits integer NOT NULL, max_failures integer NOT NULL, staff_code_hash text);"
    "INSERT INTO clinic(id, lock_after_s, pin_digits, max_failures) VALUES(1, " CLINIC_DEFAULTS ");"
    /* the patient's current device, one row per enrolment (a new enrolment starts it afresh); unix seconds */
    "CREATE TABLE device(patient bigint PRIMARY KEY REFERENCES patient, enrolled_at bigint, returned_at bigint,"
    "  wiped_at bigint, recovery_wrap text);"
    /* one reset code per patient, kept as an enrolment code is; apart from patient.code, so a reset code never
     * enrols and an enrolment code never recovers */
    "CREATE TABLE reset_code(patient bigint PRIMARY KEY REFERENCES patient, code text NOT NULL UNIQUE,"
    "  expires bigint NOT NULL, base bigint NOT NULL);"
    /* what wiped tablets said they destroyed; for_patient may name an enrolment this database never had */
    "CREATE TABLE wipe_receipt(id " ID_TYPE ", received_at bigint NOT NULL, for_patient bigint,"
    "  enrolled_patient bigint, body text NOT NULL);",
};
#define N_MIGRATIONS ((int)(sizeof MIGRATIONS / sizeof MIGRATIONS[0]))

/* Brings the schema to N_MIGRATIONS in one transaction. The advisory lock makes instances that start together
 * take turns: the first migrates, the others then find the version current and do nothing. */
static bool migrate(pg *s) {
    char lock[24];
    const char *p[] = {num(lock, LOCK_MIGRATE)};
    if (!begin(s)) return false;
    /* a migration of a large table, and the wait for another instance's, may take longer than a request may: the
     * session's timeouts (PG_OPTIONS) are lifted for this transaction only */
    bool ok = exec(s, "migrating: lifting the timeouts", "SET LOCAL statement_timeout=0", 0, NULL) &&
              exec(s, "migrating: lifting the timeouts", "SET LOCAL lock_timeout=0", 0, NULL) &&
              exec(s, "migrating: waiting for other instances", "SELECT pg_advisory_xact_lock($1::bigint)", 1, p) &&
              exec(s, "migrating: the version table",
                   "CREATE TABLE IF NOT EXISTS schema_version(version integer PRIMARY KEY, applied_at bigint NOT NULL)",
                   0, NULL);
    PGresult *r =
        ok ? run(s, "migrating: reading the version", "SELECT coalesce(max(version), 0) FROM schema_version", 0, NULL)
           : NULL;
    int at = r ? (int)col_i64(r, 0, 0) : -1;
    PQclear(r);
    ok = at >= 0;
    if (ok && at > N_MIGRATIONS) {
        fprintf(stderr,
                "meistring-server: postgresql: the database is at schema version %d, newer than this server's %d: run"
                " a newer server\n",
                at, N_MIGRATIONS);
        ok = false;
    }
    for (int v = at + 1; ok && v <= N_MIGRATIONS; v++) {
        PGresult *m = PQexec(s->conn, MIGRATIONS[v - 1]); /* several statements: the simple protocol */
        ok = PQresultStatus(m) == PGRES_COMMAND_OK;
        if (!ok) say(s, "migrating", m);
        PQclear(m);
        char vb[24];
        const char *vp[] = {num(vb, v)};
        ok = ok && exec(s, "migrating: the version",
                        "INSERT INTO schema_version(version, applied_at) VALUES($1, " NOW ")", 1, vp);
    }
    return finish(s, ok);
}

static srv_store *pg_open(const char *where_as_given);
static srv_store *connect_and_migrate(const char *where);

static void pg_close(srv_store *st) {
    pg *s = (pg *)st;
    PQfinish(s->conn);
    free(s);
}

static bool pg_idle(srv_store *st) {
    pg *s = (pg *)st;
    /* a broken connection is no transaction either: run_ex connects again before its next statement */
    PGTransactionStatusType t = PQtransactionStatus(s->conn);
    return !s->in_tx && (t == PQTRANS_IDLE || t == PQTRANS_UNKNOWN);
}

static void pg_settle(srv_store *st) {
    pg *s = (pg *)st;
    fprintf(stderr, "meistring-server: postgresql: a connection came back inside a transaction; it is rolled back\n");
    s->in_tx = false;
    PGTransactionStatusType t = PQtransactionStatus(s->conn);
    if (t == PQTRANS_INTRANS || t == PQTRANS_INERROR) {
        PGresult *r = PQexec(s->conn, "ROLLBACK");
        PQclear(r);
    }
    /* a query still running (PQTRANS_ACTIVE), or a ROLLBACK that did not take: start the session again */
    t = PQtransactionStatus(s->conn);
    if (t != PQTRANS_IDLE && t != PQTRANS_UNKNOWN) {
        PQreset(s->conn);
        PQsetErrorVerbosity(s->conn, PQERRORS_TERSE);
    }
}

static int pg_schema_version(srv_store *st) {
    PGresult *r =
        run((pg *)st, "reading the schema version", "SELECT coalesce(max(version), -1) FROM schema_version", 0, NULL);
    int v = r ? (int)col_i64(r, 0, 0) : -1;
    PQclear(r);
    return v;
}

/* ---- what every event writer does first ------------------------------------------------------------------- */

/* Holds the patient's row until the transaction ends. Every transaction that adds an event for a patient calls
 * this before it adds one, and that is what lets a cursor trust the feed: event.seq comes from a sequence, and
 * two transactions can take 10 and 11 and commit 11 first — a reader would then see 11, move its cursor past 10,
 * and never see 10. With the row held, a patient's writers take turns: the second takes its seq only after the
 * first has committed, so one patient's events commit in seq order, and a reader that has seen seq N has
 * already been able to see every one of that patient's events below N. (Across patients the order does not
 * matter: each cursor reads one patient.) NO KEY UPDATE, not UPDATE: inserting a row that references the
 * patient (a message, under its foreign key) takes KEY SHARE, which this does not block.
 * 1 held, 0 no such patient, -1 on error. */
static int lock_patient(pg *s, srv_store_id patient) {
    char a[24];
    const char *p[] = {num(a, patient)};
    PGresult *r = run(s, "locking the patient", "SELECT 1 FROM patient WHERE id=$1 FOR NO KEY UPDATE", 1, p);
    int n = r ? PQntuples(r) : -1;
    PQclear(r);
    if (n == 0) fprintf(stderr, "meistring-server: postgresql: no such patient\n");
    return n < 0 ? -1 : n > 0;
}

/* Adds an event; the caller holds the patient (lock_patient) and owns data (NULL: out of memory, not stored). */
static bool add_event(pg *s, srv_store_id patient, const char *type, const char *data) {
    if (!data) {
        fprintf(stderr, "meistring-server: postgresql: out of memory for an event\n");
        return false;
    }
    char a[24];
    const char *p[] = {num(a, patient), type, data};
    return exec(s, "adding an event", "INSERT INTO event(patient, type, data) VALUES($1, $2, $3)", 3, p);
}

/* Opens a module inside the caller's transaction, with its event the first time: 1 now, 0 already, -1. The
 * primary key decides "first": of two racing, one inserts, the other waits for it and finds the row. */
static int unlock_in(pg *s, srv_store_id patient, const char *module) {
    char a[24];
    const char *p[] = {num(a, patient), module};
    if (lock_patient(s, patient) != 1) return -1;
    PGresult *r = run(s, "opening a module",
                      "INSERT INTO unlock(patient, module) VALUES($1, $2) ON CONFLICT DO NOTHING RETURNING 1", 2, p);
    if (!r) return -1;
    int fresh = PQntuples(r) > 0;
    PQclear(r);
    if (!fresh) return 0;
    char *d = srv_store_event_unlock(module);
    bool ok = add_event(s, patient, "unlock", d);
    free(d);
    return ok ? 1 : -1;
}

/* ---- what a tablet's requests do -------------------------------------------------------------------------- */

static srv_store_id pg_auth(srv_store *st, const char *token) {
    const char *p[] = {token};
    PGresult *r = run((pg *)st, "checking a token", "SELECT id FROM patient WHERE token=$1 AND NOT revoked", 1, p);
    srv_store_id id = r ? (PQntuples(r) ? col_i64(r, 0, 0) : 0) : -1;
    PQclear(r);
    return id;
}

static int pg_is_unlocked(srv_store *st, srv_store_id patient, const char *module) {
    char a[24];
    const char *p[] = {num(a, patient), module};
    PGresult *r = run((pg *)st, "reading an unlock", "SELECT 1 FROM unlock WHERE patient=$1 AND module=$2", 2, p);
    int n = r ? PQntuples(r) > 0 : -1;
    PQclear(r);
    return n;
}

/* Every live code has now been exposed to one more guess. The row is the counter: n=n+1 under its row lock, so
 * racing failures each count, from any instance. */
static bool count_failed_code(pg *s) {
    return exec(s, "counting a failed code", "UPDATE counter SET n=n+1 WHERE name='enrol_failures'", 0, NULL);
}

static bool load_lock_settings(pg *s, lock_settings *out) {
    memset(out, 0, sizeof *out);
    PGresult *r = run(s, "reading the lock settings",
                      "SELECT lock_after_s, pin_digits, max_failures, coalesce(staff_code_hash, '') FROM clinic"
                      " WHERE id=1",
                      0, NULL);
    bool ok = r && PQntuples(r) == 1;
    if (ok) {
        out->after_s = (int)col_i64(r, 0, 0);
        out->pin_digits = (int)col_i64(r, 0, 1);
        out->max_failures = (int)col_i64(r, 0, 2);
        snprintf(out->staff_code_hash, sizeof out->staff_code_hash, "%s", PQgetvalue(r, 0, 3));
    } else if (r) {
        fprintf(stderr, "meistring-server: postgresql: the clinic's settings row is missing\n");
    }
    PQclear(r);
    return ok;
}

/* The code is used by the UPDATE that checks it: of racing enrolments with one code, the first locks the row and
 * sets code NULL; the others wait for it, then (READ COMMITTED re-reads the row) no longer match. */
static srv_store_id pg_enrol(srv_store *st, const char *code, const char *token, const srv_store_receipt *receipt,
                             char *name, size_t name_cap, lock_settings *ls) {
    pg *s = (pg *)st;
    char ex[24];
    const char *p[] = {code, token, num(ex, SRV_CODE_MAX_EXPOSURE)};
    if (!begin(s)) return -1;
    PGresult *r = run(s, "using an enrolment code",
                      "UPDATE patient SET code_used=true, code=NULL, token=$2"
                      " WHERE code=$1 AND NOT code_used AND NOT revoked AND code_expires > " NOW
                      " AND (SELECT n FROM counter WHERE name='enrol_failures') - code_base < $3"
                      " RETURNING id, name",
                      3, p);
    if (!r) return finish(s, false), -1;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return finish(s, count_failed_code(s)) ? 0 : -1;
    }
    srv_store_id id = col_i64(r, 0, 0);
    snprintf(name, name_cap, "%s", PQgetvalue(r, 0, 1));
    PQclear(r);
    char a[24];
    const char *pid[] = {num(a, id)};
    /* the device row starts afresh: its return, wipe, wrap and reset code were the tablet's before */
    bool ok = exec(s, "starting the device row",
                   "INSERT INTO device(patient, enrolled_at) VALUES($1, " NOW ") ON CONFLICT(patient) DO UPDATE"
                   " SET enrolled_at=excluded.enrolled_at, returned_at=NULL, wiped_at=NULL, recovery_wrap=NULL",
                   1, pid) &&
              exec(s, "dropping an old reset code", "DELETE FROM reset_code WHERE patient=$1", 1, pid) &&
              load_lock_settings(s, ls);
    /* a receipt that cannot be stored does not refuse the enrolment: a savepoint keeps the rest */
    if (ok && receipt && receipt->body) {
        char f[24];
        const char *rp[] = {receipt->for_patient > 0 ? num(f, receipt->for_patient) : NULL, a, receipt->body};
        ok = exec(s, "keeping a wipe receipt", "SAVEPOINT receipt", 0, NULL);
        if (ok && !exec(s, "keeping a wipe receipt",
                        "INSERT INTO wipe_receipt(received_at, for_patient, enrolled_patient, body)"
                        " VALUES(" NOW ", $1, $2, $3)",
                        3, rp))
            ok = exec(s, "dropping a wipe receipt", "ROLLBACK TO SAVEPOINT receipt", 0, NULL);
    }
    return finish(s, ok) ? id : -1;
}

/* The DELETE that finds the code uses it up: of two racing, one deletes the row, the other then finds none. */
static int pg_take_reset_code(srv_store *st, const char *code, char *wrap, size_t wrap_cap) {
    pg *s = (pg *)st;
    char ex[24];
    const char *p[] = {code, num(ex, SRV_CODE_MAX_EXPOSURE)};
    PGresult *r = run(s, "using a reset code",
                      "DELETE FROM reset_code r USING patient p, device d"
                      " WHERE r.code=$1 AND p.id=r.patient AND d.patient=r.patient AND NOT p.revoked"
                      " AND p.token IS NOT NULL AND d.recovery_wrap IS NOT NULL AND r.expires > " NOW
                      " AND (SELECT n FROM counter WHERE name='enrol_failures') - r.base < $2"
                      " RETURNING d.recovery_wrap",
                      2, p);
    if (!r) return -1;
    int found = PQntuples(r) > 0;
    if (found) snprintf(wrap, wrap_cap, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    if (!found && !count_failed_code(s)) return -1;
    return found;
}

/* The first wrap is set only where none is. The patient's row is held first, and only while token is still its
 * live one: an enrolment (which sets a new token and clears the wrap) and a wipe both change that row, so neither
 * can come between the check and the wrap, and racing PUTs take turns. */
static srv_store_put_result pg_put_recovery(srv_store *st, srv_store_id patient, const char *token, const char *wrap) {
    pg *s = (pg *)st;
    char a[24];
    const char *p[] = {num(a, patient), wrap};
    const char *pt[] = {a, token};
    if (!begin(s)) return SRV_STORE_FAILED;
    PGresult *r = run(s, "checking a token",
                      "SELECT 1 FROM patient WHERE id=$1 AND token=$2 AND NOT revoked FOR NO KEY UPDATE", 2, pt);
    if (!r) return finish(s, false), SRV_STORE_FAILED;
    bool live = PQntuples(r) > 0;
    PQclear(r);
    if (!live) return finish(s, false), SRV_STORE_GONE;
    if (!exec(s, "keeping a recovery wrap", "INSERT INTO device(patient) VALUES($1) ON CONFLICT DO NOTHING", 1, p))
        return finish(s, false), SRV_STORE_FAILED;
    r = run(s, "keeping a recovery wrap",
            "UPDATE device SET recovery_wrap=$2 WHERE patient=$1 AND recovery_wrap IS NULL RETURNING 1", 2, p);
    if (!r) return finish(s, false), SRV_STORE_FAILED;
    bool set = PQntuples(r) > 0;
    PQclear(r);
    srv_store_put_result res = SRV_STORE_CREATED;
    if (!set) {
        r = run(s, "reading a recovery wrap", "SELECT recovery_wrap FROM device WHERE patient=$1", 1, p);
        if (!r) return finish(s, false), SRV_STORE_FAILED;
        res = PQntuples(r) == 1 && !PQgetisnull(r, 0, 0) && strcmp(PQgetvalue(r, 0, 0), wrap) == 0 ? SRV_STORE_REPLAY
                                                                                                   : SRV_STORE_CONFLICT;
        PQclear(r);
    }
    return finish(s, true) ? res : SRV_STORE_FAILED;
}

/* The token is revoked only while it is still the live one: the UPDATE that revokes it is the check, and holds
 * the row until the wipe commits. */
static int pg_device_wiped(srv_store *st, srv_store_id patient, const char *token) {
    pg *s = (pg *)st;
    char a[24];
    const char *p[] = {num(a, patient), token};
    if (!begin(s)) return -1;
    PGresult *r =
        run(s, "revoking a wiped device",
            "UPDATE patient SET token=NULL, revoked=true WHERE id=$1 AND token=$2 AND NOT revoked RETURNING 1", 2, p);
    if (!r) return finish(s, false), -1;
    bool live = PQntuples(r) > 0;
    PQclear(r);
    if (!live) return finish(s, false), 0;
    bool ok =
        exec(s, "marking a device wiped", "INSERT INTO device(patient) VALUES($1) ON CONFLICT DO NOTHING", 1, p) &&
        exec(s, "marking a device wiped", "UPDATE device SET wiped_at=" NOW ", recovery_wrap=NULL WHERE patient=$1", 1,
             p) &&
        exec(s, "dropping a reset code", "DELETE FROM reset_code WHERE patient=$1", 1, p);
    return finish(s, ok) ? 1 : -1;
}

/* One statement, so one snapshot: what it returns is every event of the patient committed below the last seq it
 * returns (lock_patient says why). */
static int pg_changes(srv_store *st, srv_store_id patient, int64_t since, int limit, srv_store_event_fn fn, void *ctx) {
    char a[24], b[24], c[24], d[24];
    const char *p[] = {num(a, patient), num(b, since), num(c, MS_JSON_MAX_ID), num(d, limit > 0 ? limit : 0)};
    PGresult *r = run((pg *)st, "reading the changes feed",
                      "SELECT seq, type, data FROM event WHERE patient=$1 AND seq > $2 AND seq <= $3"
                      " ORDER BY seq LIMIT $4",
                      4, p);
    if (!r) return -1;
    int n = PQntuples(r);
    for (int i = 0; i < n; i++)
        fn(ctx, col_i64(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2));
    PQclear(r);
    return n;
}

/* An idempotent PUT: the unique (patient, client_id) decides which of racing PUTs stores its row. ON CONFLICT DO
 * NOTHING waits for a racing insert of the same key to commit or roll back; when nothing was inserted, the next
 * statement (READ COMMITTED: a fresh snapshot) reads the row that won and compares it. `stored` is that SELECT,
 * with the compared columns in the order of want[]. */
static srv_store_put_result compare_stored(pg *s, const char *stored, const char *const *key, const char *const *want,
                                           int n_want) {
    PGresult *r = run(s, "reading a stored row", stored, 2, key);
    if (!r) return SRV_STORE_FAILED;
    srv_store_put_result res = SRV_STORE_REPLAY;
    if (PQntuples(r) == 0) {
        /* the row that blocked the insert is gone, yet nothing deletes messages or answers */
        fprintf(stderr, "meistring-server: postgresql: a conflicting row vanished\n");
        res = SRV_STORE_FAILED;
    }
    for (int i = 0; res == SRV_STORE_REPLAY && i < n_want; i++)
        if (strcmp(PQgetvalue(r, 0, i), want[i]) != 0) res = SRV_STORE_CONFLICT;
    PQclear(r);
    return res;
}

static srv_store_put_result pg_put_message(srv_store *st, srv_store_id patient, const char *client_id, const char *body,
                                           const char *written_at) {
    pg *s = (pg *)st;
    char a[24];
    const char *p[] = {num(a, patient), client_id, body, written_at};
    PGresult *r = run(s, "storing a message",
                      "INSERT INTO message(patient, client_id, from_patient, body, written_at)"
                      " VALUES($1, $2, true, $3, $4) ON CONFLICT(patient, client_id) DO NOTHING RETURNING id",
                      4, p);
    if (!r) return SRV_STORE_FAILED;
    bool fresh = PQntuples(r) > 0;
    PQclear(r);
    if (fresh) return SRV_STORE_CREATED;
    return compare_stored(s, "SELECT body, written_at FROM message WHERE patient=$1 AND client_id=$2", p, p + 2, 2);
}

/* A fresh answer and the modules it opens are one transaction: a tablet never sees the answer stored and its
 * modules still shut. The patient is held first (its unlock events, lock_patient), so racing PUTs of one
 * patient's answers take turns here. */
static srv_store_put_result pg_put_answer(srv_store *st, srv_store_id patient, const char *client_id, const char *canon,
                                          const char *const *unlocks, size_t n_unlocks) {
    pg *s = (pg *)st;
    char a[24];
    const char *p[] = {num(a, patient), client_id, canon};
    if (!begin(s)) return SRV_STORE_FAILED;
    if (lock_patient(s, patient) != 1) return finish(s, false), SRV_STORE_FAILED;
    PGresult *r = run(s, "storing an answer",
                      "INSERT INTO answer(patient, client_id, body) VALUES($1, $2, $3)"
                      " ON CONFLICT(patient, client_id) DO NOTHING RETURNING id",
                      3, p);
    if (!r) return finish(s, false), SRV_STORE_FAILED;
    bool fresh = PQntuples(r) > 0;
    PQclear(r);
    srv_store_put_result res = SRV_STORE_CREATED;
    if (!fresh) res = compare_stored(s, "SELECT body FROM answer WHERE patient=$1 AND client_id=$2", p, p + 2, 1);
    for (size_t i = 0; fresh && res == SRV_STORE_CREATED && i < n_unlocks; i++)
        if (unlock_in(s, patient, unlocks[i]) < 0) res = SRV_STORE_FAILED;
    return finish(s, res != SRV_STORE_FAILED) ? res : SRV_STORE_FAILED;
}

/* ---- what a clinician does -------------------------------------------------------------------------------- */

static srv_store_id pg_find_patient(srv_store *st, const char *id_or_name) {
    char a[24];
    const char *p[] = {num(a, strtoll(id_or_name, NULL, 10)), id_or_name};
    PGresult *r =
        run((pg *)st, "finding a patient", "SELECT id FROM patient WHERE id=$1 OR name=$2 ORDER BY id LIMIT 1", 2, p);
    srv_store_id id = r ? (PQntuples(r) ? col_i64(r, 0, 0) : 0) : -1;
    PQclear(r);
    return id;
}

/* Inside an issuing transaction: holds the code lock (so two clinicians cannot both find the same digits free,
 * one in each table), then says whether the digits are some code already: 1 taken, 0 free, -1 on error. A
 * unique violation afterwards would still be caught, but only within one table. */
static int code_taken(pg *s, const char *code) {
    char k[24];
    const char *pk[] = {num(k, LOCK_CODES)};
    const char *p[] = {code};
    if (!exec(s, "waiting to issue a code", "SELECT pg_advisory_xact_lock($1::bigint)", 1, pk)) return -1;
    PGresult *r = run(s, "checking a code is free",
                      "SELECT 1 FROM patient WHERE code=$1 UNION ALL SELECT 1 FROM reset_code WHERE code=$1", 1, p);
    int taken = r ? PQntuples(r) > 0 : -1;
    PQclear(r);
    return taken;
}

static int pg_set_enrol_code(srv_store *st, srv_store_id patient, const char *name, const char *code, int64_t valid_s,
                             srv_store_id *id) {
    pg *s = (pg *)st;
    if (!begin(s)) return -1;
    int taken = code_taken(s, code);
    if (taken != 0) return finish(s, false), taken > 0 ? 0 : -1;
    char a[24], v[24];
    const char *p[] = {code, num(v, valid_s), patient ? num(a, patient) : name};
    bool dup = false;
    PGresult *r = run_ex(s, "storing an enrolment code",
                         patient ? "UPDATE patient SET code=$1, code_used=false, revoked=false,"
                                   " code_expires=" NOW " + $2::bigint,"
                                   " code_base=(SELECT n FROM counter WHERE name='enrol_failures') WHERE id=$3"
                                   " RETURNING id"
                                 : "INSERT INTO patient(code, code_expires, code_base, name)"
                                   " VALUES($1, " NOW " + $2::bigint,"
                                   " (SELECT n FROM counter WHERE name='enrol_failures'), $3) RETURNING id",
                         3, p, "23505", &dup);
    if (!r) return finish(s, false), dup ? 0 : -1;
    int rows = PQntuples(r);
    if (rows) *id = col_i64(r, 0, 0);
    PQclear(r);
    if (!rows) {
        fprintf(stderr, "meistring-server: postgresql: no such patient\n");
        return finish(s, false), -1;
    }
    return finish(s, true) ? 1 : -1;
}

static int pg_set_reset_code(srv_store *st, srv_store_id patient, const char *code, int64_t valid_s) {
    pg *s = (pg *)st;
    if (!begin(s)) return -1;
    int taken = code_taken(s, code);
    if (taken != 0) return finish(s, false), taken > 0 ? 0 : -1;
    char a[24], v[24];
    const char *p[] = {num(a, patient), code, num(v, valid_s)};
    bool dup = false;
    /* the patient's row first, as an enrolment and a wipe take it before they delete the reset code: taken after
     * the DELETE (by the INSERT's foreign key), a wipe at the same moment would deadlock with this */
    bool ok = lock_patient(s, patient) == 1 &&
              exec(s, "replacing a reset code", "DELETE FROM reset_code WHERE patient=$1", 1, p);
    PGresult *r = ok ? run_ex(s, "storing a reset code",
                              "INSERT INTO reset_code(patient, code, expires, base) VALUES($1, $2, " NOW
                              " + $3::bigint, (SELECT n FROM counter WHERE name='enrol_failures'))",
                              3, p, "23505", &dup)
                     : NULL;
    ok = r != NULL;
    PQclear(r);
    if (!finish(s, ok)) return dup ? 0 : -1;
    return 1;
}

static bool pg_lock_settings_load(srv_store *st, lock_settings *out) { return load_lock_settings((pg *)st, out); }

static bool pg_lock_settings_save(srv_store *st, const lock_settings *ls) {
    char a[24], b[24], c[24];
    const char *p[] = {num(a, ls->after_s), num(b, ls->pin_digits), num(c, ls->max_failures)};
    return exec((pg *)st, "storing the lock settings",
                "UPDATE clinic SET lock_after_s=$1, pin_digits=$2, max_failures=$3 WHERE id=1", 3, p);
}

static bool pg_staff_code_set(srv_store *st, const char *hash) {
    const char *p[] = {hash};
    return exec((pg *)st, "storing the staff code", "UPDATE clinic SET staff_code_hash=$1 WHERE id=1", 1, p);
}

#define DEVICE_COLUMNS                                                                                                 \
    "p.id, p.name, p.token IS NOT NULL AND NOT p.revoked, p.revoked, d.returned_at IS NOT NULL,"                       \
    " d.wiped_at IS NOT NULL, d.recovery_wrap IS NOT NULL FROM patient p LEFT JOIN device d ON d.patient=p.id"

static void device_row(const PGresult *r, int i, srv_store_device *d) {
    memset(d, 0, sizeof *d);
    snprintf(d->name, sizeof d->name, "%s", PQgetvalue(r, i, 1));
    d->enrolled = col_bool(r, i, 2);
    d->revoked = col_bool(r, i, 3);
    d->returned = col_bool(r, i, 4);
    d->wiped = col_bool(r, i, 5);
    d->wrap = col_bool(r, i, 6);
}

static bool pg_device_of(srv_store *st, srv_store_id patient, srv_store_device *d) {
    char a[24];
    const char *p[] = {num(a, patient)};
    PGresult *r = run((pg *)st, "reading a device", "SELECT " DEVICE_COLUMNS " WHERE p.id=$1", 1, p);
    bool ok = r && PQntuples(r) == 1;
    if (ok) device_row(r, 0, d);
    PQclear(r);
    return ok;
}

static int pg_devices(srv_store *st, srv_store_device_fn fn, void *ctx) {
    PGresult *r = run((pg *)st, "listing devices", "SELECT " DEVICE_COLUMNS " ORDER BY p.id", 0, NULL);
    if (!r) return -1;
    int n = PQntuples(r);
    for (int i = 0; i < n; i++) {
        srv_store_device d;
        device_row(r, i, &d);
        fn(ctx, col_i64(r, i, 0), &d);
    }
    PQclear(r);
    return n;
}

/* Marked once: the UPDATE finds the row unmarked only the first time, and only then is there an event. */
static int pg_mark_returned(srv_store *st, srv_store_id patient) {
    pg *s = (pg *)st;
    char a[24];
    const char *p[] = {num(a, patient)};
    if (!begin(s)) return -1;
    bool ok = lock_patient(s, patient) == 1 &&
              exec(s, "marking a return", "INSERT INTO device(patient) VALUES($1) ON CONFLICT DO NOTHING", 1, p);
    PGresult *r =
        ok ? run(s, "marking a return",
                 "UPDATE device SET returned_at=" NOW " WHERE patient=$1 AND returned_at IS NULL RETURNING 1", 1, p)
           : NULL;
    int marked = r ? PQntuples(r) > 0 : -1;
    PQclear(r);
    if (marked == 1 && !add_event(s, patient, "returned", SRV_STORE_EVENT_RETURNED)) marked = -1;
    return finish(s, marked >= 0) ? marked : -1;
}

static int pg_unlock(srv_store *st, srv_store_id patient, const char *module) {
    pg *s = (pg *)st;
    if (!begin(s)) return -1;
    int r = unlock_in(s, patient, module);
    return finish(s, r >= 0) ? r : -1;
}

static bool pg_post_reply(srv_store *st, srv_store_id patient, const char *text, const char *written_at) {
    pg *s = (pg *)st;
    char a[24];
    const char *p[] = {num(a, patient), text, written_at};
    if (!begin(s)) return false;
    if (lock_patient(s, patient) != 1) return finish(s, false);
    PGresult *r = run(s, "storing a reply",
                      "INSERT INTO message(patient, from_patient, body, written_at) VALUES($1, false, $2, $3)"
                      " RETURNING id",
                      3, p);
    if (!r) return finish(s, false);
    char *d = srv_store_event_message(col_i64(r, 0, 0), text, written_at);
    PQclear(r);
    bool ok = add_event(s, patient, "message", d);
    free(d);
    return finish(s, ok);
}

/* Each unread message is marked read by an UPDATE that finds it still unread, and only then gets its "read"
 * event: a message listed by two therapists at once is receipted once, and one that arrives while the thread is
 * read waits for the next reading. The thread is given to fn only after the receipts are committed. */
static int pg_read_messages(srv_store *st, srv_store_id patient, srv_store_message_fn fn, void *ctx) {
    pg *s = (pg *)st;
    char a[24];
    const char *p[] = {num(a, patient)};
    if (!begin(s)) return -1;
    if (lock_patient(s, patient) != 1) return finish(s, false), -1;
    PGresult *r = run(s, "reading messages",
                      "SELECT id, client_id, from_patient, written_at, body, from_patient AND read_at IS NULL"
                      " FROM message WHERE patient=$1 ORDER BY id",
                      1, p);
    if (!r) return finish(s, false), -1;
    int n = PQntuples(r);
    bool ok = true;
    for (int i = 0; ok && i < n; i++) {
        if (!col_bool(r, i, 5)) continue;
        const char *pm[] = {PQgetvalue(r, i, 0)};
        PGresult *u = run(s, "marking a message read",
                          "UPDATE message SET read_at=" NOW " WHERE id=$1 AND read_at IS NULL RETURNING 1", 1, pm);
        ok = u != NULL;
        if (ok && PQntuples(u) > 0) {
            char *d = srv_store_event_read(PQgetvalue(r, i, 1));
            ok = add_event(s, patient, "read", d);
            free(d);
        }
        PQclear(u);
    }
    if (!finish(s, ok)) {
        PQclear(r);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        bool mine = col_bool(r, i, 2);
        srv_store_message m = {.client_id = mine ? PQgetvalue(r, i, 1) : NULL,
                               .from_patient = mine,
                               .written_at = PQgetvalue(r, i, 3),
                               .body = PQgetvalue(r, i, 4)};
        fn(ctx, &m);
    }
    PQclear(r);
    return n;
}

static int pg_answers(srv_store *st, srv_store_id patient, srv_store_answer_fn fn, void *ctx) {
    char a[24];
    const char *p[] = {num(a, patient)};
    PGresult *r =
        run((pg *)st, "reading answers", "SELECT client_id, body FROM answer WHERE patient=$1 ORDER BY id", 1, p);
    if (!r) return -1;
    int n = PQntuples(r);
    for (int i = 0; i < n; i++)
        fn(ctx, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1));
    PQclear(r);
    return n;
}

static bool pg_revoke(srv_store *st, srv_store_id patient) {
    char a[24];
    const char *p[] = {num(a, patient)};
    return exec((pg *)st, "revoking a device", "UPDATE patient SET revoked=true, token=NULL WHERE id=$1", 1, p);
}

static int pg_receipts(srv_store *st, srv_store_receipt_fn fn, void *ctx) {
    PGresult *r = run((pg *)st, "reading wipe receipts",
                      "SELECT received_at, coalesce(for_patient, 0), body FROM wipe_receipt ORDER BY id", 0, NULL);
    if (!r) return -1;
    int n = PQntuples(r);
    for (int i = 0; i < n; i++)
        fn(ctx, col_i64(r, i, 0), col_i64(r, i, 1), PQgetvalue(r, i, 2));
    PQclear(r);
    return n;
}

/* ---- opening ---------------------------------------------------------------------------------------------- */

const srv_store_ops srv_store_pg_ops = {
    .name = "postgresql",
    .open = pg_open,
    .close = pg_close,
    .schema_version = pg_schema_version,
    .idle = pg_idle,
    .settle = pg_settle,
    .auth = pg_auth,
    .is_unlocked = pg_is_unlocked,
    .enrol = pg_enrol,
    .take_reset_code = pg_take_reset_code,
    .put_recovery = pg_put_recovery,
    .device_wiped = pg_device_wiped,
    .changes = pg_changes,
    .put_message = pg_put_message,
    .put_answer = pg_put_answer,
    .find_patient = pg_find_patient,
    .set_enrol_code = pg_set_enrol_code,
    .set_reset_code = pg_set_reset_code,
    .lock_settings_load = pg_lock_settings_load,
    .lock_settings_save = pg_lock_settings_save,
    .staff_code_set = pg_staff_code_set,
    .device_of = pg_device_of,
    .devices = pg_devices,
    .mark_returned = pg_mark_returned,
    .unlock = pg_unlock,
    .post_reply = pg_post_reply,
    .read_messages = pg_read_messages,
    .answers = pg_answers,
    .revoke = pg_revoke,
    .receipts = pg_receipts,
};

/* The session every connection starts with, given to libpq as connection keywords rather than SET after
 * connecting: PQreset (run_ex, after the database dropped the connection) connects again with the same keywords,
 * and would lose anything SET. client_encoding: every string the server stores and sends is UTF-8.
 * client_min_messages: notices (e.g. "relation already exists, skipping") are not errors and stay out of the log.
 * The timeouts: config.h. They follow the URI's own, so they override any it sets. */
#define PG_OPTIONS                                                                                                     \
    "-c client_min_messages=warning -c statement_timeout=" STR(SRV_PG_STATEMENT_TIMEOUT_MS) " -c lock_timeout=" STR(   \
        SRV_PG_LOCK_TIMEOUT_MS)

/* Connects and migrates. Errors are terse, so no DETAIL line quotes a value; and `where` (a URI that may hold a
 * password) is never printed, nor libpq's complaint about it, which quotes the part it could not read. */
static srv_store *pg_open(const char *where_as_given) {
    /* libpq knows the scheme in lower case only; srv_store.c took it in any case */
    char *where = strdup(where_as_given);
    if (!where) {
        fprintf(stderr, "meistring-server: postgresql: out of memory\n");
        return NULL;
    }
    for (char *c = where; *c && *c != ':'; c++)
        *c = (char)tolower((unsigned char)*c);
    srv_store *s = connect_and_migrate(where);
    free(where);
    return s;
}

static srv_store *connect_and_migrate(const char *where) {
    char *why = NULL;
    PQconninfoOption *parsed = PQconninfoParse(where, &why);
    if (!parsed) {
        fprintf(stderr, "meistring-server: postgresql: --db is not a connection URI libpq can read (a %%-escape or a"
                        " parameter it does not know?); it is not repeated here, as it may hold a password\n");
        PQfreemem(why);
        return NULL;
    }
    PQconninfoFree(parsed);
    pg *s = calloc(1, sizeof *s);
    if (!s) {
        fprintf(stderr, "meistring-server: postgresql: out of memory\n");
        return NULL;
    }
    s->base.ops = &srv_store_pg_ops;
    const char *const pairs[][2] = {
        {"dbname", where}, /* first: the URI, expanded (below); the keywords after it override what it says */
        {"client_encoding", "UTF8"},
        {"options", PG_OPTIONS},
        {"connect_timeout", STR(SRV_PG_CONNECT_TIMEOUT_S)},
        {"tcp_user_timeout", STR(SRV_PG_TCP_USER_TIMEOUT_MS)},
        {"keepalives", "1"},
        {"keepalives_idle", STR(SRV_PG_KEEPALIVE_IDLE_S)},
        {"keepalives_interval", STR(SRV_PG_KEEPALIVE_INTERVAL_S)},
        {"keepalives_count", STR(SRV_PG_KEEPALIVE_COUNT)},
    };
    enum { N_PAIRS = sizeof pairs / sizeof pairs[0] };
    const char *keys[N_PAIRS + 1], *values[N_PAIRS + 1];
    for (int i = 0; i < N_PAIRS; i++) {
        keys[i] = pairs[i][0];
        values[i] = pairs[i][1];
    }
    keys[N_PAIRS] = values[N_PAIRS] = NULL;
    s->conn = PQconnectdbParams(keys, values, 1); /* 1: expand dbname */
    if (!s->conn || PQstatus(s->conn) != CONNECTION_OK) {
        if (s->conn) say(s, "connecting", NULL);
        pg_close(&s->base);
        return NULL;
    }
    PQsetErrorVerbosity(s->conn, PQERRORS_TERSE);
    /* text the database cannot hold in its own encoding would fail at some patient's message, not here */
    const char *enc = PQparameterStatus(s->conn, "server_encoding");
    if (!enc || strcmp(enc, "UTF8") != 0) {
        fprintf(stderr,
                "meistring-server: postgresql: the database's encoding is %s, not UTF8: make it with"
                " CREATE DATABASE ... ENCODING 'UTF8' TEMPLATE template0\n",
                enc ? enc : "unknown");
        pg_close(&s->base);
        return NULL;
    }
    if (!migrate(s)) {
        if (PQstatus(s->conn) != CONNECTION_OK) say(s, "setting up the session", NULL);
        pg_close(&s->base);
        return NULL;
    }
    return &s->base;
}
