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
#include <time.h>

/* Bytes of every path here, NUL included. The data directory may use PATHS_MAX - 1 - PATHS_MAX_SUFFIX of them,
 * so that every name derived from it fits (the wipe receipt's ".wipe-receipt.json", 18, is appended to the data
 * directory itself and fits too); vault.c and sync.c add ".XXXXXX" and ".new" to key and content in their own
 * 1 KB buffers, and paths_receipt_save adds ".XXXXXX" to the receipt in a buffer of its own. */
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
    char receipt[PATHS_MAX]; /* data + ".wipe-receipt.json": the wipe receipt, a SIBLING of the data directory so
                              * that it outlives the wipe; "" when the data directory has no parent to hold it
                              * ("/", ".", "..", "x/..") */
    bool key_outside;        /* the key was given with --key and is not data/device.key */
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

/* Whether path is a regular file (not a link) holding exactly len bytes of data: a read, never a write. Used
 * before a file is written again (the synced programme, the server's published blobs), so what is already right
 * is kept. */
bool paths_file_holds(const char *path, const void *data, size_t len);

/* ---- the wipe of a returned tablet (docs/wipe.md) -----------------------------------------------------------
 * Budgets: one report line per owned entry plus one for leftover key temporaries; files are overwritten
 * PATHS_WIPE_CHUNK bytes at a time (never read, never held in memory); directory trees are walked at most
 * PATHS_WIPE_MAX_DEPTH deep (sync writes two levels); a receipt is at most PATHS_RECEIPT_MAX bytes. */
#define PATHS_WIPE_MAX_ITEMS (PATHS_MAX_OWNED + 1)
#define PATHS_WIPE_CHUNK     (64 * 1024)
#define PATHS_WIPE_MAX_DEPTH 16
#define PATHS_RECEIPT_MAX    (16 * 1024)

/* What happened to one thing. how is one of: "overwritten, fsynced, unlinked" (a file), "overwritten, fsynced,
 * removed" (a tree: every file in it so, symlinks unlinked and not followed, then its directories), "absent",
 * "removed" (the data directory, empty at the end), "kept: other files in it" (the data directory holds files
 * the client did not write: --data-dir named a shared directory), "symlink unlinked, target left", or
 * "failed" (then ok is false and the report's error says why). */
typedef struct {
    const char *what;         /* static text: "device key", "database", … (paths_owned's names) */
    const char *how;          /* static text, above */
    unsigned long long bytes; /* the sizes of the files overwritten, summed */
    bool ok;
} paths_wipe_item;

typedef struct {
    paths_wipe_item items[PATHS_WIPE_MAX_ITEMS];
    size_t count;
    unsigned long long bytes; /* all items' bytes */
    bool ok;                  /* every item ok */
    char error[1024];         /* every failure, "; "-separated: what, path, step and strerror; never contents.
                               * Cut (ending in "…") if there are more than fit. */
} paths_wipe_report;

/* Destroys everything paths_owned lists, for a tablet given back or wiped on the clinic's order. The store must
 * be closed first (an open SQLite handle would write into a database being overwritten).
 * Order: the device key, and any "<key>.XXXXXX" left beside it, are overwritten with zeros over their full
 * length, fsynced and unlinked, and their directory fsynced, BEFORE anything else is touched: from then on the
 * sealed values cannot be opened, even if a later step fails (crypto-erase). Then the database and its SQLite
 * companions are overwritten, fsynced and unlinked; then the content trees, walked without following symlinks
 * (a symlink is unlinked, its target left as it is); then the data directory is removed if it is empty.
 * A failure is recorded and the wipe goes on: a wipe that stops halfway is worse than one that reports a file
 * it could not destroy. Idempotent: a second call reports everything "absent" and is ok.
 * r is the caller's (filled entirely). Returns r->ok. */
bool paths_wipe(const ms_paths *p, paths_wipe_report *r);

/* Test hook (fault injection and order): called before each file, symlink or directory is destroyed, with the
 * report line's what and the path (relative to its tree for entries inside one); return 0 to go on or an errno
 * value to make that step fail with it. NULL (the default) in the client. Not thread-safe: tests only. */
typedef int (*paths_wipe_hook_fn)(void *ctx, const char *what, const char *path);
void paths_wipe_set_hook(paths_wipe_hook_fn fn, void *ctx);

/* The wipe receipt: JSON that says what was destroyed, when and why, and nothing about the patient's health or
 * the files' contents: {"format":1,"wiped_at":"2026-12-06T05:00:00Z","reason":"staff","patient":12,"unsent":0,
 * "destroyed":[{"what":"device key","bytes":32,"how":"overwritten, fsynced, unlinked"},…]}. reason is "staff"
 * or "remote"; patient is the server's patient id, left out when 0; unsent is how many outbox rows had not
 * reached the server (lost with the wipe); when is UTC. Returns malloc'd text the caller frees, NULL when out
 * of memory or reason is neither. */
char *paths_wipe_receipt(const paths_wipe_report *r, const char *reason, long long patient, int unsent, time_t when);

/* Keeps json as p->receipt: a temporary beside it, written, fsynced, made 0600, renamed over, the directory
 * fsynced. False with err (strerror included) when it cannot, or when p->receipt is "". */
bool paths_receipt_save(const ms_paths *p, const char *json, char *err, size_t errcap);
/* The saved receipt (malloc'd, NUL-terminated; the caller frees it); NULL when there is none, it cannot be
 * read, it is not a regular file or it is larger than PATHS_RECEIPT_MAX. */
char *paths_receipt_load(const ms_paths *p);
/* Removes the receipt (the tablet is enrolled again); true when it is gone, also when there was none. */
bool paths_receipt_clear(const ms_paths *p);

#endif
