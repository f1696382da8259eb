/* config.h — every budget and cap of the client, named once.
 * Change a number here and every module that enforces it follows. The figures are chosen for a 1–2 GB
 * tablet and for content written by clinicians (see docs/content-format.md, which repeats them). */
#ifndef MEISTRING_CONFIG_H
#define MEISTRING_CONFIG_H

/* Content parsing (src/core/doc.c). */
#define MS_DOC_MAX_BYTES   (4u * 1024u * 1024u) /* one JSON document */
#define MS_DOC_MAX_DEPTH   64                   /* nesting, checked before cJSON sees the bytes */
#define MS_DOC_MAX_MODULES 32
#define MS_DOC_MAX_PAGES   64
#define MS_DOC_MAX_BLOCKS  1024 /* per page */
#define MS_DOC_MAX_ITEMS   256  /* list items, spans, fields, options, questionnaire items */
#define MS_DOC_MAX_COLUMNS 16   /* table columns */
#define MS_DOC_MAX_BANDS   32   /* questionnaire scoring bands */
#define MS_DOC_MAX_STRING  (64u * 1024u)
#define MS_DOC_MAX_ID      64

/* UI strings (src/core/i18n.c). */
#define MS_I18N_MAX_BYTES (256u * 1024u)
#define MS_I18N_MAX_KEYS  512

/* Text layout (src/text/layout.c). */
#define MS_LAYOUT_MAX_COLUMN_CHARS 65 /* line length cap, in average characters */

/* Rendering (src/ui). */
#define MS_TEXCACHE_MAX_ENTRIES 4096            /* rasterised words and labels kept as textures */
#define MS_TEXCACHE_MAX_PIXELS  (1024u * 1024u) /* 4 MB of ARGB: a tablet screen of words, twice over */
#define MS_LAYOUT_CACHE_PAGES   4               /* laid-out pages kept (current, neighbours, last) */

/* Paged reading (src/app/screens.c): screens one page may be cut into; past it the rest is one screen. */
#define MS_MAX_SCREENS 4096

/* Headless script runner (src/app/script.c). */
#define MS_SCRIPT_MAX_LINE 4096

/* Writing (src/app/writing.c): a message to the therapist, in bytes of UTF-8; the server accepts up to 16 KiB. */
#define MS_MESSAGE_MAX_BYTES 16000
/* One free-text answer of an exercise; a block's answers go to the server in one request of at most 64 KiB. */
#define MS_ANSWER_MAX_BYTES 4000

#endif
