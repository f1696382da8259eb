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

void ex_text(app *a, int field) {
    const doc_block *b = ex_current(a);
    const doc_field *f = field_at(a, field);
    if (!b || !f || f->type != DOC_FIELD_TEXT) return;
    char key[sizeof a->write_key];
    snprintf(key, sizeof key, "answer/%s/%s", b->id, f->id);
    write_open(a, key, SCREEN_EXERCISE);
}

bool ex_text_changed(app *a, const char *key, const char *text) {
    const doc_block *b = ex_current(a);
    if (!b || !a->ex_fields) return false;
    size_t n = strlen(b->id);
    if (strncmp(key, "answer/", 7) != 0 || strncmp(key + 7, b->id, n) != 0 || key[7 + n] != '/') return false;
    const char *fid = key + 8 + n;
    cJSON_DeleteItemFromObjectCaseSensitive(a->ex_fields, fid);
    if (text[0]) cJSON_AddStringToObject(a->ex_fields, fid, text);
    const doc_block *cur = b;
    char *j = cJSON_PrintUnformatted(a->ex_fields);
    bool ok = j && store_answer_set(a->st, cur->id, j);
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
