/* admin.c — `meistring-server admin`: what a clinician does from the command line: create a patient and issue
 * enrolment codes, open a module, reply, read messages (which sends read receipts) and answers, revoke a device;
 * and the loaned tablet's life: lock settings and the staff code, reset codes, return, devices, wipe receipts.
 * The seam: a separate command with no HTTP and no content directory, on one connection of its own (srv_store.h);
 * it may run while serve does, and the database keeps the two apart.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <signal.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "meistring/config.h"
#include "meistring/utf8.h"

#include "server.h"

_Static_assert(SRV_STAFF_CODE_HASH_MAX == crypto_pwhash_STRBYTES, "the hash buffer is libsodium's string size");

/* ---- admin: what a clinician does ------------------------------------------------------------------------ */

static srv_store *db; /* the command's one connection */

static srv_store_id patient_id(const char *s) {
    /* by number or by name */
    srv_store_id id = srv_store_find_patient(db, s);
    if (id == 0) fprintf(stderr, "meistring-server: no patient %s\n", s);
    return id > 0 ? id : 0;
}

static void random_code(char code[SRV_CODE_DIGITS + 1]) {
    for (int k = 0; k < SRV_CODE_DIGITS; k++)
        code[k] = (char)('0' + randombytes_uniform(10));
    code[SRV_CODE_DIGITS] = '\0';
}

/* A fresh enrolment code for patient (0: a new patient called name): 8 digits from libsodium's uniform source,
 * valid for days days and from the current failure count on (code_base). Drawn again on the rare clash with a
 * live code. Prints it 4-4, as the tests and clinicians read it. */
static int issue_code(srv_store_id patient, const char *name, int days) {
    char code[SRV_CODE_DIGITS + 1];
    for (int attempt = 0; attempt < 5; attempt++) {
        random_code(code);
        srv_store_id id = 0;
        int r = srv_store_set_enrol_code(db, patient, name, code, (int64_t)days * 86400, &id);
        if (r < 0) break;
        if (r == 0) continue;
        printf("patient %lld %s: enrolment code %.4s %.4s\n", (long long)id, name, code, code + 4);
        printf("valid for %d days, until it is used\n", days);
        return 0;
    }
    fprintf(stderr, "meistring-server: could not store a code\n");
    return 1;
}

/* A therapist's reply, stored whole or not at all: the text is checked (UTF-8, at most SRV_MAX_REPLY bytes,
 * which the client accepts) and the message and its event are one transaction. */
static int post_reply(srv_store_id p, const char *text) {
    size_t len = strlen(text);
    if (len == 0 || len > SRV_MAX_REPLY || !utf8_valid(text, len)) {
        fprintf(stderr, "meistring-server: a reply is 1 to %d bytes of UTF-8 text; nothing was posted\n",
                SRV_MAX_REPLY);
        return 2;
    }
    char when[32];
    time_t now = time(NULL);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    if (!srv_store_post_reply(db, p, text, when)) {
        fprintf(stderr, "meistring-server: the reply was not stored\n");
        return 1;
    }
    printf("reply posted to patient %lld\n", (long long)p);
    return 0;
}

/* ---- the loaned tablet's life ----------------------------------------------------------------------------- */

static bool parse_int(const char *s, long lo, long hi, int *out) {
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < lo || v > hi) return false;
    *out = (int)v;
    return true;
}

/* lock-settings [--lock-after S] [--pin-digits 4|6] [--max-failures N]: sets what is given, then prints all. A
 * tablet gets them at its enrolment, so a change reaches the tablets enrolled after it. */
static int lock_settings_cmd(int left, char **a) {
    lock_settings ls;
    if (!srv_store_lock_settings_load(db, &ls)) return 1;
    for (int k = 0; k < left; k += 2) {
        const char *v = k + 1 < left ? a[k + 1] : "";
        bool ok = false;
        if (strcmp(a[k], "--lock-after") == 0)
            ok = parse_int(v, SRV_LOCK_AFTER_S_MIN, SRV_LOCK_AFTER_S_MAX, &ls.after_s);
        else if (strcmp(a[k], "--pin-digits") == 0)
            ok = parse_int(v, 4, 6, &ls.pin_digits) && ls.pin_digits != 5;
        else if (strcmp(a[k], "--max-failures") == 0)
            ok = parse_int(v, SRV_MAX_FAILURES_MIN, SRV_MAX_FAILURES_MAX, &ls.max_failures);
        if (!ok) {
            fprintf(stderr,
                    "meistring-server: lock-settings [--lock-after %d-%d] [--pin-digits 4|6] [--max-failures %d-%d];"
                    " nothing was changed\n",
                    SRV_LOCK_AFTER_S_MIN, SRV_LOCK_AFTER_S_MAX, SRV_MAX_FAILURES_MIN, SRV_MAX_FAILURES_MAX);
            return 2;
        }
    }
    if (left > 0 && !srv_store_lock_settings_save(db, &ls)) {
        fprintf(stderr, "meistring-server: the settings were not stored\n");
        return 1;
    }
    printf("lock-after %d\npin-digits %d\nmax-failures %d\nstaff-code %s\n", ls.after_s, ls.pin_digits, ls.max_failures,
           ls.staff_code_hash[0] ? "set" : "none");
    return 0;
}

/* Echo off while a staff code is typed, and back on however the command ends: a signal restores the terminal
 * before it takes the process down. */
static struct termios saved_tio;
static int echo_fd = -1;
static const int end_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
static struct sigaction saved_actions[sizeof end_signals / sizeof end_signals[0]];

static void restore_and_reraise(int sig) {
    if (echo_fd >= 0) tcsetattr(echo_fd, TCSAFLUSH, &saved_tio);
    raise(sig); /* SA_RESETHAND: the default action now */
}

static bool echo_off(int fd) {
    if (tcgetattr(fd, &saved_tio) != 0) return false;
    struct termios quiet = saved_tio;
    quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
    struct sigaction sa = {.sa_handler = restore_and_reraise, .sa_flags = SA_RESETHAND};
    sigemptyset(&sa.sa_mask);
    echo_fd = fd;
    for (size_t i = 0; i < sizeof end_signals / sizeof end_signals[0]; i++)
        sigaction(end_signals[i], &sa, &saved_actions[i]);
    if (tcsetattr(fd, TCSAFLUSH, &quiet) == 0) return true;
    echo_fd = -1;
    for (size_t i = 0; i < sizeof end_signals / sizeof end_signals[0]; i++)
        sigaction(end_signals[i], &saved_actions[i], NULL);
    return false;
}

static void echo_on(void) {
    if (echo_fd < 0) return;
    tcsetattr(echo_fd, TCSAFLUSH, &saved_tio);
    echo_fd = -1;
    for (size_t i = 0; i < sizeof end_signals / sizeof end_signals[0]; i++)
        sigaction(end_signals[i], &saved_actions[i], NULL);
}

/* One line of stdin, a byte at a time (on a terminal stdin is unbuffered, so no copy stays in stdio's buffer);
 * a line too long for buf reads as "", which is no valid code. False at the end of input before a line. */
static bool read_code(bool tty, const char *prompt, char *buf, size_t cap) {
    if (tty) {
        fputs(prompt, stderr);
        fflush(stderr);
    }
    size_t n = 0;
    bool too_long = false;
    int ch;
    while ((ch = getchar()) != EOF && ch != '\n') {
        if (n + 1 < cap)
            buf[n++] = (char)ch;
        else
            too_long = true;
    }
    if (tty) fputc('\n', stderr); /* the Enter that was not echoed */
    if (ch == EOF && n == 0 && !too_long) return false;
    if (n && buf[n - 1] == '\r') n--;
    buf[too_long ? 0 : n] = '\0';
    return true;
}

static bool staff_code_valid(const char *s) {
    size_t n = strlen(s);
    return n >= SRV_STAFF_CODE_MIN_DIGITS && n <= SRV_STAFF_CODE_MAX_DIGITS && strspn(s, "0123456789") == n;
}

/* staff-code: the code staff type on a patient's tablet to take it back (the tablet checks it against this hash;
 * the code itself is never stored). Read twice from stdin, echo off on a terminal, as the kiosk's --hash-pin. */
static int staff_code_cmd(void) {
    char first[64], again[64], hash[SRV_STAFF_CODE_HASH_MAX];
    int rc = 1;
    bool tty = isatty(STDIN_FILENO);
    if (tty) {
        setvbuf(stdin, NULL, _IONBF, 0); /* before any read */
        if (!echo_off(STDIN_FILENO)) {
            fprintf(stderr, "meistring-server: cannot turn off echo on the terminal: %s\n", strerror(errno));
            return 1;
        }
    }
    bool got = read_code(tty, "Staff code (4-12 digits): ", first, sizeof first) &&
               read_code(tty, "The same code again: ", again, sizeof again);
    echo_on();
    if (!got) {
        fprintf(stderr, "meistring-server: the input ended before the code was typed twice; nothing was stored\n");
        goto done;
    }
    if (!staff_code_valid(first)) {
        fprintf(stderr, "meistring-server: a staff code is %d to %d digits and nothing else; nothing was stored\n",
                SRV_STAFF_CODE_MIN_DIGITS, SRV_STAFF_CODE_MAX_DIGITS);
        goto done;
    }
    if (strcmp(first, again) != 0) {
        fprintf(stderr, "meistring-server: the two codes differ; nothing was stored\n");
        goto done;
    }
    /* the kiosk's limits, so a tablet checks it in the same 0.1-0.2 s as the kiosk's staff PIN */
    if (crypto_pwhash_str_alg(hash, first, strlen(first), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        fprintf(stderr, "meistring-server: libsodium could not hash the code (out of memory?)\n");
        goto done;
    }
    if (!srv_store_staff_code_set(db, hash)) {
        fprintf(stderr, "meistring-server: the staff code was not stored\n");
        goto done;
    }
    printf("staff code stored; tablets get it when they are enrolled\n");
    rc = 0;
done:
    sodium_memzero(first, sizeof first);
    sodium_memzero(again, sizeof again);
    return rc;
}

static bool device_of(srv_store_id p, srv_store_device *d) {
    if (srv_store_device_of(db, p, d)) return true;
    fprintf(stderr, "meistring-server: patient %lld's device could not be read\n", (long long)p);
    return false;
}

static const char *state_text(const srv_store_device *d) {
    if (d->enrolled) return d->returned ? "returned (waiting for the tablet)" : "enrolled";
    if (d->revoked) return d->wiped ? "wiped (token revoked by the tablet)" : "revoked by admin";
    return "not enrolled";
}

/* reset-code PATIENT: a one-time code for a patient who forgot their PIN. It opens the recovery wrap their
 * tablet left (POST /v1/recover), replaces any earlier reset code, and is kept as an enrolment code is. */
static int reset_code_cmd(srv_store_id p, int days) {
    srv_store_device d;
    if (!device_of(p, &d)) return 1;
    if (!d.enrolled) {
        fprintf(stderr, "meistring-server: patient %lld has no enrolled device (%s); no reset code was made\n",
                (long long)p, state_text(&d));
        return 1;
    }
    char code[SRV_CODE_DIGITS + 1];
    for (int attempt = 0; attempt < 5; attempt++) {
        random_code(code);
        int r = srv_store_set_reset_code(db, p, code, (int64_t)days * 86400);
        if (r < 0) break;
        if (r == 1) {
            printf("patient %lld %s: reset code %.4s %.4s\n", (long long)p, d.name, code, code + 4);
            printf("valid for %d days, until it is used\n", days);
            if (!d.wrap)
                fprintf(stderr, "meistring-server: note: the tablet has not sent its recovery wrap yet; the code "
                                "works once it has (at its next sync)\n");
            return 0;
        }
    }
    fprintf(stderr, "meistring-server: could not store a reset code\n");
    return 1;
}

/* return PATIENT: the clinic has the tablet back. Its token keeps working, so what it still holds (messages,
 * answers) arrives, each once; the changes feed tells it to wipe itself, and it then gives up its token
 * (DELETE /v1/device). Marked once: a second return adds no second event. */
static int return_cmd(srv_store_id p) {
    srv_store_device d;
    if (!device_of(p, &d)) return 1;
    if (!d.enrolled) {
        fprintf(stderr, "meistring-server: patient %lld has no enrolled device (%s); nothing was marked\n",
                (long long)p, state_text(&d));
        return 1;
    }
    int marked = d.returned ? 0 : srv_store_mark_returned(db, p);
    if (marked < 0) {
        fprintf(stderr, "meistring-server: the return was not stored\n");
        return 1;
    }
    if (marked == 0) {
        printf("patient %lld's device was already marked returned\n", (long long)p);
        return 0;
    }
    printf("patient %lld's device is marked returned; the tablet is told at its next sync\n", (long long)p);
    return 0;
}

static void print_device(void *ctx, srv_store_id p, const srv_store_device *d) {
    (void)ctx;
    printf("patient %lld %s: %s; %s\n", (long long)p, d->name, state_text(d),
           d->wrap ? "recovery wrap stored" : "no recovery wrap");
}

static int devices_cmd(void) { return srv_store_devices(db, print_device, NULL) < 0 ? 1 : 0; }

/* receipts: one line each, oldest first: when it came, the patient whose tablet was wiped, why, when, and what
 * was destroyed. Every string in a stored receipt was checked printable (request.c), so it is safe on a terminal. */
static void print_receipt(void *ctx, int64_t received_at, srv_store_id for_patient, const char *body) {
    (void)ctx;
    char when[32], who[24] = "-";
    time_t t = (time_t)received_at;
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    if (for_patient) snprintf(who, sizeof who, "%lld", (long long)for_patient);
    cJSON *r = cJSON_Parse(body);
    const char *reason = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "reason"));
    const char *wiped_at = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "wiped_at"));
    printf("%s patient %s %s %s:", when, who, reason ? reason : "?", wiped_at ? wiped_at : "?");
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(r, "destroyed"), *e;
    const char *sep = " ";
    cJSON_ArrayForEach(e, d) {
        const char *what = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "what"));
        printf("%s%s", sep, what ? what : "?");
        sep = ", ";
    }
    printf("\n");
    cJSON_Delete(r);
}

static int receipts_cmd(void) { return srv_store_receipts(db, print_receipt, NULL) < 0 ? 1 : 0; }

/* messages PATIENT: listing them is the therapist reading them (the patient's tablet gets read receipts). */
static void print_message(void *ctx, const srv_store_message *m) {
    (void)ctx;
    printf("%s %s %s\n", m->written_at, m->from_patient ? "patient:" : "therapist:", m->body);
}

static void print_answer(void *ctx, const char *client_id, const char *body) {
    (void)ctx;
    printf("%s %s\n", client_id, body);
}

static int run_command(const char *cmd, int left, char **a, int days) {
    if (strcmp(cmd, "create-patient") == 0 && left == 1) return issue_code(0, a[0], days);
    if (strcmp(cmd, "lock-settings") == 0) return lock_settings_cmd(left, a);
    if (strcmp(cmd, "staff-code") == 0 && left == 0) return staff_code_cmd();
    if (strcmp(cmd, "devices") == 0 && left == 0) return devices_cmd();
    if (strcmp(cmd, "receipts") == 0 && left == 0) return receipts_cmd();
    srv_store_id p = left >= 1 ? patient_id(a[0]) : 0;
    if (!p) return 1;
    if (strcmp(cmd, "new-code") == 0 && left == 1) return issue_code(p, a[0], days);
    if (strcmp(cmd, "reset-code") == 0 && left == 1) return reset_code_cmd(p, days);
    if (strcmp(cmd, "return") == 0 && left == 1) return return_cmd(p);
    if (strcmp(cmd, "unlock") == 0 && left == 2) {
        if (srv_store_unlock(db, p, a[1]) < 0) {
            fprintf(stderr, "meistring-server: the module was not opened\n");
            return 1;
        }
        printf("module %s is open for patient %lld\n", a[1], (long long)p);
        return 0;
    }
    if (strcmp(cmd, "reply") == 0 && left == 2) return post_reply(p, a[1]);
    if (strcmp(cmd, "messages") == 0 && left == 1)
        return srv_store_read_messages(db, p, print_message, NULL) < 0 ? 1 : 0;
    if (strcmp(cmd, "answers") == 0 && left == 1) return srv_store_answers(db, p, print_answer, NULL) < 0 ? 1 : 0;
    if (strcmp(cmd, "revoke") == 0 && left == 1) {
        if (!srv_store_revoke(db, p)) {
            fprintf(stderr, "meistring-server: the device was not revoked\n");
            return 1;
        }
        printf("patient %lld's device is revoked\n", (long long)p);
        return 0;
    }
    fprintf(stderr, "meistring-server admin: unknown command or arguments: %s\n", cmd);
    return 2;
}

int admin(int argc, char **argv) {
    const char *dbp = NULL;
    int i = 0, days = SRV_CODE_DAYS;
    if (argc >= 2 && strcmp(argv[0], "--db") == 0) {
        dbp = argv[1];
        i = 2;
    }
    if (i + 1 < argc && strcmp(argv[i], "--code-days") == 0) {
        char *end = NULL;
        long v = strtol(argv[i + 1], &end, 10);
        if (!*argv[i + 1] || *end || v < 1 || v > SRV_CODE_MAX_DAYS) {
            fprintf(stderr, "meistring-server: --code-days wants 1 to %d\n", SRV_CODE_MAX_DAYS);
            return 2;
        }
        days = (int)v;
        i += 2;
    }
    if (!dbp || i >= argc) {
        fprintf(stderr, "meistring-server admin --db FILE|postgresql://... [--code-days N] COMMAND ...\n");
        return 2;
    }
    db = srv_store_open(dbp);
    if (!db) return 1;
    int rc = run_command(argv[i], argc - i - 1, argv + i + 1, days);
    srv_store_close(db);
    db = NULL;
    return rc;
}
