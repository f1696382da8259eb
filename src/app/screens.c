/* screens.c — draws each screen and describes it into the frame's view (role, text, bounds, action).
 * Immediate mode: a screen is a function of the app state, drawn whole on each redraw; redraws happen only
 * after an event changed something, and text comes from the texture cache, so a frame is mostly copies.
 * Sizes are in dp (app_px); every touch target is at least 48 dp. */
#define _DEFAULT_SOURCE /* timegm */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "meistring/sync.h"
#include "meistring/utf8.h"

/* Type scale, dp. Body text at 20 dp is ~3 mm tall on a 10" tablet: comfortable for long reading. */
#define DP_BODY   20
#define DP_H1     29
#define DP_H2     24
#define DP_H3     21
#define DP_SMALL  17
#define DP_BAR    64
#define DP_BANNER 34
#define DP_BOTTOM 76
#define DP_TARGET 48

typedef enum { BTN_PRIMARY, BTN_SECONDARY, BTN_HELP, BTN_BAR } btn_kind;

static int margin(const app *a) { return a->w / a->dp < 480 ? app_px(a, 16) : app_px(a, 24); }

/* Interface text size in px: dp scaled to the screen and by the patient's text size (up to 200 %, see
 * settings_chrome_pct). Spacing stays in plain dp; only text grows. */
static int font_px(const app *a, double dp) {
    /* a phone has no room for 200 % bars: the cap grows from 125 % at 320 dp wide to 200 % at 600 dp */
    double w_dp = a->w / a->dp;
    int cap = (int)(125 + (w_dp - 320) * 75 / 280);
    if (cap < 125) cap = 125;
    if (cap > 200) cap = 200;
    int pct = settings_chrome_pct(&a->set);
    if (pct > cap) pct = cap;
    return (int)(dp * a->dp * pct / 100.0 + 0.5);
}

/* Reading text size in px: follows the text size all the way to 400 %. */
static int read_px(const app *a, double dp) { return (int)(dp * a->dp * a->set.text_pct / 100.0 + 0.5); }

/* Draws wrapped text at (x, y) within width w; adds one element when role >= 0. Returns its height. */
static int ui_text(app *a, const char *text, ren_face face, int px, uint32_t rgba, int x, int y, int w, int role) {
    int style = ren_style(a->rn, face, px);
    layout_run run = {text, strlen(text), style};
    if (!layout_paragraph(&a->scratch, ren_layout_font(a->rn), &run, 1, w)) return 0;
    int line_h = px * 135 / 100;
    int pad = (line_h - ren_line_skip(a->rn, style)) / 2;
    int widest = 0;
    for (size_t l = 0; l < a->scratch.n_lines; l++) {
        const layout_line *ln = &a->scratch.lines[l];
        for (uint32_t f = ln->first; f < ln->first + ln->count; f++) {
            const layout_frag *fr = &a->scratch.frags[f];
            ren_text_words(a->rn, style, rgba, text + fr->off, fr->len, x + fr->x, y + (int)l * line_h + pad);
        }
        if (ln->width > widest) widest = ln->width;
    }
    int h = (int)a->scratch.n_lines * line_h;
    if (role >= 0) view_add(&a->view, (view_role)role, text, x, y, widest, h, 0, 0);
    return h;
}

/* A heading in the screen's column: bold, heading ink, announced as a heading. dp is DP_H1 or DP_H3. */
static int ui_heading(app *a, const char *text, double dp, int x, int y, int w) {
    return ui_text(a, text, REN_BOLD, font_px(a, dp), a->th->ink[INK_HEADING], x, y, w, ROLE_HEADING);
}

/* Height ui_text would need, without drawing. */
static int ui_text_height(app *a, const char *text, ren_face face, int px, int w) {
    int style = ren_style(a->rn, face, px);
    layout_run run = {text, strlen(text), style};
    if (!layout_paragraph(&a->scratch, ren_layout_font(a->rn), &run, 1, w)) return 0;
    return (int)a->scratch.n_lines * (px * 135 / 100);
}

/* Height a button of width w needs for label: at least min_h, more when the label must wrap. */
static int ui_button_height(app *a, const char *label, int w, int min_h) {
    int pad = app_px(a, 12);
    int px = font_px(a, DP_BODY);
    int style = ren_style(a->rn, REN_BOLD, px);
    int need = ren_measure(a->rn, style, label, strlen(label)) <= w - 2 * pad
                   ? ren_line_skip(a->rn, style) + pad
                   : ui_text_height(a, label, REN_BOLD, px, w - 2 * pad) + 2 * pad;
    return need > min_h ? need : min_h;
}

/* A button: rounded box, label centred, wrapped if it must be (the box then grows: the returned height).
 * `shown` is drawn; `label` is what the element says (they differ only for a compact symbol like "‹"). */
static int ui_button_ex(app *a, int x, int y, int w, int h, const char *label, const char *shown, btn_kind kind,
                        int action, int arg) {
    const theme *th = a->th;
    uint32_t bg, fg;
    switch (kind) {
    case BTN_HELP:
        bg = th->ink[INK_HELP_BG];
        fg = th->ink[INK_HELP_TEXT];
        break;
    case BTN_SECONDARY:
        bg = th->ink[INK_CARD_BG];
        fg = th->ink[INK_TEXT];
        break;
    case BTN_BAR:
        bg = th->ink[INK_BAR_BG];
        fg = th->ink[INK_BAR_TEXT];
        break;
    default:
        bg = th->ink[INK_BUTTON_BG];
        fg = th->ink[INK_BUTTON_TEXT];
        break;
    }
    h = ui_button_height(a, shown, w, h);
    int r = app_px(a, 10);
    ren_fill_round(a->rn, x, y, w, h, r, bg);
    if (kind == BTN_SECONDARY) ren_frame_round(a->rn, x, y, w, h, r, app_px(a, 2), th->ink[INK_CARD_BORDER]);
    if (kind == BTN_BAR || (kind == BTN_PRIMARY && th->ink[INK_BUTTON_BG] == th->ink[INK_BG]))
        ren_frame_round(a->rn, x, y, w, h, r, app_px(a, 2), fg);
    int px = font_px(a, DP_BODY);
    int pad = app_px(a, 12);
    int style = ren_style(a->rn, REN_BOLD, px);
    int tw = ren_measure(a->rn, style, shown, strlen(shown));
    if (tw <= w - 2 * pad) {
        int skip = ren_line_skip(a->rn, style);
        ren_text(a->rn, style, fg, shown, strlen(shown), x + (w - tw) / 2, y + (h - skip) / 2);
    } else {
        int th2 = ui_text_height(a, shown, REN_BOLD, px, w - 2 * pad);
        ui_text(a, shown, REN_BOLD, px, fg, x + pad, y + (h - th2) / 2, w - 2 * pad, -1);
    }
    view_add(&a->view, ROLE_BUTTON, label, x, y, w, h, action, arg);
    return h;
}

static int ui_button(app *a, int x, int y, int w, int h, const char *label, btn_kind kind, int action, int arg) {
    return ui_button_ex(a, x, y, w, h, label, label, kind, action, arg);
}

/* Cuts text to fit width with an ellipsis, never inside a UTF-8 sequence. */
static const char *elide(app *a, const char *text, int style, int width, char *buf, size_t cap) {
    size_t len = strlen(text);
    if (ren_measure(a->rn, style, text, len) <= width) return text;
    int ell = ren_measure(a->rn, style, "…", strlen("…"));
    size_t cut = len;
    while (cut > 0 && ren_measure(a->rn, style, text, cut) + ell > width)
        cut = utf8_prev(text, cut);
    if (cut + 4 > cap) cut = utf8_prev(text, cap > 4 ? cap - 4 : 0);
    memcpy(buf, text, cut);
    memcpy(buf + cut, "…", strlen("…") + 1);
    return buf;
}

/* A speaker with sound waves, or two pause bars, drawn (the bundled fonts have no such symbols). */
static void draw_speak_icon(app *a, int x, int y, int w, int h, bool pause, uint32_t ink) {
    int s = (w < h ? w : h) * 5 / 10, cx = x + w / 2, cy = y + h / 2;
    if (pause) {
        int bw = s / 4;
        ren_fill(a->rn, cx - s / 3, cy - s / 2, bw, s, ink);
        ren_fill(a->rn, cx + s / 3 - bw, cy - s / 2, bw, s, ink);
        return;
    }
    int left = cx - s / 2, t = s / 12 > 1 ? s / 12 : 1;
    /* two waves: rings with their left halves painted over, drawn first so the speaker covers the rest */
    for (int k = 2; k >= 1; k--) {
        int r = s / 6 + k * s / 5, c = left + s / 4 + s / 3;
        ren_frame_round(a->rn, c - r, cy - r, 2 * r, 2 * r, r, t, ink);
        ren_fill(a->rn, c - r - 1, cy - r - 1, r + 2 + t, 2 * r + 2, a->th->ink[INK_BAR_BG]);
    }
    ren_fill(a->rn, left, cy - s / 6, s / 4, s / 3, ink); /* the box */
    for (int i = 0; i <= s / 3; i++) {                    /* the cone, widening to the right */
        int half = s / 6 + i * (s / 2 - s / 6) / (s / 3 > 0 ? s / 3 : 1);
        ren_fill(a->rn, left + s / 4 + i, cy - half, 1, 2 * half, ink);
    }
}

static void draw_speak_icon_on(app *a, int x, int y, int w, int h, bool pause, uint32_t ink, uint32_t bg) {
    /* draw_speak_icon paints its wave masks in the bar colour; elsewhere use pause bars or a play triangle */
    (void)bg;
    int s = (w < h ? w : h) * 5 / 10, cx = x + w / 2, cy = y + h / 2;
    if (pause) {
        int bw = s / 4;
        ren_fill(a->rn, cx - s / 3, cy - s / 2, bw, s, ink);
        ren_fill(a->rn, cx + s / 3 - bw, cy - s / 2, bw, s, ink);
    } else {
        for (int i = 0; i < s; i++) /* a triangle pointing right */
            ren_fill(a->rn, cx - s / 2 + i, cy - (s - i) / 2, 1, s - i, ink);
    }
}

/* Top bar: back (when there is somewhere to go), the title, reading aids (in the reader) and "Hjelp nå" on
 * every screen. Grows with the text: when the labels do not fit, back shrinks to "‹", the title goes, and the
 * help label wraps; help is never dropped. Returns the bar's bottom (below the demonstration banner). */
static int ui_topbar(app *a, const char *title, bool back, bool aids) {
    const theme *th = a->th;
    int m = a->w / a->dp < 400 ? app_px(a, 8) : margin(a), gap = app_px(a, 8);
    int px = font_px(a, DP_BODY);
    int bold = ren_style(a->rn, REN_BOLD, px);
    int btn_pad = app_px(a, 32), target = app_px(a, DP_TARGET);
    const char *help = app_tr(a, "help.button");
    const char *back_lbl = app_tr(a, "nav.back"), *back_shown = back_lbl;
    const char *aids_lbl = app_tr(a, "aids.button"), *aids_shown = "Aa";
    int help_w = ren_measure(a->rn, bold, help, strlen(help)) + btn_pad;
    int back_w = back ? ren_measure(a->rn, bold, back_lbl, strlen(back_lbl)) + btn_pad : 0;
    int aids_w = aids ? ren_measure(a->rn, bold, aids_shown, strlen(aids_shown)) + btn_pad : 0;
    /* the read-aloud button sits beside "Aa"; it shows a drawn speaker (or pause bars while reading) */
    int speak_w = aids ? target : 0;
    aids_w += speak_w + (aids ? gap : 0);
    if (back_w && back_w < target) back_w = target;
    if (aids_w && aids_w < target) aids_w = target;
    int avail = a->w - 2 * m - (back ? gap : 0) - (aids ? gap : 0);
    if (back && back_w + aids_w + help_w > avail) {
        back_shown = "‹";
        back_w = ren_measure(a->rn, bold, back_shown, strlen(back_shown)) + btn_pad;
        if (back_w < target) back_w = target;
    }
    if (back_w + aids_w + help_w > avail) help_w = avail - back_w - aids_w; /* the label wraps */
    int bh = target;
    if (back) bh = ui_button_height(a, back_shown, back_w, bh);
    if (aids) bh = ui_button_height(a, aids_shown, aids_w, bh);
    bh = ui_button_height(a, help, help_w, bh);
    int bar = bh + app_px(a, 16) > app_px(a, DP_BAR) ? bh + app_px(a, 16) : app_px(a, DP_BAR);
    ren_fill(a->rn, 0, 0, a->w, bar, th->ink[INK_BAR_BG]);
    int x = m, by = (bar - bh) / 2;
    if (back) {
        ui_button_ex(a, x, by, back_w, bh, back_lbl, back_shown, BTN_BAR, ACT_BACK, 0);
        x += back_w + gap;
    }
    int hx = a->w - m - help_w;
    ui_button(a, hx, by, help_w, bh, help, BTN_HELP, ACT_HELP, 0);
    int right = hx - gap;
    if (aids) {
        int only_aa = aids_w - speak_w - gap;
        right -= only_aa;
        ui_button_ex(a, right, by, only_aa, bh, aids_lbl, aids_shown, BTN_BAR, ACT_AIDS, 0);
        right -= gap + speak_w;
        bool playing = a->speaking && !a->sp_paused;
        ui_button_ex(a, right, by, speak_w, bh, app_tr(a, playing ? "speech.pause" : "speech.button"), "", BTN_BAR,
                     ACT_SPEAK, 0);
        draw_speak_icon(a, right, by, speak_w, bh, playing, th->ink[INK_BAR_TEXT]);
        right -= gap;
    }
    if (title && right - x > app_px(a, 100)) {
        char buf[512];
        const char *t = elide(a, title, bold, right - x - gap, buf, sizeof buf);
        int skip = ren_line_skip(a->rn, bold);
        ren_text(a->rn, bold, th->ink[INK_BAR_TEXT], t, strlen(t), x + gap, (bar - skip) / 2);
        view_add(&a->view, ROLE_HEADING, title, x + gap, (bar - skip) / 2, ren_measure(a->rn, bold, t, strlen(t)), skip,
                 0, 0);
    }
    int y = bar;
    bool full = store_disk_full(a->st);
    if (a->prog->demo || a->memory_only || full) {
        /* the demonstration is marked on every screen, so nobody mistakes it for their treatment; a store
         * that could not be opened, or a disk that is full, is said as plainly */
        const char *msg = app_tr(a, a->memory_only ? "store.memory_only" : full ? "store.full" : "demo.banner");
        int sp = font_px(a, DP_SMALL);
        int h = ui_text_height(a, msg, REN_BOLD, sp, a->w - 2 * m);
        if (h > sp * 3 && !a->memory_only && !full) {
            /* large text on a small screen: the short form, so the page keeps its room */
            msg = app_tr(a, "demo.banner_short");
            h = ui_text_height(a, msg, REN_BOLD, sp, a->w - 2 * m);
        }
        int bh2 = h + app_px(a, 10) > app_px(a, DP_BANNER) ? h + app_px(a, 10) : app_px(a, DP_BANNER);
        ren_fill(a->rn, 0, y, a->w, bh2, th->ink[INK_DEMO_BG]);
        ui_text(a, msg, REN_BOLD, sp, th->ink[INK_DEMO_TEXT], m, y + (bh2 - h) / 2, a->w - 2 * m, ROLE_STATUS);
        /* where the banner has the page's colour (high contrast), a rule keeps it apart from the text */
        if (th->ink[INK_DEMO_BG] == th->ink[INK_BG])
            ren_fill(a->rn, 0, y + bh2 - app_px(a, 2), a->w, app_px(a, 2), th->ink[INK_DEMO_TEXT]);
        y += bh2;
    }
    return y;
}

static void ui_progress(app *a, int x, int y, int w, int h, int done, int total) {
    ren_fill_round(a->rn, x, y, w, h, h / 2, a->th->ink[INK_PROGRESS_BG]);
    if (total > 0 && done > 0) {
        int fw = (int)((long long)w * done / total);
        if (fw < h) fw = h;
        ren_fill_round(a->rn, x, y, fw, h, h / 2, a->th->ink[INK_PROGRESS]);
    }
}

static int visited_count(const app *a, int m) {
    int n = 0;
    for (size_t p = 0; p < a->prog->modules[m].n_pages; p++)
        n += a->visited[a->page_base[m] + (int)p];
    return n;
}

/* Column width: the screen less margins, capped near MS_LAYOUT_MAX_COLUMN_CHARS average characters. */
static int column_width(app *a, int px) {
    int style = ren_style(a->rn, REN_REGULAR, px);
    static const char sample[] = "etaoinsrhldcumfpgwybvkxjqzæøå ETAOINSR";
    int avg = ren_measure(a->rn, style, sample, strlen(sample)) / (int)utf8_count(sample, strlen(sample));
    int cap = avg * MS_LAYOUT_MAX_COLUMN_CHARS;
    int avail = a->w - 2 * margin(a);
    return avail < cap ? avail : cap;
}

static void draw_toast(app *a) {
    if (!a->toast[0]) return;
    int m = margin(a), px = font_px(a, DP_BODY), pad = app_px(a, 16);
    int w = a->w - 2 * m;
    if (w > app_px(a, 560)) w = app_px(a, 560);
    int th = ui_text_height(a, a->toast, REN_REGULAR, px, w - 2 * pad);
    int h = th + 2 * pad;
    int above = a->screen == SCREEN_PAGE ? a->h - a->content_bottom : 0;
    int x = (a->w - w) / 2, y = a->h - h - above - m;
    ren_fill_round(a->rn, x, y, w, h, app_px(a, 10), a->th->ink[INK_TEXT]);
    ui_text(a, a->toast, REN_REGULAR, px, a->th->ink[INK_BG], x + pad, y + pad, w - 2 * pad, ROLE_STATUS);
}

/* A scrolling list screen (home, module, help) below the bars: clip to it; returns the first y. */
static int begin_list(app *a, int top) {
    SDL_Rect clip = {0, top, a->w, a->h - top};
    a->content_top = top;
    a->content_bottom = a->h;
    ren_clip(a->rn, &clip);
    view_clip(&a->view, clip.x, clip.y, clip.w, clip.h);
    return top + app_px(a, 20) - a->scroll_list;
}

/* Ends a list screen whose content ended at y (screen coordinates, scrolled): sets how far it scrolls. */
static void end_list(app *a, int y) {
    int bottom = y + app_px(a, 20) + a->scroll_list;
    a->max_scroll = bottom - a->h > 0 ? bottom - a->h : 0;
    ren_clip(a->rn, NULL);
    view_clip_off(&a->view);
}

/* The start of every list screen: the top bar (with back, or not), the text column centred, the list clipped
 * below the bar. Sets top (the bar's bottom), x and colw; returns the first y. */
static int list_screen(app *a, const char *title, bool back, int *top, int *x, int *colw) {
    *top = ui_topbar(a, title, back, false);
    *colw = column_width(a, font_px(a, DP_BODY));
    *x = (a->w - *colw) / 2;
    return begin_list(a, *top);
}

/* "2 av 5 sider lest" */
static const char *progress_text(app *a, int seen, int total, char *buf, size_t cap) {
    char s1[16], s2[16];
    snprintf(s1, sizeof s1, "%d", seen);
    snprintf(s2, sizeof s2, "%d", total);
    const char *args[2] = {s1, s2};
    return i18n_format(buf, cap, app_tr(a, "module.progress"), 2, args);
}

static int draw_sync_status(app *a, int x, int y, int colw);
static int draw_download(app *a, int x, int y, int colw);

/* ---- home ------------------------------------------------------------------------------------------------ */

static void draw_home(app *a) {
    const theme *th = a->th;
    int top, x, colw;
    int y = list_screen(a, app_tr(a, "app.name"), false, &top, &x, &colw);
    y += ui_heading(a, a->prog->title, DP_H1, x, y, colw);
    y += app_px(a, 6);
    if (a->prog->description) {
        y += ui_text(a, a->prog->description, REN_REGULAR, font_px(a, DP_BODY), th->ink[INK_TEXT], x, y, colw,
                     ROLE_TEXT);
    }
    if (a->sync) {
        y += app_px(a, 12);
        y += draw_sync_status(a, x, y, colw);
    }
    /* messages, with how many are new (in the demonstration too, where they go nowhere and say so) */
    char mlabel[160], n[16];
    snprintf(n, sizeof n, "%d", a->unread);
    const char *margs[1] = {n};
    i18n_format(mlabel, sizeof mlabel, app_tr(a, a->unread ? "msg.button_new" : "msg.button"), 1, margs);
    y += app_px(a, 12);
    y += ui_button(a, x, y, colw, app_px(a, 56), mlabel, a->unread ? BTN_PRIMARY : BTN_SECONDARY, ACT_MESSAGES, 0);
    if (a->has_scores) { /* the patient's own scores over the weeks, once there are any */
        y += app_px(a, 12);
        y += ui_button(a, x, y, colw, app_px(a, 56), app_tr(a, "scores.button"), BTN_SECONDARY, ACT_SCORES, 0);
    }
    y += app_px(a, 20);
    int pad = app_px(a, 16);
    int px = font_px(a, DP_BODY), spx = font_px(a, DP_SMALL + 1);
    for (size_t i = 0; i < a->prog->n_modules; i++) {
        const doc_module *mod = &a->prog->modules[i];
        char num[64], status[256], label[768];
        snprintf(num, sizeof num, "%s %d", app_tr(a, "home.module"), mod->number);
        int seen = visited_count(a, (int)i), total = (int)mod->n_pages;
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
        progress_text(a, seen, total, prog_s, sizeof prog_s);
        if (mod->unlocked)
            snprintf(status, sizeof status, "%s · %s", state, prog_s);
        else
            snprintf(status, sizeof status, "%s", state);
        char title_line[512];
        snprintf(title_line, sizeof title_line, "%s: %s", num, mod->title);
        int tw = colw - 2 * pad;
        int h1 = ui_text_height(a, title_line, REN_BOLD, px, tw);
        int h2 = ui_text_height(a, status, REN_REGULAR, spx, tw);
        int bar_h = app_px(a, 8);
        int card_h = pad + h1 + app_px(a, 4) + h2 + (mod->unlocked ? app_px(a, 10) + bar_h : 0) + pad;
        if (card_h < app_px(a, DP_TARGET)) card_h = app_px(a, DP_TARGET);
        bool visible = y + card_h > top && y < a->h;
        if (visible) {
            uint32_t bg = mod->unlocked ? th->ink[INK_CARD_BG] : th->ink[INK_SUMMARY_BG];
            ren_fill_round(a->rn, x, y, colw, card_h, app_px(a, 12), bg);
            ren_frame_round(a->rn, x, y, colw, card_h, app_px(a, 12), app_px(a, 2), th->ink[INK_CARD_BORDER]);
            int cy = y + pad;
            cy += ui_text(a, title_line, REN_BOLD, px, th->ink[mod->unlocked ? INK_HEADING : INK_MUTED], x + pad, cy,
                          tw, -1);
            cy += app_px(a, 4);
            cy += ui_text(a, status, REN_REGULAR, spx, th->ink[INK_MUTED], x + pad, cy, tw, -1);
            if (mod->unlocked) ui_progress(a, x + pad, cy + app_px(a, 10), tw, bar_h, seen, total);
            snprintf(label, sizeof label, "%s – %s", title_line, status);
            /* one element per module card, as a screen reader would announce it */
            int y0 = y < top ? top : y;
            view_add(&a->view, ROLE_BUTTON, label, x, y0, colw, y + card_h - y0,
                     mod->unlocked ? ACT_OPEN_MODULE : ACT_LOCKED, (int)i);
        }
        y += card_h + app_px(a, 14);
    }
    end_list(a, y);
}

/* ---- module ---------------------------------------------------------------------------------------------- */

static void draw_module(app *a) {
    const theme *th = a->th;
    const doc_module *mod = &a->prog->modules[a->module];
    char title[512];
    snprintf(title, sizeof title, "%s %d: %s", app_tr(a, "home.module"), mod->number, mod->title);
    int top, x, colw;
    int y = list_screen(a, app_tr(a, "app.name"), true, &top, &x, &colw);
    y += ui_heading(a, title, DP_H1, x, y, colw);
    int seen = visited_count(a, a->module), total = (int)mod->n_pages;
    char prog_s[384];
    progress_text(a, seen, total, prog_s, sizeof prog_s);
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
    y += ui_text(a, prog_s, REN_REGULAR, font_px(a, DP_BODY), th->ink[INK_MUTED], x, y, colw, ROLE_TEXT);
    y += app_px(a, 8);
    ui_progress(a, x, y, colw, app_px(a, 10), seen, total);
    y += app_px(a, 28);
    const char *go = seen == 0       ? app_tr(a, "module.start")
                     : seen == total ? app_tr(a, "module.again")
                                     : app_tr(a, "module.continue");
    y += ui_button(a, x, y, colw, app_px(a, 60), go, BTN_PRIMARY, ACT_RESUME, 0) + app_px(a, 24);
    y += ui_heading(a, app_tr(a, "module.pages"), DP_H3, x, y, colw);
    y += app_px(a, 10);
    for (size_t p = 0; p < mod->n_pages; p++) {
        char label[512];
        bool v = a->visited[a->page_base[a->module] + (int)p];
        snprintf(label, sizeof label, "%zu. %s%s%s", p + 1, mod->pages[p].title, v ? " – " : "",
                 v ? app_tr(a, "module.page_read") : "");
        int h = ui_button_height(a, label, colw, app_px(a, 56));
        if (y + h > top && y < a->h) ui_button(a, x, y, colw, h, label, BTN_SECONDARY, ACT_OPEN_PAGE, (int)p);
        y += h + app_px(a, 10);
    }
    end_list(a, y);
}

/* ---- reader ------------------------------------------------------------------------------------------------ */

static ren_family reading_family(const app *a) {
    if (strcmp(a->set.font, "serif") == 0) return REN_SERIF;
    if (strcmp(a->set.font, "dyslexic") == 0) return REN_DYSLEXIC;
    return REN_SANS;
}

static pl_params page_params(app *a, int colw) {
    pl_params p = {
        .width = colw,
        .body_px = read_px(a, DP_BODY),
        .h1_px = read_px(a, DP_H1),
        .h2_px = read_px(a, DP_H2),
        .h3_px = read_px(a, DP_H3),
        .small_px = read_px(a, DP_SMALL),
        .line_height_pct = a->set.line_pct,
        .block_gap = read_px(a, 20) * a->set.para_pct / 100,
        .letter_pct = a->set.letter_pct,
        .word_pct = a->set.word_pct,
        .pad = app_px(a, 16),
        .radius = app_px(a, 10),
        .summary_title = app_tr(a, "page.summary"),
        .exercise_open = app_tr(a, "ex.open"),
        .exercise_action = ACT_EXERCISE,
        .questionnaire_open = app_tr(a, "q.open"),
        .questionnaire_count = app_tr(a, "q.count"),
        .questionnaire_action = ACT_QUEST,
        .content_dir = a->content,
        .family = reading_family(a),
        .hyph = a->hyph,
    };
    return p;
}

/* The reading column for the current settings: near 65 characters of reading text, or the screen. */
static int page_column(app *a) { return column_width(a, read_px(a, DP_BODY)); }

void screens_invalidate(app *a) {
    a->screens_for = NULL;
    a->lines_for = NULL;
    for (int i = 0; i < MS_LAYOUT_CACHE_PAGES; i++) {
        pl_free(a->layouts[i]);
        a->layouts[i] = NULL;
    }
}

pagelayout *screens_page_layout(app *a) {
    const doc_page *page = &a->prog->modules[a->module].pages[a->page];
    pl_params p = page_params(a, page_column(a));
    int slot = 0;
    for (int i = 0; i < MS_LAYOUT_CACHE_PAGES; i++) {
        if (a->layouts[i] && pl_matches(a->layouts[i], page, &p)) {
            a->layout_age[i] = ++a->layout_clock;
            return a->layouts[i];
        }
        if (!a->layouts[i] || a->layout_age[i] < a->layout_age[slot]) slot = i;
        if (!a->layouts[i]) break;
    }
    if (a->screens_for == a->layouts[slot]) a->screens_for = NULL;
    if (a->lines_for == a->layouts[slot]) a->lines_for = NULL;
    pl_free(a->layouts[slot]);
    a->layouts[slot] = pl_build(a->rn, page, &p);
    a->layout_age[slot] = ++a->layout_clock;
    return a->layouts[slot];
}

/* The read-aloud bar, shown above the bottom bar while reading: pause or resume, slower, the speed, faster,
 * stop. Symbols are drawn where the labels do not fit; the buttons keep their full names. */
static const char *speech_labels(app *a, int i, bool *compact) {
    (void)compact;
    switch (i) {
    case 0: return app_tr(a, a->sp_paused ? "speech.resume" : "speech.pause");
    case 1: return app_tr(a, "speech.slower");
    case 2: return app_tr(a, "speech.faster");
    default: return app_tr(a, "speech.stop");
    }
}

static int speech_bar_height(app *a) {
    int m = margin(a), gap = app_px(a, 8);
    int bw = (a->w - 2 * m - 4 * gap) / 5;
    int h = app_px(a, 56);
    for (int i = 0; i < 4; i++) {
        bool c = false;
        const char *l = speech_labels(a, i, &c);
        int need = ui_button_height(a, l, bw, app_px(a, 56));
        if (need > app_px(a, 56)) need = ui_button_height(a, i == 1 ? "–" : i == 2 ? "+" : "", bw, app_px(a, 56));
        if (need > h) h = need;
    }
    return h + app_px(a, 16);
}

static void draw_speech_bar(app *a, int y, int h) {
    const theme *th = a->th;
    int m = margin(a), gap = app_px(a, 8);
    int bw = (a->w - 2 * m - 4 * gap) / 5;
    int bh = h - app_px(a, 16), by = y + app_px(a, 8);
    ren_fill(a->rn, 0, y, a->w, h, th->ink[INK_CARD_BG]);
    ren_fill(a->rn, 0, y, a->w, app_px(a, 2), th->ink[INK_CARD_BORDER]);
    static const int acts[] = {ACT_SPEAK, ACT_SPEAK_SLOWER, ACT_SPEAK_FASTER, ACT_SPEAK_STOP};
    static const int slot[] = {0, 1, 3, 4};
    /* slower and faster go compact together, so the pair always looks alike */
    bool compact = ui_button_height(a, speech_labels(a, 1, NULL), bw, app_px(a, 56)) > bh ||
                   ui_button_height(a, speech_labels(a, 2, NULL), bw, app_px(a, 56)) > bh;
    for (int i = 0; i < 4; i++) {
        const char *label = speech_labels(a, i, NULL);
        const char *shown = label;
        if ((i == 1 || i == 2) && compact)
            shown = i == 1 ? "–" : "+";
        else if (ui_button_height(a, label, bw, app_px(a, 56)) > bh)
            shown = "";
        int bx = m + slot[i] * (bw + gap);
        ui_button_ex(a, bx, by, bw, bh, label, shown, i == 0 ? BTN_PRIMARY : BTN_SECONDARY, acts[i], 0);
        if (!shown[0]) {
            if (i == 0)
                draw_speak_icon_on(a, bx, by, bw, bh, !a->sp_paused, th->ink[INK_BUTTON_TEXT], th->ink[INK_BUTTON_BG]);
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
    int px = font_px(a, DP_SMALL);
    int tx = m + 2 * (bw + gap);
    int th_ = ui_text_height(a, speed, REN_BOLD, px, bw);
    int tw = ren_measure(a->rn, ren_style(a->rn, REN_BOLD, px), speed, strlen(speed));
    if (tw < bw) tx += (bw - tw) / 2;
    ui_text(a, speed, REN_BOLD, px, th->ink[INK_TEXT], tx, by + (bh - th_) / 2, bw, ROLE_STATUS);
}

/* The page's lines for the focus ruler, cached per layout. */
int screens_lines(app *a, const pagelayout *pl) {
    if (a->lines_for == pl && a->line_tops) return a->n_lines;
    free(a->line_tops);
    free(a->line_heights);
    int cap = pl_line_count(pl) + 1;
    a->line_tops = malloc((size_t)cap * sizeof(int));
    a->line_heights = malloc((size_t)cap * sizeof(int));
    a->n_lines = a->line_tops && a->line_heights ? pl_lines(pl, a->line_tops, a->line_heights, cap) : 0;
    a->lines_for = pl;
    return a->n_lines;
}

/* The line-focus ruler: the lines around the focused one stay clear, the rest of the page is veiled. */
static void draw_focus(app *a, const pagelayout *pl, int origin, int clip_top, int clip_bottom) {
    a->focus_band_top = a->focus_band_bottom = -1;
    int n = screens_lines(a, pl);
    if (n == 0) return;
    int visible_top = a->scroll_page + (clip_top - origin), visible_bottom = a->scroll_page + (clip_bottom - origin);
    int idx = -1;
    if (a->focus_y >= 0)
        for (int i = 0; i < n; i++)
            if (a->line_tops[i] <= a->focus_y) idx = i;
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
    uint32_t veil = a->th->ink[INK_FOCUS_DIM];
    ren_fill(a->rn, 0, clip_top, a->w, bt - clip_top, veil);
    ren_fill(a->rn, 0, bb, a->w, clip_bottom - bb, veil);
    int t = app_px(a, 2);
    ren_fill(a->rn, 0, bt - t, a->w, t, a->th->ink[INK_CARD_BORDER]);
    ren_fill(a->rn, 0, bb, a->w, t, a->th->ink[INK_CARD_BORDER]);
    a->focus_y = a->line_tops[idx];
    a->focus_band_top = bt;
    a->focus_band_bottom = bb;
}

/* Cuts the page into screens of at most avail px (page coordinates): each screen starts at a line top, the
 * end button's top (end_top) is a break too, total is where the content ends. Cached per layout and size. */
static void paginate(app *a, const pagelayout *pl, int avail, int end_top, int total) {
    if (a->screens_for == pl && a->screens_avail == avail && a->screens_total == total && a->n_screens > 0) return;
    if (!a->screen_starts) a->screen_starts = malloc(MS_MAX_SCREENS * sizeof *a->screen_starts);
    int cap = pl_line_count(pl) + 64;
    int *cand = malloc((size_t)cap * sizeof *cand);
    a->n_screens = 1;
    if (a->screen_starts) a->screen_starts[0] = 0;
    if (!a->screen_starts || !cand) {
        free(cand);
        a->n_screens = 0;
        return;
    }
    int n = pl_breaks(pl, cand, cap - 1);
    cand[n++] = end_top;
    int at = 0, k = 0;
    while (at + avail < total && a->n_screens < MS_MAX_SCREENS) {
        int next = -1;
        while (k < n && cand[k] <= at + avail) {
            if (cand[k] > at) next = cand[k];
            k++;
        }
        if (next < 0) next = at + avail; /* one tall image or line: cut it */
        a->screen_starts[a->n_screens++] = next;
        at = next;
        while (k > 0 && cand[k - 1] > at) /* candidates past the new start come round again */
            k--;
    }
    free(cand);
    a->screens_for = pl;
    a->screens_avail = avail;
    a->screens_total = total;
}

static void draw_page(app *a) {
    const theme *th = a->th;
    const doc_module *mod = &a->prog->modules[a->module];
    char title[512];
    snprintf(title, sizeof title, "%s %d: %s", app_tr(a, "home.module"), mod->number, mod->title);
    int top = ui_topbar(a, title, true, true);
    /* bottom bar: as tall as its buttons need at this text size. In paged reading "next" is the next screen,
     * and only the last screen of the last page says "Ferdig". */
    bool paged_mode = strcmp(a->set.mode, "paged") == 0;
    bool last = a->page + 1 >= (int)mod->n_pages &&
                (!paged_mode || a->screens_for != screens_page_layout(a) || a->screen_idx + 1 >= a->n_screens);
    const char *prev_lbl = app_tr(a, "page.prev"), *next_lbl = app_tr(a, last ? "page.finish_short" : "page.next");
    int m = margin(a);
    /* buttons as wide as their labels need (at most a third each): the middle keeps room for the status */
    int lbl_style = ren_style(a->rn, REN_BOLD, font_px(a, DP_BODY));
    int need = ren_measure(a->rn, lbl_style, prev_lbl, strlen(prev_lbl));
    int need2 = ren_measure(a->rn, lbl_style, next_lbl, strlen(next_lbl));
    int bw = (need > need2 ? need : need2) + app_px(a, 40);
    if (bw > (a->w - 2 * m) / 3) bw = (a->w - 2 * m) / 3;
    if (bw < app_px(a, 64)) bw = app_px(a, 64);
    int bh = ui_button_height(a, prev_lbl, bw, app_px(a, 56));
    bh = ui_button_height(a, next_lbl, bw, bh);
    const char *prev_shown = prev_lbl, *next_shown = next_lbl;
    if (bh > app_px(a, 56) && bw < (a->w - 2 * m - app_px(a, 8)) / 2) {
        /* large text: the two buttons take the whole bar rather than wrap; "Side 2 av 5" gives way */
        bw = (a->w - 2 * m - app_px(a, 8)) / 2;
        bh = ui_button_height(a, prev_lbl, bw, app_px(a, 56));
        bh = ui_button_height(a, next_lbl, bw, bh);
        if (bh > app_px(a, 56)) {
            /* still too big: arrows only (the buttons still say "Forrige" and "Neste" to a screen reader) */
            prev_shown = "‹";
            if (!last) next_shown = "›";
            bh = ui_button_height(a, next_shown, bw, app_px(a, 56));
        }
    }
    int bottom_h = bh + app_px(a, 20) > app_px(a, DP_BOTTOM) ? bh + app_px(a, 20) : app_px(a, DP_BOTTOM);
    int speech_h = a->speaking ? speech_bar_height(a) : 0;
    int bottom = a->h - bottom_h - speech_h;
    pagelayout *pl = screens_page_layout(a);
    int colw = page_column(a);
    int x = (a->w - colw) / 2;
    int gap = app_px(a, 20);
    int view_top = top, view_h = bottom - top;
    a->content_top = view_top;
    a->content_bottom = bottom;
    if (!pl) {
        ui_text(a, app_tr(a, "error.memory"), REN_REGULAR, font_px(a, DP_BODY), th->ink[INK_TEXT], x, top + gap, colw,
                ROLE_TEXT);
        return;
    }
    /* the page ends with a big "next" button so a patient at the bottom need not look for the bar */
    const char *end_lbl = app_tr(a, last ? "page.finish" : "page.next_long");
    int end_btn_h = ui_button_height(a, end_lbl, colw, app_px(a, 64));
    int content_h = gap + pl_height(pl) + gap * 2 + end_btn_h + gap;
    bool paged = strcmp(a->set.mode, "paged") == 0;
    a->max_scroll = content_h - view_h > 0 ? content_h - view_h : 0;
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
        paginate(a, pl, avail, pl_height(pl) + gap * 2, pl_height(pl) + gap * 2 + end_btn_h);
    }
    if (paged && a->n_screens == 0) paged = false; /* out of memory: scrolling still works */
    if (paged) {
        int idx = 0;
        if (a->to_last_screen)
            idx = a->n_screens - 1;
        else
            while (idx + 1 < a->n_screens && a->screen_starts[idx + 1] <= a->scroll_page)
                idx++;
        a->to_last_screen = false;
        a->screen_idx = idx;
        a->scroll_page = a->screen_starts[idx];
        a->max_scroll = a->screen_starts[a->n_screens - 1];
        int next = idx + 1 < a->n_screens ? a->screen_starts[idx + 1] : a->screens_total;
        clip_h = next - a->scroll_page;
        if (clip_h > view_h - gap) clip_h = view_h - gap;
        if (a->shown_module != a->module || a->shown_page != a->page || a->shown_idx != idx) {
            a->shown_module = a->module;
            a->shown_page = a->page;
            a->shown_idx = idx;
            a->screen_since = SDL_GetTicks();
        }
    }
    if (a->scroll_page > a->max_scroll) a->scroll_page = a->max_scroll;
    if (a->scroll_page < 0) a->scroll_page = 0;
    if (restored) a->kept_scroll = a->scroll_page;
    /* paged: show exactly this screen's lines, from the top margin down; nothing of the lines before it */
    SDL_Rect clip = paged ? (SDL_Rect){0, view_top + gap, a->w, clip_h} : (SDL_Rect){0, view_top, a->w, clip_h};
    ren_clip(a->rn, &clip);
    view_clip(&a->view, clip.x, clip.y, clip.w, clip.h);
    int origin = view_top + gap; /* page y = 0 sits here when scroll is 0 */
    a->page_x = x;
    a->page_origin = origin;
    /* the word being read aloud, lit on the boxes and behind the text */
    pl_draw_shapes(pl, a->rn, th, x, origin, a->scroll_page, view_h);
    int hx, hy, hw, hh;
    if (a->hl_valid && a->speaking && pl_unit_box(pl, a->hl_unit, a->hl_start, a->hl_len, &hx, &hy, &hw, &hh)) {
        int pad = app_px(a, 3);
        ren_fill_round(a->rn, x + hx - pad, origin + hy - a->scroll_page, hw + 2 * pad, hh, app_px(a, 6),
                       th->ink[INK_HIGHLIGHT]);
    }
    pl_draw_text(pl, a->rn, th, x, origin, a->scroll_page, view_h);
    pl_describe(pl, &a->view, x, origin, a->scroll_page, view_top, view_h);
    int by = origin + pl_height(pl) + gap * 2 - a->scroll_page;
    if (by < bottom && by + end_btn_h > view_top)
        ui_button(a, x, by, colw, end_btn_h, end_lbl, BTN_PRIMARY, last ? ACT_FINISH_MODULE : ACT_NEXT_PAGE, 0);
    if (a->set.focus)
        draw_focus(a, pl, origin, clip.y, clip.y + clip.h);
    else
        a->focus_band_top = a->focus_band_bottom = -1;
    ren_clip(a->rn, NULL);
    view_clip_off(&a->view);

    if (a->speaking) draw_speech_bar(a, bottom, speech_h);
    bottom += speech_h;
    /* bottom bar: previous, where you are, next */
    ren_fill(a->rn, 0, bottom, a->w, bottom_h, th->ink[INK_BAR_BG]);
    int by2 = bottom + (bottom_h - bh) / 2;
    if (a->page > 0 || (paged && a->screen_idx > 0))
        ui_button_ex(a, m, by2, bw, bh, prev_lbl, prev_shown, BTN_BAR, ACT_PREV_PAGE, 0);
    ui_button_ex(a, a->w - m - bw, by2, bw, bh, next_lbl, next_shown, BTN_BAR, last ? ACT_FINISH_MODULE : ACT_NEXT_PAGE,
                 0);
    /* where you are, and how long is left: "Side 3 av 9" over "4 min igjen · modulen 25 min" */
    char s1[16], s2[16], where[128], left[160];
    snprintf(s1, sizeof s1, "%d", paged ? a->screen_idx + 1 : a->page + 1);
    snprintf(s2, sizeof s2, "%d", paged ? a->n_screens : (int)mod->n_pages);
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
    int spx = font_px(a, DP_SMALL + 1);
    int st = ren_style(a->rn, REN_REGULAR, font_px(a, DP_SMALL)), stb = ren_style(a->rn, REN_BOLD, spx);
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
        int thumb = track * view_h / (content_h > 0 ? content_h : 1);
        if (thumb < app_px(a, 24)) thumb = app_px(a, 24);
        int ty = view_top + app_px(a, 4) + (track - thumb) * a->scroll_page / a->max_scroll;
        ren_fill_round(a->rn, a->w - app_px(a, 7), ty, app_px(a, 4), thumb, app_px(a, 2), th->ink[INK_CARD_BORDER]);
    }
}

/* ---- help now ---------------------------------------------------------------------------------------------- */

static int help_number(app *a, int x, int y, int w, const char *number, const char *what) {
    const theme *th = a->th;
    int pad = app_px(a, 16);
    int big = font_px(a, 34);
    int hnum = ui_text_height(a, number, REN_BOLD, big, w - 2 * pad);
    int hwhat = ui_text_height(a, what, REN_REGULAR, font_px(a, DP_BODY), w - 2 * pad);
    int h = pad + hnum + app_px(a, 4) + hwhat + pad;
    ren_fill_round(a->rn, x, y, w, h, app_px(a, 12), th->ink[INK_CARD_BG]);
    ren_frame_round(a->rn, x, y, w, h, app_px(a, 12), app_px(a, 2), th->ink[INK_ALERT]);
    ui_text(a, number, REN_BOLD, big, th->ink[INK_ALERT], x + pad, y + pad, w - 2 * pad, ROLE_HEADING);
    ui_text(a, what, REN_REGULAR, font_px(a, DP_BODY), th->ink[INK_TEXT], x + pad, y + pad + hnum + app_px(a, 4),
            w - 2 * pad, ROLE_TEXT);
    return h;
}

static void draw_help(app *a) {
    const theme *th = a->th;
    int top, x, colw;
    int y = list_screen(a, NULL, true, &top, &x, &colw);
    y += ui_text(a, app_tr(a, "help.title"), REN_BOLD, font_px(a, DP_H1), th->ink[INK_ALERT], x, y, colw, ROLE_HEADING);
    y += app_px(a, 12);
    /* the statement first: this programme is not where to turn in a crisis */
    int pad = app_px(a, 16);
    const char *no_acute = app_tr(a, "help.no_acute");
    int h = ui_text_height(a, no_acute, REN_BOLD, font_px(a, DP_BODY), colw - 2 * pad - app_px(a, 6));
    ren_fill_round(a->rn, x, y, colw, h + 2 * pad, app_px(a, 10), th->ink[INK_IMPORTANT_BG]);
    ren_fill(a->rn, x, y, app_px(a, 6), h + 2 * pad, th->ink[INK_IMPORTANT_EDGE]);
    ui_text(a, no_acute, REN_BOLD, font_px(a, DP_BODY), th->ink[INK_TEXT], x + pad + app_px(a, 6), y + pad,
            colw - 2 * pad - app_px(a, 6), ROLE_CALLOUT);
    y += h + 2 * pad + app_px(a, 16);
    y += help_number(a, x, y, colw, "113", app_tr(a, "help.113")) + app_px(a, 14);
    y += help_number(a, x, y, colw, "116 117", app_tr(a, "help.116117")) + app_px(a, 14);
    /* the patient's own clinic */
    y += app_px(a, 8);
    y += ui_heading(a, app_tr(a, "help.clinic_title"), DP_H3, x, y, colw);
    y += app_px(a, 6);
    if (a->prog->clinic_name || a->prog->clinic_phone) {
        char line[512];
        if (a->prog->clinic_name)
            y += ui_text(a, a->prog->clinic_name, REN_REGULAR, font_px(a, DP_BODY), th->ink[INK_TEXT], x, y, colw,
                         ROLE_TEXT);
        if (a->prog->clinic_phone) {
            snprintf(line, sizeof line, "%s %s", app_tr(a, "help.phone"), a->prog->clinic_phone);
            y += ui_text(a, line, REN_BOLD, font_px(a, DP_BODY), th->ink[INK_TEXT], x, y, colw, ROLE_TEXT);
        }
        if (a->prog->clinic_hours)
            y += ui_text(a, a->prog->clinic_hours, REN_REGULAR, font_px(a, DP_BODY), th->ink[INK_MUTED], x, y, colw,
                         ROLE_TEXT);
    } else {
        y += ui_text(a, app_tr(a, "help.clinic_unknown"), REN_REGULAR, font_px(a, DP_BODY), th->ink[INK_TEXT], x, y,
                     colw, ROLE_TEXT);
    }
    y += app_px(a, 16);
    y += ui_text(a, app_tr(a, "help.gp"), REN_REGULAR, font_px(a, DP_BODY), th->ink[INK_TEXT], x, y, colw, ROLE_TEXT);
    y += app_px(a, 24);
    int bh = ui_button(a, x, y, colw, app_px(a, 60), app_tr(a, "help.close"), BTN_PRIMARY, ACT_BACK, 0);
    end_list(a, y + bh + app_px(a, 4));
}

/* ---- reading aids («Lesehjelp») ------------------------------------------------------------------------- */

/* A theme choice, drawn in the theme's own colours so the patient sees what they pick. Themes are compared by
 * name: theme.h's tables are per translation unit, so their addresses differ between files. */
static int theme_button(app *a, size_t index, int x, int y, int w) {
    const theme *t = THEMES[index];
    bool chosen = strcmp(t->name, a->th->name) == 0;
    char key[32], label[160];
    snprintf(key, sizeof key, "theme.%s", t->name);
    snprintf(label, sizeof label, "%s%s%s", app_tr(a, key), chosen ? " – " : "",
             chosen ? app_tr(a, "aids.chosen") : "");
    int h = ui_button_height(a, label, w, app_px(a, 56));
    int r = app_px(a, 10);
    ren_fill_round(a->rn, x, y, w, h, r, t->ink[INK_BG]);
    /* the chosen one has a thick frame in the current theme's text colour; the others a thin one in their own */
    if (chosen)
        ren_frame_round(a->rn, x, y, w, h, r, app_px(a, 5), a->th->ink[INK_TEXT]);
    else
        ren_frame_round(a->rn, x, y, w, h, r, app_px(a, 2), t->ink[INK_TEXT]);
    int px = font_px(a, DP_BODY), pad = app_px(a, 14);
    int th = ui_text_height(a, label, REN_BOLD, px, w - 2 * pad);
    ui_text(a, label, REN_BOLD, px, t->ink[INK_TEXT], x + pad, y + (h - th) / 2, w - 2 * pad, -1);
    view_add(&a->view, ROLE_BUTTON, label, x, y, w, h, ACT_THEME, (int)index);
    return h;
}

/* Hundredths with a Norwegian decimal comma: 150 → "1,5", 8 → "0,08", 0 → "0". */
static void decimal(int hundredths, char *buf, size_t cap) {
    if (hundredths % 100 == 0)
        snprintf(buf, cap, "%d", hundredths / 100);
    else if (hundredths % 10 == 0)
        snprintf(buf, cap, "%d,%d", hundredths / 100, (hundredths % 100) / 10);
    else
        snprintf(buf, cap, "%d,%02d", hundredths / 100, hundredths % 100);
}

/* One spacing row: its name and value on a line, then [–] and [+] (48 dp or more), so it fits a phone. */
static int spacing_row(app *a, settings_spacing which, int x, int y, int w) {
    static const char *const keys[] = {"aids.line", "aids.para", "aids.letter", "aids.word"};
    const theme *th = a->th;
    char value[32], line[256];
    int v = settings_spacing_get(&a->set, which);
    decimal(v, value, sizeof value);
    bool dflt = v == settings_spacing_default(which);
    snprintf(line, sizeof line, "%s: %s%s%s", app_tr(a, keys[which]), value, dflt ? " " : "",
             dflt ? app_tr(a, "aids.normal") : "");
    int bold = ren_style(a->rn, REN_BOLD, font_px(a, DP_BODY));
    int bw = ren_measure(a->rn, bold, "+", 1) + app_px(a, 48);
    if (bw < app_px(a, 64)) bw = app_px(a, 64);
    int bh = ui_button_height(a, "+", bw, app_px(a, 56));
    int tw = w - 2 * bw - app_px(a, 24);
    int th_ = ui_text_height(a, line, REN_REGULAR, font_px(a, DP_BODY), tw);
    int h = th_ > bh ? th_ : bh;
    ui_text(a, line, REN_REGULAR, font_px(a, DP_BODY), th->ink[INK_TEXT], x, y + (h - th_) / 2, tw, ROLE_STATUS);
    char less[160], more[160];
    snprintf(less, sizeof less, "%s: %s", app_tr(a, keys[which]), app_tr(a, "aids.less"));
    snprintf(more, sizeof more, "%s: %s", app_tr(a, keys[which]), app_tr(a, "aids.more"));
    ui_button_ex(a, x + w - 2 * bw - app_px(a, 10), y + (h - bh) / 2, bw, bh, less, "–", BTN_SECONDARY,
                 ACT_SPACING_LESS, (int)which);
    ui_button_ex(a, x + w - bw, y + (h - bh) / 2, bw, bh, more, "+", BTN_SECONDARY, ACT_SPACING_MORE, (int)which);
    return h;
}

/* A font choice, its name set in that font so the patient sees the letters before choosing. */
static int font_button(app *a, size_t index, int x, int y, int w) {
    static const char *const names[] = {"sans", "serif", "dyslexic"};
    bool chosen = strcmp(a->set.font, names[index]) == 0;
    char key[32], label[160];
    snprintf(key, sizeof key, "font.%s", names[index]);
    snprintf(label, sizeof label, "%s%s%s", app_tr(a, key), chosen ? " – " : "",
             chosen ? app_tr(a, "aids.chosen") : "");
    int px = font_px(a, DP_BODY), pad = app_px(a, 14);
    int style = ren_style_family(a->rn, (ren_family)index, REN_REGULAR, px);
    layout_run run = {label, strlen(label), style};
    layout_paragraph(&a->scratch, ren_layout_font(a->rn), &run, 1, w - 2 * pad);
    int line_h = ren_line_skip(a->rn, style);
    int th = (int)a->scratch.n_lines * line_h;
    int h = th + 2 * pad > app_px(a, 56) ? th + 2 * pad : app_px(a, 56);
    int r = app_px(a, 10);
    ren_fill_round(a->rn, x, y, w, h, r, a->th->ink[INK_CARD_BG]);
    ren_frame_round(a->rn, x, y, w, h, r, app_px(a, chosen ? 5 : 2), a->th->ink[chosen ? INK_TEXT : INK_CARD_BORDER]);
    int ty = y + (h - th) / 2;
    for (size_t l = 0; l < a->scratch.n_lines; l++) {
        const layout_line *ln = &a->scratch.lines[l];
        for (uint32_t f = ln->first; f < ln->first + ln->count; f++) {
            const layout_frag *fr = &a->scratch.frags[f];
            ren_text_words(a->rn, style, a->th->ink[INK_TEXT], label + fr->off, fr->len, x + pad + fr->x,
                           ty + (int)l * line_h);
        }
    }
    view_add(&a->view, ROLE_BUTTON, label, x, y, w, h, ACT_FONT, (int)index);
    return h;
}

static void draw_aids(app *a) {
    const theme *th = a->th;
    int top, x, colw;
    int y = list_screen(a, NULL, true, &top, &x, &colw);
    y += ui_heading(a, app_tr(a, "aids.title"), DP_H1, x, y, colw);
    y += app_px(a, 16);

    /* text size: A− [150 %] A+ */
    y += ui_heading(a, app_tr(a, "aids.text_size"), DP_H3, x, y, colw);
    y += app_px(a, 8);
    int bold = ren_style(a->rn, REN_BOLD, font_px(a, DP_BODY));
    int bw = ren_measure(a->rn, bold, "A+", 2) + app_px(a, 40);
    if (bw < app_px(a, 72)) bw = app_px(a, 72);
    int bh = ui_button_height(a, "A+", bw, app_px(a, 56));
    ui_button_ex(a, x, y, bw, bh, app_tr(a, "aids.smaller"), "A–", BTN_SECONDARY, ACT_TEXT_SMALLER, 0);
    ui_button_ex(a, x + colw - bw, y, bw, bh, app_tr(a, "aids.bigger"), "A+", BTN_SECONDARY, ACT_TEXT_BIGGER, 0);
    char pct[32], pct_label[128];
    snprintf(pct, sizeof pct, "%d %%", a->set.text_pct);
    const char *args[1] = {pct};
    i18n_format(pct_label, sizeof pct_label, app_tr(a, "aids.text_size_now"), 1, args);
    int mid = colw - 2 * bw - app_px(a, 16);
    int style = ren_style(a->rn, REN_BOLD, font_px(a, DP_H2));
    int pw = ren_measure(a->rn, style, pct, strlen(pct));
    int ph = ren_line_skip(a->rn, style);
    if (pw <= mid) {
        ren_text(a->rn, style, th->ink[INK_TEXT], pct, strlen(pct), x + (colw - pw) / 2, y + (bh - ph) / 2);
        view_add(&a->view, ROLE_STATUS, pct_label, x + (colw - pw) / 2, y + (bh - ph) / 2, pw, ph, 0, 0);
    } else {
        /* too narrow for the figure between the buttons: it goes on its own line below them */
        ren_text(a->rn, style, th->ink[INK_TEXT], pct, strlen(pct), x, y + bh + app_px(a, 8));
        view_add(&a->view, ROLE_STATUS, pct_label, x, y + bh + app_px(a, 8), pw < colw ? pw : colw, ph, 0, 0);
        y += ph + app_px(a, 8);
    }
    y += bh + app_px(a, 24);

    /* colours */
    y += ui_heading(a, app_tr(a, "aids.colours"), DP_H3, x, y, colw);
    y += app_px(a, 8);
    int gap = app_px(a, 10);
    bool two = colw >= app_px(a, 440) && a->set.text_pct <= 150;
    int tw = two ? (colw - gap) / 2 : colw;
    for (size_t i = 0; i < THEME_COUNT; i++) {
        int col = two ? (int)(i % 2) : 0;
        int h = theme_button(a, i, x + col * (tw + gap), y, tw);
        if (!two || col == 1 || i + 1 == THEME_COUNT) y += h + gap;
    }
    y += app_px(a, 14);

    /* fonts */
    y += ui_heading(a, app_tr(a, "aids.font"), DP_H3, x, y, colw);
    y += app_px(a, 8);
    for (size_t i = 0; i < 3; i++)
        y += font_button(a, i, x, y, colw) + gap;
    y += app_px(a, 14);

    /* line-focus ruler */
    y += ui_heading(a, app_tr(a, "aids.focus"), DP_H3, x, y, colw);
    y += app_px(a, 8);
    {
        static const int lines[] = {0, 1, 3, 5};
        static const char *const keys[] = {"aids.focus_off", "aids.focus_1", "aids.focus_3", "aids.focus_5"};
        int fw = two ? (colw - gap) / 2 : colw, rowh = 0;
        for (int i = 0; i < 4; i++) {
            bool chosen = a->set.focus == lines[i];
            char label[160];
            snprintf(label, sizeof label, "%s%s%s", app_tr(a, keys[i]), chosen ? " – " : "",
                     chosen ? app_tr(a, "aids.chosen") : "");
            int col = two ? i % 2 : 0;
            int h = ui_button(a, x + col * (fw + gap), y, fw, app_px(a, 56), label,
                              chosen ? BTN_PRIMARY : BTN_SECONDARY, ACT_FOCUS, lines[i]);
            rowh = h > rowh ? h : rowh;
            if (!two || col == 1) {
                y += rowh + gap;
                rowh = 0;
            }
        }
    }
    y += app_px(a, 14);

    /* paged or scrolling */
    y += ui_heading(a, app_tr(a, "aids.mode"), DP_H3, x, y, colw);
    y += app_px(a, 8);
    {
        static const char *const modes[] = {"paged", "scroll"};
        static const char *const keys[] = {"aids.mode_paged", "aids.mode_scroll"};
        int mw = two ? (colw - gap) / 2 : colw, rowh = 0;
        for (int i = 0; i < 2; i++) {
            bool chosen = strcmp(a->set.mode, modes[i]) == 0;
            char label[160];
            snprintf(label, sizeof label, "%s%s%s", app_tr(a, keys[i]), chosen ? " – " : "",
                     chosen ? app_tr(a, "aids.chosen") : "");
            int bx = two ? x + i * (mw + gap) : x;
            int h = ui_button(a, bx, y, mw, app_px(a, 56), label, chosen ? BTN_PRIMARY : BTN_SECONDARY, ACT_MODE, i);
            if (two)
                rowh = h > rowh ? h : rowh;
            else
                y += h + gap;
        }
        if (two) y += rowh + gap;
    }
    y += app_px(a, 14);

    /* spacing (WCAG 1.4.12) */
    y += ui_heading(a, app_tr(a, "aids.spacing"), DP_H3, x, y, colw);
    y += app_px(a, 8);
    for (int k = 0; k < SPACING_COUNT; k++)
        y += spacing_row(a, (settings_spacing)k, x, y, colw) + gap;
    y += app_px(a, 14);

    /* live preview: the page the patient is reading, at the place they are, in the settings chosen */
    y += ui_heading(a, app_tr(a, "aids.preview"), DP_H3, x, y, colw);
    y += app_px(a, 8);
    int box_h = a->h * 2 / 5;
    int pad = app_px(a, 12);
    ren_fill_round(a->rn, x, y, colw, box_h, app_px(a, 10), th->ink[INK_BG]);
    ren_frame_round(a->rn, x, y, colw, box_h, app_px(a, 10), app_px(a, 2), th->ink[INK_CARD_BORDER]);
    const doc_page *page = &a->prog->modules[a->module].pages[a->page];
    pl_params pp = page_params(a, colw - 2 * pad);
    if (!a->preview || !pl_matches(a->preview, page, &pp)) {
        pl_free(a->preview);
        a->preview = pl_build(a->rn, page, &pp);
    }
    if (a->preview) {
        int block = 0, permille = 0;
        pagelayout *cur = a->aids_return == SCREEN_PAGE ? screens_page_layout(a) : NULL;
        if (a->pending_block >= 0)
            block = a->pending_block;
        else if (cur)
            pl_anchor(cur, a->scroll_page, &block, &permille);
        int scroll = pl_scroll_for(a->preview, block, 0);
        int inner_top = y + pad, inner_h = box_h - 2 * pad;
        /* clip to both the box and the scrolling list */
        int ct = inner_top > top ? inner_top : top;
        int cb = inner_top + inner_h < a->h ? inner_top + inner_h : a->h;
        SDL_Rect clip = {x + pad, ct, colw - 2 * pad, cb - ct};
        if (clip.h > 0) {
            ren_clip(a->rn, &clip);
            view_clip(&a->view, clip.x, clip.y, clip.w, clip.h);
            pl_draw(a->preview, a->rn, th, x + pad, inner_top, scroll, inner_h);
            pl_describe(a->preview, &a->view, x + pad, inner_top, scroll, ct, clip.h);
            SDL_Rect list = {0, top, a->w, a->h - top};
            ren_clip(a->rn, &list);
            view_clip(&a->view, list.x, list.y, list.w, list.h);
        }
    }
    y += box_h + app_px(a, 24);
    int dh = ui_button(a, x, y, colw, app_px(a, 60), app_tr(a, "aids.done"), BTN_PRIMARY, ACT_BACK, 0);
    end_list(a, y + dh + app_px(a, 4));
}

/* ---- enrolment: the clinic's code, typed on big keys ----------------------------------------------------- */

static void draw_enrol(app *a) {
    const theme *th = a->th;
    int top = ui_topbar(a, app_tr(a, "app.name"), false, false);
    int colw = column_width(a, font_px(a, DP_BODY));
    if (colw > app_px(a, 460)) colw = app_px(a, 460);
    int x = (a->w - colw) / 2;
    int y = begin_list(a, top);
    y += ui_heading(a, app_tr(a, "enrol.title"), DP_H1, x, y, colw);
    y += app_px(a, 8);
    y += ui_text(a, app_tr(a, "enrol.intro"), REN_REGULAR, font_px(a, DP_BODY), th->ink[INK_TEXT], x, y, colw,
                 ROLE_TEXT);
    y += app_px(a, 16);
    /* the code so far, in big digits grouped 4 + 4, with a place for each digit still to come */
    char shown[32];
    size_t n = strlen(a->code), w = 0;
    for (size_t i = 0; i < 8; i++) {
        if (i == 4) shown[w++] = ' ';
        shown[w++] = i < n ? a->code[i] : '_';
    }
    shown[w] = '\0';
    int big = font_px(a, 44);
    int st = ren_style(a->rn, REN_BOLD, big);
    int tw = ren_measure(a->rn, st, shown, strlen(shown));
    int box_h = ren_line_skip(a->rn, st) + app_px(a, 20);
    ren_fill_round(a->rn, x, y, colw, box_h, app_px(a, 12), th->ink[INK_CARD_BG]);
    ren_frame_round(a->rn, x, y, colw, box_h, app_px(a, 12), app_px(a, 2), th->ink[INK_CARD_BORDER]);
    ren_text(a->rn, st, th->ink[INK_TEXT], shown, strlen(shown), x + (colw - tw) / 2, y + app_px(a, 10));
    char said[64];
    snprintf(said, sizeof said, "%s: %s", app_tr(a, "enrol.code"), n ? a->code : "-");
    view_add(&a->view, ROLE_FIELD, said, x, y, colw, box_h, 0, 0);
    y += box_h + app_px(a, 16);
    /* the keypad: 1–9, erase, 0, connect */
    int gap = app_px(a, 10), kw = (colw - 2 * gap) / 3, kh = app_px(a, 64);
    static const int keys[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 11};
    for (int i = 0; i < 12; i++) {
        int kx = x + (i % 3) * (kw + gap), ky = y + (i / 3) * (kh + gap);
        char label[64];
        if (keys[i] <= 9)
            snprintf(label, sizeof label, "%d", keys[i]);
        else
            snprintf(label, sizeof label, "%s", app_tr(a, keys[i] == 10 ? "enrol.erase" : "enrol.connect"));
        ui_button(a, kx, ky, kw, kh, label, keys[i] == 11 ? BTN_PRIMARY : BTN_SECONDARY, ACT_DIGIT, keys[i]);
    }
    y += 4 * (kh + gap);
    if (a->sync_status.syncing) {
        y += app_px(a, 8);
        y += ui_text(a, app_tr(a, "enrol.connecting"), REN_ITALIC, font_px(a, DP_BODY), th->ink[INK_MUTED], x, y, colw,
                     ROLE_STATUS);
        y += app_px(a, 8);
        y += draw_download(a, x, y, colw);
    }
    end_list(a, y);
}

/* Content on its way: a bar with the count in words beside it. Returns the height used (0 when idle). */
static int draw_download(app *a, int x, int y, int colw) {
    if (!a->sync_status.syncing || a->sync_status.files_total <= 0) return 0;
    char d[16], t[16], words[128];
    snprintf(d, sizeof d, "%d", a->sync_status.files_done);
    snprintf(t, sizeof t, "%d", a->sync_status.files_total);
    const char *pargs[2] = {d, t};
    i18n_format(words, sizeof words, app_tr(a, "sync.progress"), 2, pargs);
    int h = ui_text(a, words, REN_REGULAR, font_px(a, DP_SMALL + 1), a->th->ink[INK_MUTED], x, y, colw, ROLE_STATUS);
    ui_progress(a, x, y + h + app_px(a, 4), colw, app_px(a, 10), a->sync_status.files_done, a->sync_status.files_total);
    return h + app_px(a, 18);
}

/* The words for a pass that did not bring the programme up to date for a reason other than the network; NULL
 * for a good pass or a plain offline one (those say when it was last up to date). */
static const char *sync_status_key(int result) {
    switch ((sync_result)result) {
    case SYNC_AUTH: return "sync.revoked";
    case SYNC_UPDATE_REQUIRED: return "sync.update";
    case SYNC_CONTENT_REFUSED: return "sync.content_refused";
    case SYNC_DISK_FULL: return "sync.full";
    case SYNC_REFUSED: return "sync.untrusted";
    case SYNC_BAD_DATA:
    case SYNC_SERVER_ERROR:
    case SYNC_BUSY: return "sync.server_trouble";
    case SYNC_OK:
    case SYNC_OFFLINE: return NULL;
    }
    return NULL;
}

/* The sync line on home: when the programme was last brought up to date, and a button to do it now. */
static int draw_sync_status(app *a, int x, int y, int colw) {
    const theme *th = a->th;
    char when[32] = "", line[256];
    if (a->sync_status.last_synced) {
        time_t t = (time_t)a->sync_status.last_synced;
        struct tm tm;
        localtime_r(&t, &tm);
        strftime(when, sizeof when, "%H:%M", &tm);
    }
    const char *args[1] = {when};
    /* the truth about the last pass: what went wrong is said plainly, and that what is here still works */
    const char *key = a->sync_status.syncing ? "sync.busy" : sync_status_key(a->sync_status.result);
    if (!key)
        key = !a->sync_status.online ? (when[0] ? "sync.offline_since" : "sync.offline")
              : when[0]              ? "sync.ok"
                                     : "sync.never";
    i18n_format(line, sizeof line, app_tr(a, key), 1, args);
    int bw = colw / 3 > app_px(a, 150) ? colw / 3 : app_px(a, 150);
    int th_ = ui_text_height(a, line, REN_REGULAR, font_px(a, DP_SMALL + 1), colw - bw - app_px(a, 12));
    int bh = ui_button_height(a, app_tr(a, "sync.now"), bw, app_px(a, 48));
    if (th_ > 2 * bh) {
        /* a long status (revoked, refused, full) or large text: the words across the column, the button under
         * them, rather than a tall thin column of two words a line beside it */
        th_ = ui_text_height(a, line, REN_REGULAR, font_px(a, DP_SMALL + 1), colw);
        ui_text(a, line, REN_REGULAR, font_px(a, DP_SMALL + 1), th->ink[INK_MUTED], x, y, colw, ROLE_STATUS);
        int by = y + th_ + app_px(a, 8);
        bh = ui_button_height(a, app_tr(a, "sync.now"), colw, app_px(a, 48));
        ui_button(a, x, by, colw, bh, app_tr(a, "sync.now"), BTN_SECONDARY, ACT_SYNC_NOW, 0);
        int h = th_ + app_px(a, 8) + bh;
        return h + draw_download(a, x, y + h + app_px(a, 8), colw);
    }
    int h = th_ > bh ? th_ : bh;
    ui_text(a, line, REN_REGULAR, font_px(a, DP_SMALL + 1), th->ink[INK_MUTED], x, y + (h - th_) / 2,
            colw - bw - app_px(a, 12), ROLE_STATUS);
    ui_button(a, x + colw - bw, y + (h - bh) / 2, bw, bh, app_tr(a, "sync.now"), BTN_SECONDARY, ACT_SYNC_NOW, 0);
    return h + draw_download(a, x, y + h + app_px(a, 8), colw);
}

/* ---- messages with the therapist ------------------------------------------------------------------------ */

/* When a message was written, as a person says it: «i dag kl. 20:17», «i går kl. 09:02», «3. nov. kl. 14:30».
 * iso is UTC ("2026-11-22T19:17:00Z"); shown in the tablet's local time. */
static void format_when(app *a, const char *iso, char *buf, size_t cap) {
    struct tm tm = {0};
    if (!iso || sscanf(iso, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                       &tm.tm_sec) != 6) {
        snprintf(buf, cap, "%s", iso ? iso : "");
        return;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm), now = time(NULL);
    struct tm lt, ln;
    localtime_r(&t, &lt);
    localtime_r(&now, &ln);
    char hm[8], day[8], month[16] = "";
    strftime(hm, sizeof hm, "%H:%M", &lt);
    time_t yesterday = now - 24 * 3600;
    struct tm ly;
    localtime_r(&yesterday, &ly);
    const char *args[3] = {hm, NULL, NULL};
    if (lt.tm_year == ln.tm_year && lt.tm_yday == ln.tm_yday) {
        i18n_format(buf, cap, app_tr(a, "time.today"), 1, args);
    } else if (lt.tm_year == ly.tm_year && lt.tm_yday == ly.tm_yday) {
        i18n_format(buf, cap, app_tr(a, "time.yesterday"), 1, args);
    } else {
        /* the month's short name is the tm_mon-th of "jan.|feb.|…" */
        const char *m = app_tr(a, "time.months");
        for (int i = 0; i < lt.tm_mon && m; i++) {
            m = strchr(m, '|');
            if (m) m++;
        }
        if (m) snprintf(month, sizeof month, "%.*s", (int)strcspn(m, "|"), m);
        snprintf(day, sizeof day, "%d", lt.tm_mday);
        const char *dargs[3] = {day, month, hm};
        i18n_format(buf, cap, app_tr(a, "time.date"), 3, dargs);
    }
}

/* The patient's own message box at the top of the thread: the draft, if any, and the way to write. */
static int draw_compose(app *a, int x, int y, int colw) {
    const theme *th = a->th;
    int y0 = y;
    if (a->msg_draft && a->msg_draft[0]) {
        int pad = app_px(a, 14), sp = font_px(a, DP_SMALL + 1), bp = read_px(a, DP_BODY);
        /* the first words of it, on a few lines: enough to recognise it */
        char d[240];
        size_t n = strlen(a->msg_draft), cut = n < 200 ? n : 200;
        while (cut < n && cut > 0 && ((unsigned char)a->msg_draft[cut] & 0xC0) == 0x80)
            cut--;
        memcpy(d, a->msg_draft, cut);
        for (size_t i = 0; i < cut; i++)
            if (d[i] == '\n') d[i] = ' ';
        snprintf(d + cut, sizeof d - cut, "%s", cut < n ? "…" : "");
        int hh = ui_text_height(a, app_tr(a, "msg.draft"), REN_BOLD, sp, colw - 2 * pad);
        int bh = ui_text_height(a, d, REN_REGULAR, bp, colw - 2 * pad);
        int h = pad + hh + app_px(a, 6) + bh + pad;
        ren_fill_round(a->rn, x, y, colw, h, app_px(a, 12), th->ink[INK_CALLOUT_BG]);
        ren_frame_round(a->rn, x, y, colw, h, app_px(a, 12), app_px(a, 2), th->ink[INK_CARD_BORDER]);
        ui_text(a, app_tr(a, "msg.draft"), REN_BOLD, sp, th->ink[INK_MUTED], x + pad, y + pad, colw - 2 * pad,
                ROLE_STATUS);
        ui_text(a, d, REN_REGULAR, bp, th->ink[INK_TEXT], x + pad, y + pad + hh + app_px(a, 6), colw - 2 * pad,
                ROLE_FIELD);
        y += h + app_px(a, 10);
        int gap = app_px(a, 10), bw = (colw - gap) / 2;
        int h1 = ui_button_height(a, app_tr(a, "msg.continue"), bw, app_px(a, 56));
        int h2 = ui_button_height(a, app_tr(a, "msg.send_draft"), bw, app_px(a, 56));
        int rh = h1 > h2 ? h1 : h2;
        ui_button(a, x, y, bw, rh, app_tr(a, "msg.continue"), BTN_SECONDARY, ACT_WRITE, 0);
        ui_button(a, x + bw + gap, y, bw, rh, app_tr(a, "msg.send_draft"), BTN_PRIMARY, ACT_SEND, 0);
        y += rh;
    } else {
        y += ui_button(a, x, y, colw, app_px(a, 60), app_tr(a, "msg.write"), BTN_PRIMARY, ACT_WRITE, 0);
    }
    return y - y0;
}

static void draw_messages(app *a) {
    const theme *th = a->th;
    int top, x, colw;
    int y = list_screen(a, app_tr(a, "app.name"), true, &top, &x, &colw);
    y += ui_heading(a, app_tr(a, "msg.title"), DP_H1, x, y, colw);
    y += app_px(a, 8);
    y +=
        ui_text(a, app_tr(a, "msg.intro"), REN_REGULAR, font_px(a, DP_BODY), th->ink[INK_MUTED], x, y, colw, ROLE_TEXT);
    y += app_px(a, 16);
    if (!a->sync) { /* the demonstration: nothing written here goes to anyone */
        y += ui_text(a, app_tr(a, "msg.demo"), REN_BOLD, font_px(a, DP_BODY), th->ink[INK_TEXT], x, y, colw,
                     ROLE_CALLOUT);
        y += app_px(a, 16);
    }
    y += draw_compose(a, x, y, colw);
    y += app_px(a, 20);
    if (a->n_msgs == 0)
        y += ui_text(a, app_tr(a, "msg.none"), REN_ITALIC, font_px(a, DP_BODY), th->ink[INK_TEXT], x, y, colw,
                     ROLE_TEXT);
    int pad = app_px(a, 14), indent = colw / 8;
    for (int i = 0; i < a->n_msgs; i++) {
        const struct app_msg *m = &a->msgs[i];
        /* the therapist's on the left, the patient's on the right, each with who, when and its state */
        int bx = m->from_patient ? x + indent : x, bw = colw - indent;
        char head[400], when[64];
        format_when(a, m->when, when, sizeof when);
        bool refused = m->from_patient && strcmp(m->state, "attention") == 0;
        /* a message waiting to go says why it is waiting when nothing will send it: a revoked tablet, a store
         * that lives in memory only */
        bool revoked = a->sync_status.enrolled && a->sync_status.result == SYNC_AUTH;
        const char *state_key = !m->from_patient                ? NULL
                                : strcmp(m->state, "read") == 0 ? "msg.state_read"
                                : strcmp(m->state, "sent") == 0 ? "msg.state_sent"
                                : refused                       ? "msg.state_attention"
                                : a->memory_only                ? "msg.state_memory"
                                : revoked                       ? "msg.state_revoked"
                                                                : "msg.state_saved";
        snprintf(head, sizeof head, "%s · %s%s%s", app_tr(a, m->from_patient ? "msg.you" : "msg.therapist"), when,
                 state_key ? " · " : "", state_key ? app_tr(a, state_key) : "");
        /* the patient's own words at the patient's reading size; the therapist's too */
        int sp = font_px(a, DP_SMALL + 1), bp = read_px(a, DP_BODY);
        int hh = ui_text_height(a, head, REN_BOLD, sp, bw - 2 * pad);
        int th_ = ui_text_height(a, m->body, REN_REGULAR, bp, bw - 2 * pad);
        int btn_h = refused ? ui_button_height(a, app_tr(a, "msg.resend"), bw - 2 * pad, app_px(a, 52)) : 0;
        int h = pad + hh + app_px(a, 6) + th_ + pad + (refused ? btn_h + pad : 0);
        if (y + h > top && y < a->h) {
            ren_fill_round(a->rn, bx, y, bw, h, app_px(a, 12), th->ink[m->from_patient ? INK_CALLOUT_BG : INK_CARD_BG]);
            ren_frame_round(a->rn, bx, y, bw, h, app_px(a, 12), app_px(a, refused ? 4 : 2),
                            th->ink[refused ? INK_ALERT : INK_CARD_BORDER]);
            ui_text(a, head, REN_BOLD, sp, th->ink[INK_MUTED], bx + pad, y + pad, bw - 2 * pad, ROLE_STATUS);
            ui_text(a, m->body, REN_REGULAR, bp, th->ink[INK_TEXT], bx + pad, y + pad + hh + app_px(a, 6), bw - 2 * pad,
                    ROLE_TEXT);
            if (refused)
                ui_button(a, bx + pad, y + pad + hh + app_px(a, 6) + th_ + pad, bw - 2 * pad, btn_h,
                          app_tr(a, "msg.resend"), BTN_PRIMARY, ACT_RESEND, i);
        }
        y += h + app_px(a, 12);
    }
    end_list(a, y);
    if (a->scroll_list > a->max_scroll) { /* "show the newest" asks for the end; this is where it is */
        a->scroll_list = a->max_scroll;
        a->dirty = true;
    }
}

/* ---- writing: one field and the keyboard ---------------------------------------------------------------- */

/* Shift: an arrow up (with a bar under it when locked). Backspace: an arrow pointing left. */
static void draw_key_icon(app *a, const kb_key *k, uint32_t ink) {
    int s = (k->w < k->h ? k->w : k->h) * 45 / 100, cx = k->x + k->w / 2, cy = k->y + k->h / 2;
    int stem = s / 3 > 2 ? s / 3 : 2;
    if (k->kind == KB_SHIFT) {
        int top = cy - s / 2;
        for (int i = 0; i < s / 2; i++)
            ren_fill(a->rn, cx - i, top + i, 2 * i + 1, 1, ink);
        ren_fill(a->rn, cx - stem / 2, top + s / 2, stem, s / 2, ink);
        if (a->kbd.shift == KB_CAPS) ren_fill(a->rn, cx - s / 2, top + s + s / 6, s, stem / 2 + 1, ink);
    } else {
        int left = cx - s / 2;
        for (int i = 0; i < s / 2; i++)
            ren_fill(a->rn, left + i, cy - i, 1, 2 * i + 1, ink);
        ren_fill(a->rn, left + s / 2, cy - stem / 2, s / 2 + s / 4, stem, ink);
    }
}

static void draw_kb_key(app *a, int i) {
    const theme *th = a->th;
    const kb_key *k = &a->kbd.keys[i];
    bool on = k->kind == KB_SHIFT && a->kbd.shift != KB_LOWER;
    uint32_t bg = th->ink[on ? INK_BUTTON_BG : INK_CARD_BG], fg = th->ink[on ? INK_BUTTON_TEXT : INK_TEXT];
    int r = app_px(a, 8);
    ren_fill_round(a->rn, k->x, k->y, k->w, k->h, r, bg);
    ren_frame_round(a->rn, k->x, k->y, k->w, k->h, r, app_px(a, 2), th->ink[on ? INK_BUTTON_BG : INK_CARD_BORDER]);
    const char *label = k->text, *shown = k->text;
    int px = font_px(a, 26);
    switch (k->kind) {
    case KB_CHAR: break;
    case KB_SPACE:
        label = shown = app_tr(a, "kb.space");
        px = font_px(a, DP_SMALL);
        break;
    case KB_ENTER:
        label = shown = app_tr(a, "kb.enter");
        px = font_px(a, DP_SMALL);
        break;
    case KB_LAYER:
        label = app_tr(a, a->kbd.symbols ? "kb.letters" : "kb.symbols");
        shown = a->kbd.symbols ? "abc" : "123";
        px = font_px(a, DP_BODY);
        break;
    case KB_SHIFT:
        label = app_tr(a, a->kbd.shift == KB_CAPS ? "kb.caps" : "kb.shift");
        shown = NULL;
        break;
    case KB_BACKSPACE:
        label = app_tr(a, "kb.backspace");
        shown = NULL;
        break;
    }
    if (shown) {
        int st = ren_style(a->rn, k->kind == KB_CHAR ? REN_REGULAR : REN_BOLD, px);
        int tw = ren_measure(a->rn, st, shown, strlen(shown));
        while (tw > k->w - app_px(a, 6) && px > font_px(a, 12)) { /* "Mellomrom" on a narrow split key */
            px = px * 9 / 10;
            st = ren_style(a->rn, REN_BOLD, px);
            tw = ren_measure(a->rn, st, shown, strlen(shown));
        }
        ren_text(a->rn, st, fg, shown, strlen(shown), k->x + (k->w - tw) / 2,
                 k->y + (k->h - ren_line_skip(a->rn, st)) / 2);
    } else {
        draw_key_icon(a, k, fg);
    }
    view_add(&a->view, ROLE_BUTTON, label, k->x, k->y, k->w, k->h, ACT_KEY, i);
}

static bool field_line_add(app *a, int start, int end, int x) {
    if (a->n_field_lines == a->field_lines_cap) {
        int cap = a->field_lines_cap ? a->field_lines_cap * 2 : 64;
        struct field_line *n = realloc(a->field_lines, (size_t)cap * sizeof *n);
        if (!n) return false;
        a->field_lines = n;
        a->field_lines_cap = cap;
    }
    a->field_lines[a->n_field_lines++] = (struct field_line){start, end, x};
    return true;
}

/* Breaks the text into the field's lines (a->field_lines): each paragraph on its own, so an empty line after a
 * newline is a line the caret can stand on. */
static void field_layout(app *a, const char *t, int width) {
    a->n_field_lines = 0;
    size_t len = strlen(t), p = 0;
    for (;;) {
        size_t e = p;
        while (e < len && t[e] != '\n')
            e++;
        layout_run run = {t + p, e - p, a->field_style};
        if (e > p && layout_paragraph(&a->scratch, ren_layout_font(a->rn), &run, 1, width) && a->scratch.n_lines) {
            for (size_t l = 0; l < a->scratch.n_lines; l++) {
                const layout_line *ln = &a->scratch.lines[l];
                const layout_frag *f0 = &a->scratch.frags[ln->first],
                                  *f1 = &a->scratch.frags[ln->first + ln->count - 1];
                field_line_add(a, (int)(p + f0->off), (int)(p + f1->off + f1->len), f0->x);
            }
        } else {
            field_line_add(a, (int)p, (int)p, 0);
        }
        if (e >= len) break;
        p = e + 1;
    }
}

/* The line the caret is on: the last line that starts at or before it (a wrapped line's start belongs to it). */
static int caret_line(const app *a, size_t caret) {
    int line = 0;
    for (int i = 0; i < a->n_field_lines; i++)
        if ((size_t)a->field_lines[i].start <= caret) line = i;
    return line;
}

static int caret_x(app *a, const char *t, size_t caret, int line) {
    const struct field_line *ln = &a->field_lines[line];
    size_t end = caret < (size_t)ln->end ? caret : (size_t)ln->end;
    return ln->x + ren_measure(a->rn, a->field_style, t + ln->start, end - (size_t)ln->start);
}

static void draw_write(app *a) {
    const theme *th = a->th;
    int top = ui_topbar(a, a->write_title, true, false);
    a->content_top = top;
    a->content_bottom = a->h;
    /* the keyboard along the bottom: keys grow with the interface text, rows split before keys get small */
    int label_px = font_px(a, 26), gap = app_px(a, 6), side = app_px(a, 6);
    int min_key_w = label_px * 135 / 100 > app_px(a, DP_TARGET) ? label_px * 135 / 100 : app_px(a, DP_TARGET);
    int kbw = a->w - 2 * side;
    int rows = kb_rows(&a->kbd, kbw, min_key_w, gap);
    int key_h = label_px * 2 + app_px(a, 4);
    if (key_h < app_px(a, 54)) key_h = app_px(a, 54);
    int most = a->h * 45 / 100; /* the field keeps at least half the screen */
    if (rows * (key_h + gap) > most) key_h = most / rows - gap;
    if (key_h < app_px(a, DP_TARGET)) key_h = app_px(a, DP_TARGET);
    int kb_h = rows * (key_h + gap) - gap;
    int kb_y = a->h - kb_h - side;
    ren_fill(a->rn, 0, kb_y - side, a->w, a->h - kb_y + side, th->ink[INK_PROGRESS_BG]);
    kb_layout(&a->kbd, side, kb_y, kbw, key_h, min_key_w, gap);
    for (int i = 0; i < a->kbd.n; i++)
        draw_kb_key(a, i);
    /* the actions above it: undo, what happened to the text, send */
    int m = margin(a);
    int colw = a->w - 2 * m;
    int bw = colw / 4 > app_px(a, 120) ? colw / 4 : app_px(a, 120);
    bool message = strcmp(a->write_key, "message") == 0;
    int bh = ui_button_height(a, app_tr(a, "write.send"), bw, app_px(a, 52));
    int uh = ui_button_height(a, app_tr(a, "write.undo"), bw, app_px(a, 52));
    if (uh > bh) bh = uh;
    int ay = kb_y - side - app_px(a, 10) - bh;
    ui_button(a, m, ay, bw, bh, app_tr(a, "write.undo"), BTN_SECONDARY, ACT_UNDO, 0);
    const char *t = edit_text(&a->ed);
    const char *status = a->memory_only              ? app_tr(a, "write.memory_only")
                         : !a->write_saved            ? app_tr(a, "write.not_saved")
                         : a->ed.len + 4 >= a->ed.max ? app_tr(a, "write.full")
                         : t[0]                       ? app_tr(a, "write.saved")
                                                      : "";
    int sw = colw - 2 * bw - 2 * app_px(a, 12);
    if (status[0] && sw > app_px(a, 60)) {
        int sh = ui_text_height(a, status, REN_REGULAR, font_px(a, DP_SMALL), sw);
        if (sh <= bh)
            ui_text(a, status, REN_REGULAR, font_px(a, DP_SMALL), th->ink[a->write_saved && !a->memory_only ? INK_MUTED : INK_ALERT],
                    m + bw + app_px(a, 12), ay + (bh - sh) / 2, sw, ROLE_STATUS);
    }
    if (message) ui_button(a, m + colw - bw, ay, bw, bh, app_tr(a, "write.send"), BTN_PRIMARY, ACT_SEND, 0);
    /* the field: the rest of the screen */
    int fy = top + app_px(a, 12), fh = ay - app_px(a, 12) - fy;
    int pad = app_px(a, 12);
    ren_fill_round(a->rn, m, fy, colw, fh, app_px(a, 10), th->ink[INK_CARD_BG]);
    ren_frame_round(a->rn, m, fy, colw, fh, app_px(a, 10), app_px(a, 3), th->ink[INK_HEADING]);
    a->field_x = m + pad;
    a->field_y = fy + pad;
    a->field_w = colw - 2 * pad;
    a->field_h = fh - 2 * pad;
    /* the patient's own text at their reading size, unless that would leave fewer than two lines in view (a
     * phone at 400 %): then as large as two lines allow, so they can still see what they are writing */
    int px = read_px(a, DP_BODY);
    int fit = a->field_h * 100 / (2 * (a->set.line_pct > 100 ? a->set.line_pct : 100));
    if (px > fit) px = fit > font_px(a, DP_SMALL) ? fit : font_px(a, DP_SMALL);
    a->field_style = ren_style_family(a->rn, reading_family(a), REN_REGULAR, px);
    a->field_line_h = px * a->set.line_pct / 100;
    if (a->field_line_h < ren_line_skip(a->rn, a->field_style)) a->field_line_h = ren_line_skip(a->rn, a->field_style);
    field_layout(a, t, a->field_w - app_px(a, 4)); /* room for the caret at the end of a full line */
    int cl = caret_line(a, a->ed.caret);
    /* keep the caret's line in view */
    int cy = cl * a->field_line_h;
    if (cy - a->write_scroll < 0) a->write_scroll = cy;
    if (cy + a->field_line_h - a->write_scroll > a->field_h) a->write_scroll = cy + a->field_line_h - a->field_h;
    int total = a->n_field_lines * a->field_line_h;
    if (a->write_scroll > total - a->field_line_h)
        a->write_scroll = total > a->field_line_h ? total - a->field_line_h : 0;
    if (a->write_scroll < 0) a->write_scroll = 0;
    SDL_Rect clip = {a->field_x, a->field_y, a->field_w, a->field_h};
    ren_clip(a->rn, &clip);
    int skip_pad = (a->field_line_h - ren_line_skip(a->rn, a->field_style)) / 2;
    size_t sa, sb;
    edit_selection(&a->ed, &sa, &sb);
    if (!t[0]) {
        int ph = ren_style_family(a->rn, reading_family(a), REN_ITALIC, px);
        layout_run run = {app_tr(a, "write.placeholder"), strlen(app_tr(a, "write.placeholder")), ph};
        if (layout_paragraph(&a->scratch, ren_layout_font(a->rn), &run, 1, a->field_w))
            for (size_t l = 0; l < a->scratch.n_lines; l++) {
                const layout_line *ln = &a->scratch.lines[l];
                for (uint32_t f = ln->first; f < ln->first + ln->count; f++) {
                    const layout_frag *fr = &a->scratch.frags[f];
                    ren_text_words(a->rn, ph, th->ink[INK_MUTED], run.text + fr->off, fr->len, a->field_x + fr->x,
                                   a->field_y + (int)l * a->field_line_h + skip_pad);
                }
            }
    }
    for (int l = 0; l < a->n_field_lines; l++) {
        int ly = a->field_y + l * a->field_line_h - a->write_scroll;
        if (ly + a->field_line_h < a->field_y || ly > a->field_y + a->field_h) continue;
        const struct field_line *ln = &a->field_lines[l];
        /* the selection behind the text, in the highlight ink every theme keeps legible */
        size_t s0 = sa > (size_t)ln->start ? sa : (size_t)ln->start, s1 = sb < (size_t)ln->end ? sb : (size_t)ln->end;
        if (sa != sb && s0 <= s1 && sa <= (size_t)ln->end && sb >= (size_t)ln->start) {
            int x0 = caret_x(a, t, s0, l), x1 = caret_x(a, t, s1, l);
            if (sb > (size_t)ln->end) x1 += app_px(a, 6); /* the selection goes on past the line's end */
            ren_fill(a->rn, a->field_x + x0, ly, x1 - x0, a->field_line_h, th->ink[INK_HIGHLIGHT]);
        }
        /* drawn as one run, as ren_measure measures it, so the caret sits exactly after the letter */
        ren_text(a->rn, a->field_style, th->ink[INK_TEXT], t + ln->start, (size_t)(ln->end - ln->start),
                 a->field_x + ln->x, ly + skip_pad);
    }
    /* the caret: steady, not blinking (a blink costs wake-ups and distracts), wide enough to find */
    int cx = caret_x(a, t, a->ed.caret, cl);
    int cw = app_px(a, 3) > 2 ? app_px(a, 3) : 2;
    ren_fill(a->rn, a->field_x + cx - cw / 2, a->field_y + cy - a->write_scroll + skip_pad / 2, cw,
             a->field_line_h - skip_pad, th->ink[INK_TEXT]);
    ren_clip(a->rn, NULL);
    view_add(&a->view, ROLE_FIELD, t, m, fy, colw, fh, 0, 0);
}

/* ---- an exercise, filled in ------------------------------------------------------------------------------ */

/* A tick, so a chosen option is told by its shape and not only by its colour (WCAG 1.4.1). */
static void draw_check(app *a, int x, int cy, int size, uint32_t ink) {
    int t = size / 6 > 2 ? size / 6 : 2;
    for (int i = 0; i <= size / 3; i++) /* the short stroke, down to the right */
        ren_fill(a->rn, x + i, cy + i - t / 2, t, t, ink);
    for (int i = 0; i <= size * 2 / 3; i++) /* the long stroke, up to the right */
        ren_fill(a->rn, x + size / 3 + i, cy + size / 3 - i - t / 2, t, t, ink);
}

/* The width of a button that shows a number: its widest value on one line inside the button's padding, and
 * never under the 48 dp target (a scale's "10", a strength's "100", at any text size). */
static int number_button_w(app *a, const char *widest) {
    int st = ren_style(a->rn, REN_BOLD, font_px(a, DP_BODY));
    int w = ren_measure(a->rn, st, widest, strlen(widest)) + 2 * app_px(a, 12) + 2;
    return w > app_px(a, DP_TARGET) ? w : app_px(a, DP_TARGET);
}

/* A row of buttons that wraps: a scale's steps. Returns the height used. */
static int draw_scale(app *a, const doc_field *f, int fi, int x, int y, int colw) {
    bool set;
    int v = ex_get_scale(a, fi, &set);
    int n = f->max - f->min + 1;
    char widest[16];
    snprintf(widest, sizeof widest, "%d", abs(f->min) > abs(f->max) ? f->min : f->max);
    int gap = app_px(a, 6), bw = number_button_w(a, widest);
    int per_row = (colw + gap) / (bw + gap);
    if (per_row > n) per_row = n;
    if (per_row < 1) per_row = 1;
    bw = (colw + gap) / per_row - gap; /* rows fill the column */
    int bh = app_px(a, 56), y0 = y;
    for (int i = 0; i < n; i++) {
        char num[16];
        snprintf(num, sizeof num, "%d", f->min + i);
        int bx = x + (i % per_row) * (bw + gap), by = y + (i / per_row) * (bh + gap);
        bool on = set && v == f->min + i;
        char label[64];
        snprintf(label, sizeof label, "%s%s%s", num, on ? " – " : "", on ? app_tr(a, "ex.chosen") : "");
        ui_button_ex(a, bx, by, bw, bh, label, num, on ? BTN_PRIMARY : BTN_SECONDARY, ACT_EX_VALUE, fi << 12 | i);
    }
    y += ((n + per_row - 1) / per_row) * (bh + gap);
    /* what the ends mean, under them */
    int sp = font_px(a, DP_SMALL + 1), half = (colw - app_px(a, 12)) / 2;
    int h1 = 0, h2 = 0;
    if (f->min_label) h1 = ui_text(a, f->min_label, REN_REGULAR, sp, a->th->ink[INK_MUTED], x, y, half, ROLE_TEXT);
    if (f->max_label) {
        int tw = ren_measure(a->rn, ren_style(a->rn, REN_REGULAR, sp), f->max_label, strlen(f->max_label));
        int w = tw < half ? tw : half;
        h2 = ui_text(a, f->max_label, REN_REGULAR, sp, a->th->ink[INK_MUTED], x + colw - w, y, w, ROLE_TEXT);
    }
    y += h1 > h2 ? h1 : h2;
    return y - y0;
}

/* A table form (a thought record, an exposure diary) as one card per row: each cell a button that opens the
 * editor, a number from a small range as a row of buttons, a date with «I dag». Returns the height used. */
static int draw_table(app *a, const doc_field *f, int fi, int x, int y, int colw) {
    const theme *th = a->th;
    int y0 = y, pad = app_px(a, 12), sp = font_px(a, DP_SMALL + 1), gap = app_px(a, 6);
    int rows = ex_rows(a, fi), iw = colw - 2 * pad;
    for (int r = 0; r < rows && r < 256; r++) {
        int top = y;
        char rn[16], head[64];
        snprintf(rn, sizeof rn, "%d", r + 1);
        const char *hargs[1] = {rn};
        i18n_format(head, sizeof head, app_tr(a, "ex.row"), 1, hargs);
        y += pad;
        y += ui_text(a, head, REN_BOLD, font_px(a, DP_BODY), th->ink[INK_HEADING], x + pad, y, iw, ROLE_HEADING);
        for (size_t c = 0; c < f->n_columns && c < 16; c++) {
            const doc_column *col = &f->columns[c];
            char val[MS_ANSWER_MAX_BYTES + 1], name[300];
            ex_get_cell(a, fi, r, (int)c, val, sizeof val);
            const char *nargs[2] = {col->label, rn};
            i18n_format(name, sizeof name, app_tr(a, "ex.cell"), 2, nargs);
            y += app_px(a, 8);
            y += ui_text(a, col->label, REN_BOLD, sp, th->ink[INK_TEXT], x + pad, y, iw, ROLE_TEXT);
            y += app_px(a, 4);
            int values[16];
            int n = ex_number_steps(col, values, 16);
            if (n > 0) {
                /* a tap, not typing: the values as buttons, wrapping */
                char widest[16];
                snprintf(widest, sizeof widest, "%d", values[n - 1]);
                int bw = number_button_w(a, widest);
                int per = (iw + gap) / (bw + gap);
                if (per > n) per = n;
                if (per < 1) per = 1;
                bw = (iw + gap) / per - gap;
                int bh = app_px(a, 52);
                for (int i = 0; i < n; i++) {
                    char num[16], label[340];
                    snprintf(num, sizeof num, "%d", values[i]);
                    bool on = val[0] && atoi(val) == values[i];
                    snprintf(label, sizeof label, "%s: %s%s%s", name, num, on ? " – " : "",
                             on ? app_tr(a, "ex.chosen") : "");
                    ui_button_ex(a, x + pad + (i % per) * (bw + gap), y + (i / per) * (bh + gap), bw, bh, label, num,
                                 on ? BTN_PRIMARY : BTN_SECONDARY, ACT_EX_CELL_NUM,
                                 fi << 20 | r << 12 | (int)c << 8 | i);
                }
                y += ((n + per - 1) / per) * (bh + gap) - gap;
            } else {
                /* the text itself is the button: what was written, or how to start */
                char label[MS_ANSWER_MAX_BYTES + 340];
                snprintf(label, sizeof label, "%s%s%s", name, val[0] ? ": " : "", val);
                const char *shown = val[0] ? val : app_tr(a, "ex.tap_to_write");
                int tw = iw;
                bool today = col->kind == DOC_COL_DATE && !val[0];
                if (today) tw = iw * 3 / 5;
                int h = ui_button_ex(a, x + pad, y, tw, app_px(a, 52), label, shown, BTN_SECONDARY, ACT_EX_CELL,
                                     fi << 16 | r << 8 | (int)c);
                if (today) {
                    char tl[340];
                    snprintf(tl, sizeof tl, "%s: %s", name, app_tr(a, "ex.today"));
                    ui_button_ex(a, x + pad + tw + gap, y, iw - tw - gap, h, tl, app_tr(a, "ex.today"), BTN_SECONDARY,
                                 ACT_EX_TODAY, fi << 16 | r << 8 | (int)c);
                }
                y += h;
            }
        }
        y += pad;
        ren_frame_round(a->rn, x, top, colw, y - top, app_px(a, 12), app_px(a, 2), th->ink[INK_CARD_BORDER]);
        y += app_px(a, 12);
    }
    if (rows < 50)
        y += ui_button(a, x, y, colw, app_px(a, 56), app_tr(a, "ex.add_row"), BTN_SECONDARY, ACT_EX_ADD_ROW, fi);
    return y - y0;
}

static void draw_exercise(app *a) {
    const theme *th = a->th;
    const doc_block *b = ex_current(a);
    if (!b) {
        a->screen = SCREEN_PAGE;
        return;
    }
    int top, x, colw;
    int y = list_screen(a, b->title, true, &top, &x, &colw);
    y += ui_heading(a, b->title, DP_H1, x, y, colw);
    y += app_px(a, 8);
    y += ui_text(a, app_tr(a, "ex.autosave"), REN_ITALIC, font_px(a, DP_SMALL + 1), th->ink[INK_MUTED], x, y, colw,
                 ROLE_STATUS);
    y += app_px(a, 16);
    int bp = read_px(a, DP_BODY);
    for (size_t i = 0; i < b->n_fields; i++) {
        const doc_field *f = &b->fields[i];
        int fi = (int)i;
        y += ui_text(a, f->label, REN_BOLD, bp, th->ink[INK_HEADING], x, y, colw, ROLE_FIELD);
        y += app_px(a, 10);
        switch (f->type) {
        case DOC_FIELD_TEXT: {
            const char *t = ex_get_text(a, fi);
            int pad = app_px(a, 14);
            const char *shown = t[0] ? t : (f->placeholder ? f->placeholder : app_tr(a, "ex.empty"));
            int th_ = ui_text_height(a, shown, t[0] ? REN_REGULAR : REN_ITALIC, bp, colw - 2 * pad);
            int h = th_ + 2 * pad;
            ren_fill_round(a->rn, x, y, colw, h, app_px(a, 10), th->ink[INK_CARD_BG]);
            ren_frame_round(a->rn, x, y, colw, h, app_px(a, 10), app_px(a, 2), th->ink[INK_CARD_BORDER]);
            ui_text(a, shown, t[0] ? REN_REGULAR : REN_ITALIC, bp, th->ink[t[0] ? INK_TEXT : INK_MUTED], x + pad,
                    y + pad, colw - 2 * pad, ROLE_TEXT);
            y += h + app_px(a, 8);
            char label[512];
            snprintf(label, sizeof label, "%s: %s", app_tr(a, t[0] ? "ex.edit" : "ex.write"), f->label);
            y += ui_button_ex(a, x, y, colw, app_px(a, 52), label, app_tr(a, t[0] ? "ex.edit" : "ex.write"),
                              BTN_SECONDARY, ACT_EX_TEXT, fi);
            break;
        }
        case DOC_FIELD_SCALE: y += draw_scale(a, f, fi, x, y, colw); break;
        case DOC_FIELD_CHOICE:
        case DOC_FIELD_CHECKLIST:
            for (size_t o = 0; o < f->n_options; o++) {
                bool on = ex_is_chosen(a, fi, f->options[o]);
                char label[600];
                snprintf(label, sizeof label, "%s%s%s", f->options[o], on ? " – " : "",
                         on ? app_tr(a, "ex.chosen") : "");
                int bh = ui_button_ex(a, x, y, colw, app_px(a, 56), label, f->options[o],
                                      on ? BTN_PRIMARY : BTN_SECONDARY, ACT_EX_VALUE, fi << 12 | (int)o);
                if (on) draw_check(a, x + app_px(a, 12), y + bh / 2, app_px(a, 20), th->ink[INK_BUTTON_TEXT]);
                y += bh;
                y += app_px(a, 8);
            }
            break;
        case DOC_FIELD_TABLE: y += draw_table(a, f, fi, x, y, colw); break;
        }
        y += app_px(a, 24);
    }
    y += ui_button(a, x, y, colw, app_px(a, 60), app_tr(a, "ex.done"), BTN_PRIMARY, ACT_EX_DONE, 0);
    end_list(a, y);
}

/* ---- a questionnaire, one item to a screen ---------------------------------------------------------------- */

static void draw_quest(app *a) {
    const theme *th = a->th;
    const doc_block *b = q_current(a);
    if (!b) {
        a->screen = SCREEN_PAGE;
        return;
    }
    int top, x, colw;
    int y = list_screen(a, b->instrument ? b->instrument : b->title, true, &top, &x, &colw);
    int n = (int)b->n_qitems;
    if (a->q_item < n) {
        char i1[16], i2[16], line[128];
        snprintf(i1, sizeof i1, "%d", a->q_item + 1);
        snprintf(i2, sizeof i2, "%d", n);
        const char *args[2] = {i1, i2};
        i18n_format(line, sizeof line, app_tr(a, "q.progress"), 2, args);
        y += ui_text(a, line, REN_BOLD, font_px(a, DP_SMALL + 1), th->ink[INK_MUTED], x, y, colw, ROLE_STATUS);
        ui_progress(a, x, y + app_px(a, 6), colw, app_px(a, 8), a->q_item, n);
        y += app_px(a, 26);
        /* the question in large text, after the stem it finishes ("Hvor ofte har du … vært plaget av") */
        if (b->text.n_spans) {
            char stem[1024];
            doc_text_plain(&b->text, stem, sizeof stem);
            /* at the interface size: it is the same on every screen, and at 400 % it would push the question and
             * its answers off the screen */
            y += ui_text(a, stem, REN_REGULAR, font_px(a, DP_BODY), th->ink[INK_MUTED], x, y, colw, ROLE_TEXT);
            y += app_px(a, 10);
        }
        y += ui_text(a, b->qitems[a->q_item].text, REN_BOLD, read_px(a, DP_BODY), th->ink[INK_HEADING], x, y, colw,
                     ROLE_HEADING);
        y += app_px(a, 20);
        size_t no;
        const doc_option *o = doc_item_options(b, (size_t)a->q_item, &no);
        int chosen;
        bool has = q_answer(a, a->q_item, &chosen);
        for (size_t k = 0; k < no; k++) {
            bool on = has && o[k].score == chosen;
            char label[400];
            snprintf(label, sizeof label, "%s%s%s", o[k].label, on ? " – " : "", on ? app_tr(a, "ex.chosen") : "");
            int bh = ui_button_ex(a, x, y, colw, app_px(a, 64), label, o[k].label, on ? BTN_PRIMARY : BTN_SECONDARY,
                                  ACT_Q_OPTION, (int)k);
            if (on) draw_check(a, x + app_px(a, 12), y + bh / 2, app_px(a, 20), th->ink[INK_BUTTON_TEXT]);
            y += bh + app_px(a, 10);
        }
        y += app_px(a, 10);
        int gap = app_px(a, 12), bw = (colw - gap) / 2;
        if (a->q_item > 0) ui_button(a, x, y, bw, app_px(a, 56), app_tr(a, "q.prev"), BTN_SECONDARY, ACT_Q_PREV, 0);
        if (has) ui_button(a, x + bw + gap, y, bw, app_px(a, 56), app_tr(a, "q.next"), BTN_SECONDARY, ACT_Q_NEXT, 0);
        y += app_px(a, 56);
        end_list(a, y);
        return;
    }
    /* the summary: the sum as the content scores it, its band, and sending it */
    y += ui_heading(a, b->title, DP_H1, x, y, colw);
    y += app_px(a, 12);
    int missing = q_first_unanswered(a);
    if (missing >= 0) {
        char i1[16], line[160];
        snprintf(i1, sizeof i1, "%d", missing + 1);
        const char *args[1] = {i1};
        i18n_format(line, sizeof line, app_tr(a, "q.missing"), 1, args);
        y += ui_text(a, line, REN_REGULAR, read_px(a, DP_BODY), th->ink[INK_TEXT], x, y, colw, ROLE_TEXT);
        y += app_px(a, 16);
        y += ui_button(a, x, y, colw, app_px(a, 56), app_tr(a, "q.prev"), BTN_SECONDARY, ACT_Q_PREV, 0);
        end_list(a, y);
        return;
    }
    int total = q_total(a), max = doc_questionnaire_max(b);
    const char *band = doc_questionnaire_band(b, total);
    char t1[16], t2[16], line[300];
    snprintf(t1, sizeof t1, "%d", total);
    snprintf(t2, sizeof t2, "%d", max);
    const char *args[3] = {t1, t2, band ? band : ""};
    i18n_format(line, sizeof line, app_tr(a, band ? "q.total_band" : "q.total"), 3, args);
    y += ui_text(a, line, REN_BOLD, read_px(a, DP_H2), th->ink[INK_HEADING], x, y, colw, ROLE_TEXT);
    y += app_px(a, 10);
    y +=
        ui_text(a, app_tr(a, "q.what_now"), REN_REGULAR, read_px(a, DP_BODY), th->ink[INK_TEXT], x, y, colw, ROLE_TEXT);
    y += app_px(a, 16);
    /* PHQ-9's last item asks about thoughts of being better off dead or of self-harm: any answer but "not at
     * all" is met at once with where help is, whatever the total */
    int s9;
    if (b->instrument && strcmp(b->instrument, "PHQ-9") == 0 && q_answer(a, (int)b->n_qitems - 1, &s9) && s9 > 0) {
        int pad = app_px(a, 14);
        const char *warn = app_tr(a, "q.phq9_item9");
        int h = ui_text_height(a, warn, REN_BOLD, read_px(a, DP_BODY), colw - 2 * pad) + 2 * pad;
        ren_fill_round(a->rn, x, y, colw, h, app_px(a, 10), th->ink[INK_IMPORTANT_BG]);
        ren_fill(a->rn, x, y, app_px(a, 6), h, th->ink[INK_IMPORTANT_EDGE]);
        ui_text(a, warn, REN_BOLD, read_px(a, DP_BODY), th->ink[INK_TEXT], x + pad, y + pad, colw - 2 * pad,
                ROLE_CALLOUT);
        y += h + app_px(a, 12);
        y += ui_button(a, x, y, colw, app_px(a, 56), app_tr(a, "help.button"), BTN_HELP, ACT_HELP, 0);
        y += app_px(a, 16);
    }
    y += ui_button(a, x, y, colw, app_px(a, 60), app_tr(a, "q.submit"), BTN_PRIMARY, ACT_Q_SUBMIT, 0);
    y += app_px(a, 12);
    y += ui_button(a, x, y, colw, app_px(a, 56), app_tr(a, "q.prev"), BTN_SECONDARY, ACT_Q_PREV, 0);
    end_list(a, y);
}

/* ---- the patient's own scores over the weeks ------------------------------------------------------------- */

/* One instrument's scores as bars, oldest left, the newest that fit: each bar with its number above and its
 * date under it, on a scale from 0 to the instrument's highest score. Drawn with the interface's text size, so
 * it stays readable at 400 %; the same numbers follow as text, for read-aloud. Returns the height used. */
static int draw_plot(app *a, const char *instrument, int x, int y, int colw) {
    const theme *th = a->th;
    int idx[64], n = 0, max = 1;
    for (int i = 0; i < a->n_scores; i++)
        if (strcmp(a->scores[i].instrument, instrument) == 0) {
            if (n == 64) { /* keep the newest 64 */
                memmove(idx, idx + 1, sizeof idx[0] * 63);
                n--;
            }
            idx[n++] = i;
            if (a->scores[i].max > max) max = a->scores[i].max;
        }
    if (!n) return 0;
    int fpx = font_px(a, DP_BODY), sp = font_px(a, DP_SMALL + 1);
    int num_st = ren_style(a->rn, REN_BOLD, fpx), date_st = ren_style(a->rn, REN_REGULAR, sp);
    int bar_w = ren_measure(a->rn, date_st, "00.00", 5) + app_px(a, 8);
    int min_bar = ren_measure(a->rn, num_st, "00", 2) + app_px(a, 8);
    if (bar_w < min_bar) bar_w = min_bar;
    int gap = app_px(a, 10);
    char top_s[16];
    snprintf(top_s, sizeof top_s, "%d", max);
    int top_w = ren_measure(a->rn, date_st, top_s, strlen(top_s));
    int fit = (colw - top_w) / (bar_w + gap); /* the bars leave the right end to the scale's top number */
    if (fit < 1) fit = 1;
    int first = n > fit ? n - fit : 0;
    int num_h = ren_line_skip(a->rn, num_st), date_h = ren_line_skip(a->rn, date_st);
    int chart_h = fpx * 6 > app_px(a, 160) ? fpx * 6 : app_px(a, 160);
    int y0 = y, base = y + num_h + chart_h;
    /* the frame: a baseline, and a faint line at the top of the scale */
    ren_fill(a->rn, x, base, colw, app_px(a, 2), th->ink[INK_TEXT]);
    ren_fill(a->rn, x, base - chart_h, colw, 1, th->ink[INK_CARD_BORDER]);
    /* the top of the scale, named at the right end of its line, where the bars leave room for it */
    ren_text(a->rn, date_st, th->ink[INK_MUTED], top_s, strlen(top_s), x + colw - top_w, base - chart_h - date_h);
    char alt[1200];
    int len = snprintf(alt, sizeof alt, "%s", instrument);
    for (int k = first; k < n; k++) {
        const struct app_score *s = &a->scores[idx[k]];
        int bx = x + (k - first) * (bar_w + gap);
        int h = s->total * chart_h / (s->max > 0 ? s->max : max);
        if (h < app_px(a, 3)) h = app_px(a, 3); /* a 0 still shows as a sliver on the line */
        ren_fill(a->rn, bx, base - h, bar_w, h, th->ink[INK_PROGRESS]);
        char num[16], date[16];
        snprintf(num, sizeof num, "%d", s->total);
        time_t t = (time_t)s->taken_at;
        struct tm tm;
        localtime_r(&t, &tm);
        strftime(date, sizeof date, "%d.%m", &tm);
        int tw = ren_measure(a->rn, num_st, num, strlen(num));
        ren_text(a->rn, num_st, th->ink[INK_TEXT], num, strlen(num), bx + (bar_w - tw) / 2, base - h - num_h);
        int dw = ren_measure(a->rn, date_st, date, strlen(date));
        ren_text(a->rn, date_st, th->ink[INK_MUTED], date, strlen(date), bx + (bar_w - dw) / 2, base + app_px(a, 6));
        if (len < (int)sizeof alt - 40)
            len += snprintf(alt + len, sizeof alt - (size_t)len, "%s %s: %d", k == first ? ":" : ",", date, s->total);
    }
    view_add(&a->view, ROLE_IMAGE, alt, x, y0, colw, base + app_px(a, 6) + date_h - y0, 0, 0);
    return base + app_px(a, 6) + date_h - y0;
}

/* The texts of the scores screen that are worth hearing, in order: each plot's summary and its lines. */
static int score_texts(app *a, char (*out)[300], int cap) {
    int n = 0;
    for (int i = 0; i < a->n_scores && n < cap; i++) {
        bool seen = false;
        for (int j = 0; j < i && !seen; j++)
            seen = strcmp(a->scores[j].instrument, a->scores[i].instrument) == 0;
        if (seen) continue;
        snprintf(out[n++], 300, "%s", a->scores[i].instrument);
        for (int k = a->n_scores - 1; k >= 0 && n < cap; k--) {
            const struct app_score *s = &a->scores[k];
            if (strcmp(s->instrument, a->scores[i].instrument) != 0) continue;
            char when[32], t1[16], t2[16];
            time_t t = (time_t)s->taken_at;
            struct tm tm;
            localtime_r(&t, &tm);
            strftime(when, sizeof when, "%d.%m.%Y", &tm);
            snprintf(t1, sizeof t1, "%d", s->total);
            snprintf(t2, sizeof t2, "%d", s->max);
            const char *args[4] = {when, t1, t2, s->band};
            i18n_format(out[n++], 300, app_tr(a, s->band[0] ? "scores.line_band" : "scores.line"), 4, args);
        }
    }
    return n;
}

void screens_speak_scores(app *a) {
    static char lines[64][300];
    int n = score_texts(a, lines, 64);
    const char *texts[64];
    for (int i = 0; i < n; i++)
        texts[i] = lines[i];
    app_speak_texts(a, texts, n);
}

static void draw_scores(app *a) {
    const theme *th = a->th;
    int top, x, colw;
    int y = list_screen(a, app_tr(a, "scores.title"), true, &top, &x, &colw);
    y += ui_heading(a, app_tr(a, "scores.title"), DP_H1, x, y, colw);
    y += app_px(a, 8);
    y += ui_text(a, app_tr(a, "scores.intro"), REN_REGULAR, font_px(a, DP_BODY), th->ink[INK_MUTED], x, y, colw,
                 ROLE_TEXT);
    y += app_px(a, 16);
    if (a->n_scores == 0)
        y += ui_text(a, app_tr(a, "scores.none"), REN_ITALIC, font_px(a, DP_BODY), th->ink[INK_TEXT], x, y, colw,
                     ROLE_TEXT);
    else /* the numbers read aloud, for a patient who finds a chart hard to read */
        y += ui_button(a, x, y, colw, app_px(a, 56), app_tr(a, a->speaking ? "scores.stop" : "scores.read"),
                       BTN_SECONDARY, ACT_SPEAK_SCORES, 0) +
             app_px(a, 16);
    /* one plot per instrument, in the order each was first answered */
    for (int i = 0; i < a->n_scores; i++) {
        bool seen = false;
        for (int j = 0; j < i && !seen; j++)
            seen = strcmp(a->scores[j].instrument, a->scores[i].instrument) == 0;
        if (seen) continue;
        const char *ins = a->scores[i].instrument;
        y += ui_heading(a, ins, DP_H3, x, y, colw);
        y += app_px(a, 8);
        y += draw_plot(a, ins, x, y, colw);
        y += app_px(a, 12);
        /* the same numbers as text: newest first, with the words of its band */
        for (int k = a->n_scores - 1; k >= 0; k--) {
            const struct app_score *s = &a->scores[k];
            if (strcmp(s->instrument, ins) != 0) continue;
            char when[64], t1[16], t2[16], line[400];
            time_t t = (time_t)s->taken_at;
            struct tm tm;
            localtime_r(&t, &tm);
            strftime(when, sizeof when, "%d.%m.%Y", &tm);
            snprintf(t1, sizeof t1, "%d", s->total);
            snprintf(t2, sizeof t2, "%d", s->max);
            const char *args[4] = {when, t1, t2, s->band};
            i18n_format(line, sizeof line, app_tr(a, s->band[0] ? "scores.line_band" : "scores.line"), 4, args);
            y += ui_text(a, line, REN_REGULAR, font_px(a, DP_BODY), th->ink[INK_TEXT], x, y, colw, ROLE_TEXT);
            y += app_px(a, 4);
        }
        y += app_px(a, 20);
    }
    end_list(a, y);
}

void screens_draw(app *a) {
    switch (a->screen) {
    case SCREEN_HOME: draw_home(a); break;
    case SCREEN_MODULE: draw_module(a); break;
    case SCREEN_PAGE: draw_page(a); break;
    case SCREEN_HELP: draw_help(a); break;
    case SCREEN_AIDS: draw_aids(a); break;
    case SCREEN_ENROL: draw_enrol(a); break;
    case SCREEN_MESSAGES: draw_messages(a); break;
    case SCREEN_WRITE: draw_write(a); break;
    case SCREEN_EXERCISE: draw_exercise(a); break;
    case SCREEN_QUEST: draw_quest(a); break;
    case SCREEN_SCORES: draw_scores(a); break;
    }
    draw_toast(a);
}
