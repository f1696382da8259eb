/* doc.h — the programme content model and its parser (format 1, docs/content-format.md).
 * A programme is modules → pages → blocks. The model is plain read-only data: once parsed it never changes,
 * so its structs are public (like cJSON's) and the UI walks them directly. Everything a programme holds lives
 * in one arena owned by the doc_programme; doc_programme_free() releases it all at once. */
#ifndef MEISTRING_DOC_H
#define MEISTRING_DOC_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    DOC_SPAN_PLAIN,
    DOC_SPAN_STRONG,
    DOC_SPAN_EMPHASIS,
    DOC_SPAN_TERM /* has an explanation */
} doc_span_style;

typedef struct {
    doc_span_style style;
    const char *text;
    const char *explanation; /* DOC_SPAN_TERM only, else NULL */
} doc_span;

/* Running text: a sequence of styled spans. */
typedef struct {
    const doc_span *spans;
    size_t n_spans;
} doc_text;

typedef enum { DOC_FIELD_TEXT, DOC_FIELD_SCALE, DOC_FIELD_CHOICE, DOC_FIELD_CHECKLIST, DOC_FIELD_TABLE } doc_field_type;

typedef enum { DOC_COL_TEXT, DOC_COL_NUMBER, DOC_COL_DATE } doc_column_kind;

typedef struct {
    const char *id;
    const char *label;
    const char *question; /* may be NULL: what the column asks, said over the cell's editor */
    doc_column_kind kind;
    int min, max; /* DOC_COL_NUMBER; min == max == 0 when unbounded */
} doc_column;

typedef struct {
    const char *id;
    doc_field_type type;
    const char *label;
    const char *placeholder;           /* text; may be NULL */
    int lines;                         /* text: height hint, 1–20 */
    int min, max;                      /* scale */
    const char *min_label, *max_label; /* scale; may be NULL */
    bool multiple;                     /* choice */
    const char *const *options;        /* choice: options, checklist: items */
    size_t n_options;
    const doc_column *columns; /* table */
    size_t n_columns;
    int rows; /* table: rows shown at first */
} doc_field;

typedef struct {
    const char *label;
    int score;
} doc_option;

typedef struct {
    const char *id;
    const char *text;
    const doc_option *options; /* the item's own, else the questionnaire's */
    size_t n_options;
} doc_qitem;

typedef struct {
    int min, max;
    const char *label;
} doc_band;

typedef enum {
    DOC_BLOCK_HEADING,
    DOC_BLOCK_PARAGRAPH,
    DOC_BLOCK_LIST,
    DOC_BLOCK_IMAGE,
    DOC_BLOCK_CALLOUT,
    DOC_BLOCK_SUMMARY,
    DOC_BLOCK_EXERCISE,
    DOC_BLOCK_QUESTIONNAIRE
} doc_block_type;

typedef enum { DOC_TONE_INFO, DOC_TONE_TIP, DOC_TONE_IMPORTANT } doc_tone;

/* One block. Which fields are set depends on type; the rest are zero/NULL:
 *   heading        level, heading
 *   paragraph      text
 *   list           ordered, items
 *   image          src, alt, caption, aspect
 *   callout        tone, title, text
 *   summary        title (NULL: the client's default «Kort fortalt»), items
 *   exercise       title, text (intro), fields
 *   questionnaire  title, instrument, text (intro), options, qitems, bands */
typedef struct {
    const char *id;
    doc_block_type type;
    int level;
    const char *heading;
    doc_text text;
    bool ordered;
    const doc_text *items;
    size_t n_items;
    const char *src, *alt, *caption;
    double aspect; /* width / height, 0 when unknown */
    doc_tone tone;
    const char *title;
    const char *instrument;
    const doc_field *fields;
    size_t n_fields;
    const doc_option *options;
    size_t n_options;
    const doc_qitem *qitems;
    size_t n_qitems;
    const doc_band *bands;
    size_t n_bands;
} doc_block;

typedef struct {
    const char *id;
    const char *title;
    const doc_block *blocks;
    size_t n_blocks;
} doc_page;

typedef struct {
    const char *id;
    int number;
    const char *title;
    const char *file;        /* relative to the programme directory */
    const char *opens_after; /* a questionnaire block's id: the server opens the module when it is submitted;
                                NULL when the therapist opens it */
    bool unlocked;
    const doc_page *pages; /* NULL until the module document is parsed */
    size_t n_pages;
} doc_module;

typedef struct doc_programme {
    const char *id;
    const char *title;
    const char *language; /* "nb", "nn" or "en" */
    bool demo;
    const char *description;                               /* may be NULL */
    const char *clinic_name, *clinic_phone, *clinic_hours; /* may be NULL */
    doc_module *modules;
    size_t n_modules;
    const char *dir; /* directory it was loaded from; NULL when parsed from memory */
    struct doc_arena *arena;
} doc_programme;

/* Result of every parse. err.msg is a full sentence; err.where is "FILE: $.json.path". */
typedef enum {
    DOC_OK = 0,
    DOC_ERR_IO,     /* file missing or unreadable */
    DOC_ERR_SYNTAX, /* not JSON */
    DOC_ERR_LIMIT,  /* too big, too deep, too many */
    DOC_ERR_SCHEMA, /* a field is missing or of the wrong type or value */
    DOC_ERR_NOMEM
} doc_status;

typedef struct {
    doc_status status;
    char where[320]; /* "modules/m1.json: $.pages[2].blocks[0].text" */
    char msg[256];
} doc_error;

/* Parses programme.json bytes (len bytes, need not be NUL-terminated). `file` names the document in errors.
 * On success *out is a new programme (modules without pages) that the caller frees with doc_programme_free. */
doc_status doc_parse_programme(const char *json, size_t len, const char *file, doc_programme **out, doc_error *err);

/* Parses one module document into prog->modules[index] (its pages). The module's id must match. */
doc_status doc_parse_module(doc_programme *prog, size_t index, const char *json, size_t len, const char *file,
                            doc_error *err);

/* Reads DIR/<the module's file> and parses it into prog->modules[index], as doc_load_dir does for each module; on
 * failure the module is as it was. For a module the clinic has just opened (the app updates it in place). */
doc_status doc_load_module(doc_programme *prog, size_t index, const char *dir, doc_error *err);
/* Loads DIR/programme.json and every module file it lists. On failure nothing is returned. */
doc_status doc_load_dir(const char *dir, doc_programme **out, doc_error *err);

/* Checks a whole content directory: like doc_load_dir, but also checks that ids are unique across the
 * programme and that every image file exists. Calls report(ctx, where, msg) for each problem found and
 * returns the number of problems (0 = valid). */
int doc_validate_dir(const char *dir, void (*report)(void *ctx, const char *where, const char *msg), void *ctx);

void doc_programme_free(doc_programme *prog);

/* Lookup helpers; NULL / -1 when absent. */
const doc_module *doc_find_module(const doc_programme *prog, const char *id);
int doc_find_page(const doc_module *mod, const char *page_id);
int doc_find_block(const doc_page *page, const char *block_id);
const doc_block *doc_find_any_block(const doc_programme *prog, const char *block_id); /* in any loaded page */
/* The questionnaire a module opens after (its `opens_after`), or NULL when it has none or names no questionnaire
 * (content that did not pass the validator is shown as an ordinary locked module, never trusted). */
const doc_block *doc_module_gate(const doc_programme *prog, const doc_module *mod);
/* Whether mod opens when the questionnaire block_id is sent in: its gate is that block. The one rule for the server
 * (which opens it for the patient who sent it) and the demonstration (no server: the tablet opens it itself). */
bool doc_module_opens_after(const doc_programme *prog, const doc_module *mod, const char *block_id);

/* Questionnaire scoring ("method": "sum"): the options an item offers (its own, else the block's), the highest
 * total possible, and the band a total falls in (NULL when the content names none). */
const doc_option *doc_item_options(const doc_block *q, size_t item, size_t *n);
int doc_questionnaire_max(const doc_block *q);
const char *doc_questionnaire_band(const doc_block *q, int total);

/* Number of words (runs of non-space characters) in a page's readable text, for estimates and tests. */
size_t doc_page_word_count(const doc_page *page);

/* Appends the plain text of `t` to buf (cap bytes, always NUL-terminated); returns the length it needed. */
size_t doc_text_plain(const doc_text *t, char *buf, size_t cap);

#endif
