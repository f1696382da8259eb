/* store.h — the client's durable state in one SQLite database: reading positions, visited pages, settings.
 * WAL mode with synchronous=FULL: a committed write survives a power cut. The schema is versioned
 * (PRAGMA user_version) and migrated forward on open. One store handle per thread; never share one.
 * Later issues add the content cache, messages, drafts, outbox and answers to the same database. */
#ifndef MEISTRING_STORE_H
#define MEISTRING_STORE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct store store;

#define STORE_SCHEMA_VERSION 1

/* Opens (creating and migrating) the database at path; ":memory:" keeps everything in RAM (kiosk, tests).
 * NULL on failure with the reason in err. */
store *store_open(const char *path, char *err, size_t errcap);
void store_close(store *s); /* NULL is a no-op */

/* Where the patient is in one module: page id, the block at the top of the view and how far into that block
 * (in 1/1000 of its height), so the place survives a change of text size or screen width. */
typedef struct {
    char module[72];
    char page[72];
    char block[72];
    int offset_permille;
} store_position;

bool store_set_position(store *s, const char *programme, const store_position *pos);
/* Position in one module; false when there is none. */
bool store_get_position(store *s, const char *programme, const char *module, store_position *out);

bool store_mark_visited(store *s, const char *programme, const char *page);
/* Calls fn for every visited page of the programme. */
bool store_each_visited(store *s, const char *programme, void (*fn)(void *ctx, const char *page), void *ctx);

bool store_set_setting(store *s, const char *key, const char *value);
/* Copies the setting into buf; false when absent (buf then holds ""). */
bool store_get_setting(store *s, const char *key, char *buf, size_t cap);

/* Result of PRAGMA integrity_check: true when "ok". */
bool store_integrity_ok(store *s);

/* The last error SQLite reported on this handle, for logs (never holds patient text). */
const char *store_last_error(store *s);

#endif
