/* layout.c — greedy paragraph line breaking; see layout.h.
 * Greedy (first fit) rather than Knuth–Plass: ragged-right text gains little from optimal breaking, and
 * greedy is linear, which keeps a relayout of a 4,000-word page inside its 8 ms budget on a slow core.
 * A word wider than the column is cut from its front, one line at a time, and only the part that goes on the
 * line is ever measured: the rest of the word is never measured whole, so a word of N characters costs O(N)
 * measurements however long it is (a 60,000-character "word" once took 44 s here, measuring the rest of the
 * word again for every line). */
#include "meistring/layout.h"

#include <stdlib.h>
#include <string.h>

#include "meistring/config.h"
#include "meistring/utf8.h"

void layout_para_init(layout_para *p) { memset(p, 0, sizeof *p); }

void layout_para_deinit(layout_para *p) {
    free(p->frags);
    free(p->lines);
    memset(p, 0, sizeof *p);
}

typedef struct {
    layout_para *p;
    const layout_font *font;
    const layout_run *runs;
    int width;
    int x;          /* pen position on the current line */
    bool line_open; /* the current line has a fragment */
    bool oom;
} breaker;

static bool grow(void **arr, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return true;
    /* from 4: a page keeps one layout_para per paragraph, heading and list item, most of them a few lines of one
     * fragment each; 64 of each to start with was 2.3 KB a para, 280 KB for the longest demo page (now 20 KB) */
    size_t cap2 = *cap ? *cap * 2 : 4;
    while (cap2 < need)
        cap2 *= 2;
    void *n = realloc(*arr, cap2 * elem);
    if (!n) return false;
    *arr = n;
    *cap = cap2;
    return true;
}

static void new_line(breaker *b) {
    layout_para *p = b->p;
    if (!grow((void **)&p->lines, &p->cap_lines, p->n_lines + 1, sizeof *p->lines)) {
        b->oom = true;
        return;
    }
    p->lines[p->n_lines++] = (layout_line){.first = (uint32_t)p->n_frags, .count = 0, .width = 0};
    b->x = 0;
    b->line_open = false;
}

/* Places bytes [off, off+len) of run r at the pen, merging with the previous fragment when contiguous. */
static void place(breaker *b, uint32_t r, size_t off, size_t len, int w) {
    layout_para *p = b->p;
    if (p->n_lines == 0) new_line(b);
    if (b->oom) return;
    layout_line *ln = &p->lines[p->n_lines - 1];
    layout_frag *last = ln->count ? &p->frags[p->n_frags - 1] : NULL;
    if (last && last->run == r && last->off + last->len == off && !last->hyphen) {
        last->len += (uint32_t)len;
        last->w += w;
    } else {
        if (!grow((void **)&p->frags, &p->cap_frags, p->n_frags + 1, sizeof *p->frags)) {
            b->oom = true;
            return;
        }
        p->frags[p->n_frags++] = (layout_frag){.run = r, .off = (uint32_t)off, .len = (uint32_t)len, .x = b->x, .w = w};
        ln->count++;
    }
    b->x += w;
    if (b->x > ln->width) ln->width = b->x;
    b->line_open = true;
}

/* Marks the last fragment as followed by a drawn hyphen of width hyph_w. */
static void mark_hyphen(breaker *b, int hyph_w) {
    layout_para *p = b->p;
    if (b->oom || p->n_frags == 0) return;
    p->frags[p->n_frags - 1].hyphen = true;
    layout_line *ln = &p->lines[p->n_lines - 1];
    if (b->x + hyph_w > ln->width) ln->width = b->x + hyph_w;
}

/* ---- characters as a reader sees them -------------------------------------------------------------------- */

/* Code points that belong to the character before them: combining marks (å may be written a + U+030A),
 * variation selectors, emoji modifiers and tags, and the zero-width joiner (which also takes the code point
 * after it, as in emoji sequences). Cutting a word before one of them would show a mark on its own. */
static bool is_extender(uint32_t cp) {
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
           (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xFE20 && cp <= 0xFE2F) ||
           cp == 0x200C || cp == 0x200D || (cp >= 0x1F3FB && cp <= 0x1F3FF) || (cp >= 0xE0020 && cp <= 0xE007F) ||
           (cp >= 0xE0100 && cp <= 0xE01EF);
}

static bool is_regional(uint32_t cp) { return cp >= 0x1F1E6 && cp <= 0x1F1FF; }

#define MAX_CLUSTER MS_LAYOUT_MAX_CLUSTER /* UAX #15's stream-safe limit (config.h) */

/* The end of the user-perceived character that starts at byte i of s[0..len): a simplified UAX #29 cluster
 * (what Norwegian text, names from other languages and emoji need). Never inside a UTF-8 sequence. */
static size_t cluster_end(const char *s, size_t len, size_t i) {
    uint32_t first = utf8_next(s, len, &i);
    bool after_zwj = false;
    for (int k = 1; k < MAX_CLUSTER && i < len; k++) {
        size_t j = i;
        uint32_t cp = utf8_next(s, len, &j);
        if (is_extender(cp) || after_zwj || (k == 1 && is_regional(first) && is_regional(cp))) {
            after_zwj = cp == 0x200D;
            i = j;
            continue;
        }
        break;
    }
    return i;
}

/* ---- fitting the front of a word into a line ------------------------------------------------------------ */

/* A word is a list of pieces (a word may change style mid-way: "viktig" + "."). w < 0: not measured yet (the
 * rest of a cut word, or a piece too long to measure whole on the chance that it fits). */
typedef struct {
    uint32_t run;
    size_t off, len;
    int w;
} piece;

#define MAX_PIECES        MS_LAYOUT_MAX_PIECES
#define MEASURE_WHOLE_MAX MS_LAYOUT_MEASURE_WHOLE_MAX /* longer pieces are fitted from the front (config.h) */

static int measure(const breaker *b, uint32_t run, size_t off, size_t len) {
    const layout_run *r = &b->runs[run];
    return b->font->measure(b->font->ctx, r->style, r->text + off, len);
}

/* The longest front of the piece, in whole characters, that is at most room px wide: its length in bytes (0
 * when not even the first character fits) and its width in *w. The characters are measured one by one up to
 * the room (never further), then the front found is measured whole; only when shaping made it wider than the
 * characters' sum is it narrowed, by bisection. So a call costs O(characters that fit) measurements, however
 * long the piece. */
static size_t fit_piece(const breaker *b, const piece *pc, int room, int *w) {
    const char *s = b->runs[pc->run].text + pc->off;
    size_t len = pc->len, k = 0;
    int sum = 0;
    *w = 0;
    while (k < len) {
        size_t j = cluster_end(s, len, k);
        int cw = measure(b, pc->run, pc->off + k, j - k);
        if (sum + cw > room) break;
        sum += cw;
        k = j;
    }
    if (k == 0) return 0;
    int kw = measure(b, pc->run, pc->off, k);
    if (kw <= room) {
        *w = kw;
        return k;
    }
    size_t lo = 0, hi = k; /* the front of lo bytes fits (width *w), that of hi does not */
    for (;;) {
        size_t n = 0;
        for (size_t i = lo; i < hi; i = cluster_end(s, len, i))
            n++;
        if (n <= 1) break;
        size_t mid = lo;
        for (size_t i = 0; i < n / 2; i++)
            mid = cluster_end(s, len, mid);
        int mw = measure(b, pc->run, pc->off, mid);
        if (mw <= room) {
            lo = mid;
            *w = mw;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* Where the front of a word that fits ends: pieces [0, np) whole, then cut bytes of piece np (cut_w px). */
typedef struct {
    size_t np, cut;
    int cut_w;
    bool whole; /* the whole word fits */
} word_fit;

/* The longest front of the word pc[0..n) that fits in room px. Pieces that fit whole get their width. Without
 * want_cut only `whole` is answered, and a piece of known width that does not fit ends the search unmeasured:
 * the common case, a word that goes to the next line, costs nothing more than before. */
static word_fit fit_word(const breaker *b, piece *pc, size_t n, int room, bool want_cut) {
    int used = 0;
    for (size_t i = 0; i < n; i++) {
        if (pc[i].w >= 0 && used + pc[i].w <= room) {
            used += pc[i].w;
            continue;
        }
        if (pc[i].w >= 0 && !want_cut) return (word_fit){.np = i};
        int w;
        size_t k = fit_piece(b, &pc[i], room - used, &w);
        if (k == pc[i].len) {
            pc[i].w = w;
            used += w;
            continue;
        }
        return (word_fit){.np = i, .cut = k, .cut_w = w};
    }
    return (word_fit){.np = n, .whole = true};
}

/* The breaks a word offers of its own: '-', '/', the en and em dashes («tre–fire», «2–3»), after which no hyphen is
 * drawn (one after a dash would read «tre–-»), and a soft hyphen, which shows as a hyphen only where it breaks. */
static bool shows_own_mark(uint32_t cp) { return cp == '-' || cp == '/' || cp == 0x2013 || cp == 0x2014; }
static bool own_break(uint32_t cp) { return shows_own_mark(cp) || cp == 0xAD; }

/* Moves the cut back to just after the last of the word's own breaks in the front, when there is one: a break
 * the word itself offers reads better than one between two letters. */
static void prefer_own_break(const breaker *b, const piece *pc, word_fit *f) {
    for (size_t i = f->np + 1; i-- > 0;) {
        const char *s = b->runs[pc[i].run].text + pc[i].off;
        size_t end = i == f->np ? f->cut : pc[i].len;
        for (size_t at = end; at > 0;) {
            size_t start = utf8_prev(s, at), j = start;
            uint32_t cp = utf8_next(s, end, &j);
            if (own_break(cp) && j == at) {
                if (i == f->np && at == f->cut) return; /* already there */
                size_t k = at;
                if (k < pc[i].len && is_extender(utf8_next(s, pc[i].len, &k))) return; /* would split a character */
                f->np = i;
                f->cut = at;
                f->cut_w = at == pc[i].len && pc[i].w >= 0 ? pc[i].w : measure(b, pc[i].run, pc[i].off, at);
                return;
            }
            at = start;
        }
    }
}

/* Counts the characters of a piece, stopping past limit: hyphenation is asked only about words of sane length. */
static bool at_most_chars(const breaker *b, const piece *pc, size_t limit) {
    const char *s = b->runs[pc->run].text + pc->off;
    size_t n = 0;
    for (size_t i = 0; i < pc->len && n <= limit; n++)
        utf8_next(s, pc->len, &i);
    return n <= limit;
}

/* Letters and digits: what the 2-left/3-right rule counts (punctuation around a piece, as in «eksempel:», is no
 * part of its length; hyphen.c counts the same way). */
static bool is_letter_cp(uint32_t cp) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
           (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7);
}

static int letters_in(const char *s, size_t from, size_t to) {
    int n = 0;
    while (from < to)
        n += is_letter_cp(utf8_next(s, to, &from));
    return n;
}

/* The whole word's hyphenation points, asked once: a remainder asked again as if it were a word would get
 * a word's start rules (2 letters) in its middle, and patterns that see a different word. */
typedef struct {
    hyph_break br[MS_LAYOUT_HYPHEN_MAX_CHARS]; /* a word of N characters has fewer than N break points */
    int n;
    size_t start; /* byte of the run where the word began: the breaks are relative to it */
} word_breaks;

/* Places the longest part of the rest of a single-piece word that fits the empty line, at one of the word's
 * hyphenation points, with a hyphen after it, and leaves the rest in *pc. The piece keeps the rule: at least
 * HYPH_LEFT_MIN letters when it starts the word, HYPH_RIGHT_MIN when it continues it (hyphen.c has already
 * kept HYPH_RIGHT_MIN letters after every point). False when no point fits. */
static bool hyphenate_piece(breaker *b, piece *pc, const word_breaks *wb) {
    const layout_run *run = &b->runs[pc->run];
    const char *w = run->text + pc->off;
    size_t done = pc->off - wb->start; /* bytes of the word already placed on earlier lines */
    int hyph_w = b->font->measure(b->font->ctx, run->style, "-", 1);
    for (int i = wb->n - 1; i >= 0; i--) {
        const hyph_break *br = &wb->br[i];
        if (br->end <= done || br->resume < br->end || br->resume - done >= pc->len) continue;
        size_t end = br->end - done, resume = br->resume - done;
        if (letters_in(w, 0, end) < (done == 0 ? HYPH_LEFT_MIN : HYPH_RIGHT_MIN)) break; /* earlier ones are shorter */
        int pw = b->font->measure(b->font->ctx, run->style, w, end);
        if (pw + hyph_w > b->width) continue;
        place(b, pc->run, pc->off, end, pw);
        mark_hyphen(b, hyph_w);
        pc->off += resume;
        pc->len -= resume;
        pc->w = -1;
        return true;
    }
    return false;
}

/* Code points looked at for the rule's letters beyond a cut: a string with no letters in sight (60,000 full
 * stops) is no word, and walking the rest of it for every line would cost O(N²). */
#define RULE_LOOK MS_LAYOUT_RULE_LOOK

/* Letters from byte `at` of piece i to the end of the word (pieces i..n), counted up to limit: enough to know
 * whether a cut leaves the rule's letters after it, without walking the rest of a 60,000-character string
 * (past RULE_LOOK code points the rest counts as long enough). */
static int letters_after(const breaker *b, const piece *pc, size_t n, size_t i, size_t at, int limit) {
    int k = 0, seen = 0;
    for (; i < n && k < limit; i++, at = 0) {
        const char *s = b->runs[pc[i].run].text + pc[i].off;
        while (at < pc[i].len && k < limit) {
            if (++seen > RULE_LOOK) return limit;
            k += is_letter_cp(utf8_next(s, pc[i].len, &at));
        }
    }
    return k;
}

static void place_pieces(breaker *b, const piece *pc, size_t n) {
    for (size_t i = 0; i < n; i++)
        place(b, pc[i].run, pc[i].off, pc[i].len, pc[i].w);
}

static bool is_vowel(uint32_t cp) {
    if (cp >= 'A' && cp <= 'Z') cp += 32;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) cp += 32;
    return cp == 'a' || cp == 'e' || cp == 'i' || cp == 'o' || cp == 'u' || cp == 'y' || cp == 0xE6 || cp == 0xF8 ||
           cp == 0xE5 || (cp >= 0xE0 && cp <= 0xE4) || (cp >= 0xE8 && cp <= 0xEF) || (cp >= 0xF2 && cp <= 0xF6) ||
           (cp >= 0xF9 && cp <= 0xFD);
}

/* Moves a forced cut in piece np back to the nearest place before a consonant that a vowel follows («behand-
 * leren», «mennes-kene»): where a syllable most often starts, when the patterns know no break there (hyph-no's
 * patterns are sparse: «behandleren» has none). At most half the front's letters go back, the front keeps
 * HYPH_RIGHT_MIN letters and the rest the rule's; no such place, the cut stays where it was. */
static void syllable_cut(const breaker *b, const piece *pc, size_t n, word_fit *f) {
    const char *s = b->runs[pc[f->np].run].text + pc[f->np].off;
    size_t len = pc[f->np].len;
    int front = letters_in(s, 0, f->cut), keep = front / 2 > HYPH_RIGHT_MIN ? front / 2 : HYPH_RIGHT_MIN;
    if (f->np > 0) keep = 1; /* earlier pieces already hold letters */
    int letters = front;
    for (size_t at = f->cut; at > 0 && letters >= keep;) {
        size_t j = at;
        uint32_t c = at < len ? utf8_next(s, len, &j) : 0;
        uint32_t next = j < len ? utf8_next(s, len, &(size_t){j}) : 0;
        if (c && next && is_letter_cp(c) && !is_vowel(c) && is_vowel(next) &&
            cluster_end(s, len, utf8_prev(s, at)) == at &&
            letters_after(b, pc, n, f->np, at, HYPH_RIGHT_MIN) >= HYPH_RIGHT_MIN) {
            f->cut = at;
            return;
        }
        at = utf8_prev(s, at);
        size_t k = at;
        letters -= is_letter_cp(utf8_next(s, len, &k));
    }
}

/* A cut the patterns do not offer (no point fits, a word they do not know, a string that is no word) between
 * two characters of pc[0..n): in front of at least HYPH_RIGHT_MIN letters on each side — a cut anywhere would
 * leave shards like «ne» or «el:» — and always with a hyphen (none after the word's own '-' or '/'). When the
 * rule's letters do not fit the line they are placed anyway and the line runs over the column (counted in
 * p->overflow, so the caller can shrink the type or widen the box); a word too short to cut is placed whole. */
static size_t force_cut(breaker *b, piece *pc, size_t n) {
    int hyph_w = b->font->measure(b->font->ctx, b->runs[pc[0].run].style, "-", 1);
    word_fit f = fit_word(b, pc, n, b->width - hyph_w > 0 ? b->width - hyph_w : b->width, true);
    if (f.whole) { /* a shaper that measures a word narrower than its front: it fits after all */
        place_pieces(b, pc, n);
        return n;
    }
    prefer_own_break(b, pc, &f);
    if (f.np < n && f.cut > 0) {
        const char *s = b->runs[pc[f.np].run].text + pc[f.np].off;
        size_t q = utf8_prev(s, f.cut), k = q;
        uint32_t last = utf8_next(s, pc[f.np].len, &k);
        if (!own_break(last)) syllable_cut(b, pc, n, &f);
    }
    /* the front: at least the rule's letters (counted from the word's front piece, which pc[0] starts) */
    if (f.np == 0) {
        const char *s = b->runs[pc[0].run].text + pc[0].off;
        int have = letters_in(s, 0, f.cut), look = 0;
        while (have < HYPH_RIGHT_MIN && f.cut < pc[0].len && look++ < RULE_LOOK) {
            size_t j = cluster_end(s, pc[0].len, f.cut);
            size_t k = f.cut;
            have += is_letter_cp(utf8_next(s, pc[0].len, &k));
            f.cut = j;
        }
        if (f.cut == pc[0].len) { /* the whole first piece: the word is too short to cut here */
            f.np = 1;
            f.cut = 0;
        }
    }
    /* the rest: at least the rule's letters, else the cut moves back to leave them (within its piece) */
    if (f.np < n && letters_after(b, pc, n, f.np, f.cut, HYPH_RIGHT_MIN) < HYPH_RIGHT_MIN) {
        const char *s = b->runs[pc[f.np].run].text + pc[f.np].off;
        size_t at = pc[f.np].len;
        int k = letters_after(b, pc, n, f.np + 1, 0, HYPH_RIGHT_MIN);
        while (at > 0 && k < HYPH_RIGHT_MIN) {
            at = utf8_prev(s, at);
            size_t j = at;
            k += is_letter_cp(utf8_next(s, pc[f.np].len, &j));
        }
        /* never inside a character, and the front keeps its letters */
        while (at > 0 && cluster_end(s, pc[f.np].len, utf8_prev(s, at)) != at)
            at = utf8_prev(s, at);
        bool front_ok = f.np > 0 || letters_in(s, 0, at) >= HYPH_RIGHT_MIN;
        if (k >= HYPH_RIGHT_MIN && front_ok && at > 0) {
            f.cut = at;
        } else { /* too short to cut with the rule's letters on both sides: whole, over the column */
            f.np = n;
            f.cut = 0;
        }
    }
    if (f.np >= n) {
        for (size_t i = 0; i < n; i++)
            if (pc[i].w < 0) pc[i].w = measure(b, pc[i].run, pc[i].off, pc[i].len);
        place_pieces(b, pc, n);
        if (b->x > b->width) b->p->overflow++;
        return n;
    }
    for (size_t i = 0; i < f.np; i++)
        if (pc[i].w < 0) pc[i].w = measure(b, pc[i].run, pc[i].off, pc[i].len);
    place_pieces(b, pc, f.np);
    if (f.cut) place(b, pc[f.np].run, pc[f.np].off, f.cut, measure(b, pc[f.np].run, pc[f.np].off, f.cut));
    const piece *lp = f.cut ? &pc[f.np] : &pc[f.np - 1];
    size_t lend = f.cut ? f.cut : lp->len;
    const char *ls = b->runs[lp->run].text + lp->off;
    size_t lq = utf8_prev(ls, lend), lk = lq;
    if (!shows_own_mark(utf8_next(ls, lend, &lk))) {
        mark_hyphen(b, hyph_w);
        b->p->forced++;
    }
    if (b->p->n_lines && b->p->lines[b->p->n_lines - 1].width > b->width) b->p->overflow++;
    size_t skip = f.np;
    if (f.cut) {
        pc[f.np].off += f.cut;
        pc[f.np].len -= f.cut;
        pc[f.np].w = -1;
        if (pc[f.np].len == 0) skip++;
    }
    return skip;
}

static void place_word(breaker *b, piece *pc, size_t n, const piece *space) {
    if (b->line_open) {
        int sw = space ? space->w : 0;
        if (fit_word(b, pc, n, b->width - b->x - sw, false).whole) {
            if (space) place(b, space->run, space->off, space->len, space->w);
            place_pieces(b, pc, n);
            return;
        }
        new_line(b);
    }
    /* only a word of sane length goes to the patterns, and that is decided for the whole word: the tail of a
     * cut 60,000-character string is no word either */
    word_breaks wb = {.n = 0, .start = pc[0].off};
    if (n == 1 && b->font->hyphenate && at_most_chars(b, &pc[0], MS_LAYOUT_HYPHEN_MAX_CHARS) &&
        !fit_word(b, pc, n, b->width, false).whole)
        wb.n = b->font->hyphenate(b->font->hyph_ctx, b->runs[pc[0].run].text + pc[0].off, pc[0].len, wb.br,
                                  MS_LAYOUT_HYPHEN_MAX_CHARS);
    /* from here on the word starts a line */
    while (!b->oom && n > 0) {
        if (fit_word(b, pc, n, b->width, false).whole) {
            place_pieces(b, pc, n);
            return;
        }
        /* alone on a line and still too wide: hyphenate it where the patterns allow */
        if (n == 1 && wb.n > 0 && hyphenate_piece(b, &pc[0], &wb)) {
            new_line(b);
            continue;
        }
        /* no hyphenation point fits: cut it, keeping the rule's letters on both sides */
        size_t skip = force_cut(b, pc, n);
        memmove(pc, pc + skip, (n - skip) * sizeof *pc);
        n -= skip;
        if (n > 0) new_line(b);
    }
}

/* Whether the line may break at the space cp from s[start] to s[after]: not between two digits, which group a number
 * («116 117», «10 000», «22 33 44 55») that must be read whole — the PHQ-9 safety text broke «116 / 117» at 400 %
 * (issue 13). */
static bool breaks_at(const char *s, size_t len, size_t start, size_t after, uint32_t cp) {
    if (!utf8_is_break_space(cp)) return false;
    bool digit_before = start > 0 && s[start - 1] >= '0' && s[start - 1] <= '9';
    bool digit_after = after < len && s[after] >= '0' && s[after] <= '9';
    return !(cp == ' ' && digit_before && digit_after);
}

bool layout_paragraph(layout_para *p, const layout_font *font, const layout_run *runs, size_t n_runs, int width) {
    p->n_frags = 0;
    p->n_lines = 0;
    p->forced = 0;
    p->overflow = 0;
    breaker b = {.p = p, .font = font, .runs = runs, .width = width > 0 ? width : 1};
    piece word[MAX_PIECES];
    size_t nw = 0;
    piece space = {0};
    bool have_space = false;

    for (uint32_t r = 0; r < n_runs && !b.oom; r++) {
        const char *s = runs[r].text;
        size_t len = runs[r].len, i = 0;
        while (i < len && !b.oom) {
            size_t start = i;
            uint32_t cp = utf8_next(s, len, &i);
            if (breaks_at(s, len, start, i, cp)) {
                if (nw) {
                    place_word(&b, word, nw, have_space ? &space : NULL);
                    nw = 0;
                    have_space = false;
                }
                if (cp == '\n') {
                    new_line(&b);
                    have_space = false;
                    continue;
                }
                if (!have_space) {
                    space = (piece){.run = r, .off = start, .len = i - start};
                    space.w = font->measure(font->ctx, runs[r].style, s + start, i - start);
                    have_space = true;
                }
                /* further spaces collapse into the first */
                continue;
            }
            /* extend the current word: same run and contiguous → grow the last piece */
            size_t wstart = start;
            while (i < len) {
                size_t j = i;
                uint32_t c2 = utf8_next(s, len, &j);
                if (breaks_at(s, len, i, j, c2)) break;
                i = j;
            }
            if (nw == MAX_PIECES) {
                /* a pathological word with many style changes: flush what we have as its own word */
                place_word(&b, word, nw, have_space ? &space : NULL);
                nw = 0;
                have_space = false;
            }
            size_t wl = i - wstart;
            word[nw++] =
                (piece){.run = r,
                        .off = wstart,
                        .len = wl,
                        .w = wl <= MEASURE_WHOLE_MAX ? font->measure(font->ctx, runs[r].style, s + wstart, wl) : -1};
        }
    }
    if (nw && !b.oom) place_word(&b, word, nw, have_space ? &space : NULL);
    return !b.oom;
}

/* ---- figures -------------------------------------------------------------------------------------------- */

/* The runs end to end, and every line's end in that text (a figure for tests, so it may allocate). */
void layout_word_stats_add(const layout_para *p, const layout_run *runs, size_t n_runs, layout_word_stats *st) {
    st->forced += p->forced;
    st->overflow += p->overflow;
    if (p->n_lines < 2) return;
    size_t total = 0;
    for (size_t r = 0; r < n_runs; r++)
        total += runs[r].len;
    char *text = malloc(total + 1);
    size_t *run_at = malloc((n_runs + 1) * sizeof *run_at);
    size_t *ends = malloc(p->n_lines * sizeof *ends);
    bool *hy = malloc(p->n_lines * sizeof *hy);
    if (!text || !run_at || !ends || !hy) goto out;
    size_t at = 0;
    for (size_t r = 0; r < n_runs; r++) {
        run_at[r] = at;
        memcpy(text + at, runs[r].text, runs[r].len);
        at += runs[r].len;
    }
    text[total] = '\0';
    size_t ne = 0;
    for (size_t l = 0; l < p->n_lines; l++) {
        const layout_line *ln = &p->lines[l];
        if (!ln->count) continue;
        const layout_frag *fr = &p->frags[ln->first + ln->count - 1];
        ends[ne] = run_at[fr->run] + fr->off + fr->len;
        hy[ne++] = fr->hyphen;
    }
    size_t judged = 0; /* the end of the last word judged: its later breaks are skipped unscanned (a 60,000-
                        * character word has thousands) */
    for (size_t e = 0; e + 1 < ne; e++) {
        size_t b = ends[e], k = b;
        if (b < judged) continue;
        if (b == 0 || b >= total || utf8_is_break_space(utf8_next(text, total, &k))) continue;
        k = utf8_prev(text, b);
        size_t j = k;
        uint32_t before = utf8_next(text, total, &j);
        if (utf8_is_break_space(before)) continue;
        /* a break inside a word: judge the whole word once, at its first break */
        size_t ws = b;
        while (ws > 0) {
            size_t q = utf8_prev(text, ws), m = q;
            if (utf8_is_break_space(utf8_next(text, total, &m))) break;
            ws = q;
        }
        size_t we = b;
        while (we < total) {
            size_t m = we;
            if (utf8_is_break_space(utf8_next(text, total, &m))) break;
            we = m;
        }
        judged = we;
        st->broken++;
        size_t from = ws;
        for (size_t f = e; f < ne && ends[f] < we; f++) {
            size_t q = utf8_prev(text, ends[f]), m = q;
            uint32_t c = utf8_next(text, total, &m);
            if (!hy[f] && !shows_own_mark(c)) st->no_hyphen++;
            if (letters_in(text, from, ends[f]) < (from == ws ? HYPH_LEFT_MIN : HYPH_RIGHT_MIN)) st->short_pieces++;
            from = ends[f];
        }
        if (letters_in(text, from, we) < HYPH_RIGHT_MIN) st->short_pieces++;
    }
out:
    free(text);
    free(run_at);
    free(ends);
    free(hy);
}
