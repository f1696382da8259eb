/* home.c — the programme's modules, each with its state and progress; messages, the patient's scores and, when
 * a clinic is known, the sync line. Opens a module, or says why a locked one is locked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chrome.h"
#include "lock.h"
#include "pages.h"
#include "screens.h"

static void draw_home(app *a) {
    const theme *th = a->th;
    int top, x, colw;
    int y = chrome_list_screen(a, app_tr(a, "app.name"), false, &top, &x, &colw);
    /* the programme's description is read as the pages are, at the patient's reading size (to 400 %; it stopped at
     * the interface's 200 %), its title never smaller; the cards and buttons under it keep the interface's size */
    y += chrome_heading(a, a->prog->title, DP_H1, x, y, colw, true);
    y += app_px(a, 6);
    if (a->prog->description) {
        y += ui_text(app_ui(a), a->prog->description, REN_REGULAR, pages_read_px(a, DP_BODY), th->ink[INK_TEXT], x, y,
                     colw, ROLE_TEXT);
    }
    if (a->sync) {
        y += app_px(a, 12);
        y += chrome_sync_status(a, x, y, colw);
    }
    /* messages, with how many are new (in the demonstration too, where they go nowhere and say so) */
    char mlabel[160], n[16];
    snprintf(n, sizeof n, "%d", messages_unread());
    const char *margs[1] = {n};
    int unread = messages_unread();
    const char *mkey = unread > 1 ? "msg.button_new_many" : unread ? "msg.button_new" : "msg.button"; /* «2 nye» */
    i18n_format(mlabel, sizeof mlabel, app_tr(a, mkey), 1, margs);
    y += app_px(a, 12);
    y += ui_button(app_ui(a), x, y, colw, app_px(a, DP_BUTTON), mlabel, messages_unread() ? BTN_PRIMARY : BTN_SECONDARY, ACT_MESSAGES, 0);
    if (scores_any()) { /* the patient's own scores over the weeks, once there are any */
        y += app_px(a, 12);
        y += ui_button(app_ui(a), x, y, colw, app_px(a, DP_BUTTON), app_tr(a, "scores.button"), BTN_SECONDARY, ACT_SCORES, 0);
    }
    y += app_px(a, 20);
    int pad = app_px(a, 16);
    int px = ui_font(app_ui(a), DP_BODY), spx = ui_font(app_ui(a), DP_SMALL + 1);
    size_t cards = a->view.n;
    for (size_t i = 0; i < a->prog->n_modules; i++) {
        const doc_module *mod = &a->prog->modules[i];
        char num[64], status[256], label[768];
        snprintf(num, sizeof num, "%s %d", app_tr(a, "home.module"), mod->number);
        int seen = nav_visited_count(a, (int)i), total = (int)mod->n_pages;
        const char *state;
        char gated[300];
        const doc_block *gate = doc_module_gate(a->prog, mod);
        if (!mod->unlocked && gate) { /* it opens by itself: say what opens it */
            const char *gargs[1] = {gate->title};
            i18n_format(gated, sizeof gated, app_tr(a, "module.locked_after"), 1, gargs);
            state = gated;
        } else if (!mod->unlocked)
            state = app_tr(a, "module.locked");
        else if (total > 0 && seen == total)
            state = app_tr(a, "module.done");
        else
            state = app_tr(a, "module.open");
        char prog_s[128];
        chrome_progress_text(a, seen, total, prog_s, sizeof prog_s);
        if (mod->unlocked)
            snprintf(status, sizeof status, "%s · %s", state, prog_s);
        else
            snprintf(status, sizeof status, "%s", state);
        char title_line[512];
        snprintf(title_line, sizeof title_line, "%s: %s", num, mod->title);
        int tw = colw - 2 * pad;
        int h1 = ui_text_height(app_ui(a), title_line, REN_BOLD, px, tw);
        int h2 = ui_text_height(app_ui(a), status, REN_REGULAR, spx, tw);
        int bar_h = app_px(a, 8);
        int card_h = pad + h1 + app_px(a, 4) + h2 + (mod->unlocked ? app_px(a, 10) + bar_h : 0) + pad;
        if (card_h < app_px(a, DP_TARGET)) card_h = app_px(a, DP_TARGET);
        bool visible = y + card_h > top && y < a->h;
        if (visible) {
            uint32_t bg = mod->unlocked ? th->ink[INK_CARD_BG] : th->ink[INK_SUMMARY_BG];
            ren_fill_round(a->rn, x, y, colw, card_h, app_px(a, 12), bg);
            ren_frame_round(a->rn, x, y, colw, card_h, app_px(a, 12), app_px(a, 2), th->ink[INK_CARD_BORDER]);
            int cy = y + pad;
            cy += ui_text(app_ui(a), title_line, REN_BOLD, px, th->ink[mod->unlocked ? INK_HEADING : INK_MUTED], x + pad, cy,
                          tw, -1);
            cy += app_px(a, 4);
            cy += ui_text(app_ui(a), status, REN_REGULAR, spx, th->ink[INK_MUTED], x + pad, cy, tw, -1);
            if (mod->unlocked) ui_progress(app_ui(a), x + pad, cy + app_px(a, 10), tw, bar_h, seen, total);
        }
        /* one element per module card, as a screen reader would announce it; one scrolled out of sight is not drawn,
         * but the list's clip keeps it in the focus order, so Tab can scroll to it */
        snprintf(label, sizeof label, "%s – %s", title_line, status);
        view_add(&a->view, ROLE_BUTTON, label, x, y, colw, card_h, mod->unlocked ? ACT_OPEN_MODULE : ACT_LOCKED, (int)i);
        y += card_h + app_px(a, 14);
    }
    view_list(&a->view, cards); /* the cards are a list: a screen reader says how many, and moves past them */
    if (lock_get()->has_pin) { /* the patient's own lock: now, and a new PIN */
        y += app_px(a, 8);
        y += ui_button(app_ui(a), x, y, colw, app_px(a, DP_BUTTON), app_tr(a, "home.lock"), BTN_SECONDARY, ACT_LOCK, 0);
        y += app_px(a, 12);
        y += ui_button(app_ui(a), x, y, colw, app_px(a, DP_BUTTON), app_tr(a, "home.change_pin"), BTN_SECONDARY,
                       ACT_CHANGE_PIN, 0);
        y += app_px(a, 14);
    }
    chrome_end_list(a, y);
}

static bool home_action(app *a, app_action act, int arg) {
    switch (act) {
    case ACT_OPEN_MODULE:
        if (arg >= 0 && (size_t)arg < a->prog->n_modules && a->prog->modules[arg].unlocked) {
            a->module = arg;
            nav_push(a, SCREEN_MODULE);
            a->scroll_list = 0;
            app_save_place(a);
        }
        return true;
    case ACT_LOCKED: {
        const doc_module *m = arg >= 0 && (size_t)arg < a->prog->n_modules ? &a->prog->modules[arg] : NULL;
        const doc_block *gate = m ? doc_module_gate(a->prog, m) : NULL;
        char msg[400];
        if (gate) {
            const char *args[1] = {gate->title};
            /* with no clinic to go through (the demonstration), the tablet opens it itself: no «online» to wait for */
            i18n_format(msg, sizeof msg,
                        app_tr(a, app_has_clinic(a) ? "module.locked_after_toast" : "module.locked_after_toast_here"),
                        1, args);
        }
        app_show_toast(a, gate ? msg : app_tr(a, "module.locked_toast"), 4000);
        return true;
    }
    default: return false;
    }
}

static bool home_saves_place(const app *a) {
    (void)a;
    return true;
}

const screen_ops screen_home = {
    .name = "home",
    .draw = draw_home,
    .action = home_action,
    .saves_place = home_saves_place,
};
