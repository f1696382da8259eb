/* settings.c — reading settings with defaults and validation; see settings.h. */
#include "meistring/settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int steps[] = SETTINGS_TEXT_STEPS;
#define N_STEPS (int)(sizeof steps / sizeof steps[0])

static const char *const themes[] = {"cream", "white", "dark", "contrast"};
static const char *const fonts[] = {"sans", "serif", "dyslexic"};

/* Copies value into out when it is one of the allowed names; otherwise out keeps its default. */
static void pick(const char *value, const char *const *allowed, size_t n, char *out, size_t cap) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(value, allowed[i]) == 0) snprintf(out, cap, "%s", allowed[i]);
}

void settings_defaults(settings *s) {
    memset(s, 0, sizeof *s);
    s->text_pct = 100;
    snprintf(s->theme, sizeof s->theme, "cream");
    snprintf(s->font, sizeof s->font, "sans");
}

static bool valid_step(int pct) {
    for (int i = 0; i < N_STEPS; i++)
        if (steps[i] == pct) return true;
    return false;
}

void settings_load(settings *s, store *st) {
    settings_defaults(s);
    char buf[32];
    if (store_get_setting(st, "read.text_pct", buf, sizeof buf)) {
        char *end;
        long v = strtol(buf, &end, 10);
        if (*end == '\0' && valid_step((int)v)) s->text_pct = (int)v;
    }
    if (store_get_setting(st, "read.theme", buf, sizeof buf))
        pick(buf, themes, sizeof themes / sizeof themes[0], s->theme, sizeof s->theme);
    if (store_get_setting(st, "read.font", buf, sizeof buf))
        pick(buf, fonts, sizeof fonts / sizeof fonts[0], s->font, sizeof s->font);
}

bool settings_save(const settings *s, store *st) {
    char buf[16];
    snprintf(buf, sizeof buf, "%d", s->text_pct);
    return store_set_setting(st, "read.text_pct", buf) && store_set_setting(st, "read.theme", s->theme) &&
           store_set_setting(st, "read.font", s->font);
}

int settings_text_step(int pct, int dir) {
    int i = 0;
    while (i < N_STEPS - 1 && steps[i] < pct)
        i++;
    if (dir > 0 && steps[i] <= pct && i < N_STEPS - 1) return steps[i + 1];
    if (dir < 0 && i > 0) return steps[i - 1];
    return steps[i];
}

int settings_chrome_pct(const settings *s) { return s->text_pct < 200 ? s->text_pct : 200; }
