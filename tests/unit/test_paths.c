/* test_paths.c — the data directory is worked out the same way for every entry point: an explicit --data-dir
 * wins, then an absolute XDG_DATA_HOME, then HOME; --key overrides the key only; a path too long is refused,
 * never cut; and the directory is made 0700 with its parents, again and again without harm. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "meistring/paths.h"

static char scratch[256]; /* a fresh directory per test run */

static int setup(void **state) {
    (void)state;
    snprintf(scratch, sizeof scratch, "/tmp/test_paths.XXXXXX");
    if (!mkdtemp(scratch)) return -1;
    unsetenv("XDG_DATA_HOME");
    setenv("HOME", "/home/pasient", 1);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    char cmd[320];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_xdg_data_home_honoured(void **state) {
    (void)state;
    ms_paths p;
    char err[256];
    setenv("XDG_DATA_HOME", "/var/xdg", 1);
    assert_int_equal(paths_resolve(&p, NULL, NULL, err, sizeof err), PATHS_OK);
    assert_string_equal(p.data, "/var/xdg/meistring");
    assert_string_equal(p.db, "/var/xdg/meistring/meistring.db");
    assert_string_equal(p.db_wal, "/var/xdg/meistring/meistring.db-wal");
    assert_string_equal(p.db_shm, "/var/xdg/meistring/meistring.db-shm");
    assert_string_equal(p.key, "/var/xdg/meistring/device.key");
    assert_string_equal(p.content, "/var/xdg/meistring/content");
    assert_string_equal(p.content_new, "/var/xdg/meistring/content.new");
    assert_string_equal(p.content_old, "/var/xdg/meistring/content.old");
    assert_false(p.key_outside);
    /* the XDG spec: a relative XDG_DATA_HOME is invalid and ignored */
    setenv("XDG_DATA_HOME", "relative/xdg", 1);
    assert_int_equal(paths_resolve(&p, NULL, NULL, err, sizeof err), PATHS_OK);
    assert_string_equal(p.data, "/home/pasient/.local/share/meistring");
}

static void test_home_fallback(void **state) {
    (void)state;
    ms_paths p;
    char err[256];
    setenv("XDG_DATA_HOME", "", 1);
    assert_int_equal(paths_resolve(&p, NULL, NULL, err, sizeof err), PATHS_OK);
    assert_string_equal(p.data, "/home/pasient/.local/share/meistring");
    assert_string_equal(p.db, "/home/pasient/.local/share/meistring/meistring.db");
    assert_string_equal(p.key, "/home/pasient/.local/share/meistring/device.key");
    assert_string_equal(p.content, "/home/pasient/.local/share/meistring/content");
}

static void test_no_home_is_an_error(void **state) {
    (void)state;
    ms_paths p;
    char err[256];
    unsetenv("HOME");
    assert_int_equal(paths_resolve(&p, NULL, NULL, err, sizeof err), PATHS_NO_HOME);
    assert_non_null(strstr(err, "--data-dir"));
    assert_string_equal(p.data, ""); /* nothing half-filled to use by mistake */
    setenv("HOME", "", 1);
    assert_int_equal(paths_resolve(&p, NULL, NULL, err, sizeof err), PATHS_NO_HOME);
    /* an explicit directory needs neither */
    assert_int_equal(paths_resolve(&p, "/srv/nettbrett", NULL, err, sizeof err), PATHS_OK);
    assert_string_equal(p.data, "/srv/nettbrett");
}

static void test_explicit_dir_wins(void **state) {
    (void)state;
    ms_paths p;
    char err[256];
    setenv("XDG_DATA_HOME", "/var/xdg", 1);
    assert_int_equal(paths_resolve(&p, "/tmp/siri/", NULL, err, sizeof err), PATHS_OK);
    assert_string_equal(p.data, "/tmp/siri"); /* one spelling, no "//" below */
    assert_string_equal(p.db, "/tmp/siri/meistring.db");
    assert_string_equal(p.key, "/tmp/siri/device.key");
    assert_string_equal(p.content, "/tmp/siri/content");
    assert_int_equal(paths_resolve(&p, "rel/data", NULL, err, sizeof err), PATHS_OK);
    assert_string_equal(p.db, "rel/data/meistring.db");
    assert_int_equal(paths_resolve(&p, "", NULL, err, sizeof err), PATHS_EMPTY);
}

static void test_key_override(void **state) {
    (void)state;
    ms_paths p;
    char err[256];
    assert_int_equal(paths_resolve(&p, "/tmp/siri", "/mnt/keys/siri.key", err, sizeof err), PATHS_OK);
    assert_string_equal(p.key, "/mnt/keys/siri.key");
    assert_true(p.key_outside);
    assert_string_equal(p.db, "/tmp/siri/meistring.db"); /* only the key moves */
    assert_string_equal(p.content, "/tmp/siri/content");
    assert_int_equal(paths_resolve(&p, "/tmp/siri", "/tmp/siri/device.key", err, sizeof err), PATHS_OK);
    assert_false(p.key_outside);
    assert_int_equal(paths_resolve(&p, "/tmp/siri", "", err, sizeof err), PATHS_EMPTY);
}

static void test_too_long_refused(void **state) {
    (void)state;
    ms_paths p;
    char err[256], longdir[PATHS_MAX + 64];
    /* the longest data directory accepted: every derived name still fits */
    size_t fits = PATHS_MAX - 1 - PATHS_MAX_SUFFIX;
    memset(longdir, 'a', sizeof longdir);
    longdir[0] = '/';
    longdir[fits] = '\0';
    assert_int_equal(paths_resolve(&p, longdir, NULL, err, sizeof err), PATHS_OK);
    assert_int_equal(strlen(p.db_journal), PATHS_MAX - 1);
    longdir[fits] = 'a';
    longdir[fits + 1] = '\0';
    assert_int_equal(paths_resolve(&p, longdir, NULL, err, sizeof err), PATHS_TOO_LONG);
    assert_non_null(strstr(err, "too long"));
    assert_string_equal(p.data, "");
    /* through the environment too */
    longdir[fits] = '\0';
    setenv("HOME", longdir, 1);
    assert_int_equal(paths_resolve(&p, NULL, NULL, err, sizeof err), PATHS_TOO_LONG);
    assert_non_null(strstr(err, "HOME"));
    setenv("XDG_DATA_HOME", longdir, 1);
    assert_int_equal(paths_resolve(&p, NULL, NULL, err, sizeof err), PATHS_TOO_LONG);
    assert_non_null(strstr(err, "XDG_DATA_HOME"));
    /* a key path of PATHS_MAX bytes does not fit */
    memset(longdir, 'k', PATHS_MAX);
    longdir[0] = '/';
    longdir[PATHS_MAX] = '\0';
    assert_int_equal(paths_resolve(&p, "/tmp/siri", longdir, err, sizeof err), PATHS_TOO_LONG);
    assert_non_null(strstr(err, "--key"));
}

static void test_mkdir_0700_with_parents(void **state) {
    (void)state;
    ms_paths p;
    char err[256], dir[512];
    struct stat sb;
    mode_t old = umask(022);
    snprintf(dir, sizeof dir, "%s/a/b/meistring", scratch);
    assert_int_equal(paths_resolve(&p, dir, NULL, err, sizeof err), PATHS_OK);
    assert_int_equal(paths_make_data_dir(&p, err, sizeof err), PATHS_OK);
    assert_int_equal(stat(p.data, &sb), 0);
    assert_true(S_ISDIR(sb.st_mode));
    assert_int_equal(sb.st_mode & 07777, 0700);
    snprintf(dir, sizeof dir, "%s/a", scratch);
    assert_int_equal(stat(dir, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0700);
    /* a strict umask does not leave the owner without access */
    umask(0777);
    snprintf(dir, sizeof dir, "%s/strict", scratch);
    assert_int_equal(paths_resolve(&p, dir, NULL, err, sizeof err), PATHS_OK);
    assert_int_equal(paths_make_data_dir(&p, err, sizeof err), PATHS_OK);
    umask(022);
    assert_int_equal(stat(p.data, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0700);
    umask(old);
}

static void test_mkdir_idempotent(void **state) {
    (void)state;
    ms_paths p;
    char err[256], dir[512];
    struct stat sb;
    snprintf(dir, sizeof dir, "%s/x/y", scratch);
    assert_int_equal(paths_resolve(&p, dir, NULL, err, sizeof err), PATHS_OK);
    assert_int_equal(paths_make_data_dir(&p, err, sizeof err), PATHS_OK);
    assert_int_equal(paths_make_data_dir(&p, err, sizeof err), PATHS_OK);
    /* an existing directory is left as it is: --data-dir may name a shared one */
    snprintf(dir, sizeof dir, "%s/x", scratch);
    assert_int_equal(chmod(dir, 0755), 0);
    assert_int_equal(paths_make_data_dir(&p, err, sizeof err), PATHS_OK);
    assert_int_equal(stat(dir, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0755);
    /* a file where the directory should be is an error, not success */
    snprintf(dir, sizeof dir, "%s/file", scratch);
    FILE *f = fopen(dir, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(paths_resolve(&p, dir, NULL, err, sizeof err), PATHS_OK);
    assert_int_equal(paths_make_data_dir(&p, err, sizeof err), PATHS_IO);
    assert_non_null(strstr(err, "not a directory"));
    snprintf(dir, sizeof dir, "%s/file/under", scratch);
    assert_int_equal(paths_resolve(&p, dir, NULL, err, sizeof err), PATHS_OK);
    assert_int_equal(paths_make_data_dir(&p, err, sizeof err), PATHS_IO);
}

static void test_owned_list(void **state) {
    (void)state;
    ms_paths p;
    char err[256];
    paths_entry e[PATHS_MAX_OWNED];
    assert_int_equal(paths_resolve(&p, "/tmp/siri", "/mnt/keys/siri.key", err, sizeof err), PATHS_OK);
    size_t n = paths_owned(&p, e);
    assert_int_equal(n, PATHS_MAX_OWNED);
    /* the key goes first (crypto-erase), the data directory last and only when empty */
    assert_string_equal(e[0].path, "/mnt/keys/siri.key");
    assert_int_equal(e[0].kind, PATHS_FILE);
    assert_string_equal(e[n - 1].path, "/tmp/siri");
    assert_int_equal(e[n - 1].kind, PATHS_EMPTY_DIR);
    const char *want[] = {p.db, p.db_wal, p.db_shm, p.db_journal, p.content, p.content_new, p.content_old};
    for (size_t w = 0; w < sizeof want / sizeof *want; w++) {
        bool found = false;
        for (size_t i = 0; i < n; i++)
            if (e[i].path == want[w]) found = e[i].what[0] != '\0';
        if (!found) fail_msg("%s is not in the owned list", want[w]);
    }
    for (size_t i = 0; i < n; i++)
        if (strstr(e[i].path, "content")) assert_int_equal(e[i].kind, PATHS_TREE);
    assert_true(paths_is_key_temp(&p, "/mnt/keys/siri.key.Ab3xYz"));
    assert_false(paths_is_key_temp(&p, "/mnt/keys/siri.key"));
    assert_false(paths_is_key_temp(&p, "/mnt/keys/siri.key.Ab3xY"));
    assert_false(paths_is_key_temp(&p, "/mnt/keys/siri.key.Ab/xYz"));
    assert_false(paths_is_key_temp(&p, "/mnt/keys/other.key.Ab3xYz"));
    ms_paths none;
    memset(&none, 0, sizeof none);
    assert_int_equal(paths_owned(&none, e), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_xdg_data_home_honoured, setup, teardown),
        cmocka_unit_test_setup_teardown(test_home_fallback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_home_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_explicit_dir_wins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_override, setup, teardown),
        cmocka_unit_test_setup_teardown(test_too_long_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mkdir_0700_with_parents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mkdir_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_owned_list, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
