/* pages.h — the current page laid out for the reader's settings, cached (the page, its neighbours, the last),
 * and its lines for the focus ruler. The reader, the reading-aids preview, read-aloud and the saved place all
 * ask here, so a page is laid out once per size and settings. */
#ifndef MS_PAGES_H
#define MS_PAGES_H

#include "app.h"

/* Reading text size in px for dp: follows the patient's text size all the way to 400 %. */
int pages_read_px(const app *a, double dp);
pagelayout *pages_layout(app *a); /* the current page's layout (cached); NULL when out of memory */
/* The same if it is already laid out, else NULL; touches nothing, so a draw can use it (the update laid it out). */
pagelayout *pages_laid_out(app *a);
bool pages_whole_laid_out(app *a); /* the whole page (not a part) is in the cache: a turn back to it takes no part */
void pages_invalidate(app *a);    /* drop cached layouts: the size or the settings changed */
/* The first frame of a page opened at a saved place: only the part of the page from the saved block on, more_px
 * past it (pagelayout.h: pl_build_part), kept apart from the cache; pages_laid_out gives it until
 * pages_part_done drops it, after the first frame (app.c), and the whole page is laid out. NULL when out of
 * memory: the caller lays out the whole page. */
pagelayout *pages_part(app *a, int block, int more_px);
void pages_part_done(app *a);
int pages_lines(app *a, const pagelayout *pl); /* the page's lines (a->line_tops/heights), cached */
pl_params pages_params(app *a, int colw);      /* layout parameters for the reading settings at colw px */
ren_family pages_family(const app *a);          /* the reading font the patient chose */
int pages_column(app *a);                        /* the reading column: near 65 characters, or the screen */

#endif
