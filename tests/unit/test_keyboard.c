/* test_keyboard.c — the on-screen keyboard's layout and state (src/app/keyboard.c) without a window: the state
 * kb_init leaves, when the keyboard splits into halves (a phone against a tablet), that kb_layout keeps every key
 * inside its band, apart from the others, at least min_key_w wide and key_h tall, that the rows are QWERTY's on
 * every width (a half shows a slice of each row, never a re-flow), æ ø å on the letters, the symbols layer, and the
 * shift cycle with the one-time shift, caps lock and a sentence's start. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyboard.h"

/* The editor's figures at 1x: keys at least 48 px (the touch target), 6 px apart, 6 px side margins. */
#define MIN_KEY     48
#define GAP         6
#define KEY_H       54
#define PHONE_W     (360 - 2 * 6)
#define TABLET_W    (800 - 2 * 6)
#define LANDSCAPE_W (1280 - 2 * 6)

static int find_text(const kb *k, const char *text) {
    for (int i = 0; i < k->n; i++)
        if (k->keys[i].kind == KB_CHAR && strcmp(k->keys[i].text, text) == 0) return i;
    return -1;
}

static int count_text(const kb *k, const char *text) {
    int c = 0;
    for (int i = 0; i < k->n; i++)
        if (k->keys[i].kind == KB_CHAR && strcmp(k->keys[i].text, text) == 0) c++;
    return c;
}

static int count_kind(const kb *k, kb_kind kind) {
    int c = 0;
    for (int i = 0; i < k->n; i++)
        if (k->keys[i].kind == kind) c++;
    return c;
}

/* The keys in reading order: top to bottom, then left to right. */
static const kb *sort_kb;
static int by_reading(const void *a, const void *b) {
    const kb_key *p = &sort_kb->keys[*(const int *)a], *q = &sort_kb->keys[*(const int *)b];
    if (p->y != q->y) return p->y < q->y ? -1 : 1;
    return p->x < q->x ? -1 : p->x > q->x;
}
static void reading_order(const kb *k, int *order) {
    for (int i = 0; i < k->n; i++)
        order[i] = i;
    sort_kb = k;
    qsort(order, (size_t)k->n, sizeof *order, by_reading);
}

/* The distinct rows (y values) of a layout, top to bottom; returns how many. */
static int rows_of(const kb *k, int *ys) {
    int n = 0;
    for (int i = 0; i < k->n; i++) {
        int y = k->keys[i].y, j = 0;
        while (j < n && ys[j] != y)
            j++;
        if (j == n) ys[n++] = y;
    }
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && ys[j - 1] > ys[j]; j--) {
            int t = ys[j];
            ys[j] = ys[j - 1];
            ys[j - 1] = t;
        }
    return n;
}

/* Every property a layout must have in the band (x, y, w): inside it, none overlapping, key_h tall, the rows
 * kb_rows announced and the height they take; and, when require_min, every key at least min_key_w wide. */
static void check_layout(const kb *k, int x, int y, int w, int key_h, int min_key_w, int gap, bool require_min) {
    char where[128];
    snprintf(where, sizeof where, "w %d, min %d, gap %d, %s", w, min_key_w, gap, k->symbols ? "symbols" : "letters");
    if (k->n <= 0 || k->n > KB_MAX_KEYS) fail_msg("%s: %d keys", where, k->n);
    int rows = kb_rows(k, w, min_key_w, gap);
    if (k->height != rows * (key_h + gap) - gap)
        fail_msg("%s: height %d for %d rows of %d", where, k->height, rows, key_h);
    for (int i = 0; i < k->n; i++) {
        const kb_key *a = &k->keys[i];
        if (a->x < x || a->x + a->w > x + w || a->y < y || a->y + a->h > y + k->height)
            fail_msg("%s: key %d (%d,%d %dx%d) outside the band (%d,%d %dx%d)", where, i, a->x, a->y, a->w, a->h, x, y,
                     w, k->height);
        if (a->h != key_h) fail_msg("%s: key %d is %d tall, not %d", where, i, a->h, key_h);
        if (a->w <= 0) fail_msg("%s: key %d is %d wide", where, i, a->w);
        if (require_min && a->w < min_key_w)
            fail_msg("%s: key %d ('%s') is %d wide, under %d", where, i, a->text, a->w, min_key_w);
        if (a->kind == KB_CHAR && (a->text[0] == '\0' || memchr(a->text, '\0', sizeof a->text) == NULL))
            fail_msg("%s: key %d has no text", where, i);
        for (int j = i + 1; j < k->n; j++) {
            const kb_key *b = &k->keys[j];
            if (a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h)
                fail_msg("%s: keys %d and %d overlap", where, i, j);
        }
    }
    int ys[KB_MAX_KEYS];
    int n = rows_of(k, ys);
    if (n != rows) fail_msg("%s: %d rows laid out, kb_rows says %d", where, n, rows);
}

static void test_init(void **state) {
    (void)state;
    kb k;
    memset(&k, 0xAB, sizeof k);
    kb_init(&k);
    assert_false(k.symbols);
    assert_int_equal(k.shift, KB_LOWER);
    assert_int_equal(k.n, 0);
    assert_int_equal(k.height, 0);
}

/* A phone's width cannot take 11 keys of 48 px: the keyboard shows one half. A tablet's can, in both
 * orientations. Either way four rows: a half is not a re-flow. */
static void test_rows_phone_and_tablet(void **state) {
    (void)state;
    kb k;
    kb_init(&k);
    const int widths[] = {PHONE_W, TABLET_W, LANDSCAPE_W};
    for (int i = 0; i < 3; i++)
        assert_int_equal(kb_rows(&k, widths[i], MIN_KEY, GAP), 4);
    kb_layout(&k, 6, 0, PHONE_W, KEY_H, MIN_KEY, GAP);
    assert_true(k.split);
    kb_layout(&k, 6, 0, TABLET_W, KEY_H, MIN_KEY, GAP);
    assert_false(k.split);
    kb_layout(&k, 6, 0, LANDSCAPE_W, KEY_H, MIN_KEY, GAP);
    assert_false(k.split);
    /* larger text asks for wider keys: the tablet splits too once 11 of them no longer fit */
    kb_layout(&k, 6, 0, TABLET_W, KEY_H, 66, GAP);
    assert_false(k.split);
    kb_layout(&k, 6, 0, TABLET_W, KEY_H, 67, GAP);
    assert_true(k.split);
    /* the boundary: 11 keys and 10 gaps exactly fit, one pixel less does not */
    int exact = 11 * MIN_KEY + 10 * GAP;
    kb_layout(&k, 0, 0, exact, KEY_H, MIN_KEY, GAP);
    assert_false(k.split);
    kb_layout(&k, 0, 0, exact - 1, KEY_H, MIN_KEY, GAP);
    assert_true(k.split);
}

static void test_layout_phone(void **state) {
    (void)state;
    kb k;
    kb_init(&k);
    for (int half = 0; half < 2; half++)
        for (int layer = 0; layer < 2; layer++) {
            k.right = half;
            k.symbols = layer;
            kb_layout(&k, 6, 900, PHONE_W, KEY_H, MIN_KEY, GAP);
            check_layout(&k, 6, 900, PHONE_W, KEY_H, MIN_KEY, GAP, true);
            assert_int_equal(k.height, 4 * (KEY_H + GAP) - GAP);
            assert_int_equal(count_kind(&k, KB_HALF), 1); /* the way to the other half, on each */
            assert_int_equal(count_kind(&k, KB_BACKSPACE), 1);
        }
    kb_half_tap(&k);
    assert_false(k.right);
    kb_half_tap(&k);
    assert_true(k.right);
}

static void test_layout_tablet(void **state) {
    (void)state;
    kb k;
    kb_init(&k);
    kb_layout(&k, 6, 1000, TABLET_W, KEY_H, MIN_KEY, GAP);
    check_layout(&k, 6, 1000, TABLET_W, KEY_H, MIN_KEY, GAP, true);
    assert_int_equal(k.height, 4 * (KEY_H + GAP) - GAP);
    /* on a tablet a letter is wider than the minimum: the width is used */
    assert_true(k.keys[find_text(&k, "q")].w > MIN_KEY);
    k.symbols = true;
    kb_layout(&k, 6, 1000, TABLET_W, KEY_H, MIN_KEY, GAP);
    check_layout(&k, 6, 1000, TABLET_W, KEY_H, MIN_KEY, GAP, true);
}

/* Across a landscape screen the keys do not grow without bound (at most twice the minimum) and the rows sit in
 * the middle of the band. */
static void test_layout_landscape(void **state) {
    (void)state;
    kb k;
    kb_init(&k);
    kb_layout(&k, 6, 500, LANDSCAPE_W, KEY_H, MIN_KEY, GAP);
    check_layout(&k, 6, 500, LANDSCAPE_W, KEY_H, MIN_KEY, GAP, true);
    const kb_key *q = &k.keys[find_text(&k, "q")], *aa = &k.keys[find_text(&k, "å")];
    assert_true(q->w <= 2 * MIN_KEY);
    int left = q->x - 6, right = 6 + LANDSCAPE_W - (aa->x + aa->w);
    assert_true(left > 0);
    assert_true(abs(left - right) <= 1);
}

/* Every width from a narrow phone to a wide screen, several key sizes and gaps, both layers, all shift states:
 * always inside the band without overlaps; at least min_key_w wide whenever that is possible, i.e. unless even
 * half a row (6 keys and 5 gaps) is wider than the band. */
static void test_layout_sweep(void **state) {
    (void)state;
    static const int mins[] = {40, 48, 64, 96, 140};
    static const int gaps[] = {0, 4, 6, 12};
    kb k;
    kb_init(&k);
    for (size_t m = 0; m < sizeof mins / sizeof mins[0]; m++)
        for (size_t g = 0; g < sizeof gaps / sizeof gaps[0]; g++)
            for (int w = 200; w <= 2600; w += 7)
                for (int layer = 0; layer < 2; layer++)
                    for (int s = 0; s < 3; s++) {
                        int min_key_w = mins[m], gap = gaps[g];
                        k.symbols = layer;
                        k.shift = (kb_shift)s;
                        kb_layout(&k, 13, 77, w, 50, min_key_w, gap);
                        bool possible = 6 * min_key_w + 5 * gap <= w;
                        check_layout(&k, 13, 77, w, 50, min_key_w, gap, possible);
                        assert_int_equal(k.symbols, layer);
                        assert_int_equal(k.shift, s);
                    }
}

/* Laying out again replaces the keys (never piles them up past KB_MAX_KEYS), whatever the sizes. */
static void test_relayout_bounded(void **state) {
    (void)state;
    kb k;
    kb_init(&k);
    kb_layout(&k, 0, 0, TABLET_W, KEY_H, MIN_KEY, GAP);
    int tablet = k.n;
    for (int i = 0; i < 200; i++) {
        k.symbols = i % 3 == 0;
        kb_layout(&k, 0, 0, i % 2 ? PHONE_W : TABLET_W, KEY_H, MIN_KEY, GAP);
        assert_true(k.n > 0 && k.n <= KB_MAX_KEYS);
    }
    k.symbols = false;
    kb_layout(&k, 0, 0, TABLET_W, KEY_H, MIN_KEY, GAP);
    assert_int_equal(k.n, tablet);      /* the same keys again, not more */
    kb_layout(&k, 0, 0, 1, 1, 1000, 0); /* absurd sizes: still bounded */
    assert_true(k.n <= KB_MAX_KEYS);
}

/* Every letter of the Norwegian alphabet, æ ø å included, exactly once on the whole keyboard; one each of shift,
 * backspace, the layer key, space and new line. */
static void test_letters_layer(void **state) {
    (void)state;
    static const char *const alphabet[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o",
                                           "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "æ", "ø", "å"};
    kb k;
    kb_init(&k);
    kb_layout(&k, 0, 0, TABLET_W, KEY_H, MIN_KEY, GAP);
    {
        for (size_t i = 0; i < sizeof alphabet / sizeof alphabet[0]; i++)
            if (count_text(&k, alphabet[i]) != 1)
                fail_msg("'%s' is on the letters layer %d times", alphabet[i], count_text(&k, alphabet[i]));
        assert_int_equal(count_text(&k, ","), 1);
        assert_int_equal(count_text(&k, "."), 1);
        assert_int_equal(count_kind(&k, KB_SHIFT), 1);
        assert_int_equal(count_kind(&k, KB_BACKSPACE), 1);
        assert_int_equal(count_kind(&k, KB_LAYER), 1);
        assert_int_equal(count_kind(&k, KB_SPACE), 1);
        assert_int_equal(count_kind(&k, KB_ENTER), 1);
        assert_int_equal(count_text(&k, "1"), 0);
    }
}

/* The characters of row r (0–3) of a layout, left to right. */
static void row_chars(const kb *k, int r, char *out, size_t cap) {
    int ys[KB_MAX_KEYS], order[KB_MAX_KEYS];
    assert_int_equal(rows_of(k, ys), 4);
    reading_order(k, order);
    out[0] = '\0';
    for (int i = 0; i < k->n; i++)
        if (k->keys[order[i]].y == ys[r] && k->keys[order[i]].kind == KB_CHAR) {
            assert_true(strlen(out) + strlen(k->keys[order[i]].text) < cap);
            strcat(out, k->keys[order[i]].text);
        }
}

/* Whole or in halves, the rows are QWERTY's (Norwegian: å after p, ø æ after l): the whole keyboard reads in
 * that order, and on a phone each row of the left half starts its row, each row of the right half ends it, and
 * together (the shared middle key once) they are the whole row. Every letter is on one half or both. */
static void test_split_keeps_order(void **state) {
    (void)state;
    static const char *const rows[2][3] = {{"qwertyuiopå", "asdfghjkløæ", "zxcvbnm"},
                                           {"1234567890-", "?!:;()«»\"'/", "+=%€&@*#_"}};
    for (int layer = 0; layer < 2; layer++) {
        kb whole, left, right;
        kb_init(&whole);
        kb_init(&left);
        kb_init(&right);
        whole.symbols = left.symbols = right.symbols = layer;
        right.right = true;
        kb_layout(&whole, 6, 0, TABLET_W, KEY_H, MIN_KEY, GAP);
        kb_layout(&left, 6, 0, PHONE_W, KEY_H, MIN_KEY, GAP);
        kb_layout(&right, 6, 0, PHONE_W, KEY_H, MIN_KEY, GAP);
        for (int r = 0; r < 3; r++) {
            char w[128], l[128], rr[128];
            row_chars(&whole, r, w, sizeof w);
            row_chars(&left, r, l, sizeof l);
            row_chars(&right, r, rr, sizeof rr);
            /* a half's third row ends with the comma the whole keyboard has by the space bar */
            if (r == 2 && rr[0] && rr[strlen(rr) - 1] == ',') rr[strlen(rr) - 1] = '\0';
            assert_string_equal(w, rows[layer][r]);
            assert_true(l[0] && rr[0]);
            size_t lw = strlen(w), ll = strlen(l), lr = strlen(rr);
            if (strncmp(w, l, ll) != 0) fail_msg("left half's row %d \"%s\" does not start \"%s\"", r, l, w);
            if (lr > lw || strcmp(w + lw - lr, rr) != 0)
                fail_msg("right half's row %d \"%s\" does not end \"%s\"", r, rr, w);
            if (ll + lr < lw) fail_msg("row %d: \"%s\" + \"%s\" leave out part of \"%s\"", r, l, rr, w);
        }
    }
}

static void test_symbols_layer(void **state) {
    (void)state;
    kb k;
    kb_init(&k);
    k.symbols = true;
    kb_layout(&k, 0, 0, TABLET_W, KEY_H, MIN_KEY, GAP);
    static const char *const digits[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    for (size_t i = 0; i < 10; i++)
        assert_int_equal(count_text(&k, digits[i]), 1);
    assert_true(find_text(&k, "?") >= 0 && find_text(&k, "«") >= 0 && find_text(&k, "»") >= 0 &&
                find_text(&k, "€") >= 0 && find_text(&k, "@") >= 0);
    assert_int_equal(find_text(&k, "q"), -1);
    assert_int_equal(find_text(&k, "æ"), -1);
    /* no shift on the symbols, but the way back, space, new line and backspace */
    assert_int_equal(count_kind(&k, KB_SHIFT), 0);
    assert_int_equal(count_kind(&k, KB_LAYER), 1);
    assert_int_equal(count_kind(&k, KB_SPACE), 1);
    assert_int_equal(count_kind(&k, KB_ENTER), 1);
    assert_int_equal(count_kind(&k, KB_BACKSPACE), 1);
    /* the layer key sits in the same place on both layers, so tapping it twice comes back */
    int layer_sym = -1, layer_let = -1;
    for (int i = 0; i < k.n; i++)
        if (k.keys[i].kind == KB_LAYER) layer_sym = i;
    kb_key on_symbols = k.keys[layer_sym];
    /* toggling back gives the letters again */
    k.symbols = !k.symbols;
    kb_layout(&k, 0, 0, TABLET_W, KEY_H, MIN_KEY, GAP);
    assert_true(find_text(&k, "q") >= 0);
    assert_int_equal(find_text(&k, "1"), -1);
    for (int i = 0; i < k.n; i++)
        if (k.keys[i].kind == KB_LAYER) layer_let = i;
    assert_int_equal(k.keys[layer_let].x, on_symbols.x);
    assert_int_equal(k.keys[layer_let].y, on_symbols.y);
    assert_int_equal(k.keys[layer_let].w, on_symbols.w);
}

/* Shift applies to the letters only: the symbols keep their one form whatever the shift. */
static void test_symbols_ignore_shift(void **state) {
    (void)state;
    kb lower, caps;
    kb_init(&lower);
    kb_init(&caps);
    lower.symbols = caps.symbols = true;
    caps.shift = KB_CAPS;
    kb_layout(&lower, 0, 0, TABLET_W, KEY_H, MIN_KEY, GAP);
    kb_layout(&caps, 0, 0, TABLET_W, KEY_H, MIN_KEY, GAP);
    assert_int_equal(lower.n, caps.n);
    for (int i = 0; i < lower.n; i++)
        assert_string_equal(lower.keys[i].text, caps.keys[i].text);
}

static void test_shift_cycle(void **state) {
    (void)state;
    kb k;
    kb_init(&k);
    assert_int_equal(k.shift, KB_LOWER);
    kb_shift_tap(&k);
    assert_int_equal(k.shift, KB_ONCE);
    kb_shift_tap(&k);
    assert_int_equal(k.shift, KB_CAPS);
    kb_shift_tap(&k);
    assert_int_equal(k.shift, KB_LOWER);
    for (int i = 0; i < 9; i++)
        kb_shift_tap(&k);
    assert_int_equal(k.shift, KB_LOWER); /* a cycle of three */
}

/* The labels follow the shift: lower case when off, capitals (Æ Ø Å too) once or in caps lock. */
static void test_shift_labels(void **state) {
    (void)state;
    kb k;
    kb_init(&k);
    kb_layout(&k, 0, 0, TABLET_W, KEY_H, MIN_KEY, GAP);
    assert_true(find_text(&k, "q") >= 0 && find_text(&k, "Q") < 0);
    assert_true(find_text(&k, "å") >= 0 && find_text(&k, "Å") < 0);
    for (int s = 0; s < 2; s++) {
        kb_shift_tap(&k);
        assert_int_equal(k.shift, s ? KB_CAPS : KB_ONCE);
        kb_layout(&k, 0, 0, TABLET_W, KEY_H, MIN_KEY, GAP);
        assert_true(find_text(&k, "Q") >= 0 && find_text(&k, "q") < 0);
        assert_true(find_text(&k, "Z") >= 0 && find_text(&k, "M") >= 0);
        assert_true(find_text(&k, "Æ") >= 0 && find_text(&k, "Ø") >= 0 && find_text(&k, "Å") >= 0);
        assert_true(find_text(&k, "æ") < 0 && find_text(&k, "ø") < 0 && find_text(&k, "å") < 0);
        assert_true(find_text(&k, ",") >= 0 && find_text(&k, ".") >= 0);
    }
}

/* A letter typed after one shift ends it; caps lock stays; with shift off nothing changes. */
static void test_typed(void **state) {
    (void)state;
    kb k;
    kb_init(&k);
    kb_typed(&k);
    assert_int_equal(k.shift, KB_LOWER);
    kb_shift_tap(&k);
    kb_typed(&k);
    assert_int_equal(k.shift, KB_LOWER);
    kb_layout(&k, 0, 0, TABLET_W, KEY_H, MIN_KEY, GAP);
    assert_true(find_text(&k, "q") >= 0); /* back to lower case on the keys */
    kb_shift_tap(&k);
    kb_shift_tap(&k);
    assert_int_equal(k.shift, KB_CAPS);
    for (int i = 0; i < 5; i++)
        kb_typed(&k);
    assert_int_equal(k.shift, KB_CAPS);
}

/* At a sentence's start shift goes on once; elsewhere it goes off; caps lock is left alone either way. */
static void test_sentence_start(void **state) {
    (void)state;
    kb k;
    kb_init(&k);
    kb_sentence_start(&k, true);
    assert_int_equal(k.shift, KB_ONCE);
    kb_sentence_start(&k, true);
    assert_int_equal(k.shift, KB_ONCE);
    kb_typed(&k); /* the capital is typed */
    assert_int_equal(k.shift, KB_LOWER);
    kb_sentence_start(&k, false);
    assert_int_equal(k.shift, KB_LOWER);
    kb_sentence_start(&k, true);
    kb_sentence_start(&k, false); /* the caret moved on, into a sentence */
    assert_int_equal(k.shift, KB_LOWER);
    k.shift = KB_CAPS;
    kb_sentence_start(&k, true);
    assert_int_equal(k.shift, KB_CAPS);
    kb_sentence_start(&k, false);
    assert_int_equal(k.shift, KB_CAPS);
    /* and it shows: capitals at a start */
    k.shift = KB_LOWER;
    kb_sentence_start(&k, true);
    kb_layout(&k, 0, 0, TABLET_W, KEY_H, MIN_KEY, GAP);
    assert_true(find_text(&k, "Q") >= 0);
    /* the layer is not touched */
    assert_false(k.symbols);
    k.symbols = true;
    kb_sentence_start(&k, false);
    assert_true(k.symbols);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init),
        cmocka_unit_test(test_rows_phone_and_tablet),
        cmocka_unit_test(test_layout_phone),
        cmocka_unit_test(test_layout_tablet),
        cmocka_unit_test(test_layout_landscape),
        cmocka_unit_test(test_layout_sweep),
        cmocka_unit_test(test_relayout_bounded),
        cmocka_unit_test(test_letters_layer),
        cmocka_unit_test(test_split_keeps_order),
        cmocka_unit_test(test_symbols_layer),
        cmocka_unit_test(test_symbols_ignore_shift),
        cmocka_unit_test(test_shift_cycle),
        cmocka_unit_test(test_shift_labels),
        cmocka_unit_test(test_typed),
        cmocka_unit_test(test_sentence_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
