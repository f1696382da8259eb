/* a11y.h — the screen-reader bridge, from the client's side (WCAG 4.1.2): when a screen reader is in use, the
 * module meistring-a11y.so (src/a11y) is loaded and shown each frame's view, so Orca can walk the screen's elements
 * by name and role, see where they are, follow the keyboard's focus, hear the message line, and press a button
 * (done here, in the client's loop, as a tap on it would be). Without one nothing is loaded: GLib, ATK and D-Bus
 * stay out of the process (issue 14) and the loop sleeps as before.
 *
 * When: `--a11y` on the command line; else a desktop that says a screen reader is on: GNOME_ACCESSIBILITY=1 or
 * QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 in the environment (as GTK and Qt read them), or the accessibility bus's
 * org.a11y.Status saying ScreenReaderEnabled or IsEnabled (Orca sets them when it starts; asked over the session
 * bus with the libdbus SDL has already mapped, never starting anything, not in headless runs). `--no-a11y` wins
 * over all. The kiosk reads its command line and its configuration's screen_reader only. docs/accessibility.md. */
#ifndef MS_A11Y_H
#define MS_A11Y_H

#include "app.h"

/* Whether the bridge is wanted: the flag's value (1 --a11y, 0 --no-a11y, -1 neither), the kiosk's configuration
 * (screen_reader = yes), and for a tablet the environment and the accessibility bus. */
bool a11y_wanted(int flag, bool kiosk, bool kiosk_config, bool headless);
/* Loads the module and starts it (after the window exists). False, logged once, when it cannot: the client runs
 * on without it. */
bool a11y_start(app *a, const char *module_path);
/* After each frame: the view, the focus and the message line, handed to the module (a copy). */
void a11y_frame(app *a);
/* A key pressed or released (SDL_KEYDOWN, SDL_KEYUP): told to the screen reader's key listeners (its key echo,
 * its commands) before the client has it, waiting for their answer at most MS_A11Y_KEY_WAIT_MS. True: the screen
 * reader took it (Orca's say all on KP_Add), and the client must not act on it — nor on its SDL_TEXTINPUT, for
 * which this is true as well. Without a screen reader: false at once. */
bool a11y_key(app *a, const SDL_Event *e);
/* A screen reader's request, posted from the module's thread: true when e was one (it is then done). */
bool a11y_event(app *a, const SDL_Event *e);
void a11y_stop(void); /* before the window goes */

#endif
