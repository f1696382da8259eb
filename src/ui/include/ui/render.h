/* render.h — drawing for the client: fonts by face and pixel size, measured text, cached text textures,
 * filled and rounded rectangles, images. Wraps SDL_Renderer/SDL_ttf and the image decoders so screens never touch them.
 * Colours are 0xRRGGBBAA. A "style" is a small integer naming one loaded (face, pixel size) font; it is also
 * the style that src/text's layout_font receives. */
#ifndef MS_UI_RENDER_H
#define MS_UI_RENDER_H

#include <SDL2/SDL.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "meistring/config.h"
#include "meistring/layout.h"

typedef enum { REN_REGULAR = 0, REN_BOLD = 1, REN_ITALIC = 2, REN_BOLD_ITALIC = 3 } ren_face;

/* Font families: the clear sans is the default and the interface's; serif and OpenDyslexic are reading
 * choices. */
typedef enum { REN_SANS = 0, REN_SERIF = 1, REN_DYSLEXIC = 2 } ren_family;

typedef struct ren ren;

/* font_dir holds NotoSans-*.ttf. NULL on failure with the reason in err. */
ren *ren_new(SDL_Renderer *r, const char *font_dir, char *err, size_t errcap);
void ren_free(ren *rn);

/* The style id for (face, px) in the sans family, loading the font on first use; -1 when it cannot be
 * loaded. Style ids are stable keys (size, family, face), valid for the life of the renderer. */
int ren_style(ren *rn, ren_face face, int px);
int ren_style_family(ren *rn, ren_family family, ren_face face, int px);
const layout_font *ren_layout_font(ren *rn);
int ren_measure(ren *rn, int style, const char *s, size_t len);
int ren_line_skip(ren *rn, int style); /* recommended distance between baselines, px */
int ren_ascent(ren *rn, int style);
/* How far the ink of the style's tallest accented capitals (Å, É …) reaches above the baseline, and its deepest
 * descenders (g, j …) below it, px: what a line set tighter than the font's line skip may cover of its neighbours. */
void ren_ink_reach(ren *rn, int style, int *above, int *below);

/* Draws s[0..len) with its top-left at (x, y). Rasterised once, then copied from the texture cache. */
void ren_text(ren *rn, int style, uint32_t rgba, const char *s, size_t len, int x, int y);

/* Draws a run of words: each word placed at the sum of the measured widths before it, so what is drawn
 * matches the layout to the pixel. Use this for laid-out text; ren_text for a single label. */
void ren_text_words(ren *rn, int style, uint32_t rgba, const char *s, size_t len, int x, int y);

/* Width and drawing with extra space: ls px after every letter, ws px more for every space. With ls > 0 the
 * letters are placed one by one (kerning gives way to the patient's spacing); ls = ws = 0 is ren_measure /
 * ren_text_words exactly. The two always agree, so layout and drawing match to the pixel. */
int ren_measure_spaced(ren *rn, int style, const char *s, size_t len, int ls, int ws);
void ren_text_spaced(ren *rn, int style, uint32_t rgba, const char *s, size_t len, int x, int y, int ls, int ws);

void ren_fill(ren *rn, int x, int y, int w, int h, uint32_t rgba);
void ren_fill_round(ren *rn, int x, int y, int w, int h, int radius, uint32_t rgba);
void ren_frame_round(ren *rn, int x, int y, int w, int h, int radius, int thickness, uint32_t rgba);
void ren_clip(ren *rn, const SDL_Rect *clip); /* NULL clears */
/* every text kept for reuse dropped, with its text, and the words whose widths were kept wiped (a kiosk's reset,
 * the tablet's lock) */
void ren_forget_text(ren *rn);
/* Closes the fonts words are measured with (one per face used, at REF_PX: each holds its own FreeType face and
 * HarfBuzz's copies of the font's tables, ~150 KB) once a page is laid out: its words' widths are kept, and a
 * word not measured yet opens its face's again (~0.6 ms, its tables read anew). */
void ren_release_measuring(ren *rn);

/* Draws the image at path scaled to w×h (SVG is rasterised at that size, or smaller within its budget). False
 * when it is missing, refused by the checks of meistring/image.h (never decoded then) or fails to decode; the
 * caller then draws the alt text. */
bool ren_image(ren *rn, const char *path, int x, int y, int w, int h);
/* Whether the image at path passes those checks (a stat; the file is read again only when it changed). */
bool ren_image_usable(ren *rn, const char *path);
double ren_image_aspect(ren *rn, const char *path); /* 0 when unknown */

SDL_Renderer *ren_sdl(ren *rn);

/* Every piece of text drawn while the log is on (the harness's check-layout): where it went whole, the clip in
 * force then, and how it starts (whole characters, at most MS_REN_LOG_TEXT - 1 bytes). */
typedef struct {
    int x, y, w, h;
    bool clip_on;
    SDL_Rect clip;
    char text[MS_REN_LOG_TEXT];
} ren_drawn;
void ren_log(ren *rn, bool on); /* on: an empty log from now on; off: keeps what was logged, logs no more */
size_t ren_logged(const ren *rn, const ren_drawn **out);

typedef struct {
    size_t text_cache_entries, text_cache_pixels, text_hits, text_misses, rasterised;
    size_t text_cache_bytes; /* what the kept text holds: its pixels at 4 bytes (ARGB) or 1 (coverage) */
    size_t font_opens;       /* font files read (each opened once, shared by its sizes) */
    size_t font_reads;       /* system calls that read them (fontfile.h: a few bytes at a time come from blocks kept) */
    size_t font_kept_bytes;  /* those blocks' memory */
    size_t measuring_fonts;  /* fonts open now to measure words with (ren_release_measuring closes them) */
    size_t font_resizes;     /* times a font file was set to another size */
    size_t word_widths;      /* words whose shaped width is kept */
} ren_stats;
ren_stats ren_get_stats(ren *rn);

#endif
