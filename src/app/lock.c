/* lock.c — the loaned tablet's lock: see lock.h for the rules. */
#define _GNU_SOURCE /* strptime, timegm */
#include "lock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "input.h"
#include "pages.h"
#include "readaloud.h"
#include "screens.h"
#include "meistring/lockout.h"
#include "meistring/sync.h"

static lock_state ls;
static lockout lo;
static Uint32 last_touch;  /* app_ticks of the last input: the idle clock */
static bool away;          /* the window lost focus or was hidden, and has not come back */
static Uint32 away_since;  /* app_ticks when it went (valid while away) */
static Uint32 wait_until;  /* app_ticks before which no PIN is tried; 0: none */
static Sint64 sleep_skew;  /* CLOCK_BOOTTIME − CLOCK_MONOTONIC at the last look: grows while the machine sleeps */
static bool recovering;    /* a reset code opened the store: a new PIN must be chosen before anything else */
static bool wiped;         /* wiped: the store is in memory until the next enrolment code */
static bool place_pending; /* started locked: the saved place is restored at the first unlock */
static bool pin_deferred;  /* the disk was full when the PIN was chosen: not asked again this session */
static char receipt_line[1024];
static void describe_receipt(app *a, const char *json);

/* ---- the slow work, on a thread of its own -------------------------------------------------------------------
 * Argon2id (vault_pin_key) costs a quarter of a second and 64 MiB; a reset code goes over the network. The UI
 * thread hands the secret over, and picks the answer up in lock_tick. */
enum { JOB_UNLOCK = 1, JOB_OLD, JOB_SET, JOB_CODE };
static struct {
    SDL_atomic_t state; /* 0 idle, 1 working, 2 done */
    int kind;
    char secret[16]; /* the PIN or the code; wiped by the thread */
    vault_pin_params pp;
    unsigned char dev[VAULT_KEY_BYTES], kek[VAULT_KEY_BYTES];
    bool ok;
    sync_config net;
    char server[512], pin[256], ca[512];
    unsigned char *wrap;
    size_t wrap_len;
    int result;
} job;

static int job_run(void *arg) {
    (void)arg;
    if (job.kind == JOB_CODE) {
        sync_engine *e = sync_new(&job.net);
        sync_report rep;
        sync_result r = SYNC_OFFLINE;
        job.wrap = e ? sync_recover(e, job.secret, &job.wrap_len, &r, &rep) : NULL;
        if (r != SYNC_OK) app_log("lock: the reset code did not work: %s", rep.msg); /* never the code */
        job.result = (int)r;
        sync_free(e);
    } else {
        job.ok = vault_pin_key(job.secret, &job.pp, job.dev, job.kek);
    }
    sodium_memzero(job.secret, sizeof job.secret);
    sodium_memzero(job.dev, sizeof job.dev);
    SDL_AtomicSet(&job.state, 2);
    return 0;
}

static bool job_start(app *a, int kind, const char *secret) {
    if (SDL_AtomicGet(&job.state) != 0) return false;
    job.kind = kind;
    snprintf(job.secret, sizeof job.secret, "%s", secret);
    if (kind != JOB_CODE && !store_device_key(a->st, job.dev)) return false;
    if (kind == JOB_SET)
        vault_pin_params_new(&job.pp);
    else if (kind != JOB_CODE && !store_pin_params(a->st, &job.pp))
        return false;
    if (kind == JOB_CODE) {
        snprintf(job.server, sizeof job.server, "%s", a->server);
        snprintf(job.pin, sizeof job.pin, "%s", a->opt.pin ? a->opt.pin : "");
        snprintf(job.ca, sizeof job.ca, "%s", a->opt.ca ? a->opt.ca : "");
        job.net = (sync_config){.server = job.server, .pin_sha256 = job.pin[0] ? job.pin : NULL,
                                .ca_file = job.ca[0] ? job.ca : NULL};
    }
    ls.checking = true;
    SDL_AtomicSet(&job.state, 1);
    SDL_Thread *t = SDL_CreateThread(job_run, "lock", NULL);
    if (t)
        SDL_DetachThread(t);
    else
        job_run(NULL); /* no thread: the screen stalls for a moment, but the answer is the same */
    return true;
}

/* ---- the state ---------------------------------------------------------------------------------------------- */

static int setting_int(app *a, const char *key, int def, int min, int max) {
    char v[24];
    if (!store_get_setting(a->st, key, v, sizeof v)) return def;
    int n = atoi(v);
    return n < min || n > max ? def : n;
}


static Sint64 sleep_clock(void) {
    struct timespec b, m;
    clock_gettime(CLOCK_BOOTTIME, &b);
    clock_gettime(CLOCK_MONOTONIC, &m);
    return ((Sint64)b.tv_sec - m.tv_sec) * 1000 + (b.tv_nsec - m.tv_nsec) / 1000000;
}

const lock_state *lock_get(void) { return &ls; }

bool lock_place_pending(void) { return place_pending; }

static bool enrolled(app *a) {
    if (a->opt.kiosk || a->memory_only) return false;
    if (store_locked(a->st)) return true;
    char *t = store_sync_get(a->st, "token");
    free(t);
    return t != NULL;
}

static void refresh(app *a) {
    ls.has_pin = store_has_pin(a->st);
    ls.failures = lo.failures;
    ls.need_code = lo.need_code;
    ls.pin_digits = setting_int(a, "lock.pin_digits", MS_PIN_DEFAULT_DIGITS, MS_PIN_MIN_DIGITS, MS_PIN_MAX_DIGITS);
    ls.after_s = setting_int(a, "lock.after_s", MS_LOCK_AFTER_S, 30, 3600);
    ls.max_failures = setting_int(a, "lock.max_failures", MS_LOCK_MAX_FAILURES, 6, 20);
    char h[16];
    ls.has_staff_code = store_get_setting(a->st, "lock.staff_code_hash", h, sizeof h) && strncmp(h, "$argon2id$", 10) == 0;
    ls.must_choose = recovering || (!ls.has_pin && !pin_deferred && enrolled(a) && !a->enrolling);
}

void lock_start(app *a) {
    memset(&ls, 0, sizeof ls);
    recovering = false;
    last_touch = app_ticks(a);
    sleep_skew = sleep_clock();
    if (a->opt.kiosk || a->memory_only) return;
    lockout_load(a->st, &lo);
    refresh(a);
    /* a restart does not shorten a wait: it starts again in full (the wall clock is not to be trusted) */
    int d = lockout_delay_s(lo.failures);
    wait_until = d ? (app_ticks(a) + (Uint32)d * 1000u) | 1u : 0;
    ls.wait_s = d; /* shown on the first frame, not a second later */
    ls.locked = store_locked(a->st);
    place_pending = ls.locked;
    char *r = paths_receipt_load(&a->paths);
    if (r) {
        describe_receipt(a, r);
        free(r);
    }
}

void lock_now(app *a, const char *why) {
    if (!ls.has_pin || ls.locked || a->opt.kiosk) return;
    app_log("lock: locked (%s)", why);
    ls.locked = true;
    ls.wrong = ls.repeated = false;
    readaloud_close(a);
    SDL_StopTextInput();
    app_dismiss_toast(a);
    ren_forget_text(a->rn); /* what was drawn (the patient's words among it) leaves the text cache */
    input_reset();
    lock_enforce(a);
    a->dirty = true;
}

static bool is_input(Uint32 t) {
    return t == SDL_MOUSEBUTTONDOWN || t == SDL_FINGERDOWN || t == SDL_KEYDOWN || t == SDL_MOUSEWHEEL ||
           t == SDL_TEXTINPUT || t == SDL_FINGERMOTION || t == SDL_MOUSEMOTION;
}

/* The machine slept (a lid closed, the power button) for longer than the grace: CLOCK_MONOTONIC stood still. */
static void check_sleep(app *a) {
    Sint64 now = sleep_clock();
    if (now - sleep_skew > (Sint64)MS_LOCK_FOCUS_GRACE_S * 1000) lock_now(a, "the tablet slept");
    sleep_skew = now;
}

bool lock_guard(app *a, const SDL_Event *e) {
    if (a->opt.kiosk || !ls.has_pin) return false;
    check_sleep(a);
    if (is_input(e->type) && !(e->type == SDL_KEYDOWN && e->key.repeat)) last_touch = app_ticks(a);
    if (e->type == SDL_WINDOWEVENT) {
        Uint8 w = e->window.event;
        if (w == SDL_WINDOWEVENT_FOCUS_LOST || w == SDL_WINDOWEVENT_HIDDEN || w == SDL_WINDOWEVENT_MINIMIZED) {
            if (!away) {
                away = true;
                away_since = app_ticks(a);
            }
        } else if (w == SDL_WINDOWEVENT_FOCUS_GAINED || w == SDL_WINDOWEVENT_SHOWN || w == SDL_WINDOWEVENT_RESTORED) {
            if (away && app_ticks(a) - away_since >= MS_LOCK_FOCUS_GRACE_S * 1000u) lock_now(a, "away");
            away = false;
            last_touch = app_ticks(a);
        }
    } else if ((e->type == SDL_APP_WILLENTERBACKGROUND || e->type == SDL_APP_DIDENTERBACKGROUND) && !away) {
        away = true;
        away_since = app_ticks(a);
    }
    return false;
}

bool lock_blocks(const app *a, app_action act) {
    (void)a;
    if (!ls.locked && !ls.must_choose) return false;
    switch (act) {
    case ACT_NONE:
    case ACT_HELP:
    case ACT_BACK:
    case ACT_PIN:
    case ACT_STAFF:
    case ACT_SPEAK: /* the lock read aloud (its digits never: readaloud_secret_key) */
    case ACT_TOAST_CLOSE: return false;
    default: return true;
    }
}

static bool on_stack(const app *a, app_screen s) {
    for (int i = 0; i < a->depth; i++)
        if (a->stack[i] == s) return true;
    return false;
}

/* Help and staff may stand over the lock, but only over it: Back from them must land on the lock screen, never on
 * the patient's screen for the moment until the next frame (a key in the same batch would reach the editor). */
static bool allowed_on_top(const app *a, bool locked) {
    app_screen s = a->screen;
    if (s == SCREEN_HELP || s == SCREEN_STAFF) return on_stack(a, locked ? SCREEN_LOCK : SCREEN_PIN) || !locked;
    return locked ? s == SCREEN_LOCK : s == SCREEN_PIN;
}

void lock_enforce(app *a) {
    if (a->opt.kiosk) return;
    if (ls.locked && !recovering) {
        if (!allowed_on_top(a, true)) {
            while (a->depth > 1 && (a->screen == SCREEN_HELP || a->screen == SCREEN_STAFF)) nav_pop(a);
            if (a->screen != SCREEN_LOCK) nav_push(a, SCREEN_LOCK);
            a->dirty = true;
        }
    } else if (ls.must_choose) {
        if (a->screen != SCREEN_PIN && a->screen != SCREEN_HELP) {
            while (a->depth > 1 && a->screen == SCREEN_LOCK) nav_pop(a);
            pin_open(a, recovering ? PIN_RECOVER : PIN_FIRST);
            a->dirty = true;
        }
    }
}

int lock_deadline_ms(const app *a) {
    if (a->opt.kiosk) return -1;
    if (SDL_AtomicGet(&job.state) != 0) return 50;
    int ms = -1;
    if (ls.locked) {
        if (wait_until) ms = 1000; /* the countdown */
        return ms;
    }
    if (!ls.has_pin) return -1;
    int after = ls.after_s * 1000;
    Uint32 idle = app_ticks(a) - last_touch;
    ms = idle >= (Uint32)after ? 0 : (int)((Uint32)after - idle);
    if (away) {
        Uint32 gone = app_ticks(a) - away_since, grace = MS_LOCK_FOCUS_GRACE_S * 1000u;
        int g = gone >= grace ? 0 : (int)(grace - gone);
        if (g < ms) ms = g;
    }
    return ms;
}

static void unlocked(app *a) {
    lockout_clear(&lo);
    if (!lockout_save(a->st, &lo)) app_log("lock: the cleared count was not saved: %s", store_last_error(a->st));
    wait_until = 0;
    ls.locked = false;
    ls.wrong = ls.repeated = false;
    last_touch = app_ticks(a);
    /* the first unlock since the start: what was sealed can be read now (the thread, the scores, the draft the
     * saved place may reopen), and sync can begin */
    messages_load(a);
    scores_load(a);
    if (place_pending) {
        place_pending = false;
        nav_restore_place(a); /* the screen the patient left, the editor with its draft among them */
    }
    while (a->depth > 1 && (a->screen == SCREEN_LOCK || a->screen == SCREEN_PIN)) nav_pop(a);
    if (a->screen == SCREEN_LOCK || a->screen == SCREEN_PIN) nav_reset(a, SCREEN_HOME);
    if (!a->sync && a->server[0]) app_start_sync(a);
    app_log("lock: unlocked");
}

static void job_done(app *a) {
    int kind = job.kind;
    ls.checking = false;
    if (kind == JOB_CODE) {
        sync_result r = (sync_result)job.result;
        ls.code_result = r == SYNC_OFFLINE ? 1 : r == SYNC_BUSY ? 3 : r == SYNC_OK ? 4 : 2;
        if (job.wrap && store_recover(a->st, job.wrap, job.wrap_len)) {
            ls.code_result = 0;
            recovering = true; /* the data key is open: a new PIN before anything else */
            lock_screen_forget(); /* the next lock asks for the PIN, not for a code */
            lockout_clear(&lo);
            lockout_save(a->st, &lo);
            wait_until = 0;
            app_log("lock: the clinic's reset code opened the tablet; a new PIN is next");
        }
        if (job.wrap) sodium_memzero(job.wrap, job.wrap_len);
        free(job.wrap);
        job.wrap = NULL;
    } else if (!job.ok) {
        app_log("lock: no memory for the PIN check");
        ls.wrong = true;
    } else if (kind == JOB_SET) {
        if (store_set_pin(a->st, &job.pp, job.kek)) {
            ls.pin_set = true;
            ls.has_pin = true;
            app_log("lock: a new PIN is in force");
            if (recovering || ls.must_choose) {
                recovering = false;
                ls.must_choose = false;
                unlocked(a);
                if (!a->sync && a->server[0]) app_start_sync(a);
            }
        } else if (store_disk_full(a->st) && (recovering || ls.must_choose)) {
            /* the disk is full: a PIN that cannot be saved must not keep the patient from reading. In for this
             * session (the store is still wrapped as before), asked again at the next start */
            app_log("lock: the disk is full: the PIN could not be saved; asked again at the next start");
            pin_deferred = true;
            recovering = false;
            app_show_error(a, "pin.full"); /* read until closed: it says what happens at the next start */
            unlocked(a);
        } else {
            app_log("lock: the new PIN was not saved: %s", store_last_error(a->st));
            ls.wrong = true;
        }
    } else if (store_unlock_pin(a->st, job.kek)) {
        if (kind == JOB_OLD) {
            lockout_clear(&lo);
            lockout_save(a->st, &lo);
            ls.old_ok = true;
        } else {
            unlocked(a);
        }
    } else {
        /* already counted before the check (lock_try_pin): only the wait starts now */
        ls.wrong = true;
        int d = lockout_delay_s(lo.failures);
        wait_until = d ? (app_ticks(a) + (Uint32)d * 1000u) | 1u : 0;
        app_log("lock: a wrong PIN (%d so far)", lo.failures);
    }
    sodium_memzero(job.kek, sizeof job.kek);
    SDL_AtomicSet(&job.state, 0);
    refresh(a);
}

bool lock_tick(app *a) {
    if (a->opt.kiosk) return false;
    bool redraw = false;
    if (SDL_AtomicGet(&job.state) == 2) {
        job_done(a);
        redraw = true;
    }
    check_sleep(a);
    if (wait_until) {
        Sint32 left = (Sint32)(wait_until - app_ticks(a));
        ls.wait_s = left <= 0 ? 0 : (left + 999) / 1000;
        if (left <= 0) wait_until = 0;
        redraw = redraw || ls.locked;
    } else {
        ls.wait_s = 0;
    }
    if (!ls.locked && ls.has_pin) {
        if (app_ticks(a) - last_touch >= (Uint32)ls.after_s * 1000u) lock_now(a, "idle");
        if (away && app_ticks(a) - away_since >= MS_LOCK_FOCUS_GRACE_S * 1000u) lock_now(a, "away");
        redraw = redraw || ls.locked;
    }
    return redraw;
}

void lock_synced(app *a) {
    if (a->opt.kiosk) return;
    if (a->sync_status.returned) {
        lock_wipe(a, "remote");
        return;
    }
    if (a->sync_status.enrolled && receipt_line[0]) {
        paths_receipt_clear(&a->paths); /* handed to the clinic with the enrolment */
        receipt_line[0] = '\0';
    }
    refresh(a);
    lock_enforce(a);
}

/* ---- the screens' requests ------------------------------------------------------------------------------- */

static void fingerprint(app *a, const char *pin, unsigned char fp[VAULT_PIN_FP_BYTES]) {
    vault_pin_params pp;
    unsigned char dev[VAULT_KEY_BYTES];
    memset(fp, 0, VAULT_PIN_FP_BYTES);
    if (store_pin_params(a->st, &pp) && store_device_key(a->st, dev)) vault_pin_fingerprint(pin, &pp, dev, fp);
    sodium_memzero(dev, sizeof dev);
}

/* A try of the PIN: refused while the wait runs or when only the code opens it; a PIN already counted is known
 * wrong (no check, no count); else it is counted and saved first, then checked. */
static void try_pin(app *a, const char *pin, int kind) {
    ls.wrong = ls.repeated = false;
    if (ls.checking || wait_until || lo.need_code || !pin[0]) return;
    unsigned char fp[VAULT_PIN_FP_BYTES];
    fingerprint(a, pin, fp);
    if (lockout_seen(&lo, fp)) {
        ls.wrong = ls.repeated = true;
        int d = lockout_delay_s(lo.failures);
        wait_until = d ? (app_ticks(a) + (Uint32)d * 1000u) | 1u : 0;
        return;
    }
    lockout_count(&lo, fp, ls.max_failures);
    if (!lockout_save(a->st, &lo)) {
        /* a full disk must not lock the patient out of their own tablet: the try is counted in memory (the waits
         * still hold while the app runs) and checked. What a kill could buy here needs a disk filled from
         * outside the app, that is, the disk itself, and with it the offline attack docs/encryption.md states */
        app_log("lock: the try could not be saved (%s); counted in memory only", store_last_error(a->st));
    }
    ls.failures = lo.failures;
    job_start(a, kind, pin);
}

void lock_try_pin(app *a, const char *pin) { try_pin(a, pin, JOB_UNLOCK); }
void lock_check_old(app *a, const char *pin) { try_pin(a, pin, JOB_OLD); }

void lock_choose_pin(app *a, const char *pin) {
    ls.pin_set = false;
    if (!lock_pin_acceptable(pin) || store_locked(a->st)) return;
    job_start(a, JOB_SET, pin);
}

void lock_try_code(app *a, const char *code) {
    ls.code_result = 0;
    if (ls.checking || !a->server[0]) {
        ls.code_result = 1;
        return;
    }
    job_start(a, JOB_CODE, code);
}

void lock_forget_result(void) { ls.wrong = ls.repeated = ls.old_ok = ls.pin_set = false; }

bool lock_pin_acceptable(const char *pin) {
    size_t n = strlen(pin);
    if (n < (size_t)ls.pin_digits || n > MS_PIN_MAX_DIGITS || (ls.pin_digits == 0 && n < MS_PIN_DEFAULT_DIGITS))
        return false;
    bool same = true, up = true, down = true;
    for (size_t i = 1; i < n; i++) {
        same = same && pin[i] == pin[0];
        up = up && pin[i] == pin[i - 1] + 1;
        down = down && pin[i] == pin[i - 1] - 1;
    }
    return !(same || up || down);
}

/* ---- the wipe -------------------------------------------------------------------------------------------------- */

/* The receipt in one line for staff: when (local time), why, how much was destroyed, what failed, what was unsent. */
static void describe_receipt(app *a, const char *json) {
    receipt_line[0] = '\0';
    cJSON *j = cJSON_Parse(json);
    const cJSON *when = cJSON_GetObjectItemCaseSensitive(j, "wiped_at"),
                *why = cJSON_GetObjectItemCaseSensitive(j, "reason"),
                *what = cJSON_GetObjectItemCaseSensitive(j, "destroyed"),
                *unsent = cJSON_GetObjectItemCaseSensitive(j, "unsent");
    if (cJSON_IsString(when) && cJSON_IsString(why) && cJSON_IsArray(what)) {
        double bytes = 0;
        int failed = 0;
        const cJSON *it;
        cJSON_ArrayForEach(it, what) {
            const cJSON *b = cJSON_GetObjectItemCaseSensitive(it, "bytes"), *how = cJSON_GetObjectItemCaseSensitive(it, "how");
            if (cJSON_IsNumber(b)) bytes += b->valuedouble;
            if (cJSON_IsString(how) && strcmp(how->valuestring, "failed") == 0) failed++;
        }
        struct tm tm = {0};
        char at[40], size[24], count[16], nfail[16];
        snprintf(at, sizeof at, "%s", when->valuestring);
        if (strptime(when->valuestring, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
            time_t t = timegm(&tm);
            strftime(at, sizeof at, "%d.%m.%Y %H:%M", localtime(&t));
        }
        snprintf(size, sizeof size, "%.0f kB", bytes / 1000.0);
        snprintf(count, sizeof count, "%d", cJSON_IsNumber(unsent) ? unsent->valueint : 0);
        snprintf(nfail, sizeof nfail, "%d", failed);
        const char *args[5] = {at,
                               app_tr(a, strcmp(why->valuestring, "remote") == 0 ? "lock.receipt_remote"
                                                                                : "lock.receipt_staff"),
                               size, count, nfail};
        i18n_format(receipt_line, sizeof receipt_line, app_tr(a, failed ? "lock.receipt_failed" : "lock.receipt"), 5,
                    args);
    }
    cJSON_Delete(j);
}

/* A staff wipe tells the server to forget the token (a remote one already did, before the wipe), on a thread of
 * its own so the wipe does not wait for the network; the token copy is wiped when it is done. */
static struct {
    char token[MS_SYNC_MAX_TOKEN + 1], server[512], pin[256], ca[512];
} forget;

static int forget_run(void *arg) {
    (void)arg;
    sync_config net = {.server = forget.server, .pin_sha256 = forget.pin[0] ? forget.pin : NULL,
                       .ca_file = forget.ca[0] ? forget.ca : NULL};
    sync_engine *e = sync_new(&net);
    sync_report rep;
    sync_result r = e ? sync_forget_token(e, forget.token, &rep) : SYNC_OFFLINE;
    app_log("lock: the server %s the wiped tablet", r == SYNC_OK ? "has forgotten" : "could not be told about");
    sync_free(e);
    sodium_memzero(forget.token, sizeof forget.token);
    return 0;
}

static void tell_server(app *a) {
    char *token = a->server[0] ? store_sync_get(a->st, "token") : NULL; /* NULL when locked since start */
    if (!token) return;
    snprintf(forget.token, sizeof forget.token, "%s", token);
    sodium_memzero(token, strlen(token));
    free(token);
    snprintf(forget.server, sizeof forget.server, "%s", a->server);
    snprintf(forget.pin, sizeof forget.pin, "%s", a->opt.pin ? a->opt.pin : "");
    snprintf(forget.ca, sizeof forget.ca, "%s", a->opt.ca ? a->opt.ca : "");
    SDL_Thread *t = SDL_CreateThread(forget_run, "forget", NULL);
    if (t)
        SDL_DetachThread(t);
    else
        sodium_memzero(forget.token, sizeof forget.token);
}

void lock_wipe(app *a, const char *reason) {
    Uint64 t0 = SDL_GetPerformanceCounter();
    if (strcmp(reason, "staff") == 0) tell_server(a);
    int unsent = store_unsent_count(a->st); /* queued, refused, drafts, unqueued answers: the receipt says so */
    app_log("lock: wiping the tablet (%s; %d unsent)", reason, unsent);
    syncer_stop(a->sync);
    a->sync = NULL;
    /* the keys first: once they are gone nothing sealed opens, whatever happens to the steps after */
    store_destroy_keys(a->st);
    if (!app_forget_person(a, NULL)) app_log("lock: out of memory while forgetting");
    paths_wipe_report rep;
    paths_wipe(&a->paths, &rep);
    char *json = paths_wipe_receipt(&rep, reason, 0, unsent, time(NULL));
    char err[600];
    if (json && !paths_receipt_save(&a->paths, json, err, sizeof err)) app_log("lock: the wipe receipt: %s", err);
    if (json) describe_receipt(a, json);
    free(json);
    double ms = (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 / (double)SDL_GetPerformanceFrequency();
    app_log("lock: wiped in %.1f ms%s", ms, rep.ok ? "" : " (with errors: see the receipt)");
    /* ready for the next patient: the demo behind enrolment, in memory; nothing is written to the data dir until
     * the next code is typed (lock_prepare_enrolment makes a new store, with a new device key and data key) */
    store *fresh = store_open(":memory:", NULL, err, sizeof err);
    wiped = true;
    if (!fresh || !app_forget_person(a, fresh)) {
        app_log("lock: cannot start again after the wipe");
        a->quit = true;
        return;
    }
    memset(&ls, 0, sizeof ls);
    lockout_clear(&lo);
    wait_until = 0;
    away = false;
    recovering = false;
    app_show_demo(a);
    a->enrolling = a->server[0] != '\0';
    nav_reset(a, a->enrolling ? SCREEN_ENROL : SCREEN_HOME);
    refresh(a);
}

bool lock_prepare_enrolment(app *a) {
    if (!wiped) return a->sync != NULL;
    char err[600];
    store *fresh = NULL;
    if (paths_make_data_dir(&a->paths, err, sizeof err) == PATHS_OK)
        fresh = store_open(a->paths.db, a->paths.key, err, sizeof err);
    if (!fresh) {
        app_log("lock: cannot make a store for the new enrolment: %s", err);
        return false;
    }
    if (!app_forget_person(a, fresh)) return false;
    wiped = false;
    app_start_sync(a);
    return a->sync != NULL;
}

const char *lock_receipt_summary(void) { return receipt_line; }
