/* test_wipe_scan.c — the wipe of a returned tablet, end to end at the core level, run by ext4_scan.sh inside a
 * fresh ext4 image ($MNT): a store with the patient's and the therapist's words (canaries) and a synced
 * programme, then paths_wipe; nothing may remain in the data directory, and the canaries and the key bytes it
 * leaves in $CANARY_FILE must not be anywhere in the raw image (ext4_scan.sh scans it after the unmount).
 *
 *   test_wipe_scan [--no-wipe]   (--no-wipe: the control run; the scan must then find the device key)
 *
 * The canary words are written through the store, which seals them: they should never reach the disk in clear,
 * and this proves it. The programme's files are not sealed: for them it is the overwrite that is tested. */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "meistring/paths.h"
#include "meistring/store.h"
#include "meistring/vault.h"

#define CANARIES 9

static void die(const char *fmt, const char *arg) {
    printf("FAIL: ");
    printf(fmt, arg);
    printf("\n");
    exit(1);
}

static void hex(const unsigned char *b, size_t n, char *out) {
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", b[i]);
}

static bool contains(const char *hay, size_t hay_len, const void *needle, size_t n) {
    for (size_t i = 0; n <= hay_len && i <= hay_len - n; i++)
        if (!memcmp(hay + i, needle, n)) return true;
    return false;
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) die("cannot write %s", path);
}

int main(int argc, char **argv) {
    bool wipe = !(argc > 1 && !strcmp(argv[1], "--no-wipe"));
    const char *mnt = getenv("MNT"), *canary_file = getenv("CANARY_FILE");
    if (!mnt || !canary_file) die("%s", "run me through tests/lifecycle/ext4_scan.sh (MNT, CANARY_FILE)");
    FILE *canaries = fopen(canary_file, "a");
    if (!canaries) die("cannot open %s", canary_file);

    /* words unique to this run, so nothing left from elsewhere can be mistaken for a leak */
    unsigned char rnd[8];
    char tag[17], word[CANARIES][64];
    vault_init();
    vault_random_key((unsigned char[VAULT_KEY_BYTES]){0}); /* warms libsodium; the bytes are thrown away */
    FILE *ur = fopen("/dev/urandom", "rb");
    if (!ur || fread(rnd, 1, sizeof rnd, ur) != sizeof rnd) die("%s", "no /dev/urandom");
    fclose(ur);
    hex(rnd, sizeof rnd, tag);
    /* the last three are not sealed: the programme (public), a visited page and a setting (page ids and choices) */
    const char *role[CANARIES] = {"message", "outbox",    "draft",   "answer", "reply",
                                  "token",   "programme", "visited", "setting"};
    for (int i = 0; i < CANARIES; i++) {
        snprintf(word[i], sizeof word[i], "KANARI-%s-%s", role[i], tag);
        fprintf(canaries, "%s\t%s\n", role[i], word[i]);
    }

    ms_paths p;
    char err[512], dir[PATHS_MAX];
    snprintf(dir, sizeof dir, "%s/tablet/meistring", mnt);
    if (paths_resolve(&p, dir, NULL, err, sizeof err) != PATHS_OK || paths_make_data_dir(&p, err, sizeof err))
        die("%s", err);

    store *s = store_open(p.db, p.key, err, sizeof err);
    if (!s) die("%s", err);
    char body[256], fields[128];
    snprintf(body, sizeof body, "{\"id\":\"c-1\",\"body\":\"%s\"}", word[1]);
    snprintf(fields, sizeof fields, "{\"f1\":\"%s\"}", word[3]);
    bool ok = store_message_add(s, "c-1", 0, true, word[0], "2026-12-01T10:00:00Z", "saved") &&
              store_outbox_add(s, "message", "c-1", body) && store_draft_set(s, "message", word[2], 5) &&
              store_answer_set(s, "b-thoughts", fields) &&
              store_message_add(s, NULL, 77, false, word[4], "2026-12-02T09:00:00Z", "received") &&
              store_sync_set(s, "token", word[5]) && store_mark_visited(s, "prog", word[7]) &&
              store_set_setting(s, "canary", word[8]);
    if (!ok) die("a store write failed: %s", store_last_error(s));
    int unsent = store_outbox_count(s, "pending");
    store_close(s);

    /* the programme as sync_materialize leaves it: a tree, two levels deep */
    char f[PATHS_MAX + 64], text[256];
    snprintf(f, sizeof f, "%s/modules", p.content);
    if (mkdir(p.content, 0700) || mkdir(f, 0700)) die("cannot make %s", f);
    snprintf(text, sizeof text, "{\"title\":\"%s\"}\n", word[6]);
    snprintf(f, sizeof f, "%s/programme.json", p.content);
    write_file(f, text);
    snprintf(f, sizeof f, "%s/modules/m1.json", p.content);
    write_file(f, text);

    /* the key material, as hex canaries: the device key file and the data key wrapped under it */
    unsigned char key[VAULT_KEY_BYTES];
    int fd = open(p.key, O_RDONLY);
    if (fd < 0 || read(fd, key, sizeof key) != (ssize_t)sizeof key) die("cannot read %s", p.key);
    close(fd);
    char key_hex[2 * VAULT_KEY_BYTES + 1], wrapped_hex[1024] = "";
    hex(key, sizeof key, key_hex);
    fprintf(canaries, "device key\thex:%s\n", key_hex);
    sqlite3 *db;
    sqlite3_stmt *st;
    if (sqlite3_open_v2(p.db, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT wrapped FROM keyring WHERE name IN ('device', 'pin')", -1, &st, NULL) != SQLITE_OK)
        die("cannot read the keyring: %s", sqlite3_errmsg(db));
    /* this connection is the last to close: keep its WAL for the wipe, not delete it with what it held */
    sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL, &(int){1});
    int rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        size_t n = (size_t)sqlite3_column_bytes(st, 0);
        if (n * 2 >= sizeof wrapped_hex) die("%s", "a wrapped key larger than expected");
        hex(sqlite3_column_blob(st, 0), n, wrapped_hex);
        fprintf(canaries, "wrapped data key\thex:%s\n", wrapped_hex);
        rows++;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    if (rows != 1) die("%s", "the keyring should hold one wrapped key");
    fclose(canaries);
    if (!wipe) {
        printf("test_wipe_scan: control run, nothing wiped (%d canaries and 2 keys left for the scan)\n", CANARIES);
        return 0;
    }

    struct timespec t0, t1;
    paths_wipe_report r;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bool wiped = paths_wipe(&p, &r);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    for (size_t i = 0; i < r.count; i++)
        printf("  %-32s %10llu bytes  %s\n", r.items[i].what, r.items[i].bytes, r.items[i].how);
    printf("test_wipe_scan: wipe took %.1f ms, %llu bytes destroyed\n", ms, r.bytes);
    if (!wiped) die("the wipe failed: %s", r.error);
    if (strcmp(r.items[0].what, "device key") || r.items[0].bytes != VAULT_KEY_BYTES)
        die("%s", "the device key was not the first thing destroyed");
    struct stat sb;
    if (lstat(p.data, &sb) == 0 || errno != ENOENT) die("the data directory %s is still there", p.data);

    /* the receipt: beside the data directory, not in it, and nothing of the patient's in it */
    char *json = paths_wipe_receipt(&r, "staff", 12, unsent, time(NULL));
    if (!json || !paths_receipt_save(&p, json, err, sizeof err)) die("cannot save the receipt: %s", err);
    size_t dlen = strlen(p.data);
    if (!strncmp(p.receipt, p.data, dlen) && p.receipt[dlen] == '/')
        die("the receipt %s is in the data dir", p.receipt);
    char *back = paths_receipt_load(&p);
    if (!back || strcmp(back, json)) die("%s", "the receipt did not read back as written");
    size_t blen = strlen(back);
    for (int i = 0; i < CANARIES; i++)
        if (strstr(back, word[i]) || strstr(back, tag)) die("the receipt holds a canary: %s", back);
    if (strstr(back, key_hex) || strstr(back, wrapped_hex) || contains(back, blen, key, sizeof key))
        die("the receipt holds key material: %s", back);
    vault_wipe(key, sizeof key);
    printf("test_wipe_scan: receipt %s: %s\n", p.receipt, back);
    free(back);
    free(json);
    return 0;
}
