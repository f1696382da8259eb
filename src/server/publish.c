/* publish.c — meistring-server publish: every blob of the programme written as OUT/v1/blobs/<sha256>, the same
 * bytes GET /v1/blobs/<sha256> answers, so a static web server can serve the content and the API instances serve
 * only what is per patient (docs/deploy.md, dist/nginx/meistring.conf).
 * The seam: it reads the programme the way serve does (content.c) and touches neither HTTP nor the database.
 * Each file is written whole or not at all (a temporary name, fsync, rename), one already there with the right
 * bytes is kept, and nothing is ever deleted: a tablet halfway through a sync still fetches the blobs of the
 * manifest it was given before the update.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server.h"
#include "meistring/paths.h"

typedef enum { PUB_WRITTEN, PUB_KEPT, PUB_FAILED } pub_result;

#define PUB_PATH_MAX 1200 /* a path publish writes: OUT/v1/blobs/ and a name */
#define PUB_NAME_MAX 100  /* a name in blobs: "/.", 64 hex digits, ".", a pid of up to 20 digits, ".tmp" (92) */

/* mkdir that is content when the directory is already there. own: the directory must be a real one, not a
 * symbolic link: v1 and blobs are publish's own, and a link there (made by whoever else can write into --out)
 * would send every blob, and the rename over whatever the link's target holds, somewhere nobody chose. --out
 * itself is the administrator's choice and may be a link. */
static bool make_dir(const char *path, bool own) {
    struct stat sb;
    if (mkdir(path, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "meistring-server publish: %s: %s\n", path, strerror(errno));
        return false;
    }
    if ((own ? lstat(path, &sb) : stat(path, &sb)) != 0) {
        fprintf(stderr, "meistring-server publish: %s: %s\n", path, strerror(errno));
        return false;
    }
    if (!S_ISDIR(sb.st_mode)) {
        fprintf(stderr, "meistring-server publish: %s is not a directory%s; not publishing\n", path,
                S_ISLNK(sb.st_mode) ? " but a symbolic link" : "");
        return false;
    }
    return true;
}

/* snprintf into buf, false when it did not fit: a path cut short names another file. */
static bool path_of(char *buf, size_t cap, const char *fmt, const char *a, const char *b) {
    int n = snprintf(buf, cap, fmt, a, b);
    return n >= 0 && (size_t)n < cap;
}

/* fsync of a directory: the names renamed into it survive a power cut. */
static bool sync_dir(const char *path) {
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = fsync(fd) == 0;
    close(fd);
    return ok;
}

static pub_result publish_blob(const char *dir, const blob *b) {
    char path[PUB_PATH_MAX], tmp[PUB_PATH_MAX], pid[24];
    snprintf(pid, sizeof pid, "%ld", (long)getpid());
    /* publish checked that dir leaves room for these names; checked again, as a path cut short is another file */
    if (!path_of(path, sizeof path, "%s/%s", dir, b->sha) || !path_of(tmp, sizeof tmp, "%s/.%s.", dir, b->sha) ||
        strlen(tmp) + strlen(pid) + 4 >= sizeof tmp) {
        fprintf(stderr, "meistring-server publish: the path of %s is too long\n", b->path);
        return PUB_FAILED;
    }
    strcat(strcat(tmp, pid), ".tmp");
    if (paths_file_holds(path, b->data, b->size)) return PUB_KEPT;
    /* a dot name: never a blob's name (those are 64 hex digits), so a web server never answers with a half-written
     * file; the pid keeps two publishes at once from writing into each other's file. Whatever has that name
     * already (left by a crash, or a link someone put there) is removed, and the file is made new (O_EXCL): the
     * blob is never written through a link into another file. */
    if (unlink(tmp) != 0 && errno != ENOENT) goto fail;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) goto fail;
    /* readable by the web server's user whatever the umask (the service's is 0077): these bytes are the
     * programme every tablet gets, nothing of a patient's */
    bool ok = fchmod(fd, 0644) == 0;
    for (size_t at = 0; ok && at < b->size;) {
        ssize_t n = write(fd, b->data + at, b->size - at);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            ok = false;
        else
            at += (size_t)n;
    }
    /* fsync before the rename: without it a power cut can leave the blob's name over an empty file */
    ok = ok && fsync(fd) == 0;
    int e = errno;
    if (close(fd) != 0 && ok) ok = false, e = errno;
    errno = e;
    if (!ok || rename(tmp, path) != 0) goto fail;
    return PUB_WRITTEN;
fail:
    fprintf(stderr, "meistring-server publish: %s (%s): %s\n", path, b->path, strerror(errno));
    unlink(tmp);
    return PUB_FAILED;
}

/* Files already in dir that this programme does not name: the blobs of earlier versions, left for tablets. */
static size_t count_others(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return 0;
    size_t others = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.' && !find_blob_sha(e->d_name)) others++;
    closedir(d);
    return others;
}

int publish(int argc, char **argv) {
    const char *content = NULL, *out = NULL;
    for (int i = 0; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--content") == 0)
            content = argv[i + 1];
        else if (strcmp(argv[i], "--out") == 0)
            out = argv[i + 1];
        else
            break;
    }
    if (!content || !out || argc != 4) {
        fprintf(stderr, "meistring-server publish: --content DIR --out DIR are required, and nothing else\n");
        return 2;
    }
    /* room for OUT/v1/blobs/.<sha256>.<pid>.tmp, checked before anything is made */
    char v1[PUB_PATH_MAX], dir[PUB_PATH_MAX];
    if (!path_of(v1, sizeof v1, "%s/%s", out, "v1") || !path_of(dir, sizeof dir, "%s/%s", v1, "blobs") ||
        strlen(dir) + PUB_NAME_MAX >= sizeof dir) {
        fprintf(stderr, "meistring-server publish: --out is too long (at most %d bytes)\n",
                PUB_PATH_MAX - PUB_NAME_MAX - (int)strlen("/v1/blobs") - 1);
        return 2;
    }
    if (!load_content(content)) return 1;
    if (!make_dir(out, false) || !make_dir(v1, true) || !make_dir(dir, true)) return 1;
    size_t written = 0, kept = 0, failed = 0;
    for (size_t i = 0; i < n_blobs; i++) {
        pub_result r = publish_blob(dir, blob_at(i));
        if (r == PUB_WRITTEN)
            written++;
        else if (r == PUB_KEPT)
            kept++;
        else
            failed++;
    }
    if (written && !sync_dir(dir)) {
        fprintf(stderr, "meistring-server publish: %s: %s\n", dir, strerror(errno));
        failed++;
    }
    printf("meistring-server publish: %s: %zu written, %zu kept, %zu older left in place\n", dir, written, kept,
           count_others(dir));
    if (failed) {
        fprintf(stderr, "meistring-server publish: %zu of %zu blobs could not be written\n", failed, n_blobs);
        return 1;
    }
    return 0;
}
