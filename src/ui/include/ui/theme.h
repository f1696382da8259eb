/* theme.h — the colours of the client, by purpose ("ink"), never by hue, so a theme is one table.
 * Four themes: cream (the default: warm paper, softer than white for long reading), white, dark, and high
 * contrast (yellow on black). Every pair of inks the screens draw text or controls with is held to 7:1 or
 * better by tests/unit/test_theme.c. */
#ifndef MS_UI_THEME_H
#define MS_UI_THEME_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef enum {
    INK_BG,        /* page background */
    INK_TEXT,      /* body text */
    INK_MUTED,     /* secondary text: captions, progress */
    INK_HEADING,   /* headings */
    INK_BAR_BG,    /* top and bottom bars */
    INK_BAR_TEXT,  /* text and button outlines on the bars */
    INK_BUTTON_BG, /* primary buttons */
    INK_BUTTON_TEXT,
    INK_CARD_BG, /* module cards, boxes, secondary buttons */
    INK_CARD_BORDER,
    INK_HELP_BG, /* the "Hjelp nå" button: always findable */
    INK_HELP_TEXT,
    INK_ALERT,   /* emergency numbers and the help title, on the page or a card */
    INK_DEMO_BG, /* the demonstration banner */
    INK_DEMO_TEXT,
    INK_CALLOUT_BG,
    INK_CALLOUT_EDGE,
    INK_SUMMARY_BG,
    INK_IMPORTANT_BG,
    INK_IMPORTANT_EDGE,
    INK_PROGRESS, /* filled part of a progress bar */
    INK_PROGRESS_BG,
    INK_TERM,      /* underline of glossary terms */
    INK_HIGHLIGHT, /* behind the word being read aloud; text and headings stay legible on it */
    INK_FOCUS_DIM, /* the line-focus ruler's veil over the lines outside it (alpha) */
    INK_COUNT
} theme_ink;

typedef struct {
    const char *name;        /* stored in settings; also the i18n key suffix (theme.<name>) */
    uint32_t ink[INK_COUNT]; /* 0xRRGGBBAA */
} theme;

static const theme THEME_CREAM = {
    "cream",
    {
        [INK_BG] = 0xFBF6ECFF,           [INK_TEXT] = 0x1F1D1AFF,           [INK_MUTED] = 0x4A4640FF,
        [INK_HEADING] = 0x13312EFF,      [INK_BAR_BG] = 0x0E4A45FF,         [INK_BAR_TEXT] = 0xFFFFFFFF,
        [INK_BUTTON_BG] = 0x0E4A45FF,    [INK_BUTTON_TEXT] = 0xFFFFFFFF,    [INK_CARD_BG] = 0xFFFFFFFF,
        [INK_CARD_BORDER] = 0x8A8171FF,  [INK_HELP_BG] = 0x9E1B1BFF,        [INK_HELP_TEXT] = 0xFFFFFFFF,
        [INK_ALERT] = 0x9E1B1BFF,        [INK_DEMO_BG] = 0xF3D9A4FF,        [INK_DEMO_TEXT] = 0x2B2113FF,
        [INK_CALLOUT_BG] = 0xE6F0EEFF,   [INK_CALLOUT_EDGE] = 0x0E4A45FF,   [INK_SUMMARY_BG] = 0xF1EAD8FF,
        [INK_IMPORTANT_BG] = 0xF8E3E0FF, [INK_IMPORTANT_EDGE] = 0x9E1B1BFF, [INK_PROGRESS] = 0x0E4A45FF,
        [INK_PROGRESS_BG] = 0xDCD3C2FF,  [INK_TERM] = 0x0E4A45FF,           [INK_HIGHLIGHT] = 0xFFDF70FF,
        [INK_FOCUS_DIM] = 0xFBF6ECC8,
    },
};

static const theme THEME_WHITE = {
    "white",
    {
        [INK_BG] = 0xFFFFFFFF,           [INK_TEXT] = 0x1A1A1AFF,           [INK_MUTED] = 0x474747FF,
        [INK_HEADING] = 0x0F3B37FF,      [INK_BAR_BG] = 0x0E4A45FF,         [INK_BAR_TEXT] = 0xFFFFFFFF,
        [INK_BUTTON_BG] = 0x0E4A45FF,    [INK_BUTTON_TEXT] = 0xFFFFFFFF,    [INK_CARD_BG] = 0xFFFFFFFF,
        [INK_CARD_BORDER] = 0x737373FF,  [INK_HELP_BG] = 0x9E1B1BFF,        [INK_HELP_TEXT] = 0xFFFFFFFF,
        [INK_ALERT] = 0x9E1B1BFF,        [INK_DEMO_BG] = 0xFBE6B5FF,        [INK_DEMO_TEXT] = 0x2B2113FF,
        [INK_CALLOUT_BG] = 0xE8F2F0FF,   [INK_CALLOUT_EDGE] = 0x0E4A45FF,   [INK_SUMMARY_BG] = 0xF2F2F2FF,
        [INK_IMPORTANT_BG] = 0xFBE9E7FF, [INK_IMPORTANT_EDGE] = 0x9E1B1BFF, [INK_PROGRESS] = 0x0E4A45FF,
        [INK_PROGRESS_BG] = 0xDDDDDDFF,  [INK_TERM] = 0x0E4A45FF,           [INK_HIGHLIGHT] = 0xFFE066FF,
        [INK_FOCUS_DIM] = 0xFFFFFFC8,
    },
};

/* Dark: warm off-white on near-black, never pure white on pure black (halation for astigmatic readers). */
static const theme THEME_DARK = {
    "dark",
    {
        [INK_BG] = 0x1A1A1AFF,           [INK_TEXT] = 0xECE6DAFF,           [INK_MUTED] = 0xC9C2B5FF,
        [INK_HEADING] = 0xBFE6DFFF,      [INK_BAR_BG] = 0x0B2E2BFF,         [INK_BAR_TEXT] = 0xFFFFFFFF,
        [INK_BUTTON_BG] = 0xBFE6DFFF,    [INK_BUTTON_TEXT] = 0x0B1F1DFF,    [INK_CARD_BG] = 0x262626FF,
        [INK_CARD_BORDER] = 0x9A9A9AFF,  [INK_HELP_BG] = 0x8E1414FF,        [INK_HELP_TEXT] = 0xFFFFFFFF,
        [INK_ALERT] = 0xFFB0A6FF,        [INK_DEMO_BG] = 0x4A3A12FF,        [INK_DEMO_TEXT] = 0xFFF1CCFF,
        [INK_CALLOUT_BG] = 0x1F3330FF,   [INK_CALLOUT_EDGE] = 0xBFE6DFFF,   [INK_SUMMARY_BG] = 0x2B2822FF,
        [INK_IMPORTANT_BG] = 0x3A1F1CFF, [INK_IMPORTANT_EDGE] = 0xFFB0A6FF, [INK_PROGRESS] = 0xBFE6DFFF,
        [INK_PROGRESS_BG] = 0x4A4A4AFF,  [INK_TERM] = 0xBFE6DFFF,           [INK_HIGHLIGHT] = 0x1F3A93FF,
        [INK_FOCUS_DIM] = 0x1A1A1AD0,
    },
};

/* High contrast: yellow on black, controls outlined, nothing in between. */
static const theme THEME_CONTRAST = {
    "contrast",
    {
        [INK_BG] = 0x000000FF,           [INK_TEXT] = 0xFFFF00FF,           [INK_MUTED] = 0xFFFFFFFF,
        [INK_HEADING] = 0xFFFF00FF,      [INK_BAR_BG] = 0x000000FF,         [INK_BAR_TEXT] = 0xFFFF00FF,
        [INK_BUTTON_BG] = 0xFFFF00FF,    [INK_BUTTON_TEXT] = 0x000000FF,    [INK_CARD_BG] = 0x000000FF,
        [INK_CARD_BORDER] = 0xFFFF00FF,  [INK_HELP_BG] = 0xFFFFFFFF,        [INK_HELP_TEXT] = 0x000000FF,
        [INK_ALERT] = 0xFFFFFFFF,        [INK_DEMO_BG] = 0x000000FF,        [INK_DEMO_TEXT] = 0xFFFFFFFF,
        [INK_CALLOUT_BG] = 0x000000FF,   [INK_CALLOUT_EDGE] = 0xFFFF00FF,   [INK_SUMMARY_BG] = 0x000000FF,
        [INK_IMPORTANT_BG] = 0x000000FF, [INK_IMPORTANT_EDGE] = 0xFFFFFFFF, [INK_PROGRESS] = 0xFFFF00FF,
        [INK_PROGRESS_BG] = 0x5C5C00FF,  [INK_TERM] = 0xFFFF00FF,           [INK_HIGHLIGHT] = 0x0000C8FF,
        [INK_FOCUS_DIM] = 0x000000D8,
    },
};

static const theme *const THEMES[] = {&THEME_CREAM, &THEME_WHITE, &THEME_DARK, &THEME_CONTRAST};
#define THEME_COUNT (sizeof THEMES / sizeof THEMES[0])

/* The theme called name, or cream. */
static inline const theme *theme_by_name(const char *name) {
    for (size_t i = 0; name && i < THEME_COUNT; i++)
        if (strcmp(THEMES[i]->name, name) == 0) return THEMES[i];
    return &THEME_CREAM;
}

#endif
