/* srv_store.h — everything the reference server keeps, behind one interface: patients and their enrolment codes,
 * device tokens, unlocks, messages both ways, answers, the changes feed, and a loaned tablet's life (recovery
 * wraps, reset codes, return, wipe receipts, the clinic's lock settings).
 *
 * Prefix srv_store_ (the client's own store, include/meistring/store.h, is another thing: the tablet's encrypted
 * SQLite file). Two backends answer it, chosen by what --db names:
 *   - a file path: SQLite (srv_store_sqlite.c), the embedded default for pilots and tests;
 *   - postgresql://… or postgres://… (a libpq connection URI, the scheme in any case): PostgreSQL
 *     (srv_store_pg.c), for a health region, where several stateless server instances share one database.
 * libpq's key=value form ("host=… password=…") is refused, not taken for a file name. No error ever repeats --db:
 * a URI may hold a password (docs/deploy.md keeps it in a pgpass file instead).
 * Neither the HTTP layer (api.c), the clinician's commands (admin.c) nor the injected faults (faults.c) see SQL;
 * the backends see no HTTP.
 *
 * Concurrency, and why there is no process-wide lock: every rule that must hold when two requests race — a PUT
 * stored once (201 first, 200 for the same body again, 422 for another), a one-time code used once, a patient's
 * changes feed in the order its cursor reads it — is kept by the database itself (unique constraints, INSERT … ON
 * CONFLICT DO NOTHING, row locks, transactions), so it holds across threads and across server processes alike.
 *
 * Ownership: a `srv_store` is one database connection, used by one thread at a time. serve takes one per request
 * from a srv_store_pool (one connection per worker thread); admin opens one. Strings passed in are borrowed; strings
 * a callback receives live until it returns. Every function that can fail says so in its return value and has
 * already printed why to stderr (never a message body, a name or a code: the log holds no health data).
 *
 * Schema migrations are versioned per backend (srv_store_sqlite.c, srv_store_pg.c), run by srv_store_open, inside one
 * transaction, and are safe to run again and from several instances at once.
 */
#ifndef MEISTRING_SERVER_SRV_STORE_H
#define MEISTRING_SERVER_SRV_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "meistring/config.h"

typedef struct srv_store srv_store;
typedef int64_t srv_store_id; /* a patient's id, > 0 */

/* ---- opening ---------------------------------------------------------------------------------------------- */

/* Opens (creating and migrating as needed) the database `where` names. NULL on failure, said on stderr. */
srv_store *srv_store_open(const char *where);
void srv_store_close(srv_store *s);
bool srv_store_is_postgresql(const char *where);
const char *srv_store_backend(const srv_store *s); /* "sqlite" or "postgresql" */
int srv_store_schema_version(srv_store *s);        /* the version migrations brought it to; -1 on error */

/* serve's connections: n opened at once (so a bad --db fails at start, not at the first request). take waits
 * for a free one; give returns it, rolling back first a transaction left open (said on stderr: a bug). */
typedef struct srv_store_pool srv_store_pool;
srv_store_pool *srv_store_pool_open(const char *where, int n);
srv_store *srv_store_pool_take(srv_store_pool *p);
void srv_store_pool_give(srv_store_pool *p, srv_store *s);
void srv_store_pool_close(srv_store_pool *p);

/* ---- results ---------------------------------------------------------------------------------------------- */

/* A PUT of something written under an id the tablet made (docs/sync-protocol.md). GONE: only from
 * srv_store_put_recovery, when the token that asked is no longer the patient's live one (answered 401). */
typedef enum {
    SRV_STORE_CREATED,
    SRV_STORE_REPLAY,
    SRV_STORE_CONFLICT,
    SRV_STORE_FAILED,
    SRV_STORE_GONE
} srv_store_put_result;

/* The clinic's lock settings, as a tablet gets them at enrolment; staff_code_hash is "" when none is set. */
typedef struct {
    int after_s, pin_digits, max_failures;
    char staff_code_hash[SRV_STAFF_CODE_HASH_MAX];
} lock_settings;

/* ---- what a tablet's requests do (api.c) ------------------------------------------------------------------ */

/* The patient whose live (not revoked) device token this is: > 0, 0 for none, -1 when the database failed. */
srv_store_id srv_store_auth(srv_store *s, const char *token);

/* 1 when the module is open for the patient (by the therapist or a questionnaire), 0 when not, -1 on error. */
int srv_store_is_unlocked(srv_store *s, srv_store_id patient, const char *module);

/* A wipe receipt a tablet sends with its next enrolment (request.c checked it); body NULL: none. */
typedef struct {
    const char *body;
    srv_store_id for_patient; /* the enrolment that was wiped, 0 when the receipt does not say */
} srv_store_receipt;

/* Enrolment with a one-time code, all in one transaction: a live code (unused, not revoked, not expired, exposed
 * to fewer than SRV_CODE_MAX_EXPOSURE failed codes since it was made) becomes `token`; the device row starts
 * afresh (no return, no recovery wrap, no reset code); the receipt is kept (losing it does not refuse the
 * enrolment: it is said on stderr). Returns the patient (> 0, with name and *ls filled), 0 when the code is not
 * live — which counts one failed code, exposing every live code to it — or -1 when the database failed. */
srv_store_id srv_store_enrol(srv_store *s, const char *code, const char *token, const srv_store_receipt *receipt,
                             char *name, size_t name_cap, lock_settings *ls);

/* A forgotten PIN: the recovery wrap a live reset code opens, the code used up in the same transaction. 1 with
 * wrap filled; 0 when there is none (unknown, used, expired or over-exposed code, no wrap stored, a revoked or
 * wiped device: one answer for all), which counts one failed code; -1 on error. */
int srv_store_take_reset_code(srv_store *s, const char *code, char *wrap, size_t wrap_cap);

/* The two below act for the device whose token asked, and check that token again inside their own transaction:
 * srv_store_auth's answer is already old when they run (the connection went back to the pool between), and by
 * then the clinic may have issued a new code and another tablet enrolled with it. Acting by patient alone, the
 * old tablet would then revoke the new one, or store its wrap under the new enrolment. */

/* PUT /v1/recovery: the first wrap for this enrolment is kept (CREATED), the same again is REPLAY, another is
 * CONFLICT; GONE when `token` is no longer patient's live token (nothing stored). */
srv_store_put_result srv_store_put_recovery(srv_store *s, srv_store_id patient, const char *token, const char *wrap);

/* DELETE /v1/device: the token revoked, the device marked wiped, its wrap and reset code gone. 1 done; 0 when
 * `token` is no longer patient's live token (nothing changed); -1 on error. */
int srv_store_device_wiped(srv_store *s, srv_store_id patient, const char *token);

/* The changes feed: each event with since < seq <= MS_JSON_MAX_ID, oldest first, at most `limit`. Returns how
 * many were given to fn, or -1 on error. A patient's events are committed in seq order — on PostgreSQL each writer
 * holds the patient's row while it adds one, on SQLite the database's one write lock (BEGIN IMMEDIATE) holds every
 * other writer off — so a cursor that has read seq N never later finds an event below N. */
typedef void (*srv_store_event_fn)(void *ctx, int64_t seq, const char *type, const char *data);
int srv_store_changes(srv_store *s, srv_store_id patient, int64_t since, int limit, srv_store_event_fn fn, void *ctx);

/* What the patient wrote, by the id their tablet made. A message's body and written_at, an answer's canonical
 * JSON, compared whole for REPLAY. A fresh answer also opens the modules in unlocks[] (those that open after its
 * questionnaire), in the same transaction. */
srv_store_put_result srv_store_put_message(srv_store *s, srv_store_id patient, const char *client_id, const char *body,
                                           const char *written_at);
srv_store_put_result srv_store_put_answer(srv_store *s, srv_store_id patient, const char *client_id, const char *canon,
                                          const char *const *unlocks, size_t n_unlocks);

/* ---- what a clinician does (admin.c) ---------------------------------------------------------------------- */

/* By number or by name; 0 when there is none, -1 on error. */
srv_store_id srv_store_find_patient(srv_store *s, const char *id_or_name);

/* Sets an enrolment code valid for valid_s seconds from now: a new patient called name (patient 0), or a fresh
 * code for an existing one (which un-revokes them). 1 with *id set; 0 when the code is some live enrolment or
 * reset code already (draw another); -1 on error. */
int srv_store_set_enrol_code(srv_store *s, srv_store_id patient, const char *name, const char *code, int64_t valid_s,
                             srv_store_id *id);

/* A reset code for a forgotten PIN, replacing the patient's earlier one; returns as srv_store_set_enrol_code. */
int srv_store_set_reset_code(srv_store *s, srv_store_id patient, const char *code, int64_t valid_s);

bool srv_store_lock_settings_load(srv_store *s, lock_settings *out);
bool srv_store_lock_settings_save(srv_store *s, const lock_settings *ls); /* after_s, pin_digits, max_failures */
bool srv_store_staff_code_set(srv_store *s, const char *hash);

/* A patient's current device. */
typedef struct {
    char name[256];
    bool enrolled; /* a live token */
    bool revoked, returned, wiped, wrap;
} srv_store_device;

bool srv_store_device_of(srv_store *s, srv_store_id patient, srv_store_device *d);

/* Every patient and their device, by id. Returns how many, or -1. */
typedef void (*srv_store_device_fn)(void *ctx, srv_store_id patient, const srv_store_device *d);
int srv_store_devices(srv_store *s, srv_store_device_fn fn, void *ctx);

/* The clinic has the tablet back: marked once, with a "returned" event for the tablet. 1 marked, 0 already
 * marked, -1 on error. */
int srv_store_mark_returned(srv_store *s, srv_store_id patient);

/* Opens a module for a patient, with an "unlock" event the first time. 1 opened now, 0 already open, -1. */
int srv_store_unlock(srv_store *s, srv_store_id patient, const char *module);

/* A therapist's reply (checked UTF-8 by the caller) and its "message" event, in one transaction. */
bool srv_store_post_reply(srv_store *s, srv_store_id patient, const char *text, const char *written_at);

/* The thread, oldest first; listing it is the therapist reading it: every unread patient message gets a "read"
 * event and its read time, in the same transaction. Returns how many, or -1. */
typedef struct {
    const char *client_id; /* NULL for the therapist's */
    bool from_patient;
    const char *written_at, *body;
} srv_store_message;
typedef void (*srv_store_message_fn)(void *ctx, const srv_store_message *m);
int srv_store_read_messages(srv_store *s, srv_store_id patient, srv_store_message_fn fn, void *ctx);

typedef void (*srv_store_answer_fn)(void *ctx, const char *client_id, const char *body);
int srv_store_answers(srv_store *s, srv_store_id patient, srv_store_answer_fn fn, void *ctx);

bool srv_store_revoke(srv_store *s, srv_store_id patient);

/* Wipe receipts, oldest first: received_at in unix seconds, for_patient 0 when the receipt did not say. */
typedef void (*srv_store_receipt_fn)(void *ctx, int64_t received_at, srv_store_id for_patient, const char *body);
int srv_store_receipts(srv_store *s, srv_store_receipt_fn fn, void *ctx);

#endif
