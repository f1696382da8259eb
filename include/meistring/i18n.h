/* i18n.h — UI strings from per-language files (assets/i18n/nb.txt, nn.txt, en.txt).
 * File format: UTF-8, one `key = value` per line, `#` starts a comment line, `\n` in a value is a line break.
 * Placeholders are {1}, {2}, … and are filled by i18n_format(). */
#ifndef MEISTRING_I18N_H
#define MEISTRING_I18N_H

#include <stddef.h>

typedef struct i18n i18n;

/* Loads a strings file. NULL on failure, with a message (file, line, reason) in err. Free with i18n_free. */
i18n *i18n_load(const char *path, char *err, size_t errcap);
void i18n_free(i18n *t); /* NULL is a no-op */

/* The string for key. A missing key returns the key itself, so a gap shows instead of crashing. */
const char *i18n_get(const i18n *t, const char *key);
int i18n_has(const i18n *t, const char *key);
/* Every key that has a variant KEY<suffix> (".kiosk") in the file takes that variant's value from now on: a
 * kiosk's own words, chosen once at start, so i18n_get stays one lookup. Keys without a variant are untouched. */
void i18n_prefer(i18n *t, const char *suffix);

size_t i18n_count(const i18n *t);
const char *i18n_key_at(const i18n *t, size_t i);

/* Copies tmpl into buf, replacing {1}…{9} by args[0]…args[8]. Always NUL-terminates; never splits a
 * UTF-8 character when it truncates. Returns buf. */
char *i18n_format(char *buf, size_t cap, const char *tmpl, int nargs, const char *const *args);

#endif
