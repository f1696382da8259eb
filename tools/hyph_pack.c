/* hyph_pack.c — hyph_pack DIC TAB: writes libhyphen's tables for the pattern file DIC to TAB (hyphen.h), so
 * the client reads them whole instead of building them with libhyphen's loader at twice their size.
 * Run by the build, beside each converted pattern file. */
#include <stdio.h>

#include "meistring/hyphen.h"

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: hyph_pack PATTERNS.dic OUT.tab\n");
        return 2;
    }
    char err[512];
    if (!hyph_pack(argv[1], argv[2], err, sizeof err)) {
        fprintf(stderr, "hyph_pack: %s\n", err);
        return 1;
    }
    return 0;
}
