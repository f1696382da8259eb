/* sync_net.c — the network module, built as meistring-net.so and loaded by the client only when a server is
 * configured (sync_net.h says why). The only file that speaks curl. The hostile-server rules that live here:
 * responses are capped while they stream (the write callback counts), redirects are refused, TLS is at least 1.2
 * and verified except on loopback, and on loopback every socket must go to a loopback address. */
#include "sync_net.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "meistring/config.h"

static size_t on_body(char *p, size_t size, size_t n, void *ud) { return buf_append(ud, p, size * n); }

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

static const char *net_init(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT) == 0 ? "" : "libcurl could not start";
}

/* Checks the server URL once, with curl's own parser (the one that will connect): scheme, host, no user info
 * (https://127.0.0.1@clinic.example is a remote host), no query or fragment. */
static void net_check_url(const char *server, bool *loopback, char *bad, size_t badcap) {
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *user = NULL, *pass = NULL, *query = NULL, *frag = NULL;
    *loopback = false;
    bad[0] = '\0';
    if (!u || curl_url_set(u, CURLUPART_URL, server, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        snprintf(bad, badcap, "the server address is not a URL");
    } else if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
               curl_url_get(u, CURLUPART_PASSWORD, &pass, 0) == CURLUE_OK) {
        snprintf(bad, badcap, "the server address holds a user name: refused");
    } else if (curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK ||
               curl_url_get(u, CURLUPART_FRAGMENT, &frag, 0) == CURLUE_OK) {
        snprintf(bad, badcap, "the server address has a query or fragment: refused");
    } else {
        *loopback = host_is_loopback(host);
        if (strcasecmp(scheme, "https") != 0 && !(strcasecmp(scheme, "http") == 0 && *loopback))
            snprintf(bad, badcap, "refusing %.100s: TLS is required except on loopback", server);
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
    const sync_net_request *rq = ctx;
    (void)purpose;
    if (rq->loopback) {
        bool lo = false;
        if (a->family == AF_INET && a->addrlen >= sizeof(struct sockaddr_in))
            lo = (ntohl(((const struct sockaddr_in *)(const void *)&a->addr)->sin_addr.s_addr) >> 24) == 127;
        else if (a->family == AF_INET6 && a->addrlen >= sizeof(struct sockaddr_in6))
            lo = IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)(const void *)&a->addr)->sin6_addr);
        if (!lo) return CURL_SOCKET_BAD;
    }
    return socket(a->family, a->socktype, a->protocol);
}

static void *net_open(void) { return curl_multi_init(); }

static void net_close(void *net) {
    if (net) curl_multi_cleanup(net);
}

static void net_wake(void *net) { curl_multi_wakeup(net); }

/* One HTTP exchange through the multi handle. Returns SYNC_OK for any HTTP status (in *status). */
static sync_result net_exchange(void *multi, const sync_net_request *rq, buf *out, headers *hd, long *status,
                                sync_report *rep) {
    const char *method = rq->method, *url = rq->url, *path = rq->path;
    CURL *e = curl_easy_init();
    if (!e) return SYNC_OFFLINE;
    struct curl_slist *h = NULL;
    char line[512];
    if (rq->token) {
        snprintf(line, sizeof line, "Authorization: Bearer %s", rq->token);
        h = curl_slist_append(h, line);
    }
    if (rq->if_none_match && rq->if_none_match[0]) {
        snprintf(line, sizeof line, "If-None-Match: %s", rq->if_none_match);
        h = curl_slist_append(h, line);
    }
    if (rq->body) h = curl_slist_append(h, "Content-Type: application/json");
    snprintf(line, sizeof line, "X-Meistring-Version: %s", rq->user_agent);
    h = curl_slist_append(h, line);
    snprintf(line, sizeof line, "Meistring/%s", rq->user_agent);
    curl_easy_setopt(e, CURLOPT_USERAGENT, line);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, (void *)(uintptr_t)rq);
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L); /* a redirect is refused, never followed */
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https,http");
    curl_easy_setopt(e, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, rq->loopback ? 0L : 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, rq->loopback ? 0L : 2L);
    if (rq->pin && rq->pin[0]) curl_easy_setopt(e, CURLOPT_PINNEDPUBLICKEY, rq->pin);
    if (rq->ca && rq->ca[0]) curl_easy_setopt(e, CURLOPT_CAINFO, rq->ca);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, rq->timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                     rq->timeout_ms < MS_SYNC_CONNECT_TIMEOUT_MS ? rq->timeout_ms : (long)MS_SYNC_CONNECT_TIMEOUT_MS);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, hd);
    if (rq->range_from > 0) {
        char r[32];
        snprintf(r, sizeof r, "%ld-", rq->range_from);
        curl_easy_setopt(e, CURLOPT_RANGE, r);
    }
    if (strcmp(method, "POST") == 0) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, rq->body ? rq->body : "");
    } else if (strcmp(method, "PUT") == 0) {
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "PUT");
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, rq->body ? rq->body : "");
    } else if (strcmp(method, "DELETE") == 0) {
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "DELETE");
    }
    curl_multi_add_handle(multi, e);
    int running = 1;
    CURLcode result = CURLE_OK;
    while (running && !*rq->stop) {
        if (curl_multi_perform(multi, &running) != CURLM_OK) break;
        if (running) curl_multi_poll(multi, NULL, 0, MS_SYNC_POLL_MS, NULL);
    }
    if (running) result = CURLE_ABORTED_BY_CALLBACK; /* stopped by sync_wake */
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(multi, &left)))
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
    curl_multi_remove_handle(multi, e);
    curl_easy_cleanup(e);
    curl_slist_free_all(h);
    if (out->over) {
        snprintf(rep->msg, sizeof rep->msg, "%s %s: response over the %zu-byte cap", method, path, out->max);
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

__attribute__((visibility("default"))) const sync_net_ops *meistring_net_v1(void) {
    static const sync_net_ops ops = {
        .abi = SYNC_NET_ABI,
        .size = sizeof(sync_net_ops),
        .init = net_init,
        .check_url = net_check_url,
        .open = net_open,
        .close = net_close,
        .wake = net_wake,
        .exchange = net_exchange,
    };
    return &ops;
}
