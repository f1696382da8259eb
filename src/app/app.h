/* app.h — the client's state and its state machine: which screen, which module and page, where in the page;
 * the event handling that moves between them; and persistence of the place through the store.
 * Internal to the client (src/app); screens.c draws, script.c drives it headless, main.c parses options. */
#ifndef MS_APP_H
#define MS_APP_H

#include <SDL2/SDL.h>
#include <stdbool.h>

#include "keyboard.h"
#include "meistring/config.h"
#include "meistring/doc.h"
#include "meistring/edit.h"
#include "meistring/hyphen.h"
#include "meistring/i18n.h"
#include "meistring/settings.h"
#include "meistring/store.h"
#include "ui/pagelayout.h"
#include "ui/render.h"
#include "ui/theme.h"
#include "speech.h"
#include "syncer.h"
#include "ui/view.h"

typedef enum {
    SCREEN_HOME,
    SCREEN_MODULE,
    SCREEN_PAGE,
    SCREEN_HELP,
    SCREEN_AIDS,
    SCREEN_ENROL,
    SCREEN_MESSAGES,
    SCREEN_WRITE,    /* the editor: one text field and the on-screen keyboard (writing.c) */
    SCREEN_EXERCISE, /* one exercise of the page, filled in (exercise.c) */
    SCREEN_QUEST,    /* a questionnaire, one item to a screen (questionnaire.c) */
    SCREEN_SCORES    /* the patient's own scores over the weeks */
} app_screen;

typedef enum {
    ACT_NONE = 0,
    ACT_BACK,
    ACT_HELP,
    ACT_HOME,
    ACT_OPEN_MODULE, /* arg: module index */
    ACT_LOCKED,      /* arg: module index */
    ACT_OPEN_PAGE,   /* arg: page index in the current module */
    ACT_RESUME,      /* continue the current module where the patient left it */
    ACT_PREV_PAGE,
    ACT_NEXT_PAGE,
    ACT_FINISH_MODULE,
    ACT_AIDS, /* open the reading-aids screen */
    ACT_TEXT_BIGGER,
    ACT_TEXT_SMALLER,
    ACT_THEME,        /* arg: index into THEMES */
    ACT_FONT,         /* arg: 0 sans, 1 serif, 2 OpenDyslexic */
    ACT_SPACING_LESS, /* arg: settings_spacing */
    ACT_SPACING_MORE,
    ACT_MODE,  /* arg: 0 paged, 1 scroll */
    ACT_SPEAK, /* start read-aloud from the screen's first text, or pause / resume */
    ACT_SPEAK_STOP,
    ACT_SPEAK_SLOWER,
    ACT_SPEAK_FASTER,
    ACT_FOCUS, /* arg: lines the ruler leaves clear, 0 = off */
    ACT_SYNC_NOW,
    ACT_MESSAGES,
    ACT_DIGIT, /* arg: 0–9; 10 = erase; 11 = connect */
    ACT_WRITE, /* open the editor on the message draft */
    ACT_KEY,   /* arg: index into a->kbd.keys */
    ACT_SEND,  /* send the message being written */
    ACT_UNDO,
    ACT_RESEND,   /* arg: index into a->msgs, a message the server refused */
    ACT_EXERCISE, /* arg: the exercise block's index in the current page */
    ACT_EX_VALUE, /* arg: field << 12 | choice: a scale step (from min) or an option index */
    ACT_EX_TEXT,  /* arg: field: write its text in the editor */
    ACT_EX_DONE,
    ACT_EX_CELL,     /* arg: field << 16 | row << 8 | column: write the cell in the editor */
    ACT_EX_CELL_NUM, /* arg: field << 20 | row << 12 | column << 8 | step (see screens.c number_steps) */
    ACT_EX_TODAY,    /* arg: as ACT_EX_CELL: today's date into a date cell */
    ACT_EX_ADD_ROW,  /* arg: field */
    ACT_QUEST,       /* arg: the questionnaire block's index in the current page */
    ACT_Q_OPTION,    /* arg: the option's index for the current item */
    ACT_Q_PREV,
    ACT_Q_NEXT,
    ACT_Q_SUBMIT,
    ACT_SCORES,       /* open «Mine resultater» */
    ACT_SPEAK_SCORES, /* read the scores aloud, or stop */
} app_action;

typedef struct {
    const char *content_dir; /* NULL: the bundled demo */
    const char *data_dir;    /* NULL: $XDG_DATA_HOME/meistring or ~/.local/share/meistring */
    const char *key_file;    /* the device key (vault.h); NULL: device.key in the data dir */
    const char *assets_dir;  /* NULL: the source tree's assets/ and fonts/ */
    const char *lang;        /* "nb" (default), "nn", "en" */
    int win_w, win_h;        /* 0: fullscreen */
    bool headless;
    const char *script;
    double scale; /* px per dp; 0: derived from the screen */
    bool verbose, stats;
    bool kiosk;         /* everything in memory: nothing a visitor writes reaches the disk */
    const char *server; /* the clinic's sync server; NULL: the one stored at enrolment, if any */
    const char *pin;    /* its public-key pin ("sha256//…"), or NULL */
    const char *ca;     /* a CA bundle to trust instead of the system's, or NULL */
    Uint64 t_start;     /* SDL_GetPerformanceCounter() at the top of main: launch figures start here */
} app_options;

typedef struct app {
    app_options opt;
    char assets[512], fonts[512], content[512], data[512], keyfile[600];
    SDL_Window *win;
    SDL_Renderer *sdl;
    ren *rn;
    const theme *th;
    doc_programme *prog;
    i18n *tr;
    store *st;

    int w, h;  /* window, px */
    double dp; /* px per dp */

    app_screen screen, help_return, aids_return;
    settings set;                               /* the reading settings in force */
    hyph *hyph;                                 /* hyphenation patterns for the content's language, or NULL */
    pagelayout *preview;                        /* the reading-aids preview's own layout */
    int module, page;                           /* indices into prog */
    int scroll_page, scroll_list;               /* px: the reader, and home / module lists */
    int pending_block, pending_permille;        /* restore this anchor once the page is laid out (-1: none) */
    int kept_block, kept_permille, kept_scroll; /* the anchor last restored, and the scroll it gave: reused
                                                   while the patient has not scrolled, so turning the tablet
                                                   back and forth never drifts by rounding */
    pagelayout *layouts[MS_LAYOUT_CACHE_PAGES];
    unsigned layout_age[MS_LAYOUT_CACHE_PAGES], layout_clock;

    bool *visited; /* flat: visited[module_page_base[m] + p] */
    int *page_base;

    view view;
    layout_para scratch; /* for wrapping UI text */
    bool dirty, quit;
    bool memory_only; /* the store on disk could not be opened: nothing will be remembered */

    /* read-aloud */
    speech *sp;               /* opened on first use */
    bool speaking, sp_paused; /* a read-aloud session is on (playing or paused) */
    int sp_module, sp_page;   /* the page being read */
    bool sp_restart;          /* the patient turned the page while reading: read on from the new screen */
    bool hl_valid;            /* the word being spoken, in unit hl_unit of the page */
    int hl_unit;
    uint32_t hl_start, hl_len;
    double sp_first_audio_ms; /* play → first audio, last session (bench) */

    /* sync with the clinic (when a server is known) */
    syncer *sync;
    Uint32 sync_event;
    syncer_status sync_status;
    char synced_dir[600]; /* data/content: the synced programme */
    char code[9];         /* enrolment code being typed */
    bool enrolling;
    /* the message thread, copied from the store when it changes */
    struct app_msg {
        char *body, *when, *state, *client_id;
        bool from_patient;
        long long server_id;
    } * msgs;
    int n_msgs, unread;
    char *msg_draft; /* the message draft, for the thread screen (NULL: none) */

    /* writing (writing.c): the editor's text, its keyboard, and where it saves */
    edit ed;
    kb kbd;
    char write_key[160];   /* the draft's key in the store: "message", or "answer/<block>/<field>" */
    char write_title[256]; /* the editor's title: «Melding til behandleren», or the field's question */
    app_screen write_return;
    bool write_saved;                       /* the last change reached the store */
    int write_scroll;                       /* px the field's text is scrolled up */
    int field_x, field_y, field_w, field_h; /* the field's text area, last frame */
    int field_line_h, field_style;
    int n_field_lines;
    struct field_line {
        int start, end; /* bytes of edit_text on this line */
        int x;          /* px where the line starts, relative to field_x */
    } * field_lines;
    int field_lines_cap;
    bool field_drag; /* a drag in the field selects */
    int bs_key;      /* the backspace key being held (index), -1: none */
    Uint32 bs_next;  /* when it repeats next */
    int bs_repeats;

    /* the exercise being filled in (exercise.c): its block, and its answers as a JSON object */
    int ex_block;
    struct cJSON *ex_fields;
    int ex_field, ex_row, ex_col; /* what the editor writes into: a text field (row -1) or a table's cell */

    /* the questionnaire being answered (questionnaire.c), and the patient's scores for the plot */
    int q_block, q_item; /* q_item == the item count: the summary */
    struct cJSON *q_answers;
    struct app_score {
        char instrument[32], band[96];
        int total, max;
        long long taken_at;
    } * scores;
    int n_scores;
    bool has_scores;
    app_screen scores_return;

    /* line focus: the ruler's line (page coordinates, -1: the first line in view) and where it was drawn */
    int focus_y;
    int focus_band_top, focus_band_bottom; /* screen coordinates, last frame; -1 when off */
    bool focus_drag;                       /* a drag that started on the ruler moves it */

    /* pinch-to-zoom: two fingers; every fifth more (or less) of their distance is one text-size step */
    SDL_FingerID finger_id[2];
    float finger_x[2], finger_y[2]; /* px */
    int fingers;
    bool pinching;
    float pinch_dist; /* distance at the last step */
    int *line_tops, *line_heights, n_lines;
    const pagelayout *lines_for;
    int content_top, content_bottom; /* reader viewport, px, from the last frame */
    int page_x, page_origin;         /* where page coordinate (0, 0) was drawn, before scrolling */

    /* paged reading: where each screen of the current page starts (page coordinates), from the last frame */
    int *screen_starts;
    int n_screens, screen_idx, screens_total;
    const pagelayout *screens_for;
    int screens_avail;
    bool to_last_screen; /* a page turned backwards opens on its last screen */
    Uint32 screen_since; /* when the current screen was first shown, for the reading pace */
    int shown_module, shown_page, shown_idx;
    int max_scroll;

    /* pointer gesture in progress */
    bool down, dragging;
    int down_x, down_y, last_x, last_y, scroll_at_down;
    Uint32 down_t;

    char toast[1024];
    Uint32 toast_until;

    /* figures */
    Uint64 t_start;
    bool first_frame_done;
    double first_frame_ms;
    unsigned frames;
    double draw_ms_total, draw_ms_max;
    bool turn_pending;
    bool key_pending; /* a keystroke handled, its frame not yet presented */
    Uint64 key_t0;
    unsigned keys;
    double key_ms_total, key_ms_max;   /* keystroke → frame presented */
    double save_ms_total, save_ms_max; /* the draft's save (one fsync'd transaction) */
    unsigned turns;
    double turn_ms_total, turn_ms_max;
    Uint64 turn_t0;
} app;

bool app_init(app *a, const app_options *opt);
void app_deinit(app *a);
int app_run(app *a); /* the interactive loop; returns the exit status */

void app_handle_event(app *a, const SDL_Event *e);
void app_do(app *a, app_action act, int arg);
void app_draw(app *a, bool present);
void app_save_place(app *a);
/* Sets one reading setting by name (text_pct, theme, font) as the reading-aids screen would; false when the
 * name or value is not valid (the setting then keeps its old value). */
bool app_set_setting(app *a, const char *name, const char *value);
bool app_get_setting(app *a, const char *name, char *buf, size_t cap); /* false: no such setting */

const char *app_screen_name(app_screen s);
const char *app_tr(const app *a, const char *key);
int app_px(const app *a, double dp); /* dp → px, rounded */
double app_now_ms(const app *a);

/* screens.c */
void screens_draw(app *a);
pagelayout *screens_page_layout(app *a);         /* the current page's layout (cached) */
void screens_invalidate(app *a);                 /* drop cached layouts (size or settings changed) */
int screens_lines(app *a, const pagelayout *pl); /* the page's lines (a->line_tops/heights), cached */

/* Read-aloud: keeps playback going, lights the spoken word and follows it across screens and pages. Call
 * every tick while a->speaking; true when the screen must be redrawn. */
bool app_tick(app *a);
void app_load_messages(app *a); /* refresh a->msgs and a->unread from the store */
void app_show_toast(app *a, const char *text, Uint32 ms);

/* exercise.c: an exercise's answers, saved on every change and queued for the server when the patient is done. */
void ex_open(app *a, int block);
void ex_value(app *a, int field, int choice); /* a scale step or an option tapped */
void ex_text(app *a, int field);              /* open the editor on a text field */
void ex_done(app *a);
void ex_close(app *a);
const doc_block *ex_current(const app *a);
/* The field's value: a string, a number (scale), or an array of strings (multiple choice, checklist). */
const char *ex_get_text(const app *a, int field);
int ex_get_scale(const app *a, int field, bool *set);
bool ex_is_chosen(const app *a, int field, const char *option);
/* Tables: rows shown (at least the content's `rows`), a cell's text, and the actions on cells. */
int ex_rows(const app *a, int field);
void ex_get_cell(const app *a, int field, int row, int col, char *buf, size_t cap);
void ex_cell(app *a, int field, int row, int col); /* open the editor on a cell */
void ex_cell_number(app *a, int field, int row, int col, int value);
void ex_cell_today(app *a, int field, int row, int col);
/* A number column offered as buttons: the values (all of 0–10, or 0–100 in tens); 0 when it is typed instead. */
int ex_number_steps(const doc_column *c, int *out, int cap);
void ex_cell_step(app *a, int arg); /* ACT_EX_CELL_NUM */
void ex_add_row(app *a, int field);
/* For the editor: the text it opens with and its title (the question, or «Situasjon, rad 2»); malloc'd. */
char *ex_target_text(const app *a, char *title, size_t cap);
/* The editor's text changed for the exercise (answer keys): saved into the answer; true when saved. */
bool ex_text_changed(app *a, const char *text);

/* questionnaire.c */
const doc_block *q_current(const app *a);
void q_open(app *a, int block);
void q_close(app *a);
void q_choose(app *a, int option); /* saves, then goes on to the next unanswered item or the summary */
void q_step(app *a, int delta);
void q_submit(app *a);
bool q_answer(const app *a, int item, int *score);
int q_first_unanswered(const app *a); /* -1: all answered */
int q_total(const app *a);
void app_load_scores(app *a);
void app_speak_texts(app *a, const char *const *texts, int n); /* read-aloud of texts that are not a page */
void screens_speak_scores(app *a); /* reads the scores screen's texts: the plot's summary, then each line */

/* writing.c: the editor. */
void write_open(app *a, const char *draft_key, app_screen back_to);
void write_close(app *a);
void write_key(app *a, int index);                     /* a tap on an on-screen key (acts on release) */
void write_key_down(app *a, int index);                /* a press starts on a key: backspace begins to repeat if held */
void write_text(app *a, const char *utf8);             /* SDL text input (a hardware keyboard, an IME) */
bool write_keydown(app *a, SDL_Keycode k, Uint16 mod); /* true when the editor used the key */
void write_send(app *a);
void write_undo(app *a);
void write_resend(app *a, int msg_index);
bool write_pointer_down(app *a, int x, int y); /* true when it was in the field (caret / selection start) */
void write_pointer_move(app *a, int x, int y);
bool write_pointer_up(app *a, int x, int y); /* true when the editor handled it */
bool write_tick(app *a);                     /* backspace repeat; true when the screen must be redrawn */
int write_next_timer_ms(const app *a);       /* ms until write_tick has work, -1: none */

/* script.c: runs a headless script; returns the exit status. */
int script_run(app *a, const char *path);

#endif
