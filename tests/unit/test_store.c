/* test_store.c — the store on a real file: positions and settings survive closing and reopening, the schema
 * is migrated and versioned, a newer schema is refused, and the database passes integrity_check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "meistring/vault.h"

#include "meistring/settings.h"
#include "meistring/lockout.h"
#include "meistring/store.h"

static char dir[64];
static char path[128];
static char key[128];

static int setup(void **state) {
    (void)state;
    strcpy(dir, "/tmp/meistring-store-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    snprintf(path, sizeof path, "%s/meistring.db", dir);
    snprintf(key, sizeof key, "%s/device.key", dir);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_position_survives_reopen(void **state) {
    (void)state;
    char err[256];
    store *s = store_open(path, key, err, sizeof err);
    assert_non_null(s);
    store_position p = {.offset_permille = 417};
    strcpy(p.module, "m2");
    strcpy(p.page, "m2-p2");
    strcpy(p.block, "m2-p2-b7");
    assert_true(store_set_position(s, "demo", &p));
    strcpy(p.page, "m2-p3"); /* overwrite: one position per module */
    assert_true(store_set_position(s, "demo", &p));
    assert_true(store_mark_visited(s, "demo", "m2-p2"));
    assert_true(store_mark_visited(s, "demo", "m2-p2"));
    assert_true(store_set_setting(s, "place.screen", "page"));
    store_close(s);

    s = store_open(path, key, err, sizeof err);
    assert_non_null(s);
    store_position q;
    assert_true(store_get_position(s, "demo", "m2", &q));
    assert_string_equal(q.page, "m2-p3");
    assert_string_equal(q.block, "m2-p2-b7");
    assert_int_equal(q.offset_permille, 417);
    assert_false(store_get_position(s, "demo", "m9", &q));
    assert_false(store_get_position(s, "other", "m2", &q));
    char buf[32];
    assert_true(store_get_setting(s, "place.screen", buf, sizeof buf));
    assert_string_equal(buf, "page");
    assert_false(store_get_setting(s, "nope", buf, sizeof buf));
    assert_string_equal(buf, "");
    assert_true(store_integrity_ok(s));
    store_close(s);
}

static void count_cb(void *ctx, const char *page) {
    (void)page;
    (*(int *)ctx)++;
}

static void test_visited_and_memory_store(void **state) {
    (void)state;
    char err[256];
    store *s = store_open(":memory:", NULL, err, sizeof err);
    assert_non_null(s);
    int n = 0;
    assert_true(store_each_visited(s, "demo", count_cb, &n));
    assert_int_equal(n, 0);
    store_mark_visited(s, "demo", "a");
    store_mark_visited(s, "demo", "b");
    store_mark_visited(s, "other", "c");
    assert_true(store_each_visited(s, "demo", count_cb, &n));
    assert_int_equal(n, 2);
    store_close(s);
}

static void test_schema_version_and_wal(void **state) {
    (void)state;
    char err[256];
    store *s = store_open(path, key, err, sizeof err);
    assert_non_null(s);
    store_close(s);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), STORE_SCHEMA_VERSION);
    sqlite3_finalize(st);
    sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    /* a database from a newer version of the program is refused, not damaged */
    sqlite3_exec(db, "PRAGMA user_version=99", NULL, NULL, NULL);
    sqlite3_close(db);
    s = store_open(path, key, err, sizeof err);
    assert_null(s);
    assert_non_null(strstr(err, "newer"));
}

static void test_unwritable_location(void **state) {
    (void)state;
    char err[256];
    store *s = store_open("/nonexistent-dir/x/meistring.db", key, err, sizeof err);
    assert_null(s);
    assert_non_null(strstr(err, "cannot open"));
}

static void test_settings(void **state) {
    (void)state;
    char err[256];
    store *s = store_open(path, key, err, sizeof err);
    settings a;
    settings_load(&a, s);
    assert_int_equal(a.text_pct, 100);
    assert_string_equal(a.theme, "cream");
    assert_string_equal(a.font, "sans");
    assert_int_equal(a.line_pct, 150);
    assert_int_equal(a.word_pct, 0);
    /* spacing steps: up to the WCAG 1.4.12 values and no further */
    assert_int_equal(settings_spacing_step(&a, SPACING_LINE, +1), 175);
    assert_true(settings_spacing_set(&a, SPACING_LETTER, 12));
    assert_int_equal(settings_spacing_step(&a, SPACING_LETTER, +1), 12);
    assert_false(settings_spacing_set(&a, SPACING_WORD, 99));
    assert_true(settings_spacing_set(&a, SPACING_WORD, 16));
    assert_true(settings_spacing_set(&a, SPACING_PARA, 200));
    assert_true(settings_spacing_set(&a, SPACING_LINE, 200));
    a.text_pct = 250;
    strcpy(a.theme, "contrast");
    strcpy(a.font, "dyslexic");
    assert_true(settings_save(&a, s));
    store_close(s);
    s = store_open(path, key, err, sizeof err);
    settings b;
    settings_load(&b, s);
    assert_int_equal(b.text_pct, 250);
    assert_string_equal(b.theme, "contrast");
    assert_string_equal(b.font, "dyslexic");
    assert_int_equal(b.letter_pct, 12);
    assert_int_equal(b.word_pct, 16);
    assert_int_equal(b.para_pct, 200);
    assert_int_equal(b.line_pct, 200);
    assert_int_equal(settings_chrome_pct(&b), 200);
    /* damaged values fall back to the defaults instead of stopping the reader */
    store_set_setting(s, "read.text_pct", "9999");
    store_set_setting(s, "read.theme", "neon");
    store_set_setting(s, "read.font", "comic");
    store_set_setting(s, "read.line_pct", "1000");
    settings_load(&b, s);
    assert_int_equal(b.text_pct, 100);
    assert_string_equal(b.theme, "cream");
    assert_string_equal(b.font, "sans");
    assert_int_equal(b.line_pct, 150);
    store_close(s);
    /* reading pace: learnt slowly, and only from real reading */
    settings p;
    settings_defaults(&p);
    assert_string_equal(p.mode, "paged");
    assert_int_equal(p.wpm, SETTINGS_DEFAULT_WPM);
    assert_false(settings_learn_pace(&p, 100, 2));    /* skimmed */
    assert_false(settings_learn_pace(&p, 100, 3600)); /* put down */
    assert_false(settings_learn_pace(&p, 5, 30));     /* too few words to tell */
    assert_true(settings_learn_pace(&p, 100, 60));    /* 100 wpm */
    assert_int_equal(p.wpm, 140);
    for (int i = 0; i < 40; i++)
        settings_learn_pace(&p, 100, 60);
    assert_true(p.wpm >= 100 && p.wpm <= 102);
    /* steps */
    assert_int_equal(settings_text_step(100, +1), 125);
    assert_int_equal(settings_text_step(200, +1), 250);
    assert_int_equal(settings_text_step(400, +1), 400);
    assert_int_equal(settings_text_step(100, -1), 100);
    assert_int_equal(settings_text_step(250, -1), 200);
}

/* ---- encryption at rest ---------------------------------------------------------------------------------- */

static const char *const SECRET_P = "Hjertet banket hardt på bussen i dag";
static const char *const SECRET_T = "Godt jobbet med øvelsen denne uka";

static void collect_msg(void *ctx, const store_message *m) {
    char *buf = ctx;
    strcat(buf, m->body);
    strcat(buf, "|");
}

/* true when needle occurs anywhere in the file's bytes */
static bool file_has(const char *file, const char *needle) {
    FILE *f = fopen(file, "rb");
    if (!f) return false;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(buf + i, needle, k) == 0) return true;
    return false;
}

static void write_secrets(store *s) {
    assert_true(store_message_add(s, "c-0001", 0, true, SECRET_P, "2026-11-22T20:00:00Z", "saved"));
    assert_true(store_message_add(s, NULL, 41, false, SECRET_T, "2026-11-22T20:05:00Z", "received"));
    assert_true(store_outbox_add(s, "message", "c-0001", SECRET_P));
    assert_true(store_sync_set(s, "token", "tok-7f3a9c"));
}

static void test_sealed_on_disk(void **state) {
    (void)state;
    char err[256];
    store *s = store_open(path, key, err, sizeof err);
    assert_non_null(s);
    write_secrets(s);
    /* the bytes on disk while the store is open (WAL) and after it is closed (no checkpoint on close since issue
     * 14: the frames stay in the WAL until a writer's automatic checkpoint; both files are scanned) */
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", path);
    const char *needles[] = {"banket hardt", "Godt jobbet", "tok-7f3a9c"};
    for (int i = 0; i < 3; i++) {
        assert_false(file_has(path, needles[i]));
        assert_false(file_has(wal, needles[i]));
    }
    store_close(s);
    /* the scan does see what is stored in the clear (row ids) */
    assert_true(file_has(path, "c-0001") || file_has(wal, "c-0001"));
    for (int i = 0; i < 3; i++) {
        assert_false(file_has(path, needles[i]));
        assert_false(file_has(wal, needles[i]));
    }
    struct stat sb;
    assert_int_equal(stat(key, &sb), 0);
    assert_int_equal((int)sb.st_size, VAULT_KEY_BYTES);
    assert_int_equal((int)(sb.st_mode & 0777), 0600);

    s = store_open(path, key, err, sizeof err);
    assert_non_null(s);
    char got[256] = "";
    assert_true(store_each_message(s, collect_msg, got));
    char want[256];
    snprintf(want, sizeof want, "%s|%s|", SECRET_P, SECRET_T);
    assert_string_equal(got, want);
    char *tok = store_sync_get(s, "token");
    assert_string_equal(tok, "tok-7f3a9c");
    free(tok);
    store_close(s);
}

/* Issue 14: the thread a stretch at a time, newest first, by the row id; home's count and the newest reply from
 * an index, with no message opened. */
static void collect_id(void *ctx, const store_message *m) {
    char *buf = ctx;
    snprintf(buf + strlen(buf), 512 - strlen(buf), "%s%s,", m->from_patient ? "p" : "t", m->body);
}

static void test_thread_stretches(void **state) {
    (void)state;
    char err[256];
    store *s = store_open(path, key, err, sizeof err);
    assert_non_null(s);
    assert_int_equal(store_messages_unread(s, 0), 0);
    assert_int_equal((int)store_messages_newest_reply(s), 0);
    long long before = 0;
    char got[512] = "";
    assert_int_equal(store_messages_before(s, &before, 3, NULL, collect_id, got), 0); /* an empty thread */
    assert_string_equal(got, "");
    for (int i = 1; i <= 7; i++) {
        char body[8], cid[16];
        snprintf(body, sizeof body, "%d", i);
        snprintf(cid, sizeof cid, "c-%08d", i);
        if (i % 2)
            assert_true(store_message_add(s, cid, 0, true, body, "2026-12-06T10:00:00Z", "saved"));
        else
            assert_true(store_message_add(s, NULL, 100 + i, false, body, "2026-12-06T10:00:00Z", "received"));
    }
    bool all = false;
    assert_int_equal(store_messages_before(s, &before, 3, &all, collect_id, got), 3);
    assert_true(all);
    assert_string_equal(got, "p7,t6,p5,");
    got[0] = '\0';
    assert_int_equal(store_messages_before(s, &before, 3, &all, collect_id, got), 3);
    assert_string_equal(got, "t4,p3,t2,");
    got[0] = '\0';
    assert_int_equal(store_messages_before(s, &before, 3, &all, collect_id, got), 1); /* fewer: the first is read */
    assert_string_equal(got, "p1,");
    got[0] = '\0';
    long long from = 0;
    before = 0;
    assert_int_equal(store_messages_before(s, &before, 2, NULL, collect_id, got), 2);
    from = before;
    got[0] = '\0';
    assert_true(store_messages_from(s, from, collect_id, got)); /* the stretch read again, oldest first */
    assert_string_equal(got, "t6,p7,");
    assert_int_equal(store_messages_unread(s, 0), 3);
    assert_int_equal(store_messages_unread(s, 102), 2);
    assert_int_equal(store_messages_unread(s, 106), 0);
    assert_int_equal((int)store_messages_newest_reply(s), 106);
    store_close(s);
    /* neither opens a row: both are answered by the index message_reply alone */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    const char *qs[] = {"EXPLAIN QUERY PLAN SELECT count(*) FROM message WHERE from_patient=0 AND server_id>1",
                        "EXPLAIN QUERY PLAN SELECT max(server_id) FROM message WHERE from_patient=0"};
    for (int i = 0; i < 2; i++) {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db, qs[i], -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_non_null(strstr((const char *)sqlite3_column_text(st, 3), "COVERING INDEX message_reply"));
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
}

static void test_wrong_or_missing_key(void **state) {
    (void)state;
    char err[256];
    store *s = store_open(path, key, err, sizeof err);
    assert_non_null(s);
    write_secrets(s);
    store_close(s);
    char other[160];
    snprintf(other, sizeof other, "%s/other.key", dir);
    unsigned char k[VAULT_KEY_BYTES];
    assert_true(vault_device_key(other, true, k, err, sizeof err)); /* a valid key, not this store's */
    assert_null(store_open(path, other, err, sizeof err));
    assert_non_null(strstr(err, "does not belong"));
    assert_null(store_open(path, NULL, err, sizeof err));
    assert_non_null(strstr(err, "no device key"));
    unlink(key);
    assert_null(store_open(path, key, err, sizeof err));
    assert_non_null(strstr(err, "cannot read the device key"));
    /* a file store never runs without a key, even when new */
    char fresh[160];
    snprintf(fresh, sizeof fresh, "%s/fresh.db", dir);
    assert_null(store_open(fresh, NULL, err, sizeof err));
}

static int count_pending;
static void pending_cb(void *ctx, const char *kind, const char *client_id, const char *body) {
    (void)ctx;
    (void)kind;
    (void)body;
    assert_string_equal(client_id, "c-0003");
    count_pending++;
}

/* A sealed value copied into another row (a tampered or mixed-up database) does not open there: the row is
 * skipped, never shown as someone else's words, and the rest still reads. */
static void test_value_moved_between_rows(void **state) {
    (void)state;
    char err[256];
    store *s = store_open(path, key, err, sizeof err);
    assert_non_null(s);
    assert_true(store_message_add(s, "c-0001", 0, true, "første", "t", "saved"));
    assert_true(store_message_add(s, "c-0002", 0, true, "andre", "t", "saved"));
    assert_true(store_message_add(s, "c-0003", 0, true, "tredje", "t", "saved"));
    assert_true(store_outbox_add(s, "message", "c-0001", "{\"b\":1}"));
    assert_true(store_outbox_add(s, "message", "c-0003", "{\"b\":3}"));
    store_close(s);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "UPDATE message SET body=(SELECT body FROM message WHERE client_id='c-0001')"
                                  " WHERE client_id='c-0002';"
                                  "UPDATE outbox SET body=(SELECT body FROM outbox WHERE client_id='c-0003')"
                                  " WHERE client_id='c-0001';",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    s = store_open(path, key, err, sizeof err);
    assert_non_null(s);
    char got[256] = "";
    assert_false(store_each_message(s, collect_msg, got));
    assert_string_equal(got, "første|tredje|");
    assert_non_null(strstr(store_last_error(s), "message/c/c-0002"));
    count_pending = 0;
    assert_int_equal(store_outbox_pending(s, 10, pending_cb, NULL), 1);
    assert_int_equal(count_pending, 1);
    assert_int_equal(store_outbox_count(s, "attention"), 1); /* set aside, kept */
    assert_int_equal(store_outbox_count(s, "pending"), 1);
    store_close(s);
}

/* A store written by schema 2 (text in the clear) is sealed in place when this version first opens it. */
static void test_migration_seals_old_rows(void **state) {
    (void)state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    const char *v2 =
        "CREATE TABLE setting(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "CREATE TABLE position(programme TEXT NOT NULL, module TEXT NOT NULL, page TEXT NOT NULL,"
        "  block TEXT NOT NULL, offset_permille INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
        "  PRIMARY KEY(programme, module));"
        "CREATE TABLE page_visit(programme TEXT NOT NULL, page TEXT NOT NULL, first_at INTEGER NOT NULL,"
        "  PRIMARY KEY(programme, page));"
        "CREATE TABLE blob(sha256 TEXT PRIMARY KEY, data BLOB NOT NULL);"
        "CREATE TABLE blob_part(sha256 TEXT PRIMARY KEY, data BLOB NOT NULL);"
        "CREATE TABLE sync_state(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "CREATE TABLE message(id INTEGER PRIMARY KEY, client_id TEXT UNIQUE, server_id INTEGER UNIQUE,"
        "  from_patient INTEGER NOT NULL, body TEXT NOT NULL, written_at TEXT NOT NULL, state TEXT NOT NULL);"
        "CREATE TABLE outbox(client_id TEXT PRIMARY KEY, kind TEXT NOT NULL, body TEXT NOT NULL,"
        "  created_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL DEFAULT 'pending',"
        "  last_error TEXT);"
        "INSERT INTO message(client_id, server_id, from_patient, body, written_at, state)"
        "  VALUES('c-0001', NULL, 1, 'Hjertet banket hardt på bussen i dag', 't', 'sent'),"
        "        (NULL, 41, 0, 'Godt jobbet med øvelsen denne uka', 't', 'received');"
        "INSERT INTO outbox(client_id, kind, body, created_at) VALUES('c-0001', 'message', '{}', 1);"
        "INSERT INTO sync_state VALUES('token', 'tok-7f3a9c');"
        "PRAGMA user_version=2;";
    assert_int_equal(sqlite3_exec(db, v2, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    char err[256];
    store *s = store_open(path, key, err, sizeof err);
    assert_non_null(s);
    char got[256] = "";
    assert_true(store_each_message(s, collect_msg, got));
    char want[256];
    snprintf(want, sizeof want, "%s|%s|", SECRET_P, SECRET_T);
    assert_string_equal(got, want);
    char *tok = store_sync_get(s, "token");
    assert_string_equal(tok, "tok-7f3a9c");
    free(tok);
    store_close(s);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db,
                       "SELECT (SELECT count(*) FROM message WHERE typeof(body)<>'blob') +"
                       " (SELECT count(*) FROM outbox WHERE typeof(body)<>'blob') +"
                       " (SELECT count(*) FROM sync_state WHERE typeof(value)<>'blob')",
                       -1, &st, NULL);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    /* VACUUM on close is not ours to do; the old cleartext may linger in free pages until SQLite reuses them */
}

/* Drafts: sealed, kept with their caret across a reopen, replaced in place, cleared. */
static void test_drafts(void **state) {
    (void)state;
    char err[256];
    store *s = store_open(path, key, err, sizeof err);
    assert_non_null(s);
    assert_null(store_draft_get(s, "message", NULL));
    assert_true(store_draft_set(s, "message", "Kjære behandler, jeg", 7));
    assert_true(store_draft_set(s, "message", "Kjære behandler, jeg har øvd", 30));
    assert_true(store_draft_set(s, "answer/m1-tr-situation", "På bussen", 3));
    store_close(s);
    assert_false(file_has(path, "behandler"));
    s = store_open(path, key, err, sizeof err);
    size_t caret = 0;
    char *d = store_draft_get(s, "message", &caret);
    assert_string_equal(d, "Kjære behandler, jeg har øvd");
    assert_int_equal(caret, 30);
    free(d);
    assert_true(store_draft_clear(s, "message"));
    assert_null(store_draft_get(s, "message", &caret));
    d = store_draft_get(s, "answer/m1-tr-situation", &caret);
    assert_string_equal(d, "På bussen");
    free(d);
    /* answers: every set is a new revision; queued revisions are remembered; sealed like the rest */
    int rev = -1, queued = -1;
    assert_null(store_answer_get(s, "m1-ex", &rev, &queued));
    assert_true(store_answer_set(s, "m1-ex", "{\"tanke\":\"Jeg besvimer\"}"));
    assert_true(store_answer_set(s, "m1-ex", "{\"tanke\":\"Jeg besvimer nok ikke\"}"));
    assert_true(store_answer_queued(s, "m1-ex", 2));
    assert_true(store_answer_queued(s, "m1-ex", 1)); /* never backwards */
    store_close(s);
    assert_false(file_has(path, "besvimer"));
    s = store_open(path, key, err, sizeof err);
    d = store_answer_get(s, "m1-ex", &rev, &queued);
    assert_string_equal(d, "{\"tanke\":\"Jeg besvimer nok ikke\"}");
    assert_int_equal(rev, 2);
    assert_int_equal(queued, 2);
    free(d);
    store_close(s);
}

static void test_vault_rejects_changes(void **state) {
    (void)state;
    assert_true(vault_init());
    unsigned char k[VAULT_KEY_BYTES];
    vault_random_key(k);
    size_t n = 0, m = 0;
    unsigned char *c = vault_seal(k, "message/c/1", "æøå", strlen("æøå"), &n);
    assert_int_equal(n, strlen("æøå") + VAULT_OVERHEAD);
    unsigned char *p = vault_open(k, "message/c/1", c, n, &m);
    assert_non_null(p);
    assert_string_equal((char *)p, "æøå");
    free(p);
    assert_null(vault_open(k, "message/c/2", c, n, &m));     /* another row */
    assert_null(vault_open(k, "message/c/1", c, n - 1, &m)); /* cut short */
    for (size_t i = 0; i < n; i++) {                         /* any flipped bit, version and nonce included */
        c[i] ^= 0x10;
        assert_null(vault_open(k, "message/c/1", c, n, &m));
        c[i] ^= 0x10;
    }
    unsigned char k2[VAULT_KEY_BYTES];
    vault_random_key(k2);
    assert_null(vault_open(k2, "message/c/1", c, n, &m)); /* another key */
    free(c);
}


/* Issue 12: the PIN wrap. After store_set_pin the store opens locked: sealed values stay sealed until the PIN's
 * key (Argon2id + the device key) is given; a wrong key does not open it; the device-only wrap is gone; the
 * recovery wrap opens it with the device key; a second connection is given the key. */
static void test_pin_wrap(void **state) {
    (void)state;
    char err[256];
    store *s = store_open(path, key, err, sizeof err);
    assert_non_null(s);
    assert_false(store_locked(s));
    assert_true(store_draft_set(s, "message", "kanarifugl", 3));
    size_t rn = 0;
    unsigned char *recovery = store_recovery_wrap(s, &rn);
    assert_non_null(recovery);
    vault_pin_params pp;
    vault_pin_params_new(&pp);
    pp.mem = 8u << 20; /* cheaper for the test; the cost is stored with the wrap */
    unsigned char dev[VAULT_KEY_BYTES], kek[VAULT_KEY_BYTES], bad[VAULT_KEY_BYTES];
    assert_true(store_device_key(s, dev));
    assert_true(vault_pin_key("246813", &pp, dev, kek));
    assert_true(vault_pin_key("246814", &pp, dev, bad));
    assert_memory_not_equal(kek, bad, VAULT_KEY_BYTES);
    assert_true(store_set_pin(s, &pp, kek));
    assert_true(store_has_pin(s));
    store_close(s);

    s = store_open(path, key, err, sizeof err);
    assert_non_null(s);
    assert_true(store_locked(s));
    size_t caret = 0;
    assert_null(store_draft_get(s, "message", &caret)); /* sealed while locked */
    assert_false(store_draft_set(s, "message", "x", 1)); /* and nothing can be sealed */
    vault_pin_params got;
    assert_true(store_pin_params(s, &got));
    assert_memory_equal(got.salt, pp.salt, VAULT_SALT_BYTES);
    assert_false(store_unlock_pin(s, bad));
    assert_true(store_locked(s));
    assert_true(store_unlock_pin(s, kek));
    char *d = store_draft_get(s, "message", &caret);
    assert_string_equal(d, "kanarifugl");
    free(d);
    unsigned char data[VAULT_KEY_BYTES];
    assert_true(store_data_key(s, data));
    store_close(s);

    /* a second connection, given the key; a wrong key is refused */
    s = store_open(path, key, err, sizeof err);
    assert_false(store_use_key(s, bad));
    assert_true(store_use_key(s, data));
    assert_false(store_locked(s));
    store_close(s);

    /* the recovery wrap opens it with this device key; a changed byte does not */
    s = store_open(path, key, err, sizeof err);
    recovery[rn - 1] ^= 1;
    assert_false(store_recover(s, recovery, rn));
    recovery[rn - 1] ^= 1;
    assert_true(store_recover(s, recovery, rn));
    d = store_draft_get(s, "message", &caret);
    assert_string_equal(d, "kanarifugl");
    free(d);
    /* destroyed keys: nothing opens any more, even with the handle */
    assert_true(store_destroy_keys(s));
    assert_true(store_locked(s));
    assert_null(store_draft_get(s, "message", &caret));
    store_close(s);
    free(recovery);
}

/* The wrong-PIN schedule (iOS's), the same PIN counting once, the clinic's maximum, and the count on disk. */
static void test_lockout(void **state) {
    (void)state;
    assert_int_equal(lockout_delay_s(4), 0);
    assert_int_equal(lockout_delay_s(5), 60);
    assert_int_equal(lockout_delay_s(6), 300);
    assert_int_equal(lockout_delay_s(7), 900);
    assert_int_equal(lockout_delay_s(8), 900);
    assert_int_equal(lockout_delay_s(9), 3600);
    assert_int_equal(lockout_delay_s(30), 3600);
    char err[256];
    store *s = store_open(path, key, err, sizeof err);
    lockout lo;
    lockout_load(s, &lo);
    assert_int_equal(lo.failures, 0);
    unsigned char fp[VAULT_PIN_FP_BYTES];
    for (int i = 0; i < 9; i++) {
        memset(fp, i, sizeof fp);
        assert_false(lockout_seen(&lo, fp));
        lockout_count(&lo, fp, 10);
        assert_true(lockout_save(s, &lo));
    }
    memset(fp, 3, sizeof fp);
    assert_true(lockout_seen(&lo, fp)); /* typed again: known wrong, not counted */
    assert_false(lo.need_code);
    store_close(s);
    s = store_open(path, key, err, sizeof err); /* a restart (or kill -9): the count is there */
    lockout_load(s, &lo);
    assert_int_equal(lo.failures, 9);
    assert_true(lockout_seen(&lo, fp));
    memset(fp, 42, sizeof fp);
    lockout_count(&lo, fp, 10);
    assert_true(lo.need_code);
    lockout_clear(&lo);
    assert_int_equal(lo.failures, 0);
    store_close(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_position_survives_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visited_and_memory_store, setup, teardown),
        cmocka_unit_test_setup_teardown(test_schema_version_and_wal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unwritable_location, setup, teardown),
        cmocka_unit_test_setup_teardown(test_settings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sealed_on_disk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_or_missing_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_value_moved_between_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migration_seals_old_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_drafts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_thread_stretches, setup, teardown),
        cmocka_unit_test(test_vault_rejects_changes),
        cmocka_unit_test_setup_teardown(test_pin_wrap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lockout, setup, teardown),
    };
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
