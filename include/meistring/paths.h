/* paths.h — where the client keeps things on disk: the data directory, the database, the device key and the
 * programme synced from the clinic, worked out once for every entry point (the reader, --enrol/--sync-once, the
 * wipe of a returned tablet), so they can never disagree about which directory is the patient's.
 *
 * Ownership: an ms_paths is the caller's storage (fixed arrays, no heap, nothing to free); paths_owned lends
 * pointers into it, valid while it lives. Nothing here touches SDL. */
#ifndef MEISTRING_PATHS_H
#define MEISTRING_PATHS_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes of every path here, NUL included. The data directory may use PATHS_MAX - 1 - PATHS_MAX_SUFFIX of them,
 * so that every name derived from it fits; vault.c and sync.c add ".XXXXXX" and ".new" to key and content in
 * their own 1 KB buffers. */
#define PATHS_MAX        512
#define PATHS_MAX_SUFFIX 21 /* strlen("/meistring.db-journal"), the longest name the client puts in the dir */

typedef struct {
    char data[PATHS_MAX];   /* the data directory: --data-dir, else $XDG_DATA_HOME/meistring, else
                             * $HOME/.local/share/meistring; no trailing '/' */
    char db[PATHS_MAX];     /* data/meistring.db: the store (store.h) */
    char db_wal[PATHS_MAX]; /* data/meistring.db-wal and -shm: SQLite's WAL files beside it */
    char db_shm[PATHS_MAX];
    char db_journal[PATHS_MAX];  /* data/meistring.db-journal: SQLite's rollback journal, before WAL is on */
    char key[PATHS_MAX];         /* the device key (vault.h): --key, else data/device.key */
    char content[PATHS_MAX];     /* data/content: the programme synced from the clinic (sync_materialize) */
    char content_new[PATHS_MAX]; /* data/content.new and .old: sync_materialize builds and swaps through them */
    char content_old[PATHS_MAX];
    bool key_outside; /* the key was given with --key and is not data/device.key */
} ms_paths;

typedef enum {
    PATHS_OK = 0,
    PATHS_NO_HOME,  /* no --data-dir, no absolute XDG_DATA_HOME and no absolute HOME: nowhere to keep data */
    PATHS_TOO_LONG, /* a path would not fit in PATHS_MAX */
    PATHS_EMPTY,    /* --data-dir "" or --key "" */
    PATHS_IO        /* paths_make_data_dir: a directory could not be made, or a part is not a directory */
} paths_result;

/* Fills p. data_dir and key_file are the command line's --data-dir and --key, NULL when not given; an explicit
 * data_dir wins over the environment. XDG_DATA_HOME counts only when absolute (the XDG spec says to ignore a
 * relative one), HOME likewise. A relative data_dir is kept as given (relative to the working directory). On
 * failure p is zeroed and err says what and which path. Reads the environment; touches no file. */
paths_result paths_resolve(ms_paths *p, const char *data_dir, const char *key_file, char *err, size_t errcap);

/* mkdir -p of p->data: every missing directory is made with mode 0700 (chmod after, whatever the umask), and
 * directories that already exist are left as they are (never chmod'ed: --data-dir may name a shared one).
 * Idempotent. PATHS_IO with err (strerror included) when a part cannot be made or is not a directory. */
paths_result paths_make_data_dir(const ms_paths *p, char *err, size_t errcap);

/* What a wipe does with one thing the client owns. */
typedef enum {
    PATHS_FILE,     /* unlink; a missing file is fine */
    PATHS_TREE,     /* remove the directory and everything in it (only the client writes there) */
    PATHS_EMPTY_DIR /* rmdir only when empty: --data-dir may name a directory that holds other things too */
} paths_kind;

typedef struct {
    const char *path; /* borrowed from the ms_paths */
    paths_kind kind;
    const char *what; /* for a log line: "device key", "database", … */
} paths_entry;

#define PATHS_MAX_OWNED 9

/* Every file and directory the client keeps, in the order a wipe should remove them: the device key first (once
 * it is gone the sealed text in the database cannot be opened, even if a later step fails), then the database
 * and its SQLite companions, the synced content and its build/swap directories, and last the data directory
 * itself (PATHS_EMPTY_DIR). The key is listed even when key_outside. Whether each exists is not checked. Besides
 * these, a kill while vault.c creates the key can leave "<key>.XXXXXX" (mkstemp) beside the key:
 * paths_is_key_temp recognises such a name. Returns the count (at most PATHS_MAX_OWNED). */
size_t paths_owned(const ms_paths *p, paths_entry out[PATHS_MAX_OWNED]);

/* True when path is a leftover temporary key file: p->key + "." + six characters mkstemp chose. */
bool paths_is_key_temp(const ms_paths *p, const char *path);

#endif
