/* syncer.h — the sync thread of the client (see syncer.c). Owns a sync_engine and its own store connection;
 * talks to the UI only through SDL user events of the given type (code SYNCER_STATUS or SYNCER_CONTENT). */
#ifndef MS_APP_SYNCER_H
#define MS_APP_SYNCER_H

#include <SDL2/SDL.h>
#include <stdbool.h>

#include "meistring/sync.h"

typedef struct syncer syncer;

enum { SYNCER_STATUS = 1, SYNCER_CONTENT = 2 };

typedef struct {
    bool syncing, online, enrolled, enrol_failed;
    int enrol_result; /* with enrol_failed, why (a sync_result): SYNC_AUTH the code was refused, SYNC_OFFLINE no
                       * answer, SYNC_BUSY too many tries; the patient is told which (enrol_error_key) */
    bool returned; /* the clinic took the tablet back and everything queued was sent: wipe (lock.c) */
    int result;                  /* the last pass's sync_result (SYNC_OK, SYNC_AUTH: revoked, …); what home says */
    int passes;                  /* passes finished since start (the harness waits on it: wait-sync) */
    long long last_synced;       /* unix time of the last good pass, 0: never */
    int files_done, files_total; /* content downloading now (total 0: none) */
    char error[256];             /* the last failure, for the log and a status line; never patient text */
} syncer_status;

/* Starts the thread: a pass at once, then every 5 minutes, sooner after syncer_now, with backoff after a
 * failure. New content is written to content_dir (sync_materialize) before SYNCER_CONTENT is posted. */
/* net: the server, its pin and CA (sync.h); copied. content_dir is set by the syncer, not taken from net. */
/* data_key: the store's data key when the patient has a PIN (the thread's own connection opens locked and is
 * given it: store_use_key); NULL for a store still wrapped under the device key alone. Copied, and wiped from the
 * syncer's memory once used. */
syncer *syncer_start(const sync_config *net, const char *db_path, const char *key_path, const char *content_dir,
                     const unsigned char *data_key, Uint32 event);
void syncer_stop(syncer *s);                                 /* waits for the thread; NULL is a no-op */
void syncer_now(syncer *s);                                  /* "Synkroniser nå", or a reconnect */
/* receipt: the last patient's wipe receipt to hand the clinic with the code (paths.h), or NULL. */
void syncer_enrol(syncer *s, const char *code, const char *receipt);
syncer_status syncer_get_status(syncer *s);

#endif
