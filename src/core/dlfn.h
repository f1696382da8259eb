/* dlfn.h — a function out of a library opened on demand with dlopen: the speech engine (tts.c), libjpeg
 * (image_decode.c) and the network module (sync_http.c) are each mapped only when first needed (issue 14), and
 * each takes its functions through this one helper. Prefix dlfn_. */
#ifndef MEISTRING_CORE_DLFN_H
#define MEISTRING_CORE_DLFN_H

#include <dlfcn.h>
#include <stdbool.h>
#include <string.h>

/* The function `name` of the open library lib into *fn (a pointer to a function pointer); false when it has
 * none. ISO C has no cast from void * to a function pointer; POSIX makes this copy safe. */
static inline bool dlfn_get(void *lib, const char *name, void *fn) {
    void *p = dlsym(lib, name);
    if (!p) return false;
    memcpy(fn, &p, sizeof p);
    return true;
}

#endif
