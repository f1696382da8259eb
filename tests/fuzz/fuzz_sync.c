/* fuzz_sync.c — libFuzzer target for the sync engine: enrolment, manifest, blobs, changes and outbox answers,
 * all as a hostile server might send them. Requests are answered in-process (sync_set_transport); everything
 * after the transfer is the real code: caps, JSON checks, hashes, the store, and the new programme built under
 * a content directory and validated (doc_validate_dir) before it is committed.
 *
 * The input is a list of chunks separated by a line "%%" ("\n%%\n"); the first byte of a chunk says what it is:
 *   O  options, words: enrol (enrol with the E answer instead of storing a token), code=DIGITS, twice (a second
 *      pass: ETag, blobs already present), msg / answer (something in the outbox first), nodir (no content
 *      directory: the manifest is committed unchecked), etag=TEXT (the ETag the manifest comes with)
 *   M  a manifest answer; "@N" becomes the SHA-256 (hex) of file N and "#N" its size, so a manifest whose
 *      blobs verify is easy to reach. Each manifest request takes the next M chunk; the last one repeats.
 *   F  a file (blob) N, counted from 0 in the order the F chunks come; a blob request for its hash gets it
 *   C  a page of changes; each changes request takes the next one, then {"items":[],"next":0}
 *   E  the answer to POST /v1/enrol (default: a valid one)
 *   S  statuses, words of a kind letter and a number: m200 b206 c500 p422 e403 (manifest, blob, changes, PUT,
 *      enrol), each kind taken in order, then the default (200, 201 for a PUT); 0 is a failed connection
 * tests/fuzz/make_sync_seeds.py turns assets/demo into such inputs. Findings this harness treats as bugs, besides
 * the sanitizers: a failure with no reason in the report, a file written outside the content directory, and a
 * committed programme that does not validate. */
#define _GNU_SOURCE /* nftw, memmem */
#include <dirent.h>
#include <ftw.h>
#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "meistring/doc.h"
#include "meistring/store.h"
#include "meistring/sync.h"

#define SEP          "\n%%\n"
#define MAX_FILES    32
#define MAX_MANIFEST 8
#define MAX_CHANGES  24
#define MAX_STATUS   32

typedef struct {
    const uint8_t *p;
    size_t n;
} span;

typedef struct {
    long v[MAX_STATUS];
    int n, next;
} queue;

typedef struct {
    span file[MAX_FILES];
    char sha[MAX_FILES][65];
    int n_file;
    char *man[MAX_MANIFEST]; /* after @N / #N substitution; malloc'd */
    size_t man_len[MAX_MANIFEST];
    int n_man, man_next;
    span chg[MAX_CHANGES];
    int n_chg, chg_next;
    span enrol;
    bool has_enrol;
    queue q_man, q_blob, q_chg, q_put, q_enrol;
    bool opt_enrol, opt_twice, opt_msg, opt_answer, opt_nodir;
    char code[16];
    char etag[160];
    int requests;
} plan;

static char base_dir[256], content_dir[300];
static sync_engine *engine_dir, *engine_nodir;
static bool verbose;

static const char EMPTY_CHANGES[] = "{\"items\":[],\"next\":0}";
static const char DEFAULT_ENROL[] = "{\"device_token\":\"t\",\"patient\":{\"name\":\"P\"},"
                                    "\"clinic\":{\"name\":\"C\",\"phone\":\"1\",\"hours\":\"h\"}}";

static long take(queue *q, long dflt) { return q->next < q->n ? q->v[q->next++] : dflt; }

/* "m200 b206 …": each word's kind letter picks its queue. */
static void parse_statuses(plan *pl, const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n;) {
        char kind = (char)p[i++];
        queue *q = kind == 'm'   ? &pl->q_man
                   : kind == 'b' ? &pl->q_blob
                   : kind == 'c' ? &pl->q_chg
                   : kind == 'p' ? &pl->q_put
                   : kind == 'e' ? &pl->q_enrol
                                 : NULL;
        if (!q || i >= n || p[i] < '0' || p[i] > '9') continue;
        long v = 0;
        while (i < n && p[i] >= '0' && p[i] <= '9' && v < 100000)
            v = v * 10 + (p[i++] - '0');
        if (q->n < MAX_STATUS) q->v[q->n++] = v;
    }
}

/* The value of word "key=" in the options, copied into out. */
static void option_value(const char *opts, const char *key, char *out, size_t cap) {
    const char *v = strstr(opts, key);
    if (!v) return;
    v += strlen(key);
    size_t n = strcspn(v, " \n");
    if (n >= cap) n = cap - 1;
    memcpy(out, v, n);
    out[n] = '\0';
}

static void parse_options(plan *pl, const uint8_t *p, size_t n) {
    char opts[512];
    if (n >= sizeof opts) n = sizeof opts - 1;
    memcpy(opts, p, n);
    opts[n] = '\0';
    pl->opt_enrol = strstr(opts, "enrol") != NULL;
    pl->opt_twice = strstr(opts, "twice") != NULL;
    pl->opt_msg = strstr(opts, "msg") != NULL;
    pl->opt_answer = strstr(opts, "answer") != NULL;
    pl->opt_nodir = strstr(opts, "nodir") != NULL;
    option_value(opts, "code=", pl->code, sizeof pl->code);
    option_value(opts, "etag=", pl->etag, sizeof pl->etag);
}

/* The manifest text with "@N" replaced by file N's hash and "#N" by its size (N < n_file). */
static void add_manifest(plan *pl, const uint8_t *p, size_t n) {
    size_t cap = n * 32 + 1, len = 0;
    char *out = malloc(cap);
    if (!out) return;
    for (size_t i = 0; i < n;) {
        if ((p[i] == '@' || p[i] == '#') && i + 1 < n && p[i + 1] >= '0' && p[i + 1] <= '9') {
            size_t j = i + 1;
            int k = 0;
            while (j < n && j < i + 3 && p[j] >= '0' && p[j] <= '9')
                k = k * 10 + (p[j++] - '0');
            if (k < pl->n_file) {
                if (p[i] == '@') {
                    memcpy(out + len, pl->sha[k], 64);
                    len += 64;
                } else {
                    len += (size_t)snprintf(out + len, cap - len, "%zu", pl->file[k].n);
                }
                i = j;
                continue;
            }
        }
        out[len++] = (char)p[i++];
    }
    out[len] = '\0';
    pl->man[pl->n_man] = out;
    pl->man_len[pl->n_man] = len;
    pl->n_man++;
}

static void plan_parse(plan *pl, const uint8_t *data, size_t size) {
    memset(pl, 0, sizeof *pl);
    snprintf(pl->code, sizeof pl->code, "12345678");
    /* the chunks, in order; files first, so a manifest anywhere can name any of them */
    span chunks[MAX_FILES + MAX_MANIFEST + MAX_CHANGES + 8];
    int nc = 0;
    size_t start = 0, sep = strlen(SEP);
    while (start <= size && nc < (int)(sizeof chunks / sizeof chunks[0])) {
        const uint8_t *hit = size - start >= sep ? memmem(data + start, size - start, SEP, sep) : NULL;
        size_t end = hit ? (size_t)(hit - data) : size;
        chunks[nc++] = (span){data + start, end - start};
        if (!hit) break;
        start = end + sep;
    }
    for (int i = 0; i < nc; i++)
        if (chunks[i].n >= 1 && chunks[i].p[0] == 'F' && pl->n_file < MAX_FILES) {
            pl->file[pl->n_file] = (span){chunks[i].p + 1, chunks[i].n - 1};
            sync_sha256_hex(chunks[i].p + 1, chunks[i].n - 1, pl->sha[pl->n_file]);
            pl->n_file++;
        }
    for (int i = 0; i < nc; i++) {
        if (chunks[i].n < 1) continue;
        const uint8_t *p = chunks[i].p + 1;
        size_t n = chunks[i].n - 1;
        switch (chunks[i].p[0]) {
        case 'O': parse_options(pl, p, n); break;
        case 'M':
            if (pl->n_man < MAX_MANIFEST) add_manifest(pl, p, n);
            break;
        case 'C':
            if (pl->n_chg < MAX_CHANGES) pl->chg[pl->n_chg++] = (span){p, n};
            break;
        case 'E':
            pl->enrol = (span){p, n};
            pl->has_enrol = true;
            break;
        case 'S': parse_statuses(pl, p, n); break;
        default: break;
        }
    }
}

static void plan_free(plan *pl) {
    for (int i = 0; i < pl->n_man; i++)
        free(pl->man[i]);
}

static bool transport(void *ctx, const char *method, const char *path, const char *req_body, long *status,
                      const unsigned char **body, size_t *len, char *etag) {
    plan *pl = ctx;
    *body = NULL;
    *len = 0;
    if (++pl->requests > 400) __builtin_trap(); /* a pass must end: the engine has caps on every loop */
    if (strcmp(method, "POST") == 0 && strcmp(path, "/v1/enrol") == 0) {
        if (!req_body) __builtin_trap();
        *status = take(&pl->q_enrol, 200);
        if (pl->has_enrol) {
            *body = pl->enrol.p;
            *len = pl->enrol.n;
        } else {
            *body = (const unsigned char *)DEFAULT_ENROL;
            *len = strlen(DEFAULT_ENROL);
        }
    } else if (strcmp(method, "GET") == 0 && strcmp(path, "/v1/manifest") == 0) {
        *status = take(&pl->q_man, 200);
        if (pl->n_man) {
            int k = pl->man_next < pl->n_man ? pl->man_next++ : pl->n_man - 1;
            *body = (const unsigned char *)pl->man[k];
            *len = pl->man_len[k];
        }
        snprintf(etag, 128, "%s", pl->etag[0] ? pl->etag : "\"e\"");
    } else if (strcmp(method, "GET") == 0 && strncmp(path, "/v1/blobs/", 10) == 0) {
        *status = take(&pl->q_blob, 200);
        int k = -1;
        for (int i = 0; i < pl->n_file && k < 0; i++)
            if (strcmp(path + 10, pl->sha[i]) == 0) k = i;
        if (k < 0) {
            if (*status == 200) *status = 404;
        } else {
            *body = pl->file[k].p;
            *len = pl->file[k].n;
        }
    } else if (strcmp(method, "GET") == 0 && strncmp(path, "/v1/changes?since=", 18) == 0) {
        *status = take(&pl->q_chg, 200);
        if (pl->chg_next < pl->n_chg) {
            *body = pl->chg[pl->chg_next].p;
            *len = pl->chg[pl->chg_next].n;
            pl->chg_next++;
        } else {
            *body = (const unsigned char *)EMPTY_CHANGES;
            *len = strlen(EMPTY_CHANGES);
        }
    } else if (strcmp(method, "PUT") == 0 &&
               (strncmp(path, "/v1/messages/", 13) == 0 || strncmp(path, "/v1/answers/", 12) == 0)) {
        if (!req_body) __builtin_trap();
        *status = take(&pl->q_put, 201);
    } else if (strcmp(method, "PUT") == 0 && strcmp(path, "/v1/recovery") == 0) {
        if (!req_body) __builtin_trap();
        *status = take(&pl->q_put, 201); /* the recovery wrap, once per enrolment (issue 12) */
    } else if (strcmp(method, "DELETE") == 0 && strcmp(path, "/v1/device") == 0) {
        *status = 204; /* a "returned" item, then the queue empty: the server forgets the device */
    } else if (strcmp(method, "POST") == 0 && strcmp(path, "/v1/recover") == 0) {
        /* a forgotten PIN's reset code: the enrolment chunk's bytes stand for the server's answer */
        if (!req_body) __builtin_trap();
        *status = take(&pl->q_enrol, 200);
        *body = pl->has_enrol ? pl->enrol.p : (const unsigned char *)DEFAULT_ENROL;
        *len = pl->has_enrol ? pl->enrol.n : strlen(DEFAULT_ENROL);
    } else {
        __builtin_trap(); /* the engine asked for something the protocol does not have */
    }
    return *status != 0;
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void clean_base(void) {
    nftw(base_dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    mkdir(base_dir, 0700);
}

static void at_exit(void) { nftw(base_dir, remove_one, 16, FTW_DEPTH | FTW_PHYS); }

/* Nothing may be written beside the content directory: only "c" may be left in the base directory (c.new and
 * c.old are the engine's own and gone after a pass). */
static void check_base(void) {
    DIR *d = opendir(base_dir);
    if (!d) __builtin_trap();
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 || strcmp(e->d_name, "c") == 0) continue;
        fprintf(stderr, "fuzz_sync: %s/%s written outside the content directory\n", base_dir, e->d_name);
        __builtin_trap();
    }
    closedir(d);
}

static void quiet(void *ctx, const char *where, const char *msg) {
    (void)ctx;
    if (verbose) fprintf(stderr, "  invalid: %s: %s\n", where, msg);
}

static void check_result(const char *what, sync_result r, const sync_report *rep) {
    if (verbose) fprintf(stderr, "fuzz_sync: %s -> %d %s\n", what, (int)r, rep->msg);
    if (r != SYNC_OK && rep->msg[0] == '\0') {
        fprintf(stderr, "fuzz_sync: %s failed (%d) without saying why\n", what, (int)r);
        __builtin_trap();
    }
}

static void count_message(void *ctx, const store_message *m) {
    (void)m;
    (*(int *)ctx)++;
}

/* SQLite frees and allocates a great deal while it creates the schema of every fresh store: with ASan's default
 * 256 MB quarantine of freed memory, page faults took 3/4 of the time. 16 MB still catches a use after free of
 * anything this pass freed, and runs four times as many inputs. ASAN_OPTIONS overrides it. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "quarantine_size_mb=16"; }

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    verbose = getenv("FUZZ_SYNC_VERBOSE") != NULL;
    const char *root = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(base_dir, sizeof base_dir, "%s/meistring-fuzz-sync-%ld", root, (long)getpid());
    snprintf(content_dir, sizeof content_dir, "%s/c", base_dir);
    clean_base();
    atexit(at_exit);
    if (sodium_init() < 0) abort();
    sync_config cfg = {.server = "http://127.0.0.1:1", .content_dir = content_dir};
    engine_dir = sync_new(&cfg);
    cfg.content_dir = NULL;
    engine_nodir = sync_new(&cfg);
    if (!engine_dir || !engine_nodir) abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    plan pl;
    plan_parse(&pl, data, size);
    clean_base();
    char err[256];
    store *st = store_open(":memory:", NULL, err, sizeof err);
    if (!st) abort();
    sync_engine *s = pl.opt_nodir ? engine_nodir : engine_dir;
    sync_set_transport(s, transport, &pl);
    sync_report rep;
    sync_result r = SYNC_OK;
    if (pl.opt_enrol) {
        /* the reset code's answer first (it needs no token): a wrap, or a clear failure; never more than fits */
        size_t wn = 0;
        sync_result rr = SYNC_OK;
        unsigned char *wrap = sync_recover(s, pl.code, &wn, &rr, &rep);
        check_result("recover", rr, &rep);
        if ((wrap != NULL) != (rr == SYNC_OK) || wn > 300) __builtin_trap();
        if (wrap && store_recover(st, wrap, wn)) __builtin_trap(); /* fuzzed bytes never open a real key */
        free(wrap);
        r = sync_enrol(s, st, pl.code, NULL, &rep);
        check_result("enrol", r, &rep);
    } else if (!store_sync_set(st, "token", "t")) {
        abort();
    }
    char id[33];
    if (pl.opt_msg && !sync_queue_message(st, "Hei, dette er en melding.", NULL, id)) abort();
    if (pl.opt_answer &&
        (!store_answer_set(st, "m1-p1-b1", "{\"f1\":\"svar\",\"f2\":3}") || !sync_queue_answer(st, "m1-p1-b1", id)))
        abort();
    for (int pass = 0; pass < (pl.opt_twice ? 2 : 1); pass++) {
        r = sync_once(s, st, &rep);
        check_result("sync_once", r, &rep);
        check_base();
        /* what was committed was validated first: the reader never sees a programme that does not pass */
        if (r == SYNC_OK && rep.manifest_changed && !pl.opt_nodir && doc_validate_dir(content_dir, quiet, NULL) != 0) {
            fprintf(stderr, "fuzz_sync: a committed programme does not validate\n");
            __builtin_trap();
        }
    }
    /* the committed manifest, built again as at start; when it was validated once it must validate again */
    char *man = store_sync_get(st, "manifest");
    if (man) {
        sync_result m = sync_materialize(st, content_dir, err, sizeof err);
        if (verbose) fprintf(stderr, "fuzz_sync: materialize -> %d %s\n", (int)m, m == SYNC_OK ? "" : err);
        check_base();
        if (!pl.opt_nodir && m != SYNC_OK) {
            fprintf(stderr, "fuzz_sync: a committed manifest no longer materializes: %s\n", err);
            __builtin_trap();
        }
        free(man);
    }
    int messages = 0;
    store_each_message(st, count_message, &messages);
    if (verbose) fprintf(stderr, "fuzz_sync: %d requests, %d messages\n", pl.requests, messages);
    sync_set_transport(s, NULL, NULL);
    store_close(st);
    plan_free(&pl);
    return 0;
}
