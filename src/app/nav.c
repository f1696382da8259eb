/* nav.c — the screens' stack, Back, and the place the patient comes back to.
 *
 * Opening a screen pushes it; Back pops it (or runs the screen's own `back`). The place is the topmost screen
 * on the stack that is worth coming back to (screens.h: saves_place): the reader, not the help over it; the
 * page of an exercise, not the exercise. It is written to the store whenever it settles — a page turn, the end
 * of a scroll, leaving a screen — so a flat battery loses at most a scroll. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lock.h"
#include "pages.h"
#include "screens.h"

const char *app_screen_name(app_screen s) { return screen_get(s)->name; }

static void set_top(app *a) {
    a->screen = a->depth > 0 ? a->stack[a->depth - 1] : SCREEN_HOME;
    a->dirty = true;
}

void nav_push(app *a, app_screen s) {
    if (a->depth > 0 && a->stack[a->depth - 1] == s) return;
    if (a->depth == MS_NAV_DEPTH) a->depth--; /* full: the top gives way */
    a->stack[a->depth++] = s;
    set_top(a);
}

void nav_pop(app *a) {
    if (a->depth > 1) a->depth--;
    set_top(a);
}

void nav_replace(app *a, app_screen s) {
    if (a->depth == 0) a->depth = 1;
    a->stack[a->depth - 1] = s;
    set_top(a);
}

void nav_reset(app *a, app_screen root) {
    a->stack[0] = root;
    a->depth = 1;
    set_top(a);
}

bool nav_pop_to(app *a, app_screen s) {
    for (int i = a->depth - 1; i >= 0; i--)
        if (a->stack[i] == s) {
            a->depth = i + 1;
            set_top(a);
            return true;
        }
    return false;
}

app_screen nav_below(const app *a) { return a->depth > 1 ? a->stack[a->depth - 2] : SCREEN_HOME; }

/* The place to remember: the topmost screen that is one (help over aids over the page: the page). */
app_screen nav_place(const app *a) {
    for (int i = a->depth - 1; i >= 0; i--) {
        const screen_ops *ops = screen_get(a->stack[i]);
        if (ops->saves_place && ops->saves_place(a)) return a->stack[i];
    }
    return SCREEN_HOME;
}

static void visited_cb(void *ctx, const char *page_id) {
    app *a = ctx;
    for (size_t m = 0; m < a->prog->n_modules; m++) {
        int p = doc_find_page(&a->prog->modules[m], page_id);
        if (p >= 0) a->visited[a->page_base[m] + p] = true;
    }
}

bool nav_load_visited(app *a) {
    int total = 0;
    a->page_base = calloc(a->prog->n_modules + 1, sizeof *a->page_base);
    if (!a->page_base) return false;
    for (size_t m = 0; m < a->prog->n_modules; m++) {
        a->page_base[m] = total;
        total += (int)a->prog->modules[m].n_pages;
    }
    a->page_base[a->prog->n_modules] = total;
    a->visited = calloc((size_t)total + 1, sizeof *a->visited);
    if (!a->visited) return false;
    if (!store_each_visited(a->st, a->prog->id, visited_cb, a))
        app_log("could not read visited pages: %s", store_last_error(a->st));
    return true;
}

int nav_visited_count(const app *a, int m) {
    int n = 0;
    for (size_t p = 0; p < a->prog->modules[m].n_pages; p++)
        n += a->visited[a->page_base[m] + (int)p];
    return n;
}

/* Restores the place saved by app_save_place: screen, module, page, and the anchor in the page. */
void nav_restore_place(app *a) {
    char scr[32], mod[96];
    nav_reset(a, SCREEN_HOME);
    a->pending_block = -1;
    if (!store_get_setting(a->st, "place.screen", scr, sizeof scr)) return;
    store_get_setting(a->st, "place.module", mod, sizeof mod);
    const doc_module *m = doc_find_module(a->prog, mod);
    if (!m || !m->unlocked) return;
    a->module = (int)(m - a->prog->modules);
    if (strcmp(scr, "module") == 0) {
        nav_push(a, SCREEN_MODULE);
    } else if (strcmp(scr, "write") == 0) {
        /* the patient was writing when the tablet went off: back into the editor, the draft as it was */
        char key[96];
        if (store_get_setting(a->st, "place.write_key", key, sizeof key) && strcmp(key, "message") == 0) {
            messages_load(a);
            nav_push(a, SCREEN_MESSAGES);
            editor_open_message(a);
        }
    } else if (strcmp(scr, "page") == 0) {
        store_position pos;
        if (store_get_position(a->st, a->prog->id, m->id, &pos)) {
            int p = doc_find_page(m, pos.page);
            if (p >= 0) {
                nav_push(a, SCREEN_MODULE);
                nav_push(a, SCREEN_PAGE);
                a->page = p;
                a->pending_block = doc_find_block(&m->pages[p], pos.block);
                a->pending_permille = pos.offset_permille;
            }
        }
    }
}

void app_save_place(app *a) {
    if (lock_place_pending()) return; /* locked since start: home behind the lock is not where the patient was */
    app_screen base = nav_place(a);
    const doc_module *m = &a->prog->modules[a->module];
    bool ok = store_set_setting(a->st, "place.screen", app_screen_name(base)) &&
              store_set_setting(a->st, "place.module", m->id) &&
              (base != SCREEN_WRITE || store_set_setting(a->st, "place.write_key", "message"));
    if (ok && base == SCREEN_PAGE) {
        store_position pos = {0};
        snprintf(pos.module, sizeof pos.module, "%s", m->id);
        snprintf(pos.page, sizeof pos.page, "%s", m->pages[a->page].id);
        int block = 0, permille = 0;
        pagelayout *pl = a->pending_block >= 0 ? NULL : pages_layout(a);
        if (pl) {
            pl_anchor(pl, a->scroll_page, &block, &permille);
        } else if (a->pending_block >= 0) {
            block = a->pending_block;
            permille = a->pending_permille;
        }
        if (block >= 0 && (size_t)block < m->pages[a->page].n_blocks)
            snprintf(pos.block, sizeof pos.block, "%s", m->pages[a->page].blocks[block].id);
        pos.offset_permille = permille;
        ok = store_set_position(a->st, a->prog->id, &pos);
    }
    if (!ok) app_log("could not save the reading place: %s", store_last_error(a->st));
}
