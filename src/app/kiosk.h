/* kiosk.h — the waiting-room kiosk (--kiosk): a demonstration left alone in public for months.
 *
 * What it adds to the client, all from kiosk.c:
 *   - no way out for visitors: every event passes kiosk_guard first, which drops quit requests, window
 *     closes and the compositor's and window manager's key combinations; SIGINT and SIGHUP are ignored and
 *     SIGTERM (the service manager) ends the client cleanly; the keyboard is grabbed;
 *   - the idle reset: after the configured idle time a large «Er du fortsatt her?» countdown over the screen,
 *     cancelled by any touch, then kiosk_reset: everything a visitor did forgotten, back to the attract screen.
 *     The idle clock stands still while read-aloud speaks;
 *   - the staff exit: a press held MS_KIOSK_CORNER_HOLD_MS in the top-left corner opens the staff PIN pad
 *     (screens/staff.c); staff can then leave the kiosk (kiosk_leave) or restart it (kiosk_restart).
 *
 * The kiosk's state (the idle clock, the warning, the corner) is this file's own; the configuration is the
 * caller's (app_options.kiosk_cfg, read by main.c before anything starts). Nothing here writes a file, except the
 * stay-off mark of kiosk_leave, which staff ask for with their PIN (docs/kiosk.md). */
#ifndef MS_KIOSK_H
#define MS_KIOSK_H

#include "app.h"

/* Before SDL starts: the signal dispositions and SDL's hints (no signal handlers of its own, the keyboard
 * grabbed, no Alt+Tab while grabbed, no quit on the last window's close). */
void kiosk_prepare(void);
/* After app_init: the keyboard grab, the attract screen, the idle clock from now. */
void kiosk_start(app *a);
/* Every event, before anything else sees it. True: the kiosk dealt with it (dropped it, or a touch that only
 * cancelled the warning); false: handle it as usual. A touch or a key is the visitor's activity. */
bool kiosk_guard(app *a, const SDL_Event *e);
/* The kiosk's timers: ms until kiosk_tick has work (never more than MS_KIOSK_TICK_MAX_MS, so a SIGTERM that did
 * not wake the loop is seen soon). */
int kiosk_deadline_ms(const app *a);
/* The timers' work: SIGTERM asked to stop, the warning shown or its countdown moved on, the reset, the held
 * corner. True: redraw. */
bool kiosk_tick(app *a);
/* Over the screen's frame: the warning, when it is up (the frame's description is then the warning alone). */
void kiosk_draw(app *a);
/* Everything a visitor did, forgotten: the reading place and visited pages, the reading settings, drafts,
 * answers and scores, the message thread, the keyboard, the clipboard, toasts, read-aloud, the screens' own
 * state; the store in memory is dropped and a new, empty one opened. Back to the attract screen. */
void kiosk_reset(app *a);

/* describe's "kiosk": the warning and the idle clock. */
typedef struct {
    bool warning;     /* «Er du fortsatt her?» is up */
    int seconds_left; /* of the warning's countdown */
    int idle_ms;      /* since the last touch (0 while read-aloud speaks) */
    unsigned resets;  /* since the start */
} kiosk_info;
void kiosk_info_get(const app *a, kiosk_info *out);

/* The staff screen's two ways out. Leave: the client ends and the service does not start it again until the
 * next boot or `systemctl start` (a stay-off mark in $RUNTIME_DIRECTORY, which the unit checks). Restart: the
 * client ends and main.c starts it again in the same process (exec), as new. */
void kiosk_leave(app *a);
void kiosk_restart(app *a);
bool kiosk_wants_restart(void);

#endif
