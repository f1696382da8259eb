/* help.c — «Hjelp nå», reachable from every screen: this programme is not where to turn in a crisis; 113, 116 117,
 * the patient's own clinic, the GP. Back returns to the screen it was opened over. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chrome.h"
#include "pages.h"
#include "meistring/kiosk_config.h"
#include "screens.h"

/* What this screen says is read at the patient's reading size, not the interface's (capped at 200 %): a patient who
 * chose 400 % must read the crisis numbers and what they are for as they read their pages (issue 13's audit: at
 * 400 % the screen was as at 200 %). */
static int help_px(app *a) { return pages_read_px(a, DP_BODY); }

/* A section's heading at the reading size of a page's third level, so it is never smaller than the text it heads */
static int help_heading(app *a, const char *text, int x, int y, int w) {
    size_t from = a->view.n;
    int h = ui_text(app_ui(a), text, REN_BOLD, pages_read_px(a, DP_H3), a->th->ink[INK_HEADING], x, y, w, ROLE_HEADING);
    view_heading_level(&a->view, from, 2);
    return h;
}

/* px, smaller until number fits w on one line (its digit groups never broken: «116 117» over two lines would be
 * dialled wrong), never under least */
static int fit_px(app *a, const char *number, int w, int px, int least) {
    size_t n = strlen(number);
    int tw = ren_measure(a->rn, ren_style(a->rn, REN_BOLD, px), number, n);
    if (tw > w && tw > 0) {
        /* a width grows with the size: straight to the size that fits, then a px down while hinting says no — a
         * size per step opened a font size each (the renderer's few slots, the page's among them, thrashed) */
        px = (int)((long)px * w / tw);
        while (px > least && ren_measure(a->rn, ren_style(a->rn, REN_BOLD, px), number, n) > w)
            px--;
    }
    return px > least ? px : least;
}

/* A crisis number in large type: 1.4 times the reading size, never under the interface's 34 dp */
static int number_px(app *a, const char *number, int w) {
    /* on a phone on its side the reading size itself: 1.4 times it is most of the room under the bars, and 113 was
     * cut at the screen's foot */
    int mul = chrome_short_window(a) ? 10 : 14;
    return fit_px(a, number, w, help_px(a) * mul / 10, ui_font(app_ui(a), 34));
}

static int help_number(app *a, int x, int y, int w, const char *number, const char *what) {
    const theme *th = a->th;
    int pad = app_px(a, 16);
    int big = number_px(a, number, w - 2 * pad);
    int hnum = ui_text_height(app_ui(a), number, REN_BOLD, big, w - 2 * pad);
    int hwhat = ui_text_height(app_ui(a), what, REN_REGULAR, help_px(a), w - 2 * pad);
    int h = pad + hnum + app_px(a, 4) + hwhat + pad;
    ren_fill_round(a->rn, x, y, w, h, app_px(a, 12), th->ink[INK_CARD_BG]);
    ren_frame_round(a->rn, x, y, w, h, app_px(a, 12), app_px(a, 2), th->ink[INK_ALERT]);
    ui_text(app_ui(a), number, REN_BOLD, big, th->ink[INK_ALERT], x + pad, y + pad, w - 2 * pad, ROLE_HEADING);
    ui_text(app_ui(a), what, REN_REGULAR, help_px(a), th->ink[INK_TEXT], x + pad, y + pad + hnum + app_px(a, 4),
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
        /* at the interface's size: «Shift+Tab» at 400 % is wider than a phone's column (it broke as «Shif-t») */
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
    /* the screen's name as its first heading only where the bar did not show it whole: «Hjelp nå» was on screen
     * three times (the bar's button, its title, this heading) and pushed 113 under a phone's foot on its side */
    if (!chrome_title_shown()) {
        y += ui_text(app_ui(a), app_tr(a, "help.title"), REN_BOLD, help_px(a), th->ink[INK_ALERT], x, y, colw,
                     ROLE_HEADING);
        y += app_px(a, 12);
    }
    /* the numbers first: at 400 % on a phone each card is a screen, and a patient in crisis needs 113 before the
     * reasons (the statement came first, and 113 was three screens down) */
    y += help_number(a, x, y, colw, "113", app_tr(a, "help.113")) + app_px(a, 14);
    /* a no-break space: the groups are one number, on one line (and a heading set smaller to fit is judged so) */
    y += help_number(a, x, y, colw, "116\u00a0117", app_tr(a, "help.116117")) + app_px(a, 14);
    /* then what the programme is not: where to turn in a crisis */
    int pad = app_px(a, 16);
    const char *no_acute = app_tr(a, "help.no_acute");
    int h = ui_text_height(app_ui(a), no_acute, REN_BOLD, help_px(a), colw - 2 * pad - app_px(a, 6));
    ren_fill_round(a->rn, x, y, colw, h + 2 * pad, app_px(a, 10), th->ink[INK_IMPORTANT_BG]);
    ren_fill(a->rn, x, y, app_px(a, 6), h + 2 * pad, th->ink[INK_IMPORTANT_EDGE]);
    ui_text(app_ui(a), no_acute, REN_BOLD, help_px(a), th->ink[INK_TEXT], x + pad + app_px(a, 6), y + pad,
            colw - 2 * pad - app_px(a, 6), ROLE_CALLOUT);
    y += h + 2 * pad + app_px(a, 16);
    /* the patient's own clinic */
    y += app_px(a, 8);
    y += help_heading(a, app_tr(a, "help.clinic_title"), x, y, colw);
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
            y += ui_text(app_ui(a), name, REN_REGULAR, help_px(a), th->ink[INK_TEXT], x, y, colw,
                         ROLE_TEXT);
        if (phone) {
            snprintf(line, sizeof line, "%s %s", app_tr(a, "help.phone"), phone);
            /* the number's groups on one line (a 320 dp phone at 400 % broke «00 00 00 00» inside a group) */
            y += ui_text(app_ui(a), line, REN_BOLD, fit_px(a, phone, colw, help_px(a), ui_font(app_ui(a), DP_BODY)),
                         th->ink[INK_TEXT], x, y, colw, ROLE_TEXT);
        }
        if (hours)
            y += ui_text(app_ui(a), hours, REN_REGULAR, help_px(a), th->ink[INK_MUTED], x, y, colw,
                         ROLE_TEXT);
    } else {
        y += ui_text(app_ui(a), app_tr(a, "help.clinic_unknown"), REN_REGULAR, help_px(a), th->ink[INK_TEXT], x, y,
                     colw, ROLE_TEXT);
    }
    y += app_px(a, 16);
    y += ui_text(app_ui(a), app_tr(a, "help.gp"), REN_REGULAR, help_px(a), th->ink[INK_TEXT], x, y, colw, ROLE_TEXT);
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
