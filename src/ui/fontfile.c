/* fontfile.c — font files read through the page cache, their hot blocks kept; see fontfile.h. The blocks are a
 * handful (a glyph's advance in hmtx, the outlines of the Latin letters near the start of glyf), so a linear scan
 * with a use clock is all the lookup needs. */
#include "fontfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "meistring/config.h"

#define BLOCK  MS_FONTFILE_BLOCK
#define BLOCKS MS_FONTFILE_BLOCKS

typedef struct {
    int fd; /* -1: not open */
    Sint64 len;
} file;

typedef struct {
    int file;   /* -1: empty */
    Sint64 at;  /* its offset, a multiple of BLOCK */
    size_t len; /* BLOCK, or less at the file's end */
    uint64_t last_use;
    unsigned char *bytes; /* BLOCK bytes, allocated when first used */
} block;

struct fontfile {
    file files[MS_FONTFILE_MAX_FILES];
    block blocks[BLOCKS];
    uint64_t clock; /* 64 bits: a wrapped clock would leave the oldest blocks looking newest */
    fontfile_stats stats;
};

typedef struct {
    fontfile *ff;
    int file;
    Sint64 pos;
} stream;

fontfile *fontfile_new(void) {
    fontfile *ff = calloc(1, sizeof *ff);
    if (!ff) return NULL;
    for (int i = 0; i < MS_FONTFILE_MAX_FILES; i++)
        ff->files[i].fd = -1;
    for (int i = 0; i < BLOCKS; i++)
        ff->blocks[i].file = -1;
    return ff;
}

void fontfile_free(fontfile *ff) {
    if (!ff) return;
    for (int i = 0; i < MS_FONTFILE_MAX_FILES; i++)
        if (ff->files[i].fd >= 0) close(ff->files[i].fd);
    for (int i = 0; i < BLOCKS; i++)
        free(ff->blocks[i].bytes);
    free(ff);
}

bool fontfile_open(fontfile *ff, int index, const char *path) {
    if (index < 0 || index >= MS_FONTFILE_MAX_FILES) return SDL_SetError("fontfile: no index %d", index), false;
    if (ff->files[index].fd >= 0) return true;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0 || sb.st_size <= 0 || sb.st_size >= INT32_MAX) {
        if (fd >= 0) close(fd);
        SDL_SetError("cannot read %s", path);
        return false;
    }
    ff->files[index] = (file){.fd = fd, .len = (Sint64)sb.st_size};
    ff->stats.files++;
    return true;
}

/* want bytes at `at` of the file, straight from it; the bytes read (fewer only at its end or on an error). */
static size_t read_file(fontfile *ff, const file *f, void *to, size_t want, Sint64 at) {
    size_t got = 0;
    while (got < want) {
        ssize_t n = pread(f->fd, (char *)to + got, want - got, (off_t)(at + (Sint64)got));
        ff->stats.reads++;
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += (size_t)n;
    }
    return got;
}

/* The block of file index at `at` (a multiple of BLOCK), read in place of the least recently used one if not
 * kept; NULL when it cannot be read. */
static block *block_at(fontfile *ff, int index, Sint64 at) {
    block *lru = &ff->blocks[0];
    for (int i = 0; i < BLOCKS; i++) {
        block *b = &ff->blocks[i];
        if (b->file == index && b->at == at) {
            b->last_use = ++ff->clock;
            ff->stats.hits++;
            return b;
        }
        if (b->file < 0 || (lru->file >= 0 && b->last_use < lru->last_use)) lru = b;
    }
    if (!lru->bytes) {
        lru->bytes = malloc(BLOCK);
        if (!lru->bytes) return NULL;
        ff->stats.kept_bytes += BLOCK;
    }
    const file *f = &ff->files[index];
    size_t want = f->len - at < BLOCK ? (size_t)(f->len - at) : BLOCK;
    lru->file = -1;
    if (read_file(ff, f, lru->bytes, want, at) != want) return NULL;
    lru->file = index;
    lru->at = at;
    lru->len = want;
    lru->last_use = ++ff->clock;
    return lru;
}

static Sint64 st_size(SDL_RWops *rw) {
    stream *s = rw->hidden.unknown.data1;
    return s->ff->files[s->file].len;
}

static Sint64 st_seek(SDL_RWops *rw, Sint64 offset, int whence) {
    stream *s = rw->hidden.unknown.data1;
    if (whence != RW_SEEK_SET && whence != RW_SEEK_CUR && whence != RW_SEEK_END)
        return SDL_SetError("fontfile: no such seek");
    Sint64 at = whence == RW_SEEK_SET ? offset : whence == RW_SEEK_CUR ? s->pos + offset : st_size(rw) + offset;
    if (at < 0) return SDL_SetError("fontfile: seek before the start");
    s->pos = at;
    return at;
}

static size_t st_read(SDL_RWops *rw, void *ptr, size_t size, size_t maxnum) {
    stream *s = rw->hidden.unknown.data1;
    const file *f = &s->ff->files[s->file];
    if (size == 0 || maxnum == 0 || s->pos >= f->len) return 0;
    if (maxnum > SIZE_MAX / size) maxnum = SIZE_MAX / size; /* SDL's own reads guard the product too */
    size_t want = size * maxnum;
    if ((Sint64)want > f->len - s->pos) want = (size_t)(f->len - s->pos);
    size_t got = 0;
    if (want > BLOCK) {
        /* a table, read once as a font opens: into FreeType's memory, not kept twice */
        got = read_file(s->ff, f, ptr, want, s->pos);
    } else {
        while (got < want) {
            Sint64 at = s->pos + (Sint64)got, start = at / BLOCK * BLOCK;
            block *b = block_at(s->ff, s->file, start);
            if (!b) break;
            size_t from = (size_t)(at - start), n = b->len - from < want - got ? b->len - from : want - got;
            memcpy((char *)ptr + got, b->bytes + from, n);
            got += n;
        }
    }
    s->pos += (Sint64)got;
    return got / size;
}

static size_t st_write(SDL_RWops *rw, const void *ptr, size_t size, size_t num) {
    (void)rw, (void)ptr, (void)size, (void)num;
    SDL_SetError("fontfile: read-only");
    return 0;
}

static int st_close(SDL_RWops *rw) {
    free(rw->hidden.unknown.data1);
    SDL_FreeRW(rw);
    return 0;
}

SDL_RWops *fontfile_stream(fontfile *ff, int index) {
    if (index < 0 || index >= MS_FONTFILE_MAX_FILES || ff->files[index].fd < 0) {
        SDL_SetError("fontfile: file %d not open", index);
        return NULL;
    }
    SDL_RWops *rw = SDL_AllocRW();
    stream *s = rw ? malloc(sizeof *s) : NULL;
    if (!s) {
        if (rw) SDL_FreeRW(rw);
        SDL_OutOfMemory();
        return NULL;
    }
    *s = (stream){.ff = ff, .file = index};
    rw->type = SDL_RWOPS_UNKNOWN;
    rw->hidden.unknown.data1 = s;
    rw->size = st_size;
    rw->seek = st_seek;
    rw->read = st_read;
    rw->write = st_write;
    rw->close = st_close;
    return rw;
}

fontfile_stats fontfile_get_stats(const fontfile *ff) { return ff->stats; }
