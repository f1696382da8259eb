/* pages.c — see pages.h. */
#include "pages.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <stdlib.h>
#include <string.h>

#include "meistring/hyphen.h"


ren_family pages_family(const app *a) {
    if (strcmp(a->set.font, "serif") == 0) return REN_SERIF;
    if (strcmp(a->set.font, "dyslexic") == 0) return REN_DYSLEXIC;
    return REN_SANS;
}

/* The tallest a heading or a page's button is set: a share of the window, and no more than one screen of paged
 * reading as the reader last worked it out (a->page_room; 0 until it has). */
static int heading_room(const app *a) {
    int room = a->h * MS_LAYOUT_HEADING_MAX_PCT / 100;
    return a->page_room > 0 && a->page_room < room ? a->page_room : room;
}

pl_params pages_params(app *a, int colw) {
    pl_params p = {
        .width = colw,
        .body_px = pages_read_px(a, DP_BODY),
        .h1_px = pages_read_px(a, DP_H1),
        .h2_px = pages_read_px(a, DP_H2),
        .h3_px = pages_read_px(a, DP_H3),
        .small_px = pages_read_px(a, DP_SMALL),
        .line_height_pct = a->set.line_pct,
        .block_gap = pages_read_px(a, 20) * a->set.para_pct / 100,
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
        .term_action = ACT_TERM_OPEN,
        .content_dir = a->content,
        .family = pages_family(a),
        .hyph = a->hyph,
        /* a heading or a button taller than a screen of paged reading would be cut over a turn; the bars, the
         * banner and the read-aloud bar leave a phone at large text a screen of less than MS_LAYOUT_HEADING_MAX_PCT
         * of the window, and then the reader's screen is the limit */
        .max_heading_h = heading_room(a),
        .screen_h = a->page_room,
        .last_heading_px = app_px(a, DP_BODY), /* the body text at 100 % */
    };
    return p;
}

int pages_read_px(const app *a, double dp) { return (int)(dp * a->dp * a->set.text_pct / 100.0 + 0.5); }

/* The reading column for the current settings: near 65 characters of reading text, or the screen. */
int pages_column(app *a) { return ui_column_width(app_ui(a), pages_read_px(a, DP_BODY)); }

/* Every layout built, counted (--stats, describe's "start"): a first frame that waited for the whole page shows
 * here as that page's words. */
static pagelayout *counted(app *a, pagelayout *pl) {
    if (pl) a->words_laid_out += (unsigned)pl_words_between(pl, 0, 1 << 30);
    return pl;
}

pagelayout *pages_part(app *a, int block, int more_px) {
    pages_part_done(a);
    const doc_page *page = &a->prog->modules[a->module].pages[a->page];
    if (block < 0 || (size_t)block >= page->n_blocks) return NULL;
    pl_params p = pages_params(a, pages_column(a));
    a->layout_part = counted(a, pl_build_part(a->rn, page, &p, (size_t)block, more_px));
    if (a->layout_part) a->page_parts++;
    return a->layout_part;
}

void pages_part_done(app *a) {
    if (!a->layout_part) return;
    a->layouts_gen++; /* the reader's screens were cut for the part */
    if (a->lines_for == a->layout_part) a->lines_for = NULL;
    pl_free(a->layout_part);
    a->layout_part = NULL;
    a->dirty = true;
}

void pages_invalidate(app *a) {
    pages_part_done(a);
    a->layouts_gen++; /* the reader's screens were cut for one of these */
    a->lines_for = NULL;
    for (int i = 0; i < MS_LAYOUT_CACHE_PAGES; i++) {
        pl_free(a->layouts[i]);
        a->layouts[i] = NULL;
    }
}

/* The cache slot holding page's layout for p, or -1. */
static int cached(const app *a, const doc_page *page, const pl_params *p) {
    for (int i = 0; i < MS_LAYOUT_CACHE_PAGES; i++)
        if (a->layouts[i] && pl_matches(a->layouts[i], page, p)) return i;
    return -1;
}

pagelayout *pages_laid_out(app *a) {
    pl_params p = pages_params(a, pages_column(a));
    const doc_page *page = &a->prog->modules[a->module].pages[a->page];
    int i = cached(a, page, &p);
    if (i < 0 && a->layout_part && pl_page(a->layout_part) == page) return a->layout_part;
    return i < 0 ? NULL : a->layouts[i];
}

bool pages_whole_laid_out(app *a) {
    pl_params p = pages_params(a, pages_column(a));
    return cached(a, &a->prog->modules[a->module].pages[a->page], &p) >= 0;
}

pagelayout *pages_layout(app *a) {
    const doc_page *page = &a->prog->modules[a->module].pages[a->page];
    pl_params p = pages_params(a, pages_column(a));
    int hit = cached(a, page, &p);
    if (hit >= 0) {
        a->layout_age[hit] = ++a->layout_clock;
        return a->layouts[hit];
    }
    int slot = 0; /* an empty slot, else the one used longest ago */
    for (int i = 0; i < MS_LAYOUT_CACHE_PAGES; i++) {
        if (!a->layouts[i] || a->layout_age[i] < a->layout_age[slot]) slot = i;
        if (!a->layouts[i]) break;
    }
    if (a->layouts[slot]) a->layouts_gen++;
    if (a->lines_for == a->layouts[slot]) a->lines_for = NULL;
    pl_free(a->layouts[slot]);
    a->layouts[slot] = counted(a, pl_build(a->rn, page, &p));
    hyph_release(a->hyph); /* the page is laid out: its words are broken, the tables are not needed to read it */
    /* nor the fonts its words were measured with (their widths are kept); and what was freed goes back to the
     * system, from the middle of the heap too (glibc returns only its top by itself): issue 14, reading the
     * longest page in 20 MB */
    ren_release_measuring(a->rn);
#ifdef __GLIBC__
    malloc_trim(0);
#endif
    a->layout_age[slot] = ++a->layout_clock;
    return a->layouts[slot];
}

/* The page's lines for the focus ruler, cached per layout. */
int pages_lines(app *a, const pagelayout *pl) {
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

