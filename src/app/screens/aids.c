/* aids.c — «Lesehjelp», the reading aids: text size, colours, font, the line-focus ruler, paged or scrolling
 * reading, spacing (WCAG 1.4.12), with a live preview of the page the patient is reading, at their place.
 * The settings themselves change here too, from any screen (a pinch in the reader, + and - on a keyboard, the
 * harness's `set`): each change keeps the reading place and is saved at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chrome.h"
#include "pages.h"
#include "readaloud.h"
#include "screens.h"

static pagelayout *preview; /* the live preview's own layout: a narrower column than the reader's */
static int preview_scroll;  /* px into it: where the patient is reading */
#define PREVIEW_PAD 12      /* dp between the preview's frame and its text */

void aids_apply(app *a) {
    a->th = theme_by_name(a->set.theme);
    if (!settings_save(&a->set, a->st)) app_log("could not save the reading settings: %s", store_last_error(a->st));
}

/* The field of a settings struct by its name (the names describe and the harness use): a number or a word. */
static int *setting_number(settings *s, const char *name) {
    return strcmp(name, "text_pct") == 0     ? &s->text_pct
           : strcmp(name, "line_pct") == 0   ? &s->line_pct
           : strcmp(name, "para_pct") == 0   ? &s->para_pct
           : strcmp(name, "letter_pct") == 0 ? &s->letter_pct
           : strcmp(name, "word_pct") == 0   ? &s->word_pct
           : strcmp(name, "wpm") == 0        ? &s->wpm
           : strcmp(name, "speech_pct") == 0 ? &s->speech_pct
           : strcmp(name, "focus") == 0      ? &s->focus
           : strcmp(name, "scan_ms") == 0    ? &s->scan_ms
           : strcmp(name, "hear_tap") == 0   ? &s->hear_tap
                                             : NULL;
}

static char *setting_word(settings *s, const char *name, size_t *cap) {
    char *w = strcmp(name, "theme") == 0  ? s->theme
              : strcmp(name, "font") == 0 ? s->font
              : strcmp(name, "mode") == 0 ? s->mode
                                          : NULL;
    *cap = w == s->mode ? sizeof s->mode : sizeof s->theme;
    return w;
}

bool aids_get_setting(app *a, const char *name, char *buf, size_t cap) {
    size_t wcap;
    int *number = setting_number(&a->set, name);
    char *word = setting_word(&a->set, name, &wcap);
    if (number)
        snprintf(buf, cap, "%d", *number);
    else if (word)
        snprintf(buf, cap, "%s", word);
    else
        return false;
    return true;
}

bool aids_set_setting(app *a, const char *name, const char *value) {
    settings next = a->set;
    size_t wcap;
    int *number = setting_number(&next, name);
    char *word = setting_word(&next, name, &wcap);
    if (number)
        *number = atoi(value);
    else if (word)
        snprintf(word, wcap, "%s", value);
    else
        return false;
    /* validate through the store's rules: save, load back, and see that the value took */
    settings check;
    reader_keep_place(a);
    a->set = next;
    aids_apply(a);
    settings_load(&check, a->st);
    a->set = check;
    a->th = theme_by_name(a->set.theme);
    pages_invalidate(a);
    a->dirty = true;
    return check.text_pct == next.text_pct && strcmp(check.theme, next.theme) == 0 &&
           strcmp(check.font, next.font) == 0 && strcmp(check.mode, next.mode) == 0 && check.wpm == next.wpm &&
           check.line_pct == next.line_pct && check.para_pct == next.para_pct && check.letter_pct == next.letter_pct &&
           check.word_pct == next.word_pct && check.speech_pct == next.speech_pct && check.focus == next.focus &&
           check.scan_ms == next.scan_ms && check.hear_tap == next.hear_tap;
}

/* A theme choice, drawn in the theme's own colours so the patient sees what they pick. Themes are compared by
 * name: theme.h's tables are per translation unit, so their addresses differ between files. */
static int theme_button(app *a, size_t index, int x, int y, int w) {
    const theme *t = THEMES[index];
    bool chosen = strcmp(t->name, a->th->name) == 0;
    char key[32], label[160];
    snprintf(key, sizeof key, "theme.%s", t->name);
    snprintf(label, sizeof label, "%s%s%s", app_tr(a, key), chosen ? " – " : "",
             chosen ? app_tr(a, "aids.chosen") : "");
    int h = ui_button_height(app_ui(a), label, w, app_px(a, DP_BUTTON));
    int r = app_px(a, 10);
    ren_fill_round(a->rn, x, y, w, h, r, t->ink[INK_BG]);
    /* the chosen one has a thick frame in the current theme's text colour; the others a thin one in their own */
    if (chosen)
        ren_frame_round(a->rn, x, y, w, h, r, app_px(a, 5), a->th->ink[INK_TEXT]);
    else
        ren_frame_round(a->rn, x, y, w, h, r, app_px(a, 2), t->ink[INK_TEXT]);
    int px = ui_font(app_ui(a), DP_BODY), pad = app_px(a, 14);
    int th = ui_text_height(app_ui(a), label, REN_BOLD, px, w - 2 * pad);
    ui_text(app_ui(a), label, REN_BOLD, px, t->ink[INK_TEXT], x + pad, y + (h - th) / 2, w - 2 * pad, -1);
    size_t n0 = a->view.n; /* none added where the list's clip hides it */
    view_add(&a->view, ROLE_BUTTON, label, x, y, w, h, ACT_THEME, (int)index);
    view_choice(&a->view, n0, VIEW_CHOICE_ONE, chosen);
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
    int bold = ren_style(a->rn, REN_BOLD, ui_font(app_ui(a), DP_BODY));
    int bw = ren_measure(a->rn, bold, "+", 1) + app_px(a, 48);
    if (bw < app_px(a, 64)) bw = app_px(a, 64);
    int bh = ui_button_height(app_ui(a), "+", bw, app_px(a, DP_BUTTON));
    int tw = w - 2 * bw - app_px(a, 24);
    int th_ = ui_text_height(app_ui(a), line, REN_REGULAR, ui_font(app_ui(a), DP_BODY), tw);
    int h = th_ > bh ? th_ : bh;
    ui_text(app_ui(a), line, REN_REGULAR, ui_font(app_ui(a), DP_BODY), th->ink[INK_TEXT], x, y + (h - th_) / 2, tw, ROLE_STATUS);
    char less[160], more[160];
    snprintf(less, sizeof less, "%s: %s", app_tr(a, keys[which]), app_tr(a, "aids.less"));
    snprintf(more, sizeof more, "%s: %s", app_tr(a, keys[which]), app_tr(a, "aids.more"));
    ui_button_ex(app_ui(a), x + w - 2 * bw - app_px(a, 10), y + (h - bh) / 2, bw, bh, less, "–", BTN_SECONDARY,
                 ACT_SPACING_LESS, (int)which);
    ui_button_ex(app_ui(a), x + w - bw, y + (h - bh) / 2, bw, bh, more, "+", BTN_SECONDARY, ACT_SPACING_MORE, (int)which);
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
    int px = ui_font(app_ui(a), DP_BODY), pad = app_px(a, 14);
    int style = ren_style_family(a->rn, (ren_family)index, REN_REGULAR, px);
    layout_run run = {label, strlen(label), style};
    layout_paragraph(&app_ui(a)->scratch, ren_layout_font(a->rn), &run, 1, w - 2 * pad);
    int line_h = ren_line_skip(a->rn, style);
    int th = (int)app_ui(a)->scratch.n_lines * line_h;
    int h = th + 2 * pad > app_px(a, DP_BUTTON) ? th + 2 * pad : app_px(a, DP_BUTTON);
    int r = app_px(a, 10);
    ren_fill_round(a->rn, x, y, w, h, r, a->th->ink[INK_CARD_BG]);
    ren_frame_round(a->rn, x, y, w, h, r, app_px(a, chosen ? 5 : 2), a->th->ink[chosen ? INK_TEXT : INK_CARD_BORDER]);
    int ty = y + (h - th) / 2;
    for (size_t l = 0; l < app_ui(a)->scratch.n_lines; l++) {
        const layout_line *ln = &app_ui(a)->scratch.lines[l];
        for (uint32_t f = ln->first; f < ln->first + ln->count; f++) {
            const layout_frag *fr = &app_ui(a)->scratch.frags[f];
            ren_text_words(a->rn, style, a->th->ink[INK_TEXT], label + fr->off, fr->len, x + pad + fr->x,
                           ty + (int)l * line_h);
        }
    }
    size_t n0 = a->view.n; /* none added where the list's clip hides it */
    view_add(&a->view, ROLE_BUTTON, label, x, y, w, h, ACT_FONT, (int)index);
    view_choice(&a->view, n0, VIEW_CHOICE_ONE, chosen);
    return h;
}

/* A phone on its side (a short window, wider than tall): the preview stands beside the settings, out of the
 * scrolling list, so the words stay in sight whatever is changed — under the settings at 640x360 and 400 % it was
 * below the screen while «A+» was pressed (issue 13). The settings take the left half, the preview the right. */
static bool preview_beside(app *a) { return chrome_short_window(a) && a->w > a->h; }
static int beside_colw(app *a) { return (a->w - 3 * ui_margin(app_ui(a))) / 2; }

/* Before the frame: the preview laid out in the column draw_aids gives it (the list's column less the box's
 * padding), and scrolled to the patient's place in the page under this screen. */
static void aids_update(app *a) {
    int colw = preview_beside(a) ? beside_colw(a) : chrome_column(a);
    const doc_page *page = &a->prog->modules[a->module].pages[a->page];
    pl_params pp = pages_params(a, colw - 2 * app_px(a, PREVIEW_PAD));
    if (!preview || !pl_matches(preview, page, &pp)) {
        pl_free(preview);
        preview = pl_build(a->rn, page, &pp);
    }
    if (!preview) return;
    int block = 0, permille = 0;
    pagelayout *cur = nav_below(a) == SCREEN_PAGE ? pages_layout(a) : NULL;
    if (a->pending_block >= 0)
        block = a->pending_block;
    else if (cur)
        pl_anchor(cur, a->scroll_page, &block, &permille);
    preview_scroll = pl_scroll_for(preview, block, 0);
}

/* The preview box at (x, y), w × box_h: the page under this screen in the settings chosen, clipped to the box and
 * to the rows from clip_top down (the scrolling list's top, or the bar's bottom beside it); then the clip is back
 * to the list's (in_list) or off. */
static void draw_preview(app *a, int x, int y, int w, int box_h, int clip_top, bool in_list) {
    const theme *th = a->th;
    int pad = app_px(a, PREVIEW_PAD);
    ren_fill_round(a->rn, x, y, w, box_h, app_px(a, 10), th->ink[INK_BG]);
    ren_frame_round(a->rn, x, y, w, box_h, app_px(a, 10), app_px(a, 2), th->ink[INK_CARD_BORDER]);
    if (!preview) return;
    int inner_top = y + pad, inner_h = box_h - 2 * pad;
    int ct = inner_top > clip_top ? inner_top : clip_top;
    int cb = inner_top + inner_h < a->h ? inner_top + inner_h : a->h;
    SDL_Rect clip = {x + pad, ct, w - 2 * pad, cb - ct};
    if (clip.h <= 0) return;
    ren_clip(a->rn, &clip);
    view_clip(&a->view, clip.x, clip.y, clip.w, clip.h);
    pl_draw(preview, a->rn, th, x + pad, inner_top, preview_scroll, inner_h);
    size_t n0 = a->view.n, nf0 = a->view.nf;
    pl_describe(preview, &a->view, x + pad, inner_top, preview_scroll, ct, clip.h);
    /* the preview shows how the page looks; its glossary terms are not this screen's controls: Tab went to one far
     * down the page, out of the box, and scrolled «Lesehjelp» to its end (issue 13's audit) */
    view_focus_truncate(&a->view, nf0);
    /* the page's headings under this screen's «Slik ser teksten ut» (2): its h1 a level 3, and so on down */
    for (size_t i = n0; i < a->view.n; i++)
        if (a->view.e[i].role == ROLE_HEADING && a->view.e[i].level > 0)
            a->view.e[i].level = a->view.e[i].level + 2 < 6 ? a->view.e[i].level + 2 : 6;
    SDL_Rect list = {0, clip_top, a->w, a->h - clip_top};
    ren_clip(a->rn, in_list ? &list : NULL);
    if (in_list)
        view_clip(&a->view, list.x, list.y, list.w, list.h);
    else
        view_clip_off(&a->view);
}

/* «A−», the text size now and «A+» across colw at (x, y), the figure at pct_dp type (on its own line under the
 * buttons when it does not fit between them); tight: buttons with less padding (still 48 dp), for a half-width
 * column. Returns the height. */
static int size_row(app *a, int x, int y, int colw, double pct_dp, bool tight) {
    const theme *th = a->th;
    int y0 = y;
    int bold = ren_style(a->rn, REN_BOLD, ui_font(app_ui(a), DP_BODY));
    int bw = ren_measure(a->rn, bold, "A+", 2) + app_px(a, tight ? 16 : 40);
    int least = app_px(a, tight ? DP_TARGET : 72);
    if (bw < least) bw = least;
    int bh = ui_button_height(app_ui(a), "A+", bw, app_px(a, DP_BUTTON));
    ui_button_ex(app_ui(a), x, y, bw, bh, app_tr(a, "aids.smaller"), "A–", BTN_SECONDARY, ACT_TEXT_SMALLER, 0);
    ui_button_ex(app_ui(a), x + colw - bw, y, bw, bh, app_tr(a, "aids.bigger"), "A+", BTN_SECONDARY, ACT_TEXT_BIGGER, 0);
    char pct[32], pct_label[128];
    snprintf(pct, sizeof pct, "%d %%", a->set.text_pct);
    const char *args[1] = {pct};
    i18n_format(pct_label, sizeof pct_label, app_tr(a, "aids.text_size_now"), 1, args);
    int mid = colw - 2 * bw - app_px(a, 16);
    int style = ren_style(a->rn, REN_BOLD, ui_font(app_ui(a), pct_dp));
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
    return y + bh - y0;
}

static void draw_aids(app *a) {
    const theme *th = a->th;
    int top, x, colw;
    int y = chrome_list_screen(a, app_tr(a, "aids.title"), true, &top, &x, &colw);
    bool beside = preview_beside(a);
    if (beside) {
        colw = beside_colw(a);
        x = ui_margin(app_ui(a));
    }
    if (!chrome_line_says(app_tr(a, "aids.title"))) /* a phone: the line under the bar names it */
        y += ui_heading(app_ui(a), app_tr(a, "aids.title"), DP_H1, x, y, colw) + app_px(a, 12);
    y += app_px(a, 4);

    /* text size: A− [150 %] A+ (beside the list with the preview on a phone on its side) */
    if (!beside) {
        y += ui_heading(app_ui(a), app_tr(a, "aids.text_size"), DP_H3, x, y, colw);
        y += app_px(a, 8);
        y += size_row(a, x, y, colw, DP_H2, false) + app_px(a, 16);
    }

    /* live preview: the page the patient is reading, at the place they are, in the settings chosen; right under the
     * text size, so the words are in sight while «A+» is pressed (each colour and font button shows itself); on a
     * phone on its side, beside the list (drawn after it) */
    if (!beside) {
        y += ui_heading(app_ui(a), app_tr(a, "aids.preview"), DP_H3, x, y, colw);
        y += app_px(a, 8);
        int box_h = a->h * 2 / 5;
        draw_preview(a, x, y, colw, box_h, top, true);
        y += box_h + app_px(a, 24);
    }

    /* colours */
    y += ui_heading(app_ui(a), app_tr(a, "aids.colours"), DP_H3, x, y, colw);
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
    y += ui_heading(app_ui(a), app_tr(a, "aids.font"), DP_H3, x, y, colw);
    y += app_px(a, 8);
    for (size_t i = 0; i < 3; i++)
        y += font_button(a, i, x, y, colw) + gap;
    y += app_px(a, 14);

    /* line-focus ruler */
    y += ui_heading(app_ui(a), app_tr(a, "aids.focus"), DP_H3, x, y, colw);
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
            size_t n0 = a->view.n;
            int h = ui_button(app_ui(a), x + col * (fw + gap), y, fw, app_px(a, DP_BUTTON), label,
                              chosen ? BTN_PRIMARY : BTN_SECONDARY, ACT_FOCUS, lines[i]);
            view_choice(&a->view, n0, VIEW_CHOICE_ONE, chosen);
            rowh = h > rowh ? h : rowh;
            if (!two || col == 1) {
                y += rowh + gap;
                rowh = 0;
            }
        }
    }
    y += app_px(a, 14);

    /* paged or scrolling */
    y += ui_heading(app_ui(a), app_tr(a, "aids.mode"), DP_H3, x, y, colw);
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
            size_t n0 = a->view.n;
            int h = ui_button(app_ui(a), bx, y, mw, app_px(a, DP_BUTTON), label, chosen ? BTN_PRIMARY : BTN_SECONDARY, ACT_MODE, i);
            view_choice(&a->view, n0, VIEW_CHOICE_ONE, chosen);
            if (two)
                rowh = h > rowh ? h : rowh;
            else
                y += h + gap;
        }
        if (two) y += rowh + gap;
    }
    y += app_px(a, 14);

    /* spacing (WCAG 1.4.12) */
    y += ui_heading(app_ui(a), app_tr(a, "aids.spacing"), DP_H3, x, y, colw);
    y += app_px(a, 8);
    for (int k = 0; k < SPACING_COUNT; k++)
        y += spacing_row(a, (settings_spacing)k, x, y, colw) + gap;
    y += app_px(a, 14);

    /* switch scanning (keynav.h): the focus steps by itself, one key or a tap selects */
    y += ui_heading(app_ui(a), app_tr(a, "aids.scan"), DP_H3, x, y, colw);
    y += app_px(a, 4);
    y += ui_text(app_ui(a), app_tr(a, "aids.scan_about"), REN_REGULAR, ui_font(app_ui(a), DP_BODY), th->ink[INK_TEXT], x, y,
                 colw, ROLE_TEXT);
    y += app_px(a, 8);
    {
        static const int paces[] = SETTINGS_SCAN_STEPS;
        for (size_t i = 0; i < sizeof paces / sizeof paces[0]; i++) {
            bool chosen = a->set.scan_ms == paces[i];
            char key[32], label[200];
            snprintf(key, sizeof key, paces[i] ? "aids.scan_%d" : "aids.scan_off", paces[i]);
            snprintf(label, sizeof label, "%s%s%s", app_tr(a, key), chosen ? " – " : "", chosen ? app_tr(a, "aids.chosen") : "");
            size_t n0 = a->view.n;
            y += ui_button(app_ui(a), x, y, colw, app_px(a, DP_BUTTON), label, chosen ? BTN_PRIMARY : BTN_SECONDARY, ACT_SCAN,
                           paces[i]) + gap;
            view_choice(&a->view, n0, VIEW_CHOICE_ONE, chosen);
        }
    }

    /* «Les opp det jeg trykker på» (readaloud.h): a first tap says a control, a second does it */
    if (readaloud_offered(a)) {
        y += app_px(a, 14);
        y += ui_heading(app_ui(a), app_tr(a, "aids.hear"), DP_H3, x, y, colw);
        y += app_px(a, 4);
        y += ui_text(app_ui(a), app_tr(a, "aids.hear_about"), REN_REGULAR, ui_font(app_ui(a), DP_BODY), th->ink[INK_TEXT], x,
                     y, colw, ROLE_TEXT);
        y += app_px(a, 8);
        int mw = two ? (colw - gap) / 2 : colw, rowh = 0;
        for (int i = 0; i < 2; i++) {
            bool chosen = (a->set.hear_tap != 0) == (i == 1);
            char label[160];
            snprintf(label, sizeof label, "%s%s%s", app_tr(a, i ? "aids.hear_on" : "aids.hear_off"), chosen ? " – " : "",
                     chosen ? app_tr(a, "aids.chosen") : "");
            int bx = two ? x + i * (mw + gap) : x;
            size_t n0 = a->view.n;
            int h = ui_button(app_ui(a), bx, y, mw, app_px(a, DP_BUTTON), label, chosen ? BTN_PRIMARY : BTN_SECONDARY,
                              ACT_HEAR_TAP, i);
            view_choice(&a->view, n0, VIEW_CHOICE_ONE, chosen);
            if (two)
                rowh = h > rowh ? h : rowh;
            else
                y += h + gap;
        }
        if (two) y += rowh + gap;
    }
    y += app_px(a, 24);
    int dh = ui_button(app_ui(a), x, y, colw, app_px(a, DP_BUTTON_MAIN), app_tr(a, "aids.done"), BTN_PRIMARY, ACT_BACK, 0);
    chrome_end_list(a, y + dh + app_px(a, 4));
    if (beside) {
        /* the right half, from under the bar to the foot of the window, still while the list scrolls */
        int m = ui_margin(app_ui(a)), px = 2 * m + colw, py = top + app_px(a, 8);
        ren_fill(a->rn, px - m / 2, top, a->w - px + m / 2, a->h - top, th->ink[INK_BG]);
        /* the size's buttons over the words they change; the figure at the body's type to fit between them. The
         * preview is named by its words (read aloud as the page's), not by a heading that would take its room */
        py += size_row(a, px, py, colw, DP_BODY, true) + app_px(a, 8);
        draw_preview(a, px, py, colw, a->h - py - app_px(a, 8), top, false);
    }
}

/* New content, or the client stops: the preview was laid out from the old programme. */
static void aids_forget(app *a) {
    (void)a;
    pl_free(preview);
    preview = NULL;
}

/* The settings' actions, from the aids screen or anywhere else. */
bool aids_settings_action(app *a, app_action act, int arg) {
    switch (act) {
    case ACT_TEXT_BIGGER:
    case ACT_TEXT_SMALLER: {
        int pct = settings_text_step(a->set.text_pct, act == ACT_TEXT_BIGGER ? 1 : -1);
        if (pct != a->set.text_pct) {
            reader_keep_place(a);
            a->set.text_pct = pct;
            pages_invalidate(a);
            aids_apply(a);
        }
        return true;
    }
    case ACT_THEME:
        if (arg >= 0 && (size_t)arg < THEME_COUNT) {
            snprintf(a->set.theme, sizeof a->set.theme, "%s", THEMES[arg]->name);
            aids_apply(a);
        }
        return true;
    case ACT_FOCUS:
        if (arg == 0 || arg == 1 || arg == 3 || arg == 5) {
            a->set.focus = arg;
            aids_apply(a);
        }
        return true;
    case ACT_SCAN:
        if (settings_scan_valid(arg)) {
            a->set.scan_ms = arg;
            aids_apply(a);
        }
        return true;
    case ACT_HEAR_TAP:
        if (arg == 0 || arg == 1) {
            a->set.hear_tap = arg;
            aids_apply(a);
        }
        return true;
    case ACT_MODE:
        if (arg == 0 || arg == 1) {
            reader_keep_place(a);
            snprintf(a->set.mode, sizeof a->set.mode, "%s", arg == 0 ? "paged" : "scroll");
            aids_apply(a);
        }
        return true;
    case ACT_SPACING_LESS:
    case ACT_SPACING_MORE:
        if (arg >= 0 && arg < SPACING_COUNT) {
            int v = settings_spacing_step(&a->set, (settings_spacing)arg, act == ACT_SPACING_MORE ? 1 : -1);
            if (v != settings_spacing_get(&a->set, (settings_spacing)arg)) {
                reader_keep_place(a);
                settings_spacing_set(&a->set, (settings_spacing)arg, v);
                pages_invalidate(a);
                aids_apply(a);
            }
        }
        return true;
    case ACT_FONT: {
        static const char *const fonts[] = {"sans", "serif", "dyslexic"};
        if (arg >= 0 && arg < 3 && strcmp(a->set.font, fonts[arg]) != 0) {
            reader_keep_place(a);
            snprintf(a->set.font, sizeof a->set.font, "%s", fonts[arg]);
            pages_invalidate(a);
            aids_apply(a);
        }
        return true;
    }
    default: return false;
    }
}

/* Opened over the reader (or another screen): the place is kept, so closing it lands on the same words. */
void aids_open(app *a) {
    if (a->screen == SCREEN_AIDS || a->screen == SCREEN_HELP) return;
    reader_keep_place(a);
    nav_push(a, SCREEN_AIDS);
    a->scroll_list = 0;
}

const screen_ops screen_aids = {
    .name = "aids",
    .update = aids_update,
    .draw = draw_aids,
    .reload = aids_forget,
    .close = aids_forget,
};
