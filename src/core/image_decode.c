/* image_decode.c — the programme's images decoded by a well-kept library for each format the content allows
 * (docs/content-format.md: PNG, JPEG, SVG), after image_probe has bounded what decoding may cost:
 *   PNG  libpng's simplified API (Debian libpng16, already mapped by FreeType);
 *   JPEG libjpeg-turbo (Debian libjpeg62-turbo), errors caught with setjmp as its manual shows; opened (dlopen)
 *        when the first JPEG is decoded, not linked: a programme of SVG drawings never needs its 136 kB;
 *   SVG  nanosvg (third_party/nanosvg, compiled in by nanosvg.c) — the parser and rasteriser SDL_image itself
 *        uses for SVG; Debian 12 has no package of it, and librsvg would map cairo, pango and GLib instead.
 * Why not SDL_image (issue 14): Debian's links libtiff, libwebp, libLerc, libjbig, libdeflate and with them
 * libstdc++ — 8 shared libraries and ~1.5 MB resident at every start for formats we never show. */
#include "meistring/image.h"

#include <dlfcn.h>
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h> /* after stdio.h: it uses FILE */

#include "meistring/config.h"
#include "image_internal.h"
#include "nanosvg_api.h"
#include "dlfn.h"

static bool pixels_ok(uint64_t w, uint64_t h) { return w > 0 && h > 0 && w * h <= MS_IMAGE_MAX_PIXELS; }

static image_status decode_png(const void *data, size_t len, const image_info *info, image_pixels *out, char *why,
                               size_t cap) {
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&im, data, len)) {
        image_say(why, cap, "the PNG could not be decoded: %s", im.message);
        png_image_free(&im);
        return IMAGE_UNDECODED;
    }
    if (!pixels_ok(im.width, im.height) || im.width != info->width || im.height != info->height) {
        image_say(why, cap, "the PNG decodes to %u × %u pixels, not what its header said", (unsigned)im.width,
                  (unsigned)im.height);
        png_image_free(&im);
        return IMAGE_PIXELS;
    }
    im.format = PNG_FORMAT_RGBA;
    unsigned char *rgba = malloc(PNG_IMAGE_SIZE(im));
    if (!rgba || !png_image_finish_read(&im, NULL, rgba, 0, NULL)) {
        image_say(why, cap, "the PNG could not be decoded: %s", rgba ? im.message : "out of memory");
        free(rgba);
        png_image_free(&im);
        return IMAGE_UNDECODED;
    }
    out->width = im.width;
    out->height = im.height;
    out->rgba = rgba;
    return IMAGE_OK;
}

/* The soname of the libjpeg this was built against (Debian's libjpeg62-turbo). */
#define JPEG_LIBRARY "libjpeg.so.62"

/* libjpeg's functions, once the library is open (it stays open). Each pointer's type is taken from jpeglib.h's own
 * declaration (__typeof__), so a header that changed a signature changes the pointer with it: nothing is linked
 * against libjpeg, and nothing is restated here that could go stale. */
static struct {
    __typeof__(&jpeg_std_error) std_error;
    __typeof__(&jpeg_CreateDecompress) create_decompress;
    __typeof__(&jpeg_mem_src) mem_src;
    __typeof__(&jpeg_read_header) read_header;
    __typeof__(&jpeg_start_decompress) start_decompress;
    __typeof__(&jpeg_read_scanlines) read_scanlines;
    __typeof__(&jpeg_finish_decompress) finish_decompress;
    __typeof__(&jpeg_destroy_decompress) destroy_decompress;
} jl;

static bool jpeg_open(char *why, size_t cap) {
    if (jl.destroy_decompress) return true;
    void *lib = dlopen(JPEG_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        image_say(why, cap, "the JPEG could not be decoded: %s", dlerror());
        return false;
    }
    if (!dlfn_get(lib, "jpeg_std_error", &jl.std_error) ||
        !dlfn_get(lib, "jpeg_CreateDecompress", &jl.create_decompress) || !dlfn_get(lib, "jpeg_mem_src", &jl.mem_src) ||
        !dlfn_get(lib, "jpeg_read_header", &jl.read_header) ||
        !dlfn_get(lib, "jpeg_start_decompress", &jl.start_decompress) ||
        !dlfn_get(lib, "jpeg_read_scanlines", &jl.read_scanlines) ||
        !dlfn_get(lib, "jpeg_finish_decompress", &jl.finish_decompress) ||
        !dlfn_get(lib, "jpeg_destroy_decompress", &jl.destroy_decompress)) {
        image_say(why, cap, "the JPEG could not be decoded: %s lacks a function", JPEG_LIBRARY);
        memset(&jl, 0, sizeof jl);
        dlclose(lib);
        return false;
    }
    return true;
}

typedef struct {
    struct jpeg_error_mgr mgr;
    jmp_buf jump;
    char msg[JMSG_LENGTH_MAX];
} jpeg_err;

static void jpeg_fail(j_common_ptr c) {
    jpeg_err *e = (jpeg_err *)(void *)c->err;
    c->err->format_message(c, e->msg);
    longjmp(e->jump, 1);
}

static void jpeg_quiet(j_common_ptr c) { (void)c; } /* warnings: libjpeg would print them on stderr */

static image_status decode_jpeg(const void *data, size_t len, const image_info *info, image_pixels *out, char *why,
                                size_t cap) {
    struct jpeg_decompress_struct j;
    jpeg_err err;
    unsigned char *volatile rgba = NULL;
    if (!jpeg_open(why, cap)) return IMAGE_UNDECODED;
    j.err = jl.std_error(&err.mgr);
    err.mgr.error_exit = jpeg_fail;
    err.mgr.output_message = jpeg_quiet;
    err.msg[0] = '\0';
    if (setjmp(err.jump)) {
        image_say(why, cap, "the JPEG could not be decoded: %s", err.msg);
        jl.destroy_decompress(&j);
        free(rgba);
        return IMAGE_UNDECODED;
    }
    jl.create_decompress(&j, JPEG_LIB_VERSION, sizeof j); /* jpeg_create_decompress */
    jl.mem_src(&j, data, (unsigned long)len);
    jl.read_header(&j, TRUE);
    if (!pixels_ok(j.image_width, j.image_height) || j.image_width != info->width || j.image_height != info->height) {
        image_say(why, cap, "the JPEG decodes to %u × %u pixels, not what its header said", (unsigned)j.image_width,
                  (unsigned)j.image_height);
        jl.destroy_decompress(&j);
        return IMAGE_PIXELS;
    }
    /* CMYK (print files, Adobe's inverted form): decoded as such and turned into RGB below */
    bool cmyk = j.jpeg_color_space == JCS_CMYK || j.jpeg_color_space == JCS_YCCK;
    j.out_color_space = cmyk ? JCS_CMYK : JCS_EXT_RGBA;
    jl.start_decompress(&j);
    size_t stride = (size_t)j.output_width * 4;
    rgba = malloc(stride * j.output_height);
    if (!rgba) {
        snprintf(err.msg, sizeof err.msg, "out of memory");
        longjmp(err.jump, 1);
    }
    while (j.output_scanline < j.output_height) {
        JSAMPROW row = rgba + (size_t)j.output_scanline * stride;
        jl.read_scanlines(&j, &row, 1);
    }
    jl.finish_decompress(&j);
    out->width = j.output_width;
    out->height = j.output_height;
    jl.destroy_decompress(&j);
    if (cmyk) {
        size_t n = (size_t)out->width * out->height;
        for (size_t i = 0; i < n; i++) {
            unsigned char *p = rgba + 4 * i;
            unsigned k = p[3];
            p[0] = (unsigned char)(p[0] * k / 255);
            p[1] = (unsigned char)(p[1] * k / 255);
            p[2] = (unsigned char)(p[2] * k / 255);
            p[3] = 255;
        }
    }
    out->rgba = rgba;
    return IMAGE_OK;
}

/* True when every point nanosvg's rasteriser will make of the drawing at this scale lies within
 * MS_IMAGE_MAX_SVG_REACH pixels of its frame: path points (a curve's stay within its control points), a stroke's
 * half width times its mitre limit on either side of them, and gradients' transforms finite; and its dashes are
 * at most MS_IMAGE_MAX_SVG_DASHES (each is drawn as a stroke of its own). The rasteriser turns
 * edges into 22.10 fixed point in an int with no range check (nanosvg issue #292). */
static bool svg_within_reach(const NSVGimage *im, double scale) {
    const double reach = MS_IMAGE_MAX_SVG_REACH;
    double dashes = 0;
    for (const NSVGshape *sh = im->shapes; sh; sh = sh->next) {
        if (sh->strokeDashCount > 0) {
            /* the rasteriser's dashes: the path's length (its control polygon's, a curve's upper bound) over one
             * round of the pattern, times the dashes in a round */
            double round = 0, length = 0;
            for (int k = 0; k < sh->strokeDashCount && k < 8; k++)
                round += fabs((double)sh->strokeDashArray[k]);
            int per_round = sh->strokeDashCount & 1 ? 2 * sh->strokeDashCount : sh->strokeDashCount;
            if (sh->strokeDashCount & 1) round *= 2;
            for (const NSVGpath *p = sh->paths; p; p = p->next)
                for (int n = 1; n < p->npts; n++)
                    length += hypot((double)p->pts[2 * n] - p->pts[2 * n - 2], (double)p->pts[2 * n + 1] - p->pts[2 * n - 1]);
            dashes += round > 0 ? length / round * per_round + per_round : 0;
            if (!(dashes <= MS_IMAGE_MAX_SVG_DASHES)) return false;
        }
        double stroke = (double)sh->strokeWidth * scale * fmax(1.0, (double)sh->miterLimit);
        if (!(stroke >= 0 && stroke <= reach)) return false;
        const NSVGpaint *paints[2] = {&sh->fill, &sh->stroke};
        for (int k = 0; k < 2; k++) {
            if (paints[k]->type != NSVG_PAINT_LINEAR_GRADIENT && paints[k]->type != NSVG_PAINT_RADIAL_GRADIENT) continue;
            const NSVGgradient *g = paints[k]->gradient;
            /* (its fx, fy are set for a radial gradient only, and the rasteriser reads neither) */
            for (int m = 0; m < 6; m++)
                if (!isfinite(g->xform[m])) return false;
        }
        for (const NSVGpath *p = sh->paths; p; p = p->next)
            for (int n = 0; n < p->npts * 2; n++) {
                double v = (double)p->pts[n] * scale;
                if (!(v >= -reach && v <= reach)) return false; /* NaN fails too */
            }
    }
    return true;
}

static image_status decode_svg(const void *data, size_t len, int w, int h, image_pixels *out, char *why, size_t cap) {
    char *text = malloc(len + 1); /* nanosvg parses in place, up to a NUL */
    if (!text) return IMAGE_UNDECODED;
    memcpy(text, data, len);
    text[len] = '\0';
    NSVGimage *im = nsvgParse(text, "px", 96.0f);
    free(text);
    if (!im || !(im->width > 0) || !(im->height > 0)) {
        image_say(why, cap, "the SVG has no drawing with a size (width and height, or a viewBox)");
        if (im) nsvgDelete(im);
        return IMAGE_UNDECODED;
    }
    double scale = fmin((double)(w > 0 ? w : 1) / im->width, (double)(h > 0 ? h : 1) / im->height);
    double ow = ceil(im->width * scale), oh = ceil(im->height * scale);
    if (!(ow >= 1 && oh >= 1 && ow * oh <= MS_IMAGE_MAX_PIXELS)) {
        image_say(why, cap, "the SVG's shape cannot be drawn in its frame (%g × %g)", (double)im->width,
                  (double)im->height);
        nsvgDelete(im);
        return IMAGE_PIXELS;
    }
    if (!svg_within_reach(im, scale)) {
        image_say(why, cap, "the SVG draws more than %g pixels outside its frame, or more than %d dashes",
                  MS_IMAGE_MAX_SVG_REACH, MS_IMAGE_MAX_SVG_DASHES);
        nsvgDelete(im);
        return IMAGE_UNDECODED;
    }
    unsigned char *rgba = calloc((size_t)ow * (size_t)oh, 4);
    NSVGrasterizer *r = rgba ? nsvgCreateRasterizer() : NULL;
    if (!r) {
        free(rgba);
        nsvgDelete(im);
        return IMAGE_UNDECODED;
    }
    nsvgRasterize(r, im, 0, 0, (float)scale, rgba, (int)ow, (int)oh, (int)ow * 4);
    nsvgDeleteRasterizer(r);
    nsvgDelete(im);
    out->width = (uint32_t)ow;
    out->height = (uint32_t)oh;
    out->rgba = rgba;
    return IMAGE_OK;
}

image_status image_decode(const void *data, size_t len, const image_info *info, int w, int h, image_pixels *out,
                          char *why, size_t whycap) {
    memset(out, 0, sizeof *out);
    if (why && whycap) why[0] = '\0';
    switch (info->format) {
    case IMAGE_PNG: return decode_png(data, len, info, out, why, whycap);
    case IMAGE_JPEG: return decode_jpeg(data, len, info, out, why, whycap);
    case IMAGE_SVG: return decode_svg(data, len, w, h, out, why, whycap);
    case IMAGE_UNKNOWN: break;
    }
    image_say(why, whycap, "the file is not a PNG, JPEG or SVG image");
    return IMAGE_FORMAT;
}

void image_pixels_free(image_pixels *px) {
    if (!px) return;
    free(px->rgba);
    memset(px, 0, sizeof *px);
}

bool image_write_png(const char *path, const image_pixels *px) {
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    im.width = px->width;
    im.height = px->height;
    im.format = PNG_FORMAT_RGBA;
    bool ok = png_image_write_to_file(&im, path, 0, px->rgba, 0, NULL) != 0;
    png_image_free(&im);
    return ok;
}
