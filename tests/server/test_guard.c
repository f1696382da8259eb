/* test_guard.c — the failed-enrolment limits (src/server/guard.c) on a clock the test turns: the lockout after
 * SRV_ENROL_ADDR_FAILS failures and its end, the sliding window, concurrent attempts that cannot overshoot, a
 * success that costs nothing, the budget of all addresses and its refill, IPv6 counted per /64. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "../../src/server/guard.h"
#include "meistring/config.h"

static guard_addr v4(const char *ip) {
    struct sockaddr_in sa = {.sin_family = AF_INET};
    inet_pton(AF_INET, ip, &sa.sin_addr);
    guard_addr a;
    guard_addr_from((const struct sockaddr *)&sa, &a);
    return a;
}

static guard_addr v6(const char *ip) {
    struct sockaddr_in6 sa = {.sin6_family = AF_INET6};
    inet_pton(AF_INET6, ip, &sa.sin6_addr);
    guard_addr a;
    guard_addr_from((const struct sockaddr *)&sa, &a);
    return a;
}

/* One whole failed attempt; returns the verdict of its begin. */
static guard_verdict fail_once(guard *g, const guard_addr *a, int64_t now, unsigned *retry) {
    guard_verdict v = guard_enrol_begin(g, a, now, retry);
    if (v == GUARD_OK) guard_enrol_end(g, a, true, now);
    return v;
}

static void test_lockout(void **state) {
    (void)state;
    guard *g = guard_new();
    guard_addr a = v4("203.0.113.5"), b = v4("203.0.113.6");
    unsigned retry;
    int64_t t = 1000;
    for (int i = 0; i < SRV_ENROL_ADDR_FAILS; i++)
        assert_int_equal(fail_once(g, &a, t, &retry), GUARD_OK);
    assert_int_equal(guard_enrol_begin(g, &a, t, &retry), GUARD_ADDR_LOCKED);
    assert_int_equal(retry, SRV_ENROL_ADDR_LOCKOUT_S);
    /* another address is not touched */
    assert_int_equal(guard_enrol_begin(g, &b, t, &retry), GUARD_OK);
    guard_enrol_end(g, &b, false, t);
    /* still locked a second before the end, open after it, with a fresh allowance */
    assert_int_equal(guard_enrol_begin(g, &a, t + SRV_ENROL_ADDR_LOCKOUT_S - 1, &retry), GUARD_ADDR_LOCKED);
    assert_int_equal(retry, 1);
    t += SRV_ENROL_ADDR_LOCKOUT_S;
    for (int i = 0; i < SRV_ENROL_ADDR_FAILS - 1; i++)
        assert_int_equal(fail_once(g, &a, t, &retry), GUARD_OK);
    guard_free(g);
}

static void test_window_slides(void **state) {
    (void)state;
    guard *g = guard_new();
    guard_addr a = v4("198.51.100.1"), b = v4("198.51.100.9");
    unsigned retry;
    /* failures spaced so that ten never fall within one window: never locked (the budget refills faster) */
    int64_t gap = SRV_ENROL_ADDR_WINDOW_S / (SRV_ENROL_ADDR_FAILS - 1) + 1;
    for (int i = 0; i < 3 * SRV_ENROL_ADDR_FAILS; i++)
        assert_int_equal(fail_once(g, &a, 5000 + i * gap, &retry), GUARD_OK);
    /* a second less between them, and the tenth locks the address */
    for (int i = 0; i < SRV_ENROL_ADDR_FAILS; i++)
        assert_int_equal(fail_once(g, &b, 5000 + i * (gap - 1), &retry), GUARD_OK);
    assert_int_equal(guard_enrol_begin(g, &b, 5000 + SRV_ENROL_ADDR_FAILS * (gap - 1), &retry), GUARD_ADDR_LOCKED);
    guard_free(g);
}

static void test_success_is_free(void **state) {
    (void)state;
    guard *g = guard_new();
    guard_addr a = v4("198.51.100.2");
    unsigned retry;
    for (int i = 0; i < 5 * SRV_ENROL_ADDR_FAILS; i++) {
        assert_int_equal(guard_enrol_begin(g, &a, 100, &retry), GUARD_OK);
        guard_enrol_end(g, &a, false, 100);
    }
    guard_free(g);
}

static void test_concurrent_attempts_reserve(void **state) {
    (void)state;
    guard *g = guard_new();
    guard_addr a = v4("198.51.100.3");
    unsigned retry;
    /* ten lookups in flight at once: the eleventh must wait, whatever they turn out to be */
    for (int i = 0; i < SRV_ENROL_ADDR_FAILS; i++)
        assert_int_equal(guard_enrol_begin(g, &a, 100, &retry), GUARD_OK);
    assert_int_equal(guard_enrol_begin(g, &a, 100, &retry), GUARD_ADDR_LOCKED);
    assert_int_equal(retry, 1);
    guard_enrol_end(g, &a, false, 100); /* one succeeded: a place is free again */
    assert_int_equal(guard_enrol_begin(g, &a, 100, &retry), GUARD_OK);
    for (int i = 0; i < SRV_ENROL_ADDR_FAILS; i++)
        guard_enrol_end(g, &a, true, 100);
    assert_int_equal(guard_enrol_begin(g, &a, 100, &retry), GUARD_ADDR_LOCKED);
    assert_int_equal(retry, SRV_ENROL_ADDR_LOCKOUT_S);
    guard_free(g);
}

static void test_global_budget(void **state) {
    (void)state;
    guard *g = guard_new();
    unsigned retry;
    char ip[32];
    int ok = 0;
    /* a guess spread thin: a few failures from each of many addresses, none of them locked out */
    for (int n = 0; n < 40; n++) {
        snprintf(ip, sizeof ip, "192.0.2.%d", n + 1);
        guard_addr a = v4(ip);
        for (int i = 0; i < SRV_ENROL_ADDR_FAILS / 2; i++)
            if (fail_once(g, &a, 10, &retry) == GUARD_OK) ok++;
    }
    assert_int_equal(ok, SRV_ENROL_GLOBAL_FAILS);
    guard_addr fresh = v4("192.0.2.200");
    assert_int_equal(guard_enrol_begin(g, &fresh, 10, &retry), GUARD_BUSY);
    int per_token = SRV_ENROL_GLOBAL_WINDOW_S / SRV_ENROL_GLOBAL_FAILS;
    assert_in_range(retry, 1, per_token + 1);
    /* one token back after its share of the window, one failure allowed, then empty again */
    assert_int_equal(fail_once(g, &fresh, 10 + per_token, &retry), GUARD_OK);
    assert_int_equal(guard_enrol_begin(g, &fresh, 10 + per_token, &retry), GUARD_BUSY);
    /* a whole window later the budget is full again, and no fuller */
    ok = 0;
    for (int i = 0; i < 2 * SRV_ENROL_GLOBAL_FAILS; i++) {
        snprintf(ip, sizeof ip, "10.0.%d.%d", i / 200, i % 200 + 1);
        guard_addr a = v4(ip);
        if (fail_once(g, &a, 10 + per_token + SRV_ENROL_GLOBAL_WINDOW_S, &retry) == GUARD_OK) ok++;
    }
    assert_int_equal(ok, SRV_ENROL_GLOBAL_FAILS);
    guard_free(g);
}

static void test_ipv6_per_64(void **state) {
    (void)state;
    guard *g = guard_new();
    unsigned retry;
    char ip[64];
    /* every failure from another address of one /64: one host, one allowance */
    for (int i = 0; i < SRV_ENROL_ADDR_FAILS; i++) {
        snprintf(ip, sizeof ip, "2001:db8:1:2::%x", i + 1);
        guard_addr a = v6(ip);
        assert_int_equal(fail_once(g, &a, 50, &retry), GUARD_OK);
    }
    guard_addr same64 = v6("2001:db8:1:2:ffff::1"), other64 = v6("2001:db8:1:3::1");
    assert_int_equal(guard_enrol_begin(g, &same64, 50, &retry), GUARD_ADDR_LOCKED);
    assert_int_equal(guard_enrol_begin(g, &other64, 50, &retry), GUARD_OK);
    guard_enrol_end(g, &other64, false, 50);
    /* an IPv4-mapped address is the IPv4 address, whole */
    guard_addr m1 = v6("::ffff:192.0.2.1"), m2 = v6("::ffff:192.0.2.2");
    assert_memory_not_equal(m1.b, m2.b, sizeof m1.b);
    guard_addr plain = v4("192.0.2.1");
    assert_memory_equal(m1.b, plain.b, sizeof m1.b);
    guard_free(g);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lockout),         cmocka_unit_test(test_window_slides),
        cmocka_unit_test(test_success_is_free), cmocka_unit_test(test_concurrent_attempts_reserve),
        cmocka_unit_test(test_global_budget),   cmocka_unit_test(test_ipv6_per_64),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
