/* server.h — what the reference sync server's files share, and nothing more: private to src/server.
 * server.c starts the daemon (serve), runs admin.c (admin) or the migrations (migrate); api.c answers each
 * request; what is kept is behind srv_store.h (SQLite or PostgreSQL, whichever --db names); content.c the programme's
 * blobs, publish.c the same blobs as files for a web server; faults.c the injected test faults. Untrusted bytes are
 * request.c's, enrolment limits guard.c's. Everything else in those files stays static.
 */
#ifndef MEISTRING_SERVER_H
#define MEISTRING_SERVER_H

#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "meistring/config.h"
#include "meistring/doc.h"

#include "guard.h"
#include "request.h"
#include "srv_store.h"

/* ---- srv_store.c: exact ids in JSON (the storage itself is srv_store.h's) ----------------------------------- */

void add_int(cJSON *o, const char *name, int64_t v);

/* ---- content.c: every file of the programme as a blob named by its SHA-256 ---------------------------------- */

typedef struct {
    char sha[65];
    char path[256]; /* relative to the content directory */
    unsigned char *data;
    size_t size;
} blob;

extern size_t n_blobs;
extern doc_programme *prog;

void hex(const unsigned char *in, size_t n, char *out);
bool load_content(const char *dir);
const blob *find_blob_path(const char *rel);
const blob *find_blob_sha(const char *sha);
const blob *blob_at(size_t i); /* i < n_blobs: every blob in turn (publish.c) */

/* ---- publish.c: meistring-server publish, the blobs as files for a static web server ---------------------- */

int publish(int argc, char **argv);

/* ---- faults.c: faults injected for tests ------------------------------------------------------------------ */

typedef enum { F_DROP, F_DROP_AFTER, F_500, F_429, F_STALL, F_TRUNCATE, F_BADJSON, F_BADHASH, F_HUGE } fault_mode;

extern unsigned rng_state; /* --seed */

bool parse_fault(const char *spec);
int pick_fault(const char *url);

/* ---- api.c: the HTTP API ---------------------------------------------------------------------------------- */

extern guard *enrol_guard;
extern srv_store_pool *db_pool; /* serve's connections, one per thread of MHD's pool (server.c opens it) */
/* --trusted-proxy: the reverse proxies whose X-Forwarded-For names the tablet (api.c client_addr) */
extern struct sockaddr_storage trusted_proxy[SRV_TRUSTED_PROXIES_MAX];
extern int n_trusted_proxies;
extern bool have_min_version;   /* --min-client-version */
extern req_version min_version;
extern char min_version_text[32];

int64_t mono_now(void);
enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method, const char *version,
                       const char *upload, size_t *upload_size, void **con_cls);
void request_done(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode t);

/* ---- admin.c: meistring-server admin ----------------------------------------------------------------------- */

int admin(int argc, char **argv);

#endif
