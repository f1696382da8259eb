/* test_tts.c — read-aloud with the real espeak-ng Norwegian voice: a whole demo page is synthesised to a
 * buffer, and every highlighted range must be a real word (a white-space-delimited token) of that page, in
 * order, with the audio times rising; soft hyphens are not spoken; cancelling stops a synthesis. */
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
    };
    return cmocka_run_group_tests_name("tts", tests, setup, teardown);
}
