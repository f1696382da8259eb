/* test_texcache.c — the text cache (src/ui/texcache.c): coverage entries are found again by their text and style
 * while its hash table grows, and the table grows with the entries (issue 14: sized for 4,096 entries from the
 * start it was 64 KB, every page of it touched by the few hundred words of a page). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/ui/texcache.h"

static void test_entries_found_while_the_table_grows(void **state) {
    (void)state;
    texcache *c = texcache_new(NULL, 4096, 1u << 30);
    assert_non_null(c);
    if (texcache_get_stats(c).index_bytes > 4096)
        fail_msg("an empty cache's table takes %zu bytes", texcache_get_stats(c).index_bytes);
    char word[32];
    for (int i = 0; i < 1500; i++) {
        snprintf(word, sizeof word, "ord%d", i);
        uint8_t *cov = malloc(4);
        assert_non_null(cov);
        memset(cov, i & 0xFF, 4);
        texcache_put_coverage(c, (uint32_t)(i % 3), word, strlen(word), cov, 4, 2, 2, 0, 2);
        texcache_stats st = texcache_get_stats(c);
        /* at most 8 buckets an entry (and the 256 it starts with) */
        if (st.index_bytes > (st.entries * 8 > 256 ? st.entries * 8 : 256) * sizeof(void *))
            fail_msg("%zu entries, a table of %zu bytes", st.entries, st.index_bytes);
    }
    for (int i = 0; i < 1500; i++) {
        snprintf(word, sizeof word, "ord%d", i);
        int w, h, top, rows;
        const uint8_t *cov = texcache_get_coverage(c, (uint32_t)(i % 3), word, strlen(word), &w, &h, &top, &rows);
        if (!cov) fail_msg("«%s» lost after the table grew", word);
        assert_int_equal(cov[3], i & 0xFF);
        assert_int_equal(w, 2);
        assert_null(texcache_get_coverage(c, (uint32_t)(i % 3) + 1, word, strlen(word), &w, &h, &top, &rows));
    }
    texcache_stats st = texcache_get_stats(c);
    assert_int_equal(st.entries, 1500);
    assert_int_equal(st.bytes, 1500 * 4);
    texcache_clear(c);
    assert_int_equal(texcache_get_stats(c).entries, 0);
    texcache_free(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entries_found_while_the_table_grows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
