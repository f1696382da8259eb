/* keynav.c — the keyboard's and the switch's focus; see keynav.h. */
#include "keynav.h"

#include <stdio.h>
#include <string.h>

#include "readaloud.h"
#include "screens.h"

/* The focused control, by what it does and says (a frame is drawn anew each time: there is no element to hold). */
typedef struct {
    bool set;
    int action, arg;
    char text[160];
    int index; /* where it was in the focus order: the neighbour to fall back on when it is gone */
} focus_id;

static struct {
    bool shown;                     /* the ring is up */
    bool swallow_space;             /* a Space selected: its SDL_TEXTINPUT " " is not typed */
    bool anew;                      /* the content changed in place (keynav_content_changed) */
    app_screen screen;              /* the screen the focus is on */
    focus_id cur;                   /* on that screen */
    focus_id left[SCREEN_COUNT];    /* where it was on each screen left, so Back comes back to the same control */
    Uint32 next_scan;               /* scanning: when the focus steps on (app_ticks) */
} kn;

void keynav_reset(void) { memset(&kn, 0, sizeof kn); }

void keynav_focus(app *a, int action, int arg, const char *text) {
    kn.cur.set = true;
    kn.cur.action = action;
    kn.cur.arg = arg;
    kn.cur.index = 0;
    snprintf(kn.cur.text, sizeof kn.cur.text, "%s", text ? text : "");
    kn.screen = a->screen;
    a->dirty = true;
}

/* What of focus entry f shows: its element's visible bounds, and of a part of an element (a glossary term in its
 * paragraph, view_add_focus) only the part's own. */
static SDL_Rect shown_bounds(const app *a, const view_focus *f) {
    const view_elem *e = &a->view.e[f->elem];
    SDL_Rect r = {e->x, e->y, e->w, e->h}, whole = {f->x, f->y, f->w, f->h}, both;
    return SDL_IntersectRect(&r, &whole, &both) ? both : r;
}

static bool scanning(const app *a) { return a->set.scan_ms > 0; }

static bool same(const app *a, const view_focus *f, const focus_id *id, bool by_text) {
    return f->action == id->action && f->arg == id->arg &&
           (!by_text || strncmp(view_focus_text(&a->view, f), id->text, sizeof id->text - 1) == 0);
}

/* The focused control's place in this frame's focus order, or -1. */
static int find(const app *a, const focus_id *id) {
    if (!id->set) return -1;
    const view *v = &a->view;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < v->nf; i++)
            if (same(a, &v->f[i], id, pass == 0)) return (int)i;
    return -1;
}

static bool paged_reader(const app *a) { return a->screen == SCREEN_PAGE && reader_paged(a); }

/* Switch scanning in the paged reader steps over the bars and the screen in sight only: a focus that moves by itself
 * must not turn the page under the reader's eyes (the switch turns it with «Neste»). Tab does turn (paged_move). */
static bool reachable(const app *a, int i) { return a->view.f[i].elem >= 0 || !paged_reader(a); }

/* The paged reader's focus order is the page's reading order: the top bar, the page's controls (the screen's own
 * and those on its other screens), the bottom bar. A control of the page is one out of sight (on another screen:
 * the reader's bars and read-aloud's never are) or one between the bars. */
static bool on_page(const app *a, int i, int top, int bottom) {
    const view_focus *f = &a->view.f[i];
    return f->elem < 0 || (f->y >= top && f->y < bottom);
}

/* Where Tab (dir 1) or Shift+Tab (-1) enters the page's controls from a bar: the first in sight or on a later screen,
 * the last in sight or on an earlier one, so the focus goes on from the screen the patient is reading, not back to
 * the page's first screen; -1 where there is none that way. */
static int page_entry(const app *a, int dir, int top, int bottom) {
    int n = (int)a->view.nf;
    for (int k = 0; k < n; k++) {
        int i = dir > 0 ? k : n - 1 - k;
        const view_focus *f = &a->view.f[i];
        if (!on_page(a, i, top, bottom)) continue;
        if (f->elem >= 0) return i;
        bool later = f->y + f->h / 2 > (top + bottom) / 2; /* out of sight: wholly below the screen or above it */
        if (later == (dir > 0)) return i;
    }
    return -1;
}

/* The paged reader: the control Tab or Shift+Tab goes to from cur. Within the page, the next of the page's controls
 * in reading order, on whichever screen it is (show turns to it, as a list scrolls to a control out of sight: a
 * keyboard user reaches every control of the page with Tab alone, where Tab went round the bars and the screen in
 * sight — issue 13); from a bar into the page, page_entry; past the page's last control, the bottom bar. */
static int paged_move(const app *a, int cur, int dir) {
    int n = (int)a->view.nf, top, bottom;
    app_content_area(a, &top, &bottom);
    bool from_page = on_page(a, cur, top, bottom);
    if (from_page && a->view.f[cur].elem < 0) {
        /* the focused control was turned away from (Page Down): on from the screen shown, as from the bar before it */
        from_page = false;
        while (on_page(a, cur, top, bottom) && cur > 0 && cur < n - 1)
            cur -= dir;
    }
    int i = (cur + dir + n) % n;
    if (from_page || !on_page(a, i, top, bottom)) return i;
    int e = page_entry(a, dir, top, bottom);
    if (e >= 0) return e;
    for (int k = 0; k < n && on_page(a, i, top, bottom); k++) /* none that way: over the page to the other bar */
        i = (i + dir + n) % n;
    return i;
}

static void remember(app *a, int i) {
    const view_focus *f = &a->view.f[i];
    kn.cur.set = true;
    kn.cur.action = f->action;
    kn.cur.arg = f->arg;
    kn.cur.index = i;
    snprintf(kn.cur.text, sizeof kn.cur.text, "%s", view_focus_text(&a->view, f));
    kn.screen = a->screen;
}

/* A new screen's first control in its content and in sight, not in its bars (the reader's «‹ Forrige» is under the
 * page): -1 where there is none. */
static int content_control_in_sight(const app *a) {
    int top, bottom;
    app_content_area(a, &top, &bottom);
    for (size_t i = 0; i < a->view.nf; i++)
        if (a->view.f[i].elem >= 0 && a->view.f[i].y >= top && a->view.f[i].y < bottom) return (int)i;
    return -1;
}

/* A new screen: its first control in the content (below the bars), so Return on a module card lands on the
 * module's first choice and not on «Tilbake»; one in sight first, else the first below (scrolled to: at 400 % the
 * text above it can fill the screen, and the first Tab went to the bar, against 2.4.1 — issue 13's audit); else
 * the first control there is. */
static int first_control(const app *a) {
    int top, bottom;
    app_content_area(a, &top, &bottom);
    for (size_t i = 0; i < a->view.nf; i++)
        if (a->view.f[i].elem >= 0 && a->view.f[i].y >= top) return (int)i;
    for (size_t i = 0; i < a->view.nf; i++)
        if (a->view.f[i].elem < 0 && a->view.f[i].y >= bottom) return (int)i;
    for (size_t i = 0; i < a->view.nf; i++)
        if (a->view.f[i].elem >= 0) return (int)i;
    return a->view.nf ? 0 : -1;
}

/* The control i wholly on screen, when the list scrolls: the least scroll that shows it with a margin for its ring;
 * in the middle of the list if it fits only without the margins, at the list's top if it is taller than the list
 * (a questionnaire's answer under its pinned question on a phone on its side at 400 %: as much of it as shows). */
static void show(app *a, int i) {
    const view_focus *f = &a->view.f[i];
    if (f->elem >= 0 && !a->view.e[f->elem].clipped) return;
    if (f->elem < 0 && paged_reader(a)) { /* on another screen of the page: turned to, whole */
        reader_turn_to(a, f->y);
        a->dirty = true;
        return;
    }
    int top, bottom;
    app_content_area(a, &top, &bottom);
    int margin = app_px(a, 12), dy = 0;
    if (f->h > bottom - top - 2 * margin) margin = f->h < bottom - top ? (bottom - top - f->h) / 2 : 0;
    if (f->y < top)
        dy = f->y - top - margin;
    else if (f->y + f->h > bottom)
        dy = f->h > bottom - top - 2 * margin ? f->y - top - margin : f->y + f->h - bottom + margin;
    if (dy) screen_scroll_by(a, dy);
    a->dirty = true;
}

/* Shows control i if part of it is out of sight and the list can bring more of it in: true when it scrolled. The
 * paged reader turns whole screens, not scrolls (reachable). */
static bool shown_more(app *a, int i) {
    const view_focus *f = &a->view.f[i];
    if (f->elem >= 0 && (!a->view.e[f->elem].clipped || (a->screen == SCREEN_PAGE && reader_paged(a)))) return false;
    int before = *screen_scroll(a);
    show(a, i);
    return f->elem < 0 || *screen_scroll(a) != before;
}

/* «Les opp det jeg trykker på»: the control the focus moved to is said (a switch user scanning by ear). */
static void say(app *a, int i) {
    if (!a->set.hear_tap) return;
    const view_focus *f = &a->view.f[i];
    if (readaloud_secret_key(f->action, f->arg)) return; /* a PIN pad's digit: not said to the room */
    if (readaloud_keeps_reading(f->action)) return; /* «Hopp fram» said would end the reading it skips in */
    view_role role = f->elem >= 0 ? a->view.e[f->elem].role : ROLE_BUTTON;
    readaloud_say(a, role, view_focus_text(&a->view, f));
}

static void move(app *a, int dir) {
    int n = (int)a->view.nf;
    bool was = kn.shown;
    kn.shown = true;
    a->dirty = true;
    if (n == 0) return;
    int cur = kn.screen == a->screen ? find(a, &kn.cur) : -1;
    int i = cur;
    if (cur < 0 || (!was && a->view.f[cur].elem < 0)) {
        /* nothing focused here yet: Tab starts at the first control of the content, Shift+Tab at the last */
        i = dir > 0 ? first_control(a) : n - 1;
        while (dir < 0 && i > 0 && !reachable(a, i))
            i--;
    } else if (was && paged_reader(a) && !scanning(a)) {
        i = paged_move(a, cur, dir);
    } else if (was) {
        for (int k = 0; k < n; k++) {
            i = (i + dir + n) % n;
            if (reachable(a, i)) break;
        }
    } /* else the first key after a touch shows where the focus is, without moving it */
    if (i < 0) return;
    remember(a, i);
    show(a, i);
    say(a, i);
}

/* Return, Space, a switch: what a tap on the focused control would do. False: nothing is focused. */
static bool select_focused(app *a) {
    int i = kn.screen == a->screen ? find(a, &kn.cur) : -1;
    if (i < 0) return false;
    const view_focus *f = &a->view.f[i];
    /* scrolled away since, or part of it under a band or the bars: bring it into view first, so nothing is done
     * out of sight (a questionnaire's answer under «Flere svar nedenfor» was chosen unseen, issue 13's audit) */
    if (shown_more(a, i)) return true;
    app_do(a, (app_action)f->action, f->arg);
    a->dirty = true;
    if (scanning(a)) kn.next_scan = app_ticks(a) + (Uint32)a->set.scan_ms;
    return true;
}

bool keynav_key(app *a, SDL_Keycode k, Uint16 mod) {
    kn.swallow_space = false;
    bool activate = k == SDLK_RETURN || k == SDLK_KP_ENTER || k == SDLK_SPACE;
    if (k == SDLK_TAB) {
        move(a, (mod & KMOD_SHIFT) ? -1 : 1);
        return true;
    }
    if (!kn.shown && !scanning(a)) return false;
    if (activate) {
        if (!kn.shown) kn.shown = true;
        if (!select_focused(a)) return false;
        kn.swallow_space = k == SDLK_SPACE && SDL_IsTextInputActive();
        return true;
    }
    switch (k) {
    case SDLK_UP:
    case SDLK_DOWN:
    case SDLK_LEFT:
    case SDLK_RIGHT:
        /* the reader's arrows turn and scroll the page, the editor's move the caret */
        if (a->screen == SCREEN_PAGE || a->screen == SCREEN_WRITE) return false;
        move(a, k == SDLK_UP || k == SDLK_LEFT ? -1 : 1);
        return true;
    case SDLK_ESCAPE:
    case SDLK_AC_BACK:
    case SDLK_BACKSPACE:
    case SDLK_F1:
    case SDLK_PAGEUP:
    case SDLK_PAGEDOWN:
    case SDLK_HOME:
    case SDLK_END:
    case SDLK_LSHIFT:
    case SDLK_RSHIFT:
    case SDLK_LCTRL:
    case SDLK_RCTRL: return false;
    default:
        /* typing (a digit on a pad, a letter): the ring goes once its text has been typed (keynav_typed), not at the
         * key, which comes first: a written answer's control takes the letters only while it has the ring
         * (exercise.c), and a real keyboard's key press hid it before its text arrived */
        return false;
    }
}

bool keynav_text(app *a) {
    (void)a;
    if (kn.swallow_space) {
        kn.swallow_space = false;
        return true;
    }
    return false;
}

void keynav_typed(app *a) {
    if (kn.shown && !scanning(a)) {
        kn.shown = false;
        a->dirty = true;
    }
}

void keynav_pointer(app *a) {
    if (kn.shown && !scanning(a)) {
        kn.shown = false;
        a->dirty = true;
    }
}

bool keynav_scan_tap(app *a) {
    if (!scanning(a)) return false;
    if (!select_focused(a)) move(a, 1);
    return true;
}

void keynav_frame(app *a) {
    if (scanning(a)) {
        kn.shown = true;
        if (!kn.next_scan) kn.next_scan = app_ticks(a) + (Uint32)a->set.scan_ms;
    } else {
        kn.next_scan = 0;
    }
    bool anew = kn.anew; /* once: a touch user's new content is left where the screen put it */
    kn.anew = false;
    if (!kn.shown || !a->view.nf) return;
    int i = -1;
    if (kn.screen == a->screen) {
        i = find(a, &kn.cur);
        if (i < 0 && kn.cur.set) /* it went (a choice made, a row sent): its neighbour */
            i = kn.cur.index < (int)a->view.nf ? kn.cur.index : (int)a->view.nf - 1;
        else if (i < 0)
            i = first_control(a);
    } else {
        if (kn.screen < SCREEN_COUNT) kn.left[kn.screen] = kn.cur;
        i = find(a, &kn.left[a->screen]);
        if (i < 0 || a->view.f[i].elem < 0) i = content_control_in_sight(a);
        if (i < 0) {
            /* nothing to choose in the new screen's content where it opens (a page of text): the ring waits for Tab
             * (which goes to the first control), so a Return pressed again does nothing unseen — it was on the
             * reader's «‹ Forrige», and a second Return went back a page (issue 13's audit) */
            kn.shown = false;
            kn.screen = a->screen;
            kn.cur.set = false;
            a->dirty = true;
            return;
        }
    }
    if (i < 0) return;
    remember(a, i);
    if (anew) {
        /* the first control of the new content: in view with its ring if any of it shows; else the ring waits for
         * Tab, so that nothing is done out of sight and the new content's top (a question) is not scrolled away */
        if (a->view.f[i].elem < 0) {
            kn.shown = false;
            a->dirty = true;
            return;
        }
        show(a, i);
    }
    const view_focus *f = &a->view.f[i];
    if (f->elem < 0) return; /* out of sight: no ring until it is shown */
    SDL_Rect eb = shown_bounds(a, f);
    const SDL_Rect *e = &eb;
    /* two rings of at least 3 px: the text's ink outside the background's, so one of them stands at 7:1 or more
     * against whatever it is drawn on, a bar, a card or the page (WCAG 2.4.13: 2.4.7 made visible) */
    int t = app_px(a, 4) > 3 ? app_px(a, 4) : 3;
    int x0 = e->x - 2 * t, y0 = e->y - 2 * t, x1 = e->x + e->w + 2 * t, y1 = e->y + e->h + 2 * t;
    if (x0 < 0) x0 = 0;
    if (y0 < 0) y0 = 0;
    if (x1 > a->w) x1 = a->w;
    if (y1 > a->h) y1 = a->h;
    ren_clip(a->rn, NULL);
    int r = app_px(a, 10);
    ren_frame_round(a->rn, x0, y0, x1 - x0, y1 - y0, r, t, a->th->ink[INK_TEXT]);
    ren_frame_round(a->rn, x0 + t, y0 + t, x1 - x0 - 2 * t, y1 - y0 - 2 * t, r, t, a->th->ink[INK_BG]);
}

int keynav_deadline_ms(const app *a) {
    if (!scanning(a) || !kn.next_scan) return -1;
    Sint32 left = (Sint32)(kn.next_scan - app_ticks(a));
    return left > 0 ? left : 0;
}

bool keynav_tick(app *a) {
    if (!scanning(a) || !kn.next_scan || !SDL_TICKS_PASSED(app_ticks(a), kn.next_scan)) return false;
    kn.next_scan = app_ticks(a) + (Uint32)a->set.scan_ms;
    move(a, 1);
    return true;
}

void keynav_info_get(const app *a, keynav_info *out) {
    memset(out, 0, sizeof *out);
    out->scanning = scanning(a);
    out->shown = kn.shown;
    int i = kn.shown && kn.screen == a->screen ? find(a, &kn.cur) : -1;
    if (i < 0) return;
    const view_focus *f = &a->view.f[i];
    out->text = view_focus_text(&a->view, f);
    if (f->elem >= 0) {
        SDL_Rect eb = shown_bounds(a, f);
        const SDL_Rect *e = &eb;
        out->x = e->x;
        out->y = e->y;
        out->w = e->w;
        out->h = e->h;
    }
}

int keynav_focus_elem(const app *a) {
    int i = kn.shown && kn.screen == a->screen ? find(a, &kn.cur) : -1;
    return i < 0 ? -1 : a->view.f[i].elem;
}

void keynav_content_changed(app *a) {
    if (kn.screen != a->screen) return; /* a screen of its own: keynav_frame starts it at its first control anyway */
    kn.cur.set = false;
    kn.anew = true;
    a->dirty = true;
}

void keynav_show_focus(app *a) {
    int i = kn.shown && kn.screen == a->screen ? find(a, &kn.cur) : -1;
    if (i >= 0) show(a, i);
}

void keynav_focus_on(app *a, int action, int arg) {
    for (size_t i = 0; i < a->view.nf; i++) {
        if (a->view.f[i].action != action || a->view.f[i].arg != arg) continue;
        kn.shown = true;
        remember(a, (int)i);
        show(a, (int)i);
        a->dirty = true;
        return;
    }
}
