/* theme.h — the colours of the client, by purpose ("ink"), never by hue, so a theme is one table.
 * Cream is the default: warm paper colour, softer than white for long reading, with text far above 7:1.
 * The reading-aids issue adds white, dark and high-contrast tables and a test of every pair's ratio. */
#ifndef MS_UI_THEME_H
#define MS_UI_THEME_H

#include <stdint.h>

typedef enum {
    INK_BG,      /* page background */
    INK_TEXT,    /* body text */
    INK_MUTED,   /* secondary text: captions, progress */
    INK_HEADING, /* headings */
    INK_BAR_BG,  /* top and bottom bars */
    INK_BAR_TEXT,
    INK_BUTTON_BG, /* primary buttons */
    INK_BUTTON_TEXT,
    INK_CARD_BG, /* module cards, boxes */
    INK_CARD_BORDER,
    INK_HELP_BG, /* the "Hjelp nå" button: always findable */
    INK_HELP_TEXT,
    INK_DEMO_BG, /* the demonstration banner */
    INK_DEMO_TEXT,
    INK_CALLOUT_BG,
    INK_CALLOUT_EDGE,
    INK_SUMMARY_BG,
    INK_IMPORTANT_BG,
    INK_IMPORTANT_EDGE,
    INK_PROGRESS, /* filled part of a progress bar */
    INK_PROGRESS_BG,
    INK_TERM, /* underline of glossary terms */
    INK_COUNT
} theme_ink;

typedef struct {
    const char *name;
    uint32_t ink[INK_COUNT]; /* 0xRRGGBBAA */
} theme;

static const theme THEME_CREAM = {
    "cream",
    {
        [INK_BG] = 0xFBF6ECFF,
        [INK_TEXT] = 0x1F1D1AFF,
        [INK_MUTED] = 0x4A4640FF,
        [INK_HEADING] = 0x13312EFF,
        [INK_BAR_BG] = 0x0E4A45FF,
        [INK_BAR_TEXT] = 0xFFFFFFFF,
        [INK_BUTTON_BG] = 0x0E4A45FF,
        [INK_BUTTON_TEXT] = 0xFFFFFFFF,
        [INK_CARD_BG] = 0xFFFFFFFF,
        [INK_CARD_BORDER] = 0x8A8171FF,
        [INK_HELP_BG] = 0x9E1B1BFF,
        [INK_HELP_TEXT] = 0xFFFFFFFF,
        [INK_DEMO_BG] = 0xF3D9A4FF,
        [INK_DEMO_TEXT] = 0x2B2113FF,
        [INK_CALLOUT_BG] = 0xE6F0EEFF,
        [INK_CALLOUT_EDGE] = 0x0E4A45FF,
        [INK_SUMMARY_BG] = 0xF1EAD8FF,
        [INK_IMPORTANT_BG] = 0xF8E3E0FF,
        [INK_IMPORTANT_EDGE] = 0x9E1B1BFF,
        [INK_PROGRESS] = 0x0E4A45FF,
        [INK_PROGRESS_BG] = 0xDCD3C2FF,
        [INK_TERM] = 0x0E4A45FF,
    },
};

#endif
