/* test_fontfile.c — font files read through kept blocks (src/ui/fontfile.c): every read gives the file's own bytes,
 * across block boundaries, at its end, large and small, from streams with positions of their own; small reads
 * come from the blocks, not a system call each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <SDL2/SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meistring/config.h"
#include "../../src/ui/fontfile.h"

#define FONT MEISTRING_SOURCE_ROOT "/fonts/NotoSans-Regular.ttf"

static unsigned char *whole(size_t *len) {
    FILE *f = fopen(FONT, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc(*len);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, *len, f), *len);
    fclose(f);
    return b;
}

static void test_reads_give_the_files_bytes(void **state) {
    (void)state;
    size_t len;
    unsigned char *ref = whole(&len);
    fontfile *ff = fontfile_new();
    assert_non_null(ff);
    assert_true(fontfile_open(ff, 0, FONT));
    assert_true(fontfile_open(ff, 0, FONT)); /* the same file again: opened once */
    SDL_RWops *a = fontfile_stream(ff, 0), *b = fontfile_stream(ff, 0);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(SDL_RWsize(a), (Sint64)len);
    unsigned char buf[3 * MS_FONTFILE_BLOCK];
    /* small reads on both sides of a block's end, a large one, one past the file's end */
    const struct {
        Sint64 at;
        size_t n;
    } reads[] = {{0, 12},
                 {MS_FONTFILE_BLOCK - 3, 7},
                 {2 * MS_FONTFILE_BLOCK - 1, 2},
                 {100, sizeof buf},
                 {(Sint64)len - 5, 5},
                 {(Sint64)len - 2, 8},
                 {5, 1}};
    for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) {
        SDL_RWops *rw = i % 2 ? a : b;
        assert_int_equal(SDL_RWseek(rw, reads[i].at, RW_SEEK_SET), reads[i].at);
        size_t want = reads[i].at + (Sint64)reads[i].n > (Sint64)len ? len - (size_t)reads[i].at : reads[i].n;
        assert_int_equal(SDL_RWread(rw, buf, 1, reads[i].n), want);
        assert_memory_equal(buf, ref + reads[i].at, want);
        assert_int_equal(SDL_RWtell(rw), reads[i].at + (Sint64)want);
    }
    /* read on from where it is, then from the end */
    assert_int_equal(SDL_RWseek(a, 40, RW_SEEK_SET), 40);
    assert_int_equal(SDL_RWread(a, buf, 2, 3), 3);
    assert_int_equal(SDL_RWread(a, buf + 6, 2, 3), 3);
    assert_memory_equal(buf, ref + 40, 12);
    assert_int_equal(SDL_RWseek(a, -4, RW_SEEK_END), (Sint64)len - 4);
    assert_int_equal(SDL_RWread(a, buf, 1, 4), 4);
    assert_memory_equal(buf, ref + len - 4, 4);
    assert_int_equal(SDL_RWread(a, buf, 1, 4), 0);
    assert_int_equal(SDL_RWwrite(a, buf, 1, 1), 0);
    SDL_RWclose(a);
    SDL_RWclose(b);
    fontfile_stats st = fontfile_get_stats(ff);
    assert_int_equal(st.files, 1);
    assert_true(st.kept_bytes <= MS_FONTFILE_BLOCKS * MS_FONTFILE_BLOCK);
    fontfile_free(ff);
    free(ref);
}

/* An advance read 2 bytes at a time, as FreeType reads hmtx for each glyph it loads: from a kept block. */
static void test_small_reads_come_from_the_blocks(void **state) {
    (void)state;
    fontfile *ff = fontfile_new();
    assert_true(fontfile_open(ff, 3, FONT));
    SDL_RWops *rw = fontfile_stream(ff, 3);
    assert_non_null(rw);
    unsigned char two[2];
    for (int i = 0; i < 1000; i++) {
        SDL_RWseek(rw, 1000 + (i % 300) * 4, RW_SEEK_SET);
        assert_int_equal(SDL_RWread(rw, two, 1, 2), 2);
    }
    fontfile_stats st = fontfile_get_stats(ff);
    if (st.reads > 2) fail_msg("1,000 reads of 2 bytes within 1.2 KB cost %zu system calls", st.reads);
    SDL_RWclose(rw);
    assert_null(fontfile_stream(ff, 4)); /* not opened */
    assert_false(fontfile_open(ff, 5, MEISTRING_SOURCE_ROOT "/fonts/no-such-font.ttf"));
    fontfile_free(ff);
    fontfile_free(NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_give_the_files_bytes),
        cmocka_unit_test(test_small_reads_come_from_the_blocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
