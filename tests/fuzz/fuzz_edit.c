/* fuzz_edit.c — libFuzzer target for the text being written (src/text/edit.c): what the headless script's
 * `type`, `key` and `tap-keys` steps, a hardware keyboard, an IME and the on-screen keyboard all end in. The
 * script parser itself (src/app/script.c) cannot be called without a whole app (tests/fuzz/README.md says
 * which seam it needs); this is the untrusted-text part of it that can.
 *
 * The first byte picks the cap (a tiny one, so "full" is reached, an answer's or a message's); then operations,
 * one byte each (some followed by their bytes): insert, backspace, delete, delete a word back, undo, caret moves
 * with or without selecting, select, and replace-all (a draft loaded from the store). After every operation the
 * text must be valid UTF-8 within the cap, NUL-terminated at its length, with no control character but a
 * newline (C0, DEL, C1), and caret and anchor on boundaries that never split a letter from its combining mark; an undo
 * must bring back a text seen before. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meistring/config.h"
#include "meistring/edit.h"
#include "meistring/utf8.h"

#define CHECK(cond)                                                                                                    \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            fprintf(stderr, "fuzz_edit: %s:%d: %s does not hold\n", __FILE__, __LINE__, #cond);                        \
            __builtin_trap();                                                                                          \
        }                                                                                                              \
    } while (0)

#define MAX_OPS 2000

static bool is_mark(uint32_t cp) {
    return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
           (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F);
}

static void check_offset(const edit *e, size_t at) {
    CHECK(at <= e->len);
    if (at == 0 || at == e->len) return;
    CHECK(((unsigned char)e->buf[at] & 0xC0) != 0x80);
    size_t j = at;
    CHECK(!is_mark(utf8_next(e->buf, e->len, &j)));
}

static uint64_t hash(const char *s, size_t n) {
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h ^ n;
}

static void check(const edit *e) {
    const char *t = edit_text(e);
    CHECK(t != NULL);
    CHECK(e->len <= e->max);
    CHECK(strlen(t) == e->len);
    CHECK(utf8_valid(t, e->len));
    for (size_t i = 0; i < e->len;) { /* controls are dropped (C0 but newline, DEL, C1), a tab becomes a space */
        uint32_t cp = utf8_next(t, e->len, &i);
        CHECK((cp >= 0x20 || cp == '\n') && !(cp >= 0x7F && cp < 0xA0));
    }
    check_offset(e, e->caret);
    check_offset(e, e->anchor);
    size_t s, end;
    edit_selection(e, &s, &end);
    CHECK(s <= end && end <= e->len);
    CHECK(edit_has_selection(e) == (s != end));
    CHECK(e->n_undo >= 0 && e->n_undo <= MS_EDIT_UNDO_STEPS);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    static const size_t caps[] = {16, 64, MS_ANSWER_MAX_BYTES, MS_MESSAGE_MAX_BYTES};
    edit e;
    edit_init(&e, caps[data[0] & 3]);
    static uint64_t seen[MAX_OPS + 1];
    int n_seen = 0;
    seen[n_seen++] = hash("", 0);
    size_t at = 1;
    for (int op = 0; op < MAX_OPS && at < size; op++) {
        uint8_t c = data[at++];
        bool select = c & 0x10;
        bool undone = false;
        switch (c & 0x0F) {
        case 0:
        case 1:
        case 2: { /* insert the next (c >> 4) + 1 bytes, or up to a 0xFF byte when c >> 4 is 15 */
            size_t n = (size_t)(c >> 4) + 1;
            if (n == 16) {
                const uint8_t *end = memchr(data + at, 0xFF, size - at);
                n = end ? (size_t)(end - (data + at)) : size - at;
            }
            if (n > size - at) n = size - at;
            char *bytes = malloc(n ? n : 1); /* exactly n, so a read past them is seen */
            if (!bytes) abort();
            memcpy(bytes, data + at, n);
            edit_insert(&e, bytes, n);
            free(bytes);
            at += n;
            break;
        }
        case 3: edit_backspace(&e); break;
        case 4: edit_delete(&e); break;
        case 5: edit_delete_word_back(&e); break;
        case 6: undone = edit_undo(&e); break;
        case 7: edit_left(&e, select); break;
        case 8: edit_right(&e, select); break;
        case 9: edit_word_left(&e, select); break;
        case 10: edit_word_right(&e, select); break;
        case 11: { /* a tap or a drag: anywhere, boundaries or not, even past the end */
            if (size - at < 4) break;
            size_t anchor = (size_t)data[at] << 8 | data[at + 1], caret = (size_t)data[at + 2] << 8 | data[at + 3];
            at += 4;
            edit_select(&e, anchor, caret);
            break;
        }
        case 12: { /* a draft from the store replaces everything */
            size_t n = (size_t)(c >> 4) * 4;
            if (n > size - at) n = size - at;
            char *text = malloc(n + 1);
            if (!text) abort();
            memcpy(text, data + at, n);
            text[n] = '\0';
            for (size_t i = 0; i < n; i++) /* a draft was saved from edit_text: no controls but newlines */
                if (((unsigned char)text[i] < 0x20 && text[i] != '\n') || text[i] == 0x7F ||
                    ((unsigned char)text[i] == 0xC2 && i + 1 < n && (unsigned char)text[i + 1] < 0xA0))
                    text[i] = 'x'; /* C1 controls too: 0xC2 0x80–0x9F, which leaves invalid UTF-8 */
            size_t caret = n ? data[at] : 0;
            if (edit_set(&e, text, caret)) n_seen = 0; /* undo was cleared */
            free(text);
            at += n;
            break;
        }
        default: edit_select(&e, 0, e.len); break; /* select all */
        }
        check(&e);
        uint64_t h = hash(edit_text(&e), e.len);
        if (undone) {
            bool known = false;
            for (int i = 0; i < n_seen && !known; i++)
                known = seen[i] == h;
            CHECK(known);
        }
        if (n_seen <= MAX_OPS) seen[n_seen++] = h;
    }
    edit_free(&e);
    return 0;
}
