/* writing.c — the editor: one text field, the on-screen keyboard, and the draft in the store.
 *
 * Every change is saved before the next event is handled (store_draft_set: one SQLite transaction with
 * synchronous=FULL), so a flat battery or kill -9 loses at most the keystroke being handled. The patient's
 * words never go to the log. screens.c draws the editor and records where the field's lines are
 * (a->field_lines), which is what a tap or a drag in the field is measured against. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "meistring/sync.h"
#include "meistring/utf8.h"

#define BS_DELAY_MS    500 /* hold backspace this long before it repeats */
#define BS_REPEAT_MS   80  /* then one character this often */
#define BS_WORDS_AFTER 12  /* after this many characters, whole words: a long text empties in seconds, not minutes */

static void log_store_failure(app *a) {
    /* the reason names tables and SQLite's error, never the text */
    fprintf(stderr, "meistring: cannot save the draft: %s\n", store_last_error(a->st));
}

/* Saves the text as it is now. An empty text is no draft. */
static bool is_answer(const app *a) { return strncmp(a->write_key, "answer/", 7) == 0; }

static void save(app *a) {
    const char *t = edit_text(&a->ed);
    Uint64 t0 = SDL_GetPerformanceCounter();
    bool ok = is_answer(a) ? ex_text_changed(a, t) /* the answer itself, in the exercise's row */
              : t[0]       ? store_draft_set(a->st, a->write_key, t, a->ed.caret)
                           : store_draft_clear(a->st, a->write_key);
    double ms = (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 / (double)SDL_GetPerformanceFrequency();
    a->save_ms_total += ms;
    if (ms > a->save_ms_max) a->save_ms_max = ms;
    if (!ok && a->write_saved) log_store_failure(a);
    a->write_saved = ok;
}

/* Shift on at the start of the text and of a sentence, as a phone keyboard does. */
static void auto_shift(app *a) {
    size_t c = a->ed.caret;
    const char *t = edit_text(&a->ed);
    size_t i = c;
    while (i > 0 && t[i - 1] == ' ')
        i--;
    bool start =
        c == 0 || (i > 0 && (t[i - 1] == '\n' || ((t[i - 1] == '.' || t[i - 1] == '!' || t[i - 1] == '?') && i < c)));
    kb_sentence_start(&a->kbd, start);
}

void write_open(app *a, const char *draft_key, app_screen back_to) {
    snprintf(a->write_key, sizeof a->write_key, "%s", draft_key);
    edit_free(&a->ed);
    bool answer = is_answer(a);
    edit_init(&a->ed, answer ? MS_ANSWER_MAX_BYTES : MS_MESSAGE_MAX_BYTES);
    size_t caret = 0;
    char *d = NULL;
    if (answer) { /* an exercise's text field or table cell: its current text, the caret at the end */
        d = ex_target_text(a, a->write_title, sizeof a->write_title);
        caret = d ? strlen(d) : 0;
    } else {
        d = store_draft_get(a->st, draft_key, &caret);
        snprintf(a->write_title, sizeof a->write_title, "%s", app_tr(a, "write.title"));
    }
    if (d && !edit_set(&a->ed, d, caret)) fprintf(stderr, "meistring: a saved draft could not be loaded\n");
    free(d);
    kb_init(&a->kbd);
    auto_shift(a);
    a->write_return = back_to;
    a->write_saved = true;
    a->write_scroll = 0;
    a->bs_key = -1;
    a->field_drag = false;
    a->screen = SCREEN_WRITE;
    SDL_StartTextInput(); /* a hardware keyboard or an input method types here too */
    a->dirty = true;
}

void write_close(app *a) {
    save(a);
    SDL_StopTextInput();
    a->bs_key = -1;
    a->screen = a->write_return;
    if (a->screen == SCREEN_MESSAGES) app_load_messages(a);
    if (is_answer(a)) a->write_key[0] = '\0';
    a->dirty = true;
}

static void changed(app *a) {
    if (!a->key_pending) { /* keystroke → screen starts here; app_draw stops the clock when it presents */
        a->key_pending = true;
        a->key_t0 = SDL_GetPerformanceCounter();
    }
    save(a);
    auto_shift(a);
    a->dirty = true;
}

static void backspace(app *a, bool word) {
    if (word ? edit_delete_word_back(&a->ed) : edit_backspace(&a->ed)) changed(a);
}

void write_key(app *a, int index) {
    if (index < 0 || index >= a->kbd.n) return;
    const kb_key *k = &a->kbd.keys[index];
    switch (k->kind) {
    case KB_CHAR:
        if (edit_insert(&a->ed, k->text, strlen(k->text))) {
            kb_typed(&a->kbd);
            changed(a);
        }
        break;
    case KB_SPACE:
        if (edit_insert(&a->ed, " ", 1)) changed(a);
        break;
    case KB_ENTER:
        if (edit_insert(&a->ed, "\n", 1)) changed(a);
        break;
    case KB_BACKSPACE: backspace(a, false); break;
    case KB_SHIFT: kb_shift_tap(&a->kbd); break;
    case KB_LAYER: a->kbd.symbols = !a->kbd.symbols; break;
    }
    a->dirty = true;
}

void write_text(app *a, const char *utf8) {
    if (a->screen != SCREEN_WRITE) return;
    if (edit_insert(&a->ed, utf8, strlen(utf8))) changed(a);
}

bool write_keydown(app *a, SDL_Keycode k, Uint16 mod) {
    if (a->screen != SCREEN_WRITE) return false;
    bool ctrl = (mod & KMOD_CTRL) != 0, shift = (mod & KMOD_SHIFT) != 0;
    size_t caret0 = a->ed.caret, anchor0 = a->ed.anchor;
    switch (k) {
    case SDLK_BACKSPACE: backspace(a, ctrl); break;
    case SDLK_DELETE:
        if (edit_delete(&a->ed)) changed(a);
        break;
    case SDLK_LEFT:
        ctrl ? edit_word_left(&a->ed, shift) : edit_left(&a->ed, shift);
        auto_shift(a);
        break;
    case SDLK_RIGHT:
        ctrl ? edit_word_right(&a->ed, shift) : edit_right(&a->ed, shift);
        auto_shift(a);
        break;
    case SDLK_HOME: edit_select(&a->ed, shift ? a->ed.anchor : 0, 0); break;
    case SDLK_END: edit_select(&a->ed, shift ? a->ed.anchor : a->ed.len, a->ed.len); break;
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
        if (edit_insert(&a->ed, "\n", 1)) changed(a);
        break;
    case SDLK_z:
        if (!ctrl) return true; /* the letter itself comes as text input */
        write_undo(a);
        break;
    case SDLK_a:
        if (!ctrl) return true;
        edit_select(&a->ed, 0, a->ed.len);
        break;
    case SDLK_ESCAPE:
    case SDLK_AC_BACK: write_close(a); break;
    default: return true; /* letters arrive as SDL_TEXTINPUT; nothing else may reach the reader's keys */
    }
    if (a->ed.caret != caret0 || a->ed.anchor != anchor0) save(a); /* the caret is part of the draft */
    a->dirty = true;
    return true;
}

void write_undo(app *a) {
    if (edit_undo(&a->ed)) changed(a);
}

void write_send(app *a) {
    if (strcmp(a->write_key, "message") != 0) return;
    /* leading and trailing blank lines and spaces are not part of the message */
    const char *t = edit_text(&a->ed);
    size_t b = 0, e = strlen(t);
    while (b < e && (t[b] == ' ' || t[b] == '\n'))
        b++;
    while (e > b && (t[e - 1] == ' ' || t[e - 1] == '\n'))
        e--;
    if (b == e) return;
    if (a->memory_only) {
        /* nothing reaches the disk and no sync runs: "saved, sent soon" would be a lie; the text stays here */
        app_show_toast(a, app_tr(a, "write.cannot_send"), 8000);
        a->dirty = true;
        return;
    }
    char *body = strndup(t + b, e - b);
    char id[33];
    if (!body || !sync_queue_message(a->st, body, "message", id)) {
        fprintf(stderr, "meistring: cannot store the message: %s\n", store_last_error(a->st));
        app_show_toast(a, app_tr(a, "write.not_saved"), 6000); /* the draft is still there */
        free(body);
        return;
    }
    free(body);
    edit_set(&a->ed, "", 0);
    SDL_StopTextInput();
    a->screen = SCREEN_MESSAGES;
    a->scroll_list = 1 << 30; /* the new message is at the end of the thread: show it */
    app_load_messages(a);
    if (a->sync) syncer_now(a->sync);
    app_show_toast(a,
                   app_tr(a, !a->sync                ? "write.saved_demo"
                             : a->sync_status.online ? "write.sent_soon"
                                                     : "write.saved_offline"),
                   5000);
    a->dirty = true;
}

void write_resend(app *a, int i) {
    if (i < 0 || i >= a->n_msgs || !a->msgs[i].client_id) return;
    char id[33];
    if (sync_resend_message(a->st, a->msgs[i].client_id, a->msgs[i].body, a->msgs[i].when, id)) {
        app_load_messages(a);
        if (a->sync) syncer_now(a->sync);
        app_show_toast(a, app_tr(a, "write.sent_soon"), 5000);
    } else {
        fprintf(stderr, "meistring: cannot queue the message again: %s\n", store_last_error(a->st));
    }
    a->dirty = true;
}

/* ---- the field: taps place the caret, drags select ----------------------------------------------------- */

/* The text area and the box's padding around it: a finger that lands just left of the first letter means it. */
static bool in_field(const app *a, int x, int y) {
    int pad = app_px(a, 12);
    return a->screen == SCREEN_WRITE && x >= a->field_x - pad && x < a->field_x + a->field_w + pad &&
           y >= a->field_y - pad && y < a->field_y + a->field_h + pad;
}

/* The text offset nearest to (x, y): the line under y, then the character boundary nearest x on it. */
static size_t offset_at(app *a, int x, int y) {
    if (a->n_field_lines == 0) return 0;
    int line = (y - a->field_y + a->write_scroll) / (a->field_line_h > 0 ? a->field_line_h : 1);
    if (line < 0) return 0;
    if (line >= a->n_field_lines) return a->ed.len;
    const struct field_line *ln = &a->field_lines[line];
    const char *t = edit_text(&a->ed);
    int want = x - a->field_x - ln->x;
    size_t best = (size_t)ln->start;
    int best_d = want < 0 ? -want : want;
    for (size_t i = (size_t)ln->start; i < (size_t)ln->end;) {
        utf8_next(t, (size_t)ln->end, &i);
        int w = ren_measure(a->rn, a->field_style, t + ln->start, i - (size_t)ln->start);
        int d = w - want < 0 ? want - w : w - want;
        if (d < best_d) {
            best_d = d;
            best = i;
        }
    }
    return best;
}

bool write_pointer_down(app *a, int x, int y) {
    if (!in_field(a, x, y)) return false;
    size_t at = offset_at(a, x, y);
    edit_select(&a->ed, at, at);
    a->field_drag = true;
    auto_shift(a);
    a->dirty = true;
    return true;
}

void write_pointer_move(app *a, int x, int y) {
    if (!a->field_drag) return;
    edit_select(&a->ed, a->ed.anchor, offset_at(a, x, y));
    a->dirty = true;
}

bool write_pointer_up(app *a, int x, int y) {
    if (a->field_drag) {
        write_pointer_move(a, x, y);
        a->field_drag = false;
        save(a); /* the caret is part of the draft */
        return true;
    }
    if (a->bs_key >= 0) {
        /* a held backspace deleted as it repeated; a short tap deletes once, here */
        int key = a->bs_key;
        a->bs_key = -1;
        if (a->bs_repeats == 0) write_key(a, key);
        return true;
    }
    return false;
}

/* ---- backspace repeat ------------------------------------------------------------------------------------ */

/* A press on backspace starts its repeat clock; the release (write_pointer_up) decides what a short tap did. */
void write_key_down(app *a, int index) {
    if (index < 0 || index >= a->kbd.n || a->kbd.keys[index].kind != KB_BACKSPACE) return;
    a->bs_key = index;
    a->bs_repeats = 0;
    a->bs_next = SDL_GetTicks() + BS_DELAY_MS;
}

int write_next_timer_ms(const app *a) {
    if (a->bs_key < 0 || a->screen != SCREEN_WRITE) return -1;
    Sint32 left = (Sint32)(a->bs_next - SDL_GetTicks());
    return left > 0 ? left : 0;
}

bool write_tick(app *a) {
    if (a->bs_key < 0 || a->screen != SCREEN_WRITE || !SDL_TICKS_PASSED(SDL_GetTicks(), a->bs_next)) return false;
    backspace(a, a->bs_repeats >= BS_WORDS_AFTER);
    a->bs_repeats++;
    a->bs_next = SDL_GetTicks() + BS_REPEAT_MS;
    return true;
}
