/* layout.c — greedy paragraph line breaking; see layout.h.
 * Greedy (first fit) rather than Knuth–Plass: ragged-right text gains little from optimal breaking, and
 * greedy is linear, which keeps a relayout of a 4,000-word page inside its 8 ms budget on a slow core. */
#include "meistring/layout.h"

#include <stdlib.h>
#include <string.h>

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
    size_t cap2 = *cap ? *cap * 2 : 64;
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

/* A word is a list of pieces (a word may change style mid-way: "viktig" + "."). */
typedef struct {
    uint32_t run;
    size_t off, len;
    int w;
} piece;

#define MAX_PIECES 32

/* Splits an over-long word so that it fits the column: finds the longest prefix of the word that fits in
 * `room` pixels, preferring to end after '-' or '/'. Returns the number of pieces/bytes consumed through
 * (*np, *cut): pieces[0 .. np) fully plus `cut` bytes of pieces[np]. */
static void split_point(breaker *b, const piece *pc, size_t n, int room, size_t *np, size_t *cut) {
    int used = 0;
    size_t best_np = 0, best_cut = 0, soft_np = 0, soft_cut = 0;
    bool have_soft = false;
    for (size_t i = 0; i < n; i++) {
        const layout_run *run = &b->runs[pc[i].run];
        const char *s = run->text + pc[i].off;
        size_t k = 0;
        while (k < pc[i].len) {
            size_t start = k;
            uint32_t cp = utf8_next(s, pc[i].len, &k);
            int w = b->font->measure(b->font->ctx, run->style, s + start, k - start);
            if (used + w > room) goto done;
            used += w;
            best_np = i;
            best_cut = k;
            if (cp == '-' || cp == '/') {
                have_soft = true;
                soft_np = i;
                soft_cut = k;
            }
        }
    }
done:
    if (have_soft) {
        best_np = soft_np;
        best_cut = soft_cut;
    }
    if (best_np == 0 && best_cut == 0) {
        /* not even one character fits: place one anyway so the loop always advances */
        size_t k = 0;
        utf8_next(b->runs[pc[0].run].text + pc[0].off, pc[0].len, &k);
        best_cut = k;
    }
    *np = best_np;
    *cut = best_cut;
}

/* Places the longest part of a single-piece word that fits the empty line with a hyphen after it, and leaves
 * the rest in *pc. False when no break point fits. */
static bool hyphenate_piece(breaker *b, piece *pc) {
    const layout_run *run = &b->runs[pc->run];
    const char *w = run->text + pc->off;
    hyph_break br[64];
    int n = b->font->hyphenate(b->font->hyph_ctx, w, pc->len, br, 64);
    int hyph_w = b->font->measure(b->font->ctx, run->style, "-", 1);
    for (int i = n - 1; i >= 0; i--) {
        int pw = b->font->measure(b->font->ctx, run->style, w, br[i].end);
        if (pw + hyph_w > b->width) continue;
        place(b, pc->run, pc->off, br[i].end, pw);
        if (b->oom) return true;
        layout_para *p = b->p;
        p->frags[p->n_frags - 1].hyphen = true;
        layout_line *ln = &p->lines[p->n_lines - 1];
        if (b->x + hyph_w > ln->width) ln->width = b->x + hyph_w;
        pc->off += br[i].resume;
        pc->len -= br[i].resume;
        pc->w = b->font->measure(b->font->ctx, run->style, run->text + pc->off, pc->len);
        return true;
    }
    return false;
}

static void place_word(breaker *b, piece *pc, size_t n, const piece *space) {
    int ww = 0;
    for (size_t i = 0; i < n; i++)
        ww += pc[i].w;
    if (b->line_open) {
        int sw = space ? space->w : 0;
        if (b->x + sw + ww <= b->width) {
            if (space) place(b, space->run, space->off, space->len, space->w);
        } else {
            new_line(b);
        }
    }
    while (!b->oom && n > 0) {
        ww = 0;
        for (size_t i = 0; i < n; i++)
            ww += pc[i].w;
        if (b->x + ww <= b->width) {
            for (size_t i = 0; i < n; i++)
                place(b, pc[i].run, pc[i].off, pc[i].len, pc[i].w);
            return;
        }
        if (b->line_open) {
            new_line(b);
            continue;
        }
        /* alone on a line and still too wide: hyphenate it where the patterns allow */
        if (n == 1 && b->font->hyphenate && hyphenate_piece(b, &pc[0])) {
            new_line(b);
            continue;
        }
        /* no hyphenation point fits: split it, with a hyphen so the reader sees the word go on (unless it
         * breaks after a '-' or '/' of its own) */
        size_t np, cut;
        const layout_run *run0 = &b->runs[pc[0].run];
        int hyph_w = b->font->measure(b->font->ctx, run0->style, "-", 1);
        split_point(b, pc, n, b->width - hyph_w > 0 ? b->width - hyph_w : b->width, &np, &cut);
        for (size_t i = 0; i < np; i++)
            place(b, pc[i].run, pc[i].off, pc[i].len, pc[i].w);
        const layout_run *run = &b->runs[pc[np].run];
        int w = b->font->measure(b->font->ctx, run->style, run->text + pc[np].off, cut);
        place(b, pc[np].run, pc[np].off, cut, w);
        char last = cut ? run->text[pc[np].off + cut - 1] : '-';
        if (!b->oom && cut < pc[np].len && last != '-' && last != '/' && b->x + hyph_w <= b->width) {
            layout_para *p = b->p;
            p->frags[p->n_frags - 1].hyphen = true;
            layout_line *ln = &p->lines[p->n_lines - 1];
            if (b->x + hyph_w > ln->width) ln->width = b->x + hyph_w;
        }
        /* the rest of the word continues on a new line */
        pc[np].off += cut;
        pc[np].len -= cut;
        pc[np].w = pc[np].len ? b->font->measure(b->font->ctx, run->style, run->text + pc[np].off, pc[np].len) : 0;
        size_t skip = pc[np].len ? np : np + 1;
        memmove(pc, pc + skip, (n - skip) * sizeof *pc);
        n -= skip;
        if (n > 0) new_line(b);
    }
}

bool layout_paragraph(layout_para *p, const layout_font *font, const layout_run *runs, size_t n_runs, int width) {
    p->n_frags = 0;
    p->n_lines = 0;
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
            if (utf8_is_break_space(cp)) {
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
                } else if (space.run == r && space.off + space.len == start) {
                    /* collapse runs of spaces into one */
                }
                continue;
            }
            /* extend the current word: same run and contiguous → grow the last piece */
            size_t wstart = start;
            while (i < len) {
                size_t j = i;
                uint32_t c2 = utf8_next(s, len, &j);
                if (utf8_is_break_space(c2)) break;
                i = j;
            }
            if (nw == MAX_PIECES) {
                /* a pathological word with many style changes: flush what we have as its own word */
                place_word(&b, word, nw, have_space ? &space : NULL);
                nw = 0;
                have_space = false;
            }
            word[nw++] = (piece){.run = r,
                                 .off = wstart,
                                 .len = i - wstart,
                                 .w = font->measure(font->ctx, runs[r].style, s + wstart, i - wstart)};
        }
    }
    if (nw && !b.oom) place_word(&b, word, nw, have_space ? &space : NULL);
    return !b.oom;
}
