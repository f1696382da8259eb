/* test_tts.c — read-aloud with the real espeak-ng Norwegian voice: a whole demo page is synthesised to a
 * buffer, and every highlighted range must be a real word (a white-space-delimited token) of that page, in
 * order, with the audio times rising; soft hyphens are not spoken; cancelling stops a synthesis; phone numbers
 * are said digit by digit, lit as the numbers they are on screen, and nothing else is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meistring/doc.h"
#include "meistring/tts.h"
#include "meistring/utf8.h"

static tts *t;

/* Whether espeak-ng's library is mapped into this process now. */
static bool espeak_mapped(void) {
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    bool found = false;
    while (f && !found && fgets(line, sizeof line, f))
        found = strstr(line, "libespeak-ng") != NULL;
    if (f) fclose(f);
    return found;
}

static bool mapped_before_start;

static int setup(void **state) {
    (void)state;
    char err[256];
    mapped_before_start = espeak_mapped();
    t = tts_new("nb", NULL, err, sizeof err);
    if (!t) fprintf(stderr, "%s\n", err);
    return t ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    tts_free(t);
    return 0;
}

static bool is_digit_start(char c) { return c >= '0' && c <= '9'; }

static size_t count_tokens(const char *s, size_t len) {
    size_t n = 0, i = 0;
    int in = 0;
    while (i < len) {
        uint32_t cp = utf8_next(s, len, &i);
        int sp = utf8_is_break_space(cp);
        if (!sp && !in) n++;
        in = !sp;
    }
    return n;
}

/* Checks one synthesis of text: marks are whole tokens, in order, times rising. Returns marks seen. */
static size_t check_text(const char *text) {
    size_t len = strlen(text);
    tts_audio au;
    assert_true(tts_speak(t, text, len, 160, &au, NULL));
    assert_true(au.n_samples > 0);
    uint32_t last_end = 0, last_ms = 0;
    for (size_t i = 0; i < au.n_marks; i++) {
        const tts_mark *m = &au.marks[i];
        assert_true(m->start + m->len <= len);
        assert_true(m->len > 0);
        if (m->start < last_end) fail_msg("mark %zu [%u+%u] before %u in \"%s\"", i, m->start, m->len, last_end, text);
        assert_true(m->ms >= last_ms);
        /* a whole token: white space (or the ends) on both sides, none inside */
        if (m->start > 0) assert_true(text[m->start - 1] == ' ' || text[m->start - 1] == '\n');
        size_t e = m->start + m->len;
        if (e < len) assert_true(text[e] == ' ' || text[e] == '\n');
        for (size_t k = m->start; k < e; k++)
            assert_false(text[k] == ' ');
        assert_true(utf8_valid(text + m->start, m->len));
        last_end = e;
        last_ms = m->ms;
    }
    /* nearly every word is marked (a lone dash or quote may be spoken without a word event) */
    size_t tokens = count_tokens(text, len);
    if (au.n_marks * 10 < tokens * 9) fail_msg("%zu marks for %zu words in \"%.60s\"", au.n_marks, tokens, text);
    /* plausible speed: 160 words a minute, give or take pauses at full stops */
    double seconds = (double)au.n_samples / tts_sample_rate(t);
    double wpm = tokens / (seconds / 60.0);
    if (tokens > 8 && (wpm < 60 || wpm > 320)) fail_msg("%.0f words a minute for \"%.60s\"", wpm, text);
    size_t n = au.n_marks;
    tts_audio_free(&au);
    return n;
}

static void test_demo_page(void **state) {
    (void)state;
    doc_programme *p = NULL;
    doc_error err;
    assert_int_equal(doc_load_dir(MEISTRING_SOURCE_ROOT "/assets/demo", &p, &err), DOC_OK);
    const doc_page *page = &p->modules[1].pages[1]; /* «Tanker som gjør angsten større» */
    size_t marks = 0;
    char buf[8192];
    for (size_t b = 0; b < page->n_blocks; b++) {
        const doc_block *blk = &page->blocks[b];
        if (blk->heading) marks += check_text(blk->heading);
        if (blk->text.n_spans) {
            doc_text_plain(&blk->text, buf, sizeof buf);
            marks += check_text(buf);
        }
        for (size_t i = 0; i < blk->n_items; i++) {
            doc_text_plain(&blk->items[i], buf, sizeof buf);
            marks += check_text(buf);
        }
        if (blk->alt) marks += check_text(blk->alt);
    }
    assert_true(marks > 200);
    doc_programme_free(p);
}

static void test_soft_hyphen_and_quotes(void **state) {
    (void)state;
    const char *text = "Selvmords\xC2\xADtanker og «bevis» på æøå-ord.";
    tts_audio au;
    assert_true(tts_speak(t, text, strlen(text), 160, &au, NULL));
    /* the token with a soft hyphen is one word, reported with the soft hyphen inside its range */
    assert_true(au.n_marks >= 4);
    assert_int_equal(au.marks[0].start, 0);
    assert_int_equal(au.marks[0].len, strlen("Selvmords\xC2\xADtanker"));
    tts_audio_free(&au);
    check_text("«Jeg får hjerteinfarkt», tenker han.");
}

static void test_rate_changes_length(void **state) {
    (void)state;
    const char *text = "Pusten blir raskere, slik at kroppen får inn mer oksygen.";
    tts_audio slow, fast;
    assert_true(tts_speak(t, text, strlen(text), 80, &slow, NULL));
    assert_true(tts_speak(t, text, strlen(text), 320, &fast, NULL));
    assert_true(slow.n_samples > fast.n_samples * 2);
    tts_audio_free(&slow);
    tts_audio_free(&fast);
}

static void test_cancel(void **state) {
    (void)state;
    volatile int cancel = 1;
    tts_audio au;
    assert_false(tts_speak(t, "Dette skal ikke leses.", 22, 160, &au, &cancel));
    assert_null(au.samples);
    assert_int_equal(au.n_marks, 0);
}

/* What the voice is given for text (tts_say_numbers), as a string. */
static const char *said(const char *text) {
    static char out[512];
    assert_true(2 * strlen(text) + 1 <= sizeof out);
    size_t n = tts_say_numbers(text, strlen(text), out, NULL);
    assert_int_equal(n, strlen(out));
    return out;
}

/* A patient who cannot read must hear the digits to dial: «en en tre», not «ett hundre og tretten». */
static void test_phone_numbers_said_digit_by_digit(void **state) {
    (void)state;
    assert_string_equal(said("113"), "1 1 3");
    assert_string_equal(said("Trenger du hjelp nå, ring 113. Du kan også ringe legevakten på 116 117."),
                        "Trenger du hjelp nå, ring 1 1 3. Du kan også ringe legevakten på 1 1 6, 1 1 7.");
    assert_string_equal(said("Mental Helses hjelpetelefon på 116 123, som er åpen hele døgnet."),
                        "Mental Helses hjelpetelefon på 1 1 6, 1 2 3, som er åpen hele døgnet.");
    assert_string_equal(said("Brann 110, politi 112 og «113»"), "Brann 1 1 0, politi 1 1 2 og «1 1 3»");
    assert_string_equal(said("(116117)"), "(1 1 6 1 1 7)");
    assert_string_equal(said("Telefon: 00 00 00 00"), "Telefon: 0 0, 0 0, 0 0, 0 0");
    assert_string_equal(said("22 33 44 55!"), "2 2, 3 3, 4 4, 5 5!");
    assert_string_equal(said("800 12 345"), "8 0 0, 1 2, 3 4 5");
    /* no-break spaces between the groups, as a typesetter writes them */
    assert_string_equal(said("116\xC2\xA0"
                             "117 og 22\xE2\x80\xAF"
                             "33\xE2\x80\xAF"
                             "44\xE2\x80\xAF"
                             "55"),
                        "1 1 6, 1 1 7 og 2 2, 3 3, 4 4, 5 5");
    /* a number and more after it: the number alone, unless a group of three makes thousands of it */
    assert_string_equal(said("113 24 timer i døgnet, 113-sentralen"), "1 1 3 24 timer i døgnet, 1 1 3-sentralen");
    /* English is said the same way (the voice says «one one three») */
    assert_string_equal(said("If you need help now, call 113."), "If you need help now, call 1 1 3.");
}

/* Not phone numbers: years, times, scores, page counts and ordinary amounts are said as espeak-ng says them. */
static void test_other_numbers_as_written(void **state) {
    (void)state;
    const char *as_written[] = {
        "I 2026 og 1990-årene", /* years */
        "kl. 08–15",            /* a time */
        "kl. 08.00-15.30",      /* times with points */
        "Hver øvelse varer i omtrent 30–60 sekunder.",
        "PHQ-9: 12 av 27 poeng", /* a score */
        "Side 2 av 4 · skjerm 1 av 3 · 4 min igjen",
        "Det koster 250 000 kroner, 1 113 kroner eller 110 000.", /* amounts in thousands */
        "114 115 120 111 1130 11300", /* three digits that are no emergency number, longer runs */
        "116 11",                     /* a 116 number is six digits */
        "22 33 44",                   /* six digits in pairs: not a Norwegian number */
        "22 33 44 55 666",            /* ... and eight followed by thousands */
        "a113 113a 2.113 113,5 113:2 11.3",
        "1 1 3",
    };
    for (size_t i = 0; i < sizeof as_written / sizeof *as_written; i++)
        assert_string_equal(said(as_written[i]), as_written[i]);
}

/* The number said digit by digit is lit as written: one mark per number on screen, each the whole token. */
static void test_phone_number_marks(void **state) {
    (void)state;
    const char *text = "Er du i fare nå, ring 113. Legevakten har 116 117, og kontoret 22 33 44 55.";
    check_text(text);
    tts_audio au;
    assert_true(tts_speak(t, text, strlen(text), 160, &au, NULL));
    assert_non_null(au.said);
    assert_non_null(strstr(au.said, "ring 1 1 3. Legevakten har 1 1 6, 1 1 7, og kontoret 2 2, 3 3, 4 4, 5 5."));
    const char *lit[] = {"113.", "116", "117,", "22", "33", "44", "55."};
    size_t k = 0;
    for (size_t i = 0; i < au.n_marks; i++) {
        const tts_mark *m = &au.marks[i];
        if (!is_digit_start(text[m->start])) continue;
        assert_true(k < sizeof lit / sizeof *lit);
        if (m->len != strlen(lit[k]) || memcmp(text + m->start, lit[k], m->len) != 0)
            fail_msg("mark %zu is \"%.*s\", not \"%s\"", k, (int)m->len, text + m->start, lit[k]);
        k++;
    }
    assert_int_equal(k, sizeof lit / sizeof *lit);
    tts_audio_free(&au);
}

/* Issue 14: espeak-ng and the audio libraries it brings (pcaudio, sonic, pulse-simple) are 300 kB of the
 * client's memory that reading without read-aloud never uses: they are loaded when read-aloud first starts. */
static void test_espeak_loaded_only_when_speech_starts(void **state) {
    (void)state;
    assert_false(mapped_before_start);
    assert_true(espeak_mapped());
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_espeak_loaded_only_when_speech_starts),
        cmocka_unit_test(test_demo_page),
        cmocka_unit_test(test_soft_hyphen_and_quotes),
        cmocka_unit_test(test_rate_changes_length),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_phone_numbers_said_digit_by_digit),
        cmocka_unit_test(test_other_numbers_as_written),
        cmocka_unit_test(test_phone_number_marks),
    };
    return cmocka_run_group_tests_name("tts", tests, setup, teardown);
}
