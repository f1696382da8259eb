/* image_internal.h — what image.c (the header checks) and image_decode.c (the decoders) share; private to
 * src/core. */
#ifndef MS_IMAGE_INTERNAL_H
#define MS_IMAGE_INTERNAL_H

#include <stddef.h>

/* Writes why a file is refused into why[0..cap) (either may be NULL/0: the caller does not want it). */
void image_say(char *why, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
