/* test_server_store.c — the storage interface's contract (src/server/srv_store.h), run against whichever backend
 * argv[1] names: a file (SQLite) or a postgresql:// URI. Every operation is checked through the others (what an
 * enrolment, an unlock or a reply leaves in the changes feed, in device_of, in auth), and the rules that must hold
 * when requests race are raced, each thread on its own connection as serve's workers and separate server
 * processes are: one PUT stored once, one code used once, and a cursor that never skips an event while four
 * writers add them.
 * Exit 0 when all hold; 1 with each failed check on stderr; 2 when the backend lacks an operation.
 */
#include <cjson/cJSON.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <sqlite3.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "meistring/config.h"

#include "srv_store_internal.h"

static int failures;

#define CHECK(cond)                                                                                                    \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            fprintf(stderr, "test_server_store:%d: failed: %s\n", __LINE__, #cond);                                    \
            failures++;                                                                                                \
        }                                                                                                              \
    } while (0)

static const char *where;

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A backend still being written leaves NULL in its table: say which, instead of calling it. */
static bool backend_complete(const srv_store_ops *o) {
    struct {
        const char *name;
        bool present;
    } ops[] = {
#define OP(f) {#f, o->f != NULL}
        OP(open),
        OP(close),
        OP(schema_version),
        OP(idle),
        OP(settle),
        OP(auth),
        OP(is_unlocked),
        OP(enrol),
        OP(take_reset_code),
        OP(put_recovery),
        OP(device_wiped),
        OP(changes),
        OP(put_message),
        OP(put_answer),
        OP(find_patient),
        OP(set_enrol_code),
        OP(set_reset_code),
        OP(lock_settings_load),
        OP(lock_settings_save),
        OP(staff_code_set),
        OP(device_of),
        OP(devices),
        OP(mark_returned),
        OP(unlock),
        OP(post_reply),
        OP(read_messages),
        OP(answers),
        OP(revoke),
        OP(receipts),
#undef OP
    };
    bool all = true;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (!ops[i].present) {
            fprintf(stderr, "test_server_store: the %s backend has no %s\n", o->name, ops[i].name);
            all = false;
        }
    return all;
}

/* ---- collecting what the callbacks give -------------------------------------------------------------------- */

typedef struct {
    int64_t seq;
    char type[16];
    char *data;
} event;

typedef struct {
    event *e;
    int n, cap;
} events;

static void on_event(void *ctx, int64_t seq, const char *type, const char *data) {
    events *v = ctx;
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 64;
        v->e = realloc(v->e, (size_t)v->cap * sizeof *v->e);
        if (!v->e) abort();
    }
    event *e = &v->e[v->n++];
    e->seq = seq;
    snprintf(e->type, sizeof e->type, "%s", type);
    e->data = strdup(data);
}

static void events_free(events *v) {
    for (int i = 0; i < v->n; i++)
        free(v->e[i].data);
    free(v->e);
    memset(v, 0, sizeof *v);
}

/* The whole feed from since, a page of `page` at a time, as a tablet pages it. */
static events feed(srv_store *s, srv_store_id p, int64_t since, int page) {
    events v = {0};
    for (int guard = 0; guard < 10000; guard++) {
        int before = v.n;
        int n = srv_store_changes(s, p, since, page, on_event, &v);
        CHECK(n >= 0 && n <= page);
        if (n <= 0) break;
        CHECK(v.n == before + n);
        since = v.e[v.n - 1].seq;
    }
    return v;
}

static int count_type(const events *v, const char *type) {
    int n = 0;
    for (int i = 0; i < v->n; i++)
        n += strcmp(v->e[i].type, type) == 0;
    return n;
}

/* A string member of an event's JSON data ("" when absent), into buf. */
static const char *data_str(const event *e, const char *name, char *buf, size_t cap) {
    cJSON *j = cJSON_Parse(e->data);
    const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, name));
    snprintf(buf, cap, "%s", v ? v : "");
    cJSON_Delete(j);
    return buf;
}

typedef struct {
    int n, from_patient;
    char first_client_id[64], last_body[64];
} thread_seen;

static void on_message(void *ctx, const srv_store_message *m) {
    thread_seen *t = ctx;
    if (t->n == 0 && m->client_id) snprintf(t->first_client_id, sizeof t->first_client_id, "%s", m->client_id);
    snprintf(t->last_body, sizeof t->last_body, "%s", m->body);
    t->from_patient += m->from_patient;
    t->n++;
}

static void on_answer(void *ctx, const char *client_id, const char *body) {
    (void)client_id;
    (void)body;
    (*(int *)ctx)++;
}

typedef struct {
    int n;
    srv_store_id last;
    bool ascending;
} device_list;

static void on_device(void *ctx, srv_store_id p, const srv_store_device *d) {
    device_list *l = ctx;
    (void)d;
    if (p <= l->last) l->ascending = false;
    l->last = p;
    l->n++;
}

typedef struct {
    int n;
    int64_t received_at;
    srv_store_id for_patient;
    char body[128];
} receipt_seen;

static void on_receipt(void *ctx, int64_t received_at, srv_store_id for_patient, const char *body) {
    receipt_seen *r = ctx;
    r->n++;
    r->received_at = received_at;
    r->for_patient = for_patient;
    snprintf(r->body, sizeof r->body, "%s", body);
}

/* ---- the contract, one connection -------------------------------------------------------------------------- */

static void contract(srv_store *s) {
    /* lock settings and the staff code */
    lock_settings ls;
    CHECK(srv_store_lock_settings_load(s, &ls));
    CHECK(ls.after_s == SRV_LOCK_AFTER_S_DEFAULT && ls.pin_digits == SRV_PIN_DIGITS_DEFAULT &&
          ls.max_failures == SRV_MAX_FAILURES_DEFAULT && ls.staff_code_hash[0] == '\0');
    lock_settings set = {.after_s = 60, .pin_digits = 4, .max_failures = 8};
    CHECK(srv_store_lock_settings_save(s, &set));
    CHECK(srv_store_staff_code_set(s, "$argon2id$v=19$m=65536,t=2,p=1$test"));
    CHECK(srv_store_lock_settings_load(s, &ls));
    CHECK(ls.after_s == 60 && ls.pin_digits == 4 && ls.max_failures == 8);
    CHECK(strcmp(ls.staff_code_hash, "$argon2id$v=19$m=65536,t=2,p=1$test") == 0);

    /* codes: a new patient, a clash, an expired code */
    srv_store_id a = 0, b = 0, c = 0, x = 0;
    CHECK(srv_store_set_enrol_code(s, 0, "Alice", "11112222", 3600, &a) == 1 && a > 0);
    CHECK(srv_store_set_enrol_code(s, 0, "Bob", "11112222", 3600, &x) == 0);
    CHECK(srv_store_set_enrol_code(s, 0, "Bob", "33334444", -10, &b) == 1 && b > a);
    char num[24];
    snprintf(num, sizeof num, "%lld", (long long)a);
    CHECK(srv_store_find_patient(s, "Alice") == a);
    CHECK(srv_store_find_patient(s, num) == a);
    CHECK(srv_store_find_patient(s, "Nobody") == 0);

    /* enrolment: an expired code, an unknown one, the live one, the same again (used) */
    char name[256] = "";
    lock_settings got;
    CHECK(srv_store_enrol(s, "33334444", "tok-b-early", NULL, name, sizeof name, &got) == 0);
    CHECK(srv_store_enrol(s, "99990000", "tok-none", NULL, name, sizeof name, &got) == 0);
    CHECK(srv_store_enrol(s, "11112222", "tok-a", NULL, name, sizeof name, &got) == a);
    CHECK(strcmp(name, "Alice") == 0);
    CHECK(got.after_s == 60 && got.pin_digits == 4 && got.max_failures == 8 && got.staff_code_hash[0] == '$');
    CHECK(srv_store_enrol(s, "11112222", "tok-a2", NULL, name, sizeof name, &got) == 0);
    CHECK(srv_store_auth(s, "tok-a") == a);
    CHECK(srv_store_auth(s, "tok-a2") == 0);
    CHECK(srv_store_auth(s, "tok-b-early") == 0);
    /* the used code's digits are free again; a reset code cannot enrol */
    CHECK(srv_store_set_enrol_code(s, b, "Bob", "11112222", 3600, &x) == 1 && x == b);
    srv_store_device d;
    CHECK(srv_store_device_of(s, a, &d));
    CHECK(strcmp(d.name, "Alice") == 0 && d.enrolled && !d.revoked && !d.returned && !d.wiped && !d.wrap);
    CHECK(srv_store_device_of(s, b, &d) && !d.enrolled && !d.revoked);

    /* unlock: the event the first time only */
    CHECK(srv_store_is_unlocked(s, a, "m2") == 0);
    CHECK(srv_store_unlock(s, a, "m2") == 1);
    CHECK(srv_store_unlock(s, a, "m2") == 0);
    CHECK(srv_store_is_unlocked(s, a, "m2") == 1);
    CHECK(srv_store_is_unlocked(s, b, "m2") == 0);
    events v = feed(s, a, 0, 100);
    char buf[128];
    CHECK(v.n == 1 && strcmp(v.e[0].type, "unlock") == 0 &&
          strcmp(data_str(&v.e[0], "module", buf, sizeof buf), "m2") == 0);
    int64_t seq_unlock = v.n ? v.e[0].seq : 0;
    events_free(&v);

    /* idempotent PUTs */
    CHECK(srv_store_put_message(s, a, "c1", "hello", "2026-01-01T10:00:00Z") == SRV_STORE_CREATED);
    CHECK(srv_store_put_message(s, a, "c1", "hello", "2026-01-01T10:00:00Z") == SRV_STORE_REPLAY);
    CHECK(srv_store_put_message(s, a, "c1", "hullo", "2026-01-01T10:00:00Z") == SRV_STORE_CONFLICT);
    CHECK(srv_store_put_message(s, a, "c1", "hello", "2026-01-01T10:00:01Z") == SRV_STORE_CONFLICT);
    CHECK(srv_store_put_message(s, b, "c1", "another patient's", "2026-01-01T10:00:00Z") == SRV_STORE_CREATED);
    const char *opens[] = {"m3", "m4"};
    CHECK(srv_store_put_answer(s, a, "q1", "{\"x\":1}", opens, 2) == SRV_STORE_CREATED);
    CHECK(srv_store_is_unlocked(s, a, "m3") == 1 && srv_store_is_unlocked(s, a, "m4") == 1);
    CHECK(srv_store_put_answer(s, a, "q1", "{\"x\":1}", opens, 2) == SRV_STORE_REPLAY);
    CHECK(srv_store_put_answer(s, a, "q1", "{\"x\":2}", opens, 2) == SRV_STORE_CONFLICT);
    const char *again[] = {"m2"};
    CHECK(srv_store_put_answer(s, a, "q2", "{\"y\":1}", again, 1) == SRV_STORE_CREATED); /* m2 already open: no event */
    int n_answers = 0;
    CHECK(srv_store_answers(s, a, on_answer, &n_answers) == 2 && n_answers == 2);
    v = feed(s, a, seq_unlock, 100);
    CHECK(v.n == 2 && count_type(&v, "unlock") == 2);
    events_free(&v);

    /* a reply and reading the thread: one read receipt, the first time */
    CHECK(srv_store_post_reply(s, a, "a reply", "2026-01-01T11:00:00Z"));
    thread_seen t = {0};
    CHECK(srv_store_read_messages(s, a, on_message, &t) == 2);
    CHECK(t.n == 2 && t.from_patient == 1 && strcmp(t.first_client_id, "c1") == 0 &&
          strcmp(t.last_body, "a reply") == 0);
    memset(&t, 0, sizeof t);
    CHECK(srv_store_read_messages(s, a, on_message, &t) == 2);
    v = feed(s, a, 0, 100);
    CHECK(v.n == 5 && count_type(&v, "message") == 1 && count_type(&v, "read") == 1);
    for (int i = 0; i < v.n; i++) {
        if (strcmp(v.e[i].type, "message") == 0) {
            CHECK(strcmp(data_str(&v.e[i], "body", buf, sizeof buf), "a reply") == 0);
            CHECK(strcmp(data_str(&v.e[i], "written_at", buf, sizeof buf), "2026-01-01T11:00:00Z") == 0);
            cJSON *j = cJSON_Parse(v.e[i].data);
            CHECK(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(j, "id")));
            cJSON_Delete(j);
        }
        if (strcmp(v.e[i].type, "read") == 0) CHECK(strcmp(data_str(&v.e[i], "client_id", buf, sizeof buf), "c1") == 0);
        if (i) CHECK(v.e[i].seq > v.e[i - 1].seq);
    }

    /* paging: pages of 1, 2 and 4 give the same feed; a cursor at the end gets nothing; limit 0 nothing */
    for (int page = 1; page <= 4; page *= 2) {
        events w = feed(s, a, 0, page);
        CHECK(w.n == v.n);
        for (int i = 0; i < w.n && i < v.n; i++)
            CHECK(w.e[i].seq == v.e[i].seq && strcmp(w.e[i].data, v.e[i].data) == 0);
        events_free(&w);
    }
    if (v.n >= 3) {
        events w = {0};
        CHECK(srv_store_changes(s, a, v.e[2].seq, 2, on_event, &w) == 2 && w.n == 2 && w.e[0].seq == v.e[3].seq);
        events_free(&w);
        CHECK(srv_store_changes(s, a, v.e[v.n - 1].seq, 100, on_event, &w) == 0);
        CHECK(srv_store_changes(s, a, 0, 0, on_event, &w) == 0);
        CHECK(srv_store_changes(s, a, MS_JSON_MAX_ID, 100, on_event, &w) == 0);
        events_free(&w);
    }
    int64_t seq_end = v.n ? v.e[v.n - 1].seq : 0;
    events_free(&v);

    /* the recovery wrap and reset codes */
    const char *w1 = "wrap-1-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
               *w2 = "wrap-2-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    char wrap[SRV_WRAP_MAX_CHARS + 1];
    CHECK(srv_store_set_reset_code(s, a, "77778888", 3600) == 1);
    CHECK(srv_store_take_reset_code(s, "77778888", wrap, sizeof wrap) == 0);  /* no wrap yet; the code stays */
    CHECK(srv_store_put_recovery(s, a, "tok-b-early", w1) == SRV_STORE_GONE); /* not Alice's token */
    CHECK(srv_store_device_of(s, a, &d) && !d.wrap);
    CHECK(srv_store_put_recovery(s, a, "tok-a", w1) == SRV_STORE_CREATED);
    CHECK(srv_store_put_recovery(s, a, "tok-a", w1) == SRV_STORE_REPLAY);
    CHECK(srv_store_put_recovery(s, a, "tok-a", w2) == SRV_STORE_CONFLICT);
    CHECK(srv_store_device_of(s, a, &d) && d.wrap);
    CHECK(srv_store_set_reset_code(s, a, "11112222", 3600) == 0);              /* Bob's live enrolment code */
    CHECK(srv_store_set_enrol_code(s, 0, "Carol", "77778888", 3600, &x) == 0); /* Alice's live reset code */
    CHECK(srv_store_take_reset_code(s, "77778888", wrap, sizeof wrap) == 1 && strcmp(wrap, w1) == 0);
    CHECK(srv_store_take_reset_code(s, "77778888", wrap, sizeof wrap) == 0);
    CHECK(srv_store_set_reset_code(s, a, "12121212", -5) == 1);
    CHECK(srv_store_take_reset_code(s, "12121212", wrap, sizeof wrap) == 0); /* expired */
    CHECK(srv_store_set_reset_code(s, a, "13131313", 3600) == 1);
    CHECK(srv_store_set_reset_code(s, a, "14141414", 3600) == 1); /* replaces 13131313 */
    CHECK(srv_store_take_reset_code(s, "13131313", wrap, sizeof wrap) == 0);
    CHECK(srv_store_enrol(s, "14141414", "tok-reset", NULL, name, sizeof name, &got) == 0); /* never enrols */

    /* the return: marked once, one event */
    CHECK(srv_store_mark_returned(s, a) == 1);
    CHECK(srv_store_mark_returned(s, a) == 0);
    CHECK(srv_store_device_of(s, a, &d) && d.returned && d.enrolled);
    v = feed(s, a, seq_end, 100);
    CHECK(v.n == 1 && strcmp(v.e[0].type, "returned") == 0 && strcmp(v.e[0].data, SRV_STORE_EVENT_RETURNED) == 0);
    events_free(&v);

    /* Bob enrols with a wipe receipt from Alice's tablet */
    srv_store_receipt rc = {.body = "{\"reason\":\"returned\"}", .for_patient = a};
    time_t before = time(NULL);
    CHECK(srv_store_enrol(s, "11112222", "tok-b", &rc, name, sizeof name, &got) == b && strcmp(name, "Bob") == 0);
    receipt_seen r = {0};
    CHECK(srv_store_receipts(s, on_receipt, &r) == 1);
    CHECK(r.n == 1 && r.for_patient == a && strcmp(r.body, rc.body) == 0);
    CHECK(r.received_at >= before - 1 && r.received_at <= time(NULL) + 1);

    /* the wipe: token gone, wrap and reset code gone */
    CHECK(srv_store_device_wiped(s, a, "tok-b") == 0); /* Bob's token wipes nothing of Alice's */
    CHECK(srv_store_device_of(s, a, &d) && d.enrolled && !d.wiped && d.wrap);
    CHECK(srv_store_device_wiped(s, a, "tok-a") == 1);
    CHECK(srv_store_auth(s, "tok-a") == 0);
    CHECK(srv_store_device_of(s, a, &d) && !d.enrolled && d.revoked && d.wiped && !d.wrap);
    CHECK(srv_store_take_reset_code(s, "14141414", wrap, sizeof wrap) == 0);
    CHECK(srv_store_device_wiped(s, a, "tok-a") == 0);                  /* once */
    CHECK(srv_store_put_recovery(s, a, "tok-a", w2) == SRV_STORE_GONE); /* a wiped tablet stores nothing */
    CHECK(srv_store_device_of(s, a, &d) && !d.wrap);

    /* a fresh code un-revokes; the new enrolment's device row starts afresh */
    CHECK(srv_store_set_enrol_code(s, a, "Alice", "15151515", 3600, &x) == 1 && x == a);
    CHECK(srv_store_device_of(s, a, &d) && !d.revoked && !d.enrolled);
    CHECK(srv_store_enrol(s, "15151515", "tok-a3", NULL, name, sizeof name, &got) == a);
    CHECK(srv_store_device_of(s, a, &d) && d.enrolled && !d.returned && !d.wiped && !d.wrap);
    CHECK(srv_store_auth(s, "tok-a3") == a);

    /* the clinic issues a new code and a new tablet enrols with it (tok-a4) while the old one (tok-a3) still has
     * requests in flight, already past auth: its wipe and its wrap must not touch the new enrolment */
    CHECK(srv_store_set_enrol_code(s, a, "Alice", "18181818", 3600, &x) == 1 && x == a);
    CHECK(srv_store_auth(s, "tok-a3") == a); /* live until the new tablet enrols */
    CHECK(srv_store_enrol(s, "18181818", "tok-a4", NULL, name, sizeof name, &got) == a);
    CHECK(srv_store_put_recovery(s, a, "tok-a3", w1) == SRV_STORE_GONE);
    CHECK(srv_store_device_wiped(s, a, "tok-a3") == 0);
    CHECK(srv_store_auth(s, "tok-a4") == a);
    CHECK(srv_store_device_of(s, a, &d) && d.enrolled && !d.revoked && !d.wiped && !d.wrap);
    CHECK(srv_store_put_recovery(s, a, "tok-a4", w2) == SRV_STORE_CREATED);
    CHECK(srv_store_put_recovery(s, a, "tok-a3", w2) == SRV_STORE_GONE); /* not even a replay */

    /* revoke */
    CHECK(srv_store_auth(s, "tok-b") == b);
    CHECK(srv_store_revoke(s, b));
    CHECK(srv_store_auth(s, "tok-b") == 0);
    CHECK(srv_store_device_of(s, b, &d) && d.revoked && !d.enrolled);

    CHECK(srv_store_set_enrol_code(s, 0, "Carol", "16161616", 3600, &c) == 1 && c > b);
    device_list l = {.ascending = true};
    CHECK(srv_store_devices(s, on_device, &l) == 3 && l.n == 3 && l.ascending && l.last == c);
    CHECK(!srv_store_device_of(s, c + 1000, &d));
}

/* ---- races: each thread its own connection --------------------------------------------------------------- */

#define RACERS 16

typedef struct {
    pthread_barrier_t *go;
    srv_store_id patient;
    int index;
    const char *client_id;
    bool differ; /* each racer a body of its own */
    int result;
} racer;

static srv_store *open_or_die(void) {
    srv_store *s = srv_store_open(where);
    if (!s) {
        fprintf(stderr, "test_server_store: a racer could not open the store\n");
        exit(1);
    }
    return s;
}

static void *put_racer(void *arg) {
    racer *r = arg;
    srv_store *s = open_or_die();
    char body[32];
    snprintf(body, sizeof body, "body %d", r->differ ? r->index : 0);
    pthread_barrier_wait(r->go);
    r->result = srv_store_put_message(s, r->patient, r->client_id, body, "2026-01-02T00:00:00Z");
    srv_store_close(s);
    return NULL;
}

static void *answer_racer(void *arg) {
    racer *r = arg;
    srv_store *s = open_or_die();
    const char *opens[] = {"race-module"};
    pthread_barrier_wait(r->go);
    r->result = srv_store_put_answer(s, r->patient, r->client_id, "{\"race\":1}", opens, 1);
    srv_store_close(s);
    return NULL;
}

static void *enrol_racer(void *arg) {
    racer *r = arg;
    srv_store *s = open_or_die();
    char token[32], name[64];
    lock_settings ls;
    snprintf(token, sizeof token, "race-token-%d", r->index);
    pthread_barrier_wait(r->go);
    r->result = (int)srv_store_enrol(s, r->client_id, token, NULL, name, sizeof name, &ls);
    srv_store_close(s);
    return NULL;
}

static void *open_racer(void *arg) {
    racer *r = arg;
    pthread_barrier_wait(r->go);
    srv_store *s = srv_store_open(where);
    r->result = s ? srv_store_schema_version(s) : -1;
    srv_store_close(s);
    return NULL;
}

static void race(void *(*fn)(void *), int n, srv_store_id patient, const char *client_id, bool differ, int *results) {
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, (unsigned)n);
    pthread_t th[RACERS];
    racer rs[RACERS];
    for (int i = 0; i < n; i++) {
        rs[i] = (racer){.go = &go, .patient = patient, .index = i, .client_id = client_id, .differ = differ};
        pthread_create(&th[i], NULL, fn, &rs[i]);
    }
    for (int i = 0; i < n; i++) {
        pthread_join(th[i], NULL);
        results[i] = rs[i].result;
    }
    pthread_barrier_destroy(&go);
}

static void count_results(const int *results, int n, int *created, int *replay, int *conflict) {
    *created = *replay = *conflict = 0;
    for (int i = 0; i < n; i++) {
        *created += results[i] == SRV_STORE_CREATED;
        *replay += results[i] == SRV_STORE_REPLAY;
        *conflict += results[i] == SRV_STORE_CONFLICT;
    }
}

/* Failed codes, counted from many connections at once: enrolments and reset codes alike. */
#define GUESSERS 8

typedef struct {
    pthread_barrier_t *go;
    int index, tries, again;
    bool ok;
} guesser;

/* A guess the database could not answer (-1: SQLite's "database is locked" after its busy timeout, a 503 to a
 * tablet) counted nothing and is made again, as a tablet would; PostgreSQL waits on the row instead, and its run
 * must need no second try. */
static void *guess(void *arg) {
    guesser *g = arg;
    srv_store *s = open_or_die();
    pthread_barrier_wait(g->go); /* every connection open before the first guess: this races the counter only */
    g->ok = true;
    for (int i = 0; i < g->tries && g->ok;) {
        char name[64], wrap[SRV_WRAP_MAX_CHARS + 1];
        lock_settings ls;
        /* a code no test issues: the first digit 9 */
        int64_t r = g->index % 2 ? srv_store_take_reset_code(s, "98989898", wrap, sizeof wrap)
                                 : srv_store_enrol(s, "97979797", "never", NULL, name, sizeof name, &ls);
        if (r == 0)
            i++;
        else if (r < 0 && g->again < g->tries)
            g->again++;
        else
            g->ok = false;
    }
    srv_store_close(s);
    return NULL;
}

/* Two codes made together; SRV_CODE_MAX_EXPOSURE - 1 failures from GUESSERS connections leave them live (one is
 * used to see it), one more retires the other. A lost increment would leave it live, a doubled one would have
 * retired the first. */
static void exposure_race(srv_store *s) {
    srv_store_id p1 = 0, p2 = 0, p3 = 0, x;
    CHECK(srv_store_set_enrol_code(s, 0, "Exposed 1", "40404040", 3600, &p1) == 1);
    CHECK(srv_store_set_enrol_code(s, 0, "Exposed 2", "41414141", 3600, &p2) == 1);
    double t0 = now_s();
    pthread_t th[GUESSERS];
    guesser gs[GUESSERS];
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, GUESSERS);
    int total = SRV_CODE_MAX_EXPOSURE - 1, again = 0;
    for (int i = 0; i < GUESSERS; i++) {
        gs[i] = (guesser){.go = &go, .index = i, .tries = total / GUESSERS + (i < total % GUESSERS)};
        pthread_create(&th[i], NULL, guess, &gs[i]);
    }
    for (int i = 0; i < GUESSERS; i++) {
        pthread_join(th[i], NULL);
        CHECK(gs[i].ok);
        again += gs[i].again;
    }
    if (srv_store_is_postgresql(where)) CHECK(again == 0);
    pthread_barrier_destroy(&go);
    char name[64];
    lock_settings ls;
    CHECK(srv_store_enrol(s, "40404040", "tok-exposed-1", NULL, name, sizeof name, &ls) == p1);
    CHECK(srv_store_enrol(s, "96969696", "never", NULL, name, sizeof name, &ls) == 0); /* the 5000th */
    CHECK(srv_store_enrol(s, "41414141", "tok-exposed-2", NULL, name, sizeof name, &ls) == 0);
    CHECK(srv_store_set_enrol_code(s, 0, "Exposed 3", "42424242", 3600, &p3) == 1);
    CHECK(srv_store_enrol(s, "42424242", "tok-exposed-3", NULL, name, sizeof name, &ls) == p3);
    CHECK(srv_store_set_enrol_code(s, p2, "Exposed 2", "43434343", 3600, &x) == 1); /* a fresh code starts afresh */
    CHECK(srv_store_enrol(s, "43434343", "tok-exposed-2", NULL, name, sizeof name, &ls) == p2);
    printf("exposure race: %d failed codes from %d connections in %.2f s (%d tried again)\n", total + 1, GUESSERS,
           now_s() - t0, again);
}

/* The feed race: WRITERS threads each post PER_WRITER replies ("w<t> <i>") while a reader pages the feed with
 * its cursor, through two connections in turn; it must end with every reply exactly once, each writer's in the order
 * written. */
#define WRITERS    4
#define PER_WRITER 200

typedef struct {
    pthread_barrier_t *go;
    srv_store_id patient;
    int index;
    bool ok;
} writer;

static atomic_int writers_finished;

static void *feed_writer(void *arg) {
    writer *w = arg;
    srv_store *s = open_or_die();
    pthread_barrier_wait(w->go);
    w->ok = true;
    for (int i = 0; i < PER_WRITER && w->ok; i++) {
        char text[32];
        snprintf(text, sizeof text, "w%d %d", w->index, i);
        w->ok = srv_store_post_reply(s, w->patient, text, "2026-01-03T00:00:00Z");
    }
    srv_store_close(s);
    atomic_fetch_add(&writers_finished, 1);
    return NULL;
}

static void feed_race(srv_store *s) {
    srv_store_id p = 0;
    CHECK(srv_store_set_enrol_code(s, 0, "Feed", "20202020", 3600, &p) == 1);
    /* the tablet's requests alternate between two connections, as between two server instances */
    srv_store *other = open_or_die();
    pthread_t th[WRITERS];
    writer ws[WRITERS];
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, WRITERS);
    double t0 = now_s();
    for (int i = 0; i < WRITERS; i++) {
        ws[i] = (writer){.go = &go, .patient = p, .index = i};
        pthread_create(&th[i], NULL, feed_writer, &ws[i]);
    }
    int next[WRITERS] = {0}, seen = 0, dupes = 0, out_of_order = 0, polls = 0;
    int64_t cursor = 0;
    /* bounded: a minute of polling at most. A page read after every writer was done, and found empty, ends it */
    while (now_s() - t0 < 60) {
        bool writers_done = atomic_load(&writers_finished) == WRITERS;
        events v = {0};
        int n = srv_store_changes(polls % 2 ? other : s, p, cursor, SRV_CHANGES_PAGE, on_event, &v);
        polls++;
        CHECK(n >= 0);
        for (int i = 0; i < v.n; i++) {
            CHECK(v.e[i].seq > cursor);
            cursor = v.e[i].seq;
            char body[64];
            int w = -1, k = -1;
            data_str(&v.e[i], "body", body, sizeof body);
            if (sscanf(body, "w%d %d", &w, &k) != 2 || w < 0 || w >= WRITERS) {
                CHECK(!"an event the writers did not write");
                continue;
            }
            if (k < next[w])
                dupes++;
            else if (k > next[w])
                out_of_order++; /* one of writer w's events was skipped */
            next[w] = k + 1;
            seen++;
        }
        events_free(&v);
        if (n <= 0 && writers_done) break;
    }
    for (int i = 0; i < WRITERS; i++)
        pthread_join(th[i], NULL);
    srv_store_close(other);
    pthread_barrier_destroy(&go);
    for (int i = 0; i < WRITERS; i++) {
        CHECK(ws[i].ok);
        CHECK(next[i] == PER_WRITER);
    }
    CHECK(seen == WRITERS * PER_WRITER);
    CHECK(dupes == 0);
    CHECK(out_of_order == 0);
    printf("feed race: %d writers x %d events in %.2f s, read over %d polls: %d seen, %d skipped, %d "
           "twice\n",
           WRITERS, PER_WRITER, now_s() - t0, polls, seen, out_of_order, dupes);
}

static void races(srv_store *s) {
    int res[RACERS], created, replay, conflict;
    srv_store_id p = 0;
    CHECK(srv_store_set_enrol_code(s, 0, "Racer", "30303030", 3600, &p) == 1);

    double t0 = now_s();
    race(put_racer, RACERS, p, "same", false, res);
    count_results(res, RACERS, &created, &replay, &conflict);
    CHECK(created == 1 && replay == RACERS - 1);
    race(put_racer, RACERS, p, "differ", true, res);
    count_results(res, RACERS, &created, &replay, &conflict);
    CHECK(created == 1 && conflict == RACERS - 1);
    /* an answer that opens a module: stored once, the module opened once, one event */
    race(answer_racer, RACERS, p, "answer", false, res);
    count_results(res, RACERS, &created, &replay, &conflict);
    CHECK(created == 1 && replay == RACERS - 1);
    events v = feed(s, p, 0, 100);
    CHECK(v.n == 1 && count_type(&v, "unlock") == 1);
    events_free(&v);
    CHECK(srv_store_is_unlocked(s, p, "race-module") == 1);
    printf("put races: %d racers, three times, in %.2f s\n", RACERS, now_s() - t0);

    t0 = now_s();
    race(enrol_racer, 8, 0, "30303030", false, res);
    int winners = 0, others = 0;
    for (int i = 0; i < 8; i++) {
        winners += res[i] > 0;
        others += res[i] == 0;
    }
    CHECK(winners == 1 && others == 7);
    printf("enrol race: 8 racers, one code, %d enrolled, in %.2f s\n", winners, now_s() - t0);

    exposure_race(s);

    feed_race(s);
}

/* ---- PostgreSQL only: what the catalogue says, and a lost connection --------------------------------------- */

/* One value of one query on a connection of the test's own (NULL when it failed); the caller frees it. */
static char *pg_value(PGconn *c, const char *sql) {
    PGresult *r = PQexec(c, sql);
    char *v = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 ? strdup(PQgetvalue(r, 0, 0)) : NULL;
    if (!v) fprintf(stderr, "test_server_store: %s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    return v;
}

static bool pg_value_is(PGconn *c, const char *sql, const char *want) {
    char *v = pg_value(c, sql);
    bool same = v && strcmp(v, want) == 0;
    if (v && !same) fprintf(stderr, "test_server_store: %s gave %s, not %s\n", sql, v, want);
    free(v);
    return same;
}

static void lock_wait_unbounded(int sig) {
    (void)sig;
    static const char m[] = "test_server_store: a held row was waited for without end: the reconnected session"
                            " lost its lock_timeout\n";
    if (write(2, m, sizeof m - 1) < 0) _exit(1);
    _exit(1);
}

static void postgresql_only(srv_store *s) {
    PGconn *c = PQconnectdb(where);
    CHECK(PQstatus(c) == CONNECTION_OK);
    /* migrations ran once however many opened the database */
    CHECK(pg_value_is(c, "SELECT count(*) FROM schema_version", "1"));
    /* every id a tablet sees is bounded by MS_JSON_MAX_ID, by its sequence */
    CHECK(pg_value_is(c, "SELECT count(*) FROM pg_sequences WHERE max_value <> 9007199254740992", "0"));
    CHECK(pg_value_is(c, "SELECT count(*) > 0 FROM pg_sequences", "t"));
    /* a database a newer server migrated is refused, not written with an older idea of its tables */
    CHECK(pg_value_is(c, "INSERT INTO schema_version VALUES(99, 0) RETURNING version", "99"));
    fprintf(stderr, "test_server_store: (a refusal is expected here)\n");
    srv_store *newer = srv_store_open(where);
    CHECK(newer == NULL);
    srv_store_close(newer);
    CHECK(pg_value_is(c, "DELETE FROM schema_version WHERE version=99 RETURNING version", "99"));
    /* an error's DETAIL would quote the key (a token, a code): the wrapper (store_pg.sh) finds none in the log */
    srv_store_id q = 0;
    char name[64];
    lock_settings ls;
    CHECK(srv_store_set_enrol_code(s, 0, "Dup", "44445555", 3600, &q) == 1);
    fprintf(stderr, "test_server_store: (one failed call is expected here)\n");
    CHECK(srv_store_enrol(s, "44445555", "tok-a4", NULL, name, sizeof name, &ls) == -1); /* another device's token */
    CHECK(srv_store_enrol(s, "44445555", "tok-dup", NULL, name, sizeof name, &ls) == q); /* the code was kept */
    /* a connection the database dropped (a restart, a failover) costs at most one failed call, not the server */
    CHECK(pg_value_is(c,
                      "SELECT count(pg_terminate_backend(pid)) > 0 FROM pg_stat_activity"
                      " WHERE datname=current_database() AND pid <> pg_backend_pid()",
                      "t"));
    fprintf(stderr, "test_server_store: (one failed call is expected here)\n");
    srv_store_id alice = srv_store_find_patient(s, "Alice");
    if (alice <= 0) CHECK((alice = srv_store_find_patient(s, "Alice")) > 0);
    CHECK(srv_store_auth(s, "tok-a4") > 0);
    /* the session made again keeps its settings: a row another transaction holds is waited for at most
     * SRV_PG_LOCK_TIMEOUT_MS, then the call fails (a 503), rather than holding the worker as long as that takes.
     * Lost on reconnection, the wait has no end: the alarm ends the test. */
    PGresult *br = PQexec(c, "BEGIN");
    CHECK(PQresultStatus(br) == PGRES_COMMAND_OK);
    PQclear(br);
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT 1 FROM patient WHERE id=%lld FOR UPDATE", (long long)alice);
    CHECK(pg_value_is(c, sql, "1"));
    signal(SIGALRM, lock_wait_unbounded);
    alarm(SRV_PG_LOCK_TIMEOUT_MS / 1000 + 20);
    double t0 = now_s();
    fprintf(stderr, "test_server_store: (a lock timeout is expected here)\n");
    CHECK(srv_store_put_recovery(s, alice, "tok-a4", "wrap-locked-out-cccccccccccccccccccccccccccccccc") ==
          SRV_STORE_FAILED);
    double waited = now_s() - t0;
    alarm(0);
    CHECK(waited >= SRV_PG_LOCK_TIMEOUT_MS / 1000.0 - 0.5 && waited < SRV_PG_LOCK_TIMEOUT_MS / 1000.0 + 5);
    printf("a held row after reconnecting: given up after %.1f s\n", waited);
    PGresult *rb = PQexec(c, "ROLLBACK");
    PQclear(rb);
    CHECK(srv_store_put_recovery(s, alice, "tok-a4", "wrap-locked-out-cccccccccccccccccccccccccccccccc") ==
          SRV_STORE_CONFLICT); /* it has tok-a4's wrap already; the connection is fine again */

    /* the scheme in any case is PostgreSQL (libpq itself knows it only in lower case) */
    char upper[1024];
    snprintf(upper, sizeof upper, "PostgreSQL%s", strchr(where, ':'));
    srv_store *mixed = srv_store_open(upper);
    CHECK(mixed != NULL && strcmp(srv_store_backend(mixed), "postgresql") == 0);
    CHECK(mixed && srv_store_auth(mixed, "tok-a4") == alice);
    srv_store_close(mixed);

    /* a database not in UTF-8 is refused at start, not at some patient's first letter it cannot hold */
    PGresult *cr = PQexec(c, "CREATE DATABASE store_ascii ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C'"
                             " TEMPLATE template0");
    CHECK(PQresultStatus(cr) == PGRES_COMMAND_OK);
    PQclear(cr);
    const char *rest = strchr(where, '?');
    char other[1024];
    snprintf(other, sizeof other, "postgresql:///store_ascii%s", rest ? rest : "");
    fprintf(stderr, "test_server_store: (a refusal is expected here)\n");
    srv_store *ascii = srv_store_open(other);
    CHECK(ascii == NULL);
    srv_store_close(ascii);
    PQfinish(c);
}

/* The backends' connection structs begin so (srv_store_internal.h); the test reaches the connection only to break
 * it as a bug in an operation would. */
typedef struct {
    srv_store base;
    PGconn *conn;
} pg_view;
typedef struct {
    srv_store base;
    sqlite3 *db;
} sq_view;

/* A connection given back to the pool inside a transaction — an aborted one on PostgreSQL, which answers every
 * statement with an error — is settled before the next request takes it; else every request on it would fail. */
static void pool_settles(void) {
    srv_store_pool *p = srv_store_pool_open(where, 1);
    CHECK(p != NULL);
    if (!p) return;
    srv_store *s = srv_store_pool_take(p);
    bool pg = srv_store_is_postgresql(where);
    if (pg) {
        PGresult *r = PQexec(((pg_view *)s)->conn, "BEGIN; SELECT 1/0");
        PQclear(r);
        CHECK(PQtransactionStatus(((pg_view *)s)->conn) == PQTRANS_INERROR);
    } else {
        CHECK(sqlite3_exec(((sq_view *)s)->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK);
    }
    CHECK(!s->ops->idle(s));
    fprintf(stderr, "test_server_store: (a rollback is expected here)\n");
    srv_store_pool_give(p, s);
    s = srv_store_pool_take(p);
    CHECK(s->ops->idle(s));
    srv_store_id a = srv_store_find_patient(s, "Alice");
    CHECK(a > 0);
    CHECK(srv_store_unlock(s, a, "settled") == 1);
    srv_store_pool_give(p, s);
    /* and the write is stored: another connection sees it */
    srv_store *other = srv_store_open(where);
    CHECK(other && srv_store_is_unlocked(other, a, "settled") == 1);
    srv_store_close(other);
    srv_store_pool_close(p);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: test_server_store FILE|postgresql://…\n");
        return 2;
    }
    where = argv[1];
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!backend_complete(srv_store_is_postgresql(where) ? &srv_store_pg_ops : &srv_store_sqlite_ops)) return 2;

    /* a fresh database, opened by eight instances at once: each migrates or waits for the one that does */
    int res[RACERS];
    race(open_racer, 8, 0, NULL, false, res);
    for (int i = 0; i < 8; i++)
        CHECK(res[i] >= 1);

    srv_store *s = srv_store_open(where);
    if (!s) {
        fprintf(stderr, "test_server_store: cannot open %s\n", where);
        return 1;
    }
    int version = srv_store_schema_version(s);
    CHECK(version >= 1 && res[0] == version);
    printf("backend %s, schema version %d\n", srv_store_backend(s), version);
    contract(s);

    /* migrations again: nothing changes, nothing is lost */
    srv_store *again = srv_store_open(where);
    CHECK(again != NULL);
    if (again) {
        CHECK(srv_store_schema_version(again) == version);
        CHECK(srv_store_find_patient(again, "Alice") > 0);
        srv_store_close(again);
    }

    if (srv_store_is_postgresql(where)) postgresql_only(s);
    pool_settles();
    races(s);
    srv_store_close(s);
    if (failures) fprintf(stderr, "test_server_store: %d checks failed\n", failures);
    return failures ? 1 : 0;
}
