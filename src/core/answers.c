/* answers.c — see answers.h. The answers are a cJSON object that never leaves this file. Every edit is built
 * aside first and attached last, so running out of memory leaves the answers as they were; an edit appends the
 * new value and then removes the old one, which gives exactly the bytes the client has always written (remove,
 * then append: the edited key moves to the end), so the store's and the server's JSON stay as they are. */
#include "meistring/answers.h"
#include "meistring/utf8.h"

#include <assert.h>
#include <cjson/cJSON.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsondepth.h"

struct answers {
    cJSON *root; /* always an object */
};

answers *answers_new(void) {
    answers *ans = calloc(1, sizeof *ans);
    if (!ans) return NULL;
    ans->root = cJSON_CreateObject();
    if (!ans->root) {
        free(ans);
        return NULL;
    }
    return ans;
}

void answers_free(answers *ans) {
    if (!ans) return;
    cJSON_Delete(ans->root);
    free(ans);
}

/* Empties the answers in place (no allocation: an empty object is kept). */
static void clear(answers *ans) {
    while (ans->root->child)
        cJSON_Delete(cJSON_DetachItemViaPointer(ans->root, ans->root->child));
}

bool answers_load(answers *ans, const char *json) {
    assert(ans);
    clear(ans);
    if (!json) return true;
    if (json_nests_deeper_than(json, strlen(json), MS_ANSWER_MAX_DEPTH)) return false;
    cJSON *parsed = cJSON_Parse(json);
    if (!cJSON_IsObject(parsed)) { /* none yet, or unreadable: start empty rather than lose the screen */
        cJSON_Delete(parsed);
        return false;
    }
    cJSON_Delete(ans->root);
    ans->root = parsed;
    return true;
}

char *answers_to_json(const answers *ans) {
    assert(ans);
    return cJSON_PrintUnformatted(ans->root);
}

bool answers_is_empty(const answers *ans) { return !ans || !ans->root->child; }

/* Puts item under key in obj in place of the first value of that key (item NULL: only removes it). The item is
 * appended before the old value goes, so a failure (the key is copied) changes nothing; the item is consumed
 * either way. */
static bool replace(cJSON *obj, const char *key, cJSON *item) {
    cJSON *old = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (item && !cJSON_AddItemToObject(obj, key, item)) {
        cJSON_Delete(item);
        return false;
    }
    if (old) cJSON_Delete(cJSON_DetachItemViaPointer(obj, old));
    return true;
}

static cJSON *value_of(const answers *ans, const doc_field *f) {
    return ans && f ? cJSON_GetObjectItemCaseSensitive(ans->root, f->id) : NULL;
}

/* ---- text, scale, choices --------------------------------------------------------------------------------- */

const char *answers_text(const answers *ans, const doc_field *f) {
    const char *v = cJSON_GetStringValue(value_of(ans, f));
    return v ? v : "";
}

bool answers_set_text(answers *ans, const doc_field *f, const char *text) {
    assert(text);
    if (!ans || !f || f->type != DOC_FIELD_TEXT || strlen(text) > MS_ANSWER_MAX_BYTES) return false;
    cJSON *item = NULL;
    if (text[0] && !(item = cJSON_CreateString(text))) return false;
    return replace(ans->root, f->id, item);
}

bool answers_scale(const answers *ans, const doc_field *f, int *value) {
    assert(value);
    cJSON *v = value_of(ans, f);
    bool set = cJSON_IsNumber(v);
    *value = set ? v->valueint : 0;
    return set;
}

bool answers_set_scale(answers *ans, const doc_field *f, int step) {
    if (!ans || !f || f->type != DOC_FIELD_SCALE || step < 0 || step > (long long)f->max - f->min) return false;
    cJSON *item = cJSON_CreateNumber(f->min + step);
    return item && replace(ans->root, f->id, item);
}

bool answers_is_chosen(const answers *ans, const doc_field *f, const char *option) {
    cJSON *v = value_of(ans, f), *it;
    if (!option) return false;
    if (cJSON_IsString(v)) return strcmp(v->valuestring, option) == 0;
    cJSON_ArrayForEach(it, v) {
        if (cJSON_IsString(it) && strcmp(it->valuestring, option) == 0) return true;
    }
    return false;
}

bool answers_choose(answers *ans, const doc_field *f, int option) {
    if (!ans || !f || (f->type != DOC_FIELD_CHOICE && f->type != DOC_FIELD_CHECKLIST) || option < 0 ||
        (size_t)option >= f->n_options)
        return false;
    const char *opt = f->options[option];
    cJSON *item;
    if (f->type == DOC_FIELD_CHOICE && !f->multiple) {
        item = cJSON_CreateString(opt);
    } else {
        /* several may be chosen: a tap adds or removes this one, keeping the content's order */
        bool had = answers_is_chosen(ans, f, opt);
        item = cJSON_CreateArray();
        for (size_t i = 0; item && i < f->n_options; i++) {
            bool on = (int)i == option ? !had : answers_is_chosen(ans, f, f->options[i]);
            cJSON *s = on ? cJSON_CreateString(f->options[i]) : NULL;
            if (on && !s) {
                cJSON_Delete(item);
                item = NULL;
            } else if (s) {
                cJSON_AddItemToArray(item, s);
            }
        }
    }
    return item && replace(ans->root, f->id, item);
}

/* ---- tables ----------------------------------------------------------------------------------------------- */

static const cJSON *table_array(const answers *ans, const doc_field *f) {
    const cJSON *arr = f && f->type == DOC_FIELD_TABLE ? value_of(ans, f) : NULL;
    return cJSON_IsArray(arr) ? arr : NULL;
}

int answers_rows(const answers *ans, const doc_field *f) {
    if (!f || f->type != DOC_FIELD_TABLE) return 0;
    const cJSON *arr = table_array(ans, f);
    int n = arr ? cJSON_GetArraySize(arr) : 0;
    return n > f->rows ? n : f->rows;
}

void answers_cell(const answers *ans, const doc_field *f, int row, int col, char *buf, size_t cap) {
    assert(buf && cap > 0);
    buf[0] = '\0';
    if (!f || col < 0 || (size_t)col >= f->n_columns || row < 0) return;
    const cJSON *arr = table_array(ans, f), *r = arr ? cJSON_GetArrayItem(arr, row) : NULL;
    const cJSON *v = cJSON_IsObject(r) ? cJSON_GetObjectItemCaseSensitive(r, f->columns[col].id) : NULL;
    if (cJSON_IsString(v))
        snprintf(buf, cap, "%s", v->valuestring);
    else if (cJSON_IsNumber(v))
        snprintf(buf, cap, "%d", v->valueint);
}

/* Makes row `row` of the table exist (adding empty rows up to it; a value that is not an array becomes one)
 * and, when cid is set, puts item in its column cid (item NULL: empties the cell). All or nothing; item is
 * consumed. */
static bool table_write(answers *ans, const doc_field *f, int row, const char *cid, cJSON *item) {
    cJSON *arr = value_of(ans, f), *fresh = NULL, *pad = NULL, *r;
    if (!ans || !f || f->type != DOC_FIELD_TABLE || row < 0 || row >= MS_ANSWER_MAX_ROWS) goto fail;
    if (!cJSON_IsArray(arr) && !(arr = fresh = cJSON_CreateArray())) goto fail;
    int n = cJSON_GetArraySize(arr);
    if (row < n) {
        r = cJSON_GetArrayItem(arr, row);
        if (!cJSON_IsObject(r)) goto fail; /* not a row this client wrote: left alone */
    } else {
        if (!(pad = cJSON_CreateArray())) goto fail;
        for (int i = n; i <= row; i++) {
            cJSON *o = cJSON_CreateObject();
            if (!o) goto fail;
            cJSON_AddItemToArray(pad, o);
        }
        r = cJSON_GetArrayItem(pad, row - n); /* the last */
    }
    if (cid) {
        bool ok = replace(r, cid, item);
        item = NULL;
        if (!ok) goto fail;
    }
    if (fresh) {
        bool ok = replace(ans->root, f->id, fresh);
        if (!ok) {
            fresh = NULL; /* consumed */
            goto fail;
        }
    }
    while (pad && pad->child)
        cJSON_AddItemToArray(arr, cJSON_DetachItemViaPointer(pad, pad->child));
    cJSON_Delete(pad);
    return true;
fail:
    cJSON_Delete(item);
    cJSON_Delete(pad);
    cJSON_Delete(fresh); /* never attached when we get here */
    return false;
}

static const char *column_id(const doc_field *f, int col) {
    return f && f->type == DOC_FIELD_TABLE && col >= 0 && (size_t)col < f->n_columns ? f->columns[col].id : NULL;
}

bool answers_set_cell_text(answers *ans, const doc_field *f, int row, int col, const char *text) {
    assert(text);
    const char *cid = column_id(f, col);
    if (!cid || strlen(text) > MS_ANSWER_MAX_BYTES) return false;
    cJSON *item = NULL;
    if (text[0] && !(item = cJSON_CreateString(text))) return false;
    return table_write(ans, f, row, cid, item);
}

bool answers_set_cell_number(answers *ans, const doc_field *f, int row, int col, int value) {
    const char *cid = column_id(f, col);
    if (!cid) return false;
    const doc_column *c = &f->columns[col];
    if (c->kind != DOC_COL_NUMBER || (c->min != c->max && (value < c->min || value > c->max))) return false;
    cJSON *item = cJSON_CreateNumber(value);
    return item && table_write(ans, f, row, cid, item);
}

bool answers_set_cell_date(answers *ans, const doc_field *f, int row, int col, const struct tm *day) {
    assert(day);
    const char *cid = column_id(f, col);
    char d[32];
    if (!cid || strftime(d, sizeof d, "%d.%m.%Y", day) == 0) return false; /* as Norwegians write a date */
    cJSON *item = cJSON_CreateString(d);
    return item && table_write(ans, f, row, cid, item);
}

bool answers_add_row(answers *ans, const doc_field *f) {
    int rows = answers_rows(ans, f);
    if (!ans || !f || f->type != DOC_FIELD_TABLE || rows >= MS_ANSWER_ADD_ROWS_UPTO) return false;
    return table_write(ans, f, rows, NULL, NULL);
}

/* ---- questionnaires --------------------------------------------------------------------------------------- */

bool answers_score(const answers *ans, const doc_block *q, int item, int *score) {
    if (!ans || !q || q->type != DOC_BLOCK_QUESTIONNAIRE || item < 0 || (size_t)item >= q->n_qitems) return false;
    cJSON *v = cJSON_GetObjectItemCaseSensitive(ans->root, q->qitems[item].id);
    if (!cJSON_IsNumber(v)) return false;
    *score = v->valueint;
    return true;
}

bool answers_set_score(answers *ans, const doc_block *q, int item, int option) {
    if (!ans || !q || q->type != DOC_BLOCK_QUESTIONNAIRE || item < 0 || (size_t)item >= q->n_qitems) return false;
    size_t n;
    const doc_option *o = doc_item_options(q, (size_t)item, &n);
    if (option < 0 || (size_t)option >= n) return false;
    cJSON *v = cJSON_CreateNumber(o[option].score);
    return v && replace(ans->root, q->qitems[item].id, v);
}

int answers_first_unanswered(const answers *ans, const doc_block *q) {
    int s;
    for (size_t i = 0; q && i < q->n_qitems; i++)
        if (!answers_score(ans, q, (int)i, &s)) return (int)i;
    return -1;
}

int answers_total(const answers *ans, const doc_block *q) {
    long long total = 0; /* a damaged draft may hold INT_MAX scores: summed wide, kept within int */
    int s;
    for (size_t i = 0; q && i < q->n_qitems; i++) {
        if (answers_score(ans, q, (int)i, &s)) total += s;
        if (total > INT_MAX) total = INT_MAX;
        if (total < INT_MIN) total = INT_MIN;
    }
    return (int)total;
}

bool answers_parse_score(const char *json, answers_score_record *out) {
    if (!json || json_nests_deeper_than(json, strlen(json), MS_ANSWER_MAX_DEPTH)) return false;
    cJSON *o = cJSON_Parse(json), *q = cJSON_GetObjectItemCaseSensitive(o, "questionnaire");
    const char *instrument = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(q, "instrument"));
    cJSON *total = cJSON_GetObjectItemCaseSensitive(q, "total"), *max = cJSON_GetObjectItemCaseSensitive(q, "max");
    const char *band = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(q, "band"));
    bool ok = instrument && cJSON_IsNumber(total) && cJSON_IsNumber(max);
    if (ok) {
        memset(out, 0, sizeof *out);
        /* cut to the record on a character boundary: these are said to a screen reader (utf8_copy) */
        utf8_copy(out->instrument, sizeof out->instrument, instrument);
        utf8_copy(out->band, sizeof out->band, band);
        utf8_copy(out->block, sizeof out->block, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "block")));
        out->total = total->valueint;
        out->max = max->valueint;
        out->urgent = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(q, "urgent"));
    }
    cJSON_Delete(o);
    return ok;
}
