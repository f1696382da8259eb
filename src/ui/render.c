/* render.c — fonts, measured text, cached text textures and simple shapes; see render.h.
 * Measuring asks SDL_ttf (HarfBuzz) for the shaped width of each word and remembers it in a small hash
 * table: summing hinted per-glyph advances drifts by up to half a pixel a glyph from what the shaper draws,
 * which showed as ragged gaps between styled runs; shaping every word on every relayout would cost most of
 * the 8 ms budget. With the table, a relayout at a new width measures nothing new. */
#include "render.h"

#include <SDL2/SDL_ttf.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "meistring/config.h"
#include "meistring/image.h"
#include "meistring/utf8.h"
#include "fontfile.h"
#include "texcache.h"

#define MAX_FONTS  MS_REN_MAX_FONTS
#define ADV_TABLE  0x250 /* Latin, Latin-1, Latin Extended-A/B: all Norwegian text */
#define MAX_IMAGES MS_REN_MAX_IMAGES
#define MAX_PROBES MS_REN_MAX_PROBES

/* Words are shaped once, at REF_PX, per family and face, and scaled to the size asked for: a text-size change
 * then measures nothing new (a relayout at 400 % costs what one at a new width does). HarfBuzz positions
 * glyphs in font units scaled linearly, and light hinting leaves advances alone, so the scaled width is within
 * a pixel of the shaped one; words are drawn at these positions, so layout and drawing still agree. */
#define REF_PX 128

/* One open font per file, shared by every size of it: each TTF_Font holds its own FreeType face and HarfBuzz
 * copies of the font's tables (GSUB, GPOS, cmap: ~100 KB a face), and opening one costs ~1,000 system calls,
 * so a font per (file, size) cost 13 opens and their tables again for each size. SDL_ttf 2.20's
 * TTF_SetFontSize resizes a font in place and empties its glyph cache, so what it draws and measures at a size
 * is what a font opened at that size gives; the size is set only when a use needs another. Each file used is
 * open twice: once at REF_PX, where words are measured, and once for drawing, at the size drawn last, so that
 * measuring a new word between two drawn ones does not empty the drawing font's glyph cache (which doubled the
 * time FreeType spent on a page turn). Both read the file through fontfile.h, which keeps its hot blocks and maps
 * nothing: through SDL_RWFromFile every glyph loaded again after a resize cost an lseek and a read, and a mapping
 * kept ~300 KB of each file resident. */
typedef struct {
    TTF_Font *font; /* NULL until first used */
    int px;         /* its size now */
    size_t resizes; /* TTF_SetFontSize calls: ren_get_stats */
} font_file;

/* A (family, face, size) in use: its metrics, and the file it is drawn from. */
typedef struct {
    ren_face face;
    ren_family family;
    int px;
    unsigned last_use;
    font_file *file;
    int line_skip, ascent;
    int16_t adv[ADV_TABLE]; /* -1 = not yet measured */
} font_slot;

typedef struct {
    char path[512];
    int w, h;
    SDL_Texture *tex;
    double aspect;
    unsigned last_use;
} image_slot;

/* What image.h said of a file, valid while the file keeps its size and modification time. */
typedef struct {
    char path[512];
    long long size, mtime; /* -1: the file did not exist */
    image_status status;
    unsigned last_use;
} probe_slot;

/* Shaped widths of words, keyed by text and (family, face) at REF_PX: an open-addressed table (linear probing)
 * whose words live in one byte arena. It starts small and doubles as a page brings new words, so it holds every
 * distinct word of the page being laid out and a relayout measures nothing twice however long the page is (a
 * fixed table of 4,096 direct-mapped slots thrashed past a few thousand words: relayout grew ×5 for ×4 words).
 * Past MS_REN_WORD_CAP words it is emptied and fills again: memory stays bounded on any page (config.h). */
#define WORD_MAX MS_REN_WORD_MAX
#define WORD_CAP MS_REN_WORD_CAP
#define WORD_MIN_SLOTS 1024u
_Static_assert((WORD_CAP & (WORD_CAP - 1)) == 0, "the word table's size is a power of two");
typedef struct {
    uint32_t hash; /* 0: an empty slot */
    int32_t w;     /* the width at REF_PX */
    uint32_t off;  /* of the word in the arena */
    uint16_t style;
    uint8_t len;
} word_slot;

typedef struct {
    word_slot *slots;
    uint32_t n_slots, n_words;
    char *arena;
    size_t arena_len, arena_cap;
    size_t resets; /* times the cap emptied it */
} word_table;

struct ren {
    word_table words;
    SDL_Renderer *r;
    char font_dir[512];
    font_file files[3][4][2]; /* [family][face][at REF_PX], as face_files */
    fontfile *ff;             /* each font file, opened once, read by every size of it */
    font_slot fonts[MAX_FONTS];
    int n_fonts;
    layout_font lf;
    texcache *tc;
    image_slot images[MAX_IMAGES];
    probe_slot probes[MAX_PROBES];
    unsigned use_clock;
    size_t rasterised;
    bool direct;      /* the software renderer: text is kept as coverage and blended into its framebuffer */
    uint8_t *scratch; /* a word's coverage coded, before it is kept (scratch()) */
    size_t scratch_cap;
    ren_drawn *log; /* ren_log */
    size_t n_log, cap_log;
    bool logging;
};

static const char *const face_files[3][4] = {
    {"NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf", "NotoSans-BoldItalic.ttf"},
    {"NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf", "NotoSerif-Italic.ttf", "NotoSerif-BoldItalic.ttf"},
    {"OpenDyslexic-Regular.otf", "OpenDyslexic-Bold.otf", "OpenDyslexic-Italic.otf", "OpenDyslexic-BoldItalic.otf"},
};

static int measure_cb(void *ctx, int style, const char *s, size_t len) { return ren_measure(ctx, style, s, len); }

ren *ren_new(SDL_Renderer *r, const char *font_dir, char *err, size_t errcap) {
    ren *rn = calloc(1, sizeof *rn);
    if (!rn) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    rn->r = r;
    snprintf(rn->font_dir, sizeof rn->font_dir, "%s", font_dir);
    rn->lf.ctx = rn;
    rn->lf.measure = measure_cb;
    SDL_RendererInfo info;
    rn->direct = SDL_GetRendererInfo(r, &info) == 0 && strcmp(info.name, "software") == 0;
    /* coverage keeps one byte a pixel, and only the rows with ink: a budget of its own */
    rn->tc =
        texcache_new(r, MS_TEXCACHE_MAX_ENTRIES, rn->direct ? MS_TEXCACHE_MAX_COVERAGE_BYTES : MS_TEXCACHE_MAX_PIXELS);
    rn->ff = fontfile_new();
    if (!rn->tc || !rn->ff) {
        texcache_free(rn->tc);
        fontfile_free(rn->ff);
        free(rn);
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    /* fail early and clearly when the bundled fonts are missing */
    if (ren_style(rn, REN_REGULAR, 16) < 0) {
        snprintf(err, errcap, "cannot load %s/%s: %s", font_dir, face_files[0][0], TTF_GetError());
        ren_free(rn);
        return NULL;
    }
    return rn;
}

void ren_free(ren *rn) {
    if (!rn) return;
    texcache_free(rn->tc);
    for (int f = 0; f < 3; f++) {
        for (int i = 0; i < 4; i++) {
            for (int k = 0; k < 2; k++)
                if (rn->files[f][i][k].font) TTF_CloseFont(rn->files[f][i][k].font);
        }
    }
    fontfile_free(rn->ff); /* after the fonts reading from it */
    for (int i = 0; i < MAX_IMAGES; i++)
        if (rn->images[i].tex) SDL_DestroyTexture(rn->images[i].tex);
    free(rn->scratch);
    free(rn->words.slots);
    free(rn->words.arena);
    free(rn->log);
    free(rn);
}

/* A style is a stable key, (px, family, face) packed, never a slot index: a cached page layout keeps its
 * styles valid even after its slot was given to another size; the slot is made again when used. */
static int style_key(ren_family family, ren_face face, int px) { return px << 4 | (int)family << 2 | (int)face; }

/* Opens (family, face) at px from its file into file. */
static bool open_file(ren *rn, font_file *file, ren_family family, ren_face face, int px) {
    char path[640];
    snprintf(path, sizeof path, "%s/%s", rn->font_dir, face_files[family][face]);
    int index = (int)family * 4 + (int)face;
    if (!fontfile_open(rn->ff, index, path)) return false; /* SDL's error is SDL_ttf's */
    SDL_RWops *rw = fontfile_stream(rn->ff, index);
    file->font = rw ? TTF_OpenFontRW(rw, 1, px) : NULL;
    if (!file->font) return false;
    TTF_SetFontHinting(file->font, TTF_HINTING_LIGHT);
    file->px = px;
    return true;
}

/* The slot of a style, made (in place of the least recently used one) when needed, its file opened once. */
static font_slot *slot_for(ren *rn, int style) {
    if (style < 6 << 4) return NULL;
    ren_face face = (ren_face)(style & 3);
    ren_family family = (ren_family)((style >> 2) & 3);
    int px = style >> 4;
    if (family > REN_DYSLEXIC) return NULL;
    font_slot *lru = NULL;
    font_file *file = &rn->files[family][face][px == REF_PX];
    for (int i = 0; i < rn->n_fonts; i++) {
        font_slot *s = &rn->fonts[i];
        if (s->face == face && s->family == family && s->px == px) {
            /* a measuring font closed by ren_release_measuring: opened again for a new word */
            if (!file->font && !open_file(rn, file, family, face, px)) return NULL;
            s->last_use = ++rn->use_clock;
            return s;
        }
        if (!lru || s->last_use < lru->last_use) lru = s;
    }
    if (!file->font) {
        if (!open_file(rn, file, family, face, px)) return NULL;
    } else if (file->px != px) {
        if (TTF_SetFontSize(file->font, px) != 0) return NULL;
        file->px = px;
        file->resizes++;
    }
    font_slot *s;
    if (rn->n_fonts < MAX_FONTS) {
        s = &rn->fonts[rn->n_fonts++];
    } else {
        s = lru;
    }
    s->face = face;
    s->family = family;
    s->px = px;
    s->file = file;
    s->line_skip = TTF_FontLineSkip(file->font);
    s->ascent = TTF_FontAscent(file->font);
    s->last_use = ++rn->use_clock;
    for (int i = 0; i < ADV_TABLE; i++)
        s->adv[i] = -1;
    return s;
}

/* The slot's font at the slot's size. NULL when it cannot be resized (then nothing is measured or drawn). */
static TTF_Font *sized(font_slot *s) {
    if (s->file->px != s->px) {
        if (TTF_SetFontSize(s->file->font, s->px) != 0) return NULL;
        s->file->px = s->px;
        s->file->resizes++;
    }
    return s->file->font;
}

int ren_style_family(ren *rn, ren_family family, ren_face face, int px) {
    if (px < 6) px = 6;
    int key = style_key(family, face, px);
    return slot_for(rn, key) ? key : -1;
}

int ren_style(ren *rn, ren_face face, int px) { return ren_style_family(rn, REN_SANS, face, px); }

const layout_font *ren_layout_font(ren *rn) { return &rn->lf; }

static int advance(font_slot *s, uint32_t cp) {
    if (cp < ADV_TABLE && s->adv[cp] >= 0) return s->adv[cp];
    int adv = 0;
    TTF_Font *f = sized(s);
    if (!f || TTF_GlyphMetrics32(f, cp, NULL, NULL, NULL, NULL, &adv) != 0) adv = 0;
    if (cp < ADV_TABLE) s->adv[cp] = (int16_t)adv;
    return adv;
}

static int shaped_width(font_slot *fs, const char *s, size_t len) {
    char small[256];
    char *z = len < sizeof small ? small : malloc(len + 1);
    if (!z) return 0;
    memcpy(z, s, len);
    z[len] = '\0';
    int w = 0;
    TTF_Font *f = sized(fs);
    if (!f || TTF_SizeUTF8(f, z, &w, NULL) != 0) w = 0;
    if (z != small) free(z);
    return w;
}

/* Copies s without soft hyphens (U+00AD, bytes C2 AD) into buf; they mark where a word may break and are
 * never drawn or measured where the word stays whole. Returns the new length, or len when there were none. */
static size_t strip_shy(const char *s, size_t len, char *buf, size_t cap, const char **out) {
    *out = s;
    if (len < 2 || !memchr(s, 0xC2, len)) return len;
    size_t w = 0;
    bool any = false;
    for (size_t i = 0; i < len && w < cap; i++) {
        if ((unsigned char)s[i] == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xAD) {
            i++;
            any = true;
            continue;
        }
        buf[w++] = s[i];
    }
    if (!any || w >= cap) return len;
    *out = buf;
    return w;
}


/* The slot of (s, style) in a table of n slots: the word's own, or the empty one where it would go. */
static word_slot *word_probe(const word_table *t, word_slot *slots, uint32_t n, uint32_t h, int style, const char *s,
                             size_t len) {
    for (uint32_t i = h & (n - 1);; i = (i + 1) & (n - 1)) {
        word_slot *w = &slots[i];
        if (w->hash == 0) return w;
        if (w->hash == h && w->len == len && w->style == style && t && memcmp(t->arena + w->off, s, len) == 0)
            return w;
    }
}

static void word_table_clear(word_table *t) {
    if (t->slots) memset(t->slots, 0, t->n_slots * sizeof *t->slots);
    t->n_words = 0;
    t->arena_len = 0;
}

/* Room for one more word: the table doubled (at most to twice the cap, so it stays under 3/4 full) and the arena
 * grown; at the cap, emptied. False when out of memory (the word is then measured and not kept). */
static bool word_table_room(word_table *t, size_t len) {
    if (t->n_words >= WORD_CAP) {
        word_table_clear(t);
        t->resets++;
    }
    if (!t->slots || (t->n_words + 1) * 4 > t->n_slots * 3) {
        uint32_t n = t->slots ? t->n_slots * 2 : WORD_MIN_SLOTS;
        word_slot *ns = calloc(n, sizeof *ns);
        if (!ns) return false;
        for (uint32_t i = 0; i < t->n_slots; i++)
            if (t->slots[i].hash) *word_probe(NULL, ns, n, t->slots[i].hash, 0, NULL, 0) = t->slots[i];
        free(t->slots);
        t->slots = ns;
        t->n_slots = n;
    }
    if (t->arena_len + len > t->arena_cap) {
        size_t cap = t->arena_cap ? t->arena_cap * 2 : 16384;
        while (cap < t->arena_len + len)
            cap *= 2;
        char *na = realloc(t->arena, cap);
        if (!na) return false;
        t->arena = na;
        t->arena_cap = cap;
    }
    return true;
}

int ren_measure(ren *rn, int style, const char *s, size_t len) {
    char plain[256];
    len = strip_shy(s, len, plain, sizeof plain, &s);
    font_slot *fs = len ? slot_for(rn, style) : NULL;
    if (!fs) return 0;
    if (len == 1 && (unsigned char)s[0] < 0x80) return advance(fs, (unsigned char)s[0]);
    if (len > WORD_MAX) return shaped_width(fs, s, len);
    int ref_style = style_key(fs->family, fs->face, REF_PX);
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    h = (h ^ (uint32_t)ref_style) * 16777619u;
    if (h == 0) h = 1; /* 0 marks an empty slot */
    word_table *t = &rn->words;
    word_slot *w = t->slots ? word_probe(t, t->slots, t->n_slots, h, ref_style, s, len) : NULL;
    int ref;
    if (w && w->hash) {
        ref = w->w;
    } else {
        font_slot *rs = slot_for(rn, ref_style);
        if (!rs) return shaped_width(fs, s, len);
        ref = shaped_width(rs, s, len);
        if (word_table_room(t, len)) {
            w = word_probe(t, t->slots, t->n_slots, h, ref_style, s, len);
            *w = (word_slot){.hash = h, .w = ref, .off = (uint32_t)t->arena_len, .style = (uint16_t)ref_style,
                             .len = (uint8_t)len};
            memcpy(t->arena + t->arena_len, s, len);
            t->arena_len += len;
            t->n_words++;
        }
    }
    return (ref * fs->px + REF_PX / 2) / REF_PX;
}

int ren_line_skip(ren *rn, int style) {
    font_slot *fs = slot_for(rn, style);
    return fs ? fs->line_skip : 16;
}

int ren_ascent(ren *rn, int style) {
    font_slot *fs = slot_for(rn, style);
    return fs ? fs->ascent : 12;
}

void ren_ink_reach(ren *rn, int style, int *above, int *below) {
    /* the tallest accented capitals and the deepest descenders of Norwegian text (and of its French loans) */
    static const uint32_t reach[] = {0xC5, 0xC9, 0xC0, 0xC8, 0xD8, 0xC6, 'g', 'j', 'p', 'q', 'y'};
    font_slot *fs = slot_for(rn, style);
    TTF_Font *f = fs ? sized(fs) : NULL;
    int up = 0, down = 0;
    for (size_t i = 0; f && i < sizeof reach / sizeof reach[0]; i++) {
        int miny = 0, maxy = 0;
        if (TTF_GlyphMetrics32(f, reach[i], NULL, NULL, &miny, &maxy, NULL) != 0) continue;
        if (maxy > up) up = maxy;
        if (-miny > down) down = -miny;
    }
    if (!up) { /* no font: the line box's own parts */
        up = fs ? fs->ascent : 12;
        down = fs ? fs->line_skip - fs->ascent : 4;
    }
    *above = up;
    *below = down;
}

/* Notes a drawn text for ren_logged; a log that cannot grow keeps what it has. */
static void log_text(ren *rn, const SDL_Rect *dst, const char *s, size_t len) {
    if (rn->n_log == rn->cap_log) {
        size_t cap = rn->cap_log ? rn->cap_log * 2 : 256;
        ren_drawn *n = realloc(rn->log, cap * sizeof *n);
        if (!n) return;
        rn->log = n;
        rn->cap_log = cap;
    }
    ren_drawn *d = &rn->log[rn->n_log++];
    d->x = dst->x;
    d->y = dst->y;
    d->w = dst->w;
    d->h = dst->h;
    d->clip_on = SDL_RenderIsClipEnabled(rn->r);
    SDL_RenderGetClipRect(rn->r, &d->clip);
    size_t n = len < sizeof d->text ? len : sizeof d->text - 1;
    while (n > 0 && n < len && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    memcpy(d->text, s, n);
    d->text[n] = '\0';
}

void ren_log(ren *rn, bool on) {
    if (on) rn->n_log = 0;
    rn->logging = on;
}

size_t ren_logged(const ren *rn, const ren_drawn **out) {
    *out = rn->log;
    return rn->n_log;
}

/* ---- text as coverage, on the software renderer ---------------------------------------------------------------
 * The software renderer keeps a texture as a 32-bit surface and draws it with SDL_BlitSurface into the window's
 * framebuffer; a word kept in its ink cost 4 bytes a pixel, and the same word in two inks twice. It has no 8-bit
 * texture that blends (SDL2 refuses palettised textures, and its 8-bit blits take one alpha for the whole
 * surface), so here a word is kept as its coverage, whatever its ink (its blank pixels as counts, the others a
 * byte each: COVERAGE RUNS below), and blended into the framebuffer as rxi/lite draws its glyphs, with the
 * arithmetic of SDL's own ARGB blit (BlitRGBtoRGBPixelAlphaMMX, SDL_blit_A.c, the one x86-64 uses): the pixels
 * come out the same as the texture's did. Other renderers (GL on Wayland) keep textures in the ink. */

/* The framebuffer the software renderer draws into, when this file can draw text into it itself: the window's
 * surface in 32-bit xRGB/ARGB, no render target, no scale. NULL sends ren_text to the texture path. */
static SDL_Surface *direct_target(ren *rn) {
    if (!rn->direct || SDL_GetRenderTarget(rn->r)) return NULL;
    float sx = 1, sy = 1;
    SDL_RenderGetScale(rn->r, &sx, &sy);
    if (sx != 1.0f || sy != 1.0f) return NULL;
    SDL_Window *win = SDL_RenderGetWindow(rn->r);
    SDL_Surface *dst = win ? SDL_GetWindowSurface(win) : NULL;
    if (!dst || dst->format->BytesPerPixel != 4 || dst->format->Rmask != 0xFF0000 || dst->format->Gmask != 0xFF00 ||
        dst->format->Bmask != 0xFF)
        return NULL;
    return dst;
}

/* The renderer's scratch of at least n bytes, kept between words (NULL when out of memory). */
static uint8_t *scratch(ren *rn, size_t n) {
    if (n > rn->scratch_cap) {
        if (rn->scratch) memset(rn->scratch, 0, rn->scratch_cap); /* it held a word's ink: wiped, as the cache */
        free(rn->scratch);
        rn->scratch_cap = 0;
        if (!(rn->scratch = malloc(n))) return NULL;
        rn->scratch_cap = n;
    }
    return rn->scratch;
}

/* Done with the scratch: kept for the next word unless a large text made it larger than MS_REN_SCRATCH_KEEP. */
static void scratch_done(ren *rn) {
    if (rn->scratch_cap <= MS_REN_SCRATCH_KEEP) return;
    memset(rn->scratch, 0, rn->scratch_cap);
    free(rn->scratch);
    rn->scratch = NULL;
    rn->scratch_cap = 0;
}

/* COVERAGE RUNS: a word's coverage is kept row by row, each row of w pixels as runs, each run two bytes, the
 * number of blank pixels (0–255) and the number of inked ones after them (0–255), then the inked ones' coverage,
 * one byte each; the runs of a row cover its w pixels exactly. Most of a word's pixels are blank (between its
 * strokes and letters): this keeps half the bytes of one a pixel at 100 % and a third at 400 %, and blending
 * skips the blank ones without looking at them. */

/* The coverage of s in this style: TTF_RenderUTF8_Blended's alpha (white, opaque: the coverage itself), kept. The
 * text is w × h px; only its rows [*top, *top + *rows) hold ink, and only those are kept, as COVERAGE RUNS. */
static const uint8_t *coverage(ren *rn, int style, const char *s, size_t len, int *w, int *h, int *top, int *rows) {
    const uint8_t *cov = texcache_get_coverage(rn->tc, (uint32_t)style, s, len, w, h, top, rows);
    if (cov) return cov;
    size_t kept = 0; /* the bytes of out */
    char small[512];
    char *z = len < sizeof small ? small : malloc(len + 1);
    if (!z) return NULL;
    memcpy(z, s, len);
    z[len] = '\0';
    font_slot *fs = slot_for(rn, style);
    TTF_Font *f = fs ? sized(fs) : NULL;
    SDL_Surface *surf = f ? TTF_RenderUTF8_Blended(f, z, (SDL_Color){255, 255, 255, 255}) : NULL;
    if (z != small) free(z);
    if (!surf) return NULL;
    size_t sw = (size_t)surf->w, sh = (size_t)surf->h, pitch = (size_t)surf->pitch;
    uint32_t ashift = surf->format->Ashift;
    uint8_t *out = NULL;
    size_t first = 0, end = 0; /* the rows with ink */
    if (surf->format->BytesPerPixel == 4 && surf->format->Amask == 0xFFu << ashift) {
        Uint32 amask = surf->format->Amask;
        for (first = 0; first < sh; first++) {
            const Uint32 *row = (const Uint32 *)((const Uint8 *)surf->pixels + first * pitch);
            size_t xx = 0;
            while (xx < sw && !(row[xx] & amask))
                xx++;
            if (xx < sw) break;
        }
        for (end = sh; end > first; end--) {
            const Uint32 *row = (const Uint32 *)((const Uint8 *)surf->pixels + (end - 1) * pitch);
            size_t xx = 0;
            while (xx < sw && !(row[xx] & amask))
                xx++;
            if (xx < sw) break;
        }
        /* a blank text (spaces only) keeps one row, so that it is still found in the cache */
        if (end == first) end = first < sh ? first + 1 : first;
        /* coded as COVERAGE RUNS says into the renderer's scratch, then copied into an allocation of its size:
         * one pass over the pixels, and the heap keeps no holes (a buffer per word for its worst case, shrunk
         * after, left holes as large as the words) */
        size_t worst = (end - first) * (sw * 3 / 2 + 4 + 2 * (sw / 255 + 1));
        uint8_t *enc = scratch(rn, worst);
        size_t n = 0;
        for (size_t yy = first; enc && yy < end; yy++) {
            const Uint32 *row = (const Uint32 *)((const Uint8 *)surf->pixels + yy * pitch);
            size_t xx = 0;
            while (xx < sw) {
                size_t blank = 0, ink = 0;
                /* four blank pixels at a time: most of a word's are */
                while (xx + 4 <= sw && blank + 4 <= 255 &&
                       !((row[xx] | row[xx + 1] | row[xx + 2] | row[xx + 3]) & amask))
                    xx += 4, blank += 4;
                while (xx < sw && blank < 255 && !(row[xx] & amask))
                    xx++, blank++;
                enc[n] = (uint8_t)blank;
                size_t at = n + 1;
                n += 2;
                while (xx < sw && ink < 255 && (row[xx] & amask))
                    enc[n++] = (uint8_t)(row[xx++] >> ashift), ink++;
                enc[at] = (uint8_t)ink;
            }
        }
        out = enc ? malloc(n ? n : 1) : NULL;
        if (out) memcpy(out, enc, n);
        kept = n;
        scratch_done(rn);
    }
    *w = surf->w;
    *h = surf->h;
    *top = (int)first;
    *rows = (int)(end - first);
    SDL_FreeSurface(surf);
    if (!out) return NULL;
    rn->rasterised++;
    /* out of memory, the cache frees the coverage: nothing to draw this time */
    if (!texcache_put_coverage(rn->tc, (uint32_t)style, s, len, out, kept, *w, *h, *top, *rows)) return NULL;
    return out;
}

/* Blends coverage (w × h) in ink rgba into dst at (x, y) of the renderer's viewport, inside its clip: what
 * SDL_RenderCopy of the ink texture did, pixel for pixel. */
static void blend_coverage(ren *rn, SDL_Surface *dst, const uint8_t *cov, int w, int h, uint32_t rgba, int x, int y) {
    SDL_Rect vp, clip = {0, 0, dst->w, dst->h}, box;
    SDL_RenderGetViewport(rn->r, &vp);
    if (SDL_RenderIsClipEnabled(rn->r)) {
        SDL_Rect c;
        SDL_RenderGetClipRect(rn->r, &c);
        c.x += vp.x;
        c.y += vp.y;
        SDL_IntersectRect(&vp, &c, &box);
    } else {
        box = vp;
    }
    if (!SDL_IntersectRect(&clip, &box, &clip)) return;
    SDL_Rect at = {x + vp.x, y + vp.y, w, h}, out;
    if (!SDL_IntersectRect(&at, &clip, &out)) return;
    uint32_t ink_a = rgba & 0xFF;
    /* red and blue side by side in one word, green alone: (c × a) >> 8 per channel, as SDL's blit computes it,
     * with no carry between the channels (each product is under 2^16) */
    uint32_t src_rb = (rgba >> 24) << 16 | ((rgba >> 8) & 0xFF), src_g = ((rgba >> 16) & 0xFF) << 8;
    uint32_t solid = 0xFF000000u | src_rb | src_g;
    /* SDL_ttf's alpha for an ink that is not opaque: DIVIDE_BY_255(ink alpha × coverage) */
    uint8_t alpha[256];
    for (uint32_t c = 0; c < 256; c++)
        alpha[c] = (uint8_t)(ink_a == 0xFF ? c : (ink_a * c + 1 + ((ink_a * c) >> 8)) >> 8);
    /* the drawing queued before this text must reach the framebuffer first */
    SDL_RenderFlush(rn->r);
    if (SDL_MUSTLOCK(dst) && SDL_LockSurface(dst) != 0) return;
    /* the rows are read in order (COVERAGE RUNS), those above the clip skipped; x0, x1: the columns drawn */
    const uint8_t *p = cov;
    int x0 = out.x - at.x, x1 = x0 + out.w;
    for (int yy = at.y; yy < out.y + out.h; yy++) {
        bool drawn = yy >= out.y;
        Uint32 *row = (Uint32 *)((Uint8 *)dst->pixels + (size_t)(drawn ? yy : out.y) * (size_t)dst->pitch) + out.x;
        for (int cx = 0; cx < w;) {
            int blank = p[0], ink = p[1];
            const uint8_t *src = p + 2;
            p += 2 + ink;
            cx += blank;
            int from = cx < x0 ? x0 : cx, to = cx + ink > x1 ? x1 : cx + ink;
            for (int i = from; drawn && i < to; i++) {
                uint32_t a = alpha[src[i - cx]];
                if (a == 0) continue;
                if (a == 0xFF) {
                    row[i - x0] = solid;
                    continue;
                }
                uint32_t d = row[i - x0], na = 0xFF - a;
                uint32_t rb = (((src_rb * a) >> 8) & 0xFF00FF) + ((((d & 0xFF00FF) * na) >> 8) & 0xFF00FF);
                uint32_t gg = (((src_g * a) >> 8) & 0xFF00) + ((((d & 0xFF00) * na) >> 8) & 0xFF00);
                /* the fourth byte as SDL's blit leaves it (padding in an xRGB framebuffer) */
                uint32_t aa = ((0xFF * a) >> 8) + (((d >> 24) * na) >> 8);
                row[i - x0] = aa << 24 | rb | gg;
            }
            cx += ink;
        }
    }
    if (SDL_MUSTLOCK(dst)) SDL_UnlockSurface(dst);
}

void ren_text(ren *rn, int style, uint32_t rgba, const char *s, size_t len, int x, int y) {
    char plain[256];
    len = strip_shy(s, len, plain, sizeof plain, &s);
    if (len == 0 || style < 0) return;
    SDL_Surface *fb = direct_target(rn);
    if (fb) {
        int w, h, top, rows;
        const uint8_t *cov = coverage(rn, style, s, len, &w, &h, &top, &rows);
        if (!cov) return;
        blend_coverage(rn, fb, cov, w, rows, rgba, x, y + top);
        SDL_Rect dst = {x, y, w, h};
        if (rn->logging) log_text(rn, &dst, s, len);
        return;
    }
    uint32_t font_id = (uint32_t)style; /* face and size: the same key as the style */
    int w, h;
    SDL_Texture *t = texcache_get(rn->tc, font_id, rgba, s, len, &w, &h);
    if (!t) {
        char small[512];
        char *z = len < sizeof small ? small : malloc(len + 1);
        if (!z) return;
        memcpy(z, s, len);
        z[len] = '\0';
        SDL_Color c = {(Uint8)(rgba >> 24), (Uint8)(rgba >> 16), (Uint8)(rgba >> 8), (Uint8)rgba};
        font_slot *fs = slot_for(rn, style);
        TTF_Font *f = fs ? sized(fs) : NULL;
        SDL_Surface *surf = f ? TTF_RenderUTF8_Blended(f, z, c) : NULL;
        if (z != small) free(z);
        if (!surf) return;
        t = SDL_CreateTextureFromSurface(rn->r, surf);
        w = surf->w;
        h = surf->h;
        SDL_FreeSurface(surf);
        if (!t) return;
        rn->rasterised++;
        if (!texcache_put(rn->tc, font_id, rgba, s, len, t, w, h)) return; /* out of memory: it destroyed t */
    }
    SDL_Rect dst = {x, y, w, h};
    SDL_RenderCopy(rn->r, t, NULL, &dst);
    if (rn->logging) log_text(rn, &dst, s, len);
}

void ren_text_words(ren *rn, int style, uint32_t rgba, const char *s, size_t len, int x, int y) {
    /* Word by word, each at the x the layout measured: a whole-line texture would drift from the layout by
     * the shaper's rounding and side bearings, and word textures are shared by every page that uses them. */
    size_t i = 0;
    while (i < len) {
        size_t start = i;
        uint32_t cp = utf8_next(s, len, &i);
        if (utf8_is_break_space(cp)) {
            x += ren_measure(rn, style, s + start, i - start);
            continue;
        }
        while (i < len) {
            size_t j = i;
            if (utf8_is_break_space(utf8_next(s, len, &j))) break;
            i = j;
        }
        ren_text(rn, style, rgba, s + start, i - start, x, y);
        x += ren_measure(rn, style, s + start, i - start);
    }
}

/* The pieces of s as the patient's spacing lays them out: whole words (letter by letter when ls > 0), spaces
 * widened by ws, soft hyphens taking no room. Draws each piece at (x0 + its offset, y) when draw is set;
 * returns the total width. Measuring and drawing share this one walk, so they cannot disagree. */
static int walk_spaced(ren *rn, int style, const char *s, size_t len, int ls, int ws, bool draw, uint32_t rgba, int x0,
                       int y) {
    int x = 0;
    size_t i = 0;
    while (i < len) {
        size_t start = i;
        uint32_t cp = utf8_next(s, len, &i);
        if (cp == 0xAD) continue;
        if (utf8_is_break_space(cp)) {
            x += ren_measure(rn, style, s + start, i - start) + ws;
            continue;
        }
        if (ls <= 0) {
            /* a whole word, shaped */
            while (i < len) {
                size_t j = i;
                if (utf8_is_break_space(utf8_next(s, len, &j))) break;
                i = j;
            }
        }
        if (draw) ren_text(rn, style, rgba, s + start, i - start, x0 + x, y);
        x += ren_measure(rn, style, s + start, i - start) + (ls > 0 ? ls : 0);
    }
    return x;
}

int ren_measure_spaced(ren *rn, int style, const char *s, size_t len, int ls, int ws) {
    if (ls <= 0 && ws <= 0) return ren_measure(rn, style, s, len);
    return walk_spaced(rn, style, s, len, ls, ws, false, 0, 0, 0);
}

void ren_text_spaced(ren *rn, int style, uint32_t rgba, const char *s, size_t len, int x, int y, int ls, int ws) {
    if (ls <= 0 && ws <= 0)
        ren_text_words(rn, style, rgba, s, len, x, y);
    else
        walk_spaced(rn, style, s, len, ls, ws, true, rgba, x, y);
}

static void set_color(ren *rn, uint32_t rgba) {
    SDL_SetRenderDrawBlendMode(rn->r, (rgba & 0xFF) == 0xFF ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(rn->r, (Uint8)(rgba >> 24), (Uint8)(rgba >> 16), (Uint8)(rgba >> 8), (Uint8)rgba);
}

void ren_fill(ren *rn, int x, int y, int w, int h, uint32_t rgba) {
    if (w <= 0 || h <= 0) return;
    set_color(rn, rgba);
    SDL_Rect rc = {x, y, w, h};
    SDL_RenderFillRect(rn->r, &rc);
}

/* Horizontal inset of a quarter circle of radius r at row dy (0 = the top row of the corner). */
static int corner_inset(int r, int dy) {
    double yy = (double)r - (double)dy - 0.5;
    double xx = SDL_sqrt((double)r * r - yy * yy);
    return r - (int)(xx + 0.5);
}

void ren_fill_round(ren *rn, int x, int y, int w, int h, int radius, uint32_t rgba) {
    if (w <= 0 || h <= 0) return;
    if (radius * 2 > h) radius = h / 2;
    if (radius * 2 > w) radius = w / 2;
    set_color(rn, rgba);
    SDL_Rect mid = {x, y + radius, w, h - 2 * radius};
    SDL_RenderFillRect(rn->r, &mid);
    for (int dy = 0; dy < radius; dy++) {
        int in = corner_inset(radius, dy);
        SDL_Rect top = {x + in, y + dy, w - 2 * in, 1};
        SDL_Rect bot = {x + in, y + h - 1 - dy, w - 2 * in, 1};
        SDL_RenderFillRect(rn->r, &top);
        SDL_RenderFillRect(rn->r, &bot);
    }
}

void ren_frame_round(ren *rn, int x, int y, int w, int h, int radius, int t, uint32_t rgba) {
    if (w <= 0 || h <= 0 || t <= 0) return;
    if (radius * 2 > h) radius = h / 2;
    if (radius * 2 > w) radius = w / 2;
    set_color(rn, rgba);
    /* straight edges */
    SDL_Rect e[4] = {{x + radius, y, w - 2 * radius, t},
                     {x + radius, y + h - t, w - 2 * radius, t},
                     {x, y + radius, t, h - 2 * radius},
                     {x + w - t, y + radius, t, h - 2 * radius}};
    SDL_RenderFillRects(rn->r, e, 4);
    /* corners: the ring between the outer and the inner quarter circle, row by row */
    int ri = radius - t;
    for (int dy = 0; dy < radius; dy++) {
        int out = corner_inset(radius, dy);
        int inn = (ri > 0 && dy >= t) ? t + corner_inset(ri, dy - t) : radius;
        int len = inn - out;
        if (len <= 0) len = 1;
        SDL_Rect rs[4] = {{x + out, y + dy, len, 1},
                          {x + w - out - len, y + dy, len, 1},
                          {x + out, y + h - 1 - dy, len, 1},
                          {x + w - out - len, y + h - 1 - dy, len, 1}};
        SDL_RenderFillRects(rn->r, rs, 4);
    }
}

void ren_clip(ren *rn, const SDL_Rect *clip) { SDL_RenderSetClipRect(rn->r, clip); }

/* The verdict on the file at path, probing it (a stat, then a read of at most MS_IMAGE_MAX_BYTES) only when it
 * is new or has changed. */
static probe_slot *probe_for(ren *rn, const char *path) {
    struct stat sb;
    long long size = -1, mtime = -1;
    if (stat(path, &sb) == 0) {
        size = (long long)sb.st_size;
        mtime = (long long)sb.st_mtime;
    }
    probe_slot *lru = &rn->probes[0];
    for (int i = 0; i < MAX_PROBES; i++) {
        probe_slot *p = &rn->probes[i];
        if (p->path[0] && strcmp(p->path, path) == 0) {
            p->last_use = ++rn->use_clock;
            if (p->size == size && p->mtime == mtime) return p;
            lru = p;
            break;
        }
        if (!p->path[0] || p->last_use < lru->last_use) lru = p;
    }
    image_info info;
    char why[200];
    snprintf(lru->path, sizeof lru->path, "%s", path);
    lru->size = size;
    lru->mtime = mtime;
    lru->status = size < 0 ? IMAGE_MISSING : image_load_file(path, NULL, NULL, &info, why, sizeof why);
    lru->last_use = ++rn->use_clock;
    if (lru->status != IMAGE_OK && lru->status != IMAGE_MISSING) SDL_Log("image %s not shown: %s", path, why);
    return lru;
}

bool ren_image_usable(ren *rn, const char *path) { return probe_for(rn, path)->status == IMAGE_OK; }

/* Decodes the checked bytes with the decoder of their format (image_decode: libpng, libjpeg-turbo, nanosvg),
 * never a guess by content. An SVG is rasterised at w×h or, when that is more than its budget of pixels
 * (image_svg_pixel_budget), smaller with the same shape; the texture is then scaled up to the frame. */
static image_status decode(const void *data, size_t len, const image_info *info, int w, int h, image_pixels *px,
                           char *why, size_t whycap) {
    if (info->format == IMAGE_SVG) {
        double budget = image_svg_pixel_budget(info), area = (double)w * h;
        if (area > budget) {
            double k = sqrt(budget / area);
            w = (int)(w * k) > 0 ? (int)(w * k) : 1;
            h = (int)(h * k) > 0 ? (int)(h * k) : 1;
        }
    }
    return image_decode(data, len, info, w, h, px, why, whycap);
}

static image_slot *image_find(ren *rn, const char *path, int w, int h, bool load) {
    image_slot *lru = &rn->images[0];
    for (int i = 0; i < MAX_IMAGES; i++) {
        image_slot *s = &rn->images[i];
        if (s->tex && s->w == w && s->h == h && strcmp(s->path, path) == 0) {
            s->last_use = ++rn->use_clock;
            return s;
        }
        if (!s->tex || s->last_use < lru->last_use) lru = s;
        if (!s->tex) lru = s;
    }
    if (!load) return NULL;
    /* nothing is decoded that its header (image.h) does not bound; a refusal or a failed decode is
     * remembered, so it is not tried again every frame */
    probe_slot *ps = probe_for(rn, path);
    if (ps->status != IMAGE_OK) return NULL;
    void *data = NULL;
    size_t len = 0;
    image_info info;
    char why[256] = "";
    image_pixels px = {0};
    image_status st = image_load_file(path, &data, &len, &info, why, sizeof why);
    if (st == IMAGE_OK) st = decode(data, len, &info, w, h, &px, why, sizeof why);
    free(data);
    if (st != IMAGE_OK) {
        SDL_Log("image %s not shown: %s", path, why);
        ps->status = st;
        return NULL;
    }
    double aspect = (double)px.width / px.height;
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormatFrom(px.rgba, (int)px.width, (int)px.height, 32,
                                                           (int)px.width * 4, SDL_PIXELFORMAT_RGBA32);
    SDL_Texture *t = surf ? SDL_CreateTextureFromSurface(rn->r, surf) : NULL;
    SDL_FreeSurface(surf);
    image_pixels_free(&px);
    if (!t) return NULL;
    SDL_SetTextureScaleMode(t, SDL_ScaleModeLinear);
    if (lru->tex) SDL_DestroyTexture(lru->tex);
    snprintf(lru->path, sizeof lru->path, "%s", path);
    lru->w = w;
    lru->h = h;
    lru->tex = t;
    lru->aspect = aspect;
    lru->last_use = ++rn->use_clock;
    return lru;
}

bool ren_image(ren *rn, const char *path, int x, int y, int w, int h) {
    image_slot *s = image_find(rn, path, w, h, true);
    if (!s) return false;
    SDL_Rect dst = {x, y, w, h};
    SDL_RenderCopy(rn->r, s->tex, NULL, &dst);
    return true;
}

double ren_image_aspect(ren *rn, const char *path) {
    for (int i = 0; i < MAX_IMAGES; i++)
        if (rn->images[i].tex && strcmp(rn->images[i].path, path) == 0) return rn->images[i].aspect;
    return 0;
}

SDL_Renderer *ren_sdl(ren *rn) { return rn->r; }

void ren_release_measuring(ren *rn) {
    for (int f = 0; f < 3; f++)
        for (int i = 0; i < 4; i++) {
            font_file *file = &rn->files[f][i][1];
            if (!file->font) continue;
            TTF_CloseFont(file->font);
            file->font = NULL;
        }
}

void ren_forget_text(ren *rn) {
    texcache_clear(rn->tc);
    /* the word-width table keeps the words it measured (the person's among them): wiped, not only forgotten */
    word_table *t = &rn->words;
    if (t->arena) memset(t->arena, 0, t->arena_cap);
    word_table_clear(t);
    /* and the scratch a word's coverage is coded in: a field's line of the patient's text is drawn as one run */
    if (rn->scratch) memset(rn->scratch, 0, rn->scratch_cap);
}

ren_stats ren_get_stats(ren *rn) {
    size_t measuring = 0;
    for (int f = 0; f < 3; f++)
        for (int i = 0; i < 4; i++)
            measuring += rn->files[f][i][1].font != NULL;
    texcache_stats t = texcache_get_stats(rn->tc);
    fontfile_stats fs = fontfile_get_stats(rn->ff);
    size_t resizes = 0;
    for (int f = 0; f < 3; f++)
        for (int i = 0; i < 4; i++)
            resizes += rn->files[f][i][0].resizes + rn->files[f][i][1].resizes;
    return (ren_stats){.text_cache_entries = t.entries,
                       .text_cache_pixels = t.pixels,
                       .text_hits = t.hits,
                       .text_misses = t.misses,
                       .rasterised = rn->rasterised,
                       .text_cache_bytes = t.bytes,
                       .font_opens = fs.files,
                       .font_reads = fs.reads,
                       .font_kept_bytes = fs.kept_bytes,
                       .measuring_fonts = measuring,
                       .font_resizes = resizes,
                       .word_widths = rn->words.n_words};
}
