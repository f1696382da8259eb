/* test_doc.c — the content parser: the demo loads; malformed, wrong-typed, deep, oversized and hostile input
 * is rejected with the file and JSON path; random mutations of real documents never crash it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "meistring/config.h"
#include "meistring/doc.h"

#define DEMO MEISTRING_SOURCE_ROOT "/assets/demo"

static const char *PROG_OK =
    "{\"format\":1,\"id\":\"p\",\"title\":\"T\",\"language\":\"nb\","
    "\"modules\":[{\"id\":\"m1\",\"number\":1,\"title\":\"M\",\"file\":\"m1.json\",\"unlocked\":true}]}";

static doc_status parse_prog(const char *json, doc_error *err, doc_programme **out) {
    return doc_parse_programme(json, strlen(json), "programme.json", out, err);
}

static void expect_error(const char *json, doc_status want, const char *where_part, const char *msg_part) {
    doc_error err;
    doc_programme *p = NULL;
    doc_status st = parse_prog(json, &err, &p);
    if (st != want || !strstr(err.where, where_part) || (msg_part && !strstr(err.msg, msg_part)))
        fail_msg("for %s\n got status %d at \"%s\": %s", json, st, err.where, err.msg);
    assert_null(p);
}

static void expect_module_error(const char *blocks, const char *where_part, const char *msg_part);
static void expect_module_error_fwd(const char *blocks, const char *where_part) {
    expect_module_error(blocks, where_part, NULL);
}

static void test_demo_loads(void **state) {
    (void)state;
    doc_programme *p = NULL;
    doc_error err;
    assert_int_equal(doc_load_dir(DEMO, &p, &err), DOC_OK);
    assert_true(p->demo);
    assert_string_equal(p->language, "nb");
    assert_true(p->n_modules >= 3);
    for (size_t i = 0; i < 3; i++) {
        assert_true(p->modules[i].unlocked);
        assert_true(p->modules[i].n_pages >= 4);
    }
    /* module 2, page 2 starts with the heading the UI test looks for */
    const doc_page *pg = &p->modules[1].pages[1];
    assert_int_equal(pg->blocks[0].type, DOC_BLOCK_HEADING);
    assert_string_equal(pg->blocks[0].heading, "Tanker som gjør angsten større");
    /* the weight of a real module page, and every block type present */
    size_t longest = 0;
    int seen[DOC_BLOCK_QUESTIONNAIRE + 1] = {0};
    int images = 0;
    for (size_t m = 0; m < p->n_modules; m++)
        for (size_t k = 0; k < p->modules[m].n_pages; k++) {
            const doc_page *page = &p->modules[m].pages[k];
            size_t w = doc_page_word_count(page);
            if (w > longest) longest = w;
            for (size_t b = 0; b < page->n_blocks; b++) {
                seen[page->blocks[b].type]++;
                if (page->blocks[b].type == DOC_BLOCK_IMAGE) images++;
            }
        }
    assert_true(longest >= 2500);
    for (int t = 0; t <= DOC_BLOCK_QUESTIONNAIRE; t++)
        assert_true(seen[t] > 0);
    assert_true(images >= 2);
    doc_programme_free(p);
}

static void fail_on_problem(void *ctx, const char *where, const char *msg) {
    (void)ctx;
    fail_msg("demo content problem: %s: %s", where, msg);
}

static void test_demo_validates(void **state) {
    (void)state;
    assert_int_equal(doc_validate_dir(DEMO, fail_on_problem, NULL), 0);
}

static void test_syntax_errors(void **state) {
    (void)state;
    expect_error("", DOC_ERR_SYNTAX, "programme.json", "not valid JSON");
    expect_error("{\"format\":1,", DOC_ERR_SYNTAX, "programme.json", "line 1");
    expect_error("{\n\n\"a\": nope}", DOC_ERR_SYNTAX, "programme.json", "line 3");
    expect_error("{} {}", DOC_ERR_SYNTAX, "programme.json", "after the end");
    expect_error("[1,2", DOC_ERR_SYNTAX, "", NULL);
}

static void test_wrong_types(void **state) {
    (void)state;
    expect_error("[]", DOC_ERR_SCHEMA, "programme.json: $", "expected an object");
    expect_error("{\"format\":2,\"id\":\"p\",\"title\":\"T\",\"language\":\"nb\",\"modules\":[]}", DOC_ERR_SCHEMA,
                 "$.format", "from 1 to 1");
    expect_error("{\"format\":1,\"id\":\"p\",\"title\":5,\"language\":\"nb\",\"modules\":[]}", DOC_ERR_SCHEMA,
                 "$.title", "expected a string, found a number");
    expect_error("{\"format\":1,\"id\":\"p q\",\"title\":\"T\",\"language\":\"nb\",\"modules\":[]}", DOC_ERR_SCHEMA,
                 "$.id", "an id may hold only");
    expect_error("{\"format\":1,\"id\":\"p\",\"title\":\"T\",\"language\":\"de\",\"modules\":[]}", DOC_ERR_SCHEMA,
                 "$.language", NULL);
    expect_error("{\"format\":1,\"id\":\"p\",\"title\":\"T\",\"language\":\"nb\",\"modules\":{}}", DOC_ERR_SCHEMA,
                 "$.modules", "expected an array");
    expect_error("{\"format\":1,\"id\":\"p\",\"title\":\"T\",\"language\":\"nb\",\"modules\":[{\"id\":\"m\","
                 "\"number\":1.5,\"title\":\"M\",\"file\":\"m.json\"}]}",
                 DOC_ERR_SCHEMA, "$.modules[0].number", "whole number");
    expect_error("{\"format\":1,\"id\":\"p\",\"title\":\"T\",\"language\":\"nb\",\"modules\":[{\"id\":\"m\","
                 "\"number\":1,\"title\":\"M\",\"file\":\"../etc/passwd\"}]}",
                 DOC_ERR_SCHEMA, "$.modules[0].file", "inside the programme");
    expect_error("{\"format\":1,\"id\":\"p\",\"title\":\"T\",\"language\":\"nb\",\"demo\":\"yes\",\"modules\":[]}",
                 DOC_ERR_SCHEMA, "$.demo", "true or false");
    expect_error("{\"format\":1,\"id\":\"p\",\"title\":\"T\",\"language\":\"nb\",\"modules\":["
                 "{\"id\":\"m\",\"number\":1,\"title\":\"M\",\"file\":\"a\"},"
                 "{\"id\":\"m\",\"number\":2,\"title\":\"M\",\"file\":\"b\"}]}",
                 DOC_ERR_SCHEMA, "$.modules[1]", "used twice");
}

static void test_huge_numbers(void **state) {
    (void)state;
    /* found by the fuzzer: numbers far outside int must be rejected before any cast (UB under UBSan) */
    expect_error("{\"format\":33333333333}", DOC_ERR_SCHEMA, "$.format", "whole number");
    expect_error("{\"format\":1e999}", DOC_ERR_SCHEMA, "$.format", "whole number");
    expect_error("{\"format\":-1e10}", DOC_ERR_SCHEMA, "$.format", "whole number");
    expect_module_error_fwd("{\"id\":\"b1\",\"type\":\"heading\",\"level\":-3e10,\"text\":\"H\"}", "blocks[0].level");
}

static void test_invalid_utf8(void **state) {
    (void)state;
    expect_error("{\"format\":1,\"id\":\"p\",\"title\":\"\xC3\x28\",\"language\":\"nb\",\"modules\":[]}",
                 DOC_ERR_SCHEMA, "$.title", "UTF-8");
}

static char *nested(int depth) {
    char *s = malloc((size_t)depth * 2 + 64);
    size_t n = 0;
    n += (size_t)sprintf(s, "{\"x\":");
    for (int i = 0; i < depth - 1; i++)
        s[n++] = '[';
    for (int i = 0; i < depth - 1; i++)
        s[n++] = ']';
    s[n++] = '}';
    s[n] = '\0';
    return s;
}

static void test_depth_limit(void **state) {
    (void)state;
    char *deep = nested(MS_DOC_MAX_DEPTH + 1);
    expect_error(deep, DOC_ERR_LIMIT, "programme.json", "deeper than 64");
    free(deep);
    /* brackets inside strings do not count */
    char *s = malloc(5000);
    strcpy(s, "{\"format\":1,\"id\":\"p\",\"title\":\"");
    for (int i = 0; i < 200; i++)
        strcat(s, "[{");
    strcat(s, "\",\"language\":\"nb\",\"modules\":[{\"id\":\"m\",\"number\":1,\"title\":\"M\",\"file\":\"f\"}]}");
    doc_programme *p = NULL;
    doc_error err;
    assert_int_equal(parse_prog(s, &err, &p), DOC_OK);
    doc_programme_free(p);
    free(s);
    /* 64 deep is allowed (in an unknown field, which the client ignores) */
    char *ok = nested(MS_DOC_MAX_DEPTH);
    char *full = malloc(strlen(ok) + 200);
    sprintf(full, "{\"format\":1,\"id\":\"p\",\"title\":\"T\",\"language\":\"nb\",\"modules\":[],\"extra\":%s}", ok);
    /* that is 65 with the outer object: rejected; one less is fine */
    assert_int_equal(parse_prog(full, &err, &p), DOC_ERR_LIMIT);
    free(ok);
    free(full);
}

static void test_size_limits(void **state) {
    (void)state;
    /* a document over the cap is refused without parsing */
    size_t big = MS_DOC_MAX_BYTES + 10;
    char *s = malloc(big + 1);
    memset(s, ' ', big);
    s[0] = '{';
    s[big - 1] = '}';
    s[big] = '\0';
    doc_programme *p = NULL;
    doc_error err;
    assert_int_equal(doc_parse_programme(s, big, "big.json", &p, &err), DOC_ERR_LIMIT);
    assert_non_null(strstr(err.where, "big.json"));
    free(s);
    /* one string over 64 KiB */
    size_t sl = MS_DOC_MAX_STRING + 1;
    s = malloc(sl + 200);
    strcpy(s, "{\"format\":1,\"id\":\"p\",\"title\":\"");
    size_t n = strlen(s);
    memset(s + n, 'a', sl);
    strcpy(s + n + sl, "\",\"language\":\"nb\",\"modules\":[]}");
    expect_error(s, DOC_ERR_LIMIT, "$.title", "at most");
    free(s);
    /* too many modules */
    char *m = malloc(64 * 1024);
    strcpy(m, "{\"format\":1,\"id\":\"p\",\"title\":\"T\",\"language\":\"nb\",\"modules\":[");
    for (int i = 0; i <= MS_DOC_MAX_MODULES; i++) {
        char one[128];
        sprintf(one, "%s{\"id\":\"m%d\",\"number\":%d,\"title\":\"M\",\"file\":\"f\"}", i ? "," : "", i, i + 1);
        strcat(m, one);
    }
    strcat(m, "]}");
    expect_error(m, DOC_ERR_LIMIT, "$.modules", "at most 32");
    free(m);
}

static void test_length_is_respected(void **state) {
    (void)state;
    /* the parser reads len bytes, not up to a NUL: trailing bytes beyond len are never seen */
    char buf[1024];
    snprintf(buf, sizeof buf, "%sGARBAGE", PROG_OK);
    doc_programme *p = NULL;
    doc_error err;
    assert_int_equal(doc_parse_programme(buf, strlen(PROG_OK), "x", &p, &err), DOC_OK);
    assert_string_equal(p->modules[0].id, "m1");
    doc_programme_free(p);
}

static doc_status parse_module_text(const char *json, doc_error *err) {
    doc_programme *p = NULL;
    assert_int_equal(parse_prog(PROG_OK, err, &p), DOC_OK);
    doc_status st = doc_parse_module(p, 0, json, strlen(json), "m1.json", err);
    if (st == DOC_OK) {
        assert_true(p->modules[0].n_pages > 0);
    } else {
        assert_null(p->modules[0].pages); /* a failed module leaves the old (empty) state */
    }
    doc_programme_free(p);
    return st;
}

static void expect_module_error(const char *blocks, const char *where_part, const char *msg_part) {
    char json[4096];
    snprintf(json, sizeof json,
             "{\"format\":1,\"id\":\"m1\",\"title\":\"M\",\"pages\":[{\"id\":\"p1\",\"title\":\"P\",\"blocks\":[%s]}]}",
             blocks);
    doc_error err;
    doc_status st = parse_module_text(json, &err);
    if (st == DOC_OK || !strstr(err.where, where_part) || (msg_part && !strstr(err.msg, msg_part)))
        fail_msg("for %s\n got status %d at \"%s\": %s", blocks, st, err.where, err.msg);
    assert_non_null(strstr(err.where, "m1.json"));
}

static void test_module_blocks(void **state) {
    (void)state;
    doc_error err;
    assert_int_equal(parse_module_text("{\"format\":1,\"id\":\"m1\",\"title\":\"M\",\"pages\":[{\"id\":\"p1\","
                                       "\"title\":\"P\",\"blocks\":[{\"id\":\"b1\",\"type\":\"paragraph\",\"text\":"
                                       "[\"a \",{\"strong\":\"b\"},{\"term\":\"c\",\"explanation\":\"d\"}]}]}]}",
                                       &err),
                     DOC_OK);
    assert_int_equal(parse_module_text("{\"format\":1,\"id\":\"other\",\"title\":\"M\",\"pages\":[]}", &err),
                     DOC_ERR_SCHEMA);
    assert_non_null(strstr(err.msg, "programme.json lists"));
    expect_module_error("{\"id\":\"b1\",\"type\":\"video\"}", "$.pages[0].blocks[0].type", "unknown block type");
    expect_module_error("{\"id\":\"b1\",\"type\":\"heading\",\"text\":\"H\"},{\"id\":\"b2\",\"type\":\"paragraph\","
                        "\"text\":[{\"strong\":\"a\",\"emphasis\":\"b\"}]}",
                        "$.pages[0].blocks[1].text[0]", "exactly one");
    expect_module_error("{\"id\":\"b1\",\"type\":\"heading\",\"level\":4,\"text\":\"H\"}", "blocks[0].level", NULL);
    expect_module_error("{\"id\":\"b1\",\"type\":\"paragraph\",\"text\":17}", "blocks[0].text", "found a number");
    expect_module_error("{\"id\":\"b1\",\"type\":\"image\",\"src\":\"/etc/x.png\",\"alt\":\"a\"}", "blocks[0].src",
                        NULL);
    expect_module_error("{\"id\":\"b1\",\"type\":\"image\",\"src\":\"x.png\"}", "blocks[0].alt", "missing");
    expect_module_error("{\"id\":\"b1\",\"type\":\"list\",\"items\":[\"a\",null]}", "blocks[0].items[1]", NULL);
    expect_module_error("{\"id\":\"b1\",\"type\":\"exercise\",\"title\":\"E\",\"fields\":[{\"id\":\"f\",\"type\":"
                        "\"scale\",\"label\":\"L\",\"min\":5,\"max\":5}]}",
                        "blocks[0].fields[0]", "min < max");
    expect_module_error("{\"id\":\"b1\",\"type\":\"exercise\",\"title\":\"E\",\"fields\":[{\"id\":\"f\",\"type\":"
                        "\"table\",\"label\":\"L\",\"columns\":[{\"id\":\"c\",\"label\":\"C\",\"kind\":\"colour\"}]}]}",
                        "fields[0].columns[0].kind", NULL);
    expect_module_error("{\"id\":\"b1\",\"type\":\"questionnaire\",\"title\":\"Q\",\"options\":[{\"label\":\"a\","
                        "\"score\":0}],\"items\":[{\"id\":\"i\",\"text\":\"t\"}],\"scoring\":{\"method\":\"sum\","
                        "\"bands\":[{\"min\":0,\"max\":5,\"label\":\"a\"},{\"min\":5,\"max\":9,\"label\":\"b\"}]}}",
                        "scoring.bands[1]", "overlaps");
    expect_module_error("{\"id\":\"b1\",\"type\":\"callout\",\"tone\":\"loud\",\"text\":\"x\"}", "blocks[0].tone",
                        NULL);
    expect_module_error("{\"id\":\"b1\",\"type\":\"paragraph\",\"text\":[{\"strong\":\"a\",\"explanation\":\"b\"}]}",
                        "blocks[0].text[0]", "only a term");
    expect_module_error("{\"id\":\"b1\",\"type\":\"questionnaire\",\"title\":\"Q\",\"options\":[{\"label\":\"a\","
                        "\"score\":0}],\"items\":[{\"id\":\"i\",\"text\":\"t\",\"options\":[]}]}",
                        "blocks[0].items[0].options", "at least one");
    /* a lone column bound is fine */
    doc_error err2;
    assert_int_equal(parse_module_text("{\"format\":1,\"id\":\"m1\",\"title\":\"M\",\"pages\":[{\"id\":\"p1\","
                                       "\"title\":\"P\",\"blocks\":[{\"id\":\"b1\",\"type\":\"exercise\",\"title\":"
                                       "\"E\",\"fields\":[{\"id\":\"f\",\"type\":\"table\",\"label\":\"L\",\"columns\":"
                                       "[{\"id\":\"c\",\"label\":\"C\",\"kind\":\"number\",\"min\":1}]}]}]}]}",
                                       &err2),
                     DOC_OK);
    /* a column may say the question it asks (the cell's editor shows it); it is text */
    assert_int_equal(parse_module_text("{\"format\":1,\"id\":\"m1\",\"title\":\"M\",\"pages\":[{\"id\":\"p1\","
                                       "\"title\":\"P\",\"blocks\":[{\"id\":\"b1\",\"type\":\"exercise\",\"title\":"
                                       "\"E\",\"fields\":[{\"id\":\"f\",\"type\":\"table\",\"label\":\"L\",\"columns\":"
                                       "[{\"id\":\"c\",\"label\":\"Tanke\",\"question\":\"Hva tenkte du?\"}]}]}]}]}",
                                       &err2),
                     DOC_OK);
    expect_module_error("{\"id\":\"b1\",\"type\":\"exercise\",\"title\":\"E\",\"fields\":[{\"id\":\"f\",\"type\":"
                        "\"table\",\"label\":\"L\",\"columns\":[{\"id\":\"c\",\"label\":\"C\",\"question\":3}]}]}",
                        "fields[0].columns[0].question", NULL);
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    b[n] = '\0';
    *len = (size_t)n;
    return b;
}

/* Random byte flips, truncations, insertions of structural characters into a real module: every outcome is
 * DOC_OK or an error with a place and a message. Under ASan/UBSan (the test command runs both) a memory error
 * fails the test. A deterministic seed keeps failures reproducible. */
static void test_mutations_never_crash(void **state) {
    (void)state;
    size_t len;
    char *orig = slurp(DEMO "/modules/m2.json", &len);
    doc_programme *prog = NULL;
    doc_error err;
    size_t plen;
    char *ptext = slurp(DEMO "/programme.json", &plen);
    assert_int_equal(doc_parse_programme(ptext, plen, "programme.json", &prog, &err), DOC_OK);
    char *buf = malloc(len + 64);
    static const char structural[] = "{}[]\",:\\0-e9 \x80\xff";
    srand(42);
    int ok = 0, bad = 0;
    for (int round = 0; round < 1500; round++) {
        memcpy(buf, orig, len);
        size_t n = len;
        int edits = 1 + rand() % 4;
        for (int e = 0; e < edits; e++) {
            size_t at = (size_t)rand() % n;
            switch (rand() % 4) {
            case 0: buf[at] = (char)(rand() % 256); break;
            case 1: buf[at] = structural[rand() % (sizeof structural - 1)]; break;
            case 2: n = at + 1; break; /* truncated body */
            default:
                memmove(buf + at + 1, buf + at, n - at);
                buf[at] = structural[rand() % (sizeof structural - 1)];
                n++;
                if (n > len + 32) n = len + 32;
                break;
            }
        }
        /* modules are parsed into index 1 (m2); a failure must leave it as it was */
        doc_status st = doc_parse_module(prog, 1, buf, n, "m2.json", &err);
        if (st == DOC_OK)
            ok++;
        else {
            bad++;
            assert_true(err.msg[0] != '\0');
            assert_non_null(strstr(err.where, "m2.json"));
        }
    }
    assert_true(bad > 0);
    (void)ok;
    free(buf);
    free(orig);
    free(ptext);
    doc_programme_free(prog);
}

static int problems_seen;
static void count_problem(void *ctx, const char *where, const char *msg) {
    (void)ctx;
    (void)where;
    (void)msg;
    problems_seen++;
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_validator_finds_cross_document_problems(void **state) {
    (void)state;
    char dir[] = "/tmp/meistring-validate-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/programme.json", dir);
    write_file(path, PROG_OK);
    snprintf(path, sizeof path, "%s/m1.json", dir);
    write_file(path,
               "{\"format\":1,\"id\":\"m1\",\"title\":\"M\",\"pages\":[{\"id\":\"p1\",\"title\":\"P\",\"blocks\":["
               "{\"id\":\"b1\",\"type\":\"heading\",\"text\":\"H\"},"
               "{\"id\":\"b1\",\"type\":\"image\",\"src\":\"images/missing.svg\",\"alt\":\"A\"}]}]}");
    problems_seen = 0;
    assert_int_equal(doc_validate_dir(dir, count_problem, NULL), 2); /* duplicate id + missing image */
    assert_int_equal(problems_seen, 2);
    /* strict mode: an unknown field is a problem for the validator (likely a typing mistake) */
    snprintf(path, sizeof path, "%s/m1.json", dir);
    write_file(path,
               "{\"format\":1,\"id\":\"m1\",\"title\":\"M\",\"pages\":[{\"id\":\"p1\",\"title\":\"P\",\"blocks\":["
               "{\"id\":\"b1\",\"type\":\"heading\",\"txt\":\"H\"}]}]}");
    problems_seen = 0;
    assert_int_equal(doc_validate_dir(dir, count_problem, NULL), 1);
    /* strict mode: a key that belongs to another field type is a problem; duplicate field ids too */
    write_file(path,
               "{\"format\":1,\"id\":\"m1\",\"title\":\"M\",\"pages\":[{\"id\":\"p1\",\"title\":\"P\",\"blocks\":["
               "{\"id\":\"b1\",\"type\":\"exercise\",\"title\":\"E\",\"fields\":["
               "{\"id\":\"f\",\"type\":\"text\",\"label\":\"L\",\"min\":3}]}]}]}");
    problems_seen = 0;
    assert_int_equal(doc_validate_dir(dir, count_problem, NULL), 1);
    write_file(
        path,
        "{\"format\":1,\"id\":\"m1\",\"title\":\"M\",\"pages\":[{\"id\":\"p1\",\"title\":\"P\",\"blocks\":["
        "{\"id\":\"b1\",\"type\":\"exercise\",\"title\":\"E\",\"fields\":["
        "{\"id\":\"f\",\"type\":\"text\",\"label\":\"L\"},{\"id\":\"f\",\"type\":\"text\",\"label\":\"K\"}]}]}]}");
    assert_int_equal(doc_validate_dir(dir, count_problem, NULL), 1);
    /* a missing module file names the file */
    unlink(path);
    assert_int_equal(doc_validate_dir(dir, count_problem, NULL), 1);
    snprintf(path, sizeof path, "%s/programme.json", dir);
    unlink(path);
    rmdir(dir);
}

/* Scoring the demo's GAD-7 and PHQ-9 as the content defines: the highest total and the bands' edges. */
static void test_questionnaire_scoring(void **state) {
    (void)state;
    doc_programme *p;
    doc_error err;
    assert_int_equal(doc_load_dir(DEMO, &p, &err), DOC_OK);
    const doc_block *gad = NULL, *phq = NULL;
    for (size_t m = 0; m < p->n_modules; m++)
        for (size_t pg = 0; pg < p->modules[m].n_pages; pg++)
            for (size_t b = 0; b < p->modules[m].pages[pg].n_blocks; b++) {
                const doc_block *bl = &p->modules[m].pages[pg].blocks[b];
                if (bl->type == DOC_BLOCK_QUESTIONNAIRE && strcmp(bl->instrument, "GAD-7") == 0) gad = bl;
                if (bl->type == DOC_BLOCK_QUESTIONNAIRE && strcmp(bl->instrument, "PHQ-9") == 0) phq = bl;
            }
    assert_non_null(gad);
    assert_non_null(phq);
    assert_int_equal(doc_questionnaire_max(gad), 21);
    assert_int_equal(doc_questionnaire_max(phq), 27);
    assert_string_equal(doc_questionnaire_band(gad, 0), "Minimal angst");
    assert_string_equal(doc_questionnaire_band(gad, 4), "Minimal angst");
    assert_string_not_equal(doc_questionnaire_band(gad, 5), "Minimal angst");
    assert_non_null(doc_questionnaire_band(gad, 21));
    assert_null(doc_questionnaire_band(gad, 22));
    size_t n;
    const doc_option *o = doc_item_options(phq, 8, &n);
    assert_int_equal(n, 4);
    assert_int_equal(o[3].score, 3);
    /* module 4 opens after the PHQ-9; an id that names another kind of block, or nothing, is no gate */
    const doc_module *m4 = doc_find_module(p, "m4");
    assert_ptr_equal(doc_module_gate(p, m4), phq);
    p->modules[3].opens_after = "m2-p4-b10"; /* an exercise */
    assert_null(doc_module_gate(p, &p->modules[3]));
    p->modules[3].opens_after = "no-such-block";
    assert_null(doc_module_gate(p, &p->modules[3]));
    doc_programme_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_loads),
        cmocka_unit_test(test_demo_validates),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_huge_numbers),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_size_limits),
        cmocka_unit_test(test_length_is_respected),
        cmocka_unit_test(test_module_blocks),
        cmocka_unit_test(test_mutations_never_crash),
        cmocka_unit_test(test_validator_finds_cross_document_problems),
        cmocka_unit_test(test_questionnaire_scoring),
    };
    return cmocka_run_group_tests_name("doc", tests, NULL, NULL);
}
