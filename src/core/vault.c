/* vault.c — see vault.h. Thin on purpose: libsodium does the cryptography; this file fixes the format and the
 * key file's life cycle. */
#include "meistring/vault.h"

#include "meistring/config.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define VAULT_VERSION 1
#define NONCE         crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG           crypto_aead_xchacha20poly1305_ietf_ABYTES

_Static_assert(VAULT_KEY_BYTES == crypto_aead_xchacha20poly1305_ietf_KEYBYTES, "key size");
_Static_assert(VAULT_OVERHEAD == 1 + NONCE + TAG, "overhead");

bool vault_init(void) { return sodium_init() >= 0; } /* 1 when already done: also fine */

void vault_random_key(unsigned char key[VAULT_KEY_BYTES]) { crypto_aead_xchacha20poly1305_ietf_keygen(key); }

void vault_wipe(void *p, size_t len) { sodium_memzero(p, len); }

static bool read_key(int fd, unsigned char key[VAULT_KEY_BYTES]) {
    size_t got = 0;
    while (got < VAULT_KEY_BYTES) {
        ssize_t n = read(fd, key + got, VAULT_KEY_BYTES - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        got += (size_t)n;
    }
    char extra;
    return read(fd, &extra, 1) == 0; /* exactly 32 bytes: anything else is not our key file */
}

/* The new key goes to a temporary name, is fsynced, then linked into place: a reader never sees a short file,
 * and when two processes race, link() lets exactly one win and the other reads the winner's key. */
static bool create_key(const char *path, unsigned char key[VAULT_KEY_BYTES], char *err, size_t errcap) {
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
    int fd = mkstemp(tmp); /* mode 0600 */
    if (fd < 0) {
        snprintf(err, errcap, "cannot create the device key next to %s: %s", path, strerror(errno));
        return false;
    }
    vault_random_key(key);
    bool ok = write(fd, key, VAULT_KEY_BYTES) == VAULT_KEY_BYTES && fsync(fd) == 0;
    close(fd);
    if (ok && link(tmp, path) != 0) {
        ok = false;
        if (errno == EEXIST) { /* another process made it first */
            unlink(tmp);
            return vault_device_key(path, false, key, err, errcap);
        }
    }
    unlink(tmp);
    if (!ok) {
        snprintf(err, errcap, "cannot write the device key %s: %s", path, strerror(errno));
        vault_wipe(key, VAULT_KEY_BYTES);
        return false;
    }
    /* the directory entry must be durable too, or a power cut could lose the key of committed data */
    char dir[1100];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash) *slash = '\0';
    int dfd = open(slash ? (dir[0] ? dir : "/") : ".", O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return true;
}

bool vault_device_key(const char *path, bool create, unsigned char key[VAULT_KEY_BYTES], char *err, size_t errcap) {
    if (!vault_init()) {
        snprintf(err, errcap, "libsodium cannot start (no randomness?)");
        return false;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT && create) return create_key(path, key, err, errcap);
        snprintf(err, errcap, "cannot read the device key %s: %s", path, strerror(errno));
        return false;
    }
    bool ok = read_key(fd, key);
    close(fd);
    if (!ok) {
        snprintf(err, errcap, "the device key %s is not 32 bytes", path);
        vault_wipe(key, VAULT_KEY_BYTES);
    }
    return ok;
}

unsigned char *vault_seal(const unsigned char key[VAULT_KEY_BYTES], const char *ad, const void *plain, size_t len,
                          size_t *outlen) {
    *outlen = 0;
    if (len > SIZE_MAX - VAULT_OVERHEAD) return NULL;
    unsigned char *out = malloc(len + VAULT_OVERHEAD);
    if (!out) return NULL;
    out[0] = VAULT_VERSION;
    randombytes_buf(out + 1, NONCE);
    unsigned long long clen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(out + 1 + NONCE, &clen, plain, len, (const unsigned char *)ad,
                                               strlen(ad), NULL, out + 1, key);
    *outlen = 1 + NONCE + (size_t)clen;
    return out;
}

unsigned char *vault_open(const unsigned char key[VAULT_KEY_BYTES], const char *ad, const void *sealed, size_t len,
                          size_t *outlen) {
    *outlen = 0;
    const unsigned char *in = sealed;
    if (!in || len < VAULT_OVERHEAD || in[0] != VAULT_VERSION) return NULL;
    unsigned char *out = malloc(len - VAULT_OVERHEAD + 1);
    if (!out) return NULL;
    unsigned long long plen = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, &plen, NULL, in + 1 + NONCE, len - 1 - NONCE,
                                                   (const unsigned char *)ad, strlen(ad), in + 1, key) != 0) {
        free(out);
        return NULL;
    }
    out[plen] = '\0';
    *outlen = (size_t)plen;
    return out;
}

/* ---- the PIN ------------------------------------------------------------------------------------------------ */

void vault_pin_params_new(vault_pin_params *pp) {
    randombytes_buf(pp->salt, sizeof pp->salt);
    pp->ops = MS_PIN_ARGON_OPS;
    pp->mem = MS_PIN_ARGON_MEM;
}

static void put_u64(unsigned char *p, unsigned long long v) {
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static unsigned long long get_u64(const unsigned char *p) {
    unsigned long long v = 0;
    for (int i = 0; i < 8; i++)
        v |= (unsigned long long)p[i] << (8 * i);
    return v;
}

void vault_pin_params_pack(const vault_pin_params *pp, unsigned char out[VAULT_PIN_PARAMS_BYTES]) {
    memcpy(out, pp->salt, VAULT_SALT_BYTES);
    put_u64(out + VAULT_SALT_BYTES, pp->ops);
    put_u64(out + VAULT_SALT_BYTES + 8, pp->mem);
}

bool vault_pin_params_unpack(const unsigned char *in, size_t len, vault_pin_params *pp) {
    if (!in || len != VAULT_PIN_PARAMS_BYTES) return false;
    memcpy(pp->salt, in, VAULT_SALT_BYTES);
    pp->ops = get_u64(in + VAULT_SALT_BYTES);
    pp->mem = get_u64(in + VAULT_SALT_BYTES + 8);
    return pp->ops >= crypto_pwhash_OPSLIMIT_MIN && pp->ops <= MS_PIN_ARGON_OPS_MAX &&
           pp->mem >= crypto_pwhash_MEMLIMIT_MIN && pp->mem <= MS_PIN_ARGON_MEM_MAX;
}

bool vault_pin_key(const char *pin, const vault_pin_params *pp, const unsigned char device_key[VAULT_KEY_BYTES],
                   unsigned char out[VAULT_KEY_BYTES]) {
    unsigned char slow[VAULT_KEY_BYTES];
    if (crypto_pwhash(slow, sizeof slow, pin, strlen(pin), pp->salt, pp->ops, (size_t)pp->mem,
                      crypto_pwhash_ALG_ARGON2ID13) != 0)
        return false;
    /* the device key as BLAKE2b's key: without the file, the slow half alone is worth nothing */
    crypto_generichash(out, VAULT_KEY_BYTES, slow, sizeof slow, device_key, VAULT_KEY_BYTES);
    sodium_memzero(slow, sizeof slow);
    return true;
}

void vault_pin_fingerprint(const char *pin, const vault_pin_params *pp, const unsigned char device_key[VAULT_KEY_BYTES],
                           unsigned char out[VAULT_PIN_FP_BYTES]) {
    crypto_generichash_state h;
    crypto_generichash_init(&h, device_key, VAULT_KEY_BYTES, VAULT_PIN_FP_BYTES);
    static const char tag[] = "meistring pin fingerprint v1";
    crypto_generichash_update(&h, (const unsigned char *)tag, sizeof tag);
    crypto_generichash_update(&h, pp->salt, sizeof pp->salt);
    crypto_generichash_update(&h, (const unsigned char *)pin, strlen(pin));
    crypto_generichash_final(&h, out, VAULT_PIN_FP_BYTES);
    sodium_memzero(&h, sizeof h);
}

void vault_recovery_key(const unsigned char device_key[VAULT_KEY_BYTES], unsigned char out[VAULT_KEY_BYTES]) {
    static const char tag[] = "meistring recovery wrap v1";
    crypto_generichash(out, VAULT_KEY_BYTES, (const unsigned char *)tag, sizeof tag, device_key, VAULT_KEY_BYTES);
}
