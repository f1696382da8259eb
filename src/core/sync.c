/* sync.c — the sync engine; see sync.h and docs/sync-protocol.md.
 * Hostile-server rules, everywhere: responses are capped while they stream (the write callback counts),
 * JSON is parsed with a length and a nesting limit and every field's type is checked, redirects are refused,
 * TLS is verified (at least 1.2) except on loopback, and nothing half-fetched is ever marked present. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "meistring/sync.h"

#include "jsondepth.h"
#include "meistring/config.h"
#include "meistring/doc.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_JSON        MS_SYNC_MAX_JSON
#define MAX_JSON_DEPTH  MS_SYNC_MAX_JSON_DEPTH
#define MAX_BLOB        MS_SYNC_MAX_BLOB
#define CHANGES_PAGES   MS_SYNC_CHANGES_PAGES
#define OUTBOX_PER_PASS MS_SYNC_OUTBOX_PER_PASS

#ifndef MEISTRING_VERSION
#define MEISTRING_VERSION "0.0.0"
#endif

struct sync_engine {
    void (*progress)(void *ctx, int done, int total);
    void *progress_ctx;
    int need, done;
    volatile int stop; /* sync_wake: give up the transfer in progress (the app is closing) */
    CURLM *multi;
    char server[512];
    char pin[200];
    char ca[600];
    char content_dir[600]; /* "" when none: the manifest is committed unchecked */
    char bad_url[160];     /* why the server URL was refused ("" when it is fine) */
    long timeout_ms;
    bool loopback;
    sync_transport_fn transport; /* tests and fuzzing: answer in-process (sync_set_transport) */
    void *transport_ctx;
};

void sync_set_transport(sync_engine *s, sync_transport_fn fn, void *ctx) {
    s->transport = fn;
    s->transport_ctx = ctx;
}

const char *sync_client_version(void) { return MEISTRING_VERSION; }

static bool curl_ready;

typedef struct {
    unsigned char *data;
    size_t len, cap, max;
    bool over;
} buf;

typedef struct {
    char etag[128];
    int retry_after;
} headers;

static size_t on_body(char *p, size_t size, size_t n, void *ud) {
    buf *b = ud;
    size_t k = size * n;
    if (b->len + k > b->max) {
        b->over = true; /* capped while streaming: the transfer stops here */
        return 0;
    }
    if (b->len + k + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16384;
        while (cap < b->len + k + 1)
            cap *= 2;
        unsigned char *d = realloc(b->data, cap);
        if (!d) return 0;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, k);
    b->len += k;
    b->data[b->len] = '\0';
    return k;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud) {
    headers *h = ud;
    size_t k = size * n;
    if (k > 5 && strncasecmp(p, "ETag:", 5) == 0) {
        size_t l = k - 5;
        const char *v = p + 5;
        while (l && (*v == ' '))
            v++, l--;
        while (l && (v[l - 1] == '\r' || v[l - 1] == '\n' || v[l - 1] == ' '))
            l--;
        if (l < sizeof h->etag) {
            memcpy(h->etag, v, l);
            h->etag[l] = '\0';
        }
    } else if (k > 12 && strncasecmp(p, "Retry-After:", 12) == 0) {
        h->retry_after = atoi(p + 12);
    }
    return k;
}

/* Loopback, from a host name as curl's URL parser gives it: "localhost" itself, or an address literal in
 * 127.0.0.0/8 or ::1. Text that merely starts like one ("localhost.evil.example", "127.0.0.1.evil.example") is a
 * remote name. */
static bool host_is_loopback(const char *host) {
    if (strcasecmp(host, "localhost") == 0) return true;
    struct in_addr a4;
    if (inet_pton(AF_INET, host, &a4) == 1) return (ntohl(a4.s_addr) >> 24) == 127;
    size_t l = strlen(host);
    if (l > 2 && host[0] == '[' && host[l - 1] == ']') {
        char inner[64];
        if (l - 2 >= sizeof inner) return false;
        memcpy(inner, host + 1, l - 2);
        inner[l - 2] = '\0';
        struct in6_addr a6;
        return inet_pton(AF_INET6, inner, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
    }
    return false;
}

/* Checks the server URL once, with curl's own parser (the one that will connect): scheme, host, no user info
 * (https://127.0.0.1@clinic.example is a remote host), no query or fragment. Sets s->loopback, or s->bad_url. */
static void check_server(sync_engine *s) {
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *user = NULL, *pass = NULL, *query = NULL, *frag = NULL;
    s->loopback = false;
    if (!u || curl_url_set(u, CURLUPART_URL, s->server, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        snprintf(s->bad_url, sizeof s->bad_url, "the server address is not a URL");
    } else if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
               curl_url_get(u, CURLUPART_PASSWORD, &pass, 0) == CURLUE_OK) {
        snprintf(s->bad_url, sizeof s->bad_url, "the server address holds a user name: refused");
    } else if (curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK ||
               curl_url_get(u, CURLUPART_FRAGMENT, &frag, 0) == CURLUE_OK) {
        snprintf(s->bad_url, sizeof s->bad_url, "the server address has a query or fragment: refused");
    } else {
        s->loopback = host_is_loopback(host);
        if (strcasecmp(scheme, "https") != 0 && !(strcasecmp(scheme, "http") == 0 && s->loopback))
            snprintf(s->bad_url, sizeof s->bad_url, "refusing %.100s: TLS is required except on loopback", s->server);
    }
    curl_free(scheme);
    curl_free(host);
    curl_free(user);
    curl_free(pass);
    curl_free(query);
    curl_free(frag);
    curl_url_cleanup(u);
}

/* Every socket curl opens goes through here. On loopback (where certificates are not checked) the address
 * the name resolved to must be a loopback one too, or no socket is made and nothing is sent: a "localhost" that
 * a hosts file or resolver points elsewhere gets no token. */
static curl_socket_t open_socket(void *ctx, curlsocktype purpose, struct curl_sockaddr *a) {
    const sync_engine *s = ctx;
    (void)purpose;
    if (s->loopback) {
        bool lo = false;
        if (a->family == AF_INET && a->addrlen >= sizeof(struct sockaddr_in))
            lo = (ntohl(((const struct sockaddr_in *)(const void *)&a->addr)->sin_addr.s_addr) >> 24) == 127;
        else if (a->family == AF_INET6 && a->addrlen >= sizeof(struct sockaddr_in6))
            lo = IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)(const void *)&a->addr)->sin6_addr);
        if (!lo) return CURL_SOCKET_BAD;
    }
    return socket(a->family, a->socktype, a->protocol);
}

sync_engine *sync_new(const sync_config *cfg) {
    if (!curl_ready) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 || sodium_init() < 0) return NULL;
        curl_ready = true;
    }
    sync_engine *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    snprintf(s->server, sizeof s->server, "%s", cfg->server ? cfg->server : "");
    size_t l = strlen(s->server);
    while (l && s->server[l - 1] == '/')
        s->server[--l] = '\0';
    if (cfg->pin_sha256) snprintf(s->pin, sizeof s->pin, "%s", cfg->pin_sha256);
    if (cfg->ca_file) snprintf(s->ca, sizeof s->ca, "%s", cfg->ca_file);
    if (cfg->content_dir) snprintf(s->content_dir, sizeof s->content_dir, "%s", cfg->content_dir);
    s->timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : MS_SYNC_TIMEOUT_MS;
    check_server(s);
    s->multi = curl_multi_init();
    if (!s->multi) {
        free(s);
        return NULL;
    }
    return s;
}

void sync_free(sync_engine *s) {
    if (!s) return;
    curl_multi_cleanup(s->multi);
    free(s);
}

void sync_wake(sync_engine *s) {
    s->stop = 1;
    curl_multi_wakeup(s->multi);
}

void sync_set_progress(sync_engine *s, void (*fn)(void *ctx, int done, int total), void *ctx) {
    s->progress = fn;
    s->progress_ctx = ctx;
}

/* One HTTP exchange through the multi handle. Returns SYNC_OK for any HTTP status (in *status). */
static sync_result http(sync_engine *s, const char *method, const char *path, const char *token, const char *body,
                        const char *if_none_match, long range_from, size_t max, buf *out, headers *hd, long *status,
                        sync_report *rep) {
    *status = 0;
    memset(out, 0, sizeof *out);
    out->max = max;
    memset(hd, 0, sizeof *hd);
    if (s->bad_url[0]) {
        snprintf(rep->msg, sizeof rep->msg, "%s", s->bad_url);
        return SYNC_REFUSED;
    }
    if (s->transport) {
        const unsigned char *data = NULL;
        size_t n = 0;
        if (!s->transport(s->transport_ctx, method, path, body, status, &data, &n, hd->etag)) {
            snprintf(rep->msg, sizeof rep->msg, "%s %s: the connection failed", method, path);
            return SYNC_OFFLINE;
        }
        hd->etag[sizeof hd->etag - 1] = '\0';
        if (n && on_body((char *)(uintptr_t)data, 1, n, out) != n) {
            if (out->over) {
                snprintf(rep->msg, sizeof rep->msg, "%s %s: response over the %zu-byte cap", method, path, max);
                return SYNC_BAD_DATA;
            }
            return SYNC_OFFLINE;
        }
        rep->bytes_in += (long)n;
        return SYNC_OK;
    }
    CURL *e = curl_easy_init();
    if (!e) return SYNC_OFFLINE;
    char url[1024];
    snprintf(url, sizeof url, "%s%s", s->server, path);
    struct curl_slist *h = NULL;
    char line[512];
    if (token) {
        snprintf(line, sizeof line, "Authorization: Bearer %s", token);
        h = curl_slist_append(h, line);
    }
    if (if_none_match && if_none_match[0]) {
        snprintf(line, sizeof line, "If-None-Match: %s", if_none_match);
        h = curl_slist_append(h, line);
    }
    if (body) h = curl_slist_append(h, "Content-Type: application/json");
    snprintf(line, sizeof line, "X-Meistring-Version: %s", MEISTRING_VERSION);
    h = curl_slist_append(h, line);
    snprintf(line, sizeof line, "Meistring/%s", MEISTRING_VERSION);
    curl_easy_setopt(e, CURLOPT_USERAGENT, line);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, s);
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L); /* a redirect is refused, never followed */
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https,http");
    curl_easy_setopt(e, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, s->loopback ? 0L : 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, s->loopback ? 0L : 2L);
    if (s->pin[0]) curl_easy_setopt(e, CURLOPT_PINNEDPUBLICKEY, s->pin);
    if (s->ca[0]) curl_easy_setopt(e, CURLOPT_CAINFO, s->ca);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, s->timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                     s->timeout_ms < MS_SYNC_CONNECT_TIMEOUT_MS ? s->timeout_ms : (long)MS_SYNC_CONNECT_TIMEOUT_MS);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, hd);
    if (range_from > 0) {
        char r[32];
        snprintf(r, sizeof r, "%ld-", range_from);
        curl_easy_setopt(e, CURLOPT_RANGE, r);
    }
    if (strcmp(method, "POST") == 0) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, body ? body : "");
    } else if (strcmp(method, "PUT") == 0) {
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "PUT");
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, body ? body : "");
    }
    curl_multi_add_handle(s->multi, e);
    int running = 1;
    CURLcode result = CURLE_OK;
    while (running && !s->stop) {
        if (curl_multi_perform(s->multi, &running) != CURLM_OK) break;
        if (running) curl_multi_poll(s->multi, NULL, 0, MS_SYNC_POLL_MS, NULL);
    }
    if (running) result = CURLE_ABORTED_BY_CALLBACK; /* stopped by sync_wake */
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(s->multi, &left)))
        if (msg->msg == CURLMSG_DONE && msg->easy_handle == e) result = msg->data.result;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, status);
    curl_off_t down = 0, up = 0;
    long hsize = 0, rsize = 0;
    curl_easy_getinfo(e, CURLINFO_SIZE_DOWNLOAD_T, &down);
    curl_easy_getinfo(e, CURLINFO_SIZE_UPLOAD_T, &up);
    curl_easy_getinfo(e, CURLINFO_HEADER_SIZE, &hsize);
    curl_easy_getinfo(e, CURLINFO_REQUEST_SIZE, &rsize);
    rep->bytes_in += (long)down + hsize;
    rep->bytes_out += (long)up + rsize;
    curl_multi_remove_handle(s->multi, e);
    curl_easy_cleanup(e);
    curl_slist_free_all(h);
    if (out->over) {
        snprintf(rep->msg, sizeof rep->msg, "%s %s: response over the %zu-byte cap", method, path, max);
        return SYNC_BAD_DATA;
    }
    if (result == CURLE_PEER_FAILED_VERIFICATION || result == CURLE_SSL_PINNEDPUBKEYNOTMATCH ||
        result == CURLE_SSL_CACERT_BADFILE) {
        /* not a network hiccup: whoever answered could not prove to be the clinic; nothing was sent */
        snprintf(rep->msg, sizeof rep->msg, "%s %s: %s", method, path, curl_easy_strerror(result));
        return SYNC_REFUSED;
    }
    if (result != CURLE_OK) {
        snprintf(rep->msg, sizeof rep->msg, "%s %s: %s", method, path, curl_easy_strerror(result));
        /* a partial body stays in out for the caller (a resumable blob) */
        rep->unreachable = result == CURLE_COULDNT_CONNECT || result == CURLE_COULDNT_RESOLVE_HOST ||
                           result == CURLE_COULDNT_RESOLVE_PROXY;
        return SYNC_OFFLINE;
    }
    return SYNC_OK;
}

/* Maps an HTTP status to a result; 2xx and 304 are SYNC_OK. */
static sync_result status_result(long status, const headers *hd, const char *what, sync_report *rep) {
    if ((status >= 200 && status < 300) || status == 304) return SYNC_OK;
    snprintf(rep->msg, sizeof rep->msg, "%s: HTTP %ld", what, status);
    if (status == 401 || status == 403) return SYNC_AUTH;
    if (status == 426) return SYNC_UPDATE_REQUIRED;
    if (status == 429) {
        rep->retry_after_s = hd->retry_after > 0 ? hd->retry_after : MS_SYNC_RETRY_AFTER_S;
        return SYNC_BUSY;
    }
    if (status >= 300 && status < 400) return SYNC_REFUSED; /* a redirect */
    return status >= 500 ? SYNC_SERVER_ERROR : SYNC_BAD_DATA;
}

/* JSON from the network: length cap, nesting limit before cJSON sees it, no NUL in a string, an object. */
static cJSON *parse_json(const buf *b, const char *what, sync_report *rep) {
    if (b->data && json_nests_deeper_than((const char *)b->data, b->len, MAX_JSON_DEPTH)) {
        snprintf(rep->msg, sizeof rep->msg, "%s: JSON nested too deep", what);
        return NULL;
    }
    if (b->data && json_has_nul((const char *)b->data, b->len)) {
        snprintf(rep->msg, sizeof rep->msg, "%s: a NUL character in the JSON", what);
        return NULL;
    }
    cJSON *j = b->data ? cJSON_ParseWithLength((const char *)b->data, b->len) : NULL;
    if (!cJSON_IsObject(j)) {
        cJSON_Delete(j);
        snprintf(rep->msg, sizeof rep->msg, "%s: not a JSON object", what);
        return NULL;
    }
    return j;
}

static const char *get_str(const cJSON *o, const char *key, size_t max) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) && strlen(v->valuestring) <= max ? v->valuestring : NULL;
}

/* A JSON number that is a whole number in [min, max], into *out. Checked before any cast: a double beyond the
 * target type's range makes the conversion undefined (and 1e300 is valid JSON). */
static bool get_int(const cJSON *v, double min, double max, long long *out) {
    if (!cJSON_IsNumber(v)) return false;
    double d = v->valuedouble;
    if (!isfinite(d) || d < min || d > max || d != floor(d)) return false;
    *out = (long long)d;
    return true;
}

static bool is_sha(const char *s) {
    if (!s || strlen(s) != 64) return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return false;
    return true;
}

void sync_sha256_hex(const unsigned char *data, size_t len, char out[65]) {
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, len);
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = digits[h[i] >> 4];
        out[2 * i + 1] = digits[h[i] & 15];
    }
    out[64] = '\0';
}

void sync_new_id(char out[33]) {
    unsigned char raw[16];
    randombytes_buf(raw, sizeof raw);
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 16; i++) {
        out[2 * i] = digits[raw[i] >> 4];
        out[2 * i + 1] = digits[raw[i] & 15];
    }
    out[32] = '\0';
}

/* Now, as the protocol writes times: "2026-11-22T19:17:00Z". */
static void iso_now(char out[32]) {
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The PUT body of a patient's message (docs/sync-protocol.md); malloc'd. */
static char *message_json(const char *text, const char *written_at) {
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "body", text) || !cJSON_AddStringToObject(o, "written_at", written_at)) {
        cJSON_Delete(o);
        return NULL;
    }
    char *j = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return j;
}

bool sync_queue_message(store *st, const char *text, const char *draft_key, char id_out[33]) {
    char when[32];
    iso_now(when);
    sync_new_id(id_out);
    char *json = message_json(text, when);
    if (!json || !store_begin(st)) {
        free(json);
        return false;
    }
    bool ok = store_message_add(st, id_out, 0, true, text, when, "saved") &&
              store_outbox_add(st, "message", id_out, json) && (!draft_key || store_draft_clear(st, draft_key));
    ok = store_finish(st, ok);
    free(json);
    return ok;
}

bool sync_queue_answer(store *st, const char *block, char id_out[33]) {
    int rev = 0, queued = 0;
    char *fields = store_answer_get(st, block, &rev, &queued);
    if (!fields) return false;
    if (rev <= queued) { /* this revision is already on its way (or there) */
        free(fields);
        id_out[0] = '\0';
        return true;
    }
    char when[32];
    iso_now(when);
    cJSON *o = cJSON_CreateObject(), *f = cJSON_Parse(fields);
    free(fields);
    char *json = NULL;
    if (o && cJSON_IsObject(f) && cJSON_AddStringToObject(o, "block", block) &&
        cJSON_AddNumberToObject(o, "rev", rev) && cJSON_AddStringToObject(o, "written_at", when)) {
        cJSON_AddItemToObject(o, "fields", f);
        f = NULL;
        json = cJSON_PrintUnformatted(o);
    }
    cJSON_Delete(f);
    cJSON_Delete(o);
    if (!json || !store_begin(st)) {
        free(json);
        return false;
    }
    sync_new_id(id_out);
    bool ok = store_outbox_add(st, "answer", id_out, json) && store_answer_queued(st, block, rev);
    ok = store_finish(st, ok);
    free(json);
    return ok;
}

bool sync_submit_questionnaire(store *st, const char *block, const char *instrument, const char *answers_json,
                               int total, int max, const char *band, const char *draft_key, char id_out[33]) {
    char when[32];
    iso_now(when);
    cJSON *answers = cJSON_Parse(answers_json);
    if (!cJSON_IsObject(answers)) {
        cJSON_Delete(answers);
        return false;
    }
    /* what the server gets: the answers as an exercise's fields, with the score beside them */
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "block", block);
    cJSON_AddItemToObject(o, "fields", cJSON_Duplicate(answers, true));
    cJSON_AddNumberToObject(o, "rev", 1);
    cJSON_AddStringToObject(o, "written_at", when);
    cJSON *q = cJSON_AddObjectToObject(o, "questionnaire");
    if (q) {
        cJSON_AddStringToObject(q, "instrument", instrument ? instrument : "");
        cJSON_AddNumberToObject(q, "total", total);
        cJSON_AddNumberToObject(q, "max", max);
        cJSON_AddStringToObject(q, "band", band ? band : "");
    }
    char *json = cJSON_PrintUnformatted(o);
    /* what the tablet keeps for the plot: the same, without the transport fields */
    cJSON_DeleteItemFromObject(o, "rev");
    cJSON_DeleteItemFromObject(o, "written_at");
    char *mine = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    cJSON_Delete(answers);
    bool ok = json && mine && store_begin(st);
    if (ok) {
        sync_new_id(id_out);
        ok = store_finish(st, store_score_add(st, id_out, (long long)time(NULL), mine) &&
                                  store_outbox_add(st, "answer", id_out, json) &&
                                  (!draft_key || store_draft_clear(st, draft_key)));
    }
    free(json);
    free(mine);
    return ok;
}

bool sync_resend_message(store *st, const char *old_id, const char *text, const char *written_at, char id_out[33]) {
    char id[33];
    sync_new_id(id);
    char *json = message_json(text, written_at);
    bool ok = json && store_message_resend(st, old_id, id, json);
    free(json);
    if (ok) memcpy(id_out, id, sizeof id); /* id_out may be old_id's own buffer */
    return ok;
}

int sync_backoff_s(int failures, int retry_after_s, unsigned seed) {
    /* the guard only keeps the shift in range: 2^20 s is past any sensible cap */
    int base = failures <= 0 ? 0 : failures > 20 ? MS_SYNC_BACKOFF_MAX_S : 1 << failures;
    if (base > MS_SYNC_BACKOFF_MAX_S) base = MS_SYNC_BACKOFF_MAX_S;
    seed = seed * 1103515245u + 12345u;
    int jitter = base ? (int)((seed >> 8) % (unsigned)(base / 2 + 1)) - base / 4 : 0;
    int wait = base + jitter;
    return retry_after_s > wait ? retry_after_s : wait;
}

int sync_next_wait_s(sync_result r, const sync_report *rep, int failures, unsigned seed) {
    if (r == SYNC_OK) return MS_SYNC_PERIOD_S;
    int wait = sync_backoff_s(failures, rep->retry_after_s, seed);
    if (r == SYNC_OFFLINE && rep->unreachable && wait > MS_SYNC_PROBE_S) wait = MS_SYNC_PROBE_S + (int)(seed % 5);
    return wait;
}

/* ---- enrolment ------------------------------------------------------------------------------------------ */

sync_result sync_enrol(sync_engine *s, store *st, const char *code, sync_report *rep) {
    memset(rep, 0, sizeof *rep);
    s->stop = 0;
    cJSON *req = cJSON_CreateObject();
    cJSON_AddStringToObject(req, "code", code);
    char *body = cJSON_PrintUnformatted(req);
    cJSON_Delete(req);
    buf b;
    headers hd;
    long status;
    sync_result r = http(s, "POST", "/v1/enrol", NULL, body, NULL, 0, MAX_JSON, &b, &hd, &status, rep);
    free(body);
    if (r == SYNC_OK) r = status_result(status, &hd, "enrol", rep);
    cJSON *j = r == SYNC_OK ? parse_json(&b, "enrol", rep) : NULL;
    if (r == SYNC_OK && !j) r = SYNC_BAD_DATA;
    if (r == SYNC_OK) {
        const char *token = get_str(j, "device_token", MS_SYNC_MAX_TOKEN);
        const cJSON *patient = cJSON_GetObjectItemCaseSensitive(j, "patient");
        const cJSON *clinic = cJSON_GetObjectItemCaseSensitive(j, "clinic");
        const char *name = cJSON_IsObject(patient) ? get_str(patient, "name", MS_SYNC_MAX_NAME) : NULL;
        if (!token || !name || (clinic && !cJSON_IsObject(clinic))) {
            snprintf(rep->msg, sizeof rep->msg, "enrol: the answer lacks a token or a patient");
            r = SYNC_BAD_DATA;
        } else if (!store_begin(st)) {
            r = SYNC_BAD_DATA;
        } else {
            bool ok = store_sync_set(st, "token", token) && store_sync_set(st, "patient_name", name);
            static const char *const keys[] = {"name", "phone", "hours"};
            for (int k = 0; ok && clinic && k < 3; k++) {
                const char *v = get_str(clinic, keys[k], MS_SYNC_MAX_NAME);
                char key[32];
                snprintf(key, sizeof key, "clinic_%s", keys[k]);
                if (v) ok = store_sync_set(st, key, v);
            }
            if (ok && store_commit(st))
                r = SYNC_OK;
            else {
                store_rollback(st);
                snprintf(rep->msg, sizeof rep->msg, "enrol: could not store the token");
                r = SYNC_BAD_DATA;
            }
        }
    }
    cJSON_Delete(j);
    free(b.data);
    return r;
}

/* ---- a pass ----------------------------------------------------------------------------------------------- */

/* Fetches one blob (resuming a partial download), verifies its bytes against its name, stores it. */
static sync_result fetch_blob(sync_engine *s, store *st, const char *token, const char *sha, long size,
                              sync_report *rep) {
    if (size < 0 || size > MAX_BLOB) {
        snprintf(rep->msg, sizeof rep->msg, "blob %.12s: size %ld over the cap", sha, size);
        return SYNC_BAD_DATA;
    }
    size_t have = 0;
    unsigned char *part = store_blob_part_get(st, sha, &have);
    if (have > (size_t)size) {
        free(part);
        part = NULL;
        have = 0;
    }
    char path[128];
    snprintf(path, sizeof path, "/v1/blobs/%s", sha);
    buf b;
    headers hd;
    long status;
    sync_result r = http(s, "GET", path, token, NULL, NULL, (long)have, (size_t)size - have + 1, &b, &hd, &status, rep);
    bool resumed = status == 206;
    if (r == SYNC_OFFLINE && b.len > 0 && (status == 200 || status == 206)) {
        /* the link dropped mid-body: keep what came, so the next pass asks only for the rest */
        size_t keep = (resumed ? have : 0) + b.len;
        unsigned char *joined = malloc(keep ? keep : 1);
        if (joined) {
            if (resumed && have) memcpy(joined, part, have);
            memcpy(joined + (resumed ? have : 0), b.data, b.len);
            store_blob_part_put(st, sha, joined, keep);
            free(joined);
        }
    }
    if (r == SYNC_OK) r = status_result(status, &hd, "blob", rep);
    if (r == SYNC_OK) {
        size_t total = (resumed ? have : 0) + b.len;
        unsigned char *all = malloc(total ? total : 1);
        if (!all)
            r = SYNC_OFFLINE;
        else {
            if (resumed && have) memcpy(all, part, have);
            memcpy(all + (resumed ? have : 0), b.data, b.len);
            char got[65];
            sync_sha256_hex(all, total, got);
            if (total != (size_t)size || strcmp(got, sha) != 0) {
                /* never marked present; the partial goes too, so the next try starts clean */
                store_blob_part_put(st, sha, "", 0);
                snprintf(rep->msg, sizeof rep->msg, "blob %.12s: %zu bytes that do not match their hash", sha, total);
                r = SYNC_BAD_DATA;
            } else if (!store_blob_put(st, sha, all, total)) {
                snprintf(rep->msg, sizeof rep->msg, "blob %.12s: could not store it", sha);
                r = store_disk_full(st) ? SYNC_DISK_FULL : SYNC_OFFLINE;
            } else {
                rep->blobs_fetched++;
                s->done++;
                if (s->progress) s->progress(s->progress_ctx, s->done, s->need);
            }
            free(all);
        }
    }
    free(part);
    free(b.data);
    return r;
}

/* Checks a {sha256, size} object; returns the sha or NULL. */
static const char *blob_ref(const cJSON *o, long *size) {
    if (!cJSON_IsObject(o)) return NULL;
    const char *sha = get_str(o, "sha256", 64);
    long long sz;
    if (!is_sha(sha) || !get_int(cJSON_GetObjectItemCaseSensitive(o, "size"), 0, MAX_BLOB, &sz)) return NULL;
    *size = (long)sz;
    return sha;
}

static sync_result materialize(store *st, const cJSON *man, const char *dir, char *err, size_t errcap);
static bool safe_rel_path(const char *rel);

static sync_result do_manifest(sync_engine *s, store *st, const char *token, sync_report *rep) {
    char *etag = store_sync_get(st, "etag");
    buf b;
    headers hd;
    long status;
    sync_result r = http(s, "GET", "/v1/manifest", token, NULL, etag, 0, MAX_JSON, &b, &hd, &status, rep);
    free(etag);
    if (r == SYNC_OK) r = status_result(status, &hd, "manifest", rep);
    if (r != SYNC_OK || status == 304) {
        free(b.data);
        return r;
    }
    cJSON *j = parse_json(&b, "manifest", rep);
    /* every field typed before anything is fetched */
    const cJSON *prog = j ? cJSON_GetObjectItemCaseSensitive(j, "programme") : NULL;
    const cJSON *mods = j ? cJSON_GetObjectItemCaseSensitive(j, "modules") : NULL;
    long size;
    const char *psha = prog ? blob_ref(cJSON_GetObjectItemCaseSensitive(prog, "content"), &size) : NULL;
    if (!j || !cJSON_IsObject(prog) || !psha || !cJSON_IsArray(mods) ||
        cJSON_GetArraySize(mods) > MS_SYNC_MAX_MODULES) {
        if (j) snprintf(rep->msg, sizeof rep->msg, "manifest: missing or wrong-typed fields");
        cJSON_Delete(j);
        free(b.data);
        return SYNC_BAD_DATA;
    }
    const cJSON *m;
    /* what the whole programme would take on the disk, counted before anything is fetched */
    double total = (double)size;
    cJSON_ArrayForEach(m, mods) {
        const cJSON *unl = cJSON_GetObjectItemCaseSensitive(m, "unlocked");
        if (!cJSON_IsObject(m) || !get_str(m, "id", MS_DOC_MAX_ID) || !cJSON_IsBool(unl)) r = SYNC_BAD_DATA;
        long sz;
        const cJSON *content = cJSON_GetObjectItemCaseSensitive(m, "content");
        if (content && !blob_ref(content, &sz)) r = SYNC_BAD_DATA;
        if (content && r == SYNC_OK) total += (double)sz;
        const cJSON *assets = cJSON_GetObjectItemCaseSensitive(m, "assets"), *a;
        if (assets && (!cJSON_IsArray(assets) || cJSON_GetArraySize(assets) > MS_SYNC_MAX_ASSETS)) r = SYNC_BAD_DATA;
        cJSON_ArrayForEach(a, assets) {
            const char *path = get_str(a, "path", MS_SYNC_MAX_PATH);
            if (!blob_ref(a, &sz) || !path || !safe_rel_path(path))
                r = SYNC_BAD_DATA;
            else
                total += (double)sz;
        }
    }
    if (r != SYNC_OK) snprintf(rep->msg, sizeof rep->msg, "manifest: a module is malformed");
    if (r == SYNC_OK && total > MS_SYNC_MAX_TOTAL) {
        snprintf(rep->msg, sizeof rep->msg, "manifest: the programme's files come to %.0f bytes, over the %d cap",
                 total, MS_SYNC_MAX_TOTAL);
        r = SYNC_BAD_DATA;
    }
    /* how many files this pass must fetch, for the progress bar */
    s->need = s->done = 0;
    if (r == SYNC_OK) {
        long sz;
        if (!store_blob_has(st, psha)) s->need++;
        cJSON_ArrayForEach(m, mods) {
            const char *csha = blob_ref(cJSON_GetObjectItemCaseSensitive(m, "content"), &sz);
            if (csha && !store_blob_has(st, csha)) s->need++;
            const cJSON *a;
            cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(m, "assets")) {
                const char *asha = blob_ref(a, &sz);
                if (asha && !store_blob_has(st, asha)) s->need++;
            }
        }
        if (s->need && s->progress) s->progress(s->progress_ctx, 0, s->need);
    }
    /* fetch what is missing; the manifest is committed only when every blob it names is here */
    if (r == SYNC_OK && !store_blob_has(st, psha)) r = fetch_blob(s, st, token, psha, size, rep);
    cJSON_ArrayForEach(m, mods) {
        if (r != SYNC_OK) break;
        long sz;
        const char *csha = blob_ref(cJSON_GetObjectItemCaseSensitive(m, "content"), &sz);
        if (csha && !store_blob_has(st, csha)) r = fetch_blob(s, st, token, csha, sz, rep);
        const cJSON *a;
        cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(m, "assets")) {
            if (r != SYNC_OK) break;
            const char *asha = blob_ref(a, &sz);
            if (asha && !store_blob_has(st, asha)) r = fetch_blob(s, st, token, asha, sz, rep);
        }
    }
    /* the new programme is built and validated before it is committed: one that does not pass is refused and
     * the cached one stays in place; the manifest is not committed, so the next pass asks again */
    if (r == SYNC_OK && s->content_dir[0]) {
        char err[sizeof rep->msg - 16];
        r = materialize(st, j, s->content_dir, err, sizeof err);
        if (r != SYNC_OK) snprintf(rep->msg, sizeof rep->msg, "manifest: %s", err);
    }
    if (r == SYNC_OK) {
        if (store_begin(st) && store_sync_set(st, "manifest", (const char *)b.data) &&
            store_sync_set(st, "etag", hd.etag) && store_commit(st)) {
            rep->manifest_changed = true;
        } else {
            store_rollback(st);
            snprintf(rep->msg, sizeof rep->msg, "manifest: could not store it: %s", store_last_error(st));
            r = store_disk_full(st) ? SYNC_DISK_FULL : SYNC_OFFLINE;
        }
    }
    cJSON_Delete(j);
    free(b.data);
    return r;
}

static sync_result do_changes(sync_engine *s, store *st, const char *token, sync_report *rep, bool *unlocked) {
    for (int page = 0; page < CHANGES_PAGES; page++) {
        char *cur = store_sync_get(st, "cursor");
        char path[96];
        long long since = cur ? strtoll(cur, NULL, 10) : 0;
        free(cur);
        if (since < 0) since = 0;
        snprintf(path, sizeof path, "/v1/changes?since=%lld", since);
        buf b;
        headers hd;
        long status;
        sync_result r = http(s, "GET", path, token, NULL, NULL, 0, MAX_JSON, &b, &hd, &status, rep);
        if (r == SYNC_OK) r = status_result(status, &hd, "changes", rep);
        cJSON *j = r == SYNC_OK ? parse_json(&b, "changes", rep) : NULL;
        free(b.data);
        if (r != SYNC_OK) return r;
        const cJSON *items = j ? cJSON_GetObjectItemCaseSensitive(j, "items") : NULL;
        long long next;
        if (!cJSON_IsArray(items) ||
            !get_int(cJSON_GetObjectItemCaseSensitive(j, "next"), 0, (double)MS_JSON_MAX_ID, &next)) {
            if (j) snprintf(rep->msg, sizeof rep->msg, "changes: missing, wrong-typed or out-of-range fields");
            cJSON_Delete(j);
            return SYNC_BAD_DATA;
        }
        int n = cJSON_GetArraySize(items);
        if (n == 0) {
            cJSON_Delete(j);
            return SYNC_OK;
        }
        /* the items and the new cursor in one transaction: a kill leaves both or neither */
        bool ok = store_begin(st);
        const cJSON *it;
        cJSON_ArrayForEach(it, items) {
            if (!ok) break;
            const char *type = get_str(it, "type", MS_SYNC_MAX_TYPE);
            if (!type) continue;
            if (strcmp(type, "message") == 0) {
                long long id;
                const char *body = get_str(it, "body", MS_SYNC_MAX_MESSAGE),
                           *when = get_str(it, "written_at", MS_WRITTEN_AT_MAX_BYTES);
                if (get_int(cJSON_GetObjectItemCaseSensitive(it, "id"), 1, (double)MS_JSON_MAX_ID, &id) && body &&
                    when) {
                    ok = store_message_add(st, NULL, id, false, body, when, "received");
                } else {
                    /* a message that cannot be stored whole is not skipped (it would be lost without a word):
                     * the page is refused, the cursor stays, and the screen says the server is misbehaving */
                    store_rollback(st);
                    cJSON_Delete(j);
                    snprintf(rep->msg, sizeof rep->msg, "changes: item %d is a message with a missing, wrong-typed or "
                             "out-of-range field", rep->items);
                    return SYNC_BAD_DATA;
                }
            } else if (strcmp(type, "read") == 0) {
                const char *cid = get_str(it, "client_id", MS_CLIENT_ID_MAX);
                if (cid) ok = store_message_state(st, cid, "read");
            } else if (strcmp(type, "unlock") == 0) {
                *unlocked = true;
            }
            rep->items++;
        }
        char nx[32];
        snprintf(nx, sizeof nx, "%lld", next);
        ok = ok && store_sync_set(st, "cursor", nx);
        cJSON_Delete(j);
        if (!ok || !store_commit(st)) {
            store_rollback(st);
            snprintf(rep->msg, sizeof rep->msg, "changes: could not store them");
            return store_disk_full(st) ? SYNC_DISK_FULL : SYNC_OFFLINE;
        }
    }
    return SYNC_OK;
}

typedef struct {
    char kind[16], id[72];
    char *body;
} pending;

typedef struct {
    pending items[OUTBOX_PER_PASS];
    int n;
} pending_list;

static void collect(void *ctx, const char *kind, const char *id, const char *body) {
    pending_list *l = ctx;
    if (l->n == OUTBOX_PER_PASS) return;
    pending *p = &l->items[l->n++];
    snprintf(p->kind, sizeof p->kind, "%s", kind);
    snprintf(p->id, sizeof p->id, "%s", id);
    p->body = strdup(body);
}

static sync_result do_outbox(sync_engine *s, store *st, const char *token, sync_report *rep) {
    pending_list l = {.n = 0};
    store_outbox_pending(st, OUTBOX_PER_PASS, collect, &l);
    sync_result r = SYNC_OK;
    for (int i = 0; i < l.n && r == SYNC_OK; i++) {
        pending *p = &l.items[i];
        if (!p->body) continue;
        char path[128];
        bool msg = strcmp(p->kind, "message") == 0;
        snprintf(path, sizeof path, "/v1/%s/%s", msg ? "messages" : "answers", p->id);
        buf b;
        headers hd;
        long status;
        r = http(s, "PUT", path, token, p->body, NULL, 0, MS_SYNC_MAX_ACK, &b, &hd, &status, rep);
        free(b.data);
        if (r != SYNC_OK) break; /* offline: the row stays pending, sent again with the same id */
        if (status == 200 || status == 201) {
            /* only a 2xx marks it sent (200: it arrived on an earlier try whose answer was lost) */
            store_outbox_mark(st, p->id, "sent", NULL);
            if (msg) store_message_state(st, p->id, "sent");
            rep->messages_sent++;
        } else if (status == 409 || status == 429 || status >= 500 || status == 401 || status == 403 ||
                   status == 426) {
            /* not about this message: the server is busy, the tablet was revoked, or the app is too old. The row
             * stays pending (the patient's words are kept and go when this is over) and the pass ends here */
            r = status_result(status, &hd, "outbox", rep);
            if (status == 409) r = SYNC_SERVER_ERROR;
        } else {
            /* refused for good (422: the same id with another body, 400: malformed): kept for the patient */
            char err[64];
            snprintf(err, sizeof err, "HTTP %ld", status);
            store_outbox_mark(st, p->id, "attention", err);
            if (msg) store_message_state(st, p->id, "attention");
        }
    }
    for (int i = 0; i < l.n; i++)
        free(l.items[i].body);
    return r;
}

sync_result sync_once(sync_engine *s, store *st, sync_report *rep) {
    memset(rep, 0, sizeof *rep);
    s->stop = 0;
    char *token = store_sync_get(st, "token");
    if (!token) {
        snprintf(rep->msg, sizeof rep->msg, "not enrolled");
        return SYNC_AUTH;
    }
    /* the patient's own words first: they matter most and are the smallest */
    sync_result r = do_outbox(s, st, token, rep);
    bool unlocked = false;
    if (r == SYNC_OK) r = do_manifest(s, st, token, rep);
    if (r == SYNC_OK) r = do_changes(s, st, token, rep, &unlocked);
    if (r == SYNC_OK && unlocked) r = do_manifest(s, st, token, rep); /* a module just opened */
    if (r == SYNC_OK) {
        char now[32];
        snprintf(now, sizeof now, "%lld", (long long)time(NULL));
        store_sync_set(st, "last_synced", now);
    }
    free(token);
    return r;
}

/* ---- the synced programme as a content directory ------------------------------------------------------- */

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* rm -rf for a directory this module wrote (depth first, never following links). */
static void remove_tree(const char *path) { nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS); }

/* A path inside the programme that is safe to write under the content directory: relative, plain characters,
 * no empty, "." or ".." part. Anything else in a manifest is refused before a byte is fetched. */
static bool safe_rel_path(const char *rel) {
    size_t n = strlen(rel);
    if (n == 0 || n > MS_SYNC_MAX_PATH || rel[0] == '/' || rel[n - 1] == '/') return false;
    for (const char *p = rel; *p; p++) {
        unsigned char c = (unsigned char)*p;
        /* letters beyond ASCII (UTF-8 bytes: «bilder/ødeland.svg») are fine; controls, spaces, '\\', ':' are not */
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                     c == '_' || c == '.' || c == '/' || c >= 0x80;
        if (!plain) return false;
        if (c == '/' && p[1] == '/') return false;
        bool part_start = p == rel || p[-1] == '/';
        if (part_start && c == '.') return false; /* ".", "..", and hidden files */
    }
    return strcmp(rel, "programme.json") != 0;
}

typedef enum { WR_OK, WR_FULL, WR_FAIL } write_status;

static write_status write_file(const char *root, const char *rel, const void *data, size_t len) {
    if (!safe_rel_path(rel) && strcmp(rel, "programme.json") != 0) return WR_FAIL;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    /* make the parent directories */
    for (char *p = path + strlen(root) + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0700);
            *p = '/';
        }
    }
    FILE *f = fopen(path, "wb"); /* dir.new is ours and fresh, and no path part is "..": no link to follow */
    if (!f) return errno == ENOSPC || errno == EDQUOT ? WR_FULL : WR_FAIL;
    errno = 0;
    bool ok = fwrite(data, 1, len, f) == len;
    ok = fflush(f) == 0 && fsync(fileno(f)) == 0 && ok;
    int e = errno;
    ok = fclose(f) == 0 && ok;
    if (!ok && !e) e = errno;
    return ok ? WR_OK : e == ENOSPC || e == EDQUOT ? WR_FULL : WR_FAIL;
}

static write_status write_blob(store *st, const char *root, const char *rel, const char *sha) {
    size_t len;
    unsigned char *data = store_blob_get(st, sha, &len);
    if (!data) return WR_FAIL;
    write_status w = write_file(root, rel, data, len);
    free(data);
    return w;
}

/* The first problem the validator finds, for the log and the report. */
typedef struct {
    int n;
    char first[300];
} problems;

static void first_problem(void *ctx, const char *where, const char *msg) {
    problems *p = ctx;
    if (p->n++ == 0) snprintf(p->first, sizeof p->first, "%s: %s", where, msg);
}

/* Builds the programme a manifest describes in dir.new, validates it, and puts it in place of dir. Every blob
 * the manifest names must be in the store. On any failure dir is as it was. */
static sync_result materialize(store *st, const cJSON *man, const char *dir, char *err, size_t errcap) {
    long size;
    const char *psha = blob_ref(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(man, "programme"), "content"), &size);
    size_t plen = 0;
    unsigned char *ptext = psha ? store_blob_get(st, psha, &plen) : NULL;
    cJSON *prog = NULL;
    if (ptext && !json_nests_deeper_than((const char *)ptext, plen, MS_DOC_MAX_DEPTH) &&
        !json_has_nul((const char *)ptext, plen))
        prog = cJSON_ParseWithLength((const char *)ptext, plen);
    free(ptext);
    const cJSON *pmods = cJSON_GetObjectItemCaseSensitive(prog, "modules");
    if (!cJSON_IsObject(prog) || !cJSON_IsArray(pmods)) {
        cJSON_Delete(prog);
        snprintf(err, errcap, "the programme document is not a programme");
        return SYNC_CONTENT_REFUSED;
    }
    char tmp[1024], old[1024];
    snprintf(tmp, sizeof tmp, "%s.new", dir);
    snprintf(old, sizeof old, "%s.old", dir);
    remove_tree(tmp);
    remove_tree(old);
    if (mkdir(tmp, 0700) != 0) {
        cJSON_Delete(prog);
        snprintf(err, errcap, "could not make %s: %s", tmp, strerror(errno));
        return errno == ENOSPC || errno == EDQUOT ? SYNC_DISK_FULL : SYNC_BAD_DATA;
    }
    write_status w = WR_OK;
    sync_result r = SYNC_OK;
    cJSON *pm;
    cJSON_ArrayForEach(pm, pmods) {
        const char *id = get_str(pm, "id", MS_DOC_MAX_ID), *file = get_str(pm, "file", MS_SYNC_MAX_PATH);
        if (!id || !file || !safe_rel_path(file)) {
            snprintf(err, errcap, "a module of the programme has no id or a file name that cannot be used");
            r = SYNC_CONTENT_REFUSED;
            break;
        }
        /* this module in the manifest */
        const cJSON *mm = NULL, *x;
        cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(man, "modules")) {
            const char *mid = get_str(x, "id", MS_DOC_MAX_ID);
            if (mid && strcmp(mid, id) == 0) mm = x;
        }
        long sz;
        const char *csha = mm ? blob_ref(cJSON_GetObjectItemCaseSensitive(mm, "content"), &sz) : NULL;
        bool open = mm && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(mm, "unlocked")) && csha;
        /* replace, or add when the clinic's programme.json has none (Replace alone would leak the new item) */
        cJSON_DeleteItemFromObjectCaseSensitive(pm, "unlocked");
        cJSON_AddBoolToObject(pm, "unlocked", open);
        if (open) {
            w = write_blob(st, tmp, file, csha);
            const cJSON *a;
            cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(mm, "assets")) {
                const char *path = get_str(a, "path", MS_SYNC_MAX_PATH), *asha = blob_ref(a, &sz);
                if (w == WR_OK && path && asha) w = write_blob(st, tmp, path, asha);
            }
        } else {
            /* the reader never opens a locked module; the placeholder keeps the programme loadable */
            char pid[MS_DOC_MAX_ID + 16], bid[MS_DOC_MAX_ID + 16];
            snprintf(pid, sizeof pid, "%s-locked", id);
            snprintf(bid, sizeof bid, "%s-locked-b", id);
            cJSON *stub = cJSON_CreateObject(), *pages = cJSON_AddArrayToObject(stub, "pages");
            cJSON *page = cJSON_CreateObject(), *blocks = cJSON_AddArrayToObject(page, "blocks");
            cJSON *b = cJSON_CreateObject();
            cJSON_AddNumberToObject(stub, "format", 1);
            cJSON_AddStringToObject(stub, "id", id);
            cJSON_AddStringToObject(stub, "title", "-");
            cJSON_AddStringToObject(page, "id", pid);
            cJSON_AddStringToObject(page, "title", "-");
            cJSON_AddStringToObject(b, "id", bid);
            cJSON_AddStringToObject(b, "type", "paragraph");
            cJSON_AddStringToObject(b, "text", "-");
            cJSON_AddItemToArray(blocks, b);
            cJSON_AddItemToArray(pages, page);
            char *text = cJSON_PrintUnformatted(stub);
            cJSON_Delete(stub);
            w = text ? write_file(tmp, file, text, strlen(text)) : WR_FAIL;
            free(text);
        }
        if (w != WR_OK) break;
    }
    if (r == SYNC_OK && w == WR_OK) {
        char *ptext2 = cJSON_PrintUnformatted(prog);
        w = ptext2 ? write_file(tmp, "programme.json", ptext2, strlen(ptext2)) : WR_FAIL;
        free(ptext2);
    }
    cJSON_Delete(prog);
    if (r == SYNC_OK && w != WR_OK) {
        snprintf(err, errcap, "could not write the programme to %s%s", tmp,
                 w == WR_FULL ? ": the disk is full" : " (a file name the manifest gives cannot be written)");
        r = w == WR_FULL ? SYNC_DISK_FULL : SYNC_CONTENT_REFUSED;
    }
    /* the same rules as `meistring --validate`: what does not pass is never shown */
    problems pr = {0};
    if (r == SYNC_OK && doc_validate_dir(tmp, first_problem, &pr) != 0) {
        snprintf(err, errcap, "the programme does not validate (%d problems), the first: %s", pr.n, pr.first);
        r = SYNC_CONTENT_REFUSED;
    }
    if (r != SYNC_OK) {
        remove_tree(tmp);
        return r;
    }
    /* swap: the old directory goes aside, the new one takes its name, the old one goes */
    rename(dir, old);
    if (rename(tmp, dir) != 0) {
        rename(old, dir);
        remove_tree(tmp);
        snprintf(err, errcap, "could not put the programme in place at %s", dir);
        return SYNC_BAD_DATA;
    }
    remove_tree(old);
    return SYNC_OK;
}

sync_result sync_materialize(store *st, const char *dir, char *err, size_t errcap) {
    char *mtext = store_sync_get(st, "manifest");
    if (!mtext) {
        snprintf(err, errcap, "nothing synced yet");
        return SYNC_BAD_DATA;
    }
    cJSON *man = cJSON_Parse(mtext);
    free(mtext);
    if (!man) {
        snprintf(err, errcap, "the stored manifest is unreadable");
        return SYNC_BAD_DATA;
    }
    sync_result r = materialize(st, man, dir, err, errcap);
    cJSON_Delete(man);
    return r;
}
