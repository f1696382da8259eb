/* utf8.c — UTF-8 helpers, see utf8.h. Strict decoding: a broken byte never swallows its neighbours. */
#include <string.h>

#include "meistring/utf8.h"

static size_t seq_len(unsigned char c) {
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) return 2;
    if (c >= 0xE0 && c <= 0xEF) return 3;
    if (c >= 0xF0 && c <= 0xF4) return 4;
    return 0;
}

/* Decodes one sequence at s[i]; returns its length or 0 if malformed. */
static size_t decode(const unsigned char *s, size_t len, size_t i, uint32_t *cp) {
    unsigned char c = s[i];
    size_t n = seq_len(c);
    if (n == 0 || i + n > len) return 0;
    if (n == 1) {
        *cp = c;
        return 1;
    }
    uint32_t v = c & (0x7Fu >> n);
    for (size_t k = 1; k < n; k++) {
        unsigned char d = s[i + k];
        if ((d & 0xC0) != 0x80) return 0;
        v = (v << 6) | (d & 0x3Fu);
    }
    if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF))) return 0;
    if (v >= 0xD800 && v <= 0xDFFF) return 0;
    *cp = v;
    return n;
}

bool utf8_valid(const char *s, size_t len) {
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = decode(u, len, i, &cp);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

uint32_t utf8_next(const char *s, size_t len, size_t *i) {
    uint32_t cp = 0xFFFD;
    size_t n = decode((const unsigned char *)s, len, *i, &cp);
    if (n == 0) {
        cp = 0xFFFD;
        n = 1;
    }
    *i += n;
    return cp;
}

size_t utf8_prev(const char *s, size_t i) {
    if (i == 0) return 0;
    size_t j = i - 1;
    /* at most three continuation bytes back */
    for (int k = 0; k < 3 && j > 0 && (((unsigned char)s[j]) & 0xC0) == 0x80; k++)
        j--;
    return j;
}

size_t utf8_copy(char *dst, size_t cap, const char *src) {
    if (cap == 0) return 0;
    size_t n = src ? strlen(src) : 0;
    if (n >= cap) {
        n = cap - 1;
        /* back to the start of the character the cut fell in, unless the cut is just after one */
        if (((unsigned char)src[n] & 0xC0) == 0x80) n = utf8_prev(src, n);
    }
    if (n) memcpy(dst, src, n);
    dst[n] = '\0';
    return n;
}

size_t utf8_count(const char *s, size_t len) {
    size_t i = 0, n = 0;
    while (i < len) {
        utf8_next(s, len, &i);
        n++;
    }
    return n;
}

size_t utf8_encode(uint32_t cp, char *out) {
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

bool utf8_is_break_space(uint32_t cp) {
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x2002 || cp == 0x2003 || cp == 0x2009;
}
