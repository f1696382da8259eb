/* pin.c — choosing the patient's PIN: right after enrolment (no way past it), after the clinic's reset code
 * (likewise), or to change it from home (the old PIN first; that try counts as a wrong PIN would). The new PIN
 * is typed twice on a large pad; it must have the clinic's length and not be one everyone tries first. The slow
 * work (Argon2id, the new wrap) is src/app/lock.c's. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "chrome.h"
#include "keynav.h"
#include "lock.h"
#include "readaloud.h"
#include "screens.h"

enum { PN_ERASE = CHROME_KEY_ERASE, PN_OK = CHROME_KEY_OK, PN_CANCEL = 20 };
enum { STEP_OLD, STEP_NEW, STEP_AGAIN, STEP_SAVING };

static pin_mode mode;
static int step;
static char typed[MS_PIN_MAX_DIGITS + 1], first[MS_PIN_MAX_DIGITS + 1]; /* wiped when done or closed */
static const char *problem; /* an i18n key: why the last PIN was not taken */

static void wipe(void) {
    sodium_memzero(typed, sizeof typed);
    sodium_memzero(first, sizeof first);
}

void pin_open(app *a, pin_mode m) {
    wipe();
    mode = m;
    step = m == PIN_CHANGE ? STEP_OLD : STEP_NEW;
    problem = NULL;
    lock_forget_result();
    nav_push(a, SCREEN_PIN);
    a->scroll_list = 0;
    a->dirty = true;
}

/* The old PIN was right, or the new one is in force: lock.c says so after its tick. */
static void pin_update(app *a) {
    const lock_state *ls = lock_get();
    if (step == STEP_OLD && ls->old_ok) {
        lock_forget_result();
        step = STEP_NEW;
    } else if (step == STEP_OLD && ls->wrong && !ls->checking) {
        if (!problem) a->scroll_list = 0;
        problem = ls->repeated ? "lock.same_wrong" : "lock.wrong";
    } else if (step == STEP_SAVING && ls->pin_set) {
        lock_forget_result();
        wipe();
        if (mode == PIN_CHANGE) {
            app_show_toast(a, app_tr(a, "pin.changed"), 4000);
            if (a->screen == SCREEN_PIN) nav_pop(a);
        }
        step = STEP_NEW; /* first and recover: lock.c has taken the screen away */
    } else if (step == STEP_SAVING && ls->wrong && !ls->checking) {
        problem = "pin.not_saved";
        step = STEP_NEW;
    }
}

static void draw_pin(app *a) {
    const theme *th = a->th;
    const lock_state *ls = lock_get();
    int top = chrome_topbar(a, app_tr(a, "pin.bar"), false, false);
    int colw = chrome_column(a);
    if (colw > app_px(a, 460)) colw = app_px(a, 460);
    int x = (a->w - colw) / 2;
    int y = chrome_begin_list(a, top);
    int body = ui_font(app_ui(a), DP_BODY);
    /* what happened, in words (checking, why the PIN was not taken, the wait): first in the list, as on the lock.
     * After OK the list goes back to its top (submit), and under the intro and the field at 400 % on a phone the
     * line was below the fold: «Den koden er lett å gjette» unseen, the pad just emptied (issue 13). While saving,
     * the heading says so already. */
    const char *line = ls->checking && step != STEP_SAVING ? app_tr(a, "lock.checking")
                       : problem                           ? app_tr(a, problem)
                                                           : NULL;
    char wait[200];
    if (step == STEP_OLD && ls->wait_s > 0) {
        char t[32];
        snprintf(t, sizeof t, "%d:%02d", ls->wait_s / 60, ls->wait_s % 60);
        const char *args[1] = {t};
        i18n_format(wait, sizeof wait, app_tr(a, "lock.wait"), 1, args);
        line = wait;
    }
    if (line) {
        y += ui_text(app_ui(a), line, REN_BOLD, body, th->ink[problem ? INK_ALERT : INK_TEXT], x, y, colw, ROLE_STATUS);
        y += app_px(a, 12);
    }
    static const char *const titles[] = {"pin.old", "pin.new", "pin.again", "pin.saving"};
    y += ui_heading(app_ui(a), app_tr(a, titles[step]), DP_H1, x, y, colw);
    y += app_px(a, 8);
    /* «Les høyt», as on the lock (lock.c): what to do and why a PIN was not taken, said; the digits never */
    if (readaloud_offered(a) && step != STEP_SAVING) {
        int sh = app_px(a, DP_BUTTON);
        chrome_speak_button(a, x, y, 2 * sh, sh, false);
        y += sh + app_px(a, 12);
    }
    if (step == STEP_NEW) {
        char intro[600], digits[8];
        snprintf(digits, sizeof digits, "%d", ls->pin_digits);
        const char *args[1] = {digits};
        i18n_format(intro, sizeof intro,
                    app_tr(a, ls->pin_digits < MS_PIN_MAX_DIGITS ? "pin.intro_range" : "pin.intro"), 1, args);
        y += ui_text(app_ui(a), intro, REN_REGULAR, body, th->ink[INK_TEXT], x, y, colw, ROLE_TEXT);
        y += app_px(a, 12);
    }
    chrome_pad pad = {typed, 0, app_tr(a, "lock.pin_field"), 40, app_px(a, 12), ACT_PIN, app_tr(a, "lock.erase"),
                      app_tr(a, "pin.ok")};
    if (step != STEP_SAVING)
        y += chrome_pin_pad(a, x, y, colw, &pad);
    else
        y += chrome_pad_field(a, x, y, colw, typed, 0, app_tr(a, "lock.pin_field"), 40) + app_px(a, 12);
    if (mode == PIN_CHANGE && step != STEP_SAVING) {
        y += app_px(a, 8);
        y += ui_button(app_ui(a), x, y, colw, app_px(a, DP_BUTTON), app_tr(a, "pin.cancel"), BTN_SECONDARY, ACT_PIN,
                       PN_CANCEL);
    }
    chrome_end_list(a, y + app_px(a, 16));
}

static void submit(app *a) {
    problem = NULL;
    if (step == STEP_OLD) {
        lock_check_old(a, typed);
    } else if (step == STEP_NEW) {
        if (!lock_pin_acceptable(typed)) {
            problem = strlen(typed) < (size_t)lock_get()->pin_digits ? "pin.too_short" : "pin.too_easy";
        } else {
            memcpy(first, typed, sizeof first);
            step = STEP_AGAIN;
        }
    } else if (step == STEP_AGAIN) {
        if (strcmp(first, typed) != 0) {
            problem = "pin.mismatch";
            step = STEP_NEW;
        } else {
            step = STEP_SAVING;
            lock_choose_pin(a, typed);
        }
        sodium_memzero(first, sizeof first);
    }
    sodium_memzero(typed, sizeof typed);
    a->scroll_list = 0; /* the next step's heading, or why not, is at the top */
}

static bool pin_action(app *a, app_action act, int arg) {
    if (act == ACT_HELP || act == ACT_SPEAK) return false; /* «Hjelp nå» over it; read-aloud */
    if (act != ACT_PIN) {
        if (act == ACT_BACK && mode == PIN_CHANGE) return false; /* Back cancels a change only */
        return act != ACT_NONE;
    }
    size_t n = strlen(typed);
    if (arg >= 0 && arg <= 9) {
        if (n < MS_PIN_MAX_DIGITS && step != STEP_SAVING && !lock_get()->checking) {
            typed[n] = (char)('0' + arg);
            typed[n + 1] = '\0';
            /* why the last PIN was not taken stays until the next OK: gone at the first digit, it took its lines
             * from the top of the list and the pad jumped up under the finger (at 400 % on a phone, by two keys) */
        }
    } else if (arg == PN_ERASE) {
        if (n) typed[n - 1] = '\0';
    } else if (arg == PN_OK) {
        if (step != STEP_SAVING && !lock_get()->checking) submit(a);
    } else if (arg == PN_CANCEL && mode == PIN_CHANGE) {
        wipe();
        nav_pop(a);
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

static bool pin_key(app *a, SDL_Keycode k, Uint16 mod) {
    (void)mod;
    typed_on_pad(a, k);
    if (k == SDLK_ESCAPE && mode == PIN_CHANGE) {
        app_do(a, ACT_PIN, PN_CANCEL);
        return true;
    }
    return chrome_pad_screen_key(a, k, ACT_PIN);
}

static void pin_back(app *a) {
    if (mode == PIN_CHANGE) {
        wipe();
        nav_pop(a);
    }
}

static void pin_close(app *a) {
    (void)a;
    wipe();
    step = STEP_NEW;
}

const screen_ops screen_pin = {
    .name = "pin",
    .update = pin_update,
    .draw = draw_pin,
    .action = pin_action,
    .key = pin_key,
    .back = pin_back,
    .close = pin_close,
};
