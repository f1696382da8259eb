/* color.c — WCAG relative luminance and contrast ratio; see color.h. */
#include "meistring/color.h"

#include <math.h>

static double channel(uint32_t v) {
    double c = (double)(v & 0xFF) / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

double color_luminance(uint32_t rgba) {
    return 0.2126 * channel(rgba >> 24) + 0.7152 * channel(rgba >> 16) + 0.0722 * channel(rgba >> 8);
}

double color_contrast(uint32_t a, uint32_t b) {
    double la = color_luminance(a), lb = color_luminance(b);
    double hi = la > lb ? la : lb, lo = la > lb ? lb : la;
    return (hi + 0.05) / (lo + 0.05);
}
