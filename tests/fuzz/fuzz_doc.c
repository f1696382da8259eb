/* fuzz_doc.c — libFuzzer target for the content parser: the input is one document; the first byte picks
 * whether it is parsed as programme.json or as a module of a fixed one-module programme. Build with
 * -DMEISTRING_FUZZ=ON using clang (see tests/fuzz/README.md). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "meistring/doc.h"

static const char PROG[] = "{\"format\":1,\"id\":\"p\",\"title\":\"T\",\"language\":\"nb\",\"modules\":"
                           "[{\"id\":\"m1\",\"number\":1,\"title\":\"M\",\"file\":\"m1.json\",\"unlocked\":true}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    doc_error err;
    doc_programme *p = NULL;
    if (data[0] & 1) {
        if (doc_parse_programme((const char *)data + 1, size - 1, "fuzz", &p, &err) == DOC_OK) {
            doc_programme_free(p);
        } else if (err.msg[0] == '\0') {
            __builtin_trap(); /* every failure must say why */
        }
        return 0;
    }
    if (doc_parse_programme(PROG, strlen(PROG), "programme.json", &p, &err) != DOC_OK) __builtin_trap();
    if (doc_parse_module(p, 0, (const char *)data + 1, size - 1, "m1.json", &err) == DOC_OK) {
        /* walk what was parsed, as the reader would */
        for (size_t i = 0; i < p->modules[0].n_pages; i++)
            (void)doc_page_word_count(&p->modules[0].pages[i]);
    } else if (err.msg[0] == '\0') {
        __builtin_trap();
    }
    doc_programme_free(p);
    return 0;
}
