/* attract.c — the kiosk's welcome, what a waiting room sees while nobody uses it: what the programme is and
 * who it is for, how one gets it (a referral), that this is a demonstration that keeps nothing, and two reading
 * aids that work right here (larger text, read-aloud). Large type, readable from two metres; one big button in.
 * Only the kiosk shows it (kiosk.c); its text is assets/i18n's attract.* in the configured language. */
#include <stdio.h>
#include <string.h>

#include "chrome.h"
#include "meistring/kiosk_config.h"
#include "readaloud.h"
#include "screens.h"

enum { ATTRACT_ENTER, ATTRACT_SIZE, ATTRACT_READ };

#define ATTRACT_BODY_DP    24 /* from two metres on a 10" tablet: about the size of a newspaper's headline */
#define ATTRACT_TITLE_DP   40
#define ATTRACT_HEADING_DP 30
#define ATTRACT_LARGER_PCT 200 /* «Større tekst» shows what the reading aids do */

static int section(app *a, const char *text, bool bold, int x, int y, int w) {
    return ui_text(app_ui(a), text, bold ? REN_BOLD : REN_REGULAR, ui_font(app_ui(a), ATTRACT_BODY_DP),
                   a->th->ink[INK_TEXT], x, y, w, ROLE_TEXT);
}

static void draw_attract(app *a) {
    const theme *th = a->th;
    int top = chrome_topbar(a, NULL, false, false);
    int colw = chrome_column(a), x = (a->w - colw) / 2;
    int y = chrome_begin_list(a, top) + app_px(a, 8);
    y += ui_text(app_ui(a), app_tr(a, "attract.title"), REN_BOLD, ui_font(app_ui(a), ATTRACT_TITLE_DP),
                 th->ink[INK_HEADING], x, y, colw, ROLE_HEADING);
    const kcfg *cfg = a->opt.kiosk_cfg;
    if (cfg && cfg->clinic_name[0]) {
        y += app_px(a, 4);
        y += ui_text(app_ui(a), cfg->clinic_name, REN_REGULAR, ui_font(app_ui(a), ATTRACT_BODY_DP),
                     th->ink[INK_MUTED], x, y, colw, ROLE_TEXT);
    }
    y += app_px(a, 16);
    y += section(a, app_tr(a, "attract.what"), false, x, y, colw);
    y += app_px(a, 20);
    /* the way in first: the button is the one thing to do here */
    int bh = app_px(a, DP_BUTTON_BIG);
    y += ui_button(app_ui(a), x, y, colw, bh, app_tr(a, "attract.start"), BTN_PRIMARY, ACT_ATTRACT, ATTRACT_ENTER);
    y += app_px(a, 24);
    y += ui_text(app_ui(a), app_tr(a, "attract.how_title"), REN_BOLD, ui_font(app_ui(a), ATTRACT_HEADING_DP),
                 th->ink[INK_HEADING], x, y, colw, ROLE_HEADING);
    y += app_px(a, 6);
    y += section(a, app_tr(a, "attract.how"), false, x, y, colw);
    y += app_px(a, 20);
    /* the demonstration's promise, in a callout: nothing kept, nothing sent */
    int pad = app_px(a, 16), edge = app_px(a, 6);
    const char *demo = app_tr(a, "attract.demo");
    int dh = ui_text_height(app_ui(a), demo, REN_BOLD, ui_font(app_ui(a), ATTRACT_BODY_DP), colw - 2 * pad - edge);
    ren_fill_round(a->rn, x, y, colw, dh + 2 * pad, app_px(a, 10), th->ink[INK_IMPORTANT_BG]);
    ren_fill(a->rn, x, y, edge, dh + 2 * pad, th->ink[INK_IMPORTANT_EDGE]);
    ui_text(app_ui(a), demo, REN_BOLD, ui_font(app_ui(a), ATTRACT_BODY_DP), th->ink[INK_TEXT], x + pad + edge, y + pad,
            colw - 2 * pad - edge, ROLE_CALLOUT);
    y += dh + 2 * pad + app_px(a, 24);
    /* a reading aid, working: the text on this screen grows, or is read aloud */
    y += ui_text(app_ui(a), app_tr(a, "attract.aids_title"), REN_BOLD, ui_font(app_ui(a), ATTRACT_HEADING_DP),
                 th->ink[INK_HEADING], x, y, colw, ROLE_HEADING);
    y += app_px(a, 6);
    y += section(a, app_tr(a, readaloud_offered(a) ? "attract.aids" : "attract.aids_size"), false, x, y, colw);
    y += app_px(a, 12);
    bool larger = a->set.text_pct >= ATTRACT_LARGER_PCT;
    const char *size_lbl = app_tr(a, larger ? "attract.smaller" : "attract.bigger");
    bool speaking = readaloud_get()->on && !readaloud_get()->paused;
    const char *read_lbl = app_tr(a, speaking ? "attract.stop" : "attract.read");
    int gap = app_px(a, 12), h = app_px(a, DP_BUTTON);
    /* side by side when both labels fit, else one under the other */
    int half = (colw - gap) / 2;
    int st = ren_style(a->rn, REN_BOLD, ui_font(app_ui(a), DP_BODY));
    int need = ren_measure(a->rn, st, size_lbl, strlen(size_lbl));
    int need2 = ren_measure(a->rn, st, read_lbl, strlen(read_lbl));
    if (need2 > need) need = need2;
    if (!readaloud_offered(a)) {
        y += ui_button(app_ui(a), x, y, colw, h, size_lbl, BTN_SECONDARY, ACT_ATTRACT, ATTRACT_SIZE);
    } else if (need + 2 * app_px(a, 16) <= half) {
        ui_button(app_ui(a), x, y, half, h, size_lbl, BTN_SECONDARY, ACT_ATTRACT, ATTRACT_SIZE);
        y += ui_button(app_ui(a), x + half + gap, y, colw - half - gap, h, read_lbl, BTN_SECONDARY, ACT_ATTRACT,
                       ATTRACT_READ);
    } else {
        y += ui_button(app_ui(a), x, y, colw, h, size_lbl, BTN_SECONDARY, ACT_ATTRACT, ATTRACT_SIZE) + gap;
        y += ui_button(app_ui(a), x, y, colw, h, read_lbl, BTN_SECONDARY, ACT_ATTRACT, ATTRACT_READ);
    }
    chrome_end_list(a, y + app_px(a, 24));
}

static bool attract_action(app *a, app_action act, int arg) {
    if (act != ACT_ATTRACT) return false;
    switch (arg) {
    case ATTRACT_ENTER:
        readaloud_stop(a);
        nav_reset(a, SCREEN_HOME);
        a->scroll_list = 0;
        break;
    case ATTRACT_SIZE: {
        char pct[16];
        snprintf(pct, sizeof pct, "%d", a->set.text_pct >= ATTRACT_LARGER_PCT ? 100 : ATTRACT_LARGER_PCT);
        aids_set_setting(a, "text_pct", pct); /* the same setting the reading aids change: it follows the visitor in */
        break;
    }
    case ATTRACT_READ:
        if (!readaloud_offered(a)) break;
        if (readaloud_get()->on) {
            readaloud_stop(a);
        } else {
            /* the screen itself, from its top, each part lit as it is said and the list scrolled on with the voice,
             * its buttons named as buttons: its texts read as a list of strings lit nothing and followed nothing,
             * and at 400 % on a phone a visitor at the button at the foot heard a title far out of sight (issue 13) */
            readaloud_screen_from(a, a->view.area_top >= 0 ? a->view.area_top : 0);
        }
        break;
    default: break;
    }
    a->dirty = true;
    return true;
}

/* With a keyboard alone: Enter goes in, as the big button does (arrows and Page Down scroll as everywhere). */
static bool attract_key(app *a, SDL_Keycode k, Uint16 mod) {
    (void)mod;
    if (k != SDLK_RETURN && k != SDLK_KP_ENTER) return false;
    app_do(a, ACT_ATTRACT, ATTRACT_ENTER);
    return true;
}

/* Back on the welcome screen goes nowhere: there is nothing under it. */
static void attract_back(app *a) { (void)a; }

const screen_ops screen_attract = {
    .name = "attract",
    .draw = draw_attract,
    .action = attract_action,
    .key = attract_key,
    .back = attract_back,
};
