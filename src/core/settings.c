/* settings.c — reading settings with defaults and validation; see settings.h. */
#include "meistring/settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int steps[] = SETTINGS_TEXT_STEPS;
#define N_STEPS (int)(sizeof steps / sizeof steps[0])

/* Spacing steps; the last of each is WCAG 1.4.12's value (1.5 line height is the 150 default already; 2.0 is
 * offered above it). */
static const int line_steps[] = {120, 135, 150, 175, 200};
static const int para_steps[] = {90, 125, 150, 200};
static const int letter_steps[] = {0, 4, 8, 12};
static const int word_steps[] = {0, 8, 16};
static const struct {
    const int *v;
    int n;
    int dflt;
    const char *key;
} spacing[SPACING_COUNT] = {
    [SPACING_LINE] = {line_steps, 5, 150, "read.line_pct"},
    [SPACING_PARA] = {para_steps, 4, 90, "read.para_pct"},
    [SPACING_LETTER] = {letter_steps, 4, 0, "read.letter_pct"},
    [SPACING_WORD] = {word_steps, 3, 0, "read.word_pct"},
};

static int *spacing_field(settings *s, settings_spacing which) {
    switch (which) {
    case SPACING_LINE: return &s->line_pct;
    case SPACING_PARA: return &s->para_pct;
    case SPACING_LETTER: return &s->letter_pct;
    default: return &s->word_pct;
    }
}

int settings_spacing_get(const settings *s, settings_spacing which) { return *spacing_field((settings *)s, which); }

int settings_spacing_default(settings_spacing which) { return spacing[which].dflt; }

bool settings_spacing_set(settings *s, settings_spacing which, int value) {
    for (int i = 0; i < spacing[which].n; i++) {
        if (spacing[which].v[i] == value) {
            *spacing_field(s, which) = value;
            return true;
        }
    }
    return false;
}

int settings_spacing_step(const settings *s, settings_spacing which, int dir) {
    int v = settings_spacing_get(s, which), n = spacing[which].n;
    const int *st = spacing[which].v;
    int i = 0;
    while (i < n - 1 && st[i] < v)
        i++;
    if (dir > 0 && i < n - 1) return st[i + 1];
    if (dir < 0 && i > 0) return st[i - 1];
    return st[i];
}

static const char *const themes[] = {"cream", "white", "dark", "contrast"};
static const char *const fonts[] = {"sans", "serif", "dyslexic"};
static const char *const modes[] = {"paged", "scroll"};

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
    snprintf(s->mode, sizeof s->mode, "paged");
    s->wpm = SETTINGS_DEFAULT_WPM;
    s->speech_pct = 100;
    s->focus = 0;
    s->scan_ms = 0;
    for (int k = 0; k < SPACING_COUNT; k++)
        *spacing_field(s, (settings_spacing)k) = spacing[k].dflt;
}

bool settings_scan_valid(int ms) {
    static const int scan[] = SETTINGS_SCAN_STEPS;
    for (size_t i = 0; i < sizeof scan / sizeof scan[0]; i++)
        if (scan[i] == ms) return true;
    return false;
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
    if (store_get_setting(st, "read.mode", buf, sizeof buf))
        pick(buf, modes, sizeof modes / sizeof modes[0], s->mode, sizeof s->mode);
    if (store_get_setting(st, "read.focus", buf, sizeof buf)) {
        int v = atoi(buf);
        if (v == 0 || v == 1 || v == 3 || v == 5) s->focus = v;
    }
    if (store_get_setting(st, "access.scan_ms", buf, sizeof buf)) {
        int v = atoi(buf);
        if (settings_scan_valid(v)) s->scan_ms = v;
    }
    if (store_get_setting(st, "access.hear_tap", buf, sizeof buf)) s->hear_tap = strcmp(buf, "1") == 0 ? 1 : 0;
    if (store_get_setting(st, "read.speech_pct", buf, sizeof buf)) {
        int v = atoi(buf);
        if (settings_speech_step(v, 0) == v) s->speech_pct = v;
    }
    if (store_get_setting(st, "read.wpm", buf, sizeof buf)) {
        char *end;
        long v = strtol(buf, &end, 10);
        if (*end == '\0' && v >= 60 && v <= 400) s->wpm = (int)v;
    }
    for (int k = 0; k < SPACING_COUNT; k++) {
        if (store_get_setting(st, spacing[k].key, buf, sizeof buf)) {
            char *end;
            long v = strtol(buf, &end, 10);
            if (*end == '\0') settings_spacing_set(s, (settings_spacing)k, (int)v); /* invalid: default stays */
        }
    }
}

bool settings_save(const settings *s, store *st) {
    char buf[16];
    snprintf(buf, sizeof buf, "%d", s->text_pct);
    bool ok = store_set_setting(st, "read.text_pct", buf) && store_set_setting(st, "read.theme", s->theme) &&
              store_set_setting(st, "read.font", s->font) && store_set_setting(st, "read.mode", s->mode);
    snprintf(buf, sizeof buf, "%d", s->wpm);
    ok = ok && store_set_setting(st, "read.wpm", buf);
    snprintf(buf, sizeof buf, "%d", s->speech_pct);
    ok = ok && store_set_setting(st, "read.speech_pct", buf);
    snprintf(buf, sizeof buf, "%d", s->focus);
    ok = ok && store_set_setting(st, "read.focus", buf);
    snprintf(buf, sizeof buf, "%d", s->scan_ms);
    ok = ok && store_set_setting(st, "access.scan_ms", buf);
    ok = ok && store_set_setting(st, "access.hear_tap", s->hear_tap ? "1" : "0");
    for (int k = 0; ok && k < SPACING_COUNT; k++) {
        snprintf(buf, sizeof buf, "%d", settings_spacing_get(s, (settings_spacing)k));
        ok = store_set_setting(st, spacing[k].key, buf);
    }
    return ok;
}

int settings_text_step(int pct, int dir) {
    int i = 0;
    while (i < N_STEPS - 1 && steps[i] < pct)
        i++;
    if (dir > 0 && steps[i] <= pct && i < N_STEPS - 1) return steps[i + 1];
    if (dir < 0 && i > 0) return steps[i - 1];
    return steps[i];
}

static const int speech_steps[] = {50, 75, 100, 125, 150, 200};

int settings_speech_step(int pct, int dir) {
    int n = (int)(sizeof speech_steps / sizeof speech_steps[0]), i = 0;
    while (i < n - 1 && speech_steps[i] < pct)
        i++;
    if (dir > 0 && speech_steps[i] <= pct && i < n - 1) return speech_steps[i + 1];
    if (dir < 0 && i > 0) return speech_steps[i - 1];
    return speech_steps[i];
}

/* 160 words a minute at 1×: espeak-ng's default (175) is quick for anxious, tired listeners */
int settings_speech_rate(int pct) { return 160 * pct / 100; }

bool settings_learn_pace(settings *s, int words, double seconds) {
    /* a screen read in under 4 s was skimmed or skipped; over 10 min the tablet was put down */
    if (words < 15 || seconds < 4 || seconds > 600) return false;
    double wpm = words * 60.0 / seconds;
    if (wpm < 40 || wpm > 600) return false;
    /* a slow average: one distracted screen must not swing the estimate */
    double next = s->wpm * 0.8 + wpm * 0.2;
    if (next < 60) next = 60;
    if (next > 400) next = 400;
    s->wpm = (int)(next + 0.5);
    return true;
}

int settings_chrome_pct(const settings *s) { return s->text_pct < 200 ? s->text_pct : 200; }
