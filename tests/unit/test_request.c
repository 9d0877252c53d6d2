/*
 * test_request.c — requests through the public API at their edges: values too large for the
 * decision's memory, deep nesting, bytes that are not UTF-8, a host's own JSON allocator.
 */
#include <jansson.h>

#include "test_support.h"

#define TIME "2026-11-22T10:00:00+08:00"

static custos_engine *open_with_memory(const char *policies, size_t memory) {
    char path[1024];
    custos_config *cfg;
    assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
    assert_int_equal(custos_config_add_policies(cfg, source_path(path, sizeof path, policies)),
                     CUSTOS_OK);
    assert_int_equal(custos_config_set_limits(cfg, memory, 0), CUSTOS_OK);
    custos_engine *eng = NULL;
    custos_error err;
    if (custos_engine_open(cfg, &eng, &err) != CUSTOS_OK)
        fail_msg("engine_open: %s:%u: %s", err.file, err.line, err.message);
    custos_config_free(cfg);
    return eng;
}

/* An unknown field larger than the decision's memory, then one nested 60 levels deep: each
 * decides (fail closed, or not), neither writes outside the Lua stack (ASan). */
static void test_huge_then_deep_unknown_fields_stay_inside_the_stack(void **state) {
    (void)state;
    custos_engine *eng = open_with_memory("tests/fixtures/echo", 1u << 20);
    custos_request *req;
    custos_decision *d;
    custos_error err;
    assert_int_equal(custos_request_new(&req), CUSTOS_OK);
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    /* a string of 2 MiB: twice the cap */
    size_t size = (3u << 20);
    char *text = malloc(size);
    assert_non_null(text);
    size_t used = (size_t)snprintf(text, size, "{\"context\": {\"time\": \"%s\"}, \"big\": \"", TIME);
    memset(text + used, 'x', 2u << 20);
    used += 2u << 20;
    used += (size_t)snprintf(text + used, size - used, "\"}");
    assert_int_equal(custos_request_parse(req, text, used, "big", &err), CUSTOS_OK);
    for (int round = 0; round < 3; round++) {
        assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_OK);
        assert_int_equal(custos_decision_effect(d), CUSTOS_DENY); /* the limit's error */
    }
    /* then 60 levels of nesting, in the same evaluator */
    used = (size_t)snprintf(text, size, "{\"context\": {\"time\": \"%s\"}, \"deep\": ", TIME);
    for (int i = 0; i < 60; i++) used += (size_t)snprintf(text + used, size - used, "{\"a\": ");
    used += (size_t)snprintf(text + used, size - used, "1");
    for (int i = 0; i < 60; i++) used += (size_t)snprintf(text + used, size - used, "}");
    used += (size_t)snprintf(text + used, size - used, "}");
    assert_int_equal(custos_request_parse(req, text, used, "deep", &err), CUSTOS_OK);
    for (int round = 0; round < 3; round++) {
        assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_OK);
        assert_int_equal(custos_decision_effect(d), CUSTOS_PERMIT);
    }
    free(text);
    custos_decision_free(d);
    custos_request_free(req);
    custos_engine_close(eng);
}

/* A value that is not UTF-8 is refused, naming the field: it could not be shown as JSON. */
static void test_invalid_utf8_is_refused_with_the_field(void **state) {
    (void)state;
    custos_request *req;
    custos_error err;
    assert_int_equal(custos_request_new(&req), CUSTOS_OK);
    assert_int_equal(custos_request_set_string(req, "subject.id", "al\xffice", &err), CUSTOS_E_INPUT);
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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_huge_then_deep_unknown_fields_stay_inside_the_stack),
        cmocka_unit_test(test_invalid_utf8_is_refused_with_the_field),
        cmocka_unit_test(test_request_json_with_a_host_jansson_allocator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
