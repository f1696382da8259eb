/* keyboard.h — the on-screen keyboard's layout and state: Norwegian letters with æ ø å, a symbols layer,
 * shift (once) and caps lock, backspace, space and new line. No drawing and no events: screens.c draws the keys
 * kb_layout placed, and the app turns a tapped key into an edit. It suggests nothing and remembers nothing, so
 * one patient's words can never show up for the next (a kiosk, a re-issued tablet).
 *
 * Rows are 11 keys wide, in QWERTY order on every screen. When 11 keys of the minimum width do not fit (a phone in
 * portrait), the keyboard shows one half of its columns at a time, left or right, with a key to the other half:
 * the rows stay QWERTY and the keys stay large instead of shrinking. */
#ifndef MS_KEYBOARD_H
#define MS_KEYBOARD_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { KB_CHAR, KB_SHIFT, KB_BACKSPACE, KB_LAYER, KB_SPACE, KB_ENTER, KB_HALF } kb_kind;
typedef enum { KB_LOWER, KB_ONCE, KB_CAPS } kb_shift;

#define KB_MAX_KEYS 64

typedef struct {
    kb_kind kind;
    char text[8]; /* KB_CHAR: what it types, in the case the shift state gives */
    int x, y, w, h;
} kb_key;

typedef struct kb {
    bool symbols;   /* the 123 layer */
    kb_shift shift; /* letters only */
    bool right;     /* split: the right half is shown */
    bool split;     /* the last layout showed one half (the screen is too narrow for 11 keys) */
    kb_key keys[KB_MAX_KEYS];
    int n;
    int height; /* px, of the last layout */
} kb;

void kb_init(kb *k);
/* How many rows the keyboard needs at width w px with keys at least min_key_w px wide: four, split or not. */
int kb_rows(const kb *k, int w, int min_key_w, int gap);
/* Places the keys of the current layer in the band (x, y, w) with rows of key_h px. */
void kb_layout(kb *k, int x, int y, int w, int key_h, int min_key_w, int gap);
/* The other half of a split keyboard. */
void kb_half_tap(kb *k);
/* What the other half holds, as its first row's first and last letters or digits («y–å», «q–y», «6–0», «1–6»): the
 * half key's label, so it says where it goes, not a bare arrow that looks like «play». */
const char *kb_half_other(const kb *k, char *buf, size_t cap);
/* Shift: lower → once → caps lock → lower. */
void kb_shift_tap(kb *k);
/* After a letter is typed: a one-time shift ends. */
void kb_typed(kb *k);
/* Start of a sentence (or of the text): shift once, as a phone keyboard does; leaves caps lock alone. */
void kb_sentence_start(kb *k, bool at_start);

#endif
