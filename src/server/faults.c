/* faults.c — the faults the server can inject (--fault MODE[@PREFIX][:P|:xN], --seed N), so the client's sync
 * can be tested against a bad network and a bad server: which rules there are, and which one fires for a request.
 * The seam: a test device with its own state and lock, apart from what a real server does; api.c only asks
 * pick_fault and acts on the answer.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "meistring/config.h"

#include "server.h"

/* ---- faults ------------------------------------------------------------------------------------------------- */

typedef struct {
    fault_mode mode;
    char prefix[128];
    double p;  /* probability, when count == 0 */
    int count; /* the first N matching requests */
} fault_rule;

static fault_rule faults[SRV_MAX_FAULTS];
static int n_faults;
unsigned rng_state = 1;

static double rnd(void) {
    rng_state = rng_state * 1103515245u + 12345u;
    return ((rng_state >> 8) & 0xFFFFFF) / (double)0x1000000;
}

bool parse_fault(const char *spec) {
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

int pick_fault(const char *url) {
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
