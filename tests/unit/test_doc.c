/* test_doc.c — YAML/JSON documents: scalar typing, structure, positions, refusals, files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doc.h"
#include "utf8.h"

/* Parses NUL-terminated text, failing the test with the error if it is refused. */
static doc *parse_ok(const char *text) {
    doc *d = NULL;
    custos_error err;
    memset(&err, 0, sizeof err);
    custos_status st = doc_parse(text, strlen(text), "test.yaml", &d, &err);
    if (st != CUSTOS_OK)
        fail_msg("refused (%d) at %u:%u: %s", (int)st, err.line, err.column, err.message);
    assert_non_null(d);
    return d;
}

/* Parses text expected to be refused with CUSTOS_E_PARSE at line:col and a message that
 * contains `needle` and starts with "expected". */
static void assert_refused(const char *text, unsigned line, unsigned col, const char *needle) {
    doc *d = (doc *)&d; /* must be set to NULL */
    custos_error err;
    memset(&err, 0, sizeof err);
    custos_status st = doc_parse(text, strlen(text), "bad.yaml", &d, &err);
    assert_int_equal(st, CUSTOS_E_PARSE);
    assert_null(d);
    assert_int_equal(err.status, CUSTOS_E_PARSE);
    assert_string_equal(err.file, "bad.yaml");
    if (err.line != line || err.column != col || !strstr(err.message, needle) ||
        strncmp(err.message, "expected", 8) != 0)
        fail_msg("got %u:%u '%s', wanted %u:%u with '%s'", err.line, err.column, err.message, line,
                 col, needle);
}

/* Follows a dotted path of map keys and list indexes ("a.b.2.c"). */
static const doc_node *at(const doc *d, const char *path) {
    const doc_node *n = doc_root(d);
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *part = strtok(buf, "."); part && n; part = strtok(NULL, ".")) {
        if (n->kind == DOC_SEQ) {
            size_t i = (size_t)strtoul(part, NULL, 10);
            n = i < n->u.seq.count ? n->u.seq.items[i] : NULL;
        } else {
            n = doc_map_get(n, part);
        }
    }
    if (!n) fail_msg("no node at %s", path);
    return n;
}

static void assert_position(const doc *d, const char *path, unsigned line, unsigned col) {
    uint32_t l = 99, c = 99;
    bool found = doc_locate(d, at(d, path), &l, &c);
    if (!found || l != line || c != col)
        fail_msg("%s at %u:%u (found=%d), wanted %u:%u", path, l, c, found, line, col);
}

static void yaml_scalars_follow_the_core_schema(void **state) {
    (void)state;
    doc *d = parse_ok("yes_word: yes\n"
                      "quoted_true: \"true\"\n"
                      "single_null: 'null'\n"
                      "bool_true: true\n"
                      "bool_false: False\n"
                      "one: 1\n"
                      "negative: -42\n"
                      "plus: +7\n"
                      "half: 1.5\n"
                      "sci: -2e3\n"
                      "dot: .5\n"
                      "nul: null\n"
                      "tilde: ~\n"
                      "empty:\n"
                      "quoted_one: '1'\n"
                      "hex: 0x1F\n"
                      "inf: .inf\n"
                      "date: 2026-11-22\n"
                      "version: 1.2.3\n"
                      "int_min: -9223372036854775808\n"
                      "tagged: !!str 12\n"
                      "forced: !!float 3\n"
                      "block: |\n  two\n  lines\n");
    const doc_node *root = doc_root(d);
    assert_int_equal(root->kind, DOC_MAP);
    assert_int_equal(root->u.map.count, 23);

    assert_int_equal(at(d, "yes_word")->kind, DOC_STR);
    assert_string_equal(at(d, "yes_word")->u.str.s, "yes");
    assert_int_equal(at(d, "quoted_true")->kind, DOC_STR);
    assert_string_equal(at(d, "quoted_true")->u.str.s, "true");
    assert_int_equal(at(d, "single_null")->kind, DOC_STR);
    assert_int_equal(at(d, "bool_true")->kind, DOC_BOOL);
    assert_true(at(d, "bool_true")->u.b);
    assert_int_equal(at(d, "bool_false")->kind, DOC_BOOL);
    assert_false(at(d, "bool_false")->u.b);
    assert_int_equal(at(d, "one")->kind, DOC_INT);
    assert_int_equal(at(d, "one")->u.i, 1);
    assert_int_equal(at(d, "negative")->u.i, -42);
    assert_int_equal(at(d, "plus")->u.i, 7);
    assert_int_equal(at(d, "half")->kind, DOC_NUM);
    assert_true(at(d, "half")->u.n == 1.5);
    assert_int_equal(at(d, "sci")->kind, DOC_NUM);
    assert_true(at(d, "sci")->u.n == -2000.0);
    assert_true(at(d, "dot")->u.n == 0.5);
    assert_int_equal(at(d, "nul")->kind, DOC_NULL);
    assert_int_equal(at(d, "tilde")->kind, DOC_NULL);
    assert_int_equal(at(d, "empty")->kind, DOC_NULL);
    assert_int_equal(at(d, "quoted_one")->kind, DOC_STR);
    assert_int_equal(at(d, "hex")->kind, DOC_STR);
    assert_int_equal(at(d, "inf")->kind, DOC_STR);
    assert_int_equal(at(d, "date")->kind, DOC_STR);
    assert_int_equal(at(d, "version")->kind, DOC_STR);
    assert_int_equal(at(d, "int_min")->kind, DOC_INT);
    assert_true(at(d, "int_min")->u.i == INT64_MIN);
    assert_int_equal(at(d, "tagged")->kind, DOC_STR);
    assert_string_equal(at(d, "tagged")->u.str.s, "12");
    assert_int_equal(at(d, "forced")->kind, DOC_NUM);
    assert_string_equal(at(d, "block")->u.str.s, "two\nlines\n");
    assert_int_equal(at(d, "block")->u.str.len, 10);
    assert_false(doc_is_json(d));
    assert_string_equal(doc_name(d), "test.yaml");
    doc_free(d);
}

static void yaml_nesting_and_positions(void **state) {
    (void)state;
    doc *d = parse_ok("# a request\n"
                      "subject:\n"
                      "  id: alice\n"
                      "  roles: [staff, admin]\n"
                      "resource:\n"
                      "  id: orders-2026q3\n"
                      "  owner:\n"
                      "    name: globex\n"
                      "    tags:\n"
                      "      - a\n"
                      "      - \"b\"\n"
                      "      - {k: v}\n");
    const doc_node *root = doc_root(d);
    assert_int_equal(root->kind, DOC_MAP);
    assert_int_equal(root->u.map.count, 2);
    assert_string_equal(root->u.map.keys[0], "subject");
    assert_string_equal(root->u.map.keys[1], "resource");

    const doc_node *roles = at(d, "subject.roles");
    assert_int_equal(roles->kind, DOC_SEQ);
    assert_int_equal(roles->u.seq.count, 2);
    assert_string_equal(roles->u.seq.items[1]->u.str.s, "admin");
    assert_int_equal(at(d, "resource.owner.tags")->u.seq.count, 3);
    assert_string_equal(at(d, "resource.owner.tags.2.k")->u.str.s, "v");

    assert_position(d, "subject", 3, 3);
    assert_position(d, "subject.id", 3, 7);
    assert_position(d, "subject.roles", 4, 10);
    assert_position(d, "subject.roles.1", 4, 18);
    assert_position(d, "resource.owner.name", 8, 11);
    assert_position(d, "resource.owner.tags.1", 11, 9);
    assert_position(d, "resource.owner.tags.2.k", 12, 13);
    assert_int_equal(at(d, "resource.owner.tags.1")->line, 11);

    assert_null(doc_map_get(root, "absent"));
    assert_null(doc_map_get(roles, "0"));
    assert_null(doc_map_get(NULL, "x"));
    doc_free(d);
}

static void yaml_syntax_errors_name_line_and_column(void **state) {
    (void)state;
    assert_refused("a: b\n  c: d\n", 2, 4, "YAML");
    assert_refused("a: [1, 2\nb: 3\n", 2, 2, "expected ',' or ']'");
    assert_refused("a: b\n\x01", 2, 1, "control characters");
    assert_refused("a: \xff\n", 1, 4, "UTF-8");
    assert_refused("a: 1\n---\nb: 2\n", 2, 1, "single document");
}

static void yaml_refuses_anchors_and_aliases(void **state) {
    (void)state;
    assert_refused("a: &x 1\nb: *x\n", 1, 4, "anchor");
    assert_refused("a: 1\nb: *x\n", 2, 4, "alias");
    assert_refused("base: &b {k: v}\n", 1, 7, "anchor");
    /* The classic exponential document dies at its first anchor. */
    assert_refused("a: &a [\"lol\",\"lol\"]\nb: &b [*a,*a]\nc: &c [*b,*b]\n", 1, 4, "anchor");
}

static void yaml_refuses_duplicate_and_non_string_keys(void **state) {
    (void)state;
    assert_refused("a: 1\nb: 2\na: 3\n", 3, 1, "first at line 1, column 1");
    assert_refused("outer:\n  x: 1\n  x: 2\n", 3, 3, "unique keys");
    assert_refused("{a: 1, a: 2}\n", 1, 2, "JSON"); /* '{' first: read as JSON */
    assert_refused("m: {a: 1, a: 2}\n", 1, 11, "unique keys");
    assert_refused("1: a\n", 1, 1, "string key, found an integer");
    assert_refused("true: a\n", 1, 1, "string key, found a boolean");
    assert_refused("? [a]\n: b\n", 1, 3, "string key, found a list");
    assert_refused("? {a: 1}\n: b\n", 1, 3, "string key, found a mapping");

    /* Quoted, the same keys are strings; many keys go through the index. */
    doc *d = parse_ok("\"1\": a\n'true': b\n");
    assert_string_equal(doc_root(d)->u.map.keys[1], "true");
    doc_free(d);
    char big[8192] = "";
    size_t used = 0;
    for (int i = 0; i < 500; i++)
        used += (size_t)snprintf(big + used, sizeof big - used, "k%d: %d\n", i, i);
    d = parse_ok(big);
    assert_int_equal(doc_root(d)->u.map.count, 500);
    assert_int_equal(doc_map_get(doc_root(d), "k499")->u.i, 499);
    assert_string_equal(doc_root(d)->u.map.keys[250], "k250");
    doc_free(d);
    snprintf(big + used, sizeof big - used, "k17: again\n");
    assert_refused(big, 501, 1, "first at line 18, column 1");
}

static void yaml_refuses_bad_values(void **state) {
    (void)state;
    assert_refused("a: 9223372036854775808\n", 1, 4, "integer between");
    assert_refused("a: -9223372036854775809\n", 1, 4, "integer between");
    assert_refused("a: 1e999\n", 1, 4, "range");
    assert_refused("a: !foo x\n", 1, 4, "core tag");
    assert_refused("a: !!int x\n", 1, 4, "integer");
    assert_refused("a: !!bool yes\n", 1, 4, "true or false");
    assert_refused("a: !!set {x: 1}\n", 1, 4, "!!map");
    assert_refused("a: \"x\\0y\"\n", 1, 4, "NUL");
}

/* Builds "[[[...]]]" (read as JSON) or "- - - x" (YAML block lists) nested `depth` deep. */
static char *nested(size_t depth, bool block) {
    char *s = malloc(depth * 4 + 8);
    assert_non_null(s);
    size_t n = 0;
    if (block) {
        for (size_t i = 0; i < depth; i++) {
            memcpy(s + n, "- ", 2);
            n += 2;
        }
        s[n++] = 'x';
    } else {
        memset(s, '[', depth);
        memset(s + depth, ']', depth);
        n = depth * 2;
    }
    s[n++] = '\n';
    s[n] = '\0';
    return s;
}

static void depth_bombs_are_refused(void **state) {
    (void)state;
    char *ok = nested(DOC_MAX_DEPTH, false);
    doc *d = parse_ok(ok); /* JSON: 64 levels are fine */
    doc_free(d);
    free(ok);

    char *deep = nested(DOC_MAX_DEPTH + 1, false);
    assert_refused(deep, 1, DOC_MAX_DEPTH + 1, "levels of nesting");
    free(deep);

    char *block_ok = nested(DOC_MAX_DEPTH, true);
    d = parse_ok(block_ok);
    doc_free(d);
    free(block_ok);

    char *block = nested(DOC_MAX_DEPTH + 1, true);
    assert_refused(block, 1, 2 * DOC_MAX_DEPTH + 1, "levels of nesting");
    free(block);

    /* Far beyond any limit: refused quickly, without exhausting anything (jansson stops at
     * its own limit; libyaml is stopped by ours at the 65th level). */
    char *huge = nested(100000, false);
    doc *none = NULL;
    assert_int_equal(doc_parse(huge, strlen(huge), "huge", &none, NULL), CUSTOS_E_PARSE);
    assert_null(none);
    free(huge);
    char *yaml_huge = malloc(200010);
    assert_non_null(yaml_huge);
    memcpy(yaml_huge, "a: ", 3);
    memset(yaml_huge + 3, '[', 100000);
    memset(yaml_huge + 100003, ']', 100000);
    yaml_huge[200003] = '\0';
    assert_refused(yaml_huge, 1, DOC_MAX_DEPTH + 3, "levels of nesting"); /* the map is level 1 */
    free(yaml_huge);
}

static void empty_documents_are_null(void **state) {
    (void)state;
    const char *texts[] = {"", "   \n", "# only a comment\n", "---\n", "~\n"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        doc *d = parse_ok(texts[i]);
        assert_int_equal(doc_root(d)->kind, DOC_NULL);
        doc_free(d);
    }
    doc *d = NULL;
    assert_int_equal(doc_parse(NULL, 0, NULL, &d, NULL), CUSTOS_OK);
    assert_int_equal(doc_root(d)->kind, DOC_NULL);
    assert_string_equal(doc_name(d), "");
    doc_free(d);
    doc_free(NULL);
    assert_int_equal(doc_parse("x", 1, "n", NULL, NULL), CUSTOS_E_ARGUMENT);
}

static void text_need_not_be_terminated(void **state) {
    (void)state;
    const char text[] = "a: 1\nb: 2 and more";
    doc *d = NULL;
    assert_int_equal(doc_parse(text, 9, "t", &d, NULL), CUSTOS_OK);
    assert_int_equal(doc_root(d)->u.map.count, 2);
    assert_int_equal(doc_map_get(doc_root(d), "b")->u.i, 2);
    doc_free(d);
}

static const char JSON_REQUEST[] = "{\n"
                                   "  \"subject\": {\"id\": \"alice\"},\n"
                                   "  \"list\": [1, true, null, 2.5],\n"
                                   "  \"emoji\": \"\\ud83d\\ude00 \xe5\xbc\xa0\", \"n\": 7,\n"
                                   "  \"after\": {\"deep\": [{\"k\": \"v\"}]},\n"
                                   "  \"z\": 0, \"a\": 1, \"m\": 2\n"
                                   "}\n";

static void json_types_and_order(void **state) {
    (void)state;
    doc *d = parse_ok(JSON_REQUEST);
    assert_true(doc_is_json(d));
    const doc_node *root = doc_root(d);
    assert_int_equal(root->kind, DOC_MAP);
    const char *order[] = {"subject", "list", "emoji", "n", "after", "z", "a", "m"};
    assert_int_equal(root->u.map.count, 8);
    for (size_t i = 0; i < 8; i++) assert_string_equal(root->u.map.keys[i], order[i]);
    assert_string_equal(at(d, "subject.id")->u.str.s, "alice");
    assert_int_equal(at(d, "list.0")->kind, DOC_INT);
    assert_int_equal(at(d, "list.1")->kind, DOC_BOOL);
    assert_int_equal(at(d, "list.2")->kind, DOC_NULL);
    assert_int_equal(at(d, "list.3")->kind, DOC_NUM);
    assert_true(at(d, "list.3")->u.n == 2.5);
    assert_string_equal(at(d, "emoji")->u.str.s, "\xf0\x9f\x98\x80 \xe5\xbc\xa0");
    /* JSON nodes are placed when parsed, in one scan (as YAML's come placed). */
    assert_int_equal(at(d, "subject.id")->line, 2);
    doc_free(d);
}

static void json_positions_through_doc_locate(void **state) {
    (void)state;
    doc *d = parse_ok(JSON_REQUEST);
    assert_position(d, "subject", 2, 14);
    assert_position(d, "subject.id", 2, 21);
    assert_position(d, "list.3", 3, 27);
    assert_position(d, "n", 4, 35); /* after surrogate escapes and a multi-byte character */
    assert_position(d, "after.deep.0.k", 5, 28);
    assert_position(d, "m", 6, 24);
    uint32_t line = 9, col = 9;
    assert_true(doc_locate(d, doc_root(d), &line, &col));
    assert_int_equal(line, 1);
    assert_int_equal(col, 1);

    /* A node carries its own place, as YAML nodes always did: one from another document gives
     * its place there. */
    doc *other = parse_ok("[1]");
    assert_true(doc_locate(d, doc_root(other)->u.seq.items[0], &line, &col));
    assert_int_equal(line, 1);
    assert_int_equal(col, 2);
    doc_free(other);

    /* Raw characters YAML 1.1 reads as line breaks must not shift lines. */
    doc *odd = parse_ok("{\"a\": \"x\xe2\x80\xa8y\xc2\x85z\", \"b\": [true]}");
    uint32_t l, c;
    assert_true(doc_locate(odd, at(odd, "b.0"), &l, &c));
    assert_int_equal(l, 1);
    assert_int_equal(c, 22);
    doc_free(odd);
    doc_free(d);
}

static void json_errors(void **state) {
    (void)state;
    /* Columns point at the start of the offending token. */
    assert_refused("{\"a\": 1,\n \"b\" 2}", 2, 6, "':' expected");
    assert_refused("{\"a\": 1, \"a\": 2}", 1, 10, "duplicate");
    assert_refused("[\"a\\u0000b\"]", 1, 2, "\\u0000");
    assert_refused("[99999999999999999999]", 1, 2, "too big");
    assert_refused("[1] trailing", 1, 5, "end of file expected");
    assert_refused("\n  [1,,]", 2, 6, "JSON");
    assert_refused("{\"\xe5\xbc\xa0\": 1, \"\xe5\xbc\xa0\": 2}", 1, 10, "duplicate");
    assert_refused("[1, 2", 1, 5, "JSON");
    /* a token ending in " near " made jansson's message end in " near '": the token was read
     * from past its end (found by tests/fuzz/fuzz_repl; regressions/fuzz_request) */
    assert_refused("{\"x near \x0e\"}", 1, 2, "control character");
}

/* A document starting with '{' that JSON refuses but YAML reads is YAML in flow style. */
static void flow_yaml_is_not_mistaken_for_json(void **state) {
    (void)state;
    doc *d = parse_ok("{subject: {id: alice}, entrusted: true, purposes: [a, b,]}");
    assert_false(doc_is_json(d));
    assert_int_equal(doc_map_get(doc_root(d), "entrusted")->kind, DOC_BOOL);
    assert_int_equal(doc_map_get(doc_root(d), "purposes")->u.seq.count, 2);
    doc_free(d);
}

static void error_at_uses_positions_and_paths(void **state) {
    (void)state;
    custos_error err;
    doc *d = parse_ok(JSON_REQUEST);
    assert_int_equal(doc_error_at(d, at(d, "list.3"), "list[3]", &err, "expected %s, found %s",
                                  "a string", doc_kind_name(at(d, "list.3")->kind)),
                     CUSTOS_E_INPUT);
    assert_int_equal(err.status, CUSTOS_E_INPUT);
    assert_string_equal(err.file, "test.yaml");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 27);
    assert_string_equal(err.message, "list[3]: expected a string, found a number");
    doc_free(d);

    d = parse_ok("resource:\n  entrusted: \"yes\"\n");
    assert_int_equal(doc_error_at(d, at(d, "resource.entrusted"), NULL, &err, "expected %s",
                                  doc_kind_name(DOC_BOOL)),
                     CUSTOS_E_INPUT);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 14);
    assert_string_equal(err.message, "expected a boolean");
    assert_int_equal(doc_error_at(d, NULL, "x", NULL, "ignored"), CUSTOS_E_INPUT);
    doc_free(d);
}

static void set_error_truncates_safely(void **state) {
    (void)state;
    custos_error err;
    assert_int_equal(error_set(NULL, CUSTOS_E_IO, "f", 1, 2, "x"), CUSTOS_E_IO);
    assert_int_equal(error_set(&err, CUSTOS_E_PARSE, NULL, 3, 4, "n=%d", 5), CUSTOS_E_PARSE);
    assert_string_equal(err.file, "");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 4);
    assert_string_equal(err.message, "n=5");

    /* 2000 bytes of three-byte characters: cut on a character boundary. */
    char long_text[2001];
    for (size_t i = 0; i + 3 <= 1998; i += 3) memcpy(long_text + i, "\xe5\xbc\xa0", 3);
    long_text[1998] = '\0';
    error_set(&err, CUSTOS_E_INPUT, long_text, 0, 0, "%s", long_text);
    size_t len = strlen(err.message);
    assert_true(len < sizeof err.message);
    assert_int_equal(len % 3, 0);
    assert_int_equal(strlen(err.file) % 3, 0);
    assert_true(strlen(err.file) >= sizeof err.file - 3);

    /* Arguments may point into err itself. */
    error_set(&err, CUSTOS_E_INPUT, "a", 0, 0, "first");
    error_set(&err, CUSTOS_E_INPUT, err.file, 0, 0, "again: %s", err.message);
    assert_string_equal(err.message, "again: first");
    assert_string_equal(err.file, "a");
}

static void kind_names(void **state) {
    (void)state;
    assert_string_equal(doc_kind_name(DOC_MAP), "a mapping");
    assert_string_equal(doc_kind_name(DOC_SEQ), "a list");
    assert_string_equal(doc_kind_name(DOC_STR), "a string");
    assert_string_equal(doc_kind_name(DOC_INT), "an integer");
    assert_string_equal(doc_kind_name(DOC_NUM), "a number");
    assert_string_equal(doc_kind_name(DOC_BOOL), "a boolean");
    assert_string_equal(doc_kind_name(DOC_NULL), "null");
}

static void files_are_read_and_missing_ones_named(void **state) {
    (void)state;
    custos_error err;
    doc *d = (doc *)&d;
    assert_int_equal(doc_parse_file("/nonexistent/custos/request.yaml", &d, &err),
                     CUSTOS_E_NOT_FOUND);
    assert_null(d);
    assert_int_equal(err.status, CUSTOS_E_NOT_FOUND);
    assert_string_equal(err.file, "/nonexistent/custos/request.yaml");

    assert_int_equal(doc_parse_file("/", &d, &err), CUSTOS_E_IO);
    assert_null(d);

    char path[] = "/tmp/custos-test-doc-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char text[] = "subject:\n  id: alice\nbad: [\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    assert_int_equal(doc_parse_file(path, &d, &err), CUSTOS_E_PARSE);
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, 4);

    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("subject:\n  id: alice\n", f);
    fclose(f);
    assert_int_equal(doc_parse_file(path, &d, &err), CUSTOS_OK);
    assert_string_equal(doc_name(d), path);
    assert_position(d, "subject.id", 2, 7);
    doc_free(d);
    unlink(path);
}

static void numbers_ignore_the_locale(void **state) {
    (void)state;
    if (!setlocale(LC_NUMERIC, "de_DE.UTF-8") && !setlocale(LC_NUMERIC, "fr_FR.UTF-8")) {
        skip();
        return;
    }
    doc *d = parse_ok("a: 1.5\n");
    setlocale(LC_NUMERIC, "C");
    assert_true(at(d, "a")->u.n == 1.5);
    doc_free(d);
}

/* A key, tag or scalar quoted in a message is cut at a character, never inside one: 30 CJK
 * characters are 90 bytes, and "%.80s" left two bytes of the 27th. */
static void quoted_text_is_cut_on_a_character(void **state) {
    (void)state;
    char key[128] = "";
    for (int i = 0; i < 30; i++) strcat(key, "\xE4\xB8\xAD");
    char text[512];
    snprintf(text, sizeof text, "%s: 1\n%s: 2\n", key, key);
    doc *d = NULL;
    custos_error err;
    assert_int_equal(doc_parse(text, strlen(text), "dup.yaml", &d, &err), CUSTOS_E_PARSE);
    assert_non_null(strstr(err.message, "expected unique keys"));
    assert_true(utf8_valid(err.message, strlen(err.message)));
    /* 26 whole characters quoted (78 bytes), the quote closed right after */
    char expected[128] = "found '";
    for (int i = 0; i < 26; i++) strcat(expected, "\xE4\xB8\xAD");
    strcat(expected, "' again");
    assert_non_null(strstr(err.message, expected));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(yaml_scalars_follow_the_core_schema),
        cmocka_unit_test(yaml_nesting_and_positions),
        cmocka_unit_test(yaml_syntax_errors_name_line_and_column),
        cmocka_unit_test(yaml_refuses_anchors_and_aliases),
        cmocka_unit_test(yaml_refuses_duplicate_and_non_string_keys),
        cmocka_unit_test(yaml_refuses_bad_values),
        cmocka_unit_test(depth_bombs_are_refused),
        cmocka_unit_test(empty_documents_are_null),
        cmocka_unit_test(text_need_not_be_terminated),
        cmocka_unit_test(json_types_and_order),
        cmocka_unit_test(json_positions_through_doc_locate),
        cmocka_unit_test(json_errors),
        cmocka_unit_test(flow_yaml_is_not_mistaken_for_json),
        cmocka_unit_test(error_at_uses_positions_and_paths),
        cmocka_unit_test(set_error_truncates_safely),
        cmocka_unit_test(kind_names),
        cmocka_unit_test(files_are_read_and_missing_ones_named),
        cmocka_unit_test(numbers_ignore_the_locale),
        cmocka_unit_test(quoted_text_is_cut_on_a_character),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
