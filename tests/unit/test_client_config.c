/* test_client_config.c — the tablet's /etc/meistring/client.conf (ccfg_, read by conf.c as the kiosk's file is):
 * each key taken in its forms, each refused with its line and key named and the config left empty, the file
 * required to name the server, and a missing file told apart from a broken one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "meistring/client_config.h"

#define PIN_A "sha256//YhKJKSzoTt2b5FP18fvpHo7fJYqQCjAa3HWY3tvRMwE="
#define PIN_B "sha256//sRHdihwgkaib1P1gxX8HFszlD+7/gTfNvuAybgLPNis="

static void taken(const char *text, const char *server, const char *pin, const char *ca) {
    ccfg cfg;
    char err[512];
    bool ok = ccfg_parse(text, strlen(text), &cfg, err, sizeof err);
    if (!ok) fprintf(stderr, "refused: %s\n", err);
    assert_true(ok);
    assert_string_equal(cfg.server, server);
    assert_string_equal(cfg.pin, pin);
    assert_string_equal(cfg.ca, ca);
}

static void refused(const char *text, const char *want1, const char *want2) {
    ccfg cfg, empty;
    char err[512];
    assert_false(ccfg_parse(text, strlen(text), &cfg, err, sizeof err));
    if (!strstr(err, want1) || (want2 && !strstr(err, want2))) fprintf(stderr, "message: %s\n", err);
    assert_non_null(strstr(err, want1));
    if (want2) assert_non_null(strstr(err, want2));
    ccfg_defaults(&empty);
    assert_memory_equal(&cfg, &empty, sizeof cfg); /* nothing half-read */
}

static void test_keys(void **state) {
    (void)state;
    taken("server = https://meistring.example.org\n", "https://meistring.example.org", "", "");
    taken("\xEF\xBB\xBF# Region Nord\r\nserver=https://m.example.org:8443/api\r\npin = " PIN_A ";" PIN_B
          "\r\nca = /etc/ssl/region.pem\r\n",
          "https://m.example.org:8443/api", PIN_A ";" PIN_B, "/etc/ssl/region.pem");
    taken("server = http://127.0.0.1:8080\n", "http://127.0.0.1:8080", "", "");
}

static void test_refused(void **state) {
    (void)state;
    refused("", "server: missing", NULL);
    refused("pin = " PIN_A "\n", "server: missing", NULL);
    refused("server = meistring.example.org\n", "line 1: server:", "https://");
    refused("server = ftp://x\n", "line 1: server:", NULL);
    refused("server = https://a b\n", "line 1: server:", "space");
    refused("server = https://a\nserver = https://b\n", "line 2: server: given twice (first on line 1)", NULL);
    refused("server = https://a\npin = sha256//short\n", "line 2: pin:", "44 characters");
    refused("server = https://a\npin = " PIN_A ";\n", "line 2: pin:", NULL);
    refused("server = https://a\npin = md5//" PIN_A "\n", "line 2: pin:", NULL);
    refused("server = https://a\nca = region.pem\n", "line 2: ca:", "absolute");
    refused("server = https://a\nproxy = http://p\n", "line 2: unknown key \"proxy\"", "server, pin, ca");
    refused("server = https://a\nca =\n", "line 2: ca: no value", NULL);
    refused("server = https://a\n\xFF\n", "line 2:", "UTF-8");
    refused("\xFF\xFEs\0", "UTF-16", NULL);
}

static void test_load(void **state) {
    (void)state;
    char dir[] = "/tmp/ccfg-XXXXXX", path[64], err[512];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/client.conf", dir);
    ccfg cfg;
    bool absent = false;
    /* no file: not a mistake, and said apart from one */
    assert_false(ccfg_load(path, &cfg, &absent, err, sizeof err));
    assert_true(absent);
    assert_string_equal(err, "");
    FILE *f = fopen(path, "w");
    fputs("server = https://meistring.example.org\nca = /etc/ssl/region.pem\n", f);
    fclose(f);
    assert_true(ccfg_load(path, &cfg, &absent, err, sizeof err));
    assert_false(absent);
    assert_string_equal(cfg.ca, "/etc/ssl/region.pem");
    /* a broken one names its path and line */
    f = fopen(path, "w");
    fputs("server = https://meistring.example.org\nca = region.pem\n", f);
    fclose(f);
    assert_false(ccfg_load(path, &cfg, &absent, err, sizeof err));
    assert_false(absent);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "line 2: ca:"));
    /* a directory where the file should be */
    unlink(path);
    char sub[80];
    snprintf(sub, sizeof sub, "%s/client.conf", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    assert_false(ccfg_load(sub, &cfg, &absent, err, sizeof err));
    assert_false(absent);
    assert_non_null(strstr(err, "not a regular file"));
    rmdir(sub);
    rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
