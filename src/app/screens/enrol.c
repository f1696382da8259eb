/* enrol.c — the first start of a tablet a clinic lent: the patient types the eight-digit code from the
 * therapist on big keys (or a keyboard), and the sync thread enrols the tablet with it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chrome.h"
#include "keynav.h"
#include "lock.h"
#include "screens.h"

static char code[9]; /* the code being typed */

static void draw_enrol(app *a) {
    const theme *th = a->th;
    int top = chrome_topbar(a, app_tr(a, "app.name"), false, true); /* heard and enlarged before enrolling too */
    int colw = ui_column_width(app_ui(a), ui_font(app_ui(a), DP_BODY));
    if (colw > app_px(a, 460)) colw = app_px(a, 460);
    int x = (a->w - colw) / 2;
    int y = chrome_begin_list(a, top);
    y += ui_heading(app_ui(a), app_tr(a, "enrol.title"), DP_H1, x, y, colw);
    y += app_px(a, 8);
    y += ui_text(app_ui(a), app_tr(a, "enrol.intro"), REN_REGULAR, ui_font(app_ui(a), DP_BODY), th->ink[INK_TEXT], x, y, colw,
                 ROLE_TEXT);
    y += app_px(a, 16);
    /* the code so far, in big digits grouped 4 + 4, with a place for each digit still to come */
    /* the keypad under it: 1–9, erase, 0, connect */
    chrome_pad pad = {code, 8, app_tr(a, "enrol.code"), 44, app_px(a, 16), ACT_DIGIT, app_tr(a, "enrol.erase"),
                      app_tr(a, "enrol.connect")};
    y += chrome_pin_pad(a, x, y, colw, &pad);
    if (a->sync_status.syncing) {
        y += app_px(a, 8);
        y += ui_text(app_ui(a), app_tr(a, "enrol.connecting"), REN_ITALIC, ui_font(app_ui(a), DP_BODY), th->ink[INK_MUTED], x, y, colw,
                     ROLE_STATUS);
        y += app_px(a, 8);
        y += chrome_download(a, x, y, colw);
    }
    /* for staff: the last patient's data was destroyed, and when (until the next enrolment hands it over) */
    const char *receipt = lock_receipt_summary();
    if (receipt[0]) {
        y += app_px(a, 16);
        y += ui_text(app_ui(a), receipt, REN_REGULAR, ui_font(app_ui(a), DP_SMALL + 1), th->ink[INK_MUTED], x, y, colw,
                     ROLE_STATUS);
    }
    chrome_end_list(a, y);
}

/* The enrolment's error by why it failed: the digits are blamed only when the server refused them. */
static const char *const enrol_errors[] = {"enrol.failed", "enrol.offline", "enrol.busy", "enrol.trouble"};

const char *enrol_error_key(int result) {
    switch (result) {
    case SYNC_AUTH: return enrol_errors[0];    /* 403: unknown, used or expired */
    case SYNC_OFFLINE: return enrol_errors[1]; /* no connection, dropped, timed out */
    case SYNC_BUSY: return enrol_errors[2];    /* 429: the server's guard against guessing */
    default: return enrol_errors[3];           /* 5xx, a refused configuration, an update needed, a full disk … */
    }
}

static bool enrol_action(app *a, app_action act, int arg) {
    if (act != ACT_DIGIT) return false;
    for (size_t i = 0; i < sizeof enrol_errors / sizeof *enrol_errors; i++)
        app_clear_error(a, enrol_errors[i]); /* the patient is correcting the code, or trying again */
    size_t n = strlen(code);
    if (arg >= 0 && arg <= 9 && n < 8) {
        code[n] = (char)('0' + arg);
        code[n + 1] = '\0';
    } else if (arg == CHROME_KEY_ERASE && n > 0) {
        code[n - 1] = '\0';
    } else if (arg == CHROME_KEY_OK && n == 8 && (a->sync || lock_prepare_enrolment(a))) {
        /* the last patient's wipe receipt goes with the code: the clinic records that the tablet was purged */
        char *receipt = paths_receipt_load(&a->paths);
        syncer_enrol(a->sync, code, receipt);
        free(receipt);
        app_show_toast(a, app_tr(a, "enrol.connecting"), 4000);
    }
    return true;
}

/* Digits from a keyboard or a number pad; the keys that scroll a pad taller than the screen (a phone in landscape,
 * large text) go on to the list; every other key is ignored here, so nothing leaves this screen. */
static bool enrol_key(app *a, SDL_Keycode k, Uint16 mod) {
    (void)mod;
    /* a digit typed or erased puts the focus ring away, as on the lock (lock.c): the Return after the eight digits
     * then connects (the pad's own Return) and does not press the control the ring was left on («Slett» took the
     * last digit, «Hjelp nå» opened help) */
    if ((k >= SDLK_0 && k <= SDLK_9) || (k >= SDLK_KP_1 && k <= SDLK_KP_0) || k == SDLK_BACKSPACE) keynav_typed(a);
    return chrome_pad_screen_key(a, k, ACT_DIGIT);
}

static bool enrol_saves_place(const app *a) {
    (void)a;
    return true;
}

static void enrol_close(app *a) {
    (void)a;
    code[0] = '\0'; /* a wipe or a kiosk reset: the last code typed goes too */
}

const screen_ops screen_enrol = {
    .close = enrol_close,
    .name = "enrol",
    .draw = draw_enrol,
    .action = enrol_action,
    .key = enrol_key,
    .saves_place = enrol_saves_place,
};
