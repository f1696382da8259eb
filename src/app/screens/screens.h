/* screens.h — a screen is a unit: one file under screens/ with its own static state and one screen_ops.
 *
 * To add a screen: write screens/<name>.c with `const screen_ops screen_<name> = {…}`, add its SCREEN_ value
 * to app_screen (app.h) and one line to the table in screens/screens.c. Open it with nav_push; Back pops it
 * unless its `back` says otherwise. Nothing else needs to know it exists.
 *
 * The loop (app.c) calls, for the screen on top: `update` before a frame (layout, pagination, restoring a saved
 * place: the only step that may change state while preparing a frame), `draw` (draws and describes the frame
 * through the widgets and changes nothing), and on input `action` (a tapped element's action), `key`, the
 * pointer hooks, `tick` when its `deadline_ms` comes. Every hook may be NULL. */
#ifndef MS_SCREENS_H
#define MS_SCREENS_H

#include <stdbool.h>

#include "app.h"

typedef struct screen_ops {
    const char *name; /* as `describe` and the saved place say it */
    void (*update)(app *a);
    void (*draw)(app *a);
    bool (*action)(app *a, app_action act, int arg); /* true: it was this screen's */
    bool (*key)(app *a, SDL_Keycode k, Uint16 mod);  /* before the common keys; true: used */
    bool (*text)(app *a, const char *utf8);          /* SDL text input; true: used */
    void (*back)(app *a);                            /* Back; NULL: nav_pop */
    bool (*tick)(app *a);                            /* its timers ran; true: redraw */
    int (*deadline_ms)(const app *a);                /* ms until tick has work, -1: none */
    bool (*saves_place)(const app *a);               /* resumed after a restart; NULL: the screen under it is */
    /* The pointer (input.c recognises the gestures): press, move and release are the raw finger, each true when
     * the screen took it (the editor's field); a drag moves past the slop (true: the screen used it, so the
     * list does not scroll), drag_end lifts after one (dt ms after the press; scroll_at_down is the scroll the
     * drag started from); tap is a tap on nothing tappable (true: used; else it puts a toast away). */
    bool (*press)(app *a, int x, int y);
    bool (*move)(app *a, int x, int y);
    bool (*release)(app *a, int x, int y);
    bool (*drag)(app *a, int x, int y, int dx, int dy);
    bool (*drag_end)(app *a, int dx, int dy, Uint32 dt, int scroll_at_down);
    bool (*tap)(app *a, int x, int y);
    int *(*scroll)(app *a); /* the scroll position drags, wheels and keys move; NULL: a->scroll_list */
    bool pinch_zoom;        /* two fingers change the text size */
    void (*reload)(app *a); /* new content from the clinic: drop what refers to the old programme */
    void (*close)(app *a);  /* the client stops: free what the screen holds */
} screen_ops;

const screen_ops *screen_get(app_screen s);
int *screen_scroll(app *a);             /* the open screen's scroll offset (its own, or the list's) */
void screen_scroll_by(app *a, int dy);  /* that scroll, by dy px, kept within 0…max_scroll */

extern const screen_ops screen_home, screen_module, screen_reader, screen_help, screen_aids, screen_enrol,
    screen_messages, screen_editor, screen_exercise, screen_quest, screen_scores, screen_attract, screen_staff,
    screen_lock, screen_pin;

/* reader.c */
void reader_open_page(app *a, int page);
bool reader_paged(const app *a);          /* paged reading, with the page cut into screens */
/* The open glossary explanation as the reader placed it (the harness): its text size, the patient's reading size and
 * the least it may have (the bars', px); whether, set smaller than the reading size, it would have fitted whole
 * (beside its term, or over the page) at the next size up the reader tries; its lines, how many its box shows, their
 * height and the box's. False when none shows. */
typedef struct {
    int px, read_px, least_px, lines, shown, line_h, box_h;
    bool fits_larger;
} reader_term_info;
bool reader_term_get(app *a, reader_term_info *out);
void reader_turn_screen(app *a, int idx); /* to screen idx of the page */
void reader_keep_place(app *a);           /* before the layout changes: remember the anchor at the top */
void reader_show(app *a, int y, int h);   /* keep page y..y+h on screen (the spoken word) */
void reader_turn_to(app *a, int y);       /* paged: to the screen that holds screen y as the last frame laid it out */
void reader_focus_at(app *a, int y);      /* the ruler to page y (when it is on) */
typedef struct {
    int screen, screens;        /* paged: the screen shown and how many the page has (0: not cut) */
    int focus_top, focus_bottom; /* the ruler's clear band on screen, -1 when off */
} reader_state;
void reader_state_get(reader_state *out);
bool reader_next_screen(app *a); /* paged: on to the page's next screen; false on its last (the harness) */
/* aids.c: the reading settings by name (text_pct, theme, font, …) as the aids screen sets them. */
bool aids_set_setting(app *a, const char *name, const char *value);
bool aids_get_setting(app *a, const char *name, char *buf, size_t cap);
void aids_apply(app *a); /* the settings changed: theme, store */
bool aids_settings_action(app *a, app_action act, int arg); /* text size, theme, font, …: from any screen */
void aids_open(app *a);
/* enrol.c: the interface key of the error for a failed enrolment's sync_result (a code refused, no answer, …) */
const char *enrol_error_key(int result);
/* messages.c */
void messages_load(app *a); /* the thread and the draft, from the store */
void messages_open(app *a);
int messages_unread(void);
int messages_in_thread(void); /* the messages read into the thread (its stretch), 0 when it is not open */
/* editor.c: the editor writes through a target its opener gives it. */
typedef struct editor_target {
    char key[160];     /* what is written, for describe: "message", or "answer/<block>/<field>[/<row>/<col>]" */
    char title[512];   /* the editor's title: a question, and for a cell its column and row */
    size_t max_bytes;  /* MS_MESSAGE_MAX_BYTES, MS_ANSWER_MAX_BYTES */
    bool can_send;     /* a message: «Send», and a place to come back to after a restart */
    /* the text it opens with (malloc'd, or NULL) and where its caret was */
    char *(*load)(app *a, size_t *caret);
    /* every change: true when it reached the store */
    bool (*save)(app *a, const char *text, size_t caret);
} editor_target;
void editor_open(app *a, const editor_target *t); /* copies t */
void editor_open_message(app *a);
void editor_send(app *a); /* the message being written, to the outbox; the thread shows it */
struct kb;
const struct kb *editor_keyboard(void); /* the keys as last laid out (the harness taps them) */
typedef struct {
    const char *key, *text; /* borrowed until the next edit */
    size_t len, caret, anchor;
    const char *shift; /* "off", "once", "caps" */
    bool symbols, saved;
    int field_h, line_h;  /* px: the field's text area and one line of it */
    int text_px, read_px; /* the field's text size, and the patient's reading size it is whenever it fits */
    int over;             /* px the last line's descenders reach past it where the lines are tight (compact) */
    int field_x, field_y, field_w; /* the field's text area (with field_h) */
    int caret_px;                  /* the caret's x in the field's text area, as last drawn */
    int field_breaks;              /* times the last layout broke the text into the field's lines */
} editor_info;
void editor_info_get(editor_info *out); /* describe's "writing" */
/* Where the patient's words [start, start + len) are drawn in the field, as last laid out: the box round the lines
 * of it that show, false when none does; *whole (may be NULL): every line of it shows. Read-aloud lights a sentence
 * there as it is said (and lay_out shows it: readaloud_field_part). */
bool editor_part_box(const app *a, size_t start, size_t len, int *x, int *y, int *w, int *h, bool *whole);
/* exercise.c / questionnaire.c */
void exercise_open(app *a, int block);
/* The exercise on screen (NULL: none): what check-scales reads to know which of its buttons are a scale's. */
const doc_block *exercise_block(const app *a);
void quest_open(app *a, int block);
/* The demonstration (no server named) opens what a sent questionnaire opens, by the server's rule, itself; the
 * scores kept on the tablet say it again at every start, so a restart does not lock it again. */
void quest_demo_opens(app *a, const char *block_id);
/* A band's words as they read after a dash mid-sentence («Summen din: 11 av 27 – moderate plager»): its first
 * letter in lower case where it begins a word (not an abbreviation such as «PTSD»). Into buf; returns buf. */
const char *quest_band_in_sentence(const char *band, char *buf, size_t cap);
/* scores.c */
void scores_load(app *a);
bool scores_any(void);
/* staff.c: the kiosk's staff PIN pad (kiosk.c opens it from the held corner) */
void staff_open(app *a);
/* lock.c (screen): the next lock opens on the PIN pad again (the reset code did its work) */
void lock_screen_forget(void);
/* pin.c: choosing the PIN (lock.h) */
typedef enum { PIN_FIRST, PIN_CHANGE, PIN_RECOVER } pin_mode;
void pin_open(app *a, pin_mode m);

#endif
