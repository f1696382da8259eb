/* config.h — every budget and cap of the client and of the reference server, named once.
 * Change a number here and every module that enforces it follows. The figures are chosen for a 1–2 GB
 * tablet and for content written by clinicians (docs/content-format.md, docs/sync-protocol.md and
 * docs/security.md repeat them). Where the tablet and the server bound the same thing, one name serves both. */
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
/* Ranges inside a block, checked by the schema: wide enough for any form a clinician writes, narrow enough that
 * sums of scores and sizes of forms cannot overflow an int or fill a screen with empty rows. */
#define MS_DOC_MAX_FIELD_LINES   20  /* a text field's "lines" */
#define MS_DOC_MAX_SCALE_STEPS   100 /* a scale's max - min; its ends lie within ±MS_DOC_MAX_SCALE_END */
#define MS_DOC_MAX_SCALE_END     100
#define MS_DOC_MAX_TABLE_ROWS    50      /* a table field's "rows" shown at first */
#define MS_DOC_MAX_COLUMN_VALUE  1000000 /* a number column's min/max, ± */
#define MS_DOC_MAX_OPTION_SCORE  1000    /* a questionnaire option's score, ±: 256 items × 1000 fits an int */
#define MS_DOC_MAX_BAND_VALUE    100000  /* a scoring band's min/max, ± */
#define MS_DOC_MAX_MODULE_NUMBER 99      /* a module's "number", from 1: two digits */

/* Sync (src/core/sync.c): what a clinic's server may send, and how much of it. A server that sends more gets
 * SYNC_BAD_DATA and the cached programme stays as it is. */
#define MS_SYNC_MAX_JSON        (1024 * 1024) /* a manifest, an enrolment answer, a page of changes */
#define MS_SYNC_MAX_JSON_DEPTH  16
#define MS_SYNC_MAX_BLOB        (8 * 1024 * 1024)  /* one file of the programme */
#define MS_SYNC_MAX_TOTAL       (64 * 1024 * 1024) /* every file a manifest names, together: the disk budget */
#define MS_SYNC_MAX_ASSETS      64                 /* files per module besides its document */
#define MS_SYNC_MAX_PATH        200                /* a file's path inside the programme */
#define MS_SYNC_MAX_MESSAGE     65536              /* a therapist's message, bytes */
#define MS_SYNC_CHANGES_PAGES   20                 /* per pass: the rest comes next pass */
#define MS_SYNC_OUTBOX_PER_PASS 50
/* Ids and cursors are bounded by MS_JSON_MAX_ID (below, shared with the server). */
/* Strings in the server's answers: each a little above what the reference server sends. */
#define MS_SYNC_MAX_TOKEN 128 /* the device token: the server makes 64 hex characters */
#define MS_SYNC_MAX_NAME  256 /* the patient's name and the clinic's name, phone and opening hours */
#define MS_SYNC_MAX_TYPE  32  /* a changes item's "type" ("message", "read", "unlock") */
/* The manifest's module list. Not MS_DOC_MAX_MODULES: the manifest may name modules the programme does not
 * list (they are ignored), so this only bounds the work of reading it; kept at its old value. */
#define MS_SYNC_MAX_MODULES 64
#define MS_SYNC_MAX_ACK     4096 /* the answer to one PUT of the outbox: the server sends a few bytes */
/* Timing. A request taking longer than the timeout (sync_config.timeout_ms overrides it) is given up; a blob cut
 * short resumes with Range on the next pass. Connecting gets at most the shorter connect timeout, so a dead
 * server is noticed fast. The poll slice is how long a transfer waits for the network before it looks at
 * sync_wake again: the longest an app that is closing waits for the sync thread. */
#define MS_SYNC_TIMEOUT_MS         20000
#define MS_SYNC_CONNECT_TIMEOUT_MS 10000
#define MS_SYNC_POLL_MS            1000
#define MS_SYNC_PERIOD_S           300 /* between passes when all is well */
/* A pass that brings nothing writes nothing (issue 14), so the time of the last sync («sist oppdatert kl. …»,
 * shown after a restart) is stored only with a pass that wrote anyway, when the app stops, or once this many
 * seconds have passed since it was last stored: a kill or a flat battery shows it at most this much too old. */
#define MS_SYNC_LAST_SYNCED_SAVE_S 3600
/* While no connection can be made at all (rep->unreachable), look again this often plus up to 4 s of jitter
 * rather than backing off to minutes: the server saw nothing, so a refused connect costs it nothing, and a
 * patient whose Wi-Fi or clinic server comes back sees new replies within seconds. Server errors (5xx, 429, a
 * dropped body) keep the full backoff, which protects a struggling server. */
#define MS_SYNC_PROBE_S       15
#define MS_SYNC_BACKOFF_MAX_S 900 /* 2^n s after n failed passes, up to 15 min: a struggling server recovers */
#define MS_SYNC_RETRY_AFTER_S 30  /* a 429 without a usable Retry-After */

/* Local store (src/core/store.c): how long a write waits for another connection's lock (the sync thread and
 * the UI share the file) before it fails and is said plainly. */
#define MS_STORE_BUSY_TIMEOUT_MS 2000

/* Identifiers and fields shared by the tablet and the reference server (src/core/sync.c, src/server): one
 * value each, so the tablet never writes what the server refuses, nor refuses what the server sends. */
/* Ids and cursors as JSON numbers: integers up to 2^53 survive a double exactly (the server checks it as an
 * integer, the tablet as a double: the same number). */
#define MS_JSON_MAX_ID          9007199254740992LL
#define MS_CLIENT_ID_MIN        8  /* a message's client_id: [A-Za-z0-9_-]; the tablet makes 32 hex characters */
#define MS_CLIENT_ID_MAX        64 /* the server takes fewer than this; the tablet reads read receipts up to this */
#define MS_WRITTEN_AT_MAX_BYTES 64 /* a message's written_at: an ISO 8601 time is 20 */

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
#define MS_IMAGE_MAX_SVG_ELEMENTS 256                   /* the demo's drawings have 19–34 */
#define MS_IMAGE_MAX_SVG_NUMBERS  4096                  /* the demo's have under 500 */
#define MS_IMAGE_MAX_SVG_WORK     (16u * 1024u * 1024u) /* elements × pixels rasterised */
/* nanosvg computes in float and turns results into int without a range check (its upstream issues #292, #294): a
 * number like 3e21, or an arc of radius 1e2857, is undefined behaviour in its parser or its rasteriser. So a number
 * in an SVG stays under 10^MS_IMAGE_MAX_SVG_DIGITS (a drawing's are under 10^4), which keeps every product the parser
 * forms finite, and every point of the parsed drawing (strokes and their mitres too) lies within
 * MS_IMAGE_MAX_SVG_REACH pixels of its frame once scaled, which keeps the rasteriser's 22.10 fixed point in range. */
#define MS_IMAGE_MAX_SVG_DIGITS 7
#define MS_IMAGE_MAX_SVG_REACH  65536.0
/* A dashed stroke is drawn dash by dash: «stroke-dasharray: 0.00001» on a long path took 178 s to draw. The dashes
 * of all the drawing's strokes, counted from its paths' lengths before drawing, are at most this (the demo's have
 * under 200). */
#define MS_IMAGE_MAX_SVG_DASHES 20000
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
/* At most this many code points join one character: UAX #15's stream-safe limit of 30 non-starters, so a run
 * of thousands of combining marks still breaks somewhere and costs no more than any other text. */
#define MS_LAYOUT_MAX_CLUSTER 31
/* A glossary term in the focus order is named by its block and which term of the block it is (pl_term_get): at most
 * this many terms to a block. */
#define MS_LAYOUT_TERMS_PER_BLOCK 256
#define MS_LAYOUT_MAX_PIECES  32 /* style changes inside one word ("viktig" + "."); more end the word */
/* Pieces longer than this many bytes are not measured whole when read: they are fitted from the front like a
 * cut word, which measures no more than one line of them at a time. */
#define MS_LAYOUT_MEASURE_WHOLE_MAX 256
/* A cut the hyphenation patterns do not offer keeps HYPH_RIGHT_MIN letters on both sides; the letters are
 * looked for this many code points around it at most (a string of punctuation has none and is cut anyway). */
#define MS_LAYOUT_RULE_LOOK 64
/* A text with a word that fits nowhere, even hyphenated (a long compound in a narrow box at 400 %), is set a
 * little smaller, in steps of this % of its size, down to this % at least, before a word is cut between
 * letters or runs over its box: the patient still gets nearly the size they chose, and whole syllables. */
#define MS_LAYOUT_SHRINK_STEP_PCT 5
#define MS_LAYOUT_SHRINK_MIN_PCT  70
/* A page's heading (and a button on the page) is set smaller (by the steps above) while it is taller than this share
 * of the window, or than one screen of paged reading where that is less (the reader works it out: app's
 * page_room): at 400 % on a phone or a landscape tablet a three-line heading was taller than a screen and was cut
 * over a turn. The share alone was not enough: at 200–400 % on a phone the bars and the banner leave a screen of
 * 269–383 px of 640 (42–60 %; the least on a module's last page, whose bar makes room for «Ferdig»), and with the
 * widest spacing headings of 288 and 384 px were cut. */
#define MS_LAYOUT_HEADING_MAX_PCT 45
/* ... and a page's button still taller than that at 70 %, or still cut inside a word, goes on down to this % of the
 * body text's size (then to the body text at 100 %, pl_params' last_heading_px). A heading goes under the body text
 * it heads only where it cannot be set at the body's size at all (issue 13: at 200–400 % with the widest spacing
 * headings came out at 60–90 % of the body, read as captions). At the body's size one taller than the window's share
 * keeps that size, the screen to itself; one taller than a screen of paged reading takes the close line spacing
 * below; only one still taller than a screen (at 400 % on a 360 dp phone the body is 80 px and six letters to a
 * line: «Et alarmsystem som skal beskytte deg» is six lines), or cut inside a word, goes on down to this % and then
 * to last_heading_px rather than be cut over a turn, where it reads as two headings. check-layout lets such a
 * heading through and no other smaller than its body. */
#define MS_LAYOUT_HEADING_MIN_BODY_PCT 60
/* The line spacing (% of the size) of a heading that is taller than a screen of paged reading at the body's size
 * with the patient's spacing (the widest doubles every line): a heading's lines, set close, read as one. */
#define MS_LAYOUT_HEADING_TIGHT_LINE_PCT 120
/* A column narrower than this many ems of reading text is narrow (a phone at 300–400 %): boxes keep half their
 * padding and list markers only their own width and a quarter em, so long words keep room on the line. */
#define MS_LAYOUT_NARROW_EMS 8

/* Hyphenation (src/text/hyphen.c): words longer than this many characters (URLs, garbage) are not hyphenated;
 * it sizes the lookup's stack buffers. At least MS_LAYOUT_HYPHEN_MAX_CHARS, so layout's words always qualify. */
#define MS_HYPH_MAX_WORD_CHARS 128
/* One language's patterns, loaded (the first word at 400 % that fits no line): at most this much more memory at the
 * peak of the load, in kB. libhyphen's tables for hyph_nb_NO are 2.3 MB; its loader's own peak is 6.3 MB, so the
 * build packs the tables once and the client reads them whole (hyphen.h). */
#define MS_HYPH_MAX_LOAD_KB 3072

/* Editing (src/text/edit.c): undo steps kept; a step is a run of typing or deleting, so 16 undo a lot. */
#define MS_EDIT_UNDO_STEPS 16

/* Rendering (src/ui). */
#define MS_TEXCACHE_MAX_ENTRIES 4096 /* rasterised words and labels kept for reuse */
/* A screen of words and more: 4 MB of ARGB textures on a GL renderer (src/ui/texcache.h), and on the software
 * renderer 384 KB of coverage (any ink, the rows with ink only, runs of blank pixels skipped: ~1,950 px a word at
 * 100 % on 800 × 1280 in ~970 bytes, so the ~370 words a screen of the longest page draws and more, as 704 KB of
 * one byte a pixel held; at 400 % a third of a byte a pixel). 352 KB held fewer than 704 KB did and the bench's
 * turns back and forth missed 565 words, not 432; 384 KB misses 432 again, and 1,513 reading the longest page
 * (1,527 before). */
#define MS_TEXCACHE_MAX_PIXELS (1024u * 1024u)
#define MS_TEXCACHE_MAX_COVERAGE_BYTES (384u * 1024u)
/* A word's coverage is coded in a scratch kept between words up to this size (a word at 400 % needs ~30 KB; a
 * larger text's is freed after it). */
#define MS_REN_SCRATCH_KEEP (64u * 1024u)
#define MS_LAYOUT_CACHE_PAGES   4               /* laid-out pages kept (current, neighbours, last) */
#define MS_REN_MAX_FONTS        32 /* (family, face, size) in use, with their metrics; each file is open once */
/* Font files are read, never mapped (src/ui/fontfile.h): a mapping kept every 64 KB window the kernel maps around
 * a touched page, ~860 KB for three faces at the peak of reading the longest page. FreeType reads a glyph's
 * advance 2 bytes at a time and its outline in one read; these blocks, shared by all files, hold the hot ones
 * (hmtx, the Latin outlines at the start of glyf): 8 × 4 KB take reading the longest page at 100 % from ~11,800
 * system calls (plain reads) to ~230, ~260 at 400 % (16 blocks: ~140; the saving, 4 KB a block, is the point). */
#define MS_FONTFILE_BLOCK     4096u
#define MS_FONTFILE_BLOCKS    8
#define MS_FONTFILE_MAX_FILES 12 /* 3 families × 4 faces */
#define MS_REN_MAX_IMAGES       8  /* decoded images kept as textures, the least recently drawn replaced first */
#define MS_REN_MAX_PROBES       32 /* verdicts on image files (image.h), so a refused image costs a stat per frame */
/* Shaped widths of words, keyed by text and face (src/ui/render.c): a table that grows with the page's distinct
 * words, 16 bytes a slot (under 3/4 full) and the word's bytes, up to this many words (a power of two): 2 MB and
 * ~0.5 MB of words at the cap, which a 64,000-word page of all-new words reaches; the longest demo page needs
 * 1,024 slots (16 KB). Past the cap the table is emptied and fills again. Words longer than MS_REN_WORD_MAX bytes
 * are shaped each time. */
#define MS_REN_WORD_CAP 65536
#define MS_REN_WORD_MAX   40

/* Paged reading (src/app/screens/reader.c): screens one page may be cut into; past it the rest is one screen. */
#define MS_MAX_SCREENS 4096
/* The reader's bars keep their type to this interface size (per cent) however large the text: at 400 % (bars at
 * 200 %) they took 45 % of a landscape tablet and left two lines. They shrink, never vanish; at 400 % the page
 * keeps 64–76 % of the height on a phone and a tablet either way round (125: the cap a phone's bars had already). */
#define MS_READER_BAR_PCT_MAX 125
/* A window shorter than this (dp) is short of height, a phone on its side: the bars keep their 48 dp targets but
 * lose their padding, the reader's buttons are arrows with the status on one slim line between them, and the
 * demonstration banner takes one line, so 400 % text keeps two lines a screen (it had one, in 130 px of 360). */
#define MS_SHORT_WINDOW_DP 480
/* There, the slim lines between the reader's arrows (where you are, the time left, the demonstration's line) follow
 * the patient's text size up to this % (34 px at 200 %), as large as the window allows while the page keeps two
 * whole lines of its text: at 17 px, whatever the size, a patient who chose 300–400 % could not read them. */
#define MS_READER_SLIM_PCT_MAX 200
/* A glossary explanation over the page keeps at least this room (dp) above and below its lines where its usual 16 dp
 * would leave a whole line of it out (640x360 at 400 % with a message under the top bar: one line a box, then two). */
#define MS_TERM_VPAD_MIN_DP 6

/* Navigation (src/app/nav.c): screens open on top of each other (home, module, page, aids, help over them); the
 * deepest path is six. A push past the cap replaces the top rather than fail. */
#define MS_NAV_DEPTH 16
/* While read-aloud plays, the loop wakes this often to move the lit word (espeak reports about four words a
 * second); otherwise an idle client sleeps until an event. */
#define MS_SPEECH_TICK_MS 40

/* The thread with the therapist (src/app/screens/messages.c) is read this many messages at a time: the newest when
 * it opens, then as many older ones each time the patient scrolls up to within a screen of the first one read. At
 * 100 % a stretch is about five screens of a tablet; reading and measuring one takes a few ms however long the
 * thread is (10,000 messages took 40 ms to read whole and 44 ms a frame to lay out whole: issue 14). */
#define MS_MESSAGES_STRETCH 50
/* «Les høyt» on the thread reads it from its heading (how the therapist answers, where help is) when it holds at
 * most this many messages; a longer one from what shows, its newest, which is what the patient came for */
#define MS_READ_THREAD_FROM_TOP 3
/* Read-aloud on a screen longer than the window: the parts (a window's worth each) remembered so «Hopp tilbake» can
 * go back into the part before; past this many the oldest is forgotten. */
#define MS_READ_PARTS_MAX 64

/* A bar's title shortened with «…» and tapped: said whole in the message line this long (it is a confirmation, it
 * moves the content down rather than cover it, and a tap elsewhere puts it away sooner). */
#define MS_TOAST_TITLE_MS 8000

/* A confirmation in the message line takes at most this share of the window's height (bar and banner not counted
 * in it): a longer one is one line, shortened with «…», its whole text a tap away and said whole by read-aloud. At
 * 640x360 and 400 % «Meldingen er lagret …» filled the whole room under the bars, and the message just sent (the
 * sum just sent) was out of sight while it showed (issue 13). An error keeps its lines: it stays until it is read
 * and closed. */
#define MS_TOAST_MAX_PCT 20

/* Headless script runner (src/app/script.c). */
#define MS_SCRIPT_MAX_LINE 4096
/* `seek` presses PageDown at most this often: a long page at 400 % text on a phone is over a hundred screens. */
#define MS_SCRIPT_SEEK_MAX 400

/* The on-screen keyboard (src/app/screens/editor.c): a held backspace waits, then repeats, then takes words, so
 * a long text empties in seconds, not minutes. */
#define MS_KEY_REPEAT_DELAY_MS   500
#define MS_KEY_REPEAT_MS         80
#define MS_KEY_REPEAT_WORDS_AFTER 12 /* characters deleted one by one before whole words go */
/* The editor's field shows at least this many lines of the patient's text at their reading size wherever the
 * window can hold them beside a keyboard: the keys give up height first (down to the touch target), then in
 * landscape the keyboard moves beside the field; the text never gives up its size. */
#define MS_EDITOR_MIN_LINES 3
/* A phone in portrait at large text, where three lines at the patient's line spacing and the keys cannot both
 * stand (300–400 % on 640 px: three lines of 80 px text at 150 % are 360 px): the editor goes compact (its title
 * in the bar, the keys at the touch target, one slim line for what happened to the text) and the field's line
 * spacing gives way down to this per cent of the text's size, never the text's size itself. At 120 % the
 * descender of one line and the ring of an «Å» under it still do not touch (Noto Sans: 0.24 + 0.92 em). */
#define MS_EDITOR_LEAST_LINE_PCT 115
/* The field's lines at most this many em of its text wide: WCAG 1.4.8 asks 80 characters at most, and plain
 * Norwegian prose in our sans runs about 0.44 em a character (measured: 77 characters a line in 34 em). */
#define MS_EDITOR_MAX_LINE_EM 32
/* Lines the editor's title (an exercise's question) keeps over the field, portrait and landscape; a longer one is
 * cut with "…" and a tap on it shows it whole. */
#define MS_EDITOR_TITLE_LINES           2
#define MS_EDITOR_TITLE_LINES_LANDSCAPE 1
/* ... and in portrait where the field keeps its lines under them at the patient's reading size (a tablet at 200 %:
 * the question whole in three lines, not cut at two) */
#define MS_EDITOR_TITLE_LINES_ROOMY 4
/* Key labels stop growing at this many dp (26 dp at 100 %): large text is the field's, the keys stay keys. */
#define MS_KB_LABEL_MAX_DP 34

/* Read-aloud (src/app/speech.c): texts synthesised ahead of playback, and audio handed to SDL ahead of it. */
#define MS_SPEECH_LOOKAHEAD     3
#define MS_SPEECH_QUEUE_AHEAD_S 1

/* The network watch (src/app/netwatch.c): after the last change, wait this long before telling the sync thread;
 * an address comes before its route. */
#define MS_NETWATCH_SETTLE_MS 2000

/* A message from the patient to the therapist, in bytes of UTF-8: the editor's cap (src/app/writing.c) and the
 * server's (src/server/request.c), one value so the tablet never writes a message the server refuses. The
 * server used to take 16,384 and the editor 16,000; the shared value is the editor's, which no tablet ever
 * exceeded, so nothing a tablet wrote is refused. Raise it on servers before tablets. */
#define MS_MESSAGE_MAX_BYTES 16000
/* One free-text answer of an exercise; a block's answers go to the server in one request of at most 64 KiB. */
#define MS_ANSWER_MAX_BYTES 4000
/* A table answer (src/core/answers.c): «Legg til rad» adds rows while fewer than MS_ANSWER_ADD_ROWS_UPTO are
 * shown; a cell is written only in rows 0 .. MS_ANSWER_MAX_ROWS - 1 (rows before it are added empty). */
#define MS_ANSWER_ADD_ROWS_UPTO 50
#define MS_ANSWER_MAX_ROWS      256
/* Stored answers nesting deeper are not loaded: a PUT carries them one level down, under "fields", and the
 * server refuses deeper bodies; the client itself writes 3 levels (object, table, row). */
#define MS_ANSWER_MAX_DEPTH (SRV_MAX_JSON_DEPTH - 1)

/* The files an administrator writes in /etc/meistring (src/core/conf.c: the kiosk's, the tablet's). */
#define MS_CONF_MAX_BYTES (64u * 1024u) /* the whole file; a real one is under 2 KB */
#define MS_CONF_MAX_LINE  1024          /* bytes of one line, its line ending not counted */

/* The screen-reader bridge (src/app/a11y.h): how long the client waits at start for the accessibility bus to say
 * whether a screen reader runs (a local D-Bus call answers in about a millisecond; a bus that hangs must not hold
 * the first frame). */
#define MS_A11Y_STATUS_TIMEOUT_MS 200
/* A screen reader's edit or caret move in the editor (a11y.c) is done with the editor's own keys, each of which
 * saves the draft: further than this many characters from where it is to go, the caret moves a word at a time
 * (ctrl+arrow), then a character. */
#define MS_A11Y_EDIT_WORD_STEPS 12
/* A key goes to the screen reader before the client acts on it, and one it takes for its own command (Orca's say
 * all, its flat review) is not the client's (a11y.c, as GTK does): the client waits this long for the answer. The
 * answer takes a few ms (the registry and Orca on the same machine); a screen reader that hangs must not freeze
 * the client, so after this the key is the client's, and a delay under ~150 ms is not felt as a slow key. */
#define MS_A11Y_KEY_WAIT_MS 150

/* The tablet's file (src/core/client_config.c, docs/deploy.md): the clinic's server for a tablet prepared by IT,
 * so the launcher needs no options. Read when the command line names no --server; a file with a mistake stops the
 * client with the reason, as the kiosk's does: a tablet that started without its clinic's pin or CA would show
 * the demonstration instead of the enrolment, or trust another server. */
#define MS_CLIENT_DEFAULT_CONFIG "/etc/meistring/client.conf"
#define MS_CLIENT_URL_MAX        511 /* app.h's server[512] */
#define MS_CLIENT_PIN_MAX        255 /* two curl pins "sha256//<44>;sha256//<44>" are 97 */
#define MS_CLIENT_CA_MAX         511 /* an absolute path: PATHS_MAX - 1 */

/* The waiting-room kiosk's configuration file (src/core/kiosk_config.c, docs/kiosk-config.md): what the file may
 * hold, and each setting's default and range. A file outside them is refused whole and the kiosk does not start:
 * a kiosk that quietly ran on defaults could run without its staff PIN. */
/* Idle reset: after this long without a touch the kiosk warns, then goes back to its start screen. */
#define MS_KIOSK_IDLE_DEFAULT_S    90
#define MS_KIOSK_IDLE_MIN_S        20 /* time to read a screen of large type */
#define MS_KIOSK_IDLE_MAX_S        3600
#define MS_KIOSK_WARNING_DEFAULT_S 15 /* the «are you still there?» countdown, shorter than the idle time */
#define MS_KIOSK_WARNING_MIN_S     5
#define MS_KIOSK_WARNING_MAX_S     120
/* before the warning a visitor has at least this long untouched (a warning up a second after every touch would
 * make the kiosk unusable); without a warning line the default warning shrinks to leave it */
#define MS_KIOSK_QUIET_MIN_S 15
/* The staff PIN: digits only (the kiosk's keypad), kept in the file as a libsodium Argon2id string. The hash is
 * made with libsodium's INTERACTIVE limits (64 MiB, 2 passes: 0.16 s to check on the 2-core build machine;
 * MODERATE took 0.85-1.02 s and 256 MiB, too much for a tap on a 1 GB tablet). A hash made elsewhere is taken
 * with up to MODERATE's cost and no less than INTERACTIVE's: dearer would freeze the screen for seconds at
 * every try, cheaper would make a guessed PIN cheaper to find from a copy of the file. */
#define MS_KIOSK_PIN_MIN_DIGITS  4
#define MS_KIOSK_PIN_MAX_DIGITS  12
#define MS_KIOSK_PIN_HASH_MAX    128    /* the Argon2id string with its NUL: libsodium's crypto_pwhash_STRBYTES */
#define MS_KIOSK_PIN_MEM_MIN_KIB 65536  /* crypto_pwhash_MEMLIMIT_INTERACTIVE / 1024 */
#define MS_KIOSK_PIN_MEM_MAX_KIB 262144 /* crypto_pwhash_MEMLIMIT_MODERATE / 1024 */
#define MS_KIOSK_PIN_OPS_MIN     2      /* crypto_pwhash_OPSLIMIT_INTERACTIVE */
#define MS_KIOSK_PIN_OPS_MAX     3      /* crypto_pwhash_OPSLIMIT_MODERATE */
/* Strings, in bytes of UTF-8 without the NUL. */
#define MS_KIOSK_PROGRAMME_MAX    511 /* an absolute path: PATHS_MAX - 1, as --content takes */
#define MS_KIOSK_CLINIC_NAME_MAX  80  /* one line on «Hjelp nå» at 200 % on a phone */
#define MS_KIOSK_CLINIC_PHONE_MAX 20  /* "+47 22 00 00 00" is 15 */
/* The kiosk at work (src/app/kiosk.c, screens/staff.c). */
#define MS_KIOSK_DEFAULT_CONFIG "/etc/meistring/kiosk.conf" /* --kiosk without --kiosk-config reads this */
#define MS_KIOSK_TICK_MAX_MS    1000 /* the loop wakes at least this often: the countdown, and a SIGTERM seen */
#define MS_KIOSK_CORNER_DP      72   /* the staff corner: this square at the top left */
#define MS_KIOSK_CORNER_HOLD_MS 5000 /* held this long, it opens the staff PIN pad */
#define MS_KIOSK_STAFF_IDLE_S   30   /* the PIN pad and the staff screen close after this long untouched */
#define MS_KIOSK_SPEECH_HOLD_S  600  /* read-aloud holds the idle clock this long after the last touch, no longer */
/* Wrong staff PINs: this many are free, then each waits twice as long as the last, from FIRST to MAX seconds
 * (the Argon2id check itself already costs 0.16 s). The count outlives the idle reset; only a right PIN clears it. */
#define MS_KIOSK_PIN_FREE_TRIES     3
#define MS_KIOSK_PIN_BACKOFF_FIRST_S 30
#define MS_KIOSK_PIN_BACKOFF_MAX_S   900

/* ---- The reference server (src/server): meistring-server, not the tablet. docs/sync-protocol.md («Limits of
 * the reference server») says why each number is what it is; change both together. The message, client_id,
 * written_at and id bounds it shares with the tablet are above (MS_MESSAGE_MAX_BYTES, MS_CLIENT_ID_*,
 * MS_WRITTEN_AT_MAX_BYTES, MS_JSON_MAX_ID). ---- */

/* Request bodies and fields. */
/* A therapist's reply (admin reply), bytes; the tablet reads up to MS_SYNC_MAX_MESSAGE. */
#define SRV_MAX_REPLY      16384
#define SRV_MAX_BODY       (64 * 1024) /* a request body: a message or an answer; more is 413 */
#define SRV_MAX_JSON_DEPTH 16          /* nesting of a request body, checked before cJSON recurses into it */
#define SRV_CHANGES_PAGE   100         /* items per page of the changes feed */
/* A device token: 32 random bytes as lowercase hex, made at enrolment. A Bearer of any other shape is a 401 before
 * the database is asked (request.c req_token_ok); the tablet keeps up to MS_SYNC_MAX_TOKEN. */
#define SRV_TOKEN_HEX 64

/* Enrolment: guessing an 8-digit one-time code. */
#define SRV_CODE_DIGITS 8
/* One address: this many failed enrolments within the window locks it out for SRV_ENROL_ADDR_LOCKOUT_S. A
 * locked-out address is refused (429, Retry-After) before its code is looked at, even the right code. */
#define SRV_ENROL_ADDR_FAILS     10
#define SRV_ENROL_ADDR_WINDOW_S  (10 * 60)
#define SRV_ENROL_ADDR_LOCKOUT_S (15 * 60)
/* All addresses together (a guess spread over a botnet): a token bucket of this many failures, refilled at the
 * same number per window. When it is empty every enrolment waits (429) until a token comes back. */
#define SRV_ENROL_GLOBAL_FAILS    60
#define SRV_ENROL_GLOBAL_WINDOW_S (60 * 60)
/* The table of addresses with recent failures: SETS × WAYS entries, fixed memory (about 400 KiB). */
/* serve --trusted-proxy ADDR, at most this many: requests from such an address (nginx, a load balancer) are
 * limited by the tablet's address it puts last in X-Forwarded-For (req_forwarded_for), not by its own */
#define SRV_TRUSTED_PROXIES_MAX 8
#define SRV_ENROL_ADDR_SETS 512
#define SRV_ENROL_ADDR_WAYS 8
/* A code expires this many days after it was made (admin --code-days N overrides it per code) ... */
#define SRV_CODE_DAYS     7
#define SRV_CODE_MAX_DAYS 90
/* ... or once this many failed enrolments (server-wide) have happened since it was made, whichever is first:
 * so no code is ever exposed to more than this many guesses, P(guessed) <= 5000 / 10^8 = 5e-5 per code. */
#define SRV_CODE_MAX_EXPOSURE 5000

/* The loaned tablet's life (docs/sync-protocol.md, «The tablet's life on the server»). */
/* The clinic's lock settings, sent to a tablet at enrolment (admin lock-settings): idle seconds before the
 * tablet locks, the patient's PIN length (4 or 6), wrong PINs before the tablet wipes itself. */
#define SRV_LOCK_AFTER_S_DEFAULT  300
#define SRV_LOCK_AFTER_S_MIN      30   /* under half a minute locks a patient out mid-sentence */
#define SRV_LOCK_AFTER_S_MAX      3600 /* an hour unattended in a waiting room is already long */
#define SRV_PIN_DIGITS_DEFAULT    6
#define SRV_MAX_FAILURES_DEFAULT  10
#define SRV_MAX_FAILURES_MIN      6  /* a patient mistyping twice a day must not lose their words */
#define SRV_MAX_FAILURES_MAX      20 /* 20 guesses at 4 digits is still 1 in 500 */
#define SRV_STAFF_CODE_MIN_DIGITS 4  /* admin staff-code: a code staff type on any tablet to wipe it */
#define SRV_STAFF_CODE_MAX_DIGITS 12
#define SRV_STAFF_CODE_HASH_MAX   128 /* its Argon2id string with the NUL: libsodium's crypto_pwhash_STRBYTES */
/* A wipe receipt (what a tablet destroyed, sent with its next enrolment): printed size, nesting, entries. */
#define SRV_RECEIPT_MAX_BYTES     8192
#define SRV_RECEIPT_MAX_DEPTH     4 /* receipt, destroyed, one entry: 3; one to spare */
#define SRV_RECEIPT_MAX_DESTROYED 32
#define SRV_RECEIPT_TEXT_MAX      64 /* "what" and "how", bytes */
#define SRV_RECEIPT_WIPED_AT_MAX  40 /* an ISO 8601 time with an offset is 25 */
/* A recovery wrap (PUT /v1/recovery): the data key sealed under a key the server never has, standard base64.
 * A 32-byte key sealed with a nonce and a MAC is 56 bytes, 76 characters; the bounds leave room for others. */
#define SRV_WRAP_MIN_CHARS 40
#define SRV_WRAP_MAX_CHARS 200

/* Connections and the database. */
#define SRV_THREADS                  4    /* MHD's internal epoll threads, and serve's database connections */
#define SRV_MAX_CONNECTIONS          2048 /* open at once, all addresses; more are closed at accept */
#define SRV_MAX_CONNECTIONS_PER_ADDR 32   /* open at once from one address (a clinic behind one NAT) */
#define SRV_IDLE_TIMEOUT_S           30   /* a connection silent this long is closed */
#define SRV_FD_SLACK                 64   /* besides connections: SRV_THREADS databases (+ WAL, shm), epoll, listen */
#define SRV_LOG_QUIET_S              10   /* the same log line again within this is counted, not printed */
/* A write waits this long for SQLite's write lock (another request's transaction, an admin command, another
 * server process) before it fails: well under the tablet's MS_SYNC_TIMEOUT_MS, so the tablet gets an answer rather
 * than a timeout. */
#define SRV_DB_BUSY_TIMEOUT_MS 5000
/* PostgreSQL (srv_store_pg.c): every connection is made with these, and so is every reconnection after the
 * database dropped one (libpq's reset reuses them). Without them a database host that vanishes holds a worker for
 * as long as TCP keeps trying — minutes — while tablets time out; with them it costs a request seconds, and each
 * bound is under the tablet's MS_SYNC_TIMEOUT_MS, so the tablet gets an answer (503) rather than a timeout. */
#define SRV_PG_CONNECT_TIMEOUT_S    5                      /* to connect or reconnect */
#define SRV_PG_STATEMENT_TIMEOUT_MS 10000                  /* any one statement */
#define SRV_PG_LOCK_TIMEOUT_MS      SRV_DB_BUSY_TIMEOUT_MS /* waiting for another request's row, as for SQLite's lock */
#define SRV_PG_TCP_USER_TIMEOUT_MS  10000                  /* data sent to a host that no longer acknowledges it */
#define SRV_PG_KEEPALIVE_IDLE_S     30 /* an idle connection (between requests) is probed after this, */
#define SRV_PG_KEEPALIVE_INTERVAL_S 10 /* every this, */
#define SRV_PG_KEEPALIVE_COUNT      3  /* and given up after this many unanswered probes */

/* Fault injection (serve --fault, for the tests only). */
#define SRV_MAX_FAULTS       16                    /* --fault rules at once */
#define SRV_FAULT_STALL_S    3                     /* "stall": holds one of the SRV_THREADS threads this long */
#define SRV_FAULT_HUGE_BYTES (64ull * 1024 * 1024) /* "huge": a body far over any cap of the tablet */

/* How the two sides' bounds must relate; a change that breaks one does not build. */
_Static_assert(SRV_PG_STATEMENT_TIMEOUT_MS < MS_SYNC_TIMEOUT_MS && SRV_PG_TCP_USER_TIMEOUT_MS < MS_SYNC_TIMEOUT_MS &&
                   SRV_PG_CONNECT_TIMEOUT_S * 1000 < MS_SYNC_TIMEOUT_MS,
               "a database that does not answer must cost the tablet a 503, not a timeout");
_Static_assert(MS_SYNC_MAX_MESSAGE >= SRV_MAX_REPLY, "the tablet must read every reply the server takes");
_Static_assert(MS_HYPH_MAX_WORD_CHARS >= MS_LAYOUT_HYPHEN_MAX_CHARS, "layout asks about words hyphen.c refuses");

/* ---- the loaned tablet: PIN, lock, wipe (issue 12; docs/tablet.md) ------------------------------------------
 * Argon2id for the PIN key (vault_pin_key): libsodium's INTERACTIVE cost, 64 MiB and 2 passes. Measured on this
 * project's build machine (AMD EPYC, one core, contended): 0.16–0.24 s a guess; a low-end tablet (Cortex-A53)
 * is about 2.5–3× slower at memory-hard work, so ~0.5 s a guess there, which is the aim. bench/pin_cost.sh
 * prints the figure on the machine it runs on. 128 MiB would double it, and doubles the peak memory at unlock.
 * The cost is stored with each wrap, so raising it later only needs the next PIN change. */
#define MS_PIN_ARGON_OPS     2ULL
#define MS_PIN_ARGON_MEM     (64ULL << 20)
#define MS_PIN_ARGON_OPS_MAX 10ULL          /* refused when reading a stored cost above these: a damaged */
#define MS_PIN_ARGON_MEM_MAX (512ULL << 20) /* file must not make a tablet allocate gigabytes */
#define MS_PIN_MIN_DIGITS    4  /* a clinic may allow 4 (lock settings at enrolment) */
#define MS_PIN_DEFAULT_DIGITS 6 /* the PIN's length unless the clinic says 4 */
#define MS_PIN_MAX_DIGITS    6
#define MS_RESET_CODE_DIGITS 8  /* the clinic's one-time reset code for a forgotten PIN (as enrolment codes) */

/* Wrong PINs (lockout.c): iOS's published schedule (Apple Platform Security, "Passcodes and passwords"): no
 * delay for the first 4, then 1 min after the 5th, 5 min after the 6th, 15 min after the 7th and 8th, 1 hour
 * after the 9th and on. After the clinic's maximum (default 10), only the clinic's reset code opens the tablet;
 * nothing is ever erased for wrong PINs. */
#define MS_LOCK_FREE_TRIES      4
#define MS_LOCK_MAX_FAILURES    10 /* default; the clinic's lock settings may set 6–20 */
#define MS_LOCK_SEEN_MAX        20 /* fingerprints of distinct wrong PINs kept (the same one twice counts once) */
#define MS_LOCK_AFTER_S         300 /* auto-lock after this long untouched; the clinic's settings may say 30–3600 */
#define MS_LOCK_FOCUS_GRACE_S   30  /* away (focus lost, window hidden, suspended) longer than this: locked */
#define MS_LOCK_STAFF_IDLE_S    60
#define MS_RECEIPT_MAX          16384 /* a wipe receipt's JSON (paths_receipt_load caps it too) */  /* the staff code pad and staff screen on a patient's tablet close after this */

/* What the frame's description keeps of a line broken inside a word (view_breaks), bytes either side: enough for a
 * person to find the word in a failure message. */
#define MS_VIEW_BREAK_CONTEXT 40
/* The start of each text the renderer logs for check-layout (ren_log), bytes with its end. */
#define MS_REN_LOG_TEXT 48
/* check-layout: how much of a text's line box (accent room above, descender room below), % of its height, may lie
 * outside its element before the text counts as not fitting. */
#define MS_LAYOUT_CHECK_SLACK_PCT 10
/* check-layout's heading rule: a heading's line may be this much (%) shorter than the body text's on its screen and
 * still be as large (a bold face's line box can be a pixel or two less than the regular's at one size). */
#define MS_LAYOUT_CHECK_HEADING_SLACK_PCT 5
/* check-layout: an element cut this close (dp) to a message's or an explanation's text is cut by its box (the
 * box's border and padding lie between the two), not by a screen turn. */
#define MS_LAYOUT_CHECK_COVER_DP 24
/* check-layout: a text laid out one word a line for this many lines running, each a word of at most this many
 * letters («Hei,» «jeg» «har»), lies in a box too narrow for its own text (a message's indent at 400 % on a phone). */
#define MS_LAYOUT_CHECK_WORD_LINES   3
#define MS_LAYOUT_CHECK_SHORT_LETTERS 3

#endif
