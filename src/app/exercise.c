/* exercise.c — one exercise of a page, filled in on its own screen (drawn by screens.c draw_exercise).
 *
 * The answers of an exercise block are one JSON object, {"field id": value}, where a value is a string (free
 * text, a single choice), a number (a scale) or an array of strings (several choices, a checklist). Every change
 * is saved at once (store_answer_set: sealed, one fsync'd transaction, a new revision); leaving the exercise
 * queues the revision for the server (sync_queue_answer), once. Free text is written in the editor
 * (writing.c) under the key "answer/<block id>/<field id>", which calls ex_text_changed on every keystroke. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "meistring/sync.h"

const doc_block *ex_current(const app *a) {
    if (a->module < 0 || (size_t)a->module >= a->prog->n_modules) return NULL;
    const doc_module *m = &a->prog->modules[a->module];
    if (a->page < 0 || (size_t)a->page >= m->n_pages) return NULL;
    const doc_page *pg = &m->pages[a->page];
    if (a->ex_block < 0 || (size_t)a->ex_block >= pg->n_blocks) return NULL;
    const doc_block *b = &pg->blocks[a->ex_block];
    return b->type == DOC_BLOCK_EXERCISE ? b : NULL;
}

static const doc_field *field_at(const app *a, int i) {
    const doc_block *b = ex_current(a);
    return b && i >= 0 && (size_t)i < b->n_fields ? &b->fields[i] : NULL;
}

static void save(app *a) {
    const doc_block *b = ex_current(a);
    char *j = b && a->ex_fields ? cJSON_PrintUnformatted(a->ex_fields) : NULL;
    if (!j || !store_answer_set(a->st, b->id, j)) {
        fprintf(stderr, "meistring: cannot save an answer: %s\n", store_last_error(a->st)); /* never the text */
        app_show_toast(a, app_tr(a, "ex.not_saved"), 6000);
    }
    free(j);
    a->dirty = true;
}

void ex_open(app *a, int block) {
    a->ex_block = block;
    const doc_block *b = ex_current(a);
    if (!b) return;
    cJSON_Delete(a->ex_fields);
    char *j = store_answer_get(a->st, b->id, NULL, NULL);
    a->ex_fields = j ? cJSON_Parse(j) : NULL;
    free(j);
    if (!cJSON_IsObject(a->ex_fields)) { /* none yet, or unreadable: start empty rather than lose the screen */
        cJSON_Delete(a->ex_fields);
        a->ex_fields = cJSON_CreateObject();
    }
    a->screen = SCREEN_EXERCISE;
    a->scroll_list = 0;
    a->dirty = true;
}

void ex_close(app *a) {
    cJSON_Delete(a->ex_fields);
    a->ex_fields = NULL;
}

const char *ex_get_text(const app *a, int field) {
    const doc_field *f = field_at(a, field);
    const char *v =
        f && a->ex_fields ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(a->ex_fields, f->id)) : NULL;
    return v ? v : "";
}

int ex_get_scale(const app *a, int field, bool *set) {
    const doc_field *f = field_at(a, field);
    cJSON *v = f && a->ex_fields ? cJSON_GetObjectItemCaseSensitive(a->ex_fields, f->id) : NULL;
    *set = cJSON_IsNumber(v);
    return *set ? v->valueint : 0;
}

bool ex_is_chosen(const app *a, int field, const char *option) {
    const doc_field *f = field_at(a, field);
    cJSON *v = f && a->ex_fields ? cJSON_GetObjectItemCaseSensitive(a->ex_fields, f->id) : NULL;
    if (cJSON_IsString(v)) return strcmp(v->valuestring, option) == 0;
    cJSON *it;
    cJSON_ArrayForEach(it, v) {
        if (cJSON_IsString(it) && strcmp(it->valuestring, option) == 0) return true;
    }
    return false;
}

void ex_value(app *a, int field, int choice) {
    const doc_field *f = field_at(a, field);
    if (!f || !a->ex_fields) return;
    if (f->type == DOC_FIELD_SCALE) {
        if (choice < 0 || choice > f->max - f->min) return;
        cJSON_DeleteItemFromObjectCaseSensitive(a->ex_fields, f->id);
        cJSON_AddNumberToObject(a->ex_fields, f->id, f->min + choice);
    } else if ((f->type == DOC_FIELD_CHOICE || f->type == DOC_FIELD_CHECKLIST) && choice >= 0 &&
               (size_t)choice < f->n_options) {
        const char *opt = f->options[choice];
        if (f->type == DOC_FIELD_CHOICE && !f->multiple) {
            cJSON_DeleteItemFromObjectCaseSensitive(a->ex_fields, f->id);
            cJSON_AddStringToObject(a->ex_fields, f->id, opt);
        } else {
            /* several may be chosen: a tap adds or removes this one, keeping the content's order */
            bool had = ex_is_chosen(a, field, opt);
            cJSON *arr = cJSON_CreateArray();
            for (size_t i = 0; i < f->n_options; i++) {
                bool on = (int)i == choice ? !had : ex_is_chosen(a, field, f->options[i]);
                if (on) cJSON_AddItemToArray(arr, cJSON_CreateString(f->options[i]));
            }
            cJSON_DeleteItemFromObjectCaseSensitive(a->ex_fields, f->id);
            cJSON_AddItemToObject(a->ex_fields, f->id, arr);
        }
    } else {
        return;
    }
    save(a);
}

/* ---- the text the editor writes into: a text field, or one cell of a table ---------------------------- */

static void edit_target(app *a, int field, int row, int col) {
    const doc_block *b = ex_current(a);
    const doc_field *f = field_at(a, field);
    if (!b || !f) return;
    a->ex_field = field;
    a->ex_row = row;
    a->ex_col = col;
    char key[sizeof a->write_key];
    if (row < 0)
        snprintf(key, sizeof key, "answer/%s/%s", b->id, f->id);
    else
        snprintf(key, sizeof key, "answer/%s/%s/%d/%s", b->id, f->id, row, f->columns[col].id);
    write_open(a, key, SCREEN_EXERCISE);
}

void ex_text(app *a, int field) {
    const doc_field *f = field_at(a, field);
    if (f && f->type == DOC_FIELD_TEXT) edit_target(a, field, -1, -1);
}

/* The table's rows, as an array in the answers (made when create is set and it is missing). */
static cJSON *table_rows(const app *a, const doc_field *f, bool create) {
    cJSON *arr = cJSON_GetObjectItemCaseSensitive(a->ex_fields, f->id);
    if (!cJSON_IsArray(arr) && create) {
        cJSON_DeleteItemFromObjectCaseSensitive(a->ex_fields, f->id);
        arr = cJSON_AddArrayToObject(a->ex_fields, f->id);
    }
    return cJSON_IsArray(arr) ? arr : NULL;
}

/* Row `row` of the table (an object), padded with empty rows when it does not exist yet and create is set. */
static cJSON *table_row(const app *a, const doc_field *f, int row, bool create) {
    cJSON *arr = table_rows(a, f, create);
    if (!arr || row < 0) return NULL;
    while (create && cJSON_GetArraySize(arr) <= row)
        cJSON_AddItemToArray(arr, cJSON_CreateObject());
    cJSON *r = cJSON_GetArrayItem(arr, row);
    return cJSON_IsObject(r) ? r : NULL;
}

int ex_rows(const app *a, int field) {
    const doc_field *f = field_at(a, field);
    if (!f || f->type != DOC_FIELD_TABLE) return 0;
    cJSON *arr = table_rows(a, f, false);
    int n = arr ? cJSON_GetArraySize(arr) : 0;
    return n > f->rows ? n : f->rows;
}

void ex_get_cell(const app *a, int field, int row, int col, char *buf, size_t cap) {
    const doc_field *f = field_at(a, field);
    buf[0] = '\0';
    if (!f || f->type != DOC_FIELD_TABLE || col < 0 || (size_t)col >= f->n_columns) return;
    cJSON *r = table_row(a, f, row, false);
    cJSON *v = r ? cJSON_GetObjectItemCaseSensitive(r, f->columns[col].id) : NULL;
    if (cJSON_IsString(v))
        snprintf(buf, cap, "%s", v->valuestring);
    else if (cJSON_IsNumber(v))
        snprintf(buf, cap, "%d", v->valueint);
}

/* Sets (value non-NULL) or clears a cell, as a string or a number. */
static void set_cell(app *a, const doc_field *f, int row, int col, const char *text, const int *number) {
    cJSON *r = table_row(a, f, row, true);
    if (!r) return;
    const char *cid = f->columns[col].id;
    cJSON_DeleteItemFromObjectCaseSensitive(r, cid);
    if (number)
        cJSON_AddNumberToObject(r, cid, *number);
    else if (text && text[0])
        cJSON_AddStringToObject(r, cid, text);
}

void ex_cell(app *a, int field, int row, int col) {
    const doc_field *f = field_at(a, field);
    if (f && f->type == DOC_FIELD_TABLE && row >= 0 && row < 256 && col >= 0 && (size_t)col < f->n_columns)
        edit_target(a, field, row, col);
}

void ex_cell_number(app *a, int field, int row, int col, int value) {
    const doc_field *f = field_at(a, field);
    if (!f || f->type != DOC_FIELD_TABLE || row < 0 || row >= 256 || col < 0 || (size_t)col >= f->n_columns) return;
    const doc_column *c = &f->columns[col];
    if (c->kind != DOC_COL_NUMBER || (c->min != c->max && (value < c->min || value > c->max))) return;
    set_cell(a, f, row, col, NULL, &value);
    save(a);
}

int ex_number_steps(const doc_column *c, int *out, int cap) {
    if (c->kind != DOC_COL_NUMBER || c->min >= c->max) return 0;
    /* 0–10 as eleven buttons, 0–100 in tens: a tap instead of typing digits; wider ranges are typed */
    int range = c->max - c->min, step = range <= 10 ? 1 : range <= 100 && range % 10 == 0 ? 10 : 0;
    int n = 0;
    for (int v = c->min; step && v <= c->max && n < cap; v += step)
        out[n++] = v;
    return step ? n : 0;
}

void ex_cell_step(app *a, int arg) {
    int field = arg >> 20, row = (arg >> 12) & 0xFF, col = (arg >> 8) & 0xF, step = arg & 0xFF;
    const doc_field *f = field_at(a, field);
    if (!f || f->type != DOC_FIELD_TABLE || (size_t)col >= f->n_columns) return;
    int values[16];
    int n = ex_number_steps(&f->columns[col], values, 16);
    if (step < n) ex_cell_number(a, field, row, col, values[step]);
}

void ex_cell_today(app *a, int field, int row, int col) {
    const doc_field *f = field_at(a, field);
    if (!f || f->type != DOC_FIELD_TABLE || row < 0 || row >= 256 || col < 0 || (size_t)col >= f->n_columns) return;
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char d[16];
    strftime(d, sizeof d, "%d.%m.%Y", &tm); /* as Norwegians write a date */
    set_cell(a, f, row, col, d, NULL);
    save(a);
}

void ex_add_row(app *a, int field) {
    const doc_field *f = field_at(a, field);
    if (!f || f->type != DOC_FIELD_TABLE || ex_rows(a, field) >= 50) return;
    table_row(a, f, ex_rows(a, field), true);
    save(a);
}

char *ex_target_text(const app *a, char *title, size_t cap) {
    const doc_field *f = field_at(a, a->ex_field);
    if (!f) return NULL;
    if (a->ex_row < 0) {
        snprintf(title, cap, "%s", f->label);
        return strdup(ex_get_text(a, a->ex_field));
    }
    char row[16], buf[MS_ANSWER_MAX_BYTES + 1];
    snprintf(row, sizeof row, "%d", a->ex_row + 1);
    const char *args[2] = {f->columns[a->ex_col].label, row};
    i18n_format(title, cap, app_tr(a, "ex.cell"), 2, args);
    ex_get_cell(a, a->ex_field, a->ex_row, a->ex_col, buf, sizeof buf);
    return strdup(buf);
}

bool ex_text_changed(app *a, const char *text) {
    const doc_block *b = ex_current(a);
    const doc_field *f = field_at(a, a->ex_field);
    if (!b || !f || !a->ex_fields) return false;
    if (a->ex_row >= 0) {
        set_cell(a, f, a->ex_row, a->ex_col, text, NULL);
    } else {
        cJSON_DeleteItemFromObjectCaseSensitive(a->ex_fields, f->id);
        if (text[0]) cJSON_AddStringToObject(a->ex_fields, f->id, text);
    }
    char *j = cJSON_PrintUnformatted(a->ex_fields);
    bool ok = j && store_answer_set(a->st, b->id, j);
    free(j);
    return ok;
}

void ex_done(app *a) {
    const doc_block *b = ex_current(a);
    if (b && a->ex_fields && a->ex_fields->child) {
        char id[33];
        if (!sync_queue_answer(a->st, b->id, id))
            fprintf(stderr, "meistring: cannot queue answers: %s\n", store_last_error(a->st));
        else if (id[0] && a->sync)
            syncer_now(a->sync);
        app_show_toast(a, app_tr(a, a->sync ? "ex.saved" : "ex.saved_demo"), 4000);
    }
    ex_close(a);
    a->screen = SCREEN_PAGE;
    a->dirty = true;
}
