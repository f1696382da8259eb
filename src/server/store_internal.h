/* store_internal.h — what the two storage backends (store_sqlite.c, store_pg.c) share with store.c, and nothing
 * more: the table of operations each fills in, and the JSON of the changes feed's events, made in one place so
 * both backends send a tablet the same bytes.
 * A backend's connection struct begins with `store base`, so store.c can reach its ops.
 */
#ifndef MEISTRING_SERVER_STORE_INTERNAL_H
#define MEISTRING_SERVER_STORE_INTERNAL_H

#include "store.h"

typedef struct store_ops store_ops;

struct store {
    const store_ops *ops;
};

/* One entry per function of store.h, with the same meaning; store.c's wrappers call them. */
struct store_ops {
    const char *name;
    store *(*open)(const char *where);
    void (*close)(store *s);
    int (*schema_version)(store *s);

    store_id (*auth)(store *s, const char *token);
    int (*is_unlocked)(store *s, store_id patient, const char *module);
    store_id (*enrol)(store *s, const char *code, const char *token, const store_receipt *receipt, char *name,
                      size_t name_cap, lock_settings *ls);
    int (*take_reset_code)(store *s, const char *code, char *wrap, size_t wrap_cap);
    store_put_result (*put_recovery)(store *s, store_id patient, const char *wrap);
    bool (*device_wiped)(store *s, store_id patient);
    int (*changes)(store *s, store_id patient, int64_t since, int limit, store_event_fn fn, void *ctx);
    store_put_result (*put_message)(store *s, store_id patient, const char *client_id, const char *body,
                                    const char *written_at);
    store_put_result (*put_answer)(store *s, store_id patient, const char *client_id, const char *canon,
                                   const char *const *unlocks, size_t n_unlocks);

    store_id (*find_patient)(store *s, const char *id_or_name);
    int (*set_enrol_code)(store *s, store_id patient, const char *name, const char *code, int64_t valid_s,
                          store_id *id);
    int (*set_reset_code)(store *s, store_id patient, const char *code, int64_t valid_s);
    bool (*lock_settings_load)(store *s, lock_settings *out);
    bool (*lock_settings_save)(store *s, const lock_settings *ls);
    bool (*staff_code_set)(store *s, const char *hash);
    bool (*device_of)(store *s, store_id patient, store_device *d);
    int (*devices)(store *s, store_device_fn fn, void *ctx);
    int (*mark_returned)(store *s, store_id patient);
    int (*unlock)(store *s, store_id patient, const char *module);
    bool (*post_reply)(store *s, store_id patient, const char *text, const char *written_at);
    int (*read_messages)(store *s, store_id patient, store_message_fn fn, void *ctx);
    int (*answers)(store *s, store_id patient, store_answer_fn fn, void *ctx);
    bool (*revoke)(store *s, store_id patient);
    int (*receipts)(store *s, store_receipt_fn fn, void *ctx);
};

extern const store_ops store_sqlite_ops;
extern const store_ops store_pg_ops;

/* The data of the feed's events, as malloc'd JSON text (NULL when out of memory); ids printed exactly. */
char *store_event_unlock(const char *module);                                    /* {"module":…} */
char *store_event_message(int64_t id, const char *body, const char *written_at); /* {"id":…,"body":…,"written_at":…} */
char *store_event_read(const char *client_id);                                   /* {"client_id":…} */
#define STORE_EVENT_RETURNED "{}"

#endif
