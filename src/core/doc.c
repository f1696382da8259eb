/* doc.c — parses programme and module documents (docs/content-format.md) into the doc.h model.
 * Content comes from clinicians' files and, later, from a server, so it is treated as hostile: length first,
 * nesting depth before cJSON sees it, every field's type and size checked, and the first problem reported with
 * the file and the JSON path. A document that fails is rejected whole; nothing half-parsed is returned. */
#include "meistring/doc.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "jsondepth.h"
#include "meistring/config.h"
#include "meistring/image.h"
#include "meistring/utf8.h"

typedef struct {
    arena *a;
    doc_error *err;
    const char *file;
    char path[256];
    size_t plen;
    bool strict; /* validator: unknown keys are errors too */
} pctx;

static doc_status fail(pctx *c, doc_status st, const char *fmt, ...) {
    if (c->err && c->err->status == DOC_OK) {
        c->err->status = st;
        snprintf(c->err->where, sizeof c->err->where, "%s: %s", c->file ? c->file : "(memory)",
                 c->plen ? c->path : "$");
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err->msg, sizeof c->err->msg, fmt, ap);
        va_end(ap);
    }
    return st;
}

/* Path bookkeeping: push returns the old length, pop restores it. Truncation only shortens the message. */
static size_t push_key(pctx *c, const char *key) {
    size_t old = c->plen;
    if (c->plen == 0) c->plen = (size_t)snprintf(c->path, sizeof c->path, "$");
    int n = snprintf(c->path + c->plen, sizeof c->path - c->plen, ".%s", key);
    if (n > 0) c->plen = c->plen + (size_t)n < sizeof c->path ? c->plen + (size_t)n : sizeof c->path - 1;
    return old;
}
static size_t push_index(pctx *c, size_t i) {
    size_t old = c->plen;
    if (c->plen == 0) c->plen = (size_t)snprintf(c->path, sizeof c->path, "$");
    int n = snprintf(c->path + c->plen, sizeof c->path - c->plen, "[%zu]", i);
    if (n > 0) c->plen = c->plen + (size_t)n < sizeof c->path ? c->plen + (size_t)n : sizeof c->path - 1;
    return old;
}
static void pop(pctx *c, size_t old) {
    c->plen = old;
    c->path[old] = '\0';
}

static cJSON *parse_json(pctx *c, const char *json, size_t len) {
    if (len > MS_DOC_MAX_BYTES) {
        fail(c, DOC_ERR_LIMIT, "the document is %zu bytes; at most %u are allowed", len, MS_DOC_MAX_BYTES);
        return NULL;
    }
    if (json_nests_deeper_than(json, len, MS_DOC_MAX_DEPTH)) {
        fail(c, DOC_ERR_LIMIT, "the document nests deeper than %d levels", MS_DOC_MAX_DEPTH);
        return NULL;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(json, len, &end, false);
    if (!root) {
        size_t off = end && end >= json ? (size_t)(end - json) : 0;
        /* turn the byte offset into a line number a clinician can find */
        size_t line = 1;
        for (size_t i = 0; i < off && i < len; i++)
            if (json[i] == '\n') line++;
        fail(c, DOC_ERR_SYNTAX, "this is not valid JSON (problem near line %zu, byte %zu)", line, off);
        return NULL;
    }
    /* anything but white space after the value is an error too */
    if (end) {
        for (const char *p = end; p < json + len; p++) {
            if (*p != ' ' && *p != '\n' && *p != '\r' && *p != '\t' && *p != '\0') {
                cJSON_Delete(root);
                fail(c, DOC_ERR_SYNTAX, "there is text after the end of the JSON document");
                return NULL;
            }
        }
    }
    return root;
}

/* ---- typed field access ------------------------------------------------------------------------------- */

static const char *type_name(const cJSON *v) {
    if (!v) return "nothing";
    if (cJSON_IsString(v)) return "a string";
    if (cJSON_IsNumber(v)) return "a number";
    if (cJSON_IsBool(v)) return "true/false";
    if (cJSON_IsNull(v)) return "null";
    if (cJSON_IsArray(v)) return "an array";
    if (cJSON_IsObject(v)) return "an object";
    return "something else";
}

static bool check_keys(pctx *c, const cJSON *obj, const char *const *allowed) {
    if (!c->strict) return true;
    for (const cJSON *it = obj->child; it; it = it->next) {
        bool ok = strcmp(it->string, "$schema") == 0; /* lets an editor find docs/content.schema.json */
        for (const char *const *k = allowed; *k; k++)
            if (strcmp(*k, it->string) == 0) ok = true;
        if (!ok) {
            size_t o = push_key(c, it->string);
            fail(c, DOC_ERR_SCHEMA, "unknown field \"%s\" (a typing mistake?)", it->string);
            pop(c, o);
            return false;
        }
    }
    return true;
}

static doc_status conv_string(pctx *c, const cJSON *v, const char **out) {
    if (!cJSON_IsString(v)) return fail(c, DOC_ERR_SCHEMA, "expected a string, found %s", type_name(v));
    size_t len = strlen(v->valuestring);
    if (len > MS_DOC_MAX_STRING)
        return fail(c, DOC_ERR_LIMIT, "text is %zu bytes; at most %u are allowed", len, MS_DOC_MAX_STRING);
    if (!utf8_valid(v->valuestring, len)) return fail(c, DOC_ERR_SCHEMA, "text is not valid UTF-8");
    *out = arena_strndup(c->a, v->valuestring, len);
    return *out ? DOC_OK : fail(c, DOC_ERR_NOMEM, "out of memory");
}

/* Reads obj[key] as a string. Absent and optional: *out = NULL. */
static doc_status get_string(pctx *c, const cJSON *obj, const char *key, bool required, const char **out) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = NULL;
    size_t o = push_key(c, key);
    doc_status st = DOC_OK;
    if (!v) {
        if (required) st = fail(c, DOC_ERR_SCHEMA, "required field is missing");
    } else {
        st = conv_string(c, v, out);
        if (st == DOC_OK && required && (*out)[0] == '\0') st = fail(c, DOC_ERR_SCHEMA, "must not be empty");
    }
    pop(c, o);
    return st;
}

static doc_status get_id(pctx *c, const cJSON *obj, const char *key, const char **out) {
    doc_status st = get_string(c, obj, key, true, out);
    if (st) return st;
    size_t len = strlen(*out);
    size_t o = push_key(c, key);
    if (len > MS_DOC_MAX_ID) st = fail(c, DOC_ERR_LIMIT, "an id has at most %d characters", MS_DOC_MAX_ID);
    for (size_t i = 0; st == DOC_OK && i < len; i++) {
        char ch = (*out)[i];
        bool ok =
            (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
        if (!ok) st = fail(c, DOC_ERR_SCHEMA, "an id may hold only A–Z, a–z, 0–9, _ and -");
    }
    pop(c, o);
    return st;
}

static doc_status get_int(pctx *c, const cJSON *obj, const char *key, bool required, int lo, int hi, int dflt,
                          int *out) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = dflt;
    size_t o = push_key(c, key);
    doc_status st = DOC_OK;
    if (!v) {
        if (required) st = fail(c, DOC_ERR_SCHEMA, "required field is missing");
    } else if (!cJSON_IsNumber(v)) {
        st = fail(c, DOC_ERR_SCHEMA, "expected a whole number, found %s", type_name(v));
    } else if (!(v->valuedouble >= lo && v->valuedouble <= hi) || v->valuedouble != (double)(int)v->valuedouble) {
        /* the range test comes first: casting 1e10 (or NaN, or inf) to int is undefined behaviour */
        st = fail(c, DOC_ERR_SCHEMA, "expected a whole number from %d to %d", lo, hi);
    } else {
        *out = (int)v->valuedouble;
    }
    pop(c, o);
    return st;
}

static doc_status get_bool(pctx *c, const cJSON *obj, const char *key, bool dflt, bool *out) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = dflt;
    if (!v) return DOC_OK;
    if (!cJSON_IsBool(v)) {
        size_t o = push_key(c, key);
        doc_status st = fail(c, DOC_ERR_SCHEMA, "expected true or false, found %s", type_name(v));
        pop(c, o);
        return st;
    }
    *out = cJSON_IsTrue(v);
    return DOC_OK;
}

/* obj[key] must be an array of 0..max (1..max when required) elements. */
static doc_status get_array(pctx *c, const cJSON *obj, const char *key, bool required, int max, const cJSON **arr,
                            size_t *n) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    *arr = NULL;
    *n = 0;
    size_t o = push_key(c, key);
    doc_status st = DOC_OK;
    if (!v) {
        if (required) st = fail(c, DOC_ERR_SCHEMA, "required field is missing");
    } else if (!cJSON_IsArray(v)) {
        st = fail(c, DOC_ERR_SCHEMA, "expected an array, found %s", type_name(v));
    } else {
        int count = cJSON_GetArraySize(v);
        if (count > max)
            st = fail(c, DOC_ERR_LIMIT, "has %d entries; at most %d are allowed", count, max);
        else if (required && count == 0)
            st = fail(c, DOC_ERR_SCHEMA, "must have at least one entry");
        else {
            *arr = v;
            *n = (size_t)count;
        }
    }
    pop(c, o);
    return st;
}

static void *alloc_n(pctx *c, size_t n, size_t size) {
    void *p = arena_alloc(c->a, (n ? n : 1) * size);
    if (!p) fail(c, DOC_ERR_NOMEM, "out of memory");
    return p;
}

/* ---- spans ----------------------------------------------------------------------------------------------- */

static doc_status conv_text(pctx *c, const cJSON *v, doc_text *out) {
    if (cJSON_IsString(v)) {
        doc_span *sp = alloc_n(c, 1, sizeof *sp);
        if (!sp) return DOC_ERR_NOMEM;
        doc_status st = conv_string(c, v, &sp->text);
        if (st) return st;
        sp->style = DOC_SPAN_PLAIN;
        out->spans = sp;
        out->n_spans = 1;
        return DOC_OK;
    }
    if (!cJSON_IsArray(v))
        return fail(c, DOC_ERR_SCHEMA, "expected text (a string or an array of spans), found %s", type_name(v));
    int n = cJSON_GetArraySize(v);
    if (n > MS_DOC_MAX_ITEMS) return fail(c, DOC_ERR_LIMIT, "more than %d spans", MS_DOC_MAX_ITEMS);
    doc_span *sp = alloc_n(c, (size_t)n, sizeof *sp);
    if (!sp) return DOC_ERR_NOMEM;
    size_t i = 0;
    for (const cJSON *it = v->child; it; it = it->next, i++) {
        size_t o = push_index(c, i);
        doc_status st = DOC_OK;
        if (cJSON_IsString(it)) {
            sp[i].style = DOC_SPAN_PLAIN;
            st = conv_string(c, it, &sp[i].text);
        } else if (cJSON_IsObject(it)) {
            const cJSON *s = cJSON_GetObjectItemCaseSensitive(it, "strong");
            const cJSON *e = cJSON_GetObjectItemCaseSensitive(it, "emphasis");
            const cJSON *t = cJSON_GetObjectItemCaseSensitive(it, "term");
            int kinds = (s != NULL) + (e != NULL) + (t != NULL);
            static const char *const keys[] = {"strong", "emphasis", "term", "explanation", NULL};
            if (kinds != 1) {
                st = fail(c, DOC_ERR_SCHEMA, "a span object needs exactly one of strong, emphasis or term");
            } else if (!t && cJSON_GetObjectItemCaseSensitive(it, "explanation")) {
                st = fail(c, DOC_ERR_SCHEMA, "only a term span has an explanation");
            } else if (!check_keys(c, it, keys)) {
                st = DOC_ERR_SCHEMA;
            } else if (s) {
                sp[i].style = DOC_SPAN_STRONG;
                size_t o2 = push_key(c, "strong");
                st = conv_string(c, s, &sp[i].text);
                pop(c, o2);
            } else if (e) {
                sp[i].style = DOC_SPAN_EMPHASIS;
                size_t o2 = push_key(c, "emphasis");
                st = conv_string(c, e, &sp[i].text);
                pop(c, o2);
            } else {
                sp[i].style = DOC_SPAN_TERM;
                size_t o2 = push_key(c, "term");
                st = conv_string(c, t, &sp[i].text);
                pop(c, o2);
                if (!st) st = get_string(c, it, "explanation", true, &sp[i].explanation);
            }
        } else {
            st = fail(c, DOC_ERR_SCHEMA, "a span is a string or an object, found %s", type_name(it));
        }
        pop(c, o);
        if (st) return st;
    }
    out->spans = sp;
    out->n_spans = (size_t)n;
    return DOC_OK;
}

static doc_status get_text(pctx *c, const cJSON *obj, const char *key, bool required, doc_text *out) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    memset(out, 0, sizeof *out);
    size_t o = push_key(c, key);
    doc_status st = DOC_OK;
    if (!v) {
        if (required) st = fail(c, DOC_ERR_SCHEMA, "required field is missing");
    } else {
        st = conv_text(c, v, out);
    }
    pop(c, o);
    return st;
}

/* An array of texts (list items, summary items). */
/* One array element: parse v into *out (elem_size bytes, zeroed). arg is the caller's. */
typedef doc_status (*elem_fn)(pctx *c, const cJSON *v, void *out, void *arg);

/* Parses obj[key], an array of at most max elements (at least one when required), into a new arena array of
 * elem_size-byte elements, each parsed by fn with its index on the JSON path. Absent and optional: NULL, 0. */
static doc_status parse_list(pctx *c, const cJSON *obj, const char *key, bool required, int max, size_t elem_size,
                             elem_fn fn, void *arg, void **out, size_t *n_out) {
    const cJSON *arr;
    size_t n;
    *out = NULL;
    *n_out = 0;
    doc_status st = get_array(c, obj, key, required, max, &arr, &n);
    if (st || !arr) return st;
    unsigned char *items = alloc_n(c, n, elem_size);
    if (!items) return DOC_ERR_NOMEM;
    size_t o = push_key(c, key);
    size_t i = 0;
    for (const cJSON *it = arr->child; it && !st; it = it->next, i++) {
        size_t o2 = push_index(c, i);
        st = fn(c, it, items + i * elem_size, arg);
        pop(c, o2);
    }
    pop(c, o);
    *out = items;
    *n_out = n;
    return st;
}

static doc_status el_text(pctx *c, const cJSON *v, void *out, void *arg) {
    (void)arg;
    return conv_text(c, v, out);
}

static doc_status el_string(pctx *c, const cJSON *v, void *out, void *arg) {
    (void)arg;
    return conv_string(c, v, out);
}

/* An array of texts (list items, summary items). */
static doc_status get_text_items(pctx *c, const cJSON *obj, const char *key, const doc_text **out, size_t *n_out) {
    void *items;
    doc_status st = parse_list(c, obj, key, true, MS_DOC_MAX_ITEMS, sizeof(doc_text), el_text, NULL, &items, n_out);
    *out = items;
    return st;
}

/* An array of plain strings (choice options, checklist items). */
static doc_status get_strings(pctx *c, const cJSON *obj, const char *key, const char *const **out, size_t *n_out) {
    void *items;
    doc_status st =
        parse_list(c, obj, key, true, MS_DOC_MAX_ITEMS, sizeof(const char *), el_string, NULL, &items, n_out);
    *out = items;
    return st;
}

static doc_status need_object(pctx *c, const cJSON *v) {
    return cJSON_IsObject(v) ? DOC_OK : fail(c, DOC_ERR_SCHEMA, "expected an object, found %s", type_name(v));
}

/* ---- exercise fields ------------------------------------------------------------------------------------ */

static doc_status parse_column(pctx *c, const cJSON *v, void *out, void *arg) {
    (void)arg;
    doc_column *col = out;
    static const char *const keys[] = {"id", "label", "kind", "min", "max", NULL};
    doc_status st = need_object(c, v);
    if (!st && !check_keys(c, v, keys)) st = DOC_ERR_SCHEMA;
    if (!st) st = get_id(c, v, "id", &col->id);
    if (!st) st = get_string(c, v, "label", true, &col->label);
    const char *kind = NULL;
    if (!st) st = get_string(c, v, "kind", false, &kind);
    if (!st) {
        if (!kind || strcmp(kind, "text") == 0)
            col->kind = DOC_COL_TEXT;
        else if (strcmp(kind, "number") == 0)
            col->kind = DOC_COL_NUMBER;
        else if (strcmp(kind, "date") == 0)
            col->kind = DOC_COL_DATE;
        else {
            size_t o = push_key(c, "kind");
            st = fail(c, DOC_ERR_SCHEMA, "kind must be \"text\", \"number\" or \"date\"");
            pop(c, o);
        }
    }
    if (!st) st = get_int(c, v, "min", false, -MS_DOC_MAX_COLUMN_VALUE, MS_DOC_MAX_COLUMN_VALUE, 0, &col->min);
    if (!st) st = get_int(c, v, "max", false, -MS_DOC_MAX_COLUMN_VALUE, MS_DOC_MAX_COLUMN_VALUE, 0, &col->max);
    /* either bound may stand alone; only a pair is compared */
    if (!st && cJSON_GetObjectItemCaseSensitive(v, "min") && cJSON_GetObjectItemCaseSensitive(v, "max") &&
        col->max < col->min)
        st = fail(c, DOC_ERR_SCHEMA, "max is smaller than min");
    return st;
}

static doc_status parse_field(pctx *c, const cJSON *v, void *out, void *arg) {
    (void)arg;
    doc_field *f = out;
    /* the keys each field type takes; the validator rejects others (a "min" on a text field is a mistake) */
    static const char *const text_keys[] = {"id", "type", "label", "lines", "placeholder", NULL};
    static const char *const scale_keys[] = {"id", "type", "label", "min", "max", "min_label", "max_label", NULL};
    static const char *const choice_keys[] = {"id", "type", "label", "multiple", "options", NULL};
    static const char *const checklist_keys[] = {"id", "type", "label", "items", NULL};
    static const char *const table_keys[] = {"id", "type", "label", "columns", "rows", NULL};
    doc_status st = need_object(c, v);
    if (!st) st = get_id(c, v, "id", &f->id);
    const char *type = NULL;
    if (!st) st = get_string(c, v, "type", true, &type);
    if (!st) st = get_string(c, v, "label", true, &f->label);
    if (st) return st;
    const char *const *keys = strcmp(type, "text") == 0        ? text_keys
                              : strcmp(type, "scale") == 0     ? scale_keys
                              : strcmp(type, "choice") == 0    ? choice_keys
                              : strcmp(type, "checklist") == 0 ? checklist_keys
                              : strcmp(type, "table") == 0     ? table_keys
                                                               : NULL;
    if (keys && !check_keys(c, v, keys)) return DOC_ERR_SCHEMA;
    if (strcmp(type, "text") == 0) {
        f->type = DOC_FIELD_TEXT;
        st = get_int(c, v, "lines", false, 1, MS_DOC_MAX_FIELD_LINES, 3, &f->lines);
        if (!st) st = get_string(c, v, "placeholder", false, &f->placeholder);
    } else if (strcmp(type, "scale") == 0) {
        f->type = DOC_FIELD_SCALE;
        st = get_int(c, v, "min", false, -MS_DOC_MAX_SCALE_END, MS_DOC_MAX_SCALE_END, 0, &f->min);
        if (!st) st = get_int(c, v, "max", false, -MS_DOC_MAX_SCALE_END, MS_DOC_MAX_SCALE_END, 10, &f->max);
        if (!st && (f->max <= f->min || f->max - f->min > MS_DOC_MAX_SCALE_STEPS))
            st = fail(c, DOC_ERR_SCHEMA, "a scale needs min < max and at most 100 steps");
        if (!st) st = get_string(c, v, "min_label", false, &f->min_label);
        if (!st) st = get_string(c, v, "max_label", false, &f->max_label);
    } else if (strcmp(type, "choice") == 0) {
        f->type = DOC_FIELD_CHOICE;
        st = get_bool(c, v, "multiple", false, &f->multiple);
        if (!st) st = get_strings(c, v, "options", &f->options, &f->n_options);
    } else if (strcmp(type, "checklist") == 0) {
        f->type = DOC_FIELD_CHECKLIST;
        st = get_strings(c, v, "items", &f->options, &f->n_options);
    } else if (strcmp(type, "table") == 0) {
        f->type = DOC_FIELD_TABLE;
        void *cols;
        st = parse_list(c, v, "columns", true, MS_DOC_MAX_COLUMNS, sizeof(doc_column), parse_column, NULL, &cols,
                        &f->n_columns);
        f->columns = cols;
        if (!st) st = get_int(c, v, "rows", false, 1, MS_DOC_MAX_TABLE_ROWS, 3, &f->rows);
    } else {
        size_t o = push_key(c, "type");
        st = fail(c, DOC_ERR_SCHEMA, "unknown field type \"%s\" (text, scale, choice, checklist or table)", type);
        pop(c, o);
    }
    return st;
}

static doc_status el_option(pctx *c, const cJSON *v, void *out, void *arg) {
    (void)arg;
    static const char *const keys[] = {"label", "score", NULL};
    doc_option *opt = out;
    doc_status st = need_object(c, v);
    if (!st && !check_keys(c, v, keys)) st = DOC_ERR_SCHEMA;
    if (!st) st = get_string(c, v, "label", true, &opt->label);
    if (!st) st = get_int(c, v, "score", true, -MS_DOC_MAX_OPTION_SCORE, MS_DOC_MAX_OPTION_SCORE, 0, &opt->score);
    return st;
}

/* obj.options; when present it must not be empty, even where it is optional (an item's own options). */
static doc_status parse_options(pctx *c, const cJSON *obj, bool required, const doc_option **out, size_t *n_out) {
    void *opts;
    const cJSON *present = cJSON_GetObjectItemCaseSensitive(obj, "options");
    doc_status st = parse_list(c, obj, "options", required || present, MS_DOC_MAX_ITEMS, sizeof(doc_option), el_option,
                               NULL, &opts, n_out);
    *out = opts;
    return st;
}

static doc_status el_qitem(pctx *c, const cJSON *v, void *out, void *arg) {
    static const char *const keys[] = {"id", "text", "options", NULL};
    const doc_block *b = arg;
    doc_qitem *item = out;
    doc_status st = need_object(c, v);
    if (!st && !check_keys(c, v, keys)) st = DOC_ERR_SCHEMA;
    if (!st) st = get_id(c, v, "id", &item->id);
    if (!st) st = get_string(c, v, "text", true, &item->text);
    if (!st) st = parse_options(c, v, false, &item->options, &item->n_options);
    if (!st && !item->options) {
        item->options = b->options;
        item->n_options = b->n_options;
    }
    return st;
}

static doc_status el_band(pctx *c, const cJSON *v, void *out, void *arg) {
    (void)arg;
    static const char *const keys[] = {"min", "max", "label", NULL};
    doc_band *band = out;
    doc_status st = need_object(c, v);
    if (!st && !check_keys(c, v, keys)) st = DOC_ERR_SCHEMA;
    if (!st) st = get_int(c, v, "min", true, -MS_DOC_MAX_BAND_VALUE, MS_DOC_MAX_BAND_VALUE, 0, &band->min);
    if (!st) st = get_int(c, v, "max", true, -MS_DOC_MAX_BAND_VALUE, MS_DOC_MAX_BAND_VALUE, 0, &band->max);
    if (!st) st = get_string(c, v, "label", true, &band->label);
    if (!st && band->max < band->min) st = fail(c, DOC_ERR_SCHEMA, "max is smaller than min");
    return st;
}

static doc_status parse_questionnaire(pctx *c, const cJSON *v, doc_block *b) {
    doc_status st = get_string(c, v, "title", true, &b->title);
    if (!st) st = get_string(c, v, "instrument", false, &b->instrument);
    if (!st) st = get_text(c, v, "intro", false, &b->text);
    if (!st) st = parse_options(c, v, true, &b->options, &b->n_options);
    void *items;
    if (!st) {
        st = parse_list(c, v, "items", true, MS_DOC_MAX_ITEMS, sizeof(doc_qitem), el_qitem, b, &items, &b->n_qitems);
        b->qitems = items;
    }
    if (st) return st;

    const cJSON *scoring = cJSON_GetObjectItemCaseSensitive(v, "scoring");
    if (!scoring) return DOC_OK;
    size_t o = push_key(c, "scoring");
    static const char *const skeys[] = {"method", "bands", NULL};
    st = need_object(c, scoring);
    if (!st && !check_keys(c, scoring, skeys)) st = DOC_ERR_SCHEMA;
    const char *method = NULL;
    if (!st) st = get_string(c, scoring, "method", true, &method);
    if (!st && strcmp(method, "sum") != 0) {
        size_t o2 = push_key(c, "method");
        st = fail(c, DOC_ERR_SCHEMA, "the only scoring method is \"sum\"");
        pop(c, o2);
    }
    void *bands;
    if (!st) {
        st = parse_list(c, scoring, "bands", false, MS_DOC_MAX_BANDS, sizeof(doc_band), el_band, NULL, &bands,
                        &b->n_bands);
        b->bands = bands;
    }
    /* bands must not overlap, or a score would have two meanings */
    for (size_t i = 0; !st && i < b->n_bands; i++) {
        for (size_t k = 0; !st && k < i; k++) {
            if (b->bands[i].min <= b->bands[k].max && b->bands[k].min <= b->bands[i].max) {
                size_t o2 = push_key(c, "bands");
                size_t o3 = push_index(c, i);
                st = fail(c, DOC_ERR_SCHEMA, "this band overlaps band %zu", k);
                pop(c, o3);
                pop(c, o2);
            }
        }
    }
    pop(c, o);
    return st;
}

static doc_status parse_block(pctx *c, const cJSON *v, void *out, void *arg) {
    (void)arg;
    doc_block *b = out;
    doc_status st = need_object(c, v);
    if (!st) st = get_id(c, v, "id", &b->id);
    const char *type = NULL;
    if (!st) st = get_string(c, v, "type", true, &type);
    if (st) return st;

    if (strcmp(type, "heading") == 0) {
        static const char *const keys[] = {"id", "type", "level", "text", NULL};
        b->type = DOC_BLOCK_HEADING;
        if (!check_keys(c, v, keys)) return DOC_ERR_SCHEMA;
        st = get_int(c, v, "level", false, 1, 3, 1, &b->level);
        if (!st) st = get_string(c, v, "text", true, &b->heading);
    } else if (strcmp(type, "paragraph") == 0) {
        static const char *const keys[] = {"id", "type", "text", NULL};
        b->type = DOC_BLOCK_PARAGRAPH;
        if (!check_keys(c, v, keys)) return DOC_ERR_SCHEMA;
        st = get_text(c, v, "text", true, &b->text);
    } else if (strcmp(type, "list") == 0) {
        static const char *const keys[] = {"id", "type", "ordered", "items", NULL};
        b->type = DOC_BLOCK_LIST;
        if (!check_keys(c, v, keys)) return DOC_ERR_SCHEMA;
        st = get_bool(c, v, "ordered", false, &b->ordered);
        if (!st) st = get_text_items(c, v, "items", &b->items, &b->n_items);
    } else if (strcmp(type, "image") == 0) {
        static const char *const keys[] = {"id", "type", "src", "alt", "caption", "aspect", NULL};
        b->type = DOC_BLOCK_IMAGE;
        if (!check_keys(c, v, keys)) return DOC_ERR_SCHEMA;
        st = get_string(c, v, "src", true, &b->src);
        if (!st && (strstr(b->src, "..") || b->src[0] == '/')) {
            size_t o = push_key(c, "src");
            st = fail(c, DOC_ERR_SCHEMA, "src must be a path inside the programme directory");
            pop(c, o);
        }
        if (!st) st = get_string(c, v, "alt", true, &b->alt);
        if (!st) st = get_string(c, v, "caption", false, &b->caption);
        const cJSON *asp = cJSON_GetObjectItemCaseSensitive(v, "aspect");
        if (!st && asp) {
            size_t o = push_key(c, "aspect");
            if (!cJSON_IsNumber(asp) || asp->valuedouble < 0.1 || asp->valuedouble > 10)
                st = fail(c, DOC_ERR_SCHEMA, "aspect is a number from 0.1 to 10 (width / height)");
            else
                b->aspect = asp->valuedouble;
            pop(c, o);
        }
    } else if (strcmp(type, "callout") == 0) {
        static const char *const keys[] = {"id", "type", "tone", "title", "text", NULL};
        b->type = DOC_BLOCK_CALLOUT;
        if (!check_keys(c, v, keys)) return DOC_ERR_SCHEMA;
        const char *tone = NULL;
        st = get_string(c, v, "tone", false, &tone);
        if (!st) {
            if (!tone || strcmp(tone, "info") == 0)
                b->tone = DOC_TONE_INFO;
            else if (strcmp(tone, "tip") == 0)
                b->tone = DOC_TONE_TIP;
            else if (strcmp(tone, "important") == 0)
                b->tone = DOC_TONE_IMPORTANT;
            else {
                size_t o = push_key(c, "tone");
                st = fail(c, DOC_ERR_SCHEMA, "tone must be \"info\", \"tip\" or \"important\"");
                pop(c, o);
            }
        }
        if (!st) st = get_string(c, v, "title", false, &b->title);
        if (!st) st = get_text(c, v, "text", true, &b->text);
    } else if (strcmp(type, "summary") == 0) {
        static const char *const keys[] = {"id", "type", "title", "items", NULL};
        b->type = DOC_BLOCK_SUMMARY;
        if (!check_keys(c, v, keys)) return DOC_ERR_SCHEMA;
        st = get_string(c, v, "title", false, &b->title);
        if (!st) st = get_text_items(c, v, "items", &b->items, &b->n_items);
    } else if (strcmp(type, "exercise") == 0) {
        static const char *const keys[] = {"id", "type", "title", "intro", "fields", NULL};
        b->type = DOC_BLOCK_EXERCISE;
        if (!check_keys(c, v, keys)) return DOC_ERR_SCHEMA;
        st = get_string(c, v, "title", true, &b->title);
        if (!st) st = get_text(c, v, "intro", false, &b->text);
        void *fields;
        if (!st) {
            st = parse_list(c, v, "fields", true, MS_DOC_MAX_ITEMS, sizeof(doc_field), parse_field, NULL, &fields,
                            &b->n_fields);
            b->fields = fields;
        }
    } else if (strcmp(type, "questionnaire") == 0) {
        static const char *const keys[] = {"id",      "type",  "instrument", "title", "intro",
                                           "options", "items", "scoring",    NULL};
        b->type = DOC_BLOCK_QUESTIONNAIRE;
        if (!check_keys(c, v, keys)) return DOC_ERR_SCHEMA;
        st = parse_questionnaire(c, v, b);
    } else {
        size_t o = push_key(c, "type");
        st = fail(c, DOC_ERR_SCHEMA,
                  "unknown block type \"%s\" (heading, paragraph, list, image, callout, summary, exercise or "
                  "questionnaire)",
                  type);
        pop(c, o);
    }
    return st;
}

static doc_status el_page(pctx *c, const cJSON *v, void *out, void *arg) {
    (void)arg;
    static const char *const keys[] = {"id", "title", "blocks", NULL};
    doc_page *page = out;
    doc_status st = need_object(c, v);
    if (!st && !check_keys(c, v, keys)) st = DOC_ERR_SCHEMA;
    if (!st) st = get_id(c, v, "id", &page->id);
    if (!st) st = get_string(c, v, "title", true, &page->title);
    void *blocks;
    if (!st) {
        st = parse_list(c, v, "blocks", true, MS_DOC_MAX_BLOCKS, sizeof(doc_block), parse_block, NULL, &blocks,
                        &page->n_blocks);
        page->blocks = blocks;
    }
    return st;
}

static doc_status parse_pages(pctx *c, const cJSON *root, doc_module *m) {
    void *pages;
    doc_status st =
        parse_list(c, root, "pages", true, MS_DOC_MAX_PAGES, sizeof(doc_page), el_page, NULL, &pages, &m->n_pages);
    m->pages = pages;
    return st;
}

/* ---- documents -------------------------------------------------------------------------------------------- */

static void err_reset(doc_error *err) {
    if (err) memset(err, 0, sizeof *err);
}

static doc_status el_module(pctx *c, const cJSON *v, void *out, void *arg) {
    (void)arg;
    static const char *const keys[] = {"id", "number", "title", "file", "unlocked", "opens_after", NULL};
    doc_module *m = out;
    doc_status st = need_object(c, v);
    if (!st && !check_keys(c, v, keys)) st = DOC_ERR_SCHEMA;
    if (!st) st = get_id(c, v, "id", &m->id);
    if (!st) st = get_int(c, v, "number", true, 1, MS_DOC_MAX_MODULE_NUMBER, 1, &m->number);
    if (!st) st = get_string(c, v, "title", true, &m->title);
    if (!st) st = get_string(c, v, "file", true, &m->file);
    if (!st && (strstr(m->file, "..") || m->file[0] == '/')) {
        size_t o = push_key(c, "file");
        st = fail(c, DOC_ERR_SCHEMA, "file must be a path inside the programme directory");
        pop(c, o);
    }
    if (!st) st = get_bool(c, v, "unlocked", false, &m->unlocked);
    if (!st && cJSON_GetObjectItemCaseSensitive(v, "opens_after")) st = get_id(c, v, "opens_after", &m->opens_after);
    return st;
}

static doc_status parse_programme_ctx(pctx *c, const char *json, size_t len, doc_programme **out) {
    *out = NULL;
    cJSON *root = parse_json(c, json, len);
    if (!root) return c->err ? c->err->status : DOC_ERR_SYNTAX;
    doc_programme *p = NULL;
    arena *a = arena_new();
    doc_status st = a ? DOC_OK : fail(c, DOC_ERR_NOMEM, "out of memory");
    if (!st) {
        c->a = a;
        p = alloc_n(c, 1, sizeof *p);
        if (!p) st = DOC_ERR_NOMEM;
    }
    static const char *const keys[] = {"format",      "id",     "title",   "language", "demo",
                                       "description", "clinic", "modules", NULL};
    if (!st) st = need_object(c, root);
    if (!st && !check_keys(c, root, keys)) st = DOC_ERR_SCHEMA;
    int format = 0;
    if (!st) st = get_int(c, root, "format", true, 1, 1, 1, &format);
    if (!st) st = get_id(c, root, "id", &p->id);
    if (!st) st = get_string(c, root, "title", true, &p->title);
    if (!st) st = get_string(c, root, "language", true, &p->language);
    if (!st && strcmp(p->language, "nb") != 0 && strcmp(p->language, "nn") != 0 && strcmp(p->language, "en") != 0) {
        size_t o = push_key(c, "language");
        st = fail(c, DOC_ERR_SCHEMA, "language must be \"nb\", \"nn\" or \"en\"");
        pop(c, o);
    }
    if (!st) st = get_bool(c, root, "demo", false, &p->demo);
    if (!st) st = get_string(c, root, "description", false, &p->description);
    const cJSON *clinic = st ? NULL : cJSON_GetObjectItemCaseSensitive(root, "clinic");
    if (clinic) {
        static const char *const ckeys[] = {"name", "phone", "hours", NULL};
        size_t o = push_key(c, "clinic");
        st = need_object(c, clinic);
        if (!st && !check_keys(c, clinic, ckeys)) st = DOC_ERR_SCHEMA;
        if (!st) st = get_string(c, clinic, "name", false, &p->clinic_name);
        if (!st) st = get_string(c, clinic, "phone", false, &p->clinic_phone);
        if (!st) st = get_string(c, clinic, "hours", false, &p->clinic_hours);
        pop(c, o);
    }
    void *mods;
    if (!st) {
        st = parse_list(c, root, "modules", true, MS_DOC_MAX_MODULES, sizeof(doc_module), el_module, NULL, &mods,
                        &p->n_modules);
        p->modules = mods;
    }
    /* ids and numbers are how positions, unlocks and the server name a module: each once */
    for (size_t i = 0; !st && i < p->n_modules; i++) {
        for (size_t k = 0; !st && k < i; k++) {
            const doc_module *m = &p->modules[i], *other = &p->modules[k];
            bool same_id = strcmp(other->id, m->id) == 0;
            if (same_id || other->number == m->number) {
                size_t o = push_key(c, "modules");
                size_t o2 = push_index(c, i);
                if (same_id)
                    st = fail(c, DOC_ERR_SCHEMA, "module id \"%s\" is used twice", m->id);
                else
                    st = fail(c, DOC_ERR_SCHEMA, "module number %d is used twice", m->number);
                pop(c, o2);
                pop(c, o);
            }
        }
    }
    cJSON_Delete(root);
    if (st) {
        arena_free(a);
        return st;
    }
    p->arena = a;
    *out = p;
    return DOC_OK;
}

doc_status doc_parse_programme(const char *json, size_t len, const char *file, doc_programme **out, doc_error *err) {
    doc_error local;
    if (!err) err = &local;
    err_reset(err);
    pctx c = {.err = err, .file = file};
    return parse_programme_ctx(&c, json, len, out);
}

static doc_status parse_module_ctx(pctx *c, doc_programme *prog, size_t index, const char *json, size_t len) {
    if (index >= prog->n_modules) return fail(c, DOC_ERR_SCHEMA, "no module %zu in the programme", index);
    cJSON *root = parse_json(c, json, len);
    if (!root) return c->err->status;
    c->a = prog->arena;
    doc_module tmp = prog->modules[index];
    static const char *const keys[] = {"format", "id", "title", "pages", NULL};
    doc_status st = need_object(c, root);
    if (!st && !check_keys(c, root, keys)) st = DOC_ERR_SCHEMA;
    int format = 0;
    const char *id = NULL, *title = NULL;
    if (!st) st = get_int(c, root, "format", true, 1, 1, 1, &format);
    if (!st) st = get_id(c, root, "id", &id);
    if (!st && strcmp(id, tmp.id) != 0) {
        size_t o = push_key(c, "id");
        st = fail(c, DOC_ERR_SCHEMA, "the module id is \"%s\" but programme.json lists \"%s\"", id, tmp.id);
        pop(c, o);
    }
    if (!st) st = get_string(c, root, "title", true, &title);
    if (!st) st = parse_pages(c, root, &tmp);
    cJSON_Delete(root);
    if (st) return st; /* the arena keeps the partial allocations until the programme is freed: harmless */
    prog->modules[index] = tmp;
    return DOC_OK;
}

doc_status doc_parse_module(doc_programme *prog, size_t index, const char *json, size_t len, const char *file,
                            doc_error *err) {
    doc_error local;
    if (!err) err = &local;
    err_reset(err);
    pctx c = {.err = err, .file = file};
    return parse_module_ctx(&c, prog, index, json, len);
}

/* ---- files ------------------------------------------------------------------------------------------------ */

/* Reads a whole file, refusing more than MS_DOC_MAX_BYTES. Caller frees. */
static char *read_file(const char *path, size_t *len, pctx *c) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fail(c, DOC_ERR_IO, "cannot open the file: %s", strerror(errno));
        return NULL;
    }
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fclose(f);
        fail(c, DOC_ERR_IO, "not a regular file");
        return NULL;
    }
    if ((unsigned long long)sb.st_size > MS_DOC_MAX_BYTES) {
        fclose(f);
        fail(c, DOC_ERR_LIMIT, "the document is %lld bytes; at most %u are allowed", (long long)sb.st_size,
             MS_DOC_MAX_BYTES);
        return NULL;
    }
    size_t size = (size_t)sb.st_size;
    char *buf = malloc(size + 1);
    if (!buf) {
        fclose(f);
        fail(c, DOC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    size_t got = fread(buf, 1, size, f);
    fclose(f);
    if (got != size) {
        free(buf);
        fail(c, DOC_ERR_IO, "the file could not be read whole");
        return NULL;
    }
    buf[size] = '\0';
    *len = size;
    return buf;
}

static doc_status load_dir(const char *dir, doc_programme **out, doc_error *err, bool strict) {
    err_reset(err);
    *out = NULL;
    char path[1024];
    snprintf(path, sizeof path, "%s/programme.json", dir);
    pctx c = {.err = err, .file = "programme.json", .strict = strict};
    size_t len = 0;
    char *json = read_file(path, &len, &c);
    if (!json) return err->status;
    doc_programme *p = NULL;
    doc_status st = parse_programme_ctx(&c, json, len, &p);
    free(json);
    if (st) return st;
    for (size_t i = 0; i < p->n_modules && !st; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, p->modules[i].file);
        pctx mc = {.err = err, .file = p->modules[i].file, .strict = strict};
        json = read_file(path, &len, &mc);
        if (!json) {
            st = err->status;
            break;
        }
        st = parse_module_ctx(&mc, p, i, json, len);
        free(json);
    }
    if (!st) {
        p->dir = arena_strndup(p->arena, dir, strlen(dir));
        if (!p->dir) st = DOC_ERR_NOMEM;
    }
    if (st) {
        doc_programme_free(p);
        return st;
    }
    *out = p;
    return DOC_OK;
}

doc_status doc_load_dir(const char *dir, doc_programme **out, doc_error *err) {
    doc_error local;
    return load_dir(dir, out, err ? err : &local, false);
}

/* Cross-document checks for the validator: ids unique across the programme, images present. */
typedef struct {
    const char **ids;
    size_t n, cap;
} idset;

static bool idset_add(idset *s, const char *id) {
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->ids[i], id) == 0) return false;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        const char **n = realloc(s->ids, cap * sizeof *n);
        if (!n) return true; /* cannot check further; not a content problem */
        s->ids = n;
        s->cap = cap;
    }
    s->ids[s->n++] = id;
    return true;
}

/* Reports id as a duplicate at `where` when it was seen before in the programme. */
static void check_unique(idset *ids, const char *id, const char *where, int *problems,
                         void (*report)(void *ctx, const char *where, const char *msg), void *ctx) {
    if (idset_add(ids, id)) return;
    char msg[256];
    snprintf(msg, sizeof msg, "id \"%s\" is used more than once in the programme", id);
    report(ctx, where, msg);
    (*problems)++;
}

const doc_block *doc_find_any_block(const doc_programme *prog, const char *id);
const doc_block *doc_module_gate(const doc_programme *prog, const doc_module *mod);

int doc_validate_dir(const char *dir, void (*report)(void *ctx, const char *where, const char *msg), void *ctx) {
    doc_error err;
    doc_programme *p = NULL;
    if (load_dir(dir, &p, &err, true) != DOC_OK) {
        report(ctx, err.where, err.msg);
        return 1;
    }
    int problems = 0;
    idset ids = {0};
    char where[512], msg[256];
    for (size_t m = 0; m < p->n_modules; m++) {
        const doc_module *mod = &p->modules[m];
        snprintf(where, sizeof where, "programme.json: $.modules[%zu].id", m);
        check_unique(&ids, mod->id, where, &problems, report, ctx);
        for (size_t pg = 0; pg < mod->n_pages; pg++) {
            const doc_page *page = &mod->pages[pg];
            snprintf(where, sizeof where, "%s: $.pages[%zu].id", mod->file, pg);
            check_unique(&ids, page->id, where, &problems, report, ctx);
            for (size_t b = 0; b < page->n_blocks; b++) {
                const doc_block *blk = &page->blocks[b];
                snprintf(where, sizeof where, "%s: $.pages[%zu].blocks[%zu].id", mod->file, pg, b);
                check_unique(&ids, blk->id, where, &problems, report, ctx);
                /* answers will refer to field and item ids: they must be unique too */
                for (size_t f = 0; f < blk->n_fields; f++) {
                    snprintf(where, sizeof where, "%s: $.pages[%zu].blocks[%zu].fields[%zu].id", mod->file, pg, b, f);
                    check_unique(&ids, blk->fields[f].id, where, &problems, report, ctx);
                    const doc_field *fd = &blk->fields[f];
                    for (size_t k = 0; k < fd->n_columns; k++)
                        for (size_t j = 0; j < k; j++)
                            if (strcmp(fd->columns[j].id, fd->columns[k].id) == 0) {
                                snprintf(where, sizeof where,
                                         "%s: $.pages[%zu].blocks[%zu].fields[%zu].columns[%zu].id", mod->file, pg, b,
                                         f, k);
                                snprintf(msg, sizeof msg, "column id \"%s\" is used twice in this table",
                                         fd->columns[k].id);
                                report(ctx, where, msg);
                                problems++;
                            }
                }
                for (size_t q = 0; q < blk->n_qitems; q++) {
                    snprintf(where, sizeof where, "%s: $.pages[%zu].blocks[%zu].items[%zu].id", mod->file, pg, b, q);
                    check_unique(&ids, blk->qitems[q].id, where, &problems, report, ctx);
                }
                if (blk->type == DOC_BLOCK_IMAGE) {
                    /* the same checks the reader makes before it decodes an image (image.h): one it would
                     * refuse is a problem here, so a clinic learns before a patient sees only the alt text */
                    char path[1024], why[200];
                    image_info info;
                    snprintf(path, sizeof path, "%s/%s", dir, blk->src);
                    image_status ist = image_load_file(path, NULL, NULL, &info, why, sizeof why);
                    if (ist != IMAGE_OK) {
                        snprintf(where, sizeof where, "%s: $.pages[%zu].blocks[%zu].src", mod->file, pg, b);
                        if (ist == IMAGE_MISSING)
                            snprintf(msg, sizeof msg, "image file \"%s\" does not exist", blk->src);
                        else
                            snprintf(msg, sizeof msg, "image \"%s\" will not be shown: %s", blk->src, why);
                        report(ctx, where, msg);
                        problems++;
                    }
                }
            }
        }
    }
    /* a module that opens after a questionnaire must name one that exists */
    for (size_t m = 0; m < p->n_modules; m++) {
        if (p->modules[m].opens_after && !doc_module_gate(p, &p->modules[m])) {
            snprintf(where, sizeof where, "programme.json: $.modules[%zu].opens_after", m);
            snprintf(msg, sizeof msg, "\"%s\" is not the id of a questionnaire block", p->modules[m].opens_after);
            report(ctx, where, msg);
            problems++;
        }
    }
    free(ids.ids);
    doc_programme_free(p);
    return problems;
}

const doc_block *doc_module_gate(const doc_programme *prog, const doc_module *mod) {
    const doc_block *q = mod->opens_after ? doc_find_any_block(prog, mod->opens_after) : NULL;
    return q && q->type == DOC_BLOCK_QUESTIONNAIRE && q->title ? q : NULL;
}

const doc_block *doc_find_any_block(const doc_programme *prog, const char *id) {
    for (size_t m = 0; m < prog->n_modules; m++)
        for (size_t pg = 0; pg < prog->modules[m].n_pages; pg++) {
            const doc_page *page = &prog->modules[m].pages[pg];
            for (size_t b = 0; b < page->n_blocks; b++)
                if (strcmp(page->blocks[b].id, id) == 0) return &page->blocks[b];
        }
    return NULL;
}

void doc_programme_free(doc_programme *prog) {
    if (!prog) return;
    arena_free(prog->arena); /* prog itself lives in the arena */
}

const doc_module *doc_find_module(const doc_programme *prog, const char *id) {
    for (size_t i = 0; i < prog->n_modules; i++)
        if (strcmp(prog->modules[i].id, id) == 0) return &prog->modules[i];
    return NULL;
}

int doc_find_page(const doc_module *mod, const char *page_id) {
    for (size_t i = 0; i < mod->n_pages; i++)
        if (strcmp(mod->pages[i].id, page_id) == 0) return (int)i;
    return -1;
}

int doc_find_block(const doc_page *page, const char *block_id) {
    for (size_t i = 0; i < page->n_blocks; i++)
        if (strcmp(page->blocks[i].id, block_id) == 0) return (int)i;
    return -1;
}

static size_t count_words(const char *s) {
    size_t n = 0;
    bool in_word = false;
    for (; s && *s; s++) {
        bool space = *s == ' ' || *s == '\n' || *s == '\t' || *s == '\r';
        if (!space && !in_word) n++;
        in_word = !space;
    }
    return n;
}

static size_t text_words(const doc_text *t) {
    /* spans may split a word ("viktig" + "."), so count on the joined text */
    size_t need = doc_text_plain(t, NULL, 0);
    char small[4096];
    char *buf = need < sizeof small ? small : malloc(need + 1);
    if (!buf) return 0;
    doc_text_plain(t, buf, need + 1);
    size_t n = count_words(buf);
    if (buf != small) free(buf);
    return n;
}

size_t doc_page_word_count(const doc_page *page) {
    size_t n = 0;
    for (size_t i = 0; i < page->n_blocks; i++) {
        const doc_block *b = &page->blocks[i];
        n += count_words(b->heading) + count_words(b->title) + count_words(b->alt) + count_words(b->caption);
        n += text_words(&b->text);
        for (size_t k = 0; k < b->n_items; k++)
            n += text_words(&b->items[k]);
        for (size_t k = 0; k < b->n_fields; k++)
            n += count_words(b->fields[k].label);
        for (size_t k = 0; k < b->n_qitems; k++)
            n += count_words(b->qitems[k].text);
    }
    return n;
}

size_t doc_text_plain(const doc_text *t, char *buf, size_t cap) {
    size_t need = 0;
    for (size_t i = 0; i < t->n_spans; i++) {
        size_t l = strlen(t->spans[i].text);
        if (buf && cap && need < cap - 1) {
            size_t room = cap - 1 - need;
            memcpy(buf + need, t->spans[i].text, l < room ? l : room);
        }
        need += l;
    }
    if (buf && cap) buf[need < cap ? need : cap - 1] = '\0';
    return need;
}

/* ---- questionnaire scoring ------------------------------------------------------------------------------ */

const doc_option *doc_item_options(const doc_block *q, size_t item, size_t *n) {
    if (item < q->n_qitems && q->qitems[item].n_options) {
        *n = q->qitems[item].n_options;
        return q->qitems[item].options;
    }
    *n = q->n_options;
    return q->options;
}

int doc_questionnaire_max(const doc_block *q) {
    int total = 0;
    for (size_t i = 0; i < q->n_qitems; i++) {
        size_t n;
        const doc_option *o = doc_item_options(q, i, &n);
        int best = 0;
        for (size_t k = 0; k < n; k++)
            if (k == 0 || o[k].score > best) best = o[k].score;
        total += best;
    }
    return total;
}

const char *doc_questionnaire_band(const doc_block *q, int total) {
    for (size_t i = 0; i < q->n_bands; i++)
        if (total >= q->bands[i].min && total <= q->bands[i].max) return q->bands[i].label;
    return NULL;
}
