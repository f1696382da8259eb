/* hyphen.h — Norwegian hyphenation with libhyphen and Debian's hyphen-no patterns (hyph_nb_NO / hyph_nn_NO,
 * converted once from Latin-1 to UTF-8 at build time). Used only for words that do not fit on a line at all;
 * a reader who struggles with text is better served by whole words wherever they fit. */
#ifndef MEISTRING_HYPHEN_H
#define MEISTRING_HYPHEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct hyph hyph;

/* A place to break a word: the first part ends at byte `end` (a hyphen is drawn after it), the second part
 * starts at byte `resume` (equal to end, or past a soft hyphen U+00AD that the break replaces). */
typedef struct {
    uint32_t end, resume;
} hyph_break;

#define HYPH_LEFT_MIN  2 /* letters kept before a break */
#define HYPH_RIGHT_MIN 3 /* letters carried to the next line */

/* Loads a UTF-8 pattern file (NAME.dic). When NAME.tab beside it holds libhyphen's tables packed from that very
 * file (hyph_pack, run by the build), those are read instead: 2.3 MB in one block for Norwegian, where
 * libhyphen's loader peaks at 6.3 MB. NULL with a reason in err when it cannot. Free with hyph_free. */
hyph *hyph_load(const char *path, char *err, size_t errcap);

/* The same, but the patterns are read only when a word first needs them: at ordinary text sizes no word is
 * wider than a line. The file is checked now (exists, is UTF-8); NULL with a reason when it is not. */
hyph *hyph_open_lazy(const char *path, char *err, size_t errcap);
void hyph_free(hyph *h); /* NULL is a no-op */

/* A lazy handle's patterns given back to the system until a word next needs them (then read again: 1-3 ms from
 * the packed tables). The reader calls it after laying out a page, so the 2.3 MB of tables are not held while
 * the patient reads (issue 14: peak memory at 400 %, where words need them). No-op for hyph_load's handles. */
void hyph_release(hyph *h);

/* Build time: loads dic_path with libhyphen and writes the tables it built to tab_path, for hyph_load. False
 * with a reason in err when it cannot. */
bool hyph_pack(const char *dic_path, const char *tab_path, char *err, size_t errcap);

/* Break opportunities in word[0..len), ascending, at most max; returns how many. Leading and trailing
 * punctuation («, », quotes, full stops) is kept out of the lookup; the word is lowercased first (A–Z and
 * À–Þ). Soft hyphens in the word are the author's choice and, when present, the only breaks. h may be NULL:
 * then only soft hyphens count. */
int hyph_breaks(const hyph *h, const char *word, size_t len, hyph_break *out, int max);

#endif
