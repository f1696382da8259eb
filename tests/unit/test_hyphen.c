/* test_hyphen.c — Norwegian hyphenation with the real hyphen-no patterns (converted at build time): real
 * compounds break where a Norwegian reader expects, 2 letters stay left and 3 go right, case and punctuation
 * do not matter, soft hyphens win; and the layout hyphenates only words wider than the column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "meistring/config.h"
#include "meistring/hyphen.h"
#include "meistring/layout.h"
#include "meistring/utf8.h"

static hyph *nb;

static int setup(void **state) {
    (void)state;
    char err[256];
    nb = hyph_load(MEISTRING_HYPH_DIR "/hyph_nb_NO.dic", err, sizeof err);
    if (!nb) fprintf(stderr, "%s\n", err);
    return nb ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    hyph_free(nb);
    return 0;
}

/* The word with '-' at every break, e.g. "selv-mords-tanker". */
static const char *marked(const char *word) {
    static char buf[256];
    hyph_break br[32];
    int n = hyph_breaks(nb, word, strlen(word), br, 32);
    size_t w = 0, at = 0;
    for (int i = 0; i < n; i++) {
        memcpy(buf + w, word + at, br[i].end - at);
        w += br[i].end - at;
        buf[w++] = '-';
        at = br[i].resume;
    }
    strcpy(buf + w, word + at);
    return buf;
}

static void test_compounds(void **state) {
    (void)state;
    assert_string_equal(marked("selvmordstanker"), "selv-mords-tanker");
    assert_string_equal(marked("eksponeringsøvelse"), "ekspo-ne-rings-øvelse"); /* not "øvel-se": 3 right */
    assert_string_equal(marked("spesialisthelsetjenesten"), "spesialist-helse-tje-nes-ten");
    assert_string_equal(marked("kroppsfølelse"), "kropps-fø-lelse");
    assert_string_equal(marked("fødselsdag"), "fødsels-dag");
}

static void test_minimums_in_letters_not_bytes(void **state) {
    (void)state;
    /* "ær-lighet": libhyphen's own minimum counts bytes and would allow "æ-rlighet" */
    assert_string_equal(marked("ærlighet"), "ær-lighet");
    /* 3 letters must go to the next line: no "-se" at the end */
    const char *m = marked("kroppsfølelse");
    assert_null(strstr(m, "-se"));
    /* short words are left whole */
    assert_string_equal(marked("angst"), "angst");
    assert_string_equal(marked("i"), "i");
}

static void test_case_and_punctuation(void **state) {
    (void)state;
    assert_string_equal(marked("Selvmordstanker"), "Selv-mords-tanker");
    assert_string_equal(marked("SELVMORDSTANKER"), "SELV-MORDS-TANKER");
    assert_string_equal(marked("«eksponeringsøvelse»."), "«ekspo-ne-rings-øvelse».");
    assert_string_equal(marked("\"Kroppsfølelse,\""), "\"Kropps-fø-lelse,\"");
}

static void test_soft_hyphens_win(void **state) {
    (void)state;
    /* the author wrote one soft hyphen: that is the only break, and the soft hyphen is dropped at it */
    assert_string_equal(marked("selvmords\xC2\xADtanker"), "selvmords-tanker");
    /* without patterns, soft hyphens still work */
    hyph_break br[4];
    assert_int_equal(hyph_breaks(NULL, "an\xC2\xADgst", 7, br, 4), 1);
    assert_int_equal(br[0].end, 2);
    assert_int_equal(br[0].resume, 4);
    assert_int_equal(hyph_breaks(NULL, "angst", 5, br, 4), 0);
}

static void test_bad_file(void **state) {
    (void)state;
    char err[256];
    assert_null(hyph_load("/nonexistent.dic", err, sizeof err));
    /* the Latin-1 original must be converted first */
    if (hyph_load("/usr/share/hyphen/hyph_nb_NO.dic", err, sizeof err) == NULL) assert_non_null(strstr(err, "UTF-8"));
}

/* layout with a fake font (10 px a character) and the real hyphenator */
static int fake_measure(void *ctx, int style, const char *s, size_t len) {
    (void)ctx;
    (void)style;
    return (int)utf8_count(s, len) * 10;
}
static int real_hyph(void *ctx, const char *w, size_t len, hyph_break *out, int max) {
    return hyph_breaks(ctx, w, len, out, max);
}

static void test_layout_hyphenates_only_overflowing_words(void **state) {
    (void)state;
    layout_font f = {NULL, fake_measure, real_hyph, NULL};
    f.hyph_ctx = nb;
    layout_para p;
    layout_para_init(&p);
    /* 150 px: "spesialisthelsetjenesten" (240 px) cannot fit: hyphenated; "om" and "og" never are */
    const char *t = "om spesialisthelsetjenesten og";
    layout_run r = {t, strlen(t), 0};
    assert_true(layout_paragraph(&p, &f, &r, 1, 150));
    char lines[8][64];
    for (size_t l = 0; l < p.n_lines && l < 8; l++) {
        size_t w = 0;
        for (uint32_t k = p.lines[l].first; k < p.lines[l].first + p.lines[l].count; k++) {
            memcpy(lines[l] + w, t + p.frags[k].off, p.frags[k].len);
            w += p.frags[k].len;
            if (p.frags[k].hyphen) lines[l][w++] = '-';
        }
        lines[l][w] = '\0';
        assert_true(p.lines[l].width <= 150);
    }
    /* "spesialisthelse-" would be 160 px: the best break that fits is after "spesialist" */
    assert_int_equal(p.n_lines, 4);
    assert_string_equal(lines[0], "om");
    assert_string_equal(lines[1], "spesialist-");
    assert_string_equal(lines[2], "helsetjenesten");
    assert_string_equal(lines[3], "og");
    /* a word that fits a line is never hyphenated, even when it does not fit the rest of this one */
    const char *t2 = "angstens kroppsfølelse";
    layout_run r2 = {t2, strlen(t2), 0};
    assert_true(layout_paragraph(&p, &f, &r2, 1, 150));
    for (size_t k = 0; k < p.n_frags; k++)
        assert_false(p.frags[k].hyphen);
    layout_para_deinit(&p);
}

static void copy_file(const char *from, const char *to, long cut) {
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[4096];
    size_t n;
    long done = 0;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0 && (cut < 0 || done < cut)) {
        if (cut >= 0 && done + (long)n > cut) n = (size_t)(cut - done);
        assert_int_equal(fwrite(buf, 1, n, out), n);
        done += (long)n;
    }
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

/* The packed tables (hyph_nb_NO.tab, read by the setup's hyph_load) break every word where libhyphen's own
 * loader's tables do; a copy with no .tab, with a cut-off .tab, or with a .tab made before its .dic changed is read by
 * libhyphen's loader and breaks the same. */
static void test_packed_tables_break_as_libhyphen(void **state) {
    (void)state;
    char dir[] = "/tmp/test_hyphen.XXXXXX", dic[64], tab[64], err[256];
    assert_non_null(mkdtemp(dir));
    snprintf(dic, sizeof dic, "%s/hyph_nb_NO.dic", dir);
    snprintf(tab, sizeof tab, "%s/hyph_nb_NO.tab", dir);
    copy_file(MEISTRING_HYPH_DIR "/hyph_nb_NO.dic", dic, -1);
    static const char *words[] = {"selvmordstanker", "eksponeringsøvelse", "spesialisthelsetjenesten", "ærlighet",
                                  "kroppsfølelse", "fødselsdag", "angstlidelse", "tankefeller", "Behandlingen",
                                  "pustefrekvensen", "sikkerhetsatferd", "unngåelsesatferd", "mestringsstrategi"};
    for (int variant = 0; variant < 3; variant++) {
        if (variant == 1) copy_file(MEISTRING_HYPH_DIR "/hyph_nb_NO.tab", tab, 100000); /* cut off */
        if (variant == 2) { /* whole, but made from other patterns: the .dic has changed since */
            copy_file(MEISTRING_HYPH_DIR "/hyph_nb_NO.tab", tab, -1);
            FILE *f = fopen(dic, "a");
            assert_non_null(f);
            fputs("% a comment added\n", f);
            assert_int_equal(fclose(f), 0);
        }
        hyph *plain = hyph_load(dic, err, sizeof err);
        assert_non_null(plain);
        for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
            hyph_break a[16], b[16];
            int na = hyph_breaks(nb, words[i], strlen(words[i]), a, 16);
            int nplain = hyph_breaks(plain, words[i], strlen(words[i]), b, 16);
            assert_int_equal(na, nplain);
            assert_memory_equal(a, b, (size_t)na * sizeof *a);
        }
        hyph_free(plain);
    }
    remove(tab);
    remove(dic);
    rmdir(dir);
}

/* The same patterns pack to the same bytes, whatever libhyphen's fresh memory held (M_PERTURB fills each malloc
 * with a byte): its structs' padding and the fields it leaves unset are not copied into the package. */
static void test_packing_is_reproducible(void **state) {
    (void)state;
    char dir[] = "/tmp/test_hyphen.XXXXXX", a[64], b[64], err[256];
    assert_non_null(mkdtemp(dir));
    snprintf(a, sizeof a, "%s/a.tab", dir);
    snprintf(b, sizeof b, "%s/b.tab", dir);
    mallopt(M_PERTURB, 0x11);
    assert_true(hyph_pack(MEISTRING_HYPH_DIR "/hyph_nb_NO.dic", a, err, sizeof err));
    mallopt(M_PERTURB, 0x63);
    assert_true(hyph_pack(MEISTRING_HYPH_DIR "/hyph_nb_NO.dic", b, err, sizeof err));
    mallopt(M_PERTURB, 0);
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    assert_non_null(fa);
    assert_non_null(fb);
    long at = 0;
    int ca, cb;
    do {
        ca = fgetc(fa);
        cb = fgetc(fb);
        if (ca != cb) fprintf(stderr, "the packages differ at byte %ld\n", at);
        assert_int_equal(ca, cb);
        at++;
    } while (ca != EOF);
    fclose(fa);
    fclose(fb);
    remove(a);
    remove(b);
    rmdir(dir);
}

/* kB of this process's memory in /proc/self/status: "VmRSS" now or "VmHWM", its peak. */
static long status_kb(const char *name) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    size_t n = strlen(name);
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, name, n) == 0 && line[n] == ':') v = atol(line + n + 1);
    if (f) fclose(f);
    return v;
}

/* Issue 14: at 400 % the first word too wide for a line loads the patterns, and what that costs at its peak is
 * part of the reader's peak memory. libhyphen's own loader builds a hash table of every pattern prefix beside the
 * tables and frees it at the end (6.3 MB of heap for 2.3 MB of tables); the peak is measured from a reset of
 * VmHWM (clear_refs 5) around the lazy load and the first lookup, in a process that has loaded nothing before. */
static void test_loading_stays_within_its_memory_budget(void **state) {
    (void)state;
    char err[256];
    hyph *h = hyph_open_lazy(MEISTRING_HYPH_DIR "/hyph_nn_NO.dic", err, sizeof err);
    assert_non_null(h);
    FILE *f = fopen("/proc/self/clear_refs", "w");
    assert_non_null(f);
    assert_true(fputs("5", f) >= 0);
    assert_int_equal(fclose(f), 0);
    long before = status_kb("VmRSS"); /* the kernel's counts lag by a few pages: the margin is 800 kB */
    assert_true(before > 0);
    hyph_break br[8];
    assert_true(hyph_breaks(h, "selvmordstanker", strlen("selvmordstanker"), br, 8) > 0);
    long peak = status_kb("VmHWM") - before;
    fprintf(stderr, "hyphenation patterns loaded: peak +%ld kB (budget %d kB)\n", peak, MS_HYPH_MAX_LOAD_KB);
    assert_true(peak <= MS_HYPH_MAX_LOAD_KB);
    hyph_free(h);
}

/* Issue 14: the reader gives the tables back after laying out a page (hyph_release): the memory goes back to the
 * system at once (the image is mapped on its own: a freed malloc block of 2.3 MB would stay in the heap), and
 * the next word that needs them reads them again and breaks as before. */
static void test_release_gives_the_memory_back(void **state) {
    (void)state;
    char err[256];
    hyph *h = hyph_open_lazy(MEISTRING_HYPH_DIR "/hyph_nb_NO.dic", err, sizeof err);
    assert_non_null(h);
    const char *w = "eksponeringsøvelse";
    hyph_break first[16], again[16];
    int n = hyph_breaks(h, w, strlen(w), first, 16);
    assert_true(n > 0);
    long loaded = status_kb("VmRSS");
    hyph_release(h);
    long released = status_kb("VmRSS");
    fprintf(stderr, "hyphenation tables released: %ld -> %ld kB resident\n", loaded, released);
    assert_true(loaded - released >= 1500); /* the packed image is 2.3 MB */
    assert_int_equal(hyph_breaks(h, w, strlen(w), again, 16), n);
    assert_memory_equal(first, again, (size_t)n * sizeof *first);
    hyph_release(h);
    hyph_release(h); /* twice, or before any load: nothing */
    hyph_free(h);
    hyph_release(NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compounds),
        cmocka_unit_test(test_minimums_in_letters_not_bytes),
        cmocka_unit_test(test_case_and_punctuation),
        cmocka_unit_test(test_soft_hyphens_win),
        cmocka_unit_test(test_bad_file),
        cmocka_unit_test(test_packed_tables_break_as_libhyphen),
        cmocka_unit_test(test_packing_is_reproducible),
        cmocka_unit_test(test_layout_hyphenates_only_overflowing_words),
    };
    /* first, in a process that has loaded no patterns yet: freed heap of an earlier load would hide the cost */
    const struct CMUnitTest memory[] = {cmocka_unit_test(test_loading_stays_within_its_memory_budget),
                                        cmocka_unit_test(test_release_gives_the_memory_back)};
    int failed = cmocka_run_group_tests_name("hyphen memory", memory, NULL, NULL);
    return failed + cmocka_run_group_tests_name("hyphen", tests, setup, teardown);
}
