/* jsondepth.h — how deep JSON text nests, counted on the raw bytes before any parser sees them: cJSON recurses
 * per level, so a hostile document of a million '[' must be refused before it is parsed. Internal to core. */
#ifndef MS_JSONDEPTH_H
#define MS_JSONDEPTH_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..len) opens more than limit nested arrays/objects (brackets inside strings do not count). */
bool json_nests_deeper_than(const char *s, size_t len, int limit);

#endif
