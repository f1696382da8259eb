/* reader_params.h — the reader's page-layout parameters (as screens.c sets them) at a px-per-dp scale and a text
 * size, for the benchmarks: one copy, so bench_layout and bench_freeze measure the same reader. */
#ifndef MS_BENCH_READER_PARAMS_H
#define MS_BENCH_READER_PARAMS_H

#include "ui/pagelayout.h"

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

#endif
