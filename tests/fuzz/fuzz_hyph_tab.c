/* fuzz_hyph_tab.c — libFuzzer target for the packed hyphenation tables (src/text/hyphen.c: the .tab image that
 * hyph_pack writes beside a pattern file and hyph_load reads back, turning its stored offsets into pointers).
 * A .tab is a file on the tablet's disk: a damaged or half-copied one must be refused — libhyphen then reads the
 * .dic itself — and never followed. Input: edits to a real image, packed at start from a small pattern file
 * written here (so the header's fingerprint of that file matches): each 6 bytes, a 4-byte offset (modulo the
 * file's size, the header included) and a 2-byte value written there. Then hyph_load, and words hyphenated with
 * what it loaded: every break inside its word, ascending, end <= resume.
 * What refuses damage is the image's checksum. An earlier version of this target wrote the checksum again after
 * its edits, to reach the offset checks behind it: it found a state with transitions but no table (fixed: the
 * checks are defence in depth), and then tables whose fallback chains and replacement indices send libhyphen's
 * own state machine into a loop that allocates without end. libhyphen trusts the tables its loader built;
 * proving every such invariant again here would be a second libhyphen. So the checksum is the line: an image is
 * used only as hyph_pack wrote it (a file crafted with a matching checksum needs write access to the client's
 * own install, which is already everything). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "meistring/hyphen.h"

#define HEADER_BYTES 56 /* sizeof tab_header in hyphen.c (asserted there): magic 8, four uint32, four uint64 */

static char dic[256], tab[256];
static unsigned char *base;
static size_t base_len;

static const char *const PATTERNS = "UTF-8\nLEFTHYPHENMIN 2\nRIGHTHYPHENMIN 3\n"
                                    "1ba\n1be\n1bi\n1da\n1de\n1ka\n1ke\n1la\n1le\n1ma\n1me\n1na\n1ne\n1ra\n1re\n"
                                    "1sa\n1se\n1ta\n1te\n1va\n1ve\nn1n\ns1k\nt1t\nl1l\nr1r\n1kø\n1så\n1bæ\n"
                                    "a1a\ne1e\ni1o\nsk2r\nst2r\n.an1\n.be1\n.fo1r\n";

static const char *const WORDS[] = {"panikkanfall", "bekymringstanker", "selvhjelpsprogram", "behandleren",
                                    "kjærlighetssorg", "sønnesønnen", "registreringene", "ånde"};

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    char dir[] = "/tmp/meistring-fuzz-tab-XXXXXX";
    if (!mkdtemp(dir)) abort();
    snprintf(dic, sizeof dic, "%s/tiny.dic", dir);
    snprintf(tab, sizeof tab, "%s/tiny.tab", dir);
    FILE *f = fopen(dic, "wb");
    if (!f || fputs(PATTERNS, f) < 0 || fclose(f) != 0) abort();
    char err[256];
    if (!hyph_pack(dic, tab, err, sizeof err)) {
        fprintf(stderr, "fuzz_hyph_tab: %s\n", err);
        abort();
    }
    f = fopen(tab, "rb");
    if (!f) abort();
    fseek(f, 0, SEEK_END);
    base_len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    base = malloc(base_len);
    if (!base || base_len <= HEADER_BYTES || fread(base, 1, base_len, f) != base_len) abort();
    fclose(f);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    unsigned char *img = malloc(base_len);
    if (!img) abort();
    memcpy(img, base, base_len);
    for (size_t i = 0; i + 6 <= size; i += 6) {
        uint32_t at;
        memcpy(&at, data + i, 4);
        size_t off = at % (base_len - 1);
        img[off] = data[i + 4];
        img[off + 1] = data[i + 5];
    }
    FILE *f = fopen(tab, "wb");
    if (!f || fwrite(img, 1, base_len, f) != base_len || fclose(f) != 0) abort();
    free(img);

    char err[256];
    hyph *h = hyph_load(dic, err, sizeof err);
    if (!h) abort(); /* the .dic is fine: a bad .tab only means libhyphen reads the .dic */
    for (size_t w = 0; w < sizeof WORDS / sizeof WORDS[0]; w++) {
        hyph_break out[64];
        size_t len = strlen(WORDS[w]);
        int n = hyph_breaks(h, WORDS[w], len, out, 64);
        uint32_t last = 0;
        for (int k = 0; k < n; k++) {
            if (out[k].end == 0 || out[k].end > out[k].resume || out[k].resume >= len || out[k].end < last) abort();
            last = out[k].resume;
        }
    }
    hyph_free(h);
    return 0;
}
