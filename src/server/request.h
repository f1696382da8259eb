/* request.h — the parts of the reference server that read untrusted bytes (method and URL, the `since`
 * argument, the enrolment body with its wipe receipt, the recovery and PUT bodies, the version header), as
 * plain functions with no libmicrohttpd and no database, so unit tests and a libFuzzer target can call them
 * directly. Prefix req_. */
#ifndef MS_SERVER_REQUEST_H
#define MS_SERVER_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "meistring/config.h"

struct cJSON;
struct sockaddr_storage;

typedef enum {
    REQ_NOT_FOUND,
    REQ_ENROL,       /* POST /v1/enrol */
    REQ_MANIFEST,    /* GET /v1/manifest */
    REQ_BLOB,        /* GET /v1/blobs/{sha256}: *arg is the sha256 */
    REQ_CHANGES,     /* GET /v1/changes */
    REQ_PUT_MESSAGE, /* PUT /v1/messages/{client_id}: *arg is the client_id */
    REQ_PUT_ANSWER,  /* PUT /v1/answers/{client_id} */
    REQ_RECOVERY,    /* PUT /v1/recovery: the patient's recovery wrap */
    REQ_RECOVER,     /* POST /v1/recover: a reset code for the wrap, no Bearer */
    REQ_DEVICE_DEL,  /* DELETE /v1/device: the tablet gives up its token */
} req_route;

/* Which endpoint method + url names. *arg points into url (the part after the prefix) for blobs and PUTs, and is
 * NULL otherwise. A known path with another method is REQ_NOT_FOUND. */
req_route req_route_of(const char *method, const char *url, const char **arg);

/* True for a client_id the tablet could have made: MS_CLIENT_ID_MIN..MAX of [A-Za-z0-9_-]. */
bool req_client_id_ok(const char *id);

/* The changes cursor: s is the `since` argument, NULL when absent (then 0). Digits only, 0 <= since <= 2^53;
 * anything else (sign, space, empty, hex, exponent, overflow) is false. */
bool req_parse_since(const char *s, int64_t *since);

/* Decodes %XX in place, as MHD's unescaper would, except %00: a NUL would cut the URL short without a word, so
 * it is left as the three characters "%00", which no path or argument accepts. Returns the new length. */
size_t req_unescape(char *s);

/* An enrolment body {"code": "12345678", "wipe_receipt": {...}}: code gets the 8 digits (spaces and hyphens
 * between them are allowed, as the code is printed 4-4). False with *why for a 400 when the body is not that;
 * the receipt is optional, and a wrong one does not make the body wrong: it is dropped (below). */
typedef struct {
    char code[SRV_CODE_DIGITS + 1];
    char *receipt;           /* a valid wipe receipt printed compactly (what is stored); NULL when none */
    int64_t receipt_patient; /* its "patient": the server's id of the enrolment that was wiped; 0 when absent */
    const char *receipt_why; /* why a receipt that was sent was dropped; NULL when none was sent or it was kept */
} req_enrol;

/* out is owned by the caller: req_enrol_deinit frees its receipt (allowed after a refusal too). */
bool req_enrol_parse(req_enrol *out, const char *body, size_t len, const char **why);
void req_enrol_deinit(req_enrol *e);

/* A recovery body {"code": "12345678"}: a reset code, read exactly as an enrolment code is. */
bool req_recover_parse(const char *body, size_t len, char code[SRV_CODE_DIGITS + 1], const char **why);

/* A recovery wrap {"wrap": "..."}: standard base64 (A-Z a-z 0-9 + /, '=' padding only at the end, a multiple
 * of 4 characters), SRV_WRAP_MIN_CHARS..SRV_WRAP_MAX_CHARS long. The server never decodes it. */
bool req_recovery_parse(const char *body, size_t len, char wrap[SRV_WRAP_MAX_CHARS + 1], const char **why);

/* A PUT body, checked before anything is stored: size, UTF-8 throughout, no NUL (raw or \u0000), nesting, a JSON
 * object with the fields of its kind. The strings point into json, which the struct owns: req_put_deinit frees both. */
typedef struct {
    struct cJSON *json;
    const char *body, *written_at; /* a message */
    const char *block;             /* an answer */
    char *canon;                   /* an answer, printed canonically: what is stored and compared */
} req_put;

/* False with *why (for a 400) when the body is refused; out is then empty (deinit is still allowed). */
bool req_put_parse(req_put *out, bool message, const char *body, size_t len, const char **why);
void req_put_deinit(req_put *p);

/* A device token as enrolment makes it: exactly SRV_TOKEN_HEX lowercase hex digits. Anything else in a Bearer is
 * a 401 before the database is asked, so no byte a client chose reaches a query or the database's log. */
bool req_token_ok(const char *token);

/* A client version "X.Y.Z" (decimal, each part at most 999999). False for anything else. */
typedef struct {
    unsigned part[3];
} req_version;

bool req_version_parse(const char *s, req_version *v);
/* <0, 0, >0 as a is older than, the same as, newer than b; numerically, so 1.10.0 > 1.9.9. */
int req_version_cmp(const req_version *a, const req_version *b);

/* The tablet's address when the request came through a trusted reverse proxy (serve --trusted-proxy; nginx with
 * proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for): the LAST entry of X-Forwarded-For, the address
 * the proxy itself saw. Entries before it are whatever the client claimed, so they are never read; xff is the
 * value of the last header line for the same reason (api.c reads every line). One IPv4 or
 * IPv6 address in text, spaces around it allowed. False for anything else: the caller then keeps the proxy's own
 * address, so every client behind it shares one limit — never a free pass. */
bool req_forwarded_for(const char *xff, struct sockaddr_storage *out);

#endif
