/* test_i18n.c — every UI string exists in every language (nb, nn, en), none is empty, placeholders match;
 * and the formatter fills, truncates safely and never splits a UTF-8 character. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "meistring/i18n.h"
#include "meistring/utf8.h"

static const char *const LANGS[] = {"nb", "nn", "en"};

static i18n *load(const char *lang) {
    char path[512], err[512];
    snprintf(path, sizeof path, "%s/assets/i18n/%s.txt", MEISTRING_SOURCE_ROOT, lang);
    i18n *t = i18n_load(path, err, sizeof err);
    if (!t) fail_msg("%s", err);
    return t;
}

static int placeholders(const char *s) {
    int mask = 0;
    for (const char *p = s; *p; p++)
        if (p[0] == '{' && p[1] >= '1' && p[1] <= '9' && p[2] == '}') mask |= 1 << (p[1] - '1');
    return mask;
}

static void test_every_key_in_every_language(void **state) {
    (void)state;
    i18n *t[3];
    for (int i = 0; i < 3; i++)
        t[i] = load(LANGS[i]);
    assert_true(i18n_count(t[0]) >= 30);
    for (int a = 0; a < 3; a++) {
        for (size_t k = 0; k < i18n_count(t[a]); k++) {
            const char *key = i18n_key_at(t[a], k);
            for (int b = 0; b < 3; b++) {
                if (!i18n_has(t[b], key))
                    fail_msg("key `%s` is in %s.txt but missing in %s.txt", key, LANGS[a], LANGS[b]);
                const char *v = i18n_get(t[b], key);
                if (!v[0]) fail_msg("key `%s` is empty in %s.txt", key, LANGS[b]);
                if (placeholders(v) != placeholders(i18n_get(t[a], key)))
                    fail_msg("key `%s` has other placeholders in %s.txt than in %s.txt", key, LANGS[b], LANGS[a]);
            }
        }
    }
    /* the words that matter most are right in each language */
    assert_string_equal(i18n_get(t[0], "help.button"), "Hjelp nå");
    assert_string_equal(i18n_get(t[1], "help.button"), "Hjelp no");
    assert_string_equal(i18n_get(t[2], "help.button"), "Help now");
    for (int i = 0; i < 3; i++)
        i18n_free(t[i]);
}

static void test_missing_key_returns_key(void **state) {
    (void)state;
    i18n *t = load("nb");
    assert_string_equal(i18n_get(t, "no.such.key"), "no.such.key");
    i18n_free(t);
}

static void test_format(void **state) {
    (void)state;
    char buf[64];
    const char *args[] = {"3", "9"};
    assert_string_equal(i18n_format(buf, sizeof buf, "Side {1} av {2}", 2, args), "Side 3 av 9");
    assert_string_equal(i18n_format(buf, sizeof buf, "{2}/{1}/{3}", 2, args), "9/3/");
    /* truncation keeps whole characters: "æøå" is 6 bytes; a 6-byte buffer holds 5 bytes + NUL */
    char small[6];
    i18n_format(small, sizeof small, "æøå", 0, NULL);
    assert_true(utf8_valid(small, strlen(small)));
    assert_string_equal(small, "æø");
}

/* A kiosk's own words: KEY.kiosk replaces KEY's value, once; keys without a variant keep theirs. */
static void test_prefer(void **state) {
    (void)state;
    char path[] = "/tmp/test_i18n_prefer_XXXXXX", err[256];
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("a = lagret på nettbrettet\na.kiosk = sendes ikke\nb = Hjem\nc.kiosk = alene\n", f);
    fclose(f);
    i18n *t = i18n_load(path, err, sizeof err);
    unlink(path);
    assert_non_null(t);
    assert_string_equal(i18n_get(t, "a"), "lagret på nettbrettet");
    i18n_prefer(t, ".kiosk");
    assert_string_equal(i18n_get(t, "a"), "sendes ikke");
    assert_string_equal(i18n_get(t, "b"), "Hjem");
    assert_string_equal(i18n_get(t, "c.kiosk"), "alene");
    assert_false(i18n_has(t, "c")); /* a variant without a base adds nothing */
    i18n_free(t);
}

static void test_bad_files(void **state) {
    (void)state;
    char err[256];
    assert_null(i18n_load("/nonexistent/xx.txt", err, sizeof err));
    assert_non_null(strstr(err, "cannot open"));
    const char *path = "/tmp/meistring-i18n-test.txt";
    FILE *f = fopen(path, "w");
    fputs("a = 1\nb = 2\na = 3\n", f);
    fclose(f);
    assert_null(i18n_load(path, err, sizeof err));
    assert_non_null(strstr(err, "defined twice"));
    f = fopen(path, "w");
    fputs("just text\n", f);
    fclose(f);
    assert_null(i18n_load(path, err, sizeof err));
    assert_non_null(strstr(err, ":1:"));
    remove(path);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_key_in_every_language),
        cmocka_unit_test(test_missing_key_returns_key),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_prefer),
    };
    return cmocka_run_group_tests_name("i18n", tests, NULL, NULL);
}
