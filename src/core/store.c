/* store.c — SQLite-backed store; see store.h. Every public call is one statement or one transaction, so a
 * kill at any moment leaves either the old or the new state. Statements are prepared per call: the calls
 * are rare (a page turn, a setting change) and this keeps the handle free of cached state. */
#include "meistring/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct store {
    sqlite3 *db;
    char err[256];
};

/* Each entry migrates from version i to i + 1. Never edit a shipped entry; append a new one. */
static const char *const migrations[] = {
    /* 0 → 1 */
    "CREATE TABLE setting(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE position(programme TEXT NOT NULL, module TEXT NOT NULL, page TEXT NOT NULL,"
    "  block TEXT NOT NULL, offset_permille INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
    "  PRIMARY KEY(programme, module));"
    "CREATE TABLE page_visit(programme TEXT NOT NULL, page TEXT NOT NULL, first_at INTEGER NOT NULL,"
    "  PRIMARY KEY(programme, page));",
    /* 1 → 2: sync. A blob row exists only once its bytes matched their SHA-256; a download in progress lives
     * in blob_part until then. Messages both ways; the outbox holds what the patient wrote until the server
     * has it (a row is written before the first attempt and kept, marked, after). */
    "CREATE TABLE blob(sha256 TEXT PRIMARY KEY, data BLOB NOT NULL);"
    "CREATE TABLE blob_part(sha256 TEXT PRIMARY KEY, data BLOB NOT NULL);"
    "CREATE TABLE sync_state(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE message(id INTEGER PRIMARY KEY, client_id TEXT UNIQUE, server_id INTEGER UNIQUE,"
    "  from_patient INTEGER NOT NULL, body TEXT NOT NULL, written_at TEXT NOT NULL, state TEXT NOT NULL);"
    "CREATE TABLE outbox(client_id TEXT PRIMARY KEY, kind TEXT NOT NULL, body TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL DEFAULT 'pending',"
    "  last_error TEXT);",
};

static void set_err(store *s, const char *what) {
    snprintf(s->err, sizeof s->err, "%s: %s", what, sqlite3_errmsg(s->db));
}

static bool exec(store *s, const char *sql) {
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(s->err, sizeof s->err, "%s", msg ? msg : "sqlite error");
        sqlite3_free(msg);
        return false;
    }
    return true;
}

static int user_version(store *s) {
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    return v;
}

static bool migrate(store *s) {
    int v = user_version(s);
    int target = (int)(sizeof migrations / sizeof migrations[0]);
    if (v < 0) return false;
    if (v > target) {
        snprintf(s->err, sizeof s->err, "database schema %d is newer than this program (%d)", v, target);
        return false;
    }
    for (; v < target; v++) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d;", v + 1);
        if (!exec(s, "BEGIN IMMEDIATE;")) return false;
        if (!exec(s, migrations[v]) || !exec(s, pragma)) {
            char keep[256];
            memcpy(keep, s->err, sizeof keep);
            exec(s, "ROLLBACK;");
            memcpy(s->err, keep, sizeof keep);
            return false;
        }
        if (!exec(s, "COMMIT;")) return false;
    }
    return true;
}

store *store_open(const char *path, char *err, size_t errcap) {
    store *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        snprintf(err, errcap, "cannot open the store: %s", s->db ? sqlite3_errmsg(s->db) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(s->db, 2000);
    bool mem = strcmp(path, ":memory:") == 0;
    /* WAL + FULL: NORMAL could lose the last commit on power loss, and a patient's words must not. */
    if ((!mem && !exec(s, "PRAGMA journal_mode=WAL;")) || !exec(s, "PRAGMA synchronous=FULL;") ||
        !exec(s, "PRAGMA foreign_keys=ON;") || !migrate(s)) {
        snprintf(err, errcap, "cannot prepare the store: %s", s->err);
        goto fail;
    }
    return s;
fail:
    sqlite3_close(s->db);
    free(s);
    return NULL;
}

void store_close(store *s) {
    if (!s) return;
    sqlite3_close(s->db);
    free(s);
}

static sqlite3_stmt *prep(store *s, const char *sql) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        set_err(s, "prepare");
        return NULL;
    }
    return st;
}

static bool step_done(store *s, sqlite3_stmt *st, const char *what) {
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE) set_err(s, what);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE;
}

static void copy_col(sqlite3_stmt *st, int col, char *buf, size_t cap) {
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(buf, cap, "%s", t ? (const char *)t : "");
}

bool store_set_position(store *s, const char *programme, const store_position *pos) {
    sqlite3_stmt *st = prep(s, "INSERT INTO position(programme, module, page, block, offset_permille, updated_at)"
                               " VALUES(?,?,?,?,?,?) ON CONFLICT(programme, module) DO UPDATE SET"
                               " page=excluded.page, block=excluded.block,"
                               " offset_permille=excluded.offset_permille, updated_at=excluded.updated_at");
    if (!st) return false;
    sqlite3_bind_text(st, 1, programme, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, pos->module, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, pos->page, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, pos->block, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 5, pos->offset_permille);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)time(NULL));
    return step_done(s, st, "save position");
}

bool store_get_position(store *s, const char *programme, const char *module, store_position *out) {
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = prep(s, "SELECT module, page, block, offset_permille FROM position"
                               " WHERE programme=? AND module=?");
    if (!st) return false;
    sqlite3_bind_text(st, 1, programme, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, module, -1, SQLITE_TRANSIENT);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found) {
        copy_col(st, 0, out->module, sizeof out->module);
        copy_col(st, 1, out->page, sizeof out->page);
        copy_col(st, 2, out->block, sizeof out->block);
        out->offset_permille = sqlite3_column_int(st, 3);
    }
    sqlite3_finalize(st);
    return found;
}

bool store_mark_visited(store *s, const char *programme, const char *page) {
    sqlite3_stmt *st = prep(s, "INSERT OR IGNORE INTO page_visit(programme, page, first_at) VALUES(?,?,?)");
    if (!st) return false;
    sqlite3_bind_text(st, 1, programme, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, page, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
    return step_done(s, st, "mark visited");
}

bool store_each_visited(store *s, const char *programme, void (*fn)(void *ctx, const char *page), void *ctx) {
    sqlite3_stmt *st = prep(s, "SELECT page FROM page_visit WHERE programme=?");
    if (!st) return false;
    sqlite3_bind_text(st, 1, programme, -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn(ctx, (const char *)sqlite3_column_text(st, 0));
    if (rc != SQLITE_DONE) set_err(s, "read visited");
    sqlite3_finalize(st);
    return rc == SQLITE_DONE;
}

bool store_set_setting(store *s, const char *key, const char *value) {
    sqlite3_stmt *st = prep(s, "INSERT INTO setting(key, value) VALUES(?,?)"
                               " ON CONFLICT(key) DO UPDATE SET value=excluded.value");
    if (!st) return false;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
    return step_done(s, st, "save setting");
}

bool store_get_setting(store *s, const char *key, char *buf, size_t cap) {
    if (cap) buf[0] = '\0';
    sqlite3_stmt *st = prep(s, "SELECT value FROM setting WHERE key=?");
    if (!st) return false;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found) copy_col(st, 0, buf, cap);
    sqlite3_finalize(st);
    return found;
}

bool store_integrity_ok(store *s) {
    sqlite3_stmt *st = prep(s, "PRAGMA integrity_check");
    if (!st) return false;
    bool ok = sqlite3_step(st) == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
    sqlite3_finalize(st);
    return ok;
}

const char *store_last_error(store *s) { return s->err; }

/* ---- sync ---------------------------------------------------------------------------------------------- */

bool store_blob_has(store *s, const char *sha) {
    sqlite3_stmt *st = prep(s, "SELECT 1 FROM blob WHERE sha256=?");
    if (!st) return false;
    sqlite3_bind_text(st, 1, sha, -1, SQLITE_TRANSIENT);
    bool has = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return has;
}

static bool put_bytes(store *s, const char *sql, const char *sha, const void *data, size_t len) {
    sqlite3_stmt *st = prep(s, sql);
    if (!st) return false;
    sqlite3_bind_text(st, 1, sha, -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob64(st, 2, data, (sqlite3_uint64)len, SQLITE_TRANSIENT);
    return step_done(s, st, "store bytes");
}

static unsigned char *get_bytes(store *s, const char *sql, const char *sha, size_t *len) {
    *len = 0;
    sqlite3_stmt *st = prep(s, sql);
    if (!st) return NULL;
    sqlite3_bind_text(st, 1, sha, -1, SQLITE_TRANSIENT);
    unsigned char *out = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        size_t n = (size_t)sqlite3_column_bytes(st, 0);
        out = malloc(n ? n : 1);
        if (out) {
            if (n) memcpy(out, sqlite3_column_blob(st, 0), n);
            *len = n;
        }
    }
    sqlite3_finalize(st);
    return out;
}

bool store_blob_put(store *s, const char *sha, const void *data, size_t len) {
    /* the finished blob replaces its partial download in one transaction */
    if (!exec(s, "BEGIN IMMEDIATE;")) return false;
    bool ok = put_bytes(s, "INSERT OR REPLACE INTO blob(sha256, data) VALUES(?,?)", sha, data, len);
    sqlite3_stmt *st = ok ? prep(s, "DELETE FROM blob_part WHERE sha256=?") : NULL;
    if (st) {
        sqlite3_bind_text(st, 1, sha, -1, SQLITE_TRANSIENT);
        ok = step_done(s, st, "drop partial blob");
    }
    if (!ok || !exec(s, "COMMIT;")) {
        exec(s, "ROLLBACK;");
        return false;
    }
    return true;
}

unsigned char *store_blob_get(store *s, const char *sha, size_t *len) {
    return get_bytes(s, "SELECT data FROM blob WHERE sha256=?", sha, len);
}

bool store_blob_part_put(store *s, const char *sha, const void *data, size_t len) {
    return put_bytes(s, "INSERT OR REPLACE INTO blob_part(sha256, data) VALUES(?,?)", sha, data, len);
}

unsigned char *store_blob_part_get(store *s, const char *sha, size_t *len) {
    return get_bytes(s, "SELECT data FROM blob_part WHERE sha256=?", sha, len);
}

bool store_sync_set(store *s, const char *key, const char *value) {
    sqlite3_stmt *st = prep(s, "INSERT INTO sync_state(key, value) VALUES(?,?)"
                               " ON CONFLICT(key) DO UPDATE SET value=excluded.value");
    if (!st) return false;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
    return step_done(s, st, "save sync state");
}

char *store_sync_get(store *s, const char *key) {
    sqlite3_stmt *st = prep(s, "SELECT value FROM sync_state WHERE key=?");
    if (!st) return NULL;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    char *v = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) v = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return v;
}

bool store_begin(store *s) { return exec(s, "BEGIN IMMEDIATE;"); }
bool store_commit(store *s) { return exec(s, "COMMIT;"); }
void store_rollback(store *s) { exec(s, "ROLLBACK;"); }

bool store_message_add(store *s, const char *client_id, long long server_id, bool from_patient, const char *body,
                       const char *written_at, const char *state) {
    sqlite3_stmt *st = prep(s, "INSERT OR IGNORE INTO message(client_id, server_id, from_patient, body, written_at,"
                               " state) VALUES(?,?,?,?,?,?)");
    if (!st) return false;
    if (client_id) sqlite3_bind_text(st, 1, client_id, -1, SQLITE_TRANSIENT);
    if (server_id) sqlite3_bind_int64(st, 2, server_id);
    sqlite3_bind_int(st, 3, from_patient);
    sqlite3_bind_text(st, 4, body, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, written_at, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, state, -1, SQLITE_TRANSIENT);
    return step_done(s, st, "add message");
}

bool store_message_state(store *s, const char *client_id, const char *state) {
    sqlite3_stmt *st = prep(s, "UPDATE message SET state=? WHERE client_id=?");
    if (!st) return false;
    sqlite3_bind_text(st, 1, state, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, client_id, -1, SQLITE_TRANSIENT);
    return step_done(s, st, "message state");
}

bool store_each_message(store *s, void (*fn)(void *ctx, const store_message *m), void *ctx) {
    sqlite3_stmt *st = prep(s, "SELECT client_id, server_id, from_patient, body, written_at, state FROM message"
                               " ORDER BY id");
    if (!st) return false;
    while (sqlite3_step(st) == SQLITE_ROW) {
        store_message m = {(const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1),
                           sqlite3_column_int(st, 2) != 0,           (const char *)sqlite3_column_text(st, 3),
                           (const char *)sqlite3_column_text(st, 4), (const char *)sqlite3_column_text(st, 5)};
        fn(ctx, &m);
    }
    sqlite3_finalize(st);
    return true;
}

bool store_outbox_add(store *s, const char *kind, const char *client_id, const char *body) {
    sqlite3_stmt *st = prep(s, "INSERT INTO outbox(client_id, kind, body, created_at) VALUES(?,?,?,?)");
    if (!st) return false;
    sqlite3_bind_text(st, 1, client_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, body, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
    return step_done(s, st, "add to outbox");
}

int store_outbox_pending(store *s, int max,
                         void (*fn)(void *ctx, const char *kind, const char *client_id, const char *body), void *ctx) {
    sqlite3_stmt *st = prep(s, "SELECT kind, client_id, body FROM outbox WHERE state='pending'"
                               " ORDER BY created_at, rowid LIMIT ?");
    if (!st) return -1;
    sqlite3_bind_int(st, 1, max);
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        fn(ctx, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
           (const char *)sqlite3_column_text(st, 2));
        n++;
    }
    sqlite3_finalize(st);
    return n;
}

bool store_outbox_mark(store *s, const char *client_id, const char *state, const char *error) {
    sqlite3_stmt *st = prep(s, "UPDATE outbox SET state=?, last_error=?, attempts=attempts+1 WHERE client_id=?");
    if (!st) return false;
    sqlite3_bind_text(st, 1, state, -1, SQLITE_TRANSIENT);
    if (error) sqlite3_bind_text(st, 2, error, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, client_id, -1, SQLITE_TRANSIENT);
    return step_done(s, st, "mark outbox row");
}

int store_outbox_count(store *s, const char *state) {
    sqlite3_stmt *st = prep(s, "SELECT count(*) FROM outbox WHERE state=?");
    if (!st) return -1;
    sqlite3_bind_text(st, 1, state, -1, SQLITE_TRANSIENT);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}
