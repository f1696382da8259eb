/* conf.h — the strict `key = value` files an administrator writes for Meistring in /etc/meistring: the kiosk's
 * (kiosk_config.h) and the tablet's (client_config.h). One reader for both, so both refuse the same mistakes
 * with the same words; each file's keys, their checks and their defaults are its own module's (a conf_schema).
 *
 * Format (UTF-8, an optional BOM, LF or CRLF line endings): one `key = value` a line, blanks around either side
 * ignored; a line whose first non-blank character is '#' is a comment, and blank lines are skipped. A '#' after
 * a value is part of the value. Refused, each with one message in plain English naming the line (and the key,
 * where there is one): an unknown or repeated key, an empty value, a line that is not `key = value`, a NUL byte,
 * bytes that are not UTF-8 (or UTF-16), a control character in a value, a line over MS_CONF_MAX_LINE bytes, a
 * file over MS_CONF_MAX_BYTES, and whatever a key's setter or the schema's check refuses.
 *
 * Ownership: the configuration struct is the caller's (conf_parse writes it through the schema's setters);
 * messages go into the caller's (err, cap), always NUL-terminated when cap > 0. Nothing here touches SDL. */
#ifndef MEISTRING_CONF_H
#define MEISTRING_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "meistring/config.h"

#define CONF_SHOWN_MAX 40 /* bytes of a key or value quoted back in a message */
#define CONF_MAX_KEYS  16

/* Where a message goes and what it is about: "line 7: warning: …". */
typedef struct conf_ctx {
    char *err;
    size_t cap;
    int line;        /* 0: not about one line */
    const char *key; /* NULL: not about one key */
} conf_ctx;

/* Writes "line N: key: " and the message into c's buffer; returns false, so a setter can `return conf_fail(…)`. */
bool conf_fail(conf_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* s[0..n) to quote in a message: at most CONF_SHOWN_MAX bytes, cut on a character boundary (s is valid UTF-8),
 * each byte of a control character as '?', "…" when cut. Returns out. */
const char *conf_shown(const char *s, size_t n, char out[CONF_SHOWN_MAX + 4]);

typedef struct conf_key {
    const char *name;
    /* value: trimmed, non-empty, valid UTF-8, no control characters, NUL-terminated */
    bool (*set)(void *cfg, const char *value, conf_ctx *c);
    const char *doc; /* a sentence for a written sample (kcfg_write) */
} conf_key;

typedef struct conf_schema {
    const char *what; /* "a kiosk configuration": the file's name in the size message */
    const conf_key *keys;
    int n_keys; /* at most CONF_MAX_KEYS */
    void (*defaults)(void *cfg);
    /* what holds between keys, once every line is read; seen[k] is the line key k was on, 0 if absent. May be
     * NULL. It sets c->line and c->key itself when a message is about one. */
    bool (*check)(void *cfg, const int *seen, conf_ctx *c);
} conf_schema;

/* Reads text[0..len) (NUL bytes in it are an error, not an end) into cfg. True when every line is valid and the
 * schema's check holds; otherwise false, err says what and where, and cfg is left at the schema's defaults, so
 * nothing half-read can be used by mistake. */
bool conf_parse(const conf_schema *s, const char *text, size_t len, void *cfg, char *err, size_t cap);

/* conf_parse of the file at path; a file that cannot be read, is not a regular file or is over MS_CONF_MAX_BYTES
 * is an error too. Messages start with the path ("/etc/meistring/kiosk.conf: line 7: …"). */
bool conf_load(const conf_schema *s, const char *path, void *cfg, char *err, size_t cap);

#endif
