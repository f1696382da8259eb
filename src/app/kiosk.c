/* kiosk.c — the waiting-room kiosk: the guard, the idle reset and the staff corner; see kiosk.h. */
#include "kiosk.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chrome.h"
#include "input.h"
#include "meistring/kiosk_config.h"
#include "pages.h"
#include "readaloud.h"
#include "screens.h"

static volatile sig_atomic_t term_asked; /* SIGTERM: the service manager stops the kiosk */
static bool touched;                     /* a visitor did something since the last reset */
static Uint32 last_touch;                /* app_ticks of the last activity (or of read-aloud speaking) */
static Uint32 last_real_touch;           /* app_ticks of the visitor's last touch or key */
static bool warning;                     /* «Er du fortsatt her?» is up */
static bool swallow_gesture;             /* the touch that cancelled the warning, to its lift: it taps nothing */
static bool swallow_text;                /* the key that cancelled it types nothing either */
static Uint32 corner_since;              /* a press held in the staff corner since then; 0: none */
static bool restart_asked;
static unsigned resets;

static void on_term(int sig) {
    (void)sig;
    term_asked = 1; /* the loop wakes (the wait is interrupted, or at the latest MS_KIOSK_TICK_MAX_MS) and ends */
}

void kiosk_prepare(void) {
    /* SDL would turn SIGINT into a quit request; the kiosk decides about signals itself */
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    SDL_SetHint(SDL_HINT_GRAB_KEYBOARD, "1");                /* the grab takes the keyboard too, not only the pointer */
    SDL_SetHint(SDL_HINT_ALLOW_ALT_TAB_WHILE_GRABBED, "0"); /* Alt+Tab reaches the kiosk, which ignores it */
    SDL_SetHint(SDL_HINT_QUIT_ON_LAST_WINDOW_CLOSE, "0");   /* a window close is not a quit request */
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    /* no session bus: without an address libdbus (under SDL's start) forks dbus-launch to make one, which would
     * start a bus daemon as the kiosk's user where dbus-x11 is installed; the kiosk has no use for one */
    setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/meistring-kiosk-has-no-session-bus", 0);
    struct sigaction ign = {.sa_handler = SIG_IGN};
    sigemptyset(&ign.sa_mask);
    /* a terminal's Ctrl+C, a hang-up, Ctrl+\ and Ctrl+Z: none of them is the clinic's way to stop the kiosk */
    sigaction(SIGINT, &ign, NULL);
    sigaction(SIGHUP, &ign, NULL);
    sigaction(SIGQUIT, &ign, NULL);
    sigaction(SIGTSTP, &ign, NULL);
    struct sigaction term = {.sa_handler = on_term}; /* no SA_RESTART: a blocked wait returns at once */
    sigemptyset(&term.sa_mask);
    sigaction(SIGTERM, &term, NULL);
}

void kiosk_start(app *a) {
    if (a->win && !a->opt.headless) {
        SDL_SetWindowKeyboardGrab(a->win, SDL_TRUE);
        SDL_RaiseWindow(a->win);
    }
    const kcfg *cfg = a->opt.kiosk_cfg;
    app_log("kiosk: idle reset after %d s with a %d s warning; staff PIN set", cfg->idle_timeout_s, cfg->warning_s);
    kiosk_reset(a);
    resets = 0;
}

static Uint32 idle_ms(const app *a) { return app_ticks(a) - last_touch; }

static Uint32 warn_after_ms(const app *a) {
    return (Uint32)(a->opt.kiosk_cfg->idle_timeout_s - a->opt.kiosk_cfg->warning_s) * 1000u;
}

static int seconds_left(const app *a) {
    Uint32 total = (Uint32)a->opt.kiosk_cfg->idle_timeout_s * 1000u, idle = idle_ms(a);
    return idle >= total ? 0 : (int)((total - idle + 999) / 1000);
}

/* The visitor did something: the idle clock starts again. */
static void activity(app *a) {
    last_touch = last_real_touch = app_ticks(a);
    touched = true;
}

static bool is_press(Uint32 type) {
    return type == SDL_MOUSEBUTTONDOWN || type == SDL_FINGERDOWN || type == SDL_KEYDOWN || type == SDL_MOUSEWHEEL ||
           type == SDL_TEXTINPUT;
}

static bool is_input(Uint32 type) {
    return is_press(type) || type == SDL_MOUSEBUTTONUP || type == SDL_MOUSEMOTION || type == SDL_FINGERUP ||
           type == SDL_FINGERMOTION || type == SDL_KEYUP;
}

/* Keys a visitor could use to leave, switch away or reach the system: the window manager's and the
 * compositor's combinations, and the client's own quit keys. They do nothing on a kiosk. */
static bool escape_key(const app *a, const SDL_Keysym *k) {
    /* Alt+F4, Alt+Tab, Super+…, Ctrl+Alt+Backspace, Ctrl+Alt+Fn. The right Alt is AltGr on a Norwegian keyboard
     * (@, $, {, …: typed text arrives as text input anyway), so it is dropped only with the keys that switch. */
    /* Alt+Left and Alt+Right skip while read-aloud reads (readaloud_key): no window manager's key, let through */
    const readaloud_state *ra = readaloud_get();
    bool skip = (k->sym == SDLK_LEFT || k->sym == SDLK_RIGHT) && !(k->mod & (KMOD_GUI | KMOD_CTRL | KMOD_SHIFT)) &&
                ra->on && !ra->single;
    if ((k->mod & (KMOD_GUI | KMOD_LALT)) && !skip) return true;
    if ((k->mod & KMOD_RALT) && (k->sym == SDLK_TAB || k->sym == SDLK_ESCAPE || (k->sym >= SDLK_F1 && k->sym <= SDLK_F12) ||
                                 k->sym == SDLK_BACKSPACE || k->sym == SDLK_DELETE))
        return true;
    switch (k->sym) {
    case SDLK_LGUI:
    case SDLK_RGUI:
    case SDLK_APPLICATION: /* the menu key */
    case SDLK_MENU:
    case SDLK_LALT:
    case SDLK_RALT:
    case SDLK_F4:
    case SDLK_PRINTSCREEN:
    case SDLK_SYSREQ:
    case SDLK_POWER:
    case SDLK_SLEEP: return true;
    default: break;
    }
    if ((k->mod & KMOD_CTRL) && (k->sym == SDLK_q || k->sym == SDLK_w || k->sym == SDLK_p || k->sym == SDLK_o ||
                                 k->sym == SDLK_s || k->sym == SDLK_c || k->sym == SDLK_v || k->sym == SDLK_x))
        return true; /* quit, close, print, open, save; and no clipboard on a kiosk */
    if (k->sym == SDLK_ESCAPE || k->sym == SDLK_AC_BACK) return a->screen == SCREEN_ATTRACT || a->depth <= 1;
    return false;
}

static bool in_corner(const app *a, int x, int y) {
    int c = app_px(a, MS_KIOSK_CORNER_DP);
    return x >= 0 && y >= 0 && x < c && y < c;
}

bool kiosk_guard(app *a, const SDL_Event *e) {
    switch (e->type) {
    case SDL_QUIT:
        if (term_asked) {
            a->quit = true;
        } else {
            app_log("kiosk: a quit request ignored");
        }
        return true;
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_CLOSE) {
            app_log("kiosk: a window close ignored");
            return true;
        }
        if (e->window.event == SDL_WINDOWEVENT_FOCUS_LOST || e->window.event == SDL_WINDOWEVENT_HIDDEN ||
            e->window.event == SDL_WINDOWEVENT_MINIMIZED) {
            /* something took the screen (a window manager's switcher): the kiosk comes back in front */
            if (a->win && !a->opt.headless) {
                SDL_RestoreWindow(a->win);
                SDL_RaiseWindow(a->win);
                SDL_SetWindowKeyboardGrab(a->win, SDL_TRUE);
            }
        }
        return false;
    case SDL_DROPFILE:
    case SDL_DROPTEXT:
        if (e->drop.file) SDL_free(e->drop.file);
        return true;
    case SDL_DROPBEGIN:
    case SDL_DROPCOMPLETE: return true;
    default: break;
    }
    if (!is_input(e->type)) return false;
    if (e->type == SDL_KEYDOWN && escape_key(a, &e->key.keysym)) return true; /* not even activity */
    if ((e->type == SDL_MOUSEBUTTONDOWN || e->type == SDL_MOUSEBUTTONUP) && e->button.button != SDL_BUTTON_LEFT)
        return true; /* right and middle buttons: no menus, no paste */
    /* a held key repeats by itself (something resting on a keyboard): only the first press is the visitor */
    if (e->type == SDL_KEYDOWN && e->key.repeat) return warning;
    bool press = is_press(e->type);
    if (press || e->type == SDL_FINGERMOTION || (e->type == SDL_MOUSEMOTION && e->motion.state)) activity(a);
    if (warning && press) {
        /* the visitor is still here: the warning goes, and the touch or key that said so does nothing else */
        warning = false;
        swallow_gesture = e->type == SDL_MOUSEBUTTONDOWN || e->type == SDL_FINGERDOWN;
        swallow_text = e->type == SDL_KEYDOWN;
        corner_since = 0;
        a->dirty = true;
        return true;
    }
    if (swallow_gesture && e->type != SDL_KEYDOWN && e->type != SDL_KEYUP && e->type != SDL_TEXTINPUT &&
        e->type != SDL_MOUSEWHEEL) {
        /* a finger's press comes twice (as a finger, then as SDL's mouse): all of it, to the first lift */
        if (e->type == SDL_MOUSEBUTTONUP || e->type == SDL_FINGERUP) swallow_gesture = false;
        return true;
    }
    if (swallow_text && e->type == SDL_KEYDOWN) swallow_text = false; /* a new key: its text is the visitor's */
    if (swallow_text && (e->type == SDL_TEXTINPUT || e->type == SDL_KEYUP)) {
        swallow_text = false;
        return e->type == SDL_TEXTINPUT;
    }
    /* the staff corner: a press held there, not moved out of it */
    if (e->type == SDL_MOUSEBUTTONDOWN) /* on nothing tappable: a long press on «‹ Tilbake» is only slow */
        corner_since = in_corner(a, e->button.x, e->button.y) && a->screen != SCREEN_STAFF &&
                               !view_hit(&a->view, e->button.x, e->button.y)
                           ? app_ticks(a) | 1u
                           : 0;
    else if (e->type == SDL_MOUSEBUTTONUP)
        corner_since = 0;
    else if (e->type == SDL_MOUSEMOTION && corner_since && !in_corner(a, e->motion.x, e->motion.y))
        corner_since = 0;
    return false;
}

int kiosk_deadline_ms(const app *a) {
    int ms = MS_KIOSK_TICK_MAX_MS;
    if (touched) {
        Uint32 idle = idle_ms(a), warn = warn_after_ms(a);
        int until = warning ? (int)(1000 - (idle % 1000)) : (idle >= warn ? 0 : (int)(warn - idle));
        if (until < ms) ms = until;
    }
    if (corner_since) {
        Uint32 held = app_ticks(a) - corner_since;
        int until = held >= MS_KIOSK_CORNER_HOLD_MS ? 0 : (int)(MS_KIOSK_CORNER_HOLD_MS - held);
        if (until < ms) ms = until;
    }
    return ms;
}

bool kiosk_tick(app *a) {
    if (term_asked) {
        if (!a->quit) app_log("kiosk: stopped by SIGTERM");
        a->quit = true;
        return false;
    }
    /* listening is not idling; but a page read on and on to nobody (read-aloud goes on over page turns) does not
     * hold the visitor's traces on the screen for longer than MS_KIOSK_SPEECH_HOLD_S */
    if (readaloud_get()->on && !readaloud_get()->paused) {
        if (app_ticks(a) - last_real_touch < MS_KIOSK_SPEECH_HOLD_S * 1000u)
            last_touch = app_ticks(a);
        else
            readaloud_stop(a);
    }
    if (corner_since && app_ticks(a) - corner_since >= MS_KIOSK_CORNER_HOLD_MS) {
        corner_since = 0;
        input_reset();            /* the lifting finger taps nothing on the pad */
        swallow_gesture = false; /* (input_reset has forgotten the press already) */
        warning = false;
        staff_open(a);
        return true;
    }
    if (!touched) return false;
    Uint32 idle = idle_ms(a);
    if (idle >= (Uint32)a->opt.kiosk_cfg->idle_timeout_s * 1000u) {
        app_log("kiosk: idle for %d s: reset", a->opt.kiosk_cfg->idle_timeout_s);
        kiosk_reset(a);
        return true;
    }
    if (idle >= warn_after_ms(a)) {
        warning = true;
        return true; /* the countdown moves on */
    }
    if (warning) { /* a finger moved on the screen: the visitor is there */
        warning = false;
        return true;
    }
    return false;
}

void kiosk_draw(app *a) {
    if (!warning) return;
    const theme *th = a->th;
    /* the screen under it, dimmed, and said no more: only the warning can be read or tapped */
    view_reset(&a->view);
    ren_fill(a->rn, 0, 0, a->w, a->h, 0x000000B4u);
    int m = app_px(a, 24), pad = app_px(a, 28);
    int w = a->w - 2 * m;
    if (w > app_px(a, 640)) w = app_px(a, 640);
    int x = (a->w - w) / 2;
    char body[512], secs[16];
    snprintf(secs, sizeof secs, "%d", seconds_left(a));
    const char *args[1] = {secs};
    i18n_format(body, sizeof body, app_tr(a, seconds_left(a) == 1 ? "kiosk.warning_body_one" : "kiosk.warning_body"), 1,
                args);
    const char *title = app_tr(a, "kiosk.warning_title"), *tap = app_tr(a, "kiosk.warning_tap");
    int inner = w - 2 * pad;
    /* large enough to be seen from across the room, yet whole on the screen at any text size: the type steps down
     * until the card fits, and the button (a touch anywhere does what it says) goes last */
    static const double steps[] = {1.0, 0.8, 0.65, 0.5};
    int big = 0, text = 0, ht = 0, hb = 0, h = 0;
    int bh = ui_button_height(app_ui(a), tap, inner, app_px(a, DP_BUTTON_BIG)); /* a long label wraps */
    bool button = true;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
            big = ui_font(app_ui(a), 40 * steps[i]);
            text = ui_font(app_ui(a), 26 * steps[i]);
            ht = ui_text_height(app_ui(a), title, REN_BOLD, big, inner);
            hb = ui_text_height(app_ui(a), body, REN_REGULAR, text, inner);
            h = pad + ht + app_px(a, 16) + hb + (button ? app_px(a, 24) + bh : 0) + pad;
            if (h <= a->h - 2 * m) break;
        }
        if (h <= a->h - 2 * m) break;
        button = false;
    }
    int y = (a->h - h) / 2;
    if (y < m) y = m;
    ren_fill_round(a->rn, x, y, w, h, app_px(a, 16), th->ink[INK_CARD_BG]);
    ren_frame_round(a->rn, x, y, w, h, app_px(a, 16), app_px(a, 3), th->ink[INK_ALERT]);
    int ty = y + pad;
    ty += ui_text(app_ui(a), title, REN_BOLD, big, th->ink[INK_TEXT], x + pad, ty, inner, ROLE_HEADING);
    ty += app_px(a, 16);
    ty += ui_text(app_ui(a), body, REN_REGULAR, text, th->ink[INK_TEXT], x + pad, ty, inner, ROLE_STATUS);
    ty += app_px(a, 24);
    /* any touch anywhere cancels it; the button says so where a finger looks for one */
    if (button) ui_button(app_ui(a), x + pad, ty, inner, bh, tap, BTN_PRIMARY, ACT_NONE, 0);
}

void kiosk_reset(app *a) {
    /* the visitor's drafts, answers, messages, settings and place were in this store, in memory: all of it goes */
    char err[256];
    store *fresh = store_open(":memory:", NULL, err, sizeof err);
    if (!fresh) {
        app_log("kiosk: cannot open a new store: %s", err); /* out of memory: the service starts it again */
        a->quit = true;
        exit(1);
    }
    if (!app_forget_person(a, fresh)) {
        app_log("kiosk: out of memory");
        exit(1);
    }
    nav_reset(a, SCREEN_ATTRACT);
    touched = warning = swallow_gesture = swallow_text = false;
    corner_since = 0;
    last_touch = last_real_touch = app_ticks(a);
    resets++;
    a->dirty = true;
}

void kiosk_info_get(const app *a, kiosk_info *out) {
    out->warning = warning;
    out->seconds_left = warning ? seconds_left(a) : 0;
    out->idle_ms = touched ? (int)idle_ms(a) : 0;
    out->resets = resets;
}

void kiosk_leave(app *a) {
    /* the unit starts the client again whenever it ends; a mark in its runtime directory (a tmpfs, gone at the
     * next boot) tells it not to, this once (dist/kiosk/meistring-kiosk.service) */
    const char *dir = getenv("RUNTIME_DIRECTORY");
    if (dir && dir[0] == '/') {
        char path[600];
        size_t n = strcspn(dir, ":"); /* systemd lists several directories with ':' */
        snprintf(path, sizeof path, "%.*s/stay-off", (int)n, dir);
        int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
            app_log("kiosk: cannot mark the kiosk to stay off: %s", strerror(errno));
        else
            close(fd);
    } else {
        app_log("kiosk: no RUNTIME_DIRECTORY: a service that restarts the kiosk will start it again");
    }
    app_log("kiosk: staff left the kiosk");
    a->quit = true;
}

void kiosk_restart(app *a) {
    app_log("kiosk: staff restarted the kiosk");
    restart_asked = true;
    a->quit = true;
}

bool kiosk_wants_restart(void) { return restart_asked && !term_asked; /* a SIGTERM meanwhile: stop, as asked */ }
