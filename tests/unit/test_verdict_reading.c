/* test_verdict_reading.c — how the engine reads a verdict: its effect and its message code are
 * recognised by the address of the Lua string (the evaluator keeps the strings it remembers
 * alive, so no other string can take an address it remembers), its params gathered and kept.
 * The attack: codes and effects built at run time, which die and are collected between
 * decisions, so new strings land where old ones were. */
#include "temp_policies.h"

/* Article 1 answers by context.epoch % 8: deny with code c1..c7 (built at run time, collected
 * after the decision), or a code too long for Lua to intern; the effect too is built at run
 * time, and each decision leaves garbage behind so that collections run between decisions. */
static const char article[] =
    "local function code_for(n)\n"
    "  if n == 7 then return string.rep('x', 45) .. 'long' end\n"
    "  return 'c' .. (n + 1)\n"
    "end\n"
    "local messages = { [string.rep('x', 45) .. 'long'] = { zh = '长', en = 'message long' } }\n"
    "for n = 1, 7 do\n"
    "  messages['c' .. n] = { zh = '码' .. n, en = 'message c' .. n .. ' {n}' }\n"
    "end\n"
    "return article {\n"
    "  number = '1',\n"
    "  text = { zh = '测试条文。', en = 'A test article.' },\n"
    "  citation = 'TEST-R 1',\n"
    "  messages = messages,\n"
    "  rule = function(req, data)\n"
    "    local n = req.context.epoch % 8\n"
    "    local garbage = {}\n"
    "    for i = 1, 200 do garbage[i] = { i, 'g' .. i .. ':' .. n } end\n"
    "    local effect = (n % 2 == 0) and ('de' .. 'ny') or ('per' .. 'mit')\n"
    "    return effect, code_for(n), { n = n, ['k' .. n] = 'v' .. n }\n"
    "  end,\n"
    "}\n";

static void codes_and_effects_built_at_run_time_are_read_right(void **state) {
    (void)state;
    temp_policies t;
    temp_make(&t, 1);
    temp_write_text(&t, "r/art1.lua", article);
    custos_engine *eng;
    custos_error err;
    if (temp_open(&t, 0, &eng, &err) != CUSTOS_OK)
        fail_msg("engine_open: %s:%u: %s", err.file, err.line, err.message);
    custos_request *req;
    custos_decision *d;
    assert_int_equal(custos_request_new(&req), CUSTOS_OK);
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    const time_t start = 1767225600; /* 2026-01-01T00:00:00Z, a multiple of 8 */
    for (int i = 0; i < 400; i++) {
        /* mostly a new code each time, so the four remembered per article keep changing */
        int n = (i * 3 + i / 8) % 8;
        custos_request_clear(req);
        assert_int_equal(custos_request_set_time(req, start + n, 0, &err), CUSTOS_OK);
        assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_OK);
        assert_int_equal(custos_decision_error_count(d), 0);
        assert_int_equal(custos_decision_effect(d), n % 2 == 0 ? CUSTOS_DENY : CUSTOS_PERMIT);
        custos_reason r;
        assert_int_equal(custos_decision_reason(d, 0, &r), CUSTOS_OK);
        char code[64], message[64];
        if (n == 7) {
            snprintf(code, sizeof code, "%.45s", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
            strcat(code, "long");
            snprintf(message, sizeof message, "message long");
        } else {
            snprintf(code, sizeof code, "c%d", n + 1);
            snprintf(message, sizeof message, "message c%d %d", n + 1, n);
        }
        assert_string_equal(r.code, code);
        assert_string_equal(r.message_en, message);
    }
    custos_decision_free(d);
    custos_request_free(req);
    custos_engine_close(eng);
    temp_remove(&t);
}

/* An effect that only reads like one up to a NUL byte is what it was before the address
 * lookup: strcmp's reading ("deny\0x" denies); a near miss is an error that denies. */
static void effects_are_still_read_by_their_text(void **state) {
    (void)state;
    static const struct {
        const char *expression;
        custos_effect effect;
        size_t errors;
    } cases[] = {
        {"'deny\\0x'", CUSTOS_DENY, 0},
        {"'permit\\0'", CUSTOS_PERMIT, 0},
        {"'permitted'", CUSTOS_DENY, 1},
        {"'Permit'", CUSTOS_DENY, 1},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        temp_policies t;
        temp_make(&t, 1);
        char text[2048];
        snprintf(text, sizeof text,
                 "return article {\n"
                 "  number = '1',\n"
                 "  text = { zh = '测试条文。', en = 'A test article.' },\n"
                 "  citation = 'TEST-R 1',\n"
                 "  messages = { ok = { zh = '正常。', en = 'Normal.' } },\n"
                 "  rule = function(req, data) return %s, 'ok' end,\n"
                 "}\n",
                 cases[c].expression);
        temp_write_text(&t, "r/art1.lua", text);
        custos_engine *eng;
        custos_error err;
        if (temp_open(&t, 0, &eng, &err) != CUSTOS_OK)
            fail_msg("engine_open: %s:%u: %s", err.file, err.line, err.message);
        custos_request *req = parse_request("{context: {time: '2026-01-01T10:00:00+08:00'}}");
        custos_decision *d;
        assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
        for (int round = 0; round < 2; round++) { /* the second through the cached names */
            assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_OK);
            assert_int_equal(custos_decision_effect(d), cases[c].effect);
            assert_int_equal(custos_decision_error_count(d), cases[c].errors);
        }
        custos_decision_free(d);
        custos_request_free(req);
        custos_engine_close(eng);
        temp_remove(&t);
    }
}

/* Params are kept sorted bytewise by key, whatever the table's order: keys that share their
 * first bytes, differ only in length or case, and a UTF-8 one.  Obligations show the order. */
static void params_are_kept_in_bytewise_key_order(void **state) {
    (void)state;
    temp_policies t;
    temp_make(&t, 1);
    temp_write_text(&t, "r/art1.lua",
                    "return article {\n"
                    "  number = '1',\n"
                    "  text = { zh = '测试条文。', en = 'A test article.' },\n"
                    "  citation = 'TEST-R 1',\n"
                    "  messages = { ok = { zh = '正常。', en = 'Normal.' } },\n"
                    "  rule = function(req, data)\n"
                    "    return permit('ok', nil, { { id = 'o', ab = '1', a = '2', b = '3',\n"
                    "      aa = '4', B = '5', ['\\u{e9}'] = '6', abc = '7' } })\n"
                    "  end,\n"
                    "}\n");
    custos_engine *eng;
    custos_error err;
    if (temp_open(&t, 0, &eng, &err) != CUSTOS_OK)
        fail_msg("engine_open: %s:%u: %s", err.file, err.line, err.message);
    custos_request *req = parse_request("{context: {time: '2026-01-01T10:00:00+08:00'}}");
    custos_decision *d;
    assert_int_equal(custos_decision_new(&d), CUSTOS_OK);
    static const char *const keys[] = {"B", "a", "aa", "ab", "abc", "b", "\xc3\xa9"};
    static const char *const values[] = {"5", "2", "4", "1", "7", "3", "6"};
    for (int round = 0; round < 3; round++) {
        assert_int_equal(custos_decide(eng, req, 0, d, &err), CUSTOS_OK);
        assert_int_equal(custos_decision_effect(d), CUSTOS_PERMIT);
        custos_obligation o;
        assert_int_equal(custos_decision_obligation(d, 0, &o), CUSTOS_OK);
        assert_int_equal(o.param_count, 7);
        for (size_t k = 0; k < 7; k++) {
            assert_string_equal(o.param_keys[k], keys[k]);
            assert_string_equal(o.param_values[k], values[k]);
        }
    }
    custos_decision_free(d);
    custos_request_free(req);
    custos_engine_close(eng);
    temp_remove(&t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(codes_and_effects_built_at_run_time_are_read_right),
        cmocka_unit_test(effects_are_still_read_by_their_text),
        cmocka_unit_test(params_are_kept_in_bytewise_key_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
