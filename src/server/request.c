/* request.c — strict readers of what a client sends the reference server (request.h). Everything here refuses
 * rather than guesses: a cursor that is not exactly a small integer, a body with a NUL that cJSON would cut
 * short, a field of the wrong type. No libmicrohttpd and no database, so a fuzzer can call each function. */
#include "request.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

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

bool req_enrol_parse(const char *body, size_t len, char code[SRV_CODE_DIGITS + 1], const char **why) {
    code[0] = '\0';
    cJSON *j = parse_body(body, len, why);
    if (!j) return false;
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "code"));
    size_t n = 0;
    bool ok = s != NULL;
    for (; ok && *s; s++) {
        if (*s >= '0' && *s <= '9' && n < SRV_CODE_DIGITS)
            code[n++] = *s;
        else if (!((*s == ' ' || *s == '-') && n > 0 && n < SRV_CODE_DIGITS))
            ok = false; /* a separator only between digits */
    }
    cJSON_Delete(j);
    if (!ok || n != SRV_CODE_DIGITS) {
        code[0] = '\0';
        *why = "expected {\"code\": \"8 digits\"}";
        return false;
    }
    code[n] = '\0';
    return true;
}

bool req_put_parse(req_put *out, bool message, const char *body, size_t len, const char **why) {
    memset(out, 0, sizeof *out);
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
