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
