/* keynav.h — keyboard and switch access (WCAG 2.1.1, 2.4.7, 2.4.13): a focus that walks the tappable elements of
 * the last frame, in the order the screen drew them, with a ring around the one it is on.
 *
 * No screen knows about it: every element a tap can reach (view.h's focus order, which also holds the ones scrolled
 * out of sight) is reachable by Tab / Shift+Tab and, once the ring is up, the arrows; Return or Space does what a tap
 * would. The ring shows from the first navigation key and goes at the next touch or typed text, as :focus-visible
 * does in a browser. Switch scanning («Lesehjelp»: settings.scan_ms) moves the focus by itself; one key or a tap
 * anywhere selects. The focus is kept by what the element does (its action and argument) and what it says, so it
 * stays on the same control when the frame is drawn again, and moves to the screen's first control when the screen
 * changes. State is this file's own; it is not part of the model a frame draws. */
#ifndef MS_KEYNAV_H
#define MS_KEYNAV_H

#include "app.h"

/* A key, before the screen's own key hook: true when it moved the focus or selected. */
bool keynav_key(app *a, SDL_Keycode k, Uint16 mod);
/* Typed text (SDL_TEXTINPUT): true when it is the text of a Space that selected, and must not be typed. */
bool keynav_text(app *a);
/* Text was typed (after the screen had it): the ring goes, as a tap puts it away, unless switch scanning runs. */
void keynav_typed(app *a);
/* A press of a finger or the mouse: the ring goes (not while scanning). */
void keynav_pointer(app *a);
/* A tap while scanning selects the focused control: true when it did (the tap then does nothing else). */
bool keynav_scan_tap(app *a);
/* After a frame: the focus found again in the new frame, and its ring drawn over it. */
void keynav_frame(app *a);
/* Scanning's step: ms until it is due (-1: not scanning), and the step itself (true: redraw). */
int keynav_deadline_ms(const app *a);
bool keynav_tick(app *a);
void keynav_reset(void); /* a person forgotten (the kiosk's reset): no focus, no ring */
/* Moves the focus to the control that does action with arg (text: what it says) on the current screen, when it is
 * drawn: what a keyboard user opened has its own control next (an explanation's close button), and closing it goes
 * back to what opened it. */
void keynav_focus(app *a, int action, int arg, const char *text);

/* The screen's content was replaced in place (a questionnaire's next item): the focus leaves the control it was
 * on, which may say the same and stand out of sight, for the first control in sight, as on a new screen. */
void keynav_content_changed(app *a);
/* The focused control scrolled into view, if part of it is out of sight (the harness's tab-to, on a control the
 * focus is already on). */
void keynav_show_focus(app *a);

typedef struct {
    bool shown;          /* the ring is up */
    bool scanning;       /* switch scanning is on */
    const char *text;    /* what the focused control says (borrowed from the frame), or NULL */
    int x, y, w, h;      /* its ring's bounds on screen */
} keynav_info;
void keynav_info_get(const app *a, keynav_info *out); /* describe's "keyfocus" */
/* The screen reader's view of the focus (a11y.c): the index in the frame's elements of the control the ring is on,
 * -1 when no ring is shown or its control is out of sight. */
int keynav_focus_elem(const app *a);
/* A screen reader asked for the focus on the control that does action with arg: the ring goes there, as if Tab
 * had reached it. */
void keynav_focus_on(app *a, int action, int arg);

#endif
