/* limits.h — every budget of the reference server in one place: request sizes, enrolment rate limits, code
 * lifetime, connections and threads. docs/sync-protocol.md («Limits of the reference server») says why each
 * number is what it is; change both together. */
#ifndef MS_SERVER_LIMITS_H
#define MS_SERVER_LIMITS_H

/* ---- request bodies and fields ---- */
#define SRV_MAX_BODY       (64 * 1024) /* a request body: a message or an answer; more is 413 */
#define SRV_MAX_MESSAGE    16384       /* bytes of a patient's message */
#define SRV_MAX_REPLY      16384       /* bytes of a therapist's reply (admin reply) */
#define SRV_MAX_WRITTEN_AT 64          /* bytes of a message's written_at */
#define SRV_MAX_JSON_DEPTH 16          /* nesting of a request body, checked before cJSON recurses into it */
#define SRV_CLIENT_ID_MIN  8           /* a client_id: [A-Za-z0-9_-], the tablet makes 32 hex characters */
#define SRV_CLIENT_ID_MAX  64
#define SRV_CHANGES_PAGE   100 /* items per page of the changes feed */
/* Ids and cursors travel as JSON numbers, which a client reads as doubles: only integers up to 2^53 are exact. */
#define SRV_MAX_ID 9007199254740992LL

/* ---- enrolment: guessing an 8-digit one-time code ---- */
#define SRV_CODE_DIGITS 8
/* One address: this many failed enrolments within the window locks it out for SRV_ENROL_ADDR_LOCKOUT_S. A
 * locked-out address is refused (429, Retry-After) before its code is looked at, even the right code. */
#define SRV_ENROL_ADDR_FAILS     10
#define SRV_ENROL_ADDR_WINDOW_S  (10 * 60)
#define SRV_ENROL_ADDR_LOCKOUT_S (15 * 60)
/* All addresses together (a guess spread over a botnet): a token bucket of this many failures, refilled at the
 * same number per window. When it is empty every enrolment waits (429) until a token comes back. */
#define SRV_ENROL_GLOBAL_FAILS    60
#define SRV_ENROL_GLOBAL_WINDOW_S (60 * 60)
/* The table of addresses with recent failures: SETS × WAYS entries, fixed memory (about 400 KiB). */
#define SRV_ENROL_ADDR_SETS 512
#define SRV_ENROL_ADDR_WAYS 8
/* A code expires this many days after it was made (admin --code-days N overrides it per code) ... */
#define SRV_CODE_DAYS     7
#define SRV_CODE_MAX_DAYS 90
/* ... or once this many failed enrolments (server-wide) have happened since it was made, whichever is first:
 * so no code is ever exposed to more than this many guesses, P(guessed) <= 5000 / 10^8 = 5e-5 per code. */
#define SRV_CODE_MAX_EXPOSURE 5000

/* ---- connections ---- */
#define SRV_THREADS                  4    /* MHD's internal epoll threads; the database is one lock anyway */
#define SRV_MAX_CONNECTIONS          2048 /* open at once, all addresses; more are closed at accept */
#define SRV_MAX_CONNECTIONS_PER_ADDR 32   /* open at once from one address (a clinic behind one NAT) */
#define SRV_IDLE_TIMEOUT_S           30   /* a connection silent this long is closed */
#define SRV_FD_SLACK                 64   /* descriptors besides connections: database, WAL, epoll, listen */
#define SRV_LOG_QUIET_S              10   /* the same log line again within this is counted, not printed */

#endif
