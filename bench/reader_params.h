/* reader_params.h — for the benchmarks and words_demo, one copy of each: the reader's page-layout parameters (as
 * screens.c sets them) at a px-per-dp scale and a text size, so every program measures the same reader; and the
 * offscreen 800×1280 window, software renderer and bundled fonts they all draw with (bench_offscreen_open/close). */
#ifndef MS_BENCH_READER_PARAMS_H
#define MS_BENCH_READER_PARAMS_H

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <stdio.h>

#include "meistring/doc.h"
#include "ui/pagelayout.h"
#include "ui/render.h"

static inline pl_params bench_reader_params(double dp, int pct, int width, const char *dir, const hyph *h) {
    pl_params p = {.width = width,
                   .body_px = (int)(20 * dp * pct / 100 + 0.5),
                   .h1_px = (int)(29 * dp * pct / 100 + 0.5),
                   .h2_px = (int)(24 * dp * pct / 100 + 0.5),
                   .h3_px = (int)(21 * dp * pct / 100 + 0.5),
                   .small_px = (int)(17 * dp * pct / 100 + 0.5),
                   .line_height_pct = 150,
                   .block_gap = (int)(18 * dp),
                   .pad = (int)(16 * dp),
                   .radius = (int)(10 * dp),
                   .summary_title = "Kort fortalt",
                   .exercise_open = "Fyll ut øvelsen",
                   .content_dir = dir,
                   .hyph = h};
    return p;
}

/* What a benchmark draws with: the window, its software renderer (the tablet's path), the bundled fonts and, when
 * asked, the demo programme (prog, from dir). */
typedef struct {
    SDL_Window *win;
    SDL_Renderer *r;
    ren *rn;
    doc_programme *prog;
    const char *dir;
} bench_offscreen;

/* SDL's offscreen driver at 800×1280; with_demo: the demo programme loaded. False with the reason on stderr
 * (prefixed by name); what was opened is closed by bench_offscreen_close either way. */
static inline bool bench_offscreen_open(bench_offscreen *b, const char *name, bool with_demo) {
    *b = (bench_offscreen){.dir = MEISTRING_SOURCE_ROOT "/assets/demo"};
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    if (SDL_Init(SDL_INIT_VIDEO) != 0 || TTF_Init() != 0) {
        fprintf(stderr, "%s: cannot start SDL: %s\n", name, SDL_GetError());
        return false;
    }
    b->win = SDL_CreateWindow(name, 0, 0, 800, 1280, SDL_WINDOW_HIDDEN);
    b->r = b->win ? SDL_CreateRenderer(b->win, -1, SDL_RENDERER_SOFTWARE) : NULL;
    char err[256] = "no window or renderer";
    b->rn = b->r ? ren_new(b->r, MEISTRING_SOURCE_ROOT "/fonts", err, sizeof err) : NULL;
    if (!b->rn) {
        fprintf(stderr, "%s: %s\n", name, err);
        return false;
    }
    doc_error derr;
    if (with_demo && doc_load_dir(b->dir, &b->prog, &derr) != DOC_OK) {
        fprintf(stderr, "%s: the demo does not load: %s: %s\n", name, derr.where, derr.msg);
        return false;
    }
    return true;
}

static inline void bench_offscreen_close(bench_offscreen *b) {
    ren_free(b->rn);
    doc_programme_free(b->prog);
    if (b->r) SDL_DestroyRenderer(b->r);
    if (b->win) SDL_DestroyWindow(b->win);
    TTF_Quit();
    SDL_Quit();
}

#endif
