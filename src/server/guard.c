/* guard.c — failed-enrolment limits (guard.h). A fixed table of addresses (set-associative, keyed hash so an
 * attacker cannot aim at one set) and a token bucket for all addresses together, under one short lock that
 * never waits for the database. Attempts are reserved before the lookup, so a burst of concurrent guesses
 * cannot overshoot a budget while the database is busy. */
#include "guard.h"

#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "meistring/config.h"

typedef struct {
    guard_addr addr;
    bool used;
    unsigned n_fails;                    /* how many of fails[] hold a time */
    unsigned next;                       /* where the next failure is written (a ring) */
    int64_t fails[SRV_ENROL_ADDR_FAILS]; /* the latest failures, seconds */
    unsigned pending;                    /* attempts between begin and end */
    int64_t locked_until;
    int64_t last; /* latest activity: the least recent is evicted first */
} slot;

struct guard {
    pthread_mutex_t lock;
    unsigned char key[crypto_shorthash_KEYBYTES];
    double tokens;    /* failures all addresses may still make now */
    int64_t refilled; /* when tokens was last brought up to date */
    unsigned pending; /* attempts of all addresses between begin and end */
    slot slots[SRV_ENROL_ADDR_SETS * SRV_ENROL_ADDR_WAYS];
};

void guard_addr_from(const struct sockaddr *sa, guard_addr *out) {
    memset(out, 0, sizeof *out);
    if (sa && sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        out->b[10] = out->b[11] = 0xff;
        memcpy(out->b + 12, &in->sin_addr, 4);
    } else if (sa && sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        memcpy(out->b, &in6->sin6_addr, 16);
        bool mapped = memcmp(out->b, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0;
        if (!mapped) memset(out->b + 8, 0, 8); /* the /64 */
    }
}

guard *guard_new(void) {
    if (sodium_init() < 0) return NULL; /* the hash key comes from its random source; a no-op when done */
    guard *g = calloc(1, sizeof *g);
    if (!g) return NULL;
    pthread_mutex_init(&g->lock, NULL);
    crypto_shorthash_keygen(g->key);
    g->tokens = SRV_ENROL_GLOBAL_FAILS;
    g->refilled = INT64_MIN; /* the first call sets it */
    return g;
}

void guard_free(guard *g) {
    if (!g) return;
    pthread_mutex_destroy(&g->lock);
    free(g);
}

static void refill(guard *g, int64_t now) {
    if (g->refilled != INT64_MIN && now > g->refilled) {
        g->tokens += (double)(now - g->refilled) * SRV_ENROL_GLOBAL_FAILS / SRV_ENROL_GLOBAL_WINDOW_S;
        if (g->tokens > SRV_ENROL_GLOBAL_FAILS) g->tokens = SRV_ENROL_GLOBAL_FAILS;
    }
    if (g->refilled == INT64_MIN || now > g->refilled) g->refilled = now;
}

static slot *set_of(guard *g, const guard_addr *a) {
    unsigned char h[crypto_shorthash_BYTES];
    crypto_shorthash(h, a->b, sizeof a->b, g->key);
    uint32_t v;
    memcpy(&v, h, sizeof v);
    return &g->slots[(v % SRV_ENROL_ADDR_SETS) * SRV_ENROL_ADDR_WAYS];
}

static slot *find(guard *g, const guard_addr *a) {
    slot *set = set_of(g, a);
    for (int w = 0; w < SRV_ENROL_ADDR_WAYS; w++)
        if (set[w].used && memcmp(set[w].addr.b, a->b, sizeof a->b) == 0) return &set[w];
    return NULL;
}

/* A fresh slot for a: an empty way, else the least recently active one that is neither locked nor busy. NULL
 * when every way is locked or busy: that address is then held by the budget of all addresses alone. */
static slot *claim(guard *g, const guard_addr *a, int64_t now) {
    slot *set = set_of(g, a), *best = NULL;
    for (int w = 0; w < SRV_ENROL_ADDR_WAYS; w++) {
        slot *s = &set[w];
        if (!s->used) {
            best = s;
            break;
        }
        if (s->pending == 0 && s->locked_until <= now && (!best || s->last < best->last)) best = s;
    }
    if (!best) return NULL;
    memset(best, 0, sizeof *best);
    best->used = true;
    best->addr = *a;
    best->last = now;
    return best;
}

static unsigned fails_in_window(const slot *s, int64_t now) {
    unsigned n = 0;
    for (unsigned i = 0; i < s->n_fails; i++)
        if (now - s->fails[i] < SRV_ENROL_ADDR_WINDOW_S) n++;
    return n;
}

guard_verdict guard_enrol_begin(guard *g, const guard_addr *a, int64_t now, unsigned *retry_after_s) {
    *retry_after_s = 0;
    pthread_mutex_lock(&g->lock);
    refill(g, now);
    guard_verdict v = GUARD_OK;
    slot *s = find(g, a);
    if (s && s->locked_until > now) {
        v = GUARD_ADDR_LOCKED;
        *retry_after_s = (unsigned)(s->locked_until - now);
    } else if (s && fails_in_window(s, now) + s->pending >= SRV_ENROL_ADDR_FAILS) {
        v = GUARD_ADDR_LOCKED; /* its last allowed attempts are still being looked up */
        *retry_after_s = 1;
    } else if (g->tokens - g->pending < 1.0) {
        v = GUARD_BUSY;
        double need = 1.0 - (g->tokens - g->pending);
        *retry_after_s = (unsigned)(need * SRV_ENROL_GLOBAL_WINDOW_S / SRV_ENROL_GLOBAL_FAILS) + 1;
    } else {
        if (!s) s = claim(g, a, now);
        if (s) {
            s->pending++;
            s->last = now;
        }
        g->pending++;
    }
    pthread_mutex_unlock(&g->lock);
    if (v != GUARD_OK && *retry_after_s == 0) *retry_after_s = 1;
    return v;
}

bool guard_enrol_end(guard *g, const guard_addr *a, bool failed, int64_t now) {
    bool locked = false;
    pthread_mutex_lock(&g->lock);
    refill(g, now);
    if (g->pending > 0) g->pending--;
    slot *s = find(g, a);
    if (s && s->pending > 0) s->pending--;
    if (failed) {
        g->tokens -= 1.0;
        if (!s) s = claim(g, a, now);
        if (s) {
            s->last = now;
            s->fails[s->next] = now;
            s->next = (s->next + 1) % SRV_ENROL_ADDR_FAILS;
            if (s->n_fails < SRV_ENROL_ADDR_FAILS) s->n_fails++;
            if (fails_in_window(s, now) >= SRV_ENROL_ADDR_FAILS) {
                s->locked_until = now + SRV_ENROL_ADDR_LOCKOUT_S;
                s->n_fails = s->next = 0; /* the lockout outlasts the window: afterwards it starts afresh */
                locked = true;
            }
        }
    }
    pthread_mutex_unlock(&g->lock);
    return locked;
}
