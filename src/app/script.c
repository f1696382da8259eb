/* script.c — the headless harness: runs a script of input steps against the real client (docs/harness.md).
 * Steps are turned into real SDL events and go through the same handlers a patient's touches do; after each
 * step the queue is drained and the screen redrawn, so `shot` and `describe` see what a person would.
 * `expect` steps make a script a test: a failed expectation is reported with its line and the script exits 1. */
#include <SDL2/SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

static void pump(app *a) {
    SDL_Event e;
    while (SDL_PollEvent(&e)) app_handle_event(a, &e);
    if (a->dirty) app_draw(a, true);
}

static void push_mouse(Uint32 type, int x, int y, Uint8 button) {
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = type;
    if (type == SDL_MOUSEMOTION) {
        e.motion.x = x;
        e.motion.y = y;
        e.motion.state = button ? SDL_BUTTON_LMASK : 0;
    } else {
        e.button.button = button;
        e.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
        e.button.clicks = 1;
        e.button.x = x;
        e.button.y = y;
    }
    SDL_PushEvent(&e);
}

/* Waits ms while the app keeps handling events, as the real loop would. */
static void wait_ms(app *a, Uint32 ms) {
    Uint32 end = SDL_GetTicks() + ms;
    while (!SDL_TICKS_PASSED(SDL_GetTicks(), end)) {
        SDL_Event e;
        Sint32 left = (Sint32)(end - SDL_GetTicks());
        if (SDL_WaitEventTimeout(&e, left > 0 ? left : 1)) app_handle_event(a, &e);
        if (a->toast[0] && SDL_TICKS_PASSED(SDL_GetTicks(), a->toast_until)) a->dirty = true;
        if (a->dirty) app_draw(a, true);
    }
    pump(a);
}

static bool screenshot(app *a, const char *path) {
    app_draw(a, false);
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, a->w, a->h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s) return false;
    bool ok = SDL_RenderReadPixels(a->sdl, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch) == 0 &&
              IMG_SavePNG(s, path) == 0;
    SDL_FreeSurface(s);
    SDL_RenderPresent(a->sdl);
    return ok;
}

static bool role_from_name(const char *name, view_role *out) {
    for (int r = ROLE_HEADING; r <= ROLE_STATUS; r++) {
        if (strcmp(view_role_name((view_role)r), name) == 0) {
            *out = (view_role)r;
            return true;
        }
    }
    return false;
}

/* `expect screen NAME` or `expect ROLE TEXT` (an element of that role whose text contains TEXT);
 * `expect-not ROLE TEXT` for the opposite. */
static bool expect(app *a, const char *args, bool want, char *why, size_t cap) {
    char word[32];
    int n = 0;
    if (sscanf(args, "%31s %n", word, &n) != 1) {
        snprintf(why, cap, "expect needs a role or `screen`");
        return false;
    }
    const char *rest = args + n;
    if (strcmp(word, "screen") == 0) {
        bool is = strcmp(app_screen_name(a->screen), rest) == 0;
        if (is != want) snprintf(why, cap, "screen is %s", app_screen_name(a->screen));
        return is == want;
    }
    view_role role;
    if (!role_from_name(word, &role)) {
        snprintf(why, cap, "unknown role %s", word);
        return false;
    }
    bool found = false;
    for (size_t i = 0; i < a->view.n && !found; i++)
        if (a->view.e[i].role == role && strstr(a->view.e[i].text, rest)) found = true;
    if (found != want) snprintf(why, cap, "%s %s \"%s\" on screen %s", word, want ? "not found:" : "found:", rest,
                                app_screen_name(a->screen));
    return found == want;
}

int script_run(app *a, const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "meistring: cannot open script %s\n", path);
        return 2;
    }
    app_draw(a, true);
    char line[MS_SCRIPT_MAX_LINE];
    int lineno = 0, status = 0;
    while (!a->quit && fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        char *s = line;
        while (*s == ' ' || *s == '\t') s++;
        if (!*s || *s == '#') continue;
        char cmd[32];
        int n = 0;
        if (sscanf(s, "%31s %n", cmd, &n) != 1) continue;
        const char *args = s + n;
        int x1, y1, x2, y2, ms;
        bool ok = true;
        char why[512] = "";
        if (strcmp(cmd, "tap") == 0 && sscanf(args, "%d %d", &x1, &y1) == 2) {
            push_mouse(SDL_MOUSEMOTION, x1, y1, 0);
            push_mouse(SDL_MOUSEBUTTONDOWN, x1, y1, SDL_BUTTON_LEFT);
            push_mouse(SDL_MOUSEBUTTONUP, x1, y1, SDL_BUTTON_LEFT);
            pump(a);
        } else if (strcmp(cmd, "drag") == 0 && sscanf(args, "%d %d %d %d", &x1, &y1, &x2, &y2) == 4) {
            ms = 300;
            sscanf(args, "%*d %*d %*d %*d %d", &ms);
            if (ms < 0 || ms > 60000) ms = 300;
            const int steps = 12;
            push_mouse(SDL_MOUSEBUTTONDOWN, x1, y1, SDL_BUTTON_LEFT);
            pump(a);
            for (int i = 1; i <= steps; i++) {
                SDL_Delay((Uint32)(ms / steps));
                push_mouse(SDL_MOUSEMOTION, x1 + (x2 - x1) * i / steps, y1 + (y2 - y1) * i / steps, 1);
                pump(a);
            }
            push_mouse(SDL_MOUSEBUTTONUP, x2, y2, SDL_BUTTON_LEFT);
            pump(a);
        } else if (strcmp(cmd, "key") == 0 && *args) {
            SDL_Keycode k = SDL_GetKeyFromName(args);
            if (k == SDLK_UNKNOWN) {
                ok = false;
                snprintf(why, sizeof why, "unknown key name \"%s\"", args);
            } else {
                SDL_Event e;
                memset(&e, 0, sizeof e);
                e.type = SDL_KEYDOWN;
                e.key.state = SDL_PRESSED;
                e.key.keysym.sym = k;
                e.key.keysym.scancode = SDL_GetScancodeFromKey(k);
                SDL_PushEvent(&e);
                e.type = SDL_KEYUP;
                e.key.state = SDL_RELEASED;
                SDL_PushEvent(&e);
                pump(a);
            }
        } else if (strcmp(cmd, "type") == 0) {
            /* text input as SDL delivers it; screens without a text field ignore it */
            SDL_Event e;
            memset(&e, 0, sizeof e);
            e.type = SDL_TEXTINPUT;
            snprintf(e.text.text, sizeof e.text.text, "%s", args);
            SDL_PushEvent(&e);
            pump(a);
        } else if (strcmp(cmd, "wait") == 0 && sscanf(args, "%d", &ms) == 1 && ms >= 0) {
            wait_ms(a, (Uint32)ms);
        } else if (strcmp(cmd, "shot") == 0 && *args) {
            if (!screenshot(a, args)) {
                ok = false;
                snprintf(why, sizeof why, "cannot write %s: %s", args, SDL_GetError());
            }
        } else if (strcmp(cmd, "describe") == 0 && *args) {
            if (a->dirty) app_draw(a, true);
            if (!view_write_json(&a->view, app_screen_name(a->screen), a->w, a->h, args)) {
                ok = false;
                snprintf(why, sizeof why, "cannot write %s", args);
            }
        } else if (strcmp(cmd, "expect") == 0) {
            if (a->dirty) app_draw(a, true);
            ok = expect(a, args, true, why, sizeof why);
        } else if (strcmp(cmd, "expect-not") == 0) {
            if (a->dirty) app_draw(a, true);
            ok = expect(a, args, false, why, sizeof why);
        } else if (strcmp(cmd, "quit") == 0) {
            a->quit = true;
        } else {
            ok = false;
            snprintf(why, sizeof why, "cannot read the step \"%s\"", s);
        }
        if (!ok) {
            fprintf(stderr, "%s:%d: %s\n", path, lineno, why);
            status = 1;
            break;
        }
    }
    fclose(f);
    app_save_place(a);
    return status;
}
