/* widgets.h — the client's building blocks, drawn and described in one call: wrapped text, headings, buttons
 * that grow when their label wraps, a progress bar, a tick, the speaker and play symbols; and the metrics they
 * share, named once: the type scale, the bars, the touch target.
 *
 * Immediate mode: a widget draws through the renderer and adds its element to the frame's view (role, text,
 * bounds, action) in the same call, so what is drawn and what is described cannot drift apart. Sizes are
 * given in dp (ui_px turns them into pixels); interface text grows with the patient's text size up to the
 * cap ui_font applies, reading text is the reader's own (pagelayout.h).
 *
 * Ownership: a ui_ctx borrows its renderer, theme and view; it owns only its scratch paragraph
 * (ui_ctx_init / ui_ctx_deinit). Its size fields are the caller's to keep current (ui_ctx_frame). */
#ifndef MS_UI_WIDGETS_H
#define MS_UI_WIDGETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "meistring/layout.h"
#include "render.h"
#include "theme.h"
#include "view.h"

/* The type scale, dp. Body text at 20 dp is ~3 mm tall on a 10" tablet: comfortable for long reading. */
#define DP_BODY  20
#define DP_H1    29
#define DP_H2    24
#define DP_H3    21
#define DP_SMALL 17
/* Bars and targets, dp. Every touch target is at least DP_TARGET (WCAG 2.5.5 asks 44 CSS px; Android 48 dp). */
#define DP_BAR    64 /* the top bar, at least */
#define DP_BANNER 34 /* the demonstration banner, at least */
#define DP_BOTTOM 76 /* the reader's bottom bar, at least */
#define DP_TARGET 48
#define DP_SCALE_GAP_MIN 3 /* the least room between a scale's steps side by side: drawn apart, tapped apart */
/* The least margin a table's card keeps to the screen's edge when it widens into the column's margins to hold a
 * scale's six 48 dp steps a row (a 320 dp phone: the card 8 dp from the edge, its steps under the column's text). */
#define DP_SCALE_EDGE_MIN 8
/* Standard heights of buttons, dp (a label that wraps makes a button taller): */
#define DP_BUTTON_SMALL 52 /* beside a field: undo, send, «Skriv svaret», a table's cell */
#define DP_BUTTON       56 /* a row of a list, a choice, the reader's bars */
#define DP_BUTTON_MAIN  60 /* the screen's main action: «Start modulen», «Ferdig», «Send inn» */
#define DP_BUTTON_BIG   64 /* the end of a page, a questionnaire's answers, the enrolment keypad */

typedef enum { BTN_PRIMARY, BTN_SECONDARY, BTN_HELP, BTN_BAR } btn_kind;

typedef struct ui_ctx {
    ren *rn;                  /* borrowed */
    const theme *th;          /* borrowed */
    view *view;               /* borrowed: the frame's description */
    layout_para scratch;      /* owned: wrapping UI text */
    int w, h;                 /* the window, px */
    double dp;                /* px per dp */
    int chrome_pct;           /* the interface text size the patient chose (settings_chrome_pct), before the cap */
    const hyph *hyph;         /* borrowed: the content language's patterns for wrapped text (labels never), or NULL */
    layout_word_stats *tally; /* when set, every text laid out adds its figures here (tests: issue 13) */
} ui_ctx;

void ui_ctx_init(ui_ctx *u);
void ui_ctx_deinit(ui_ctx *u);
/* Keeps the context in step with the window, the theme and the settings; cheap, call before any use. */
void ui_ctx_frame(ui_ctx *u, ren *rn, const theme *th, view *v, int w, int h, double dp, int chrome_pct);

int ui_px(const ui_ctx *u, double dp); /* dp → px, rounded */
int ui_margin(const ui_ctx *u);        /* the side margin: 16 dp on a phone, 24 on a tablet */
/* Interface text size in px for dp: scaled by the patient's text size, capped from 125 % on a 320 dp phone to
 * 200 % from 600 dp, so bars keep their room. */
int ui_font(const ui_ctx *u, double dp);
/* The text column for text of px: the window less margins, capped near MS_LAYOUT_MAX_COLUMN_CHARS characters. */
int ui_column_width(ui_ctx *u, int px);

/* Wrapped text at (x, y) within w; adds one element of role (a view_role) when role >= 0. Returns its height. */
int ui_text(ui_ctx *u, const char *text, ren_face face, int px, uint32_t rgba, int x, int y, int w, int role);
int ui_text_height(ui_ctx *u, const char *text, ren_face face, int px, int w); /* without drawing */
/* A heading in bold heading ink at dp (DP_H1 … DP_H3, at the interface size), announced as a heading. */
int ui_heading(ui_ctx *u, const char *text, double dp, int x, int y, int w);

/* Height a button of width w needs for label: at least min_h, more when the label must wrap. */
int ui_button_height(ui_ctx *u, const char *label, int w, int min_h);
/* Whether label fits a button w px wide, wrapped between words and shrunk within its cap (MS_LAYOUT_SHRINK_MIN_PCT):
 * false when a word of it is wider than the button even then, and the caller must show something shorter. */
bool ui_label_fits(ui_ctx *u, const char *label, int w);
/* A button: rounded box, label centred (wrapped if it must be; the returned height grows). `shown` is drawn,
 * `label` is what the element says (they differ for a compact symbol like "‹"); a tap triggers action(arg). */
int ui_button_ex(ui_ctx *u, int x, int y, int w, int h, const char *label, const char *shown, btn_kind kind, int action,
                 int arg);
int ui_button(ui_ctx *u, int x, int y, int w, int h, const char *label, btn_kind kind, int action, int arg);
/* ui_button_ex whose box is drawn inset px in from the left and right of the target it answers to (x, w): a row of
 * buttons whose 48 dp targets touch while their boxes stay apart (a scale's steps on a 320 dp phone). */
int ui_button_inset(ui_ctx *u, int x, int y, int w, int h, int inset, const char *label, const char *shown,
                    btn_kind kind, int action, int arg);

/* An answer to choose (a questionnaire's, an exercise's choice or checklist): a button in the primary colours with a
 * tick at its left when on, its words clear of the tick's room whether on or not (a label that wrapped ran under
 * the tick). Returns its height. */
int ui_choice(ui_ctx *u, int x, int y, int w, int h, const char *label, const char *shown, bool on, int action,
              int arg);
int ui_choice_height(ui_ctx *u, const char *shown, int w, int min_h); /* as ui_choice lays it out */

/* text cut to width with an ellipsis (never inside a UTF-8 sequence): text itself, or buf. */
const char *ui_elide(ui_ctx *u, const char *text, int style, int width, char *buf, size_t cap);
void ui_progress(ui_ctx *u, int x, int y, int w, int h, int done, int total);
/* A tick, so a chosen option is told by its shape and not only its colour (WCAG 1.4.1); cy is its middle. */
void ui_check(ui_ctx *u, int x, int cy, int size, uint32_t ink);
/* A speaker with sound waves on a background of colour bg (the waves' inner halves are painted over in it), or two
 * pause bars; the bundled fonts have no such symbol. */
void ui_speaker_icon(ui_ctx *u, int x, int y, int w, int h, bool pause, uint32_t ink, uint32_t bg);
/* Pause bars, or a play triangle, on any background. */
void ui_play_icon(ui_ctx *u, int x, int y, int w, int h, bool pause, uint32_t ink);

#endif
