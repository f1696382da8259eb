/* app.h — the client's shared state: the programme, the store, the reading settings, the window, the place in
 * the programme (module, page, where in the page) and the navigation stack; and the calls screens make on it.
 *
 * Each screen lives in its own file under screens/ (screens.h) and keeps its own state there; what is here is
 * what more than one screen or service reads. app.c starts the client, runs the loop and dispatches; nav.c owns
 * the stack, Back and the saved place; input.c turns SDL events into gestures; pages.c lays out pages;
 * readaloud.c reads them aloud; chrome.c draws what every screen shares (the top bar, lists, the toast).
 * Internal to the client (src/app): main.c parses options, script.c drives the same loop headless. */
#ifndef MS_APP_H
#define MS_APP_H

#include <SDL2/SDL.h>
#include <stdbool.h>

#include "meistring/config.h"
#include "meistring/doc.h"
#include "meistring/hyphen.h"
#include "meistring/i18n.h"
#include "meistring/paths.h"
#include "meistring/settings.h"
#include "meistring/store.h"

#include "syncer.h"
#include "ui/pagelayout.h"
#include "ui/render.h"
#include "ui/theme.h"
#include "ui/view.h"
#include "ui/widgets.h"

/* The screens, in registration order (screens.c: one line each). */
typedef enum {
    SCREEN_HOME,
    SCREEN_MODULE,
    SCREEN_PAGE,     /* the reader */
    SCREEN_HELP,     /* «Hjelp nå» */
    SCREEN_AIDS,     /* «Lesehjelp»: the reading aids */
    SCREEN_ENROL,    /* the clinic's code */
    SCREEN_MESSAGES, /* the thread with the therapist */
    SCREEN_WRITE,    /* the editor: one text field and the on-screen keyboard */
    SCREEN_EXERCISE, /* one exercise of the page, filled in */
    SCREEN_QUEST,    /* a questionnaire, one item to a screen */
    SCREEN_SCORES,   /* the patient's own scores over the weeks */
    SCREEN_ATTRACT,  /* the kiosk's welcome, shown while nobody uses it */
    SCREEN_STAFF,    /* staff: the kiosk's exit, a tablet's return; behind a PIN pad */
    SCREEN_LOCK,     /* the loaned tablet's lock screen (lock.c) */
    SCREEN_PIN,      /* choosing or changing the patient's PIN */
    SCREEN_COUNT
} app_screen;

/* What a tap on an element does: the element's action and its argument (view.h). Actions the app handles
 * itself come first; the rest belong to one screen each, which says so in its action handler. */
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
    ACT_KEY,   /* arg: index of an on-screen key */
    ACT_SEND,  /* send the message being written */
    ACT_UNDO,
    ACT_RESEND,   /* arg: index into the thread, a message the server refused */
    ACT_EXERCISE, /* arg: the exercise block's index in the current page */
    ACT_EX_VALUE, /* arg: field << 12 | choice: a scale step (from min) or an option index */
    ACT_EX_TEXT,  /* arg: field: write its text in the editor */
    ACT_EX_DONE,
    ACT_EX_CELL,     /* arg: a cell (screens/exercise.c, cell_arg): write the cell in the editor */
    ACT_EX_CELL_NUM, /* arg: a cell and a number button's step */
    ACT_EX_TODAY,    /* arg: a cell: today's date into a date cell */
    ACT_EX_ADD_ROW,  /* arg: field */
    ACT_QUEST,       /* arg: the questionnaire block's index in the current page */
    ACT_Q_OPTION,    /* arg: the option's index for the current item */
    ACT_Q_PREV,
    ACT_Q_NEXT,
    ACT_Q_SUBMIT,
    ACT_SCORES,       /* open «Mine resultater» */
    ACT_SPEAK_SCORES, /* read the scores aloud, or stop */
    ACT_ATTRACT,      /* arg: screens/attract.c's choices: come in, larger text, read aloud */
    ACT_STAFF,        /* arg: screens/staff.c's keys and choices */
    ACT_PIN,          /* arg: screens/lock.c's and screens/pin.c's keys and choices */
    ACT_LOCK,         /* lock the tablet now (home) */
    ACT_CHANGE_PIN,   /* open the PIN screen to change the PIN (home) */
    ACT_SCAN,         /* arg: switch scanning's ms per control, 0 = off (aids) */
    ACT_HEAR_TAP,     /* arg: 1 = «Les opp det jeg trykker på» on, 0 = off (aids) */
    ACT_WRITE_TITLE,  /* the editor's title, cut to its lines over the field: show it whole, or cut again */
    ACT_KB_TOGGLE,    /* the editor's keyboard: put it away, or bring it back */
    ACT_SHOW_TITLE,   /* the top bar's title, shortened with «…»: say it whole in the message line (chrome) */
    ACT_TERM_CLOSE,   /* put away a glossary term's explanation (reader) */
    ACT_TERM_OPEN,    /* arg: the page's glossary term (pl_term_get) to explain, from the keyboard or a switch */
    ACT_TERM_MORE,    /* an explanation taller than its box: its next lines (arg 1) or those before (arg -1) */
    ACT_TOAST_CLOSE,  /* put the message under the top bar away (an error's «Lukk») */
    ACT_DEMO_ABOUT,   /* the demonstration's short line: say it whole (demo.banner) in the message line */
    ACT_TOAST_WHOLE,  /* a confirmation shortened to one line (MS_TOAST_MAX_PCT): show it whole (chrome) */
    ACT_SPEAK_NEXT,   /* read-aloud: on to the next element (a page's next text, a screen's next element) */
    ACT_SPEAK_PREV,   /* read-aloud: back to the element before the one being said */
} app_action;

typedef struct {
    const char *content_dir; /* NULL: the bundled demo */
    const char *data_dir;    /* NULL: $XDG_DATA_HOME/meistring or ~/.local/share/meistring (paths.h) */
    const char *key_file;    /* the device key (vault.h); NULL: device.key in the data dir */
    const char *assets_dir;  /* NULL: the source tree's assets/ and fonts/ */
    const char *lang;        /* "nb" (default), "nn", "en" */
    int win_w, win_h;        /* 0: fullscreen */
    bool headless;
    const char *script;
    double scale; /* px per dp; 0: derived from the screen */
    bool verbose, stats;
    bool kiosk;         /* everything in memory: nothing a visitor writes reaches the disk */
    const struct kcfg *kiosk_cfg; /* the kiosk's configuration (kiosk_config.h) when kiosk; the caller's */
    const char *server; /* the clinic's sync server; NULL: the one stored at enrolment, if any */
    const char *pin;    /* its public-key pin ("sha256//…"), or NULL */
    const char *ca;     /* a CA bundle to trust instead of the system's, or NULL */
    Uint64 t_start;     /* SDL_GetPerformanceCounter() at the top of main: launch figures start here */
    bool a11y;          /* the screen-reader bridge (a11y.h): loaded only when this is set */
    const char *a11y_module; /* its file, or NULL: beside the program, then installed */
} app_options;

typedef struct app {
    app_options opt;
    char assets[512], fonts[512], content[512];
    char hyph_dir[512]; /* the hyphenation patterns, converted to UTF-8 at build time */
    ms_paths paths; /* where the data, database, key and synced content are (paths.h) */
    char server[512]; /* the clinic's server ("" when none): the command line's, or the one kept at enrolment */
    SDL_Window *win;
    SDL_Renderer *sdl;
    ren *rn;
    const theme *th;
    ui_ctx ui; /* the widgets' context, kept in step by app_ui() */
    doc_programme *prog;
    /* the synced programme's files as loaded (app.c): [0] programme.json, [1 + m] module m's file; n 0 when unknown.
     * A sync that only opened modules is applied in place by comparing them (app_reload_programme) */
    struct app_file_id {
        unsigned long long dev, ino, size;
        long long mtime_ns;
    } *file_ids;
    size_t n_file_ids;
    i18n *tr;
    store *st;

    int w, h;  /* window, px */
    double dp; /* px per dp */

    /* navigation (nav.c): the screen on top, and the screens under it that Back returns to */
    app_screen screen; /* == stack[depth - 1] */
    app_screen stack[MS_NAV_DEPTH];
    int depth;

    settings set;                               /* the reading settings in force */
    hyph *hyph;                                 /* hyphenation patterns for the content's language, or NULL */
    int module, page;                           /* indices into prog */
    int scroll_page, scroll_list;               /* px: the reader, and the list screens */
    int pending_block, pending_permille;        /* restore this anchor once the page is laid out (-1: none) */
    int kept_block, kept_permille, kept_scroll; /* the anchor last restored, and the scroll it gave: reused
                                                   while the patient has not scrolled, so turning the tablet
                                                   back and forth never drifts by rounding */
    pagelayout *layouts[MS_LAYOUT_CACHE_PAGES]; /* pages.c */
    unsigned layout_age[MS_LAYOUT_CACHE_PAGES], layout_clock;
    pagelayout *layout_part; /* pages.c: the part of a page its first frame was drawn from, until the next event */
    Uint32 part_event;       /* pushed after that first frame: the rest of the page is laid out on it */
    bool part_posted;        /* that event is queued */
    bool open_part;          /* a page just opened at its top (reader_open_page): its first frame from a part too */

    bool *visited; /* flat: visited[page_base[m] + p] */
    int *page_base;

    view view;
    bool dirty, quit;
    bool memory_only; /* the store on disk could not be opened: nothing will be remembered */

    /* sync with the clinic (when a server is known) */
    syncer *sync;
    Uint32 sync_event;
    syncer_status sync_status;
    bool enrolling;

    /* the last frame's scrolling area (px): the reader's page between its bars, or a list below the top bar */
    int content_top, content_bottom;
    /* while a screen lays out or draws its bars: the interface size (per cent) they keep to, so large text
     * leaves the page its room (the reader's MS_READER_BAR_PCT_MAX); 0: the patient's own */
    int bars_pct;
    /* while the reader lays out or draws its bars on a phone on its side: the demonstration's line is in its bottom
     * bar, beside where you are, so the top bar leaves it out (chrome_demo_line) */
    bool demo_line_below;
    /* while the editor lays out or draws its top bar, compact: its slim line says the store's alert (nothing can
     * be stored: write.memory_only), so the banner leaves the field its room (audit of issue 13, 14) */
    bool alert_line_below;
    /* while a screen lays out or draws its top bar: back is its arrow alone («‹», named in full), so the title has
     * the room, and the bar loses its padding as on a phone on its side (the editor on a phone at large text: its
     * title is in the bar, a tap shows it whole) */
    bool bar_compact;
    /* while the editor lays out or draws its top bar: a message taller than MS_TOAST_MAX_PCT of the window, an error
     * too, is one line (with its «Lukk»), its whole text a tap away, so it never takes the field's lines (an error
     * at 400 % on a phone covered the patient's words: the audit of issue 13) */
    bool toast_line;
    /* while the editor lays out or draws its top bar: an error's line is in the editor's row of actions
     * (chrome_toast_row), not under the bar, which then leaves it no room (a phone at 400 % kept two lines of the
     * field under it, a phone on its side 37 px keys) */
    bool toast_row;
    /* the height of one screen of paged reading as the reader last worked it out (reader_update: this window, these
     * settings, this page's bars, read-aloud's bar when it plays; not the message line, which comes and goes
     * without a new layout), 0 until then: a heading or a page's button is set no taller (pages.c), so it is never
     * cut over a screen turn */
    int page_room;
    int max_scroll;                          /* how far the screen on top scrolls, px */
    int *line_tops, *line_heights, n_lines;  /* the page's lines, for the focus ruler (pages.c) */
    const pagelayout *lines_for;
    unsigned layouts_gen; /* pages.c: bumped whenever a laid-out page is freed, so no one trusts a stale pointer */

    /* the message line under the top bar (chrome.c, which pushes the screen's content down for it, so it covers
     * nothing): a confirmation fades at toast_until (app_ticks); an error (toast_error: its i18n key) stays until
     * the patient closes it or its cause is fixed (app_clear_error) */
    char toast[1024];
    Uint32 toast_until;
    char toast_error[48];
    int toast_on;      /* the screen a confirmation was first drawn over (-1 until then): it is about that screen */
    bool toast_whole;  /* the patient asked for this message (a tap on a shortened title or line): all its lines */
    Uint32 clock_skew; /* ms app_ticks runs ahead of SDL_GetTicks: the harness's `advance` moves time on */

    /* figures (--stats, bench/) */
    Uint64 t_start;
    bool first_frame_done;
    double first_frame_ms;
    long long first_frame_mono_ns; /* CLOCK_MONOTONIC at the first frame: bench_launch counts from exec */
    unsigned long words_laid_out;  /* pages.c: words of every page layout built, parts too */
    unsigned long first_frame_words; /* of those, laid out before the first frame was presented */
    unsigned long page_parts;        /* pages.c: first frames of a page drawn from a part of it (a start, an open) */
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
    unsigned programme_loads;   /* whole programmes loaded (start, a new programme from the clinic) */
    unsigned modules_opened;    /* modules the clinic opened, loaded on their own into the programme in use */
    Uint64 turn_t0;
    /* each screen's presented frames: its openings (the action that opened it → its first frame presented) and
     * every other frame (a scroll, a redraw); bench/run's messages block reads them */
    struct screen_figures {
        unsigned opens, frames;
        double open_ms_total, open_ms_max, frame_ms_total, frame_ms_max;
    } screen_fig[SCREEN_COUNT];
    app_screen fig_screen; /* the screen of the last frame presented */
    Uint64 act_t0;         /* when the last action began */
} app;

/* app.c */
bool app_init(app *a, const app_options *opt);
void app_deinit(app *a);
int app_run(app *a); /* the interactive loop; returns the exit status */
/* One pass of the loop without waiting: timers, then a frame if anything changed. The interactive loop and the
 * headless harness both call it. */
void app_step(app *a);
int app_next_deadline_ms(app *a); /* ms until a timer is due (read-aloud, a key repeat, a toast); -1: none */
void app_handle_event(app *a, const SDL_Event *e);
void app_do(app *a, app_action act, int arg);
void app_draw(app *a, bool present);
void app_reload_programme(app *a);
/* Everything one person did, forgotten (the kiosk's reset, the wipe of a returned tablet): read-aloud, text
 * input, every screen's own state (close hooks), the gesture, the store (closed; fresh takes its place), the
 * reading settings, laid-out pages and the text cache, visited pages, the place, toasts, the clipboard. The
 * caller then chooses the screen. False: out of memory. */
bool app_forget_person(app *a, store *fresh);
void app_start_sync(app *a); /* the sync thread, when a server is known and the store is open; no-op otherwise */
void app_show_demo(app *a);  /* the bundled demonstration (or --content) as the programme: after a wipe */
/* A clinic's tablet: a server is named (syncing now or not). False: the demonstration, which has no clinic to
 * wait for and opens a questionnaire's module itself. */
static inline bool app_has_clinic(const app *a) { return a->server[0] != '\0'; }

const char *app_tr(const app *a, const char *key);
int app_px(const app *a, double dp); /* dp → px, rounded */
double app_now_ms(const app *a);
Uint32 app_ticks(const app *a); /* SDL_GetTicks, moved on by the harness's `advance`: the kiosk's idle clock */
ui_ctx *app_ui(app *a); /* the widgets' context, in step with the window, theme and text size */
/* A confirmation under the top bar; it fades after ms. An error shown stays: a confirmation does not replace it. */
void app_show_toast(app *a, const char *text, Uint32 ms);
/* The last frame's content between the bars (px): a list's scrolling area, the reader's page, or under the top bar of
 * a screen with neither (the editor): what the keyboard's focus and a screen's reading count as the screen's own */
void app_content_area(const app *a, int *top, int *bottom);
/* An error, in the words of the i18n key: it stays until the patient closes it (its button, Escape) or its cause is
 * fixed (app_clear_error with the same key: typing again, a later save or send that worked). Nothing timed. */
void app_show_error(app *a, const char *key);
void app_clear_error(app *a, const char *key); /* the error key, if it is the one shown, goes; anything else stays */
void app_dismiss_toast(app *a);                /* whatever is shown goes (a tap, «Lukk», Escape, the lock) */
bool app_error_shown(const app *a);
/* The keyboard's and the switch's focus to the control that does action with arg (saying text) on this screen, once
 * it is drawn (keynav.c): an explanation opened from the keyboard puts it on its close button. */
void app_focus(app *a, int action, int arg, const char *text);
void app_log(const char *fmt, ...) __attribute__((format(printf, 1, 2))); /* never content or patient words */

/* nav.c: the screens' stack. Opening pushes, Back pops; the place (the screen to come back to after a
 * restart, the module, the page and the anchor in it) is saved whenever it settles. */
const char *app_screen_name(app_screen s);
void nav_push(app *a, app_screen s);
void nav_pop(app *a);                /* Back to the screen under this one (home stays) */
void nav_replace(app *a, app_screen s); /* this screen gives way to s */
void nav_reset(app *a, app_screen root); /* s alone, as after «Hjem» or new content */
bool nav_pop_to(app *a, app_screen s); /* down to s if it is on the stack; false: it is not */
app_screen nav_below(const app *a);  /* the screen Back returns to */
app_screen nav_place(const app *a);  /* the screen the saved place names */
void app_save_place(app *a);
void nav_restore_place(app *a);
bool nav_load_visited(app *a);
int nav_visited_count(const app *a, int module);

#endif
