/* sync_internal.h — what the three files of the sync engine share; nothing outside src/core/sync*.c sees it
 * (include/meistring/sync.h is the API). sync.c runs a pass, sync_http.c is the transport, sync_content.c turns a
 * manifest into blobs and a programme. The engine struct is here because all three read it; the cJSON types and
 * the network module's table (sync_net.h) it needs stay out of the public header. */
#ifndef MS_SYNC_INTERNAL_H
#define MS_SYNC_INTERNAL_H

#include "meistring/config.h"
#include "meistring/sync.h"
#include "sync_net.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#define MAX_JSON        MS_SYNC_MAX_JSON
#define MAX_JSON_DEPTH  MS_SYNC_MAX_JSON_DEPTH
#define MAX_BLOB        MS_SYNC_MAX_BLOB
#define CHANGES_PAGES   MS_SYNC_CHANGES_PAGES
#define OUTBOX_PER_PASS MS_SYNC_OUTBOX_PER_PASS

#ifndef MEISTRING_VERSION
#define MEISTRING_VERSION "0.0.0"
#endif

struct sync_engine {
    void (*progress)(void *ctx, int done, int total);
    void *progress_ctx;
    int need, done;
    volatile int stop; /* sync_wake: give up the transfer in progress (the app is closing) */
    const sync_net_ops *net_ops; /* the loaded network module; NULL when it could not be loaded */
    void *net;                   /* its handle (a curl multi handle) */
    char net_error[300];         /* why there is no network module ("" when there is) */
    char server[512];
    char pin[200];
    char ca[600];
    char content_dir[600]; /* "" when none: the manifest is committed unchecked */
    char bad_url[160];     /* why the server URL was refused ("" when it is fine) */
    long timeout_ms;
    bool loopback;
    sync_transport_fn transport; /* tests and fuzzing: answer in-process (sync_set_transport) */
    void *transport_ctx;
};

/* ---- sync_http.c: the transport ------------------------------------------------------------------------------ */

/* One HTTP exchange (or one answer from the in-process transport); SYNC_OK for any HTTP status, in *status. */
sync_result sync_http(sync_engine *s, const char *method, const char *path, const char *token, const char *body,
                      const char *if_none_match, long range_from, size_t max, buf *out, headers *hd, long *status,
                      sync_report *rep);
/* Maps an HTTP status to a result; 2xx and 304 are SYNC_OK. */
sync_result sync_status_result(long status, const headers *hd, const char *what, sync_report *rep);
/* A response body as a JSON object, under the depth and NUL rules; NULL (and rep->msg) when it is not one. */
cJSON *sync_parse_json(const buf *b, const char *what, sync_report *rep);

/* ---- sync_content.c: the manifest step of a pass ------------------------------------------------------------ */

/* GET /v1/manifest, fetch the blobs it names, build and validate the programme, then commit the manifest. */
sync_result sync_do_manifest(sync_engine *s, store *st, const char *token, sync_report *rep);

/* ---- typed reads of a JSON object, used by every file (static inline: no exported name) --------------------- */

static inline const char *get_str(const cJSON *o, const char *key, size_t max) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) && strlen(v->valuestring) <= max ? v->valuestring : NULL;
}

/* A JSON number that is a whole number in [min, max], into *out. Checked before any cast: a double beyond the
 * target type's range makes the conversion undefined (and 1e300 is valid JSON). */
static inline bool get_int(const cJSON *v, double min, double max, long long *out) {
    if (!cJSON_IsNumber(v)) return false;
    double d = v->valuedouble;
    if (!isfinite(d) || d < min || d > max || d != floor(d)) return false;
    *out = (long long)d;
    return true;
}

#endif
