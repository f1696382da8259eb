/* test_paths.c — the data directory is worked out the same way for every entry point: an explicit --data-dir
 * wins, then an absolute XDG_DATA_HOME, then HOME; --key overrides the key only; a path too long is refused,
 * never cut; and the directory is made 0700 with its parents, again and again without harm. The wipe of a
 * returned tablet destroys the key first, overwrites in place, follows no symlink, leaves a shared directory's
 * other files alone, goes on after a failure and says so, and can be run twice; its receipt has one shape. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
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
    assert_int_equal(strlen(p.receipt), fits + strlen(".wipe-receipt.json")); /* fits too: shorter suffix */
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

/* ---- the wipe ---------------------------------------------------------------------------------------------- */

static void put(const char *path, int byte, size_t len, mode_t mode) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) fail_msg("cannot create %s: %s", path, strerror(errno));
    char buf[4096];
    memset(buf, byte, sizeof buf);
    for (size_t done = 0; done < len;) {
        size_t n = len - done < sizeof buf ? len - done : sizeof buf;
        assert_int_equal(write(fd, buf, n), (ssize_t)n);
        done += n;
    }
    assert_int_equal(fchmod(fd, mode), 0);
    close(fd);
}

static void put_text(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static bool there(const char *path) {
    struct stat sb;
    return lstat(path, &sb) == 0;
}

/* True when path holds exactly len bytes, every one of them zero. */
static bool zeros(const char *path, size_t len) {
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    size_t n = 0;
    int c;
    bool all = true;
    while ((c = fgetc(f)) != EOF)
        n++, all = all && c == 0;
    fclose(f);
    return all && n == len;
}

static void sub(char *out, size_t cap, const char *dir, const char *name) { snprintf(out, cap, "%s/%s", dir, name); }

/* A data directory as the client leaves it: key, database with WAL and shm, a synced programme two levels deep,
 * a half-built one in content.new, and a key temporary from a killed create. */
static void make_data(ms_paths *p, const char *name) {
    char dir[512], f[1100], err[256];
    snprintf(dir, sizeof dir, "%s/%s", scratch, name);
    assert_int_equal(paths_resolve(p, dir, NULL, err, sizeof err), PATHS_OK);
    assert_int_equal(paths_make_data_dir(p, err, sizeof err), PATHS_OK);
    put(p->key, 0xAB, 32, 0600);
    put(p->db, 'D', 200 * 1024 + 7, 0644); /* not a multiple of the chunk: the tail is overwritten too */
    put(p->db_wal, 'W', 4096, 0644);
    put(p->db_shm, 'S', 32768, 0644);
    snprintf(f, sizeof f, "%s.Ab3xYz", p->key);
    put(f, 0xAB, 32, 0600);
    assert_int_equal(mkdir(p->content, 0700), 0);
    sub(f, sizeof f, p->content, "modules");
    assert_int_equal(mkdir(f, 0700), 0);
    sub(f, sizeof f, p->content, "modules/m1.json");
    put(f, 'M', 5000, 0644);
    sub(f, sizeof f, p->content, "programme.json");
    put(f, 'P', 300, 0644);
    assert_int_equal(mkdir(p->content_new, 0700), 0);
    sub(f, sizeof f, p->content_new, "half.json");
    put(f, 'H', 10, 0644);
}

static const paths_wipe_item *line(const paths_wipe_report *r, const char *what) {
    for (size_t i = 0; i < r->count; i++)
        if (!strcmp(r->items[i].what, what)) return &r->items[i];
    fail_msg("no report line for %s", what);
    return NULL;
}

/* Order, as the hook sees it: the key and its temporary are destroyed before anything else is touched, and by
 * then the key's name is gone from disk. */
typedef struct {
    const ms_paths *p;
    char seen[64][40];
    int n;
    bool key_gone_before_rest;
    const char *fail_what; /* inject this errno for this line */
    int fail_errno;
} order_log;

static int order_hook(void *ctx, const char *what, const char *path) {
    order_log *log = ctx;
    (void)path;
    if (log->n < 64) snprintf(log->seen[log->n++], sizeof log->seen[0], "%s", what);
    if (strncmp(what, "device key", 10) != 0 && log->key_gone_before_rest) {
        char tmp[1100];
        snprintf(tmp, sizeof tmp, "%s.Ab3xYz", log->p->key);
        log->key_gone_before_rest = !there(log->p->key) && !there(tmp);
    }
    return log->fail_what && !strcmp(what, log->fail_what) ? log->fail_errno : 0;
}

static void test_wipe_key_first_and_overwritten(void **state) {
    (void)state;
    ms_paths p;
    make_data(&p, "data");
    /* hard links outside the data directory see the same blocks: the overwrite in place becomes visible */
    char key_link[512], db_link[512], tmp_link[512], tmp[1100];
    sub(key_link, sizeof key_link, scratch, "key.link");
    sub(db_link, sizeof db_link, scratch, "db.link");
    sub(tmp_link, sizeof tmp_link, scratch, "tmp.link");
    snprintf(tmp, sizeof tmp, "%s.Ab3xYz", p.key);
    assert_int_equal(link(p.key, key_link), 0);
    assert_int_equal(link(p.db, db_link), 0);
    assert_int_equal(link(tmp, tmp_link), 0);
    order_log log = {.p = &p, .key_gone_before_rest = true};
    paths_wipe_set_hook(order_hook, &log);
    paths_wipe_report r;
    bool ok = paths_wipe(&p, &r);
    paths_wipe_set_hook(NULL, NULL);
    assert_true(ok);
    assert_true(r.ok);
    assert_string_equal(r.error, "");
    assert_true(log.n > 4);
    assert_string_equal(log.seen[0], "device key");
    assert_string_equal(log.seen[1], "device key, unfinished copy");
    assert_string_equal(log.seen[2], "database");
    assert_true(log.key_gone_before_rest);
    /* the report, in the same order */
    assert_string_equal(r.items[0].what, "device key");
    assert_string_equal(r.items[0].how, "overwritten, fsynced, unlinked");
    assert_int_equal(r.items[0].bytes, 32);
    assert_string_equal(r.items[1].what, "device key, unfinished copy");
    assert_int_equal(r.items[1].bytes, 32);
    assert_string_equal(r.items[2].what, "database");
    assert_int_equal(r.items[2].bytes, 200 * 1024 + 7);
    assert_string_equal(line(&r, "database write-ahead log")->how, "overwritten, fsynced, unlinked");
    assert_string_equal(line(&r, "database rollback journal")->how, "absent");
    assert_string_equal(line(&r, "synced programme")->how, "overwritten, fsynced, removed");
    assert_int_equal(line(&r, "synced programme")->bytes, 5300);
    assert_string_equal(line(&r, "programme being built")->how, "overwritten, fsynced, removed");
    assert_string_equal(line(&r, "programme being replaced")->how, "absent");
    assert_string_equal(r.items[r.count - 1].what, "data directory");
    assert_string_equal(r.items[r.count - 1].how, "removed");
    assert_int_equal(r.bytes, 32 + 32 + 200 * 1024 + 7 + 4096 + 32768 + 5300 + 10);
    assert_int_equal(r.count, PATHS_WIPE_MAX_ITEMS);
    /* overwritten in place, over the full length, before the unlink */
    assert_true(zeros(key_link, 32));
    assert_true(zeros(tmp_link, 32));
    assert_true(zeros(db_link, 200 * 1024 + 7));
    assert_false(there(p.data));
}

static void test_wipe_follows_no_symlink(void **state) {
    (void)state;
    ms_paths p;
    make_data(&p, "data");
    char outside[512], outdir[512], outdir_file[600], f[1100];
    sub(outside, sizeof outside, scratch, "outside.txt");
    sub(outdir, sizeof outdir, scratch, "outside-dir");
    put_text(outside, "the clinic's own file");
    assert_int_equal(mkdir(outdir, 0700), 0);
    snprintf(outdir_file, sizeof outdir_file, "%s/keep.txt", outdir);
    put_text(outdir_file, "keep me");
    /* links inside the synced programme, to a file and to a directory, and the journal's name as a link */
    sub(f, sizeof f, p.content, "modules/link-to-file");
    assert_int_equal(symlink(outside, f), 0);
    sub(f, sizeof f, p.content, "link-to-dir");
    assert_int_equal(symlink(outdir, f), 0);
    assert_int_equal(symlink(outside, p.db_journal), 0);
    paths_wipe_report r;
    assert_true(paths_wipe(&p, &r));
    FILE *in = fopen(outside, "r");
    char buf[64] = "";
    assert_non_null(in);
    assert_non_null(fgets(buf, sizeof buf, in));
    fclose(in);
    assert_string_equal(buf, "the clinic's own file");
    assert_true(there(outdir_file));
    assert_string_equal(line(&r, "database rollback journal")->how, "symlink unlinked, target left");
    assert_false(there(p.data));

    /* a key that is a symlink: unlinked, not followed, and reported as a failure (the key lives on) */
    make_data(&p, "data2");
    char real_key[512];
    sub(real_key, sizeof real_key, scratch, "real.key");
    put(real_key, 0xCD, 32, 0600);
    assert_int_equal(unlink(p.key), 0);
    assert_int_equal(symlink(real_key, p.key), 0);
    assert_false(paths_wipe(&p, &r));
    assert_string_equal(r.items[0].how, "symlink unlinked, target left");
    assert_false(r.items[0].ok);
    assert_non_null(strstr(r.error, "device key"));
    assert_non_null(strstr(r.error, "symbolic link"));
    assert_false(there(p.key));
    assert_true(there(real_key));
    assert_string_equal(line(&r, "database")->how, "overwritten, fsynced, unlinked"); /* the rest went on */
}

static void test_wipe_shared_dir_keeps_foreign_files(void **state) {
    (void)state;
    ms_paths p;
    make_data(&p, "shared");
    char notes[1100], other[1100];
    sub(notes, sizeof notes, p.data, "notes.txt");
    sub(other, sizeof other, p.data, "other-app");
    put_text(notes, "not the client's");
    assert_int_equal(mkdir(other, 0700), 0);
    paths_wipe_report r;
    assert_true(paths_wipe(&p, &r));
    assert_string_equal(r.items[r.count - 1].how, "kept: other files in it");
    assert_true(r.items[r.count - 1].ok);
    assert_true(there(notes));
    assert_true(there(other));
    /* nothing of the client's is left beside them */
    const char *ours[] = {p.key, p.db, p.db_wal, p.db_shm, p.content, p.content_new};
    for (size_t i = 0; i < sizeof ours / sizeof *ours; i++)
        if (there(ours[i])) fail_msg("%s survived the wipe", ours[i]);
}

static void test_wipe_twice_reports_absent(void **state) {
    (void)state;
    ms_paths p;
    make_data(&p, "twice");
    paths_wipe_report r;
    assert_true(paths_wipe(&p, &r));
    assert_true(paths_wipe(&p, &r));
    assert_int_equal(r.bytes, 0);
    assert_int_equal(r.count, PATHS_MAX_OWNED); /* no key temporary line: none was found */
    for (size_t i = 0; i < r.count; i++) {
        assert_string_equal(r.items[i].how, "absent");
        assert_true(r.items[i].ok);
    }
    ms_paths none;
    memset(&none, 0, sizeof none);
    assert_false(paths_wipe(&none, &r));
    assert_non_null(strstr(r.error, "no data directory"));
}

/* One step that fails (EIO injected on the database): the wipe goes on, and says what, where and why. */
static void test_wipe_goes_on_after_a_failure(void **state) {
    (void)state;
    ms_paths p;
    make_data(&p, "faulty");
    order_log log = {.p = &p, .key_gone_before_rest = true, .fail_what = "database", .fail_errno = EIO};
    paths_wipe_set_hook(order_hook, &log);
    paths_wipe_report r;
    bool ok = paths_wipe(&p, &r);
    paths_wipe_set_hook(NULL, NULL);
    assert_false(ok);
    assert_false(r.ok);
    assert_false(line(&r, "database")->ok);
    assert_string_equal(line(&r, "database")->how, "failed");
    assert_non_null(strstr(r.error, "database: cannot destroy "));
    assert_non_null(strstr(r.error, p.db));
    assert_non_null(strstr(r.error, strerror(EIO)));
    /* everything after it was still destroyed */
    assert_false(there(p.key));
    assert_false(there(p.db_wal));
    assert_false(there(p.content));
    assert_string_equal(line(&r, "synced programme")->how, "overwritten, fsynced, removed");
    assert_true(there(p.db));
    assert_string_equal(r.items[r.count - 1].how, "kept: other files in it");
    /* a second failure is reported too, after the first */
    make_data(&p, "faulty2");
    log = (order_log){.p = &p, .key_gone_before_rest = true, .fail_what = "synced programme", .fail_errno = EROFS};
    paths_wipe_set_hook(order_hook, &log);
    ok = paths_wipe(&p, &r);
    paths_wipe_set_hook(NULL, NULL);
    assert_false(ok);
    assert_non_null(strstr(r.error, "synced programme: cannot destroy "));
    assert_non_null(strstr(r.error, "; synced programme: cannot "));
    assert_false(there(p.db));
}

/* A read-only file and a read-only directory in the programme: the wipe gives itself write access and destroys
 * them. Run as an ordinary user (root may write anything): as root, in a child that drops to nobody. */
static void test_wipe_read_only(void **state) {
    (void)state;
    ms_paths p;
    make_data(&p, "ro");
    char f[1100], d[1100];
    sub(f, sizeof f, p.content, "modules/m1.json");
    assert_int_equal(chmod(f, 0400), 0);
    sub(d, sizeof d, p.content, "modules");
    assert_int_equal(chmod(d, 0500), 0);
    assert_int_equal(chmod(p.db, 0400), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (geteuid() == 0) {
            char cmd[1200];
            snprintf(cmd, sizeof cmd, "chown -R 65534:65534 '%s' '%s'", p.data, scratch);
            if (system(cmd) != 0 || setgid(65534) != 0 || setuid(65534) != 0) _exit(3);
        }
        paths_wipe_report r;
        bool ok = paths_wipe(&p, &r);
        if (!ok) fprintf(stderr, "wipe: %s\n", r.error);
        _exit(ok && !there(p.data) && line(&r, "database")->bytes == 200 * 1024 + 7 ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* ---- the receipt ------------------------------------------------------------------------------------------- */

static void test_receipt_path(void **state) {
    (void)state;
    ms_paths p;
    char err[256];
    assert_int_equal(paths_resolve(&p, "/tmp/siri/", NULL, err, sizeof err), PATHS_OK);
    assert_string_equal(p.receipt, "/tmp/siri.wipe-receipt.json"); /* beside the directory, not in it */
    assert_int_equal(paths_resolve(&p, "rel", NULL, err, sizeof err), PATHS_OK);
    assert_string_equal(p.receipt, "rel.wipe-receipt.json");
    const char *no_sibling[] = {"/", ".", "..", "a/..", "a/."};
    for (size_t i = 0; i < sizeof no_sibling / sizeof *no_sibling; i++) {
        assert_int_equal(paths_resolve(&p, no_sibling[i], NULL, err, sizeof err), PATHS_OK);
        assert_string_equal(p.receipt, "");
        assert_false(paths_receipt_save(&p, "{}", err, sizeof err));
        assert_non_null(strstr(err, "no place"));
        assert_null(paths_receipt_load(&p));
    }
}

static void test_receipt_json_shape(void **state) {
    (void)state;
    paths_wipe_report r;
    memset(&r, 0, sizeof r);
    r.ok = true;
    r.items[r.count++] = (paths_wipe_item){"device key", "overwritten, fsynced, unlinked", 32, true};
    r.items[r.count++] = (paths_wipe_item){"database", "overwritten, fsynced, unlinked", 5000000000ULL, true};
    r.items[r.count++] = (paths_wipe_item){"data directory", "removed", 0, true};
    char *json = paths_wipe_receipt(&r, "staff", 12, 0, 1796533200);
    assert_non_null(json);
    assert_string_equal(json,
                        "{\"format\":1,\"wiped_at\":\"2026-12-06T05:00:00Z\",\"reason\":\"staff\",\"patient\":12,"
                        "\"unsent\":0,\"destroyed\":[{\"what\":\"device key\",\"bytes\":32,\"how\":\"overwritten, "
                        "fsynced, unlinked\"},{\"what\":\"database\",\"bytes\":5000000000,\"how\":\"overwritten, "
                        "fsynced, unlinked\"},{\"what\":\"data directory\",\"bytes\":0,\"how\":\"removed\"}]}");
    cJSON *root = cJSON_Parse(json);
    assert_non_null(root);
    assert_int_equal(cJSON_GetObjectItem(root, "format")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(root, "patient")->valueint, 12);
    cJSON *list = cJSON_GetObjectItem(root, "destroyed");
    assert_int_equal(cJSON_GetArraySize(list), 3);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(list, 0), "what")->valuestring, "device key");
    cJSON_Delete(root);
    free(json);
    /* no patient id: no "patient" key; a remote wipe with unsent rows */
    json = paths_wipe_receipt(&r, "remote", 0, 3, 1796533200);
    root = cJSON_Parse(json);
    assert_non_null(root);
    assert_null(cJSON_GetObjectItem(root, "patient"));
    assert_string_equal(cJSON_GetObjectItem(root, "reason")->valuestring, "remote");
    assert_int_equal(cJSON_GetObjectItem(root, "unsent")->valueint, 3);
    cJSON_Delete(root);
    free(json);
    assert_null(paths_wipe_receipt(&r, "because", 0, 0, 1796533200));
    assert_null(paths_wipe_receipt(&r, NULL, 0, 0, 1796533200));
}

static void test_receipt_round_trip(void **state) {
    (void)state;
    ms_paths p;
    char err[256];
    make_data(&p, "tablet");
    assert_null(paths_receipt_load(&p));
    paths_wipe_report r;
    assert_true(paths_wipe(&p, &r));
    char *json = paths_wipe_receipt(&r, "staff", 7, 1, 1796533200);
    assert_true(paths_receipt_save(&p, json, err, sizeof err));
    struct stat sb;
    assert_int_equal(stat(p.receipt, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0600);
    char *back = paths_receipt_load(&p);
    assert_non_null(back);
    assert_string_equal(back, json);
    free(back);
    /* saved again over the old one, nothing left beside it */
    assert_true(paths_receipt_save(&p, "{\"format\":1}", err, sizeof err));
    back = paths_receipt_load(&p);
    assert_string_equal(back, "{\"format\":1}");
    free(back);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "test $(ls -a '%s' | wc -l) -eq 3", scratch); /* ., .., the receipt */
    assert_int_equal(system(cmd), 0);
    /* too large to be ours: not loaded */
    put(p.receipt, '{', PATHS_RECEIPT_MAX + 1, 0600);
    assert_null(paths_receipt_load(&p));
    put(p.receipt, ' ', PATHS_RECEIPT_MAX, 0600);
    back = paths_receipt_load(&p);
    assert_non_null(back);
    assert_int_equal(strlen(back), PATHS_RECEIPT_MAX);
    free(back);
    assert_true(paths_receipt_clear(&p));
    assert_null(paths_receipt_load(&p));
    assert_true(paths_receipt_clear(&p));
    free(json);
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
        cmocka_unit_test_setup_teardown(test_wipe_key_first_and_overwritten, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wipe_follows_no_symlink, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wipe_shared_dir_keeps_foreign_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wipe_twice_reports_absent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wipe_goes_on_after_a_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wipe_read_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_receipt_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_receipt_json_shape, setup, teardown),
        cmocka_unit_test_setup_teardown(test_receipt_round_trip, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
