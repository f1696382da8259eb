/* screens.c — the table of screens: one line each, in app_screen's order. */
#include "screens.h"

static const screen_ops *const table[SCREEN_COUNT] = {
    [SCREEN_HOME] = &screen_home,         [SCREEN_MODULE] = &screen_module,     [SCREEN_PAGE] = &screen_reader,
    [SCREEN_HELP] = &screen_help,         [SCREEN_AIDS] = &screen_aids,         [SCREEN_ENROL] = &screen_enrol,
    [SCREEN_MESSAGES] = &screen_messages, [SCREEN_WRITE] = &screen_editor,      [SCREEN_EXERCISE] = &screen_exercise,
    [SCREEN_QUEST] = &screen_quest,       [SCREEN_SCORES] = &screen_scores,     [SCREEN_ATTRACT] = &screen_attract,   [SCREEN_STAFF] = &screen_staff,
    [SCREEN_LOCK] = &screen_lock,         [SCREEN_PIN] = &screen_pin,
};

const screen_ops *screen_get(app_screen s) { return s >= 0 && s < SCREEN_COUNT ? table[s] : table[SCREEN_HOME]; }

int *screen_scroll(app *a) {
    const screen_ops *ops = screen_get(a->screen);
    return ops->scroll ? ops->scroll(a) : &a->scroll_list;
}

void screen_scroll_by(app *a, int dy) {
    int *s = screen_scroll(a);
    int v = *s + dy;
    if (v > a->max_scroll) v = a->max_scroll;
    if (v < 0) v = 0;
    if (v != *s) {
        *s = v;
        a->dirty = true;
    }
}
