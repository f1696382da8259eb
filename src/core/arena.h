/* arena.h — a bump allocator for data that lives and dies together (a parsed programme).
 * Blocks grow geometrically; nothing is freed until arena_free(), which frees everything. */
#ifndef MS_ARENA_H
#define MS_ARENA_H

#include <stddef.h>

struct doc_arena;
typedef struct doc_arena arena;

arena *arena_new(void);
void arena_free(arena *a);                /* NULL is a no-op */
void *arena_alloc(arena *a, size_t size); /* zeroed, 16-byte aligned; NULL when out of memory */
char *arena_strndup(arena *a, const char *s, size_t len);
size_t arena_used(const arena *a);

#endif
