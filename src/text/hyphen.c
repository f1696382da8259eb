/* hyphen.c — libhyphen behind a small interface; see hyphen.h.
 * With a UTF-8 dictionary libhyphen returns one flag per character, not per byte, so the offsets are mapped
 * back to bytes here, and the 2-left/3-right minimum is applied in characters (libhyphen's own minimum
 * counts bytes and would allow "æ-rlig"). */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, for the packed image's own mapping */
#include "meistring/hyphen.h"

#include <hyphen.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "meistring/config.h"
#include "meistring/utf8.h"

#define MAX_WORD MS_HYPH_MAX_WORD_CHARS

struct hyph {
    HyphenDict *dict;
    bool packed;         /* dict is one block read from the packed tables: unmap it, not hnj_hyphen_free */
    size_t packed_bytes; /* that block's size */
    char *path;  /* lazy: load from here on first use */
    bool failed; /* lazy load failed: soft hyphens only */
};

/* ---- packed tables ----------------------------------------------------------------------------------------
 * hnj_hyphen_load builds its state machine with a malloc per state, transition array and string, and a hash
 * table of every pattern prefix beside it that it frees at the end: for hyph_nb_NO, 2.3 MB of tables cost
 * 6.3 MB of heap at the peak of the load, and glibc keeps most of the freed part. The build runs libhyphen's
 * loader once (hyph_pack) and writes the tables it built as one image: the HyphenDict of every level, then the
 * states, transitions and strings, each pointer stored as its offset in the image + 1 (0 is NULL). The client
 * reads the image into one block and turns the offsets back into pointers: libhyphen's own tables, read by
 * libhyphen's own hnj_hyphen_hyphenate2, at their size. The header names the struct sizes (an image made by
 * another libhyphen or machine is refused) and the pattern file it was made from, by size and FNV-1a hash, so
 * a changed .dic is read by libhyphen again rather than through stale tables. */

#define TAB_MAGIC "MSHYPH2" /* 2: the image_hash */
#define TAB_MAX_BYTES (32u * 1024u * 1024u) /* hyph_nb_NO's image is 2.3 MB */

typedef struct {
    char magic[8];
    uint32_t dict_size, state_size, trans_size, levels;
    uint64_t dic_bytes, dic_hash, image_bytes;
    uint64_t image_hash; /* hyph_image_hash of the image as written: a damaged copy is refused whole */
} tab_header;
_Static_assert(sizeof(tab_header) == 56, "tests/fuzz/fuzz_hyph_tab.c knows the header's size");

static uint64_t hyph_image_hash(const void *data, size_t n) {
    /* eight bytes a step (2.3 MB in well under a millisecond: the tables are read again after every page's
     * layout), each mixed in by FNV's multiply and a shift; damage, not an attacker, is what it is for */
    const unsigned char *p = data;
    uint64_t h = 14695981039346656037ull ^ (uint64_t)n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 1099511628211ull;
        h ^= h >> 29;
    }
    for (; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

/* Size and FNV-1a hash of a file's bytes, read in small pieces (no copy of the file in memory). */
static bool file_fingerprint(const char *path, uint64_t *bytes, uint64_t *hash) {
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    unsigned char buf[4096];
    uint64_t h = 14695981039346656037ull, n = 0;
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
        for (size_t i = 0; i < got; i++)
            h = (h ^ buf[i]) * 1099511628211ull;
        n += got;
    }
    bool ok = !ferror(f);
    fclose(f);
    *bytes = n;
    *hash = h;
    return ok;
}

/* The packed tables' name: the pattern file's, ending in .tab instead of .dic. */
static bool tab_path_of(const char *dic, char *out, size_t cap) {
    size_t n = strlen(dic);
    if (n < 4 || strcmp(dic + n - 4, ".dic") != 0 || n + 1 > cap) return false;
    memcpy(out, dic, n - 4);
    memcpy(out + n - 4, ".tab", 5);
    return true;
}

typedef struct {
    char *data;
    size_t len, cap;
    bool oom;
} image;

/* Appends n bytes (zeros when src is NULL) at the next multiple of align; returns their offset. */
static size_t image_add(image *im, const void *src, size_t n, size_t align) {
    size_t at = (im->len + align - 1) / align * align;
    if (at + n > im->cap) {
        size_t cap = im->cap ? im->cap : 65536;
        while (cap < at + n)
            cap *= 2;
        char *d = realloc(im->data, cap);
        if (!d) {
            im->oom = true;
            return 0;
        }
        im->data = d;
        im->cap = cap;
    }
    memset(im->data + im->len, 0, at - im->len);
    if (src) memcpy(im->data + at, src, n);
    else memset(im->data + at, 0, n);
    im->len = at + n;
    return at;
}

static uintptr_t image_string(image *im, const char *s) {
    return s ? (uintptr_t)image_add(im, s, strlen(s) + 1, 1) + 1 : 0;
}

/* A level's `nohyphen`: libhyphen keeps nohyphenl + 1 strings there, one after the other, each ending in NUL. */
static size_t nohyphen_bytes(const HyphenDict *d) {
    size_t n = 0;
    for (int i = 0; i <= d->nohyphenl; i++)
        n += strlen(d->nohyphen + n) + 1;
    return n;
}

bool hyph_pack(const char *dic_path, const char *tab_path, char *err, size_t errcap) {
    tab_header hd = {.magic = TAB_MAGIC,
                     .dict_size = sizeof(HyphenDict),
                     .state_size = sizeof(HyphenState),
                     .trans_size = sizeof(HyphenTrans)};
    if (!file_fingerprint(dic_path, &hd.dic_bytes, &hd.dic_hash)) {
        snprintf(err, errcap, "cannot read %s", dic_path);
        return false;
    }
    HyphenDict *dict = hnj_hyphen_load(dic_path);
    if (!dict) {
        snprintf(err, errcap, "libhyphen could not read %s", dic_path);
        return false;
    }
    for (HyphenDict *d = dict; d; d = d->nextlevel)
        hd.levels++;
    image im = {0};
    /* the levels first, at offset 0, so the image's start is the first level's HyphenDict */
    image_add(&im, NULL, hd.levels * sizeof(HyphenDict), _Alignof(HyphenDict));
    size_t level = 0;
    /* Every struct is written field by field over zeros: its padding bytes are libhyphen's leftovers otherwise, and
     * the same patterns must give the same bytes (a reproducible package). */
    for (HyphenDict *d = dict; d && !im.oom; d = d->nextlevel, level++) {
        size_t states = image_add(&im, NULL, (size_t)d->num_states * sizeof(HyphenState), _Alignof(HyphenState));
        for (int i = 0; i < d->num_states && !im.oom; i++) {
            const HyphenState *src = &d->states[i];
            HyphenState st;
            memset(&st, 0, sizeof st);
            st.match = (char *)image_string(&im, src->match);
            st.repl = (char *)image_string(&im, src->repl);
            if (src->repl) { /* read only beside a replacement; libhyphen leaves them unset otherwise */
                st.replindex = src->replindex;
                st.replcut = src->replcut;
            }
            st.fallback_state = src->fallback_state;
            st.num_trans = src->num_trans;
            if (src->num_trans > 0) {
                size_t at = image_add(&im, NULL, (size_t)src->num_trans * sizeof(HyphenTrans), _Alignof(HyphenTrans));
                for (int t = 0; t < src->num_trans && !im.oom; t++) {
                    HyphenTrans tr;
                    memset(&tr, 0, sizeof tr);
                    tr.ch = src->trans[t].ch;
                    tr.new_state = src->trans[t].new_state;
                    memcpy(im.data + at + (size_t)t * sizeof tr, &tr, sizeof tr);
                }
                st.trans = (HyphenTrans *)((uintptr_t)at + 1);
            }
            if (im.oom) break;
            memcpy(im.data + states + (size_t)i * sizeof st, &st, sizeof st);
        }
        uintptr_t nohyphen = d->nohyphen ? (uintptr_t)image_add(&im, d->nohyphen, nohyphen_bytes(d), 1) + 1 : 0;
        if (im.oom) break;
        HyphenDict lv;
        memset(&lv, 0, sizeof lv);
        lv.lhmin = d->lhmin;
        lv.rhmin = d->rhmin;
        lv.clhmin = d->clhmin;
        lv.crhmin = d->crhmin;
        lv.nohyphen = (char *)nohyphen;
        lv.nohyphenl = d->nohyphenl;
        lv.num_states = d->num_states;
        memcpy(lv.cset, d->cset, strnlen(d->cset, sizeof lv.cset - 1));
        lv.utf8 = d->utf8;
        lv.states = (HyphenState *)((uintptr_t)states + 1);
        lv.nextlevel = d->nextlevel ? (HyphenDict *)((uintptr_t)(level + 1) * sizeof(HyphenDict) + 1) : NULL;
        memcpy(im.data + level * sizeof lv, &lv, sizeof lv);
    }
    image_add(&im, "", 1, 1); /* the image ends in a NUL: every string in it ends inside it */
    hnj_hyphen_free(dict);
    hd.image_bytes = im.len;
    hd.image_hash = im.data ? hyph_image_hash(im.data, im.len) : 0;
    bool ok = false;
    if (im.oom) {
        snprintf(err, errcap, "out of memory");
    } else {
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.tmp", tab_path);
        FILE *f = fopen(tmp, "wb");
        ok = f && fwrite(&hd, sizeof hd, 1, f) == 1 && fwrite(im.data, 1, im.len, f) == im.len;
        if (f && fclose(f) != 0) ok = false;
        if (ok && rename(tmp, tab_path) != 0) ok = false;
        if (!ok) {
            snprintf(err, errcap, "cannot write %s", tab_path);
            remove(tmp);
        }
    }
    free(im.data);
    return ok;
}

/* An offset + 1 stored in a pointer field, as a pointer into the image; false when it points outside. */
static bool relocate(char *img, size_t bytes, void **field, size_t need) {
    uintptr_t off = (uintptr_t)*field;
    if (off == 0) return true;
    off--;
    if (off > bytes || need > bytes - off) return false;
    *field = img + off;
    return true;
}

/* The packed image's memory: mapped on its own rather than malloc'd, so that hyph_release gives it back to the
 * system at once (glibc would keep a freed 2.3 MB heap block, which still counts in the process's memory). */
static char *image_alloc(size_t bytes) {
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static void image_free(void *p, size_t bytes) {
    if (p) munmap(p, bytes);
}

/* The packed tables made from dic_path, or NULL (none, another libhyphen's, another .dic's, damaged): the
 * caller then lets libhyphen read the patterns. *bytes is the image's size. */
static HyphenDict *tab_load(const char *dic_path, size_t *image_bytes) {
    char path[4096];
    if (!tab_path_of(dic_path, path, sizeof path)) return NULL;
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    tab_header hd, want = {.magic = TAB_MAGIC,
                           .dict_size = sizeof(HyphenDict),
                           .state_size = sizeof(HyphenState),
                           .trans_size = sizeof(HyphenTrans)};
    char *img = NULL;
    if (fread(&hd, sizeof hd, 1, f) != 1 || memcmp(hd.magic, want.magic, sizeof want.magic) != 0 ||
        hd.dict_size != want.dict_size || hd.state_size != want.state_size || hd.trans_size != want.trans_size ||
        hd.levels == 0 || hd.image_bytes > TAB_MAX_BYTES || hd.image_bytes < hd.levels * sizeof(HyphenDict) + 1 ||
        !file_fingerprint(dic_path, &want.dic_bytes, &want.dic_hash) || hd.dic_bytes != want.dic_bytes ||
        hd.dic_hash != want.dic_hash)
        goto fail;
    size_t bytes = (size_t)hd.image_bytes;
    img = image_alloc(bytes);
    if (!img || fread(img, 1, bytes, f) != bytes || img[bytes - 1] != '\0' ||
        hyph_image_hash(img, bytes) != hd.image_hash)
        goto fail;
    HyphenDict *levels = (HyphenDict *)img;
    for (uint32_t l = 0; l < hd.levels; l++) {
        HyphenDict *d = &levels[l];
        if (d->num_states < 0 || !relocate(img, bytes, (void **)&d->nohyphen, 1) ||
            !relocate(img, bytes, (void **)&d->states, (size_t)d->num_states * sizeof(HyphenState)) ||
            !relocate(img, bytes, (void **)&d->nextlevel, sizeof(HyphenDict)) ||
            (d->nextlevel != NULL) != (l + 1 < hd.levels) || (d->nohyphen && d->nohyphenl < 0) ||
            (d->num_states > 0 && !d->states))
            goto fail;
        /* the strings of nohyphen each end in the image (it ends in a NUL): each must start in it */
        for (size_t i = 0, at = d->nohyphen ? (size_t)(d->nohyphen - img) : 0; d->nohyphen && i <= (size_t)d->nohyphenl;
             i++) {
            if (at >= bytes) goto fail;
            at += strlen(img + at) + 1;
        }
        for (int i = 0; i < d->num_states; i++) {
            HyphenState *st = &d->states[i];
            if (st->num_trans < 0 || st->fallback_state < -1 || st->fallback_state >= d->num_states ||
                !relocate(img, bytes, (void **)&st->match, 1) || !relocate(img, bytes, (void **)&st->repl, 1) ||
                !relocate(img, bytes, (void **)&st->trans, (size_t)st->num_trans * sizeof(HyphenTrans)) ||
                (st->num_trans > 0 && !st->trans))
                goto fail;
            for (int t = 0; t < st->num_trans; t++)
                if (st->trans[t].new_state < 0 || st->trans[t].new_state >= d->num_states) goto fail;
        }
    }
    fclose(f);
    *image_bytes = bytes;
    return levels;
fail:
    image_free(img, (size_t)hd.image_bytes);
    fclose(f);
    return NULL;
}

/* The patterns at path: the packed tables when they match it, else libhyphen's loader. */
static HyphenDict *dict_load(const char *path, bool *packed, size_t *packed_bytes) {
    HyphenDict *d = tab_load(path, packed_bytes);
    *packed = d != NULL;
    return d ? d : hnj_hyphen_load(path);
}

static void dict_free(hyph *h) {
    if (h->packed)
        image_free(h->dict, h->packed_bytes);
    else if (h->dict)
        hnj_hyphen_free(h->dict);
    h->dict = NULL;
    h->packed = false;
}

static bool check_file(const char *path, char *err, size_t errcap) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errcap, "cannot open hyphenation patterns %s", path);
        return false;
    }
    char first[32] = "";
    if (!fgets(first, sizeof first, f)) first[0] = '\0';
    fclose(f);
    if (strncmp(first, "UTF-8", 5) != 0) {
        snprintf(err, errcap, "%s is not a UTF-8 pattern file (convert it from ISO8859-1 first)", path);
        return false;
    }
    return true;
}

hyph *hyph_open_lazy(const char *path, char *err, size_t errcap) {
    if (!check_file(path, err, errcap)) return NULL;
    hyph *h = calloc(1, sizeof *h);
    if (h) h->path = strdup(path);
    if (!h || !h->path) {
        free(h);
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    return h;
}

hyph *hyph_load(const char *path, char *err, size_t errcap) {
    if (!check_file(path, err, errcap)) return NULL;
    hyph *h = calloc(1, sizeof *h);
    if (!h) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    h->dict = dict_load(path, &h->packed, &h->packed_bytes);
    if (!h->dict) {
        snprintf(err, errcap, "libhyphen could not read %s", path);
        free(h);
        return NULL;
    }
    return h;
}

void hyph_free(hyph *h) {
    if (!h) return;
    free(h->path);
    dict_free(h);
    free(h);
}

void hyph_release(hyph *h) {
    if (h && h->path) dict_free(h); /* a lazy handle reads them again when a word next needs them */
}

static bool is_letter(uint32_t cp) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
           (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7);
}

static uint32_t lower(uint32_t cp) {
    if (cp >= 'A' && cp <= 'Z') return cp + 32;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;
    return cp;
}

int hyph_breaks(const hyph *h, const char *word, size_t len, hyph_break *out, int max) {
    /* the letters of the word: skip punctuation at both ends */
    size_t start = 0, end = len;
    while (start < end) {
        size_t j = start;
        if (is_letter(utf8_next(word, len, &j))) break;
        start = j;
    }
    while (end > start) {
        size_t p = utf8_prev(word, end), j = p;
        if (is_letter(utf8_next(word, len, &j))) break;
        end = p;
    }
    /* soft hyphens: the author's breaks win */
    int n = 0;
    bool shy = false;
    size_t letters_before = 0;
    for (size_t i = start; i < end;) {
        size_t at = i;
        uint32_t cp = utf8_next(word, end, &i);
        if (cp == 0xAD) {
            shy = true;
            if (n < max) out[n++] = (hyph_break){(uint32_t)at, (uint32_t)i};
        } else {
            letters_before++;
        }
    }
    if (shy || !h || letters_before < HYPH_LEFT_MIN + HYPH_RIGHT_MIN || letters_before > MAX_WORD) return n;
    if (!h->dict && h->path && !h->failed) {
        /* first word that needs the patterns: read them now (the struct is the caller's const handle, but
         * loading on demand is invisible to it) */
        hyph *mut = (hyph *)h;
        mut->dict = dict_load(h->path, &mut->packed, &mut->packed_bytes);
        mut->failed = mut->dict == NULL;
    }
    if (!h->dict) return n;

    /* lowercase copy and, per character, where it starts in the original */
    char low[MAX_WORD * 4 + 1];
    uint32_t char_end[MAX_WORD];
    size_t nl = 0, nc = 0;
    for (size_t i = start; i < end && nc < MAX_WORD;) {
        uint32_t cp = utf8_next(word, end, &i);
        nl += utf8_encode(lower(cp), low + nl);
        char_end[nc++] = (uint32_t)i;
    }
    low[nl] = '\0';
    char flags[MAX_WORD * 4 + 5];
    memset(flags, 0, sizeof flags);
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    if (hnj_hyphen_hyphenate2(h->dict, low, (int)nl, flags, NULL, &rep, &pos, &cut) != 0) return 0;
    if (rep) { /* non-standard breaks (none in the Norwegian patterns): ignore them, free what was made */
        for (size_t k = 0; k < nl; k++)
            free(rep[k]);
        free(rep);
        free(pos);
        free(cut);
    }
    for (size_t c = HYPH_LEFT_MIN - 1; c + HYPH_RIGHT_MIN < nc && n < max; c++)
        if (flags[c] & 1) out[n++] = (hyph_break){char_end[c], char_end[c]};
    return n;
}
