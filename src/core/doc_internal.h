/* doc_internal.h — what the three files of the content parser share; nothing outside src/core/doc*.c sees it
 * (include/meistring/doc.h is the API). doc_json.c reads the format's value types from hostile JSON, doc_parse.c
 * holds the format's structure (blocks, pages, modules, the programme), doc.c loads, validates and looks up. All
 * three work through one parse context (pctx): the arena, the first error, and the JSON path that error names. */
#ifndef MS_DOC_INTERNAL_H
#define MS_DOC_INTERNAL_H

#include "meistring/doc.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "arena.h"

typedef struct {
    arena *a;
    doc_error *err;
    const char *file;
    char path[256];
    size_t plen;
    bool strict; /* validator: unknown keys are errors too */
} pctx;

/* One array element: parse v into *out (elem_size bytes, zeroed). arg is the caller's. */
typedef doc_status (*elem_fn)(pctx *c, const cJSON *v, void *out, void *arg);

/* ---- doc_json.c: the parse context and the format's value types ---------------------------------------------- */

/* Records the first problem (status, file, JSON path, message) in c->err; returns st. */
doc_status pctx_fail(pctx *c, doc_status st, const char *fmt, ...);
/* Path bookkeeping: push returns the old length, pop restores it. */
size_t pctx_push_key(pctx *c, const char *key);
size_t pctx_push_index(pctx *c, size_t i);
void pctx_pop(pctx *c, size_t old);
/* The document's bytes as cJSON, after the size and depth limits; NULL (and c->err) when it is refused. */
cJSON *pctx_parse_json(pctx *c, const char *json, size_t len);
/* Strict (validator) mode only: false, with the problem recorded, for a key not in the NULL-ended allowed list. */
bool pctx_check_keys(pctx *c, const cJSON *obj, const char *const *allowed);
/* Reads obj[key] as a string. Absent and optional: *out = NULL. */
doc_status pctx_get_string(pctx *c, const cJSON *obj, const char *key, bool required, const char **out);
/* A required string that is an id: A–Z, a–z, 0–9, _ and -, at most MS_DOC_MAX_ID characters. */
doc_status pctx_get_id(pctx *c, const cJSON *obj, const char *key, const char **out);
/* A whole number in [lo, hi]; dflt when absent and optional. */
doc_status pctx_get_int(pctx *c, const cJSON *obj, const char *key, bool required, int lo, int hi, int dflt, int *out);
doc_status pctx_get_bool(pctx *c, const cJSON *obj, const char *key, bool dflt, bool *out);
/* n zeroed elements in the arena; NULL (and c->err) when out of memory. */
void *pctx_alloc_n(pctx *c, size_t n, size_t size);
/* Parses obj[key], an array of at most max elements (at least one when required), into a new arena array of
 * elem_size-byte elements, each parsed by fn with its index on the JSON path. Absent and optional: NULL, 0. */
doc_status pctx_parse_list(pctx *c, const cJSON *obj, const char *key, bool required, int max, size_t elem_size,
                           elem_fn fn, void *arg, void **out, size_t *n_out);
doc_status pctx_need_object(pctx *c, const cJSON *v);
/* Running text: a string, or an array of plain strings and strong/emphasis/term spans. */
doc_status pctx_get_text(pctx *c, const cJSON *obj, const char *key, bool required, doc_text *out);
/* An array of texts (list items, summary items). */
doc_status pctx_get_text_items(pctx *c, const cJSON *obj, const char *key, const doc_text **out, size_t *n_out);
/* An array of plain strings (choice options, checklist items). */
doc_status pctx_get_strings(pctx *c, const cJSON *obj, const char *key, const char *const **out, size_t *n_out);

/* ---- doc_parse.c: the format's structure ------------------------------------------------------------------- */

/* programme.json into a new programme with its own arena; the modules' pages are not read yet. */
doc_status doc_parse_programme_ctx(pctx *c, const char *json, size_t len, doc_programme **out);
/* A module's document into prog->modules[index], whose id it must carry; nothing changes on failure. */
doc_status doc_parse_module_ctx(pctx *c, doc_programme *prog, size_t index, const char *json, size_t len);

static inline void err_reset(doc_error *err) {
    if (err) memset(err, 0, sizeof *err);
}

#endif
