/* staff.c — the kiosk's staff exit: a PIN pad, opened by the hidden corner (kiosk.c), and behind the right PIN a
 * small staff screen: leave the kiosk, restart it, and what it runs (version, content). A visitor who finds the
 * corner meets only the pad, which closes after MS_KIOSK_STAFF_IDLE_S untouched.
 *
 * The PIN is checked against the configuration's Argon2id hash on a thread of its own (0.16 s and 64 MiB a
 * check), so the pad keeps drawing. Wrong PINs are slowed down: MS_KIOSK_PIN_FREE_TRIES free, then a wait that
 * doubles from MS_KIOSK_PIN_BACKOFF_FIRST_S to _MAX_S. The count is this file's and outlives the idle reset
 * (its close hook leaves it alone): walking away does not buy new tries; only the right PIN clears it. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "chrome.h"
#include "keynav.h"
#include "kiosk.h"
#include "lock.h"
#include "meistring/kiosk_config.h"
#include "screens.h"

enum { STAFF_ERASE = CHROME_KEY_ERASE, STAFF_OK = CHROME_KEY_OK, STAFF_CANCEL = 12, STAFF_LEAVE = 20, STAFF_RESTART = 21, STAFF_BACK = 22,
       STAFF_SEND = 23, STAFF_RETURN = 24, STAFF_WIPE = 25 };

static char pin[MS_KIOSK_PIN_MAX_DIGITS + 1]; /* the digits typed so far; wiped when checked or closed */
static bool unlocked;                        /* the right PIN was given: the staff screen, not the pad */
static Uint32 last_touch;                    /* app_ticks: the pad and the screen close when left alone */
static bool wrong;                           /* the last PIN was wrong: say so */
static bool confirming;                      /* a tablet's return: the second, explicit step */
static kcfg tablet_cfg;                      /* a patient's tablet: the clinic's staff code hash (lock.staff_code_hash) */
static int unsent = -1;                      /* a tablet's unsent words, counted on open and after each sync pass */
static int unsent_pass;                      /* the sync pass it was counted after */
/* outlives the idle reset */
static int failures;       /* wrong PINs since the last right one */
static Uint32 locked_until; /* app_ticks before which no PIN is checked; 0: none */
static bool count_loaded;   /* a patient's tablet: the count was read from the store (it survives a restart) */

/* the check on its own thread: the PIN copied in, the answer out */
static unsigned session; /* each opening of the pad: an answer for an earlier one opens nothing */
static struct {
    char pin[MS_KIOSK_PIN_MAX_DIGITS + 1];
    const kcfg *cfg;
    unsigned session;
    SDL_atomic_t state; /* 0 idle, 1 checking, 2 right, 3 wrong */
} job;

static int check_pin(void *arg) {
    (void)arg;
    bool ok = kcfg_check_pin(job.cfg, job.pin);
    sodium_memzero(job.pin, sizeof job.pin);
    SDL_AtomicSet(&job.state, ok ? 2 : 3);
    return 0;
}

static int wait_left_s(const app *a) {
    if (!locked_until) return 0;
    Sint32 left = (Sint32)(locked_until - app_ticks(a));
    return left <= 0 ? 0 : (int)((left + 999) / 1000);
}

/* The hash the pad checks: the kiosk's configuration, or on a patient's tablet the clinic's staff code. */
static const kcfg *staff_cfg(app *a) {
    if (a->opt.kiosk_cfg) return a->opt.kiosk_cfg;
    if (!store_get_setting(a->st, "lock.staff_code_hash", tablet_cfg.pin_hash, sizeof tablet_cfg.pin_hash))
        tablet_cfg.pin_hash[0] = '\0';
    return &tablet_cfg;
}

/* The pad and the staff screen close when left alone: a kiosk's soon (visitors), a tablet's a little later. */
static Uint32 idle_limit_ms(const app *a) {
    return (Uint32)(a->opt.kiosk ? MS_KIOSK_STAFF_IDLE_S : MS_LOCK_STAFF_IDLE_S) * 1000u;
}

/* The wait after `failures` wrong codes: MS_KIOSK_PIN_FREE_TRIES free, then doubling up to the maximum. */
static int backoff_s(int n) {
    if (n < MS_KIOSK_PIN_FREE_TRIES) return 0;
    int shift = n - MS_KIOSK_PIN_FREE_TRIES;
    int s = shift > 10 ? MS_KIOSK_PIN_BACKOFF_MAX_S : MS_KIOSK_PIN_BACKOFF_FIRST_S << shift;
    return s > MS_KIOSK_PIN_BACKOFF_MAX_S ? MS_KIOSK_PIN_BACKOFF_MAX_S : s;
}

/* On a patient's tablet the staff code guards the wipe, and a thief can restart the app at will: the count is
 * kept in the store (unsealed, as the PIN's, lockout.h), written before each check, and a restart starts the
 * wait again in full. The kiosk keeps it in memory, across its resets (its store is in memory). */
static void save_count(app *a, int n) {
    if (a->opt.kiosk) return;
    unsigned char b = (unsigned char)(n > 255 ? 255 : n);
    if (!store_lock_state_set(a->st, "staff", &b, 1)) app_log("staff: the count was not saved: %s", store_last_error(a->st));
}

static void load_count(app *a) {
    if (a->opt.kiosk || count_loaded) return;
    count_loaded = true;
    unsigned char b = 0;
    if (store_lock_state_get(a->st, "staff", &b, 1) == 1) failures = b;
    int s = backoff_s(failures);
    if (s) locked_until = (app_ticks(a) + (Uint32)s * 1000u) | 1u;
}

/* Before a frame: the unsent count, again only when a sync pass has ended since (it sends what it can). */
static void staff_update(app *a) {
    if (a->opt.kiosk || (unsent >= 0 && unsent_pass == a->sync_status.passes)) return;
    unsent = store_unsent_count(a->st); /* queued, refused, drafts and unqueued answers */
    unsent_pass = a->sync_status.passes;
}

void staff_open(app *a) {
    load_count(a);
    unsent = -1;
    sodium_memzero(pin, sizeof pin);
    unlocked = wrong = confirming = false;
    last_touch = app_ticks(a);
    session++;
    app_log("staff: the staff pad opened");
    nav_push(a, SCREEN_STAFF);
    a->scroll_list = 0;
    a->dirty = true;
}

static void staff_leave_screen(app *a) {
    sodium_memzero(pin, sizeof pin);
    unlocked = wrong = false;
    nav_pop(a);
    a->scroll_list = 0;
}

static void submit(app *a) {
    if (SDL_AtomicGet(&job.state) != 0) return;
    if (wait_left_s(a) > 0 || !kcfg_pin_valid(pin)) { /* refused: the digits go, or the next try would add to them */
        sodium_memzero(pin, sizeof pin);
        a->scroll_list = 0; /* the wait, if that is why, is said at the top */
        return;
    }
    wrong = false;
    save_count(a, failures + 1); /* counted before the check: a kill during it buys nothing */
    memcpy(job.pin, pin, sizeof pin);
    sodium_memzero(pin, sizeof pin);
    job.cfg = staff_cfg(a);
    job.session = session;
    SDL_AtomicSet(&job.state, 1);
    SDL_Thread *t = SDL_CreateThread(check_pin, "staff-pin", NULL);
    if (!t) {
        check_pin(NULL); /* no thread: check here, the pad stalls for a moment */
        return;
    }
    SDL_DetachThread(t);
}

/* The answer came: open the staff screen, or count the failure and slow the next try. */
static bool staff_tick(app *a) {
    int st = SDL_AtomicGet(&job.state);
    if (st == 2 || st == 3) {
        SDL_AtomicSet(&job.state, 0);
        if (job.session != session) return false; /* asked on a pad closed since: it neither opens nor counts */
        if (st == 2) {
            failures = 0;
            save_count(a, 0);
            locked_until = 0;
            unlocked = true;
            wrong = false;
            app_log("staff: the staff code was accepted");
        } else {
            failures++;
            wrong = true;
            a->scroll_list = 0; /* the answer is at the top of the list */
            int s = backoff_s(failures);
            if (s) locked_until = (app_ticks(a) + (Uint32)s * 1000u) | 1u;
            app_log("staff: a wrong staff PIN (%d in a row)", failures);
        }
        last_touch = app_ticks(a);
        return true;
    }
    if (a->screen == SCREEN_STAFF && app_ticks(a) - last_touch >= idle_limit_ms(a)) {
        app_log("staff: the staff %s closed, left alone", unlocked ? "screen" : "PIN pad");
        staff_leave_screen(a);
        return true;
    }
    if (locked_until && wait_left_s(a) == 0) locked_until = 0;
    return a->screen == SCREEN_STAFF && locked_until; /* the wait counts down */
}

static int staff_deadline(const app *a) {
    if (SDL_AtomicGet(&job.state) != 0) return 50;
    Uint32 idle = app_ticks(a) - last_touch, limit = idle_limit_ms(a);
    int ms = idle >= limit ? 0 : (int)(limit - idle);
    if (locked_until && ms > 1000) ms = 1000;
    return ms;
}

static void draw_pad(app *a, int x, int y, int colw) {
    const theme *th = a->th;
    int left = wait_left_s(a);
    char line[256] = "";
    if (SDL_AtomicGet(&job.state) == 1) {
        snprintf(line, sizeof line, "%s", app_tr(a, "staff.checking"));
    } else if (left > 0) {
        char secs[16];
        snprintf(secs, sizeof secs, "%d", left);
        const char *args[1] = {secs};
        i18n_format(line, sizeof line, app_tr(a, "staff.wait"), 1, args);
    } else if (wrong) {
        snprintf(line, sizeof line, "%s", app_tr(a, "staff.wrong"));
    }
    /* what happened, first in the list, where the list goes when an answer comes (staff_tick): under the field, a
     * phone on its side scrolled down to «OK» never showed «Feil PIN-kode.» (issue 13, as the lock's) */
    if (line[0]) {
        y += ui_text(app_ui(a), line, REN_BOLD, ui_font(app_ui(a), DP_BODY), th->ink[wrong ? INK_ALERT : INK_TEXT], x, y,
                     colw, ROLE_STATUS);
        y += app_px(a, 12);
    }
    y += ui_heading(app_ui(a), app_tr(a, a->opt.kiosk ? "staff.pin" : "staff.code"), DP_H1, x, y, colw);
    y += app_px(a, 12);
    /* the PIN as dots: never its digits */
    chrome_pad pad = {pin, 0, app_tr(a, "staff.pin"), 40, app_px(a, 12), ACT_STAFF, app_tr(a, "staff.erase"),
                      app_tr(a, "staff.ok"), MS_KIOSK_PIN_MAX_DIGITS};
    y += chrome_pin_pad(a, x, y, colw, &pad) + app_px(a, 8);
    y += ui_button(app_ui(a), x, y, colw, app_px(a, DP_BUTTON), app_tr(a, "staff.cancel"), BTN_SECONDARY, ACT_STAFF,
                   STAFF_CANCEL);
    chrome_end_list(a, y + app_px(a, 16));
}

static void draw_menu(app *a, int x, int y, int colw) {
    const theme *th = a->th;
    char line[700];
    y += ui_heading(app_ui(a), app_tr(a, "staff.title"), DP_H1, x, y, colw);
    y += app_px(a, 12);
    snprintf(line, sizeof line, "%s: %s", app_tr(a, "staff.version"), MEISTRING_VERSION);
    y += ui_text(app_ui(a), line, REN_REGULAR, ui_font(app_ui(a), DP_BODY), th->ink[INK_TEXT], x, y, colw, ROLE_TEXT);
    snprintf(line, sizeof line, "%s: %s (%s)", app_tr(a, "staff.content"), a->prog->id, a->prog->language);
    y += ui_text(app_ui(a), line, REN_REGULAR, ui_font(app_ui(a), DP_BODY), th->ink[INK_TEXT], x, y, colw, ROLE_TEXT);
    y += app_px(a, 24);
    int bh = app_px(a, DP_BUTTON_BIG), gap = app_px(a, 14);
    y += ui_button(app_ui(a), x, y, colw, bh, app_tr(a, "staff.back"), BTN_PRIMARY, ACT_STAFF, STAFF_BACK) + gap;
    y += ui_button(app_ui(a), x, y, colw, bh, app_tr(a, "staff.restart"), BTN_SECONDARY, ACT_STAFF, STAFF_RESTART) + gap;
    y += ui_button(app_ui(a), x, y, colw, bh, app_tr(a, "staff.leave"), BTN_SECONDARY, ACT_STAFF, STAFF_LEAVE);
    chrome_end_list(a, y + app_px(a, 16));
}

/* A patient's tablet, behind the clinic's staff code: its return. What is still unsent is said first, with a way
 * to send it; the wipe needs a second, explicit step, which says plainly what is lost. */
static void draw_tablet_menu(app *a, int x, int y, int colw) {
    const theme *th = a->th;
    int body = ui_font(app_ui(a), DP_BODY), bh = app_px(a, DP_BUTTON_BIG), gap = app_px(a, 14);

    char n[16], line[600];
    if (unsent >= 0)
        snprintf(n, sizeof n, "%d", unsent);
    else
        snprintf(n, sizeof n, "?"); /* the store could not count: warn all the same */
    const char *args[1] = {n};
    if (!confirming) {
        y += ui_heading(app_ui(a), app_tr(a, "staff.tablet_title"), DP_H1, x, y, colw);
        y += app_px(a, 12);
        y += ui_text(app_ui(a), app_tr(a, "staff.tablet_intro"), REN_REGULAR, body, th->ink[INK_TEXT], x, y, colw, ROLE_TEXT);
        y += app_px(a, 12);
        i18n_format(line, sizeof line, app_tr(a, unsent ? "staff.unsent" : "staff.none_unsent"), 1, args);
        y += ui_text(app_ui(a), line, REN_BOLD, body, th->ink[unsent ? INK_ALERT : INK_TEXT], x, y, colw, ROLE_STATUS);
        y += app_px(a, 12);
        if (unsent && a->sync) {
            const char *label = app_tr(a, a->sync_status.syncing ? "staff.sending" : "staff.send_first");
            y += ui_button(app_ui(a), x, y, colw, bh, label, BTN_PRIMARY, ACT_STAFF, STAFF_SEND) + gap;
        } else if (unsent) {
            y += ui_text(app_ui(a), app_tr(a, "staff.locked_unsent"), REN_REGULAR, body, th->ink[INK_TEXT], x, y, colw,
                         ROLE_TEXT);
            y += app_px(a, 12);
        }
        y += ui_button(app_ui(a), x, y, colw, bh, app_tr(a, "staff.return"), BTN_SECONDARY, ACT_STAFF, STAFF_RETURN) + gap;
    } else {
        y += ui_heading(app_ui(a), app_tr(a, "staff.confirm_title"), DP_H1, x, y, colw);
        y += app_px(a, 12);
        i18n_format(line, sizeof line, app_tr(a, unsent ? "staff.confirm_unsent_text" : "staff.confirm_text"), 1, args);
        y += ui_text(app_ui(a), line, REN_BOLD, body, th->ink[INK_ALERT], x, y, colw, ROLE_STATUS);
        y += app_px(a, 16);
        y += ui_button(app_ui(a), x, y, colw, bh, app_tr(a, unsent ? "staff.confirm_unsent" : "staff.confirm"),
                       BTN_PRIMARY, ACT_STAFF, STAFF_WIPE) + gap;
    }
    y += ui_button(app_ui(a), x, y, colw, app_px(a, DP_BUTTON), app_tr(a, "staff.cancel"), BTN_SECONDARY, ACT_STAFF,
                   STAFF_CANCEL);
    chrome_end_list(a, y + app_px(a, 16));
}

static void draw_staff(app *a) {
    int top = chrome_topbar(a, app_tr(a, "staff.title"), false, false);
    int colw = chrome_column(a);
    if (colw > app_px(a, 460)) colw = app_px(a, 460);
    int x = (a->w - colw) / 2;
    int y = chrome_begin_list(a, top);
    if (unlocked && !a->opt.kiosk)
        draw_tablet_menu(a, x, y, colw);
    else if (unlocked)
        draw_menu(a, x, y, colw);
    else
        draw_pad(a, x, y, colw);
}

static bool staff_action(app *a, app_action act, int arg) {
    if (act == ACT_BACK) { /* Back cancels the pad */
        staff_leave_screen(a);
        return true;
    }
    if (act == ACT_HELP) return false; /* «Hjelp nå» opens over it, as everywhere */
    if (act != ACT_STAFF) return act != ACT_NONE; /* no other screen's action reaches through */
    last_touch = app_ticks(a);
    size_t n = strlen(pin);
    if (!unlocked && arg >= 0 && arg <= 9) {
        if (n < MS_KIOSK_PIN_MAX_DIGITS && SDL_AtomicGet(&job.state) != 1 && wait_left_s(a) == 0) {
            pin[n] = (char)('0' + arg);
            pin[n + 1] = '\0';
            /* «Feil PIN-kode.» stays until the next try: gone at the first digit, the pad under it jumped up under
             * the finger by the line's height */
        }
    } else if (!unlocked && arg == STAFF_ERASE) {
        if (n) pin[n - 1] = '\0';
    } else if (!unlocked && arg == STAFF_OK) {
        submit(a);
    } else if (arg == STAFF_CANCEL || arg == STAFF_BACK) {
        staff_leave_screen(a);
    } else if (unlocked && !a->opt.kiosk && arg == STAFF_SEND) {
        if (a->sync) syncer_now(a->sync);
    } else if (unlocked && !a->opt.kiosk && arg == STAFF_RETURN) {
        confirming = true;
        a->scroll_list = 0;
    } else if (unlocked && !a->opt.kiosk && confirming && arg == STAFF_WIPE) {
        app_log("staff: the tablet is returned and wiped");
        unlocked = confirming = false;
        lock_wipe(a, "staff");
        return true;
    } else if (unlocked && a->opt.kiosk && arg == STAFF_LEAVE) {
        kiosk_leave(a);
    } else if (unlocked && a->opt.kiosk && arg == STAFF_RESTART) {
        kiosk_restart(a);
    }
    a->dirty = true;
    return true;
}

/* A digit typed or erased from the keyboard: the focus ring goes, as typed text puts it away, so that the Return
 * after the digits sends them (the pad's own Return) rather than pressing the control the ring was left on
 * (as on the lock: lock.c). */
static void typed_on_pad(app *a, SDL_Keycode k) {
    if ((k >= SDLK_0 && k <= SDLK_9) || (k >= SDLK_KP_1 && k <= SDLK_KP_0) || k == SDLK_BACKSPACE) keynav_typed(a);
}

static bool staff_key(app *a, SDL_Keycode k, Uint16 mod) {
    (void)mod;
    if (!unlocked) typed_on_pad(a, k);
    if (chrome_keypad_key(a, k, ACT_STAFF)) return true;
    if (k != SDLK_ESCAPE) return false; /* arrows and Page Down scroll a pad larger than the screen */
    app_do(a, ACT_STAFF, STAFF_CANCEL);
    return true;
}

static void staff_back(app *a) { staff_leave_screen(a); }

/* The kiosk's reset (or the client's end): the typed digits go; the failure count stays. */
static void staff_close(app *a) {
    (void)a;
    sodium_memzero(pin, sizeof pin);
    unlocked = wrong = false;
}

const screen_ops screen_staff = {
    .name = "staff",
    .update = staff_update,
    .draw = draw_staff,
    .action = staff_action,
    .key = staff_key,
    .back = staff_back,
    .tick = staff_tick,
    .deadline_ms = staff_deadline,
    .close = staff_close,
};
