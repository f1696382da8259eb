/* texcache.c — hashed text textures and coverage masks with an LRU list; see texcache.h. */
#include "texcache.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
    uint64_t hash;
    uint32_t font_id, rgba;
    char *text;
    size_t len;
    SDL_Texture *tex; /* a texture entry, or */
    uint8_t *cov;     /* a coverage entry: the rows from top of a text full_h rows tall, w × h px in cov_bytes */
    size_t cov_bytes; /* (run-length coded: texcache.h) */
    int w, h;
    int top, full_h;           /* coverage: its blank rows above and below are not kept */
    struct entry *prev, *next; /* LRU: head is most recent */
    struct entry *chain;       /* hash bucket chain */
} entry;

struct texcache {
    SDL_Renderer *r;
    entry **buckets;
    size_t n_buckets;
    entry *head, *tail;
    size_t max_entries, max_cost;
    size_t cost; /* what the budget counts: a texture's pixels, a coverage's bytes */
    texcache_stats st;
};

static uint64_t hash_key(uint32_t font_id, uint32_t rgba, const char *s, size_t len) {
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    h = (h ^ font_id) * 1099511628211ull;
    h = (h ^ rgba) * 1099511628211ull;
    return h;
}

texcache *texcache_new(SDL_Renderer *r, size_t max_entries, size_t max_cost) {
    texcache *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->r = r;
    /* the buckets start few and double with the entries (grow()): a table sized for max_entries from the start
     * was 64 KB, every page of it touched by a few hundred words' hashes */
    c->n_buckets = 256;
    c->buckets = calloc(c->n_buckets, sizeof *c->buckets);
    if (!c->buckets) {
        free(c);
        return NULL;
    }
    c->max_entries = max_entries;
    c->max_cost = max_cost;
    return c;
}

static void lru_unlink(texcache *c, entry *e) {
    if (e->prev)
        e->prev->next = e->next;
    else
        c->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        c->tail = e->prev;
    e->prev = e->next = NULL;
}

static void lru_push_front(texcache *c, entry *e) {
    e->next = c->head;
    e->prev = NULL;
    if (c->head) c->head->prev = e;
    c->head = e;
    if (!c->tail) c->tail = e;
}

static void drop(texcache *c, entry *e) {
    entry **pp = &c->buckets[e->hash & (c->n_buckets - 1)];
    while (*pp && *pp != e)
        pp = &(*pp)->chain;
    if (*pp) *pp = e->chain;
    lru_unlink(c, e);
    c->st.entries--;
    c->st.pixels -= (size_t)e->w * (size_t)e->h;
    c->st.bytes -= e->cov ? e->cov_bytes : (size_t)e->w * (size_t)e->h * 4u;
    c->cost -= e->cov ? e->cov_bytes : (size_t)e->w * (size_t)e->h;
    if (e->tex) SDL_DestroyTexture(e->tex);
    free(e->cov);
    free(e->text);
    free(e);
}

static entry *find(texcache *c, uint32_t font_id, uint32_t rgba, const char *text, size_t len, bool cov) {
    uint64_t hv = hash_key(font_id, rgba, text, len);
    for (entry *e = c->buckets[hv & (c->n_buckets - 1)]; e; e = e->chain) {
        if (e->hash == hv && e->font_id == font_id && e->rgba == rgba && e->len == len && (e->cov != NULL) == cov &&
            memcmp(e->text, text, len) == 0) {
            lru_unlink(c, e);
            lru_push_front(c, e);
            c->st.hits++;
            return e;
        }
    }
    c->st.misses++;
    return NULL;
}

SDL_Texture *texcache_get(texcache *c, uint32_t font_id, uint32_t rgba, const char *text, size_t len, int *w, int *h) {
    entry *e = find(c, font_id, rgba, text, len, false);
    if (!e) return NULL;
    *w = e->w;
    *h = e->h;
    return e->tex;
}

const uint8_t *texcache_get_coverage(texcache *c, uint32_t font_id, const char *text, size_t len, int *w, int *h,
                                     int *top, int *rows) {
    entry *e = find(c, font_id, 0, text, len, true);
    if (!e) return NULL;
    *w = e->w;
    *h = e->full_h;
    *top = e->top;
    *rows = e->h;
    return e->cov;
}

/* Twice the buckets once the entries are more than half as many (nothing when out of memory: the chains grow). */
static void grow(texcache *c) {
    if (c->st.entries < c->n_buckets / 2) return;
    size_t n = c->n_buckets * 2;
    entry **b = calloc(n, sizeof *b);
    if (!b) return;
    for (size_t i = 0; i < c->n_buckets; i++) {
        for (entry *e = c->buckets[i], *next; e; e = next) {
            next = e->chain;
            e->chain = b[e->hash & (n - 1)];
            b[e->hash & (n - 1)] = e;
        }
    }
    free(c->buckets);
    c->buckets = b;
    c->n_buckets = n;
}

static bool put(texcache *c, uint32_t font_id, uint32_t rgba, const char *text, size_t len, SDL_Texture *t,
                uint8_t *cov, size_t cov_bytes, int w, int h, int top, int full_h) {
    entry *e = calloc(1, sizeof *e);
    char *copy = malloc(len ? len : 1);
    if (!e || !copy) {
        free(e);
        free(copy);
        if (t) SDL_DestroyTexture(t);
        free(cov);
        return false;
    }
    memcpy(copy, text, len);
    *e = (entry){.hash = hash_key(font_id, rgba, text, len),
                 .font_id = font_id,
                 .rgba = rgba,
                 .text = copy,
                 .len = len,
                 .tex = t,
                 .cov = cov,
                 .cov_bytes = cov_bytes,
                 .w = w,
                 .h = h,
                 .top = top,
                 .full_h = full_h};
    size_t px = (size_t)w * (size_t)h, cost = cov ? cov_bytes : px;
    /* make room; the newest entry is always kept, even when alone it exceeds the budget */
    while (c->tail && (c->st.entries + 1 > c->max_entries || c->cost + cost > c->max_cost)) {
        drop(c, c->tail);
        c->st.evictions++;
    }
    grow(c);
    entry **b = &c->buckets[e->hash & (c->n_buckets - 1)];
    e->chain = *b;
    *b = e;
    lru_push_front(c, e);
    c->st.entries++;
    c->st.pixels += px;
    c->st.bytes += cov ? cov_bytes : px * 4u;
    c->cost += cost;
    return true;
}

bool texcache_put(texcache *c, uint32_t font_id, uint32_t rgba, const char *text, size_t len, SDL_Texture *t, int w,
                  int h) {
    return put(c, font_id, rgba, text, len, t, NULL, 0, w, h, 0, h);
}

bool texcache_put_coverage(texcache *c, uint32_t font_id, const char *text, size_t len, uint8_t *cov, size_t bytes,
                           int w, int h, int top, int rows) {
    return put(c, font_id, 0, text, len, NULL, cov, bytes, w, rows, top, h);
}

void texcache_clear(texcache *c) {
    while (c->head)
        drop(c, c->head);
}

void texcache_free(texcache *c) {
    if (!c) return;
    texcache_clear(c);
    free(c->buckets);
    free(c);
}

texcache_stats texcache_get_stats(const texcache *c) {
    texcache_stats st = c->st;
    st.index_bytes = c->n_buckets * sizeof *c->buckets;
    return st;
}
