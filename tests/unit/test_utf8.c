/* test_utf8.c — strict validation, stepping and encoding of UTF-8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "meistring/utf8.h"

static void test_valid(void **state) {
    (void)state;
    assert_true(utf8_valid("", 0));
    assert_true(utf8_valid("æøå ÆØÅ «» – …", strlen("æøå ÆØÅ «» – …")));
    assert_true(utf8_valid("\xF0\x9F\x98\x80", 4));  /* U+1F600 */
    assert_false(utf8_valid("\xC3", 1));             /* truncated */
    assert_false(utf8_valid("\xC0\xAF", 2));         /* overlong '/' */
    assert_false(utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
    assert_false(utf8_valid("\xF4\x90\x80\x80", 4)); /* > U+10FFFF */
    assert_false(utf8_valid("\xE0\x80\x80", 3));     /* overlong */
    assert_false(utf8_valid("a\xFF", 2));
}

static void test_next_prev_count(void **state) {
    (void)state;
    const char *s = "aæ€\xF0\x9F\x98\x80";
    size_t len = strlen(s), i = 0;
    assert_int_equal(utf8_next(s, len, &i), 'a');
    assert_int_equal(utf8_next(s, len, &i), 0xE6);
    assert_int_equal(utf8_next(s, len, &i), 0x20AC);
    assert_int_equal(utf8_next(s, len, &i), 0x1F600);
    assert_int_equal(i, len);
    assert_int_equal(utf8_count(s, len), 4);
    assert_int_equal(utf8_prev(s, len), len - 4);
    assert_int_equal(utf8_prev(s, 3), 1);
    assert_int_equal(utf8_prev(s, 0), 0);
    /* a broken byte decodes as U+FFFD and costs one byte */
    i = 0;
    assert_int_equal(utf8_next("\xFFz", 2, &i), 0xFFFD);
    assert_int_equal(i, 1);
}

/* A copy cut to its buffer is cut between characters (a half «ø» is no UTF-8: a screen reader's D-Bus aborts on it) */
static void test_copy(void **state) {
    (void)state;
    char buf[5];
    assert_int_equal(utf8_copy(buf, sizeof buf, "abcø"), 3); /* «ø» would need bytes 3 and 4: byte 4 is the '\0' */
    assert_string_equal(buf, "abc");
    assert_int_equal(utf8_copy(buf, sizeof buf, "abø"), 4);
    assert_string_equal(buf, "abø");
    assert_int_equal(utf8_copy(buf, sizeof buf, "a\xE2\x80\x93z"), 4); /* «–» (3 bytes) fits whole */
    assert_int_equal(utf8_copy(buf, sizeof buf, "ab\xE2\x80\x93"), 2); /* ... or not at all */
    assert_string_equal(buf, "ab");
    assert_int_equal(utf8_copy(buf, sizeof buf, NULL), 0);
    assert_string_equal(buf, "");
    assert_int_equal(utf8_copy(buf, 0, "x"), 0);
}

static void test_encode_roundtrip(void **state) {
    (void)state;
    uint32_t cps[] = {0x41, 0xE5, 0x7FF, 0x800, 0xFFFD, 0x10000, 0x10FFFF};
    for (size_t k = 0; k < sizeof cps / sizeof cps[0]; k++) {
        char buf[4];
        size_t n = utf8_encode(cps[k], buf);
        assert_true(utf8_valid(buf, n));
        size_t i = 0;
        assert_int_equal(utf8_next(buf, n, &i), cps[k]);
        assert_int_equal(i, n);
    }
    assert_true(utf8_is_break_space(' '));
    assert_false(utf8_is_break_space(0xA0)); /* no-break space must not break */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_copy),
        cmocka_unit_test(test_next_prev_count),
        cmocka_unit_test(test_encode_roundtrip),
    };
    return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
