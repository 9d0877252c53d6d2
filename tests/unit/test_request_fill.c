/* test_request_fill.c — the request tables a decision sees hold its request's fields and no
 * other: the engine refills them for each decision, writes a nested table's key only when its
 * presence changes, and must still leave nothing of one request in the next. */
#include "test_support.h"

/* What policies see of context.consent and context.recipient, through custos_engine_eval (the
 * same fill as a decision's). */
static void seen(custos_engine *eng, const custos_request *req, const char *expect) {
    static const char code[] =
        "return (req.context.consent and 'consent{by=' .. tostring(req.context.consent.by) .. "
        "',written=' .. tostring(req.context.consent.written) .. '}' or 'no consent') .. ' ' .. "
        "tostring(req.context.recipient)";
    char *out = NULL;
    custos_error err;
    if (custos_engine_eval(eng, req, code, &out, &err) != CUSTOS_OK)
        fail_msg("eval: %s", err.message);
    assert_string_equal(out, expect);
    custos_free(out);
}

static void nested_tables_and_fields_follow_each_request(void **state) {
    (void)state;
    custos_engine *eng = open_engine("policies", NULL);
    custos_request *req;
    custos_decision *d;
    custos_error err;
    assert_int_equal(custos_request_new(&req), CUSTOS_OK);
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    static const struct {
        const char *by, *recipient;
        int written; /* -1: not set */
        const char *expect;
    } steps[] = {
        {"acme", "bob", 1, "\"consent{by=acme,written=true} bob\""},
        {NULL, NULL, -1, "\"no consent nil\""},
        {NULL, NULL, -1, "\"no consent nil\""},
        {NULL, "carol", 0, "\"consent{by=nil,written=false} carol\""},
        {"acme", NULL, 0, "\"consent{by=acme,written=false} nil\""},
        {"acme", NULL, 0, "\"consent{by=acme,written=false} nil\""},
        {NULL, NULL, -1, "\"no consent nil\""},
        {"globex", "bob", -1, "\"consent{by=globex,written=nil} bob\""},
    };
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
            custos_request_clear(req);
            assert_int_equal(
                custos_request_set_string(req, "context.time", "2026-01-01T10:00:00+08:00", &err),
                CUSTOS_OK);
            if (steps[i].by)
                assert_int_equal(
                    custos_request_set_string(req, "context.consent.by", steps[i].by, &err),
                    CUSTOS_OK);
            if (steps[i].written >= 0)
                assert_int_equal(custos_request_set_bool(req, "context.consent.written",
                                                         steps[i].written == 1, &err),
                                 CUSTOS_OK);
            if (steps[i].recipient)
                assert_int_equal(
                    custos_request_set_string(req, "context.recipient", steps[i].recipient, &err),
                    CUSTOS_OK);
            /* a decision between evals: it fills the same tables */
            if (round == 1) assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_OK);
            seen(eng, req, steps[i].expect);
        }
    custos_decision_free(d);
    custos_request_free(req);
    custos_engine_close(eng);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nested_tables_and_fields_follow_each_request),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
