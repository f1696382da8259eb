/* questionnaire.c — a weekly questionnaire (PHQ-9, GAD-7, …) answered one item to a screen, and the patient's
 * own scores over the weeks (drawn by screens.c: draw_quest, draw_scores).
 *
 * The answers in progress are a draft ("q/<block id>": {"item id": score}), saved on every tap, so a flat
 * battery in the middle loses nothing. «Send inn» keeps the score for the plot, queues it for the therapist and
 * clears the draft in one transaction (sync_submit_questionnaire). Scoring is the content's: the sum of the
 * chosen options' scores, banded by its `scoring.bands`. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "meistring/sync.h"

const doc_block *q_current(const app *a) {
    if (a->module < 0 || (size_t)a->module >= a->prog->n_modules) return NULL;
    const doc_module *m = &a->prog->modules[a->module];
    if (a->page < 0 || (size_t)a->page >= m->n_pages) return NULL;
    const doc_page *pg = &m->pages[a->page];
    if (a->q_block < 0 || (size_t)a->q_block >= pg->n_blocks) return NULL;
    const doc_block *b = &pg->blocks[a->q_block];
    return b->type == DOC_BLOCK_QUESTIONNAIRE ? b : NULL;
}

static void draft_key(const doc_block *b, char *buf, size_t cap) { snprintf(buf, cap, "q/%s", b->id); }

bool q_answer(const app *a, int item, int *score) {
    const doc_block *b = q_current(a);
    if (!b || !a->q_answers || item < 0 || (size_t)item >= b->n_qitems) return false;
    cJSON *v = cJSON_GetObjectItemCaseSensitive(a->q_answers, b->qitems[item].id);
    if (!cJSON_IsNumber(v)) return false;
    *score = v->valueint;
    return true;
}

int q_first_unanswered(const app *a) {
    const doc_block *b = q_current(a);
    int s;
    for (size_t i = 0; b && i < b->n_qitems; i++)
        if (!q_answer(a, (int)i, &s)) return (int)i;
    return -1;
}

int q_total(const app *a) {
    const doc_block *b = q_current(a);
    int total = 0, s;
    for (size_t i = 0; b && i < b->n_qitems; i++)
        if (q_answer(a, (int)i, &s)) total += s;
    return total;
}

void q_open(app *a, int block) {
    a->q_block = block;
    const doc_block *b = q_current(a);
    if (!b) return;
    char key[160];
    draft_key(b, key, sizeof key);
    cJSON_Delete(a->q_answers);
    char *d = store_draft_get(a->st, key, NULL);
    a->q_answers = d ? cJSON_Parse(d) : NULL;
    free(d);
    if (!cJSON_IsObject(a->q_answers)) {
        cJSON_Delete(a->q_answers);
        a->q_answers = cJSON_CreateObject();
    }
    /* on where the patient left off: the first question not answered, else the summary */
    int first = q_first_unanswered(a);
    a->q_item = first >= 0 ? first : (int)b->n_qitems;
    a->screen = SCREEN_QUEST;
    a->scroll_list = 0;
    a->dirty = true;
}

void q_close(app *a) {
    cJSON_Delete(a->q_answers);
    a->q_answers = NULL;
}

void q_choose(app *a, int option) {
    const doc_block *b = q_current(a);
    if (!b || !a->q_answers || a->q_item < 0 || (size_t)a->q_item >= b->n_qitems) return;
    size_t n;
    const doc_option *o = doc_item_options(b, (size_t)a->q_item, &n);
    if (option < 0 || (size_t)option >= n) return;
    const char *id = b->qitems[a->q_item].id;
    cJSON_DeleteItemFromObjectCaseSensitive(a->q_answers, id);
    cJSON_AddNumberToObject(a->q_answers, id, o[option].score);
    char key[160], *j = cJSON_PrintUnformatted(a->q_answers);
    draft_key(b, key, sizeof key);
    if (!j || !store_draft_set(a->st, key, j, 0)) {
        fprintf(stderr, "meistring: cannot save a questionnaire answer: %s\n", store_last_error(a->st));
        app_show_toast(a, app_tr(a, "ex.not_saved"), 6000);
        free(j);
        return; /* stay on the question: the patient sees it was not kept */
    }
    free(j);
    /* on to the next question not yet answered (or the summary), as a paper form's eye would go */
    int next = a->q_item + 1;
    int s;
    while (next < (int)b->n_qitems && q_answer(a, next, &s))
        next++;
    a->q_item = next;
    a->scroll_list = 0;
    a->dirty = true;
}

void q_step(app *a, int delta) {
    const doc_block *b = q_current(a);
    if (!b) return;
    int to = a->q_item + delta;
    if (to < 0 || to > (int)b->n_qitems) return;
    a->q_item = to;
    a->scroll_list = 0;
    a->dirty = true;
}

void q_submit(app *a) {
    const doc_block *b = q_current(a);
    if (!b || q_first_unanswered(a) >= 0) return;
    int total = q_total(a);
    char key[160], id[33], *j = cJSON_PrintUnformatted(a->q_answers);
    draft_key(b, key, sizeof key);
    bool ok = j && sync_submit_questionnaire(a->st, b->id, b->instrument, j, total, doc_questionnaire_max(b),
                                             doc_questionnaire_band(b, total), key, id);
    free(j);
    if (!ok) {
        fprintf(stderr, "meistring: cannot submit the questionnaire: %s\n", store_last_error(a->st));
        app_show_toast(a, app_tr(a, "ex.not_saved"), 6000);
        return;
    }
    if (a->sync) syncer_now(a->sync);
    q_close(a);
    a->has_scores = true;
    app_show_toast(a, app_tr(a, a->sync ? "q.sent" : "q.saved_demo"), 5000);
    a->scores_return = SCREEN_PAGE;
    a->screen = SCREEN_SCORES;
    a->scroll_list = 0;
    app_load_scores(a);
    a->dirty = true;
}

/* ---- the patient's scores, for the plot ------------------------------------------------------------------- */

static void add_score(void *ctx, long long taken_at, const char *data) {
    app *a = ctx;
    cJSON *o = cJSON_Parse(data), *q = cJSON_GetObjectItemCaseSensitive(o, "questionnaire");
    const char *instrument = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(q, "instrument"));
    cJSON *total = cJSON_GetObjectItemCaseSensitive(q, "total"), *max = cJSON_GetObjectItemCaseSensitive(q, "max");
    const char *band = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(q, "band"));
    if (instrument && cJSON_IsNumber(total) && cJSON_IsNumber(max)) {
        struct app_score *n = realloc(a->scores, (size_t)(a->n_scores + 1) * sizeof *n);
        if (n) {
            a->scores = n;
            struct app_score *s = &a->scores[a->n_scores++];
            memset(s, 0, sizeof *s);
            snprintf(s->instrument, sizeof s->instrument, "%s", instrument);
            snprintf(s->band, sizeof s->band, "%s", band ? band : "");
            s->total = total->valueint;
            s->max = max->valueint;
            s->taken_at = taken_at;
        }
    }
    cJSON_Delete(o);
}

void app_load_scores(app *a) {
    free(a->scores);
    a->scores = NULL;
    a->n_scores = 0;
    if (!store_each_score(a->st, add_score, a))
        fprintf(stderr, "meistring: some scores could not be read: %s\n", store_last_error(a->st));
    a->has_scores = a->n_scores > 0;
}
