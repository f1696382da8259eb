/* doc.c — the content model from disk and in use: loading a programme directory (programme.json, then each
 * module's file), the validator's checks across documents (unique ids, images that will show, gates that exist),
 * lookups, word counts and questionnaire scoring. The seam: parsing one document is doc_parse.c's (its values
 * doc_json.c's); this file deals with files and with the finished, read-only model. */
#include "doc_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "meistring/config.h"
#include "meistring/image.h"

/* ---- files ------------------------------------------------------------------------------------------------ */

/* Reads a whole file, refusing more than MS_DOC_MAX_BYTES. Caller frees. */
static char *read_file(const char *path, size_t *len, pctx *c) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        pctx_fail(c, DOC_ERR_IO, "cannot open the file: %s", strerror(errno));
        return NULL;
    }
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fclose(f);
        pctx_fail(c, DOC_ERR_IO, "not a regular file");
        return NULL;
    }
    if ((unsigned long long)sb.st_size > MS_DOC_MAX_BYTES) {
        fclose(f);
        pctx_fail(c, DOC_ERR_LIMIT, "the document is %lld bytes; at most %u are allowed", (long long)sb.st_size,
                  MS_DOC_MAX_BYTES);
        return NULL;
    }
    size_t size = (size_t)sb.st_size;
    char *buf = malloc(size + 1);
    if (!buf) {
        fclose(f);
        pctx_fail(c, DOC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    size_t got = fread(buf, 1, size, f);
    fclose(f);
    if (got != size) {
        free(buf);
        pctx_fail(c, DOC_ERR_IO, "the file could not be read whole");
        return NULL;
    }
    buf[size] = '\0';
    *len = size;
    return buf;
}

static doc_status load_dir(const char *dir, doc_programme **out, doc_error *err, bool strict) {
    err_reset(err);
    *out = NULL;
    char path[1024];
    snprintf(path, sizeof path, "%s/programme.json", dir);
    pctx c = {.err = err, .file = "programme.json", .strict = strict};
    size_t len = 0;
    char *json = read_file(path, &len, &c);
    if (!json) return err->status;
    doc_programme *p = NULL;
    doc_status st = doc_parse_programme_ctx(&c, json, len, &p);
    free(json);
    if (st) return st;
    for (size_t i = 0; i < p->n_modules && !st; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, p->modules[i].file);
        pctx mc = {.err = err, .file = p->modules[i].file, .strict = strict};
        json = read_file(path, &len, &mc);
        if (!json) {
            st = err->status;
            break;
        }
        st = doc_parse_module_ctx(&mc, p, i, json, len);
        free(json);
    }
    if (!st) {
        p->dir = arena_strndup(p->arena, dir, strlen(dir));
        if (!p->dir) st = DOC_ERR_NOMEM;
    }
    if (st) {
        doc_programme_free(p);
        return st;
    }
    *out = p;
    return DOC_OK;
}

doc_status doc_load_dir(const char *dir, doc_programme **out, doc_error *err) {
    doc_error local;
    return load_dir(dir, out, err ? err : &local, false);
}

doc_status doc_load_module(doc_programme *prog, size_t index, const char *dir, doc_error *err) {
    doc_error local;
    if (!err) err = &local;
    err_reset(err);
    if (index >= prog->n_modules) return DOC_ERR_SCHEMA;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, prog->modules[index].file);
    pctx c = {.err = err, .file = prog->modules[index].file};
    size_t len = 0;
    char *json = read_file(path, &len, &c);
    if (!json) return err->status;
    doc_status st = doc_parse_module_ctx(&c, prog, index, json, len);
    free(json);
    return st;
}

/* Cross-document checks for the validator: ids unique across the programme, images present. */
typedef struct {
    const char **ids;
    size_t n, cap;
} idset;

static bool idset_add(idset *s, const char *id) {
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->ids[i], id) == 0) return false;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        const char **n = realloc(s->ids, cap * sizeof *n);
        if (!n) return true; /* cannot check further; not a content problem */
        s->ids = n;
        s->cap = cap;
    }
    s->ids[s->n++] = id;
    return true;
}

/* Reports id as a duplicate at `where` when it was seen before in the programme. */
static void check_unique(idset *ids, const char *id, const char *where, int *problems,
                         void (*report)(void *ctx, const char *where, const char *msg), void *ctx) {
    if (idset_add(ids, id)) return;
    char msg[256];
    snprintf(msg, sizeof msg, "id \"%s\" is used more than once in the programme", id);
    report(ctx, where, msg);
    (*problems)++;
}

const doc_block *doc_find_any_block(const doc_programme *prog, const char *id);
const doc_block *doc_module_gate(const doc_programme *prog, const doc_module *mod);

int doc_validate_dir(const char *dir, void (*report)(void *ctx, const char *where, const char *msg), void *ctx) {
    doc_error err;
    doc_programme *p = NULL;
    if (load_dir(dir, &p, &err, true) != DOC_OK) {
        report(ctx, err.where, err.msg);
        return 1;
    }
    int problems = 0;
    idset ids = {0};
    char where[512], msg[256];
    for (size_t m = 0; m < p->n_modules; m++) {
        const doc_module *mod = &p->modules[m];
        snprintf(where, sizeof where, "programme.json: $.modules[%zu].id", m);
        check_unique(&ids, mod->id, where, &problems, report, ctx);
        for (size_t pg = 0; pg < mod->n_pages; pg++) {
            const doc_page *page = &mod->pages[pg];
            snprintf(where, sizeof where, "%s: $.pages[%zu].id", mod->file, pg);
            check_unique(&ids, page->id, where, &problems, report, ctx);
            for (size_t b = 0; b < page->n_blocks; b++) {
                const doc_block *blk = &page->blocks[b];
                snprintf(where, sizeof where, "%s: $.pages[%zu].blocks[%zu].id", mod->file, pg, b);
                check_unique(&ids, blk->id, where, &problems, report, ctx);
                /* answers will refer to field and item ids: they must be unique too */
                for (size_t f = 0; f < blk->n_fields; f++) {
                    snprintf(where, sizeof where, "%s: $.pages[%zu].blocks[%zu].fields[%zu].id", mod->file, pg, b, f);
                    check_unique(&ids, blk->fields[f].id, where, &problems, report, ctx);
                    const doc_field *fd = &blk->fields[f];
                    for (size_t k = 0; k < fd->n_columns; k++)
                        for (size_t j = 0; j < k; j++)
                            if (strcmp(fd->columns[j].id, fd->columns[k].id) == 0) {
                                snprintf(where, sizeof where,
                                         "%s: $.pages[%zu].blocks[%zu].fields[%zu].columns[%zu].id", mod->file, pg, b,
                                         f, k);
                                snprintf(msg, sizeof msg, "column id \"%s\" is used twice in this table",
                                         fd->columns[k].id);
                                report(ctx, where, msg);
                                problems++;
                            }
                }
                for (size_t q = 0; q < blk->n_qitems; q++) {
                    snprintf(where, sizeof where, "%s: $.pages[%zu].blocks[%zu].items[%zu].id", mod->file, pg, b, q);
                    check_unique(&ids, blk->qitems[q].id, where, &problems, report, ctx);
                }
                if (blk->type == DOC_BLOCK_IMAGE) {
                    /* the same checks the reader makes before it decodes an image (image.h): one it would
                     * refuse is a problem here, so a clinic learns before a patient sees only the alt text */
                    char path[1024], why[200];
                    image_info info;
                    snprintf(path, sizeof path, "%s/%s", dir, blk->src);
                    image_status ist = image_load_file(path, NULL, NULL, &info, why, sizeof why);
                    if (ist != IMAGE_OK) {
                        snprintf(where, sizeof where, "%s: $.pages[%zu].blocks[%zu].src", mod->file, pg, b);
                        if (ist == IMAGE_MISSING)
                            snprintf(msg, sizeof msg, "image file \"%s\" does not exist", blk->src);
                        else
                            snprintf(msg, sizeof msg, "image \"%s\" will not be shown: %s", blk->src, why);
                        report(ctx, where, msg);
                        problems++;
                    }
                }
            }
        }
    }
    /* a module that opens after a questionnaire must name one that exists */
    for (size_t m = 0; m < p->n_modules; m++) {
        if (p->modules[m].opens_after && !doc_module_gate(p, &p->modules[m])) {
            snprintf(where, sizeof where, "programme.json: $.modules[%zu].opens_after", m);
            snprintf(msg, sizeof msg, "\"%s\" is not the id of a questionnaire block", p->modules[m].opens_after);
            report(ctx, where, msg);
            problems++;
        }
    }
    free(ids.ids);
    doc_programme_free(p);
    return problems;
}

const doc_block *doc_module_gate(const doc_programme *prog, const doc_module *mod) {
    const doc_block *q = mod->opens_after ? doc_find_any_block(prog, mod->opens_after) : NULL;
    return q && q->type == DOC_BLOCK_QUESTIONNAIRE && q->title ? q : NULL;
}

bool doc_module_opens_after(const doc_programme *prog, const doc_module *mod, const char *block_id) {
    return block_id && doc_module_gate(prog, mod) && strcmp(mod->opens_after, block_id) == 0;
}

const doc_block *doc_find_any_block(const doc_programme *prog, const char *id) {
    for (size_t m = 0; m < prog->n_modules; m++)
        for (size_t pg = 0; pg < prog->modules[m].n_pages; pg++) {
            const doc_page *page = &prog->modules[m].pages[pg];
            for (size_t b = 0; b < page->n_blocks; b++)
                if (strcmp(page->blocks[b].id, id) == 0) return &page->blocks[b];
        }
    return NULL;
}

void doc_programme_free(doc_programme *prog) {
    if (!prog) return;
    arena_free(prog->arena); /* prog itself lives in the arena */
}

const doc_module *doc_find_module(const doc_programme *prog, const char *id) {
    for (size_t i = 0; i < prog->n_modules; i++)
        if (strcmp(prog->modules[i].id, id) == 0) return &prog->modules[i];
    return NULL;
}

int doc_find_page(const doc_module *mod, const char *page_id) {
    for (size_t i = 0; i < mod->n_pages; i++)
        if (strcmp(mod->pages[i].id, page_id) == 0) return (int)i;
    return -1;
}

int doc_find_block(const doc_page *page, const char *block_id) {
    for (size_t i = 0; i < page->n_blocks; i++)
        if (strcmp(page->blocks[i].id, block_id) == 0) return (int)i;
    return -1;
}

static size_t count_words(const char *s) {
    size_t n = 0;
    bool in_word = false;
    for (; s && *s; s++) {
        bool space = *s == ' ' || *s == '\n' || *s == '\t' || *s == '\r';
        if (!space && !in_word) n++;
        in_word = !space;
    }
    return n;
}

static size_t text_words(const doc_text *t) {
    /* spans may split a word ("viktig" + "."), so count on the joined text */
    size_t need = doc_text_plain(t, NULL, 0);
    char small[4096];
    char *buf = need < sizeof small ? small : malloc(need + 1);
    if (!buf) return 0;
    doc_text_plain(t, buf, need + 1);
    size_t n = count_words(buf);
    if (buf != small) free(buf);
    return n;
}

size_t doc_page_word_count(const doc_page *page) {
    size_t n = 0;
    for (size_t i = 0; i < page->n_blocks; i++) {
        const doc_block *b = &page->blocks[i];
        n += count_words(b->heading) + count_words(b->title) + count_words(b->alt) + count_words(b->caption);
        n += text_words(&b->text);
        for (size_t k = 0; k < b->n_items; k++)
            n += text_words(&b->items[k]);
        for (size_t k = 0; k < b->n_fields; k++)
            n += count_words(b->fields[k].label);
        for (size_t k = 0; k < b->n_qitems; k++)
            n += count_words(b->qitems[k].text);
    }
    return n;
}

size_t doc_text_plain(const doc_text *t, char *buf, size_t cap) {
    size_t need = 0;
    for (size_t i = 0; i < t->n_spans; i++) {
        size_t l = strlen(t->spans[i].text);
        if (buf && cap && need < cap - 1) {
            size_t room = cap - 1 - need;
            memcpy(buf + need, t->spans[i].text, l < room ? l : room);
        }
        need += l;
    }
    if (buf && cap) buf[need < cap ? need : cap - 1] = '\0';
    return need;
}

/* ---- questionnaire scoring ------------------------------------------------------------------------------ */

const doc_option *doc_item_options(const doc_block *q, size_t item, size_t *n) {
    if (item < q->n_qitems && q->qitems[item].n_options) {
        *n = q->qitems[item].n_options;
        return q->qitems[item].options;
    }
    *n = q->n_options;
    return q->options;
}

int doc_questionnaire_max(const doc_block *q) {
    int total = 0;
    for (size_t i = 0; i < q->n_qitems; i++) {
        size_t n;
        const doc_option *o = doc_item_options(q, i, &n);
        int best = 0;
        for (size_t k = 0; k < n; k++)
            if (k == 0 || o[k].score > best) best = o[k].score;
        total += best;
    }
    return total;
}

const char *doc_questionnaire_band(const doc_block *q, int total) {
    for (size_t i = 0; i < q->n_bands; i++)
        if (total >= q->bands[i].min && total <= q->bands[i].max) return q->bands[i].label;
    return NULL;
}
