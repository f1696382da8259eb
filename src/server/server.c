/* server.c — the reference sync server, build/meistring-server (docs/sync-protocol.md).
 * One process, libmicrohttpd on a database --db names: a SQLite file (pilots and tests) or PostgreSQL
 * (postgresql://…, where several stateless instances behind a load balancer share one database; DESIGN §4).
 * Serves a programme from a content directory (the demo works as-is), enrols devices with one-time codes, keeps
 * per-patient unlocks, messages both ways, answers, and a changes feed; and a loaned tablet's life (lock settings,
 * recovery wraps and reset codes, return, wipe receipts). It can inject faults (--fault) so the client's sync can
 * be tested against them. Untrusted bytes are read in request.c, failed enrolments are limited in guard.c, budgets
 * are in meistring/config.h.
 *
 * This file is the process: main, serve's options, and the libmicrohttpd daemon (its thread pool, connection
 * limits, log and signals) with its pool of database connections, one per thread. What a request does is api.c's;
 * what is kept is srv_store.h's, the programme's blobs content.c's, the injected faults faults.c's, the clinician's
 * commands admin.c's (server.h says what they share).
 *
 * The schema is migrated whenever a database is opened (serve, admin, migrate), in one transaction that is safe to
 * run again and from several instances at once; `migrate` does only that and says the version, for IT to run
 * before rolling out instances of a new version.
 *
 *   meistring-server serve --db FILE|URI --content DIR [--port N] [--bind ADDR] [--cert PEM --key PEM]
 *                          [--min-client-version X.Y.Z] [--trusted-proxy ADDR]... [--fault MODE[@PREFIX][:P]]...
 *                          [--seed N]
 *   meistring-server migrate --db FILE|URI
 *   meistring-server admin --db FILE|URI [--code-days N] create-patient NAME | new-code PATIENT
 *                          | unlock PATIENT MODULE | reply PATIENT TEXT | messages PATIENT | answers PATIENT
 *                          | revoke PATIENT | reset-code PATIENT | return PATIENT | devices | receipts
 *                          | staff-code | lock-settings [--lock-after S] [--pin-digits 4|6] [--max-failures N]
 *   meistring-server publish --content DIR --out DIR   (publish.c: the blobs as files for nginx, docs/deploy.md)
 */
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include "meistring/config.h"

#include "guard.h"
#include "request.h"
#include "server.h"

/* MHD's unescaper, but %00 stays as it is (req_unescape). */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s) {
    (void)cls;
    (void)c;
    return req_unescape(s);
}

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    if (b) b[n] = '\0';
    fclose(f);
    return b;
}

static volatile sig_atomic_t stop;
static void on_signal(int sig) {
    (void)sig;
    stop = 1;
}

/* MHD's error log, but a flood cannot fill the disk with it: one line per connection turned away would be a
 * thousand lines a second. The same message again within SRV_LOG_QUIET_S is counted, and the count is said with
 * the next line that gets through. */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static void mhd_log(void *cls, const char *fmt, va_list ap) {
    static const char *last_fmt;
    static int64_t last_at;
    static unsigned long quiet;
    (void)cls;
    int64_t now = mono_now();
    pthread_mutex_lock(&log_lock);
    if (fmt == last_fmt && now - last_at < SRV_LOG_QUIET_S) {
        quiet++;
    } else {
        if (quiet) fprintf(stderr, "meistring-server: (%lu more like the last)\n", quiet);
        quiet = 0;
        last_fmt = fmt;
        last_at = now;
        fputs("meistring-server: ", stderr);
        vfprintf(stderr, fmt, ap);
    }
    pthread_mutex_unlock(&log_lock);
}

/* Room for every connection MHD may hold: the soft descriptor limit is often 1024, under SRV_MAX_CONNECTIONS.
 * Raised towards the hard limit; when that is lower still, fewer connections are allowed, said once. */
static unsigned fd_budget(void) {
    unsigned conns = SRV_MAX_CONNECTIONS;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return conns;
    rlim_t need = (rlim_t)SRV_MAX_CONNECTIONS + SRV_FD_SLACK;
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need ? need : rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0 || getrlimit(RLIMIT_NOFILE, &rl) != 0) rl.rlim_cur = 1024;
    }
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
        conns = rl.rlim_cur > 2 * SRV_FD_SLACK ? (unsigned)(rl.rlim_cur - SRV_FD_SLACK) : (unsigned)rl.rlim_cur / 2;
        fprintf(stderr, "meistring-server: only %llu file descriptors: at most %u connections\n",
                (unsigned long long)rl.rlim_cur, conns);
    }
    return conns;
}

/* migrate --db WHERE: opening the database migrates it; this says to what. */
static int migrate(int argc, char **argv) {
    if (argc != 2 || strcmp(argv[0], "--db") != 0) {
        fprintf(stderr, "meistring-server migrate: --db FILE|URI is required, and nothing else\n");
        return 2;
    }
    srv_store *s = srv_store_open(argv[1]);
    if (!s) return 1;
    int v = srv_store_schema_version(s);
    if (v >= 0) printf("schema version %d (%s)\n", v, srv_store_backend(s));
    srv_store_close(s);
    return v >= 0 ? 0 : 1;
}

static int serve(int argc, char **argv) {
    const char *dbp = NULL, *content = NULL, *cert = NULL, *key = NULL, *bind_addr = "127.0.0.1";
    int port = 8470;
    /* Every option takes a value, and anything else stops the server: a typo in MEISTRING_OPTIONS
     * (--trusted_proxy) that was skipped would quietly bring back what the option was for. */
    for (int i = 0; i < argc; i += 2) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool known = strcmp(o, "--db") == 0 || strcmp(o, "--content") == 0 || strcmp(o, "--port") == 0 ||
                     strcmp(o, "--bind") == 0 || strcmp(o, "--cert") == 0 || strcmp(o, "--key") == 0 ||
                     strcmp(o, "--trusted-proxy") == 0 || strcmp(o, "--seed") == 0 ||
                     strcmp(o, "--min-client-version") == 0 || strcmp(o, "--fault") == 0;
        if (!known) {
            fprintf(stderr, "meistring-server serve: unknown option %s (meistring-server --help lists them)\n", o);
            return 2;
        }
        if (!v) {
            fprintf(stderr, "meistring-server serve: %s needs a value\n", o);
            return 2;
        }
        if (strcmp(o, "--db") == 0)
            dbp = v;
        else if (strcmp(o, "--content") == 0)
            content = v;
        else if (strcmp(o, "--port") == 0) {
            char *end = NULL;
            long n = strtol(v, &end, 10);
            if (end == v || *end || n < 1 || n > 65535) {
                fprintf(stderr, "meistring-server: --port wants 1 to 65535, not %s\n", v);
                return 2;
            }
            port = (int)n;
        } else if (strcmp(o, "--bind") == 0)
            bind_addr = v;
        else if (strcmp(o, "--cert") == 0)
            cert = v;
        else if (strcmp(o, "--key") == 0)
            key = v;
        else if (strcmp(o, "--trusted-proxy") == 0) {
            if (n_trusted_proxies == SRV_TRUSTED_PROXIES_MAX ||
                !req_forwarded_for(v, &trusted_proxy[n_trusted_proxies])) {
                fprintf(
                    stderr,
                    "meistring-server: --trusted-proxy wants one IPv4 or IPv6 address (at most %d of them), not %s\n",
                    SRV_TRUSTED_PROXIES_MAX, v);
                return 2;
            }
            n_trusted_proxies++;
        } else if (strcmp(o, "--seed") == 0)
            rng_state = (unsigned)atoi(v);
        else if (strcmp(o, "--min-client-version") == 0) {
            if (!req_version_parse(v, &min_version)) {
                fprintf(stderr, "meistring-server: --min-client-version wants X.Y.Z, not %s\n", v);
                return 2;
            }
            snprintf(min_version_text, sizeof min_version_text, "%u.%u.%u", min_version.part[0], min_version.part[1],
                     min_version.part[2]);
            have_min_version = true;
        } else if (!parse_fault(v)) { /* --fault */
            fprintf(stderr, "meistring-server: bad --fault %s\n", v);
            return 2;
        }
    }
    if (!dbp || !content) {
        fprintf(stderr, "meistring-server serve: --db FILE|URI and --content DIR are required\n");
        return 2;
    }
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, bind_addr, &addr.sin_addr) != 1) {
        fprintf(stderr, "meistring-server: --bind wants an IPv4 address, not %s\n", bind_addr);
        return 2;
    }
    /* The server listens on IPv4 only, so every peer has an IPv4 address and an IPv6 --trusted-proxy can never be
     * the peer: its X-Forwarded-For would never be read, and every tablet behind it would share one lockout without
     * a word. Refused rather than warned about: no configuration that works is refused, and a warning in a journal
     * is missed until the day ten mistyped codes lock out a region. */
    for (int i = 0; i < n_trusted_proxies; i++)
        if (trusted_proxy[i].ss_family != AF_INET) {
            char text[INET6_ADDRSTRLEN] = "?";
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)&trusted_proxy[i])->sin6_addr, text, sizeof text);
            fprintf(stderr,
                    "meistring-server: --trusted-proxy %s is IPv6, but the server listens on IPv4 (--bind %s): that "
                    "proxy could never be the peer; give the IPv4 address it connects from\n",
                    text, bind_addr);
            return 2;
        }
    if (!load_content(content)) return 1;
    /* every connection opened now, so a wrong --db fails here and not at the first request */
    db_pool = srv_store_pool_open(dbp, SRV_THREADS);
    if (!db_pool) {
        fprintf(stderr, "meistring-server: the database could not be opened; not serving\n");
        return 1;
    }
    enrol_guard = guard_new();
    if (!enrol_guard) {
        fprintf(stderr, "meistring-server: out of memory\n");
        return 1;
    }
    char *cert_pem = cert ? slurp(cert) : NULL, *key_pem = key ? slurp(key) : NULL;
    if ((cert && !cert_pem) || (key && !key_pem) || (!cert != !key)) {
        fprintf(stderr, "meistring-server: TLS needs both --cert and --key, readable\n");
        return 2;
    }
    /* A few threads each running epoll over many connections, not a thread per connection: idle connections
     * cost a little memory, not a thread, so a thousand of them cannot starve real requests (issue 9). */
    unsigned conns = fd_budget();
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG;
    if (cert_pem) flags |= MHD_USE_TLS;
    struct MHD_OptionItem limits[] = {
        {MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_log, NULL}, /* first, or MHD logs the rest its own way */
        {MHD_OPTION_THREAD_POOL_SIZE, SRV_THREADS, NULL},
        {MHD_OPTION_CONNECTION_LIMIT, (intptr_t)conns, NULL},
        {MHD_OPTION_PER_IP_CONNECTION_LIMIT, SRV_MAX_CONNECTIONS_PER_ADDR, NULL},
        {MHD_OPTION_CONNECTION_TIMEOUT, SRV_IDLE_TIMEOUT_S, NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    struct MHD_Daemon *d =
        cert_pem
            ? MHD_start_daemon(flags, 0, NULL, NULL, handle, NULL, MHD_OPTION_ARRAY, limits, MHD_OPTION_SOCK_ADDR,
                               &addr, MHD_OPTION_NOTIFY_COMPLETED, request_done, NULL, MHD_OPTION_UNESCAPE_CALLBACK,
                               unescape, NULL, MHD_OPTION_HTTPS_MEM_CERT, cert_pem, MHD_OPTION_HTTPS_MEM_KEY, key_pem,
                               MHD_OPTION_HTTPS_PRIORITIES, "NORMAL:-VERS-TLS1.1:-VERS-TLS1.0", MHD_OPTION_END)
            : MHD_start_daemon(flags, 0, NULL, NULL, handle, NULL, MHD_OPTION_ARRAY, limits, MHD_OPTION_SOCK_ADDR,
                               &addr, MHD_OPTION_NOTIFY_COMPLETED, request_done, NULL, MHD_OPTION_UNESCAPE_CALLBACK,
                               unescape, NULL, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "meistring-server: cannot listen on %s:%d\n", bind_addr, port);
        return 1;
    }
    fprintf(stderr, "meistring-server: serving %s (%zu files) on %s://%s:%d\n", prog->title, n_blobs,
            cert_pem ? "https" : "http", bind_addr, port);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    while (!stop)
        pause();
    MHD_stop_daemon(d);
    guard_free(enrol_guard);
    srv_store_pool_close(db_pool);
    free(cert_pem);
    free(key_pem);
    return 0;
}

int main(int argc, char **argv) {
    if (sodium_init() < 0) {
        fprintf(stderr, "meistring-server: libsodium failed to start\n");
        return 1;
    }
    if (argc >= 2 && strcmp(argv[1], "serve") == 0) return serve(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "admin") == 0) return admin(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "publish") == 0) return publish(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "migrate") == 0) return migrate(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        printf("meistring-server %s\n", MEISTRING_VERSION);
        return 0;
    }
    /* --help: the same text on stdout with a zero exit (the man page is made from it: help2man) */
    bool help = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);
    fprintf(help ? stdout : stderr,
            "Usage: meistring-server serve|migrate|admin|publish [OPTION]...\n"
            "The reference sync server of Meistring: serves a programme to enrolled tablets, carries messages\n"
            "both ways between patient and therapist, keeps answers and unlocks (docs/sync-protocol.md).\n"
            "\n"
            "usage:\n"
            "  meistring-server serve --db FILE|URI --content DIR [--port N] [--bind ADDR] [--cert PEM --key PEM]\n"
            "                         [--min-client-version X.Y.Z] [--trusted-proxy ADDR]...\n"
            "                         [--fault MODE[@PREFIX][:P|:xN]]... [--seed N]\n"
            "      --trusted-proxy: a reverse proxy (nginx) whose last X-Forwarded-For entry names the tablet;\n"
            "      an IPv4 address, as --bind is\n"
            "      MODE: drop drop-after 500 429 stall truncate badjson badhash huge\n"
            "  meistring-server migrate --db FILE|URI\n"
            "      brings the database's schema to this version (serve and admin do too) and prints it\n"
            "  meistring-server admin --db FILE|URI [--code-days N] create-patient NAME | new-code PATIENT\n"
            "                         | unlock PATIENT MODULE | reply PATIENT TEXT | messages PATIENT\n"
            "                         | answers PATIENT | revoke PATIENT | reset-code PATIENT | return PATIENT\n"
            "                         | devices | receipts | staff-code (reads it twice from stdin)\n"
            "                         | lock-settings [--lock-after S] [--pin-digits 4|6] [--max-failures N]\n"
            "  meistring-server publish --content DIR --out DIR\n"
            "      writes every blob of the programme as DIR/v1/blobs/SHA256 for a web server (docs/deploy.md);\n"
            "      keeps what is there, deletes nothing\n"
            "  meistring-server --version | --help\n"
            "\n"
            "--db names a SQLite file (made if missing) or a PostgreSQL database by its URI, postgresql://...\n");
    return help ? 0 : 2;
}
