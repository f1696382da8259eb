/* test_server.c — the real build/meistring-server on loopback, attacked as issue 9's review did: enrolment
 * codes guessed from one address and from many, a thousand idle connections, hostile `since` cursors, NUL in
 * bodies, old clients; and the loaned tablet's life (lock settings, wipe receipts, recovery wraps, reset codes
 * guessed like enrolment codes, return, a tablet giving up its token). Raw sockets bound to 127.x source
 * addresses; each group bounded in count and time.
 *   test_server GROUP WORKDIR     GROUP: enrol_limits | idle_flood | since | nul | version | lock | recovery | return
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sodium.h>
#include <sqlite3.h>

#include "meistring/config.h"

static const char *work;
static pid_t server_pid;
static int port;
static char db_path[600];

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---- the server ----------------------------------------------------------------------------------------- */

/* Runs the server binary with argv (NULL-terminated, after the program name) and input on its stdin (NULL: none);
 * returns its exit status, stdout in out (may be NULL). No shell: reply texts reach it byte for byte. */
static int run_server_cmd_in(const char *const *args, const char *input, char *out, size_t cap) {
    int pfd[2], ifd[2];
    assert_int_equal(pipe(pfd), 0);
    assert_int_equal(pipe(ifd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        const char *argv[16] = {MEISTRING_SERVER};
        for (int i = 0; args[i] && i < 14; i++)
            argv[i + 1] = args[i];
        dup2(pfd[1], 1);
        dup2(ifd[0], 0);
        close(pfd[0]);
        close(pfd[1]);
        close(ifd[0]);
        close(ifd[1]);
        if (!freopen("/dev/null", "w", stderr)) _exit(127);
        execv(MEISTRING_SERVER, (char *const *)argv);
        _exit(127);
    }
    close(pfd[1]);
    close(ifd[0]);
    /* a few bytes at most: the pipe holds them before the command reads */
    if (input && write(ifd[1], input, strlen(input)) != (ssize_t)strlen(input)) fail_msg("writing stdin");
    close(ifd[1]);
    size_t n = 0;
    char sink[256];
    for (;;) {
        ssize_t k = out && n + 1 < cap ? read(pfd[0], out + n, cap - 1 - n) : read(pfd[0], sink, sizeof sink);
        if (k <= 0) break;
        if (out && n + 1 < cap) n += (size_t)k;
    }
    if (out) out[n] = '\0';
    close(pfd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int run_server_cmd(const char *const *args, char *out, size_t cap) {
    return run_server_cmd_in(args, NULL, out, cap);
}

/* A new patient; code gets the 8 digits. */
static void new_patient(const char *name, char code[9], const char *days) {
    char out[512];
    const char *args[] = {"admin", "--db", db_path, days ? "--code-days" : name, days, "create-patient", name, NULL};
    const char *plain[] = {"admin", "--db", db_path, "create-patient", name, NULL};
    assert_int_equal(run_server_cmd(days ? args : plain, out, sizeof out), 0);
    const char *at = strstr(out, "code ");
    assert_non_null(at);
    char a[8], b[8];
    assert_int_equal(sscanf(at + 5, "%4s %4s", a, b), 2);
    snprintf(code, 9, "%s%s", a, b);
}

/* A port nobody listens on now, chosen by the kernel: fixed port numbers collide when tests run in parallel. */
static int free_port(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    socklen_t len = sizeof a;
    int p = bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(fd, (struct sockaddr *)&a, &len) == 0
                ? ntohs(a.sin_port)
                : 0;
    close(fd);
    return p;
}

/* Starts the server on a database name (the same name keeps it) and waits until it accepts; a server that
 * exits at once (its port taken since it was chosen) is started again on another. nofile: the soft descriptor
 * limit it starts with (0: inherited), as a stock system gives it. */
static void server_start(const char *db_name, const char *const *extra, rlim_t nofile) {
    snprintf(db_path, sizeof db_path, "%s/%s", work, db_name);
    for (int attempt = 0; attempt < 3; attempt++) {
        port = free_port();
        assert_true(port > 0);
        char port_s[16], log[700];
        snprintf(port_s, sizeof port_s, "%d", port);
        snprintf(log, sizeof log, "%s/server-%d.log", work, port);
        server_pid = fork();
        assert_true(server_pid >= 0);
        if (server_pid == 0) {
            const char *argv[32] = {MEISTRING_SERVER, "serve",     "--db",
                                    db_path,          "--content", MEISTRING_SOURCE_ROOT "/assets/demo",
                                    "--port",         port_s};
            int n = 8;
            for (int i = 0; extra && extra[i] && n < 30; i++)
                argv[n++] = extra[i];
            argv[n] = NULL;
            if (nofile) {
                struct rlimit rl;
                getrlimit(RLIMIT_NOFILE, &rl);
                rl.rlim_cur = nofile;
                setrlimit(RLIMIT_NOFILE, &rl);
            }
            if (!freopen(log, "w", stderr)) _exit(127);
            execv(MEISTRING_SERVER, (char *const *)argv);
            _exit(127);
        }
        for (int i = 0; i < 200; i++) {
            int fd = socket(AF_INET, SOCK_STREAM, 0);
            struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
            inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
            int ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
            close(fd);
            if (ok) return;
            if (waitpid(server_pid, NULL, WNOHANG) == server_pid) break;
            usleep(50000);
        }
        if (kill(server_pid, 0) == 0) break; /* alive but not listening: no use trying again */
    }
    fail_msg("the server did not start (port %d; log in %s)", port, work);
}

static int stop_server(void **state) {
    (void)state;
    if (server_pid > 0) {
        kill(server_pid, SIGTERM);
        waitpid(server_pid, NULL, 0);
    }
    server_pid = 0;
    return 0;
}

/* ---- a small HTTP client on raw sockets, from a chosen 127.x source address ------------------------------- */

typedef struct {
    int status; /* 0: no answer (reset, closed, timed out) */
    char head[8192];
    char body[65536];
    size_t len;
    double ms;
} resp;

static int connect_from(const char *src, bool nonblock) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in s = {.sin_family = AF_INET};
    inet_pton(AF_INET, src, &s.sin_addr);
    if (bind(fd, (struct sockaddr *)&s, sizeof s) != 0) {
        close(fd);
        return -1;
    }
    if (nonblock) fcntl(fd, F_SETFL, O_NONBLOCK);
    struct sockaddr_in d = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &d.sin_addr);
    if (connect(fd, (struct sockaddr *)&d, sizeof d) != 0 && !(nonblock && errno == EINPROGRESS)) {
        close(fd);
        return -1;
    }
    return fd;
}

/* One request on its own connection; the answer read to the end (Connection: close), at most 10 s. */
static void http(const char *src, const char *method, const char *path, const char *headers, const char *body,
                 size_t body_len, resp *r) {
    memset(r, 0, sizeof *r);
    double t0 = now_ms();
    int fd = connect_from(src, false);
    if (fd < 0) return;
    struct timeval tv = {.tv_sec = 10};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char req[4096];
    int n = snprintf(req, sizeof req,
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%sContent-Length: %zu\r\n\r\n", method,
                     path, headers ? headers : "", body_len);
    if (send(fd, req, (size_t)n, MSG_NOSIGNAL) != n ||
        (body_len && send(fd, body, body_len, MSG_NOSIGNAL) != (ssize_t)body_len)) {
        close(fd);
        return;
    }
    static char raw[sizeof r->head + sizeof r->body];
    size_t got = 0;
    for (;;) {
        ssize_t k = recv(fd, raw + got, sizeof raw - 1 - got, 0);
        if (k <= 0) break;
        got += (size_t)k;
        if (got == sizeof raw - 1) break;
    }
    close(fd);
    raw[got] = '\0';
    r->ms = now_ms() - t0;
    char *end = strstr(raw, "\r\n\r\n");
    if (!end || sscanf(raw, "HTTP/1.%*d %d", &r->status) != 1) {
        r->status = 0;
        return;
    }
    size_t hl = (size_t)(end - raw);
    if (hl >= sizeof r->head) hl = sizeof r->head - 1;
    memcpy(r->head, raw, hl);
    r->head[hl] = '\0';
    r->len = got - (size_t)(end + 4 - raw);
    if (r->len >= sizeof r->body) r->len = sizeof r->body - 1;
    memcpy(r->body, end + 4, r->len);
    r->body[r->len] = '\0';
}

/* The value of a response header, case-insensitive name; "" when absent. */
static const char *header(const resp *r, const char *name, char *out, size_t cap) {
    out[0] = '\0';
    size_t nl = strlen(name);
    for (const char *l = strstr(r->head, "\r\n"); l; l = strstr(l + 2, "\r\n"))
        if (strncasecmp(l + 2, name, nl) == 0 && l[2 + nl] == ':') {
            const char *v = l + 3 + nl;
            while (*v == ' ')
                v++;
            size_t k = strcspn(v, "\r\n");
            snprintf(out, cap, "%.*s", (int)(k < cap ? k : cap - 1), v);
            break;
        }
    return out;
}

static void enrol(const char *src, const char *code, resp *r) {
    char body[64];
    int n = snprintf(body, sizeof body, "{\"code\":\"%s\"}", code);
    http(src, "POST", "/v1/enrol", "Content-Type: application/json\r\nX-Meistring-Version: 0.1.0\r\n", body, (size_t)n,
         r);
}

static void token_of(const resp *r, char token[65]) {
    cJSON *j = cJSON_Parse(r->body);
    const char *t = cJSON_GetStringValue(cJSON_GetObjectItem(j, "device_token"));
    assert_non_null(t);
    snprintf(token, 65, "%s", t);
    cJSON_Delete(j);
}

static void enrolled(const char *name, char token[65]) {
    char code[9];
    new_patient(name, code, NULL);
    resp r;
    enrol("127.0.0.1", code, &r);
    if (r.status != 200) fail_msg("enrolling %s: HTTP %d %s", name, r.status, r.body);
    token_of(&r, token);
}

static void get(const char *token, const char *path, const char *more_headers, resp *r) {
    char h[512];
    snprintf(h, sizeof h, "Authorization: Bearer %s\r\n%s", token, more_headers ? more_headers : "");
    http("127.0.0.1", "GET", path, h, NULL, 0, r);
}

/* A wrong code: the n-th of a sequence that never hits one of the live codes given. */
static void wrong_code(int n, const char *const *live, char out[9]) {
    for (unsigned v = 10000000u + (unsigned)n * 7919u;; v++) {
        snprintf(out, 9, "%08u", v % 100000000u);
        bool hit = false;
        for (int i = 0; live[i]; i++)
            hit |= strcmp(out, live[i]) == 0;
        if (!hit) return;
    }
}

static sqlite3 *open_db(void) {
    sqlite3 *d = NULL;
    assert_int_equal(sqlite3_open(db_path, &d), SQLITE_OK);
    sqlite3_busy_timeout(d, 5000);
    return d;
}

static void exec_db(const char *sql) {
    sqlite3 *d = open_db();
    char *err = NULL;
    if (sqlite3_exec(d, sql, NULL, NULL, &err) != SQLITE_OK) fail_msg("%s: %s", sql, err);
    sqlite3_close(d);
}

static long long query_int(const char *sql) {
    sqlite3 *d = open_db();
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(d, sql, -1, &st, NULL), SQLITE_OK);
    long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    sqlite3_close(d);
    return v;
}

/* ---- 1. enrolment codes cannot be guessed ----------------------------------------------------------------- */

typedef struct {
    char code[9];
    resp r;
} guess_arg;

static void *guess_thread(void *p) {
    guess_arg *g = p;
    enrol("127.0.0.8", g->code, &g->r);
    return NULL;
}

static void test_address_lockout(void **state) {
    (void)state;
    server_start("lockout.db", NULL, 0);
    char c1[9], c2[9], wrong[9], ra[32];
    new_patient("Alma", c1, NULL);
    new_patient("Berit", c2, NULL);
    const char *live[] = {c1, c2, NULL};
    resp r;
    /* a guesser on one address: SRV_ENROL_ADDR_FAILS answers, then 429 with Retry-After */
    int refused = 0, denied = 0;
    double t0 = now_ms();
    for (int i = 0; i < 3 * SRV_ENROL_ADDR_FAILS; i++) {
        wrong_code(i, live, wrong);
        enrol("127.0.0.1", wrong, &r);
        if (i < SRV_ENROL_ADDR_FAILS && r.status != 403) fail_msg("guess %d: HTTP %d, wanted 403", i + 1, r.status);
        if (i >= SRV_ENROL_ADDR_FAILS && r.status != 429)
            fail_msg("guess %d: HTTP %d, wanted 429 after %d failures", i + 1, r.status, SRV_ENROL_ADDR_FAILS);
        denied += r.status == 403;
        refused += r.status == 429;
    }
    header(&r, "Retry-After", ra, sizeof ra);
    int retry = atoi(ra);
    assert_in_range(retry, SRV_ENROL_ADDR_LOCKOUT_S - 10, SRV_ENROL_ADDR_LOCKOUT_S);
    assert_non_null(strstr(r.body, "\"error\""));
    printf("# one address: %d wrong guesses answered, then %d refused with 429 (Retry-After: %d) in %.0f ms\n", denied,
           refused, retry, now_ms() - t0);

    /* the right code from the locked-out address is refused too, without being looked at */
    enrol("127.0.0.1", c1, &r);
    assert_int_equal(r.status, 429);
    /* the patient, from another address, is not locked out */
    enrol("127.0.0.3", c1, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Alma"));

    /* a burst aimed at one code (near misses of Berit's) locks its address out before the code; the code is
     * still Berit's to use from her own address */
    for (int i = 0; i < SRV_ENROL_ADDR_FAILS; i++) {
        snprintf(wrong, sizeof wrong, "%s", c2);
        wrong[7] = (char)('0' + (c2[7] - '0' + 1 + i % 9) % 10);
        wrong[6] = (char)('0' + (c2[6] - '0' + i / 9) % 10);
        enrol("127.0.0.6", wrong, &r);
        assert_int_equal(r.status, 403);
    }
    enrol("127.0.0.6", c2, &r);
    assert_int_equal(r.status, 429);
    enrol("127.0.0.7", c2, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Berit"));

    /* a flood from the locked-out address is answered while the database is held by someone else: the limits
     * do not wait for it. A fresh address's guess meanwhile waits for the database, as it must. */
    sqlite3 *held = open_db();
    assert_int_equal(sqlite3_exec(held, "BEGIN IMMEDIATE; UPDATE counter SET n=n", NULL, NULL, NULL), SQLITE_OK);
    guess_arg g = {.code = ""};
    wrong_code(999, live, g.code);
    pthread_t th;
    pthread_create(&th, NULL, guess_thread, &g);
    usleep(200000); /* it now holds the server's database lock, waiting on ours */
    int flood = 0, flood_429 = 0;
    double worst = 0;
    t0 = now_ms();
    while (flood < 2000 && now_ms() - t0 < 1000) {
        wrong_code(flood, live, wrong);
        enrol("127.0.0.1", wrong, &r);
        flood++;
        flood_429 += r.status == 429;
        if (r.ms > worst) worst = r.ms;
    }
    double secs = (now_ms() - t0) / 1e3;
    sqlite3_exec(held, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(held);
    pthread_join(th, NULL);
    printf("# flood from a locked-out address, database held: %d guesses in %.2f s (%.0f/s), all 429: %s, "
           "slowest %.1f ms\n",
           flood, secs, flood / secs, flood_429 == flood ? "yes" : "no", worst);
    assert_int_equal(flood_429, flood);
    assert_true(flood > 50);
    assert_true(worst < 500);
    assert_int_equal(g.r.status, 403);
}

static void test_global_budget(void **state) {
    (void)state;
    server_start("global.db", NULL, 0);
    char c3[9], wrong[9], ip[32], ra[32];
    new_patient("Cato", c3, NULL);
    const char *live[] = {c3, NULL};
    resp r;
    /* a distributed guess: fewer failures per address than the lockout, from many addresses */
    int denied = 0, refused = 0, n = 0;
    for (int a = 0; a < 8; a++) {
        snprintf(ip, sizeof ip, "127.0.1.%d", a + 1);
        for (int i = 0; i < SRV_ENROL_ADDR_FAILS - 1; i++) {
            wrong_code(n++, live, wrong);
            enrol(ip, wrong, &r);
            denied += r.status == 403;
            refused += r.status == 429;
        }
    }
    printf("# %d guesses from 8 addresses: %d answered, %d refused (budget %d per %d s)\n", n, denied, refused,
           SRV_ENROL_GLOBAL_FAILS, SRV_ENROL_GLOBAL_WINDOW_S);
    assert_int_equal(denied, SRV_ENROL_GLOBAL_FAILS);
    assert_int_equal(refused, n - SRV_ENROL_GLOBAL_FAILS);
    /* with the budget spent nobody enrols until it refills, the right code included; the answer says when */
    enrol("127.0.1.99", c3, &r);
    assert_int_equal(r.status, 429);
    header(&r, "Retry-After", ra, sizeof ra);
    assert_in_range(atoi(ra), 1, SRV_ENROL_GLOBAL_WINDOW_S / SRV_ENROL_GLOBAL_FAILS + 1);
    assert_int_equal(query_int("SELECT n FROM counter WHERE name='enrol_failures'"), SRV_ENROL_GLOBAL_FAILS);
}

static void test_code_lifetime(void **state) {
    (void)state;
    server_start("lifetime.db", NULL, 0);
    char code[9], out[512];
    resp r;
    /* an expired code is refused like a wrong one; new-code gives the patient a fresh one */
    new_patient("Dag", code, "2");
    exec_db("UPDATE patient SET code_expires = code_expires - 3*86400 WHERE name='Dag'");
    enrol("127.0.0.1", code, &r);
    assert_int_equal(r.status, 403);
    const char *renew[] = {"admin", "--db", db_path, "new-code", "Dag", NULL};
    assert_int_equal(run_server_cmd(renew, out, sizeof out), 0);
    assert_non_null(strstr(out, "code "));
    char a[8], b[8];
    assert_int_equal(sscanf(strstr(out, "code ") + 5, "%4s %4s", a, b), 2);
    snprintf(code, sizeof code, "%s%s", a, b);
    enrol("127.0.0.1", code, &r);
    assert_int_equal(r.status, 200);
    enrol("127.0.0.1", code, &r); /* one-time */
    assert_int_equal(r.status, 403);

    /* a code exposed to SRV_CODE_MAX_EXPOSURE failed enrolments since it was made is retired; one fewer is not */
    char ce[9], cf[9];
    new_patient("Eva", ce, NULL);
    new_patient("Fia", cf, NULL);
    char sql[256];
    snprintf(sql, sizeof sql,
             "UPDATE patient SET code_base = (SELECT n FROM counter WHERE name='enrol_failures') - %d"
             " WHERE name='Eva';"
             "UPDATE patient SET code_base = (SELECT n FROM counter WHERE name='enrol_failures') - %d"
             " WHERE name='Fia'",
             SRV_CODE_MAX_EXPOSURE, SRV_CODE_MAX_EXPOSURE - 2);
    exec_db(sql);
    enrol("127.0.0.1", ce, &r);
    assert_int_equal(r.status, 403); /* and it is one more failure: Fia's exposure is now one below the cap */
    enrol("127.0.0.1", cf, &r);
    assert_int_equal(r.status, 200);

    /* the lifetime option is checked */
    const char *bad[] = {"admin", "--db", db_path, "--code-days", "0", "create-patient", "X", NULL};
    assert_int_equal(run_server_cmd(bad, NULL, 0), 2);
    const char *bad2[] = {"admin", "--db", db_path, "--code-days", "7x", "create-patient", "X", NULL};
    assert_int_equal(run_server_cmd(bad2, NULL, 0), 2);
}

/* A database from before codes expired: its unused codes keep working after the upgrade. */
static void test_old_database(void **state) {
    (void)state;
    snprintf(db_path, sizeof db_path, "%s/old.db", work);
    unlink(db_path);
    exec_db("CREATE TABLE patient(id INTEGER PRIMARY KEY, name TEXT NOT NULL, code TEXT UNIQUE,"
            " code_used INTEGER NOT NULL DEFAULT 0, token TEXT UNIQUE, revoked INTEGER NOT NULL DEFAULT 0);"
            "INSERT INTO patient(name, code) VALUES('Gry', '31415926');");
    server_start("old.db", NULL, 0);
    resp r;
    enrol("127.0.0.1", "31415926", &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Gry"));
}

/* ---- 2. idle connections do not starve real requests ------------------------------------------------------- */

#define IDLE 1100

static int idle_fds[IDLE];

static void open_idle(int n_addrs) {
    char ip[32];
    int opened = 0;
    for (int i = 0; i < IDLE; i++) {
        snprintf(ip, sizeof ip, "127.0.0.%d", n_addrs == 1 ? 2 : 10 + i % n_addrs);
        idle_fds[i] = connect_from(ip, true);
        opened += idle_fds[i] >= 0;
    }
    assert_int_equal(opened, IDLE);
    usleep(500000); /* let the server take them in (or turn them away) */
}

static void close_idle(void) {
    for (int i = 0; i < IDLE; i++)
        if (idle_fds[i] >= 0) close(idle_fds[i]);
}

static double real_requests(const char *token, const char *what) {
    resp r;
    char code[9];
    new_patient("Hedda", code, NULL);
    enrol("127.0.0.1", code, &r);
    if (r.status != 200) fail_msg("%s: enrolment answered HTTP %d", what, r.status);
    double enrol_ms = r.ms;
    get(token, "/v1/manifest", NULL, &r);
    if (r.status != 200) fail_msg("%s: manifest answered HTTP %d", what, r.status);
    assert_true(r.ms < 3000);
    assert_true(enrol_ms < 3000);
    printf("# %s: enrol %.1f ms, manifest %.1f ms\n", what, enrol_ms, r.ms);
    return r.ms > enrol_ms ? r.ms : enrol_ms;
}

static void test_idle_flood(void **state) {
    (void)state;
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < 2 * IDLE) {
        rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur < IDLE + 64) skip();
    /* a stock soft limit of 1024 descriptors: the server must raise its own */
    server_start("idle.db", NULL, 1024);
    char token[65];
    enrolled("Ida", token);
    real_requests(token, "no idle connections");

    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/limits", (int)server_pid);
    FILE *f = fopen(path, "r");
    unsigned long long soft = 0;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "Max open files", 14) == 0) sscanf(line + 14, "%llu", &soft);
    if (f) fclose(f);
    unsigned long long want = SRV_MAX_CONNECTIONS + SRV_FD_SLACK;
    printf("# the server's soft descriptor limit: %llu (started at 1024, hard %llu)\n", soft,
           (unsigned long long)rl.rlim_max);
    assert_true(soft >= (rl.rlim_max < want ? rl.rlim_max : want));

    open_idle(1);
    real_requests(token, "1100 idle connections from 127.0.0.2");
    close_idle();

    /* the same number spread so no address passes its own limit: only the event loop can carry them */
    open_idle(40);
    real_requests(token, "1100 idle connections from 40 addresses");

    /* and the server lets them go after SRV_IDLE_TIMEOUT_S of silence */
    double t0 = now_ms();
    int closed = 0;
    while (closed < IDLE && now_ms() - t0 < (SRV_IDLE_TIMEOUT_S + 15) * 1e3) {
        closed = 0;
        for (int i = 0; i < IDLE; i++) {
            struct pollfd p = {.fd = idle_fds[i], .events = POLLIN};
            char ch;
            if (poll(&p, 1, 0) == 1 && recv(idle_fds[i], &ch, 1, MSG_DONTWAIT) <= 0) closed++;
        }
        if (closed < IDLE) usleep(500000);
    }
    printf("# idle connections closed by the server after %.1f s: %d of %d\n", (now_ms() - t0) / 1e3, closed, IDLE);
    close_idle();
    assert_int_equal(closed, IDLE);
}

/* ---- 3. the changes cursor ------------------------------------------------------------------------------- */

static void test_since(void **state) {
    (void)state;
    server_start("since.db", NULL, 0);
    char token[65];
    enrolled("Jon", token);
    const char *reply[] = {"admin", "--db", db_path, "reply", "Jon", "Hei Jon!", NULL};
    assert_int_equal(run_server_cmd(reply, NULL, 0), 0);
    assert_int_equal(run_server_cmd(reply, NULL, 0), 0);
    resp r;
    get(token, "/v1/changes", NULL, &r);
    assert_int_equal(r.status, 200);
    cJSON *j = cJSON_Parse(r.body);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "items")), 2);
    cJSON_Delete(j);
    assert_non_null(strstr(r.body, "\"next\":2}"));
    get(token, "/v1/changes?since=1", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"seq\":2,"));
    /* the largest cursor there is comes back exactly, as an integer */
    get(token, "/v1/changes?since=9007199254740992", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "{\"items\":[],\"next\":9007199254740992}");

    const char *bad[] = {"9007199254740993",
                         "9223372036854775807",
                         "99999999999999999999",
                         "-1",
                         "abc",
                         "",
                         "1e3",
                         "%2B1",
                         "%201",
                         "0x10",
                         "1.5",
                         "1%00"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[128];
        snprintf(path, sizeof path, "/v1/changes?since=%s", bad[i]);
        get(token, path, NULL, &r);
        if (r.status != 400) fail_msg("since=%s: HTTP %d %s, wanted 400", bad[i], r.status, r.body);
        j = cJSON_Parse(r.body);
        assert_non_null(cJSON_GetStringValue(cJSON_GetObjectItem(j, "error")));
        cJSON_Delete(j);
    }
    get(token, "/v1/changes?since", NULL, &r);
    assert_int_equal(r.status, 400);
    printf("# since: %zu hostile cursors refused with 400; 2^53 answered exactly\n", sizeof bad / sizeof bad[0] + 1);
}

/* ---- 4. NUL in what the patient writes, and the therapist's reply stored whole ----------------------------- */

static void put(const char *token, const char *path, const char *body, size_t len, resp *r) {
    char h[256];
    snprintf(h, sizeof h, "Authorization: Bearer %s\r\nContent-Type: application/json\r\n", token);
    http("127.0.0.1", "PUT", path, h, body, len, r);
}

#define PUT_LIT(tok, path, lit, r) put(tok, path, lit, sizeof lit - 1, r)

static void test_nul(void **state) {
    (void)state;
    server_start("nul.db", NULL, 0);
    char token[65];
    enrolled("Kari", token);
    resp r;
    PUT_LIT(token, "/v1/messages/0123456789abcdef0123456789abcdef",
            "{\"body\":\"Hei\\u0000 dette ville blitt borte\",\"written_at\":\"2024-01-01T10:00:00Z\"}", &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "NUL"));
    PUT_LIT(token, "/v1/messages/0123456789abcdef0123456789abcdef",
            "{\"body\":\"Hei\0 dette ville blitt borte\",\"written_at\":\"2024-01-01T10:00:00Z\"}", &r);
    assert_int_equal(r.status, 400);
    PUT_LIT(token, "/v1/messages/1123456789abcdef0123456789abcdef",
            "{\"body\":\"Hei\",\"written_at\":\"2024-01-01T10:00:00Z\\u0000x\"}", &r);
    assert_int_equal(r.status, 400);
    PUT_LIT(token, "/v1/answers/2123456789abcdef0123456789abcdef",
            "{\"block\":\"thought-record\",\"fields\":{\"situation\":\"bussen\\u0000 skjult\"},\"rev\":1}", &r);
    assert_int_equal(r.status, 400);
    /* a NUL in the id, through the URL: not cut to its first 8 characters */
    PUT_LIT(token, "/v1/messages/abcdefgh%00ijklmnop", "{\"body\":\"Hei\",\"written_at\":\"x\"}", &r);
    assert_int_equal(r.status, 400);
    /* nothing was stored: the same id now takes a clean body as new (201), not as a conflict */
    assert_int_equal(query_int("SELECT count(*) FROM message WHERE from_patient=1"), 0);
    assert_int_equal(query_int("SELECT count(*) FROM answer"), 0);
    PUT_LIT(token, "/v1/messages/0123456789abcdef0123456789abcdef",
            "{\"body\":\"Hei\",\"written_at\":\"2024-01-01T10:00:00Z\"}", &r);
    assert_int_equal(r.status, 201);
    /* an escaped backslash before u0000 is ordinary text and arrives whole */
    PUT_LIT(token, "/v1/messages/3123456789abcdef0123456789abcdef",
            "{\"body\":\"C:\\\\u0000\",\"written_at\":\"2024-01-01T10:00:00Z\"}", &r);
    assert_int_equal(r.status, 201);
    assert_int_equal(query_int("SELECT count(*) FROM message WHERE body='C:\\u0000'"), 1);

    /* the therapist's reply: quotes, newlines, a backslash-u0000 typed as text, æøå, an emoji, 10 KB */
    static char text[SRV_MAX_REPLY + 2];
    int n = snprintf(text, sizeof text, "«Hei Kari», sa hun.\nLinje 2\t\"sitat\" \\u0000 \\ æøå 🙂 ");
    for (; n < 10000; n++)
        text[n] = (char)('a' + n % 26);
    text[n] = '\0';
    const char *reply[] = {"admin", "--db", db_path, "reply", "Kari", text, NULL};
    assert_int_equal(run_server_cmd(reply, NULL, 0), 0);
    get(token, "/v1/changes", NULL, &r);
    assert_int_equal(r.status, 200);
    cJSON *j = cJSON_Parse(r.body);
    const char *got =
        cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "items"), 0), "body"));
    assert_non_null(got);
    assert_int_equal(strlen(got), strlen(text));
    assert_string_equal(got, text);
    cJSON_Delete(j);
    /* one it cannot deliver whole is refused, and nothing is posted: too long for the client, not UTF-8 */
    memset(text, 'x', SRV_MAX_REPLY + 1);
    text[SRV_MAX_REPLY + 1] = '\0';
    assert_int_not_equal(run_server_cmd(reply, NULL, 0), 0);
    snprintf(text, sizeof text, "Hei \xff\xfe");
    assert_int_not_equal(run_server_cmd(reply, NULL, 0), 0);
    assert_int_equal(query_int("SELECT count(*) FROM message WHERE from_patient=0"), 1);
    assert_int_equal(query_int("SELECT count(*) FROM event WHERE type='message'"), 1);
}

/* ---- 5. the version handshake ------------------------------------------------------------------------------ */

static void test_version(void **state) {
    (void)state;
    resp r;
    char token[65], up[64];
    /* without --min-client-version nothing is refused, with or without the header */
    server_start("version.db", NULL, 0);
    enrolled("Liv", token);
    get(token, "/v1/manifest", NULL, &r);
    assert_int_equal(r.status, 200);
    stop_server(NULL);

    const char *extra[] = {"--min-client-version", "1.10.0", NULL};
    server_start("version.db", extra, 0);
    /* no header at all: enrolment and everything else */
    char code[9];
    new_patient("Mia", code, NULL);
    char body[64];
    int n = snprintf(body, sizeof body, "{\"code\":\"%s\"}", code);
    http("127.0.0.1", "POST", "/v1/enrol", "User-Agent: Meistring/2.0.0\r\n", body, (size_t)n, &r);
    assert_int_equal(r.status, 426);
    cJSON *j = cJSON_Parse(r.body);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(j, "error")), "update required");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(j, "min_version")), "1.10.0");
    cJSON_Delete(j);
    assert_string_equal(header(&r, "Upgrade", up, sizeof up), "Meistring/1.10.0");
    get(token, "/v1/manifest", NULL, &r);
    assert_int_equal(r.status, 426);
    /* compared as numbers: 1.9.9 is older than 1.10.0 */
    const char *older[] = {"1.9.9", "0.1.0", "1.9.99", "1.10", "1.10.0-rc1", "garbage", ""};
    for (size_t i = 0; i < sizeof older / sizeof older[0]; i++) {
        char h[64];
        snprintf(h, sizeof h, "X-Meistring-Version: %s\r\n", older[i]);
        get(token, "/v1/manifest", h, &r);
        if (r.status != 426) fail_msg("version %s: HTTP %d, wanted 426", older[i], r.status);
    }
    const char *ok[] = {"1.10.0", "1.10.1", "1.11.0", "2.0.0", "10.0.0"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char h[64];
        snprintf(h, sizeof h, "X-Meistring-Version: %s\r\n", ok[i]);
        get(token, "/v1/manifest", h, &r);
        if (r.status != 200) fail_msg("version %s: HTTP %d, wanted 200", ok[i], r.status);
    }
    stop_server(NULL);
    /* a bad option value stops the server at once */
    const char *bad[] = {"serve",
                         "--db",
                         db_path,
                         "--content",
                         MEISTRING_SOURCE_ROOT "/assets/demo",
                         "--port",
                         "1",
                         "--min-client-version",
                         "1.x",
                         NULL};
    assert_int_equal(run_server_cmd(bad, NULL, 0), 2);
}

/* ---- 6. the loaned tablet's life: lock settings, receipts, recovery, reset codes, return, wipe -------------- */

/* An admin command on the test's database: args after "admin --db DB", NULL-terminated; its exit status. */
static int admin_cmd(char *out, size_t cap, const char *input, ...) {
    const char *args[16] = {"admin", "--db", db_path};
    int n = 3;
    va_list ap;
    va_start(ap, input);
    for (const char *a; (a = va_arg(ap, const char *)) != NULL && n < 15;)
        args[n++] = a;
    va_end(ap);
    args[n] = NULL;
    return run_server_cmd_in(args, input, out, cap);
}

/* The 8 digits printed after label ("enrolment code ", "reset code ") as "1234 5678". */
static void code_after(const char *out, const char *label, char code[9]) {
    const char *at = strstr(out, label);
    if (!at) fail_msg("no \"%s\" in: %s", label, out);
    char a[8], b[8];
    assert_int_equal(sscanf(at + strlen(label), "%4s %4s", a, b), 2);
    snprintf(code, 9, "%s%s", a, b);
}

static void post(const char *src, const char *path, const char *body, resp *r) {
    http(src, "POST", path, "Content-Type: application/json\r\nX-Meistring-Version: 0.1.0\r\n", body, strlen(body), r);
}

static void recover(const char *src, const char *code, resp *r) {
    char body[64];
    snprintf(body, sizeof body, "{\"code\":\"%s\"}", code);
    post(src, "/v1/recover", body, r);
}

static void put_wrap(const char *token, const char *wrap, resp *r) {
    char body[300];
    snprintf(body, sizeof body, "{\"wrap\":\"%s\"}", wrap);
    put(token, "/v1/recovery", body, strlen(body), r);
}

static void delete_device(const char *token, resp *r) {
    char h[256];
    snprintf(h, sizeof h, "Authorization: Bearer %s\r\n", token);
    http("127.0.0.1", "DELETE", "/v1/device", h, NULL, 0, r);
}

/* How many lines of the server's log hold needle. */
static int log_lines(const char *needle) {
    char path[700], line[1024];
    snprintf(path, sizeof path, "%s/server-%d.log", work, port);
    FILE *f = fopen(path, "r");
    int n = 0;
    while (f && fgets(line, sizeof line, f))
        n += strstr(line, needle) != NULL;
    if (f) fclose(f);
    return n;
}

/* A 56-byte sealed key in standard base64 (76 characters), as a tablet would send; k makes it differ. */
static const char *wrap_of(int k) {
    static char w[2][80];
    char *o = w[k & 1];
    snprintf(o, 80, "%cUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB", 'A' + k);
    return o;
}

static void test_lock_settings(void **state) {
    (void)state;
    server_start("lock.db", NULL, 0);
    char out[1024];
    resp r;
    /* the defaults, printed and sent; no staff code yet, so no hash */
    assert_int_equal(admin_cmd(out, sizeof out, NULL, "lock-settings", NULL), 0);
    assert_string_equal(out, "lock-after 300\npin-digits 6\nmax-failures 10\nstaff-code none\n");
    char code[9];
    new_patient("Nora", code, NULL);
    enrol("127.0.0.1", code, &r);
    assert_int_equal(r.status, 200);
    cJSON *j = cJSON_Parse(r.body);
    cJSON *lock = cJSON_GetObjectItem(j, "lock");
    assert_true(cJSON_IsObject(lock));
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(lock, "after_s")), SRV_LOCK_AFTER_S_DEFAULT);
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(lock, "pin_digits")), SRV_PIN_DIGITS_DEFAULT);
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(lock, "max_failures")), SRV_MAX_FAILURES_DEFAULT);
    assert_null(cJSON_GetObjectItem(lock, "staff_code_hash"));
    assert_non_null(cJSON_GetStringValue(cJSON_GetObjectItem(j, "device_token"))); /* the rest as before */
    cJSON_Delete(j);

    /* out-of-range values are refused and change nothing */
    const char *bad[][2] = {{"--lock-after", "29"},   {"--lock-after", "3601"}, {"--lock-after", "5m"},
                            {"--pin-digits", "5"},    {"--pin-digits", "8"},    {"--max-failures", "5"},
                            {"--max-failures", "21"}, {"--max-failure", "10"},  {"--lock-after", ""}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (admin_cmd(NULL, 0, NULL, "lock-settings", bad[i][0], bad[i][1], NULL) != 2)
            fail_msg("lock-settings %s %s was taken", bad[i][0], bad[i][1]);
    assert_int_equal(admin_cmd(NULL, 0, NULL, "lock-settings", "--lock-after", NULL), 2);
    assert_int_equal(query_int("SELECT lock_after_s * 100 + max_failures FROM clinic"), 300 * 100 + 10);

    assert_int_equal(admin_cmd(out, sizeof out, NULL, "lock-settings", "--lock-after", "120", "--pin-digits", "4",
                               "--max-failures", "8", NULL),
                     0);
    assert_string_equal(out, "lock-after 120\npin-digits 4\nmax-failures 8\nstaff-code none\n");
    assert_int_equal(admin_cmd(out, sizeof out, NULL, "lock-settings", "--pin-digits", "6", NULL), 0);
    assert_string_equal(out, "lock-after 120\npin-digits 6\nmax-failures 8\nstaff-code none\n");

    /* a staff code: typed twice, 4-12 digits, stored only as its Argon2id hash */
    assert_int_not_equal(admin_cmd(NULL, 0, "2468\n2469\n", "staff-code", NULL), 0); /* the two differ */
    assert_int_not_equal(admin_cmd(NULL, 0, "246\n246\n", "staff-code", NULL), 0);   /* too short */
    assert_int_not_equal(admin_cmd(NULL, 0, "1234567890123\n1234567890123\n", "staff-code", NULL), 0);
    assert_int_not_equal(admin_cmd(NULL, 0, "24a8\n24a8\n", "staff-code", NULL), 0);
    assert_int_not_equal(admin_cmd(NULL, 0, "2468\n", "staff-code", NULL), 0); /* the input ends */
    assert_int_equal(query_int("SELECT count(*) FROM clinic WHERE staff_code_hash IS NOT NULL"), 0);
    assert_int_equal(admin_cmd(out, sizeof out, "2468\n2468\n", "staff-code", NULL), 0);
    assert_int_equal(query_int("SELECT count(*) FROM clinic WHERE staff_code_hash LIKE '$argon2id$%'"), 1);
    assert_int_equal(query_int("SELECT count(*) FROM clinic WHERE staff_code_hash LIKE '%2468%'"), 0);
    assert_int_equal(admin_cmd(out, sizeof out, NULL, "lock-settings", NULL), 0);
    assert_non_null(strstr(out, "staff-code set\n"));

    /* the next tablet enrolled gets the clinic's settings and the hash, which checks the code */
    new_patient("Ola", code, NULL);
    enrol("127.0.0.1", code, &r);
    assert_int_equal(r.status, 200);
    j = cJSON_Parse(r.body);
    lock = cJSON_GetObjectItem(j, "lock");
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(lock, "after_s")), 120);
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(lock, "pin_digits")), 6);
    assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItem(lock, "max_failures")), 8);
    const char *hash = cJSON_GetStringValue(cJSON_GetObjectItem(lock, "staff_code_hash"));
    assert_non_null(hash);
    assert_true(strncmp(hash, "$argon2id$", 10) == 0);
    assert_int_equal(crypto_pwhash_str_verify(hash, "2468", 4), 0);
    assert_int_not_equal(crypto_pwhash_str_verify(hash, "2467", 4), 0);
    char *printed = cJSON_PrintUnformatted(lock);
    printf("# enrolment's lock object: %s\n", printed);
    free(printed);
    cJSON_Delete(j);
}

static void test_receipts(void **state) {
    (void)state;
    server_start("receipts.db", NULL, 0);
    char code[9], out[2048], body[2048];
    resp r;
    new_patient("Per", code, NULL); /* patient 1: the tablet's earlier patient, whose data it destroyed */
    /* receipts a tablet should not have sent: each is dropped with one line in the log, and the enrolment goes on */
    const char *bad[] = {
        "\"wiped\"",
        "{\"format\": 1, \"wiped_at\": \"2025-03-01T10:00:00Z\", \"reason\": \"lost\", \"destroyed\": []}",
        "{\"format\": 1, \"wiped_at\": \"\\u001b[2J\", \"reason\": \"staff\", \"destroyed\": []}",
        "{\"format\": 1, \"wiped_at\": \"x\", \"reason\": \"staff\", \"destroyed\": [{\"what\": \"s\", \"bytes\": -4,"
        " \"how\": \"h\"}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char name[16];
        snprintf(name, sizeof name, "Rut%zu", i);
        new_patient(name, code, NULL);
        snprintf(body, sizeof body, "{\"code\":\"%.4s-%.4s\",\"wipe_receipt\":%s}", code, code + 4, bad[i]);
        post("127.0.0.1", "/v1/enrol", body, &r);
        if (r.status != 200) fail_msg("a bad receipt blocked the enrolment: HTTP %d %s", r.status, r.body);
        assert_non_null(strstr(r.body, "\"device_token\""));
    }
    usleep(100000);
    assert_int_equal(log_lines("wipe receipt"), (int)(sizeof bad / sizeof bad[0]));
    assert_int_equal(query_int("SELECT count(*) FROM wipe_receipt"), 0);

    /* a good one is stored and listed */
    new_patient("Siv", code, NULL);
    snprintf(body, sizeof body,
             "{\"code\":\"%s\",\"wipe_receipt\":{\"format\":1,\"wiped_at\":\"2025-03-01T10:00:00+01:00\","
             "\"reason\":\"staff\",\"destroyed\":[{\"what\":\"store\",\"bytes\":40960,\"how\":\"key destroyed\"},"
             "{\"what\":\"content\",\"bytes\":118000,\"how\":\"unlinked\"}],\"unsent\":2,\"patient\":1}}",
             code);
    post("127.0.0.1", "/v1/enrol", body, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(query_int("SELECT count(*) FROM wipe_receipt WHERE for_patient=1 AND enrolled_patient="
                               "(SELECT id FROM patient WHERE name='Siv')"),
                     1);
    /* one without a patient, from a remote wipe */
    new_patient("Tor", code, NULL);
    snprintf(body, sizeof body,
             "{\"code\":\"%s\",\"wipe_receipt\":{\"format\":1,\"wiped_at\":\"2025-03-02T08:00:00Z\","
             "\"reason\":\"remote\",\"destroyed\":[{\"what\":\"store\",\"bytes\":1,\"how\":\"key destroyed\"}]}}",
             code);
    post("127.0.0.1", "/v1/enrol", body, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(admin_cmd(out, sizeof out, NULL, "receipts", NULL), 0);
    printf("# admin receipts:\n# %s", out);
    char *second = strchr(out, '\n');
    assert_non_null(second);
    assert_non_null(strstr(out, " patient 1 staff 2025-03-01T10:00:00+01:00: store, content\n"));
    assert_non_null(strstr(second, " patient - remote 2025-03-02T08:00:00Z: store\n"));
    assert_int_equal(query_int("SELECT count(*) FROM wipe_receipt"), 2);
    assert_int_equal(log_lines("wipe receipt"), (int)(sizeof bad / sizeof bad[0]));
}

static void test_recovery_wrap(void **state) {
    (void)state;
    server_start("wrap.db", NULL, 0);
    char token[65], out[512], code[9];
    resp r;
    enrolled("Una", token);
    put_wrap(token, wrap_of(0), &r);
    assert_int_equal(r.status, 201);
    put_wrap(token, wrap_of(0), &r); /* a retry whose answer was lost */
    assert_int_equal(r.status, 200);
    put_wrap(token, wrap_of(1), &r);
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(r.body, "\"error\""));
    assert_int_equal(query_int("SELECT count(*) FROM device WHERE recovery_wrap IS NOT NULL"), 1);
    /* malformed: not base64, too short, too long, the wrong member */
    const char *bad[] = {"{\"wrap\":\"not base64 at all, not base64 at all, not base64!\"}",
                         "{\"wrap\":\"QUFBQQ==\"}",
                         "{\"wrap\":5}",
                         "{\"key\":\"QUFB\"}",
                         "[]",
                         ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        put(token, "/v1/recovery", bad[i], strlen(bad[i]), &r);
        if (r.status != 400) fail_msg("%s: HTTP %d, wanted 400", bad[i], r.status);
    }
    static char longer[260];
    memset(longer, 'A', SRV_WRAP_MAX_CHARS + 4);
    put_wrap(token, longer, &r);
    assert_int_equal(r.status, 400);
    /* no token, no wrap */
    http("127.0.0.1", "PUT", "/v1/recovery", NULL, "{}", 2, &r);
    assert_int_equal(r.status, 401);
    /* a new enrolment clears it: the new tablet has a new data key */
    assert_int_equal(admin_cmd(out, sizeof out, NULL, "new-code", "Una", NULL), 0);
    code_after(out, "enrolment code ", code);
    enrol("127.0.0.1", code, &r);
    assert_int_equal(r.status, 200);
    token_of(&r, token);
    put_wrap(token, wrap_of(1), &r);
    assert_int_equal(r.status, 201);
}

static void test_reset_code(void **state) {
    (void)state;
    server_start("reset.db", NULL, 0);
    char token[65], out[512], reset[9], code[9];
    resp r;
    enrolled("Vera", token);
    /* a patient with no enrolled device gets no reset code */
    new_patient("Wenche", code, NULL);
    assert_int_equal(admin_cmd(NULL, 0, NULL, "reset-code", "Wenche", NULL), 1);

    /* before the tablet sent its wrap, the code opens nothing (and stays for later) */
    assert_int_equal(admin_cmd(out, sizeof out, NULL, "--code-days", "3", "reset-code", "Vera", NULL), 0);
    assert_non_null(strstr(out, "patient 1 Vera: reset code "));
    assert_non_null(strstr(out, "\nvalid for 3 days, until it is used\n"));
    code_after(out, "reset code ", reset);
    recover("127.0.0.21", reset, &r);
    assert_int_equal(r.status, 403);
    put_wrap(token, wrap_of(0), &r);
    assert_int_equal(r.status, 201);

    /* a reset code is not an enrolment code, nor an enrolment code a reset code */
    enrol("127.0.0.22", reset, &r);
    assert_int_equal(r.status, 403);
    recover("127.0.0.22", code, &r); /* Wenche's live enrolment code */
    assert_int_equal(r.status, 403);
    enrol("127.0.0.23", code, &r); /* and it was not used up by that */
    assert_int_equal(r.status, 200);

    /* malformed: 400, and not counted as a guess */
    long long failures = query_int("SELECT n FROM counter WHERE name='enrol_failures'");
    post("127.0.0.24", "/v1/recover", "{\"code\":\"1234567\"}", &r);
    assert_int_equal(r.status, 400);
    post("127.0.0.24", "/v1/recover", "{\"wrap\":\"12345678\"}", &r);
    assert_int_equal(r.status, 400);
    assert_int_equal(query_int("SELECT n FROM counter WHERE name='enrol_failures'"), failures);

    /* the right code, printed 4-4 or with a hyphen: the wrap, once */
    char spaced[16];
    snprintf(spaced, sizeof spaced, "%.4s %.4s", reset, reset + 4);
    recover("127.0.0.25", spaced, &r);
    assert_int_equal(r.status, 200);
    cJSON *j = cJSON_Parse(r.body);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(j, "wrap")), wrap_of(0));
    cJSON_Delete(j);
    recover("127.0.0.25", reset, &r);
    assert_int_equal(r.status, 403);
    assert_non_null(strstr(r.body, "\"error\""));
    assert_int_equal(query_int("SELECT count(*) FROM reset_code"), 0);

    /* a new reset code replaces the one before */
    char first[9], second[9];
    assert_int_equal(admin_cmd(out, sizeof out, NULL, "reset-code", "1", NULL), 0);
    code_after(out, "reset code ", first);
    assert_int_equal(admin_cmd(out, sizeof out, NULL, "reset-code", "1", NULL), 0);
    code_after(out, "reset code ", second);
    recover("127.0.0.26", first, &r);
    assert_int_equal(r.status, 403);
    /* an expired one opens nothing */
    exec_db("UPDATE reset_code SET expires = expires - 8*86400");
    recover("127.0.0.26", second, &r);
    assert_int_equal(r.status, 403);
    exec_db("UPDATE reset_code SET expires = expires + 8*86400");
    recover("127.0.0.26", second, &r);
    assert_int_equal(r.status, 200);
    /* nor one whose device was revoked */
    assert_int_equal(admin_cmd(out, sizeof out, NULL, "reset-code", "1", NULL), 0);
    code_after(out, "reset code ", first);
    assert_int_equal(admin_cmd(NULL, 0, NULL, "revoke", "1", NULL), 0);
    recover("127.0.0.26", first, &r);
    assert_int_equal(r.status, 403);
    /* every failed recovery above is a failed code for the exposure of every live code */
    assert_int_equal(query_int("SELECT n FROM counter WHERE name='enrol_failures'"), failures + 4);
}

static void test_recover_guard(void **state) {
    (void)state;
    server_start("recover-guard.db", NULL, 0);
    char token[65], out[512], reset[9], wrong[9], ra[32];
    resp r;
    enrolled("Yngve", token);
    put_wrap(token, wrap_of(0), &r);
    assert_int_equal(admin_cmd(out, sizeof out, NULL, "reset-code", "Yngve", NULL), 0);
    code_after(out, "reset code ", reset);
    const char *live[] = {reset, NULL};
    /* a guesser on one address: SRV_ENROL_ADDR_FAILS answers, then 429 — the enrolment limits exactly */
    for (int i = 0; i <= SRV_ENROL_ADDR_FAILS; i++) {
        wrong_code(i, live, wrong);
        recover("127.0.0.31", wrong, &r);
        if (i < SRV_ENROL_ADDR_FAILS && r.status != 403) fail_msg("guess %d: HTTP %d, wanted 403", i + 1, r.status);
        if (i == SRV_ENROL_ADDR_FAILS && r.status != 429)
            fail_msg("guess %d: HTTP %d, wanted 429 after %d failures", i + 1, r.status, SRV_ENROL_ADDR_FAILS);
    }
    header(&r, "Retry-After", ra, sizeof ra);
    assert_in_range(atoi(ra), SRV_ENROL_ADDR_LOCKOUT_S - 10, SRV_ENROL_ADDR_LOCKOUT_S);
    /* the right code from there is refused without a look, and so is an enrolment: one limit for both */
    recover("127.0.0.31", reset, &r);
    assert_int_equal(r.status, 429);
    char code[9];
    new_patient("Zara", code, NULL);
    enrol("127.0.0.31", code, &r);
    assert_int_equal(r.status, 429);
    assert_int_equal(query_int("SELECT n FROM counter WHERE name='enrol_failures'"), SRV_ENROL_ADDR_FAILS);
    /* a failed enrolment counts against recovery too: 9 enrolments and 1 recovery lock another address */
    for (int i = 0; i < SRV_ENROL_ADDR_FAILS - 1; i++) {
        wrong_code(100 + i, live, wrong);
        enrol("127.0.0.32", wrong, &r);
        assert_int_equal(r.status, 403);
    }
    wrong_code(200, live, wrong);
    recover("127.0.0.32", wrong, &r);
    assert_int_equal(r.status, 403);
    recover("127.0.0.32", reset, &r);
    assert_int_equal(r.status, 429);
    /* the patient, from their own address, still gets the wrap */
    recover("127.0.0.33", reset, &r);
    assert_int_equal(r.status, 200);
    printf("# recover: %d wrong reset codes from one address answered 403, then 429 (Retry-After: %s)\n",
           SRV_ENROL_ADDR_FAILS, ra);
}

static void test_return(void **state) {
    (void)state;
    server_start("return.db", NULL, 0);
    char token[65], other[65], out[2048];
    resp r;
    enrolled("Aud", token);
    enrolled("Bjørn", other);
    put_wrap(token, wrap_of(0), &r);
    assert_int_equal(r.status, 201);
    const char *reply[] = {"admin", "--db", db_path, "reply", "Aud", "Hei Aud!", NULL};
    assert_int_equal(run_server_cmd(reply, NULL, 0), 0);

    assert_int_equal(admin_cmd(out, sizeof out, NULL, "return", "Aud", NULL), 0);
    assert_non_null(strstr(out, "returned"));
    assert_int_equal(admin_cmd(out, sizeof out, NULL, "return", "Aud", NULL), 0); /* marked once */
    assert_int_equal(query_int("SELECT count(*) FROM event WHERE type='returned'"), 1);
    get(token, "/v1/changes?since=1", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "{\"items\":[{\"seq\":2,\"type\":\"returned\"}],\"next\":2}");
    get(other, "/v1/changes", NULL, &r); /* only that patient's feed */
    assert_string_equal(r.body, "{\"items\":[],\"next\":0}");

    /* the returned tablet's token still delivers what it holds, each once */
    const char *msg = "{\"body\":\"Siste ord\",\"written_at\":\"2025-03-01T10:00:00Z\"}";
    put(token, "/v1/messages/4123456789abcdef0123456789abcdef", msg, strlen(msg), &r);
    assert_int_equal(r.status, 201);
    put(token, "/v1/messages/4123456789abcdef0123456789abcdef", msg, strlen(msg), &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(query_int("SELECT count(*) FROM message WHERE from_patient=1"), 1);
    const char *ans = "{\"block\":\"thought-record\",\"fields\":{\"situation\":\"x\"},\"rev\":1}";
    put(token, "/v1/answers/5123456789abcdef0123456789abcdef", ans, strlen(ans), &r);
    assert_int_equal(r.status, 201);
    get(token, "/v1/manifest", NULL, &r);
    assert_int_equal(r.status, 200);

    assert_int_equal(admin_cmd(NULL, 0, NULL, "revoke", "Bjørn", NULL), 0);
    assert_int_equal(admin_cmd(out, sizeof out, NULL, "devices", NULL), 0);
    printf("# admin devices after return:\n# %s", out);
    assert_non_null(strstr(out, "patient 1 Aud: returned (waiting for the tablet); recovery wrap stored\n"));
    assert_non_null(strstr(out, "patient 2 Bjørn: revoked by admin; no recovery wrap\n"));
    /* a revoked device cannot be returned */
    assert_int_equal(admin_cmd(NULL, 0, NULL, "return", "Bjørn", NULL), 1);

    /* the tablet wiped itself and gives up its token: 204, and the token is dead everywhere */
    delete_device(token, &r);
    assert_int_equal(r.status, 204);
    assert_int_equal(r.len, 0);
    get(token, "/v1/changes", NULL, &r);
    assert_int_equal(r.status, 401);
    get(token, "/v1/manifest", NULL, &r);
    assert_int_equal(r.status, 401);
    put(token, "/v1/messages/6123456789abcdef0123456789abcdef", msg, strlen(msg), &r);
    assert_int_equal(r.status, 401);
    put_wrap(token, wrap_of(0), &r);
    assert_int_equal(r.status, 401);
    delete_device(token, &r);
    assert_int_equal(r.status, 401);
    assert_int_equal(query_int("SELECT count(*) FROM patient WHERE name='Aud' AND token IS NULL AND revoked=1"), 1);
    assert_int_equal(admin_cmd(out, sizeof out, NULL, "devices", NULL), 0);
    assert_non_null(strstr(out, "patient 1 Aud: wiped (token revoked by the tablet); no recovery wrap\n"));
    assert_int_equal(admin_cmd(NULL, 0, NULL, "reset-code", "Aud", NULL), 1);
}

/* A tablet staff wiped without a return gives up its token the same way. */
static void test_wipe_unreturned(void **state) {
    (void)state;
    server_start("wipe.db", NULL, 0);
    char token[65], out[1024];
    resp r;
    enrolled("Cecilie", token);
    assert_int_equal(admin_cmd(out, sizeof out, NULL, "devices", NULL), 0);
    assert_non_null(strstr(out, "patient 1 Cecilie: enrolled; no recovery wrap\n"));
    delete_device(token, &r);
    assert_int_equal(r.status, 204);
    get(token, "/v1/changes", NULL, &r);
    assert_int_equal(r.status, 401);
    http("127.0.0.1", "DELETE", "/v1/device", NULL, NULL, 0, &r); /* no token at all */
    assert_int_equal(r.status, 401);
    assert_int_equal(admin_cmd(out, sizeof out, NULL, "devices", NULL), 0);
    assert_non_null(strstr(out, "patient 1 Cecilie: wiped (token revoked by the tablet); no recovery wrap\n"));
    /* the clinic lends the same patient a tablet again */
    char code[9];
    assert_int_equal(admin_cmd(out, sizeof out, NULL, "new-code", "Cecilie", NULL), 0);
    code_after(out, "enrolment code ", code);
    enrol("127.0.0.1", code, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(admin_cmd(out, sizeof out, NULL, "devices", NULL), 0);
    assert_non_null(strstr(out, "patient 1 Cecilie: enrolled; no recovery wrap\n"));
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: test_server enrol_limits|idle_flood|since|nul|version|lock|recovery|return WORKDIR\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    work = argv[2];
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", work, work);
    if (system(cmd) != 0) return 1;
    const char *group = argv[1];
    if (strcmp(group, "enrol_limits") == 0) {
        const struct CMUnitTest tests[] = {
            cmocka_unit_test_teardown(test_address_lockout, stop_server),
            cmocka_unit_test_teardown(test_global_budget, stop_server),
            cmocka_unit_test_teardown(test_code_lifetime, stop_server),
            cmocka_unit_test_teardown(test_old_database, stop_server),
        };
        return cmocka_run_group_tests_name("enrol_limits", tests, NULL, NULL);
    }
    if (strcmp(group, "idle_flood") == 0) {
        const struct CMUnitTest tests[] = {cmocka_unit_test_teardown(test_idle_flood, stop_server)};
        return cmocka_run_group_tests_name("idle_flood", tests, NULL, NULL);
    }
    if (strcmp(group, "since") == 0) {
        const struct CMUnitTest tests[] = {cmocka_unit_test_teardown(test_since, stop_server)};
        return cmocka_run_group_tests_name("since", tests, NULL, NULL);
    }
    if (strcmp(group, "nul") == 0) {
        const struct CMUnitTest tests[] = {cmocka_unit_test_teardown(test_nul, stop_server)};
        return cmocka_run_group_tests_name("nul", tests, NULL, NULL);
    }
    if (strcmp(group, "version") == 0) {
        const struct CMUnitTest tests[] = {cmocka_unit_test_teardown(test_version, stop_server)};
        return cmocka_run_group_tests_name("version", tests, NULL, NULL);
    }
    if (strcmp(group, "lock") == 0) {
        const struct CMUnitTest tests[] = {
            cmocka_unit_test_teardown(test_lock_settings, stop_server),
            cmocka_unit_test_teardown(test_receipts, stop_server),
        };
        return cmocka_run_group_tests_name("lock", tests, NULL, NULL);
    }
    if (strcmp(group, "recovery") == 0) {
        const struct CMUnitTest tests[] = {
            cmocka_unit_test_teardown(test_recovery_wrap, stop_server),
            cmocka_unit_test_teardown(test_reset_code, stop_server),
            cmocka_unit_test_teardown(test_recover_guard, stop_server),
        };
        return cmocka_run_group_tests_name("recovery", tests, NULL, NULL);
    }
    if (strcmp(group, "return") == 0) {
        const struct CMUnitTest tests[] = {
            cmocka_unit_test_teardown(test_return, stop_server),
            cmocka_unit_test_teardown(test_wipe_unreturned, stop_server),
        };
        return cmocka_run_group_tests_name("return", tests, NULL, NULL);
    }
    fprintf(stderr, "test_server: no group %s\n", group);
    return 2;
}
