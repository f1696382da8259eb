/* store.c — SQLite-backed store; see store.h. Every public call is one statement or one transaction, so a
 * kill at any moment leaves either the old or the new state. Statements are prepared per call: the calls
 * are rare (a page turn, a setting change) and this keeps the handle free of cached state. */
#include "meistring/store.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "meistring/config.h"
#include "meistring/vault.h"

struct store {
    sqlite3 *db;
    char err[256];
    unsigned char key[VAULT_KEY_BYTES]; /* the data key, unwrapped; wiped on close */
    unsigned char dev[VAULT_KEY_BYTES]; /* the device key, read once at open (PIN and recovery need it) */
    bool has_key;                       /* false: locked (a PIN store before its PIN), or in memory being made */
    bool has_dev;
    bool full;           /* the last failed write found the disk full (SQLITE_FULL); cleared by a good write */
    const char *keyfile; /* only during store_open */
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
    /* 2 → 3: encryption at rest (vault.h). The data key, wrapped under the device key; message bodies, outbox
     * bodies and sync state become sealed BLOBs (the C step below seals rows written before). */
    "CREATE TABLE keyring(name TEXT PRIMARY KEY, wrapped BLOB NOT NULL);",
    /* 3 → 4: drafts, one per place the patient writes ("message" for the thread, later one per answer
     * field). The body is sealed; the caret is kept so writing goes on where it stopped. */
    "CREATE TABLE draft(key TEXT PRIMARY KEY, body BLOB NOT NULL, caret INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL);",
    /* 4 → 5: answers to exercises, one row per exercise block: its fields as a sealed JSON object, a revision
     * that every change raises, and the revision last queued for the server. */
    "CREATE TABLE answer(block TEXT PRIMARY KEY, fields BLOB NOT NULL, rev INTEGER NOT NULL,"
    "  queued_rev INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL);",
    /* 5 → 6: questionnaires the patient has submitted, for their own score plot: when, and a sealed JSON of
     * the instrument, the score and the answers. */
    "CREATE TABLE score(client_id TEXT PRIMARY KEY, taken_at INTEGER NOT NULL, data BLOB NOT NULL);"
    "CREATE INDEX score_taken ON score(taken_at);",
    /* 6 → 7: the loaned tablet (issue 12). What the lock screen must know before the data key is open: wrong
     * PINs so far and their fingerprints (lockout.c). Not sealed: it holds no patient text, and it must be
     * readable, and written, while the tablet is locked. */
    "CREATE TABLE lock_state(key TEXT PRIMARY KEY, value BLOB NOT NULL);",
    /* 7 → 8: the thread without reading it (issue 14). Home's unread count and the newest reply are read from
     * this index alone (covering), so a launch does not open a thread of thousands; the thread itself is read a
     * stretch at a time by its row id (the primary key). */
    "CREATE INDEX message_reply ON message(from_patient, server_id);",
};

static bool load_key(store *s);
static bool seal_existing(store *s);
/* C steps that run after the SQL of the same index, inside its transaction; NULL when there is none */
static bool (*const migration_steps[])(store *s) = {NULL, NULL, seal_existing, NULL, NULL, NULL, NULL, NULL};

/* Disk full shows as SQLITE_FULL, or as an I/O error whose errno was ENOSPC/EDQUOT (a write() that failed). */
static bool code_is_full(store *s, int rc) {
    int err = sqlite3_system_errno(s->db);
    return (rc & 0xff) == SQLITE_FULL || ((rc & 0xff) == SQLITE_IOERR && (err == ENOSPC || err == EDQUOT));
}

static void set_err(store *s, const char *what) {
    snprintf(s->err, sizeof s->err, "%s: %s", what, sqlite3_errmsg(s->db));
    if (code_is_full(s, sqlite3_extended_errcode(s->db))) s->full = true;
}

static bool exec(store *s, const char *sql) {
    char *msg = NULL;
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        snprintf(s->err, sizeof s->err, "%s", msg ? msg : "sqlite error");
        if (code_is_full(s, sqlite3_extended_errcode(s->db))) s->full = true;
        sqlite3_free(msg);
        return false;
    }
    if (strncmp(sql, "COMMIT", 6) == 0) s->full = false;
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
        if (!exec(s, migrations[v]) || (migration_steps[v] && !migration_steps[v](s)) || !exec(s, pragma)) {
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

store *store_open(const char *path, const char *keyfile, char *err, size_t errcap) {
    if (!vault_init()) {
        snprintf(err, errcap, "libsodium cannot start (no randomness?)");
        return NULL;
    }
    store *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    s->keyfile = keyfile;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        snprintf(err, errcap, "cannot open the store: %s", s->db ? sqlite3_errmsg(s->db) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(s->db, MS_STORE_BUSY_TIMEOUT_MS);
    bool mem = strcmp(path, ":memory:") == 0;
    /* the WAL stays on disk when the last connection closes (SQLite would unlink it, leaving its old pages in
     * the file system's free blocks); paths_wipe overwrites it in full before unlinking it */
    int persist = 1;
    if (!mem) sqlite3_file_control(s->db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
    /* and no checkpoint when a connection closes: a persistent WAL keeps its frames valid, so each new process
     * finds them all again and the last close copied every one of them back into the database, up to 4 MB written
     * by a start and a close that changed nothing (issue 14: `--sync-once` with nothing new wrote 240 KB-1 MB).
     * Committed frames are as durable in the WAL; the automatic checkpoint of a writing connection still copies
     * them once the WAL reaches its 1,000 pages. */
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
    /* WAL + FULL: NORMAL could lose the last commit on power loss, and a patient's words must not. */
    /* temp_store=MEMORY: a big sort's temporary file would land in /var/tmp, outside the data dir and the wipe */
    if ((!mem && !exec(s, "PRAGMA journal_mode=WAL;")) || !exec(s, "PRAGMA temp_store=MEMORY;") || !exec(s, "PRAGMA synchronous=FULL;") ||
        !exec(s, "PRAGMA foreign_keys=ON;") || !migrate(s)) {
        snprintf(err, errcap, "cannot prepare the store: %s", s->err);
        goto fail;
    }
    if (!s->has_key && !load_key(s)) {
        snprintf(err, errcap, "%s", s->err);
        goto fail;
    }
    s->keyfile = NULL;
    return s;
fail:
    sqlite3_close(s->db);
    vault_wipe(s->key, sizeof s->key);
    vault_wipe(s->dev, sizeof s->dev);
    free(s);
    return NULL;
}

void store_close(store *s) {
    if (!s) return;
    sqlite3_close(s->db);
    vault_wipe(s->key, sizeof s->key);
    vault_wipe(s->dev, sizeof s->dev);
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
    if (rc != SQLITE_DONE)
        set_err(s, what);
    else if (sqlite3_get_autocommit(s->db))
        s->full = false; /* a write that reached the disk on its own: there is room again */
    sqlite3_finalize(st);
    return rc == SQLITE_DONE;
}

static void copy_col(sqlite3_stmt *st, int col, char *buf, size_t cap) {
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(buf, cap, "%s", t ? (const char *)t : "");
}

/* ---- encryption at rest --------------------------------------------------------------------------------
 * Sealed values are bound to their row by associated data: "message/c/<client id>", "message/s/<server id>",
 * "outbox/<client id>", "sync/<key>", so a value copied into another row does not open. */

#define WRAP_AD "keyring/device"

/* The keyring (schema 3, grown in 7): the data key's wraps and what goes with them, each row one name:
 *   device      the data key sealed under the device key: a tablet whose patient has not chosen a PIN yet
 *   pin         the data key sealed under vault_pin_key (PIN + device key); 'device' is gone once this exists
 *   pin_params  the salt and Argon2id cost of that PIN key (vault_pin_params_pack)
 *   check       a known text sealed under the data key: how a key handed in (store_use_key, store_recover) is
 *               known to be this store's before anything is written with it */
#define PIN_AD   "keyring/pin"
#define CHECK_AD "keyring/check"
static const char check_text[] = "meistring data key";

static unsigned char *get_bytes(store *s, const char *sql, const char *key, size_t *len);

/* A copy of a keyring row's blob (the caller frees it), or NULL when there is none. */
static unsigned char *keyring_get(store *s, const char *name, size_t *len) {
    return get_bytes(s, "SELECT wrapped FROM keyring WHERE name=?", name, len);
}

static bool keyring_put(store *s, const char *name, const void *blob, size_t len, bool replace) {
    sqlite3_stmt *st = prep(s, replace ? "INSERT OR REPLACE INTO keyring(name, wrapped) VALUES(?, ?)"
                                       : "INSERT OR IGNORE INTO keyring(name, wrapped) VALUES(?, ?)");
    if (!st) return false;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, blob, (int)len, SQLITE_TRANSIENT);
    return step_done(s, st, "save a key");
}

/* True when key opens this store's check value. */
static bool key_fits(store *s, const unsigned char key[VAULT_KEY_BYTES]) {
    size_t cn = 0, n = 0;
    unsigned char *c = keyring_get(s, "check", &cn);
    unsigned char *t = c ? vault_open(key, CHECK_AD, c, cn, &n) : NULL;
    bool ok = t && n == sizeof check_text - 1 && memcmp(t, check_text, n) == 0;
    free(c);
    free(t);
    return ok;
}

/* Stores opened with their data key get a check value, so a later PIN store can verify keys handed in. */
static bool ensure_check(store *s) {
    size_t n = 0;
    unsigned char *c = keyring_get(s, "check", &n);
    free(c);
    if (c) return true;
    unsigned char *w = vault_seal(s->key, CHECK_AD, check_text, sizeof check_text - 1, &n);
    bool ok = w && keyring_put(s, "check", w, n, false);
    free(w);
    return ok;
}

/* Finds the data key: unwrapped from the keyring with the device key, or made now for a new store. A store whose
 * key is wrapped under a PIN opens locked: the device key is read, the data key waits for store_unlock_pin. A
 * store in memory with no key file gets a data key that lives as long as the handle, which is all it needs. */
static bool load_key(store *s) {
    char kerr[200];
    for (int attempt = 0; attempt < 2; attempt++) {
        size_t wn = 0, pn = 0;
        unsigned char *w = keyring_get(s, "device", &wn);
        unsigned char *pw = w ? NULL : keyring_get(s, "pin", &pn);
        free(pw);
        if (w || pw) {
            if (!s->keyfile) {
                snprintf(s->err, sizeof s->err, "this store's text is encrypted and no device key was given");
                free(w);
                return false;
            }
            if (!s->has_dev && !vault_device_key(s->keyfile, false, s->dev, kerr, sizeof kerr)) {
                snprintf(s->err, sizeof s->err, "%s; the messages and answers in this store cannot be read", kerr);
                free(w);
                return false;
            }
            s->has_dev = true;
            if (!w) return true; /* a PIN store: locked until the patient's PIN (or the clinic's reset code) */
            size_t n = 0;
            unsigned char *k = vault_open(s->dev, WRAP_AD, w, wn, &n);
            free(w);
            if (k && n == VAULT_KEY_BYTES) {
                memcpy(s->key, k, VAULT_KEY_BYTES);
                s->has_key = true;
            } else {
                snprintf(s->err, sizeof s->err, "the device key %s does not belong to this store", s->keyfile);
            }
            if (k) vault_wipe(k, n);
            free(k);
            return s->has_key && ensure_check(s);
        }
        vault_random_key(s->key);
        if (!s->keyfile) {
            if (strcmp(sqlite3_db_filename(s->db, "main") ? sqlite3_db_filename(s->db, "main") : "", "") != 0) {
                snprintf(s->err, sizeof s->err, "a store on disk needs a device key file");
                return false;
            }
            s->has_key = true; /* in memory: nothing to wrap it for */
            return true;
        }
        if (!vault_device_key(s->keyfile, true, s->dev, kerr, sizeof kerr)) {
            snprintf(s->err, sizeof s->err, "%s", kerr);
            return false;
        }
        s->has_dev = true;
        size_t wlen = 0;
        unsigned char *nw = vault_seal(s->dev, WRAP_AD, s->key, VAULT_KEY_BYTES, &wlen);
        vault_wipe(s->key, sizeof s->key);
        /* OR IGNORE: another connection may have made the store's key a moment ago; then we read theirs */
        bool ok = nw && keyring_put(s, "device", nw, wlen, false);
        free(nw);
        if (!ok) return false;
    }
    if (!s->err[0]) snprintf(s->err, sizeof s->err, "cannot set up this store's key");
    return false;
}

/* ---- the PIN, the recovery wrap, destruction (store.h) ----------------------------------------------------- */

bool store_locked(const store *s) { return s && !s->has_key; }

bool store_pin_params(store *s, vault_pin_params *pp) {
    size_t n = 0;
    unsigned char *b = keyring_get(s, "pin_params", &n);
    bool ok = b && vault_pin_params_unpack(b, n, pp);
    free(b);
    return ok;
}

bool store_has_pin(store *s) {
    size_t n = 0;
    unsigned char *b = keyring_get(s, "pin", &n);
    free(b);
    return b != NULL;
}

bool store_device_key(const store *s, unsigned char out[VAULT_KEY_BYTES]) {
    if (!s->has_dev) return false;
    memcpy(out, s->dev, VAULT_KEY_BYTES);
    return true;
}

bool store_data_key(const store *s, unsigned char out[VAULT_KEY_BYTES]) {
    if (!s->has_key) return false;
    memcpy(out, s->key, VAULT_KEY_BYTES);
    return true;
}

bool store_unlock_pin(store *s, const unsigned char pin_key[VAULT_KEY_BYTES]) {
    size_t wn = 0, n = 0;
    unsigned char *w = keyring_get(s, "pin", &wn);
    unsigned char *k = w ? vault_open(pin_key, PIN_AD, w, wn, &n) : NULL;
    free(w);
    bool ok = k && n == VAULT_KEY_BYTES;
    if (ok) {
        memcpy(s->key, k, VAULT_KEY_BYTES);
        s->has_key = true;
    }
    if (k) vault_wipe(k, n);
    free(k);
    return ok;
}

bool store_use_key(store *s, const unsigned char key[VAULT_KEY_BYTES]) {
    if (!key_fits(s, key)) {
        snprintf(s->err, sizeof s->err, "the key handed in is not this store's");
        return false;
    }
    memcpy(s->key, key, VAULT_KEY_BYTES);
    s->has_key = true;
    return true;
}

bool store_set_pin(store *s, const vault_pin_params *pp, const unsigned char pin_key[VAULT_KEY_BYTES]) {
    if (!s->has_key || !s->has_dev) {
        snprintf(s->err, sizeof s->err, "no data key to wrap under a PIN");
        return false;
    }
    unsigned char packed[VAULT_PIN_PARAMS_BYTES];
    vault_pin_params_pack(pp, packed);
    size_t n = 0;
    unsigned char *w = vault_seal(pin_key, PIN_AD, s->key, VAULT_KEY_BYTES, &n);
    /* one transaction: the new wrap and its cost in, the device-only wrap out, so no moment exists where the
     * tablet opens without the PIN after it was set, nor one where nothing opens it */
    bool ok = w && store_begin(s) && ensure_check(s) && keyring_put(s, "pin", w, n, true) &&
              keyring_put(s, "pin_params", packed, sizeof packed, true) &&
              exec(s, "DELETE FROM keyring WHERE name='device'");
    free(w);
    return store_finish(s, ok);
}

unsigned char *store_recovery_wrap(store *s, size_t *len) {
    *len = 0;
    if (!s->has_key || !s->has_dev) return NULL;
    unsigned char rk[VAULT_KEY_BYTES];
    vault_recovery_key(s->dev, rk);
    unsigned char *w = vault_seal(rk, "keyring/recovery", s->key, VAULT_KEY_BYTES, len);
    vault_wipe(rk, sizeof rk);
    return w;
}

bool store_recover(store *s, const void *wrap, size_t len) {
    if (!s->has_dev) return false;
    unsigned char rk[VAULT_KEY_BYTES];
    vault_recovery_key(s->dev, rk);
    size_t n = 0;
    unsigned char *k = vault_open(rk, "keyring/recovery", wrap, len, &n);
    vault_wipe(rk, sizeof rk);
    bool ok = k && n == VAULT_KEY_BYTES && store_use_key(s, k);
    if (k) vault_wipe(k, n);
    free(k);
    if (!ok) snprintf(s->err, sizeof s->err, "the recovery wrap does not open with this tablet's key");
    return ok;
}

bool store_lock_state_set(store *s, const char *key, const void *value, size_t len) {
    sqlite3_stmt *st = prep(s, "INSERT OR REPLACE INTO lock_state(key, value) VALUES(?, ?)");
    if (!st) return false;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, value, (int)len, SQLITE_TRANSIENT);
    return step_done(s, st, "save the lock state");
}

size_t store_lock_state_get(store *s, const char *key, void *buf, size_t cap) {
    sqlite3_stmt *st = prep(s, "SELECT value FROM lock_state WHERE key=?");
    if (!st) return 0;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    size_t n = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        n = (size_t)sqlite3_column_bytes(st, 0);
        if (n > cap) n = 0; /* not ours, or damaged: as if absent */
        if (n) memcpy(buf, sqlite3_column_blob(st, 0), n);
    }
    sqlite3_finalize(st);
    return n;
}

bool store_destroy_keys(store *s) {
    /* secure_delete zeroes the freed rows in the page images; the checkpoint carries them into the file; the
     * WAL is kept (PERSIST_WAL) so the wipe overwrites its full length before unlinking it */
    bool ok = exec(s, "PRAGMA secure_delete=ON;") && exec(s, "DELETE FROM keyring;");
    ok = exec(s, "PRAGMA wal_checkpoint(FULL);") && ok;
    vault_wipe(s->key, sizeof s->key);
    vault_wipe(s->dev, sizeof s->dev);
    s->has_key = s->has_dev = false;
    return ok;
}

/* A message's or outbox row's key in its associated data: "c/<client id>" or "s/<server id>". */
static void row_key(char *key, size_t cap, const char *client_id, long long server_id) {
    if (client_id)
        snprintf(key, cap, "c/%s", client_id);
    else
        snprintf(key, cap, "s/%lld", server_id);
}

/* Binds text sealed under the data key, bound to the row "table/key"; false (with the reason in s->err) when it
 * cannot. */
static bool bind_sealed(store *s, sqlite3_stmt *st, int col, const char *table, const char *key, const char *text) {
    if (!s->has_key) {
        snprintf(s->err, sizeof s->err, "the tablet is locked: nothing can be sealed");
        return false;
    }
    char ad[200];
    snprintf(ad, sizeof ad, "%s/%s", table, key);
    size_t n = 0;
    unsigned char *c = vault_seal(s->key, ad, text, strlen(text), &n);
    if (!c || n > INT32_MAX) {
        free(c);
        snprintf(s->err, sizeof s->err, "cannot seal a value (out of memory)");
        return false;
    }
    sqlite3_bind_blob(st, col, c, (int)n, free);
    return true;
}

/* The text of a sealed column of the row "table/key", malloc'd; NULL when it does not open (another key,
 * another row, changed). */
static char *open_col(store *s, sqlite3_stmt *st, int col, const char *table, const char *key) {
    char ad[200];
    snprintf(ad, sizeof ad, "%s/%s", table, key);
    if (!s->has_key) {
        snprintf(s->err, sizeof s->err, "the tablet is locked: %s stays sealed", ad);
        return NULL;
    }
    size_t n = 0;
    char *t = (char *)vault_open(s->key, ad, sqlite3_column_blob(st, col), (size_t)sqlite3_column_bytes(st, col), &n);
    if (!t) snprintf(s->err, sizeof s->err, "a sealed value does not open: %s", ad);
    return t;
}

/* Migration 2 → 3: rows written before encryption are sealed in place, in the migration's transaction. */
static bool seal_column(store *s, const char *select, const char *update, const char *table, bool by_key) {
    sqlite3_stmt *st = prep(s, select);
    if (!st) return false;
    bool ok = true;
    while (ok && sqlite3_step(st) == SQLITE_ROW) {
        char key[160];
        const char *cid = (const char *)sqlite3_column_text(st, 1);
        if (by_key)
            snprintf(key, sizeof key, "%s", cid);
        else
            row_key(key, sizeof key, cid, sqlite3_column_int64(st, 2));
        sqlite3_stmt *up = prep(s, update);
        ok = up && bind_sealed(s, up, 1, table, key, (const char *)sqlite3_column_text(st, 3));
        if (ok) {
            sqlite3_bind_int64(up, 2, sqlite3_column_int64(st, 0));
            ok = step_done(s, up, "seal an existing row");
        } else if (up) {
            sqlite3_finalize(up);
        }
    }
    sqlite3_finalize(st);
    return ok;
}

static bool seal_existing(store *s) {
    return load_key(s) &&
           seal_column(s, "SELECT id, client_id, server_id, body FROM message WHERE typeof(body)='text'",
                       "UPDATE message SET body=? WHERE id=?", "message", false) &&
           seal_column(s, "SELECT rowid, client_id, 0, body FROM outbox WHERE typeof(body)='text'",
                       "UPDATE outbox SET body=? WHERE rowid=?", "outbox", false) &&
           seal_column(s, "SELECT rowid, key, 0, value FROM sync_state WHERE typeof(value)='text'",
                       "UPDATE sync_state SET value=? WHERE rowid=?", "sync", true);
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

bool store_disk_full(store *s) { return s->full; }

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

/* One BLOB column of the row whose key (?1) matches, copied (the caller frees it); NULL when there is none. */
static unsigned char *get_bytes(store *s, const char *sql, const char *key, size_t *len) {
    *len = 0;
    sqlite3_stmt *st = prep(s, sql);
    if (!st) return NULL;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
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
    if (!bind_sealed(s, st, 2, "sync", key, value)) {
        sqlite3_finalize(st);
        return false;
    }
    return step_done(s, st, "save sync state");
}

char *store_sync_get(store *s, const char *key) {
    sqlite3_stmt *st = prep(s, "SELECT value FROM sync_state WHERE key=?");
    if (!st) return NULL;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    char *v = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) v = open_col(s, st, 0, "sync", key);
    sqlite3_finalize(st);
    return v;
}

bool store_begin(store *s) { return exec(s, "BEGIN IMMEDIATE;"); }
bool store_finish(store *s, bool ok) {
    if (ok) return store_commit(s);
    store_rollback(s);
    return false;
}
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
    char rk[160];
    row_key(rk, sizeof rk, client_id, server_id);
    if (!bind_sealed(s, st, 4, "message", rk, body)) {
        sqlite3_finalize(st);
        return false;
    }
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

/* Calls fn for each row st yields (id, client_id, server_id, from_patient, body, written_at, state), and
 * finalizes st. Returns the rows read, opened or not (*last_id: the last one's id), or -1 when the query failed;
 * *all is set false when a body did not open (that row is skipped; s->err names it, never its text). */
static int each_message_row(store *s, sqlite3_stmt *st, bool *all, long long *last_id,
                            void (*fn)(void *ctx, const store_message *m), void *ctx) {
    int rows = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *cid = (const char *)sqlite3_column_text(st, 1);
        char rk[160];
        row_key(rk, sizeof rk, cid, sqlite3_column_int64(st, 2));
        rows++;
        if (last_id) *last_id = sqlite3_column_int64(st, 0);
        char *body = open_col(s, st, 4, "message", rk);
        if (!body) { /* shown to no one rather than garbled; the caller logs that some could not be read */
            *all = false;
            continue;
        }
        store_message m = {.id = sqlite3_column_int64(st, 0),
                           .client_id = cid,
                           .server_id = sqlite3_column_int64(st, 2),
                           .from_patient = sqlite3_column_int(st, 3) != 0,
                           .body = body,
                           .written_at = (const char *)sqlite3_column_text(st, 5),
                           .state = (const char *)sqlite3_column_text(st, 6)};
        fn(ctx, &m);
        vault_wipe(body, strlen(body));
        free(body);
    }
    if (rc != SQLITE_DONE) {
        set_err(s, "read messages");
        rows = -1;
    }
    sqlite3_finalize(st);
    return rows;
}

#define MESSAGE_COLUMNS "SELECT id, client_id, server_id, from_patient, body, written_at, state FROM message"

bool store_each_message(store *s, void (*fn)(void *ctx, const store_message *m), void *ctx) {
    sqlite3_stmt *st = prep(s, MESSAGE_COLUMNS " ORDER BY id");
    bool all = true;
    return st && each_message_row(s, st, &all, NULL, fn, ctx) >= 0 && all;
}

int store_messages_before(store *s, long long *before, int max, bool *all,
                          void (*fn)(void *ctx, const store_message *m), void *ctx) {
    sqlite3_stmt *st = prep(s, MESSAGE_COLUMNS " WHERE id < ? ORDER BY id DESC LIMIT ?");
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, *before > 0 ? *before : INT64_MAX);
    sqlite3_bind_int(st, 2, max);
    bool opened = true;
    int rows = each_message_row(s, st, &opened, before, fn, ctx);
    if (all) *all = opened;
    return rows;
}

bool store_messages_from(store *s, long long from_id, void (*fn)(void *ctx, const store_message *m), void *ctx) {
    sqlite3_stmt *st = prep(s, MESSAGE_COLUMNS " WHERE id >= ? ORDER BY id");
    if (!st) return false;
    sqlite3_bind_int64(st, 1, from_id);
    bool all = true;
    return each_message_row(s, st, &all, NULL, fn, ctx) >= 0 && all;
}

/* Both read only the index message_reply (schema 8): no row is opened. */
int store_messages_unread(store *s, long long seen_server_id) {
    sqlite3_stmt *st = prep(s, "SELECT count(*) FROM message WHERE from_patient=0 AND server_id>?");
    if (!st) return -1;
    sqlite3_bind_int64(st, 1, seen_server_id);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    if (n < 0) set_err(s, "count unread messages");
    sqlite3_finalize(st);
    return n;
}

long long store_messages_newest_reply(store *s) {
    sqlite3_stmt *st = prep(s, "SELECT max(server_id) FROM message WHERE from_patient=0");
    if (!st) return 0;
    long long id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return id;
}

bool store_outbox_add(store *s, const char *kind, const char *client_id, const char *body) {
    sqlite3_stmt *st = prep(s, "INSERT INTO outbox(client_id, kind, body, created_at) VALUES(?,?,?,?)");
    if (!st) return false;
    sqlite3_bind_text(st, 1, client_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, kind, -1, SQLITE_TRANSIENT);
    char rk[160];
    row_key(rk, sizeof rk, client_id, 0);
    if (!bind_sealed(s, st, 3, "outbox", rk, body)) {
        sqlite3_finalize(st);
        return false;
    }
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
    char unreadable[8][80];
    int n_bad = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *cid = (const char *)sqlite3_column_text(st, 1);
        char rk[160];
        row_key(rk, sizeof rk, cid, 0);
        char *body = open_col(s, st, 2, "outbox", rk);
        if (!body) {
            if (n_bad < 8) snprintf(unreadable[n_bad++], sizeof unreadable[0], "%s", cid);
            continue;
        }
        fn(ctx, (const char *)sqlite3_column_text(st, 0), cid, body);
        vault_wipe(body, strlen(body));
        free(body);
        n++;
    }
    sqlite3_finalize(st);
    /* a row that no longer opens would be first in line for ever: set it aside, kept, for someone to look at */
    for (int i = 0; i < n_bad; i++)
        store_outbox_mark(s, unreadable[i], "attention", "stored text does not open");
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

int store_unsent_count(store *s) {
    /* counted from unsealed columns, so a locked store answers too */
    sqlite3_stmt *st = prep(s, "SELECT (SELECT count(*) FROM outbox WHERE state IN ('pending','attention'))"
                               " + (SELECT count(*) FROM draft) + (SELECT count(*) FROM answer WHERE rev > queued_rev)");
    if (!st) return -1;
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}

/* ---- drafts ------------------------------------------------------------------------------------------- */

bool store_draft_set(store *s, const char *key, const char *text, size_t caret) {
    sqlite3_stmt *st = prep(s, "INSERT INTO draft(key, body, caret, updated_at) VALUES(?,?,?,?)"
                               " ON CONFLICT(key) DO UPDATE SET body=excluded.body, caret=excluded.caret,"
                               " updated_at=excluded.updated_at");
    if (!st) return false;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    if (!bind_sealed(s, st, 2, "draft", key, text)) {
        sqlite3_finalize(st);
        return false;
    }
    sqlite3_bind_int64(st, 3, (sqlite3_int64)caret);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
    return step_done(s, st, "save draft");
}

char *store_draft_get(store *s, const char *key, size_t *caret) {
    if (caret) *caret = 0;
    sqlite3_stmt *st = prep(s, "SELECT body, caret FROM draft WHERE key=?");
    if (!st) return NULL;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    char *v = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        v = open_col(s, st, 0, "draft", key);
        if (v && caret) *caret = (size_t)sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return v;
}

bool store_draft_clear(store *s, const char *key) {
    sqlite3_stmt *st = prep(s, "DELETE FROM draft WHERE key=?");
    if (!st) return false;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    return step_done(s, st, "clear draft");
}

bool store_message_resend(store *s, const char *old_id, const char *new_id, const char *outbox_body) {
    /* the outbox row says whether the server refused it (the message's own state may have moved on since) */
    sqlite3_stmt *st = prep(s, "SELECT m.body FROM message m JOIN outbox o ON o.client_id=m.client_id"
                               " WHERE m.client_id=? AND o.state='attention'");
    if (!st) return false;
    sqlite3_bind_text(st, 1, old_id, -1, SQLITE_TRANSIENT);
    char rk[160];
    row_key(rk, sizeof rk, old_id, 0);
    char *body = sqlite3_step(st) == SQLITE_ROW ? open_col(s, st, 0, "message", rk) : NULL;
    sqlite3_finalize(st);
    if (!body) {
        if (!s->err[0]) snprintf(s->err, sizeof s->err, "no message %s waiting to be sent again", old_id);
        return false;
    }
    bool ok = store_begin(s);
    if (ok) {
        /* the message takes the new id (its body sealed again for the new row); the refused outbox row stays,
         * marked, as the record of what happened */
        st = prep(s, "UPDATE message SET client_id=?, body=?, state='saved' WHERE client_id=?");
        row_key(rk, sizeof rk, new_id, 0);
        ok = st && bind_sealed(s, st, 2, "message", rk, body);
        if (ok) {
            sqlite3_bind_text(st, 1, new_id, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 3, old_id, -1, SQLITE_TRANSIENT);
            ok = step_done(s, st, "resend message");
        } else if (st) {
            sqlite3_finalize(st);
        }
        ok = store_finish(s, ok && store_outbox_add(s, "message", new_id, outbox_body));
    }
    vault_wipe(body, strlen(body));
    free(body);
    return ok;
}

/* ---- answers ------------------------------------------------------------------------------------------- */

bool store_answer_set(store *s, const char *block, const char *fields_json) {
    sqlite3_stmt *st = prep(s, "INSERT INTO answer(block, fields, rev, updated_at) VALUES(?,?,1,?)"
                               " ON CONFLICT(block) DO UPDATE SET fields=excluded.fields, rev=rev+1,"
                               " updated_at=excluded.updated_at");
    if (!st) return false;
    sqlite3_bind_text(st, 1, block, -1, SQLITE_TRANSIENT);
    if (!bind_sealed(s, st, 2, "answer", block, fields_json)) {
        sqlite3_finalize(st);
        return false;
    }
    sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
    return step_done(s, st, "save answer");
}

char *store_answer_get(store *s, const char *block, int *rev, int *queued_rev) {
    if (rev) *rev = 0;
    if (queued_rev) *queued_rev = 0;
    sqlite3_stmt *st = prep(s, "SELECT fields, rev, queued_rev FROM answer WHERE block=?");
    if (!st) return NULL;
    sqlite3_bind_text(st, 1, block, -1, SQLITE_TRANSIENT);
    char *v = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        v = open_col(s, st, 0, "answer", block);
        if (rev) *rev = sqlite3_column_int(st, 1);
        if (queued_rev) *queued_rev = sqlite3_column_int(st, 2);
    }
    sqlite3_finalize(st);
    return v;
}

bool store_answer_queued(store *s, const char *block, int rev) {
    sqlite3_stmt *st = prep(s, "UPDATE answer SET queued_rev=? WHERE block=? AND queued_rev<?");
    if (!st) return false;
    sqlite3_bind_int(st, 1, rev);
    sqlite3_bind_text(st, 2, block, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, rev);
    return step_done(s, st, "mark answer queued");
}

/* ---- scores ---------------------------------------------------------------------------------------------- */

bool store_score_add(store *s, const char *client_id, long long taken_at, const char *data_json) {
    sqlite3_stmt *st = prep(s, "INSERT INTO score(client_id, taken_at, data) VALUES(?,?,?)");
    if (!st) return false;
    sqlite3_bind_text(st, 1, client_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, taken_at);
    if (!bind_sealed(s, st, 3, "score", client_id, data_json)) {
        sqlite3_finalize(st);
        return false;
    }
    return step_done(s, st, "save score");
}

bool store_each_score(store *s, void (*fn)(void *ctx, long long taken_at, const char *data_json), void *ctx) {
    sqlite3_stmt *st = prep(s, "SELECT client_id, taken_at, data FROM score ORDER BY taken_at, rowid");
    if (!st) return false;
    bool all = true;
    while (sqlite3_step(st) == SQLITE_ROW) {
        char *d = open_col(s, st, 2, "score", (const char *)sqlite3_column_text(st, 0));
        if (!d) {
            all = false;
            continue;
        }
        fn(ctx, sqlite3_column_int64(st, 1), d);
        free(d);
    }
    sqlite3_finalize(st);
    return all;
}
