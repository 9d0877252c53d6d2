/* test_config.c — custos_config calls (argument checks, limits, regime modes, deep copies) and
 * the version and name functions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <sys/stat.h>

#include "config.h"

static void new_and_free_accept_null(void **state) {
    (void)state;
    assert_int_equal(custos_config_new(NULL), CUSTOS_E_ARGUMENT);
    custos_config_free(NULL);
    custos_config *cfg = NULL;
    assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
    assert_non_null(cfg);
    assert_int_equal(cfg->memory_limit, CUSTOS_DEFAULT_MEMORY_LIMIT);
    assert_int_equal(cfg->instruction_limit, CUSTOS_DEFAULT_INSTRUCTION_LIMIT);
    assert_int_equal(cfg->policy_count, 0);
    assert_int_equal(cfg->data_count, 0);
    assert_int_equal(cfg->mode_count, 0);
    custos_config_free(cfg);
}

static void paths_are_checked_and_copied(void **state) {
    (void)state;
    custos_config *cfg = NULL;
    assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
    assert_int_equal(custos_config_add_policies(NULL, "policies"), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_config_add_policies(cfg, NULL), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_config_add_policies(cfg, ""), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_config_add_data(NULL, "d.yaml"), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_config_add_data(cfg, NULL), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_config_add_data(cfg, ""), CUSTOS_E_ARGUMENT);

    char path[] = "policies";
    assert_int_equal(custos_config_add_policies(cfg, path), CUSTOS_OK);
    assert_int_equal(custos_config_add_policies(cfg, "more/policies"), CUSTOS_OK);
    assert_int_equal(custos_config_add_data(cfg, "examples/contracts.yaml"), CUSTOS_OK);
    path[0] = 'X'; /* the config holds its own copy */
    assert_int_equal(cfg->policy_count, 2);
    assert_string_equal(cfg->policies[0], "policies");
    assert_string_equal(cfg->policies[1], "more/policies");
    assert_int_equal(cfg->data_count, 1);
    assert_string_equal(cfg->data[0], "examples/contracts.yaml");
    custos_config_free(cfg);
}

static void limits_default_and_zero_leaves_them(void **state) {
    (void)state;
    custos_config *cfg = NULL;
    assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
    assert_int_equal(custos_config_set_limits(NULL, 1, 1), CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_config_set_limits(cfg, 0, 0), CUSTOS_OK);
    assert_int_equal(cfg->memory_limit, CUSTOS_DEFAULT_MEMORY_LIMIT);
    assert_int_equal(cfg->instruction_limit, CUSTOS_DEFAULT_INSTRUCTION_LIMIT);
    assert_int_equal(custos_config_set_limits(cfg, 1 << 20, 0), CUSTOS_OK);
    assert_int_equal(cfg->memory_limit, 1 << 20);
    assert_int_equal(cfg->instruction_limit, CUSTOS_DEFAULT_INSTRUCTION_LIMIT);
    assert_int_equal(custos_config_set_limits(cfg, 0, 5000), CUSTOS_OK);
    assert_int_equal(cfg->memory_limit, 1 << 20);
    assert_int_equal(cfg->instruction_limit, 5000);
    /* more than an evaluator may ever hold is refused and changes nothing */
    assert_int_equal(custos_config_set_limits(cfg, CUSTOS_STATE_MEMORY_CEILING + 1, 7),
                     CUSTOS_E_ARGUMENT);
    assert_int_equal(cfg->memory_limit, 1 << 20);
    assert_int_equal(cfg->instruction_limit, 5000);
    custos_config_free(cfg);
}

static void regime_modes_later_wins(void **state) {
    (void)state;
    custos_config *cfg = NULL;
    assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
    assert_int_equal(custos_config_set_regime_mode(NULL, "gz-2012", CUSTOS_REGIME_SKIPPED),
                     CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_config_set_regime_mode(cfg, NULL, CUSTOS_REGIME_SKIPPED),
                     CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_config_set_regime_mode(cfg, "", CUSTOS_REGIME_SKIPPED),
                     CUSTOS_E_ARGUMENT);
    assert_int_equal(custos_config_set_regime_mode(cfg, "gz-2012", (custos_regime_mode)7),
                     CUSTOS_E_ARGUMENT);
    assert_int_equal(cfg->mode_count, 0);

    assert_int_equal(custos_config_set_regime_mode(cfg, "gz-2012", CUSTOS_REGIME_SKIPPED),
                     CUSTOS_OK);
    assert_int_equal(custos_config_set_regime_mode(cfg, "national", CUSTOS_REGIME_ADOPTED),
                     CUSTOS_OK);
    assert_int_equal(custos_config_set_regime_mode(cfg, "gz-2012", CUSTOS_REGIME_IN_FORCE),
                     CUSTOS_OK);
    assert_int_equal(cfg->mode_count, 2);
    assert_string_equal(cfg->modes[0].regime, "gz-2012");
    assert_int_equal(cfg->modes[0].mode, CUSTOS_REGIME_IN_FORCE);
    assert_string_equal(cfg->modes[1].regime, "national");
    assert_int_equal(cfg->modes[1].mode, CUSTOS_REGIME_ADOPTED);
    custos_config_free(cfg);
}

static void copies_are_independent(void **state) {
    (void)state;
    custos_config *copy = (custos_config *)1;
    assert_int_equal(config_copy(NULL, &copy), CUSTOS_E_ARGUMENT);
    assert_null(copy);

    custos_config *cfg = NULL;
    assert_int_equal(custos_config_new(&cfg), CUSTOS_OK);
    assert_int_equal(config_copy(cfg, NULL), CUSTOS_E_ARGUMENT);

    /* an empty config copies too */
    assert_int_equal(config_copy(cfg, &copy), CUSTOS_OK);
    assert_int_equal(copy->policy_count, 0);
    custos_config_free(copy);

    assert_int_equal(custos_config_add_policies(cfg, "policies"), CUSTOS_OK);
    assert_int_equal(custos_config_add_data(cfg, "a.yaml"), CUSTOS_OK);
    assert_int_equal(custos_config_add_data(cfg, "b.yaml"), CUSTOS_OK);
    assert_int_equal(custos_config_set_limits(cfg, 4096, 99), CUSTOS_OK);
    assert_int_equal(custos_config_set_regime_mode(cfg, "gz-2012", CUSTOS_REGIME_SKIPPED),
                     CUSTOS_OK);
    assert_int_equal(config_copy(cfg, &copy), CUSTOS_OK);

    /* change and then free the original: the copy must not notice */
    assert_int_equal(custos_config_add_policies(cfg, "elsewhere"), CUSTOS_OK);
    assert_int_equal(custos_config_set_regime_mode(cfg, "gz-2012", CUSTOS_REGIME_ADOPTED),
                     CUSTOS_OK);
    assert_int_equal(custos_config_set_limits(cfg, 8192, 100), CUSTOS_OK);
    assert_ptr_not_equal(copy->policies[0], cfg->policies[0]);
    custos_config_free(cfg);

    assert_int_equal(copy->policy_count, 1);
    assert_string_equal(copy->policies[0], "policies");
    assert_int_equal(copy->data_count, 2);
    assert_string_equal(copy->data[0], "a.yaml");
    assert_string_equal(copy->data[1], "b.yaml");
    assert_int_equal(copy->memory_limit, 4096);
    assert_int_equal(copy->instruction_limit, 99);
    assert_int_equal(copy->mode_count, 1);
    assert_string_equal(copy->modes[0].regime, "gz-2012");
    assert_int_equal(copy->modes[0].mode, CUSTOS_REGIME_SKIPPED);
    custos_config_free(copy);
}

static void builtin_policy_dir_is_a_folder_or_null(void **state) {
    (void)state;
    const char *dir = custos_builtin_policy_dir();
    if (dir) {
        struct stat st;
        assert_int_equal(stat(dir, &st), 0);
        assert_true(S_ISDIR(st.st_mode));
        assert_ptr_equal(custos_builtin_policy_dir(), dir); /* a static string */
    }
}

static void versions_and_names(void **state) {
    (void)state;
    assert_string_equal(custos_version(), CUSTOS_VERSION_STRING);
    assert_int_equal(custos_version_number(), CUSTOS_VERSION_NUMBER);
    assert_string_equal(custos_status_name(CUSTOS_OK), "ok");
    assert_string_equal(custos_status_name(CUSTOS_E_ARGUMENT), "argument");
    assert_string_equal(custos_status_name(CUSTOS_E_NOMEM), "nomem");
    assert_string_equal(custos_status_name(CUSTOS_E_NOT_FOUND), "not-found");
    assert_string_equal(custos_status_name(CUSTOS_E_IO), "io");
    assert_string_equal(custos_status_name(CUSTOS_E_PARSE), "parse");
    assert_string_equal(custos_status_name(CUSTOS_E_INPUT), "input");
    assert_string_equal(custos_status_name(CUSTOS_E_POLICY), "policy");
    assert_string_equal(custos_status_name(CUSTOS_E_INTERNAL), "internal");
    assert_non_null(custos_status_name((custos_status)99));
    assert_string_equal(custos_effect_name(CUSTOS_PERMIT), "permit");
    assert_string_equal(custos_effect_name(CUSTOS_DENY), "deny");
    assert_string_equal(custos_effect_name(CUSTOS_NOT_APPLICABLE), "not_applicable");
    assert_non_null(custos_effect_name((custos_effect)99));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(new_and_free_accept_null),
        cmocka_unit_test(paths_are_checked_and_copied),
        cmocka_unit_test(limits_default_and_zero_leaves_them),
        cmocka_unit_test(regime_modes_later_wins),
        cmocka_unit_test(copies_are_independent),
        cmocka_unit_test(builtin_policy_dir_is_a_folder_or_null),
        cmocka_unit_test(versions_and_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
