/* fuzz_image.c — libFuzzer target for the image checks that stand before every decoder (src/core/image.c):
 * the programme's images come from the clinic's server, and the validator and the renderer both ask
 * image_probe what decoding one would cost. The input is the whole file. Besides the sanitizers: the status is
 * one of image.h's, a refusal says why, and an image let through is within every budget of config.h.
 * Then what the probe lets through is decoded as the renderer does it (image_decode: libpng, libjpeg-turbo, and
 * nanosvg, which is compiled into ms_core and so instrumented here): the pixels are within the budget and of the
 * header's size, a refusal says why and hands back nothing. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meistring/config.h"
#include "meistring/image.h"

#define CHECK(cond)                                                                                                    \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            fprintf(stderr, "fuzz_image: %s:%d: %s does not hold\n", __FILE__, __LINE__, #cond);                       \
            __builtin_trap();                                                                                          \
        }                                                                                                              \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    unsigned char *copy = malloc(size ? size : 1); /* exactly size bytes, so a read past the file is seen */
    if (!copy) abort();
    memcpy(copy, data, size);
    image_info info;
    char why[256];
    memset(why, 'x', sizeof why);
    image_status st = image_probe(copy, size, &info, why, sizeof why);
    CHECK(st >= IMAGE_OK && st <= IMAGE_UNDECODED && st != IMAGE_MISSING && st != IMAGE_UNREADABLE &&
          st != IMAGE_UNDECODED);
    CHECK(memchr(why, '\0', sizeof why) != NULL);
    CHECK(info.bytes == size);
    if (st != IMAGE_OK) {
        CHECK(why[0] != '\0');
    } else {
        CHECK(why[0] == '\0');
        CHECK(size <= MS_IMAGE_MAX_BYTES);
        switch (info.format) {
        case IMAGE_PNG:
        case IMAGE_JPEG:
            CHECK(info.width > 0 && info.height > 0);
            CHECK((uint64_t)info.width * info.height <= MS_IMAGE_MAX_PIXELS);
            if (info.format == IMAGE_JPEG) CHECK(info.elements <= MS_IMAGE_MAX_JPEG_SCANS);
            break;
        case IMAGE_SVG:
            CHECK(size <= MS_IMAGE_MAX_SVG_BYTES);
            CHECK(info.elements <= MS_IMAGE_MAX_SVG_ELEMENTS && info.numbers <= MS_IMAGE_MAX_SVG_NUMBERS);
            {
                uint32_t px = image_svg_pixel_budget(&info);
                CHECK(px > 0 && px <= MS_IMAGE_MAX_PIXELS);
                CHECK((uint64_t)px * (info.elements ? info.elements : 1) <= MS_IMAGE_MAX_SVG_WORK);
            }
            break;
        default: CHECK(!"an image let through whose format is unknown");
        }
    }
    /* the same bytes with no room for a reason still give the same verdict */
    image_info again;
    CHECK(image_probe(copy, size, &again, NULL, 0) == st);
    CHECK(memcmp(&again, &info, sizeof info) == 0);
    /* Decoded too, but a PNG or JPEG only up to 512 × 512: a 64 KiB file may declare 4 Mpx, and decoding that
     * under ASan takes the fuzzer's time without reaching any other code (the budget itself is checked above). */
    if (st == IMAGE_OK && (info.format == IMAGE_SVG || (uint64_t)info.width * info.height <= 512u * 512u)) {
        /* a frame of the reader's shape, an SVG's shrunk to its budget the way render.c does it */
        int w = 360, h = 240;
        if (info.format == IMAGE_SVG) {
            uint32_t budget = image_svg_pixel_budget(&info);
            while ((uint64_t)w * h > budget && w > 1 && h > 1)
                w /= 2, h /= 2;
        }
        image_pixels px;
        memset(why, 'x', sizeof why);
        image_status ds = image_decode(copy, size, &info, w, h, &px, why, sizeof why);
        CHECK(ds == IMAGE_OK || ds == IMAGE_UNDECODED || ds == IMAGE_PIXELS);
        CHECK(memchr(why, '\0', sizeof why) != NULL);
        if (ds == IMAGE_OK) {
            CHECK(px.rgba != NULL && px.width > 0 && px.height > 0);
            CHECK((uint64_t)px.width * px.height <= MS_IMAGE_MAX_PIXELS);
            if (info.format != IMAGE_SVG) CHECK(px.width == info.width && px.height == info.height);
            else CHECK(px.width <= (uint32_t)w + 1 && px.height <= (uint32_t)h + 1);
            volatile unsigned char sum = 0; /* every pixel byte is there to be read */
            for (size_t i = 0; i < (size_t)px.width * px.height * 4; i += 4093)
                sum ^= px.rgba[i];
            (void)sum;
        } else {
            CHECK(why[0] != '\0');
            CHECK(px.rgba == NULL);
        }
        image_pixels_free(&px);
    }
    free(copy);
    return 0;
}
