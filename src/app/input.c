/* input.c — see input.h. The gesture in progress is this file's own state. */
#include "input.h"

#include <stdlib.h>

#include "keynav.h"
#include "readaloud.h"
#include "screens.h"

/* the pointer: pressed where and when, and whether it has moved past the slop (a drag) */
static bool down, dragging;
static int down_x, down_y, scroll_at_down;
static Uint32 down_t;
/* pinch-to-zoom: two fingers; every fifth more (or less) of their distance is one text-size step */
static SDL_FingerID finger_id[2];
static float finger_x[2], finger_y[2]; /* px */
static int fingers;
static bool pinching;
static float pinch_dist; /* distance at the last step */

static const screen_ops *top(const app *a) { return screen_get(a->screen); }

void input_reset(void) {
    down = dragging = pinching = false;
    fingers = 0;
}


static void pointer_down(app *a, int x, int y, Uint32 t) {
    keynav_pointer(a); /* a finger or the mouse: the keyboard's ring goes */
    if (top(a)->press && top(a)->press(a, x, y)) return; /* the screen took it (the editor's field) */
    down = true;
    dragging = false;
    down_x = x;
    down_y = y;
    down_t = t;
    scroll_at_down = *screen_scroll(a);
}

static void pointer_move(app *a, int x, int y) {
    if (top(a)->move && top(a)->move(a, x, y)) return;
    if (!down) return;
    int slop = app_px(a, 10);
    if (!dragging && (abs(x - down_x) > slop || abs(y - down_y) > slop)) dragging = true;
    if (!dragging) return;
    int dy = y - down_y, dx = x - down_x;
    if (top(a)->drag && top(a)->drag(a, x, y, dx, dy)) return;
    /* vertical drags scroll; horizontal ones are judged as a swipe on release */
    if (abs(dy) >= abs(dx) / 2) {
        int *s = screen_scroll(a);
        int v = scroll_at_down - dy;
        if (v > a->max_scroll) v = a->max_scroll;
        if (v < 0) v = 0;
        if (v != *s) {
            *s = v;
            a->dirty = true;
        }
    }
}

static void pointer_up(app *a, int x, int y, Uint32 t) {
    if (top(a)->release && top(a)->release(a, x, y)) {
        down = dragging = false;
        return;
    }
    if (!down) return;
    down = false;
    if (dragging) {
        dragging = false;
        if (top(a)->drag_end) top(a)->drag_end(a, x - down_x, y - down_y, t - down_t, scroll_at_down);
        return;
    }
    if (keynav_scan_tap(a)) return; /* switch scanning: a tap anywhere selects the control the focus is on */
    const view_elem *e = view_hit(&a->view, x, y);
    if (readaloud_tap(a, e, x, y)) return; /* «Les opp det jeg trykker på»: the first tap is heard, not done */
    if (e) {
        app_do(a, (app_action)e->action, e->arg);
        return;
    }
    if (top(a)->tap && top(a)->tap(a, x, y)) return;
    /* a tap anywhere else puts a confirmation away; an error waits for «Lukk», Escape or its cause fixed, so a stray
     * touch while reading does not take it before it is read */
    if (!app_error_shown(a)) app_dismiss_toast(a);
}

/* How far PageDown (dir 1) or PageUp (-1) moves a list of view_h px: a view less an overlap of a tenth or a 48 dp
 * target, whichever is more, and never so far that an element cut by the view's edge goes by unseen. A control no
 * taller than the view that the edge cuts comes whole into view with its top at the view's top (its whole bounds
 * are in the focus order): so it shows whole even where the view's bottom moves as the list scrolls (the
 * questionnaire's «Flere svar nedenfor» band comes and goes). Text the far edge cuts going down starts the next
 * screen; going up, its lines end the screen. A step of three quarters of the window, longer than the view between
 * the bars, skipped answers (PHQ-9 at 640x360 and 400 %: 243 px in a view of 176, «Ikke i det hele tatt» never
 * shown whole; issue 13). */
static int page_step(app *a, int dir, int view_h) {
    int overlap = view_h / 10 > app_px(a, DP_TARGET) ? view_h / 10 : app_px(a, DP_TARGET);
    int step = view_h - overlap, least = view_h / 4, top = a->content_top, bottom = a->content_bottom;
    if (step < least) step = least;
    const view *v = &a->view;
    for (size_t i = 0; i < v->nf; i++) {
        const view_focus *f = &v->f[i];
        if (f->h > view_h || f->h <= 0) continue;
        int to = dir > 0 ? f->y - top : top - f->y;
        bool cut = dir > 0 ? f->y > top && f->y < bottom && f->y + f->h > bottom : f->y < top && f->y + f->h > top;
        if (cut && to > 0 && to < step) step = to;
    }
    for (size_t i = 0; i < v->n; i++) {
        const view_elem *e = &v->e[i];
        if (!e->clipped || e->h <= 0 || e->action) continue;
        /* the part that shows, cut at one edge: its cut end's reach is not known, so judged by the end that shows */
        int to = dir > 0 ? e->y - top : bottom - (e->y + e->h);
        bool cut = dir > 0 ? e->y > top + 1 && e->y + e->h >= bottom - 1 : e->y <= top + 1 && e->y + e->h < bottom - 1;
        if (cut && to >= least && to < step) step = to;
    }
    return dir * step;
}

/* The keys every screen shares, after the screen's own: arrows turn and scroll, Escape is Back, F1 is help,
 * + and - change the text size. */
static void key_down(app *a, SDL_Keycode k, Uint16 mod) {
    /* Escape first puts an error away (it stays until then); the next one is Back. Before the screen's keys: a pad
     * screen takes every key */
    if (k == SDLK_ESCAPE && app_error_shown(a)) {
        app_dismiss_toast(a);
        return;
    }
    if (readaloud_key(a, k, mod)) return; /* Alt+arrows skip while read-aloud reads: before the editor's caret */
    if (keynav_key(a, k, mod)) return; /* Tab, and once the focus ring is up, the arrows, Return and Space */
    if (top(a)->key && top(a)->key(a, k, mod)) return;
    /* the view the list scrolls in, between the bars (and a band under it): the last frame's, as laid out */
    int view_h = a->content_bottom - a->content_top;
    if (view_h <= 0) view_h = a->h * 3 / 4;
    switch (k) {
    case SDLK_LEFT: app_do(a, ACT_PREV_PAGE, 0); break;
    case SDLK_RIGHT: app_do(a, ACT_NEXT_PAGE, 0); break;
    case SDLK_UP: screen_scroll_by(a, -view_h / 8); break;
    case SDLK_DOWN: screen_scroll_by(a, view_h / 8); break;
    case SDLK_PAGEUP: screen_scroll_by(a, page_step(a, -1, view_h)); break;
    case SDLK_PAGEDOWN:
    case SDLK_SPACE: screen_scroll_by(a, page_step(a, 1, view_h)); break;
    /* to the ends however long the list: a thread of thousands at 400 % is over a million px tall */
    case SDLK_HOME: screen_scroll_by(a, -(1 << 30)); break;
    case SDLK_END: screen_scroll_by(a, 1 << 30); break;
    case SDLK_ESCAPE:
    case SDLK_AC_BACK:
    case SDLK_BACKSPACE: app_do(a, ACT_BACK, 0); break;
    case SDLK_F1: app_do(a, ACT_HELP, 0); break;
    case SDLK_PLUS:
    case SDLK_KP_PLUS:
    case SDLK_EQUALS: app_do(a, ACT_TEXT_BIGGER, 0); break;
    case SDLK_MINUS:
    case SDLK_KP_MINUS: app_do(a, ACT_TEXT_SMALLER, 0); break;
    default: return;
    }
    /* a scroll in the reader has settled: remember it (a turn saved the place already) */
    if (top(a)->scroll && k != SDLK_LEFT && k != SDLK_RIGHT) app_save_place(a);
}

static float finger_distance(void) {
    float dx = finger_x[0] - finger_x[1], dy = finger_y[0] - finger_y[1];
    return SDL_sqrtf(dx * dx + dy * dy);
}

/* Two-finger pinch in the reader: spreading the fingers makes the text bigger, one step for every 20 % of
 * distance, pinching makes it smaller; the place on the page is kept as for any size change. */
static void finger_event(app *a, const SDL_TouchFingerEvent *f) {
    float x = f->x * (float)a->w, y = f->y * (float)a->h;
    int slot = -1;
    for (int i = 0; i < fingers; i++)
        if (finger_id[i] == f->fingerId) slot = i;
    if (f->type == SDL_FINGERDOWN) {
        if (slot < 0 && fingers < 2) slot = fingers++;
        if (slot < 0) return;
        finger_id[slot] = f->fingerId;
        finger_x[slot] = x;
        finger_y[slot] = y;
        if (fingers == 2 && top(a)->pinch_zoom) {
            pinching = true;
            pinch_dist = finger_distance();
            down = dragging = false; /* the first finger's drag is not a swipe after all */
        }
    } else if (f->type == SDL_FINGERMOTION && slot >= 0) {
        finger_x[slot] = x;
        finger_y[slot] = y;
        if (pinching && fingers == 2 && pinch_dist > 1) {
            float d = finger_distance();
            if (d > pinch_dist * 1.2f) {
                app_do(a, ACT_TEXT_BIGGER, 0);
                pinch_dist = d;
            } else if (d < pinch_dist / 1.2f) {
                app_do(a, ACT_TEXT_SMALLER, 0);
                pinch_dist = d;
            }
        }
    } else if (f->type == SDL_FINGERUP && slot >= 0) {
        finger_id[slot] = finger_id[fingers - 1];
        finger_x[slot] = finger_x[fingers - 1];
        finger_y[slot] = finger_y[fingers - 1];
        fingers--;
        if (fingers == 0) pinching = false;
    }
}

bool input_event(app *a, const SDL_Event *e) {
    /* while two fingers pinch, the mouse events SDL makes from the first finger mean nothing */
    if (pinching && (e->type == SDL_MOUSEMOTION || e->type == SDL_MOUSEBUTTONUP || e->type == SDL_MOUSEBUTTONDOWN) &&
        e->button.which == SDL_TOUCH_MOUSEID)
        return true;
    switch (e->type) {
    case SDL_FINGERDOWN:
    case SDL_FINGERMOTION:
    case SDL_FINGERUP: finger_event(a, &e->tfinger); return true;
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.button == SDL_BUTTON_LEFT) pointer_down(a, e->button.x, e->button.y, e->button.timestamp);
        return true;
    case SDL_MOUSEMOTION: pointer_move(a, e->motion.x, e->motion.y); return true;
    case SDL_MOUSEBUTTONUP:
        if (e->button.button == SDL_BUTTON_LEFT) pointer_up(a, e->button.x, e->button.y, e->button.timestamp);
        return true;
    case SDL_MOUSEWHEEL: screen_scroll_by(a, -e->wheel.y * app_px(a, 60)); return true;
    case SDL_KEYDOWN: key_down(a, e->key.keysym.sym, e->key.keysym.mod); return true;
    case SDL_TEXTINPUT:
        if (keynav_text(a)) return true; /* the Space that selected a control */
        /* the screen first, while the ring is still where it was: typing on a written answer's control opens it
         * (exercise.c); then the ring goes, as for any typing */
        if (top(a)->text) top(a)->text(a, e->text.text);
        keynav_typed(a);
        return true;
    default: return false;
    }
}
