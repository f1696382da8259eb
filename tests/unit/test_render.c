/* test_render.c — the renderer's text (src/ui/render.c) on SDL's software renderer, offscreen: text kept as
 * coverage and blended into the framebuffer gives the very pixels SDL_RenderCopy of SDL_ttf's blended texture gave
 * (opaque and translucent inks on each theme's paper, cut by a clip and by the window's edge), a font file opened
 * once serves every size (resized in place, it draws what a font opened at that size draws), and the table of
 * word widths keeps every width right while it grows and when its cap empties it, and forgets its words with the
 * rest of the kept text (a kiosk's reset). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meistring/config.h"
#include "ui/render.h"

#define W 240
#define H 90
#define FONT_DIR MEISTRING_SOURCE_ROOT "/fonts"

static SDL_Window *win;
static SDL_Renderer *rend;

static int setup(void **state) {
    (void)state;
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    if (SDL_Init(SDL_INIT_VIDEO) != 0 || TTF_Init() != 0) return -1;
    win = SDL_CreateWindow("test", 0, 0, W, H, SDL_WINDOW_HIDDEN);
    rend = win ? SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE) : NULL;
    return rend ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    SDL_DestroyRenderer(rend);
    SDL_DestroyWindow(win);
    TTF_Quit();
    SDL_Quit();
    return 0;
}

static void clear(uint32_t bg) {
    SDL_RenderSetClipRect(rend, NULL);
    SDL_SetRenderDrawBlendMode(rend, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(rend, (Uint8)(bg >> 24), (Uint8)(bg >> 16), (Uint8)(bg >> 8), 0xFF);
    SDL_RenderClear(rend);
}

static void read_screen(uint32_t *px) {
    assert_int_equal(SDL_RenderReadPixels(rend, NULL, SDL_PIXELFORMAT_ARGB8888, px, W * 4), 0);
}

/* What the client drew before text was kept as coverage: SDL_ttf's blended surface in the ink, as a texture,
 * copied by the renderer, from a font opened at that size. */
static void draw_as_texture(int px, uint32_t ink, const char *s, int x, int y, const SDL_Rect *clip) {
    TTF_Font *f = TTF_OpenFont(FONT_DIR "/NotoSans-Regular.ttf", px);
    assert_non_null(f);
    TTF_SetFontHinting(f, TTF_HINTING_LIGHT);
    SDL_Color c = {(Uint8)(ink >> 24), (Uint8)(ink >> 16), (Uint8)(ink >> 8), (Uint8)ink};
    SDL_Surface *surf = TTF_RenderUTF8_Blended(f, s, c);
    assert_non_null(surf);
    SDL_Texture *t = SDL_CreateTextureFromSurface(rend, surf);
    assert_non_null(t);
    SDL_Rect dst = {x, y, surf->w, surf->h};
    SDL_RenderSetClipRect(rend, clip);
    SDL_RenderCopy(rend, t, NULL, &dst);
    SDL_RenderSetClipRect(rend, NULL);
    SDL_DestroyTexture(t);
    SDL_FreeSurface(surf);
    TTF_CloseFont(f);
}

static void test_coverage_draws_what_the_texture_drew(void **state) {
    (void)state;
    char err[200];
    ren *rn = ren_new(rend, FONT_DIR, err, sizeof err);
    assert_non_null(rn);
    /* papers and inks of the themes (cream, white, dark, yellow on black), a link blue, and translucent inks */
    static const uint32_t pairs[][2] = {{0xFBF7EEFF, 0x1F1B16FF}, {0xFFFFFFFF, 0x111111FF}, {0x1B1B1BFF, 0xE8E2D6FF},
                                        {0x000000FF, 0xFFFF00FF}, {0xFBF7EEFF, 0x1A4A8AFF}, {0xFBF7EEFF, 0x1F1B1680},
                                        {0x1B1B1BFF, 0xFFFFFF33}};
    /* and small letters only: the rows above and below them are not kept, and it draws the same */
    static const char *const texts[] = {"Tåke, øyeblikk og ærlighet", "Hjelp nå", "«Kort fortalt» – 1×", "som man ser"};
    static uint32_t a[W * H], b[W * H];
    for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++)
        for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
            int px = 14 + (int)(k * 3 + t * 5) % 23; /* many sizes: the one font file is resized between them */
            int x = (int)t * 7 - 9, y = 5 + (int)k;  /* the first text starts left of the window */
            SDL_Rect clip = {12, 8, W - 40, H - 30};
            const SDL_Rect *cl = k % 2 ? &clip : NULL;
            int style = ren_style(rn, REN_REGULAR, px);
            assert_true(style >= 0);
            clear(pairs[k][0]);
            ren_clip(rn, cl);
            ren_text(rn, style, pairs[k][1], texts[t], strlen(texts[t]), x, y);
            ren_clip(rn, NULL);
            read_screen(a);
            clear(pairs[k][0]);
            draw_as_texture(px, pairs[k][1], texts[t], x, y, cl);
            read_screen(b);
            size_t differ = 0, first = 0;
            for (size_t i = 0; i < W * H; i++)
                if (a[i] != b[i] && differ++ == 0) first = i;
            if (differ)
                fail_msg("«%s» at %d px, ink %08x on %08x: %zu pixels differ, the first at (%zu, %zu): %08x, not %08x",
                         texts[t], px, pairs[k][1], pairs[k][0], differ, first % W, first / W, a[first], b[first]);
            /* and once more from what was kept */
            clear(pairs[k][0]);
            ren_clip(rn, cl);
            ren_text(rn, style, pairs[k][1], texts[t], strlen(texts[t]), x, y);
            ren_clip(rn, NULL);
            read_screen(a);
            assert_memory_equal(a, b, sizeof a);
        }
    ren_stats st = ren_get_stats(rn);
    /* coverage, not ink textures (4 bytes a pixel): under a byte a pixel, its blank runs skipped */
    assert_true(st.text_cache_bytes < st.text_cache_pixels);
    ren_free(rn);
}

/* A word's coverage keeps the rows with ink only (issue 14: the cache of a page's words was 1 MB, most of it the
 * blank rows above and below small letters), and what it drew says the text's whole box. */
static void test_coverage_keeps_only_the_rows_with_ink(void **state) {
    (void)state;
    char err[200];
    ren *rn = ren_new(rend, FONT_DIR, err, sizeof err);
    assert_non_null(rn);
    int style = ren_style(rn, REN_REGULAR, 27);
    assert_true(style >= 0);
    clear(0xFBF7EEFF);
    ren_log(rn, true);
    ren_text(rn, style, 0x1F1B16FF, "som man ser", strlen("som man ser"), 4, 4);
    const ren_drawn *d;
    assert_int_equal(ren_logged(rn, &d), 1);
    size_t box = (size_t)d[0].w * (size_t)d[0].h;
    ren_stats st = ren_get_stats(rn);
    assert_int_equal(st.text_cache_entries, 1);
    if (st.text_cache_pixels * 2 >= box)
        fail_msg("«som man ser» keeps %zu of its %d × %d px: its blank rows are kept", st.text_cache_pixels, d[0].w,
                 d[0].h);
    /* and of the rows kept, the blank pixels between strokes and letters are not (issue 14: 704 KB of a page's
     * words at one byte a pixel were a twentieth of the client's peak) */
    if (st.text_cache_bytes * 10 > st.text_cache_pixels * 7)
        fail_msg("«som man ser» keeps %zu bytes for its %zu px: its blank runs are kept", st.text_cache_bytes,
                 st.text_cache_pixels);
    ren_log(rn, false);
    ren_free(rn);
}

static void test_one_font_file_serves_every_size(void **state) {
    (void)state;
    char err[200];
    ren *rn = ren_new(rend, FONT_DIR, err, sizeof err);
    assert_non_null(rn);
    for (int px = 10; px <= 60; px += 5) {
        int style = ren_style(rn, REN_REGULAR, px);
        assert_true(style >= 0);
        assert_true(ren_measure(rn, style, "Kroppen", 7) > 0);
        TTF_Font *f = TTF_OpenFont(FONT_DIR "/NotoSans-Regular.ttf", px);
        assert_non_null(f);
        TTF_SetFontHinting(f, TTF_HINTING_LIGHT);
        assert_int_equal(ren_line_skip(rn, style), TTF_FontLineSkip(f));
        assert_int_equal(ren_ascent(rn, style), TTF_FontAscent(f));
        TTF_CloseFont(f);
    }
    ren_style(rn, REN_BOLD, 22);
    /* two files read, once each, whatever the sizes */
    assert_int_equal(ren_get_stats(rn).font_opens, 2);
    ren_free(rn);
}

static void test_word_widths_grow_and_stay_right(void **state) {
    (void)state;
    char err[200];
    ren *rn = ren_new(rend, FONT_DIR, err, sizeof err);
    ren *fresh = ren_new(rend, FONT_DIR, err, sizeof err);
    assert_non_null(rn);
    assert_non_null(fresh);
    int style = ren_style(rn, REN_REGULAR, 27), fstyle = ren_style(fresh, REN_REGULAR, 27);
    enum { KEEP = 200 };
    int first[KEEP];
    char w[32];
    /* more distinct words than the cap holds: the table grows, then is emptied once and fills again */
    for (int i = 0; i < MS_REN_WORD_CAP + 500; i++) {
        int n = snprintf(w, sizeof w, "ord%dæ", i);
        int got = ren_measure(rn, style, w, (size_t)n);
        if (i < KEEP) first[i] = got;
        assert_true(ren_get_stats(rn).word_widths <= MS_REN_WORD_CAP);
    }
    assert_true(ren_get_stats(rn).word_widths < 1000); /* emptied at the cap, refilled since */
    for (int i = 0; i < KEEP; i++) {
        int n = snprintf(w, sizeof w, "ord%dæ", i);
        assert_int_equal(ren_measure(rn, style, w, (size_t)n), first[i]);
        assert_int_equal(ren_measure(fresh, fstyle, w, (size_t)n), first[i]);
    }
    /* a kiosk's reset and the tablet's lock forget the words measured with the rest of the text kept */
    assert_true(ren_get_stats(rn).word_widths > 0);
    ren_forget_text(rn);
    assert_int_equal(ren_get_stats(rn).word_widths, 0);
    assert_int_equal(ren_get_stats(rn).text_cache_entries, 0);
    assert_int_equal(ren_measure(rn, style, "ord7æ", strlen("ord7æ")), first[7]);
    ren_free(rn);
    ren_free(fresh);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_coverage_draws_what_the_texture_drew),
        cmocka_unit_test(test_coverage_keeps_only_the_rows_with_ink),
        cmocka_unit_test(test_one_font_file_serves_every_size),
        cmocka_unit_test(test_word_widths_grow_and_stay_right),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
