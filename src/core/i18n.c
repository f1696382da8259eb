/* i18n.c — loads `key = value` string files; see i18n.h. Lookups are a linear scan of sorted keys with
 * bsearch: a few hundred strings, looked up while building a frame, must stay cheap. */
#include "meistring/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meistring/config.h"
#include "meistring/utf8.h"

typedef struct {
    char *key;
    char *value;
} entry;

struct i18n {
    entry *e;
    size_t n;
    char *buf; /* owns every key and value */
};

static int cmp_entry(const void *a, const void *b) { return strcmp(((const entry *)a)->key, ((const entry *)b)->key); }

static char *trim(char *s) {
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        *--e = '\0';
    return s;
}

/* Unescapes \n and \\ in place. */
static void unescape(char *s) {
    char *w = s;
    for (char *r = s; *r; r++) {
        if (r[0] == '\\' && r[1] == 'n') {
            *w++ = '\n';
            r++;
        } else if (r[0] == '\\' && r[1] == '\\') {
            *w++ = '\\';
            r++;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
}

i18n *i18n_load(const char *path, char *err, size_t errcap) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errcap, "%s: cannot open", path);
        return NULL;
    }
    i18n *t = calloc(1, sizeof *t);
    char *buf = malloc(MS_I18N_MAX_BYTES + 1);
    if (!t || !buf) {
        fclose(f);
        free(t);
        free(buf);
        snprintf(err, errcap, "%s: out of memory", path);
        return NULL;
    }
    size_t len = fread(buf, 1, MS_I18N_MAX_BYTES + 1, f);
    fclose(f);
    if (len > MS_I18N_MAX_BYTES) {
        snprintf(err, errcap, "%s: larger than %u bytes", path, MS_I18N_MAX_BYTES);
        goto fail;
    }
    buf[len] = '\0';
    if (!utf8_valid(buf, len)) {
        snprintf(err, errcap, "%s: not valid UTF-8", path);
        goto fail;
    }
    t->buf = buf;
    t->e = calloc(MS_I18N_MAX_KEYS, sizeof *t->e);
    if (!t->e) {
        snprintf(err, errcap, "%s: out of memory", path);
        goto fail;
    }
    int lineno = 0;
    for (char *line = buf; line && *line;) {
        char *next = strchr(line, '\n');
        if (next) *next++ = '\0';
        lineno++;
        char *s = trim(line);
        if (*s && *s != '#') {
            char *eq = strchr(s, '=');
            if (!eq) {
                snprintf(err, errcap, "%s:%d: expected `key = value`", path, lineno);
                goto fail;
            }
            *eq = '\0';
            char *key = trim(s), *value = trim(eq + 1);
            if (!*key) {
                snprintf(err, errcap, "%s:%d: empty key", path, lineno);
                goto fail;
            }
            if (t->n == MS_I18N_MAX_KEYS) {
                snprintf(err, errcap, "%s:%d: more than %d keys", path, lineno, MS_I18N_MAX_KEYS);
                goto fail;
            }
            unescape(value);
            t->e[t->n].key = key;
            t->e[t->n].value = value;
            t->n++;
        }
        line = next;
    }
    qsort(t->e, t->n, sizeof *t->e, cmp_entry);
    for (size_t i = 1; i < t->n; i++) {
        if (strcmp(t->e[i - 1].key, t->e[i].key) == 0) {
            snprintf(err, errcap, "%s: key `%s` is defined twice", path, t->e[i].key);
            goto fail;
        }
    }
    return t;
fail:
    free(t->e);
    free(buf);
    free(t);
    return NULL;
}

void i18n_free(i18n *t) {
    if (!t) return;
    free(t->e);
    free(t->buf);
    free(t);
}

static const entry *find(const i18n *t, const char *key) {
    if (!t) return NULL;
    entry k = {.key = (char *)key};
    return bsearch(&k, t->e, t->n, sizeof *t->e, cmp_entry);
}

const char *i18n_get(const i18n *t, const char *key) {
    const entry *e = find(t, key);
    return e ? e->value : key;
}

int i18n_has(const i18n *t, const char *key) { return find(t, key) != NULL; }

void i18n_prefer(i18n *t, const char *suffix) {
    if (!t) return;
    size_t sl = strlen(suffix);
    char base[256];
    for (size_t i = 0; i < t->n; i++) {
        size_t kl = strlen(t->e[i].key);
        if (kl <= sl || kl - sl >= sizeof base || strcmp(t->e[i].key + kl - sl, suffix) != 0) continue;
        memcpy(base, t->e[i].key, kl - sl);
        base[kl - sl] = '\0';
        entry *b = (entry *)find(t, base); /* the table is ours; only the value changes, not the order */
        if (b) b->value = t->e[i].value;    /* both live in t->buf */
    }
}

size_t i18n_count(const i18n *t) { return t ? t->n : 0; }

const char *i18n_key_at(const i18n *t, size_t i) { return i < t->n ? t->e[i].key : NULL; }

/* Appends s[0..len) to buf at *w, stopping at a character boundary when full. */
static void append(char *buf, size_t cap, size_t *w, const char *s, size_t len) {
    if (*w + 1 >= cap) return;
    size_t room = cap - 1 - *w;
    if (len > room) {
        len = room;
        /* back off so a multi-byte character is never split */
        while (len > 0 && (((unsigned char)s[len]) & 0xC0) == 0x80)
            len--;
    }
    memcpy(buf + *w, s, len);
    *w += len;
}

char *i18n_format(char *buf, size_t cap, const char *tmpl, int nargs, const char *const *args) {
    if (cap == 0) return buf;
    size_t w = 0;
    for (const char *p = tmpl; *p;) {
        if (p[0] == '{' && p[1] >= '1' && p[1] <= '9' && p[2] == '}') {
            int k = p[1] - '1';
            const char *a = k < nargs && args[k] ? args[k] : "";
            append(buf, cap, &w, a, strlen(a));
            p += 3;
        } else {
            const char *q = p + 1;
            while (*q && *q != '{')
                q++;
            append(buf, cap, &w, p, (size_t)(q - p));
            p = q;
        }
    }
    buf[w] = '\0';
    return buf;
}
