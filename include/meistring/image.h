/* image.h — what an image of the programme would cost to decode, read from its header before anything decodes
 * it. A 7.5 MB SVG once froze the reader (and its «Hjelp nå» button) for 42 s: an image is now shown only when
 * its file size, its pixel count (PNG IHDR, JPEG SOF) or, for SVG, its size and complexity are within the
 * budgets of config.h. The validator and the renderer ask the same questions here. No SDL: bytes in, verdict out.
 * The decoders are here too (image_decode.c): libpng, libjpeg-turbo and nanosvg, each called for its format only —
 * not SDL_image, which maps libtiff, libwebp and libstdc++ at every start for formats the content never has. */
#ifndef MEISTRING_IMAGE_H
#define MEISTRING_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { IMAGE_UNKNOWN = 0, IMAGE_PNG, IMAGE_JPEG, IMAGE_SVG } image_format;

typedef enum {
    IMAGE_OK = 0,
    IMAGE_MISSING,   /* no such file, or not a regular file */
    IMAGE_UNREADABLE,
    IMAGE_TOO_BIG,   /* file over MS_IMAGE_MAX_BYTES (an SVG over MS_IMAGE_MAX_SVG_BYTES) */
    IMAGE_FORMAT,    /* not PNG, JPEG or SVG: nothing bounds what decoding it would cost */
    IMAGE_HEADER,    /* PNG or JPEG whose header does not say its size */
    IMAGE_PIXELS,    /* width × height over MS_IMAGE_MAX_PIXELS */
    IMAGE_COMPLEX,   /* SVG with too many elements or numbers, JPEG with too many scans */
    IMAGE_UNDECODED, /* passed the checks, but the decoder refused it (set by the renderer) */
} image_status;

typedef struct {
    image_format format;
    size_t bytes;
    uint32_t width, height; /* PNG, JPEG: from the header. SVG: 0 (it is drawn at the size of its frame) */
    uint32_t elements;      /* SVG: elements, as its parser would count them; JPEG: scans */
    uint32_t numbers;       /* SVG: numbers (coordinates, lengths) */
} image_info;

/* Checks an image held in memory (the whole file). Fills info (as far as it got) and, unless IMAGE_OK,
 * a sentence for a content author in why (may be NULL). Reads every byte at most once: O(len). */
image_status image_probe(const void *data, size_t len, image_info *info, char *why, size_t whycap);

/* Reads the file at path, refusing it by size before reading (stat), and probes it. On IMAGE_OK, *data holds
 * the file (malloc'ed; the caller frees it) when data is non-NULL: decode these bytes, not the file again, so
 * what was checked is what is decoded. */
image_status image_load_file(const char *path, void **data, size_t *len, image_info *info, char *why,
                             size_t whycap);

/* The largest number of pixels an SVG with info's elements may be rasterised at (MS_IMAGE_MAX_SVG_WORK shared
 * among its elements, at most MS_IMAGE_MAX_PIXELS): the renderer scales a bigger frame's raster up instead. */
uint32_t image_svg_pixel_budget(const image_info *info);

/* Decoded pixels: 8-bit RGBA (bytes R, G, B, A in that order, not premultiplied), rows of 4 × width bytes. */
typedef struct {
    uint32_t width, height;
    unsigned char *rgba; /* malloc'ed: image_pixels_free */
} image_pixels;

/* Decodes bytes that image_probe accepted (info is what it said) with the decoder of their format. An SVG is
 * rasterised to fit within w × h with its own shape (as SDL_image's IMG_LoadSizedSVG_RW did: the 96 dpi pixel
 * size scaled by the smaller of w/width and h/height); w and h do not matter for PNG and JPEG. IMAGE_UNDECODED and
 * a sentence in why when the decoder refuses the bytes; IMAGE_PIXELS when what it would decode is over
 * MS_IMAGE_MAX_PIXELS or is not the size the header promised. */
image_status image_decode(const void *data, size_t len, const image_info *info, int w, int h, image_pixels *out,
                          char *why, size_t whycap);
void image_pixels_free(image_pixels *px); /* NULL or empty is a no-op */

/* Writes RGBA pixels as a PNG file (the harness's screenshots). */
bool image_write_png(const char *path, const image_pixels *px);

#endif
