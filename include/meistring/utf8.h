/* utf8.h — the few UTF-8 operations every text path needs: validate, step, decode.
 * Offsets are byte offsets into caller-owned strings; nothing here allocates. */
#ifndef MEISTRING_UTF8_H
#define MEISTRING_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF). */
bool utf8_valid(const char *s, size_t len);

/* Decodes the code point at s[*i], advances *i past it. Invalid bytes decode as U+FFFD, one byte each. */
uint32_t utf8_next(const char *s, size_t len, size_t *i);

/* Byte offset of the start of the code point before offset i (0 when i is 0). */
size_t utf8_prev(const char *s, size_t i);

/* Number of code points in s[0..len). */
size_t utf8_count(const char *s, size_t len);

/* Encodes cp into out (at least 4 bytes); returns the number of bytes written. */
size_t utf8_encode(uint32_t cp, char *out);

/* Copies src (valid UTF-8, or NULL: "") into dst[cap], cut on a character boundary where it does not fit, never
 * in the middle of one (a cut character is no UTF-8, and D-Bus aborts a process that gives it a screen reader);
 * returns the bytes copied. cap 0 copies nothing. */
size_t utf8_copy(char *dst, size_t cap, const char *src);

/* White space for line breaking: ASCII space, tab, newline, NBSP excluded (it must not break). */
bool utf8_is_break_space(uint32_t cp);

#endif
