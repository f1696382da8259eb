/* fuzz_numbers.c — libFuzzer target for tts_say_numbers (src/core/tts.c): it rewrites every text read aloud (a
 * module's pages come from the server, so any bytes may arrive) so phone numbers are said digit by digit. Besides
 * the sanitizers: the output fits the documented 2 * len + 1 bytes and is NUL-ended, every output byte maps back
 * to a byte of the input, in order (the word being said is lit from that map), and a text with no digits comes
 * back unchanged. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "meistring/tts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1), *out = malloc(2 * size + 1);
    uint32_t *from = malloc((2 * size + 1) * sizeof *from);
    if (!text || !out || !from) abort();
    memcpy(text, data, size);
    text[size] = '\0';
    size_t n = tts_say_numbers(text, size, out, from);
    if (n > 2 * size || out[n] != '\0') abort();
    for (size_t i = 0; i < n; i++) {
        if (from[i] >= size) abort();
        if (i && from[i] < from[i - 1]) abort();
    }
    bool digits = false;
    for (size_t i = 0; i < size; i++)
        if (text[i] >= '0' && text[i] <= '9') digits = true;
    if (!digits && (n != size || memcmp(out, text, size) != 0)) abort();
    free(text);
    free(out);
    free(from);
    return 0;
}
