/* test_request.c — the server's readers of untrusted input (src/server/request.c), called directly as a fuzzer
 * would: routing, the `since` cursor, %00 in URLs, enrolment and PUT bodies (NUL, nesting, types), versions.
 * Each case here is one a hostile or broken client can send; the server must refuse it, never guess. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/server/request.h"

static void test_route(void **state) {
    (void)state;
    const char *arg;
    assert_int_equal(req_route_of("POST", "/v1/enrol", &arg), REQ_ENROL);
    assert_null(arg);
    assert_int_equal(req_route_of("GET", "/v1/enrol", &arg), REQ_NOT_FOUND);
    assert_int_equal(req_route_of("GET", "/v1/manifest", &arg), REQ_MANIFEST);
    assert_int_equal(req_route_of("GET", "/v1/manifest/", &arg), REQ_NOT_FOUND);
    assert_int_equal(req_route_of("GET", "/v1/changes", &arg), REQ_CHANGES);
    assert_int_equal(req_route_of("GET", "/v1/blobs/abc", &arg), REQ_BLOB);
    assert_string_equal(arg, "abc");
    assert_int_equal(req_route_of("PUT", "/v1/messages/0123456789abcdef", &arg), REQ_PUT_MESSAGE);
    assert_string_equal(arg, "0123456789abcdef");
    assert_int_equal(req_route_of("PUT", "/v1/answers/x", &arg), REQ_PUT_ANSWER);
    assert_int_equal(req_route_of("POST", "/v1/messages/x", &arg), REQ_NOT_FOUND);
    assert_int_equal(req_route_of("DELETE", "/v1/manifest", &arg), REQ_NOT_FOUND);
    assert_int_equal(req_route_of("get", "/v1/manifest", &arg), REQ_NOT_FOUND);
    assert_int_equal(req_route_of(NULL, "/v1/manifest", &arg), REQ_NOT_FOUND);
    assert_int_equal(req_route_of("GET", "", &arg), REQ_NOT_FOUND);
}

static void test_client_id(void **state) {
    (void)state;
    assert_true(req_client_id_ok("0123456789abcdef0123456789abcdef"));
    assert_true(req_client_id_ok("abcd-EF_"));
    assert_false(req_client_id_ok("abcdefg")); /* 7 */
    assert_false(req_client_id_ok(""));
    assert_false(req_client_id_ok("abcdefgh/../x"));
    assert_false(req_client_id_ok("abcdefgh%00"));
    assert_false(req_client_id_ok("abcdefgh ijk"));
    char id[80];
    memset(id, 'a', 64);
    id[64] = '\0';
    assert_true(req_client_id_ok(id));
    id[64] = 'a';
    id[65] = '\0';
    assert_false(req_client_id_ok(id));
}

static void test_since(void **state) {
    (void)state;
    int64_t v = -1;
    assert_true(req_parse_since(NULL, &v));
    assert_int_equal(v, 0);
    assert_true(req_parse_since("0", &v));
    assert_int_equal(v, 0);
    assert_true(req_parse_since("42", &v));
    assert_int_equal(v, 42);
    assert_true(req_parse_since("007", &v));
    assert_int_equal(v, 7);
    assert_true(req_parse_since("9007199254740992", &v)); /* 2^53: the largest cursor */
    assert_int_equal(v, 9007199254740992LL);
    const char *bad[] = {"",
                         "9007199254740993",
                         "9223372036854775807",
                         "99999999999999999999999999",
                         "-1",
                         "+1",
                         " 1",
                         "1 ",
                         "1e3",
                         "0x10",
                         "1.0",
                         "abc",
                         "１",
                         "%31"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = 5;
        if (req_parse_since(bad[i], &v)) fail_msg("since=\"%s\" was accepted", bad[i]);
    }
}

static void test_unescape(void **state) {
    (void)state;
    char s[64];
    strcpy(s, "/v1/messages/abc%41%62");
    assert_int_equal(req_unescape(s), strlen("/v1/messages/abcAb"));
    assert_string_equal(s, "/v1/messages/abcAb");
    strcpy(s, "abcdefgh%00tail"); /* a NUL would cut the id short: left as it is */
    req_unescape(s);
    assert_string_equal(s, "abcdefgh%00tail");
    strcpy(s, "%zz%4%");
    req_unescape(s);
    assert_string_equal(s, "%zz%4%");
    strcpy(s, "%");
    req_unescape(s);
    assert_string_equal(s, "%");
}

static void test_enrol_body(void **state) {
    (void)state;
    char code[SRV_CODE_DIGITS + 1];
    const char *why = NULL;
#define ENROL(lit) req_enrol_parse(lit, sizeof lit - 1, code, &why)
    assert_true(ENROL("{\"code\": \"12345678\"}"));
    assert_string_equal(code, "12345678");
    assert_true(ENROL("{\"code\": \"1234 5678\"}"));
    assert_string_equal(code, "12345678");
    assert_true(ENROL("{\"code\": \"1234-5678\"}"));
    assert_false(ENROL("{\"code\": \"1234567\"}"));
    assert_non_null(why);
    assert_false(ENROL("{\"code\": \"123456789\"}"));
    assert_false(ENROL("{\"code\": \" 12345678\"}"));
    assert_false(ENROL("{\"code\": \"12345678 \"}"));
    assert_false(ENROL("{\"code\": \"1234567a\"}"));
    assert_false(ENROL("{\"code\": 12345678}"));
    assert_false(ENROL("{\"code\": \"1234\\u00005678\"}"));
    assert_false(ENROL("{\"code\": \"12345678\\u0000\"}"));
    assert_false(ENROL("{\"code\": \"12345678\"\0}"));
    assert_false(ENROL("[\"12345678\"]"));
    assert_false(ENROL(""));
    assert_false(req_enrol_parse(NULL, 0, code, &why));
#undef ENROL
}

static void test_put_body(void **state) {
    (void)state;
    req_put p;
    const char *why = NULL;
#define PUT(msg, lit) req_put_parse(&p, msg, lit, sizeof lit - 1, &why)
    assert_true(PUT(true, "{\"body\": \"Hei\", \"written_at\": \"2024-01-01T10:00:00Z\"}"));
    assert_string_equal(p.body, "Hei");
    assert_string_equal(p.written_at, "2024-01-01T10:00:00Z");
    req_put_deinit(&p);
    /* NUL as an escape, in any case of hex digit, and as a raw byte: refused, never cut short */
    assert_false(PUT(true, "{\"body\": \"Hei\\u0000 skjult\", \"written_at\": \"x\"}"));
    assert_string_equal(why, "text must not contain NUL (\\u0000)");
    assert_null(p.json);
    req_put_deinit(&p); /* allowed after a refusal */
    assert_false(PUT(true, "{\"body\": \"Hei\", \"written_at\": \"x\\u0000\"}"));
    assert_false(PUT(true, "{\"body\": \"Hei\0 skjult\", \"written_at\": \"x\"}"));
    assert_false(PUT(false, "{\"block\": \"b\", \"fields\": {\"f\": \"a\\u0000b\"}}"));
    assert_false(PUT(false, "{\"block\": \"b\\u0000\", \"fields\": {}}"));
    /* an escaped backslash before u0000 is text, not a NUL */
    assert_true(PUT(true, "{\"body\": \"\\\\u0000\", \"written_at\": \"x\"}"));
    assert_string_equal(p.body, "\\u0000");
    req_put_deinit(&p);
    /* types and fields */
    assert_false(PUT(true, "{\"body\": 5, \"written_at\": \"x\"}"));
    assert_false(PUT(true, "{\"body\": \"x\"}"));
    assert_false(PUT(true, "[]"));
    assert_false(PUT(true, "not json"));
    assert_false(PUT(false, "{\"block\": \"b\", \"fields\": []}"));
    assert_true(PUT(false, "{\"block\": \"b\", \"fields\": {\"a\": 1}, \"rev\": 2}"));
    assert_string_equal(p.block, "b");
    assert_string_equal(p.canon, "{\"block\":\"b\",\"fields\":{\"a\":1},\"rev\":2}");
    req_put_deinit(&p);
#undef PUT
    /* nesting past the budget is refused before cJSON recurses */
    char deep[256];
    int n = 0;
    n += snprintf(deep + n, sizeof deep - (size_t)n, "{\"block\":\"b\",\"fields\":");
    for (int i = 0; i < SRV_MAX_JSON_DEPTH + 2; i++)
        deep[n++] = '[';
    deep[n] = '\0';
    assert_false(req_put_parse(&p, false, deep, strlen(deep), &why));
    assert_string_equal(why, "JSON nested too deep");
    /* a message over its cap */
    size_t big = MS_MESSAGE_MAX_BYTES + 64;
    char *m = malloc(big + 64);
    assert_non_null(m);
    n = snprintf(m, 64, "{\"written_at\":\"x\",\"body\":\"");
    memset(m + n, 'a', MS_MESSAGE_MAX_BYTES + 1);
    strcpy(m + n + MS_MESSAGE_MAX_BYTES + 1, "\"}");
    assert_false(req_put_parse(&p, true, m, strlen(m), &why));
    assert_string_equal(why, "message too long");
    free(m);
}

static void test_version(void **state) {
    (void)state;
    req_version a, b;
    assert_true(req_version_parse("1.10.0", &a));
    assert_true(req_version_parse("1.9.9", &b));
    assert_true(req_version_cmp(&a, &b) > 0); /* numerically, not as text */
    assert_true(req_version_cmp(&b, &a) < 0);
    assert_true(req_version_parse("0.1.0", &b));
    assert_true(req_version_cmp(&a, &b) > 0);
    assert_true(req_version_parse("1.10.0", &b));
    assert_int_equal(req_version_cmp(&a, &b), 0);
    assert_true(req_version_parse("2.0.0", &b));
    assert_true(req_version_cmp(&a, &b) < 0);
    assert_true(req_version_parse("999999.0.1", &b));
    const char *bad[] = {NULL,   "",     "1",     "1.2",    "1.2.3.4",     "1.2.3-rc1", "v1.2.3", "1..3",
                         ".1.2", "1.2.", "1.2.x", " 1.2.3", "1000000.0.0", "-1.0.0",    "1.+2.3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (req_version_parse(bad[i], &b)) fail_msg("version \"%s\" was accepted", bad[i] ? bad[i] : "(null)");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_route),    cmocka_unit_test(test_client_id),  cmocka_unit_test(test_since),
        cmocka_unit_test(test_unescape), cmocka_unit_test(test_enrol_body), cmocka_unit_test(test_put_body),
        cmocka_unit_test(test_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
