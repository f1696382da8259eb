/* view.c — the per-frame element list; see view.h. Texts go into one growing buffer per frame, so a frame
 * costs no malloc once the buffers have grown to the size of the busiest screen. */
#include "view.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void view_init(view *v) { memset(v, 0, sizeof *v); }

void view_deinit(view *v) {
    free(v->e);
    free(v->f);
    free(v->text);
    memset(v, 0, sizeof *v);
}

void view_reset(view *v) {
    v->n = 0;
    v->nf = 0;
    v->text_len = 0;
    v->clipping = false;
    v->area_top = -1;
    v->area_bottom = v->area_extent = 0;
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
    int fx = x, fy = y, fw = w, fh = h; /* the whole, for the focus order */
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
    v->e[v->n++] = (view_elem){role, v->text + off, x, y, w, h, action, arg, clipped};
    if (action && !add_focus(v, off, fx, fy, fw, fh, action, arg, (int)v->n - 1)) return false;
    return true;
}

const char *view_focus_text(const view *v, const view_focus *f) { return v->text + f->text; }

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
