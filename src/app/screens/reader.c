/* reader.c — the reader: one page of a module, in pages or screens, with the bars around it (Back, the page's
 * title, the reading aids, read-aloud, «Hjelp nå»; previous, where you are and the time left, next), the
 * read-aloud bar while reading, and the line-focus ruler.
 *
 * reader_update lays the page out for the frame: it paginates (paged reading cuts the page at line tops into
 * screens that fit), restores a saved anchor once the page is laid out, clamps the scroll, starts the
 * reading-pace clock and places the focus ruler. draw_page then draws what update decided and changes nothing.
 * Turning, tapping, swiping and keys move through the page and the module; the place is saved as it settles. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chrome.h"
#include "pages.h"
#include "readaloud.h"
#include "screens.h"

/* The frame's geometry: worked out by reader_update, drawn by draw_page. */
static struct {
    bool laid_out; /* the page has a layout (not out of memory) */
    bool last;     /* the module's last page (and, paged, its last screen): "next" says «Ferdig» */
    bool paged;    /* paged reading, cut into screens */
    const char *prev_lbl, *next_lbl, *prev_shown, *next_shown, *end_lbl;
    int bw, bh, bottom_h, speech_h, bottom; /* the bottom bar's buttons, its height, where it starts */
    int colw, x, gap, view_top, view_h;    /* the reading column and the area between the bars */
    int end_btn_h, content_h;              /* the big "next" button at the end of the page; the page's height */
    SDL_Rect clip;                         /* the visible part of the page */
    int origin;                            /* where page y = 0 sits when the scroll is 0 */
} g;

/* The reader's own state. */
static int focus_y = -1;                         /* the ruler's line, page coordinates; -1: the first line in view */
static int focus_band_top = -1, focus_band_bottom = -1; /* where the ruler was placed, screen coordinates */
static int page_x, page_origin;                  /* where page coordinate (0, 0) is drawn, before scrolling */
/* paged reading: where each screen of the current page starts (page coordinates), for which layout */
static int *screen_starts;
static int n_screens, screen_idx, screens_total, screens_avail;
static const pagelayout *screens_for;
static unsigned screens_gen; /* pages.c's a->layouts_gen when they were cut: a layout freed since is not this one */
static bool to_last_screen;  /* a page turned backwards opens on its last screen */
static Uint32 screen_since;  /* when the current screen was first shown, for the reading pace */
static int shown_module = -1, shown_page = -1, shown_idx = -1;

static bool screens_valid(const app *a) { return screens_for && screens_gen == a->layouts_gen; }

/* Whether the patient is reading one screen at a time (and the page has been cut into screens). */
bool reader_paged(const app *a) {
    return strcmp(a->set.mode, "paged") == 0 && n_screens > 0 && screens_valid(a);
}

/* The read-aloud bar, shown above the bottom bar while reading: pause or resume, slower, the speed, faster,
 * stop. Symbols are drawn where the labels do not fit; the buttons keep their full names. */
static const char *speech_labels(app *a, int i, bool *compact) {
    (void)compact;
    switch (i) {
    case 0: return app_tr(a, readaloud_get()->paused ? "speech.resume" : "speech.pause");
    case 1: return app_tr(a, "speech.slower");
    case 2: return app_tr(a, "speech.faster");
    default: return app_tr(a, "speech.stop");
    }
}

static int speech_bar_height(app *a) {
    int m = ui_margin(app_ui(a)), gap = app_px(a, 8);
    int bw = (a->w - 2 * m - 4 * gap) / 5;
    int h = app_px(a, DP_BUTTON);
    for (int i = 0; i < 4; i++) {
        bool c = false;
        const char *l = speech_labels(a, i, &c);
        int need = ui_button_height(app_ui(a), l, bw, app_px(a, DP_BUTTON));
        if (need > app_px(a, DP_BUTTON)) need = ui_button_height(app_ui(a), i == 1 ? "–" : i == 2 ? "+" : "", bw, app_px(a, DP_BUTTON));
        if (need > h) h = need;
    }
    return h + app_px(a, 16);
}

static void draw_speech_bar(app *a, int y, int h) {
    const theme *th = a->th;
    int m = ui_margin(app_ui(a)), gap = app_px(a, 8);
    int bw = (a->w - 2 * m - 4 * gap) / 5;
    int bh = h - app_px(a, 16), by = y + app_px(a, 8);
    ren_fill(a->rn, 0, y, a->w, h, th->ink[INK_CARD_BG]);
    ren_fill(a->rn, 0, y, a->w, app_px(a, 2), th->ink[INK_CARD_BORDER]);
    static const int acts[] = {ACT_SPEAK, ACT_SPEAK_SLOWER, ACT_SPEAK_FASTER, ACT_SPEAK_STOP};
    static const int slot[] = {0, 1, 3, 4};
    /* slower and faster go compact together, so the pair always looks alike */
    bool compact = ui_button_height(app_ui(a), speech_labels(a, 1, NULL), bw, app_px(a, DP_BUTTON)) > bh ||
                   ui_button_height(app_ui(a), speech_labels(a, 2, NULL), bw, app_px(a, DP_BUTTON)) > bh;
    for (int i = 0; i < 4; i++) {
        const char *label = speech_labels(a, i, NULL);
        const char *shown = label;
        if ((i == 1 || i == 2) && compact)
            shown = i == 1 ? "–" : "+";
        else if (ui_button_height(app_ui(a), label, bw, app_px(a, DP_BUTTON)) > bh)
            shown = "";
        int bx = m + slot[i] * (bw + gap);
        ui_button_ex(app_ui(a), bx, by, bw, bh, label, shown, i == 0 ? BTN_PRIMARY : BTN_SECONDARY, acts[i], 0);
        if (!shown[0]) {
            if (i == 0)
                ui_play_icon(app_ui(a), bx, by, bw, bh, !readaloud_get()->paused, th->ink[INK_BUTTON_TEXT]);
            else
                ren_fill(a->rn, bx + bw / 2 - bh / 6, by + bh / 2 - bh / 6, bh / 3, bh / 3, th->ink[INK_TEXT]);
        }
    }
    /* the speed in the middle */
    char pct[16], speed[64];
    snprintf(pct, sizeof pct, "%d%s%02d", a->set.speech_pct / 100, a->set.speech_pct % 100 ? "," : "",
             a->set.speech_pct % 100);
    if (a->set.speech_pct % 100 == 0)
        snprintf(pct, sizeof pct, "%d", a->set.speech_pct / 100);
    else if (a->set.speech_pct % 10 == 0)
        snprintf(pct, sizeof pct, "%d,%d", a->set.speech_pct / 100, a->set.speech_pct % 100 / 10);
    const char *args[1] = {pct};
    i18n_format(speed, sizeof speed, app_tr(a, "speech.speed"), 1, args);
    int px = ui_font(app_ui(a), DP_SMALL);
    int tx = m + 2 * (bw + gap);
    int th_ = ui_text_height(app_ui(a), speed, REN_BOLD, px, bw);
    int tw = ren_measure(a->rn, ren_style(a->rn, REN_BOLD, px), speed, strlen(speed));
    if (tw < bw) tx += (bw - tw) / 2;
    ui_text(app_ui(a), speed, REN_BOLD, px, th->ink[INK_TEXT], tx, by + (bh - th_) / 2, bw, ROLE_STATUS);
}

/* The line-focus ruler: the lines around the focused one stay clear, the rest of the page is veiled. Placed
 * here (the focused line and the clear band), drawn by focus_draw. */
static void focus_update(app *a, const pagelayout *pl, int origin, int clip_top, int clip_bottom) {
    focus_band_top = focus_band_bottom = -1;
    int n = pages_lines(a, pl);
    if (n == 0) return;
    int visible_top = a->scroll_page + (clip_top - origin), visible_bottom = a->scroll_page + (clip_bottom - origin);
    int idx = -1;
    if (focus_y >= 0)
        for (int i = 0; i < n; i++)
            if (a->line_tops[i] <= focus_y) idx = i;
    /* off screen (a page turn, a scroll): the first whole line in view */
    if (idx < 0 || a->line_tops[idx] < visible_top || a->line_tops[idx] + a->line_heights[idx] > visible_bottom) {
        idx = 0;
        while (idx + 1 < n && a->line_tops[idx] < visible_top)
            idx++;
    }
    int k = (a->set.focus - 1) / 2;
    int i0 = idx - k < 0 ? 0 : idx - k, i1 = idx + k >= n ? n - 1 : idx + k;
    int bt = origin + a->line_tops[i0] - a->scroll_page;
    int bb = origin + a->line_tops[i1] + a->line_heights[i1] - a->scroll_page;
    if (bt < clip_top) bt = clip_top;
    if (bb > clip_bottom) bb = clip_bottom;
    focus_y = a->line_tops[idx];
    focus_band_top = bt;
    focus_band_bottom = bb;
}

static void focus_draw(app *a, int clip_top, int clip_bottom) {
    if (focus_band_top < 0) return;
    int bt = focus_band_top, bb = focus_band_bottom;
    uint32_t veil = a->th->ink[INK_FOCUS_DIM];
    ren_fill(a->rn, 0, clip_top, a->w, bt - clip_top, veil);
    ren_fill(a->rn, 0, bb, a->w, clip_bottom - bb, veil);
    int t = app_px(a, 2);
    ren_fill(a->rn, 0, bt - t, a->w, t, a->th->ink[INK_CARD_BORDER]);
    ren_fill(a->rn, 0, bb, a->w, t, a->th->ink[INK_CARD_BORDER]);
}

/* Cuts the page into screens of at most avail px (page coordinates): each screen starts at a line top, the
 * end button's top (end_top) is a break too, total is where the content ends. Cached per layout and size. */
static void paginate(app *a, const pagelayout *pl, int avail, int end_top, int total) {
    if (screens_valid(a) && screens_for == pl && screens_avail == avail && screens_total == total && n_screens > 0)
        return;
    if (!screen_starts) screen_starts = malloc(MS_MAX_SCREENS * sizeof *screen_starts);
    int cap = pl_line_count(pl) + 64;
    int *cand = malloc((size_t)cap * sizeof *cand);
    n_screens = 1;
    if (screen_starts) screen_starts[0] = 0;
    if (!screen_starts || !cand) {
        free(cand);
        n_screens = 0;
        return;
    }
    int n = pl_breaks(pl, cand, cap - 1);
    cand[n++] = end_top;
    int at = 0, k = 0;
    while (at + avail < total && n_screens < MS_MAX_SCREENS) {
        int next = -1;
        while (k < n && cand[k] <= at + avail) {
            if (cand[k] > at) next = cand[k];
            k++;
        }
        if (next < 0) next = at + avail; /* one tall image or line: cut it */
        screen_starts[n_screens++] = next;
        at = next;
        while (k > 0 && cand[k - 1] > at) /* candidates past the new start come round again */
            k--;
    }
    free(cand);
    screens_for = pl;
    screens_gen = a->layouts_gen;
    screens_avail = avail;
    screens_total = total;
}

static void reader_update(app *a) {
    const doc_module *mod = &a->prog->modules[a->module];
    int top = chrome_topbar_height(a, true, true);
    /* bottom bar: as tall as its buttons need at this text size. In paged reading "next" is the next screen,
     * and only the last screen of the last page says "Ferdig". */
    bool paged_mode = strcmp(a->set.mode, "paged") == 0;
    pagelayout *cur = pages_layout(a);
    g.last = a->page + 1 >= (int)mod->n_pages &&
             (!paged_mode || !screens_valid(a) || screens_for != cur || screen_idx + 1 >= n_screens);
    g.prev_lbl = app_tr(a, "page.prev");
    g.next_lbl = app_tr(a, g.last ? "page.finish_short" : "page.next");
    int m = ui_margin(app_ui(a));
    /* buttons as wide as their labels need (at most a third each): the middle keeps room for the status */
    int lbl_style = ren_style(a->rn, REN_BOLD, ui_font(app_ui(a), DP_BODY));
    int need = ren_measure(a->rn, lbl_style, g.prev_lbl, strlen(g.prev_lbl));
    int need2 = ren_measure(a->rn, lbl_style, g.next_lbl, strlen(g.next_lbl));
    int bw = (need > need2 ? need : need2) + app_px(a, 40);
    if (bw > (a->w - 2 * m) / 3) bw = (a->w - 2 * m) / 3;
    if (bw < app_px(a, 64)) bw = app_px(a, 64);
    int bh = ui_button_height(app_ui(a), g.prev_lbl, bw, app_px(a, DP_BUTTON));
    bh = ui_button_height(app_ui(a), g.next_lbl, bw, bh);
    g.prev_shown = g.prev_lbl;
    g.next_shown = g.next_lbl;
    if (bh > app_px(a, DP_BUTTON) && bw < (a->w - 2 * m - app_px(a, 8)) / 2) {
        /* large text: the two buttons take the whole bar rather than wrap; "Side 2 av 5" gives way */
        bw = (a->w - 2 * m - app_px(a, 8)) / 2;
        bh = ui_button_height(app_ui(a), g.prev_lbl, bw, app_px(a, DP_BUTTON));
        bh = ui_button_height(app_ui(a), g.next_lbl, bw, bh);
        if (bh > app_px(a, DP_BUTTON)) {
            /* still too big: arrows only (the buttons still say "Forrige" and "Neste" to a screen reader) */
            g.prev_shown = "‹";
            if (!g.last) g.next_shown = "›";
            bh = ui_button_height(app_ui(a), g.next_shown, bw, app_px(a, DP_BUTTON));
        }
    }
    g.bw = bw;
    g.bh = bh;
    g.bottom_h = bh + app_px(a, 20) > app_px(a, DP_BOTTOM) ? bh + app_px(a, 20) : app_px(a, DP_BOTTOM);
    g.speech_h = readaloud_get()->on ? speech_bar_height(a) : 0;
    g.bottom = a->h - g.bottom_h - g.speech_h;
    pagelayout *pl = pages_layout(a);
    g.colw = pages_column(a);
    g.x = (a->w - g.colw) / 2;
    g.gap = app_px(a, 20);
    g.view_top = top;
    g.view_h = g.bottom - top;
    a->content_top = g.view_top;
    a->content_bottom = g.bottom;
    g.laid_out = pl != NULL;
    if (!pl) return;
    int gap = g.gap, view_h = g.view_h;
    /* the page ends with a big "next" button so a patient at the bottom need not look for the bar */
    g.end_lbl = app_tr(a, g.last ? "page.finish" : "page.next_long");
    g.end_btn_h = ui_button_height(app_ui(a), g.end_lbl, g.colw, app_px(a, DP_BUTTON_BIG));
    g.content_h = gap + pl_height(pl) + gap * 2 + g.end_btn_h + gap;
    bool paged = paged_mode;
    a->max_scroll = g.content_h - view_h > 0 ? g.content_h - view_h : 0;
    bool restored = a->pending_block >= 0;
    if (restored) {
        a->scroll_page = pl_scroll_for(pl, a->pending_block, a->pending_permille);
        a->kept_block = a->pending_block;
        a->kept_permille = a->pending_permille;
        a->pending_block = -1;
    }
    int clip_h = view_h;
    if (paged) {
        /* one screen at a time, cut at line tops so no line is ever split between two screens */
        int avail = view_h - gap - app_px(a, 8);
        if (avail < app_px(a, 40)) avail = app_px(a, 40);
        paginate(a, pl, avail, pl_height(pl) + gap * 2, pl_height(pl) + gap * 2 + g.end_btn_h);
    }
    if (paged && n_screens == 0) paged = false; /* out of memory: scrolling still works */
    if (paged) {
        int idx = 0;
        if (to_last_screen)
            idx = n_screens - 1;
        else
            while (idx + 1 < n_screens && screen_starts[idx + 1] <= a->scroll_page)
                idx++;
        to_last_screen = false;
        screen_idx = idx;
        a->scroll_page = screen_starts[idx];
        a->max_scroll = screen_starts[n_screens - 1];
        int next = idx + 1 < n_screens ? screen_starts[idx + 1] : screens_total;
        clip_h = next - a->scroll_page;
        if (clip_h > view_h - gap) clip_h = view_h - gap;
        if (shown_module != a->module || shown_page != a->page || shown_idx != idx) {
            shown_module = a->module;
            shown_page = a->page;
            shown_idx = idx;
            screen_since = SDL_GetTicks();
        }
    }
    g.paged = paged;
    if (a->scroll_page > a->max_scroll) a->scroll_page = a->max_scroll;
    if (a->scroll_page < 0) a->scroll_page = 0;
    if (restored) a->kept_scroll = a->scroll_page;
    /* paged: show exactly this screen's lines, from the top margin down; nothing of the lines before it */
    g.clip = paged ? (SDL_Rect){0, g.view_top + gap, a->w, clip_h} : (SDL_Rect){0, g.view_top, a->w, clip_h};
    g.origin = g.view_top + gap;
    page_x = g.x;
    page_origin = g.origin;
    if (a->set.focus)
        focus_update(a, pl, g.origin, g.clip.y, g.clip.y + g.clip.h);
    else
        focus_band_top = focus_band_bottom = -1;
}

static void draw_page(app *a) {
    const theme *th = a->th;
    const doc_module *mod = &a->prog->modules[a->module];
    char title[512];
    snprintf(title, sizeof title, "%s %d: %s", app_tr(a, "home.module"), mod->number, mod->title);
    chrome_topbar(a, title, true, true);
    int m = ui_margin(app_ui(a));
    int top = g.view_top, bottom = g.bottom, x = g.x, colw = g.colw, gap = g.gap, view_h = g.view_h;
    bool paged = g.paged, last = g.last;
    if (!g.laid_out) {
        ui_text(app_ui(a), app_tr(a, "error.memory"), REN_REGULAR, ui_font(app_ui(a), DP_BODY), th->ink[INK_TEXT], x,
                top + gap, colw, ROLE_TEXT);
        return;
    }
    pagelayout *pl = pages_laid_out(a); /* reader_update laid it out */
    ren_clip(a->rn, &g.clip);
    view_clip(&a->view, g.clip.x, g.clip.y, g.clip.w, g.clip.h);
    int origin = g.origin;
    /* the word being read aloud, lit on the boxes and behind the text */
    pl_draw_shapes(pl, a->rn, th, x, origin, a->scroll_page, view_h);
    int hx, hy, hw, hh;
    if (readaloud_get()->word && readaloud_get()->on && pl_unit_box(pl, readaloud_get()->unit, readaloud_get()->start, readaloud_get()->len, &hx, &hy, &hw, &hh)) {
        int pad = app_px(a, 3);
        ren_fill_round(a->rn, x + hx - pad, origin + hy - a->scroll_page, hw + 2 * pad, hh, app_px(a, 6),
                       th->ink[INK_HIGHLIGHT]);
    }
    pl_draw_text(pl, a->rn, th, x, origin, a->scroll_page, view_h);
    pl_describe(pl, &a->view, x, origin, a->scroll_page, g.view_top, view_h);
    int by = origin + pl_height(pl) + gap * 2 - a->scroll_page;
    if (by < bottom && by + g.end_btn_h > g.view_top)
        ui_button(app_ui(a), x, by, colw, g.end_btn_h, g.end_lbl, BTN_PRIMARY, last ? ACT_FINISH_MODULE : ACT_NEXT_PAGE,
                  0);
    focus_draw(a, g.clip.y, g.clip.y + g.clip.h);
    ren_clip(a->rn, NULL);
    view_clip_off(&a->view);

    if (readaloud_get()->on) draw_speech_bar(a, bottom, g.speech_h);
    bottom += g.speech_h;
    /* bottom bar: previous, where you are, next */
    int bw = g.bw, bh = g.bh, bottom_h = g.bottom_h;
    ren_fill(a->rn, 0, bottom, a->w, bottom_h, th->ink[INK_BAR_BG]);
    int by2 = bottom + (bottom_h - bh) / 2;
    if (a->page > 0 || (paged && screen_idx > 0))
        ui_button_ex(app_ui(a), m, by2, bw, bh, g.prev_lbl, g.prev_shown, BTN_BAR, ACT_PREV_PAGE, 0);
    ui_button_ex(app_ui(a), a->w - m - bw, by2, bw, bh, g.next_lbl, g.next_shown, BTN_BAR,
                 last ? ACT_FINISH_MODULE : ACT_NEXT_PAGE, 0);
    /* where you are, and how long is left: "Side 3 av 9" over "4 min igjen · modulen 25 min" */
    char s1[16], s2[16], where[128], left[160];
    snprintf(s1, sizeof s1, "%d", paged ? screen_idx + 1 : a->page + 1);
    snprintf(s2, sizeof s2, "%d", paged ? n_screens : (int)mod->n_pages);
    const char *args[2] = {s1, s2};
    i18n_format(where, sizeof where, app_tr(a, "page.position"), 2, args);
    int page_words = pl_words_between(pl, a->scroll_page, 1 << 30);
    int module_words = page_words;
    for (size_t p = (size_t)a->page + 1; p < mod->n_pages; p++)
        module_words += (int)doc_page_word_count(&mod->pages[p]);
    char m1[16], m2[16];
    snprintf(m1, sizeof m1, "%d", (page_words + a->set.wpm - 1) / a->set.wpm);
    snprintf(m2, sizeof m2, "%d", (module_words + a->set.wpm - 1) / a->set.wpm);
    const char *targs[2] = {m1, m2};
    i18n_format(left, sizeof left, app_tr(a, "page.time_left"), 2, targs);
    int spx = ui_font(app_ui(a), DP_SMALL + 1);
    int st = ren_style(a->rn, REN_REGULAR, ui_font(app_ui(a), DP_SMALL)), stb = ren_style(a->rn, REN_BOLD, spx);
    int ww = ren_measure(a->rn, stb, where, strlen(where)), lw = ren_measure(a->rn, st, left, strlen(left));
    int mid_l = m + bw, mid_r = a->w - m - bw, room = mid_r - mid_l - app_px(a, 8);
    int skip = ren_line_skip(a->rn, stb), skip2 = ren_line_skip(a->rn, st);
    if (ww <= room) {
        bool two = lw <= room && skip + skip2 <= bottom_h - app_px(a, 8);
        int wy = bottom + (bottom_h - (two ? skip + skip2 : skip)) / 2;
        int wx = (mid_l + mid_r - ww) / 2;
        ren_text(a->rn, stb, th->ink[INK_BAR_TEXT], where, strlen(where), wx, wy);
        char both[300];
        snprintf(both, sizeof both, "%s. %s", where, left);
        view_add(&a->view, ROLE_STATUS, two ? both : where, two ? (mid_l + mid_r - (lw > ww ? lw : ww)) / 2 : wx, wy,
                 lw > ww && two ? lw : ww, two ? skip + skip2 : skip, 0, 0);
        if (two) ren_text(a->rn, st, th->ink[INK_BAR_TEXT], left, strlen(left), (mid_l + mid_r - lw) / 2, wy + skip);
    }
    /* a thin scroll indicator on the right edge, so the length of the page is visible */
    if (a->max_scroll > 0 && !paged) {
        int track = view_h - app_px(a, 8);
        int thumb = track * view_h / (g.content_h > 0 ? g.content_h : 1);
        if (thumb < app_px(a, 24)) thumb = app_px(a, 24);
        int ty = g.view_top + app_px(a, 4) + (track - thumb) * a->scroll_page / a->max_scroll;
        ren_fill_round(a->rn, a->w - app_px(a, 7), ty, app_px(a, 4), thumb, app_px(a, 2), th->ink[INK_CARD_BORDER]);
    }
}

/* ---- moving through the module ---------------------------------------------------------------------------- */

void reader_open_page(app *a, int page) {
    const doc_module *m = &a->prog->modules[a->module];
    if (page < 0 || (size_t)page >= m->n_pages) return;
    if (a->screen == SCREEN_PAGE && page != a->page) {
        a->turn_pending = true;
        a->turn_t0 = SDL_GetPerformanceCounter();
    }
    if (a->screen != SCREEN_PAGE) nav_push(a, SCREEN_PAGE);
    a->page = page;
    a->scroll_page = 0;
    a->pending_block = -1;
    a->kept_block = -1;
    int idx = a->page_base[a->module] + page;
    if (!a->visited[idx]) {
        if (store_mark_visited(a->st, a->prog->id, m->pages[page].id))
            a->visited[idx] = true;
        else
            app_log("could not record a visited page: %s", store_last_error(a->st));
    }
    app_save_place(a);
}

/* Before anything that changes the page's layout (a resize, a new text size): remember the block at the top
 * and how far into it, so the next frame shows the same text. An anchor still waiting to be drawn wins. */
void reader_keep_place(app *a) {
    if (a->pending_block >= 0 || nav_place(a) != SCREEN_PAGE) return;
    if (a->kept_block >= 0 && a->scroll_page == a->kept_scroll) {
        a->pending_block = a->kept_block;
        a->pending_permille = a->kept_permille;
        return;
    }
    pagelayout *pl = pages_layout(a);
    if (pl) pl_anchor(pl, a->scroll_page, &a->pending_block, &a->pending_permille);
}

void reader_turn_screen(app *a, int idx) {
    if (idx < 0 || idx >= n_screens) return;
    a->turn_pending = true;
    a->turn_t0 = SDL_GetPerformanceCounter();
    a->scroll_page = screen_starts[idx];
    screen_idx = idx;
    a->pending_block = -1;
    a->kept_block = -1;
    a->dirty = true;
    app_save_place(a);
}

/* Moving on from a screen the patient has read: its words over the time it was shown teach the pace. */
static void learn_pace(app *a) {
    if (!reader_paged(a) || screen_since == 0) return;
    const pagelayout *pl = screens_for;
    int y0 = screen_starts[screen_idx];
    int y1 = screen_idx + 1 < n_screens ? screen_starts[screen_idx + 1] : 1 << 30;
    double seconds = (SDL_GetTicks() - screen_since) / 1000.0;
    if (settings_learn_pace(&a->set, pl_words_between(pl, y0, y1), seconds)) aids_apply(a);
}

static bool reader_action(app *a, app_action act, int arg) {
    (void)arg;
    switch (act) {
    case ACT_SPEAK:
        if (!readaloud_get()->on) {
            readaloud_from(a, readaloud_first_in_view(a));
        } else {
            readaloud_pause(a);
        }
        return true;
    case ACT_EXERCISE:
        app_save_place(a);
        exercise_open(a, arg);
        return true;
    case ACT_QUEST:
        app_save_place(a);
        quest_open(a, arg);
        return true;
    case ACT_PREV_PAGE:
        readaloud_turned(a);
        if (reader_paged(a) && screen_idx > 0) {
            reader_turn_screen(a, screen_idx - 1);
        } else if (a->page > 0) {
            bool paged = reader_paged(a);
            reader_open_page(a, a->page - 1);
            to_last_screen = paged;
        }
        return true;
    case ACT_NEXT_PAGE:
        readaloud_turned(a);
        learn_pace(a);
        if (reader_paged(a) && screen_idx + 1 < n_screens)
            reader_turn_screen(a, screen_idx + 1);
        else if ((size_t)a->page + 1 < a->prog->modules[a->module].n_pages)
            reader_open_page(a, a->page + 1);
        else if (reader_paged(a))
            app_do(a, ACT_FINISH_MODULE, 0);
        return true;
    case ACT_FINISH_MODULE:
        if (!nav_pop_to(a, SCREEN_MODULE)) nav_replace(a, SCREEN_MODULE);
        a->scroll_list = 0;
        app_save_place(a);
        app_show_toast(a, app_tr(a, "module.finished_toast"), 4000);
        return true;
    default: return false;
    }
}

/* Moves the focus ruler one line (dir ±1); at the edge of the screen it turns the screen (paged) or scrolls. */
static void focus_step(app *a, int dir) {
    pagelayout *pl = pages_layout(a);
    int n = pl ? pages_lines(a, pl) : 0;
    if (n == 0) return;
    int idx = 0;
    while (idx + 1 < n && a->line_tops[idx + 1] <= focus_y)
        idx++;
    int next = idx + dir;
    if (next < 0 || next >= n) {
        app_do(a, dir > 0 ? ACT_NEXT_PAGE : ACT_PREV_PAGE, 0);
        focus_y = -1;
        return;
    }
    int top = a->line_tops[next], bottom = top + a->line_heights[next];
    int view_h = a->content_bottom - a->content_top - app_px(a, 28);
    if (reader_paged(a)) {
        int end = screen_idx + 1 < n_screens ? screen_starts[screen_idx + 1] : 1 << 30;
        if (top >= end || top < a->scroll_page) {
            reader_turn_screen(a, screen_idx + (dir > 0 ? 1 : -1));
        }
    } else if (bottom > a->scroll_page + view_h) {
        a->scroll_page = bottom - view_h;
    } else if (top < a->scroll_page) {
        a->scroll_page = top;
    }
    focus_y = top;
    a->dirty = true;
}

static bool reader_key(app *a, SDL_Keycode k, Uint16 mod) {
    (void)mod;
    if (a->set.focus && (k == SDLK_UP || k == SDLK_DOWN)) {
        focus_step(a, k == SDLK_DOWN ? 1 : -1);
        return true;
    }
    if (reader_paged(a)) {
        /* paged: every "onwards" key turns a screen */
        switch (k) {
        case SDLK_DOWN:
        case SDLK_PAGEDOWN:
        case SDLK_SPACE: app_do(a, ACT_NEXT_PAGE, 0); return true;
        case SDLK_UP:
        case SDLK_PAGEUP: app_do(a, ACT_PREV_PAGE, 0); return true;
        case SDLK_HOME: reader_turn_screen(a, 0); return true;
        case SDLK_END: reader_turn_screen(a, n_screens - 1); return true;
        default: break;
        }
    }
    return false;
}

/* ---- the pointer: the ruler, swipes, taps on the page -------------------------------------------------------- */

static bool focus_drag; /* a drag that started on the ruler moves it */

static bool reader_press(app *a, int x, int y) {
    (void)x;
    focus_drag = a->set.focus && focus_band_top >= 0 && y >= focus_band_top - app_px(a, 24) &&
                 y <= focus_band_bottom + app_px(a, 24);
    return false; /* the gesture goes on: a tap, a drag or a swipe */
}

/* A drag on the page: the ruler follows the finger; paged reading does not scroll (a swipe turns). */
static bool reader_drag(app *a, int x, int y, int dx, int dy) {
    (void)x;
    (void)dx;
    (void)dy;
    if (focus_drag) {
        focus_y = y - page_origin + a->scroll_page;
        a->dirty = true;
        return true;
    }
    return reader_paged(a);
}

static bool reader_drag_end(app *a, int dx, int dy, Uint32 dt, int scroll_at_down) {
    if (focus_drag) {
        focus_drag = false;
        return true;
    }
    bool horizontal = abs(dx) > 2 * abs(dy);
    /* a swipe: far enough, or short but quick (a flick) */
    bool swipe = horizontal && (abs(dx) > a->w / 5 || (abs(dx) > app_px(a, 48) && dt < 300));
    bool vswipe = abs(dy) > 2 * abs(dx) && (abs(dy) > a->h / 5 || (abs(dy) > app_px(a, 48) && dt < 300));
    if (swipe) {
        a->scroll_page = scroll_at_down;
        app_do(a, dx < 0 ? ACT_NEXT_PAGE : ACT_PREV_PAGE, 0);
    } else if (vswipe && reader_paged(a)) {
        /* paged: pushing the page up shows the next screen, as scrolling would */
        app_do(a, dy < 0 ? ACT_NEXT_PAGE : ACT_PREV_PAGE, 0);
    } else {
        app_save_place(a); /* the scroll has settled: remember it */
    }
    return true;
}

static bool reader_tap(app *a, int x, int y) {
    bool on_page = y > a->content_top && y < a->content_bottom;
    /* while reading aloud, a tap on a text reads on from there */
    if (readaloud_get()->on && on_page) {
        pagelayout *pl = pages_layout(a);
        int u = pl ? pl_unit_at(pl, x - page_x, y - page_origin + a->scroll_page) : -1;
        if (u >= 0) {
            readaloud_from(a, u);
            return true;
        }
    }
    /* a glossary term explains itself */
    if (on_page) {
        pagelayout *pl = pages_layout(a);
        const char *term, *expl;
        if (pl && pl_term_at(pl, x - page_x, y - page_origin + a->scroll_page, &term, &expl)) {
            char msg[sizeof a->toast];
            snprintf(msg, sizeof msg, "%s: %s", term, expl);
            app_show_toast(a, msg, 10000);
            a->dirty = true;
            return true;
        }
    }
    /* a tap anywhere else puts a message away */
    if (a->toast[0]) {
        a->toast[0] = '\0';
        a->dirty = true;
        return true;
    }
    /* tap zones: the outer sixth of the reading area turns the page, like a book; paged reading has big
     * zones, a third of the width on each side. With the focus ruler on, the zones are an eighth and a tap
     * anywhere else moves the ruler there. */
    if (on_page) {
        int zone = a->set.focus ? a->w / 8 : reader_paged(a) ? a->w / 3 : a->w / 6;
        if (a->set.focus && x >= zone && x <= a->w - zone) {
            focus_y = y - page_origin + a->scroll_page;
            a->dirty = true;
            return true;
        }
        if (x < zone)
            app_do(a, ACT_PREV_PAGE, 0);
        else if (x > a->w - zone)
            app_do(a, ACT_NEXT_PAGE, 0);
    }
    return true;
}

/* ---- for read-aloud and the harness ---------------------------------------------------------------------------- */

void reader_state_get(reader_state *out) {
    out->screen = screen_idx;
    out->screens = n_screens;
    out->focus_top = focus_band_top;
    out->focus_bottom = focus_band_bottom;
}

bool reader_next_screen(app *a) {
    if (!reader_paged(a) || screen_idx + 1 >= n_screens) return false;
    a->scroll_page = screen_starts[screen_idx + 1];
    return true;
}

/* Keeps page y..y+h on screen (the spoken word): the screen that holds it (paged), or scrolled into the upper
 * part of the view. */
void reader_show(app *a, int y, int h) {
    if (strcmp(a->set.mode, "paged") == 0 && n_screens > 0 && screens_valid(a) && screens_for == pages_layout(a)) {
        int idx = 0;
        while (idx + 1 < n_screens && screen_starts[idx + 1] <= y)
            idx++;
        if (idx != screen_idx) {
            screen_idx = idx;
            a->scroll_page = screen_starts[idx];
            app_save_place(a);
        }
        return;
    }
    int view_h = a->content_bottom - a->content_top - app_px(a, 40);
    if (y < a->scroll_page || y + h > a->scroll_page + view_h) {
        a->scroll_page = y - view_h / 3 > 0 ? y - view_h / 3 : 0;
        app_save_place(a);
    }
}

void reader_focus_at(app *a, int y) {
    if (a->set.focus) focus_y = y;
}

/* The client stops, or a kiosk forgets its visitor: the reader starts again as at the first start (no ruler
 * placed, no screen shown, no time on one to learn a pace from). */
static void reader_free(app *a) {
    (void)a;
    free(screen_starts);
    screen_starts = NULL;
    n_screens = screen_idx = screens_total = screens_avail = 0;
    screens_for = NULL;
    to_last_screen = false;
    screen_since = 0;
    shown_module = shown_page = shown_idx = -1;
    focus_y = focus_band_top = focus_band_bottom = -1;
    focus_drag = false;
}

static void reader_back(app *a) {
    app_save_place(a);
    readaloud_stop(a);
    nav_pop(a);
    a->scroll_list = 0;
}

static bool reader_saves_place(const app *a) {
    (void)a;
    return true;
}

static int *reader_scroll(app *a) { return &a->scroll_page; }

const screen_ops screen_reader = {
    .name = "page",
    .update = reader_update,
    .draw = draw_page,
    .action = reader_action,
    .key = reader_key,
    .back = reader_back,
    .saves_place = reader_saves_place,
    .press = reader_press,
    .drag = reader_drag,
    .drag_end = reader_drag_end,
    .tap = reader_tap,
    .scroll = reader_scroll,
    .pinch_zoom = true,
    .close = reader_free,
};
