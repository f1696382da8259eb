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

/* Sync (src/core/sync.c): what a clinic's server may send, and how much of it. A server that sends more gets
 * SYNC_BAD_DATA and the cached programme stays as it is. */
#define MS_SYNC_MAX_JSON        (1024 * 1024)       /* a manifest, an enrolment answer, a page of changes */
#define MS_SYNC_MAX_JSON_DEPTH  16
#define MS_SYNC_MAX_BLOB        (8 * 1024 * 1024)   /* one file of the programme */
#define MS_SYNC_MAX_TOTAL       (64 * 1024 * 1024)  /* every file a manifest names, together: the disk budget */
#define MS_SYNC_MAX_ASSETS      64                  /* files per module besides its document */
#define MS_SYNC_MAX_PATH        200                 /* a file's path inside the programme */
#define MS_SYNC_MAX_MESSAGE     65536               /* a therapist's message, bytes */
#define MS_SYNC_CHANGES_PAGES   20                  /* per pass: the rest comes next pass */
#define MS_SYNC_OUTBOX_PER_PASS 50
/* Ids and cursors travel as JSON numbers (doubles): only integers up to 2^53 survive that exactly. */
#define MS_SYNC_MAX_ID 9007199254740992.0

/* Images in the programme (validator, renderer): checked from the file's header before anything decodes it. */
#define MS_IMAGE_MAX_BYTES  (2u * 1024u * 1024u)
#define MS_IMAGE_MAX_PIXELS (4096u * 4096u / 4u) /* 4 Mpx: 16 MB decoded, a screen and a half of a tablet */
/* SVG has no header that tells its cost: nanosvg parses every byte and fills (and strokes) every element over
 * its bounds, ~8 ns a pixel each time. So an SVG is bounded by its bytes, its elements and its numbers (path
 * points), read by a linear scan before parsing, and it is rasterised at no more than MS_IMAGE_MAX_SVG_WORK /
 * elements pixels. The worst SVG we could write within these took 0.4 s once (then cached) on the 2-core
 * build machine, where the review's kinds of SVG took 2–48 s; the demo's drawings stay sharp on a tablet.
 * Halving WORK halves that worst case and blurs drawings of 30 elements or more (bench/bench_freeze.c). */
#define MS_IMAGE_MAX_SVG_BYTES    (256u * 1024u)
#define MS_IMAGE_MAX_SVG_ELEMENTS 256                  /* the demo's drawings have 19–34 */
#define MS_IMAGE_MAX_SVG_NUMBERS  4096                 /* the demo's have under 500 */
#define MS_IMAGE_MAX_SVG_WORK     (16u * 1024u * 1024u) /* elements × pixels rasterised */
/* A progressive JPEG is decoded once per scan: encoders write about 10; thousands are an attack. */
#define MS_IMAGE_MAX_JPEG_SCANS 32

/* UI strings (src/core/i18n.c). */
#define MS_I18N_MAX_BYTES (256u * 1024u)
#define MS_I18N_MAX_KEYS  512

/* Text layout (src/text/layout.c). */
#define MS_LAYOUT_MAX_COLUMN_CHARS 65 /* line length cap, in average characters */
/* Hyphenation patterns are asked only about words of at most this many characters; a longer "word" (a URL,
 * a pasted string, an attack) is cut between characters instead, one line at a time, at O(N) measurements. */
#define MS_LAYOUT_HYPHEN_MAX_CHARS 64

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
