/*
 * test_request.c — requests through the public API at their edges: bytes that are not UTF-8,
 * a host's own JSON allocator, paths nested deeper than a document may be, paths that share a
 * set of the pointer cache.  (Values too deep
 * for the Lua stack: test_engine.c, which also runs under valgrind.)
 */
#include <jansson.h>

#include "test_support.h"

/* A value that is not UTF-8 is refused, naming the field: it could not be shown as JSON. */
static void test_invalid_utf8_is_refused_with_the_field(void **state) {
    (void)state;
    custos_request *req;
    custos_error err;
    assert_int_equal(custos_request_new(&req), CUSTOS_OK);
    assert_int_equal(custos_request_set_string(req, "subject.id", "al\xffice", &err),
                     CUSTOS_E_INPUT);
    assert_non_null(strstr(err.message, "subject.id"));
    assert_non_null(strstr(err.message, "UTF-8"));
    assert_int_equal(custos_request_set_string(req, "extra.tag", "\xc3", &err), CUSTOS_E_INPUT);
    assert_non_null(strstr(err.message, "extra.tag"));
    assert_int_equal(custos_request_append_string(req, "context.approvals", "\xe4\xb8", &err),
                     CUSTOS_E_INPUT);
    assert_non_null(strstr(err.message, "context.approvals"));
    assert_int_equal(custos_request_set_string(req, "extra.\xff", "x", &err), CUSTOS_E_ARGUMENT);
    /* valid UTF-8 is kept, and every field shows in the JSON */
    assert_int_equal(custos_request_set_string(req, "subject.id", "李雷", &err), CUSTOS_OK);
    assert_int_equal(custos_request_set_string(req, "extra.tag", "标签", &err), CUSTOS_OK);
    const char *json;
    assert_int_equal(custos_request_json(req, &json), CUSTOS_OK);
    assert_non_null(strstr(json, "李雷"));
    assert_non_null(strstr(json, "标签"));
    custos_request_free(req);
}

/* A host that gives jansson its own allocator: the JSON the request returns and frees is the
 * library's own, never handed to the host's free (or the other way round). */
static size_t host_live;
static void *host_malloc(size_t n) {
    unsigned char *p = malloc(n + 16);
    if (!p) return NULL;
    memcpy(p, "HOSTHOST", 8);
    host_live++;
    return p + 16;
}
static void host_free(void *p) {
    if (!p) return;
    unsigned char *base = (unsigned char *)p - 16;
    if (memcmp(base, "HOSTHOST", 8) != 0) abort(); /* not ours: a mismatched free */
    host_live--;
    free(base);
}

static void test_request_json_with_a_host_jansson_allocator(void **state) {
    (void)state;
    json_set_alloc_funcs(host_malloc, host_free);
    custos_request *req;
    custos_error err;
    assert_int_equal(custos_request_new(&req), CUSTOS_OK);
    assert_int_equal(custos_request_set_string(req, "subject.id", "alice", &err), CUSTOS_OK);
    const char *json;
    assert_int_equal(custos_request_json(req, &json), CUSTOS_OK);
    assert_non_null(strstr(json, "alice"));
    assert_int_equal(custos_request_set_string(req, "subject.id", "bob", &err), CUSTOS_OK);
    assert_int_equal(custos_request_json(req, &json), CUSTOS_OK);
    assert_non_null(strstr(json, "bob"));
    custos_request_free(req);
    json_set_alloc_funcs(malloc, free);
    assert_int_equal(host_live, 0);
}

/* A path nests with its value at most 64 levels, as a parsed document may: deeper, the REPL's
 * fuzzer overflowed the C stack writing the request as JSON (30,000 levels from one :set,
 * tests/fuzz/regressions/fuzz_repl), and a document of it would not read back. */
static void test_a_path_nests_at_most_as_deep_as_a_document(void **state) {
    (void)state;
    char path[4 * 70] = "a";
    for (int i = 1; i < 64; i++) strcat(path, ".a"); /* 64 names */
    custos_request *req;
    custos_error err;
    assert_int_equal(custos_request_new(&req), CUSTOS_OK);
    assert_int_equal(custos_request_set_string(req, path, "x", &err), CUSTOS_OK);
    const char *json;
    assert_int_equal(custos_request_json(req, &json), CUSTOS_OK);
    custos_request *back;
    assert_int_equal(custos_request_new(&back), CUSTOS_OK);
    assert_int_equal(custos_request_parse(back, json, strlen(json), "back", &err), CUSTOS_OK);
    /* a list adds a level: under 64 names it would be 65 */
    assert_int_equal(custos_request_append_string(req, path, "x", &err), CUSTOS_E_ARGUMENT);
    assert_non_null(strstr(err.message, "at most 64 levels"));
    strcat(path, ".a"); /* 65 names */
    assert_int_equal(custos_request_set_string(req, path, "x", &err), CUSTOS_E_ARGUMENT);
    assert_non_null(strstr(err.message, "nests 65"));
    assert_int_equal(custos_request_set_bool(req, path, true, &err), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_request_set_integer(req, path, 1, &err), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_request_set_number(req, path, 1.5, &err), CUSTOS_E_ARGUMENT);
    /* what was set stays */
    assert_int_equal(custos_request_json(req, &json), CUSTOS_OK);
    assert_int_equal(custos_request_parse(back, json, strlen(json), "back", &err), CUSTOS_OK);
    custos_request_free(back);
    custos_request_free(req);
}

/* The text at `table`.`key` of the request's JSON, or NULL. */
static const char *json_field(json_t *root, const char *table, const char *key) {
    return json_string_value(json_object_get(json_object_get(root, table), key));
}

/* Paths whose buffers meet in one set of the request's pointer cache (addresses 32 granules of
 * 8 bytes apart: three for a set of two ways), rewritten in place between rounds: every set
 * reaches the field its text names now, whichever way remembered the pointer, or none. */
static void test_paths_sharing_a_cache_set_stay_apart(void **state) {
    (void)state;
    static char buf[2 * 256 + 64];
    char *at[3] = {buf, buf + 256, buf + 512};
    static const char *const tables[3] = {"resource", "resource", "subject"};
    static const char *const keys[3] = {"owner", "id", "id"};
    custos_request *req;
    custos_error err;
    assert_int_equal(custos_request_new(&req), CUSTOS_OK);
    for (int round = 0; round < 6; round++) {
        custos_request_clear(req);
        for (int k = 0; k < 3; k++) {
            int n = (k + round) % 3;
            snprintf(at[k], 64, "%s.%s", tables[n], keys[n]);
        }
        for (int pass = 0; pass < 2; pass++) /* the second pass hits the cache */
            for (int k = 0; k < 3; k++) {
                char value[32];
                snprintf(value, sizeof value, "v%d-%d", round, k);
                assert_int_equal(custos_request_set_string(req, at[k], value, &err), CUSTOS_OK);
            }
        const char *text;
        assert_int_equal(custos_request_json(req, &text), CUSTOS_OK);
        json_t *root = json_loads(text, 0, NULL);
        assert_non_null(root);
        for (int k = 0; k < 3; k++) {
            int n = (k + round) % 3;
            char value[32];
            snprintf(value, sizeof value, "v%d-%d", round, k);
            const char *got = json_field(root, tables[n], keys[n]);
            assert_non_null(got);
            assert_string_equal(got, value);
        }
        json_decref(root);
    }
    custos_request_free(req);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invalid_utf8_is_refused_with_the_field),
        cmocka_unit_test(test_request_json_with_a_host_jansson_allocator),
        cmocka_unit_test(test_a_path_nests_at_most_as_deep_as_a_document),
        cmocka_unit_test(test_paths_sharing_a_cache_set_stay_apart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
