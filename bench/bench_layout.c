/* bench_layout.c — relayout of the longest demo page with real fonts (SDL_ttf, offscreen), the figure behind
 * the "relayout ≤ 8 ms" budget (DESIGN §7). Prints figures; never fails on a slow machine. */
#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>

#include "meistring/doc.h"
#include "ui/pagelayout.h"
#include "ui/render.h"
#include "reader_params.h"

static double now_ms(void) {
    return (double)SDL_GetPerformanceCounter() * 1000.0 / (double)SDL_GetPerformanceFrequency();
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The reader's parameters (screens.c) at a given px-per-dp scale and text size. */
static pl_params params(double dp, int pct, int width, const char *dir) {
    return bench_reader_params(dp, pct, width, dir, NULL);
}

int main(void) {
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    if (SDL_Init(SDL_INIT_VIDEO) != 0 || TTF_Init() != 0) {
        fprintf(stderr, "bench_layout: cannot start SDL: %s\n", SDL_GetError());
        return 1;
    }
    SDL_Window *win = SDL_CreateWindow("bench", 0, 0, 800, 1280, SDL_WINDOW_HIDDEN);
    SDL_Renderer *r = SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
    char err[256];
    ren *rn = ren_new(r, MEISTRING_SOURCE_ROOT "/fonts", err, sizeof err);
    doc_programme *prog = NULL;
    doc_error derr;
    const char *dir = MEISTRING_SOURCE_ROOT "/assets/demo";
    if (!rn || doc_load_dir(dir, &prog, &derr) != DOC_OK) {
        fprintf(stderr, "bench_layout: setup failed\n");
        return 1;
    }
    const doc_page *longest = NULL;
    size_t words = 0;
    for (size_t m = 0; m < prog->n_modules; m++)
        for (size_t p = 0; p < prog->modules[m].n_pages; p++) {
            size_t w = doc_page_word_count(&prog->modules[m].pages[p]);
            if (w > words) {
                words = w;
                longest = &prog->modules[m].pages[p];
            }
        }
    printf("bench_layout: longest demo page %s, %zu words, 800x1280 at 1.33 px/dp\n", longest->id, words);

    /* first layout ever: every word shaped once (cold measuring cache) */
    pl_params p0 = params(1.333, 100, 734, dir);
    double t0 = now_ms();
    pagelayout *pl = pl_build(rn, longest, &p0);
    double cold = now_ms() - t0;
    printf("layout-cold-ms=%.2f lines=%d height-px=%d\n", cold, pl_line_count(pl), pl_height(pl));
    pl_free(pl);

    /* relayout at new widths (portrait, landscape column, narrow): the budget figure */
    static const int widths[] = {734, 860, 500, 600, 320};
    for (size_t wi = 0; wi < sizeof widths / sizeof widths[0]; wi++) {
        enum { RUNS = 41 };
        double t[RUNS];
        pl_params p = params(1.333, 100, widths[wi], dir);
        for (int k = 0; k < RUNS; k++) {
            double s = now_ms();
            pagelayout *x = pl_build(rn, longest, &p);
            t[k] = now_ms() - s;
            pl_free(x);
        }
        qsort(t, RUNS, sizeof t[0], cmp_double);
        printf("relayout-width-%d-ms median=%.2f min=%.2f max=%.2f\n", widths[wi], t[RUNS / 2], t[0], t[RUNS - 1]);
    }
    /* DESIGN §7 states the budget for a 4,000-word page: the longest page twice over (~6,000 words) */
    {
        doc_block *twice = malloc(2 * longest->n_blocks * sizeof *twice);
        for (size_t k = 0; k < 2 * longest->n_blocks; k++)
            twice[k] = longest->blocks[k % longest->n_blocks];
        doc_page big = {.id = "twice", .title = longest->title, .blocks = twice, .n_blocks = 2 * longest->n_blocks};
        pl_params p = params(1.333, 100, 734, dir);
        enum { RUNS = 21 };
        double t[RUNS];
        for (int k = 0; k < RUNS; k++) {
            pl_params q = params(1.333, 100, k % 2 ? 734 : 700, dir);
            double s = now_ms();
            pagelayout *x = pl_build(rn, &big, k % 2 ? &p : &q);
            t[k] = now_ms() - s;
            pl_free(x);
        }
        qsort(t, RUNS, sizeof t[0], cmp_double);
        printf("relayout-%zu-word-page-ms median=%.2f max=%.2f\n", doc_page_word_count(&big), t[RUNS / 2], t[RUNS - 1]);
        free(twice);
    }

    /* relayout at a new text size (the reading-aids issue makes sizes adjustable): cold per size */
    static const int sizes[] = {150, 200, 400};
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        pl_params p = params(1.333, sizes[si], 734, dir);
        double s = now_ms();
        pagelayout *x = pl_build(rn, longest, &p);
        double first = now_ms() - s;
        s = now_ms();
        pagelayout *y = pl_build(rn, longest, &p);
        double again = now_ms() - s;
        printf("relayout-size-%d%%-ms first=%.2f again=%.2f lines=%d\n", sizes[si], first, again, pl_line_count(y));
        pl_free(x);
        pl_free(y);
    }
    ren_free(rn);
    doc_programme_free(prog);
    SDL_DestroyRenderer(r);
    SDL_DestroyWindow(win);
    TTF_Quit();
    SDL_Quit();
    return 0;
}
