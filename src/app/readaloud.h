/* readaloud.h — read-aloud: the page read from a text on, the spoken word lit and followed across screens and
 * pages, paused and resumed, faster and slower; every other screen read from its own description (the view that
 * `describe` writes: headings, texts, answers, buttons), the spoken element lit and the list scrolled on as it
 * reads; one element said on its own («Les opp det jeg trykker på»: a first tap, or the keyboard's focus
 * arriving); or texts that are not on screen (the scores). The voice is espeak-ng on its own thread (speech.h);
 * this keeps the app's side of it. */
#ifndef MS_READALOUD_H
#define MS_READALOUD_H

#include "app.h"
#include "speech.h"

/* What is being read; read-only outside readaloud.c. */
typedef struct {
    bool on, paused;       /* a session is on (playing or paused) */
    bool single;           /* the session says one element (a tap heard, the focus): not a reading, so the bars'
                            * read-aloud button still starts one and the reader shows no read-aloud bar for it */
    int module, page;      /* the page being read; -1: texts that are not a page */
    bool restart;          /* the patient turned the page while it played: read on from the new screen */
    bool word;             /* the word being spoken is known: unit, start and len in the page's texts */
    int unit;
    uint32_t start, len;
    double first_audio_ms; /* play → first audio, last session (bench) */
    char voice[16];        /* the voice espeak-ng last spoke with ("nb", "en"; "" before any) */
} readaloud_state;

const readaloud_state *readaloud_get(void);
/* A screen is being read from its description (readaloud_screen), not a page, not one element. */
bool readaloud_reads_screen(void);

bool readaloud_offered(const app *a); /* false on a kiosk configured without read-aloud: no button offers it */
bool readaloud_ready(app *a); /* the player, opened on first use; false (and a toast) when there is none */
void readaloud_from(app *a, int unit);              /* the current page, from its text `unit` */
void readaloud_texts(app *a, const char *const *texts, int n); /* texts that are not a page */
/* The open screen, not a page: its own elements in reading order from the screen's top (a scrolled list is taken
 * to its top first; the bars' buttons left out), the list scrolled on as it is read, the bottom bar's buttons last;
 * in the editor the patient's own words after the actions. */
void readaloud_screen(app *a);
/* The same from the list's content at `from` on (px: an element's y on screen plus the list's scroll), scrolled to
 * the list's top first: «Les opp resultatene» reads the results under it, each lit as it is said. */
void readaloud_screen_from(app *a, int from);
/* A digit key of a PIN pad (the lock's, the PIN screen's, the staff pad's): never said, on a tap or when the
 * keyboard's focus comes to it. A PIN said key by key is said to the room (issue 13). */
bool readaloud_secret_key(int action, int arg);
/* One element, said now (role named: «…, knapp»), lit while it is said. */
void readaloud_say(app *a, view_role role, const char *text);
/* «Les opp det jeg trykker på»: a tap on e (NULL: on no control, at x, y) when the setting is on. True: the tap
 * was heard, not done — the first tap on a control says it, the next tap on the same control does it. */
bool readaloud_tap(app *a, const view_elem *e, int x, int y);
/* True while a reading (not one element said) is on and action is one of its controls (Les høyt, Hopp fram, Hopp
 * tilbake, stop, slower, faster): those act at the first tap and are not said, which would end the reading. */
bool readaloud_control(int action); /* one of read-aloud's own controls: speak, skip, slower, faster, stop */
bool readaloud_keeps_reading(int action);
/* The element being said, in this frame, or false (its bounds and text for describe and the harness). */
bool readaloud_lit(const app *a, int *x, int *y, int *w, int *h, const char **text);
/* The text being spoken now as the voice was given it (phone numbers digit by digit: speech_said), for the
 * harness; false when nothing plays. */
bool readaloud_said(char *buf, size_t cap);
void readaloud_frame(app *a); /* after the frame: a frame around the element being said */
/* Where that frame is drawn (its outer edge) and how thick: round the element, kept off its neighbours and the
 * bars; false when nothing is lit. For the harness (`wait-spoken` fails on a frame over another element). */
bool readaloud_frame_box(const app *a, int *x, int *y, int *w, int *h, int *thick);
int readaloud_first_in_view(app *a);                /* the first text on the screen (paged) or at the top */
void readaloud_stop(app *a);
void readaloud_pause(app *a);  /* pause or resume the session that is on */
void readaloud_turned(app *a); /* the patient turned the page: a playing session reads on from there */
void readaloud_close(app *a);  /* the player closed, the session forgotten (the client stops, a kiosk resets) */
/* Keeps playback going, lights the spoken word and follows it. Call while a session is on; true: redraw. */
bool readaloud_tick(app *a);
bool readaloud_action(app *a, app_action act, int arg); /* stop, slower, faster, skip: from the read-aloud bar */
/* On to the next element being read (dir 1: a page's next text, a screen's next element, the next sentence of the
 * patient's words) or back to the one before (-1), speech going on from it; false when no reading is on. */
bool readaloud_skip(app *a, int dir);
/* The keys that skip while a reading is on: Alt+Right and Alt+Left, a keyboard's next and previous track keys. */
bool readaloud_key(app *a, SDL_Keycode k, Uint16 mod);
/* The part of the editor's field being said now (a sentence of the patient's words, bytes [start, start + len), the
 * word being said at *word): the editor shows it in the field rather than the caret's lines (a sentence longer than
 * the field, from the word being said). False when none is. */
bool readaloud_field_part(size_t *start, size_t *len, size_t *word);
/* The editor's text changed: a reading of the patient's words (sentences at the old text's offsets) stops. */
void readaloud_field_edited(app *a);

#endif
