/* help.c — «Hjelp nå», reachable from every screen: this programme is not where to turn in a crisis; 113, 116 117,
 * the patient's own clinic, the GP. Back returns to the screen it was opened over. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chrome.h"
#include "meistring/kiosk_config.h"
#include "screens.h"

static int help_number(app *a, int x, int y, int w, const char *number, const char *what) {
    const theme *th = a->th;
    int pad = app_px(a, 16);
    int big = ui_font(app_ui(a), 34);
    int hnum = ui_text_height(app_ui(a), number, REN_BOLD, big, w - 2 * pad);
    int hwhat = ui_text_height(app_ui(a), what, REN_REGULAR, ui_font(app_ui(a), DP_BODY), w - 2 * pad);
    int h = pad + hnum + app_px(a, 4) + hwhat + pad;
    ren_fill_round(a->rn, x, y, w, h, app_px(a, 12), th->ink[INK_CARD_BG]);
    ren_frame_round(a->rn, x, y, w, h, app_px(a, 12), app_px(a, 2), th->ink[INK_ALERT]);
    ui_text(app_ui(a), number, REN_BOLD, big, th->ink[INK_ALERT], x + pad, y + pad, w - 2 * pad, ROLE_HEADING);
    ui_text(app_ui(a), what, REN_REGULAR, ui_font(app_ui(a), DP_BODY), th->ink[INK_TEXT], x + pad, y + pad + hnum + app_px(a, 4),
            w - 2 * pad, ROLE_TEXT);
    return h;
}

/* The keys and the switch (keynav.h): every shortcut the client has, said once, where a patient who cannot use the
 * touch screen looks first. F1 opens this screen from anywhere, so the list is one key away. */
static int help_keys(app *a, int x, int y, int colw) {
    int y0 = y;
    y += ui_heading(app_ui(a), app_tr(a, "help.keys_title"), DP_H3, x, y, colw);
    y += app_px(a, 6);
    for (int i = 1; i <= 8; i++) {
        char key[32];
        snprintf(key, sizeof key, "help.keys_%d", i);
        y += ui_text(app_ui(a), app_tr(a, key), REN_REGULAR, ui_font(app_ui(a), DP_BODY), a->th->ink[INK_TEXT], x, y, colw,
                     ROLE_TEXT);
        y += app_px(a, 8);
    }
    return y - y0;
}

static void draw_help(app *a) {
    const theme *th = a->th;
    int top, x, colw;
    int y = chrome_list_screen(a, app_tr(a, "help.title"), true, &top, &x, &colw);
    y += ui_text(app_ui(a), app_tr(a, "help.title"), REN_BOLD, ui_font(app_ui(a), DP_H1), th->ink[INK_ALERT], x, y, colw, ROLE_HEADING);
    y += app_px(a, 12);
    /* the statement first: this programme is not where to turn in a crisis */
    int pad = app_px(a, 16);
    const char *no_acute = app_tr(a, "help.no_acute");
    int h = ui_text_height(app_ui(a), no_acute, REN_BOLD, ui_font(app_ui(a), DP_BODY), colw - 2 * pad - app_px(a, 6));
    ren_fill_round(a->rn, x, y, colw, h + 2 * pad, app_px(a, 10), th->ink[INK_IMPORTANT_BG]);
    ren_fill(a->rn, x, y, app_px(a, 6), h + 2 * pad, th->ink[INK_IMPORTANT_EDGE]);
    ui_text(app_ui(a), no_acute, REN_BOLD, ui_font(app_ui(a), DP_BODY), th->ink[INK_TEXT], x + pad + app_px(a, 6), y + pad,
            colw - 2 * pad - app_px(a, 6), ROLE_CALLOUT);
    y += h + 2 * pad + app_px(a, 16);
    y += help_number(a, x, y, colw, "113", app_tr(a, "help.113")) + app_px(a, 14);
    y += help_number(a, x, y, colw, "116 117", app_tr(a, "help.116117")) + app_px(a, 14);
    /* the patient's own clinic */
    y += app_px(a, 8);
    y += ui_heading(app_ui(a), app_tr(a, "help.clinic_title"), DP_H3, x, y, colw);
    y += app_px(a, 6);
    /* a kiosk names the clinic it stands in (its configuration); a tablet, the clinic its programme came from */
    const char *name = a->prog->clinic_name, *phone = a->prog->clinic_phone, *hours = a->prog->clinic_hours;
    const kcfg *kc = a->opt.kiosk_cfg;
    if (kc && (kc->clinic_name[0] || kc->clinic_phone[0])) {
        name = kc->clinic_name[0] ? kc->clinic_name : NULL;
        phone = kc->clinic_phone[0] ? kc->clinic_phone : NULL;
        hours = NULL;
    }
    if (name || phone) {
        char line[512];
        if (name)
            y += ui_text(app_ui(a), name, REN_REGULAR, ui_font(app_ui(a), DP_BODY), th->ink[INK_TEXT], x, y, colw,
                         ROLE_TEXT);
        if (phone) {
            snprintf(line, sizeof line, "%s %s", app_tr(a, "help.phone"), phone);
            y += ui_text(app_ui(a), line, REN_BOLD, ui_font(app_ui(a), DP_BODY), th->ink[INK_TEXT], x, y, colw, ROLE_TEXT);
        }
        if (hours)
            y += ui_text(app_ui(a), hours, REN_REGULAR, ui_font(app_ui(a), DP_BODY), th->ink[INK_MUTED], x, y, colw,
                         ROLE_TEXT);
    } else {
        y += ui_text(app_ui(a), app_tr(a, "help.clinic_unknown"), REN_REGULAR, ui_font(app_ui(a), DP_BODY), th->ink[INK_TEXT], x, y,
                     colw, ROLE_TEXT);
    }
    y += app_px(a, 16);
    y += ui_text(app_ui(a), app_tr(a, "help.gp"), REN_REGULAR, ui_font(app_ui(a), DP_BODY), th->ink[INK_TEXT], x, y, colw, ROLE_TEXT);
    y += app_px(a, 24);
    y += help_keys(a, x, y, colw);
    y += app_px(a, 24);
    int bh = ui_button(app_ui(a), x, y, colw, app_px(a, DP_BUTTON_MAIN), app_tr(a, "help.close"), BTN_PRIMARY, ACT_BACK, 0);
    chrome_end_list(a, y + bh + app_px(a, 4));
}

const screen_ops screen_help = {
    .name = "help",
    .draw = draw_help,
};
