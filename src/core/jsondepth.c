/* jsondepth.c — see jsondepth.h. */
#include "jsondepth.h"

bool json_nests_deeper_than(const char *s, size_t len, int limit) {
    int depth = 0;
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (in_str) {
            if (ch == '\\')
                i++;
            else if (ch == '"')
                in_str = false;
        } else if (ch == '"') {
            in_str = true;
        } else if (ch == '[' || ch == '{') {
            if (++depth > limit) return true;
        } else if (ch == ']' || ch == '}') {
            depth--;
        }
    }
    return false;
}

bool json_has_nul(const char *s, size_t len) {
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (ch == '\0') return true; /* a raw NUL byte: cJSON would stop reading there */
        if (in_str) {
            if (ch == '\\') {
                /* \u0000 (any case of hex digits is still zeros) decodes to a NUL inside a C string */
                if (i + 5 < len && s[i + 1] == 'u' && s[i + 2] == '0' && s[i + 3] == '0' && s[i + 4] == '0' &&
                    s[i + 5] == '0')
                    return true;
                i++;
            } else if (ch == '"') {
                in_str = false;
            }
        } else if (ch == '"') {
            in_str = true;
        }
    }
    return false;
}
