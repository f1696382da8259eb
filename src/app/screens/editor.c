/* editor.c — the editor: one text field, the on-screen keyboard, and a target that keeps the text.
 *
 * Whoever opens the editor gives it a target (screens.h: editor_target): the title, the size cap, how to load
 * the text and how to save it. The message to the therapist is a draft in the store; an exercise's field is a
 * part of its answers (exercise.c). Every change is saved before the next event is handled (one SQLite
 * transaction with synchronous=FULL), so a flat battery or kill -9 loses at most the keystroke being handled.
 * The patient's words never go to the log. editor_update lays out the keyboard and the field's lines, which is
 * what a tap or a drag in the field is measured against. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chrome.h"
#include "keyboard.h"
#include "meistring/edit.h"
#include "meistring/sync.h"
#include "meistring/utf8.h"
#include "pages.h"
#include "readaloud.h"
#include "screens.h"

/* The editor's state: one editor at a time, owned here (editor_close frees it). */
static editor_target target; /* what is being written, and where it is kept */
static edit ed;              /* the text, caret and undo */
static kb kbd;               /* the on-screen keyboard */
static bool write_saved;     /* the last change reached the store */
static int write_scroll;     /* px the field's text is scrolled up */
static int field_x, field_y, field_w, field_h; /* the field's text area */
static int field_line_h, field_style;
static int field_over_top, field_over_bottom; /* px the first line's accents and the last line's descenders reach
                                                * past them where the lines are tight (reach): kept in the field */
static int field_lines_y;                      /* the first line's top: field_y and the accents' room */
static int field_whole;                        /* whole lines the field holds (0: less than one) */
static int caret_drawn_x; /* the caret's x in the text area, as last drawn (editor_info) */
static int field_breaks;  /* field_layout's runs in the last editor_update (editor_info: one a frame is enough) */
static int n_field_lines, field_lines_cap;
static struct field_line {
    int start, end; /* bytes of the text on this line */
    int x;          /* px where the line starts, relative to field_x */
    bool hyphen;    /* a word wider than the line goes on on the next: a hyphen is drawn after this one */
    bool in_word;   /* the line ends inside a word (check-words judges it: view_break_note) */
} *field_lines;
static bool field_drag; /* a drag in the field selects */
static bool error_open; /* an error in the actions' row (g.error_row) asked whole: shown in the keys' place
                         * (draw_open_error) until it is closed, or a key, a letter or a tap in the field */
static bool title_open; /* the patient tapped a cut title: it is shown whole in the keys' place (draw_open_title),
                         * the field keeping its lines; a key, a letter typed or a tap puts it away */
static int goal_x = -1;   /* Up/Down: the x the caret keeps across lines (caret_vertical), -1: none yet */
static size_t goal_caret; /* ... while the caret stands where the last Up or Down left it */
static int bs_key = -1; /* the backspace key being held (index), -1: none */
static Uint32 bs_next;  /* when it repeats next */
static int bs_repeats;

/* The frame's geometry, worked out by editor_update and drawn by draw_write. */
typedef struct {
    int top, kb_y, side, ay, bw, bh, m, colw, fy, fh, px;
    int title_y, title_h, title_px; /* what is being written, in full above the field */
    int title_x, title_w;           /* over the field, or over the keyboard's column (arrange_right) */
    int label_px;                   /* the keys' letters */
    int read_px;                    /* the patient's reading size, which the field's text is unless it cannot */
    bool title_in_bar;              /* the title fits the bar whole; else it is over the field */
    bool title_cut;                 /* over the field, cut to its lines (a tap shows it whole) */
    int title_lines;                /* lines of it shown */
    bool beside;                    /* landscape: the actions in a column beside the field, not a row under it */
    int fx, fw, ux, uy, sx, sy, stx, sty, stw, sth; /* the field's box, undo, send, the status's room */
    int place;                      /* kb_place: where the keyboard is */
    int kb_x, kbw, key_h;           /* the keyboard's left edge, width and keys' height */
    int tx, ty, tw;                 /* the keyboard's switch («Skjul/Vis tastaturet»), as tall as the actions */
    int uw;                         /* undo's width (narrower where the switch shares its row) */
    bool status_top;                /* the status's words at the top of its room, not centred */
    int pad;                        /* between the field's frame and its text */
    bool compact;                   /* a phone at large text: the title in the bar, one slim line (lay_out) */
    int slim_x, slim_y, slim_w, slim_h, slim_px; /* compact: the slim line (under the field; landscape: over the
                                                  * keys), what happened to the text */
    const char *slim;               /* its words: the status, or the demonstration's line */
    bool demo_below;                /* compact in portrait: the demonstration's line is the slim line */
    bool alert_below;               /* compact: the slim line says that nothing can be stored, the banner goes */
    int ov_x, ov_y, ov_w, ov_h, ov_px; /* the opened title: the keys' room, and its type to fit there */
    int ov_bh;                         /* its «Skriv videre» (the keys back), under it */
    bool speak_row; /* compact in portrait: «Les høyt» in the actions' row (spx, spw), not the bar, whose room is the
                     * title's (a 360 dp phone at 400 %: with the speaker the bar has no room for it) */
    int spx, spw;
    bool error_row; /* an error's line (with its «Lukk») in the actions' row, which comes back when it is closed */
    bool slim_left; /* the keyboard's column (arrange_right): the slim line under the field, not over the keys */
} write_geom;
static write_geom g;
static bool kb_hidden; /* the patient put the keyboard away (a tap in the field brings it back) */

const kb *editor_keyboard(void) { return &kbd; }

void editor_info_get(editor_info *out) {
    out->key = target.key;
    out->text = edit_text(&ed);
    out->len = ed.len;
    out->caret = ed.caret;
    out->anchor = ed.anchor;
    out->shift = kbd.shift == KB_CAPS ? "caps" : kbd.shift == KB_ONCE ? "once" : "off";
    out->symbols = kbd.symbols;
    out->saved = write_saved;
    out->field_h = field_h;
    out->line_h = field_line_h;
    out->text_px = g.px;
    out->read_px = g.read_px;
    out->over = field_over_top + field_over_bottom;
    out->field_x = field_x;
    out->field_y = field_y;
    out->field_w = field_w;
    out->caret_px = caret_drawn_x;
    out->field_breaks = field_breaks;
}

/* Shift: an arrow up (with a bar under it when locked). Backspace: an arrow pointing left. The other half of a
 * split keyboard: an arrowhead towards it. New line, where its words do not fit: a hook arrow. */
static void draw_key_icon(app *a, const kb_key *k, uint32_t ink) {
    int s = (k->w < k->h ? k->w : k->h) * 45 / 100, cx = k->x + k->w / 2, cy = k->y + k->h / 2;
    int stem = s / 3 > 2 ? s / 3 : 2;
    if (k->kind == KB_SHIFT) {
        int top = cy - s / 2;
        for (int i = 0; i < s / 2; i++)
            ren_fill(a->rn, cx - i, top + i, 2 * i + 1, 1, ink);
        ren_fill(a->rn, cx - stem / 2, top + s / 2, stem, s / 2, ink);
        if (kbd.shift == KB_CAPS) ren_fill(a->rn, cx - s / 2, top + s + s / 6, s, stem / 2 + 1, ink);
    } else if (k->kind == KB_HALF) {
        int x0 = cx - s / 4;
        for (int i = 0; i < s / 2; i++) /* a solid arrowhead, pointing to the half not shown */
            ren_fill(a->rn, kbd.right ? x0 + i : x0 + s / 2 - 1 - i, cy - i, 1, 2 * i + 1, ink);
    } else if (k->kind == KB_ENTER) {
        int left = cx - s / 2, t = stem / 2 + 1;
        ren_fill(a->rn, cx + s / 2 - t, cy - s / 2, t, s / 2 + t / 2, ink); /* down, then to the left */
        ren_fill(a->rn, left + s / 4, cy - t / 2, s * 3 / 4, t, ink);
        for (int i = 0; i < s / 4; i++)
            ren_fill(a->rn, left + i, cy - i, 1, 2 * i + 1, ink);
    } else {
        int left = cx - s / 2;
        for (int i = 0; i < s / 2; i++)
            ren_fill(a->rn, left + i, cy - i, 1, 2 * i + 1, ink);
        ren_fill(a->rn, left + s / 2, cy - stem / 2, s / 2 + s / 4, stem, ink);
    }
}

static void draw_kb_key(app *a, int i) {
    const theme *th = a->th;
    const kb_key *k = &kbd.keys[i];
    bool on = k->kind == KB_SHIFT && kbd.shift != KB_LOWER;
    uint32_t bg = th->ink[on ? INK_BUTTON_BG : INK_CARD_BG], fg = th->ink[on ? INK_BUTTON_TEXT : INK_TEXT];
    int r = app_px(a, 8);
    ren_fill_round(a->rn, k->x, k->y, k->w, k->h, r, bg);
    ren_frame_round(a->rn, k->x, k->y, k->w, k->h, r, app_px(a, 2), th->ink[on ? INK_BUTTON_BG : INK_CARD_BORDER]);
    const char *label = k->text, *shown = k->text;
    int px = g.label_px, small = g.label_px * DP_SMALL / 26;
    char other[16], half_shown[32], half_name[128];
    switch (k->kind) {
    case KB_CHAR: break;
    case KB_SPACE:
        label = shown = app_tr(a, "kb.space");
        px = small;
        break;
    case KB_ENTER:
        label = shown = app_tr(a, "kb.enter");
        px = small;
        break;
    case KB_LAYER:
        label = app_tr(a, kbd.symbols ? "kb.letters" : "kb.symbols");
        shown = kbd.symbols ? "abc" : "123";
        px = g.label_px * DP_BODY / 26;
        break;
    case KB_SHIFT:
        label = app_tr(a, kbd.shift == KB_CAPS ? "kb.caps" : "kb.shift");
        shown = NULL;
        break;
    case KB_BACKSPACE:
        label = app_tr(a, "kb.backspace");
        shown = NULL;
        break;
    case KB_HALF: {
        /* the other half's letters and the way to them («y–å ›»): a bare arrowhead looked like «play», and said
         * nothing of what is there; its name begins with them (2.5.3) and says what it is */
        const char *args[1] = {kb_half_other(&kbd, other, sizeof other)};
        snprintf(half_shown, sizeof half_shown, kbd.right ? "‹ %s" : "%s ›", other);
        label =
            i18n_format(half_name, sizeof half_name, app_tr(a, kbd.right ? "kb.half_left" : "kb.half_right"), 1, args);
        shown = half_shown;
        px = g.label_px * DP_BODY / 26; /* as «123»: as large as fits its key */
        break;
    }
    }
    if (shown) {
        /* the label inside its key, whatever the text size: smaller until it fits (never below the smallest
         * interface text), and a drawn symbol where even that does not fit (new line on a phone's half) */
        ren_face face = k->kind == KB_CHAR ? REN_REGULAR : REN_BOLD;
        int room_w = k->w - app_px(a, 8), room_h = k->h - app_px(a, 4), least = ui_font(app_ui(a), 12);
        if (least > room_h * 7 / 10) least = room_h * 7 / 10; /* a phone on its side: keys under the target */
        if (least < app_px(a, 9)) least = app_px(a, 9);
        int st = ren_style(a->rn, face, px);
        int tw = ren_measure(a->rn, st, shown, strlen(shown));
        while ((tw > room_w || ren_line_skip(a->rn, st) > room_h) && px > least) {
            px = px * 9 / 10 > least ? px * 9 / 10 : least;
            st = ren_style(a->rn, face, px);
            tw = ren_measure(a->rn, st, shown, strlen(shown));
        }
        if (tw > room_w && (k->kind == KB_ENTER || k->kind == KB_HALF))
            draw_key_icon(a, k, fg);
        else if (tw > room_w) /* a space bar too narrow for its word: it is the widest key, so a bar shows it */
            ren_fill(a->rn, k->x + k->w / 4, k->y + k->h * 2 / 3, k->w / 2, app_px(a, 3), fg);
        else
            ren_text(a->rn, st, fg, shown, strlen(shown), k->x + (k->w - tw) / 2,
                     k->y + (k->h - ren_line_skip(a->rn, st)) / 2);
    } else {
        draw_key_icon(a, k, fg);
    }
    view_add(&a->view, ROLE_BUTTON, label, k->x, k->y, k->w, k->h, ACT_KEY, i);
}

static bool field_line_add(int start, int end, int x, bool hyphen, bool in_word) {
    if (n_field_lines == field_lines_cap) {
        int cap = field_lines_cap ? field_lines_cap * 2 : 64;
        struct field_line *n = realloc(field_lines, (size_t)cap * sizeof *n);
        if (!n) return false;
        field_lines = n;
        field_lines_cap = cap;
    }
    field_lines[n_field_lines++] = (struct field_line){start, end, x, hyphen, in_word};
    return true;
}

static int field_hyph(void *ctx, const char *word, size_t len, hyph_break *out, int max) {
    return hyph_breaks(ctx, word, len, out, max);
}

/* The measuring font for the field's text: a word wider than the line is hyphenated with the patterns, as on
 * pages (the 2/3 letters rule), and else cut with a hyphen drawn (layout.h); words that fit stay whole. */
static layout_font field_font(app *a) {
    layout_font lf = *ren_layout_font(a->rn);
    if (app_ui(a)->hyph) {
        lf.hyphenate = field_hyph;
        lf.hyph_ctx = (void *)app_ui(a)->hyph;
    }
    return lf;
}

/* Breaks the text into the field's lines (field_lines): each paragraph on its own, so an empty line after a
 * newline is a line the caret can stand on. */
static void field_layout(app *a, const char *t, int width) {
    field_breaks++;
    n_field_lines = 0;
    layout_font lf = field_font(a);
    size_t len = strlen(t), p = 0;
    for (;;) {
        size_t e = p;
        while (e < len && t[e] != '\n')
            e++;
        layout_run run = {t + p, e - p, field_style};
        layout_para *sc = &app_ui(a)->scratch;
        if (e > p && layout_paragraph(sc, &lf, &run, 1, width) && sc->n_lines) {
            for (size_t l = 0; l < sc->n_lines; l++) {
                const layout_line *ln = &sc->lines[l];
                const layout_frag *f0 = &sc->frags[ln->first], *f1 = &sc->frags[ln->first + ln->count - 1];
                size_t end = f1->off + f1->len;
                bool in_word = l + 1 < sc->n_lines && sc->frags[sc->lines[l + 1].first].off == end && end > 0 &&
                               t[p + end - 1] != ' ';
                field_line_add((int)(p + f0->off), (int)(p + end), f0->x, f1->hyphen, in_word);
            }
        } else {
            field_line_add((int)p, (int)p, 0, false, false);
        }
        if (e >= len) break;
        p = e + 1;
    }
}

/* The line the caret is on: the last line that starts at or before it (a wrapped line's start belongs to it). */
static int caret_line(size_t caret) {
    int line = 0;
    for (int i = 0; i < n_field_lines; i++)
        if ((size_t)field_lines[i].start <= caret) line = i;
    return line;
}

static int caret_x(const app *a, const char *t, size_t caret, int line) {
    const struct field_line *ln = &field_lines[line];
    size_t end = caret < (size_t)ln->end ? caret : (size_t)ln->end;
    return ln->x + ren_measure(a->rn, field_style, t + ln->start, end - (size_t)ln->start);
}

bool editor_part_box(const app *a, size_t start, size_t len, int *x, int *y, int *w, int *h, bool *whole) {
    const char *t = edit_text(&ed);
    int x0 = INT_MAX, y0 = INT_MAX, x1 = INT_MIN, y1 = INT_MIN;
    bool all = true;
    if (start + len > ed.len || !len) return false;
    for (int l = 0; l < n_field_lines; l++) {
        const struct field_line *ln = &field_lines[l];
        if ((size_t)ln->end <= start || (size_t)ln->start >= start + len) continue;
        int ly = field_lines_y + l * field_line_h - write_scroll;
        if (ly < field_lines_y || ly + field_line_h + field_over_bottom > field_y + field_h) { /* as draw_field */
            all = false;
            continue;
        }
        size_t s0 = start > (size_t)ln->start ? start : (size_t)ln->start;
        size_t s1 = start + len < (size_t)ln->end ? start + len : (size_t)ln->end;
        int lx0 = field_x + caret_x(a, t, s0, l), lx1 = field_x + caret_x(a, t, s1, l);
        if (lx0 < x0) x0 = lx0;
        if (lx1 > x1) x1 = lx1;
        if (ly < y0) y0 = ly;
        if (ly + field_line_h > y1) y1 = ly + field_line_h;
    }
    if (whole) *whole = all;
    if (x1 <= x0 || y1 <= y0) return false;
    *x = x0;
    *y = y0;
    *w = x1 - x0;
    *h = y1 - y0;
    return true;
}

/* The field's line height for text of px in the patient's family and spacing. */
static int line_h_for(app *a, int px, int *style) {
    *style = ren_style_family(a->rn, pages_family(a), REN_REGULAR, px);
    int lh = px * a->set.line_pct / 100;
    return lh < ren_line_skip(a->rn, *style) ? ren_line_skip(a->rn, *style) : lh;
}

/* Where the keyboard is. Under the field (and its actions) as on any tablet; to the right of the field in a
 * landscape window where under it the field cannot hold its lines of the patient's text (a tablet on its side at
 * 300–400 %: height is what is short and width is plenty, so the keyboard takes a column and shows one half of
 * its QWERTY rows at a time, as on a phone in portrait); or put away by the patient («Skjul tastaturet»). */
typedef enum { KBP_BELOW, KBP_RIGHT, KBP_HIDDEN } kb_place;

/* What every arrangement shares: the text's size (the patient's reading size, never less: issue 13), the keys'
 * heights from full down to the floor, the actions' widths. */
typedef struct {
    int label_px, gap, pad, agap, min_key_w, rows, key_full, key_least;
    int px, lh, style, capw, need, tgl;
    int act_h; /* the actions' least height: DP_BUTTON_SMALL, the touch target when compact */
    int skip;  /* the font's own line height, which a line tighter than it overhangs (compact) */
    int ascent, ink_above, ink_below; /* the font's ascent, and its ink's reach above and below the baseline */
    const char *act2;
} write_measures;

/* lay_out's try with the question over the field in up to MS_EDITOR_TITLE_LINES_ROOMY lines, in portrait */
static bool title_roomy;

/* The title's height at px in width fw, kept for the last few asked: lay_out tries it at up to three sizes and
 * widths a frame, and at the reading size a long word of it is set smaller step by step until it fits its column
 * (ui_text), which cost a phone at 400 % more than breaking its field's lines. Kept while the title, the window's
 * scale, the reading settings and the language are the same. */
static int title_height(app *a, int px, int fw) {
    static struct {
        int px, fw;
        double dp;
        settings set;
        const void *tr;
        char title[sizeof target.title];
        int h;
    } kept[4];
    static int next;
    for (int i = 0; i < 4; i++)
        if (kept[i].px == px && kept[i].fw == fw && kept[i].dp == a->dp && kept[i].tr == (const void *)a->tr &&
            memcmp(&kept[i].set, &a->set, sizeof a->set) == 0 && strcmp(kept[i].title, target.title) == 0)
            return kept[i].h;
    int h = ui_text_height(app_ui(a), target.title, REN_BOLD, px, fw);
    kept[next].px = px;
    kept[next].fw = fw;
    kept[next].dp = a->dp;
    kept[next].set = a->set;
    kept[next].tr = a->tr;
    memcpy(kept[next].title, target.title, sizeof target.title);
    kept[next].h = h;
    next = (next + 1) % 4;
    return h;
}

/* The editor's title over a field of width fw: cut to cap_lines unless the patient opened it. */
static void place_title(app *a, int x, int fw, int cap_lines) {
    if (title_roomy && cap_lines == MS_EDITOR_TITLE_LINES) cap_lines = MS_EDITOR_TITLE_LINES_ROOMY;
    g.title_x = x;
    g.title_w = fw;
    g.title_h = target.title[0] && !g.title_in_bar ? title_height(a, g.title_px, fw) : 0;
    int title_lh = g.title_px * 135 / 100;
    g.title_lines = title_lh > 0 ? (g.title_h + title_lh / 2) / title_lh : 0; /* 2 lines may be 94 px of 48 */
    g.title_cut = g.title_lines > cap_lines; /* opened, it is shown in the keys' place, not here */
    if (g.title_cut) {
        g.title_lines = cap_lines;
        g.title_h = cap_lines * title_lh;
        if (g.title_h < app_px(a, DP_TARGET)) g.title_h = app_px(a, DP_TARGET); /* it is a target */
    }
    g.title_y = g.top + app_px(a, 8);
}

/* The keyboard under the field, or put away: the actions in a row under the field (portrait) or a column beside
 * it (landscape); the keys give up height for the field's lines, down to the touch target; squeezed (the field
 * is short of its lines even so), the title over the field keeps one line, as in landscape (a tap opens it). */
static void arrange_below(app *a, const write_measures *w, bool hidden, bool squeezed) {
    int gap = w->gap, agap = w->agap;
    g.place = hidden ? KBP_HIDDEN : KBP_BELOW;
    g.m = ui_margin(app_ui(a));
    g.colw = a->w - 2 * g.m;
    g.beside = a->w > a->h; /* landscape: height is what is short, so the actions go beside the field */
    g.bw = g.beside ? app_px(a, 160) : g.colw / 4 > app_px(a, 120) ? g.colw / 4 : app_px(a, 120);
    if (g.bw < w->need) g.bw = w->need;
    if (!g.beside && 2 * g.bw + gap > g.colw) g.bw = (g.colw - gap) / 2;
    if (!g.beside && 2 * g.bw + w->tgl + 2 * agap > g.colw) g.bw = (g.colw - w->tgl - 2 * agap) / 2;
    int spw = g.speak_row && !g.beside ? app_px(a, DP_TARGET) : 0;
    if (spw && 2 * g.bw + w->tgl + spw + 3 * agap > g.colw) {
        /* «Les høyt» in the row too (compact): undo and send down to their words first, then the gaps to 4 dp */
        g.bw = (g.colw - w->tgl - spw - 3 * agap) / 2;
        if (g.bw < w->need) {
            agap = app_px(a, 4);
            g.bw = (g.colw - w->tgl - spw - 3 * agap) / 2;
        }
    }
    if (g.beside && g.bw > g.colw / 3) g.bw = g.colw / 3;
    g.bh = ui_button_height(app_ui(a), w->act2, g.bw, w->act_h);
    int uh = ui_button_height(app_ui(a), app_tr(a, "write.undo"), g.bw, w->act_h);
    if (uh > g.bh) g.bh = uh;
    g.fw = g.beside ? g.colw - g.bw - agap : g.colw;
    if (g.fw > w->capw) g.fw = w->capw;
    int group = g.beside ? g.fw + agap + g.bw : g.fw;
    g.fx = (a->w - group) / 2;
    if (g.fx < g.m) g.fx = g.m;
    place_title(a, g.fx, g.fw, g.beside || squeezed ? MS_EDITOR_TITLE_LINES_LANDSCAPE : MS_EDITOR_TITLE_LINES);
    g.m = g.fx;
    g.colw = group;
    /* the field's share: what is left over the keys at full height; the keys shrink to give it its lines */
    /* squeezed, the gaps around the field halve too (a phone's third line at 400 % with the keys put away) */
    int g8 = app_px(a, squeezed ? 4 : 8), g10 = app_px(a, squeezed ? 4 : 10), g12 = app_px(a, squeezed ? 6 : 12);
    if (g.compact) g8 = g10 = g12 = app_px(a, 2); /* compact: a 400 % phone's third line needs every px */
    int above = (g.title_h ? g.title_y + g.title_h : g.top) + g8;
    int below = g.side + g12 + (g.beside ? 0 : g10 + g.bh + g.slim_h);
    int want = MS_EDITOR_MIN_LINES * w->lh + 2 * w->pad;
    /* beside: the actions' column (undo, the keyboard's switch, send) runs from the title's top to the field's
     * bottom */
    int col_extra = g.title_h ? g.title_h + app_px(a, 8) : 0, n_act = g.bw - w->tgl - agap >= w->need ? 2 : 3;
    int col_need = n_act * g.bh + (n_act - 1) * agap;
    if (g.beside && want + col_extra < col_need) want = col_need - col_extra;
    int key_h = w->key_full, rows = hidden ? 0 : w->rows;
    if (rows * (key_h + gap) > a->h * 45 / 100) key_h = a->h * 45 / 100 / w->rows - gap;
    if (key_h < w->key_least) key_h = w->key_least;
    int kb_h = rows ? rows * (key_h + gap) - gap + g.side : 0;
    int room = a->h - above - below - kb_h;
    if (rows && room < want) {
        int kh = (a->h - above - below - want - g.side + gap) / rows - gap;
        key_h = kh > w->key_least ? kh : w->key_least;
        kb_h = rows * (key_h + gap) - gap + g.side;
    }
    g.key_h = key_h;
    g.kb_x = g.side;
    g.kbw = a->w - 2 * g.side;
    g.kb_y = rows ? a->h - kb_h : a->h; /* put away: the field and its actions go down to the window's foot */
    g.fy = above;
    g.status_top = g.beside;
    g.uw = g.bw;
    if (g.beside) {
        g.fh = g.kb_y - g.side - g12 - g.fy;
        g.ux = g.sx = g.stx = g.tx = g.fx + g.fw + agap;
        g.uy = g.title_h ? g.title_y : g.fy;
        if (g.bw - w->tgl - agap >= w->need) { /* the switch beside undo, so the status keeps its room */
            g.uw = g.bw - w->tgl - agap;
            g.tx = g.ux + g.uw + agap;
            g.ty = g.uy;
            g.tw = w->tgl;
        } else {
            g.ty = g.uy + g.bh + agap;
            g.tw = g.bw;
        }
        g.sy = g.fy + g.fh - g.bh;
        if (g.sy < g.ty + g.bh + agap) g.sy = g.ty + g.bh + agap;
        g.stw = g.bw;
        g.sty = g.ty + g.bh + app_px(a, 8);
        g.sth = g.sy - app_px(a, 8) - g.sty;
        if (g.slim_h) { /* compact (a tablet on its side): the slim line heads the status's room in the column */
            g.slim_x = g.stx;
            g.slim_y = g.sty;
            g.slim_w = g.stw;
            g.sty += g.slim_h + app_px(a, 8);
            g.sth -= g.slim_h + app_px(a, 8);
        }
    } else {
        g.ay = g.kb_y - g.side - g10 - g.bh;
        g.fh = g.ay - g12 - g.slim_h - g.fy;
        g.slim_y = g.fy + g.fh + g12 / 2;
        g.slim_x = g.fx;
        g.slim_w = g.fw;
        g.ux = g.fx;
        g.sx = g.fx + g.fw - g.bw;
        g.uy = g.sy = g.sty = g.ty = g.ay;
        g.tx = g.fx + g.bw + agap;
        g.tw = w->tgl;
        g.spx = g.tx + w->tgl + agap;
        g.spw = spw;
        g.stx = g.spx + (spw ? spw + agap : 0);
        g.stw = g.sx - agap - g.stx;
        g.sth = g.bh;
    }
}

/* The keyboard in a column at the right (landscape at large text): one half of its rows at a time, the actions
 * over it, the field with its title in the rest of the width, as tall as the window allows. */
static void arrange_right(app *a, const write_measures *w, bool hidden, bool title_right) {
    int gap = w->gap, agap = w->agap;
    g.place = hidden ? KBP_HIDDEN : KBP_RIGHT; /* put away: the column keeps the actions, the field its place */
    g.beside = false;
    g.status_top = true;
    int half_w = 6 * (w->min_key_w + gap) - gap; /* kb_layout splits below 11 keys of min_key_w */
    g.bw = w->need;
    int row_w = 2 * g.bw + w->tgl + 2 * agap;
    g.kbw = half_w > row_w ? half_w : row_w;
    g.kb_x = a->w - g.side - g.kbw;
    g.m = ui_margin(app_ui(a));
    g.fx = g.m;
    g.fw = g.kb_x - agap - g.fx;
    if (g.fw > w->capw) g.fw = w->capw;
    g.colw = g.fw;
    if (title_right) /* over the actions, where the keys at the touch target leave room: the field its height */
        place_title(a, g.kb_x, g.kbw, MS_EDITOR_TITLE_LINES);
    else
        place_title(a, g.fx, g.fw, MS_EDITOR_TITLE_LINES_LANDSCAPE);
    int g8 = app_px(a, g.compact ? 4 : 8), g12 = app_px(a, g.compact ? 6 : 12); /* compact: the gaps halve */
    g.fy = (g.title_h && !title_right ? g.title_y + g.title_h : g.top) + g8;
    g.fh = a->h - g12 - g.fy;
    if (g.slim_h && g.slim_left) { /* under the field, where it costs the field no line (compact_right) */
        g.fh -= g.slim_h + app_px(a, 4);
        g.slim_x = g.fx;
        g.slim_y = g.fy + g.fh + app_px(a, 4);
        g.slim_w = g.fw;
    }
    /* the actions in a row over the keys: undo, the keyboard's switch, send */
    g.bw = (g.kbw - w->tgl - 2 * agap) / 2;
    g.bh = ui_button_height(app_ui(a), w->act2, g.bw, w->act_h);
    int uh = ui_button_height(app_ui(a), app_tr(a, "write.undo"), g.bw, w->act_h);
    if (uh > g.bh) g.bh = uh;
    g.ux = g.kb_x;
    g.uw = g.bw;
    g.sx = g.kb_x + g.kbw - g.bw;
    g.tx = g.ux + g.bw + agap;
    g.tw = w->tgl;
    g.uy = g.sy = g.ty = (g.title_h && title_right ? g.title_y + g.title_h : g.top) + g8;
    /* the keyboard's panel clear of the actions: 6 px, 4 where compact (568x320: keys of 47 px, not 46) */
    int kb_top = g.uy + g.bh + app_px(a, g.compact ? 8 : 10);
    if (g.slim_h && !g.slim_left) { /* compact in the demonstration: its line between the actions and the keys */
        g.slim_x = g.kb_x;
        g.slim_w = g.kbw;
        g.slim_y = g.uy + g.bh + app_px(a, 4);
        kb_top = g.slim_y + g.slim_h + app_px(a, 6);
    }
    int key_h = (a->h - g.side - kb_top + gap) / w->rows - gap;
    if (key_h > w->key_full) key_h = w->key_full;
    /* a phone on its side at 400 %: the field's one line comes first; the keys keep WCAG 2.5.8's 24 px */
    if (key_h < app_px(a, 24)) key_h = app_px(a, 24);
    g.key_h = key_h;
    g.kb_y = a->h - g.side - (w->rows * (key_h + gap) - gap); /* at the foot, where the thumbs are */
    g.stx = g.kb_x;
    g.sty = kb_top;
    g.stw = g.kbw;
    g.sth = g.kb_y - g.side - g.sty;
}

/* What happened to the text, said between the actions: saved, not saved, full, or nothing while it is empty. On a
 * slim line (line: a phone's, under the field) a full text says so in a few words, which fit the line: a message
 * «Meldingen er full.», an exercise's answer (no «Send» there, and not a message) «Svaret er fullt.» */
static bool write_full(void) { return ed.len + 4 >= ed.max; }

/* What happened to the text is an alert (said in the alert's ink, and always said, where «Lagret» may go unsaid):
 * nothing can be stored, it was not saved, or it is full. */
static bool write_alert(const app *a) { return a->memory_only || !write_saved || write_full(); }

static const char *write_status_as(app *a, bool line) {
    bool full = write_full();
    return a->memory_only ? app_tr(a, "write.memory_only")
           : !write_saved ? app_tr(a, "write.not_saved")
           : full         ? app_tr(a, target.can_send ? (line ? "write.full_line" : "write.full")
                                                      : (line ? "write.full_answer_line" : "write.full_answer"))
           : ed.len > 0   ? app_tr(a, "write.saved")
                          : "";
}

static const char *write_status(app *a) { return write_status_as(a, false); }

/* Where the field's lines are tighter than the font's own line height (compact), each line's text, centred on
 * it as drawn (draw_all: skip_pad), may reach past it: the first line's accented capitals above (OpenDyslexic's
 * «É» by 17 px at 400 %), the last line's descenders below (Noto's «g» by 4 px). The field keeps that room, so no
 * letter of a whole line is cut; px of the tallest and deepest ink, from the font (ren_ink_reach). */
static void reach(const write_measures *w, int lh, int *top, int *bottom) {
    /* 2 px clear of the field's edge besides: a glyph's antialiased edge runs a pixel past its metrics */
    int skip_pad = (lh - w->skip) / 2, t = w->ink_above - w->ascent - skip_pad + 2;
    int b = skip_pad + w->ascent + w->ink_below - lh + 2;
    *top = t > 0 ? t : 0;
    *bottom = b > 0 ? b : 0;
}

static int overhang(const write_measures *w, int lh) {
    int t, b;
    reach(w, lh, &t, &b);
    return t + b;
}

/* The whole lines of the patient's text the arranged field holds (-1: the arrangement does not fit the window).
 * The field's padding gives up its room first where that makes one more line (a phone's three lines at 400 %
 * with the keys put away are 9 px short of it). */
static int field_whole_lines(const app *a, const write_measures *w) {
    if (g.beside && g.sy + g.bh > g.kb_y - g.side) return -1; /* the actions' column runs into the keys */
    if (g.place == KBP_RIGHT && g.uy + g.bh + app_px(a, 4) > g.kb_y - g.side) return -1; /* the actions over them */
    if (g.place == KBP_RIGHT && g.slim_h && !g.slim_left && g.slim_y + g.slim_h > g.kb_y - g.side)
        return -1; /* the slim line too */
    g.pad = w->pad;
    int over = overhang(w, w->lh);
    int lines = (g.fh - 2 * g.pad - over) / w->lh, least = app_px(a, 4);
    if (g.fh - 2 * least - over >= (lines + 1) * w->lh) {
        lines++;
        int p = (g.fh - over - lines * w->lh) / 2;
        g.pad = p < w->pad ? p : w->pad;
    }
    return g.fh - 2 * g.pad > 0 ? lines : 0;
}

/* What the slim line of a compact editor says: an alert first (not saved, full, memory only), then the
 * demonstration's line where there is one (its banner has no room), else the status («Lagret på nettbrettet»). */
static const char *slim_words(app *a) {
    const char *status = write_status_as(a, true), *demo = chrome_demo_line(a);
    /* nothing can be stored: the banner's words, short, as one line (the banner gives the field its room) */
    if (a->memory_only) return app_tr(a, "write.memory_only_line");
    bool alert = write_alert(a); /* memory_only is handled above */
    return alert || !demo ? status : demo;
}

/* The tallest line height at which MS_EDITOR_MIN_LINES lines and their overhang (reach) fit in room px of text
 * area (field_whole_lines). */
static int three_lines_h(const write_measures *w, int room) {
    int n = MS_EDITOR_MIN_LINES, lh = room / n;
    while (lh > 1 && n * lh + overhang(w, lh) > room)
        lh--;
    return lh;
}

/* The arranged field's lines at the tallest spacing that gives it MS_EDITOR_MIN_LINES, down to
 * MS_EDITOR_LEAST_LINE_PCT of the text's size; short of them even so, at the patient's own spacing (own_lh). The
 * whole lines it then holds. */
static int tight_lines(const app *a, write_measures *w, int own_lh) {
    int least = app_px(a, 4), lh_least = w->px * MS_EDITOR_LEAST_LINE_PCT / 100;
    int lh = three_lines_h(w, g.fh - 2 * least);
    if (lh > w->lh) lh = w->lh;
    if (lh < lh_least) lh = lh_least;
    w->lh = lh;
    int lines = field_whole_lines(a, w);
    if (lines < MS_EDITOR_MIN_LINES) {
        /* short of them even so (a message line over the field): the patient's own spacing, unless the tight one
         * shows more of their words (two lines, not one, under an error at 400 %) */
        w->lh = own_lh;
        int own = field_whole_lines(a, w);
        if (own >= lines) return own;
        w->lh = lh;
        lines = field_whole_lines(a, w);
    }
    return lines;
}

/* The slim line's type: the small interface text, smaller until its words fit one line of width and that line
 * fits room (px) beside the field's three lines; never below the smallest interface text. */
static int slim_fit(app *a, const char *words, int width, int room) {
    int px = ui_font(app_ui(a), DP_SMALL), least = ui_font(app_ui(a), 12), st = ren_style(a->rn, REN_BOLD, px);
    while ((ren_measure(a->rn, st, words, strlen(words)) > width || ren_line_skip(a->rn, st) > room) && px > least) {
        px = px * 9 / 10 > least ? px * 9 / 10 : least;
        st = ren_style(a->rn, REN_BOLD, px);
    }
    return px;
}

/* A phone in portrait at large text whose field is short of its three lines with the keys up: the editor goes
 * compact. The title moves into the bar (back is its arrow; the bar shortens a long title, and a tap on it shows
 * it whole in the keys' room: ACT_SHOW_TITLE), the demonstration's banner gives its place to one slim line under the
 * field (which says what happened to the text, or that this is a demonstration), the keys come down to the touch
 * target, and the field's line spacing gives way down to MS_EDITOR_LEAST_LINE_PCT, the text keeping the patient's
 * size. Returns the whole lines the field then holds; where that is no more than before, the editor is as it was. */
static int compact(app *a, write_measures *w) {
    write_geom before = g;
    write_measures wb = *w;
    int lines_before = field_whole_lines(a, w);
    g.compact = true;
    g.side = app_px(a, 4);
    a->bar_compact = true;
    /* the banner leaves the top for the slim line, which says it, or an alert in its place (a full text, one not
     * saved: what the patient must know now); the demonstration's line is back there once the alert goes. An alert
     * that brought the banner back over the field took a line of the three (a 360 dp phone at 400 %) */
    g.slim = slim_words(a);
    a->demo_line_below = g.demo_below = chrome_demo_line(a) && (g.slim == chrome_demo_line(a) || write_alert(a));
    /* nothing can be stored: the slim line says so (write.memory_only, in the alert's ink, as long as it lasts), so
     * the banner that says it at length gives the field its room, as the demonstration's does */
    a->alert_line_below = g.alert_below = a->memory_only;
    /* «Les høyt» is in the bar as on every screen, unless its room there is what lets the question sit in the bar:
     * then it joins the actions' row, which compact leaves free between the keyboard's switch and «Send» (what
     * happened to the text is the slim line) */
    g.speak_row = readaloud_offered(a) && chrome_topbar_shows_title(a, true, false) &&
                  !chrome_topbar_shows_title(a, true, true);
    g.top = chrome_topbar_height(a, true, !g.speak_row);
    /* where the bar has no room for a title at all, it stays over the field, one line */
    g.title_in_bar = chrome_topbar_shows_title(a, true, !g.speak_row);
    w->gap = app_px(a, 4);
    w->act_h = app_px(a, DP_TARGET);
    /* first without the slim line: the field's width, which its words must fit, and the room it may take */
    arrange_below(a, w, false, true);
    int least = app_px(a, 4), lh_least = w->px * MS_EDITOR_LEAST_LINE_PCT / 100;
    int spare = g.fh - 2 * least - MS_EDITOR_MIN_LINES * lh_least - overhang(w, lh_least);
    /* its room is kept while it says nothing (an empty text), so the field does not jump at the first letter */
    const char *sized = g.slim[0] ? g.slim : app_tr(a, "write.saved");
    /* a tablet on its side: the slim line is in the actions' column (arrange_below), its words wrapped there */
    int slim_w = g.beside ? g.bw : g.fw;
    g.slim_px = g.beside ? ui_font(app_ui(a), DP_SMALL) : slim_fit(a, sized, slim_w, spare - app_px(a, 4));
    /* one line; an alert that does not fit one takes the lines it needs */
    g.slim_h = ui_text_height(app_ui(a), sized, REN_BOLD, g.slim_px, slim_w) + app_px(a, 4);
    arrange_below(a, w, false, true);
    int lines = tight_lines(a, w, wb.lh);
    /* a tie keeps the editor as it was */
    if (lines <= lines_before) {
        g = before;
        *w = wb;
        g.compact = false; /* and its status line as it was (lay_out: a phone's row with no room for it) */
        lines = lines_before;
    }
    a->bar_compact = false;
    a->demo_line_below = false;
    a->alert_line_below = false;
    return lines;
}

/* A phone on its side at large text, the keyboard in a column at the right (arrange_right) and the field short of
 * its lines or the keys under the touch target (35 px at 400 % on 640x360): compact too. The title goes into the
 * bar, which has the width for it (a long question is shortened there, and a tap shows it whole in the keys'
 * room), so the column's keys come up to the touch target, and the field's line spacing gives way down to
 * MS_EDITOR_LEAST_LINE_PCT for its third line. The demonstration's one line stays under the bar. Kept where it
 * holds more lines, or as many with taller keys. */
static int compact_right(app *a, write_measures *w, int lines_before) {
    write_geom before = g;
    write_measures wb = *w;
    g.compact = true;
    a->bar_compact = true;
    /* the demonstration's line leaves the top for the keyboard's column, under the actions: the field its height
     * (an alert in its place keeps the banner up) */
    g.slim = slim_words(a);
    /* an alert on the slim line replaces the demonstration's line there, as in portrait (compact) */
    a->demo_line_below = g.demo_below = chrome_demo_line(a) && (g.slim == chrome_demo_line(a) || write_alert(a));
    a->alert_line_below = g.alert_below = a->memory_only; /* said on the slim line, as in portrait (compact) */
    g.top = chrome_topbar_height(a, true, !g.speak_row);
    g.title_in_bar = chrome_topbar_shows_title(a, true, !g.speak_row);
    w->gap = app_px(a, 4);
    w->act_h = app_px(a, DP_TARGET);
    arrange_right(a, w, false, false);
    /* an alert (a full text, one not saved) has the slim line too: the row between the actions and the keys has no
     * room for it there (a phone on its side said nothing while the typing went into nothing) */
    bool alert = g.slim && g.slim[0] && !g.demo_below && write_alert(a);
    if (g.demo_below || g.alert_below || alert) {
        g.slim_px = slim_fit(a, g.slim[0] ? g.slim : app_tr(a, "write.saved"), g.kbw, app_px(a, 40));
        g.slim_h = ui_text_height(app_ui(a), g.slim[0] ? g.slim : app_tr(a, "write.saved"), REN_BOLD, g.slim_px,
                                  g.kbw);
        arrange_right(a, w, false, false);
    } else {
        g.slim = NULL; /* a clinic's tablet: the status keeps its room between the actions and the keys */
    }
    int lines = tight_lines(a, w, wb.lh);
    if (g.slim_h) {
        /* the slim line under the field instead, where the field keeps its lines and the keys gain its room (a
         * phone on its side under 360 px: 41 px keys under it in the column, 47–48 without) */
        write_geom col = g;
        write_measures wc = *w;
        *w = wb;
        w->gap = app_px(a, 4);
        w->act_h = app_px(a, DP_TARGET);
        g.slim_left = true;
        const char *sized = g.slim[0] ? g.slim : app_tr(a, "write.saved");
        g.slim_px = slim_fit(a, sized, g.fw, app_px(a, 40));
        g.slim_h = ui_text_height(app_ui(a), sized, REN_BOLD, g.slim_px, g.fw);
        arrange_right(a, w, false, false);
        int left = tight_lines(a, w, wb.lh), keep = lines < MS_EDITOR_MIN_LINES ? lines : MS_EDITOR_MIN_LINES;
        if (left < keep || g.key_h <= col.key_h) {
            g = col;
            *w = wc;
        } else {
            lines = left;
        }
    }
    if (lines < lines_before || (lines == lines_before && g.key_h <= before.key_h)) {
        g = before;
        *w = wb;
        g.compact = false;
        g.demo_below = false;
        g.alert_below = false;
        lines = lines_before;
    }
    a->bar_compact = false;
    a->demo_line_below = false;
    a->alert_line_below = false;
    return lines;
}

/* The opened title's room: the keyboard's (under the field, or its column at the right), so the field keeps its
 * lines of the patient's text while the question is read (a phone at 400 % showed it over the field, which kept
 * one line, or less than one on its side); its type the patient's reading size, smaller until it fits (never below
 * the smallest interface text). */
static void open_title_room(app *a) {
    int side = g.side;
    g.ov_x = g.place == KBP_RIGHT ? g.kb_x - side : 0;
    g.ov_y = g.kb_y - side;
    g.ov_w = a->w - g.ov_x;
    g.ov_h = a->h - g.ov_y;
    int pad = app_px(a, 12), least = ui_font(app_ui(a), 12), px = g.read_px > g.title_px ? g.read_px : g.title_px;
    g.ov_bh = ui_button_height(app_ui(a), app_tr(a, "write.title_close"), g.ov_w - 2 * pad, app_px(a, DP_TARGET));
    int room = g.ov_h - 3 * pad - g.ov_bh;
    while (px > least && ui_text_height(app_ui(a), target.title, REN_BOLD, px, g.ov_w - 2 * pad) > room)
        px = px * 9 / 10 > least ? px * 9 / 10 : least;
    g.ov_px = px;
}

/* Lays the editor out: the keyboard (QWERTY rows; its labels have their own cap, so large text does not make keys
 * that push the field off the screen), the actions, what is being written in full, and the field, whose text is
 * always the patient's reading size (issue 13: never smaller, whatever the screen) and which holds
 * MS_EDITOR_MIN_LINES lines of it with the keys up: the keys give up height first (down to the touch target),
 * then, in landscape, the keyboard moves beside the field (arrange_right), and on a phone in portrait at 300–400 %
 * (three lines of 80 px text at 150 % are more than half of a 640 px screen) the editor goes compact (compact():
 * the title in the bar, a slim status line, the line spacing down to MS_EDITOR_LEAST_LINE_PCT). Where even that
 * cannot hold three lines (a 320 px phone, whose bar has no room for the title; an opened title), the field holds
 * the whole lines that fit, scrolled so the caret's line is always in view, and the keyboard's switch («Skjul
 * tastaturet») puts the keys away to read back what was written; a tap in the field (or «Vis tastaturet») brings
 * them back, as on a phone. Smaller text is what the patient chose 400 % against, and keys smaller than the touch
 * target are missed by the hands that need large text most (only a phone on its side at 400 %, 360 px tall, has
 * keys under it: there no arrangement holds 48 dp keys and one line of 80 px text). In a wide window the field
 * (and its actions) is a column of at most MS_EDITOR_MAX_LINE_EM em. The text is broken into the field's lines
 * after it (field_settle), once whatever editor_update lays out. */
static void lay_out_as(app *a, bool title_ui) {
    write_measures w;
    g.compact = false;
    g.demo_below = false;
    g.alert_below = false;
    g.slim_left = false;
    g.slim_h = 0;
    g.slim = NULL;
    g.speak_row = false;
    g.spw = 0;
    g.top = chrome_topbar_height(a, true, !g.speak_row);
    w.label_px = ui_font(app_ui(a), 26);
    w.gap = app_px(a, 6);
    w.pad = app_px(a, 12);
    w.agap = app_px(a, 12);
    if (w.label_px > app_px(a, MS_KB_LABEL_MAX_DP)) w.label_px = app_px(a, MS_KB_LABEL_MAX_DP);
    g.label_px = w.label_px;
    g.side = app_px(a, 6);
    /* a 320 dp phone: a half-row's six keys reach the touch target only with 4 dp around them (46 px at 6) */
    if ((a->w - 2 * g.side + w.gap) / 6 - w.gap < app_px(a, DP_TARGET)) w.gap = g.side = app_px(a, 4);
    w.min_key_w = w.label_px * 135 / 100 > app_px(a, DP_TARGET) ? w.label_px * 135 / 100 : app_px(a, DP_TARGET);
    w.rows = kb_rows(&kbd, a->w - 2 * g.side, w.min_key_w, w.gap);
    w.key_full = w.label_px * 2 + app_px(a, 4);
    if (w.key_full < app_px(a, 54)) w.key_full = app_px(a, 54);
    w.key_least = app_px(a, DP_TARGET); /* the labels shrink to fit (draw_kb_key); the keys stay targets */
    w.tgl = app_px(a, DP_TARGET) + app_px(a, 8);
    w.act_h = app_px(a, DP_BUTTON_SMALL);
    /* the text: the patient's reading size, in a column no wider than MS_EDITOR_MAX_LINE_EM em of it */
    w.px = pages_read_px(a, DP_BODY);
    g.read_px = w.px;
    w.lh = line_h_for(a, w.px, &w.style);
    w.skip = ren_line_skip(a->rn, w.style);
    w.ascent = ren_ascent(a->rn, w.style);
    ren_ink_reach(a->rn, w.style, &w.ink_above, &w.ink_below);
    w.capw = w.px * MS_EDITOR_MAX_LINE_EM + 2 * w.pad + app_px(a, 4);
    /* the actions: undo, what happened to the text, send (or «Ferdig» for an exercise's field); wide enough for
     * their words on one line */
    w.act2 = app_tr(a, target.can_send ? "write.send" : "write.done");
    int bst = ren_style(a->rn, REN_BOLD, ui_font(app_ui(a), DP_BODY));
    w.need = ren_measure(a->rn, bst, app_tr(a, "write.undo"), strlen(app_tr(a, "write.undo")));
    int need2 = ren_measure(a->rn, bst, w.act2, strlen(w.act2));
    if (need2 > w.need) w.need = need2;
    w.need += 2 * app_px(a, 12) + 2;
    /* what is being written (a message, a question of an exercise), in full: the bar has no room for it; at the
     * patient's reading size where the field keeps its lines under it (lay_out) */
    g.title_px = title_ui ? ui_font(app_ui(a), DP_SMALL + 1) : pages_read_px(a, DP_SMALL + 1);
    int bar_st = ren_style(a->rn, REN_BOLD, ui_font(app_ui(a), DP_BODY));
    g.title_in_bar =
        ren_measure(a->rn, bar_st, target.title, strlen(target.title)) <= chrome_topbar_title_room(a, true, !g.speak_row);
    /* the opened title takes the keys' room (draw_open_title): the keys put away come back for it, the field's
     * lines stay as they are with the keys up */
    bool hidden = kb_hidden && !title_open && !error_open;
    /* under the field; if that leaves it short of its lines, with the switch shown, and in landscape beside it */
    arrange_below(a, &w, hidden, false);
    const char *said = write_status_as(a, true);
    int narrow = g.fw - 2 * w.need - w.tgl - 3 * w.agap, row = g.stw > narrow ? g.stw : narrow;
    bool alert = write_alert(a);
    if (!g.beside && alert &&
        (row < app_px(a, 60) ||
         ui_text_height(app_ui(a), said, REN_REGULAR, ui_font(app_ui(a), DP_SMALL), row) > g.sth)) {
        /* a phone whose actions' row has no room for what happened to the text, even in its few words (360 dp at
         * 100 %: «Meldingen er full.» was never shown, and typing went on into nothing): a slim line under the
         * field, as compact's; a calm «Lagret på nettbrettet» keeps the field its room instead */
        g.slim = said;
        g.slim_px = ui_font(app_ui(a), DP_SMALL);
        g.slim_h = ui_text_height(app_ui(a), said, REN_BOLD, g.slim_px, g.fw) + app_px(a, 4);
        arrange_below(a, &w, hidden, false);
    }
    int lines = field_whole_lines(a, &w);
    if (lines < MS_EDITOR_MIN_LINES) {
        arrange_below(a, &w, hidden, true);
        lines = field_whole_lines(a, &w);
        if (a->w > a->h && !hidden && 11 * w.min_key_w + 10 * app_px(a, 4) <= a->w - 2 * app_px(a, 4)) {
            /* a tablet on its side at large text (1280x800 at 400 %): the whole QWERTY under the field at the touch
             * target, compact (the demonstration's line in the actions' column, the lines' spacing down to
             * MS_EDITOR_LEAST_LINE_PCT), rather than half of it in a column: no half to switch to for every other
             * letter. Kept only where the field then holds its three lines */
            write_geom keep = g;
            write_measures wk = w;
            int c = compact(a, &w);
            if (c >= MS_EDITOR_MIN_LINES && g.compact) {
                lines = c;
            } else {
                g = keep;
                w = wk;
            }
        }
        for (int title_right = 0; title_right < 2 && a->w > a->h && lines < MS_EDITOR_MIN_LINES; title_right++) {
            write_geom best = g;
            arrange_right(a, &w, hidden, title_right);
            int r = field_whole_lines(a, &w);
            if (r <= lines) g = best; /* a tie keeps the whole QWERTY under the field */
            else lines = r;
        }
    }
    if (lines < MS_EDITOR_MIN_LINES && !hidden && a->w <= a->h) {
        int c = compact(a, &w);
        if (c > lines) lines = c;
    } else if (g.place == KBP_RIGHT && (lines < MS_EDITOR_MIN_LINES || g.key_h < app_px(a, DP_TARGET))) {
        lines = compact_right(a, &w, lines);
    } else if (g.place == KBP_BELOW && a->w > a->h && lines < MS_EDITOR_MIN_LINES && !hidden) {
        /* a phone on its side where neither arrangement fits at all (568x320 under the banner of a tablet that
         * cannot store: the field was −100 px, under the keys): the column, compact, which fits */
        write_geom keep = g;
        write_measures wk = w;
        arrange_right(a, &w, hidden, false);
        int r = field_whole_lines(a, &w);
        int c = compact_right(a, &w, r);
        if (c > lines) {
            lines = c;
        } else {
            g = keep;
            w = wk;
        }
    }
    if (g.place == KBP_RIGHT && !g.slim_h && alert && said[0] &&
        ui_text_height(app_ui(a), said, REN_REGULAR, ui_font(app_ui(a), DP_SMALL), g.kbw) > g.sth) {
        /* the keyboard's column with no room between the actions and the keys for an alert (a phone on its side at
         * 100 %: a full message said nothing): a slim line there, the keys a little lower */
        bool title_right = g.title_h && g.title_x == g.kb_x;
        g.slim = said;
        g.slim_px = slim_fit(a, said, g.kbw, app_px(a, 40));
        g.slim_h = ui_text_height(app_ui(a), said, REN_BOLD, g.slim_px, g.kbw);
        arrange_right(a, &w, hidden, title_right);
        lines = field_whole_lines(a, &w);
    }
    /* a phone's field short of its lines holds whole ones: what is over them goes back to the keys */
    if (g.place == KBP_BELOW && !g.beside && lines >= 1 && lines < MS_EDITOR_MIN_LINES) {
        int slack = g.fh - 2 * g.pad - lines * w.lh - overhang(&w, w.lh), grow = slack / w.rows;
        if (grow > w.key_full - g.key_h) grow = w.key_full - g.key_h;
        if (grow > 0) {
            int d = grow * w.rows;
            g.key_h += grow;
            g.kb_y -= d;
            g.fh -= d;
            g.ay -= d;
            g.uy -= d;
            g.sy -= d;
            g.sty -= d;
            g.ty -= d;
            g.slim_y -= d;
        }
    }
    /* the row under the field: undo and send give the status their width down to their words' (a tablet's
     * «Kunne ikke lagre …» needs two lines' room beside the keyboard's switch) */
    const char *status = write_status(a);
    int st_px = ui_font(app_ui(a), DP_SMALL);
    narrow = g.fw - 2 * w.need - w.tgl - 3 * w.agap;
    if (narrow < app_px(a, 60) || ui_text_height(app_ui(a), status, REN_REGULAR, st_px, narrow) > g.sth)
        status = write_status_as(a, true); /* a phone: «Meldingen er full.», which fits where the whole does not */
    if (!g.beside && g.place != KBP_RIGHT && !g.speak_row && status[0] && g.bw > w.need && narrow > app_px(a, 60) &&
        ui_text_height(app_ui(a), status, REN_REGULAR, st_px, g.stw) > g.sth &&
        ui_text_height(app_ui(a), status, REN_REGULAR, st_px, narrow) <= g.sth) {
        g.bw = g.uw = w.need;
        g.sx = g.fx + g.fw - g.bw;
        g.tx = g.fx + g.bw + w.agap;
        g.stx = g.tx + w.tgl + w.agap;
        g.stw = g.sx - w.agap - g.stx;
    }
    /* a title shown whole where nothing shortens it (the window turned) has nothing to open */
    if (title_open && !g.title_cut && !(g.compact && g.title_in_bar)) title_open = false;
    if (title_open || error_open) open_title_room(a);
    if (hidden || title_open || error_open) {
        kbd.n = 0; /* no keys to draw, tap or describe */
        kbd.height = 0;
    } else {
        kb_layout(&kbd, g.kb_x, g.kb_y, g.kbw, g.key_h, w.min_key_w, w.gap);
    }
    int pad = g.pad;
    field_x = g.fx + pad;
    field_y = g.fy + pad;
    field_w = g.fw - 2 * pad;
    field_h = g.fh - 2 * pad;
    g.px = w.px;
    field_style = w.style;
    field_line_h = w.lh;
    reach(&w, field_line_h, &field_over_top, &field_over_bottom);
    field_lines_y = field_y + field_over_top;
    field_whole = (field_h - field_over_top - field_over_bottom) / (field_line_h > 0 ? field_line_h : 1);
}

/* The text broken into the field's lines as lay_out left it, and the caret's line scrolled into view: once a
 * frame, after the geometry is settled (a long text at 400 % under an error was broken twice, once for a layout
 * editor_update then threw away). */
static void field_settle(app *a) {
    const char *t = edit_text(&ed);
    field_layout(a, t, field_w - app_px(a, 4)); /* room for the caret at the end of a full line */
    /* keep the caret's line in view, scrolled by whole lines: no shard of a line cut at the field's top */
    int cl = caret_line(ed.caret), whole = field_whole;
    if (whole < 1) whole = 1;
    int first = write_scroll / (field_line_h > 0 ? field_line_h : 1);
    /* while read-aloud says a sentence of the words, the field shows that sentence (where it is longer than the
     * field, the line of the word being said), not the lines round the caret */
    size_t ps, pn, pw;
    int l0 = cl, l1 = cl;
    if (readaloud_field_part(&ps, &pn, &pw) && pn > 0 && ps + pn <= ed.len) {
        l0 = caret_line(ps);
        l1 = caret_line(ps + pn - 1);
        if (l1 - l0 + 1 > whole) l0 = l1 = caret_line(pw);
    }
    if (l0 < first) first = l0;
    if (l1 >= first + whole) first = l1 - whole + 1;
    if (first > n_field_lines - whole) first = n_field_lines - whole;
    if (first < 0) first = 0;
    write_scroll = first * field_line_h;
}

/* The question over the field follows the patient's reading size, as the rest of the text they read does (it stopped
 * at the interface's size: 41 px lines over 80 px text on a tablet at 400 %), where the field keeps its
 * MS_EDITOR_MIN_LINES lines under it, shortened to its one line (a tap shows it whole) where it must (arrange_below
 * squeezed, arrange_right); where even so the field is short of them, at the interface's size, as before. */
static void lay_out(app *a) {
    bool open = title_open; /* a layout that shows the question whole puts an opened one away: not one tried */
    /* first in as many lines as it needs, up to MS_EDITOR_TITLE_LINES_ROOMY, where the field keeps its lines */
    title_roomy = true;
    lay_out_as(a, false);
    title_roomy = false;
    if (field_whole >= MS_EDITOR_MIN_LINES || !g.title_h) return;
    if (g.title_lines > MS_EDITOR_TITLE_LINES) { /* then in its usual lines, cut */
        title_open = open;
        lay_out_as(a, false);
        if (field_whole >= MS_EDITOR_MIN_LINES) return;
    }
    if (g.title_px <= ui_font(app_ui(a), DP_SMALL + 1)) return;
    title_open = open;
    lay_out_as(a, true);
}

/* The keyboard's switch: a keyboard with a chevron under it, down to put the keys away, up to bring them back (the
 * sign a phone's own keyboard uses); a screen reader and read-aloud say its words. */
static void draw_kb_switch(app *a) {
    const theme *th = a->th;
    int x = g.tx, y = g.ty, w = g.tw, h = g.bh, r = app_px(a, 8);
    uint32_t fg = th->ink[INK_TEXT];
    ren_fill_round(a->rn, x, y, w, h, r, th->ink[INK_CARD_BG]);
    ren_frame_round(a->rn, x, y, w, h, r, app_px(a, 2), th->ink[INK_CARD_BORDER]);
    int s = (w < h ? w : h) * 60 / 100, t = app_px(a, 2) > 1 ? app_px(a, 2) : 1;
    int kx = x + (w - s) / 2, kh = s * 55 / 100, ky = y + (h - s) / 2;
    ren_frame_round(a->rn, kx, ky, s, kh, app_px(a, 3), t, fg);
    int cell = s / 6; /* two rows of key dots and a space bar */
    for (int row = 0; row < 2; row++)
        for (int i = 0; i < 4; i++)
            ren_fill(a->rn, kx + cell * (i + 1) + cell / 2 - t, ky + kh * (row + 1) / 4 - t / 2, 2 * t, t + 1, fg);
    ren_fill(a->rn, kx + s / 4, ky + kh * 3 / 4 - t / 2, s / 2, t + 1, fg);
    int cx = x + w / 2, cy = ky + kh + (s - kh) / 2 + t, half = s / 4;
    for (int i = 0; i < half; i++) { /* a chevron: two strokes */
        int dy = kb_hidden ? half - 1 - i : i;
        ren_fill(a->rn, cx - half + i, cy - half / 2 + dy, t + 1, t + 1, fg);
        ren_fill(a->rn, cx + half - i - t, cy - half / 2 + dy, t + 1, t + 1, fg);
    }
    view_add(&a->view, ROLE_BUTTON, app_tr(a, kb_hidden ? "kb.show" : "kb.hide"), x, y, w, h, ACT_KB_TOGGLE, 0);
}

/* The title cut to g.title_lines: the lines before the last as they wrap, the last one cut with "…"; one element,
 * the whole title, that a tap opens. */
static void draw_cut_title(app *a) {
    const char *title = target.title;
    int st = ren_style(a->rn, REN_BOLD, g.title_px), lh = g.title_px * 135 / 100;
    int pad = (lh - ren_line_skip(a->rn, st)) / 2;
    layout_run run = {title, strlen(title), st};
    layout_para *sc = &app_ui(a)->scratch;
    if (!layout_paragraph(sc, ren_layout_font(a->rn), &run, 1, g.title_w)) return;
    size_t rest = 0;
    for (int l = 0; l < g.title_lines - 1 && (size_t)l < sc->n_lines; l++) {
        const layout_line *ln = &sc->lines[l];
        const layout_frag *f0 = &sc->frags[ln->first], *f1 = &sc->frags[ln->first + ln->count - 1];
        ren_text(a->rn, st, a->th->ink[INK_HEADING], title + f0->off, f1->off + f1->len - f0->off, g.title_x + f0->x,
                 g.title_y + l * lh + pad);
        rest = f1->off + f1->len;
    }
    while (title[rest] == ' ')
        rest++;
    char buf[512];
    const char *last = ui_elide(app_ui(a), title + rest, st, g.title_w, buf, sizeof buf);
    ren_text(a->rn, st, a->th->ink[INK_HEADING], last, strlen(last), g.title_x, g.title_y + (g.title_lines - 1) * lh + pad);
    view_add(&a->view, ROLE_HEADING, title, g.title_x, g.title_y, g.title_w, g.title_h, ACT_WRITE_TITLE, 0);
}

/* The title opened whole in the keys' room, on a card, and under it «Skriv videre», which says how the keys come
 * back (a tap on the title, a letter typed or a tap in the field does it too). */
static void draw_open_title(app *a) {
    const theme *th = a->th;
    int pad = app_px(a, 12), in = app_px(a, 4);
    int x = g.ov_x + in, y = g.ov_y + in, w = g.ov_w - 2 * in, h = g.ov_h - 2 * in;
    ren_fill_round(a->rn, x, y, w, h, app_px(a, 10), th->ink[INK_CARD_BG]);
    ren_frame_round(a->rn, x, y, w, h, app_px(a, 10), app_px(a, 2), th->ink[INK_CARD_BORDER]);
    int by = g.ov_y + g.ov_h - pad - g.ov_bh, th_h = by - pad / 2 - y; /* the title's part of the card */
    SDL_Rect clip = {x, y, w, th_h};
    ren_clip(a->rn, &clip);
    ui_text(app_ui(a), target.title, REN_BOLD, g.ov_px, th->ink[INK_HEADING], x + pad - in, y + pad - in,
            w - 2 * (pad - in), -1);
    ren_clip(a->rn, NULL);
    view_add(&a->view, ROLE_HEADING, target.title, x, y, w, th_h, ACT_WRITE_TITLE, 0);
    ui_button(app_ui(a), g.ov_x + pad, by, g.ov_w - 2 * pad, g.ov_bh, app_tr(a, "write.title_close"), BTN_SECONDARY,
              ACT_WRITE_TITLE, 0);
}

/* An error of the actions' row asked whole (a tap on its line): in the keys' room, as an opened title is, so the
 * field keeps its lines (under the bar it left the field no room: −138 px on a 360 dp phone at 400 %, and keys of
 * 25 px on a phone on its side), its «Lukk» under it; its type the patient's reading size, smaller until it fits. */
static void draw_open_error(app *a) {
    const theme *th = a->th;
    int pad = app_px(a, 12), in = app_px(a, 4), least = ui_font(app_ui(a), 12);
    int x = g.ov_x + in, y = g.ov_y + in, w = g.ov_w - 2 * in, h = g.ov_h - 2 * in;
    ren_fill_round(a->rn, x, y, w, h, app_px(a, 10), th->ink[INK_CARD_BG]);
    ren_frame_round(a->rn, x, y, w, h, app_px(a, 10), app_px(a, 2), th->ink[INK_ALERT]);
    const char *close = app_tr(a, "toast.close");
    int bh = ui_button_height(app_ui(a), close, g.ov_w - 2 * pad, app_px(a, DP_TARGET));
    int by = g.ov_y + g.ov_h - pad - bh, room = by - pad / 2 - y - 2 * (pad - in), tw = w - 2 * (pad - in);
    int px = g.read_px;
    while (px > least && ui_text_height(app_ui(a), a->toast, REN_REGULAR, px, tw) > room)
        px = px * 9 / 10 > least ? px * 9 / 10 : least;
    SDL_Rect clip = {x, y, w, by - pad / 2 - y};
    ren_clip(a->rn, &clip);
    ui_text(app_ui(a), a->toast, REN_REGULAR, px, th->ink[INK_TEXT], x + pad - in, y + pad - in, tw, ROLE_STATUS);
    ren_clip(a->rn, NULL);
    ui_button(app_ui(a), g.ov_x + pad, by, g.ov_w - 2 * pad, bh, close, BTN_SECONDARY, ACT_TOAST_CLOSE, 0);
}

/* The field: its box, the text's lines (or the hint), the selection and the caret. */
static void draw_field(app *a) {
    const theme *th = a->th;
    int fy = g.fy, fh = g.fh, px = g.px;
    const char *t = edit_text(&ed);
    ren_fill_round(a->rn, g.fx, fy, g.fw, fh, app_px(a, 10), th->ink[INK_CARD_BG]);
    ren_frame_round(a->rn, g.fx, fy, g.fw, fh, app_px(a, 10), app_px(a, 3), th->ink[INK_HEADING]);
    int cl = caret_line(ed.caret);
    int cy = cl * field_line_h;
    SDL_Rect clip = {field_x, field_y, field_w, field_h};
    ren_clip(a->rn, &clip);
    int skip_pad = (field_line_h - ren_line_skip(a->rn, field_style)) / 2;
    size_t sa, sb;
    edit_selection(&ed, &sa, &sb);
    if (!t[0]) {
        /* the hint whole, never its first words alone: the short one where the whole does not fit the field's
         * whole lines (a phone at 400 % holds «Skriv her.»), its words hyphenated as the patient's are */
        int ph = ren_style_family(a->rn, pages_family(a), REN_ITALIC, px), room = field_whole > 1 ? field_whole : 1;
        layout_font lf = field_font(a);
        layout_para *sc = &app_ui(a)->scratch;
        const char *hint = app_tr(a, "write.placeholder");
        layout_run run = {hint, strlen(hint), ph};
        bool laid = layout_paragraph(sc, &lf, &run, 1, field_w - app_px(a, 4));
        if (laid && (int)sc->n_lines > room) {
            hint = app_tr(a, "write.placeholder_short");
            run = (layout_run){hint, strlen(hint), ph};
            laid = layout_paragraph(sc, &lf, &run, 1, field_w - app_px(a, 4));
        }
        if (laid) {
            view_breaks(&a->view, sc, &run, true);
            for (size_t l = 0; l < sc->n_lines && (int)l < room; l++) {
                const layout_line *ln = &sc->lines[l];
                int ly = field_lines_y + (int)l * field_line_h + skip_pad;
                for (uint32_t f = ln->first; f < ln->first + ln->count; f++) {
                    const layout_frag *fr = &sc->frags[f];
                    ren_text_words(a->rn, ph, th->ink[INK_MUTED], run.text + fr->off, fr->len, field_x + fr->x, ly);
                    if (fr->hyphen) ren_text(a->rn, ph, th->ink[INK_MUTED], "-", 1, field_x + fr->x + fr->w, ly);
                }
            }
        }
    }
    for (int l = 0; l < n_field_lines; l++) {
        int ly = field_lines_y + l * field_line_h - write_scroll;
        /* only whole lines: the field scrolls by lines, and where the spacing is tighter than the font's own
         * (compact) a line just above the field reaches into it with its descenders; a field too short for one
         * whole line still shows the caret's, cut */
        bool whole_line = ly >= field_lines_y && ly + field_line_h + field_over_bottom <= field_y + field_h;
        if (!whole_line && (field_whole > 0 || l != cl)) continue;
        const struct field_line *ln = &field_lines[l];
        /* the selection behind the text, in the highlight ink every theme keeps legible */
        size_t s0 = sa > (size_t)ln->start ? sa : (size_t)ln->start, s1 = sb < (size_t)ln->end ? sb : (size_t)ln->end;
        if (sa != sb && s0 <= s1 && sa <= (size_t)ln->end && sb >= (size_t)ln->start) {
            int x0 = caret_x(a, t, s0, l), x1 = caret_x(a, t, s1, l);
            if (sb > (size_t)ln->end) x1 += app_px(a, 6); /* the selection goes on past the line's end */
            ren_fill(a->rn, field_x + x0, ly, x1 - x0, field_line_h, th->ink[INK_HIGHLIGHT]);
        }
        /* drawn as one run, as ren_measure measures it, so the caret sits exactly after the letter */
        ren_text(a->rn, field_style, th->ink[INK_TEXT], t + ln->start, (size_t)(ln->end - ln->start),
                 field_x + ln->x, ly + skip_pad);
        if (ln->hyphen)
            ren_text(a->rn, field_style, th->ink[INK_TEXT], "-", 1,
                     field_x + ln->x + ren_measure(a->rn, field_style, t + ln->start, (size_t)(ln->end - ln->start)),
                     ly + skip_pad);
        if (ln->in_word && l + 1 < n_field_lines) {
            const struct field_line *nx = &field_lines[l + 1];
            view_break_note(&a->view, t + ln->start, (size_t)(ln->end - ln->start), t + nx->start,
                            (size_t)(nx->end - nx->start), ln->hyphen);
        }
    }
    /* the caret: steady, not blinking (a blink costs wake-ups and distracts), wide enough to find */
    int cx = caret_x(a, t, ed.caret, cl);
    caret_drawn_x = cx;
    int cw = app_px(a, 3) > 2 ? app_px(a, 3) : 2;
    int cpad = skip_pad > 0 ? skip_pad / 2 : 0; /* tight lines: the caret as tall as its line, not past it */
    ren_fill(a->rn, field_x + cx - cw / 2, field_lines_y + cy - write_scroll + cpad, cw, field_line_h - 2 * cpad,
             th->ink[INK_TEXT]);
    ren_clip(a->rn, NULL);
    view_add(&a->view, ROLE_FIELD, t, g.fx, fy, g.fw, fh, 0, 0);
}

/* Undo (a U-turn arrow back to the left), send (a paper plane to the right) or done (a tick), drawn: the bundled
 * fonts have no such symbols. In a button of w × h, in ink on bg. */
typedef enum { ROW_UNDO, ROW_SEND, ROW_DONE } row_symbol;

static void draw_row_symbol(app *a, row_symbol sym, int x, int y, int w, int h, uint32_t ink, uint32_t bg) {
    int s = (w < h ? w : h) * 50 / 100, cx = x + w / 2, cy = y + h / 2, t = s / 7 > 2 ? s / 7 : 2;
    if (sym == ROW_UNDO) {
        int left = cx - s / 2, right = cx + s / 2, top = cy - s / 4, bottom = cy + s / 4, head = s / 3;
        ren_fill(a->rn, left + head / 2, top - t / 2, right - left - head / 2, t, ink); /* back over the top */
        ren_fill(a->rn, right - t, top - t / 2, t, bottom - top + t, ink);              /* round the right */
        ren_fill(a->rn, cx - s / 4, bottom - t / 2, right - cx + s / 4, t, ink);        /* from the bottom */
        for (int i = 0; i < head; i++) /* the arrowhead at the top's left end, pointing left */
            ren_fill(a->rn, left + i, top - i, 1, 2 * i + 1, ink);
    } else if (sym == ROW_SEND) {
        int left = cx - s / 2;
        for (int i = 0; i < s; i++) { /* a wedge to the right, its back notched in the middle */
            int half = (s - i) / 2, notch = s / 4 - i;
            ren_fill(a->rn, left + i, cy - half, 1, 2 * half + 1, ink);
            if (notch > 0) ren_fill(a->rn, left + i, cy - notch / 2, 1, notch + 1, bg);
        }
    } else {
        ui_check(app_ui(a), cx - s / 2, cy, s, ink);
    }
}

/* An action in the error's row: its words where they fit beside the error's line, else its symbol (named, for
 * read-aloud and a screen reader, by its words). */
static void draw_row_action(app *a, row_symbol sym, bool words, int x, int y, int w, int h) {
    const theme *th = a->th;
    const char *name = app_tr(a, sym == ROW_UNDO ? "write.undo" : sym == ROW_SEND ? "write.send" : "write.done");
    btn_kind kind = sym == ROW_UNDO ? BTN_SECONDARY : BTN_PRIMARY;
    int act = sym == ROW_UNDO ? ACT_UNDO : sym == ROW_SEND ? ACT_SEND : ACT_BACK;
    ui_button_ex(app_ui(a), x, y, w, h, name, words ? name : "", kind, act, 0);
    if (!words)
        draw_row_symbol(a, sym, x, y, w, h, th->ink[kind == BTN_SECONDARY ? INK_TEXT : INK_BUTTON_TEXT],
                        th->ink[kind == BTN_SECONDARY ? INK_CARD_BG : INK_BUTTON_BG]);
}

/* The error's line in the actions' row (editor_update), where the patient just tapped «Send»: «Les høyt» kept at its
 * head where it is in the row, then «Angre», the error's line with its «Lukk» (a tap on the line says it whole), and
 * «Send» (or «Ferdig») at the end, as their symbols where their words would leave the line less than half the row (a
 * phone at 400 %: before, the line took the whole row and the patient could neither undo nor send again until it was
 * closed). */
static void draw_error_row(app *a) {
    int rx = g.place == KBP_RIGHT ? g.kb_x : g.fx, rw = g.place == KBP_RIGHT ? g.kbw : g.fw, bh = g.bh;
    int gap = app_px(a, 4);
    if (g.speak_row) {
        chrome_speak_button(a, rx, g.ay, g.spw, bh, false);
        rx += g.spw + gap;
        rw -= g.spw + gap;
    }
    row_symbol last = target.can_send ? ROW_SEND : ROW_DONE;
    int sym_w = bh > app_px(a, DP_TARGET) ? bh : app_px(a, DP_TARGET);
    int bst = ren_style(a->rn, REN_BOLD, ui_font(app_ui(a), DP_BODY)), pad = 2 * app_px(a, 12) + 2;
    const char *undo = app_tr(a, "write.undo"), *act2 = app_tr(a, last == ROW_SEND ? "write.send" : "write.done");
    int uw = ren_measure(a->rn, bst, undo, strlen(undo)) + pad, lw = ren_measure(a->rn, bst, act2, strlen(act2)) + pad;
    bool words = rw - uw - lw - 2 * gap >= rw / 2;
    if (!words) uw = lw = sym_w;
    draw_row_action(a, ROW_UNDO, words, rx, g.uy, uw, bh);
    /* opened whole in the keys' room (draw_open_error), the error is there once, with its one «Lukk»: its line and
     * «Lukk» here as well said it twice to a screen reader and read-aloud */
    if (!error_open) chrome_toast_row(a, rx + uw + gap, g.uy, rw - uw - lw - 2 * gap, bh);
    draw_row_action(a, last, words, rx + rw - lw, g.uy, lw, bh);
}

static void draw_all(app *a) {
    const theme *th = a->th;
    chrome_topbar(a, g.title_in_bar ? target.title : NULL, true, !g.speak_row); /* never cut: else over the field */
    if (g.title_h && !g.title_cut) {
        ui_text(app_ui(a), target.title, REN_BOLD, g.title_px, th->ink[INK_HEADING], g.title_x, g.title_y, g.title_w,
                ROLE_HEADING);
    } else if (g.title_h)
        draw_cut_title(a);
    /* in the order a person sees them, which is the focus order (Tab): the field, the actions as drawn (undo, the
     * keyboard's switch, what happened to the text, send), then the keys row by row */
    draw_field(a);
    int side = g.side, bw = g.bw, bh = g.bh;
    if (g.place == KBP_BELOW)
        ren_fill(a->rn, 0, g.kb_y - side, a->w, a->h - g.kb_y + side, th->ink[INK_PROGRESS_BG]);
    else if (g.place == KBP_RIGHT)
        ren_fill(a->rn, g.kb_x - side, g.kb_y - side, a->w - g.kb_x + side, a->h - g.kb_y + side,
                 th->ink[INK_PROGRESS_BG]);
    if (g.error_row) {
        draw_error_row(a);
    } else {
        ui_button(app_ui(a), g.ux, g.uy, g.uw, bh, app_tr(a, "write.undo"), BTN_SECONDARY, ACT_UNDO, 0);
        draw_kb_switch(a);
    }
    if (g.speak_row && !g.error_row) chrome_speak_button(a, g.spx, g.ay, g.spw, bh, false);
    const char *status = write_status(a);
    /* an alert the slim line says already is not said twice (a tablet's column had room for both) */
    bool slim_says = g.slim && g.slim[0] && write_alert(a);
    if (status[0] && g.stw > app_px(a, 60) && !g.error_row && !slim_says) {
        int sh = ui_text_height(app_ui(a), status, REN_REGULAR, ui_font(app_ui(a), DP_SMALL), g.stw);
        if (sh > g.sth) { /* the whole does not fit the row: its few words (a full text) */
            status = write_status_as(a, true);
            sh = ui_text_height(app_ui(a), status, REN_REGULAR, ui_font(app_ui(a), DP_SMALL), g.stw);
        }
        bool calm = !write_alert(a);
        if (sh <= g.sth)
            ui_text(app_ui(a), status, REN_REGULAR, ui_font(app_ui(a), DP_SMALL), th->ink[calm ? INK_MUTED : INK_ALERT],
                    g.stx,
                    g.sty + (g.status_top ? 0 : (g.sth - sh) / 2), g.stw, ROLE_STATUS);
    }
    if (g.slim && g.slim[0]) {
        int spx = g.slim_px;
        bool calm = !write_alert(a);
        int sh = ui_text_height(app_ui(a), g.slim, REN_BOLD, spx, g.slim_w);
        ui_text(app_ui(a), g.slim, REN_BOLD, spx, th->ink[calm ? INK_MUTED : INK_ALERT], g.slim_x,
                g.slim_y + (g.slim_h - sh) / 2, g.slim_w, ROLE_STATUS);
    }
    if (g.error_row)
        ; /* send or done are in the error's row (draw_error_row) */
    else if (target.can_send)
        ui_button(app_ui(a), g.sx, g.sy, bw, bh, app_tr(a, "write.send"), BTN_PRIMARY, ACT_SEND, 0);
    else /* an exercise's field: the text is kept already; «Ferdig» goes back to the form */
        ui_button(app_ui(a), g.sx, g.sy, bw, bh, app_tr(a, "write.done"), BTN_PRIMARY, ACT_BACK, 0);
    for (int i = 0; i < kbd.n; i++)
        draw_kb_key(a, i);
    if (error_open)
        draw_open_error(a);
    else if (title_open)
        draw_open_title(a);
}

/* The editor's bars, actions, title and keys keep to the reader's capped interface size (MS_READER_BAR_PCT_MAX):
 * at 400 % on a phone they took the room of two of the field's three lines; the field is the patient's size. */
static void editor_update(app *a) {
    a->bars_pct = MS_READER_BAR_PCT_MAX;
    a->toast_line = true;
    a->toast_row = false;
    field_breaks = 0;
    /* where an error goes is judged with it as its line: asked whole under the bar it left a phone no room at all,
     * which is no measure of where its line fits */
    bool whole = a->toast_whole && app_error_shown(a);
    if (whole) a->toast_whole = false;
    error_open = false;
    lay_out(a);
    if (whole) a->toast_whole = true;
    /* an error under the bar where the field is then short of its lines or the keys of the touch target (a phone
     * at 400 %: two lines; on its side: 37 px keys): its line takes the actions' row instead, where the patient
     * just tapped «Send», between undo and send (draw_error_row); asked whole, it is shown in the keys' room until
     * it is closed (Lukk, Escape) or the patient writes on. A tablet's column of actions keeps it under the bar */
    if (app_error_shown(a) && !g.beside && (field_whole < MS_EDITOR_MIN_LINES || g.key_h < app_px(a, DP_TARGET))) {
        a->toast_row = true;
        error_open = whole;
        lay_out(a);
        g.error_row = true;
    } else {
        g.error_row = false;
        if (whole) lay_out(a); /* under the bar, whole */
    }
    field_settle(a);
    a->toast_row = false;
    a->toast_line = false;
    a->bars_pct = 0;
}

static void draw_write(app *a) {
    a->bars_pct = MS_READER_BAR_PCT_MAX;
    a->bar_compact = g.compact;
    a->demo_line_below = g.demo_below;
    a->alert_line_below = g.alert_below;
    a->toast_line = true;
    a->toast_row = g.error_row;
    draw_all(a);
    a->toast_row = false;
    a->toast_line = false;
    a->bar_compact = false;
    a->demo_line_below = false;
    a->alert_line_below = false;
    a->bars_pct = 0;
}

static void log_store_failure(app *a) {
    /* the reason names tables and SQLite's error, never the text */
    app_log("cannot save the draft: %s", store_last_error(a->st));
}

static void save(app *a) {
    const char *t = edit_text(&ed);
    Uint64 t0 = SDL_GetPerformanceCounter();
    bool ok = target.save && target.save(a, t, ed.caret);
    double ms = (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 / (double)SDL_GetPerformanceFrequency();
    a->save_ms_total += ms;
    if (ms > a->save_ms_max) a->save_ms_max = ms;
    if (!ok && write_saved) log_store_failure(a);
    write_saved = ok;
}

/* Shift on at the start of the text and of a sentence, as a phone keyboard does. */
static void auto_shift(void) {
    size_t c = ed.caret;
    const char *t = edit_text(&ed);
    size_t i = c;
    while (i > 0 && t[i - 1] == ' ')
        i--;
    bool start =
        c == 0 || (i > 0 && (t[i - 1] == '\n' || ((t[i - 1] == '.' || t[i - 1] == '!' || t[i - 1] == '?') && i < c)));
    kb_sentence_start(&kbd, start);
}

void editor_open(app *a, const editor_target *t) {
    target = *t;
    edit_free(&ed);
    edit_init(&ed, t->max_bytes);
    size_t caret = 0;
    char *d = t->load ? t->load(a, &caret) : NULL;
    if (d && !edit_set(&ed, d, caret)) app_log("a saved draft could not be loaded");
    free(d);
    kb_init(&kbd);
    auto_shift();
    write_saved = true;
    write_scroll = 0;
    bs_key = -1;
    field_drag = false;
    title_open = false;
    kb_hidden = false;
    goal_x = -1;
    nav_push(a, SCREEN_WRITE);
    SDL_StartTextInput(); /* a hardware keyboard or an input method types here too */
    a->dirty = true;
}

/* Back: the text is saved already; the screen under the editor shows it. */
static void editor_close(app *a) {
    save(a);
    SDL_StopTextInput();
    hyph_release(a->hyph); /* a long word's patterns (field_font) are not needed once the text is written */
    bs_key = -1;
    nav_pop(a);
    if (a->screen == SCREEN_MESSAGES) messages_load(a);
    if (!target.can_send) target.key[0] = '\0';
    a->dirty = true;
}

/* The message to the therapist: a draft in the store under "message", with its caret. */
static char *message_load(app *a, size_t *caret) { return store_draft_get(a->st, "message", caret); }

static bool message_save(app *a, const char *text, size_t caret) {
    return text[0] ? store_draft_set(a->st, "message", text, caret) : store_draft_clear(a->st, "message");
}

void editor_open_message(app *a) {
    editor_target t = {.max_bytes = MS_MESSAGE_MAX_BYTES, .can_send = true, .load = message_load,
                       .save = message_save};
    snprintf(t.key, sizeof t.key, "message");
    snprintf(t.title, sizeof t.title, "%s", app_tr(a, "write.title"));
    editor_open(a, &t);
}

static void changed(app *a) {
    if (!a->key_pending) { /* keystroke → screen starts here; app_draw stops the clock when it presents */
        a->key_pending = true;
        a->key_t0 = SDL_GetPerformanceCounter();
    }
    save(a);
    auto_shift();
    readaloud_field_edited(a); /* its sentences were the old text's */
    a->dirty = true;
}

static void write_key(app *a, int index);

static void backspace(app *a, bool word) {
    if (word ? edit_delete_word_back(&ed) : edit_backspace(&ed)) changed(a);
}

static void write_key(app *a, int index) {
    if (index < 0 || index >= kbd.n) return;
    const kb_key *k = &kbd.keys[index];
    switch (k->kind) {
    case KB_CHAR:
        if (edit_insert(&ed, k->text, strlen(k->text))) {
            kb_typed(&kbd);
            changed(a);
        }
        break;
    case KB_SPACE:
        if (edit_insert(&ed, " ", 1)) changed(a);
        break;
    case KB_ENTER:
        if (edit_insert(&ed, "\n", 1)) changed(a);
        break;
    case KB_BACKSPACE: backspace(a, false); break;
    case KB_SHIFT: kb_shift_tap(&kbd); break;
    case KB_LAYER: kbd.symbols = !kbd.symbols; break;
    case KB_HALF: kb_half_tap(&kbd); break;
    }
    a->dirty = true;
}

/* The opened title goes at the patient's next key, letter or tap: they are writing again, the keys come back; so
 * does an error opened in the keys' room (back to its line in the row). */
static void put_title_away(app *a) {
    if (error_open) {
        a->toast_whole = false;
        a->dirty = true;
    }
    if (!title_open) return;
    title_open = false;
    a->dirty = true;
}

static bool write_text(app *a, const char *utf8) {
    put_title_away(a);
    if (edit_insert(&ed, utf8, strlen(utf8))) changed(a);
    return true;
}

/* Up and Down move the caret a line as drawn (the field's wrapped lines, not the text's paragraphs), keeping its x
 * as far as the lines allow: the x it had before the first of a run of them, so a short line on the way does not
 * pull it to the left (goal_x, kept while the caret stands where the last one left it). Up on the first line goes
 * to the start, Down on the last to the end, as in any text field. */
static size_t offset_on_line(app *a, int line, int x);

static void caret_vertical(app *a, int dir, bool select) {
    editor_update(a); /* the lines as the text now is (keys may come faster than frames) */
    if (n_field_lines == 0) return;
    const char *t = edit_text(&ed);
    int line = caret_line(ed.caret);
    if (goal_x < 0 || goal_caret != ed.caret) goal_x = caret_x(a, t, ed.caret, line);
    int to = line + dir;
    size_t at = to < 0 ? 0 : to >= n_field_lines ? ed.len : offset_on_line(a, to, goal_x);
    edit_select(&ed, select ? ed.anchor : at, at);
    goal_caret = ed.caret;
}

static void write_undo(app *a);

static bool write_keydown(app *a, SDL_Keycode k, Uint16 mod) {
    bool ctrl = (mod & KMOD_CTRL) != 0, shift = (mod & KMOD_SHIFT) != 0;
    size_t caret0 = ed.caret, anchor0 = ed.anchor;
    bool modifier = k == SDLK_LSHIFT || k == SDLK_RSHIFT || k == SDLK_LCTRL || k == SDLK_RCTRL || k == SDLK_LALT ||
                    k == SDLK_RALT || k == SDLK_CAPSLOCK;
    /* an error opened whole goes back to its line at any key too, as at a letter or a tap in the field: Backspace
     * and the arrows left it over the keys while the patient wrote on (Escape closes it first: input.c) */
    if ((title_open || error_open) && k != SDLK_F1 && !modifier) {
        put_title_away(a);
        if (k == SDLK_ESCAPE || k == SDLK_AC_BACK) return true; /* Back puts the title away first */
    }
    switch (k) {
    case SDLK_BACKSPACE: backspace(a, ctrl); break;
    case SDLK_DELETE:
        if (edit_delete(&ed)) changed(a);
        break;
    case SDLK_LEFT:
        ctrl ? edit_word_left(&ed, shift) : edit_left(&ed, shift);
        auto_shift();
        break;
    case SDLK_RIGHT:
        ctrl ? edit_word_right(&ed, shift) : edit_right(&ed, shift);
        auto_shift();
        break;
    case SDLK_UP:
    case SDLK_DOWN:
        caret_vertical(a, k == SDLK_UP ? -1 : 1, shift);
        auto_shift();
        break;
    case SDLK_HOME: edit_select(&ed, shift ? ed.anchor : 0, 0); break;
    case SDLK_END: edit_select(&ed, shift ? ed.anchor : ed.len, ed.len); break;
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
        if (edit_insert(&ed, "\n", 1)) changed(a);
        break;
    case SDLK_z:
        if (!ctrl) return true; /* the letter itself comes as text input */
        write_undo(a);
        break;
    case SDLK_a:
        if (!ctrl) return true;
        edit_select(&ed, 0, ed.len);
        break;
    case SDLK_ESCAPE:
    case SDLK_AC_BACK: app_do(a, ACT_BACK, 0); return true;
    case SDLK_F1: return false; /* «Hjelp nå» from every screen (input.c); Back comes back to the draft as it was */
    default: return true; /* letters arrive as SDL_TEXTINPUT; nothing else may reach the reader's keys */
    }
    if (ed.caret != caret0 || ed.anchor != anchor0) save(a); /* the caret is part of the draft */
    a->dirty = true;
    return true;
}

static void write_undo(app *a) {
    if (edit_undo(&ed)) changed(a);
}

void editor_send(app *a) {
    if (!target.can_send) return;
    /* leading and trailing blank lines and spaces are not part of the message */
    const char *t = edit_text(&ed);
    size_t b = 0, e = strlen(t);
    while (b < e && (t[b] == ' ' || t[b] == '\n'))
        b++;
    while (e > b && (t[e - 1] == ' ' || t[e - 1] == '\n'))
        e--;
    if (b == e) return;
    if (a->memory_only) {
        /* nothing reaches the disk and no sync runs: "saved, sent soon" would be a lie; the text stays here */
        app_show_error(a, "write.cannot_send");
        a->dirty = true;
        return;
    }
    char *body = strndup(t + b, e - b);
    char id[33];
    if (!body || !sync_queue_message(a->st, body, "message", id)) {
        app_log("cannot store the message: %s", store_last_error(a->st));
        app_show_error(a, "write.not_saved"); /* the draft is still there */
        free(body);
        return;
    }
    free(body);
    edit_set(&ed, "", 0);
    SDL_StopTextInput();
    if (a->screen == SCREEN_WRITE) nav_pop(a);
    a->scroll_list = 1 << 30; /* the new message is at the end of the thread: show it */
    messages_load(a);
    if (a->sync) syncer_now(a->sync);
    app_clear_error(a, "write.not_saved"); /* this one was kept */
    app_show_toast(a,
                   app_tr(a, !a->sync                ? "write.saved_demo"
                             : a->sync_status.online ? "write.sent_soon"
                                                     : "write.saved_offline"),
                   5000);
    a->dirty = true;
}

/* The text area and the box's padding around it: a finger that lands just left of the first letter means it. */
static bool in_field(const app *a, int x, int y) {
    int pad = app_px(a, 12);
    return x >= field_x - pad && x < field_x + field_w + pad &&
           y >= field_y - pad && y < field_y + field_h + pad;
}

/* The text offset on field line `line` nearest to x px from the text area's left edge. A line that ends inside a
 * word (a hyphen drawn, or a word cut) shares its end with the next line's start, where the caret is drawn on the
 * next line: the offsets before it are this line's. */
static size_t offset_on_line(app *a, int line, int x) {
    const struct field_line *ln = &field_lines[line];
    const char *t = edit_text(&ed);
    size_t end = (size_t)ln->end;
    if (line + 1 < n_field_lines && field_lines[line + 1].start == ln->end && end > (size_t)ln->start) {
        size_t i = (size_t)ln->start, prev = i;
        while (i < end) {
            prev = i;
            utf8_next(t, end, &i);
        }
        end = prev;
    }
    int want = x - ln->x;
    size_t best = (size_t)ln->start;
    int best_d = want < 0 ? -want : want;
    for (size_t i = (size_t)ln->start; i < end;) {
        utf8_next(t, end, &i);
        int w = ren_measure(a->rn, field_style, t + ln->start, i - (size_t)ln->start);
        int d = w - want < 0 ? want - w : w - want;
        if (d < best_d) {
            best_d = d;
            best = i;
        }
    }
    return best;
}

/* The text offset nearest to (x, y): the line under y, then the character boundary nearest x on it. */
static size_t offset_at(app *a, int x, int y) {
    if (n_field_lines == 0) return 0;
    int line = (y - field_lines_y + write_scroll) / (field_line_h > 0 ? field_line_h : 1);
    if (line < 0) return 0;
    if (line >= n_field_lines) return ed.len;
    return offset_on_line(a, line, x - field_x);
}

static bool write_pointer_down(app *a, int x, int y) {
    if (!in_field(a, x, y)) return false;
    put_title_away(a);
    if (kb_hidden) { /* a tap in the field means writing: the keys come back, as on a phone */
        kb_hidden = false;
        editor_update(a);
    }
    size_t at = offset_at(a, x, y);
    edit_select(&ed, at, at);
    field_drag = true;
    auto_shift();
    a->dirty = true;
    return true;
}

static bool write_pointer_move(app *a, int x, int y) {
    if (!field_drag) return false;
    edit_select(&ed, ed.anchor, offset_at(a, x, y));
    a->dirty = true;
    return true;
}

static bool write_pointer_up(app *a, int x, int y) {
    if (field_drag) {
        write_pointer_move(a, x, y);
        field_drag = false;
        save(a); /* the caret is part of the draft */
        return true;
    }
    if (bs_key >= 0) {
        /* a held backspace deleted as it repeated; a short tap deletes once, here */
        int key = bs_key;
        bs_key = -1;
        if (bs_repeats == 0) write_key(a, key);
        return true;
    }
    return false;
}

/* A press on backspace starts its repeat clock; the release (write_pointer_up) decides what a short tap did. */
static void write_key_down(int index) {
    if (index < 0 || index >= kbd.n || kbd.keys[index].kind != KB_BACKSPACE) return;
    bs_key = index;
    bs_repeats = 0;
    bs_next = SDL_GetTicks() + MS_KEY_REPEAT_DELAY_MS;
}

static int write_next_timer_ms(const app *a) {
    (void)a;
    if (bs_key < 0) return -1;
    Sint32 left = (Sint32)(bs_next - SDL_GetTicks());
    return left > 0 ? left : 0;
}

static bool write_tick(app *a) {
    if (bs_key < 0 || !SDL_TICKS_PASSED(SDL_GetTicks(), bs_next)) return false;
    backspace(a, bs_repeats >= MS_KEY_REPEAT_WORDS_AFTER);
    bs_repeats++;
    bs_next = SDL_GetTicks() + MS_KEY_REPEAT_MS;
    return true;
}


/* A press on the keyboard starts backspace's repeat clock; a press in the field places the caret. */
static bool editor_press(app *a, int x, int y) {
    if (write_pointer_down(a, x, y)) return true; /* caret or selection in the field */
    const view_elem *k = view_hit(&a->view, x, y);
    if (k && k->action == ACT_KEY) write_key_down(k->arg);
    return false;
}

static bool editor_action(app *a, app_action act, int arg) {
    /* the opened question stays while it is read aloud, and while the reading is skipped, slowed or stopped */
    bool reading = readaloud_control(act);
    if (act != ACT_WRITE_TITLE && act != ACT_SHOW_TITLE && act != ACT_HELP && !reading) put_title_away(a);
    switch (act) {
    case ACT_KEY: write_key(a, arg); return true; /* on release; a held backspace repeats (write_tick) */
    case ACT_UNDO: write_undo(a); return true;
    case ACT_SEND: editor_send(a); return true;
    case ACT_SHOW_TITLE: /* compact: the bar's shortened title, shown whole in the keys' room until tapped */
        if (!g.compact) return false;
        /* fall through */
    case ACT_WRITE_TITLE:
        title_open = !title_open;
        a->dirty = true;
        return true;
    case ACT_KB_TOGGLE:
        kb_hidden = !kb_hidden;
        a->dirty = true;
        return true;
    default: return false;
    }
}

static void editor_back(app *a) {
    editor_close(a);
    app_save_place(a);
}

/* A message being written is a place to come back to; an exercise's field belongs to its exercise's page. */
static bool editor_saves_place(const app *a) {
    (void)a;
    return target.can_send;
}

/* The client stops, or a kiosk forgets its visitor: the text, what it was for, and the keyboard's state go. */
static void editor_free(app *a) {
    (void)a;
    edit_free(&ed);
    free(field_lines);
    field_lines = NULL;
    n_field_lines = field_lines_cap = 0;
    memset(&target, 0, sizeof target);
    kb_init(&kbd);
    write_scroll = 0;
    bs_key = -1;
    field_drag = false;
    kb_hidden = false;
}

const screen_ops screen_editor = {
    .name = "write",
    .update = editor_update,
    .draw = draw_write,
    .action = editor_action,
    .key = write_keydown,
    .text = write_text,
    .back = editor_back,
    .tick = write_tick,
    .deadline_ms = write_next_timer_ms,
    .saves_place = editor_saves_place,
    .press = editor_press,
    .move = write_pointer_move,
    .release = write_pointer_up,
    .close = editor_free,
};
