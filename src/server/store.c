/* store.c — the storage interface's front (store.h): picks the backend --db names, passes each call to it, keeps
 * serve's pool of connections, and makes the changes feed's event JSON that both backends store.
 * The seam: no SQL here; store_sqlite.c and store_pg.c each hold all of theirs.
 */
#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meistring/config.h"

#include "server.h"
#include "store_internal.h"

/* ---- opening ---------------------------------------------------------------------------------------------- */

bool store_is_postgresql(const char *where) {
    return where && (strncmp(where, "postgresql://", 13) == 0 || strncmp(where, "postgres://", 11) == 0);
}

store *store_open(const char *where) {
    if (!where || !*where) {
        fprintf(stderr, "meistring-server: --db wants a file or a postgresql:// URI\n");
        return NULL;
    }
    const store_ops *ops = store_is_postgresql(where) ? &store_pg_ops : &store_sqlite_ops;
    if (!ops->open) {
        /* a backend still being written, or left out of this build: said plainly, never a crash (and never the
         * URI, which may hold a password) */
        fprintf(stderr, "meistring-server: the %s backend is not available: this server was built without it\n",
                ops->name);
        return NULL;
    }
    return ops->open(where);
}

void store_close(store *s) {
    if (s) s->ops->close(s);
}

const char *store_backend(const store *s) { return s->ops->name; }
int store_schema_version(store *s) { return s->ops->schema_version(s); }

/* ---- serve's pool: one connection per worker thread ------------------------------------------------------- */

/* The mutex guards only which connection is free, never a query: two requests run their SQL at the same time,
 * and the database keeps them apart (store.h). */
struct store_pool {
    pthread_mutex_t lock;
    pthread_cond_t freed;
    int n, n_free;
    store **all, **free;
};

store_pool *store_pool_open(const char *where, int n) {
    store_pool *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->all = calloc((size_t)n, sizeof *p->all);
    p->free = calloc((size_t)n, sizeof *p->free);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->freed, NULL);
    if (!p->all || !p->free) {
        store_pool_close(p);
        return NULL;
    }
    for (; p->n < n; p->n++) {
        p->all[p->n] = store_open(where);
        if (!p->all[p->n]) {
            store_pool_close(p);
            return NULL;
        }
        p->free[p->n_free++] = p->all[p->n];
    }
    return p;
}

store *store_pool_take(store_pool *p) {
    pthread_mutex_lock(&p->lock);
    while (p->n_free == 0)
        pthread_cond_wait(&p->freed, &p->lock);
    store *s = p->free[--p->n_free];
    pthread_mutex_unlock(&p->lock);
    return s;
}

void store_pool_give(store_pool *p, store *s) {
    pthread_mutex_lock(&p->lock);
    p->free[p->n_free++] = s;
    pthread_cond_signal(&p->freed);
    pthread_mutex_unlock(&p->lock);
}

void store_pool_close(store_pool *p) {
    if (!p) return;
    for (int i = 0; p->all && i < p->n; i++)
        store_close(p->all[i]);
    free(p->all);
    free(p->free);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->freed);
    free(p);
}

/* ---- the calls, passed to the backend --------------------------------------------------------------------- */

store_id store_auth(store *s, const char *token) { return s->ops->auth(s, token); }
int store_is_unlocked(store *s, store_id patient, const char *module) {
    return s->ops->is_unlocked(s, patient, module);
}
store_id store_enrol(store *s, const char *code, const char *token, const store_receipt *receipt, char *name,
                     size_t name_cap, lock_settings *ls) {
    return s->ops->enrol(s, code, token, receipt, name, name_cap, ls);
}
int store_take_reset_code(store *s, const char *code, char *wrap, size_t wrap_cap) {
    return s->ops->take_reset_code(s, code, wrap, wrap_cap);
}
store_put_result store_put_recovery(store *s, store_id patient, const char *wrap) {
    return s->ops->put_recovery(s, patient, wrap);
}
bool store_device_wiped(store *s, store_id patient) { return s->ops->device_wiped(s, patient); }
int store_changes(store *s, store_id patient, int64_t since, int limit, store_event_fn fn, void *ctx) {
    return s->ops->changes(s, patient, since, limit, fn, ctx);
}
store_put_result store_put_message(store *s, store_id patient, const char *client_id, const char *body,
                                   const char *written_at) {
    return s->ops->put_message(s, patient, client_id, body, written_at);
}
store_put_result store_put_answer(store *s, store_id patient, const char *client_id, const char *canon,
                                  const char *const *unlocks, size_t n_unlocks) {
    return s->ops->put_answer(s, patient, client_id, canon, unlocks, n_unlocks);
}

store_id store_find_patient(store *s, const char *id_or_name) { return s->ops->find_patient(s, id_or_name); }
int store_set_enrol_code(store *s, store_id patient, const char *name, const char *code, int64_t valid_s,
                         store_id *id) {
    return s->ops->set_enrol_code(s, patient, name, code, valid_s, id);
}
int store_set_reset_code(store *s, store_id patient, const char *code, int64_t valid_s) {
    return s->ops->set_reset_code(s, patient, code, valid_s);
}
bool store_lock_settings_load(store *s, lock_settings *out) { return s->ops->lock_settings_load(s, out); }
bool store_lock_settings_save(store *s, const lock_settings *ls) { return s->ops->lock_settings_save(s, ls); }
bool store_staff_code_set(store *s, const char *hash) { return s->ops->staff_code_set(s, hash); }
bool store_device_of(store *s, store_id patient, store_device *d) { return s->ops->device_of(s, patient, d); }
int store_devices(store *s, store_device_fn fn, void *ctx) { return s->ops->devices(s, fn, ctx); }
int store_mark_returned(store *s, store_id patient) { return s->ops->mark_returned(s, patient); }
int store_unlock(store *s, store_id patient, const char *module) { return s->ops->unlock(s, patient, module); }
bool store_post_reply(store *s, store_id patient, const char *text, const char *written_at) {
    return s->ops->post_reply(s, patient, text, written_at);
}
int store_read_messages(store *s, store_id patient, store_message_fn fn, void *ctx) {
    return s->ops->read_messages(s, patient, fn, ctx);
}
int store_answers(store *s, store_id patient, store_answer_fn fn, void *ctx) {
    return s->ops->answers(s, patient, fn, ctx);
}
bool store_revoke(store *s, store_id patient) { return s->ops->revoke(s, patient); }
int store_receipts(store *s, store_receipt_fn fn, void *ctx) { return s->ops->receipts(s, fn, ctx); }

/* ---- the feed's events ------------------------------------------------------------------------------------ */

/* An id or a cursor as an exact JSON integer. cJSON prints numbers as doubles with 15 significant digits, which
 * is not exact above 10^15; and no id may pass 2^53, the last integer a client's double holds exactly. */
void add_int(cJSON *o, const char *name, int64_t v) {
    char s[24];
    if (v < 0 || v > MS_JSON_MAX_ID) v = 0; /* never stored: ids come from the database, cursors through
                                               req_parse_since */
    snprintf(s, sizeof s, "%lld", (long long)v);
    cJSON_AddRawToObject(o, name, s);
}

static char *printed(cJSON *d) {
    char *s = d ? cJSON_PrintUnformatted(d) : NULL;
    cJSON_Delete(d);
    return s;
}

char *store_event_unlock(const char *module) {
    cJSON *d = cJSON_CreateObject();
    if (d) cJSON_AddStringToObject(d, "module", module);
    return printed(d);
}

char *store_event_message(int64_t id, const char *body, const char *written_at) {
    cJSON *d = cJSON_CreateObject();
    if (d) {
        add_int(d, "id", id);
        cJSON_AddStringToObject(d, "body", body);
        cJSON_AddStringToObject(d, "written_at", written_at);
    }
    return printed(d);
}

char *store_event_read(const char *client_id) {
    cJSON *d = cJSON_CreateObject();
    if (d) cJSON_AddStringToObject(d, "client_id", client_id);
    return printed(d);
}
