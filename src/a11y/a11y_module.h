/* a11y_module.h — the interface between the client and its screen-reader bridge, meistring-a11y.so (a11y_atk.c):
 * what one frame shows, handed over as a copy, and the two things a screen reader asks back (do this, focus that).
 * Plain C on both sides: the client knows no GLib or ATK, the module no SDL or app (so neither is mapped unless
 * a screen reader is in use: issue 14). Prefix a11y_. */
#ifndef MS_A11Y_MODULE_H
#define MS_A11Y_MODULE_H

#include <stdbool.h>
#include <stddef.h>

/* Bumped whenever a struct below changes: a module of another version is refused, not misread. */
#define A11Y_ABI 5

/* The view's roles (ui/view.h view_role), in the same order: the client checks that at compile time. */
typedef enum { A11Y_HEADING, A11Y_TEXT, A11Y_BUTTON, A11Y_IMAGE, A11Y_FIELD, A11Y_CALLOUT, A11Y_STATUS } a11y_role;
/* An answer to choose (ui/view.h view_choice_kind, in the same order): one of a group, or one of a checklist. */
typedef enum { A11Y_CHOICE_NONE, A11Y_CHOICE_ONE, A11Y_CHOICE_MANY } a11y_choice;
/* An item of a list (view_list_mark, in the same order); A11Y_LIST_FIRST starts a new list. */
typedef enum { A11Y_LIST_NONE, A11Y_LIST_ITEM, A11Y_LIST_FIRST } a11y_list;
/* In a table's cell (view_table_mark, in the same order); A11Y_TABLE_FIRST starts a new table. */
typedef enum { A11Y_TABLE_NONE, A11Y_TABLE_CELL, A11Y_TABLE_FIRST } a11y_table;

typedef struct {
    a11y_role role;
    const char *text;
    int x, y, w, h; /* in the window, px */
    int action, arg; /* what a tap does (action 0: nothing): handed back as they are by a11y_host.activate */
    bool clipped;    /* only part of it is visible */
    int name_len;    /* the bytes of text that name it (a chosen answer's name without «– valgt»), -1: all */
    int level;       /* a heading's level, 1-6 (the view's outline: view_outline); 0: not known (the first heading is
                      * then 1, the others 2) */
    a11y_choice choice;
    bool chosen; /* a choice that is chosen (checked) */
    a11y_list list;
    a11y_table table;
    int row, col, table_cols; /* in a table: its cell (column 0: the row's header) and the table's columns */
    int caret, anchor; /* the editor's field: its caret and the selection's other end, in characters; -1: none */
    bool entry; /* a field the keys write into (the editor's, a keypad's code): an entry; another field is a form's
                 * question or a draft shown, words to read (a label) */
} a11y_elem;

/* One frame, as the screen reader is to see it. Every pointer is the caller's and lives only for the call:
 * publish copies what it keeps. */
typedef struct {
    const char *screen;  /* the screen's name ("home", "module", …): a new one is a new window content */
    const char *title;   /* the window's name: the screen's first heading, or the app's name */
    const char *lang;    /* the interface language: "nb", "nn" or "en" (WCAG 3.1.1) */
    const char *message; /* the message line under the top bar ("" when none): announced when it appears */
    int win_x, win_y, win_w, win_h; /* the window on the screen, px */
    const a11y_elem *e;
    size_t n;
    int focus; /* index into e of the keyboard's focus (the ring), -1: none shown */
    int bar_bottom; /* the top bar's bottom, under its banner and message line (px; 0: none): what is wholly above
                     * it is the bar's, which a screen reader's say all leaves out (view.bar_bottom) */
} a11y_snapshot;

/* A key pressed or released in the client's window, as X and GTK name it: what a screen reader listens to for its
 * key echo and its own commands (AT-SPI's key listeners). */
typedef struct {
    bool press;       /* false: released */
    unsigned keysym;  /* X keysym ("a" 0x61, Tab 0xff09, æ 0xe6) */
    unsigned keycode; /* X's hardware code (Linux's evdev code + 8): Orca matches its commands by it; 0 unknown */
    unsigned state;   /* modifiers: 1 Shift, 2 Caps Lock, 4 Control, 8 Alt (GDK's), 1 << 14 Num Lock (AT-SPI's, as Orca reads it) */
    const char *text; /* what it types, or its keysym's name ("Tab", "Return") as GTK gives it */
    unsigned time_ms; /* SDL's timestamp */
} a11y_keystroke;

/* What the module calls back, from its own thread: each must only post to the client's loop and return. */
typedef struct {
    void *ctx;
    void (*activate)(void *ctx, int action, int arg); /* «click»: what a tap on that element does */
    void (*focus)(void *ctx, int action, int arg);    /* grab_focus: the keyboard's focus to that element */
    /* The editor's field edited (AtkEditableText, a braille display's or dictation's text) or its caret moved: the
     * characters [start, end) deleted, then text (UTF-8, may be "") inserted at start; start == end and text "":
     * the caret to start. Done as typed keys in the client's loop. */
    void (*edit)(void *ctx, int start, int end, const char *text);
} a11y_host;

typedef struct {
    int abi;     /* A11Y_ABI */
    size_t size; /* sizeof (a11y_module_ops) */
    /* Starts the module's own thread, which starts the bridge and registers with the AT-SPI registry without
     * holding the caller. Returns "" or why no thread could start; what fails later (no accessibility bus) the
     * thread says on stderr, and frames are then dropped. host is copied. Once per process. */
    const char *(*start)(const a11y_host *host, const char *app_name);
    void (*publish)(const a11y_snapshot *f); /* a frame drawn: copied, then compared on the module's thread */
    /* Told to the key listeners on the module's thread; the caller waits up to wait_ms for their answer: true when
     * one consumed the key (a screen reader's command), false when none did or the time ran out. */
    bool (*key)(const a11y_keystroke *k, int wait_ms);
    void (*stop)(void);                   /* before exit: the thread ends, the app leaves the registry */
} a11y_module_ops;

/* The module's one exported symbol. */
const a11y_module_ops *meistring_a11y_v1(void);

#endif
