/* vault.h — encryption at rest for what the patient and the therapist write (messages, drafts, answers, the
 * outbox) and for the device token. libsodium's XChaCha20-Poly1305 (IETF): a random 24-byte nonce per value,
 * and associated data naming the row ("message/c/<id>"), so a value moved to another row fails to open.
 *
 * Keys: each store has its own random data key (made when the store is created, i.e. per enrolment). It is kept
 * in the database only wrapped: before the patient has chosen a PIN, under the device key (a 32-byte random file
 * outside the database); after, under a key from the PIN and the device key together (vault_pin_key), so neither
 * the file nor the PIN alone opens anything. The server keeps one more wrap, under vault_recovery_key, for a
 * forgotten PIN. What this protects against, and what not, is in docs/encryption.md.
 *
 * Sealed values are self-describing: 1 version byte, 24 nonce bytes, ciphertext, 16 tag bytes. Buffers returned
 * are the caller's to free; key buffers the caller owns should be wiped with vault_wipe. */
#ifndef MEISTRING_VAULT_H
#define MEISTRING_VAULT_H

#include <stdbool.h>
#include <stddef.h>

#define VAULT_KEY_BYTES 32
#define VAULT_OVERHEAD  (1 + 24 + 16) /* version + nonce + tag */

/* Initialises libsodium once; false when the system cannot give it randomness. Safe from any thread. */
bool vault_init(void);

/* Fills key with fresh random bytes. */
void vault_random_key(unsigned char key[VAULT_KEY_BYTES]);

/* Reads the device key from path, creating it (mode 0600, written and fsynced before use) when create is true
 * and it does not exist. Two processes creating it at once agree on one key. */
bool vault_device_key(const char *path, bool create, unsigned char key[VAULT_KEY_BYTES], char *err, size_t errcap);

/* Seals len bytes under key, bound to ad (a NUL-terminated row name). Returns len + VAULT_OVERHEAD bytes. */
unsigned char *vault_seal(const unsigned char key[VAULT_KEY_BYTES], const char *ad, const void *plain, size_t len,
                          size_t *outlen);

/* Opens a sealed value: NULL when it was made under another key or row name, or was changed in any way.
 * The result has a NUL after its *outlen bytes, so text can be used as a string. */
unsigned char *vault_open(const unsigned char key[VAULT_KEY_BYTES], const char *ad, const void *sealed, size_t len,
                          size_t *outlen);

/* ---- the PIN ------------------------------------------------------------------------------------------------
 * The key that wraps the data key once the patient has a PIN: Argon2id(PIN, salt) at the cost in params, then
 * keyed BLAKE2b under the device key. The Argon2id step is what makes each guess slow (MS_PIN_ARGON_* in config.h:
 * measured figures there); the device key step means a copied database alone cannot be attacked offline at
 * all. params travel with the wrap (store.c), so a later release can raise the cost for new PINs. */
#define VAULT_SALT_BYTES 16
typedef struct {
    unsigned char salt[VAULT_SALT_BYTES];
    unsigned long long ops; /* crypto_pwhash opslimit */
    unsigned long long mem; /* crypto_pwhash memlimit, bytes */
} vault_pin_params;
#define VAULT_PIN_PARAMS_BYTES (VAULT_SALT_BYTES + 16) /* the stored form: salt, ops, mem (little-endian u64) */

/* A fresh salt and today's cost. */
void vault_pin_params_new(vault_pin_params *pp);
void vault_pin_params_pack(const vault_pin_params *pp, unsigned char out[VAULT_PIN_PARAMS_BYTES]);
/* false for a cost outside what libsodium accepts or MS_PIN_ARGON_MEM_MAX (a damaged or hostile file must not
 * make the tablet allocate gigabytes) */
bool vault_pin_params_unpack(const unsigned char *in, size_t len, vault_pin_params *pp);
/* Slow on purpose (Argon2id): run it off the UI thread. false only when memory for Argon2id is short. */
bool vault_pin_key(const char *pin, const vault_pin_params *pp, const unsigned char device_key[VAULT_KEY_BYTES],
                   unsigned char out[VAULT_KEY_BYTES]);
/* A short keyed fingerprint of a PIN, so the same wrong PIN typed twice counts once (lockout.h) without keeping
 * the PIN: BLAKE2b-128 under the device key, salted. It reveals only whether two wrong PINs were the same. */
#define VAULT_PIN_FP_BYTES 16
void vault_pin_fingerprint(const char *pin, const vault_pin_params *pp, const unsigned char device_key[VAULT_KEY_BYTES],
                           unsigned char out[VAULT_PIN_FP_BYTES]);
/* The key of the recovery wrap the server keeps (store_recovery_wrap): derived from the device key alone, so the
 * server's copy is useless without the tablet, and the tablet holds no copy of the wrap itself. */
void vault_recovery_key(const unsigned char device_key[VAULT_KEY_BYTES], unsigned char out[VAULT_KEY_BYTES]);

/* Zeroes memory the compiler may not optimise away (keys, plaintext copies). */
void vault_wipe(void *p, size_t len);

#endif
