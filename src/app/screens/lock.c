/* lock.c (screen) — the loaned tablet's lock screen: the clinic's name, a PIN pad and «Hjelp nå», and nothing of
 * the patient (no name, no counts, no titles, no messages). «Glemt PIN-koden?» turns the pad into one for the
 * clinic's reset code; so does the clinic's maximum of wrong PINs. «For klinikken» opens the staff pad (the
 * return of the tablet) when the clinic has a staff code. The rules and the slow work are src/app/lock.c's. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "chrome.h"
#include "keynav.h"
#include "lock.h"
#include "readaloud.h"
#include "screens.h"

enum { LK_ERASE = CHROME_KEY_ERASE, LK_OK = CHROME_KEY_OK, LK_FORGOT = 20, LK_STAFF = 21, LK_TO_PIN = 22 };

static char typed[MS_RESET_CODE_DIGITS + 1]; /* the PIN or the code so far; wiped when sent or closed */
static bool code_mode;                       /* typing the clinic's reset code */
static int answer_seen = -1;                 /* lock_update's last answer (0 after OK: the next one is new) */

static void draw_lock(app *a) {
    const theme *th = a->th;
    const lock_state *ls = lock_get();
    bool code = code_mode || ls->need_code;
    /* the clinic's name in the column, where it wraps at any text size (a bar would cut it short): the only
     * sign on a locked tablet of whose it is */
    const char *clinic = a->prog->clinic_name && a->prog->clinic_name[0] ? a->prog->clinic_name : app_tr(a, "app.name");
    int top = chrome_topbar(a, NULL, false, false);
    int colw = chrome_column(a);
    if (colw > app_px(a, 460)) colw = app_px(a, 460);
    int x = (a->w - colw) / 2;
    int y = chrome_begin_list(a, top);
    int body = ui_font(app_ui(a), DP_BODY);
    /* what happened, in words: checking, wrong, the wait, a code that did not work. First in the list: after an
     * answer the list is scrolled to its top (lock_update), so a patient who scrolled down to «Åpne» on a
     * phone in landscape at large text sees it at once */
    char line[600] = "";
    bool alert = false;
    if (ls->checking) {
        snprintf(line, sizeof line, "%s", app_tr(a, code ? "lock.code_checking" : "lock.checking"));
    } else if (code && ls->code_result) {
        static const char *const why[] = {"", "lock.code_offline", "lock.code_wrong", "lock.code_busy", "lock.code_misfit"};
        snprintf(line, sizeof line, "%s", app_tr(a, why[ls->code_result]));
        alert = true;
    } else if (!code && ls->wait_s > 0) {
        char t[32];
        int m = ls->wait_s / 60, s = ls->wait_s % 60;
        snprintf(t, sizeof t, "%d:%02d", m, s);
        const char *args[1] = {t};
        i18n_format(line, sizeof line, app_tr(a, ls->repeated ? "lock.wait_same" : "lock.wait"), 1, args);
        alert = true;
    } else if (!code && ls->wrong) {
        snprintf(line, sizeof line, "%s", app_tr(a, ls->repeated ? "lock.same_wrong" : "lock.wrong"));
        alert = true;
    }
    if (line[0]) {
        y += ui_text(app_ui(a), line, REN_BOLD, body, th->ink[alert ? INK_ALERT : INK_TEXT], x, y, colw, ROLE_STATUS);
        y += app_px(a, 12);
    }
    y += ui_text(app_ui(a), clinic, REN_BOLD, body, th->ink[INK_TEXT], x, y, colw, ROLE_TEXT);
    y += app_px(a, 8);
    y += ui_heading(app_ui(a), app_tr(a, code ? "lock.code_title" : "lock.title"), DP_H1, x, y, colw);
    y += app_px(a, 8);
    /* «Les høyt», under the heading where it is found: the lock said for a patient who reads poorly (what to do,
     * what went wrong, the wait, the clinic's code), the pad's digits never (readaloud_secret_key) and the field
     * only as how many digits are typed. The bar's speaker would come with «Aa», which the lock does not open. */
    if (readaloud_offered(a)) {
        int sh = app_px(a, DP_BUTTON);
        chrome_speak_button(a, x, y, 2 * sh, sh, false);
        y += sh + app_px(a, 12);
    }
    if (code) {
        char intro[600];
        const char *phone = a->prog->clinic_phone && a->prog->clinic_phone[0] ? a->prog->clinic_phone : "";
        const char *args[1] = {phone};
        i18n_format(intro, sizeof intro, app_tr(a, phone[0] ? "lock.code_intro_phone" : "lock.code_intro"), 1, args);
        if (ls->need_code) {
            y += ui_text(app_ui(a), app_tr(a, "lock.too_many"), REN_BOLD, body, th->ink[INK_TEXT], x, y, colw, ROLE_STATUS);
            y += app_px(a, 8);
        }
        y += ui_text(app_ui(a), intro, REN_REGULAR, body, th->ink[INK_TEXT], x, y, colw, ROLE_TEXT);
        y += app_px(a, 12);
    }
    /* a PIN as dots; the clinic's code as digits grouped 4 + 4 (read out on a phone call) */
    chrome_pad pad = {typed, code ? MS_RESET_CODE_DIGITS : 0, app_tr(a, code ? "lock.code_field" : "lock.pin_field"), 40,
                      app_px(a, 12), ACT_PIN, app_tr(a, "lock.erase"), app_tr(a, code ? "lock.send_code" : "lock.open")};
    y += chrome_pin_pad(a, x, y, colw, &pad);
    y += app_px(a, 8);
    int bh = app_px(a, DP_BUTTON), gap = app_px(a, 12);
    if (!code)
        y += ui_button(app_ui(a), x, y, colw, bh, app_tr(a, "lock.forgot"), BTN_SECONDARY, ACT_PIN, LK_FORGOT) + gap;
    else if (!ls->need_code)
        y += ui_button(app_ui(a), x, y, colw, bh, app_tr(a, "lock.to_pin"), BTN_SECONDARY, ACT_PIN, LK_TO_PIN) + gap;
    if (ls->has_staff_code)
        y += ui_button(app_ui(a), x, y, colw, bh, app_tr(a, "lock.staff"), BTN_SECONDARY, ACT_PIN, LK_STAFF) + gap;
    chrome_end_list(a, y + app_px(a, 16));
}

static void clear_typed(void) { sodium_memzero(typed, sizeof typed); }

/* An answer came (wrong, a wait, a code that did not work): the list goes back to its top, where it is said, so
 * a patient who scrolled down to «Åpne» (a phone in landscape, large text) does not see nothing happen. */
static void lock_update(app *a) {
    const lock_state *ls = lock_get();
    int now = (ls->wrong ? 1 : 0) | (ls->repeated ? 2 : 0) | (ls->wait_s > 0 ? 4 : 0) | (ls->code_result << 3) |
              (ls->checking ? 64 : 0);
    if (now != answer_seen && now && now != 64) a->scroll_list = 0;
    answer_seen = now;
}

static bool lock_action(app *a, app_action act, int arg) {
    if (act == ACT_HELP || act == ACT_SPEAK) return false; /* «Hjelp nå» opens over the lock, as everywhere; read-aloud */
    if (act != ACT_PIN) return act != ACT_NONE; /* Back and every other screen's action: nothing */
    const lock_state *ls = lock_get();
    bool code = code_mode || ls->need_code;
    size_t n = strlen(typed), max = code ? MS_RESET_CODE_DIGITS : MS_PIN_MAX_DIGITS;
    if (arg >= 0 && arg <= 9) {
        if (n < max && !ls->checking) {
            typed[n] = (char)('0' + arg);
            typed[n + 1] = '\0';
            /* «Feil PIN-kode» stays until the next try: gone at the first digit, it took its lines from the top of
             * the list and the pad jumped up under the finger (at 400 % on a phone, by a row of keys) */
        }
    } else if (arg == LK_ERASE) {
        if (n) typed[n - 1] = '\0';
    } else if (arg == LK_OK) {
        answer_seen = 0; /* the same answer as last time is news again: said at the top */
        if (code && n == MS_RESET_CODE_DIGITS)
            lock_try_code(a, typed);
        else if (!code)
            lock_try_pin(a, typed);
        clear_typed();
    } else if (arg == LK_FORGOT || arg == LK_TO_PIN) {
        code_mode = arg == LK_FORGOT;
        clear_typed();
        lock_forget_result();
        a->scroll_list = 0;
    } else if (arg == LK_STAFF) {
        clear_typed();
        staff_open(a);
    }
    a->dirty = true;
    return true;
}

/* A digit typed or erased from the keyboard: the focus ring goes, as typed text puts it away, so that the Return
 * after the digits sends them (the pad's own Return) rather than pressing the control the ring was left on
 * («Slett», «Glemt PIN-koden?», «For klinikken»: issue 13, a keyboard user). */
static void typed_on_pad(app *a, SDL_Keycode k) {
    if ((k >= SDLK_0 && k <= SDLK_9) || (k >= SDLK_KP_1 && k <= SDLK_KP_0) || k == SDLK_BACKSPACE) keynav_typed(a);
}

static bool lock_key(app *a, SDL_Keycode k, Uint16 mod) {
    (void)mod;
    typed_on_pad(a, k);
    return chrome_pad_screen_key(a, k, ACT_PIN); /* nothing but the pad, help and scrolling leaves the lock */
}

static void lock_back(app *a) {
    (void)a; /* Back goes nowhere: the lock is the way in */
}

static void lock_close(app *a) {
    (void)a;
    clear_typed();
    code_mode = false;
}

void lock_screen_forget(void) { lock_close(NULL); }

const screen_ops screen_lock = {
    .name = "lock",
    .update = lock_update,
    .draw = draw_lock,
    .action = lock_action,
    .key = lock_key,
    .back = lock_back,
    .close = lock_close,
};
