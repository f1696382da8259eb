/* view.c — the per-frame element list; see view.h. Texts go into one growing buffer per frame, so a frame
 * costs no malloc once the buffers have grown to the size of the busiest screen. */
#include "view.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meistring/config.h"
#include "meistring/utf8.h"

void view_init(view *v) { memset(v, 0, sizeof *v); }

void view_deinit(view *v) {
    free(v->e);
    free(v->f);
    free(v->b);
    free(v->text);
    memset(v, 0, sizeof *v);
}

void view_reset(view *v) {
    v->n = 0;
    v->nf = 0;
    v->nb = 0;
    v->n_flat = 0;
    v->text_len = 0;
    v->clipping = false;
    v->area_top = -1;
    v->area_bottom = v->area_extent = 0;
    v->bar_bottom = 0;
}

void view_clip(view *v, int x, int y, int w, int h) {
    v->clipping = true;
    v->cx = x;
    v->cy = y;
    v->cw = w;
    v->ch = h;
}

void view_clip_off(view *v) { v->clipping = false; }

void view_scroll_area(view *v, int top, int bottom) {
    v->area_top = top;
    v->area_bottom = bottom;
    v->area_extent = 0;
}

void view_scroll_extent(view *v, int extent) { v->area_extent = extent > 0 ? extent : 0; }

void view_bar_bottom(view *v, int y) { v->bar_bottom = y; }

void view_focus_truncate(view *v, size_t n) {
    if (n < v->nf) v->nf = n;
}

/* Copies text into the frame's buffer; returns its offset, or (size_t)-1 when out of memory. */
static size_t keep_text(view *v, const char *text) {
    size_t len = text ? strlen(text) : 0;
    if (v->text_len + len + 1 > v->text_cap) {
        size_t cap = v->text_cap ? v->text_cap : 8192;
        while (cap < v->text_len + len + 1)
            cap *= 2;
        /* a new buffer, not realloc: the element texts point into the old one and are rebased while it still
         * exists (after a realloc the old pointers may not even be compared) */
        char *t = malloc(cap);
        if (!t) return (size_t)-1;
        if (v->text_len) memcpy(t, v->text, v->text_len);
        for (size_t i = 0; i < v->n; i++)
            v->e[i].text = t + (v->e[i].text - v->text);
        if (v->n_flat) v->flat.text = t + (v->flat.text - v->text);
        free(v->text);
        v->text = t;
        v->text_cap = cap;
    }
    size_t off = v->text_len;
    if (len) memcpy(v->text + off, text, len);
    v->text[off + len] = '\0';
    v->text_len += len + 1;
    return off;
}

/* A tappable element joins the focus order, visible or not (elem: its index, or -1). */
static bool add_focus(view *v, size_t text, int x, int y, int w, int h, int action, int arg, int elem) {
    if (v->nf == v->fcap) {
        size_t cap = v->fcap ? v->fcap * 2 : 64;
        view_focus *f = realloc(v->f, cap * sizeof *f);
        if (!f) return false;
        v->f = f;
        v->fcap = cap;
    }
    v->f[v->nf++] = (view_focus){text, x, y, w, h, action, arg, elem};
    return true;
}

bool view_add(view *v, view_role role, const char *text, int x, int y, int w, int h, int action, int arg) {
    bool clipped = false;
    int fx = x, fy = y, fw = w, fh = h;           /* the whole, for the focus order */
    if ((w <= 0 || h <= 0) && v->n_flat++ == 0) { /* given no room: a clip would drop it unseen */
        size_t off = keep_text(v, text);
        if (off == (size_t)-1) return false;
        v->flat = (view_elem){
            .role = role, .text = v->text + off, .x = x, .y = y, .w = w, .h = h, .action = action, .arg = arg};
    }
    if (v->clipping) {
        int x0 = x > v->cx ? x : v->cx, y0 = y > v->cy ? y : v->cy;
        int x1 = x + w < v->cx + v->cw ? x + w : v->cx + v->cw;
        int y1 = y + h < v->cy + v->ch ? y + h : v->cy + v->ch;
        if (x1 <= x0 || y1 <= y0) { /* not visible: not described, but the focus can still scroll to it */
            if (!action) return true;
            size_t off = keep_text(v, text);
            return off != (size_t)-1 && add_focus(v, off, fx, fy, fw, fh, action, arg, -1);
        }
        clipped = x0 != x || y0 != y || x1 != x + w || y1 != y + h;
        x = x0;
        y = y0;
        w = x1 - x0;
        h = y1 - y0;
    }
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 128;
        view_elem *e = realloc(v->e, cap * sizeof *e);
        if (!e) return false;
        v->e = e;
        v->cap = cap;
    }
    size_t off = keep_text(v, text);
    if (off == (size_t)-1) return false;
    v->e[v->n++] = (view_elem){.role = role,
                               .text = v->text + off,
                               .x = x,
                               .y = y,
                               .w = w,
                               .h = h,
                               .action = action,
                               .arg = arg,
                               .clipped = clipped};
    if (action && !add_focus(v, off, fx, fy, fw, fh, action, arg, (int)v->n - 1)) return false;
    return true;
}

const char *view_focus_text(const view *v, const view_focus *f) { return v->text + f->text; }

bool view_add_focus(view *v, const char *text, int x, int y, int w, int h, int action, int arg, int elem) {
    if (v->clipping && (x < v->cx || y < v->cy || x + w > v->cx + v->cw || y + h > v->cy + v->ch)) elem = -1;
    if (elem >= (int)v->n) elem = -1;
    for (size_t i = 0; i < v->nf; i++)
        if (v->f[i].action == action && v->f[i].arg == arg) {
            if (v->f[i].elem < 0 && elem >= 0) { /* the piece of it that shows (a term hyphenated over two lines) */
                v->f[i].elem = elem;
                v->f[i].x = x, v->f[i].y = y, v->f[i].w = w, v->f[i].h = h;
            }
            return true;
        }
    size_t off = keep_text(v, text);
    return off != (size_t)-1 && add_focus(v, off, x, y, w, h, action, arg, elem);
}

const char *view_break_text(const view *v, const view_break *b) { return v->text + b->text; }

/* Whether the text between the end of one line (run r, byte e) and the start of the next (run r2, byte o) holds
 * a space, a tab or a line's end: then the line ended between words. */
static bool space_between(const layout_run *runs, uint32_t r, uint32_t e, uint32_t r2, uint32_t o) {
    for (; r <= r2; r++, e = 0) {
        const char *s = runs[r].text;
        size_t end = r == r2 ? o : runs[r].len, i = e;
        while (i < end)
            if (utf8_is_break_space(utf8_next(s, end, &i))) return true;
    }
    return false;
}

void view_breaks(view *v, const layout_para *p, const layout_run *runs, bool hyphens) {
    for (size_t l = 0; l + 1 < p->n_lines; l++) {
        const layout_line *ln = &p->lines[l], *next = &p->lines[l + 1];
        if (!ln->count || !next->count) continue;
        const layout_frag *a = &p->frags[ln->first + ln->count - 1], *b = &p->frags[next->first];
        if (b->run < a->run || (b->run == a->run && b->off < a->off + a->len)) continue;
        const char *as = runs[a->run].text + a->off, *bs = runs[b->run].text + b->off;
        size_t i = 0;
        if (!a->len || !b->len || utf8_is_break_space(utf8_next(bs, b->len, &i))) continue;
        i = utf8_prev(as, a->len);
        if (utf8_is_break_space(utf8_next(as, a->len, &i))) continue;
        if (space_between(runs, a->run, a->off + a->len, b->run, b->off)) continue;
        view_break_note(v, as, a->len, bs, b->len, hyphens && a->hyphen);
    }
}

void view_break_note(view *v, const char *as, size_t alen, const char *bs, size_t blen, bool hyphen) {
    /* the context: whole characters only */
    size_t from = alen > MS_VIEW_BREAK_CONTEXT ? alen - MS_VIEW_BREAK_CONTEXT : 0;
    while (from < alen && ((unsigned char)as[from] & 0xC0) == 0x80)
        from++;
    size_t to = blen < MS_VIEW_BREAK_CONTEXT ? blen : MS_VIEW_BREAK_CONTEXT;
    while (to > 0 && to < blen && ((unsigned char)bs[to] & 0xC0) == 0x80)
        to--;
    char ctx[2 * MS_VIEW_BREAK_CONTEXT + 2];
    snprintf(ctx, sizeof ctx, "%.*s\x1f%.*s", (int)(alen - from), as + from, (int)to, bs);
    if (v->nb == v->bcap) {
        size_t cap = v->bcap ? v->bcap * 2 : 32;
        view_break *nb = realloc(v->b, cap * sizeof *nb);
        if (!nb) return;
        v->b = nb;
        v->bcap = cap;
    }
    size_t off = keep_text(v, ctx);
    if (off == (size_t)-1) return;
    v->b[v->nb++] = (view_break){off, hyphen};
}

void view_heading_level(view *v, size_t from, int level) {
    for (size_t i = from; i < v->n; i++)
        if (v->e[i].role == ROLE_HEADING) v->e[i].level = level < 1 ? 1 : level > 6 ? 6 : level;
}

void view_choice(view *v, size_t from, view_choice_kind kind, bool chosen) {
    for (size_t i = from; i < v->n; i++)
        if (v->e[i].action) {
            v->e[i].choice = kind;
            v->e[i].chosen = chosen;
        }
}

void view_mark(view *v, int x, int y, int w, int h) {
    if (!v->n) return;
    view_elem *e = &v->e[v->n - 1];
    int cx = x + w / 2, cy = y + h / 2; /* not on it: its element was clipped away, and this is another's */
    if (cx < e->x || cx >= e->x + e->w || cy < e->y || cy >= e->y + e->h) return;
    /* nor one that is no control: a choice scrolled under the demonstration's banner is clipped away, and its tick
     * lay on the banner, the last element described */
    if (!e->action) return;
    e->mx = x;
    e->my = y;
    e->mw = w;
    e->mh = h;
}

void view_list(view *v, size_t from) {
    bool first = true;
    for (size_t i = from; i < v->n; i++)
        if (v->e[i].action) {
            v->e[i].list = first ? VIEW_LIST_FIRST : VIEW_LIST_ITEM;
            first = false;
        }
}

void view_list_item(view *v, size_t from, bool starts) {
    for (size_t i = from; i < v->n; i++)
        v->e[i].list = starts && i == from ? VIEW_LIST_FIRST : VIEW_LIST_ITEM;
}

void view_table(view *v, size_t from, int columns) {
    if (columns < 1 || from >= v->n) return;
    int cols = columns + 1; /* the rows' headers are column 0 */
    /* a row scrolled in from above has lost its heading and its first cells: its cells are counted back from the
     * end of the row (how many of them show) */
    int first_cells = 0;
    for (size_t i = from; i < v->n && v->e[i].role != ROLE_HEADING; i++)
        if (v->e[i].role == ROLE_FIELD) first_cells++;
    int row = 0, col = cols - first_cells - 1;
    bool started = false; /* the row has an element yet */
    for (size_t i = from; i < v->n; i++) {
        view_elem *e = &v->e[i];
        if (e->role == ROLE_HEADING) {
            if (started) row++;
            col = 0;
        } else if (e->role == ROLE_FIELD) {
            col = col + 1 < cols ? col + 1 : cols - 1;
        }
        started = true;
        e->table = i == from ? VIEW_TABLE_FIRST : VIEW_TABLE_CELL;
        e->row = row;
        e->col = col;
        e->table_cols = cols;
    }
}

/* Whether the heading i says the screen's title: the text of a heading in the top bar, whole or in its own (the
 * exercise's title under the bar that says it, «Ukens skjema: GAD-7» under «GAD-7») */
static bool says_title(const view *v, size_t i) {
    for (size_t k = 0; k < v->n; k++) {
        const view_elem *t = &v->e[k];
        if (k != i && t->role == ROLE_HEADING && t->y < v->bar_bottom && t->text[0] && strstr(v->e[i].text, t->text))
            return true;
    }
    return false;
}

void view_outline(const view *v, int *levels) {
    bool any = false; /* a heading before this one */
    int anchor = 1;   /* the level of the nearest heading before it whose level is known, not guessed */
    for (size_t i = 0; i < v->n; i++) {
        const view_elem *e = &v->e[i];
        levels[i] = 0;
        if (e->role != ROLE_HEADING) continue;
        if (e->level > 0)
            levels[i] = anchor = e->level;
        else if (e->y < v->bar_bottom || !any || says_title(v, i)) /* the bar's title, the content's own */
            levels[i] = anchor = 1;
        else
            levels[i] = anchor + 1 < 6 ? anchor + 1 : 6;
        any = true;
    }
}

const view_elem *view_hit(const view *v, int x, int y) {
    for (size_t i = v->n; i-- > 0;) {
        const view_elem *e = &v->e[i];
        if (e->action && x >= e->x && x < e->x + e->w && y >= e->y && y < e->y + e->h) return e;
    }
    return NULL;
}

const char *view_role_name(view_role r) {
    static const char *const names[] = {"heading", "text", "button", "image", "field", "callout", "status"};
    return (unsigned)r < sizeof names / sizeof names[0] ? names[r] : "unknown";
}

bool view_write_json(const view *v, const char *screen, int w, int h, const char *extra_json, const char *path) {
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "screen", screen);
    int size[2] = {w, h};
    cJSON_AddItemToObject(root, "size", cJSON_CreateIntArray(size, 2));
    /* the caller's extra members (reading settings, read-aloud state) go in at the top level */
    cJSON *extra = extra_json ? cJSON_Parse(extra_json) : NULL;
    while (extra && extra->child) {
        cJSON *item = cJSON_DetachItemViaPointer(extra, extra->child);
        cJSON_AddItemToObject(root, item->string, item);
    }
    cJSON_Delete(extra);
    cJSON *arr = cJSON_AddArrayToObject(root, "elements");
    for (size_t i = 0; i < v->n; i++) {
        const view_elem *e = &v->e[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "role", view_role_name(e->role));
        cJSON_AddStringToObject(o, "text", e->text);
        int b[4] = {e->x, e->y, e->w, e->h};
        cJSON_AddItemToObject(o, "bounds", cJSON_CreateIntArray(b, 4));
        if (e->action) cJSON_AddBoolToObject(o, "tappable", 1);
        cJSON_AddItemToArray(arr, o);
    }
    char *s = cJSON_Print(root);
    cJSON_Delete(root);
    if (!s) return false;
    FILE *f = fopen(path, "wb");
    bool ok = f && fputs(s, f) >= 0;
    if (f && fclose(f) != 0) ok = false;
    free(s);
    return ok;
}
