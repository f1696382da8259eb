/* view.h — what one frame shows, as a list of elements: role, text, bounds and the action a tap triggers.
 * Screens add elements while they draw; taps are hit-tested against the last frame's list, and `describe`
 * writes the same list as JSON. The same description is what read-aloud and a screen reader need. */
#ifndef MS_UI_VIEW_H
#define MS_UI_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "meistring/layout.h"

typedef enum { ROLE_HEADING, ROLE_TEXT, ROLE_BUTTON, ROLE_IMAGE, ROLE_FIELD, ROLE_CALLOUT, ROLE_STATUS } view_role;

/* A button that is an answer to choose (view_choice): one of a group (a scale's step, a questionnaire's answer, a
 * reading aid's option) or one of a checklist, any number of which may be chosen. */
typedef enum { VIEW_CHOICE_NONE, VIEW_CHOICE_ONE, VIEW_CHOICE_MANY } view_choice_kind;

/* A run of elements that is a list (view_list, view_list_item): home's module cards, a module's pages, a page's
 * bulleted and numbered lists. */
typedef enum { VIEW_LIST_NONE, VIEW_LIST_ITEM, VIEW_LIST_FIRST } view_list_mark;

/* A run of elements that is a table (view_table): a form's rows, each a row header and a cell per column. */
typedef enum { VIEW_TABLE_NONE, VIEW_TABLE_CELL, VIEW_TABLE_FIRST } view_table_mark;

typedef struct {
    view_role role;
    const char *text; /* owned by the view (copied in) */
    int x, y, w, h;
    int action; /* 0: not tappable */
    int arg;
    bool clipped; /* only part of it is visible (bounds are that part) */
    /* What a screen reader needs beyond the words, where the screen knows it (0 where it does not; the screen
     * reader's bridge then guesses as before): not written by describe. */
    int level;               /* a heading's level, 1-6 (view_heading_level) */
    view_choice_kind choice; /* an answer to choose, and whether it is chosen (view_choice) */
    bool chosen;
    view_list_mark list; /* an item of a list; VIEW_LIST_FIRST starts one (view_list) */
    view_table_mark table; /* in a table; VIEW_TABLE_FIRST starts one (view_table) */
    int row, col;          /* its cell: the row among the table's rows on screen, the column (0: the row's header) */
    int table_cols;        /* the table's columns, the header's among them */
    int mx, my, mw, mh;  /* a mark drawn on it, a chosen answer's tick (view_mark; mw 0: none): check-layout */
} view_elem;

/* What a keyboard or a switch can reach this frame (keynav.c): every tappable element in reading order, also one
 * the clip left out (scrolled away), with its whole bounds, so the focus can scroll to it. */
typedef struct {
    size_t text;    /* offset into the frame's text buffer: view_focus_text */
    int x, y, w, h; /* whole, as laid out: may lie off screen */
    int action, arg;
    int elem; /* its index in e when any of it is visible, else -1 */
} view_focus;

/* A line of text laid out this frame that ends inside a word (no space at the break): the end of that line and the
 * start of the next, "before\x1fafter", at most MS_VIEW_BREAK_CONTEXT bytes each, and whether a hyphen is drawn
 * at the break. What check-words judges (the 2/3 letters rule, no word cut without a hyphen). */
typedef struct {
    size_t text; /* offset into the frame's text buffer: view_break_text */
    bool hyphen;
} view_break;

typedef struct {
    view_elem *e;
    size_t n, cap;
    view_focus *f; /* the focus order */
    size_t nf, fcap;
    char *text; /* one buffer for every element's text this frame */
    size_t text_len, text_cap;
    bool clipping; /* elements are cut to the clip rectangle, as the drawing is */
    int cx, cy, cw, ch;
    /* The frame's scrolling area as the screen laid it out: its top and bottom on screen (px) and the height of
     * what is in it. A result of the frame, like the elements: the app reads it after drawing to know how far
     * the screen scrolls, so no draw has to write that into the model. area_top < 0: none this frame. */
    int area_top, area_bottom, area_extent;
    /* The bottom of the frame's top bar, under its banner and message line (px; 0: the screen drew none): what is
     * above it is the bars', which a screen's reading leaves out. A result of the frame, as the area is. */
    int bar_bottom;
    view_break *b; /* every break inside a word this frame (view_breaks) */
    size_t nb, bcap;
    /* Elements given no room (a width or height of 0 or less), also those a clip then left out: how many this
     * frame and the first one, whole, for check-layout. */
    int n_flat;
    view_elem flat; /* its text points into the frame's buffer as e's do */
} view;

void view_init(view *v);
void view_deinit(view *v);
void view_reset(view *v); /* start a new frame; keeps the buffers */

/* Elements added after this are cut to the rectangle (and dropped when wholly outside), matching a drawing
 * clip, so the description never reports what the screen does not show. view_clip_off ends it. */
void view_clip(view *v, int x, int y, int w, int h);
void view_clip_off(view *v);

/* This frame scrolls between top and bottom (px, on screen); view_scroll_extent says how tall its content was. */
void view_scroll_area(view *v, int top, int bottom);
void view_scroll_extent(view *v, int extent);
void view_bar_bottom(view *v, int y); /* this frame's top bar ends at y */
/* Drops the focus entries added since there were n: a picture of controls that are not this screen's (the reading
 * aids' preview of a page, whose glossary terms are its own page's) */
void view_focus_truncate(view *v, size_t n);

/* Adds an element; the text is copied. Returns false when out of memory (the frame then lacks it). */
bool view_add(view *v, view_role role, const char *text, int x, int y, int w, int h, int action, int arg);

const char *view_focus_text(const view *v, const view_focus *f);

/* A part of element elem (its index in e, or -1) that a keyboard or a switch can act on, not a tappable element of
 * its own (a glossary term in a paragraph): it joins the focus order with its own bounds, shown when they lie whole
 * in the clip. Once per frame: the same action and arg again (a page described in two parts around an open
 * explanation, the second line of a hyphenated term) only gives it bounds that show, if it had none. */
bool view_add_focus(view *v, const char *text, int x, int y, int w, int h, int action, int arg, int elem);

/* Notes every break inside a word in p (laid out from runs): called where laid-out text is drawn or described,
 * so the checks see the lines a person sees. hyphens: whether the caller draws the hyphens the layout asks for
 * (without them, every such break shows a word cut in two). Costs nothing where a line ends at a space. */
void view_breaks(view *v, const layout_para *p, const layout_run *runs, bool hyphens);
/* The same for one break of text laid out elsewhere (the editor's field keeps its own lines): the line ending in
 * before[0..blen), the next starting with after[0..alen), hyphen: one is drawn at the break. */
void view_break_note(view *v, const char *before, size_t blen, const char *after, size_t alen, bool hyphen);
const char *view_break_text(const view *v, const view_break *b);

/* The elements added since from (v->n before the widget was drawn) are headings of level (1-6). */
void view_heading_level(view *v, size_t from, int level);
/* The tappable elements added since from are an answer of that kind, chosen or not: a screen reader says it as a
 * radio button or a check box, checked or not, not only by the words «– valgt» in its label. */
void view_choice(view *v, size_t from, view_choice_kind kind, bool chosen);
/* A mark (a chosen answer's tick) is drawn at [x y w h] on the last element added, when it lies on it: check-layout
 * fails where the element's words are drawn under it (a wrapped label ran under the tick, issue 13's audit). */
void view_mark(view *v, int x, int y, int w, int h);
/* The tappable elements added since from are items of one list, after any list that ended before from. */
void view_list(view *v, size_t from);
/* The elements added since from (a page's list item is text) are items of a list, each one; starts: the first of
 * them starts a new list, else they go on the list before them. */
void view_list_item(view *v, size_t from, bool starts);
/* The elements added since from are a table of columns columns, drawn a row at a time (a form's rows, each a card):
 * a heading starts a row and is its header (column 0); in a row a field's label (a column's question) starts a
 * cell, and what follows it, up to the next, is in that cell. A row whose heading has been scrolled away is the
 * end of a row: its cells are its last columns. Rows are counted from the first on screen. */
void view_table(view *v, size_t from, int columns);

/* Every element's level in the screen's outline (levels[i] for e[i]; 0: not a heading): the level the screen gave
 * it (view_heading_level), else 1 for the screen's title (a heading in the top bar, the screen's first heading, or
 * one that says the bar's title: an exercise's, a questionnaire's under the bar), else one level under the nearest
 * heading before it whose level is not guessed so (an exercise's «Rad 1» under its title, the numbers of «Hjelp nå»
 * under the bar's title). */
void view_outline(const view *v, int *levels);

/* The last-added tappable element under (x, y), or NULL. */
const view_elem *view_hit(const view *v, int x, int y);

const char *view_role_name(view_role r);

/* Writes {"screen": …, "size": [w, h], …extra…, "elements": [...]} to path; extra_json is a JSON object whose
 * members are added at the top level (the reading settings, the read-aloud state), or NULL. False on error. */
bool view_write_json(const view *v, const char *screen, int w, int h, const char *extra_json, const char *path);

#endif
