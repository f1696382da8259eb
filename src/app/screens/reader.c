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
    bool part;     /* the first frame at a saved place: only part of the page is laid out (pages_part) */
    bool last;     /* the module's last page (and, paged, its last screen): "next" says «Ferdig» */
    bool paged;    /* paged reading, cut into screens */
    const char *prev_lbl, *next_lbl, *prev_shown, *next_shown, *end_lbl;
    int prev_w, next_w, bh, bottom_h, speech_h, bottom; /* the bottom bar's buttons, its height, where it starts */
    int st_style, st_skip, st_x, st_room, st_lines;     /* its status: type, line skip, where, how many lines */
    bool st_strip;                                      /* the status on a slim line above the buttons */
    bool st_named; /* the status starts with the module («Modul 2»): the top bar has no room for its title */
    int st_brief; /* how short its numbers are: ST_FULL, ST_BRIEF_SCREEN («skjerm 3/11»), ST_BRIEF (and «Side 5/5») */
    int st_top, btn_top;                                /* where the strip and the buttons start in the bar */
    int bar_m;                                          /* its margin, left and right of the buttons */
    const char *demo; /* a phone on its side: the demonstration's line, over the status between the arrows */
    bool labels;                        /* the buttons say «‹ Forrige» and «Neste ›», else ‹ and › */
    int label_w, arrow_w, finish_w;     /* their widths with labels, as arrows, and «Ferdig» among arrows */
    int colw, x, gap, view_top, view_h; /* the reading column and the area between the bars */
    int end_btn_h, content_h;           /* the big "next" button at the end of the page; the page's height */
    SDL_Rect clip;                      /* the visible part of the page */
    int origin;                         /* where page y = 0 sits when the scroll is 0 */
} g;

/* The reader's own state. */
static int focus_y = -1; /* the ruler's line, page coordinates; -1: the first line in view */
static int focus_band_top = -1, focus_band_bottom = -1; /* where the ruler was placed, screen coordinates */
static int page_x, page_origin;                         /* where page coordinate (0, 0) is drawn, before scrolling */
/* paged reading: where each screen of the current page starts (page coordinates), for which layout */
static int *screen_starts;
static int n_screens, screen_idx, screens_total, screens_avail, screens_from;
static const pagelayout *screens_for;
static unsigned screens_gen; /* pages.c's a->layouts_gen when they were cut: a layout freed since is not this one */
static bool to_last_screen;  /* a page turned backwards opens on its last screen */
static Uint32 screen_since;  /* when the current screen was first shown, for the reading pace */
static int shown_module = -1, shown_page = -1, shown_idx = -1;
/* The line at the screen's top when the page is laid out again in this run (reader_keep_place), finer than the
 * block's thousandths a->pending_block holds (those are what is saved): used while that anchor is the pending one.
 * kept: the one the screen was last restored from, for as long as the screen stays there (as a->kept_block). */
typedef struct {
    bool set;
    int module, page, block, permille; /* the page and the pending anchor it refines */
    pl_place at;
} fine_place;
static fine_place fine, kept_fine;
/* A glossary term's explanation, open until the patient closes it (a tap elsewhere, Escape, its button) or
 * leaves the screen it was opened on: nothing timed (WCAG 2.2.1). Placed beside the term's line, never on it;
 * where it fits on neither side, over the page (the patient asked to see it), its lines a box at a time. */
static struct term_state {
    bool open;
    char text[1024];          /* "term: explanation" */
    int line_top, line_h;     /* the term's line, page coordinates */
    int module, page, scroll; /* where it was opened */
    const pagelayout *layout; /* and the layout its line belongs to */
    unsigned gen;
    SDL_Rect box; /* where reader_update placed it (screen), h 0: nowhere */
    int px, text_w, text_h, close_h, close_w;
    int lines, shown, first, text_line_h; /* its lines, how many the box shows, the first shown, their height */
    int vpad;                             /* the room above its lines and below them in the box */
    int top, bottom, area_top, area_bottom; /* where term_place last placed it: its line, the room (screen) */
    int cols;                             /* columns of buttons beside its lines: 1, or 2-3 in a low box */
    int id;                               /* the term's arg in the focus order (pl_term_get), -1: not known */
    char word[160];                       /* the term, what its place in the focus order says */
} term;

static bool screens_valid(const app *a) { return screens_for && screens_gen == a->layouts_gen; }

/* Whether the patient is reading one screen at a time (and the page has been cut into screens). */
bool reader_paged(const app *a) { return strcmp(a->set.mode, "paged") == 0 && n_screens > 0 && screens_valid(a); }

/* The read-aloud bar, shown above the bottom bar while reading: back to the text before, pause or resume, on to the
 * next text, slower, the speed, faster, stop. Symbols are drawn where the labels do not fit; the buttons keep their
 * full names. */
enum { SB_PREV, SB_PAUSE, SB_NEXT, SB_SLOWER, SB_SPEED, SB_FASTER, SB_STOP };

static const char *speech_labels(app *a, int i, bool *compact) {
    (void)compact;
    switch (i) {
    case SB_PREV: return app_tr(a, "speech.prev");
    case SB_PAUSE: return app_tr(a, readaloud_get()->paused ? "speech.resume" : "speech.pause");
    case SB_NEXT: return app_tr(a, "speech.next");
    case SB_SLOWER: return app_tr(a, "speech.slower");
    case SB_FASTER: return app_tr(a, "speech.faster");
    default: return app_tr(a, "speech.stop");
    }
}

/* What the bar holds, in order, and the width of each: all seven where each keeps the touch target; else the
 * bar's own pause goes first (the top bar's speaker pauses and resumes too), then the speed's words (a phone of
 * 320 dp: five buttons of 48 dp and their gaps are its width; the speed is heard, and set in «Lesehjelp»). */
static int speech_bar_items(app *a, int *items, int *bw) {
    static const int sets[3][7] = {{SB_PREV, SB_PAUSE, SB_NEXT, SB_SLOWER, SB_SPEED, SB_FASTER, SB_STOP},
                                   {SB_PREV, SB_NEXT, SB_SLOWER, SB_SPEED, SB_FASTER, SB_STOP},
                                   {SB_PREV, SB_NEXT, SB_SLOWER, SB_FASTER, SB_STOP}};
    static const int counts[3] = {7, 6, 5};
    int room = a->w - 2 * ui_margin(app_ui(a)), gap = app_px(a, 8);
    for (int k = 0; k < 3; k++) {
        int w = (room - (counts[k] - 1) * gap) / counts[k];
        if (w >= app_px(a, DP_TARGET) || k == 2) {
            memcpy(items, sets[k], (size_t)counts[k] * sizeof *items);
            *bw = w;
            return counts[k];
        }
    }
    return 0;
}

/* A pair (slower and faster, back and on) goes to its symbols together, so the two always look alike: when a label
 * would need a taller button than bh, or a word of it is wider than the button even at its smallest («Pause» on a
 * 320 dp phone at 400 %: its height fitted, so it was drawn, over the button's edges). */
static bool speech_label_fits(app *a, const char *label, int bw, int bh) {
    ui_ctx *u = app_ui(a);
    return ui_button_height(u, label, bw, app_px(a, DP_BUTTON)) <= bh && ui_label_fits(u, label, bw);
}

static int speech_bar_height(app *a) {
    int items[7], bw, n = speech_bar_items(a, items, &bw);
    int h = app_px(a, DP_BUTTON);
    for (int i = 0; i < n; i++) {
        if (items[i] == SB_SPEED) continue;
        const char *l = speech_labels(a, items[i], NULL);
        int need = ui_button_height(app_ui(a), l, bw, app_px(a, DP_BUTTON));
        if (need > app_px(a, DP_BUTTON) || !ui_label_fits(app_ui(a), l, bw))
            need = ui_button_height(app_ui(a),
                                    items[i] == SB_SLOWER   ? "–"
                                    : items[i] == SB_FASTER ? "+"
                                                            : "",
                                    bw, app_px(a, DP_BUTTON));
        if (need > h) h = need;
    }
    return h + app_px(a, 16);
}

/* A phone on its side: read-aloud's «Saktere», «Raskere» and «Stopp» go in the top bar where its title was (the bar's
 * speaker already pauses and resumes), so no bar of their own takes a line of the page from the patient: at 400 %
 * the 72 dp bar left one line a screen (129 → 223 screens). Where the title's room holds the three at 48 dp. */
static bool speech_in_topbar(app *a) {
    if (!chrome_short_window(a) || !readaloud_get()->on || readaloud_get()->single) return false;
    int keep = a->bars_pct, x, y, w, h;
    a->bars_pct = MS_READER_BAR_PCT_MAX;
    chrome_topbar_title_box(a, true, true, &x, &y, &w, &h);
    a->bars_pct = keep;
    return w >= 3 * app_px(a, DP_TARGET) + 2 * app_px(a, 8);
}

/* The read-aloud bar's height this frame: 0 while it is off, or in the top bar. */
static int speech_h_now(app *a) {
    return readaloud_get()->on && !readaloud_get()->single && !speech_in_topbar(a) ? speech_bar_height(a) : 0;
}

/* The three in the top bar, in the title's room (chrome_topbar_with): slower and faster as – and +, stop as a
 * square; back and on before them where the room holds five at 48 dp (the keys, Alt and the arrows, skip as well). */
static void draw_speech_topbar(app *a, int x, int y, int w, int h) {
    int gap = app_px(a, 8), n = w >= 5 * app_px(a, DP_TARGET) + 4 * gap ? 5 : 3;
    int bw = (w - (n - 1) * gap) / n;
    if (bw > app_px(a, DP_BUTTON)) bw = app_px(a, DP_BUTTON);
    x += (w - n * bw - (n - 1) * gap) / 2;
    static const int items[] = {SB_PREV, SB_NEXT, SB_SLOWER, SB_FASTER, SB_STOP};
    static const int acts[] = {ACT_SPEAK_PREV, ACT_SPEAK_NEXT, ACT_SPEAK_SLOWER, ACT_SPEAK_FASTER, ACT_SPEAK_STOP};
    static const char *const shown[] = {"", "", "–", "+", ""};
    for (int k = 5 - n; k < 5; k++) {
        int i = items[k], bx = x + (k - (5 - n)) * (bw + gap);
        uint32_t ink = a->th->ink[INK_BAR_TEXT];
        ui_button_ex(app_ui(a), bx, y, bw, h, speech_labels(a, i, NULL), shown[k], BTN_BAR, acts[k], 0);
        if (i == SB_STOP) ren_fill(a->rn, bx + bw / 2 - h / 6, y + h / 2 - h / 6, h / 3, h / 3, ink);
        if (i == SB_PREV || i == SB_NEXT) chrome_skip_icon(a, bx, y, bw, h, i == SB_NEXT ? 1 : -1, ink);
    }
}

static void draw_speech_bar(app *a, int y, int h) {
    const theme *th = a->th;
    int m = ui_margin(app_ui(a)), gap = app_px(a, 8);
    int items[7], bw, n = speech_bar_items(a, items, &bw);
    int bh = h - app_px(a, 16), by = y + app_px(a, 8);
    ren_fill(a->rn, 0, y, a->w, h, th->ink[INK_CARD_BG]);
    ren_fill(a->rn, 0, y, a->w, app_px(a, 2), th->ink[INK_CARD_BORDER]);
    bool speed_compact = !speech_label_fits(a, speech_labels(a, SB_SLOWER, NULL), bw, bh) ||
                         !speech_label_fits(a, speech_labels(a, SB_FASTER, NULL), bw, bh);
    bool skip_compact = !speech_label_fits(a, speech_labels(a, SB_PREV, NULL), bw, bh) ||
                        !speech_label_fits(a, speech_labels(a, SB_NEXT, NULL), bw, bh);
    int speed_x = -1;
    for (int k = 0; k < n; k++) {
        int i = items[k], bx = m + k * (bw + gap);
        if (i == SB_SPEED) {
            speed_x = bx;
            continue;
        }
        static const int acts[] = {ACT_SPEAK_PREV,   ACT_SPEAK,     ACT_SPEAK_NEXT, ACT_SPEAK_SLOWER, 0,
                                   ACT_SPEAK_FASTER, ACT_SPEAK_STOP};
        const char *label = speech_labels(a, i, NULL);
        const char *shown = label;
        if ((i == SB_SLOWER || i == SB_FASTER) && speed_compact)
            shown = i == SB_SLOWER ? "–" : "+";
        else if ((i == SB_PREV || i == SB_NEXT) && skip_compact)
            shown = "";
        else if (!speech_label_fits(a, label, bw, bh))
            shown = "";
        ui_button_ex(app_ui(a), bx, by, bw, bh, label, shown, i == SB_PAUSE ? BTN_PRIMARY : BTN_SECONDARY, acts[i], 0);
        if (!shown[0]) {
            if (i == SB_PAUSE)
                ui_play_icon(app_ui(a), bx, by, bw, bh, !readaloud_get()->paused, th->ink[INK_BUTTON_TEXT]);
            else if (i == SB_PREV || i == SB_NEXT)
                chrome_skip_icon(a, bx, by, bw, bh, i == SB_NEXT ? 1 : -1, th->ink[INK_TEXT]);
            else
                ren_fill(a->rn, bx + bw / 2 - bh / 6, by + bh / 2 - bh / 6, bh / 3, bh / 3, th->ink[INK_TEXT]);
        }
    }
    if (speed_x < 0) return;
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
    int tx = speed_x;
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

/* The page's blocks as the screen describes them, in page coordinates: where a screen may not end. */
typedef struct {
    int top, bottom;
    bool keep;    /* a heading or a button: never split over two screens when it fits on one */
    bool heading; /* never the last thing on a screen */
} block_span;

static int page_blocks(const pagelayout *pl, int total, block_span **out) {
    view v;
    view_init(&v);
    pl_describe(pl, &v, 0, 0, 0, 0, total + 1);
    block_span *b = v.n ? malloc(v.n * sizeof *b) : NULL;
    int n = 0;
    for (size_t i = 0; b && i < v.n; i++) {
        const view_elem *e = &v.e[i];
        bool heading = e->role == ROLE_HEADING;
        b[n++] = (block_span){e->y, e->y + e->h, heading || e->role == ROLE_BUTTON || e->action, heading};
    }
    view_deinit(&v);
    *out = b;
    return n;
}

static int cmp_int(const void *x, const void *y) {
    int p = *(const int *)x, q = *(const int *)y;
    return (p > q) - (p < q);
}

/* The largest break candidate in (at, y] at or above limit, or -1. */
static int break_at_or_above(const int *cand, int n, int at, int limit) {
    int best = -1;
    for (int i = 0; i < n && cand[i] <= limit; i++)
        if (cand[i] > at) best = cand[i];
    return best;
}

/* Moves a screen's end y (a break candidate) up so the screen ends well: a heading or a button that fits on one
 * screen goes whole to the next («Fyll ut» | «øvelsen» was seen), a heading goes with the lines after it, and a
 * box's edge goes with its text. Returns y unchanged where no better end lies after at. */
static int settle_break(const int *cand, int n, const block_span *b, int nb, int at, int y, int avail, int min_tail) {
    for (int round = 0; round < 8; round++) {
        int to = y;
        const block_span *last = NULL; /* the last block that starts above the end (maybe on the screen before) */
        for (int i = 0; i < nb; i++) {
            if (b[i].top < y && (!last || b[i].top >= last->top)) last = &b[i];
            if (b[i].keep && b[i].top > at && b[i].top < y && b[i].bottom > y && b[i].bottom - b[i].top <= avail &&
                b[i].top < to)
                to = b[i].top; /* cut through: it goes whole to the next screen */
            else if (b[i].keep && b[i].top < y && b[i].bottom > y && b[i].bottom - y < min_tail &&
                     b[i].bottom - min_tail < to && b[i].bottom - min_tail > at)
                to = b[i].bottom - min_tail; /* too tall for a screen: what goes on is still a target to tap */
            else if (b[i].keep && b[i].top > at && b[i].top < y && y - b[i].top < min_tail && b[i].top < to)
                to = b[i].top; /* and so is what stays: not a sliver of a button's padding, it goes on whole */
        }
        if (to == y && last && last->heading && last->bottom <= y && last->top > at)
            to = last->top; /* a heading never ends a screen */
        if (to == y && last && last->bottom <= y) {
            /* nothing but space or a box's edge after the last block: end where its space starts */
            int c = break_at_or_above(cand, n, at, y - 1);
            while (c > at && c >= last->bottom) {
                to = c;
                c = break_at_or_above(cand, n, at, c - 1);
            }
        }
        if (to == y) return y;
        int c = break_at_or_above(cand, n, at, to);
        if (c <= at) return y;
        y = c;
    }
    return y;
}

/* Where a screen that would start at y starts: y itself when something of the page shows between it and the
 * next break, else the first break after y from which something does. A gap taller than what is left of a screen
 * (after a heading, a phone on its side at 400 %) would otherwise be a screen of its own with nothing on it; the
 * space is not lost, it is the space a turn puts between the two. end_top: the end button, which always shows. */
static int past_gap(const pagelayout *pl, const int *cand, int n, int end_top, int y) {
    for (int i = 0; i < n && y < end_top; i++) {
        if (cand[i] <= y) continue;
        if (pl_shows_between(pl, y, cand[i])) return y;
        y = cand[i];
    }
    return y;
}

/* Cuts the page into screens of at most avail px (page coordinates): each screen starts at a line top, the
 * end button's top (end_top) is a break too, total is where the content ends; settle_break keeps headings and
 * buttons whole and with what follows. Cached per layout and size. Where a screen ends depends only on where
 * it starts and on what follows, so from >= 0 cuts the screens from there (a part of the page, laid out from a
 * saved screen's top: pages_part), with all before it counted as one screen, the first; -1: the whole page. */
static void paginate(app *a, const pagelayout *pl, int avail, int end_top, int total, int from, int snap) {
    if (screens_valid(a) && screens_for == pl && screens_avail == avail && screens_total == total &&
        screens_from == from && n_screens > 0)
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
    block_span *blocks = NULL;
    int nb = page_blocks(pl, total, &blocks);
    /* a screen may also end where a heading or a button ends, so one that fits is not cut for want of a line
     * top before the gap after it */
    int *more = realloc(cand, (size_t)(n + nb) * sizeof *cand);
    if (more) {
        cand = more;
        for (int i = 0; i < nb; i++)
            if (blocks[i].keep && blocks[i].bottom < end_top && blocks[i].bottom - blocks[i].top <= avail)
                cand[n++] = blocks[i].bottom;
        qsort(cand, (size_t)n, sizeof *cand, cmp_int);
    }
    /* the end button keeps whole too (it is laid out after the page) */
    block_span *grown = realloc(blocks, (size_t)(nb + 1) * sizeof *blocks);
    if (grown) {
        blocks = grown;
        blocks[nb++] = (block_span){end_top, total, true, false};
    }
    int at = 0;
    if (from >= 0) {
        /* from a saved place: the screen started at a break within snap px of it (or at it: a cut image) */
        int best = from, off = snap + 1;
        for (int i = 0; i < n; i++)
            if (abs(cand[i] - from) < off) best = cand[i], off = abs(cand[i] - from);
        screen_starts[n_screens++] = at = best;
    }
    while (at + avail < total && n_screens < MS_MAX_SCREENS) {
        int next = break_at_or_above(cand, n, at, at + avail);
        int after = total; /* the break after next: what starts at next ends there */
        for (int i = 0; next >= 0 && i < n; i++)
            if (cand[i] > next) {
                after = cand[i];
                break;
            }
        if (next < 0 || (after - next > avail && next - at < avail / 3))
            next = at + avail; /* one tall image or line (or a sliver before one): cut it, filling the screen */
        else if (blocks)
            next = settle_break(cand, n, blocks, nb, at, next, avail, app_px(a, DP_TARGET));
        next = past_gap(pl, cand, n, end_top, next);
        screen_starts[n_screens++] = next;
        at = next;
    }
    free(blocks);
    free(cand);
    screens_for = pl;
    screens_gen = a->layouts_gen;
    screens_avail = avail;
    screens_total = total;
    screens_from = from;
}

/* The bottom bar's status: the page in the module, the screen in the page (paged reading, when the page takes
 * more than one), the minutes left on the page and in the module (last: it may be left out). Pages are the
 * module's («0 av 4 sider» on the module screen), screens are what fits: the two are named apart. With sample
 * set, the numbers are 88 (888 screens), for sizing the bar once rather than per screen (the digits are as wide
 * as each other). Returns how many pieces. */
enum { ST_NAME, ST_PAGE, ST_SCREEN, ST_LEFT, ST_MODULE, ST_PIECES };
enum { ST_FULL, ST_BRIEF_SCREEN, ST_BRIEF };
static int status_pieces(app *a, bool sample, int brief, char buf[ST_PIECES][96], const char *piece[ST_PIECES]) {
    const doc_module *mod = &a->prog->modules[a->module];
    bool paged = strcmp(a->set.mode, "paged") == 0;
    char n1[16], n2[16];
    int n = 0;
    if (g.st_named) { /* which module: the same number on every screen of it, sampled or not */
        snprintf(buf[n], sizeof buf[n], "%s %d", app_tr(a, "home.module"), mod->number);
        piece[n] = buf[n];
        n++;
    }
    int pages_sample = 88; /* the widest page number the bar is laid out for */
    if (g.st_named)
        for (pages_sample = 8; pages_sample < (int)mod->n_pages; pages_sample = pages_sample * 10 + 8)
            ;
    snprintf(n1, sizeof n1, "%d", sample ? pages_sample : a->page + 1);
    snprintf(n2, sizeof n2, "%d", sample ? pages_sample : (int)mod->n_pages);
    const char *pargs[2] = {n1, n2};
    piece[n] = i18n_format(buf[n], sizeof buf[n],
                           app_tr(a, brief >= ST_BRIEF ? "page.position_brief" : "page.position"), 2, pargs);
    n++;
    if (!sample && g.part) return n; /* the screens and the minutes need the whole page: the next frame has them */
    if (paged && (sample || (reader_paged(a) && n_screens > 1))) {
        snprintf(n1, sizeof n1, "%d", sample ? 888 : screen_idx + 1); /* a phone at 400 % cuts hundreds */
        snprintf(n2, sizeof n2, "%d", sample ? 888 : n_screens);
        piece[n] = i18n_format(buf[n], sizeof buf[n],
                               app_tr(a, brief >= ST_BRIEF_SCREEN ? "page.screen_brief" : "page.screen"), 2, pargs);
        n++;
    }
    pagelayout *pl = sample ? NULL : pages_laid_out(a);
    int page_words = pl ? pl_words_between(pl, a->scroll_page, 1 << 30) : 0;
    int module_words = page_words;
    for (size_t p = (size_t)a->page + 1; p < mod->n_pages; p++)
        module_words += (int)doc_page_word_count(&mod->pages[p]);
    snprintf(n1, sizeof n1, "%d", sample ? 88 : (page_words + a->set.wpm - 1) / a->set.wpm);
    const char *targs[1] = {n1};
    piece[n] = i18n_format(buf[n], sizeof buf[n], app_tr(a, "page.time_left"), 1, targs);
    n++;
    snprintf(n1, sizeof n1, "%d", sample ? 88 : (module_words + a->set.wpm - 1) / a->set.wpm);
    piece[n] = i18n_format(buf[n], sizeof buf[n], app_tr(a, "page.module_left"), 1, targs);
    n++;
    return n;
}

/* Packs the pieces into lines of at most room px, joined by " · "; line_of[i] is piece i's line. Returns how
 * many lines, and in *widest the widest piece (wider than room: that line runs over). */
static int pack_status(app *a, int style, const char *const *piece, int n, int room, int *line_of, int *widest) {
    int sep = ren_measure(a->rn, style, " · ", strlen(" · "));
    int lines = 0, used = 0;
    *widest = 0;
    for (int i = 0; i < n; i++) {
        int w = ren_measure(a->rn, style, piece[i], strlen(piece[i]));
        if (w > *widest) *widest = w;
        if (lines == 0 || used + sep + w > room) {
            lines++;
            used = w;
        } else {
            used += sep + w;
        }
        line_of[i] = lines - 1;
    }
    return lines;
}

static int screen_avail(app *a, int view_h);

/* The bottom bar of a phone on its side, holding lines_h of slim lines between its arrows: the buttons, or the
 * lines, with no room to spare. */
static int slim_bar_height(app *a, int lines_h) { return (g.bh > lines_h ? g.bh : lines_h) + app_px(a, 4); }

/* A phone on its side: the type of the slim line(s) between the arrows — the status, under the demonstration's
 * line when demo is not NULL — as large as the window allows. They follow the patient's size up to
 * MS_READER_SLIM_PCT_MAX, each on one line between the arrows, and the bar they make leaves the page at least two
 * whole lines of its text (at 400 % a bar of two 17 px lines left it 4 px to spare). Never under the 100 % size
 * (DP_SMALL); -1 where even that does not fit on one line. */
static int slim_style_search(app *a, const char *demo, const char *const *piece, int n);

/* slim_style's answer for the last inputs: each size it tries is a font slot, and trying a dozen of them on every
 * frame (twice) went past MS_REN_MAX_FONTS and evicted the page's own (review) */
static int slim_style(app *a, const char *demo, const char *const *piece, int n) {
    static struct {
        uint32_t key;
        int style;
        bool set;
    } last[2];
    uint32_t h = 2166136261u; /* FNV-1a over what the answer depends on */
    int ints[] = {a->w,          a->h, a->set.text_pct, a->set.line_pct, g.st_room, g.bh, n, demo != NULL,
                  readaloud_get()->on && !readaloud_get()->single, (int)(a->dp * 100), a->memory_only};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        for (int b = 0; b < 4; b++)
            h = (h ^ (uint8_t)(ints[i] >> (8 * b))) * 16777619u;
    for (const char *t = demo ? demo : ""; *t; t++)
        h = (h ^ (uint8_t)*t) * 16777619u;
    for (int i = 0; i < n; i++)
        for (const char *t = piece[i] ? piece[i] : ""; *t; t++)
            h = (h ^ (uint8_t)*t) * 16777619u;
    int slot = demo != NULL; /* the two calls of a frame, with and without the demonstration's line */
    if (last[slot].set && last[slot].key == h) return last[slot].style;
    int st = slim_style_search(a, demo, piece, n);
    last[slot].key = h;
    last[slot].style = st;
    last[slot].set = true;
    return st;
}

static int slim_style_search(app *a, const char *demo, const char *const *piece, int n) {
    int pct = a->set.text_pct < MS_READER_SLIM_PCT_MAX ? a->set.text_pct : MS_READER_SLIM_PCT_MAX;
    int least = app_px(a, DP_SMALL), px = (int)(DP_SMALL * a->dp * pct / 100.0 + 0.5);
    if (px < least) px = least;
    bool keep = a->demo_line_below;
    a->demo_line_below = demo != NULL;
    int top = chrome_topbar_lasting_height(a, true, true);
    a->demo_line_below = keep;
    int speech_h = speech_h_now(a);
    int two_lines = 2 * (pages_read_px(a, DP_BODY) * a->set.line_pct / 100);
    for (; px >= least; px--) {
        int st = ren_style(a->rn, REN_BOLD, px), line_of[ST_PIECES], w;
        if (pack_status(a, st, piece, n, g.st_room, line_of, &w) != 1) continue;
        if (demo && ren_measure(a->rn, st, demo, strlen(demo)) > g.st_room) continue;
        int bar = slim_bar_height(a, (demo ? 2 : 1) * ren_line_skip(a->rn, st));
        if (px == least || screen_avail(a, a->h - top - bar - speech_h) >= two_lines) return st;
    }
    return -1;
}

/* The bottom bar for this frame, at the bars' capped type: "previous" and "next" with their labels when the
 * status keeps its room between them, else as arrows (they still say «Forrige» and «Neste»); the status
 * between them on as many lines as it needs, or, where even that has no room, on a slim line above them.
 * The status never gives way: where you are and the time left are always in sight. The bar is the same for
 * every screen of a page, «Neste» or «Ferdig» (which one is known only once the page is cut into screens), so
 * it never changes its height, nor the screens, under the patient; bottom_bar_next picks the label. */
static void bottom_bar_layout(app *a) {
    /* a phone's margin is its top bar's (chrome.c): 16 dp more between the buttons for the status, which names the
     * module there (below), also on a module's last page, where room is kept for «Ferdig» */
    int m = a->w / a->dp < 400 ? app_px(a, 8) : ui_margin(app_ui(a)), gap = app_px(a, 8);
    g.bar_m = m;
    int lbl_style = ren_style(a->rn, REN_BOLD, ui_font(app_ui(a), DP_BODY));
    g.st_style = ren_style(a->rn, REN_BOLD, ui_font(app_ui(a), DP_SMALL));
    char buf[ST_PIECES][96];
    const char *piece[ST_PIECES];
    g.st_named = false; /* first without the module: the bar is laid out for what it had (below) */
    g.st_brief = ST_FULL;
    int n = status_pieces(a, true, ST_FULL, buf, piece), line_of[ST_PIECES], widest;
    pack_status(a, g.st_style, piece, n - 1, 1 << 30, line_of, &widest);
    int small = ren_style(a->rn, REN_BOLD, app_px(a, DP_SMALL)), small_widest;
    pack_status(a, small, piece, n - 1, 1 << 30, line_of, &small_widest);
    const char *prev = app_tr(a, "page.prev"), *next = app_tr(a, "page.next"), *fin = app_tr(a, "page.finish_short");
    int third = (a->w - 2 * m) / 3;
    int need = ren_measure(a->rn, lbl_style, prev, strlen(prev));
    int need2 = ren_measure(a->rn, lbl_style, next, strlen(next));
    int need3 = ren_measure(a->rn, lbl_style, fin, strlen(fin));
    if (need2 > need) need = need2;
    if (need3 > need) need = need3;
    int bw = need + app_px(a, 40);
    if (bw > third) bw = third;
    if (bw < app_px(a, 64)) bw = app_px(a, 64);
    /* a phone on its side keeps its height for the page: arrows, the status on one line between them */
    bool short_window = chrome_short_window(a);
    g.labels = a->w - 2 * m - 2 * bw - 2 * gap >= widest && !short_window;
    for (int i = 0; i < 3 && g.labels; i++)
        g.labels = ui_button_height(app_ui(a),
                                    i == 0   ? prev
                                    : i == 1 ? next
                                             : fin,
                                    bw, app_px(a, DP_BUTTON)) <= app_px(a, DP_BUTTON);
    g.label_w = bw;
    g.arrow_w = ren_measure(a->rn, lbl_style, "‹", strlen("‹")) + app_px(a, 24);
    if (g.arrow_w < app_px(a, DP_TARGET)) g.arrow_w = app_px(a, DP_TARGET);
    /* arrows; «Ferdig» on the last screen keeps its word, it ends the module */
    g.finish_w = need3 + app_px(a, 40); /* whole, not wrapped: on a narrow phone it may take more than a third */
    if (g.finish_w > (a->w - 2 * m) / 2) g.finish_w = (a->w - 2 * m) / 2;
    if (g.finish_w < g.arrow_w) g.finish_w = g.arrow_w;
    /* «Ferdig» can only come on the module's last page: room for it there, on every screen of that page */
    bool last_page = a->page + 1 >= (int)a->prog->modules[a->module].n_pages;
    int left = g.labels ? bw : g.arrow_w;
    int right = g.labels ? bw : last_page ? g.finish_w : g.arrow_w;
    g.bh = app_px(a, short_window ? DP_TARGET : DP_BUTTON);
    if (g.labels)
        g.bh = ui_button_height(app_ui(a), fin, bw, g.bh);
    else
        g.bh = ui_button_height(app_ui(a), "›", g.arrow_w, g.bh);
    if (!g.labels && last_page) g.bh = ui_button_height(app_ui(a), fin, g.finish_w, g.bh);
    g.st_x = m + left + gap;
    g.st_room = a->w - 2 * m - left - right - 2 * gap;
    if (widest > g.st_room && small_widest <= g.st_room) {
        /* a narrow phone: the status at the 100 % size keeps its place between the buttons */
        g.st_style = small;
        widest = small_widest;
    }
    g.st_strip = widest > g.st_room;
    if (short_window && !g.st_strip) {
        /* one line between the arrows, as large as the window lets it be; else one line above them */
        int st = slim_style(a, NULL, piece, n - 1);
        if (st >= 0)
            g.st_style = st;
        else
            g.st_strip = true;
    }
    g.st_skip = ren_line_skip(a->rn, g.st_style);
    if (g.st_strip) {
        g.st_x = m;
        g.st_room = a->w - 2 * m;
    }
    /* the module's minutes only where they take no line of their own */
    g.st_lines = pack_status(a, g.st_style, piece, n - 1, g.st_room, line_of, &widest);
    int text_h = g.st_lines * g.st_skip + app_px(a, 12);
    if (g.st_strip)
        g.bottom_h = text_h + g.bh + app_px(a, 16);
    else
        g.bottom_h = g.bh + app_px(a, 20) > text_h ? g.bh + app_px(a, 20) : text_h;
    if (g.bottom_h < app_px(a, DP_BOTTOM)) g.bottom_h = app_px(a, DP_BOTTOM);
    if (short_window) { /* the buttons, with no room to spare; the status's lines, with none either */
        text_h = g.st_lines * g.st_skip + (g.st_strip ? app_px(a, 4) : 0);
        g.bottom_h = g.st_strip ? text_h + g.bh + app_px(a, 4) : g.bh > text_h ? g.bh + app_px(a, 4) : text_h + app_px(a, 4);
    }
    /* A phone on its side: the demonstration's line leaves the top (a row of its own there cost 400 % text its
     * second line) for the bottom bar, over the status, both on one slim line between the arrows. */
    g.demo = NULL;
    const char *demo = short_window && !g.st_strip ? chrome_demo_line(a) : NULL;
    if (demo) {
        int st = slim_style(a, demo, piece, n - 1);
        if (st >= 0) {
            g.demo = demo;
            g.st_style = st;
            g.st_skip = ren_line_skip(a->rn, st);
            g.st_lines = 1;
            g.bottom_h = slim_bar_height(a, 2 * g.st_skip);
        }
    }
    /* A phone's top bar has no room for the module's title (or read-aloud's buttons have it): the status says which
     * module («Modul 2 · Side 3 av 5 · …», WCAG 2.4.2) where that costs the page no line of its text: in the lines
     * the bar has, or in one more where the screen still holds as many of the page's lines (a line more in the bar
     * cost a 360 dp phone at 400 % 29 screens of 171). Its pages are sampled with as many digits as the module has
     * pages (digits are as wide as each other), so the bar is the same on every page of the module. Where the
     * numbers in words leave it no room, they are written short («Modul 2 · Side 5/5 · skjerm 3/11 · 4 min
     * igjen»), and then the status is set at the 100 % size: a module's last page keeps room for «Ferdig», and there
     * a 411 dp phone at 200 % and 400 %, a 360 dp phone in English and a phone on its side under read-aloud's
     * buttons said where, not which module (ui.reader.name_last.*). */
    bool want_name = !chrome_topbar_shows_title(a, true, true) || speech_in_topbar(a);
    int styles[2] = {g.st_style, small};
    for (int t = 0; want_name && !g.st_named && t < 2 && (t == 0 || small != g.st_style); t++) {
        /* the bars' size first, then the 100 % size (a narrow phone's, above: never smaller), each in words, then
         * short */
        int st = styles[t], skip = ren_line_skip(a->rn, st);
        for (int brief = ST_FULL; !g.st_named && brief <= ST_BRIEF; brief++) {
            g.st_named = true;
            n = status_pieces(a, true, brief, buf, piece);
            int named_widest, named_lines = pack_status(a, st, piece, n - 1, g.st_room, line_of, &named_widest);
            int taller = g.bottom_h;
            g.st_named = named_widest <= g.st_room && named_lines <= g.st_lines;
            if (!g.st_named && named_widest <= g.st_room && named_lines == g.st_lines + 1 && !short_window) {
                taller = g.st_strip ? g.bottom_h + named_lines * skip - g.st_lines * g.st_skip
                         : g.bottom_h > named_lines * skip + app_px(a, 12) ? g.bottom_h
                                                                           : named_lines * skip + app_px(a, 12);
                int view_h = a->h - chrome_topbar_lasting_height(a, true, true) - speech_h_now(a);
                int line_h = pages_read_px(a, DP_BODY) * a->set.line_pct / 100;
                g.st_named = line_h > 0 &&
                             screen_avail(a, view_h - taller) / line_h == screen_avail(a, view_h - g.bottom_h) / line_h;
            }
            if (g.st_named) {
                g.st_brief = brief;
                if (named_lines > g.st_lines) g.st_lines = named_lines;
                g.bottom_h = taller;
                g.st_style = st;
                g.st_skip = skip;
            }
        }
    }
    /* where the status (on its strip) and the buttons start, below the bar's top */
    int lines_h = g.st_lines * g.st_skip;
    g.st_top = app_px(a, short_window ? 2 : 6);
    g.btn_top = !g.st_strip  ? (g.bottom_h - g.bh) / 2
                : short_window ? app_px(a, 4) + lines_h
                               : app_px(a, 12) + lines_h + (g.bottom_h - app_px(a, 12) - lines_h - g.bh) / 2;
}

/* The bottom bar's buttons once it is known whether this is the module's last screen. */
static void bottom_bar_next(app *a) {
    g.prev_lbl = app_tr(a, "page.prev");
    g.next_lbl = app_tr(a, g.last ? "page.finish_short" : "page.next");
    g.prev_shown = g.labels ? g.prev_lbl : "‹";
    g.next_shown = g.labels || g.last ? g.next_lbl : "›";
    g.prev_w = g.labels ? g.label_w : g.arrow_w;
    g.next_w = g.labels ? g.label_w : g.last ? g.finish_w : g.arrow_w;
}

/* Where a box's edge at y (screen) may lie: not through a line of the page, nor through a heading or a button
 * (what it covers, it covers whole: no half line peeks out from under it). The edge moves away from the term
 * (down: dir 1, up: -1) to the end of what it cuts. */
static int term_edge(app *a, const pagelayout *pl, int y, int dir) {
    int n = pages_lines(a, pl), off = g.origin - a->scroll_page;
    block_span *b = NULL;
    int nb = page_blocks(pl, pl_height(pl), &b);
    for (int round = 0, moved = 1; moved && round < 16; round++) {
        moved = 0;
        for (int i = 0; i < n + nb; i++) {
            int t = (i < n ? a->line_tops[i] : b[i - n].top) + off;
            int bt = (i < n ? a->line_tops[i] + a->line_heights[i] : b[i - n].bottom) + off;
            if ((i >= n && !b[i - n].keep) || bt <= g.clip.y || t >= g.clip.y + g.clip.h) continue; /* not shown */
            if (t < y && bt > y) {
                y = dir > 0 ? bt : t;
                moved = 1;
            }
        }
    }
    free(b);
    return y;
}

/* Places an open explanation beside its term's line, below it (over what comes next) when it fits, else above,
 * covering whole lines and whole headings; never on the line. Where it fits on neither side (a phone at 400 %:
 * two of its lines showed, the rest could not be reached), it takes the page's area between the bars, and shows
 * its lines a box at a time with buttons for the rest (term_draw). Closes it once the patient has left its page or
 * screen. */
static void term_line(app *a, const pagelayout *pl, int py);

/* The explanation's lines in its box beside term.cols columns of buttons, at term.px: as many as ui_text lays out
 * (it sets a word that fits nowhere a little smaller, and its lines with it: their height is the text's over its
 * lines, not a line of "x" at term.px). */
static void term_measure(app *a) {
    int pad = app_px(a, 16), gap = app_px(a, 8);
    term.text_w = g.colw - 2 * pad - term.cols * (term.close_w + gap);
    term.text_h = ui_text_height(app_ui(a), term.text, REN_REGULAR, term.px, term.text_w);
    term.lines = (int)app_ui(a)->scratch.n_lines;
    if (term.lines < 1) term.lines = 1;
    term.text_line_h = term.text_h / term.lines;
}

/* Over the page, in box: its buttons for the rest under the close button, or beside it where the box is too low for
 * them (term.cols), and the room above and below its lines as small as MS_TERM_VPAD_MIN_DP where that shows one more
 * whole line (640x360 at 400 % with a message under the top bar: 16 dp each way left room for one line). True when
 * all its lines show. */
static bool term_over(app *a, SDL_Rect box) {
    int pad = app_px(a, 16), gap = app_px(a, 8), least = app_px(a, MS_TERM_VPAD_MIN_DP);
    int inner = box.h - 2 * pad;
    term.cols = inner >= 3 * term.close_h + 2 * gap ? 1 : inner >= 2 * term.close_h + gap ? 2 : 3;
    term_measure(a);
    int lh = term.text_line_h > 0 ? term.text_line_h : 1;
    term.vpad = pad;
    if ((box.h - 2 * pad) / lh < term.lines && (box.h - 2 * least) / lh > (box.h - 2 * pad) / lh) {
        int n = (box.h - 2 * least) / lh;
        if (n > term.lines) n = term.lines;
        term.vpad = (box.h - n * lh) / 2;
        if (term.vpad > pad) term.vpad = pad;
    }
    return (box.h - 2 * term.vpad) / lh >= term.lines;
}

/* The least size of an explanation's text: the bars' (what it had at every size), never above the reading size. */
static int term_least_px(app *a) {
    int read_px = pages_read_px(a, DP_BODY), px = ui_font(app_ui(a), DP_BODY);
    return px < read_px ? px : read_px;
}

/* The explanation at term.px, placed beside its term's line (term.top … term.bottom), below it (over what comes
 * next) when it fits, else above, covering whole lines and whole headings; else over the page (term_over). True when
 * all its lines show; *box is where it goes. */
static bool term_try(app *a, const pagelayout *pl, SDL_Rect *box) {
    int pad = app_px(a, 16);
    term.cols = 1;
    term.vpad = pad;
    term_measure(a);
    int h = 2 * pad + (term.text_h > term.close_h ? term.text_h : term.close_h);
    *box = (SDL_Rect){g.x, 0, g.colw, 0};
    /* its edge by the term on the term's line's edge, the line's own leading between them: a gap there left a strip
     * of the next line (or the one before) peeking out from under it, the tops or feet of its letters */
    int y1 = term.bottom + h <= term.area_bottom ? term_edge(a, pl, term.bottom + h, 1) : term.area_bottom + 1;
    int y0 = term.top - h >= term.area_top ? term_edge(a, pl, term.top - h, -1) : term.area_top - 1;
    if (y1 <= term.area_bottom) {
        box->y = term.bottom; /* below: over what the patient has not read yet */
        box->h = y1 - box->y;
        return true;
    }
    if (y0 >= term.area_top) {
        box->y = y0;
        box->h = term.top - y0;
        return true;
    }
    /* over the page: what the patient asked to see, with its close button; all of it there, no taller than it (the
     * page's lines under it shown, whole), else the page's area and its lines a box at a time */
    *box = (SDL_Rect){g.x, term.area_top, g.colw, term.area_bottom - term.area_top};
    if (!term_over(a, *box)) return false;
    if (term.vpad == pad) {
        int end = term_edge(a, pl, box->y + 2 * pad + (term.text_h > term.close_h ? term.text_h : term.close_h), 1);
        if (end < box->y + box->h) box->h = end - box->y;
    }
    return true;
}

/* The steps an explanation's text is made smaller in, from the reading size (as a page's text: MS_LAYOUT_SHRINK_*). */
static int term_step(app *a) {
    int step = pages_read_px(a, DP_BODY) * MS_LAYOUT_SHRINK_STEP_PCT / 100;
    return step > 0 ? step : 1;
}

bool reader_term_get(app *a, reader_term_info *out) {
    if (!term.open || term.box.h <= 0 || a->screen != SCREEN_PAGE) return false;
    *out = (reader_term_info){.px = term.px, .read_px = pages_read_px(a, DP_BODY), .least_px = term_least_px(a),
                              .lines = term.lines, .shown = term.shown, .line_h = term.text_line_h,
                              .box_h = term.box.h};
    if (term.px < out->read_px) {
        SDL_Rect box;
        struct term_state kept = term; /* tried, not placed */
        term.px = kept.px + term_step(a) < out->read_px ? kept.px + term_step(a) : out->read_px;
        out->fits_larger = term_try(a, term.layout, &box);
        term = kept;
    }
    return true;
}

static void term_place(app *a) {
    term.box.h = 0;
    if (!term.open) return;
    pagelayout *pl = pages_laid_out(a);
    int clip_top = g.clip.y, clip_bottom = g.clip.y + g.clip.h;
    /* laid out again (a message under the top bar, a new theme, the tablet turned): the same term's line in the new
     * layout — the explanation stays until it is closed — where it is still on the screen shown */
    if (pl && term.id >= 0 && term.module == a->module && term.page == a->page &&
        (term.layout != pl || term.gen != a->layouts_gen)) {
        const char *w, *e;
        int line_top;
        /* of its lines, the one on the screen shown */
        if (pl_term_get(pl, term.id, a->scroll_page + (clip_top + clip_bottom) / 2 - g.origin, &w, &e, &line_top)) {
            term_line(a, pl, line_top);
            int t = g.origin + term.line_top - a->scroll_page;
            if (!g.paged || (t >= clip_top && t + term.line_h <= clip_bottom)) {
                term.layout = pl;
                term.gen = a->layouts_gen;
                term.scroll = a->scroll_page;
            }
        }
    }
    /* another page or screen, or a term the new layout does not hold: the patient taps it again */
    if (term.module != a->module || term.page != a->page || (g.paged && term.scroll != a->scroll_page) ||
        term.layout != pl || term.gen != a->layouts_gen || !pl) {
        term.open = false;
        return;
    }
    int top = g.origin + term.line_top - a->scroll_page, bottom = top + term.line_h;
    if (top < clip_top || bottom > clip_bottom) return; /* scrolled away: shown again when it is back */
    /* the room is the page's area between the bars, not only this screen's lines */
    int area_top = g.view_top + app_px(a, 4), area_bottom = g.bottom - app_px(a, 4);
    /* the close button is a × in the corner (it says «Lukk forklaringen»), the words beside it */
    int bw =
        ren_measure(a->rn, ren_style(a->rn, REN_BOLD, ui_font(app_ui(a), DP_BODY)), "×", strlen("×")) + app_px(a, 24);
    if (bw < app_px(a, DP_TARGET)) bw = app_px(a, DP_TARGET);
    term.close_w = bw;
    term.close_h = ui_button_height(app_ui(a), "×", bw, app_px(a, DP_TARGET));
    /* the patient's reading size, as the page's text (it was the bars' capped size: 27 px beside an 80 px page on a
     * phone at 400 %), smaller only until it fits the room: beside its term, else over the page whole; where it fits
     * whole nowhere, the bars' size (never smaller), its lines a box at a time */
    term.top = top;
    term.bottom = bottom;
    term.area_top = area_top;
    term.area_bottom = area_bottom;
    int read_px = pages_read_px(a, DP_BODY), least_px = term_least_px(a), step = term_step(a);
    SDL_Rect box;
    for (term.px = read_px;; term.px = term.px - step > least_px ? term.px - step : least_px)
        if (term_try(a, pl, &box) || term.px <= least_px) break;
    term.shown = (box.h - 2 * term.vpad) / (term.text_line_h > 0 ? term.text_line_h : 1);
    if (term.shown < 1) term.shown = 1;
    if (term.shown > term.lines) term.shown = term.lines;
    if (term.first > term.lines - term.shown) term.first = term.lines - term.shown;
    if (term.first < 0) term.first = 0;
    term.box = box;
}

/* The room above the page's first line: less on a phone on its side, where height is what is short. */
static int reader_margin(app *a) { return app_px(a, chrome_short_window(a) ? 8 : 20); }

/* The height of one screen of paged reading, px, in a page area of view_h between the bars. */
static int screen_avail(app *a, int view_h) {
    int avail = view_h - reader_margin(a) - app_px(a, chrome_short_window(a) ? 4 : 8); /* a little room below */
    return avail < app_px(a, 40) ? app_px(a, 40) : avail;
}

static void keep_place(app *a, bool line);

static void reader_update(app *a) {
    const doc_module *mod = &a->prog->modules[a->module];
    /* the bars at their capped type; the page and its end button at the patient's own */
    a->bars_pct = MS_READER_BAR_PCT_MAX;
    /* bottom bar: in paged reading "next" is the next screen, and only the last screen of the last page says
     * "Ferdig" */
    bool paged_mode = strcmp(a->set.mode, "paged") == 0;
    bottom_bar_layout(a);
    a->demo_line_below = g.demo != NULL;
    int top = chrome_topbar_height(a, true, true);
    g.last = a->page + 1 >= (int)mod->n_pages; /* until the page is cut into screens */
    bottom_bar_next(a);
    g.speech_h = speech_h_now(a);
    /* The room a heading or the page's button is set to fit (pages.c): this page's screen as it is now, with the
     * message line under the top bar while one shows and read-aloud's bar while it is up. Both cut the page into
     * shorter screens, so both lay it out again: a heading set for the taller screen would be cut over a turn
     * until the message went (640x360 at 400 %: «Velkommen til | kurset»). */
    int room = screen_avail(a, a->h - g.bottom_h - g.speech_h - top);
    /* and, as a new text size does, keep the line at the screen's top in sight: the new layout's pixels are not
     * the old one's (ui.side.demo.* came back one screen, to lines already read, once the message went) */
    if (a->page_room > 0 && room != a->page_room) keep_place(a, true);
    a->page_room = room;
    a->bars_pct = 0;
    a->demo_line_below = false;
    g.bottom = a->h - g.bottom_h - g.speech_h;
    /* The first frame at a saved place (a start, issue 14) shows that screen from the part of the page that holds
     * it: the whole page (and its screens counted from the top, its minutes left) waits until after the frame
     * (app.c lays it out on the next event). The saved anchor is kept for it. The part runs two screens past the
     * saved block: the screen starts in that block, and where it ends is decided by the line tops and blocks up
     * to a screen after its end, which then all lie in the part (paginate), as they do in the whole page. */
    bool was_part = g.part;
    pagelayout *pl = NULL;
    g.part = false;
    if ((!a->first_frame_done || a->open_part) && !to_last_screen && a->pending_block >= 0 &&
        !pages_whole_laid_out(a)) {
        pl = pages_part(a, a->pending_block, 2 * screen_avail(a, g.bottom - top));
        g.part = pl != NULL;
    }
    a->open_part = false; /* once: a frame drawn again before the next event lays out the whole page */
    if (!pl) pl = pages_layout(a);
    if (was_part && !g.part) focus_y = -1; /* the ruler's line was in the part's coordinates */
    g.colw = pages_column(a);
    g.x = (a->w - g.colw) / 2;
    g.gap = reader_margin(a);
    g.view_top = top;
    g.view_h = g.bottom - top;
    a->content_top = g.view_top;
    a->content_bottom = g.bottom;
    g.laid_out = pl != NULL;
    if (!pl) return;
    int gap = g.gap, view_h = g.view_h;
    /* the page ends with a big "next" button so a patient at the bottom need not look for the bar; it says
     * «Ferdig med modulen» on the last page (in paged reading its last screen is the only one that shows it) */
    g.end_lbl = app_tr(a, a->page + 1 >= (int)mod->n_pages ? "page.finish" : "page.next_long");
    g.end_btn_h = ui_button_height(app_ui(a), g.end_lbl, g.colw, app_px(a, DP_BUTTON_BIG));
    g.content_h = gap + pl_height(pl) + gap * 2 + g.end_btn_h + gap;
    bool paged = paged_mode;
    a->max_scroll = g.content_h - view_h > 0 ? g.content_h - view_h : 0;
    bool restored = a->pending_block >= 0 && !g.part;
    /* a saved place is a block and thousandths of it: in a block taller than 1000 px it comes back up to
     * block/2000 px from where the screen started, so a screen is found within that of it (snap) */
    int snap = 0;
    if (a->pending_block >= 0)
        snap = (pl_scroll_for(pl, a->pending_block, 1000) - pl_scroll_for(pl, a->pending_block, 0)) / 1000 + 1;
    if (g.part) a->scroll_page = pl_scroll_for(pl, a->pending_block, a->pending_permille);
    if (restored) {
        a->scroll_page = pl_scroll_for(pl, a->pending_block, a->pending_permille);
        /* laid out again in this run: the very line that was at the top (back from an exercise while its message
         * shows, a block's thousandths put the screen at the card's text, «skjerm 206 av 217», not its button) */
        bool same = fine.set && fine.module == a->module && fine.page == a->page && fine.block == a->pending_block &&
                    fine.permille == a->pending_permille;
        int y = same ? pl_scroll_for_line(pl, &fine.at) : -1;
        if (y >= 0) a->scroll_page = y;
        kept_fine = fine;
        kept_fine.set = y >= 0;
        fine.set = false;
        a->kept_block = a->pending_block;
        a->kept_permille = a->pending_permille;
        a->pending_block = -1;
    }
    int clip_h = view_h;
    if (paged) {
        /* one screen at a time, cut at line tops so no line is ever split between two screens */
        int avail = screen_avail(a, view_h);
        /* a part from a block after the first: its screen is not the page's first, whatever is above it */
        int from = g.part && a->pending_block > 0 ? a->scroll_page : -1;
        paginate(a, pl, avail, pl_height(pl) + gap * 2, pl_height(pl) + gap * 2 + g.end_btn_h, from, snap);
    }
    int avail_now = screen_avail(a, view_h);
    if (paged && n_screens == 0) paged = false; /* out of memory: scrolling still works */
    if (paged) {
        int idx = 0;
        if (to_last_screen)
            idx = n_screens - 1;
        else
            while (idx + 1 < n_screens && screen_starts[idx + 1] <= a->scroll_page + snap)
                idx++;
        to_last_screen = false;
        screen_idx = idx;
        a->scroll_page = screen_starts[idx];
        a->max_scroll = screen_starts[n_screens - 1];
        int next = idx + 1 < n_screens ? screen_starts[idx + 1] : screens_total;
        clip_h = next - a->scroll_page;
        if (clip_h > view_h - gap) clip_h = view_h - gap;
        if (clip_h > avail_now && next - a->scroll_page > avail_now) clip_h = avail_now; /* a gap after it (past_gap) */
        if (shown_module != a->module || shown_page != a->page || shown_idx != idx) {
            shown_module = a->module;
            shown_page = a->page;
            shown_idx = idx;
            screen_since = SDL_GetTicks();
        }
    }
    g.paged = paged;
    g.last = a->page + 1 >= (int)mod->n_pages && (!paged || screen_idx + 1 >= n_screens);
    bottom_bar_next(a);
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
    term_place(a);
}

/* A triangle in a button, pointing up (dir -1) or down (1). */
static void term_arrow(app *a, int x, int y, int w, int h, int dir, uint32_t ink) {
    int size = (w < h ? w : h) * 4 / 10, cx = x + w / 2, cy = y + h / 2;
    for (int i = 0; i < size / 2; i++) {
        int row = dir > 0 ? cy - size / 4 + i : cy + size / 4 - i;
        ren_fill(a->rn, cx - size / 2 + i, row, size - 2 * i, 1, ink);
    }
}

/* The open explanation: its words and a button that puts it away; where its lines are more than the box holds,
 * the lines the box holds, whole, and buttons for the next and the earlier ones under the close button. */
static void term_draw(app *a) {
    if (!term.open || term.box.h <= 0) return;
    const theme *th = a->th;
    SDL_Rect b = term.box;
    int pad = app_px(a, 16), border = app_px(a, 2), gap = app_px(a, 8);
    ren_fill_round(a->rn, b.x, b.y, b.w, b.h, app_px(a, 10), th->ink[INK_CARD_BORDER]);
    ren_fill_round(a->rn, b.x + border, b.y + border, b.w - 2 * border, b.h - 2 * border, app_px(a, 9),
                   th->ink[INK_CARD_BG]);
    int vpad = term.vpad; /* less than pad where that shows one more line */
    SDL_Rect clip = {b.x, b.y + vpad, b.w, term.shown * term.text_line_h};
    ren_clip(a->rn, &clip);
    view_clip(&a->view, clip.x, clip.y, clip.w, clip.h);
    ui_text(app_ui(a), term.text, REN_REGULAR, term.px, th->ink[INK_TEXT], b.x + pad,
            b.y + vpad - term.first * term.text_line_h, term.text_w, ROLE_STATUS);
    ren_clip(a->rn, NULL);
    view_clip_off(&a->view);
    int bx = b.x + b.w - pad - term.close_w;
    ui_button_ex(app_ui(a), bx, b.y + vpad, term.close_w, term.close_h, app_tr(a, "page.term_close"), "×", BTN_SECONDARY,
                 ACT_TERM_CLOSE, 0);
    if (term.shown >= term.lines) return;
    /* the rest, a box at a time: the earlier lines' button under the close button, the next lines' at the foot;
     * in a low box, beside each other at the foot (two columns) or beside the close button (three) */
    int down_y = b.y + b.h - vpad - term.close_h, up_y = b.y + vpad + term.close_h + gap;
    int down_x = bx, up_x = bx;
    if (term.cols == 2) up_x = bx - term.close_w - gap, up_y = down_y;
    if (term.cols == 3) down_x = bx - term.close_w - gap, up_x = down_x - term.close_w - gap, down_y = up_y = b.y + vpad;
    if (term.first > 0) {
        ui_button_ex(app_ui(a), up_x, up_y, term.close_w, term.close_h, app_tr(a, "page.term_less"), "", BTN_SECONDARY,
                     ACT_TERM_MORE, -1);
        term_arrow(a, up_x, up_y, term.close_w, term.close_h, -1, th->ink[INK_TEXT]);
    }
    if (term.first + term.shown < term.lines) {
        ui_button_ex(app_ui(a), down_x, down_y, term.close_w, term.close_h, app_tr(a, "page.term_more"), "", BTN_PRIMARY,
                     ACT_TERM_MORE, 1);
        term_arrow(a, down_x, down_y, term.close_w, term.close_h, 1, th->ink[INK_BUTTON_TEXT]);
    }
}

/* The bottom bar as bottom_bar_layout placed it: previous, where you are and the time left, next. */
static void draw_bottom_bar(app *a, int bottom, bool last) {
    const theme *th = a->th;
    int m = g.bar_m;
    int bh = g.bh, bottom_h = g.bottom_h;
    ren_fill(a->rn, 0, bottom, a->w, bottom_h, th->ink[INK_BAR_BG]);
    int by2 = bottom + g.btn_top;
    if (a->page > 0 || (g.paged && screen_idx > 0))
        ui_button_ex(app_ui(a), m, by2, g.prev_w, bh, g.prev_lbl, g.prev_shown, BTN_BAR, ACT_PREV_PAGE, 0);
    ui_button_ex(app_ui(a), a->w - m - g.next_w, by2, g.next_w, bh, g.next_lbl, g.next_shown, BTN_BAR,
                 last ? ACT_FINISH_MODULE : ACT_NEXT_PAGE, 0);
    char buf[ST_PIECES][96];
    const char *piece[ST_PIECES];
    int n = status_pieces(a, false, g.st_brief, buf, piece), line_of[ST_PIECES], widest;
    int lines = pack_status(a, g.st_style, piece, n, g.st_room, line_of, &widest);
    if (widest > g.st_room && g.st_brief < ST_BRIEF_SCREEN) {
        /* the bar is laid out for 888 screens: a page of a thousand (a 320 dp phone at 400 % with the widest
         * spacing) ran «skjerm 1000 av 1037» over the arrows; «skjerm 1000/1037» is as plain and fits */
        n = status_pieces(a, false, ST_BRIEF_SCREEN, buf, piece);
        lines = pack_status(a, g.st_style, piece, n, g.st_room, line_of, &widest);
    }
    if (lines > g.st_lines) lines = pack_status(a, g.st_style, piece, --n, g.st_room, line_of, &widest);
    int y = g.st_strip ? bottom + g.st_top : bottom + (bottom_h - lines * g.st_skip) / 2;
    if (g.demo) {
        /* the demonstration's line first (read first), in its banner's colours, the status under it */
        int dy = bottom + (bottom_h - 2 * g.st_skip) / 2, pad = app_px(a, 6);
        int dw = ren_measure(a->rn, g.st_style, g.demo, strlen(g.demo));
        int dx = g.st_x + (g.st_room - dw) / 2;
        ren_fill_round(a->rn, dx - pad, dy, dw + 2 * pad, g.st_skip, app_px(a, 4), th->ink[INK_DEMO_BG]);
        ren_text(a->rn, g.st_style, th->ink[INK_DEMO_TEXT], g.demo, strlen(g.demo), dx, dy);
        y = dy + g.st_skip;
    }
    char all[4 * 96 + 16] = "", line[4 * 96 + 16];
    int x0 = a->w, x1 = 0;
    for (int l = 0, i = 0; l < lines; l++) {
        line[0] = '\0';
        for (; i < n && line_of[i] == l; i++) {
            size_t u = strlen(line), v = strlen(all);
            snprintf(line + u, sizeof line - u, "%s%s", u ? " · " : "", piece[i]);
            snprintf(all + v, sizeof all - v, "%s%s", v ? " · " : "", piece[i]);
        }
        int lw = ren_measure(a->rn, g.st_style, line, strlen(line));
        int lx = g.st_x + (g.st_room - lw) / 2;
        ren_text(a->rn, g.st_style, th->ink[INK_BAR_TEXT], line, strlen(line), lx, y + l * g.st_skip);
        if (lx < x0) x0 = lx;
        if (lx + lw > x1) x1 = lx + lw;
    }
    if (g.demo) {
        /* the two lines between the arrows are one target of the buttons' height: a tap on the demonstration's
         * line says it whole (the full banner's words) in the message line; described as a button: the line, then
         * where you are */
        char said[sizeof all + 160];
        snprintf(said, sizeof said, "%s. %s", g.demo, all);
        int hh = g.bh > 2 * g.st_skip ? g.bh : 2 * g.st_skip;
        view_add(&a->view, ROLE_BUTTON, said, g.st_x, bottom + (bottom_h - hh) / 2, g.st_room, hh, ACT_DEMO_ABOUT, 0);
        return;
    }
    view_add(&a->view, ROLE_STATUS, all, x0, y, x1 - x0, lines * g.st_skip, 0, 0);
}

static void draw_page(app *a) {
    const theme *th = a->th;
    const doc_module *mod = &a->prog->modules[a->module];
    char title[512];
    snprintf(title, sizeof title, "%s %d: %s", app_tr(a, "home.module"), mod->number, mod->title);
    a->bars_pct = MS_READER_BAR_PCT_MAX;
    a->demo_line_below = g.demo != NULL;
    chrome_topbar_with(a, title, speech_in_topbar(a) ? draw_speech_topbar : NULL, true, true);
    a->demo_line_below = false;
    a->bars_pct = 0;
    int top = g.view_top, bottom = g.bottom, x = g.x, colw = g.colw, gap = g.gap, view_h = g.view_h;
    bool paged = g.paged, last = g.last;
    if (!g.laid_out) {
        ui_text(app_ui(a), app_tr(a, "error.memory"), REN_REGULAR, ui_font(app_ui(a), DP_BODY), th->ink[INK_TEXT], x,
                top + gap, colw, ROLE_TEXT);
        return;
    }
    pagelayout *pl = pages_laid_out(a); /* reader_update laid it out */
    int origin = g.origin;
    int by = origin + pl_height(pl) + gap * 2 - a->scroll_page;
    /* what an open explanation covers is not on screen: the page is drawn and described above it and below it
     * (drawn under it, its words were found under the explanation's by check-layout) */
    SDL_Rect part[2] = {g.clip, {0, 0, 0, 0}};
    if (term.open && term.box.h > 0) {
        part[0].h = term.box.y - g.clip.y;
        part[1] =
            (SDL_Rect){g.clip.x, term.box.y + term.box.h, g.clip.w, g.clip.y + g.clip.h - term.box.y - term.box.h};
    }
    for (int i = 0; i < 2; i++) {
        if (part[i].h <= 0) continue;
        ren_clip(a->rn, &part[i]);
        view_clip(&a->view, part[i].x, part[i].y, part[i].w, part[i].h);
        /* the word being read aloud, lit on the boxes and behind the text */
        pl_draw_shapes(pl, a->rn, th, x, origin, a->scroll_page, view_h);
        int hx, hy, hw, hh;
        if (readaloud_get()->word && readaloud_get()->on &&
            pl_unit_box(pl, readaloud_get()->unit, readaloud_get()->start, readaloud_get()->len, &hx, &hy, &hw, &hh)) {
            int pad = app_px(a, 3);
            ren_fill_round(a->rn, x + hx - pad, origin + hy - a->scroll_page, hw + 2 * pad, hh, app_px(a, 6),
                           th->ink[INK_HIGHLIGHT]);
        }
        pl_draw_text(pl, a->rn, th, x, origin, a->scroll_page, view_h);
        pl_describe(pl, &a->view, x, origin, a->scroll_page, g.view_top, view_h);
        if (by < bottom && by + g.end_btn_h > g.view_top && (i == 1 || !part[1].h || by < part[0].y + part[0].h))
            ui_button(app_ui(a), x, by, colw, g.end_btn_h, g.end_lbl, BTN_PRIMARY,
                      last ? ACT_FINISH_MODULE : ACT_NEXT_PAGE, 0);
    }
    ren_clip(a->rn, &g.clip);
    view_clip(&a->view, g.clip.x, g.clip.y, g.clip.w, g.clip.h);
    focus_draw(a, g.clip.y, g.clip.y + g.clip.h);
    ren_clip(a->rn, NULL);
    view_clip_off(&a->view);
    term_draw(a);

    a->bars_pct = MS_READER_BAR_PCT_MAX;
    if (g.speech_h) draw_speech_bar(a, bottom, g.speech_h);
    bottom += g.speech_h;
    draw_bottom_bar(a, bottom, last);
    a->bars_pct = 0;
    /* a thin scroll indicator on the right edge, so the length of the page is visible */
    if (a->max_scroll > 0 && !paged && !g.part) { /* a part's length is not the page's */
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
    /* at its top, and its first frame from the part of it there, as at a start (issue 14: a 64k-word page laid out
     * whole before its first frame took 60 ms): the rest is laid out on the next event (app.c). Saving the place
     * below then needs no layout either. */
    a->pending_block = 0;
    a->pending_permille = 0;
    a->open_part = true;
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
/* line: the room between the bars changed (a message, read-aloud's bar), the column did not: the line itself is
 * kept too. (A new width or text size rewraps every line; the block's thousandths come back there to the pixel.) */
static void keep_place(app *a, bool line) {
    if (a->pending_block >= 0 || nav_place(a) != SCREEN_PAGE) return;
    if (a->kept_block >= 0 && a->scroll_page == a->kept_scroll) {
        a->pending_block = a->kept_block;
        a->pending_permille = a->kept_permille;
        fine = kept_fine;
        fine.set = fine.set && line;
        return;
    }
    pagelayout *pl = pages_layout(a);
    if (!pl) return;
    pl_anchor(pl, a->scroll_page, &a->pending_block, &a->pending_permille);
    fine = (fine_place){line, a->module, a->page, a->pending_block, a->pending_permille, {0}};
    if (line) pl_anchor_line(pl, a->scroll_page, &fine.at);
}

void reader_keep_place(app *a) { keep_place(a, false); }

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

/* The term's line, the one nearest page y py (a finger may land a little off it): the explanation leaves it in
 * sight. */
static void term_line(app *a, const pagelayout *pl, int py) {
    term.line_top = py;
    term.line_h = 1;
    int n = pages_lines(a, pl), best = 1 << 30;
    for (int i = 0; i < n; i++) {
        int t = a->line_tops[i], b = t + a->line_heights[i];
        int d = py < t ? t - py : py >= b ? py - b + 1 : 0;
        if (d < best) {
            best = d;
            term.line_top = t;
            term.line_h = b - t;
        }
    }
}

/* Opens the explanation of the term at page y py (a tap, or the keyboard's Return on it), beside its line. */
static void term_open(app *a, const pagelayout *pl, const char *word, const char *expl, int py, int id) {
    snprintf(term.text, sizeof term.text, "%s: %s", word, expl);
    snprintf(term.word, sizeof term.word, "%s", word);
    term.id = id;
    term.open = true;
    term.first = 0;
    term.module = a->module;
    term.page = a->page;
    term.scroll = a->scroll_page;
    term.layout = pl;
    term.gen = a->layouts_gen; /* a layout freed since may have left its address to the new one */
    term_line(a, pl, py);
    a->dirty = true;
}

static bool reader_action(app *a, app_action act, int arg) {
    (void)arg;
    switch (act) {
    case ACT_SPEAK:
        if (!readaloud_get()->on || readaloud_get()->single) {
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
            if (paged) { /* on its last screen: cut from the whole page, not from the part at its top */
                a->pending_block = -1;
                a->open_part = false;
            }
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
    case ACT_TERM_CLOSE:
        term.open = false;
        a->dirty = true;
        if (term.id >= 0) app_focus(a, ACT_TERM_OPEN, term.id, term.word); /* back to the term it explained */
        return true;
    case ACT_TERM_OPEN: { /* the keyboard's Return (or a switch) on a term: as a tap on it, then its close button */
        pagelayout *pl = pages_laid_out(a);
        const char *word, *expl;
        int line_top;
        /* its line that has the focus (a term hyphenated over a screen turn is reached on either screen) */
        int near = -1;
        for (size_t i = 0; i < a->view.nf; i++)
            if (a->view.f[i].action == ACT_TERM_OPEN && a->view.f[i].arg == arg)
                near = a->view.f[i].y - page_origin + a->scroll_page;
        if (!pl || !pl_term_get(pl, arg, near, &word, &expl, &line_top)) return true;
        term_open(a, pl, word, expl, line_top, arg);
        app_focus(a, ACT_TERM_CLOSE, 0, app_tr(a, "page.term_close"));
        return true;
    }
    case ACT_TERM_MORE: /* a box of lines on, or back: the last one shown stays in sight */
        term.first += arg * (term.shown > 1 ? term.shown - 1 : 1);
        a->dirty = true;
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
    if (term.open && (k == SDLK_ESCAPE || k == SDLK_AC_BACK)) {
        app_do(a, ACT_TERM_CLOSE, 0); /* Escape puts the explanation away before it goes back */
        return true;
    }
    /* an explanation longer than its box: the keys that go on through the page go on through it first */
    if (term.open && term.box.h > 0 && term.shown < term.lines) {
        bool on = k == SDLK_DOWN || k == SDLK_PAGEDOWN || k == SDLK_SPACE;
        bool back = k == SDLK_UP || k == SDLK_PAGEUP;
        if ((on && term.first + term.shown < term.lines) || (back && term.first > 0)) {
            app_do(a, ACT_TERM_MORE, on ? 1 : -1);
            return true;
        }
    }
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
    /* a tap on the open explanation leaves it open (its buttons are taken before: view_hit) */
    if (term.open && term.box.h > 0 && x >= term.box.x && x < term.box.x + term.box.w && y >= term.box.y &&
        y < term.box.y + term.box.h)
        return true;
    /* a glossary term explains itself */
    if (on_page) {
        pagelayout *pl = pages_layout(a);
        const char *word, *expl;
        int py = y - page_origin + a->scroll_page;
        if (pl && pl_term_at(pl, x - page_x, py, &word, &expl)) {
            /* which term it is, from the frame's focus order (view_add_focus): the nearest to the finger */
            int id = -1, best = 1 << 30;
            for (size_t i = 0; i < a->view.nf; i++) {
                const view_focus *f = &a->view.f[i];
                if (f->action != ACT_TERM_OPEN || f->elem < 0 || strcmp(view_focus_text(&a->view, f), word) != 0)
                    continue;
                int dx = x < f->x ? f->x - x : x > f->x + f->w ? x - f->x - f->w : 0;
                int dy = y < f->y ? f->y - y : y > f->y + f->h ? y - f->y - f->h : 0;
                if (dx + dy < best) best = dx + dy, id = f->arg;
            }
            term_open(a, pl, word, expl, py, id);
            return true;
        }
    }
    /* a tap anywhere else puts the explanation away */
    if (term.open) {
        term.open = false;
        a->dirty = true;
        return true;
    }
    /* a tap anywhere else puts a confirmation away (an error stays until «Lukk», Escape or its cause is fixed) */
    if (a->toast[0] && !app_error_shown(a)) {
        app_dismiss_toast(a);
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

void reader_turn_to(app *a, int y) {
    if (!reader_paged(a)) return;
    int py = y - page_origin + a->scroll_page, idx = 0;
    while (idx + 1 < n_screens && screen_starts[idx + 1] <= py)
        idx++;
    if (idx == screen_idx) return;
    readaloud_turned(a);
    reader_turn_screen(a, idx);
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
    term.open = false;
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
