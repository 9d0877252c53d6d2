/*
 * test_bounds.c — every path is bounded by the decision's caps: C library functions driven to
 * loop inside C (a hostile __len, huge counts, quadratic plain search, repeated calls on huge
 * strings in a module metered per call) end with the instruction-limit error in bounded time;
 * verdicts past the engine's caps (decision_limits.h) fail their article with an error naming
 * the cap; the REPL's eval output is cut.  Fixtures: tests/fixtures/bounds/.
 *
 * Each attack runs in a forked child, so an attack that is not bounded fails the test after a
 * few seconds instead of hanging it.
 */
#include "test_support.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "decision_limits.h"

/* How long one decision may take, even under sanitizers: an attack that is charged ends far
 * sooner; one that is not runs for minutes or hours. */
#define DECISION_SECONDS 5

typedef struct outcome {
    custos_effect effect;
    size_t errors;
    char message[CUSTOS_ERROR_MESSAGE_MAX];
} outcome;

static int setup(void **state) {
    *state = open_engine("tests/fixtures/bounds", NULL);
    return 0;
}

static int teardown(void **state) {
    custos_engine_close(*state);
    return 0;
}

static custos_request *request_for(const char *action) {
    char text[256];
    snprintf(text, sizeof text,
             "{\"subject\": {\"id\": \"alice\"}, \"action\": \"%s\","
             " \"context\": {\"time\": \"2026-01-01T00:00:00Z\"}}",
             action);
    return parse_request(text);
}

static void decide_into(custos_engine *eng, const char *action, custos_decision *d) {
    custos_request *req = request_for(action);
    custos_error err;
    assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_OK);
    custos_request_free(req);
}

/* Decides each action in turn in a child process (one evaluator, as a host would); returns the
 * last decision's outcome, or one with no effect and the reason when the decisions do not come
 * in time. */
static outcome decide_all_within(custos_engine *eng, const char *const *actions, size_t count,
                                 unsigned seconds) {
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        close(fds[0]);
        custos_decision *d;
        if (custos_decision_new(&d) != CUSTOS_OK) _exit(1);
        outcome o = {CUSTOS_PERMIT, 0, ""};
        for (size_t i = 0; i < count; i++) decide_into(eng, actions[i], d);
        o.effect = custos_decision_effect(d);
        o.errors = custos_decision_error_count(d);
        custos_policy_error e;
        if (o.errors && custos_decision_error(d, 0, &e) == CUSTOS_OK)
            snprintf(o.message, sizeof o.message, "%s", e.message);
        ssize_t written = write(fds[1], &o, sizeof o);
        _exit(written == (ssize_t)sizeof o ? 0 : 1);
    }
    close(fds[1]);
    struct pollfd p = {fds[0], POLLIN, 0};
    int ready = poll(&p, 1, (int)seconds * 1000);
    outcome o;
    memset(&o, 0, sizeof o);
    ssize_t got = ready > 0 ? read(fds[0], &o, sizeof o) : -1;
    if (ready <= 0) kill(child, SIGKILL);
    int status;
    waitpid(child, &status, 0);
    close(fds[0]);
    if (ready <= 0) snprintf(o.message, sizeof o.message, "(no decision within %u s)", seconds);
    if (ready > 0 && got != (ssize_t)sizeof o)
        snprintf(o.message, sizeof o.message, "(the deciding process died)");
    if (ready <= 0 || got != (ssize_t)sizeof o) o.effect = CUSTOS_NOT_APPLICABLE;
    return o;
}

static outcome decide_within(custos_engine *eng, const char *action, unsigned seconds) {
    return decide_all_within(eng, &action, 1, seconds);
}

/* Whether action denies with `error`; says why not on stdout.  The tests try every case and
 * then fail, so one run lists every case that does not hold. */
static bool denied_with(custos_engine *eng, const char *action, const char *error) {
    outcome o = decide_within(eng, action, DECISION_SECONDS);
    if (o.effect == CUSTOS_DENY && o.errors == 1 && strstr(o.message, error)) return true;
    printf("%s: expected a deny with \"%s\", got %s with %zu error(s): %s\n", action, error,
           custos_effect_name(o.effect), o.errors, o.message);
    return false;
}

/* C library functions that would loop inside C: each ends at the instruction limit, both in a
 * module metered per call (loop-free) and in one metered per instruction. */
static const char *const c_attacks[] = {
    "rep_empty",    "rep_sep",        "insert_len",     "remove_len",     "move_huge",
    "concat_len",   "concat_again",   "unpack_again",   "byte_again",     "find_plain",
    "format_again", "upper_again",    "tonumber_again", "rawequal_again", "codes_again",
    "select_again", "concat_op_again"};

static void test_c_functions_stop_at_the_instruction_limit(void **state) {
    custos_engine *eng = *state;
    size_t failed = 0;
    for (size_t i = 0; i < sizeof c_attacks / sizeof *c_attacks; i++) {
        char action[64];
        failed += !denied_with(eng, c_attacks[i], "instruction limit exceeded");
        snprintf(action, sizeof action, "loop:%s", c_attacks[i]);
        failed += !denied_with(eng, action, "instruction limit exceeded");
    }
    assert_int_equal(failed, 0);
}

/* The evaluator that stopped an attack decides the next request as if nothing had happened. */
static void test_the_engine_goes_on_after_an_attack(void **state) {
    custos_engine *eng = *state;
    static const char *const actions[] = {"rep_empty", "loop:find_plain", "params_many",
                                          "params_max"};
    outcome o = decide_all_within(eng, actions, 4, 3 * DECISION_SECONDS);
    assert_int_equal(o.effect, CUSTOS_PERMIT);
    assert_int_equal(o.errors, 0);
}

typedef struct verdict_case {
    const char *action, *error;
} verdict_case;

static const verdict_case verdict_cases[] = {
    {"params_many", "returned 65 params; at most 64 are allowed"},
    {"value_big", "the param 'v' of 4097 bytes; at most 4096 bytes are allowed"},
    {"key_long", "at most 128 bytes of text are allowed"},
    {"key_nul", "holds a NUL byte"},
    {"entries_many", "a table of obligation params with more than 256 entries"},
    {"smallest_named", "the param 'bb' as a table"},
    {"obligations_many", "returned 33 obligations; at most 32 are allowed"},
    {"obligation_id_long", "an obligation id of 129 bytes; at most 128 are allowed"},
    {"verdict_bytes", "params and obligations of more than 65536 bytes in all"},
    {"message_long", "its message longer than 8192 bytes once expanded"},
};

static void test_verdicts_past_the_caps_fail_their_article(void **state) {
    custos_engine *eng = *state;
    size_t failed = 0;
    for (size_t i = 0; i < sizeof verdict_cases / sizeof *verdict_cases; i++)
        failed += !denied_with(eng, verdict_cases[i].action, verdict_cases[i].error);
    assert_int_equal(failed, 0);
}

static void test_verdicts_within_the_caps_are_kept(void **state) {
    custos_engine *eng = *state;
    custos_decision *d;
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    decide_into(eng, "message_fits", d);
    assert_int_equal(custos_decision_effect(d), CUSTOS_PERMIT);
    custos_reason r;
    assert_int_equal(custos_decision_reason(d, 0, &r), CUSTOS_OK);
    assert_int_equal(strlen(r.message_en), 6000);
    decide_into(eng, "params_max", d);
    assert_int_equal(custos_decision_effect(d), CUSTOS_PERMIT);
    custos_decision_free(d);
}

/* The eval's text is cut, visibly, however large the value. */
static void test_eval_output_is_cut(void **state) {
    custos_engine *eng = *state;
    char *out = NULL;
    custos_error err;
    assert_int_equal(custos_engine_eval(eng, NULL, "string.rep('x', 200000)", &out, &err),
                     CUSTOS_OK);
    size_t len = strlen(out);
    assert_true(len <= 64 * 1024 + 16);
    assert_non_null(strstr(out, "…(cut)"));
    custos_free(out);
    assert_int_equal(custos_engine_eval(eng, NULL,
                                        "(function() local t = {} for i = 1, 3000 do "
                                        "t[i] = string.rep('y', 100) end return t end)()",
                                        &out, &err),
                     CUSTOS_OK);
    assert_true(strlen(out) <= 64 * 1024 + 16);
    custos_free(out);
    assert_int_equal(custos_engine_eval(eng, NULL, "string.rep('', 1 << 53)", &out, &err),
                     CUSTOS_E_POLICY);
    assert_non_null(strstr(err.message, "instruction limit exceeded"));
    /* many values share one budget, and are taken once: 200,000 of them hung the REPL (select
     * in a loop), 100,000 of a 2,000-item table made 100,000 texts (tests/fuzz/regressions) */
    assert_int_equal(custos_engine_eval(eng, NULL,
                                        "table.unpack((function() local t = {} for i = 1, "
                                        "200000 do t[i] = i end return t end)())",
                                        &out, &err),
                     CUSTOS_OK);
    assert_true(strlen(out) <= 64 * 1024 + 16);
    assert_memory_equal(out, "1\t2\t3\t", 6);
    assert_non_null(strstr(out, "…(cut)"));
    custos_free(out);
    assert_int_equal(custos_engine_eval(eng, NULL,
                                        "table.unpack((function() local big, t = {}, {} for i = "
                                        "1, 2000 do big[i] = i end for i = 1, 100000 do t[i] = "
                                        "big end return t end)())",
                                        &out, &err),
                     CUSTOS_OK);
    assert_true(strlen(out) <= 64 * 1024 + 16);
    assert_memory_equal(out, "{1, 2, 3", 8);
    custos_free(out);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_c_functions_stop_at_the_instruction_limit, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_the_engine_goes_on_after_an_attack, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verdicts_past_the_caps_fail_their_article, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_verdicts_within_the_caps_are_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eval_output_is_cut, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
