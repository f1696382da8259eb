/* settings.h — the patient's reading settings: what the reading-aids screen («Lesehjelp») changes and every
 * screen obeys. Kept in the store as plain key/value rows; a missing or unreadable value falls back to its
 * default, so a damaged setting never stops the reader. */
#ifndef MEISTRING_SETTINGS_H
#define MEISTRING_SETTINGS_H

#include <stdbool.h>

#include "meistring/store.h"

typedef struct {
    int text_pct;   /* text size, % of the default: one of SETTINGS_TEXT_STEPS (100–400) */
    char theme[16]; /* "cream" (default), "white", "dark", "contrast" */
    char font[16];  /* reading font: "sans" (default, Noto Sans), "serif" (Noto Serif), "dyslexic" (OpenDyslexic) */
    /* Spacing, the WCAG 1.4.12 set, each in hundredths of the font size and each a step of its list below. */
    int line_pct;   /* distance between baselines: 120–200, default 150 */
    int para_pct;   /* space between paragraphs: 90–200, default 90 */
    int letter_pct; /* extra space between letters: 0–12, default 0 */
    int word_pct;   /* extra space between words: 0–16, default 0 */
    char mode[8];   /* "paged" (default: one screen at a time, big turn zones) or "scroll" */
    int wpm;        /* the patient's own reading pace, words a minute, learnt while reading (60–400) */
    int speech_pct; /* read-aloud speed, % of normal: 50, 75, 100 (default), 125, 150, 200 */
    int focus;      /* line-focus ruler: 0 (off, default), or the lines it leaves clear: 1, 3 or 5 */
    int scan_ms;    /* switch scanning: 0 (off, default), or ms the focus rests on each control: SETTINGS_SCAN_STEPS */
    int hear_tap;   /* 0 or 1: «Les opp det jeg trykker på»: a first tap (or the focus arriving) says a control, a second acts */
} settings;

/* Switch scanning's pace, ms per control, quickest first (after 0, off). A slow pace is the safe one: a person with
 * little movement needs time to press; 1.5 s is for those who scan every day. */
#define SETTINGS_SCAN_STEPS                                                                                            \
    { 0, 1500, 2500, 4000 }
bool settings_scan_valid(int ms);

#define SETTINGS_DEFAULT_WPM 150 /* slower than the adult average (~200): this client is for heavy reading */

typedef enum { SPACING_LINE, SPACING_PARA, SPACING_LETTER, SPACING_WORD, SPACING_COUNT } settings_spacing;

/* The text sizes offered, smallest first. Steps grow with size: a 25-point step is a big change at 100 % and
 * hardly visible at 400 %. */
#define SETTINGS_TEXT_STEPS                                                                                            \
    { 100, 125, 150, 175, 200, 250, 300, 350, 400 }

void settings_defaults(settings *s);
void settings_load(settings *s, store *st);
bool settings_save(const settings *s, store *st);

/* The next text size up (dir > 0) or down (dir < 0) from pct; pct itself at either end. */
int settings_text_step(int pct, int dir);

/* The value of one spacing setting, and the next step up (dir > 0) or down (dir < 0) from it. */
int settings_spacing_get(const settings *s, settings_spacing which);
int settings_spacing_step(const settings *s, settings_spacing which, int dir);
bool settings_spacing_set(settings *s, settings_spacing which, int value); /* false: not one of the steps */
int settings_spacing_default(settings_spacing which);

/* The next read-aloud speed up (dir > 0) or down (dir < 0); the words-a-minute rate for a speed. */
int settings_speech_step(int pct, int dir);
int settings_speech_rate(int pct);

/* Folds one observed pace (words read in seconds) into s->wpm; returns false (and changes nothing) when the
 * observation is not reading: too short, too long (the tablet was put down), or an impossible speed. */
bool settings_learn_pace(settings *s, int words, double seconds);

/* Interface text (bars, buttons) follows the text size up to 200 %; beyond that only the reading text grows,
 * so the controls stay on screen on a 320 dp wide phone (WCAG 1.4.4 asks 200 % of all text). */
int settings_chrome_pct(const settings *s);

#endif
