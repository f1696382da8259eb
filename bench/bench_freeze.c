/* bench_freeze.c — the two UI-thread freezes of issue 9, item 5, as figures: laying out a paragraph of one
 * 60,000-character word, and drawing a page's image (the review's 7.5 MB SVG, an SVG of 6,000 frame-sized
 * elements, the worst SVG within the budgets of config.h, the demo's drawings). Real fonts and the real decoders,
 * offscreen. Prints figures; never fails on a slow machine. Uses only ren_ and pl_ calls that predate the fix,
 * so the same file measures the code before it. */
#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meistring/doc.h"
#include "meistring/hyphen.h"
#include "meistring/layout.h"
#include "ui/pagelayout.h"
#include "ui/render.h"
#include "reader_params.h"

static double now_ms(void) {
    return (double)SDL_GetPerformanceCounter() * 1000.0 / (double)SDL_GetPerformanceFrequency();
}

static pl_params params(double dp, int pct, int width, const hyph *h) {
    return bench_reader_params(dp, pct, width, "/tmp", h);
}

static void write_svg(const char *path, const char *body_element, int n, const char *extra) {
    FILE *f = fopen(path, "w");
    if (!f) return;
    fputs("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"500\" viewBox=\"0 0 800 500\">\n", f);
    for (int i = 0; i < n; i++)
        fputs(body_element, f);
    if (extra) fputs(extra, f);
    fputs("</svg>\n", f);
    fclose(f);
}

/* The review's 7.5 MB SVG: an illustration of ~25,000 small filled and stroked curves. */
static void write_big_svg(const char *path) {
    FILE *f = fopen(path, "w");
    if (!f) return;
    fputs("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"500\" viewBox=\"0 0 800 500\">\n", f);
    srand(1);
    long size = 0;
    while (size < 7500000) {
        double x = rand() % 800, y = rand() % 500;
        size += fprintf(f, "<path d=\"M%.2f %.2f", x, y);
        for (int k = 0; k < 6; k++)
            size += fprintf(f, " C%.2f %.2f %.2f %.2f %.2f %.2f", x + rand() % 40 - 20.0, y + rand() % 40 - 20.0,
                            x + rand() % 40 - 20.0, y + rand() % 40 - 20.0, x + rand() % 40 - 20.0,
                            y + rand() % 40 - 20.0);
        size += fprintf(f, " Z\" fill=\"#%06x\" stroke=\"#000\" stroke-width=\"0.5\"/>\n", rand() & 0xFFFFFF);
    }
    fputs("</svg>\n", f);
    fclose(f);
}

static void time_image(ren *rn, const char *label, const char *path, int w, int h) {
    double t0 = now_ms();
    bool shown = ren_image(rn, path, 0, 0, w, h);
    double first = now_ms() - t0;
    t0 = now_ms();
    for (int i = 0; i < 10; i++)
        ren_image(rn, path, 0, 0, w, h);
    double again = (now_ms() - t0) / 10;
    printf("image %-28s %4dx%-4d first-draw-ms=%9.1f next-frame-ms=%7.2f %s\n", label, w, h, first, again,
           shown ? "shown" : "refused: frame + alt text");
}

int main(int argc, char **argv) {
    bench_offscreen b;
    if (!bench_offscreen_open(&b, "bench_freeze", false)) {
        bench_offscreen_close(&b);
        return 1;
    }
    ren *rn = b.rn;
    char err[256];
    /* hyphenation patterns: argv[1] or the build's */
    const char *hp = argc > 1 ? argv[1] : "build/hyph/hyph_nb_NO.dic";
    hyph *hy = hyph_open_lazy(hp, err, sizeof err);
    if (!hy) printf("(no hyphenation: %s)\n", err);

    /* ---- (b) a paragraph of one 60,000-character word ---- */
    enum { N = 60000 };
    static const char unit[] = "Jegvetikkehvajegskalgjøre"; /* 25 characters, 26 bytes */
    char *word = malloc(N * 2 + 1);
    size_t n = 0;
    for (int c = 0; c < N; c += 25) {
        memcpy(word + n, unit, sizeof unit - 1);
        n += sizeof unit - 1;
    }
    word[n] = '\0';
    layout_para lp;
    layout_para_init(&lp);
    static const struct {
        int width, pct;
        const char *what;
    } cases[] = {{734, 100, "tablet 100%"}, {734, 400, "tablet 400%"}, {328, 100, "phone 100%"}, {328, 400, "phone 400%"}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        int px = (int)(20 * 1.333 * cases[k].pct / 100 + 0.5);
        /* a therapist's message: ui_text's path (no hyphenation) */
        layout_run run = {word, n, ren_style(rn, REN_REGULAR, px)};
        double t0 = now_ms();
        layout_paragraph(&lp, ren_layout_font(rn), &run, 1, cases[k].width);
        double msg = now_ms() - t0;
        size_t lines = lp.n_lines;
        /* a module page: the reader's path (hyphenation patterns offered) */
        doc_block blk = {.id = "w", .type = DOC_BLOCK_PARAGRAPH};
        doc_span span = {DOC_SPAN_PLAIN, word, NULL};
        blk.text = (doc_text){&span, 1};
        doc_page page = {.id = "p", .title = "p", .blocks = &blk, .n_blocks = 1};
        pl_params pp = params(1.333, cases[k].pct, cases[k].width, hy);
        t0 = now_ms();
        pagelayout *pl = pl_build(rn, &page, &pp);
        double pg = now_ms() - t0;
        printf("layout 60000-char word %-12s width=%d message-ms=%9.1f page-ms=%9.1f lines=%zu widest=%d\n",
               cases[k].what, cases[k].width, msg, pg, lines, pl ? pl_widest_line(pl) : -1);
        pl_free(pl);
    }
    layout_para_deinit(&lp);
    free(word);

    /* ---- (a) images, drawn at a tablet's column (736 px at aspect 1.6) and a landscape 400 % column ---- */
    write_big_svg("/tmp/bench-freeze-7.5MB.svg");
    write_svg("/tmp/bench-freeze-6000.svg", "<rect width=\"800\" height=\"500\" fill-opacity=\"0.5\"/>\n", 6000, NULL);
    /* the worst we could write within the budgets: 255 frame-sized elements and ~4,000 numbers, mostly curves
     * far outside the drawing (flattened to the most segments nanosvg makes) */
    {
        char *path = malloc(200000);
        size_t k = (size_t)sprintf(path, "<path fill=\"#123\" d=\"M0 0");
        for (int i = 0; i < 380; i++)
            k += (size_t)sprintf(path + k, " C%d %d %d %d %d %d", (i * 7919) % 2000000 - 1000000,
                                 (i * 104729) % 2000000 - 1000000, -(i * 7919) % 2000000 + 1000000,
                                 (i * 13) % 2000000 - 1000000, (i * 31) % 800, (i * 17) % 500);
        sprintf(path + k, "\"/>\n");
        write_svg("/tmp/bench-freeze-worst.svg",
                  "<rect width=\"800\" height=\"500\" fill=\"#8FC3D6\" fill-opacity=\"0.5\" stroke=\"#000\"/>\n", 250,
                  path);
        free(path);
    }
    static const char *const demo[] = {"landskap.svg", "sirkelen.svg", "angstkurve.svg", "stigen.svg"};
    static const int sizes[][2] = {{736, 460}, {1216, 760}};
    for (int s = 0; s < 2; s++) {
        int w = sizes[s][0], h = sizes[s][1];
        time_image(rn, "7.5 MB SVG (review)", "/tmp/bench-freeze-7.5MB.svg", w, h);
        time_image(rn, "6,000-element SVG (190 KB)", "/tmp/bench-freeze-6000.svg", w, h);
        time_image(rn, "worst SVG within budgets", "/tmp/bench-freeze-worst.svg", w, h);
        for (int d = 0; d < 4; d++) {
            char path[600];
            snprintf(path, sizeof path, "%s/assets/demo/images/%s", MEISTRING_SOURCE_ROOT, demo[d]);
            time_image(rn, demo[d], path, w, h);
        }
    }
    hyph_free(hy);
    bench_offscreen_close(&b);
    return 0;
}
