/* color.h — WCAG 2.x colour arithmetic for themes: relative luminance and contrast ratio of 0xRRGGBBAA
 * colours (alpha ignored). Used by the theme test to hold every text/background pair to 7:1 (WCAG AAA). */
#ifndef MEISTRING_COLOR_H
#define MEISTRING_COLOR_H

#include <stdint.h>

/* Relative luminance, 0 (black) to 1 (white), per WCAG 2.x. */
double color_luminance(uint32_t rgba);

/* Contrast ratio of two colours, 1 to 21, order-independent. */
double color_contrast(uint32_t a, uint32_t b);

#endif
