/* fuzz_request.c — libFuzzer target for what the reference server reads from a client before anything else
 * (src/server/request.c: route and %-unescaping, the changes cursor, enrolment and PUT bodies, the version
 * header, the recovery bodies) and for its enrolment limits (src/server/guard.c), both compiled into this target
 * directly. The first byte picks what the rest is: 0 "METHOD URL", 1 a since argument, 2 an enrolment body (with
 * or without a wipe receipt), 3 a message PUT body, 4 an answer PUT body, 5 two versions on two lines, 6 a sequence
 * of enrolment attempts from up to 8 addresses, 7 a recover body (a reset code), 8 a recovery wrap PUT body, 9 an
 * X-Forwarded-For value, 10 a Bearer token.
 * Besides the sanitizers, each function's contract (request.h, guard.h, config.h) is checked on its result. */
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cjson/cJSON.h>

#include "meistring/utf8.h"

#include "guard.h"
#include "request.h"

#define CHECK(cond)                                                                                                    \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            fprintf(stderr, "fuzz_request: %s:%d: %s does not hold\n", __FILE__, __LINE__, #cond);                     \
            __builtin_trap();                                                                                          \
        }                                                                                                              \
    } while (0)

static bool id_char(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
}

/* A NUL-terminated copy of data[0..n), as the server holds a body (rq->body[rq->len] = '\0'). */
static char *cstr(const uint8_t *data, size_t n) {
    char *s = malloc(n + 1);
    if (!s) abort();
    memcpy(s, data, n);
    s[n] = '\0';
    return s;
}

static void fuzz_route(const uint8_t *data, size_t size) {
    char *line = cstr(data, size);
    char *sp = memchr(line, ' ', size);
    const char *method = "GET";
    char *url = line;
    if (sp) {
        *sp = '\0';
        method = line;
        url = sp + 1;
    }
    size_t before = strlen(url);
    size_t n = req_unescape(url);
    CHECK(n <= before);
    CHECK(strlen(url) == n); /* no NUL decoded into the middle: %00 stays as it is */
    const char *arg = (const char *)1;
    req_route r = req_route_of(method, url, &arg);
    switch (r) {
    case REQ_NOT_FOUND:
    case REQ_ENROL:
    case REQ_MANIFEST:
    case REQ_CHANGES:
    case REQ_RECOVERY:
    case REQ_RECOVER:
    case REQ_DEVICE_DEL: CHECK(arg == NULL); break;
    case REQ_BLOB: CHECK(arg == url + 10); break;
    case REQ_PUT_MESSAGE: CHECK(arg == url + 13); break;
    case REQ_PUT_ANSWER: CHECK(arg == url + 12); break;
    default: CHECK(!"an unknown route");
    }
    if (r == REQ_PUT_MESSAGE || r == REQ_PUT_ANSWER) {
        if (req_client_id_ok(arg)) {
            size_t k = strlen(arg);
            CHECK(k >= MS_CLIENT_ID_MIN && k <= MS_CLIENT_ID_MAX);
            for (size_t i = 0; i < k; i++)
                CHECK(id_char(arg[i]));
        }
    }
    free(line);
}

static void fuzz_since(const uint8_t *data, size_t size) {
    char *s = cstr(data, size);
    int64_t since = -1;
    bool ok = req_parse_since(s, &since);
    size_t n = strlen(s);
    bool digits = n > 0 && strspn(s, "0123456789") == n;
    if (ok) {
        CHECK(digits);
        CHECK(since >= 0 && since <= MS_JSON_MAX_ID);
        CHECK((unsigned long long)since == strtoull(s, NULL, 10));
    } else if (digits) {
        /* refused digits must be over 2^53 */
        const char *p = s + strspn(s, "0");
        CHECK(strlen(p) > 16 || strtoull(p, NULL, 10) > (unsigned long long)MS_JSON_MAX_ID);
    }
    CHECK(req_parse_since(NULL, &since) && since == 0);
    free(s);
}

/* No control character in any string or member name of j: a stored receipt is printed on a terminal. */
static bool texts_printable(const cJSON *j) {
    for (const char *t = j->string; t && *t; t++)
        if ((unsigned char)*t < 0x20 || *t == 0x7f) return false;
    for (const char *t = cJSON_IsString(j) ? j->valuestring : NULL; t && *t; t++)
        if ((unsigned char)*t < 0x20 || *t == 0x7f) return false;
    for (const cJSON *c = j->child; c; c = c->next)
        if (!texts_printable(c)) return false;
    return true;
}

static void fuzz_enrol(const uint8_t *data, size_t size) {
    char *body = cstr(data, size);
    req_enrol e;
    memset(&e, 'x', sizeof e);
    const char *why = NULL;
    if (req_enrol_parse(&e, body, size, &why)) {
        CHECK(strlen(e.code) == SRV_CODE_DIGITS && strspn(e.code, "0123456789") == SRV_CODE_DIGITS);
        CHECK(size <= SRV_MAX_BODY);
        CHECK(!(e.receipt && e.receipt_why));
        if (e.receipt) {
            /* what is stored is within its cap, and reads back as a receipt of format 1 */
            CHECK(strlen(e.receipt) <= SRV_RECEIPT_MAX_BYTES);
            cJSON *r = cJSON_Parse(e.receipt);
            CHECK(cJSON_IsObject(r));
            CHECK(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(r, "format")) == 1.0);
            CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r, "destroyed")) <= SRV_RECEIPT_MAX_DESTROYED);
            CHECK(texts_printable(r));
            cJSON_Delete(r);
            CHECK(e.receipt_patient >= 0 && e.receipt_patient <= MS_JSON_MAX_ID);
        } else {
            CHECK(e.receipt_patient == 0);
        }
    } else {
        CHECK(why != NULL && why[0] != '\0');
        CHECK(e.code[0] == '\0' && e.receipt == NULL);
    }
    req_enrol_deinit(&e);
    free(body);
}

static void fuzz_recover(const uint8_t *data, size_t size) {
    char *body = cstr(data, size);
    char code[SRV_CODE_DIGITS + 1];
    memset(code, 'x', sizeof code);
    const char *why = NULL;
    if (req_recover_parse(body, size, code, &why)) {
        CHECK(strlen(code) == SRV_CODE_DIGITS && strspn(code, "0123456789") == SRV_CODE_DIGITS);
        CHECK(size <= SRV_MAX_BODY);
    } else {
        CHECK(why != NULL && why[0] != '\0');
        CHECK(code[0] == '\0');
    }
    free(body);
}

static void fuzz_recovery(const uint8_t *data, size_t size) {
    char *body = cstr(data, size);
    char wrap[SRV_WRAP_MAX_CHARS + 1];
    memset(wrap, 'x', sizeof wrap);
    const char *why = NULL;
    if (req_recovery_parse(body, size, wrap, &why)) {
        size_t n = strlen(wrap),
               digits = strspn(wrap, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
        CHECK(n >= SRV_WRAP_MIN_CHARS && n <= SRV_WRAP_MAX_CHARS && n % 4 == 0);
        CHECK(n - digits <= 2 && strspn(wrap + digits, "=") == n - digits);
    } else {
        CHECK(why != NULL && why[0] != '\0');
        CHECK(wrap[0] == '\0');
    }
    free(body);
}

static void fuzz_put(const uint8_t *data, size_t size, bool message) {
    char *body = cstr(data, size);
    req_put p;
    const char *why = NULL;
    if (req_put_parse(&p, message, body, size, &why)) {
        CHECK(size <= SRV_MAX_BODY);
        CHECK(memchr(body, 0, size) == NULL);
        CHECK(utf8_valid(body, size)); /* every byte of a body that is stored is UTF-8 */
        CHECK(p.json != NULL);
        if (message) {
            CHECK(p.body && p.written_at);
            CHECK(strlen(p.body) <= MS_MESSAGE_MAX_BYTES && strlen(p.written_at) <= MS_WRITTEN_AT_MAX_BYTES);
            /* and so is what cJSON decoded from it, its \u escapes included: what the database is given */
            CHECK(utf8_valid(p.body, strlen(p.body)) && utf8_valid(p.written_at, strlen(p.written_at)));
        } else {
            CHECK(p.block && p.canon);
            CHECK(utf8_valid(p.block, strlen(p.block)) && utf8_valid(p.canon, strlen(p.canon)));
            /* what is stored and compared reads back as the same object */
            cJSON *again = cJSON_Parse(p.canon);
            CHECK(cJSON_IsObject(again));
            char *twice = cJSON_PrintUnformatted(again);
            CHECK(twice && strcmp(twice, p.canon) == 0);
            free(twice);
            cJSON_Delete(again);
        }
    } else {
        CHECK(why != NULL && why[0] != '\0');
        CHECK(p.json == NULL && p.canon == NULL);
    }
    req_put_deinit(&p);
    free(body);
}

static bool version_shape(const char *s) {
    for (int i = 0; i < 3; i++) {
        size_t d = strspn(s, "0123456789");
        if (d < 1 || d > 6) return false;
        s += d;
        if (i < 2 && *s++ != '.') return false;
    }
    return *s == '\0';
}

static void fuzz_version(const uint8_t *data, size_t size) {
    char *s = cstr(data, size);
    char *nl = strchr(s, '\n');
    const char *b = "1.0.0";
    if (nl) {
        *nl = '\0';
        b = nl + 1;
    }
    req_version va, vb;
    bool oka = req_version_parse(s, &va), okb = req_version_parse(b, &vb);
    CHECK(oka == version_shape(s));
    CHECK(okb == version_shape(b));
    if (oka && okb) {
        int ab = req_version_cmp(&va, &vb), ba = req_version_cmp(&vb, &va);
        CHECK((ab < 0 && ba > 0) || (ab > 0 && ba < 0) || (ab == 0 && ba == 0));
        CHECK(req_version_cmp(&va, &va) == 0);
    }
    CHECK(!req_version_parse(NULL, &va));
    free(s);
}

/* Enrolment attempts from up to 8 addresses, at times that only go forward. Up to 8 addresses never fill a set
 * of the table (8 ways), so the limits must hold exactly: no address fails more than SRV_ENROL_ADDR_FAILS times
 * within SRV_ENROL_ADDR_WINDOW_S, and all together never more than the bucket allows. */
#define GUARD_ADDRS 8
#define GUARD_OPS   600

typedef struct {
    int64_t t;
    int addr;
} failure;

static void fuzz_guard(const uint8_t *data, size_t size) {
    guard_addr addr[GUARD_ADDRS];
    size_t at = 0;
    for (int i = 0; i < GUARD_ADDRS; i++) {
        uint8_t raw[17] = {0};
        for (int k = 0; k < 17 && at < size; k++)
            raw[k] = data[at++];
        if (raw[0] & 1) {
            struct sockaddr_in6 a6;
            memset(&a6, 0, sizeof a6);
            a6.sin6_family = AF_INET6;
            memcpy(&a6.sin6_addr, raw + 1, 16);
            guard_addr_from((const struct sockaddr *)&a6, &addr[i]);
        } else {
            struct sockaddr_in a4;
            memset(&a4, 0, sizeof a4);
            a4.sin_family = AF_INET;
            memcpy(&a4.sin_addr, raw + 1, 4);
            guard_addr_from((const struct sockaddr *)&a4, &addr[i]);
        }
    }
    /* addresses that the guard sees as one (an IPv6 /64, a mapped IPv4) are one for the checks too */
    int same[GUARD_ADDRS];
    for (int i = 0; i < GUARD_ADDRS; i++) {
        same[i] = i;
        for (int k = 0; k < i; k++)
            if (memcmp(addr[i].b, addr[k].b, sizeof addr[i].b) == 0) {
                same[i] = same[k];
                break;
            }
    }
    guard *g = guard_new();
    if (!g) abort();
    static failure fails[GUARD_OPS];
    int n_fails = 0, pending[GUARD_ADDRS] = {0};
    int64_t now = 1000000;
    for (int op = 0; op < GUARD_OPS && at + 2 <= size; op++) {
        uint8_t a = data[at++], b = data[at++];
        int who = a & 7;
        /* time: mostly small steps, sometimes minutes, sometimes past every window */
        int step = b & 63;
        now += (b & 0xC0) == 0xC0 ? step * 60 : (b & 0xC0) == 0x80 ? step * 10 : step;
        if ((a & 0x18) == 0 || pending[who] == 0) {
            unsigned retry = 0;
            guard_verdict v = guard_enrol_begin(g, &addr[who], now, &retry);
            CHECK(v == GUARD_OK || v == GUARD_ADDR_LOCKED || v == GUARD_BUSY);
            if (v == GUARD_OK) {
                pending[who]++;
            } else {
                CHECK(retry >= 1 && retry <= SRV_ENROL_ADDR_LOCKOUT_S + SRV_ENROL_GLOBAL_WINDOW_S);
            }
        } else {
            bool failed = (a & 0x20) == 0 || (a & 0x40);
            pending[who]--;
            guard_enrol_end(g, &addr[who], failed, now);
            if (!failed) continue;
            fails[n_fails++] = (failure){now, same[who]};
            /* per address: failures within the window ending now */
            int mine = 0;
            for (int i = 0; i < n_fails; i++)
                if (fails[i].addr == same[who] && now - fails[i].t < SRV_ENROL_ADDR_WINDOW_S) mine++;
            CHECK(mine <= SRV_ENROL_ADDR_FAILS);
            /* all together: from any earlier failure to now, the burst plus what refilled since, and one of slack */
            for (int i = 0; i < n_fails; i++) {
                int64_t span = now - fails[i].t;
                CHECK(n_fails - i <=
                      SRV_ENROL_GLOBAL_FAILS + span * SRV_ENROL_GLOBAL_FAILS / SRV_ENROL_GLOBAL_WINDOW_S + 1);
            }
        }
    }
    guard_free(g);
}

/* X-Forwarded-For: whatever it reads is one address of the family it names, and the same text again reads the
 * same address (no state); a value with a comma reads as its last entry alone. */
static void fuzz_forwarded(const uint8_t *data, size_t size) {
    char *s = cstr(data, size);
    struct sockaddr_storage a, b;
    if (req_forwarded_for(s, &a)) {
        CHECK(a.ss_family == AF_INET || a.ss_family == AF_INET6);
        CHECK(req_forwarded_for(s, &b) && memcmp(&a, &b, sizeof a) == 0);
        const char *comma = strrchr(s, ',');
        if (comma) CHECK(req_forwarded_for(comma + 1, &b) && memcmp(&a, &b, sizeof a) == 0);
    }
    free(s);
}

/* A Bearer: a token is exactly SRV_TOKEN_HEX lowercase hex digits, and nothing else is one. */
static void fuzz_token(const uint8_t *data, size_t size) {
    char *s = cstr(data, size);
    size_t n = strlen(s);
    CHECK(req_token_ok(s) == (n == SRV_TOKEN_HEX && strspn(s, "0123456789abcdef") == n));
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    const uint8_t *p = data + 1;
    size_t n = size - 1;
    switch (data[0] % 11) {
    case 0: fuzz_route(p, n); break;
    case 1: fuzz_since(p, n); break;
    case 2: fuzz_enrol(p, n); break;
    case 3: fuzz_put(p, n, true); break;
    case 4: fuzz_put(p, n, false); break;
    case 5: fuzz_version(p, n); break;
    case 6: fuzz_guard(p, n); break;
    case 7: fuzz_recover(p, n); break;
    case 8: fuzz_recovery(p, n); break;
    case 9: fuzz_forwarded(p, n); break;
    default: fuzz_token(p, n); break;
    }
    return 0;
}
