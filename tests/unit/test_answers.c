/* test_answers.c — the answers of an exercise or a questionnaire (src/core/answers.c): every kind of field, the
 * limits, damaged stored JSON, round trips, and golden JSON: the bytes a sequence of edits gives are the bytes
 * exercise.c and questionnaire.c wrote before the answers moved into core (derived from that code as of commit
 * cc92d0f, run with a stub app and store), because the store and the server already hold such JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "meistring/answers.h"
#include "meistring/utf8.h"
#include "meistring/config.h"

/* An exercise with a field of every kind, and a questionnaire whose last item has options of its own. */
static const char *const humor_opts[] = {"glad", "trist", "redd"};
static const char *const fol_opts[] = {"uro", "sinne", "skam"};
static const char *const tiltak_opts[] = {"pust", "gå tur", "ring en venn"};
static const doc_column logg_cols[] = {
    {.id = "sit", .label = "Situasjon", .kind = DOC_COL_TEXT},
    {.id = "angst", .label = "Angst", .kind = DOC_COL_NUMBER, .min = 0, .max = 10},
    {.id = "dato", .label = "Dato", .kind = DOC_COL_DATE},
    {.id = "tall", .label = "Tall", .kind = DOC_COL_NUMBER},
};
static const doc_field ex_fields_fx[] = {
    {.id = "tanke", .type = DOC_FIELD_TEXT, .label = "Tanke", .lines = 3},
    {.id = "styrke", .type = DOC_FIELD_SCALE, .label = "Styrke", .min = 0, .max = 10},
    {.id = "humor", .type = DOC_FIELD_CHOICE, .label = "Humør", .options = humor_opts, .n_options = 3},
    {.id = "folelser",
     .type = DOC_FIELD_CHOICE,
     .label = "Følelser",
     .multiple = true,
     .options = fol_opts,
     .n_options = 3},
    {.id = "tiltak", .type = DOC_FIELD_CHECKLIST, .label = "Tiltak", .options = tiltak_opts, .n_options = 3},
    {.id = "logg", .type = DOC_FIELD_TABLE, .label = "Logg", .columns = logg_cols, .n_columns = 4, .rows = 2},
};
static const doc_option q_opts[] = {
    {"Ikke i det hele tatt", 0}, {"Flere dager", 1}, {"Mer enn halvparten", 2}, {"Nesten hver dag", 3}};
static const doc_option i3_opts[] = {{"Nei", 0}, {"Ja", 5}};
static const doc_qitem q_items[] = {{.id = "i1", .text = "En"},
                                    {.id = "i2", .text = "To"},
                                    {.id = "i3", .text = "Tre", .options = i3_opts, .n_options = 2}};

static const doc_block exercise = {.id = "b1", .type = DOC_BLOCK_EXERCISE, .fields = ex_fields_fx, .n_fields = 6};
static const doc_block quest = {
    .id = "q1", .type = DOC_BLOCK_QUESTIONNAIRE, .options = q_opts, .n_options = 4, .qitems = q_items, .n_qitems = 3};

#define F_TEXT     (&ex_fields_fx[0])
#define F_SCALE    (&ex_fields_fx[1])
#define F_CHOICE   (&ex_fields_fx[2])
#define F_MULTIPLE (&ex_fields_fx[3])
#define F_CHECK    (&ex_fields_fx[4])
#define F_TABLE    (&ex_fields_fx[5])
enum { C_SIT, C_ANGST, C_DATO, C_TALL };

/* The JSON today's exercise.c stored after each step of golden_step (store_answer_set), and today's
 * questionnaire.c after each tap (store_draft_set). */
static const char *const golden_exercise[] = {
    "{\"styrke\":7}",
    "{\"styrke\":7,\"humor\":\"trist\"}",
    "{\"styrke\":7,\"humor\":\"trist\",\"folelser\":[\"skam\"]}",
    "{\"styrke\":7,\"humor\":\"trist\",\"folelser\":[\"uro\",\"skam\"]}",
    "{\"styrke\":7,\"humor\":\"trist\",\"folelser\":[\"uro\",\"skam\"],\"tiltak\":[\"gå tur\"]}",
    "{\"humor\":\"trist\",\"folelser\":[\"uro\",\"skam\"],\"tiltak\":[\"gå tur\"],\"styrke\":3}",
    "{\"humor\":\"trist\",\"folelser\":[\"uro\",\"skam\"],\"tiltak\":[\"gå tur\"],\"styrke\":3,\"tanke\":\"Jeg får "
    "\\\"hjerteinfarkt\\\"\\n– tror jeg\"}",
    "{\"humor\":\"trist\",\"folelser\":[\"uro\",\"skam\"],\"tiltak\":[\"gå tur\"],\"styrke\":3,\"tanke\":\"Jeg får "
    "\\\"hjerteinfarkt\\\"\\n– tror jeg\",\"logg\":[{\"sit\":\"På bussen\"}]}",
    "{\"humor\":\"trist\",\"folelser\":[\"uro\",\"skam\"],\"tiltak\":[\"gå tur\"],\"styrke\":3,\"tanke\":\"Jeg får "
    "\\\"hjerteinfarkt\\\"\\n– tror jeg\",\"logg\":[{\"sit\":\"På bussen\",\"angst\":8}]}",
    "{\"humor\":\"trist\",\"folelser\":[\"uro\",\"skam\"],\"tiltak\":[\"gå tur\"],\"styrke\":3,\"tanke\":\"Jeg får "
    "\\\"hjerteinfarkt\\\"\\n– tror jeg\",\"logg\":[{\"sit\":\"På bussen\",\"angst\":8},{\"angst\":3}]}",
    "{\"humor\":\"trist\",\"folelser\":[\"uro\",\"skam\"],\"tiltak\":[\"gå tur\"],\"styrke\":3,\"tanke\":\"Jeg får "
    "\\\"hjerteinfarkt\\\"\\n– tror jeg\",\"logg\":[{\"sit\":\"På bussen\",\"angst\":8},{\"angst\":3},{}]}",
    "{\"humor\":\"trist\",\"folelser\":[\"uro\",\"skam\"],\"tiltak\":[\"gå tur\"],\"styrke\":3,\"tanke\":\"Jeg får "
    "\\\"hjerteinfarkt\\\"\\n– tror jeg\",\"logg\":[{\"sit\":\"På "
    "bussen\",\"angst\":8},{\"angst\":3,\"dato\":\"31.12.2025\"},{}]}",
    "{\"humor\":\"trist\",\"folelser\":[\"uro\",\"skam\"],\"tiltak\":[\"gå tur\"],\"styrke\":3,\"tanke\":\"Jeg får "
    "\\\"hjerteinfarkt\\\"\\n– tror jeg\",\"logg\":[{\"sit\":\"På "
    "bussen\",\"angst\":8},{\"angst\":3,\"dato\":\"31.12.2025\"},{\"tall\":-5}]}",
    "{\"humor\":\"trist\",\"folelser\":[\"uro\",\"skam\"],\"tiltak\":[\"gå tur\"],\"styrke\":3,\"tanke\":\"Jeg får "
    "\\\"hjerteinfarkt\\\"\\n– tror jeg\",\"logg\":[{\"sit\":\"På "
    "bussen\",\"angst\":8},{\"angst\":3,\"dato\":\"31.12.2025\"},{\"tall\":-5},{},{\"sit\":\"Butikken\"}]}",
    "{\"humor\":\"trist\",\"folelser\":[\"uro\",\"skam\"],\"tiltak\":[\"gå tur\"],\"styrke\":3,\"tanke\":\"Jeg får "
    "\\\"hjerteinfarkt\\\"\\n– tror "
    "jeg\",\"logg\":[{\"angst\":8},{\"angst\":3,\"dato\":\"31.12.2025\"},{\"tall\":-5},{},{\"sit\":\"Butikken\"}]}",
    "{\"humor\":\"trist\",\"folelser\":[\"uro\",\"skam\"],\"tiltak\":[\"gå "
    "tur\"],\"styrke\":3,\"logg\":[{\"angst\":8},{\"angst\":3,\"dato\":\"31.12.2025\"},{\"tall\":-5},{},{\"sit\":"
    "\"Butikken\"}]}",
    "{\"humor\":\"trist\",\"folelser\":[\"uro\",\"skam\"],\"styrke\":3,\"logg\":[{\"angst\":8},{\"angst\":3,\"dato\":"
    "\"31.12.2025\"},{\"tall\":-5},{},{\"sit\":\"Butikken\"}],\"tiltak\":[]}",
    "{\"folelser\":[\"uro\",\"skam\"],\"styrke\":3,\"logg\":[{\"angst\":8},{\"angst\":3,\"dato\":\"31.12.2025\"},{"
    "\"tall\":-5},{},{\"sit\":\"Butikken\"}],\"tiltak\":[],\"humor\":\"glad\"}",
};
static const char *const golden_questionnaire[] = {
    "{\"i1\":2}",
    "{\"i1\":2,\"i2\":1}",
    "{\"i1\":2,\"i2\":1,\"i3\":5}",
    "{\"i2\":1,\"i3\":5,\"i1\":3}",
};

static void expect_json(const answers *ans, const char *want) {
    char *j = answers_to_json(ans);
    assert_non_null(j);
    assert_string_equal(j, want);
    free(j);
}

/* Step i of the golden sequence, as exercise.c made it: ex_value (scale, choice, multiple, checklist),
 * ex_text_changed (a text field, a cell), ex_cell_number, ex_cell_step, ex_add_row, ex_cell_today (on
 * 31.12.2025), clearing a cell and a text, a checklist item tapped off. */
static bool golden_step(answers *ans, int i) {
    struct tm day = {.tm_mday = 31, .tm_mon = 11, .tm_year = 125};
    switch (i) {
    case 0: return answers_set_scale(ans, F_SCALE, 7);
    case 1: return answers_choose(ans, F_CHOICE, 1);
    case 2: return answers_choose(ans, F_MULTIPLE, 2);
    case 3: return answers_choose(ans, F_MULTIPLE, 0);
    case 4: return answers_choose(ans, F_CHECK, 1);
    case 5: return answers_set_scale(ans, F_SCALE, 3);
    case 6: return answers_set_text(ans, F_TEXT, "Jeg får \"hjerteinfarkt\"\n– tror jeg");
    case 7: return answers_set_cell_text(ans, F_TABLE, 0, C_SIT, "På bussen");
    case 8: return answers_set_cell_number(ans, F_TABLE, 0, C_ANGST, 8);
    case 9: return answers_set_cell_number(ans, F_TABLE, 1, C_ANGST, 3); /* the fourth of the 0–10 buttons */
    case 10: return answers_add_row(ans, F_TABLE);                       /* 2 rows shown: a third */
    case 11: return answers_set_cell_date(ans, F_TABLE, 1, C_DATO, &day);
    case 12: return answers_set_cell_number(ans, F_TABLE, 2, C_TALL, -5);
    case 13: return answers_set_cell_text(ans, F_TABLE, 4, C_SIT, "Butikken"); /* row 3 added empty */
    case 14: return answers_set_cell_text(ans, F_TABLE, 0, C_SIT, "");
    case 15: return answers_set_text(ans, F_TEXT, "");
    case 16: return answers_choose(ans, F_CHECK, 1);
    case 17: return answers_choose(ans, F_CHOICE, 0);
    default: return false;
    }
}
#define GOLDEN_STEPS ((int)(sizeof golden_exercise / sizeof *golden_exercise))

static void test_golden_exercise(void **state) {
    (void)state;
    answers *ans = answers_new();
    assert_non_null(ans);
    expect_json(ans, "{}");
    for (int i = 0; i < GOLDEN_STEPS; i++) {
        assert_true(golden_step(ans, i));
        expect_json(ans, golden_exercise[i]);
    }
    /* what the screen reads back at the end */
    char buf[64];
    assert_int_equal(answers_rows(ans, F_TABLE), 5);
    answers_cell(ans, F_TABLE, 0, C_ANGST, buf, sizeof buf);
    assert_string_equal(buf, "8");
    answers_cell(ans, F_TABLE, 1, C_DATO, buf, sizeof buf);
    assert_string_equal(buf, "31.12.2025");
    answers_cell(ans, F_TABLE, 2, C_TALL, buf, sizeof buf);
    assert_string_equal(buf, "-5");
    answers_cell(ans, F_TABLE, 4, C_SIT, buf, sizeof buf);
    assert_string_equal(buf, "Butikken");
    answers_cell(ans, F_TABLE, 0, C_SIT, buf, sizeof buf);
    assert_string_equal(buf, "");
    assert_string_equal(answers_text(ans, F_TEXT), "");
    assert_string_equal(answers_text(ans, F_CHOICE), "glad");
    assert_true(answers_is_chosen(ans, F_CHOICE, "glad"));
    assert_false(answers_is_chosen(ans, F_CHOICE, "trist"));
    assert_true(answers_is_chosen(ans, F_MULTIPLE, "uro"));
    assert_false(answers_is_chosen(ans, F_MULTIPLE, "sinne"));
    assert_true(answers_is_chosen(ans, F_MULTIPLE, "skam"));
    assert_false(answers_is_chosen(ans, F_CHECK, "gå tur"));
    int v;
    assert_true(answers_scale(ans, F_SCALE, &v));
    assert_int_equal(v, 3);
    assert_false(answers_is_empty(ans));
    answers_free(ans);
}

/* Stored JSON this client did not write: a table that is a string, a scale that is a string, a single choice
 * kept as an array, a row that is a number, a text that is a number. Today's code worked around each; so does
 * this, to the byte. */
static void test_golden_odd_stored(void **state) {
    (void)state;
    answers *ans = answers_new();
    assert_true(answers_load(ans, "{\"logg\":\"x\",\"styrke\":\"nope\",\"folelser\":\"uro\",\"humor\":[\"trist\"]}"));
    int v = 99;
    assert_false(answers_scale(ans, F_SCALE, &v));
    assert_int_equal(v, 0);
    assert_true(answers_is_chosen(ans, F_CHOICE, "trist"));
    assert_string_equal(answers_text(ans, F_TEXT), "");
    assert_int_equal(answers_rows(ans, F_TABLE), 2);
    assert_true(answers_choose(ans, F_MULTIPLE, 1)); /* "uro" as a string counts as chosen */
    expect_json(ans, "{\"logg\":\"x\",\"styrke\":\"nope\",\"humor\":[\"trist\"],\"folelser\":[\"uro\",\"sinne\"]}");
    assert_true(answers_set_cell_number(ans, F_TABLE, 1, C_ANGST, 4)); /* the string becomes a table */
    expect_json(
        ans,
        "{\"styrke\":\"nope\",\"humor\":[\"trist\"],\"folelser\":[\"uro\",\"sinne\"],\"logg\":[{},{\"angst\":4}]}");

    assert_true(answers_load(ans, "{\"logg\":[1,{\"sit\":\"a\"}],\"tanke\":5}"));
    assert_int_equal(answers_rows(ans, F_TABLE), 2);
    assert_string_equal(answers_text(ans, F_TEXT), "");
    /* a row that is not an object is left alone (exercise.c saved the same JSON again; this says false) */
    assert_false(answers_set_cell_number(ans, F_TABLE, 0, C_ANGST, 2));
    assert_false(answers_set_cell_text(ans, F_TABLE, 0, C_SIT, "b"));
    expect_json(ans, "{\"logg\":[1,{\"sit\":\"a\"}],\"tanke\":5}");
    assert_true(answers_set_cell_text(ans, F_TABLE, 1, C_SIT, "b"));
    expect_json(ans, "{\"logg\":[1,{\"sit\":\"b\"}],\"tanke\":5}");
    char buf[8];
    answers_cell(ans, F_TABLE, 0, C_SIT, buf, sizeof buf);
    assert_string_equal(buf, "");

    /* not an object: empty, and the next edit starts from nothing */
    assert_false(answers_load(ans, "[1,2]"));
    assert_true(answers_choose(ans, F_CHOICE, 2));
    expect_json(ans, "{\"humor\":\"redd\"}");
    answers_free(ans);
}

static void test_golden_questionnaire(void **state) {
    (void)state;
    answers *ans = answers_new();
    assert_int_equal(answers_first_unanswered(ans, &quest), 0);
    assert_true(answers_set_score(ans, &quest, 0, 2));
    expect_json(ans, golden_questionnaire[0]);
    assert_int_equal(answers_first_unanswered(ans, &quest), 1);
    assert_true(answers_set_score(ans, &quest, 1, 1));
    expect_json(ans, golden_questionnaire[1]);
    assert_true(answers_set_score(ans, &quest, 2, 1)); /* the item's own options: "Ja", 5 */
    expect_json(ans, golden_questionnaire[2]);
    assert_int_equal(answers_first_unanswered(ans, &quest), -1);
    assert_int_equal(answers_total(ans, &quest), 8);
    assert_true(answers_set_score(ans, &quest, 0, 3));
    expect_json(ans, golden_questionnaire[3]);
    assert_int_equal(answers_total(ans, &quest), 9);
    int s = -1;
    assert_true(answers_score(ans, &quest, 2, &s));
    assert_int_equal(s, 5);

    assert_true(answers_load(ans, "{\"i2\":1}"));
    assert_int_equal(answers_first_unanswered(ans, &quest), 0);
    assert_int_equal(answers_total(ans, &quest), 1);
    s = -1;
    assert_false(answers_score(ans, &quest, 0, &s));
    assert_int_equal(s, -1);
    answers_free(ans);
}

/* What is written reads back the same after the JSON goes through the store: every step of the sequence. */
static void test_round_trip(void **state) {
    (void)state;
    answers *ans = answers_new(), *back = answers_new();
    for (int i = 0; i < GOLDEN_STEPS; i++) {
        assert_true(golden_step(ans, i));
        char *j = answers_to_json(ans);
        assert_true(answers_load(back, j));
        expect_json(back, j);
        free(j);
        int a, b;
        bool sa = answers_scale(ans, F_SCALE, &a), sb = answers_scale(back, F_SCALE, &b);
        assert_int_equal(sa, sb);
        assert_int_equal(a, b);
        assert_string_equal(answers_text(ans, F_TEXT), answers_text(back, F_TEXT));
        assert_string_equal(answers_text(ans, F_CHOICE), answers_text(back, F_CHOICE));
        for (size_t o = 0; o < F_CHECK->n_options; o++)
            assert_int_equal(answers_is_chosen(ans, F_CHECK, F_CHECK->options[o]),
                             answers_is_chosen(back, F_CHECK, F_CHECK->options[o]));
        assert_int_equal(answers_rows(ans, F_TABLE), answers_rows(back, F_TABLE));
        for (int r = 0; r < answers_rows(ans, F_TABLE); r++)
            for (int c = 0; c < 4; c++) {
                char x[64], y[64];
                answers_cell(ans, F_TABLE, r, c, x, sizeof x);
                answers_cell(back, F_TABLE, r, c, y, sizeof y);
                assert_string_equal(x, y);
            }
    }
    /* Norwegian letters, quotes, backslashes, control characters and a lone emoji survive */
    const char *hard = "æøå ÆØÅ \"sitat\" \\ \t\x01 😟";
    assert_true(answers_set_text(ans, F_TEXT, hard));
    char *j = answers_to_json(ans);
    assert_true(answers_load(back, j));
    free(j);
    assert_string_equal(answers_text(back, F_TEXT), hard);
    answers_free(back);
    answers_free(ans);
}

static void test_new_is_empty(void **state) {
    (void)state;
    answers *ans = answers_new();
    assert_true(answers_is_empty(ans));
    expect_json(ans, "{}");
    assert_string_equal(answers_text(ans, F_TEXT), "");
    int v = 5;
    assert_false(answers_scale(ans, F_SCALE, &v));
    assert_int_equal(v, 0);
    assert_false(answers_is_chosen(ans, F_CHECK, "pust"));
    assert_int_equal(answers_rows(ans, F_TABLE), 2); /* the content's rows */
    assert_int_equal(answers_rows(ans, F_TEXT), 0);
    char buf[8] = "junk";
    answers_cell(ans, F_TABLE, 0, 0, buf, sizeof buf);
    assert_string_equal(buf, "");
    assert_int_equal(answers_total(ans, &quest), 0);
    /* clearing what is not there is no change */
    assert_true(answers_set_text(ans, F_TEXT, ""));
    assert_true(answers_is_empty(ans));
    /* NULL answers or field: nothing, and every edit refused */
    assert_true(answers_is_empty(NULL));
    assert_string_equal(answers_text(NULL, F_TEXT), "");
    assert_string_equal(answers_text(ans, NULL), "");
    assert_false(answers_set_text(NULL, F_TEXT, "x"));
    assert_false(answers_set_text(ans, NULL, "x"));
    assert_false(answers_choose(ans, NULL, 0));
    assert_false(answers_add_row(NULL, F_TABLE));
    assert_int_equal(answers_rows(NULL, F_TABLE), 2);
    assert_int_equal(answers_first_unanswered(NULL, &quest), 0);
    answers_free(ans);
    answers_free(NULL);
}

/* A text of MS_ANSWER_MAX_BYTES is kept; one byte more is refused and the answer stays as it was. */
static void test_text_limit(void **state) {
    (void)state;
    answers *ans = answers_new();
    char *big = malloc(MS_ANSWER_MAX_BYTES + 2);
    memset(big, 'a', MS_ANSWER_MAX_BYTES + 1);
    big[MS_ANSWER_MAX_BYTES + 1] = '\0';
    assert_true(answers_set_text(ans, F_TEXT, "før"));
    assert_false(answers_set_text(ans, F_TEXT, big));
    assert_false(answers_set_cell_text(ans, F_TABLE, 0, C_SIT, big));
    expect_json(ans, "{\"tanke\":\"før\"}");
    big[MS_ANSWER_MAX_BYTES] = '\0';
    assert_true(answers_set_text(ans, F_TEXT, big));
    assert_int_equal(strlen(answers_text(ans, F_TEXT)), MS_ANSWER_MAX_BYTES);
    assert_true(answers_set_cell_text(ans, F_TABLE, 0, C_SIT, big));
    char buf[MS_ANSWER_MAX_BYTES + 1];
    answers_cell(ans, F_TABLE, 0, C_SIT, buf, sizeof buf);
    assert_int_equal(strlen(buf), MS_ANSWER_MAX_BYTES);
    char small[5];
    answers_cell(ans, F_TABLE, 0, C_SIT, small, sizeof small); /* cut, NUL-terminated */
    assert_string_equal(small, "aaaa");
    free(big);
    answers_free(ans);
}

/* Every edit checks its field's type, its indices and its range; a refused edit changes nothing. */
static void test_refused_edits(void **state) {
    (void)state;
    answers *ans = answers_new();
    assert_true(answers_set_cell_text(ans, F_TABLE, 0, C_SIT, "x"));
    char *before = answers_to_json(ans);
    /* the wrong kind of field */
    assert_false(answers_set_text(ans, F_SCALE, "x"));
    assert_false(answers_set_scale(ans, F_TEXT, 1));
    assert_false(answers_choose(ans, F_TEXT, 0));
    assert_false(answers_choose(ans, F_SCALE, 0));
    assert_false(answers_choose(ans, F_TABLE, 0));
    assert_false(answers_set_cell_text(ans, F_TEXT, 0, 0, "x"));
    assert_false(answers_add_row(ans, F_CHECK));
    assert_false(answers_set_score(ans, &exercise, 0, 0));
    /* scale steps: 0..max-min */
    assert_false(answers_set_scale(ans, F_SCALE, -1));
    assert_false(answers_set_scale(ans, F_SCALE, 11));
    assert_false(answers_set_scale(ans, F_SCALE, INT_MAX));
    assert_false(answers_set_scale(ans, F_SCALE, INT_MIN));
    /* options */
    assert_false(answers_choose(ans, F_CHOICE, -1));
    assert_false(answers_choose(ans, F_CHOICE, 3));
    assert_false(answers_choose(ans, F_CHECK, INT_MAX));
    /* cells: negative or huge rows and columns */
    assert_false(answers_set_cell_text(ans, F_TABLE, -1, C_SIT, "x"));
    assert_false(answers_set_cell_text(ans, F_TABLE, MS_ANSWER_MAX_ROWS, C_SIT, "x"));
    assert_false(answers_set_cell_text(ans, F_TABLE, INT_MAX, C_SIT, "x"));
    assert_false(answers_set_cell_text(ans, F_TABLE, INT_MIN, C_SIT, "x"));
    assert_false(answers_set_cell_text(ans, F_TABLE, 0, -1, "x"));
    assert_false(answers_set_cell_text(ans, F_TABLE, 0, 4, "x"));
    assert_false(answers_set_cell_number(ans, F_TABLE, INT_MAX, C_ANGST, 1));
    assert_false(answers_set_cell_number(ans, F_TABLE, 0, INT_MIN, 1));
    /* numbers: only into a number column, within its range unless it has none */
    assert_false(answers_set_cell_number(ans, F_TABLE, 0, C_SIT, 1));
    assert_false(answers_set_cell_number(ans, F_TABLE, 0, C_DATO, 1));
    assert_false(answers_set_cell_number(ans, F_TABLE, 0, C_ANGST, -1));
    assert_false(answers_set_cell_number(ans, F_TABLE, 0, C_ANGST, 11));
    struct tm day = {.tm_mday = 1, .tm_mon = 0, .tm_year = 126};
    assert_false(answers_set_cell_date(ans, F_TABLE, -1, C_DATO, &day));
    /* questionnaire items and options */
    assert_false(answers_set_score(ans, &quest, -1, 0));
    assert_false(answers_set_score(ans, &quest, 3, 0));
    assert_false(answers_set_score(ans, &quest, 0, 4));
    assert_false(answers_set_score(ans, &quest, 2, 2)); /* its own options are two */
    assert_false(answers_set_score(ans, &quest, 0, -1));
    int s = 7;
    assert_false(answers_score(ans, &quest, -1, &s));
    assert_false(answers_score(ans, &quest, INT_MAX, &s));
    assert_int_equal(s, 7);
    char *after = answers_to_json(ans);
    assert_string_equal(before, after);
    free(before);
    free(after);
    /* reading out of range is empty, never a crash */
    char buf[8];
    answers_cell(ans, F_TABLE, INT_MAX, 0, buf, sizeof buf);
    assert_string_equal(buf, "");
    answers_cell(ans, F_TABLE, -1, 0, buf, sizeof buf);
    assert_string_equal(buf, "");
    answers_cell(ans, F_TABLE, 0, INT_MIN, buf, sizeof buf);
    assert_string_equal(buf, "");
    answers_cell(ans, F_TEXT, 0, 0, buf, sizeof buf);
    assert_string_equal(buf, "");
    answers_free(ans);
}

/* The last row a cell may be written in pads the table to MS_ANSWER_MAX_ROWS rows; an unbounded number column
 * takes any int. */
static void test_table_edges(void **state) {
    (void)state;
    answers *ans = answers_new();
    assert_true(answers_set_cell_number(ans, F_TABLE, MS_ANSWER_MAX_ROWS - 1, C_TALL, INT_MIN));
    assert_int_equal(answers_rows(ans, F_TABLE), MS_ANSWER_MAX_ROWS);
    char buf[16];
    answers_cell(ans, F_TABLE, MS_ANSWER_MAX_ROWS - 1, C_TALL, buf, sizeof buf);
    assert_string_equal(buf, "-2147483648");
    assert_false(answers_add_row(ans, F_TABLE)); /* more than MS_ANSWER_ADD_ROWS_UPTO shown */
    assert_true(answers_set_cell_number(ans, F_TABLE, 0, C_TALL, INT_MAX));
    answers_cell(ans, F_TABLE, 0, C_TALL, buf, sizeof buf);
    assert_string_equal(buf, "2147483647");
    assert_true(answers_set_cell_number(ans, F_TABLE, 0, C_ANGST, 0)); /* both ends of 0–10 */
    assert_true(answers_set_cell_number(ans, F_TABLE, 0, C_ANGST, 10));

    /* «Legg til rad» adds one empty row at a time until MS_ANSWER_ADD_ROWS_UPTO are shown */
    assert_true(answers_load(ans, NULL));
    for (int n = F_TABLE->rows; n < MS_ANSWER_ADD_ROWS_UPTO; n++) {
        assert_int_equal(answers_rows(ans, F_TABLE), n);
        assert_true(answers_add_row(ans, F_TABLE));
    }
    assert_int_equal(answers_rows(ans, F_TABLE), MS_ANSWER_ADD_ROWS_UPTO);
    assert_false(answers_add_row(ans, F_TABLE));
    assert_int_equal(answers_rows(ans, F_TABLE), MS_ANSWER_ADD_ROWS_UPTO);

    /* a date, as Norwegians write it, in any column (as ex_cell_today) */
    assert_true(answers_load(ans, NULL));
    struct tm day = {.tm_mday = 5, .tm_mon = 2, .tm_year = 126};
    assert_true(answers_set_cell_date(ans, F_TABLE, 0, C_DATO, &day));
    expect_json(ans, "{\"logg\":[{\"dato\":\"05.03.2026\"}]}");
    answers_free(ans);
}

/* Choices: a single choice is replaced, several are toggled and kept in the content's order; options the
 * content no longer offers are dropped at the next tap. */
static void test_choices(void **state) {
    (void)state;
    answers *ans = answers_new();
    assert_true(answers_choose(ans, F_CHOICE, 0));
    assert_true(answers_choose(ans, F_CHOICE, 0)); /* a second tap keeps it */
    expect_json(ans, "{\"humor\":\"glad\"}");
    assert_true(answers_choose(ans, F_CHECK, 2));
    assert_true(answers_choose(ans, F_CHECK, 0));
    assert_true(answers_choose(ans, F_CHECK, 1));
    expect_json(ans, "{\"humor\":\"glad\",\"tiltak\":[\"pust\",\"gå tur\",\"ring en venn\"]}");
    assert_true(answers_choose(ans, F_CHECK, 1));
    expect_json(ans, "{\"humor\":\"glad\",\"tiltak\":[\"pust\",\"ring en venn\"]}");
    assert_true(answers_load(ans, "{\"folelser\":[\"gammel\",\"skam\",7]}"));
    assert_true(answers_is_chosen(ans, F_MULTIPLE, "gammel"));
    assert_false(answers_is_chosen(ans, F_MULTIPLE, NULL));
    assert_true(answers_choose(ans, F_MULTIPLE, 0));
    expect_json(ans, "{\"folelser\":[\"uro\",\"skam\"]}");
    answers_free(ans);
}

/* Stored JSON that cannot be answers: empty answers and false, whatever was loaded before. */
static void test_bad_stored(void **state) {
    (void)state;
    static const char *const bad[] = {"",   "nope", "{",    "{\"a\":",    "[]",        "[{}]",      "\"tekst\"",
                                      "42", "null", "true", "{\"a\":1,}", "{\"a\" 1}", "\xff\xfe{}"};
    answers *ans = answers_new();
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_true(answers_load(ans, "{\"tanke\":\"før\"}"));
        assert_false(answers_load(ans, bad[i]));
        assert_true(answers_is_empty(ans));
        expect_json(ans, "{}");
        assert_true(answers_set_text(ans, F_TEXT, "etter")); /* and it works on */
        expect_json(ans, "{\"tanke\":\"etter\"}");
    }
    /* deeper than a PUT may carry: refused before cJSON recurses into it */
    char deep[2 * 1000 + 16];
    size_t n = 0;
    for (int i = 0; i < MS_ANSWER_MAX_DEPTH + 1; i++)
        n += (size_t)snprintf(deep + n, sizeof deep - n, "%s", i ? "[" : "{\"a\":");
    for (int i = 0; i < MS_ANSWER_MAX_DEPTH; i++)
        deep[n++] = ']';
    deep[n++] = '}';
    deep[n] = '\0';
    assert_false(answers_load(ans, deep));
    expect_json(ans, "{}");
    deep[0] = '\0';
    for (n = 0; n < 1000; n++)
        deep[n] = '[';
    deep[n] = '\0';
    assert_false(answers_load(ans, deep));
    /* at the depth limit: kept */
    n = 0;
    for (int i = 0; i < MS_ANSWER_MAX_DEPTH; i++)
        n += (size_t)snprintf(deep + n, sizeof deep - n, "%s", i ? "[" : "{\"a\":");
    for (int i = 1; i < MS_ANSWER_MAX_DEPTH; i++)
        deep[n++] = ']';
    deep[n++] = '}';
    deep[n] = '\0';
    assert_true(answers_load(ans, deep));
    assert_false(answers_is_empty(ans));
    /* nothing stored yet is not an error */
    assert_true(answers_load(ans, NULL));
    assert_true(answers_is_empty(ans));
    answers_free(ans);
}

/* A damaged draft with enormous scores: the total is kept within int (no overflow). */
static void test_total_bounded(void **state) {
    (void)state;
    answers *ans = answers_new();
    assert_true(answers_load(ans, "{\"i1\":1e300,\"i2\":1e300,\"i3\":5}"));
    assert_int_equal(answers_total(ans, &quest), INT_MAX);
    assert_true(answers_load(ans, "{\"i1\":-1e300,\"i2\":-1e300,\"i3\":\"5\"}"));
    assert_int_equal(answers_total(ans, &quest), INT_MIN);
    assert_int_equal(answers_first_unanswered(ans, &quest), 2);
    answers_free(ans);
}

/* The score record sync_submit_questionnaire keeps, read back for «Mine resultater»; damaged ones are skipped. */
static void test_score_record(void **state) {
    (void)state;
    answers_score_record r;
    assert_true(answers_parse_score(
        "{\"questionnaire\":{\"instrument\":\"PHQ-9\",\"total\":6,\"max\":27,\"band\":\"Milde plager\"}}", &r));
    assert_string_equal(r.instrument, "PHQ-9");
    assert_string_equal(r.band, "Milde plager");
    assert_int_equal(r.total, 6);
    assert_int_equal(r.max, 27);
    assert_false(r.urgent);
    assert_true(answers_parse_score("{\"questionnaire\":{\"instrument\":\"GAD-7\",\"total\":0,\"max\":21}}", &r));
    assert_string_equal(r.band, "");
    /* a week whose answers asked for where help is (PHQ-9's item 9): «Mine resultater» says it again */
    assert_true(answers_parse_score(
        "{\"questionnaire\":{\"instrument\":\"PHQ-9\",\"total\":3,\"max\":27,\"urgent\":true}}", &r));
    assert_true(r.urgent);
    /* an instrument's name longer than the record holds is cut, never overflowed */
    char longname[200];
    snprintf(longname, sizeof longname, "{\"questionnaire\":{\"instrument\":\"%0120d\",\"total\":1,\"max\":2}}", 7);
    assert_true(answers_parse_score(longname, &r));
    assert_int_equal(strlen(r.instrument), sizeof r.instrument - 1);
    /* a band cut where it does not fit is cut between characters: «ø» (2 bytes) across the record's last byte went
     * half, and the half byte to a screen reader aborts the client (D-Bus) */
    char longband[300];
    snprintf(longband, sizeof longband, "{\"questionnaire\":{\"instrument\":\"X\",\"total\":1,\"max\":2,\"band\":\"%0*døøøø\"}}",
             (int)sizeof r.band - 2, 0);
    assert_true(answers_parse_score(longband, &r));
    assert_true(utf8_valid(r.band, strlen(r.band)));
    assert_int_equal(strlen(r.band), sizeof r.band - 2);
    r.total = 99;
    assert_false(answers_parse_score(NULL, &r));
    assert_false(answers_parse_score("", &r));
    assert_false(answers_parse_score("{\"questionnaire\":{\"instrument\":\"PHQ-9\",\"total\":\"6\",\"max\":27}}", &r));
    assert_false(answers_parse_score("{\"questionnaire\":{\"total\":6,\"max\":27}}", &r));
    assert_false(answers_parse_score("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", &r));
    assert_int_equal(r.total, 99); /* untouched by a refused record */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_is_empty),      cmocka_unit_test(test_golden_exercise),
        cmocka_unit_test(test_golden_odd_stored), cmocka_unit_test(test_golden_questionnaire),
        cmocka_unit_test(test_round_trip),        cmocka_unit_test(test_text_limit),
        cmocka_unit_test(test_refused_edits),     cmocka_unit_test(test_table_edges),
        cmocka_unit_test(test_choices),           cmocka_unit_test(test_bad_stored),
        cmocka_unit_test(test_total_bounded),     cmocka_unit_test(test_score_record),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
