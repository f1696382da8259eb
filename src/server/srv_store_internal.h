/* srv_store_internal.h — what the two storage backends (srv_store_sqlite.c, srv_store_pg.c) share with
 * srv_store.c, and nothing more: the table of operations each fills in, and the JSON of the changes feed's events, made in one place so
 * both backends send a tablet the same bytes.
 * A backend's connection struct begins with `srv_store base`, so srv_store.c can reach its ops.
 */
#ifndef MEISTRING_SERVER_STORE_INTERNAL_H
#define MEISTRING_SERVER_STORE_INTERNAL_H

#include "srv_store.h"

typedef struct srv_store_ops srv_store_ops;

struct srv_store {
    const srv_store_ops *ops;
};

/* One entry per function of srv_store.h, with the same meaning; srv_store.c's wrappers call them. */
struct srv_store_ops {
    const char *name;
    srv_store *(*open)(const char *where);
    void (*close)(srv_store *s);
    int (*schema_version)(srv_store *s);
    /* srv_store_pool_give's check that a connection goes back as it came: idle says it is outside any transaction;
     * settle makes it so (rolls back what was left open, or connects again), said on stderr. No operation leaves
     * a transaction open, so settling is for a bug, which must then cost one request, not every later one. */
    bool (*idle)(srv_store *s);
    void (*settle)(srv_store *s);

    srv_store_id (*auth)(srv_store *s, const char *token);
    int (*is_unlocked)(srv_store *s, srv_store_id patient, const char *module);
    srv_store_id (*enrol)(srv_store *s, const char *code, const char *token, const srv_store_receipt *receipt,
                          char *name, size_t name_cap, lock_settings *ls);
    int (*take_reset_code)(srv_store *s, const char *code, char *wrap, size_t wrap_cap);
    srv_store_put_result (*put_recovery)(srv_store *s, srv_store_id patient, const char *token, const char *wrap);
    int (*device_wiped)(srv_store *s, srv_store_id patient, const char *token);
    int (*changes)(srv_store *s, srv_store_id patient, int64_t since, int limit, srv_store_event_fn fn, void *ctx);
    srv_store_put_result (*put_message)(srv_store *s, srv_store_id patient, const char *client_id, const char *body,
                                        const char *written_at);
    srv_store_put_result (*put_answer)(srv_store *s, srv_store_id patient, const char *client_id, const char *canon,
                                       const char *const *unlocks, size_t n_unlocks);

    srv_store_id (*find_patient)(srv_store *s, const char *id_or_name);
    int (*set_enrol_code)(srv_store *s, srv_store_id patient, const char *name, const char *code, int64_t valid_s,
                          srv_store_id *id);
    int (*set_reset_code)(srv_store *s, srv_store_id patient, const char *code, int64_t valid_s);
    bool (*lock_settings_load)(srv_store *s, lock_settings *out);
    bool (*lock_settings_save)(srv_store *s, const lock_settings *ls);
    bool (*staff_code_set)(srv_store *s, const char *hash);
    bool (*device_of)(srv_store *s, srv_store_id patient, srv_store_device *d);
    int (*devices)(srv_store *s, srv_store_device_fn fn, void *ctx);
    int (*mark_returned)(srv_store *s, srv_store_id patient);
    int (*unlock)(srv_store *s, srv_store_id patient, const char *module);
    bool (*post_reply)(srv_store *s, srv_store_id patient, const char *text, const char *written_at);
    int (*read_messages)(srv_store *s, srv_store_id patient, srv_store_message_fn fn, void *ctx);
    int (*answers)(srv_store *s, srv_store_id patient, srv_store_answer_fn fn, void *ctx);
    bool (*revoke)(srv_store *s, srv_store_id patient);
    int (*receipts)(srv_store *s, srv_store_receipt_fn fn, void *ctx);
};

extern const srv_store_ops srv_store_sqlite_ops;
extern const srv_store_ops srv_store_pg_ops;

/* The data of the feed's events, as malloc'd JSON text (NULL when out of memory); ids printed exactly. */
char *srv_store_event_unlock(const char *module); /* {"module":…} */
char *srv_store_event_message(int64_t id, const char *body,
                              const char *written_at); /* {"id":…,"body":…,"written_at":…} */
char *srv_store_event_read(const char *client_id);     /* {"client_id":…} */
#define SRV_STORE_EVENT_RETURNED "{}"

#endif
