/* sync.h — the client's side of the sync protocol (docs/sync-protocol.md): enrol, then passes of
 * manifest → missing blobs (SHA-256 verified, resumable) → changes feed → outbox. Every write goes through the
 * store in transactions, so a kill at any moment leaves either the old or the new state; the store is the
 * single source of truth. A sync object owns one handle of the network module (a curl multi handle) and is used from one thread (the sync
 * thread); sync_wake may be called from any thread to cut a wait short. */
#ifndef MEISTRING_SYNC_H
#define MEISTRING_SYNC_H

#include <stdbool.h>
#include <stddef.h>

#include "meistring/config.h"
#include "meistring/store.h"

typedef struct sync_engine sync_engine;

typedef struct {
    /* https://host[:port][/path], or http:// on loopback only. Loopback means the host is "localhost" or a
     * 127.0.0.0/8 or ::1 literal, decided on the parsed URL (never on its text), and every connection is then
     * checked to go to a loopback address; a URL with user info, a query or a fragment is refused. */
    const char *server;
    const char *pin_sha256;  /* optional public-key pin, curl's "sha256//…" form; "a;b" for a backup pin */
    const char *ca_file;     /* optional CA bundle (PEM) instead of the system's: a health region's own CA */
    long timeout_ms;         /* per request; 0: 20 s */
    const char *content_dir; /* where a new programme is written (sync_materialize) before it is committed;
                              * NULL: the manifest is committed unchecked (tests of the protocol alone) */
} sync_config;

typedef enum {
    SYNC_OK = 0,
    SYNC_OFFLINE,      /* no connection, a dropped one, a timeout: try again later */
    SYNC_SERVER_ERROR, /* 5xx */
    SYNC_BUSY,         /* 429: wait retry_after_s */
    SYNC_BAD_DATA,     /* malformed, over a cap, or a blob whose bytes do not match their hash */
    SYNC_AUTH,         /* 401/403: the device is not (or no longer) enrolled */
    SYNC_REFUSED,         /* bad configuration: not https, a redirect, … */
    SYNC_CONTENT_REFUSED, /* the server's new programme does not pass the validator: the old one stays */
    SYNC_UPDATE_REQUIRED, /* 426: the server needs a newer client */
    SYNC_DISK_FULL,       /* the store or the content directory could not be written: no room */
    SYNC_RETURNED,        /* the clinic marked the tablet returned, everything queued has been sent and the
                           * server has forgotten the device: wipe it now (lock.c) */
    SYNC_NO_NETWORK       /* the network module (meistring-net.so) could not be loaded: nothing can be sent until
                           * it is installed; the reason is in sync_report.msg */
} sync_result;

/* Every request says which client it comes from (User-Agent "Meistring/VERSION" and X-Meistring-Version), so a
 * server can answer 426 and ask for an update instead of misreading an old client. */
const char *sync_client_version(void);

typedef struct {
    int blobs_fetched, messages_sent, items, retry_after_s;
    long bytes_in, bytes_out;
    bool manifest_changed;
    int files_written, files_kept; /* the programme on disk after a new manifest: files written, and files kept
                                    * unchanged (linked from the programme in place, no byte written) */
    bool unreachable; /* SYNC_OFFLINE because no connection could be made at all (refused, no route, no DNS):
                       * the server saw nothing, so retrying soon costs it nothing */
    char msg[256];    /* what went wrong, for the log: never content or patient text */
} sync_report;

/* The network code (libcurl and its TLS stack) is a module loaded by the first sync_new, so a client without a
 * server never maps it (src/core/sync_net.h). When it cannot be loaded, sync_new still returns an engine whose
 * passes end as SYNC_NO_NETWORK. */
sync_engine *sync_new(const sync_config *cfg);
/* Load the network module from this file instead of looking for it (--net-module); before the first sync_new. */
void sync_set_net_module(const char *path);
void sync_free(sync_engine *s); /* NULL is a no-op */
/* Thread-safe: give up the transfer in progress at once (the pass ends as SYNC_OFFLINE). For closing the app
 * without waiting out a slow network; the next pass starts afresh. */
void sync_wake(sync_engine *s);

/* Called from the sync thread while content downloads: files done of files needed, this pass. */
void sync_set_progress(sync_engine *s, void (*fn)(void *ctx, int done, int total), void *ctx);

/* Exchanges a one-time code for a device token; stores token, patient and clinic, and the clinic's lock
 * settings (as unsealed settings "lock.after_s", "lock.pin_digits", "lock.max_failures", "lock.staff_code_hash":
 * the lock screen needs them before the data key is open). receipt_json, when not NULL, is the wipe receipt of
 * this tablet's last patient (paths_receipt_load), sent so the clinic can record that it was purged. */
sync_result sync_enrol(sync_engine *s, store *st, const char *code, const char *receipt_json, sync_report *rep);

/* A forgotten PIN: exchanges the clinic's one-time reset code for the recovery wrap the server keeps (no token:
 * a locked tablet cannot read its own). The wrap (base64-decoded, *len bytes, the caller frees it) opens only
 * with this tablet's device key (store_recover). NULL with rep->msg and *result on failure: SYNC_AUTH for an
 * unknown, used or expired code. */
unsigned char *sync_recover(sync_engine *s, const char *code, size_t *len, sync_result *result, sync_report *rep);

/* A tablet wiped by staff tells the server to forget its token (DELETE /v1/device); best effort. The token is
 * the caller's copy (the store is being destroyed meanwhile). */
sync_result sync_forget_token(sync_engine *s, const char *token, sync_report *rep);

/* One pass: outbox, the recovery wrap (once per enrolment), manifest, blobs, changes. Stops at the first failure
 * (the next pass resumes). When the changes say the clinic has taken the tablet back ("returned") and nothing is
 * left to send, the server is told to forget the device and the pass ends SYNC_RETURNED. */
sync_result sync_once(sync_engine *s, store *st, sync_report *rep);

/* Writes the committed (synced) programme as a content directory (docs/content-format.md) into dir, so the
 * reader loads it like any other: programme.json with each module's unlocked flag from the manifest, the module
 * documents, the images, all from verified blobs. A locked module gets a one-page placeholder (its content is
 * not sent). Built in dir + ".new", checked with the validator's rules (doc_validate_dir), and swapped in with
 * rename only when valid, so a kill or a bad programme never leaves the reader with nothing. sync_once does the
 * same for a new manifest before committing it (sync_config.content_dir); this rebuilds what was committed.
 * SYNC_OK, SYNC_CONTENT_REFUSED (invalid: dir untouched), SYNC_DISK_FULL or SYNC_BAD_DATA (nothing synced). */
sync_result sync_materialize(store *st, const char *dir, char *err, size_t errcap);

/* Backoff before the next attempt after `failures` failed passes: 2^n seconds up to MS_SYNC_BACKOFF_MAX_S (15 min),
 * with ±25 % jitter; a server's Retry-After wins when longer. */
int sync_backoff_s(int failures, int retry_after_s, unsigned seed);

/* The pass period and the unreachable-server probe interval: MS_SYNC_PERIOD_S and MS_SYNC_PROBE_S (config.h). */
/* Seconds to wait before the next pass after one that ended with r; failures counts the failed passes in a row
 * (including this one). The sync thread's whole timing policy, in one place. */
int sync_next_wait_s(sync_result r, const sync_report *rep, int failures, unsigned seed);

/* For fuzzing and tests: requests are answered in-process by fn instead of going out through curl. fn fills
 * the status, the body and its length (borrowed until the next call) and etag (cap 128; may stay ""), and
 * returns false for a connection that failed. All after the transfer (caps, parsing, hashes, store) is real. */
typedef bool (*sync_transport_fn)(void *ctx, const char *method, const char *path, const char *req_body,
                                  long *status, const unsigned char **body, size_t *len, char *etag);
void sync_set_transport(sync_engine *s, sync_transport_fn fn, void *ctx);

/* The SHA-256 of data as 64 lowercase hex digits: how blobs are named (docs/sync-protocol.md). */
void sync_sha256_hex(const unsigned char *data, size_t len, char out[65]);

/* A new client id for something the patient wrote: 32 hex characters from libsodium's random source. */
void sync_new_id(char out[33]);

/* The patient sends a message: in one transaction it is stored ("saved" on the tablet), queued in the outbox
 * with a new id (written to id_out), and the draft under draft_key (or none, NULL) is cleared. Works offline;
 * the next pass sends it. False, with nothing changed, when the store refuses. */
bool sync_queue_message(store *st, const char *text, const char *draft_key, char id_out[33]);
/* Queues the exercise block's answers for the server, if this revision has not been queued yet: the outbox row
 * ({"block", "fields", "rev", "written_at"}, a new id in id_out) and the revision mark in one transaction. True
 * with id_out "" when there was nothing new; false when there are no answers or the store refuses. */
bool sync_queue_answer(store *st, const char *block, char id_out[33]);
/* The patient submits a questionnaire: in one transaction its score is kept for the patient's plot
 * (store_score_add), it is queued for the server ({"block", "fields": answers, "rev": 1, "written_at",
 * "questionnaire": {"instrument", "total", "max", "band"}} under a new id), and the in-progress draft under
 * draft_key is cleared. answers_json is {"item id": score, …}. urgent: the answers asked for where help is (PHQ-9's
 * item 9 above 0); the patient's own record says so ("urgent": true), for «Mine resultater» to say it again that
 * week, whatever content is loaded then. */
bool sync_submit_questionnaire(store *st, const char *block, const char *instrument, const char *answers_json,
                               int total, int max, const char *band, bool urgent, const char *draft_key,
                               char id_out[33]);
/* "Send again" for a message the server refused: a new id, a new outbox row (store_message_resend). */
bool sync_resend_message(store *st, const char *old_id, const char *text, const char *written_at, char id_out[33]);

#endif
