/* layout.h — paragraph line breaking for styled UTF-8 text.
 * Our own breaker because SDL_ttf's wrapping has no line spacing, no hyphenation and breaks only at spaces.
 * Fonts are reached only through layout_font, so this module is tested with a fake font and knows no SDL.
 * Lines break at white space. Only a word wider than the whole column is broken, and never without a hyphen
 * nor into shards (issue 13): at the whole word's hyphenation points that fit (when the font offers
 * hyphenation and the word has at most MS_LAYOUT_HYPHEN_MAX_CHARS characters), each piece keeping
 * HYPH_LEFT_MIN letters at the word's start and HYPH_RIGHT_MIN after; else after its last '-', '/' or soft
 * hyphen that fits; else it is cut (counted in `forced`) before a consonant that a vowel follows, keeping
 * HYPH_RIGHT_MIN letters on each side — never inside a UTF-8 sequence nor between a letter and its combining
 * marks. A word too short for that runs over the column (counted in `overflow`): callers shrink the type or
 * widen the box rather than leave shards. '\n' forces a break. Ragged right.
 * Cost: a word of N characters costs O(N) measurements (O(N log N) at worst, when shaping makes a line's
 * front wider than its letters), however long it is; the rest of a cut word is never measured whole. */
#ifndef MEISTRING_LAYOUT_H
#define MEISTRING_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "meistring/hyphen.h"

/* The measuring half of a font. `style` is opaque here (the caller's bold/italic/size index). */
typedef struct {
    void *ctx;
    /* Advance width in pixels of s[0..len) set in `style`. Must be additive enough that
     * measure(a) + measure(b) ≈ measure(ab) (kerning across a space is ignored). */
    int (*measure)(void *ctx, int style, const char *s, size_t len);
    /* Optional: where a word wider than the whole column may be hyphenated (see hyphen.h). NULL: nowhere,
     * such a word is split at its last '-' or '/' that fits, else between characters. */
    int (*hyphenate)(void *ctx, const char *word, size_t len, hyph_break *out, int max);
    void *hyph_ctx;
} layout_font;

/* A run of text in one style. The text is the caller's and must outlive the layout. */
typedef struct {
    const char *text;
    size_t len;
    int style;
} layout_run;

/* A piece of one run placed on a line: bytes [off, off + len) of runs[run], drawn at x, w pixels wide.
 * Spaces between words in the same run stay inside the fragment, so one line is usually one fragment. */
typedef struct {
    uint32_t run;
    uint32_t off, len;
    int x, w;
    bool hyphen; /* draw a hyphen right after this fragment (a hyphenated word continues on the next line) */
} layout_frag;

typedef struct {
    uint32_t first, count; /* frags[first .. first + count) */
    int width;             /* rightmost pixel used */
} layout_line;

/* A laid-out paragraph. Caller-owned storage: layout_para_init/deinit; reused across calls to save mallocs. */
typedef struct {
    layout_frag *frags;
    size_t n_frags, cap_frags;
    layout_line *lines;
    size_t n_lines, cap_lines;
    int forced;   /* words cut where the patterns offer no break (a caller may shrink the type and try again) */
    int overflow; /* lines wider than the column: a word too short to cut with the rule's letters either side */
} layout_para;

void layout_para_init(layout_para *p);
void layout_para_deinit(layout_para *p);

/* Breaks runs into lines no wider than width (> 0). Replaces p's previous contents. False when out of
 * memory. An empty paragraph yields zero lines. */
bool layout_paragraph(layout_para *p, const layout_font *font, const layout_run *runs, size_t n_runs, int width);

/* How a laid-out paragraph treats its words, for tests and the figures of issue 13: words broken across lines,
 * breaks with no hyphen drawn (a break after the word's own '-' or '/' needs none), pieces shorter than the
 * rule (a word's first piece under HYPH_LEFT_MIN letters, any later piece under HYPH_RIGHT_MIN), cuts the
 * patterns did not offer, and lines over the column. Added to st. */
typedef struct {
    int broken, no_hyphen, short_pieces, forced, overflow;
} layout_word_stats;
void layout_word_stats_add(const layout_para *p, const layout_run *runs, size_t n_runs, layout_word_stats *st);

#endif
