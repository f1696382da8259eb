/* image.c — image headers and SVG complexity read without decoding; see image.h.
 * The format is told by the bytes, never by the file name: SDL_image would otherwise pick a decoder by content
 * (a ".png" that is an SVG, a TGA, an XCF), and each decoder has costs of its own. */
#include "meistring/image.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "meistring/config.h"
#include "image_internal.h"

void image_say(char *why, size_t cap, const char *fmt, ...) {
    if (!why || !cap) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, cap, fmt, ap);
    va_end(ap);
}

static uint32_t be32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static uint32_t be16(const unsigned char *p) { return (uint32_t)p[0] << 8 | p[1]; }

static image_status check_pixels(image_info *info, char *why, size_t cap) {
    if (info->width == 0 || info->height == 0) {
        image_say(why, cap, "the %s header gives no size", info->format == IMAGE_PNG ? "PNG" : "JPEG");
        return IMAGE_HEADER;
    }
    uint64_t px = (uint64_t)info->width * info->height;
    if (px > MS_IMAGE_MAX_PIXELS) {
        image_say(why, cap, "%" PRIu32 " × %" PRIu32 " pixels is more than an image may have (%u; scale it down)",
            info->width, info->height, MS_IMAGE_MAX_PIXELS);
        return IMAGE_PIXELS;
    }
    return IMAGE_OK;
}

/* PNG: the signature, then IHDR first (the PNG specification requires it there). */
static image_status probe_png(const unsigned char *d, size_t len, image_info *info, char *why, size_t cap) {
    if (len < 8 + 8 + 13 || be32(d + 8) != 13 || memcmp(d + 12, "IHDR", 4) != 0) {
        image_say(why, cap, "the PNG file has no IHDR header");
        return IMAGE_HEADER;
    }
    info->width = be32(d + 16);
    info->height = be32(d + 20);
    if (info->width > 0x7FFFFFFFu || info->height > 0x7FFFFFFFu) info->width = info->height = 0;
    return check_pixels(info, why, cap);
}

/* JPEG: markers up to the frame header (SOF) for the size, then every scan (SOS) counted, skipping the
 * entropy-coded data between them. */
static image_status probe_jpeg(const unsigned char *d, size_t len, image_info *info, char *why, size_t cap) {
    size_t i = 2;
    bool have_sof = false;
    while (i < len) {
        if (d[i] != 0xFF) {
            image_say(why, cap, "the JPEG file is broken at byte %zu", i);
            return IMAGE_HEADER;
        }
        while (i < len && d[i] == 0xFF) /* fill bytes */
            i++;
        if (i >= len) break;
        unsigned m = d[i++];
        if (m == 0xD9) break;                             /* EOI */
        if ((m >= 0xD0 && m <= 0xD7) || m == 0x01) continue; /* RSTn, TEM: no length */
        if (i + 2 > len) break;
        size_t seg = be16(d + i);
        if (seg < 2 || i + seg > len) {
            image_say(why, cap, "the JPEG file is broken at byte %zu", i);
            return IMAGE_HEADER;
        }
        bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
        if (sof && !have_sof) {
            if (seg < 8) {
                image_say(why, cap, "the JPEG frame header is too short");
                return IMAGE_HEADER;
            }
            info->height = be16(d + i + 3);
            info->width = be16(d + i + 5);
            have_sof = true;
            image_status st = check_pixels(info, why, cap);
            if (st) return st;
        }
        i += seg;
        if (m == 0xDA) { /* SOS: entropy-coded data runs to the next marker that is not a stuffed 0 or a RST */
            if (!have_sof) break;
            if (++info->elements > MS_IMAGE_MAX_JPEG_SCANS) {
                image_say(why, cap, "the JPEG has more than %d scans (a progressive JPEG has about 10)",
                    MS_IMAGE_MAX_JPEG_SCANS);
                return IMAGE_COMPLEX;
            }
            while (i + 1 < len && !(d[i] == 0xFF && d[i + 1] != 0x00 && !(d[i + 1] >= 0xD0 && d[i + 1] <= 0xD7)))
                i++;
            if (i + 1 >= len) break;
        }
    }
    if (!have_sof) {
        image_say(why, cap, "the JPEG file has no frame header (SOF) before its image data");
        return IMAGE_HEADER;
    }
    return IMAGE_OK;
}

static bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
/* nanosvg's own white space, which splits a tag into its names and values */
static bool is_xml_space(unsigned char c) { return is_space(c) || c == '\v' || c == '\f'; }
static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* An SVG document: after an optional BOM and white space it is markup, and it has an <svg element. */
static bool looks_like_svg(const unsigned char *d, size_t len) {
    size_t i = 0;
    if (len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF) i = 3;
    while (i < len && is_space(d[i]))
        i++;
    if (i >= len || d[i] != '<') return false;
    for (; i + 4 <= len; i++)
        if (d[i] == '<' && memcmp(d + i + 1, "svg", 3) == 0) return true;
    return false;
}

/* SVG: elements counted the way nanosvg (SDL_image's SVG parser) splits markup — a tag runs from '<' to the
 * next '>', quotes or not, and one whose name starts with a letter is an element (comments and declarations,
 * '!' and '?', are skipped by it too) — and numbers counted as its number parser reads them ("1.5.5" is two). */
/* An attribute nanosvg never reads as numbers: id, class, and namespaced ones (sodipodi:docname, inkscape:version),
 * whose values in real drawings hold long digit runs (dates, hashes). Every other value, and the style attribute,
 * may be read as numbers. */
static bool attr_never_numbers(const unsigned char *name, size_t n) {
    if ((n == 2 && memcmp(name, "id", 2) == 0) || (n == 5 && memcmp(name, "class", 5) == 0)) return true;
    return memchr(name, ':', n) != NULL;
}

/* A property nanosvg reads as a colour ("#9e9999", "url(#g1)"), where a '#' run is hex or a name and never a float:
 * elsewhere (transform="scale(#1e30)") nanosvg skips the '#' and reads the number after it. */
static bool colour_property(const unsigned char *name, size_t n) {
    static const char *const names[] = {"fill", "stroke", "stop-color", "color"};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++)
        if (strlen(names[k]) == n && memcmp(name, names[k], n) == 0) return true;
    return false;
}

static image_status probe_svg(const unsigned char *d, size_t len, image_info *info, char *why, size_t cap) {
    if (len > MS_IMAGE_MAX_SVG_BYTES) {
        image_say(why, cap, "the SVG file is %zu bytes; an SVG may have at most %u (simplify the drawing)", len,
            MS_IMAGE_MAX_SVG_BYTES);
        return IMAGE_TOO_BIG;
    }
    /* Where the scan is, as nanosvg's parseXML and parseElement see markup: a tag runs from '<' to the next '>'
     * (quotes or not); in it, the element's name, then attributes: a name runs to a space or '=', anything up to
     * the next quote is skipped, and the value runs to the same quote again. */
    enum { CONTENT, TAG_NAME, BETWEEN, ATTR_NAME, SEEK_QUOTE, VALUE } at = CONTENT;
    unsigned char quote = 0;
    size_t name_at = 0, name_n = 0;
    bool value_read = false; /* nanosvg may read numbers in this value */
    bool in_style = false;   /* the value is a style's "name: value; …" */
    size_t prop_at = 0, prop_n = 0, part_at = 0; /* the property whose value this is; where its part began */
    bool too_big = false;
    size_t i = 0;
    while (i < len) {
        unsigned char c = d[i];
        if (at == CONTENT && c == '<') {
            size_t j = i + 1;
            while (j < len && is_xml_space(d[j]))
                j++;
            if (j < len && is_alpha(d[j])) info->elements++;
            at = TAG_NAME;
            i = j;
            continue;
        }
        if (at != CONTENT && c == '>') {
            at = CONTENT;
            i++;
            continue;
        }
        switch (at) {
        case TAG_NAME:
            if (is_xml_space(c)) at = BETWEEN;
            i++;
            continue;
        case BETWEEN:
            if (!is_xml_space(c)) {
                at = ATTR_NAME;
                name_at = i;
                continue;
            }
            i++;
            continue;
        case ATTR_NAME:
            if (is_xml_space(c) || c == '=') {
                name_n = i - name_at;
                value_read = !attr_never_numbers(d + name_at, name_n);
                in_style = name_n == 5 && memcmp(d + name_at, "style", 5) == 0;
                at = SEEK_QUOTE;
            }
            i++;
            continue;
        case SEEK_QUOTE:
            if (c == '"' || c == '\'') {
                quote = c;
                at = VALUE;
                prop_at = name_at, prop_n = in_style ? 0 : name_n, part_at = i + 1;
            }
            i++;
            continue;
        case VALUE:
            if (c == quote) {
                at = BETWEEN;
                i++;
                continue;
            }
            if (in_style && c == ';') part_at = i + 1, prop_n = 0;
            if (in_style && c == ':' && !prop_n) { /* the property's name, trimmed */
                prop_at = part_at, prop_n = i - part_at;
                while (prop_n && is_xml_space(d[prop_at]))
                    prop_at++, prop_n--;
                while (prop_n && is_xml_space(d[prop_at + prop_n - 1]))
                    prop_n--;
            }
            if (c == '#' && colour_property(d + prop_at, prop_n)) { /* hex or a name, never a float */
                i++;
                while (i < len && (is_alpha(d[i]) || is_digit(d[i])))
                    i++;
                continue;
            }
            break;
        case CONTENT:
            break;
        }
        if (is_digit(c) || (c == '.' && i + 1 < len && is_digit(d[i + 1]))) {
            info->numbers++;
            unsigned digits = 0; /* of the integer part, without leading zeros */
            while (i < len && is_digit(d[i])) {
                if (digits || d[i] != '0') digits++;
                i++;
            }
            if (i < len && d[i] == '.') {
                i++;
                while (i < len && is_digit(d[i]))
                    i++;
            }
            /* The exponent as nanosvg's atof reads it, with strtol: white space may come before its sign and
             * digits ("1e 30" is 1e30 where a value is read whole: stroke-miterlimit, opacity). Counted as one
             * number only without that space, as before. */
            long exp = 0;
            if (i < len && (d[i] == 'e' || d[i] == 'E')) {
                size_t j = i + 1;
                while (j < len && is_xml_space(d[j]))
                    j++;
                bool spaced = j > i + 1;
                bool neg = j < len && d[j] == '-';
                if (j < len && (d[j] == '-' || d[j] == '+')) j++;
                size_t exp_at = j;
                while (j < len && is_digit(d[j])) {
                    if (exp < 100000) exp = exp * 10 + (d[j] - '0');
                    j++;
                }
                if (neg) exp = -exp;
                if (j > exp_at && !spaced) i = j; /* no digits: no exponent */
            }
            /* The number is under 10^(digits + exp), a fraction's under 10^exp. nanosvg keeps only a number's
             * first 63 characters (its exponent may be cut off), so a long integer part is too big whatever its
             * exponent: 1 and 62 zeros e-60 is read as 9.2e18. */
            if (at == VALUE && value_read && (digits > MS_IMAGE_MAX_SVG_DIGITS || (long)digits + exp > MS_IMAGE_MAX_SVG_DIGITS))
                too_big = true;
            continue;
        }
        i++;
    }
    if (info->elements > MS_IMAGE_MAX_SVG_ELEMENTS) {
        image_say(why, cap, "the SVG has %" PRIu32 " elements; an SVG may have at most %d (simplify the drawing)",
            info->elements, MS_IMAGE_MAX_SVG_ELEMENTS);
        return IMAGE_COMPLEX;
    }
    if (info->numbers > MS_IMAGE_MAX_SVG_NUMBERS) {
        image_say(why, cap, "the SVG has %" PRIu32 " numbers (path points); an SVG may have at most %d (simplify the "
            "paths)", info->numbers, MS_IMAGE_MAX_SVG_NUMBERS);
        return IMAGE_COMPLEX;
    }
    if (too_big) {
        image_say(why, cap, "the SVG has a number of more than %d digits; a drawing's numbers stay under 10^%d",
            MS_IMAGE_MAX_SVG_DIGITS, MS_IMAGE_MAX_SVG_DIGITS);
        return IMAGE_COMPLEX;
    }
    return IMAGE_OK;
}

image_status image_probe(const void *data, size_t len, image_info *info, char *why, size_t whycap) {
    const unsigned char *d = data;
    memset(info, 0, sizeof *info);
    info->bytes = len;
    if (why && whycap) why[0] = '\0';
    if (len > MS_IMAGE_MAX_BYTES) {
        image_say(why, whycap, "the image file is %zu bytes; an image may have at most %u", len, MS_IMAGE_MAX_BYTES);
        return IMAGE_TOO_BIG;
    }
    static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    if (len >= 8 && memcmp(d, png_sig, 8) == 0) {
        info->format = IMAGE_PNG;
        return probe_png(d, len, info, why, whycap);
    }
    if (len >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) {
        info->format = IMAGE_JPEG;
        return probe_jpeg(d, len, info, why, whycap);
    }
    if (looks_like_svg(d, len)) {
        info->format = IMAGE_SVG;
        return probe_svg(d, len, info, why, whycap);
    }
    image_say(why, whycap, "the file is not a PNG, JPEG or SVG image");
    return IMAGE_FORMAT;
}

image_status image_load_file(const char *path, void **data, size_t *len, image_info *info, char *why,
                             size_t whycap) {
    memset(info, 0, sizeof *info);
    if (data) *data = NULL;
    if (len) *len = 0;
    if (why && whycap) why[0] = '\0';
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        image_say(why, whycap, "the image file does not exist");
        return IMAGE_MISSING;
    }
    info->bytes = (size_t)sb.st_size;
    /* refused by its size before a byte is read */
    if ((uint64_t)sb.st_size > MS_IMAGE_MAX_BYTES) {
        image_say(why, whycap, "the image file is %lld bytes; an image may have at most %u", (long long)sb.st_size,
            MS_IMAGE_MAX_BYTES);
        return IMAGE_TOO_BIG;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        image_say(why, whycap, "the image file cannot be read: %s", strerror(errno));
        return IMAGE_UNREADABLE;
    }
    /* read what is there, up to one byte past the budget (the file may have grown since stat) */
    size_t cap = (size_t)sb.st_size + 1;
    if (cap > MS_IMAGE_MAX_BYTES + 1u) cap = MS_IMAGE_MAX_BYTES + 1u;
    unsigned char *buf = malloc(cap);
    size_t n = buf ? fread(buf, 1, cap, f) : 0;
    bool bad = !buf || ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        image_say(why, whycap, "the image file cannot be read");
        return IMAGE_UNREADABLE;
    }
    image_status st = image_probe(buf, n, info, why, whycap);
    if (st == IMAGE_OK && data) {
        *data = buf;
        if (len) *len = n;
    } else {
        free(buf);
    }
    return st;
}

uint32_t image_svg_pixel_budget(const image_info *info) {
    uint32_t e = info->elements ? info->elements : 1;
    uint32_t px = MS_IMAGE_MAX_SVG_WORK / e;
    return px < MS_IMAGE_MAX_PIXELS ? px : MS_IMAGE_MAX_PIXELS;
}
