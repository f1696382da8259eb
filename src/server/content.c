/* content.c — the programme the server offers: every file of the content directory that the programme names,
 * loaded once at start and served as a blob named by its SHA-256 (docs/sync-protocol.md).
 * The seam: it is read-only after serve starts, so the handlers in api.c look blobs up without any lock, and it
 * touches neither HTTP nor the database.
 */
#include <assert.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "meistring/doc.h"

#include "server.h"

/* ---- content: every file of the programme as a blob named by its SHA-256 ------------------------------------ */

static blob *blobs;
size_t n_blobs;
doc_programme *prog;

void hex(const unsigned char *in, size_t n, char *out) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

static const blob *add_blob(const char *dir, const char *rel) {
    for (size_t i = 0; i < n_blobs; i++)
        if (strcmp(blobs[i].path, rel) == 0) return &blobs[i];
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    struct stat sb;
    fstat(fileno(f), &sb);
    blob b = {0};
    b.size = (size_t)sb.st_size;
    b.data = malloc(b.size ? b.size : 1);
    if (!b.data || fread(b.data, 1, b.size, f) != b.size) {
        fclose(f);
        free(b.data);
        return NULL;
    }
    fclose(f);
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, b.data, b.size);
    hex(h, sizeof h, b.sha);
    snprintf(b.path, sizeof b.path, "%s", rel);
    blob *n = realloc(blobs, (n_blobs + 1) * sizeof *n);
    if (!n) return NULL;
    blobs = n;
    blobs[n_blobs] = b;
    return &blobs[n_blobs++];
}

bool load_content(const char *dir) {
    doc_error err;
    if (doc_load_dir(dir, &prog, &err) != DOC_OK) {
        fprintf(stderr, "meistring-server: %s: %s: %s\n", dir, err.where, err.msg);
        return false;
    }
    if (!add_blob(dir, "programme.json")) return false;
    for (size_t m = 0; m < prog->n_modules; m++) {
        if (!add_blob(dir, prog->modules[m].file)) return false;
        for (size_t p = 0; p < prog->modules[m].n_pages; p++)
            for (size_t b = 0; b < prog->modules[m].pages[p].n_blocks; b++) {
                const doc_block *blk = &prog->modules[m].pages[p].blocks[b];
                if (blk->type == DOC_BLOCK_IMAGE && !add_blob(dir, blk->src))
                    fprintf(stderr, "meistring-server: image %s is missing; served without it\n", blk->src);
            }
    }
    return true;
}

const blob *find_blob_path(const char *rel) {
    for (size_t i = 0; i < n_blobs; i++)
        if (strcmp(blobs[i].path, rel) == 0) return &blobs[i];
    return NULL;
}

const blob *blob_at(size_t i) {
    assert(i < n_blobs);
    return &blobs[i];
}

const blob *find_blob_sha(const char *sha) {
    for (size_t i = 0; i < n_blobs; i++)
        if (strcmp(blobs[i].sha, sha) == 0) return &blobs[i];
    return NULL;
}
