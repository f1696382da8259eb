/* guard.h — rate limits on failed enrolments, kept in memory under their own lock so that a flood of guesses
 * is refused before it reaches the database: per address (a lockout) and across all addresses (a budget).
 * Budgets in meistring/config.h; the policy and its reasons in docs/sync-protocol.md. Prefix guard_. */
#ifndef MS_SERVER_GUARD_H
#define MS_SERVER_GUARD_H

#include <stdbool.h>
#include <stdint.h>

struct sockaddr;

/* An address as the limits see it: IPv4 as ::ffff:a.b.c.d, IPv6 cut to its /64 (one host holds a whole /64). */
typedef struct {
    unsigned char b[16];
} guard_addr;

void guard_addr_from(const struct sockaddr *sa, guard_addr *out);

typedef struct guard guard;

/* A guard with empty tables; NULL when out of memory. guard_free(NULL) is a no-op. Thread-safe. */
guard *guard_new(void);
void guard_free(guard *g);

typedef enum {
    GUARD_OK,          /* go on: one failure is reserved for this attempt until guard_enrol_end */
    GUARD_ADDR_LOCKED, /* this address failed too often: refuse without looking at the code */
    GUARD_BUSY,        /* the budget of all addresses is spent: refuse, whoever asks */
} guard_verdict;

/* Before an enrolment code is looked up. now is seconds on a monotonic clock. On a refusal *retry_after_s says
 * when to come back (at least 1). GUARD_OK reserves the attempt, so concurrent guesses cannot overshoot a
 * budget: every GUARD_OK must be followed by guard_enrol_end. */
guard_verdict guard_enrol_begin(guard *g, const guard_addr *a, int64_t now, unsigned *retry_after_s);
/* After the lookup: failed counts the attempt against the address and the budget; success gives it back. True
 * when this failure locked the address out (worth a line in the log). */
bool guard_enrol_end(guard *g, const guard_addr *a, bool failed, int64_t now);

#endif
