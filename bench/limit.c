/* limit.c — bench_limit: the physical limit the client is measured against (issue 14). A bare SDL window surface
 * with one line of the reading font on it, nothing else: SDL2 and SDL2_ttf only, the same offscreen driver and
 * window size as the headless client. What it costs to start and the memory it holds are the least any SDL
 * client showing text can cost; bench/run prints the client's figures as multiples of these.
 *
 *   bench_limit WxH FONT.ttf [HOLD_MS]
 *
 * Draws the line, presents it, prints `limit: first-frame-clock-monotonic-ns=N` (CLOCK_MONOTONIC, for
 * bench_launch) on standard error, then keeps the window HOLD_MS ms (default 300, events pumped) so that a
 * sampler of its memory sees it at rest, as it sees the client at the end of a script. */
#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv) {
    int w = 0, h = 0;
    if (argc < 3 || sscanf(argv[1], "%dx%d", &w, &h) != 2 || w < 1 || h < 1) {
        fprintf(stderr, "usage: bench_limit WxH FONT.ttf [HOLD_MS]\n");
        return 2;
    }
    int hold = argc > 3 ? atoi(argv[3]) : 300;
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    /* the window's own framebuffer, as the client asks (display.c): else SDL backs the surface with a GL texture */
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    if (SDL_Init(SDL_INIT_VIDEO) != 0 || TTF_Init() != 0) {
        fprintf(stderr, "bench_limit: cannot start SDL: %s\n", SDL_GetError());
        return 1;
    }
    SDL_Window *win = SDL_CreateWindow("limit", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, 0);
    SDL_Surface *screen = win ? SDL_GetWindowSurface(win) : NULL;
    /* the client's body text at 800 × 1280: 20 dp at 1.33 px/dp */
    TTF_Font *font = TTF_OpenFont(argv[2], 27);
    if (!screen || !font) {
        fprintf(stderr, "bench_limit: %s\n", SDL_GetError());
        return 1;
    }
    SDL_FillRect(screen, NULL, SDL_MapRGB(screen->format, 0xfb, 0xf7, 0xee)); /* the cream page */
    SDL_Surface *line = TTF_RenderUTF8_Blended(font, "Når du får et panikkanfall, kan det føles som om kroppen svikter.",
                                               (SDL_Color){0x22, 0x22, 0x22, 0xff});
    if (!line) {
        fprintf(stderr, "bench_limit: %s\n", TTF_GetError());
        return 1;
    }
    SDL_Rect at = {43, 200, line->w, line->h};
    SDL_BlitSurface(line, NULL, screen, &at);
    SDL_UpdateWindowSurface(win);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    fprintf(stderr, "limit: first-frame-clock-monotonic-ns=%lld\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
    Uint32 until = SDL_GetTicks() + (Uint32)(hold > 0 ? hold : 0);
    while (!SDL_TICKS_PASSED(SDL_GetTicks(), until)) {
        SDL_PumpEvents();
        SDL_Delay(10);
    }
    SDL_FreeSurface(line);
    TTF_CloseFont(font);
    SDL_DestroyWindow(win);
    TTF_Quit();
    SDL_Quit();
    return 0;
}
