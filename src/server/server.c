/* server.c — the reference sync server, build/meistring-server (docs/sync-protocol.md).
 * One process, libmicrohttpd + SQLite: serves a programme from a content directory (the demo works as-is),
 * enrols devices with one-time codes, keeps per-patient unlocks, messages both ways, answers, and a changes
 * feed. Meant for pilots and tests; a clinic at scale would put the same API behind a load balancer on
 * PostgreSQL (DESIGN §4). It can inject faults (--fault) so the client's sync can be tested against them.
 *
 *   meistring-server serve --db FILE --content DIR [--port N] [--bind ADDR] [--cert PEM --key PEM]
 *                          [--fault MODE[@PREFIX][:P]]... [--seed N]
 *   meistring-server admin --db FILE create-patient NAME | unlock PATIENT MODULE | reply PATIENT TEXT
 *                          | messages PATIENT | answers PATIENT | revoke PATIENT
 */
#include <cjson/cJSON.h>
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
#include <sys/stat.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include "meistring/config.h"
#include "meistring/doc.h"

#define MAX_BODY     (64 * 1024) /* a request body: a message or an answer */
#define MAX_MESSAGE  16384       /* bytes of a patient's message */
#define CHANGES_PAGE 100

/* ---- the database ---------------------------------------------------------------------------------------- */

static sqlite3 *db;
static pthread_mutex_t db_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *SCHEMA =
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
    "CREATE TABLE IF NOT EXISTS patient(id INTEGER PRIMARY KEY, name TEXT NOT NULL, code TEXT UNIQUE,"
    "  code_used INTEGER NOT NULL DEFAULT 0, token TEXT UNIQUE, revoked INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS unlock(patient INTEGER NOT NULL, module TEXT NOT NULL, PRIMARY KEY(patient, module));"
    /* messages both ways; a patient's carry the id their tablet made, unique for ever */
    "CREATE TABLE IF NOT EXISTS message(id INTEGER PRIMARY KEY, patient INTEGER NOT NULL, client_id TEXT,"
    "  from_patient INTEGER NOT NULL, body TEXT NOT NULL, written_at TEXT NOT NULL, read_at INTEGER,"
    "  UNIQUE(patient, client_id));"
    "CREATE TABLE IF NOT EXISTS answer(id INTEGER PRIMARY KEY, patient INTEGER NOT NULL, client_id TEXT NOT NULL,"
    "  body TEXT NOT NULL, UNIQUE(patient, client_id));"
    /* the changes feed: what a device has not seen yet, in order */
    "CREATE TABLE IF NOT EXISTS event(seq INTEGER PRIMARY KEY AUTOINCREMENT, patient INTEGER NOT NULL,"
    "  type TEXT NOT NULL, data TEXT NOT NULL);";

static bool db_open(const char *path) {
    if (sqlite3_open(path, &db) != SQLITE_OK) {
        fprintf(stderr, "meistring-server: cannot open %s: %s\n", path, sqlite3_errmsg(db));
        return false;
    }
    sqlite3_busy_timeout(db, 5000);
    char *err = NULL;
    if (sqlite3_exec(db, SCHEMA, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "meistring-server: %s\n", err);
        sqlite3_free(err);
        return false;
    }
    return true;
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

static fault_rule faults[16];
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

/* The fault for this request, if one fires. */
static int pick_fault(const char *url) {
    for (int i = 0; i < n_faults; i++) {
        fault_rule *f = &faults[i];
        if (f->prefix[0] && strncmp(url, f->prefix, strlen(f->prefix)) != 0) continue;
        if (f->count > 0) {
            f->count--;
            return (int)f->mode;
        }
        if (f->count < 0 && rnd() < f->p) return (int)f->mode;
    }
    return -1;
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
    if (pos >= 64ull * 1024 * 1024) return MHD_CONTENT_READER_END_OF_STREAM;
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

static enum MHD_Result do_enrol(struct MHD_Connection *c, const request *rq) {
    cJSON *j = cJSON_ParseWithLength(rq->body ? rq->body : "", rq->len);
    const char *code = cJSON_GetStringValue(cJSON_GetObjectItem(j, "code"));
    if (!code) {
        cJSON_Delete(j);
        return reply_error(c, MHD_HTTP_BAD_REQUEST, "expected {\"code\": \"...\"}");
    }
    sqlite3_stmt *st = prep("SELECT id, name FROM patient WHERE code=? AND code_used=0 AND revoked=0");
    sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
    sqlite3_int64 id = 0;
    char name[256] = "";
    if (sqlite3_step(st) == SQLITE_ROW) {
        id = sqlite3_column_int64(st, 0);
        snprintf(name, sizeof name, "%s", (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    cJSON_Delete(j);
    if (!id) return reply_error(c, MHD_HTTP_FORBIDDEN, "unknown or used enrolment code");
    unsigned char raw[32];
    char token[65];
    randombytes_buf(raw, sizeof raw);
    hex(raw, sizeof raw, token);
    st = prep("UPDATE patient SET code_used=1, token=? WHERE id=?");
    sqlite3_bind_text(st, 1, token, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, id);
    sqlite3_step(st);
    sqlite3_finalize(st);
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

static enum MHD_Result do_changes(struct MHD_Connection *c, sqlite3_int64 patient, int fault) {
    const char *since_s = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since");
    long long since = since_s ? atoll(since_s) : 0;
    sqlite3_stmt *st = prep("SELECT seq, type, data FROM event WHERE patient=? AND seq>? ORDER BY seq LIMIT ?");
    sqlite3_bind_int64(st, 1, patient);
    sqlite3_bind_int64(st, 2, since);
    sqlite3_bind_int(st, 3, CHANGES_PAGE);
    cJSON *j = cJSON_CreateObject();
    cJSON *items = cJSON_AddArrayToObject(j, "items");
    long long next = since;
    while (sqlite3_step(st) == SQLITE_ROW) {
        cJSON *it = cJSON_Parse((const char *)sqlite3_column_text(st, 2));
        if (!it) it = cJSON_CreateObject();
        next = sqlite3_column_int64(st, 0);
        cJSON_AddNumberToObject(it, "seq", (double)next);
        cJSON_AddStringToObject(it, "type", (const char *)sqlite3_column_text(st, 1));
        cJSON_AddItemToArray(items, it);
    }
    sqlite3_finalize(st);
    cJSON_AddNumberToObject(j, "next", (double)next);
    if (fault == F_BADJSON) cJSON_ReplaceItemInObject(j, "next", cJSON_CreateString("soon"));
    return reply_json(c, MHD_HTTP_OK, j);
}

/* PUT of something the patient wrote, by the id their tablet made: 201 the first time, 200 for the same body
 * again (a retry whose answer was lost), 422 for another body under the same id. */
static enum MHD_Result do_put(struct MHD_Connection *c, sqlite3_int64 patient, bool message, const char *client_id,
                              const request *rq, int fault) {
    if (strlen(client_id) < 8 || strlen(client_id) > 64) return reply_error(c, MHD_HTTP_BAD_REQUEST, "bad id");
    cJSON *j = cJSON_ParseWithLength(rq->body ? rq->body : "", rq->len);
    if (!cJSON_IsObject(j)) {
        cJSON_Delete(j);
        return reply_error(c, MHD_HTTP_BAD_REQUEST, "expected a JSON object");
    }
    char *canon = NULL;
    const char *body = NULL, *written = NULL;
    if (message) {
        body = cJSON_GetStringValue(cJSON_GetObjectItem(j, "body"));
        written = cJSON_GetStringValue(cJSON_GetObjectItem(j, "written_at"));
        if (!body || !written || strlen(body) > MAX_MESSAGE) {
            cJSON_Delete(j);
            return reply_error(c, MHD_HTTP_BAD_REQUEST, "expected {\"body\": text, \"written_at\": text}");
        }
    } else {
        if (!cJSON_IsString(cJSON_GetObjectItem(j, "block")) || !cJSON_IsObject(cJSON_GetObjectItem(j, "fields"))) {
            cJSON_Delete(j);
            return reply_error(c, MHD_HTTP_BAD_REQUEST, "expected {\"block\": id, \"fields\": {...}}");
        }
        canon = cJSON_PrintUnformatted(j);
    }
    sqlite3_stmt *st = message ? prep("SELECT body, written_at FROM message WHERE patient=? AND client_id=?")
                               : prep("SELECT body, '' FROM answer WHERE patient=? AND client_id=?");
    sqlite3_bind_int64(st, 1, patient);
    sqlite3_bind_text(st, 2, client_id, -1, SQLITE_TRANSIENT);
    int status;
    if (sqlite3_step(st) == SQLITE_ROW) {
        bool same = message ? strcmp((const char *)sqlite3_column_text(st, 0), body) == 0 &&
                                  strcmp((const char *)sqlite3_column_text(st, 1), written) == 0
                            : strcmp((const char *)sqlite3_column_text(st, 0), canon) == 0;
        status = same ? MHD_HTTP_OK : MHD_HTTP_UNPROCESSABLE_CONTENT;
        sqlite3_finalize(st);
    } else {
        sqlite3_finalize(st);
        sqlite3_stmt *in = message ? prep("INSERT INTO message(patient, client_id, from_patient, body, written_at)"
                                          " VALUES(?,?,1,?,?)")
                                   : prep("INSERT INTO answer(patient, client_id, body) VALUES(?,?,?)");
        sqlite3_bind_int64(in, 1, patient);
        sqlite3_bind_text(in, 2, client_id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(in, 3, message ? body : canon, -1, SQLITE_TRANSIENT);
        if (message) sqlite3_bind_text(in, 4, written, -1, SQLITE_TRANSIENT);
        status = sqlite3_step(in) == SQLITE_DONE ? MHD_HTTP_CREATED : MHD_HTTP_INTERNAL_SERVER_ERROR;
        sqlite3_finalize(in);
        /* a module that opens after this questionnaire opens now, for this patient */
        const char *block = message ? NULL : cJSON_GetStringValue(cJSON_GetObjectItem(j, "block"));
        for (size_t m = 0; block && status == MHD_HTTP_CREATED && prog && m < prog->n_modules; m++)
            if (doc_module_gate(prog, &prog->modules[m]) && strcmp(prog->modules[m].opens_after, block) == 0)
                unlock_module(patient, prog->modules[m].id);
    }
    cJSON_Delete(j);
    free(canon);
    if (fault == F_DROP_AFTER) return MHD_NO; /* stored, but the answer never reaches the tablet */
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "id", client_id);
    cJSON_AddStringToObject(r, "result",
                            status == MHD_HTTP_CREATED ? "created"
                            : status == MHD_HTTP_OK    ? "replay"
                                                       : "conflict");
    return reply_json(c, (unsigned)status, r);
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
        if (rq->len + *upload_size > MAX_BODY) {
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
    if (fault == F_STALL) sleep(3); /* thread per connection: stalls only this request */
    if (fault == F_HUGE) {
        struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 65536, huge_reader, NULL, NULL);
        enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
        MHD_destroy_response(r);
        return ret;
    }

    pthread_mutex_lock(&db_lock);
    enum MHD_Result ret;
    if (strcmp(method, "POST") == 0 && strcmp(url, "/v1/enrol") == 0) {
        ret = do_enrol(c, rq);
    } else {
        sqlite3_int64 patient = auth(c);
        if (!patient)
            ret = reply_error(c, MHD_HTTP_UNAUTHORIZED, "unknown or revoked device");
        else if (strcmp(method, "GET") == 0 && strcmp(url, "/v1/manifest") == 0)
            ret = do_manifest(c, patient, fault);
        else if (strcmp(method, "GET") == 0 && strncmp(url, "/v1/blobs/", 10) == 0)
            ret = do_blob(c, url + 10, fault);
        else if (strcmp(method, "GET") == 0 && strcmp(url, "/v1/changes") == 0)
            ret = do_changes(c, patient, fault);
        else if (strcmp(method, "PUT") == 0 && strncmp(url, "/v1/messages/", 13) == 0)
            ret = do_put(c, patient, true, url + 13, rq, fault);
        else if (strcmp(method, "PUT") == 0 && strncmp(url, "/v1/answers/", 12) == 0)
            ret = do_put(c, patient, false, url + 12, rq, fault);
        else
            ret = reply_error(c, MHD_HTTP_NOT_FOUND, "no such endpoint");
    }
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
        else if (strcmp(argv[i], "--fault") == 0) {
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
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
    if (cert_pem) flags |= MHD_USE_TLS;
    struct MHD_Daemon *d =
        cert_pem ? MHD_start_daemon(flags, 0, NULL, NULL, handle, NULL, MHD_OPTION_SOCK_ADDR, &addr,
                                    MHD_OPTION_NOTIFY_COMPLETED, request_done, NULL, MHD_OPTION_HTTPS_MEM_CERT,
                                    cert_pem, MHD_OPTION_HTTPS_MEM_KEY, key_pem, MHD_OPTION_HTTPS_PRIORITIES,
                                    "NORMAL:-VERS-TLS1.1:-VERS-TLS1.0", MHD_OPTION_END)
                 : MHD_start_daemon(flags, 0, NULL, NULL, handle, NULL, MHD_OPTION_SOCK_ADDR, &addr,
                                    MHD_OPTION_NOTIFY_COMPLETED, request_done, NULL, MHD_OPTION_END);
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

static int admin(int argc, char **argv) {
    const char *dbp = NULL;
    int i = 0;
    if (argc >= 2 && strcmp(argv[0], "--db") == 0) {
        dbp = argv[1];
        i = 2;
    }
    if (!dbp || i >= argc) {
        fprintf(stderr, "meistring-server admin --db FILE COMMAND ...\n");
        return 2;
    }
    if (!db_open(dbp)) return 1;
    const char *cmd = argv[i++];
    int left = argc - i;
    char **a = argv + i;
    if (strcmp(cmd, "create-patient") == 0 && left == 1) {
        /* an enrolment code a patient can type: 8 digits, grouped 4-4 when shown */
        unsigned char raw[8];
        char code[9];
        randombytes_buf(raw, sizeof raw);
        for (int k = 0; k < 8; k++)
            code[k] = (char)('0' + raw[k] % 10);
        code[8] = '\0';
        sqlite3_stmt *st = prep("INSERT INTO patient(name, code) VALUES(?,?)");
        sqlite3_bind_text(st, 1, a[0], -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, code, -1, SQLITE_TRANSIENT);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) return 1;
        printf("patient %lld %s: enrolment code %.4s %.4s\n", (long long)sqlite3_last_insert_rowid(db), a[0], code,
               code + 4);
        return 0;
    }
    sqlite3_int64 p = left >= 1 ? patient_id(a[0]) : 0;
    if (!p) return 1;
    if (strcmp(cmd, "unlock") == 0 && left == 2) {
        unlock_module(p, a[1]);
        printf("module %s is open for patient %lld\n", a[1], (long long)p);
        return 0;
    }
    if (strcmp(cmd, "reply") == 0 && left == 2) {
        char when[32];
        time_t now = time(NULL);
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
        sqlite3_stmt *st = prep("INSERT INTO message(patient, from_patient, body, written_at) VALUES(?,0,?,?)");
        sqlite3_bind_int64(st, 1, p);
        sqlite3_bind_text(st, 2, a[1], -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, when, -1, SQLITE_TRANSIENT);
        sqlite3_step(st);
        sqlite3_finalize(st);
        cJSON *d = cJSON_CreateObject();
        cJSON_AddNumberToObject(d, "id", (double)sqlite3_last_insert_rowid(db));
        cJSON_AddStringToObject(d, "body", a[1]);
        cJSON_AddStringToObject(d, "written_at", when);
        char *s = cJSON_PrintUnformatted(d);
        add_event(p, "message", s);
        free(s);
        cJSON_Delete(d);
        printf("reply posted to patient %lld\n", (long long)p);
        return 0;
    }
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
            "                         [--fault MODE[@PREFIX][:P|:xN]]... [--seed N]\n"
            "      MODE: drop drop-after 500 429 stall truncate badjson badhash huge\n"
            "  meistring-server admin --db FILE create-patient NAME | unlock PATIENT MODULE\n"
            "                         | reply PATIENT TEXT | messages PATIENT | answers PATIENT | revoke PATIENT\n");
    return 2;
}
