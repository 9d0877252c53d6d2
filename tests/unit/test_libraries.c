/*
 * test_libraries.c — `require`: shared and regime-local libraries, a library requiring
 * another, the metering an article inherits from a library that loops, require refused while
 * deciding, and the load errors (a missing library, a cycle) with file and line.
 */
#include "test_support.h"

static int setup(void **state) {
    *state = open_engine("tests/fixtures/libs", NULL);
    return 0;
}

static int teardown(void **state) {
    custos_engine_close(*state);
    return 0;
}

static void decide_action(custos_engine *eng, custos_decision *d, const char *action) {
    char text[256];
    snprintf(text, sizeof text,
             "{\"subject\": {\"id\": \"ann\"}, \"action\": \"%s\","
             " \"context\": {\"time\": \"2026-01-01T00:00:00Z\"}}",
             action);
    custos_request *req = parse_request(text);
    custos_error err;
    assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_OK);
    custos_request_free(req);
}

static const char *first_message(custos_decision *d) {
    custos_reason r;
    assert_int_equal(custos_decision_reason(d, 0, &r), CUSTOS_OK);
    return r.message_en;
}

static void test_shared_and_own_libraries(void **state) {
    custos_decision *d;
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    decide_action(*state, d, "greet"); /* art. 1: lib/shared.lua beside the regime */
    assert_int_equal(custos_decision_effect(d), CUSTOS_PERMIT);
    assert_string_equal(first_message(d), "hello ann");
    decide_action(*state, d, "shout"); /* art. 2: its own lib/own.lua, which requires shared */
    assert_int_equal(custos_decision_effect(d), CUSTOS_PERMIT);
    assert_string_equal(first_message(d), "HELLO ANN");
    custos_decision_free(d);
}

static void test_a_looping_library_makes_its_user_metered_per_instruction(void **state) {
    custos_decision *d;
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    decide_action(*state, d, "spin"); /* art. 3 has no loop; shared.spin does */
    assert_int_equal(custos_decision_effect(d), CUSTOS_DENY);
    custos_policy_error e;
    assert_int_equal(custos_decision_error(d, 0, &e), CUSTOS_OK);
    assert_string_equal(e.article, "3");
    assert_non_null(strstr(e.message, "instruction limit exceeded"));
    decide_action(*state, d, "greet"); /* and the evaluator goes on */
    assert_int_equal(custos_decision_effect(d), CUSTOS_PERMIT);
    custos_decision_free(d);
}

static void test_require_is_refused_while_deciding(void **state) {
    custos_decision *d;
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    decide_action(*state, d, "late");
    assert_int_equal(custos_decision_effect(d), CUSTOS_DENY);
    custos_policy_error e;
    assert_int_equal(custos_decision_error(d, 0, &e), CUSTOS_OK);
    assert_non_null(
        strstr(e.message, "art2.lua:10: require is allowed only at the top of a module"));
    custos_decision_free(d);
}

static void test_library_load_errors(void **state) {
    (void)state;
    const char *cases[][2] = {
        {"tests/fixtures/libs-broken/missing", "no library 'nope'"},
        {"tests/fixtures/libs-broken/cycle", "library 'a' requires itself (a cycle)"},
    };
    for (size_t i = 0; i < 2; i++) {
        char path[1024];
        custos_config *cfg;
        assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
        custos_config_add_policies(cfg, source_path(path, sizeof path, cases[i][0]));
        custos_engine *eng;
        custos_error err;
        assert_int_equal(custos_engine_open(cfg, &eng, &err), CUSTOS_E_POLICY);
        custos_config_free(cfg);
        assert_non_null(strstr(err.file, "art1.lua"));
        assert_int_equal(err.line, 1);
        if (!strstr(err.message, cases[i][1]))
            fail_msg("\"%s\" lacks \"%s\"", err.message, cases[i][1]);
    }
}

static void test_library_lines_are_covered(void **state) {
    custos_policies *p;
    assert_int_equal(custos_engine_policies(*state, &p), CUSTOS_OK);
    assert_int_equal(custos_policies_library_count(p), 2);
    custos_library_info shared = {0};
    for (size_t i = 0; i < 2; i++) {
        custos_library_info lib;
        assert_int_equal(custos_policies_library(p, i, &lib), CUSTOS_OK);
        if (strcmp(lib.name, "shared") == 0) shared = lib;
    }
    assert_non_null(shared.module);
    assert_non_null(strstr(shared.module, "libs/lib/shared.lua"));
    /* greet's body is line 5, spin's loop line 11; closing `end`s are not executable */
    assert_int_equal(shared.line_count, 2);
    assert_int_equal(shared.lines[0], 5);
    assert_int_equal(shared.lines[1], 11);

    custos_request *req = parse_request(
        "{subject: {id: ann}, action: greet, context: {time: \"2026-01-01T00:00:00Z\"}}");
    custos_decision *d;
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    custos_error err;
    assert_int_equal(custos_decide(*state, req, CUSTOS_DECIDE_COVERAGE, d, &err), CUSTOS_OK);
    bool library_line = false;
    for (size_t i = 0; i < custos_decision_line_count(d); i++) {
        custos_line_hit hit;
        assert_int_equal(custos_decision_line(d, i, &hit), CUSTOS_OK);
        if (strstr(hit.module, "lib/shared.lua")) {
            assert_string_equal(hit.article, "");
            assert_int_equal(hit.line, 5);
            library_line = true;
        }
    }
    assert_true(library_line);
    custos_decision_free(d);
    custos_request_free(req);
    custos_policies_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_and_own_libraries),
        cmocka_unit_test(test_a_looping_library_makes_its_user_metered_per_instruction),
        cmocka_unit_test(test_require_is_refused_while_deciding),
        cmocka_unit_test(test_library_load_errors),
        cmocka_unit_test(test_library_lines_are_covered),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
