/* kiosk_config.c — reads, checks and writes the waiting-room kiosk's configuration file, and hashes and checks
 * its staff PIN with libsodium's Argon2id; see kiosk_config.h and docs/kiosk-config.md. One table of keys drives
 * the reader (conf.c, shared with the tablet's file), the writer and the "unknown key" message, so a new key is
 * one row and one setter. */
#include "meistring/kiosk_config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "meistring/conf.h"

_Static_assert(MS_KIOSK_PIN_HASH_MAX == crypto_pwhash_STRBYTES, "the hash buffer is libsodium's string size");
_Static_assert(MS_KIOSK_PIN_MEM_MIN_KIB * 1024ull == crypto_pwhash_MEMLIMIT_INTERACTIVE, "the hash we make is taken");
_Static_assert(MS_KIOSK_PIN_OPS_MIN == crypto_pwhash_OPSLIMIT_INTERACTIVE, "the hash we make is taken");
_Static_assert(MS_KIOSK_WARNING_MIN_S + MS_KIOSK_QUIET_MIN_S <= MS_KIOSK_IDLE_MIN_S,
               "a warning fits every idle time (the default shrinks to fit)");

#define XSTR(x)                 STR(x)
#define STR(x)                  #x
#define RANGE_DOC(lo, hi, dflt) XSTR(lo) " to " XSTR(hi) " (default " XSTR(dflt) ")."
#define ARGON2ID_PREFIX         "$argon2id$"

/* ---- one setter a key: the value is trimmed, non-empty, valid UTF-8, free of control characters ---------- */

static bool set_seconds(int *field, const char *v, int lo, int hi, conf_ctx *c) {
    char q[CONF_SHOWN_MAX + 4];
    size_t n = strlen(v);
    if (strspn(v, "0123456789") != n) return conf_fail(c, "\"%s\" is not a whole number of seconds", conf_shown(v, n, q));
    int s = n > 6 ? INT_MAX : atoi(v); /* at most 6 digits are read; more are out of range anyway */
    if (s < lo || s > hi) return conf_fail(c, "%s seconds is out of range: give %d to %d", conf_shown(v, n, q), lo, hi);
    *field = s;
    return true;
}

static bool set_idle(void *p, const char *v, conf_ctx *c) {
    kcfg *cfg = p;
    return set_seconds(&cfg->idle_timeout_s, v, MS_KIOSK_IDLE_MIN_S, MS_KIOSK_IDLE_MAX_S, c);
}

static bool set_warning(void *p, const char *v, conf_ctx *c) {
    kcfg *cfg = p;
    return set_seconds(&cfg->warning_s, v, MS_KIOSK_WARNING_MIN_S, MS_KIOSK_WARNING_MAX_S, c);
}

/* The form only (the hash is checked against a PIN at the keypad): an Argon2id string libsodium decodes, with a
 * cost between MS_KIOSK_PIN_{MEM,OPS}_{MIN,MAX}. */
static bool set_pin_hash(void *p, const char *v, conf_ctx *c) {
    kcfg *cfg = p;
    const char *make = "make one with meistring --kiosk-hash-pin";
    size_t n = strlen(v);
    if (strncmp(v, ARGON2ID_PREFIX, strlen(ARGON2ID_PREFIX)) != 0)
        return conf_fail(c, "not an Argon2id hash (it starts %s); %s", ARGON2ID_PREFIX, make);
    if (n >= MS_KIOSK_PIN_HASH_MAX)
        return conf_fail(c, "%zu characters, too long for an Argon2id hash (under %d); %s", n, MS_KIOSK_PIN_HASH_MAX, make);
    if (crypto_pwhash_argon2id_str_needs_rehash(v, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                                crypto_pwhash_MEMLIMIT_INTERACTIVE) < 0)
        return conf_fail(c, "not a well-formed Argon2id hash (cut short or changed?); %s", make);
    unsigned long mem = 0, ops = 0;
    if (sscanf(v, ARGON2ID_PREFIX "v=%*u$m=%lu,t=%lu,", &mem, &ops) != 2)
        return conf_fail(c, "an Argon2id hash without its cost (m=…,t=…); %s", make);
    if (mem < MS_KIOSK_PIN_MEM_MIN_KIB || mem > MS_KIOSK_PIN_MEM_MAX_KIB || ops < MS_KIOSK_PIN_OPS_MIN ||
        ops > MS_KIOSK_PIN_OPS_MAX)
        return conf_fail(c, "the hash costs m=%lu KiB, t=%lu; the kiosk takes m=%d..%d, t=%d..%d; %s", mem, ops,
                    MS_KIOSK_PIN_MEM_MIN_KIB, MS_KIOSK_PIN_MEM_MAX_KIB, MS_KIOSK_PIN_OPS_MIN, MS_KIOSK_PIN_OPS_MAX,
                    make);
    memcpy(cfg->pin_hash, v, n + 1);
    return true;
}

static bool set_programme(void *p, const char *v, conf_ctx *c) {
    kcfg *cfg = p;
    size_t n = strlen(v);
    if (v[0] != '/')
        return conf_fail(c, "give the directory as an absolute path (from /): the kiosk may start in any directory");
    if (n > MS_KIOSK_PROGRAMME_MAX) return conf_fail(c, "the path is %zu bytes; at most %d", n, MS_KIOSK_PROGRAMME_MAX);
    memcpy(cfg->programme, v, n + 1);
    return true;
}

static bool set_language(void *p, const char *v, conf_ctx *c) {
    kcfg *cfg = p;
    char q[CONF_SHOWN_MAX + 4];
    if (strcmp(v, "nb") != 0 && strcmp(v, "nn") != 0 && strcmp(v, "en") != 0)
        return conf_fail(c, "\"%s\" is not one of nb, nn, en", conf_shown(v, strlen(v), q));
    memcpy(cfg->language, v, 3);
    return true;
}

static bool set_clinic_name(void *p, const char *v, conf_ctx *c) {
    kcfg *cfg = p;
    size_t n = strlen(v);
    if (n > MS_KIOSK_CLINIC_NAME_MAX) return conf_fail(c, "%zu bytes long; at most %d", n, MS_KIOSK_CLINIC_NAME_MAX);
    memcpy(cfg->clinic_name, v, n + 1);
    return true;
}

static bool set_clinic_phone(void *p, const char *v, conf_ctx *c) {
    kcfg *cfg = p;
    char q[CONF_SHOWN_MAX + 4];
    size_t n = strlen(v), plus = v[0] == '+';
    if (n > MS_KIOSK_CLINIC_PHONE_MAX) return conf_fail(c, "%zu characters long; at most %d", n, MS_KIOSK_CLINIC_PHONE_MAX);
    if (strspn(v + plus, "0123456789 ") != n - plus || !strpbrk(v, "0123456789"))
        return conf_fail(c, "\"%s\" is not a phone number: digits and spaces, and a + only first", conf_shown(v, n, q));
    memcpy(cfg->clinic_phone, v, n + 1);
    return true;
}

static bool set_yes_no(bool *field, const char *v, conf_ctx *c) {
    char q[CONF_SHOWN_MAX + 4];
    if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0)
        return conf_fail(c, "\"%s\" is neither yes nor no", conf_shown(v, strlen(v), q));
    *field = v[0] == 'y';
    return true;
}

static bool set_read_aloud(void *p, const char *v, conf_ctx *c) { return set_yes_no(&((kcfg *)p)->read_aloud, v, c); }

static bool set_screen_reader(void *p, const char *v, conf_ctx *c) {
    return set_yes_no(&((kcfg *)p)->screen_reader, v, c);
}

/* ---- the keys --------------------------------------------------------------------------------------------- */

enum { K_IDLE, K_WARNING, K_PIN, K_PROGRAMME, K_LANGUAGE, K_NAME, K_PHONE, K_READ_ALOUD, K_SCREEN_READER, N_KEYS };

static const conf_key keys[N_KEYS] = {
    [K_IDLE] = {"idle_timeout", set_idle,
                "Seconds without a touch before the kiosk goes back to its start screen: " RANGE_DOC(
                    MS_KIOSK_IDLE_MIN_S, MS_KIOSK_IDLE_MAX_S, MS_KIOSK_IDLE_DEFAULT_S)},
    [K_WARNING] = {"warning", set_warning,
                   "Seconds the still-there warning shows before that, less than idle_timeout: " RANGE_DOC(
                       MS_KIOSK_WARNING_MIN_S, MS_KIOSK_WARNING_MAX_S, MS_KIOSK_WARNING_DEFAULT_S)},
    [K_PIN] = {"pin_hash", set_pin_hash,
               "The staff PIN as an Argon2id hash; required. Make the line with: meistring --kiosk-hash-pin"},
    [K_PROGRAMME] = {"programme", set_programme,
                     "The programme to show: an absolute path to a content directory (default: the built-in demo)."},
    [K_LANGUAGE] = {"language", set_language, "The language of the interface: nb, nn or en (default nb)."},
    [K_NAME] = {"clinic_name", set_clinic_name,
                "The clinic's name on «Hjelp nå», at most " XSTR(MS_KIOSK_CLINIC_NAME_MAX) " bytes (default: none)."},
    [K_PHONE] = {"clinic_phone", set_clinic_phone,
                 "The clinic's phone number on «Hjelp nå»: digits, spaces and a leading +, at most " XSTR(
                     MS_KIOSK_CLINIC_PHONE_MAX) " (default: none)."},
    [K_READ_ALOUD] = {"read_aloud", set_read_aloud, "Offer read-aloud: yes or no (default yes)."},
    [K_SCREEN_READER] = {"screen_reader", set_screen_reader,
                         "Let a screen reader (Orca, over AT-SPI) read and work the kiosk: yes or no (default no)."},
};

void kcfg_defaults(kcfg *cfg) {
    memset(cfg, 0, sizeof *cfg);
    cfg->idle_timeout_s = MS_KIOSK_IDLE_DEFAULT_S;
    cfg->warning_s = MS_KIOSK_WARNING_DEFAULT_S;
    memcpy(cfg->language, "nb", 3);
    cfg->read_aloud = true;
}

/* What holds between keys, checked once every line is read; a default warning shrinks to leave a short idle
 * time its quiet part. */
static bool check_whole(void *p, const int *seen, conf_ctx *c) {
    kcfg *cfg = p;
    if (!seen[K_WARNING] && cfg->warning_s > cfg->idle_timeout_s - MS_KIOSK_QUIET_MIN_S)
        cfg->warning_s = cfg->idle_timeout_s - MS_KIOSK_QUIET_MIN_S; /* ≥ MS_KIOSK_WARNING_MIN_S: the assert */
    if (!seen[K_PIN]) {
        c->key = "pin_hash";
        return conf_fail(c, "missing: a kiosk without a staff PIN does not start; add the line that "
                       "meistring --kiosk-hash-pin prints");
    }
    if (cfg->warning_s > cfg->idle_timeout_s - MS_KIOSK_QUIET_MIN_S && seen[K_WARNING]) {
        c->line = seen[K_WARNING];
        c->key = "warning";
        return conf_fail(c, "the warning (%d s) must be shorter than idle_timeout (%d s), by %d s at least", cfg->warning_s,
                    cfg->idle_timeout_s, MS_KIOSK_QUIET_MIN_S);
    }
    return true;
}

static void defaults(void *cfg) { kcfg_defaults(cfg); }

static const conf_schema schema = {"a kiosk configuration", keys, N_KEYS, defaults, check_whole};

bool kcfg_parse(const char *text, size_t len, kcfg *cfg, char *err, size_t cap) {
    return conf_parse(&schema, text, len, cfg, err, cap);
}

bool kcfg_load(const char *path, kcfg *cfg, char *err, size_t cap) { return conf_load(&schema, path, cfg, err, cap); }

bool kcfg_write(FILE *out, const kcfg *cfg) {
    fprintf(out, "# Meistring's waiting-room kiosk (docs/kiosk-config.md). One `key = value` a line; a line that\n"
                 "# starts with # is a comment. Every key but pin_hash may be left out for its default. A file\n"
                 "# with a mistake is refused whole, and the kiosk does not start but says which line it is.\n");
    for (int k = 0; k < N_KEYS; k++) {
        char num[16];
        const char *v = num;
        switch (k) {
        case K_IDLE: snprintf(num, sizeof num, "%d", cfg->idle_timeout_s); break;
        case K_WARNING: snprintf(num, sizeof num, "%d", cfg->warning_s); break;
        case K_PIN: v = cfg->pin_hash; break;
        case K_PROGRAMME: v = cfg->programme; break;
        case K_LANGUAGE: v = cfg->language; break;
        case K_NAME: v = cfg->clinic_name; break;
        case K_PHONE: v = cfg->clinic_phone; break;
        case K_READ_ALOUD: v = cfg->read_aloud ? "yes" : "no"; break;
        default: v = cfg->screen_reader ? "yes" : "no"; break;
        }
        fprintf(out, "\n# %s\n%s%s =%s%s\n", keys[k].doc, v[0] ? "" : "# ", keys[k].name, v[0] ? " " : "", v);
    }
    return fflush(out) == 0 && !ferror(out);
}

/* ---- the PIN ---------------------------------------------------------------------------------------------- */

bool kcfg_pin_valid(const char *pin) {
    size_t n = strlen(pin);
    return n >= MS_KIOSK_PIN_MIN_DIGITS && n <= MS_KIOSK_PIN_MAX_DIGITS && strspn(pin, "0123456789") == n;
}

bool kcfg_check_pin(const kcfg *cfg, const char *pin) {
    if (!kcfg_pin_valid(pin) || strncmp(cfg->pin_hash, ARGON2ID_PREFIX, strlen(ARGON2ID_PREFIX)) != 0) return false;
    if (sodium_init() < 0) return false;
    return crypto_pwhash_str_verify(cfg->pin_hash, pin, strlen(pin)) == 0;
}

bool kcfg_hash_pin(const char *pin, char out[MS_KIOSK_PIN_HASH_MAX]) {
    out[0] = '\0';
    if (!kcfg_pin_valid(pin) || sodium_init() < 0) return false;
    if (crypto_pwhash_str_alg(out, pin, strlen(pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        out[0] = '\0';
        return false;
    }
    return true;
}

/* ---- meistring --kiosk-hash-pin --------------------------------------------------------------------------- */

/* Echo is off on echo_fd while a PIN is typed; a signal that ends the program puts the terminal back first. */
static struct termios saved_tio;
static volatile sig_atomic_t echo_fd = -1;
static const int end_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define N_END_SIGNALS (sizeof end_signals / sizeof *end_signals)
static struct sigaction saved_actions[N_END_SIGNALS];

static void restore_and_reraise(int sig) {
    if (echo_fd >= 0) tcsetattr(echo_fd, TCSAFLUSH, &saved_tio);
    raise(sig); /* SA_RESETHAND: the default action, once this handler returns */
}

static bool echo_off(int fd) {
    struct termios quiet;
    if (tcgetattr(fd, &saved_tio) != 0) return false;
    quiet = saved_tio;
    quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
    struct sigaction sa = {.sa_handler = restore_and_reraise, .sa_flags = SA_RESETHAND};
    sigemptyset(&sa.sa_mask);
    echo_fd = fd;
    for (size_t i = 0; i < N_END_SIGNALS; i++)
        sigaction(end_signals[i], &sa, &saved_actions[i]);
    if (tcsetattr(fd, TCSAFLUSH, &quiet) == 0) return true;
    echo_fd = -1;
    for (size_t i = 0; i < N_END_SIGNALS; i++)
        sigaction(end_signals[i], &saved_actions[i], NULL);
    return false;
}

static void echo_on(void) {
    if (echo_fd < 0) return;
    tcsetattr(echo_fd, TCSAFLUSH, &saved_tio);
    echo_fd = -1;
    for (size_t i = 0; i < N_END_SIGNALS; i++)
        sigaction(end_signals[i], &saved_actions[i], NULL);
}

/* One line of in into buf (cap bytes), without its line ending; a line too long for buf reads as "" (not a
 * valid PIN). False at the end of input before a line. Reads a byte at a time, so on a terminal (unbuffered)
 * no copy of the PIN stays in stdio's buffer. */
static bool read_line(FILE *in, char *buf, size_t cap) {
    size_t n = 0;
    bool too_long = false;
    int ch;
    while ((ch = getc(in)) != EOF && ch != '\n') {
        if (n + 1 < cap)
            buf[n++] = (char)ch;
        else
            too_long = true;
    }
    if (ch == EOF && n == 0 && !too_long) return false;
    if (n && buf[n - 1] == '\r') n--;
    if (too_long) n = 0;
    buf[n] = '\0';
    return true;
}

static bool ask(FILE *in, bool tty, FILE *err, const char *prompt, char *buf, size_t cap) {
    if (tty) {
        fputs(prompt, err);
        fflush(err);
    }
    bool got = read_line(in, buf, cap);
    if (tty) fputc('\n', err); /* the Enter that was not echoed */
    if (!got) fprintf(err, "meistring: the input ended before the PIN; nothing was written\n");
    return got;
}

int kcfg_hash_pin_cli(FILE *in, FILE *out, FILE *err) {
    char first[64], again[64], hash[MS_KIOSK_PIN_HASH_MAX];
    int rc = 1, fd = fileno(in);
    bool tty = fd >= 0 && isatty(fd);
    if (tty) {
        setvbuf(in, NULL, _IONBF, 0); /* before any read: the PIN is not kept in a buffer we cannot wipe */
        if (!echo_off(fd)) {
            fprintf(err, "meistring: cannot turn off echo on the terminal: %s\n", strerror(errno));
            return 1;
        }
    }
    if (!ask(in, tty, err,
             "Staff PIN for the kiosk (" XSTR(MS_KIOSK_PIN_MIN_DIGITS) "-" XSTR(MS_KIOSK_PIN_MAX_DIGITS) " digits): ",
             first, sizeof first))
        goto done;
    if (!kcfg_pin_valid(first)) {
        fprintf(err, "meistring: a kiosk PIN is %d to %d digits and nothing else; nothing was written\n",
                MS_KIOSK_PIN_MIN_DIGITS, MS_KIOSK_PIN_MAX_DIGITS);
        goto done;
    }
    if (!ask(in, tty, err, "The same PIN again: ", again, sizeof again)) goto done;
    if (strcmp(first, again) != 0) {
        fprintf(err, "meistring: the two PINs differ; nothing was written\n");
        goto done;
    }
    echo_on();
    if (!kcfg_hash_pin(first, hash)) {
        fprintf(err, "meistring: libsodium could not hash the PIN (out of memory?)\n");
        goto done;
    }
    if (fprintf(out, "pin_hash = %s\n", hash) < 0 || fflush(out) != 0) {
        fprintf(err, "meistring: cannot write the hash: %s\n", strerror(errno));
        goto done;
    }
    rc = 0;
done:
    echo_on();
    sodium_memzero(first, sizeof first);
    sodium_memzero(again, sizeof again);
    return rc;
}
