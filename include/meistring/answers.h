/* answers.h — what the patient has answered in one exercise block or one questionnaire block, and the JSON it
 * is kept and sent as. The JSON is the store's and the server's (docs/writing.md, docs/sync-protocol.md), so
 * its shape and bytes are fixed: one object {"field or item id": value}, where a value is a string (free text,
 * a single choice), a number (a scale, a questionnaire item's score) or an array of strings (several choices, a
 * checklist) or, for a table, an array of row objects {"column id": string or number}. An edit replaces a
 * value by removing it and appending the new one, so the newest edit's key comes last.
 *
 * The fields, columns and items are the content's (doc.h): every call takes the doc_field or doc_block it is
 * about, and edits are checked against it (its type, options, range, columns); a NULL field or answers is
 * "not answered" and refuses every edit. Reading is lenient: a value of the wrong type reads as "not answered",
 * never as an error. */
#ifndef MEISTRING_ANSWERS_H
#define MEISTRING_ANSWERS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "meistring/config.h"
#include "meistring/doc.h"

typedef struct answers answers;

/* ---- life and the JSON ------------------------------------------------------------------------------------ */

/* New, empty answers ("{}"); NULL when out of memory. Free with answers_free (NULL is a no-op). */
answers *answers_new(void);
void answers_free(answers *ans);

/* Replaces the answers with the stored JSON (NUL-terminated; NULL: nothing stored yet, empty and true). JSON
 * that does not parse, is not an object or nests deeper than a PUT may carry leaves the answers empty and
 * returns false: the patient starts again rather than losing the screen. */
bool answers_load(answers *ans, const char *json);

/* The answers as compact JSON, as stored and sent: malloc'd, the caller frees it; NULL when out of memory. */
char *answers_to_json(const answers *ans);

/* True when nothing is answered ("{}"): there is nothing to send. */
bool answers_is_empty(const answers *ans);

/* ---- an exercise's fields ----------------------------------------------------------------------------------
 * Edits return true when the answers now hold the edit (the caller saves them), false when it is refused — the
 * field is of another type, an index or value is out of range, a text is over MS_ANSWER_MAX_BYTES, a table row
 * in the answers is not an object — or memory ran out; a refused edit changes nothing. */

/* The field's string value (free text, a single choice); "" when it has none. The pointer is the answers' own,
 * valid until the next edit, load or free. */
const char *answers_text(const answers *ans, const doc_field *f);
/* Sets a text field's answer; "" removes it. Over MS_ANSWER_MAX_BYTES bytes is refused. */
bool answers_set_text(answers *ans, const doc_field *f, const char *text);

/* A scale's value into *value (0 when unset); false when it has none (or the value is not a number). */
bool answers_scale(const answers *ans, const doc_field *f, int *value);
/* Sets a scale to its step-th value, f->min + step, 0 <= step <= f->max - f->min. */
bool answers_set_scale(answers *ans, const doc_field *f, int step);

/* Whether `option` is chosen: the value is that string, or an array holding it. */
bool answers_is_chosen(const answers *ans, const doc_field *f, const char *option);
/* A tap on option `option` (an index into f->options) of a choice or checklist field. A single choice becomes
 * that option; a multiple choice or checklist gains or loses it, the array kept in the content's order (options
 * the content no longer has are dropped). */
bool answers_choose(answers *ans, const doc_field *f, int option);

/* ---- a table field: rows of cells, one per column ----------------------------------------------------------
 * Rows are counted from 0; a cell may be written in rows 0 .. MS_ANSWER_MAX_ROWS - 1, and writing one past the
 * end adds empty rows up to it. */

/* Rows to show: the rows in the answers, at least the content's f->rows; 0 for a field that is not a table. */
int answers_rows(const answers *ans, const doc_field *f);
/* A cell's text into buf (cap > 0 bytes, always NUL-terminated, cut when longer): a string as it is, a number
 * in decimal, "" when empty or out of range. */
void answers_cell(const answers *ans, const doc_field *f, int row, int col, char *buf, size_t cap);
/* Writes a text into a cell (any column: the editor writes dates and numbers typed as text); "" empties it. Over
 * MS_ANSWER_MAX_BYTES bytes is refused. */
bool answers_set_cell_text(answers *ans, const doc_field *f, int row, int col, const char *text);
/* Writes a number into a number column's cell, within the column's min..max unless both are 0 (unbounded). */
bool answers_set_cell_number(answers *ans, const doc_field *f, int row, int col, int value);
/* Writes a day into a cell as Norwegians write a date, "31.12.2025" (the caller's local time, e.g. today). */
bool answers_set_cell_date(answers *ans, const doc_field *f, int row, int col, const struct tm *day);
/* «Legg til rad»: one empty row after those shown (answers_rows), while fewer than MS_ANSWER_ADD_ROWS_UPTO
 * are shown. */
bool answers_add_row(answers *ans, const doc_field *f);

/* ---- a questionnaire's items (q is a DOC_BLOCK_QUESTIONNAIRE block) --------------------------------------- */

/* Item `item`'s score into *score; false when it is not answered (or out of range; *score untouched). */
bool answers_score(const answers *ans, const doc_block *q, int item, int *score);
/* Answers item `item` with option `option` of its options (doc_item_options): its score is kept. */
bool answers_set_score(answers *ans, const doc_block *q, int item, int option);
/* The first item not answered, -1 when all are. */
int answers_first_unanswered(const answers *ans, const doc_block *q);
/* The sum of the answered items' scores (kept within int). */
int answers_total(const answers *ans, const doc_block *q);

/* ---- a questionnaire sent: the score kept for «Mine resultater» ---------------------------------------------- */

/* What sync_submit_questionnaire keeps of a sent questionnaire, for the patient's own plot: the record's
 * {"block", "questionnaire": {"instrument", "total", "max", "band", "urgent"}}. */
typedef struct {
    char instrument[32], band[96]; /* cut to fit; band "" when the content names none */
    char block[64];                /* the questionnaire block it answered ("" in records kept before it was) */
    int total, max;
    bool urgent;                   /* the answers asked for where help is (sync_submit_questionnaire) */
} answers_score_record;

/* Reads a kept record; false (and *out untouched) when it is not one: damaged, or without instrument and numbers. */
bool answers_parse_score(const char *json, answers_score_record *out);

#endif
