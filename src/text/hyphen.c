/* hyphen.c — libhyphen behind a small interface; see hyphen.h.
 * With a UTF-8 dictionary libhyphen returns one flag per character, not per byte, so the offsets are mapped
 * back to bytes here, and the 2-left/3-right minimum is applied in characters (libhyphen's own minimum
 * counts bytes and would allow "æ-rlig"). */
#include "meistring/hyphen.h"

#include <hyphen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meistring/config.h"
#include "meistring/utf8.h"

#define MAX_WORD MS_HYPH_MAX_WORD_CHARS

struct hyph {
    HyphenDict *dict;
    char *path;  /* lazy: load from here on first use */
    bool failed; /* lazy load failed: soft hyphens only */
};

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
    h->dict = hnj_hyphen_load(path);
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
    if (h->dict) hnj_hyphen_free(h->dict);
    free(h);
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
        mut->dict = hnj_hyphen_load(h->path);
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
