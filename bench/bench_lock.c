/* bench_lock.c — issue 12's figures: what one PIN guess costs (Argon2id at MS_PIN_ARGON_*, then the device key),
 * the peak memory it takes, and how long the wipe of a returned tablet takes for a store with a patient's 14
 * weeks in it. Prints one line per figure; never a pass/fail. Run from bench/run, or alone:
 *   build/bench_lock [DIR]   (DIR: where to make the data dir; default /tmp) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "meistring/paths.h"
#include "meistring/store.h"
#include "meistring/sync.h"
#include "meistring/vault.h"

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000.0 + t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (!vault_init()) return 1;
    /* 1. a PIN guess: the median of 7 */
    vault_pin_params pp;
    vault_pin_params_new(&pp);
    unsigned char dev[VAULT_KEY_BYTES], out[VAULT_KEY_BYTES];
    vault_random_key(dev);
    double t[7];
    for (int i = 0; i < 7; i++) {
        double t0 = now_ms();
        if (!vault_pin_key("246813", &pp, dev, out)) return 1;
        t[i] = now_ms() - t0;
    }
    qsort(t, 7, sizeof t[0], cmp);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("pin-guess: argon2id ops=%llu mem=%llu MiB median-ms=%.1f min-ms=%.1f max-ms=%.1f peak-rss-mb=%.1f\n",
           pp.ops, pp.mem >> 20, t[3], t[0], t[6], ru.ru_maxrss / 1024.0);
    /* 2. the wipe: a store with 14 weeks of writing (300 messages both ways, 60 answers, drafts) and a programme */
    char dir[600];
    snprintf(dir, sizeof dir, "%s/meistring-bench-lock-%ld", argc > 1 ? argv[1] : "/tmp", (long)getpid());
    ms_paths p;
    char err[600];
    if (paths_resolve(&p, dir, NULL, err, sizeof err) != PATHS_OK || paths_make_data_dir(&p, err, sizeof err) != PATHS_OK) {
        fprintf(stderr, "bench_lock: %s\n", err);
        return 1;
    }
    store *st = store_open(p.db, p.key, err, sizeof err);
    if (!st) return 1;
    char body[2000], id[33];
    memset(body, 'a', sizeof body - 1);
    body[sizeof body - 1] = '\0';
    store_begin(st);
    for (int i = 0; i < 300; i++) {
        sync_new_id(id);
        store_message_add(st, id, 0, true, body, "2026-12-06T10:00:00Z", "sent");
        store_message_add(st, NULL, i + 1, false, body, "2026-12-06T10:00:00Z", "received");
    }
    for (int i = 0; i < 60; i++) {
        char block[32];
        snprintf(block, sizeof block, "m%d-b%d", i / 8, i);
        store_answer_set(st, block, "{\"f1\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}");
    }
    store_draft_set(st, "message", body, 10);
    store_commit(st);
    store_close(st);
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && cp -r '%s/assets/demo/.' '%s'", p.content, MEISTRING_SOURCE_ROOT,
             p.content);
    if (system(cmd) != 0) fprintf(stderr, "bench_lock: no programme copied\n");
    double t0 = now_ms();
    st = store_open(p.db, p.key, err, sizeof err);
    store_destroy_keys(st);
    store_close(st);
    paths_wipe_report rep;
    paths_wipe(&p, &rep);
    double ms = now_ms() - t0;
    printf("wipe: ms=%.1f bytes=%llu items=%zu ok=%s\n", ms, rep.bytes, rep.count, rep.ok ? "yes" : "no");
    return 0;
}
