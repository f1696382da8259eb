/* exercise.c — one exercise of a page, filled in on its own screen: text fields (written in the editor), scales,
 * choices and checklists, and tables (a thought record, an exposure diary) with a card per row.
 *
 * The answers are kept by src/core/answers.c. Every change is saved at once (store_answer_set: sealed, one
 * fsync'd transaction, a new revision); leaving the exercise queues the revision for the server
 * (sync_queue_answer), once. A text field or a table cell is written in the editor, through a target whose
 * save writes the text into the answers and the answers into the store. */
#define _DEFAULT_SOURCE /* localtime_r */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chrome.h"
#include "keynav.h"
#include "pages.h"
#include "meistring/answers.h"
#include "meistring/sync.h"
#include "screens.h"

/* The exercise being filled in: its block in the current page, its answers (owned here), and the field or cell
 * the editor writes into (row -1: a text field). */
static int ex_block = -1;
static answers *ans;
static int ex_field, ex_row, ex_col;

static const doc_block *ex_current(const app *a) {
    if (a->module < 0 || (size_t)a->module >= a->prog->n_modules) return NULL;
    const doc_module *m = &a->prog->modules[a->module];
    if (a->page < 0 || (size_t)a->page >= m->n_pages) return NULL;
    const doc_page *pg = &m->pages[a->page];
    if (ex_block < 0 || (size_t)ex_block >= pg->n_blocks) return NULL;
    const doc_block *b = &pg->blocks[ex_block];
    return b->type == DOC_BLOCK_EXERCISE ? b : NULL;
}

const doc_block *exercise_block(const app *a) { return a->screen == SCREEN_EXERCISE ? ex_current(a) : NULL; }

static const doc_field *field_at(const app *a, int i) {
    const doc_block *b = ex_current(a);
    return b && i >= 0 && (size_t)i < b->n_fields ? &b->fields[i] : NULL;
}

static bool store_answers(app *a) {
    const doc_block *b = ex_current(a);
    char *j = b && ans ? answers_to_json(ans) : NULL;
    bool ok = j && store_answer_set(a->st, b->id, j);
    free(j);
    return ok;
}

static void save(app *a) {
    if (!store_answers(a)) {
        app_log("cannot save an answer: %s", store_last_error(a->st)); /* never the text */
        app_show_error(a, "ex.not_saved");
    } else {
        app_clear_error(a, "ex.not_saved"); /* this save kept what the last one lost */
    }
    a->dirty = true;
}

void exercise_open(app *a, int block) {
    ex_block = block;
    const doc_block *b = ex_current(a);
    if (!b) return;
    if (!ans) ans = answers_new();
    if (!ans) return;
    char *j = store_answer_get(a->st, b->id, NULL, NULL);
    answers_load(ans, j); /* none yet, or unreadable: it starts empty rather than lose the screen */
    free(j);
    nav_push(a, SCREEN_EXERCISE);
    a->scroll_list = 0;
    a->dirty = true;
}

/* A number column offered as buttons: the values (all of 0–10, or 0–100 in tens); 0 when it is typed instead. */
static int number_steps(const doc_column *c, int *out, int cap) {
    if (c->kind != DOC_COL_NUMBER || c->min >= c->max) return 0;
    /* 0–10 as eleven buttons, 0–100 in tens: a tap instead of typing digits; wider ranges are typed */
    int range = c->max - c->min, step = range <= 10 ? 1 : range <= 100 && range % 10 == 0 ? 10 : 0;
    int n = 0;
    for (int v = c->min; step && v <= c->max && n < cap; v += step)
        out[n++] = v;
    return step ? n : 0;
}

/* ---- what a tap names --------------------------------------------------------------------------------------
 * An element's action carries one int. A field's choice is field << 12 | choice (a scale's step from its
 * minimum, or an option's index); a table's cell is field << 20 | row << 12 | column << 8 | step (step: a
 * number button's index, 0 otherwise). Rows < 256 (MS_ANSWER_MAX_ROWS), columns < 16 (MS_DOC_MAX_COLUMNS). */
static int choice_arg(int field, int choice) { return field << 12 | choice; }
static int cell_arg(int field, int row, int col, int step) { return field << 20 | row << 12 | col << 8 | step; }

typedef struct {
    int field, row, col, step;
} cell_ref;

static cell_ref cell_of(int arg) { return (cell_ref){arg >> 20, (arg >> 12) & 0xFF, (arg >> 8) & 0xF, arg & 0xFF}; }

/* ---- the editor's target: a text field, or one cell of a table --------------------------------------------- */

static char *target_load(app *a, size_t *caret) {
    const doc_field *f = field_at(a, ex_field);
    if (!f) return NULL;
    char buf[MS_ANSWER_MAX_BYTES + 1];
    if (ex_row < 0)
        snprintf(buf, sizeof buf, "%s", answers_text(ans, f));
    else
        answers_cell(ans, f, ex_row, ex_col, buf, sizeof buf);
    *caret = strlen(buf); /* the caret at the end */
    return strdup(buf);
}

/* The editor's text changed: into the answers, and the answers into the store. */
static bool target_save(app *a, const char *text, size_t caret) {
    (void)caret;
    const doc_field *f = field_at(a, ex_field);
    if (!f || !ans) return false;
    if (ex_row >= 0)
        answers_set_cell_text(ans, f, ex_row, ex_col, text);
    else
        answers_set_text(ans, f, text);
    return store_answers(a);
}

static void edit_in_editor(app *a, int field, int row, int col) {
    const doc_block *b = ex_current(a);
    const doc_field *f = field_at(a, field);
    if (!b || !f) return;
    ex_field = field;
    ex_row = row;
    ex_col = col;
    editor_target t = {.max_bytes = MS_ANSWER_MAX_BYTES, .load = target_load, .save = target_save};
    if (row < 0) {
        snprintf(t.key, sizeof t.key, "answer/%s/%s", b->id, f->id);
        snprintf(t.title, sizeof t.title, "%s", f->label);
    } else {
        snprintf(t.key, sizeof t.key, "answer/%s/%s/%d/%s", b->id, f->id, row, f->columns[col].id);
        /* the question the column asks, then which column and row (as the form's button says it); a column
         * without a question is named with its table, so the patient knows which form this is */
        const doc_column *c = &f->columns[col];
        char rn[16], where[300];
        snprintf(rn, sizeof rn, "%d", row + 1);
        const char *args[2] = {c->label, rn};
        i18n_format(where, sizeof where, app_tr(a, "ex.cell"), 2, args);
        const char *qargs[2] = {c->question ? c->question : f->label, where};
        i18n_format(t.title, sizeof t.title, app_tr(a, c->question ? "ex.cell_question" : "ex.cell_in"), 2, qargs);
    }
    editor_open(a, &t);
}

/* ---- the exercise's actions -------------------------------------------------------------------------------- */

static void value(app *a, int field, int choice) {
    const doc_field *f = field_at(a, field);
    if (!f) return;
    bool changed = f->type == DOC_FIELD_SCALE ? answers_set_scale(ans, f, choice)
                   : f->type == DOC_FIELD_CHOICE || f->type == DOC_FIELD_CHECKLIST ? answers_choose(ans, f, choice)
                                                                                   : false;
    if (changed) save(a);
}

static void cell_number(app *a, int field, int row, int col, int v) {
    const doc_field *f = field_at(a, field);
    if (f && answers_set_cell_number(ans, f, row, col, v)) save(a);
}

static void cell_step(app *a, int arg) {
    cell_ref c = cell_of(arg);
    int field = c.field, row = c.row, col = c.col, step = c.step;
    const doc_field *f = field_at(a, field);
    if (!f || f->type != DOC_FIELD_TABLE || (size_t)col >= f->n_columns) return;
    int values[16];
    int n = number_steps(&f->columns[col], values, 16);
    if (step < n) cell_number(a, field, row, col, values[step]);
}

static void cell_today(app *a, int field, int row, int col) {
    const doc_field *f = field_at(a, field);
    if (!f) return;
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    if (answers_set_cell_date(ans, f, row, col, &tm)) save(a); /* as Norwegians write a date */
}

/* Done (or Back): everything is saved already; leaving queues it for the therapist, once. */
static void done(app *a) {
    const doc_block *b = ex_current(a);
    if (b && ans && !answers_is_empty(ans)) {
        char id[33];
        if (!sync_queue_answer(a->st, b->id, id))
            app_log("cannot queue answers: %s", store_last_error(a->st));
        else if (id[0] && a->sync)
            syncer_now(a->sync);
        app_show_toast(a, app_tr(a, a->sync ? "ex.saved" : "ex.saved_demo"), 4000);
    }
    answers_free(ans);
    ans = NULL;
    if (a->screen == SCREEN_EXERCISE) nav_pop(a);
    a->dirty = true;
}

static bool exercise_action(app *a, app_action act, int arg) {
    switch (act) {
    case ACT_EX_VALUE: value(a, arg >> 12, arg & 0xFFF); return true;
    case ACT_EX_TEXT: {
        const doc_field *f = field_at(a, arg);
        if (f && f->type == DOC_FIELD_TEXT) edit_in_editor(a, arg, -1, -1);
        return true;
    }
    case ACT_EX_DONE: done(a); return true;
    case ACT_EX_CELL: {
        cell_ref c = cell_of(arg);
        int field = c.field, row = c.row, col = c.col;
        const doc_field *f = field_at(a, field);
        if (f && f->type == DOC_FIELD_TABLE && row >= 0 && row < MS_ANSWER_MAX_ROWS && col >= 0 &&
            (size_t)col < f->n_columns)
            edit_in_editor(a, field, row, col);
        return true;
    }
    case ACT_EX_TODAY: {
        cell_ref c = cell_of(arg);
        cell_today(a, c.field, c.row, c.col);
        return true;
    }
    case ACT_EX_ADD_ROW: {
        const doc_field *f = field_at(a, arg);
        if (f && answers_add_row(ans, f)) save(a);
        return true;
    }
    case ACT_EX_CELL_NUM: cell_step(a, arg); return true;
    default: return false;
    }
}

/* Typing with the keyboard's focus on a written answer or a table's cell: the editor opens on it with what was
 * typed, as a tap or Return would open it (the letters went nowhere, and the ring went away: issue 13's audit). */
static const view_elem *focused_answer(const app *a) {
    int i = keynav_focus_elem(a);
    if (i < 0 || (size_t)i >= a->view.n) return NULL;
    const view_elem *e = &a->view.e[i];
    return e->action == ACT_EX_TEXT || e->action == ACT_EX_CELL ? e : NULL;
}

/* + and − are the text size's keys on every screen; on a written answer's control they are its first letter (the
 * text event that follows opens it): typing «-ikke» there made the text smaller and lost the word */
static bool exercise_key(app *a, SDL_Keycode k, Uint16 mod) {
    (void)mod;
    bool sign = k == SDLK_PLUS || k == SDLK_KP_PLUS || k == SDLK_EQUALS || k == SDLK_MINUS || k == SDLK_KP_MINUS;
    return sign && focused_answer(a);
}

static bool exercise_text(app *a, const char *utf8) {
    const view_elem *e = focused_answer(a);
    if (!e) return false;
    exercise_action(a, (app_action)e->action, e->arg);
    const screen_ops *w = screen_get(SCREEN_WRITE);
    if (a->screen == SCREEN_WRITE && w->text) w->text(a, utf8);
    return true;
}

/* The page changed under the exercise (new content from the clinic): back to the page. */
static void exercise_update(app *a) {
    if (!ex_current(a)) nav_pop(a);
}

static void exercise_close(app *a) {
    (void)a;
    answers_free(ans);
    ans = NULL;
}

/* ---- drawing --------------------------------------------------------------------------------------------------- */

/* The width of a button that shows a number at px: its widest value on one line with a little room (number_button
 * draws it, without a text button's wide padding), and never under the 48 dp target (a scale's "10", a strength's
 * "100", at any text size); with its box drawn inset px in from each side, the target around it. */
static int number_button_w(app *a, const char *widest, int px, int inset) {
    int st = ren_style(a->rn, REN_BOLD, px);
    int w = ren_measure(a->rn, st, widest, strlen(widest)) + 2 * app_px(a, 4) + 2 + 2 * inset;
    return w > app_px(a, DP_TARGET) ? w : app_px(a, DP_TARGET);
}

/* A button showing a number at px, centred: the box is a button's, the number is drawn here with less padding than
 * a button's label gets (a label that does not fit a button wraps: "1" over "0"). */
static void number_button(app *a, int x, int y, int w, int h, int inset, int px, const char *label, const char *num,
                          bool on, int action, int arg) {
    size_t n0 = a->view.n;
    ui_button_inset(app_ui(a), x, y, w, h, inset, label, "", on ? BTN_PRIMARY : BTN_SECONDARY, action, arg);
    view_choice(&a->view, n0, VIEW_CHOICE_ONE, on); /* one step of a scale, one number of a cell */
    int st = ren_style(a->rn, REN_BOLD, px);
    int tw = ren_measure(a->rn, st, num, strlen(num));
    ren_text(a->rn, st, a->th->ink[on ? INK_BUTTON_TEXT : INK_TEXT], num, strlen(num), x + (w - tw) / 2,
             y + (h - ren_line_skip(a->rn, st)) / 2);
}

/* How many buttons of bw (and gap) go in a row of colw so that n of them make as few rows as fit, all rows but
 * the last full and every row in the same columns: never 10 over 1. */
static int balanced_per_row(int n, int colw, int bw, int gap) {
    int fit = (colw + gap) / (bw + gap);
    if (fit < 1) fit = 1;
    if (fit >= n) return n;
    int rows = (n + fit - 1) / fit;
    return (n + rows - 1) / rows;
}

/* A scale's n steps laid out in a column colw wide: per a row, each a target bw by bh with gap between (row_gap
 * between rows), its box drawn inset px in from its sides, the numbers at px. */
typedef struct {
    int per, bw, bh, gap, row_gap, inset, px;
} scale_grid;

/* The inset of a step's box when the targets touch: the boxes DP_SCALE_GAP_MIN apart, as the least gap has them. */
static int scale_touch_inset(app *a) { return (app_px(a, DP_SCALE_GAP_MIN) + 1) / 2; }

/* The width of a step's target when the targets touch: its box holds the number, the target is 48 dp at least. */
static int scale_touch_w(app *a, const char *widest, int px) { return number_button_w(a, widest, px, scale_touch_inset(a)); }

/* The least column that holds n steps in two aligned rows: half of them side by side, their 48 dp targets touching,
 * the numbers at the interface's 100 %. A table's card widens to it where it can. */
static int scale_least_w(app *a, int n, const char *widest) {
    return (n + 1) / 2 * scale_touch_w(a, widest, app_px(a, DP_BODY));
}

/* Deliverable 7 (issue 13): a scale keeps one row, or two rows in the same columns (0–5 over 6–10), at every size —
 * a row read as a ruler, not 0–3/4–7/8–10 as a phone had it at 100 and 400 %. All n on one row where they fit with
 * the 6 dp gap; else two rows, the gap narrowed as far as DP_SCALE_GAP_MIN; else (a strength's "100" at a phone's
 * capped 135 %) the numbers a little smaller, down to the interface's 100 % and no further; then (a 320 dp phone:
 * six 48 dp steps are its whole 288 dp column) the targets touch, each box drawn inset so they still stand
 * DP_SCALE_GAP_MIN apart — the target is the step's share of the row, as WCAG 2.5.8 counts spacing; only then
 * more rows. Every step stays a 48 dp target. bh_dp: the height of a one-line button here. */
static scale_grid scale_layout(app *a, int n, const char *widest, int colw, int bh_dp) {
    scale_grid g = {.gap = app_px(a, 6), .px = ui_font(app_ui(a), DP_BODY)};
    int least_px = app_px(a, DP_BODY), least_gap = app_px(a, DP_SCALE_GAP_MIN), half = (n + 1) / 2;
    for (;;) {
        g.bw = number_button_w(a, widest, g.px, 0);
        if (n <= 2 || n * g.bw + (n - 1) * g.gap <= colw) {
            g.per = n * g.bw + (n - 1) * g.gap <= colw ? n : 1; /* two steps that do not fit side by side: stacked */
            break;
        }
        int gap = (colw - half * g.bw) / (half - 1);
        if (gap >= least_gap) {
            g.per = half;
            if (gap < g.gap) g.gap = gap;
            break;
        }
        if (g.px <= least_px) {
            int tw = scale_touch_w(a, widest, g.px);
            if (half * tw <= colw) {
                g.per = half;
                g.gap = 0;
                g.inset = scale_touch_inset(a);
                break;
            }
            g.per = balanced_per_row(n, colw, g.bw, g.gap);
            break;
        }
        g.px--;
    }
    if (g.per < 1) g.per = 1;
    g.bw = (colw + g.gap) / g.per - g.gap; /* rows fill the column */
    /* targets side by side may touch; rows stand apart as far as the boxes of a row do */
    g.row_gap = g.inset ? 2 * g.inset : g.gap;
    /* as tall as the box ui_button_ex draws for a one-line label, so rows never overlap at large text */
    g.bh = ui_button_height(app_ui(a), widest, 4 * colw, app_px(a, bh_dp));
    return g;
}

/* A row of buttons that wraps: a scale's steps. Returns the height used. */
static int draw_scale(app *a, const doc_field *f, int fi, int x, int y, int colw) {
    int v = 0;
    bool set = answers_scale(ans, f, &v);
    int n = f->max - f->min + 1;
    char widest[16];
    snprintf(widest, sizeof widest, "%d", abs(f->min) > abs(f->max) ? f->min : f->max);
    scale_grid g = scale_layout(a, n, widest, colw, DP_BUTTON);
    int y0 = y;
    for (int i = 0; i < n; i++) {
        char num[16];
        snprintf(num, sizeof num, "%d", f->min + i);
        int bx = x + (i % g.per) * (g.bw + g.gap), by = y + (i / g.per) * (g.bh + g.row_gap);
        bool on = set && v == f->min + i;
        char label[64];
        snprintf(label, sizeof label, "%s%s%s", num, on ? " – " : "", on ? app_tr(a, "ex.chosen") : "");
        number_button(a, bx, by, g.bw, g.bh, g.inset, g.px, label, num, on, ACT_EX_VALUE, choice_arg(fi, i));
    }
    y += ((n + g.per - 1) / g.per) * (g.bh + g.row_gap);
    /* what the ends mean, under them */
    int sp = ui_font(app_ui(a), DP_SMALL + 1), half = (colw - app_px(a, 12)) / 2;
    int h1 = 0, h2 = 0;
    if (f->min_label) h1 = ui_text(app_ui(a), f->min_label, REN_REGULAR, sp, a->th->ink[INK_MUTED], x, y, half, ROLE_TEXT);
    if (f->max_label) {
        int tw = ren_measure(a->rn, ren_style(a->rn, REN_REGULAR, sp), f->max_label, strlen(f->max_label));
        int w = tw < half ? tw : half;
        h2 = ui_text(app_ui(a), f->max_label, REN_REGULAR, sp, a->th->ink[INK_MUTED], x + colw - w, y, w, ROLE_TEXT);
    }
    y += h1 > h2 ? h1 : h2;
    return y - y0;
}

/* A table form (a thought record, an exposure diary) as one card per row: each cell a button that opens the
 * editor, a number from a small range as a row of buttons, a date with «I dag». Returns the height used. */
static int draw_table(app *a, const doc_field *f, int fi, int x, int y, int colw) {
    const theme *th = a->th;
    /* the row's heading and the columns' questions head the patient's answers: at their reading size, as the
     * field's own label is (at 400 % they were the interface's 37 px over a 109 px body) */
    /* the card's inner margin 8 dp, not 12: a phone's column then holds a scale's six 48 dp steps a row */
    int y0 = y, pad = app_px(a, 8), bp = pages_read_px(a, DP_BODY), gap = app_px(a, 6);
    int rows = answers_rows(ans, f);
    /* on a 320 dp phone the card's inside (272 dp) is narrower than a scale's six 48 dp steps: the card widens into
     * the column's margins as far as they need, its steps then under the column's text, never nearer the screen's
     * edge than DP_SCALE_EDGE_MIN (three rows of strengths otherwise: deliverable 7) */
    int need = 0;
    for (size_t c = 0; c < f->n_columns && c < 16; c++) {
        int values[16], n = number_steps(&f->columns[c], values, 16);
        char widest[16];
        if (n <= 0) continue;
        snprintf(widest, sizeof widest, "%d", values[n - 1]);
        int w = scale_least_w(a, n, widest);
        if (w > need) need = w;
    }
    int wide = (need - (colw - 2 * pad) + 1) / 2, room = x - app_px(a, DP_SCALE_EDGE_MIN);
    if (wide > room) wide = room;
    if (wide < 0) wide = 0;
    int cx = x - wide, cw = colw + 2 * wide, iw = cw - 2 * pad; /* the card */
    size_t t0 = a->view.n; /* the rows are a table to a screen reader (view_table: a heading and a cell a column) */
    for (int r = 0; r < rows && r < MS_ANSWER_MAX_ROWS; r++) {
        int top = y;
        char rn[16], head[64];
        snprintf(rn, sizeof rn, "%d", r + 1);
        const char *hargs[1] = {rn};
        i18n_format(head, sizeof head, app_tr(a, "ex.row"), 1, hargs);
        y += pad;
        y += ui_text(app_ui(a), head, REN_BOLD, bp, th->ink[INK_HEADING], cx + pad, y, iw, ROLE_HEADING);
        for (size_t c = 0; c < f->n_columns && c < 16; c++) {
            const doc_column *col = &f->columns[c];
            char val[MS_ANSWER_MAX_BYTES + 1], name[300];
            answers_cell(ans, f, r, (int)c, val, sizeof val);
            const char *nargs[2] = {col->label, rn};
            i18n_format(name, sizeof name, app_tr(a, "ex.cell"), 2, nargs);
            y += app_px(a, 8);
            y += ui_text(app_ui(a), col->label, REN_BOLD, bp, th->ink[INK_TEXT], cx + pad, y, iw, ROLE_FIELD);
            y += app_px(a, 4);
            int values[16];
            int n = number_steps(col, values, 16);
            if (n > 0) {
                /* a tap, not typing: the values as buttons, wrapping */
                char widest[16];
                snprintf(widest, sizeof widest, "%d", values[n - 1]);
                scale_grid g = scale_layout(a, n, widest, iw, DP_BUTTON_SMALL);
                for (int i = 0; i < n; i++) {
                    char num[16], label[340];
                    snprintf(num, sizeof num, "%d", values[i]);
                    bool on = val[0] && atoi(val) == values[i];
                    snprintf(label, sizeof label, "%s: %s%s%s", name, num, on ? " – " : "",
                             on ? app_tr(a, "ex.chosen") : "");
                    number_button(a, cx + pad + (i % g.per) * (g.bw + g.gap), y + (i / g.per) * (g.bh + g.row_gap),
                                  g.bw, g.bh, g.inset, g.px, label, num, on, ACT_EX_CELL_NUM, cell_arg(fi, r, (int)c, i));
                }
                y += ((n + g.per - 1) / g.per) * (g.bh + g.row_gap) - g.row_gap;
            } else {
                /* the text itself is the button: what was written, or how to start */
                char label[MS_ANSWER_MAX_BYTES + 340];
                snprintf(label, sizeof label, "%s%s%s", name, val[0] ? ": " : "", val);
                const char *shown = val[0] ? val : app_tr(a, "ex.tap_to_write");
                int tw = iw;
                bool today = col->kind == DOC_COL_DATE && !val[0];
                if (today) tw = iw * 3 / 5;
                int h = ui_button_ex(app_ui(a), cx + pad, y, tw, app_px(a, DP_BUTTON_SMALL), label, shown, BTN_SECONDARY,
                                     ACT_EX_CELL, cell_arg(fi, r, (int)c, 0));
                if (today) {
                    char tl[340];
                    snprintf(tl, sizeof tl, "%s: %s", name, app_tr(a, "ex.today"));
                    ui_button_ex(app_ui(a), cx + pad + tw + gap, y, iw - tw - gap, h, tl, app_tr(a, "ex.today"),
                                 BTN_SECONDARY, ACT_EX_TODAY, cell_arg(fi, r, (int)c, 0));
                }
                y += h;
            }
        }
        y += pad;
        ren_frame_round(a->rn, cx, top, cw, y - top, app_px(a, 12), app_px(a, 2), th->ink[INK_CARD_BORDER]);
        y += app_px(a, 12);
    }
    view_table(&a->view, t0, (int)(f->n_columns < 16 ? f->n_columns : 16));
    if (rows < MS_ANSWER_ADD_ROWS_UPTO)
        y += ui_button(app_ui(a), x, y, colw, app_px(a, DP_BUTTON), app_tr(a, "ex.add_row"), BTN_SECONDARY, ACT_EX_ADD_ROW, fi);
    return y - y0;
}

static void draw_exercise(app *a) {
    const theme *th = a->th;
    const doc_block *b = ex_current(a);
    if (!b) return; /* exercise_update goes back to the page */
    int top, x, colw;
    int y = chrome_list_screen(a, b->title, true, &top, &x, &colw);
    /* the questions and answers are at the patient's reading size: the title heads them, never smaller (at 200–400 %
     * it was the interface's capped H1 over larger questions) */
    int bp = pages_read_px(a, DP_BODY);
    if (!chrome_line_says(b->title)) /* a phone: the line under the bar names it */
        y += chrome_heading(a, b->title, DP_H1, x, y, colw, true) + app_px(a, 8);
    /* the exercise's own instructions («Skriv én linje for hvert anfall …»), at the reading size and described, so
     * read-aloud says them: they were only on the page's card, out of sight once the form was open (issue 13) */
    if (b->text.n_spans) {
        char intro[2048];
        doc_text_plain(&b->text, intro, sizeof intro);
        if (intro[0]) {
            y += ui_text(app_ui(a), intro, REN_REGULAR, bp, th->ink[INK_TEXT], x, y, colw, ROLE_TEXT);
            y += app_px(a, 8);
        }
    }
    /* the note that what is filled in is kept: a sentence to read, so at the reading size too (a note's smaller
     * size of it), not the interface's capped size */
    y += ui_text(app_ui(a), app_tr(a, "ex.autosave"), REN_ITALIC, pages_read_px(a, DP_SMALL + 1), th->ink[INK_MUTED], x,
                 y, colw, ROLE_STATUS);
    y += app_px(a, 16);
    for (size_t i = 0; i < b->n_fields; i++) {
        const doc_field *f = &b->fields[i];
        int fi = (int)i;
        y += ui_text(app_ui(a), f->label, REN_BOLD, bp, th->ink[INK_HEADING], x, y, colw, ROLE_FIELD);
        y += app_px(a, 10);
        switch (f->type) {
        case DOC_FIELD_TEXT: {
            const char *t = answers_text(ans, f);
            int pad = app_px(a, 14);
            const char *shown = t[0] ? t : (f->placeholder ? f->placeholder : app_tr(a, "ex.empty"));
            int th_ = ui_text_height(app_ui(a), shown, t[0] ? REN_REGULAR : REN_ITALIC, bp, colw - 2 * pad);
            int h = th_ + 2 * pad;
            ren_fill_round(a->rn, x, y, colw, h, app_px(a, 10), th->ink[INK_CARD_BG]);
            ren_frame_round(a->rn, x, y, colw, h, app_px(a, 10), app_px(a, 2), th->ink[INK_CARD_BORDER]);
            ui_text(app_ui(a), shown, t[0] ? REN_REGULAR : REN_ITALIC, bp, th->ink[t[0] ? INK_TEXT : INK_MUTED],
                    x + pad, y + pad, colw - 2 * pad, -1);
            /* the box looks like a field, so it is one: a tap on it writes, as the button under it does */
            view_add(&a->view, ROLE_TEXT, shown, x, y, colw, h, ACT_EX_TEXT, fi);
            y += h + app_px(a, 8);
            char label[512];
            snprintf(label, sizeof label, "%s: %s", app_tr(a, t[0] ? "ex.edit" : "ex.write"), f->label);
            y += ui_button_ex(app_ui(a), x, y, colw, app_px(a, DP_BUTTON_SMALL), label, app_tr(a, t[0] ? "ex.edit" : "ex.write"),
                              BTN_SECONDARY, ACT_EX_TEXT, fi);
            break;
        }
        case DOC_FIELD_SCALE: y += draw_scale(a, f, fi, x, y, colw); break;
        case DOC_FIELD_CHOICE:
        case DOC_FIELD_CHECKLIST:
            for (size_t o = 0; o < f->n_options; o++) {
                bool on = answers_is_chosen(ans, f, f->options[o]);
                char label[600];
                snprintf(label, sizeof label, "%s%s%s", f->options[o], on ? " – " : "",
                         on ? app_tr(a, "ex.chosen") : "");
                size_t n0 = a->view.n;
                int bh = ui_choice(app_ui(a), x, y, colw, app_px(a, DP_BUTTON), label, f->options[o], on, ACT_EX_VALUE,
                                   choice_arg(fi, (int)o));
                view_choice(&a->view, n0, f->type == DOC_FIELD_CHECKLIST ? VIEW_CHOICE_MANY : VIEW_CHOICE_ONE, on);
                y += bh;
                y += app_px(a, 8);
            }
            break;
        case DOC_FIELD_TABLE: y += draw_table(a, f, fi, x, y, colw); break;
        }
        y += app_px(a, 24);
    }
    y += ui_button(app_ui(a), x, y, colw, app_px(a, DP_BUTTON_MAIN), app_tr(a, "ex.done"), BTN_PRIMARY, ACT_EX_DONE, 0);
    chrome_end_list(a, y);
}

const screen_ops screen_exercise = {
    .name = "exercise",
    .update = exercise_update,
    .draw = draw_exercise,
    .action = exercise_action,
    .key = exercise_key,
    .text = exercise_text,
    .back = done,
    .close = exercise_close,
};
