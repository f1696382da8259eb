/* server.c — the reference sync server, build/meistring-server (docs/sync-protocol.md).
 * One process, libmicrohttpd + SQLite: serves a programme from a content directory (the demo works as-is),
 * enrols devices with one-time codes, keeps per-patient unlocks, messages both ways, answers, and a changes
 * feed. Meant for pilots and tests; a clinic at scale would put the same API behind a load balancer on
 * PostgreSQL (DESIGN §4). It can inject faults (--fault) so the client's sync can be tested against them.
 * Untrusted bytes are read in request.c, failed enrolments are limited in guard.c, budgets are in meistring/config.h.
 *
 *   meistring-server serve --db FILE --content DIR [--port N] [--bind ADDR] [--cert PEM --key PEM]
 *                          [--min-client-version X.Y.Z] [--fault MODE[@PREFIX][:P]]... [--seed N]
 *   meistring-server admin --db FILE [--code-days N] create-patient NAME | new-code PATIENT
 *                          | unlock PATIENT MODULE | reply PATIENT TEXT | messages PATIENT | answers PATIENT
 *                          | revoke PATIENT
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include "meistring/config.h"
#include "meistring/doc.h"
#include "meistring/utf8.h"

#include "guard.h"
#include "request.h"

/* ---- the database ---------------------------------------------------------------------------------------- */

static sqlite3 *db;
static pthread_mutex_t db_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *SCHEMA =
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
    /* code_expires: unix seconds; code_base: the enrol_failures counter when the code was made (its exposure is
     * the counter minus that). A used code is set to NULL: it is one-time, and its digits go back to the pool. */
    "CREATE TABLE IF NOT EXISTS patient(id INTEGER PRIMARY KEY, name TEXT NOT NULL, code TEXT UNIQUE,"
    "  code_used INTEGER NOT NULL DEFAULT 0, token TEXT UNIQUE, revoked INTEGER NOT NULL DEFAULT 0,"
    "  code_expires INTEGER, code_base INTEGER);"
    "CREATE TABLE IF NOT EXISTS unlock(patient INTEGER NOT NULL, module TEXT NOT NULL, PRIMARY KEY(patient, module));"
    /* messages both ways; a patient's carry the id their tablet made, unique for ever */
    "CREATE TABLE IF NOT EXISTS message(id INTEGER PRIMARY KEY, patient INTEGER NOT NULL, client_id TEXT,"
    "  from_patient INTEGER NOT NULL, body TEXT NOT NULL, written_at TEXT NOT NULL, read_at INTEGER,"
    "  UNIQUE(patient, client_id));"
    "CREATE TABLE IF NOT EXISTS answer(id INTEGER PRIMARY KEY, patient INTEGER NOT NULL, client_id TEXT NOT NULL,"
    "  body TEXT NOT NULL, UNIQUE(patient, client_id));"
    /* the changes feed: what a device has not seen yet, in order */
    "CREATE TABLE IF NOT EXISTS event(seq INTEGER PRIMARY KEY AUTOINCREMENT, patient INTEGER NOT NULL,"
    "  type TEXT NOT NULL, data TEXT NOT NULL);"
    /* failed enrolments since the database was made, for ever: what every live code has been exposed to */
    "CREATE TABLE IF NOT EXISTS counter(name TEXT PRIMARY KEY, n INTEGER NOT NULL);"
    "INSERT OR IGNORE INTO counter(name, n) VALUES('enrol_failures', 0);";

/* A database made before codes expired gets the two columns; its unused codes get a fresh lifetime. */
static bool db_migrate(void) {
    sqlite3_stmt *st = NULL;
    bool has = false;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info('patient') WHERE name='code_expires'", -1, &st, NULL) !=
        SQLITE_OK)
        return false;
    has = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    if (has) return true;
    char *err = NULL;
    char sql[512];
    snprintf(sql, sizeof sql,
             "BEGIN; ALTER TABLE patient ADD COLUMN code_expires INTEGER; ALTER TABLE patient ADD COLUMN code_base "
             "INTEGER; UPDATE patient SET code_expires=CAST(strftime('%%s','now') AS INTEGER)+%d,"
             " code_base=(SELECT n FROM counter WHERE name='enrol_failures'); COMMIT;",
             SRV_CODE_DAYS * 86400);
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "meistring-server: migrating the database: %s\n", err);
        sqlite3_free(err);
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return false;
    }
    return true;
}

static bool db_open(const char *path) {
    if (sqlite3_open(path, &db) != SQLITE_OK) {
        fprintf(stderr, "meistring-server: cannot open %s: %s\n", path, sqlite3_errmsg(db));
        return false;
    }
    sqlite3_busy_timeout(db, SRV_DB_BUSY_TIMEOUT_MS);
    char *err = NULL;
    if (sqlite3_exec(db, SCHEMA, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "meistring-server: %s\n", err);
        sqlite3_free(err);
        return false;
    }
    return db_migrate();
}

static sqlite3_stmt *prep(const char *sql) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fprintf(stderr, "meistring-server: %s: %s\n", sql, sqlite3_errmsg(db));
    return st;
}

static void add_event(sqlite3_int64 patient, const char *type, const char *data) {
    sqlite3_stmt *st = prep("INSERT INTO event(patient, type, data) VALUES(?,?,?)");
    if (!st) return;
    sqlite3_bind_int64(st, 1, patient);
    sqlite3_bind_text(st, 2, type, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, data, -1, SQLITE_TRANSIENT);
    sqlite3_step(st);
    sqlite3_finalize(st);
}

/* An id or a cursor as an exact JSON integer. cJSON prints numbers as doubles with 15 significant digits, which
 * is not exact above 10^15; and no id may pass 2^53, the last integer a client's double holds exactly. */
static void add_int(cJSON *o, const char *name, sqlite3_int64 v) {
    char s[24];
    if (v < 0 || v > MS_JSON_MAX_ID) v = 0; /* never stored: ids are rowids, cursors come through req_parse_since */
    snprintf(s, sizeof s, "%lld", (long long)v);
    cJSON_AddRawToObject(o, name, s);
}

/* ---- content: every file of the programme as a blob named by its SHA-256 ------------------------------------ */

typedef struct {
    char sha[65];
    char path[256]; /* relative to the content directory */
    unsigned char *data;
    size_t size;
} blob;

static blob *blobs;
static size_t n_blobs;
static doc_programme *prog;

static void hex(const unsigned char *in, size_t n, char *out) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

static const blob *add_blob(const char *dir, const char *rel) {
    for (size_t i = 0; i < n_blobs; i++)
        if (strcmp(blobs[i].path, rel) == 0) return &blobs[i];
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    struct stat sb;
    fstat(fileno(f), &sb);
    blob b = {0};
    b.size = (size_t)sb.st_size;
    b.data = malloc(b.size ? b.size : 1);
    if (!b.data || fread(b.data, 1, b.size, f) != b.size) {
        fclose(f);
        free(b.data);
        return NULL;
    }
    fclose(f);
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, b.data, b.size);
    hex(h, sizeof h, b.sha);
    snprintf(b.path, sizeof b.path, "%s", rel);
    blob *n = realloc(blobs, (n_blobs + 1) * sizeof *n);
    if (!n) return NULL;
    blobs = n;
    blobs[n_blobs] = b;
    return &blobs[n_blobs++];
}

static bool load_content(const char *dir) {
    doc_error err;
    if (doc_load_dir(dir, &prog, &err) != DOC_OK) {
        fprintf(stderr, "meistring-server: %s: %s: %s\n", dir, err.where, err.msg);
        return false;
    }
    if (!add_blob(dir, "programme.json")) return false;
    for (size_t m = 0; m < prog->n_modules; m++) {
        if (!add_blob(dir, prog->modules[m].file)) return false;
        for (size_t p = 0; p < prog->modules[m].n_pages; p++)
            for (size_t b = 0; b < prog->modules[m].pages[p].n_blocks; b++) {
                const doc_block *blk = &prog->modules[m].pages[p].blocks[b];
                if (blk->type == DOC_BLOCK_IMAGE && !add_blob(dir, blk->src))
                    fprintf(stderr, "meistring-server: image %s is missing; served without it\n", blk->src);
            }
    }
    return true;
}

static const blob *find_blob_path(const char *rel) {
    for (size_t i = 0; i < n_blobs; i++)
        if (strcmp(blobs[i].path, rel) == 0) return &blobs[i];
    return NULL;
}

static const blob *find_blob_sha(const char *sha) {
    for (size_t i = 0; i < n_blobs; i++)
        if (strcmp(blobs[i].sha, sha) == 0) return &blobs[i];
    return NULL;
}

/* ---- faults ------------------------------------------------------------------------------------------------- */

typedef enum { F_DROP, F_DROP_AFTER, F_500, F_429, F_STALL, F_TRUNCATE, F_BADJSON, F_BADHASH, F_HUGE } fault_mode;

typedef struct {
    fault_mode mode;
    char prefix[128];
    double p;  /* probability, when count == 0 */
    int count; /* the first N matching requests */
} fault_rule;

static fault_rule faults[SRV_MAX_FAULTS];
static int n_faults;
static unsigned rng_state = 1;

static double rnd(void) {
    rng_state = rng_state * 1103515245u + 12345u;
    return ((rng_state >> 8) & 0xFFFFFF) / (double)0x1000000;
}

static bool parse_fault(const char *spec) {
    static const char *const names[] = {"drop",     "drop-after", "500",     "429", "stall",
                                        "truncate", "badjson",    "badhash", "huge"};
    if (n_faults == (int)(sizeof faults / sizeof faults[0])) return false;
    fault_rule f = {.p = 1.0, .count = -1}; /* -1: by probability for ever; N: the first N only */
    char mode[32] = "";
    const char *at = strchr(spec, '@'), *colon = strrchr(spec, ':');
    size_t ml = at ? (size_t)(at - spec) : colon ? (size_t)(colon - spec) : strlen(spec);
    if (ml >= sizeof mode) return false;
    memcpy(mode, spec, ml);
    int k = -1;
    for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
        if (strcmp(mode, names[i]) == 0) k = i;
    if (k < 0) return false;
    f.mode = (fault_mode)k;
    if (at) {
        size_t pl = colon && colon > at ? (size_t)(colon - at - 1) : strlen(at + 1);
        if (pl >= sizeof f.prefix) return false;
        memcpy(f.prefix, at + 1, pl);
    }
    if (colon && colon > spec + ml - 1) {
        if (colon[1] == 'x')
            f.count = atoi(colon + 2);
        else
            f.p = atof(colon + 1);
    }
    faults[n_faults++] = f;
    return true;
}

/* The fault for this request, if one fires. Requests run on several threads: the counts and the random
 * sequence are shared, so they are taken under their own lock. */
static pthread_mutex_t fault_lock = PTHREAD_MUTEX_INITIALIZER;

static int pick_fault(const char *url) {
    int picked = -1;
    pthread_mutex_lock(&fault_lock);
    for (int i = 0; i < n_faults && picked < 0; i++) {
        fault_rule *f = &faults[i];
        if (f->prefix[0] && strncmp(url, f->prefix, strlen(f->prefix)) != 0) continue;
        if (f->count > 0) {
            f->count--;
            picked = (int)f->mode;
        } else if (f->count < 0 && rnd() < f->p) {
            picked = (int)f->mode;
        }
    }
    pthread_mutex_unlock(&fault_lock);
    return picked;
}

/* ---- HTTP -------------------------------------------------------------------------------------------------- */

typedef struct {
    char *body;
    size_t len;
    bool too_big;
} request;

static enum MHD_Result reply_buf(struct MHD_Connection *c, unsigned status, const char *type, const void *data,
                                 size_t len, const char *etag) {
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
    if (!r) return MHD_NO;
    if (type) MHD_add_response_header(r, "Content-Type", type);
    if (etag) MHD_add_response_header(r, "ETag", etag);
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result reply_json(struct MHD_Connection *c, unsigned status, cJSON *j) {
    char *s = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    enum MHD_Result r = reply_buf(c, status, "application/json", s ? s : "{}", s ? strlen(s) : 2, NULL);
    free(s);
    return r;
}

static enum MHD_Result reply_error(struct MHD_Connection *c, unsigned status, const char *msg) {
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "error", msg);
    return reply_json(c, status, j);
}

/* Streams a body far over any sane cap, to test the client's limit while streaming. */
static ssize_t huge_reader(void *cls, uint64_t pos, char *buf, size_t max) {
    (void)cls;
    if (pos >= SRV_FAULT_HUGE_BYTES) return MHD_CONTENT_READER_END_OF_STREAM;
    memset(buf, '[', max);
    return (ssize_t)max;
}

/* Sends half the body, then drops the connection (a link that dies mid-body). */
typedef struct {
    char *data;
    size_t len;
} half;

static ssize_t half_reader(void *cls, uint64_t pos, char *buf, size_t max) {
    half *h = cls;
    size_t stop = h->len / 2;
    if (pos >= stop) return MHD_CONTENT_READER_END_WITH_ERROR;
    size_t n = stop - (size_t)pos < max ? stop - (size_t)pos : max;
    memcpy(buf, h->data + pos, n);
    return (ssize_t)n;
}

static void half_free(void *cls) {
    half *h = cls;
    free(h->data);
    free(h);
}

static enum MHD_Result reply_dropped(struct MHD_Connection *c, const char *data, size_t len) {
    half *h = malloc(sizeof *h);
    if (!h) return MHD_NO;
    h->data = malloc(len ? len : 1);
    if (!h->data) {
        free(h);
        return MHD_NO;
    }
    memcpy(h->data, data, len);
    h->len = len;
    struct MHD_Response *r = MHD_create_response_from_callback(len, 1024, half_reader, h, half_free);
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

static sqlite3_int64 auth(struct MHD_Connection *c) {
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (!h || strncmp(h, "Bearer ", 7) != 0) return 0;
    sqlite3_stmt *st = prep("SELECT id FROM patient WHERE token=? AND revoked=0");
    sqlite3_int64 id = 0;
    if (!st) return 0;
    sqlite3_bind_text(st, 1, h + 7, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW) id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return id;
}

/* Opens a module for a patient, and tells the tablet through the changes feed (once). */
static void unlock_module(sqlite3_int64 patient, const char *module) {
    sqlite3_stmt *st = prep("INSERT OR IGNORE INTO unlock(patient, module) VALUES(?,?)");
    if (!st) return;
    sqlite3_bind_int64(st, 1, patient);
    sqlite3_bind_text(st, 2, module, -1, SQLITE_TRANSIENT);
    sqlite3_step(st);
    bool fresh = sqlite3_changes(db) > 0;
    sqlite3_finalize(st);
    if (fresh) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "module", module);
        char *s = cJSON_PrintUnformatted(d);
        add_event(patient, "unlock", s);
        free(s);
        cJSON_Delete(d);
    }
}

static bool is_unlocked(sqlite3_int64 patient, const doc_module *m) {
    if (m->unlocked) return true;
    sqlite3_stmt *st = prep("SELECT 1 FROM unlock WHERE patient=? AND module=?");
    bool yes = false;
    if (!st) return false;
    sqlite3_bind_int64(st, 1, patient);
    sqlite3_bind_text(st, 2, m->id, -1, SQLITE_TRANSIENT);
    yes = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return yes;
}

static cJSON *blob_ref(const blob *b) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "sha256", b->sha);
    cJSON_AddNumberToObject(o, "size", (double)b->size);
    return o;
}

static enum MHD_Result do_manifest(struct MHD_Connection *c, sqlite3_int64 patient, int fault) {
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "format", 1);
    cJSON *p = cJSON_AddObjectToObject(j, "programme");
    cJSON_AddStringToObject(p, "id", prog->id);
    cJSON_AddStringToObject(p, "title", prog->title);
    cJSON_AddItemToObject(p, "content", blob_ref(find_blob_path("programme.json")));
    cJSON *mods = cJSON_AddArrayToObject(j, "modules");
    for (size_t m = 0; m < prog->n_modules; m++) {
        const doc_module *mod = &prog->modules[m];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", mod->id);
        cJSON_AddNumberToObject(o, "number", mod->number);
        cJSON_AddStringToObject(o, "title", mod->title);
        bool open = is_unlocked(patient, mod);
        cJSON_AddBoolToObject(o, "unlocked", open);
        /* a locked module's content is not offered: it arrives when the therapist opens it */
        if (open) {
            cJSON_AddItemToObject(o, "content", blob_ref(find_blob_path(mod->file)));
            cJSON *assets = cJSON_AddArrayToObject(o, "assets");
            for (size_t pg = 0; pg < mod->n_pages; pg++)
                for (size_t b = 0; b < mod->pages[pg].n_blocks; b++) {
                    const doc_block *blk = &mod->pages[pg].blocks[b];
                    const blob *bl = blk->type == DOC_BLOCK_IMAGE ? find_blob_path(blk->src) : NULL;
                    if (!bl) continue;
                    cJSON *a = blob_ref(bl);
                    cJSON_AddStringToObject(a, "path", bl->path);
                    cJSON_AddItemToArray(assets, a);
                }
        }
        cJSON_AddItemToArray(mods, o);
    }
    if (fault == F_BADJSON) cJSON_ReplaceItemInObject(j, "modules", cJSON_CreateString("not an array"));
    char *s = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    if (!s) return MHD_NO;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (unsigned char *)s, strlen(s));
    char etag[70];
    etag[0] = '"';
    hex(h, 16, etag + 1);
    strcat(etag, "\"");
    const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
    enum MHD_Result r;
    if (inm && strcmp(inm, etag) == 0 && fault < 0) {
        r = reply_buf(c, MHD_HTTP_NOT_MODIFIED, NULL, "", 0, etag);
    } else if (fault == F_TRUNCATE) {
        r = reply_buf(c, MHD_HTTP_OK, "application/json", s, strlen(s) / 2, etag);
    } else if (fault == F_DROP) {
        r = reply_dropped(c, s, strlen(s));
    } else {
        r = reply_buf(c, MHD_HTTP_OK, "application/json", s, strlen(s), etag);
    }
    free(s);
    return r;
}

static enum MHD_Result do_blob(struct MHD_Connection *c, const char *sha, int fault) {
    const blob *b = find_blob_sha(sha);
    if (!b) return reply_error(c, MHD_HTTP_NOT_FOUND, "no such blob");
    size_t from = 0;
    const char *range = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Range");
    unsigned long long start = 0;
    if (range && sscanf(range, "bytes=%llu-", &start) == 1 && start < b->size) from = (size_t)start;
    if (fault == F_DROP) return reply_dropped(c, (const char *)b->data + from, b->size - from);
    const unsigned char *data = b->data + from;
    unsigned char *bad = NULL;
    if (fault == F_BADHASH) {
        /* bytes that do not match their name */
        bad = malloc(b->size - from + 1);
        if (!bad) return MHD_NO;
        memcpy(bad, data, b->size - from);
        bad[0] ^= 0x55;
        data = bad;
    }
    struct MHD_Response *r = MHD_create_response_from_buffer(b->size - from, (void *)data, MHD_RESPMEM_MUST_COPY);
    free(bad);
    if (!r) return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "application/octet-stream");
    MHD_add_response_header(r, "Cache-Control", "public, max-age=31536000, immutable");
    MHD_add_response_header(r, "Accept-Ranges", "bytes");
    unsigned status = MHD_HTTP_OK;
    if (from) {
        char cr[96];
        snprintf(cr, sizeof cr, "bytes %zu-%zu/%zu", from, b->size - 1, b->size);
        MHD_add_response_header(r, "Content-Range", cr);
        status = MHD_HTTP_PARTIAL_CONTENT;
    }
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* ---- enrolment ------------------------------------------------------------------------------------------ */

static guard *enrol_guard;

static int64_t mono_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec;
}

static enum MHD_Result reply_retry(struct MHD_Connection *c, unsigned retry_after_s, const char *msg) {
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "error", msg);
    char *s = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    struct MHD_Response *r = MHD_create_response_from_buffer(s ? strlen(s) : 0, s ? s : "", MHD_RESPMEM_MUST_COPY);
    free(s);
    if (!r) return MHD_NO;
    char ra[16];
    snprintf(ra, sizeof ra, "%u", retry_after_s);
    MHD_add_response_header(r, "Content-Type", "application/json");
    MHD_add_response_header(r, "Retry-After", ra);
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_TOO_MANY_REQUESTS, r);
    MHD_destroy_response(r);
    return ret;
}

static void addr_text(struct MHD_Connection *c, char *out, size_t cap) {
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;
    snprintf(out, cap, "?");
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)cap);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)cap);
}

/* The patient whose live code this is, 0 when there is none, -1 when the database could not say. Live: unused,
 * not revoked, not expired, and not exposed to SRV_CODE_MAX_EXPOSURE failed enrolments since it was made. Every
 * reason for "none" gets the same 403. */
static sqlite3_int64 live_code(const char *code, char *name, size_t cap) {
    sqlite3_stmt *st = prep("SELECT id, name FROM patient WHERE code=? AND code_used=0 AND revoked=0"
                            " AND code_expires > CAST(strftime('%s','now') AS INTEGER)"
                            " AND (SELECT n FROM counter WHERE name='enrol_failures') - code_base < ?");
    if (!st) return -1;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, SRV_CODE_MAX_EXPOSURE);
    sqlite3_int64 id = 0;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        id = sqlite3_column_int64(st, 0);
        snprintf(name, cap, "%s", (const char *)sqlite3_column_text(st, 1));
    } else if (rc != SQLITE_DONE) {
        id = -1;
    }
    sqlite3_finalize(st);
    return id;
}

/* Limits first (guard.c, in memory): a locked-out address or a spent budget is refused before the code is even
 * looked at, so a flood never waits on the database and the right code from a locked-out address is refused
 * too. Only then the database, under its lock. */
static enum MHD_Result do_enrol(struct MHD_Connection *c, const request *rq) {
    char code[SRV_CODE_DIGITS + 1];
    const char *why = NULL;
    if (!req_enrol_parse(rq->body, rq->len, code, &why)) return reply_error(c, MHD_HTTP_BAD_REQUEST, why);
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    guard_addr addr;
    guard_addr_from(ci ? ci->client_addr : NULL, &addr);
    unsigned retry = 0;
    guard_verdict v = guard_enrol_begin(enrol_guard, &addr, mono_now(), &retry);
    if (v == GUARD_ADDR_LOCKED) return reply_retry(c, retry, "too many failed enrolments from this address");
    if (v == GUARD_BUSY) return reply_retry(c, retry, "too many failed enrolments; try again later");

    pthread_mutex_lock(&db_lock);
    char name[256] = "", token[65] = "";
    sqlite3_int64 id = live_code(code, name, sizeof name);
    if (id > 0) {
        unsigned char raw[32];
        randombytes_buf(raw, sizeof raw);
        hex(raw, sizeof raw, token);
        sqlite3_stmt *st = prep("UPDATE patient SET code_used=1, code=NULL, token=? WHERE id=?");
        sqlite3_bind_text(st, 1, token, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, id);
        if (sqlite3_step(st) != SQLITE_DONE) id = -1;
        sqlite3_finalize(st);
    } else if (id == 0) {
        /* every live code has now been exposed to one more guess */
        if (sqlite3_exec(db, "UPDATE counter SET n=n+1 WHERE name='enrol_failures'", NULL, NULL, NULL) != SQLITE_OK)
            fprintf(stderr, "meistring-server: a failed enrolment was not counted: %s\n", sqlite3_errmsg(db));
    }
    pthread_mutex_unlock(&db_lock);
    /* a database that could not answer is not a wrong guess: the attempt is given back */
    if (guard_enrol_end(enrol_guard, &addr, id == 0, mono_now())) {
        char who[INET6_ADDRSTRLEN];
        addr_text(c, who, sizeof who);
        fprintf(stderr, "meistring-server: %d failed enrolments from %s: locked out for %d s\n", SRV_ENROL_ADDR_FAILS,
                who, SRV_ENROL_ADDR_LOCKOUT_S);
    }
    if (id < 0) return reply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "the database is busy; try again");
    if (id == 0) return reply_error(c, MHD_HTTP_FORBIDDEN, "unknown, used or expired enrolment code");

    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "device_token", token);
    cJSON *p = cJSON_AddObjectToObject(r, "patient");
    cJSON_AddStringToObject(p, "name", name);
    cJSON *cl = cJSON_AddObjectToObject(r, "clinic");
    cJSON_AddStringToObject(cl, "name", prog->clinic_name ? prog->clinic_name : "");
    cJSON_AddStringToObject(cl, "phone", prog->clinic_phone ? prog->clinic_phone : "");
    cJSON_AddStringToObject(cl, "hours", prog->clinic_hours ? prog->clinic_hours : "");
    cJSON *pr = cJSON_AddObjectToObject(r, "programme");
    cJSON_AddStringToObject(pr, "id", prog->id);
    cJSON_AddStringToObject(pr, "title", prog->title);
    return reply_json(c, MHD_HTTP_OK, r);
}

/* ---- the changes feed and what the patient writes ------------------------------------------------------- */

static enum MHD_Result do_changes(struct MHD_Connection *c, sqlite3_int64 patient, int fault) {
    const char *since_s = NULL;
    size_t since_len = 0;
    bool present = MHD_lookup_connection_value_n(c, MHD_GET_ARGUMENT_KIND, "since", 5, &since_s, &since_len) == MHD_YES;
    int64_t since = 0;
    /* "?since" with no value is as wrong as "?since=": only a missing argument means "from the start" */
    if ((present && !since_s) || (since_s && strlen(since_s) != since_len) ||
        !req_parse_since(present ? since_s : NULL, &since))
        return reply_error(c, MHD_HTTP_BAD_REQUEST, "since must be an integer from 0 to 9007199254740992");
    sqlite3_stmt *st =
        prep("SELECT seq, type, data FROM event WHERE patient=? AND seq>? AND seq<=? ORDER BY seq LIMIT ?");
    if (!st) return reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "database");
    sqlite3_bind_int64(st, 1, patient);
    sqlite3_bind_int64(st, 2, since);
    sqlite3_bind_int64(st, 3, MS_JSON_MAX_ID);
    sqlite3_bind_int(st, 4, SRV_CHANGES_PAGE);
    cJSON *j = cJSON_CreateObject();
    cJSON *items = cJSON_AddArrayToObject(j, "items");
    sqlite3_int64 next = since;
    while (sqlite3_step(st) == SQLITE_ROW) {
        cJSON *it = cJSON_Parse((const char *)sqlite3_column_text(st, 2));
        if (!it) it = cJSON_CreateObject();
        next = sqlite3_column_int64(st, 0);
        /* a message's id was written exactly (add_int) and read back as a double, exact up to 2^53 */
        cJSON *idn = cJSON_GetObjectItemCaseSensitive(it, "id");
        if (cJSON_IsNumber(idn)) {
            sqlite3_int64 idv = (sqlite3_int64)idn->valuedouble;
            cJSON_DeleteItemFromObjectCaseSensitive(it, "id");
            add_int(it, "id", idv);
        }
        add_int(it, "seq", next);
        cJSON_AddStringToObject(it, "type", (const char *)sqlite3_column_text(st, 1));
        cJSON_AddItemToArray(items, it);
    }
    sqlite3_finalize(st);
    add_int(j, "next", next);
    if (fault == F_BADJSON) cJSON_ReplaceItemInObject(j, "next", cJSON_CreateString("soon"));
    return reply_json(c, MHD_HTTP_OK, j);
}

/* PUT of something the patient wrote, by the id their tablet made: 201 the first time, 200 for the same body
 * again (a retry whose answer was lost), 422 for another body under the same id. Every check on the bytes
 * (req_put_parse) comes before anything is stored. */
static enum MHD_Result do_put(struct MHD_Connection *c, sqlite3_int64 patient, bool message, const char *client_id,
                              const request *rq, int fault) {
    if (!req_client_id_ok(client_id)) return reply_error(c, MHD_HTTP_BAD_REQUEST, "bad id");
    req_put in;
    const char *why = NULL;
    if (!req_put_parse(&in, message, rq->body, rq->len, &why)) return reply_error(c, MHD_HTTP_BAD_REQUEST, why);
    sqlite3_stmt *st = message ? prep("SELECT body, written_at FROM message WHERE patient=? AND client_id=?")
                               : prep("SELECT body, '' FROM answer WHERE patient=? AND client_id=?");
    sqlite3_bind_int64(st, 1, patient);
    sqlite3_bind_text(st, 2, client_id, -1, SQLITE_TRANSIENT);
    int status;
    if (sqlite3_step(st) == SQLITE_ROW) {
        bool same = message ? strcmp((const char *)sqlite3_column_text(st, 0), in.body) == 0 &&
                                  strcmp((const char *)sqlite3_column_text(st, 1), in.written_at) == 0
                            : strcmp((const char *)sqlite3_column_text(st, 0), in.canon) == 0;
        status = same ? MHD_HTTP_OK : MHD_HTTP_UNPROCESSABLE_CONTENT;
        sqlite3_finalize(st);
    } else {
        sqlite3_finalize(st);
        sqlite3_stmt *ins = message ? prep("INSERT INTO message(patient, client_id, from_patient, body, written_at)"
                                           " VALUES(?,?,1,?,?)")
                                    : prep("INSERT INTO answer(patient, client_id, body) VALUES(?,?,?)");
        sqlite3_bind_int64(ins, 1, patient);
        sqlite3_bind_text(ins, 2, client_id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 3, message ? in.body : in.canon, -1, SQLITE_TRANSIENT);
        if (message) sqlite3_bind_text(ins, 4, in.written_at, -1, SQLITE_TRANSIENT);
        status = sqlite3_step(ins) == SQLITE_DONE ? MHD_HTTP_CREATED : MHD_HTTP_INTERNAL_SERVER_ERROR;
        sqlite3_finalize(ins);
        /* a module that opens after this questionnaire opens now, for this patient */
        for (size_t m = 0; in.block && status == MHD_HTTP_CREATED && prog && m < prog->n_modules; m++)
            if (doc_module_gate(prog, &prog->modules[m]) && strcmp(prog->modules[m].opens_after, in.block) == 0)
                unlock_module(patient, prog->modules[m].id);
    }
    req_put_deinit(&in);
    if (fault == F_DROP_AFTER) return MHD_NO; /* stored, but the answer never reaches the tablet */
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "id", client_id);
    cJSON_AddStringToObject(r, "result",
                            status == MHD_HTTP_CREATED ? "created"
                            : status == MHD_HTTP_OK    ? "replay"
                                                       : "conflict");
    return reply_json(c, (unsigned)status, r);
}

/* ---- dispatch -------------------------------------------------------------------------------------------- */

static bool have_min_version;
static req_version min_version;
static char min_version_text[32];

/* 426 for a client older than --min-client-version, or one that does not say its version. */
static enum MHD_Result reply_update(struct MHD_Connection *c) {
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "error", "update required");
    cJSON_AddStringToObject(j, "min_version", min_version_text);
    char *s = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    struct MHD_Response *r = MHD_create_response_from_buffer(s ? strlen(s) : 0, s ? s : "", MHD_RESPMEM_MUST_COPY);
    free(s);
    if (!r) return MHD_NO;
    char up[48];
    snprintf(up, sizeof up, "Meistring/%s", min_version_text); /* RFC 9110: a 426 names what to upgrade to */
    MHD_add_response_header(r, "Content-Type", "application/json");
    MHD_add_response_header(r, "Upgrade", up);
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_UPGRADE_REQUIRED, r);
    MHD_destroy_response(r);
    return ret;
}

static bool client_too_old(struct MHD_Connection *c) {
    if (!have_min_version) return false;
    req_version v;
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Meistring-Version");
    return !req_version_parse(h, &v) || req_version_cmp(&v, &min_version) < 0;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *upload, size_t *upload_size, void **con_cls) {
    (void)cls;
    (void)version;
    request *rq = *con_cls;
    if (!rq) {
        rq = calloc(1, sizeof *rq);
        if (!rq) return MHD_NO;
        *con_cls = rq;
        return MHD_YES;
    }
    if (*upload_size) {
        if (rq->len + *upload_size > SRV_MAX_BODY) {
            rq->too_big = true;
        } else {
            char *n = realloc(rq->body, rq->len + *upload_size + 1);
            if (!n) return MHD_NO;
            rq->body = n;
            memcpy(rq->body + rq->len, upload, *upload_size);
            rq->len += *upload_size;
            rq->body[rq->len] = '\0';
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (client_too_old(c)) return reply_update(c);
    if (rq->too_big) return reply_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "body too large");

    int fault = pick_fault(url);
    if (fault == F_DROP && strcmp(method, "PUT") == 0) return MHD_NO; /* dropped before it was stored */
    if (fault == F_500) return reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "injected fault");
    if (fault == F_429) {
        struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        MHD_add_response_header(r, "Retry-After", "1");
        enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_TOO_MANY_REQUESTS, r);
        MHD_destroy_response(r);
        return ret;
    }
    if (fault == F_STALL) sleep(SRV_FAULT_STALL_S); /* holds one of the pool's SRV_THREADS threads: a test fault only */
    if (fault == F_HUGE) {
        struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 65536, huge_reader, NULL, NULL);
        enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
        MHD_destroy_response(r);
        return ret;
    }

    const char *arg = NULL;
    req_route route = req_route_of(method, url, &arg);
    if (route == REQ_NOT_FOUND) return reply_error(c, MHD_HTTP_NOT_FOUND, "no such endpoint");
    if (route == REQ_ENROL) return do_enrol(c, rq); /* takes the database lock itself, after the limits */

    pthread_mutex_lock(&db_lock);
    enum MHD_Result ret;
    sqlite3_int64 patient = auth(c);
    if (!patient)
        ret = reply_error(c, MHD_HTTP_UNAUTHORIZED, "unknown or revoked device");
    else if (route == REQ_MANIFEST)
        ret = do_manifest(c, patient, fault);
    else if (route == REQ_BLOB)
        ret = do_blob(c, arg, fault);
    else if (route == REQ_CHANGES)
        ret = do_changes(c, patient, fault);
    else
        ret = do_put(c, patient, route == REQ_PUT_MESSAGE, arg, rq, fault);
    pthread_mutex_unlock(&db_lock);
    return ret;
}

static void request_done(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode t) {
    (void)cls;
    (void)c;
    (void)t;
    request *rq = *con_cls;
    if (rq) {
        free(rq->body);
        free(rq);
    }
    *con_cls = NULL;
}

/* MHD's unescaper, but %00 stays as it is (req_unescape). */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s) {
    (void)cls;
    (void)c;
    return req_unescape(s);
}

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    if (b) b[n] = '\0';
    fclose(f);
    return b;
}

static volatile sig_atomic_t stop;
static void on_signal(int sig) {
    (void)sig;
    stop = 1;
}

/* MHD's error log, but a flood cannot fill the disk with it: one line per connection turned away would be a
 * thousand lines a second. The same message again within SRV_LOG_QUIET_S is counted, and the count is said with
 * the next line that gets through. */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static void mhd_log(void *cls, const char *fmt, va_list ap) {
    static const char *last_fmt;
    static int64_t last_at;
    static unsigned long quiet;
    (void)cls;
    int64_t now = mono_now();
    pthread_mutex_lock(&log_lock);
    if (fmt == last_fmt && now - last_at < SRV_LOG_QUIET_S) {
        quiet++;
    } else {
        if (quiet) fprintf(stderr, "meistring-server: (%lu more like the last)\n", quiet);
        quiet = 0;
        last_fmt = fmt;
        last_at = now;
        fputs("meistring-server: ", stderr);
        vfprintf(stderr, fmt, ap);
    }
    pthread_mutex_unlock(&log_lock);
}

/* Room for every connection MHD may hold: the soft descriptor limit is often 1024, under SRV_MAX_CONNECTIONS.
 * Raised towards the hard limit; when that is lower still, fewer connections are allowed, said once. */
static unsigned fd_budget(void) {
    unsigned conns = SRV_MAX_CONNECTIONS;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return conns;
    rlim_t need = (rlim_t)SRV_MAX_CONNECTIONS + SRV_FD_SLACK;
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need ? need : rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0 || getrlimit(RLIMIT_NOFILE, &rl) != 0) rl.rlim_cur = 1024;
    }
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
        conns = rl.rlim_cur > 2 * SRV_FD_SLACK ? (unsigned)(rl.rlim_cur - SRV_FD_SLACK) : (unsigned)rl.rlim_cur / 2;
        fprintf(stderr, "meistring-server: only %llu file descriptors: at most %u connections\n",
                (unsigned long long)rl.rlim_cur, conns);
    }
    return conns;
}

static int serve(int argc, char **argv) {
    const char *dbp = NULL, *content = NULL, *cert = NULL, *key = NULL, *bind_addr = "127.0.0.1";
    int port = 8470;
    for (int i = 0; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) break;
        if (strcmp(argv[i], "--db") == 0)
            dbp = v, i++;
        else if (strcmp(argv[i], "--content") == 0)
            content = v, i++;
        else if (strcmp(argv[i], "--port") == 0)
            port = atoi(v), i++;
        else if (strcmp(argv[i], "--bind") == 0)
            bind_addr = v, i++;
        else if (strcmp(argv[i], "--cert") == 0)
            cert = v, i++;
        else if (strcmp(argv[i], "--key") == 0)
            key = v, i++;
        else if (strcmp(argv[i], "--seed") == 0)
            rng_state = (unsigned)atoi(v), i++;
        else if (strcmp(argv[i], "--min-client-version") == 0) {
            if (!req_version_parse(v, &min_version)) {
                fprintf(stderr, "meistring-server: --min-client-version wants X.Y.Z, not %s\n", v);
                return 2;
            }
            snprintf(min_version_text, sizeof min_version_text, "%u.%u.%u", min_version.part[0], min_version.part[1],
                     min_version.part[2]);
            have_min_version = true;
            i++;
        } else if (strcmp(argv[i], "--fault") == 0) {
            if (!parse_fault(v)) {
                fprintf(stderr, "meistring-server: bad --fault %s\n", v);
                return 2;
            }
            i++;
        }
    }
    if (!dbp || !content) {
        fprintf(stderr, "meistring-server serve: --db FILE and --content DIR are required\n");
        return 2;
    }
    if (!db_open(dbp) || !load_content(content)) return 1;
    enrol_guard = guard_new();
    if (!enrol_guard) {
        fprintf(stderr, "meistring-server: out of memory\n");
        return 1;
    }
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, bind_addr, &addr.sin_addr) != 1) {
        fprintf(stderr, "meistring-server: bad --bind %s\n", bind_addr);
        return 2;
    }
    char *cert_pem = cert ? slurp(cert) : NULL, *key_pem = key ? slurp(key) : NULL;
    if ((cert && !cert_pem) || (key && !key_pem) || (!cert != !key)) {
        fprintf(stderr, "meistring-server: TLS needs both --cert and --key, readable\n");
        return 2;
    }
    /* A few threads each running epoll over many connections, not a thread per connection: idle connections
     * cost a little memory, not a thread, so a thousand of them cannot starve real requests (issue 9). */
    unsigned conns = fd_budget();
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG;
    if (cert_pem) flags |= MHD_USE_TLS;
    struct MHD_OptionItem limits[] = {
        {MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_log, NULL}, /* first, or MHD logs the rest its own way */
        {MHD_OPTION_THREAD_POOL_SIZE, SRV_THREADS, NULL},
        {MHD_OPTION_CONNECTION_LIMIT, (intptr_t)conns, NULL},
        {MHD_OPTION_PER_IP_CONNECTION_LIMIT, SRV_MAX_CONNECTIONS_PER_ADDR, NULL},
        {MHD_OPTION_CONNECTION_TIMEOUT, SRV_IDLE_TIMEOUT_S, NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    struct MHD_Daemon *d =
        cert_pem
            ? MHD_start_daemon(flags, 0, NULL, NULL, handle, NULL, MHD_OPTION_ARRAY, limits, MHD_OPTION_SOCK_ADDR,
                               &addr, MHD_OPTION_NOTIFY_COMPLETED, request_done, NULL, MHD_OPTION_UNESCAPE_CALLBACK,
                               unescape, NULL, MHD_OPTION_HTTPS_MEM_CERT, cert_pem, MHD_OPTION_HTTPS_MEM_KEY, key_pem,
                               MHD_OPTION_HTTPS_PRIORITIES, "NORMAL:-VERS-TLS1.1:-VERS-TLS1.0", MHD_OPTION_END)
            : MHD_start_daemon(flags, 0, NULL, NULL, handle, NULL, MHD_OPTION_ARRAY, limits, MHD_OPTION_SOCK_ADDR,
                               &addr, MHD_OPTION_NOTIFY_COMPLETED, request_done, NULL, MHD_OPTION_UNESCAPE_CALLBACK,
                               unescape, NULL, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "meistring-server: cannot listen on %s:%d\n", bind_addr, port);
        return 1;
    }
    fprintf(stderr, "meistring-server: serving %s (%zu files) on %s://%s:%d\n", prog->title, n_blobs,
            cert_pem ? "https" : "http", bind_addr, port);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    while (!stop)
        pause();
    MHD_stop_daemon(d);
    guard_free(enrol_guard);
    sqlite3_close(db);
    free(cert_pem);
    free(key_pem);
    return 0;
}

/* ---- admin: what a clinician does ------------------------------------------------------------------------ */

static sqlite3_int64 patient_id(const char *s) {
    /* by number or by name */
    sqlite3_stmt *st = prep("SELECT id FROM patient WHERE id=? OR name=?");
    sqlite3_int64 id = 0;
    sqlite3_bind_int64(st, 1, atoll(s));
    sqlite3_bind_text(st, 2, s, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW) id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (!id) fprintf(stderr, "meistring-server: no patient %s\n", s);
    return id;
}

/* A fresh enrolment code for patient (0: a new patient called name): 8 digits from libsodium's uniform source,
 * valid for days days and from the current failure count on (code_base). Retried on the rare clash with a
 * live code. Prints it 4-4, as the tests and clinicians read it. */
static int issue_code(sqlite3_int64 patient, const char *name, int days) {
    char code[SRV_CODE_DIGITS + 1];
    for (int attempt = 0; attempt < 5; attempt++) {
        for (int k = 0; k < SRV_CODE_DIGITS; k++)
            code[k] = (char)('0' + randombytes_uniform(10));
        code[SRV_CODE_DIGITS] = '\0';
        sqlite3_stmt *st = patient ? prep("UPDATE patient SET code=?1, code_used=0, revoked=0,"
                                          " code_expires=CAST(strftime('%s','now') AS INTEGER)+?2,"
                                          " code_base=(SELECT n FROM counter WHERE name='enrol_failures') WHERE id=?3")
                                   : prep("INSERT INTO patient(code, code_expires, code_base, name)"
                                          " VALUES(?1, CAST(strftime('%s','now') AS INTEGER)+?2,"
                                          " (SELECT n FROM counter WHERE name='enrol_failures'), ?3)");
        if (!st) return 1;
        sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)days * 86400);
        if (patient)
            sqlite3_bind_int64(st, 3, patient);
        else
            sqlite3_bind_text(st, 3, name, -1, SQLITE_TRANSIENT);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc == SQLITE_DONE) {
            sqlite3_int64 id = patient ? patient : sqlite3_last_insert_rowid(db);
            printf("patient %lld %s: enrolment code %.4s %.4s\n", (long long)id, name, code, code + 4);
            printf("valid for %d days, until it is used\n", days);
            return 0;
        }
        if (rc != SQLITE_CONSTRAINT) break;
    }
    fprintf(stderr, "meistring-server: could not store a code: %s\n", sqlite3_errmsg(db));
    return 1;
}

/* A therapist's reply, stored whole or not at all: the text is checked (UTF-8, at most SRV_MAX_REPLY bytes,
 * which the client accepts) and the message and its event are one transaction. */
static int post_reply(sqlite3_int64 p, const char *text) {
    size_t len = strlen(text);
    if (len == 0 || len > SRV_MAX_REPLY || !utf8_valid(text, len)) {
        fprintf(stderr, "meistring-server: a reply is 1 to %d bytes of UTF-8 text; nothing was posted\n",
                SRV_MAX_REPLY);
        return 2;
    }
    char when[32];
    time_t now = time(NULL);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    sqlite3_stmt *st = prep("INSERT INTO message(patient, from_patient, body, written_at) VALUES(?,0,?,?)");
    sqlite3_bind_int64(st, 1, p);
    sqlite3_bind_text(st, 2, text, (int)len, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, when, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    cJSON *d = cJSON_CreateObject();
    add_int(d, "id", sqlite3_last_insert_rowid(db));
    cJSON_AddStringToObject(d, "body", text);
    cJSON_AddStringToObject(d, "written_at", when);
    char *s = cJSON_PrintUnformatted(d);
    cJSON_Delete(d);
    if (rc == SQLITE_DONE && s) add_event(p, "message", s);
    free(s);
    if (rc != SQLITE_DONE || sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        fprintf(stderr, "meistring-server: the reply was not stored: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    printf("reply posted to patient %lld\n", (long long)p);
    return 0;
}

static int admin(int argc, char **argv) {
    const char *dbp = NULL;
    int i = 0, days = SRV_CODE_DAYS;
    if (argc >= 2 && strcmp(argv[0], "--db") == 0) {
        dbp = argv[1];
        i = 2;
    }
    if (i + 1 < argc && strcmp(argv[i], "--code-days") == 0) {
        char *end = NULL;
        long v = strtol(argv[i + 1], &end, 10);
        if (!*argv[i + 1] || *end || v < 1 || v > SRV_CODE_MAX_DAYS) {
            fprintf(stderr, "meistring-server: --code-days wants 1 to %d\n", SRV_CODE_MAX_DAYS);
            return 2;
        }
        days = (int)v;
        i += 2;
    }
    if (!dbp || i >= argc) {
        fprintf(stderr, "meistring-server admin --db FILE [--code-days N] COMMAND ...\n");
        return 2;
    }
    if (!db_open(dbp)) return 1;
    const char *cmd = argv[i++];
    int left = argc - i;
    char **a = argv + i;
    if (strcmp(cmd, "create-patient") == 0 && left == 1) return issue_code(0, a[0], days);
    sqlite3_int64 p = left >= 1 ? patient_id(a[0]) : 0;
    if (!p) return 1;
    if (strcmp(cmd, "new-code") == 0 && left == 1) return issue_code(p, a[0], days);
    if (strcmp(cmd, "unlock") == 0 && left == 2) {
        unlock_module(p, a[1]);
        printf("module %s is open for patient %lld\n", a[1], (long long)p);
        return 0;
    }
    if (strcmp(cmd, "reply") == 0 && left == 2) return post_reply(p, a[1]);
    if (strcmp(cmd, "messages") == 0 && left == 1) {
        /* listing them is the therapist reading them: the patient's tablet gets a read receipt */
        sqlite3_stmt *st = prep("SELECT id, client_id, from_patient, written_at, body, read_at FROM message"
                                " WHERE patient=? ORDER BY id");
        sqlite3_bind_int64(st, 1, p);
        while (sqlite3_step(st) == SQLITE_ROW) {
            bool mine = sqlite3_column_int(st, 2);
            printf("%s %s %s\n", (const char *)sqlite3_column_text(st, 3),
                   mine ? "patient:" : "therapist:", (const char *)sqlite3_column_text(st, 4));
            if (mine && sqlite3_column_type(st, 5) == SQLITE_NULL) {
                cJSON *d = cJSON_CreateObject();
                cJSON_AddStringToObject(d, "client_id", (const char *)sqlite3_column_text(st, 1));
                char *s = cJSON_PrintUnformatted(d);
                add_event(p, "read", s);
                free(s);
                cJSON_Delete(d);
            }
        }
        sqlite3_finalize(st);
        st = prep(
            "UPDATE message SET read_at=strftime('%s','now') WHERE patient=? AND from_patient=1 AND read_at IS NULL");
        sqlite3_bind_int64(st, 1, p);
        sqlite3_step(st);
        sqlite3_finalize(st);
        return 0;
    }
    if (strcmp(cmd, "answers") == 0 && left == 1) {
        sqlite3_stmt *st = prep("SELECT client_id, body FROM answer WHERE patient=? ORDER BY id");
        sqlite3_bind_int64(st, 1, p);
        while (sqlite3_step(st) == SQLITE_ROW)
            printf("%s %s\n", (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1));
        sqlite3_finalize(st);
        return 0;
    }
    if (strcmp(cmd, "revoke") == 0 && left == 1) {
        sqlite3_stmt *st = prep("UPDATE patient SET revoked=1, token=NULL WHERE id=?");
        sqlite3_bind_int64(st, 1, p);
        sqlite3_step(st);
        sqlite3_finalize(st);
        printf("patient %lld's device is revoked\n", (long long)p);
        return 0;
    }
    fprintf(stderr, "meistring-server admin: unknown command or arguments: %s\n", cmd);
    return 2;
}

int main(int argc, char **argv) {
    if (sodium_init() < 0) {
        fprintf(stderr, "meistring-server: libsodium failed to start\n");
        return 1;
    }
    if (argc >= 2 && strcmp(argv[1], "serve") == 0) return serve(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "admin") == 0) return admin(argc - 2, argv + 2);
    fprintf(stderr,
            "usage:\n"
            "  meistring-server serve --db FILE --content DIR [--port N] [--bind ADDR] [--cert PEM --key PEM]\n"
            "                         [--min-client-version X.Y.Z] [--fault MODE[@PREFIX][:P|:xN]]... [--seed N]\n"
            "      MODE: drop drop-after 500 429 stall truncate badjson badhash huge\n"
            "  meistring-server admin --db FILE [--code-days N] create-patient NAME | new-code PATIENT\n"
            "                         | unlock PATIENT MODULE | reply PATIENT TEXT | messages PATIENT\n"
            "                         | answers PATIENT | revoke PATIENT\n");
    return 2;
}
