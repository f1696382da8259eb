/* input.h — SDL's events turned into what the patient did: a tap, a drag (which scrolls), a swipe, a pinch, a
 * long press on backspace, a key, typed text. It knows no screen: it asks the screen on top (screens.h) whether
 * it takes the gesture, and otherwise taps the element under the finger, scrolls the list, or goes Back. */
#ifndef MS_INPUT_H
#define MS_INPUT_H

#include "app.h"

/* One event from the queue; false when it is not input (the loop handles it). */
bool input_event(app *a, const SDL_Event *e);
void input_reset(void);               /* forget the gesture in progress: the next release taps nothing */

#endif
