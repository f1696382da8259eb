/* doc_json.c — the parse context and the content format's value types: strings (length- and UTF-8-checked), ids,
 * bounded whole numbers, booleans, arrays, running text with its spans, and lists of any element. Each read checks
 * the JSON type and the budget, and on failure records the first problem with the file and the JSON path. The seam:
 * this file says how a value is read; doc_parse.c says which values a document holds. Content is hostile: length
 * first, nesting depth before cJSON sees it, every field's type and size checked. */
#include "doc_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "jsondepth.h"
#include "meistring/config.h"
#include "meistring/utf8.h"

doc_status pctx_fail(pctx *c, doc_status st, const char *fmt, ...) {
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
size_t pctx_push_key(pctx *c, const char *key) {
    size_t old = c->plen;
    if (c->plen == 0) c->plen = (size_t)snprintf(c->path, sizeof c->path, "$");
    int n = snprintf(c->path + c->plen, sizeof c->path - c->plen, ".%s", key);
    if (n > 0) c->plen = c->plen + (size_t)n < sizeof c->path ? c->plen + (size_t)n : sizeof c->path - 1;
    return old;
}
size_t pctx_push_index(pctx *c, size_t i) {
    size_t old = c->plen;
    if (c->plen == 0) c->plen = (size_t)snprintf(c->path, sizeof c->path, "$");
    int n = snprintf(c->path + c->plen, sizeof c->path - c->plen, "[%zu]", i);
    if (n > 0) c->plen = c->plen + (size_t)n < sizeof c->path ? c->plen + (size_t)n : sizeof c->path - 1;
    return old;
}
void pctx_pop(pctx *c, size_t old) {
    c->plen = old;
    c->path[old] = '\0';
}

cJSON *pctx_parse_json(pctx *c, const char *json, size_t len) {
    if (len > MS_DOC_MAX_BYTES) {
        pctx_fail(c, DOC_ERR_LIMIT, "the document is %zu bytes; at most %u are allowed", len, MS_DOC_MAX_BYTES);
        return NULL;
    }
    if (json_nests_deeper_than(json, len, MS_DOC_MAX_DEPTH)) {
        pctx_fail(c, DOC_ERR_LIMIT, "the document nests deeper than %d levels", MS_DOC_MAX_DEPTH);
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
        pctx_fail(c, DOC_ERR_SYNTAX, "this is not valid JSON (problem near line %zu, byte %zu)", line, off);
        return NULL;
    }
    /* anything but white space after the value is an error too */
    if (end) {
        for (const char *p = end; p < json + len; p++) {
            if (*p != ' ' && *p != '\n' && *p != '\r' && *p != '\t' && *p != '\0') {
                cJSON_Delete(root);
                pctx_fail(c, DOC_ERR_SYNTAX, "there is text after the end of the JSON document");
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

bool pctx_check_keys(pctx *c, const cJSON *obj, const char *const *allowed) {
    if (!c->strict) return true;
    for (const cJSON *it = obj->child; it; it = it->next) {
        bool ok = strcmp(it->string, "$schema") == 0; /* lets an editor find docs/content.schema.json */
        for (const char *const *k = allowed; *k; k++)
            if (strcmp(*k, it->string) == 0) ok = true;
        if (!ok) {
            size_t o = pctx_push_key(c, it->string);
            pctx_fail(c, DOC_ERR_SCHEMA, "unknown field \"%s\" (a typing mistake?)", it->string);
            pctx_pop(c, o);
            return false;
        }
    }
    return true;
}

static doc_status conv_string(pctx *c, const cJSON *v, const char **out) {
    if (!cJSON_IsString(v)) return pctx_fail(c, DOC_ERR_SCHEMA, "expected a string, found %s", type_name(v));
    size_t len = strlen(v->valuestring);
    if (len > MS_DOC_MAX_STRING)
        return pctx_fail(c, DOC_ERR_LIMIT, "text is %zu bytes; at most %u are allowed", len, MS_DOC_MAX_STRING);
    if (!utf8_valid(v->valuestring, len)) return pctx_fail(c, DOC_ERR_SCHEMA, "text is not valid UTF-8");
    *out = arena_strndup(c->a, v->valuestring, len);
    return *out ? DOC_OK : pctx_fail(c, DOC_ERR_NOMEM, "out of memory");
}

/* Reads obj[key] as a string. Absent and optional: *out = NULL. */
doc_status pctx_get_string(pctx *c, const cJSON *obj, const char *key, bool required, const char **out) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = NULL;
    size_t o = pctx_push_key(c, key);
    doc_status st = DOC_OK;
    if (!v) {
        if (required) st = pctx_fail(c, DOC_ERR_SCHEMA, "required field is missing");
    } else {
        st = conv_string(c, v, out);
        if (st == DOC_OK && required && (*out)[0] == '\0') st = pctx_fail(c, DOC_ERR_SCHEMA, "must not be empty");
    }
    pctx_pop(c, o);
    return st;
}

doc_status pctx_get_id(pctx *c, const cJSON *obj, const char *key, const char **out) {
    doc_status st = pctx_get_string(c, obj, key, true, out);
    if (st) return st;
    size_t len = strlen(*out);
    size_t o = pctx_push_key(c, key);
    if (len > MS_DOC_MAX_ID) st = pctx_fail(c, DOC_ERR_LIMIT, "an id has at most %d characters", MS_DOC_MAX_ID);
    for (size_t i = 0; st == DOC_OK && i < len; i++) {
        char ch = (*out)[i];
        bool ok =
            (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
        if (!ok) st = pctx_fail(c, DOC_ERR_SCHEMA, "an id may hold only A–Z, a–z, 0–9, _ and -");
    }
    pctx_pop(c, o);
    return st;
}

doc_status pctx_get_int(pctx *c, const cJSON *obj, const char *key, bool required, int lo, int hi, int dflt, int *out) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = dflt;
    size_t o = pctx_push_key(c, key);
    doc_status st = DOC_OK;
    if (!v) {
        if (required) st = pctx_fail(c, DOC_ERR_SCHEMA, "required field is missing");
    } else if (!cJSON_IsNumber(v)) {
        st = pctx_fail(c, DOC_ERR_SCHEMA, "expected a whole number, found %s", type_name(v));
    } else if (!(v->valuedouble >= lo && v->valuedouble <= hi) || v->valuedouble != (double)(int)v->valuedouble) {
        /* the range test comes first: casting 1e10 (or NaN, or inf) to int is undefined behaviour */
        st = pctx_fail(c, DOC_ERR_SCHEMA, "expected a whole number from %d to %d", lo, hi);
    } else {
        *out = (int)v->valuedouble;
    }
    pctx_pop(c, o);
    return st;
}

doc_status pctx_get_bool(pctx *c, const cJSON *obj, const char *key, bool dflt, bool *out) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = dflt;
    if (!v) return DOC_OK;
    if (!cJSON_IsBool(v)) {
        size_t o = pctx_push_key(c, key);
        doc_status st = pctx_fail(c, DOC_ERR_SCHEMA, "expected true or false, found %s", type_name(v));
        pctx_pop(c, o);
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
    size_t o = pctx_push_key(c, key);
    doc_status st = DOC_OK;
    if (!v) {
        if (required) st = pctx_fail(c, DOC_ERR_SCHEMA, "required field is missing");
    } else if (!cJSON_IsArray(v)) {
        st = pctx_fail(c, DOC_ERR_SCHEMA, "expected an array, found %s", type_name(v));
    } else {
        int count = cJSON_GetArraySize(v);
        if (count > max)
            st = pctx_fail(c, DOC_ERR_LIMIT, "has %d entries; at most %d are allowed", count, max);
        else if (required && count == 0)
            st = pctx_fail(c, DOC_ERR_SCHEMA, "must have at least one entry");
        else {
            *arr = v;
            *n = (size_t)count;
        }
    }
    pctx_pop(c, o);
    return st;
}

void *pctx_alloc_n(pctx *c, size_t n, size_t size) {
    void *p = arena_alloc(c->a, (n ? n : 1) * size);
    if (!p) pctx_fail(c, DOC_ERR_NOMEM, "out of memory");
    return p;
}

/* ---- spans ----------------------------------------------------------------------------------------------- */

static doc_status conv_text(pctx *c, const cJSON *v, doc_text *out) {
    if (cJSON_IsString(v)) {
        doc_span *sp = pctx_alloc_n(c, 1, sizeof *sp);
        if (!sp) return DOC_ERR_NOMEM;
        doc_status st = conv_string(c, v, &sp->text);
        if (st) return st;
        sp->style = DOC_SPAN_PLAIN;
        out->spans = sp;
        out->n_spans = 1;
        return DOC_OK;
    }
    if (!cJSON_IsArray(v))
        return pctx_fail(c, DOC_ERR_SCHEMA, "expected text (a string or an array of spans), found %s", type_name(v));
    int n = cJSON_GetArraySize(v);
    if (n > MS_DOC_MAX_ITEMS) return pctx_fail(c, DOC_ERR_LIMIT, "more than %d spans", MS_DOC_MAX_ITEMS);
    doc_span *sp = pctx_alloc_n(c, (size_t)n, sizeof *sp);
    if (!sp) return DOC_ERR_NOMEM;
    size_t i = 0;
    for (const cJSON *it = v->child; it; it = it->next, i++) {
        size_t o = pctx_push_index(c, i);
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
                st = pctx_fail(c, DOC_ERR_SCHEMA, "a span object needs exactly one of strong, emphasis or term");
            } else if (!t && cJSON_GetObjectItemCaseSensitive(it, "explanation")) {
                st = pctx_fail(c, DOC_ERR_SCHEMA, "only a term span has an explanation");
            } else if (!pctx_check_keys(c, it, keys)) {
                st = DOC_ERR_SCHEMA;
            } else if (s) {
                sp[i].style = DOC_SPAN_STRONG;
                size_t o2 = pctx_push_key(c, "strong");
                st = conv_string(c, s, &sp[i].text);
                pctx_pop(c, o2);
            } else if (e) {
                sp[i].style = DOC_SPAN_EMPHASIS;
                size_t o2 = pctx_push_key(c, "emphasis");
                st = conv_string(c, e, &sp[i].text);
                pctx_pop(c, o2);
            } else {
                sp[i].style = DOC_SPAN_TERM;
                size_t o2 = pctx_push_key(c, "term");
                st = conv_string(c, t, &sp[i].text);
                pctx_pop(c, o2);
                if (!st) st = pctx_get_string(c, it, "explanation", true, &sp[i].explanation);
            }
        } else {
            st = pctx_fail(c, DOC_ERR_SCHEMA, "a span is a string or an object, found %s", type_name(it));
        }
        pctx_pop(c, o);
        if (st) return st;
    }
    out->spans = sp;
    out->n_spans = (size_t)n;
    return DOC_OK;
}

doc_status pctx_get_text(pctx *c, const cJSON *obj, const char *key, bool required, doc_text *out) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    memset(out, 0, sizeof *out);
    size_t o = pctx_push_key(c, key);
    doc_status st = DOC_OK;
    if (!v) {
        if (required) st = pctx_fail(c, DOC_ERR_SCHEMA, "required field is missing");
    } else {
        st = conv_text(c, v, out);
    }
    pctx_pop(c, o);
    return st;
}

/* Parses obj[key], an array of at most max elements (at least one when required), into a new arena array of
 * elem_size-byte elements, each parsed by fn with its index on the JSON path. Absent and optional: NULL, 0. */
doc_status pctx_parse_list(pctx *c, const cJSON *obj, const char *key, bool required, int max, size_t elem_size,
                           elem_fn fn, void *arg, void **out, size_t *n_out) {
    const cJSON *arr;
    size_t n;
    *out = NULL;
    *n_out = 0;
    doc_status st = get_array(c, obj, key, required, max, &arr, &n);
    if (st || !arr) return st;
    unsigned char *items = pctx_alloc_n(c, n, elem_size);
    if (!items) return DOC_ERR_NOMEM;
    size_t o = pctx_push_key(c, key);
    size_t i = 0;
    for (const cJSON *it = arr->child; it && !st; it = it->next, i++) {
        size_t o2 = pctx_push_index(c, i);
        st = fn(c, it, items + i * elem_size, arg);
        pctx_pop(c, o2);
    }
    pctx_pop(c, o);
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
doc_status pctx_get_text_items(pctx *c, const cJSON *obj, const char *key, const doc_text **out, size_t *n_out) {
    void *items;
    doc_status st =
        pctx_parse_list(c, obj, key, true, MS_DOC_MAX_ITEMS, sizeof(doc_text), el_text, NULL, &items, n_out);
    *out = items;
    return st;
}

/* An array of plain strings (choice options, checklist items). */
doc_status pctx_get_strings(pctx *c, const cJSON *obj, const char *key, const char *const **out, size_t *n_out) {
    void *items;
    doc_status st =
        pctx_parse_list(c, obj, key, true, MS_DOC_MAX_ITEMS, sizeof(const char *), el_string, NULL, &items, n_out);
    *out = items;
    return st;
}

doc_status pctx_need_object(pctx *c, const cJSON *v) {
    return cJSON_IsObject(v) ? DOC_OK : pctx_fail(c, DOC_ERR_SCHEMA, "expected an object, found %s", type_name(v));
}
