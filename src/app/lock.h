/* lock.h — the loaned tablet's lock (issue 12; docs/tablet.md): the patient's PIN, the lock screen in front of
 * everything, auto-lock, wrong PINs slowed down, the clinic's reset code for a forgotten PIN, and the wipe of a
 * returned tablet.
 *
 * The rules, all kept in lock.c:
 *   - a tablet enrolled with a clinic has a PIN. Until the patient has chosen one (right after the enrolment
 *     code), the PIN screen is the only way on; the data key is then wrapped under the PIN and the device key
 *     (store_set_pin) and no longer under the device key alone;
 *   - it starts locked, and locks after MS_LOCK_AFTER_S untouched (or the clinic's lock.after_s), and when the
 *     window loses focus, is hidden or the machine sleeps for longer than MS_LOCK_FOCUS_GRACE_S. Locked, the
 *     screen on top is the lock screen (or «Hjelp nå» over it, or the staff pad): nothing of the patient shows,
 *     read-aloud stops, the editor's text leaves the screen and the text cache is emptied. Unlocked, the patient
 *     is where they were. After the first unlock the data key stays in memory while locked, so sync goes on (as
 *     a phone "after first unlock"); before it, nothing syncs (docs/encryption.md);
 *   - wrong PINs: lockout.h (iOS's schedule; the same wrong PIN counts once; kept across kill -9; after the
 *     clinic's maximum only the reset code). The slow checks run on a thread of their own;
 *   - a forgotten PIN: the clinic's one-time reset code fetches the recovery wrap (sync_recover), which opens
 *     with this tablet's device key; the patient then chooses a new PIN, and their drafts are all there;
 *   - wipe: staff (screens/staff.c) or the clinic from the server (a sync pass ending SYNC_RETURNED) — the keys
 *     destroyed first, then every file (paths_wipe), a receipt kept beside the data dir for staff and for the
 *     next enrolment, and the tablet back on the enrolment screen with a new, empty store.
 * The kiosk has none of this: it keeps nothing. */
#ifndef MS_LOCK_H
#define MS_LOCK_H

#include "app.h"

/* What the lock and PIN screens show (read-only outside lock.c). */
typedef struct {
    bool locked;      /* the lock stands in front of everything */
    bool has_pin;     /* the store's data key is wrapped under a PIN */
    bool must_choose; /* enrolled but no PIN yet (or a reset code was used): the PIN screen, no way past it */
    bool checking;    /* a PIN or a reset code is being checked */
    bool wrong;       /* the last PIN was wrong */
    bool repeated;    /* … and it was one already counted */
    bool old_ok;      /* changing the PIN: the old one was right */
    bool pin_set;     /* the PIN just chosen is in force */
    int failures;     /* wrong PINs so far */
    int wait_s;       /* seconds before the next try may be made */
    bool need_code;   /* only the clinic's reset code opens it now */
    int code_result;  /* the last reset code: 0 none, 1 offline, 2 refused, 3 busy, 4 did not fit this tablet */
    int pin_digits;   /* the PIN's least length: the clinic's (6, or 4 when it allows) */
    /* the clinic's lock settings (store settings "lock.*", unsealed), read once at start and after an enrolment:
     * the loop asks for the idle deadline on every pass, and a store read there would be one per event */
    int after_s;         /* auto-lock after this long untouched */
    int max_failures;    /* then only the reset code */
    bool has_staff_code; /* «For klinikken» is offered */
} lock_state;

const lock_state *lock_get(void);
/* Started locked and not yet opened: the saved place waits for the first unlock (nav.c saves nothing meanwhile). */
bool lock_place_pending(void);

/* app_init, once the store is open: locked when the store has a PIN; the PIN screen when enrolled without. */
void lock_start(app *a);
/* Lock now: the patient's «Lås», idle, focus lost. Nothing when there is no PIN. */
void lock_now(app *a, const char *why);
/* Every event, in app_guard: activity for the idle clock, focus and visibility. True: dealt with. */
bool lock_guard(app *a, const SDL_Event *e);
/* app_do: while locked, only the lock screen's, help's and staff's actions go through. True: dropped. */
bool lock_blocks(const app *a, app_action act);
/* Before each frame's update: locked ⇒ the lock screen (or help or staff over it) on top; no PIN yet ⇒ the PIN
 * screen on top. Whatever moved the screens meanwhile (new content, a sync event) cannot uncover the patient. */
void lock_enforce(app *a);
int lock_deadline_ms(const app *a);
bool lock_tick(app *a); /* true: redraw */
/* A sync status arrived: the clinic took the tablet back (wipe), or the enrolment just went through. */
void lock_synced(app *a);

/* The screens' requests; the answers come through lock_get after a tick. pin and code are copied and wiped. */
void lock_try_pin(app *a, const char *pin);   /* unlock */
void lock_check_old(app *a, const char *pin); /* changing the PIN: the old one first (counts as a try) */
void lock_choose_pin(app *a, const char *pin); /* the new PIN, already typed twice */
void lock_try_code(app *a, const char *code); /* the clinic's reset code */
void lock_forget_result(void);                /* the PIN screen starts a new round: no wrong, no set */
/* A PIN a patient may choose: the clinic's length, and not one of the few everyone tries first (all one digit,
 * a run up or down). */
bool lock_pin_acceptable(const char *pin);

/* Crypto-erase (reason "staff" or "remote"): read-aloud and sync stop, the keys are destroyed first, then every
 * file (paths_wipe), a receipt is kept, and the tablet is ready for the next patient: a new store, the demo behind
 * the enrolment screen. */
void lock_wipe(app *a, const char *reason);
/* After a wipe nothing is on disk until the next enrolment: the enrolment screen calls this when a code is
 * typed, to make the new store (a new device key, a new data key) and start sync. True: ready to enrol. */
bool lock_prepare_enrolment(app *a);
/* The last wipe's receipt in words for staff, "" when none (shown on the enrolment screen until the next
 * enrolment hands it to the clinic). */
const char *lock_receipt_summary(void);

#endif
