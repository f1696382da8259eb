/* client_config.h — the tablet's configuration file, /etc/meistring/client.conf: the clinic's server (and how to
 * trust it) for a tablet that IT prepares, so the desktop launcher needs no options. The command line's --server,
 * --pin and --ca come first; the file is read only when no --server is given (and never by the kiosk). Read by
 * conf.h's strict reader: a mistake is refused whole, with the line and the key named. docs/deploy.md shows it.
 *
 *     server   https://host[:port][/path] (http:// only on loopback, as --server); required
 *     pin      the server's public key as curl's "sha256//<base64>", several joined by ';' (a backup key's); optional
 *     ca       an absolute path to the region's CA bundle (PEM) to trust instead of the system's; optional
 *
 * Ownership: a ccfg is the caller's storage (fixed arrays, nothing to free). Nothing here touches SDL or curl:
 * the URL's form is checked here, its host when the network module parses it. */
#ifndef MEISTRING_CLIENT_CONFIG_H
#define MEISTRING_CLIENT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "meistring/config.h"

typedef struct ccfg {
    char server[MS_CLIENT_URL_MAX + 1]; /* "" only in ccfg_defaults' result */
    char pin[MS_CLIENT_PIN_MAX + 1];    /* "": none */
    char ca[MS_CLIENT_CA_MAX + 1];      /* "": the system's CAs */
} ccfg;

/* Every key empty (zeroes the whole struct). */
void ccfg_defaults(ccfg *cfg);

/* Reads text[0..len); true when every line is valid and server is there, else false with err saying what and
 * where, and *cfg at its defaults. */
bool ccfg_parse(const char *text, size_t len, ccfg *cfg, char *err, size_t cap);

/* ccfg_parse of the file at path. *absent is set when the file does not exist (then false and err empty: no
 * file is no mistake); any other failure to read it is a mistake, with the path first in err. */
bool ccfg_load(const char *path, ccfg *cfg, bool *absent, char *err, size_t cap);

#endif
