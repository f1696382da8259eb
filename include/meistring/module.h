/* module.h — the client's own loadable modules (meistring-net.so: the network and its TLS stack; meistring-a11y.so:
 * the screen-reader bridge), each mapped only when it is needed (issue 14) and found the same way. Prefix module_. */
#ifndef MEISTRING_MODULE_H
#define MEISTRING_MODULE_H

#include <stddef.h>

/* dlopen()s the module file `file` (RTLD_NOW | RTLD_LOCAL) from, in order: `given` (a path on the command line), when
 * not NULL; the directory of the running program (build/ when run from the build tree or by ./quickstart); the
 * installed one (MEISTRING_NET_MODULE_DIR, the package's libdir/meistring). Never the working directory or an
 * environment variable: a module runs inside the patient's process. The path tried last is written to tried (for
 * the log). Returns the handle, or NULL (dlerror() says why). */
void *module_open(const char *given, const char *file, char *tried, size_t cap);

#endif
