/* readaloud.h — read-aloud: the page read from a text on, the spoken word lit and followed across screens and
 * pages, paused and resumed, faster and slower; or texts that are not a page (the scores). The voice is
 * espeak-ng on its own thread (speech.h); this keeps the app's side of it. */
#ifndef MS_READALOUD_H
#define MS_READALOUD_H

#include "app.h"

bool readaloud_ready(app *a); /* the player, opened on first use; false (and a toast) when there is none */
void readaloud_from(app *a, int unit);              /* the current page, from its text `unit` */
void readaloud_texts(app *a, const char *const *texts, int n); /* texts that are not a page */
int readaloud_first_in_view(app *a);                /* the first text on the screen (paged) or at the top */
void readaloud_stop(app *a);
/* Keeps playback going, lights the spoken word and follows it. Call while a->speaking; true: redraw. */
bool readaloud_tick(app *a);
bool readaloud_action(app *a, app_action act, int arg); /* stop, slower, faster: from the read-aloud bar */

#endif
