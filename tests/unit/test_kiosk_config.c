/* test_kiosk_config.c — the kiosk's configuration file (kcfg_): defaults, every key and its range, every way a
 * file is refused (each message naming its line and key, the config left at its defaults), CRLF and a BOM,
 * writing a file that reads back the same, and the staff PIN: hashed, checked, refused when wrong, and asked
 * for twice by `meistring --kiosk-hash-pin` from a pipe and from a terminal with echo off. */
#define _XOPEN_SOURCE 700 /* posix_openpt, for the terminal test */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "meistring/kiosk_config.h"

/* crypto_pwhash_str("123456") with the INTERACTIVE limits, made once: form checks need no hashing. */
#define HASH_123456 "$argon2id$v=19$m=65536,t=2,p=1$+fKEAJ9ocdkumnJsjRnYpQ$wJkwaQhbA53Or4eWUpz1XcT6Waxg+HteOy0+pkAwvXo"
#define PIN_LINE    "pin_hash = " HASH_123456 "\n"

static bool parse(const char *text, kcfg *cfg, char *err, size_t cap) {
    return kcfg_parse(text, strlen(text), cfg, err, cap);
}

static void assert_is_defaults(const kcfg *cfg) {
    kcfg d;
    kcfg_defaults(&d);
    assert_memory_equal(cfg, &d, sizeof d);
}

/* text[0..len) is refused, and the message has every one of the wanted pieces (a "line N:" among them). */
static void refused_n(const char *text, size_t len, const char *want1, const char *want2) {
    kcfg cfg;
    char err[512];
    if (kcfg_parse(text, len, &cfg, err, sizeof err)) fail_msg("accepted: %.*s", (int)len, text);
    if (!strstr(err, want1) || (want2 && !strstr(err, want2)))
        fail_msg("message \"%s\" lacks \"%s\" or \"%s\"", err, want1, want2 ? want2 : "");
    assert_is_defaults(&cfg);
}

static void refused(const char *text, const char *want1, const char *want2) {
    refused_n(text, strlen(text), want1, want2);
}

/* buf[0..cap - 1) of ch after first, NUL-terminated. */
static char *filled(char *buf, size_t cap, char first, char ch) {
    memset(buf, ch, cap - 1);
    buf[0] = first;
    buf[cap - 1] = '\0';
    return buf;
}

static void test_defaults(void **state) {
    (void)state;
    kcfg cfg;
    kcfg_defaults(&cfg);
    assert_int_equal(cfg.idle_timeout_s, 90);
    assert_int_equal(cfg.warning_s, 15);
    assert_string_equal(cfg.pin_hash, "");
    assert_string_equal(cfg.programme, "");
    assert_string_equal(cfg.language, "nb");
    assert_string_equal(cfg.clinic_name, "");
    assert_string_equal(cfg.clinic_phone, "");
    assert_true(cfg.read_aloud);
    assert_false(kcfg_check_pin(&cfg, "123456")); /* no hash: no PIN opens it */
}

static void test_only_the_pin(void **state) {
    (void)state;
    kcfg cfg, want;
    char err[256];
    assert_true(parse(PIN_LINE, &cfg, err, sizeof err));
    assert_string_equal(err, "");
    kcfg_defaults(&want);
    strcpy(want.pin_hash, HASH_123456);
    assert_memory_equal(&cfg, &want, sizeof want);
    /* no line ending at the end of the file */
    assert_true(parse("pin_hash = " HASH_123456, &cfg, err, sizeof err));
    assert_memory_equal(&cfg, &want, sizeof want);
}

static void test_every_key(void **state) {
    (void)state;
    kcfg cfg;
    char err[256];
    const char *text = "# Venterommet, 2. etasje\n"
                       "\n"
                       "   # an indented comment\n"
                       "idle_timeout=120\n"
                       "\twarning\t=\t30\t\n"
                       "  " PIN_LINE "programme = /srv/meistring/panikk #2\n"
                       "language = nn\n"
                       "clinic_name = DPS Nordbyen – Poliklinikk for unge vaksne\n"
                       "clinic_phone = +47 22 00 00 00\n"
                       "read_aloud = no\n"
                       "screen_reader = yes\n";
    assert_true(parse(text, &cfg, err, sizeof err));
    assert_int_equal(cfg.idle_timeout_s, 120);
    assert_int_equal(cfg.warning_s, 30);
    assert_string_equal(cfg.pin_hash, HASH_123456);
    assert_string_equal(cfg.programme, "/srv/meistring/panikk #2"); /* '#' inside a value is kept */
    assert_string_equal(cfg.language, "nn");
    assert_string_equal(cfg.clinic_name, "DPS Nordbyen – Poliklinikk for unge vaksne");
    assert_string_equal(cfg.clinic_phone, "+47 22 00 00 00");
    assert_false(cfg.read_aloud);
    assert_true(cfg.screen_reader);
    assert_true(parse(PIN_LINE "language = en\nread_aloud = yes\nclinic_phone = 113\n", &cfg, err, sizeof err));
    assert_string_equal(cfg.language, "en");
    assert_true(cfg.read_aloud);
    assert_false(cfg.screen_reader); /* a visitor's screen reader only where the clinic's file asks */
    assert_string_equal(cfg.clinic_phone, "113");
}

static void test_range_edges(void **state) {
    (void)state;
    kcfg cfg;
    char err[256];
    assert_true(parse(PIN_LINE "idle_timeout = 20\nwarning = 5\n", &cfg, err, sizeof err));
    assert_int_equal(cfg.idle_timeout_s, 20);
    assert_int_equal(cfg.warning_s, 5);
    assert_true(parse(PIN_LINE "idle_timeout = 3600\nwarning = 120\n", &cfg, err, sizeof err));
    assert_int_equal(cfg.idle_timeout_s, 3600);
    assert_int_equal(cfg.warning_s, 120);
    assert_true(parse(PIN_LINE "idle_timeout = 0041\nwarning = 020\n", &cfg, err, sizeof err)); /* leading 0s */
    assert_int_equal(cfg.idle_timeout_s, 41);
    assert_int_equal(cfg.warning_s, 20);
    /* a visitor has at least MS_KIOSK_QUIET_MIN_S before the warning: a default warning shrinks to leave it */
    assert_true(parse(PIN_LINE "idle_timeout = 20\n", &cfg, err, sizeof err));
    assert_int_equal(cfg.warning_s, 20 - MS_KIOSK_QUIET_MIN_S);
    assert_true(parse(PIN_LINE "idle_timeout = 29\n", &cfg, err, sizeof err));
    assert_int_equal(cfg.warning_s, 14);
    assert_true(parse(PIN_LINE "idle_timeout = 120\nwarning = 105\n", &cfg, err, sizeof err));
    assert_false(parse(PIN_LINE "idle_timeout = 120\nwarning = 106\n", &cfg, err, sizeof err));
    assert_non_null(strstr(err, "by 15 s at least"));
    char name[81], text[256];
    snprintf(text, sizeof text, PIN_LINE "clinic_name = %s\nclinic_phone = 12345678901234567890\n",
             filled(name, sizeof name, 'a', 'a'));
    assert_true(parse(text, &cfg, err, sizeof err));
    assert_string_equal(cfg.clinic_name, name);
    /* the longest line and the longest programme path */
    char *big = malloc(2048), path[MS_KIOSK_PROGRAMME_MAX + 1];
    snprintf(big, 2048, PIN_LINE "programme = %s\n#%01023d\n", filled(path, sizeof path, '/', 'p'), 0);
    assert_true(parse(big, &cfg, err, sizeof err));
    assert_string_equal(cfg.programme, path);
    free(big);
}

/* Refused files: the text (its length from sizeof, so NUL bytes count) and two pieces the message must have. */
typedef struct {
    const char *text;
    size_t len;
    const char *want1, *want2;
} refusal;
#define REFUSED(text, want1, want2)                                                                                    \
    { text, sizeof text - 1, want1, want2 }
#define REFUSED_ALL(table) refused_all(table, sizeof table / sizeof *table)

static void refused_all(const refusal *r, size_t n) {
    for (size_t i = 0; i < n; i++)
        refused_n(r[i].text, r[i].len, r[i].want1, r[i].want2);
}

static const refusal out_of_range[] = {
    REFUSED(PIN_LINE "idle_timeout = 19\n", "line 2: idle_timeout: ", "20 to 3600"),
    REFUSED(PIN_LINE "idle_timeout = 3601\n", "line 2: idle_timeout: ", "3601"),
    REFUSED(PIN_LINE "idle_timeout = 99999999999999999999\n", "line 2: idle_timeout: ", "out of range"),
    REFUSED(PIN_LINE "idle_timeout = 90s\n", "line 2: idle_timeout: ", "\"90s\""),
    REFUSED(PIN_LINE "idle_timeout = -5\n", "line 2: idle_timeout: ", "whole number"),
    REFUSED(PIN_LINE "idle_timeout = +90\n", "line 2: idle_timeout: ", "whole number"),
    REFUSED(PIN_LINE "idle_timeout = 9 0\n", "line 2: idle_timeout: ", "whole number"),
    REFUSED(PIN_LINE "warning = 4\n", "line 2: warning: ", "5 to 120"),
    REFUSED(PIN_LINE "warning = 121\n", "line 2: warning: ", "121"),
    /* the warning must be shorter than the idle time, whichever line comes first */
    REFUSED("warning = 30\n" PIN_LINE "idle_timeout = 30\n", "line 1: warning: ", "shorter than idle_timeout"),
    REFUSED(PIN_LINE "idle_timeout = 20\n\nwarning = 25\n", "line 4: warning: ", "(25 s)"),
};

#define SALT_HASH "$+fKEAJ9ocdkumnJsjRnYpQ$wJkwaQhbA53Or4eWUpz1XcT6Waxg+HteOy0+pkAwvXo"
static const refusal bad_values[] = {
    /* pin_hash: only a well-formed Argon2id string of a cost the kiosk can afford */
    REFUSED("pin_hash = 123456\n", "line 1: pin_hash: ", "--kiosk-hash-pin"),
    REFUSED("pin_hash = $2y$10$abcdefghijklmnopqrstuuKQoFMuhsYr8K4XoRqVEGvlAOd0yAw3a\n",
            "line 1: pin_hash: ", "not an Argon2id hash"),
    REFUSED("pin_hash = $argon2i$v=19$m=65536,t=2,p=1" SALT_HASH "\n", "line 1: pin_hash: ", "not an Argon2id hash"),
    REFUSED("pin_hash = $argon2id$v=19$m=65536,t=2,p=1$+fKEAJ9ocdkumnJsjRnYpQ$wJkwaQhb\n",
            "line 1: pin_hash: ", "not a well-formed"),
    REFUSED("pin_hash = $argon2id$v=19$m=065536,t=2,p=1" SALT_HASH "\n", "line 1: pin_hash: ", "not a well-formed"),
    REFUSED("pin_hash = $argon2id$v=19$m=1048576,t=4,p=1" SALT_HASH "\n", "line 1: pin_hash: ", "m=1048576 KiB, t=4"),
    REFUSED("pin_hash = $argon2id$v=19$m=4096,t=3,p=1" SALT_HASH "\n", "line 1: pin_hash: ", "m=4096 KiB, t=3"),
    REFUSED(PIN_LINE "programme = demo\n", "line 2: programme: ", "absolute"),
    REFUSED(PIN_LINE "language = se\n", "line 2: language: ", "\"se\""),
    REFUSED(PIN_LINE "language = NB\n", "line 2: language: ", "nb, nn, en"),
    REFUSED(PIN_LINE "read_aloud = ja\n", "line 2: read_aloud: ", "\"ja\""),
    REFUSED(PIN_LINE "read_aloud = yes please\n", "line 2: read_aloud: ", "yes nor no"),
    REFUSED(PIN_LINE "screen_reader = on\n", "line 2: screen_reader: ", "yes nor no"),
    REFUSED(PIN_LINE "clinic_name = DPS\tNordbyen\n", "line 2: clinic_name: ", "control character"),
    REFUSED(PIN_LINE "clinic_name = DPS\xC2\x85Nordbyen\n", "line 2: clinic_name: ", "control character"), /* NEL */
    REFUSED(PIN_LINE "clinic_name = DPS\rNordbyen\n", "line 2: clinic_name: ", "control character"),
    REFUSED(PIN_LINE "clinic_phone = 22-00-00-00\n", "line 2: clinic_phone: ", "\"22-00-00-00\""),
    REFUSED(PIN_LINE "clinic_phone = 47+22\n", "line 2: clinic_phone: ", "not a phone number"),
    REFUSED(PIN_LINE "clinic_phone = +\n", "line 2: clinic_phone: ", "not a phone number"),
    REFUSED(PIN_LINE "clinic_phone = ++47 22\n", "line 2: clinic_phone: ", "not a phone number"),
    REFUSED(PIN_LINE "clinic_phone = 123456789012345678901\n", "line 2: clinic_phone: ", "21 characters"),
};

static const refusal bad_lines[] = {
    REFUSED(PIN_LINE "idle_timout = 90\n", "line 2: ", "unknown key \"idle_timout\""),
    REFUSED(PIN_LINE "Language = nb\n", "line 2: ", "unknown key \"Language\""),
    REFUSED(PIN_LINE "idle\ttimeout\xC2\x9B = 90\n", "line 2: ", "unknown key \"idle?timeout??\""), /* a CSI */
    REFUSED("language = nb\n" PIN_LINE "language = en\n", "line 3: language: ", "given twice (first on line 1)"),
    REFUSED(PIN_LINE PIN_LINE, "line 2: pin_hash: ", "given twice"),
    REFUSED(PIN_LINE "\nread_aloud yes\n", "line 3: ", "no '='"),
    REFUSED(PIN_LINE "  = 90\n", "line 2: ", "no key"),
    REFUSED(PIN_LINE "programme =\n", "line 2: programme: ", "no value"),
    REFUSED(PIN_LINE "programme =   \t\n", "line 2: programme: ", "no value"),
    REFUSED("pin_hash =\n", "line 1: pin_hash: ", "no value"),
    REFUSED("# nothing here\n", "pin_hash: ", "missing"),
    REFUSED("", "pin_hash: ", "missing"),
};

static const refusal not_text[] = {
    REFUSED(PIN_LINE "clinic_name = DPS\0Nordbyen\n", "line 2: ", "NUL byte at column 18"),
    REFUSED(PIN_LINE "\n# \0\n", "line 3: ", "NUL"),
    REFUSED(PIN_LINE "clinic_name = Sm\xF8rbr\xF8"
                     "d\n",
            "line 2: ", "UTF-8"),                                          /* Latin-1 */
    REFUSED(PIN_LINE "# \xC0\xAF\n", "line 2: ", "UTF-8"),                 /* an overlong '/' */
    REFUSED(PIN_LINE "clinic_name = \xED\xA0\x80\n", "line 2: ", "UTF-8"), /* a surrogate */
    REFUSED("\xFF\xFEp\0i\0n\0", "line 1: ", "UTF-16"),
    REFUSED("\xFE\xFF\0p\0i\0n", "line 1: ", "UTF-16"),
};

static void test_out_of_range(void **state) {
    (void)state;
    REFUSED_ALL(out_of_range);
}

static void test_bad_values(void **state) {
    (void)state;
    REFUSED_ALL(bad_values);
    /* too long: a hash, a path, a name */
    char text[1024], path[MS_KIOSK_PROGRAMME_MAX + 2], name[82];
    snprintf(text, sizeof text, "pin_hash = %s%0150d\n", HASH_123456, 0);
    refused(text, "line 1: pin_hash: ", "too long");
    snprintf(text, sizeof text, PIN_LINE "programme = %s\n", filled(path, sizeof path, '/', 'p'));
    refused(text, "line 2: programme: ", "512 bytes");
    snprintf(text, sizeof text, PIN_LINE "clinic_name = %s\n", filled(name, sizeof name, 'a', 'a'));
    refused(text, "line 2: clinic_name: ", "81 bytes");
}

static void test_bad_lines(void **state) {
    (void)state;
    REFUSED_ALL(bad_lines);
    /* a line over MS_CONF_MAX_LINE bytes, even a comment */
    char *big = malloc(4096);
    snprintf(big, 4096, PIN_LINE "#%01024d\n", 0);
    refused(big, "line 2: ", "1025 bytes");
    free(big);
    /* a file over MS_CONF_MAX_BYTES, even of comments; one of exactly that many is read */
    size_t n = MS_CONF_MAX_BYTES + 1;
    char *huge = malloc(n), err[256];
    memset(huge, '\n', n);
    memcpy(huge, PIN_LINE, strlen(PIN_LINE));
    refused_n(huge, n, "65537 bytes", "at most 65536");
    kcfg cfg;
    assert_true(kcfg_parse(huge, n - 1, &cfg, err, sizeof err));
    free(huge);
}

static void test_not_text(void **state) {
    (void)state;
    REFUSED_ALL(not_text);
}

static void test_crlf(void **state) {
    (void)state;
    kcfg lf, crlf;
    char err[256];
    assert_true(parse(PIN_LINE "idle_timeout = 60\nclinic_name = DPS Nordbyen\n\n# x\n", &lf, err, sizeof err));
    assert_true(parse("pin_hash = " HASH_123456 "\r\nidle_timeout = 60\r\nclinic_name = DPS Nordbyen\r\n\r\n# x\r\n",
                      &crlf, err, sizeof err));
    assert_memory_equal(&lf, &crlf, sizeof lf);
    assert_string_equal(crlf.clinic_name, "DPS Nordbyen"); /* no '\r' kept */
    /* the line numbers count CRLF lines */
    refused("# a\r\n" PIN_LINE "warning = 1\r\n", "line 3: warning: ", NULL);
    refused(PIN_LINE "clinic_name = a\r\r\n", "line 2: clinic_name: ", "control"); /* only one CR is the ending */
}

static void test_bom(void **state) {
    (void)state;
    kcfg plain, bom;
    char err[256];
    assert_true(parse("idle_timeout = 60\n" PIN_LINE, &plain, err, sizeof err));
    assert_true(parse("\xEF\xBB\xBFidle_timeout = 60\n" PIN_LINE, &bom, err, sizeof err));
    assert_memory_equal(&plain, &bom, sizeof plain);
    assert_true(parse("\xEF\xBB\xBF" PIN_LINE, &bom, err, sizeof err));
    /* a BOM is taken at the start of the file only */
    refused(PIN_LINE "\xEF\xBB\xBFidle_timeout = 60\n", "line 2: ", "unknown key");
}

static void test_pin_round_trip(void **state) {
    (void)state;
    char hash[MS_KIOSK_PIN_HASH_MAX], text[256], err[256];
    kcfg cfg;
    struct timespec t0, t1, t2;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_true(kcfg_hash_pin("2468", hash));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_true(strncmp(hash, "$argon2id$v=19$m=65536,t=2,p=1$", 31) == 0);
    snprintf(text, sizeof text, "pin_hash = %s\n", hash);
    assert_true(parse(text, &cfg, err, sizeof err));
    assert_true(kcfg_check_pin(&cfg, "2468"));
    clock_gettime(CLOCK_MONOTONIC, &t2);
    print_message("kcfg_hash_pin %.3f s, kcfg_check_pin %.3f s\n",
                  (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
                  (double)(t2.tv_sec - t1.tv_sec) + (double)(t2.tv_nsec - t1.tv_nsec) / 1e9);
    /* the same PIN twice hashes differently (a fresh salt) */
    char again[MS_KIOSK_PIN_HASH_MAX];
    assert_true(kcfg_hash_pin("2468", again));
    assert_string_not_equal(hash, again);
    /* the hash made once, outside */
    assert_true(parse(PIN_LINE, &cfg, err, sizeof err));
    assert_true(kcfg_check_pin(&cfg, "123456"));
}

static void test_wrong_pin(void **state) {
    (void)state;
    kcfg cfg;
    char err[256];
    assert_true(parse(PIN_LINE, &cfg, err, sizeof err));
    assert_false(kcfg_check_pin(&cfg, "123457"));
    assert_false(kcfg_check_pin(&cfg, "1234567"));
    /* not a PIN at all: refused before any hashing */
    assert_false(kcfg_check_pin(&cfg, ""));
    assert_false(kcfg_check_pin(&cfg, "123456 "));
    assert_false(kcfg_check_pin(&cfg, "12345\n"));
}

static void test_pin_form(void **state) {
    (void)state;
    assert_true(kcfg_pin_valid("0000"));
    assert_true(kcfg_pin_valid("123456789012"));
    assert_false(kcfg_pin_valid("123"));
    assert_false(kcfg_pin_valid("1234567890123"));
    assert_false(kcfg_pin_valid("12a4"));
    assert_false(kcfg_pin_valid("-1234"));
    assert_false(kcfg_pin_valid("\xD9\xA1\xD9\xA2\xD9\xA3\xD9\xA4")); /* Arabic-Indic digits */
    char hash[MS_KIOSK_PIN_HASH_MAX] = "x";
    assert_false(kcfg_hash_pin("12", hash));
    assert_string_equal(hash, "");
}

/* kcfg_write's text, NUL-terminated (free it). */
static char *written(const kcfg *cfg) {
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    assert_non_null(f);
    assert_true(kcfg_write(f, cfg));
    fclose(f);
    return buf;
}

static void test_write_reads_back(void **state) {
    (void)state;
    kcfg cfg, back;
    char err[256];
    /* the sample: defaults and a PIN hash */
    kcfg_defaults(&cfg);
    strcpy(cfg.pin_hash, HASH_123456);
    char *text = written(&cfg);
    assert_non_null(strstr(text, "\nidle_timeout = 90\n"));
    assert_non_null(strstr(text, "\n# programme =\n")); /* the default: written as a comment */
    assert_true(parse(text, &back, err, sizeof err));
    assert_memory_equal(&cfg, &back, sizeof cfg);
    free(text);
    /* every key set */
    assert_true(parse(PIN_LINE "idle_timeout = 600\nwarning = 60\nprogramme = /srv/m\nlanguage = en\n"
                               "clinic_name = Klinikk # 3 – Ålesund\nclinic_phone = +47 70 00 00 00\nread_aloud = no\n"
                               "screen_reader = yes\n",
                      &cfg, err, sizeof err));
    text = written(&cfg);
    assert_true(parse(text, &back, err, sizeof err));
    assert_memory_equal(&cfg, &back, sizeof cfg);
    free(text);
    /* without a hash the sample is refused until one is filled in */
    kcfg_defaults(&cfg);
    text = written(&cfg);
    assert_non_null(strstr(text, "\n# pin_hash =\n"));
    refused(text, "pin_hash: ", "missing");
    free(text);
}

static void test_load(void **state) {
    (void)state;
    char dir[] = "/tmp/test_kiosk_config.XXXXXX", path[128], err[512];
    assert_non_null(mkdtemp(dir));
    kcfg cfg;
    snprintf(path, sizeof path, "%s/kiosk.conf", dir);
    /* missing */
    assert_false(kcfg_load(path, &cfg, err, sizeof err));
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "cannot read it"));
    /* valid */
    FILE *f = fopen(path, "w");
    fputs("language = en\n" PIN_LINE, f);
    fclose(f);
    assert_true(kcfg_load(path, &cfg, err, sizeof err));
    assert_string_equal(cfg.language, "en");
    assert_string_equal(err, "");
    /* a mistake: the path, then the line */
    f = fopen(path, "w");
    fputs(PIN_LINE "language = sv\n", f);
    fclose(f);
    assert_false(kcfg_load(path, &cfg, err, sizeof err));
    char want[256];
    snprintf(want, sizeof want, "%s: line 2: language: ", path);
    assert_non_null(strstr(err, want));
    assert_is_defaults(&cfg);
    /* too large: read no further than one byte past the cap */
    f = fopen(path, "w");
    fputs(PIN_LINE, f);
    for (unsigned i = 0; i < MS_CONF_MAX_BYTES; i++)
        fputc('\n', f);
    fclose(f);
    assert_false(kcfg_load(path, &cfg, err, sizeof err));
    assert_non_null(strstr(err, "65537 bytes"));
    /* not a regular file */
    assert_false(kcfg_load(dir, &cfg, err, sizeof err));
    assert_non_null(strstr(err, "not a regular file"));
    unlink(path);
    rmdir(dir);
}

static void test_small_error_buffer(void **state) {
    (void)state;
    kcfg cfg;
    char err[8];
    memset(err, 'x', sizeof err);
    assert_false(parse("idle_timout = 1\n", &cfg, err, sizeof err));
    assert_string_equal(err, "line 1:");
    assert_false(parse("idle_timeout = 1\n", &cfg, err, 1));
    assert_string_equal(err, "");
    assert_false(parse("idle_timeout = 1\n", &cfg, NULL, 0));
    assert_false(kcfg_load("/nonexistent/kiosk.conf", &cfg, NULL, 0));
    char mid[20];
    assert_false(parse(PIN_LINE "idle_timeout = 1\n", &cfg, mid, sizeof mid));
    assert_string_equal(mid, "line 2: idle_timeou"); /* cut inside the key, still terminated */
}

/* Runs the CLI on input; returns its status, with what it printed in out and err (free them). */
static int hash_cli(const char *input, char **out, char **err) {
    size_t on = 0, en = 0;
    FILE *in = fmemopen((void *)input, strlen(input), "r");
    FILE *o = open_memstream(out, &on), *e = open_memstream(err, &en);
    assert_true(in && o && e);
    int rc = kcfg_hash_pin_cli(in, o, e);
    fclose(in);
    fclose(o);
    fclose(e);
    return rc;
}

static void test_hash_pin_cli(void **state) {
    (void)state;
    char *out, *err, msg[256];
    kcfg cfg;
    assert_int_equal(hash_cli("97531\r\n97531\r\n", &out, &err), 0);
    assert_string_equal(err, ""); /* no prompts when the input is not a terminal */
    assert_true(strncmp(out, "pin_hash = $argon2id$", 21) == 0);
    assert_true(parse(out, &cfg, msg, sizeof msg));
    assert_true(kcfg_check_pin(&cfg, "97531"));
    free(out);
    free(err);
    static const struct {
        const char *input, *said;
    } bad[] = {
        {"1234\n4321\n", "differ"},
        {"12\n12\n", "4 to 12 digits"},
        {"12 34\n12 34\n", "4 to 12 digits"},
        {"1234567890123\n1234567890123\n", "4 to 12 digits"},
        {"11111111111111111111111111111111111111111111111111111111111111111111111111\n", "4 to 12 digits"},
        {"1234\n", "ended"},
        {"", "ended"},
        {"1234\n1234", ""}, /* the second line without its ending is taken: checked below */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int rc = hash_cli(bad[i].input, &out, &err);
        if (!bad[i].said[0]) {
            assert_int_equal(rc, 0);
        } else {
            if (rc != 1 || out[0] || !strstr(err, bad[i].said))
                fail_msg("input \"%s\": rc %d, out \"%s\", err \"%s\"", bad[i].input, rc, out, err);
        }
        free(out);
        free(err);
    }
}

/* The same from a terminal: prompts on err, nothing echoed while the PIN is typed, echo back on afterwards. */
static void test_hash_pin_cli_terminal(void **state) {
    (void)state;
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
        if (master >= 0) close(master);
        skip();
    }
    int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    assert_true(slave >= 0);
    struct termios tio;
    assert_int_equal(tcgetattr(slave, &tio), 0);
    assert_true(tio.c_lflag & ECHO);
    pid_t typist = fork();
    assert_true(typist >= 0);
    if (typist == 0) { /* types both PINs once echo is off (as a person would after the prompt), or after 5 s */
        struct termios now;
        int waited = 0;
        while (waited++ < 500 && !(tcgetattr(slave, &now) == 0 && !(now.c_lflag & ECHO)))
            nanosleep(&(struct timespec){.tv_nsec = 10000000}, NULL);
        _exit(write(master, "8642\n8642\n", 10) != 10 ? 1 : waited > 500 ? 2 : 0);
    }
    FILE *in = fdopen(dup(slave), "r");
    char *out, *err;
    size_t on = 0, en = 0;
    FILE *o = open_memstream(&out, &on), *e = open_memstream(&err, &en);
    int rc = kcfg_hash_pin_cli(in, o, e);
    fclose(in);
    fclose(o);
    fclose(e);
    int status;
    assert_int_equal(waitpid(typist, &status, 0), typist);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(err, "Staff PIN for the kiosk (4-12 digits): "));
    assert_non_null(strstr(err, "The same PIN again: "));
    assert_true(strncmp(out, "pin_hash = $argon2id$", 21) == 0);
    /* echo is back on, and nothing the typist wrote came back on the terminal */
    assert_int_equal(tcgetattr(slave, &tio), 0);
    assert_true(tio.c_lflag & ECHO);
    char echoed[256] = "";
    fcntl(master, F_SETFL, O_NONBLOCK);
    ssize_t n = read(master, echoed, sizeof echoed - 1);
    echoed[n > 0 ? n : 0] = '\0';
    assert_null(strstr(echoed, "8642"));
    free(out);
    free(err);
    close(slave);
    close(master);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),       cmocka_unit_test(test_only_the_pin),
        cmocka_unit_test(test_every_key),      cmocka_unit_test(test_range_edges),
        cmocka_unit_test(test_out_of_range),   cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_bad_lines),      cmocka_unit_test(test_not_text),
        cmocka_unit_test(test_crlf),           cmocka_unit_test(test_bom),
        cmocka_unit_test(test_pin_round_trip), cmocka_unit_test(test_wrong_pin),
        cmocka_unit_test(test_pin_form),       cmocka_unit_test(test_write_reads_back),
        cmocka_unit_test(test_load),           cmocka_unit_test(test_small_error_buffer),
        cmocka_unit_test(test_hash_pin_cli),   cmocka_unit_test(test_hash_pin_cli_terminal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
