/* same_view.c — test helper: exits 0 when two `describe` files show the same screen with the same elements
 * (role, text, bounds), else prints the first difference and exits 1. Used to check that a restart lands on
 * the exact page and position the patient left. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cJSON *load(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "same_view: cannot open %s\n", path);
        exit(2);
    }
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    cJSON *j = cJSON_ParseWithLength(buf, n);
    if (!j) {
        fprintf(stderr, "same_view: %s is not JSON\n", path);
        exit(2);
    }
    return j;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: same_view A.json B.json\n");
        return 2;
    }
    cJSON *a = load(argv[1]), *b = load(argv[2]);
    const char *sa = cJSON_GetStringValue(cJSON_GetObjectItem(a, "screen"));
    const char *sb = cJSON_GetStringValue(cJSON_GetObjectItem(b, "screen"));
    if (!sa || !sb || strcmp(sa, sb) != 0) {
        fprintf(stderr, "same_view: screen %s vs %s\n", sa ? sa : "?", sb ? sb : "?");
        return 1;
    }
    cJSON *ea = cJSON_GetObjectItem(a, "elements"), *eb = cJSON_GetObjectItem(b, "elements");
    int na = cJSON_GetArraySize(ea), nb = cJSON_GetArraySize(eb);
    if (na == 0 || na != nb) {
        fprintf(stderr, "same_view: %d vs %d elements\n", na, nb);
        return 1;
    }
    for (int i = 0; i < na; i++) {
        char *pa = cJSON_PrintUnformatted(cJSON_GetArrayItem(ea, i));
        char *pb = cJSON_PrintUnformatted(cJSON_GetArrayItem(eb, i));
        int same = strcmp(pa, pb) == 0;
        if (!same) fprintf(stderr, "same_view: element %d differs:\n  %s\n  %s\n", i, pa, pb);
        free(pa);
        free(pb);
        if (!same) return 1;
    }
    printf("same_view: %s, %d elements identical\n", sa, na);
    cJSON_Delete(a);
    cJSON_Delete(b);
    return 0;
}
