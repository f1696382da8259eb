/* sync_http.c — the sync engine's transport: the engine object, the network module loaded behind it (sync_net.h:
 * the curl code lives in meistring-net.so, loaded only here, when an engine is made, so a client with no server
 * configured never maps libcurl), one HTTP exchange (or the in-process transport of tests and fuzzing), status
 * codes, and JSON from the network. The seam: sync.c and sync_content.c ask sync_http() for bytes and never see
 * how they travelled. JSON from the network is parsed here with a length and a nesting limit; the rules of the
 * wire itself (caps while streaming, no redirects, TLS ≥ 1.2 verified except on loopback, loopback sockets only
 * on loopback) are in the module, sync_net.c. */
#include "sync_internal.h"

#include "dlfn.h"
#include "jsondepth.h"
#include "meistring/module.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void sync_set_transport(sync_engine *s, sync_transport_fn fn, void *ctx) {
    s->transport = fn;
    s->transport_ctx = ctx;
}

/* ---- the network module ------------------------------------------------------------------------------------ */

/* Linked in by tests and fuzzers (ms_net_static); NULL in the client, which loads the module instead. */
extern const sync_net_ops *meistring_net_v1(void) __attribute__((weak));

#define NET_MODULE_FILE "meistring-net.so"
#ifndef MEISTRING_NET_MODULE_DIR
#define MEISTRING_NET_MODULE_DIR "/usr/lib/meistring"
#endif

static char net_path[PATH_MAX];      /* sync_set_net_module, before the first engine */
static const sync_net_ops *net_ops;  /* NULL until loaded, and when loading failed */
static char net_error[sizeof ((sync_engine *)0)->net_error];
static pthread_once_t net_once = PTHREAD_ONCE_INIT;

void sync_set_net_module(const char *path) {
    snprintf(net_path, sizeof net_path, "%s", path ? path : "");
}

/* Where the module is looked for, in order: the path given with --net-module; the directory of the running
 * program (build/ when run from the build tree or by ./quickstart); the installed one (MEISTRING_NET_MODULE_DIR,
 * the package's libdir/meistring). Never the working directory or an environment variable: the module runs with
 * the patient's token. */
static void *net_open_module(char *tried, size_t cap) {
    return module_open(net_path[0] ? net_path : NULL, NET_MODULE_FILE, tried, cap);
}

static void net_load_once(void);

/* Once per process, from the first sync_new; what went wrong is logged once (a path and the loader's words,
 * nothing of the patient's). */
static void net_load(void) {
    net_load_once();
    if (!net_ops)
        fprintf(stderr, "meistring: net: %s; nothing can be synced until it is installed (what is on the tablet "
                "keeps working)\n", net_error);
}

static void net_load_once(void) {
    const sync_net_ops *ops = NULL;
    char tried[PATH_MAX] = "";
    if (meistring_net_v1) {
        ops = meistring_net_v1();
    } else {
        void *h = net_open_module(tried, sizeof tried);
        if (!h) {
            const char *e = dlerror();
            snprintf(net_error, sizeof net_error, "the network module could not be loaded: %s", e ? e : tried);
            return;
        }
        const sync_net_ops *(*get)(void) = NULL;
        ops = dlfn_get(h, "meistring_net_v1", &get) ? get() : NULL;
        if (!ops) {
            snprintf(net_error, sizeof net_error, "%.200s is not a Meistring network module", tried);
            dlclose(h);
            return;
        }
        /* the module stays loaded for the life of the process (curl keeps global state) */
    }
    if (ops->abi != SYNC_NET_ABI || ops->size != sizeof *ops) {
        snprintf(net_error, sizeof net_error, "%.200s is from another version of Meistring (interface %d, not %d)",
                 tried[0] ? tried : "the network module", ops->abi, SYNC_NET_ABI);
        return;
    }
    const char *why = ops->init();
    if (why[0]) {
        snprintf(net_error, sizeof net_error, "the network module could not start: %s", why);
        return;
    }
    net_ops = ops;
}

sync_engine *sync_new(const sync_config *cfg) {
    if (sodium_init() < 0) return NULL;
    pthread_once(&net_once, net_load);
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
    if (!net_ops) {
        /* An engine all the same: every pass ends at once as SYNC_NO_NETWORK with the reason, which the app
         * shows (net_load logged it), and everything already on the tablet keeps working. */
        snprintf(s->net_error, sizeof s->net_error, "%s", net_error);
        return s;
    }
    s->net_ops = net_ops;
    net_ops->check_url(s->server, &s->loopback, s->bad_url, sizeof s->bad_url);
    s->net = net_ops->open();
    if (!s->net) {
        free(s);
        return NULL;
    }
    return s;
}

void sync_free(sync_engine *s) {
    if (!s) return;
    if (s->net_ops) s->net_ops->close(s->net);
    free(s);
}

void sync_wake(sync_engine *s) {
    s->stop = 1;
    if (s->net_ops) s->net_ops->wake(s->net);
}

/* One HTTP exchange. Returns SYNC_OK for any HTTP status (in *status). */
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
        if (n && buf_append(out, (const char *)data, n) != n) {
            if (out->over) {
                snprintf(rep->msg, sizeof rep->msg, "%s %s: response over the %zu-byte cap", method, path, max);
                return SYNC_BAD_DATA;
            }
            return SYNC_OFFLINE;
        }
        rep->bytes_in += (long)n;
        return SYNC_OK;
    }
    if (!s->net_ops) {
        snprintf(rep->msg, sizeof rep->msg, "%s", s->net_error);
        return SYNC_NO_NETWORK;
    }
    char url[1024];
    snprintf(url, sizeof url, "%s%s", s->server, path);
    sync_net_request rq = {
        .url = url, .path = path, .method = method, .token = token, .body = body, .if_none_match = if_none_match,
        .pin = s->pin, .ca = s->ca, .user_agent = MEISTRING_VERSION, .range_from = range_from,
        .timeout_ms = s->timeout_ms, .loopback = s->loopback, .stop = &s->stop,
    };
    return s->net_ops->exchange(s->net, &rq, out, hd, status, rep);
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
