/*
 * test_json_out.c — the library's one JSON writer: the same bytes as jansson's json_dumps
 * (compact and indented), escaping, invalid UTF-8 repaired, misuse refused, and decision
 * JSON that never touches a host's jansson allocator.
 */
#include "test_support.h"

#include <math.h>

#include <jansson.h>

#include "json_out.h"

/* Ends w and checks its text against `expected`. */
static void assert_written(json_out *w, const char *expected) {
    size_t len = 0;
    char *text = json_out_finish(w, &len);
    assert_non_null(text);
    assert_string_equal(text, expected);
    assert_int_equal(len, strlen(expected));
    free(text);
}

/* Writes the same values through json_out and through a jansson tree. */
static const char *const sample_strings[] = {
    "",
    "plain",
    "quote \" backslash \\ slash /",
    "\b\f\n\r\t",
    "\x01\x1f\x7f",
    "\xE4\xB8\xAD\xE6\x96\x87",
    "emoji \xF0\x9F\x98\x80",
    "\xE2\x80\xA8 line separator",
};
static const double sample_reals[] = {0.0,  -0.0,          1.0, 1.5,     -2.25, 1e20,
                                      1e-5, 123456789.125, 0.1, 3.0e300, 5e-324};

static void write_sample(json_out *w) {
    json_out_begin_object(w);
    json_out_key(w, "strings");
    json_out_begin_array(w);
    for (size_t i = 0; i < sizeof sample_strings / sizeof *sample_strings; i++)
        json_out_string(w, sample_strings[i]);
    json_out_end_array(w);
    json_out_key(w, "reals");
    json_out_begin_array(w);
    for (size_t i = 0; i < sizeof sample_reals / sizeof *sample_reals; i++)
        json_out_real(w, sample_reals[i]);
    json_out_end_array(w);
    json_out_key(w, "integers");
    json_out_begin_array(w);
    json_out_integer(w, 0);
    json_out_integer(w, -42);
    json_out_integer(w, INT64_MAX);
    json_out_integer(w, INT64_MIN);
    json_out_end_array(w);
    json_out_key(w, "empty object");
    json_out_begin_object(w);
    json_out_end_object(w);
    json_out_key(w, "empty array");
    json_out_begin_array(w);
    json_out_end_array(w);
    json_out_key(w, "nested");
    json_out_begin_object(w);
    json_out_key(w, "t");
    json_out_bool(w, true);
    json_out_key(w, "f");
    json_out_bool(w, false);
    json_out_key(w, "n");
    json_out_null(w);
    json_out_key(w, "key \"quoted\"\n");
    json_out_begin_array(w);
    json_out_begin_object(w);
    json_out_end_object(w);
    json_out_begin_array(w);
    json_out_integer(w, 1);
    json_out_end_array(w);
    json_out_end_array(w);
    json_out_end_object(w);
    json_out_end_object(w);
}

static json_t *sample_tree(void) {
    json_t *root = json_object();
    json_t *strings = json_array(), *reals = json_array(), *integers = json_array();
    for (size_t i = 0; i < sizeof sample_strings / sizeof *sample_strings; i++)
        json_array_append_new(strings, json_string(sample_strings[i]));
    for (size_t i = 0; i < sizeof sample_reals / sizeof *sample_reals; i++)
        json_array_append_new(reals, json_real(sample_reals[i]));
    json_array_append_new(integers, json_integer(0));
    json_array_append_new(integers, json_integer(-42));
    json_array_append_new(integers, json_integer(INT64_MAX));
    json_array_append_new(integers, json_integer(INT64_MIN));
    json_object_set_new(root, "strings", strings);
    json_object_set_new(root, "reals", reals);
    json_object_set_new(root, "integers", integers);
    json_object_set_new(root, "empty object", json_object());
    json_object_set_new(root, "empty array", json_array());
    json_t *nested = json_object(), *list = json_array(), *one = json_array();
    json_object_set_new(nested, "t", json_true());
    json_object_set_new(nested, "f", json_false());
    json_object_set_new(nested, "n", json_null());
    json_array_append_new(list, json_object());
    json_array_append_new(one, json_integer(1));
    json_array_append_new(list, one);
    json_object_set_new(nested, "key \"quoted\"\n", list);
    json_object_set_new(root, "nested", nested);
    return root;
}

static void same_bytes_as_jansson(unsigned indent, size_t flags) {
    json_out w;
    json_out_init(&w, indent);
    write_sample(&w);
    char *ours = json_out_finish(&w, NULL);
    assert_non_null(ours);
    json_t *tree = sample_tree();
    char *theirs = json_dumps(tree, flags | JSON_PRESERVE_ORDER);
    json_decref(tree);
    assert_non_null(theirs);
    assert_string_equal(ours, theirs);
    free(ours);
    free(theirs);
}

static void compact_output_is_jansson_compact(void **state) {
    (void)state;
    same_bytes_as_jansson(0, JSON_COMPACT);
}

static void indented_output_is_jansson_indent(void **state) {
    (void)state;
    same_bytes_as_jansson(2, JSON_INDENT(2));
    same_bytes_as_jansson(4, JSON_INDENT(4));
}

static void strings_are_escaped(void **state) {
    (void)state;
    json_out w;
    json_out_init(&w, 0);
    json_out_begin_array(&w);
    json_out_string(&w, "a\"b\\c/d");
    json_out_string(&w, "\b\f\n\r\t");
    json_out_string(&w, "\x01\x1f\x7f");
    json_out_string_len(&w, "nul\0in", 6);
    json_out_string(&w, NULL);
    json_out_end_array(&w);
    assert_written(&w, "[\"a\\\"b\\\\c/d\",\"\\b\\f\\n\\r\\t\",\"\\u0001\\u001F\x7f\","
                       "\"nul\\u0000in\",\"\"]");
}

static void invalid_utf8_is_repaired(void **state) {
    (void)state;
    json_out w;
    json_out_init(&w, 0);
    json_out_begin_object(&w);
    json_out_key(&w, "k\xC0");
    json_out_string(&w, "bad \xff byte \xe4\xb8");
    json_out_key(&w, "surrogate");
    json_out_string(&w, "\xED\xA0\x80");
    json_out_end_object(&w);
    size_t len;
    char *text = json_out_finish(&w, &len);
    assert_non_null(text);
    assert_string_equal(text,
                        "{\"k\xEF\xBF\xBD\":\"bad \xEF\xBF\xBD byte \xEF\xBF\xBD\xEF\xBF\xBD\","
                        "\"surrogate\":\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"}");
    /* and jansson, which refuses invalid UTF-8, reads it back */
    json_error_t jerr;
    json_t *back = json_loadb(text, len, 0, &jerr);
    if (!back) fail_msg("jansson refused: %s", jerr.text);
    json_decref(back);
    free(text);
}

static void reals_that_json_cannot_hold_are_null(void **state) {
    (void)state;
    json_out w;
    json_out_init(&w, 0);
    json_out_begin_array(&w);
    json_out_real(&w, INFINITY);
    json_out_real(&w, NAN);
    json_out_end_array(&w);
    assert_written(&w, "[null,null]");
}

static void misuse_yields_no_text(void **state) {
    (void)state;
    json_out w;
    json_out_init(&w, 0); /* a key outside an object */
    json_out_key(&w, "k");
    assert_null(json_out_finish(&w, NULL));
    json_out_init(&w, 0); /* a value where a key is due */
    json_out_begin_object(&w);
    json_out_string(&w, "v");
    json_out_end_object(&w);
    assert_null(json_out_finish(&w, NULL));
    json_out_init(&w, 0); /* not closed */
    json_out_begin_array(&w);
    assert_null(json_out_finish(&w, NULL));
    json_out_init(&w, 0); /* a key without its value */
    json_out_begin_object(&w);
    json_out_key(&w, "k");
    json_out_end_object(&w);
    assert_null(json_out_finish(&w, NULL));
    json_out_init(&w, 0); /* two top-level values */
    json_out_null(&w);
    json_out_null(&w);
    assert_null(json_out_finish(&w, NULL));
    json_out_init(&w, 0); /* the wrong closer */
    json_out_begin_array(&w);
    json_out_end_object(&w);
    assert_null(json_out_finish(&w, NULL));
    json_out_init(&w, 0); /* nothing at all */
    assert_null(json_out_finish(&w, NULL));
    json_out_init(&w, 0); /* deeper than the limit; then discarded */
    for (int i = 0; i <= JSON_OUT_MAX_DEPTH; i++) json_out_begin_array(&w);
    assert_true(w.failed);
    json_out_discard(&w);
    assert_null(json_out_finish(&w, NULL));
}

static void large_output_grows(void **state) {
    (void)state;
    json_out w;
    json_out_init(&w, 0);
    json_out_begin_array(&w);
    for (int i = 0; i < 10000; i++) json_out_string(&w, "0123456789");
    json_out_end_array(&w);
    size_t len;
    char *text = json_out_finish(&w, &len);
    assert_non_null(text);
    assert_int_equal(len, 2 + 10000 * 12 + 9999);
    free(text);
}

/* ---- a host's jansson allocator --------------------------------------------------------- */

/* A host allocator that puts a header before each block, so a block it did not make (or a
 * block of its own freed with free()) is caught: by the header check, or by ASan. */
#define HOST_HEADER 16
static size_t host_allocations;

static void *host_malloc(size_t size) {
    host_allocations++;
    unsigned char *p = malloc(size + HOST_HEADER);
    if (!p) return NULL;
    memcpy(p, "custos-host-blk", HOST_HEADER);
    return p + HOST_HEADER;
}

static void host_free(void *ptr) {
    if (!ptr) return;
    unsigned char *p = (unsigned char *)ptr - HOST_HEADER;
    if (memcmp(p, "custos-host-blk", HOST_HEADER) != 0) abort(); /* not one of ours */
    free(p);
}

/* A decision's JSON is made and freed with the library's malloc whatever allocator the host
 * gave jansson, and whenever it changes it. */
static void decision_json_ignores_the_jansson_allocator(void **state) {
    (void)state;
    custos_engine *eng = open_engine("tests/fixtures/basic", NULL);
    custos_request *req =
        parse_request("subject: {id: alice}\naction: use\nresource: {entrusted: true}\n"
                      "context: {time: '2026-01-01T10:00:00+08:00'}\n");
    custos_decision *d;
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    custos_error err;
    assert_int_equal(custos_decide(eng, req, CUSTOS_DECIDE_EXPLAIN, d, &err), CUSTOS_OK);

    json_set_alloc_funcs(host_malloc, host_free);
    host_allocations = 0;
    const char *json = NULL;
    assert_int_equal(custos_decision_json(d, &json), CUSTOS_OK);
    assert_non_null(strstr(json, "\"decision\":\"permit\""));
    assert_int_equal(host_allocations, 0);
    json_set_alloc_funcs(malloc, free); /* the host changes its mind before freeing */
    custos_decision_free(d);            /* frees the text: must not be with host_free */

    /* and the other way: made under the default, freed under the host's */
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_OK);
    assert_int_equal(custos_decision_json(d, &json), CUSTOS_OK);
    json_set_alloc_funcs(host_malloc, host_free);
    assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_OK); /* drops the cached text */
    custos_decision_free(d);
    json_set_alloc_funcs(malloc, free);

    custos_request_free(req);
    custos_engine_close(eng);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compact_output_is_jansson_compact),
        cmocka_unit_test(indented_output_is_jansson_indent),
        cmocka_unit_test(strings_are_escaped),
        cmocka_unit_test(invalid_utf8_is_repaired),
        cmocka_unit_test(reals_that_json_cannot_hold_are_null),
        cmocka_unit_test(misuse_yields_no_text),
        cmocka_unit_test(large_output_grows),
        cmocka_unit_test(decision_json_ignores_the_jansson_allocator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
