/* texcache.h — rasterised text fragments kept for reuse, least recently used evicted first.
 * A page turn or a scroll draws mostly text that was drawn before; this cache turns that into copies instead of
 * FreeType rasterisation. An entry is a texture in its ink (4 bytes a pixel; for renderers that draw textures
 * only) or the text's coverage in any ink, run-length coded (the software renderer: render.c blends it into the
 * window's framebuffer itself). Bounded by entry count and by the textures' pixels or the coverages' bytes
 * (config.h). */
#ifndef MS_UI_TEXCACHE_H
#define MS_UI_TEXCACHE_H

#include <SDL2/SDL.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct texcache texcache;

/* max_cost: the pixels of the textures kept, or the bytes of the coverages kept */
texcache *texcache_new(SDL_Renderer *r, size_t max_entries, size_t max_cost);
void texcache_free(texcache *c); /* frees every texture; NULL is a no-op */

/* Looks up (font_id, color, text). Returns the texture (owned by the cache, valid until the next
 * texcache_put) and its size, or NULL when absent. */
SDL_Texture *texcache_get(texcache *c, uint32_t font_id, uint32_t rgba, const char *text, size_t len, int *w, int *h);
/* Stores a texture the caller made; the cache takes ownership and may evict others. False when out of memory:
 * the texture is destroyed then, and the caller must not use it. */
bool texcache_put(texcache *c, uint32_t font_id, uint32_t rgba, const char *text, size_t len, SDL_Texture *t, int w,
                  int h);
/* The same for coverage masks, which serve every ink: of a text w × h px, the rows [top, top + rows) (the rows
 * above and below, blank, are not kept: a word of small letters is a third of its line's height), in `bytes`
 * bytes coded by render.c (runs of blank pixels skipped: half the bytes of one a pixel at 100 %, a third at
 * 400 %), owned by the cache. The budget counts the bytes. */
const uint8_t *texcache_get_coverage(texcache *c, uint32_t font_id, const char *text, size_t len, int *w, int *h,
                                     int *top, int *rows);
bool texcache_put_coverage(texcache *c, uint32_t font_id, const char *text, size_t len, uint8_t *cov, size_t bytes,
                           int w, int h, int top, int rows);
void texcache_clear(texcache *c);

typedef struct {
    size_t entries, pixels, bytes, hits, misses, evictions;
    size_t index_bytes; /* the hash table's buckets: they grow with the entries */
} texcache_stats;
texcache_stats texcache_get_stats(const texcache *c);

#endif
