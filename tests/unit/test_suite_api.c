/*
 * test_suite_api.c — the suite library (custos_suite.h) as a client sees it: finding suites,
 * a suite that does not load (its error names the line), a failing suite's mismatches and
 * positions, the filter, and coverage.  `custos test` reports from these same views.
 */
#include "custos_suite.h"
#include "test_support.h"

static custos_suite *load(const char *relative) {
    char path[1024];
    custos_suite *s = NULL;
    assert_int_equal(custos_suite_load(source_path(path, sizeof path, relative), &s), CUSTOS_OK);
    assert_non_null(s);
    return s;
}

static const custos_suite_case *find_case(const custos_suite_info *info, const char *display) {
    for (size_t i = 0; i < info->case_count; i++)
        if (strcmp(info->cases[i].display, display) == 0) return &info->cases[i];
    fail_msg("no case \"%s\"", display);
    return NULL;
}

static bool has_mismatch(const custos_suite_case *c, const char *text) {
    for (size_t i = 0; i < c->mismatch_count; i++)
        if (strstr(c->mismatches[i], text)) return true;
    return false;
}

static void test_find_lists_suites_in_tests_folders_only(void **state) {
    (void)state;
    char path[1024];
    custos_suite_paths found = {0};
    assert_int_equal(
        custos_suite_find(source_path(path, sizeof path, "tests/fixtures/suites"), &found),
        CUSTOS_OK);
    /* demo2/tests holds the suites; failing/ and broken/ are not named `tests` */
    assert_true(found.count >= 3);
    for (size_t i = 0; i < found.count; i++) {
        assert_non_null(strstr(found.paths[i], "/tests/"));
        assert_null(strstr(found.paths[i], "/failing/"));
    }
    custos_suite_paths_free(&found);
}

static void test_a_suite_that_does_not_load_names_the_line(void **state) {
    (void)state;
    custos_suite *s = load("tests/fixtures/suites/broken/unknown-key.yaml");
    custos_suite_info info;
    assert_int_equal(custos_suite_get_info(s, &info), CUSTOS_OK);
    assert_int_equal(info.case_count, 0);
    assert_int_equal(info.error_count, 1);
    assert_int_equal(info.errors[0].line, 6); /* `decison: permit` */
    assert_non_null(strstr(info.errors[0].message, "decison"));
    custos_suite_free(s);
}

static void test_a_failing_suite_reports_each_mismatch(void **state) {
    (void)state;
    custos_suite_options opt = {NULL, false, true};
    custos_suite_runner *run;
    assert_int_equal(custos_suite_runner_new(&opt, &run), CUSTOS_OK);
    custos_suite *s = load("tests/fixtures/suites/failing/fail.yaml");
    assert_int_equal(custos_suite_run(run, s), CUSTOS_OK);
    custos_suite_info info;
    assert_int_equal(custos_suite_get_info(s, &info), CUSTOS_OK);
    assert_int_equal(info.status, CUSTOS_SUITE_FAILED);
    assert_int_equal(info.passed, 1);
    assert_int_equal(info.failed, 6);

    const custos_suite_case *c = find_case(&info, "a use wrongly expected to be denied");
    assert_int_equal(c->status, CUSTOS_CASE_FAILED);
    assert_int_equal(c->line, 10);
    assert_true(has_mismatch(c, "decision: expected deny, got permit"));
    assert_true(has_mismatch(c, "no-sale"));
    assert_non_null(c->decision_json);
    assert_non_null(strstr(c->decision_json, "\"decision\":\"permit\""));
    assert_int_equal(c->because_count, 1);
    assert_string_equal(c->because[0].article, "2");

    const custos_suite_case *ok = find_case(&info, "this one passes");
    assert_int_equal(ok->status, CUSTOS_CASE_PASSED);
    assert_int_equal(ok->mismatch_count, 0);
    assert_null(ok->decision_json);

    /* a matrix case carries its combination */
    const custos_suite_case *m = find_case(&info, "selling the list [item=list]");
    assert_string_equal(m->combination, "item=list");
    custos_suite_free(s);
    custos_suite_runner_free(run);
}

static void test_the_filter_selects_cases(void **state) {
    (void)state;
    custos_suite_options opt = {"passes", false, false};
    custos_suite_runner *run;
    assert_int_equal(custos_suite_runner_new(&opt, &run), CUSTOS_OK);
    custos_suite *s = load("tests/fixtures/suites/failing/fail.yaml");
    assert_int_equal(custos_suite_run(run, s), CUSTOS_OK);
    custos_suite_info info;
    assert_int_equal(custos_suite_get_info(s, &info), CUSTOS_OK);
    assert_int_equal(info.passed, 1);
    assert_int_equal(info.failed, 0);
    assert_int_equal(find_case(&info, "a policy error nobody expected")->status,
                     CUSTOS_CASE_NOT_RUN);
    custos_suite_free(s);
    custos_suite_runner_free(run);
}

static void test_coverage_counts_lines_and_citations(void **state) {
    (void)state;
    custos_suite_options opt = {NULL, true, false};
    custos_suite_runner *run;
    assert_int_equal(custos_suite_runner_new(&opt, &run), CUSTOS_OK);
    custos_suite *s = load("tests/fixtures/suites/policies/demo2/tests/pass.yaml");
    assert_int_equal(custos_suite_run(run, s), CUSTOS_OK);
    custos_coverage cov;
    assert_int_equal(custos_suite_runner_coverage(run, &cov), CUSTOS_OK);
    assert_int_equal(cov.regime_count, 1);
    assert_string_equal(cov.regimes[0], "demo2");
    size_t lines = 0, hit = 0;
    for (size_t i = 0; i < cov.entry_count; i++) {
        const custos_coverage_entry *e = &cov.entries[i];
        size_t counted = 0;
        for (size_t k = 0; k < e->line_count; k++) counted += e->hit[k];
        assert_int_equal(counted, e->hit_count); /* the summary agrees with the lines */
        lines += e->line_count;
        hit += e->hit_count;
    }
    assert_true(lines > 0);
    assert_true(hit > 0 && hit <= lines);
    custos_suite_free(s);
    custos_suite_runner_free(run);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find_lists_suites_in_tests_folders_only),
        cmocka_unit_test(test_a_suite_that_does_not_load_names_the_line),
        cmocka_unit_test(test_a_failing_suite_reports_each_mismatch),
        cmocka_unit_test(test_the_filter_selects_cases),
        cmocka_unit_test(test_coverage_counts_lines_and_citations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
