/* test_theme.c — every pair of ink the screens draw text or controls with is at least 7:1 (WCAG AAA), computed
 * from the theme's values; and the contrast arithmetic itself against known WCAG figures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>

#include "meistring/color.h"
#include "ui/theme.h"

static void test_contrast_arithmetic(void **state) {
    (void)state;
    assert_true(color_contrast(0x000000FF, 0xFFFFFFFF) > 20.99);
    assert_true(color_contrast(0xFFFFFFFF, 0x000000FF) < 21.01);
    assert_true(color_contrast(0x777777FF, 0x777777FF) == 1.0);
    /* #767676 on white is the classic 4.54:1 */
    double r = color_contrast(0x767676FF, 0xFFFFFFFF);
    assert_true(r > 4.53 && r < 4.56);
}

/* The pairs the screens use: text ink on the background it is drawn on (screens.c, pagelayout.c). */
static const struct {
    theme_ink fg, bg;
    const char *where;
} PAIRS[] = {
    {INK_TEXT, INK_BG, "body text"},
    {INK_MUTED, INK_BG, "secondary text, captions"},
    {INK_HEADING, INK_BG, "headings"},
    {INK_ALERT, INK_BG, "the «Hjelp nå» title"},
    {INK_BAR_TEXT, INK_BAR_BG, "top and bottom bars, bar buttons"},
    {INK_BUTTON_TEXT, INK_BUTTON_BG, "primary buttons"},
    {INK_TEXT, INK_CARD_BG, "secondary buttons, cards, exercise boxes"},
    {INK_HEADING, INK_CARD_BG, "card titles"},
    {INK_MUTED, INK_CARD_BG, "card status, field notes"},
    {INK_ALERT, INK_CARD_BG, "113 and 116 117"},
    {INK_HELP_TEXT, INK_HELP_BG, "the «Hjelp nå» button"},
    {INK_DEMO_TEXT, INK_DEMO_BG, "the demonstration banner"},
    {INK_TEXT, INK_CALLOUT_BG, "callouts"},
    {INK_TEXT, INK_SUMMARY_BG, "«Kort fortalt»"},
    {INK_HEADING, INK_SUMMARY_BG, "«Kort fortalt» title"},
    {INK_MUTED, INK_SUMMARY_BG, "locked module cards"},
    {INK_TEXT, INK_IMPORTANT_BG, "important callouts, the no-acute statement"},
    {INK_BG, INK_TEXT, "messages (toasts) in reverse"},
    {INK_TEXT, INK_HIGHLIGHT, "the word being read aloud"},
    {INK_HEADING, INK_HIGHLIGHT, "a heading word being read aloud"},
};

static void check_theme(const theme *th) {
    for (size_t i = 0; i < sizeof PAIRS / sizeof PAIRS[0]; i++) {
        double r = color_contrast(th->ink[PAIRS[i].fg], th->ink[PAIRS[i].bg]);
        if (r < 7.0) fail_msg("theme %s: %s is %.2f:1, below 7:1", th->name, PAIRS[i].where, r);
    }
}

static void test_every_theme(void **state) {
    (void)state;
    for (size_t i = 0; i < THEME_COUNT; i++)
        check_theme(THEMES[i]);
    assert_ptr_equal(theme_by_name("dark"), &THEME_DARK);
    assert_ptr_equal(theme_by_name("no-such-theme"), &THEME_CREAM);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contrast_arithmetic),
        cmocka_unit_test(test_every_theme),
    };
    return cmocka_run_group_tests_name("theme", tests, NULL, NULL);
}
