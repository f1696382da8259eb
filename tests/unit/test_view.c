/* test_view.c — the frame's description (src/ui/view.c) without a window: texts copied in, hit-testing (the last
 * tappable element under a point wins, others are never hit), clipping to a rectangle, a new frame keeping its
 * buffers, many elements and long texts (the buffers grow and the texts survive it), the JSON `describe` writes
 * (parsed back with cJSON), every role's name, and the marks a screen reader is given (a heading's level, an answer
 * chosen or not, a list's items, a table's cells) and the frame's outline (the levels of headings the screen gave
 * none). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui/view.h"

static void test_add_copies_text(void **state) {
    (void)state;
    view v;
    view_init(&v);
    assert_int_equal(v.n, 0);
    char buf[32];
    strcpy(buf, "Pust rolig");
    assert_true(view_add(&v, ROLE_BUTTON, buf, 10, 20, 30, 40, 7, 3));
    strcpy(buf, "XXXXXXXXXX");
    assert_int_equal(v.n, 1);
    const view_elem *e = &v.e[0];
    assert_string_equal(e->text, "Pust rolig");
    assert_ptr_not_equal(e->text, buf);
    assert_int_equal(e->role, ROLE_BUTTON);
    assert_int_equal(e->x, 10);
    assert_int_equal(e->y, 20);
    assert_int_equal(e->w, 30);
    assert_int_equal(e->h, 40);
    assert_int_equal(e->action, 7);
    assert_int_equal(e->arg, 3);
    assert_false(e->clipped);
    /* no text is an empty text, never NULL */
    assert_true(view_add(&v, ROLE_IMAGE, NULL, 0, 0, 5, 5, 0, 0));
    assert_non_null(v.e[1].text);
    assert_string_equal(v.e[1].text, "");
    assert_true(view_add(&v, ROLE_TEXT, "", 0, 0, 5, 5, 0, 0));
    assert_string_equal(v.e[2].text, "");
    /* UTF-8 as it is */
    assert_true(view_add(&v, ROLE_HEADING, "Æ ø å «Hjelp nå»", 0, 0, 5, 5, 0, 0));
    assert_string_equal(v.e[3].text, "Æ ø å «Hjelp nå»");
    assert_string_equal(v.e[0].text, "Pust rolig");
    view_deinit(&v);
    assert_null(v.e);
    assert_null(v.text);
    assert_int_equal(v.n, 0);
}

static void test_hit(void **state) {
    (void)state;
    view v;
    view_init(&v);
    assert_null(view_hit(&v, 0, 0));                                       /* an empty frame */
    view_add(&v, ROLE_TEXT, "bakgrunn", 0, 0, 800, 1280, 0, 0);            /* not tappable */
    view_add(&v, ROLE_BUTTON, "kort", 100, 100, 200, 100, 1, 11);          /* tappable */
    view_add(&v, ROLE_BUTTON, "knapp på kortet", 150, 150, 50, 30, 2, 22); /* on top of the card */
    view_add(&v, ROLE_TEXT, "etikett", 160, 160, 20, 10, 0, 0);            /* a label over the button */
    view_add(&v, ROLE_CALLOUT, "boks", 400, 400, 100, 100, 0, 0);

    /* the last-added tappable element under the point */
    const view_elem *e = view_hit(&v, 155, 155);
    assert_non_null(e);
    assert_int_equal(e->action, 2);
    assert_int_equal(e->arg, 22);
    assert_string_equal(e->text, "knapp på kortet");
    /* a label drawn over a button does not swallow the tap */
    e = view_hit(&v, 165, 165);
    assert_non_null(e);
    assert_int_equal(e->action, 2);
    /* outside the button, on the card */
    e = view_hit(&v, 110, 110);
    assert_non_null(e);
    assert_int_equal(e->action, 1);
    /* on non-tappable elements only: nothing */
    assert_null(view_hit(&v, 450, 450));
    assert_null(view_hit(&v, 5, 5));
    assert_null(view_hit(&v, -1, -1));
    /* the edges: x, y inside; x + w, y + h outside */
    assert_int_equal(view_hit(&v, 100, 100)->action, 1);
    assert_int_equal(view_hit(&v, 299, 199)->action, 1);
    assert_null(view_hit(&v, 300, 150));
    assert_null(view_hit(&v, 150, 200));
    assert_int_equal(view_hit(&v, 199, 179)->action, 2);
    assert_int_equal(view_hit(&v, 200, 150)->action, 1);
    /* a later tappable element over an earlier one takes it */
    view_add(&v, ROLE_FIELD, "felt", 0, 0, 800, 1280, 9, 0);
    assert_int_equal(view_hit(&v, 155, 155)->action, 9);
    view_deinit(&v);
}

static void test_clip(void **state) {
    (void)state;
    view v;
    view_init(&v);
    view_clip(&v, 100, 200, 300, 400); /* x 100..400, y 200..600 */
    /* wholly inside: unchanged, not clipped */
    assert_true(view_add(&v, ROLE_TEXT, "inne", 150, 250, 50, 50, 0, 0));
    assert_int_equal(v.n, 1);
    assert_false(v.e[0].clipped);
    assert_int_equal(v.e[0].x, 150);
    assert_int_equal(v.e[0].w, 50);
    /* exactly the rectangle: not clipped */
    assert_true(view_add(&v, ROLE_TEXT, "lik", 100, 200, 300, 400, 0, 0));
    assert_false(v.e[1].clipped);
    /* across the top-left corner: cut to the visible part */
    assert_true(view_add(&v, ROLE_BUTTON, "hjørne", 50, 150, 100, 100, 1, 0));
    assert_int_equal(v.n, 3);
    const view_elem *e = &v.e[2];
    assert_true(e->clipped);
    assert_int_equal(e->x, 100);
    assert_int_equal(e->y, 200);
    assert_int_equal(e->w, 50);
    assert_int_equal(e->h, 50);
    assert_string_equal(e->text, "hjørne");
    /* across the bottom-right corner */
    assert_true(view_add(&v, ROLE_TEXT, "nede", 350, 550, 100, 100, 0, 0));
    e = &v.e[3];
    assert_true(e->clipped);
    assert_int_equal(e->x, 350);
    assert_int_equal(e->y, 550);
    assert_int_equal(e->w, 50);
    assert_int_equal(e->h, 50);
    /* wider than the rectangle on both sides */
    assert_true(view_add(&v, ROLE_TEXT, "bred", 0, 300, 1000, 10, 0, 0));
    e = &v.e[4];
    assert_true(e->clipped);
    assert_int_equal(e->x, 100);
    assert_int_equal(e->w, 300);
    assert_int_equal(e->y, 300);
    assert_int_equal(e->h, 10);
    /* across one edge only, each in turn */
    static const struct {
        int x, y, w, h, cx, cy, cw, ch;
    } one_edge[] = {
        {90, 300, 20, 10, 100, 300, 10, 10},  /* left */
        {390, 300, 20, 10, 390, 300, 10, 10}, /* right */
        {150, 190, 10, 20, 150, 200, 10, 10}, /* top */
        {150, 590, 10, 20, 150, 590, 10, 10}, /* bottom */
    };
    for (size_t i = 0; i < sizeof one_edge / sizeof one_edge[0]; i++) {
        assert_true(view_add(&v, ROLE_TEXT, "kant", one_edge[i].x, one_edge[i].y, one_edge[i].w, one_edge[i].h, 0, 0));
        e = &v.e[v.n - 1];
        if (!e->clipped) fail_msg("an element across edge %zu is not marked clipped", i);
        assert_int_equal(e->x, one_edge[i].cx);
        assert_int_equal(e->y, one_edge[i].cy);
        assert_int_equal(e->w, one_edge[i].cw);
        assert_int_equal(e->h, one_edge[i].ch);
    }
    /* wholly outside (each side), or only touching an edge: dropped, and that is no error */
    size_t n = v.n;
    assert_true(view_add(&v, ROLE_BUTTON, "over", 150, 0, 50, 100, 1, 0));
    assert_true(view_add(&v, ROLE_BUTTON, "under", 150, 700, 50, 100, 1, 0));
    assert_true(view_add(&v, ROLE_BUTTON, "venstre", 0, 300, 50, 50, 1, 0));
    assert_true(view_add(&v, ROLE_BUTTON, "høyre", 500, 300, 50, 50, 1, 0));
    assert_true(view_add(&v, ROLE_BUTTON, "kant", 400, 300, 50, 50, 1, 0));  /* starts at the right edge */
    assert_true(view_add(&v, ROLE_BUTTON, "kant2", 150, 150, 50, 50, 1, 0)); /* ends at the top edge */
    assert_int_equal(v.n, n);
    /* a dropped tappable element cannot be hit */
    assert_null(view_hit(&v, 160, 50));
    /* the cut part of a tappable element is not hit either, the visible part is */
    assert_null(view_hit(&v, 60, 160));
    assert_non_null(view_hit(&v, 120, 220));

    /* clip off: elements are taken as they are again */
    view_clip_off(&v);
    assert_true(view_add(&v, ROLE_BUTTON, "fri", 0, 0, 50, 50, 1, 0));
    e = &v.e[v.n - 1];
    assert_false(e->clipped);
    assert_int_equal(e->x, 0);
    assert_int_equal(e->y, 0);
    assert_int_equal(e->w, 50);
    assert_int_equal(e->h, 50);
    assert_string_equal(e->text, "fri");
    /* a new clip replaces the old one */
    view_clip(&v, 0, 0, 10, 10);
    view_clip(&v, 1000, 1000, 10, 10);
    n = v.n;
    view_add(&v, ROLE_TEXT, "gammel", 0, 0, 10, 10, 0, 0);
    assert_int_equal(v.n, n);
    view_add(&v, ROLE_TEXT, "ny", 995, 1005, 10, 10, 0, 0);
    assert_int_equal(v.n, n + 1);
    e = &v.e[n];
    assert_true(e->clipped);
    assert_int_equal(e->x, 1000);
    assert_int_equal(e->w, 5);
    assert_int_equal(e->y, 1005);
    assert_int_equal(e->h, 5);
    view_deinit(&v);
}

/* A new frame starts empty, without clipping, and reuses the buffers it already has. */
static void test_reset_keeps_buffers(void **state) {
    (void)state;
    view v;
    view_init(&v);
    for (int i = 0; i < 300; i++)
        assert_true(view_add(&v, ROLE_TEXT, "en linje med litt tekst i", 0, i, 10, 1, 0, 0));
    view_clip(&v, 0, 0, 1, 1);
    view_elem *e = v.e;
    char *text = v.text;
    size_t cap = v.cap, text_cap = v.text_cap;
    view_reset(&v);
    assert_int_equal(v.n, 0);
    assert_false(v.clipping);
    assert_null(view_hit(&v, 5, 5));
    assert_ptr_equal(v.e, e);
    assert_ptr_equal(v.text, text);
    assert_int_equal(v.cap, cap);
    assert_int_equal(v.text_cap, text_cap);
    /* the next frame, as busy as the last, needs no new memory */
    for (int i = 0; i < 300; i++)
        assert_true(view_add(&v, ROLE_BUTTON, "en linje med litt tekst i", 0, i, 10, 1, 1, i));
    assert_int_equal(v.n, 300);
    assert_ptr_equal(v.e, e);
    assert_ptr_equal(v.text, text);
    assert_false(v.e[0].clipped); /* the clip ended with the old frame */
    assert_int_equal(view_hit(&v, 5, 123)->arg, 123);
    view_deinit(&v);
}

/* Thousands of elements: the arrays grow, and every text is still the one added (the texts move with the buffer). */
static void test_many_elements(void **state) {
    (void)state;
    view v;
    view_init(&v);
    enum { N = 5000 };
    char buf[64];
    for (int i = 0; i < N; i++) {
        snprintf(buf, sizeof buf, "element nummer %d", i);
        assert_true(view_add(&v, (view_role)(i % 7), buf, i, 2 * i, 1, 1, i % 2, i));
    }
    assert_int_equal(v.n, N);
    assert_true(v.cap >= N);
    for (int i = 0; i < N; i++) {
        snprintf(buf, sizeof buf, "element nummer %d", i);
        assert_string_equal(v.e[i].text, buf);
        assert_int_equal(v.e[i].x, i);
        assert_int_equal(v.e[i].y, 2 * i);
        assert_int_equal(v.e[i].arg, i);
        assert_int_equal(v.e[i].role, i % 7);
    }
    assert_int_equal(view_hit(&v, 4999, 9998)->arg, 4999);
    assert_null(view_hit(&v, 4998, 9996)); /* even: not tappable */
    view_deinit(&v);
}

/* Texts far longer than the first buffer (a page of one 60,000-character word), mixed with short ones. */
static void test_long_texts(void **state) {
    (void)state;
    view v;
    view_init(&v);
    size_t sizes[] = {100, 60000, 5, 200000, 0, 8191, 8192, 8193, 1000000};
    size_t count = sizeof sizes / sizeof sizes[0];
    char **texts = calloc(count, sizeof *texts);
    assert_non_null(texts);
    for (size_t i = 0; i < count; i++) {
        texts[i] = malloc(sizes[i] + 1);
        assert_non_null(texts[i]);
        for (size_t j = 0; j < sizes[i]; j++)
            texts[i][j] = (char)('a' + (i + j) % 26);
        texts[i][sizes[i]] = '\0';
        assert_true(view_add(&v, ROLE_TEXT, texts[i], 0, 0, 10, 10, 0, 0));
        assert_true(view_add(&v, ROLE_BUTTON, "kort", 0, 0, 10, 10, 1, 0));
    }
    assert_int_equal(v.n, 2 * count);
    for (size_t i = 0; i < count; i++) {
        assert_int_equal(strlen(v.e[2 * i].text), sizes[i]);
        assert_string_equal(v.e[2 * i].text, texts[i]);
        assert_string_equal(v.e[2 * i + 1].text, "kort");
    }
    for (size_t i = 0; i < count; i++)
        free(texts[i]);
    free(texts);
    view_deinit(&v);
}

static char *read_all(const char *path) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long len = ftell(f);
    assert_true(len >= 0);
    rewind(f);
    char *s = malloc((size_t)len + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)len, f), (size_t)len);
    s[len] = '\0';
    fclose(f);
    return s;
}

static cJSON *write_and_parse(const view *v, const char *screen, int w, int h, const char *extra) {
    char path[] = "/tmp/test_view_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_true(view_write_json(v, screen, w, h, extra, path));
    char *s = read_all(path);
    unlink(path);
    cJSON *root = cJSON_Parse(s);
    if (!root) fail_msg("view_write_json wrote invalid JSON: %s", s);
    free(s);
    assert_true(cJSON_IsObject(root));
    return root;
}

static void check_bounds(const cJSON *o, int x, int y, int w, int h) {
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(o, "bounds");
    assert_true(cJSON_IsArray(b));
    assert_int_equal(cJSON_GetArraySize(b), 4);
    int want[4] = {x, y, w, h};
    for (int i = 0; i < 4; i++) {
        const cJSON *n = cJSON_GetArrayItem(b, i);
        assert_true(cJSON_IsNumber(n));
        assert_int_equal(n->valueint, want[i]);
    }
}

static const char *str_member(const cJSON *o, const char *name) {
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!cJSON_IsString(s)) fail_msg("member %s is not a string", name);
    return s->valuestring;
}

static void test_write_json(void **state) {
    (void)state;
    view v;
    view_init(&v);
    view_add(&v, ROLE_HEADING, "Modul 1: «Angst»", 24, 80, 752, 60, 0, 0);
    view_add(&v, ROLE_TEXT, "Linje 1\nLinje 2\t\"sitert\" \\ slutt", 24, 150, 752, 120, 0, 0);
    view_add(&v, ROLE_BUTTON, "Hjelp nå", 600, 10, 180, 56, 3, 0);
    view_clip(&v, 0, 0, 800, 1000);
    view_add(&v, ROLE_FIELD, "felt", 24, 950, 752, 100, 4, 1);
    view_clip_off(&v);

    cJSON *root = write_and_parse(&v, "reader", 800, 1280,
                                  "{\"text_size\": 200, \"theme\": \"dark\", \"reading\": {\"word\": 3}}");
    assert_string_equal(str_member(root, "screen"), "reader");
    const cJSON *size = cJSON_GetObjectItemCaseSensitive(root, "size");
    assert_true(cJSON_IsArray(size));
    assert_int_equal(cJSON_GetArraySize(size), 2);
    assert_int_equal(cJSON_GetArrayItem(size, 0)->valueint, 800);
    assert_int_equal(cJSON_GetArrayItem(size, 1)->valueint, 1280);
    /* the extra members at the top level, as given */
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(root, "text_size")->valueint, 200);
    assert_string_equal(str_member(root, "theme"), "dark");
    const cJSON *reading = cJSON_GetObjectItemCaseSensitive(root, "reading");
    assert_true(cJSON_IsObject(reading));
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(reading, "word")->valueint, 3);

    const cJSON *els = cJSON_GetObjectItemCaseSensitive(root, "elements");
    assert_true(cJSON_IsArray(els));
    assert_int_equal(cJSON_GetArraySize(els), 4);
    const cJSON *o = cJSON_GetArrayItem(els, 0);
    assert_string_equal(str_member(o, "role"), "heading");
    assert_string_equal(str_member(o, "text"), "Modul 1: «Angst»");
    check_bounds(o, 24, 80, 752, 60);
    assert_null(cJSON_GetObjectItemCaseSensitive(o, "tappable"));
    o = cJSON_GetArrayItem(els, 1);
    assert_string_equal(str_member(o, "role"), "text");
    assert_string_equal(str_member(o, "text"), "Linje 1\nLinje 2\t\"sitert\" \\ slutt"); /* escaped and back */
    assert_null(cJSON_GetObjectItemCaseSensitive(o, "tappable"));
    o = cJSON_GetArrayItem(els, 2);
    assert_string_equal(str_member(o, "role"), "button");
    assert_string_equal(str_member(o, "text"), "Hjelp nå");
    check_bounds(o, 600, 10, 180, 56);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "tappable")));
    o = cJSON_GetArrayItem(els, 3); /* the clipped bounds are what is described */
    assert_string_equal(str_member(o, "role"), "field");
    check_bounds(o, 24, 950, 752, 50);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "tappable")));
    cJSON_Delete(root);

    /* no extra, and extra that is not JSON: just the screen, the size and the elements */
    for (int i = 0; i < 3; i++) {
        static const char *const extras[] = {NULL, "{ not json", "{}"};
        root = write_and_parse(&v, "home", 360, 640, extras[i]);
        assert_string_equal(str_member(root, "screen"), "home");
        assert_int_equal(cJSON_GetArraySize(root), 3);
        assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root, "elements")), 4);
        cJSON_Delete(root);
    }

    /* an empty frame still has its elements array */
    view_reset(&v);
    root = write_and_parse(&v, "tom", 1, 1, NULL);
    const cJSON *empty = cJSON_GetObjectItemCaseSensitive(root, "elements");
    assert_true(cJSON_IsArray(empty));
    assert_int_equal(cJSON_GetArraySize(empty), 0);
    cJSON_Delete(root);

    /* a path that cannot be written: false, no crash */
    assert_false(view_write_json(&v, "x", 1, 1, NULL, "/nonexistent-dir/view.json"));
    view_deinit(&v);
}

/* A busy frame with long texts makes valid JSON too. */
static void test_write_json_big(void **state) {
    (void)state;
    view v;
    view_init(&v);
    char *word = malloc(60001);
    assert_non_null(word);
    memset(word, 'x', 60000);
    word[60000] = '\0';
    view_add(&v, ROLE_TEXT, word, 0, 0, 800, 20000, 0, 0);
    char buf[32];
    for (int i = 0; i < 2000; i++) {
        snprintf(buf, sizeof buf, "«%d» æøå", i);
        view_add(&v, (view_role)(i % 7), buf, 0, i, 10, 1, i % 3, 0);
    }
    cJSON *root = write_and_parse(&v, "stor", 800, 1280, NULL);
    const cJSON *els = cJSON_GetObjectItemCaseSensitive(root, "elements");
    assert_int_equal(cJSON_GetArraySize(els), 2001);
    assert_string_equal(str_member(cJSON_GetArrayItem(els, 0), "text"), word);
    assert_string_equal(str_member(cJSON_GetArrayItem(els, 2000), "text"), "«1999» æøå");
    free(word);
    cJSON_Delete(root);
    view_deinit(&v);
}

static void test_role_names(void **state) {
    (void)state;
    assert_string_equal(view_role_name(ROLE_HEADING), "heading");
    assert_string_equal(view_role_name(ROLE_TEXT), "text");
    assert_string_equal(view_role_name(ROLE_BUTTON), "button");
    assert_string_equal(view_role_name(ROLE_IMAGE), "image");
    assert_string_equal(view_role_name(ROLE_FIELD), "field");
    assert_string_equal(view_role_name(ROLE_CALLOUT), "callout");
    assert_string_equal(view_role_name(ROLE_STATUS), "status");
    /* the names are distinct */
    for (int a = ROLE_HEADING; a <= ROLE_STATUS; a++)
        for (int b = a + 1; b <= ROLE_STATUS; b++)
            assert_string_not_equal(view_role_name((view_role)a), view_role_name((view_role)b));
    /* outside the enum: a name still, never a crash */
    assert_string_equal(view_role_name((view_role)(ROLE_STATUS + 1)), "unknown");
    assert_string_equal(view_role_name((view_role)-1), "unknown");
    assert_string_equal(view_role_name((view_role)1000), "unknown");
}

/* A font of 10 px a byte, with no hyphenation patterns: every break inside a word is a cut. */
static int ten_px(void *ctx, int style, const char *s, size_t len) {
    (void)ctx;
    (void)style;
    (void)s;
    return (int)len * 10;
}

/* check-words (issue 13) reads the breaks the view keeps: one inside a word is kept with its context and whether a
 * hyphen is drawn; one at a space is not kept at all. */
static void test_breaks(void **state) {
    (void)state;
    view v;
    view_init(&v);
    view_reset(&v);
    layout_font lf = {.measure = ten_px};
    layout_para p;
    layout_para_init(&p);
    layout_run words = {"to ord", 6, 0};
    assert_true(layout_paragraph(&p, &lf, &words, 1, 30));
    assert_int_equal(p.n_lines, 2);
    view_breaks(&v, &p, &words, true);
    assert_int_equal(v.nb, 0);
    layout_run word = {"panikkanfall", 12, 0};
    assert_true(layout_paragraph(&p, &lf, &word, 1, 65)); /* "panik-" fits 60 px */
    view_breaks(&v, &p, &word, true);
    assert_true(v.nb >= 1);
    /* where the cut falls is layout.c's rule (test_layout): here, that the view keeps it whole with its context */
    const char *bt = view_break_text(&v, &v.b[0]);
    const char *cut = strchr(bt, '\x1f');
    assert_non_null(cut);
    char joined[32];
    snprintf(joined, sizeof joined, "%.*s%s", (int)(cut - bt), bt, cut + 1);
    assert_non_null(strstr("panikkanfall", joined));
    assert_true(cut - bt >= 2 && strlen(cut + 1) >= 3);
    assert_true(v.b[0].hyphen);
    size_t before = v.nb;
    layout_run ab = {"ab", 2, 0};
    assert_true(layout_paragraph(&p, &lf, &ab, 1, 10)); /* too short to cut: it runs over, whole (layout.c) */
    view_breaks(&v, &p, &ab, true);
    assert_int_equal(v.nb, before);
    assert_true(layout_paragraph(&p, &lf, &word, 1, 65));
    before = v.nb;
    view_breaks(&v, &p, &word, false); /* a caller that draws no hyphens shows the word cut */
    assert_true(v.nb > before);
    assert_false(v.b[before].hyphen);
    view_reset(&v);
    assert_int_equal(v.nb, 0);
    layout_para_deinit(&p);
    view_deinit(&v);
}

/* An element given no room is counted and kept whole even where the clip drops it from the list. */
/* What a screen reader needs beyond the words: marks on the elements a widget added (from its index on), none on
 * those before it, and nothing of them in the JSON describe writes (the golden walk's files stay as they were). */
static void test_marks(void **state) {
    (void)state;
    view v;
    view_init(&v);
    assert_true(view_add(&v, ROLE_HEADING, "Lesehjelp", 0, 0, 100, 30, 0, 0));
    size_t from = v.n;
    assert_true(view_add(&v, ROLE_HEADING, "Farger", 0, 40, 100, 30, 0, 0));
    view_heading_level(&v, from, 2);
    assert_int_equal(v.e[0].level, 0);
    assert_int_equal(v.e[1].level, 2);
    view_heading_level(&v, from, 9); /* HTML's and ATK's six levels */
    assert_int_equal(v.e[1].level, 6);
    from = v.n;
    assert_true(view_add(&v, ROLE_BUTTON, "Krem – valgt", 0, 80, 100, 48, 5, 0));
    assert_true(view_add(&v, ROLE_TEXT, "", 0, 130, 100, 10, 0, 0)); /* not tappable: not an answer */
    view_choice(&v, from, VIEW_CHOICE_ONE, true);
    assert_int_equal(v.e[2].choice, VIEW_CHOICE_ONE);
    assert_true(v.e[2].chosen);
    assert_int_equal(v.e[3].choice, VIEW_CHOICE_NONE);
    assert_int_equal(v.e[1].choice, VIEW_CHOICE_NONE);
    from = v.n;
    for (int i = 0; i < 3; i++)
        assert_true(view_add(&v, ROLE_BUTTON, "Modul", 0, 200 + 60 * i, 100, 48, 9, i));
    view_list(&v, from);
    assert_int_equal(v.e[from].list, VIEW_LIST_FIRST);
    assert_int_equal(v.e[from + 1].list, VIEW_LIST_ITEM);
    assert_int_equal(v.e[from + 2].list, VIEW_LIST_ITEM);
    assert_int_equal(v.e[2].list, VIEW_LIST_NONE);
    view_reset(&v); /* a new frame's elements start unmarked */
    assert_true(view_add(&v, ROLE_BUTTON, "Hvit", 0, 0, 100, 48, 5, 1));
    assert_int_equal(v.e[0].choice, VIEW_CHOICE_NONE);
    assert_int_equal(v.e[0].list, VIEW_LIST_NONE);
    assert_int_equal(v.e[0].level, 0);
    view_choice(&v, 0, VIEW_CHOICE_MANY, false);
    char path[] = "/tmp/test_view_marks_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_true(view_write_json(&v, "aids", 360, 640, NULL, path));
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    unlink(path);
    cJSON *root = cJSON_Parse(buf);
    assert_non_null(root);
    cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "elements"), 0);
    assert_non_null(e);
    assert_int_equal(cJSON_GetArraySize(e), 4); /* role, text, bounds, tappable */
    cJSON_Delete(root);
    view_deinit(&v);
}

static void test_flat(void **state) {
    (void)state;
    view v;
    view_init(&v);
    view_reset(&v);
    view_clip(&v, 0, 0, 100, 100);
    assert_true(view_add(&v, ROLE_FIELD, "felt", 10, 50, 80, -2, 0, 0));
    assert_int_equal(v.n, 0);
    assert_int_equal(v.n_flat, 1);
    assert_string_equal(v.flat.text, "felt");
    assert_int_equal(v.flat.h, -2);
    view_reset(&v);
    assert_int_equal(v.n_flat, 0);
    view_deinit(&v);
}

/* A page's list items are text, one element an item; the next block's items start a list of their own */
static void test_list_items(void **state) {
    (void)state;
    view v;
    view_init(&v);
    assert_true(view_add(&v, ROLE_TEXT, "Før", 0, 0, 100, 20, 0, 0));
    size_t from = v.n;
    assert_true(view_add(&v, ROLE_TEXT, "Én", 0, 20, 100, 20, 0, 0));
    view_list_item(&v, from, true);
    from = v.n;
    assert_true(view_add(&v, ROLE_TEXT, "To", 0, 40, 100, 20, 0, 0));
    view_list_item(&v, from, false);
    from = v.n;
    assert_true(view_add(&v, ROLE_TEXT, "Neste liste", 0, 60, 100, 20, 0, 0));
    view_list_item(&v, from, true);
    assert_int_equal(v.e[0].list, VIEW_LIST_NONE);
    assert_int_equal(v.e[1].list, VIEW_LIST_FIRST);
    assert_int_equal(v.e[2].list, VIEW_LIST_ITEM);
    assert_int_equal(v.e[3].list, VIEW_LIST_FIRST);
    view_deinit(&v);
}

/* A form's rows as a table: a heading a row's header (column 0), a field's label a cell's start; a row scrolled in
 * from above (its heading gone) has its last columns */
static void test_table(void **state) {
    (void)state;
    view v;
    view_init(&v);
    assert_true(view_add(&v, ROLE_FIELD, "Mine anfall", 0, 0, 100, 20, 0, 0));
    size_t from = v.n;
    /* the end of row 1: its third column's question and button (the heading and the first two scrolled away) */
    assert_true(view_add(&v, ROLE_FIELD, "Følelse", 0, 20, 100, 20, 0, 0));
    assert_true(view_add(&v, ROLE_BUTTON, "Følelse, rad 1", 0, 40, 100, 40, 3, 1));
    assert_true(view_add(&v, ROLE_HEADING, "Rad 2", 0, 80, 100, 20, 0, 0));
    const char *cols[] = {"Situasjon", "Tanke", "Følelse"};
    for (int c = 0; c < 3; c++) {
        assert_true(view_add(&v, ROLE_FIELD, cols[c], 0, 100 + 60 * c, 100, 20, 0, 0));
        assert_true(view_add(&v, ROLE_BUTTON, cols[c], 0, 120 + 60 * c, 100, 40, 3, 10 + c));
    }
    view_table(&v, from, 3);
    assert_int_equal(v.e[0].table, VIEW_TABLE_NONE);
    assert_int_equal(v.e[1].table, VIEW_TABLE_FIRST);
    for (size_t i = 1; i < v.n; i++) {
        assert_int_equal(v.e[i].table_cols, 4);
        if (i > 1) assert_int_equal(v.e[i].table, VIEW_TABLE_CELL);
    }
    assert_int_equal(v.e[1].row, 0); /* «Følelse» of row 1: the last column */
    assert_int_equal(v.e[1].col, 3);
    assert_int_equal(v.e[2].col, 3);
    assert_int_equal(v.e[3].row, 1); /* «Rad 2»: row 2's header */
    assert_int_equal(v.e[3].col, 0);
    for (int c = 0; c < 3; c++) {
        assert_int_equal(v.e[4 + 2 * c].row, 1);
        assert_int_equal(v.e[4 + 2 * c].col, c + 1);
        assert_int_equal(v.e[5 + 2 * c].col, c + 1);
    }
    view_deinit(&v);
}

/* Headings the screen gave no level: the screen's title 1 (in the bar, the first, or saying the bar's title), others
 * one under the last heading whose level is known */
static void test_outline(void **state) {
    (void)state;
    view v;
    view_init(&v);
    int levels[16];
    /* an exercise under a phone's bar: the bar's title line, the content's title, a row of its table */
    assert_true(view_add(&v, ROLE_HEADING, "Tankeskjema", 0, 60, 100, 20, 0, 0));
    assert_true(view_add(&v, ROLE_STATUS, "Demonstrasjon", 0, 90, 100, 20, 0, 0));
    view_bar_bottom(&v, 150);
    assert_true(view_add(&v, ROLE_HEADING, "Tankeskjema", 0, 170, 100, 40, 0, 0));
    assert_true(view_add(&v, ROLE_FIELD, "Mine anfall", 0, 220, 100, 20, 0, 0));
    assert_true(view_add(&v, ROLE_HEADING, "Rad 1", 0, 250, 100, 20, 0, 0));
    assert_true(view_add(&v, ROLE_HEADING, "Rad 2", 0, 450, 100, 20, 0, 0));
    view_outline(&v, levels);
    assert_int_equal(levels[0], 1);
    assert_int_equal(levels[1], 0);
    assert_int_equal(levels[2], 1);
    assert_int_equal(levels[3], 0);
    assert_int_equal(levels[4], 2);
    assert_int_equal(levels[5], 2); /* a sibling of «Rad 1», not under it */
    /* a questionnaire's summary says the bar's title in its own; «Hjelp nå»'s numbers under the bar's title; a
     * section the screen gave level 2 makes what follows it 3 */
    view_reset(&v);
    assert_true(view_add(&v, ROLE_HEADING, "GAD-7", 0, 60, 100, 20, 0, 0));
    view_bar_bottom(&v, 150);
    assert_true(view_add(&v, ROLE_HEADING, "Ukens skjema: GAD-7", 0, 170, 100, 40, 0, 0));
    assert_true(view_add(&v, ROLE_HEADING, "113", 0, 220, 100, 40, 0, 0));
    size_t from = v.n;
    assert_true(view_add(&v, ROLE_HEADING, "Når du trenger hjelp", 0, 270, 100, 20, 0, 0));
    view_heading_level(&v, from, 2);
    assert_true(view_add(&v, ROLE_HEADING, "Legevakt", 0, 300, 100, 20, 0, 0));
    view_outline(&v, levels);
    assert_int_equal(levels[0], 1);
    assert_int_equal(levels[1], 1);
    assert_int_equal(levels[2], 2);
    assert_int_equal(levels[3], 2);
    assert_int_equal(levels[4], 3);
    /* no bar: the first heading is the screen's title (a tablet's exercise, the editor's title) */
    view_reset(&v);
    assert_true(view_add(&v, ROLE_BUTTON, "Tilbake", 0, 0, 48, 48, 1, 0));
    assert_true(view_add(&v, ROLE_HEADING, "Melding til behandleren", 0, 60, 100, 20, 0, 0));
    assert_true(view_add(&v, ROLE_HEADING, "Utkast", 0, 100, 100, 20, 0, 0));
    view_outline(&v, levels);
    assert_int_equal(levels[1], 1);
    assert_int_equal(levels[2], 2);
    view_deinit(&v);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_copies_text),
        cmocka_unit_test(test_hit),
        cmocka_unit_test(test_clip),
        cmocka_unit_test(test_reset_keeps_buffers),
        cmocka_unit_test(test_many_elements),
        cmocka_unit_test(test_long_texts),
        cmocka_unit_test(test_write_json),
        cmocka_unit_test(test_write_json_big),
        cmocka_unit_test(test_role_names),
        cmocka_unit_test(test_breaks),
        cmocka_unit_test(test_flat),
        cmocka_unit_test(test_marks),
        cmocka_unit_test(test_list_items),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_outline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
