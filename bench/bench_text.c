/* bench_text.c — how page layout grows with the page (issue 14): pages of 1k, 4k, 16k and 64k words built from
 * the demo programme's own paragraphs, laid out with real fonts (SDL_ttf, offscreen) as the reader does. Prints,
 * per size, the first layout of the page (its opening: every new word shaped once) and a relayout at a new width
 * (the word widths known), for two kinds of page: the demo's words over and over ("same words": the vocabulary of
 * the demo), and every pass through them with new words ("new words": the distinct words grow with the page, the
 * worst case for a cache of word widths). Linear growth shows as ×4 per step. Figures only; never fails. */
#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meistring/doc.h"
#include "reader_params.h"
#include "ui/pagelayout.h"
#include "ui/render.h"

enum { PARA_WORDS = 60 }; /* words in each generated paragraph: a long paragraph of the demo */

static double now_ms(void) {
    return (double)SDL_GetPerformanceCounter() * 1000.0 / (double)SDL_GetPerformanceFrequency();
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Every word of the demo's paragraphs and list items, in order, space-separated (one buffer). */
static char *demo_words(const doc_programme *prog, size_t *n_words) {
    size_t cap = 1 << 20, len = 0;
    char *buf = malloc(cap);
    *n_words = 0;
    for (size_t m = 0; m < prog->n_modules; m++)
        for (size_t p = 0; p < prog->modules[m].n_pages; p++)
            for (size_t b = 0; b < prog->modules[m].pages[p].n_blocks; b++) {
                const doc_block *bl = &prog->modules[m].pages[p].blocks[b];
                if (bl->type != DOC_BLOCK_PARAGRAPH) continue;
                for (size_t s = 0; s < bl->text.n_spans; s++) {
                    const char *t = bl->text.spans[s].text;
                    size_t n = strlen(t);
                    if (len + n + 2 > cap) {
                        cap *= 2;
                        buf = realloc(buf, cap);
                    }
                    memcpy(buf + len, t, n);
                    len += n;
                    buf[len++] = ' ';
                }
            }
    buf[len] = '\0';
    for (char *c = buf; *c; c++)
        if (*c == '\n') *c = ' ';
    for (char *c = buf, *prev = " "; *c; prev = c++)
        if (*c != ' ' && *prev == ' ') ++*n_words;
    return buf;
}

typedef struct {
    doc_page page;
    doc_block *blocks;
    doc_span *spans;
    char **texts;
    size_t n;
} gen_page;

/* A page of n_words words in paragraphs of PARA_WORDS, taken from the demo's words in order, round after round.
 * With salt >= 0 every word gets a suffix naming (salt, round), so no two rounds (and no two pages) share one. */
static gen_page make_page(const char *words, size_t n_words, int salt) {
    gen_page g = {0};
    size_t n_paras = (n_words + PARA_WORDS - 1) / PARA_WORDS;
    g.blocks = calloc(n_paras, sizeof *g.blocks);
    g.spans = calloc(n_paras, sizeof *g.spans);
    g.texts = calloc(n_paras, sizeof *g.texts);
    const char *w = words;
    int round = 0;
    size_t left = n_words;
    for (size_t p = 0; p < n_paras; p++) {
        size_t cap = 2048, len = 0;
        char *t = malloc(cap);
        for (int k = 0; k < PARA_WORDS && left > 0; k++, left--) {
            while (*w == ' ')
                w++;
            if (!*w) {
                w = words;
                round++;
                while (*w == ' ')
                    w++;
            }
            const char *e = strchr(w, ' ');
            size_t n = e ? (size_t)(e - w) : strlen(w);
            if (len + n + 16 > cap) t = realloc(t, cap *= 2);
            if (len) t[len++] = ' ';
            memcpy(t + len, w, n);
            len += n;
            if (salt >= 0) {
                /* before trailing punctuation, so the word stays a word: "angst." → "angstqb." */
                size_t end = len;
                while (end > 0 && strchr(".,:;!?»)", t[end - 1]))
                    end--;
                char suf[8];
                int v = salt * 64 + round, sl = 0;
                suf[sl++] = 'q';
                do {
                    suf[sl++] = (char)('a' + v % 26);
                    v /= 26;
                } while (v);
                memmove(t + end + sl, t + end, len - end);
                memcpy(t + end, suf, (size_t)sl);
                len += (size_t)sl;
            }
            w += n;
        }
        t[len] = '\0';
        g.texts[p] = t;
        g.spans[p] = (doc_span){DOC_SPAN_PLAIN, t, NULL};
        g.blocks[p] = (doc_block){.id = "p", .type = DOC_BLOCK_PARAGRAPH, .text = {&g.spans[p], 1}};
    }
    g.n = n_paras;
    g.page = (doc_page){.id = "generated", .title = "generated", .blocks = g.blocks, .n_blocks = n_paras};
    return g;
}

static void free_page(gen_page *g) {
    for (size_t i = 0; i < g->n; i++)
        free(g->texts[i]);
    free(g->texts);
    free(g->spans);
    free(g->blocks);
}

/* bench_text [KIND WORDS]: every kind and size, or one (kind "same" or "new", WORDS 1000…64000) for a profiler. */
int main(int argc, char **argv) {
    bench_offscreen b;
    if (!bench_offscreen_open(&b, "bench_text", true)) {
        bench_offscreen_close(&b);
        return 1;
    }
    ren *rn = b.rn;
    const doc_programme *prog = b.prog;
    const char *dir = b.dir;
    size_t n_demo = 0;
    char *words = demo_words(prog, &n_demo);
    printf("bench_text: pages from the demo's %zu words of paragraphs, %d words a paragraph, 800x1280 at 1.33 px/dp\n",
           n_demo, PARA_WORDS);
    pl_params p734 = bench_reader_params(1.333, 100, 734, dir, NULL);
    pl_params p700 = bench_reader_params(1.333, 100, 700, dir, NULL);
    {
        /* the fonts of the page opened before anything is timed */
        gen_page g = make_page(words, 200, -2);
        pl_free(pl_build(rn, &g.page, &p734));
        free_page(&g);
    }
    static const size_t sizes[] = {1000, 4000, 16000, 64000};
    int only_kind = argc > 2 ? strcmp(argv[1], "new") == 0 : -1;
    size_t only_words = argc > 2 ? (size_t)atol(argv[2]) : 0;
    for (int kind = 0; kind < 2; kind++) {
        if (only_kind >= 0 && kind != only_kind) continue;
        double prev_open = 0, prev_re = 0;
        for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
            if (only_words && sizes[si] != only_words) continue;
            gen_page g = make_page(words, sizes[si], kind == 0 ? -1 : (int)si + 1);
            double s = now_ms();
            pagelayout *pl = pl_build(rn, &g.page, &p734);
            double open = now_ms() - s;
            int lines = pl_line_count(pl);
            pl_free(pl);
            enum { RUNS = 9 };
            double t[RUNS];
            for (int k = 0; k < RUNS; k++) {
                s = now_ms();
                pagelayout *x = pl_build(rn, &g.page, k % 2 ? &p734 : &p700);
                t[k] = now_ms() - s;
                pl_free(x);
            }
            qsort(t, RUNS, sizeof t[0], cmp_double);
            double re = t[RUNS / 2];
            printf("page-%s-%zuk-words first-layout-ms=%.2f relayout-ms median=%.2f min=%.2f lines=%d", kind ? "new" : "same",
                   sizes[si] / 1000, open, re, t[0], lines);
            if (si > 0) printf(" (x%.1f and x%.1f of the %zuk page)", open / prev_open, re / prev_re, sizes[si - 1] / 1000);
            printf("\n");
            prev_open = open;
            prev_re = re;
            free_page(&g);
        }
    }
    free(words);
    bench_offscreen_close(&b);
    return 0;
}
