/* paths.c — the client's places on disk, worked out in one place; see paths.h.
 * Everything is built in the caller's fixed arrays and every snprintf is checked, so a long path is refused
 * with a message instead of being cut into a different, valid-looking path (a cut path could be someone
 * else's directory). */
#include "meistring/paths.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* dst = a + b, or false when it does not fit. */
static bool join(char dst[PATHS_MAX], const char *a, const char *b) {
    int n = snprintf(dst, PATHS_MAX, "%s%s", a, b);
    return n >= 0 && n < PATHS_MAX;
}

static paths_result fail(ms_paths *p, paths_result r, char *err, size_t errcap, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static paths_result fail(ms_paths *p, paths_result r, char *err, size_t errcap, const char *fmt, ...) {
    memset(p, 0, sizeof *p);
    if (err && errcap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errcap, fmt, ap);
        va_end(ap);
    }
    return r;
}

paths_result paths_resolve(ms_paths *p, const char *data_dir, const char *key_file, char *err, size_t errcap) {
    memset(p, 0, sizeof *p);
    if (err && errcap) err[0] = '\0';
    const size_t data_cap = PATHS_MAX - 1 - PATHS_MAX_SUFFIX;
    const char *base, *tail, *from;
    if (data_dir) {
        if (!data_dir[0]) return fail(p, PATHS_EMPTY, err, errcap, "the data directory (--data-dir) is empty");
        base = data_dir, tail = "", from = "--data-dir";
    } else {
        const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
        if (xdg && xdg[0] == '/')
            base = xdg, tail = "/meistring", from = "XDG_DATA_HOME";
        else if (home && home[0] == '/')
            base = home, tail = "/.local/share/meistring", from = "HOME";
        else
            return fail(p, PATHS_NO_HOME, err, errcap,
                        "no data directory: neither XDG_DATA_HOME nor HOME is an absolute path; give --data-dir");
    }
    int n = snprintf(p->data, sizeof p->data, "%s%s", base, tail);
    if (n < 0 || (size_t)n > data_cap)
        return fail(p, PATHS_TOO_LONG, err, errcap,
                    "the data directory from %s is too long (%d bytes, at most %zu): %.80s…", from, n, data_cap, base);
    /* "/tmp/siri/" and "/tmp/siri" are one directory: no "//" in the derived names, one spelling to compare */
    for (size_t len = strlen(p->data); len > 1 && p->data[len - 1] == '/'; len--)
        p->data[len - 1] = '\0';

    /* every suffix below is at most PATHS_MAX_SUFFIX bytes, so these cannot fail after the check above */
    bool ok = join(p->db, p->data, "/meistring.db") && join(p->db_wal, p->data, "/meistring.db-wal") &&
              join(p->db_shm, p->data, "/meistring.db-shm") && join(p->db_journal, p->data, "/meistring.db-journal") &&
              join(p->content, p->data, "/content") && join(p->content_new, p->data, "/content.new") &&
              join(p->content_old, p->data, "/content.old");
    if (!ok) return fail(p, PATHS_TOO_LONG, err, errcap, "the data directory is too long: %.80s…", base);

    if (key_file) {
        if (!key_file[0]) return fail(p, PATHS_EMPTY, err, errcap, "the device key file (--key) is empty");
        if (!join(p->key, key_file, ""))
            return fail(p, PATHS_TOO_LONG, err, errcap,
                        "the device key path (--key) is too long (at most %d bytes): %.80s…", PATHS_MAX - 1, key_file);
        char mine[PATHS_MAX];
        p->key_outside = !join(mine, p->data, "/device.key") || strcmp(mine, p->key) != 0;
    } else if (!join(p->key, p->data, "/device.key")) {
        return fail(p, PATHS_TOO_LONG, err, errcap, "the data directory is too long: %.80s…", base);
    }
    return PATHS_OK;
}

/* Makes one directory (0700 exactly) unless a directory is already there. */
static paths_result make_one(const char *dir, char *err, size_t errcap) {
    struct stat sb;
    if (stat(dir, &sb) != 0) {
        if (errno != ENOENT) goto fail;
        if (mkdir(dir, 0700) == 0) {
            /* ours and new: the umask may have taken bits away, never adds them, but say it exactly */
            if (chmod(dir, 0700) != 0) goto fail;
            return PATHS_OK;
        }
        if (errno != EEXIST || stat(dir, &sb) != 0) goto fail; /* EEXIST: made at this moment by another process */
    }
    if (S_ISDIR(sb.st_mode)) return PATHS_OK;
    if (err && errcap) snprintf(err, errcap, "cannot use the data directory: %s is there and is not a directory", dir);
    return PATHS_IO;
fail:
    if (err && errcap) snprintf(err, errcap, "cannot create the data directory %s: %s", dir, strerror(errno));
    return PATHS_IO;
}

paths_result paths_make_data_dir(const ms_paths *p, char *err, size_t errcap) {
    if (err && errcap) err[0] = '\0';
    if (!p->data[0]) {
        if (err && errcap) snprintf(err, errcap, "no data directory (paths_resolve failed or was not called)");
        return PATHS_EMPTY;
    }
    char buf[PATHS_MAX];
    memcpy(buf, p->data, sizeof buf);
    /* each parent in turn, then the directory; "a//b" just repeats a parent */
    for (char *s = buf + 1; *s; s++) {
        if (*s != '/' || s[-1] == '/') continue;
        *s = '\0';
        paths_result r = make_one(buf, err, errcap);
        *s = '/';
        if (r != PATHS_OK) return r;
    }
    return make_one(buf, err, errcap);
}

size_t paths_owned(const ms_paths *p, paths_entry out[PATHS_MAX_OWNED]) {
    const paths_entry all[PATHS_MAX_OWNED] = {
        {p->key, PATHS_FILE, "device key"},
        {p->db, PATHS_FILE, "database"},
        {p->db_wal, PATHS_FILE, "database write-ahead log"},
        {p->db_shm, PATHS_FILE, "database shared-memory index"},
        {p->db_journal, PATHS_FILE, "database rollback journal"},
        {p->content_new, PATHS_TREE, "programme being built"},
        {p->content_old, PATHS_TREE, "programme being replaced"},
        {p->content, PATHS_TREE, "synced programme"},
        {p->data, PATHS_EMPTY_DIR, "data directory"},
    };
    if (!p->data[0]) return 0;
    memcpy(out, all, sizeof all);
    return PATHS_MAX_OWNED;
}

bool paths_is_key_temp(const ms_paths *p, const char *path) {
    size_t k = strlen(p->key);
    if (!k || strncmp(path, p->key, k) != 0 || path[k] != '.' || strlen(path + k + 1) != 6) return false;
    for (const char *c = path + k + 1; *c; c++)
        if (*c == '/') return false;
    return true;
}
