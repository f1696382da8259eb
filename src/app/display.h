/* display.h — SDL's video and SDL_ttf started, the window opened and a renderer made for it (issue 11).
 *
 * Where the window has a framebuffer of its own (X11, KMS/DRM, the headless harness's offscreen driver), SDL's
 * software renderer draws straight into it: on tablets and kiosks without a good GPU driver that costs tens of
 * MB less than a GL renderer (DESIGN §3). SDL 2's Wayland driver has no window framebuffer, so there the
 * software renderer cannot be made and the display falls back to OpenGL ES 2, then OpenGL (Mesa's llvmpipe
 * where there is no GPU). Which one it chose is logged; docs/kiosk.md has the figures. */
#ifndef MEISTRING_DISPLAY_H
#define MEISTRING_DISPLAY_H

#include <stdbool.h>

#include "app.h"

/* Starts SDL's video and SDL_ttf, opens the window (fullscreen unless opt->win_w/h; hidden until the first
 * frame) and its renderer, and gives its size in pixels. False, with the reason logged, when any of it fails;
 * what was made is left in *win and *rend for the caller's clean-up. */
bool display_open(const app_options *opt, SDL_Window **win, SDL_Renderer **rend, int *w, int *h);

#endif
