/* fuzz_hyphen.c — libFuzzer target for hyphenation (src/text/hyphen.c over libhyphen and the hyph-no patterns):
 * words come from the content a server sends, so any bytes may arrive. The first byte picks the dictionary
 * (bokmål, nynorsk, none: soft hyphens only); the rest is hyphenated whole and word by word, as the line breaker
 * would ask. Besides the sanitizers, every break must lie inside the word, ascending, with end <= resume, and
 * (for valid UTF-8, which is all the content parser lets through) on a character boundary. The patterns are the UTF-8
 * ones built by the hyph_dicts target (MEISTRING_HYPH_DIR, or $FUZZ_HYPH_DIR). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meistring/hyphen.h"
#include "meistring/utf8.h"

#ifndef MEISTRING_HYPH_DIR
#define MEISTRING_HYPH_DIR "hyph"
#endif

#define MAX_BREAKS 64

static hyph *dict[2];

static hyph *load(const char *dir, const char *name) {
    char path[1024], err[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    hyph *h = hyph_load(path, err, sizeof err);
    if (!h) {
        fprintf(stderr, "fuzz_hyphen: %s (build the hyph_dicts target, or set FUZZ_HYPH_DIR)\n", err);
        exit(1);
    }
    return h;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    const char *dir = getenv("FUZZ_HYPH_DIR");
    if (!dir) dir = MEISTRING_HYPH_DIR;
    dict[0] = load(dir, "hyph_nb_NO.dic");
    dict[1] = load(dir, "hyph_nn_NO.dic");
    return 0;
}

/* The code point boundaries of word[0..len) as utf8_next walks it (invalid bytes are one character each). */
static void boundaries(const char *word, size_t len, unsigned char *is_start) {
    memset(is_start, 0, len + 1);
    for (size_t i = 0; i < len;) {
        is_start[i] = 1;
        utf8_next(word, len, &i);
    }
    is_start[len] = 1;
}

static void check(const hyph *h, const char *word, size_t len, unsigned char *is_start) {
    hyph_break br[MAX_BREAKS + 1];
    memset(br, 0xAA, sizeof br);
    int n = hyph_breaks(h, word, len, br, MAX_BREAKS);
    if (n < 0 || n > MAX_BREAKS) __builtin_trap();
    if (br[MAX_BREAKS].end != 0xAAAAAAAAu) __builtin_trap(); /* wrote past max */
    if (n == 0) return;
    /* content text is valid UTF-8 (the parser refuses anything else): only there is a boundary well defined */
    bool valid = utf8_valid(word, len);
    if (valid) boundaries(word, len, is_start);
    uint32_t last_resume = 0;
    for (int i = 0; i < n; i++) {
        /* a first part of at least one byte, a second part that is not empty, in order */
        if (br[i].end == 0 || br[i].end > br[i].resume || br[i].resume >= len) __builtin_trap();
        if (i > 0 && br[i].end < last_resume) __builtin_trap();
        if (valid && (!is_start[br[i].end] || !is_start[br[i].resume])) __builtin_trap();
        last_resume = br[i].resume;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    const hyph *h = data[0] % 3 == 2 ? NULL : dict[data[0] % 3];
    size_t len = size - 1;
    /* a copy of exactly len bytes, so ASan sees any read past the word */
    char *word = malloc(len ? len : 1);
    unsigned char *is_start = malloc(len + 1);
    if (!word || !is_start) abort();
    memcpy(word, data + 1, len);
    check(h, word, len, is_start);
    /* word by word, as the line breaker asks (spaces and new lines between) */
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && word[j] != ' ' && word[j] != '\n')
            j++;
        if (j > i && j - i < len) {
            char *w = malloc(j - i);
            if (!w) abort();
            memcpy(w, word + i, j - i);
            check(h, w, j - i, is_start);
            free(w);
        }
        i = j + 1;
    }
    free(is_start);
    free(word);
    return 0;
}
