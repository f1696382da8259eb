/* texcache.h — rasterised text fragments kept as textures, least recently used evicted first.
 * A page turn or a scroll draws mostly text that was drawn before; this cache turns that into texture copies
 * instead of FreeType rasterisation. Bounded by entry count and by total pixels (config.h). */
#ifndef MS_UI_TEXCACHE_H
#define MS_UI_TEXCACHE_H

#include <SDL2/SDL.h>
#include <stddef.h>
#include <stdint.h>

typedef struct texcache texcache;

texcache *texcache_new(SDL_Renderer *r, size_t max_entries, size_t max_pixels);
void texcache_free(texcache *c); /* frees every texture; NULL is a no-op */

/* Looks up (font_id, color, text). Returns the texture (owned by the cache, valid until the next
 * texcache_put) and its size, or NULL when absent. */
SDL_Texture *texcache_get(texcache *c, uint32_t font_id, uint32_t rgba, const char *text, size_t len, int *w, int *h);
/* Stores a texture the caller made; the cache takes ownership and may evict others. */
void texcache_put(texcache *c, uint32_t font_id, uint32_t rgba, const char *text, size_t len, SDL_Texture *t, int w,
                  int h);
void texcache_clear(texcache *c);

typedef struct {
    size_t entries, pixels, hits, misses, evictions;
} texcache_stats;
texcache_stats texcache_get_stats(const texcache *c);

#endif
