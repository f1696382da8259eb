/* chrome.c — see chrome.h. */
#define _DEFAULT_SOURCE /* localtime_r */
#include "chrome.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "meistring/sync.h"
#include "meistring/utf8.h"
#include "pages.h"
#include "readaloud.h"
#include "screens.h"

/* The message line under the bar and banner: a confirmation, or an error with «Lukk». It has its own room, so the
 * screen's content moves down for it and nothing the patient is reading is covered. */
typedef struct {
    int h; /* the room it takes below the banner, 0 when there is no message */
    int box_h, text_w, px, pad;
    int top;           /* the room above the box (and as much below it) */
    const char *close; /* an error's «Lukk», or NULL */
    const char *close_shown; /* what its button shows: its word, or «×» where the word does not fit (NULL: the word) */
    int close_w, close_h;
    bool slim; /* a confirmation too tall for the window (MS_TOAST_MAX_PCT): one line, the whole a tap away */
    int w;     /* the box's width */
    int bars_pct; /* the interface size it was laid out at (a->bars_pct): the repaint (chrome_toast) keeps to it */
} toastline;

/* One line in a 48 dp target (or the row's height), the gaps halved, an error's «Lukk» beside it. */
static void toast_slim(app *a, int target, toastline *t) {
    int gap = app_px(a, 8);
    t->slim = true;
    t->pad = app_px(a, 8);
    t->text_w = t->w - 2 * t->pad - (t->close ? t->close_w + gap : 0);
    int line = ren_line_skip(a->rn, ren_style(a->rn, REN_REGULAR, t->px));
    t->box_h = line + app_px(a, 8) > target ? line + app_px(a, 8) : target;
    if (t->close_h > t->box_h) t->box_h = t->close_h;
    t->top = gap / 2;
    t->h = t->box_h + 2 * t->top;
}

static void toast_layout_w(app *a, int w, int target, toastline *t) {
    memset(t, 0, sizeof *t);
    t->bars_pct = a->bars_pct;
    t->w = w;
    if (!a->toast[0]) return;
    t->px = ui_font(app_ui(a), DP_BODY);
    t->pad = app_px(a, 12);
    int gap = app_px(a, 8);
    if (app_error_shown(a)) {
        t->close = app_tr(a, "toast.close");
        int bold = ren_style(a->rn, REN_BOLD, t->px);
        t->close_w = ren_measure(a->rn, bold, t->close, strlen(t->close)) + app_px(a, 32);
        if (t->close_w > w / 3) t->close_w = w / 3; /* large text: the label wraps, the message keeps its room */
        if (t->close_w < target) t->close_w = target;
        t->close_h = ui_button_height(app_ui(a), t->close, t->close_w, target);
    }
    t->text_w = w - 2 * t->pad - (t->close ? t->close_w + gap : 0);
    int th = ui_text_height(app_ui(a), a->toast, REN_REGULAR, t->px, t->text_w);
    t->box_h = (th > t->close_h ? th : t->close_h) + 2 * t->pad;
    t->top = gap;
    t->h = t->box_h + 2 * gap;
    if ((!t->close || a->toast_line) && !a->toast_whole && t->h * 100 > a->h * MS_TOAST_MAX_PCT) {
        /* one line in a 48 dp target, the gaps halved: what the patient is reading keeps the room; an error keeps
         * its «Lukk» beside it (only where the editor asks: toast_line) */
        toast_slim(a, target, t);
    }
}

static void toast_layout(app *a, int m, int target, toastline *t) {
    toast_layout_w(a, a->w - 2 * m, target, t);
    /* the editor's row has it (chrome_toast_row), or its keys' room asked whole: no room under the bar */
    if (a->toast_row && app_error_shown(a)) t->h = 0;
}

static void draw_toast(app *a, const toastline *q, int m, int y, bool described);

void chrome_toast_row(app *a, int x, int y, int w, int h) {
    toastline t;
    toast_layout_w(a, w, h, &t);
    if (!a->toast[0]) return;
    if (t.close && t.close_w > w / 3) t.close_w = w / 3 > h ? w / 3 : h; /* the message keeps the most of the row */
    /* a row with little room (the editor's, beside its actions on a phone at 400 %): «×», named «Lukk», where the
     * word would run past its button (it did on a 320 dp phone), the button the touch target, the rest the line's */
    int bold = ren_style(a->rn, REN_BOLD, ui_font(app_ui(a), DP_BODY)), target = app_px(a, DP_TARGET);
    if (t.close && ren_measure(a->rn, bold, t.close, strlen(t.close)) + 2 * app_px(a, 12) > t.close_w) {
        t.close_shown = "×";
        t.close_w = h > target ? h : target;
    }
    toast_slim(a, h, &t);
    t.box_h = h;
    if (t.close_h > h) t.close_h = h;
    draw_toast(a, &t, x, y, true);
}

/* Where the message line was drawn this frame (its box's top), -1: none. chrome_toast paints it again over the
 * screen: a screen with too little room for it (the editor's keyboard on a phone) must not hide an error. Drawing
 * state, not the model's. */
static int toast_y = -1;
/* ... and as it was laid out there: the reader's bars (and so its message line) keep a capped type the repaint, at
 * the end of the frame, must keep too (it drew a 400 % reader's message at 200 %, over the 125 % one, cut off). */
static toastline toast_drawn;
static int toast_m;

/* The message line's box at y: in the frame's description when described (once a frame), else pixels only. */
static void draw_toast(app *a, const toastline *q, int m, int y, bool described) {
    ui_ctx *u = app_ui(a);
    static view pixels_only; /* the repaint's elements go here, not into the frame's description a second time */
    static bool pixels_only_ready;
    view *keep = u->view;
    if (!described) {
        if (!pixels_only_ready) view_init(&pixels_only);
        pixels_only_ready = true;
        view_reset(&pixels_only);
        u->view = &pixels_only;
    }
    int bw = q->w;
    ren_fill_round(a->rn, m, y, bw, q->box_h, app_px(a, 10), a->th->ink[INK_TEXT]);
    if (q->slim) {
        /* shortened with «…» to its line; the element has the whole text (read-aloud says it all) and a tap shows it */
        char buf[sizeof a->toast];
        int st = ren_style(a->rn, REN_REGULAR, q->px);
        const char *s = ui_elide(u, a->toast, st, q->text_w, buf, sizeof buf);
        int skip = ren_line_skip(a->rn, st);
        ren_text(a->rn, st, a->th->ink[INK_BG], s, strlen(s), m + q->pad, y + (q->box_h - skip) / 2);
        if (described)
            view_add(u->view, ROLE_BUTTON, a->toast, m, y, bw - (q->close ? q->close_w + q->pad : 0), q->box_h,
                     ACT_TOAST_WHOLE, 0);
        if (q->close)
            ui_button_ex(u, m + bw - q->pad - q->close_w, y + (q->box_h - q->close_h) / 2, q->close_w, q->close_h,
                         q->close, q->close_shown ? q->close_shown : q->close, BTN_SECONDARY, ACT_TOAST_CLOSE, 0);
        u->view = keep;
        return;
    }
    int text_h = ui_text_height(u, a->toast, REN_REGULAR, q->px, q->text_w);
    ui_text(u, a->toast, REN_REGULAR, q->px, a->th->ink[INK_BG], m + q->pad, y + (q->box_h - text_h) / 2, q->text_w,
            described ? ROLE_STATUS : -1);
    if (q->close)
        ui_button(u, m + bw - q->pad - q->close_w, y + (q->box_h - q->close_h) / 2, q->close_w, q->close_h, q->close,
                  BTN_SECONDARY, ACT_TOAST_CLOSE, 0);
    u->view = keep;
}

/* Top bar: back (when there is somewhere to go), the title, reading aids (in the reader) and "Hjelp nå" on
 * every screen. Grows with the text: when the labels do not fit, back shrinks to "‹", the title goes, and the
 * help label wraps; help is never dropped. Returns the bar's bottom (below the demonstration banner). */
/* While chrome_list_screen draws its bar: the screen's title, which goes on a line under the bar where the bar has
 * no room for it (topbar_layout). NULL for every other bar (the reader's and the editor's keep their own room). */
static const char *line_title;

/* A title goes in the bar only where this much is left beside its buttons (dp): less shows too few letters. */
#define BAR_TITLE_LEAST_DP 100

/* The top bar's measures, worked out once for drawing and for the reader's layout step (chrome_topbar_height). */
typedef struct {
    int m, gap, bold, target;
    const char *help, *help_shown, *back_lbl, *back_shown, *aids_lbl, *aids_shown;
    int help_w, back_w, aids_w, speak_w;
    bool aa; /* «Aa» shown: with aids, on every screen but «Lesehjelp» itself and the editor, which keep the speaker */
    int bh, bar;
    int tline_px, tline_h; /* a list screen's title on a line under the bar, where the bar has no room for it */
    const char *banner; /* the banner's words, or NULL */
    int banner_sp, banner_text_h, banner_h;
    toastline toast;
} topbar;

static void topbar_layout(app *a, bool back, bool aids, topbar *t) {
    memset(t, 0, sizeof *t);
    t->m = a->w / a->dp < 400 ? app_px(a, 8) : ui_margin(app_ui(a));
    t->gap = app_px(a, 8);
    int px = ui_font(app_ui(a), DP_BODY);
    t->bold = ren_style(a->rn, REN_BOLD, px);
    int btn_pad = app_px(a, 32);
    t->target = app_px(a, DP_TARGET);
    t->help = app_tr(a, "help.button");
    t->help_shown = t->help;
    t->back_lbl = app_tr(a, "nav.back");
    t->back_shown = t->back_lbl;
    t->aids_lbl = app_tr(a, "aids.button");
    t->aids_shown = "Aa";
    t->help_w = ren_measure(a->rn, t->bold, t->help, strlen(t->help)) + btn_pad;
    t->back_w = back ? ren_measure(a->rn, t->bold, t->back_lbl, strlen(t->back_lbl)) + btn_pad : 0;
    /* «Lesehjelp» keeps the speaker, not «Aa» («Les opp det jeg trykker på» is switched on there); the editor too,
     * whose bar's room is the question's (a phone at 400 %), and whose text size is chosen before writing */
    t->aa = aids && a->screen != SCREEN_AIDS && a->screen != SCREEN_WRITE;
    t->aids_w = t->aa ? ren_measure(a->rn, t->bold, t->aids_shown, strlen(t->aids_shown)) + btn_pad : 0;
    /* the read-aloud button sits beside "Aa"; it shows a drawn speaker (or pause bars while reading) */
    t->speak_w = aids && readaloud_offered(a) ? t->target : 0;
    t->aids_w += t->speak_w + (t->speak_w && t->aa ? t->gap : 0);
    if (t->back_w && t->back_w < t->target) t->back_w = t->target;
    if (t->aids_w && t->aids_w < t->target) t->aids_w = t->target;
    int avail = a->w - 2 * t->m - (back ? t->gap : 0) - (aids ? t->gap : 0);
    if (back && (a->bar_compact || t->back_w + t->aids_w + t->help_w > avail)) {
        t->back_shown = "‹";
        t->back_w = ren_measure(a->rn, t->bold, t->back_shown, strlen(t->back_shown)) + btn_pad;
        if (t->back_w < t->target) t->back_w = t->target;
    }
    int help_line = ren_measure(a->rn, t->bold, t->help, strlen(t->help)) + app_px(a, 24); /* ui_button's padding */
    if (t->back_w + t->aids_w + help_line > avail && t->aa) {
        /* a narrow phone at large text (320 dp from 125 %): «Hjelp nå» wrapped and the bar took 106 of 640 px; «Aa»
         * with only its label's own padding (48 dp wide still) leaves it its line */
        int aa_w = t->aids_w - (t->speak_w ? t->speak_w + t->gap : 0);
        int aa_tight = ren_measure(a->rn, t->bold, t->aids_shown, strlen(t->aids_shown)) + app_px(a, 24);
        if (aa_tight < t->target) aa_tight = t->target;
        if (aa_tight < aa_w) t->aids_w -= aa_w - aa_tight;
    }
    if (t->back_w + t->aids_w + t->help_w > avail) t->help_w = avail - t->back_w - t->aids_w; /* the label wraps */
    if (help_line > t->help_w) {
        /* still two lines («Help now» at 320 dp): its short word on one («Help»), named whole as «Aa» is */
        const char *brief = app_tr(a, "help.button_short");
        if (ren_measure(a->rn, t->bold, brief, strlen(brief)) + app_px(a, 24) <= t->help_w) t->help_shown = brief;
    }
    t->bh = t->target;
    if (back) t->bh = ui_button_height(app_ui(a), t->back_shown, t->back_w, t->bh);
    if (t->aa) t->bh = ui_button_height(app_ui(a), t->aids_shown, t->aids_w, t->bh);
    t->bh = ui_button_height(app_ui(a), t->help_shown, t->help_w, t->bh);
    bool short_window = chrome_short_window(a);
    t->bar = t->bh + app_px(a, 16) > app_px(a, DP_BAR) ? t->bh + app_px(a, 16) : app_px(a, DP_BAR);
    if (short_window || a->bar_compact) t->bar = t->bh + app_px(a, 4); /* the buttons, with no room to spare */
    if (line_title && back) {
        /* a phone: «‹ Tilbake», the speaker, «Aa» and «Hjelp nå» fill the bar; the name of a list screen the patient
         * went into goes on a line of the bar's colour under it, so they always see where they are (WCAG 2.4.2) —
         * the heading in the list scrolls away, and the messages open at the newest with it out of sight. Home
         * (where the tablet starts, no Back) opens at its top, named by its heading, and keeps the room */
        int right = a->w - t->m - t->help_w - t->gap - (aids ? t->aids_w + t->gap : 0);
        int room = right - (t->m + t->back_w + t->gap) - t->gap;
        int arrow_w = ren_measure(a->rn, t->bold, "‹", strlen("‹")) + btn_pad;
        if (arrow_w < t->target) arrow_w = t->target;
        if (room + t->gap <= app_px(a, BAR_TITLE_LEAST_DP) && t->back_shown == t->back_lbl &&
            room + t->back_w - arrow_w + t->gap > app_px(a, BAR_TITLE_LEAST_DP)) {
            /* Back as its arrow gives the title its room in the bar: better than a line more (a phone on its side) */
            t->back_shown = "‹";
            t->back_w = arrow_w;
            room = right - (t->m + t->back_w + t->gap) - t->gap;
        }
        if (room + t->gap <= app_px(a, BAR_TITLE_LEAST_DP)) {
            t->tline_px = ui_font(app_ui(a), DP_BODY); /* as the bar's labels */
            t->tline_h = ui_text_height(app_ui(a), line_title, REN_BOLD, t->tline_px, a->w - 2 * t->m) + app_px(a, 8);
        }
    }
    bool full = store_disk_full(a->st);
    if (((a->prog->demo && !a->enrolling) || a->memory_only || full) &&
        !(a->demo_line_below && !a->memory_only && !full) && !(a->alert_line_below && a->memory_only && !full)) {
        /* the demonstration is marked on every screen, so nobody mistakes it for their treatment; a store
         * that could not be opened, or a disk that is full, is said as plainly */
        t->banner = app_tr(a, a->memory_only ? "store.memory_only" : full ? "store.full" : "demo.banner");
        t->banner_sp = ui_font(app_ui(a), DP_SMALL);
        t->banner_text_h = ui_text_height(app_ui(a), t->banner, REN_BOLD, t->banner_sp, a->w - 2 * t->m);
        if (t->banner_text_h > t->banner_sp * 3 && !a->memory_only && !full) {
            /* large text on a small screen: the short line, so the page keeps its room; it says both, as everywhere */
            t->banner = app_tr(a, "demo.banner_line");
            t->banner_text_h = ui_text_height(app_ui(a), t->banner, REN_BOLD, t->banner_sp, a->w - 2 * t->m);
        } else if (short_window && t->banner_text_h > ren_line_skip(a->rn, ren_style(a->rn, REN_BOLD, t->banner_sp)) &&
                   !a->memory_only && !full) {
            /* a phone on its side: one line that still says both (a demonstration, and nothing is sent) */
            t->banner = app_tr(a, "demo.banner_line");
            t->banner_text_h = ui_text_height(app_ui(a), t->banner, REN_BOLD, t->banner_sp, a->w - 2 * t->m);
        }
        int one_line = a->w - 2 * t->m;
        /* a phone, upright or on its side (its shorter side under 400 dp: at 568 × 320 from 200 % the line took two,
         * and the pad beside its field no longer fitted under it) */
        int phone_side = a->w < a->h ? a->w : a->h;
        if (phone_side / a->dp < 400 && !a->memory_only && !full && strcmp(t->banner, app_tr(a, "demo.banner_line")) == 0 &&
            t->banner_text_h > ren_line_skip(a->rn, ren_style(a->rn, REN_BOLD, t->banner_sp))) {
            /* a phone at large text (a tablet has the height for two): the short line on one line, as large as that
             * lets it be, never under the 100 % size (at 320 dp and 400 % it took two, under the bar and the name's
             * line: a third of the height with them). The sizes tried are two, each a font slot: the one it fits at,
             * else the 100 % */
            int wide = ren_measure(a->rn, ren_style(a->rn, REN_BOLD, t->banner_sp), t->banner, strlen(t->banner));
            int least = app_px(a, DP_SMALL), sp = wide > 0 ? t->banner_sp * one_line / wide : least;
            if (sp < least) sp = least;
            if (sp > least &&
                ren_measure(a->rn, ren_style(a->rn, REN_BOLD, sp), t->banner, strlen(t->banner)) > one_line)
                sp = least;
            if (ren_measure(a->rn, ren_style(a->rn, REN_BOLD, sp), t->banner, strlen(t->banner)) <= one_line) {
                t->banner_sp = sp;
                t->banner_text_h = ui_text_height(app_ui(a), t->banner, REN_BOLD, sp, one_line);
            }
        }
        t->banner_h = t->banner_text_h + app_px(a, 10) > app_px(a, DP_BANNER) ? t->banner_text_h + app_px(a, 10)
                                                                               : app_px(a, DP_BANNER);
        if (short_window) t->banner_h = t->banner_text_h + app_px(a, 4);
    }
    toast_layout(a, t->m, t->target, &t->toast);
}

bool chrome_short_window(const app *a) { return a->h < app_px(a, MS_SHORT_WINDOW_DP); }

const char *chrome_demo_line(app *a) {
    if (!a->prog->demo || a->enrolling || a->memory_only || store_disk_full(a->st)) return NULL;
    return app_tr(a, "demo.banner_line");
}

int chrome_topbar_height(app *a, bool back, bool aids) {
    topbar t;
    topbar_layout(a, back, aids, &t);
    return t.bar + t.tline_h + t.banner_h + t.toast.h;
}

int chrome_topbar_lasting_height(app *a, bool back, bool aids) {
    topbar t;
    topbar_layout(a, back, aids, &t);
    return t.bar + t.tline_h + t.banner_h;
}

int chrome_topbar_title_room(app *a, bool back, bool aids) {
    topbar t;
    topbar_layout(a, back, aids, &t);
    int right = a->w - t.m - t.help_w - t.gap - (aids ? t.aids_w + t.gap : 0);
    int x = t.m + (back ? t.back_w + t.gap : 0);
    return right - x - t.gap;
}

void chrome_topbar_title_box(app *a, bool back, bool aids, int *x, int *y, int *w, int *h) {
    topbar t;
    topbar_layout(a, back, aids, &t);
    *x = t.m + (back ? t.back_w + t.gap : 0) + t.gap;
    *w = chrome_topbar_title_room(a, back, aids);
    *h = t.bh;
    *y = (t.bar - t.bh) / 2;
}

bool chrome_topbar_shows_title(app *a, bool back, bool aids) {
    topbar t;
    topbar_layout(a, back, aids, &t);
    return chrome_topbar_title_room(a, back, aids) + t.gap > app_px(a, BAR_TITLE_LEAST_DP);
}

/* Whether the bar being drawn showed its title (whole, on the line under it, or shortened with its whole a tap
 * away): a screen then need not say it again as its own heading. Drawing state, set by each chrome_topbar. */
static bool title_shown, title_on_line;

bool chrome_title_shown(void) { return title_shown; }
bool chrome_title_on_line(void) { return title_on_line; }

/* The last title put on the line under the bar, to know a heading that says it again. Drawing state, as above. */
static char line_title_said[512];

bool chrome_line_says(const char *text) {
    /* said once: the line under the bar is a heading too (described as one) and stays in sight while the list
     * scrolls; the heading under it said the same words bigger, with the demonstration's banner between (at 320 dp
     * and 400 %: bars, line and banner took 245 of 640 px before any of the screen's own) */
    return title_on_line && text && strcmp(line_title_said, text) == 0;
}

/* The last title the bar had to shorten: what ACT_SHOW_TITLE says whole. */
static char bar_title[512];

void chrome_show_title(app *a) {
    if (bar_title[0]) app_show_toast(a, bar_title, MS_TOAST_TITLE_MS);
}

/* «Les høyt»: a drawn speaker (pause bars while reading), named for read-aloud and a screen reader; in the bar's
 * colours, or as a screen's own secondary button (the editor's actions' row: screens/editor.c) */
void chrome_speak_button(app *a, int x, int y, int w, int h, bool in_bar) {
    const readaloud_state *r = readaloud_get();
    bool playing = r->on && !r->paused && !r->single, paused = r->on && r->paused && !r->single;
    /* named for what a tap does: pause, go on from where it paused («Fortsett», as the reader's bar says), or read */
    ui_button_ex(app_ui(a), x, y, w, h, app_tr(a, playing ? "speech.pause" : paused ? "speech.resume" : "speech.button"), "",
                 in_bar ? BTN_BAR : BTN_SECONDARY, ACT_SPEAK, 0);
    ui_speaker_icon(app_ui(a), x, y, w, h, playing, a->th->ink[in_bar ? INK_BAR_TEXT : INK_TEXT],
                    a->th->ink[in_bar ? INK_BAR_BG : INK_CARD_BG]);
}

void chrome_skip_icon(app *a, int x, int y, int w, int h, int dir, uint32_t ink) {
    int s = (w < h ? w : h) * 4 / 10, cx = x + w / 2, cy = y + h / 2, bar = s / 5 > 2 ? s / 5 : 2;
    int tw = s - bar, x0 = cx - s / 2;
    for (int i = 0; i < tw; i++) { /* the triangle's columns, widest at its base */
        int col = dir > 0 ? i : tw - 1 - i, len = s - 2 * (s * col / (2 * tw));
        ren_fill(a->rn, dir > 0 ? x0 + i : x0 + bar + i, cy - len / 2, 1, len, ink);
    }
    ren_fill(a->rn, dir > 0 ? x0 + tw : x0, cy - s / 2, bar, s, ink);
}

static void skip_button(app *a, int x, int y, int w, int h, int dir) {
    ui_button_ex(app_ui(a), x, y, w, h, app_tr(a, dir > 0 ? "speech.next" : "speech.prev"), "", BTN_BAR,
                 dir > 0 ? ACT_SPEAK_NEXT : ACT_SPEAK_PREV, 0);
    chrome_skip_icon(a, x, y, w, h, dir, a->th->ink[INK_BAR_TEXT]);
}

/* A screen read aloud (a page has the reader's own bar): «Hopp tilbake» and «Hopp fram» either side of the speaker,
 * where the bar has room for them beside its title as it stands (a tablet; home on a phone, whose bar has no
 * title), Back shown as its arrow where that makes the room. The title is never shortened or moved off the bar for
 * them: it is the element said first, found again by its words and role while it is said. Elsewhere Alt+arrows
 * skip. True: t's Back is as it must be drawn. */
static bool topbar_skips(app *a, topbar *t, const char *title, bool back) {
    if (!t->speak_w || !readaloud_reads_screen()) return false;
    /* the title's right edge as chrome_topbar_with places it: «Hjelp nå», «Aa» (aids_w holds the speaker too), the
     * speaker, each with its gap */
    int right = a->w - t->m - t->help_w - t->gap - (t->aa ? t->aids_w - t->speak_w : 0) - t->speak_w - t->gap;
    int room = right - (t->m + (back ? t->back_w + t->gap : 0)), need = 2 * (t->target + t->gap);
    int least = app_px(a, BAR_TITLE_LEAST_DP);
    bool in_bar = title && room > least;
    int title_w = in_bar ? ren_measure(a->rn, t->bold, title, strlen(title)) : 0;
    if (in_bar && title_w > room - t->gap) return false; /* shortened already */
    if (!in_bar) return room - need >= 0;
    if (title_w <= room - need - t->gap && room - need > least) return true;
    if (!back || strcmp(t->back_shown, "‹") == 0) return false;
    int arrow_w = ren_measure(a->rn, t->bold, "‹", strlen("‹")) + app_px(a, 32);
    if (arrow_w < t->target) arrow_w = t->target;
    room += t->back_w - arrow_w;
    if (title_w > room - need - t->gap || room - need <= least) return false;
    t->back_shown = "‹";
    t->back_w = arrow_w;
    return true;
}

int chrome_topbar(app *a, const char *title, bool back, bool aids) { return chrome_topbar_with(a, title, NULL, back, aids); }

int chrome_topbar_with(app *a, const char *title, void (*in_title)(app *a, int x, int y, int w, int h), bool back,
                       bool aids) {
    const theme *th = a->th;
    topbar t;
    topbar_layout(a, back, aids, &t);
    bool skips = aids && !in_title && topbar_skips(a, &t, title, back);
    title_shown = title_on_line = false;
    int m = t.m, gap = t.gap, bh = t.bh, bar = t.bar;
    ren_fill(a->rn, 0, 0, a->w, bar, th->ink[INK_BAR_BG]);
    int x = m, by = (bar - bh) / 2;
    if (back) {
        ui_button_ex(app_ui(a), x, by, t.back_w, bh, t.back_lbl, t.back_shown, BTN_BAR, ACT_BACK, 0);
        x += t.back_w + gap;
    }
    /* placed from the right: «Hjelp nå», «Aa», the speaker; the title takes what is left. Drawn (and so read, and
     * reached by Tab) as the bar stands, left to right: Back, the title, the speaker, «Aa», «Hjelp nå». */
    int hx = a->w - m - t.help_w;
    int right = hx - gap, aa_x = 0, aa_w = 0, speak_x = 0;
    if (t.aa) {
        aa_w = t.aids_w - (t.speak_w ? t.speak_w + gap : 0);
        right -= aa_w;
        aa_x = right;
    }
    int skip_w = t.target, prev_x = 0, next_x = 0;
    if (aids && t.speak_w) {
        if (skips) {
            right -= (t.aa ? gap : 0) + skip_w;
            next_x = right;
            right -= gap + t.speak_w;
            speak_x = right;
            right -= gap + skip_w;
            prev_x = right;
        } else {
            right -= (t.aa ? gap : 0) + t.speak_w;
            speak_x = right;
        }
    }
    if (aids) right -= gap;
    if (in_title) in_title(a, x + gap, by, right - x - gap, bh); /* in the title's place: read and reached there */
    else if (title && right - x > app_px(a, BAR_TITLE_LEAST_DP)) {
        char buf[512];
        const char *s = ui_elide(app_ui(a), title, t.bold, right - x - gap, buf, sizeof buf);
        int skip = ren_line_skip(a->rn, t.bold);
        ren_text(a->rn, t.bold, th->ink[INK_BAR_TEXT], s, strlen(s), x + gap, (bar - skip) / 2);
        if (strcmp(s, title) == 0) {
            title_shown = true;
            view_add(&a->view, ROLE_HEADING, title, x + gap, (bar - skip) / 2, ren_measure(a->rn, t.bold, s, strlen(s)),
                     skip, 0, 0);
        } else {
            /* shortened: the whole title is one tap away (said in the message line), and the description has it */
            title_shown = true;
            snprintf(bar_title, sizeof bar_title, "%s", title);
            view_add(&a->view, ROLE_BUTTON, title, x + gap, by, right - x - gap, bh, ACT_SHOW_TITLE, 0);
        }
    }
    if (skips) skip_button(a, prev_x, by, skip_w, bh, -1);
    if (aids && t.speak_w) chrome_speak_button(a, speak_x, by, t.speak_w, bh, true);
    if (skips) skip_button(a, next_x, by, skip_w, bh, 1);
    if (t.aa) ui_button_ex(app_ui(a), aa_x, by, aa_w, bh, t.aids_lbl, t.aids_shown, BTN_BAR, ACT_AIDS, 0);
    ui_button_ex(app_ui(a), hx, by, t.help_w, bh, t.help, t.help_shown, BTN_HELP, ACT_HELP, 0);
    int y = bar;
    if (t.tline_h) {
        title_shown = title_on_line = true;
        snprintf(line_title_said, sizeof line_title_said, "%s", title);
        ren_fill(a->rn, 0, y, a->w, t.tline_h, th->ink[INK_BAR_BG]);
        ui_text(app_ui(a), title, REN_BOLD, t.tline_px, th->ink[INK_BAR_TEXT], m, y + app_px(a, 2), a->w - 2 * m,
                ROLE_HEADING);
        y += t.tline_h;
    }
    if (t.banner) {
        int bh2 = t.banner_h, h = t.banner_text_h;
        ren_fill(a->rn, 0, y, a->w, bh2, th->ink[INK_DEMO_BG]);
        ui_text(app_ui(a), t.banner, REN_BOLD, t.banner_sp, th->ink[INK_DEMO_TEXT], m, y + (bh2 - h) / 2,
                a->w - 2 * m, ROLE_STATUS);
        /* where the banner has the page's colour (high contrast), a rule keeps it apart from the text */
        if (th->ink[INK_DEMO_BG] == th->ink[INK_BG])
            ren_fill(a->rn, 0, y + bh2 - app_px(a, 2), a->w, app_px(a, 2), th->ink[INK_DEMO_TEXT]);
        y += bh2;
    }
    if (t.toast.h) {
        /* the message, in the page's colours turned round, where the eye comes back to after a tap; read (and
         * reached by Tab) right after the bar */
        toast_y = y + t.toast.top;
        toast_drawn = t.toast;
        toast_m = m;
        draw_toast(a, &t.toast, m, toast_y, true);
        y += t.toast.h;
    }
    view_bar_bottom(&a->view, y); /* the frame's description says where the bars end (a screen's reading) */
    return y;
}

void chrome_toast(app *a) {
    int y = toast_y;
    toast_y = -1; /* each frame's bar says again where */
    if (y < 0 || !a->toast[0]) return;
    ren_clip(a->rn, NULL);
    int keep = a->bars_pct;
    a->bars_pct = toast_drawn.bars_pct; /* «Lukk» as tall as the box it was laid out in (the editor's capped bars) */
    draw_toast(a, &toast_drawn, toast_m, y, false);
    a->bars_pct = keep;
}

/* A scrolling list screen (home, module, help) below the bars: clip to it; returns the first y. The area goes
 * into the frame's description (view_scroll_area), not the model: app_draw reads it once the frame is drawn. */
int chrome_begin_list(app *a, int top) {
    SDL_Rect clip = {0, top, a->w, a->h - top};
    view_scroll_area(&a->view, top, a->h);
    ren_clip(a->rn, &clip);
    view_clip(&a->view, clip.x, clip.y, clip.w, clip.h);
    return top + app_px(a, 20) - a->scroll_list;
}

/* Ends a list screen whose content ended at y (screen coordinates, scrolled): says how tall it was. */
void chrome_end_list(app *a, int y) {
    view_scroll_extent(&a->view, y + app_px(a, 20) + a->scroll_list - a->view.area_top);
    ren_clip(a->rn, NULL);
    view_clip_off(&a->view);
}

int chrome_column(app *a) { return ui_column_width(app_ui(a), ui_font(app_ui(a), DP_BODY)); }

int chrome_heading(app *a, const char *text, double dp, int x, int y, int w, bool draw) {
    /* at 400 % the interface's capped H1 (39 px on a 360 dp phone) stood over 80 px text: a heading smaller than
     * what it heads (check-layout) */
    int px = ui_font(app_ui(a), dp), body = pages_read_px(a, DP_BODY);
    if (px < body) px = body;
    if (!draw) return ui_text_height(app_ui(a), text, REN_BOLD, px, w);
    size_t from = a->view.n;
    int h = ui_text(app_ui(a), text, REN_BOLD, px, a->th->ink[INK_HEADING], x, y, w, ROLE_HEADING);
    view_heading_level(&a->view, from, dp >= DP_H1 ? 1 : 2);
    return h;
}

int chrome_topbar_named(app *a, const char *title, bool back, bool aids) {
    line_title = title;
    int y = chrome_topbar(a, title, back, aids);
    line_title = NULL;
    return y;
}

int chrome_list_bar_height(app *a, const char *title, bool back) {
    line_title = title;
    int h = chrome_topbar_height(a, back, true);
    line_title = NULL;
    return h;
}

/* The start of every list screen: the top bar (with back, or not), the text column centred, the list clipped
 * below the bar. Sets top (the bar's bottom), x and colw; returns the first y. */
int chrome_list_screen(app *a, const char *title, bool back, int *top, int *x, int *colw) {
    /* «Lesehjelp» and read-aloud are one tap away from every list screen, not only the reader (a patient who needs
     * larger text on home must not have to open a page to find it), «Hjelp nå» too: it must be heard by those who
     * cannot read it. «Lesehjelp» itself keeps the speaker, not «Aa»: «Les opp det jeg trykker på» is switched on
     * there, so a patient who cannot read must be able to hear it (issue 13's audit) */
    *top = chrome_topbar_named(a, title, back, true);
    *colw = chrome_column(a);
    *x = (a->w - *colw) / 2;
    return chrome_begin_list(a, *top);
}

/* "2 av 5 sider lest" */
const char *chrome_progress_text(app *a, int seen, int total, char *buf, size_t cap) {
    char s1[16], s2[16];
    snprintf(s1, sizeof s1, "%d", seen);
    snprintf(s2, sizeof s2, "%d", total);
    const char *args[2] = {s1, s2};
    return i18n_format(buf, cap, app_tr(a, "module.progress"), 2, args);
}

/* Content on its way: a bar with the count in words beside it. Returns the height used (0 when idle). */
int chrome_download(app *a, int x, int y, int colw) {
    if (!a->sync_status.syncing || a->sync_status.files_total <= 0) return 0;
    char d[16], t[16], words[128];
    snprintf(d, sizeof d, "%d", a->sync_status.files_done);
    snprintf(t, sizeof t, "%d", a->sync_status.files_total);
    const char *pargs[2] = {d, t};
    i18n_format(words, sizeof words, app_tr(a, "sync.progress"), 2, pargs);
    int h = ui_text(app_ui(a), words, REN_REGULAR, ui_font(app_ui(a), DP_SMALL + 1), a->th->ink[INK_MUTED], x, y, colw, ROLE_STATUS);
    ui_progress(app_ui(a), x, y + h + app_px(a, 4), colw, app_px(a, 10), a->sync_status.files_done, a->sync_status.files_total);
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
    case SYNC_NO_NETWORK: return "sync.no_network";
    case SYNC_BAD_DATA:
    case SYNC_SERVER_ERROR:
    case SYNC_BUSY: return "sync.server_trouble";
    case SYNC_OK:
    case SYNC_RETURNED: /* the wipe follows at once (lock.c) */
    case SYNC_OFFLINE: return NULL;
    }
    return NULL;
}

/* The sync line on home: when the programme was last brought up to date, and a button to do it now. */
int chrome_sync_status(app *a, int x, int y, int colw) {
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
    int th_ = ui_text_height(app_ui(a), line, REN_REGULAR, ui_font(app_ui(a), DP_SMALL + 1), colw - bw - app_px(a, 12));
    int bh = ui_button_height(app_ui(a), app_tr(a, "sync.now"), bw, app_px(a, 48));
    if (th_ > 2 * bh) {
        /* a long status (revoked, refused, full) or large text: the words across the column, the button under
         * them, rather than a tall thin column of two words a line beside it */
        th_ = ui_text_height(app_ui(a), line, REN_REGULAR, ui_font(app_ui(a), DP_SMALL + 1), colw);
        ui_text(app_ui(a), line, REN_REGULAR, ui_font(app_ui(a), DP_SMALL + 1), th->ink[INK_MUTED], x, y, colw, ROLE_STATUS);
        int by = y + th_ + app_px(a, 8);
        bh = ui_button_height(app_ui(a), app_tr(a, "sync.now"), colw, app_px(a, 48));
        ui_button(app_ui(a), x, by, colw, bh, app_tr(a, "sync.now"), BTN_SECONDARY, ACT_SYNC_NOW, 0);
        int h = th_ + app_px(a, 8) + bh;
        return h + chrome_download(a, x, y + h + app_px(a, 8), colw);
    }
    int h = th_ > bh ? th_ : bh;
    ui_text(app_ui(a), line, REN_REGULAR, ui_font(app_ui(a), DP_SMALL + 1), th->ink[INK_MUTED], x, y + (h - th_) / 2,
            colw - bw - app_px(a, 12), ROLE_STATUS);
    ui_button(app_ui(a), x + colw - bw, y + (h - bh) / 2, bw, bh, app_tr(a, "sync.now"), BTN_SECONDARY, ACT_SYNC_NOW, 0);
    return h + chrome_download(a, x, y + h + app_px(a, 8), colw);
}

/* The twelve keys, kw × kh each, gap apart, from (x, y): 1–9, then erase, 0 and the primary key. */
static void keypad_keys(app *a, int x, int y, int kw, int kh, int gap, app_action act, const char *erase,
                        const char *ok) {
    static const int keys[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, CHROME_KEY_ERASE, 0, CHROME_KEY_OK};
    for (int i = 0; i < 12; i++) {
        int kx = x + (i % 3) * (kw + gap), ky = y + (i / 3) * (kh + gap);
        char label[64];
        if (keys[i] <= 9)
            snprintf(label, sizeof label, "%d", keys[i]);
        else
            snprintf(label, sizeof label, "%s", keys[i] == CHROME_KEY_ERASE ? erase : ok);
        ui_button(app_ui(a), kx, ky, kw, kh, label, keys[i] == CHROME_KEY_OK ? BTN_PRIMARY : BTN_SECONDARY, act,
                  keys[i]);
    }
}

/* The keys of a number pad in the column, colw wide, under its field: their size and the gap between them. */
static void keypad_column_size(app *a, int colw, const char *erase, const char *ok, int *kw, int *kh, int *gap) {
    *gap = app_px(a, 10);
    *kw = (colw - 2 * *gap) / 3;
    *kh = app_px(a, DP_BUTTON_BIG);
    if (chrome_short_window(a)) {
        /* a phone on its side with the pad under its field (too narrow beside it): the keys as low as a touch target (48 dp)
         * and their labels allow, not 64 dp, and the gaps 6 */
        *gap = app_px(a, 6);
        *kw = (colw - 2 * *gap) / 3;
        *kh = ui_button_height(app_ui(a), "0", *kw, app_px(a, 48));
        *kh = ui_button_height(app_ui(a), erase, *kw, *kh);
        *kh = ui_button_height(app_ui(a), ok, *kw, *kh);
    }
}

/* The pad's last row («Slett», 0, the primary key): as tall as its keys' labels make them (ui_button grows a key
 * whose label wraps), so the pad's height, and the list's extent from it, are what is drawn (enrolment's «Koble
 * til» at 1280 × 800 and 400 % wrapped and was cut by the window's bottom, the list at its end). */
static int keypad_last_row(app *a, int kw, int kh, const char *erase, const char *ok) {
    return ui_button_height(app_ui(a), ok, kw, ui_button_height(app_ui(a), erase, kw, kh));
}

bool chrome_pad_screen_key(app *a, SDL_Keycode k, app_action act) {
    if (chrome_keypad_key(a, k, act)) return true;
    if (k == SDLK_F1) {
        app_do(a, ACT_HELP, 0);
        return true;
    }
    return !(k == SDLK_UP || k == SDLK_DOWN || k == SDLK_PAGEUP || k == SDLK_PAGEDOWN || k == SDLK_HOME || k == SDLK_END);
}

/* What the field shows: a PIN as dots, a code as its digits grouped 4 + 4 with a place for each one to come. */
static void pad_field_text(const char *typed, int code_len, char *shown, size_t cap) {
    size_t n = strlen(typed), w = 0;
    shown[0] = '\0';
    if (code_len > 0) {
        for (int i = 0; i < code_len && w + 2 < cap; i++) {
            if (i == 4) shown[w++] = ' ';
            shown[w++] = (size_t)i < n ? typed[i] : '_';
        }
        shown[w] = '\0';
    } else {
        for (size_t i = 0; i < n && strlen(shown) + 4 < cap; i++)
            strcat(shown, "•");
        if (!n) snprintf(shown, cap, "–");
    }
}

/* The field's box for text of px at (x, y), w wide. Its digits are drawn smaller where they would run out of it
 * (a kiosk's twelve-digit staff PIN as dots), the box as tall as ever: it does not move as they are typed. */
static int pad_field_px(app *a, int x, int y, int w, const char *typed, int code_len, const char *label, int px) {
    const theme *th = a->th;
    char shown[96];
    pad_field_text(typed, code_len, shown, sizeof shown);
    size_t n = strlen(typed);
    int st = ren_style(a->rn, REN_BOLD, px), pad = app_px(a, 10);
    int box_h = ren_line_skip(a->rn, st) + app_px(a, 20);
    ren_fill_round(a->rn, x, y, w, box_h, app_px(a, 12), th->ink[INK_CARD_BG]);
    ren_frame_round(a->rn, x, y, w, box_h, app_px(a, 12), app_px(a, 2), th->ink[INK_CARD_BORDER]);
    int text_st = st, tw = ren_measure(a->rn, st, shown, strlen(shown));
    if (tw > w - 2 * pad && tw > 0) { /* in proportion first, then a pixel at a time: few font sizes a frame */
        int tpx = (int)((long)px * (w - 2 * pad) / tw);
        for (tpx = tpx < 8 ? 8 : tpx;; tpx--) {
            text_st = ren_style(a->rn, REN_BOLD, tpx);
            tw = ren_measure(a->rn, text_st, shown, strlen(shown));
            if (tw <= w - 2 * pad || tpx <= 8) break;
        }
    }
    int ty = y + pad + (ren_line_skip(a->rn, st) - ren_line_skip(a->rn, text_st)) / 2;
    ren_text(a->rn, text_st, th->ink[INK_TEXT], shown, strlen(shown), x + (w - tw) / 2, ty);
    char said[160];
    if (code_len > 0)
        snprintf(said, sizeof said, "%s: %s", label, n ? typed : "-");
    else
        snprintf(said, sizeof said, "%s: %zu", label, n);
    view_add(&a->view, ROLE_FIELD, said, x, y, w, box_h, 0, 0);
    return box_h;
}

int chrome_pad_field(app *a, int x, int y, int colw, const char *typed, int code_len, const char *label, int font_dp) {
    return pad_field_px(a, x, y, colw, typed, code_len, label, ui_font(app_ui(a), font_dp));
}

/* The pad beside its field on a phone on its side: the interface size its keys' labels are set at (pct), the keys'
 * size, and the field's width and text size. */
typedef struct {
    int pct, kw, kh, gap, fw, fpx, side_gap;
} side_pad;

/* The most digits a pad's field shows: a code's length, or a PIN's most (the kiosk staff's 12, not the patient's 6). */
static int pad_digits(const chrome_pad *p) {
    int n = p->code_len ? p->code_len : p->max_digits > 0 ? p->max_digits : MS_PIN_MAX_DIGITS;
    return n < 16 ? n : 15;
}

/* The width the field's text needs at px: its widest form (all digits typed, or none; a PIN's most dots). */
static int pad_field_need(app *a, const chrome_pad *p, int px) {
    char shown[96];
    int st = ren_style(a->rn, REN_BOLD, px), need = 0;
    char full[16];
    memset(full, '0', sizeof full);
    full[pad_digits(p)] = '\0';
    const char *forms[2] = {full, ""};
    for (int i = 0; i < 2; i++) {
        pad_field_text(forms[i], p->code_len, shown, sizeof shown);
        int w = ren_measure(a->rn, st, shown, strlen(shown));
        if (w > need) need = w;
    }
    return need + 2 * app_px(a, 10);
}

/* The field's text size at most px whose widest form fits fw, no smaller than least: a guess in proportion to the
 * widths, then a step or two (a 1 px walk down from 400 % tried dozens of font sizes a frame, and the renderer's few
 * font slots turned over). */
static int pad_field_fit(app *a, const chrome_pad *p, int px, int least, int fw) {
    int need = pad_field_need(a, p, px);
    if (need <= fw || px <= least) return px;
    int f = (int)((long)px * fw / need);
    if (f < least) f = least;
    while (f > least && pad_field_need(a, p, f) > fw) f--;
    while (f + 1 < px && pad_field_need(a, p, f + 1) <= fw) f++;
    return f;
}

/* A window on its side whose view between the bars is lower than the field and the pad under it (issue 13: a phone
 * at 640 × 360, where at 400 % four rows of 67 px keys did not fit and the patient scrolled between «1» and
 * «Åpne», the dots out of sight; a tablet at 1280 × 800 and 400 %, the field under the banner while «Åpne» was
 * typed). The pad goes beside its field, across the window, its labels at their own size: the largest, from the interface's down
 * to 100 %, at which every label fits its key on one line and the four rows of keys fit the view (less the focus
 * ring's margin: keynav), keys never under 48 dp, and the field's text fits beside them no smaller than the
 * labels. The rest of the interface keeps its size (capping it by the window's height shrank glossary
 * explanations). False: too narrow for it, the pad goes under its field. */
static bool side_pad_work(app *a, int w, int colw, const chrome_pad *p, side_pad *s) {
    memset(s, 0, sizeof *s);
    if (a->w <= a->h) return false;
    int room = a->h - (a->view.area_top >= 0 ? a->view.area_top : 0) - app_px(a, 12);
    int ckw, ckh, cgap;
    keypad_column_size(a, colw, p->erase, p->ok, &ckw, &ckh, &cgap);
    int field_h = ren_line_skip(a->rn, ren_style(a->rn, REN_BOLD, ui_font(app_ui(a), p->font_dp))) + app_px(a, 20);
    int last = keypad_last_row(a, ckw, ckh, p->erase, p->ok);
    if (field_h + p->field_gap + 3 * ckh + last + 3 * cgap <= room) return false; /* in sight together, as it is */
    int keep = a->bars_pct, start = settings_chrome_pct(&a->set);
    if (keep > 0 && keep < start) start = keep;
    int target = app_px(a, DP_TARGET), pad = app_px(a, 12);
    s->gap = app_px(a, chrome_short_window(a) ? 6 : 10);
    s->side_gap = app_px(a, 16);
    const char *labels[3] = {"0", p->erase, p->ok};
    bool found = false;
    for (int pct = start;; pct = pct - 5 > 100 ? pct - 5 : 100) {
        a->bars_pct = pct;
        int st = ren_style(a->rn, REN_BOLD, ui_font(app_ui(a), DP_BODY));
        int kw = target;
        for (int i = 0; i < 3; i++) {
            int lw = ren_measure(a->rn, st, labels[i], strlen(labels[i])) + 2 * pad;
            if (lw > kw) kw = lw;
        }
        int kh = ren_line_skip(a->rn, st) + pad; /* ui_button_height's, for a label on one line */
        if (kh < target) kh = target;
        int fw = w - 3 * kw - 2 * s->gap - s->side_gap;
        int least = ui_font(app_ui(a), DP_BODY);
        int fpx = pad_field_fit(a, p, ui_font(app_ui(a), p->font_dp), least, fw);
        bool fits_w = pad_field_need(a, p, fpx) <= fw;
        /* a view too low for four rows of 48 dp keys: the largest labels that keep the keys 48 dp */
        bool fits_h = 4 * kh + 3 * s->gap <= room || kh == target;
        if (fits_w && fits_h) {
            *s = (side_pad){pct, kw, kh, s->gap, fw, fpx, s->side_gap};
            found = true;
            break;
        }
        if (pct == 100) break;
    }
    a->bars_pct = keep;
    if (!found) return false;
    /* 48 dp keys in a view too low for four rows with their gaps (568 × 320 at 200–400 %: 210 px of keys in 208): the
     * gaps narrower, so the four rows are whole in the view together (chrome_pad_reveal) and with the focus ring's
     * margin (keynav: «1» was cut when the ring was on «Åpne»), the keys still 48 dp and apart */
    int least_gap = 1;
    if (4 * s->kh + 3 * s->gap > room) {
        int g = (room - 4 * s->kh) / 3;
        if (g < least_gap) g = (room + app_px(a, 12) - 4 * s->kh) / 3; /* whole, if not with the ring's margin */
        if (g >= least_gap && g < s->gap) s->gap = g;
    }
    /* what is left over widens the keys (to 120 dp) and then the field (to twice its need) */
    int need = pad_field_need(a, p, s->fpx);
    int spare = s->fw - need, wider = app_px(a, 120) - s->kw;
    if (wider > 0) {
        if (wider > spare / 3) wider = spare / 3;
        s->kw += wider;
        s->fw -= 3 * wider;
    }
    if (s->fw > 2 * need) s->fw = 2 * need;
    return true;
}

/* The last side_pad_work asked and its answer, so a frame does not set the pad's labels at up to twenty sizes again
 * (a file static, as the other per-frame drawing state here): the same window, view, interface and text size,
 * reading settings, labels and digits give the same layout. */
static struct {
    bool valid, found;
    int w, colw, win_w, win_h, area_top, bars_pct, px100, code_len, max_digits, font_dp, field_gap;
    settings set;
    char erase[48], ok[48];
    side_pad s;
} side_pad_last;

static bool side_pad_layout(app *a, int w, int colw, const chrome_pad *p, side_pad *s) {
    bool cacheable = strlen(p->erase) < sizeof side_pad_last.erase && strlen(p->ok) < sizeof side_pad_last.ok;
    int px100 = app_px(a, 100);
    if (cacheable && side_pad_last.valid && side_pad_last.w == w && side_pad_last.colw == colw &&
        side_pad_last.win_w == a->w && side_pad_last.win_h == a->h && side_pad_last.area_top == a->view.area_top &&
        side_pad_last.bars_pct == a->bars_pct && side_pad_last.px100 == px100 &&
        side_pad_last.code_len == p->code_len && side_pad_last.max_digits == p->max_digits &&
        side_pad_last.font_dp == p->font_dp && side_pad_last.field_gap == p->field_gap && memcmp(&side_pad_last.set, &a->set, sizeof a->set) == 0 &&
        strcmp(side_pad_last.erase, p->erase) == 0 && strcmp(side_pad_last.ok, p->ok) == 0) {
        *s = side_pad_last.s;
        return side_pad_last.found;
    }
    bool found = side_pad_work(a, w, colw, p, s);
    if (cacheable) {
        side_pad_last.valid = true;
        side_pad_last.found = found;
        side_pad_last.w = w;
        side_pad_last.colw = colw;
        side_pad_last.win_w = a->w;
        side_pad_last.win_h = a->h;
        side_pad_last.area_top = a->view.area_top;
        side_pad_last.bars_pct = a->bars_pct;
        side_pad_last.px100 = px100;
        side_pad_last.code_len = p->code_len;
        side_pad_last.max_digits = p->max_digits;
        side_pad_last.font_dp = p->font_dp;
        side_pad_last.field_gap = p->field_gap;
        side_pad_last.set = a->set;
        snprintf(side_pad_last.erase, sizeof side_pad_last.erase, "%s", p->erase);
        snprintf(side_pad_last.ok, sizeof side_pad_last.ok, "%s", p->ok);
        side_pad_last.s = *s;
    }
    return found;
}

/* The pad as the last frame drew it (per-frame drawing state, not the model): the frame, its screen, whether that
 * frame opened it (no pad on the frame before, or another screen's), the field's and the whole pad's rows on the
 * window. chrome_pad_reveal reads it once the frame is drawn. */
static struct {
    unsigned frame;
    app_screen screen;
    bool drawn, opening;
    int top, bottom, field_top, field_bottom;
    int w, h, text_pct; /* the window and text size it was laid out for: a change opens it afresh (turned, resized) */
} pad_seen;
/* A digit or Backspace typed on a hardware keyboard since the last frame (chrome_keypad_key): the field is shown. */
static bool pad_typed;

static void pad_seen_at(app *a, int top, int bottom, int field_top, int field_bottom) {
    if (!pad_seen.drawn || pad_seen.frame != a->frames) /* a frame drawn again (settle_list) keeps its opening */
        pad_seen.opening = !(pad_seen.drawn && pad_seen.frame + 1 == a->frames && pad_seen.screen == a->screen &&
                             pad_seen.w == a->w && pad_seen.h == a->h && pad_seen.text_pct == a->set.text_pct);
    pad_seen.w = a->w;
    pad_seen.h = a->h;
    pad_seen.text_pct = a->set.text_pct;
    pad_seen.drawn = true;
    pad_seen.frame = a->frames;
    pad_seen.screen = a->screen;
    pad_seen.top = top;
    pad_seen.bottom = bottom;
    pad_seen.field_top = field_top;
    pad_seen.field_bottom = field_bottom;
}

int chrome_pin_pad(app *a, int x, int y, int colw, const chrome_pad *p) {
    int m = ui_margin(app_ui(a)), w = a->w - 2 * m;
    side_pad s;
    if (!side_pad_layout(a, w, colw, p, &s)) {
        int h = pad_field_px(a, x, y, colw, p->typed, p->code_len, p->label, ui_font(app_ui(a), p->font_dp));
        int fh = h;
        h += p->field_gap;
        int kw, kh, gap;
        keypad_column_size(a, colw, p->erase, p->ok, &kw, &kh, &gap);
        keypad_keys(a, x, y + h, kw, kh, gap, p->act, p->erase, p->ok);
        int last = keypad_last_row(a, kw, kh, p->erase, p->ok);
        pad_seen_at(a, y, y + h + 3 * (kh + gap) + last, y, y + fh);
        return h + 3 * (kh + gap) + last + gap;
    }
    int keys_w = 3 * s.kw + 2 * s.gap, pad_h = 4 * s.kh + 3 * s.gap;
    int left = m + (w - (s.fw + s.side_gap + keys_w)) / 2;
    /* the field first (read, and reached by Tab, before the keys), in the middle of the pad's height, under what to
     * type: its name to the first comma («PIN-kode», «Kode fra klinikken»), at the keys' size, where it fits — the
     * screen opens scrolled to the pad on a phone on its side (chrome_pad_reveal), the heading out of sight */
    int fh = ren_line_skip(a->rn, ren_style(a->rn, REN_BOLD, s.fpx)) + app_px(a, 20);
    char what[96];
    utf8_copy(what, sizeof what, p->label); /* a long translation cut between characters, never in one */
    char *comma = strchr(what, ',');
    if (comma) *comma = '\0';
    int keep = a->bars_pct;
    a->bars_pct = s.pct;
    int wpx = ui_font(app_ui(a), DP_BODY);
    a->bars_pct = keep;
    int wh = ui_text_height(app_ui(a), what, REN_BOLD, wpx, s.fw), wgap = app_px(a, 6);
    bool named = wh + wgap + fh <= pad_h;
    int fy = named ? y + (pad_h - (wh + wgap + fh)) / 2 + wh + wgap : y + (pad_h - fh) / 2;
    if (named) ui_text(app_ui(a), what, REN_BOLD, wpx, a->th->ink[INK_TEXT], left, fy - wgap - wh, s.fw, ROLE_TEXT);
    pad_field_px(a, left, fy, s.fw, p->typed, p->code_len, p->label, s.fpx);
    a->bars_pct = s.pct;
    keypad_keys(a, left + s.fw + s.side_gap, y, s.kw, s.kh, s.gap, p->act, p->erase, p->ok);
    a->bars_pct = keep;
    pad_seen_at(a, y, y + pad_h, fy, fy + fh);
    return pad_h + s.gap;
}

/* A window too low for what is above the pad and the pad (a phone on its side at large text: the clinic's name, the
 * heading and «Les høyt» filled the view, the pad and its field under it out of sight, with no sign of them): a pad
 * screen opens scrolled the least that shows the pad and its field whole, what is above it a scroll up (Home); a
 * digit typed on a keyboard scrolls the least that shows the field, so the dots are seen as they come (no more: what
 * the pad's «OK» opens, the staff's screen, opens where the pad was). Not on a tap:
 * the pad would move under the finger, and a tapped key is in sight. True when it scrolled (app_draw draws again). */
bool chrome_pad_reveal(app *a) {
    bool typed = pad_typed;
    pad_typed = false;
    if (!pad_seen.drawn || pad_seen.frame != a->frames || pad_seen.screen != a->screen || a->view.area_top < 0)
        return false;
    int top = a->view.area_top, bottom = a->view.area_bottom, margin = app_px(a, 12);
    /* opened: on a window on its side (a phone; a tablet at 400 %) where the heading and what is above the pad
     * filled the view, the field out of sight; where the field shows, or upright, the screen opens at its top, its
     * heading and what to type first (a pad a little short of whole there is scrolled to, not its heading cut) */
    bool opening = pad_seen.opening && a->w > a->h && (pad_seen.field_top < top || pad_seen.field_bottom > bottom);
    pad_seen.opening = false;
    int want_top, want_bottom;
    int pad_h = pad_seen.bottom - pad_seen.top;
    if (opening && pad_h <= bottom - top) {
        if (pad_h > bottom - top - 2 * margin) margin = (bottom - top - pad_h) / 2; /* whole, if not its ring's room */
        want_top = pad_seen.top;
        want_bottom = pad_seen.bottom;
    } else if (typed || opening) {
        want_top = pad_seen.field_top;
        want_bottom = pad_seen.field_bottom;
    } else {
        return false;
    }
    int dy = 0;
    if (want_bottom > bottom - margin)
        dy = want_bottom - (bottom - margin);
    else if (want_top < top + margin)
        dy = want_top - (top + margin);
    if (want_top - dy < top + margin && dy > 0) dy = want_top - (top + margin); /* its top, if not both */
    int before = a->scroll_list;
    if (dy) screen_scroll_by(a, dy);
    return a->scroll_list != before;
}

bool chrome_keypad_key(app *a, SDL_Keycode k, app_action act) {
    pad_typed = (k >= SDLK_0 && k <= SDLK_9) || (k >= SDLK_KP_1 && k <= SDLK_KP_0) || k == SDLK_BACKSPACE;
    if (k >= SDLK_0 && k <= SDLK_9)
        app_do(a, act, (int)(k - SDLK_0));
    else if (k >= SDLK_KP_1 && k <= SDLK_KP_9)
        app_do(a, act, (int)(k - SDLK_KP_1) + 1);
    else if (k == SDLK_KP_0)
        app_do(a, act, 0);
    else if (k == SDLK_BACKSPACE)
        app_do(a, act, CHROME_KEY_ERASE);
    else if (k == SDLK_RETURN || k == SDLK_KP_ENTER)
        app_do(a, act, CHROME_KEY_OK);
    else
        return false;
    return true;
}
