/* chrome.h — what every screen shares around its own content: the top bar (Back, the title, the reading aids,
 * read-aloud and «Hjelp nå» on every screen), the demonstration and storage banners, the scrolling list a
 * screen's content sits in, the toast, and the sync line home and enrolment show. Drawn with the widgets
 * (ui/widgets.h); sizes in dp. */
#ifndef MS_CHROME_H
#define MS_CHROME_H

#include "app.h"

/* The width the bar leaves its title (px), in bold interface text: a screen can tell whether a title fits whole. */
int chrome_topbar_title_room(app *a, bool back, bool aids);
/* Where the bar's title goes (px), and the bar with in_title drawing something else there, in the title's place in
 * the bar's order (the reader's read-aloud controls on a phone on its side). */
void chrome_topbar_title_box(app *a, bool back, bool aids, int *x, int *y, int *w, int *h);
int chrome_topbar_with(app *a, const char *title, void (*in_title)(app *a, int x, int y, int w, int h), bool back,
                       bool aids);
/* whether the bar has room to show a title at all (shortened with «…» if need be; a tap shows it whole) */
bool chrome_topbar_shows_title(app *a, bool back, bool aids);
/* The top bar; returns its bottom (below any banner and the message line: app_show_toast's and app_show_error's,
 * so a message moves the content down and covers none of it). When labels do not fit, Back shrinks to "‹", the
 * title goes and the help label wraps; help is never dropped. */
int chrome_topbar(app *a, const char *title, bool back, bool aids);
/* The same, on a screen whose content scrolls under it: where the bar has no room for the title (a phone), it goes
 * on a line of the bar's colour under it, so the screen is always named (chrome_list_screen uses it) */
int chrome_topbar_named(app *a, const char *title, bool back, bool aids);
/* «Les høyt» (ACT_SPEAK) at x, y: the bar's (in_bar), or a screen's own button in its content */
void chrome_speak_button(app *a, int x, int y, int w, int h, bool in_bar);
/* A player's skip symbol in x, y, w, h: a triangle towards the next (dir 1) or the last (-1) with a bar at its end
 * (read-aloud's «Hopp fram», «Hopp tilbake»). */
void chrome_skip_icon(app *a, int x, int y, int w, int h, int dir, uint32_t ink);
void chrome_show_title(app *a); /* the title the bar last shortened, said whole in the message line (a tap on it) */
bool chrome_title_shown(void);  /* the bar just drawn showed its title: whole, on its line, or a tap from whole */
bool chrome_title_on_line(void); /* ... on the line of the bar's colour under it (a phone's list screen) */
/* The line under the bar has just said text: a list screen then leaves out its own first heading that says the same
 * (a phone: the name twice cost a 320 dp phone a fifth of its height; `check-title` fails on it) */
bool chrome_line_says(const char *text);
bool chrome_short_window(const app *a); /* a phone on its side: the bars lose their padding (MS_SHORT_WINDOW_DP) */
/* The demonstration's one-line form, when the demonstration banner is due (not a store's warning, which keeps
 * its place under the top bar), else NULL: for a bar that holds it instead (a->demo_line_below). */
const char *chrome_demo_line(app *a);
int chrome_topbar_height(app *a, bool back, bool aids); /* the same bar, measured, not drawn */
/* ... without the message line that comes and goes under it: the bar and the banner */
int chrome_topbar_lasting_height(app *a, bool back, bool aids);
/* After the screen's frame: the message line painted again where chrome_topbar put it, over anything a screen
 * short of room drew there (an error is never hidden); not described twice. */
void chrome_toast(app *a);
/* An error's line (one line, shortened, the whole a tap away, its «Lukk» beside it) drawn in a screen's own row at
 * x, y, w px wide and h tall, where the screen asked for it with a->toast_row (the bar then left it no room). */
void chrome_toast_row(app *a, int x, int y, int w, int h);
/* A list screen: the top bar, the text column centred (x, colw), the list clipped below the bar (top); returns
 * the first y, scrolled by a->scroll_list. chrome_end_list(y) ends it; the frame's description then says how tall
 * the list was (view_scroll_area), and app_draw works out how far it scrolls. */
int chrome_column(app *a); /* a list screen's text column, px */
/* A heading over a list screen's own running text (home's description, a module's line under its title, the
 * messages' introduction, an exercise's instructions), which is at the patient's reading size (pages_read_px, to
 * 400 %) while the bars and buttons keep the interface's (capped at 200 %): bold, at dp of the interface (DP_H1:
 * level 1, else 2) but never smaller than that text. Drawn when draw, else only measured; returns its height. */
int chrome_heading(app *a, const char *text, double dp, int x, int y, int w, bool draw);
int chrome_list_screen(app *a, const char *title, bool back, int *top, int *x, int *colw);
/* The height chrome_list_screen's bars take (a phone's title line under the bar included), measured, not drawn */
int chrome_list_bar_height(app *a, const char *title, bool back);
int chrome_begin_list(app *a, int top);
void chrome_end_list(app *a, int y);
/* "2 av 5 sider lest" */
const char *chrome_progress_text(app *a, int seen, int total, char *buf, size_t cap);
/* The sync line: when the programme was last brought up to date (or what went wrong), and «Oppdater nå»;
 * and content on its way. Each returns the height it used. */
int chrome_sync_status(app *a, int x, int y, int colw);
int chrome_download(app *a, int x, int y, int colw);
/* A number pad under the field with what is typed on it, in the column (x, colw): 1–9, then erase, 0 and the
 * primary key, big buttons that each do `act` with the digit as the argument, or CHROME_KEY_ERASE / CHROME_KEY_OK.
 * The field shows the typed digits big, in a framed box (text of font_dp): a PIN as dots (code_len 0; describe
 * says "label: N", how many digits, never which), or a code of code_len digits grouped 4 + 4 with a place for each
 * one still to come (describe: "label: digits", "-" when none); field_gap px between it and the keys. On a window
 * on its side too low for both in sight (a phone; a tablet at 400 %) the pad goes beside its field, across the
 * window, its labels as large as lets it fit the view between the bars (issue 13). Returns its height. The lock's PIN and the clinic's code, the new PIN, the enrolment code and
 * the staff's PIN are typed on it. */
enum { CHROME_KEY_ERASE = 10, CHROME_KEY_OK = 11 };
typedef struct {
    const char *typed;
    int code_len;
    const char *label;
    int font_dp;
    int field_gap;
    app_action act;
    const char *erase, *ok;
    int max_digits; /* a PIN's most digits, for the field's width (0: MS_PIN_MAX_DIGITS; the kiosk staff's 12) */
} chrome_pad;
int chrome_pin_pad(app *a, int x, int y, int colw, const chrome_pad *p);
/* After a frame: a pad screen just opened, or a digit typed on a keyboard, scrolled to show the pad and its field
 * (the field) where they were out of sight. True when it scrolled: the frame is drawn again. */
bool chrome_pad_reveal(app *a);
/* The field alone, in the column (the PIN screen while it saves: no pad). Returns its height. */
int chrome_pad_field(app *a, int x, int y, int colw, const char *typed, int code_len, const char *label, int font_dp);
/* A hardware key as a tap on that pad (digits, the number pad, Backspace, Enter); false: not a pad key. */
bool chrome_keypad_key(app *a, SDL_Keycode k, app_action act);
/* A pad screen's keys (enrolment, lock, PIN): the pad's, F1 for «Hjelp nå»; the keys that scroll a pad taller than
 * the screen (arrows, Page Up/Down, Home, End) go on to the list (false); every other key is taken, so nothing
 * leaves the screen by a key. */
bool chrome_pad_screen_key(app *a, SDL_Keycode k, app_action act);

#endif
