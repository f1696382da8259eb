/* module.c — see module.h. */
#include "meistring/module.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void *module_open(const char *given, const char *file, char *tried, size_t cap) {
    if (given) {
        snprintf(tried, cap, "%s", given);
        return dlopen(given, RTLD_NOW | RTLD_LOCAL);
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash && (size_t)(slash - exe) + 1 + strlen(file) < sizeof exe) {
            strcpy(slash + 1, file);
            if (access(exe, F_OK) == 0) {
                snprintf(tried, cap, "%s", exe);
                return dlopen(exe, RTLD_NOW | RTLD_LOCAL);
            }
        }
    }
    snprintf(tried, cap, "%s/%s", MEISTRING_NET_MODULE_DIR, file);
    return dlopen(tried, RTLD_NOW | RTLD_LOCAL);
}
