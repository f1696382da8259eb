/* load.c — issue 15's load figure: enrolled tablets syncing against one or more meistring-server instances on
 * 127.0.0.1, driven by libcurl's multi interface (one thread, many transfers at once).
 * Prints one line per figure (requests/s, syncs/s, latency percentiles, errors by kind, the PUTs' results);
 * never a pass/fail on timing. bench/load.sh enrols the tablets and runs it; alone:
 *   build/bench_load --url http://127.0.0.1:PORT [--url …] --tokens FILE [--seconds S] [--rate R]
 *                    [--concurrency C] [--put-every K] [--keep-alive] [--one-address] [--label TEXT]
 * A sync is what a tablet's pass with nothing new does (docs/sync-protocol.md, «A sync pass»): GET /v1/manifest
 * with the ETag it holds (a 304), then GET /v1/changes from its cursor; every Kth sync of a tablet (--put-every,
 * 10) first PUTs a message under a fresh client id, which must be answered 201 (a 200 would be a replay: the same id
 * stored before). A tablet syncs every 5 minutes and the server closes a connection idle for SRV_IDLE_TIMEOUT_S, so
 * each sync opens a connection of its own (https: a TLS handshake too) and its requests share it; --keep-alive keeps
 * connections from one sync to the next instead, which shows what the connection costs. Each tablet connects from a
 * loopback address of its own (127.1.x.y), as tablets at home do; --one-address sends them all from 127.0.0.1, a clinic
 * behind one NAT, where the server's limit per address (SRV_MAX_CONNECTIONS_PER_ADDR) applies to them all. */
#include <curl/curl.h>

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "meistring/config.h"

/* The bench's own bounds: a run is at most a minute, a request at most 10 s, and what is left in flight when the
 * time is up is waited for no longer than one request's bound (every loop below ends). */
#define LOAD_MAX_SECONDS  60
#define LOAD_REQUEST_MS   10000
#define LOAD_CONNECT_MS   5000
#define LOAD_PRIME_MS     30000 /* the untimed first sync of every tablet */
#define LOAD_MAX_URLS     8
#define LOAD_MAX_INFLIGHT 1024  /* syncs in flight at once; beyond it a due sync waits in the queue */
#define LOAD_MAX_TABLETS  50000 /* each its own address, 127.1.0.1 to 127.1.199.250 */
#define LOAD_ETAG_MAX     72

typedef struct {
    char *token;
    char from[40]; /* CURLOPT_INTERFACE: the loopback address it connects from */
    char etag[LOAD_ETAG_MAX];
    long long cursor;
    unsigned syncs; /* timed syncs begun: every put_every-th of them sends a message */
    bool busy;
} tablet;

enum step { STEP_PUT, STEP_MANIFEST, STEP_CHANGES, STEP_DONE };
enum { K_MANIFEST, K_CHANGES, K_PUT, K_N };
static const char *const kind_name[K_N] = {"manifest", "changes", "put"};

/* Errors by kind: the transport's (connect, timeout, anything else curl saw) and the status's. */
enum { E_CONNECT, E_TIMEOUT, E_TRANSPORT, E_4XX, E_5XX, E_UNEXPECTED, E_N };
static const char *const err_name[E_N] = {"connect", "timeout", "transport", "4xx", "5xx", "unexpected"};

/* One sync in flight: its tablet, its step, and the one easy handle it reuses step after step. */
typedef struct {
    CURL *h;
    struct curl_slist *hdrs;
    int tablet;
    enum step step;
    double due_ms, req_ms; /* when the sync was due (open loop) or began (closed), when its request was sent */
    size_t url;            /* which --url the request went to */
    char *body;
    size_t len;
    bool over; /* the reply was longer than MS_SYNC_MAX_JSON, as the tablet caps it */
    char etag[LOAD_ETAG_MAX];
    char put[256];
    bool first; /* the sync's first request: on a connection of its own unless --keep-alive */
    bool in_use;
} slot;

typedef struct {
    double *v;
    size_t n, cap;
} samples;

static const char *urls[LOAD_MAX_URLS];
static size_t n_urls;
static uint64_t rng; /* xorshift64, seeded from the run's id: which instance a sync goes to */
static tablet *tablets;
static size_t n_tablets;
static slot *slots;
static size_t n_slots;
static CURLM *multi;
static char run_id[17];
static unsigned long long put_counter;
static bool recording;   /* false while priming: nothing counted */
static bool keep_alive;  /* connections kept from one sync to the next */
static bool one_address; /* every tablet from 127.0.0.1 */

static samples lat[K_N], sync_lat;
static unsigned long long done_in_window[K_N], syncs_in_window, syncs_ok, syncs_failed, syncs_cut, manifest_200,
    per_url[LOAD_MAX_URLS];
static unsigned long long errors[E_N], errors_kind[K_N];
static unsigned long long transport_code[CURL_LAST]; /* E_TRANSPORT by curl's code, to say which */
static unsigned long long connects; /* new connections made: keep-alive means a handful, not one a request */
static unsigned long long puts_sent, puts_created, puts_replayed, puts_failed;
static double window_end_ms;
static unsigned long long syncs_due, syncs_unstarted; /* open loop: due in the window, and never begun */

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

static void die(const char *what) {
    fprintf(stderr, "bench_load: %s\n", what);
    exit(2);
}

static void add_sample(samples *s, double v) {
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4096;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        if (!s->v) die("out of memory");
    }
    s->v[s->n++] = v;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Nearest rank on a sorted array. */
static double pct(const samples *s, double p) {
    if (!s->n) return 0;
    size_t i = (size_t)ceil(p * (double)s->n);
    return s->v[i ? i - 1 : 0];
}

/* The URL as curl's own parser reads it must be http[s]://127.0.0.1[:PORT]: nothing else, so the bench cannot be
 * pointed at a machine it does not own (loopback only, as every server in the tests). */
static bool url_is_loopback(const char *u) {
    CURLU *h = curl_url();
    char *scheme = NULL, *host = NULL, *user = NULL, *query = NULL, *frag = NULL, *path = NULL;
    bool ok = h && curl_url_set(h, CURLUPART_URL, u, 0) == CURLUE_OK &&
              curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
              (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0) &&
              curl_url_get(h, CURLUPART_HOST, &host, 0) == CURLUE_OK && strcmp(host, "127.0.0.1") == 0 &&
              curl_url_get(h, CURLUPART_USER, &user, 0) == CURLUE_NO_USER &&
              curl_url_get(h, CURLUPART_QUERY, &query, 0) == CURLUE_NO_QUERY &&
              curl_url_get(h, CURLUPART_FRAGMENT, &frag, 0) == CURLUE_NO_FRAGMENT &&
              curl_url_get(h, CURLUPART_PATH, &path, 0) == CURLUE_OK && strcmp(path, "/") == 0;
    curl_free(scheme), curl_free(host), curl_free(user), curl_free(query), curl_free(frag), curl_free(path);
    curl_url_cleanup(h);
    /* and as written: no trailing slash to double, no spelling of the host curl would normalise */
    size_t n = strncmp(u, "https://", 8) == 0 ? 8 : 7;
    return ok && strncmp(u + n, "127.0.0.1", 9) == 0 && (u[n + 9] == '\0' || u[n + 9] == ':') &&
           u[strlen(u) - 1] != '/';
}

static void load_tokens(const char *path, size_t want) {
    FILE *f = fopen(path, "r");
    if (!f) die("cannot read --tokens");
    char line[256];
    size_t cap = 0;
    while (fgets(line, sizeof line, f) && (!want || n_tablets < want)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0]) continue;
        for (const char *p = line; *p; p++)
            if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '-' ||
                  *p == '_' || *p == '.'))
                die("a token holds a character a Bearer token does not");
        if (n_tablets == LOAD_MAX_TABLETS) die("too many tokens");
        if (n_tablets == cap) {
            cap = cap ? cap * 2 : 256;
            tablets = realloc(tablets, cap * sizeof *tablets);
            if (!tablets) die("out of memory");
        }
        tablet *t = &tablets[n_tablets++];
        memset(t, 0, sizeof *t);
        snprintf(t->from, sizeof t->from, "host!127.1.%zu.%zu", (n_tablets - 1) / 250, (n_tablets - 1) % 250 + 1);
        t->token = strdup(line);
        if (!t->token) die("out of memory");
    }
    fclose(f);
    if (!n_tablets) die("no tokens in --tokens");
}

static size_t on_body(char *p, size_t size, size_t n, void *ud) {
    slot *s = ud;
    size_t len = size * n;
    if (s->len + len > MS_SYNC_MAX_JSON) {
        s->over = true;
        return 0; /* curl ends the transfer (CURLE_WRITE_ERROR) */
    }
    char *b = realloc(s->body, s->len + len + 1);
    if (!b) return 0;
    memcpy(b + s->len, p, len);
    s->body = b;
    s->len += len;
    b[s->len] = '\0';
    return len;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud) {
    slot *s = ud;
    size_t len = size * n;
    if (len > 5 && strncasecmp(p, "ETag:", 5) == 0) {
        size_t i = 5, j = len;
        while (i < j && (p[i] == ' ' || p[i] == '\t'))
            i++;
        while (j > i && (p[j - 1] == '\r' || p[j - 1] == '\n' || p[j - 1] == ' '))
            j--;
        if (j - i < sizeof s->etag) {
            memcpy(s->etag, p + i, j - i);
            s->etag[j - i] = '\0';
        }
    }
    return len;
}

/* Sends the slot's current step to its sync's URL. */
static void send_step(slot *s) {
    tablet *t = &tablets[s->tablet];
    CURL *h = s->h;
    curl_easy_reset(h);
    curl_slist_free_all(s->hdrs);
    s->hdrs = NULL;
    s->len = 0;
    s->over = false;
    s->etag[0] = '\0';
    char url[512], hdr[600];
    snprintf(hdr, sizeof hdr, "Authorization: Bearer %s", t->token);
    s->hdrs = curl_slist_append(s->hdrs, hdr);
    s->hdrs = curl_slist_append(s->hdrs, "X-Meistring-Version: " MEISTRING_VERSION);
    switch (s->step) {
    case STEP_PUT: {
        char id[40];
        snprintf(id, sizeof id, "ld%s%012llx", run_id, ++put_counter);
        snprintf(url, sizeof url, "%s/v1/messages/%s", urls[s->url], id);
        /* no health data: a fixed sentence, and the time it was "written" */
        snprintf(s->put, sizeof s->put, "{\"body\": \"load test %llu\", \"written_at\": \"2026-01-01T12:00:00+01:00\"}",
                 put_counter);
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PUT");
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, s->put);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(s->put));
        s->hdrs = curl_slist_append(s->hdrs, "Content-Type: application/json");
        s->hdrs = curl_slist_append(s->hdrs, "Expect:");
        if (recording) puts_sent++;
        break;
    }
    case STEP_MANIFEST:
        snprintf(url, sizeof url, "%s/v1/manifest", urls[s->url]);
        if (t->etag[0]) {
            snprintf(hdr, sizeof hdr, "If-None-Match: %s", t->etag);
            s->hdrs = curl_slist_append(s->hdrs, hdr);
        }
        break;
    case STEP_CHANGES: snprintf(url, sizeof url, "%s/v1/changes?since=%lld", urls[s->url], t->cursor); break;
    case STEP_DONE: abort();
    }
    if (!s->hdrs) die("out of memory");
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, s->hdrs);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "Meistring-bench-load/" MEISTRING_VERSION);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    /* as the tablet on loopback (docs/sync-protocol.md): a self-signed certificate is taken there, and only there */
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    if (!keep_alive) {
        curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, s->first ? 1L : 0L);
        curl_easy_setopt(h, CURLOPT_FORBID_REUSE, s->step == STEP_CHANGES ? 1L : 0L);
    }
    curl_easy_setopt(h, CURLOPT_PROXY, ""); /* never a proxy from the environment: loopback, straight */
    if (!one_address) curl_easy_setopt(h, CURLOPT_INTERFACE, t->from);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)LOAD_REQUEST_MS);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)LOAD_CONNECT_MS);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, s);
    curl_easy_setopt(h, CURLOPT_PRIVATE, s);
    s->req_ms = now_ms();
    if (curl_multi_add_handle(multi, h) != CURLM_OK) die("curl_multi_add_handle failed");
}

static slot *free_slot(void) {
    for (size_t i = 0; i < n_slots; i++)
        if (!slots[i].in_use) return &slots[i];
    return NULL;
}

/* Begins a sync of tablet ti on a free slot. with_put: this sync first sends a message. With two instances each
 * sync goes to one of them at random, all its requests on its one connection, as a balancer that spreads
 * connections sends them; a tablet is not pinned to either (in turn, tablets and instances would pair for good). */
static void start_sync(slot *s, int ti, double due_ms, bool with_put) {
    s->in_use = true;
    s->tablet = ti;
    s->due_ms = due_ms;
    s->step = with_put ? STEP_PUT : STEP_MANIFEST;
    s->first = true;
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    s->url = (size_t)(rng % n_urls);
    tablets[ti].busy = true;
    send_step(s);
    s->first = false;
}

static void end_sync(slot *s) {
    s->in_use = false;
    tablets[s->tablet].busy = false;
}

/* A request finished: what it was, counted; the sync goes on to its next step, or ends. */
static void finished(slot *s, CURLcode rc, bool stopping) {
    double t = now_ms();
    long status = 0, made = 0;
    curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(s->h, CURLINFO_NUM_CONNECTS, &made);
    curl_multi_remove_handle(multi, s->h);
    int kind = s->step == STEP_PUT ? K_PUT : s->step == STEP_MANIFEST ? K_MANIFEST : K_CHANGES;
    int err = -1;
    if (rc == CURLE_COULDNT_CONNECT)
        err = E_CONNECT;
    else if (rc == CURLE_OPERATION_TIMEDOUT)
        err = E_TIMEOUT;
    else if (rc != CURLE_OK)
        err = E_TRANSPORT;
    else if (status >= 400 && status < 500)
        err = E_4XX;
    else if (status >= 500)
        err = E_5XX;
    else if (kind == K_MANIFEST ? status != 200 && status != 304
             : kind == K_PUT    ? status != 201 && status != 200
                                : status != 200)
        err = E_UNEXPECTED;
    tablet *tb = &tablets[s->tablet];
    if (err < 0 && kind == K_MANIFEST && status == 200) {
        if (s->etag[0]) memcpy(tb->etag, s->etag, sizeof tb->etag);
        if (recording) manifest_200++;
    }
    if (err < 0 && kind == K_CHANGES) {
        cJSON *j = cJSON_ParseWithLength(s->body ? s->body : "", s->len);
        const cJSON *next = cJSON_GetObjectItemCaseSensitive(j, "next");
        if (cJSON_IsNumber(next) && next->valuedouble >= 0 && next->valuedouble <= 9007199254740992.0)
            tb->cursor = (long long)next->valuedouble;
        else
            err = E_UNEXPECTED;
        cJSON_Delete(j);
    }
    if (recording) {
        add_sample(&lat[kind], t - s->req_ms);
        if (t <= window_end_ms) done_in_window[kind]++;
        per_url[s->url]++;
        connects += (unsigned long long)made;
        if (kind == K_PUT) {
            if (err < 0 && status == 201)
                puts_created++;
            else if (err < 0 && status == 200)
                puts_replayed++;
            else
                puts_failed++;
        }
        if (err >= 0) errors[err]++, errors_kind[kind]++;
        if (err == E_TRANSPORT && rc < CURL_LAST) transport_code[rc]++;
    }
    if (err >= 0) {
        /* a failed step ends the pass, as on the tablet (the next pass tries again) */
        if (recording) syncs_failed++;
        end_sync(s);
        return;
    }
    s->step++;
    if (s->step == STEP_DONE) {
        if (recording) {
            syncs_ok++;
            if (t <= window_end_ms) syncs_in_window++;
            add_sample(&sync_lat, t - s->due_ms);
        }
        end_sync(s);
    } else if (stopping) {
        if (recording) syncs_cut++;
        end_sync(s);
    } else {
        send_step(s);
    }
}

/* Every tablet sends a message with every put_every-th of its own syncs, the tablets at staggered turns. */
static bool puts_now(size_t ti, unsigned put_every) {
    return put_every && (tablets[ti].syncs++ + ti) % put_every == put_every - 1;
}

static size_t in_flight(void) {
    size_t n = 0;
    for (size_t i = 0; i < n_slots; i++)
        n += slots[i].in_use;
    return n;
}

/* Runs syncs until the time is up, then waits for what is in flight. rate 0: closed loop, every slot busy, the
 * tablets in turn; rate R: open loop, each tablet due R times a second, evenly spread, whatever the answers do.
 * prime: every tablet syncs once (its ETag and cursor), nothing counted. */
static void run(double seconds, double rate, unsigned put_every, bool prime) {
    double t0 = now_ms(), end = t0 + seconds * 1000.0;
    window_end_ms = end;
    size_t rr = 0, primed = 0;
    unsigned long long k = 0;
    double every_ms = rate > 0 ? 1000.0 / (rate * (double)n_tablets) : 0;
    /* open loop: due syncs wait here (tablet index; its due time is k × every_ms) when every slot is busy or the
     * tablet's previous sync has not ended */
    unsigned long long next_start = 0;
    bool stopping = false;
    for (;;) {
        double now = now_ms();
        if (!stopping && (now >= end || (prime && primed == n_tablets))) stopping = true;
        if (!stopping) {
            slot *s;
            if (prime) {
                while (primed < n_tablets && (s = free_slot())) {
                    if (!tablets[primed].etag[0]) start_sync(s, (int)primed, now, false);
                    primed++;
                }
            } else if (rate <= 0) {
                while ((s = free_slot())) {
                    size_t tries = 0;
                    while (tablets[rr % n_tablets].busy && tries++ < n_tablets)
                        rr++;
                    if (tablets[rr % n_tablets].busy) break;
                    start_sync(s, (int)(rr % n_tablets), now, puts_now(rr % n_tablets, put_every));
                    rr++;
                }
            } else {
                k = (unsigned long long)((now - t0) / every_ms) + 1; /* syncs due by now */
                while (next_start < k && (s = free_slot())) {
                    int ti = (int)(next_start % n_tablets);
                    if (tablets[ti].busy) break; /* its last sync is still running: this one waits for it */
                    double due = t0 + (double)next_start * every_ms;
                    next_start++;
                    start_sync(s, ti, due, puts_now((size_t)ti, put_every));
                }
            }
        }
        int running = 0;
        curl_multi_perform(multi, &running);
        CURLMsg *m;
        int left, done = 0;
        while ((m = curl_multi_info_read(multi, &left)))
            if (m->msg == CURLMSG_DONE) {
                char *priv = NULL;
                curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
                finished((slot *)priv, m->data.result, stopping || now_ms() >= end);
                done++;
            }
        if (stopping && !in_flight()) break;
        /* a request ended: its next step, or a new sync in its slot, goes out now, not after the wait below */
        if (done) continue;
        /* bounded even if a transfer hangs past curl's own timeout */
        if (now_ms() > end + LOAD_REQUEST_MS + 2000) {
            fprintf(stderr, "bench_load: %zu requests still in flight past their bound; left behind\n", in_flight());
            break;
        }
        int wait = 50;
        if (!stopping && rate > 0) {
            double next_due = t0 + (double)k * every_ms - now_ms();
            wait = next_due < 1 ? 1 : next_due < 50 ? (int)next_due : 50;
        }
        curl_multi_poll(multi, NULL, 0, wait, NULL);
    }
    if (!prime && rate > 0) syncs_due = k, syncs_unstarted = k - next_start;
}

static void print_latency(const char *label, const char *name, samples *s) {
    qsort(s->v, s->n, sizeof *s->v, cmp_double);
    printf("load-latency-ms %s %s n=%zu p50=%.2f p90=%.2f p99=%.2f max=%.2f\n", label, name, s->n, pct(s, 0.50),
           pct(s, 0.90), pct(s, 0.99), s->n ? s->v[s->n - 1] : 0.0);
}

static void usage(void) {
    fprintf(stderr,
            "usage: bench_load --url http://127.0.0.1:PORT [--url …] --tokens FILE [--tablets N] [--seconds S]\n"
            "                  [--rate R] [--concurrency C] [--put-every K] [--label TEXT]\n"
            "  --seconds S      timed run, 1-%d (default 10)\n"
            "  --rate R         syncs per tablet per second, paced (open loop); 0 (default): closed loop, C syncs\n"
            "                   always in flight, to find the most the server answers\n"
            "  --concurrency C  syncs in flight at most (default: closed loop 16, open loop %d); above %d per URL\n"
            "                   curl queues them, as the server takes no more connections from one address\n"
            "  --put-every K    every Kth sync first PUTs a message (default 10; 0: none)\n"
            "  --keep-alive     keep connections from one sync to the next (default: a connection per sync, as\n"
            "                   a tablet that syncs every 5 minutes opens; https: a TLS handshake each)\n"
            "  --one-address    every tablet from 127.0.0.1, a clinic behind one NAT (default: each tablet from\n"
            "                   a loopback address of its own, 127.1.x.y)\n",
            LOAD_MAX_SECONDS, LOAD_MAX_INFLIGHT, SRV_MAX_CONNECTIONS_PER_ADDR);
    exit(2);
}

int main(int argc, char **argv) {
    const char *tokens = NULL, *label = "run";
    double seconds = 10, rate = 0;
    long concurrency = 0, put_every = 10, want = 0;
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *e = NULL;
        if (strcmp(argv[i], "--keep-alive") == 0 || strcmp(argv[i], "--one-address") == 0) {
            *(argv[i][2] == 'k' ? &keep_alive : &one_address) = true;
            continue;
        }
        if (!v) usage();
        if (strcmp(argv[i], "--url") == 0) {
            if (n_urls == LOAD_MAX_URLS) die("too many --url");
            if (!url_is_loopback(v)) die("--url must be http[s]://127.0.0.1:PORT (loopback only, no path)");
            urls[n_urls++] = v;
        } else if (strcmp(argv[i], "--tokens") == 0)
            tokens = v;
        else if (strcmp(argv[i], "--label") == 0)
            label = v;
        else if (strcmp(argv[i], "--seconds") == 0)
            seconds = strtod(v, &e);
        else if (strcmp(argv[i], "--rate") == 0)
            rate = strtod(v, &e);
        else if (strcmp(argv[i], "--concurrency") == 0)
            concurrency = strtol(v, &e, 10);
        else if (strcmp(argv[i], "--put-every") == 0)
            put_every = strtol(v, &e, 10);
        else if (strcmp(argv[i], "--tablets") == 0)
            want = strtol(v, &e, 10);
        else
            usage();
        if (e && *e) usage();
        i++;
    }
    if (!n_urls || !tokens) usage();
    if (!(seconds >= 1 && seconds <= LOAD_MAX_SECONDS)) die("--seconds must be 1-60");
    if (!(rate >= 0 && rate <= 1000)) die("--rate must be 0-1000");
    if (concurrency < 0 || concurrency > LOAD_MAX_INFLIGHT) die("--concurrency must be 1-1024");
    if (put_every < 0 || want < 0) usage();
    load_tokens(tokens, (size_t)want);

    unsigned char rnd[8];
    int fd = open("/dev/urandom", O_RDONLY);
    if (fd < 0 || read(fd, rnd, sizeof rnd) != (ssize_t)sizeof rnd) die("cannot read /dev/urandom");
    close(fd);
    for (int i = 0; i < 8; i++)
        snprintf(run_id + 2 * i, 3, "%02x", rnd[i]);
    for (int i = 0; i < 8; i++)
        rng = rng << 8 | rnd[i];
    if (!rng) rng = 1;

    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) die("curl_global_init failed");
    multi = curl_multi_init();
    if (!multi) die("curl_multi_init failed");
    /* from one address, never more connections to one instance than it takes from one address: the rest wait in
     * curl's queue (their wait counts in their latency), rather than being refused. From many, a tablet's kept
     * connection stays in the cache (one descriptor each) */
    if (one_address) curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)SRV_MAX_CONNECTIONS_PER_ADDR);
    long cache = one_address ? (long)SRV_MAX_CONNECTIONS_PER_ADDR * (long)n_urls : (long)(n_tablets * n_urls);
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, cache);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        rl.rlim_cur < (rlim_t)(cache + LOAD_MAX_INFLIGHT + 64)) {
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > (rlim_t)(cache + LOAD_MAX_INFLIGHT + 64)
                          ? (rlim_t)(cache + LOAD_MAX_INFLIGHT + 64)
                          : rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    n_slots = concurrency ? (size_t)concurrency : rate > 0 ? LOAD_MAX_INFLIGHT : 16;
    if (rate <= 0 && n_slots > n_tablets) n_slots = n_tablets;
    slots = calloc(n_slots, sizeof *slots);
    if (!slots) die("out of memory");
    for (size_t i = 0; i < n_slots; i++)
        if (!(slots[i].h = curl_easy_init())) die("curl_easy_init failed");

    /* every tablet's first sync (a 200 manifest, its ETag; its cursor), untimed: the run measures tablets that
     * have synced before, as a clinic's do all day */
    size_t primed = 0;
    for (int round = 0; round < 3 && primed < n_tablets; round++) { /* those that failed, twice more */
        run(LOAD_PRIME_MS / 1000.0, 0, 0, true);
        primed = 0;
        for (size_t i = 0; i < n_tablets; i++)
            primed += tablets[i].etag[0] != '\0';
    }
    if (primed != n_tablets) {
        fprintf(stderr, "bench_load: %zu of %zu tablets could not make a first sync (token? server?)\n",
                n_tablets - primed, n_tablets);
        return 1;
    }

    recording = true;
    struct rusage ru0, ru1;
    getrusage(RUSAGE_SELF, &ru0);
    double t0 = now_ms();
    run(seconds, rate, (unsigned)put_every, false);
    double wall = (now_ms() - t0) / 1000.0;
    getrusage(RUSAGE_SELF, &ru1);

    unsigned long long in_window = 0, errs = 0;
    for (int k = 0; k < K_N; k++)
        in_window += done_in_window[k];
    for (int e = 0; e < E_N; e++)
        errs += errors[e];
    char mode[64];
    if (rate > 0)
        snprintf(mode, sizeof mode, "open rate=%g/tablet/s (%.1f syncs/s due)", rate, rate * (double)n_tablets);
    else
        snprintf(mode, sizeof mode, "closed concurrency=%zu", n_slots);
    printf("load-run %s urls=%zu tablets=%zu %s seconds=%g put-every=%ld connections=%s from=%s (wall %.1f s with "
           "the drain)\n",
           label, n_urls, n_tablets, mode, seconds, put_every, keep_alive ? "kept" : "one-per-sync",
           one_address ? "127.0.0.1" : "an-address-each", wall);
    printf("load-requests-per-s %s %.1f (%llu in the %g s window; manifest=%zu changes=%zu put=%zu in all; "
           "connections opened=%llu)\n",
           label, (double)in_window / seconds, in_window, seconds, lat[K_MANIFEST].n, lat[K_CHANGES].n, lat[K_PUT].n,
           connects);
    printf("load-syncs-per-s %s %.1f (%llu complete, %llu failed, %llu cut at the end; manifest-200=%llu, "
           "the rest 304)",
           label, (double)syncs_in_window / seconds, syncs_ok, syncs_failed, syncs_cut, manifest_200);
    if (rate > 0)
        printf(" due=%llu never-begun=%llu (a sync waits while its tablet's last one runs)", syncs_due,
               syncs_unstarted);
    printf("\n");
    samples all = {0};
    for (int k = 0; k < K_N; k++)
        for (size_t i = 0; i < lat[k].n; i++)
            add_sample(&all, lat[k].v[i]);
    print_latency(label, "all", &all);
    for (int k = 0; k < K_N; k++)
        print_latency(label, kind_name[k], &lat[k]);
    print_latency(label, rate > 0 ? "sync-from-due" : "sync", &sync_lat);
    printf("load-errors %s total=%llu", label, errs);
    for (int e = 0; e < E_N; e++)
        printf(" %s=%llu", err_name[e], errors[e]);
    printf(" (by request: manifest=%llu changes=%llu put=%llu)", errors_kind[K_MANIFEST], errors_kind[K_CHANGES],
           errors_kind[K_PUT]);
    for (int c = 0; c < CURL_LAST; c++)
        if (transport_code[c]) printf(" «%s»=%llu", curl_easy_strerror((CURLcode)c), transport_code[c]);
    printf("\n");
    printf("load-puts %s sent=%llu created=%llu replayed=%llu failed=%llu (each a fresh client id: 201 once each; "
           "failed: no answer or another status)\n",
           label, puts_sent, puts_created, puts_replayed, puts_failed);
    double user = (double)(ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec) +
                  (double)(ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec) / 1e6;
    double sys = (double)(ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec) +
                 (double)(ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec) / 1e6;
    printf("load-cpu-s %s generator=%.2f (user %.2f, system %.2f: the generator shares the machine with the server)\n",
           label, user + sys, user, sys);
    if (n_urls > 1) {
        printf("load-per-url %s", label);
        for (size_t u = 0; u < n_urls; u++)
            printf(" %s=%llu", urls[u] + 7, per_url[u]);
        printf("\n");
    }
    for (size_t i = 0; i < n_slots; i++) {
        curl_easy_cleanup(slots[i].h);
        curl_slist_free_all(slots[i].hdrs);
        free(slots[i].body);
    }
    curl_multi_cleanup(multi);
    curl_global_cleanup();
    for (size_t i = 0; i < n_tablets; i++)
        free(tablets[i].token);
    free(tablets), free(slots), free(all.v), free(sync_lat.v);
    for (int k = 0; k < K_N; k++)
        free(lat[k].v);
    return 0;
}
