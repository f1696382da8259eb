/* client_config.c — the tablet's /etc/meistring/client.conf; see client_config.h. The keys are a conf_schema,
 * read by conf.c as the kiosk's file is. */
#include "meistring/client_config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "meistring/conf.h"

static bool set_server(void *p, const char *v, conf_ctx *c) {
    ccfg *cfg = p;
    char q[CONF_SHOWN_MAX + 4];
    size_t n = strlen(v);
    bool https = strncmp(v, "https://", 8) == 0, http = strncmp(v, "http://", 7) == 0;
    if (!https && !http)
        return conf_fail(c, "\"%s\" is not a URL the tablet takes: give https://host (http:// only on this machine)",
                         conf_shown(v, n, q));
    if (n > MS_CLIENT_URL_MAX) return conf_fail(c, "%zu bytes long; at most %d", n, MS_CLIENT_URL_MAX);
    if (strpbrk(v, " \"<>\\^`{|}"))
        return conf_fail(c, "\"%s\" has a space or a character a URL cannot hold", conf_shown(v, n, q));
    memcpy(cfg->server, v, n + 1);
    return true;
}

/* curl's public-key pins: "sha256//" and 44 characters of base64 (a SHA-256), several (a backup key's among them)
 * joined by ';', as --pin takes them. */
static bool set_pin(void *p, const char *v, conf_ctx *c) {
    ccfg *cfg = p;
    char q[CONF_SHOWN_MAX + 4];
    size_t n = strlen(v);
    if (n > MS_CLIENT_PIN_MAX) return conf_fail(c, "%zu bytes long; at most %d", n, MS_CLIENT_PIN_MAX);
    const char *s = v;
    for (;;) {
        size_t b = strncmp(s, "sha256//", 8) == 0 ? strspn(s + 8, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                                                   "0123456789+/=")
                                                : 0;
        if (b != 44 || (s[8 + b] != '\0' && s[8 + b] != ';'))
            return conf_fail(c, "\"%s\" is not a pin \"sha256//\" + 44 characters of base64 (several joined by ';'); "
                                "docs/deploy.md has the command that prints it",
                             conf_shown(v, n, q));
        if (s[8 + b] == '\0') break;
        s += 8 + b + 1;
    }
    memcpy(cfg->pin, v, n + 1);
    return true;
}

static bool set_ca(void *p, const char *v, conf_ctx *c) {
    ccfg *cfg = p;
    size_t n = strlen(v);
    if (v[0] != '/') return conf_fail(c, "give the CA bundle as an absolute path (from /)");
    if (n > MS_CLIENT_CA_MAX) return conf_fail(c, "the path is %zu bytes; at most %d", n, MS_CLIENT_CA_MAX);
    memcpy(cfg->ca, v, n + 1);
    return true;
}

enum { K_SERVER, K_PIN, K_CA, N_KEYS };

static const conf_key keys[N_KEYS] = {
    [K_SERVER] = {"server", set_server, "The clinic's server: https://host; required."},
    [K_PIN] = {"pin", set_pin, "The server's public key pin, sha256//…; optional."},
    [K_CA] = {"ca", set_ca, "The region's CA bundle (PEM), an absolute path; optional."},
};

static bool check_whole(void *p, const int *seen, conf_ctx *c) {
    (void)p;
    if (seen[K_SERVER]) return true;
    c->key = "server";
    return conf_fail(c, "missing: the file is there to name the clinic's server (server = https://…)");
}

void ccfg_defaults(ccfg *cfg) { memset(cfg, 0, sizeof *cfg); }

static void defaults(void *cfg) { ccfg_defaults(cfg); }

static const conf_schema schema = {"the tablet's configuration", keys, N_KEYS, defaults, check_whole};

bool ccfg_parse(const char *text, size_t len, ccfg *cfg, char *err, size_t cap) {
    return conf_parse(&schema, text, len, cfg, err, cap);
}

bool ccfg_load(const char *path, ccfg *cfg, bool *absent, char *err, size_t cap) {
    struct stat st;
    *absent = lstat(path, &st) != 0 && errno == ENOENT;
    if (*absent) {
        ccfg_defaults(cfg);
        if (cap) err[0] = '\0';
        return false;
    }
    return conf_load(&schema, path, cfg, err, cap);
}
