/* fuzz_answers.c — libFuzzer target for an exercise's or a questionnaire's answers (src/core/answers.c): JSON
 * from the store (which a damaged or hostile disk may hold), then edits of every kind with any indices, texts
 * and values, serialised and loaded again.
 *
 * Input: the stored JSON up to the first NUL byte, then operations (an operation byte and its arguments, read
 * by run() below). The same operations run twice: on the loaded answers, and on empty answers, where every
 * edit that succeeds must read back as written. Everywhere: an edit that is refused changes nothing; the JSON
 * always loads again and prints the same (a fixed point); getters never read past anything. */
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "meistring/answers.h"
#include "meistring/config.h"

#define CHECK(cond)                                                                                                    \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            fprintf(stderr, "fuzz_answers: %s:%d: %s does not hold\n", __FILE__, __LINE__, #cond);                     \
            __builtin_trap();                                                                                          \
        }                                                                                                              \
    } while (0)

/* One exercise with a field of every kind (a scale that reaches INT_MIN, a number column without bounds), and a
 * questionnaire whose last item has options of its own. */
static const char *const humor_opts[] = {"glad", "trist", "redd"};
static const char *const fol_opts[] = {"uro", "sinne", "uro"}; /* the same option twice: content may say so */
static const char *const tiltak_opts[] = {"pust", "gå tur", "ring en venn"};
static const doc_column logg_cols[] = {
    {.id = "sit", .label = "Situasjon", .kind = DOC_COL_TEXT},
    {.id = "angst", .label = "Angst", .kind = DOC_COL_NUMBER, .min = 0, .max = 10},
    {.id = "dato", .label = "Dato", .kind = DOC_COL_DATE},
    {.id = "tall", .label = "Tall", .kind = DOC_COL_NUMBER},
};
static const doc_field fields[] = {
    {.id = "tanke", .type = DOC_FIELD_TEXT, .label = "Tanke", .lines = 3},
    {.id = "styrke", .type = DOC_FIELD_SCALE, .label = "Styrke", .min = 0, .max = 10},
    {.id = "humor", .type = DOC_FIELD_CHOICE, .label = "Humør", .options = humor_opts, .n_options = 3},
    {.id = "folelser", .type = DOC_FIELD_CHOICE, .multiple = true, .options = fol_opts, .n_options = 3},
    {.id = "tiltak", .type = DOC_FIELD_CHECKLIST, .label = "Tiltak", .options = tiltak_opts, .n_options = 3},
    {.id = "logg", .type = DOC_FIELD_TABLE, .label = "Logg", .columns = logg_cols, .n_columns = 4, .rows = 2},
    {.id = "ekstrem", .type = DOC_FIELD_SCALE, .min = INT_MIN, .max = INT_MIN + 3},
    {.id = "i1", .type = DOC_FIELD_TEXT}, /* the same key as a questionnaire item: both read one value */
};
#define N_FIELDS ((int)(sizeof fields / sizeof *fields))
static const doc_option q_opts[] = {{"0", 0}, {"1", 1}, {"2", 2}, {"3", 3}};
static const doc_option i3_opts[] = {{"Nei", 0}, {"Ja", 1000}};
static const doc_qitem q_items[] = {{.id = "i1"}, {.id = "i2"}, {.id = "i3", .options = i3_opts, .n_options = 2}};
static const doc_block quest = {
    .id = "q1", .type = DOC_BLOCK_QUESTIONNAIRE, .options = q_opts, .n_options = 4, .qitems = q_items, .n_qitems = 3};

typedef struct {
    const uint8_t *p;
    size_t n;
} input;

static uint8_t next(input *in) {
    if (!in->n) return 0;
    in->n--;
    return *in->p++;
}

/* A field index, one past the end (NULL) included. */
static const doc_field *pick_field(input *in) {
    int i = next(in) % (N_FIELDS + 1);
    return i < N_FIELDS ? &fields[i] : NULL;
}

/* Small indices mostly, and the edges: negative, past the rows a cell may be written in, INT_MAX, INT_MIN. */
static int pick_index(input *in) {
    uint8_t b = next(in);
    switch (b) {
    case 0xFF: return INT_MAX;
    case 0xFE: return INT_MIN;
    case 0xFD: return MS_ANSWER_MAX_ROWS;
    case 0xFC: return MS_ANSWER_MAX_ROWS - 1;
    default: return (int)b - 8;
    }
}

static int pick_value(input *in) {
    uint8_t a = next(in), b = next(in);
    if (a == 0xFF) return b & 1 ? INT_MAX : INT_MIN;
    return (int16_t)(uint16_t)(a << 8 | b);
}

/* A text: short from the input (NUL-free), or long (a byte repeated), so both sides of MS_ANSWER_MAX_BYTES. */
static char *pick_text(input *in) {
    uint8_t len = next(in);
    size_t n;
    char *t;
    if (len & 0x80) {
        n = (size_t)(len & 0x7F) * 64 + next(in); /* up to 8,383 bytes */
        t = malloc(n + 1);
        memset(t, 'a' + (int)(len % 26), n);
    } else {
        n = len < in->n ? len : in->n;
        t = malloc(n + 1);
        memcpy(t, in->p, n);
        in->p += n;
        in->n -= n;
        for (size_t i = 0; i < n; i++)
            if (!t[i]) t[i] = ' ';
    }
    t[n] = '\0';
    return t;
}

/* Every getter over every field and a window of cells: they must not crash or read past anything. */
static void read_all(const answers *ans) {
    char buf[MS_ANSWER_MAX_BYTES + 1], tiny[3];
    for (int f = 0; f < N_FIELDS; f++) {
        const doc_field *fd = &fields[f];
        (void)strlen(answers_text(ans, fd));
        int v;
        (void)answers_scale(ans, fd, &v);
        for (size_t o = 0; o < fd->n_options; o++)
            (void)answers_is_chosen(ans, fd, fd->options[o]);
        int rows = answers_rows(ans, fd);
        CHECK(rows >= 0);
        for (int r = -1; r <= rows && r < 64; r++)
            for (int c = -1; c <= (int)fd->n_columns; c++) {
                answers_cell(ans, fd, r, c, buf, sizeof buf);
                CHECK(strlen(buf) < sizeof buf);
                answers_cell(ans, fd, r, c, tiny, sizeof tiny);
                CHECK(strlen(tiny) < sizeof tiny);
            }
    }
    int s;
    for (int i = -1; i <= (int)quest.n_qitems; i++)
        (void)answers_score(ans, &quest, i, &s);
    int first = answers_first_unanswered(ans, &quest);
    CHECK(first >= -1 && first < (int)quest.n_qitems);
    (void)answers_total(ans, &quest);
}

/* The JSON loads again and prints the same. */
static void check_round_trip(const answers *ans) {
    char *j = answers_to_json(ans);
    CHECK(j);
    answers *back = answers_new();
    CHECK(back);
    CHECK(answers_load(back, j));
    char *k = answers_to_json(back);
    CHECK(k && strcmp(j, k) == 0);
    CHECK(answers_is_empty(back) == answers_is_empty(ans));
    free(k);
    free(j);
    answers_free(back);
}

/* Runs the operations on ans. `fresh`: the answers began empty, so every edit that succeeds reads back. */
static void run(answers *ans, input in, bool fresh) {
    char buf[MS_ANSWER_MAX_BYTES + 1];
    for (int steps = 0; in.n && steps < 256; steps++) {
        uint8_t op = next(&in) % 10;
        char *before = answers_to_json(ans);
        CHECK(before);
        bool ok = false;
        const doc_field *f = pick_field(&in);
        switch (op) {
        case 0: {
            char *t = pick_text(&in);
            ok = answers_set_text(ans, f, t);
            if (strlen(t) > MS_ANSWER_MAX_BYTES) CHECK(!ok);
            if (ok && fresh) CHECK(strcmp(answers_text(ans, f), t) == 0);
            free(t);
            break;
        }
        case 1: {
            int step = pick_index(&in);
            ok = answers_set_scale(ans, f, step);
            int v;
            if (ok && fresh) CHECK(answers_scale(ans, f, &v) && v == f->min + step);
            break;
        }
        case 2: {
            int o = pick_index(&in);
            bool had = f && o >= 0 && (size_t)o < f->n_options && answers_is_chosen(ans, f, f->options[o]);
            ok = answers_choose(ans, f, o);
            if (ok && fresh) {
                bool now = answers_is_chosen(ans, f, f->options[o]);
                bool single = f->type == DOC_FIELD_CHOICE && !f->multiple, twice = false;
                for (size_t i = 0; i < f->n_options; i++)
                    twice |= (int)i != o && strcmp(f->options[i], f->options[o]) == 0;
                /* an option the content lists twice stays chosen through its twin (as exercise.c did) */
                CHECK(single ? now : twice || now != had);
            }
            break;
        }
        case 3: {
            int row = pick_index(&in), col = pick_index(&in);
            char *t = pick_text(&in);
            ok = answers_set_cell_text(ans, f, row, col, t);
            if (strlen(t) > MS_ANSWER_MAX_BYTES || row < 0 || row >= MS_ANSWER_MAX_ROWS) CHECK(!ok);
            if (ok && fresh) {
                answers_cell(ans, f, row, col, buf, sizeof buf);
                CHECK(strcmp(buf, t) == 0);
                CHECK(answers_rows(ans, f) > row);
            }
            free(t);
            break;
        }
        case 4: {
            int row = pick_index(&in), col = pick_index(&in), value = pick_value(&in);
            ok = answers_set_cell_number(ans, f, row, col, value);
            if (ok && fresh) {
                char want[16];
                snprintf(want, sizeof want, "%d", value);
                answers_cell(ans, f, row, col, buf, sizeof buf);
                CHECK(strcmp(buf, want) == 0);
            }
            break;
        }
        case 5: {
            int row = pick_index(&in), col = pick_index(&in);
            struct tm day = {.tm_mday = next(&in) % 40, .tm_mon = next(&in) % 14, .tm_year = pick_value(&in)};
            ok = answers_set_cell_date(ans, f, row, col, &day);
            if (ok && fresh) {
                answers_cell(ans, f, row, col, buf, sizeof buf);
                CHECK(buf[0] && buf[2] == '.' && buf[5] == '.');
            }
            break;
        }
        case 6: {
            int rows = answers_rows(ans, f);
            ok = answers_add_row(ans, f);
            if (ok) CHECK(rows < MS_ANSWER_ADD_ROWS_UPTO);
            if (ok && fresh) CHECK(answers_rows(ans, f) == rows + 1);
            break;
        }
        case 7: {
            int item = pick_index(&in), option = pick_index(&in);
            ok = answers_set_score(ans, &quest, item, option);
            int s;
            if (ok && fresh) {
                size_t n;
                const doc_option *o = doc_item_options(&quest, (size_t)item, &n);
                CHECK(answers_score(ans, &quest, item, &s) && s == o[option].score);
            }
            break;
        }
        case 8:
            check_round_trip(ans);
            ok = true;
            break;
        default: {
            /* the stored JSON again (fresh: empty answers instead, so what is read back stays checkable) */
            char *t = pick_text(&in);
            ok = answers_load(ans, fresh ? NULL : t);
            if (!ok) CHECK(answers_is_empty(ans));
            free(t);
            free(before);
            before = NULL;
            break;
        }
        }
        if (before && !ok) { /* refused: nothing changed */
            char *after = answers_to_json(ans);
            CHECK(after && strcmp(before, after) == 0);
            free(after);
        }
        free(before);
        read_all(ans);
    }
    check_round_trip(ans);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const uint8_t *nul = memchr(data, 0, size);
    size_t json_len = nul ? (size_t)(nul - data) : size;
    char *json = malloc(json_len + 1);
    memcpy(json, data, json_len);
    json[json_len] = '\0';
    input ops = {.p = nul ? nul + 1 : data + size, .n = nul ? size - json_len - 1 : 0};

    answers *ans = answers_new();
    CHECK(ans);
    if (!answers_load(ans, json)) CHECK(answers_is_empty(ans));
    read_all(ans);
    check_round_trip(ans);
    run(ans, ops, false);
    answers_free(ans);

    ans = answers_new();
    CHECK(ans);
    run(ans, ops, true);
    answers_free(ans);
    free(json);
    return 0;
}
