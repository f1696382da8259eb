/* sync_content.c — the manifest step of a pass and what it leaves on disk: the manifest checked field by field,
 * the blobs it names fetched (resumable, verified against their SHA-256), and the programme built from them in a
 * fresh directory, validated like `meistring --validate`, and swapped in whole. The seam: everything here is about
 * content and files, and nothing reaches the screen that has not passed through materialize().
 * Hostile-server rules apply as in sync.c: nothing half-fetched is ever marked present. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "sync_internal.h"

#include "jsondepth.h"
#include "meistring/doc.h"
#include "meistring/paths.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_sha(const char *s) {
    if (!s || strlen(s) != 64) return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return false;
    return true;
}

/* Fetches one blob (resuming a partial download), verifies its bytes against its name, stores it. */
static sync_result fetch_blob(sync_engine *s, store *st, const char *token, const char *sha, long size,
                              sync_report *rep) {
    if (size < 0 || size > MAX_BLOB) {
        snprintf(rep->msg, sizeof rep->msg, "blob %.12s: size %ld over the cap", sha, size);
        return SYNC_BAD_DATA;
    }
    size_t have = 0;
    unsigned char *part = store_blob_part_get(st, sha, &have);
    if (have >= (size_t)size && part) {
        /* A partial as long as the whole blob: the link dropped after the last byte came. Asking for the bytes
         * from `size` on gets a 416 from a static web server (docs/deploy.md), every pass, for ever; it is either
         * the whole blob already, or wrong and thrown away so the next request starts clean. */
        char got[65];
        sync_sha256_hex(part, have, got);
        if (have == (size_t)size && strcmp(got, sha) == 0 && store_blob_put(st, sha, part, have)) {
            free(part);
            rep->blobs_fetched++;
            s->done++;
            if (s->progress) s->progress(s->progress_ctx, s->done, s->need);
            return SYNC_OK;
        }
        store_blob_part_put(st, sha, "", 0);
        free(part);
        part = NULL;
        have = 0;
    }
    char path[128];
    snprintf(path, sizeof path, "/v1/blobs/%s", sha);
    buf b;
    headers hd;
    long status;
    sync_result r =
        sync_http(s, "GET", path, token, NULL, NULL, (long)have, (size_t)size - have + 1, &b, &hd, &status, rep);
    bool resumed = status == 206;
    /* the server has no such range (the blob changed under its name would be a server bug; the partial is
     * wrong either way): start clean next time */
    if (r == SYNC_OK && status == 416) store_blob_part_put(st, sha, "", 0);
    if (r == SYNC_OFFLINE && b.len > 0 && (status == 200 || status == 206)) {
        /* the link dropped mid-body: keep what came, so the next pass asks only for the rest */
        size_t keep = (resumed ? have : 0) + b.len;
        unsigned char *joined = malloc(keep ? keep : 1);
        if (joined) {
            if (resumed && have) memcpy(joined, part, have);
            memcpy(joined + (resumed ? have : 0), b.data, b.len);
            store_blob_part_put(st, sha, joined, keep);
            free(joined);
        }
    }
    if (r == SYNC_OK) r = sync_status_result(status, &hd, "blob", rep);
    if (r == SYNC_OK) {
        size_t total = (resumed ? have : 0) + b.len;
        unsigned char *all = malloc(total ? total : 1);
        if (!all)
            r = SYNC_OFFLINE;
        else {
            if (resumed && have) memcpy(all, part, have);
            memcpy(all + (resumed ? have : 0), b.data, b.len);
            char got[65];
            sync_sha256_hex(all, total, got);
            if (total != (size_t)size || strcmp(got, sha) != 0) {
                /* never marked present; the partial goes too, so the next try starts clean */
                store_blob_part_put(st, sha, "", 0);
                snprintf(rep->msg, sizeof rep->msg, "blob %.12s: %zu bytes that do not match their hash", sha, total);
                r = SYNC_BAD_DATA;
            } else if (!store_blob_put(st, sha, all, total)) {
                snprintf(rep->msg, sizeof rep->msg, "blob %.12s: could not store it", sha);
                r = store_disk_full(st) ? SYNC_DISK_FULL : SYNC_OFFLINE;
            } else {
                rep->blobs_fetched++;
                s->done++;
                if (s->progress) s->progress(s->progress_ctx, s->done, s->need);
            }
            free(all);
        }
    }
    free(part);
    free(b.data);
    return r;
}

/* Checks a {sha256, size} object; returns the sha or NULL. */
static const char *blob_ref(const cJSON *o, long *size) {
    if (!cJSON_IsObject(o)) return NULL;
    const char *sha = get_str(o, "sha256", 64);
    long long sz;
    if (!is_sha(sha) || !get_int(cJSON_GetObjectItemCaseSensitive(o, "size"), 0, MAX_BLOB, &sz)) return NULL;
    *size = (long)sz;
    return sha;
}

static sync_result materialize(store *st, const cJSON *man, const char *dir, int *written, int *kept, char *err,
                               size_t errcap);
static bool safe_rel_path(const char *rel);

sync_result sync_do_manifest(sync_engine *s, store *st, const char *token, sync_report *rep) {
    char *etag = store_sync_get(st, "etag");
    buf b;
    headers hd;
    long status;
    sync_result r = sync_http(s, "GET", "/v1/manifest", token, NULL, etag, 0, MAX_JSON, &b, &hd, &status, rep);
    free(etag);
    if (r == SYNC_OK) r = sync_status_result(status, &hd, "manifest", rep);
    if (r != SYNC_OK || status == 304) {
        free(b.data);
        return r;
    }
    cJSON *j = sync_parse_json(&b, "manifest", rep);
    /* every field typed before anything is fetched */
    const cJSON *prog = j ? cJSON_GetObjectItemCaseSensitive(j, "programme") : NULL;
    const cJSON *mods = j ? cJSON_GetObjectItemCaseSensitive(j, "modules") : NULL;
    long size;
    const char *psha = prog ? blob_ref(cJSON_GetObjectItemCaseSensitive(prog, "content"), &size) : NULL;
    if (!j || !cJSON_IsObject(prog) || !psha || !cJSON_IsArray(mods) ||
        cJSON_GetArraySize(mods) > MS_SYNC_MAX_MODULES) {
        if (j) snprintf(rep->msg, sizeof rep->msg, "manifest: missing or wrong-typed fields");
        cJSON_Delete(j);
        free(b.data);
        return SYNC_BAD_DATA;
    }
    const cJSON *m;
    /* what the whole programme would take on the disk, counted before anything is fetched */
    double total = (double)size;
    cJSON_ArrayForEach(m, mods) {
        const cJSON *unl = cJSON_GetObjectItemCaseSensitive(m, "unlocked");
        if (!cJSON_IsObject(m) || !get_str(m, "id", MS_DOC_MAX_ID) || !cJSON_IsBool(unl)) r = SYNC_BAD_DATA;
        long sz;
        const cJSON *content = cJSON_GetObjectItemCaseSensitive(m, "content");
        if (content && !blob_ref(content, &sz)) r = SYNC_BAD_DATA;
        if (content && r == SYNC_OK) total += (double)sz;
        const cJSON *assets = cJSON_GetObjectItemCaseSensitive(m, "assets"), *a;
        if (assets && (!cJSON_IsArray(assets) || cJSON_GetArraySize(assets) > MS_SYNC_MAX_ASSETS)) r = SYNC_BAD_DATA;
        cJSON_ArrayForEach(a, assets) {
            const char *path = get_str(a, "path", MS_SYNC_MAX_PATH);
            if (!blob_ref(a, &sz) || !path || !safe_rel_path(path))
                r = SYNC_BAD_DATA;
            else
                total += (double)sz;
        }
    }
    if (r != SYNC_OK) snprintf(rep->msg, sizeof rep->msg, "manifest: a module is malformed");
    if (r == SYNC_OK && total > MS_SYNC_MAX_TOTAL) {
        snprintf(rep->msg, sizeof rep->msg, "manifest: the programme's files come to %.0f bytes, over the %d cap",
                 total, MS_SYNC_MAX_TOTAL);
        r = SYNC_BAD_DATA;
    }
    /* how many files this pass must fetch, for the progress bar */
    s->need = s->done = 0;
    if (r == SYNC_OK) {
        long sz;
        if (!store_blob_has(st, psha)) s->need++;
        cJSON_ArrayForEach(m, mods) {
            const char *csha = blob_ref(cJSON_GetObjectItemCaseSensitive(m, "content"), &sz);
            if (csha && !store_blob_has(st, csha)) s->need++;
            const cJSON *a;
            cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(m, "assets")) {
                const char *asha = blob_ref(a, &sz);
                if (asha && !store_blob_has(st, asha)) s->need++;
            }
        }
        if (s->need && s->progress) s->progress(s->progress_ctx, 0, s->need);
    }
    /* fetch what is missing; the manifest is committed only when every blob it names is here */
    if (r == SYNC_OK && !store_blob_has(st, psha)) r = fetch_blob(s, st, token, psha, size, rep);
    cJSON_ArrayForEach(m, mods) {
        if (r != SYNC_OK) break;
        long sz;
        const char *csha = blob_ref(cJSON_GetObjectItemCaseSensitive(m, "content"), &sz);
        if (csha && !store_blob_has(st, csha)) r = fetch_blob(s, st, token, csha, sz, rep);
        const cJSON *a;
        cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(m, "assets")) {
            if (r != SYNC_OK) break;
            const char *asha = blob_ref(a, &sz);
            if (asha && !store_blob_has(st, asha)) r = fetch_blob(s, st, token, asha, sz, rep);
        }
    }
    /* the new programme is built and validated before it is committed: one that does not pass is refused and
     * the cached one stays in place; the manifest is not committed, so the next pass asks again */
    if (r == SYNC_OK && s->content_dir[0]) {
        char err[sizeof rep->msg - 16];
        r = materialize(st, j, s->content_dir, &rep->files_written, &rep->files_kept, err, sizeof err);
        if (r != SYNC_OK) snprintf(rep->msg, sizeof rep->msg, "manifest: %s", err);
    }
    if (r == SYNC_OK) {
        if (store_begin(st) && store_sync_set(st, "manifest", (const char *)b.data) &&
            store_sync_set(st, "etag", hd.etag) && store_commit(st)) {
            rep->manifest_changed = true;
        } else {
            store_rollback(st);
            snprintf(rep->msg, sizeof rep->msg, "manifest: could not store it: %s", store_last_error(st));
            r = store_disk_full(st) ? SYNC_DISK_FULL : SYNC_OFFLINE;
        }
    }
    cJSON_Delete(j);
    free(b.data);
    return r;
}

/* ---- the synced programme as a content directory ------------------------------------------------------- */

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* rm -rf for a directory this module wrote (depth first, never following links). */
static void remove_tree(const char *path) { nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS); }

/* A path inside the programme that is safe to write under the content directory: relative, plain characters,
 * no empty, "." or ".." part. Anything else in a manifest is refused before a byte is fetched. */
static bool safe_rel_path(const char *rel) {
    size_t n = strlen(rel);
    if (n == 0 || n > MS_SYNC_MAX_PATH || rel[0] == '/' || rel[n - 1] == '/') return false;
    for (const char *p = rel; *p; p++) {
        unsigned char c = (unsigned char)*p;
        /* letters beyond ASCII (UTF-8 bytes: «bilder/ødeland.svg») are fine; controls, spaces, '\\', ':' are not */
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                     c == '_' || c == '.' || c == '/' || c >= 0x80;
        if (!plain) return false;
        if (c == '/' && p[1] == '/') return false;
        bool part_start = p == rel || p[-1] == '/';
        if (part_start && c == '.') return false; /* ".", "..", and hidden files */
    }
    return strcmp(rel, "programme.json") != 0;
}

typedef enum { WR_OK, WR_FULL, WR_FAIL } write_status;

/* What one materialize did to the disk, for the report (rep->files_written, files_kept) and the tests. */
typedef struct {
    const char *old_root; /* the programme in place, whose unchanged files are linked rather than written */
    int written, kept;
} placing;

static write_status errno_status(int e) { return e == ENOSPC || e == EDQUOT ? WR_FULL : WR_FAIL; }

/* Makes the parent directories of root/rel (path is root/rel, modified and restored). */
static void make_parents(char *path, size_t root_len) {
    for (char *p = path + root_len + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0700);
            *p = '/';
        }
    }
}

static write_status write_file(placing *pl, const char *root, const char *rel, const void *data, size_t len) {
    if (!safe_rel_path(rel) && strcmp(rel, "programme.json") != 0) return WR_FAIL;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    make_parents(path, strlen(root));
    /* a path two modules share (an image): once is enough. Otherwise a fresh file, never written through an
     * existing name, which may be a link to the programme in place */
    struct stat there;
    if (lstat(path, &there) == 0) {
        if (paths_file_holds(path, data, len)) return WR_OK;
        unlink(path);
    }
    /* unchanged since the programme in place (same path, same bytes: a module the clinic did not touch, its
     * images, often programme.json): the new directory gets a second name for the same file, which writes no
     * data and needs no fsync of its own (its bytes reached the disk when it was first written). Only what
     * changed is written (issue 14: a sync that changed one module rewrites one file, not the programme) */
    if (pl->old_root) {
        char old[1024];
        snprintf(old, sizeof old, "%s/%s", pl->old_root, rel);
        if (paths_file_holds(old, data, len) && link(old, path) == 0) {
            pl->kept++;
            return WR_OK;
        }
    }
    FILE *f = fopen(path, "wb"); /* dir.new is ours and fresh, and no path part is "..": no link to follow */
    if (!f) return errno_status(errno);
    errno = 0;
    bool ok = fwrite(data, 1, len, f) == len;
    /* fsync before the directory holding it is renamed into place: without it a power cut can leave the new name
     * over an empty or half-written file (delayed allocation), which a later start would have to notice */
    ok = fflush(f) == 0 && fsync(fileno(f)) == 0 && ok;
    int e = errno;
    ok = fclose(f) == 0 && ok;
    if (!ok && !e) e = errno;
    if (ok) pl->written++;
    return ok ? WR_OK : errno_status(e);
}

static write_status write_blob(placing *pl, store *st, const char *root, const char *rel, const char *sha) {
    size_t len;
    unsigned char *data = store_blob_get(st, sha, &len);
    if (!data) return WR_FAIL;
    write_status w = write_file(pl, root, rel, data, len);
    free(data);
    return w;
}

/* fsync of a directory: its entries (the files written or linked into it, a rename) survive a power cut. */
static bool sync_dir(const char *path) {
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = fsync(fd) == 0;
    close(fd);
    return ok;
}

static int sync_one_dir(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)ftw;
    return flag == FTW_D || flag == FTW_DP ? !sync_dir(path) : 0;
}

/* The first problem the validator finds, for the log and the report. */
typedef struct {
    int n;
    char first[300];
} problems;

static void first_problem(void *ctx, const char *where, const char *msg) {
    problems *p = ctx;
    if (p->n++ == 0) snprintf(p->first, sizeof p->first, "%s: %s", where, msg);
}

/* Builds the programme a manifest describes in dir.new, validates it, and puts it in place of dir. Every blob
 * the manifest names must be in the store. On any failure dir is as it was. A file whose bytes dir already holds
 * at the same path is linked, not written (*written and *kept count them): the swap stays whole (the old programme
 * or the new, never a mix) while only what changed touches the disk. */
static sync_result materialize(store *st, const cJSON *man, const char *dir, int *written, int *kept, char *err,
                               size_t errcap) {
    long size;
    const char *psha = blob_ref(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(man, "programme"), "content"), &size);
    size_t plen = 0;
    unsigned char *ptext = psha ? store_blob_get(st, psha, &plen) : NULL;
    cJSON *prog = NULL;
    if (ptext && !json_nests_deeper_than((const char *)ptext, plen, MS_DOC_MAX_DEPTH) &&
        !json_has_nul((const char *)ptext, plen))
        prog = cJSON_ParseWithLength((const char *)ptext, plen);
    free(ptext);
    const cJSON *pmods = cJSON_GetObjectItemCaseSensitive(prog, "modules");
    if (!cJSON_IsObject(prog) || !cJSON_IsArray(pmods)) {
        cJSON_Delete(prog);
        snprintf(err, errcap, "the programme document is not a programme");
        return SYNC_CONTENT_REFUSED;
    }
    char tmp[1024], old[1024];
    snprintf(tmp, sizeof tmp, "%s.new", dir);
    snprintf(old, sizeof old, "%s.old", dir);
    remove_tree(tmp);
    remove_tree(old);
    if (mkdir(tmp, 0700) != 0) {
        cJSON_Delete(prog);
        snprintf(err, errcap, "could not make %s: %s", tmp, strerror(errno));
        return errno == ENOSPC || errno == EDQUOT ? SYNC_DISK_FULL : SYNC_BAD_DATA;
    }
    write_status w = WR_OK;
    sync_result r = SYNC_OK;
    placing pl = {.old_root = dir};
    cJSON *pm;
    cJSON_ArrayForEach(pm, pmods) {
        const char *id = get_str(pm, "id", MS_DOC_MAX_ID), *file = get_str(pm, "file", MS_SYNC_MAX_PATH);
        if (!id || !file || !safe_rel_path(file)) {
            snprintf(err, errcap, "a module of the programme has no id or a file name that cannot be used");
            r = SYNC_CONTENT_REFUSED;
            break;
        }
        /* this module in the manifest */
        const cJSON *mm = NULL, *x;
        cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(man, "modules")) {
            const char *mid = get_str(x, "id", MS_DOC_MAX_ID);
            if (mid && strcmp(mid, id) == 0) mm = x;
        }
        long sz;
        const char *csha = mm ? blob_ref(cJSON_GetObjectItemCaseSensitive(mm, "content"), &sz) : NULL;
        bool open = mm && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(mm, "unlocked")) && csha;
        /* replace, or add when the clinic's programme.json has none (Replace alone would leak the new item) */
        cJSON_DeleteItemFromObjectCaseSensitive(pm, "unlocked");
        cJSON_AddBoolToObject(pm, "unlocked", open);
        if (open) {
            w = write_blob(&pl, st, tmp, file, csha);
            const cJSON *a;
            cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(mm, "assets")) {
                const char *path = get_str(a, "path", MS_SYNC_MAX_PATH), *asha = blob_ref(a, &sz);
                if (w == WR_OK && path && asha) w = write_blob(&pl, st, tmp, path, asha);
            }
        } else {
            /* the reader never opens a locked module; the placeholder keeps the programme loadable */
            char pid[MS_DOC_MAX_ID + 16], bid[MS_DOC_MAX_ID + 16];
            snprintf(pid, sizeof pid, "%s-locked", id);
            snprintf(bid, sizeof bid, "%s-locked-b", id);
            cJSON *stub = cJSON_CreateObject(), *pages = cJSON_AddArrayToObject(stub, "pages");
            cJSON *page = cJSON_CreateObject(), *blocks = cJSON_AddArrayToObject(page, "blocks");
            cJSON *b = cJSON_CreateObject();
            cJSON_AddNumberToObject(stub, "format", 1);
            cJSON_AddStringToObject(stub, "id", id);
            cJSON_AddStringToObject(stub, "title", "-");
            cJSON_AddStringToObject(page, "id", pid);
            cJSON_AddStringToObject(page, "title", "-");
            cJSON_AddStringToObject(b, "id", bid);
            cJSON_AddStringToObject(b, "type", "paragraph");
            cJSON_AddStringToObject(b, "text", "-");
            cJSON_AddItemToArray(blocks, b);
            cJSON_AddItemToArray(pages, page);
            char *text = cJSON_PrintUnformatted(stub);
            cJSON_Delete(stub);
            w = text ? write_file(&pl, tmp, file, text, strlen(text)) : WR_FAIL;
            free(text);
        }
        if (w != WR_OK) break;
    }
    if (r == SYNC_OK && w == WR_OK) {
        char *ptext2 = cJSON_PrintUnformatted(prog);
        w = ptext2 ? write_file(&pl, tmp, "programme.json", ptext2, strlen(ptext2)) : WR_FAIL;
        free(ptext2);
    }
    cJSON_Delete(prog);
    if (r == SYNC_OK && w != WR_OK) {
        snprintf(err, errcap, "could not write the programme to %s%s", tmp,
                 w == WR_FULL ? ": the disk is full" : " (a file name the manifest gives cannot be written)");
        r = w == WR_FULL ? SYNC_DISK_FULL : SYNC_CONTENT_REFUSED;
    }
    /* the same rules as `meistring --validate`: what does not pass is never shown */
    problems pr = {0};
    if (r == SYNC_OK && doc_validate_dir(tmp, first_problem, &pr) != 0) {
        snprintf(err, errcap, "the programme does not validate (%d problems), the first: %s", pr.n, pr.first);
        r = SYNC_CONTENT_REFUSED;
    }
    /* the new directories' entries (every file written or linked) on the disk before the rename can be: a rename
     * that survives a power cut must not bring names that did not */
    if (r == SYNC_OK && nftw(tmp, sync_one_dir, 16, FTW_PHYS) != 0) {
        snprintf(err, errcap, "could not write the programme to %s: %s", tmp, strerror(errno));
        r = errno_status(errno) == WR_FULL ? SYNC_DISK_FULL : SYNC_OFFLINE;
    }
    if (r != SYNC_OK) {
        remove_tree(tmp);
        return r;
    }
    /* swap: the old directory goes aside, the new one takes its name, the old one goes */
    rename(dir, old);
    if (rename(tmp, dir) != 0) {
        rename(old, dir);
        remove_tree(tmp);
        snprintf(err, errcap, "could not put the programme in place at %s", dir);
        return SYNC_BAD_DATA;
    }
    /* the swap itself on the disk before the caller commits the manifest: otherwise a power cut could keep the old
     * programme under a committed new manifest, and every later pass would get a 304 and never bring it */
    char parent[1024];
    snprintf(parent, sizeof parent, "%s", dir);
    char *slash = strrchr(parent, '/');
    if (slash == parent)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        snprintf(parent, sizeof parent, ".");
    sync_dir(parent);
    remove_tree(old);
    if (written) *written = pl.written;
    if (kept) *kept = pl.kept;
    return SYNC_OK;
}

sync_result sync_materialize(store *st, const char *dir, char *err, size_t errcap) {
    char *mtext = store_sync_get(st, "manifest");
    if (!mtext) {
        snprintf(err, errcap, "nothing synced yet");
        return SYNC_BAD_DATA;
    }
    cJSON *man = cJSON_Parse(mtext);
    free(mtext);
    if (!man) {
        snprintf(err, errcap, "the stored manifest is unreadable");
        return SYNC_BAD_DATA;
    }
    sync_result r = materialize(st, man, dir, NULL, NULL, err, errcap);
    cJSON_Delete(man);
    return r;
}
