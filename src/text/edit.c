/* edit.c — see edit.h. The buffer is small (a message, a form field) so every change moves bytes with memmove;
 * what matters is that each step leaves valid UTF-8 behind. */
#include "meistring/edit.h"

#include <stdlib.h>
#include <string.h>

#include "meistring/utf8.h"

enum { GROUP_NONE, GROUP_TYPE, GROUP_DELETE, GROUP_OTHER };

/* Combining marks (U+0300–036F, U+1AB0–1AFF, U+1DC0–1DFF, U+20D0–20FF, U+FE20–FE2F) belong to the letter
 * before them: the caret never lands between the two. Norwegian text is precomposed, but a pasted "å" may be
 * "a" + U+030A. */
static bool is_mark(uint32_t cp) {
    return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
           (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F);
}

static uint32_t cp_at(const edit *e, size_t i) {
    size_t j = i;
    return i < e->len ? utf8_next(e->buf, e->len, &j) : 0;
}

static size_t next_boundary(const edit *e, size_t i) {
    if (i >= e->len) return e->len;
    utf8_next(e->buf, e->len, &i);
    while (i < e->len && is_mark(cp_at(e, i)))
        utf8_next(e->buf, e->len, &i);
    return i;
}

static size_t prev_boundary(const edit *e, size_t i) {
    while (i > 0) {
        i = utf8_prev(e->buf, i);
        if (!is_mark(cp_at(e, i))) break;
    }
    return i;
}

/* Snaps an arbitrary offset to the boundary at or before it. */
static size_t snap(const edit *e, size_t i) {
    if (i >= e->len) return e->len;
    while (i > 0 && ((unsigned char)e->buf[i] & 0xC0) == 0x80)
        i--;
    while (i > 0 && is_mark(cp_at(e, i)))
        i = utf8_prev(e->buf, i);
    return i;
}

static bool is_word(uint32_t cp) { return !utf8_is_break_space(cp) && cp != 0; }

void edit_init(edit *e, size_t max_bytes) {
    memset(e, 0, sizeof *e);
    e->max = max_bytes;
}

static void clear_undo(edit *e) {
    for (int i = 0; i < e->n_undo; i++)
        free(e->undo[i].text);
    e->n_undo = 0;
    e->group = GROUP_NONE;
}

void edit_free(edit *e) {
    clear_undo(e);
    free(e->buf);
    memset(e, 0, sizeof *e);
}

static bool reserve(edit *e, size_t len) {
    if (len + 1 <= e->cap) return true;
    size_t cap = e->cap ? e->cap : 64;
    while (cap < len + 1)
        cap *= 2;
    char *b = realloc(e->buf, cap);
    if (!b) return false;
    if (!e->buf) b[0] = '\0'; /* the empty text, terminated like every other */
    e->buf = b;
    e->cap = cap;
    return true;
}

const char *edit_text(const edit *e) { return e->buf ? e->buf : ""; }

bool edit_set(edit *e, const char *text, size_t caret) {
    size_t n = strlen(text);
    if (n > e->max || !utf8_valid(text, n) || !reserve(e, n)) return false;
    memcpy(e->buf, text, n + 1);
    e->len = n;
    e->caret = e->anchor = snap(e, caret);
    clear_undo(e);
    return true;
}

/* Before a change: a new undo step unless this continues the group of the last change. */
static void remember(edit *e, int group) {
    if (group == e->group && group != GROUP_OTHER && e->n_undo > 0) return;
    e->group = group;
    if (e->n_undo == MS_EDIT_UNDO_STEPS) { /* forget the oldest */
        free(e->undo[0].text);
        memmove(e->undo, e->undo + 1, sizeof e->undo[0] * (MS_EDIT_UNDO_STEPS - 1));
        e->n_undo--;
    }
    char *copy = malloc(e->len + 1);
    if (!copy) return; /* the change still happens; it just cannot be undone */
    memcpy(copy, edit_text(e), e->len + 1);
    e->undo[e->n_undo++] = (struct edit_snap){copy, e->len, e->caret};
}

bool edit_undo(edit *e) {
    if (e->n_undo == 0) return false;
    struct edit_snap s = e->undo[--e->n_undo];
    if (!reserve(e, s.len)) {
        e->n_undo++;
        return false;
    }
    memcpy(e->buf, s.text, s.len + 1);
    e->len = s.len;
    e->caret = e->anchor = s.caret <= s.len ? s.caret : s.len;
    free(s.text);
    e->group = GROUP_NONE;
    return true;
}

void edit_selection(const edit *e, size_t *start, size_t *end) {
    *start = e->caret < e->anchor ? e->caret : e->anchor;
    *end = e->caret < e->anchor ? e->anchor : e->caret;
}

bool edit_has_selection(const edit *e) { return e->caret != e->anchor; }

static void cut(edit *e, size_t a, size_t b) {
    memmove(e->buf + a, e->buf + b, e->len - b + 1);
    e->len -= b - a;
    e->caret = e->anchor = a;
}

static bool delete_range(edit *e, size_t a, size_t b, int group) {
    if (a >= b) return false;
    remember(e, group);
    cut(e, a, b);
    return true;
}

bool edit_insert(edit *e, const char *utf8, size_t n) {
    if (!utf8_valid(utf8, n)) return false;
    /* keep printable text and newlines; a tab becomes a space; other controls are dropped */
    char *clean = malloc(n + 1);
    if (!clean) return false;
    size_t m = 0;
    for (size_t i = 0; i < n;) {
        size_t s = i;
        uint32_t cp = utf8_next(utf8, n, &i);
        if (cp == '\t') {
            clean[m++] = ' ';
            continue;
        }
        if (cp == '\r' || (cp < 0x20 && cp != '\n') || (cp >= 0x7F && cp < 0xA0)) continue;
        memcpy(clean + m, utf8 + s, i - s);
        m += i - s;
    }
    size_t a, b;
    edit_selection(e, &a, &b);
    size_t room = e->max - (e->len - (b - a));
    if (m > room) { /* as much as fits, cut at a character boundary */
        m = room;
        while (m > 0 && ((unsigned char)clean[m] & 0xC0) == 0x80)
            m--;
    }
    if (m == 0 && a == b) {
        free(clean);
        return false;
    }
    if (!reserve(e, e->len - (b - a) + m)) {
        free(clean);
        return false;
    }
    /* Typing one character at a time coalesces into one undo step per word: the first letter after a space
     * starts a new step. Replacing a selection or pasting is a step of its own. */
    int group = a != b || m > 1 ? GROUP_OTHER : GROUP_TYPE;
    if (group == GROUP_TYPE && e->group == GROUP_TYPE && a > 0 && e->buf[a - 1] == ' ' && clean[0] != ' ')
        e->group = GROUP_NONE;
    remember(e, group);
    memmove(e->buf + a + m, e->buf + b, e->len - b + 1);
    memcpy(e->buf + a, clean, m);
    e->len = e->len - (b - a) + m;
    /* a letter typed in front of a lone mark (one left at the very start of the text) joins it: the caret goes
     * after the pair, never between them (found by tests/fuzz/fuzz_edit) */
    size_t at = a + m;
    while (at < e->len && is_mark(cp_at(e, at)))
        utf8_next(e->buf, e->len, &at);
    e->caret = e->anchor = at;
    free(clean);
    return true;
}

bool edit_backspace(edit *e) {
    size_t a, b;
    edit_selection(e, &a, &b);
    if (a != b) return delete_range(e, a, b, GROUP_OTHER);
    return delete_range(e, prev_boundary(e, e->caret), e->caret, GROUP_DELETE);
}

bool edit_delete(edit *e) {
    size_t a, b;
    edit_selection(e, &a, &b);
    if (a != b) return delete_range(e, a, b, GROUP_OTHER);
    return delete_range(e, e->caret, next_boundary(e, e->caret), GROUP_DELETE);
}

static size_t word_start_before(const edit *e, size_t i) {
    while (i > 0 && !is_word(cp_at(e, prev_boundary(e, i))))
        i = prev_boundary(e, i);
    while (i > 0 && is_word(cp_at(e, prev_boundary(e, i))))
        i = prev_boundary(e, i);
    return i;
}

static size_t word_end_after(const edit *e, size_t i) {
    while (i < e->len && !is_word(cp_at(e, i)))
        i = next_boundary(e, i);
    while (i < e->len && is_word(cp_at(e, i)))
        i = next_boundary(e, i);
    return i;
}

bool edit_delete_word_back(edit *e) {
    size_t a, b;
    edit_selection(e, &a, &b);
    if (a != b) return delete_range(e, a, b, GROUP_OTHER);
    return delete_range(e, word_start_before(e, e->caret), e->caret, GROUP_OTHER);
}

static void move_to(edit *e, size_t to, bool select) {
    e->caret = to;
    if (!select) e->anchor = to;
    e->group = GROUP_NONE;
}

void edit_left(edit *e, bool select) {
    size_t a, b;
    edit_selection(e, &a, &b);
    move_to(e, a != b && !select ? a : prev_boundary(e, e->caret), select);
}

void edit_right(edit *e, bool select) {
    size_t a, b;
    edit_selection(e, &a, &b);
    move_to(e, a != b && !select ? b : next_boundary(e, e->caret), select);
}

void edit_word_left(edit *e, bool select) { move_to(e, word_start_before(e, e->caret), select); }
void edit_word_right(edit *e, bool select) { move_to(e, word_end_after(e, e->caret), select); }

void edit_select(edit *e, size_t anchor, size_t caret) {
    e->anchor = snap(e, anchor);
    e->caret = snap(e, caret);
    e->group = GROUP_NONE;
}
