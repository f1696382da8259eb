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
    for (size_t l = 0; l < p.n_lines; l++) {
        const layout_line *ln = &p.lines[l];
        assert_true(ln->width <= width);
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
    /* narrower than one character: one character a line, nothing lost, no endless loop */
    layout_run r2 = {"abc", 3, 0};
    assert_true(layout_paragraph(&p, &FAKE, &r2, 1, 3));
    assert_int_equal(p.n_lines, 3);
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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_paragraph),       cmocka_unit_test(test_greedy_breaks),
        cmocka_unit_test(test_styled_runs_keep_words), cmocka_unit_test(test_long_word_is_split_without_breaking_utf8),
        cmocka_unit_test(test_split_prefers_hyphen),   cmocka_unit_test(test_forced_break_and_spaces),
        cmocka_unit_test(test_empty_and_narrow),       cmocka_unit_test(test_random_text),
    };
    return cmocka_run_group_tests_name("layout", tests, NULL, NULL);
}
