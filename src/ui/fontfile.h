/* fontfile.h — font files read through the page cache, with a small cache of their hot blocks, never mapped.
 * FreeType (under SDL_ttf) reads a font through an SDL_RWops: tables once, when a font opens, into its own memory;
 * then a glyph's outline and its advance (2 bytes at a time) each time a glyph is loaded. A mapping of the file
 * kept every 64 KB window the kernel maps around a touched page resident in the client (~860 KB for the three
 * faces of the longest page); plain reads cost a system call per 2 bytes (~11,800 reading that page). Here reads
 * of a few bytes come from a few 4 KB blocks kept in the heap (config.h: MS_FONTFILE_*), larger ones go straight
 * to the file. One thread only (the renderer's, the main thread): the blocks and the counts are not locked. The
 * page cache holds the files' pages either way; read this way, fewer of them (fincore after a cold start reading
 * the longest page: 808 KB of the two faces against 1,008 KB mapped). */
#ifndef MS_UI_FONTFILE_H
#define MS_UI_FONTFILE_H

#include <SDL2/SDL.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct fontfile fontfile;

fontfile *fontfile_new(void);
void fontfile_free(fontfile *ff); /* closes every file; every stream made must be closed first; NULL is a no-op */

/* Opens path for reading (once per index: the same index gives the same file; index < MS_FONTFILE_MAX_FILES).
 * False, with SDL's error set, when it cannot be read. */
bool fontfile_open(fontfile *ff, int index, const char *path);
/* A read-only stream from the start of the file opened at index (fontfile_open first), with a position of its own,
 * for TTF_OpenFontRW; SDL_RWclose frees it and leaves the file open. NULL with SDL's error set. */
SDL_RWops *fontfile_stream(fontfile *ff, int index);

typedef struct {
    size_t files;      /* files opened */
    size_t reads;      /* system calls that read a font */
    size_t hits;       /* reads served from the kept blocks */
    size_t kept_bytes; /* the blocks' memory */
} fontfile_stats;
fontfile_stats fontfile_get_stats(const fontfile *ff);

#endif
