/* syncer.c — the client's sync thread: runs sync passes at start, on a timer, after failures with backoff,
 * on reconnect (the network coming back, seen by netwatch, or the server answering the short probe while
 * unreachable), and when asked ("sync now", an enrolment code), with its own store connection; the UI thread never
 * waits on it. It tells the UI through SDL events: new content to load, and a status (online, last synced). */
#include "syncer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "meistring/store.h"
#include "netwatch.h"
#include "meistring/sync.h"

struct syncer {
    SDL_Thread *thread;
    SDL_mutex *mu;
    SDL_cond *cv;
    bool quit, now;
    char server[512], db_path[600], key_path[600], content_dir[600];
    char code[16]; /* an enrolment code to try, "" when none */
    char receipt[MS_RECEIPT_MAX]; /* the wipe receipt sent with it, "" when none */
    unsigned char key[VAULT_KEY_BYTES]; /* the data key for a PIN store's connection; wiped once used */
    bool has_key;
    sync_engine *engine;
    netwatch *net;
    Uint32 event;
    syncer_status status;
};

static void post(syncer *s, int what) {
    SDL_Event e;
    SDL_zero(e);
    e.type = s->event;
    e.user.code = what;
    SDL_PushEvent(&e);
}

static void on_progress(void *ctx, int done, int total) {
    syncer *s = ctx;
    SDL_LockMutex(s->mu);
    s->status.files_done = done;
    s->status.files_total = total;
    SDL_UnlockMutex(s->mu);
    post(s, SYNCER_STATUS);
}

/* From netwatch's thread: the device's network changed. Only an offline syncer needs waking. */
static void on_network(void *ctx) {
    syncer *s = ctx;
    SDL_LockMutex(s->mu);
    if (!s->status.online && !s->status.syncing) {
        s->now = true;
        SDL_CondSignal(s->cv);
    }
    SDL_UnlockMutex(s->mu);
}

static int run(void *arg) {
    syncer *s = arg;
    char err[256];
    store *st = store_open(s->db_path, s->key_path, err, sizeof err);
    if (!st) fprintf(stderr, "meistring: sync: %s\n", err);
    if (st && store_locked(st) && (!s->has_key || !store_use_key(st, s->key))) {
        fprintf(stderr, "meistring: sync: the store is locked and no key fits it\n");
        store_close(st);
        st = NULL;
    }
    vault_wipe(s->key, sizeof s->key);
    int failures = 0;
    char *last = st ? store_sync_get(st, "last_synced") : NULL;
    SDL_LockMutex(s->mu);
    if (last) s->status.last_synced = atoll(last); /* "last updated 19:05" even before this run's first pass */
    free(last);
    while (!s->quit && st) {
        char code[16];
        snprintf(code, sizeof code, "%s", s->code);
        char *receipt = s->code[0] && s->receipt[0] ? strdup(s->receipt) : NULL;
        s->code[0] = '\0';
        s->status.syncing = true;
        SDL_UnlockMutex(s->mu);
        post(s, SYNCER_STATUS);
        sync_report rep;
        sync_result r = SYNC_OK;
        bool enrolled_now = false;
        if (code[0]) {
            r = sync_enrol(s->engine, st, code, receipt, &rep);
            if (r == SYNC_OK) {
                store_sync_set(st, "server", s->server);
                /* and unsealed: a locked tablet needs it for the clinic's reset code (lock.c) */
                store_set_setting(st, "clinic.server", s->server);
                enrolled_now = true;
            }
        }
        free(receipt);
        char *token = store_sync_get(st, "token");
        if (token && r == SYNC_OK) r = sync_once(s->engine, st, &rep);
        /* a new programme was validated and put where the reader loads it before it was committed (the engine's
         * content_dir); the reader is told only then */
        bool fresh = rep.manifest_changed;
        free(token);
        SDL_LockMutex(s->mu);
        s->status.syncing = false;
        s->status.files_done = s->status.files_total = 0;
        s->status.online = r == SYNC_OK || r == SYNC_RETURNED || r == SYNC_AUTH || r == SYNC_BAD_DATA || r == SYNC_BUSY ||
                           r == SYNC_CONTENT_REFUSED || r == SYNC_UPDATE_REQUIRED || r == SYNC_SERVER_ERROR;
        s->status.result = (int)r;
        s->status.passes++;
        s->status.enrol_failed = code[0] && !enrolled_now;
        s->status.enrol_result = s->status.enrol_failed ? (int)r : SYNC_OK;
        if (enrolled_now) s->receipt[0] = '\0'; /* handed over: the clinic has it */
        s->status.returned = r == SYNC_RETURNED;
        char *t = store_sync_get(st, "token");
        s->status.enrolled = t != NULL;
        free(t);
        if (r == SYNC_OK && s->status.enrolled) s->status.last_synced = (long long)time(NULL);
        snprintf(s->status.error, sizeof s->status.error, "%s", r == SYNC_OK ? "" : rep.msg);
        if (r == SYNC_RETURNED)
            fprintf(stderr, "meistring: sync: the clinic took the tablet back; everything queued was sent\n");
        else if (r != SYNC_OK)
            fprintf(stderr, "meistring: sync: %s\n", rep.msg); /* ids and statuses only */
        failures = r == SYNC_OK ? 0 : failures + 1;
        SDL_UnlockMutex(s->mu);
        if (fresh) post(s, SYNCER_CONTENT);
        post(s, SYNCER_STATUS);
        SDL_LockMutex(s->mu);
        int wait_s = sync_next_wait_s(r, &rep, failures, (unsigned)SDL_GetTicks());
        if (!s->quit && !s->now && !s->code[0]) SDL_CondWaitTimeout(s->cv, s->mu, (Uint32)wait_s * 1000u);
        s->now = false;
    }
    long long heard = st && !s->status.returned ? s->status.last_synced : 0;
    SDL_UnlockMutex(s->mu);
    /* a pass that brought nothing did not store its time (sync.c): the latest is stored once, here */
    char *stored = heard > 0 ? store_sync_get(st, "last_synced") : NULL;
    if (heard > 0 && (!stored || atoll(stored) < heard)) {
        char t[32];
        snprintf(t, sizeof t, "%lld", heard);
        store_sync_set(st, "last_synced", t);
    }
    free(stored);
    store_close(st);
    return 0;
}

syncer *syncer_start(const sync_config *net, const char *db_path, const char *key_path, const char *content_dir,
                     const unsigned char *data_key, Uint32 event) {
    const char *server = net->server;
    syncer *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    if (data_key) {
        memcpy(s->key, data_key, VAULT_KEY_BYTES);
        s->has_key = true;
    }
    snprintf(s->server, sizeof s->server, "%s", server);
    snprintf(s->db_path, sizeof s->db_path, "%s", db_path);
    snprintf(s->key_path, sizeof s->key_path, "%s", key_path);
    snprintf(s->content_dir, sizeof s->content_dir, "%s", content_dir);
    s->event = event;
    sync_config cfg = *net;
    cfg.content_dir = s->content_dir;
    s->engine = sync_new(&cfg);
    if (s->engine) sync_set_progress(s->engine, on_progress, s);
    s->mu = SDL_CreateMutex();
    s->cv = SDL_CreateCond();
    if (!s->engine || !s->mu || !s->cv) {
        syncer_stop(s);
        return NULL;
    }
    s->thread = SDL_CreateThread(run, "sync", s);
    if (!s->thread) {
        syncer_stop(s);
        return NULL;
    }
    s->net = netwatch_start(on_network, s); /* NULL where there are no such events: the probe still works */
    return s;
}

void syncer_stop(syncer *s) {
    if (!s) return;
    netwatch_stop(s->net); /* first: it calls into s */
    if (s->mu) {
        SDL_LockMutex(s->mu);
        s->quit = true;
        SDL_CondSignal(s->cv);
        SDL_UnlockMutex(s->mu);
    }
    if (s->engine) sync_wake(s->engine);
    if (s->thread) SDL_WaitThread(s->thread, NULL);
    sync_free(s->engine);
    if (s->cv) SDL_DestroyCond(s->cv);
    if (s->mu) SDL_DestroyMutex(s->mu);
    vault_wipe(s->key, sizeof s->key);
    free(s);
}

void syncer_now(syncer *s) {
    SDL_LockMutex(s->mu);
    s->now = true;
    SDL_CondSignal(s->cv);
    SDL_UnlockMutex(s->mu);
}

void syncer_enrol(syncer *s, const char *code, const char *receipt) {
    SDL_LockMutex(s->mu);
    snprintf(s->code, sizeof s->code, "%s", code);
    snprintf(s->receipt, sizeof s->receipt, "%s", receipt ? receipt : "");
    SDL_CondSignal(s->cv);
    SDL_UnlockMutex(s->mu);
}

syncer_status syncer_get_status(syncer *s) {
    SDL_LockMutex(s->mu);
    syncer_status st = s->status;
    SDL_UnlockMutex(s->mu);
    return st;
}
