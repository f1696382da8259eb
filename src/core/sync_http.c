/* sync_http.c — the sync engine's transport: the engine object and its curl multi handle, one HTTP exchange
 * (or the in-process transport of tests and fuzzing), response budgets, the loopback and TLS rules, status codes,
 * and JSON from the network. The seam: this is the only file that speaks curl; sync.c and sync_content.c ask
 * sync_http() for bytes and never see how they travelled. The hostile-server rules that live here: responses are
 * capped while they stream (the write callback counts), JSON from the network is parsed with a length and a nesting
 * limit, redirects are refused, and TLS is verified (at least 1.2) except on loopback. */
#include "sync_internal.h"

#include "jsondepth.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

void sync_set_transport(sync_engine *s, sync_transport_fn fn, void *ctx) {
    s->transport = fn;
    s->transport_ctx = ctx;
}

static bool curl_ready;

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

/* One HTTP exchange through the multi handle. Returns SYNC_OK for any HTTP status (in *status). */
sync_result sync_http(sync_engine *s, const char *method, const char *path, const char *token, const char *body,
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
    } else if (strcmp(method, "DELETE") == 0) {
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "DELETE");
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
sync_result sync_status_result(long status, const headers *hd, const char *what, sync_report *rep) {
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
cJSON *sync_parse_json(const buf *b, const char *what, sync_report *rep) {
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
