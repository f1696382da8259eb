/* widgets.c — see widgets.h. */
#include "widgets.h"

#include <string.h>

#include "meistring/config.h"
#include "meistring/hyphen.h"
#include "meistring/utf8.h"

void ui_ctx_init(ui_ctx *u) {
    memset(u, 0, sizeof *u);
    layout_para_init(&u->scratch);
}

void ui_ctx_deinit(ui_ctx *u) { layout_para_deinit(&u->scratch); }

void ui_ctx_frame(ui_ctx *u, ren *rn, const theme *th, view *v, int w, int h, double dp, int chrome_pct) {
    u->rn = rn;
    u->th = th;
    u->view = v;
    u->w = w;
    u->h = h;
    u->dp = dp;
    u->chrome_pct = chrome_pct;
}

int ui_px(const ui_ctx *u, double dp) { return (int)(dp * u->dp + 0.5); }

int ui_margin(const ui_ctx *u) { return u->w / u->dp < 480 ? ui_px(u, 16) : ui_px(u, 24); }

/* Interface text size in px: dp scaled to the screen and by the patient's text size (up to 200 %, see
 * settings_chrome_pct). Spacing stays in plain dp; only text grows. */
int ui_font(const ui_ctx *u, double dp) {
    /* a phone has no room for 200 % bars: the cap grows from 125 % at 320 dp wide to 200 % at 600 dp */
    double w_dp = u->w / u->dp;
    int cap = (int)(125 + (w_dp - 320) * 75 / 280);
    if (cap < 125) cap = 125;
    if (cap > 200) cap = 200;
    int pct = u->chrome_pct;
    if (pct > cap) pct = cap;
    return (int)(dp * u->dp * pct / 100.0 + 0.5);
}

static int hyph_cb(void *ctx, const char *word, size_t len, hyph_break *out, int max) {
    return hyph_breaks(ctx, word, len, out, max);
}

/* Lays text out in the scratch paragraph within w, and returns its style; *px is the size it got. A word that
 * fits nowhere, even at its hyphenation points, makes the text a little smaller first (as on pages:
 * MS_LAYOUT_SHRINK_*) before it is ever cut between letters. A label is never hyphenated: it wraps between
 * words, then shrinks. */
static int fit_text(ui_ctx *u, const char *text, ren_face face, int *px, int w, bool label) {
    layout_font lf = *ren_layout_font(u->rn);
    if (!label && u->hyph) {
        lf.hyphenate = hyph_cb;
        lf.hyph_ctx = (void *)u->hyph;
    }
    int size = *px, min_px = size * MS_LAYOUT_SHRINK_MIN_PCT / 100, step = size * MS_LAYOUT_SHRINK_STEP_PCT / 100;
    if (step < 1) step = 1;
    for (;;) {
        int style = ren_style(u->rn, face, size);
        layout_run run = {text, strlen(text), style};
        if (!layout_paragraph(&u->scratch, &lf, &run, 1, w)) {
            u->scratch.n_lines = 0;
            return style;
        }
        if ((u->scratch.forced == 0 && u->scratch.overflow == 0) || size <= min_px) {
            *px = size;
            return style;
        }
        /* the smaller sizes tried on this size's measurements, the width scaled up as much: only the size that
         * fits is opened as a font (as text_para in pagelayout.c) */
        int next = size - step > min_px ? size - step : min_px;
        while (next > min_px) {
            if (!layout_paragraph(&u->scratch, &lf, &run, 1, (int)((long)w * size / next))) break;
            if (u->scratch.forced == 0 && u->scratch.overflow == 0) break;
            next = next - step > min_px ? next - step : min_px;
        }
        size = next;
    }
}

/* Draws text laid out by fit_text at (x, y), a hyphen after each piece of a word that goes on; adds one
 * element when role >= 0. Returns its height. */
static int draw_text(ui_ctx *u, const char *text, int style, int px, uint32_t rgba, int x, int y, int role) {
    layout_run run = {text, strlen(text), style};
    if (u->tally) layout_word_stats_add(&u->scratch, &run, 1, u->tally);
    int line_h = px * 135 / 100;
    int pad = (line_h - ren_line_skip(u->rn, style)) / 2;
    int widest = 0;
    for (size_t l = 0; l < u->scratch.n_lines; l++) {
        const layout_line *ln = &u->scratch.lines[l];
        for (uint32_t f = ln->first; f < ln->first + ln->count; f++) {
            const layout_frag *fr = &u->scratch.frags[f];
            int fy = y + (int)l * line_h + pad;
            ren_text_words(u->rn, style, rgba, text + fr->off, fr->len, x + fr->x, fy);
            if (fr->hyphen) ren_text(u->rn, style, rgba, "-", 1, x + fr->x + fr->w, fy);
        }
        if (ln->width > widest) widest = ln->width;
    }
    /* for check-words, also a button's wrapped label; drawn with the hyphens the layout asks for (above) */
    view_breaks(u->view, &u->scratch, &run, true);
    int h = (int)u->scratch.n_lines * line_h;
    if (role >= 0) view_add(u->view, (view_role)role, text, x, y, widest, h, 0, 0);
    return h;
}

/* Draws wrapped text at (x, y) within width w; adds one element when role >= 0. Returns its height. */
int ui_text(ui_ctx *u, const char *text, ren_face face, int px, uint32_t rgba, int x, int y, int w, int role) {
    int style = fit_text(u, text, face, &px, w, false);
    return draw_text(u, text, style, px, rgba, x, y, role);
}

/* A heading in the screen's column: bold, heading ink, announced as a heading. dp is DP_H1 or DP_H3. */
int ui_heading(ui_ctx *u, const char *text, double dp, int x, int y, int w) {
    size_t from = u->view->n;
    int h = ui_text(u, text, REN_BOLD, ui_font(u, dp), u->th->ink[INK_HEADING], x, y, w, ROLE_HEADING);
    /* a screen's title, and the sections under it (set smaller, at DP_H3, to leave room: one level down all the
     * same) */
    view_heading_level(u->view, from, dp >= DP_H1 ? 1 : 2);
    return h;
}

/* Height ui_text would need, without drawing. */
int ui_text_height(ui_ctx *u, const char *text, ren_face face, int px, int w) {
    fit_text(u, text, face, &px, w, false);
    return (int)u->scratch.n_lines * (px * 135 / 100);
}

/* A label's height, wrapped between words (and shrunk, never hyphenated) within w. */
static int label_height(ui_ctx *u, const char *label, int px, int w) {
    fit_text(u, label, REN_BOLD, &px, w, true);
    return (int)u->scratch.n_lines * (px * 135 / 100);
}

/* Height a button of width w needs for label: at least min_h, more when the label must wrap. */
int ui_button_height(ui_ctx *u, const char *label, int w, int min_h) {
    int pad = ui_px(u, 12);
    int px = ui_font(u, DP_BODY);
    int style = ren_style(u->rn, REN_BOLD, px);
    int need = ren_measure(u->rn, style, label, strlen(label)) <= w - 2 * pad
                   ? ren_line_skip(u->rn, style) + pad
                   : label_height(u, label, px, w - 2 * pad) + 2 * pad;
    return need > min_h ? need : min_h;
}

bool ui_label_fits(ui_ctx *u, const char *label, int w) {
    int px = ui_font(u, DP_BODY), pad = ui_px(u, 12);
    int style = ren_style(u->rn, REN_BOLD, px);
    if (ren_measure(u->rn, style, label, strlen(label)) <= w - 2 * pad) return true;
    fit_text(u, label, REN_BOLD, &px, w - 2 * pad, true);
    return u->scratch.n_lines > 0 && u->scratch.overflow == 0 && u->scratch.forced == 0;
}

/* A button: rounded box, label centred, wrapped if it must be (the box then grows: the returned height).
 * `shown` is drawn; `label` is what the element says (they differ only for a compact symbol like "‹"). */
int ui_button_ex(ui_ctx *u, int x, int y, int w, int h, const char *label, const char *shown, btn_kind kind, int action,
                 int arg) {
    return ui_button_inset(u, x, y, w, h, 0, label, shown, kind, action, arg);
}

/* A button whose words keep lead px clear at its left (a choice's tick: ui_choice), else as ui_button_inset. */
static int button_core(ui_ctx *u, int x, int y, int w, int h, int inset, int lead, const char *label,
                       const char *shown, btn_kind kind, int action, int arg);

int ui_button_inset(ui_ctx *u, int x, int y, int w, int h, int inset, const char *label, const char *shown,
                    btn_kind kind, int action, int arg) {
    return button_core(u, x, y, w, h, inset, 0, label, shown, kind, action, arg);
}

/* the tick's room at a choice's left (12 + 20 + 8 dp), kept chosen or not, so the words never move */
static int choice_lead(ui_ctx *u) { return ui_px(u, 40); }

int ui_choice_height(ui_ctx *u, const char *shown, int w, int min_h) {
    return ui_button_height(u, shown, w - (choice_lead(u) - ui_px(u, 12)), min_h);
}

int ui_choice(ui_ctx *u, int x, int y, int w, int h, const char *label, const char *shown, bool on, int action,
              int arg) {
    int lead = choice_lead(u);
    h = button_core(u, x, y, w, h, 0, lead, label, shown, on ? BTN_PRIMARY : BTN_SECONDARY, action, arg);
    if (on) ui_check(u, x + ui_px(u, 12), y + h / 2, ui_px(u, 20), u->th->ink[INK_BUTTON_TEXT]);
    return h;
}

static int button_core(ui_ctx *u, int x, int y, int w, int h, int inset, int lead, const char *label,
                       const char *shown, btn_kind kind, int action, int arg) {
    const theme *th = u->th;
    int tx = x, tw_ = w; /* the target, answered to and described whole */
    x += inset;
    w -= 2 * inset;
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
    int pad = ui_px(u, 12);
    /* the words' room: the box less its padding, and less the lead at its left (less the padding it replaces) */
    int wx = x + (lead > pad ? lead - pad : 0), ww = w - (lead > pad ? lead - pad : 0);
    h = ui_button_height(u, shown, ww, h);
    int r = ui_px(u, 10);
    ren_fill_round(u->rn, x, y, w, h, r, bg);
    if (kind == BTN_SECONDARY) ren_frame_round(u->rn, x, y, w, h, r, ui_px(u, 2), th->ink[INK_CARD_BORDER]);
    if (kind == BTN_BAR || (kind == BTN_PRIMARY && th->ink[INK_BUTTON_BG] == th->ink[INK_BG]))
        ren_frame_round(u->rn, x, y, w, h, r, ui_px(u, 2), fg);
    int px = ui_font(u, DP_BODY);
    int style = ren_style(u->rn, REN_BOLD, px);
    int tw = ren_measure(u->rn, style, shown, strlen(shown));
    if (tw <= ww - 2 * pad) {
        int skip = ren_line_skip(u->rn, style);
        ren_text(u->rn, style, fg, shown, strlen(shown), wx + (ww - tw) / 2, y + (h - skip) / 2);
    } else {
        int lpx = px;
        int lstyle = fit_text(u, shown, REN_BOLD, &lpx, ww - 2 * pad, true);
        int th2 = (int)u->scratch.n_lines * (lpx * 135 / 100);
        draw_text(u, shown, lstyle, lpx, fg, wx + pad, y + (h - th2) / 2, -1);
    }
    view_add(u->view, ROLE_BUTTON, label, tx, y, tw_, h, action, arg);
    return h;
}

int ui_button(ui_ctx *u, int x, int y, int w, int h, const char *label, btn_kind kind, int action, int arg) {
    return ui_button_ex(u, x, y, w, h, label, label, kind, action, arg);
}

/* Cuts text to fit width with an ellipsis, never inside a UTF-8 sequence. */
const char *ui_elide(ui_ctx *u, const char *text, int style, int width, char *buf, size_t cap) {
    size_t len = strlen(text);
    if (ren_measure(u->rn, style, text, len) <= width) return text;
    int ell = ren_measure(u->rn, style, "…", strlen("…"));
    size_t cut = len;
    while (cut > 0 && ren_measure(u->rn, style, text, cut) + ell > width)
        cut = utf8_prev(text, cut);
    if (cut + 4 > cap) cut = utf8_prev(text, cap > 4 ? cap - 4 : 0);
    memcpy(buf, text, cut);
    memcpy(buf + cut, "…", strlen("…") + 1);
    return buf;
}

/* Two pause bars, s px tall, about (cx, cy). */
static void pause_bars(ui_ctx *u, int cx, int cy, int s, uint32_t ink) {
    int bw = s / 4;
    ren_fill(u->rn, cx - s / 3, cy - s / 2, bw, s, ink);
    ren_fill(u->rn, cx + s / 3 - bw, cy - s / 2, bw, s, ink);
}

/* A speaker with sound waves, or two pause bars, drawn (the bundled fonts have no such symbols). */
void ui_speaker_icon(ui_ctx *u, int x, int y, int w, int h, bool pause, uint32_t ink, uint32_t bg) {
    int s = (w < h ? w : h) * 5 / 10, cx = x + w / 2, cy = y + h / 2;
    if (pause) {
        pause_bars(u, cx, cy, s, ink);
        return;
    }
    int left = cx - s / 2, t = s / 12 > 1 ? s / 12 : 1;
    /* two waves: rings with their left halves painted over, drawn first so the speaker covers the rest */
    for (int k = 2; k >= 1; k--) {
        int r = s / 6 + k * s / 5, c = left + s / 4 + s / 3;
        ren_frame_round(u->rn, c - r, cy - r, 2 * r, 2 * r, r, t, ink);
        ren_fill(u->rn, c - r - 1, cy - r - 1, r + 2 + t, 2 * r + 2, bg);
    }
    ren_fill(u->rn, left, cy - s / 6, s / 4, s / 3, ink); /* the box */
    for (int i = 0; i <= s / 3; i++) {                    /* the cone, widening to the right */
        int half = s / 6 + i * (s / 2 - s / 6) / (s / 3 > 0 ? s / 3 : 1);
        ren_fill(u->rn, left + s / 4 + i, cy - half, 1, 2 * half, ink);
    }
}

void ui_play_icon(ui_ctx *u, int x, int y, int w, int h, bool pause, uint32_t ink) {
    /* pause bars or a play triangle, on any background */
    int s = (w < h ? w : h) * 5 / 10, cx = x + w / 2, cy = y + h / 2;
    if (pause) {
        pause_bars(u, cx, cy, s, ink);
    } else {
        for (int i = 0; i < s; i++) /* a triangle pointing right */
            ren_fill(u->rn, cx - s / 2 + i, cy - (s - i) / 2, 1, s - i, ink);
    }
}

void ui_progress(ui_ctx *u, int x, int y, int w, int h, int done, int total) {
    ren_fill_round(u->rn, x, y, w, h, h / 2, u->th->ink[INK_PROGRESS_BG]);
    if (total > 0 && done > 0) {
        int fw = (int)((long long)w * done / total);
        if (fw < h) fw = h;
        ren_fill_round(u->rn, x, y, fw, h, h / 2, u->th->ink[INK_PROGRESS]);
    }
}

/* Column width: the screen less margins, capped near MS_LAYOUT_MAX_COLUMN_CHARS average characters. */
int ui_column_width(ui_ctx *u, int px) {
    int style = ren_style(u->rn, REN_REGULAR, px);
    const char sample[] = "etaoinsrhldcumfpgwybvkxjqzæøå ETAOINSR";
    int avg = ren_measure(u->rn, style, sample, strlen(sample)) / (int)utf8_count(sample, strlen(sample));
    int cap = avg * MS_LAYOUT_MAX_COLUMN_CHARS;
    int avail = u->w - 2 * ui_margin(u);
    return avail < cap ? avail : cap;
}

/* A tick, so a chosen option is told by its shape and not only by its colour (WCAG 1.4.1). */
void ui_check(ui_ctx *u, int x, int cy, int size, uint32_t ink) {
    int t = size / 6 > 2 ? size / 6 : 2;
    for (int i = 0; i <= size / 3; i++) /* the short stroke, down to the right */
        ren_fill(u->rn, x + i, cy + i - t / 2, t, t, ink);
    for (int i = 0; i <= size * 2 / 3; i++) /* the long stroke, up to the right */
        ren_fill(u->rn, x + size / 3 + i, cy + size / 3 - i - t / 2, t, t, ink);
    view_mark(u->view, x, cy - size / 3 - t / 2, size / 3 + size * 2 / 3 + t + 1, size * 2 / 3 + t + 1);
}
