/* test_edit.c — the text being written: UTF-8 is never split (æ ø å, combining marks), the caret and the
 * selection behave as on any tablet, word-wise deletion, the undo steps, and the size cap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "meistring/edit.h"
#include "meistring/utf8.h"

static void type(edit *e, const char *s) {
    /* one character at a time, as the keyboard sends them */
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        size_t start = i;
        utf8_next(s, n, &i);
        assert_true(edit_insert(e, s + start, i - start));
    }
}

static void test_typing_and_backspace_never_split(void **state) {
    (void)state;
    edit e;
    edit_init(&e, 4096);
    type(&e, "Blåbær på ø");
    assert_string_equal(edit_text(&e), "Blåbær på ø");
    assert_true(edit_backspace(&e)); /* "ø" is two bytes: both go */
    assert_string_equal(edit_text(&e), "Blåbær på ");
    assert_true(utf8_valid(edit_text(&e), strlen(edit_text(&e))));
    edit_left(&e, false);
    edit_left(&e, false); /* between p and å */
    assert_true(edit_delete(&e));
    assert_string_equal(edit_text(&e), "Blåbær p ");
    /* a decomposed å (a + ring) goes as one */
    assert_true(edit_set(&e, "ba\xcc\x8at", 3));
    assert_int_equal(e.caret, 1); /* offset 3 is inside the mark: snapped to the letter's start... */
    edit_set(&e, "ba\xcc\x8at", 2);
    assert_int_equal(e.caret, 1); /* ...as is 2, between the letter and its mark */
    edit_set(&e, "ba\xcc\x8at", 4);
    assert_int_equal(e.caret, 4); /* 4 is the boundary after the cluster */
    assert_true(edit_backspace(&e));
    assert_string_equal(edit_text(&e), "bt");
    /* a caret placed inside a multibyte character is moved to its start */
    edit_set(&e, "æ", 0);
    edit_select(&e, 1, 1);
    assert_int_equal(e.caret, 0);
    assert_false(edit_set(&e, "\xff", 0)); /* invalid: refused, text kept */
    assert_string_equal(edit_text(&e), "æ");
    assert_false(edit_insert(&e, "\xc3", 1));
    assert_string_equal(edit_text(&e), "æ");
    edit_free(&e);
}

/* A letter typed in front of a lone combining mark joins it, and the caret goes after the pair (fuzz_edit). */
static void test_letter_before_a_lone_mark(void **state) {
    (void)state;
    edit e;
    edit_init(&e, 100);
    assert_true(edit_set(&e, "\xcc\x8a" "b", 0)); /* U+030A, then b: the mark has no letter */
    assert_int_equal(e.caret, 0);
    assert_true(edit_insert(&e, "a", 1));
    assert_string_equal(edit_text(&e), "a\xcc\x8a" "b");
    assert_int_equal(e.caret, 3); /* after «å», not between a and its ring */
    edit_free(&e);
}

static void test_selection_and_words(void **state) {
    (void)state;
    edit e;
    edit_init(&e, 4096);
    edit_set(&e, "Jeg kjente hjertet slå", strlen("Jeg kjente hjertet slå"));
    assert_true(edit_delete_word_back(&e));
    assert_string_equal(edit_text(&e), "Jeg kjente hjertet ");
    assert_true(edit_delete_word_back(&e)); /* the space and the word before it */
    assert_string_equal(edit_text(&e), "Jeg kjente ");
    edit_word_left(&e, false);
    assert_int_equal(e.caret, 4);
    edit_word_right(&e, true); /* select "kjente" */
    size_t a, b;
    edit_selection(&e, &a, &b);
    assert_int_equal(a, 4);
    assert_int_equal(b, 10);
    assert_true(edit_insert(&e, "følte", strlen("følte"))); /* replaces the selection */
    assert_string_equal(edit_text(&e), "Jeg følte ");
    assert_false(edit_has_selection(&e));
    /* a drag selects from where it began; backspace removes the selection only */
    edit_select(&e, 0, 4);
    assert_true(edit_backspace(&e));
    assert_string_equal(edit_text(&e), "følte ");
    assert_false(edit_delete_word_back(&e)); /* the caret is at the start: nothing before it */
    /* newlines are kept, other controls dropped, a tab becomes a space */
    edit_set(&e, "", 0);
    assert_true(edit_insert(&e, "a\tb\nc\x01\r", 7));
    assert_string_equal(edit_text(&e), "a b\nc");
    edit_free(&e);
}

static void test_undo_steps(void **state) {
    (void)state;
    edit e;
    edit_init(&e, 4096);
    type(&e, "Jeg var redd");
    assert_true(edit_undo(&e)); /* one word back */
    assert_string_equal(edit_text(&e), "Jeg var ");
    type(&e, "rolig");
    assert_true(edit_backspace(&e));
    assert_true(edit_backspace(&e));
    assert_string_equal(edit_text(&e), "Jeg var rol");
    assert_true(edit_undo(&e)); /* the run of deleting */
    assert_string_equal(edit_text(&e), "Jeg var rolig");
    assert_int_equal(e.caret, strlen("Jeg var rolig"));
    assert_true(edit_undo(&e));
    assert_string_equal(edit_text(&e), "Jeg var ");
    assert_true(edit_undo(&e));
    assert_true(edit_undo(&e));
    assert_string_equal(edit_text(&e), "");
    assert_false(edit_undo(&e));
    /* no more than MS_EDIT_UNDO_STEPS are kept */
    for (int i = 0; i < MS_EDIT_UNDO_STEPS + 5; i++)
        type(&e, "ord ");
    int undone = 0;
    while (edit_undo(&e))
        undone++;
    assert_int_equal(undone, MS_EDIT_UNDO_STEPS);
    edit_free(&e);
}

static void test_cap(void **state) {
    (void)state;
    edit e;
    edit_init(&e, 5);
    assert_true(edit_insert(&e, "abcæø", strlen("abcæø"))); /* 7 bytes: "abcæ" fits, ø would split */
    assert_string_equal(edit_text(&e), "abcæ");
    assert_false(edit_insert(&e, "x", 1));
    assert_string_equal(edit_text(&e), "abcæ");
    assert_false(edit_set(&e, "abcdef", 0));
    edit_free(&e);
}

/* Random operations: the text stays valid UTF-8 and the caret on a boundary, whatever is pressed. */
static void test_random_operations(void **state) {
    (void)state;
    static const char *const pieces[] = {"a", "æ", "ø", "å", " ", "\n", "e\xcc\x81", "€", "𝄞", "ord ", "\xcc\x8a"};
    edit e;
    edit_init(&e, 300);
    srand(5);
    for (int i = 0; i < 20000; i++) {
        int op = rand() % 10;
        switch (op) {
        case 0:
        case 1:
        case 2: {
            const char *p = pieces[rand() % 11];
            edit_insert(&e, p, strlen(p));
            break;
        }
        case 3: edit_backspace(&e); break;
        case 4: edit_delete(&e); break;
        case 5: edit_delete_word_back(&e); break;
        case 6: edit_undo(&e); break;
        case 7: edit_select(&e, (size_t)rand() % (e.len + 2), (size_t)rand() % (e.len + 2)); break;
        case 8: edit_left(&e, rand() % 2); break;
        default: edit_word_right(&e, rand() % 2); break;
        }
        const char *t = edit_text(&e);
        assert_int_equal(strlen(t), e.len);
        assert_true(e.len <= 300);
        assert_true(utf8_valid(t, e.len));
        assert_true(e.caret <= e.len && e.anchor <= e.len);
        assert_true(e.caret == e.len || ((unsigned char)t[e.caret] & 0xC0) != 0x80);
        assert_true(e.anchor == e.len || ((unsigned char)t[e.anchor] & 0xC0) != 0x80);
    }
    edit_free(&e);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_typing_and_backspace_never_split),
        cmocka_unit_test(test_letter_before_a_lone_mark),
        cmocka_unit_test(test_selection_and_words),
        cmocka_unit_test(test_undo_steps),
        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_random_operations),
    };
    return cmocka_run_group_tests_name("edit", tests, NULL, NULL);
}
