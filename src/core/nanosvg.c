/* nanosvg.c — the SVG parser and rasteriser (third_party/nanosvg: memononen/nanosvg, zlib licence, the same code
 * SDL_image uses for SVG), compiled here once. image_decode.c is its only caller; image_probe has bounded the
 * file's size, elements and numbers before it is parsed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NANOSVG_IMPLEMENTATION
#define NANOSVGRAST_IMPLEMENTATION
#include "nanosvg.h"
#include "nanosvgrast.h"
