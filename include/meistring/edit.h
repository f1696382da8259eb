/* edit.h — the text a patient is writing: a UTF-8 buffer with a caret, a selection and undo. No drawing and no
 * input events here: the UI turns taps and keys into these calls, and saves edit_text() after each one that
 * returns true (it changed the text).
 *
 * Offsets are byte offsets that always sit on a character boundary: every call that moves the caret or
 * deletes steps whole code points, and a combining mark travels with the letter before it, so no call can
 * split a character. Inserted text must be valid UTF-8; control characters other than newline are dropped.
 * The buffer is the edit's own (edit_free releases it); edit_text() stays valid until the next call. */
#ifndef MEISTRING_EDIT_H
#define MEISTRING_EDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "meistring/config.h"

typedef struct {
    char *buf;
    size_t len, cap, max; /* max: bytes the text may grow to (a message's cap) */
    size_t caret, anchor; /* the selection is [min, max) of the two; empty when equal */
    /* undo: snapshots of the text before each group of changes (a run of typing, a run of deleting, a paste) */
    struct edit_snap {
        char *text;
        size_t len, caret;
    } undo[MS_EDIT_UNDO_STEPS];
    int n_undo;
    int group; /* what the last change was (typing, deleting…), so a run of the same coalesces; 0: none */
} edit;

void edit_init(edit *e, size_t max_bytes);
void edit_free(edit *e);

/* Replaces everything (a draft loaded from the store); the caret is clamped and snapped to a boundary. Clears
 * undo. False when text is not valid UTF-8 or too long (the edit is then unchanged). */
bool edit_set(edit *e, const char *text, size_t caret);
const char *edit_text(const edit *e); /* NUL-terminated */

/* Typing or pasting: replaces the selection. Returns true when the text changed; false when nothing could be
 * inserted (invalid UTF-8, or full: then as much as fits, on a character boundary, is inserted). */
bool edit_insert(edit *e, const char *utf8, size_t n);
bool edit_backspace(edit *e);        /* the selection, or the character before the caret */
bool edit_delete(edit *e);           /* the selection, or the character after the caret */
bool edit_delete_word_back(edit *e); /* the selection, or back to the start of the word (and spaces) before */
bool edit_undo(edit *e);             /* back one group of changes; false when there is none */

/* Caret movement; select extends the selection from the anchor instead of collapsing it. */
void edit_left(edit *e, bool select);
void edit_right(edit *e, bool select);
void edit_word_left(edit *e, bool select);
void edit_word_right(edit *e, bool select);
/* Places caret and anchor (a tap, a drag: anchor where the drag started); both snapped to boundaries. */
void edit_select(edit *e, size_t anchor, size_t caret);
bool edit_has_selection(const edit *e);
void edit_selection(const edit *e, size_t *start, size_t *end);

#endif
