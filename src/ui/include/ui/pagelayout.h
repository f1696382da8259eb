/* pagelayout.h — one content page laid out for one column width and one set of reading settings.
 * Built once per (page, settings, width) and cached by the caller; drawing and describing a laid-out page
 * only walks the paragraphs that intersect the view, so scrolling and page turns stay cheap. Coordinates are
 * page coordinates: x from the column's left edge, y from the top of the page. */
#ifndef MS_UI_PAGELAYOUT_H
#define MS_UI_PAGELAYOUT_H

#include <stdbool.h>

#include "meistring/doc.h"
#include "meistring/hyphen.h"
#include "render.h"
#include "theme.h"
#include "view.h"

typedef struct {
    int width; /* column width, px */
    int body_px, h1_px, h2_px, h3_px, small_px;
    int line_height_pct;             /* distance between baselines, % of the font size (150 = 1.5) */
    int block_gap;                   /* px between blocks */
    int letter_pct, word_pct;        /* extra space between letters / words, % of each text's font size */
    int pad;                         /* px inside boxes */
    int radius;                      /* px, box corners */
    const char *summary_title;       /* «Kort fortalt» */
    const char *exercise_open;       /* the button that opens an exercise: «Fyll ut øvelsen» */
    int exercise_action;             /* the view action of that button; its arg is the block's index in the page */
    const char *questionnaire_open;  /* its button: «Svar på skjemaet» */
    const char *questionnaire_count; /* "{1} spørsmål, ett om gangen" */
    int questionnaire_action;
    int term_action; /* a glossary term in the focus order (pl_describe): its arg names it for pl_term_get; 0: none */
    const char *content_dir; /* images are read relative to it */
    ren_family family;       /* reading font */
    const hyph *hyph;        /* the content language's patterns, or NULL (soft hyphens still count) */
    int max_heading_h;       /* px: a heading (or a button's label, less its padding) taller than this is set smaller
                              * (down to MS_LAYOUT_SHRINK_MIN_PCT, a heading not under body_px, then
                              * MS_LAYOUT_HEADING_MIN_BODY_PCT of body_px, then last_heading_px) so that it fits on one
                              * screen of paged reading; 0: no limit */
    int screen_h;            /* px: one screen of paged reading, 0: not known. A heading is set under body_px only
                              * when at body_px it is taller than this (not than max_heading_h's share of the window)
                              * or cut inside a word */
    int last_heading_px;     /* px: the smallest a heading still taller than that is ever set (the body text at 100 %);
                              * 0: no further than MS_LAYOUT_HEADING_MIN_BODY_PCT */
} pl_params;

typedef struct pagelayout pagelayout;

/* Lays out page. NULL when out of memory. The page and params strings must outlive the layout. */
pagelayout *pl_build(ren *rn, const doc_page *page, const pl_params *p);
void pl_free(pagelayout *pl); /* NULL is a no-op */
/* Lays out part of page, for a first frame that shows one screen of a long page: the blocks from first on, until
 * those after it add more_px (-1: to the end). The first block's top is y = 0, every other y is the whole page's
 * less that top, and blocks keep their index in the page (pl_anchor, pl_scroll_for, button args), so what a part
 * shows is what the whole layout shows there. pl_matches never matches a part. NULL when out of memory. */
pagelayout *pl_build_part(ren *rn, const doc_page *page, const pl_params *p, size_t first, int more_px);

int pl_height(const pagelayout *pl);
const doc_page *pl_page(const pagelayout *pl);
bool pl_matches(const pagelayout *pl, const doc_page *page, const pl_params *p);

/* Draws the part of the page between scroll and scroll + view_h with the column's left edge at x and the
 * view's top at y. */
void pl_draw(const pagelayout *pl, ren *rn, const theme *th, int x, int y, int scroll, int view_h);
/* The two layers of pl_draw, for callers that paint between them (the read-aloud highlight sits on boxes,
 * under text). */
void pl_draw_shapes(const pagelayout *pl, ren *rn, const theme *th, int x, int y, int scroll, int view_h);
void pl_draw_text(const pagelayout *pl, ren *rn, const theme *th, int x, int y, int scroll, int view_h);

/* Adds one element per paragraph and image that shows between view_top and view_top + view_h (screen
 * coordinates), with its full bounds; set a view clip to cut them to what is drawn. */
void pl_describe(const pagelayout *pl, view *v, int x, int y, int scroll, int view_top, int view_h);

/* The glossary term under (px, py) in page coordinates (x from the column's left edge, y from the page top):
 * sets *term and *explanation (owned by the page) and returns true; false when no term is there. */
bool pl_term_at(const pagelayout *pl, int px, int py, const char **term, const char **explanation);
/* The glossary term pl_describe put in the focus order with arg id (its block, and which term of it): its words, its
 * explanation and, of its lines (a term hyphenated over two), the top of the one nearest page y near, in page
 * coordinates. False when the layout has no such term. */
bool pl_term_get(const pagelayout *pl, int id, int near, const char **term, const char **explanation, int *line_top);

/* The block at the top of the view and how far into it (1/1000 of its height; past 1000 when the view's top
 * is in the space after the block): a position that survives relayout. And back: the scroll offset for it. */
void pl_anchor(const pagelayout *pl, int scroll, int *block, int *permille);
int pl_scroll_for(const pagelayout *pl, int block, int permille);
/* A finer place, for the same page laid out again at another size in the same run (the room between the bars
 * changed): the text or button at page y (the one that holds it, else the first after it) by its block and which of
 * the block's texts it is, and which of its lines (-1: a button's box). A block's thousandths landed on other text
 * once a block was laid out with other proportions (an exercise's card whose button was set smaller). */
typedef struct {
    int block, k, line, lines;
    int into; /* how far into the line (or box), 1/1000 of its height: a scrolled page comes back to the pixel */
} pl_place;
void pl_anchor_line(const pagelayout *pl, int scroll, pl_place *out);
/* And back: the y of that line in this layout (the same line, or as far into a text that wrapped otherwise); -1
 * when the layout does not hold it. */
int pl_scroll_for_line(const pagelayout *pl, const pl_place *at);

/* Where a screen page may start, ascending, in page coordinates: the top of every line and of every image,
 * so that paged reading never cuts a line in two. Returns how many (at most max). */
int pl_breaks(const pagelayout *pl, int *ys, int max);

/* Whether anything of the page shows in [y0, y1): a line of text (a caption's too), an image or a button; false
 * for the space between them, and for a box's or a field's edge and padding without its text. */
bool pl_shows_between(const pagelayout *pl, int y0, int y1);

/* Words of readable text whose lines start in [y0, y1): for reading-time estimates and pace. */
int pl_words_between(const pagelayout *pl, int y0, int y1);

/* Read-aloud units, in reading order: every paragraph, heading, list item and callout text, and every image
 * (its alt text). Texts are owned by the layout. */
int pl_unit_count(const pagelayout *pl);
const char *pl_unit_text(const pagelayout *pl, int u);
int pl_unit_y(const pagelayout *pl, int u);           /* page y of its top */
int pl_unit_at(const pagelayout *pl, int px, int py); /* the unit under a point (page coordinates), or -1 */
/* The box (page coordinates) of bytes [start, start + len) of unit u's text: the word being spoken. For an
 * image, the image. False when the range is not on the page. */
bool pl_unit_box(const pagelayout *pl, int u, uint32_t start, uint32_t len, int *x, int *y, int *w, int *h);

/* Every line of the page, top to bottom, as (top, height) in page coordinates: what the line-focus ruler
 * steps through. Lines that share a top (a list marker and its item) count once. Returns how many. */
int pl_lines(const pagelayout *pl, int *tops, int *heights, int max);

/* Figures for tests and bench. */
int pl_line_count(const pagelayout *pl);
int pl_widest_line(const pagelayout *pl); /* px, including each paragraph's indent from the column edge */
/* How the page's words were broken (layout.h's figures), added to st: every text on the page, boxed or not. */
void pl_word_stats(const pagelayout *pl, layout_word_stats *st);

#endif
