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
#include <unistd.h>

#include "meistring/settings.h"
#include "meistring/store.h"

static char dir[64];
static char path[128];

static int setup(void **state) {
    (void)state;
    strcpy(dir, "/tmp/meistring-store-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    snprintf(path, sizeof path, "%s/meistring.db", dir);
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
    store *s = store_open(path, err, sizeof err);
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

    s = store_open(path, err, sizeof err);
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
    store *s = store_open(":memory:", err, sizeof err);
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
    store *s = store_open(path, err, sizeof err);
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
    s = store_open(path, err, sizeof err);
    assert_null(s);
    assert_non_null(strstr(err, "newer"));
}

static void test_unwritable_location(void **state) {
    (void)state;
    char err[256];
    store *s = store_open("/nonexistent-dir/x/meistring.db", err, sizeof err);
    assert_null(s);
    assert_non_null(strstr(err, "cannot open"));
}

static void test_settings(void **state) {
    (void)state;
    char err[256];
    store *s = store_open(path, err, sizeof err);
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
    s = store_open(path, err, sizeof err);
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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_position_survives_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visited_and_memory_store, setup, teardown),
        cmocka_unit_test_setup_teardown(test_schema_version_and_wal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unwritable_location, setup, teardown),
        cmocka_unit_test_setup_teardown(test_settings, setup, teardown),
    };
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
