/* kiosk_config.h — the waiting-room kiosk's configuration file: its idle reset, the staff PIN (as an Argon2id
 * hash), the programme it shows, its language and the clinic it names. The format and every key are in
 * docs/kiosk-config.md; the caps and defaults are MS_KIOSK_* in config.h.
 *
 * The file is read strictly: an unknown or repeated key, a value out of range, a line that is not `key = value`,
 * a NUL byte, bytes that are not UTF-8, a line over MS_CONF_MAX_LINE bytes or a file over MS_CONF_MAX_BYTES
 * fail the whole file with one message in plain English naming the line (and the key, where there is one), and
 * the kiosk refuses to start rather than run unguarded. A file without pin_hash fails too.
 *
 * Format (UTF-8, an optional BOM, LF or CRLF line endings): one `key = value` a line, blanks around either side
 * ignored; a line whose first non-blank character is '#' is a comment, and blank lines are skipped. A '#' after
 * a value is part of the value, not a comment. The keys, each at most once:
 *
 *     idle_timeout   seconds without a touch before the reset: 20..3600, default 90
 *     warning        seconds of «are you still there?» before it: 5..120 and idle_timeout - 15 at most,
 *                    default 15 (or idle_timeout - 15 when that is less)
 *     pin_hash       the staff PIN as "$argon2id$v=19$m=65536,t=2,p=1$…": required (meistring --kiosk-hash-pin)
 *     programme      an absolute directory of content to show; default: the built-in demo
 *     language       nb, nn or en; default nb
 *     clinic_name    at most 80 bytes, no control characters; default: none
 *     clinic_phone   digits and spaces, '+' only first, at most 20; default: none
 *     read_aloud     yes or no; default yes
 *     screen_reader  yes or no: the screen-reader bridge (src/app/a11y.h) on; default no
 *
 * Ownership: a kcfg is the caller's storage (fixed arrays, nothing to free). Error messages go into the caller's
 * (err, cap), always NUL-terminated when cap > 0; err may be NULL when cap is 0. Nothing here touches SDL. */
#ifndef MEISTRING_KIOSK_CONFIG_H
#define MEISTRING_KIOSK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "meistring/config.h"

typedef struct kcfg {
    int idle_timeout_s;                               /* MS_KIOSK_IDLE_MIN_S..MS_KIOSK_IDLE_MAX_S */
    int warning_s;                                    /* MS_KIOSK_WARNING_MIN_S..MAX_S, below idle_timeout_s */
    char pin_hash[MS_KIOSK_PIN_HASH_MAX];             /* "$argon2id$…"; "" only in kcfg_defaults' result */
    char programme[MS_KIOSK_PROGRAMME_MAX + 1];       /* an absolute directory; "": the built-in demo */
    char language[3];                                 /* "nb", "nn" or "en" */
    char clinic_name[MS_KIOSK_CLINIC_NAME_MAX + 1];   /* "": none given */
    char clinic_phone[MS_KIOSK_CLINIC_PHONE_MAX + 1]; /* "": none given */
    bool read_aloud;
    bool screen_reader; /* the kiosk's screen-reader bridge: only where its configuration asks */
} kcfg;

/* Every setting at its default and no PIN hash (so kcfg_check_pin refuses every PIN). Zeroes the whole struct
 * first, so two kcfg read from the same text compare equal with memcmp. */
void kcfg_defaults(kcfg *cfg);

/* Reads the configuration in text[0..len) (NUL bytes in it are an error, not an end). True when every line is
 * valid and pin_hash is there; otherwise false, err says what and on which line ("line 7: warning: …"), and
 * *cfg is left at kcfg_defaults, so nothing half-read can be used by mistake. No hashing: checking the PIN hash's
 * form is cheap. */
bool kcfg_parse(const char *text, size_t len, kcfg *cfg, char *err, size_t cap);

/* kcfg_parse of the file at path; a file that cannot be read, is not a regular file or is over
 * MS_CONF_MAX_BYTES is an error too. Messages start with the path ("/etc/meistring/kiosk.conf: line 7: …"). */
bool kcfg_load(const char *path, kcfg *cfg, char *err, size_t cap);

/* Writes cfg as a configuration file that kcfg_parse reads back to the same kcfg: a comment on each key (what it
 * does, its range and default), then its value. Empty strings are written as comments, so an empty pin_hash
 * gives a sample file that refuses to start until one is filled in. False when writing failed. */
bool kcfg_write(FILE *out, const kcfg *cfg);

/* True when pin is MS_KIOSK_PIN_MIN_DIGITS..MS_KIOSK_PIN_MAX_DIGITS ASCII digits and nothing else. */
bool kcfg_pin_valid(const char *pin);

/* True when pin is valid and matches cfg->pin_hash. Costs one Argon2id (0.16 s on the build machine, 64 MiB),
 * so call it off the frame, and only after a PIN has been entered: limiting how often a visitor may try is the
 * caller's. */
bool kcfg_check_pin(const kcfg *cfg, const char *pin);

/* Hashes a valid pin into out (a "$argon2id$…" string for pin_hash) with libsodium's INTERACTIVE limits. False
 * when the pin is not valid, or libsodium failed (out of memory), with out set to "". */
bool kcfg_hash_pin(const char *pin, char out[MS_KIOSK_PIN_HASH_MAX]);

/* `meistring --kiosk-hash-pin`: reads a PIN twice from in, and when both are the same valid PIN prints
 * "pin_hash = $argon2id$…\n" to out. When in is a terminal it prompts on err and turns echo off while the PIN is
 * typed (restored on return and on SIGINT/SIGTERM/SIGHUP/SIGQUIT); otherwise it reads one PIN a line, two lines,
 * without prompts. The PINs are wiped from memory before it returns. Returns 0 when the line was printed, 1 with a
 * message on err otherwise (the PINs differ, are not 4–12 digits, input ended, writing failed). */
int kcfg_hash_pin_cli(FILE *in, FILE *out, FILE *err);

#endif
