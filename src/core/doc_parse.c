/* doc_parse.c — parses programme and module documents (docs/content-format.md) into the doc.h model: exercise
 * fields, questionnaires and their scoring, blocks, pages, modules and the programme. The seam: doc_json.c reads
 * each value (type, size, the path in the message); this file says which values each object holds and how they
 * relate. Content comes from clinicians' files and from a server, so it is treated as hostile: length first,
 * nesting depth before cJSON sees it, every field's type and size checked, and the first problem reported with
 * the file and the JSON path. A document that fails is rejected whole; nothing half-parsed is returned. */
#include "doc_internal.h"

#include <string.h>

#include "meistring/config.h"

/* ---- exercise fields ------------------------------------------------------------------------------------ */

static doc_status parse_column(pctx *c, const cJSON *v, void *out, void *arg) {
    (void)arg;
    doc_column *col = out;
    static const char *const keys[] = {"id", "label", "question", "kind", "min", "max", NULL};
    doc_status st = pctx_need_object(c, v);
    if (!st && !pctx_check_keys(c, v, keys)) st = DOC_ERR_SCHEMA;
    if (!st) st = pctx_get_id(c, v, "id", &col->id);
    if (!st) st = pctx_get_string(c, v, "label", true, &col->label);
    if (!st) st = pctx_get_string(c, v, "question", false, &col->question);
    const char *kind = NULL;
    if (!st) st = pctx_get_string(c, v, "kind", false, &kind);
    if (!st) {
        if (!kind || strcmp(kind, "text") == 0)
            col->kind = DOC_COL_TEXT;
        else if (strcmp(kind, "number") == 0)
            col->kind = DOC_COL_NUMBER;
        else if (strcmp(kind, "date") == 0)
            col->kind = DOC_COL_DATE;
        else {
            size_t o = pctx_push_key(c, "kind");
            st = pctx_fail(c, DOC_ERR_SCHEMA, "kind must be \"text\", \"number\" or \"date\"");
            pctx_pop(c, o);
        }
    }
    if (!st) st = pctx_get_int(c, v, "min", false, -MS_DOC_MAX_COLUMN_VALUE, MS_DOC_MAX_COLUMN_VALUE, 0, &col->min);
    if (!st) st = pctx_get_int(c, v, "max", false, -MS_DOC_MAX_COLUMN_VALUE, MS_DOC_MAX_COLUMN_VALUE, 0, &col->max);
    /* either bound may stand alone; only a pair is compared */
    if (!st && cJSON_GetObjectItemCaseSensitive(v, "min") && cJSON_GetObjectItemCaseSensitive(v, "max") &&
        col->max < col->min)
        st = pctx_fail(c, DOC_ERR_SCHEMA, "max is smaller than min");
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
    doc_status st = pctx_need_object(c, v);
    if (!st) st = pctx_get_id(c, v, "id", &f->id);
    const char *type = NULL;
    if (!st) st = pctx_get_string(c, v, "type", true, &type);
    if (!st) st = pctx_get_string(c, v, "label", true, &f->label);
    if (st) return st;
    const char *const *keys = strcmp(type, "text") == 0        ? text_keys
                              : strcmp(type, "scale") == 0     ? scale_keys
                              : strcmp(type, "choice") == 0    ? choice_keys
                              : strcmp(type, "checklist") == 0 ? checklist_keys
                              : strcmp(type, "table") == 0     ? table_keys
                                                               : NULL;
    if (keys && !pctx_check_keys(c, v, keys)) return DOC_ERR_SCHEMA;
    if (strcmp(type, "text") == 0) {
        f->type = DOC_FIELD_TEXT;
        st = pctx_get_int(c, v, "lines", false, 1, MS_DOC_MAX_FIELD_LINES, 3, &f->lines);
        if (!st) st = pctx_get_string(c, v, "placeholder", false, &f->placeholder);
    } else if (strcmp(type, "scale") == 0) {
        f->type = DOC_FIELD_SCALE;
        st = pctx_get_int(c, v, "min", false, -MS_DOC_MAX_SCALE_END, MS_DOC_MAX_SCALE_END, 0, &f->min);
        if (!st) st = pctx_get_int(c, v, "max", false, -MS_DOC_MAX_SCALE_END, MS_DOC_MAX_SCALE_END, 10, &f->max);
        if (!st && (f->max <= f->min || f->max - f->min > MS_DOC_MAX_SCALE_STEPS))
            st = pctx_fail(c, DOC_ERR_SCHEMA, "a scale needs min < max and at most 100 steps");
        if (!st) st = pctx_get_string(c, v, "min_label", false, &f->min_label);
        if (!st) st = pctx_get_string(c, v, "max_label", false, &f->max_label);
    } else if (strcmp(type, "choice") == 0) {
        f->type = DOC_FIELD_CHOICE;
        st = pctx_get_bool(c, v, "multiple", false, &f->multiple);
        if (!st) st = pctx_get_strings(c, v, "options", &f->options, &f->n_options);
    } else if (strcmp(type, "checklist") == 0) {
        f->type = DOC_FIELD_CHECKLIST;
        st = pctx_get_strings(c, v, "items", &f->options, &f->n_options);
    } else if (strcmp(type, "table") == 0) {
        f->type = DOC_FIELD_TABLE;
        void *cols;
        st = pctx_parse_list(c, v, "columns", true, MS_DOC_MAX_COLUMNS, sizeof(doc_column), parse_column, NULL, &cols,
                             &f->n_columns);
        f->columns = cols;
        if (!st) st = pctx_get_int(c, v, "rows", false, 1, MS_DOC_MAX_TABLE_ROWS, 3, &f->rows);
    } else {
        size_t o = pctx_push_key(c, "type");
        st = pctx_fail(c, DOC_ERR_SCHEMA, "unknown field type \"%s\" (text, scale, choice, checklist or table)", type);
        pctx_pop(c, o);
    }
    return st;
}

static doc_status el_option(pctx *c, const cJSON *v, void *out, void *arg) {
    (void)arg;
    static const char *const keys[] = {"label", "score", NULL};
    doc_option *opt = out;
    doc_status st = pctx_need_object(c, v);
    if (!st && !pctx_check_keys(c, v, keys)) st = DOC_ERR_SCHEMA;
    if (!st) st = pctx_get_string(c, v, "label", true, &opt->label);
    if (!st) st = pctx_get_int(c, v, "score", true, -MS_DOC_MAX_OPTION_SCORE, MS_DOC_MAX_OPTION_SCORE, 0, &opt->score);
    return st;
}

/* obj.options; when present it must not be empty, even where it is optional (an item's own options). */
static doc_status parse_options(pctx *c, const cJSON *obj, bool required, const doc_option **out, size_t *n_out) {
    void *opts;
    const cJSON *present = cJSON_GetObjectItemCaseSensitive(obj, "options");
    doc_status st = pctx_parse_list(c, obj, "options", required || present, MS_DOC_MAX_ITEMS, sizeof(doc_option),
                                    el_option, NULL, &opts, n_out);
    *out = opts;
    return st;
}

static doc_status el_qitem(pctx *c, const cJSON *v, void *out, void *arg) {
    static const char *const keys[] = {"id", "text", "options", NULL};
    const doc_block *b = arg;
    doc_qitem *item = out;
    doc_status st = pctx_need_object(c, v);
    if (!st && !pctx_check_keys(c, v, keys)) st = DOC_ERR_SCHEMA;
    if (!st) st = pctx_get_id(c, v, "id", &item->id);
    if (!st) st = pctx_get_string(c, v, "text", true, &item->text);
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
    doc_status st = pctx_need_object(c, v);
    if (!st && !pctx_check_keys(c, v, keys)) st = DOC_ERR_SCHEMA;
    if (!st) st = pctx_get_int(c, v, "min", true, -MS_DOC_MAX_BAND_VALUE, MS_DOC_MAX_BAND_VALUE, 0, &band->min);
    if (!st) st = pctx_get_int(c, v, "max", true, -MS_DOC_MAX_BAND_VALUE, MS_DOC_MAX_BAND_VALUE, 0, &band->max);
    if (!st) st = pctx_get_string(c, v, "label", true, &band->label);
    if (!st && band->max < band->min) st = pctx_fail(c, DOC_ERR_SCHEMA, "max is smaller than min");
    return st;
}

static doc_status parse_questionnaire(pctx *c, const cJSON *v, doc_block *b) {
    doc_status st = pctx_get_string(c, v, "title", true, &b->title);
    if (!st) st = pctx_get_string(c, v, "instrument", false, &b->instrument);
    if (!st) st = pctx_get_text(c, v, "intro", false, &b->text);
    if (!st) st = parse_options(c, v, true, &b->options, &b->n_options);
    void *items;
    if (!st) {
        st = pctx_parse_list(c, v, "items", true, MS_DOC_MAX_ITEMS, sizeof(doc_qitem), el_qitem, b, &items,
                             &b->n_qitems);
        b->qitems = items;
    }
    if (st) return st;

    const cJSON *scoring = cJSON_GetObjectItemCaseSensitive(v, "scoring");
    if (!scoring) return DOC_OK;
    size_t o = pctx_push_key(c, "scoring");
    static const char *const skeys[] = {"method", "bands", NULL};
    st = pctx_need_object(c, scoring);
    if (!st && !pctx_check_keys(c, scoring, skeys)) st = DOC_ERR_SCHEMA;
    const char *method = NULL;
    if (!st) st = pctx_get_string(c, scoring, "method", true, &method);
    if (!st && strcmp(method, "sum") != 0) {
        size_t o2 = pctx_push_key(c, "method");
        st = pctx_fail(c, DOC_ERR_SCHEMA, "the only scoring method is \"sum\"");
        pctx_pop(c, o2);
    }
    void *bands;
    if (!st) {
        st = pctx_parse_list(c, scoring, "bands", false, MS_DOC_MAX_BANDS, sizeof(doc_band), el_band, NULL, &bands,
                             &b->n_bands);
        b->bands = bands;
    }
    /* bands must not overlap, or a score would have two meanings */
    for (size_t i = 0; !st && i < b->n_bands; i++) {
        for (size_t k = 0; !st && k < i; k++) {
            if (b->bands[i].min <= b->bands[k].max && b->bands[k].min <= b->bands[i].max) {
                size_t o2 = pctx_push_key(c, "bands");
                size_t o3 = pctx_push_index(c, i);
                st = pctx_fail(c, DOC_ERR_SCHEMA, "this band overlaps band %zu", k);
                pctx_pop(c, o3);
                pctx_pop(c, o2);
            }
        }
    }
    pctx_pop(c, o);
    return st;
}

static doc_status parse_block(pctx *c, const cJSON *v, void *out, void *arg) {
    (void)arg;
    doc_block *b = out;
    doc_status st = pctx_need_object(c, v);
    if (!st) st = pctx_get_id(c, v, "id", &b->id);
    const char *type = NULL;
    if (!st) st = pctx_get_string(c, v, "type", true, &type);
    if (st) return st;

    if (strcmp(type, "heading") == 0) {
        static const char *const keys[] = {"id", "type", "level", "text", NULL};
        b->type = DOC_BLOCK_HEADING;
        if (!pctx_check_keys(c, v, keys)) return DOC_ERR_SCHEMA;
        st = pctx_get_int(c, v, "level", false, 1, 3, 1, &b->level);
        if (!st) st = pctx_get_string(c, v, "text", true, &b->heading);
    } else if (strcmp(type, "paragraph") == 0) {
        static const char *const keys[] = {"id", "type", "text", NULL};
        b->type = DOC_BLOCK_PARAGRAPH;
        if (!pctx_check_keys(c, v, keys)) return DOC_ERR_SCHEMA;
        st = pctx_get_text(c, v, "text", true, &b->text);
    } else if (strcmp(type, "list") == 0) {
        static const char *const keys[] = {"id", "type", "ordered", "items", NULL};
        b->type = DOC_BLOCK_LIST;
        if (!pctx_check_keys(c, v, keys)) return DOC_ERR_SCHEMA;
        st = pctx_get_bool(c, v, "ordered", false, &b->ordered);
        if (!st) st = pctx_get_text_items(c, v, "items", &b->items, &b->n_items);
    } else if (strcmp(type, "image") == 0) {
        static const char *const keys[] = {"id", "type", "src", "alt", "caption", "aspect", NULL};
        b->type = DOC_BLOCK_IMAGE;
        if (!pctx_check_keys(c, v, keys)) return DOC_ERR_SCHEMA;
        st = pctx_get_string(c, v, "src", true, &b->src);
        if (!st && (strstr(b->src, "..") || b->src[0] == '/')) {
            size_t o = pctx_push_key(c, "src");
            st = pctx_fail(c, DOC_ERR_SCHEMA, "src must be a path inside the programme directory");
            pctx_pop(c, o);
        }
        if (!st) st = pctx_get_string(c, v, "alt", true, &b->alt);
        if (!st) st = pctx_get_string(c, v, "caption", false, &b->caption);
        const cJSON *asp = cJSON_GetObjectItemCaseSensitive(v, "aspect");
        if (!st && asp) {
            size_t o = pctx_push_key(c, "aspect");
            if (!cJSON_IsNumber(asp) || asp->valuedouble < 0.1 || asp->valuedouble > 10)
                st = pctx_fail(c, DOC_ERR_SCHEMA, "aspect is a number from 0.1 to 10 (width / height)");
            else
                b->aspect = asp->valuedouble;
            pctx_pop(c, o);
        }
    } else if (strcmp(type, "callout") == 0) {
        static const char *const keys[] = {"id", "type", "tone", "title", "text", NULL};
        b->type = DOC_BLOCK_CALLOUT;
        if (!pctx_check_keys(c, v, keys)) return DOC_ERR_SCHEMA;
        const char *tone = NULL;
        st = pctx_get_string(c, v, "tone", false, &tone);
        if (!st) {
            if (!tone || strcmp(tone, "info") == 0)
                b->tone = DOC_TONE_INFO;
            else if (strcmp(tone, "tip") == 0)
                b->tone = DOC_TONE_TIP;
            else if (strcmp(tone, "important") == 0)
                b->tone = DOC_TONE_IMPORTANT;
            else {
                size_t o = pctx_push_key(c, "tone");
                st = pctx_fail(c, DOC_ERR_SCHEMA, "tone must be \"info\", \"tip\" or \"important\"");
                pctx_pop(c, o);
            }
        }
        if (!st) st = pctx_get_string(c, v, "title", false, &b->title);
        if (!st) st = pctx_get_text(c, v, "text", true, &b->text);
    } else if (strcmp(type, "summary") == 0) {
        static const char *const keys[] = {"id", "type", "title", "items", NULL};
        b->type = DOC_BLOCK_SUMMARY;
        if (!pctx_check_keys(c, v, keys)) return DOC_ERR_SCHEMA;
        st = pctx_get_string(c, v, "title", false, &b->title);
        if (!st) st = pctx_get_text_items(c, v, "items", &b->items, &b->n_items);
    } else if (strcmp(type, "exercise") == 0) {
        static const char *const keys[] = {"id", "type", "title", "intro", "fields", NULL};
        b->type = DOC_BLOCK_EXERCISE;
        if (!pctx_check_keys(c, v, keys)) return DOC_ERR_SCHEMA;
        st = pctx_get_string(c, v, "title", true, &b->title);
        if (!st) st = pctx_get_text(c, v, "intro", false, &b->text);
        void *fields;
        if (!st) {
            st = pctx_parse_list(c, v, "fields", true, MS_DOC_MAX_ITEMS, sizeof(doc_field), parse_field, NULL, &fields,
                                 &b->n_fields);
            b->fields = fields;
        }
    } else if (strcmp(type, "questionnaire") == 0) {
        static const char *const keys[] = {"id",      "type",  "instrument", "title", "intro",
                                           "options", "items", "scoring",    NULL};
        b->type = DOC_BLOCK_QUESTIONNAIRE;
        if (!pctx_check_keys(c, v, keys)) return DOC_ERR_SCHEMA;
        st = parse_questionnaire(c, v, b);
    } else {
        size_t o = pctx_push_key(c, "type");
        st = pctx_fail(c, DOC_ERR_SCHEMA,
                       "unknown block type \"%s\" (heading, paragraph, list, image, callout, summary, exercise or "
                       "questionnaire)",
                       type);
        pctx_pop(c, o);
    }
    return st;
}

static doc_status el_page(pctx *c, const cJSON *v, void *out, void *arg) {
    (void)arg;
    static const char *const keys[] = {"id", "title", "blocks", NULL};
    doc_page *page = out;
    doc_status st = pctx_need_object(c, v);
    if (!st && !pctx_check_keys(c, v, keys)) st = DOC_ERR_SCHEMA;
    if (!st) st = pctx_get_id(c, v, "id", &page->id);
    if (!st) st = pctx_get_string(c, v, "title", true, &page->title);
    void *blocks;
    if (!st) {
        st = pctx_parse_list(c, v, "blocks", true, MS_DOC_MAX_BLOCKS, sizeof(doc_block), parse_block, NULL, &blocks,
                             &page->n_blocks);
        page->blocks = blocks;
    }
    return st;
}

static doc_status parse_pages(pctx *c, const cJSON *root, doc_module *m) {
    void *pages;
    doc_status st =
        pctx_parse_list(c, root, "pages", true, MS_DOC_MAX_PAGES, sizeof(doc_page), el_page, NULL, &pages, &m->n_pages);
    m->pages = pages;
    return st;
}

/* ---- documents -------------------------------------------------------------------------------------------- */

static doc_status el_module(pctx *c, const cJSON *v, void *out, void *arg) {
    (void)arg;
    static const char *const keys[] = {"id", "number", "title", "file", "unlocked", "opens_after", NULL};
    doc_module *m = out;
    doc_status st = pctx_need_object(c, v);
    if (!st && !pctx_check_keys(c, v, keys)) st = DOC_ERR_SCHEMA;
    if (!st) st = pctx_get_id(c, v, "id", &m->id);
    if (!st) st = pctx_get_int(c, v, "number", true, 1, MS_DOC_MAX_MODULE_NUMBER, 1, &m->number);
    if (!st) st = pctx_get_string(c, v, "title", true, &m->title);
    if (!st) st = pctx_get_string(c, v, "file", true, &m->file);
    if (!st && (strstr(m->file, "..") || m->file[0] == '/')) {
        size_t o = pctx_push_key(c, "file");
        st = pctx_fail(c, DOC_ERR_SCHEMA, "file must be a path inside the programme directory");
        pctx_pop(c, o);
    }
    if (!st) st = pctx_get_bool(c, v, "unlocked", false, &m->unlocked);
    if (!st && cJSON_GetObjectItemCaseSensitive(v, "opens_after"))
        st = pctx_get_id(c, v, "opens_after", &m->opens_after);
    return st;
}

doc_status doc_parse_programme_ctx(pctx *c, const char *json, size_t len, doc_programme **out) {
    *out = NULL;
    cJSON *root = pctx_parse_json(c, json, len);
    if (!root) return c->err ? c->err->status : DOC_ERR_SYNTAX;
    doc_programme *p = NULL;
    arena *a = arena_new();
    doc_status st = a ? DOC_OK : pctx_fail(c, DOC_ERR_NOMEM, "out of memory");
    if (!st) {
        c->a = a;
        p = pctx_alloc_n(c, 1, sizeof *p);
        if (!p) st = DOC_ERR_NOMEM;
    }
    static const char *const keys[] = {"format",      "id",     "title",   "language", "demo",
                                       "description", "clinic", "modules", NULL};
    if (!st) st = pctx_need_object(c, root);
    if (!st && !pctx_check_keys(c, root, keys)) st = DOC_ERR_SCHEMA;
    int format = 0;
    if (!st) st = pctx_get_int(c, root, "format", true, 1, 1, 1, &format);
    if (!st) st = pctx_get_id(c, root, "id", &p->id);
    if (!st) st = pctx_get_string(c, root, "title", true, &p->title);
    if (!st) st = pctx_get_string(c, root, "language", true, &p->language);
    if (!st && strcmp(p->language, "nb") != 0 && strcmp(p->language, "nn") != 0 && strcmp(p->language, "en") != 0) {
        size_t o = pctx_push_key(c, "language");
        st = pctx_fail(c, DOC_ERR_SCHEMA, "language must be \"nb\", \"nn\" or \"en\"");
        pctx_pop(c, o);
    }
    if (!st) st = pctx_get_bool(c, root, "demo", false, &p->demo);
    if (!st) st = pctx_get_string(c, root, "description", false, &p->description);
    const cJSON *clinic = st ? NULL : cJSON_GetObjectItemCaseSensitive(root, "clinic");
    if (clinic) {
        static const char *const ckeys[] = {"name", "phone", "hours", NULL};
        size_t o = pctx_push_key(c, "clinic");
        st = pctx_need_object(c, clinic);
        if (!st && !pctx_check_keys(c, clinic, ckeys)) st = DOC_ERR_SCHEMA;
        if (!st) st = pctx_get_string(c, clinic, "name", false, &p->clinic_name);
        if (!st) st = pctx_get_string(c, clinic, "phone", false, &p->clinic_phone);
        if (!st) st = pctx_get_string(c, clinic, "hours", false, &p->clinic_hours);
        pctx_pop(c, o);
    }
    void *mods;
    if (!st) {
        st = pctx_parse_list(c, root, "modules", true, MS_DOC_MAX_MODULES, sizeof(doc_module), el_module, NULL, &mods,
                             &p->n_modules);
        p->modules = mods;
    }
    /* ids and numbers are how positions, unlocks and the server name a module: each once */
    for (size_t i = 0; !st && i < p->n_modules; i++) {
        for (size_t k = 0; !st && k < i; k++) {
            const doc_module *m = &p->modules[i], *other = &p->modules[k];
            bool same_id = strcmp(other->id, m->id) == 0;
            if (same_id || other->number == m->number) {
                size_t o = pctx_push_key(c, "modules");
                size_t o2 = pctx_push_index(c, i);
                if (same_id)
                    st = pctx_fail(c, DOC_ERR_SCHEMA, "module id \"%s\" is used twice", m->id);
                else
                    st = pctx_fail(c, DOC_ERR_SCHEMA, "module number %d is used twice", m->number);
                pctx_pop(c, o2);
                pctx_pop(c, o);
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
    return doc_parse_programme_ctx(&c, json, len, out);
}

doc_status doc_parse_module_ctx(pctx *c, doc_programme *prog, size_t index, const char *json, size_t len) {
    if (index >= prog->n_modules) return pctx_fail(c, DOC_ERR_SCHEMA, "no module %zu in the programme", index);
    cJSON *root = pctx_parse_json(c, json, len);
    if (!root) return c->err->status;
    c->a = prog->arena;
    doc_module tmp = prog->modules[index];
    static const char *const keys[] = {"format", "id", "title", "pages", NULL};
    doc_status st = pctx_need_object(c, root);
    if (!st && !pctx_check_keys(c, root, keys)) st = DOC_ERR_SCHEMA;
    int format = 0;
    const char *id = NULL, *title = NULL;
    if (!st) st = pctx_get_int(c, root, "format", true, 1, 1, 1, &format);
    if (!st) st = pctx_get_id(c, root, "id", &id);
    if (!st && strcmp(id, tmp.id) != 0) {
        size_t o = pctx_push_key(c, "id");
        st = pctx_fail(c, DOC_ERR_SCHEMA, "the module id is \"%s\" but programme.json lists \"%s\"", id, tmp.id);
        pctx_pop(c, o);
    }
    if (!st) st = pctx_get_string(c, root, "title", true, &title);
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
    return doc_parse_module_ctx(&c, prog, index, json, len);
}
