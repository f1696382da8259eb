/* pagelayout.c — turns a doc_page into positioned paragraphs and shapes; see pagelayout.h.
 * Every text on a page, body or decoration, is a "para": styled runs broken into lines by src/text. Boxes
 * (callouts, summaries, exercise cards), images and check marks are "shapes" drawn beneath the paras. */
#include "pagelayout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meistring/config.h"
#include "meistring/i18n.h"

typedef struct {
    int block;
    int role; /* view_role, or -1 for decoration (bullets, numbers) */
    theme_ink ink;
    int x, y, width;
    int px; /* the text size it was set at, after any shrinking */
    int line_h;
    int top_pad; /* px from the line box top to the glyph box top */
    int ls, ws;  /* extra px between letters and between words */
    layout_run *runs;
    bool *term;            /* per run: a glossary term, underlined */
    const doc_span **span; /* per run: the span it came from (terms carry their explanation) */
    size_t n_runs;
    layout_para lp;
    char *plain;                    /* the whole text, for describe */
    int words;                      /* words in plain */
    int action, arg;                /* a button: what a tap does (0: not tappable) */
    int box_x, box_y, box_w, box_h; /* a button: its whole box, which is what a tap hits */
    bool item;                      /* the text of a bulleted or numbered item: described as a list's item */
} para;

typedef enum { SH_BOX, SH_EDGE, SH_IMAGE, SH_CIRCLE, SH_SQUARE, SH_FIELD } shape_kind;

typedef struct {
    shape_kind kind;
    int block;
    int x, y, w, h;
    theme_ink ink;
    const char *src, *alt; /* images */
    bool refused;          /* an image that is missing or refused (image.h): its frame and alt text are drawn */
} shape;

typedef struct {
    bool image; /* else a para */
    int index;  /* into paras or shapes */
} unit;

struct pagelayout {
    unit *units;
    int n_units;
    const doc_page *page;
    pl_params params;
    ren *rn;
    para *paras;
    size_t n_paras, cap_paras;
    shape *shapes;
    size_t n_shapes, cap_shapes;
    int *block_top, *block_bottom; /* per page block; set only for the blocks laid out */
    size_t first, end;             /* the blocks laid out: [first, end) (pl_build_part); the whole page: [0, n) */
    int height;
    bool label;    /* laying out a button's label: no hyphenation */
    int label_max; /* and the height its lines may take (the button less its padding), 0: no limit */
    bool oom;
};

/* ---- building ------------------------------------------------------------------------------------------- */

static para *new_para(pagelayout *pl) {
    if (pl->n_paras == pl->cap_paras) {
        size_t cap = pl->cap_paras ? pl->cap_paras * 2 : 64;
        para *n = realloc(pl->paras, cap * sizeof *n);
        if (!n) {
            pl->oom = true;
            return NULL;
        }
        pl->paras = n;
        pl->cap_paras = cap;
    }
    para *p = &pl->paras[pl->n_paras++];
    memset(p, 0, sizeof *p);
    layout_para_init(&p->lp);
    return p;
}

/* Takes back the para new_para gave last (laid out, then set another way). */
static void drop_last_para(pagelayout *pl) {
    para *p = &pl->paras[--pl->n_paras];
    layout_para_deinit(&p->lp);
    free(p->runs);
    free(p->term);
    free(p->span);
    free(p->plain);
}

static void add_shape(pagelayout *pl, shape s) {
    if (pl->n_shapes == pl->cap_shapes) {
        size_t cap = pl->cap_shapes ? pl->cap_shapes * 2 : 32;
        shape *n = realloc(pl->shapes, cap * sizeof *n);
        if (!n) {
            pl->oom = true;
            return;
        }
        pl->shapes = n;
        pl->cap_shapes = cap;
    }
    pl->shapes[pl->n_shapes++] = s;
}

static ren_face span_face(doc_span_style st, ren_face base) {
    if (st == DOC_SPAN_STRONG) return base == REN_ITALIC ? REN_BOLD_ITALIC : REN_BOLD;
    if (st == DOC_SPAN_EMPHASIS) return base == REN_BOLD ? REN_BOLD_ITALIC : REN_ITALIC;
    return base;
}

static int hyph_cb(void *ctx, const char *word, size_t len, hyph_break *out, int max) {
    return hyph_breaks(ctx, word, len, out, max);
}

/* Measuring with the patient's letter and word spacing: ren_text_spaced draws by the same arithmetic. */
typedef struct {
    ren *rn;
    int ls, ws;
} spaced;

static int spaced_measure(void *ctx, int style, const char *s, size_t len) {
    const spaced *sp = ctx;
    return ren_measure_spaced(sp->rn, style, s, len, sp->ls, sp->ws);
}

/* Lays out text (spans) as one para at (x, *y) with the given width; advances *y past it. */
static para *text_para(pagelayout *pl, int block, int role, theme_ink ink, const doc_text *t, ren_face face, int px,
                       int x, int *y, int width) {
    para *p = new_para(pl);
    if (!p) return NULL;
    p->block = block;
    p->role = role;
    p->ink = ink;
    p->x = x;
    p->y = *y;
    p->width = width;
    p->n_runs = t->n_spans;
    p->runs = calloc(t->n_spans ? t->n_spans : 1, sizeof *p->runs);
    p->term = calloc(t->n_spans ? t->n_spans : 1, sizeof *p->term);
    p->span = calloc(t->n_spans ? t->n_spans : 1, sizeof *p->span);
    size_t total = doc_text_plain(t, NULL, 0);
    p->plain = malloc(total + 1);
    if (!p->runs || !p->term || !p->span || !p->plain) {
        pl->oom = true;
        return NULL;
    }
    doc_text_plain(t, p->plain, total + 1);
    p->words = 0;
    for (const char *c = p->plain, *prev = " "; *c; prev = c++)
        if (*c != ' ' && *c != '\n' && (*prev == ' ' || *prev == '\n')) p->words++;
    for (size_t i = 0; i < t->n_spans; i++) {
        const doc_span *s = &t->spans[i];
        p->term[i] = s->style == DOC_SPAN_TERM;
        /* plain_para passes a span on its stack: only remember spans that live in the document (terms) */
        p->span[i] = p->term[i] ? s : NULL;
    }
    /* A word that fits nowhere, even at its hyphenation points, makes the whole text a little smaller before
     * it is ever cut between letters (or run over its box): down to MS_LAYOUT_SHRINK_MIN_PCT of the size, in
     * steps. A label (a button) is never hyphenated: it wraps between words, then shrinks. A page's button may go
     * further, to MS_LAYOUT_HEADING_MIN_BODY_PCT of the body text, so that it fits one screen of paged reading
     * whole (the exercise's «Fyll ut øvelsen»). A heading goes under the body text it heads only where it cannot
     * be set at the body's size at all (config.h, MS_LAYOUT_HEADING_MIN_BODY_PCT): first the close line spacing
     * MS_LAYOUT_HEADING_TIGHT_LINE_PCT, then, still taller than a screen or cut inside a word, smaller; it is
     * hyphenated by the body text's rules all the way. */
    int min_px = px * MS_LAYOUT_SHRINK_MIN_PCT / 100, step = px * MS_LAYOUT_SHRINK_STEP_PCT / 100;
    int max_h = role == ROLE_HEADING ? pl->params.max_heading_h : pl->label ? pl->label_max : 0;
    int line_pct = pl->params.line_height_pct;
    bool heading = role == ROLE_HEADING;
    int last_px = min_px; /* where a button's label still taller than a screen goes at the last */
    int below_px = min_px; /* where a heading goes under the body's size, when even that is the lesser harm */
    if (heading) {
        int body = pl->params.body_px < px ? pl->params.body_px : px;
        below_px = pl->params.body_px * MS_LAYOUT_HEADING_MIN_BODY_PCT / 100;
        if (below_px > min_px) below_px = min_px;
        if (min_px < body) min_px = body;
        last_px =
            pl->params.last_heading_px > 0 && pl->params.last_heading_px < below_px ? pl->params.last_heading_px : below_px;
    } else if (max_h > 0) {
        int floor_px = pl->params.body_px * MS_LAYOUT_HEADING_MIN_BODY_PCT / 100;
        if (floor_px < min_px) min_px = floor_px;
        /* ... and one still taller than a screen there goes on down to the body text at 100 % rather than be cut
         * over a turn */
        last_px =
            pl->params.last_heading_px > 0 && pl->params.last_heading_px < min_px ? pl->params.last_heading_px : min_px;
    }
    if (step < 1) step = 1;
    for (;;) {
        for (size_t i = 0; i < t->n_spans; i++) {
            const doc_span *s = &t->spans[i];
            p->runs[i] = (layout_run){s->text, strlen(s->text),
                                      ren_style_family(pl->rn, pl->params.family, span_face(s->style, face), px)};
        }
        p->line_h = px * line_pct / 100;
        int skip = ren_line_skip(pl->rn, p->runs[0].style);
        if (line_pct < pl->params.line_height_pct && p->line_h < skip) p->line_h = skip; /* a font with tall lines */
        p->top_pad = (p->line_h - skip) / 2;
        p->ls = px * pl->params.letter_pct / 100;
        p->ws = px * pl->params.word_pct / 100;
        spaced sp = {pl->rn, p->ls, p->ws};
        layout_font lf = {.ctx = &sp,
                          .measure = spaced_measure,
                          .hyphenate = pl->label ? NULL : hyph_cb,
                          .hyph_ctx = (void *)pl->params.hyph};
        if (!layout_paragraph(&p->lp, &lf, p->runs, p->n_runs, width)) {
            pl->oom = true;
            break;
        }
        bool tall = max_h > 0 && (int)p->lp.n_lines * p->line_h > max_h;
        if (p->lp.forced == 0 && p->lp.overflow == 0 && !tall) break;
        if (px <= min_px && tall && heading && line_pct > MS_LAYOUT_HEADING_TIGHT_LINE_PCT) {
            line_pct = MS_LAYOUT_HEADING_TIGHT_LINE_PCT;
            continue;
        }
        /* at the body's size, with close lines, still taller than a screen or cut inside a word: only then smaller */
        if (px <= min_px && heading && below_px < min_px) {
            /* taller than the window's share but whole on one screen: the body's size, with the screen to itself */
            int screen = pl->params.screen_h > 0 ? pl->params.screen_h : max_h;
            if (p->lp.forced == 0 && p->lp.overflow == 0 && (int)p->lp.n_lines * p->line_h <= screen) break;
            min_px = below_px;
            max_h = screen;
        }
        if (px <= min_px && tall && last_px < min_px) min_px = last_px;
        if (px <= min_px) break;
        /* The smaller sizes are tried on this size's measurements in a width scaled up as much (text, letter and
         * word spacing all grow with the size): only the size that fits is opened as a font, so a first layout
         * at 400 % does not open six (the font opens are what a cold relayout spends its time on). */
        int next = px - step > min_px ? px - step : min_px;
        while (next > min_px) {
            if (!layout_paragraph(&p->lp, &lf, p->runs, p->n_runs, (int)((long)width * px / next))) break;
            bool tall_next = max_h > 0 && (int)p->lp.n_lines * (next * line_pct / 100) > max_h;
            if (p->lp.forced == 0 && p->lp.overflow == 0 && !tall_next) break;
            next = next - step > min_px ? next - step : min_px;
        }
        px = next;
    }
    p->px = px;
    *y += (int)p->lp.n_lines * p->line_h;
    return p;
}

static para *plain_para(pagelayout *pl, int block, int role, theme_ink ink, const char *s, ren_face face, int px, int x,
                        int *y, int width) {
    doc_span span = {DOC_SPAN_PLAIN, s, NULL};
    doc_text t = {&span, 1};
    para *p = text_para(pl, block, role, ink, &t, face, px, x, y, width);
    /* draw from the para's own copy, so callers may pass formatted text from the stack; the fragments
     * hold byte offsets, which are the same in the copy */
    if (p) p->runs[0].text = p->plain;
    return p;
}

/* Whether a column of width px is narrow for the reading size: a phone at large text, where every em of
 * indent and padding is a letter less on the line. */
static bool narrow(const pagelayout *pl, int width) { return width < MS_LAYOUT_NARROW_EMS * pl->params.body_px; }

/* Padding inside a box of width w: half in a narrow column, so a compound still fits beside it. */
static int box_pad(const pagelayout *pl, int w) { return narrow(pl, w) ? pl->params.pad / 2 : pl->params.pad; }

/* A bulleted or numbered item: marker in the hanging indent, text beside it. */
static void list_item(pagelayout *pl, int block, const char *marker, const doc_text *t, theme_ink ink, int x, int *y,
                      int width) {
    const pl_params *pp = &pl->params;
    int style = ren_style_family(pl->rn, pp->family, REN_REGULAR, pp->body_px);
    /* room for "10." and a space: a fixed 1.5 em would waste a fifth of a phone's line at 400 %; in a narrow
     * column the room is the marker's own and a quarter em (a bullet is narrower than a number) */
    int indent = narrow(pl, width) ? ren_measure(pl->rn, style, marker, strlen(marker)) + pp->body_px / 4
                                   : ren_measure(pl->rn, style, "00.", 3) + pp->body_px / 2;
    /* the marker at the size its text was set at: a text shrunk for a long word (MS_LAYOUT_SHRINK_*) has shorter
     * lines than a marker at the body size, and paged reading, which cuts at the text's line tops, cut the
     * marker's taller line box through its number («4.» halved at 400 % on a phone) */
    int my = *y;
    para *text = text_para(pl, block, ROLE_TEXT, ink, t, REN_REGULAR, pp->body_px, x + indent, y, width - indent);
    if (text && text->lp.overflow > 0 && narrow(pl, width) && !pl->oom) {
        /* a word runs over the line beside the marker even at the smallest size (OpenDyslexic at 400 % with the
         * widest letter spacing on a phone: «Dette, too short to hyphenate, is wider than what the indent leaves):
         * the item is set without the indent, its marker the first word of its text, so the word gets the
         * column's whole width */
        drop_last_para(pl);
        *y = my;
        doc_span *spans = malloc((t->n_spans + 1) * sizeof *spans);
        if (!spans) {
            pl->oom = true;
            return;
        }
        char lead[16];
        snprintf(lead, sizeof lead, "%s ", marker);
        spans[0] = (doc_span){DOC_SPAN_PLAIN, lead, NULL};
        memcpy(spans + 1, t->spans, t->n_spans * sizeof *spans);
        doc_text with = {spans, t->n_spans + 1};
        para *p = text_para(pl, block, ROLE_TEXT, ink, &with, REN_REGULAR, pp->body_px, x, y, width);
        if (p) {
            p->item = true;
            p->runs[0].text = p->plain; /* the marker's run, from the para's own copy (lead is on the stack) */
            for (size_t i = 0; i < t->n_spans; i++) /* terms keep their span in the document, not in the copy */
                p->span[i + 1] = p->term[i + 1] ? &t->spans[i] : NULL;
        }
        free(spans);
        return;
    }
    if (text) text->item = true;
    plain_para(pl, block, -1, ink, marker, REN_REGULAR, text ? text->px : pp->body_px, x, &my, indent);
    if (my > *y) *y = my;
}

static const char *const number_markers[] = {"1.",  "2.",  "3.",  "4.",  "5.",  "6.",  "7.",  "8.",  "9.",  "10.",
                                             "11.", "12.", "13.", "14.", "15.", "16.", "17.", "18.", "19.", "20."};
static const char *marker_for(bool ordered, size_t i) {
    if (!ordered) return "•";
    return i < sizeof number_markers / sizeof number_markers[0] ? number_markers[i] : "–";
}

static int para_height(const para *p);

/* A button in the page: a filled box with its label, tappable as a whole (pl_describe gives it the action). It
 * is set to fit one screen of paged reading, as a heading is (max_heading_h), and paged reading keeps it whole:
 * its padding lies once above and below the label. (It used to lie around every line of a wrapped label, so a
 * cut between lines left whole-looking pieces; but «Fyll ut øvelsen» at 400 % on a phone was then three lines of
 * 240 px, taller than the screen, and always cut.) The padding is halved in a narrow column, as a box's is. */
static void block_button(pagelayout *pl, int bi, int x, int *y, int width, const char *label, int action) {
    const pl_params *pp = &pl->params;
    int vpad = narrow(pl, width) ? pp->body_px * 3 / 8 : pp->body_px * 3 / 4, top = *y;
    size_t box = pl->n_shapes;
    add_shape(pl, (shape){SH_BOX, bi, x, top, width, 0, INK_BUTTON_BG, NULL, NULL});
    pl->label = true;
    pl->label_max = pp->max_heading_h > 0 ? pp->max_heading_h - 2 * vpad : 0;
    int pad = box_pad(pl, width);
    int ly = top + vpad;
    para *p =
        plain_para(pl, bi, ROLE_BUTTON, INK_BUTTON_TEXT, label, REN_BOLD, pp->body_px, x + pad, &ly, width - 2 * pad);
    pl->label = false;
    pl->label_max = 0;
    if (!p) return;
    *y = ly + vpad;
    if (box < pl->n_shapes) pl->shapes[box].h = *y - top;
    p->action = action;
    p->arg = bi;
    p->box_x = x;
    p->box_y = top;
    p->box_w = width;
    p->box_h = *y - top;
}

/* Opens a box: returns its shape index so the height is filled in when the box closes. */
static size_t open_box(pagelayout *pl, int bi, theme_ink bg, int y) {
    add_shape(pl, (shape){SH_BOX, bi, 0, y, pl->params.width, 0, bg, NULL, NULL});
    return pl->n_shapes - 1;
}

static void close_box(pagelayout *pl, size_t idx, int y) {
    if (idx < pl->n_shapes) pl->shapes[idx].h = y - pl->shapes[idx].y;
}

/* The file of an image: src is relative to the programme directory. */
static void image_path(const pagelayout *pl, const char *src, char *buf, size_t cap) {
    snprintf(buf, cap, "%s/%s", pl->params.content_dir ? pl->params.content_dir : ".", src);
}

static void layout_block(pagelayout *pl, int bi, const doc_block *b, int *y) {
    const pl_params *pp = &pl->params;
    int w = pp->width, pad = box_pad(pl, w);
    switch (b->type) {
    case DOC_BLOCK_HEADING: {
        int px = b->level == 1 ? pp->h1_px : b->level == 2 ? pp->h2_px : pp->h3_px;
        if (bi > 0) *y += pp->block_gap / 2;
        plain_para(pl, bi, ROLE_HEADING, INK_HEADING, b->heading, REN_BOLD, px, 0, y, w);
        break;
    }
    case DOC_BLOCK_PARAGRAPH:
        text_para(pl, bi, ROLE_TEXT, INK_TEXT, &b->text, REN_REGULAR, pp->body_px, 0, y, w);
        break;
    case DOC_BLOCK_LIST:
        for (size_t i = 0; i < b->n_items; i++) {
            list_item(pl, bi, marker_for(b->ordered, i), &b->items[i], INK_TEXT, 0, y, w);
            if (i + 1 < b->n_items) *y += pp->block_gap / 4;
        }
        break;
    case DOC_BLOCK_IMAGE: {
        double aspect = b->aspect > 0 ? b->aspect : 1.6;
        int h = (int)(w / aspect);
        char path[1024];
        image_path(pl, b->src, path, sizeof path);
        size_t si = pl->n_shapes;
        add_shape(pl, (shape){SH_IMAGE, bi, 0, *y, w, h, INK_CARD_BG, b->src, b->alt, false});
        if (!ren_image_usable(pl->rn, path) && si < pl->n_shapes) {
            /* a missing or refused image (never decoded): its alt text in a frame just big enough for it, so
             * the page still says what the picture would have shown, with no empty box to scroll past */
            int ty = *y + pad;
            if (plain_para(pl, bi, -1, INK_MUTED, b->alt, REN_ITALIC, pp->body_px, pad, &ty, w - 2 * pad))
                h = ty + pad - *y;
            pl->shapes[si].h = h;
            pl->shapes[si].refused = true;
        }
        *y += h;
        if (b->caption) {
            *y += pp->block_gap / 4;
            /* described as text, so read-aloud says it and the checks see it (it was drawn as no element: a
             * screen of m2-p1 at 400 % showed only «Den onde sirkelen:», and said nothing) */
            plain_para(pl, bi, ROLE_TEXT, INK_MUTED, b->caption, REN_ITALIC, pp->small_px, 0, y, w);
        }
        break;
    }
    case DOC_BLOCK_CALLOUT: {
        theme_ink bg = b->tone == DOC_TONE_IMPORTANT ? INK_IMPORTANT_BG : INK_CALLOUT_BG;
        theme_ink edge = b->tone == DOC_TONE_IMPORTANT ? INK_IMPORTANT_EDGE : INK_CALLOUT_EDGE;
        size_t box = open_box(pl, bi, bg, *y);
        int edge_w = pp->pad / 3 > 3 ? pp->pad / 3 : 3;
        int top = *y;
        *y += pad;
        /* its bold title heads the box as a summary's or a card's does: described as a heading, so paged reading
         * keeps it whole and with the text it heads, and it is set to fit a screen as headings are (module 1's
         * first page at 400 % cut «Dette er en demon-» | «stra-sjon» over a turn) */
        if (b->title)
            plain_para(pl, bi, ROLE_HEADING, INK_TEXT, b->title, REN_BOLD, pp->body_px, pad + edge_w, y,
                       w - 2 * pad - edge_w);
        text_para(pl, bi, ROLE_CALLOUT, INK_TEXT, &b->text, REN_REGULAR, pp->body_px, pad + edge_w, y,
                  w - 2 * pad - edge_w);
        *y += pad;
        close_box(pl, box, *y);
        add_shape(pl, (shape){SH_EDGE, bi, 0, top, edge_w, *y - top, edge, NULL, NULL});
        break;
    }
    case DOC_BLOCK_SUMMARY: {
        size_t box = open_box(pl, bi, INK_SUMMARY_BG, *y);
        *y += pad;
        plain_para(pl, bi, ROLE_HEADING, INK_HEADING, b->title ? b->title : pp->summary_title, REN_BOLD, pp->h3_px, pad,
                   y, w - 2 * pad);
        *y += pp->block_gap / 3;
        for (size_t i = 0; i < b->n_items; i++) {
            list_item(pl, bi, "•", &b->items[i], INK_TEXT, pad, y, w - 2 * pad);
            if (i + 1 < b->n_items) *y += pp->block_gap / 4;
        }
        *y += pad;
        close_box(pl, box, *y);
        break;
    }
    case DOC_BLOCK_EXERCISE:
    case DOC_BLOCK_QUESTIONNAIRE: {
        size_t box = open_box(pl, bi, INK_CARD_BG, *y);
        *y += pad;
        int iw = w - 2 * pad;
        plain_para(pl, bi, ROLE_HEADING, INK_HEADING, b->title, REN_BOLD, pp->h3_px, pad, y, iw);
        *y += pp->block_gap / 3;
        if (b->text.n_spans) {
            text_para(pl, bi, ROLE_TEXT, INK_TEXT, &b->text, REN_REGULAR, pp->body_px, pad, y, iw);
            *y += pp->block_gap / 2;
        }
        if (b->type == DOC_BLOCK_EXERCISE) {
            /* the questions, then one button: the exercise is filled in on its own screen, one large control
             * at a time, so the page shows nothing that looks like an input but is not one */
            for (size_t i = 0; i < b->n_fields; i++) {
                doc_span s = {DOC_SPAN_PLAIN, b->fields[i].label, NULL};
                doc_text t = {&s, 1};
                list_item(pl, bi, marker_for(true, i), &t, INK_TEXT, pad, y, iw);
                *y += pp->block_gap / 4;
            }
            *y += pp->block_gap / 3;
            block_button(pl, bi, pad, y, iw, pp->exercise_open, pp->exercise_action);
        } else {
            /* a questionnaire is answered one question to a screen: here, how many, and the way in */
            char count[160], n[16];
            snprintf(n, sizeof n, "%zu", b->n_qitems);
            const char *args[1] = {n};
            i18n_format(count, sizeof count, pp->questionnaire_count, 1, args);
            plain_para(pl, bi, ROLE_TEXT, INK_MUTED, count, REN_ITALIC, pp->body_px, pad, y, iw);
            *y += pp->block_gap / 3;
            block_button(pl, bi, pad, y, iw, pp->questionnaire_open, pp->questionnaire_action);
        }
        *y += pad;
        close_box(pl, box, *y);
        add_shape(pl,
                  (shape){SH_FIELD, bi, 0, pl->shapes[box].y, w, *y - pl->shapes[box].y, INK_CARD_BORDER, NULL, NULL});
        break;
    }
    }
}

pagelayout *pl_build(ren *rn, const doc_page *page, const pl_params *p) {
    return pl_build_part(rn, page, p, 0, -1);
}

pagelayout *pl_build_part(ren *rn, const doc_page *page, const pl_params *p, size_t first, int more_px) {
    pagelayout *pl = calloc(1, sizeof *pl);
    if (!pl) return NULL;
    pl->page = page;
    pl->params = *p;
    pl->rn = rn;
    pl->block_top = calloc(page->n_blocks ? page->n_blocks : 1, sizeof(int));
    pl->block_bottom = calloc(page->n_blocks ? page->n_blocks : 1, sizeof(int));
    if (!pl->block_top || !pl->block_bottom) {
        pl_free(pl);
        return NULL;
    }
    if (first > page->n_blocks) first = page->n_blocks;
    pl->first = pl->end = first;
    /* every y is the whole page's less the first block's top: the gap before a block comes before its top, and a
     * heading's own half gap goes by its index in the page, so a part is the page's layout moved up */
    int y = 0;
    for (size_t i = first; i < page->n_blocks && !pl->oom; i++) {
        if (more_px >= 0 && i > first && y >= pl->block_bottom[first] + more_px) break;
        if (i > first) y += p->block_gap;
        pl->block_top[i] = y;
        layout_block(pl, (int)i, &page->blocks[i], &y);
        pl->block_bottom[i] = y;
        pl->end = i + 1;
    }
    pl->height = y;
    /* read-aloud units in reading order: paras with a role and images, merged by their top */
    pl->units = calloc(pl->n_paras + pl->n_shapes + 1, sizeof *pl->units);
    if (!pl->units) pl->oom = true;
    size_t si = 0, pi = 0;
    while (pl->units && (si < pl->n_shapes || pi < pl->n_paras)) {
        while (si < pl->n_shapes && pl->shapes[si].kind != SH_IMAGE)
            si++;
        while (pi < pl->n_paras && pl->paras[pi].role < 0)
            pi++;
        bool img = si < pl->n_shapes && (pi >= pl->n_paras || pl->shapes[si].y <= pl->paras[pi].y);
        if (img)
            pl->units[pl->n_units++] = (unit){true, (int)si++};
        else if (pi < pl->n_paras)
            pl->units[pl->n_units++] = (unit){false, (int)pi++};
    }
    if (pl->oom) {
        pl_free(pl);
        return NULL;
    }
    return pl;
}

void pl_free(pagelayout *pl) {
    if (!pl) return;
    for (size_t i = 0; i < pl->n_paras; i++) {
        layout_para_deinit(&pl->paras[i].lp);
        free(pl->paras[i].runs);
        free(pl->paras[i].term);
        free(pl->paras[i].span);
        free(pl->paras[i].plain);
    }
    free(pl->paras);
    free(pl->shapes);
    free(pl->units);
    free(pl->block_top);
    free(pl->block_bottom);
    free(pl);
}

int pl_height(const pagelayout *pl) { return pl->height; }
const doc_page *pl_page(const pagelayout *pl) { return pl->page; }

bool pl_matches(const pagelayout *pl, const doc_page *page, const pl_params *p) {
    const pl_params *q = &pl->params;
    return pl->first == 0 && pl->end == page->n_blocks && pl->page == page && q->width == p->width &&
           q->body_px == p->body_px && q->h1_px == p->h1_px &&
           q->line_height_pct == p->line_height_pct && q->block_gap == p->block_gap && q->pad == p->pad &&
           q->exercise_open == p->exercise_open && q->exercise_action == p->exercise_action &&
           q->questionnaire_open == p->questionnaire_open && q->hyph == p->hyph && q->family == p->family &&
           q->letter_pct == p->letter_pct && q->word_pct == p->word_pct && q->max_heading_h == p->max_heading_h &&
           q->last_heading_px == p->last_heading_px && q->screen_h == p->screen_h;
}

/* ---- drawing ---------------------------------------------------------------------------------------------- */

static int para_height(const para *p) { return (int)p->lp.n_lines * p->line_h; }

void pl_draw(const pagelayout *pl, ren *rn, const theme *th, int x, int y, int scroll, int view_h) {
    pl_draw_shapes(pl, rn, th, x, y, scroll, view_h);
    pl_draw_text(pl, rn, th, x, y, scroll, view_h);
}

void pl_draw_shapes(const pagelayout *pl, ren *rn, const theme *th, int x, int y, int scroll, int view_h) {
    int top = scroll, bottom = scroll + view_h;
    for (size_t i = 0; i < pl->n_shapes; i++) {
        const shape *s = &pl->shapes[i];
        if (s->y + s->h < top || s->y > bottom) continue;
        int sx = x + s->x, sy = y + s->y - scroll;
        uint32_t c = th->ink[s->ink];
        switch (s->kind) {
        case SH_BOX: ren_fill_round(rn, sx, sy, s->w, s->h, pl->params.radius, c); break;
        case SH_EDGE: ren_fill(rn, sx, sy, s->w, s->h, c); break;
        case SH_FIELD:
            ren_frame_round(rn, sx, sy, s->w, s->h, pl->params.radius, pl->params.pad > 12 ? 2 : 1, c);
            break;
        case SH_SQUARE: ren_frame_round(rn, sx, sy, s->w, s->h, s->w / 6, 2, c); break;
        case SH_CIRCLE: ren_frame_round(rn, sx, sy, s->w, s->h, s->w / 2, 2, c); break;
        case SH_IMAGE: {
            /* a refused image is never handed to the decoder: its frame holds the alt text (a para). One that
             * passed its checks but fails to decode gets the same quiet frame. */
            char path[1024];
            image_path(pl, s->src, path, sizeof path);
            if (s->refused || !ren_image(rn, path, sx, sy, s->w, s->h))
                ren_frame_round(rn, sx, sy, s->w, s->h, pl->params.radius, 2, th->ink[INK_CARD_BORDER]);
            break;
        }
        }
    }
}

void pl_draw_text(const pagelayout *pl, ren *rn, const theme *th, int x, int y, int scroll, int view_h) {
    int top = scroll, bottom = scroll + view_h;
    for (size_t i = 0; i < pl->n_paras; i++) {
        const para *p = &pl->paras[i];
        int ph = para_height(p);
        if (p->y + ph < top || p->y > bottom) continue;
        uint32_t c = th->ink[p->ink];
        for (size_t l = 0; l < p->lp.n_lines; l++) {
            int ly = p->y + (int)l * p->line_h;
            if (ly + p->line_h < top || ly > bottom) continue;
            const layout_line *ln = &p->lp.lines[l];
            for (uint32_t f = ln->first; f < ln->first + ln->count; f++) {
                const layout_frag *fr = &p->lp.frags[f];
                const layout_run *run = &p->runs[fr->run];
                int fx = x + p->x + fr->x, fy = y + ly - scroll + p->top_pad;
                ren_text_spaced(rn, run->style, c, run->text + fr->off, fr->len, fx, fy, p->ls, p->ws);
                if (fr->hyphen) ren_text(rn, run->style, c, "-", 1, fx + fr->w, fy);
                if (p->term[fr->run]) {
                    int asc = ren_ascent(rn, run->style);
                    int thick = p->line_h / 16 > 1 ? p->line_h / 16 : 1;
                    ren_fill(rn, fx, fy + asc + thick * 2, fr->w, thick, th->ink[INK_TERM]);
                }
            }
        }
    }
}

/* Adds an element in screen coordinates, unless it lies wholly outside the view. */
static void add_visible(view *v, view_role role, const char *text, int x, int y, int w, int h, int vy, int vh,
                        int action, int arg) {
    if (y + h <= vy || y >= vy + vh) {
        /* out of view: not described, but a keyboard reaches a control there (the focus scrolls or turns the page to
         * it, as to a glossary term: describe_terms) — once, though the reader describes its page in two parts around
         * an open explanation */
        if (action) view_add_focus(v, text, x, y, w, h, action, arg, -1);
        return;
    }
    view_add(v, role, text, x, y, w, h, action, arg);
}

/* Which term of its block the para's run r is: the terms of the paras of one block before it, counted. */
static int term_ordinal(const pagelayout *pl, const para *p, size_t r) {
    int k = 0;
    for (const para *q = pl->paras; q <= p; q++) {
        if (q->block != p->block) continue;
        for (size_t i = 0; i < q->n_runs && (q != p || i < r); i++)
            if (q->term[i] && q->span[i]) k++;
    }
    return k;
}

/* The first fragment of the para's run r: its line and the fragment, or false. */
static bool first_frag(const para *p, size_t r, size_t *line, const layout_frag **frag) {
    for (size_t l = 0; l < p->lp.n_lines; l++) {
        const layout_line *ln = &p->lp.lines[l];
        for (uint32_t f = ln->first; f < ln->first + ln->count; f++)
            if (p->lp.frags[f].run == r) {
                *line = l;
                *frag = &p->lp.frags[f];
                return true;
            }
    }
    return false;
}

/* A para's glossary terms join the focus order in reading order, named by the term, at the first of their pieces
 * that shows (a keyboard or a switch could not reach them: only a finger could open an explanation; a term
 * hyphenated over a screen turn is reached on either screen). elem: the para's element, or -1. */
static void describe_terms(const pagelayout *pl, const para *p, view *v, int x, int y, int elem) {
    if (!pl->params.term_action) return;
    for (size_t r = 0; r < p->n_runs; r++) {
        if (!p->term[r] || !p->span[r]) continue;
        int id = p->block * MS_LAYOUT_TERMS_PER_BLOCK + term_ordinal(pl, p, r);
        for (size_t l = 0; l < p->lp.n_lines; l++) {
            const layout_line *ln = &p->lp.lines[l];
            for (uint32_t f = ln->first; f < ln->first + ln->count; f++) {
                const layout_frag *fr = &p->lp.frags[f];
                if (fr->run != r) continue;
                view_add_focus(v, p->span[r]->text, x + p->x + fr->x, y + p->y + (int)l * p->line_h, fr->w, p->line_h,
                               pl->params.term_action, id, elem);
            }
        }
    }
}

/* A heading's level as the page gives it: a heading block's own (h1-h3 in the content); a box's title (a callout's,
 * a summary's, an exercise's) heads the box, one level under the page's heading it stands under. */
static int heading_level(const pagelayout *pl, int block) {
    if (!pl->page || block < 0 || (size_t)block >= pl->page->n_blocks) return 0;
    const doc_block *b = &pl->page->blocks[block];
    if (b->type == DOC_BLOCK_HEADING) return b->level;
    for (int i = block; i-- > 0;)
        if (pl->page->blocks[i].type == DOC_BLOCK_HEADING) return pl->page->blocks[i].level + 1;
    return 2;
}

void pl_describe(const pagelayout *pl, view *v, int x, int y, int scroll, int view_top, int view_h) {
    /* images first in page order would break reading order; walk blocks and emit in y order instead */
    size_t si = 0, pi = 0;
    /* a list goes on while its block's items follow each other: the block of the last item described, and the
     * element count after it */
    int list_block = -1;
    size_t list_end = 0;
    while (si < pl->n_shapes || pi < pl->n_paras) {
        const shape *s = NULL;
        while (si < pl->n_shapes && pl->shapes[si].kind != SH_IMAGE)
            si++;
        if (si < pl->n_shapes) s = &pl->shapes[si];
        const para *p = pi < pl->n_paras ? &pl->paras[pi] : NULL;
        if (s && (!p || s->y <= p->y)) {
            add_visible(v, ROLE_IMAGE, s->alt, x + s->x, y + s->y - scroll, s->w, s->h, view_top, view_h, 0, 0);
            si++;
        } else if (p) {
            if (p->y + para_height(p) - scroll + y > view_top && p->y - scroll + y < view_top + view_h)
                view_breaks(v, &p->lp, p->runs, true); /* for check-words: as pl_draw_text draws them */
            if (p->action) {
                add_visible(v, (view_role)p->role, p->plain, x + p->box_x, y + p->box_y - scroll, p->box_w, p->box_h,
                            view_top, view_h, p->action, p->arg);
            } else if (p->role >= 0) {
                int w = 0;
                for (size_t l = 0; l < p->lp.n_lines; l++)
                    if (p->lp.lines[l].width > w) w = p->lp.lines[l].width;
                size_t before = v->n;
                add_visible(v, (view_role)p->role, p->plain, x + p->x, y + p->y - scroll, w, para_height(p), view_top,
                            view_h, 0, 0);
                if (p->role == ROLE_HEADING) view_heading_level(v, before, heading_level(pl, p->block));
                if (p->item && v->n > before) { /* a screen reader says «list, 4 items» and moves past it */
                    view_list_item(v, before, p->block != list_block || before != list_end);
                    list_block = p->block;
                    list_end = v->n;
                }
                describe_terms(pl, p, v, x, y - scroll, v->n > before ? (int)v->n - 1 : -1);
            }
            pi++;
        } else {
            break;
        }
    }
}

bool pl_term_at(const pagelayout *pl, int px, int py, const char **term, const char **explanation) {
    /* a finger is wider than a word: accept taps a little around the term */
    int slop = pl->params.body_px / 3;
    for (size_t i = 0; i < pl->n_paras; i++) {
        const para *p = &pl->paras[i];
        if (py < p->y - slop || py >= p->y + para_height(p) + slop) continue;
        for (size_t l = 0; l < p->lp.n_lines; l++) {
            int ly = p->y + (int)l * p->line_h;
            if (py < ly - slop || py >= ly + p->line_h + slop) continue;
            const layout_line *ln = &p->lp.lines[l];
            for (uint32_t f = ln->first; f < ln->first + ln->count; f++) {
                const layout_frag *fr = &p->lp.frags[f];
                if (!p->term[fr->run] || !p->span[fr->run]) continue;
                int fx = p->x + fr->x;
                if (px >= fx - slop && px < fx + fr->w + slop) {
                    *term = p->span[fr->run]->text;
                    *explanation = p->span[fr->run]->explanation;
                    return true;
                }
            }
        }
    }
    return false;
}

bool pl_term_get(const pagelayout *pl, int id, int near, const char **term, const char **explanation, int *line_top) {
    int block = id / MS_LAYOUT_TERMS_PER_BLOCK;
    for (size_t i = 0; i < pl->n_paras; i++) {
        const para *p = &pl->paras[i];
        if (p->block != block) continue;
        for (size_t r = 0; r < p->n_runs; r++) {
            size_t l;
            const layout_frag *fr;
            if (!p->term[r] || !p->span[r] || block * MS_LAYOUT_TERMS_PER_BLOCK + term_ordinal(pl, p, r) != id ||
                !first_frag(p, r, &l, &fr))
                continue;
            *term = p->span[r]->text;
            *explanation = p->span[r]->explanation;
            *line_top = p->y + (int)l * p->line_h;
            for (; l < p->lp.n_lines; l++) { /* its other lines: the one nearest near */
                const layout_line *ln = &p->lp.lines[l];
                int top = p->y + (int)l * p->line_h;
                for (uint32_t f = ln->first; f < ln->first + ln->count; f++)
                    if (p->lp.frags[f].run == r && abs(top - near) < abs(*line_top - near)) *line_top = top;
            }
            return true;
        }
    }
    return false;
}

void pl_anchor(const pagelayout *pl, int scroll, int *block, int *permille) {
    /* the last block that starts at or above the top of the view; the offset may run past its end (into
     * the gap before the next block), so a place between two blocks is kept to the pixel as well */
    *block = 0;
    *permille = 0;
    size_t n = pl->end;
    if (n <= pl->first) return;
    size_t i = pl->first;
    while (i + 1 < n && pl->block_top[i + 1] <= scroll)
        i++;
    int h = pl->block_bottom[i] - pl->block_top[i];
    int into = scroll - pl->block_top[i];
    *block = (int)i;
    /* rounded both ways, so saving and restoring lands on the same pixel for blocks under 1000 px */
    *permille = h > 0 && into > 0 ? (int)(((long long)into * 1000 + h / 2) / h) : 0;
}

int pl_scroll_for(const pagelayout *pl, int block, int permille) {
    if (block < 0 || (size_t)block < pl->first || (size_t)block >= pl->end) return 0;
    int h = pl->block_bottom[block] - pl->block_top[block];
    return pl->block_top[block] + (int)(((long long)h * permille + 500) / 1000);
}

/* The texts a place counts: a role's or a button's, not a list's marker. */
static bool placeable(const para *p) { return p->role >= 0 || p->action; }

void pl_anchor_line(const pagelayout *pl, int scroll, pl_place *out) {
    *out = (pl_place){-1, 0, 0, 0, 0};
    int k = 0, block = -1;
    for (size_t i = 0; i < pl->n_paras; i++) {
        const para *p = &pl->paras[i];
        if (p->block != block) block = p->block, k = 0;
        if (!placeable(p)) continue;
        int top = p->action ? p->box_y : p->y, bottom = p->action ? p->box_y + p->box_h : p->y + para_height(p);
        if (bottom > scroll) {
            int line = p->action || scroll <= top ? (p->action ? -1 : 0) : (scroll - p->y) / (p->line_h > 0 ? p->line_h : 1);
            int from = line < 0 ? top : p->y + line * p->line_h, h = line < 0 ? p->box_h : p->line_h;
            int into = scroll > from && h > 0 ? (int)(((long long)(scroll - from) * 1000 + h / 2) / h) : 0;
            *out = (pl_place){p->block, k, line, (int)p->lp.n_lines, into};
            return;
        }
        k++;
    }
}

int pl_scroll_for_line(const pagelayout *pl, const pl_place *at) {
    if (at->block < 0) return -1;
    int k = 0;
    for (size_t i = 0; i < pl->n_paras; i++) {
        const para *p = &pl->paras[i];
        if (p->block != at->block || !placeable(p)) continue;
        if (k++ != at->k) continue;
        if (at->line < 0)
            return p->action ? p->box_y + (int)(((long long)p->box_h * at->into + 500) / 1000) : p->y;
        int n = (int)p->lp.n_lines, line = at->line;
        if (n != at->lines && at->lines > 0) line = (int)((long long)line * n / at->lines); /* wrapped otherwise */
        if (line >= n) line = n > 0 ? n - 1 : 0;
        return p->y + line * p->line_h + (int)(((long long)p->line_h * at->into + 500) / 1000);
    }
    return -1;
}

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return x < y ? -1 : x > y;
}

int pl_breaks(const pagelayout *pl, int *ys, int max) {
    int n = 0;
    for (size_t i = 0; i < pl->n_paras && n < max; i++)
        for (size_t l = 0; l < pl->paras[i].lp.n_lines && n < max; l++)
            ys[n++] = pl->paras[i].y + (int)l * pl->paras[i].line_h;
    for (size_t i = 0; i < pl->n_shapes && n < max; i++)
        if (pl->shapes[i].kind == SH_IMAGE || pl->shapes[i].kind == SH_BOX) ys[n++] = pl->shapes[i].y;
    for (size_t b = pl->first; b < pl->end && n < max; b++)
        ys[n++] = pl->block_top[b];
    qsort(ys, (size_t)n, sizeof *ys, cmp_int);
    int w = 0;
    for (int i = 0; i < n; i++)
        if (w == 0 || ys[i] != ys[w - 1]) ys[w++] = ys[i];
    return w;
}

bool pl_shows_between(const pagelayout *pl, int y0, int y1) {
    for (size_t i = 0; i < pl->n_paras; i++) {
        const para *p = &pl->paras[i];
        if (p->action && p->box_y < y1 && p->box_y + p->box_h > y0) return true;
        for (size_t l = 0; l < p->lp.n_lines; l++) {
            int ly = p->y + (int)l * p->line_h;
            if (ly < y1 && ly + p->line_h > y0) return true;
        }
    }
    for (size_t i = 0; i < pl->n_shapes; i++) {
        const shape *s = &pl->shapes[i];
        /* a box's or a field's edge and padding alone are no content: its text is */
        if (s->kind == SH_IMAGE && s->y < y1 && s->y + s->h > y0) return true;
    }
    return false;
}

int pl_words_between(const pagelayout *pl, int y0, int y1) {
    long words = 0;
    for (size_t i = 0; i < pl->n_paras; i++) {
        const para *p = &pl->paras[i];
        int nl = (int)p->lp.n_lines;
        if (p->role < 0 || nl == 0) continue;
        int in = 0;
        for (int l = 0; l < nl; l++) {
            int ly = p->y + l * p->line_h;
            if (ly >= y0 && ly < y1) in++;
        }
        words += (long)p->words * in / nl;
    }
    return (int)words;
}

int pl_lines(const pagelayout *pl, int *tops, int *heights, int max) {
    /* paras are in page order except list markers and exercise boxes, which share tops: insert sorted */
    int n = 0;
    for (size_t i = 0; i < pl->n_paras; i++) {
        const para *p = &pl->paras[i];
        for (size_t l = 0; l < p->lp.n_lines; l++) {
            int y = p->y + (int)l * p->line_h, h = p->line_h;
            int k = n;
            while (k > 0 && tops[k - 1] > y)
                k--;
            if (k > 0 && tops[k - 1] == y) {
                if (heights[k - 1] < h) heights[k - 1] = h;
                continue;
            }
            if (n == max) return n;
            memmove(tops + k + 1, tops + k, (size_t)(n - k) * sizeof *tops);
            memmove(heights + k + 1, heights + k, (size_t)(n - k) * sizeof *heights);
            tops[k] = y;
            heights[k] = h;
            n++;
        }
    }
    return n;
}

int pl_unit_count(const pagelayout *pl) { return pl->n_units; }

const char *pl_unit_text(const pagelayout *pl, int u) {
    if (u < 0 || u >= pl->n_units) return "";
    const unit *un = &pl->units[u];
    return un->image ? (pl->shapes[un->index].alt ? pl->shapes[un->index].alt : "") : pl->paras[un->index].plain;
}

int pl_unit_y(const pagelayout *pl, int u) {
    if (u < 0 || u >= pl->n_units) return 0;
    const unit *un = &pl->units[u];
    return un->image ? pl->shapes[un->index].y : pl->paras[un->index].y;
}

int pl_unit_at(const pagelayout *pl, int px, int py) {
    for (int u = 0; u < pl->n_units; u++) {
        const unit *un = &pl->units[u];
        int x, y, w, h;
        if (un->image) {
            const shape *sh = &pl->shapes[un->index];
            x = sh->x, y = sh->y, w = sh->w, h = sh->h;
        } else {
            const para *p = &pl->paras[un->index];
            x = p->x, y = p->y, w = p->width, h = para_height(p);
        }
        if (px >= x && px < x + w && py >= y && py < y + h) return u;
    }
    return -1;
}

bool pl_unit_box(const pagelayout *pl, int u, uint32_t start, uint32_t len, int *x, int *y, int *w, int *h) {
    if (u < 0 || u >= pl->n_units) return false;
    const unit *un = &pl->units[u];
    if (un->image) {
        const shape *sh = &pl->shapes[un->index];
        *x = sh->x, *y = sh->y, *w = sh->w, *h = sh->h;
        return true;
    }
    const para *p = &pl->paras[un->index];
    /* the plain text is the runs end to end: find the run and the offset in it */
    uint32_t at = 0;
    for (size_t r = 0; r < p->n_runs; r++) {
        uint32_t rl = (uint32_t)p->runs[r].len;
        if (start >= at && start < at + rl) {
            uint32_t off = start - at;
            for (size_t l = 0; l < p->lp.n_lines; l++) {
                const layout_line *ln = &p->lp.lines[l];
                for (uint32_t f = ln->first; f < ln->first + ln->count; f++) {
                    const layout_frag *fr = &p->lp.frags[f];
                    if (fr->run != r || off < fr->off || off >= fr->off + fr->len) continue;
                    const char *t = p->runs[r].text;
                    uint32_t end = off + len < fr->off + fr->len ? off + len : fr->off + fr->len;
                    *x = p->x + fr->x +
                         ren_measure_spaced(pl->rn, p->runs[r].style, t + fr->off, off - fr->off, p->ls, p->ws);
                    *w = ren_measure_spaced(pl->rn, p->runs[r].style, t + off, end - off, p->ls, p->ws);
                    *y = p->y + (int)l * p->line_h;
                    *h = p->line_h;
                    return true;
                }
            }
            return false;
        }
        at += rl;
    }
    return false;
}

int pl_line_count(const pagelayout *pl) {
    int n = 0;
    for (size_t i = 0; i < pl->n_paras; i++)
        n += (int)pl->paras[i].lp.n_lines;
    return n;
}

int pl_widest_line(const pagelayout *pl) {
    int w = 0;
    for (size_t i = 0; i < pl->n_paras; i++)
        for (size_t l = 0; l < pl->paras[i].lp.n_lines; l++)
            if (pl->paras[i].x + pl->paras[i].lp.lines[l].width > w)
                w = pl->paras[i].x + pl->paras[i].lp.lines[l].width;
    return w;
}

void pl_word_stats(const pagelayout *pl, layout_word_stats *st) {
    for (size_t i = 0; i < pl->n_paras; i++)
        layout_word_stats_add(&pl->paras[i].lp, pl->paras[i].runs, pl->paras[i].n_runs, st);
}
