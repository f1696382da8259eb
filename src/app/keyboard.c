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

static int row_len(const kdef *row) {
    int n = 0;
    while (n < ROW_MAX && row[n].units)
        n++;
    return n;
}

/* A key's width in half-units; a split keyboard's space bar gives up width so its row fits. */
static int units_of(const kdef *d, bool split) { return d->kind == KB_SPACE && split ? 4 : d->units; }

/* Where a row is cut when split: the first key past half its width, so both halves are about as wide. */
static int split_at(const kdef *row, int n) {
    int total = 0, acc = 0;
    for (int i = 0; i < n; i++)
        total += units_of(&row[i], true);
    for (int i = 0; i < n; i++) {
        acc += units_of(&row[i], true);
        if (acc * 2 >= total) return i + 1;
    }
    return n;
}

void kb_init(kb *k) { memset(k, 0, sizeof *k); }

/* Split when 11 letters (22 half-units) of min_key_w cannot fit. */
static bool must_split(int w, int min_key_w, int gap) { return 11 * min_key_w + 10 * gap > w; }

int kb_rows(const kb *k, int w, int min_key_w, int gap) {
    (void)k;
    return must_split(w, min_key_w, gap) ? 2 * ROWS : ROWS;
}

static void place_row(kb *k, const kdef *row, int from, int to, int x, int y, int w, int unit_w, int key_h, int gap,
                      bool split) {
    int units = 0;
    for (int i = from; i < to; i++)
        units += units_of(&row[i], split);
    int row_w = units * unit_w / 2 - gap;
    int cx = x + (w - row_w) / 2; /* centred: a shorter row sits in the middle, as on any keyboard */
    for (int i = from; i < to && k->n < KB_MAX_KEYS; i++) {
        kb_key *key = &k->keys[k->n++];
        memset(key, 0, sizeof *key);
        key->kind = row[i].kind;
        if (key->kind == KB_CHAR)
            snprintf(key->text, sizeof key->text, "%s",
                     k->shift != KB_LOWER && !k->symbols ? row[i].upper : row[i].lower);
        key->x = cx;
        key->y = y;
        key->w = units_of(&row[i], split) * unit_w / 2 - gap;
        key->h = key_h;
        cx += units_of(&row[i], split) * unit_w / 2;
    }
}

void kb_layout(kb *k, int x, int y, int w, int key_h, int min_key_w, int gap) {
    const kdef(*rows)[ROW_MAX] = k->symbols ? SYMBOLS : LETTERS;
    bool split = must_split(w, min_key_w, gap);
    int widest = split ? 12 : 22;                       /* half-units in the widest row */
    int unit_w = 2 * (w + gap) / widest;                /* px per 2 half-units (one letter key, gap included) */
    if (unit_w > 2 * min_key_w) unit_w = 2 * min_key_w; /* no giant keys across a landscape screen */
    k->n = 0;
    int cy = y;
    for (int r = 0; r < ROWS; r++) {
        int n = row_len(rows[r]);
        if (split) {
            int cut = split_at(rows[r], n);
            place_row(k, rows[r], 0, cut, x, cy, w, unit_w, key_h, gap, true);
            cy += key_h + gap;
            place_row(k, rows[r], cut, n, x, cy, w, unit_w, key_h, gap, true);
        } else {
            place_row(k, rows[r], 0, n, x, cy, w, unit_w, key_h, gap, false);
        }
        cy += key_h + gap;
    }
    k->height = cy - y - gap;
}

void kb_shift_tap(kb *k) { k->shift = k->shift == KB_LOWER ? KB_ONCE : k->shift == KB_ONCE ? KB_CAPS : KB_LOWER; }

void kb_typed(kb *k) {
    if (k->shift == KB_ONCE) k->shift = KB_LOWER;
}

void kb_sentence_start(kb *k, bool at_start) {
    if (k->shift == KB_CAPS) return;
    k->shift = at_start ? KB_ONCE : KB_LOWER;
}
