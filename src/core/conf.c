/* conf.c — the strict `key = value` reader of the files in /etc/meistring; see conf.h. The kiosk's and the
 * tablet's files are read here, each through its own schema (kiosk_config.c, client_config.c). */
#include "meistring/conf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "meistring/utf8.h"

bool conf_fail(conf_ctx *c, const char *fmt, ...) {
    if (!c->cap) return false;
    int n = 0;
    if (c->line) n = snprintf(c->err, c->cap, "line %d: ", c->line);
    if (c->key && n >= 0 && (size_t)n < c->cap) n += snprintf(c->err + n, c->cap - (size_t)n, "%s: ", c->key);
    if (n >= 0 && (size_t)n < c->cap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err + n, c->cap - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return false;
}

/* A C0 control, DEL, or a C1 control (U+0080..U+009F, UTF-8 C2 80..C2 9F) at s[i]: its length, else 0. */
static size_t control_at(const char *s, size_t n, size_t i) {
    unsigned char b = (unsigned char)s[i];
    if (b < 0x20 || b == 0x7F) return 1;
    return b == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] < 0xA0 ? 2 : 0;
}

const char *conf_shown(const char *s, size_t n, char out[CONF_SHOWN_MAX + 4]) {
    size_t keep = n;
    if (keep > CONF_SHOWN_MAX) keep = utf8_prev(s, CONF_SHOWN_MAX + 1);
    for (size_t i = 0, ctl; i < keep; i += ctl ? ctl : 1) {
        ctl = control_at(s, keep, i);
        if (ctl)
            memset(out + i, '?', ctl);
        else
            out[i] = s[i];
    }
    if (keep < n) {
        memcpy(out + keep, "\xE2\x80\xA6", 3);
        keep += 3;
    }
    out[keep] = '\0';
    return out;
}

static bool is_blank(char ch) { return ch == ' ' || ch == '\t'; }

/* s[0..*n) without blanks on either side. */
static const char *trim(const char *s, size_t *n) {
    while (*n && is_blank(*s))
        s++, (*n)--;
    while (*n && is_blank(s[*n - 1]))
        (*n)--;
    return s;
}

static bool has_control(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (control_at(s, n, i)) return true;
    return false;
}

/* One line s[0..n), its line ending removed. seen[k] is the line key k was on, 0 when not yet. */
static bool parse_line(const conf_schema *sc, void *cfg, const char *s, size_t n, int *seen, conf_ctx *c) {
    char q[CONF_SHOWN_MAX + 4];
    if (n > MS_CONF_MAX_LINE) return conf_fail(c, "%zu bytes long; a line may have at most %d", n, MS_CONF_MAX_LINE);
    const char *nul = memchr(s, '\0', n);
    if (nul) return conf_fail(c, "a NUL byte at column %zu: this is not a text file", (size_t)(nul - s) + 1);
    if (!utf8_valid(s, n)) return conf_fail(c, "not valid UTF-8: save the file as UTF-8");
    s = trim(s, &n);
    if (n == 0 || s[0] == '#') return true;
    const char *eq = memchr(s, '=', n);
    if (!eq) return conf_fail(c, "\"%s\" has no '=': each setting is a line `key = value`", conf_shown(s, n, q));
    size_t kn = (size_t)(eq - s), vn = n - kn - 1;
    const char *k = trim(s, &kn), *v = trim(eq + 1, &vn);
    if (kn == 0) return conf_fail(c, "no key before '='");
    int key = 0;
    while (key < sc->n_keys && (strlen(sc->keys[key].name) != kn || memcmp(sc->keys[key].name, k, kn) != 0))
        key++;
    if (key == sc->n_keys) {
        char known[200] = "";
        for (int i = 0; i < sc->n_keys; i++)
            snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", i ? ", " : "", sc->keys[i].name);
        return conf_fail(c, "unknown key \"%s\"; the keys are %s", conf_shown(k, kn, q), known);
    }
    c->key = sc->keys[key].name;
    if (seen[key]) return conf_fail(c, "given twice (first on line %d)", seen[key]);
    seen[key] = c->line;
    if (vn == 0) return conf_fail(c, "no value after '='; leave the line out for the default");
    if (has_control(v, vn)) return conf_fail(c, "a control character (a tab?) in the value");
    char value[MS_CONF_MAX_LINE + 1];
    memcpy(value, v, vn);
    value[vn] = '\0';
    return sc->keys[key].set(cfg, value, c);
}

bool conf_parse(const conf_schema *sc, const char *text, size_t len, void *cfg, char *err, size_t cap) {
    conf_ctx c = {.err = err, .cap = cap};
    int seen[CONF_MAX_KEYS] = {0};
    const unsigned char *u = (const unsigned char *)text;
    sc->defaults(cfg);
    if (cap) err[0] = '\0';
    if (sc->n_keys > CONF_MAX_KEYS) return conf_fail(&c, "the reader takes at most %d keys", CONF_MAX_KEYS);
    if (len > MS_CONF_MAX_BYTES)
        return conf_fail(&c, "the file is %zu bytes; %s may have at most %u", len, sc->what, MS_CONF_MAX_BYTES);
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        c.line = 1;
        return conf_fail(&c, "the file is UTF-16: save it as UTF-8");
    }
    size_t pos = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    for (c.line = 1; pos < len; c.line++) {
        const char *s = text + pos, *nl = memchr(s, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - s) : len - pos;
        pos += n + (nl != NULL);
        if (n && s[n - 1] == '\r') n--;
        c.key = NULL;
        if (!parse_line(sc, cfg, s, n, seen, &c)) goto fail;
    }
    c.line = 0;
    c.key = NULL;
    if (!sc->check || sc->check(cfg, seen, &c)) return true;
fail:
    sc->defaults(cfg);
    return false;
}

bool conf_load(const conf_schema *sc, const char *path, void *cfg, char *err, size_t cap) {
    char why[512];
    conf_ctx c = {.err = why, .cap = sizeof why};
    char *buf = NULL;
    size_t got = 0;
    sc->defaults(cfg);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        conf_fail(&c, "cannot read it: %s", strerror(errno));
        goto fail;
    }
    if (!S_ISREG(st.st_mode)) {
        conf_fail(&c, "not a regular file");
        goto fail;
    }
    buf = malloc(MS_CONF_MAX_BYTES + 1);
    if (!buf) {
        conf_fail(&c, "out of memory");
        goto fail;
    }
    while (got <= MS_CONF_MAX_BYTES) { /* one byte more than allowed tells a file too large */
        ssize_t r = read(fd, buf + got, MS_CONF_MAX_BYTES + 1 - got);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            conf_fail(&c, "cannot read it: %s", strerror(errno));
            goto fail;
        }
        if (r == 0) break;
        got += (size_t)r;
    }
    if (!conf_parse(sc, buf, got, cfg, why, sizeof why)) goto fail;
    free(buf);
    close(fd);
    if (cap) err[0] = '\0';
    return true;
fail:
    if (cap) snprintf(err, cap, "%s: %s", path, why);
    free(buf);
    if (fd >= 0) close(fd);
    return false;
}
