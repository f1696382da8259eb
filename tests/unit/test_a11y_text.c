/* test_a11y_text.c — a bad byte in a screen's text never reaches the screen reader's bus (issue 13).
 *
 * libdbus aborts the whole process when a string it is to send is not UTF-8 (a function key's text did it to F1
 * under Orca), so the bridge makes every text it is handed valid (a11y_atk.c dup_or_empty). Here a frame whose
 * texts are cut in the middle of «ø», hold 0xFF or an overlong «/» goes the bridge's own way — copied as
 * publish copies it (snap_copy), applied as its thread applies it (apply_pending: the objects made, a second
 * frame's text changed in place) — and everything atk-bridge reads to put on the bus (names, AtkText by its
 * calls, the window's name) is checked with libdbus's own test. The bridge itself is not started: no bus. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dbus/dbus.h>

#include "../../src/a11y/a11y_atk.c"

/* What D-Bus would refuse (and abort on): a string libdbus does not take as UTF-8. */
static void assert_sendable(const char *what, const char *s) {
    if (!s) return; /* sent as "" */
    if (!dbus_validate_utf8(s, NULL)) fail_msg("%s is not valid UTF-8 for D-Bus: %s", what, s);
}

/* Every string a screen reader can ask of o and its children, as atk-bridge asks it. */
static int check_tree(AtkObject *o) {
    int n = 1;
    assert_sendable("a name", atk_object_get_name(o));
    assert_sendable("a description", atk_object_get_description(o));
    if (ATK_IS_TEXT(o)) {
        AtkText *t = ATK_TEXT(o);
        gchar *all = atk_text_get_text(t, 0, -1);
        assert_sendable("a text", all);
        g_free(all);
        gint count = atk_text_get_character_count(t), a, b;
        for (gint i = 0; i <= count; i++) { /* by character, word and line, as say all and flat review read */
            const AtkTextBoundary bounds[] = {ATK_TEXT_BOUNDARY_CHAR, ATK_TEXT_BOUNDARY_WORD_START,
                                              ATK_TEXT_BOUNDARY_LINE_START};
            for (size_t k = 0; k < G_N_ELEMENTS(bounds); k++) {
                G_GNUC_BEGIN_IGNORE_DEPRECATIONS /* the call AT-SPI's GetTextAtOffset still makes */
                gchar *piece = atk_text_get_text_at_offset(t, i, bounds[k], &a, &b);
                G_GNUC_END_IGNORE_DEPRECATIONS
                assert_sendable("a piece of text", piece);
                g_free(piece);
                piece = atk_text_get_string_at_offset(t, i, ATK_TEXT_GRANULARITY_WORD, &a, &b);
                assert_sendable("a word", piece);
                g_free(piece);
            }
        }
    }
    if (ATK_IS_IMAGE(o)) assert_sendable("an image's description", atk_image_get_image_description(ATK_IMAGE(o)));
    for (gint i = 0; i < atk_object_get_n_accessible_children(o); i++) {
        AtkObject *c = atk_object_ref_accessible_child(o, i);
        n += check_tree(c);
        g_object_unref(c);
    }
    return n;
}

/* The module's objects made as its thread makes them (bridge_thread), with no bridge. */
static void tree_init(void) {
    br.kids = g_ptr_array_new();
    br.top = g_ptr_array_new_with_free_func(g_object_unref);
    br.groups = g_ptr_array_new_with_free_func(g_object_unref);
    br.root = g_object_new(ms_root_get_type(), NULL);
    atk_object_set_role(br.root, ATK_ROLE_APPLICATION);
    br.window = g_object_new(ms_window_get_type(), NULL);
    atk_object_set_role(br.window, ATK_ROLE_FRAME);
    atk_object_set_parent(br.window, br.root);
}

static void apply(const a11y_snapshot *f) {
    br.pending = snap_copy(f); /* as a11y_publish copies it on the client's thread */
    apply_pending(NULL);
}

static const char CUT_OE[] = "Hjelp n\xC3";            /* «nå» cut: ø is C3 B8, here C3 alone */
static const char FF[] = "Pust \xFF rolig";            /* a byte UTF-8 never has */
static const char OVERLONG[] = "Ja\xC0\xAF nei";        /* «/» in two bytes */
static const char CUT_FIELD[] = "Jeg f\xC3\xB8lte meg r\xC3"; /* the patient's draft, its last «ø» cut */

static void test_bad_bytes_arrive_valid(void **state) {
    (void)state;
    tree_init();
    a11y_elem e[] = {
        {.role = A11Y_HEADING, .text = CUT_OE, .w = 100, .h = 20, .name_len = -1, .caret = -1, .anchor = -1},
        {.role = A11Y_TEXT, .text = FF, .y = 20, .w = 100, .h = 20, .name_len = -1, .caret = -1, .anchor = -1},
        {.role = A11Y_BUTTON, .text = OVERLONG, .y = 40, .w = 100, .h = 20, .action = 1, .name_len = 2, .caret = -1,
         .anchor = -1, .choice = A11Y_CHOICE_ONE, .chosen = true},
        {.role = A11Y_IMAGE, .text = FF, .y = 60, .w = 100, .h = 20, .name_len = -1, .caret = -1, .anchor = -1},
        {.role = A11Y_TEXT, .text = CUT_OE, .y = 80, .w = 100, .h = 20, .name_len = -1, .caret = -1, .anchor = -1,
         .list = A11Y_LIST_FIRST},
        {.role = A11Y_FIELD, .text = CUT_FIELD, .y = 100, .w = 100, .h = 40, .name_len = -1, .caret = 3, .anchor = 3,
         .entry = true},
        {.role = A11Y_STATUS, .text = OVERLONG, .y = 140, .w = 100, .h = 20, .name_len = -1, .caret = -1, .anchor = -1},
    };
    a11y_snapshot f = {.screen = "write\xFF", .title = CUT_OE, .lang = "nb", .message = OVERLONG, .win_w = 100,
                       .win_h = 200, .e = e, .n = G_N_ELEMENTS(e), .focus = 5};
    apply(&f);
    assert_int_equal(check_tree(br.root), 1 + 1 + 7 + 1); /* the app, its window, the elements, the list */
    /* the same screen again, texts changed in place (retext: a field typed into, a status line's news) */
    e[1].text = CUT_FIELD;
    e[5].text = FF;
    e[6].text = CUT_OE;
    f.message = CUT_OE;
    apply(&f);
    assert_int_equal(check_tree(br.root), 10);
    /* a good text stays as it was, byte for byte */
    e[1].text = "Kjenner du hjertet slå?";
    apply(&f);
    AtkObject *p = atk_object_ref_accessible_child(br.window, 1);
    gchar *t = atk_text_get_text(ATK_TEXT(p), 0, -1);
    assert_string_equal(t, "Kjenner du hjertet slå?");
    g_free(t);
    g_object_unref(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_bytes_arrive_valid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
