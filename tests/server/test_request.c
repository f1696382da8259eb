/* test_request.c — the server's readers of untrusted input (src/server/request.c), called directly as a fuzzer
 * would: routing, the `since` cursor, %00 in URLs, enrolment bodies and their wipe receipts, recovery and PUT
 * bodies (NUL, nesting, types), versions.
 * Each case here is one a hostile or broken client can send; the server must refuse it, never guess. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
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
    assert_int_equal(req_route_of("PUT", "/v1/recovery", &arg), REQ_RECOVERY);
    assert_null(arg);
    assert_int_equal(req_route_of("GET", "/v1/recovery", &arg), REQ_NOT_FOUND);
    assert_int_equal(req_route_of("POST", "/v1/recover", &arg), REQ_RECOVER);
    assert_null(arg);
    assert_int_equal(req_route_of("POST", "/v1/recovery", &arg), REQ_NOT_FOUND);
    assert_int_equal(req_route_of("GET", "/v1/recover", &arg), REQ_NOT_FOUND);
    assert_int_equal(req_route_of("DELETE", "/v1/device", &arg), REQ_DEVICE_DEL);
    assert_null(arg);
    assert_int_equal(req_route_of("GET", "/v1/device", &arg), REQ_NOT_FOUND);
    assert_int_equal(req_route_of("DELETE", "/v1/device/", &arg), REQ_NOT_FOUND);
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
    req_enrol e;
    const char *why = NULL;
#define ENROL(lit) req_enrol_parse(&e, lit, sizeof lit - 1, &why)
    assert_true(ENROL("{\"code\": \"12345678\"}"));
    assert_string_equal(e.code, "12345678");
    assert_null(e.receipt);
    assert_null(e.receipt_why);
    assert_true(ENROL("{\"code\": \"1234 5678\"}"));
    assert_string_equal(e.code, "12345678");
    assert_true(ENROL("{\"code\": \"1234-5678\"}"));
    assert_false(ENROL("{\"code\": \"1234567\"}"));
    assert_non_null(why);
    assert_string_equal(e.code, "");
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
    assert_false(req_enrol_parse(&e, NULL, 0, &why));
    req_enrol_deinit(&e); /* allowed after a refusal */
#undef ENROL
}

/* A receipt is checked for its shape; a wrong one is dropped (with why) and the enrolment still parses. */
#define RECEIPT_OK                                                                                                     \
    "{\"format\": 1, \"wiped_at\": \"2025-03-01T10:00:00+01:00\", \"reason\": \"staff\", \"destroyed\": ["             \
    "{\"what\": \"store\", \"bytes\": 40960, \"how\": \"key destroyed\"}, {\"what\": \"content\", \"bytes\": 0, "      \
    "\"how\": \"unlinked\"}], \"unsent\": 2, \"patient\": 7}"

static void receipt_case(const char *receipt, bool good, int64_t patient) {
    char body[16384];
    snprintf(body, sizeof body, "{\"code\": \"1234 5678\", \"wipe_receipt\": %s}", receipt);
    req_enrol e;
    const char *why = NULL;
    if (!req_enrol_parse(&e, body, strlen(body), &why)) fail_msg("the enrolment was refused (%s): %s", why, receipt);
    assert_string_equal(e.code, "12345678");
    if (good) {
        if (!e.receipt) fail_msg("dropped (%s): %s", e.receipt_why, receipt);
        assert_null(e.receipt_why);
        assert_int_equal(e.receipt_patient, patient);
    } else {
        if (e.receipt) fail_msg("kept: %s", receipt);
        assert_non_null(e.receipt_why);
    }
    req_enrol_deinit(&e);
}

static void test_receipt(void **state) {
    (void)state;
    receipt_case(RECEIPT_OK, true, 7);
    /* what is stored is the receipt printed compactly */
    req_enrol e;
    const char *why = NULL;
    const char *body = "{\"code\":\"12345678\",\"wipe_receipt\":{\"format\":1,\"wiped_at\":\"x\",\"reason\":\"remote\","
                       "\"destroyed\":[]}}";
    assert_true(req_enrol_parse(&e, body, strlen(body), &why));
    assert_string_equal(e.receipt, "{\"format\":1,\"wiped_at\":\"x\",\"reason\":\"remote\",\"destroyed\":[]}");
    assert_int_equal(e.receipt_patient, 0); /* "patient" is optional */
    req_enrol_deinit(&e);
    assert_null(e.receipt);
    /* loose: a member we do not know is kept, if it is printable and shallow enough */
    receipt_case("{\"format\": 1, \"wiped_at\": \"\", \"reason\": \"staff\", \"destroyed\": [], \"app\": {\"v\": [1]}}",
                 true, 0);
    /* null is as if absent: no receipt, nothing dropped */
    body = "{\"code\":\"12345678\",\"wipe_receipt\":null}";
    assert_true(req_enrol_parse(&e, body, strlen(body), &why));
    assert_null(e.receipt_why);
    req_enrol_deinit(&e);

    const char *bad[] = {
        "[]",
        "\"wiped\"",
        "{}",
        /* format */
        "{\"format\": 2, \"wiped_at\": \"x\", \"reason\": \"staff\", \"destroyed\": []}",
        "{\"format\": \"1\", \"wiped_at\": \"x\", \"reason\": \"staff\", \"destroyed\": []}",
        "{\"format\": 1.5, \"wiped_at\": \"x\", \"reason\": \"staff\", \"destroyed\": []}",
        "{\"wiped_at\": \"x\", \"reason\": \"staff\", \"destroyed\": []}",
        /* wiped_at: a string of at most 40 bytes */
        "{\"format\": 1, \"wiped_at\": 5, \"reason\": \"staff\", \"destroyed\": []}",
        "{\"format\": 1, \"wiped_at\": \"12345678901234567890123456789012345678901\", \"reason\": \"staff\", "
        "\"destroyed\": []}",
        /* reason */
        "{\"format\": 1, \"wiped_at\": \"x\", \"reason\": \"lost\", \"destroyed\": []}",
        "{\"format\": 1, \"wiped_at\": \"x\", \"reason\": \"Staff\", \"destroyed\": []}",
        "{\"format\": 1, \"wiped_at\": \"x\", \"destroyed\": []}",
        /* destroyed and its entries */
        "{\"format\": 1, \"wiped_at\": \"x\", \"reason\": \"staff\"}",
        "{\"format\": 1, \"wiped_at\": \"x\", \"reason\": \"staff\", \"destroyed\": {}}",
        "{\"format\": 1, \"wiped_at\": \"x\", \"reason\": \"staff\", \"destroyed\": [\"store\"]}",
        "{\"format\": 1, \"wiped_at\": \"x\", \"reason\": \"staff\", \"destroyed\": [{\"what\": \"s\", \"bytes\": -1, "
        "\"how\": \"h\"}]}",
        "{\"format\": 1, \"wiped_at\": \"x\", \"reason\": \"staff\", \"destroyed\": [{\"what\": \"s\", \"bytes\": 1.5, "
        "\"how\": \"h\"}]}",
        "{\"format\": 1, \"wiped_at\": \"x\", \"reason\": \"staff\", \"destroyed\": [{\"what\": \"s\", \"bytes\": "
        "18014398509481984, \"how\": \"h\"}]}",
        "{\"format\": 1, \"wiped_at\": \"x\", \"reason\": \"staff\", \"destroyed\": [{\"what\": \"s\", \"bytes\": "
        "\"1\", "
        "\"how\": \"h\"}]}",
        "{\"format\": 1, \"wiped_at\": \"x\", \"reason\": \"staff\", \"destroyed\": [{\"what\": \"s\", \"bytes\": 1}]}",
        "{\"format\": 1, \"wiped_at\": \"x\", \"reason\": \"staff\", \"destroyed\": [{\"what\": "
        "\"12345678901234567890123456789012345678901234567890123456789012345\", \"bytes\": 1, \"how\": \"h\"}]}",
        /* unsent, patient */
        "{\"format\": 1, \"wiped_at\": \"x\", \"reason\": \"staff\", \"destroyed\": [], \"unsent\": -1}",
        "{\"format\": 1, \"wiped_at\": \"x\", \"reason\": \"staff\", \"destroyed\": [], \"unsent\": \"2\"}",
        "{\"format\": 1, \"wiped_at\": \"x\", \"reason\": \"staff\", \"destroyed\": [], \"patient\": 0}",
        "{\"format\": 1, \"wiped_at\": \"x\", \"reason\": \"staff\", \"destroyed\": [], \"patient\": \"7\"}",
        "{\"format\": 1, \"wiped_at\": \"x\", \"reason\": \"staff\", \"destroyed\": [], \"patient\": 7.25}",
        /* text a terminal would act on: ESC, a newline, DEL, C1's CSI, invalid UTF-8; in a name too */
        "{\"format\": 1, \"wiped_at\": \"\\u001b[2J\", \"reason\": \"staff\", \"destroyed\": []}",
        "{\"format\": 1, \"wiped_at\": \"x\", \"reason\": \"staff\", \"destroyed\": [{\"what\": \"a\\nb\", \"bytes\": "
        "1, "
        "\"how\": \"h\"}]}",
        "{\"format\": 1, \"wiped_at\": \"x\\u007f\", \"reason\": \"staff\", \"destroyed\": []}",
        "{\"format\": 1, \"wiped_at\": \"x\\u009b2J\", \"reason\": \"staff\", \"destroyed\": []}",
        "{\"format\": 1, \"wiped_at\": \"\xff\", \"reason\": \"staff\", \"destroyed\": []}",
        "{\"format\": 1, \"wiped_at\": \"x\", \"reason\": \"staff\", \"destroyed\": [], \"\\u001b\": 1}",
        /* nesting over 4, counting the receipt */
        "{\"format\": 1, \"wiped_at\": \"x\", \"reason\": \"staff\", \"destroyed\": [], \"x\": [[[{}]]]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        receipt_case(bad[i], false, 0);
    receipt_case("{\"format\": 1, \"wiped_at\": \"x\", \"reason\": \"staff\", \"destroyed\": [], \"x\": [[{}]]}", true,
                 0);
    receipt_case("{\"format\": 1, \"wiped_at\": \"æøå 🙂\", \"reason\": \"staff\", \"destroyed\": []}", true, 0);

    /* 32 entries are taken, 33 are not; and the printed receipt is at most 8 KiB */
    char big[12000];
    for (int entries = 32; entries <= 33; entries++) {
        int n = snprintf(big, sizeof big, "{\"format\":1,\"wiped_at\":\"x\",\"reason\":\"staff\",\"destroyed\":[");
        for (int k = 0; k < entries; k++)
            n += snprintf(big + n, sizeof big - (size_t)n, "%s{\"what\":\"w%d\",\"bytes\":%d,\"how\":\"h\"}",
                          k ? "," : "", k, k);
        snprintf(big + n, sizeof big - (size_t)n, "]}");
        receipt_case(big, entries <= SRV_RECEIPT_MAX_DESTROYED, 0);
    }
    int n =
        snprintf(big, sizeof big, "{\"format\":1,\"wiped_at\":\"x\",\"reason\":\"staff\",\"destroyed\":[],\"pad\":\"");
    int pad = SRV_RECEIPT_MAX_BYTES - n - 2; /* exactly the cap when printed */
    memset(big + n, 'a', (size_t)pad);
    snprintf(big + n + pad, sizeof big - (size_t)(n + pad), "\"}");
    assert_int_equal(strlen(big), SRV_RECEIPT_MAX_BYTES);
    receipt_case(big, true, 0);
    snprintf(big + n + pad, sizeof big - (size_t)(n + pad), "a\"}");
    receipt_case(big, false, 0);
}

static void test_recover_body(void **state) {
    (void)state;
    char code[SRV_CODE_DIGITS + 1];
    const char *why = NULL;
#define RECOVER(lit) req_recover_parse(lit, sizeof lit - 1, code, &why)
    assert_true(RECOVER("{\"code\": \"8765 4321\"}"));
    assert_string_equal(code, "87654321");
    assert_true(RECOVER("{\"code\": \"8765-4321\"}"));
    assert_false(RECOVER("{\"code\": \"8765432\"}"));
    assert_string_equal(code, "");
    assert_non_null(why);
    assert_false(RECOVER("{\"code\": 87654321}"));
    assert_false(RECOVER("{\"wrap\": \"87654321\"}"));
    assert_false(RECOVER("{\"code\": \"8765\\u00004321\"}"));
    assert_false(RECOVER("[]"));
    assert_false(req_recover_parse(NULL, 0, code, &why));
#undef RECOVER
}

static void test_recovery_body(void **state) {
    (void)state;
    char wrap[SRV_WRAP_MAX_CHARS + 1], body[512];
    const char *why = NULL;
    const char *good[] = {
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",                                     /* 40 */
        "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeA==", /* 76: a sealed key */
        "ab+/cd0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZa=",
    };
    const char *bad[] = {
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",       /* 36: too short */
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",  /* 41: not a multiple of 4 */
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-_",   /* URL-safe alphabet */
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=A",   /* '=' inside */
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA===",   /* three '=' */
        "AAAAAAAAAAAAAAAAAAAA AAAAAAAAAAAAAAAAAAA",   /* a space */
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\\n", /* a newline */
        "",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        snprintf(body, sizeof body, "{\"wrap\": \"%s\"}", good[i]);
        if (!req_recovery_parse(body, strlen(body), wrap, &why)) fail_msg("refused (%s): %s", why, good[i]);
        assert_string_equal(wrap, good[i]);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(body, sizeof body, "{\"wrap\": \"%s\"}", bad[i]);
        if (req_recovery_parse(body, strlen(body), wrap, &why)) fail_msg("accepted: %s", bad[i]);
        assert_string_equal(wrap, "");
        assert_non_null(why);
    }
    /* 200 characters are taken, 204 are not */
    for (int len = SRV_WRAP_MAX_CHARS; len <= SRV_WRAP_MAX_CHARS + 4; len += 4) {
        int n = snprintf(body, sizeof body, "{\"wrap\": \"");
        memset(body + n, 'A', (size_t)len);
        snprintf(body + n + len, sizeof body - (size_t)(n + len), "\"}");
        assert_int_equal(req_recovery_parse(body, strlen(body), wrap, &why), len <= SRV_WRAP_MAX_CHARS);
    }
    assert_false(req_recovery_parse("{\"wrap\": 5}", 11, wrap, &why));
    assert_false(req_recovery_parse("{}", 2, wrap, &why));
    assert_false(req_recovery_parse(NULL, 0, wrap, &why));
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
    /* text that is not UTF-8, in any string or member name: refused (PostgreSQL would refuse it with an error) */
    assert_false(PUT(true, "{\"body\": \"bl\xe5 \xe6re\", \"written_at\": \"x\"}")); /* Latin-1 */
    assert_string_equal(why, "text must be UTF-8");
    assert_null(p.json);
    assert_false(PUT(true, "{\"body\": \"Hei\", \"written_at\": \"2024\xff\"}"));
    assert_false(PUT(true, "{\"body\": \"\xc0\xaf\", \"written_at\": \"x\"}"));     /* overlong '/' */
    assert_false(PUT(true, "{\"body\": \"\xed\xa0\x80\", \"written_at\": \"x\"}")); /* a surrogate */
    assert_false(PUT(true, "{\"body\": \"Hei \xe2\x82\", \"written_at\": \"x\"}")); /* cut short */
    assert_false(PUT(false, "{\"block\": \"b\xfe\", \"fields\": {}}"));
    assert_false(PUT(false, "{\"block\": \"b\", \"fields\": {\"f\": [\"ok\", \"\x80\"]}}"));
    assert_false(PUT(false, "{\"block\": \"b\", \"fields\": {\"\xf8\x88\x80\x80\x80\": 1}}")); /* a name */
    assert_false(PUT(true, "{\"body\": \"Hei\", \"written_at\": \"x\"} \xff"));                /* after the object */
    /* a lone surrogate as an escape is not text either (cJSON refuses it) */
    assert_false(PUT(true, "{\"body\": \"\\ud800\", \"written_at\": \"x\"}"));
    /* UTF-8 of every length, and escapes that decode to it, are text */
    assert_true(PUT(true, "{\"body\": \"bl\xc3\xa5 \xc3\xa6re \xe2\x82\xac \xf0\x9f\x99\x82 \\u00e5 \\ud83d\\ude42\","
                          " \"written_at\": \"x\"}"));
    assert_string_equal(p.body, "bl\xc3\xa5 \xc3\xa6re \xe2\x82\xac \xf0\x9f\x99\x82 \xc3\xa5 \xf0\x9f\x99\x82");
    req_put_deinit(&p);
    assert_true(PUT(false, "{\"block\": \"b\", \"fields\": {\"f\xc3\xb8\": \"\xc3\xa6\"}}"));
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

/* Behind a trusted proxy only the last X-Forwarded-For entry counts: the one the proxy wrote. */
static void test_forwarded_for(void **state) {
    (void)state;
    struct sockaddr_storage a;
    char text[INET6_ADDRSTRLEN];
    assert_true(req_forwarded_for("203.0.113.7", &a));
    assert_int_equal(a.ss_family, AF_INET);
    inet_ntop(AF_INET, &((struct sockaddr_in *)&a)->sin_addr, text, sizeof text);
    assert_string_equal(text, "203.0.113.7");
    /* a client that claims to be someone else is still the address the proxy saw */
    assert_true(req_forwarded_for("10.0.0.1, 1.2.3.4,  198.51.100.9 ", &a));
    inet_ntop(AF_INET, &((struct sockaddr_in *)&a)->sin_addr, text, sizeof text);
    assert_string_equal(text, "198.51.100.9");
    assert_true(req_forwarded_for("2001:db8::1", &a));
    assert_int_equal(a.ss_family, AF_INET6);
    const char *bad[] = {NULL, "", " ", "1.2.3.4,", "1.2.3.4, ", "1.2.3", "1.2.3.4 5.6.7.8", "unknown",
                         "1.2.3.4:80", "[2001:db8::1]", "1.2.3.256", "0x7f.1.1.1",
                         "1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa:bbbb"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(req_forwarded_for(bad[i], &a));
}

/* A Bearer is a token only in the shape enrolment makes: 64 lowercase hex digits, nothing around them. */
static void test_token(void **state) {
    (void)state;
    char t[SRV_TOKEN_HEX + 2];
    memset(t, 'a', SRV_TOKEN_HEX);
    t[SRV_TOKEN_HEX] = '\0';
    assert_true(req_token_ok(t));
    memcpy(t, "0123456789abcdef", 16);
    assert_true(req_token_ok(t));
    t[5] = 'A'; /* upper case: enrolment never makes it */
    assert_false(req_token_ok(t));
    t[5] = '\xff'; /* a byte PostgreSQL would not read as UTF-8 */
    assert_false(req_token_ok(t));
    t[5] = 'g';
    assert_false(req_token_ok(t));
    t[5] = '5';
    t[SRV_TOKEN_HEX] = 'a'; /* one too many */
    t[SRV_TOKEN_HEX + 1] = '\0';
    assert_false(req_token_ok(t));
    t[SRV_TOKEN_HEX - 1] = '\0'; /* one too few */
    assert_false(req_token_ok(t));
    const char *bad[] = {NULL, "", " ", "abc", "deadbeef deadbeef"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(req_token_ok(bad[i]));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_route),         cmocka_unit_test(test_client_id),     cmocka_unit_test(test_since),
        cmocka_unit_test(test_unescape),      cmocka_unit_test(test_enrol_body),    cmocka_unit_test(test_put_body),
        cmocka_unit_test(test_version),       cmocka_unit_test(test_receipt),       cmocka_unit_test(test_recover_body),
        cmocka_unit_test(test_recovery_body), cmocka_unit_test(test_forwarded_for), cmocka_unit_test(test_token),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
