/* lockout.h — wrong PINs: how many, which (so the same wrong PIN twice counts once), and how long the patient
 * must wait before the next try. The schedule is iOS's published one (config.h, MS_LOCK_*); after the clinic's
 * maximum only the clinic's reset code opens the tablet. Nothing here ever destroys data.
 *
 * The count is written to the store (unsealed: it holds no patient text and is needed while locked) BEFORE the
 * slow check starts, so killing the app mid-check cannot buy a free guess; a right PIN clears it. The wait is not
 * kept as a wall-clock time (the clock is the attacker's to change): after a restart it starts again in full.
 * Pure logic on a struct plus load/save; no SDL, no threads. */
#ifndef MEISTRING_LOCKOUT_H
#define MEISTRING_LOCKOUT_H

#include <stdbool.h>

#include "meistring/config.h"
#include "meistring/store.h"
#include "meistring/vault.h"

typedef struct {
    int failures; /* distinct wrong PINs since the last right one (or since the reset code) */
    int n_seen;
    unsigned char seen[MS_LOCK_SEEN_MAX][VAULT_PIN_FP_BYTES]; /* their fingerprints (vault_pin_fingerprint) */
    bool need_code; /* failures reached the clinic's maximum: only the reset code opens the tablet */
} lockout;

/* Seconds to wait after `failures` wrong PINs: 0 for the first MS_LOCK_FREE_TRIES, then 60, 300, 900, 900, 3600… */
int lockout_delay_s(int failures);

void lockout_load(store *s, lockout *lo); /* absent or damaged: no failures */
bool lockout_save(store *s, const lockout *lo);

/* True when this wrong PIN was already counted (it is known wrong: no check, no count). */
bool lockout_seen(const lockout *lo, const unsigned char fp[VAULT_PIN_FP_BYTES]);
/* Counts a try before its check: one more failure, its fingerprint kept, need_code once max_failures is
 * reached. The caller saves, then checks, and calls lockout_clear when the PIN was right. */
void lockout_count(lockout *lo, const unsigned char fp[VAULT_PIN_FP_BYTES], int max_failures);
void lockout_clear(lockout *lo);

#endif
