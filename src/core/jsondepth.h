/* jsondepth.h — checks on raw JSON bytes before any parser sees them. How deep the text nests: cJSON recurses
 * per level, so a hostile document of a million '[' must be refused before it is parsed. Whether a string holds
 * a NUL. Internal to core (the server uses it too). */
#ifndef MS_JSONDEPTH_H
#define MS_JSONDEPTH_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..len) opens more than limit nested arrays/objects (brackets inside strings do not count). */
bool json_nests_deeper_than(const char *s, size_t len, int limit);

/* True when s[0..len) holds a NUL byte or a \u0000 escape inside a string. cJSON's strings end at a NUL, so
 * such text would be cut short without a word: the protocol refuses it instead (docs/sync-protocol.md). */
bool json_has_nul(const char *s, size_t len);

#endif
