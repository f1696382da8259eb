/* keyboard.c — see keyboard.h. The layers are tables; layout is arithmetic on them. */
#include "keyboard.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    kb_kind kind;
    const char *lower, *upper; /* KB_CHAR */
    int units;                 /* width in key units (a letter is 2, so halves are possible) */
} kdef;

#define K(l, u)                                                                                                        \
    { KB_CHAR, l, u, 2 }
#define ROWS    4
#define ROW_MAX 12

/* 22 half-units per row: 11 letters. */
static const kdef LETTERS[ROWS][ROW_MAX] = {
    {K("q", "Q"), K("w", "W"), K("e", "E"), K("r", "R"), K("t", "T"), K("y", "Y"), K("u", "U"), K("i", "I"),
     K("o", "O"), K("p", "P"), K("å", "Å")},
    {K("a", "A"), K("s", "S"), K("d", "D"), K("f", "F"), K("g", "G"), K("h", "H"), K("j", "J"), K("k", "K"),
     K("l", "L"), K("ø", "Ø"), K("æ", "Æ")},
    {{KB_SHIFT, NULL, NULL, 4},
     K("z", "Z"),
     K("x", "X"),
     K("c", "C"),
     K("v", "V"),
     K("b", "B"),
     K("n", "N"),
     K("m", "M"),
     {KB_BACKSPACE, NULL, NULL, 4}},
    {{KB_LAYER, NULL, NULL, 4}, K(",", ","), {KB_SPACE, NULL, NULL, 10}, K(".", "."), {KB_ENTER, NULL, NULL, 4}},
};
static const kdef SYMBOLS[ROWS][ROW_MAX] = {
    {K("1", "1"), K("2", "2"), K("3", "3"), K("4", "4"), K("5", "5"), K("6", "6"), K("7", "7"), K("8", "8"),
     K("9", "9"), K("0", "0"), K("-", "-")},
    {K("?", "?"), K("!", "!"), K(":", ":"), K(";", ";"), K("(", "("), K(")", ")"), K("«", "«"), K("»", "»"),
     K("\"", "\""), K("'", "'"), K("/", "/")},
    {K("+", "+"),
     K("=", "="),
     K("%", "%"),
     K("€", "€"),
     K("&", "&"),
     K("@", "@"),
     K("*", "*"),
     K("#", "#"),
     K("_", "_"),
     {KB_BACKSPACE, NULL, NULL, 4}},
    {{KB_LAYER, NULL, NULL, 4}, K(",", ","), {KB_SPACE, NULL, NULL, 10}, K(".", "."), {KB_ENTER, NULL, NULL, 4}},
};

/* A phone in portrait cannot take 11 keys of the touch target's width. Re-flowing each row into two (q–y over
 * u–å) stops it being the QWERTY a patient knows, so it is cut into two halves instead, as a zoomed keyboard: the
 * left half (q–y, a–h, z–v) or the right (y–å, h–æ, b–m), each in its own columns, one key (KB_HALF) away from
 * the other. The halves share their middle column (y, h) so the eye keeps its place; shift, backspace, the layer,
 * space, full stop and new line are on both. 12 half-units (6 keys) a row. */
static const kdef LETTERS_HALF[2][ROWS][ROW_MAX] = {
    {{K("q", "Q"), K("w", "W"), K("e", "E"), K("r", "R"), K("t", "T"), K("y", "Y")},
     {K("a", "A"), K("s", "S"), K("d", "D"), K("f", "F"), K("g", "G"), K("h", "H")},
     {{KB_SHIFT, NULL, NULL, 2}, K("z", "Z"), K("x", "X"), K("c", "C"), K("v", "V"), {KB_BACKSPACE, NULL, NULL, 2}},
     {{KB_LAYER, NULL, NULL, 2},
      {KB_HALF, NULL, NULL, 2},
      {KB_SPACE, NULL, NULL, 4},
      K(".", "."),
      {KB_ENTER, NULL, NULL, 2}}},
    {{K("y", "Y"), K("u", "U"), K("i", "I"), K("o", "O"), K("p", "P"), K("å", "Å")},
     {K("h", "H"), K("j", "J"), K("k", "K"), K("l", "L"), K("ø", "Ø"), K("æ", "Æ")},
     {{KB_SHIFT, NULL, NULL, 2}, K("b", "B"), K("n", "N"), K("m", "M"), K(",", ","), {KB_BACKSPACE, NULL, NULL, 2}},
     {{KB_LAYER, NULL, NULL, 2},
      {KB_HALF, NULL, NULL, 2},
      {KB_SPACE, NULL, NULL, 4},
      K(".", "."),
      {KB_ENTER, NULL, NULL, 2}}},
};
static const kdef SYMBOLS_HALF[2][ROWS][ROW_MAX] = {
    {{K("1", "1"), K("2", "2"), K("3", "3"), K("4", "4"), K("5", "5"), K("6", "6")},
     {K("?", "?"), K("!", "!"), K(":", ":"), K(";", ";"), K("(", "("), K(")", ")")},
     {K("+", "+"), K("=", "="), K("%", "%"), K("€", "€"), K("&", "&"), {KB_BACKSPACE, NULL, NULL, 2}},
     {{KB_LAYER, NULL, NULL, 2},
      {KB_HALF, NULL, NULL, 2},
      {KB_SPACE, NULL, NULL, 4},
      K(".", "."),
      {KB_ENTER, NULL, NULL, 2}}},
    {{K("6", "6"), K("7", "7"), K("8", "8"), K("9", "9"), K("0", "0"), K("-", "-")},
     {K(")", ")"), K("«", "«"), K("»", "»"), K("\"", "\""), K("'", "'"), K("/", "/")},
     {K("@", "@"), K("*", "*"), K("#", "#"), K("_", "_"), K(",", ","), {KB_BACKSPACE, NULL, NULL, 2}},
     {{KB_LAYER, NULL, NULL, 2},
      {KB_HALF, NULL, NULL, 2},
      {KB_SPACE, NULL, NULL, 4},
      K(".", "."),
      {KB_ENTER, NULL, NULL, 2}}},
};

static int row_len(const kdef *row) {
    int n = 0;
    while (n < ROW_MAX && row[n].units)
        n++;
    return n;
}

void kb_init(kb *k) { memset(k, 0, sizeof *k); }

/* Halves when 11 letters (22 half-units) of min_key_w cannot fit. */
static bool must_split(int w, int min_key_w, int gap) { return 11 * min_key_w + 10 * gap > w; }

int kb_rows(const kb *k, int w, int min_key_w, int gap) {
    (void)k;
    (void)w;
    (void)min_key_w;
    (void)gap;
    return ROWS; /* halves, not re-flowed rows: always four */
}

static void place_row(kb *k, const kdef *row, int n, int x, int y, int w, int unit_w, int key_h, int gap) {
    int units = 0;
    for (int i = 0; i < n; i++)
        units += row[i].units;
    int row_w = units * unit_w / 2 - gap;
    int cx = x + (w - row_w) / 2; /* centred: a shorter row sits in the middle, as on any keyboard */
    for (int i = 0; i < n && k->n < KB_MAX_KEYS; i++) {
        kb_key *key = &k->keys[k->n++];
        memset(key, 0, sizeof *key);
        key->kind = row[i].kind;
        if (key->kind == KB_CHAR)
            snprintf(key->text, sizeof key->text, "%s",
                     k->shift != KB_LOWER && !k->symbols ? row[i].upper : row[i].lower);
        key->x = cx;
        key->y = y;
        key->w = row[i].units * unit_w / 2 - gap;
        key->h = key_h;
        cx += row[i].units * unit_w / 2;
    }
}

void kb_layout(kb *k, int x, int y, int w, int key_h, int min_key_w, int gap) {
    k->split = must_split(w, min_key_w, gap);
    const kdef(*rows)[ROW_MAX] = k->split     ? (k->symbols ? SYMBOLS_HALF : LETTERS_HALF)[k->right ? 1 : 0]
                                 : k->symbols ? SYMBOLS
                                              : LETTERS;
    int widest = k->split ? 12 : 22;                    /* half-units in a row */
    int unit_w = 2 * (w + gap) / widest;                /* px per 2 half-units (one letter key, gap included) */
    if (unit_w > 2 * min_key_w) unit_w = 2 * min_key_w; /* no giant keys across a landscape screen */
    k->n = 0;
    int cy = y;
    for (int r = 0; r < ROWS; r++) {
        place_row(k, rows[r], row_len(rows[r]), x, cy, w, unit_w, key_h, gap);
        cy += key_h + gap;
    }
    k->height = cy - y - gap;
}

void kb_half_tap(kb *k) { k->right = !k->right; }

/* A key's text that names a column: a letter or a digit (æ ø å and the other letters past ASCII count), not a sign. */
static bool names_column(const char *t) {
    unsigned char c = (unsigned char)t[0];
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
}

const char *kb_half_other(const kb *k, char *buf, size_t cap) {
    const kdef *row = (k->symbols ? SYMBOLS_HALF : LETTERS_HALF)[k->right ? 0 : 1][0];
    int n = row_len(row), last = n - 1;
    while (last > 0 && !names_column(row[last].lower))
        last--;
    snprintf(buf, cap, "%s–%s", row[0].lower, row[last].lower);
    return buf;
}

void kb_shift_tap(kb *k) { k->shift = k->shift == KB_LOWER ? KB_ONCE : k->shift == KB_ONCE ? KB_CAPS : KB_LOWER; }

void kb_typed(kb *k) {
    if (k->shift == KB_ONCE) k->shift = KB_LOWER;
}

void kb_sentence_start(kb *k, bool at_start) {
    if (k->shift == KB_CAPS) return;
    k->shift = at_start ? KB_ONCE : KB_LOWER;
}
