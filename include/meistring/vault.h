/* vault.h — encryption at rest for what the patient and the therapist write (messages, drafts, answers, the
 * outbox) and for the device token. libsodium's XChaCha20-Poly1305 (IETF): a random 24-byte nonce per value,
 * and associated data naming the row ("message/c/<id>"), so a value moved to another row fails to open.
 *
 * Keys: each store has its own random data key (made when the store is created, i.e. per enrolment). It is kept
 * in the database only wrapped — sealed under the device key, a 32-byte random file outside the database
 * (see store_open). What this protects against, and what not, is in docs/encryption.md.
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

/* Zeroes memory the compiler may not optimise away (keys, plaintext copies). */
void vault_wipe(void *p, size_t len);

#endif
