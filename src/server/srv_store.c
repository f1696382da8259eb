/* srv_store.c — the storage interface's front (srv_store.h): picks the backend --db names, passes each call to it,
 * keeps serve's pool of connections, and makes the changes feed's event JSON that both backends store. The seam: no SQL
 * here; srv_store_sqlite.c and srv_store_pg.c each hold all of theirs.
 */
#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "meistring/config.h"

#include "server.h"
#include "srv_store_internal.h"

/* ---- opening ---------------------------------------------------------------------------------------------- */

/* The scheme, as RFC 3986 has it, in any case: "PostgreSQL://…" taken for a file name would be echoed in an
 * error, password and all, or made into a stray SQLite file. */
bool srv_store_is_postgresql(const char *where) {
    return where && (strncasecmp(where, "postgresql://", 13) == 0 || strncasecmp(where, "postgres://", 11) == 0);
}

/* libpq's other form, "host=… password=…": an '=' before any '/'. A file path may hold an '=' only after a
 * directory ("./a=b.db" still works). */
static bool is_keyword_string(const char *where) {
    size_t eq = strcspn(where, "=");
    return where[eq] == '=' && memchr(where, '/', eq) == NULL;
}

srv_store *srv_store_open(const char *where) {
    if (!where || !*where) {
        fprintf(stderr, "meistring-server: --db wants a file or a postgresql:// URI\n");
        return NULL;
    }
    if (!srv_store_is_postgresql(where) && is_keyword_string(where)) {
        /* never the string itself: it may hold a password */
        fprintf(stderr, "meistring-server: --db looks like libpq's key=value form; give a postgresql:// URI (or, for"
                        " a SQLite file whose name has an '=', a path with a '/', as ./name)\n");
        return NULL;
    }
    /* both backends are always built (CMakeLists.txt links libpq into meistring-server), so each has its open */
    const srv_store_ops *ops = srv_store_is_postgresql(where) ? &srv_store_pg_ops : &srv_store_sqlite_ops;
    return ops->open(where);
}

void srv_store_close(srv_store *s) {
    if (s) s->ops->close(s);
}

const char *srv_store_backend(const srv_store *s) { return s->ops->name; }
int srv_store_schema_version(srv_store *s) { return s->ops->schema_version(s); }

/* ---- serve's pool: one connection per worker thread ------------------------------------------------------- */

/* The mutex guards only which connection is free, never a query: two requests run their SQL at the same time,
 * and the database keeps them apart (srv_store.h). */
struct srv_store_pool {
    pthread_mutex_t lock;
    pthread_cond_t freed;
    int n, n_free;
    srv_store **all, **free;
};

srv_store_pool *srv_store_pool_open(const char *where, int n) {
    srv_store_pool *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->all = calloc((size_t)n, sizeof *p->all);
    p->free = calloc((size_t)n, sizeof *p->free);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->freed, NULL);
    if (!p->all || !p->free) {
        srv_store_pool_close(p);
        return NULL;
    }
    for (; p->n < n; p->n++) {
        p->all[p->n] = srv_store_open(where);
        if (!p->all[p->n]) {
            srv_store_pool_close(p);
            return NULL;
        }
        p->free[p->n_free++] = p->all[p->n];
    }
    return p;
}

srv_store *srv_store_pool_take(srv_store_pool *p) {
    pthread_mutex_lock(&p->lock);
    while (p->n_free == 0)
        pthread_cond_wait(&p->freed, &p->lock);
    srv_store *s = p->free[--p->n_free];
    pthread_mutex_unlock(&p->lock);
    return s;
}

/* A connection left inside a transaction (an aborted one answers every statement with an error) would fail every
 * request the worker that takes it next serves: it is settled here, outside the lock. */
void srv_store_pool_give(srv_store_pool *p, srv_store *s) {
    if (!s->ops->idle(s)) s->ops->settle(s);
    pthread_mutex_lock(&p->lock);
    p->free[p->n_free++] = s;
    pthread_cond_signal(&p->freed);
    pthread_mutex_unlock(&p->lock);
}

void srv_store_pool_close(srv_store_pool *p) {
    if (!p) return;
    for (int i = 0; p->all && i < p->n; i++)
        srv_store_close(p->all[i]);
    free(p->all);
    free(p->free);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->freed);
    free(p);
}

/* ---- the calls, passed to the backend --------------------------------------------------------------------- */

srv_store_id srv_store_auth(srv_store *s, const char *token) { return s->ops->auth(s, token); }
int srv_store_is_unlocked(srv_store *s, srv_store_id patient, const char *module) {
    return s->ops->is_unlocked(s, patient, module);
}
srv_store_id srv_store_enrol(srv_store *s, const char *code, const char *token, const srv_store_receipt *receipt,
                             char *name, size_t name_cap, lock_settings *ls) {
    return s->ops->enrol(s, code, token, receipt, name, name_cap, ls);
}
int srv_store_take_reset_code(srv_store *s, const char *code, char *wrap, size_t wrap_cap) {
    return s->ops->take_reset_code(s, code, wrap, wrap_cap);
}
srv_store_put_result srv_store_put_recovery(srv_store *s, srv_store_id patient, const char *token, const char *wrap) {
    return s->ops->put_recovery(s, patient, token, wrap);
}
int srv_store_device_wiped(srv_store *s, srv_store_id patient, const char *token) {
    return s->ops->device_wiped(s, patient, token);
}
int srv_store_changes(srv_store *s, srv_store_id patient, int64_t since, int limit, srv_store_event_fn fn, void *ctx) {
    return s->ops->changes(s, patient, since, limit, fn, ctx);
}
srv_store_put_result srv_store_put_message(srv_store *s, srv_store_id patient, const char *client_id, const char *body,
                                           const char *written_at) {
    return s->ops->put_message(s, patient, client_id, body, written_at);
}
srv_store_put_result srv_store_put_answer(srv_store *s, srv_store_id patient, const char *client_id, const char *canon,
                                          const char *const *unlocks, size_t n_unlocks) {
    return s->ops->put_answer(s, patient, client_id, canon, unlocks, n_unlocks);
}

srv_store_id srv_store_find_patient(srv_store *s, const char *id_or_name) {
    return s->ops->find_patient(s, id_or_name);
}
int srv_store_set_enrol_code(srv_store *s, srv_store_id patient, const char *name, const char *code, int64_t valid_s,
                             srv_store_id *id) {
    return s->ops->set_enrol_code(s, patient, name, code, valid_s, id);
}
int srv_store_set_reset_code(srv_store *s, srv_store_id patient, const char *code, int64_t valid_s) {
    return s->ops->set_reset_code(s, patient, code, valid_s);
}
bool srv_store_lock_settings_load(srv_store *s, lock_settings *out) { return s->ops->lock_settings_load(s, out); }
bool srv_store_lock_settings_save(srv_store *s, const lock_settings *ls) { return s->ops->lock_settings_save(s, ls); }
bool srv_store_staff_code_set(srv_store *s, const char *hash) { return s->ops->staff_code_set(s, hash); }
bool srv_store_device_of(srv_store *s, srv_store_id patient, srv_store_device *d) {
    return s->ops->device_of(s, patient, d);
}
int srv_store_devices(srv_store *s, srv_store_device_fn fn, void *ctx) { return s->ops->devices(s, fn, ctx); }
int srv_store_mark_returned(srv_store *s, srv_store_id patient) { return s->ops->mark_returned(s, patient); }
int srv_store_unlock(srv_store *s, srv_store_id patient, const char *module) {
    return s->ops->unlock(s, patient, module);
}
bool srv_store_post_reply(srv_store *s, srv_store_id patient, const char *text, const char *written_at) {
    return s->ops->post_reply(s, patient, text, written_at);
}
int srv_store_read_messages(srv_store *s, srv_store_id patient, srv_store_message_fn fn, void *ctx) {
    return s->ops->read_messages(s, patient, fn, ctx);
}
int srv_store_answers(srv_store *s, srv_store_id patient, srv_store_answer_fn fn, void *ctx) {
    return s->ops->answers(s, patient, fn, ctx);
}
bool srv_store_revoke(srv_store *s, srv_store_id patient) { return s->ops->revoke(s, patient); }
int srv_store_receipts(srv_store *s, srv_store_receipt_fn fn, void *ctx) { return s->ops->receipts(s, fn, ctx); }

/* ---- the feed's events ------------------------------------------------------------------------------------ */

/* An id or a cursor as an exact JSON integer. cJSON prints numbers as doubles with 15 significant digits, which
 * is not exact above 10^15; and no id may pass 2^53, the last integer a client's double holds exactly. */
void add_int(cJSON *o, const char *name, int64_t v) {
    char s[24];
    if (v < 0 || v > MS_JSON_MAX_ID)
        v = 0; /* never stored: ids come from the database, cursors through
                  req_parse_since */
    snprintf(s, sizeof s, "%lld", (long long)v);
    cJSON_AddRawToObject(o, name, s);
}

static char *printed(cJSON *d) {
    char *s = d ? cJSON_PrintUnformatted(d) : NULL;
    cJSON_Delete(d);
    return s;
}

char *srv_store_event_unlock(const char *module) {
    cJSON *d = cJSON_CreateObject();
    if (d) cJSON_AddStringToObject(d, "module", module);
    return printed(d);
}

char *srv_store_event_message(int64_t id, const char *body, const char *written_at) {
    cJSON *d = cJSON_CreateObject();
    if (d) {
        add_int(d, "id", id);
        cJSON_AddStringToObject(d, "body", body);
        cJSON_AddStringToObject(d, "written_at", written_at);
    }
    return printed(d);
}

char *srv_store_event_read(const char *client_id) {
    cJSON *d = cJSON_CreateObject();
    if (d) cJSON_AddStringToObject(d, "client_id", client_id);
    return printed(d);
}
