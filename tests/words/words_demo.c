/* words_demo.c — issue 13's figures: every text of the demo programme laid out as the client lays it out (the
 * reader's pages with their boxes, and an exercise's and a questionnaire's screen texts and buttons), with real
 * fonts, on a 360 × 640 phone and an 800 × 1280 tablet at 100–400 %. Prints words broken across lines, breaks
 * drawn with no hyphen and pieces shorter than the 2-left/3-right rule, and fails when any break lacks its
 * hyphen or any piece is short. */
#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <stdio.h>
#include <string.h>

#include "meistring/doc.h"
#include "meistring/hyphen.h"
#include "ui/pagelayout.h"
#include "ui/render.h"
#include "ui/theme.h"
#include "ui/view.h"
#include "ui/widgets.h"
#include "../../bench/reader_params.h"

/* The screen texts of exercises and questionnaires, at the sizes and widths their screens use (exercise.c,
 * questionnaire.c): reading text at the reading size over the column, answers and options as buttons. */
static void screen_texts(ui_ctx *u, const doc_programme *prog, int body_px, int colw) {
    for (size_t m = 0; m < prog->n_modules; m++)
        for (size_t p = 0; p < prog->modules[m].n_pages; p++) {
            const doc_page *pg = &prog->modules[m].pages[p];
            for (size_t b = 0; b < pg->n_blocks; b++) {
                const doc_block *bl = &pg->blocks[b];
                if (bl->type == DOC_BLOCK_EXERCISE) {
                    ui_heading(u, bl->title, DP_H1, 0, 0, colw);
                    for (size_t f = 0; f < bl->n_fields; f++) {
                        const doc_field *fd = &bl->fields[f];
                        ui_text(u, fd->label, REN_BOLD, body_px, 0, 0, 0, colw, ROLE_FIELD);
                        if (fd->placeholder) ui_text(u, fd->placeholder, REN_ITALIC, body_px, 0, 0, 0, colw, -1);
                        for (size_t o = 0; o < fd->n_options; o++)
                            ui_button(u, 0, 0, colw, ui_px(u, DP_BUTTON), fd->options[o], BTN_SECONDARY, 0, 0);
                        for (size_t c = 0; c < fd->n_columns; c++)
                            ui_text(u, fd->columns[c].label, REN_BOLD, ui_font(u, DP_SMALL + 1), 0, 0, 0, colw, -1);
                    }
                } else if (bl->type == DOC_BLOCK_QUESTIONNAIRE) {
                    ui_heading(u, bl->title, DP_H1, 0, 0, colw);
                    for (size_t q = 0; q < bl->n_qitems; q++) {
                        const doc_qitem *qi = &bl->qitems[q];
                        ui_text(u, qi->text, REN_BOLD, body_px, 0, 0, 0, colw, ROLE_TEXT);
                        const doc_option *o = qi->n_options ? qi->options : bl->options;
                        size_t no = qi->n_options ? qi->n_options : bl->n_options;
                        for (size_t k = 0; k < no; k++)
                            ui_button(u, 0, 0, colw, ui_px(u, DP_BUTTON_BIG), o[k].label, BTN_SECONDARY, 0, 0);
                    }
                }
            }
        }
}

int main(void) {
    bench_offscreen b;
    if (!bench_offscreen_open(&b, "words_demo", true)) {
        bench_offscreen_close(&b);
        return 1;
    }
    ren *rn = b.rn;
    const doc_programme *prog = b.prog;
    const char *dir = b.dir;
    char err[256];
    hyph *h = hyph_load(MEISTRING_HYPH_DIR "/hyph_nb_NO.dic", err, sizeof err);
    if (!h) {
        fprintf(stderr, "words_demo: %s\n", err);
        bench_offscreen_close(&b);
        return 1;
    }
    static const struct {
        int w, h, pct;
    } sizes[] = {{360, 640, 100}, {360, 640, 200}, {360, 640, 300}, {360, 640, 400}, {800, 1280, 400}};
    layout_word_stats all = {0};
    view v;
    view_init(&v);
    ui_ctx u;
    ui_ctx_init(&u);
    u.hyph = h;
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        double dp = sizes[s].w < sizes[s].h ? sizes[s].w / 600.0 : sizes[s].h / 600.0;
        if (dp < 1.0) dp = 1.0;
        ui_ctx_frame(&u, rn, theme_by_name("cream"), &v, sizes[s].w, sizes[s].h, dp, sizes[s].pct);
        int body = (int)(DP_BODY * dp * sizes[s].pct / 100 + 0.5);
        int colw = ui_column_width(&u, body);
        layout_word_stats pages = {0}, screens = {0};
        for (size_t m = 0; m < prog->n_modules; m++)
            for (size_t p = 0; p < prog->modules[m].n_pages; p++) {
                pl_params pp = bench_reader_params(dp, sizes[s].pct, colw, dir, h);
                pp.pad = (int)(16 * dp);
                pp.questionnaire_open = "Svar på skjemaet";
                pp.questionnaire_count = "{1} spørsmål, ett om gangen";
                pagelayout *pl = pl_build(rn, &prog->modules[m].pages[p], &pp);
                if (pl) pl_word_stats(pl, &pages);
                pl_free(pl);
            }
        u.tally = &screens;
        view_reset(&v);
        screen_texts(&u, prog, body, colw);
        u.tally = NULL;
        printf("%dx%d %d%%: pages broken=%d no-hyphen=%d short=%d forced=%d over=%d; screens broken=%d "
               "no-hyphen=%d short=%d forced=%d over=%d\n",
               sizes[s].w, sizes[s].h, sizes[s].pct, pages.broken, pages.no_hyphen, pages.short_pieces, pages.forced,
               pages.overflow, screens.broken, screens.no_hyphen, screens.short_pieces, screens.forced,
               screens.overflow);
        all.broken += pages.broken + screens.broken;
        all.no_hyphen += pages.no_hyphen + screens.no_hyphen;
        all.short_pieces += pages.short_pieces + screens.short_pieces;
        all.forced += pages.forced + screens.forced;
        all.overflow += pages.overflow + screens.overflow;
    }
    printf("total: broken=%d no-hyphen=%d short=%d forced=%d over=%d\n", all.broken, all.no_hyphen, all.short_pieces,
           all.forced, all.overflow);
    /* everything freed: the ASan build checks this program for leaks */
    ui_ctx_deinit(&u);
    view_deinit(&v);
    hyph_free(h);
    bench_offscreen_close(&b);
    return all.no_hyphen || all.short_pieces || all.overflow ? 1 : 0;
}
