/* test_sync.c — the sync engine against the real reference server on loopback, with a real store on disk:
 * enrolment, a full sync, a sync with nothing new (and its bytes), messages both ways with read receipts,
 * unlocks, and every fault the server can inject: 500, 429 with Retry-After, a blob whose bytes do not match
 * its hash, truncated and wrong-typed JSON, a body far over the cap, a connection dropped mid-blob (resumed),
 * a stalled server; and exactly-once delivery of 200 messages through a link that drops a third of them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "meistring/config.h"
#include "meistring/store.h"
#include "meistring/sync.h"

static char dir[64];
static int next_port = 18600;
static pid_t running[32]; /* servers to stop even when a test fails half-way (cmocka longjmps out) */

typedef struct {
    pid_t pid;
    int port;
    char url[64];
    char db[192]; /* a SQLite file, or a postgresql:// URI (MEISTRING_TEST_PG_HOST) */
} server;

static void run(const char *fmt, ...) {
    char cmd[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    assert_int_equal(system(cmd), 0);
}

/* Starts meistring-server on a fresh loopback port; extra args (faults) come after. */
static void server_start(server *s, const char *db_name, const char *const *extra) {
    /* a port the kernel says is free: this suite runs twice at once (SQLite, PostgreSQL) */
    int probe = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in any = {.sin_family = AF_INET};
    socklen_t any_len = sizeof any;
    inet_pton(AF_INET, "127.0.0.1", &any.sin_addr);
    assert_true(probe >= 0 && bind(probe, (struct sockaddr *)&any, sizeof any) == 0 &&
                getsockname(probe, (struct sockaddr *)&any, &any_len) == 0);
    close(probe);
    s->port = ntohs(any.sin_port);
    next_port++;
    snprintf(s->url, sizeof s->url, "http://127.0.0.1:%d", s->port);
    snprintf(s->db, sizeof s->db, "%s/%s", dir, db_name);
    /* under tests/lib/on_postgresql.sh the server keeps everything in PostgreSQL instead: a database of the same
     * stem in that cluster, made the first time (a server started again on it finds what it left) */
    const char *pg = getenv("MEISTRING_TEST_PG_HOST");
    if (pg) {
        char name[64];
        snprintf(name, sizeof name, "%.*s_%d", (int)strcspn(db_name, "."), db_name, (int)getpid());
        char cmd[512];
        snprintf(cmd, sizeof cmd, "psql -q -h '%s' -U postgres -d postgres -c 'CREATE DATABASE %s' >/dev/null 2>&1",
                 pg, name);
        int made = system(cmd); /* fails when it is already there: a restart on the same database */
        (void)made;
        snprintf(s->db, sizeof s->db, "postgresql:///%s?host=%s&user=postgres", name, pg);
    }
    char port[16];
    snprintf(port, sizeof port, "%d", s->port);
    s->pid = fork();
    assert_true(s->pid >= 0);
    for (int i = 0; i < 32; i++)
        if (!running[i] && s->pid > 0) {
            running[i] = s->pid;
            break;
        }
    if (s->pid == 0) {
        const char *argv[32] = {
            MEISTRING_SERVER, "serve", "--db",   s->db, "--content", MEISTRING_SOURCE_ROOT "/assets/demo",
            "--port",         port,    "--seed", "7"};
        int n = 10;
        for (int i = 0; extra && extra[i] && n < 30; i++)
            argv[n++] = extra[i];
        argv[n] = NULL;
        if (!freopen("/dev/null", "w", stderr)) _exit(126);
        execv(MEISTRING_SERVER, (char *const *)argv);
        _exit(127);
    }
    /* ready when it accepts a connection (at most 5 s) */
    for (int i = 0; i < 100; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port)};
        inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
        int ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
        close(fd);
        if (ok) return;
        usleep(50000);
    }
    fail_msg("the server did not start on port %d", s->port);
}

static void server_stop(server *s) {
    kill(s->pid, SIGTERM);
    waitpid(s->pid, NULL, 0);
    for (int i = 0; i < 32; i++)
        if (running[i] == s->pid) running[i] = 0;
}

/* Creates a patient and returns the 8-digit code. */
static void new_patient(const server *s, const char *name, char code[9]) {
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s admin --db '%s' create-patient %s", MEISTRING_SERVER, s->db, name);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[256] = "";
    assert_non_null(fgets(line, sizeof line, p));
    pclose(p);
    char a[8], b[8];
    assert_int_equal(sscanf(strstr(line, "code ") + 5, "%4s %4s", a, b), 2);
    snprintf(code, 9, "%s%s", a, b);
}

static int count_lines(const char *cmd_fmt, const server *s, const char *who, const char *grep) {
    char cmd[512];
    snprintf(cmd, sizeof cmd, cmd_fmt, MEISTRING_SERVER, s->db, who);
    FILE *p = popen(cmd, "r");
    int n = 0;
    char line[4096];
    while (fgets(line, sizeof line, p))
        if (!grep || strstr(line, grep)) n++;
    pclose(p);
    return n;
}

static store *fresh_store(const char *name) {
    char path[160], key[160], err[256];
    snprintf(path, sizeof path, "%s/%s.db", dir, name);
    snprintf(key, sizeof key, "%s/%s.key", dir, name);
    unlink(path);
    unlink(key);
    store *st = store_open(path, key, err, sizeof err);
    assert_non_null(st);
    return st;
}

static store *enrolled(server *srv, const char *who, sync_engine **out, long timeout_ms) {
    char code[9];
    new_patient(srv, who, code);
    store *st = fresh_store(who);
    sync_config cfg = {.server = srv->url, .timeout_ms = timeout_ms};
    *out = sync_new(&cfg);
    sync_report rep;
    sync_result r = sync_enrol(*out, st, code, NULL, &rep);
    if (r != SYNC_OK) fail_msg("enrolling %s with %s at %s: %d %s", who, code, srv->url, r, rep.msg);
    return st;
}

static int stop_servers(void **state) {
    (void)state;
    for (int i = 0; i < 32; i++)
        if (running[i]) {
            kill(running[i], SIGTERM);
            waitpid(running[i], NULL, 0);
            running[i] = 0;
        }
    return 0;
}

static int setup(void **state) {
    (void)state;
    strcpy(dir, "/tmp/meistring-sync-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
    stop_servers(state);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_enrol_and_full_sync(void **state) {
    (void)state;
    server srv;
    server_start(&srv, "a.db", NULL);
    char code[9];
    new_patient(&srv, "Kari", code);
    store *st = fresh_store("kari");
    sync_config cfg = {.server = srv.url};
    sync_engine *s = sync_new(&cfg);
    sync_report rep;
    /* a wrong code, then the right one, then the right one again (one-time) */
    assert_int_equal(sync_enrol(s, st, "00000000", NULL, &rep), SYNC_AUTH);
    assert_int_equal(sync_enrol(s, st, code, NULL, &rep), SYNC_OK);
    char *name = store_sync_get(st, "patient_name");
    assert_string_equal(name, "Kari");
    free(name);
    assert_int_equal(sync_enrol(s, st, code, NULL, &rep), SYNC_AUTH);

    /* first sync: programme, three open modules and their images; the locked module's content is not sent */
    assert_int_equal(sync_once(s, st, &rep), SYNC_OK);
    assert_true(rep.manifest_changed);
    assert_int_equal(rep.blobs_fetched, 8);
    long first_bytes = rep.bytes_in;
    print_message("full sync: %d blobs, %ld bytes in, %ld out\n", rep.blobs_fetched, rep.bytes_in, rep.bytes_out);
    char *last = store_sync_get(st, "last_synced");
    assert_non_null(last);
    free(last);

    /* nothing new: 304 and an empty changes page */
    assert_int_equal(sync_once(s, st, &rep), SYNC_OK);
    assert_false(rep.manifest_changed);
    assert_int_equal(rep.blobs_fetched, 0);
    print_message("sync with nothing new: %ld bytes in, %ld out (budget 2048 in all)\n", rep.bytes_in, rep.bytes_out);
    assert_true(rep.bytes_in + rep.bytes_out <= 2048);
    assert_true(first_bytes > 100000);

    /* the therapist opens module 4: it arrives on the next sync_engine */
    run("%s admin --db '%s' unlock Kari m4 >/dev/null", MEISTRING_SERVER, srv.db);
    assert_int_equal(sync_once(s, st, &rep), SYNC_OK);
    assert_int_equal(rep.blobs_fetched, 1);
    print_message("after one module opened: %ld bytes in\n", rep.bytes_in);
    assert_true(store_integrity_ok(st));
    sync_free(s);
    store_close(st);
    server_stop(&srv);
}

typedef struct {
    int n, received, read, sent;
    char last_body[64];
} msgs;

static void count_msg(void *ctx, const store_message *m) {
    msgs *c = ctx;
    c->n++;
    if (!m->from_patient) {
        c->received++;
        snprintf(c->last_body, sizeof c->last_body, "%s", m->body);
    }
    if (m->from_patient && strcmp(m->state, "read") == 0) c->read++;
    if (m->from_patient && strcmp(m->state, "sent") == 0) c->sent++;
}

static void count_score(void *ctx, long long taken_at, const char *data) {
    (void)taken_at;
    assert_non_null(strstr(data, "\"total\":3"));
    (*(int *)ctx)++;
}

static void add_message(store *st, const char *id, const char *text) {
    char body[512];
    snprintf(body, sizeof body, "{\"body\":\"%s\",\"written_at\":\"2026-11-22T10:00:00Z\"}", text);
    assert_true(store_begin(st));
    assert_true(store_message_add(st, id, 0, true, text, "2026-11-22T10:00:00Z", "saved"));
    assert_true(store_outbox_add(st, "message", id, body));
    assert_true(store_commit(st));
}

static void test_messages_both_ways(void **state) {
    (void)state;
    server srv;
    server_start(&srv, "b.db", NULL);
    sync_engine *s;
    store *st = enrolled(&srv, "Ola", &s, 0);
    sync_report rep;
    add_message(st, "aaaaaaaaaaaaaaaa0001", "Hei, jeg har lest modul 1.");
    assert_int_equal(sync_once(s, st, &rep), SYNC_OK);
    assert_int_equal(rep.messages_sent, 1);
    assert_int_equal(store_outbox_count(st, "pending"), 0);
    /* the therapist reads it (a read receipt) and answers */
    assert_int_equal(count_lines("%s admin --db '%s' messages %s", &srv, "Ola", "patient:"), 1);
    run("%s admin --db '%s' reply Ola 'Takk, det er fint å høre.' >/dev/null", MEISTRING_SERVER, srv.db);
    assert_int_equal(sync_once(s, st, &rep), SYNC_OK);
    msgs c = {0};
    store_each_message(st, count_msg, &c);
    assert_int_equal(c.received, 1);
    assert_string_equal(c.last_body, "Takk, det er fint å høre.");
    assert_int_equal(c.read, 1);
    /* the same id with another body is refused (422), and kept, marked, for the patient to see: a second
     * store with this device's token plays a tablet that reused an id */
    store *st2 = fresh_store("ola2");
    char *token = store_sync_get(st, "token");
    assert_true(store_sync_set(st2, "token", token));
    free(token);
    add_message(st2, "aaaaaaaaaaaaaaaa0001", "En helt annen tekst.");
    assert_int_equal(sync_once(s, st2, &rep), SYNC_OK);
    assert_int_equal(store_outbox_count(st2, "attention"), 1);
    assert_int_equal(store_outbox_count(st2, "pending"), 0);
    assert_int_equal(count_lines("%s admin --db '%s' messages %s", &srv, "Ola", "patient:"), 1);
    /* "send again": a new id, delivered once; the refused row is kept as the record */
    char again[33];
    if (!sync_resend_message(st2, "aaaaaaaaaaaaaaaa0001", "En helt annen tekst.", "2026-11-22T10:00:00Z", again))
        fail_msg("resend: %s", store_last_error(st2));
    assert_int_equal(sync_once(s, st2, &rep), SYNC_OK);
    assert_int_equal(sync_once(s, st2, &rep), SYNC_OK);
    assert_int_equal(count_lines("%s admin --db '%s' messages %s", &srv, "Ola", "En helt annen tekst"), 1);
    assert_int_equal(store_outbox_count(st2, "attention"), 1);
    assert_int_equal(store_outbox_count(st2, "sent"), 1);
    assert_false(sync_resend_message(st2, again, "x", "t", again)); /* only a refused message is sent again */
    /* a message written on the tablet: stored, queued and its draft cleared in one go; sent once */
    assert_true(store_draft_set(st, "message", "Jeg prøvde øvelsen i dag.", 10));
    char id[33];
    assert_true(sync_queue_message(st, "Jeg prøvde øvelsen i dag.", "message", id));
    assert_null(store_draft_get(st, "message", NULL));
    assert_int_equal(store_outbox_count(st, "pending"), 1);
    assert_int_equal(sync_once(s, st, &rep), SYNC_OK);
    assert_int_equal(sync_once(s, st, &rep), SYNC_OK);
    assert_int_equal(count_lines("%s admin --db '%s' messages %s", &srv, "Ola", "Jeg prøvde øvelsen"), 1);
    /* answers to an exercise: saved on every change, queued once per revision, each revision arrives once */
    assert_true(store_answer_set(st, "m1-p4-ex", "{\"situasjon\":\"På bussen\"}"));
    assert_true(store_answer_set(st, "m1-p4-ex", "{\"situasjon\":\"På bussen\",\"styrke\":70}"));
    char aid[33];
    assert_true(sync_queue_answer(st, "m1-p4-ex", aid));
    assert_true(aid[0] != '\0');
    assert_true(sync_queue_answer(st, "m1-p4-ex", aid)); /* nothing new: nothing queued */
    assert_string_equal(aid, "");
    assert_int_equal(store_outbox_count(st, "pending"), 1);
    assert_false(sync_queue_answer(st, "no-such-block", aid));
    assert_int_equal(sync_once(s, st, &rep), SYNC_OK);
    assert_int_equal(count_lines("%s admin --db '%s' answers %s", &srv, "Ola", "\"rev\":2"), 1);
    assert_int_equal(count_lines("%s admin --db '%s' answers %s", &srv, "Ola", "\"styrke\":70"), 1);
    assert_true(store_answer_set(st, "m1-p4-ex", "{\"situasjon\":\"I butikken\",\"styrke\":40}"));
    assert_true(sync_queue_answer(st, "m1-p4-ex", aid));
    assert_int_equal(sync_once(s, st, &rep), SYNC_OK);
    assert_int_equal(count_lines("%s admin --db '%s' answers %s", &srv, "Ola", "m1-p4-ex"), 2);
    assert_int_equal(count_lines("%s admin --db '%s' answers %s", &srv, "Ola", "I butikken"), 1);
    /* a questionnaire submitted: its score kept for the patient, sent once, and the module that opens after it
     * (the demo's m4 opens after the PHQ-9, m2-p5-b4) arrives in the same pass */
    char qid[33];
    assert_true(store_draft_set(st, "q/m2-p5-b4", "{\"phq9-1\":1}", 0));
    assert_true(sync_submit_questionnaire(st, "m2-p5-b4", "PHQ-9", "{\"phq9-1\":1,\"phq9-2\":2}", 3, 27,
                                          "Ingen eller minimale plager", false, "q/m2-p5-b4", qid));
    assert_null(store_draft_get(st, "q/m2-p5-b4", NULL));
    int scores = 0;
    assert_true(store_each_score(st, count_score, &scores));
    assert_int_equal(scores, 1);
    assert_int_equal(sync_once(s, st, &rep), SYNC_OK);
    assert_int_equal(count_lines("%s admin --db '%s' answers %s", &srv, "Ola", "\"total\":3"), 1);
    assert_int_equal(rep.blobs_fetched, 1);            /* m4's document: the module opened */
    assert_int_equal(sync_once(s, st, &rep), SYNC_OK); /* and nothing twice */
    assert_int_equal(count_lines("%s admin --db '%s' answers %s", &srv, "Ola", "\"total\":3"), 1);
    store_close(st2);
    sync_free(s);
    store_close(st);
    server_stop(&srv);
}

/* One fault at a time: the pass fails as it should, nothing bad is stored, and the next clean pass heals. */
static void expect_fault(const char *spec, sync_result want, long timeout_ms) {
    const char *extra[] = {"--fault", spec, NULL};
    server srv;
    server_start(&srv, "f.db", extra);
    sync_engine *s;
    char who[32];
    snprintf(who, sizeof who, "p%d", next_port);
    store *st = enrolled(&srv, who, &s, timeout_ms);
    sync_report rep;
    sync_result r = sync_once(s, st, &rep);
    if (r != want) fail_msg("fault %s: got %d, wanted %d (%s)", spec, r, want, rep.msg);
    assert_true(rep.msg[0] != '\0');
    if (want == SYNC_BUSY) assert_int_equal(rep.retry_after_s, 1);
    /* nothing half-done is visible: no manifest unless all its blobs are here (a fault in the changes feed
     * comes after the manifest was rightly committed) */
    char *manifest = store_sync_get(st, "manifest");
    if (want != SYNC_OK && !strstr(spec, "/v1/changes")) assert_null(manifest);
    free(manifest);
    assert_true(store_integrity_ok(st));
    /* faults that fire once (xN) are gone now: the next passes complete */
    if (strstr(spec, ":x")) {
        for (int i = 0; i < 5 && r != SYNC_OK; i++)
            r = sync_once(s, st, &rep);
        if (r != SYNC_OK) fail_msg("after fault %s the sync did not heal: %s", spec, rep.msg);
        manifest = store_sync_get(st, "manifest");
        assert_non_null(manifest);
        free(manifest);
    }
    sync_free(s);
    store_close(st);
    server_stop(&srv);
}

static void test_faults(void **state) {
    (void)state;
    expect_fault("500@/v1/manifest:x1", SYNC_SERVER_ERROR, 0);
    expect_fault("429@/v1/manifest:x1", SYNC_BUSY, 0);
    expect_fault("badhash@/v1/blobs:x1", SYNC_BAD_DATA, 0);
    expect_fault("truncate@/v1/manifest:x1", SYNC_BAD_DATA, 0);
    expect_fault("badjson@/v1/manifest:x1", SYNC_BAD_DATA, 0);
    expect_fault("badjson@/v1/changes:x1", SYNC_BAD_DATA, 0);
    expect_fault("huge@/v1/manifest:x1", SYNC_BAD_DATA, 0);
    expect_fault("drop@/v1/blobs:x2", SYNC_OFFLINE, 0); /* mid-body: resumed with Range next time */
    expect_fault("stall@/v1/manifest:x1", SYNC_OFFLINE, 1000);
}

static void test_exactly_once_through_a_lossy_link(void **state) {
    (void)state;
    /* a third of the PUTs never reach the server; a fifth more are stored but their answer is lost */
    const char *extra[] = {"--fault", "drop@/v1/messages:0.33", "--fault", "drop-after@/v1/messages:0.2", NULL};
    server srv;
    server_start(&srv, "e.db", extra);
    sync_engine *s;
    store *st = enrolled(&srv, "Eli", &s, 5000);
    for (int i = 0; i < 200; i++) {
        char id[40], text[32];
        snprintf(id, sizeof id, "bbbbbbbbbbbbbbbb%04d", i);
        snprintf(text, sizeof text, "Melding %03d", i);
        add_message(st, id, text);
    }
    sync_report rep;
    int passes = 0;
    time_t t0 = time(NULL);
    while (store_outbox_count(st, "pending") > 0 && passes < 600 && time(NULL) - t0 < 120) {
        sync_once(s, st, &rep);
        passes++;
    }
    print_message("200 messages through a lossy link: %d passes, %lld s\n", passes, (long long)(time(NULL) - t0));
    assert_int_equal(store_outbox_count(st, "pending"), 0);
    assert_int_equal(store_outbox_count(st, "attention"), 0);
    /* exactly once, in order */
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s admin --db '%s' messages Eli", MEISTRING_SERVER, srv.db);
    FILE *p = popen(cmd, "r");
    char line[256];
    int n = 0;
    while (fgets(line, sizeof line, p)) {
        char want[32];
        snprintf(want, sizeof want, "Melding %03d", n);
        if (!strstr(line, want)) fail_msg("message %d out of order or missing: %s", n, line);
        n++;
    }
    pclose(p);
    assert_int_equal(n, 200);
    assert_true(store_integrity_ok(st));
    sync_free(s);
    store_close(st);
    server_stop(&srv);
}

/* kill -9 the syncing client (the real program, --sync-once) at random moments, 120 times (MEISTRING_KILLS, up to
 * 5000, for the longer run of bench/run), with content being
 * fetched and messages waiting in the outbox: the database stays sound, no blob is ever present with the
 * wrong bytes, no outbox row is lost, and a last clean sync delivers every message exactly once. */
static void test_kill_9_while_syncing(void **state) {
    (void)state;
    server srv;
    server_start(&srv, "k.db", NULL);
    char code[9];
    new_patient(&srv, "Kim", code);
    char data[128], dbpath[160], keypath[160];
    snprintf(data, sizeof data, "%s/kim", dir);
    snprintf(dbpath, sizeof dbpath, "%s/meistring.db", data);
    snprintf(keypath, sizeof keypath, "%s/device.key", data);
    run("%s --server %s --data-dir %s --enrol %s >/dev/null", MEISTRING_CLIENT, srv.url, data, code);
    const char *env = getenv("MEISTRING_KILLS");
    int kills = env ? atoi(env) : 120;
    if (kills < 1 || kills > 5000) kills = 120;
    srand(99);
    int added = 0;
    for (int i = 0; i < kills; i++) {
        char err[256];
        store *st = store_open(dbpath, keypath, err, sizeof err);
        assert_non_null(st);
        if (i % 3 == 0) {
            char id[40], text[32];
            snprintf(id, sizeof id, "cccccccccccccccc%04d", added);
            snprintf(text, sizeof text, "Skrevet %03d", added);
            add_message(st, id, text);
            added++;
        }
        store_close(st);
        if (i % 10 == 0) {
            /* make the next syncs fetch everything again, so kills land mid-blob too */
            sqlite3 *db;
            assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
            sqlite3_exec(db, "DELETE FROM blob; DELETE FROM sync_state WHERE key IN ('etag','manifest');", NULL, NULL,
                         NULL);
            sqlite3_close(db);
        }
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            if (!freopen("/dev/null", "w", stdout)) _exit(126);
            execl(MEISTRING_CLIENT, MEISTRING_CLIENT, "--server", srv.url, "--data-dir", data, "--sync-once",
                  (char *)NULL);
            _exit(127);
        }
        usleep((useconds_t)(rand() % 60000)); /* a full sync takes ~45 ms here: some finish, most do not */
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
    /* the aftermath */
    char err[256];
    store *st = store_open(dbpath, keypath, err, sizeof err);
    assert_non_null(st);
    assert_true(store_integrity_ok(st));
    sqlite3 *db;
    assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
    sqlite3_stmt *q;
    sqlite3_prepare_v2(db, "SELECT sha256, data FROM blob", -1, &q, NULL);
    int blobs = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        unsigned char h[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(h, sqlite3_column_blob(q, 1), (unsigned long long)sqlite3_column_bytes(q, 1));
        char hexs[65];
        for (int k = 0; k < 32; k++)
            sprintf(hexs + 2 * k, "%02x", h[k]);
        assert_string_equal(hexs, (const char *)sqlite3_column_text(q, 0));
        blobs++;
    }
    sqlite3_finalize(q);
    sqlite3_prepare_v2(db, "SELECT count(*) FROM outbox", -1, &q, NULL);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), added); /* not one row lost */
    sqlite3_finalize(q);
    sqlite3_close(db);
    print_message("%d kills: %d verified blobs present, %d outbox rows intact\n", kills, blobs, added);
    sync_config cfg = {.server = srv.url};
    sync_engine *s = sync_new(&cfg);
    sync_report rep;
    /* drain: a pass sends at most MS_SYNC_OUTBOX_PER_PASS messages, so 1,000 kills (334 queued) need 7 passes and
     * more; run until the outbox is empty, bounded by passes (twice what the queue needs, and 10 more) and by
     * 60 s, so that a slow drain shows as a count short of the whole, not as a hang */
    int max_passes = 2 * (added / MS_SYNC_OUTBOX_PER_PASS + 1) + 10, passes = 0;
    time_t drain_t0 = time(NULL);
    while (store_outbox_count(st, "pending") > 0 && passes < max_passes && time(NULL) - drain_t0 < 60) {
        sync_once(s, st, &rep);
        passes++;
    }
    int left = store_outbox_count(st, "pending");
    print_message("drained %d/%d (%d drain pass(es) after the kills, %lld s)\n", added - left, added, passes,
                  (long long)(time(NULL) - drain_t0));
    assert_int_equal(sync_once(s, st, &rep), SYNC_OK);
    assert_int_equal(store_outbox_count(st, "pending"), 0);
    assert_int_equal(count_lines("%s admin --db '%s' messages %s", &srv, "Kim", "Skrevet"), added);
    sync_free(s);
    store_close(st);
    server_stop(&srv);
}

/* TLS: the server with a certificate and key, the client over https (loopback: a self-signed certificate is
 * accepted there and nowhere else). */
static void test_tls(void **state) {
    (void)state;
    char cert[160], key[160];
    snprintf(cert, sizeof cert, "%s/cert.pem", dir);
    snprintf(key, sizeof key, "%s/key.pem", dir);
    run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -keyout %s -out %s 2>/dev/null", key,
        cert);
    const char *extra[] = {"--cert", cert, "--key", key, NULL};
    server srv;
    server_start(&srv, "t.db", extra);
    snprintf(srv.url, sizeof srv.url, "https://127.0.0.1:%d", srv.port);
    sync_engine *s;
    store *st = enrolled(&srv, "Tor", &s, 0);
    sync_report rep;
    assert_int_equal(sync_once(s, st, &rep), SYNC_OK);
    assert_int_equal(rep.blobs_fetched, 8);
    sync_free(s);
    /* public-key pinning: the server's own key passes, any other key is refused */
    char cmd[600], pin[128] = "sha256//";
    snprintf(cmd, sizeof cmd,
             "openssl x509 -in %s -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary"
             " | openssl base64",
             cert);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    assert_non_null(fgets(pin + 8, (int)sizeof pin - 8, p));
    pclose(p);
    pin[strcspn(pin, "\n")] = '\0';
    sync_config good = {.server = srv.url, .pin_sha256 = pin};
    s = sync_new(&good);
    assert_int_equal(sync_once(s, st, &rep), SYNC_OK);
    sync_free(s);
    sync_config bad = {.server = srv.url, .pin_sha256 = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="};
    s = sync_new(&bad);
    sync_result r = sync_once(s, st, &rep);
    assert_int_not_equal(r, SYNC_OK);
    assert_true(rep.msg[0] != '\0');
    sync_free(s);
    store_close(st);
    server_stop(&srv);
}

/* The clinic revokes the tablet: the pass ends as SYNC_AUTH at the first request, and the patient's words waiting
 * in the outbox stay pending (kept, to go if the tablet is enrolled again), not marked refused one by one. */
static void test_revoked_keeps_words(void **state) {
    (void)state;
    server srv;
    server_start(&srv, "r.db", NULL);
    sync_engine *s;
    store *st = enrolled(&srv, "Rut", &s, 0);
    sync_report rep;
    assert_int_equal(sync_once(s, st, &rep), SYNC_OK);
    add_message(st, "dddddddddddddddd0001", "Skrevet før tilbakekallingen");
    add_message(st, "dddddddddddddddd0002", "Og en til");
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s admin --db '%s' revoke Rut >/dev/null", MEISTRING_SERVER, srv.db);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(sync_once(s, st, &rep), SYNC_AUTH);
    assert_int_equal(store_outbox_count(st, "pending"), 2);
    assert_int_equal(store_outbox_count(st, "attention"), 0);
    char *manifest = store_sync_get(st, "manifest"); /* the programme stays */
    assert_non_null(manifest);
    free(manifest);
    sync_free(s);
    store_close(st);
    server_stop(&srv);
}

static void test_refuses_plain_http_off_loopback(void **state) {
    (void)state;
    store *st = fresh_store("plain");
    store_sync_set(st, "token", "x");
    sync_config cfg = {.server = "http://example.invalid"};
    sync_engine *s = sync_new(&cfg);
    sync_report rep;
    assert_int_equal(sync_once(s, st, &rep), SYNC_REFUSED);
    assert_non_null(strstr(rep.msg, "TLS"));
    sync_free(s);
    store_close(st);
    /* backoff grows, is jittered, and honours Retry-After */
    assert_int_equal(sync_backoff_s(0, 0, 1), 0);
    int b3 = sync_backoff_s(3, 0, 1);
    assert_true(b3 >= 6 && b3 <= 10);
    assert_true(sync_backoff_s(20, 0, 1) <= 900 + 225);
    assert_int_equal(sync_backoff_s(1, 120, 1), 120);
}

/* On reconnect: a server that cannot be reached at all is looked for again within seconds however long it has
 * been away; a server that answers with errors keeps the long backoff. */
static void test_reconnect_probe(void **state) {
    (void)state;
    int fd = socket(AF_INET, SOCK_STREAM, 0); /* a loopback port that is certainly closed */
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sa;
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    close(fd);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", ntohs(sa.sin_port));
    store *st = fresh_store("probe");
    store_sync_set(st, "token", "x");
    sync_config cfg = {.server = url};
    sync_engine *s = sync_new(&cfg);
    sync_report rep;
    assert_int_equal(sync_once(s, st, &rep), SYNC_OFFLINE);
    assert_true(rep.unreachable);
    for (int failures = 1; failures <= 30; failures++) {
        int w = sync_next_wait_s(SYNC_OFFLINE, &rep, failures, (unsigned)failures * 7919u);
        assert_true(w <= MS_SYNC_PROBE_S + 4);
    }
    sync_free(s);
    store_close(st);
    sync_report busy = {.unreachable = false};
    assert_true(sync_next_wait_s(SYNC_SERVER_ERROR, &busy, 10, 1) >= 900 - 225);
    assert_true(sync_next_wait_s(SYNC_OFFLINE, &busy, 10, 1) >= 900 - 225); /* a dropped body: not a probe */
    assert_int_equal(sync_next_wait_s(SYNC_OK, &busy, 0, 1), MS_SYNC_PERIOD_S);
}

/* A partial blob as long as the whole one (the link dropped after the last byte): resuming it asks for the bytes
 * from its end, which the server (as nginx) answers 416. The client takes it when its hash is right and fetches it
 * again when not; before, every sync failed on that 416 for ever. */
static void test_partial_as_long_as_the_blob(void **state) {
    (void)state;
    server srv;
    server_start(&srv, "p.db", NULL);
    FILE *f = fopen(MEISTRING_SOURCE_ROOT "/assets/demo/programme.json", "rb");
    assert_non_null(f);
    static unsigned char bytes[1 << 20];
    size_t len = fread(bytes, 1, sizeof bytes, f);
    fclose(f);
    assert_true(len > 0 && len < sizeof bytes);
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, bytes, len);
    char sha[65];
    for (int i = 0; i < 32; i++)
        snprintf(sha + 2 * i, 3, "%02x", h[i]);
    for (int wrong = 0; wrong < 2; wrong++) {
        sync_engine *s = NULL;
        store *st = enrolled(&srv, wrong ? "Per" : "Pia", &s, 10000);
        bytes[0] ^= (unsigned char)(wrong ? 0x55 : 0);
        assert_true(store_blob_part_put(st, sha, bytes, len));
        bytes[0] ^= (unsigned char)(wrong ? 0x55 : 0);
        sync_report rep;
        sync_result r = sync_once(s, st, &rep);
        if (r != SYNC_OK) fail_msg("%s partial: sync %d: %s", wrong ? "a wrong" : "a whole", r, rep.msg);
        assert_true(store_blob_has(st, sha));
        size_t left = 0;
        free(store_blob_part_get(st, sha, &left));
        assert_int_equal(left, 0);
        sync_free(s);
        store_close(st);
    }
    server_stop(&srv);
}

int main(void) {
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_enrol_and_full_sync, stop_servers),
        cmocka_unit_test_teardown(test_messages_both_ways, stop_servers),
        cmocka_unit_test_teardown(test_faults, stop_servers),
        cmocka_unit_test_teardown(test_exactly_once_through_a_lossy_link, stop_servers),
        cmocka_unit_test_teardown(test_kill_9_while_syncing, stop_servers),
        cmocka_unit_test_teardown(test_tls, stop_servers),
        cmocka_unit_test_teardown(test_revoked_keeps_words, stop_servers),
        cmocka_unit_test_teardown(test_partial_as_long_as_the_blob, stop_servers),
        cmocka_unit_test(test_refuses_plain_http_off_loopback),
        cmocka_unit_test(test_reconnect_probe),
    };
    return cmocka_run_group_tests_name("sync", tests, setup, teardown);
}
