/* sync_net.h — the seam between the sync engine (in the client) and its network module (meistring-net.so, the
 * only code that speaks curl). What crosses it: the buffers a response is read into, one request, and a table of
 * functions the module hands back from its one exported symbol, meistring_net_v1().
 *
 * Why a module and not libcurl linked into the client: libcurl with its TLS, Kerberos, LDAP and SSH libraries is
 * about 24 shared libraries and ~4.9 MB mapped at every start (issue 14), and the demo, the waiting-room kiosk and
 * a tablet reading offline never open a connection. So the client loads the module (and with it libcurl) only in
 * sync_new(), which is called only when a server is configured. A module of our own rather than dlopen() of
 * libcurl itself: the curl code stays ordinary C checked by the compiler against curl's header (a table of ~25
 * curl functions resolved by name would not be), the security rules (TLS ≥ 1.2 and verified, the loopback
 * check on every socket, no redirects, capped bodies) stay in one file, and the table here is six functions.
 * Where the module is looked for: sync_http.c (sync_net_load). */
#ifndef MS_SYNC_NET_H
#define MS_SYNC_NET_H

#include "meistring/sync.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Raised whenever the table or the request changes shape: a module from another build is refused, not called. */
#define SYNC_NET_ABI 1

typedef struct {
    unsigned char *data;
    size_t len, cap, max;
    bool over;
} buf;

typedef struct {
    char etag[128];
    int retry_after;
} headers;

/* Appends k bytes to a response, capped while it streams: past b->max nothing more is kept, b->over is set and
 * 0 is returned (curl then stops the transfer). Both sides of the seam fill buffers, so it lives here. */
static inline size_t buf_append(buf *b, const char *p, size_t k) {
    if (b->len + k > b->max) {
        b->over = true;
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

/* One HTTP exchange, as the engine asks for it. */
typedef struct {
    const char *url;           /* server + path */
    const char *path;          /* the path alone, for messages in the log */
    const char *method;        /* GET, POST, PUT, DELETE */
    const char *token;         /* Authorization: Bearer, or NULL */
    const char *body;          /* JSON, or NULL */
    const char *if_none_match; /* or NULL/"" */
    const char *pin;           /* curl's "sha256//…" public-key pin, or "" */
    const char *ca;            /* a CA bundle file, or "" */
    const char *user_agent;    /* the client's version, for both headers */
    long range_from;           /* > 0: resume a blob from this byte */
    long timeout_ms;
    bool loopback;             /* http allowed and certificates unchecked, but every socket must be loopback */
    volatile int *stop;        /* set by sync_wake: give up now */
} sync_net_request;

typedef struct {
    int abi;            /* SYNC_NET_ABI */
    size_t size;        /* sizeof(sync_net_ops) */
    /* Once per process; "" when ready, otherwise why not (curl could not start). */
    const char *(*init)(void);
    /* Checks a server URL with curl's own parser (the one that will connect); sets *loopback, or writes why it is
     * refused into bad ("" when it is fine). */
    void (*check_url)(const char *url, bool *loopback, char *bad, size_t badcap);
    void *(*open)(void);      /* a curl multi handle, or NULL */
    void (*close)(void *net); /* NULL is a no-op */
    void (*wake)(void *net);  /* thread-safe: cut a wait short */
    /* SYNC_OK for any HTTP status (in *status); SYNC_REFUSED when the peer could not prove to be the clinic. */
    sync_result (*exchange)(void *net, const sync_net_request *rq, buf *out, headers *hd, long *status,
                            sync_report *rep);
} sync_net_ops;

/* The module's one export. A test or fuzzer that links the module's code in (ms_net_static) gets it resolved at
 * link time and loads nothing. */
const sync_net_ops *meistring_net_v1(void);

#endif
