/* api.c — the HTTP API of docs/sync-protocol.md: how a request is read and routed (handle), and its handlers:
 * enrol, manifest, blobs, the changes feed, the messages and answers a patient PUTs, and the tablet's life (its
 * recovery wrap, reset codes, giving up its token); with the replies they share and the odd replies the injected
 * faults need.
 * The seam: everything one request does, from its first bytes to its answer, is here; server.c only starts the
 * daemon that calls handle and request_done. Untrusted bytes are read by request.c, enrolment limits are guard.c's,
 * and what is kept is srv_store.h's: a request takes one of serve's connections (srv_store_pool) only for its database
 * part, and holds no lock of its own — racing requests are kept apart by the database (srv_store.h says how).
 */
#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "meistring/config.h"
#include "meistring/doc.h"

#include "guard.h"
#include "request.h"
#include "server.h"

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

/* ---- the database: serve's connections -------------------------------------------------------------------- */

srv_store_pool *db_pool;

static srv_store *db_take(void) { return srv_store_pool_take(db_pool); }
static void db_give(srv_store *s) { srv_store_pool_give(db_pool, s); }

static enum MHD_Result reply_busy(struct MHD_Connection *c) {
    return reply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "the database is busy; try again");
}

/* The patient whose live device token the request carries: > 0, 0 for none, -1 when the database failed. A
 * Bearer that is not the shape of a token is none, and never reaches the database (a byte PostgreSQL cannot
 * read as UTF-8 would be an error there, and the bytes in its log). */
static srv_store_id auth(struct MHD_Connection *c) {
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (!h || strncmp(h, "Bearer ", 7) != 0 || !req_token_ok(h + 7)) return 0;
    srv_store *s = db_take();
    srv_store_id id = srv_store_auth(s, h + 7);
    db_give(s);
    return id;
}

static cJSON *blob_ref(const blob *b) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "sha256", b->sha);
    cJSON_AddNumberToObject(o, "size", (double)b->size);
    return o;
}

static enum MHD_Result do_manifest(struct MHD_Connection *c, srv_store_id patient, int fault) {
    /* which modules are open, asked first, so the connection goes back before the JSON is built */
    bool *open_now = calloc(prog->n_modules ? prog->n_modules : 1, sizeof *open_now);
    if (!open_now) return MHD_NO;
    srv_store *s = db_take();
    bool failed = false;
    for (size_t m = 0; m < prog->n_modules && !failed; m++) {
        int u = prog->modules[m].unlocked ? 1 : srv_store_is_unlocked(s, patient, prog->modules[m].id);
        open_now[m] = u == 1;
        failed = u < 0;
    }
    db_give(s);
    if (failed) {
        free(open_now);
        return reply_busy(c);
    }
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
        bool open = open_now[m];
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
    free(open_now);
    if (fault == F_BADJSON) cJSON_ReplaceItemInObject(j, "modules", cJSON_CreateString("not an array"));
    char *text = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    if (!text) return MHD_NO;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (unsigned char *)text, strlen(text));
    char etag[70];
    etag[0] = '"';
    hex(h, 16, etag + 1);
    strcat(etag, "\"");
    const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
    enum MHD_Result r;
    if (inm && strcmp(inm, etag) == 0 && fault < 0) {
        r = reply_buf(c, MHD_HTTP_NOT_MODIFIED, NULL, "", 0, etag);
    } else if (fault == F_TRUNCATE) {
        r = reply_buf(c, MHD_HTTP_OK, "application/json", text, strlen(text) / 2, etag);
    } else if (fault == F_DROP) {
        r = reply_dropped(c, text, strlen(text));
    } else {
        r = reply_buf(c, MHD_HTTP_OK, "application/json", text, strlen(text), etag);
    }
    free(text);
    return r;
}

static enum MHD_Result do_blob(struct MHD_Connection *c, const char *sha, int fault) {
    const blob *b = find_blob_sha(sha);
    if (!b) return reply_error(c, MHD_HTTP_NOT_FOUND, "no such blob");
    size_t from = 0;
    const char *range = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Range");
    unsigned long long start = 0;
    if (range && sscanf(range, "bytes=%llu-", &start) == 1) {
        /* as a static web server answers it (RFC 9110 §15.5.17), so the client's resume is tested against it */
        if (start >= b->size && b->size > 0) {
            char cr[48];
            snprintf(cr, sizeof cr, "bytes */%zu", b->size);
            struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
            if (!r) return MHD_NO;
            MHD_add_response_header(r, "Content-Range", cr);
            enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_RANGE_NOT_SATISFIABLE, r);
            MHD_destroy_response(r);
            return ret;
        }
        from = (size_t)start;
    }
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

guard *enrol_guard;

int64_t mono_now(void) {
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

struct sockaddr_storage trusted_proxy[SRV_TRUSTED_PROXIES_MAX];
int n_trusted_proxies;

static bool same_host(const struct sockaddr *a, const struct sockaddr_storage *b) {
    if (a->sa_family != b->ss_family) return false;
    if (a->sa_family == AF_INET)
        return memcmp(&((const struct sockaddr_in *)a)->sin_addr, &((const struct sockaddr_in *)b)->sin_addr,
                      sizeof(struct in_addr)) == 0;
    return a->sa_family == AF_INET6 &&
           memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr, &((const struct sockaddr_in6 *)b)->sin6_addr,
                  sizeof(struct in6_addr)) == 0;
}

/* The value of the last X-Forwarded-For header line. A proxy that adds its own line rather than appending to the
 * client's (HAProxy's option forwardfor, some load balancers) leaves the client's forged line first, and
 * MHD_lookup_connection_value answers the first: so every line is read and the last one kept. */
static enum MHD_Result last_xff(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
    (void)kind;
    if (key && value && strcasecmp(key, "X-Forwarded-For") == 0) *(const char **)cls = value;
    return MHD_YES;
}

/* The tablet's address as the limits count it: the peer's, or, when the peer is a --trusted-proxy, the one that
 * proxy wrote last in X-Forwarded-For (the last entry of the last header line). Behind nginx every tablet would
 * otherwise be nginx, and ten mistyped codes anywhere in the region would lock enrolment for everyone. A header
 * from any other peer is never read: a tablet cannot pick its own address. buf holds the forwarded address when
 * that is the one returned. */
static const struct sockaddr *client_addr(struct MHD_Connection *c, struct sockaddr_storage *buf) {
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *peer = ci ? ci->client_addr : NULL;
    for (int i = 0; peer && i < n_trusted_proxies; i++)
        if (same_host(peer, &trusted_proxy[i])) {
            const char *xff = NULL;
            MHD_get_connection_values(c, MHD_HEADER_KIND, last_xff, &xff);
            return req_forwarded_for(xff, buf) ? (const struct sockaddr *)buf : peer;
        }
    return peer;
}

static void addr_text(struct MHD_Connection *c, char *out, size_t cap) {
    struct sockaddr_storage buf;
    const struct sockaddr *sa = client_addr(c, &buf);
    snprintf(out, cap, "?");
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)cap);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)cap);
}

/* Enrolment and recovery both take 8 guessable digits, so both pass the same limits (guard.c, in memory) before
 * the code is even looked at: a locked-out address or a spent budget is refused first, so a flood never waits on
 * the database and the right code from a locked-out address is refused too. False when refused (*ret is then the
 * 429); true reserves an attempt, which guard_leave must end. */
static bool guard_enter(struct MHD_Connection *c, guard_addr *addr, enum MHD_Result *ret) {
    struct sockaddr_storage buf;
    guard_addr_from(client_addr(c, &buf), addr);
    unsigned retry = 0;
    guard_verdict v = guard_enrol_begin(enrol_guard, addr, mono_now(), &retry);
    if (v == GUARD_OK) return true;
    *ret = reply_retry(c, retry,
                       v == GUARD_ADDR_LOCKED ? "too many failed codes from this address"
                                              : "too many failed codes; try again later");
    return false;
}

/* failed: a well-formed code that was not live. A database that could not answer is not a wrong guess: the
 * attempt is given back. */
static void guard_leave(struct MHD_Connection *c, const guard_addr *addr, bool failed) {
    if (guard_enrol_end(enrol_guard, addr, failed, mono_now())) {
        char who[INET6_ADDRSTRLEN];
        addr_text(c, who, sizeof who);
        fprintf(stderr, "meistring-server: %d failed codes from %s: locked out for %d s\n", SRV_ENROL_ADDR_FAILS, who,
                SRV_ENROL_ADDR_LOCKOUT_S);
    }
}

/* The clinic's lock settings, for the tablet to apply from its first start. */
static void add_lock(cJSON *r, const lock_settings *ls) {
    cJSON *l = cJSON_AddObjectToObject(r, "lock");
    cJSON_AddNumberToObject(l, "after_s", ls->after_s);
    cJSON_AddNumberToObject(l, "pin_digits", ls->pin_digits);
    cJSON_AddNumberToObject(l, "max_failures", ls->max_failures);
    if (ls->staff_code_hash[0]) cJSON_AddStringToObject(l, "staff_code_hash", ls->staff_code_hash);
}

static enum MHD_Result do_enrol(struct MHD_Connection *c, const request *rq) {
    req_enrol in;
    const char *why = NULL;
    if (!req_enrol_parse(&in, rq->body, rq->len, &why)) return reply_error(c, MHD_HTTP_BAD_REQUEST, why);
    guard_addr addr;
    enum MHD_Result refused;
    if (!guard_enter(c, &addr, &refused)) {
        req_enrol_deinit(&in);
        return refused;
    }

    char name[256] = "", token[SRV_TOKEN_HEX + 1] = "";
    lock_settings ls = {.after_s = 0};
    unsigned char raw[SRV_TOKEN_HEX / 2];
    randombytes_buf(raw, sizeof raw);
    hex(raw, sizeof raw, token);
    srv_store_receipt receipt = {.body = in.receipt, .for_patient = in.receipt_patient};
    srv_store *s = db_take();
    srv_store_id id = srv_store_enrol(s, in.code, token, &receipt, name, sizeof name, &ls);
    db_give(s);
    /* a receipt that came with an enrolment but was not kept is worth a line, not a refusal */
    if (id > 0 && in.receipt_why)
        fprintf(stderr, "meistring-server: the wipe receipt sent with patient %lld's enrolment was dropped: %s\n",
                (long long)id, in.receipt_why);
    req_enrol_deinit(&in);
    guard_leave(c, &addr, id == 0);
    if (id < 0) return reply_busy(c);
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
    add_lock(r, &ls);
    return reply_json(c, MHD_HTTP_OK, r);
}

/* ---- the tablet's life: recovery wrap, reset codes, giving up the token ---------------------------------- */

/* The request's device token, for the operations that check it again in their own transaction (srv_store.h):
 * auth() has already found it, so it is there. */
static const char *bearer(struct MHD_Connection *c) {
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    return h && strncmp(h, "Bearer ", 7) == 0 ? h + 7 : "";
}

/* POST /v1/recover: no Bearer (a locked tablet cannot read its token), so the code is the only credential and
 * is guarded exactly as an enrolment code; a failure here is a failed code there too. */
static enum MHD_Result do_recover(struct MHD_Connection *c, const request *rq) {
    char code[SRV_CODE_DIGITS + 1], wrap[SRV_WRAP_MAX_CHARS + 1] = "";
    const char *why = NULL;
    if (!req_recover_parse(rq->body, rq->len, code, &why)) return reply_error(c, MHD_HTTP_BAD_REQUEST, why);
    guard_addr addr;
    enum MHD_Result refused;
    if (!guard_enter(c, &addr, &refused)) return refused;
    srv_store *s = db_take();
    int found = srv_store_take_reset_code(s, code, wrap, sizeof wrap);
    db_give(s);
    guard_leave(c, &addr, found == 0);
    if (found < 0) return reply_busy(c);
    if (found == 0) return reply_error(c, MHD_HTTP_FORBIDDEN, "unknown, used or expired reset code");
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "wrap", wrap);
    return reply_json(c, MHD_HTTP_OK, r);
}

/* PUT /v1/recovery: as a PUT of something written, 201 the first time, 200 for the same wrap again, 422 for
 * another (a tablet has one data key for its enrolment; a new enrolment clears the wrap). */
static enum MHD_Result do_recovery(struct MHD_Connection *c, srv_store_id patient, const request *rq) {
    char wrap[SRV_WRAP_MAX_CHARS + 1];
    const char *why = NULL;
    if (!req_recovery_parse(rq->body, rq->len, wrap, &why)) return reply_error(c, MHD_HTTP_BAD_REQUEST, why);
    srv_store *s = db_take();
    srv_store_put_result put = srv_store_put_recovery(s, patient, bearer(c), wrap);
    db_give(s);
    if (put == SRV_STORE_GONE) return reply_error(c, MHD_HTTP_UNAUTHORIZED, "unknown or revoked device");
    unsigned status = put == SRV_STORE_CREATED    ? MHD_HTTP_CREATED
                      : put == SRV_STORE_REPLAY   ? MHD_HTTP_OK
                      : put == SRV_STORE_CONFLICT ? MHD_HTTP_UNPROCESSABLE_CONTENT
                                                  : MHD_HTTP_INTERNAL_SERVER_ERROR;
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "result",
                            status == MHD_HTTP_CREATED                 ? "created"
                            : status == MHD_HTTP_OK                    ? "replay"
                            : status == MHD_HTTP_UNPROCESSABLE_CONTENT ? "conflict"
                                                                       : "error");
    if (status == MHD_HTTP_UNPROCESSABLE_CONTENT)
        cJSON_AddStringToObject(r, "error", "another recovery wrap is stored for this enrolment");
    if (status == MHD_HTTP_INTERNAL_SERVER_ERROR) cJSON_AddStringToObject(r, "error", "database");
    return reply_json(c, status, r);
}

/* DELETE /v1/device: the tablet has wiped itself (returned to the clinic, or wiped by staff) and gives up its
 * token; it is revoked as admin revoke does, and what only that tablet could use goes with it. */
static enum MHD_Result do_device_delete(struct MHD_Connection *c, srv_store_id patient) {
    srv_store *s = db_take();
    int done = srv_store_device_wiped(s, patient, bearer(c));
    db_give(s);
    if (done < 0) return reply_busy(c);
    if (done == 0) return reply_error(c, MHD_HTTP_UNAUTHORIZED, "unknown or revoked device");
    return reply_buf(c, MHD_HTTP_NO_CONTENT, NULL, "", 0, NULL);
}

/* ---- the changes feed and what the patient writes ------------------------------------------------------- */

/* One event of the feed as the tablet reads it: its data, with seq and type beside; next is the last seq. */
typedef struct {
    cJSON *items;
    int64_t next;
} page;

static void add_item(void *ctx, int64_t seq, const char *type, const char *data) {
    page *pg = ctx;
    pg->next = seq;
    cJSON *it = cJSON_Parse(data);
    if (!it) it = cJSON_CreateObject();
    /* a message's id was written exactly (add_int) and read back as a double, exact up to 2^53 */
    cJSON *idn = cJSON_GetObjectItemCaseSensitive(it, "id");
    if (cJSON_IsNumber(idn)) {
        int64_t idv = (int64_t)idn->valuedouble;
        cJSON_DeleteItemFromObjectCaseSensitive(it, "id");
        add_int(it, "id", idv);
    }
    add_int(it, "seq", seq);
    cJSON_AddStringToObject(it, "type", type);
    cJSON_AddItemToArray(pg->items, it);
}

static enum MHD_Result do_changes(struct MHD_Connection *c, srv_store_id patient, int fault) {
    const char *since_s = NULL;
    size_t since_len = 0;
    bool present = MHD_lookup_connection_value_n(c, MHD_GET_ARGUMENT_KIND, "since", 5, &since_s, &since_len) == MHD_YES;
    int64_t since = 0;
    /* "?since" with no value is as wrong as "?since=": only a missing argument means "from the start" */
    if ((present && !since_s) || (since_s && strlen(since_s) != since_len) ||
        !req_parse_since(present ? since_s : NULL, &since))
        return reply_error(c, MHD_HTTP_BAD_REQUEST, "since must be an integer from 0 to 9007199254740992");
    cJSON *j = cJSON_CreateObject();
    page pg = {.items = cJSON_AddArrayToObject(j, "items"), .next = since};
    srv_store *s = db_take();
    int n = srv_store_changes(s, patient, since, SRV_CHANGES_PAGE, add_item, &pg);
    db_give(s);
    if (n < 0) {
        cJSON_Delete(j);
        return reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "database");
    }
    add_int(j, "next", pg.next);
    if (fault == F_BADJSON) cJSON_ReplaceItemInObject(j, "next", cJSON_CreateString("soon"));
    return reply_json(c, MHD_HTTP_OK, j);
}

/* PUT of something the patient wrote, by the id their tablet made: 201 the first time, 200 for the same body
 * again (a retry whose answer was lost), 422 for another body under the same id. Every check on the bytes
 * (req_put_parse) comes before anything is stored. */
static enum MHD_Result do_put(struct MHD_Connection *c, srv_store_id patient, bool message, const char *client_id,
                              const request *rq, int fault) {
    if (!req_client_id_ok(client_id)) return reply_error(c, MHD_HTTP_BAD_REQUEST, "bad id");
    req_put in;
    const char *why = NULL;
    if (!req_put_parse(&in, message, rq->body, rq->len, &why)) return reply_error(c, MHD_HTTP_BAD_REQUEST, why);
    /* the modules that open after this questionnaire: opened with the answer, if it is the first */
    const char **unlocks = NULL;
    size_t n_unlocks = 0;
    if (!message && in.block && prog && prog->n_modules) {
        unlocks = calloc(prog->n_modules, sizeof *unlocks);
        if (!unlocks) {
            req_put_deinit(&in);
            return MHD_NO;
        }
        for (size_t m = 0; m < prog->n_modules; m++)
            if (doc_module_opens_after(prog, &prog->modules[m], in.block)) unlocks[n_unlocks++] = prog->modules[m].id;
    }
    srv_store *s = db_take();
    srv_store_put_result put = message ? srv_store_put_message(s, patient, client_id, in.body, in.written_at)
                                       : srv_store_put_answer(s, patient, client_id, in.canon, unlocks, n_unlocks);
    db_give(s);
    free(unlocks);
    unsigned status = put == SRV_STORE_CREATED    ? MHD_HTTP_CREATED
                      : put == SRV_STORE_REPLAY   ? MHD_HTTP_OK
                      : put == SRV_STORE_CONFLICT ? MHD_HTTP_UNPROCESSABLE_CONTENT
                                                  : MHD_HTTP_INTERNAL_SERVER_ERROR;
    req_put_deinit(&in);
    if (fault == F_DROP_AFTER) return MHD_NO; /* stored, but the answer never reaches the tablet */
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "id", client_id);
    cJSON_AddStringToObject(r, "result",
                            status == MHD_HTTP_CREATED                 ? "created"
                            : status == MHD_HTTP_OK                    ? "replay"
                            : status == MHD_HTTP_UNPROCESSABLE_CONTENT ? "conflict"
                                                                       : "error");
    return reply_json(c, status, r);
}

/* ---- dispatch -------------------------------------------------------------------------------------------- */

bool have_min_version;
req_version min_version;
char min_version_text[32];

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

enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method, const char *version,
                       const char *upload, size_t *upload_size, void **con_cls) {
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
    /* these pass the enrolment limits before they look at the database */
    if (route == REQ_ENROL) return do_enrol(c, rq);
    if (route == REQ_RECOVER) return do_recover(c, rq);

    enum MHD_Result ret;
    srv_store_id patient = auth(c);
    if (patient < 0)
        ret = reply_busy(c);
    else if (!patient)
        ret = reply_error(c, MHD_HTTP_UNAUTHORIZED, "unknown or revoked device");
    else if (route == REQ_MANIFEST)
        ret = do_manifest(c, patient, fault);
    else if (route == REQ_BLOB)
        ret = do_blob(c, arg, fault);
    else if (route == REQ_CHANGES)
        ret = do_changes(c, patient, fault);
    else if (route == REQ_RECOVERY)
        ret = do_recovery(c, patient, rq);
    else if (route == REQ_DEVICE_DEL)
        ret = do_device_delete(c, patient);
    else
        ret = do_put(c, patient, route == REQ_PUT_MESSAGE, arg, rq, fault);
    return ret;
}

void request_done(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode t) {
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
