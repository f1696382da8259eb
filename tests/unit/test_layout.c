/* test_layout.c — line breaking with a fake font: no line wider than the column, no word lost or doubled,
 * UTF-8 never split, over-long words split where they may be, forced breaks honoured. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meistring/config.h"
#include "meistring/hyphen.h"
#include "meistring/layout.h"
#include "meistring/utf8.h"

/* Every code point is 10 px in style 0 and 13 px in style 1; a space is 5 px. */
static int fake_measure(void *ctx, int style, const char *s, size_t len) {
    (void)ctx;
    int w = 0;
    size_t i = 0;
    while (i < len) {
        uint32_t cp = utf8_next(s, len, &i);
        w += cp == ' ' ? 5 : (style == 1 ? 13 : 10);
    }
    return w;
}
static const layout_font FAKE = {NULL, fake_measure};

/* Rebuilds the words of a layout: the text of every line's fragments, split at spaces, joined by one space. */
static char *words_of_layout(const layout_para *p, const layout_run *runs) {
    size_t cap = 1 << 16, n = 0;
    char *out = calloc(1, cap);
    for (size_t l = 0; l < p->n_lines; l++) {
        const layout_line *ln = &p->lines[l];
        for (uint32_t f = ln->first; f < ln->first + ln->count; f++) {
            const layout_frag *fr = &p->frags[f];
            memcpy(out + n, runs[fr->run].text + fr->off, fr->len);
            n += fr->len;
        }
        out[n++] = '\n'; /* a line end separates words */
    }
    out[n] = '\0';
    return out;
}

/* Normalises white space: every run of spaces/newlines becomes one space, trimmed. */
static void squeeze(char *s) {
    char *w = s;
    int sp = 1;
    for (char *r = s; *r; r++) {
        if (*r == ' ' || *r == '\n') {
            if (!sp) *w++ = ' ';
            sp = 1;
        } else {
            *w++ = *r;
            sp = 0;
        }
    }
    if (w > s && w[-1] == ' ') w--;
    *w = '\0';
}

static void check_layout(const layout_run *runs, size_t n, int width, int split_expected) {
    layout_para p;
    layout_para_init(&p);
    assert_true(layout_paragraph(&p, &FAKE, runs, n, width));
    /* words stay whole or are cut with a hyphen, keeping the rule's letters on each side (issue 13) */
    layout_word_stats st = {0};
    layout_word_stats_add(&p, runs, n, &st);
    assert_int_equal(st.no_hyphen, 0);
    assert_int_equal(st.short_pieces, 0);
    for (size_t l = 0; l < p.n_lines; l++) {
        const layout_line *ln = &p.lines[l];
        /* only a line of one piece of a word too short to cut runs over the column, and it is counted */
        bool one_word = true;
        for (uint32_t f = ln->first; f < ln->first + ln->count; f++)
            one_word = one_word && !memchr(runs[p.frags[f].run].text + p.frags[f].off, ' ', p.frags[f].len);
        assert_true(ln->width <= width || (p.overflow > 0 && one_word));
        /* the measured fragments must add up to the line's width and sit left to right */
        int x = 0;
        for (uint32_t f = ln->first; f < ln->first + ln->count; f++) {
            const layout_frag *fr = &p.frags[f];
            assert_true(fr->x >= x);
            assert_int_equal(fr->w, fake_measure(NULL, runs[fr->run].style, runs[fr->run].text + fr->off, fr->len));
            assert_true(utf8_valid(runs[fr->run].text + fr->off, fr->len));
            x = fr->x + fr->w;
        }
    }
    /* every word, in order, exactly once */
    char *got = words_of_layout(&p, runs);
    char want[1 << 14] = "";
    for (size_t i = 0; i < n; i++)
        strncat(want, runs[i].text, runs[i].len);
    squeeze(got);
    squeeze(want);
    if (!split_expected)
        assert_string_equal(got, want);
    else {
        /* a split word is the same letters with a line break inside: compare without spaces */
        char a[1 << 14], b[1 << 14];
        size_t na = 0, nb = 0;
        for (char *s = got; *s; s++)
            if (*s != ' ') a[na++] = *s;
        for (char *s = want; *s; s++)
            if (*s != ' ') b[nb++] = *s;
        a[na] = b[nb] = '\0';
        assert_string_equal(a, b);
    }
    free(got);
    layout_para_deinit(&p);
}

static void test_simple_paragraph(void **state) {
    (void)state;
    const char *t = "Det begynner ofte med en liten kroppsfølelse. Kanskje hjertet slår et ekstra slag.";
    layout_run r = {t, strlen(t), 0};
    /* from the longest word ("kroppsfølelse.", 140 px) up nothing is split; below it, words are split */
    for (int w = 140; w <= 1200; w += 7)
        check_layout(&r, 1, w, 0);
    for (int w = 10; w < 140; w += 7)
        check_layout(&r, 1, w, 1);
}

static void test_greedy_breaks(void **state) {
    (void)state;
    /* "aaa bbb ccc": 30 + 5 + 30 = 65 fits in 70, the third word does not */
    layout_run r = {"aaa bbb ccc", 11, 0};
    layout_para p;
    layout_para_init(&p);
    assert_true(layout_paragraph(&p, &FAKE, &r, 1, 70));
    assert_int_equal(p.n_lines, 2);
    assert_int_equal(p.lines[0].width, 65);
    assert_int_equal(p.lines[1].width, 30);
    layout_para_deinit(&p);
}

/* A paragraph holds room for about the lines and fragments it has (issue 14: a page keeps one per paragraph,
 * heading and list item, and room for 64 of each was 2.3 KB a paragraph, 280 KB of the longest demo page). */
static void test_short_paragraph_holds_little(void **state) {
    (void)state;
    layout_run r = {"aaa bbb ccc", 11, 0};
    layout_para p;
    layout_para_init(&p);
    assert_true(layout_paragraph(&p, &FAKE, &r, 1, 70));
    assert_int_equal(p.n_lines, 2);
    if (p.cap_lines > 4 || p.cap_frags > 4)
        fail_msg("two lines of one fragment each hold room for %zu lines and %zu fragments", p.cap_lines, p.cap_frags);
    layout_para_deinit(&p);
}

static void test_styled_runs_keep_words(void **state) {
    (void)state;
    layout_run r[] = {
        {"Dette er ", 9, 0}, {"viktig", 6, 1}, {". Og dette er ", 14, 0}, {"også", 5, 1}, {" viktig.", 8, 0}};
    /* the longest word is "viktig." (6 × 13 + 10 = 88 px) */
    for (int w = 88; w <= 600; w += 3)
        check_layout(r, 5, w, 0);
    for (int w = 20; w < 88; w += 3)
        check_layout(r, 5, w, 1);
    /* "viktig" + "." is one word: never broken between the runs */
    layout_para p;
    layout_para_init(&p);
    assert_true(layout_paragraph(&p, &FAKE, r, 5, 100));
    for (size_t l = 0; l < p.n_lines; l++) {
        const layout_frag *first = &p.frags[p.lines[l].first];
        assert_false(r[first->run].text[first->off] == '.');
    }
    layout_para_deinit(&p);
}

static void test_long_word_is_split_without_breaking_utf8(void **state) {
    (void)state;
    const char *t = "spesialisthelsetjenesten æøåæøåæøåæøåæøå";
    layout_run r = {t, strlen(t), 0};
    for (int w = 10; w <= 300; w += 10)
        check_layout(&r, 1, w, 1);
}

static void test_split_prefers_hyphen(void **state) {
    (void)state;
    const char *t = "angst-og-panikk";
    layout_run r = {t, strlen(t), 0};
    layout_para p;
    layout_para_init(&p);
    /* 15 code points = 150 px; at 110 px the last '-' that fits is after "angst-og-" (90 px) */
    assert_true(layout_paragraph(&p, &FAKE, &r, 1, 110));
    assert_int_equal(p.n_lines, 2);
    const layout_frag *f = &p.frags[p.lines[0].first];
    assert_int_equal(f->len, strlen("angst-og-"));
    layout_para_deinit(&p);
}

static void test_forced_break_and_spaces(void **state) {
    (void)state;
    layout_run r = {"en\nto   tre", 11, 0};
    layout_para p;
    layout_para_init(&p);
    assert_true(layout_paragraph(&p, &FAKE, &r, 1, 1000));
    assert_int_equal(p.n_lines, 2);
    layout_para_deinit(&p);
    check_layout(&r, 1, 1000, 0);
}

static void test_empty_and_narrow(void **state) {
    (void)state;
    layout_run r = {"", 0, 0};
    layout_para p;
    layout_para_init(&p);
    assert_true(layout_paragraph(&p, &FAKE, &r, 1, 100));
    assert_int_equal(p.n_lines, 0);
    /* narrower than one character: a word too short to cut keeping three letters each side stays whole, over
     * the column (counted, so the caller can shrink it), nothing lost, no endless loop */
    layout_run r2 = {"abc", 3, 0};
    assert_true(layout_paragraph(&p, &FAKE, &r2, 1, 3));
    assert_int_equal(p.n_lines, 1);
    assert_int_equal(p.overflow, 1);
    /* a longer one is cut three letters at a time, with a hyphen, each line counted as over */
    layout_run r3 = {"abcdefghi", 9, 0};
    assert_true(layout_paragraph(&p, &FAKE, &r3, 1, 3));
    assert_int_equal(p.n_lines, 3);
    assert_true(p.frags[0].hyphen && p.frags[1].hyphen && !p.frags[2].hyphen);
    assert_int_equal(p.frags[0].len, 3);
    layout_para_deinit(&p);
}

static void test_random_text(void **state) {
    (void)state;
    /* random words of random lengths and styles: the invariants hold at every width */
    srand(1234);
    static const char *const words[] = {"i",
                                        "og",
                                        "angst",
                                        "eksponeringsøvelse",
                                        "å",
                                        "kroppen",
                                        "selvmordstanker",
                                        "«bevis»",
                                        "–",
                                        "panikk-anfall",
                                        "ærlig",
                                        "spesialisthelsetjenesten"};
    for (int round = 0; round < 200; round++) {
        char buf[4][512];
        layout_run r[4];
        for (int k = 0; k < 4; k++) {
            buf[k][0] = '\0';
            int nw = rand() % 12;
            for (int i = 0; i < nw; i++) {
                strcat(buf[k], words[rand() % 12]);
                strcat(buf[k], rand() % 5 ? " " : "  ");
            }
            r[k] = (layout_run){buf[k], strlen(buf[k]), rand() % 2};
        }
        check_layout(r, 4, 40 + rand() % 500, 1);
    }
}

/* ---- the cost of over-long words (issue 9, item 5: a 60,000-character word froze the UI for 44 s) ---------- */

/* The fake font again, counting what it is asked: calls and bytes measured, and the longest word hyphenation
 * was asked about. Work is counted, never timed, so the tests say the same on any machine. */
typedef struct {
    size_t calls, bytes;
    size_t hyph_calls, hyph_longest; /* characters */
} counter;

static int counting_measure(void *ctx, int style, const char *s, size_t len) {
    counter *c = ctx;
    c->calls++;
    c->bytes += len;
    return fake_measure(NULL, style, s, len);
}

/* Offers a break after every fifth character, as patterns would. */
static int counting_hyphenate(void *ctx, const char *word, size_t len, hyph_break *out, int max) {
    counter *c = ctx;
    c->hyph_calls++;
    size_t chars = utf8_count(word, len);
    if (chars > c->hyph_longest) c->hyph_longest = chars;
    int n = 0;
    size_t i = 0, k = 0;
    while (i < len && n < max) {
        utf8_next(word, len, &i);
        if (++k % 5 == 0 && k + 3 <= chars) out[n++] = (hyph_break){(uint32_t)i, (uint32_t)i};
    }
    return n;
}

/* Lays out runs and checks what a reader must get: every byte shown once, in order, no fragment splitting a
 * UTF-8 sequence, no line wider than the column, fragment widths as measured. */
static void check_long(const layout_run *runs, size_t n, int width, const layout_font *font, layout_para *p) {
    assert_true(layout_paragraph(p, font, runs, n, width));
    layout_word_stats st = {0};
    layout_word_stats_add(p, runs, n, &st);
    assert_int_equal(st.no_hyphen, 0);
    size_t run = 0, off = 0;
    for (size_t l = 0; l < p->n_lines; l++) {
        const layout_line *ln = &p->lines[l];
        assert_true(ln->width <= width || p->overflow > 0);
        for (uint32_t f = ln->first; f < ln->first + ln->count; f++) {
            const layout_frag *fr = &p->frags[f];
            const char *t = runs[fr->run].text + fr->off;
            assert_true(utf8_valid(t, fr->len));
            assert_true(fr->x + fr->w + (fr->hyphen ? 10 : 0) <= width || p->overflow > 0);
            assert_int_equal(fr->w, fake_measure(NULL, runs[fr->run].style, t, fr->len));
            /* the fragments follow the text: only spaces (and a soft hyphen's own byte range) may lie between */
            while (run < fr->run) {
                for (; off < runs[run].len; off++)
                    assert_true(runs[run].text[off] == ' ');
                run++;
                off = 0;
            }
            for (; off < fr->off; off++)
                assert_true(runs[run].text[off] == ' ');
            off = fr->off + fr->len;
        }
    }
    for (; run < n; run++, off = 0)
        for (; off < runs[run].len; off++)
            assert_true(runs[run].text[off] == ' ');
}

#define LONG_WORD 60000

static char *long_word(const char *unit, size_t chars) {
    size_t ul = strlen(unit), uc = utf8_count(unit, ul);
    char *s = malloc(chars / uc * ul + ul + 1);
    size_t n = 0;
    for (size_t c = 0; c + uc <= chars; c += uc, n += ul)
        memcpy(s + n, unit, ul);
    s[n] = '\0';
    return s;
}

static void test_long_word_costs_linear_measurements(void **state) {
    (void)state;
    char *w = long_word("abcdefghij", LONG_WORD);
    layout_run r = {w, strlen(w), 0};
    layout_para p;
    layout_para_init(&p);
    static const int widths[] = {100, 333, 734, 2000};
    for (size_t k = 0; k < sizeof widths / sizeof widths[0]; k++) {
        counter c = {0};
        layout_font font = {&c, counting_measure, counting_hyphenate, &c};
        check_long(&r, 1, widths[k], &font, &p);
        /* linear: a few measurements and a few bytes measured per character, whatever the column; the old
         * breaker measured the rest of the word again for every line (~ N² / line bytes) */
        assert_true(c.calls <= 4 * (size_t)LONG_WORD);
        assert_true(c.bytes <= 8 * (size_t)LONG_WORD);
        /* hyphenation patterns are never asked about a word of 60,000 characters, nor about its tail */
        assert_true(c.hyph_longest <= MS_LAYOUT_HYPHEN_MAX_CHARS);
        assert_int_equal(c.hyph_calls, 0);
        /* every character is on some line, and each full line holds at least half of what fits (with a
         * hyphen): a forced cut moves back at most that far, to the start of a syllable */
        size_t fit = (size_t)widths[k] / 10 - 1;
        assert_true(p.n_lines >= (LONG_WORD + fit - 1) / fit);
        assert_true(p.n_lines <= (LONG_WORD + fit / 2 - 1) / (fit / 2));
    }
    layout_para_deinit(&p);
    free(w);
}

static void test_long_word_cost_grows_linearly(void **state) {
    (void)state;
    /* the work for 2N characters is about twice that for N, not four times */
    size_t bytes[2];
    for (int k = 0; k < 2; k++) {
        char *w = long_word("abcdefghij", (size_t)(k + 1) * 20000);
        layout_run r = {w, strlen(w), 0};
        counter c = {0};
        layout_font font = {&c, counting_measure, counting_hyphenate, &c};
        layout_para p;
        layout_para_init(&p);
        check_long(&r, 1, 300, &font, &p);
        bytes[k] = c.bytes;
        layout_para_deinit(&p);
        free(w);
    }
    assert_true(bytes[1] <= bytes[0] * 21 / 10);
}

static void test_long_word_in_a_paragraph(void **state) {
    (void)state;
    /* a long word between ordinary words, in two styles and with Norwegian letters: nothing lost, the short
     * words still hyphenated where they do not fit, the long one cut without asking the patterns */
    char *w = long_word("æøå-spesialisthelse", LONG_WORD / 2);
    layout_run r[] = {{"Hei, dette er en melding: ", 26, 0},
                      {w, strlen(w), 1},
                      {" og så ", 8, 0},
                      {"spesialisthelsetjenesten", 24, 1},
                      {" slutt.", 7, 0}};
    counter c = {0};
    layout_font font = {&c, counting_measure, counting_hyphenate, &c};
    layout_para p;
    layout_para_init(&p);
    for (int width = 120; width <= 900; width += 260) {
        memset(&c, 0, sizeof c);
        check_long(r, 5, width, &font, &p);
        assert_true(c.bytes <= 16 * (size_t)LONG_WORD);
        assert_true(c.hyph_longest <= MS_LAYOUT_HYPHEN_MAX_CHARS);
    }
    /* at 120 px "spesialisthelsetjenesten" (24 characters, 312 px) is hyphenated by the patterns */
    memset(&c, 0, sizeof c);
    check_long(r, 5, 120, &font, &p);
    assert_true(c.hyph_calls > 0);
    /* the long word breaks after its own hyphens: every cut line of it that ends without a drawn hyphen ends
     * in '-' */
    for (size_t l = 0; l + 1 < p.n_lines; l++) {
        const layout_line *ln = &p.lines[l];
        const layout_frag *fr = &p.frags[ln->first + ln->count - 1];
        if (fr->run != 1 || fr->off + fr->len == r[1].len) continue;
        if (!fr->hyphen) assert_true(w[fr->off + fr->len - 1] == '-');
    }
    layout_para_deinit(&p);
    free(w);
}

static void test_long_word_keeps_characters_whole(void **state) {
    (void)state;
    /* "å" written as a + combining ring (U+030A), and a flag (two regional indicators): never cut apart */
    char *w = long_word("a\xCC\x8A"
                        "b\xF0\x9F\x87\xB3\xF0\x9F\x87\xB4",
                        30000);
    layout_run r = {w, strlen(w), 0};
    counter c = {0};
    layout_font font = {&c, counting_measure, NULL, NULL};
    layout_para p;
    layout_para_init(&p);
    for (int width = 45; width <= 400; width += 31) {
        check_long(&r, 1, width, &font, &p);
        for (size_t l = 0; l < p.n_lines; l++) {
            const layout_frag *fr = &p.frags[p.lines[l].first];
            const unsigned char *t = (const unsigned char *)w + fr->off;
            /* no line starts with the ring, nor with the second half of a flag */
            assert_false(t[0] == 0xCC && t[1] == 0x8A);
            if (fr->off >= 4 && memcmp(t, "\xF0\x9F\x87\xB4", 4) == 0) fail_msg("flag cut at line %zu", l);
        }
    }
    /* a run of 60,000 combining marks is still cut (at most 31 code points to a character) and costs linear work */
    char *marks = long_word("\xCC\x81", LONG_WORD);
    layout_run m = {marks, strlen(marks), 0};
    memset(&c, 0, sizeof c);
    check_long(&m, 1, 400, &font, &p);
    assert_true(p.n_lines > 1);
    assert_true(c.bytes <= 8 * strlen(marks));
    layout_para_deinit(&p);
    free(marks);
    free(w);
}

static void test_dash_breaks_without_a_hyphen(void **state) {
    (void)state;
    /* a word too long for its line that has a dash of its own («tre–fire»: an en dash, as in the demo's
     * «tre–fire ganger») breaks after the dash, and no hyphen is drawn after it («tre–-» read as a typo) */
    const char *text = "tre\xE2\x80\x93" "firefem\xE2\x80\x94" "seks";
    layout_run r = {text, strlen(text), 0};
    counter c = {0};
    layout_font font = {&c, counting_measure, NULL, NULL}; /* no patterns: the forced cut is what is judged */
    layout_para p;
    layout_para_init(&p);
    check_long(&r, 1, 95, &font, &p); /* 9 characters a line: the whole word is 18 */
    assert_true(p.n_lines >= 2);
    const layout_frag *fr = &p.frags[p.lines[0].first + p.lines[0].count - 1];
    assert_false(fr->hyphen);
    assert_memory_equal(text + fr->off + fr->len - 3, "\xE2\x80\x93", 3);
    layout_para_deinit(&p);
}

static void test_soft_hyphens_in_a_long_word(void **state) {
    (void)state;
    /* an author's soft hyphens (U+00AD) are break points even in a word too long for the patterns */
    char *w = long_word("abcdefg\xC2\xAD", 8 * 200);
    layout_run r = {w, strlen(w), 0};
    counter c = {0};
    layout_font font = {&c, counting_measure, counting_hyphenate, &c};
    layout_para p;
    layout_para_init(&p);
    check_long(&r, 1, 205, &font, &p);
    for (size_t l = 0; l + 1 < p.n_lines; l++) {
        const layout_frag *fr = &p.frags[p.lines[l].first + p.lines[l].count - 1];
        assert_true(fr->hyphen);
        assert_memory_equal(w + fr->off + fr->len - 2, "\xC2\xAD", 2);
    }
    layout_para_deinit(&p);
    free(w);
}

/* ---- issue 13: words stay whole -------------------------------------------------------------------------- */

static int real_hyphenate(void *ctx, const char *word, size_t len, hyph_break *out, int max) {
    return hyph_breaks(ctx, word, len, out, max);
}

/* Whether byte `at` of word is one of the whole word's hyphenation points. */
static bool is_pattern_point(const hyph *h, const char *word, size_t at) {
    hyph_break br[64];
    int n = hyph_breaks(h, word, strlen(word), br, 64);
    for (int i = 0; i < n; i++)
        if (br[i].end == at) return true;
    return false;
}

static void test_norwegian_compounds_at_narrow_widths(void **state) {
    (void)state;
    char err[256];
    hyph *h = hyph_load(MEISTRING_HYPH_DIR "/hyph_nb_NO.dic", err, sizeof err);
    assert_non_null(h);
    layout_font font = {NULL, fake_measure, real_hyphenate, h};
    static const char *const words[] = {"angstmestringsstrategiene",   "registreringene", "panikkanfall", "eksempel:",
                                        "«Angstmestringsstrategiene»", "Registreringene."};
    layout_para p;
    layout_para_init(&p);
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        const char *w = words[i];
        layout_run r = {w, strlen(w), 0};
        for (int width = 30; width <= 300; width += 5) {
            assert_true(layout_paragraph(&p, &font, &r, 1, width));
            layout_word_stats st = {0};
            layout_word_stats_add(&p, &r, 1, &st);
            if (st.no_hyphen || st.short_pieces)
                fail_msg("«%s» at %d px: %d breaks without a hyphen, %d short pieces", w, width, st.no_hyphen,
                         st.short_pieces);
            for (size_t l = 0; l + 1 < p.n_lines; l++) {
                const layout_frag *fr = &p.frags[p.lines[l].first + p.lines[l].count - 1];
                assert_true(fr->hyphen);
                /* where no cut was forced, every break is one the patterns offer for the whole word */
                if (p.forced == 0 && !is_pattern_point(h, w, fr->off + fr->len))
                    fail_msg("«%s» at %d px: break at byte %u is no hyphenation point", w, width,
                             (unsigned)(fr->off + fr->len));
            }
        }
    }
    /* wide enough for its longest syllable group, a word is only ever broken where the patterns allow */
    layout_run r = {"registreringene", strlen("registreringene"), 0};
    assert_true(layout_paragraph(&p, &font, &r, 1, 80));
    assert_int_equal(p.forced, 0);
    assert_int_equal(p.overflow, 0);
    assert_true(p.n_lines >= 2);
    layout_para_deinit(&p);
    hyph_free(h);
}

static void test_forced_cut_keeps_three_letters_each_side(void **state) {
    (void)state;
    /* no patterns: a cut between letters, always with a hyphen, never leaving fewer than three letters */
    layout_para p;
    layout_para_init(&p);
    layout_run r = {"eksemplene:", strlen("eksemplene:"), 0};
    /* 110 px wide in 100: the front that fits with a hyphen is 9 letters, leaving «e:»; the cut moves back to
     * where a syllable may start, before a consonant and a vowel, leaving «lene:» */
    assert_true(layout_paragraph(&p, &FAKE, &r, 1, 100));
    assert_int_equal(p.n_lines, 2);
    assert_true(p.frags[0].hyphen);
    assert_int_equal(p.frags[0].len, strlen("eksemp"));
    assert_int_equal(p.forced, 1);
    /* «behandleren» has no hyphenation point in hyph-no: «behand-leren», not «behandl-eren» */
    layout_run b = {"behandleren", strlen("behandleren"), 0};
    assert_true(layout_paragraph(&p, &FAKE, &b, 1, 80));
    assert_int_equal(p.n_lines, 2);
    assert_int_equal(p.frags[0].len, strlen("behand"));
    /* six letters in 55 px: three and three, never «pani-kk» */
    layout_run s = {"panikk", 6, 0};
    assert_true(layout_paragraph(&p, &FAKE, &s, 1, 55));
    assert_int_equal(p.n_lines, 2);
    assert_int_equal(p.frags[0].len, 3);
    assert_int_equal(p.overflow, 0);
    /* too short to cut keeping three letters a side: whole, over the column, counted */
    layout_run t = {"angst", 5, 0};
    assert_true(layout_paragraph(&p, &FAKE, &t, 1, 45));
    assert_int_equal(p.n_lines, 1);
    assert_int_equal(p.overflow, 1);
    layout_para_deinit(&p);
}

/* A number in groups is never broken at its spaces (issue 13: «ring legevakten på 116 117» broke «116 / 117» at
 * 400 %): a line break goes before the number instead; a space beside a letter still breaks. */
static void test_digit_groups_stay_whole(void **state) {
    (void)state;
    /* "ring 116 117": 40 + 5 + 30 = 75 fits in 80, "116 117" (65) does not after it: it goes whole to the next line */
    layout_run r = {"ring 116 117", 12, 0};
    layout_para p;
    layout_para_init(&p);
    assert_true(layout_paragraph(&p, &FAKE, &r, 1, 80));
    assert_int_equal(p.n_lines, 2);
    assert_int_equal(p.lines[0].width, 40);
    assert_int_equal(p.lines[1].width, 65);
    /* a thousands group and a phone number in a sentence, at every width they fit: never a break between digits */
    const char *t = "Ring 22 33 44 55 eller 116 117, det koster 10 000 kr";
    layout_run r2 = {t, strlen(t), 0};
    for (int w = 115; w <= 600; w += 3) {
        assert_true(layout_paragraph(&p, &FAKE, &r2, 1, w));
        for (size_t l = 0; l + 1 < p.n_lines; l++) {
            const layout_frag *fr = &p.frags[p.lines[l].first + p.lines[l].count - 1];
            size_t end = fr->off + fr->len, next = p.frags[p.lines[l + 1].first].off;
            bool digit_end = end > 0 && t[end - 1] >= '0' && t[end - 1] <= '9';
            bool digit_next = t[next] >= '0' && t[next] <= '9';
            assert_false(digit_end && digit_next);
        }
    }
    layout_para_deinit(&p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_paragraph),
        cmocka_unit_test(test_greedy_breaks),
        cmocka_unit_test(test_short_paragraph_holds_little),
        cmocka_unit_test(test_styled_runs_keep_words),
        cmocka_unit_test(test_long_word_is_split_without_breaking_utf8),
        cmocka_unit_test(test_split_prefers_hyphen),
        cmocka_unit_test(test_forced_break_and_spaces),
        cmocka_unit_test(test_empty_and_narrow),
        cmocka_unit_test(test_random_text),
        cmocka_unit_test(test_long_word_costs_linear_measurements),
        cmocka_unit_test(test_long_word_cost_grows_linearly),
        cmocka_unit_test(test_long_word_in_a_paragraph),
        cmocka_unit_test(test_long_word_keeps_characters_whole),
        cmocka_unit_test(test_soft_hyphens_in_a_long_word),
        cmocka_unit_test(test_dash_breaks_without_a_hyphen),
        cmocka_unit_test(test_norwegian_compounds_at_narrow_widths),
        cmocka_unit_test(test_forced_cut_keeps_three_letters_each_side),
        cmocka_unit_test(test_digit_groups_stay_whole),
    };
    return cmocka_run_group_tests_name("layout", tests, NULL, NULL);
}
