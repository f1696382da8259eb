/* store.h — the client's durable state in one SQLite database: reading positions, visited pages, settings.
 * WAL mode with synchronous=FULL: a committed write survives a power cut. The schema is versioned
 * (PRAGMA user_version) and migrated forward on open. One store handle per thread; never share one.
 * Later issues add the content cache, messages, drafts, outbox and answers to the same database. */
#ifndef MEISTRING_STORE_H
#define MEISTRING_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "meistring/vault.h"

typedef struct store store;

#define STORE_SCHEMA_VERSION 8

/* Opens (creating and migrating) the database at path; ":memory:" keeps everything in RAM (kiosk, tests).
 * keyfile is the device key that wraps this store's data key (vault.h); it is created with the store, and a
 * store on disk cannot be opened without it. NULL only for ":memory:". NULL on failure with the reason in err.
 * A store whose patient has chosen a PIN opens locked (store_locked): until store_unlock_pin, store_use_key
 * or store_recover gives it the data key, every sealed value stays sealed (reads skip, writes fail).
 *
 * Sealed at rest: message bodies, outbox bodies, every sync_state value (the device token among them).
 * Not sealed: content blobs (the programme is not secret), positions, settings. */
store *store_open(const char *path, const char *keyfile, char *err, size_t errcap);
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
/* True when the last write that failed did so because the disk (or the user's quota) is full, until a write
 * succeeds again: the screen then says "the tablet is full" instead of pretending the words were saved. */
bool store_disk_full(store *s);

/* ---- sync (schema 2) --------------------------------------------------------------------------------------
 * Blobs are content files by SHA-256; a row in blob means its bytes were verified. blob_part holds a download
 * in progress, so an interrupted one resumes. Returned buffers are the caller's to free. */
bool store_blob_has(store *s, const char *sha);
bool store_blob_put(store *s, const char *sha, const void *data, size_t len); /* and drops its partial */
unsigned char *store_blob_get(store *s, const char *sha, size_t *len);
bool store_blob_part_put(store *s, const char *sha, const void *data, size_t len);
unsigned char *store_blob_part_get(store *s, const char *sha, size_t *len);

/* Small sync facts: token, etag, manifest, cursor, last_synced, patient and clinic. Get returns a copy. */
bool store_sync_set(store *s, const char *key, const char *value);
char *store_sync_get(store *s, const char *key);

/* One transaction around several writes (a manifest and its state, a page of changes and the cursor). */
bool store_begin(store *s);
bool store_commit(store *s);
void store_rollback(store *s);
/* Ends a transaction begun with store_begin: commits when ok, else rolls back. True when it committed. */
bool store_finish(store *s, bool ok);

/* Messages both ways. state: "saved" (on the tablet), "sent", "read" (by the therapist); "received". */
typedef struct {
    long long id;          /* the row: the thread's order, a later message has a larger one */
    const char *client_id; /* the patient's own messages; NULL for the therapist's */
    long long server_id;   /* the therapist's; 0 for the patient's */
    bool from_patient;
    const char *body, *written_at, *state;
} store_message;
bool store_message_add(store *s, const char *client_id, long long server_id, bool from_patient, const char *body,
                       const char *written_at, const char *state); /* an existing id is left as it is */
bool store_message_state(store *s, const char *client_id, const char *state);
/* Calls fn for every message in order. A message whose sealed body does not open is skipped, and the call then
 * returns false (store_last_error names the row, never its text). */
bool store_each_message(store *s, void (*fn)(void *ctx, const store_message *m), void *ctx);
/* The thread a stretch at a time, for a screen that shows only part of it (issue 14): fn for up to max messages
 * older than the row *before (0: from the newest), newest first; *before then holds the oldest row read, where
 * the next stretch starts. Returns the rows read, a row whose body does not open among them (it is skipped and
 * *all, when given, set false), or -1 on error. Fewer than max: the thread's first message has been read. By the
 * primary key: the cost is the stretch's, not the thread's. */
int store_messages_before(store *s, long long *before, int max, bool *all,
                          void (*fn)(void *ctx, const store_message *m), void *ctx);
/* fn for every message from the row from_id on, oldest first (a stretch read again after it changed). As
 * store_each_message, false when a body did not open. */
bool store_messages_from(store *s, long long from_id, void (*fn)(void *ctx, const store_message *m), void *ctx);
/* The therapist's messages with a server id above seen_server_id (home's «1 ny»), -1 on error; and the newest of
 * them all (0: none). Read from an index, no message opened: what a launch needs of a long thread. */
int store_messages_unread(store *s, long long seen_server_id);
long long store_messages_newest_reply(store *s);

/* The outbox: what the patient wrote, until the server has it. kind: "message" or "answer"; body is the JSON
 * to PUT. A row is added before the first attempt and never deleted: "pending" → "sent", or "attention"
 * (refused by the server; kept for the patient to see). */
bool store_outbox_add(store *s, const char *kind, const char *client_id, const char *body);
/* Calls fn for up to max pending rows, oldest first; returns how many. A row whose sealed body does not open is
 * marked "attention" instead, so it neither blocks the queue nor gets lost. */
int store_outbox_pending(store *s, int max,
                         void (*fn)(void *ctx, const char *kind, const char *client_id, const char *body), void *ctx);
bool store_outbox_mark(store *s, const char *client_id, const char *state, const char *error);
int store_outbox_count(store *s, const char *state);
/* Everything the patient wrote that the therapist does not have: outbox rows pending or refused ("attention"),
 * drafts, and answers changed since they were last queued. What a wipe would destroy unsent (lock.c, the staff
 * screen and the wipe receipt say how many). Readable while locked. -1 on error. */
int store_unsent_count(store *s);

/* ---- drafts (schema 4) -------------------------------------------------------------------------------------
 * What the patient is writing, saved (sealed) on every change so a flat battery loses nothing that was on the
 * screen. key names the place: "message" for the thread, "answer/<field id>" for an exercise field. */
bool store_draft_set(store *s, const char *key, const char *text, size_t caret);
/* The draft's text (the caller frees it) and caret; NULL when there is none. */
char *store_draft_get(store *s, const char *key, size_t *caret);
bool store_draft_clear(store *s, const char *key);

/* "Send again" for a message the server refused ("attention"): in one transaction the message takes new_id
 * and a new outbox row with outbox_body is queued; the refused row stays as the record. */
bool store_message_resend(store *s, const char *old_id, const char *new_id, const char *outbox_body);

/* ---- answers (schema 5) -----------------------------------------------------------------------------------
 * One row per exercise block: its fields as a JSON object ({"field id": value, …}), sealed. Every set raises
 * the revision; sync_queue_answer sends a revision once (store_answer_queued records it, in the same
 * transaction as its outbox row). */
bool store_answer_set(store *s, const char *block, const char *fields_json);
/* The fields JSON (the caller frees it), its revision and the last revision queued; NULL when none. */
char *store_answer_get(store *s, const char *block, int *rev, int *queued_rev);
bool store_answer_queued(store *s, const char *block, int rev);

/* ---- scores (schema 6) -------------------------------------------------------------------------------------
 * Each questionnaire the patient submitted: when (unix time), and a sealed JSON with the block, the instrument,
 * the total, its band and the answers. Kept on the tablet for the patient's own plot. */
bool store_score_add(store *s, const char *client_id, long long taken_at, const char *data_json);
/* Oldest first. A row that does not open is skipped and the call returns false. */
bool store_each_score(store *s, void (*fn)(void *ctx, long long taken_at, const char *data_json), void *ctx);

/* ---- keys: the PIN, the recovery wrap, destruction (schema 7; vault.h, docs/encryption.md) ----------------
 * The data key is the store's for its whole life (one enrolment). Before a PIN it is wrapped under the device
 * key; store_set_pin wraps it under a PIN key instead, in one transaction. The slow part (vault_pin_key) is the
 * caller's, off the UI thread; these calls are all fast. Key buffers are the caller's to wipe (vault_wipe). */
bool store_locked(const store *s); /* a PIN store whose data key has not been given yet */
bool store_has_pin(store *s);
bool store_pin_params(store *s, vault_pin_params *pp);               /* false: no PIN (or damaged params) */
bool store_device_key(const store *s, unsigned char out[VAULT_KEY_BYTES]); /* false: in memory */
bool store_data_key(const store *s, unsigned char out[VAULT_KEY_BYTES]);   /* false: locked */
bool store_unlock_pin(store *s, const unsigned char pin_key[VAULT_KEY_BYTES]); /* false: not the PIN's key */
bool store_use_key(store *s, const unsigned char key[VAULT_KEY_BYTES]);        /* a second connection's key */
/* Wraps the (open) data key under pin_key and drops the device-only wrap. Also how a PIN is changed. */
bool store_set_pin(store *s, const vault_pin_params *pp, const unsigned char pin_key[VAULT_KEY_BYTES]);
/* The data key sealed under vault_recovery_key, for the server to keep (the caller frees it); NULL when locked. */
unsigned char *store_recovery_wrap(store *s, size_t *len);
/* Opens the server's recovery wrap with this tablet's device key: the store is unlocked. */
bool store_recover(store *s, const void *wrap, size_t len);
/* Unsealed facts the lock screen needs while locked (lockout.c): at most cap bytes; 0 when absent. */
bool store_lock_state_set(store *s, const char *key, const void *value, size_t len);
size_t store_lock_state_get(store *s, const char *key, void *buf, size_t cap);
/* The first step of a wipe: every wrap of the data key deleted (secure_delete) and checkpointed, the keys in
 * memory zeroed. The handle can then read nothing sealed; close it, and let paths_wipe remove the files. */
bool store_destroy_keys(store *s);

#endif
