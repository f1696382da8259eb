/* lockout.c — see lockout.h. */
#include "meistring/lockout.h"

#include <string.h>

int lockout_delay_s(int failures) {
    if (failures <= MS_LOCK_FREE_TRIES) return 0;
    switch (failures - MS_LOCK_FREE_TRIES) {
    case 1: return 60;
    case 2: return 5 * 60;
    case 3:
    case 4: return 15 * 60;
    default: return 60 * 60;
    }
}

/* stored as: failures (1 byte), need_code (1 byte), n_seen (1 byte), then the fingerprints */
#define HEAD 3

void lockout_load(store *s, lockout *lo) {
    memset(lo, 0, sizeof *lo);
    unsigned char b[HEAD + MS_LOCK_SEEN_MAX * VAULT_PIN_FP_BYTES];
    size_t n = store_lock_state_get(s, "lockout", b, sizeof b);
    if (n < HEAD || b[2] > MS_LOCK_SEEN_MAX || n != HEAD + (size_t)b[2] * VAULT_PIN_FP_BYTES) {
        if (n) lo->failures = MS_LOCK_FREE_TRIES + 1; /* damaged: not a reason to forgive every failure */
        return;
    }
    lo->failures = b[0];
    lo->need_code = b[1] != 0;
    lo->n_seen = b[2];
    memcpy(lo->seen, b + HEAD, (size_t)lo->n_seen * VAULT_PIN_FP_BYTES);
}

bool lockout_save(store *s, const lockout *lo) {
    unsigned char b[HEAD + MS_LOCK_SEEN_MAX * VAULT_PIN_FP_BYTES];
    b[0] = (unsigned char)(lo->failures > 255 ? 255 : lo->failures);
    b[1] = lo->need_code;
    b[2] = (unsigned char)lo->n_seen;
    memcpy(b + HEAD, lo->seen, (size_t)lo->n_seen * VAULT_PIN_FP_BYTES);
    return store_lock_state_set(s, "lockout", b, HEAD + (size_t)lo->n_seen * VAULT_PIN_FP_BYTES);
}

bool lockout_seen(const lockout *lo, const unsigned char fp[VAULT_PIN_FP_BYTES]) {
    for (int i = 0; i < lo->n_seen; i++)
        if (memcmp(lo->seen[i], fp, VAULT_PIN_FP_BYTES) == 0) return true;
    return false;
}

void lockout_count(lockout *lo, const unsigned char fp[VAULT_PIN_FP_BYTES], int max_failures) {
    if (lo->failures < 255) lo->failures++;
    if (lo->n_seen == MS_LOCK_SEEN_MAX) { /* the oldest goes: the newest wrong PINs are the ones retyped */
        memmove(lo->seen[0], lo->seen[1], (MS_LOCK_SEEN_MAX - 1) * VAULT_PIN_FP_BYTES);
        lo->n_seen--;
    }
    memcpy(lo->seen[lo->n_seen++], fp, VAULT_PIN_FP_BYTES);
    if (lo->failures >= max_failures) lo->need_code = true;
}

void lockout_clear(lockout *lo) { memset(lo, 0, sizeof *lo); }
