/* paths.c — the client's places on disk, worked out in one place, and their destruction; see paths.h and
 * docs/wipe.md. Everything is built in the caller's fixed arrays and every snprintf is checked, so a long path
 * is refused with a message instead of being cut into a different, valid-looking path (a cut path could be
 * someone else's directory). The wipe never reads a file: it only overwrites, fsyncs and unlinks. */
#include "meistring/paths.h"

#include <assert.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RECEIPT_SUFFIX ".wipe-receipt.json"
_Static_assert(sizeof RECEIPT_SUFFIX - 1 <= PATHS_MAX_SUFFIX, "the receipt's name must fit after the data dir");

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

    /* the receipt sits beside the data directory, so it survives the directory's removal; a directory named
     * "/", "." or ".." has no such place ("./.wipe-receipt.json" would be inside it) */
    const char *slash = strrchr(p->data, '/'), *last = slash ? slash + 1 : p->data;
    if (last[0] && strcmp(last, ".") != 0 && strcmp(last, "..") != 0 && !join(p->receipt, p->data, RECEIPT_SUFFIX))
        return fail(p, PATHS_TOO_LONG, err, errcap, "the data directory is too long: %.80s…", base);
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

/* ---- the wipe -------------------------------------------------------------------------------------------- */

static paths_wipe_hook_fn wipe_hook;
static void *wipe_hook_ctx;

void paths_wipe_set_hook(paths_wipe_hook_fn fn, void *ctx) {
    wipe_hook = fn;
    wipe_hook_ctx = ctx;
}

#define HOW_FILE    "overwritten, fsynced, unlinked"
#define HOW_TREE    "overwritten, fsynced, removed"
#define HOW_ABSENT  "absent"
#define HOW_SYMLINK "symlink unlinked, target left"
#define HOW_FAILED  "failed"

/* The report line being filled, and the path being worked on (for messages and the hook only: every operation
 * goes through a directory descriptor and a single name, so a long shown path is cut, never used). */
typedef struct {
    paths_wipe_report *r;
    paths_wipe_item *it;
    char shown[2 * PATHS_MAX];
} wiper;

static void failed(wiper *w, const char *step, int e) {
    w->it->ok = false;
    w->r->ok = false;
    char *out = w->r->error;
    size_t cap = sizeof w->r->error, len = strlen(out);
    if (len >= cap - 1) return; /* already cut */
    int n = snprintf(out + len, cap - len, "%s%s: cannot %s %s: %s", len ? "; " : "", w->it->what, step, w->shown,
                     strerror(e));
    if (n < 0 || (size_t)n >= cap - len) memcpy(out + cap - sizeof "…", "…", sizeof "…"); /* cut: say so */
}

static int hook(wiper *w) { return wipe_hook ? wipe_hook(wipe_hook_ctx, w->it->what, w->shown) : 0; }

/* unlinkat, and once more after giving ourselves write access to the directory when it is one of ours (inside a
 * tree; never the data directory, which may be shared) and read-only. */
static int unlink_in(int dfd, const char *name, int flags) {
    if (unlinkat(dfd, name, flags) == 0) return 0;
    int e = errno;
    if ((e == EACCES || e == EPERM) && dfd != AT_FDCWD && fchmod(dfd, S_IRWXU) == 0 && unlinkat(dfd, name, flags) == 0)
        return 0;
    return e;
}

/* Zeros over the regular file's full length, PATHS_WIPE_CHUNK at a time, fsync, unlink. A failure to overwrite
 * is reported and the file is still unlinked: a name left behind would be worse. True when all went well. */
static bool shred_at(wiper *w, int dfd, const char *name) {
    static const unsigned char zeros[PATHS_WIPE_CHUNK];
    int e = hook(w);
    if (e) {
        failed(w, "destroy", e);
        return false;
    }
    const int flags = O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC; /* NONBLOCK: a FIFO swapped in won't hang */
    int fd = openat(dfd, name, flags);
    if (fd < 0 && (errno == EACCES || errno == EPERM)) {
        /* read-only, yet ours to destroy: give the owner write access (never through a symlink) and try again */
        int first = errno;
        if (fchmodat(dfd, name, S_IRUSR | S_IWUSR, AT_SYMLINK_NOFOLLOW) == 0)
            fd = openat(dfd, name, flags);
        else
            errno = first;
    }
    bool ok = fd >= 0;
    if (!ok) failed(w, "open", errno);
    struct stat sb;
    if (ok && fstat(fd, &sb) != 0) {
        failed(w, "look at", errno);
        ok = false;
        close(fd);
    } else if (ok && !S_ISREG(sb.st_mode)) {
        failed(w, "overwrite (no longer a regular file)", EINVAL);
        close(fd);
        return false; /* swapped for something else since it was looked at: leave it alone */
    }
    if (ok) {
        off_t at = 0; /* zeros to the length fstat saw; what a writer adds meanwhile is not ours to know */
        while (at < sb.st_size) {
            off_t left = sb.st_size - at;
            ssize_t n = pwrite(fd, zeros, left < PATHS_WIPE_CHUNK ? (size_t)left : PATHS_WIPE_CHUNK, at);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                failed(w, "overwrite", n < 0 ? errno : EIO);
                ok = false;
                break;
            }
            at += n;
        }
        w->it->bytes += (unsigned long long)at;
        w->r->bytes += (unsigned long long)at;
        if (ok && fsync(fd) != 0) {
            failed(w, "fsync", errno);
            ok = false;
        }
        close(fd);
    }
    if ((e = unlink_in(dfd, name, 0)) != 0) {
        failed(w, "unlink", e);
        ok = false;
    }
    return ok;
}

/* Destroys whatever is at name: a file is shredded, a directory walked (never through a symlink) and removed,
 * anything else (a symlink, a FIFO, a socket) unlinked. *kind gets what was found (0 when absent). */
static void destroy_at(wiper *w, int dfd, const char *name, int depth, mode_t *kind) {
    struct stat sb;
    *kind = 0;
    if (fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno != ENOENT) failed(w, "look at", errno);
        return;
    }
    *kind = sb.st_mode & S_IFMT;
    if (S_ISREG(sb.st_mode)) {
        shred_at(w, dfd, name);
        return;
    }
    int e;
    if (S_ISDIR(sb.st_mode)) {
        if (depth >= PATHS_WIPE_MAX_DEPTH) {
            failed(w, "walk (nested too deep)", ELOOP);
            return;
        }
        int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 && errno == EACCES && dfd != AT_FDCWD && fchmodat(dfd, name, S_IRWXU, AT_SYMLINK_NOFOLLOW) == 0)
            fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
        if (!d) {
            failed(w, "open the directory", errno);
            if (fd >= 0) close(fd);
            return;
        }
        size_t len = strlen(w->shown);
        const struct dirent *de;
        while ((errno = 0, de = readdir(d)) != NULL) {
            if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
            snprintf(w->shown + len, sizeof w->shown - len, "/%s", de->d_name);
            mode_t sub;
            destroy_at(w, dirfd(d), de->d_name, depth + 1, &sub);
            w->shown[len] = '\0';
        }
        if (errno) failed(w, "read the directory", errno);
        closedir(d);
        if ((e = hook(w)) != 0 || (e = unlink_in(dfd, name, AT_REMOVEDIR)) != 0) failed(w, "remove", e);
        return;
    }
    if ((e = hook(w)) != 0 || (e = unlink_in(dfd, name, 0)) != 0) failed(w, "unlink", e);
}

static paths_wipe_item *item(wiper *w, const char *what, const char *path) {
    assert(w->r->count < PATHS_WIPE_MAX_ITEMS);
    paths_wipe_item *it = &w->r->items[w->r->count++];
    *it = (paths_wipe_item){.what = what, .how = HOW_ABSENT, .ok = true};
    w->it = it;
    snprintf(w->shown, sizeof w->shown, "%s", path);
    return it;
}

/* One owned file (the key, the database and its companions) or tree: destroyed, and its line's how set. */
static void wipe_entry(wiper *w, const char *what, const char *path, bool is_key) {
    paths_wipe_item *it = item(w, what, path);
    mode_t kind;
    destroy_at(w, AT_FDCWD, path, 0, &kind);
    if (!it->ok)
        it->how = HOW_FAILED;
    else if (kind == S_IFLNK)
        it->how = HOW_SYMLINK;
    else if (kind == S_IFDIR)
        it->how = HOW_TREE;
    else if (kind)
        it->how = HOW_FILE;
    if (is_key && kind == S_IFLNK) {
        /* the real key lives on where the link pointed: no crypto-erase; say so rather than follow it */
        failed(w, "destroy (a symbolic link: its target is left, so the key may live on)", ELOOP);
        it->how = HOW_SYMLINK;
    }
}

/* path's directory ("." for a bare name, "/" for "/x") into dir. */
static void dir_of(const char *path, char dir[PATHS_MAX]) {
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, PATHS_MAX, ".");
    else if (slash == path)
        snprintf(dir, PATHS_MAX, "/");
    else
        snprintf(dir, PATHS_MAX, "%.*s", (int)(slash - path), path);
}

static void sync_dir(wiper *w, const char *dir) {
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        if (errno != ENOENT) failed(w, "open the directory to fsync", errno);
        return;
    }
    if (fsync(fd) != 0 && errno != EINVAL) failed(w, "fsync the directory", errno); /* EINVAL: fs cannot */
    close(fd);
}

/* Leftover "<key>.XXXXXX" files from a create that was killed: the same 32 bytes, so destroyed as the key is. */
static void wipe_key_temps(wiper *w, const ms_paths *p, const char *keydir) {
    DIR *d = opendir(keydir);
    if (!d) return; /* no directory, no temporaries; the key's own line already says what went wrong */
    const struct dirent *de;
    bool bare = strchr(p->key, '/') == NULL;
    while ((de = readdir(d)) != NULL) {
        char path[PATHS_MAX + 256];
        int n = snprintf(path, sizeof path, "%s%s%s", bare ? "" : keydir, bare ? "" : "/", de->d_name);
        if (n < 0 || (size_t)n >= sizeof path || !paths_is_key_temp(p, path)) continue;
        if (!w->it || strcmp(w->it->what, "device key, unfinished copy") != 0)
            item(w, "device key, unfinished copy", path);
        snprintf(w->shown, sizeof w->shown, "%s", path);
        if (shred_at(w, dirfd(d), de->d_name) && w->it->ok) w->it->how = HOW_FILE;
        if (!w->it->ok) w->it->how = HOW_FAILED;
    }
    closedir(d);
}

bool paths_wipe(const ms_paths *p, paths_wipe_report *r) {
    memset(r, 0, sizeof *r);
    r->ok = true;
    paths_entry owned[PATHS_MAX_OWNED];
    size_t n = paths_owned(p, owned);
    if (!n) {
        r->ok = false;
        snprintf(r->error, sizeof r->error, "no data directory (paths_resolve failed or was not called)");
        return false;
    }
    wiper w = {.r = r};
    char keydir[PATHS_MAX];
    dir_of(p->key, keydir);

    /* 1. the key, its leftovers, and the directory entry's removal made durable: the crypto-erase */
    wipe_entry(&w, owned[0].what, owned[0].path, true);
    wipe_key_temps(&w, p, keydir);
    w.it = &r->items[0];
    snprintf(w.shown, sizeof w.shown, "%s", keydir);
    bool key_ok = r->items[0].ok;
    sync_dir(&w, keydir);
    if (key_ok && !r->items[0].ok) r->items[0].how = HOW_FAILED; /* the unlink may not be durable */

    /* 2. everything else the client wrote, in paths_owned's order */
    for (size_t i = 1; i < n; i++) {
        if (owned[i].kind != PATHS_EMPTY_DIR) {
            wipe_entry(&w, owned[i].what, owned[i].path, false);
            continue;
        }
        paths_wipe_item *it = item(&w, owned[i].what, owned[i].path);
        sync_dir(&w, owned[i].path); /* the unlinks above, durable before the directory goes */
        int e = hook(&w);
        if (e == 0 && rmdir(owned[i].path) != 0) e = errno;
        if (e == 0) {
            it->how = "removed";
            char parent[PATHS_MAX];
            dir_of(owned[i].path, parent);
            snprintf(w.shown, sizeof w.shown, "%s", parent);
            sync_dir(&w, parent);
        } else if (e == ENOTEMPTY || e == EEXIST) {
            it->how = "kept: other files in it"; /* a shared --data-dir: what others keep there is theirs */
        } else if (e != ENOENT) {
            failed(&w, "remove", e);
        }
        if (!it->ok) it->how = HOW_FAILED;
    }
    return r->ok;
}

char *paths_wipe_receipt(const paths_wipe_report *r, const char *reason, long long patient, int unsent, time_t when) {
    if (!reason || (strcmp(reason, "staff") != 0 && strcmp(reason, "remote") != 0)) return NULL;
    char stamp[32], num[32];
    struct tm tm;
    if (!gmtime_r(&when, &tm) || !strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm)) return NULL;
    cJSON *root = cJSON_CreateObject(), *list = NULL;
    bool ok = root && cJSON_AddNumberToObject(root, "format", 1) && cJSON_AddStringToObject(root, "wiped_at", stamp) &&
              cJSON_AddStringToObject(root, "reason", reason);
    /* integers as raw text: cJSON's doubles would round a count above 2^53 */
    if (ok && patient) {
        snprintf(num, sizeof num, "%lld", patient);
        ok = cJSON_AddRawToObject(root, "patient", num) != NULL;
    }
    snprintf(num, sizeof num, "%d", unsent);
    ok = ok && cJSON_AddRawToObject(root, "unsent", num) && (list = cJSON_AddArrayToObject(root, "destroyed"));
    for (size_t i = 0; ok && i < r->count; i++) {
        cJSON *one = cJSON_CreateObject();
        ok = one && cJSON_AddItemToArray(list, one);
        snprintf(num, sizeof num, "%llu", r->items[i].bytes);
        ok = ok && cJSON_AddStringToObject(one, "what", r->items[i].what) && cJSON_AddRawToObject(one, "bytes", num) &&
             cJSON_AddStringToObject(one, "how", r->items[i].how);
    }
    char *out = ok ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    return out;
}

/* ---- the receipt on disk ---------------------------------------------------------------------------------- */

bool paths_receipt_save(const ms_paths *p, const char *json, char *err, size_t errcap) {
    if (err && errcap) err[0] = '\0';
    if (!p->receipt[0]) {
        if (err && errcap) snprintf(err, errcap, "no place for the wipe receipt beside the data directory %s", p->data);
        return false;
    }
    char tmp[PATHS_MAX + sizeof ".XXXXXX"], dir[PATHS_MAX];
    snprintf(tmp, sizeof tmp, "%s.XXXXXX", p->receipt); /* fits: the buffer is sized for it */
    const char *step = "create";
    int fd = mkstemp(tmp); /* 0600 */
    if (fd < 0) goto fail;
    size_t len = strlen(json), done = 0;
    step = "write";
    while (done < len) {
        ssize_t n = write(fd, json + done, len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            if (n == 0) errno = EIO;
            goto fail_tmp;
        }
        done += (size_t)n;
    }
    step = "fsync";
    if (fchmod(fd, S_IRUSR | S_IWUSR) != 0 || fsync(fd) != 0) goto fail_tmp;
    step = "close";
    int rc = close(fd);
    fd = -1;
    if (rc != 0) goto fail_tmp;
    step = "rename";
    if (rename(tmp, p->receipt) != 0) goto fail_tmp;
    dir_of(p->receipt, dir);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return true;
fail_tmp : {
    int e = errno;
    if (fd >= 0) close(fd);
    unlink(tmp);
    errno = e;
}
fail:
    if (err && errcap)
        snprintf(err, errcap, "cannot save the wipe receipt %s (%s): %s", p->receipt, step, strerror(errno));
    return false;
}

char *paths_receipt_load(const ms_paths *p) {
    if (!p->receipt[0]) return NULL;
    int fd = open(p->receipt, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat sb;
    char *buf = NULL;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > PATHS_RECEIPT_MAX) goto done;
    buf = malloc(PATHS_RECEIPT_MAX + 1);
    size_t got = 0;
    while (buf) {
        /* read to the end, never past the cap, whatever fstat said: the file may grow meanwhile */
        ssize_t n = read(fd, buf + got, PATHS_RECEIPT_MAX + 1 - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 || got + (size_t)n > PATHS_RECEIPT_MAX) {
            free(buf);
            buf = NULL;
        } else if (n == 0) {
            buf[got] = '\0';
            break;
        } else {
            got += (size_t)n;
        }
    }
done:
    close(fd);
    return buf;
}

bool paths_receipt_clear(const ms_paths *p) { return !p->receipt[0] || unlink(p->receipt) == 0 || errno == ENOENT; }

bool paths_file_holds(const char *path, const void *data, size_t len) {
    struct stat sb;
    if (lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || (size_t)sb.st_size != len) return false;
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    bool same = true;
    unsigned char chunk[8192];
    size_t at = 0;
    while (same && at < len) {
        size_t want = len - at < sizeof chunk ? len - at : sizeof chunk;
        same = fread(chunk, 1, want, f) == want && memcmp(chunk, (const unsigned char *)data + at, want) == 0;
        at += want;
    }
    fclose(f);
    return same;
}
