/* module.c — one module: its progress, the time left at the patient's own pace, «Start» / «Fortsett der du
 * slapp», and its pages. Opens the reader on a page, or where the patient left the module. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chrome.h"
#include "pages.h"
#include "screens.h"

static void draw_module(app *a) {
    const theme *th = a->th;
    const doc_module *mod = &a->prog->modules[a->module];
    char title[512];
    snprintf(title, sizeof title, "%s %d: %s", app_tr(a, "home.module"), mod->number, mod->title);
    int top, x, colw;
    char bar[64]; /* where am I: «Modul 2», the heading under it says which */
    snprintf(bar, sizeof bar, "%s %d", app_tr(a, "home.module"), mod->number);
    int y = chrome_list_screen(a, bar, true, &top, &x, &colw);
    /* the line under the title (how far, how long is left) is read at the patient's reading size, to 400 % (it
     * stopped at the interface's 200 %); the headings never smaller, the buttons at the interface's size */
    y += chrome_heading(a, title, DP_H1, x, y, colw, true);
    int seen = nav_visited_count(a, a->module), total = (int)mod->n_pages;
    char prog_s[384];
    chrome_progress_text(a, seen, total, prog_s, sizeof prog_s);
    y += app_px(a, 6);
    if (seen < total) {
        /* a rough time for what is left, from the patient's own pace */
        int words = 0;
        for (size_t p = 0; p < mod->n_pages; p++)
            if (!a->visited[a->page_base[a->module] + (int)p]) words += (int)doc_page_word_count(&mod->pages[p]);
        char mins[16], more[192];
        snprintf(mins, sizeof mins, "%d", (words + a->set.wpm - 1) / a->set.wpm);
        const char *margs[1] = {mins};
        i18n_format(more, sizeof more, app_tr(a, "module.time_left"), 1, margs);
        size_t l = strlen(prog_s);
        snprintf(prog_s + l, sizeof prog_s - l, " · %s", more);
    }
    y += ui_text(app_ui(a), prog_s, REN_REGULAR, pages_read_px(a, DP_BODY), th->ink[INK_MUTED], x, y, colw, ROLE_TEXT);
    y += app_px(a, 8);
    ui_progress(app_ui(a), x, y, colw, app_px(a, 10), seen, total);
    y += app_px(a, 28);
    const char *go = seen == 0       ? app_tr(a, "module.start")
                     : seen == total ? app_tr(a, "module.again")
                                     : app_tr(a, "module.continue");
    y += ui_button(app_ui(a), x, y, colw, app_px(a, DP_BUTTON_MAIN), go, BTN_PRIMARY, ACT_RESUME, 0) + app_px(a, 24);
    y += chrome_heading(a, app_tr(a, "module.pages"), DP_H3, x, y, colw, true);
    y += app_px(a, 10);
    size_t pages = a->view.n;
    for (size_t p = 0; p < mod->n_pages; p++) {
        char label[512];
        bool v = a->visited[a->page_base[a->module] + (int)p];
        snprintf(label, sizeof label, "%zu. %s%s%s", p + 1, mod->pages[p].title, v ? " – " : "",
                 v ? app_tr(a, "module.page_read") : "");
        int h = ui_button_height(app_ui(a), label, colw, app_px(a, DP_BUTTON));
        if (y + h > top && y < a->h)
            ui_button(app_ui(a), x, y, colw, h, label, BTN_SECONDARY, ACT_OPEN_PAGE, (int)p);
        else /* not drawn, but in the focus order (the list's clip keeps it out of the description) */
            view_add(&a->view, ROLE_BUTTON, label, x, y, colw, h, ACT_OPEN_PAGE, (int)p);
        y += h + app_px(a, 10);
    }
    view_list(&a->view, pages); /* the pages are a list, as home's modules are */
    chrome_end_list(a, y);
}

static bool module_action(app *a, app_action act, int arg) {
    switch (act) {
    case ACT_OPEN_PAGE: reader_open_page(a, arg); return true;
    case ACT_RESUME: {
        const doc_module *m = &a->prog->modules[a->module];
        store_position pos;
        int page = 0, block = -1, permille = 0;
        if (store_get_position(a->st, a->prog->id, m->id, &pos)) {
            int p = doc_find_page(m, pos.page);
            if (p >= 0) {
                page = p;
                block = doc_find_block(&m->pages[p], pos.block);
                permille = pos.offset_permille;
            }
        }
        reader_open_page(a, page);
        a->pending_block = block;
        a->pending_permille = permille;
        return true;
    }
    default: return false;
    }
}

static bool module_saves_place(const app *a) {
    (void)a;
    return true;
}

const screen_ops screen_module = {
    .name = "module",
    .draw = draw_module,
    .action = module_action,
    .saves_place = module_saves_place,
};
