/* request.c — strict readers of what a client sends the reference server (request.h). Everything here refuses
 * rather than guesses: a cursor that is not exactly a small integer, a body with a NUL that cJSON would cut
 * short, a field of the wrong type, a wipe receipt that is not exactly the shape of one. No libmicrohttpd and no
 * database, so a fuzzer can call each function. */
#define _POSIX_C_SOURCE 200809L /* inet_pton, for req_forwarded_for, whoever compiles this file */
#include "request.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>

#include "meistring/utf8.h"

#include "../core/jsondepth.h"

req_route req_route_of(const char *method, const char *url, const char **arg) {
    *arg = NULL;
    if (!method || !url) return REQ_NOT_FOUND;
    bool get = strcmp(method, "GET") == 0, put = strcmp(method, "PUT") == 0, post = strcmp(method, "POST") == 0;
    if (post && strcmp(url, "/v1/enrol") == 0) return REQ_ENROL;
    if (get && strcmp(url, "/v1/manifest") == 0) return REQ_MANIFEST;
    if (get && strcmp(url, "/v1/changes") == 0) return REQ_CHANGES;
    if (get && strncmp(url, "/v1/blobs/", 10) == 0) {
        *arg = url + 10;
        return REQ_BLOB;
    }
    if (put && strncmp(url, "/v1/messages/", 13) == 0) {
        *arg = url + 13;
        return REQ_PUT_MESSAGE;
    }
    if (put && strncmp(url, "/v1/answers/", 12) == 0) {
        *arg = url + 12;
        return REQ_PUT_ANSWER;
    }
    if (put && strcmp(url, "/v1/recovery") == 0) return REQ_RECOVERY;
    if (post && strcmp(url, "/v1/recover") == 0) return REQ_RECOVER;
    if (strcmp(method, "DELETE") == 0 && strcmp(url, "/v1/device") == 0) return REQ_DEVICE_DEL;
    return REQ_NOT_FOUND;
}

bool req_client_id_ok(const char *id) {
    size_t n = 0;
    for (; id[n]; n++) {
        char ch = id[n];
        bool ok =
            (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '-' || ch == '_';
        if (!ok || n >= MS_CLIENT_ID_MAX) return false;
    }
    return n >= MS_CLIENT_ID_MIN;
}

bool req_parse_since(const char *s, int64_t *since) {
    *since = 0;
    if (!s) return true; /* absent: from the beginning */
    if (!*s) return false;
    int64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9') return false;
        v = v * 10 + (*p - '0');
        if (v > MS_JSON_MAX_ID) return false; /* checked every digit, so v never overflows */
    }
    *since = v;
    return true;
}

static int hexval(char ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

size_t req_unescape(char *s) {
    char *w = s;
    for (const char *r = s; *r;) {
        int hi = r[0] == '%' ? hexval(r[1]) : -1, lo = hi >= 0 ? hexval(r[2]) : -1;
        if (lo >= 0 && (hi | lo) != 0) {
            *w++ = (char)(hi * 16 + lo);
            r += 3;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    return (size_t)(w - s);
}

/* The checks every JSON body gets before cJSON sees it. */
static cJSON *parse_body(const char *body, size_t len, const char **why) {
    if (len > SRV_MAX_BODY) {
        *why = "body too large";
        return NULL;
    }
    if (!body || len == 0) {
        *why = "expected a JSON object";
        return NULL;
    }
    if (json_has_nul(body, len)) {
        *why = "text must not contain NUL (\\u0000)";
        return NULL;
    }
    if (json_nests_deeper_than(body, len, SRV_MAX_JSON_DEPTH)) {
        *why = "JSON nested too deep";
        return NULL;
    }
    cJSON *j = cJSON_ParseWithLength(body, len);
    if (!cJSON_IsObject(j)) {
        cJSON_Delete(j);
        *why = "expected a JSON object";
        return NULL;
    }
    return j;
}

/* The 8 digits of j's "code" into code; a space or hyphen only between digits. */
static bool code_of(const cJSON *j, char code[SRV_CODE_DIGITS + 1]) {
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "code"));
    size_t n = 0;
    bool ok = s != NULL;
    for (; ok && *s; s++) {
        if (*s >= '0' && *s <= '9' && n < SRV_CODE_DIGITS)
            code[n++] = *s;
        else if (!((*s == ' ' || *s == '-') && n > 0 && n < SRV_CODE_DIGITS))
            ok = false; /* a separator only between digits */
    }
    code[ok && n == SRV_CODE_DIGITS ? n : 0] = '\0';
    return ok && n == SRV_CODE_DIGITS;
}

/* UTF-8 with no control character, C1 included: admin receipts prints a receipt's words on a clinician's
 * terminal, where ESC or CSI (U+009B) could rewrite the screen. */
static bool printable(const char *s) {
    size_t n = strlen(s);
    if (!utf8_valid(s, n)) return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch == 0x7f) return false;
        if (ch == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 && (unsigned char)s[i + 1] <= 0x9f) return false;
    }
    return true;
}

/* Nesting (the receipt itself is 1) and every member name and string printable, members we do not know too. */
static bool receipt_tree_ok(const cJSON *j, int depth) {
    if (j->string && !printable(j->string)) return false;
    if (cJSON_IsString(j)) return printable(j->valuestring);
    if (!cJSON_IsArray(j) && !cJSON_IsObject(j)) return true;
    if (depth > SRV_RECEIPT_MAX_DEPTH) return false;
    for (const cJSON *c = j->child; c; c = c->next)
        if (!receipt_tree_ok(c, depth + 1)) return false;
    return true;
}

/* A JSON integer min..2^53: a number with no fraction (cJSON reads every number as a double). */
static bool whole(const cJSON *n, int64_t min, int64_t *out) {
    if (!cJSON_IsNumber(n)) return false;
    double v = n->valuedouble;
    if (!(v >= (double)min && v <= (double)MS_JSON_MAX_ID) || v != (double)(int64_t)v) return false;
    if (out) *out = (int64_t)v;
    return true;
}

static bool text_upto(const cJSON *s, size_t max) { return cJSON_IsString(s) && strlen(s->valuestring) <= max; }

#define MEMBER(o, name) cJSON_GetObjectItemCaseSensitive(o, name)
#define STR(x)          #x
#define XSTR(x)         STR(x) /* a limit's value in a message, from its one definition */
#define WRAP_CHARS      XSTR(SRV_WRAP_MIN_CHARS) " to " XSTR(SRV_WRAP_MAX_CHARS)

/* A wipe receipt's shape: loose (members we do not know are kept), but every member we know has its exact type.
 * NULL when it is fine; else why, for the server's log. */
static const char *receipt_check(const cJSON *r, int64_t *patient) {
    *patient = 0;
    if (!cJSON_IsObject(r)) return "not an object";
    if (!receipt_tree_ok(r, 1)) return "nested too deep, or text that is not printable UTF-8";
    int64_t format = 0;
    if (!whole(MEMBER(r, "format"), 0, &format) || format != 1) return "format is not 1";
    if (!text_upto(MEMBER(r, "wiped_at"), SRV_RECEIPT_WIPED_AT_MAX)) return "wiped_at";
    const char *reason = cJSON_GetStringValue(MEMBER(r, "reason"));
    if (!reason || (strcmp(reason, "staff") != 0 && strcmp(reason, "remote") != 0)) return "reason";
    const cJSON *destroyed = MEMBER(r, "destroyed");
    if (!cJSON_IsArray(destroyed) || cJSON_GetArraySize(destroyed) > SRV_RECEIPT_MAX_DESTROYED) return "destroyed";
    for (const cJSON *d = destroyed->child; d; d = d->next)
        if (!cJSON_IsObject(d) || !text_upto(MEMBER(d, "what"), SRV_RECEIPT_TEXT_MAX) ||
            !whole(MEMBER(d, "bytes"), 0, NULL) || !text_upto(MEMBER(d, "how"), SRV_RECEIPT_TEXT_MAX))
            return "an entry of destroyed";
    const cJSON *unsent = MEMBER(r, "unsent"), *who = MEMBER(r, "patient");
    if (unsent && !whole(unsent, 0, NULL)) return "unsent";
    if (who && !whole(who, 1, patient)) return "patient";
    return NULL;
}

bool req_enrol_parse(req_enrol *out, const char *body, size_t len, const char **why) {
    memset(out, 0, sizeof *out);
    cJSON *j = parse_body(body, len, why);
    if (!j) return false;
    if (!code_of(j, out->code)) {
        cJSON_Delete(j);
        *why = "expected {\"code\": \"8 digits\"}";
        return false;
    }
    /* A receipt tells the clinic what a tablet destroyed; a wrong one must not keep the next patient from
     * enrolling, so it is dropped and the enrolment goes on. */
    const cJSON *r = MEMBER(j, "wipe_receipt");
    if (r && !cJSON_IsNull(r)) {
        int64_t patient = 0;
        const char *bad = receipt_check(r, &patient);
        char *printed = bad ? NULL : cJSON_PrintUnformatted(r);
        if (!bad && !printed) bad = "out of memory";
        if (!bad && strlen(printed) > SRV_RECEIPT_MAX_BYTES)
            bad = "printed larger than " XSTR(SRV_RECEIPT_MAX_BYTES) " bytes";
        if (bad) {
            free(printed);
            out->receipt_why = bad;
        } else {
            out->receipt = printed;
            out->receipt_patient = patient;
        }
    }
    cJSON_Delete(j);
    return true;
}

void req_enrol_deinit(req_enrol *e) {
    free(e->receipt);
    memset(e, 0, sizeof *e);
}

bool req_recover_parse(const char *body, size_t len, char code[SRV_CODE_DIGITS + 1], const char **why) {
    code[0] = '\0';
    cJSON *j = parse_body(body, len, why);
    if (!j) return false;
    bool ok = code_of(j, code);
    cJSON_Delete(j);
    if (!ok) *why = "expected {\"code\": \"8 digits\"}";
    return ok;
}

static bool base64_ok(const char *s, size_t n) {
    if (n % 4 != 0) return false;
    size_t pad = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        bool digit =
            (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '+' || ch == '/';
        if (ch == '=' && i + 2 >= n)
            pad++;
        else if (!digit || pad)
            return false; /* '=' only as the last one or two */
    }
    return true;
}

bool req_recovery_parse(const char *body, size_t len, char wrap[SRV_WRAP_MAX_CHARS + 1], const char **why) {
    wrap[0] = '\0';
    cJSON *j = parse_body(body, len, why);
    if (!j) return false;
    const char *w = cJSON_GetStringValue(MEMBER(j, "wrap"));
    size_t n = w ? strlen(w) : 0;
    bool ok = w && n >= SRV_WRAP_MIN_CHARS && n <= SRV_WRAP_MAX_CHARS && base64_ok(w, n);
    if (ok) memcpy(wrap, w, n + 1);
    cJSON_Delete(j);
    if (!ok) *why = "expected {\"wrap\": \"standard base64, " WRAP_CHARS " characters\"}";
    return ok;
}

bool req_put_parse(req_put *out, bool message, const char *body, size_t len, const char **why) {
    memset(out, 0, sizeof *out);
    /* Every string of what is stored, member names too, must be UTF-8: SQLite would keep other bytes and hand them
     * to the therapist, PostgreSQL refuses them with an error (a 500 on every retry, the bytes in its log). Outside
     * strings valid JSON is ASCII, so the whole body is checked, before cJSON; the \u escapes cJSON decodes are
     * UTF-8 already (it refuses a lone surrogate). */
    if (body && len <= SRV_MAX_BODY && !utf8_valid(body, len)) {
        *why = "text must be UTF-8";
        return false;
    }
    cJSON *j = parse_body(body, len, why);
    if (!j) return false;
    if (message) {
        const char *text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "body"));
        const char *written = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "written_at"));
        if (!text || !written) {
            *why = "expected {\"body\": text, \"written_at\": text}";
            goto fail;
        }
        if (strlen(text) > MS_MESSAGE_MAX_BYTES || strlen(written) > MS_WRITTEN_AT_MAX_BYTES) {
            *why = "message too long";
            goto fail;
        }
        out->body = text;
        out->written_at = written;
    } else {
        const char *block = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "block"));
        if (!block || !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(j, "fields"))) {
            *why = "expected {\"block\": id, \"fields\": {...}}";
            goto fail;
        }
        out->canon = cJSON_PrintUnformatted(j);
        if (!out->canon) {
            *why = "out of memory";
            goto fail;
        }
        out->block = block;
    }
    out->json = j;
    return true;
fail:
    cJSON_Delete(j);
    memset(out, 0, sizeof *out);
    return false;
}

void req_put_deinit(req_put *p) {
    cJSON_Delete(p->json);
    free(p->canon);
    memset(p, 0, sizeof *p);
}

bool req_version_parse(const char *s, req_version *v) {
    memset(v, 0, sizeof *v);
    if (!s) return false;
    for (int i = 0; i < 3; i++) {
        if (*s < '0' || *s > '9') return false;
        unsigned n = 0;
        for (int digits = 0; *s >= '0' && *s <= '9'; s++, digits++) {
            if (digits == 6) return false;
            n = n * 10 + (unsigned)(*s - '0');
        }
        v->part[i] = n;
        if (i < 2 && *s++ != '.') return false;
    }
    return *s == '\0';
}

int req_version_cmp(const req_version *a, const req_version *b) {
    for (int i = 0; i < 3; i++)
        if (a->part[i] != b->part[i]) return a->part[i] < b->part[i] ? -1 : 1;
    return 0;
}

bool req_forwarded_for(const char *xff, struct sockaddr_storage *out) {
    if (!xff) return false;
    const char *last = strrchr(xff, ',');
    last = last ? last + 1 : xff;
    while (*last == ' ' || *last == '\t')
        last++;
    size_t n = strcspn(last, " \t");
    if (n == 0 || n >= INET6_ADDRSTRLEN || last[n + strspn(last + n, " \t")] != '\0') return false;
    char text[INET6_ADDRSTRLEN];
    memcpy(text, last, n);
    text[n] = '\0';
    memset(out, 0, sizeof *out);
    struct sockaddr_in *a4 = (struct sockaddr_in *)out;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)out;
    if (inet_pton(AF_INET, text, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        return true;
    }
    if (inet_pton(AF_INET6, text, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        return true;
    }
    return false;
}

bool req_token_ok(const char *token) {
    size_t n = 0;
    for (; token && token[n]; n++)
        if (n == SRV_TOKEN_HEX || !((token[n] >= '0' && token[n] <= '9') || (token[n] >= 'a' && token[n] <= 'f')))
            return false;
    return n == SRV_TOKEN_HEX;
}
