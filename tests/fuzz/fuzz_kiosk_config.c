/* fuzz_kiosk_config.c — libFuzzer target for the files in /etc/meistring, read by one strict reader (conf.c): the
 * kiosk's configuration (src/core/kiosk_config.c), a file a clinic's staff wrote by hand, in any editor, read
 * with kcfg_parse; and the same bytes as the tablet's (client_config.c, ccfg_parse).
 *
 * Input: the file's bytes. A refused file leaves the defaults and a message that starts with its line (or the
 * key, or the file's size), in valid UTF-8 without control characters. An accepted one keeps every promise of
 * kiosk_config.h (ranges, the warning below the idle time, an Argon2id hash, an absolute programme, the clinic's
 * strings), and kcfg_write writes it as a file that reads back to the same bytes. No PIN is hashed: one check
 * costs 0.16 s. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meistring/client_config.h"
#include "meistring/kiosk_config.h"
#include "meistring/utf8.h"

#define CHECK(cond)                                                                                                    \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            fprintf(stderr, "fuzz_kiosk_config: %s:%d: %s does not hold\n", __FILE__, __LINE__, #cond);                \
            __builtin_trap();                                                                                          \
        }                                                                                                              \
    } while (0)

/* A string: NUL-terminated inside its array, valid UTF-8, no control characters (C0, DEL, C1). */
static bool clean(const char *s, size_t cap) {
    size_t n = strnlen(s, cap);
    if (n == cap || !utf8_valid(s, n)) return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x20 || b == 0x7F || (b == 0xC2 && (unsigned char)s[i + 1] < 0xA0)) return false; /* C0, DEL, C1 */
    }
    return true;
}

static void check_accepted(const kcfg *cfg) {
    CHECK(cfg->idle_timeout_s >= MS_KIOSK_IDLE_MIN_S && cfg->idle_timeout_s <= MS_KIOSK_IDLE_MAX_S);
    CHECK(cfg->warning_s >= MS_KIOSK_WARNING_MIN_S && cfg->warning_s <= MS_KIOSK_WARNING_MAX_S);
    CHECK(cfg->warning_s < cfg->idle_timeout_s);
    CHECK(clean(cfg->pin_hash, sizeof cfg->pin_hash) && strncmp(cfg->pin_hash, "$argon2id$v=19$m=", 17) == 0);
    CHECK(clean(cfg->programme, sizeof cfg->programme) && (!cfg->programme[0] || cfg->programme[0] == '/'));
    CHECK(!strcmp(cfg->language, "nb") || !strcmp(cfg->language, "nn") || !strcmp(cfg->language, "en"));
    CHECK(clean(cfg->clinic_name, sizeof cfg->clinic_name));
    CHECK(clean(cfg->clinic_phone, sizeof cfg->clinic_phone));
    size_t plus = cfg->clinic_phone[0] == '+';
    CHECK(strspn(cfg->clinic_phone + plus, "0123456789 ") == strlen(cfg->clinic_phone + plus));
    /* a PIN that is not 4-12 digits is refused before anything is hashed */
    CHECK(!kcfg_check_pin(cfg, "12a4"));
}

static void check_round_trip(const kcfg *cfg) {
    char *text = NULL, err[512];
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    CHECK(f && kcfg_write(f, cfg));
    fclose(f);
    kcfg back;
    if (!kcfg_parse(text, n, &back, err, sizeof err)) {
        fprintf(stderr, "fuzz_kiosk_config: written back and refused: %s\n%s", err, text);
        CHECK(false);
    }
    CHECK(memcmp(cfg, &back, sizeof back) == 0);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    kcfg cfg, dflt;
    char err[512];
    kcfg_defaults(&dflt);
    memset(err, 'x', sizeof err);
    if (kcfg_parse((const char *)data, size, &cfg, err, sizeof err)) {
        CHECK(err[0] == '\0');
        check_accepted(&cfg);
        check_round_trip(&cfg);
    } else {
        CHECK(memcmp(&cfg, &dflt, sizeof cfg) == 0);
        CHECK(clean(err, sizeof err));
        CHECK(!strncmp(err, "line ", 5) || !strncmp(err, "pin_hash: ", 10) || !strncmp(err, "the file is ", 12));
    }
    /* the tablet's file: the same reader, its own keys */
    ccfg cc, cempty;
    ccfg_defaults(&cempty);
    memset(err, 'x', sizeof err);
    if (ccfg_parse((const char *)data, size, &cc, err, sizeof err)) {
        CHECK(err[0] == '\0');
        CHECK(clean(cc.server, sizeof cc.server) && (!strncmp(cc.server, "https://", 8) || !strncmp(cc.server, "http://", 7)));
        CHECK(!strpbrk(cc.server, " \"<>\\^`{|}"));
        CHECK(clean(cc.pin, sizeof cc.pin) && (!cc.pin[0] || !strncmp(cc.pin, "sha256//", 8)));
        CHECK(clean(cc.ca, sizeof cc.ca) && (!cc.ca[0] || cc.ca[0] == '/'));
    } else {
        CHECK(memcmp(&cc, &cempty, sizeof cc) == 0);
        CHECK(clean(err, sizeof err));
        CHECK(!strncmp(err, "line ", 5) || !strncmp(err, "server: ", 8) || !strncmp(err, "the file is ", 12));
    }
    /* a small buffer: cut, never overrun, always terminated */
    char tiny[12];
    memset(tiny, 'x', sizeof tiny);
    if (!kcfg_parse((const char *)data, size, &cfg, tiny, sizeof tiny)) CHECK(memchr(tiny, '\0', sizeof tiny));
    return 0;
}
