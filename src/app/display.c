/* display.c — the window and its renderer; see display.h.
 *
 * Why the software renderer fails on Wayland (SDL 2.26, Debian 12): the software renderer draws into the
 * window's surface (SDL_GetWindowSurface). X11, KMS/DRM and offscreen give a window a framebuffer of its own;
 * Wayland does not, and SDL then emulates one with a texture of an accelerated renderer — unless
 * SDL_HINT_FRAMEBUFFER_ACCELERATION is "0", which we set precisely so that GL is never loaded behind our back.
 * The surface cannot be made, the software renderer fails, and with SDL_HINT_RENDER_DRIVER=software SDL tries
 * no other: "Couldn't find matching render driver" (libsdl-org/SDL#7532). SDL decides about the emulation once
 * per video device, so a second try of the software renderer cannot help; we create a GL renderer instead,
 * which on Wayland costs about the same as the emulated surface would and draws with the GPU where there is
 * one. Under cage on Debian 12 the client normally runs on X11 (cage starts Xwayland, SDL prefers X11), where
 * the software path works; docs/kiosk.md has the figures of each path. */
#include "display.h"

#include <SDL2/SDL_ttf.h>
#include <stdio.h>
#include <string.h>

/* An accelerated renderer by name, asked for by index so that SDL's render-driver hint plays no part. */
static SDL_Renderer *renderer_named(SDL_Window *win, const char *name) {
    for (int i = 0; i < SDL_GetNumRenderDrivers(); i++) {
        SDL_RendererInfo info;
        if (SDL_GetRenderDriverInfo(i, &info) == 0 && strcmp(info.name, name) == 0)
            return SDL_CreateRenderer(win, i, 0);
    }
    SDL_SetError("SDL has no %s renderer", name);
    return NULL;
}

bool display_open(const app_options *opt, SDL_Window **win, SDL_Renderer **rend, int *w_px, int *h_px) {
    *win = NULL;
    *rend = NULL;
    if (opt->headless) SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");
    /* Draw straight into the window's own framebuffer: otherwise SDL backs the window surface with a GL
     * texture, which pulls in the GL driver (Mesa's llvmpipe: ~60 MB of PSS) for nothing. */
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        app_log("cannot start SDL video: %s", SDL_GetError());
        return false;
    }
    if (TTF_Init() != 0) {
        app_log("cannot start SDL_ttf: %s", TTF_GetError());
        return false;
    }
    Uint32 flags = SDL_WINDOW_HIDDEN | SDL_WINDOW_ALLOW_HIGHDPI;
    int w = opt->win_w, h = opt->win_h;
    if (w <= 0 || h <= 0) {
        /* Borderless: a fullscreen window has no decorations to ask for. On Wayland, SDL 2.26 unmaps a window
         * for good when the compositor answers "client-side decorations" (cage does unless started with -d)
         * while it is still being shown from hidden; a borderless window asked for just that. */
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
        /* the screen's size from the start: an X server with no window manager (a bare X11 kiosk) never
         * resizes a window to fullscreen, and elsewhere the first frame needs no relayout */
        SDL_DisplayMode dm;
        if (SDL_GetDesktopDisplayMode(0, &dm) == 0 && dm.w > 0 && dm.h > 0) {
            w = dm.w;
            h = dm.h;
        } else {
            w = 800;
            h = 1280;
        }
    } else if (!opt->headless) {
        flags |= SDL_WINDOW_RESIZABLE;
    }
    *win = SDL_CreateWindow("Meistring", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
    if (!*win) {
        app_log("cannot open a window: %s", SDL_GetError());
        return false;
    }
    const char *video = SDL_GetCurrentVideoDriver();
    char why[256] = "";
    /* software rendering: on tablets without a good GPU driver it costs ~11 MB less than GL (DESIGN §3) */
    *rend = SDL_CreateRenderer(*win, -1, SDL_RENDERER_SOFTWARE);
    if (!*rend && !opt->headless) {
        /* no window framebuffer (Wayland): a GL renderer, ES 2 first (the lighter on Mesa), then desktop GL */
        snprintf(why, sizeof why, "%s", SDL_GetError());
        static const char *const fallback[] = {"opengles2", "opengl"};
        for (size_t i = 0; i < sizeof fallback / sizeof *fallback && !*rend; i++)
            *rend = renderer_named(*win, fallback[i]);
        if (!*rend) {
            char gl[256];
            snprintf(gl, sizeof gl, "%s", SDL_GetError());
            SDL_SetError("%s; no GL renderer either: %s", why, gl);
        }
    }
    if (!*rend) {
        app_log("cannot create a renderer: %s", SDL_GetError());
        return false;
    }
    SDL_RendererInfo info;
    if (!opt->headless && SDL_GetRendererInfo(*rend, &info) == 0) {
        if (strcmp(info.name, "software") == 0)
            app_log("display: %s, software renderer into the window's framebuffer", video ? video : "?");
        else
            app_log("display: %s, %s renderer%s%s%s", video ? video : "?", info.name,
                    why[0] ? " (no software renderer here: " : "", why, why[0] ? ")" : "");
    }
    SDL_GetRendererOutputSize(*rend, w_px, h_px);
    return true;
}
